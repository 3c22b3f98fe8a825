//! Liveness (`/healthz`) and readiness (`/readyz`: the database answers and the blob store
//! accepts a write; the search engine answering or not makes it `terbatas`, degraded but
//! serving). Anonymous callers learn only the status; an admin also sees which dependency
//! failed. Causes go to the log, never into the response.

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

/// Readiness: `status` is `ok`, `terbatas` (the search engine does not answer; everything
/// else works, writes wait in the outbox) or `gagal` (503); the per-dependency fields only for
/// an admin.
#[derive(Debug, Serialize, ToSchema)]
pub struct Readiness {
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blobs: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search: Option<String>,
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
    let search_probe =
        tokio::time::timeout(std::time::Duration::from_secs(2), state.search.stats());
    let (db, blobs, search) =
        tokio::join!(state.db.execute_unprepared("SELECT 1"), state.blobs.health(), search_probe);
    let search_ok = matches!(search, Ok(Ok(_)));
    if !search_ok {
        tracing::warn!("readiness: the search engine does not answer (degraded)");
    }
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
            status: if !(db_ok && blobs_ok) {
                word(false)
            } else if search_ok {
                word(true)
            } else {
                "terbatas".to_string()
            },
            database: admin.then(|| word(db_ok)),
            blobs: admin.then(|| word(blobs_ok)),
            search: admin.then(|| word(search_ok)),
        }),
    )
}
