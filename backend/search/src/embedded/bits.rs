//! Bit sets of a segment's documents as the embedded engine keeps them: bit `d % 64` of word
//! `d / 64` is document `d` (filters, matches, facet values, the documents a word hit).

use tantivy::DocId;

/// An empty set for `n` documents.
pub(crate) fn none(n: usize) -> Vec<u64> {
    vec![0u64; n.div_ceil(64)]
}

/// The set of all `n` documents.
pub(crate) fn all(n: usize) -> Vec<u64> {
    let mut bits = vec![u64::MAX; n.div_ceil(64)];
    if !n.is_multiple_of(64)
        && let Some(last) = bits.last_mut()
    {
        *last = (1u64 << (n % 64)) - 1;
    }
    bits
}

/// The set of `docs` among `n` documents.
pub(crate) fn of(n: usize, docs: impl IntoIterator<Item = DocId>) -> Vec<u64> {
    let mut bits = none(n);
    docs.into_iter().for_each(|d| insert(&mut bits, d));
    bits
}

/// Adds `d` (ignored beyond the set's end).
pub(crate) fn insert(bits: &mut [u64], d: DocId) {
    if let Some(w) = bits.get_mut(d as usize / 64) {
        *w |= 1 << (d % 64);
    }
}

/// Takes `d` out.
pub(crate) fn remove(bits: &mut [u64], d: DocId) {
    if let Some(w) = bits.get_mut(d as usize / 64) {
        *w &= !(1 << (d % 64));
    }
}

/// Whether `d` is in `bits`.
pub(crate) fn has(bits: &[u64], d: DocId) -> bool {
    bits.get(d as usize / 64).is_some_and(|w| w >> (d % 64) & 1 == 1)
}

/// Number of documents in `bits`.
pub(crate) fn count(bits: &[u64]) -> usize {
    bits.iter().map(|w| w.count_ones() as usize).sum()
}

/// The documents in `bits`, ascending.
pub(crate) fn ones(bits: &[u64]) -> impl Iterator<Item = DocId> + '_ {
    bits.iter().enumerate().flat_map(|(i, w)| {
        let mut w = *w;
        std::iter::from_fn(move || {
            (w != 0).then(|| {
                let b = w.trailing_zeros();
                w &= w - 1;
                (i * 64) as DocId + b
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_hold_exactly_their_documents() {
        let docs = [0, 5, 63, 64, 129];
        let mut bits = of(130, docs);
        assert_eq!(ones(&bits).collect::<Vec<_>>(), docs);
        assert_eq!(count(&bits), 5);
        remove(&mut bits, 64);
        assert_eq!(ones(&bits).collect::<Vec<_>>(), [0, 5, 63, 129]);
        assert!(has(&bits, 63) && !has(&bits, 62) && !has(&bits, 500));
        assert_eq!(count(&all(130)), 130);
        assert_eq!(ones(&all(130)).last(), Some(129));
        assert_eq!(count(&all(128)), 128);
    }
}
