//! Owns the reading of Meilisearch's multi-search answer, two ways: each hit read straight into
//! the document (`Answer<ProductDoc>`; any key of Meilisearch's own is skipped by the
//! document's deserializer), or each hit kept as the JSON Meilisearch wrote, borrowed from the
//! answer (`Answer<&RawValue>`), of which only `HitKeys` is read (the API copies the rest
//! through). The SDK's hit type would read each hit through `#[serde(flatten)]`, which
//! buffers every field in generic maps before the document is built. No `_formatted` copy is
//! asked for: names are highlighted by the adapter (`super::request`).

use serde::Deserialize;
use serde::de::IgnoredAny;
use std::borrow::Cow;
use std::collections::HashMap;

/// Meilisearch's answer to a multi-search: the page query's (or the count-only queries', one per
/// price bucket).
#[derive(Deserialize)]
pub(super) struct Answer<H> {
    pub(super) results: Vec<PageAnswer<H>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct PageAnswer<H> {
    #[serde(default = "Vec::new")]
    pub(super) hits: Vec<H>,
    total_hits: Option<u64>,
    estimated_total_hits: Option<u64>,
    #[serde(default)]
    pub(super) facet_distribution: HashMap<String, HashMap<String, u64>>,
}

/// What is read of a hit copied through: the name (for the marks) and the coordinates (for
/// the distance); the document's other required fields must be there (their values are only
/// skipped over).
#[derive(Deserialize)]
#[allow(dead_code)]
pub(super) struct HitKeys<'a> {
    #[serde(borrow)]
    pub(super) name: Cow<'a, str>,
    pub(super) lat: f64,
    pub(super) lon: f64,
    id: IgnoredAny,
    description: IgnoredAny,
    category: IgnoredAny,
    category_name: IgnoredAny,
    producer_id: IgnoredAny,
    producer_name: IgnoredAny,
    kecamatan_code: IgnoredAny,
    kecamatan: IgnoredAny,
    kelurahan_code: IgnoredAny,
    halal: IgnoredAny,
    cert_kinds: IgnoredAny,
    published_at: IgnoredAny,
    nib: IgnoredAny,
    eligible_standards: IgnoredAny,
    version: IgnoredAny,
}

impl<H> PageAnswer<H> {
    pub(super) fn total(&self) -> u64 {
        self.total_hits.or(self.estimated_total_hits).unwrap_or_default()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use etalase_domain::search::ProductDoc;
    use serde_json::{Value, json};

    /// A hit as Meilisearch 1.50 writes it: the fields, then `_geo`.
    fn hit(id: i64, name: &str) -> Value {
        json!({
            "id": id, "name": name, "description": "Keripik \"renyah\"\nasli Serang",
            "brand": "Bu Eni", "category": "makanan-ringan", "category_name": "Makanan ringan",
            "producer_id": 7, "producer_name": "UD Berkah", "kecamatan_code": "36.73.02",
            "kecamatan": "Kasemen", "kelurahan_code": "36.73.02.1001", "halal": true,
            "cert_kinds": ["pirt", "halal"], "retail_price": 16000, "pack_size": 12,
            "net_content_label": "100 g", "published_at": 1770516323,
            "lat": -6.079062659495061, "lon": 106.15275136262562, "nib": "9991000001285",
            "eligible_standards": [1, 3], "version": 5936948983342399320_i64, "revision": 847,
            "_geo": {"lat": -6.079062659495061, "lng": 106.15275136262562},
        })
    }

    fn answer(hits: Vec<Value>) -> String {
        json!({"results": [
            {"indexUid": "produk", "hits": hits, "query": "kripik", "processingTimeMs": 3,
             "hitsPerPage": 20, "page": 1, "totalPages": 1, "totalHits": 2,
             "facetDistribution": {"halal": {"true": 2}, "category": {"makanan-ringan": 2}},
             "facetStats": {}},
            {"indexUid": "produk", "hits": [], "query": "kripik", "processingTimeMs": 1,
             "hitsPerPage": 0, "page": 1, "totalPages": 0, "totalHits": 1},
        ]})
        .to_string()
    }

    #[test]
    fn an_answer_reads_as_the_sdk_reads_it() {
        let text = answer(vec![hit(173, "Keripik Tempe Pedas"), hit(489, "Kripik <Singkong>")]);
        let ours: Answer<ProductDoc> = serde_json::from_str(&text).unwrap();
        let sdk: meilisearch_sdk::search::MultiSearchResponse<ProductDoc> =
            serde_json::from_str(&text).unwrap();
        assert_eq!(ours.results.len(), 2);
        let (page, sdk_page) = (&ours.results[0], &sdk.results[0]);
        assert_eq!(page.hits.len(), 2);
        for (h, s) in page.hits.iter().zip(&sdk_page.hits) {
            assert_eq!(*h, s.result);
        }
        assert_eq!(page.hits[1].name, "Kripik <Singkong>");
        assert_eq!(page.hits[0].description, "Keripik \"renyah\"\nasli Serang");
        assert_eq!(page.hits[0].cert_kinds, ["pirt", "halal"]);
        assert_eq!(page.total(), 2);
        assert_eq!(page.facet_distribution["halal"]["true"], 2);
        assert_eq!(ours.results[1].total(), 1);
        assert!(ours.results[1].hits.is_empty() && ours.results[1].facet_distribution.is_empty());
    }

    #[test]
    fn keys_of_meilisearch_or_with_escapes_still_read() {
        let mut h = hit(5, "Sambal Roa");
        h["_rankingScore"] = json!(0.9);
        let text = answer(vec![h]).replace("\"kecamatan\":", "\"kec\\u0061matan\":");
        let ours: Answer<ProductDoc> = serde_json::from_str(&text).unwrap();
        let h = &ours.results[0].hits[0];
        assert_eq!((h.id, h.kecamatan.as_str()), (5, "Kasemen"));
    }

    #[test]
    fn a_hit_missing_a_field_or_of_the_wrong_type_is_an_error() {
        let mut missing = hit(1, "Emping");
        missing.as_object_mut().unwrap().remove("nib");
        let err = serde_json::from_str::<Answer<ProductDoc>>(&answer(vec![missing])).err().unwrap();
        assert!(err.to_string().contains("nib"), "{err}");
        let mut wrong = hit(1, "Emping");
        wrong["halal"] = json!("ya");
        assert!(serde_json::from_str::<Answer<ProductDoc>>(&answer(vec![wrong])).is_err());
    }

    #[test]
    fn a_copied_hit_requires_exactly_the_fields_the_document_requires() {
        let full = hit(1, "Emping");
        assert!(serde_json::from_str::<HitKeys>(&full.to_string()).is_ok());
        let mut required = Vec::new();
        for key in full.as_object().unwrap().keys().filter(|k| *k != "_geo") {
            let mut without = full.clone();
            without.as_object_mut().unwrap().remove(key);
            let doc = serde_json::from_value::<ProductDoc>(without.clone()).is_ok();
            let copied = serde_json::from_str::<HitKeys>(&without.to_string()).is_ok();
            assert_eq!(copied, doc, "without {key}: the document reads {doc}, the copy {copied}");
            if !doc {
                required.push(key.as_str());
            }
        }
        assert!(required.contains(&"nib") && !required.contains(&"brand"), "{required:?}");
    }
}
