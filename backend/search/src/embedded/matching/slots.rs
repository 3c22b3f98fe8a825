//! Owns matching one slot of the query in one segment: each alternative's words (intersected,
//! a phrase checked for its words next to each other), merged into the slot's best hit per
//! document with the alternative's typo penalty, exact only for the query's own word.

use super::hits::{Hits, WordHit};
use super::words::Key;
use super::{Expansions, PhraseWeights, Searched, WordHitsMemory, word_hits};
use crate::error::Result;
use crate::plan::Slot;
use tantivy::{DocId, DocSet, SegmentReader};

/// One slot with what was prepared for it once for all segments.
pub(super) struct SlotOf<'a> {
    pub slot: &'a Slot,
    /// Per alternative, its words' expansions.
    pub words: &'a [Vec<Expansions>],
    /// Per alternative of several words, its phrase.
    pub phrases: &'a [Option<PhraseWeights>],
}

impl SlotOf<'_> {
    /// What identifies the slot's hits in a segment's memory.
    pub(super) fn key(&self) -> Key {
        Key::Slot(
            self.slot
                .alternatives
                .iter()
                .zip(self.words)
                .map(|(alt, ws)| (alt.penalty, alt.original, ws.clone()))
                .collect(),
        )
    }
}

/// The slot's best hit per document of `seg` (deleted ones too: the caller applies its filter
/// and the deletions after). `acc` and `scratch` are empty working space, left empty.
pub(super) fn slot_hits(
    (reader, memory): (&SegmentReader, &WordHitsMemory),
    searched: &[Searched],
    of: &SlotOf,
    (acc, scratch): (&mut Hits, &mut Hits),
) -> Result<Hits> {
    let seg = (reader, memory);
    let mut slot_hits = Hits::new(reader.max_doc() as usize);
    for ((alt, words), phrase) in of.slot.alternatives.iter().zip(of.words).zip(of.phrases) {
        for (i, expansions) in words.iter().enumerate() {
            if i == 0 {
                word_hits(seg, searched, expansions, acc)?;
            } else {
                word_hits(seg, searched, expansions, scratch)?;
                acc.intersect(scratch);
                scratch.clear();
            }
        }
        let as_slot = |hit: WordHit| WordHit {
            typos: hit.typos + u16::from(alt.penalty),
            exact: hit.exact && alt.original,
            ..hit
        };
        if let Some(weights) = phrase {
            // A phrase would add its words' hit: a document the slot already holds as well
            // (or better) is not checked.
            let adds = |d: DocId, hit: WordHit| match slot_hits.get(d) {
                Some(e) => {
                    let hit = as_slot(hit);
                    (hit.typos, hit.attribute) < (e.typos, e.attribute) || (hit.exact && !e.exact)
                }
                None => true,
            };
            let mut scorers = weights
                .iter()
                .map(|w| w.scorer(reader, 1.0))
                .collect::<tantivy::Result<Vec<_>>>()?;
            // `seek` only moves forward (to `d` or past it).
            acc.retain(|d, hit| {
                adds(d, hit) && scorers.iter_mut().any(|s| s.doc() <= d && s.seek(d) == d)
            });
        }
        if slot_hits.is_empty() && alt.penalty == 0 && alt.original {
            // The slot's hits are this alternative's as they are.
            std::mem::swap(&mut slot_hits, acc);
            continue;
        }
        for d in acc.docs() {
            if let Some(hit) = acc.get(d) {
                slot_hits.add(d, as_slot(hit));
            }
        }
        acc.clear();
    }
    Ok(slot_hits)
}
