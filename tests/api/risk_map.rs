//! The risk map (Pasal 3(3)(a)): counts per kelurahan, kecamatan totals and the city against
//! what the test put in the database — risk levels, scales, food permits, halal, eligibility
//! for a standard; rejected businesses left out; CSV and page; the page's kelurahan map
//! coloured by the chosen `ukuran`; Dinas and admins only.

use etalase_domain::roles::Role;
use sea_orm::{ActiveModelTrait, Set};
use serde_json::{Value, json};

use crate::ekatalog::ready_product;
use crate::helpers::*;

async fn set_place_and_risk(app: &TestApp, producer: i64, kelurahan: &str, risk: &str) {
    let p = etalase_db::repo::producers::find(&app.state.db, producer).await.unwrap().unwrap();
    let mut m: etalase_db::entities::producer::ActiveModel = p.into();
    m.kelurahan_code = Set(kelurahan.into());
    m.kecamatan_code = Set(kelurahan[..8].into());
    m.risk_level = Set(risk.parse().unwrap());
    m.update(&app.state.db).await.unwrap();
}

fn row<'a>(map: &'a Value, kelurahan: &str) -> &'a Value {
    map["rows"].as_array().unwrap().iter().find(|r| r["kelurahan_code"] == kelurahan).unwrap()
}

