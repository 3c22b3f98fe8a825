//! The embedded engine's filters against the documents themselves: every combination of
//! category (also in other letter case than indexed), kecamatan, halal, certificates, price
//! range, eligible standard and geo radius, with and without text, on an index with several segments,
//! replaced and deleted documents. The count and the first page must be what filtering the
//! documents by hand gives.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use etalase_domain::haversine_km;
use etalase_domain::search::{ProductDoc, SearchIndex, SearchQuery};
use etalase_search::{EmbeddedIndex, Settings};
use support::catalog;

/// Whether `p` passes the filters of `q` (keyword values compared trimmed and lowercased).
fn passes(p: &ProductDoc, q: &SearchQuery) -> bool {
    let same = |a: &str, b: &str| a.to_lowercase() == b.trim().to_lowercase();
    let price_ok = match (q.price_min, q.price_max) {
        (None, None) => true,
        (lo, hi) => {
            p.retail_price.is_some_and(|x| lo.is_none_or(|m| x >= m) && hi.is_none_or(|m| x <= m))
        }
    };
    q.category.as_ref().is_none_or(|c| same(&p.category, c))
        && q.kecamatan.as_ref().is_none_or(|k| same(&p.kecamatan_code, k))
        && q.halal.is_none_or(|h| p.halal == h)
        && q.cert.iter().all(|c| p.cert_kinds.iter().any(|k| same(k, c)))
        && price_ok
        && q.eligible_for.is_none_or(|s| p.eligible_standards.contains(&s))
        && q.radius_km.is_none_or(|r| {
            let (lat, lon) = q.near.unwrap();
            haversine_km(lat, lon, p.lat, p.lon) <= r
        })
}

/// Every hit id of `q` (all pages), sorted.
async fn all_ids(index: &EmbeddedIndex, q: &SearchQuery) -> Vec<i64> {
    let mut out = Vec::new();
    for page in 1.. {
        let r = index.search(&SearchQuery { page, per_page: 100, ..q.clone() }).await.unwrap();
        out.extend(r.hits.iter().map(|h| h.doc.id));
        if out.len() as u64 >= r.total || r.hits.is_empty() {
            break;
        }
    }
    out.sort_unstable();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filters_allow_exactly_the_documents_that_pass_them() {
    let mut docs = catalog::products();
    for (i, p) in docs.iter_mut().enumerate() {
        if i % 7 == 0 {
            p.category = p.category.to_uppercase();
        }
        if i % 9 == 0 {
            p.retail_price = None;
        }
        p.eligible_standards = [vec![1], vec![1, 2], vec![]][i % 3].clone();
    }
    let dir = tempfile::tempdir().unwrap();
    let index = EmbeddedIndex::open(dir.path(), Settings::products().unwrap()).unwrap();
    index.reindex_all(&docs, 50).await.unwrap();
    // Replaced (a new revision with another price and halal status) and deleted documents.
    let mut changed = Vec::new();
    for p in docs.iter_mut().step_by(5) {
        p.revision += 1;
        p.retail_price = p.retail_price.map(|x| x + 3_000);
        p.halal = !p.halal;
        changed.push(p.clone());
    }
    index.upsert(&changed).await.unwrap();
    let gone: Vec<i64> = docs.iter().step_by(11).map(|p| p.id).collect();
    index.delete(&gone).await.unwrap();
    docs.retain(|p| !gone.contains(&p.id));

    let category = docs.iter().find(|p| p.category == "makanan-ringan").unwrap().category.clone();
    let kecamatan = docs[3].kecamatan_code.clone();
    let text_ids = all_ids(&index, &SearchQuery::text("keripik")).await;
    assert!(text_ids.len() > 5, "{text_ids:?}");
    let in_radius =
        SearchQuery { radius_km: Some(2.5), near: Some((-6.12, 106.16)), ..Default::default() };
    let n = docs.iter().filter(|p| passes(p, &in_radius)).count();
    assert!(n > 10 && n < docs.len() - 10, "{n} of {} within the radius", docs.len());
    let mut checked = 0;
    for category in [None, Some(category.clone()), Some(format!(" {} ", category.to_uppercase()))] {
        for kecamatan in [None, Some(kecamatan.clone()), Some("36.73.99".to_string())] {
            for halal in [None, Some(true), Some(false)] {
                for cert in [vec![], vec!["pirt".to_string()], vec!["PIRT".into(), "halal".into()]]
                {
                    for (price_min, price_max) in
                        [(None, None), (None, Some(20_000)), (Some(15_000), Some(40_000))]
                    {
                        for (eligible_for, radius_km) in
                            [(None, None), (Some(2), None), (None, Some(2.5))]
                        {
                            let q = SearchQuery {
                                radius_km,
                                near: radius_km.map(|_| (-6.12, 106.16)),
                                category: category.clone(),
                                kecamatan: kecamatan.clone(),
                                halal,
                                cert: cert.clone(),
                                price_min,
                                price_max,
                                eligible_for,
                                per_page: 100,
                                ..Default::default()
                            };
                            let mut want: Vec<i64> =
                                docs.iter().filter(|p| passes(p, &q)).map(|p| p.id).collect();
                            want.sort_unstable();
                            let r = index.search(&q).await.unwrap();
                            assert_eq!(r.total, want.len() as u64, "{q:?}");
                            // No text, no sort: in id order.
                            let got: Vec<i64> = r.hits.iter().map(|h| h.doc.id).collect();
                            assert_eq!(
                                got,
                                want.iter().take(100).copied().collect::<Vec<_>>(),
                                "{q:?}"
                            );
                            let with_text =
                                SearchQuery { text: Some("keripik".into()), ..q.clone() };
                            let want_text: Vec<i64> = want
                                .iter()
                                .filter(|id| text_ids.binary_search(id).is_ok())
                                .copied()
                                .collect();
                            assert_eq!(
                                all_ids(&index, &with_text).await,
                                want_text,
                                "{with_text:?}"
                            );
                            checked += usize::from(!want_text.is_empty());
                        }
                    }
                }
            }
        }
    }
    assert!(checked > 20, "{checked}");
}
