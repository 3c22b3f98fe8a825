//! Every requirement kind: passing, failing and edge cases; the evaluation's score; the
//! schedule of re-evaluations.

use chrono::NaiveDate;
use serde_json::json;

use super::*;
use crate::certificate::CertificateKind;
use crate::producer::BusinessScale;
use crate::product::{NetUnit, Packaging, StorageType};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn today() -> NaiveDate {
    d(2026, 6, 1)
}

fn req(v: serde_json::Value) -> Requirement {
    serde_json::from_value(v).unwrap()
}

fn complete() -> ProductFacts {
    ProductFacts {
        gtin: Some("8991234567891".into()),
        shelf_life_days: Some(180),
        net_content: Some(250),
        net_unit: Some(NetUnit::G),
        pack_size: Some(1),
        packaging: Some(Packaging::StandingPouch),
        storage: StorageType::Ambient,
        monthly_capacity: Some(500),
        retail_price: Some(28_000),
        wholesale_price: Some(22_000),
        certificates: vec![
            CertificateFacts {
                kind: CertificateKind::Pirt,
                number: "206367301234528".into(),
                expires_on: Some(d(2028, 12, 31)),
                checked: false,
            },
            CertificateFacts {
                kind: CertificateKind::Halal,
                number: "ID36110000123450124".into(),
                expires_on: None,
                checked: true,
            },
        ],
        photos: vec![PhotoFacts { width: 1600, height: 1200, sharpness: 120.0 }],
        producer: ProducerFacts { verified: true, scale: Some(BusinessScale::Mikro) },
        photo_min_sharpness: 60.0,
    }
}

fn check(r: serde_json::Value, f: &ProductFacts, on: NaiveDate) -> Check {
    req(r).rule().check(f, on)
}

fn cert(kind: CertificateKind, number: &str, expires_on: Option<NaiveDate>) -> CertificateFacts {
    CertificateFacts { kind, number: number.into(), expires_on, checked: true }
}

#[test]
fn izin_edar_accepts_pirt_or_bpom_md_but_not_ml() {
    let r = json!({"kind": "certificate", "certificate": "izin_edar"});
    assert_eq!(check(r.clone(), &complete(), today()).status, ItemStatus::Pass);
    let mut f = complete();
    f.certificates = vec![cert(CertificateKind::BpomMd, "MD224510001234", Some(d(2030, 1, 1)))];
    assert_eq!(check(r.clone(), &f, today()).status, ItemStatus::Pass);
    f.certificates = vec![cert(CertificateKind::BpomMl, "ML224510001234", Some(d(2030, 1, 1)))];
    let c = check(r, &f, today());
    assert_eq!(c.status, ItemStatus::Fail);
    assert_eq!(c.fix, Some("#sertifikat"));
    assert!(c.message.starts_with("Belum ada Izin edar"), "{}", c.message);
}

#[test]
fn a_certificate_is_valid_on_its_expiry_date_and_expired_the_day_after() {
    let r = json!({"kind": "halal"});
    let mut f = complete();
    f.certificates = vec![cert(CertificateKind::Halal, "ID1", Some(d(2026, 3, 2)))];
    let on_the_day = check(r.clone(), &f, d(2026, 3, 2));
    assert_eq!(on_the_day.status, ItemStatus::Warning);
    assert!(on_the_day.message.contains("hari ini"), "{}", on_the_day.message);
    let after = check(r, &f, d(2026, 3, 3));
    assert_eq!(after.status, ItemStatus::Fail);
    assert_eq!(
        after.message,
        "Sertifikat halal kedaluwarsa sejak 3 Maret 2026 — unggah sertifikat baru"
    );
}

#[test]
fn thirty_days_before_expiry_warns_and_thirty_one_does_not() {
    let r = json!({"kind": "certificate", "certificate": "izin_edar"});
    let mut f = complete();
    f.certificates = vec![cert(CertificateKind::BpomMd, "MD1", Some(d(2026, 7, 1)))];
    let warn = check(r.clone(), &f, today());
    assert_eq!(warn.status, ItemStatus::Warning);
    assert!(warn.message.contains("30 hari lagi"), "{}", warn.message);
    assert_eq!(check(r, &f, d(2026, 5, 31)).status, ItemStatus::Pass);
}

