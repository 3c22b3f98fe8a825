//! Tests of the producer enums and the verification lifecycle.

use super::*;

#[test]
fn enum_codes_and_labels() {
    use crate::code_enum::assert_serde_codes;
    assert_serde_codes::<BusinessScale>();
    assert_serde_codes::<RiskLevel>();
    assert_serde_codes::<ProducerStatus>();
    assert_serde_codes::<ProducerAction>();
    let risk: Vec<(&str, &str)> =
        RiskLevel::all().iter().map(|r| (r.as_str(), r.label())).collect();
    assert_eq!(
        risk,
        [
            ("rendah", "Rendah"),
            ("menengah_rendah", "Menengah rendah"),
            ("menengah_tinggi", "Menengah tinggi"),
            ("tinggi", "Tinggi"),
        ]
    );
    assert_eq!(ProducerStatus::Registered.label(), "Menunggu verifikasi");
    assert_eq!(ProducerStatus::Verified.label(), "Terverifikasi");
    assert_eq!(ProducerStatus::Rejected.label(), "Ditolak");
}

#[test]
fn business_scale_thresholds() {
    let rp = |v: i64| Rupiah::new("x", v).unwrap();
    assert_eq!(BusinessScale::from_capital(rp(MILIAR)), Some(BusinessScale::Mikro));
    assert_eq!(BusinessScale::from_capital(rp(MILIAR + 1)), Some(BusinessScale::Kecil));
    assert_eq!(BusinessScale::from_capital(rp(5 * MILIAR)), Some(BusinessScale::Kecil));
    assert_eq!(BusinessScale::from_capital(rp(10 * MILIAR)), Some(BusinessScale::Menengah));
    assert_eq!(BusinessScale::from_capital(rp(10 * MILIAR + 1)), None);
    assert_eq!(BusinessScale::from_annual_sales(rp(2 * MILIAR)), Some(BusinessScale::Mikro));
    assert_eq!(BusinessScale::from_annual_sales(rp(15 * MILIAR)), Some(BusinessScale::Kecil));
    assert_eq!(
        BusinessScale::from_annual_sales(rp(15 * MILIAR + 1)),
        Some(BusinessScale::Menengah)
    );
    assert_eq!(BusinessScale::from_annual_sales(rp(50 * MILIAR + 1)), None);
}

#[test]
fn verification_lifecycle_every_combination() {
    use ProducerAction as A;
    use ProducerStatus as S;
    // (from, action, role) → to: everything not listed is refused.
    let allowed = [
        (S::Registered, A::Verify, Role::Dinas, S::Verified),
        (S::Rejected, A::Verify, Role::Dinas, S::Verified),
        // Pendampingan: the service also asks for a NIB first (nib_missing).
        (S::Pendampingan, A::Verify, Role::Dinas, S::Verified),
        (S::Registered, A::Reject, Role::Dinas, S::Rejected),
        (S::Verified, A::Reject, Role::Dinas, S::Rejected),
        (S::Rejected, A::Resubmit, Role::Umkm, S::Registered),
    ];
    let mut checked = 0;
    for &from in S::all() {
        for &action in A::all() {
            for &role in Role::all() {
                let got = from.apply(action, role);
                let want = allowed.iter().find(|r| (r.0, r.1, r.2) == (from, action, role));
                match want {
                    Some(row) => assert_eq!(got, Ok(row.3), "{from} {action} {role}"),
                    None if role != action.allowed_role() => assert_eq!(
                        got,
                        Err(TransitionError::Forbidden { role, action: action.as_str() }),
                        "{from} {action} {role}"
                    ),
                    None => assert_eq!(
                        got,
                        Err(TransitionError::Invalid {
                            from: from.as_str(),
                            action: action.as_str()
                        }),
                        "{from} {action} {role}"
                    ),
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 4 * 3 * 6);
    assert_eq!(S::Verified.available_actions(Role::Dinas), vec![A::Reject]);
    assert_eq!(S::Rejected.available_actions(Role::Umkm), vec![A::Resubmit]);
    assert!(S::Registered.available_actions(Role::Store).is_empty());
}
