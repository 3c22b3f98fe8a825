#![allow(clippy::unwrap_used)]
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

/// `text` read as one copied hit.
fn copied(text: &str) -> Scanned<CopiedHit<'_>> {
    let mut s = Scan::new(text);
    let hit = CopiedHit::scan(&mut s)?;
    s.end()?;
    Ok(hit)
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
    assert_eq!(page.facet_distribution.get("halal").and_then(|h| h.get("true")), Some(&2));
    assert_eq!(ours.results[1].total(), 1);
    assert!(ours.results[1].hits.is_empty() && ours.results[1].facet_distribution.0.is_empty());
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
    assert!(copied(&full.to_string()).is_ok());
    let mut required = Vec::new();
    for key in full.as_object().unwrap().keys().filter(|k| *k != "_geo") {
        let mut without = full.clone();
        without.as_object_mut().unwrap().remove(key);
        let doc = serde_json::from_value::<ProductDoc>(without.clone()).is_ok();
        let text = without.to_string();
        let copied = copied(&text);
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
    let page = copied_page(&text).unwrap().unwrap();
    let hits = &page.hits;
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
    assert_eq!(hits[1].coordinates(), Some((-6.079062659495061, 106.15275136262562)));
}

#[test]
fn a_copied_hit_of_the_wrong_type_or_twice_a_field_is_an_error() {
    for (key, value) in [("lat", json!("-6.1")), ("lon", Value::Null), ("name", json!(7))] {
        let mut h = hit(1, "Emping");
        h[key] = value;
        let err = copied(&h.to_string()).err().unwrap();
        assert!(err.to_string().starts_with(key), "{key}: {err}");
    }
    let twice = hit(1, "Emping").to_string().replacen('{', r#"{"nib":"1","#, 1);
    let err = copied(&twice).err().unwrap();
    assert!(err.to_string().contains("duplicate field `nib`"), "{err}");
    assert!(copied("[1, 2]").is_err());
}

/// The scanned page holds what serde reads from the same answer: each copied document reads
/// back as the document, with the same total and facets; the second result is not read.
#[test]
fn a_copied_page_reads_what_serde_reads() {
    let mut odd = hit(489, "Kripik \\ <Singkong>");
    odd["_geoDistance"] = json!(1520);
    let text = serde_json::to_string_pretty(
        &serde_json::from_str::<Value>(&answer(vec![hit(173, "Keripik Tempe Pedas"), odd]))
            .unwrap(),
    )
    .unwrap();
    let ours = copied_page(&text).unwrap().unwrap();
    let serde = serde_json::from_str::<Answer<ProductDoc>>(&text).unwrap().page().unwrap();
    assert_eq!(ours.hits.len(), 2);
    for (copied, doc) in ours.hits.iter().zip(&serde.hits) {
        let mut out = Vec::new();
        copied.write_doc(&mut out);
        assert_eq!(serde_json::from_slice::<ProductDoc>(&out).unwrap(), *doc);
        assert_eq!(copied.name, doc.name);
        assert_eq!(copied.coordinates(), Some((doc.lat, doc.lon)));
    }
    assert_eq!((ours.total(), serde.total()), (2, 2));
    assert_eq!(ours.facet_distribution, serde.facet_distribution);
}

#[test]
fn a_page_without_results_or_with_a_broken_hit_does_not_read() {
    assert!(copied_page(r#"{"results": []}"#).unwrap().is_none());
    assert!(copied_page(r#"{"message": "x"}"#).unwrap().is_none());
    let mut broken = hit(1, "Emping");
    broken.as_object_mut().unwrap().remove("nib");
    let err = copied_page(&answer(vec![hit(2, "Dodol"), broken])).err().unwrap();
    assert!(err.what.contains("missing field `nib`"), "{err}");
    let err = copied_page(r#"{"results": [{"totalHits": "dua"}]}"#).err().unwrap();
    assert!(err.what.starts_with("totalHits: "), "{err}");
    let cut = answer(vec![hit(2, "Dodol")]);
    assert!(copied_page(&cut[..cut.len() - 1]).is_err());
}

/// A hit of the document's fields in their order, as Meilisearch writes it, is copied as
/// written; with a key of Meilisearch's own or an escaped key it is written field by field, to
/// the same bytes.
#[test]
fn a_hit_that_is_the_document_is_copied_as_written() {
    let doc: ProductDoc = serde_json::from_value(hit(5, "Sambal \"Roa\"")).unwrap();
    let text = serde_json::to_string(&doc).unwrap();
    let plain = copied(&text).unwrap();
    assert!(plain.whole.is_some());
    let mut out = Vec::new();
    plain.write_doc(&mut out);
    assert_eq!(String::from_utf8(out).unwrap(), text);
    let with_distance = format!("{},\"_geoDistance\":1520}}", &text[..text.len() - 1]);
    let escaped = text.replacen("\"kecamatan\":", "\"kec\\u0061matan\":", 1);
    for other in [with_distance, escaped] {
        let hit = copied(&other).unwrap();
        assert!(hit.whole.is_none(), "{other}");
        let mut out = Vec::new();
        hit.write_doc(&mut out);
        assert_eq!(String::from_utf8(out).unwrap(), text);
    }
}
