//! Owns what the embedded engine does with the matching documents: reads their fast columns
//! (id, price, date, coordinates, facet values), applies the geo radius, counts facets over all
//! of them, and orders them by the settings' ranking rules (`sort` = the query's sort, missing
//! prices last as in Meilisearch; ties end on the product id).

use super::matching::Relevance;
use crate::error::Result;
use crate::settings::Settings;
use etalase_domain::haversine_km;
use etalase_domain::wilayah::EARTH_RADIUS_KM;
use etalase_domain::search::{
    FacetCount, Facets, PRICE_BUCKETS, SearchQuery, SortBy, order_facet_counts,
};
use std::cmp::Ordering;
use std::collections::HashMap;
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocAddress, DocId, SegmentReader};

/// A matching document with what ranking needs.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub addr: DocAddress,
    pub id: i64,
    pub price: Option<i64>,
    pub published_at: i64,
    pub distance_km: Option<f64>,
    pub rel: Relevance,
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

/// The first value of each of `docs` in `column` (`None` where it has none).
fn batch<T: PartialOrd + Copy + std::fmt::Debug + Send + Sync + 'static>(
    column: Option<&Column<T>>,
    docs: &[DocId],
    out: &mut Vec<Option<T>>,
) {
    out.clear();
    out.resize(docs.len(), None);
    if let Some(c) = column {
        c.first_vals(docs, out);
    }
}

/// Facet counts being gathered: string facets by value, counted per segment by term ordinal.
#[derive(Default)]
struct Counts {
    strings: [HashMap<String, u64>; 3],
    halal: [u64; 2],
    /// Pack sizes (few distinct values: searched linearly, most recent first).
    pack: Vec<(i64, u64)>,
    buckets: [u64; PRICE_BUCKETS.len()],
}

impl Counts {
    fn add_pack(&mut self, p: i64) {
        match self.pack.iter_mut().find(|(v, _)| *v == p) {
            Some((_, n)) => *n += 1,
            None => self.pack.push((p, 1)),
        }
    }
}

/// Index in `PRICE_BUCKETS` of the bucket `price` falls in (as `price_bucket`).
fn bucket_index(price: i64) -> usize {
    PRICE_BUCKETS
        .iter()
        .position(|b| b.max.is_none_or(|m| price < m))
        .unwrap_or(PRICE_BUCKETS.len() - 1)
}

/// The query's location, with what `haversine_km` computes from it alone hoisted out (the
/// same operations in the same order, so the same distances to the bit).
struct Origin {
    lat: f64,
    lon: f64,
    cos_lat: f64,
}

impl Origin {
    fn new(lat: f64, lon: f64) -> Origin {
        Origin {
            lat,
            lon,
            cos_lat: lat.to_radians().cos(),
        }
    }

    /// `haversine_km(self.lat, self.lon, lat2, lon2)`.
    fn km(&self, lat2: f64, lon2: f64) -> f64 {
        let p2 = lat2.to_radians();
        let dp = (lat2 - self.lat).to_radians();
        let dl = (lon2 - self.lon).to_radians();
        let a = (dp / 2.0).sin().powi(2) + self.cos_lat * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * a.sqrt().asin()
    }
}

/// Km from the query's location to each hit that has no distance yet.
pub(crate) fn distance(
    segments: &[SegmentReader],
    hits: &mut [Candidate],
    q: &SearchQuery,
) -> Result<()> {
    let Some((lat, lon)) = q.near else {
        return Ok(());
    };
    for c in hits.iter_mut().filter(|c| c.distance_km.is_none()) {
        let Some(seg) = segments.get(c.addr.segment_ord as usize) else {
            continue;
        };
        let ff = seg.fast_fields();
        let (dlat, dlon): (Option<Column<f64>>, Option<Column<f64>>) =
            (ff.column_opt("lat")?, ff.column_opt("lon")?);
        let d = c.addr.doc_id;
        if let (Some(dlat), Some(dlon)) = (
            dlat.and_then(|col| col.first(d)),
            dlon.and_then(|col| col.first(d)),
        ) {
            c.distance_km = Some(haversine_km(lat, lon, dlat, dlon));
        }
    }
    Ok(())
}

