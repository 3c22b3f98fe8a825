//! Owns the revision rule both adapters apply on upsert: a document is never replaced by one
//! with a lower `revision` (a slow delivery of an older snapshot cannot undo a newer one), and
//! within one batch the highest revision of an id wins (the last one on ties).

use etalase_domain::search::ProductDoc;
use std::collections::HashMap;

/// The documents of `docs` that survive within the batch, in their order.
pub fn newest(docs: &[ProductDoc]) -> Vec<&ProductDoc> {
    let mut best: HashMap<i64, usize> = HashMap::with_capacity(docs.len());
    for (i, d) in docs.iter().enumerate() {
        match best.get(&d.id) {
            Some(&k) if docs[k].revision > d.revision => {}
            _ => {
                best.insert(d.id, i);
            }
        }
    }
    docs.iter().enumerate().filter(|(i, d)| best.get(&d.id) == Some(i)).map(|(_, d)| d).collect()
}

/// Whether `doc` may replace what the index holds (`stored`: the stored revision, if any).
pub fn may_replace(doc: &ProductDoc, stored: Option<i64>) -> bool {
    stored.is_none_or(|r| r <= doc.revision)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn doc(id: i64, revision: i64, name: &str) -> ProductDoc {
        let json = serde_json::json!({
            "id": id, "name": name, "description": "", "category": "minuman",
            "category_name": "Minuman", "producer_id": 1, "producer_name": "P",
            "kecamatan_code": "36.73.01", "kecamatan": "Serang", "kelurahan_code": "x",
            "halal": false, "cert_kinds": [], "published_at": 0, "lat": 0.0, "lon": 0.0,
            "nib": "1", "eligible_standards": [], "version": 1, "revision": revision
        });
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn the_highest_revision_of_an_id_wins_and_the_last_on_ties() {
        let docs = [doc(1, 5, "a"), doc(2, 1, "b"), doc(1, 3, "c"), doc(2, 1, "d"), doc(3, 0, "e")];
        let kept: Vec<&str> = newest(&docs).iter().map(|d| d.name.as_str()).collect();
        assert_eq!(kept, ["a", "d", "e"]);
        assert!(may_replace(&docs[0], None) && may_replace(&docs[0], Some(5)));
        assert!(!may_replace(&docs[2], Some(5)));
    }
}
