//! Per-document best hits of a word, an alternative or a slot within one segment: a dense
//! array of packed hits by doc id plus the bit set of the documents hit. Recording a posting
//! is branch-free (a minimum and an or on the packed hit, one bit set): which documents were
//! hit before is not predictable, and a mispredicted branch per posting cost more than the
//! postings themselves. The arrays are reused across searches (`POOL`): a fresh one per word
//! and segment cost a search more than the words' postings.

use super::super::bits::ones;
use std::sync::Mutex;
use tantivy::DocId;

/// A cleared `Hits`'s arrays.
type Arrays = (Vec<u32>, Vec<u64>);

/// Cleared arrays of earlier searches, for segments of their length.
static POOL: Mutex<Vec<Arrays>> = Mutex::new(Vec::new());

/// Most arrays kept for reuse (about 0.4 MB each per 100,000 documents).
const POOL_MAX: usize = 16;

/// No hit: above every packed hit, with the exact bit clear.
const NONE: u32 = u32::MAX - 1;

/// The best way one word (or slot) matched one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct WordHit {
    pub typos: u16,
    pub attribute: u16,
    pub exact: bool,
}

impl WordHit {
    /// Packed so that a smaller number has fewer typos, then a better attribute; bit 0 is
    /// `exact`. Typos and attributes beyond what 16 and 15 bits hold are capped.
    fn pack(self) -> u32 {
        let typos = u32::from(self.typos.min(u16::MAX - 1));
        let attribute = u32::from(self.attribute.min(0x7fff));
        typos << 16 | attribute << 1 | u32::from(self.exact)
    }

    fn unpack(p: u32) -> Option<WordHit> {
        (p != NONE).then_some(WordHit {
            typos: (p >> 16) as u16,
            attribute: ((p >> 1) & 0x7fff) as u16,
            exact: p & 1 == 1,
        })
    }
}

/// The best (typos, attribute) of two packed hits, exact if either is.
fn merge(a: u32, b: u32) -> u32 {
    (a & !1).min(b & !1) | ((a | b) & 1)
}

/// Records the packed hit `packed` on document `d` of `dense`/`bits` (merged with any earlier
/// one); a document beyond the segment is ignored.
#[inline(always)]
fn record(dense: &mut [u32], bits: &mut [u64], d: usize, packed: u32) {
    if let (Some(entry), Some(word)) = (dense.get_mut(d), bits.get_mut(d / 64)) {
        *entry = merge(*entry, packed);
        *word |= 1 << (d % 64);
    }
}

/// The best hit of one word (or alternative, or slot) per document of a segment: by doc id,
/// with the bit set of the documents hit (bit `d % 64` of word `d / 64`).
pub(super) struct Hits {
    dense: Vec<u32>,
    bits: Vec<u64>,
}

impl Hits {
    pub(super) fn new(max_doc: usize) -> Hits {
        let reused = POOL.lock().ok().and_then(|mut pool| {
            let i = pool.iter().position(|(dense, _)| dense.len() == max_doc)?;
            Some(pool.swap_remove(i))
        });
        let (dense, bits) =
            reused.unwrap_or_else(|| (vec![NONE; max_doc], vec![0; max_doc.div_ceil(64)]));
        Hits { dense, bits }
    }

    /// Records `hit` on `doc`: the best (typos, attribute) of it and any earlier one, exact if
    /// either is.
    pub(super) fn add(&mut self, doc: DocId, hit: WordHit) {
        record(&mut self.dense, &mut self.bits, doc as usize, hit.pack());
    }

    /// Records `hit` on each of `docs` (as `add`).
    pub(super) fn add_all(&mut self, docs: &[DocId], hit: WordHit) {
        let packed = hit.pack();
        let Hits { dense, bits } = self;
        for &doc in docs {
            record(dense, bits, doc as usize, packed);
        }
    }

    /// The hits as `doc << 32 | packed hit`, by doc (for `add_listed`).
    pub(super) fn listed(&self) -> Vec<u64> {
        self.docs()
            .filter_map(|d| Some(u64::from(d) << 32 | u64::from(*self.dense.get(d as usize)?)))
            .collect()
    }

    /// Records the hits of `listed` (as made by `listed`), as `add` would each.
    pub(super) fn add_listed(&mut self, listed: &[u64]) {
        let Hits { dense, bits } = self;
        for &l in listed {
            record(dense, bits, (l >> 32) as usize, l as u32);
        }
    }

    /// How many documents were hit.
    pub(super) fn count(&self) -> usize {
        self.bits.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// Whether no document was hit.
    pub(super) fn is_empty(&self) -> bool {
        self.bits.iter().all(|w| *w == 0)
    }

    /// The documents hit, ascending.
    pub(super) fn docs(&self) -> impl Iterator<Item = DocId> + '_ {
        ones(&self.bits)
    }

    /// Keeps the documents also in `allowed` (a bit set as `bits`; none beyond its end).
    pub(super) fn restrict(&mut self, allowed: &[u64]) {
        let Hits { dense, bits } = self;
        for (i, w) in bits.iter_mut().enumerate() {
            let a = allowed.get(i).copied().unwrap_or(0);
            clear_bits(dense, i, *w & !a);
            *w &= a;
        }
    }

