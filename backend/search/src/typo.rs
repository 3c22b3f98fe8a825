//! Owns typo counting as Meilisearch does it, so the embedded engine forgives the same
//! mistakes: a word may have 1 typo from `oneTypo` characters and 2 from `twoTypos`; a typo is
//! an insertion, deletion, substitution or swap of neighbours (restricted Damerau-Levenshtein);
//! a typo on the first letter counts as two; the last query word may also match the start of
//! a longer word (prefix search).

use crate::settings::TypoTolerance;

/// Typos allowed for query word `word` (0 for code words and `disableOnWords`).
pub fn allowed_typos(word: &str, typo: &TypoTolerance) -> u8 {
    let len = word.chars().count();
    let sizes = typo.min_word_size_for_typos;
    let exact = !typo.enabled || crate::text::is_code(word);
    if exact || typo.disable_on_words.iter().any(|w| w == word) || len < usize::from(sizes.one_typo)
    {
        0
    } else if len < usize::from(sizes.two_typos) {
        1
    } else {
        2
    }
}

/// Typos between query word `query` and indexed word `term`, when at most `max`. With
/// `prefix`, `query` may match the beginning of `term`.
pub fn typos(query: &[char], term: &[char], max: u8, prefix: bool) -> Option<u8> {
    if !within_reach(query.len(), term.len(), max, prefix) {
        return None;
    }
    let (q0, t0) = (query.first()?, term.first()?);
    if q0 == t0 {
        let d = distance(&query[1..], &term[1..], prefix, usize::from(max));
        return (d <= usize::from(max)).then_some(d as u8);
    }
    // A wrong first letter counts as two typos.
    (max >= 2 && distance(query, term, prefix, 1) <= 1).then_some(2)
}

/// Whether a term of `term_len` characters can be within `max` typos of a query word of
/// `query_len` (of the term's beginning, with `prefix`): each missing or extra character is a
/// typo. A check on lengths alone, before any distance is computed.
pub fn within_reach(query_len: usize, term_len: usize, max: u8, prefix: bool) -> bool {
    let max = usize::from(max);
    term_len + max >= query_len && (prefix || term_len <= query_len + max)
}

/// Rows of `distance` kept on the stack: a term of up to this many characters, less one.
const STACK_ROW: usize = 48;

