//! Every `<form method="get">` of the pages, sent as a browser sends it — with all its fields,
//! the empty ones too. An empty field means "no filter": the page answers 200, shows no
//! "tidak sah" error and lists what the bare page lists. Also: the JSON search with empty
//! parameters, and the lists' paging ("Menampilkan 25–26 dari 26 produk", page 2 differs).

use etalase_domain::roles::Role;

use crate::helpers::*;

async fn html(web: &reqwest::Client, app: &TestApp, path: &str) -> String {
    let r = web.get(app.url(path)).send().await.expect("sent");
    let status = r.status().as_u16();
    let body = r.text().await.expect("html");
    assert_eq!(status, 200, "{path}: {body}");
    assert!(!body.contains("tidak sah"), "{path} shows a parameter error");
    body
}

/// The text from `marker` to the next `<`.
fn text_after(body: &str, marker: &str) -> String {
    let at = body.find(marker).unwrap_or_else(|| panic!("{marker} not on the page")) + marker.len();
    body[at..].split('<').next().unwrap_or("").to_string()
}

/// The catalog's count line without the timing ("Menampilkan 1–24 dari 26 produk").
fn catalog_count(body: &str) -> String {
    text_after(body, "id=\"result-count\">").split(" · ").next().unwrap_or("").to_string()
}

/// The product links of a catalog page, in order.
fn product_links(body: &str) -> Vec<String> {
    body.match_indices("<h3><a href=\"/katalog/")
        .map(|(i, m)| body[i + m.len()..].split('"').next().unwrap_or("").to_string())
        .collect()
}

const CATALOG_EMPTY: &str =
    "/katalog?q=&category=&kecamatan=&sort=&halal=&standard=&radius_km=&price_min=&price_max=";

#[tokio::test]
async fn the_catalog_form_with_every_field_empty_lists_everything_and_pages() {
    let app = spawn_app().await;
    app.catalog_of("Dapur Bu Ani", 26).await;
    let web = reqwest::Client::new();

    let bare = html(&web, &app, "/katalog").await;
    assert_eq!(catalog_count(&bare), "Menampilkan 1–24 dari 26 produk");
    let empty = html(&web, &app, CATALOG_EMPTY).await;
    assert_eq!(catalog_count(&empty), catalog_count(&bare));
    assert_eq!(product_links(&empty).len(), 24);
    // The home page's search box sends only `q`.
    assert_eq!(catalog_count(&html(&web, &app, "/katalog?q=").await), catalog_count(&bare));

    // Page 2 keeps the (empty) filters out of its links and shows the other products.
    assert!(empty.contains("href=\"/katalog?page=2\""), "Berikutnya → goes to page 2");
    let second = html(&web, &app, &format!("{CATALOG_EMPTY}&page=2")).await;
    assert_eq!(catalog_count(&second), "Menampilkan 25–26 dari 26 produk");
    let (one, two) = (product_links(&empty), product_links(&second));
    assert_eq!(two.len(), 2);
    assert!(two.iter().all(|p| !one.contains(p)), "page 2 repeats page 1: {two:?}");
    // A page past the end (an old link) goes to the last page instead of an empty list.
    let plain = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build();
    let r = plain.unwrap().get(app.url("/katalog?q=&page=9")).send().await.expect("sent");
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/katalog?page=2");

    // With words and empty filters: only the matches, the words kept in the box and in
    // the pager's links.
    let q =
        html(&web, &app, "/katalog?q=sambel+pedes&category=&halal=&price_min=&price_max=").await;
    assert_eq!(catalog_count(&q), "Menampilkan 1–9 dari 9 produk");
    assert!(q.contains("value=\"sambel pedes\""), "the query stays in the box");
    // Halal and a price range filled in, the rest empty.
    let halal = html(&web, &app, "/katalog?q=&category=&halal=true&price_min=&price_max=").await;
    assert_eq!(catalog_count(&halal), "Menampilkan 1–9 dari 9 produk");
    let range = format!(
        "/katalog?q=&halal=&price_min={}&price_max={}&sort=price_asc",
        seeded_price(3),
        seeded_price(7)
    );
    let priced = html(&web, &app, &range).await;
    assert_eq!(catalog_count(&priced), "Menampilkan 1–5 dari 5 produk");
    assert!(
        priced.find(&seeded_name(3)) < priced.find(&seeded_name(7)),
        "cheapest first when sorted by price"
    );
    // A product card names its maker, so equal names can be told apart.
    assert!(empty.contains("Dapur Bu Ani"), "producer name on the cards");
}

