//! The buyer's own page: deleting a purchase asks first (nothing changes until confirmed), then
//! takes it out of the shares and the budget; another organisation's purchase is not found.

use etalase_domain::roles::Role;
use serde_json::json;

use crate::helpers::*;
use crate::procurement::{buyer, other, record};

/// A buyer organisation with a login: (its id, the login as a caller).
async fn buyer_login(app: &TestApp, dinas: &Caller, name: &str) -> (i64, Caller) {
    let r = app
        .post(
            "/api/v1/procurement/buyers",
            Some(&dinas.token),
            json!({"name": name, "kind": "perangkat_daerah"}),
        )
        .await;
    let id = json_ok(r, 201).await["id"].as_i64().unwrap();
    let email = format!("hapus-{id}-{}@uji.etalase.id", rand::random::<u32>());
    let r = app
        .post(
            &format!("/api/v1/procurement/buyers/{id}/accounts"),
            Some(&dinas.token),
            json!({"email": email, "password": PASSWORD, "display_name": "Pejabat"}),
        )
        .await;
    let user_id = json_ok(r, 201).await["id"].as_i64().unwrap();
    let token = app.login(&email, PASSWORD).await;
    (id, Caller { email, password: PASSWORD.into(), token, user_id })
}

#[tokio::test]
async fn deleting_a_purchase_on_the_page_asks_first_then_leaves_the_share() {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;
    let (_, me) = buyer_login(&app, &dinas, "Dinas Pariwisata Uji").await;
    let (_, them) = buyer(&app, &dinas, "Kecamatan Walantaka Uji", 1_000_000).await;
    let keep = record(&app, &me.token, other("2026-05-04", 60_000, "lainnya", true)).await;
    let gone = record(&app, &me.token, other("2026-05-05", 40_000, "lainnya", false)).await;
    let theirs = record(&app, &them, other("2026-05-06", 10_000, "lainnya", true)).await;
    let share = |v: &serde_json::Value| v["buyers"][0]["months"][4]["share_text"].clone();
    let before = app.read("/api/v1/procurement/report?year=2026", Some(&me.token)).await;
    assert_eq!(share(&before), "60,00%");

    let (web, csrf) = app.web_login(&me).await;
    let post = |path: String, confirm: bool| {
        let mut f = vec![("csrf", csrf.clone())];
        if confirm {
            f.push(("confirm", "1".into()));
        }
        web.post(app.url(&path)).form(&f).send()
    };
    // The first press only asks, naming the purchase; nothing is deleted.
    let path = format!("/pengadaan/belanja/{}/hapus", gone["id"]);
    let r = post(path.clone(), false).await.unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"konfirmasi\"") && html.contains("Rp40.000"), "{html}");
    assert_eq!(app.total("/api/v1/procurement/purchases", Some(&me.token)).await, 2);
    // Confirmed: gone, with a message, and the month's share is recomputed.
    let r = post(path, true).await.unwrap();
    assert_eq!(r.status(), 303);
    let page = web.get(app.url("/pengadaan?tahun=2026")).send().await.unwrap();
    let html = page.text().await.unwrap();
    assert!(html.contains("dihapus"), "the flash says what happened: {html}");
    assert_eq!(app.total("/api/v1/procurement/purchases", Some(&me.token)).await, 1);
    let after = app.read("/api/v1/procurement/report?year=2026", Some(&me.token)).await;
    assert_eq!(share(&after), "100,00%");
    assert!(html.contains(&format!("data-purchase=\"{}\"", keep["id"])));
    // Another organisation's purchase: not found, asked or confirmed, and still there.
    for confirm in [false, true] {
        let r = post(format!("/pengadaan/belanja/{}/hapus", theirs["id"]), confirm).await.unwrap();
        assert_eq!(r.status(), 404);
    }
    assert_eq!(app.total("/api/v1/procurement/purchases", Some(&them)).await, 1);
}
