//! The engines agree on everyday queries: the realistic catalog (`support::catalog`, about
//! 400 products from the demo's 96 kinds of goods) in both engines, then the queries store
//! managers and officers type — single words, typos, synonyms (one and several words), numbers
//! and sizes, capitalised and stop-word-only queries, producer and kecamatan names, codes —
//! alone and with the API's filters and sorts. For each, the total and the first ten hits (in
//! order, ties included) must be the same on the embedded engine and on Meilisearch.
//!
//! Without `MEILI_URL` the comparison is skipped with a note (and `MEILI_REQUIRED=1` turns the
//! skip into a failure); the embedded half still checks what needs no second engine: a query
//! answers the same whatever its letter case, and stop words never change an answer unless
//! they are the last word.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use etalase_domain::search::{SearchIndex, SearchQuery, SearchResults, SortBy, results_json};
use etalase_search::{EmbeddedIndex, Settings};
use support::{catalog, fixtures::ALUN_ALUN};

/// Everyday queries, as typed.
const QUERIES: [&str; 60] = [
    "keripik",
    "kripik singkong",
    "Keripik Pisang",
    "emping",
    "emping melinjo pedas",
    "empng",
    "sambel",
    "sambal bawang",
    "Sambal Roa",
    "kopi",
    "kopi bubuk",
    "Kopi Robusta 200 g",
    "teh",
    "teh serai",
    "gula aren",
    "gula merah",
    "ikan asin",
    "bandeng presto",
    "sate bandeng",
    "otak otak",
    "kerupuk",
    "krupuk udang",
    "dodol",
    "jenang",
    "kue",
    "madu",
    "madu hutan",
    "jamu",
    "jamu kunyit asam",
    "herbal",
    "batik",
    "kain batik",
    "tas anyaman",
    "gerabah",
    "singkong",
    "ubi kayu",
    "pisang",
    "oleh-oleh",
    "oleh oleh serang",
    "Yang pedas",
    "Dan manis",
    "keripik yang pedas",
    "kopi dan teh",
    "dan",
    "yang",
    "di dekat",
    "250",
    "250 g",
    "500 g",
    "1 kg",
    "kopi 250",
    "emping 1 kg",
    "khas banten",
    "Taktakan",
    "Kasemen",
    "cipocok jaya",
    "minuman",
    "rengginang",
    "sabun",
    "89999920",
];

/// The API's filters and sorts, applied to a query.
fn variants(text: &str) -> Vec<(String, SearchQuery)> {
    let base = SearchQuery { text: Some(text.into()), per_page: 10, ..SearchQuery::default() };
    let mut out = vec![(text.to_string(), base.clone())];
    out.push((
        format!("{text} · halal · harga termurah"),
        SearchQuery { halal: Some(true), sort: SortBy::PriceAsc, ..base.clone() },
    ));
    out.push((
        format!("{text} · kategori makanan-ringan · terbaru"),
        SearchQuery {
            category: Some("makanan-ringan".into()),
            sort: SortBy::Newest,
            ..base.clone()
        },
    ));
    out.push((
        format!("{text} · 10 km dari alun-alun · terdekat"),
        SearchQuery {
            near: Some(ALUN_ALUN),
            radius_km: Some(10.0),
            sort: SortBy::Distance,
            ..base.clone()
        },
    ));
    out.push((format!("{text} · halaman 2"), SearchQuery { page: 2, ..base }));
    out
}

fn top(r: &SearchResults) -> Vec<i64> {
    r.hits.iter().map(|h| h.doc.id).collect()
}

async fn load(index: &dyn SearchIndex) {
    for chunk in catalog::products().chunks(500) {
        index.upsert(chunk).await.unwrap();
    }
}

