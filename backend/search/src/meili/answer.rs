//! Owns the reading of Meilisearch's multi-search answer. The SDK's hit type reads each hit
//! through `#[serde(flatten)]`: every field of the hit, and of its `_formatted` copy (all
//! fields again, numbers as text), is buffered in generic maps before the document is built.
//! Here a hit is read in one pass straight into the document, keeping only the marked name of
//! `_formatted`.

use etalase_domain::search::ProductDoc;
use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, IntoDeserializer, MapAccess, Visitor};
use std::collections::HashMap;

/// Meilisearch's answer to the multi-search: the page query's, then one per price bucket.
#[derive(Deserialize)]
pub(super) struct Answer {
    pub(super) results: Vec<PageAnswer>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct PageAnswer {
    #[serde(default)]
    pub(super) hits: Vec<MeiliHit>,
    total_hits: Option<u64>,
    estimated_total_hits: Option<u64>,
    #[serde(default)]
    pub(super) facet_distribution: HashMap<String, HashMap<String, u64>>,
}

impl PageAnswer {
    pub(super) fn total(&self) -> u64 {
        self.total_hits.or(self.estimated_total_hits).unwrap_or_default()
    }
}

/// One hit: the document and the name as `_formatted` marks it, read in one pass: the hit's
/// fields go to the document's own deserializer, except `_formatted` (only its `name` is
/// kept) and `_geo`.
pub(super) struct MeiliHit {
    pub(super) doc: ProductDoc,
    pub(super) marked_name: Option<String>,
}

#[derive(Deserialize)]
struct MarkedName {
    name: Option<String>,
}

impl<'de> Deserialize<'de> for MeiliHit {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<MeiliHit, D::Error> {
        d.deserialize_map(HitVisitor)
    }
}

struct HitVisitor;

impl<'de> Visitor<'de> for HitVisitor {
    type Value = MeiliHit;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a Meilisearch hit")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> std::result::Result<MeiliHit, A::Error> {
        let mut hit = HitFields { map, marked_name: None };
        let doc = ProductDoc::deserialize(&mut hit)?;
        Ok(MeiliHit { doc, marked_name: hit.marked_name })
    }
}

/// The hit's map as the document's deserializer sees it: without `_formatted` and `_geo`.
struct HitFields<A> {
    map: A,
    marked_name: Option<String>,
}

