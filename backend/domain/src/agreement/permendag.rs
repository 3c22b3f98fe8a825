//! Permendag 23/2021 limits over agreements: the trading-term fee (15%), the listing fee per
//! outlet (Rp50.000) and the listing fee of one UMKM item over all outlets of one chain
//! (Rp20 juta). Warnings, never blocks (see `terms`): the parties see them as flags, the Dinas
//! sees every breach on `/kepatuhan/permendag`.
//!
//! Which agreements count toward the chain total: those that bind or are about to bind a fee —
//! proposed and countered (the fee is on the table; warning early is the point), accepted,
//! active and suspended (a paused placement was still listed and its fee still charged).
//! Rejected, withdrawn, ended and terminated ones no longer count.

use super::state::AgreementStatus;
use super::terms::{LISTING_FEE_MAX, TERM_FEE_MAX_PERCENT, TermsFlag};
use crate::code_enum::code_enum;
use crate::money::group_thousands;

/// Permendag 23/2021: the listing fee of one new UMKM item over all outlets of a chain.
pub const LISTING_FEE_CHAIN_MAX: i64 = 20_000_000;

/// Statuses whose listing fee counts toward the chain total (and whose breaches the Dinas sees).
pub const BINDING: [AgreementStatus; 5] = [
    AgreementStatus::Proposed,
    AgreementStatus::Countered,
    AgreementStatus::Accepted,
    AgreementStatus::Active,
    AgreementStatus::Suspended,
];

code_enum! {
    /// A Permendag 23/2021 limit an agreement can breach.
    pub enum Limit : "batas" {
        /// The store's margin (trading-term fee) above 15%.
        Margin => ("margin_above_limit", "Margin di atas 15%"),
        /// The listing fee above Rp50.000 per outlet.
        ListingFee => ("listing_fee_above_limit", "Biaya listing di atas Rp50.000 per gerai"),
        /// The listing fee of one item over all of a chain's outlets above Rp20 juta.
        ChainListingFee => ("chain_listing_fee_above_limit", "Total biaya listing jaringan di atas Rp20 juta"),
    }
}

/// One agreement's listing fee for an item, at one outlet of the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutletFee {
    pub status: AgreementStatus,
    /// Listing fee of the agreement (per outlet), rupiah.
    pub listing_fee: Option<i64>,
}

/// The listing fees of one UMKM item summed over a chain's outlets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainFeeTotal {
    pub total: i64,
    /// How much the total is above the cap (0 when within it).
    pub excess: i64,
}

impl ChainFeeTotal {
    pub fn breached(&self) -> bool {
        self.excess > 0
    }
}

/// Sums the listing fees of the binding agreements (`BINDING`) of one chain for one UMKM item;
/// Rp20.000.000 is allowed, a rupiah more is a breach.
pub fn chain_listing_fee(agreements: &[OutletFee]) -> ChainFeeTotal {
    let total: i64 = agreements
        .iter()
        .filter(|a| BINDING.contains(&a.status))
        .filter_map(|a| a.listing_fee)
        .filter(|f| *f > 0)
        .fold(0i64, |s, f| s.saturating_add(f));
    ChainFeeTotal { total, excess: (total - LISTING_FEE_CHAIN_MAX).max(0) }
}

/// The warning shown to both sides when `total` breaches the chain cap.
pub fn chain_flag(product: &str, chain: &str, total: i64) -> TermsFlag {
    TermsFlag {
        code: Limit::ChainListingFee.as_str().into(),
        message: format!(
            "Total biaya listing produk \u{201c}{product}\u{201d} di semua gerai jaringan {chain}: \
             Rp{} — melebihi batas Rp20 juta (Permendag 23/2021).",
            group_thousands(total.unsigned_abs())
        ),
    }
}

/// The per-agreement breaches: (limit, value, excess) for the margin (percent points) and the
/// listing fee per outlet (rupiah).
pub fn own_breaches(
    margin_percent: Option<i64>,
    listing_fee: Option<i64>,
) -> Vec<(Limit, i64, i64)> {
    let mut out = Vec::new();
    if let Some(m) = margin_percent.filter(|m| *m > TERM_FEE_MAX_PERCENT) {
        out.push((Limit::Margin, m, m - TERM_FEE_MAX_PERCENT));
    }
    if let Some(f) = listing_fee.filter(|f| *f > LISTING_FEE_MAX) {
        out.push((Limit::ListingFee, f, f - LISTING_FEE_MAX));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fee(status: AgreementStatus, f: i64) -> OutletFee {
        OutletFee { status, listing_fee: Some(f) }
    }

    #[test]
    fn twenty_million_over_the_chain_is_allowed_one_rupiah_more_is_a_breach() {
        let at = chain_listing_fee(&[
            fee(AgreementStatus::Active, 10_000_000),
            fee(AgreementStatus::Proposed, 10_000_000),
        ]);
        assert_eq!(at, ChainFeeTotal { total: 20_000_000, excess: 0 });
        assert!(!at.breached());
        let over = chain_listing_fee(&[
            fee(AgreementStatus::Active, 10_000_000),
            fee(AgreementStatus::Countered, 10_000_001),
        ]);
        assert_eq!(over, ChainFeeTotal { total: 20_000_001, excess: 1 });
        assert!(over.breached());
    }

    #[test]
    fn only_binding_agreements_count_toward_the_chain_total() {
        let mut all: Vec<OutletFee> =
            BINDING.iter().map(|s| fee(*s, 5_000_000)).collect::<Vec<_>>();
        for s in [
            AgreementStatus::Rejected,
            AgreementStatus::Withdrawn,
            AgreementStatus::Ended,
            AgreementStatus::Terminated,
        ] {
            all.push(fee(s, 90_000_000));
        }
        all.push(OutletFee { status: AgreementStatus::Active, listing_fee: None });
        assert_eq!(chain_listing_fee(&all).total, 25_000_000);
        assert_eq!(chain_listing_fee(&[]), ChainFeeTotal { total: 0, excess: 0 });
    }

    #[test]
    fn the_chain_flag_names_the_product_the_chain_and_the_total() {
        let f = chain_flag("Keripik", "Indomaret", 20_000_001);
        assert_eq!(f.code, "chain_listing_fee_above_limit");
        assert!(f.message.contains("Rp20.000.001"), "{}", f.message);
        assert!(f.message.contains("jaringan Indomaret"), "{}", f.message);
    }

    #[test]
    fn own_breaches_are_strictly_above_the_limits() {
        assert!(own_breaches(Some(15), Some(50_000)).is_empty());
        assert_eq!(
            own_breaches(Some(16), Some(50_001)),
            vec![(Limit::Margin, 16, 1), (Limit::ListingFee, 50_001, 1)]
        );
        assert!(own_breaches(None, None).is_empty());
    }
}
