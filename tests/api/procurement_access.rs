//! Government demand, who may do what: a buyer sees, corrects and deletes only its own
//! organisation's purchases (another's are 404, each change audited); wrong roles get 403; bad
//! input is 4xx naming the field and saves nothing.

use etalase_domain::roles::Role;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::procurement::{buyer, other, record};
#[tokio::test]
async fn a_buyer_sees_corrects_and_deletes_only_its_own_purchases() {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;
    let (a_id, a) = buyer(&app, &dinas, "Dinas Perhubungan Uji", 1_000_000).await;
    let (b_id, b) = buyer(&app, &dinas, "Kecamatan Taktakan Uji", 1_000_000).await;
    let mine = record(&app, &a, other("2026-04-01", 50_000, "lainnya", false)).await["id"]
        .as_i64()
        .unwrap();
    let theirs = record(&app, &b, other("2026-04-02", 70_000, "lainnya", true)).await["id"]
        .as_i64()
        .unwrap();

    // Another organisation's purchase is not found, for reading, correcting and deleting.
    let path = format!("/api/v1/procurement/purchases/{theirs}");
    expect_problem(app.get(&path, Some(&a)).await, 404, "not_found").await;
    let r = app
        .send(reqwest::Method::PUT, &path, Some(&a), Some(other("2026-04-02", 1, "lainnya", true)))
        .await;
    expect_problem(r, 404, "not_found").await;
    expect_problem(app.delete(&path, Some(&a)).await, 404, "not_found").await;
    let still = app.read(&path, Some(&b)).await;
    assert_eq!(
        (still["value"].as_i64(), still["local_umkm"].as_bool()),
        (Some(70_000), Some(true)),
        "unchanged"
    );
    // Its report and list are not found either; its own list holds only its purchase.
    let r = app.get(&format!("/api/v1/procurement/report?buyer_id={b_id}"), Some(&a)).await;
    expect_problem(r, 404, "not_found").await;
    let r = app.get(&format!("/api/v1/procurement/report.csv?buyer_id={b_id}"), Some(&a)).await;
    expect_problem(r, 404, "not_found").await;
    let r = app.get(&format!("/api/v1/procurement/purchases?buyer_id={b_id}"), Some(&a)).await;
    expect_problem(r, 404, "not_found").await;
    assert_eq!(app.ids("/api/v1/procurement/purchases", Some(&a)).await, [mine]);
    let buyers = app.read("/api/v1/procurement/buyers", Some(&a)).await;
    assert_eq!(buyers.as_array().unwrap().len(), 1);
    assert_eq!(buyers[0]["id"], a_id);
    let rep = app.read("/api/v1/procurement/report?year=2026", Some(&a)).await;
    assert_eq!(rep["buyers"].as_array().unwrap().len(), 1);
    // The Dinas sees both.
    let all = app.ids("/api/v1/procurement/purchases?year=2026", Some(&dinas.token)).await;
    assert_eq!(all.len(), 2);
    assert!(all.contains(&mine) && all.contains(&theirs));

    // Its own: corrected, then deleted, each in the audit log.
    let path = format!("/api/v1/procurement/purchases/{mine}");
    let r = app
        .send(
            reqwest::Method::PUT,
            &path,
            Some(&a),
            Some(other("2026-04-03", 55_000, "makanan_rapat", true)),
        )
        .await;
    let c = json_ok(r, 200).await;
    assert_eq!(
        (c["value"].as_i64(), c["category"].as_str(), c["date"].as_str()),
        (Some(55_000), Some("makanan_rapat"), Some("2026-04-03"))
    );
    let r = app.delete(&path, Some(&a)).await;
    assert_eq!(r.status(), 204);
    expect_problem(app.get(&path, Some(&a)).await, 404, "not_found").await;
    use etalase_db::entities::audit;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let log: Vec<String> = audit::Entity::find()
        .filter(audit::Column::Entity.eq("procurement_purchase"))
        .filter(audit::Column::EntityId.eq(mine))
        .order_by_asc(audit::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(log, ["purchase_recorded", "purchase_corrected", "purchase_deleted"]);
}

#[tokio::test]
async fn wrong_roles_are_refused() {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;
    let (id, buyer_token) = buyer(&app, &dinas, "Dinas Pariwisata Uji", 1_000_000).await;
    let umkm = app.user(Role::Umkm).await;
    let store = app.user(Role::Store).await;
    for t in [&umkm.token, &store.token] {
        expect_problem(app.get("/api/v1/procurement/report", Some(t)).await, 403, "forbidden")
            .await;
        expect_problem(app.get("/api/v1/procurement/report.xlsx", Some(t)).await, 403, "forbidden")
            .await;
        expect_problem(app.get("/api/v1/procurement/purchases", Some(t)).await, 403, "forbidden")
            .await;
        let r = app
            .post("/api/v1/procurement/purchases", Some(t), other("2026-05-01", 1, "lainnya", true))
            .await;
        expect_problem(r, 403, "forbidden").await;
    }
    // The Dinas reads but does not record a buyer's purchases.
    let r = app
        .post(
            "/api/v1/procurement/purchases",
            Some(&dinas.token),
            other("2026-05-01", 1, "lainnya", true),
        )
        .await;
    expect_problem(r, 403, "forbidden").await;
    // A buyer registers no buyers, budgets or accounts.
    let r = app
        .post(
            "/api/v1/procurement/buyers",
            Some(&buyer_token),
            json!({"name": "Dinas Baru", "kind": "bumd"}),
        )
        .await;
    expect_problem(r, 403, "forbidden").await;
    let r = app
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/procurement/buyers/{id}/budget"),
            Some(&buyer_token),
            Some(json!({"year": 2026, "amount": 9})),
        )
        .await;
    expect_problem(r, 403, "forbidden").await;
    // Anonymous: 401.
    assert_eq!(app.get("/api/v1/procurement/report", None).await.status(), 401);
    // A buyer account cannot be made without its organisation through the generic admin path.
    let admin = app.user(Role::Admin).await;
    let r = app.post("/api/v1/users", Some(&admin.token), json!({"email": "x@uji.etalase.id", "password": PASSWORD, "display_name": "X", "role": "buyer"})).await;
    expect_invalid(r, &[("role", "buyer_needs_organisation")]).await;
}

