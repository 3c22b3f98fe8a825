//! Owns the index settings: `search-config/products.json`, the single source of truth for both
//! engines. The file is Meilisearch's `PATCH /indexes/{uid}/settings` body; it is parsed once
//! into `Settings` (unknown keys rejected, so nothing in it is silently ignored by the embedded
//! engine), checked, and then either sent to Meilisearch (`to_meili`) or read by the embedded
//! engine (searchable order, synonyms, stop words, typo thresholds, filterable/sortable lists,
//! ranking rules, facet and pagination limits).

use crate::error::Error;
use meilisearch_sdk::settings as meili;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// `search-config/products.json`, embedded at build time so the binary needs no folder.
pub const PRODUCTS_SETTINGS_JSON: &str = include_str!("../../../search-config/products.json");

/// Attributes the embedded engine indexes as text (and that may be searchable).
pub const TEXT_ATTRIBUTES: [&str; 8] =
    ["name", "brand", "category_name", "description", "producer_name", "kecamatan", "gtin", "nib"];
/// Attributes the embedded engine can filter on. `price_band` is Meilisearch's only (its
/// documents' price bucket, counted as a facet): the embedded engine counts the buckets from its
/// price column.
pub const FILTER_ATTRIBUTES: [&str; 11] = [
    "category",
    "kecamatan_code",
    "halal",
    "cert_kinds",
    "retail_price",
    "pack_size",
    "eligible_standards",
    "_geo",
    "producer_id",
    "published_at",
    "price_band",
];
/// Attributes the embedded engine can sort on.
pub const SORT_ATTRIBUTES: [&str; 3] = ["retail_price", "published_at", "_geo"];
/// Ranking rules both engines apply the same way. Meilisearch's `proximity`, `attribute` (rank
/// and word position) and `wordPosition` need word positions the embedded engine does not
/// rank by, so they are refused rather than answered differently.
/// `id:asc` is the shared last rule: documents equal under every other rule come in the order
/// of their ids on both engines (Meilisearch would otherwise order them by its internal ids).
pub const RANKING_RULES: [&str; 6] =
    ["words", "typo", "attributeRank", "sort", "exactness", "id:asc"];

/// The index settings (Meilisearch's camelCase names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Settings {
    /// Searched attributes, most important first.
    pub searchable_attributes: Vec<String>,
    pub filterable_attributes: Vec<String>,
    pub sortable_attributes: Vec<String>,
    pub ranking_rules: Vec<String>,
    /// Words dropped from queries (except the last word, as Meilisearch does).
    pub stop_words: Vec<String>,
    /// One-way: a query word (or words) also matches each listed alternative.
    pub synonyms: BTreeMap<String, Vec<String>>,
    pub typo_tolerance: TypoTolerance,
    pub faceting: Faceting,
    pub pagination: Pagination,
}

/// Typo tolerance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TypoTolerance {
    pub enabled: bool,
    pub min_word_size_for_typos: MinWordSizeForTypos,
    /// Query words that must match exactly.
    pub disable_on_words: Vec<String>,
    /// Attributes matched without typos (codes: GTIN, NIB).
    pub disable_on_attributes: Vec<String>,
}

/// Word length (characters) from which 1 and 2 typos are allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MinWordSizeForTypos {
    pub one_typo: u8,
    pub two_typos: u8,
}

/// Facet limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Faceting {
    pub max_values_per_facet: usize,
    /// `"count"` or `"alpha"` per facet, `"*"` for all.
    pub sort_facet_values_by: BTreeMap<String, String>,
}

/// Pagination limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Pagination {
    pub max_total_hits: usize,
}

impl Settings {
    /// The settings of the product index, from the embedded `products.json`.
    pub fn products() -> Result<Settings, Error> {
        Settings::from_json(PRODUCTS_SETTINGS_JSON)
    }

    /// Parses and checks a settings file's text.
    pub fn from_json(json: &str) -> Result<Settings, Error> {
        let settings: Settings =
            serde_json::from_str(json).map_err(|e| Error::Settings(e.to_string()))?;
        settings.check()?;
        Ok(settings)
    }

