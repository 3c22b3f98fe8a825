//! Hostile spreadsheets posted to the store import: limits are checked before the work they
//! bound, the answer is a 4xx naming the limit, nothing is saved, and the server keeps
//! answering (a dense-range allocation used to abort the whole process). A file that is no
//! spreadsheet at all (an old .xls, a PDF) is named, not read as CSV.

use etalase_domain::roles::Role;
use reqwest::Response;

use crate::helpers::*;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async fn post_import(app: &TestApp, token: &str, bytes: Vec<u8>, content_type: &str) -> Response {
    app.client
        .post(app.url("/api/v1/stores/import"))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(bytes)
        .send()
        .await
        .expect("sent")
}

async fn still_serving(app: &TestApp) {
    assert_eq!(app.get("/healthz", None).await.status(), 200, "the server still answers");
}

#[tokio::test]
async fn a_tiny_xlsx_with_cells_a1_and_xfd1048576_is_refused_without_building_the_range() {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "code").unwrap();
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    assert!(bytes.len() < 16 * 1024, "a small file: {} bytes", bytes.len());

    let r = post_import(&app, &dinas.token, bytes, XLSX).await;

    let p = expect_problem(r, 413, "payload_too_large").await;
    let detail = p["detail"].as_str().unwrap();
    assert!(
        detail.contains("40 kolom") && detail.contains("import_max_columns"),
        "names the limit: {p}"
    );
    still_serving(&app).await;
    assert_eq!(app.total("/api/v1/stores", Some(&dinas.token)).await, 0);
}

#[tokio::test]
async fn an_xlsx_whose_parts_inflate_past_the_limit_is_refused_before_inflating() {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    // ~35 MB of distinct shared strings that compress to almost nothing.
    let filler = "a".repeat(32_000);
    for r in 0..1_100u32 {
        ws.write_string(r, 0, format!("{r:05}{filler}")).unwrap();
    }
    let bytes = wb.save_to_buffer().unwrap();
    assert!(bytes.len() < 2 * 1024 * 1024, "fits the body limit: {} bytes", bytes.len());

    let r = post_import(&app, &dinas.token, bytes, XLSX).await;

    let p = expect_problem(r, 413, "payload_too_large").await;
    assert!(p["detail"].as_str().unwrap().contains("MB"), "names the limit: {p}");
    still_serving(&app).await;
}

#[tokio::test]
async fn spreadsheets_with_more_rows_than_the_limit_are_refused_and_save_nothing() {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;
    let rows = etalase_server::config::Config::default().import_max_rows + 1;
    let mut csv = crate::stores::STORE_HEADER.to_string();
    csv.push('\n');
    for i in 0..rows {
        csv.push_str(&format!("G-{i},Toko {i},,minimarket,Jl. {i},36.73.01.1001,,,1\n"));
    }
    let r = post_import(&app, &dinas.token, csv.into_bytes(), "text/csv").await;
    let p = expect_problem(r, 413, "payload_too_large").await;
    assert!(p["detail"].as_str().unwrap().contains("5000"), "names the limit: {p}");

    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for r in 0..=rows as u32 {
        ws.write_string(r, 0, format!("G-{r}")).unwrap();
    }
    let r = post_import(&app, &dinas.token, wb.save_to_buffer().unwrap(), XLSX).await;
    expect_problem(r, 413, "payload_too_large").await;
    still_serving(&app).await;
    assert_eq!(app.total("/api/v1/stores", Some(&dinas.token)).await, 0);
}

#[tokio::test]
async fn the_import_limits_come_from_configuration() {
    let app = spawn_app_with(
        |c| {
            c.import_max_rows = 2;
            c.import_max_bytes = 4096;
        },
        None,
    )
    .await;
    let dinas = app.user(Role::Dinas).await;
    let mut csv = crate::stores::STORE_HEADER.to_string();
    csv.push('\n');
    for i in 0..3 {
        csv.push_str(&format!("G-{i},Toko {i},,minimarket,Jl. {i},36.73.01.1001,,,1\n"));
    }
    let r = post_import(&app, &dinas.token, csv.into_bytes(), "text/csv").await;
    let p = expect_problem(r, 413, "payload_too_large").await;
    assert!(p["detail"].as_str().unwrap().contains("2 baris"), "names the limit: {p}");

    let big = vec![b'a'; 5000];
    let p = expect_problem(
        post_import(&app, &dinas.token, big, "text/csv").await,
        413,
        "payload_too_large",
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("MB"), "names the size limit: {p}");
    still_serving(&app).await;
    assert_eq!(app.total("/api/v1/stores", Some(&dinas.token)).await, 0);
}

#[tokio::test]
async fn who_may_import_is_checked_before_the_body_is_read() {
    let app = spawn_app().await;
    let umkm = app.user(Role::Umkm).await;
    // Larger than any import may be: refused for its role, not its size.
    let big = vec![b'a'; 9 * 1024 * 1024];
    let r = post_import(&app, &umkm.token, big, "text/csv").await;
    assert_eq!(
        r.headers().get("connection").map(|v| v.to_str().unwrap()),
        Some("close"),
        "the unread body ends the connection, and the client is told"
    );
    expect_problem(r, 403, "forbidden").await;
    let r = app
        .client
        .post(app.url("/api/v1/stores/import"))
        .header("content-type", "text/csv")
        .body(vec![b'a'; 9 * 1024 * 1024])
        .send()
        .await
        .expect("sent");
    expect_problem(r, 401, "unauthenticated").await;
}

#[tokio::test]
async fn a_file_sent_as_a_multipart_form_is_refused_saying_how_to_send_it() {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;
    let form = b"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"u.csv\"\r\n\r\nnama_usaha\r\n--x--\r\n";
    for path in ["/api/v1/imports/usaha/preview", "/api/v1/imports/usaha", "/api/v1/stores/import"]
    {
        let r = app
            .client
            .post(app.url(path))
            .bearer_auth(&dinas.token)
            .header("content-type", "multipart/form-data; boundary=x")
            .body(form.to_vec())
            .send()
            .await
            .expect("sent");
        let p = expect_problem(r, 415, "unsupported_media_type").await;
        let detail = p["detail"].as_str().unwrap_or("");
        assert!(detail.contains("bukan sebagai formulir multipart/form-data"), "{path}: {p}");
    }
    still_serving(&app).await;
}

#[tokio::test]
async fn an_old_excel_file_or_a_pdf_is_named_and_saves_nothing() {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;
    // An .xls (OLE2 compound file) and a PDF, as an office would pick them by mistake.
    let mut xls = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    xls.resize(4096, 0);
    let r = post_import(&app, &dinas.token, xls, "application/vnd.ms-excel").await;
    let p = expect_problem(r, 400, "unreadable_file").await;
    assert!(p["detail"].as_str().unwrap().contains("Excel lama (.xls)"), "{p}");
    let r = post_import(&app, &dinas.token, b"%PDF-1.7\ncode,name\n".to_vec(), "text/csv").await;
    let p = expect_problem(r, 400, "unreadable_file").await;
    assert!(p["detail"].as_str().unwrap().contains("dokumen PDF"), "{p}");
    assert_eq!(app.total("/api/v1/stores", Some(&dinas.token)).await, 0, "no store saved");
    still_serving(&app).await;
}
