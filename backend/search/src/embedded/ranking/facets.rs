//! Facet counts of a search: per-segment term counts turned into the domain's `Facets`.

use std::collections::HashMap;

use etalase_domain::search::{FacetCount, Facets, PRICE_BUCKETS, order_facet_counts};

use super::Counts;
use crate::settings::Settings;

/// Adds a segment's per-ordinal counts of a string facet to `map`.
pub(super) fn add_names(names: &[Option<String>], counts: &[u64], map: &mut HashMap<String, u64>) {
    for (name, n) in names.iter().zip(counts).filter(|(_, n)| **n > 0) {
        if let Some(name) = name {
            *map.entry(name.clone()).or_default() += n;
        }
    }
}

/// Facet counts, limited and ordered like Meilisearch's.
pub(super) fn facets(counts: Counts, settings: &Settings) -> Facets {
    let [category, kecamatan, certs] = counts.strings;
    let halal: HashMap<String, u64> = [("false", counts.halal[0]), ("true", counts.halal[1])]
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(v, n)| (v.to_string(), n))
        .collect();
    let pack: HashMap<String, u64> =
        counts.pack.into_iter().filter(|(_, n)| *n > 0).map(|(v, n)| (v.to_string(), n)).collect();
    let maps = [category, kecamatan, halal, certs, pack];
    let names = ["category", "kecamatan_code", "halal", "cert_kinds", "pack_size"];
    let max = settings.faceting.max_values_per_facet;
    let mut lists = maps.map(|m| {
        m.into_iter().map(|(value, count)| FacetCount { value, count }).collect::<Vec<_>>()
    });
    for (list, name) in lists.iter_mut().zip(names) {
        if !settings.facet_order_is_count(name) {
            list.sort_by(|a, b| a.value.cmp(&b.value));
            list.truncate(max);
        }
        order_facet_counts(list, max);
    }
    let [category, kecamatan, halal, cert_kinds, pack_size] = lists;
    let price_range = PRICE_BUCKETS
        .iter()
        .zip(counts.buckets)
        .filter(|(_, n)| *n > 0)
        .map(|(b, count)| FacetCount { value: b.label.to_string(), count })
        .collect();
    Facets { category, kecamatan, halal, cert_kinds, price_range, pack_size }
}
