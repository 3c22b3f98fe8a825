#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, NaiveDate, Utc};

use super::share::format_basis_points;
use super::*;
use crate::datefmt::date_wib;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn fact(date: &str, value: i64, local: bool) -> PurchaseFact {
    PurchaseFact { date: d(date), value, category: PurchaseCategory::Lainnya, local_umkm: local }
}

fn today() -> NaiveDate {
    d("2026-12-02")
}

fn input() -> PurchaseInput {
    PurchaseInput {
        date: "2026-03-31".into(),
        value: Some(2_500_000),
        description: "Nasi kotak rapat koordinasi".into(),
        category: "makanan_rapat".into(),
        producer_id: None,
        supplier_name: Some("Katering Bu Imas".into()),
        supplier_local_umkm: Some(true),
    }
}

#[test]
fn codes_and_labels() {
    crate::code_enum::assert_serde_codes::<BuyerKind>();
    crate::code_enum::assert_serde_codes::<PurchaseCategory>();
    let letters: Vec<_> = PurchaseCategory::all().iter().map(|c| c.pasal_letter()).collect();
    assert_eq!(letters, [Some("b"), Some("c"), Some("d"), None]);
}

#[test]
fn exactly_forty_percent_meets_and_a_rupiah_less_does_not() {
    // 40 of 100: exactly the target.
    assert!(meets_target(40, 100));
    assert!(meets_target(400_000, 1_000_000));
    // 39.99%: 3,999 of 10,000.
    assert!(!meets_target(3_999, 10_000));
    // One rupiah short of 40% of Rp1 triliun.
    assert!(!meets_target(399_999_999_999, MAX_RUPIAH));
    assert_eq!(share_basis_points(3_999, 10_000), Some(3_999));
    // 39.999…% is shown rounded down, never as 40,00%.
    assert_eq!(share_basis_points(399_999, 1_000_000), Some(3_999));
    assert_eq!(format_basis_points(3_999), "39,99%");
    assert_eq!(format_basis_points(4_000), "40,00%");
    assert_eq!(share_basis_points(0, 0), None);
}

#[test]
fn months_are_counted_apart_and_an_empty_month_has_no_data() {
    let facts = [
        fact("2026-01-05", 600_000, true),
        fact("2026-01-20", 900_000, false), // January: 600/1500 = 40% exactly
        fact("2026-02-01", 3_999, true),
        fact("2026-02-28", 6_001, false), // February: 39.99%
        fact("2025-03-10", 1_000, true),  // another year
    ];
    let m = monthly(&facts, 2026);
    assert_eq!(m.len(), 12);
    assert_eq!((m[0].total, m[0].local, m[0].status), (1_500_000, 600_000, ShareStatus::Meets));
    assert_eq!(m[0].share_text(), "40,00%");
    assert_eq!((m[1].status, m[1].share_text()), (ShareStatus::Below, "39,99%".to_string()));
    assert_eq!((m[2].status, m[2].purchases, m[2].share_bp), (ShareStatus::NoData, 0, None));
    assert_eq!(m[2].share_text(), "—");
    assert!(m[3..].iter().all(|x| x.status == ShareStatus::NoData));
    // Year to date through February: 603,999 of 1,510,000 = 39.99…%: below.
    let ytd = year_to_date(&facts, 2026, 2);
    assert_eq!((ytd.total, ytd.local, ytd.status), (1_510_000, 603_999, ShareStatus::Below));
    // Through January only: exactly 40%.
    assert_eq!(year_to_date(&facts, 2026, 1).status, ShareStatus::Meets);
    // No purchases at all in 2024.
    assert_eq!(year_to_date(&facts, 2024, 12).status, ShareStatus::NoData);
}

#[test]
fn the_last_day_of_a_month_counts_in_that_month() {
    let facts = [fact("2026-01-31", 100, true), fact("2026-02-01", 100, false)];
    let m = monthly(&facts, 2026);
    assert_eq!((m[0].local, m[0].total, m[0].status), (100, 100, ShareStatus::Meets));
    assert_eq!((m[1].local, m[1].total, m[1].status), (0, 100, ShareStatus::Below));
    // A leap-year February ends on the 29th.
    let leap = [fact("2028-02-29", 100, false)];
    assert_eq!(monthly(&leap, 2028)[1].total, 100);
    assert_eq!(monthly(&leap, 2028)[2].total, 0);
}

#[test]
fn a_purchase_dated_from_the_clock_takes_the_wib_date() {
    let utc = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
    // 31 January 23:59 WIB is 16:59 UTC the same day: January.
    assert_eq!(date_wib(utc("2026-01-31T16:59:00Z")), d("2026-01-31"));
    // 1 February 00:30 WIB is still 31 January in UTC: February.
    let feb = date_wib(utc("2026-01-31T17:30:00Z"));
    assert_eq!(feb, d("2026-02-01"));
    let m = monthly(&[PurchaseFact { date: feb, ..fact("2026-01-01", 10, true) }], 2026);
    assert_eq!((m[0].total, m[1].total), (0, 10));
}

