//! Pendampingan (Perwal 74/2023 Pasal 3(2)–(4)): what a business the Dinas accompanies still
//! needs, in the order that unlocks most standards first. Each (product, standard in force)
//! pair fails some requirements; fixing a need removes it from every pair. Needs are ordered
//! greedily: first the one whose fixing makes the most pairs eligible (given the needs before
//! it are fixed), ties broken by how many pairs it blocks, then by name.

use std::collections::BTreeSet;

/// One thing still needed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Need {
    /// What to do, in Indonesian (the requirement's label).
    pub label: String,
    /// (product, standard) pairs that become eligible once this and the needs before it are done.
    pub unlocks: usize,
    /// Pairs that fail this requirement.
    pub blocks: usize,
}

/// `pairs`: for each (product, standard in force), the labels of the requirements it fails.
pub fn ordered_needs(pairs: &[Vec<String>]) -> Vec<Need> {
    let sets: Vec<BTreeSet<&str>> =
        pairs.iter().map(|p| p.iter().map(String::as_str).collect()).collect();
    let mut left: BTreeSet<&str> = sets.iter().flatten().copied().collect();
    let mut done: BTreeSet<&str> = BTreeSet::new();
    let mut out = Vec::new();
    while !left.is_empty() {
        let eligible_with = |extra: &str| {
            sets.iter()
                .filter(|s| !s.is_empty() && !s.is_subset(&done))
                .filter(|s| s.iter().all(|l| done.contains(l) || *l == extra))
                .count()
        };
        let blocks = |label: &str| sets.iter().filter(|s| s.contains(label)).count();
        let Some(best) = left.iter().copied().max_by(|a, b| {
            (eligible_with(a), blocks(a)).cmp(&(eligible_with(b), blocks(b))).then_with(|| b.cmp(a))
        }) else {
            break;
        };
        out.push(Need {
            label: best.to_string(),
            unlocks: eligible_with(best),
            blocks: blocks(best),
        });
        left.remove(best);
        done.insert(best);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(v: &[&[&str]]) -> Vec<Vec<String>> {
        v.iter().map(|p| p.iter().map(|s| s.to_string()).collect()).collect()
    }

    #[test]
    fn the_need_that_unlocks_most_standards_comes_first() {
        // Three standards: two miss only the photo, one misses halal and the photo.
        let n = ordered_needs(&pairs(&[&["Foto"], &["Foto"], &["Halal", "Foto"]]));
        assert_eq!(n[0], Need { label: "Foto".into(), unlocks: 2, blocks: 3 });
        assert_eq!(n[1], Need { label: "Halal".into(), unlocks: 1, blocks: 1 });
    }

    #[test]
    fn a_need_blocking_everything_comes_first_when_nothing_unlocks_alone() {
        let n = ordered_needs(&pairs(&[
            &["NIB", "P-IRT"],
            &["NIB", "Halal"],
            &["NIB", "P-IRT", "Halal"],
        ]));
        assert_eq!(n[0].label, "NIB", "blocks all three; nothing unlocks alone: {n:?}");
        assert_eq!(n[0].unlocks, 0);
        // With the NIB done, P-IRT and halal each unlock one; the tie goes to the name.
        assert_eq!((n[1].label.as_str(), n[1].unlocks), ("Halal", 1));
        assert_eq!((n[2].label.as_str(), n[2].unlocks), ("P-IRT", 2), "the last unlocks the rest");
    }

    #[test]
    fn eligible_pairs_need_nothing() {
        assert!(ordered_needs(&pairs(&[&[], &[]])).is_empty());
        assert!(ordered_needs(&[]).is_empty());
    }
}
