//! Compliance rules at their edges: exactly N, an agreement ending tomorrow, a policy taking
//! effect today, suspended agreements, flags after two inspections.

use chrono::{NaiveDate, TimeDelta};

use super::*;
use crate::agreement::AgreementStatus;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn today() -> NaiveDate {
    d(2026, 6, 1)
}

fn policy(n: i64, m: i64, k: i64) -> Policy {
    Policy {
        id: 1,
        min_agreements: n,
        min_products: m,
        min_producers: k,
        effective_from: d(2026, 1, 1),
    }
}

fn ag(id: i64, producer: i64, products: &[i64], end_in_days: i64) -> AgreementFacts {
    AgreementFacts {
        id,
        producer_id: producer,
        status: AgreementStatus::Active,
        start_date: today() - TimeDelta::days(60),
        end_date: today() + TimeDelta::days(end_in_days),
        product_ids: products.to_vec(),
    }
}

fn three() -> Vec<AgreementFacts> {
    vec![ag(1, 10, &[100], 200), ag(2, 11, &[101, 102], 200), ag(3, 12, &[103], 200)]
}

#[test]
fn level_codes_and_labels() {
    crate::code_enum::assert_serde_codes::<Level>();
    assert_eq!(Level::TidakPatuh.as_str(), "tidak_patuh");
}

#[test]
fn exactly_n_agreements_is_compliant_and_one_fewer_is_not() {
    let p = policy(3, 4, 3);
    let s = evaluate(&p, &three(), &[], today());
    assert_eq!(s.level, Level::Patuh);
    assert_eq!(s.figures, Figures { agreements: 3, products: 4, producers: 3 });
    assert!(s.shortfalls.is_empty());

    let s = evaluate(&p, &three()[..2], &[], today());
    assert_eq!(s.level, Level::TidakPatuh);
    let kinds: Vec<&str> = s.shortfalls.iter().map(|x| x.kind).collect();
    assert_eq!(kinds, ["agreements", "products", "producers"]);
    assert_eq!(s.shortfalls[0].message, "Kurang 1 perjanjian aktif (ada 2 dari minimal 3).");
}

#[test]
fn products_and_producers_are_counted_distinct() {
    let p = policy(2, 2, 2);
    let same_producer_same_product = vec![ag(1, 10, &[100], 200), ag(2, 10, &[100], 200)];
    let s = evaluate(&p, &same_producer_same_product, &[], today());
    assert_eq!(s.figures, Figures { agreements: 2, products: 1, producers: 1 });
    assert_eq!(s.level, Level::TidakPatuh);
    assert_eq!(s.shortfalls.len(), 2);
}

#[test]
fn an_agreement_ending_tomorrow_counts_today_but_puts_the_store_at_risk() {
    let p = policy(3, 1, 1);
    let mut ags = three();
    ags[0].end_date = today() + TimeDelta::days(1);
    let s = evaluate(&p, &ags, &[], today());
    assert_eq!(s.level, Level::Berisiko);
    assert_eq!(s.figures.agreements, 3);
    assert_eq!(s.figures_in_30_days.agreements, 2);
    assert_eq!(s.ending_soon, vec![1]);
    assert!(s.shortfalls.is_empty());
    // Tomorrow it has ended: it no longer counts.
    let s = evaluate(&p, &ags, &[], today() + TimeDelta::days(1));
    assert_eq!(s.level, Level::TidakPatuh);
    assert_eq!(s.figures.agreements, 2);
}

#[test]
fn ending_on_day_30_is_at_risk_and_on_day_31_is_not() {
    let p = policy(3, 1, 1);
    let mut ags = three();
    ags[2].end_date = today() + TimeDelta::days(RISK_WINDOW_DAYS);
    assert_eq!(evaluate(&p, &ags, &[], today()).level, Level::Berisiko);
    ags[2].end_date = today() + TimeDelta::days(RISK_WINDOW_DAYS + 1);
    assert_eq!(evaluate(&p, &ags, &[], today()).level, Level::Patuh);
}

#[test]
fn a_spare_agreement_keeps_the_store_compliant_when_one_ends_soon() {
    let p = policy(2, 1, 1);
    let mut ags = three();
    ags[0].end_date = today() + TimeDelta::days(5);
    assert_eq!(evaluate(&p, &ags, &[], today()).level, Level::Patuh);
}