#[test]
fn a_pirt_without_a_date_expires_at_the_end_of_the_year_in_its_number() {
    let r = json!({"kind": "certificate", "certificate": "pirt"});
    let mut f = complete();
    // ...25 at the end: valid through 31 December 2025.
    f.certificates = vec![cert(CertificateKind::Pirt, "2063673012345-25", None)];
    let c = check(r.clone(), &f, today());
    assert_eq!(c.status, ItemStatus::Fail);
    assert!(c.message.contains("sejak 1 Januari 2026"), "{}", c.message);
    assert_eq!(check(r.clone(), &f, d(2025, 12, 31)).status, ItemStatus::Warning);
    f.certificates = vec![cert(CertificateKind::Pirt, "206367301234529", None)];
    let ok = check(r, &f, today());
    assert_eq!(ok.status, ItemStatus::Pass);
    assert!(ok.message.contains("31 Desember 2029"), "{}", ok.message);
}

#[test]
fn missing_dates_on_a_halal_certificate_count_as_valid() {
    let c = check(json!({"kind": "halal"}), &complete(), today());
    assert_eq!(c.status, ItemStatus::Pass);
    assert!(c.message.contains("tanpa masa berlaku"));
}

#[test]
fn the_best_of_several_certificates_decides() {
    let mut f = complete();
    f.certificates = vec![
        cert(CertificateKind::Halal, "ID1", Some(d(2025, 1, 1))),
        cert(CertificateKind::Halal, "ID2", Some(d(2027, 1, 1))),
    ];
    assert_eq!(check(json!({"kind": "halal"}), &f, today()).status, ItemStatus::Pass);
    f.certificates.truncate(1);
    assert_eq!(check(json!({"kind": "halal"}), &f, today()).status, ItemStatus::Fail);
    f.certificates.clear();
    assert_eq!(
        check(json!({"kind": "halal"}), &f, today()).message,
        "Belum ada Sertifikat halal — unggah sertifikatnya"
    );
}

#[test]
fn gtin_must_be_present_with_a_correct_check_digit() {
    let r = json!({"kind": "gtin"});
    let mut f = complete();
    assert_eq!(check(r.clone(), &f, today()).status, ItemStatus::Pass);
    f.gtin = Some("8991234567890".into());
    let bad = check(r.clone(), &f, today());
    assert_eq!((bad.status, bad.fix), (ItemStatus::Fail, Some("#gtin")));
    f.gtin = None;
    assert!(check(r, &f, today()).message.contains("GS1"));
}

#[test]
fn shelf_life_at_least_n_days_inclusive() {
    let r = json!({"kind": "shelf_life", "min_days": 180});
    let mut f = complete();
    assert_eq!(check(r.clone(), &f, today()).status, ItemStatus::Pass);
    f.shelf_life_days = Some(179);
    let c = check(r.clone(), &f, today());
    assert_eq!(c.message, "Masa simpan 179 hari, kurang dari 180 hari yang diminta");
    f.shelf_life_days = None;
    assert_eq!(check(r, &f, today()).fix, Some("#shelf_life_days"));
}

#[test]
fn photos_count_only_large_and_sharp_ones() {
    let r = json!({"kind": "photos", "min_count": 2, "min_long_side": 1000});
    let mut f = complete();
    assert!(check(r.clone(), &f, today()).message.contains("Baru 1 dari 1"));
    f.photos.push(PhotoFacts { width: 800, height: 1000, sharpness: 100.0 });
    assert_eq!(check(r.clone(), &f, today()).status, ItemStatus::Pass);
    f.photos[1].sharpness = 59.9;
    assert_eq!(check(r.clone(), &f, today()).status, ItemStatus::Fail);
    f.photos[1] = PhotoFacts { width: 999, height: 600, sharpness: 100.0 };
    assert_eq!(check(r.clone(), &f, today()).status, ItemStatus::Fail);
    f.photos.clear();
    let c = check(r, &f, today());
    assert!(c.message.starts_with("Belum ada foto"));
    assert_eq!(c.fix, Some("#foto"));
}

#[test]
fn net_content_needs_amount_and_unit() {
    let r = json!({"kind": "net_content"});
    let mut f = complete();
    assert_eq!(check(r.clone(), &f, today()).message, "Isi bersih 250 g");
    f.net_unit = None;
    assert_eq!(check(r, &f, today()).status, ItemStatus::Fail);
}

#[test]
fn pack_size_within_range_inclusive() {
    let r = json!({"kind": "pack_size", "min": 1, "max": 12});
    let mut f = complete();
    f.pack_size = Some(12);
    assert_eq!(check(r.clone(), &f, today()).status, ItemStatus::Pass);
    f.pack_size = Some(13);
    assert!(check(r.clone(), &f, today()).message.contains("1–12 buah"));
    f.pack_size = None;
    assert_eq!(check(r, &f, today()).status, ItemStatus::Fail);
    assert_eq!(
        check(json!({"kind": "pack_size", "max": 6}), &complete(), today()).status,
        ItemStatus::Pass
    );
}

