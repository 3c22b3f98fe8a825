//! Owns the business-profile form: `ProducerInput` as sent by a UMKM owner and its validation
//! into `ValidProducer`, reporting every bad field at once. Coordinates default to the
//! kelurahan's centroid when the owner has no GPS fix, and must lie in Kota Serang.

use serde::{Deserialize, Serialize};

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
    /// `mikro`, `kecil` or `menengah`.
    #[cfg_attr(feature = "openapi", schema(required))]
    pub scale: String,
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
    pub nib: Nib,
    pub scale: BusinessScale,
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
    /// Validates the form, collecting all errors.
    pub fn validate(self) -> Result<ValidProducer, ValidationErrors> {
        let mut errs = ValidationErrors::new();
        let name = text(&mut errs, "name", "Nama usaha", &self.name, 3, 120);
        let owner_name = text(&mut errs, "owner_name", "Nama pemilik", &self.owner_name, 2, 120);
        let nib = errs.field(Nib::parse("nib", &self.nib));
        let scale = errs.field(BusinessScale::parse_field("scale", &self.scale));
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
            scale: "mikro".into(),
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
            scale: "besar".into(),
            kelurahan_code: "31.71.01.1001".into(),
            whatsapp: None,
            ..good()
        };
        let errs = input.validate().unwrap_err();
        for f in ["name", "nib", "scale", "kelurahan_code", "whatsapp"] {
            assert!(errs.get(f).is_some(), "{f} should be reported: {:?}", errs.fields());
        }
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
