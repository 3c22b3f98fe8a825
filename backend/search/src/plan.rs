//! Owns how search text becomes a query plan under the settings, the way Meilisearch reads a
//! query: words normalized; stop words dropped except the last word; at most 10 words; the
//! last word also matches as a prefix; code words (digits) exact; each word, or run of words
//! that is a synonym key, becomes a slot whose alternatives are the words themselves (with
//! their typo budget) or one of the synonyms (exact). Slots are matched in order: a document
//! must match the first slot and ranks by how many leading slots it matches ("last" strategy).

use crate::settings::{Settings, TypoTolerance};
use crate::text::{self, is_code};
use crate::typo::allowed_typos;
use std::collections::{HashMap, HashSet};

/// Meilisearch only reads the first ten words of a query.
pub const MAX_QUERY_WORDS: usize = 10;
/// Longest synonym key, in words.
const MAX_KEY_WORDS: usize = 3;

/// One word to look for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WordSpec {
    pub text: String,
    pub max_typos: u8,
    pub prefix: bool,
}

/// Words that must all be present for the alternative to match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alternative {
    pub words: Vec<WordSpec>,
}

/// One position of the query: any alternative matches it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub alternatives: Vec<Alternative>,
    /// Query words this slot covers.
    pub span: usize,
}

/// The slots of a query, in order; empty for a placeholder search (no words).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryPlan {
    pub slots: Vec<Slot>,
}

/// The text rules of the settings, normalized once.
#[derive(Debug, Clone)]
pub struct TextRules {
    stop_words: HashSet<String>,
    synonyms: HashMap<String, Vec<Vec<String>>>,
    typo: TypoTolerance,
}

impl TextRules {
    /// Normalizes stop words and synonyms with the engine's tokenizer.
    pub fn new(settings: &Settings) -> Self {
        let key = |s: &str| text::normalized(s).join(" ");
        let stop_words = settings.stop_words.iter().map(|w| key(w)).collect();
        let mut synonyms: HashMap<String, Vec<Vec<String>>> = HashMap::new();
        for (k, alts) in &settings.synonyms {
            let entry = synonyms.entry(key(k)).or_default();
            entry.extend(alts.iter().map(|a| text::normalized(a)).filter(|a| !a.is_empty()));
        }
        let mut typo = settings.typo_tolerance.clone();
        typo.disable_on_words = typo.disable_on_words.iter().map(|w| key(w)).collect();
        TextRules { stop_words, synonyms, typo }
    }

    /// The query words kept from `query` (stop words dropped except the last, at most 10).
    pub fn query_words(&self, query: &str) -> Vec<String> {
        let all = text::normalized(query);
        let last = all.len().saturating_sub(1);
        all.into_iter()
            .enumerate()
            .filter(|(i, w)| *i == last || !self.stop_words.contains(w))
            .map(|(_, w)| w)
            .take(MAX_QUERY_WORDS)
            .collect()
    }

    /// The plan for `query`.
    pub fn plan(&self, query: &str) -> QueryPlan {
        let words = self.query_words(query);
        let mut slots = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let longest = (2..=MAX_KEY_WORDS.min(words.len() - i))
                .rev()
                .find(|n| self.synonyms.contains_key(&words[i..i + n].join(" ")));
            let span = longest.unwrap_or(1);
            let run = &words[i..i + span];
            let ends_query = i + span == words.len();
            let own = run.iter().enumerate().map(|(k, w)| WordSpec {
                text: w.clone(),
                max_typos: allowed_typos(w, &self.typo),
                prefix: ends_query && k + 1 == run.len() && !is_code(w),
            });
            let mut alternatives = vec![Alternative { words: own.collect() }];
            for synonym in self.synonyms.get(&run.join(" ")).into_iter().flatten() {
                let words = synonym.iter().map(|w| exact(w)).collect();
                alternatives.push(Alternative { words });
            }
            slots.push(Slot { alternatives, span });
            i += span;
        }
        QueryPlan { slots }
    }
}

fn exact(w: &str) -> WordSpec {
    WordSpec { text: w.to_string(), max_typos: 0, prefix: false }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn rules() -> TextRules {
        TextRules::new(&Settings::products().unwrap())
    }

    fn texts(a: &Alternative) -> Vec<&str> {
        a.words.iter().map(|w| w.text.as_str()).collect()
    }

    #[test]
    fn stop_words_are_dropped_but_not_the_last_word() {
        let r = rules();
        assert_eq!(r.query_words("kopi dan teh"), ["kopi", "teh"]);
        assert_eq!(r.query_words("kopi dan"), ["kopi", "dan"]);
        assert_eq!(r.query_words("a b c d e f g h i j k l").len(), MAX_QUERY_WORDS);
    }

    #[test]
    fn synonyms_and_typos_make_alternatives() {
        let plan = rules().plan("kripik pedes");
        assert_eq!(plan.slots.len(), 2);
        let first = &plan.slots[0];
        assert_eq!(texts(&first.alternatives[0]), ["kripik"]);
        assert_eq!(first.alternatives[0].words[0].max_typos, 1);
        assert!(!first.alternatives[0].words[0].prefix);
        assert_eq!(texts(&first.alternatives[1]), ["keripik"]);
        assert!(plan.slots[1].alternatives[0].words[0].prefix);
        assert_eq!(texts(&plan.slots[1].alternatives[1]), ["pedas"]);
    }

    #[test]
    fn multi_word_keys_and_codes() {
        let plan = rules().plan("ikan asin 8991234567891");
        assert_eq!(plan.slots[0].span, 2);
        assert_eq!(texts(&plan.slots[0].alternatives[1]), ["gereh"]);
        let code = &plan.slots[1].alternatives[0].words[0];
        assert_eq!((code.max_typos, code.prefix), (0, false));
        assert!(rules().plan("  !! ").slots.is_empty());
    }
}
