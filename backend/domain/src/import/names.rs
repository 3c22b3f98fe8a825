//! Forgiving matching of names typed in the Dinas' spreadsheets to the reference lists
//! (kelurahan, categories, code enums): "Cipocok", "cipocok jaya", "Kel. Banjarsari",
//! "36.73.06.1001", "Makanan Ringan", "Menengah-Rendah" all find their entry. Order of trust: a
//! code, then the name written differently (case, punctuation, "Kel."/"Kec." prefixes), then a
//! unique name that starts with what was typed, then a unique name within a typo or two. Several
//! equally good candidates are never guessed between: the row asks for a clearer name.

/// How a typed name was matched; shown in the import preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchKind {
    /// The code itself.
    Code,
    /// The name, written differently (case, spaces, punctuation, prefixes).
    Exact,
    /// The only name starting with what was typed.
    Prefix,
    /// The only name within a typo or two.
    Typo,
}

/// Why nothing was matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoMatch {
    /// Nothing close; the nearest names, best first.
    NotFound { suggestions: Vec<String> },
    /// More than one equally good candidate.
    Ambiguous { candidates: Vec<String> },
}

const PREFIXES: [&str; 6] = ["kelurahan", "kel", "desa", "ds", "kecamatan", "kec"];

/// Lower case, punctuation to spaces, single spaces, administrative prefixes dropped.
pub fn normalize(s: &str) -> String {
    let cleaned = words(s);
    let mut words: Vec<&str> = cleaned.split(' ').collect();
    while words.len() > 1 && PREFIXES.contains(&words[0]) {
        words.remove(0);
    }
    words.join(" ")
}

/// Lower case, punctuation to spaces, single spaces (column headers: `kelurahan_code` must not
/// lose its first word and become `code`).
pub fn words(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| if c.is_alphanumeric() { c.to_lowercase().next().unwrap_or(c) } else { ' ' })
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Edit distance (insertions, deletions, substitutions), on characters.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Typos allowed for a name of this length: none below 4 characters, one up to 8, else two.
fn typo_budget(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=8 => 1,
        _ => 2,
    }
}

/// A reference list prepared for matching: each entry's code, the name shown and the
/// spellings accepted, normalized once.
#[derive(Debug, Clone)]
pub struct Matcher {
    codes: Vec<String>,
    labels: Vec<String>,
    names: Vec<Vec<String>>,
}

impl Matcher {
    /// Entries as (code, shown name, other accepted names).
    pub fn new<'a>(entries: impl IntoIterator<Item = (&'a str, String, Vec<String>)>) -> Matcher {
        let mut m = Matcher { codes: vec![], labels: vec![], names: vec![] };
        for (code, label, more) in entries {
            let mut names = vec![normalize(&label)];
            names.extend(more.iter().map(|n| normalize(n)));
            m.codes.push(code.to_string());
            m.labels.push(label);
            m.names.push(names);
        }
        m
    }

    /// The shown name of entry `i`.
    pub fn label(&self, i: usize) -> &str {
        &self.labels[i]
    }

    /// Finds `input`: the entry's index and how it matched.
    pub fn find(&self, input: &str) -> Result<(usize, MatchKind), NoMatch> {
        self.find_among(input, |_| true)
    }

    /// As [`find`](Self::find), among the entries `keep` accepts.
    pub fn find_among(
        &self,
        input: &str,
        keep: impl Fn(usize) -> bool,
    ) -> Result<(usize, MatchKind), NoMatch> {
        let raw = input.trim();
        let all: Vec<usize> = (0..self.codes.len()).filter(|i| keep(*i)).collect();
        if let Some(i) = all.iter().find(|i| self.codes[**i].eq_ignore_ascii_case(raw)) {
            return Ok((*i, MatchKind::Code));
        }
        let want = normalize(raw);
        if want.is_empty() {
            return Err(NoMatch::NotFound { suggestions: vec![] });
        }
        let pick = |hits: Vec<usize>, kind| match hits.as_slice() {
            [one] => Some(Ok((*one, kind))),
            [] => None,
            many => Some(Err(NoMatch::Ambiguous {
                candidates: many.iter().map(|i| self.labels[*i].clone()).collect(),
            })),
        };
        let hits = |f: &dyn Fn(&str) -> bool| -> Vec<usize> {
            all.iter().copied().filter(|i| self.names[*i].iter().any(|n| f(n))).collect()
        };
        if let Some(r) = pick(hits(&|n| n == want), MatchKind::Exact) {
            return r;
        }
        let prefix = format!("{want} ");
        if let Some(r) = pick(hits(&|n| n.starts_with(&prefix)), MatchKind::Prefix) {
            return r;
        }
        let mut scored: Vec<(usize, usize)> = all
            .iter()
            .map(|i| {
                (self.names[*i].iter().map(|n| distance(&want, n)).min().unwrap_or(usize::MAX), *i)
            })
            .collect();
        scored.sort();
        let best = scored.first().map_or(usize::MAX, |s| s.0);
        if best <= typo_budget(want.chars().count()) {
            let tied: Vec<usize> = scored.iter().filter(|s| s.0 == best).map(|s| s.1).collect();
            if let Some(r) = pick(tied, MatchKind::Typo) {
                return r;
            }
        }
        let suggestions = scored.iter().take(3).map(|s| self.labels[s.1].clone()).collect();
        Err(NoMatch::NotFound { suggestions })
    }
}

