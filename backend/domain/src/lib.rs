//! Etalase domain: the pure rules of the Kota Serang local-UMKM product catalog
//! (Perwal Kota Serang 74/2023) — identifiers, money, Kota Serang reference data, product
//! and certificate validation, lifecycles and the ports to the outside world. No IO here;
//! user-facing messages are in Bahasa Indonesia.

pub mod code_enum;
pub mod error;

pub mod agreement;
pub mod bench;
pub mod category;
pub mod certificate;
pub mod compliance;
pub mod datefmt;
pub mod ekatalog;
pub mod identifiers;
pub mod import;
pub mod job;
pub mod lifecycle;
pub mod matching;
pub mod money;
pub mod placement_plan;
pub mod ports;
pub mod procurement;
pub mod producer;
pub mod product;
pub mod roles;
pub mod search;
pub mod standards;
pub mod store;
pub mod transition;
pub mod wilayah;

pub use category::{Category, categories, category_by_slug, parse_category};
pub use certificate::{
    CertificateInput, CertificateKind, CertificateValidity, ValidCertificate, validity_on,
};
pub use code_enum::{CodeEnum, UnknownCode};
pub use datefmt::{format_date_id, format_datetime_wib};
pub use error::{FieldError, ValidationErrors};
pub use identifiers::{
    BpomKind, BpomNumber, CertificateNumber, Gtin13, HalalNumber, Nib, PirtNumber,
    gtin_check_digit, parse_certificate_number,
};
pub use job::{JobKind, JobStatus};
pub use lifecycle::{ListingAction, ListingStatus};
pub use money::Rupiah;
pub use ports::{
    Blob, BlobError, BlobMeta, BlobStore, Clock, FixedClock, SystemClock, validate_blob_key,
};
pub use producer::{BusinessScale, ProducerAction, ProducerStatus, RiskLevel, validate_phone};
pub use product::{NetUnit, Packaging, ProductInput, StorageType, ValidProduct};
pub use roles::{Role, SessionKind};
pub use transition::TransitionError;
pub use wilayah::{
    Kecamatan, Kelurahan, Wilayah, check_in_kota_serang, haversine_km, kota_serang, parse_kelurahan,
};
