//! The order of the settings' ranking rules (and the query's sort) over candidates: missing
//! prices last as Meilisearch sorts them, ties ended on the product id.

use super::super::matching::Relevance;
use super::Candidate;
use crate::settings::Settings;
use etalase_domain::search::SortBy;
use std::cmp::Ordering;

/// Missing values last whatever the direction (as Meilisearch sorts).
fn missing_last<T: PartialOrd>(a: Option<T>, b: Option<T>, desc: bool) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => {
            let o = x.partial_cmp(&y).unwrap_or(Ordering::Equal);
            if desc { o.reverse() } else { o }
        }
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn by_sort(a: &Candidate, b: &Candidate, sort: SortBy) -> Ordering {
    match sort {
        SortBy::Relevance => Ordering::Equal,
        SortBy::Distance => a.geo_bucket.cmp(&b.geo_bucket),
        SortBy::PriceAsc => missing_last(a.price, b.price, false),
        SortBy::PriceDesc => missing_last(a.price, b.price, true),
        SortBy::Newest => b.published_at.cmp(&a.published_at),
    }
}

/// A ranking rule the engine applies.
#[derive(Clone, Copy)]
enum Rule {
    Words,
    Typo,
    Attribute,
    Exactness,
    Sort,
    /// `id:asc`.
    IdAsc,
}

/// The ranking rules of the settings and the query's sort, compiled.
pub(super) struct Order {
    rules: Vec<Rule>,
    sort: SortBy,
    /// The relevance rules in order, as indices in (words, typos, attribute, exact).
    relevance: Vec<usize>,
}

impl Order {
    pub(super) fn new(settings: &Settings, sort: SortBy) -> Order {
        let rules: Vec<Rule> = settings
            .ranking_rules
            .iter()
            .filter_map(|rule| match rule.as_str() {
                "words" => Some(Rule::Words),
                "typo" => Some(Rule::Typo),
                "attributeRank" => Some(Rule::Attribute),
                "exactness" => Some(Rule::Exactness),
                "sort" => Some(Rule::Sort),
                "id:asc" => Some(Rule::IdAsc),
                _ => None,
            })
            .collect();
        // A repeated rule orders nothing more (and would not fit the score).
        let mut relevance: Vec<usize> = Vec::new();
        for rule in &rules {
            let i = match rule {
                Rule::Words => 0,
                Rule::Typo => 1,
                Rule::Attribute => 2,
                Rule::Exactness => 3,
                Rule::Sort | Rule::IdAsc => continue,
            };
            if !relevance.contains(&i) {
                relevance.push(i);
            }
        }
        Order { rules, sort, relevance }
    }

    /// The order of the ranking rules, then by id (should the settings not end on `id:asc`).
    pub(super) fn cmp(&self, a: &Candidate, b: &Candidate) -> Ordering {
        for rule in &self.rules {
            let o = match rule {
                Rule::Words => b.rel.words.cmp(&a.rel.words),
                Rule::Typo => a.rel.typos.cmp(&b.rel.typos),
                Rule::Attribute => a.rel.attribute.cmp(&b.rel.attribute),
                Rule::Exactness => b.rel.exact.cmp(&a.rel.exact),
                Rule::Sort => by_sort(a, b, self.sort),
                Rule::IdAsc => a.id.cmp(&b.id),
            };
            if o != Ordering::Equal {
                return o;
            }
        }
        a.id.cmp(&b.id).then(a.addr.cmp(&b.addr))
    }

    /// How a match of relevance `rel` and product id `id` compares with `t` (its price and
    /// date asked only if the sort needs them), as `cmp` would; `None` when the distance
    /// sort would decide.
    pub(super) fn decide(
        &self,
        (rel, id): (&Relevance, i64),
        (price, published): (impl Fn() -> Option<i64>, impl Fn() -> i64),
        t: &Candidate,
    ) -> Option<Ordering> {
        let b = &t.rel;
        for rule in &self.rules {
            let o = match rule {
                Rule::Words => b.words.cmp(&rel.words),
                Rule::Typo => rel.typos.cmp(&b.typos),
                Rule::Attribute => rel.attribute.cmp(&b.attribute),
                Rule::Exactness => b.exact.cmp(&rel.exact),
                Rule::Sort => match self.sort {
                    SortBy::Relevance => Ordering::Equal,
                    SortBy::Distance => return None,
                    SortBy::PriceAsc => missing_last(price(), t.price, false),
                    SortBy::PriceDesc => missing_last(price(), t.price, true),
                    SortBy::Newest => t.published_at.cmp(&published()),
                },
                Rule::IdAsc => id.cmp(&t.id),
            };
            if o != Ordering::Equal {
                return Some(o);
            }
        }
        Some(id.cmp(&t.id)).filter(|o| *o != Ordering::Equal)
    }

    /// Whether every relevance rule comes before the sort and the id: then matches are ordered
    /// by relevance first, and matches of one relevance by sort value and id alone.
    /// Without a sort (relevance) the sort rule is no rule.
    pub(super) fn relevance_first(&self) -> bool {
        let relevance =
            |r: &Rule| matches!(r, Rule::Words | Rule::Typo | Rule::Attribute | Rule::Exactness);
        let other = |r: &Rule| match r {
            Rule::Sort => self.sort != SortBy::Relevance,
            Rule::IdAsc => true,
            _ => false,
        };
        match self.rules.iter().position(other) {
            None => true,
            Some(i) => !self.rules.iter().skip(i).any(relevance),
        }
    }

    /// The query's sort.
    pub(super) fn sort(&self) -> SortBy {
        self.sort
    }

    /// Whether `a` and `b` have the same sort value (as the sort rule compares them).
    pub(super) fn same_sort(&self, a: &Candidate, b: &Candidate) -> bool {
        by_sort(a, b, self.sort) == Ordering::Equal
    }

    /// `rel` as one number that orders as the relevance rules do (smaller is better): each
    /// rule's value in 16 bits, the first rule's highest. Relevances no rule tells apart get
    /// the same number.
    pub(super) fn relevance_score(&self, rel: &Relevance) -> u64 {
        let values = [u16::MAX - rel.words, rel.typos, rel.attribute, u16::MAX - rel.exact];
        self.relevance
            .iter()
            .fold(0u64, |score, i| score << 16 | u64::from(values.get(*i).copied().unwrap_or(0)))
    }

    /// Whether the query's sort is the first rule.
    pub(super) fn sort_first(&self) -> bool {
        matches!(self.rules.first(), Some(Rule::Sort))
    }

    /// Keeps the best `n` of `cands` (unordered); returns the worst kept when `n` were kept.
    pub(super) fn keep_best(&self, cands: &mut Vec<Candidate>, n: usize) -> Option<Candidate> {
        if n == 0 {
            cands.clear();
            return None;
        }
        if n < cands.len() {
            cands.select_nth_unstable_by(n - 1, |a, b| self.cmp(a, b));
            cands.truncate(n);
        }
        (cands.len() == n).then(|| cands.iter().max_by(|a, b| self.cmp(a, b)).cloned()).flatten()
    }
}
