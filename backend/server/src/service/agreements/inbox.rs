//! The inbox: what needs this caller's answer — proposals and counters from the other side —
//! and the caller's agreements about to start (14 days) or end (30 days).

use etalase_db::repo::agreements as repo;
use etalase_domain::agreement::Side;
use serde::Serialize;
use utoipa::ToSchema;

use super::{scope, views, AgreementView};
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::state::AppState;

/// One inbox entry.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InboxItem {
    /// `awaiting_answer`, `starting_soon` or `ending_soon`.
    pub kind: String,
    /// Why it is here, in Indonesian.
    pub message: String,
    pub agreement: AgreementView,
}

pub async fn inbox(state: &AppState, user: &CurrentUser) -> AppResult<Vec<InboxItem>> {
    let Some(side) = Side::of_role(user.role) else { return Ok(vec![]) };
    let Some(mut f) = scope(state, user).await? else { return Ok(vec![]) };
    f.statuses = ["proposed", "countered", "accepted", "active"].iter().map(|s| s.to_string()).collect();
    let today = state.clock.today_wib();
    let mut picked = Vec::new();
    for a in repo::all(&state.db, &f).await? {
        let entry = match a.status.as_str() {
            "proposed" | "countered" if a.offer_by != side.as_str() => {
                Some(("awaiting_answer", format!("Menunggu jawaban Anda · {}", super::payment_term_label(a.payment_term_days))))
            }
            "accepted" if (a.start_date - today).num_days() <= 14 => {
                Some(("starting_soon", format!("Mulai {} hari lagi", (a.start_date - today).num_days().max(0))))
            }
            "active" if (a.end_date - today).num_days() <= 30 => {
                Some(("ending_soon", format!("Berakhir {} hari lagi", (a.end_date - today).num_days().max(0))))
            }
            _ => None,
        };
        if let Some((kind, message)) = entry {
            picked.push((kind, message, a));
        }
    }
    let models: Vec<_> = picked.iter().map(|(_, _, a)| a.clone()).collect();
    let vs = views(state, user, &models).await?;
    Ok(picked.into_iter().zip(vs).map(|((kind, message, _), agreement)| InboxItem { kind: kind.into(), message, agreement }).collect())
}
