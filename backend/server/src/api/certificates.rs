//! `/products/{id}/certificates`: certificates of a product, as JSON or as a multipart form
//! with the document (PDF, JPEG, PNG; size-limited, type read from the bytes).

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use axum::{Json, Router};
use chrono::NaiveDate;
use etalase_domain::certificate::CertificateInput;
use etalase_domain::error::{FieldError, ValidationErrors};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::{ApiUser, MaybeUser};
use crate::error::{AppError, AppResult, Problem};
use crate::extract::{ApiJson, ApiPath};
use crate::service::catalog::certificates;
use crate::service::catalog::views::CertificateView;
use crate::service::upload::{Upload, read_file, unreadable};
use crate::state::AppState;

pub fn router(config: &crate::config::Config) -> Router<AppState> {
    Router::new()
        .route(
            "/products/{id}/certificates",
            get(list)
                .post(create)
                .layer(DefaultBodyLimit::max(config.document_upload_bytes()))
                .layer(axum::middleware::map_response(crate::service::upload::close_on_refusal)),
        )
        .route("/products/{id}/certificates/{cid}", delete(remove))
        .route("/products/{id}/certificates/{cid}/document", get(document))
}

/// A certificate as a multipart form: the same fields as the JSON body, plus `document`.
#[derive(Debug, Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct CertificateForm {
    /// `pirt`, `bpom_md`, `bpom_ml`, `halal`, `sni` or `other`.
    pub kind: String,
    /// P-IRT `1234567890123-45`, BPOM `MD 123456789012`, halal `ID…`.
    pub number: String,
    pub issuer: Option<String>,
    /// `YYYY-MM-DD`
    pub issued_on: Option<String>,
    /// `YYYY-MM-DD`; for P-IRT derived from the number when left out.
    pub expires_on: Option<String>,
    /// PDF, JPEG or PNG.
    #[schema(value_type = Option<String>, format = Binary)]
    pub document: Option<Vec<u8>>,
}

fn date_field(errs: &mut ValidationErrors, field: &str, v: &str) -> Option<NaiveDate> {
    let v = v.trim();
    if v.is_empty() {
        return None;
    }
    match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            errs.push(FieldError::new(
                field,
                "invalid_format",
                "Tanggal harus berformat TTTT-BB-HH, contoh 2026-03-31.",
            ));
            None
        }
    }
}

async fn read_multipart(
    mut mp: Multipart,
    limit: usize,
) -> AppResult<(CertificateInput, Option<Upload>)> {
    let mut input = CertificateInput::default();
    let mut upload = None;
    let mut errs = ValidationErrors::new();
    let too_large = |_: &str| format!("Dokumen terlalu besar; maksimal {} KB.", limit / 1024);
    while let Some(field) = mp.next_field().await.map_err(|e| unreadable(e, || too_large("")))? {
        let name = field.name().unwrap_or("").to_string();
        if name == "document" {
            upload = Some(read_file(field, limit, "dokumen", too_large).await?);
            continue;
        }
        let text = field.text().await.map_err(|e| unreadable(e, || too_large("")))?;
        match name.as_str() {
            "kind" => input.kind = text,
            "number" => input.number = text,
            "issuer" => input.issuer = Some(text),
            "issued_on" => input.issued_on = date_field(&mut errs, "issued_on", &text),
            "expires_on" => input.expires_on = date_field(&mut errs, "expires_on", &text),
            "csrf" => {}
            other => errs.push(FieldError::new(
                other,
                "unknown_field",
                format!("Isian \"{other}\" tidak dikenal."),
            )),
        }
    }
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    Ok((input, upload))
}

/// Adds a certificate to the caller's product: JSON (`CertificateInput`) or a multipart form
/// with the document.
#[utoipa::path(post, path = "/api/v1/products/{id}/certificates", tag = "produk", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body(content((CertificateForm = "multipart/form-data"), (CertificateForm = "application/json"))),
    responses((status = 201, body = CertificateView), (status = 404, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    req: Request,
) -> AppResult<(StatusCode, Json<CertificateView>)> {
    // Who may add a certificate, and whether the product takes one now, is known before a byte
    // of the body is read.
    crate::service::access::certificate_editable_product(&state, &user, id).await?;
    crate::service::upload::check_declared(
        req.headers(),
        state.config.document_upload_bytes(),
        "Unggahan sertifikat",
    )?;
    let ct = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let (input, upload) = if ct.starts_with("multipart/form-data") {
        let crate::extract::ApiMultipart(mp) =
            crate::extract::ApiMultipart::from_request(req, &state).await?;
        read_multipart(mp, state.config.max_document_bytes).await?
    } else {
        let ApiJson(input) = ApiJson::<CertificateInput>::from_request(req, &state).await?;
        (input, None)
    };
    let m = certificates::add(&state, &user, id, input, upload).await?;
    Ok((StatusCode::CREATED, Json(CertificateView::new(&m, state.clock.today_wib()))))
}

/// Certificates of a product visible to the caller.
#[utoipa::path(get, path = "/api/v1/products/{id}/certificates", tag = "produk", params(("id" = i64, Path)), responses(
    (status = 200, body = Vec<CertificateView>), (status = 404, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Vec<CertificateView>>> {
    let certs = certificates::list(&state, user.as_ref(), id).await?;
    let today = state.clock.today_wib();
    Ok(Json(certs.iter().map(|c| CertificateView::new(c, today)).collect()))
}

/// Removes a certificate (and its document when nothing else uses it).
#[utoipa::path(delete, path = "/api/v1/products/{id}/certificates/{cid}", tag = "produk", security(("bearer" = [])), params(("id" = i64, Path), ("cid" = i64, Path)), responses(
    (status = 204), (status = 404, body = Problem)))]
pub async fn remove(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, cid)): ApiPath<(i64, i64)>,
) -> AppResult<StatusCode> {
    certificates::delete(&state, &user, id, cid).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Downloads a certificate's document (owner, Dinas, store-side accounts).
#[utoipa::path(get, path = "/api/v1/products/{id}/certificates/{cid}/document", tag = "produk", security(("bearer" = [])), params(("id" = i64, Path), ("cid" = i64, Path)), responses(
    (status = 200, description = "PDF, JPEG or PNG"), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn document(
    State(state): State<AppState>,
    user: crate::auth::CurrentUser,
    ApiPath((id, cid)): ApiPath<(i64, i64)>,
) -> AppResult<Response> {
    let (blob, name) = certificates::document(&state, &user, id, cid).await?;
    let mut res = Response::new(Body::from(blob.bytes));
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&blob.content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    let disp = format!("inline; filename=\"{}\"", name.replace('"', ""));
    if let Ok(v) = HeaderValue::from_str(&disp) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res.into_response())
}
