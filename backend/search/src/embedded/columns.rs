//! Owns the decoded fast columns of one segment: what ranking, the geo radius and facet
//! counting read for every match (id, price and its bucket, date, pack size, halal, category,
//! kecamatan, certificate kinds, coordinates), decoded once into one 64-byte row per doc
//! (indexed by doc id), plus what every match is read for in 16 bytes (`Hot`: facet values
//! and id) and dense copies of the sort values and coordinates, so a search over a large share
//! of the documents stays in cache and reads a full row only for the matches that may make the
//! page. Segments never change, so the generation caches these by segment id
//! (`Generation::segment_columns`) and a search reads them without touching tantivy's
//! compressed columns.

use super::grid::Grid;
use crate::error::Result;
use etalase_domain::search::{PRICE_BUCKETS, SortBy};
use std::collections::HashMap;
use std::sync::OnceLock;
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, SegmentReader};

mod hot;
pub(crate) use hot::Hot;
#[cfg(test)]
pub(crate) use hot::{NO_BUCKET, NONE16};

/// Marks a missing value in the ordinal arrays.
pub(crate) const NONE: u32 = u32::MAX;

/// What ranking, the geo radius and facet counting read of one document, in one cache line
/// (a search reads it for every match; separate arrays cost a cache miss each).
#[derive(Debug, Clone, Copy)]
#[repr(C, align(64))]
pub(crate) struct Row {
    pub id: i64,
    /// `i64::MIN` without price.
    price: i64,
    pub published: i64,
    lat: f64,
    lon: f64,
    /// Term ordinals (`NONE` when missing); the values are in `*_names`.
    pub category: u32,
    pub kecamatan: u32,
    /// Index in `pack_values` (`NONE` without pack size).
    pub pack: u32,
    /// Bit `o` set for the certificate of ordinal `o` (when the segment has at most 32).
    pub cert_bits: u32,
    /// 0 false, 1 true, 2 missing.
    pub halal: u8,
    /// Index in `PRICE_BUCKETS` of the price (`u8::MAX` without price).
    pub bucket: u8,
    located: bool,
}

impl Row {
    /// A row from the document's values (`certs`: its distinct certificate ordinals).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: i64,
        price: Option<i64>,
        published: i64,
        coords: Option<(f64, f64)>,
        (category, kecamatan, pack): (u32, u32, u32),
        halal: u8,
        certs: &[u32],
    ) -> Row {
        let (lat, lon) = coords.unwrap_or_default();
        Row {
            id,
            price: price.unwrap_or(i64::MIN),
            published,
            lat,
            lon,
            category,
            kecamatan,
            pack,
            cert_bits: certs.iter().filter(|o| **o < 32).fold(0, |bits, o| bits | (1 << o)),
            halal,
            bucket: price.map_or(u8::MAX, |p| bucket_index(p) as u8),
            located: coords.is_some(),
        }
    }

    pub fn price(&self) -> Option<i64> {
        (self.price != i64::MIN).then_some(self.price)
    }

    /// (lat, lon).
    pub fn coords(&self) -> Option<(f64, f64)> {
        self.located.then_some((self.lat, self.lon))
    }
}

/// Per facet value, the bit set of the segment's documents having it (bit `d % 64` of word
/// `d / 64`), by ordinal / index as in `Hot`.
pub(crate) struct FacetSets {
    pub category: Vec<Vec<u64>>,
    pub kecamatan: Vec<Vec<u64>>,
    pub cert: Vec<Vec<u64>>,
    pub pack: Vec<Vec<u64>>,
    /// false, true.
    pub halal: [Vec<u64>; 2],
    pub bucket: Vec<Vec<u64>>,
}

/// The decoded columns of one segment (indexed by doc id, deleted docs included).
pub(crate) struct SegmentColumns {
    pub hot: Vec<Hot>,
    /// Dense copies of what the query's sort or the geo bound compares for every match that
    /// its relevance did not rank out: price, publication date and (lat, lon) by doc id.
    /// `i64::MIN` without price (`price`).
    prices: Vec<i64>,
    pub published: Vec<i64>,
    pub coords: Vec<(f64, f64)>,
    pub rows: Vec<Row>,
    pub pack_values: Vec<i64>,
    pub category_names: Vec<Option<String>>,
    pub kecamatan_names: Vec<Option<String>>,
    /// The distinct certificate ordinals of doc `d` are `cert_ords[cert_start[d]..cert_start[d + 1]]`.
    pub cert_start: Vec<u32>,
    pub cert_ords: Vec<u32>,
    pub cert_names: Vec<Option<String>>,
    /// Made on first use: the facet bit sets, the doc ids in each sort's order, the grid.
    facet_sets: OnceLock<FacetSets>,
    sorted: [OnceLock<Vec<DocId>>; 5],
    grid: OnceLock<Grid>,
    /// Frequent words' hits, kept on first use.
    pub words: super::matching::WordHitsMemory,
}

