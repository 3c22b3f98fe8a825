//! One error type for handlers and its one body: RFC 9457 `application/problem+json` with a
//! stable snake_case `code` and, for invalid input, an `errors` list naming each field.

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
    BadRequest { code: &'static str, message: String },
    #[error("parameter tidak sah")]
    InvalidParameters(ValidationErrors),
    #[error("silakan masuk terlebih dahulu")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0} tidak ditemukan")]
    NotFound(&'static str),
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("terlalu banyak percobaan; coba lagi dalam {retry_after} detik")]
    TooManyRequests { retry_after: u64 },
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
    pub code: String,
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
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        AppError::BadRequest { code, message: message.into() }
    }
    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        AppError::Conflict { code, message: message.into() }
    }
    pub fn field(field: &str, code: &'static str, message: impl Into<String>) -> Self {
        AppError::Validation(ValidationErrors(vec![FieldError::new(field, code, message)]))
    }
    pub fn version_conflict() -> Self {
        AppError::conflict(
            "version_conflict",
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
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::Validation(_) => "validation_failed",
            AppError::InvalidParameters(_) => "invalid_parameter",
            AppError::BadRequest { code, .. } | AppError::Conflict { code, .. } => code,
            AppError::Unauthorized => "unauthenticated",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound(_) => "not_found",
            AppError::PayloadTooLarge(_) => "payload_too_large",
            AppError::UnsupportedMediaType(_) => "unsupported_media_type",
            AppError::TooManyRequests { .. } => "too_many_requests",
            AppError::Unavailable(_) => "unavailable",
            AppError::Internal(_) => "internal_error",
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
            type_: format!("/problems/{}", self.code()),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail,
            code: self.code().to_string(),
            errors: self.field_errors().iter().map(ProblemField::from).collect(),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(e) = &self {
            tracing::error!(error = ?e, "internal error");
        }
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        let mut res = (self.status(), body).into_response();
        res.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if let AppError::TooManyRequests { retry_after } = self
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
            return AppError::conflict("already_exists", "Data yang sama sudah terdaftar.");
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
                AppError::conflict("invalid_transition", e.to_string())
            }
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;
