//! `/dinas/impor`: the Dinas imports its own lists of businesses, products and stores; a chain
//! office its chain's stores (the only kind it is offered). Choose the kind and the file, see
//! the preview (every problem with line and column; every row new, changed or unchanged; each
//! name matched forgivingly), then "Simpan" saves the previewed file (kept in `import_uploads`,
//! so any instance can save it). Templates: `/dinas/impor/templat/usaha.xlsx` (and `.csv`, and
//! `produk.*`, `gerai.*`). `/dinas/toko/impor`, the older store import page, leads here.

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::config::Config;
use crate::download::{CSV, XLSX, attachment};
use crate::error::AppError;
use crate::pages::ctx::PageQuery;
use crate::pages::ctx::{Nav, PageError, PageResult, check_csrf, render};
use crate::pages::ctx::{PageMultipart, PagePath};
use crate::pages::flash::see_other_flash;
use crate::pages::forms::FormData;
use crate::service::imports::{
    self as svc, ImportKind, ImportPreview, Importer, Quiet, require_any_importer,
    require_importer, template, uploads,
};
use crate::service::upload::{check_declared, read_file, unreadable};
use crate::state::AppState;

pub fn router(config: &Config) -> Router<AppState> {
    Router::new()
        .route(
            "/dinas/impor",
            get(form)
                .post(preview)
                .layer(DefaultBodyLimit::max(config.import_max_bytes.saturating_add(64 * 1024))),
        )
        .route("/dinas/impor/simpan", post(save))
        .route("/dinas/impor/templat/{file}", get(template_file))
        .route("/dinas/toko/impor", get(stores_form))
}

#[derive(Template)]
#[template(path = "imports.html")]
struct ImportsPage {
    nav: Nav,
    kind: &'static str,
    kind_label: &'static str,
    /// The kinds this user may import: (slug, label).
    kinds: Vec<(&'static str, &'static str)>,
    error: Option<String>,
    preview: Option<ImportPreview>,
    file_name: String,
}

fn page(
    user: &CurrentUser,
    kind: ImportKind,
    error: Option<String>,
    preview: Option<ImportPreview>,
    file_name: String,
) -> PageResult {
    require_importer(user, kind).map_err(PageError)?;
    let nav = Nav::for_user(user);
    Ok(render(
        &ImportsPage {
            nav: nav.clone(),
            kind: kind.slug(),
            kind_label: kind.label(),
            kinds: ImportKind::for_role(user.role).iter().map(|k| (k.slug(), k.label())).collect(),
            error,
            preview,
            file_name,
        },
        &nav,
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct KindQuery {
    jenis: Option<String>,
}

/// The kind asked for, or the first this user may import; refused when the user may not.
fn kind_of(user: &CurrentUser, s: Option<&str>) -> Result<ImportKind, PageError> {
    let kind = match s.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => ImportKind::parse(s).map_err(PageError)?,
        None => ImportKind::for_role(user.role).first().copied().unwrap_or(ImportKind::Businesses),
    };
    require_importer(user, kind).map_err(PageError)?;
    Ok(kind)
}

async fn form(user: CurrentUser, PageQuery(q): PageQuery<KindQuery>) -> PageResult {
    require_any_importer(&user).map_err(PageError)?;
    page(&user, kind_of(&user, q.jenis.as_deref())?, None, None, String::new())
}

/// The older store import page: the same import, on this page.
async fn stores_form(user: CurrentUser) -> Result<Response, PageError> {
    require_importer(&user, ImportKind::Stores).map_err(PageError)?;
    Ok(crate::pages::ctx::see_other("/dinas/impor?jenis=gerai"))
}

/// Reads the form (csrf, jenis, file), keeps the file and shows its preview.
async fn preview(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    PageMultipart(mut mp): PageMultipart,
) -> PageResult {
    // Who may import and the declared size are checked before the body is read (the kind, when
    // it comes, again).
    require_any_importer(&user).map_err(PageError)?;
    let limit = state.config.import_max_bytes;
    let too_large = |_: &str| {
        format!("Berkas impor terlalu besar: paling besar {} MB.", limit.div_ceil(1_000_000))
    };
    let mut kind = kind_of(&user, None)?;
    if let Err(e) = check_declared(&headers, limit + 64 * 1024, "Berkas impor") {
        return page(&user, kind, Some(e.problem().detail), None, String::new());
    }
    let (mut csrf, mut file) = (None, None);
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                let e = unreadable(e, || too_large(""));
                return page(&user, kind, Some(e.problem().detail), None, String::new());
            }
        };
        match field.name().unwrap_or("") {
            "csrf" => csrf = field.text().await.ok(),
            "jenis" => kind = kind_of(&user, field.text().await.ok().as_deref())?,
            "file" => match read_file(field, limit, "berkas", too_large).await {
                Ok(f) => file = Some(f),
                Err(e) => return page(&user, kind, Some(e.problem().detail), None, String::new()),
            },
            _ => {}
        }
    }
    check_csrf(Some(&user), &headers, csrf.as_deref())?;
    let Some(file) = file.filter(|f| !f.bytes.is_empty()) else {
        let msg = "Pilih berkas CSV atau XLSX dulu.".to_string();
        return page(&user, kind, Some(msg), None, String::new());
    };
    let limits = state.config.import_limits();
    match svc::preview_for(&state, &Importer::from(&user), kind, file.bytes.clone(), limits).await {
        Ok(mut p) => {
            if p.clean {
                p.token = Some(
                    uploads::keep(&state, user.id, kind, &file.filename, file.bytes)
                        .await
                        .map_err(PageError)?,
                );
            }
            page(&user, kind, None, Some(p), file.filename)
        }
        Err(e @ (AppError::BadRequest { .. } | AppError::PayloadTooLarge(_))) => {
            page(&user, kind, Some(e.problem().detail), None, file.filename)
        }
        Err(e) => Err(PageError(e)),
    }
}

