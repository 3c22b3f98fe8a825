//! Owns the reading of Meilisearch's multi-search answer, two ways: with serde, each hit read
//! straight into the document (`Answer<ProductDoc>`, for the pages; any key of Meilisearch's
//! own is skipped by the document's deserializer), or scanned for the API's copy
//! (`copied_page`): each hit's fields kept as Meilisearch wrote them, borrowed from the answer,
//! with only the name and coordinates read as values. The SDK's hit type would read each hit
//! through `#[serde(flatten)]`, which buffers every field in generic maps before the document
//! is built. No `_formatted` copy is asked for: names are highlighted by the adapter
//! (`super::request`).
//!
//! The copy was first two passes with serde (each hit kept whole as a `RawValue`, then read
//! again), then one (each field a `RawValue`): serde's walk over the answer was still about 45%
//! of the API's user-space instructions per search (callgrind), most of it skipping the
//! descriptions' characters. It is now `super::scan`'s walk, which checks the same grammar.

use super::request::FACETS;
use super::scan::{Scan, Scanned, unescaped};
use serde::Deserialize;
use std::borrow::Cow;

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
pub(super) struct Answer<'a, H> {
    #[serde(borrow)]
    pub(super) results: Vec<PageAnswer<'a, H>>,
}

impl<'a, H> Answer<'a, H> {
    /// The page query's answer (the first), if there is one.
    pub(super) fn page(self) -> Option<PageAnswer<'a, H>> {
        self.results.into_iter().next()
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct PageAnswer<'a, H> {
    #[serde(default = "Vec::new")]
    pub(super) hits: Vec<H>,
    total_hits: Option<u64>,
    estimated_total_hits: Option<u64>,
    #[serde(default, borrow)]
    pub(super) facet_distribution: Pairs<'a, Pairs<'a, u64>>,
}

/// A JSON object read as its keys and values in order: Meilisearch's facet distribution
/// (facets, then each facet's values and counts), the keys borrowed from the answer when they
/// have no escapes. A search takes six facets of a few values each, which a list finds as fast
/// as a hash map, without hashing every key read.
#[derive(Debug, PartialEq)]
pub(super) struct Pairs<'a, V>(pub(super) Vec<(Cow<'a, str>, V)>);

impl<V> Default for Pairs<'_, V> {
    fn default() -> Self {
        Pairs(Vec::new())
    }
}

impl<V> Pairs<'_, V> {
    pub(super) fn get(&self, key: &str) -> Option<&V> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Takes `key`'s value out.
    pub(super) fn take(&mut self, key: &str) -> Option<V> {
        let i = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.swap_remove(i).1)
    }
}

impl<'de: 'a, 'a, V: Deserialize<'de>> Deserialize<'de> for Pairs<'a, V> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Read<'a, V>(std::marker::PhantomData<(&'a (), V)>);
        impl<'de: 'a, 'a, V: Deserialize<'de>> serde::de::Visitor<'de> for Read<'a, V> {
            type Value = Pairs<'a, V>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Pairs<'a, V>, A::Error> {
                let mut pairs = Vec::with_capacity(map.size_hint().unwrap_or(8));
                while let Some((Text(key), value)) = map.next_entry::<Text<'de>, V>()? {
                    pairs.push((key, value));
                }
                Ok(Pairs(pairs))
            }
        }
        d.deserialize_map(Read(std::marker::PhantomData))
    }
}

impl<H> PageAnswer<'_, H> {
    pub(super) fn total(&self) -> u64 {
        self.total_hits.or(self.estimated_total_hits).unwrap_or_default()
    }
}

/// The page query's answer (the first of `text`'s results, if there is one), its hits copied
/// through. Reads what `Answer<H>` reads; other keys are skipped.
pub(super) fn copied_page(text: &str) -> Scanned<Option<PageAnswer<'_, CopiedHit<'_>>>> {
    let mut s = Scan::new(text);
    let mut page = None;
    s.object(|s, key| {
        if key != "results" {
            return s.value().map(drop);
        }
        s.array(|s| {
            if page.is_some() {
                return s.value().map(drop);
            }
            page = Some(scan_page(s)?);
            Ok(())
        })
    })?;
    s.end()?;
    Ok(page)
}

