//! `/produk-saya`: a UMKM's products — list, new, edit (drafts and rejected ones), certificates
//! with documents, and the lifecycle buttons (ajukan, arsipkan, ubah produk tayang).

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use etalase_db::repo::PageReq;
use etalase_db::repo::products::ProductFilter;
use etalase_domain::certificate::{CertificateInput, CertificateKind};
use etalase_domain::error::{FieldError, ValidationErrors};
use etalase_domain::lifecycle::{ListingAction, ListingStatus};
use etalase_domain::product::{NetUnit, Packaging, ProductInput, StorageType};
use etalase_domain::roles::Role;

use super::ctx::{FormErrors, Nav, PageError, PageResult, check_csrf, render, see_other};
use super::forms::FormData;
use super::producer::Choices;
use crate::auth::CurrentUser;
use crate::error::{AppError, ErrorCode};
use crate::service::certificates::{self, Upload};
use crate::service::views::ProductView;
use crate::service::{producers, products};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/produk-saya", get(list))
        .route("/produk-saya/baru", get(new_form).post(create))
        .route("/produk-saya/{id}", get(edit_form).post(save))
        .route("/produk-saya/{id}/aksi", post(action))
        .route(
            "/produk-saya/{id}/sertifikat",
            post(add_certificate).layer(DefaultBodyLimit::max(16 * 1024 * 1024)),
        )
        .route("/produk-saya/{id}/sertifikat/{cid}/hapus", post(remove_certificate))
        .route(
            "/produk-saya/{id}/foto",
            post(upload_photos).layer(DefaultBodyLimit::max(130 * 1000 * 1000)),
        )
        .route("/produk-saya/{id}/foto/{pid}", post(change_photo))
        .route("/produk-saya/{id}/hapus", post(delete_product))
}

fn choices<T: Copy>(
    all: &[T],
    code: fn(&T) -> &'static str,
    label: fn(&T) -> &'static str,
) -> Choices {
    all.iter().map(|v| (code(v).to_string(), label(v).to_string())).collect()
}

#[derive(Template)]
#[template(path = "products_list.html")]
struct ListPage {
    nav: Nav,
    has_producer: bool,
    items: Vec<ProductView>,
}

async fn list(State(state): State<AppState>, user: CurrentUser) -> PageResult {
    user.require(&[Role::Umkm]).map_err(PageError)?;
    let has_producer = producers::mine(&state, &user).await?.is_some();
    let page =
        products::list(&state, &user, ProductFilter::default(), PageReq::new(1, 100)).await?;
    let mut items = products::views(&state, &page.items).await?;
    items.sort_by_key(|p| std::cmp::Reverse(p.updated_at));
    let nav = Nav::for_user(&user);
    Ok(render(&ListPage { nav: nav.clone(), has_producer, items }, &nav))
}

#[derive(Template)]
#[template(path = "product_form.html")]
struct FormPage {
    nav: Nav,
    product: Option<ProductView>,
    form: ProductInput,
    errors: FormErrors,
    cert_errors: FormErrors,
    photo_errors: FormErrors,
    editable: bool,
    categories: Choices,
    units: Choices,
    packagings: Choices,
    storages: Choices,
    cert_kinds: Choices,
}

impl FormPage {
    fn new(nav: Nav, product: Option<ProductView>, form: ProductInput, errors: FormErrors) -> Self {
        let editable = product
            .as_ref()
            .is_none_or(|p| ListingStatus::from_code(&p.status).is_some_and(|s| s.is_editable()));
        FormPage {
            nav,
            product,
            form,
            errors,
            cert_errors: FormErrors::default(),
            photo_errors: FormErrors::default(),
            editable,
            categories: etalase_domain::category::categories()
                .iter()
                .map(|c| (c.slug.clone(), c.name.clone()))
                .collect(),
            units: choices(NetUnit::all(), |v| v.as_str(), |v| v.as_str()),
            packagings: choices(Packaging::all(), |v| v.as_str(), |v| v.label()),
            storages: choices(StorageType::all(), |v| v.as_str(), |v| v.label()),
            cert_kinds: choices(CertificateKind::all(), |v| v.as_str(), |v| v.label()),
        }
    }
    fn opt<'a>(&self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or("")
    }
    fn num(&self, v: &Option<i64>) -> String {
        v.map(|x| x.to_string()).unwrap_or_default()
    }
    fn deletable(&self) -> bool {
        self.product.as_ref().is_some_and(|p| {
            matches!(p.status.as_str(), "draft" | "rejected") && p.published_at.is_none()
        })
    }
    fn can(&self, action: &str) -> bool {
        self.product
            .as_ref()
            .and_then(|p| ListingStatus::from_code(&p.status))
            .is_some_and(|s| s.available_actions(Role::Umkm).iter().any(|a| a.as_str() == action))
    }
}

