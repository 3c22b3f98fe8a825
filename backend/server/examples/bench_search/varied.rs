//! A varied mix for bench-search: thousands of distinct searches in a shuffled order (single
//! words, word pairs, prefixes as typed, words with one typo, some with a filter), made from the
//! generated catalogue's own words. The round-robin mix repeats 16 searches, so after one round
//! every search it sends has been answered before; in this one a 10 s run at 16 clients sends
//! each search once or twice at 100k products, at most once at 1M. Words still repeat (the catalogue has a few hundred), as they do in
//! a real stream of searches.

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use std::collections::BTreeSet;

/// The catalogue's words of at least 3 letters (names, variants, descriptions), lowercased.
fn vocabulary(templates: &[serde_json::Value]) -> Vec<String> {
    let mut words = BTreeSet::new();
    for t in templates {
        let variants = t["variants"].as_array().cloned().unwrap_or_default();
        let texts = [&t["name"], &t["description"]].into_iter().chain(variants.iter());
        for text in texts.filter_map(|v| v.as_str()) {
            for w in text.split(|c: char| !c.is_ascii_alphabetic()) {
                if w.len() >= 3 {
                    words.insert(w.to_ascii_lowercase());
                }
            }
        }
    }
    words.into_iter().collect()
}

/// `word` with one letter replaced, dropped or doubled (a typo within Meilisearch's rules when
/// the word has 5+ letters).
fn typo(word: &str, rng: &mut StdRng) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    let i = rng.gen_range(1..chars.len());
    match rng.gen_range(0..3) {
        0 => chars[i] = (b'a' + rng.gen_range(0..26u8)) as char,
        1 => {
            chars.remove(i);
        }
        _ => chars.insert(i, chars[i]),
    }
    chars.into_iter().collect()
}

/// `count` distinct query strings (as in the API's URL), shuffled.
pub(super) fn queries(templates: &[serde_json::Value], count: usize) -> Vec<String> {
    let words = vocabulary(templates);
    let mut rng = StdRng::seed_from_u64(74);
    let filters = ["", "", "", "&halal=true", "&category=makanan-ringan", "&price_max=50000"];
    let mut out = BTreeSet::new();
    while out.len() < count && !words.is_empty() {
        let Some(w) = words.choose(&mut rng) else { break };
        let text = match rng.gen_range(0..4) {
            0 => w.clone(),
            1 => format!("{w}%20{}", words.choose(&mut rng).unwrap_or(w)),
            2 => w[..rng.gen_range(3..=w.len())].to_string(),
            _ => typo(w, &mut rng),
        };
        let filter = filters.choose(&mut rng).copied().unwrap_or_default();
        out.insert(format!("q={text}{filter}"));
    }
    let mut out: Vec<String> = out.into_iter().collect();
    out.shuffle(&mut rng);
    out
}
