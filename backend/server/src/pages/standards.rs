//! Standards pages: `/standar` (list, and the Dinas' re-evaluation progress), the editor
//! (`/standar/baru`, `/standar/{id}` — a table of requirement kinds with checkboxes and
//! parameters), the Dinas summary (`/standar/{id}/ringkasan`) and a UMKM product's
//! "Kelayakan" page (`/produk-saya/{id}/kelayakan`). Publishing (a new standard or a new
//! version) asks first: see `confirm`.

mod confirm;

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::get;
use etalase_domain::roles::Role;

use super::ctx::{FormErrors, Nav, PageError, PageResult, check_csrf, render};
use super::flash::see_other_flash;
use super::forms::FormData;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::pages::ctx::PagePath;
use crate::service::standards::editor::{self, EditorRow};
use crate::service::standards::{
    self, EligibilityView, JobView, NewStandard, NewVersion, StandardView, SummaryView,
};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/standar", get(list))
        .route("/standar/baru", get(new_form).post(create))
        .route("/standar/{id}", get(detail).post(publish))
        .route("/standar/{id}/ringkasan", get(summary))
        .route("/produk-saya/{id}/kelayakan", get(kelayakan))
}

#[derive(Template)]
#[template(path = "standard_list.html")]
struct ListPage {
    nav: Nav,
    items: Vec<(StandardView, bool, bool)>,
    can_create: bool,
    /// Re-evaluation jobs with the standard and version they run for.
    jobs: Vec<(JobView, String)>,
}

async fn list(State(state): State<AppState>, user: CurrentUser) -> PageResult {
    let all = standards::list(&state).await?;
    let can_create = match user.role {
        Role::Dinas | Role::Admin => !all.iter().any(|s| s.is_baseline),
        Role::Chain => user.chain_id.is_some_and(|c| !all.iter().any(|s| s.chain_id == Some(c))),
        _ => false,
    };
    let jobs = if matches!(user.role, Role::Dinas | Role::Admin) {
        standards::recent_jobs(&state, 5).await?
    } else {
        vec![]
    };
    let jobs = jobs
        .into_iter()
        .map(|j| {
            let label = all
                .iter()
                .find_map(|s| {
                    let v = s.versions.iter().find(|v| Some(v.id) == j.version_id)?;
                    Some(format!(
                        "{}, versi {} (berlaku {})",
                        s.name, v.number, v.effective_from_label
                    ))
                })
                .unwrap_or_else(|| "Evaluasi ulang".into());
            (j, label)
        })
        .collect();
    let items = all
        .into_iter()
        .map(|s| (standards::can_write(&user, &s), standards::can_see_summary(&user, &s), s))
        .map(|(w, r, s)| (s, w, r))
        .collect();
    let nav = Nav::for_user(&user);
    Ok(render(&ListPage { nav: nav.clone(), items, can_create, jobs }, &nav))
}

#[derive(Template)]
#[template(path = "standard_editor.html")]
struct EditorPage {
    nav: Nav,
    standard: Option<StandardView>,
    writable: bool,
    name: String,
    description: String,
    effective_from: String,
    note: String,
    rows: Vec<EditorRow>,
    errors: FormErrors,
}

async fn editor_page(
    state: &AppState,
    user: &CurrentUser,
    standard: Option<StandardView>,
    fields: HashMap<String, String>,
    errors: FormErrors,
) -> PageResult {
    let writable = match &standard {
        Some(s) => standards::can_write(user, s),
        None => matches!(user.role, Role::Dinas | Role::Admin | Role::Chain),
    };
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let effective = fields
        .get("effective_from")
        .cloned()
        .unwrap_or_else(|| state.clock.today_wib().to_string());
    let nav = Nav::for_user(user);
    let page = EditorPage {
        nav: nav.clone(),
        writable,
        name: get("name"),
        description: get("description"),
        effective_from: effective,
        note: get("note"),
        rows: editor::rows(&fields),
        standard,
        errors,
    };
    Ok(render(&page, &nav))
}

/// The fields of the version in force (or the newest) of a standard.
fn fields_of_current(s: &StandardView) -> HashMap<String, String> {
    s.current_version
        .as_ref()
        .or(s.versions.first())
        .map(|v| editor::fields_of(&v.requirements))
        .unwrap_or_default()
}

async fn new_form(State(state): State<AppState>, user: CurrentUser) -> PageResult {
    user.require(&[Role::Dinas, Role::Admin, Role::Chain]).map_err(PageError)?;
    // A chain starts from the city baseline, adopting it and adding what it needs.
    let mut fields = match user.role {
        Role::Chain => standards::list(&state)
            .await?
            .iter()
            .find(|s| s.is_baseline)
            .map(fields_of_current)
            .unwrap_or_default(),
        _ => HashMap::new(),
    };
    fields.insert(
        "name".into(),
        if user.role == Role::Chain {
            "Standar jaringan".into()
        } else {
            "Standar Produk Lokal Kota Serang".into()
        },
    );
    editor_page(&state, &user, None, fields, FormErrors::default()).await
}

