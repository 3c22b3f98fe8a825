//! Owns the JSON the adapter writes itself on the search's path: the page query's body
//! (`super::request::Parts::body`), and the API answer's strings and facets
//! (`super::request::search_json`). Written through serde, the SDK's query and the facets'
//! structs were about a tenth of the API's instructions per search; the text is the same JSON
//! (the facets exactly as `etalase_domain::search::Facets` serializes, checked in the tests).

use super::answer::Pairs;
use crate::settings::Settings;
use etalase_domain::search::{FacetCount, order_facets};
use std::borrow::Cow;

/// `s` as a JSON string: copied between quotes when nothing in it needs an escape, else
/// written by serde.
pub(super) fn string(out: &mut Vec<u8>, s: &str) {
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        // Writing a `str` into a `Vec` cannot fail.
        let _ = serde_json::to_writer(&mut *out, s);
    }
}

/// A whole number, in decimal.
pub(super) fn number(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// The facets as the API writes them (`Facets`' fields, in its order): each facet's counts
/// from Meilisearch's distribution `dist`, none of zero, the most first (then by value), at
/// most the settings' `maxValuesPerFacet`; the price buckets as counted.
pub(super) fn facets(
    out: &mut Vec<u8>,
    mut dist: Pairs<'_, Pairs<'_, u64>>,
    settings: &Settings,
    price_range: &[FacetCount],
) {
    let max = settings.faceting.max_values_per_facet;
    let mut list = |out: &mut Vec<u8>, key: &str, facet: &str| {
        out.extend_from_slice(key.as_bytes());
        let mut counts = dist.take(facet).unwrap_or_default().0;
        order_facets(&mut counts, max, entry);
        counts_json(out, counts.iter().map(|(v, n)| (&**v, *n)));
    };
    list(out, "{\"category\":", "category");
    list(out, ",\"kecamatan\":", "kecamatan_code");
    list(out, ",\"halal\":", "halal");
    list(out, ",\"cert_kinds\":", "cert_kinds");
    out.extend_from_slice(b",\"price_range\":");
    counts_json(out, price_range.iter().map(|c| (c.value.as_str(), c.count)));
    list(out, ",\"pack_size\":", "pack_size");
    out.push(b'}');
}

/// A borrowed facet value and its count.
fn entry<'x>((value, count): &'x (Cow<'_, str>, u64)) -> (&'x str, u64) {
    (value, *count)
}

/// `[{"value":…,"count":…},…]`.
fn counts_json<'v>(out: &mut Vec<u8>, counts: impl Iterator<Item = (&'v str, u64)>) {
    out.push(b'[');
    for (i, (value, count)) in counts.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"value\":");
        string(out, value);
        out.extend_from_slice(b",\"count\":");
        number(out, count);
        out.push(b'}');
    }
    out.push(b']');
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_decimal() {
        for n in [0, 7, 10, 99, 1_382, 20_260_101, u64::MAX] {
            let mut out = Vec::new();
            number(&mut out, n);
            assert_eq!(String::from_utf8(out).unwrap(), n.to_string());
        }
    }

    #[test]
    fn strings_are_what_serde_writes() {
        for s in
            ["", "kopi", "Kopi \"Asli\"", "a\\b", "tab\there", "baris\nbaru", "é 🌶 <em>", "\u{1f}"]
        {
            let mut out = Vec::new();
            string(&mut out, s);
            assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(s).unwrap());
        }
    }

    /// Written by hand, the facets are the `Facets` that the typed path builds and serde
    /// writes, byte for byte: zero counts dropped, the most first, ties by value, cut at
    /// `maxValuesPerFacet`, escapes kept.
    #[test]
    fn facets_are_what_the_typed_path_writes() {
        let settings = Settings::products().unwrap();
        let max = settings.faceting.max_values_per_facet;
        let many: Vec<(Cow<str>, u64)> =
            (0..max + 30).map(|i| (Cow::Owned(format!("kode-{i:03}")), (i % 7) as u64)).collect();
        let dist = || {
            Pairs(vec![
                ("halal".into(), Pairs(vec![("true".into(), 3), ("false".into(), 3)])),
                ("category".into(), Pairs(many.clone())),
                ("cert_kinds".into(), Pairs(vec![("pi\"rt".into(), 1), ("halal".into(), 0)])),
                ("kecamatan_code".into(), Pairs(vec![("36.73.02".into(), 9)])),
            ])
        };
        let price = vec![FacetCount { value: "10000-25000".into(), count: 4 }];
        let mut out = Vec::new();
        facets(&mut out, dist(), &settings, &price);
        let want = super::super::request::facets(dist(), &settings, price.clone());
        assert_eq!(want.category.len(), max);
        assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(&want).unwrap());
    }
}
