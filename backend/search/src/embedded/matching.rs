//! Owns text matching in the embedded engine: each query word is expanded against the index's
//! vocabulary (exact, prefix for the last word, typos within the word's budget — none on
//! attributes listed in `disableOnAttributes`), looked up field by field in searchable order,
//! and combined per document into the relevance Meilisearch's rules rank by: words matched
//! from the start of the query, typos, best attribute, exact words. Expansions are cached per
//! reader generation (`Lexicon`); postings are read segment by segment into doc-id-indexed
//! arrays, touching only the documents hit.

use super::columns::SegmentColumns;
use super::filters;
use super::generation::Generation;
use crate::error::Result;
use crate::plan::{Alternative, QueryPlan, WordSpec};
use crate::settings::Settings;
use crate::typo::{typos, within_reach};
use hits::{Hits, WordHit};
use slots::{SlotOf, slot_hits};
use std::collections::BTreeSet;
use std::sync::Arc;
use tantivy::query::{EnableScoring, PhraseQuery, Query, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, Searcher, SegmentReader, Term};
use words::Key;
pub(crate) use words::WordHitsMemory;

/// How well a document matches the text (compared by the ranking rules).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Relevance {
    /// Query words matched from the start (more is better).
    pub words: u16,
    pub typos: u16,
    /// Sum over the matched slots of the best (lowest) searchable attribute rank each matched
    /// in (Meilisearch's `attributeRank`).
    pub attribute: u16,
    /// Slots matched without typo or prefix (more is better).
    pub exact: u16,
}

/// Documents the text matched (per segment, in segment order; docs ascending).
pub(crate) struct TextMatch {
    pub docs: Vec<Vec<(DocId, Relevance)>>,
}

/// One searched field: its rank in `searchableAttributes` and whether typos count there.
struct Searched {
    field: Field,
    rank: u16,
    typos_allowed: bool,
}

/// Matches `plan` against the documents in `allowed` (per segment ord, a bit set; `None`:
/// every live document).
pub(crate) fn evaluate(
    generation: &Generation,
    (searcher, columns): (&Searcher, &[Arc<SegmentColumns>]),
    settings: &Settings,
    plan: &QueryPlan,
    allowed: Option<&[Vec<u64>]>,
) -> Result<TextMatch> {
    let searched: Vec<Searched> = settings
        .searchable_attributes
        .iter()
        .enumerate()
        .filter_map(|(rank, name)| {
            let field = generation.fields.text_field(name)?;
            let typos_allowed = !settings.typo_tolerance.disable_on_attributes.contains(name);
            Some(Searched { field, rank: rank as u16, typos_allowed })
        })
        .collect();
    let fields: Vec<Field> = searched.iter().map(|s| s.field).collect();
    let lexicon = generation.lexicon(searcher, &fields)?;
    let mut out = TextMatch { docs: Vec::new() };
    // Expansions of every word, once for all segments: slot -> alternative -> word.
    let mut expanded: Vec<Vec<Vec<Expansions>>> = Vec::new();
    for slot in &plan.slots {
        let mut alts = Vec::new();
        for alt in &slot.alternatives {
            let mut words = Vec::new();
            for spec in &alt.words {
                words.push(lexicon.expand(spec)?);
            }
            alts.push(words);
        }
        expanded.push(alts);
    }
    // Alternatives of several words (synonyms) are phrases: their words next to each other in
    // one field, as Meilisearch matches them. Only the documents their words matched are
    // checked (`seek`), segment by segment.
    let phrases: Vec<Vec<Option<PhraseWeights>>> = plan
        .slots
        .iter()
        .map(|slot| {
            slot.alternatives
                .iter()
                .map(|alt| {
                    (alt.words.len() > 1).then(|| phrase_weight(searcher, &fields, alt)).transpose()
                })
                .collect::<Result<Vec<_>>>()
        })
        .collect::<Result<_>>()?;
    // Each slot with its key in the segments' memories, once for all segments.
    let slot_ofs: Vec<(SlotOf, Key)> = plan
        .slots
        .iter()
        .zip(&expanded)
        .zip(&phrases)
        .map(|((slot, words), phrases)| {
            let of = SlotOf { slot, words, phrases };
            let key = of.key();
            (of, key)
        })
        .collect();
    for ((i, reader), c) in searcher.segment_readers().iter().enumerate().zip(columns) {
        let n = reader.max_doc() as usize;
        let memory = &c.words;
        // The documents the text may hit (a bit set per segment), unless every one may.
        let alive = match allowed {
            None => reader.has_deletes().then(|| filters::alive_bits(reader)),
            Some(_) => None,
        };
        let mask = match allowed {
            Some(allowed) => Some(allowed.get(i).map(Vec::as_slice).unwrap_or_default()),
            None => alive.as_deref(),
        };
        // Hits of the alternative being matched, and of its next word.
        let (mut acc, mut scratch) = (Hits::new(n), Hits::new(n));
        let mut slots: Vec<(Hits, bool)> = Vec::new();
        for (of, key) in &slot_ofs {
            // A slot's hits are the segment's own whatever the filter (which, with deleted
            // documents, is applied after): kept for the next search.
            let mut hits = match memory.get(key) {
                Some(listed) => {
                    let mut hits = Hits::new(n);
                    hits.add_listed(&listed);
                    hits
                }
                None => {
                    let seg = (reader, memory);
                    let hits = slot_hits(seg, &searched, of, (&mut acc, &mut scratch))?;
                    memory.put(key.clone(), &hits, n);
                    hits
                }
            };
            if let Some(mask) = mask {
                hits.restrict(mask);
            }
            slots.push((hits, of.slot.mandatory));
        }
        out.docs.push(relevances(&slots));
    }
    Ok(out)
}

