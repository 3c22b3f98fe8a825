//! The search document of a product, built from its current rows: only published products
//! have one. Its `version` is a fingerprint of the content, so the drift check sees stale
//! documents.

use std::collections::{HashMap, HashSet};

use etalase_db::entities::{certificate, photo, producer, product};
use etalase_db::repo::{certificates, photos, producers};
use etalase_domain::certificate::validity_on;
use etalase_domain::lifecycle::ListingStatus;
use etalase_domain::producer::ProducerStatus;
use etalase_domain::search::ProductDoc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};

use crate::error::AppResult;
use crate::service::catalog::views::{PhotoView, ProducerView};
use crate::state::AppState;

/// A fingerprint of the document's content, kept in `version` so drift shows stale ones.
fn fingerprint(doc: &ProductDoc) -> i64 {
    let mut d = doc.clone();
    d.version = 0;
    d.revision = 0;
    let bytes = serde_json::to_vec(&d).unwrap_or_default();
    let h = Sha256::digest(&bytes);
    i64::from_be_bytes([h[0] & 0x7f, h[1], h[2], h[3], h[4], h[5], h[6], h[7]])
}

fn build_doc(
    p: &product::Model,
    pr: &producer::Model,
    certs: &[&certificate::Model],
    pics: &[&photo::Model],
    today: chrono::NaiveDate,
    eligible: Vec<i64>,
) -> ProductDoc {
    let view = ProducerView::from(pr);
    let mut kinds: Vec<String> = certs
        .iter()
        .filter(|c| c.counts() && validity_on(c.expires_on, today).is_valid())
        .map(|c| c.kind.as_str().to_string())
        .collect();
    kinds.sort();
    kinds.dedup();
    let thumb = pics
        .iter()
        .find(|x| x.is_primary)
        .or(pics.first())
        .map(|x| PhotoView::from(*x).thumbnail_url);
    let mut doc = ProductDoc {
        id: p.id,
        name: p.name.clone(),
        description: p.description.clone(),
        brand: p.brand.clone(),
        category: p.category.clone(),
        category_name: etalase_domain::category::category_by_slug(&p.category)
            .map(|c| c.name.clone())
            .unwrap_or_default(),
        producer_id: pr.id,
        producer_name: pr.name.clone(),
        kecamatan_code: pr.kecamatan_code.clone(),
        kecamatan: view.kecamatan,
        kelurahan_code: pr.kelurahan_code.clone(),
        halal: kinds.iter().any(|k| k == "halal"),
        cert_kinds: kinds,
        retail_price: p.retail_price,
        pack_size: p.pack_size,
        net_content_label: match (p.net_content, &p.net_unit) {
            (Some(n), Some(u)) => Some(format!("{n} {u}")),
            _ => None,
        },
        published_at: p.published_at.map(|t| t.timestamp()).unwrap_or(0),
        lat: pr.lat,
        lon: pr.lon,
        gtin: p.gtin.clone(),
        nib: pr.nib.clone().unwrap_or_default(),
        thumbnail_url: thumb,
        eligible_standards: eligible,
        version: 0,
        revision: 0,
    };
    doc.version = fingerprint(&doc);
    doc
}

/// Current documents of the given products that are listed (published, business verified);
/// the others are returned as ids to delete from the index.
pub async fn snapshot(state: &AppState, ids: &[i64]) -> AppResult<(Vec<ProductDoc>, Vec<i64>)> {
    let items = product::Entity::find()
        .filter(product::Column::Id.is_in(ids.to_vec()))
        .all(&state.db)
        .await?;
    let mut producer_ids: Vec<i64> = items.iter().map(|p| p.producer_id).collect();
    producer_ids.sort_unstable();
    producer_ids.dedup();
    let prods = producers::find_many(&state.db, producer_ids).await?;
    // Listed: published, of a verified business (a rejected business's products leave search).
    let verified: HashSet<i64> =
        prods.iter().filter(|x| x.status == ProducerStatus::Verified).map(|x| x.id).collect();
    let published: Vec<&product::Model> = items
        .iter()
        .filter(|p| p.status == ListingStatus::Published && verified.contains(&p.producer_id))
        .collect();
    let keep: HashSet<i64> = published.iter().map(|p| p.id).collect();
    let gone: Vec<i64> = ids.iter().copied().filter(|id| !keep.contains(id)).collect();
    let pids: Vec<i64> = published.iter().map(|p| p.id).collect();
    let certs = certificates::for_products(&state.db, pids.clone()).await?;
    let pics = photos::for_products(&state.db, pids.clone()).await?;
    let eligible = eligible_standards(state, &pids).await?;
    let today = state.clock.today_wib();
    let docs = published
        .iter()
        .filter_map(|p| {
            let pr = prods.iter().find(|x| x.id == p.producer_id)?;
            let cs: Vec<&certificate::Model> =
                certs.iter().filter(|c| c.product_id == p.id).collect();
            let ph: Vec<&photo::Model> = pics.iter().filter(|x| x.product_id == p.id).collect();
            Some(build_doc(
                p,
                pr,
                &cs,
                &ph,
                today,
                eligible.get(&p.id).cloned().unwrap_or_default(),
            ))
        })
        .collect();
    Ok((docs, gone))
}

/// Standards each product meets today (from the stored evaluations).
async fn eligible_standards(state: &AppState, ids: &[i64]) -> AppResult<HashMap<i64, Vec<i64>>> {
    crate::service::standards::eligible_standard_ids(state, ids).await
}