#[tokio::test]
async fn the_store_managers_catalog_form_with_radius_and_standard_empty_lists_everything() {
    let app = spawn_app().await;
    let w = crate::agreements::world(&app).await;
    app.settle().await;
    let web = app.web_client(&w.manager).await;
    let bare = html(&web, &app, "/katalog").await;
    assert!(bare.contains("id=\"radius_km\""), "a store manager gets the distance field");
    let empty = html(&web, &app, CATALOG_EMPTY).await;
    assert_eq!(catalog_count(&empty), catalog_count(&bare));
    assert_eq!(product_links(&empty), product_links(&bare));
    assert!(!product_links(&bare).is_empty());
}

#[tokio::test]
async fn the_json_search_with_empty_parameters_is_the_unfiltered_search() {
    let app = spawn_app().await;
    app.catalog_of("Dapur Bu Ani", 4).await;
    let all = app.total("/api/v1/search/products", None).await;
    assert_eq!(all, 4);
    let empty =
        "/api/v1/search/products?q=&halal=&category=&kecamatan=&price_min=&price_max=&sort=&page=";
    assert_eq!(app.total(empty, None).await, all);
    assert_eq!(app.total("/api/v1/search/products?q=sambel&halal=", None).await, 2);
}

#[tokio::test]
async fn the_dinas_queue_form_empty_pages_and_comes_back_to_the_same_page_after_an_action() {
    let app = spawn_app().await;
    let (_, producer_id, ids) = app.submitted_of("Dapur Pak Ujang", 23).await;
    app.business("Usaha Tanpa Produk").await;
    let dinas = app.user(Role::Dinas).await;
    let web = app.web_client(&dinas).await;

    let bare = html(&web, &app, "/dinas/verifikasi").await;
    assert!(bare.contains("Produk menunggu tinjauan (23)"), "count of products");
    assert!(bare.contains("Menampilkan 1–20 dari 23 produk"));
    assert!(bare.contains("Pelaku UMKM menunggu verifikasi (2)"));
    let empty = html(&web, &app, "/dinas/verifikasi?q=&kecamatan=&category=").await;
    assert!(empty.contains("Menampilkan 1–20 dari 23 produk"), "empty form = no filter");
    assert!(empty.contains("Menampilkan 1–2 dari 2 usaha"));

    // Searching narrows both lists; the category narrows the products.
    let kripik = html(&web, &app, "/dinas/verifikasi?q=kripik&kecamatan=&category=").await;
    assert!(kripik.contains("Produk menunggu tinjauan (8)"), "8 Kripik products");
    let by_business = html(&web, &app, "/dinas/verifikasi?q=pak+ujang&category=").await;
    assert!(
        by_business.contains("Produk menunggu tinjauan (23)"),
        "the business's name finds its products"
    );
    assert!(by_business.contains("Pelaku UMKM menunggu verifikasi (1)"));
    let kopi = html(&web, &app, "/dinas/verifikasi?q=&kecamatan=&category=kopi-teh").await;
    assert!(kopi.contains("Produk menunggu tinjauan (7)"), "7 kopi products");

    // Page 2, and an action there comes back to page 2 with a message naming the business.
    let page2 = html(&web, &app, "/dinas/verifikasi?page=2").await;
    assert!(page2.contains("Menampilkan 21–23 dari 23 produk"));
    let csrf = csrf_in(&page2);
    let r = web
        .post(app.url(&format!("/dinas/usaha/{producer_id}/verifikasi")))
        .form(&[("csrf", csrf.as_str()), ("back", "page=2")])
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), 303);
    let to = r.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(to, "/dinas/verifikasi?page=2");
    let after = html(&web, &app, &to).await;
    assert!(
        after.contains("Usaha &#34;Dapur Pak Ujang&#34; diverifikasi.")
            || after.contains("Usaha &quot;Dapur Pak Ujang&quot; diverifikasi."),
        "flash names the business"
    );
    // Publishing the last product of page 2 keeps the filters it came from.
    let last = ids[20]; // a Kopi Robusta
    let r = web
        .post(app.url(&format!("/dinas/produk/{last}/tayangkan")))
        .form(&[("csrf", csrf.as_str()), ("back", "q=kopi&page=2&evil=https://x")])
        .send()
        .await
        .expect("sent");
    assert_eq!(r.headers()["location"].to_str().unwrap(), "/dinas/verifikasi?q=kopi&page=2");
    let after = html(&web, &app, "/dinas/verifikasi?q=kopi&page=2").await;
    assert!(after.contains("ditayangkan di katalog"), "flash after publishing");
    assert!(after.contains("Produk menunggu tinjauan (6)"), "one kopi product left the queue");
    // Page 2 of a list that now fits on one page shows page 1 instead of nothing.
    assert!(after.contains("Menampilkan 1–6 dari 6 produk"));
}

