//! The demo data file (`assets/data/demo/catalog.json`), embedded at build time.

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    pub owner_first_names: Vec<String>,
    pub owner_last_names: Vec<String>,
    pub business_patterns: Vec<String>,
    pub streets: Vec<String>,
    pub templates: Vec<Template>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub category: String,
    pub name: String,
    pub variants: Vec<String>,
    pub description: String,
    pub sizes: Vec<Size>,
    pub packaging: Vec<String>,
    pub shelf_life_days: Option<i64>,
    pub storage: String,
    pub wholesale_ratio: f64,
    pub capacity_range: [i64; 2],
    pub kecamatan_bias: Vec<String>,
    pub business_words: Vec<String>,
    pub needs_food_permit: bool,
    pub net_units_in_pack: i64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Size {
    pub net_content: i64,
    pub net_unit: String,
    pub retail_price: i64,
}

pub fn catalog() -> anyhow::Result<Catalog> {
    Ok(serde_json::from_str(include_str!("../../../../assets/data/demo/catalog.json"))?)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use etalase_domain::product::ProductInput;

    #[test]
    fn every_template_makes_a_valid_product() {
        let c = super::catalog().unwrap();
        assert!(c.templates.len() >= 70);
        for t in &c.templates {
            for s in &t.sizes {
                let input = ProductInput {
                    name: t.name.clone(),
                    category: t.category.clone(),
                    description: t.description.clone(),
                    net_content: Some(s.net_content),
                    net_unit: Some(s.net_unit.clone()),
                    pack_size: Some(t.net_units_in_pack),
                    packaging: t.packaging.first().cloned(),
                    shelf_life_days: t.shelf_life_days,
                    storage: Some(t.storage.clone()),
                    retail_price: Some(s.retail_price),
                    wholesale_price: Some((s.retail_price as f64 * t.wholesale_ratio) as i64),
                    ..Default::default()
                };
                assert!(input.validate().is_ok(), "{} {:?}", t.name, s.net_content);
            }
        }
    }
}