/// Restricted Damerau-Levenshtein distance from `a` to `b` (or to the closest prefix of `b`),
/// or `max + 1` once it is known to exceed `max`. Keeps three rows of the table (a swap looks
/// two rows back), on the stack for the words of names and queries: this runs for every word
/// of every hit's name when marks are made, and most of those words are far from every query
/// word, which a row tells: a cell comes from its row's cell before (+1), the row before
/// (+0 or +1) or, for a swap, from the cell two rows and two columns back (+1), which is at
/// least the cell between them (one substitution more at most), so no row's least cell is
/// below the row before's: once a row's cells all exceed `max`, the distance does.
fn distance(a: &[char], b: &[char], prefix: bool, max: usize) -> usize {
    let (n, m) = (a.len(), b.len());
    let w = m + 1;
    let mut stack = [0usize; 3 * STACK_ROW];
    let mut heap = Vec::new();
    let rows: &mut [usize] = if w <= STACK_ROW {
        &mut stack[..3 * w]
    } else {
        heap.resize(3 * w, 0);
        &mut heap
    };
    // Row i lives at (i % 3) * w; row 0 is the distance from nothing.
    for (j, cell) in rows[..w].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        let (cur, up, up2) = ((i % 3) * w, ((i - 1) % 3) * w, ((i + 1) % 3) * w);
        rows[cur] = i;
        let mut low = i;
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[up + j] + 1).min(rows[cur + j - 1] + 1).min(rows[up + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[up2 + j - 2] + 1);
            }
            rows[cur + j] = d;
            low = low.min(d);
        }
        if low > max {
            return max + 1;
        }
    }
    let last = &rows[(n % 3) * w..(n % 3) * w + w];
    let d = if prefix { last.iter().copied().min().unwrap_or(n) } else { last[m] };
    d.min(max + 1)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::settings::Settings;

    fn t(q: &str, w: &str, max: u8, prefix: bool) -> Option<u8> {
        let (q, w): (Vec<char>, Vec<char>) = (q.chars().collect(), w.chars().collect());
        typos(&q, &w, max, prefix)
    }

    #[test]
    fn counts_like_meilisearch() {
        assert_eq!(t("empng", "emping", 1, false), Some(1));
        assert_eq!(t("emping", "emping", 1, false), Some(0));
        assert_eq!(t("kripik", "keripik", 1, false), Some(1));
        assert_eq!(t("kopi", "kpoi", 1, false), Some(1), "a swap is one typo");
        assert_eq!(t("kopi", "topi", 1, false), None, "first letter counts double");
        assert_eq!(t("melinjoo", "belinjoo", 2, false), Some(2));
        assert_eq!(t("kop", "kopi", 0, true), Some(0));
        assert_eq!(t("robsta", "robusta", 1, true), Some(1));
    }

    /// The whole table, as `distance` was first written: the three kept rows give the same
    /// (up to `max`; past it, `max + 1`).
    fn table_distance(a: &[char], b: &[char], prefix: bool) -> usize {
        let (n, m) = (a.len(), b.len());
        let mut rows = vec![vec![0usize; m + 1]; n + 1];
        for (i, row) in rows.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in rows[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=n {
            for j in 1..=m {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut d =
                    (rows[i - 1][j] + 1).min(rows[i][j - 1] + 1).min(rows[i - 1][j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    d = d.min(rows[i - 2][j - 2] + 1);
                }
                rows[i][j] = d;
            }
        }
        if prefix { rows[n].iter().copied().min().unwrap_or(n) } else { rows[n][m] }
    }

    #[test]
    fn three_rows_give_what_the_whole_table_gives() {
        let long = "a".repeat(STACK_ROW + 5) + "kopi";
        let words = [
            "", "k", "ko", "kopi", "kpoi", "okpi", "kopii", "topi", "emping", "empng", "keripik",
            "kripik", "melinjo", "belinjoo", "robusta", "robsta", "é", "kopì", "kpoiokpi",
            "abcdef", "badcfe", "xkopi", &long,
        ];
        let chars: Vec<Vec<char>> = words.iter().map(|w| w.chars().collect()).collect();
        for a in &chars {
            for b in &chars {
                for (prefix, max) in
                    [false, true].into_iter().flat_map(|p| (0..4).map(move |m| (p, m)))
                {
                    let want = table_distance(a, b, prefix).min(max + 1);
                    let got = distance(a, b, prefix, max);
                    assert_eq!(got, want, "{a:?} → {b:?}, prefix {prefix}, max {max}");
                }
            }
        }
    }

    /// The same over 20,000 pairs of words of a three-letter alphabet (so that near misses,
    /// swaps and early stops all happen), a fixed seed.
    #[test]
    fn stopping_early_gives_what_the_whole_table_gives() {
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut word = || {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let len = (seed >> 60) as usize % 10;
            (0..len)
                .map(|k| ['a', 'b', 'c'][(seed >> (3 * k + 20)) as usize % 3])
                .collect::<Vec<_>>()
        };
        for _ in 0..20_000 {
            let (a, b) = (word(), word());
            for (prefix, max) in [false, true].into_iter().flat_map(|p| (0..4).map(move |m| (p, m)))
            {
                let want = table_distance(&a, &b, prefix).min(max + 1);
                assert_eq!(distance(&a, &b, prefix, max), want, "{a:?} → {b:?}, {prefix}, {max}");
            }
        }
    }

    #[test]
    fn word_length_sets_the_budget() {
        let typo = Settings::products().unwrap().typo_tolerance;
        assert_eq!(allowed_typos("teh", &typo), 0);
        assert_eq!(allowed_typos("kopi", &typo), 1);
        assert_eq!(allowed_typos("keripiks", &typo), 2);
        assert_eq!(allowed_typos("8991234567891", &typo), 0);
    }
}
