//! Owns what a product needs before the Dinas can put it in the local e-katalog (Perwal 74/2023
//! Pasal 10(1)(f): the city promotes local UMKM products through a local electronic catalogue
//! for government buyers): listed in Etalase (published, business verified by the Dinas), a
//! retail price, a net content with its unit (the e-katalog's "satuan"), at least one photo,
//! and — for food and drink — a P-IRT or BPOM registration that counts and has not expired.
//! Each missing item is a `Blocker` with a code and what to do, in Indonesian.

use crate::certificate::{CertificateKind, validity_on};
use chrono::NaiveDate;

/// What the rule reads of one product.
#[derive(Debug, Clone)]
pub struct EkatalogCandidate {
    pub published: bool,
    pub producer_verified: bool,
    pub retail_price: Option<i64>,
    pub has_net_content: bool,
    pub photos: usize,
    pub food: bool,
    /// (kind, counts: checked by the Dinas or needs no check, expiry).
    pub certificates: Vec<(CertificateKind, bool, Option<NaiveDate>)>,
}

/// One reason a product cannot be exported yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocker {
    NotPublished,
    ProducerNotVerified,
    NoPrice,
    NoNetContent,
    NoPhoto,
    NoFoodPermit,
}

impl Blocker {
    /// Stable code (API, export).
    pub fn code(self) -> &'static str {
        match self {
            Blocker::NotPublished => "not_published",
            Blocker::ProducerNotVerified => "producer_not_verified",
            Blocker::NoPrice => "no_price",
            Blocker::NoNetContent => "no_net_content",
            Blocker::NoPhoto => "no_photo",
            Blocker::NoFoodPermit => "no_food_permit",
        }
    }

    /// What is missing and what to do, for the Dinas officer helping the business.
    pub fn message(self) -> &'static str {
        match self {
            Blocker::NotPublished => "Produk belum tayang di katalog: ajukan dan terbitkan dulu.",
            Blocker::ProducerNotVerified => "Usaha belum diverifikasi Dinas.",
            Blocker::NoPrice => "Harga eceran belum diisi.",
            Blocker::NoNetContent => "Isi bersih dan satuannya belum diisi (satuan e-katalog).",
            Blocker::NoPhoto => "Belum ada foto produk.",
            Blocker::NoFoodPermit => {
                "Pangan tanpa izin edar yang berlaku: perlu P-IRT atau BPOM MD/ML yang sudah \
                 diperiksa dan belum kedaluwarsa."
            }
        }
    }
}

/// Everything that keeps `c` out of the e-katalog on `today` (empty: it can be exported).
pub fn blockers(c: &EkatalogCandidate, today: NaiveDate) -> Vec<Blocker> {
    let mut out = Vec::new();
    if !c.published {
        out.push(Blocker::NotPublished);
    }
    if !c.producer_verified {
        out.push(Blocker::ProducerNotVerified);
    }
    if c.retail_price.is_none_or(|p| p <= 0) {
        out.push(Blocker::NoPrice);
    }
    if !c.has_net_content {
        out.push(Blocker::NoNetContent);
    }
    if c.photos == 0 {
        out.push(Blocker::NoPhoto);
    }
    let permit = c.certificates.iter().any(|(kind, counts, expires)| {
        matches!(kind, CertificateKind::Pirt | CertificateKind::BpomMd | CertificateKind::BpomMl)
            && *counts
            && validity_on(*expires, today).is_valid()
    });
    if c.food && !permit {
        out.push(Blocker::NoFoodPermit);
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn ready() -> EkatalogCandidate {
        EkatalogCandidate {
            published: true,
            producer_verified: true,
            retail_price: Some(25_000),
            has_net_content: true,
            photos: 1,
            food: true,
            certificates: vec![(CertificateKind::Pirt, true, NaiveDate::from_ymd_opt(2030, 1, 1))],
        }
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_complete_food_product_can_be_exported() {
        assert!(blockers(&ready(), day(2026, 12, 2)).is_empty());
        let craft = EkatalogCandidate { food: false, certificates: vec![], ..ready() };
        assert!(blockers(&craft, day(2026, 12, 2)).is_empty(), "crafts need no food permit");
    }

    #[test]
    fn every_missing_item_is_named() {
        let bare = EkatalogCandidate {
            published: false,
            producer_verified: false,
            retail_price: Some(0),
            has_net_content: false,
            photos: 0,
            food: true,
            certificates: vec![(CertificateKind::Halal, true, None)],
        };
        let all = blockers(&bare, day(2026, 12, 2));
        assert_eq!(all.len(), 6, "{all:?}");
        assert!(all.iter().all(|b| !b.message().is_empty() && !b.code().is_empty()));
    }

    #[test]
    fn a_food_permit_must_count_and_be_in_force_on_the_day() {
        let expired = EkatalogCandidate {
            certificates: vec![(CertificateKind::Pirt, true, Some(day(2026, 12, 1)))],
            ..ready()
        };
        assert_eq!(blockers(&expired, day(2026, 12, 2)), [Blocker::NoFoodPermit]);
        assert!(blockers(&expired, day(2026, 12, 1)).is_empty(), "the last day still counts");
        let unchecked = EkatalogCandidate {
            certificates: vec![(CertificateKind::BpomMd, false, None)],
            ..ready()
        };
        assert_eq!(blockers(&unchecked, day(2026, 12, 2)), [Blocker::NoFoodPermit]);
    }
}
