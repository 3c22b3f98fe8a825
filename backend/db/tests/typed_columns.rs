//! The storage boundary speaks the domain's types: codes round-trip as enums, an unknown code
//! in a row is an error (never a default), and the one versioned update guards every write.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeZone, Utc};
use etalase_db::entities::{producer, product};
use etalase_db::repo::products::{self, ProductFilter};
use etalase_db::repo::{PageReq, Versioned, producers, users, versioned};
use etalase_db::{DatabaseConnection, DbErr};
use etalase_domain::{
    BusinessScale, ListingStatus, NetUnit, Packaging, ProducerStatus, RiskLevel, Role, StorageType,
};
use sea_orm::{ActiveValue::NotSet, ConnectionTrait, Set, Statement};

type TestResult = Result<(), Box<dyn std::error::Error>>;

struct Db {
    conn: DatabaseConnection,
    _dir: tempfile::TempDir,
}

async fn database() -> Result<Db, Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("typed.db").display());
    let conn = etalase_db::connect(&url).await?;
    etalase_db::migrate(&conn).await?;
    Ok(Db { conn, _dir: dir })
}

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 2, 3, 0, 0).unwrap()
}

/// A user, a producer and one draft product with every typed column set; the product's id.
async fn one_product(db: &DatabaseConnection) -> Result<i64, DbErr> {
    let u = users::create(
        db,
        users::NewUser {
            email: "umkm@test.id",
            password_hash: "x",
            role: Role::Umkm,
            display_name: "Ibu Sari",
        },
        now(),
    )
    .await?;
    let p = producers::insert(
        db,
        producer::ActiveModel {
            id: NotSet,
            owner_user_id: Set(Some(u.id)),
            name: Set("Keripik Sari".into()),
            owner_name: Set("Sari".into()),
            nib: Set(Some("9990000000001".into())),
            scale: Set(BusinessScale::Kecil),
            capital_range: Set(None),
            sales_range: Set(None),
            risk_level: Set(RiskLevel::MenengahRendah),
            address: Set("Jl. Raya 1".into()),
            kelurahan_code: Set("36.73.01.1001".into()),
            kecamatan_code: Set("36.73.01".into()),
            lat: Set(-6.12),
            lon: Set(106.15),
            phone: Set(None),
            whatsapp: Set(None),
            status: Set(ProducerStatus::Verified),
            status_reason: Set(None),
            reviewed_by: Set(None),
            reviewed_at: Set(None),
            version: Set(1),
            external_id: Set(None),
            companion_user_id: Set(None),
            created_at: Set(now()),
            updated_at: Set(now()),
        },
    )
    .await?;
    let m = products::insert(
        db,
        product::ActiveModel {
            id: NotSet,
            producer_id: Set(p.id),
            name: Set("Keripik singkong".into()),
            category: Set("makanan-ringan".into()),
            description: Set("Renyah".into()),
            brand: Set(None),
            gtin: Set(None),
            net_content: Set(Some(250)),
            net_unit: Set(Some(NetUnit::G)),
            pack_size: Set(Some(1)),
            packaging: Set(Some(Packaging::StandingPouch)),
            shelf_life_days: Set(Some(90)),
            storage: Set(StorageType::Ambient),
            wholesale_price: Set(None),
            retail_price: Set(Some(15_000)),
            min_order: Set(None),
            monthly_capacity: Set(None),
            status: Set(ListingStatus::Draft),
            status_reason: Set(None),
            version: Set(1),
            external_id: Set(None),
            created_at: Set(now()),
            updated_at: Set(now()),
            submitted_at: Set(None),
            published_at: Set(None),
        },
    )
    .await?;
    Ok(m.id)
}

async fn exec(db: &DatabaseConnection, sql: &str) -> Result<(), DbErr> {
    db.execute_raw(Statement::from_string(db.get_database_backend(), sql)).await?;
    Ok(())
}

