//! The Dinas' compliance actions as pages: the phone-first inspection form (a checkbox per
//! agreed product — ticked seen, unticked not seen — notes and shelf photos, sent as
//! multipart) and the policy form. Notices (surat teguran) are in `notices`.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderMap, header};
use chrono::NaiveDate;

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::pages::ctx::PagePath;
use crate::pages::ctx::{FormErrors, Nav, PageError, PageResult, check_csrf, render};
use crate::pages::flash::see_other_flash;
use crate::pages::forms::FormData;
use crate::service::compliance::{
    self as svc, NewInspection, NewPolicy, PolicyView, StoreDetailView,
};
use crate::service::upload::Upload;
use crate::state::AppState;
use etalase_domain::error::ValidationErrors;

#[derive(Template)]
#[template(path = "compliance_inspection.html")]
struct InspectionPage {
    nav: Nav,
    d: StoreDetailView,
    /// Agreed products of the counting agreements: (id, name, producer).
    products: Vec<(i64, String, String)>,
    date: String,
    notes: String,
    seen: Vec<i64>,
    errors: FormErrors,
}

impl InspectionPage {
    fn is_seen(&self, id: &i64) -> bool {
        self.seen.contains(id)
    }
}

async fn inspection_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    form: Option<&FormData>,
    errors: FormErrors,
) -> PageResult {
    svc::require_dinas(user)?;
    let d = svc::store_detail(state, user, id, None).await?;
    let mut products: BTreeMap<i64, (String, String)> = BTreeMap::new();
    for a in d.agreements.iter().filter(|a| a.counts) {
        for p in &a.products {
            products.entry(p.id).or_insert_with(|| (p.name.clone(), a.producer_name.clone()));
        }
    }
    let nav = Nav::for_user(user);
    let page = InspectionPage {
        nav: nav.clone(),
        products: products.into_iter().map(|(id, (n, pr))| (id, n, pr)).collect(),
        date: form.map(|f| f.text("date")).unwrap_or_else(|| state.clock.today_wib().to_string()),
        notes: form.map(|f| f.text("notes")).unwrap_or_default(),
        seen: form.map(seen_of).unwrap_or_default(),
        d,
        errors,
    };
    Ok(render(&page, &nav))
}

fn seen_of(f: &FormData) -> Vec<i64> {
    f.0.iter()
        .filter(|(k, v)| k.starts_with("seen-") && v.as_str() == "1")
        .filter_map(|(k, _)| k["seen-".len()..].parse().ok())
        .collect()
}

pub(super) async fn inspection_form(
    State(state): State<AppState>,
    user: CurrentUser,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    inspection_page(&state, &user, id, None, FormErrors::default()).await
}

/// The form's fields and shelf photos: multipart (the fields as text parts, the photos as
/// `photos` parts; a phone sends one empty part when no photo was chosen) or, from an older
/// cached form, url-encoded without photos.
async fn read_inspection_form(
    state: &AppState,
    headers: &HeaderMap,
    req: Request,
) -> Result<(Vec<Upload>, FormData), AppError> {
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !ct.starts_with("multipart/form-data") {
        return FormData::from_request(req, state).await.map(|f| (Vec::new(), f)).map_err(|e| e.0);
    }
    let crate::extract::ApiMultipart(mp) =
        crate::extract::ApiMultipart::from_request(req, state).await?;
    let (files, texts) =
        crate::service::upload::read_photo_form(mp, state.config.photo_max_bytes, |_| true).await?;
    Ok((files.into_iter().filter(|f| !f.bytes.is_empty()).collect(), FormData(texts)))
}