fn read_version(state: &AppState, form: &FormData) -> Result<NewVersion, FormErrors> {
    let mut errs = etalase_domain::error::ValidationErrors::new();
    let effective =
        form.date("effective_from", &mut errs).unwrap_or_else(|| state.clock.today_wib());
    let requirements = editor::read(&form.0).map_err(|m| {
        FormErrors(vec![etalase_domain::error::FieldError::new(
            "requirements",
            "invalid_requirement",
            m,
        )])
    })?;
    if !errs.is_empty() {
        return Err(FormErrors(errs.0));
    }
    Ok(NewVersion { requirements, effective_from: effective, note: form.opt("note") })
}

async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    form: FormData,
) -> PageResult {
    check_csrf(Some(&user), &headers, form.csrf())?;
    let v = match read_version(&state, &form) {
        Ok(v) => v,
        Err(errors) => return editor_page(&state, &user, None, form.0, errors).await,
    };
    if form.opt("ubah").is_some() {
        return editor_page(&state, &user, None, form.0, FormErrors::default()).await;
    }
    if form.text("confirm") != "1" {
        user.require(&[Role::Dinas, Role::Admin, Role::Chain]).map_err(PageError)?;
        if form.text("name").is_empty() {
            let e = etalase_domain::error::FieldError::new("name", "required", "Isi nama standar.");
            return editor_page(&state, &user, None, form.0, FormErrors(vec![e])).await;
        }
        return confirm::page(&state, &user, None, form.text("name"), &v, &form.0).await;
    }
    let input = NewStandard {
        name: form.text("name"),
        description: form.opt("description"),
        requirements: v.requirements,
        effective_from: v.effective_from,
        note: v.note,
    };
    match standards::create(&state, &user, input).await {
        Ok((s, _)) => Ok(see_other_flash(
            &format!("/standar/{}", s.id),
            &format!("Standar \u{201c}{}\u{201d} diterbitkan.", s.name),
        )),
        Err(e) => {
            editor_page(&state, &user, None, form.0.clone(), FormErrors::of_refusal(e, "name")?)
                .await
        }
    }
}

async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    let s = standards::get(&state, id).await?;
    let fields = fields_of_current(&s);
    editor_page(&state, &user, Some(s), fields, FormErrors::default()).await
}

async fn publish(
    State(state): State<AppState>,
    user: CurrentUser,
    PagePath(id): PagePath<i64>,
    headers: HeaderMap,
    form: FormData,
) -> PageResult {
    check_csrf(Some(&user), &headers, form.csrf())?;
    let s = standards::get(&state, id).await?;
    let v = match read_version(&state, &form) {
        Ok(v) => v,
        Err(errors) => return editor_page(&state, &user, Some(s), form.0, errors).await,
    };
    if form.opt("ubah").is_some() {
        return editor_page(&state, &user, Some(s), form.0, FormErrors::default()).await;
    }
    if form.text("confirm") != "1" {
        if !standards::can_write(&user, &s) {
            return Err(PageError(AppError::Forbidden(
                "Anda tidak dapat mengubah standar ini.".into(),
            )));
        }
        return confirm::page(&state, &user, Some(&s), String::new(), &v, &form.0).await;
    }
    match standards::add_version(&state, &user, id, v).await {
        Ok(_) => Ok(see_other_flash(
            "/standar",
            &format!("Versi baru \u{201c}{}\u{201d} diterbitkan; produk dievaluasi ulang.", s.name),
        )),
        Err(e) => {
            editor_page(&state, &user, Some(s), form.0.clone(), FormErrors::of_refusal(e, "name")?)
                .await
        }
    }
}

#[derive(Template)]
#[template(path = "dinas_standards_summary.html")]
struct SummaryPage {
    nav: Nav,
    s: SummaryView,
}

async fn summary(
    State(state): State<AppState>,
    user: CurrentUser,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    let s = standards::summary(&state, &user, id).await?;
    let nav = Nav::for_user(&user);
    Ok(render(&SummaryPage { nav: nav.clone(), s }, &nav))
}

#[derive(Template)]
#[template(path = "kelayakan.html")]
struct KelayakanPage {
    nav: Nav,
    product_id: i64,
    product_name: String,
    e: EligibilityView,
}

async fn kelayakan(
    State(state): State<AppState>,
    user: CurrentUser,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    user.require(&[Role::Umkm]).map_err(PageError)?;
    let p = crate::service::access::product(&state, Some(&user), id).await?;
    if !crate::service::access::owns_product(&state, &user, &p).await? {
        return Err(PageError(AppError::NotFound("Produk")));
    }
    let e = standards::eligibility_of(&state, p.id).await?;
    let nav = Nav::for_user(&user);
    Ok(render(&KelayakanPage { nav: nav.clone(), product_id: p.id, product_name: p.name, e }, &nav))
}
