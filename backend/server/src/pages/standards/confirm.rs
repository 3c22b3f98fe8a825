//! Publishing a standard asks first: the editor's POST shows what will change (the
//! requirements of the new version against the one in force, the date it takes effect, the
//! chains and stores it applies to) and only a POST with `confirm=1` publishes; "Ubah" goes
//! back to the editor with the same fields.

use std::collections::HashMap;

use askama::Template;
use etalase_db::repo::{chains, stores};
use etalase_domain::datefmt::format_date_id;
use etalase_domain::roles::Role;

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::pages::ctx::{Nav, PageResult, render};
use crate::service::standards::{self, NewVersion, StandardView};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "standard_confirm.html")]
struct ConfirmPage {
    nav: Nav,
    action: String,
    name: String,
    owner_label: String,
    number: i64,
    effective_label: String,
    labels: Vec<String>,
    added: Vec<String>,
    removed: Vec<String>,
    has_current: bool,
    applies_to: Vec<String>,
    note: String,
    /// The editor's fields, sent again with the confirmation.
    hidden: Vec<(String, String)>,
}

/// The chains (with their number of stores) a standard applies to: a chain's own standard to
/// its stores; the city baseline to every chain without a standard of its own and to the
/// independent stores.
async fn applies_to(state: &AppState, chain_id: Option<i64>) -> Result<Vec<String>, AppError> {
    let all = stores::all(&state.db, &Default::default()).await?;
    let count = |c: Option<i64>| all.iter().filter(|s| s.chain_id == c).count();
    let chains = chains::all(&state.db).await?;
    if let Some(c) = chain_id {
        let name = chains.iter().find(|x| x.id == c).map(|x| x.name.clone()).unwrap_or_default();
        return Ok(vec![format!("Semua gerai {name} ({} gerai)", count(Some(c)))]);
    }
    let own: Vec<i64> = standards::list(state).await?.iter().filter_map(|s| s.chain_id).collect();
    let mut out: Vec<String> = chains
        .iter()
        .filter(|c| !own.contains(&c.id))
        .map(|c| format!("{} ({} gerai)", c.name, count(Some(c.id))))
        .collect();
    let independent = count(None);
    if independent > 0 {
        out.push(format!("Gerai mandiri tanpa jaringan ({independent} gerai)"));
    }
    if out.is_empty() {
        out.push("Belum ada gerai yang memakai standar dasar kota.".into());
    }
    Ok(out)
}

/// The confirmation of publishing `v` — a new version of `standard`, or (None) a new standard
/// named `name` by `user`.
pub(super) async fn page(
    state: &AppState,
    user: &CurrentUser,
    standard: Option<&StandardView>,
    name: String,
    v: &NewVersion,
    fields: &HashMap<String, String>,
) -> PageResult {
    let labels: Vec<String> = v.requirements.iter().map(|r| r.rule().label()).collect();
    let current: Vec<String> = standard
        .and_then(|s| s.current_version.as_ref().or(s.versions.first()))
        .map(|c| c.labels.clone())
        .unwrap_or_default();
    let chain_id = match standard {
        Some(s) => s.chain_id,
        None if user.role == Role::Chain => user.chain_id,
        None => None,
    };
    let owner_label = match (standard, chain_id) {
        (Some(s), _) => s.owner_label.clone(),
        (None, None) => "Dinas (standar dasar kota)".into(),
        (None, Some(_)) => "Standar jaringan Anda".into(),
    };
    let mut hidden: Vec<(String, String)> = fields
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "csrf" | "confirm" | "ubah"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    hidden.sort();
    let nav = Nav::for_user(user);
    let p = ConfirmPage {
        nav: nav.clone(),
        action: standard.map(|s| format!("/standar/{}", s.id)).unwrap_or("/standar/baru".into()),
        name: standard.map(|s| s.name.clone()).unwrap_or(name),
        owner_label,
        number: standard
            .map(|s| s.versions.iter().map(|x| x.number).max().unwrap_or(0))
            .unwrap_or(0)
            + 1,
        effective_label: format_date_id(v.effective_from),
        added: labels.iter().filter(|l| !current.contains(l)).cloned().collect(),
        removed: current.iter().filter(|l| !labels.contains(l)).cloned().collect(),
        has_current: !current.is_empty(),
        labels,
        applies_to: applies_to(state, chain_id).await?,
        note: v.note.clone().unwrap_or_default(),
        hidden,
    };
    Ok(render(&p, &nav))
}