fn scan_page<'a>(s: &mut Scan<'a>) -> Scanned<PageAnswer<'a, CopiedHit<'a>>> {
    let mut page = PageAnswer {
        hits: Vec::new(),
        total_hits: None,
        estimated_total_hits: None,
        facet_distribution: Pairs::default(),
    };
    s.object(|s, key| {
        match key {
            "hits" => s.array(|s| {
                page.hits.push(CopiedHit::scan(s)?);
                Ok(())
            })?,
            "totalHits" => page.total_hits = s.read(key)?,
            "estimatedTotalHits" => page.estimated_total_hits = s.read(key)?,
            "facetDistribution" => page.facet_distribution = scan_facets(s)?,
            _ => drop(s.value()?),
        }
        Ok(())
    })?;
    Ok(page)
}

/// The facet distribution at `s`: each facet's values and their counts (whole numbers).
fn scan_facets<'a>(s: &mut Scan<'a>) -> Scanned<Pairs<'a, Pairs<'a, u64>>> {
    let key = |s: &Scan<'a>, raw: &'a str| {
        unescaped(raw).ok_or_else(|| s.error(format!("facetDistribution: kunci {raw:?}")))
    };
    let mut facets = Vec::with_capacity(FACETS.len());
    s.object(|s, facet| {
        let mut counts = Vec::with_capacity(8);
        s.object(|s, value| {
            let count = s.value()?;
            let count = count.parse::<u64>().map_err(|_| {
                s.error(format!("facetDistribution.{facet}: {count} bukan bilangan cacah"))
            })?;
            counts.push((key(s, value)?, count));
            Ok(())
        })?;
        facets.push((key(s, facet)?, Pairs(counts)));
        Ok(())
    })?;
    Ok(Pairs(facets))
}

/// A hit copied through: each of the document's fields as Meilisearch wrote it (by
/// `DOC_FIELDS`' position; keys of Meilisearch's own are skipped), and the name read.
pub(super) struct CopiedHit<'a> {
    fields: [Option<&'a [u8]>; DOC_FIELDS.len()],
    /// The hit as written, when it is the document as `write_doc` would write it (Meilisearch
    /// wrote the fields in the document's order, and nothing else).
    whole: Option<&'a [u8]>,
    pub(super) name: Cow<'a, str>,
}

impl<'a> CopiedHit<'a> {
    /// Reads the hit (an object) at `s`. A field missing (unless `OPTIONAL`) or given twice,
    /// a name that is not a string or coordinates that are not numbers, is an error naming the
    /// field.
    pub(super) fn scan(s: &mut Scan<'a>) -> Scanned<CopiedHit<'a>> {
        let mut fields = [None; DOC_FIELDS.len()];
        let whole = s.fields(&DOC_FIELDS, &mut fields)?;
        for (name, raw) in DOC_FIELDS.iter().zip(&fields) {
            if raw.is_none() && !OPTIONAL.contains(name) {
                return Err(s.error(format!("missing field `{name}`")));
            }
        }
        // Required, so present (checked above); the scan has checked each value's grammar, so
        // a value that begins like a number is one.
        let raw = |i: usize| fields[i].unwrap_or_default();
        for i in [LAT, LON] {
            if !matches!(raw(i).first(), Some(b'-' | b'0'..=b'9')) {
                return Err(s.error(format!("{}: bukan angka", DOC_FIELDS[i])));
            }
        }
        let name = match raw(NAME) {
            [b'"', text @ .., b'"'] if !text.contains(&b'\\') => std::str::from_utf8(text).ok(),
            _ => None,
        };
        let name = match name {
            Some(text) => Cow::Borrowed(text),
            None => {
                serde_json::from_slice::<Text>(raw(NAME))
                    .map_err(|e| s.error(format!("name: {e}")))?
                    .0
            }
        };
        Ok(CopiedHit { fields, whole, name })
    }

    /// The hit's latitude and longitude: read only when a search asks for distances.
    pub(super) fn coordinates(&self) -> Option<(f64, f64)> {
        let number = |i: usize| std::str::from_utf8(self.fields[i]?).ok()?.parse::<f64>().ok();
        Some((number(LAT)?, number(LON)?))
    }

    /// Writes the document as a JSON object: its fields in `DOC_FIELDS`' order, each value as
    /// Meilisearch wrote it (the hit as written, when that is what it is).
    pub(super) fn write_doc(&self, out: &mut Vec<u8>) {
        if let Some(whole) = self.whole {
            out.extend_from_slice(whole);
            return;
        }
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
            out.extend_from_slice(raw);
        }
        out.push(b'}');
    }
}

/// Positions in `DOC_FIELDS` of the fields read as values.
const NAME: usize = 1;
const LAT: usize = 17;
const LON: usize = 18;

/// A JSON string, borrowed from the answer when it has no escapes.
#[derive(Deserialize)]
struct Text<'a>(#[serde(borrow)] Cow<'a, str>);

#[cfg(test)]
#[path = "answer_tests.rs"]
mod tests;
