//! Every hostile file through the API: a 4xx with a clear message, nothing stored, and the
//! server's peak memory bounded.

use image::ImageFormat;
use serde_json::Value;

use crate::helpers::*;
use crate::photos::{photo, upload};

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for b in bytes {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

fn png_claiming(w: u32, h: u32) -> Vec<u8> {
    let mut out = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    let mut ihdr = w.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    for (kind, data) in [
        (b"IHDR", ihdr),
        (b"IDAT", vec![0x78, 0x01, 0x01, 0x00, 0x00, 0xFF, 0xFF, 0, 0, 0, 1]),
        (b"IEND", vec![]),
    ] {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut c = kind.to_vec();
        c.extend_from_slice(&data);
        out.extend_from_slice(&c);
        out.extend_from_slice(&crc32(&c).to_be_bytes());
    }
    out
}

fn jpeg_claiming(side: u16) -> Vec<u8> {
    let mut b = photo(16, 16, 1, ImageFormat::Jpeg);
    if let Some(i) = b.windows(2).position(|m| m == [0xFF, 0xC0]) {
        b[i + 5..i + 7].copy_from_slice(&side.to_be_bytes());
        b[i + 7..i + 9].copy_from_slice(&side.to_be_bytes());
    }
    b
}

fn corrupt(mut b: Vec<u8>) -> Vec<u8> {
    let start = b.len() / 3;
    for (i, x) in b.iter_mut().enumerate().skip(start) {
        *x = (i * 7919 % 251) as u8;
    }
    b
}

fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

#[tokio::test]
async fn hostile_files_get_a_clear_4xx_and_nothing_is_stored() {
    let app = spawn_app().await;
    let (owner, _) = app.umkm_with_producer().await;
    let id = app.draft_product(&owner).await["id"].as_i64().unwrap();
    let jpg = photo(600, 400, 1, ImageFormat::Jpeg);
    let png = photo(600, 400, 1, ImageFormat::Png);
    let webp = photo(600, 400, 1, ImageFormat::WebP);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("truncated JPEG", jpg[..jpg.len() / 2].to_vec(), "corrupt_image"),
        ("truncated PNG", png[..png.len() / 2].to_vec(), "corrupt_image"),
        ("truncated WebP", webp[..webp.len() / 2].to_vec(), "corrupt_image"),
        ("corrupt JPEG", corrupt(jpg.clone()), "corrupt_image"),
        ("corrupt PNG", corrupt(png.clone()), "corrupt_image"),
        ("corrupt WebP", corrupt(webp.clone()), "corrupt_image"),
        ("PNG claiming 50,000 × 50,000", png_claiming(50_000, 50_000), "dimensions_too_large"),
        ("JPEG with a 65,500 px header", jpeg_claiming(65_500), "dimensions_too_large"),
        (
            "HTML named .jpg",
            b"<!doctype html><script>alert(1)</script>".to_vec(),
            "unsupported_type",
        ),
        (
            "SVG named .jpg",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>".to_vec(),
            "unsupported_type",
        ),
        ("a zip", b"PK\x03\x04\x14\x00\x00\x00\x08\x00zipzipzip".to_vec(), "unsupported_type"),
        ("an empty file", Vec::new(), "empty_file"),
    ];
    let before = peak_rss_kb();
    for (what, bytes, code) in cases {
        let r = upload(&app, &owner.token, id, vec![("foto.jpg", bytes)]).await;
        assert_eq!(r.status(), 422, "{what}");
        let p: Value = problem(r).await;
        assert_eq!(p["errors"][0]["field"], "photos[0]", "{what}");
        assert_eq!(p["errors"][0]["code"], code, "{what}: {p}");
        assert!(
            p["errors"][0]["message"].as_str().unwrap().starts_with("foto.jpg: "),
            "{what} names the file"
        );
    }
    let after = peak_rss_kb();
    println!(
        "peak RSS during the hostile uploads: {} MB before, {} MB after",
        before / 1024,
        after / 1024
    );
    assert!(after.saturating_sub(before) < 200 * 1024, "the bombs did not blow up memory");
    assert_eq!(etalase_db::repo::photos::for_product(&app.state.db, id).await.unwrap().len(), 0);
    assert_eq!(app.state.blobs.list("photos/").await.unwrap().len(), 0);
}