#[tokio::test]
async fn the_risk_map_counts_what_the_database_holds() {
    let app = spawn_app().await;
    // Taktakan (36.73.06.1001): a ready business (P-IRT in force) at low risk, and a bare one
    // at high risk. Karundang (36.73.05.1002): one business at menengah tinggi with a halal
    // certificate the Dinas has not checked yet (it does not count).
    ready_product(&app).await;
    let (bare_owner, bare) = app.umkm_with_producer().await;
    app.draft_product(&bare_owner).await;
    set_place_and_risk(&app, bare, "36.73.06.1001", "tinggi").await;
    let (halal_owner, halal) = app.umkm_with_producer().await;
    let id = app.draft_product(&halal_owner).await["id"].as_i64().unwrap();
    let r = app
        .post(
            &format!("/api/v1/products/{id}/certificates"),
            Some(&halal_owner.token),
            json!({"kind": "halal", "number": "ID31110000123450823"}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap_or_default());
    set_place_and_risk(&app, halal, "36.73.05.1002", "menengah_tinggi").await;
    // A rejected business is left out.
    let (_, rejected) = app.umkm_with_producer().await;
    let dinas = app.user(Role::Dinas).await;
    let r = app
        .post(
            &format!("/api/v1/producers/{rejected}/reject"),
            Some(&dinas.token),
            json!({"reason": "Data usaha tidak sesuai dengan NIB."}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap_or_default());

    let map = app.read("/api/v1/risk-map", Some(&dinas.token)).await;
    let taktakan = row(&map, "36.73.06.1001");
    assert_eq!(taktakan["kelurahan"], "Taktakan");
    assert_eq!(taktakan["businesses"], 2);
    assert_eq!(
        (taktakan["risk_rendah"].as_u64(), taktakan["risk_tinggi"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(taktakan["mikro"], 2, "both declared the smallest capital band");
    assert_eq!(taktakan["without_food_permit"], 1, "only the bare one");
    assert_eq!(taktakan["without_halal"], 2);
    assert_eq!(taktakan["without_nib"], 0);
    let karundang = row(&map, "36.73.05.1002");
    assert_eq!(
        (karundang["businesses"].as_u64(), karundang["risk_menengah_tinggi"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(karundang["without_halal"], 1, "an unchecked halal certificate does not count");
    let totals: Vec<&Value> =
        map["rows"].as_array().unwrap().iter().filter(|r| r["kelurahan_code"].is_null()).collect();
    assert_eq!(totals.len(), 2, "one total per kecamatan with businesses");
    let city = &map["city"];
    assert_eq!(city["businesses"], 3, "the rejected business is left out");
    assert_eq!(city["without_food_permit"], 2);
    // No standard in force: nobody is eligible for one yet.
    assert_eq!(city["not_eligible_for_any_standard"], 3);

    let csv = app.get("/api/v1/risk-map.csv", Some(&dinas.token)).await;
    assert_eq!(csv.status(), 200);
    let text = csv.text().await.unwrap();
    let line = text.lines().find(|l| l.contains("36.73.06.1001")).unwrap();
    assert!(
        line.starts_with("36.73.06,Taktakan,36.73.06.1001,Taktakan,2,1,0,0,1,2,0,0,0,1,2,2"),
        "{line}"
    );
    assert!(text.contains(",Jumlah,2,") && text.contains(",Jumlah,1,"), "kecamatan totals: {text}");

    let (web, _) = app.web_login(&dinas).await;
    let html = web.get(app.url("/dinas/peta-risiko")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("<strong id=\"city-businesses\">3</strong>"), "{html}");
    assert!(html.contains("<tr data-kelurahan=\"36.73.05.1002\">"), "the table row: {html}");
    assert!(html.contains("Jumlah Kecamatan Taktakan"));
    for role in [Role::Umkm, Role::Store, Role::Chain] {
        let c = app.user(role).await;
        expect_problem(app.get("/api/v1/risk-map", Some(&c.token)).await, 403, "forbidden").await;
    }
}

/// The tooltip of kelurahan `code` on the page's map (the table rows carry no `<title>`).
fn map_title<'a>(html: &'a str, code: &str) -> &'a str {
    let at = html
        .find(&format!("data-kelurahan=\"{code}\"><title>"))
        .unwrap_or_else(|| panic!("{code} on the map: {html}"));
    let rest = &html[at..];
    &rest[rest.find("<title>").unwrap() + 7..rest.find("</title>").unwrap()]
}

fn map_fill<'a>(html: &'a str, code: &str) -> &'a str {
    let at = html.find(&format!("data-kelurahan=\"{code}\"><title>")).unwrap();
    let before = &html[..at];
    let f = before.rfind("fill=\"").unwrap() + 6;
    &before[f..f + 7]
}

#[tokio::test]
async fn the_risk_page_draws_the_kelurahan_map_by_the_chosen_measure() {
    let app = spawn_app().await;
    // Taktakan: a ready business (P-IRT in force, low risk) and a bare one at high risk;
    // Karundang: one bare business at low risk.
    let (_, ready, _) = ready_product(&app).await;
    set_place_and_risk(&app, ready, "36.73.06.1001", "rendah").await;
    let (bare_owner, bare) = app.umkm_with_producer().await;
    app.draft_product(&bare_owner).await;
    set_place_and_risk(&app, bare, "36.73.06.1001", "tinggi").await;
    let (_, other) = app.umkm_with_producer().await;
    set_place_and_risk(&app, other, "36.73.05.1002", "rendah").await;
    let dinas = app.user(Role::Dinas).await;
    let (web, _) = app.web_login(&dinas).await;
    let page = |q: &'static str| {
        let web = web.clone();
        let url = app.url(&format!("/dinas/peta-risiko{q}"));
        async move {
            let r = web.get(url).send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };

    let (status, html) = page("").await;
    assert_eq!(status, 200);
    let svg = &html[html.find("<svg").expect("a map")..html.find("</svg>").expect("closed")];
    assert!(svg.contains("id=\"peta-risiko\""), "{svg}");
    assert_eq!(svg.matches("<path ").count(), 67, "every kelurahan is drawn");
    assert_eq!(
        map_title(&html, "36.73.06.1001"),
        concat!(
            "Taktakan, Kec. Taktakan: 2 usaha (1 tanpa izin edar pangan, 2 tanpa halal, ",
            "2 belum layak standar apa pun, 1 berisiko menengah tinggi/tinggi)"
        )
    );
    assert!(map_title(&html, "36.73.05.1002").starts_with("Karundang, Kec. Cipocok Jaya: 1 usaha"));
    assert_eq!(map_title(&html, "36.73.06.1002"), "Sayar, Kec. Taktakan: belum ada usaha");
    assert!(html.contains("<option value=\"usaha\" selected>"), "usaha by default");
    assert_ne!(map_fill(&html, "36.73.06.1001"), map_fill(&html, "36.73.05.1002"), "2 vs 1");
    assert!(html.contains("id=\"legenda\">Jumlah usaha per kelurahan:"), "{html}");

    let (status, html) = page("?ukuran=tanpa_izin").await;
    assert_eq!(status, 200);
    assert!(
        map_title(&html, "36.73.06.1001")
            .starts_with("Taktakan, Kec. Taktakan: 1 tanpa izin edar pangan dari 2 usaha ("),
        "{}",
        map_title(&html, "36.73.06.1001")
    );
    assert!(map_title(&html, "36.73.05.1002").contains(": 1 tanpa izin edar pangan dari 1 usaha"));
    assert_eq!(
        map_fill(&html, "36.73.06.1001"),
        map_fill(&html, "36.73.05.1002"),
        "one without a food permit in each"
    );
    assert!(html.contains("<option value=\"tanpa_izin\" selected>"));
    assert!(!html.contains("<option value=\"usaha\" selected>"));

    let (_, html) = page("?ukuran=risiko_tinggi").await;
    assert!(map_title(&html, "36.73.05.1002").contains(": 0 berisiko menengah tinggi/tinggi dari"));
    assert_eq!(map_fill(&html, "36.73.05.1002"), "#ffffff", "none at high risk there");
    assert_ne!(map_fill(&html, "36.73.06.1001"), "#ffffff");

    let (status, html) = page("?ukuran=semua").await;
    assert_eq!(status, 400, "{html}");
    assert!(html.contains("ukuran") && html.contains("semua") && html.contains("tidak sah"));
    assert!(!html.contains("<svg"), "no map for an unknown measure");
}
