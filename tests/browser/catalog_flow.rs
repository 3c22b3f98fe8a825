use etalase_domain::roles::Role;

use crate::helpers::spawn_app;
use crate::webdriver::Driver;

/// A UMKM registers, describes the business, adds a product and submits it; a Dinas officer
/// verifies the business and publishes the product; it appears in the public catalog.
#[tokio::test]
async fn umkm_submits_a_product_that_dinas_publishes_into_the_catalog() {
    let app = spawn_app().await;
    let mut b = Driver::start().await;
    let at = |p: &str| app.url(p);

    // A UMKM owner registers.
    b.goto(&at("/daftar")).await;
    b.screenshot("daftar").await;
    b.fill("#display_name", "Sari Wulandari").await;
    b.fill("#email", "sari@emping.test.id").await;
    b.fill("#password", "melinjo-taktakan").await;
    b.fill("#password_confirm", "melinjo-taktakan").await;
    b.click("form button[type=submit]").await;
    let url = b.wait_for_url(|u| u.ends_with("/usaha")).await;
    assert!(url.ends_with("/usaha"), "lands on the business form, not {url}");

    // First a mistake: the form comes back naming the field.
    b.fill("#name", "Dapur Emping Bu Sari").await;
    b.fill("#owner_name", "Sari Wulandari").await;
    b.fill("#nib", "12345").await;
    b.select("#capital_range", "up_to1").await;
    b.select("#risk_level", "rendah").await;
    b.fill("#address", "Jl. Raya Taktakan No. 12").await;
    b.select("#kelurahan_code", "36.73.06.1001").await;
    b.fill("#whatsapp", "0812-3456-7890").await;
    b.click("form.stack button[type=submit]").await;
    assert!(
        b.wait_for_text("NIB harus").await || b.wait_for_text("13 digit").await,
        "the NIB error is shown"
    );
    assert!(b.source().await.contains("aria-invalid=\"true\""), "the bad field is marked");
    b.screenshot("usaha-salah-nib").await;
    b.fill("#nib", "9120001234567").await;
    b.click("form.stack button[type=submit]").await;
    let url = b.wait_for_url(|u| u.ends_with("/produk-saya")).await;
    assert!(url.ends_with("/produk-saya"), "business saved, not {url}");

    // A product.
    b.click("a[href='/produk-saya/baru']").await;
    b.fill("#name", "Emping Melinjo Pedas Manis").await;
    b.select("#category", "makanan-ringan").await;
    b.fill("#description", "Emping melinjo Taktakan dengan bumbu pedas manis.").await;
    b.fill("#net_content", "250").await;
    b.select("#net_unit", "g").await;
    b.select("#packaging", "standing_pouch").await;
    b.fill("#shelf_life_days", "180").await;
    b.fill("#wholesale_price", "22.000").await;
    b.fill("#retail_price", "28.000").await;
    b.fill("#min_order", "10").await;
    b.fill("#monthly_capacity", "500").await;
    b.screenshot("produk-baru").await;
    b.click("#save-product").await;
    let product_url =
        b.wait_for_url(|u| u.rsplit('/').next().is_some_and(|s| s.parse::<i64>().is_ok())).await;
    let id: i64 =
        product_url.rsplit('/').next().and_then(|s| s.parse().ok()).expect("product page");
    b.fill("#number", "2013673010234-29").await;
    b.click("#add-certificate").await;
    assert!(b.wait_for_text("2013673010234-29").await, "certificate listed");
    b.click("#submit-product").await;
    // No photo yet: the page asks first.
    assert!(b.wait_for_text("Produk belum punya foto — tetap ajukan?").await, "asks first");
    b.click("#confirm-yes").await;
    assert!(b.wait_for_text("Produk sedang ditinjau Dinas").await, "submitted");
    b.screenshot("produk-diajukan").await;
    b.click("header form button.link").await;
    b.wait_for_url(|u| !u.contains("/produk-saya")).await;

    // A Dinas officer verifies the business and publishes the product.
    let dinas = app.user(Role::Dinas).await;
    b.goto(&at("/masuk")).await;
    b.fill("#email", &dinas.email).await;
    b.fill("#password", &dinas.password).await;
    b.click("form button[type=submit]").await;
    let url = b.wait_for_url(|u| u.ends_with("/dinas/verifikasi")).await;
    assert!(url.ends_with("/dinas/verifikasi"), "dinas lands on the queue, not {url}");
    b.screenshot("dinas-antrean").await;
    b.click("form[action^='/dinas/usaha/'][action$='/verifikasi'] button").await;
    assert!(b.wait_for_text("Pelaku UMKM menunggu verifikasi (0)").await, "business verified");
    b.click(&format!("#publish-{id}")).await;
    assert!(b.wait_for_text("Produk menunggu tinjauan (0)").await, "product left the queue");

    // Anyone sees it in the public catalog.
    // The search index catches up through the outbox relay within moments.
    let mut found = false;
    for _ in 0..50 {
        b.goto(&at("/katalog?q=emping")).await;
        let src = b.source().await;
        if src.contains("Pedas Manis") && src.contains(&format!("href=\"/katalog/{id}\"")) {
            found = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    if !found {
        let src = b.source().await;
        let at = src.find("result-count").unwrap_or(0);
        panic!(
            "not in the catalog search: {}",
            &src[at.saturating_sub(200)..(at + 1500).min(src.len())]
        );
    }
    b.screenshot("katalog").await;
    b.goto(&at(&format!("/katalog/{id}"))).await;
    assert!(
        b.wait_for_text("Rp28.000").await && b.source().await.contains("Dapur Emping Bu Sari"),
        "detail page"
    );
    b.screenshot("katalog-detail").await;
    b.quit().await;
}
