//! The facts an evaluation reads: a product as the standards see it, with its producer,
//! certificates and photos. Built by the server from stored records; no IO here.

use chrono::NaiveDate;

use crate::certificate::CertificateKind;
use crate::producer::BusinessScale;
use crate::product::{NetUnit, Packaging, StorageType};

/// A product with everything a standard may ask about.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProductFacts {
    /// As stored; checked again by the GTIN requirement.
    pub gtin: Option<String>,
    pub shelf_life_days: Option<i64>,
    pub net_content: Option<i64>,
    pub net_unit: Option<NetUnit>,
    pub pack_size: Option<i64>,
    pub packaging: Option<Packaging>,
    pub storage: StorageType,
    pub monthly_capacity: Option<i64>,
    pub retail_price: Option<i64>,
    pub wholesale_price: Option<i64>,
    pub certificates: Vec<CertificateFacts>,
    pub photos: Vec<PhotoFacts>,
    pub producer: ProducerFacts,
    /// The sharpness a photo needs to pass the sharpness check (from the photo pipeline).
    pub photo_min_sharpness: f64,
}

/// A certificate: its kind, number and last valid day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateFacts {
    pub kind: CertificateKind,
    /// The number; for a P-IRT without a date, its last two digits give the expiry year.
    pub number: String,
    pub expires_on: Option<NaiveDate>,
    /// Checked by a Dinas officer (see `CertificateKind::needs_check`).
    pub checked: bool,
}

impl CertificateFacts {
    /// Whether the certificate counts: P-IRT at once, the others once an officer checked them.
    pub fn counts(&self) -> bool {
        self.checked || !self.kind.needs_check()
    }
}

/// A photo's size and measured sharpness.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PhotoFacts {
    pub width: i64,
    pub height: i64,
    pub sharpness: f64,
}

impl PhotoFacts {
    pub fn long_side(&self) -> i64 {
        self.width.max(self.height)
    }
}

/// The producer behind the product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProducerFacts {
    /// Verified by the Dinas.
    pub verified: bool,
    pub scale: Option<BusinessScale>,
}
