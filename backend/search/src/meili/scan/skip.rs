//! The scanner's walk over one JSON value (`super::Scan`): where each value ends, checking its
//! grammar on the way, with errors as small `Stop`s that become `ScanError`s at the edge.

use super::{MAX_DEPTH, SHORT, ScanError};
use memchr::memchr2;

/// What went wrong (`WHAT`'s index) and where: small, so that it comes back in registers.
#[derive(Clone, Copy)]
pub(super) struct Stop(pub(super) usize, pub(super) u8);

pub(super) const WHAT: [&str; 9] = [
    "nilai diharapkan",
    "string tanpa tanda kutip penutup",
    "escape tidak sah dalam string",
    "nilai JSON tidak sah",
    "kunci objek diharapkan",
    "':' diharapkan",
    "',' atau '}' diharapkan",
    "',' atau ']' diharapkan",
    "teks lain setelah nilai JSON",
];
pub(super) const VALUE: u8 = 0;
pub(super) const UNCLOSED: u8 = 1;
pub(super) const ESCAPE: u8 = 2;
pub(super) const INVALID: u8 = 3;
pub(super) const KEY: u8 = 4;
pub(super) const COLON: u8 = 5;
pub(super) const OBJECT_NEXT: u8 = 6;
pub(super) const ARRAY_NEXT: u8 = 7;
pub(super) const TRAILING: u8 = 8;
pub(super) const DEEP: u8 = 9;

impl From<Stop> for ScanError {
    fn from(Stop(at, what): Stop) -> ScanError {
        let what = match WHAT.get(usize::from(what)) {
            Some(w) => (*w).to_string(),
            None => format!("bersarang lebih dari {MAX_DEPTH} tingkat"),
        };
        ScanError { what, at }
    }
}

pub(super) type Step = std::result::Result<usize, Stop>;

/// The index of the first byte at or after `i` that is not white space.
pub(super) fn blank(b: &[u8], mut i: usize) -> usize {
    while let Some(b' ' | b'\n' | b'\r' | b'\t') = b.get(i) {
        i += 1;
    }
    i
}

/// Where the value at `i` ends (the index after it); `depth`: the objects and arrays around it.
pub(super) fn skip(b: &[u8], i: usize, depth: usize) -> Step {
    match b.get(i) {
        Some(b'"') => string_end(b, i),
        Some(b'{' | b'[') if depth == MAX_DEPTH => Err(Stop(i, DEEP)),
        Some(b'{') => object_end(b, i, depth + 1),
        Some(b'[') => array_end(b, i, depth + 1),
        Some(b't') => literal(b, i, b"true"),
        Some(b'f') => literal(b, i, b"false"),
        Some(b'n') => literal(b, i, b"null"),
        Some(b'-' | b'0'..=b'9') => number_end(b, i),
        Some(_) => Err(Stop(i, INVALID)),
        None => Err(Stop(i, VALUE)),
    }
}

fn object_end(b: &[u8], i: usize, depth: usize) -> Step {
    let mut i = blank(b, i + 1);
    if b.get(i) == Some(&b'}') {
        return Ok(i + 1);
    }
    loop {
        if b.get(i) != Some(&b'"') {
            return Err(Stop(i, KEY));
        }
        i = blank(b, string_end(b, i)?);
        if b.get(i) != Some(&b':') {
            return Err(Stop(i, COLON));
        }
        i = blank(b, skip(b, blank(b, i + 1), depth)?);
        match b.get(i) {
            Some(b',') => i = blank(b, i + 1),
            Some(b'}') => return Ok(i + 1),
            _ => return Err(Stop(i, OBJECT_NEXT)),
        }
    }
}

fn array_end(b: &[u8], i: usize, depth: usize) -> Step {
    let mut i = blank(b, i + 1);
    if b.get(i) == Some(&b']') {
        return Ok(i + 1);
    }
    loop {
        i = blank(b, skip(b, i, depth)?);
        match b.get(i) {
            Some(b',') => i = blank(b, i + 1),
            Some(b']') => return Ok(i + 1),
            _ => return Err(Stop(i, ARRAY_NEXT)),
        }
    }
}

