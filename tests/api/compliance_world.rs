//! A small retail world for the compliance tests, written straight into the database: chains
//! SM and MS, three stores, three producers with four products, and agreements chosen so that
//! under the policy (3 agreements, 4 products, 3 producers) SM-1 is patuh, SM-2 berisiko (one
//! agreement ends tomorrow) and MS-1 tidak patuh.

use chrono::{Duration, NaiveDate};
use etalase_db::entities::{agreement, chain, compliance_policy, producer, product, store};
use etalase_db::repo::{agreements, users};
use etalase_domain::agreement::{Scheme, Side};
use etalase_domain::roles::Role;
use etalase_domain::store::{ChainKind, StoreFormat};
use etalase_domain::{
    BusinessScale, ListingStatus, NetUnit, ProducerStatus, RiskLevel, StorageType,
};
use sea_orm::{ActiveModelTrait, ActiveValue::NotSet, Set};
use serde_json::json;

use crate::helpers::*;

pub struct World {
    pub dinas: Caller,
    pub sm_office: Caller,
    pub ms_office: Caller,
    /// SM-1 (patuh), SM-2 (berisiko), MS-1 (tidak patuh).
    pub stores: [i64; 3],
    pub products: Vec<i64>,
    /// Agreement ids per store.
    pub agreements: Vec<Vec<i64>>,
}

pub fn today() -> NaiveDate {
    etalase_domain::datefmt::date_wib(test_now())
}

async fn chain(app: &TestApp, code: &str, name: &str) -> i64 {
    chain::ActiveModel {
        id: NotSet,
        code: Set(code.into()),
        name: Set(name.into()),
        kind: Set(ChainKind::National),
        created_at: Set(test_now()),
    }
    .insert(&app.state.db)
    .await
    .unwrap()
    .id
}

async fn store(app: &TestApp, chain_id: i64, code: &str, kel: &str, kec: &str) -> i64 {
    let k = etalase_domain::wilayah::kota_serang().kelurahan_by_code(kel).unwrap();
    store::ActiveModel {
        id: NotSet,
        chain_id: Set(Some(chain_id)),
        code: Set(code.into()),
        name: Set(format!("Gerai {code}")),
        format: Set(StoreFormat::Minimarket),
        address: Set("Jl. Uji No. 1".into()),
        kelurahan_code: Set(kel.into()),
        kecamatan_code: Set(kec.into()),
        lat: Set(k.lat),
        lon: Set(k.lon),
        local_facings: Set(10),
        version: Set(1),
        created_at: Set(test_now()),
        updated_at: Set(test_now()),
    }
    .insert(&app.state.db)
    .await
    .unwrap()
    .id
}

async fn producer(app: &TestApp, i: usize) -> i64 {
    let owner = users::create(
        &app.state.db,
        users::NewUser {
            email: &format!("p{i}-{}@uji.etalase.id", random_nib()),
            password_hash: "x",
            role: Role::Umkm,
            display_name: "UMKM",
        },
        test_now(),
    )
    .await
    .unwrap();
    producer::ActiveModel {
        id: NotSet,
        owner_user_id: Set(Some(owner.id)),
        name: Set(format!("UMKM Uji {i}")),
        owner_name: Set("Pemilik".into()),
        nib: Set(Some(random_nib())),
        scale: Set(BusinessScale::Mikro),
        capital_range: Set(None),
        sales_range: Set(None),
        risk_level: Set(RiskLevel::Rendah),
        address: Set("Jl. Uji".into()),
        kelurahan_code: Set("36.73.06.1001".into()),
        kecamatan_code: Set("36.73.06".into()),
        lat: Set(-6.12),
        lon: Set(106.12),
        phone: Set(None),
        whatsapp: Set(None),
        status: Set(ProducerStatus::Verified),
        status_reason: Set(None),
        reviewed_by: Set(None),
        reviewed_at: Set(None),
        version: Set(1),
        external_id: Set(None),
        companion_user_id: Set(None),
        created_at: Set(test_now()),
        updated_at: Set(test_now()),
    }
    .insert(&app.state.db)
    .await
    .unwrap()
    .id
}

async fn product(app: &TestApp, producer_id: i64, name: &str) -> i64 {
    product::ActiveModel {
        id: NotSet,
        producer_id: Set(producer_id),
        name: Set(name.into()),
        category: Set("makanan_ringan".into()),
        description: Set("Produk uji".into()),
        brand: Set(None),
        gtin: Set(None),
        net_content: Set(Some(250)),
        net_unit: Set(Some(NetUnit::G)),
        pack_size: Set(None),
        packaging: Set(None),
        shelf_life_days: Set(Some(180)),
        storage: Set(StorageType::Ambient),
        wholesale_price: Set(Some(20_000)),
        retail_price: Set(Some(25_000)),
        min_order: Set(None),
        monthly_capacity: Set(None),
        status: Set(ListingStatus::Published),
        status_reason: Set(None),
        version: Set(1),
        external_id: Set(None),
        created_at: Set(test_now()),
        updated_at: Set(test_now()),
        submitted_at: Set(None),
        published_at: Set(Some(test_now())),
    }
    .insert(&app.state.db)
    .await
    .unwrap()
    .id
}