#[test]
fn packaging_in_the_allowed_set() {
    let r = json!({"kind": "packaging", "allowed": ["standing_pouch", "toples"]});
    let mut f = complete();
    assert_eq!(check(r.clone(), &f, today()).status, ItemStatus::Pass);
    f.packaging = Some(Packaging::PlastikKlip);
    let c = check(r.clone(), &f, today());
    assert!(c.message.contains("plastik klip belum diterima"), "{}", c.message);
    f.packaging = None;
    assert_eq!(check(r, &f, today()).fix, Some("#packaging"));
}

#[test]
fn storage_type_allowed() {
    let r = json!({"kind": "storage", "allowed": ["ambient"]});
    let mut f = complete();
    assert_eq!(check(r.clone(), &f, today()).status, ItemStatus::Pass);
    f.storage = StorageType::Frozen;
    assert_eq!(check(r, &f, today()).status, ItemStatus::Fail);
}

#[test]
fn monthly_capacity_at_least_n() {
    let r = json!({"kind": "monthly_capacity", "min": 500});
    let mut f = complete();
    assert_eq!(check(r.clone(), &f, today()).status, ItemStatus::Pass);
    f.monthly_capacity = Some(499);
    assert_eq!(
        check(r.clone(), &f, today()).message,
        "Kapasitas 499 kemasan/bulan, kurang dari 500 yang diminta"
    );
    f.monthly_capacity = None;
    assert_eq!(check(r, &f, today()).status, ItemStatus::Fail);
}

#[test]
fn producer_verified_and_scale() {
    let mut f = complete();
    assert_eq!(check(json!({"kind": "producer_verified"}), &f, today()).status, ItemStatus::Pass);
    f.producer.verified = false;
    let c = check(json!({"kind": "producer_verified"}), &f, today());
    assert_eq!((c.status, c.fix), (ItemStatus::Fail, Some("/usaha")));
    let r = json!({"kind": "producer_scale", "allowed": ["mikro", "kecil"]});
    assert_eq!(check(r.clone(), &f, today()).status, ItemStatus::Pass);
    f.producer.scale = Some(BusinessScale::Menengah);
    assert_eq!(check(r.clone(), &f, today()).status, ItemStatus::Fail);
    f.producer.scale = None;
    assert_eq!(check(r, &f, today()).status, ItemStatus::Fail);
}

#[test]
fn prices_must_both_be_stated() {
    let r = json!({"kind": "price"});
    let mut f = complete();
    assert_eq!(check(r.clone(), &f, today()).message, "Grosir Rp22.000 · eceran Rp28.000");
    f.retail_price = None;
    assert_eq!(check(r.clone(), &f, today()).fix, Some("#retail_price"));
    f.wholesale_price = None;
    assert_eq!(check(r, &f, today()).status, ItemStatus::Fail);
}

#[test]
fn evaluation_is_eligible_only_when_nothing_fails_and_scores_the_share_met() {
    let reqs: Vec<Requirement> = serde_json::from_value(json!([
        {"kind": "certificate", "certificate": "izin_edar"},
        {"kind": "gtin"},
        {"kind": "shelf_life", "min_days": 365},
        {"kind": "price"}
    ]))
    .unwrap();
    let mut f = complete();
    f.certificates[0].expires_on = Some(d(2026, 6, 10));
    let e = evaluate(&f, &reqs, today());
    assert!(!e.eligible);
    assert_eq!(e.score, 75);
    assert_eq!(e.items[0].status, ItemStatus::Warning);
    assert_eq!(e.items[2].kind, "shelf_life");
    assert_eq!(e.items[2].fix.as_deref(), Some("#shelf_life_days"));
    let ok = evaluate(&f, &reqs[..2], today());
    assert!(ok.eligible);
    assert_eq!(ok.score, 100);
    assert!(evaluate(&f, &[], today()).eligible);
}