    /// Reads and checks a settings file.
    pub fn load(path: &Path) -> Result<Settings, Error> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::Settings(format!("{}: {e}", path.display())))?;
        Settings::from_json(&text)
    }

    /// Checks that every attribute and rule is one both engines support.
    pub fn check(&self) -> Result<(), Error> {
        let unknown = |what: &str, list: &[String], known: &[&str]| -> Result<(), Error> {
            match list.iter().find(|a| !known.contains(&a.as_str())) {
                Some(a) => Err(Error::Settings(format!("{what} tidak dikenal: \"{a}\""))),
                None => Ok(()),
            }
        };
        unknown("searchableAttributes", &self.searchable_attributes, &TEXT_ATTRIBUTES)?;
        unknown("filterableAttributes", &self.filterable_attributes, &FILTER_ATTRIBUTES)?;
        unknown("sortableAttributes", &self.sortable_attributes, &SORT_ATTRIBUTES)?;
        unknown("rankingRules", &self.ranking_rules, &RANKING_RULES)?;
        let typo = &self.typo_tolerance;
        unknown("disableOnAttributes", &typo.disable_on_attributes, &TEXT_ATTRIBUTES)?;
        let sizes = typo.min_word_size_for_typos;
        if sizes.one_typo > sizes.two_typos {
            return Err(Error::Settings("oneTypo lebih besar dari twoTypos".into()));
        }
        if let Some((k, v)) = self
            .faceting
            .sort_facet_values_by
            .iter()
            .find(|(_, v)| !matches!(v.as_str(), "count" | "alpha"))
        {
            return Err(Error::Settings(format!("sortFacetValuesBy.{k} tidak dikenal: {v}")));
        }
        if self.pagination.max_total_hits == 0 || self.faceting.max_values_per_facet == 0 {
            return Err(Error::Settings("maxTotalHits/maxValuesPerFacet harus > 0".into()));
        }
        Ok(())
    }

    /// True when `attribute` may be used in a filter.
    pub fn is_filterable(&self, attribute: &str) -> bool {
        self.filterable_attributes.iter().any(|a| a == attribute)
    }

    /// True when `attribute` may be used to sort.
    pub fn is_sortable(&self, attribute: &str) -> bool {
        self.sortable_attributes.iter().any(|a| a == attribute)
    }

    /// How values of `facet` are chosen when there are more than `maxValuesPerFacet`.
    pub fn facet_order_is_count(&self, facet: &str) -> bool {
        let by = &self.faceting.sort_facet_values_by;
        by.get(facet).or_else(|| by.get("*")).is_none_or(|v| v == "count")
    }

    /// The same settings as the Meilisearch SDK's settings body (what the adapter sends).
    pub fn to_meili(&self) -> meili::Settings {
        let typo = &self.typo_tolerance;
        let synonyms: HashMap<String, Vec<String>> = self.synonyms.clone().into_iter().collect();
        let sort_by = self.faceting.sort_facet_values_by.iter().map(|(k, v)| {
            let order = if v == "alpha" {
                meili::FacetSortValue::Alpha
            } else {
                meili::FacetSortValue::Count
            };
            (k.clone(), order)
        });
        meili::Settings::new()
            .with_searchable_attributes(&self.searchable_attributes)
            .with_filterable_attributes(&self.filterable_attributes)
            .with_sortable_attributes(&self.sortable_attributes)
            .with_ranking_rules(&self.ranking_rules)
            .with_stop_words(&self.stop_words)
            .with_synonyms(synonyms)
            .with_typo_tolerance(meili::TypoToleranceSettings {
                enabled: Some(typo.enabled),
                disable_on_attributes: Some(typo.disable_on_attributes.clone()),
                disable_on_words: Some(typo.disable_on_words.clone()),
                min_word_size_for_typos: Some(meili::MinWordSizeForTypos {
                    one_typo: Some(typo.min_word_size_for_typos.one_typo),
                    two_typos: Some(typo.min_word_size_for_typos.two_typos),
                }),
                disable_on_numbers: None,
            })
            .with_faceting(meili::FacetingSettings {
                max_values_per_facet: self.faceting.max_values_per_facet,
                sort_facet_values_by: Some(sort_by.collect()),
            })
            .with_pagination(meili::PaginationSetting {
                max_total_hits: self.pagination.max_total_hits,
            })
    }
}
