//! Owns a small JSON scanner for Meilisearch's answer, for the API's copy of each hit
//! (`super::answer`): it walks objects and arrays and gives each value's text as written,
//! without building anything. Strings, most of an answer's bytes (the descriptions), are
//! searched for their closing quote eight bytes at a time in a register, then with `memchr`
//! (`skip::quote_or_backslash`); serde skipping the same answer a byte at a time was about 45%
//! of the API's own instructions per search.
//!
//! It checks the grammar it walks: brackets, commas and colons, every literal and number
//! (JSON's exact number syntax), the escapes in strings, and nesting up to `MAX_DEPTH`; the
//! text is `&str`, so already UTF-8. A string's characters are not checked for raw control
//! characters (Meilisearch writes JSON with serde, which escapes them). Escapes are not decoded:
//! what needs a string's value reads it with serde (`unescaped`).

mod skip;

use skip::{ARRAY_NEXT, COLON, KEY, OBJECT_NEXT, Stop, TRAILING, VALUE, blank, skip, string_end};
use std::borrow::Cow;

/// Deepest nesting of objects and arrays read (an answer is three deep, a document two).
const MAX_DEPTH: usize = 32;

/// The first bytes of a string searched for its end without a call (`quote_or_backslash`).
const SHORT: usize = 32;

/// Why an answer does not read, and where.
#[derive(Debug, PartialEq, thiserror::Error)]
#[error("{what} (bait ke-{at})")]
pub(crate) struct ScanError {
    pub(crate) what: String,
    pub(crate) at: usize,
}

pub(crate) type Scanned<T> = std::result::Result<T, ScanError>;

