//! Per-document best hits of a word, an alternative or a slot within one segment: a dense
//! array by doc id plus the list of the documents hit, so clearing touches only those. The
//! arrays are reused across searches (`POOL`): a fresh one per word and segment cost a
//! search more than the words' postings.

use std::sync::Mutex;
use tantivy::DocId;

/// A cleared `Hits`'s arrays.
type Arrays = (Vec<Option<WordHit>>, Vec<DocId>);

/// Cleared arrays of earlier searches, for segments of their length.
static POOL: Mutex<Vec<Arrays>> = Mutex::new(Vec::new());

/// Most arrays kept for reuse (about 0.6 MB each per 100,000 documents).
const POOL_MAX: usize = 16;

/// The best way one word (or slot) matched one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct WordHit {
    pub typos: u16,
    pub attribute: u16,
    pub exact: bool,
}

impl WordHit {
    pub(super) fn better(self, other: WordHit) -> WordHit {
        if (other.typos, other.attribute) < (self.typos, self.attribute) { other } else { self }
    }
}

/// The best hit of one word (or alternative, or slot) per document of a segment: by doc id,
/// with the list of the documents hit (in no particular order).
pub(super) struct Hits {
    pub dense: Vec<Option<WordHit>>,
    pub docs: Vec<DocId>,
}

impl Hits {
    pub(super) fn new(max_doc: usize) -> Hits {
        let reused = POOL.lock().ok().and_then(|mut pool| {
            let i = pool.iter().position(|(dense, _)| dense.len() == max_doc)?;
            Some(pool.swap_remove(i))
        });
        let (dense, docs) = reused.unwrap_or_else(|| (vec![None; max_doc], Vec::new()));
        Hits { dense, docs }
    }

    /// Records `hit` on `doc`, combined with a previous one by `merge`.
    pub(super) fn add(
        &mut self,
        doc: DocId,
        hit: WordHit,
        merge: impl Fn(WordHit, WordHit) -> WordHit,
    ) {
        if let Some(entry) = self.dense.get_mut(doc as usize) {
            match entry {
                Some(e) => *e = merge(*e, hit),
                None => {
                    *entry = Some(hit);
                    self.docs.push(doc);
                }
            }
        }
    }

    /// Keeps the documents also in `other`, with typos added and the best attribute kept.
    pub(super) fn intersect(&mut self, other: &Hits) {
        let Hits { dense, docs } = self;
        docs.retain(|d| {
            let d = *d as usize;
            let combined = match (dense.get(d).copied().flatten(), other.dense.get(d)) {
                (Some(x), Some(Some(y))) => Some(WordHit {
                    typos: x.typos + y.typos,
                    attribute: x.attribute.min(y.attribute),
                    exact: x.exact && y.exact,
                }),
                _ => None,
            };
            if let Some(entry) = dense.get_mut(d) {
                *entry = combined;
            }
            combined.is_some()
        });
    }

    /// Keeps the documents for which `keep` holds (given the document and its hit), asked in
    /// ascending doc order.
    pub(super) fn retain(&mut self, mut keep: impl FnMut(DocId, WordHit) -> bool) {
        let Hits { dense, docs } = self;
        docs.sort_unstable();
        docs.retain(|d| {
            let kept = dense.get(*d as usize).copied().flatten().is_some_and(|h| keep(*d, h));
            if !kept && let Some(entry) = dense.get_mut(*d as usize) {
                *entry = None;
            }
            kept
        });
    }

    /// The hit of `doc`, if any.
    pub(super) fn get(&self, doc: DocId) -> Option<WordHit> {
        self.dense.get(doc as usize).copied().flatten()
    }

    /// Empties it (touching only the documents hit: every hit is in `docs`).
    pub(super) fn clear(&mut self) {
        for d in &self.docs {
            if let Some(entry) = self.dense.get_mut(*d as usize) {
                *entry = None;
            }
        }
        self.docs.clear();
    }
}

impl Drop for Hits {
    /// Hands the cleared arrays back for reuse.
    fn drop(&mut self) {
        self.clear();
        debug_assert!(self.dense.iter().all(Option::is_none), "a hit outside `docs`");
        if let Ok(mut pool) = POOL.lock()
            && pool.len() < POOL_MAX
        {
            pool.push((std::mem::take(&mut self.dense), std::mem::take(&mut self.docs)));
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
            assert!(a.dense.iter().chain(&b.dense).all(Option::is_none), "round {round}");
            assert!(a.docs.is_empty() && b.docs.is_empty());
            for d in [5, 900, 17, 1_236] {
                a.add(d, hit, |e, _| e);
            }
            b.add(17, hit, |e, _| e);
            b.add(900, hit, |e, _| e);
            a.intersect(&b);
            a.retain(|d, _| d != 900);
            assert_eq!(a.docs, [17]);
            assert_eq!(a.get(5), None);
            assert_eq!(a.get(17).map(|h| h.typos), Some(0));
        }
    }
}