fn values<T: PartialOrd + Copy + std::fmt::Debug + Send + Sync + 'static>(
    column: Option<Column<T>>,
    docs: &[DocId],
) -> Vec<Option<T>> {
    let mut out = vec![None; docs.len()];
    if let Some(c) = column {
        c.first_vals(docs, &mut out);
    }
    out
}

fn ords(column: &Option<StrColumn>, docs: &[DocId]) -> Vec<u32> {
    let Some(c) = column else {
        return vec![NONE; docs.len()];
    };
    let mut out = vec![None; docs.len()];
    c.ords().first_vals(docs, &mut out);
    out.into_iter().map(|o| o.and_then(|o| u32::try_from(o).ok()).unwrap_or(NONE)).collect()
}

fn names(column: &Option<StrColumn>) -> Result<Vec<Option<String>>> {
    let Some(c) = column else {
        return Ok(Vec::new());
    };
    let mut out = Vec::with_capacity(c.num_terms());
    for ord in 0..c.num_terms() as u64 {
        let mut s = String::new();
        out.push(c.ord_to_str(ord, &mut s)?.then_some(s));
    }
    Ok(out)
}

/// Index in `PRICE_BUCKETS` of the bucket `price` falls in (as `price_bucket`).
pub(crate) fn bucket_index(price: i64) -> usize {
    PRICE_BUCKETS
        .iter()
        .position(|b| b.max.is_none_or(|m| price < m))
        .unwrap_or(PRICE_BUCKETS.len() - 1)
}

impl SegmentColumns {
    /// Decodes the columns of `seg`.
    pub fn read(seg: &SegmentReader) -> Result<SegmentColumns> {
        let ff = seg.fast_fields();
        let docs: Vec<DocId> = (0..seg.max_doc()).collect();
        let price = values(ff.column_opt::<i64>("retail_price")?, &docs);
        let mut pack_values = Vec::new();
        let mut pack_index: HashMap<i64, u32> = HashMap::new();
        let pack: Vec<u32> = values(ff.column_opt::<i64>("pack_size")?, &docs)
            .into_iter()
            .map(|p| match p {
                None => NONE,
                Some(p) => *pack_index.entry(p).or_insert_with(|| {
                    pack_values.push(p);
                    pack_values.len() as u32 - 1
                }),
            })
            .collect();
        let halal: Vec<u8> = values(ff.column_opt::<bool>("halal")?, &docs)
            .into_iter()
            .map(|h| h.map_or(2, u8::from))
            .collect();
        let (category, kecamatan, certs) =
            (ff.str("category")?, ff.str("kecamatan_code")?, ff.str("cert_kinds")?);
        let mut cert_start = Vec::with_capacity(docs.len() + 1);
        let mut cert_ords = Vec::new();
        cert_start.push(0);
        for d in &docs {
            if let Some(c) = &certs {
                let from = cert_ords.len();
                cert_ords.extend(c.term_ords(*d).filter_map(|o| u32::try_from(o).ok()));
                cert_ords[from..].sort_unstable();
                let mut kept = from;
                for i in from..cert_ords.len() {
                    if kept == from || cert_ords[i] != cert_ords[kept - 1] {
                        cert_ords[kept] = cert_ords[i];
                        kept += 1;
                    }
                }
                cert_ords.truncate(kept);
            }
            cert_start.push(cert_ords.len() as u32);
        }
        let id = values(ff.column_opt::<i64>("id")?, &docs);
        let published = values(ff.column_opt::<i64>("published_at")?, &docs);
        let (lat, lon) = (
            values(ff.column_opt::<f64>("lat")?, &docs),
            values(ff.column_opt::<f64>("lon")?, &docs),
        );
        let (category_ords, kecamatan_ords) = (ords(&category, &docs), ords(&kecamatan, &docs));
        let rows: Vec<Row> = (0..docs.len())
            .map(|d| {
                let certs = cert_ords
                    .get(cert_start[d] as usize..cert_start[d + 1] as usize)
                    .unwrap_or_default();
                Row::new(
                    id[d].unwrap_or_default(),
                    price[d],
                    published[d].unwrap_or_default(),
                    lat[d].zip(lon[d]),
                    (category_ords[d], kecamatan_ords[d], pack[d]),
                    halal[d],
                    certs,
                )
            })
            .collect();
        let names = [names(&category)?, names(&kecamatan)?, names(&certs)?];
        SegmentColumns::new(rows, pack_values, names, (cert_start, cert_ords))
    }

