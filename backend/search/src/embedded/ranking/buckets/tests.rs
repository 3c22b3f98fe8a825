//! The bucket ranking of text matches against walking every match.
#![allow(clippy::unwrap_used)]
use super::super::tests::varied_segment;
use super::super::{Ranked, rank};
use super::*;

/// Each doc of `segs` kept by `k`, with a relevance from a xorshift (`seed`): one or two
/// words, up to two typos, eight attributes, and exactness.
fn relevances(
    segs: &[Arc<SegmentColumns>],
    k: fn(u32) -> bool,
    seed: u64,
) -> Vec<Vec<(DocId, Relevance)>> {
    let mut s = seed;
    let mut next = move |n: u64| {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s % n) as u16
    };
    segs.iter()
        .map(|c| {
            (0..c.rows.len() as u32)
                .filter(|d| k(*d))
                .map(|d| {
                    let words = 1 + next(2);
                    let rel = Relevance {
                        words,
                        typos: next(3),
                        attribute: next(8),
                        exact: next(u64::from(words) + 1),
                    };
                    (d, rel)
                })
                .collect()
        })
        .collect()
}

#[test]
fn text_matches_rank_by_buckets_as_walking_every_match() {
    let segs = vec![Arc::new(varied_segment(5_000)), Arc::new(varied_segment(700))];
    let sorts = [SortBy::Relevance, SortBy::PriceAsc, SortBy::PriceDesc, SortBy::Newest];
    // Every doc (the sorted docs walked), a third, a few (ordered directly), none.
    let subsets: [fn(u32) -> bool; 4] = [|_| true, |d| d % 3 == 0, |d| d % 97 == 5, |_| false];
    // The products' rules (the sort first), relevance before the sort, and one without the
    // typo rule (relevances that differ only in typos are one bucket).
    let rule_sets: [&[&str]; 3] = [
        &["sort", "words", "typo", "attributeRank", "id:asc"],
        &["words", "typo", "attributeRank", "exactness", "sort", "id:asc"],
        &["words", "attributeRank", "exactness", "sort", "id:asc"],
    ];
    let mut checked = 0;
    for rules in rule_sets {
        let mut settings = Settings::products().unwrap();
        settings.ranking_rules = rules.iter().map(|r| r.to_string()).collect();
        for (i, k) in subsets.iter().enumerate() {
            let docs = relevances(&segs, *k, 11 + i as u64);
            for sort in sorts {
                for keep in [0, 1, 20, 1_000, 10_000] {
                    let q = SearchQuery { sort, near: Some((-6.11, 106.17)), ..Default::default() };
                    let want = rank(&segs, &docs, &q, &settings, keep).unwrap();
                    let Some(got) = rank_text(&segs, &docs, &q, &settings, keep) else {
                        panic!("{rules:?} {sort:?}: not ranked by buckets");
                    };
                    let ids = |r: &Ranked| r.top.iter().map(|c| (c.id, c.addr)).collect::<Vec<_>>();
                    assert_eq!(
                        ids(&got),
                        ids(&want),
                        "{rules:?} {sort:?}, subset {i}, keep {keep}"
                    );
                    assert_eq!(got.count, want.count);
                    assert_eq!(format!("{:?}", got.facets), format!("{:?}", want.facets));
                    checked += usize::from(!want.top.is_empty());
                }
            }
        }
    }
    assert!(checked > 100, "{checked}");
}

#[test]
fn rules_neither_relevance_nor_sort_first_are_left_to_the_walk() {
    let segs = vec![Arc::new(varied_segment(100))];
    let docs = relevances(&segs, |_| true, 3);
    let mut settings = Settings::products().unwrap();
    // The id before a relevance rule; the sort between relevance rules.
    for rules in [["words", "id:asc", "typo"], ["words", "sort", "typo"]] {
        settings.ranking_rules = rules.iter().map(|r| r.to_string()).collect();
        let q = SearchQuery { sort: SortBy::PriceAsc, ..Default::default() };
        assert!(rank_text(&segs, &docs, &q, &settings, 20).is_none(), "{rules:?}");
    }
    // Without a sort the sort rule is no rule: relevance comes first.
    let q = SearchQuery::default();
    assert!(rank_text(&segs, &docs, &q, &settings, 20).is_some());
}
