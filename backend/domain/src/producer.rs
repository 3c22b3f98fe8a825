//! Owns the UMKM producer profile rules: business scale (PP 7/2021), OSS risk level, the
//! Dinas verification lifecycle (registered → verified / rejected → resubmitted) and phone
//! number normalisation.

pub mod assist;
mod input;
mod phone;
mod scale_range;

pub use crate::transition::TransitionError;
pub use input::{ProducerInput, ValidProducer};
pub use phone::validate_phone;
pub use scale_range::{CapitalRange, SalesRange, band_ranges, derivation_text, derive_scale};

use crate::code_enum::code_enum;
use crate::money::Rupiah;
use crate::roles::Role;

code_enum! {
    /// Business scale by PP 7/2021 Pasal 35 (capital excluding land and buildings, or annual
    /// sales):
    /// - mikro: capital ≤ Rp1 miliar, or annual sales ≤ Rp2 miliar;
    /// - kecil: capital > Rp1 miliar up to Rp5 miliar, or sales > Rp2 miliar up to Rp15 miliar;
    /// - menengah: capital > Rp5 miliar up to Rp10 miliar, or sales > Rp15 miliar up to
    ///   Rp50 miliar.
    pub enum BusinessScale : "skala usaha" {
        Mikro => ("mikro", "Usaha mikro"),
        Kecil => ("kecil", "Usaha kecil"),
        Menengah => ("menengah", "Usaha menengah"),
    }
}

const MILIAR: i64 = 1_000_000_000;

impl BusinessScale {
    /// Scale by business capital (excluding land and buildings); `None` above Rp10 miliar
    /// (a large business, not UMKM).
    pub fn from_capital(capital: Rupiah) -> Option<BusinessScale> {
        Self::classify(capital.value(), [MILIAR, 5 * MILIAR, 10 * MILIAR])
    }

    /// Scale by annual sales; `None` above Rp50 miliar (a large business, not UMKM).
    pub fn from_annual_sales(sales: Rupiah) -> Option<BusinessScale> {
        Self::classify(sales.value(), [2 * MILIAR, 15 * MILIAR, 50 * MILIAR])
    }

    fn classify(v: i64, limits: [i64; 3]) -> Option<BusinessScale> {
        match v {
            _ if v <= limits[0] => Some(BusinessScale::Mikro),
            _ if v <= limits[1] => Some(BusinessScale::Kecil),
            _ if v <= limits[2] => Some(BusinessScale::Menengah),
            _ => None,
        }
    }
}

code_enum! {
    /// Risk level of the business activity, as set by OSS (Perwal 74/2023 Pasal 3(3)(a)).
    pub enum RiskLevel : "tingkat risiko" {
        Rendah => ("rendah", "Rendah"),
        MenengahRendah => ("menengah_rendah", "Menengah rendah"),
        MenengahTinggi => ("menengah_tinggi", "Menengah tinggi"),
        Tinggi => ("tinggi", "Tinggi"),
    }
}

code_enum! {
    /// Verification status of a producer profile.
    pub enum ProducerStatus : "status UMKM" {
        /// Waiting for a Dinas officer.
        Registered => ("registered", "Menunggu verifikasi"),
        /// Checked by the Dinas.
        Verified => ("verified", "Terverifikasi"),
        /// Refused by the Dinas (with a reason, stored elsewhere).
        Rejected => ("rejected", "Ditolak"),
        /// Registered by a Dinas officer on the business's behalf, without a NIB yet
        /// (Pasal 3(2)–(4)): drafts only, nothing published until the NIB is verified.
        Pendampingan => ("pendampingan", "Pendampingan"),
    }
}

code_enum! {
    /// Something done to a producer profile's status.
    pub enum ProducerAction : "tindakan" {
        /// Dinas confirms the profile.
        Verify => ("verify", "Verifikasi"),
        /// Dinas refuses the profile.
        Reject => ("reject", "Tolak"),
        /// The owner edited a rejected profile and sends it again.
        Resubmit => ("resubmit", "Ajukan ulang"),
    }
}

impl ProducerAction {
    /// The only role allowed to perform the action.
    pub fn allowed_role(self) -> Role {
        match self {
            ProducerAction::Verify | ProducerAction::Reject => Role::Dinas,
            ProducerAction::Resubmit => Role::Umkm,
        }
    }
}

impl ProducerStatus {
    /// Applies `action` by `role`: the role is checked first (`Forbidden`), then the status
    /// (`Invalid`).
    pub fn apply(
        self,
        action: ProducerAction,
        role: Role,
    ) -> Result<ProducerStatus, TransitionError> {
        use ProducerAction as A;
        use ProducerStatus as S;
        if role != action.allowed_role() {
            return Err(TransitionError::Forbidden { role, action: action.as_str() });
        }
        match (self, action) {
            (S::Registered | S::Rejected | S::Pendampingan, A::Verify) => Ok(S::Verified),
            (S::Registered | S::Verified, A::Reject) => Ok(S::Rejected),
            (S::Rejected, A::Resubmit) => Ok(S::Registered),
            _ => Err(TransitionError::Invalid { from: self.as_str(), action: action.as_str() }),
        }
    }

    /// The actions `role` may perform now (for buttons).
    pub fn available_actions(self, role: Role) -> Vec<ProducerAction> {
        ProducerAction::all().iter().copied().filter(|a| self.apply(*a, role).is_ok()).collect()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
