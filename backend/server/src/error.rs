//! One error type for handlers and its one body: RFC 9457 `application/problem+json` with a
//! stable snake_case `code` (one of the table in `codes`) and, for invalid input, an `errors`
//! list naming each field. Engine failures (database, search, blobs) are logged with their
//! cause and answered with their code and a generic message, never the engine's text.

mod codes;

pub use codes::ErrorCode;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use etalase_domain::error::{FieldError, ValidationErrors};
use etalase_domain::ports::BlobError;
use etalase_domain::transition::TransitionError;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("data tidak valid")]
    Validation(ValidationErrors),
    #[error("{message}")]
    BadRequest { code: ErrorCode, message: String },
    #[error("parameter tidak sah")]
    InvalidParameters(ValidationErrors),
    #[error("silakan masuk terlebih dahulu")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0} tidak ditemukan")]
    NotFound(&'static str),
    #[error("metode {0} tidak didukung di alamat ini")]
    MethodNotAllowed(String),
    #[error("{message}")]
    Conflict { code: ErrorCode, message: String },
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("terlalu banyak percobaan; coba lagi dalam {retry_after} detik")]
    TooManyRequests { retry_after: u64 },
    /// The server is at its limit for this kind of work (e.g. password checks); retry soon.
    #[error("server sedang sibuk; coba lagi dalam {retry_after} detik")]
    Busy { retry_after: u64 },
    /// A backing engine does not answer; the text is its cause, for the log only.
    #[error("layanan belum siap: {0}")]
    Unavailable(String),
    #[error("kesalahan internal")]
    Internal(#[from] anyhow::Error),
}

/// The problem+json body.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI reference naming the problem type (`/problems/{code}`).
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Stable machine-readable code, e.g. `validation_failed`, `version_conflict`.
    pub code: ErrorCode,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
}

/// One invalid field.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemField {
    pub field: String,
    pub code: String,
    pub message: String,
}

impl From<&FieldError> for ProblemField {
    fn from(e: &FieldError) -> Self {
        Self { field: e.field.clone(), code: e.code.to_string(), message: e.message.clone() }
    }
}

impl AppError {
    pub fn bad_request(code: ErrorCode, message: impl Into<String>) -> Self {
        debug_assert_eq!(code.status(), StatusCode::BAD_REQUEST, "{code} is not a 400");
        AppError::BadRequest { code, message: message.into() }
    }
    pub fn conflict(code: ErrorCode, message: impl Into<String>) -> Self {
        debug_assert_eq!(code.status(), StatusCode::CONFLICT, "{code} is not a 409");
        AppError::Conflict { code, message: message.into() }
    }
    pub fn field(field: &str, code: &'static str, message: impl Into<String>) -> Self {
        AppError::Validation(ValidationErrors(vec![FieldError::new(field, code, message)]))
    }
    pub fn version_conflict() -> Self {
        AppError::conflict(
            ErrorCode::VersionConflict,
            "Data ini sudah diubah orang lain sejak Anda membukanya. Muat ulang lalu ulangi perubahan Anda.",
        )
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest { .. } | AppError::InvalidParameters(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::Validation(_) => ErrorCode::ValidationFailed,
            AppError::InvalidParameters(_) => ErrorCode::InvalidParameter,
            AppError::BadRequest { code, .. } | AppError::Conflict { code, .. } => *code,
            AppError::Unauthorized => ErrorCode::Unauthenticated,
            AppError::Forbidden(_) => ErrorCode::Forbidden,
            AppError::NotFound(_) => ErrorCode::NotFound,
            AppError::MethodNotAllowed(_) => ErrorCode::MethodNotAllowed,
            AppError::PayloadTooLarge(_) => ErrorCode::PayloadTooLarge,
            AppError::UnsupportedMediaType(_) => ErrorCode::UnsupportedMediaType,
            AppError::TooManyRequests { .. } => ErrorCode::TooManyRequests,
            AppError::Busy { .. } => ErrorCode::Busy,
            AppError::Unavailable(_) => ErrorCode::Unavailable,
            AppError::Internal(_) => ErrorCode::InternalError,
        }
    }

    /// The engine's own account of an engine failure (database, search, blobs, internals):
    /// the whole error chain, for the log and the operator's command line, never for clients.
    pub fn engine_cause(&self) -> Option<String> {
        match self {
            AppError::Internal(e) => Some(format!("{e:#}")),
            AppError::Unavailable(cause) => Some(cause.clone()),
            _ => None,
        }
    }

    /// Logs an engine failure with its cause (once, where it is turned into a response).
    pub fn log_engine_failure(&self) {
        if let Some(cause) = self.engine_cause() {
            tracing::error!(code = %self.code(), cause = %cause, "engine failure");
        }
    }

