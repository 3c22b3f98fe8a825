//! The inbox: what needs this caller's answer — proposals and counters from the other side —
//! and the caller's agreements about to start (14 days) or end (30 days); for a chain office or
//! a store manager also the surat teguran the Dinas sent to its stores in the last 90 days.

use etalase_db::repo::agreements as repo;
use etalase_domain::agreement::{AgreementStatus as S, Side};
use etalase_domain::producer::ProducerStatus;
use serde::Serialize;
use utoipa::ToSchema;

use super::{AgreementView, scope, views};
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::service::compliance::{self, NoticeView};
use crate::state::AppState;
use etalase_domain::roles::Role;

/// One inbox entry.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InboxItem {
    /// `awaiting_answer`, `starting_soon`, `ending_soon`, `producer_not_verified` or `notice`.
    pub kind: String,
    /// Why it is here, in Indonesian.
    pub message: String,
    /// The agreement (every kind but `notice`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agreement: Option<AgreementView>,
    /// The surat teguran (kind `notice`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice: Option<NoticeView>,
}

/// How long a notice stays in the inbox.
const NOTICE_DAYS: i64 = 90;

/// The notices of the caller's chain (chain office) or store (manager) from the last 90 days.
async fn notices(state: &AppState, user: &CurrentUser) -> AppResult<Vec<InboxItem>> {
    if !matches!(user.role, Role::Chain | Role::Store) {
        return Ok(vec![]);
    }
    let today = state.clock.today_wib();
    let notices: Vec<NoticeView> = compliance::list_notices(state, user)
        .await?
        .into_iter()
        .filter(|n| (today - n.issued_on).num_days() <= NOTICE_DAYS)
        .collect();
    let ids: Vec<i64> = notices.iter().map(|n| n.store_id).collect();
    let names: std::collections::HashMap<i64, String> =
        etalase_db::repo::stores::find_many(&state.db, ids)
            .await?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect();
    Ok(notices
        .into_iter()
        .map(|n| InboxItem {
            kind: "notice".into(),
            message: format!(
                "Surat teguran dari Dinas untuk {} ({})",
                names.get(&n.store_id).map_or("gerai Anda", String::as_str),
                etalase_domain::datefmt::format_date_id(n.issued_on)
            ),
            agreement: None,
            notice: Some(n),
        })
        .collect())
}

pub async fn inbox(state: &AppState, user: &CurrentUser) -> AppResult<Vec<InboxItem>> {
    let mut out = notices(state, user).await?;
    let Some(side) = Side::of_role(user.role) else { return Ok(out) };
    let Some(mut f) = scope(state, user).await? else { return Ok(out) };
    f.statuses = vec![S::Proposed, S::Countered, S::Accepted, S::Active];
    let today = state.clock.today_wib();
    let mut picked = Vec::new();
    let agreements = repo::all(&state.db, &f).await?;
    let mut pids: Vec<i64> = agreements.iter().map(|a| a.producer_id).collect();
    pids.sort_unstable();
    pids.dedup();
    let producers = etalase_db::repo::producers::find_many(&state.db, pids).await?;
    for a in agreements {
        let revoked = producers
            .iter()
            .find(|p| p.id == a.producer_id)
            .filter(|p| p.status != ProducerStatus::Verified);
        let entry = match (a.status, revoked) {
            // The buyer side learns when a partner's verification ends: its products have left
            // the catalog and cannot go into new agreements.
            (S::Accepted | S::Active, Some(p)) if side != Side::Producer => Some((
                "producer_not_verified",
                format!(
                    "{} tidak lagi terverifikasi Dinas ({}). Produknya keluar dari katalog.",
                    p.name,
                    p.status_reason.clone().unwrap_or_else(|| p.status.label().to_string())
                ),
            )),
            (status, _) => match status {
                S::Proposed | S::Countered if a.offer_by != side => Some((
                    "awaiting_answer",
                    format!(
                        "Menunggu jawaban Anda · {}",
                        super::payment_term_label(a.payment_term_days)
                    ),
                )),
                S::Accepted if (a.start_date - today).num_days() <= 14 => Some((
                    "starting_soon",
                    format!("Mulai {} hari lagi", (a.start_date - today).num_days().max(0)),
                )),
                S::Active if (a.end_date - today).num_days() <= 30 => Some((
                    "ending_soon",
                    format!("Berakhir {} hari lagi", (a.end_date - today).num_days().max(0)),
                )),
                _ => None,
            },
        };
        if let Some((kind, message)) = entry {
            picked.push((kind, message, a));
        }
    }
    let models: Vec<_> = picked.iter().map(|(_, _, a)| a.clone()).collect();
    let vs = views(state, user, &models).await?;
    out.extend(picked.into_iter().zip(vs).map(|((kind, message, _), agreement)| InboxItem {
        kind: kind.into(),
        message,
        agreement: Some(agreement),
        notice: None,
    }));
    Ok(out)
}