/// Where the string at `i` (its opening quote) ends, after its closing quote.
pub(super) fn string_end(b: &[u8], i: usize) -> Step {
    let mut j = i + 1;
    loop {
        let Some(n) = quote_or_backslash(b, j) else {
            return Err(Stop(b.len(), UNCLOSED));
        };
        j = n;
        if b[j] == b'"' {
            return Ok(j + 1);
        }
        match b.get(j + 1) {
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => j += 2,
            Some(b'u') if b.get(j + 2..j + 6).is_some_and(is_hex4) => j += 6,
            _ => return Err(Stop(j, ESCAPE)),
        }
    }
}

/// The index of the first `"` or `\` at or after `j`: the first `SHORT` bytes eight at a time
/// in a register (no call: most strings are keys and codes), then `memchr` (SIMD).
fn quote_or_backslash(b: &[u8], mut j: usize) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    const QUOTES: u64 = u64::from_ne_bytes([b'"'; 8]);
    const BACKSLASHES: u64 = u64::from_ne_bytes([b'\\'; 8]);
    let short_end = b.len().min(j + SHORT);
    while let Some(chunk) = b.get(j..j + 8).filter(|_| j + 8 <= short_end) {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        let (q, s) = (x ^ QUOTES, x ^ BACKSLASHES);
        // A byte of `q` or `s` is zero where `x` has a quote or backslash; the lowest flagged
        // byte is always a real one.
        let found = (q.wrapping_sub(ONES) & !q | s.wrapping_sub(ONES) & !s) & HIGHS;
        if found != 0 {
            return Some(j + found.trailing_zeros() as usize / 8);
        }
        j += 8;
    }
    while j < short_end {
        if matches!(b[j], b'"' | b'\\') {
            return Some(j);
        }
        j += 1;
    }
    memchr2(b'"', b'\\', b.get(j..)?).map(|n| j + n)
}

/// Where the literal `word` at `i` ends.
fn literal(b: &[u8], i: usize, word: &[u8]) -> Step {
    let end = i + word.len();
    match b.get(i..end) {
        Some(w) if w == word && !b.get(end).is_some_and(u8::is_ascii_alphanumeric) => Ok(end),
        _ => Err(Stop(i, INVALID)),
    }
}

/// Where the number at `i` ends: JSON's `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`,
/// not followed by anything that could continue a token.
fn number_end(b: &[u8], i: usize) -> Step {
    let digits = |from: usize| from + b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let invalid = Err(Stop(i, INVALID));
    let mut j = i + usize::from(b[i] == b'-');
    match b.get(j) {
        Some(b'0') => j += 1,
        Some(b'1'..=b'9') => j = digits(j),
        _ => return invalid,
    }
    if b.get(j) == Some(&b'.') {
        let end = digits(j + 1);
        if end == j + 1 {
            return invalid;
        }
        j = end;
    }
    if let Some(b'e' | b'E') = b.get(j) {
        j += 1;
        if let Some(b'+' | b'-') = b.get(j) {
            j += 1;
        }
        let end = digits(j);
        if end == j {
            return invalid;
        }
        j = end;
    }
    match b.get(j) {
        Some(c) if c.is_ascii_alphanumeric() || matches!(c, b'.' | b'+' | b'-') => invalid,
        _ => Ok(j),
    }
}

fn is_hex4(b: &[u8]) -> bool {
    b.iter().all(u8::is_ascii_hexdigit)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Eight bytes at a time finds what a byte-by-byte search finds, wherever the quote or
    /// backslash falls (within or past the first `SHORT` bytes, across multi-byte characters).
    #[test]
    fn the_register_search_finds_the_first_quote_or_backslash() {
        let filler = ["a", "é", "🌶", "\u{7f}", "\u{a2}", "\u{5c5c}"];
        for len in 0..(SHORT + 20) {
            for fill in filler {
                for mark in ["\"", "\\", ""] {
                    let text = format!("\"{}{mark}xyz\"", fill.repeat(len));
                    let b = text.as_bytes();
                    let naive = (1..b.len()).find(|&j| matches!(b[j], b'"' | b'\\'));
                    assert_eq!(quote_or_backslash(b, 1), naive, "{text:?}");
                }
            }
        }
        assert_eq!(quote_or_backslash(b"abc", 3), None);
        assert_eq!(quote_or_backslash(b"abc", 9), None);
    }
}
