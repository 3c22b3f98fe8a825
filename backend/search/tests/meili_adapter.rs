//! The Meilisearch adapter on the wire, against a fake server (no Meilisearch on this
//! machine): the settings it sends equal `search-config/products.json`; documents carry
//! `_geo`; a search is one multi-search with the page query and five price-bucket counts;
//! tasks are waited for beyond 5 s and a failed or stuck task is an error naming the task.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fake_meili;
mod support;

use etalase_domain::search::{SearchIndex, SearchQuery};
use etalase_search::{Error, MeiliIndex, MeiliOptions, PRODUCTS_SETTINGS_JSON, Settings};
use fake_meili::{Fake, Recorded, enqueued, task};
use serde_json::{Value, json};
use std::time::Duration;

/// Task kinds by uid: the fake numbers tasks by the route that created them.
fn kind(uid: u32) -> &'static str {
    match uid {
        1 => "indexCreation",
        2 => "settingsUpdate",
        3 => "documentAdditionOrUpdate",
        4 => "indexSwap",
        _ => "indexDeletion",
    }
}

/// What a fake's task `uid` answers: `status(uid, times asked before)`.
type Status = fn(u32, usize) -> (&'static str, Option<(&'static str, &'static str)>);

/// A fake whose task `uid` answers `status(uid, times asked before)`.
async fn fake(status: Status) -> Fake {
    fake_stalling(0, status).await
}

/// `fake`, whose first `stalled` multi-searches are never answered.
async fn fake_stalling(stalled: usize, status: Status) -> Fake {
    Fake::start(move |r: &Recorded, n| match (r.method.as_str(), r.path.as_str()) {
        ("POST", "/multi-search") if n < stalled => (0, Value::Null),
        ("POST", "/indexes") => enqueued(1, kind(1)),
        ("PATCH", p) if p.ends_with("/settings") => enqueued(2, kind(2)),
        ("POST", p) if p.ends_with("/documents/fetch") => {
            (200, json!({"results": [], "offset": 0, "limit": 20, "total": 0}))
        }
        ("POST", p) if p.contains("/documents") => enqueued(3, kind(3)),
        ("POST", "/swap-indexes") => enqueued(4, kind(4)),
        ("DELETE", p) if p.starts_with("/indexes/") => enqueued(5, kind(5)),
        ("POST", "/multi-search") => (200, multi_search_answer(r)),
        ("GET", p) if p.starts_with("/tasks/") => {
            let uid: u32 = p["/tasks/".len()..].parse().unwrap();
            let (s, error) = status(uid, n);
            task(uid, kind(uid), s, error)
        }
        _ => (404, json!({"message": "not found", "code": "not_found", "type": "invalid_request", "link": ""})),
    })
    .await
}

/// Document writes sent to index `uid` (not the revision reads before them).
fn doc_writes(f: &Fake, uid: &str) -> Vec<Recorded> {
    let writes = f.requests("POST", &format!("/indexes/{uid}/documents"));
    writes.into_iter().filter(|r| !r.path.contains("/documents/fetch")).collect()
}

fn fast() -> MeiliOptions {
    MeiliOptions {
        task_timeout: Duration::from_millis(400),
        poll_interval: Duration::from_millis(5),
        search_timeout: Duration::from_secs(5),
    }
}

async fn connect(f: &Fake) -> Result<MeiliIndex, Error> {
    MeiliIndex::with_options(
        &f.url,
        Some("kunci-rahasia"),
        "produk",
        Settings::products().unwrap(),
        fast(),
    )
    .await
}

/// The answer to a multi-search: one hit (with `_geo`, and only the fields asked for in
/// `attributesToRetrieve`, as Meilisearch does), three matches, price buckets.
fn multi_search_answer(r: &Recorded) -> Value {
    let mut doc = serde_json::to_value(support::fixtures::product(10)).unwrap();
    doc["name"] = json!("Keripik Singkong <Pedas>");
    doc["description"] = json!("Pedas \"level 5\"\nasli Serang \u{1F336}");
    doc["_geo"] = json!({"lat": -6.145, "lng": 106.23});
    let main_query = &r.body.as_ref().unwrap()["queries"][0];
    let count = |n: u64| json!({"hits": [], "query": "", "processingTimeMs": 0, "hitsPerPage": 0, "page": 1, "totalPages": 0, "totalHits": n, "indexUid": "produk"});
    if main_query["hitsPerPage"] == 0 {
        // The count-only queries, one per price bucket.
        return json!({"results": [count(0), count(3), count(0), count(0), count(0)]});
    }
    if let Some(keep) = main_query["attributesToRetrieve"].as_array() {
        doc.as_object_mut().unwrap().retain(|k, _| keep.iter().any(|f| f == k.as_str()));
    }
    if main_query["q"] == "tanpanib" {
        doc.as_object_mut().unwrap().remove("nib");
    }
    let mut main = json!({
        "hits": [doc], "query": "kripik pedes", "processingTimeMs": 1, "hitsPerPage": 20,
        "page": 1, "totalPages": 1, "totalHits": 3, "indexUid": "produk",
        "facetDistribution": {
            "category": {"makanan-ringan": 3}, "kecamatan_code": {"36.73.03": 3},
            "halal": {"false": 1, "true": 2}, "cert_kinds": {"pirt": 3, "halal": 2},
            "pack_size": {"100": 3}, "price_band": {"10000-25000": 3}
        }
    });
    if main_query["q"] == "tanpaband" {
        // An index whose documents predate `price_band`: one of the three has it.
        main["facetDistribution"]["price_band"] = json!({"10000-25000": 1});
    }
    json!({"results": [main]})
}

#[tokio::test]
async fn startup_creates_the_index_and_sends_the_settings_file_waiting_past_processing() {
    // The settings task is still processing on the first two polls.
    let f =
        fake(|uid, n| if uid == 2 && n < 2 { ("processing", None) } else { ("succeeded", None) })
            .await;
    connect(&f).await.unwrap();
    let create = f.requests("POST", "/indexes");
    assert_eq!(create[0].body, Some(json!({"uid": "produk", "primaryKey": "id"})));
    let patch = f.requests("PATCH", "/indexes/produk/settings");
    let file: Value = serde_json::from_str(PRODUCTS_SETTINGS_JSON).unwrap();
    assert_eq!(patch[0].body.as_ref(), Some(&file), "the body sent is the settings file");
    assert_eq!(f.requests("GET", "/tasks/2").len(), 3);
}

#[tokio::test]
async fn an_existing_index_is_fine() {
    let f = fake(|uid, _| match uid {
        1 => ("failed", Some(("index_already_exists", "Index `produk` already exists."))),
        _ => ("succeeded", None),
    })
    .await;
    connect(&f).await.unwrap();
}

#[tokio::test]
async fn a_failed_settings_task_is_an_error_with_its_message() {
    let f = fake(|uid, _| match uid {
        2 => (
            "failed",
            Some(("invalid_settings_typo_tolerance", "`minWordSizeForTypos` is invalid")),
        ),
        _ => ("succeeded", None),
    })
    .await;
    match connect(&f).await {
        Err(Error::TaskFailed { task: 2, code, message }) => {
            assert_eq!(code, "invalid_settings_typo_tolerance");
            assert!(message.contains("minWordSizeForTypos"));
        }
        other => panic!("expected TaskFailed, got {other:?}"),
    }
}

#[tokio::test]
async fn a_stuck_task_times_out() {
    let f = fake(|uid, _| if uid == 2 { ("processing", None) } else { ("succeeded", None) }).await;
    let err = connect(&f).await.unwrap_err();
    assert!(matches!(err, Error::TaskTimeout { task: 2, .. }), "{err:?}");
    assert!(err.to_string().contains("belum selesai"));
}

#[tokio::test]
async fn documents_carry_geo_and_no_nulls() {
    let f = fake(|_, _| ("succeeded", None)).await;
    let ix = connect(&f).await.unwrap();
    ix.upsert(&support::fixtures::products()[..2]).await.unwrap();
    let sent = doc_writes(&f, "produk");
    assert!(sent[0].path.ends_with("?primaryKey=id"));
    let docs = sent[0].body.as_ref().unwrap().as_array().unwrap();
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["_geo"], json!({"lat": -6.123, "lng": 106.102}));
    assert_eq!(docs[0]["id"], json!(1));
    // The price bucket, as a facet counts it.
    let band = |d: &Value| match d["retail_price"].as_i64() {
        Some(p) => etalase_domain::search::price_bucket(p).label,
        None => "tanpa-harga",
    };
    assert!(docs.iter().all(|d| d["price_band"] == band(d)), "{docs:?}");
    assert!(docs[0].as_object().unwrap().values().all(|v| !v.is_null()));
}