/// Inserts an agreement with `products`, running from 60 days ago for `days_left` more days.
pub async fn agreement(
    app: &TestApp,
    store_id: i64,
    producer_id: i64,
    products: &[i64],
    status: &str,
    days_left: i64,
) -> i64 {
    let a = agreements::insert(
        &app.state.db,
        agreement::ActiveModel {
            id: NotSet,
            store_id: Set(store_id),
            producer_id: Set(producer_id),
            status: Set(status.parse().unwrap()),
            initiated_by: Set(Side::Store),
            offer_by: Set(Side::Store),
            scheme: Set(Scheme::BeliPutus),
            store_margin_percent: Set(None),
            payment_term_days: Set(30),
            start_date: Set(today() - Duration::days(60)),
            end_date: Set(today() + Duration::days(days_left)),
            delivery_schedule: Set("Senin".into()),
            listing_fee: Set(None),
            flags: Set("[]".into()),
            status_reason: Set(None),
            standard_version_id: Set(None),
            created_by: Set(None),
            version: Set(1),
            created_at: Set(test_now()),
            updated_at: Set(test_now()),
            accepted_at: Set(Some(test_now())),
        },
    )
    .await
    .unwrap();
    let lines: Vec<(i64, i64, i64)> = products.iter().map(|p| (*p, 20_000, 2)).collect();
    agreements::replace_items(&app.state.db, a.id, &lines).await.unwrap();
    a.id
}

/// A policy stored directly (the API refuses past effective dates).
pub async fn policy_from(app: &TestApp, from: NaiveDate, n: i64, m: i64, k: i64) {
    compliance_policy::ActiveModel {
        id: NotSet,
        min_agreements: Set(n),
        min_products: Set(m),
        min_producers: Set(k),
        effective_from: Set(from),
        note: Set(None),
        created_by: Set(None),
        created_at: Set(test_now()),
    }
    .insert(&app.state.db)
    .await
    .unwrap();
}

async fn office(app: &TestApp, chain_id: i64) -> Caller {
    let c = app.user(Role::Chain).await;
    users::set_affiliation(&app.state.db, c.user_id, Some(chain_id), None).await.unwrap();
    c
}

/// The world, with the policy (3, 4, 3) set by the Dinas through the API, effective today.
pub async fn world(app: &TestApp) -> World {
    let sm = chain(app, "SM", "Serang Mart").await;
    let ms = chain(app, "MS", "Mitra Swalayan").await;
    let s1 = store(app, sm, "SM-1", "36.73.01.1001", "36.73.01").await;
    let s2 = store(app, sm, "SM-2", "36.73.06.1001", "36.73.06").await;
    let s3 = store(app, ms, "MS-1", "36.73.01.1001", "36.73.01").await;
    let mut producers = Vec::new();
    for i in 0..3 {
        producers.push(producer(app, i).await);
    }
    let p = vec![
        product(app, producers[0], "Emping melinjo 250 g").await,
        product(app, producers[1], "Sate bandeng").await,
        product(app, producers[1], "Otak-otak bandeng").await,
        product(app, producers[2], "Kopi robusta Banten").await,
    ];
    let a1 = vec![
        agreement(app, s1, producers[0], &[p[0]], "active", 200).await,
        agreement(app, s1, producers[1], &[p[1], p[2]], "active", 200).await,
        agreement(app, s1, producers[2], &[p[3]], "active", 200).await,
        agreement(app, s1, producers[2], &[p[3]], "proposed", 200).await,
    ];
    let a2 = vec![
        agreement(app, s2, producers[0], &[p[0]], "active", 1).await,
        agreement(app, s2, producers[1], &[p[1], p[2]], "active", 200).await,
        agreement(app, s2, producers[2], &[p[3]], "active", 200).await,
    ];
    let a3 = vec![
        agreement(app, s3, producers[0], &[p[0]], "active", 200).await,
        agreement(app, s3, producers[1], &[p[1]], "suspended", 200).await,
    ];
    let dinas = app.user(Role::Dinas).await;
    let r = app.post("/api/v1/compliance/policies", Some(&dinas.token), json!({"min_agreements": 3, "min_products": 4, "min_producers": 3, "effective_from": today()})).await;
    assert_eq!(r.status(), 201);
    World {
        sm_office: office(app, sm).await,
        ms_office: office(app, ms).await,
        dinas,
        stores: [s1, s2, s3],
        products: p,
        agreements: vec![a1, a2, a3],
    }
}
