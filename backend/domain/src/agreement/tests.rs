use super::*;
use crate::roles::Role;
use crate::transition::TransitionError;
use AgreementAction as A;
use AgreementStatus as S;
use chrono::NaiveDate;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The expected result of one (status, action, role, offer_by, before_end) combination.
fn expected(
    from: S,
    action: A,
    role: Role,
    offer_by: Side,
    before_end: bool,
) -> Result<S, TransitionError> {
    let forbidden = Err(TransitionError::Forbidden { role, action: action.as_str() });
    let invalid = Err(TransitionError::Invalid { from: from.as_str(), action: action.as_str() });
    let side = match role {
        Role::Umkm => Side::Producer,
        Role::Store | Role::Chain => Side::Store,
        Role::Dinas | Role::Admin | Role::Buyer => return forbidden,
    };
    match (from, action) {
        (_, A::Suspend | A::Resume) if side == Side::Producer => forbidden,
        (S::Proposed | S::Countered, A::Accept) if side != offer_by => Ok(S::Accepted),
        (S::Proposed | S::Countered, A::Counter) if side != offer_by => Ok(S::Countered),
        (S::Proposed | S::Countered, A::Reject) if side != offer_by => Ok(S::Rejected),
        (S::Proposed | S::Countered, A::Accept | A::Counter | A::Reject) => forbidden,
        (S::Proposed | S::Countered, A::Withdraw) if side == offer_by => Ok(S::Withdrawn),
        (S::Proposed | S::Countered, A::Withdraw) => forbidden,
        (S::Active, A::Suspend) => Ok(S::Suspended),
        (S::Suspended, A::Resume) => Ok(S::Active),
        (S::Accepted | S::Active | S::Suspended, A::End) if before_end => Ok(S::Terminated),
        (S::Accepted | S::Active | S::Suspended, A::End) => Ok(S::Ended),
        _ => invalid,
    }
}

#[test]
fn every_status_action_role_and_side_combination() {
    let mut allowed = 0;
    let mut total = 0;
    for &from in S::all() {
        for &action in A::all() {
            for &role in Role::all() {
                for &offer_by in Side::all() {
                    for before_end in [true, false] {
                        total += 1;
                        let got = from.apply(action, role, offer_by, before_end);
                        let want = expected(from, action, role, offer_by, before_end);
                        allowed += usize::from(want.is_ok());
                        assert_eq!(
                            got, want,
                            "{from} + {action} oleh {role} (tawaran dari {offer_by}, before_end {before_end})"
                        );
                    }
                }
            }
        }
    }
    assert_eq!(total, 9 * 7 * 6 * 2 * 2);
    assert_eq!(allowed, 100);
}

#[test]
fn only_the_other_side_accepts_and_only_the_offering_side_withdraws() {
    assert_eq!(S::Proposed.apply(A::Accept, Role::Umkm, Side::Store, true), Ok(S::Accepted));
    assert_eq!(
        S::Proposed.apply(A::Accept, Role::Chain, Side::Store, true).unwrap_err().code(),
        "forbidden"
    );
    assert_eq!(S::Countered.apply(A::Withdraw, Role::Umkm, Side::Producer, true), Ok(S::Withdrawn));
    assert_eq!(
        S::Countered.apply(A::Withdraw, Role::Store, Side::Producer, true).unwrap_err().code(),
        "forbidden"
    );
    assert_eq!(
        S::Active.apply(A::Suspend, Role::Umkm, Side::Store, true).unwrap_err().code(),
        "forbidden"
    );
    assert_eq!(
        S::Ended.apply(A::End, Role::Store, Side::Store, true).unwrap_err().code(),
        "invalid_transition"
    );
    assert_eq!(
        S::Proposed.available_actions(Role::Umkm, Side::Store, true),
        [A::Accept, A::Counter, A::Reject]
    );
    assert_eq!(S::Active.available_actions(Role::Store, Side::Store, true), [A::Suspend, A::End]);
    assert!(S::Active.available_actions(Role::Dinas, Side::Store, true).is_empty());
}