/// Adds a segment's per-ordinal counts of a string column to `map`.
fn add_ords(column: Option<&StrColumn>, counts: &[u64], map: &mut HashMap<String, u64>) -> Result<()> {
    let Some(c) = column else { return Ok(()) };
    for (ord, n) in counts.iter().enumerate().filter(|(_, n)| **n > 0) {
        let mut s = String::new();
        if c.ord_to_str(ord as u64, &mut s)? {
            *map.entry(s).or_default() += n;
        }
    }
    Ok(())
}

/// Docs read per batch from the columns.
const BATCH: usize = 512;

/// The candidates among `docs` (per segment ord, ascending doc ids, with their relevance),
/// with the geo radius of `q` applied, and the facet counts over all of them.
pub(crate) fn candidates(
    segments: &[SegmentReader],
    docs: &[Vec<(DocId, Relevance)>],
    q: &SearchQuery,
    settings: &Settings,
) -> Result<(Vec<Candidate>, Facets)> {
    let mut out = Vec::new();
    let mut counts = Counts::default();
    let (mut ids, mut prices, mut published, mut packs) = (vec![], vec![], vec![], vec![]);
    let (mut lats, mut lons, mut halals, mut cats, mut kecs) = (vec![], vec![], vec![], vec![], vec![]);
    let mut doc_ids: Vec<DocId> = Vec::with_capacity(BATCH);
    let mut cert_ords: Vec<u64> = Vec::new();
    // Distances are needed for every match only to apply a radius or sort by them; otherwise
    // the hits of the page get theirs afterwards (`distance`).
    let geo = q
        .near
        .filter(|_| q.radius_km.is_some() || q.sort == SortBy::Distance)
        .map(|(lat, lon)| Origin::new(lat, lon));
    out.reserve(docs.iter().map(Vec::len).sum());
    for (seg_ord, (seg, seg_docs)) in segments.iter().zip(docs).enumerate() {
        if seg_docs.is_empty() {
            continue;
        }
        let c = Columns::open(seg)?;
        let terms = |col: &Option<StrColumn>| col.as_ref().map_or(0, |c| c.num_terms());
        let mut cat_counts = vec![0u64; terms(&c.category)];
        let mut kec_counts = vec![0u64; terms(&c.kecamatan)];
        let mut cert_counts = vec![0u64; terms(&c.certs)];
        for chunk in seg_docs.chunks(BATCH) {
            doc_ids.clear();
            doc_ids.extend(chunk.iter().map(|(d, _)| *d));
            batch(c.id.as_ref(), &doc_ids, &mut ids);
            batch(c.price.as_ref(), &doc_ids, &mut prices);
            batch(c.published.as_ref(), &doc_ids, &mut published);
            batch(c.pack.as_ref(), &doc_ids, &mut packs);
            batch(c.halal.as_ref(), &doc_ids, &mut halals);
            batch(c.category.as_ref().map(|s| s.ords()), &doc_ids, &mut cats);
            batch(c.kecamatan.as_ref().map(|s| s.ords()), &doc_ids, &mut kecs);
            if geo.is_some() {
                batch(c.lat.as_ref(), &doc_ids, &mut lats);
                batch(c.lon.as_ref(), &doc_ids, &mut lons);
            }
            for (i, (doc, rel)) in chunk.iter().enumerate() {
                let distance_km = match (&geo, lats.get(i), lons.get(i)) {
                    (Some(g), Some(Some(dlat)), Some(Some(dlon))) => Some(g.km(*dlat, *dlon)),
                    _ => None,
                };
                if let (Some(r), Some(dist)) = (q.radius_km, distance_km)
                    && dist > r
                {
                    continue;
                }
                if let Some(o) = cats[i] {
                    if let Some(n) = cat_counts.get_mut(o as usize) {
                        *n += 1;
                    }
                }
                if let Some(o) = kecs[i] {
                    if let Some(n) = kec_counts.get_mut(o as usize) {
                        *n += 1;
                    }
                }
                if let Some(h) = halals[i] {
                    counts.halal[usize::from(h)] += 1;
                }
                if let Some(certs) = &c.certs {
                    cert_ords.clear();
                    cert_ords.extend(certs.term_ords(*doc));
                    cert_ords.sort_unstable();
                    cert_ords.dedup();
                    for o in &cert_ords {
                        if let Some(n) = cert_counts.get_mut(*o as usize) {
                            *n += 1;
                        }
                    }
                }
                if let Some(p) = packs[i] {
                    counts.add_pack(p);
                }
                let price = prices[i];
                if let Some(p) = price
                    && let Some(n) = counts.buckets.get_mut(bucket_index(p))
                {
                    *n += 1;
                }
                out.push(Candidate {
                    addr: DocAddress::new(seg_ord as u32, *doc),
                    id: ids[i].unwrap_or_default(),
                    price,
                    published_at: published[i].unwrap_or_default(),
                    distance_km,
                    rel: *rel,
                });
            }
        }
        add_ords(c.category.as_ref(), &cat_counts, &mut counts.strings[0])?;
        add_ords(c.kecamatan.as_ref(), &kec_counts, &mut counts.strings[1])?;
        add_ords(c.certs.as_ref(), &cert_counts, &mut counts.strings[2])?;
    }
    Ok((out, facets(counts, settings)))
}