pub(super) async fn record_inspection(
    State(state): State<AppState>,
    user: CurrentUser,
    PagePath(id): PagePath<i64>,
    headers: HeaderMap,
    req: Request,
) -> PageResult {
    // Who may record an inspection and the declared size are checked before the body is read.
    svc::require_dinas(&user)?;
    crate::service::upload::check_declared(
        &headers,
        crate::api::inspections::inspection_upload_bytes(&state.config),
        "Unggahan inspeksi",
    )?;
    let read = read_inspection_form(&state, &headers, req).await;
    let (files, form) = match read {
        Ok(x) => x,
        Err(AppError::PayloadTooLarge(m)) => {
            svc::require_dinas(&user)?;
            return inspection_page(
                &state,
                &user,
                id,
                None,
                FormErrors(vec![etalase_domain::error::FieldError::new("photos", "too_large", m)]),
            )
            .await;
        }
        Err(e) => return Err(PageError(e)),
    };
    check_csrf(Some(&user), &headers, form.csrf())?;
    let mut errs = ValidationErrors::new();
    let date = form.date("date", &mut errs);
    // Every listed product arrives as `listed-{id}`; the ticked ones also as `seen-{id}=1`.
    let listed: Vec<i64> =
        form.0.keys().filter_map(|k| k.strip_prefix("listed-")?.parse().ok()).collect();
    let seen = seen_of(&form);
    let not_seen: Vec<i64> = listed.iter().copied().filter(|p| !seen.contains(p)).collect();
    let result = match date {
        Some(date) if errs.is_empty() => {
            svc::record_inspection(
                &state,
                &user,
                NewInspection { store_id: id, date, seen, not_seen, notes: form.opt("notes") },
                files,
            )
            .await
        }
        _ => Err(AppError::Validation(if errs.is_empty() { required_date() } else { errs })),
    };
    match result {
        Ok(_) => {
            Ok(see_other_flash(&format!("/kepatuhan/toko/{id}#inspeksi"), "Inspeksi dicatat."))
        }
        Err(AppError::Validation(v)) => {
            inspection_page(&state, &user, id, Some(&form), FormErrors(v.0)).await
        }
        Err(e) => Err(PageError(e)),
    }
}

fn required_date() -> ValidationErrors {
    let mut e = ValidationErrors::new();
    e.push(etalase_domain::error::FieldError::new("date", "required", "Isi tanggal inspeksi."));
    e
}

#[derive(Template)]
#[template(path = "compliance_policy.html")]
struct PolicyPage {
    nav: Nav,
    policies: Vec<PolicyView>,
    form: FormData,
    errors: FormErrors,
    today: NaiveDate,
}

async fn policy_page_with(
    state: &AppState,
    user: &CurrentUser,
    form: FormData,
    errors: FormErrors,
) -> PageResult {
    svc::require_dinas(user)?;
    let policies = svc::list_policies(state, user).await?;
    let nav = Nav::for_user(user);
    Ok(render(
        &PolicyPage { nav: nav.clone(), policies, form, errors, today: state.clock.today_wib() },
        &nav,
    ))
}

pub(super) async fn policy_page(State(state): State<AppState>, user: CurrentUser) -> PageResult {
    policy_page_with(&state, &user, FormData::default(), FormErrors::default()).await
}

pub(super) async fn create_policy(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    form: FormData,
) -> PageResult {
    check_csrf(Some(&user), &headers, form.csrf())?;
    let mut errs = ValidationErrors::new();
    let num = |k: &str, errs: &mut ValidationErrors| {
        let v = form.int(k, errs);
        if v.is_none() && !errs.fields().contains(&k) {
            errs.push(etalase_domain::error::FieldError::new(k, "required", "Wajib diisi."));
        }
        v.unwrap_or(0)
    };
    let input = NewPolicy {
        min_agreements: num("min_agreements", &mut errs),
        min_products: num("min_products", &mut errs),
        min_producers: num("min_producers", &mut errs),
        effective_from: form
            .date("effective_from", &mut errs)
            .unwrap_or_else(|| state.clock.today_wib()),
        note: form.opt("note"),
    };
    let result = if errs.is_empty() {
        svc::create_policy(&state, &user, input).await.map(|_| ())
    } else {
        Err(AppError::Validation(errs))
    };
    match result {
        Ok(()) => Ok(see_other_flash("/kepatuhan/kebijakan", "Kebijakan kepatuhan disimpan.")),
        Err(AppError::Validation(v)) => {
            policy_page_with(&state, &user, form, FormErrors(v.0)).await
        }
        Err(e) => Err(PageError(e)),
    }
}
