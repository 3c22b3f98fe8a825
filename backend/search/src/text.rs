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

/// Words of this many bytes or more are dropped (`RemoveLongFilter`'s limit).
pub(crate) const LONGEST_WORD: usize = 100;

/// Words: split on non-alphanumerics, lowercase, ASCII-fold; words of 100 bytes or more
/// dropped.
pub fn words_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_WORD))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// The words an index holds: `words_analyzer` without the stop words (normalized the same way).
pub fn indexed_words_analyzer(stop_words: &[String]) -> TextAnalyzer {
    let stop: Vec<String> = stop_words.iter().flat_map(|w| normalized(w)).collect();
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_WORD))
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
    let mut out = Vec::new();
    let n = words_into(text, &mut out);
    out.truncate(n);
    out
}

/// The words of `text` written over the first of `out`'s (their strings reused, more added
/// as needed, those after left as they are), in order; how many. The marks split every hit's
/// name, and a string per word was most of a search's allocations.
pub fn words_into(text: &str, out: &mut Vec<Word>) -> usize {
    if !text.is_ascii() {
        *out = WORDS.with(|analyzer| match analyzer.try_borrow_mut() {
            Ok(mut shared) => words_with(&mut shared, text),
            // Only were a token stream ever to call back into `words`: a fresh analyzer then.
            Err(_) => words_with(&mut words_analyzer(), text),
        });
        return out.len();
    }
    ascii_words(text, out)
}

/// `words_analyzer`'s words of an ASCII `text`, without it: on ASCII its tokenizer splits
/// where `is_ascii_alphanumeric` does, lowercasing is ASCII's and folding changes nothing.
/// Most names are ASCII.
fn ascii_words(text: &str, out: &mut Vec<Word>) -> usize {
    let b = text.as_bytes();
    let (mut i, mut n) = (0, 0);
    while i < b.len() {
        if !b[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let from = i;
        while i < b.len() && b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if i - from >= LONGEST_WORD {
            continue;
        }
        let word = &text[from..i];
        match out.get_mut(n) {
            Some(w) => {
                w.text.clear();
                w.text.push_str(word);
                w.text.make_ascii_lowercase();
                (w.from, w.to) = (from, i);
            }
            None => out.push(Word { text: word.to_ascii_lowercase(), from, to: i }),
        }
        n += 1;
    }
    n
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

/// Appends `s` to `out` with `& < > " '` escaped (the text between them copied whole).
pub fn escape_html_into(s: &str, out: &mut String) {
    let mut plain = 0;
    for (i, b) in s.bytes().enumerate() {
        let escaped = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[plain..i]);
        out.push_str(escaped);
        plain = i + 1;
    }
    out.push_str(&s[plain..]);
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

    /// The ASCII path gives what the analyzer gives (words, forms and byte ranges).
    #[test]
    fn ascii_words_are_the_analyzers() {
        let long = "k".repeat(LONGEST_WORD);
        let texts = [
            String::new(),
            "Oleh-oleh KHAS Serang: Kopi 250gr".into(),
            "  --Keripik__Tempe!!Pedas 3x  ".into(),
            "a b\tc\nd~e`f".into(),
            format!("{long} kopi {}", &long[1..]),
            "UD.Berkah/CV Maju 100% (isi 12)".into(),
        ];
        // One list reused across the texts, as the marks reuse theirs (longer, then shorter).
        let mut reused = Vec::new();
        for text in texts.iter().chain(texts.iter().rev()) {
            assert!(text.is_ascii());
            let analyzer = words_with(&mut words_analyzer(), text);
            assert_eq!(words(text), analyzer, "{text:?}");
            let n = words_into(text, &mut reused);
            assert_eq!(reused[..n], analyzer, "{text:?}, reused");
        }
        assert_eq!(words("Café Kopi"), words_with(&mut words_analyzer(), "Café Kopi"));
        let n = words_into("Café Kopi", &mut reused);
        assert_eq!(reused[..n], words("Café Kopi"));
    }

    #[test]
    fn html_is_escaped_and_the_rest_copied() {
        assert_eq!(
            escape_html("Kopi & \"Teh\" <Asli> 'Serang' é"),
            "Kopi &amp; &quot;Teh&quot; &lt;Asli&gt; &#39;Serang&#39; é"
        );
        assert_eq!(escape_html("&&"), "&amp;&amp;");
        assert_eq!(escape_html(""), "");
    }
}
