//! Demo government demand (Pasal 11): two fictional buyers — "Dinas Pendidikan Kota Serang
//! (contoh)" (a Perangkat Daerah, with the demo login `pengadaan@demo.etalase.id`) and
//! "Perumda Pasar Kota Serang (contoh)" (a BUMD) — with this year's budget and purchases over
//! the last five months: meeting food, office furniture and souvenirs from catalog UMKM and
//! other suppliers, so some months meet the 40% target and some do not. Idempotent: skipped
//! when the first buyer exists.

use chrono::{Datelike, Duration};
use etalase_db::entities::{procurement_buyer, procurement_purchase};
use etalase_db::repo::{PageReq, procurement as repo, producers, users};
use etalase_domain::procurement::{BuyerKind, PurchaseCategory};
use etalase_domain::producer::ProducerStatus;
use etalase_domain::roles::Role;
use sea_orm::{ActiveValue::NotSet, Set};

use crate::state::AppState;

pub const BUYER_LOGIN: &str = "pengadaan@demo.etalase.id";
const EDUCATION: &str = "Dinas Pendidikan Kota Serang (contoh)";
const MARKET: &str = "Perumda Pasar Kota Serang (contoh)";

/// (days back, value, description, category, catalog index or supplier, local UMKM)
type Row = (i64, i64, &'static str, PurchaseCategory, Result<usize, &'static str>, bool);

fn education() -> Vec<Row> {
    use PurchaseCategory::*;
    vec![
        (140, 4_500_000, "Nasi kotak rapat kerja kepala sekolah", MakananRapat, Ok(0), true),
        (
            135,
            12_000_000,
            "Kertas dan alat tulis kantor",
            Lainnya,
            Err("CV Sumber Kertas Nusantara"),
            false,
        ),
        (120, 2_750_000, "Kue dan kopi sosialisasi kurikulum", MakananRapat, Ok(1), true),
        (
            100,
            18_500_000,
            "Meja dan kursi ruang guru (mebel jati lokal)",
            MebelKantor,
            Err("Mebel Jati Kasemen"),
            true,
        ),
        (95, 9_000_000, "Sewa sound system wisuda", Lainnya, Err("PT Suara Prima"), false),
        (70, 3_200_000, "Cenderamata batik untuk tamu dinas", Cenderamata, Ok(2), true),
        (60, 21_000_000, "Laptop operator sekolah", Lainnya, Err("PT Komputer Mandiri"), false),
        (40, 5_600_000, "Snack pelatihan guru", MakananRapat, Ok(0), true),
        (
            38,
            1_900_000,
            "Anyaman bambu dekorasi aula",
            MebelKantor,
            Err("Perajin Anyaman Walantaka"),
            true,
        ),
        (12, 7_400_000, "Konsumsi lomba siswa", MakananRapat, Err("Katering Bu Imas"), true),
        (10, 6_000_000, "Cetak rapor", Lainnya, Err("Percetakan Serang Jaya"), false),
    ]
}

fn market() -> Vec<Row> {
    use PurchaseCategory::*;
    vec![
        (130, 3_000_000, "Konsumsi rapat direksi", MakananRapat, Ok(1), true),
        (110, 25_000_000, "Perbaikan atap los pasar", Lainnya, Err("CV Bangun Karya"), false),
        (75, 4_000_000, "Suvenir emping untuk tamu daerah", Cenderamata, Ok(0), true),
        (45, 8_000_000, "Seragam petugas pasar (batik Serang)", Lainnya, Ok(2), true),
        (20, 15_000_000, "Cat dan alat kebersihan", Lainnya, Err("Toko Bangunan Sentosa"), false),
    ]
}

/// Seeds the procurement demo; returns a summary line.
pub async fn seed(state: &AppState) -> anyhow::Result<String> {
    if repo::find_buyer_by_name(&state.db, EDUCATION).await?.is_some() {
        return Ok("Data pengadaan demo sudah ada.".into());
    }
    let now = state.clock.now();
    let today = state.clock.today_wib();
    let f =
        producers::ProducerFilter { status: Some(ProducerStatus::Verified), ..Default::default() };
    let catalog = producers::list(&state.db, &f, PageReq::new(1, 3)).await?.items;
    let admin = users::find_by_email(&state.db, super::DEMO_LOGINS[1].1).await?.map(|u| u.id);
    let txn = etalase_db::begin_write(&state.db).await?;
    let mut count = 0;
    for (name, kind, budget, rows) in [
        (EDUCATION, BuyerKind::PerangkatDaerah, 350_000_000i64, education()),
        (MARKET, BuyerKind::Bumd, 120_000_000, market()),
    ] {
        let b = repo::insert_buyer(
            &txn,
            procurement_buyer::ActiveModel {
                id: NotSet,
                name: Set(name.into()),
                kind: Set(kind),
                created_by: Set(admin),
                created_at: Set(now),
            },
        )
        .await?;
        repo::set_budget(&txn, b.id, today.year(), budget, admin.unwrap_or(0), now).await?;
        for (back, value, what, category, supplier, local) in rows {
            let date = today - Duration::days(back);
            let (producer_id, supplier_name, local) = match supplier {
                Ok(i) => match catalog.get(i) {
                    Some(p) => (Some(p.id), p.name.clone(), true),
                    None => (None, "UMKM Serang (contoh)".to_string(), local),
                },
                Err(n) => (None, n.to_string(), local),
            };
            repo::insert_purchase(
                &txn,
                procurement_purchase::ActiveModel {
                    id: NotSet,
                    buyer_id: Set(b.id),
                    purchase_date: Set(date),
                    value: Set(value),
                    description: Set(what.into()),
                    category: Set(category),
                    producer_id: Set(producer_id),
                    supplier_name: Set(supplier_name),
                    local_umkm: Set(local),
                    created_by: Set(None),
                    created_at: Set(now),
                    updated_at: Set(now),
                },
            )
            .await?;
            count += 1;
        }
    }
    txn.commit().await?;
    let u = crate::service::users::create_account(
        state,
        BUYER_LOGIN,
        super::DEMO_PASSWORD,
        "Pejabat Pengadaan Disdik (contoh)",
        Role::Buyer,
    )
    .await?;
    let education = repo::find_buyer_by_name(&state.db, EDUCATION).await?;
    if let Some(b) = education {
        repo::link_user(&state.db, u.id, b.id).await?;
    }
    Ok(format!(
        "Data pengadaan demo dimuat: 2 pembeli (Perangkat Daerah dan BUMD), {count} catatan belanja."
    ))
}
