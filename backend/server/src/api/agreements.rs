//! `/agreements`: placement agreements — propose, list, read, answer (accept, counter,
//! reject, withdraw), manage (suspend, resume, end) and the full history.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use etalase_domain::agreement::AgreementAction;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::{ApiUser, CurrentUser};
use crate::error::{AppResult, Problem};
use crate::extract::{ApiJson, ApiPath, ApiQuery, OptionalJson};
use crate::service::agreements::{
    self, ActionInput, AgreementEventView, AgreementView, ProposalInput,
};
use crate::service::{PageQuery, Paginated};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/agreements", post(create).get(list))
        .route("/agreements/{id}", get(read))
        .route("/agreements/{id}/events", get(events))
        .route("/agreements/{id}/accept", post(accept))
        .route("/agreements/{id}/counter", post(counter))
        .route("/agreements/{id}/reject", post(reject))
        .route("/agreements/{id}/withdraw", post(withdraw))
        .route("/agreements/{id}/suspend", post(suspend))
        .route("/agreements/{id}/resume", post(resume))
        .route("/agreements/{id}/end", post(end))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AgreementQuery {
    /// e.g. `proposed`, `active`.
    pub status: Option<String>,
    pub store_id: Option<i64>,
    #[serde(default, deserialize_with = "crate::service::input::page_number")]
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

async fn one(
    state: &AppState,
    user: &CurrentUser,
    m: &etalase_db::entities::agreement::Model,
) -> AppResult<AgreementView> {
    let mut v = agreements::views(state, user, std::slice::from_ref(m)).await?;
    v.pop().ok_or(crate::error::AppError::NotFound("Perjanjian"))
}

/// Proposes an agreement (store side for its own store, or a UMKM for its own products).
#[utoipa::path(post, path = "/api/v1/agreements", tag = "ritel", security(("bearer" = [])), request_body = ProposalInput, responses(
    (status = 201, body = AgreementView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<ProposalInput>,
) -> AppResult<(StatusCode, Json<AgreementView>)> {
    let a = agreements::propose(&state, &user, body).await?;
    Ok((StatusCode::CREATED, Json(one(&state, &user, &a).await?)))
}

/// Lists the agreements the caller may see (its store, its chain's stores, its products; all for the Dinas).
#[utoipa::path(get, path = "/api/v1/agreements", tag = "ritel", security(("bearer" = [])), params(AgreementQuery), responses((status = 200, body = Paginated<AgreementView>)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(q): ApiQuery<AgreementQuery>,
) -> AppResult<Json<Paginated<AgreementView>>> {
    let req = PageQuery { page: q.page, per_page: q.per_page }.req();
    let page = agreements::list(&state, &user, q.status, q.store_id, req).await?;
    let items = agreements::views(&state, &user, &page.items).await?;
    Ok(Json(Paginated::new(items, page.page, page.per_page, page.total)))
}

/// One agreement, with the actions the caller may take.
#[utoipa::path(get, path = "/api/v1/agreements/{id}", tag = "ritel", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = AgreementView), (status = 404, body = Problem)))]
pub async fn read(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<AgreementView>> {
    let a = agreements::get(&state, &user, id).await?;
    Ok(Json(one(&state, &user, &a).await?))
}

/// The full history: who did what, when, with what note and terms.
#[utoipa::path(get, path = "/api/v1/agreements/{id}/events", tag = "ritel", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = Vec<AgreementEventView>), (status = 404, body = Problem)))]
pub async fn events(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Vec<AgreementEventView>>> {
    Ok(Json(
        agreements::events(&state, &user, id).await?.iter().map(AgreementEventView::from).collect(),
    ))
}

async fn act(
    state: AppState,
    user: CurrentUser,
    id: i64,
    action: AgreementAction,
    body: ActionInput,
) -> AppResult<Json<AgreementView>> {
    let a = agreements::act(&state, &user, id, action, body).await?;
    Ok(Json(one(&state, &user, &a).await?))
}

macro_rules! action_handler {
    ($name:ident, $path:literal, $action:expr, $doc:literal) => {
        #[doc = $doc]
        #[utoipa::path(post, path = $path, tag = "ritel", security(("bearer" = [])), params(("id" = i64, Path)), request_body(content = ActionInput, description = "optional"), responses(
            (status = 200, body = AgreementView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
        pub async fn $name(State(state): State<AppState>, ApiUser(user): ApiUser, ApiPath(id): ApiPath<i64>, OptionalJson(b): OptionalJson<ActionInput>) -> AppResult<Json<AgreementView>> {
            act(state, user, id, $action, b).await
        }
    };
}

action_handler!(
    accept,
    "/api/v1/agreements/{id}/accept",
    AgreementAction::Accept,
    "The other side accepts the offer on the table."
);
action_handler!(
    reject,
    "/api/v1/agreements/{id}/reject",
    AgreementAction::Reject,
    "The other side rejects the offer (`note` is the reason)."
);
action_handler!(
    withdraw,
    "/api/v1/agreements/{id}/withdraw",
    AgreementAction::Withdraw,
    "The offering side withdraws its offer."
);
action_handler!(
    suspend,
    "/api/v1/agreements/{id}/suspend",
    AgreementAction::Suspend,
    "The store suspends an active agreement (`note` is the reason)."
);
action_handler!(
    resume,
    "/api/v1/agreements/{id}/resume",
    AgreementAction::Resume,
    "The store resumes a suspended agreement."
);
action_handler!(
    end,
    "/api/v1/agreements/{id}/end",
    AgreementAction::End,
    "Either side ends it (before the end date: terminated, `note` is the reason)."
);

/// The other side answers with new terms (`terms` required).
#[utoipa::path(post, path = "/api/v1/agreements/{id}/counter", tag = "ritel", security(("bearer" = [])), params(("id" = i64, Path)), request_body = ActionInput, responses(
    (status = 200, body = AgreementView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn counter(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ActionInput>,
) -> AppResult<Json<AgreementView>> {
    act(state, user, id, AgreementAction::Counter, b).await
}
