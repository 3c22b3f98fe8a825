//! The import page `/dinas/impor`: a file with problems shows every one and no save button; a
//! clean file shows its rows, the names matched and a save button that saves exactly the
//! previewed file; the template downloads; other roles are kept out.

use etalase_db::entities::producer;
use etalase_domain::roles::Role;
use reqwest::multipart::{Form, Part};
use sea_orm::{EntityTrait, PaginatorTrait};

use crate::helpers::*;
use crate::imports::BUSINESSES;

async fn upload(app: &TestApp, web: &reqwest::Client, csrf: &str, kind: &str, csv: &str) -> String {
    let form = Form::new().text("csrf", csrf.to_string()).text("jenis", kind.to_string()).part(
        "file",
        Part::bytes(csv.as_bytes().to_vec()).file_name("binaan.csv").mime_str("text/csv").unwrap(),
    );
    let r = web.post(app.url("/dinas/impor")).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), 200);
    r.text().await.unwrap()
}

fn token_in(html: &str) -> Option<String> {
    let key = "name=\"token\" value=\"";
    html.find(key)
        .map(|at| html[at + key.len()..].split('"').next().unwrap_or_default().to_string())
}

#[tokio::test]
async fn the_page_previews_a_file_then_saves_exactly_that_file() {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;
    let (web, csrf) = app.web_login(&dinas).await;
    let form = web.get(app.url("/dinas/impor")).send().await.unwrap().text().await.unwrap();
    assert!(
        form.contains("id=\"import-form\"") && form.contains("/dinas/impor/templat/usaha.xlsx")
    );

    let bad = BUSINESSES.replace("Kel. Banjarsari", "Atlantis");
    let html = upload(&app, &web, &csrf, "usaha", &bad).await;
    assert!(html.contains("id=\"import-errors\"") && html.contains("Atlantis"), "{html}");
    assert!(token_in(&html).is_none(), "no save button for a file with problems");

    let html = upload(&app, &web, &csrf, "usaha", BUSINESSES).await;
    assert!(
        html.contains("id=\"import-rows\"") && html.contains("Dicocokkan: kelurahan"),
        "{html}"
    );
    assert!(html.contains("Pendampingan: belum ada NIB"));
    let token = token_in(&html).expect("a save form");
    assert_eq!(producer::Entity::find().count(&app.state.db).await.unwrap(), 0, "preview only");

    // Another officer cannot save this officer's previewed file.
    let other = app.user(Role::Dinas).await;
    let (web2, csrf2) = app.web_login(&other).await;
    let r = web2
        .post(app.url("/dinas/impor/simpan"))
        .form(&[("csrf", csrf2.as_str()), ("jenis", "usaha"), ("token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);

    let r = web
        .post(app.url("/dinas/impor/simpan"))
        .form(&[("csrf", csrf.as_str()), ("jenis", "usaha"), ("token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(producer::Entity::find().count(&app.state.db).await.unwrap(), 2);
    let landing = r.headers()["location"].to_str().unwrap().to_string();
    let page = web.get(app.url(&landing)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("2 baru, 0 diubah, 0 tetap"), "feedback after saving: {page}");
    // The token is spent: saving twice does not run the import again.
    let r = web
        .post(app.url("/dinas/impor/simpan"))
        .form(&[("csrf", csrf.as_str()), ("jenis", "usaha"), ("token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn templates_download_and_other_roles_are_kept_out() {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;
    let web = app.web_client(&dinas).await;
    let r = web.get(app.url("/dinas/impor/templat/produk.csv")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-disposition"].to_str().unwrap().contains("templat-impor-produk.csv")
    );
    assert!(r.text().await.unwrap().starts_with("usaha,kode_produk,nama_produk"));
    assert_eq!(
        web.get(app.url("/dinas/impor/templat/produk.pdf")).send().await.unwrap().status(),
        404
    );
    assert_eq!(web.get(app.url("/dinas/impor?jenis=lainnya")).send().await.unwrap().status(), 400);
    let umkm = app.user(Role::Umkm).await;
    let web = app.web_client(&umkm).await;
    assert_eq!(web.get(app.url("/dinas/impor")).send().await.unwrap().status(), 403);
}
