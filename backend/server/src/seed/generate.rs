//! The generator behind `seed-demo`: deterministic (fixed RNG seed), in one transaction.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use etalase_db::entities::{certificate, producer, product};
use etalase_db::repo::users::{self, NewUser};
use etalase_domain::identifiers::gtin_check_digit;
use etalase_domain::lifecycle::ListingStatus;
use etalase_domain::producer::{BusinessScale, ProducerStatus, band_ranges};
use etalase_domain::roles::Role;
use etalase_domain::wilayah::{Kelurahan, kota_serang};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use sea_orm::{ActiveModelTrait, DatabaseTransaction, EntityTrait, QuerySelect, Set};

use super::data::{self, Template};
use super::demo_photos::{demo_photos, insert_photo};
use super::{DEMO_LOGINS, DEMO_PRODUCERS, DEMO_PRODUCTS};
use crate::state::AppState;

pub struct Summary {
    pub producers: usize,
    pub products: usize,
    pub published: usize,
    pub certificates: usize,
}

const SCALES: [(&str, f64); 3] = [("mikro", 0.8), ("kecil", 0.17), ("menengah", 0.03)];
const RISKS: [(&str, f64); 4] =
    [("rendah", 0.55), ("menengah_rendah", 0.35), ("menengah_tinggi", 0.09), ("tinggi", 0.01)];

fn weighted<'a>(rng: &mut StdRng, items: &[(&'a str, f64)]) -> &'a str {
    let mut x: f64 = rng.gen_range(0.0..1.0);
    for (v, w) in items {
        if x < *w {
            return v;
        }
        x -= w;
    }
    items.last().map(|i| i.0).unwrap_or("")
}

fn digits(rng: &mut StdRng, n: usize) -> String {
    (0..n).map(|_| char::from(b'0' + rng.gen_range(0..10u8))).collect()
}

fn jitter(rng: &mut StdRng, kel: &Kelurahan) -> (f64, f64) {
    let w = kota_serang();
    for _ in 0..8 {
        let lat = kel.lat + rng.gen_range(-0.004..0.004);
        let lon = kel.lon + rng.gen_range(-0.004..0.004);
        if w.contains(lat, lon) {
            return (lat, lon);
        }
    }
    (kel.lat, kel.lon)
}

fn business_name(
    rng: &mut StdRng,
    c: &data::Catalog,
    owner: &str,
    place: &str,
    t: &Template,
) -> String {
    let pattern = c.business_patterns.choose(rng).map(String::as_str).unwrap_or("Dapur {owner}");
    let word = t.business_words.choose(rng).map(String::as_str).unwrap_or("Rasa");
    pattern.replace("{owner}", owner).replace("{place}", place).replace("{product_word}", word)
}

fn product_status(rng: &mut StdRng, producer_verified: bool) -> ListingStatus {
    if !producer_verified {
        return if rng.gen_bool(0.5) { ListingStatus::Draft } else { ListingStatus::Submitted };
    }
    match rng.gen_range(0..100) {
        0..=71 => ListingStatus::Published,
        72..=81 => ListingStatus::Submitted,
        82..=90 => ListingStatus::Draft,
        91..=95 => ListingStatus::Rejected,
        _ => ListingStatus::Archived,
    }
}

const REJECT_REASONS: [&str; 4] = [
    "Foto kemasan belum menunjukkan label komposisi dan tanggal kedaluwarsa.",
    "Nomor P-IRT tidak cocok dengan nama produk. Unggah dokumen SPP-IRT yang benar.",
    "Harga eceran belum diisi. Lengkapi harga agar toko bisa menghitung margin.",
    "Berat bersih pada deskripsi berbeda dengan yang tertulis di label.",
];

struct Gen<'a> {
    rng: StdRng,
    txn: &'a DatabaseTransaction,
    now: chrono::DateTime<chrono::Utc>,
    today: NaiveDate,
    certificates: usize,
}