/// The Indonesian message for a failed match of `what` (e.g. "kelurahan").
pub fn no_match_message(what: &str, input: &str, e: &NoMatch) -> String {
    match e {
        NoMatch::NotFound { suggestions } if suggestions.is_empty() => {
            format!("{what} \"{}\" tidak dikenal.", input.trim())
        }
        NoMatch::NotFound { suggestions } => format!(
            "{what} \"{}\" tidak dikenal. Mungkin maksudnya: {}.",
            input.trim(),
            suggestions.join(", ")
        ),
        NoMatch::Ambiguous { candidates } => format!(
            "{what} \"{}\" bisa berarti {}: tulis lebih lengkap atau pakai kodenya.",
            input.trim(),
            candidates.join(" atau ")
        ),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn matcher() -> Matcher {
        Matcher::new([
            ("36.73.06.1001", "Cipocok Jaya".to_string(), vec![]),
            ("36.73.06.1002", "Banjarsari".to_string(), vec![]),
            ("36.73.01.1003", "Sukawana".to_string(), vec![]),
            ("36.73.05.1004", "Sukawana".to_string(), vec![]),
            ("36.73.02.1005", "Kaligandu".to_string(), vec!["Kali Gandu".to_string()]),
        ])
    }

    fn f(input: &str) -> Result<(&'static str, MatchKind), NoMatch> {
        const CODES: [&str; 5] =
            ["36.73.06.1001", "36.73.06.1002", "36.73.01.1003", "36.73.05.1004", "36.73.02.1005"];
        matcher().find(input).map(|(i, k)| (CODES[i], k))
    }

    #[test]
    fn codes_names_prefixes_and_typos_are_found() {
        assert_eq!(f("36.73.06.1002").unwrap(), ("36.73.06.1002", MatchKind::Code));
        assert_eq!(f("  cipocok JAYA ").unwrap(), ("36.73.06.1001", MatchKind::Exact));
        assert_eq!(f("Kel. Banjarsari").unwrap(), ("36.73.06.1002", MatchKind::Exact));
        assert_eq!(f("Cipocok").unwrap(), ("36.73.06.1001", MatchKind::Prefix));
        assert_eq!(f("Banjarsary").unwrap(), ("36.73.06.1002", MatchKind::Typo));
        assert_eq!(f("Kaligendu").unwrap(), ("36.73.02.1005", MatchKind::Typo));
    }

    #[test]
    fn ambiguous_and_unknown_names_are_not_guessed() {
        assert!(
            matches!(f("Sukawana"), Err(NoMatch::Ambiguous { candidates }) if candidates.len() == 2)
        );
        match f("Kasemen Raya") {
            Err(NoMatch::NotFound { suggestions }) => assert_eq!(suggestions.len(), 3),
            other => panic!("{other:?}"),
        }
        // Short words get no typo allowance: "Bnj" is not Banjarsari.
        assert!(f("Bnj").is_err());
        assert!(f("").is_err());
        let m = matcher();
        assert_eq!(m.find_among("Sukawana", |i| i == 3).unwrap(), (3, MatchKind::Exact));
        assert_eq!(f("kali gandu").unwrap(), ("36.73.02.1005", MatchKind::Exact));
    }

    #[test]
    fn normalize_and_distance() {
        assert_eq!(normalize("Kec.  Cipocok-Jaya"), "cipocok jaya");
        assert_eq!(normalize("Kelurahan"), "kelurahan", "a lone prefix stays");
        assert_eq!(distance("kaligandu", "kaligendu"), 1);
        assert_eq!(distance("", "abc"), 3);
    }
}
