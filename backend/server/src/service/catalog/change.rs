//! The one place where a listing changes. Every write that affects what search shows or what
//! the standards say of a product (its fields, lifecycle, certificates, photos, its producer)
//! goes through a `ListingChange`: the change, its audit row and one outbox row per affected
//! product commit in one transaction. The outbox row also carries the re-evaluation need, so
//! what must happen after the commit is durable: the standards are re-evaluated at once for
//! the caller's next read, and should that fail (or the process stop) the search relay
//! re-evaluates before it sends the document, retrying with backoff. Nothing after the commit
//! can turn a saved write into an error.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use etalase_db::repo::{audit, outbox, products};
use sea_orm::DatabaseTransaction;

use crate::error::AppResult;
use crate::service::standards;
use crate::state::AppState;

/// A unit of work over listings: begin, write through `db()`, mark the products touched, commit.
pub struct ListingChange<'s> {
    state: &'s AppState,
    txn: DatabaseTransaction,
    now: DateTime<Utc>,
    touched: BTreeSet<i64>,
}

impl<'s> ListingChange<'s> {
    /// Opens the transaction; `now()` is the change's one timestamp.
    pub async fn begin(state: &'s AppState) -> AppResult<Self> {
        Ok(Self {
            state,
            txn: etalase_db::begin_write(&state.db).await?,
            now: state.clock.now(),
            touched: BTreeSet::new(),
        })
    }

    /// The transaction every write of the change goes through.
    pub fn db(&self) -> &DatabaseTransaction {
        &self.txn
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// These products' listings changed: their documents and evaluations must follow.
    pub fn touch(&mut self, ids: impl IntoIterator<Item = i64>) {
        self.touched.extend(ids);
    }

    /// A change to what the product carries (certificate, photo): it is touched and its
    /// version moves on like a field edit.
    pub async fn touch_carried(&mut self, product_id: i64) -> AppResult<()> {
        products::bump_version(&self.txn, product_id, self.now).await?;
        self.touch([product_id]);
        Ok(())
    }

    /// Records who did what, in the same transaction.
    pub async fn audit(
        &self,
        actor: i64,
        action: &str,
        entity: &str,
        entity_id: i64,
        detail: Option<String>,
    ) -> AppResult<()> {
        audit::record(&self.txn, Some(actor), action, entity, entity_id, detail, self.now).await?;
        Ok(())
    }

    /// Commits the change with one outbox row per touched product, then re-evaluates them
    /// (best effort: a failure is logged and left to the relay) and wakes the relay.
    pub async fn commit(self) -> AppResult<()> {
        let ids: Vec<i64> = self.touched.into_iter().collect();
        outbox::enqueue(&self.txn, &ids, self.now, true).await?;
        self.txn.commit().await?;
        after_commit(self.state, &ids).await;
        Ok(())
    }
}

/// What follows a committed change. Never fails: the outbox rows hold the same work.
async fn after_commit(state: &AppState, ids: &[i64]) {
    if ids.is_empty() {
        return;
    }
    if let Err(e) = standards::refresh_evaluations(state, ids).await {
        tracing::warn!(
            error = %e,
            products = ?ids,
            "re-evaluation after a listing change failed; the search relay will retry it"
        );
    }
    state.relay_wake.notify_one();
}
