//! Lists as people use them: the public catalog on a phone (words + Enter, the Halal chip, a
//! price range with the Cari button, "Berikutnya →", Back, a product), and the Dinas review
//! queue on a phone and a desktop (paging, verify, publish, reject with a reason, a message
//! after each, the search box) without sideways scrolling.

use etalase_domain::roles::Role;

use crate::helpers::*;
use crate::webdriver::Driver;

/// The product links on a catalog page, in order.
async fn product_links(b: &Driver) -> Vec<String> {
    let v = b
        .script(
            "return Array.from(document.querySelectorAll('.product-card h3 a'))\
             .map(a => a.getAttribute('href'));",
        )
        .await;
    v.as_array()
        .map(|a| a.iter().filter_map(|s| s.as_str().map(String::from)).collect())
        .unwrap_or_default()
}

async fn value_of(b: &Driver, css: &str) -> String {
    let js = format!("return document.querySelector(\"{css}\").value;");
    b.script(&js).await.as_str().unwrap_or("").to_string()
}

async fn count_line(b: &Driver) -> String {
    b.text("#result-count").await
}

#[tokio::test]
async fn a_visitor_on_a_phone_searches_filters_pages_and_opens_a_product() {
    let app = spawn_app().await;
    app.catalog_of("Dapur Bu Ani", 30).await;
    let mut b = Driver::start().await;
    b.shots_in("lists_flow_catalog");
    b.phone().await;

    b.goto(&app.url("/katalog")).await;
    assert!(b.wait_for_text("Menampilkan 1–24 dari 30 produk").await, "all 30, 24 a page");
    assert!(!b.overflows_sideways().await, "the catalog fits a phone");
    b.screenshot("katalog").await;

    // Words and Enter: the whole form goes, empty fields too, and only the matches come back.
    b.type_keys("#q", "sambel pedes").await;
    b.press_enter("#q").await;
    let url = b.wait_for_url(|u| u.contains("q=sambel+pedes") && u.contains("category=")).await;
    assert!(url.contains("price_min="), "the form was submitted with its empty fields: {url}");
    assert!(b.wait_for_text("dari 10 produk").await, "10 Sambel Pedes: {}", count_line(&b).await);
    assert!(!b.source().await.contains("tidak sah"), "no parameter error");
    assert_eq!(value_of(&b, "#q").await, "sambel pedes", "the words stay in the box");
    let names = b.script("return Array.from(document.querySelectorAll('.product-card h3')).map(h => h.textContent).join('|');").await;
    assert!(
        names.as_str().unwrap_or("").split('|').all(|n| n.contains("Sambel")),
        "only matches: {names}"
    );
    b.screenshot("cari-sambel-pedes").await;

    // Cleared again, then the Halal chip.
    b.fill("#q", "").await;
    b.press_enter("#q").await;
    assert!(b.wait_for_text("Menampilkan 1–24 dari 30 produk").await, "back to all");
    b.click("#results a.badge.ok[href*='halal=true']").await;
    b.wait_for_url(|u| u.contains("halal=true")).await;
    assert!(b.wait_for_text("dari 10 produk").await, "halal only: {}", count_line(&b).await);
    assert_eq!(value_of(&b, "#halal").await, "true", "the Halal filter shows as chosen");
    b.screenshot("halal").await;

    // A price range, sent with the Cari button.
    assert_eq!(
        b.script("return document.querySelector('details.more').open;").await,
        serde_json::json!(true),
        "\"Filter lain\" is open while the Halal filter is on"
    );
    b.fill("#price_min", &seeded_price(3).to_string()).await;
    b.fill("#price_max", &seeded_price(20).to_string()).await;
    b.click("#search-form button[type=submit]").await;
    b.wait_for_url(|u| u.contains("price_max=")).await;
    // Halal Sambel Pedes from Rp13.000 to Rp30.000: numbers 3, 6, …, 18.
    assert!(b.wait_for_text("Menampilkan 1–6 dari 6 produk").await, "{}", count_line(&b).await);
    assert!(!b.overflows_sideways().await, "the open filters fit a phone");
    b.screenshot("rentang-harga").await;

    // Everything cleared with the button; then page 2 and back.
    b.fill("#price_min", "").await;
    b.fill("#price_max", "").await;
    b.select("#halal", "").await;
    b.click("#search-form button[type=submit]").await;
    assert!(b.wait_for_text("Menampilkan 1–24 dari 30 produk").await, "{}", count_line(&b).await);
    let first = product_links(&b).await;
    assert_eq!(first.len(), 24);
    b.click("#results a[rel=next]").await;
    b.wait_for_url(|u| u.contains("page=2")).await;
    assert!(b.wait_for_text("Menampilkan 25–30 dari 30 produk").await, "{}", count_line(&b).await);
    let second = product_links(&b).await;
    assert_eq!(second.len(), 6);
    assert!(second.iter().all(|p| !first.contains(p)), "page 2 shows other products");
    b.screenshot("halaman-2").await;
    b.back().await;
    assert!(b.wait_for_text("Menampilkan 1–24 dari 30 produk").await, "Back shows page 1");
    assert_eq!(product_links(&b).await, first);

    // A product: its page names the maker.
    let href = first[0].clone();
    b.click(&format!(".product-card h3 a[href='{href}']")).await;
    b.wait_for_url(|u| u.ends_with(&href)).await;
    assert!(b.wait_for_text("Dapur Bu Ani").await, "the product page names the producer");
    assert!(!b.overflows_sideways().await);
    b.screenshot("produk").await;
    b.quit().await;
}

