//! Request extractors whose failures use the one problem+json body: JSON bodies (unknown
//! fields refused, each bad field named), query strings (400 naming the parameter) and
//! optional JSON bodies for actions.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{AppError, ErrorCode};
use crate::service::input::{describe, from_value, query_message};

fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(AppError::bad_request(
            ErrorCode::MalformedJson,
            "Isi permintaan kosong; kirim objek JSON.",
        ));
    }
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| AppError::bad_request(ErrorCode::MalformedJson, syntax_in_indonesian(&e)))?;
    from_value(value)
}

/// What is wrong with a body that is not JSON, in Indonesian, with where (serde_json's own
/// message is English).
fn syntax_in_indonesian(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    let what = [
        ("EOF while parsing", "terputus sebelum selesai"),
        ("key must be a string", "nama isian harus diapit tanda kutip"),
        ("trailing comma", "ada koma berlebih sebelum kurung tutup"),
        ("trailing characters", "ada teks lain setelah JSON selesai"),
        ("recursion limit", "bersarang terlalu dalam (paling banyak 128 tingkat)"),
        ("expected `:`", "kurang tanda titik dua setelah nama isian"),
        ("expected `,` or", "kurang koma atau kurung tutup"),
        ("number out of range", "angkanya terlalu besar"),
        ("control character", "teks berisi karakter kendali; tulis sebagai \\n atau \\t"),
        ("escape", "teks berisi garis miring terbalik (\\) yang tidak sah"),
        ("unicode", "teks berisi kode unicode yang tidak sah"),
    ]
    .iter()
    .find(|(en, _)| msg.contains(en))
    .map_or("nilai tidak dikenali (teks harus diapit tanda kutip)", |(_, id)| id);
    format!(
        "Isi permintaan bukan JSON yang sah: {what} (baris {}, kolom {}).",
        e.line(),
        e.column()
    )
}

fn require_json(req: &Request) -> Result<(), AppError> {
    let ct = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if ct.starts_with("application/json") || ct.contains("+json") {
        Ok(())
    } else {
        Err(AppError::UnsupportedMediaType("Kirim isi permintaan sebagai application/json.".into()))
    }
}

/// The most a JSON body or a page form may hold: the whole router's `DefaultBodyLimit`
/// (`app::router`). Uploads and imports, which raise it on their own routes, read their bodies
/// with extractors of their own (multipart, `service::upload::read_body`), never these.
pub const BODY_LIMIT_BYTES: usize = 2 * 1024 * 1024;

/// The refusal of a body over `BODY_LIMIT_BYTES`, naming the limit.
pub fn body_too_large() -> AppError {
    AppError::PayloadTooLarge(format!(
        "Isi permintaan terlalu besar: batasnya {} MB.",
        BODY_LIMIT_BYTES / (1024 * 1024)
    ))
}

/// Refuses a body whose declared length (`Content-Length`) is over `BODY_LIMIT_BYTES` before
/// any of it is read; one sent without a length is cut off at the limit while it is read.
pub fn refuse_declared_oversize(req: &Request) -> Result<(), AppError> {
    match crate::service::upload::declared_length(req.headers()) {
        Some(n) if n > BODY_LIMIT_BYTES as u64 => Err(body_too_large()),
        _ => Ok(()),
    }
}

async fn body_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, AppError> {
    refuse_declared_oversize(&req)?;
    Bytes::from_request(req, state).await.map_err(|e| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            body_too_large()
        } else {
            AppError::bad_request(
                ErrorCode::UnreadableBody,
                format!("Isi permintaan tidak bisa dibaca: {e}."),
            )
        }
    })
}

/// A JSON body. Unknown fields are refused when `T` says `deny_unknown_fields`.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        require_json(&req)?;
        let bytes = body_bytes(req, state).await?;
        Ok(ApiJson(parse_json(&bytes)?))
    }
}

/// A JSON body that may be left out entirely (actions like submit/publish).
pub struct OptionalJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Default> FromRequest<S> for OptionalJson<T> {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let has_type = req.headers().contains_key(header::CONTENT_TYPE);
        if has_type {
            require_json(&req)?;
        }
        let bytes = body_bytes(req, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(OptionalJson(T::default()));
        }
        Ok(OptionalJson(parse_json(&bytes)?))
    }
}

/// Query string parameters; a malformed one is a 400 naming it.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, AppError> {
        let q = parts.uri.query().unwrap_or("");
        let encoded = non_empty_query(q);
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(encoded.as_bytes()));
        serde_path_to_error::deserialize(de).map(ApiQuery).map_err(|e| {
            let path = e.path().to_string();
            let msg = e.inner().to_string();
            let (field, code, _) = describe(&path, &msg);
            let said = match code {
                "unknown_field" => format!("Parameter \"{field}\" tidak dikenal."),
                "required" => format!("Parameter \"{field}\" wajib ada."),
                "duplicate" => {
                    format!("Parameter \"{field}\" diberikan lebih dari sekali; kirim sekali saja.")
                }
                _ => format!("Parameter \"{path}\" tidak sah: {}.", query_message(&msg)),
            };
            AppError::bad_request(ErrorCode::InvalidParameter, said)
        })
    }
}

