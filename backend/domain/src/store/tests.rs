use super::*;

fn valid() -> StoreInput {
    StoreInput {
        code: "ms-srg-001".into(),
        name: "Mitra Swalayan Ciceri".into(),
        chain_code: Some("ms".into()),
        format: "minimarket".into(),
        address: "Jl. Ciceri Permai No. 3".into(),
        kelurahan_code: "36.73.01.1001".into(),
        lat: -6.12,
        lon: 106.15,
        local_facings: 12,
    }
}

#[test]
fn codes_and_labels() {
    crate::code_enum::assert_serde_codes::<StoreFormat>();
    crate::code_enum::assert_serde_codes::<ChainKind>();
    assert_eq!(StoreFormat::TokoModernLainnya.as_str(), "toko_modern_lainnya");
}

#[test]
fn a_valid_store_is_normalised() {
    let k = crate::wilayah::kota_serang().kelurahan_by_code("36.73.01.1001").unwrap();
    let v = StoreInput { lat: k.lat, lon: k.lon, ..valid() }.validate().unwrap();
    assert_eq!(v.code, "MS-SRG-001");
    assert_eq!(v.chain_code.as_deref(), Some("MS"));
    assert_eq!(v.format, StoreFormat::Minimarket);
}

#[test]
fn every_bad_field_is_named() {
    let bad = StoreInput {
        code: "a b".into(),
        name: "x".into(),
        format: "warung".into(),
        kelurahan_code: "99".into(),
        lat: -7.5,
        local_facings: -1,
        ..valid()
    };
    let e = bad.validate().unwrap_err();
    assert_eq!(e.fields(), ["code", "name", "format", "kelurahan_code", "lat", "local_facings"]);
    assert_eq!(e.get("lat").unwrap().code, "not_in_kota_serang");
}
