//! A Dinas officer signs in, opens the compliance dashboard and sees the kelurahan map (a
//! server-drawn SVG) with the counts; opens a non-compliant store from the list; a screenshot
//! of the map is saved. The small world (chains SM and MS, three stores, a policy) comes from
//! the API tests' `compliance_world`.

#[path = "../api/compliance_world.rs"]
#[allow(dead_code)]
pub(crate) mod compliance_world;

use crate::helpers::spawn_app;
use crate::webdriver::Driver;
use compliance_world::world;

#[tokio::test]
async fn dinas_opens_the_compliance_dashboard_with_the_kelurahan_map() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let mut b = Driver::start().await;

    b.goto(&app.url("/masuk")).await;
    b.fill("#email", &w.dinas.email).await;
    b.fill("#password", &w.dinas.password).await;
    b.click("form button[type=submit]").await;
    b.wait_for_url(|u| u.ends_with("/dinas/verifikasi")).await;

    b.click("header a[href='/kepatuhan']").await;
    assert!(b.wait_for_text("Peta 67 kelurahan").await, "dashboard opened");
    let src = b.source().await;
    assert!(
        src.contains("<svg") && src.contains("id=\"peta-kepatuhan\""),
        "the map is an inline SVG"
    );
    assert_eq!(src.matches("data-kelurahan=").count(), 67, "67 kelurahan drawn");
    assert!(src.contains("Batas wilayah: cahyadsn/wilayah_boundaries (MIT)"));
    assert!(src.contains("Mitra Swalayan") && src.contains("tidak patuh"));
    // Scroll the map into view (the fragment names the SVG) for the screenshot.
    b.goto(&app.url("/kepatuhan#peta-kepatuhan")).await;
    assert!(b.wait_for_text("Peta 67 kelurahan").await);
    b.screenshot("kepatuhan-peta").await;

    let ms1 = w.stores[2];
    b.click(&format!("#perlu-tindakan a[href='/kepatuhan/toko/{ms1}']")).await;
    assert!(b.wait_for_text("Yang kurang").await, "store detail with its shortfalls");
    b.screenshot("kepatuhan-toko").await;
    b.quit().await;
}
