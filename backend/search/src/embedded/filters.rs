//! Owns the embedded engine's filters: the typed query's category, kecamatan, halal,
//! certificate kinds, price range and eligible standard as one bit set of allowed documents
//! per segment (from the segment's facet bit sets and price column: no per-document query),
//! the geo radius for the matches (`Within`, by the grid of coordinates), and the checks that each filter and sort attribute is
//! listed as filterable/sortable in the settings, as Meilisearch checks it.

use super::bits;
use super::columns::SegmentColumns;
use super::grid::{Grid, NO_CELL};
use super::ranking::{Origin, beyond};
use super::schema::{Fields, keyword_text};
use crate::error::{Error, Result};
use crate::settings::Settings;
use etalase_domain::search::{SearchQuery, SortBy};
use std::sync::Arc;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader, Term};

fn allow(settings: &Settings, attribute: &str) -> Result<()> {
    if settings.is_filterable(attribute) {
        Ok(())
    } else {
        Err(Error::NotAllowed(attribute.into(), "filterableAttributes"))
    }
}

/// Checks that the sort of `q` uses a sortable attribute.
pub(crate) fn check_sort(settings: &Settings, q: &SearchQuery) -> Result<()> {
    let attribute = match q.sort {
        SortBy::Relevance => return Ok(()),
        SortBy::Distance => "_geo",
        SortBy::PriceAsc | SortBy::PriceDesc => "retail_price",
        SortBy::Newest => "published_at",
    };
    if settings.is_sortable(attribute) {
        Ok(())
    } else {
        Err(Error::NotAllowed(attribute.into(), "sortableAttributes"))
    }
}

/// The live documents of `seg` as a bit set (bit `d % 64` of word `d / 64`).
pub(crate) fn alive_bits(seg: &SegmentReader) -> Vec<u64> {
    let n = seg.max_doc() as usize;
    match seg.alive_bitset() {
        None => bits::all(n),
        Some(alive) => bits::of(n, alive.iter_alive()),
    }
}

/// `bits` AND `set` (a missing set: nothing).
fn and(bits: &mut [u64], set: Option<&Vec<u64>>) {
    match set {
        Some(set) => bits.iter_mut().zip(set).for_each(|(b, s)| *b &= s),
        None => bits.fill(0),
    }
}

/// `bits` AND the documents whose facet value (ordinals as in `names` and `sets`) is `value`
/// as a keyword filter compares them (the value trimmed, `keyword_text` of both).
fn and_named(bits: &mut [u64], names: &[Option<String>], sets: &[Vec<u64>], value: &str) {
    let value = keyword_text(value.trim());
    let mut union: Option<Vec<u64>> = None;
    for (name, set) in names.iter().zip(sets) {
        if name.as_deref().is_some_and(|n| keyword_text(n) == value) {
            match &mut union {
                None => union = Some(set.clone()),
                Some(u) => u.iter_mut().zip(set).for_each(|(u, s)| *u |= s),
            }
        }
    }
    and(bits, union.as_ref());
}

/// Per segment ord, the bit set of the live documents the filters of `q` allow (checked
/// against the settings first); `None` when `q` has no filter. Facet values are matched as
/// whole values against the segment's own (never parsed, so user text cannot change what the
/// filter means), with the facet bit sets and the price column; the eligible standard (a
/// multi-valued number no column holds) with its term.
pub(crate) fn allowed(
    searcher: &Searcher,
    f: &Fields,
    columns: &[Arc<SegmentColumns>],
    settings: &Settings,
    q: &SearchQuery,
) -> Result<Option<Vec<Vec<u64>>>> {
    let checks = [
        (q.category.is_some(), "category"),
        (q.kecamatan.is_some(), "kecamatan_code"),
        (q.halal.is_some(), "halal"),
        (!q.cert.is_empty(), "cert_kinds"),
        (q.price_min.is_some() || q.price_max.is_some(), "retail_price"),
        (q.eligible_for.is_some(), "eligible_standards"),
        (q.radius_km.is_some(), "_geo"),
    ];
    for (_, attribute) in checks.iter().filter(|(used, _)| *used) {
        allow(settings, attribute)?;
    }
    check_sort(settings, q)?;
    // The radius is applied to the matches (`Within`).
    if !checks.iter().any(|(used, a)| *used && *a != "_geo") {
        return Ok(None);
    }
    let eligible = match q.eligible_for {
        Some(s) => {
            let t = Term::from_field_i64(f.eligible_standards, s);
            Some(searcher.search(&TermQuery::new(t, IndexRecordOption::Basic), &DocIds)?)
        }
        None => None,
    };
    let (lo, hi) = (q.price_min.unwrap_or(i64::MIN), q.price_max.unwrap_or(i64::MAX));
    let mut out = Vec::with_capacity(columns.len());
    for (ord, (seg, c)) in searcher.segment_readers().iter().zip(columns).enumerate() {
        let mut bits = alive_bits(seg);
        let sets = c.facet_sets();
        if let Some(v) = &q.category {
            and_named(&mut bits, &c.category_names, &sets.category, v);
        }
        if let Some(v) = &q.kecamatan {
            and_named(&mut bits, &c.kecamatan_names, &sets.kecamatan, v);
        }
        if let Some(h) = q.halal {
            and(&mut bits, sets.halal.get(usize::from(h)));
        }
        for v in &q.cert {
            and_named(&mut bits, &c.cert_names, &sets.cert, v);
        }
        if q.price_min.is_some() || q.price_max.is_some() {
            c.keep_prices_within(lo, hi, &mut bits);
        }
        if let Some(eligible) = &eligible {
            let docs = eligible.get(ord).map(Vec::as_slice).unwrap_or_default();
            and(&mut bits, Some(&bits::of(c.hot.len(), docs.iter().copied())));
        }
        out.push(bits);
    }
    Ok(Some(out))
}

