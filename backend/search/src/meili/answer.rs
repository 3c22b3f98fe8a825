//! Owns the reading of Meilisearch's multi-search answer, two ways: each hit read straight into
//! the document (`Answer<ProductDoc>`; any key of Meilisearch's own is skipped by the
//! document's deserializer), or each hit read in one pass into its fields as Meilisearch wrote
//! them, borrowed from the answer (`Answer<CopiedHit>`), with only the name and coordinates
//! read as values (the API copies the fields through). The SDK's hit type would read each hit
//! through `#[serde(flatten)]`, which buffers every field in generic maps before the document
//! is built. No `_formatted` copy is asked for: names are highlighted by the adapter
//! (`super::request`).
//!
//! The copy used to be two passes, each hit kept whole as a `RawValue` and then read again for
//! its name and coordinates: reading the answer was about a fifth of the API's CPU per search
//! (10k products, 16 clients, `perf`), half of it the second pass.

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

/// The document's fields (`ProductDoc`'s), which the page query retrieves: Meilisearch's own
/// `_geo` stays out, so a hit is the document as the API shows it.
pub(crate) const DOC_FIELDS: [&str; 25] = [
    "id",
    "name",
    "description",
    "brand",
    "category",
    "category_name",
    "producer_id",
    "producer_name",
    "kecamatan_code",
    "kecamatan",
    "kelurahan_code",
    "halal",
    "cert_kinds",
    "retail_price",
    "pack_size",
    "net_content_label",
    "published_at",
    "lat",
    "lon",
    "gtin",
    "nib",
    "thumbnail_url",
    "eligible_standards",
    "version",
    "revision",
];

/// The fields a document may leave out (`ProductDoc`'s `#[serde(default)]` ones); a copied hit
/// must have every other one, as the document must.
const OPTIONAL: [&str; 7] = [
    "brand",
    "retail_price",
    "pack_size",
    "net_content_label",
    "gtin",
    "thumbnail_url",
    "revision",
];

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

impl<H> PageAnswer<H> {
    pub(super) fn total(&self) -> u64 {
        self.total_hits.or(self.estimated_total_hits).unwrap_or_default()
    }
}

/// A hit copied through: each of the document's fields as Meilisearch wrote it (by
/// `DOC_FIELDS`' position; keys of Meilisearch's own are skipped), and the name and
/// coordinates read.
pub(super) struct CopiedHit<'a> {
    fields: [Option<&'a RawValue>; DOC_FIELDS.len()],
    pub(super) name: Cow<'a, str>,
    pub(super) lat: f64,
    pub(super) lon: f64,
}

impl CopiedHit<'_> {
    /// Writes the document as a JSON object: its fields in `DOC_FIELDS`' order, each value as
    /// Meilisearch wrote it.
    pub(super) fn write_doc(&self, out: &mut Vec<u8>) {
        out.push(b'{');
        let mut first = true;
        for (key, raw) in DOC_FIELDS.iter().zip(&self.fields) {
            let Some(raw) = raw else { continue };
            if !first {
                out.push(b',');
            }
            first = false;
            out.push(b'"');
            out.extend_from_slice(key.as_bytes());
            out.extend_from_slice(b"\":");
            out.extend_from_slice(raw.get().as_bytes());
        }
        out.push(b'}');
    }
}

impl<'de> Deserialize<'de> for CopiedHit<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(HitVisitor)
    }
}

struct HitVisitor;

impl<'de> Visitor<'de> for HitVisitor {
    type Value = CopiedHit<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a product document")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut fields = [None; DOC_FIELDS.len()];
        // Meilisearch writes the fields in the document's order: the next one is tried first.
        let mut next = 0;
        while let Some(FieldKey(known)) = map.next_key_seed(FieldSeed(next))? {
            let Some(i) = known else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            if fields[i].is_some() {
                return Err(de::Error::duplicate_field(DOC_FIELDS[i]));
            }
            fields[i] = Some(map.next_value::<&'de RawValue>()?);
            next = i + 1;
        }
        for (name, raw) in DOC_FIELDS.iter().zip(&fields) {
            if raw.is_none() && !OPTIONAL.contains(name) {
                return Err(de::Error::missing_field(name));
            }
        }
        // The name and coordinates are required (checked above): `read` never gives `null`.
        let read = |i: usize| fields[i].map_or("null", RawValue::get);
        let wrong = |i: usize, e: serde_json::Error| {
            de::Error::custom(format_args!("{}: {e}", DOC_FIELDS[i]))
        };
        Ok(CopiedHit {
            name: serde_json::from_str::<Text>(read(NAME)).map_err(|e| wrong(NAME, e))?.0,
            lat: serde_json::from_str(read(LAT)).map_err(|e| wrong(LAT, e))?,
            lon: serde_json::from_str(read(LON)).map_err(|e| wrong(LON, e))?,
            fields,
        })
    }
}

/// Positions in `DOC_FIELDS` of the fields read as values.
const NAME: usize = 1;
const LAT: usize = 17;
const LON: usize = 18;

