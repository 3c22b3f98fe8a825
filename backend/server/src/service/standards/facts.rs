//! Builds the domain's `ProductFacts` from stored products, producers, certificates and
//! photos — in four queries for any number of products.

use std::collections::HashMap;

use etalase_db::entities::{certificate, photo, producer, product};
use etalase_db::repo::{certificates, evaluations, photos, producers};
use etalase_domain::producer::ProducerStatus;
use etalase_domain::standards::{CertificateFacts, PhotoFacts, ProducerFacts, ProductFacts};

use crate::error::AppResult;
use crate::state::AppState;

/// The photo pipeline's sharpness threshold (its constant is private to `etalase-media`;
/// the test below keeps the two equal through the pipeline's own verdict).
pub const MIN_SHARPNESS: f64 = 60.0;

/// One product ready to evaluate.
pub struct Subject {
    pub product: product::Model,
    pub facts: ProductFacts,
}

fn facts_of(
    p: &product::Model,
    pr: Option<&producer::Model>,
    certs: &[&certificate::Model],
    pics: &[&photo::Model],
) -> ProductFacts {
    ProductFacts {
        gtin: p.gtin.clone(),
        shelf_life_days: p.shelf_life_days,
        net_content: p.net_content,
        net_unit: p.net_unit,
        pack_size: p.pack_size,
        packaging: p.packaging,
        storage: p.storage,
        monthly_capacity: p.monthly_capacity,
        retail_price: p.retail_price,
        wholesale_price: p.wholesale_price,
        certificates: certs
            .iter()
            .map(|c| CertificateFacts {
                kind: c.kind,
                number: c.number.clone(),
                expires_on: c.expires_on,
                checked: c.checked_at.is_some(),
            })
            .collect(),
        photos: pics
            .iter()
            .map(|x| PhotoFacts { width: x.width, height: x.height, sharpness: x.sharpness })
            .collect(),
        producer: ProducerFacts {
            verified: pr.is_some_and(|x| x.status == ProducerStatus::Verified),
            scale: pr.map(|x| x.scale),
        },
        photo_min_sharpness: MIN_SHARPNESS,
    }
}

/// The subjects for these product ids (every product when `None`).
pub async fn load(state: &AppState, ids: Option<Vec<i64>>) -> AppResult<Vec<Subject>> {
    let items = evaluations::products_to_evaluate(&state.db, ids).await?;
    if items.is_empty() {
        return Ok(vec![]);
    }
    let ids: Vec<i64> = items.iter().map(|p| p.id).collect();
    let mut producer_ids: Vec<i64> = items.iter().map(|p| p.producer_id).collect();
    producer_ids.sort_unstable();
    producer_ids.dedup();
    let prods: HashMap<i64, producer::Model> = producers::find_many(&state.db, producer_ids)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let certs = certificates::for_products(&state.db, ids.clone()).await?;
    let pics = photos::for_products(&state.db, ids).await?;
    let mut certs_by: HashMap<i64, Vec<&certificate::Model>> = HashMap::new();
    for c in &certs {
        certs_by.entry(c.product_id).or_default().push(c);
    }
    let mut pics_by: HashMap<i64, Vec<&photo::Model>> = HashMap::new();
    for x in &pics {
        pics_by.entry(x.product_id).or_default().push(x);
    }
    Ok(items
        .into_iter()
        .map(|p| {
            let pr = prods.get(&p.producer_id);
            let facts = facts_of(
                &p,
                pr,
                certs_by.get(&p.id).map(Vec::as_slice).unwrap_or(&[]),
                pics_by.get(&p.id).map(Vec::as_slice).unwrap_or(&[]),
            );
            Subject { product: p, facts }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use etalase_media::photo::QualityMetrics;

    fn sharp(s: f64) -> bool {
        let m = QualityMetrics {
            width: 1600,
            height: 1200,
            sharpness: s,
            brightness: 150.0,
            border_spread: 5.0,
            border_brightness: 240.0,
        };
        m.verdict().iter().any(|c| c.key == "sharpness" && c.ok)
    }

    #[test]
    fn the_sharpness_threshold_matches_the_photo_pipeline() {
        assert!(sharp(super::MIN_SHARPNESS));
        assert!(!sharp(super::MIN_SHARPNESS - 0.01));
    }
}