#[tokio::test]
async fn typed_columns_round_trip() -> TestResult {
    let db = database().await?;
    let id = one_product(&db.conn).await?;

    let m = products::find(&db.conn, id).await?.ok_or("product missing")?;
    assert_eq!(m.status, ListingStatus::Draft);
    assert_eq!(m.net_unit, Some(NetUnit::G));
    assert_eq!(m.packaging, Some(Packaging::StandingPouch));
    assert_eq!(m.storage, StorageType::Ambient);
    let p = producers::find(&db.conn, m.producer_id).await?.ok_or("producer missing")?;
    assert_eq!(
        (p.scale, p.risk_level, p.status),
        (BusinessScale::Kecil, RiskLevel::MenengahRendah, ProducerStatus::Verified)
    );
    let u =
        users::find(&db.conn, p.owner_user_id.ok_or("no owner")?).await?.ok_or("user missing")?;
    assert_eq!(u.role, Role::Umkm);

    // Stored as the codes, in plain text columns.
    let row = db
        .conn
        .query_one_raw(Statement::from_string(
            db.conn.get_database_backend(),
            format!("SELECT status, net_unit, packaging, storage FROM products WHERE id = {id}"),
        ))
        .await?
        .ok_or("row missing")?;
    let codes: (String, String, String, String) = (
        row.try_get("", "status")?,
        row.try_get("", "net_unit")?,
        row.try_get("", "packaging")?,
        row.try_get("", "storage")?,
    );
    assert_eq!(codes, ("draft".into(), "g".into(), "standing_pouch".into(), "ambient".into()));

    // A NULL optional code reads as None; filters take the enum.
    exec(&db.conn, &format!("UPDATE products SET net_unit = NULL WHERE id = {id}")).await?;
    let m = products::find(&db.conn, id).await?.ok_or("product missing")?;
    assert_eq!(m.net_unit, None);
    let f = ProductFilter { status: Some(ListingStatus::Draft), ..Default::default() };
    assert_eq!(products::list(&db.conn, &f, PageReq::new(1, 10)).await?.total, 1);
    let f = ProductFilter { status: Some(ListingStatus::Published), ..Default::default() };
    assert_eq!(products::list(&db.conn, &f, PageReq::new(1, 10)).await?.total, 0);
    assert_eq!(products::count_by_status(&db.conn, ListingStatus::Draft).await?, 1);
    Ok(())
}

#[tokio::test]
async fn an_unknown_status_in_a_row_is_an_error_not_a_draft() -> TestResult {
    let db = database().await?;
    let id = one_product(&db.conn).await?;
    exec(&db.conn, &format!("UPDATE products SET status = 'bogus' WHERE id = {id}")).await?;

    let err = products::find(&db.conn, id).await.expect_err("an unknown status must not read");
    let text = err.to_string();
    assert!(matches!(err, DbErr::Type(_)), "{err:?}");
    assert!(text.contains("status produk") && text.contains("\"bogus\""), "{text}");
    let listed = products::list(&db.conn, &ProductFilter::default(), PageReq::new(1, 10)).await;
    assert!(listed.is_err(), "a list with a corrupt row must fail, not default it");
    Ok(())
}

#[tokio::test]
async fn an_unknown_optional_code_or_role_is_an_error_too() -> TestResult {
    let db = database().await?;
    let id = one_product(&db.conn).await?;
    exec(&db.conn, &format!("UPDATE products SET packaging = 'karung' WHERE id = {id}")).await?;
    let err = products::find(&db.conn, id).await.expect_err("unknown packaging");
    assert!(err.to_string().contains("\"karung\""), "{err}");

    exec(&db.conn, "UPDATE users SET role = 'boss'").await?;
    let err = users::find_by_email(&db.conn, "umkm@test.id").await.expect_err("unknown role");
    assert!(err.to_string().contains("kode peran tidak dikenal: \"boss\""), "{err}");
    Ok(())
}

#[tokio::test]
async fn the_versioned_update_applies_once_per_version() -> TestResult {
    let db = database().await?;
    let id = one_product(&db.conn).await?;
    let submit = || product::ActiveModel {
        status: Set(ListingStatus::Submitted),
        updated_at: Set(now()),
        ..Default::default()
    };

    let Versioned::Updated(m) = versioned::update(&db.conn, id, 1, submit()).await? else {
        return Err("the first update must apply".into());
    };
    assert_eq!((m.status, m.version), (ListingStatus::Submitted, 2));
    assert_eq!(versioned::update(&db.conn, id, 1, submit()).await?, Versioned::Stale);
    assert_eq!(versioned::update(&db.conn, id + 1, 1, submit()).await?, Versioned::Missing);

    // The same function serves producers (and stores and agreements).
    let p = producers::find(&db.conn, m.producer_id).await?.ok_or("producer missing")?;
    let am = producer::ActiveModel { status: Set(ProducerStatus::Rejected), ..Default::default() };
    let Versioned::Updated(p) = versioned::update(&db.conn, p.id, p.version, am).await? else {
        return Err("the producer update must apply".into());
    };
    assert_eq!((p.status, p.version), (ProducerStatus::Rejected, 2));
    Ok(())
}