#[test]
fn requirements_are_typed_json_and_unknown_fields_or_kinds_are_refused() {
    let r = req(json!({"kind": "shelf_life", "min_days": 30}));
    assert_eq!(serde_json::to_value(&r).unwrap(), json!({"kind": "shelf_life", "min_days": 30}));
    assert!(
        serde_json::from_value::<Requirement>(
            json!({"kind": "shelf_life", "min_days": 30, "x": 1})
        )
        .is_err()
    );
    assert!(serde_json::from_value::<Requirement>(json!({"kind": "warna"})).is_err());
    assert!(
        serde_json::from_value::<Requirement>(json!({"kind": "packaging", "allowed": ["kardus"]}))
            .is_err()
    );
    assert_eq!(Requirement::KINDS.len(), 13);
}

#[test]
fn parameters_are_checked() {
    let bad: Vec<Requirement> = serde_json::from_value(json!([
        {"kind": "shelf_life", "min_days": 0},
        {"kind": "pack_size", "min": 10, "max": 2},
        {"kind": "packaging", "allowed": []},
        {"kind": "photos", "min_count": 9, "min_long_side": 1000},
        {"kind": "gtin"}, {"kind": "gtin"}
    ]))
    .unwrap();
    let errs = Requirement::validate_all(&bad).unwrap_err();
    assert_eq!(errs.len(), 5, "{errs:?}");
    assert!(errs[0].starts_with("Persyaratan ke-1"));
}

#[test]
fn fix_links_point_into_the_product_form_or_to_a_page() {
    assert_eq!(fix_url(7, "#foto"), "/produk-saya/7#foto");
    assert_eq!(fix_url(7, "/usaha"), "/usaha");
}

#[test]
fn the_version_in_force_is_the_latest_that_has_started() {
    let v = [(1, d(2026, 1, 1)), (2, d(2026, 7, 1)), (3, d(2026, 3, 1))];
    assert_eq!(version_in_force(&v, d(2025, 12, 31)), None);
    assert_eq!(version_in_force(&v, d(2026, 6, 30)), Some(3));
    assert_eq!(version_in_force(&v, d(2026, 7, 1)), Some(2));
}

#[test]
fn evaluations_go_stale_when_a_warning_starts_or_a_certificate_expires() {
    let expiry = d(2026, 7, 1);
    // Warning starts on 1 June (30 days left), expired from 2 July.
    assert!(!needs_reevaluation(d(2026, 5, 30), d(2026, 5, 31), &[expiry]));
    assert!(needs_reevaluation(d(2026, 5, 31), d(2026, 6, 1), &[expiry]));
    assert!(!needs_reevaluation(d(2026, 6, 1), d(2026, 7, 1), &[expiry]));
    assert!(needs_reevaluation(d(2026, 7, 1), d(2026, 7, 2), &[expiry]));
    assert!(!needs_reevaluation(d(2026, 7, 2), d(2026, 7, 2), &[expiry]));
    assert!(!needs_reevaluation(d(2026, 1, 1), d(2026, 12, 1), &[]));
}

#[test]
fn a_standard_has_a_bounded_number_of_requirements_and_choices() {
    let many: Vec<Requirement> = (0..=kinds::MAX_REQUIREMENTS)
        .map(|i| req(json!({"kind": "shelf_life", "min_days": 30 + i})))
        .collect();
    let errs = Requirement::validate_all(&many).unwrap_err();
    assert_eq!(errs.len(), 1, "one message naming the limit, not one per pair: {errs:?}");
    assert!(errs[0].contains("30"), "{errs:?}");
    assert!(Requirement::validate_all(&many[..kinds::MAX_REQUIREMENTS]).is_ok());

    let repeated: Vec<&str> = std::iter::repeat_n("toples", 10_000).collect();
    let r = req(json!({"kind": "packaging", "allowed": repeated}));
    let errs = Requirement::validate_all(&[r]).unwrap_err();
    assert!(errs[0].contains("sekali"), "{errs:?}");
    let r = req(json!({"kind": "storage", "allowed": ["ambient", "ambient"]}));
    assert!(Requirement::validate_all(&[r]).is_err());
}

#[test]
fn a_halal_certificate_counts_only_once_an_officer_checked_it_a_pirt_at_once() {
    let halal = json!({"kind": "halal"});
    assert_eq!(check(halal.clone(), &complete(), today()).status, ItemStatus::Pass);
    let mut f = complete();
    f.certificates[1].checked = false;
    let c = check(halal, &f, today());
    assert_eq!(c.status, ItemStatus::Fail, "an unchecked halal certificate does not count");
    assert!(c.message.contains("menunggu pemeriksaan Dinas"), "{}", c.message);
    // The P-IRT in the facts was never checked and counts.
    let pirt = json!({"kind": "certificate", "certificate": "pirt"});
    assert_eq!(check(pirt, &f, today()).status, ItemStatus::Pass);
}
