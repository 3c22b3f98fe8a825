//! Liveness (`/healthz`) and readiness (`/readyz`: the database answers and the blob store
//! accepts a write).

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use sea_orm::ConnectionTrait;
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz)).route("/readyz", get(readyz))
}

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "sistem", responses((status = 200, description = "Hidup", body = String)))]
pub async fn healthz() -> &'static str {
    "ok"
}

/// Readiness of each dependency: `ok` or `gagal` (the cause is logged, not shown).
#[derive(Debug, Serialize, ToSchema)]
pub struct Readiness {
    pub database: String,
    pub blobs: String,
}

/// Readiness: the database and the blob store both work.
#[utoipa::path(get, path = "/readyz", tag = "sistem", responses(
    (status = 200, description = "Siap", body = Readiness),
    (status = 503, description = "Belum siap", body = Readiness)))]
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Readiness>) {
    // The cause goes to the log; anonymous callers only learn which dependency failed.
    let database = match state.db.execute_unprepared("SELECT 1").await {
        Ok(_) => "ok".to_string(),
        Err(e) => {
            tracing::error!(cause = %e, "readiness: the database does not answer");
            "gagal".to_string()
        }
    };
    let blobs = match state.blobs.health().await {
        Ok(()) => "ok".to_string(),
        Err(e) => {
            tracing::error!(cause = %e, "readiness: the blob store refuses a write");
            "gagal".to_string()
        }
    };
    let code = if database == "ok" && blobs == "ok" {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (code, Json(Readiness { database, blobs }))
}