#[tokio::test]
async fn dinas_pages_the_queue_and_verifies_publishes_and_rejects_with_messages() {
    let app = spawn_app().await;
    let (_, producer_id, ids) = app.submitted_of("Dapur Pak Ujang", 23).await;
    app.business("Kue Bu Rina").await;
    let dinas = app.user(Role::Dinas).await;
    let mut b = Driver::start().await;
    b.shots_in("lists_flow_dinas");
    b.phone().await;
    b.sign_in(&app.url("/masuk"), &dinas.email, &dinas.password).await;
    b.goto(&app.url("/dinas/verifikasi")).await;
    assert!(b.wait_for_text("Menampilkan 1–20 dari 23 produk").await, "23 waiting, 20 a page");
    assert!(b.source().await.contains("Menampilkan 1–2 dari 2 usaha"));
    assert!(!b.overflows_sideways().await, "the queue fits a phone");
    b.screenshot("antrean").await;

    // Berikutnya → on the products' list.
    b.click("a[rel=next][href*='page=2']").await;
    b.wait_for_url(|u| u.contains("page=2")).await;
    assert!(b.wait_for_text("Menampilkan 21–23 dari 23 produk").await, "page 2");
    assert!(b.exists(&format!("#produk-{}", ids[20])).await, "the 21st product is on page 2");
    assert!(!b.overflows_sideways().await);
    b.screenshot("antrean-halaman-2").await;

    // Verify the business: back on page 2 with a message naming it.
    b.click(&format!("#verify-{producer_id}")).await;
    assert!(b.wait_for_text("diverifikasi.").await, "a message after verifying");
    assert_eq!(b.text(".alert.ok").await, "Usaha \"Dapur Pak Ujang\" diverifikasi.");
    assert!(b.url().await.contains("page=2"), "still on page 2");
    assert!(b.source().await.contains("Menampilkan 1–1 dari 1 usaha"), "one business left");
    b.screenshot("usaha-diverifikasi").await;

    // Publish one product.
    b.click(&format!("#publish-{}", ids[20])).await;
    assert!(b.wait_for_text("ditayangkan di katalog.").await, "a message after publishing");
    assert!(b.text(".alert.ok").await.contains("Kopi Robusta Banten 20"));
    assert!(b.wait_for_text("Menampilkan 21–22 dari 22 produk").await, "one left the queue");
    b.screenshot("produk-ditayangkan").await;

    // Reject one with a reason.
    let id = ids[21];
    b.click(&format!("#produk-{id} details summary")).await;
    b.fill(&format!("#reason-p{id}"), "Foto kemasan belum ada, mohon dilengkapi.").await;
    b.screenshot("alasan-penolakan").await;
    b.click(&format!("#reject-{id}")).await;
    assert!(b.wait_for_text("ditolak;").await, "a message after rejecting");
    assert!(b.text(".alert.ok").await.contains("Sambel Pedes Bawang 21"));
    assert!(b.wait_for_text("Menampilkan 21–21 dari 21 produk").await, "another left");
    assert!(!b.overflows_sideways().await);
    b.screenshot("produk-ditolak").await;

    // On a desktop: the search box narrows the queue.
    b.desktop().await;
    b.fill("#q", "kopi").await;
    b.press_enter("#q").await;
    b.wait_for_url(|u| u.contains("q=kopi")).await;
    assert!(b.wait_for_text("Produk menunggu tinjauan (6)").await, "6 Kopi left (one published)");
    assert!(!b.overflows_sideways().await);
    b.screenshot("desktop-cari-kopi").await;
    b.quit().await;
}

