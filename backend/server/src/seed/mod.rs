//! `etalase seed-demo`: a believable catalog of Kota Serang — 300 producers over the six
//! kecamatan, about 1,500 products with a mix of complete and incomplete certificates — and
//! one login per role. Deterministic and idempotent: a second run changes nothing.

mod compliance;
mod data;
mod demo_photos;
mod generate;
mod pictures;
pub mod procurement;
mod retail;
mod standards;

use std::fmt::Write as _;

use etalase_db::repo::users;
use etalase_domain::roles::Role;

use crate::auth::password;
use crate::state::AppState;

pub const DEMO_PASSWORD: &str = "etalase-demo";
pub const DEMO_PRODUCERS: usize = 300;
pub const DEMO_PRODUCTS: usize = 1500;

/// The demo logins, one per role.
pub const DEMO_LOGINS: [(Role, &str, &str); 5] = [
    (Role::Admin, "admin@demo.etalase.id", "Admin Etalase"),
    (Role::Dinas, "dinas@demo.etalase.id", "Rina Marlina (Dinas KUKMPP)"),
    (Role::Umkm, "umkm@demo.etalase.id", "Siti Aminah"),
    (Role::Store, "toko@demo.etalase.id", "Manajer Mitra Swalayan Cipare"),
    (Role::Chain, "jaringan@demo.etalase.id", "Kantor Mitra Swalayan"),
];

/// Seeds when the demo is not there yet; prints the logins either way.
pub async fn seed_demo(state: &AppState) -> anyhow::Result<String> {
    let mut out = String::new();
    let first = DEMO_LOGINS[0].1;
    if users::find_by_email(&state.db, first).await?.is_some() {
        writeln!(out, "Data demo sudah ada; tidak ada yang diubah.")?;
    } else {
        let hash = tokio::task::spawn_blocking(|| password::hash_blocking(DEMO_PASSWORD)).await??;
        let summary = generate::generate(state, &hash).await?;
        writeln!(
            out,
            "Data demo dimuat: {} pelaku UMKM, {} produk ({} tayang), {} sertifikat.",
            summary.producers, summary.products, summary.published, summary.certificates
        )?;
    }
    writeln!(out, "{}", retail::seed(state).await?)?;
    writeln!(out, "{}", standards::seed(state).await?)?;
    writeln!(out, "{}", compliance::seed(state).await?)?;
    writeln!(out, "{}", procurement::seed(state).await?)?;
    writeln!(out, "\nAkun demo (kata sandi semua: {DEMO_PASSWORD}):")?;
    for (role, email, _) in DEMO_LOGINS {
        writeln!(out, "  {:<16} {}", role.label(), email)?;
    }
    writeln!(out, "  {:<16} {}", "Pengadaan daerah", procurement::BUYER_LOGIN)?;
    Ok(out)
}
