//! `/standards` and `/products/{id}/eligibility`: the agreed product standards, their
//! versions, a product's eligibility and the Dinas' summary of what is missing.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};

use crate::auth::ApiUser;
use crate::error::{AppResult, Problem};
use crate::extract::{ApiJson, ApiPath};
use crate::service::standards::{
    self, EligibilityView, JobView, NewStandard, NewVersion, StandardCreated, StandardView,
    SummaryView, VersionCreated,
};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/standards", get(list).post(create))
        .route("/standards/{id}", get(read))
        .route("/standards/{id}/versions", post(add_version))
        .route("/standards/{id}/summary", get(summary))
        .route("/standard-jobs/{id}", get(job))
        .route("/products/{id}/eligibility", get(eligibility))
}

/// Every standard with its versions (any signed-in account).
#[utoipa::path(get, path = "/api/v1/standards", tag = "standar", security(("bearer" = [])), responses(
    (status = 200, body = Vec<StandardView>), (status = 401, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(_user): ApiUser,
) -> AppResult<Json<Vec<StandardView>>> {
    Ok(Json(standards::list(&state).await?))
}

/// Creates a standard with its first version: the Dinas the city baseline, a chain office
/// its chain's own. Starts re-evaluating every product when the version is in force today.
#[utoipa::path(post, path = "/api/v1/standards", tag = "standar", security(("bearer" = [])), request_body = NewStandard, responses(
    (status = 201, body = StandardCreated), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<NewStandard>,
) -> AppResult<(StatusCode, Json<StandardCreated>)> {
    let (standard, job) = standards::create(&state, &user, body).await?;
    let job = match job {
        Some(id) => Some(standards::job(&state, id).await?),
        None => None,
    };
    Ok((StatusCode::CREATED, Json(StandardCreated { standard, job })))
}

/// One standard.
#[utoipa::path(get, path = "/api/v1/standards/{id}", tag = "standar", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = StandardView), (status = 404, body = Problem)))]
pub async fn read(
    State(state): State<AppState>,
    ApiUser(_user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<StandardView>> {
    Ok(Json(standards::get(&state, id).await?))
}

/// Publishes a new version (immutable) with its effective date (today or later).
#[utoipa::path(post, path = "/api/v1/standards/{id}/versions", tag = "standar", security(("bearer" = [])), params(("id" = i64, Path)), request_body = NewVersion, responses(
    (status = 201, body = VersionCreated), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_version(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NewVersion>,
) -> AppResult<(StatusCode, Json<VersionCreated>)> {
    let (version, job) = standards::add_version(&state, &user, id, body).await?;
    let job = match job {
        Some(id) => Some(standards::job(&state, id).await?),
        None => None,
    };
    Ok((StatusCode::CREATED, Json(VersionCreated { version, job })))
}

/// How many products meet the standard, and the most common missing items (city and per
/// kecamatan). Dinas; a chain office for its own standard and the baseline.
#[utoipa::path(get, path = "/api/v1/standards/{id}/summary", tag = "standar", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = SummaryView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn summary(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<SummaryView>> {
    Ok(Json(standards::summary(&state, &user, id).await?))
}

/// Progress of a re-evaluation job.
#[utoipa::path(get, path = "/api/v1/standard-jobs/{id}", tag = "standar", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = JobView), (status = 404, body = Problem)))]
pub async fn job(
    State(state): State<AppState>,
    ApiUser(_user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<JobView>> {
    Ok(Json(standards::job(&state, id).await?))
}

/// A product against every standard: eligible or not, and each requirement ✓/✗ with the
/// reason and where to fix it. For the owner, the Dinas, and store-side accounts once the
/// product is published.
#[utoipa::path(get, path = "/api/v1/products/{id}/eligibility", tag = "standar", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = EligibilityView), (status = 404, body = Problem)))]
pub async fn eligibility(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<EligibilityView>> {
    Ok(Json(standards::eligibility(&state, &user, id).await?))
}
