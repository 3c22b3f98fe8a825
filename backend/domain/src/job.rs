//! Owns the codes of background jobs (runs with visible progress): what a job does and where
//! it stands.

use crate::code_enum::code_enum;

code_enum! {
    /// What a background job does.
    pub enum JobKind : "jenis pekerjaan" {
        /// Re-evaluates every product against a standard version that takes effect.
        ReevaluateVersion => ("reevaluate_version", "Evaluasi ulang versi standar"),
    }
}

code_enum! {
    /// Where a background job stands.
    pub enum JobStatus : "status pekerjaan" {
        /// Still working.
        Running => ("running", "Berjalan"),
        /// Finished every step.
        Done => ("done", "Selesai"),
        /// Stopped on an error (see its message).
        Failed => ("failed", "Gagal"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_labels() {
        crate::code_enum::assert_serde_codes::<JobKind>();
        crate::code_enum::assert_serde_codes::<JobStatus>();
    }
}
