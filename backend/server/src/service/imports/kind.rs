//! What an import holds (businesses, products, stores) and who may import it: the Dinas and
//! admins everything; a chain office its own chain's stores (as when registering one store).

use etalase_domain::roles::Role;

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::state::AppState;

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    Businesses,
    Products,
    Stores,
}

impl ImportKind {
    pub const ALL: [ImportKind; 3] =
        [ImportKind::Businesses, ImportKind::Products, ImportKind::Stores];

    /// From the path segment or CLI word: `usaha`/`businesses`, `produk`/`products`,
    /// `gerai`/`stores`.
    pub fn parse(s: &str) -> AppResult<ImportKind> {
        match s {
            "usaha" | "businesses" => Ok(ImportKind::Businesses),
            "produk" | "products" => Ok(ImportKind::Products),
            "gerai" | "stores" => Ok(ImportKind::Stores),
            other => Err(AppError::bad_request(
                ErrorCode::InvalidParameter,
                format!("Jenis impor \"{other}\" tidak dikenal: pilih usaha, produk atau gerai."),
            )),
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            ImportKind::Businesses => "usaha",
            ImportKind::Products => "produk",
            ImportKind::Stores => "gerai",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ImportKind::Businesses => "Daftar usaha",
            ImportKind::Products => "Daftar produk",
            ImportKind::Stores => "Daftar gerai",
        }
    }

    /// Who may import this kind: the Dinas (and admins); stores also a chain office, for its
    /// own chain (as when registering one store).
    pub fn roles(self) -> &'static [Role] {
        match self {
            ImportKind::Businesses | ImportKind::Products => &[Role::Dinas, Role::Admin],
            ImportKind::Stores => &[Role::Dinas, Role::Admin, Role::Chain],
        }
    }

    /// The kinds `role` may import.
    pub fn for_role(role: Role) -> Vec<ImportKind> {
        ImportKind::ALL.into_iter().filter(|k| k.roles().contains(&role)).collect()
    }
}

/// Refuses unless `user` may import `kind`.
pub fn require_importer(user: &CurrentUser, kind: ImportKind) -> AppResult<()> {
    user.require(kind.roles())
}

/// Refuses unless `user` may import some kind (checked before a body is read).
pub fn require_any_importer(user: &CurrentUser) -> AppResult<()> {
    user.require(&[Role::Dinas, Role::Admin, Role::Chain])
}

/// Who an import is done by (the caller of a page or the API, or the CLI's `--officer`).
#[derive(Debug, Clone, Copy)]
pub struct Importer {
    pub id: i64,
    pub role: Role,
    /// A chain office's chain: the only one whose stores it imports.
    pub chain_id: Option<i64>,
}

impl Importer {
    /// Account `id` importing `kind`: refused when it is gone, disabled, or may not import it.
    pub async fn load(state: &AppState, id: i64, kind: ImportKind) -> AppResult<Importer> {
        let u = etalase_db::repo::users::find(&state.db, id)
            .await?
            .filter(|u| !u.disabled)
            .ok_or_else(|| AppError::Forbidden("Akun pengimpor tidak aktif.".into()))?;
        let who = Importer { id: u.id, role: u.role, chain_id: u.chain_id };
        who.require(kind)?;
        Ok(who)
    }

    pub(crate) fn require(&self, kind: ImportKind) -> AppResult<()> {
        if kind.roles().contains(&self.role) {
            return Ok(());
        }
        Err(AppError::Forbidden(format!("Akun ini tidak boleh mengimpor {}.", kind.label())))
    }
}

impl From<&CurrentUser> for Importer {
    fn from(u: &CurrentUser) -> Importer {
        Importer { id: u.id, role: u.role, chain_id: u.chain_id }
    }
}
