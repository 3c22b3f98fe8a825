//! The photo pipeline: hostile until proven otherwise. `probe` reads only the header and
//! refuses by file size, width/height and pixel count before anything is decoded; `process`
//! decodes under `image::Limits`, applies the EXIF orientation, drops all metadata (variants are
//! re-encoded from pixels), resizes with `fast_image_resize`, encodes WebP and JPEG variants
//! and measures quality. `process` is CPU-bound: call it from `spawn_blocking` under a semaphore;
//! it resizes and encodes on helper threads only as far as the shared `ThreadBudget` (sized like
//! that semaphore) has threads free.

mod encode;
mod error;
mod quality;
mod threads;
mod variants;

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

pub use error::PhotoError;
pub use quality::{QualityCheck, QualityMetrics};
pub use threads::{DEFAULT_PHOTO_THREADS, Lease, ThreadBudget, threads};

/// What the server accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhotoLimits {
    pub max_bytes: usize,
    pub max_dimension: u32,
    pub max_pixels: u64,
}

impl Default for PhotoLimits {
    fn default() -> Self {
        Self { max_bytes: 15 * 1000 * 1000, max_dimension: 10_000, max_pixels: 40_000_000 }
    }
}

/// The long-side sizes of the variants.
pub const VARIANT_SIZES: [u32; 3] = [320, 800, 1600];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoFormat {
    Jpeg,
    Png,
    WebP,
}

impl PhotoFormat {
    fn image_format(self) -> ImageFormat {
        match self {
            PhotoFormat::Jpeg => ImageFormat::Jpeg,
            PhotoFormat::Png => ImageFormat::Png,
            PhotoFormat::WebP => ImageFormat::WebP,
        }
    }
}

/// The format from the first bytes — never from the file name or the client's header.
pub fn sniff(bytes: &[u8]) -> Option<PhotoFormat> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(PhotoFormat::Jpeg)
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some(PhotoFormat::Png)
    } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(PhotoFormat::WebP)
    } else {
        None
    }
}

/// Format and size read from the header only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Probe {
    pub format: PhotoFormat,
    pub width: u32,
    pub height: u32,
}

/// Checks size, type and dimensions without decoding pixels.
pub fn probe(bytes: &[u8], limits: &PhotoLimits) -> Result<Probe, PhotoError> {
    if bytes.is_empty() {
        return Err(PhotoError::Empty);
    }
    if bytes.len() > limits.max_bytes {
        return Err(PhotoError::TooLarge { bytes: bytes.len(), max: limits.max_bytes });
    }
    let format = sniff(bytes).ok_or_else(|| PhotoError::UnsupportedType(error::describe(bytes)))?;
    let reader = ImageReader::with_format(Cursor::new(bytes), format.image_format());
    let (width, height) =
        reader.into_dimensions().map_err(|e| PhotoError::Corrupt(e.to_string()))?;
    if width == 0 || height == 0 {
        return Err(PhotoError::Corrupt("ukuran 0 piksel".into()));
    }
    if width > limits.max_dimension || height > limits.max_dimension {
        return Err(PhotoError::DimensionsTooLarge { width, height, max: limits.max_dimension });
    }
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        return Err(PhotoError::TooManyPixels { width, height, max: limits.max_pixels });
    }
    Ok(Probe { format, width, height })
}

/// One encoded variant.
#[derive(Clone)]
pub struct Variant {
    /// The long side this variant was made for (320, 800, 1600).
    pub size: u32,
    pub width: u32,
    pub height: u32,
    /// `webp` or `jpg`.
    pub ext: &'static str,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Variant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Variant({} {}×{} {}, {} bytes)",
            self.size,
            self.width,
            self.height,
            self.ext,
            self.bytes.len()
        )
    }
}

/// A JPEG must end its scan with an EOI marker; decoders quietly fill a cut-off file with grey.
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let sos = bytes.windows(2).position(|m| m == [0xFF, 0xDA]);
    let eoi = bytes.windows(2).rposition(|m| m == [0xFF, 0xD9]);
    matches!((sos, eoi), (Some(s), Some(e)) if e > s)
}