#[test]
fn reasons_are_needed_to_reject_suspend_and_end_early() {
    assert!(S::needs_reason(A::Reject, false));
    assert!(S::needs_reason(A::Suspend, false));
    assert!(S::needs_reason(A::End, true));
    assert!(!S::needs_reason(A::End, false));
    assert!(!S::needs_reason(A::Accept, true));
}

#[test]
fn the_calendar_activates_and_ends() {
    let (start, end) = (d("2026-07-01"), d("2026-12-31"));
    assert!(due_steps(S::Accepted, start, end, d("2026-06-30")).is_empty());
    assert_eq!(
        due_steps(S::Accepted, start, end, d("2026-07-01")),
        [(SystemStep::Activate, S::Active)]
    );
    assert!(due_steps(S::Active, start, end, d("2026-12-30")).is_empty());
    assert_eq!(due_steps(S::Active, start, end, d("2026-12-31")), [(SystemStep::Expire, S::Ended)]);
    assert_eq!(
        due_steps(S::Suspended, start, end, d("2027-01-05")),
        [(SystemStep::Expire, S::Ended)]
    );
    assert_eq!(
        due_steps(S::Accepted, start, end, d("2027-02-01")),
        [(SystemStep::Activate, S::Active), (SystemStep::Expire, S::Ended)]
    );
    assert!(due_steps(S::Proposed, start, end, d("2027-02-01")).is_empty());
    assert!(due_steps(S::Terminated, start, end, d("2027-02-01")).is_empty());
}

fn terms() -> TermsInput {
    TermsInput {
        items: vec![ItemInput { product_id: 1, price: 22_000, facings: 2 }],
        scheme: "konsinyasi".into(),
        store_margin_percent: Some(12),
        payment_term_days: 14,
        start_date: d("2026-07-01"),
        end_date: d("2026-12-31"),
        delivery_schedule: "Setiap Senin pagi".into(),
        listing_fee: None,
    }
}

#[test]
fn fair_terms_have_no_flags() {
    let v = terms().validate(d("2026-06-01")).unwrap();
    assert_eq!(v.scheme, Scheme::Konsinyasi);
    assert!(v.flags.is_empty());
    assert_eq!(v.to_input(), terms());
}

#[test]
fn permendag_limits_are_flagged_not_blocked() {
    let t = TermsInput {
        store_margin_percent: Some(20),
        listing_fee: Some(75_000),
        payment_term_days: 60,
        ..terms()
    };
    let v = t.validate(d("2026-06-01")).unwrap();
    let codes: Vec<&str> = v.flags.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["margin_above_limit", "listing_fee_above_limit", "long_payment_term"]);
    assert!(v.flags[1].message.contains("Rp75.000"), "{}", v.flags[1].message);
    let at_limit = TermsInput {
        store_margin_percent: Some(15),
        listing_fee: Some(50_000),
        payment_term_days: 30,
        ..terms()
    };
    assert!(at_limit.validate(d("2026-06-01")).unwrap().flags.is_empty());
}

#[test]
fn bad_terms_name_every_field() {
    let t = TermsInput {
        items: vec![
            ItemInput { product_id: 1, price: 0, facings: 2 },
            ItemInput { product_id: 1, price: 1000, facings: 0 },
        ],
        scheme: "beli_putus".into(),
        store_margin_percent: Some(10),
        payment_term_days: 400,
        start_date: d("2026-05-01"),
        end_date: d("2026-04-01"),
        delivery_schedule: "".into(),
        listing_fee: None,
    };
    let e = t.validate(d("2026-06-01")).unwrap_err();
    assert_eq!(
        e.fields(),
        [
            "items[0].price",
            "items[1].product_id",
            "items[1].facings",
            "store_margin_percent",
            "payment_term_days",
            "start_date",
            "end_date",
            "delivery_schedule"
        ]
    );
    let k =
        TermsInput { store_margin_percent: None, ..terms() }.validate(d("2026-06-01")).unwrap_err();
    assert_eq!(k.get("store_margin_percent").unwrap().code, "required");
}

#[test]
fn codes_and_labels() {
    crate::code_enum::assert_serde_codes::<S>();
    crate::code_enum::assert_serde_codes::<A>();
    crate::code_enum::assert_serde_codes::<Side>();
    crate::code_enum::assert_serde_codes::<Scheme>();
}