impl Gen<'_> {
    async fn certificates_for(
        &mut self,
        t: &Template,
        product_id: i64,
        producer_no: usize,
        checked: Option<chrono::DateTime<chrono::Utc>>,
    ) -> anyhow::Result<()> {
        let mut certs: Vec<(&str, String, Option<NaiveDate>, Option<NaiveDate>)> = Vec::new();
        if t.needs_food_permit {
            if t.storage != "ambient" {
                if self.rng.gen_bool(0.6) {
                    let issued = self.today - Duration::days(self.rng.gen_range(60..1600));
                    let expires = issued + Duration::days(5 * 365);
                    certs.push((
                        "bpom_md",
                        format!("MD {}", digits(&mut self.rng, 12)),
                        Some(issued),
                        Some(expires),
                    ));
                }
            } else if self.rng.gen_bool(0.8) {
                let yy: i32 =
                    *[24, 25, 26, 27, 28, 29, 30, 30, 29, 28].choose(&mut self.rng).unwrap_or(&28);
                let number = format!(
                    "{}{:02}3673{:02}{:04}-{:02}",
                    self.rng.gen_range(1..=5),
                    self.rng.gen_range(1..=16),
                    self.rng.gen_range(1..=99),
                    (producer_no + 1) % 10_000,
                    yy
                );
                let issued = NaiveDate::from_ymd_opt(
                    2000 + yy - 5,
                    self.rng.gen_range(1..=12),
                    self.rng.gen_range(1..=28),
                );
                let expires = NaiveDate::from_ymd_opt(2000 + yy, 12, 31);
                certs.push(("pirt", number, issued, expires));
            }
            if self.rng.gen_bool(0.55) {
                let issued = self.today - Duration::days(self.rng.gen_range(30..1900));
                let expires = issued + Duration::days(4 * 365);
                certs.push((
                    "halal",
                    format!("ID36{}", digits(&mut self.rng, 12)),
                    Some(issued),
                    Some(expires),
                ));
            }
        }
        for (kind, number, issued, expires) in certs {
            certificate::ActiveModel {
                product_id: Set(product_id),
                kind: Set(kind.parse()?),
                number: Set(number),
                issuer: Set(Some(
                    match kind {
                        "pirt" => "Dinas Kesehatan Kota Serang",
                        "bpom_md" => "Badan POM RI",
                        _ => "BPJPH Kementerian Agama",
                    }
                    .to_string(),
                )),
                issued_on: Set(issued),
                expires_on: Set(expires),
                document_key: Set(None),
                document_type: Set(None),
                document_name: Set(None),
                created_at: Set(self.now),
                checked_at: Set(checked),
                ..Default::default()
            }
            .insert(self.txn)
            .await?;
            self.certificates += 1;
        }
        Ok(())
    }

    fn gtin(&mut self) -> Option<String> {
        let payload = format!("899{}", digits(&mut self.rng, 9));
        gtin_check_digit(&payload).map(|d| format!("{payload}{d}"))
    }
}