#[tokio::test]
async fn a_search_is_one_multi_search_mapped_to_results() {
    let f = fake(|_, _| ("succeeded", None)).await;
    let ix = connect(&f).await.unwrap();
    let q = SearchQuery {
        halal: Some(true),
        kecamatan: Some("36.73.03\" OR halal = false".into()),
        near: Some((-6.118, 106.154)),
        radius_km: Some(2.5),
        sort: etalase_domain::search::SortBy::Distance,
        ..SearchQuery::text("kripik pedes 8999991000033")
    };
    let r = ix.search(&q).await.unwrap();
    let body = f.requests("POST", "/multi-search")[0].body.clone().unwrap();
    let queries = body["queries"].as_array().unwrap();
    assert_eq!(queries.len(), 1, "the price buckets are a facet, not queries of their own");
    let main = &queries[0];
    assert_eq!(main["indexUid"], "produk");
    assert_eq!(main["q"], "kripik pedes \"8999991000033\"");
    let filter = r#"kecamatan_code = "36.73.03\" OR halal = false" AND halal = true AND _geoRadius(-6.118, 106.154, 2500)"#;
    assert_eq!(main["filter"], filter);
    assert_eq!(main["sort"], json!(["_geoPoint(-6.118, 106.154):asc"]));
    assert_eq!(
        main["facets"],
        json!(["category", "kecamatan_code", "halal", "cert_kinds", "pack_size", "price_band"])
    );
    // Names are highlighted by the adapter: no `_formatted` copy of every hit is asked for.
    assert!(main.get("attributesToHighlight").is_none(), "{main}");
    // Exactly the document's fields are retrieved (not `_geo`): every field of a product
    // whose optional fields are all set.
    let mut full = support::fixtures::product(10);
    full.brand = Some("Bu Eni".into());
    full.gtin = Some("8999991000033".into());
    let full = serde_json::to_value(&full).unwrap();
    let mut fields: Vec<&str> = full.as_object().unwrap().keys().map(String::as_str).collect();
    let mut retrieved: Vec<&str> = main["attributesToRetrieve"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    fields.sort_unstable();
    retrieved.sort_unstable();
    assert_eq!(retrieved, fields);
    assert_eq!((main["page"].clone(), main["hitsPerPage"].clone()), (json!(1), json!(20)));
    assert_eq!(main["matchingStrategy"], "last");
    assert_eq!(f.requests("POST", "/multi-search").len(), 1);

    assert_eq!(r.total, 3);
    assert_eq!(r.hits[0].doc.id, 10);
    // "kripik" is a typo of "keripik", "pedes" a synonym of "pedas"; the name is escaped.
    assert_eq!(r.hits[0].highlight_name, "<em>Keripik</em> Singkong &lt;<em>Pedas</em>&gt;");
    assert!(r.hits[0].distance_km.unwrap() > 8.0);
    let halal: Vec<_> = r.facets.halal.iter().map(|c| (c.value.as_str(), c.count)).collect();
    assert_eq!(halal, [("true", 2), ("false", 1)]);
    let prices: Vec<_> = r.facets.price_range.iter().map(|c| (c.value.as_str(), c.count)).collect();
    assert_eq!(prices, [("10000-25000", 3)]);
}

#[tokio::test]
async fn an_index_without_price_bands_counts_prices_with_a_query_per_bucket() {
    let f = fake(|_, _| ("succeeded", None)).await;
    let ix = connect(&f).await.unwrap();
    // The bands add up to 1 of 3 matches: documents from before `price_band`.
    let q = SearchQuery { halal: Some(true), ..SearchQuery::text("tanpaband") };
    let r = ix.search(&q).await.unwrap();
    let prices: Vec<_> = r.facets.price_range.iter().map(|c| (c.value.as_str(), c.count)).collect();
    assert_eq!(prices, [("10000-25000", 3)], "from the count-only queries, not the bands");
    let sent = f.requests("POST", "/multi-search");
    assert_eq!(sent.len(), 2);
    let queries = sent[1].body.as_ref().unwrap()["queries"].as_array().unwrap().clone();
    assert_eq!(queries.len(), 5);
    assert_eq!(queries[0]["hitsPerPage"], 0);
    assert_eq!(queries[0]["q"], "tanpaband");
    assert_eq!(queries[0]["filter"], "halal = true AND retail_price < 10000");
    assert_eq!(
        queries[1]["filter"],
        "halal = true AND retail_price >= 10000 AND retail_price < 25000"
    );
    assert_eq!(queries[4]["filter"], "halal = true AND retail_price >= 100000");
    assert!(queries[0].get("sort").is_none() && queries[0].get("facets").is_none());
    // The API's JSON takes the same way.
    let copied: Value = serde_json::from_slice(&ix.search_json(&q).await.unwrap()).unwrap();
    assert_eq!(copied["facets"]["price_range"], json!([{"value": "10000-25000", "count": 3}]));
    assert_eq!(f.requests("POST", "/multi-search").len(), 4);
}

#[tokio::test]
async fn the_apis_json_copies_meilisearchs_documents_through() {
    let f = fake(|_, _| ("succeeded", None)).await;
    let ix = connect(&f).await.unwrap();
    let q = SearchQuery { near: Some((-6.118, 106.154)), ..SearchQuery::text("kripik pedes") };
    let built = etalase_domain::search::results_json(&ix.search(&q).await.unwrap(), &q);
    let copied = ix.search_json(&q).await.unwrap();
    let (mut built, mut copied): (Value, Value) =
        (serde_json::from_slice(&built).unwrap(), serde_json::from_slice(&copied).unwrap());
    for v in [&mut built, &mut copied] {
        v.as_object_mut().unwrap().remove("processing_ms").unwrap();
    }
    assert_eq!(copied, built);
    let hit = &copied["hits"][0];
    assert_eq!(hit["doc"]["description"], "Pedas \"level 5\"\nasli Serang \u{1F336}");
    assert_eq!(hit["highlight_name"], "<em>Keripik</em> Singkong &lt;<em>Pedas</em>&gt;");
    assert!(hit["doc"].get("_geo").is_none() && hit["distance_km"].as_f64().unwrap() > 8.0);
    assert_eq!((copied["total"].clone(), copied["page"].clone()), (json!(3), json!(1)));

    // A hit without one of the document's required fields is an error, not a shorter doc.
    let err = ix.search_json(&SearchQuery::text("tanpanib")).await.unwrap_err();
    assert!(err.to_string().contains("nib"), "{err}");
    assert!(ix.search(&SearchQuery::text("tanpanib")).await.is_err());
}

#[tokio::test]
async fn a_search_meilisearch_does_not_answer_is_unavailable_after_the_search_timeout() {
    // The first two searches get no answer at all (the connection stays open); then the
    // engine answers again.
    let f = fake_stalling(2, |_, _| ("succeeded", None)).await;
    let options = MeiliOptions { search_timeout: Duration::from_millis(300), ..fast() };
    let settings = Settings::products().unwrap();
    let ix = MeiliIndex::with_options(&f.url, None, "produk", settings, options).await.unwrap();
    let q = SearchQuery::text("kripik pedes");
    let guard = Duration::from_secs(20);
    let t0 = std::time::Instant::now();
    let err = tokio::time::timeout(guard, ix.search(&q)).await.expect("search hung").unwrap_err();
    assert!(t0.elapsed() >= Duration::from_millis(300), "gave up early: {:?}", t0.elapsed());
    assert!(
        matches!(&err, etalase_domain::search::SearchError::Unavailable(m) if m.contains("300 ms")),
        "{err:?}"
    );
    let err = tokio::time::timeout(guard, ix.search_json(&q)).await.expect("hung").unwrap_err();
    assert!(err.to_string().contains("300 ms"), "{err}");
    // The stalled connections were dropped, not kept: the next search is answered.
    let r = tokio::time::timeout(guard, ix.search(&q)).await.expect("hung").unwrap();
    assert_eq!((r.total, r.hits[0].doc.id), (3, 10));
    assert_eq!(f.requests("POST", "/multi-search").len(), 3);
}

#[tokio::test]
async fn reindex_builds_a_new_index_swaps_and_deletes_the_old() {
    let f = fake(|_, _| ("succeeded", None)).await;
    let ix = connect(&f).await.unwrap();
    ix.begin_reindex().await.unwrap();
    let staging = f.requests("POST", "/indexes")[1].body.clone().unwrap()["uid"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(staging.starts_with("produk__reindex_"));
    assert_eq!(
        f.requests("PATCH", &format!("/indexes/{staging}/settings")).len(),
        1,
        "settings before documents"
    );
    ix.reindex_upsert(&support::fixtures::products()).await.unwrap();
    ix.upsert(&support::fixtures::products()[..1]).await.unwrap();
    assert_eq!(doc_writes(&f, "produk").len(), 1, "live gets the write");
    assert_eq!(doc_writes(&f, &staging).len(), 2, "so does the new one");
    ix.finish_reindex().await.unwrap();
    let swap = f.requests("POST", "/swap-indexes")[0].body.clone().unwrap();
    assert_eq!(swap, json!([{"indexes": ["produk", staging]}]));
    assert_eq!(f.requests("DELETE", &format!("/indexes/{staging}")).len(), 1);
}

/// With `MEILI_URL`: on a real Meilisearch, the fixtures' price bands (two have no price) add
/// up to each query's total, the condition for a search to be one request.
#[tokio::test]
async fn on_meilisearch_the_price_bands_add_up_to_the_total() {
    let Some(ix) = support::meili("price_bands").await else {
        return;
    };
    let url = format!("{}/multi-search", std::env::var("MEILI_URL").unwrap());
    let key = std::env::var("MEILI_MASTER_KEY").unwrap_or_default();
    for q in ["", "keripik", "kopi bubuk"] {
        let body = json!({"queries": [{"indexUid": ix.uid(), "q": q, "page": 1, "hitsPerPage": 0, "facets": ["price_band"]}]});
        let answer: Value = reqwest::Client::new()
            .post(&url)
            .bearer_auth(&key)
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let r = &answer["results"][0];
        let bands = r["facetDistribution"]["price_band"].as_object().unwrap();
        let sum: u64 = bands.values().map(|v| v.as_u64().unwrap()).sum();
        assert_eq!(sum, r["totalHits"].as_u64().unwrap(), "{q:?}: {r}");
        if q.is_empty() {
            assert_eq!(sum, support::fixtures::products().len() as u64);
            assert_eq!(bands["tanpa-harga"], 2, "{bands:?}");
        }
    }
    ix.delete_index().await.unwrap();
}