fn read_form(form: &FormData, errs: &mut ValidationErrors) -> ProductInput {
    ProductInput {
        name: form.text("name"),
        category: form.text("category"),
        description: form.text("description"),
        brand: form.opt("brand"),
        gtin: form.opt("gtin"),
        net_content: form.int("net_content", errs),
        net_unit: form.opt("net_unit"),
        pack_size: form.int("pack_size", errs),
        packaging: form.opt("packaging"),
        shelf_life_days: form.int("shelf_life_days", errs),
        storage: form.opt("storage"),
        wholesale_price: form.rupiah("wholesale_price", errs),
        retail_price: form.rupiah("retail_price", errs),
        min_order: form.int("min_order", errs),
        monthly_capacity: form.int("monthly_capacity", errs),
    }
}

async fn new_form(user: CurrentUser) -> PageResult {
    user.require(&[Role::Umkm]).map_err(PageError)?;
    let nav = Nav::for_user(&user);
    let form =
        ProductInput { storage: Some("ambient".into()), pack_size: Some(1), ..Default::default() };
    Ok(render(&FormPage::new(nav.clone(), None, form, FormErrors::default()), &nav))
}

async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    form: FormData,
) -> PageResult {
    check_csrf(Some(&user), &headers, form.csrf())?;
    let mut errs = ValidationErrors::new();
    let input = read_form(&form, &mut errs);
    let result = if errs.is_empty() {
        products::create(&state, &user, input.clone()).await
    } else {
        Err(AppError::Validation(errs))
    };
    match result {
        Ok(p) => Ok(see_other(&format!("/produk-saya/{}", p.id))),
        Err(AppError::Validation(v)) => {
            let nav = Nav::for_user(&user);
            Ok(render(&FormPage::new(nav.clone(), None, input, FormErrors(v.0)), &nav))
        }
        Err(e) => Err(PageError(e)),
    }
}

async fn edit_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    form: Option<ProductInput>,
    errors: FormErrors,
    cert_errors: FormErrors,
) -> PageResult {
    edit_page_with(state, user, id, form, errors, cert_errors, FormErrors::default()).await
}

async fn edit_page_with(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    form: Option<ProductInput>,
    errors: FormErrors,
    cert_errors: FormErrors,
    photo_errors: FormErrors,
) -> PageResult {
    let m = products::get_owned(state, user, id).await?;
    let view = products::view(state, &m).await?;
    let nav = Nav::for_user(user);
    let form = form.unwrap_or_else(|| products::input_of(&m));
    let mut page = FormPage::new(nav.clone(), Some(view), form, errors);
    page.cert_errors = cert_errors;
    page.photo_errors = photo_errors;
    Ok(render(&page, &nav))
}

async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> PageResult {
    edit_page(&state, &user, id, None, FormErrors::default(), FormErrors::default()).await
}

async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    headers: HeaderMap,
    form: FormData,
) -> PageResult {
    check_csrf(Some(&user), &headers, form.csrf())?;
    let mut errs = ValidationErrors::new();
    let input = read_form(&form, &mut errs);
    let version = form.int("version", &mut ValidationErrors::new()).unwrap_or(0);
    let current = products::get_owned(&state, &user, id).await?;
    let result = if errs.is_empty() {
        products::update_validated(&state, &user, current, version, input.clone()).await
    } else {
        Err(AppError::Validation(errs))
    };
    match result {
        Ok(_) => Ok(see_other(&format!("/produk-saya/{id}"))),
        Err(AppError::Validation(v)) => {
            edit_page(&state, &user, id, Some(input), FormErrors(v.0), FormErrors::default()).await
        }
        Err(AppError::Conflict { code, message }) => {
            edit_page(
                &state,
                &user,
                id,
                Some(input),
                FormErrors(vec![FieldError::new("version", code.as_str(), message)]),
                FormErrors::default(),
            )
            .await
        }
        Err(e) => Err(PageError(e)),
    }
}

async fn action(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    headers: HeaderMap,
    form: FormData,
) -> PageResult {
    check_csrf(Some(&user), &headers, form.csrf())?;
    let action = ListingAction::from_code(&form.text("action")).ok_or_else(|| {
        PageError(AppError::bad_request(ErrorCode::UnknownAction, "Tindakan tidak dikenal."))
    })?;
    let version = form.int("version", &mut ValidationErrors::new());
    products::transition(&state, &user, id, action, None, version).await?;
    Ok(see_other(&format!("/produk-saya/{id}")))
}

