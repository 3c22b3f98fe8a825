//! Bodies of JSON requests and page forms are limited to 2 MB: over it, 413 naming the limit —
//! a body that declares its length before any of it is read, one sent without a length
//! (chunked) once the limit is passed — and nothing is saved. A page form sent as anything but
//! a form is 415, in Indonesian (axum's English rejection text never reaches the page).

use etalase_domain::roles::Role;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::accounts::web_login;
use crate::helpers::*;

const LIMIT_TEXT: &str = "Isi permintaan terlalu besar: batasnya 2 MB.";

/// A raw answer is 413 and names the limit.
fn expect_refused_at_limit(answer: &str) {
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains(LIMIT_TEXT), "{answer}");
}

/// Sends a request head (`headers` without the blank line) and `chunks` of body, ignoring a
/// write the server refused (it may answer and close first), then reads the answer's start.
async fn raw(app: &TestApp, head: &str, chunks: &[Vec<u8>]) -> String {
    let addr = app.address.trim_start_matches("http://").to_string();
    let mut s = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let head = format!("{head}\r\nHost: {addr}\r\n\r\n");
    s.write_all(head.as_bytes()).await.unwrap();
    for c in chunks {
        if s.write_all(c).await.is_err() {
            break;
        }
    }
    let mut buf = vec![0u8; 8192];
    let n = tokio::time::timeout(std::time::Duration::from_secs(10), s.read(&mut buf))
        .await
        .expect("an answer without the rest of the body")
        .unwrap_or(0);
    String::from_utf8_lossy(&buf[..n]).to_string()
}

#[tokio::test]
async fn a_declared_oversized_body_is_refused_before_it_is_read() {
    let app = spawn_app().await;
    let (c, _) = app.umkm_with_producer().await;
    // 100 MB declared, 64 KB sent, then nothing: the answer must not wait for the rest.
    let first = vec![vec![b' '; 64 * 1024]];
    let api = raw(
        &app,
        &format!(
            "POST /api/v1/products HTTP/1.1\r\nAuthorization: Bearer {}\r\n\
             Content-Type: application/json\r\nContent-Length: 100000000",
            c.token
        ),
        &first,
    )
    .await;
    expect_refused_at_limit(&api);
    // The login form, open to anyone.
    let login = raw(
        &app,
        "POST /masuk HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: 100000000",
        &first,
    )
    .await;
    expect_refused_at_limit(&login);
    assert_eq!(app.total("/api/v1/products", Some(&c.token)).await, 0);
}

#[tokio::test]
async fn a_body_without_a_length_is_cut_off_at_the_limit() {
    let app = spawn_app().await;
    let (c, _) = app.umkm_with_producer().await;
    // 3 MB in chunks of 64 KB, no Content-Length.
    let chunk = |n: usize| format!("{n:x}\r\n{}\r\n", " ".repeat(n)).into_bytes();
    let mut chunks: Vec<Vec<u8>> = (0..48).map(|_| chunk(64 * 1024)).collect();
    chunks.push(b"0\r\n\r\n".to_vec());
    let answer = raw(
        &app,
        &format!(
            "POST /api/v1/products HTTP/1.1\r\nAuthorization: Bearer {}\r\n\
             Content-Type: application/json\r\nTransfer-Encoding: chunked",
            c.token
        ),
        &chunks,
    )
    .await;
    expect_refused_at_limit(&answer);
    assert_eq!(app.total("/api/v1/products", Some(&c.token)).await, 0);
}

#[tokio::test]
async fn a_page_form_too_large_or_not_a_form_is_refused_in_indonesian_and_saves_nothing() {
    let app = spawn_app().await;
    let (c, id) = app.umkm_with_producer().await;
    let dinas = app.user(Role::Dinas).await;
    let path = format!("/api/v1/producers/{id}");
    let before = app.read(&path, Some(&dinas.token)).await;
    let (web, csrf) = web_login(&app, &c).await;

    let huge = "A".repeat(3 * 1024 * 1024);
    let r = web
        .post(app.url("/usaha"))
        .form(&[("csrf", csrf.as_str()), ("name", huge.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    let html = r.text().await.unwrap();
    assert!(html.contains(LIMIT_TEXT), "{html}");

    let r = web
        .post(app.url("/usaha"))
        .header("content-type", "application/json")
        .body(json!({"csrf": csrf, "name": "Usaha Baru"}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 415);
    let html = r.text().await.unwrap();
    assert!(html.contains("Formulir harus dikirim sebagai application/x-www-form-urlencoded"));
    assert!(!html.contains("Form requests must have"), "{html}");

    assert_eq!(app.read(&path, Some(&dinas.token)).await, before, "the business is unchanged");
}
