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
            // Lowercase: Meilisearch compares stop words case-sensitively, so "Dan" at the
            // start of a query would not be dropped as "dan" is (the embedded engine folds case).
            if text::is_code(&w.text) { format!("\"{original}\"") } else { original.to_lowercase() }
        })
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    /// Reads a filter the way Meilisearch's parser reads quoted values (a `\` takes the next
    /// character; then `\<quote>` becomes the quote and `\\` a backslash): the text outside
    /// quotes, with each value replaced by `<v>`, and the values.
    fn read(filter: &str) -> (String, Vec<String>) {
        let (mut outside, mut values) = (String::new(), Vec::new());
        let mut chars = filter.chars();
        while let Some(c) = chars.next() {
            if c != '"' && c != '\'' {
                outside.push(c);
                continue;
            }
            let mut raw = String::new();
            loop {
                match chars.next().expect("unterminated value") {
                    '\\' => {
                        raw.push('\\');
                        raw.push(chars.next().expect("dangling backslash"));
                    }
                    q if q == c => break,
                    other => raw.push(other),
                }
            }
            let v = raw.replace(&format!("\\{c}"), &c.to_string()).replace("\\\\", "\\");
            values.push(v);
            outside.push_str("<v>");
        }
        (outside, values)
    }

    const HOSTILE: [&str; 8] = [
        "x\" OR halal = true",
        "' OR 1=1",
        "36.73.01\" OR kecamatan_code EXISTS OR \"",
        "\\",
        "a\\\" OR halal = true OR \\\"b",
        "\"\"\"",
        "_geoRadius(0, 0, 1) ) OR (halal = false",
        "baris\nbaru \u{0} nol",
    ];

    #[test]
    fn hostile_values_stay_inside_their_quotes() {
        for v in HOSTILE {
            let q = SearchQuery {
                kecamatan: Some(v.into()),
                halal: Some(true),
                cert: vec![v.into()],
                ..SearchQuery::default()
            };
            let (outside, values) = read(&filter_expression(&q));
            assert_eq!(
                outside, "kecamatan_code = <v> AND halal = true AND cert_kinds = <v>",
                "{v:?}"
            );
            assert_eq!(values, [v, v], "{v:?} round-trips");
        }
    }

    #[test]
    fn filters_are_built_from_typed_values() {
        assert_eq!(quote("x\" OR halal = true"), r#""x\" OR halal = true""#);
        assert_eq!(quote("' OR 1=1"), r#""' OR 1=1""#);
        assert_eq!(quote(r"a\b"), r#""a\\b""#);
        let q = SearchQuery {
            category: Some("kopi-teh".into()),
            price_min: Some(10_000),
            price_max: Some(25_000),
            eligible_for: Some(3),
            near: Some((-6.12, 106.15)),
            radius_km: Some(1.5),
            ..SearchQuery::default()
        };
        assert_eq!(
            filter_expression(&q),
            "category = \"kopi-teh\" AND retail_price >= 10000 AND retail_price <= 25000 \
             AND eligible_standards = 3 AND _geoRadius(-6.12, 106.15, 1500)"
        );
        assert_eq!(filter_expression(&SearchQuery::default()), "");
    }

    #[test]
    fn sorts_and_text() {
        let near = SearchQuery {
            near: Some((-6.1, 106.2)),
            sort: SortBy::Distance,
            ..SearchQuery::default()
        };
        assert_eq!(sort_expression(&near), ["_geoPoint(-6.1, 106.2):asc"]);
        let newest = SearchQuery { sort: SortBy::Newest, ..SearchQuery::default() };
        assert_eq!(sort_expression(&newest), ["published_at:desc"]);
        let text = SearchQuery::text("  \"kopi\"  -teh 8999991000019 oleh-oleh ");
        assert_eq!(query_text(&text).unwrap(), "kopi teh \"8999991000019\" oleh oleh");
        assert_eq!(query_text(&SearchQuery::text(" -\"! ")), None);
        assert_eq!(query_text(&SearchQuery::text("Dan KERIPIK")).unwrap(), "dan keripik");
    }
}