    /// The columns of `rows` (`names`: of the categories, kecamatan and certificates by
    /// ordinal; `certs`: each doc's certificate ordinals, as in `cert_start` and `cert_ords`).
    pub fn new(
        rows: Vec<Row>,
        pack_values: Vec<i64>,
        [category_names, kecamatan_names, cert_names]: [Vec<Option<String>>; 3],
        (cert_start, cert_ords): (Vec<u32>, Vec<u32>),
    ) -> Result<SegmentColumns> {
        Ok(SegmentColumns {
            hot: rows.iter().map(Hot::of).collect::<Result<_>>()?,
            prices: rows.iter().map(|r| r.price).collect(),
            published: rows.iter().map(|r| r.published).collect(),
            coords: rows.iter().map(|r| (r.lat, r.lon)).collect(),
            rows,
            pack_values,
            category_names,
            kecamatan_names,
            cert_start,
            cert_ords,
            cert_names,
            facet_sets: OnceLock::new(),
            sorted: Default::default(),
            grid: OnceLock::new(),
            words: Default::default(),
        })
    }

    /// The bit sets of each facet value (made on first use).
    pub fn facet_sets(&self) -> &FacetSets {
        self.facet_sets.get_or_init(|| {
            let words = self.hot.len().div_ceil(64);
            let sets = |values: usize| vec![vec![0u64; words]; values];
            let mut f = FacetSets {
                category: sets(self.category_names.len()),
                kecamatan: sets(self.kecamatan_names.len()),
                cert: sets(self.cert_names.len()),
                pack: sets(self.pack_values.len()),
                halal: [vec![0u64; words], vec![0u64; words]],
                bucket: sets(PRICE_BUCKETS.len()),
            };
            for (d, h) in self.hot.iter().enumerate() {
                let (w, bit) = (d / 64, 1u64 << (d % 64));
                let set = |sets: &mut [Vec<u64>], i: usize| {
                    if let Some(word) = sets.get_mut(i).and_then(|s| s.get_mut(w)) {
                        *word |= bit;
                    }
                };
                set(&mut f.category, usize::from(h.category));
                set(&mut f.kecamatan, usize::from(h.kecamatan));
                set(&mut f.pack, usize::from(h.pack));
                set(&mut f.halal, h.halal());
                set(&mut f.bucket, h.bucket());
                for o in self.certs(d as DocId) {
                    set(&mut f.cert, *o as usize);
                }
            }
            f
        })
    }

    /// The price of `doc`, if it has one.
    pub fn price(&self, doc: DocId) -> Option<i64> {
        self.prices.get(doc as usize).copied().filter(|p| *p != i64::MIN)
    }

    /// Clears in `bits` (a bit set of this segment's docs) the docs without a price within
    /// `lo..=hi`.
    pub fn keep_prices_within(&self, lo: i64, hi: i64, bits: &mut [u64]) {
        for (w, prices) in bits.iter_mut().zip(self.prices.chunks(64)) {
            let within = prices.iter().enumerate().fold(0u64, |acc, (b, p)| {
                acc | u64::from(*p != i64::MIN && lo <= *p && *p <= hi) << b
            });
            *w &= within;
        }
    }

    /// The located docs in cells (made on first use).
    pub fn grid(&self) -> &Grid {
        self.grid.get_or_init(|| {
            let located = self.hot.iter().enumerate().filter(|(_, h)| h.located());
            Grid::build(
                self.hot.len(),
                located.filter_map(|(d, _)| {
                    let (lat, lon) = self.coords.get(d).copied()?;
                    Some((d as DocId, lat, lon))
                }),
            )
        })
    }

    /// The doc ids in the order of `sort` (`make` gives them on first use).
    pub fn sorted(&self, sort: SortBy, make: impl FnOnce() -> Vec<DocId>) -> &[DocId] {
        let i = match sort {
            SortBy::Relevance => 0,
            SortBy::Distance => 1,
            SortBy::PriceAsc => 2,
            SortBy::PriceDesc => 3,
            SortBy::Newest => 4,
        };
        match self.sorted.get(i) {
            Some(cell) => cell.get_or_init(make),
            None => &[],
        }
    }

    /// The distinct certificate ordinals of `doc`.
    pub fn certs(&self, doc: DocId) -> &[u32] {
        let d = doc as usize;
        match (self.cert_start.get(d), self.cert_start.get(d + 1)) {
            (Some(a), Some(b)) => self.cert_ords.get(*a as usize..*b as usize).unwrap_or_default(),
            _ => &[],
        }
    }
}