/// Per document, its relevance under the "last" strategy: every mandatory slot matched, and
/// the optional ones from the start as far as they match (at least the first one when no slot
/// is mandatory). `slots`: each slot's hits and whether it is mandatory.
fn relevances(slots: &[(Hits, bool)]) -> Vec<(DocId, Relevance)> {
    let has_mandatory = slots.iter().any(|(_, m)| *m);
    // Every document that can match is in the hits of this slot.
    let Some((first, _)) = slots.iter().find(|(_, m)| *m == has_mandatory) else {
        return Vec::new();
    };
    let mut matched = Vec::new();
    'docs: for doc in first.docs() {
        let hit_of = |hits: &Hits| hits.get(doc);
        let mut rel = Relevance::default();
        let add = |rel: &mut Relevance, hit: WordHit| {
            rel.words += 1;
            rel.typos += hit.typos;
            rel.attribute += hit.attribute;
            rel.exact += u16::from(hit.exact);
        };
        for (hits, _) in slots.iter().filter(|(_, m)| *m) {
            match hit_of(hits) {
                Some(hit) => add(&mut rel, hit),
                None => continue 'docs,
            }
        }
        for (hits, _) in slots.iter().filter(|(_, m)| !*m) {
            match hit_of(hits) {
                Some(hit) => add(&mut rel, hit),
                None => break,
            }
        }
        if rel.words > 0 {
            matched.push((doc, rel));
        }
    }
    matched
}

/// One phrase's weight per searched field.
type PhraseWeights = Vec<Box<dyn Weight>>;

/// What finds the documents holding the words of `alt` next to each other, in order, one per
/// field of `fields`.
fn phrase_weight(
    searcher: &Searcher,
    fields: &[Field],
    alt: &Alternative,
) -> Result<PhraseWeights> {
    fields
        .iter()
        .map(|f| {
            let terms = alt.words.iter().map(|w| Term::from_field_text(*f, &w.text)).collect();
            let scoring = EnableScoring::disabled_from_searcher(searcher);
            Ok(PhraseQuery::new(terms).weight(scoring)?)
        })
        .collect()
}