/// The query's pairs without the empty ones: a GET form sends every field, and an empty field
/// means "no filter" (`?q=sambel&halal=&price_min=` is `?q=sambel`), for pages and API alike.
pub fn non_empty_query(q: &str) -> String {
    let pairs = form_urlencoded::parse(q.as_bytes()).filter(|(_, v)| !v.trim().is_empty());
    form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish()
}

/// A path parameter; a malformed one (e.g. `/products/abc`) is a 400 naming it.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| ApiPath(p.0))
            .map_err(|e| AppError::bad_request(ErrorCode::InvalidPath, path_message(&e)))
    }
}

/// A multipart upload; a body that is not `multipart/form-data` with a boundary is a 400
/// (`malformed_multipart`) in Indonesian, not axum's English plain text.
pub struct ApiMultipart(pub axum::extract::Multipart);

impl<S: Send + Sync> FromRequest<S> for ApiMultipart {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        axum::extract::Multipart::from_request(req, state)
            .await
            .map(ApiMultipart)
            .map_err(|_| not_multipart())
    }
}

/// The refusal of an upload that is not `multipart/form-data` with a boundary.
pub fn not_multipart() -> AppError {
    AppError::bad_request(
        ErrorCode::MalformedMultipart,
        "Unggahan harus dikirim sebagai multipart/form-data (Content-Type dengan boundary).",
    )
}

/// Why a path did not read, in Indonesian: the part that should be a number and what it was.
fn path_message(e: &axum::extract::rejection::PathRejection) -> String {
    use axum::extract::path::ErrorKind;
    let axum::extract::rejection::PathRejection::FailedToDeserializePathParams(e) = e else {
        return "Alamat tidak sah.".into();
    };
    let (value, ty) = match e.kind() {
        ErrorKind::ParseErrorAtKey { value, expected_type, .. }
        | ErrorKind::ParseErrorAtIndex { value, expected_type, .. }
        | ErrorKind::ParseError { value, expected_type } => (value.as_str(), *expected_type),
        _ => return "Alamat tidak sah.".into(),
    };
    let what = if ["i64", "i32", "u64", "u32", "usize"].contains(&ty) {
        "nomor data (bilangan bulat)"
    } else {
        "nilai yang dikenal"
    };
    let value: String = value.chars().take(40).collect();
    format!("Alamat tidak sah: \"{value}\" bukan {what}.")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Wanted {
        kota: String,
        halaman: Option<u32>,
    }

    async fn detail(query: &str) -> String {
        let (mut parts, ()) = axum::http::Request::builder()
            .uri(format!("/x?{query}"))
            .body(())
            .unwrap()
            .into_parts();
        let e = ApiQuery::<Wanted>::from_request_parts(&mut parts, &()).await.err().unwrap();
        assert_eq!(e.code(), ErrorCode::InvalidParameter, "{query}");
        e.problem().detail
    }

    #[test]
    fn a_body_that_is_not_json_is_explained_in_indonesian_with_where() {
        let said = |body: &str| match parse_json::<Value>(body.as_bytes()) {
            Err(e) => e.problem().detail,
            Ok(v) => panic!("{body} read as {v}"),
        };
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        for (body, want) in [
            ("{\"nama\":", "terputus sebelum selesai (baris 1, kolom 8)"),
            ("{nama: 1}", "nama isian harus diapit tanda kutip (baris 1, kolom 2)"),
            ("{\"nama\": \"x\",}", "ada koma berlebih sebelum kurung tutup"),
            ("{\"nama\": \"x\"} lagi", "ada teks lain setelah JSON selesai"),
            ("{\"nama\" 1}", "kurang tanda titik dua"),
            ("{\"nama\": 1 \"harga\": 2}", "kurang koma atau kurung tutup"),
            ("{\"nama\": keripik}", "nilai tidak dikenali"),
            ("{\"nama\": \"a\\qb\"}", "garis miring terbalik"),
            (deep.as_str(), "bersarang terlalu dalam"),
        ] {
            let detail = said(body);
            assert!(detail.starts_with("Isi permintaan bukan JSON yang sah: "), "{detail}");
            assert!(detail.contains(want), "{body}: {detail}");
        }
        assert_eq!(said("  "), "Isi permintaan kosong; kirim objek JSON.");
    }

    #[tokio::test]
    async fn a_parameter_given_twice_or_missing_is_named_in_indonesian() {
        assert_eq!(
            detail("kota=serang&kota=cilegon").await,
            "Parameter \"kota\" diberikan lebih dari sekali; kirim sekali saja."
        );
        assert_eq!(detail("halaman=2").await, "Parameter \"kota\" wajib ada.");
        assert_eq!(
            detail("kota=serang&halaman=dua").await,
            "Parameter \"halaman\" tidak sah: harus berupa angka."
        );
        let (mut parts, ()) =
            axum::http::Request::builder().uri("/x?kota=serang").body(()).unwrap().into_parts();
        let ok = ApiQuery::<Wanted>::from_request_parts(&mut parts, &()).await.ok().unwrap();
        assert_eq!(ok.0.kota, "serang");
    }
}