/// The result of processing one upload.
#[derive(Debug, Clone)]
pub struct Processed {
    pub width: u32,
    pub height: u32,
    pub variants: Vec<Variant>,
    pub metrics: QualityMetrics,
}

/// Time spent in each stage (wall time), for the benchmark.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    pub decode: std::time::Duration,
    pub resize: std::time::Duration,
    pub encode: std::time::Duration,
    /// Threads the photo was resized and encoded on (its own included).
    pub threads: usize,
}

/// Decodes, checks and encodes every variant, on threads from the process-wide budget
/// (`threads()`).
pub fn process(bytes: &[u8], limits: &PhotoLimits) -> Result<Processed, PhotoError> {
    process_timed(bytes, limits).map(|(p, _)| p)
}

/// Like `process`, on threads leased from `budget`.
pub fn process_with(
    bytes: &[u8],
    limits: &PhotoLimits,
    budget: &ThreadBudget,
) -> Result<Processed, PhotoError> {
    process_timed_with(bytes, limits, budget).map(|(p, _)| p)
}

/// Decodes with limits and orientation applied, as RGB on white.
fn decode(
    bytes: &[u8],
    probe: &Probe,
    limits: &PhotoLimits,
) -> Result<image::RgbImage, PhotoError> {
    if probe.format == PhotoFormat::Jpeg && !jpeg_is_complete(bytes) {
        return Err(PhotoError::Corrupt("berkas JPEG terpotong".into()));
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), probe.format.image_format());
    let mut l = Limits::default();
    l.max_image_width = Some(limits.max_dimension);
    l.max_image_height = Some(limits.max_dimension);
    l.max_alloc = Some(limits.max_pixels.saturating_mul(4).saturating_add(64 << 20));
    reader.limits(l);
    let mut decoder = reader.into_decoder().map_err(|e| PhotoError::Corrupt(e.to_string()))?;
    let orientation = decoder.orientation().map_err(|e| PhotoError::Corrupt(e.to_string()))?;
    let mut img = DynamicImage::from_decoder(decoder).map_err(PhotoError::from_image)?;
    img.apply_orientation(orientation);
    Ok(if img.color().has_alpha() { flatten_on_white(&img.to_rgba8()) } else { img.into_rgb8() })
}

fn flatten_on_white(rgba: &image::RgbaImage) -> image::RgbImage {
    image::RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let p = rgba.get_pixel(x, y).0;
        let a = u16::from(p[3]);
        let mix = |c: u8| ((u16::from(c) * a + 255 * (255 - a)) / 255) as u8;
        image::Rgb([mix(p[0]), mix(p[1]), mix(p[2])])
    })
}

/// Fits `w×h` into `long` on the long side (never upscales).
pub fn fit(w: u32, h: u32, long: u32) -> (u32, u32) {
    let m = w.max(h);
    if m <= long {
        return (w, h);
    }
    let scale = f64::from(long) / f64::from(m);
    (((f64::from(w) * scale).round() as u32).max(1), ((f64::from(h) * scale).round() as u32).max(1))
}

/// Like `process`, also reporting where the time went.
pub fn process_timed(
    bytes: &[u8],
    limits: &PhotoLimits,
) -> Result<(Processed, Timings), PhotoError> {
    process_timed_with(bytes, limits, threads())
}

/// Like `process_timed`, on threads leased from `budget` (its own thread always included).
pub fn process_timed_with(
    bytes: &[u8],
    limits: &PhotoLimits,
    budget: &ThreadBudget,
) -> Result<(Processed, Timings), PhotoError> {
    let mut t = Timings::default();
    let probe = probe(bytes, limits)?;
    let start = std::time::Instant::now();
    let rgb = decode(bytes, &probe, limits)?;
    t.decode = start.elapsed();
    let (p, stages) = variants::make(rgb, budget)?;
    t.resize = stages.resize;
    t.encode = stages.encode;
    t.threads = stages.threads;
    Ok((p, t))
}
