//! Certificates of a product: numbers checked per kind, validity on the test clock's day,
//! documents uploaded as multipart (type read from the bytes, size-limited) and who may
//! download them.

use chrono::{TimeZone, Utc};
use etalase_domain::roles::Role;
use reqwest::Response;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::helpers::*;

const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

fn certs(product_id: i64) -> String {
    format!("/api/v1/products/{product_id}/certificates")
}

/// A UMKM with a draft product: (owner, product id).
async fn owner_with_draft(app: &TestApp) -> (Caller, i64) {
    let (c, _) = app.umkm_with_producer().await;
    let id = app.draft_product(&c).await["id"].as_i64().expect("id");
    (c, id)
}

/// The certificates of a product as its owner sees them.
async fn listed(app: &TestApp, owner: &Caller, product_id: i64) -> Vec<Value> {
    app.read(&certs(product_id), Some(&owner.token)).await.as_array().expect("array").clone()
}

async fn upload(
    app: &TestApp,
    token: &str,
    product_id: i64,
    bytes: Vec<u8>,
    filename: &str,
) -> Response {
    let part = Part::bytes(bytes)
        .file_name(filename.to_string())
        .mime_str("application/pdf")
        .expect("mime");
    let form =
        Form::new().text("kind", "pirt").text("number", "2013673010234-29").part("document", part);
    app.client
        .post(app.url(&certs(product_id)))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("sent")
}

#[tokio::test]
async fn a_pirt_number_is_normalised_and_its_expiry_derived_from_the_number() {
    let app = spawn_app().await;
    let (c, id) = owner_with_draft(&app).await;

    let r = app
        .post(
            &certs(id),
            Some(&c.token),
            json!({"kind": "pirt", "number": " 2.01.3673.01.0234 29 "}),
        )
        .await;

    let v = json_ok(r, 201).await;
    assert_eq!(v["number"], "2013673010234-29");
    assert_eq!(v["expires_on"], "2029-12-31");
    assert_eq!(v["validity"], "valid");
    assert_eq!(v["kind_label"], "P-IRT (SPP-IRT)");
    assert_eq!(v["has_document"], false);
    assert!(v["document_url"].is_null());
    assert_eq!(listed(&app, &c, id).await, vec![v.clone()]);
    let product = app.read(&format!("/api/v1/products/{id}"), Some(&c.token)).await;
    assert_eq!(product["certificates"][0], v);
}

#[tokio::test]
async fn a_halal_certificate_number_is_accepted_in_upper_case() {
    let app = spawn_app().await;
    let (c, id) = owner_with_draft(&app).await;

    let r = app
        .post(
            &certs(id),
            Some(&c.token),
            json!({"kind": "halal", "number": "id 36110000123456", "issuer": "BPJPH"}),
        )
        .await;

    let v = json_ok(r, 201).await;
    assert_eq!(v["number"], "ID36110000123456");
    assert_eq!(v["issuer"], "BPJPH");
    assert_eq!(v["validity"], "no_expiry");
    assert_eq!(listed(&app, &c, id).await.len(), 1);
}

#[tokio::test]
async fn a_kh_number_is_not_yet_a_halal_certificate() {
    let app = spawn_app().await;
    let (c, id) = owner_with_draft(&app).await;

    let r = app
        .post(&certs(id), Some(&c.token), json!({"kind": "halal", "number": "KH-123/2024"}))
        .await;

    expect_invalid(r, &[("number", "kh_not_certificate")]).await;
    assert!(listed(&app, &c, id).await.is_empty());
}

#[tokio::test]
async fn a_bpom_ml_number_given_as_md_is_refused_on_number() {
    let app = spawn_app().await;
    let (c, id) = owner_with_draft(&app).await;

    let r = app
        .post(&certs(id), Some(&c.token), json!({"kind": "bpom_md", "number": "ML 112233445566"}))
        .await;

    expect_invalid(r, &[("number", "kind_mismatch")]).await;
    assert!(listed(&app, &c, id).await.is_empty());
}

#[tokio::test]
async fn an_expired_pirt_is_shown_as_expired() {
    let app = spawn_app().await;
    let (c, id) = owner_with_draft(&app).await;

    let r = app
        .post(&certs(id), Some(&c.token), json!({"kind": "pirt", "number": "2013673010234-25"}))
        .await;

    let v = json_ok(r, 201).await;
    assert_eq!(v["expires_on"], "2025-12-31");
    assert_eq!(v["validity"], "expired");
    assert_eq!(v["validity_label"], "Kedaluwarsa sejak 1 Januari 2026");
}

