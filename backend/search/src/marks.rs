//! Owns name highlighting (`highlight_name`), for both engines, the way Meilisearch marks a
//! name when asked for `attributesToHighlight` (checked against it, query for query, in
//! `tests/everyday.rs`), decided from the query's plan alone:
//!
//! - a name word equal to a query word or a one-word synonym of it, or within the word's typo
//!   budget, is marked whole;
//! - the last query word (a prefix) marks as many characters of a word it matches (it begins
//!   the word, or it is within its typos of the word's beginning) as it has itself: `kop` marks
//!   `<em>Kop</em>i`, `empng` marks `<em>Empin</em>g`;
//! - a synonym of several words is a phrase: marked only where its words follow each other in
//!   the name, as one span (`<em>Kain Batik</em>`), never word by word;
//! - stop words are never marked (no index holds them); the rest is HTML-escaped.
//!
//! The Meilisearch adapter therefore does not ask for `_formatted`, the copy of every hit that
//! highlighting adds to Meilisearch's answer.

use crate::plan::{QueryPlan, TextRules, WordSpec};
use crate::text::{self, Word, escape_html_into};
use crate::typo::typos;
use std::cell::RefCell;
use std::collections::HashSet;

/// The marks of one query's plan.
pub struct Marker<'a> {
    /// The one-word alternatives, once each, with their characters.
    words: Vec<(&'a WordSpec, Vec<char>)>,
    /// The alternatives of several words (phrases), their words in order.
    phrases: Vec<Vec<&'a str>>,
    stop_words: &'a HashSet<String>,
    /// Room for a name's words and marks, reused from name to name (a search marks every
    /// hit's name with one marker).
    room: RefCell<Room>,
}

/// A name's words, and the byte ranges of it to mark (in order, not overlapping).
#[derive(Default)]
struct Room {
    words: Vec<Word>,
    spans: Vec<(usize, usize)>,
}

impl TextRules {
    /// The highlighter for `plan` (made with these rules).
    pub fn marker<'a>(&'a self, plan: &'a QueryPlan) -> Marker<'a> {
        let mut words: Vec<(&WordSpec, Vec<char>)> = Vec::new();
        let mut phrases: Vec<Vec<&str>> = Vec::new();
        for alt in plan.slots.iter().flat_map(|s| &s.alternatives) {
            match alt.words.as_slice() {
                [one] if !words.iter().any(|(w, _)| *w == one) => {
                    words.push((one, one.text.chars().collect()));
                }
                [_] | [] => {}
                many => {
                    let phrase: Vec<&str> = many.iter().map(|w| w.text.as_str()).collect();
                    if !phrases.contains(&phrase) {
                        phrases.push(phrase);
                    }
                }
            }
        }
        Marker { words, phrases, stop_words: &self.stop_words, room: RefCell::default() }
    }
}

