//! Owns how search text becomes a query plan under the settings, the way Meilisearch (milli)
//! reads a query: words normalized; stop words dropped except the last word; at most 10 words;
//! the last word also matches as a prefix; code words (digits: GTIN, NIB, sizes) are sent to
//! Meilisearch as one-word phrases, so here they match exactly and are *mandatory* (milli never
//! drops a phrase). Each word is a slot whose alternatives are the word itself (with its typo
//! budget) or a synonym of it (exact); a run of words that is a synonym key (e.g. "ikan asin")
//! stays one slot per word, and each of those slots also accepts the key's synonyms — milli's
//! n-gram term covers all its positions, while dropping the last word still leaves the first.
//! Matching ("last" strategy): a document must match every mandatory slot and the optional
//! slots from the start, as far as it does; without a mandatory slot, at least the first.

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
    /// The query's own word (not a synonym): only it counts for exactness.
    pub original: bool,
    /// Typos counted for a match, whatever the words: milli gives a term of n query words
    /// (a synonym of an n-word key) a base typo cost of n; here each of its n slots adds 1.
    pub penalty: u8,
}

/// One position of the query: any alternative matches it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub alternatives: Vec<Alternative>,
    /// Never dropped by the matching strategy (a code word: a phrase for Meilisearch).
    pub mandatory: bool,
}

/// The slots of a query, in order; empty for a placeholder search (no words).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryPlan {
    pub slots: Vec<Slot>,
}

/// The text rules of the settings, normalized once.
#[derive(Debug, Clone)]
pub struct TextRules {
    pub(crate) stop_words: HashSet<String>,
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
        let mut slots: Vec<Slot> = words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let code = is_code(w);
                let own = WordSpec {
                    text: w.clone(),
                    max_typos: if code { 0 } else { allowed_typos(w, &self.typo) },
                    prefix: i + 1 == words.len() && !code,
                };
                let mut alternatives =
                    vec![Alternative { words: vec![own], original: true, penalty: 0 }];
                if !code {
                    alternatives.extend(self.synonyms_of(std::slice::from_ref(w), 0));
                }
                Slot { alternatives, mandatory: code }
            })
            .collect();
        // Synonym keys of several words (n-grams of 2 and 3 words without a code word).
        for n in 2..=MAX_KEY_WORDS {
            for i in 0..words.len().saturating_sub(n - 1) {
                let run = &words[i..i + n];
                if run.iter().any(|w| is_code(w)) {
                    continue;
                }
                let alternatives: Vec<Alternative> = self.synonyms_of(run, 1).collect();
                for slot in &mut slots[i..i + n] {
                    slot.alternatives.extend(alternatives.iter().cloned());
                }
            }
        }
        QueryPlan { slots }
    }

    fn synonyms_of(&self, run: &[String], penalty: u8) -> impl Iterator<Item = Alternative> + '_ {
        let found = self.synonyms.get(&run.join(" "));
        found.into_iter().flatten().map(move |synonym| Alternative {
            words: synonym.iter().map(|w| exact(w)).collect(),
            original: false,
            penalty,
        })
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
        assert_eq!(plan.slots.len(), 3);
        // Both words of the key accept its synonym; each still matches alone.
        for slot in &plan.slots[..2] {
            assert!(slot.alternatives.iter().any(|a| texts(a) == ["gereh"]));
            assert!(!slot.mandatory);
        }
        assert_eq!(texts(&plan.slots[0].alternatives[0]), ["ikan"]);
        let code = &plan.slots[2];
        assert!(code.mandatory);
        assert_eq!(code.alternatives.len(), 1);
        let w = &code.alternatives[0].words[0];
        assert_eq!((w.max_typos, w.prefix), (0, false));
        assert!(rules().plan("  !! ").slots.is_empty());
    }
}
