//! Tests of certificate kinds, form validation and validity dates.

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn input(kind: &str, number: &str) -> CertificateInput {
    CertificateInput { kind: kind.into(), number: number.into(), ..CertificateInput::default() }
}

#[test]
fn kind_codes_and_labels() {
    crate::code_enum::assert_serde_codes::<CertificateKind>();
    let all: Vec<(&str, &str)> =
        CertificateKind::all().iter().map(|k| (k.as_str(), k.label())).collect();
    assert_eq!(
        all,
        [
            ("pirt", "P-IRT (SPP-IRT)"),
            ("bpom_md", "BPOM MD"),
            ("bpom_ml", "BPOM ML"),
            ("halal", "Halal (BPJPH)"),
            ("sni", "SNI"),
            ("other", "Lainnya"),
        ]
    );
}

#[test]
fn pirt_expiry_is_derived_from_the_number() {
    let c = input("pirt", "206367301002328").validate().unwrap();
    assert_eq!(c.kind, CertificateKind::Pirt);
    assert_eq!(c.number, "2063673010023-28");
    assert_eq!(c.expires_on, Some(d(2028, 12, 31)));
    assert_eq!(c.validity_on(d(2028, 12, 31)), CertificateValidity::ExpiringSoon { days_left: 0 });
    assert_eq!(c.validity_on(d(2029, 1, 1)), CertificateValidity::Expired { since: d(2029, 1, 1) });
}

#[test]
fn pirt_expiry_year_must_match_the_number() {
    let mut c = input("pirt", "2063673010023-28");
    c.expires_on = Some(d(2028, 6, 30));
    assert_eq!(c.clone().validate().unwrap().expires_on, Some(d(2028, 6, 30)));
    c.expires_on = Some(d(2027, 12, 31));
    let errs = c.validate().unwrap_err();
    let e = errs.get("expires_on").unwrap();
    assert_eq!(e.code, "pirt_year_mismatch");
    assert!(e.message.contains("(2027)") && e.message.contains("(2028)"), "{}", e.message);
}

#[test]
fn numbers_are_checked_per_kind() {
    let c = input("bpom_md", "BPOM RI MD 224311001234").validate().unwrap();
    assert_eq!((c.number.as_str(), c.expires_on), ("MD 224311001234", None));
    let errs = input("bpom_ml", "MD 224311001234").validate().unwrap_err();
    assert_eq!(errs.get("number").unwrap().code, "kind_mismatch");
    let errs = input("halal", "KH 12345678901").validate().unwrap_err();
    assert_eq!(errs.get("number").unwrap().code, "kh_not_certificate");
    let halal = input("halal", "id31110000123450821").validate().unwrap();
    assert_eq!(halal.validity_on(d(2030, 1, 1)), CertificateValidity::NoExpiry);
    let errs = input("iso", "9001").validate().unwrap_err();
    assert_eq!(errs.fields(), ["kind"]);
}

#[test]
fn dates_and_issuer_are_checked() {
    let c = CertificateInput {
        kind: "sni".into(),
        number: "  ".into(),
        issuer: Some("x".repeat(121)),
        issued_on: Some(d(2025, 5, 1)),
        expires_on: Some(d(2025, 4, 30)),
    };
    let errs = c.validate().unwrap_err();
    let got: Vec<(&str, &str)> = errs.iter().map(|e| (e.field.as_str(), e.code)).collect();
    assert_eq!(
        got,
        [("number", "required"), ("issuer", "too_long"), ("expires_on", "expires_before_issued")]
    );
    assert_eq!(
        errs.get("expires_on").unwrap().message,
        "Tanggal berakhir (30 April 2025) tidak boleh sebelum tanggal terbit (1 Mei 2025)."
    );
    let ok = CertificateInput {
        kind: "other".into(),
        number: "Izin Edar Dinkes 123".into(),
        issuer: Some("  ".into()),
        issued_on: Some(d(2025, 5, 1)),
        expires_on: Some(d(2025, 5, 1)),
    };
    assert_eq!(ok.validate().unwrap().issuer, None);
}

#[test]
fn validity_edges() {
    let expiry = d(2026, 3, 2);
    let v = |date| validity_on(Some(expiry), date);
    assert_eq!(v(expiry), CertificateValidity::ExpiringSoon { days_left: 0 });
    assert!(v(expiry).is_valid());
    assert_eq!(v(d(2026, 3, 3)), CertificateValidity::Expired { since: d(2026, 3, 3) });
    assert!(!v(d(2026, 3, 3)).is_valid());
    assert_eq!(v(d(2026, 1, 31)), CertificateValidity::ExpiringSoon { days_left: 30 });
    assert_eq!(v(d(2026, 1, 30)), CertificateValidity::Valid);
    assert_eq!(validity_on(None, expiry), CertificateValidity::NoExpiry);
}

#[test]
fn validity_labels() {
    assert_eq!(CertificateValidity::Valid.label(), "Berlaku");
    assert_eq!(
        CertificateValidity::ExpiringSoon { days_left: 12 }.label(),
        "Segera kedaluwarsa (12 hari lagi)"
    );
    assert_eq!(
        CertificateValidity::ExpiringSoon { days_left: 0 }.label(),
        "Segera kedaluwarsa (berakhir hari ini)"
    );
    assert_eq!(
        CertificateValidity::Expired { since: d(2026, 3, 3) }.label(),
        "Kedaluwarsa sejak 3 Maret 2026"
    );
    assert_eq!(CertificateValidity::NoExpiry.label(), "Tanpa masa berlaku");
    let json = serde_json::to_value(CertificateValidity::Expired { since: d(2026, 3, 3) }).unwrap();
    assert_eq!(json, serde_json::json!({"status": "expired", "since": "2026-03-03"}));
}

#[test]
fn dates_outside_1950_to_2100_are_refused_naming_the_field() {
    let far = NaiveDate::from_ymd_opt(262_142, 1, 1).unwrap();
    let c = CertificateInput {
        expires_on: Some(far),
        issued_on: Some(d(1949, 12, 31)),
        ..input("halal", "ID31110000123450821")
    };
    let errs = c.validate().unwrap_err();
    let fields: Vec<_> = errs.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
    assert!(fields.contains(&("expires_on", "implausible_date")), "{fields:?}");
    assert!(fields.contains(&("issued_on", "implausible_date")), "{fields:?}");
    let edge = CertificateInput {
        issued_on: Some(d(1950, 1, 1)),
        expires_on: Some(d(2100, 12, 31)),
        ..input("halal", "ID31110000123450821")
    };
    assert!(edge.validate().is_ok());
}
