//! Owns the text of what the Meilisearch adapter sends: the filter expression built from the
//! typed query (every user value inside double quotes with `\` and `"` escaped, per
//! Meilisearch's filter grammar since v1.4, so no value can close its quotes and add `OR …`;
//! numbers and booleans are formatted by Rust, never taken from text), the sort expressions,
//! and the search text with code words (digits: GTIN, NIB) quoted as exact phrases — no typo
//! and no prefix match on codes.

use crate::text;
use etalase_domain::search::{PriceBucket, SearchQuery, SortBy};

/// `value` as a double-quoted filter string.
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The conditions of `q` joined by `AND` (empty when `q` has no filter).
pub fn filter_expression(q: &SearchQuery) -> String {
    filter_conditions(q).join(" AND ")
}

/// The conditions of `q`, one per filter.
pub fn filter_conditions(q: &SearchQuery) -> Vec<String> {
    let mut parts = Vec::new();
    if let Some(c) = &q.category {
        parts.push(format!("category = {}", quote(c)));
    }
    if let Some(k) = &q.kecamatan {
        parts.push(format!("kecamatan_code = {}", quote(k)));
    }
    if let Some(h) = q.halal {
        parts.push(format!("halal = {h}"));
    }
    for c in &q.cert {
        parts.push(format!("cert_kinds = {}", quote(c)));
    }
    if let Some(p) = q.price_min {
        parts.push(format!("retail_price >= {p}"));
    }
    if let Some(p) = q.price_max {
        parts.push(format!("retail_price <= {p}"));
    }
    if let Some(s) = q.eligible_for {
        parts.push(format!("eligible_standards = {s}"));
    }
    if let (Some((lat, lon)), Some(km)) = (q.near, q.radius_km) {
        parts.push(format!("_geoRadius({lat}, {lon}, {})", km * 1000.0));
    }
    parts
}

/// The filter of one price bucket.
pub fn bucket_condition(b: &PriceBucket) -> String {
    match (b.min, b.max) {
        (Some(lo), Some(hi)) => format!("retail_price >= {lo} AND retail_price < {hi}"),
        (Some(lo), None) => format!("retail_price >= {lo}"),
        (None, Some(hi)) => format!("retail_price < {hi}"),
        (None, None) => "retail_price EXISTS".to_string(),
    }
}

/// The `sort` parameter for `q` (empty for relevance).
pub fn sort_expression(q: &SearchQuery) -> Vec<String> {
    match (q.sort, q.near) {
        (SortBy::Relevance, _) => Vec::new(),
        (SortBy::Distance, Some((lat, lon))) => vec![format!("_geoPoint({lat}, {lon}):asc")],
        (SortBy::Distance, None) => Vec::new(),
        (SortBy::PriceAsc, _) => vec!["retail_price:asc".into()],
        (SortBy::PriceDesc, _) => vec!["retail_price:desc".into()],
        (SortBy::Newest, _) => vec!["published_at:desc".into()],
    }
}

/// The `q` parameter: the words of the text separated by spaces (punctuation dropped, so a
/// user's `"` or `-` cannot switch on phrase or negative search), code words as quoted
/// phrases (exact match). `None` for a placeholder search.
pub fn query_text(q: &SearchQuery) -> Option<String> {
    let t = q.trimmed_text()?;
    let words: Vec<String> = text::words(t)
        .iter()
        .map(|w| {
            let original = t.get(w.from..w.to).unwrap_or_default();
            if text::is_code(&w.text) { format!("\"{original}\"") } else { original.to_string() }
        })
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}
