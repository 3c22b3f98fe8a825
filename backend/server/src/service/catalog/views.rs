//! What callers see of a record: the JSON the API returns and the data the pages render.
//! Labels are Indonesian; codes stay stable for programs.

use chrono::{DateTime, NaiveDate, Utc};
use etalase_db::entities::{certificate, photo, producer, product};
use etalase_domain::category::category_by_slug;
use etalase_domain::certificate::{CertificateValidity, validity_on};
use etalase_domain::datefmt::format_date_id;
use etalase_domain::money::Rupiah;
use etalase_domain::producer::ProducerStatus;
use etalase_media::keys::{VariantUrls, variant_urls};
use serde::Serialize;
use utoipa::ToSchema;

mod producer_view;
pub use producer_view::ProducerView;

/// A certificate with its validity on the day it is shown.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CertificateView {
    pub id: i64,
    pub kind: String,
    pub kind_label: String,
    pub number: String,
    pub issuer: Option<String>,
    pub issued_on: Option<NaiveDate>,
    pub expires_on: Option<NaiveDate>,
    /// e.g. "31 Desember 2029".
    pub expires_on_label: Option<String>,
    /// `valid`, `expiring_soon`, `expired` or `no_expiry`.
    pub validity: String,
    pub validity_label: String,
    pub has_document: bool,
    /// Where the document can be downloaded (access-controlled).
    pub document_url: Option<String>,
    /// Whether it counts for search filters, badges and standards: P-IRT at once, the other
    /// kinds once a Dinas officer checked them.
    pub counts: bool,
    /// The officer who checked it, when recorded.
    pub checked_by: Option<i64>,
    pub checked_at: Option<chrono::DateTime<chrono::Utc>>,
    /// e.g. "Diperiksa Dinas (Rina Officer), 3 Maret 2026" or "Menunggu pemeriksaan Dinas".
    pub checked_label: String,
}

impl CertificateView {
    /// Kind and number on one line, without a duplicated prefix ("BPOM MD 2241…").
    pub fn display(&self) -> String {
        etalase_domain::certificate::label_with_number(&self.kind_label, &self.number)
    }
}

impl CertificateView {
    pub fn new(m: &certificate::Model, today: NaiveDate) -> Self {
        let validity = validity_on(m.expires_on, today);
        let code = match validity {
            CertificateValidity::Valid => "valid",
            CertificateValidity::ExpiringSoon { .. } => "expiring_soon",
            CertificateValidity::Expired { .. } => "expired",
            CertificateValidity::NoExpiry => "no_expiry",
        };
        CertificateView {
            id: m.id,
            kind: m.kind.as_str().into(),
            kind_label: m.kind.label().into(),
            number: m.number.clone(),
            issuer: m.issuer.clone(),
            issued_on: m.issued_on,
            expires_on: m.expires_on,
            expires_on_label: m.expires_on.map(format_date_id),
            validity: code.to_string(),
            validity_label: validity.label(),
            has_document: m.document_key.is_some(),
            document_url: m.document_key.as_ref().map(|_| {
                format!("/api/v1/products/{}/certificates/{}/document", m.product_id, m.id)
            }),
            counts: m.counts(),
            checked_by: m.checked_by,
            checked_at: m.checked_at,
            checked_label: checked_label(m, None),
        }
    }

    /// Names the checking officer in the label.
    pub fn with_officer(mut self, m: &certificate::Model, name: Option<&str>) -> Self {
        self.checked_label = checked_label(m, name);
        self
    }

    pub fn is_expired(&self) -> bool {
        self.validity == "expired"
    }
}

fn checked_label(m: &certificate::Model, officer: Option<&str>) -> String {
    match (m.checked_at, officer) {
        (Some(at), Some(who)) => format!(
            "Diperiksa Dinas ({who}), {}",
            format_date_id(etalase_domain::datefmt::date_wib(at))
        ),
        (Some(at), None) => {
            format!("Diperiksa Dinas, {}", format_date_id(etalase_domain::datefmt::date_wib(at)))
        }
        (None, _) if !m.kind.needs_check() => {
            "Dihitung langsung (nomor P-IRT memuat masa berlakunya)".to_string()
        }
        (None, _) => {
            "Menunggu pemeriksaan Dinas — belum dihitung untuk filter dan standar".to_string()
        }
    }
}

