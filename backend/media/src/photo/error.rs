//! Why a photo is refused, in words a UMKM owner understands.

/// A refused or failed photo. Every variant but `Internal` is the uploader's to fix (4xx).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PhotoError {
    #[error("Berkas foto kosong.")]
    Empty,
    #[error("Foto terlalu besar ({} MB); maksimal {} MB.", bytes / 1_000_000, max / 1_000_000)]
    TooLarge { bytes: usize, max: usize },
    #[error("Berkas ini bukan foto JPEG, PNG atau WebP ({0}).")]
    UnsupportedType(String),
    #[error("Ukuran foto {width}×{height} piksel melebihi batas {max} piksel per sisi.")]
    DimensionsTooLarge { width: u32, height: u32, max: u32 },
    #[error("Foto {width}×{height} piksel terlalu besar (maksimal {} megapiksel).", max / 1_000_000)]
    TooManyPixels { width: u32, height: u32, max: u64 },
    #[error("Foto rusak atau tidak lengkap dan tidak bisa dibaca ({0}).")]
    Corrupt(String),
    #[error("Pengolahan foto gagal: {0}")]
    Internal(String),
}

impl PhotoError {
    pub(crate) fn from_image(e: image::ImageError) -> Self {
        match e {
            image::ImageError::Limits(l) => PhotoError::Corrupt(format!("melebihi batas: {l}")),
            other => PhotoError::Corrupt(other.to_string()),
        }
    }

    /// A stable code for APIs.
    pub fn code(&self) -> &'static str {
        match self {
            PhotoError::Empty => "empty_file",
            PhotoError::TooLarge { .. } => "file_too_large",
            PhotoError::UnsupportedType(_) => "unsupported_type",
            PhotoError::DimensionsTooLarge { .. } => "dimensions_too_large",
            PhotoError::TooManyPixels { .. } => "too_many_pixels",
            PhotoError::Corrupt(_) => "corrupt_image",
            PhotoError::Internal(_) => "internal_error",
        }
    }
}

/// What an unsupported file looks like, for the message.
pub(crate) fn describe(bytes: &[u8]) -> String {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(256)]).to_lowercase();
    if bytes.starts_with(b"PK\x03\x04") {
        "arsip ZIP".into()
    } else if head.contains("<svg") {
        "gambar SVG".into()
    } else if head.contains("<html") || head.contains("<!doctype") || head.contains("<script") {
        "halaman HTML".into()
    } else if bytes.starts_with(b"%PDF") {
        "dokumen PDF".into()
    } else if bytes.starts_with(b"GIF8") {
        "GIF".into()
    } else {
        "jenis tidak dikenal".into()
    }
}
