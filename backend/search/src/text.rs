//! Owns text handling shared by the engines: the word tokenizer (split on anything that is not
//! a letter or digit, lowercase, fold accents to ASCII — close to what Meilisearch's charabia
//! does to Indonesian text), code words (all digits: GTIN, NIB, sizes — matched exactly),
//! and HTML escaping.

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer,
    StopWordFilter, TextAnalyzer,
};

/// Name of the word tokenizer registered on the embedded index.
pub const WORDS_TOKENIZER: &str = "etalase_words";
/// Name of the keyword tokenizer (whole value, lowercased) used for filter fields.
pub const KEYWORD_TOKENIZER: &str = "etalase_keyword";

/// Words: split on non-alphanumerics, lowercase, ASCII-fold; words over 100 bytes dropped.
pub fn words_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(100))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// The words an index holds: `words_analyzer` without the stop words (normalized the same way).
pub fn indexed_words_analyzer(stop_words: &[String]) -> TextAnalyzer {
    let stop: Vec<String> = stop_words.iter().flat_map(|w| normalized(w)).collect();
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(100))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(StopWordFilter::remove(stop))
        .build()
}

/// Keywords: the whole value, lowercased (Meilisearch compares filter strings
/// case-insensitively).
pub fn keyword_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default()).filter(LowerCaser).build()
}

/// One word of a text: normalized form and byte range in the original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub from: usize,
    pub to: usize,
}

thread_local! {
    /// This thread's `words_analyzer`: building one is several allocations, and `words` runs
    /// for every hit's name when marks are made.
    static WORDS: std::cell::RefCell<TextAnalyzer> = std::cell::RefCell::new(words_analyzer());
}

/// The words of `text`, in order.
pub fn words(text: &str) -> Vec<Word> {
    WORDS.with(|analyzer| match analyzer.try_borrow_mut() {
        Ok(mut shared) => words_with(&mut shared, text),
        // Only were a token stream ever to call back into `words`: a fresh analyzer then.
        Err(_) => words_with(&mut words_analyzer(), text),
    })
}

fn words_with(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Word> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        let t = stream.token();
        out.push(Word { text: t.text.clone(), from: t.offset_from, to: t.offset_to });
    }
    out
}

/// The normalized words of `text` (for settings: synonyms, stop words).
pub fn normalized(text: &str) -> Vec<String> {
    words(text).into_iter().map(|w| w.text).collect()
}

/// A code word (all ASCII digits): never matched with typos or as a prefix.
pub fn is_code(word: &str) -> bool {
    !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit())
}

/// Appends `s` to `out` with `& < > " '` escaped.
pub fn escape_html_into(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// `s` with `& < > " '` escaped.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_html_into(s, &mut out);
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn words_are_split_lowercased_and_folded() {
        let w: Vec<String> = normalized("Oleh-oleh KHAS Serang: Kopi Café 250gr");
        assert_eq!(w, ["oleh", "oleh", "khas", "serang", "kopi", "cafe", "250gr"]);
        assert!(is_code("8991234567891") && !is_code("250gr") && !is_code(""));
    }
}