/// The geo radius on one segment: which docs are within `r` km of the query's point (as the
/// ranking measures them: `Origin::km`; docs without coordinates pass, as they always did).
/// Cells surely within or surely beyond decide for their docs; only the docs of the others
/// are measured, and only those asked about.
pub(crate) struct Within<'a> {
    c: &'a SegmentColumns,
    grid: &'a Grid,
    origin: Origin,
    r: f64,
    /// What each cell's bounds decide.
    cells: Vec<Reach>,
}

/// Whether a cell's docs are within the radius.
#[derive(Clone, Copy)]
enum Reach {
    Beyond,
    Within,
    /// Each doc is measured.
    Edge,
}

impl Within<'_> {
    /// The radius of `q` on `c` (`None` without radius or point).
    pub(crate) fn of<'a>(c: &'a SegmentColumns, q: &SearchQuery) -> Option<Within<'a>> {
        let (r, near) = (q.radius_km?, q.near?);
        let grid = c.grid();
        let cells = grid
            .cells
            .iter()
            .map(|cell| {
                let (lower, upper) = cell.bounds(near);
                if beyond(lower, r) {
                    Reach::Beyond
                } else if upper < r * (1.0 - 1e-9) - 1e-9 {
                    Reach::Within
                } else {
                    Reach::Edge
                }
            })
            .collect();
        Some(Within { c, grid, origin: Origin::new(near.0, near.1), r, cells })
    }

    /// Whether doc `d` is within the radius.
    pub(crate) fn keeps(&self, d: DocId) -> bool {
        let cell = self.grid.cell_of.get(d as usize).copied().unwrap_or(NO_CELL);
        if cell == NO_CELL {
            return true;
        }
        match self.cells.get(cell as usize) {
            Some(Reach::Within) => true,
            Some(Reach::Edge) => {
                let (lat, lon) = self.c.coords.get(d as usize).copied().unwrap_or_default();
                self.origin.km(lat, lon) <= self.r
            }
            Some(Reach::Beyond) | None => false,
        }
    }

    /// Clears in `bits` the docs beyond the radius.
    pub(crate) fn restrict(&self, bits: &mut [u64]) {
        let beyond: Vec<DocId> = bits::ones(bits).filter(|d| !self.keeps(*d)).collect();
        beyond.into_iter().for_each(|d| bits::remove(bits, d));
    }
}

/// Collects the matching (alive) doc ids of every segment, indexed by segment ordinal.
struct DocIds;

struct SegmentDocIds {
    ord: SegmentOrdinal,
    docs: Vec<DocId>,
}

impl Collector for DocIds {
    type Fruit = Vec<Vec<DocId>>;
    type Child = SegmentDocIds;

    fn for_segment(
        &self,
        ord: SegmentOrdinal,
        _: &SegmentReader,
    ) -> tantivy::Result<SegmentDocIds> {
        Ok(SegmentDocIds { ord, docs: Vec::new() })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<(SegmentOrdinal, Vec<DocId>)>,
    ) -> tantivy::Result<Vec<Vec<DocId>>> {
        let n = fruits.iter().map(|(o, _)| *o as usize + 1).max().unwrap_or(0);
        let mut out = vec![Vec::new(); n];
        for (ord, docs) in fruits {
            if let Some(slot) = out.get_mut(ord as usize) {
                *slot = docs;
            }
        }
        Ok(out)
    }
}

impl SegmentCollector for SegmentDocIds {
    type Fruit = (SegmentOrdinal, Vec<DocId>);

    fn collect(&mut self, doc: DocId, _: Score) {
        self.docs.push(doc);
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        self.docs.extend_from_slice(docs);
    }

    fn harvest(self) -> Self::Fruit {
        (self.ord, self.docs)
    }
}
