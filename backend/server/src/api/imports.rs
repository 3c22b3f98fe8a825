//! `/imports/{kind}`: the spreadsheet imports of businesses (`usaha`), products (`produk`) and
//! stores (`gerai`): the template (CSV, or XLSX with an explanation sheet), a preview that
//! writes nothing, and the save (nothing saved unless the file is clean; then everything in one
//! transaction). Dinas and admins; stores also a chain office, for its own chain. The role and
//! the declared size are checked before the body is read.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};

use crate::auth::ApiUser;
use crate::download::{CSV, XLSX, attachment};
use crate::error::{AppResult, Problem};
use crate::extract::ApiPath;
use crate::service::imports::{
    self as svc, ImportKind, ImportPreview, ImportSaved, Importer, Quiet, require_importer,
    template,
};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    let close = || axum::middleware::map_response(crate::service::upload::close_on_refusal);
    Router::new()
        .route("/imports/{kind}", post(save).layer(close()))
        .route("/imports/{kind}/preview", post(preview).layer(close()))
        .route("/imports/{kind}/template.csv", get(template_csv))
        .route("/imports/{kind}/template.xlsx", get(template_xlsx))
}

async fn read(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    kind: &str,
    headers: &HeaderMap,
    body: Body,
) -> AppResult<(ImportKind, Vec<u8>)> {
    let kind = ImportKind::parse(kind)?;
    require_importer(user, kind)?;
    let limit = state.config.import_max_bytes;
    let bytes = crate::service::upload::read_body(headers, body, limit, "Berkas impor").await?;
    Ok((kind, bytes.to_vec()))
}

/// Reads a CSV (UTF-8, `,` or `;`) or XLSX file of businesses (`usaha`), products (`produk`)
/// or stores (`gerai`; a chain office: its own chain's) and shows what saving it would do: every problem (line, column, what is wrong and what is
/// expected), the rows new, changed and unchanged, and names matched forgivingly. Writes
/// nothing.
#[utoipa::path(post, path = "/api/v1/imports/{kind}/preview", tag = "dinas", security(("bearer" = [])), params(("kind" = String, Path, description = "usaha, produk or gerai")), request_body(content = String, content_type = "text/csv"), responses(
    (status = 200, body = ImportPreview), (status = 400, body = Problem), (status = 403, body = Problem), (status = 413, body = Problem)))]
pub async fn preview(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(kind): ApiPath<String>,
    headers: HeaderMap,
    body: Body,
) -> AppResult<Json<ImportPreview>> {
    let (kind, bytes) = read(&state, &user, &kind, &headers, body).await?;
    let limits = state.config.import_limits();
    Ok(Json(svc::preview_for(&state, &Importer::from(&user), kind, bytes, limits).await?))
}

/// Saves the file when every row is good, in one transaction; otherwise 422 with every problem
/// (field `rows[LINE].COLUMN`) and nothing saved. Saving the same file again changes nothing.
#[utoipa::path(post, path = "/api/v1/imports/{kind}", tag = "dinas", security(("bearer" = [])), params(("kind" = String, Path, description = "usaha, produk or gerai")), request_body(content = String, content_type = "text/csv"), responses(
    (status = 201, body = ImportSaved), (status = 400, body = Problem), (status = 403, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn save(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(kind): ApiPath<String>,
    headers: HeaderMap,
    body: Body,
) -> AppResult<(StatusCode, Json<ImportSaved>)> {
    let (kind, bytes) = read(&state, &user, &kind, &headers, body).await?;
    let limits = state.config.import_limits();
    match svc::save(&state, user.id, kind, bytes, limits, &Quiet).await? {
        Ok(saved) => Ok((StatusCode::CREATED, Json(saved))),
        Err(refused) => Err(refused.into_error()),
    }
}

/// The template as CSV: the header line and an example row.
#[utoipa::path(get, path = "/api/v1/imports/{kind}/template.csv", tag = "dinas", security(("bearer" = [])), params(("kind" = String, Path, description = "usaha, produk or gerai")), responses(
    (status = 200, content_type = "text/csv", body = String), (status = 403, body = Problem)))]
pub async fn template_csv(
    ApiUser(user): ApiUser,
    ApiPath(kind): ApiPath<String>,
) -> AppResult<Response> {
    let kind = ImportKind::parse(&kind)?;
    require_importer(&user, kind)?;
    Ok(attachment(CSV, template::file_name(kind, "csv"), template::csv(kind)))
}

/// The template as XLSX: the data sheet and a "Penjelasan" sheet explaining every column.
#[utoipa::path(get, path = "/api/v1/imports/{kind}/template.xlsx", tag = "dinas", security(("bearer" = [])), params(("kind" = String, Path, description = "usaha, produk or gerai")), responses(
    (status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 403, body = Problem)))]
pub async fn template_xlsx(
    ApiUser(user): ApiUser,
    ApiPath(kind): ApiPath<String>,
) -> AppResult<Response> {
    let kind = ImportKind::parse(&kind)?;
    require_importer(&user, kind)?;
    Ok(attachment(XLSX, template::file_name(kind, "xlsx"), template::xlsx(kind)?))
}