/// Saves the previewed file; back to the form with what was saved.
async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    form: FormData,
) -> PageResult {
    require_any_importer(&user).map_err(PageError)?;
    check_csrf(Some(&user), &headers, form.csrf())?;
    let kind = kind_of(&user, form.0.get("jenis").map(String::as_str))?;
    let token = form.0.get("token").cloned().unwrap_or_default();
    let kept = uploads::take(&state, user.id, kind, &token).await.map_err(PageError)?;
    let limits = state.config.import_limits();
    match svc::save(&state, user.id, kind, kept.bytes, limits, &Quiet).await {
        Ok(Ok(s)) => {
            uploads::forget(&state, &token).await.map_err(PageError)?;
            let msg = format!(
                "{} disimpan dari {}: {} baru, {} diubah, {} tetap.",
                kind.label(),
                kept.file_name,
                s.new,
                s.updated,
                s.unchanged
            );
            Ok(see_other_flash(&format!("/dinas/impor?jenis={}", kind.slug()), &msg))
        }
        // The database changed since the preview (another import, an edit): show why.
        Ok(Err(refused)) => page(
            &user,
            kind,
            Some(
                "Data berubah sejak pratinjau: tidak ada yang disimpan. Periksa masalah di bawah."
                    .into(),
            ),
            Some(refused.preview),
            kept.file_name,
        ),
        Err(e @ AppError::Conflict { .. }) => {
            page(&user, kind, Some(e.problem().detail), None, kept.file_name)
        }
        Err(e) => Err(PageError(e)),
    }
}

async fn template_file(
    user: CurrentUser,
    PagePath(file): PagePath<String>,
) -> Result<Response, PageError> {
    require_any_importer(&user).map_err(PageError)?;
    let (kind, ext) = file.split_once('.').ok_or(PageError(AppError::NotFound("Templat")))?;
    let kind = ImportKind::parse(kind).map_err(|_| PageError(AppError::NotFound("Templat")))?;
    require_importer(&user, kind).map_err(PageError)?;
    match ext {
        "csv" => Ok(attachment(CSV, template::file_name(kind, "csv"), template::csv(kind))),
        "xlsx" => Ok(attachment(
            XLSX,
            template::file_name(kind, "xlsx"),
            template::xlsx(kind).map_err(PageError)?,
        )),
        _ => Err(PageError(AppError::NotFound("Templat"))),
    }
}
