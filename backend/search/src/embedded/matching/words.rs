//! Owns the per-segment memory of frequent words' hits: for a word's expansions (the indexed
//! words it matches, with their typos), the best hit of each document across the searched
//! fields, as read from the postings once; and a whole slot's (its alternatives merged, phrases
//! checked), before any filter. A segment never changes, so neither does this; a
//! frequent word ("keripik" in a tenth of the catalog) then costs one pass over a list instead
//! of decoding its postings in every searched field again, much as Meilisearch keeps each
//! word's documents ready in its index. Only words hitting many documents are kept, within a
//! memory budget per segment; past it the memory starts over (the next searches refill it).

use super::Expansions;
use super::hits::Hits;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// What hits are kept for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Key {
    /// One word: its expansions (shared with the search's plan: a key costs no copy).
    Word(Expansions),
    /// A whole slot: per alternative, its penalty, whether it is the query's own word, and its
    /// words' expansions.
    Slot(Vec<(u8, bool, Vec<Expansions>)>),
}

impl Key {
    fn bytes(&self) -> usize {
        let words = |w: &Expansions| w.iter().map(|(t, _, _)| t.len() + 32).sum::<usize>();
        match self {
            Key::Word(w) => words(w),
            Key::Slot(alts) => alts.iter().flat_map(|(_, _, ws)| ws).map(words).sum(),
        }
    }
}

/// Words hitting fewer documents are read from their postings each time (cheap enough).
const MIN_DOCS: usize = if cfg!(test) { 1 } else { 1_024 };

/// Bytes kept per document of the segment: room for about 8 words hitting every document.
const BYTES_PER_DOC: usize = 64;

/// The hits of frequent words in one segment: per key, `doc << 32 | packed hit`, by doc.
#[derive(Default)]
pub(crate) struct WordHitsMemory {
    kept: Mutex<Kept>,
}

#[derive(Default)]
struct Kept {
    lists: HashMap<Key, Arc<Vec<u64>>>,
    bytes: usize,
}

impl WordHitsMemory {
    /// The hits kept for `key`, if any.
    pub(super) fn get(&self, key: &Key) -> Option<Arc<Vec<u64>>> {
        self.kept.lock().ok()?.lists.get(key).cloned()
    }

    /// Keeps `hits` for `key` when it is worth it, in a segment of `max_doc` documents (a word
    /// hitting few documents is not listed at all).
    pub(super) fn put(&self, key: Key, hits: &Hits, max_doc: usize) {
        if hits.count() < MIN_DOCS {
            return;
        }
        let list = hits.listed();
        let Ok(mut kept) = self.kept.lock() else { return };
        let bytes = list.len() * 8 + key.bytes();
        let budget = max_doc.saturating_mul(BYTES_PER_DOC);
        if bytes > budget {
            return;
        }
        if kept.bytes + bytes > budget {
            kept.lists.clear();
            kept.bytes = 0;
        }
        kept.bytes += bytes;
        kept.lists.insert(key, Arc::new(list));
    }

    /// How many words are kept.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.kept.lock().map(|k| k.lists.len()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use crate::{EmbeddedIndex, Settings};
    use etalase_domain::search::{ProductDoc, SearchIndex, SearchQuery};

    fn doc(id: i64, name: &str, halal: bool) -> ProductDoc {
        let json = serde_json::json!({
            "id": id, "name": name, "description": format!("{name} khas Serang"),
            "category": "makanan-ringan", "category_name": "Makanan ringan", "producer_id": 1,
            "producer_name": "Usaha Uji", "kecamatan_code": "36.73.01", "kecamatan": "Serang",
            "kelurahan_code": "x", "halal": halal, "cert_kinds": [], "published_at": id,
            "lat": -6.1, "lon": 106.1, "nib": "1", "eligible_standards": [], "version": 1,
            "revision": 0
        });
        serde_json::from_value(json).unwrap()
    }

    fn docs() -> Vec<ProductDoc> {
        let names = [
            "Keripik Pedas",
            "Kripik Singkong",
            "Sambal Roa",
            "Sambel Terasi",
            "Emping Melinjo",
            "Kopi Bubuk",
            "Kopi Robusta",
            "Emping Pedas",
        ];
        (1..=400).map(|i| doc(i, names[i as usize % names.len()], i % 3 == 0)).collect()
    }

    fn queries() -> Vec<SearchQuery> {
        let t = SearchQuery::text;
        vec![
            t("kripik pedes"),
            t("sambel"),
            t("emping"),
            t("kopi bubuk"),
            t("empng"),
            SearchQuery { halal: Some(true), ..t("keripik") },
            SearchQuery { page: 2, ..t("pedas") },
        ]
    }

    /// Ids, highlights and totals of each query's page.
    async fn answers(index: &EmbeddedIndex) -> Vec<(Vec<(i64, String)>, u64)> {
        let mut out = Vec::new();
        for q in queries() {
            let r = index.search(&q).await.unwrap();
            out.push((r.hits.into_iter().map(|h| (h.doc.id, h.highlight_name)).collect(), r.total));
        }
        out
    }

    fn kept(index: &EmbeddedIndex) -> usize {
        let live = index.live().unwrap();
        let columns = live.segment_columns(&live.searcher()).unwrap();
        columns.iter().map(|c| c.words.len()).sum()
    }

    #[tokio::test]
    async fn remembered_hits_answer_as_the_postings_do_also_after_deletes() {
        let (dir, fresh_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let index = EmbeddedIndex::open(dir.path(), Settings::products().unwrap()).unwrap();
        index.upsert(&docs()).await.unwrap();
        assert_eq!(kept(&index), 0);
        let first = answers(&index).await;
        assert!(kept(&index) > 5, "the words were kept");
        assert!(first.iter().all(|(hits, total)| !hits.is_empty() && *total > 0));
        assert_eq!(answers(&index).await, first);
        // Deleted documents stay in the segment's postings and in what was kept from them.
        let gone: Vec<i64> = (1..=400).filter(|i| i % 5 == 0).collect();
        index.delete(&gone).await.unwrap();
        let after = answers(&index).await;
        let fresh = EmbeddedIndex::open(fresh_dir.path(), Settings::products().unwrap()).unwrap();
        let left: Vec<ProductDoc> = docs().into_iter().filter(|d| d.id % 5 != 0).collect();
        fresh.upsert(&left).await.unwrap();
        assert_eq!(after, answers(&fresh).await);
        assert_ne!(after, first);
    }
}