    /// Keeps the documents also in `other`, with typos added and the best attribute kept.
    pub(super) fn intersect(&mut self, other: &Hits) {
        let Hits { dense, bits } = self;
        for (i, w) in bits.iter_mut().enumerate() {
            let both = *w & other.bits.get(i).copied().unwrap_or(0);
            clear_bits(dense, i, *w & !both);
            *w = both;
            for d in ones(&[both]).map(|b| i * 64 + b as usize) {
                let (Some(x), Some(y)) = (
                    dense.get(d).copied().and_then(WordHit::unpack),
                    other.dense.get(d).copied().and_then(WordHit::unpack),
                ) else {
                    continue;
                };
                let combined = WordHit {
                    typos: x.typos + y.typos,
                    attribute: x.attribute.min(y.attribute),
                    exact: x.exact && y.exact,
                };
                if let Some(entry) = dense.get_mut(d) {
                    *entry = combined.pack();
                }
            }
        }
    }

    /// Keeps the documents for which `keep` holds (given the document and its hit), asked in
    /// ascending doc order.
    pub(super) fn retain(&mut self, mut keep: impl FnMut(DocId, WordHit) -> bool) {
        let Hits { dense, bits } = self;
        for (i, w) in bits.iter_mut().enumerate() {
            let mut dropped = 0u64;
            for b in ones(&[*w]) {
                let d = i * 64 + b as usize;
                let hit = dense.get(d).copied().and_then(WordHit::unpack);
                if !hit.is_some_and(|h| keep(d as DocId, h)) {
                    dropped |= 1 << b;
                }
            }
            clear_bits(dense, i, dropped);
            *w &= !dropped;
        }
    }

    /// The hit of `doc`, if any.
    pub(super) fn get(&self, doc: DocId) -> Option<WordHit> {
        self.dense.get(doc as usize).copied().and_then(WordHit::unpack)
    }

    /// Empties it (touching only the documents hit: every hit is in `bits`).
    pub(super) fn clear(&mut self) {
        let Hits { dense, bits } = self;
        for (i, w) in bits.iter_mut().enumerate().filter(|(_, w)| **w != 0) {
            clear_bits(dense, i, *w);
            *w = 0;
        }
    }
}

/// Resets the entries of `dense` of the bits `mask` of word `i` of a bit set.
fn clear_bits(dense: &mut [u32], i: usize, mask: u64) {
    for b in ones(&[mask]) {
        if let Some(entry) = dense.get_mut(i * 64 + b as usize) {
            *entry = NONE;
        }
    }
}

impl Drop for Hits {
    /// Hands the cleared arrays back for reuse.
    fn drop(&mut self) {
        self.clear();
        debug_assert!(self.dense.iter().all(|e| *e == NONE), "a hit outside `bits`");
        if let Ok(mut pool) = POOL.lock()
            && pool.len() < POOL_MAX
        {
            pool.push((std::mem::take(&mut self.dense), std::mem::take(&mut self.bits)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_come_back_from_reuse_empty() {
        let hit = WordHit { typos: 0, attribute: 1, exact: true };
        // An odd length no other test uses, so the arrays taken back are these.
        let n = 1_237;
        for round in 0..3 {
            let (mut a, mut b) = (Hits::new(n), Hits::new(n));
            assert!(a.is_empty() && b.is_empty(), "round {round}");
            assert!(a.dense.iter().chain(&b.dense).all(|e| *e == NONE), "round {round}");
            for d in [5, 900, 17, 1_236, 64, 63] {
                a.add(d, hit);
            }
            b.add(17, hit);
            b.add(900, hit);
            b.add(63, hit);
            a.intersect(&b);
            a.retain(|d, _| d != 900);
            let mut allowed = vec![u64::MAX; n.div_ceil(64)];
            allowed[0] &= !(1 << 63);
            a.restrict(&allowed);
            assert_eq!(a.docs().collect::<Vec<_>>(), [17]);
            assert_eq!(a.get(5), None);
            assert_eq!(a.get(63), None);
            assert_eq!(a.get(17).map(|h| h.typos), Some(0));
        }
    }

    #[test]
    fn a_document_keeps_its_best_hit_and_is_exact_if_any_hit_was() {
        let mut h = Hits::new(10);
        let hit = |typos, attribute, exact| WordHit { typos, attribute, exact };
        h.add(3, hit(1, 0, false));
        h.add(3, hit(0, 5, false));
        h.add(3, hit(0, 7, true));
        assert_eq!(h.get(3), Some(hit(0, 5, true)));
        h.add(4, hit(2, 300, false));
        assert_eq!(h.get(4), Some(hit(2, 300, false)));
        assert_eq!(WordHit::unpack(hit(9, 0x7fff, true).pack()), Some(hit(9, 0x7fff, true)));
        assert_eq!(h.docs().collect::<Vec<_>>(), [3, 4]);
    }
}