#[tokio::test]
async fn bad_input_names_the_field_and_saves_nothing() {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;
    let (id, t) = buyer(&app, &dinas, "Dinas Sosial Uji", 1_000_000).await;
    let post = |b: Value| app.post("/api/v1/procurement/purchases", Some(&t), b);

    let r = post(json!({})).await;
    expect_invalid(
        r,
        &[
            ("date", "required"),
            ("value", "required"),
            ("description", "required"),
            ("category", "required"),
            ("supplier_name", "required"),
        ],
    )
    .await;
    expect_invalid(
        post(other("2026-06-02", 1_000, "lainnya", true)).await,
        &[("date", "in_future")],
    )
    .await;
    expect_invalid(
        post(other("2026-02-30", 1_000, "lainnya", true)).await,
        &[("date", "invalid_format")],
    )
    .await;
    expect_invalid(
        post(other("2026-05-01", 1_000_000_000_001, "lainnya", true)).await,
        &[("value", "out_of_range")],
    )
    .await;
    expect_invalid(
        post(other("2026-05-01", 0, "lainnya", true)).await,
        &[("value", "out_of_range")],
    )
    .await;
    expect_invalid(
        post(other("2026-05-01", 10, "atk", true)).await,
        &[("category", "invalid_choice")],
    )
    .await;
    let mut b = other("2026-05-01", 10, "lainnya", true);
    b["description"] = json!("x".repeat(5_000));
    expect_invalid(post(b).await, &[("description", "too_long")]).await;
    let r = post(json!({"date": "2026-05-01", "value": 10, "description": "Kursi", "category": "mebel_kantor", "producer_id": 987_654})).await;
    expect_invalid(r, &[("producer_id", "not_found")]).await;
    // An unverified business is not a catalog supplier.
    let (_, unverified) = app.umkm_with_producer().await;
    let r = post(json!({"date": "2026-05-01", "value": 10, "description": "Kursi", "category": "mebel_kantor", "producer_id": unverified})).await;
    expect_invalid(r, &[("producer_id", "not_found")]).await;
    let mut b = other("2026-05-01", 10, "lainnya", true);
    b["value"] = json!("10");
    expect_problem(post(b).await, 422, "validation_failed").await;
    let mut b = other("2026-05-01", 10, "lainnya", true);
    b["owner"] = json!(1);
    expect_unknown_field(post(b).await, "owner").await;
    // Huge query values are refused naming the parameter.
    let r = app.get("/api/v1/procurement/report?year=99999999999", Some(&t)).await;
    assert_eq!(r.status(), 400);
    let r = app.get("/api/v1/procurement/report?year=1900", Some(&t)).await;
    expect_invalid(r, &[("year", "out_of_range")]).await;
    // Budgets and buyers too.
    let budget_path = format!("/api/v1/procurement/buyers/{id}/budget");
    let put = |b: Value| app.send(reqwest::Method::PUT, &budget_path, Some(&dinas.token), Some(b));
    expect_invalid(put(json!({"year": 2026, "amount": -1})).await, &[("amount", "out_of_range")])
        .await;
    expect_invalid(put(json!({"year": 3000, "amount": 5})).await, &[("year", "out_of_range")])
        .await;
    let r = app
        .post(
            "/api/v1/procurement/buyers",
            Some(&dinas.token),
            json!({"name": "", "kind": "kementerian"}),
        )
        .await;
    expect_invalid(r, &[("name", "required"), ("kind", "invalid_choice")]).await;
    let r = app
        .post(
            "/api/v1/procurement/buyers",
            Some(&dinas.token),
            json!({"name": "Dinas Sosial Uji", "kind": "bumd"}),
        )
        .await;
    expect_problem(r, 409, "already_exists").await;

    // Nothing was saved: no purchase, and the budget is unchanged.
    assert_eq!(app.total("/api/v1/procurement/purchases", Some(&t)).await, 0);
    let v = app.read("/api/v1/procurement/report?year=2026", Some(&t)).await;
    assert_eq!(v["buyers"][0]["budget"]["budget"], 1_000_000);
}