#[tokio::test]
async fn one_bad_file_among_good_ones_refuses_the_upload_naming_it() {
    let app = spawn_app().await;
    let (owner, _) = app.umkm_with_producer().await;
    let id = app.draft_product(&owner).await["id"].as_i64().unwrap();
    let files = vec![
        ("baik.jpg", photo(800, 600, 1, ImageFormat::Jpeg)),
        ("jahat.jpg", b"<html></html>".to_vec()),
    ];
    let r = upload(&app, &owner.token, id, files).await;
    assert_eq!(r.status(), 422);
    let p = problem(r).await;
    assert_eq!(fields(&p), vec!["photos[1]"]);
    assert_eq!(etalase_db::repo::photos::for_product(&app.state.db, id).await.unwrap().len(), 0);
}

#[tokio::test]
async fn a_file_over_the_size_limit_is_refused_with_413() {
    let app = spawn_app_with(|c| c.photo_max_bytes = 50_000, None).await;
    let (owner, _) = app.umkm_with_producer().await;
    let id = app.draft_product(&owner).await["id"].as_i64().unwrap();
    let noise = image::RgbImage::from_fn(600, 600, |x, y| {
        image::Rgb([(x * 7919 % 251) as u8, (y * 104_729 % 241) as u8, ((x ^ y) % 256) as u8])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    noise.write_to(&mut out, ImageFormat::Png).unwrap();
    let big = out.into_inner();
    assert!(big.len() > 50_000);
    let r = upload(&app, &owner.token, id, vec![("besar.png", big)]).await;
    assert_eq!(r.status(), 413);
    let p = problem(r).await;
    assert!(p["detail"].as_str().unwrap().contains("besar.png"));
    assert_eq!(etalase_db::repo::photos::for_product(&app.state.db, id).await.unwrap().len(), 0);
}

/// Sends the head of a large multipart upload and a first chunk, then stops sending: the
/// answer must come without the rest of the body (the permission check reads none of it).
async fn answer_to_an_unfinished_upload(app: &TestApp, path: &str, token: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = app.address.trim_start_matches("http://").to_string();
    let mut s = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: 100000000\r\n\r\n\
         --XyZ\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"a.jpg\"\r\n\
         Content-Type: image/jpeg\r\n\r\n"
    );
    s.write_all(head.as_bytes()).await.unwrap();
    s.write_all(&vec![0u8; 64 * 1024]).await.unwrap();
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(std::time::Duration::from_secs(10), s.read(&mut buf))
        .await
        .expect("an answer before the body is sent")
        .unwrap();
    String::from_utf8_lossy(&buf[..n]).to_string()
}

#[tokio::test]
async fn an_upload_from_someone_without_permission_is_refused_before_its_body_is_read() {
    let app = spawn_app().await;
    let (_, product) = app.published_product().await;
    let store = app.user(etalase_domain::roles::Role::Store).await;

    let photos = answer_to_an_unfinished_upload(
        &app,
        &format!("/api/v1/products/{product}/photos"),
        &store.token,
    )
    .await;
    assert!(photos.starts_with("HTTP/1.1 403") || photos.starts_with("HTTP/1.1 404"), "{photos}");

    let inspection =
        answer_to_an_unfinished_upload(&app, "/api/v1/inspections", &store.token).await;
    assert!(inspection.starts_with("HTTP/1.1 403"), "{inspection}");
}

#[tokio::test]
async fn an_upload_that_is_not_multipart_is_refused_in_indonesian_and_nothing_is_stored() {
    let app = spawn_app().await;
    let (owner, _) = app.umkm_with_producer().await;
    let id = app.draft_product(&owner).await["id"].as_i64().unwrap();
    for path in
        [format!("/api/v1/products/{id}/photos"), format!("/api/v1/products/{id}/certificates")]
    {
        for (content_type, body) in [
            ("multipart/form-data", "tanpa boundary"),
            ("multipart/form-data; boundary=", ""),
            ("application/octet-stream", "\u{FF}\u{D8}"),
        ] {
            let r = app
                .client
                .post(app.url(&path))
                .bearer_auth(&owner.token)
                .header("content-type", content_type)
                .body(body)
                .send()
                .await
                .expect("sent");
            let status = r.status().as_u16();
            let p = problem(r).await;
            let what = format!("{path} {content_type}: {p}");
            assert!(status == 400 || status == 415, "{what}");
            let detail = p["detail"].as_str().unwrap_or("");
            assert!(!detail.contains("boundary`") && !detail.contains("Invalid"), "{what}");
            if path.ends_with("photos") {
                assert_eq!(p["code"], "malformed_multipart", "{what}");
                assert!(detail.contains("multipart/form-data"), "{what}");
            }
        }
    }
    assert_eq!(etalase_db::repo::photos::for_product(&app.state.db, id).await.unwrap().len(), 0);
}