#[tokio::test]
async fn the_admin_account_list_pages_searches_filters_and_sorts_with_empty_fields_ignored() {
    let app = spawn_app().await;
    for i in 0..55 {
        etalase_db::repo::users::create(
            &app.state.db,
            etalase_db::repo::users::NewUser {
                email: &format!("toko{i:02}@jaringan.test.id"),
                password_hash: "x",
                role: if i < 5 { Role::Chain } else { Role::Store },
                display_name: &format!("Manajer {:02}", 54 - i),
            },
            test_now(),
        )
        .await
        .unwrap();
    }
    let admin = app.user(Role::Admin).await;
    let web = app.web_client(&admin).await;
    let bare = html(&web, &app, "/admin/pengguna").await;
    assert!(bare.contains("Semua akun (56)"), "55 + the admin");
    assert!(bare.contains("Menampilkan 1–50 dari 56 akun"));
    let empty = html(&web, &app, "/admin/pengguna?q=&role=&sort=&dir=").await;
    assert!(empty.contains("Menampilkan 1–50 dari 56 akun"), "empty form = no filter");

    let two = html(&web, &app, "/admin/pengguna?page=2").await;
    assert!(two.contains("Menampilkan 51–56 dari 56 akun"));
    let chain = html(&web, &app, "/admin/pengguna?q=&role=chain").await;
    assert!(chain.contains("Semua akun (5)"), "role filter");
    let found = html(&web, &app, "/admin/pengguna?q=TOKO1&role=").await;
    assert!(found.contains("Semua akun (10)"), "search by email, any case");
    let by_name = html(&web, &app, "/admin/pengguna?q=manajer&sort=name&dir=asc").await;
    let first = by_name.find("Manajer 00").expect("Manajer 00");
    assert!(first < by_name.find("Manajer 01").expect("Manajer 01"), "A–Z by name");
    assert!(by_name.contains("aria-sort=\"ascending\""), "the sorted column is marked");
    let link = text_after(&by_name, "aria-sort=\"ascending\"><a class=\"sort\" href=\"");
    assert!(
        link.contains("sort=name") && link.contains("dir=desc"),
        "turns the order round: {link}"
    );
    let bad = web.get(app.url("/admin/pengguna?role=raja")).send().await.unwrap();
    assert_eq!(bad.status(), 200);
    let bad = bad.text().await.unwrap();
    assert!(bad.contains("tidak sah") && bad.contains("role"), "a bad role is named on the page");
}

#[tokio::test]
async fn the_registry_and_compliance_forms_with_empty_fields_list_what_the_bare_pages_list() {
    let app = spawn_app().await;
    let w = crate::compliance_world::world(&app).await;
    let web = app.web_client(&w.dinas).await;

    let bare = html(&web, &app, "/dinas/toko").await;
    let empty = html(&web, &app, "/dinas/toko?q=").await;
    assert_eq!(text_after(&bare, "Gerai ("), "3)");
    assert_eq!(text_after(&empty, "Gerai ("), "3)");
    assert!(empty.contains("Menampilkan 1–3 dari 3 gerai"));

    let bare = html(&web, &app, "/kepatuhan").await;
    let empty = html(&web, &app, "/kepatuhan?bulan=").await;
    let heading = "Gerai yang perlu ditindaklanjuti (";
    assert_eq!(text_after(&bare, heading), "2)");
    assert_eq!(text_after(&empty, heading), "2)");
    assert!(empty.contains("Menampilkan 1–2 dari 2 gerai"));
    // Sorted by status: tidak patuh (MS-1) before berisiko (SM-2).
    let by_status = html(&web, &app, "/kepatuhan?bulan=&sort=status").await;
    let table = &by_status[by_status.find("id=\"perlu-tindakan\"").unwrap()..];
    assert!(table.find("MS-1").unwrap() < table.find("SM-2").unwrap(), "tidak patuh first");
}

