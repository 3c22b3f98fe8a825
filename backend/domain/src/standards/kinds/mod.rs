//! The requirement kinds. Each lives in its own file with its parameters and its evaluator
//! (`Rule`); `requirement_kinds!` below is the only list of them. JSON form:
//! `{"kind": "shelf_life", "min_days": 90}` — unknown fields are refused.

mod capacity;
mod certificate;
mod gtin;
mod halal;
mod net_content;
mod pack_size;
mod packaging;
mod photos;
mod price;
mod producer_scale;
mod producer_verified;
mod shelf_life;
mod storage;

pub use capacity::MonthlyCapacity;
pub use certificate::{CertificateNeed, CertificateValid};
pub use gtin::GtinValid;
pub use halal::HalalCertificate;
pub use net_content::NetContentStated;
pub use pack_size::PackSizeRange;
pub use packaging::PackagingAllowed;
pub use photos::GoodPhotos;
pub use price::PriceStated;
pub use producer_scale::ProducerScale;
pub use producer_verified::ProducerVerified;
pub use shelf_life::ShelfLife;
pub use storage::StorageAllowed;

use super::Rule;

macro_rules! requirement_kinds {
    ($( $variant:ident($ty:ty) = $code:literal ),+ $(,)?) => {
        /// One typed requirement of a standard.
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(tag = "kind")]
        pub enum Requirement {
            $( #[serde(rename = $code)] $variant($ty), )+
        }

        impl Requirement {
            /// Every kind's code, in display order.
            pub const KINDS: &'static [&'static str] = &[$($code),+];

            /// This requirement's kind code.
            pub fn kind(&self) -> &'static str {
                match self { $( Requirement::$variant(_) => $code, )+ }
            }

            /// Its evaluator.
            pub fn rule(&self) -> &dyn Rule {
                match self { $( Requirement::$variant(r) => r, )+ }
            }
        }
    };
}

requirement_kinds! {
    Certificate(CertificateValid) = "certificate",
    Halal(HalalCertificate) = "halal",
    Gtin(GtinValid) = "gtin",
    ShelfLife(ShelfLife) = "shelf_life",
    Photos(GoodPhotos) = "photos",
    NetContent(NetContentStated) = "net_content",
    PackSize(PackSizeRange) = "pack_size",
    Packaging(PackagingAllowed) = "packaging",
    Storage(StorageAllowed) = "storage",
    MonthlyCapacity(MonthlyCapacity) = "monthly_capacity",
    ProducerVerified(ProducerVerified) = "producer_verified",
    ProducerScale(ProducerScale) = "producer_scale",
    Price(PriceStated) = "price",
}

impl Requirement {
    /// Checks every requirement's parameters and that no kind appears twice with the same
    /// parameters; messages name the position (1-based).
    pub fn validate_all(list: &[Requirement]) -> Result<(), Vec<String>> {
        // Bounded before the pairwise check below (and before a re-evaluation of every
        // product against the list).
        if list.len() > MAX_REQUIREMENTS {
            return Err(vec![format!(
                "Satu standar paling banyak {MAX_REQUIREMENTS} persyaratan; yang dikirim {}.",
                list.len()
            )]);
        }
        let mut errs = Vec::new();
        for (i, r) in list.iter().enumerate() {
            if let Err(e) = r.rule().validate() {
                errs.push(format!("Persyaratan ke-{} ({}): {e}", i + 1, r.rule().label()));
            }
            if list[..i].contains(r) {
                errs.push(format!("Persyaratan ke-{} sama dengan persyaratan sebelumnya.", i + 1));
            }
        }
        if errs.is_empty() { Ok(()) } else { Err(errs) }
    }
}

/// Most requirements one standard version may have (there are 13 kinds; a kind may appear
/// more than once with other parameters, e.g. several certificates).
pub const MAX_REQUIREMENTS: usize = 30;

/// Checks an `allowed` list of choices: not empty, no choice twice (so never longer than
/// the set of choices). `what` names the choice ("jenis kemasan").
pub(crate) fn check_allowed<T: crate::code_enum::CodeEnum + PartialEq>(
    allowed: &[T],
    what: &str,
) -> Result<(), String> {
    if allowed.is_empty() {
        return Err(format!("pilih minimal satu {what}"));
    }
    let duplicated = allowed.len() > T::all().len()
        || allowed.iter().enumerate().any(|(i, v)| allowed[..i].contains(v));
    if duplicated { Err(format!("setiap {what} cukup dipilih sekali")) } else { Ok(()) }
}

/// Labels of a set of code-enum values joined with commas ("Standing pouch, Toples").
pub(crate) fn labels<T: Copy>(items: &[T], label: fn(T) -> &'static str) -> String {
    items.iter().map(|v| label(*v)).collect::<Vec<_>>().join(", ")
}