#[test]
fn categories_are_summed_separately() {
    let mut facts = vec![fact("2026-04-01", 1_000, false)];
    facts.push(PurchaseFact {
        category: PurchaseCategory::MakananRapat,
        ..fact("2026-04-02", 300, true)
    });
    facts.push(PurchaseFact {
        category: PurchaseCategory::MakananRapat,
        ..fact("2026-05-02", 700, false)
    });
    facts.push(PurchaseFact {
        category: PurchaseCategory::Cenderamata,
        ..fact("2026-05-03", 50, true)
    });
    let c = by_category(&facts, 2026);
    let codes: Vec<_> = c.iter().map(|x| x.category.as_str()).collect();
    assert_eq!(codes, ["makanan_rapat", "mebel_kantor", "cenderamata", "lainnya"]);
    assert_eq!(
        (c[0].total, c[0].local, c[0].share_bp, c[0].purchases),
        (1_000, 300, Some(3_000), 2)
    );
    assert_eq!((c[1].total, c[1].share_bp), (0, None));
    assert_eq!((c[2].total, c[2].share_bp), (50, Some(10_000)));
    assert_eq!((c[3].total, c[3].local), (1_000, 0));
}

#[test]
fn budget_use_and_over_budget() {
    let b = budget_use(Some(10_000_000), 2_500_000);
    assert_eq!((b.used_bp, b.remaining, b.over_budget), (Some(2_500), Some(7_500_000), false));
    let b = budget_use(Some(10_000_000), 10_000_000);
    assert_eq!((b.used_bp, b.over_budget), (Some(10_000), false));
    let b = budget_use(Some(10_000_000), 10_000_001);
    assert_eq!((b.remaining, b.over_budget), (Some(-1), true));
    let b = budget_use(None, 5);
    assert_eq!((b.used_bp, b.remaining, b.over_budget), (None, None, false));
}

#[test]
fn a_valid_purchase_from_another_supplier_and_from_the_catalog() {
    let v = input().validate(today()).unwrap();
    assert_eq!(v.date, d("2026-03-31"));
    assert_eq!(v.category, PurchaseCategory::MakananRapat);
    assert_eq!(v.supplier, Supplier::Other { name: "Katering Bu Imas".into(), local_umkm: true });
    let cat = PurchaseInput { producer_id: Some(7), supplier_name: Some("  ".into()), ..input() };
    assert_eq!(cat.validate(today()).unwrap().supplier, Supplier::Catalog(7));
    // Today (WIB) is allowed.
    assert!(PurchaseInput { date: "2026-12-02".into(), ..input() }.validate(today()).is_ok());
}

#[test]
fn every_bad_field_is_named() {
    let empty = PurchaseInput::default().validate(today()).unwrap_err();
    assert_eq!(empty.fields(), ["date", "value", "description", "category", "supplier_name"]);
    let field_code = |i: PurchaseInput| {
        let e = i.validate(today()).unwrap_err();
        (e.0[0].field.clone(), e.0[0].code)
    };
    assert_eq!(
        field_code(PurchaseInput { date: "31-03-2026".into(), ..input() }),
        ("date".into(), "invalid_format")
    );
    assert_eq!(
        field_code(PurchaseInput { date: "2026-12-03".into(), ..input() }),
        ("date".into(), "in_future")
    );
    assert_eq!(
        field_code(PurchaseInput { date: "1999-01-01".into(), ..input() }),
        ("date".into(), "out_of_range")
    );
    assert_eq!(
        field_code(PurchaseInput { value: Some(0), ..input() }),
        ("value".into(), "out_of_range")
    );
    assert_eq!(
        field_code(PurchaseInput { value: Some(-5), ..input() }),
        ("value".into(), "out_of_range")
    );
    assert_eq!(
        field_code(PurchaseInput { value: Some(MAX_RUPIAH + 1), ..input() }),
        ("value".into(), "out_of_range")
    );
    assert!(PurchaseInput { value: Some(MAX_RUPIAH), ..input() }.validate(today()).is_ok());
    assert_eq!(
        field_code(PurchaseInput { category: "atk".into(), ..input() }),
        ("category".into(), "invalid_choice")
    );
    assert_eq!(
        field_code(PurchaseInput { description: "x".repeat(301), ..input() }),
        ("description".into(), "too_long")
    );
    assert_eq!(
        field_code(PurchaseInput { producer_id: Some(3), ..input() }),
        ("supplier_name".into(), "not_applicable")
    );
    assert_eq!(
        field_code(PurchaseInput { supplier_local_umkm: None, ..input() }),
        ("supplier_local_umkm".into(), "required")
    );
    assert_eq!(
        field_code(PurchaseInput { producer_id: Some(0), supplier_name: None, ..input() }),
        ("producer_id".into(), "not_found")
    );
    assert_eq!(check_year("year", Some(2019)).unwrap_err().code, "out_of_range");
    assert_eq!(check_year("year", Some(2026)), Ok(2026));
    assert_eq!(check_buyer_name("name", " ").unwrap_err().code, "required");
}
