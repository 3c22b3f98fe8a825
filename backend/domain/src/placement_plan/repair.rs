//! The integer step after the flow: a store counts only when its whole gap is closed, and the
//! flow (which maximises placements) may leave several stores half-served where the same slots
//! could complete some of them. Stores left short are taken closest-to-complete first; each
//! takes a free slot of one of its unchosen candidates, or the slot another short store holds on
//! the same product (that store, further from complete or not yet reached, gives it up). A store
//! that still cannot be completed gets its slots back as they were. A moved slot stays on the
//! same product, so capacities and every producer's count (hence the fairness cost) do not
//! change; only distance and category costs do.

use std::collections::{HashMap, HashSet};

use super::Candidate;

/// Rewrites `chosen` (candidate indices) in place.
pub fn complete_short_stores(
    cands: &[Candidate],
    needs: &[i64],
    chosen: &mut Vec<usize>,
    slots_left: &mut HashMap<usize, i64>,
) {
    let mut is_chosen: HashSet<usize> = chosen.iter().copied().collect();
    let mut planned = vec![0i64; needs.len()];
    for &ci in chosen.iter() {
        planned[cands[ci].store] += 1;
    }
    let mut of_store: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut of_product: HashMap<usize, Vec<usize>> = HashMap::new();
    for (ci, c) in cands.iter().enumerate() {
        of_store.entry(c.store).or_default().push(ci);
        of_product.entry(c.product).or_default().push(ci);
    }
    let mut short: Vec<usize> = (0..needs.len())
        .filter(|&s| planned[s] > 0 && planned[s] < needs[s])
        .filter(|s| of_store.get(s).is_some_and(|l| l.len() as i64 >= needs[*s]))
        .collect();
    short.sort_by_key(|&s| (needs[s] - planned[s], s));
    let mut done: HashSet<usize> = HashSet::new();
    for s in short {
        if planned[s] >= needs[s] {
            continue;
        }
        // (arc added, arc taken from another store) for undoing.
        let mut moves: Vec<(usize, Option<usize>)> = Vec::new();
        let mut arcs = of_store[&s].clone();
        arcs.sort_by_key(|&ci| cands[ci].base_cost);
        for ci in arcs {
            if planned[s] >= needs[s] {
                break;
            }
            if is_chosen.contains(&ci) {
                continue;
            }
            let p = cands[ci].product;
            if slots_left.get(&p).copied().unwrap_or(0) > 0 {
                *slots_left.entry(p).or_default() -= 1;
                moves.push((ci, None));
            } else {
                let donor = of_product[&p].iter().copied().find(|&d| {
                    let t = cands[d].store;
                    is_chosen.contains(&d) && t != s && !done.contains(&t) && planned[t] < needs[t]
                });
                let Some(d) = donor else { continue };
                is_chosen.remove(&d);
                planned[cands[d].store] -= 1;
                moves.push((ci, Some(d)));
            }
            is_chosen.insert(ci);
            planned[s] += 1;
        }
        if planned[s] >= needs[s] {
            done.insert(s);
            continue;
        }
        for (ci, from) in moves.into_iter().rev() {
            is_chosen.remove(&ci);
            planned[s] -= 1;
            match from {
                Some(d) => {
                    is_chosen.insert(d);
                    planned[cands[d].store] += 1;
                }
                None => *slots_left.entry(cands[ci].product).or_default() += 1,
            }
        }
    }
    chosen.retain(|ci| is_chosen.contains(ci));
    let kept: HashSet<usize> = chosen.iter().copied().collect();
    let mut added: Vec<usize> = is_chosen.difference(&kept).copied().collect();
    added.sort_unstable();
    chosen.extend(added);
}
