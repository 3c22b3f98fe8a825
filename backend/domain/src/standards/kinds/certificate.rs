//! Requirement: a certificate of kind K valid on the evaluation date. "Izin edar" accepts a
//! P-IRT or a BPOM MD. Valid through the expiry date itself; a warning within 30 days of it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::certificate::{CertificateKind, CertificateValidity, validity_on};
use crate::code_enum::code_enum;
use crate::datefmt::format_date_id;
use crate::identifiers::PirtNumber;
use crate::standards::{Check, ProductFacts, Rule, fix};

code_enum! {
    /// Which certificate a requirement asks for.
    pub enum CertificateNeed : "jenis sertifikat" {
        IzinEdar => ("izin_edar", "Izin edar (P-IRT atau BPOM MD)"),
        Pirt => ("pirt", "P-IRT (SPP-IRT)"),
        BpomMd => ("bpom_md", "BPOM MD"),
        BpomMl => ("bpom_ml", "BPOM ML"),
        Halal => ("halal", "Sertifikat halal"),
        Sni => ("sni", "SNI"),
    }
}

impl CertificateNeed {
    /// The certificate kinds that satisfy this need.
    pub fn accepts(self) -> &'static [CertificateKind] {
        match self {
            CertificateNeed::IzinEdar => &[CertificateKind::Pirt, CertificateKind::BpomMd],
            CertificateNeed::Pirt => &[CertificateKind::Pirt],
            CertificateNeed::BpomMd => &[CertificateKind::BpomMd],
            CertificateNeed::BpomMl => &[CertificateKind::BpomMl],
            CertificateNeed::Halal => &[CertificateKind::Halal],
            CertificateNeed::Sni => &[CertificateKind::Sni],
        }
    }
}

/// `{"kind": "certificate", "certificate": "izin_edar"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateValid {
    pub certificate: CertificateNeed,
}

impl Rule for CertificateValid {
    fn label(&self) -> String {
        format!("{} berlaku", self.certificate.label())
    }
    fn check(&self, facts: &ProductFacts, date: NaiveDate) -> Check {
        check_certificate(facts, self.certificate, date)
    }
}

/// The last valid day of a certificate: its date, or for a P-IRT without one, 31 December of
/// the year in its number.
fn last_day(
    kind: CertificateKind,
    number: &str,
    expires_on: Option<NaiveDate>,
) -> Option<NaiveDate> {
    expires_on.or_else(|| match kind {
        CertificateKind::Pirt => PirtNumber::parse("number", number).ok().map(|p| p.expiry_date()),
        _ => None,
    })
}

/// Shared by the certificate and halal requirements: the best matching certificate decides.
pub(crate) fn check_certificate(
    facts: &ProductFacts,
    need: CertificateNeed,
    date: NaiveDate,
) -> Check {
    let what = need.label();
    let mut best: Option<(CertificateValidity, Option<NaiveDate>)> = None;
    let matching = || facts.certificates.iter().filter(|c| need.accepts().contains(&c.kind));
    for c in matching().filter(|c| c.counts()) {
        let last = last_day(c.kind, &c.number, c.expires_on);
        let v = validity_on(last, date);
        let rank = |v: &CertificateValidity, l: Option<NaiveDate>| (v.is_valid(), l.is_none(), l);
        if best.as_ref().is_none_or(|(bv, bl)| rank(&v, last) > rank(bv, *bl)) {
            best = Some((v, last));
        }
    }
    match best {
        None if matching().next().is_some() => Check::fail(
            format!("{what} menunggu pemeriksaan Dinas (dihitung setelah diperiksa petugas)"),
            fix::CERTIFICATES,
        ),
        None => Check::fail(format!("Belum ada {what} — unggah sertifikatnya"), fix::CERTIFICATES),
        Some((CertificateValidity::Expired { since }, _)) => Check::fail(
            format!("{what} kedaluwarsa sejak {} — unggah sertifikat baru", format_date_id(since)),
            fix::CERTIFICATES,
        ),
        Some((CertificateValidity::ExpiringSoon { days_left }, Some(last))) => {
            let when = if days_left == 0 {
                "hari ini".to_string()
            } else {
                format!("{days_left} hari lagi")
            };
            Check::warn(
                format!(
                    "{what} berakhir {} ({when}) — perpanjang lalu unggah sertifikat baru",
                    format_date_id(last)
                ),
                fix::CERTIFICATES,
            )
        }
        Some((_, Some(last))) => {
            Check::pass(format!("{what} berlaku sampai {}", format_date_id(last)))
        }
        Some((_, None)) => Check::pass(format!("{what} tercatat (tanpa masa berlaku)")),
    }
}
