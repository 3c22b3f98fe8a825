//! The product form (`/produk-saya/baru`, `/produk-saya/{id}`): new and edit (drafts and
//! rejected ones; others read-only), showing it again with the refusals, the lifecycle buttons
//! (`/aksi`) and deleting a product that never went live (`/hapus`).

use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use etalase_domain::certificate::CertificateKind;
use etalase_domain::error::ValidationErrors;
use etalase_domain::lifecycle::{ListingAction, ListingStatus};
use etalase_domain::product::{NetUnit, Packaging, ProductInput, StorageType};
use etalase_domain::roles::Role;

use crate::auth::CurrentUser;
use crate::error::{AppError, ErrorCode};
use crate::pages::ctx::PagePath;
use crate::pages::ctx::{FormErrors, Nav, PageError, PageResult, check_csrf, render};
use crate::pages::flash::see_other_flash;
use crate::pages::forms::FormData;
use crate::pages::producer::Choices;
use crate::service::catalog::products;
use crate::service::catalog::views::ProductView;
use crate::state::AppState;

fn choices<T: Copy>(
    all: &[T],
    code: fn(&T) -> &'static str,
    label: fn(&T) -> &'static str,
) -> Choices {
    all.iter().map(|v| (code(v).to_string(), label(v).to_string())).collect()
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
    /// What was typed in the certificate form when it was refused.
    cert_typed: FormData,
    /// The certificate field to focus (the first refused one), so a phone shows the error.
    cert_focus: String,
    /// A step that asks first (submit without photo/certificate, delete a photo or certificate).
    confirm: Option<Confirm>,
}

/// "Are you sure?" without a script: the POST came without `confirm=1`, so the page shows the
/// question with a button that sends it again with `confirm=1`.
pub(super) struct Confirm {
    pub title: String,
    pub message: String,
    pub action: String,
    pub fields: Vec<(String, String)>,
    pub button: String,
}

/// What the edit page shows beside the product form.
#[derive(Default)]
pub(super) struct Extras {
    pub cert_errors: FormErrors,
    pub photo_errors: FormErrors,
    pub cert_typed: FormData,
    pub confirm: Option<Confirm>,
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
            cert_typed: FormData::default(),
            cert_focus: String::new(),
            confirm: None,
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

pub(super) async fn new_form(user: CurrentUser) -> PageResult {
    user.require(&[Role::Umkm]).map_err(PageError)?;
    let nav = Nav::for_user(&user);
    let form =
        ProductInput { storage: Some("ambient".into()), pack_size: Some(1), ..Default::default() };
    Ok(render(&FormPage::new(nav.clone(), None, form, FormErrors::default()), &nav))
}

pub(super) async fn create(
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
        Ok(p) => Ok(see_other_flash(
            &format!("/produk-saya/{}", p.id),
            "Produk disimpan. Tambahkan foto dan sertifikat, lalu ajukan ke Dinas.",
        )),
        Err(AppError::Validation(v)) => {
            let nav = Nav::for_user(&user);
            Ok(render(&FormPage::new(nav.clone(), None, input, FormErrors(v.0)), &nav))
        }
        Err(e) => Err(PageError(e)),
    }
}

pub(super) async fn edit_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    form: Option<ProductInput>,
    errors: FormErrors,
    cert_errors: FormErrors,
) -> PageResult {
    edit_page_with(state, user, id, form, errors, cert_errors, FormErrors::default()).await
}

pub(super) async fn edit_page_with(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    form: Option<ProductInput>,
    errors: FormErrors,
    cert_errors: FormErrors,
    photo_errors: FormErrors,
) -> PageResult {
    let extras = Extras { cert_errors, photo_errors, ..Default::default() };
    edit_page_full(state, user, id, form, errors, extras).await
}

pub(super) async fn edit_page_full(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    form: Option<ProductInput>,
    errors: FormErrors,
    extras: Extras,
) -> PageResult {
    let m = crate::service::access::owned_product(state, user, id).await?;
    let view = products::view(state, &m).await?;
    let nav = Nav::for_user(user);
    let form = form.unwrap_or_else(|| products::input_of(&m));
    let mut page = FormPage::new(nav.clone(), Some(view), form, errors);
    page.cert_focus = extras.cert_errors.0.first().map(|e| e.field.clone()).unwrap_or_default();
    page.cert_errors = extras.cert_errors;
    page.photo_errors = extras.photo_errors;
    page.cert_typed = extras.cert_typed;
    page.confirm = extras.confirm;
    Ok(render(&page, &nav))
}