impl<'de, A: MapAccess<'de>> Deserializer<'de> for &mut HitFields<A> {
    type Error = A::Error;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> std::result::Result<V::Value, A::Error> {
        v.visit_map(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for &mut HitFields<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> std::result::Result<Option<K::Value>, A::Error> {
        while let Some(key) = self.map.next_key::<Key<'de>>()? {
            match key.as_str() {
                "_formatted" => {
                    let marked: Option<MarkedName> = self.map.next_value()?;
                    self.marked_name = marked.and_then(|m| m.name);
                }
                "_geo" => {
                    self.map.next_value::<IgnoredAny>()?;
                }
                name => return seed.deserialize(name.into_deserializer()).map(Some),
            }
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> std::result::Result<V::Value, A::Error> {
        self.map.next_value_seed(seed)
    }
}

/// A key of the hit, borrowed from the answer when it has no escapes.
enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(s) => s,
            Key::Owned(s) => s,
        }
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Key<'de>, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a field name")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> std::result::Result<Key<'de>, E> {
                Ok(Key::Borrowed(s))
            }
            fn visit_str<E>(self, s: &str) -> std::result::Result<Key<'de>, E> {
                Ok(Key::Owned(s.to_string()))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    /// A hit as Meilisearch 1.50 writes it: the fields, `_geo`, then `_formatted` repeating
    /// them all (numbers as text) with the name marked.
    fn hit(id: i64, name: &str, marked: &str) -> Value {
        let mut fields = json!({
            "id": id, "name": name, "description": "Keripik \"renyah\"\nasli Serang",
            "brand": "Bu Eni", "category": "makanan-ringan", "category_name": "Makanan ringan",
            "producer_id": 7, "producer_name": "UD Berkah", "kecamatan_code": "36.73.02",
            "kecamatan": "Kasemen", "kelurahan_code": "36.73.02.1001", "halal": true,
            "cert_kinds": ["pirt", "halal"], "retail_price": 16000, "pack_size": 12,
            "net_content_label": "100 g", "published_at": 1770516323,
            "lat": -6.079062659495061, "lon": 106.15275136262562, "nib": "9991000001285",
            "eligible_standards": [1, 3], "version": 5936948983342399320_i64, "revision": 847,
        });
        let mut formatted = fields.clone();
        for v in formatted.as_object_mut().unwrap().values_mut() {
            if v.is_number() {
                *v = Value::String(v.to_string());
            }
        }
        formatted["name"] = json!(marked);
        formatted["_geo"] = json!({"lat": "-6.079062659495061", "lng": "106.15275136262562"});
        fields["_geo"] = json!({"lat": -6.079062659495061, "lng": 106.15275136262562});
        fields["_formatted"] = formatted;
        fields
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
    fn a_hit_reads_as_the_sdk_reads_it_keeping_only_the_marked_name() {
        let text = answer(vec![
            hit(173, "Keripik Tempe Pedas", "\u{E000}Keripik\u{E001} Tempe Pedas"),
            hit(489, "Kripik <Singkong>", "\u{E000}Kripik\u{E001} <Singkong>"),
        ]);
        let ours: Answer = serde_json::from_str(&text).unwrap();
        let sdk: meilisearch_sdk::search::MultiSearchResponse<ProductDoc> =
            serde_json::from_str(&text).unwrap();
        assert_eq!(ours.results.len(), 2);
        let (page, sdk_page) = (&ours.results[0], &sdk.results[0]);
        assert_eq!(page.hits.len(), 2);
        for (h, s) in page.hits.iter().zip(&sdk_page.hits) {
            assert_eq!(h.doc, s.result);
            let sdk_name = s.formatted_result.as_ref().unwrap()["name"].as_str().unwrap();
            assert_eq!(h.marked_name.as_deref(), Some(sdk_name));
        }
        assert_eq!(page.hits[1].doc.name, "Kripik <Singkong>");
        assert_eq!(page.hits[0].doc.cert_kinds, ["pirt", "halal"]);
        assert_eq!(page.total(), 2);
        assert_eq!(page.facet_distribution["halal"]["true"], 2);
        assert_eq!(ours.results[1].total(), 1);
        assert!(ours.results[1].hits.is_empty() && ours.results[1].facet_distribution.is_empty());
    }

    #[test]
    fn a_hit_without_formatted_or_with_escaped_keys_still_reads() {
        let mut plain = hit(5, "Sambal Roa", "");
        plain.as_object_mut().unwrap().remove("_formatted");
        let text = answer(vec![plain]).replace("\"kecamatan\":", "\"kec\\u0061matan\":");
        let ours: Answer = serde_json::from_str(&text).unwrap();
        let h = &ours.results[0].hits[0];
        assert_eq!((h.doc.id, h.doc.kecamatan.as_str()), (5, "Kasemen"));
        assert_eq!(h.marked_name, None);
    }

    #[test]
    fn a_hit_missing_a_field_or_of_the_wrong_type_is_an_error() {
        let mut missing = hit(1, "Emping", "Emping");
        missing.as_object_mut().unwrap().remove("nib");
        let err = serde_json::from_str::<Answer>(&answer(vec![missing])).err().unwrap();
        assert!(err.to_string().contains("nib"), "{err}");
        let mut wrong = hit(1, "Emping", "Emping");
        wrong["halal"] = json!("ya");
        assert!(serde_json::from_str::<Answer>(&answer(vec![wrong])).is_err());
        let mut marked_wrong = hit(1, "Emping", "Emping");
        marked_wrong["_formatted"]["name"] = json!(3);
        assert!(serde_json::from_str::<Answer>(&answer(vec![marked_wrong])).is_err());
    }
}
