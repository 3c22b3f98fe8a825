//! Text search the way people in Serang type: synonyms (kripik/keripik, sambel/sambal,
//! pedes/pedas, ubi kayu/singkong), typos, stop words, codes matched exactly, highlighting.

use crate::support::{self, all, fixture_ids, id_set, ids, search};
use etalase_domain::search::SearchQuery;

fn has_word(p: &etalase_domain::search::ProductDoc, word: &str) -> bool {
    let text = format!("{} {} {}", p.name, p.description, p.category_name).to_lowercase();
    text.split(|c: char| !c.is_alphanumeric()).any(|w| w == word)
}

contract!(kripik_pedes_finds_keripik_singkong_pedas, |ix| {
    let r = search(ix, &all(SearchQuery::text("kripik pedes"))).await;
    assert_eq!(r.hits[0].doc.name, "Keripik Singkong Pedas");
    assert_eq!(id_set(&r), fixture_ids(|p| has_word(p, "keripik")));
    assert_eq!(r.total, 3);
});

contract!(sambel_finds_sambal, |ix| {
    let r = search(ix, &all(SearchQuery::text("sambel"))).await;
    assert!(r.hits[0].doc.name.starts_with("Sambal"), "top hit {:?}", r.hits[0].doc.name);
    // Sambal in the name, or in the category name "Bumbu & sambal".
    assert_eq!(id_set(&r), fixture_ids(|p| has_word(p, "sambal")));
    assert_eq!(id_set(&r), [20, 21, 22, 23]);
    assert_eq!(ids(&r)[3], 23, "a match in the category name ranks below name matches");
});

contract!(a_typo_empng_finds_emping, |ix| {
    let r = search(ix, &all(SearchQuery::text("empng"))).await;
    assert_eq!(id_set(&r), fixture_ids(|p| has_word(p, "emping")));
    assert_eq!(id_set(&r), [1, 2, 3]);
});

contract!(stop_words_are_ignored, |ix| {
    let with = search(ix, &all(SearchQuery::text("kopi dan teh"))).await;
    let without = search(ix, &all(SearchQuery::text("kopi teh"))).await;
    assert_eq!(id_set(&with), id_set(&without));
    assert_eq!(with.total, without.total);
    // Every hit has "kopi": the first word is required, later ones rank.
    assert_eq!(id_set(&with), fixture_ids(|p| has_word(p, "kopi")));
    assert_eq!(id_set(&with), [30, 31, 32, 33, 34]);
});

contract!(a_multi_word_synonym_ubi_kayu_finds_singkong, |ix| {
    let r = search(ix, &all(SearchQuery::text("ubi kayu"))).await;
    assert_eq!(id_set(&r), [10, 11]);
});

contract!(gtin_matches_exactly_but_not_one_digit_off, |ix| {
    let r = search(ix, &SearchQuery::text("8999991000019")).await;
    assert_eq!(ids(&r), [1]);
    for near_miss in ["8999991000018", "899999100001", "8999991000091"] {
        let r = search(ix, &SearchQuery::text(near_miss)).await;
        assert_eq!(r.total, 0, "{near_miss} must not match: {:?}", ids(&r));
    }
});

contract!(nib_finds_the_producers_products, |ix| {
    let r = search(ix, &all(SearchQuery::text("9990000000011"))).await;
    assert_eq!(id_set(&r), [1, 2, 3]);
    let r = search(ix, &SearchQuery::text("9990000000012")).await;
    assert_eq!(r.total, 0);
});

contract!(names_are_highlighted_and_escaped, |ix| {
    let r = search(ix, &SearchQuery::text("gipang")).await;
    assert_eq!(r.hits[0].highlight_name, "<em>Gipang</em> Beras Ketan Gula Aren");
    let mut q = SearchQuery::text("kopi");
    q.category = Some("kopi-teh".into());
    let r = search(ix, &all(q)).await;
    let paket = r.hits.iter().find(|h| h.doc.id == 32).unwrap();
    assert_eq!(paket.highlight_name, "Paket <em>Kopi</em> &amp; Teh Oleh-oleh Serang");
    let plain = search(ix, &all(SearchQuery::default())).await;
    let paket = plain.hits.iter().find(|h| h.doc.id == 32).unwrap();
    assert_eq!(paket.highlight_name, "Paket Kopi &amp; Teh Oleh-oleh Serang");
});

contract!(text_results_carry_facets_over_all_matches, |ix| {
    let mut q = SearchQuery::text("bandeng");
    q.per_page = 1;
    let r = search(ix, &q).await;
    assert_eq!(r.total, 3);
    assert_eq!(r.hits.len(), 1);
    let cat: Vec<_> = r.facets.category.iter().map(|c| (c.value.as_str(), c.count)).collect();
    assert_eq!(cat, [("olahan-ikan", 3)]);
    let halal: Vec<_> = r.facets.halal.iter().map(|c| (c.value.as_str(), c.count)).collect();
    assert_eq!(halal, [("true", 2), ("false", 1)]);
});

contract!(a_query_of_only_punctuation_is_a_placeholder_search, |ix| {
    let r = search(ix, &SearchQuery::text(" \"-!? ")).await;
    assert_eq!(r.total, support::fixtures::products().len() as u64);
});
