//! Owns the decoded fast columns of one segment: what ranking, the geo radius and facet
//! counting read for every match (id, price and its bucket, date, pack size, halal, category,
//! kecamatan, certificate kinds, coordinates), decoded once into plain arrays indexed by doc
//! id. Segments never change, so the generation caches these by segment id
//! (`Generation::segment_columns`) and a search reads them without touching tantivy's
//! compressed columns.

use crate::error::Result;
use etalase_domain::search::PRICE_BUCKETS;
use std::collections::HashMap;
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, SegmentReader};

/// Marks a missing value in the ordinal arrays.
pub(crate) const NONE: u32 = u32::MAX;

/// The decoded columns of one segment (indexed by doc id, deleted docs included).
pub(crate) struct SegmentColumns {
    pub id: Vec<i64>,
    pub price: Vec<Option<i64>>,
    /// Index in `PRICE_BUCKETS` of the price (`u8::MAX` without price).
    pub bucket: Vec<u8>,
    pub published: Vec<i64>,
    /// Index in `pack_values` (`NONE` without pack size).
    pub pack: Vec<u32>,
    pub pack_values: Vec<i64>,
    /// 0 false, 1 true, 2 missing.
    pub halal: Vec<u8>,
    /// Term ordinal (`NONE` when missing); the values are in `*_names`.
    pub category: Vec<u32>,
    pub category_names: Vec<Option<String>>,
    pub kecamatan: Vec<u32>,
    pub kecamatan_names: Vec<Option<String>>,
    /// The distinct certificate ordinals of doc `d` are `cert_ords[cert_start[d]..cert_start[d + 1]]`.
    pub cert_start: Vec<u32>,
    pub cert_ords: Vec<u32>,
    pub cert_names: Vec<Option<String>>,
    pub lat: Vec<Option<f64>>,
    pub lon: Vec<Option<f64>>,
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
        let bucket = price.iter().map(|p| p.map_or(u8::MAX, |p| bucket_index(p) as u8)).collect();
        let mut pack_values = Vec::new();
        let mut pack_index: HashMap<i64, u32> = HashMap::new();
        let pack = values(ff.column_opt::<i64>("pack_size")?, &docs)
            .into_iter()
            .map(|p| match p {
                None => NONE,
                Some(p) => *pack_index.entry(p).or_insert_with(|| {
                    pack_values.push(p);
                    pack_values.len() as u32 - 1
                }),
            })
            .collect();
        let halal = values(ff.column_opt::<bool>("halal")?, &docs)
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
        Ok(SegmentColumns {
            id: values(ff.column_opt::<i64>("id")?, &docs)
                .into_iter()
                .map(Option::unwrap_or_default)
                .collect(),
            price,
            bucket,
            published: values(ff.column_opt::<i64>("published_at")?, &docs)
                .into_iter()
                .map(Option::unwrap_or_default)
                .collect(),
            pack,
            pack_values,
            halal,
            category: ords(&category, &docs),
            category_names: names(&category)?,
            kecamatan: ords(&kecamatan, &docs),
            kecamatan_names: names(&kecamatan)?,
            cert_start,
            cert_ords,
            cert_names: names(&certs)?,
            lat: values(ff.column_opt::<f64>("lat")?, &docs),
            lon: values(ff.column_opt::<f64>("lon")?, &docs),
        })
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
