//! Business scale from figures (PP 7/2021 Pasal 35): the registration asks for capital and/or
//! annual-sales ranges and derives mikro/kecil/menengah; the Dinas sees the derivation and the
//! business's history on `/dinas/usaha/{id}`; expired sessions are purged by the periodic tick.

use chrono::Duration;
use etalase_db::entities::{producer, session};
use etalase_db::repo::sessions::{self, NewSession};
use etalase_domain::SessionKind;
use etalase_domain::roles::Role;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::accounts::web_login;
use crate::helpers::*;

/// Registers a business for a new UMKM account with `ranges` in place of the default ones.
async fn register(app: &TestApp, ranges: Value) -> reqwest::Response {
    let c = app.user(Role::Umkm).await;
    let mut body = producer_body(&random_nib());
    body.as_object_mut().expect("object").remove("capital_range");
    for (k, v) in ranges.as_object().expect("object") {
        body[k] = v.clone();
    }
    app.post("/api/v1/producers", Some(&c.token), body).await
}

#[tokio::test]
async fn registration_derives_the_scale_from_the_ranges_at_every_boundary() {
    let app = spawn_app().await;
    for (ranges, scale) in [
        (json!({"capital_range": "up_to1"}), "mikro"),
        (json!({"capital_range": "from1_to5"}), "kecil"),
        (json!({"capital_range": "from5_to10"}), "menengah"),
        (json!({"sales_range": "up_to2"}), "mikro"),
        (json!({"sales_range": "from2_to15"}), "kecil"),
        (json!({"sales_range": "from15_to50"}), "menengah"),
        // An existing business: sales decide (Pasal 35), whatever the capital.
        (json!({"capital_range": "from5_to10", "sales_range": "up_to2"}), "mikro"),
        (json!({"capital_range": "over10", "sales_range": "from2_to15"}), "kecil"),
        // An older client still sending the scale: accepted when it matches.
        (json!({"capital_range": "from1_to5", "scale": "kecil"}), "kecil"),
    ] {
        let v = json_ok(register(&app, ranges.clone()).await, 201).await;
        assert_eq!(v["scale"], scale, "{ranges}: {v}");
        assert!(v["scale_derivation"].as_str().unwrap_or("").contains("PP 7/2021 Pasal 35"));
    }
    let v = json_ok(register(&app, json!({"capital_range": "up_to1"})).await, 201).await;
    assert_eq!(v["scale_derivation"], "Usaha mikro — modal ≤ Rp1 miliar (PP 7/2021 Pasal 35)");
    assert_eq!((&v["capital_range"], &v["sales_range"]), (&json!("up_to1"), &Value::Null));
}

#[tokio::test]
async fn above_menengah_and_missing_ranges_are_refused_naming_the_field() {
    let app = spawn_app().await;
    let r = register(&app, json!({"capital_range": "over10"})).await;
    expect_invalid(r, &[("capital_range", "not_umkm")]).await;
    let r = register(&app, json!({"capital_range": "up_to1", "sales_range": "over50"})).await;
    expect_invalid(r, &[("sales_range", "not_umkm")]).await;
    let r = register(&app, json!({})).await;
    expect_invalid(r, &[("capital_range", "required"), ("sales_range", "required")]).await;
    // The declared scale alone is no longer enough.
    let r = register(&app, json!({"scale": "mikro"})).await;
    expect_invalid(r, &[("capital_range", "required")]).await;
    let r = register(&app, json!({"sales_range": "up_to2", "scale": "kecil"})).await;
    expect_invalid(r, &[("scale", "scale_mismatch")]).await;
    let r = register(&app, json!({"capital_range": "setengah_miliar"})).await;
    expect_invalid(r, &[("capital_range", "invalid_choice")]).await;
}

#[tokio::test]
async fn a_business_registered_before_the_ranges_keeps_its_declared_scale_on_edit() {
    let app = spawn_app().await;
    let (c, id) = app.umkm_with_producer().await;
    // As a row written before the migration: declared scale, no ranges.
    let mut legacy: producer::ActiveModel =
        producer::Entity::find_by_id(id).one(&app.state.db).await.unwrap().unwrap().into();
    legacy.scale = sea_orm::Set(etalase_domain::BusinessScale::Kecil);
    legacy.capital_range = sea_orm::Set(None);
    sea_orm::ActiveModelTrait::update(legacy, &app.state.db).await.unwrap();

    let path = format!("/api/v1/producers/{id}");
    let v = json_ok(
        app.patch(&path, Some(&c.token), json!({"version": 1, "phone": "0254-200100"})).await,
        200,
    )
    .await;
    assert_eq!(v["scale"], "kecil");
    assert!(v["scale_derivation"].as_str().unwrap_or("").contains("dinyatakan sendiri"), "{v}");
    // Picking a range derives the scale from then on.
    let v = json_ok(
        app.patch(&path, Some(&c.token), json!({"version": 2, "sales_range": "up_to2"})).await,
        200,
    )
    .await;
    assert_eq!((v["scale"].as_str(), v["sales_range"].as_str()), (Some("mikro"), Some("up_to2")));
}