    /// The detail for an operator at the command line: the client's detail, or for an engine
    /// failure its cause.
    pub fn operator_detail(&self) -> String {
        match self.engine_cause() {
            Some(cause) => format!("{}: {cause}", self.code().title()),
            None => self.problem().detail,
        }
    }

    /// The field errors, when this is a validation error.
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            AppError::Validation(v) | AppError::InvalidParameters(v) => &v.0,
            _ => &[],
        }
    }

    pub fn problem(&self) -> Problem {
        let status = self.status();
        let detail = match self {
            AppError::Validation(v) if v.0.len() == 1 => v.0[0].message.clone(),
            AppError::Validation(v) => format!("Ada {} isian yang perlu diperbaiki.", v.0.len()),
            AppError::InvalidParameters(v) => {
                let names: Vec<&str> = v.0.iter().map(|e| e.field.as_str()).collect();
                format!(
                    "Parameter tidak sah: {}. {}",
                    names.join(", "),
                    v.0.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join(" ")
                )
            }
            AppError::Unavailable(_) => {
                "Layanan belum siap. Coba lagi beberapa saat lagi.".to_string()
            }
            AppError::Internal(_) => "Kesalahan internal".to_string(),
            other => {
                let s = other.to_string();
                let mut c = s.chars();
                match c.next() {
                    Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                    None => s,
                }
            }
        };
        Problem {
            type_: self.code().type_uri(),
            // The type's own title (RFC 9457: the same for every problem of the type).
            title: self.code().title().to_string(),
            status: status.as_u16(),
            detail,
            code: self.code(),
            errors: self.field_errors().iter().map(ProblemField::from).collect(),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log_engine_failure();
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        let mut res = (self.status(), body).into_response();
        res.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if let AppError::TooManyRequests { retry_after } | AppError::Busy { retry_after } = self
            && let Ok(v) = HeaderValue::from_str(&retry_after.to_string())
        {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        res
    }
}

impl From<ValidationErrors> for AppError {
    fn from(v: ValidationErrors) -> Self {
        AppError::Validation(v)
    }
}

impl From<FieldError> for AppError {
    fn from(e: FieldError) -> Self {
        AppError::Validation(ValidationErrors(vec![e]))
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(e: sea_orm::DbErr) -> Self {
        if etalase_db::is_unique_violation(&e) {
            return AppError::conflict(ErrorCode::AlreadyExists, "Data yang sama sudah terdaftar.");
        }
        AppError::Internal(anyhow::Error::new(e))
    }
}

impl From<BlobError> for AppError {
    fn from(e: BlobError) -> Self {
        AppError::Internal(anyhow::Error::new(e))
    }
}

impl From<TransitionError> for AppError {
    fn from(e: TransitionError) -> Self {
        match e {
            TransitionError::Forbidden { .. } => AppError::Forbidden(e.to_string()),
            TransitionError::Invalid { .. } => {
                AppError::conflict(ErrorCode::InvalidTransition, e.to_string())
            }
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    const ENGINE: &str = "connection refused at 10.0.0.7:5432";

    #[test]
    fn engine_failures_show_their_code_and_a_generic_detail_but_keep_the_cause_for_the_log() {
        let internal = AppError::Internal(anyhow::anyhow!(ENGINE).context("loading product 7"));
        let unavailable = AppError::Unavailable(format!("mesin pencari: {ENGINE}"));

        for (e, code) in [(internal, "internal_error"), (unavailable, "unavailable")] {
            let body = serde_json::to_string(&e.problem()).unwrap();
            assert!(!body.contains("10.0.0.7"), "engine text in {body}");
            let p: serde_json::Value = serde_json::from_str(&body).unwrap();
            assert_eq!(p["code"], code);
            assert_eq!(p["type"], format!("/problems/{code}"));
            assert_eq!(p["status"], e.code().status().as_u16());
            assert!(e.engine_cause().unwrap().contains(ENGINE), "the log keeps the cause");
            assert!(e.operator_detail().contains(ENGINE), "the operator sees the cause");
        }
    }

    #[test]
    fn every_variant_answers_the_status_of_its_code() {
        let v = || ValidationErrors(vec![FieldError::new("x", "required", "X wajib diisi.")]);
        for e in [
            AppError::Validation(v()),
            AppError::InvalidParameters(v()),
            AppError::bad_request(ErrorCode::MalformedJson, "x"),
            AppError::conflict(ErrorCode::NibTaken, "x"),
            AppError::Unauthorized,
            AppError::Forbidden("x".into()),
            AppError::NotFound("X"),
            AppError::PayloadTooLarge("x".into()),
            AppError::UnsupportedMediaType("x".into()),
            AppError::TooManyRequests { retry_after: 3 },
            AppError::Unavailable("x".into()),
            AppError::Internal(anyhow::anyhow!("x")),
        ] {
            assert_eq!(e.status(), e.code().status(), "{}", e.code());
            assert_eq!(e.problem().code, e.code());
        }
    }
}
