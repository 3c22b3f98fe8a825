//! Accounts: self-registration of UMKM owners, creation of other roles by an admin, login.

use etalase_db::entities::user;
use etalase_db::repo::users::{self, NewUser};
use etalase_domain::error::{FieldError, ValidationErrors};
use etalase_domain::roles::Role;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::auth::password::{self, MIN_PASSWORD_LEN};
use crate::auth::session::{self, Issued, SessionKind};
use crate::auth::throttle::{self, Policy};
use crate::error::{AppError, AppResult, ErrorCode};
use crate::state::AppState;

/// A new account.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAccount {
    pub email: String,
    pub password: String,
    /// Name shown in the app.
    pub display_name: String,
}

/// A new account of a given role (admin only).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAccountWithRole {
    pub email: String,
    pub password: String,
    pub display_name: String,
    /// `umkm`, `store`, `chain`, `dinas` or `admin`.
    pub role: String,
    /// The chain a `chain` account works for (required for `chain`; for `store`, when given,
    /// it must be the store's chain).
    #[serde(default)]
    pub chain_id: Option<i64>,
    /// The store a `store` account manages (required for `store`).
    #[serde(default)]
    pub store_id: Option<i64>,
}

/// An account as others see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserView {
    pub id: i64,
    pub email: String,
    pub role: String,
    pub role_label: String,
    pub display_name: String,
    /// The chain a store or chain account works for.
    pub chain_id: Option<i64>,
    /// The store a store manager's account manages.
    pub store_id: Option<i64>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl From<&user::Model> for UserView {
    fn from(u: &user::Model) -> Self {
        UserView {
            id: u.id,
            email: u.email.clone(),
            role: u.role.as_str().into(),
            role_label: u.role.label().into(),
            display_name: u.display_name.clone(),
            chain_id: u.chain_id,
            store_id: u.store_id,
            created_at: u.created_at,
        }
    }
}

fn validate_email(errors: &mut ValidationErrors, email: &str) -> String {
    let email = email.trim().to_lowercase();
    let ok = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        })
        && !email.contains(char::is_whitespace);
    if email.is_empty() {
        errors.push(FieldError::new("email", "required", "Email wajib diisi."));
    } else if !ok {
        errors.push(FieldError::new(
            "email",
            "invalid_format",
            "Format email tidak valid, contoh: nama@contoh.id.",
        ));
    }
    email
}

fn validate_account(
    email: &str,
    password: &str,
    display_name: &str,
) -> Result<(String, String), ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let email = validate_email(&mut errors, email);
    if password.chars().count() < MIN_PASSWORD_LEN {
        errors.push(FieldError::new(
            "password",
            "too_short",
            format!("Kata sandi minimal {MIN_PASSWORD_LEN} karakter."),
        ));
    } else if password.len() > 256 {
        errors.push(FieldError::new("password", "too_long", "Kata sandi maksimal 256 karakter."));
    }
    let name = display_name.trim().to_string();
    if name.is_empty() {
        errors.push(FieldError::new("display_name", "required", "Nama wajib diisi."));
    } else if name.chars().count() > 120 {
        errors.push(FieldError::new("display_name", "too_long", "Nama maksimal 120 karakter."));
    }
    errors.into_result((email, name))
}

/// Creates an account (any role): used by registration (umkm), the admin page and the CLI.
pub async fn create_account(
    state: &AppState,
    email: &str,
    password: &str,
    display_name: &str,
    role: Role,
) -> AppResult<user::Model> {
    let (email, name) = validate_account(email, password, display_name)?;
    if users::find_by_email(&state.db, &email).await?.is_some() {
        return Err(AppError::conflict(
            ErrorCode::EmailTaken,
            "Email ini sudah terdaftar. Silakan masuk.",
        ));
    }
    let hash = password::hash(state, password.to_string()).await?;
    let now = state.clock.now();
    users::create(
        &state.db,
        NewUser { email: &email, password_hash: &hash, role, display_name: &name },
        now,
    )
    .await
    .map_err(|e| match AppError::from(e) {
        AppError::Conflict { .. } => {
            AppError::conflict(ErrorCode::EmailTaken, "Email ini sudah terdaftar. Silakan masuk.")
        }
        other => other,
    })
}

/// Self-registration: always a UMKM account, throttled per client address (reserved before
/// the password is hashed), signed in at once.
pub async fn register(
    state: &AppState,
    a: NewAccount,
    client: &str,
    kind: SessionKind,
) -> AppResult<(user::Model, Issued)> {
    // Checked first, so a flood of invalid forms costs nothing but this.
    validate_account(&a.email, &a.password, &a.display_name)?;
    throttle::reserve(
        state,
        &throttle::address_key("register", client),
        &Policy::registration(&state.config),
    )
    .await?;
    let u = create_account(state, &a.email, &a.password, &a.display_name, Role::Umkm).await?;
    let issued = session::issue(state, u.id, kind).await?;
    Ok((u, issued))
}

