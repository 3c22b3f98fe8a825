//! Owns the business-scale derivation of the registration: the owner picks a capital range
//! and/or an annual-sales range (bounds are the PP 7/2021 Pasal 35 thresholds) and the scale is
//! derived with [`BusinessScale::from_capital`] / [`BusinessScale::from_annual_sales`], never
//! declared. Above menengah is a large business: not UMKM, refused.

use super::BusinessScale;
use crate::code_enum::code_enum;
use crate::error::FieldError;
use crate::money::Rupiah;

code_enum! {
    /// Business capital (excluding land and buildings), as a range between the thresholds.
    pub enum CapitalRange : "kisaran modal usaha" {
        UpTo1 => ("up_to1", "≤ Rp1 miliar"),
        From1To5 => ("from1_to5", "Rp1–5 miliar"),
        From5To10 => ("from5_to10", "Rp5–10 miliar"),
        Over10 => ("over10", "> Rp10 miliar"),
    }
}

code_enum! {
    /// Annual sales, as a range between the thresholds.
    pub enum SalesRange : "kisaran hasil penjualan tahunan" {
        UpTo2 => ("up_to2", "≤ Rp2 miliar"),
        From2To15 => ("from2_to15", "Rp2–15 miliar"),
        From15To50 => ("from15_to50", "Rp15–50 miliar"),
        Over50 => ("over50", "> Rp50 miliar"),
    }
}

const MILIAR: i64 = 1_000_000_000;

/// A value inside the range: its upper bound, or just above the last threshold.
fn representative(upper_miliar: Option<i64>, last_miliar: i64) -> Rupiah {
    let v = upper_miliar.map(|m| m * MILIAR).unwrap_or(last_miliar * MILIAR + 1);
    Rupiah::new("x", v).unwrap_or_default()
}

impl CapitalRange {
    /// The scale of a business in this range; `None` above menengah (a large business).
    pub fn scale(self) -> Option<BusinessScale> {
        let upper = match self {
            CapitalRange::UpTo1 => Some(1),
            CapitalRange::From1To5 => Some(5),
            CapitalRange::From5To10 => Some(10),
            CapitalRange::Over10 => None,
        };
        BusinessScale::from_capital(representative(upper, 10))
    }
}

impl SalesRange {
    /// The scale of a business in this range; `None` above menengah (a large business).
    pub fn scale(self) -> Option<BusinessScale> {
        let upper = match self {
            SalesRange::UpTo2 => Some(2),
            SalesRange::From2To15 => Some(15),
            SalesRange::From15To50 => Some(50),
            SalesRange::Over50 => None,
        };
        BusinessScale::from_annual_sales(representative(upper, 50))
    }
}

/// The capital and sales ranges of the band of `scale` (derived back, they give `scale`).
pub fn band_ranges(scale: BusinessScale) -> (CapitalRange, SalesRange) {
    match scale {
        BusinessScale::Mikro => (CapitalRange::UpTo1, SalesRange::UpTo2),
        BusinessScale::Kecil => (CapitalRange::From1To5, SalesRange::From2To15),
        BusinessScale::Menengah => (CapitalRange::From5To10, SalesRange::From15To50),
    }
}

/// Derives the scale from the ranges given. PP 7/2021 Pasal 35: capital is the criterion for
/// establishing a business, annual sales for a business that already runs. A business that
/// lists products on Etalase already sells, so **when both are given, sales decide** (the
/// capital is kept and shown, but does not change the scale). Errors: neither given
/// (`required` on both fields), or the deciding range is above menengah (`not_umkm`).
pub fn derive_scale(
    capital: Option<CapitalRange>,
    sales: Option<SalesRange>,
) -> Result<BusinessScale, Vec<FieldError>> {
    match (capital, sales) {
        (_, Some(s)) => s.scale().ok_or_else(|| {
            vec![FieldError::new(
                "sales_range",
                "not_umkm",
                "Hasil penjualan tahunan di atas Rp50 miliar termasuk usaha besar; Etalase hanya untuk UMKM (PP 7/2021 Pasal 35).",
            )]
        }),
        (Some(c), None) => c.scale().ok_or_else(|| {
            vec![FieldError::new(
                "capital_range",
                "not_umkm",
                "Modal usaha di atas Rp10 miliar termasuk usaha besar; Etalase hanya untuk UMKM (PP 7/2021 Pasal 35).",
            )]
        }),
        (None, None) => {
            let msg = "Pilih kisaran modal usaha atau hasil penjualan tahunan (salah satu cukup): skala usaha dihitung darinya.";
            Err(vec![
                FieldError::new("capital_range", "required", msg),
                FieldError::new("sales_range", "required", msg),
            ])
        }
    }
}

