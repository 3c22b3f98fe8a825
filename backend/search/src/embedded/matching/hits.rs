//! Per-document best hits of a word, an alternative or a slot within one segment: a dense
//! array by doc id plus the list of the documents hit, so clearing touches only those.

use tantivy::DocId;

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
        Hits { dense: vec![None; max_doc], docs: Vec::new() }
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

    /// Empties it (touching only the documents hit).
    pub(super) fn clear(&mut self) {
        for d in &self.docs {
            if let Some(entry) = self.dense.get_mut(*d as usize) {
                *entry = None;
            }
        }
        self.docs.clear();
    }
}
