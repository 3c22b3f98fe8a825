//! The 16 bytes of a document every match is read for.

use super::{NONE, Row};
use crate::error::Result;

/// What a search reads of every match (facet counts, whether it is located, the id that ends
/// ties), in 16 bytes: a search over a large share of the documents reads these from cache,
/// and the full `Row` only of the matches that may make the page.
#[derive(Debug, Clone, Copy)]
#[repr(C, align(16))]
pub(crate) struct Hot {
    pub id: i64,
    /// Term ordinals (`NONE16` when missing).
    pub category: u16,
    pub kecamatan: u16,
    /// Index in `pack_values` (`NONE16` without pack size).
    pub pack: u16,
    /// Bit `o` set for the certificate of ordinal `o` (when the segment has at most 8).
    pub cert_bits: u8,
    /// Bits 0–1: halal (0 false, 1 true, 2 missing); bit 2: located; bits 3–7: the price
    /// bucket (`NO_BUCKET` without price).
    flags: u8,
}

/// Marks a missing value in `Hot`'s ordinals.
pub(crate) const NONE16: u16 = u16::MAX;
/// `Hot::bucket` without price.
pub(crate) const NO_BUCKET: usize = 31;

impl Hot {
    pub(crate) fn of(row: &Row) -> Result<Hot> {
        let narrow = |v: u32| -> Result<u16> {
            match v {
                NONE => Ok(NONE16),
                v => u16::try_from(v).ok().filter(|v| *v != NONE16).ok_or_else(|| {
                    let m = format!("lebih dari {} nilai facet dalam satu segmen", NONE16 - 1);
                    crate::error::Error::Corrupt(m)
                }),
            }
        };
        let bucket = if row.bucket == u8::MAX { NO_BUCKET as u8 } else { row.bucket };
        Ok(Hot {
            id: row.id,
            category: narrow(row.category)?,
            kecamatan: narrow(row.kecamatan)?,
            pack: narrow(row.pack)?,
            cert_bits: (row.cert_bits & 0xff) as u8,
            flags: (row.halal & 3) | (u8::from(row.located) << 2) | (bucket << 3),
        })
    }

    /// 0 false, 1 true, 2 missing.
    pub fn halal(&self) -> usize {
        usize::from(self.flags & 3)
    }

    pub fn located(&self) -> bool {
        self.flags & 4 != 0
    }

    /// Index in `PRICE_BUCKETS` (`NO_BUCKET` without price).
    pub fn bucket(&self) -> usize {
        usize::from(self.flags >> 3)
    }
}
