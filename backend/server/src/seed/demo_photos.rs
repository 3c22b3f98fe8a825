//! The demo catalog's photos: one drawn picture per template (and a dim one for a few, so the
//! photo-quality hints have something to flag) run through the real photo pipeline, their
//! variants stored once as blobs and shared by every product of the template.

use etalase_db::entities::photo;
use sea_orm::{ActiveModelTrait, DatabaseTransaction, Set};

use super::data;
use crate::state::AppState;

/// A processed demo photo, stored once and shared by every product of its template.
pub(super) struct DemoPhoto {
    hash: String,
    bytes: i64,
    p: etalase_media::photo::Processed,
}

/// Draws and processes one photo per template (and a dim one for a few), two at a time, and
/// stores the variants.
pub(super) async fn demo_photos(
    state: &AppState,
    c: &data::Catalog,
) -> anyhow::Result<(Vec<DemoPhoto>, Vec<Option<DemoPhoto>>)> {
    use sha2::{Digest, Sha256};
    let cats = etalase_domain::category::categories();
    let jobs: Vec<(String, usize, bool)> = c
        .templates
        .iter()
        .enumerate()
        .flat_map(|(i, t)| {
            let ci = cats.iter().position(|k| k.slug == t.category).unwrap_or(0);
            let mut v = vec![(t.name.clone(), ci, false)];
            if i % 8 == 0 {
                v.push((t.name.clone(), ci, true));
            }
            v
        })
        .collect();
    let limits = state.config.photo_limits();
    let done = tokio::task::spawn_blocking(move || {
        let half = jobs.len().div_ceil(2);
        let run = |chunk: &[(String, usize, bool)]| {
            chunk
                .iter()
                .map(|(name, ci, dim)| {
                    let bytes = super::pictures::product_photo(name, *ci, *dim);
                    let hash = hex::encode(Sha256::digest(&bytes));
                    etalase_media::photo::process(&bytes, &limits).map(|p| {
                        (name.clone(), *dim, DemoPhoto { hash, bytes: bytes.len() as i64, p })
                    })
                })
                .collect::<Vec<_>>()
        };
        std::thread::scope(|s| {
            let (a, b) = jobs.split_at(half);
            let h = s.spawn(|| run(b));
            let mut out = run(a);
            out.extend(h.join().unwrap_or_default());
            out
        })
    })
    .await?;
    let mut good = Vec::new();
    let mut dim: Vec<Option<DemoPhoto>> = Vec::new();
    for r in done {
        let (_, is_dim, photo) = r.map_err(|e| anyhow::anyhow!("demo photo: {e}"))?;
        for v in &photo.p.variants {
            state
                .blobs
                .put(
                    &etalase_media::keys::photo_key(&photo.hash, v.size, v.ext),
                    v.bytes.clone(),
                    v.content_type,
                )
                .await?;
        }
        if is_dim {
            if let Some(last) = dim.last_mut() {
                *last = Some(photo);
            }
        } else {
            good.push(photo);
            dim.push(None);
        }
    }
    Ok((good, dim))
}

pub(super) async fn insert_photo(
    txn: &DatabaseTransaction,
    product_id: i64,
    d: &DemoPhoto,
    alt: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    let mut sizes: Vec<String> = d.p.variants.iter().map(|v| v.size.to_string()).collect();
    sizes.dedup();
    photo::ActiveModel {
        product_id: Set(product_id),
        position: Set(0),
        is_primary: Set(true),
        alt_text: Set(alt.to_string()),
        content_hash: Set(d.hash.clone()),
        width: Set(i64::from(d.p.width)),
        height: Set(i64::from(d.p.height)),
        bytes: Set(d.bytes),
        sizes: Set(sizes.join(",")),
        sharpness: Set(d.p.metrics.sharpness),
        brightness: Set(d.p.metrics.brightness),
        border_spread: Set(d.p.metrics.border_spread),
        border_brightness: Set(d.p.metrics.border_brightness),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}