async fn embedded(dir: &std::path::Path) -> EmbeddedIndex {
    let index = EmbeddedIndex::open(dir, Settings::products().unwrap()).unwrap();
    load(&index).await;
    index
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn embedded_answers_do_not_depend_on_letter_case_or_inner_stop_words() {
    let dir = tempfile::tempdir().unwrap();
    let ix = embedded(dir.path()).await;
    let mut with_hits = 0;
    for text in QUERIES {
        let q = |t: &str| SearchQuery { text: Some(t.into()), per_page: 10, ..Default::default() };
        let plain = ix.search(&q(text)).await.unwrap();
        let upper = ix.search(&q(&text.to_uppercase())).await.unwrap();
        assert_eq!((plain.total, top(&plain)), (upper.total, top(&upper)), "{text:?} in capitals");
        with_hits += usize::from(plain.total > 0);
    }
    // The catalog is the demo's goods: nearly every everyday query finds something.
    assert!(with_hits >= 50, "only {with_hits} of {} queries found anything", QUERIES.len());
    let q = |t: &str| SearchQuery { text: Some(t.into()), per_page: 10, ..Default::default() };
    let inner = ix.search(&q("keripik yang pedas")).await.unwrap();
    let plain = ix.search(&q("keripik pedas")).await.unwrap();
    assert_eq!((inner.total, top(&inner)), (plain.total, top(&plain)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_engines_give_the_same_totals_and_top_ten() {
    let Some(meili) = support::meili_empty("everyday").await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let ix = embedded(dir.path()).await;
    load(&meili).await;
    let mut differences = Vec::new();
    let mut compared = 0;
    for text in QUERIES {
        for (label, q) in variants(text) {
            let a = ix.search(&q).await.unwrap();
            let b = meili.search(&q).await.unwrap_or_else(|e| panic!("{label}: {e}"));
            compared += 1;
            if (a.total, top(&a)) != (b.total, top(&b)) {
                differences.push(format!(
                    "{label:?}: tertanam {} {:?} / Meilisearch {} {:?}",
                    a.total,
                    top(&a),
                    b.total,
                    top(&b)
                ));
            }
        }
    }
    let uid = meili.uid().to_string();
    meili.delete_index().await.unwrap();
    eprintln!("{compared} queries compared on {uid}, {} differ", differences.len());
    assert!(differences.is_empty(), "{} of {compared} differ:\n{}", differences.len(), {
        differences.join("\n")
    });
}

/// The API's answer from Meilisearch copies each document through as Meilisearch wrote it
/// (`search_json`): on every everyday query and variant it must equal the answer built from
/// the typed documents (`results_json` of `search`), hit for hit and facet for facet.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_copied_json_equals_the_built_answer() {
    let Some(meili) = support::meili_empty("json").await else {
        return;
    };
    load(&meili).await;
    let (mut differences, mut compared, mut hits) = (Vec::new(), 0, 0);
    for text in QUERIES {
        for (label, mut q) in variants(text) {
            q.near = q.near.or(Some(ALUN_ALUN));
            let built = results_json(&meili.search(&q).await.unwrap(), &q);
            let copied = meili.search_json(&q).await.unwrap();
            let parse = |b: &[u8]| {
                let mut v: serde_json::Value = serde_json::from_slice(b).unwrap();
                v.as_object_mut().unwrap().remove("processing_ms");
                v
            };
            let (built, copied) = (parse(&built), parse(&copied));
            compared += 1;
            hits += copied["hits"].as_array().unwrap().len();
            if built != copied {
                differences.push(format!("{label:?}:\n  {built}\n  {copied}"));
            }
        }
    }
    meili.delete_index().await.unwrap();
    eprintln!("{compared} answers ({hits} hits) compared, {} differ", differences.len());
    assert!(hits > compared, "too few hits to compare: {hits}");
    assert!(differences.is_empty(), "{} of {compared} differ:\n{}", differences.len(), {
        differences.join("\n")
    });
}

/// The Meilisearch adapter marks names itself (from the query's plan) instead of asking for a
/// `_formatted` copy of every hit: on every everyday query, its marks must be the ones
/// Meilisearch gives when asked (`attributesToHighlight`), hit for hit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_adapters_marks_are_meilisearchs_own() {
    let Some(meili) = support::meili_empty("marks").await else {
        return;
    };
    load(&meili).await;
    let url = std::env::var("MEILI_URL").unwrap();
    let http = reqwest::Client::new();
    let mut request = http.post(format!("{url}/multi-search"));
    if let Ok(key) = std::env::var("MEILI_MASTER_KEY") {
        request = request.bearer_auth(key);
    }
    let (mut differences, mut marked, mut compared) = (Vec::new(), 0, 0);
    for text in QUERIES {
        let q = SearchQuery { text: Some(text.into()), per_page: 20, ..SearchQuery::default() };
        let ours = meili.search(&q).await.unwrap();
        let mut body = etalase_search::meili::multi_search_body(meili.uid(), &q).unwrap();
        let main = &mut body["queries"][0];
        main["attributesToHighlight"] = serde_json::json!(["name"]);
        main["highlightPreTag"] = "\u{E000}".into();
        main["highlightPostTag"] = "\u{E001}".into();
        let answer: serde_json::Value =
            request.try_clone().unwrap().json(&body).send().await.unwrap().json().await.unwrap();
        let hits = answer["results"][0]["hits"].as_array().unwrap();
        assert_eq!(hits.len(), ours.hits.len(), "{text:?}");
        for (hit, own) in ours.hits.iter().zip(hits) {
            assert_eq!(own["id"], hit.doc.id, "{text:?}");
            let theirs = em_tags(own["_formatted"]["name"].as_str().unwrap());
            compared += 1;
            marked += usize::from(hit.highlight_name.contains("<em>"));
            if hit.highlight_name != theirs {
                differences.push(format!("{text:?}: {} / {theirs}", hit.highlight_name));
            }
        }
    }
    meili.delete_index().await.unwrap();
    eprintln!("{compared} names compared ({marked} marked), {} differ", differences.len());
    assert!(marked >= compared / 2, "only {marked} of {compared} names marked");
    assert!(differences.is_empty(), "{} of {compared} differ:\n{}", differences.len(), {
        differences.join("\n")
    });
}

/// Meilisearch's private-use markers as `<em>` tags, the rest HTML-escaped.
fn em_tags(marked: &str) -> String {
    let escaped = etalase_search::text::escape_html(marked);
    escaped.replace('\u{E000}', "<em>").replace('\u{E001}', "</em>")
}
