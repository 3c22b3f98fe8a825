//! What every import's save writes besides its records: one audit row per record written (in
//! batches, inside the import's transaction), and the versioned update that fails the whole
//! import when a record was edited between the preview and the save.

use etalase_db::entities::audit;
use etalase_db::repo::Versioned;
use etalase_db::repo::versioned::{self, VersionedEntity};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};

use super::Now;
use crate::error::{AppError, AppResult};

/// The audit rows of one import, by the officer who saved it.
pub(crate) struct AuditLog {
    actor: i64,
    entity: &'static str,
    now: Now,
    rows: Vec<audit::ActiveModel>,
}

impl AuditLog {
    pub(crate) fn new(actor: i64, entity: &'static str, now: Now) -> AuditLog {
        AuditLog { actor, entity, now, rows: Vec::new() }
    }

    /// Record `id` written by `action` from file line `line`: "baris 12: <what>".
    pub(crate) fn record(&mut self, action: &str, id: i64, line: usize, what: &str) {
        self.rows.push(audit::ActiveModel {
            actor_user_id: Set(Some(self.actor)),
            action: Set(action.into()),
            entity: Set(self.entity.into()),
            entity_id: Set(id),
            detail: Set(Some(format!("baris {line}: {what}"))),
            created_at: Set(self.now),
            ..Default::default()
        });
    }

    /// Writes the rows, a thousand per statement.
    pub(crate) async fn save(self, db: &impl ConnectionTrait) -> AppResult<()> {
        for chunk in self.rows.chunks(1_000) {
            audit::Entity::insert_many(chunk.to_vec()).exec(db).await?;
        }
        Ok(())
    }
}

/// Updates a record the preview found at `version`; a record edited since then fails the
/// whole import with a version conflict (nothing of it is saved).
pub(crate) async fn update_as_previewed<A>(
    db: &impl ConnectionTrait,
    id: i64,
    version: i64,
    am: A,
) -> AppResult<()>
where
    A: ActiveModelTrait + Send,
    A::Entity: VersionedEntity,
{
    match versioned::update(db, id, version, am).await? {
        Versioned::Updated(_) => Ok(()),
        Versioned::Stale | Versioned::Missing => Err(AppError::version_conflict()),
    }
}