#[tokio::test]
async fn the_recommendations_form_with_empty_fields_is_the_bare_page() {
    let app = spawn_app().await;
    let w = crate::agreements::world(&app).await;
    app.settle().await;
    let web = app.web_client(&w.manager).await;
    let bare = html(&web, &app, "/toko/rekomendasi").await;
    let empty = html(&web, &app, "/toko/rekomendasi?toko=&q=").await;
    let count = |b: &str| b.matches("id=\"produk-").count();
    assert_eq!(count(&empty), count(&bare));
    assert!(count(&bare) > 0, "the published product is recommended");
}

#[tokio::test]
async fn a_chain_of_105_stores_is_paged_in_the_registry_and_whole_on_the_chain_pages() {
    let app = spawn_app().await;
    let chain_id = crate::stores::chain(&app, "MS").await;
    let dinas = app.user(Role::Dinas).await;
    for i in 0..105 {
        let body = crate::stores::store_body(&format!("MS-{i:03}"), "MS");
        json_ok(app.post("/api/v1/stores", Some(&dinas.token), body).await, 201).await;
    }
    let web = app.web_client(&dinas).await;
    let first = html(&web, &app, "/dinas/toko?q=").await;
    assert!(first.contains("Menampilkan 1–50 dari 105 gerai"), "registry page 1");
    let last = html(&web, &app, "/dinas/toko?q=&page=3").await;
    assert!(last.contains("Menampilkan 101–105 dari 105 gerai"), "registry page 3");
    assert!(last.contains("MS-104") && !last.contains("MS-000<"), "page 3 holds the last ones");
    let found = html(&web, &app, "/dinas/toko?q=MS-10").await;
    assert_eq!(text_after(&found, "Gerai ("), "5)", "MS-100…MS-104 by name");

    // The chain office sees every store, not the first 100.
    let office = app.user(Role::Chain).await;
    etalase_db::repo::users::set_affiliation(&app.state.db, office.user_id, Some(chain_id), None)
        .await
        .unwrap();
    let web = app.web_client(&office).await;
    let overview = html(&web, &app, "/jaringan").await;
    assert_eq!(overview.matches("<tr><td><a href=\"/toko/").count(), 105, "every store's row");
    let rec = html(&web, &app, "/toko/rekomendasi?toko=&q=").await;
    assert_eq!(rec.matches("<option value=").count(), 105, "every store to choose from");
}

/// A UMKM with more products than one page: the newest change first, 24 a page, counted.
#[tokio::test]
async fn the_owners_own_products_page_with_the_latest_change_first() {
    let app = spawn_app().await;
    let (owner, _) = app.umkm_with_producer().await;
    let mut ids = Vec::new();
    for _ in 0..27 {
        ids.push(app.draft_product(&owner).await["id"].as_i64().expect("id"));
    }
    let web = app.web_client(&owner).await;
    let links = |body: &str| -> Vec<String> {
        body.match_indices("<h3><a href=\"/produk-saya/")
            .map(|(i, m)| body[i + m.len()..].split('"').next().unwrap_or("").to_string())
            .collect()
    };
    let first = html(&web, &app, "/produk-saya").await;
    assert!(first.contains("Menampilkan 1–24 dari 27 produk"), "{first}");
    assert_eq!(links(&first).len(), 24);
    assert_eq!(links(&first)[0], ids[26].to_string(), "the latest first");
    let second = html(&web, &app, "/produk-saya?page=2").await;
    assert!(second.contains("Menampilkan 25–27 dari 27 produk"));
    assert_eq!(links(&second), [ids[2], ids[1], ids[0]].map(|i| i.to_string()));
}