async fn add_certificate(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    headers: HeaderMap,
    mut mp: Multipart,
) -> PageResult {
    let mut form = FormData::default();
    let mut upload = None;
    let limit = state.config.max_document_bytes;
    while let Some(mut field) = mp.next_field().await.map_err(|e| {
        PageError(AppError::bad_request(ErrorCode::MalformedMultipart, e.to_string()))
    })? {
        let name = field.name().unwrap_or("").to_string();
        if name == "document" {
            let filename = field.file_name().unwrap_or("dokumen").to_string();
            let mut bytes = Vec::new();
            while let Some(chunk) = field
                .chunk()
                .await
                .map_err(|e| PageError(AppError::PayloadTooLarge(e.to_string())))?
            {
                if bytes.len() + chunk.len() > limit {
                    let msg = format!("Dokumen terlalu besar; maksimal {} KB.", limit / 1024);
                    return edit_page(
                        &state,
                        &user,
                        id,
                        None,
                        FormErrors::default(),
                        FormErrors(vec![FieldError::new("document", "too_large", msg)]),
                    )
                    .await;
                }
                bytes.extend_from_slice(&chunk);
            }
            upload = Some(Upload { bytes, filename });
        } else {
            let text = field.text().await.unwrap_or_default();
            form.0.insert(name, text);
        }
    }
    check_csrf(Some(&user), &headers, form.csrf())?;
    let mut errs = ValidationErrors::new();
    let input = CertificateInput {
        kind: form.text("kind"),
        number: form.text("number"),
        issuer: form.opt("issuer"),
        issued_on: form.date("issued_on", &mut errs),
        expires_on: form.date("expires_on", &mut errs),
    };
    let result = if errs.is_empty() {
        certificates::add(&state, &user, id, input, upload).await.map(|_| ())
    } else {
        Err(AppError::Validation(errs))
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/produk-saya/{id}#sertifikat"))),
        Err(AppError::Validation(v)) => {
            edit_page(&state, &user, id, None, FormErrors::default(), FormErrors(v.0)).await
        }
        Err(AppError::PayloadTooLarge(m)) => {
            edit_page(
                &state,
                &user,
                id,
                None,
                FormErrors::default(),
                FormErrors(vec![FieldError::new("document", "too_large", m)]),
            )
            .await
        }
        Err(e) => Err(PageError(e)),
    }
}

async fn remove_certificate(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, cid)): Path<(i64, i64)>,
    headers: HeaderMap,
    form: FormData,
) -> PageResult {
    check_csrf(Some(&user), &headers, form.csrf())?;
    certificates::delete(&state, &user, id, cid).await?;
    Ok(see_other(&format!("/produk-saya/{id}#sertifikat")))
}

async fn upload_photos(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    headers: HeaderMap,
    mp: Multipart,
) -> PageResult {
    let photo_error = |m: String| FormErrors(vec![FieldError::new("photos", "too_large", m)]);
    let (files, texts) = match crate::api::photos::read_form(
        mp,
        state.config.photo_max_bytes,
        |name| name == "csrf",
    )
    .await
    {
        Ok(x) => x,
        Err(AppError::PayloadTooLarge(m)) => {
            return edit_page_with(
                &state,
                &user,
                id,
                None,
                FormErrors::default(),
                FormErrors::default(),
                photo_error(m),
            )
            .await;
        }
        Err(e) => return Err(PageError(e)),
    };
    check_csrf(Some(&user), &headers, texts.get("csrf").map(String::as_str))?;
    // A browser sends an empty part when no file was chosen.
    let files: Vec<Upload> = files.into_iter().filter(|f| !f.bytes.is_empty()).collect();
    match crate::service::photos::add(&state, &user, id, files).await {
        Ok(_) => Ok(see_other(&format!("/produk-saya/{id}#foto"))),
        Err(AppError::Validation(v)) => {
            edit_page_with(
                &state,
                &user,
                id,
                None,
                FormErrors::default(),
                FormErrors::default(),
                FormErrors(v.0),
            )
            .await
        }
        Err(e) => Err(PageError(e)),
    }
}

async fn change_photo(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, pid)): Path<(i64, i64)>,
    headers: HeaderMap,
    form: FormData,
) -> PageResult {
    use crate::service::photos::{self, PhotoPatch};
    check_csrf(Some(&user), &headers, form.csrf())?;
    let position = form.int("position", &mut ValidationErrors::new());
    let result = match form.text("action").as_str() {
        "delete" => photos::delete(&state, &user, id, pid).await,
        "primary" => photos::update(
            &state,
            &user,
            id,
            pid,
            PhotoPatch { primary: Some(true), ..Default::default() },
        )
        .await
        .map(|_| ()),
        "up" | "down" => {
            let delta = if form.text("action") == "up" { -1 } else { 1 };
            let to = (position.unwrap_or(0) + delta).max(0);
            photos::update(
                &state,
                &user,
                id,
                pid,
                PhotoPatch { position: Some(to), ..Default::default() },
            )
            .await
            .map(|_| ())
        }
        _ => photos::update(
            &state,
            &user,
            id,
            pid,
            PhotoPatch { alt_text: Some(form.text("alt_text")), ..Default::default() },
        )
        .await
        .map(|_| ()),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/produk-saya/{id}#foto"))),
        Err(AppError::Validation(v)) => {
            edit_page_with(
                &state,
                &user,
                id,
                None,
                FormErrors::default(),
                FormErrors::default(),
                FormErrors(v.0),
            )
            .await
        }
        Err(e) => Err(PageError(e)),
    }
}

async fn delete_product(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    headers: HeaderMap,
    form: FormData,
) -> PageResult {
    check_csrf(Some(&user), &headers, form.csrf())?;
    products::delete(&state, &user, id).await?;
    Ok(see_other("/produk-saya"))
}
