//! Reading uploaded files from `multipart/form-data`, for the API and the pages alike: one
//! reader, with the per-file limit from configuration checked while the file streams in
//! (a file past the limit is refused before it is fully received).

use std::collections::HashMap;

use axum::extract::Multipart;
use axum::extract::multipart::{Field, MultipartError};
use axum::http::{HeaderMap, StatusCode, header};

use crate::error::{AppError, AppResult, ErrorCode};

/// An uploaded file.
pub struct Upload {
    pub bytes: Vec<u8>,
    pub filename: String,
}

/// The body's length as the request declares it (`Content-Length`), if it does.
pub fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
}

/// Refuses a request whose declared `Content-Length` is over `limit`, before a byte of the
/// body is read (a body without the header is still cut off at the limit while it streams).
pub fn check_declared(headers: &HeaderMap, limit: usize, what: &str) -> AppResult<()> {
    match declared_length(headers) {
        Some(n) if n > limit as u64 => Err(AppError::PayloadTooLarge(format!(
            "{what} terlalu besar: {} MB, paling besar {} MB.",
            n.div_ceil(1_000_000),
            (limit as u64).div_ceil(1_000_000)
        ))),
        _ => Ok(()),
    }
}

/// On upload routes: a refusal (4xx) may come before the body was read, so the connection
/// cannot be reused for the next request; say so (`Connection: close`) instead of letting the
/// client find a closed connection.
pub async fn close_on_refusal(mut res: axum::response::Response) -> axum::response::Response {
    if res.status().is_client_error() {
        res.headers_mut().insert(header::CONNECTION, axum::http::HeaderValue::from_static("close"));
    }
    res
}

/// Reads a raw request body (a file sent as it is) of at most `limit` bytes (after
/// `check_declared`); a multipart form is refused first (read as it is, its envelope would come
/// back as the file's content).
pub async fn read_body(
    headers: &HeaderMap,
    body: axum::body::Body,
    limit: usize,
    what: &str,
) -> AppResult<axum::body::Bytes> {
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if ct.trim_start().to_ascii_lowercase().starts_with("multipart/") {
        return Err(AppError::UnsupportedMediaType(format!(
            "Kirim {} apa adanya sebagai isi permintaan (Content-Type text/csv atau XLSX), bukan \
             sebagai formulir multipart/form-data.",
            what.to_lowercase()
        )));
    }
    check_declared(headers, limit, what)?;
    axum::body::to_bytes(body, limit).await.map_err(|_| {
        AppError::PayloadTooLarge(format!(
            "{what} terlalu besar: paling besar {} MB.",
            (limit as u64).div_ceil(1_000_000)
        ))
    })
}

/// The error for a part that cannot be read (413 when the body limit was hit).
pub fn unreadable(e: MultipartError, too_large: impl FnOnce() -> String) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::PayloadTooLarge(too_large())
    } else {
        AppError::bad_request(
            ErrorCode::MalformedMultipart,
            format!("Unggahan tidak bisa dibaca: {e}."),
        )
    }
}

/// Reads one file part, refusing it with `too_large` once it passes `max_bytes`.
pub async fn read_file(
    mut field: Field<'_>,
    max_bytes: usize,
    default_name: &str,
    too_large: impl Fn(&str) -> String,
) -> AppResult<Upload> {
    let filename = field.file_name().unwrap_or(default_name).to_string();
    let mut bytes = Vec::new();
    while let Some(chunk) =
        field.chunk().await.map_err(|e| unreadable(e, || too_large(&filename)))?
    {
        if bytes.len() + chunk.len() > max_bytes {
            return Err(AppError::PayloadTooLarge(too_large(&filename)));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Upload { bytes, filename })
}

fn photo_too_large(max_bytes: usize) -> impl Fn(&str) -> String {
    move |name| {
        format!("Foto {name} terlalu besar; maksimal {} MB per foto.", max_bytes / 1_000_000)
    }
}

/// Reads a form of photo files (parts named `photos`, `photos[]` or `photo`, each at most
/// `max_bytes`) and the text parts `is_text` accepts; any other part is refused.
pub async fn read_photo_form(
    mut mp: Multipart,
    max_bytes: usize,
    is_text: impl Fn(&str) -> bool,
) -> AppResult<(Vec<Upload>, HashMap<String, String>)> {
    let mut files = Vec::new();
    let mut texts = HashMap::new();
    let whole = || "Unggahan terlalu besar.".to_string();
    while let Some(field) = mp.next_field().await.map_err(|e| unreadable(e, whole))? {
        let name = field.name().unwrap_or("").to_string();
        if matches!(name.as_str(), "photos" | "photo" | "photos[]") {
            files.push(read_file(field, max_bytes, "foto", photo_too_large(max_bytes)).await?);
            continue;
        }
        if is_text(&name) {
            let value = field.text().await.map_err(|e| unreadable(e, whole))?;
            texts.insert(name, value);
            continue;
        }
        return Err(AppError::field(
            &name,
            "unknown_field",
            format!("Bagian \"{name}\" tidak dikenal; kirim foto dalam bagian \"photos\"."),
        ));
    }
    Ok((files, texts))
}

/// Reads photo files only (a `csrf` text part is allowed for page forms).
pub async fn read_photos(mp: Multipart, max_bytes: usize) -> AppResult<Vec<Upload>> {
    Ok(read_photo_form(mp, max_bytes, |name| name == "csrf").await?.0)
}