pub async fn generate(state: &AppState, hash: &str) -> anyhow::Result<Summary> {
    let c = data::catalog()?;
    let (photos_good, photos_dim) = demo_photos(state, &c).await?;
    let w = kota_serang();
    let txn = etalase_db::begin_write(&state.db).await?;
    let now = state.clock.now();
    let mut g = Gen {
        rng: StdRng::seed_from_u64(74_2023),
        txn: &txn,
        now,
        today: state.clock.today_wib(),
        certificates: 0,
    };
    let mut account = HashMap::new();
    for (role, email, name) in DEMO_LOGINS {
        let u = users::create(
            &txn,
            NewUser { email, password_hash: hash, role, display_name: name },
            now,
        )
        .await?;
        account.insert(role, u.id);
    }
    let dinas = account.get(&Role::Dinas).copied();
    let kelurahan = w.kelurahan();
    let (mut products, mut published) = (0usize, 0usize);
    for i in 0..DEMO_PRODUCERS {
        let Some(kel) = kelurahan.get(i % kelurahan.len()) else { break };
        let local: Vec<&Template> =
            c.templates.iter().filter(|t| t.kecamatan_bias.contains(&kel.kecamatan_code)).collect();
        let primary = if !local.is_empty() && g.rng.gen_bool(0.5) {
            local.choose(&mut g.rng).copied()
        } else {
            c.templates.choose(&mut g.rng)
        };
        let Some(primary) = primary else { break };
        let first = c.owner_first_names.choose(&mut g.rng).cloned().unwrap_or_default();
        let last = c.owner_last_names.choose(&mut g.rng).cloned().unwrap_or_default();
        let owner_id = match (i, account.get(&Role::Umkm)) {
            (0, Some(id)) => *id,
            _ => {
                let email = format!("umkm{:03}@demo.etalase.id", i);
                let name = format!("{first} {last}");
                users::create(
                    &txn,
                    NewUser {
                        email: &email,
                        password_hash: hash,
                        role: Role::Umkm,
                        display_name: &name,
                    },
                    now,
                )
                .await?
                .id
            }
        };
        let status = match (i, g.rng.gen_range(0..100)) {
            (0, _) | (_, 0..=81) => ProducerStatus::Verified,
            (_, 82..=93) => ProducerStatus::Registered,
            _ => ProducerStatus::Rejected,
        };
        let (lat, lon) = jitter(&mut g.rng, kel);
        let created = now - Duration::days(g.rng.gen_range(60..700));
        let street = c.streets.choose(&mut g.rng).cloned().unwrap_or_default();
        let wa = format!("+628{}", digits(&mut g.rng, 10));
        let scale: BusinessScale = weighted(&mut g.rng, &SCALES).parse()?;
        let (capital, sales) = band_ranges(scale);
        let p = producer::ActiveModel {
            owner_user_id: Set(Some(owner_id)),
            name: Set(business_name(&mut g.rng, &c, &first, &kel.name, primary)),
            owner_name: Set(format!("{first} {last}")),
            nib: Set(Some(format!("9990{:09}", i + 1))),
            scale: Set(scale),
            capital_range: Set(Some(capital)),
            sales_range: Set(Some(sales)),
            risk_level: Set(weighted(&mut g.rng, &RISKS).parse()?),
            address: Set(format!("{street} No. {}, {}", g.rng.gen_range(1..200), kel.name)),
            kelurahan_code: Set(kel.code.clone()),
            kecamatan_code: Set(kel.kecamatan_code.clone()),
            lat: Set(lat),
            lon: Set(lon),
            phone: Set(None),
            whatsapp: Set(Some(wa)),
            status: Set(status),
            status_reason: Set((status == ProducerStatus::Rejected).then(|| {
                "NIB tidak ditemukan di OSS. Periksa kembali 13 digit NIB Anda.".to_string()
            })),
            reviewed_by: Set((status != ProducerStatus::Registered).then_some(dinas).flatten()),
            reviewed_at: Set(
                (status != ProducerStatus::Registered).then_some(created + Duration::days(3))
            ),
            version: Set(1),
            created_at: Set(created),
            updated_at: Set(created),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let remaining_producers = DEMO_PRODUCERS - i;
        let target = DEMO_PRODUCTS.saturating_sub(products).div_ceil(remaining_producers);
        let n =
            if i == 0 { 6 } else { (target as i64 + g.rng.gen_range(-2..=2)).clamp(1, 9) as usize };
        let n = if remaining_producers == 1 {
            DEMO_PRODUCTS.saturating_sub(products).max(1)
        } else {
            n
        };
        let same_category: Vec<&Template> =
            c.templates.iter().filter(|t| t.category == primary.category).collect();
        for j in 0..n {
            let t = if j == 0 || g.rng.gen_bool(0.6) {
                primary
            } else {
                same_category.choose(&mut g.rng).copied().unwrap_or(primary)
            };
            let variant =
                t.variants.choose(&mut g.rng).map(|v| format!(" {v}")).unwrap_or_default();
            let Some(size) = t.sizes.choose(&mut g.rng) else { continue };
            let st = if i == 0 {
                [
                    ListingStatus::Published,
                    ListingStatus::Published,
                    ListingStatus::Submitted,
                    ListingStatus::Draft,
                    ListingStatus::Rejected,
                    ListingStatus::Published,
                ][j % 6]
            } else {
                product_status(&mut g.rng, status == ProducerStatus::Verified)
            };
            let made = created + Duration::days(g.rng.gen_range(1..50));
            let wholesale =
                ((size.retail_price as f64 * t.wholesale_ratio) / 100.0).round() as i64 * 100;
            let gtin = if g.rng.gen_bool(0.3) { g.gtin() } else { None };
            let (lo, hi) = (t.capacity_range[0], t.capacity_range[1].max(t.capacity_range[0] + 1));
            let pr = product::ActiveModel {
                producer_id: Set(p.id),
                name: Set(format!("{}{variant}", t.name)),
                category: Set(t.category.clone()),
                description: Set(t.description.clone()),
                brand: Set(None),
                gtin: Set(gtin),
                net_content: Set(Some(size.net_content)),
                net_unit: Set(Some(size.net_unit.parse()?)),
                pack_size: Set(Some(t.net_units_in_pack)),
                packaging: Set(t.packaging.choose(&mut g.rng).map(|p| p.parse()).transpose()?),
                shelf_life_days: Set(t.shelf_life_days),
                storage: Set(t.storage.parse()?),
                wholesale_price: Set(Some(wholesale)),
                retail_price: Set(Some(size.retail_price)),
                min_order: Set(Some(*[6, 10, 12, 20, 24].choose(&mut g.rng).unwrap_or(&10))),
                monthly_capacity: Set(Some(g.rng.gen_range(lo..hi) / 10 * 10)),
                status: Set(st),
                status_reason: Set((st == ListingStatus::Rejected).then(|| {
                    REJECT_REASONS.choose(&mut g.rng).copied().unwrap_or_default().to_string()
                })),
                version: Set(1),
                created_at: Set(made),
                updated_at: Set(made),
                submitted_at: Set((st != ListingStatus::Draft).then_some(made + Duration::days(1))),
                published_at: Set(matches!(st, ListingStatus::Published | ListingStatus::Archived)
                    .then_some(made + Duration::days(4))),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            // Certificates of published listings were checked by the officer who published them.
            let checked = matches!(st, ListingStatus::Published | ListingStatus::Archived)
                .then_some(made + Duration::days(4));
            g.certificates_for(t, pr.id, i, checked).await?;
            let ti = c.templates.iter().position(|x| std::ptr::eq(x, t)).unwrap_or(0);
            if g.rng.gen_bool(0.88) {
                let dim = photos_dim
                    .get(ti)
                    .and_then(Option::as_ref)
                    .filter(|_| st != ListingStatus::Published && g.rng.gen_bool(0.5));
                if let Some(d) = dim.or(photos_good.get(ti)) {
                    insert_photo(
                        &txn,
                        pr.id,
                        d,
                        &format!("Kemasan {}", t.name.to_lowercase()),
                        now,
                    )
                    .await?;
                }
            }
            products += 1;
            if st == ListingStatus::Published {
                published += 1;
            }
        }
    }
    let certificates = g.certificates;
    // Every product goes through the search outbox like any other change.
    let all: Vec<i64> = product::Entity::find()
        .select_only()
        .column(product::Column::Id)
        .into_tuple::<i64>()
        .all(&txn)
        .await?;
    // Their evaluations come with the demo standards (`seed::standards`), which queue again.
    etalase_db::repo::outbox::enqueue(&txn, &all, now, false).await?;
    txn.commit().await?;
    Ok(Summary { producers: DEMO_PRODUCERS, products, published, certificates })
}