#[test]
fn suspended_future_and_proposed_agreements_do_not_count() {
    let p = policy(1, 1, 1);
    let mut suspended = ag(1, 10, &[100], 200);
    suspended.status = AgreementStatus::Suspended;
    let mut future = ag(2, 11, &[101], 200);
    future.start_date = today() + TimeDelta::days(1);
    let mut proposed = ag(3, 12, &[102], 200);
    proposed.status = AgreementStatus::Proposed;
    let s = evaluate(&p, &[suspended, future, proposed], &[], today());
    assert_eq!(s.figures, Figures::default());
    assert_eq!(s.level, Level::TidakPatuh);
}

#[test]
fn an_ended_agreement_counts_for_a_past_date_within_its_dates() {
    let mut a = ag(1, 10, &[100], -10);
    a.status = AgreementStatus::Ended;
    let p = policy(1, 1, 1);
    assert_eq!(
        evaluate(&p, std::slice::from_ref(&a), &[], today() - TimeDelta::days(20))
            .figures
            .agreements,
        1
    );
    assert_eq!(evaluate(&p, &[a], &[], today()).figures.agreements, 0);
}

#[test]
fn a_policy_taking_effect_today_applies_today_and_not_yesterday() {
    let old = Policy {
        id: 1,
        min_agreements: 1,
        min_products: 1,
        min_producers: 1,
        effective_from: d(2026, 1, 1),
    };
    let new = Policy {
        id: 2,
        min_agreements: 4,
        min_products: 4,
        min_producers: 4,
        effective_from: today(),
    };
    let all = [old, new];
    assert_eq!(policy_in_force(&all, today()).map(|p| p.id), Some(2));
    assert_eq!(policy_in_force(&all, today() - TimeDelta::days(1)).map(|p| p.id), Some(1));
    assert_eq!(policy_in_force(&all, d(2025, 12, 31)), None);
    let ags = three();
    assert_eq!(
        evaluate(policy_in_force(&all, today()).unwrap(), &ags, &[], today()).level,
        Level::TidakPatuh
    );
    assert_eq!(
        evaluate(
            policy_in_force(&all, today() - TimeDelta::days(1)).unwrap(),
            &ags,
            &[],
            today() - TimeDelta::days(1)
        )
        .level,
        Level::Patuh
    );
}

#[test]
fn two_policies_on_the_same_day_the_later_one_wins() {
    let a = Policy {
        id: 1,
        min_agreements: 1,
        min_products: 1,
        min_producers: 1,
        effective_from: today(),
    };
    let b = Policy { id: 2, ..a };
    assert_eq!(policy_in_force(&[b, a], today()).map(|p| p.id), Some(2));
}

fn insp(day: NaiveDate, seen: &[i64], not_seen: &[i64]) -> InspectionFacts {
    InspectionFacts { date: day, seen: seen.to_vec(), not_seen: not_seen.to_vec() }
}

#[test]
fn an_agreement_not_seen_on_two_consecutive_inspections_is_flagged() {
    let ags = three();
    let t = today();
    let once = [insp(t - TimeDelta::days(10), &[101], &[100])];
    assert!(flagged_agreements(&ags, &once, t).is_empty());
    let twice =
        [insp(t - TimeDelta::days(20), &[], &[100]), insp(t - TimeDelta::days(10), &[101], &[100])];
    assert_eq!(flagged_agreements(&ags, &twice, t), vec![1]);
    assert_eq!(evaluate(&policy(1, 1, 1), &ags, &twice, t).flagged, vec![1]);
    // Seen again on the latest visit: no longer flagged.
    let mut later = twice.to_vec();
    later.push(insp(t - TimeDelta::days(1), &[100], &[]));
    assert!(flagged_agreements(&ags, &later, t).is_empty());
    // Not seen, then seen, then not seen: not consecutive.
    let gap = [
        insp(t - TimeDelta::days(30), &[], &[100]),
        insp(t - TimeDelta::days(20), &[100], &[]),
        insp(t - TimeDelta::days(10), &[], &[100]),
    ];
    assert!(flagged_agreements(&ags, &gap, t).is_empty());
    // An inspection after `date` is not evidence yet.
    assert!(flagged_agreements(&ags, &twice, t - TimeDelta::days(15)).is_empty());
}

#[test]
fn an_agreement_with_one_of_two_products_seen_is_not_flagged() {
    let ags = three();
    let t = today();
    let ins = [
        insp(t - TimeDelta::days(20), &[102], &[101]),
        insp(t - TimeDelta::days(10), &[102], &[101]),
    ];
    assert!(flagged_agreements(&ags, &ins, t).is_empty());
}