/// `DOC_FIELDS`' position of `name`.
fn position(name: &str) -> Option<usize> {
    DOC_FIELDS.iter().position(|f| *f == name)
}

/// A key of a hit: its position in `DOC_FIELDS`, if it is one of them.
struct FieldKey(Option<usize>);

/// Reads a key, trying `DOC_FIELDS[.0]` first.
struct FieldSeed(usize);

impl<'de> de::DeserializeSeed<'de> for FieldSeed {
    type Value = FieldKey;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<FieldKey, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for FieldSeed {
    type Value = FieldKey;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<FieldKey, E> {
        if DOC_FIELDS.get(self.0) == Some(&key) {
            return Ok(FieldKey(Some(self.0)));
        }
        Ok(FieldKey(position(key)))
    }
}

/// A JSON string, borrowed from the answer when it has no escapes.
#[derive(Deserialize)]
struct Text<'a>(#[serde(borrow)] Cow<'a, str>);

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
        assert!(serde_json::from_str::<CopiedHit>(&full.to_string()).is_ok());
        let mut required = Vec::new();
        for key in full.as_object().unwrap().keys().filter(|k| *k != "_geo") {
            let mut without = full.clone();
            without.as_object_mut().unwrap().remove(key);
            let doc = serde_json::from_value::<ProductDoc>(without.clone()).is_ok();
            let text = without.to_string();
            let copied = serde_json::from_str::<CopiedHit>(&text);
            assert_eq!(copied.is_ok(), doc, "without {key}: the document reads {doc}");
            if let Err(e) = copied {
                assert!(e.to_string().contains(key.as_str()), "{e}");
                required.push(key.as_str());
            }
        }
        assert!(required.contains(&"nib") && !required.contains(&"brand"), "{required:?}");
    }

    #[test]
    fn the_fields_are_the_documents_and_the_read_ones_where_they_say() {
        let doc: ProductDoc = serde_json::from_value(hit(1, "Emping")).unwrap();
        let mut full = serde_json::to_value(&doc).unwrap();
        full["thumbnail_url"] = json!("/media/1/thumb.webp");
        full["gtin"] = json!("8991234567890");
        let keys: Vec<&String> = full.as_object().unwrap().keys().collect();
        let fields: Vec<&str> = DOC_FIELDS.to_vec();
        assert_eq!(keys.len(), fields.len());
        assert!(fields.iter().all(|f| full.get(f).is_some()), "{keys:?}");
        assert_eq!((DOC_FIELDS[NAME], DOC_FIELDS[LAT], DOC_FIELDS[LON]), ("name", "lat", "lon"));
        assert!(OPTIONAL.iter().all(|f| DOC_FIELDS.contains(f)));
    }

    /// The copy, read back, is the document Meilisearch held, without its own keys; the
    /// name and coordinates are read (borrowed when the name has no escapes).
    #[test]
    fn a_copied_hit_writes_the_document_it_read() {
        let mut h = hit(489, "Kripik <Singkong> \"Bu Eni\" \u{1F336}");
        h["_rankingScore"] = json!(0.5);
        h["brand"] = Value::Null;
        let text = answer(vec![h.clone(), hit(5, "Sambal Roa")]);
        let ours: Answer<CopiedHit> = serde_json::from_str(&text).unwrap();
        let hits = &ours.results[0].hits;
        assert_eq!(hits.len(), 2);
        let mut out = Vec::new();
        hits[0].write_doc(&mut out);
        let written: Value = serde_json::from_slice(&out).unwrap();
        let mut expected = h.clone();
        for key in ["_geo", "_rankingScore"] {
            expected.as_object_mut().unwrap().remove(key);
        }
        assert_eq!(written, expected);
        assert!(
            String::from_utf8(out).unwrap().contains(r#""lat":-6.079062659495061,"#),
            "numbers copied as written"
        );
        assert_eq!(hits[0].name, "Kripik <Singkong> \"Bu Eni\" \u{1F336}");
        assert!(matches!(hits[0].name, Cow::Owned(_)), "escapes are read");
        assert!(matches!(hits[1].name, Cow::Borrowed("Sambal Roa")));
        assert_eq!((hits[1].lat, hits[1].lon), (-6.079062659495061, 106.15275136262562));
    }

    #[test]
    fn a_copied_hit_of_the_wrong_type_or_twice_a_field_is_an_error() {
        for (key, value) in [("lat", json!("-6.1")), ("lon", Value::Null), ("name", json!(7))] {
            let mut h = hit(1, "Emping");
            h[key] = value;
            let err = serde_json::from_str::<CopiedHit>(&h.to_string()).err().unwrap();
            assert!(err.to_string().starts_with(key), "{key}: {err}");
        }
        let twice = hit(1, "Emping").to_string().replacen('{', r#"{"nib":"1","#, 1);
        let err = serde_json::from_str::<CopiedHit>(&twice).err().unwrap();
        assert!(err.to_string().contains("duplicate field `nib`"), "{err}");
        assert!(serde_json::from_str::<CopiedHit>("[1, 2]").is_err());
    }
}