/// Facet counts, limited and ordered like Meilisearch's.
fn facets(counts: Counts, settings: &Settings) -> Facets {
    let [category, kecamatan, certs] = counts.strings;
    let halal: HashMap<String, u64> = [("false", counts.halal[0]), ("true", counts.halal[1])]
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(v, n)| (v.to_string(), n))
        .collect();
    let pack: HashMap<String, u64> = counts
        .pack
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(v, n)| (v.to_string(), n))
        .collect();
    let maps = [category, kecamatan, halal, certs, pack];
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
        .zip(counts.buckets)
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

/// A ranking rule the engine applies.
#[derive(Clone, Copy)]
enum Rule {
    Words,
    Typo,
    Attribute,
    Exactness,
    Sort,
}

/// Puts the first `n` candidates in the order of the ranking rules, then by id (the rest are
/// left unordered after them).
pub(crate) fn sort(cands: &mut [Candidate], settings: &Settings, sort: SortBy, n: usize) {
    let rules: Vec<Rule> = settings
        .ranking_rules
        .iter()
        .filter_map(|rule| match rule.as_str() {
            "words" => Some(Rule::Words),
            "typo" => Some(Rule::Typo),
            "attribute" => Some(Rule::Attribute),
            "exactness" => Some(Rule::Exactness),
            "sort" => Some(Rule::Sort),
            _ => None,
        })
        .collect();
    let cmp = |a: &Candidate, b: &Candidate| {
        for rule in &rules {
            let o = match rule {
                Rule::Words => b.rel.words.cmp(&a.rel.words),
                Rule::Typo => a.rel.typos.cmp(&b.rel.typos),
                Rule::Attribute => a.rel.attribute.cmp(&b.rel.attribute),
                Rule::Exactness => b.rel.exact.cmp(&a.rel.exact),
                Rule::Sort => by_sort(a, b, sort),
            };
            if o != Ordering::Equal {
                return o;
            }
        }
        a.id.cmp(&b.id).then(a.addr.cmp(&b.addr))
    };
    if n == 0 {
        return;
    }
    if n < cands.len() {
        cands.select_nth_unstable_by(n - 1, cmp);
    }
    let n = n.min(cands.len());
    cands[..n].sort_unstable_by(cmp);
}