/// The producer as shown next to a product.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProducerSummary {
    pub id: i64,
    pub name: String,
    pub kecamatan_code: String,
    pub kecamatan: String,
    pub kelurahan: String,
    pub whatsapp: Option<String>,
    pub verified: bool,
}

impl From<&producer::Model> for ProducerSummary {
    fn from(m: &producer::Model) -> Self {
        let v = ProducerView::from(m);
        ProducerSummary {
            id: v.id,
            name: v.name,
            kecamatan_code: v.kecamatan_code,
            kecamatan: v.kecamatan,
            kelurahan: v.kelurahan,
            whatsapp: v.whatsapp,
            verified: m.status == ProducerStatus::Verified,
        }
    }
}

/// One size of a photo, in both formats.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PhotoVariantView {
    /// Long side the variant was made for: 320, 800 or 1600 (or the photo's own when smaller).
    pub size: u32,
    pub width: u32,
    pub height: u32,
    pub webp_url: String,
    pub jpeg_url: String,
}

impl From<VariantUrls> for PhotoVariantView {
    fn from(v: VariantUrls) -> Self {
        Self {
            size: v.size,
            width: v.width,
            height: v.height,
            webp_url: v.webp_url,
            jpeg_url: v.jpeg_url,
        }
    }
}

/// One line of the quality verdict.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QualityCheckView {
    /// `resolution`, `sharpness`, `brightness` or `background`.
    pub key: String,
    pub ok: bool,
    pub message: String,
}

/// The measured quality of a photo and its verdict in plain Indonesian.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PhotoQualityView {
    pub sharpness: f64,
    pub brightness: f64,
    pub border_spread: f64,
    pub border_brightness: f64,
    pub good: bool,
    pub checks: Vec<QualityCheckView>,
}

/// A product photo with its right-sized variants.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PhotoView {
    pub id: i64,
    pub position: i64,
    pub primary: bool,
    pub alt_text: String,
    pub width: i64,
    pub height: i64,
    pub variants: Vec<PhotoVariantView>,
    /// A JPEG of about 800 px for `<img src>`.
    pub src: String,
    /// `srcset` values for `<source type="image/webp">` and the JPEG fallback.
    pub srcset_webp: String,
    pub srcset_jpeg: String,
    /// The 320 px WebP, for lists.
    pub thumbnail_url: String,
    pub quality: PhotoQualityView,
}

impl From<&photo::Model> for PhotoView {
    fn from(m: &photo::Model) -> Self {
        let variants: Vec<PhotoVariantView> =
            variant_urls(&m.content_hash, &m.sizes, m.width, m.height)
                .into_iter()
                .map(PhotoVariantView::from)
                .collect();
        let srcset = |f: fn(&PhotoVariantView) -> &String| {
            variants.iter().map(|v| format!("{} {}w", f(v), v.width)).collect::<Vec<_>>().join(", ")
        };
        let mid = variants.iter().find(|v| v.size <= 800).or(variants.last());
        let small = variants.last();
        let metrics = etalase_media::photo::QualityMetrics {
            width: m.width as u32,
            height: m.height as u32,
            sharpness: m.sharpness,
            brightness: m.brightness,
            border_spread: m.border_spread,
            border_brightness: m.border_brightness,
        };
        let checks: Vec<QualityCheckView> = metrics
            .verdict()
            .into_iter()
            .map(|c| QualityCheckView { key: c.key, ok: c.ok, message: c.message })
            .collect();
        PhotoView {
            id: m.id,
            position: m.position,
            primary: m.is_primary,
            alt_text: m.alt_text.clone(),
            width: m.width,
            height: m.height,
            src: mid.map(|v| v.jpeg_url.clone()).unwrap_or_default(),
            srcset_webp: srcset(|v| &v.webp_url),
            srcset_jpeg: srcset(|v| &v.jpeg_url),
            thumbnail_url: small.map(|v| v.webp_url.clone()).unwrap_or_default(),
            quality: PhotoQualityView {
                sharpness: m.sharpness,
                brightness: m.brightness,
                border_spread: m.border_spread,
                border_brightness: m.border_brightness,
                good: checks.iter().all(|c| c.ok),
                checks,
            },
            variants,
        }
    }
}