/// A Dinas officer whose name the history must show.
async fn officer(app: &TestApp, name: &str) -> Caller {
    let email = format!("dinas-{}@uji.etalase.id", rand::random::<u32>());
    let u = etalase_server::service::users::create_account(
        &app.state,
        &email,
        PASSWORD,
        name,
        Role::Dinas,
    )
    .await
    .expect("account");
    let token = app.login(&email, PASSWORD).await;
    Caller { email, password: PASSWORD.into(), token, user_id: u.id }
}

async fn page(web: &reqwest::Client, app: &TestApp, path: &str) -> (u16, String) {
    let r = web.get(app.url(path)).send().await.expect("sent");
    (r.status().as_u16(), r.text().await.expect("html"))
}

#[tokio::test]
async fn the_dinas_business_page_shows_the_derivation_and_the_history_with_names_and_reasons() {
    let app = spawn_app().await;
    let (owner, id) = app.umkm_with_producer().await;
    let dinas = officer(&app, "Rina Petugas Dinas").await;
    let path = format!("/api/v1/producers/{id}");
    let act = |what: &'static str, body: Value| {
        let url = format!("{path}/{what}");
        let token = dinas.token.clone();
        let app = &app;
        async move { app.post(&url, Some(&token), body).await }
    };
    json_ok(act("verify", json!({})).await, 200).await;
    json_ok(act("reject", json!({"reason": "Foto NIB buram, unggah ulang"})).await, 200).await;
    json_ok(
        app.patch(
            &path,
            Some(&owner.token),
            json!({"version": 3, "address": "Jl. Raya Taktakan No. 14"}),
        )
        .await,
        200,
    )
    .await;
    json_ok(act("verify", json!({})).await, 200).await;
    json_ok(
        app.patch(
            &path,
            Some(&owner.token),
            json!({"version": 5, "name": "Emping Bu Sari Taktakan"}),
        )
        .await,
        200,
    )
    .await;

    let (web, _) = web_login(&app, &dinas).await;
    let (status, html) = page(&web, &app, &format!("/dinas/usaha/{id}")).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("Usaha mikro — modal ≤ Rp1 miliar (PP 7/2021 Pasal 35)"), "{html}");
    assert!(html.contains("Rina Petugas Dinas") && html.contains("Menolak usaha"));
    assert!(html.contains("Foto NIB buram, unggah ulang"));
    assert!(html.contains("Mengubah identitas usaha") && html.contains("Diubah: nama usaha"));
    assert!(html.contains("WIB"));
    let newest = html.find("Mengubah identitas usaha").expect("identity change");
    let rejected = html.find("Menolak usaha").expect("rejection");
    let registered = html.find("Mendaftarkan usaha").expect("registration");
    assert!(newest < rejected && rejected < registered, "newest first");

    // The queue links the card to the page and shows the derivation too.
    let (_, queue) = page(&web, &app, "/dinas/verifikasi").await;
    assert!(queue.contains(&format!("href=\"/dinas/usaha/{id}\"")), "{queue}");
    assert!(queue.contains("modal ≤ Rp1 miliar (PP 7/2021 Pasal 35)"));

    let (status, _) = page(&web, &app, "/dinas/usaha/999999").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn other_roles_cannot_see_the_dinas_business_page() {
    let app = spawn_app().await;
    let (owner, id) = app.umkm_with_producer().await;
    let admin = app.user(Role::Admin).await;
    let (web, _) = web_login(&app, &admin).await;
    assert_eq!(page(&web, &app, &format!("/dinas/usaha/{id}")).await.0, 200);
    for c in [owner, app.user(Role::Store).await, app.user(Role::Chain).await] {
        let (web, _) = web_login(&app, &c).await;
        let (status, _) = page(&web, &app, &format!("/dinas/usaha/{id}")).await;
        assert_eq!(status, 403, "{}", c.email);
    }
}

#[tokio::test]
async fn the_periodic_tick_purges_expired_sessions_and_keeps_valid_ones() {
    let app = spawn_app().await;
    let c = app.user(Role::Umkm).await;
    let now = app.now();
    for (hash, expires) in
        [("expired-web", now - Duration::minutes(1)), ("valid-api", now + Duration::days(1))]
    {
        let kind = if hash.ends_with("api") { SessionKind::Api } else { SessionKind::Web };
        let s = NewSession {
            token_hash: hash,
            user_id: c.user_id,
            kind,
            csrf_token: "x",
            expires_at: expires,
        };
        sessions::create(&app.state.db, s, now - Duration::days(30)).await.unwrap();
    }

    let r = etalase_server::service::standards::daily_tick(&app.state).await.unwrap();

    assert_eq!(r.sessions_purged, 1);
    let left: Vec<String> = session::Entity::find()
        .filter(session::Column::UserId.eq(c.user_id))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.token_hash)
        .collect();
    assert!(left.contains(&"valid-api".to_string()) && !left.contains(&"expired-web".to_string()));
    assert_eq!(app.get("/api/v1/me", Some(&c.token)).await.status(), 200, "the login still works");
}
