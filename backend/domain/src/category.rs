//! Owns the product category taxonomy, embedded at compile time from
//! `assets/data/categories.json` (`[{slug, name, food}]`). `food` tells whether food rules
//! (P-IRT/BPOM, halal, shelf life) apply.

use crate::error::FieldError;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

const CATEGORIES_JSON: &str = include_str!("../../../assets/data/categories.json");

/// One product category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// Stable identifier, e.g. `makanan-ringan`.
    pub slug: String,
    /// Indonesian name, e.g. `Makanan ringan`.
    pub name: String,
    /// True for food and drink.
    pub food: bool,
}

fn parse_categories(json: &str) -> Result<Vec<Category>, serde_json::Error> {
    serde_json::from_str(json)
}

/// All categories in display order. The embedded file is checked by a unit test; should it
/// ever fail to parse, the list is empty (no panic).
pub fn categories() -> &'static [Category] {
    static DATA: OnceLock<Vec<Category>> = OnceLock::new();
    DATA.get_or_init(|| parse_categories(CATEGORIES_JSON).unwrap_or_default())
}

/// The category with this slug.
pub fn category_by_slug(slug: &str) -> Option<&'static Category> {
    categories().iter().find(|c| c.slug == slug)
}

/// Looks a form value up (`required` / `unknown_category` on `field`).
pub fn parse_category(field: &str, input: &str) -> Result<&'static Category, FieldError> {
    let slug = input.trim();
    if slug.is_empty() {
        return Err(FieldError::new(field, "required", "Kategori wajib dipilih."));
    }
    category_by_slug(slug).ok_or_else(|| {
        FieldError::new(
            field,
            "unknown_category",
            format!("Kategori \"{slug}\" tidak dikenal. Pilih kategori dari daftar."),
        )
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn embedded_taxonomy_parses() {
        let parsed = parse_categories(CATEGORIES_JSON).unwrap();
        assert_eq!(parsed.len(), 11);
        assert_eq!(categories(), parsed.as_slice());
        let food = categories().iter().filter(|c| c.food).count();
        assert_eq!(food, 8);
        let mut slugs: Vec<&str> = categories().iter().map(|c| c.slug.as_str()).collect();
        slugs.sort_unstable();
        slugs.dedup();
        assert_eq!(slugs.len(), 11);
    }

    #[test]
    fn looks_up_by_slug() {
        let c = category_by_slug("olahan-ikan").unwrap();
        assert_eq!(c.name, "Olahan ikan & hasil laut");
        assert!(c.food);
        assert!(!parse_category("category", " kerajinan ").unwrap().food);
        let e = parse_category("category", "elektronik").unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("category", "unknown_category"));
        assert_eq!(parse_category("category", "").unwrap_err().code, "required");
        assert!(parse_categories("[{\"slug\":\"x\"}]").is_err());
    }
}