impl Marker<'_> {
    /// `name` HTML-escaped, with what the query matched wrapped in `<em>…</em>`.
    pub fn highlight(&self, name: &str) -> String {
        let mut out = String::with_capacity(name.len() + 24);
        self.highlight_into(name, &mut out);
        out
    }

    /// `highlight`, appended to `out`.
    pub fn highlight_into(&self, name: &str, out: &mut String) {
        match self.room.try_borrow_mut() {
            Ok(mut room) => self.mark(name, &mut room, out),
            // Only were marking ever to call back into this marker: fresh room then.
            Err(_) => self.mark(name, &mut Room::default(), out),
        }
    }

    /// Marks `name` into `out`, in `room`.
    fn mark(&self, name: &str, room: &mut Room, out: &mut String) {
        let n = text::words_into(name, &mut room.words);
        let (words, spans) = (&room.words[..n], &mut room.spans);
        spans.clear();
        let mut i = 0;
        while let Some(w) = words.get(i) {
            let phrase = self
                .phrases
                .iter()
                .filter(|p| {
                    p.len() <= words.len() - i
                        && p.iter().zip(&words[i..]).all(|(pw, nw)| *pw == nw.text)
                })
                .map(Vec::len)
                .max();
            if let Some(n) = phrase {
                spans.push((w.from, words[i + n - 1].to));
                i += n;
                continue;
            }
            if let Some(chars) = self.word_mark(&w.text)
                && let Some(original) = name.get(w.from..w.to)
            {
                let cut = original.char_indices().nth(chars).map_or(original.len(), |(b, _)| b);
                spans.push((w.from, w.from + cut));
            }
            i += 1;
        }
        out.reserve(name.len() + 11 * spans.len());
        let mut at = 0;
        for &(from, to) in spans.iter() {
            let (Some(before), Some(marked)) = (name.get(at..from), name.get(from..to)) else {
                continue;
            };
            escape_html_into(before, out);
            out.push_str("<em>");
            escape_html_into(marked, out);
            out.push_str("</em>");
            at = to;
        }
        escape_html_into(name.get(at..).unwrap_or_default(), out);
    }

    /// How many characters of `word` (normalized) a one-word alternative marks, if any.
    fn word_mark(&self, word: &str) -> Option<usize> {
        if self.words.is_empty() {
            return None;
        }
        // A word has fewer bytes than `text::LONGEST_WORD`, so fewer characters.
        let mut buf = ['\0'; text::LONGEST_WORD];
        let mut len = 0;
        for (slot, c) in buf.iter_mut().zip(word.chars()) {
            *slot = c;
            len += 1;
        }
        let chars = &buf[..len];
        let mut best: Option<usize> = None;
        for (spec, q) in &self.words {
            let matched = spec.text == word
                || (spec.prefix && word.starts_with(spec.text.as_str()))
                || (spec.max_typos > 0 && typos(q, chars, spec.max_typos, spec.prefix).is_some());
            if matched {
                let n = if spec.prefix { q.len().min(chars.len()) } else { chars.len() };
                best = best.max(Some(n));
            }
        }
        // Stop words last: most words of a name match nothing, and need no lookup.
        best.filter(|_| !self.stop_words.contains(word))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use crate::plan::TextRules;
    use crate::settings::Settings;

    fn marks(query: &str, name: &str) -> String {
        let rules = TextRules::new(&Settings::products().unwrap());
        let plan = rules.plan(query);
        rules.marker(&plan).highlight(name)
    }

    #[test]
    fn words_typos_and_one_word_synonyms_are_marked_whole() {
        // "kripik" is one typo from "keripik"; "pedes" has the synonym "pedas".
        let h = marks("kripik pedes", "Keripik Tempe Pedas");
        assert_eq!(h, "<em>Keripik</em> Tempe <em>Pedas</em>");
        let h = marks("sambal bawang", "Sambal Roa & \"Bawang\" <Asli>");
        assert_eq!(h, "<em>Sambal</em> Roa &amp; &quot;<em>Bawang</em>&quot; &lt;Asli&gt;");
        // Too many typos, or a wrong first letter within a one-typo budget: no mark.
        assert_eq!(marks("sambel", "Gambel Roa"), "Gambel Roa");
        assert_eq!(marks("teh", "Tahu Bakso"), "Tahu Bakso");
    }

    #[test]
    fn the_last_word_marks_as_many_characters_as_it_has() {
        assert_eq!(marks("madu kop", "Kopi Madu"), "<em>Kop</em>i <em>Madu</em>");
        // Not the last word: no prefix.
        assert_eq!(marks("kop madu", "Kopi Madu"), "Kopi <em>Madu</em>");
        // A typo within the prefix: as Meilisearch, the query's length is marked.
        assert_eq!(marks("empng", "Emping Melinjo"), "<em>Empin</em>g Melinjo");
        assert_eq!(marks("keripik", "Keripik"), "<em>Keripik</em>");
    }

    #[test]
    fn phrases_are_marked_as_one_span_only_where_their_words_follow_each_other() {
        // "batik" has the synonym "kain batik" (a phrase).
        let h = marks("batik", "Kain Batik Tulis");
        assert_eq!(h, "<em>Kain Batik</em> Tulis");
        assert_eq!(marks("batik", "Kain Tenun Motif Banten"), "Kain Tenun Motif Banten");
    }

    /// One marker marks name after name (its room reused, longer names then shorter) as a
    /// fresh marker marks each.
    #[test]
    fn a_marker_reused_marks_as_a_fresh_one() {
        let rules = TextRules::new(&Settings::products().unwrap());
        let plan = rules.plan("kripik batik kop");
        let names = [
            "Keripik Tempe Pedas Khas Serang Kemasan Besar",
            "Kain Batik",
            "Kopi",
            "Café Kopi Kripik",
            "",
            "Keripik <Kopi> & Batik",
        ];
        let reused = rules.marker(&plan);
        for name in names.iter().chain(names.iter().rev()) {
            let fresh = rules.marker(&plan).highlight(name);
            assert_eq!(reused.highlight(name), fresh, "{name:?}");
            let mut out = String::from("before:");
            reused.highlight_into(name, &mut out);
            assert_eq!(out, format!("before:{fresh}"));
        }
        assert_eq!(reused.highlight("Kopi"), "<em>Kop</em>i");
    }

    #[test]
    fn codes_exactly_stop_words_never_and_no_query_nothing() {
        let h = marks("8991234567891", "Kode 8991234567891 dan 8991234567892");
        assert_eq!(h, "Kode <em>8991234567891</em> dan 8991234567892");
        let h = marks("kopi dan", "Kopi dan Teh <Serang>");
        assert_eq!(h, "<em>Kopi</em> dan Teh &lt;Serang&gt;");
        assert_eq!(marks("", "Kopi & Teh"), "Kopi &amp; Teh");
    }
}
