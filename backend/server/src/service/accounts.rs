//! Account upkeep: the signed-in user changes their password (every other session ends); the
//! admin edits an account and turns it off or on again (off ends every session and API token
//! at once, and login is refused); the unread count of the Kotak masuk.

use etalase_db::entities::user;
use etalase_db::repo::accounts::{self as repo, InboxOwner};
use etalase_db::repo::{audit, users};
use etalase_domain::error::{FieldError, ValidationErrors};
use etalase_domain::roles::Role;

use crate::auth::CurrentUser;
use crate::auth::password::{self, MIN_PASSWORD_LEN};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

const WHAT: &str = "Akun";

/// Unread entries of the caller's Kotak masuk: offers waiting for their answer and surat
/// teguran that arrived after they last opened it (see `repo::accounts::inbox_unread`).
pub async fn inbox_unread(state: &AppState, user: &CurrentUser) -> AppResult<u64> {
    if !matches!(user.role, Role::Store | Role::Chain | Role::Umkm) {
        return Ok(0);
    }
    let seen = users::find(&state.db, user.id).await?.and_then(|u| u.inbox_seen_at);
    let who = InboxOwner {
        role: user.role,
        user_id: user.id,
        chain_id: user.chain_id,
        store_id: user.store_id,
    };
    let notice_since = state.clock.now() - chrono::Duration::days(90);
    Ok(repo::inbox_unread(&state.db, &who, seen, notice_since).await?)
}

/// The caller has opened their Kotak masuk: what is there now is read.
pub async fn mark_inbox_seen(state: &AppState, user: &CurrentUser) -> AppResult<()> {
    Ok(repo::mark_inbox_seen(&state.db, user.id, state.clock.now()).await?)
}

/// Password change from the account page.
pub struct PasswordChange {
    pub current: String,
    pub new: String,
    pub confirm: String,
}

/// Checks the current password, sets the new one and ends every other session and API token
/// of the account (the one in use stays). Returns how many sessions ended.
pub async fn change_password(
    state: &AppState,
    user: &CurrentUser,
    c: PasswordChange,
) -> AppResult<u64> {
    let mut e = ValidationErrors::new();
    if c.current.is_empty() {
        e.push(FieldError::new("current_password", "required", "Isi kata sandi Anda sekarang."));
    }
    if c.new.chars().count() < MIN_PASSWORD_LEN {
        e.push(FieldError::new(
            "password",
            "too_short",
            format!("Kata sandi baru minimal {MIN_PASSWORD_LEN} karakter."),
        ));
    } else if c.new.len() > 256 {
        e.push(FieldError::new("password", "too_long", "Kata sandi maksimal 256 karakter."));
    } else if c.new != c.confirm {
        e.push(FieldError::new(
            "password_confirm",
            "mismatch",
            "Ulangi kata sandi baru yang sama.",
        ));
    }
    if !e.is_empty() {
        return Err(e.into());
    }
    let account = users::find(&state.db, user.id).await?.ok_or(AppError::Unauthorized)?;
    if !password::verify(state, c.current, account.password_hash).await? {
        return Err(FieldError::new(
            "current_password",
            "wrong_password",
            "Kata sandi sekarang salah.",
        )
        .into());
    }
    let hash = password::hash(state, c.new).await?;
    repo::set_password(&state.db, user.id, &hash).await?;
    let ended = repo::end_sessions(&state.db, user.id, Some(&user.token_hash)).await?;
    audit::record(
        &state.db,
        Some(user.id),
        "user_password",
        "user",
        user.id,
        Some(format!("{ended} sesi lain diakhiri")),
        state.clock.now(),
    )
    .await?;
    Ok(ended)
}

/// The admin's edit of an account.
pub struct AccountEdit {
    pub display_name: String,
    pub role: String,
    pub chain_id: Option<i64>,
    pub store_id: Option<i64>,
}

async fn target(state: &AppState, actor: &CurrentUser, id: i64) -> AppResult<user::Model> {
    actor.require(&[Role::Admin])?;
    users::find(&state.db, id).await?.ok_or(AppError::NotFound(WHAT))
}

/// One account, for the admin.
pub async fn account(state: &AppState, actor: &CurrentUser, id: i64) -> AppResult<user::Model> {
    target(state, actor, id).await
}

/// Changes the name, role and chain/store link of an account (admin only).
pub async fn update(
    state: &AppState,
    actor: &CurrentUser,
    id: i64,
    edit: AccountEdit,
) -> AppResult<user::Model> {
    let before = target(state, actor, id).await?;
    let role = etalase_domain::code_enum::parse_choice::<Role>("role", "peran", &edit.role)?;
    let name = edit.display_name.trim().to_string();
    if name.is_empty() {
        return Err(FieldError::new("display_name", "required", "Nama wajib diisi.").into());
    }
    if name.chars().count() > 120 {
        return Err(
            FieldError::new("display_name", "too_long", "Nama maksimal 120 karakter.").into()
        );
    }
    if id == actor.id && role != Role::Admin {
        return Err(FieldError::new(
            "role",
            "own_role",
            "Anda tidak bisa mencabut peran admin dari akun Anda sendiri.",
        )
        .into());
    }
    let (chain_id, store_id) =
        crate::service::users::affiliation_for(state, role, edit.chain_id, edit.store_id).await?;
    let u = repo::update_profile(&state.db, id, &name, role, chain_id, store_id).await?;
    let detail = if before.role == role {
        format!("nama/tautan: {name}")
    } else {
        format!("peran {} → {}", before.role.as_str(), role.as_str())
    };
    audit::record(
        &state.db,
        Some(actor.id),
        "user_update",
        "user",
        id,
        Some(detail),
        state.clock.now(),
    )
    .await?;
    Ok(u)
}

/// Turns an account off (`active == false`: every session and API token ends now and login
/// is refused) or on again (admin only; an admin cannot turn themself off).
pub async fn set_active(
    state: &AppState,
    actor: &CurrentUser,
    id: i64,
    active: bool,
) -> AppResult<user::Model> {
    let u = target(state, actor, id).await?;
    if !active && id == actor.id {
        return Err(AppError::conflict(
            crate::error::ErrorCode::InvalidTransition,
            "Anda tidak bisa menonaktifkan akun Anda sendiri.",
        ));
    }
    repo::set_disabled(&state.db, id, !active).await?;
    let ended = if active { 0 } else { repo::end_sessions(&state.db, id, None).await? };
    let (action, detail) = if active {
        ("user_enable", None)
    } else {
        ("user_disable", Some(format!("{ended} sesi/token diakhiri")))
    };
    audit::record(&state.db, Some(actor.id), action, "user", id, detail, state.clock.now()).await?;
    Ok(user::Model { disabled: !active, ..u })
}