#[tokio::test]
async fn the_dinas_registers_a_buyer_its_budget_and_login_through_the_page() {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;
    let (web, csrf) = app.web_login(&dinas).await;
    let post = |path: &str, form: Vec<(&str, &str)>| {
        let mut f = form;
        f.push(("csrf", csrf.as_str()));
        web.post(app.url(path)).form(&f).send()
    };
    // An empty name and no kind: both named, nothing saved.
    let r = post("/dinas/pengadaan/pembeli", vec![("name", ""), ("kind", "")]).await.unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("Nama Perangkat Daerah/BUMD wajib diisi."), "{html}");
    assert!(html.contains("Jenis pembeli wajib dipilih."));
    assert!(etalase_db::repo::procurement::buyers(&app.state.db).await.unwrap().is_empty());
    let r =
        post("/dinas/pengadaan/pembeli", vec![("name", "Perumda Uji (contoh)"), ("kind", "bumd")])
            .await
            .unwrap();
    assert_eq!(r.status(), 303);
    let b =
        etalase_db::repo::procurement::find_buyer_by_name(&app.state.db, "Perumda Uji (contoh)")
            .await
            .unwrap()
            .unwrap();
    let id = b.id.to_string();
    let r = post(
        "/dinas/pengadaan/anggaran",
        vec![("buyer_id", &id), ("year", "2026"), ("amount", "Rp 1.500.000.000")],
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 303);
    let email = format!("pd-{}@uji.etalase.id", rand::random::<u32>());
    let r = post(
        "/dinas/pengadaan/akun",
        vec![
            ("buyer_id", &id),
            ("email", &email),
            ("display_name", "Pejabat"),
            ("password", PASSWORD),
        ],
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 303);
    // The page shows the buyer, its budget and (after the redirect) the message.
    let html =
        web.get(app.url("/dinas/pengadaan?tahun=2026")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Perumda Uji (contoh)") && html.contains("Rp1.500.000.000"), "{html}");
    // The new login sees its own page.
    let token = app.login(&email, PASSWORD).await;
    let v = app.read("/api/v1/procurement/buyers", Some(&token)).await;
    assert_eq!(v[0]["id"], b.id);
    assert_eq!(v[0]["kind_label"], "BUMD");
}