#[tokio::test]
async fn a_certificate_ending_within_30_days_is_expiring_soon_then_expired() {
    let app = spawn_app().await;
    let (c, id) = owner_with_draft(&app).await;
    let body = json!({"kind": "sni", "number": "SNI 01-2886-2015", "issued_on": "2021-06-20", "expires_on": "2026-06-20"});

    let v = json_ok(app.post(&certs(id), Some(&c.token), body).await, 201).await;

    assert_eq!(v["validity"], "expiring_soon");
    assert_eq!(v["validity_label"], "Segera kedaluwarsa (19 hari lagi)");
    app.clock.set(Utc.with_ymd_and_hms(2026, 6, 21, 5, 0, 0).single().expect("time"));
    assert_eq!(listed(&app, &c, id).await[0]["validity"], "expired", "validity follows the clock");
}

#[tokio::test]
async fn a_pdf_uploaded_with_the_form_can_be_downloaded_by_its_owner_and_the_dinas() {
    let app = spawn_app().await;
    let (c, id) = owner_with_draft(&app).await;

    let v = json_ok(upload(&app, &c.token, id, PDF.to_vec(), "../pirt<1>.pdf").await, 201).await;

    assert_eq!(v["has_document"], true);
    let url = v["document_url"].as_str().expect("document_url").to_string();
    assert_eq!(url, format!("{}/{}/document", certs(id), v["id"]));
    for token in [&c.token, &app.user(Role::Dinas).await.token] {
        let r = app.get(&url, Some(token)).await;
        assert_eq!(r.status(), 200);
        let h = r.headers().clone();
        assert_eq!(h.get("content-type").and_then(|v| v.to_str().ok()), Some("application/pdf"));
        assert_eq!(h.get("x-content-type-options").and_then(|v| v.to_str().ok()), Some("nosniff"));
        assert_eq!(
            h.get("content-disposition").and_then(|v| v.to_str().ok()),
            Some("inline; filename=\"pirt1.pdf\"")
        );
        assert_eq!(r.bytes().await.expect("bytes").as_ref(), PDF);
    }
}

#[tokio::test]
async fn an_html_file_named_pdf_is_refused_and_nothing_is_added() {
    let app = spawn_app().await;
    let (c, id) = owner_with_draft(&app).await;
    let html = b"<html><body><script>alert(1)</script></body></html>".to_vec();

    let r = upload(&app, &c.token, id, html, "sertifikat.pdf").await;

    expect_invalid(r, &[("document", "unsupported_type")]).await;
    assert!(listed(&app, &c, id).await.is_empty());
}

#[tokio::test]
async fn a_document_over_the_size_limit_is_413_and_nothing_is_added() {
    let app = spawn_app().await;
    let (c, id) = owner_with_draft(&app).await;
    let mut big = PDF.to_vec();
    big.resize(300 * 1024, b' ');

    let mut huge = PDF.to_vec();
    huge.resize(2 * 1024 * 1024, b' ');

    let r = upload(&app, &c.token, id, big, "besar.pdf").await;
    let beyond_the_body_limit = upload(&app, &c.token, id, huge, "raksasa.pdf").await;

    let p = expect_problem(r, 413, "payload_too_large").await;
    assert!(p["detail"].as_str().unwrap_or("").contains("256 KB"), "the limit is told: {p}");
    expect_problem(beyond_the_body_limit, 413, "payload_too_large").await;
    assert!(listed(&app, &c, id).await.is_empty());
}

#[tokio::test]
async fn another_umkm_cannot_add_a_certificate_to_my_product() {
    let app = spawn_app().await;
    let (owner, id) = owner_with_draft(&app).await;
    let (other, _) = app.umkm_with_producer().await;

    let json_add = app
        .post(&certs(id), Some(&other.token), json!({"kind": "pirt", "number": "2013673010234-29"}))
        .await;
    let form_add = upload(&app, &other.token, id, PDF.to_vec(), "p.pdf").await;

    expect_problem(json_add, 404, "not_found").await;
    expect_problem(form_add, 404, "not_found").await;
    assert!(listed(&app, &owner, id).await.is_empty());
}

#[tokio::test]
async fn deleting_a_certificate_removes_it_and_its_document() {
    let app = spawn_app().await;
    let (c, id) = owner_with_draft(&app).await;
    let v = json_ok(upload(&app, &c.token, id, PDF.to_vec(), "p.pdf").await, 201).await;
    let url = v["document_url"].as_str().expect("url").to_string();

    let r = app.delete(&format!("{}/{}", certs(id), v["id"]), Some(&c.token)).await;

    assert_eq!(r.status(), 204);
    assert!(listed(&app, &c, id).await.is_empty());
    expect_problem(app.get(&url, Some(&c.token)).await, 404, "not_found").await;
}

#[tokio::test]
async fn another_umkm_cannot_delete_my_certificate() {
    let app = spawn_app().await;
    let (owner, id) = owner_with_draft(&app).await;
    let (other, _) = app.umkm_with_producer().await;
    let v = json_ok(
        app.post(
            &certs(id),
            Some(&owner.token),
            json!({"kind": "pirt", "number": "2013673010234-29"}),
        )
        .await,
        201,
    )
    .await;

    let r = app.delete(&format!("{}/{}", certs(id), v["id"]), Some(&other.token)).await;

    expect_problem(r, 404, "not_found").await;
    assert_eq!(listed(&app, &owner, id).await, vec![v]);
}