/// Indexed words a word matches: (word, typos, exact).
pub(crate) type Expansions = Arc<Vec<(String, u8, bool)>>;

/// Indexed words `spec` matches: (word, typos, exact).
pub(crate) fn expand(spec: &WordSpec, vocab: &BTreeSet<String>) -> Vec<(String, u8, bool)> {
    let mut out = Vec::new();
    if vocab.contains(&spec.text) {
        out.push((spec.text.clone(), 0, true));
    }
    let starts = |t: &String| spec.prefix && t.starts_with(spec.text.as_str());
    if spec.prefix {
        let longer =
            vocab.range(spec.text.clone()..).take_while(|t| t.starts_with(spec.text.as_str()));
        out.extend(longer.filter(|t| **t != spec.text).map(|t| (t.clone(), 0, false)));
    }
    if spec.max_typos > 0 {
        let q: Vec<char> = spec.text.chars().collect();
        // With one typo the first letter must match (a wrong first letter counts as two), so
        // only words sharing it are scanned.
        let first: String = q.iter().take(1).collect();
        let candidates: Box<dyn Iterator<Item = &String>> = if spec.max_typos < 2 {
            Box::new(vocab.range(first.clone()..).take_while(|t| t.starts_with(first.as_str())))
        } else {
            Box::new(vocab.iter())
        };
        for t in candidates.filter(|t| **t != spec.text && !starts(t)) {
            if !within_reach(q.len(), t.chars().count(), spec.max_typos, spec.prefix) {
                continue;
            }
            let chars: Vec<char> = t.chars().collect();
            if let Some(d) = typos(&q, &chars, spec.max_typos, spec.prefix) {
                out.push((t.clone(), d, false));
            }
        }
    }
    out
}

/// For each document of `seg` (deleted ones too), the best match of any expansion in any
/// searched field, into `hits` (empty). A frequent word's hits come from the segment's memory
/// (`words.rs`).
fn word_hits(
    (seg, memory): (&SegmentReader, &WordHitsMemory),
    searched: &[Searched],
    expansions: &Expansions,
    hits: &mut Hits,
) -> Result<()> {
    debug_assert!(hits.is_empty(), "word_hits into used hits");
    let key = Key::Word(expansions.clone());
    match memory.get(&key) {
        Some(listed) => hits.add_listed(&listed),
        None => {
            postings_hits(seg, searched, expansions, hits)?;
            memory.put(key, hits, seg.max_doc() as usize);
        }
    }
    Ok(())
}

/// For each document of `seg`, the best match of any expansion in any searched field, read
/// from the postings.
fn postings_hits(
    seg: &SegmentReader,
    searched: &[Searched],
    expansions: &[(String, u8, bool)],
    hits: &mut Hits,
) -> Result<()> {
    // Groups: exact words, prefixes, one typo, two typos.
    let groups: [(u8, bool); 4] = [(0, true), (0, false), (1, false), (2, false)];
    for s in searched {
        let inverted = seg.inverted_index(s.field)?;
        for (typos, exact) in groups {
            if typos > 0 && !s.typos_allowed {
                continue;
            }
            let hit = WordHit { typos: u16::from(typos), attribute: s.rank, exact };
            for (w, _, _) in expansions.iter().filter(|(_, t, e)| *t == typos && *e == exact) {
                let term = Term::from_field_text(s.field, w);
                let Some(mut postings) =
                    inverted.read_block_postings(&term, IndexRecordOption::Basic)?
                else {
                    continue;
                };
                // A block of decoded doc ids at a time (up to 128), not a call per posting.
                while !postings.docs().is_empty() {
                    hits.add_all(postings.docs(), hit);
                    postings.advance();
                }
            }
        }
    }
    Ok(())
}

mod hits;
mod slots;
mod words;
