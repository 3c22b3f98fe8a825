//! Writes: upsert of an existing id replaces it, delete removes, clear empties, and a reindex
//! swaps a fresh index in (keeping writes made while it was being built).

use crate::support::fixtures::{product, products};
use crate::support::{all, id_set, ids, search};
use etalase_domain::search::{SearchError, SearchQuery};

contract!(upsert_of_an_existing_id_replaces_it, |ix| {
    let before = ix.stats().await.unwrap().documents;
    let mut changed = product(11);
    changed.name = "Keripik Singkong Balado".into();
    changed.retail_price = Some(11_500);
    changed.version = 2;
    ix.upsert(&[changed]).await.unwrap();
    assert_eq!(ix.stats().await.unwrap().documents, before);
    let r = search(ix, &SearchQuery::text("balado")).await;
    assert_eq!(ids(&r), [11]);
    assert_eq!(r.hits[0].doc.version, 2);
    assert_eq!(r.hits[0].doc.retail_price, Some(11_500));
    let r = search(ix, &all(SearchQuery::text("original"))).await;
    assert_eq!(ids(&r), [1], "the old name is gone");
    let r = search(ix, &all(SearchQuery::text("keripik"))).await;
    assert_eq!(id_set(&r), [10, 11, 12], "no duplicate");
});

contract!(an_older_revision_never_replaces_a_newer_document, |ix| {
    let mut newer = product(11);
    newer.name = "Keripik Singkong Balado".into();
    newer.revision = 7;
    ix.upsert(&[newer.clone()]).await.unwrap();
    // A slow relay's snapshot, taken under an earlier claim, arrives late.
    let mut older = product(11);
    older.name = "Keripik Singkong Keju".into();
    older.revision = 5;
    ix.upsert(&[older.clone()]).await.unwrap();
    let r = search(ix, &all(SearchQuery::text("keju"))).await;
    assert!(!ids(&r).contains(&11), "the older one was kept out: {:?}", ids(&r));
    let r = search(ix, &SearchQuery::text("balado")).await;
    assert_eq!((ids(&r), r.hits[0].doc.revision), (vec![11], 7));
    // The same revision again, or a higher one, replaces it; in one batch the highest wins.
    let mut again = newer.clone();
    again.name = "Keripik Singkong Jagung".into();
    let mut next = older.clone();
    next.revision = 9;
    next.name = "Keripik Singkong Rumput Laut".into();
    ix.upsert(&[next, again]).await.unwrap();
    let r = search(ix, &all(SearchQuery::text("jagung"))).await;
    assert!(!ids(&r).contains(&11), "{:?}", ids(&r));
    let r = search(ix, &all(SearchQuery::text("rumput laut"))).await;
    assert_eq!(r.hits[0].doc.name, "Keripik Singkong Rumput Laut");
});

contract!(delete_removes_the_product, |ix| {
    ix.delete(&[52, 9_999]).await.unwrap();
    assert_eq!(ix.stats().await.unwrap().documents, products().len() as u64 - 1);
    assert_eq!(search(ix, &SearchQuery::text("apem")).await.total, 0);
    let q = SearchQuery { category: Some("kue-roti".into()), ..SearchQuery::default() };
    assert_eq!(id_set(&search(ix, &q).await), [50, 51]);
});

contract!(clear_removes_everything, |ix| {
    ix.clear().await.unwrap();
    assert_eq!(ix.stats().await.unwrap().documents, 0);
    assert_eq!(search(ix, &SearchQuery::default()).await.total, 0);
});

contract!(reindex_swaps_in_a_fresh_index, |ix| {
    let subset: Vec<_> = products().into_iter().filter(|p| p.id < 20).collect();
    ix.begin_reindex().await.unwrap();
    assert!(matches!(ix.begin_reindex().await, Err(SearchError::Reindex(_))));
    ix.reindex_upsert(&subset[..4]).await.unwrap();
    // Searches still answer from the live index while the new one is built …
    assert_eq!(search(ix, &SearchQuery::text("sambel")).await.total, 4);
    // … and writes made meanwhile reach both.
    let mut late = product(40);
    late.name = "Sate Bandeng Super".into();
    ix.upsert(&[late]).await.unwrap();
    ix.reindex_upsert(&subset[4..]).await.unwrap();
    ix.finish_reindex().await.unwrap();
    assert_eq!(ix.stats().await.unwrap().documents, subset.len() as u64 + 1);
    assert_eq!(search(ix, &SearchQuery::text("sambel")).await.total, 0);
    assert_eq!(ids(&search(ix, &SearchQuery::text("super bandeng")).await)[0], 40);
    assert!(matches!(ix.finish_reindex().await, Err(SearchError::Reindex(_))));
    // A whole rebuild in one call, then an aborted one that leaves the index alone.
    ix.reindex_all(&products(), 10).await.unwrap();
    assert_eq!(ix.stats().await.unwrap().documents, products().len() as u64);
    ix.begin_reindex().await.unwrap();
    ix.reindex_upsert(&subset).await.unwrap();
    ix.abort_reindex().await.unwrap();
    assert_eq!(ix.stats().await.unwrap().documents, products().len() as u64);
});
