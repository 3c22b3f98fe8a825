//! Liveness (`/healthz`) and readiness (`/readyz`: the database answers and the blob store
//! accepts a write). Anonymous callers learn only up or down; an admin also sees which
//! dependency failed. Causes go to the log, never into the response.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use etalase_domain::roles::Role;
use sea_orm::ConnectionTrait;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::MaybeUser;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz)).route("/readyz", get(readyz))
}

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "sistem", responses((status = 200, description = "Hidup", body = String)))]
pub async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: `status` is `ok` or `gagal`; the per-dependency fields only for an admin.
#[derive(Debug, Serialize, ToSchema)]
pub struct Readiness {
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blobs: Option<String>,
}

fn word(ok: bool) -> String {
    if ok { "ok" } else { "gagal" }.to_string()
}

/// Readiness: the database and the blob store both work.
#[utoipa::path(get, path = "/readyz", tag = "sistem", responses(
    (status = 200, description = "Siap", body = Readiness),
    (status = 503, description = "Belum siap", body = Readiness)))]
pub async fn readyz(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
) -> (StatusCode, Json<Readiness>) {
    let (db, blobs) = tokio::join!(state.db.execute_unprepared("SELECT 1"), state.blobs.health());
    if let Err(e) = &db {
        tracing::error!(cause = %e, "readiness: the database does not answer");
    }
    if let Err(e) = &blobs {
        tracing::error!(cause = %e, "readiness: the blob store refuses a write");
    }
    let (db_ok, blobs_ok) = (db.is_ok(), blobs.is_ok());
    let admin = user.is_some_and(|u| u.role == Role::Admin);
    let code = if db_ok && blobs_ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (
        code,
        Json(Readiness {
            status: word(db_ok && blobs_ok),
            database: admin.then(|| word(db_ok)),
            blobs: admin.then(|| word(blobs_ok)),
        }),
    )
}