/// How the scale was obtained, for the Dinas: "Usaha mikro — modal ≤ Rp1 miliar (PP 7/2021
/// Pasal 35)". Without ranges (a business registered before they were asked) the scale was
/// declared by the owner, and the text says so.
pub fn derivation_text(
    scale: BusinessScale,
    capital: Option<CapitalRange>,
    sales: Option<SalesRange>,
) -> String {
    match (capital, sales) {
        (Some(c), Some(s)) => format!(
            "{} — hasil penjualan tahunan {} (PP 7/2021 Pasal 35; usaha yang sudah berjalan: penjualan menentukan, modal {})",
            scale.label(),
            s.label(),
            c.label()
        ),
        (None, Some(s)) => format!(
            "{} — hasil penjualan tahunan {} (PP 7/2021 Pasal 35)",
            scale.label(),
            s.label()
        ),
        (Some(c), None) => {
            format!("{} — modal {} (PP 7/2021 Pasal 35)", scale.label(), c.label())
        }
        (None, None) => format!(
            "{} — dinyatakan sendiri oleh pemilik (terdaftar sebelum kisaran modal/penjualan ditanyakan)",
            scale.label()
        ),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use BusinessScale as B;

    #[test]
    fn codes_are_serde_codes() {
        crate::code_enum::assert_serde_codes::<CapitalRange>();
        crate::code_enum::assert_serde_codes::<SalesRange>();
    }

    #[test]
    fn each_range_maps_to_the_scale_of_its_band() {
        let c: Vec<_> = CapitalRange::all().iter().map(|r| r.scale()).collect();
        assert_eq!(c, [Some(B::Mikro), Some(B::Kecil), Some(B::Menengah), None]);
        let s: Vec<_> = SalesRange::all().iter().map(|r| r.scale()).collect();
        assert_eq!(s, [Some(B::Mikro), Some(B::Kecil), Some(B::Menengah), None]);
    }

    #[test]
    fn sales_decide_when_both_are_given() {
        use CapitalRange as C;
        use SalesRange as S;
        assert_eq!(derive_scale(Some(C::UpTo1), None), Ok(B::Mikro));
        assert_eq!(derive_scale(None, Some(S::From15To50)), Ok(B::Menengah));
        assert_eq!(derive_scale(Some(C::From5To10), Some(S::UpTo2)), Ok(B::Mikro));
        assert_eq!(derive_scale(Some(C::Over10), Some(S::From2To15)), Ok(B::Kecil));
        let e = derive_scale(Some(C::UpTo1), Some(S::Over50)).unwrap_err();
        assert_eq!((e[0].field.as_str(), e[0].code), ("sales_range", "not_umkm"));
        let e = derive_scale(Some(C::Over10), None).unwrap_err();
        assert_eq!((e[0].field.as_str(), e[0].code), ("capital_range", "not_umkm"));
        let e = derive_scale(None, None).unwrap_err();
        assert_eq!(e.len(), 2);
    }

    #[test]
    fn the_derivation_names_the_range_and_the_rule() {
        assert_eq!(
            derivation_text(B::Mikro, Some(CapitalRange::UpTo1), None),
            "Usaha mikro — modal ≤ Rp1 miliar (PP 7/2021 Pasal 35)"
        );
        assert!(derivation_text(B::Kecil, None, None).contains("dinyatakan sendiri"));
    }
}
