//! Owns the business-profile form: `ProducerInput` as sent by a UMKM owner and its validation
//! into `ValidProducer`, reporting every bad field at once. Coordinates default to the
//! kelurahan's centroid when the owner has no GPS fix, and must lie in Kota Serang.

use serde::{Deserialize, Serialize};

use super::scale_range::{CapitalRange, SalesRange, derive_scale};
use super::{BusinessScale, RiskLevel, validate_phone};
use crate::error::{FieldError, ValidationErrors, check_len, non_empty};
use crate::identifiers::Nib;
use crate::wilayah::{Kelurahan, check_in_kota_serang, parse_kelurahan};

/// The business-profile form as submitted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = ProducerBody))]
pub struct ProducerInput {
    /// Business name, 3–120 characters.
    #[cfg_attr(feature = "openapi", schema(required))]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(required))]
    pub owner_name: String,
    /// NIB from OSS: 13 digits, unique.
    #[cfg_attr(feature = "openapi", schema(required))]
    pub nib: String,
    /// Business capital excluding land and buildings: `up_to1` (≤ Rp1 miliar), `from1_to5`,
    /// `from5_to10` or `over10` (refused: not UMKM). This and/or `sales_range` is required.
    pub capital_range: Option<String>,
    /// Annual sales: `up_to2` (≤ Rp2 miliar), `from2_to15`, `from15_to50` or `over50`
    /// (refused). When both ranges are given, sales decide the scale (PP 7/2021 Pasal 35).
    pub sales_range: Option<String>,
    /// Deprecated and read-only: the scale is derived from the ranges. Accepted only when it
    /// equals the derived scale (`scale_mismatch` otherwise); alone it is not enough.
    #[cfg_attr(feature = "openapi", schema(deprecated))]
    pub scale: Option<String>,
    /// `rendah`, `menengah_rendah`, `menengah_tinggi` or `tinggi`.
    #[cfg_attr(feature = "openapi", schema(required))]
    pub risk_level: String,
    #[cfg_attr(feature = "openapi", schema(required))]
    pub address: String,
    /// One of the 67 kelurahan codes of Kota Serang, e.g. `36.73.06.1001`.
    #[cfg_attr(feature = "openapi", schema(required))]
    pub kelurahan_code: String,
    /// Latitude inside Kota Serang; with `lon`, or both left out for the kelurahan's centre.
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub phone: Option<String>,
    pub whatsapp: Option<String>,
}

/// A business profile that passed validation.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidProducer {
    pub name: String,
    pub owner_name: String,
    /// Always set for a business registering itself; `None` only for one registered by the
    /// Dinas in pendampingan ([`ProducerInput::validate_assisted`]).
    pub nib: Option<Nib>,
    /// Derived from the ranges (or kept from a business registered before they were asked).
    pub scale: BusinessScale,
    pub capital_range: Option<CapitalRange>,
    pub sales_range: Option<SalesRange>,
    pub risk_level: RiskLevel,
    pub address: String,
    pub kelurahan: &'static Kelurahan,
    pub lat: f64,
    pub lon: f64,
    /// `+62…`
    pub phone: Option<String>,
    /// `+62…`
    pub whatsapp: Option<String>,
}

fn text(
    errs: &mut ValidationErrors,
    field: &str,
    what: &str,
    v: &str,
    min: usize,
    max: usize,
) -> String {
    let v = v.trim();
    if v.is_empty() {
        errs.push(FieldError::required(field, what));
    } else {
        errs.field(check_len(field, what, v, min, max));
    }
    v.to_string()
}

impl ProducerInput {
    /// Validates the form, collecting all errors; the scale is derived from the ranges.
    pub fn validate(self) -> Result<ValidProducer, ValidationErrors> {
        self.validate_keeping(None)
    }

    /// As [`validate`](Self::validate), for an edit of a business registered before the
    /// ranges were asked: with no range given, its stored (declared) `legacy` scale is kept.
    pub fn validate_keeping(
        self,
        legacy: Option<BusinessScale>,
    ) -> Result<ValidProducer, ValidationErrors> {
        self.validate_with(legacy, true)
    }