/// Checks that `chain_id` / `store_id` exist and fit `role`: a store account needs its store
/// (its chain is the store's), a chain account its chain, other roles neither. Returns the
/// (chain, store) to record on the account.
pub async fn affiliation_for(
    state: &AppState,
    role: Role,
    chain_id: Option<i64>,
    store_id: Option<i64>,
) -> AppResult<(Option<i64>, Option<i64>)> {
    use etalase_db::repo::{chains, stores};
    let mut e = ValidationErrors::new();
    let chain = match chain_id {
        Some(id) => {
            let c = chains::find(&state.db, id).await?;
            if c.is_none() {
                e.push(FieldError::new("chain_id", "not_found", "Jaringan ini tidak terdaftar."));
            }
            c
        }
        None => None,
    };
    let store = match store_id {
        Some(id) => {
            let s = stores::find(&state.db, id).await?;
            if s.is_none() {
                e.push(FieldError::new("store_id", "not_found", "Gerai ini tidak terdaftar."));
            }
            s
        }
        None => None,
    };
    if !e.is_empty() {
        return Err(e.into());
    }
    if role == Role::Buyer {
        // A buyer account records for one Perangkat Daerah/BUMD: made where that is chosen.
        e.push(FieldError::new(
            "role",
            "buyer_needs_organisation",
            "Akun pengadaan dibuat dari halaman Pengadaan daerah (/dinas/pengadaan), untuk satu \
             Perangkat Daerah/BUMD.",
        ));
        return Err(e.into());
    }
    match role {
        Role::Store => match store {
            None => e.push(FieldError::new(
                "store_id",
                "required",
                "Akun manajer toko harus terhubung ke satu gerai.",
            )),
            Some(s) => {
                if chain.as_ref().is_some_and(|c| Some(c.id) != s.chain_id) {
                    e.push(FieldError::new(
                        "chain_id",
                        "not_store_chain",
                        "Jaringan harus sama dengan jaringan gerai yang dipilih.",
                    ));
                }
                return e.into_result((s.chain_id, Some(s.id))).map_err(Into::into);
            }
        },
        Role::Chain => {
            if store.is_some() {
                e.push(FieldError::new(
                    "store_id",
                    "not_applicable",
                    "Akun kantor jaringan tidak terhubung ke satu gerai; kosongkan gerai.",
                ));
            }
            match chain {
                None => e.push(FieldError::new(
                    "chain_id",
                    "required",
                    "Akun kantor jaringan harus terhubung ke satu jaringan.",
                )),
                Some(c) => return e.into_result((Some(c.id), None)).map_err(Into::into),
            }
        }
        _ => {
            if chain.is_some() {
                e.push(FieldError::new(
                    "chain_id",
                    "not_applicable",
                    "Hanya akun toko dan kantor jaringan yang terhubung ke jaringan.",
                ));
            }
            if store.is_some() {
                e.push(FieldError::new(
                    "store_id",
                    "not_applicable",
                    "Hanya akun manajer toko yang terhubung ke gerai.",
                ));
            }
        }
    }
    e.into_result((None, None)).map_err(Into::into)
}

/// Creates an account of `role` linked to its chain/store (admin page, API and CLI).
pub async fn create_with_affiliation(
    state: &AppState,
    email: &str,
    password: &str,
    display_name: &str,
    role: Role,
    chain_id: Option<i64>,
    store_id: Option<i64>,
) -> AppResult<user::Model> {
    let (chain_id, store_id) = affiliation_for(state, role, chain_id, store_id).await?;
    let mut u = create_account(state, email, password, display_name, role).await?;
    if chain_id.is_some() || store_id.is_some() {
        users::set_affiliation(&state.db, u.id, chain_id, store_id).await?;
        u.chain_id = chain_id;
        u.store_id = store_id;
    }
    Ok(u)
}

/// Admin creates an account of any role (a store account for its store, a chain account for
/// its chain).
pub async fn create_by_admin(
    state: &AppState,
    actor: &CurrentUser,
    a: NewAccountWithRole,
) -> AppResult<user::Model> {
    actor.require(&[Role::Admin])?;
    let role = etalase_domain::code_enum::parse_choice::<Role>("role", "peran", &a.role)?;
    let u = create_with_affiliation(
        state,
        &a.email,
        &a.password,
        &a.display_name,
        role,
        a.chain_id,
        a.store_id,
    )
    .await?;
    etalase_db::repo::audit::record(
        &state.db,
        Some(actor.id),
        "user_create",
        "user",
        u.id,
        Some(role.as_str().to_string()),
        state.clock.now(),
    )
    .await?;
    Ok(u)
}

/// Checks the password and opens a session. One attempt is reserved for the account and one
/// for the client address *before* the password is verified (`auth::throttle`), so attempts
/// sent at once are counted like attempts sent one by one, on every instance.
pub async fn login(
    state: &AppState,
    email: &str,
    password_text: &str,
    client: &str,
    kind: SessionKind,
) -> AppResult<(user::Model, Issued)> {
    let email = email.trim().to_lowercase();
    let now = state.clock.now();
    let (account_key, address_key) =
        (throttle::account_key(&email), throttle::address_key("login", client));
    let address_policy = Policy::address(&state.config);
    throttle::reserve(state, &address_key, &address_policy).await?;
    throttle::reserve(state, &account_key, &Policy::account(&state.config)).await?;
    let found = users::find_by_email(&state.db, &email).await?;
    let hash = found
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| password::dummy_hash().to_string());
    let ok = password::verify(state, password_text.to_string(), hash).await?;
    match found {
        Some(u) if ok && !u.disabled => {
            throttle::clear(&state.db, &account_key).await?;
            throttle::give_back(&state.db, &address_key, &address_policy, now).await?;
            let issued = session::issue(state, u.id, kind).await?;
            Ok((u, issued))
        }
        // Told only to whoever knows the password.
        Some(u) if ok && u.disabled => {
            Err(AppError::Validation(ValidationErrors(vec![FieldError::new(
                "password",
                "account_disabled",
                "Akun ini dinonaktifkan oleh admin. Hubungi admin Etalase untuk mengaktifkannya \
                 kembali.",
            )])))
        }
        _ => Err(AppError::Validation(ValidationErrors(vec![FieldError::new(
            "password",
            "invalid_credentials",
            "Email atau kata sandi salah.",
        )]))),
    }
}

pub async fn logout(state: &AppState, user: &CurrentUser) -> AppResult<()> {
    etalase_db::repo::sessions::delete(&state.db, &user.token_hash).await?;
    Ok(())
}
