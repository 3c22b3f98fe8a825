//! Tests of the product vocabulary and of `ProductInput::validate`.

use super::*;
use crate::money::Rupiah;

fn emping() -> ProductInput {
    ProductInput {
        name: "Emping Melinjo Khas Taktakan 250 g".into(),
        category: "makanan-ringan".into(),
        description: "Emping melinjo tipis, digoreng tanpa pengawet.".into(),
        brand: Some("Dapur Bu Ela".into()),
        gtin: Some("8991234567891".into()),
        net_content: Some(250),
        net_unit: Some("g".into()),
        pack_size: Some(1),
        packaging: Some("standing_pouch".into()),
        shelf_life_days: Some(180),
        storage: None,
        wholesale_price: Some(28_000),
        retail_price: Some(35_000),
        min_order: Some(20),
        monthly_capacity: Some(600),
    }
}

#[test]
fn enum_codes_and_labels() {
    use crate::code_enum::assert_serde_codes;
    assert_serde_codes::<StorageType>();
    assert_serde_codes::<NetUnit>();
    assert_serde_codes::<Packaging>();
    let units: Vec<&str> = NetUnit::all().iter().map(|u| u.as_str()).collect();
    assert_eq!(units, ["g", "kg", "ml", "l", "pcs"]);
    assert_eq!(StorageType::Chilled.label(), "Dingin (chiller)");
    assert_eq!(StorageType::Frozen.label(), "Beku (freezer)");
    assert_eq!(Packaging::KotakKarton.as_str(), "kotak_karton");
    assert_eq!(Packaging::all().len(), 10);
    assert_eq!(NetUnit::L.format(1), "1 L");
}

#[test]
fn a_complete_product_is_typed() {
    let p = emping().validate().unwrap();
    assert_eq!(p.name, "Emping Melinjo Khas Taktakan 250 g");
    assert_eq!(p.category.slug, "makanan-ringan");
    assert!(p.gtin.as_ref().unwrap().is_indonesian());
    assert_eq!((p.net_content, p.net_unit), (Some(250), Some(NetUnit::G)));
    assert_eq!(p.net_label().as_deref(), Some("250 g"));
    assert_eq!(p.packaging, Some(Packaging::StandingPouch));
    assert_eq!(p.storage, StorageType::Ambient);
    assert_eq!(p.retail_price, Some(Rupiah::new("x", 35_000).unwrap()));
}

#[test]
fn empty_optional_strings_count_as_absent() {
    let input = ProductInput {
        name: "  Gipang  ".into(),
        category: "kue-roti".into(),
        brand: Some("   ".into()),
        gtin: Some("".into()),
        net_unit: Some(" ".into()),
        packaging: Some("".into()),
        storage: Some("".into()),
        ..ProductInput::default()
    };
    let p = input.validate().unwrap();
    assert_eq!(p.name, "Gipang");
    assert_eq!(p.net_label(), None);
    assert_eq!(p.storage, StorageType::Ambient);
    assert_eq!((p.brand, p.gtin, p.net_unit, p.packaging), (None, None, None, None));
}

#[test]
fn reports_every_bad_field_at_once() {
    let input = ProductInput {
        name: "ab".into(),
        category: "elektronik".into(),
        description: "x".repeat(2001),
        brand: Some("b".repeat(81)),
        gtin: Some("8991234567890".into()),
        net_content: Some(0),
        net_unit: Some("ons".into()),
        pack_size: Some(1001),
        packaging: Some("karung".into()),
        shelf_life_days: Some(0),
        storage: Some("panas".into()),
        wholesale_price: Some(-1),
        retail_price: Some(10_000),
        min_order: Some(0),
        monthly_capacity: Some(10_000_001),
    };
    let errs = input.validate().unwrap_err();
    let got: Vec<(&str, &str)> = errs.iter().map(|e| (e.field.as_str(), e.code)).collect();
    assert_eq!(
        got,
        [
            ("name", "too_short"),
            ("category", "unknown_category"),
            ("description", "too_long"),
            ("brand", "too_long"),
            ("gtin", "invalid_check_digit"),
            ("net_content", "out_of_range"),
            ("net_unit", "invalid_choice"),
            ("pack_size", "out_of_range"),
            ("packaging", "invalid_choice"),
            ("shelf_life_days", "out_of_range"),
            ("storage", "invalid_choice"),
            ("wholesale_price", "out_of_range"),
            ("min_order", "out_of_range"),
            ("monthly_capacity", "out_of_range"),
        ]
    );
    assert!(errs.get("gtin").unwrap().message.contains("seharusnya 1"));
}

#[test]
fn net_content_and_unit_go_together() {
    let mut only_amount = emping();
    only_amount.net_unit = None;
    let errs = only_amount.validate().unwrap_err();
    assert_eq!(errs.fields(), ["net_unit"]);
    assert_eq!(errs.0[0].code, "required");
    let mut only_unit = emping();
    only_unit.net_content = None;
    assert_eq!(only_unit.validate().unwrap_err().fields(), ["net_content"]);
}

#[test]
fn retail_price_must_not_be_below_wholesale() {
    let mut p = emping();
    p.retail_price = Some(25_000);
    let errs = p.validate().unwrap_err();
    let e = errs.get("retail_price").unwrap();
    assert_eq!(e.code, "below_wholesale");
    assert_eq!(
        e.message,
        "Harga eceran (Rp25.000) tidak boleh lebih rendah dari harga grosir (Rp28.000)."
    );
    let mut equal = emping();
    equal.retail_price = Some(28_000);
    assert!(equal.validate().is_ok());
}

#[test]
fn missing_name_and_json_shape() {
    let input: ProductInput = serde_json::from_str(r#"{"category": "minuman"}"#).unwrap();
    let errs = input.validate().unwrap_err();
    assert_eq!(errs.fields(), ["name"]);
    assert_eq!(errs.0[0].code, "required");
    let unknown = serde_json::from_str::<ProductInput>(r#"{"name": "Teh", "harga": 1}"#);
    assert!(unknown.is_err());
    let e = ProductInput { monthly_capacity: Some(-1), ..emping() }.validate().unwrap_err();
    assert_eq!(
        e.0[0].message,
        "Kapasitas produksi per bulan harus antara 0 dan 10.000.000, yang diisi -1."
    );
}