/// A position in a JSON text.
pub(crate) struct Scan<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Scan<'a> {
    pub(crate) fn new(text: &'a str) -> Scan<'a> {
        Scan { text, at: 0 }
    }

    /// An error at the current position.
    pub(crate) fn error(&self, what: impl Into<String>) -> ScanError {
        ScanError { what: what.into(), at: self.at }
    }

    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    /// The next byte after white space, not taken.
    fn peek(&mut self) -> Option<u8> {
        self.at = blank(self.bytes(), self.at);
        self.bytes().get(self.at).copied()
    }

    fn take(&mut self, byte: u8, what: u8) -> Scanned<()> {
        if self.peek() != Some(byte) {
            return Err(Stop(self.at, what).into());
        }
        self.at += 1;
        Ok(())
    }

    /// Nothing but white space is left.
    pub(crate) fn end(&mut self) -> Scanned<()> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(Stop(self.at, TRAILING).into()),
        }
    }

    /// The next value's text (after white space), skipped over.
    pub(crate) fn value(&mut self) -> Scanned<&'a str> {
        let start = blank(self.bytes(), self.at);
        self.at = skip(self.bytes(), start, 0)?;
        Ok(&self.text[start..self.at])
    }

    /// Walks the object at the current position: `each(scan, key)` for each key (as written,
    /// without its quotes), which must read the key's value.
    pub(crate) fn object(
        &mut self,
        mut each: impl FnMut(&mut Self, &'a str) -> Scanned<()>,
    ) -> Scanned<()> {
        self.take(b'{', VALUE)?;
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(());
        }
        loop {
            if self.peek() != Some(b'"') {
                return Err(Stop(self.at, KEY).into());
            }
            let start = self.at + 1;
            self.at = string_end(self.bytes(), self.at)?;
            let key = &self.text[start..self.at - 1];
            self.take(b':', COLON)?;
            each(self, key)?;
            if self.closed(b'}', OBJECT_NEXT)? {
                return Ok(());
            }
        }
    }

    /// Walks the array at the current position: `each(scan)` for each element, which must read
    /// it.
    pub(crate) fn array(&mut self, mut each: impl FnMut(&mut Self) -> Scanned<()>) -> Scanned<()> {
        self.take(b'[', VALUE)?;
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(());
        }
        loop {
            each(self)?;
            if self.closed(b']', ARRAY_NEXT)? {
                return Ok(());
            }
        }
    }

    /// After an object's member or an array's element: a comma (more follow) or `close`
    /// (`true`: the object or array has ended), taken; anything else is the error `what`.
    fn closed(&mut self, close: u8, what: u8) -> Scanned<bool> {
        match self.peek() {
            Some(b',') => {
                self.at += 1;
                Ok(false)
            }
            Some(b) if b == close => {
                self.at += 1;
                Ok(true)
            }
            _ => Err(Stop(self.at, what).into()),
        }
    }

    /// Walks the object at the current position as a record of `names`: each one's value as
    /// written goes in `out` at its position; other keys are skipped. Keys are tried in
    /// `names`' order first (as they are written). A name given twice is an error. The
    /// object's whole text comes back when it holds nothing but `names`, in their order, each
    /// key written plainly: then it is the record as it would be written from `out`.
    pub(crate) fn fields(
        &mut self,
        names: &[&str],
        out: &mut [Option<&'a [u8]>],
    ) -> Scanned<Option<&'a [u8]>> {
        let (text, b) = (self.text, self.bytes());
        let open = blank(b, self.at);
        if b.get(open) != Some(&b'{') {
            return Err(Stop(open, VALUE).into());
        }
        let mut i = blank(b, open + 1);
        let (mut next, mut plain) = (0, true);
        if b.get(i) == Some(&b'}') {
            self.at = i + 1;
            return Ok(Some(&b[open..self.at]));
        }
        loop {
            if b.get(i) != Some(&b'"') {
                return Err(Stop(i, KEY).into());
            }
            // The expected key or one of those after it (the others left out): its text, then
            // a quote; else the key read whole, and looked for among all of `names`.
            let known = match names[next..].iter().position(|n| key_at(b, i, n)) {
                Some(k) => {
                    i += names[next + k].len() + 2;
                    Some(next + k)
                }
                None => {
                    let end = string_end(b, i)?;
                    let key = unescaped(&text[i + 1..end - 1]);
                    i = end;
                    plain = false;
                    key.and_then(|k| names.iter().position(|n| *n == k))
                }
            };
            i = blank(b, i);
            if b.get(i) != Some(&b':') {
                return Err(Stop(i, COLON).into());
            }
            let start = blank(b, i + 1);
            i = match b.get(start) {
                Some(b'"') => string_end(b, start)?,
                _ => skip(b, start, 1)?,
            };
            if let Some(k) = known {
                if out[k].is_some() {
                    self.at = start;
                    return Err(self.error(format!("duplicate field `{}`", names[k])));
                }
                out[k] = Some(&b[start..i]);
                next = k + 1;
            }
            i = blank(b, i);
            match b.get(i) {
                Some(b',') => i = blank(b, i + 1),
                Some(b'}') => {
                    self.at = i + 1;
                    return Ok(plain.then(|| &b[open..self.at]));
                }
                _ => return Err(Stop(i, OBJECT_NEXT).into()),
            }
        }
    }

    /// The next value read with serde (`what` names it in an error).
    pub(crate) fn read<T: serde::Deserialize<'a>>(&mut self, what: &str) -> Scanned<T> {
        self.peek();
        let at = self.at;
        let text = self.value()?;
        serde_json::from_str(text).map_err(|e| ScanError { what: format!("{what}: {e}"), at })
    }
}

/// Whether the key at `i` (its opening quote) is `name` as written, without escapes.
fn key_at(b: &[u8], i: usize, name: &str) -> bool {
    let end = i + 1 + name.len();
    match b.get(i + 1..=end) {
        Some(key) => key[name.len()] == b'"' && same(&key[..name.len()], name.as_bytes()),
        None => false,
    }
}

/// `a == b` for two slices of the same length, eight bytes at a time (the last eight
/// overlapping), without a call: keys are short, and compared for every field of every hit.
fn same(a: &[u8], b: &[u8]) -> bool {
    let word = |s: &[u8], at: usize| {
        let mut w = [0; 8];
        w.copy_from_slice(&s[at..at + 8]);
        u64::from_le_bytes(w)
    };
    let n = a.len();
    if n < 8 || b.len() != n {
        return a == b;
    }
    let mut at = 0;
    while at + 8 < n {
        if word(a, at) != word(b, at) {
            return false;
        }
        at += 8;
    }
    word(a, n - 8) == word(b, n - 8)
}

/// A key or string as written (without quotes), its escapes decoded.
pub(crate) fn unescaped(raw: &str) -> Option<Cow<'_, str>> {
    if !raw.contains('\\') {
        return Some(Cow::Borrowed(raw));
    }
    serde_json::from_str::<String>(&format!("\"{raw}\"")).ok().map(Cow::Owned)
}

#[cfg(test)]
#[path = "scan_tests.rs"]
mod tests;