#[tokio::test]
async fn the_admin_pages_sorts_and_searches_the_accounts_on_a_phone() {
    let app = spawn_app().await;
    for i in 0..55 {
        etalase_db::repo::users::create(
            &app.state.db,
            etalase_db::repo::users::NewUser {
                email: &format!("gerai{i:02}@jaringan.test.id"),
                password_hash: "x",
                role: if i < 5 { Role::Chain } else { Role::Store },
                display_name: &format!("Manajer Gerai {:02}", 54 - i),
            },
            test_now(),
        )
        .await
        .unwrap();
    }
    let admin = app.user(Role::Admin).await;
    let mut b = Driver::start().await;
    b.shots_in("lists_flow_admin");
    b.phone().await;
    b.sign_in(&app.url("/masuk"), &admin.email, &admin.password).await;
    b.goto(&app.url("/admin/pengguna")).await;
    assert!(b.wait_for_text("Menampilkan 1–50 dari 56 akun").await, "56 accounts, 50 a page");
    assert!(!b.overflows_sideways().await, "the account list fits a phone");
    b.script("document.getElementById('akun').scrollIntoView();").await;
    b.screenshot("akun").await;

    b.click("#accounts a.sort[href*='sort=name']").await;
    b.wait_for_url(|u| u.contains("sort=name")).await;
    let first = b.text("#accounts tbody tr td").await;
    assert_eq!(first, "Manajer Gerai 00", "A–Z by name");
    b.click("#accounts a.sort[href*='sort=name']").await;
    b.wait_for_url(|u| u.contains("dir=desc")).await;
    assert_eq!(b.text("#accounts tbody tr td").await, "Pengguna Uji", "Z–A by name");
    b.script("document.getElementById('akun').scrollIntoView();").await;
    b.screenshot("urut-nama-z-a").await;

    b.click("a[rel=next]").await;
    b.wait_for_url(|u| u.contains("page=2")).await;
    assert!(b.wait_for_text("Menampilkan 51–56 dari 56 akun").await, "page 2");
    assert!(b.url().await.contains("dir=desc"), "the order is kept on page 2");
    b.script("document.getElementById('akun').scrollIntoView();").await;
    b.screenshot("halaman-2").await;

    b.type_keys("#uq", "gerai0").await;
    b.select("#urole", "chain").await;
    b.click("#users-search button[type=submit]").await;
    b.wait_for_url(|u| u.contains("role=chain")).await;
    assert!(b.wait_for_text("Semua akun (5)").await, "5 chain accounts gerai00…04");
    assert!(!b.overflows_sideways().await);
    b.script("document.getElementById('akun').scrollIntoView();").await;
    b.screenshot("cari-peran").await;
    b.quit().await;
}