#[tokio::test]
async fn an_anonymous_download_is_unauthenticated() {
    let app = spawn_app().await;
    let (c, id) = owner_with_draft(&app).await;
    let v = json_ok(upload(&app, &c.token, id, PDF.to_vec(), "p.pdf").await, 201).await;

    let r = app.get(v["document_url"].as_str().expect("url"), None).await;

    expect_problem(r, 401, "unauthenticated").await;
}

#[tokio::test]
async fn the_document_of_a_draft_is_hidden_from_another_umkm() {
    let app = spawn_app().await;
    let (owner, id) = owner_with_draft(&app).await;
    let (other, _) = app.umkm_with_producer().await;
    let v = json_ok(upload(&app, &owner.token, id, PDF.to_vec(), "p.pdf").await, 201).await;
    let url = v["document_url"].as_str().expect("url").to_string();

    let r = app.get(&url, Some(&other.token)).await;

    expect_problem(r, 404, "not_found").await;
    expect_problem(app.get(&certs(id), Some(&other.token)).await, 404, "not_found").await;
    assert_eq!(app.get(&url, Some(&owner.token)).await.status(), 200, "the owner still can");
}

#[tokio::test]
async fn a_certificate_id_under_another_product_is_not_found() {
    let app = spawn_app().await;
    let (owner, mine) = owner_with_draft(&app).await;
    let (other, theirs) = owner_with_draft(&app).await;
    let cert = json_ok(upload(&app, &owner.token, mine, PDF.to_vec(), "p.pdf").await, 201).await;
    let cid = cert["id"].as_i64().expect("id");

    let download = app.get(&format!("{}/{cid}/document", certs(theirs)), Some(&other.token)).await;
    let delete = app.delete(&format!("{}/{cid}", certs(theirs)), Some(&other.token)).await;

    expect_problem(download, 404, "not_found").await;
    expect_problem(delete, 404, "not_found").await;
    assert_eq!(listed(&app, &owner, mine).await, vec![cert]);
}

#[tokio::test]
async fn deleting_one_of_two_certificates_with_the_same_document_keeps_the_other_downloadable() {
    let app = spawn_app().await;
    let (c, id) = owner_with_draft(&app).await;
    let first = json_ok(upload(&app, &c.token, id, PDF.to_vec(), "a.pdf").await, 201).await;
    let second = json_ok(upload(&app, &c.token, id, PDF.to_vec(), "b.pdf").await, 201).await;

    let r = app.delete(&format!("{}/{}", certs(id), first["id"]), Some(&c.token)).await;

    assert_eq!(r.status(), 204);
    let r = app.get(second["document_url"].as_str().expect("url"), Some(&c.token)).await;
    assert_eq!(r.status(), 200, "the shared document is still there");
    assert_eq!(r.bytes().await.expect("bytes").as_ref(), PDF);
}

#[tokio::test]
async fn a_form_with_an_unknown_field_or_a_bad_date_is_refused_and_nothing_is_added() {
    let app = spawn_app().await;
    let (c, id) = owner_with_draft(&app).await;
    let send = |form: Form| {
        app.client.post(app.url(&certs(id))).bearer_auth(&c.token).multipart(form).send()
    };

    let unknown = send(
        Form::new()
            .text("kind", "halal")
            .text("number", "ID36110000123456")
            .text("status", "valid"),
    )
    .await
    .expect("sent");
    let bad_date = send(
        Form::new()
            .text("kind", "halal")
            .text("number", "ID36110000123456")
            .text("expires_on", "31/12/2027"),
    )
    .await
    .expect("sent");

    expect_invalid(unknown, &[("status", "unknown_field")]).await;
    expect_invalid(bad_date, &[("expires_on", "invalid_format")]).await;
    assert!(listed(&app, &c, id).await.is_empty());
}

#[tokio::test]
async fn validity_is_judged_on_the_date_in_serang_not_in_utc() {
    let app = spawn_app().await;
    let (c, id) = owner_with_draft(&app).await;
    let body = json!({"kind": "sni", "number": "SNI 3451:2011", "expires_on": "2026-06-20"});
    json_ok(app.post(&certs(id), Some(&c.token), body).await, 201).await;

    app.clock.set(Utc.with_ymd_and_hms(2026, 6, 20, 16, 30, 0).single().expect("time"));
    let last_day = listed(&app, &c, id).await[0].clone();
    app.clock.set(Utc.with_ymd_and_hms(2026, 6, 20, 17, 30, 0).single().expect("time"));
    let next_day = listed(&app, &c, id).await[0].clone();

    assert_eq!(last_day["validity"], "expiring_soon", "23:30 WIB on 20 June");
    assert_eq!(last_day["validity_label"], "Segera kedaluwarsa (berakhir hari ini)");
    assert_eq!(next_day["validity"], "expired", "00:30 WIB on 21 June");
}
