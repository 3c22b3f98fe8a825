//! Encoding variants: lossy WebP (libwebp) and baseline JPEG, from RGB pixels only — no
//! metadata of the upload survives.

use image::ExtendedColorType;
use image::codecs::jpeg::JpegEncoder;

use super::PhotoError;

pub const WEBP_QUALITY: f32 = 80.0;
pub const JPEG_QUALITY: u8 = 82;

pub fn webp(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, PhotoError> {
    let enc = webp::Encoder::from_rgb(rgb, w, h);
    let mem = enc.encode(WEBP_QUALITY);
    if mem.is_empty() {
        return Err(PhotoError::Internal("WebP encoder returned nothing".into()));
    }
    Ok(mem.to_vec())
}

pub fn jpeg(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, PhotoError> {
    let mut out = Vec::with_capacity(rgb.len() / 8);
    JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
        .encode(rgb, w, h, ExtendedColorType::Rgb8)
        .map_err(|e| PhotoError::Internal(e.to_string()))?;
    Ok(out)
}
