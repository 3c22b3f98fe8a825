//! Owns what the embedded engine does with the matching documents: reads their fast columns
//! (id, price, date, coordinates, facet values), applies the geo radius, counts facets over all
//! of them, and orders them by the settings' ranking rules (`sort` = the query's sort, missing
//! prices last as in Meilisearch; ties end on the product id).

use super::matching::Relevance;
use crate::error::Result;
use crate::settings::Settings;
use etalase_domain::haversine_km;
use etalase_domain::search::{
    FacetCount, Facets, PRICE_BUCKETS, SearchQuery, SortBy, order_facet_counts, price_bucket,
};
use std::cmp::Ordering;
use std::collections::HashMap;
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocAddress, SegmentReader};

/// A matching document with what ranking and facets need.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub addr: DocAddress,
    pub id: i64,
    pub price: Option<i64>,
    pub published_at: i64,
    pub distance_km: Option<f64>,
    pub rel: Relevance,
    category: Option<String>,
    kecamatan: Option<String>,
    certs: Vec<String>,
    halal: Option<bool>,
    pack_size: Option<i64>,
}

/// The fast columns of one segment.
struct Columns {
    id: Option<Column<i64>>,
    price: Option<Column<i64>>,
    published: Option<Column<i64>>,
    pack: Option<Column<i64>>,
    lat: Option<Column<f64>>,
    lon: Option<Column<f64>>,
    halal: Option<Column<bool>>,
    category: Option<StrColumn>,
    kecamatan: Option<StrColumn>,
    certs: Option<StrColumn>,
}

impl Columns {
    fn open(seg: &SegmentReader) -> Result<Columns> {
        let ff = seg.fast_fields();
        Ok(Columns {
            id: ff.column_opt("id")?,
            price: ff.column_opt("retail_price")?,
            published: ff.column_opt("published_at")?,
            pack: ff.column_opt("pack_size")?,
            lat: ff.column_opt("lat")?,
            lon: ff.column_opt("lon")?,
            halal: ff.column_opt("halal")?,
            category: ff.str("category")?,
            kecamatan: ff.str("kecamatan_code")?,
            certs: ff.str("cert_kinds")?,
        })
    }
}

fn first<T: PartialOrd + Copy + std::fmt::Debug + Send + Sync + 'static>(
    c: &Option<Column<T>>,
    doc: u32,
) -> Option<T> {
    c.as_ref().and_then(|c| c.first(doc))
}

fn strings(c: &Option<StrColumn>, doc: u32) -> Result<Vec<String>> {
    let Some(c) = c else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    for ord in c.term_ords(doc) {
        let mut s = String::new();
        if c.ord_to_str(ord, &mut s)? && !out.contains(&s) {
            out.push(s);
        }
    }
    Ok(out)
}

/// The candidates among `docs`, with the geo radius of `q` applied.
pub(crate) fn candidates(
    segments: &[SegmentReader],
    docs: impl IntoIterator<Item = (DocAddress, Relevance)>,
    q: &SearchQuery,
) -> Result<Vec<Candidate>> {
    let mut cols: HashMap<u32, Columns> = HashMap::new();
    let mut out = Vec::new();
    for (addr, rel) in docs {
        let Some(seg) = segments.get(addr.segment_ord as usize) else {
            continue;
        };
        let c = match cols.entry(addr.segment_ord) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => e.insert(Columns::open(seg)?),
        };
        let d = addr.doc_id;
        let distance_km = match (q.near, first(&c.lat, d), first(&c.lon, d)) {
            (Some((lat, lon)), Some(dlat), Some(dlon)) => Some(haversine_km(lat, lon, dlat, dlon)),
            _ => None,
        };
        if let (Some(r), Some(dist)) = (q.radius_km, distance_km)
            && dist > r
        {
            continue;
        }
        let category = strings(&c.category, d)?.into_iter().next();
        let kecamatan = strings(&c.kecamatan, d)?.into_iter().next();
        out.push(Candidate {
            addr,
            id: first(&c.id, d).unwrap_or_default(),
            price: first(&c.price, d),
            published_at: first(&c.published, d).unwrap_or_default(),
            distance_km,
            rel,
            category,
            kecamatan,
            certs: strings(&c.certs, d)?,
            halal: first(&c.halal, d),
            pack_size: first(&c.pack, d),
        });
    }
    Ok(out)
}

/// Facet counts over all candidates, limited and ordered like Meilisearch's.
pub(crate) fn facets(cands: &[Candidate], settings: &Settings) -> Facets {
    let mut maps: [HashMap<String, u64>; 5] = Default::default();
    let mut buckets = [0u64; PRICE_BUCKETS.len()];
    for c in cands {
        let mut add = |i: usize, v: String| *maps[i].entry(v).or_default() += 1;
        c.category.iter().for_each(|v| add(0, v.clone()));
        c.kecamatan.iter().for_each(|v| add(1, v.clone()));
        c.halal.iter().for_each(|v| add(2, v.to_string()));
        c.certs.iter().for_each(|v| add(3, v.clone()));
        c.pack_size.iter().for_each(|v| add(4, v.to_string()));
        if let Some(p) = c.price
            && let Some(i) = PRICE_BUCKETS.iter().position(|b| b == price_bucket(p))
        {
            buckets[i] += 1;
        }
    }
    let names = [
        "category",
        "kecamatan_code",
        "halal",
        "cert_kinds",
        "pack_size",
    ];
    let max = settings.faceting.max_values_per_facet;
    let mut lists = maps.map(|m| {
        m.into_iter()
            .map(|(value, count)| FacetCount { value, count })
            .collect::<Vec<_>>()
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
        .zip(buckets)
        .filter(|(_, n)| *n > 0)
        .map(|(b, count)| FacetCount {
            value: b.label.to_string(),
            count,
        })
        .collect();
    Facets {
        category,
        kecamatan,
        halal,
        cert_kinds,
        price_range,
        pack_size,
    }
}

/// Missing values last whatever the direction (as Meilisearch sorts).
fn missing_last<T: PartialOrd>(a: Option<T>, b: Option<T>, desc: bool) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => {
            let o = x.partial_cmp(&y).unwrap_or(Ordering::Equal);
            if desc { o.reverse() } else { o }
        }
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn by_sort(a: &Candidate, b: &Candidate, sort: SortBy) -> Ordering {
    match sort {
        SortBy::Relevance => Ordering::Equal,
        SortBy::Distance => missing_last(a.distance_km, b.distance_km, false),
        SortBy::PriceAsc => missing_last(a.price, b.price, false),
        SortBy::PriceDesc => missing_last(a.price, b.price, true),
        SortBy::Newest => b.published_at.cmp(&a.published_at),
    }
}

/// Orders candidates by the ranking rules, then by id.
pub(crate) fn sort(cands: &mut [Candidate], settings: &Settings, sort: SortBy) {
    cands.sort_by(|a, b| {
        for rule in &settings.ranking_rules {
            let o = match rule.as_str() {
                "words" => b.rel.words.cmp(&a.rel.words),
                "typo" => a.rel.typos.cmp(&b.rel.typos),
                "attribute" => a.rel.attribute.cmp(&b.rel.attribute),
                "exactness" => b.rel.exact.cmp(&a.rel.exact),
                "sort" => by_sort(a, b, sort),
                _ => Ordering::Equal,
            };
            if o != Ordering::Equal {
                return o;
            }
        }
        a.id.cmp(&b.id)
    });
}