/// A product with its certificates.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProductView {
    pub id: i64,
    pub producer_id: i64,
    pub producer: Option<ProducerSummary>,
    pub name: String,
    pub category: String,
    pub category_name: String,
    pub description: String,
    pub brand: Option<String>,
    pub gtin: Option<String>,
    pub net_content: Option<i64>,
    pub net_unit: Option<String>,
    /// e.g. "250 g".
    pub net_content_label: Option<String>,
    pub pack_size: Option<i64>,
    pub packaging: Option<String>,
    pub packaging_label: Option<String>,
    pub shelf_life_days: Option<i64>,
    pub storage: String,
    pub storage_label: String,
    /// Rupiah; hidden (null) in the public catalog.
    pub wholesale_price: Option<i64>,
    pub retail_price: Option<i64>,
    /// e.g. "Rp25.000".
    pub retail_price_label: Option<String>,
    pub wholesale_price_label: Option<String>,
    pub min_order: Option<i64>,
    pub monthly_capacity: Option<i64>,
    /// `draft`, `submitted`, `published`, `rejected` or `archived`.
    pub status: String,
    pub status_label: String,
    /// Why the Dinas rejected it, when it did.
    pub status_reason: Option<String>,
    pub version: i64,
    pub certificates: Vec<CertificateView>,
    /// In display order; the main photo is marked `primary`.
    pub photos: Vec<PhotoView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
}

impl ProductView {
    pub fn new(
        m: &product::Model,
        producer: Option<&producer::Model>,
        certs: &[certificate::Model],
        photos: &[photo::Model],
        today: NaiveDate,
    ) -> Self {
        let rupiah =
            |v: Option<i64>| v.and_then(|x| Rupiah::new("harga", x).ok()).map(|r| r.to_string());
        ProductView {
            id: m.id,
            producer_id: m.producer_id,
            producer: producer.map(ProducerSummary::from),
            name: m.name.clone(),
            category: m.category.clone(),
            category_name: category_by_slug(&m.category)
                .map(|c| c.name.clone())
                .unwrap_or_else(|| m.category.clone()),
            description: m.description.clone(),
            brand: m.brand.clone(),
            gtin: m.gtin.clone(),
            net_content: m.net_content,
            net_unit: m.net_unit.map(|u| u.as_str().into()),
            net_content_label: match (m.net_content, m.net_unit) {
                (Some(n), Some(u)) => Some(format!("{n} {}", u.as_str())),
                _ => None,
            },
            pack_size: m.pack_size,
            packaging: m.packaging.map(|p| p.as_str().into()),
            packaging_label: m.packaging.map(|p| p.label().into()),
            shelf_life_days: m.shelf_life_days,
            storage: m.storage.as_str().into(),
            storage_label: m.storage.label().into(),
            wholesale_price: m.wholesale_price,
            retail_price: m.retail_price,
            retail_price_label: rupiah(m.retail_price),
            wholesale_price_label: rupiah(m.wholesale_price),
            min_order: m.min_order,
            monthly_capacity: m.monthly_capacity,
            status: m.status.as_str().into(),
            status_label: m.status.label().into(),
            status_reason: m.status_reason.clone(),
            version: m.version,
            certificates: certs.iter().map(|c| CertificateView::new(c, today)).collect(),
            photos: photos.iter().map(PhotoView::from).collect(),
            created_at: m.created_at,
            updated_at: m.updated_at,
            published_at: m.published_at,
        }
    }

    /// The public catalog does not show trade terms or review notes.
    pub fn public(mut self) -> Self {
        self.wholesale_price = None;
        self.wholesale_price_label = None;
        self.min_order = None;
        self.monthly_capacity = None;
        self.status_reason = None;
        self
    }

    /// The main photo, if any.
    pub fn main_photo(&self) -> Option<&PhotoView> {
        self.photos.iter().find(|p| p.primary).or(self.photos.first())
    }

    pub fn has_halal(&self) -> bool {
        self.certificates.iter().any(|c| c.kind == "halal" && c.counts && !c.is_expired())
    }
}

/// Date as "3 Maret 2026".
pub fn date_id(d: NaiveDate) -> String {
    format_date_id(d)
}
