//! File downloads: a body with its content type and an `attachment` file name.

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// CSV (UTF-8).
pub const CSV: &str = "text/csv; charset=utf-8";
/// XLSX.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// `bytes` as a download named `name`.
pub fn attachment(content_type: &'static str, name: String, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        bytes,
    )
        .into_response()
}