pub(super) async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    edit_page(&state, &user, id, None, FormErrors::default(), FormErrors::default()).await
}

pub(super) async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    PagePath(id): PagePath<i64>,
    headers: HeaderMap,
    form: FormData,
) -> PageResult {
    check_csrf(Some(&user), &headers, form.csrf())?;
    let mut errs = ValidationErrors::new();
    let input = read_form(&form, &mut errs);
    let version = form.int("version", &mut ValidationErrors::new()).unwrap_or(0);
    let current = crate::service::access::owned_product(&state, &user, id).await?;
    let result = if errs.is_empty() {
        products::update_validated(&state, &user, current, version, input.clone()).await
    } else {
        Err(AppError::Validation(errs))
    };
    match result {
        Ok(_) => Ok(see_other_flash(&format!("/produk-saya/{id}"), "Produk disimpan.")),
        Err(e) => {
            let errors = FormErrors::of_refusal(e, "version")?;
            edit_page(&state, &user, id, Some(input), errors, FormErrors::default()).await
        }
    }
}

pub(super) async fn action(
    State(state): State<AppState>,
    user: CurrentUser,
    PagePath(id): PagePath<i64>,
    headers: HeaderMap,
    form: FormData,
) -> PageResult {
    check_csrf(Some(&user), &headers, form.csrf())?;
    let action = ListingAction::from_code(&form.text("action")).ok_or_else(|| {
        PageError(AppError::bad_request(ErrorCode::UnknownAction, "Tindakan tidak dikenal."))
    })?;
    let version = form.int("version", &mut ValidationErrors::new());
    if action == ListingAction::Submit && form.text("confirm") != "1" {
        let m = crate::service::access::owned_product(&state, &user, id).await?;
        let view = products::view(&state, &m).await?;
        let missing: Vec<&str> =
            [(view.photos.is_empty(), "foto"), (view.certificates.is_empty(), "sertifikat")]
                .iter()
                .filter(|(lacks, _)| *lacks)
                .map(|(_, what)| *what)
                .collect();
        if !missing.is_empty() {
            let confirm = Confirm {
                title: format!("Produk belum punya {} — tetap ajukan?", missing.join(" dan ")),
                message: "Toko modern menilai produk dari fotonya, dan banyak yang meminta P-IRT \
                          atau BPOM MD dan sertifikat halal. Produk tanpa itu bisa ditolak Dinas \
                          atau belum layak untuk standar toko."
                    .into(),
                action: format!("/produk-saya/{id}/aksi"),
                fields: vec![
                    ("action".into(), "submit".into()),
                    ("version".into(), version.map(|v| v.to_string()).unwrap_or_default()),
                    ("confirm".into(), "1".into()),
                ],
                button: "Tetap ajukan".into(),
            };
            let extras = Extras { confirm: Some(confirm), ..Default::default() };
            return edit_page_full(&state, &user, id, None, FormErrors::default(), extras).await;
        }
    }
    products::transition(&state, &user, id, action, None, version).await?;
    let message = match action {
        ListingAction::Submit => "Produk diajukan ke Dinas untuk ditinjau.",
        ListingAction::Revise => "Produk ditarik dari katalog. Silakan ubah, lalu ajukan lagi.",
        ListingAction::Archive => "Produk diarsipkan.",
        _ => "Status produk diubah.",
    };
    Ok(see_other_flash(&format!("/produk-saya/{id}"), message))
}

pub(super) async fn delete_product(
    State(state): State<AppState>,
    user: CurrentUser,
    PagePath(id): PagePath<i64>,
    headers: HeaderMap,
    form: FormData,
) -> PageResult {
    check_csrf(Some(&user), &headers, form.csrf())?;
    products::delete(&state, &user, id).await?;
    Ok(see_other_flash("/produk-saya", "Produk dihapus."))
}