    /// As [`validate_keeping`](Self::validate_keeping) for a business the Dinas registers or
    /// imports on its behalf: an empty NIB is allowed (the business is in pendampingan).
    pub fn validate_assisted(
        self,
        legacy: Option<BusinessScale>,
    ) -> Result<ValidProducer, ValidationErrors> {
        self.validate_with(legacy, false)
    }

    fn validate_with(
        self,
        legacy: Option<BusinessScale>,
        nib_required: bool,
    ) -> Result<ValidProducer, ValidationErrors> {
        let mut errs = ValidationErrors::new();
        let name = text(&mut errs, "name", "Nama usaha", &self.name, 3, 120);
        let owner_name = text(&mut errs, "owner_name", "Nama pemilik", &self.owner_name, 2, 120);
        let nib = if !nib_required && self.nib.trim().is_empty() {
            Some(None)
        } else {
            errs.field(Nib::parse("nib", &self.nib)).map(Some)
        };
        let capital_range = non_empty(self.capital_range.as_deref())
            .and_then(|c| errs.field(CapitalRange::parse_field("capital_range", c)));
        let sales_range = non_empty(self.sales_range.as_deref())
            .and_then(|c| errs.field(SalesRange::parse_field("sales_range", c)));
        let declared = non_empty(self.scale.as_deref())
            .and_then(|c| errs.field(BusinessScale::parse_field("scale", c)));
        let ranges_bad = errs.get("capital_range").is_some() || errs.get("sales_range").is_some();
        let scale = match (capital_range, sales_range, legacy) {
            _ if ranges_bad => None,
            (None, None, Some(kept)) => Some(kept),
            _ => match derive_scale(capital_range, sales_range) {
                Ok(s) => Some(s),
                Err(es) => {
                    es.into_iter().for_each(|e| errs.push(e));
                    None
                }
            },
        };
        if let (Some(d), Some(s)) = (declared, scale)
            && d != s
        {
            errs.push(FieldError::new(
                "scale",
                "scale_mismatch",
                format!(
                    "Skala usaha dihitung dari kisaran modal/penjualan: {}, bukan {}.",
                    s.label(),
                    d.label()
                ),
            ));
        }
        let risk_level = errs.field(RiskLevel::parse_field("risk_level", &self.risk_level));
        let address = text(&mut errs, "address", "Alamat", &self.address, 5, 300);
        let kelurahan = errs.field(parse_kelurahan("kelurahan_code", &self.kelurahan_code));
        let (lat, lon) = match (self.lat, self.lon, kelurahan) {
            (Some(lat), Some(lon), _) => {
                if !(lat.is_finite() && lon.is_finite()) {
                    errs.push(FieldError::new(
                        "lat",
                        "invalid_format",
                        "Koordinat harus berupa angka.",
                    ));
                } else {
                    errs.field(check_in_kota_serang("lat", "lon", lat, lon));
                }
                (lat, lon)
            }
            (None, None, Some(k)) => (k.lat, k.lon),
            (None, None, None) => (0.0, 0.0),
            (lat, _, _) => {
                let missing = if lat.is_none() { "lat" } else { "lon" };
                errs.push(FieldError::new(
                    missing,
                    "required",
                    "Isi lintang dan bujur sekaligus, atau kosongkan keduanya untuk memakai titik tengah kelurahan.",
                ));
                (0.0, 0.0)
            }
        };
        let phone =
            non_empty(self.phone.as_deref()).and_then(|p| errs.field(validate_phone("phone", p)));
        let whatsapp = non_empty(self.whatsapp.as_deref())
            .and_then(|p| errs.field(validate_phone("whatsapp", p)));
        if phone.is_none()
            && whatsapp.is_none()
            && errs.get("phone").is_none()
            && errs.get("whatsapp").is_none()
        {
            errs.push(FieldError::new(
                "whatsapp",
                "required",
                "Isi nomor WhatsApp atau telepon agar toko dan Dinas bisa menghubungi Anda.",
            ));
        }
        match (nib, scale, risk_level, kelurahan, errs.is_empty()) {
            (Some(nib), Some(scale), Some(risk_level), Some(kelurahan), true) => {
                Ok(ValidProducer {
                    name,
                    owner_name,
                    nib,
                    scale,
                    capital_range,
                    sales_range,
                    risk_level,
                    address,
                    kelurahan,
                    lat,
                    lon,
                    phone,
                    whatsapp,
                })
            }
            _ => Err(errs),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn good() -> ProducerInput {
        ProducerInput {
            name: "Dapur Emping Bu Sari".into(),
            owner_name: "Sari Wulandari".into(),
            nib: "9120001234567".into(),
            capital_range: Some("up_to1".into()),
            sales_range: None,
            scale: None,
            risk_level: "rendah".into(),
            address: "Jl. Raya Taktakan No. 12".into(),
            kelurahan_code: "36.73.06.1001".into(),
            lat: None,
            lon: None,
            phone: None,
            whatsapp: Some("0812-3456-7890".into()),
        }
    }

    #[test]
    fn a_complete_form_is_valid_and_defaults_to_the_kelurahan_centroid() {
        let v = good().validate().unwrap();
        assert_eq!(v.kelurahan.code, "36.73.06.1001");
        assert_eq!((v.lat, v.lon), (v.kelurahan.lat, v.kelurahan.lon));
        assert_eq!(v.whatsapp.as_deref(), Some("+6281234567890"));
        assert_eq!(v.scale, BusinessScale::Mikro);
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let input = ProducerInput {
            name: "".into(),
            nib: "12345".into(),
            scale: Some("besar".into()),
            capital_range: Some("sedang".into()),
            kelurahan_code: "31.71.01.1001".into(),
            whatsapp: None,
            ..good()
        };
        let errs = input.validate().unwrap_err();
        for f in ["name", "nib", "scale", "capital_range", "kelurahan_code", "whatsapp"] {
            assert!(errs.get(f).is_some(), "{f} should be reported: {:?}", errs.fields());
        }
    }

    #[test]
    fn the_scale_is_derived_and_a_declared_scale_alone_is_not_enough() {
        let both = ProducerInput {
            capital_range: Some("from5_to10".into()),
            sales_range: Some("from2_to15".into()),
            scale: Some("kecil".into()),
            ..good()
        };
        let v = both.validate().unwrap();
        assert_eq!(v.scale, BusinessScale::Kecil);
        assert_eq!(v.capital_range, Some(CapitalRange::From5To10));
        let alone = ProducerInput { capital_range: None, scale: Some("mikro".into()), ..good() };
        let errs = alone.clone().validate().unwrap_err();
        assert_eq!(errs.get("capital_range").map(|e| e.code), Some("required"));
        assert_eq!(errs.get("sales_range").map(|e| e.code), Some("required"));
        let kept = alone.validate_keeping(Some(BusinessScale::Mikro)).unwrap();
        assert_eq!((kept.scale, kept.capital_range), (BusinessScale::Mikro, None));
        let wrong = ProducerInput { scale: Some("menengah".into()), ..good() };
        let errs = wrong.validate().unwrap_err();
        assert_eq!(errs.get("scale").map(|e| e.code), Some("scale_mismatch"));
        let big = ProducerInput { capital_range: Some("over10".into()), ..good() };
        let errs = big.validate().unwrap_err();
        assert_eq!(errs.get("capital_range").map(|e| e.code), Some("not_umkm"));
    }

    #[test]
    fn coordinates_outside_kota_serang_are_refused_on_lat() {
        let input = ProducerInput { lat: Some(-6.2), lon: Some(106.8), ..good() };
        let errs = input.validate().unwrap_err();
        assert_eq!(errs.get("lat").map(|e| e.code), Some("not_in_kota_serang"));
    }

    #[test]
    fn half_a_coordinate_is_refused() {
        let input = ProducerInput { lat: Some(-6.12), lon: None, ..good() };
        let errs = input.validate().unwrap_err();
        assert_eq!(errs.get("lon").map(|e| e.code), Some("required"));
    }
}
