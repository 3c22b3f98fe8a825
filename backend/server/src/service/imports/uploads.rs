//! Previewed files kept for the save (`import_uploads`): the officer sees the preview, then
//! presses "Simpan"; the save reads the same bytes, on whichever instance answers. A token is
//! random, belongs to its officer, and is gone after the save or a day.

use chrono::Duration;
use etalase_db::entities::import_upload::{ActiveModel, Column, Entity, Model};
use rand::Rng;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use super::ImportKind;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// How long a previewed file waits for its save.
pub const KEEP_HOURS: i64 = 24;

/// Keeps `bytes` for `user`; returns the token the save form carries.
pub async fn keep(
    state: &AppState,
    user: i64,
    kind: ImportKind,
    file_name: &str,
    bytes: Vec<u8>,
) -> AppResult<String> {
    let token: String = {
        let mut rng = rand::thread_rng();
        (0..32).map(|_| format!("{:02x}", rng.r#gen::<u8>())).collect()
    };
    ActiveModel {
        token: Set(token.clone()),
        user_id: Set(user),
        kind: Set(kind.slug().into()),
        file_name: Set(file_name.chars().take(200).collect()),
        bytes: Set(bytes),
        created_at: Set(state.clock.now()),
        ..Default::default()
    }
    .insert(&state.db)
    .await?;
    Ok(token)
}

/// The kept file of `user` under `token`, if still there.
pub async fn take(state: &AppState, user: i64, kind: ImportKind, token: &str) -> AppResult<Model> {
    let cutoff = state.clock.now() - Duration::hours(KEEP_HOURS);
    Entity::find()
        .filter(Column::Token.eq(token))
        .filter(Column::UserId.eq(user))
        .filter(Column::Kind.eq(kind.slug()))
        .filter(Column::CreatedAt.gt(cutoff))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound("Berkas pratinjau (unggah ulang berkasnya)"))
}

/// Removes a kept file (after its save).
pub async fn forget(state: &AppState, token: &str) -> AppResult<()> {
    Entity::delete_many().filter(Column::Token.eq(token)).exec(&state.db).await?;
    Ok(())
}

/// Removes files kept longer than a day (the periodic tick).
pub async fn purge(state: &AppState) -> AppResult<u64> {
    let cutoff = state.clock.now() - Duration::hours(KEEP_HOURS);
    Ok(Entity::delete_many()
        .filter(Column::CreatedAt.lt(cutoff))
        .exec(&state.db)
        .await?
        .rows_affected)
}
