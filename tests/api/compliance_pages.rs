//! The compliance pages through HTTP with a cookie session: the Dinas' dashboard with the map,
//! the store detail, an inspection from the phone form, a notice and the policy form; a chain
//! office confined to its own stores; the wrong roles refused and nothing changed.

use etalase_domain::roles::Role;

use crate::compliance_world::{today, world};
use crate::helpers::*;

async fn page(web: &reqwest::Client, app: &TestApp, path: &str) -> (u16, String) {
    let r = web.get(app.url(path)).send().await.expect("sent");
    (r.status().as_u16(), r.text().await.expect("html"))
}

async fn post_form(
    web: &reqwest::Client,
    app: &TestApp,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, String) {
    let r = web.post(app.url(path)).form(form).send().await.expect("sent");
    (r.status().as_u16(), r.text().await.expect("html"))
}

#[tokio::test]
async fn the_dinas_reads_the_dashboard_and_inspects_warns_and_sets_policy_from_the_pages() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let [sm1, _sm2, ms1] = w.stores;
    let (web, csrf) = app.web_login(&w.dinas).await;

    let (status, html) = page(&web, &app, "/kepatuhan").await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("<svg") && html.matches("data-kelurahan=").count() == 67, "map drawn");
    assert!(html.contains("Batas wilayah: cahyadsn/wilayah_boundaries (MIT)"));
    assert!(
        html.contains("<b>1</b> patuh")
            && html.contains("<b>1</b> berisiko")
            && html.contains("<b>1</b> tidak patuh"),
        "{html}"
    );
    assert!(html.contains("Serang Mart") && html.contains("Mitra Swalayan"));
    assert!(
        html.contains(&format!("/kepatuhan/toko/{ms1}"))
            && html.contains("/api/v1/compliance/export.csv?date=")
    );

    let (status, html) = page(&web, &app, &format!("/kepatuhan/toko/{ms1}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Tidak patuh") && html.contains("kirim-teguran"), "{html}");
    let (_, html) = page(&web, &app, &format!("/kepatuhan/toko/{sm1}")).await;
    assert!(!html.contains("kirim-teguran"), "no notice button for a patuh store");

    // An inspection: one product seen, the other not.
    let (status, html) = page(&web, &app, &format!("/kepatuhan/toko/{sm1}/inspeksi")).await;
    assert_eq!(status, 200);
    assert_eq!(html.matches("type=\"checkbox\"").count(), 4, "{html}");
    let (p0, p1) = (w.products[0].to_string(), w.products[1].to_string());
    let (l0, l1, s0) = (format!("listed-{p0}"), format!("listed-{p1}"), format!("seen-{p0}"));
    let d = today().to_string();
    let (status, html) = post_form(
        &web,
        &app,
        &format!("/kepatuhan/toko/{sm1}/inspeksi"),
        &[("csrf", &csrf), ("date", "2999-01-01"), (&l0, "1"), (&s0, "1")],
    )
    .await;
    assert_eq!(status, 200, "a future date comes back with its error");
    assert!(html.contains("aria-invalid=\"true\"") && html.contains("sesudah hari ini"));
    let (status, _) = post_form(
        &web,
        &app,
        &format!("/kepatuhan/toko/{sm1}/inspeksi"),
        &[
            ("csrf", &csrf),
            ("date", &d),
            (&l0, "1"),
            (&l1, "1"),
            (&s0, "1"),
            ("notes", "Rak depan"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let detail = app.read(&format!("/api/v1/compliance/stores/{sm1}"), Some(&w.dinas.token)).await;
    let ins = &detail["inspections"][0];
    assert_eq!(ins["seen"], serde_json::json!([w.products[0]]));
    assert_eq!(ins["not_seen"], serde_json::json!([w.products[1]]));

    // A notice, then the list with its PDF.
    let (status, _) = post_form(
        &web,
        &app,
        &format!("/kepatuhan/toko/{ms1}/teguran"),
        &[("csrf", &csrf), ("note", ""), ("confirm", "1")],
    )
    .await;
    assert_eq!(status, 303);
    let (status, html) = page(&web, &app, "/kepatuhan/teguran").await;
    assert_eq!(status, 200);
    assert!(html.contains("Surat teguran (1)") && html.contains("/pdf\""), "{html}");

    // The policy form: an error first, then a new version.
    let (status, html) = post_form(
        &web,
        &app,
        "/kepatuhan/kebijakan",
        &[
            ("csrf", &csrf),
            ("min_agreements", "2"),
            ("min_products", "x"),
            ("min_producers", "3"),
            ("effective_from", &d),
        ],
    )
    .await;
    assert_eq!(status, 200);
    assert!(html.contains("bukan bilangan bulat"), "{html}");
    let (status, _) = post_form(
        &web,
        &app,
        "/kepatuhan/kebijakan",
        &[
            ("csrf", &csrf),
            ("min_agreements", "2"),
            ("min_products", "2"),
            ("min_producers", "2"),
            ("effective_from", &d),
        ],
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(
        app.read("/api/v1/compliance/policies", Some(&w.dinas.token))
            .await
            .as_array()
            .expect("list")
            .len(),
        2
    );
}

#[tokio::test]
async fn a_chain_office_sees_only_its_own_stores_and_cannot_act() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let [_sm1, sm2, ms1] = w.stores;
    let (web, csrf) = app.web_login(&w.sm_office).await;

    let (status, html) = page(&web, &app, "/kepatuhan").await;
    assert_eq!(status, 200);
    assert!(
        html.contains(&format!("/kepatuhan/toko/{sm2}"))
            && !html.contains(&format!("/kepatuhan/toko/{ms1}\"")),
        "{html}"
    );
    assert!(!html.contains("Mitra Swalayan") && html.contains("<b>0</b> tidak patuh"));
    assert_eq!(page(&web, &app, &format!("/kepatuhan/toko/{ms1}")).await.0, 404);
    assert_eq!(page(&web, &app, &format!("/kepatuhan/toko/{sm2}")).await.0, 200);
    assert_eq!(page(&web, &app, &format!("/kepatuhan/toko/{sm2}/inspeksi")).await.0, 403);
    assert_eq!(page(&web, &app, "/kepatuhan/kebijakan").await.0, 403);
    let (status, _) =
        post_form(&web, &app, &format!("/kepatuhan/toko/{sm2}/teguran"), &[("csrf", &csrf)]).await;
    assert_eq!(status, 403);
    let (status, _) = post_form(
        &web,
        &app,
        "/kepatuhan/kebijakan",
        &[
            ("csrf", &csrf),
            ("min_agreements", "1"),
            ("min_products", "1"),
            ("min_producers", "1"),
            ("effective_from", &today().to_string()),
        ],
    )
    .await;
    assert_eq!(status, 403);
    assert!(
        app.read("/api/v1/notices", Some(&w.dinas.token))
            .await
            .as_array()
            .expect("list")
            .is_empty()
    );
    assert_eq!(
        app.read("/api/v1/compliance/policies", Some(&w.dinas.token))
            .await
            .as_array()
            .expect("list")
            .len(),
        1
    );

    let umkm = app.user(Role::Umkm).await;
    let (web, _) = app.web_login(&umkm).await;
    assert_eq!(page(&web, &app, "/kepatuhan").await.0, 403);
}

/// The dashboard's single-statement summaries equal the per-grouping summary, for all stores
/// and for one chain (runs on SQLite, and on PostgreSQL with ETALASE_TEST_DB=postgres).
#[tokio::test]
async fn the_dashboard_summaries_equal_one_summary_per_grouping() {
    use etalase_db::repo::compliance::{self as repo, ComplianceFilter, GroupBy, Thresholds};
    let app = spawn_app().await;
    let w = world(&app).await;
    let sm_chain = app
        .read(&format!("/api/v1/compliance/stores/{}", w.stores[0]), Some(&w.dinas.token))
        .await["store"]["chain_id"]
        .as_i64();
    let p = repo::policies(&app.state.db).await.expect("policies").pop().expect("a policy");
    let date = today();
    let t = Thresholds {
        policy_id: p.id,
        min_agreements: p.min_agreements,
        min_products: p.min_products,
        min_producers: p.min_producers,
        horizon: date + chrono::Duration::days(30),
    };
    let bys = [GroupBy::All, GroupBy::Chain, GroupBy::Kecamatan, GroupBy::Kelurahan];
    for f in
        [ComplianceFilter::default(), ComplianceFilter { chain_id: sm_chain, ..Default::default() }]
    {
        let together = repo::summaries(&app.state.db, &t, date, &f, &bys).await.expect("summaries");
        assert_eq!(together.len(), 4);
        for (by, rows) in together {
            assert_eq!(
                rows,
                repo::summary(&app.state.db, &t, date, &f, by).await.expect("summary"),
                "{by:?}"
            );
        }
    }
    let all =
        repo::summaries(&app.state.db, &t, date, &ComplianceFilter::default(), &[GroupBy::All])
            .await
            .expect("summaries");
    assert_eq!((all[0].1[0].patuh, all[0].1[0].berisiko, all[0].1[0].tidak_patuh), (1, 1, 1));
}

#[tokio::test]
async fn a_page_address_that_does_not_read_is_the_not_found_page_in_indonesian() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let (web, _) = app.web_login(&w.dinas).await;
    for path in ["/kepatuhan/toko/abc", "/kepatuhan/toko/99999999999999999999", "/katalog/abc"] {
        let r = web.get(app.url(path)).send().await.expect("sent");
        assert_eq!(r.status().as_u16(), 404, "{path}");
        let ct = r.headers()["content-type"].to_str().unwrap_or("").to_string();
        let html = r.text().await.expect("html");
        assert!(ct.starts_with("text/html"), "{path}: the site's page, not plain text ({ct})");
        assert!(html.contains("Halaman tidak ditemukan"), "{path}: {html}");
        assert!(!html.contains("Cannot parse") && !html.contains("Invalid URL"), "{path}");
    }
    // A query the store page cannot read: the page says which parameter, in Indonesian.
    let (status, html) =
        page(&web, &app, &format!("/kepatuhan/toko/{}?page=abc", w.stores[0])).await;
    assert_eq!(status, 400);
    assert!(html.contains("Parameter &#34;page&#34; tidak sah: harus berupa angka."), "{html}");
    assert!(!html.contains("Failed to deserialize"), "{html}");
}
