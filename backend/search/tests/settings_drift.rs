//! Settings drift: `search-config/products.json` is the single source of truth. The file on
//! disk is the one compiled in; the body the Meilisearch adapter sends (`to_meili`) equals
//! the file key for key; the embedded engine runs with the very same parsed `Settings`; and
//! the file says what the issue asks (searchable order, filterable and sortable attributes,
//! synonyms, stop words, typo thresholds, no typos on codes). `meili_adapter.rs` checks the
//! same body on the wire.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use etalase_search::plan::TextRules;
use etalase_search::{EmbeddedIndex, PRODUCTS_SETTINGS_JSON, Settings};
use serde_json::Value;
use std::path::Path;

fn file_on_disk() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../search-config/products.json");
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn the_compiled_in_file_is_the_file_on_disk() {
    assert_eq!(file_on_disk(), PRODUCTS_SETTINGS_JSON);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../search-config/products.json");
    assert_eq!(Settings::load(&path).unwrap(), Settings::products().unwrap());
}

#[test]
fn what_the_meilisearch_adapter_sends_equals_the_file() {
    let sent = serde_json::to_value(Settings::products().unwrap().to_meili()).unwrap();
    let file: Value = serde_json::from_str(PRODUCTS_SETTINGS_JSON).unwrap();
    assert_eq!(sent, file);
}

#[test]
fn the_embedded_engine_runs_with_the_same_settings() {
    let dir = tempfile::tempdir().unwrap();
    let settings = Settings::products().unwrap();
    let index = EmbeddedIndex::open(dir.path(), settings.clone()).unwrap();
    assert_eq!(index.settings(), &settings);
    // Its query rules come from the file: stop word dropped, synonyms expanded.
    let rules = TextRules::new(&settings);
    assert_eq!(rules.query_words("kopi dan teh"), ["kopi", "teh"]);
    assert_eq!(rules.plan("sambel").slots[0].alternatives.len(), 2);
}

#[test]
fn the_file_says_what_the_issue_asks() {
    let s = Settings::products().unwrap();
    assert_eq!(
        s.searchable_attributes[..6],
        ["name", "brand", "category_name", "description", "producer_name", "kecamatan"]
    );
    for a in [
        "category",
        "kecamatan_code",
        "halal",
        "cert_kinds",
        "retail_price",
        "pack_size",
        "eligible_standards",
        "_geo",
        "producer_id",
    ] {
        assert!(s.is_filterable(a), "{a} filterable");
    }
    assert_eq!(s.sortable_attributes, ["retail_price", "published_at", "_geo"]);
    assert_eq!(s.ranking_rules[0], "sort", "an explicit sort is strict");
    let pairs = [
        ("kripik", "keripik"),
        ("sambel", "sambal"),
        ("pedes", "pedas"),
        ("krupuk", "kerupuk"),
        ("emping", "emping melinjo"),
        ("bandeng", "ikan bandeng"),
        ("kopi bubuk", "kopi"),
    ];
    for (a, b) in pairs {
        assert!(
            s.synonyms[a].contains(&b.to_string()) && s.synonyms[b].contains(&a.to_string()),
            "{a} <-> {b}"
        );
    }
    let groups = s
        .synonyms
        .keys()
        .filter(|k| {
            s.synonyms[*k].iter().all(|v| s.synonyms.get(v).is_some_and(|back| back.contains(k)))
        })
        .count();
    assert!(s.synonyms.len() >= 30 && groups >= 30, "at least 15 two-way groups");
    for w in ["yang", "dan", "di", "ke", "dari", "untuk", "dengan", "atau", "ini", "itu", "dekat"] {
        assert!(s.stop_words.iter().any(|x| x == w), "stop word {w}");
    }
    assert!(!s.stop_words.iter().any(|w| w == "oleh"), "oleh-oleh is a product word");
    let typo = &s.typo_tolerance;
    assert!(typo.enabled);
    assert_eq!(
        (typo.min_word_size_for_typos.one_typo, typo.min_word_size_for_typos.two_typos),
        (4, 8)
    );
    assert_eq!(typo.disable_on_attributes, ["gtin", "nib"]);
    assert!(s.faceting.max_values_per_facet > 0 && s.pagination.max_total_hits >= 1000);
}

#[test]
fn a_settings_file_naming_something_unknown_is_refused() {
    let file: Value = serde_json::from_str(PRODUCTS_SETTINGS_JSON).unwrap();
    let mut unknown_key = file.clone();
    unknown_key["distinctAttribute"] = Value::from("producer_id");
    assert!(Settings::from_json(&unknown_key.to_string()).is_err());
    let mut unknown_attr = file.clone();
    unknown_attr["searchableAttributes"][0] = Value::from("nama");
    let err = Settings::from_json(&unknown_attr.to_string()).unwrap_err();
    assert!(err.to_string().contains("nama"), "{err}");
    let mut bad_rule = file;
    bad_rule["rankingRules"][0] = Value::from("retail_price:asc");
    assert!(Settings::from_json(&bad_rule.to_string()).is_err());
}
