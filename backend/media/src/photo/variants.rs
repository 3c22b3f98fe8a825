//! From decoded pixels to the variants: every size resized from the full picture, the quality
//! measured on the ≤ 800 px one, then each size encoded as WebP and JPEG. Resizes and encodes are
//! independent jobs, run on the threads leased from the budget (the caller's included); with one
//! thread they run one after another exactly as before, and the bytes are the same either way
//! (each job is deterministic and does not depend on the others).

use std::time::{Duration, Instant};

use fast_image_resize::images::Image;
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};

use super::threads::{ThreadBudget, par_map};
use super::{PhotoError, Processed, QualityMetrics, VARIANT_SIZES, Variant, encode, fit};

/// Wall time of the two stages and the threads they ran on.
pub(crate) struct Stages {
    pub resize: Duration,
    pub encode: Duration,
    pub threads: usize,
}

/// The long sides to make for a `width×height` picture, largest first: every standard size
/// below its long side, and the picture's own size when it is smaller than the largest.
fn sizes(width: u32, height: u32) -> Vec<u32> {
    let long = width.max(height);
    let mut sizes: Vec<u32> = VARIANT_SIZES.iter().copied().filter(|s| *s < long).collect();
    if sizes.len() < VARIANT_SIZES.len() {
        sizes.push(long);
    }
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    sizes.dedup();
    sizes
}

fn resize(src: &Image<'_>, w: u32, h: u32) -> Result<Vec<u8>, PhotoError> {
    if (w, h) == (src.width(), src.height()) {
        return Ok(src.buffer().to_vec());
    }
    let mut dst = Image::new(w, h, PixelType::U8x3);
    let opts = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::CatmullRom));
    Resizer::new().resize(src, &mut dst, &opts).map_err(|e| PhotoError::Internal(e.to_string()))?;
    Ok(dst.into_vec())
}

/// One resized size.
struct Resized {
    size: u32,
    width: u32,
    height: u32,
    pixels: Vec<u8>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Codec {
    WebP,
    Jpeg,
}

fn encode_one(r: &Resized, codec: Codec) -> Result<Variant, PhotoError> {
    let (ext, content_type, bytes) = match codec {
        Codec::WebP => ("webp", "image/webp", encode::webp(&r.pixels, r.width, r.height)?),
        Codec::Jpeg => ("jpg", "image/jpeg", encode::jpeg(&r.pixels, r.width, r.height)?),
    };
    Ok(Variant { size: r.size, width: r.width, height: r.height, ext, content_type, bytes })
}

/// Resizes, measures and encodes `rgb`, consuming it (the full picture is freed before the
/// encoders start, so their memory does not add to it).
pub(crate) fn make(
    rgb: image::RgbImage,
    budget: &ThreadBudget,
) -> Result<(Processed, Stages), PhotoError> {
    let (width, height) = rgb.dimensions();
    let src = Image::from_vec_u8(width, height, rgb.into_raw(), PixelType::U8x3)
        .map_err(|e| PhotoError::Internal(e.to_string()))?;
    let sizes = sizes(width, height);
    // Six encodes are the most that can run at once.
    let lease = budget.lease(sizes.len() * 2);
    let threads = lease.threads();

    let r0 = Instant::now();
    let resized = par_map(&sizes, threads, |&size| {
        let (w, h) = fit(width, height, size);
        resize(&src, w, h).map(|pixels| Resized { size, width: w, height: h, pixels })
    })
    .into_iter()
    .collect::<Result<Vec<_>, _>>()?;
    drop(src);
    let resize_time = r0.elapsed();

    // The first (largest) variant of at most 800 px: the 800 one when the photo is larger.
    let metrics = resized
        .iter()
        .find(|r| r.width.max(r.height) <= 800)
        .map(|r| QualityMetrics::measure(&r.pixels, r.width, r.height, width, height))
        .ok_or_else(|| PhotoError::Internal("tidak ada varian".into()))?;

    // Largest first (WebP costs more than JPEG), so the last jobs to start are the short ones.
    let jobs: Vec<(usize, Codec)> =
        (0..resized.len()).flat_map(|i| [(i, Codec::WebP), (i, Codec::Jpeg)]).collect();
    let e0 = Instant::now();
    let variants = par_map(&jobs, threads, |&(i, codec)| encode_one(&resized[i], codec))
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
    let encode_time = e0.elapsed();
    drop(lease);
    let stages = Stages { resize: resize_time, encode: encode_time, threads };
    Ok((Processed { width, height, variants, metrics }, stages))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn sizes_are_the_standard_ones_below_the_long_side_plus_the_own_size_largest_first() {
        assert_eq!(sizes(4000, 3000), vec![1600, 800, 320]);
        assert_eq!(sizes(1000, 1200), vec![1200, 800, 320]);
        assert_eq!(sizes(500, 400), vec![500, 320]);
        assert_eq!(sizes(800, 600), vec![800, 320]);
        assert_eq!(sizes(200, 100), vec![200]);
    }

    /// A photo-like picture with edges and texture, so the encoders have work to do.
    fn picture(w: u32, h: u32) -> image::RgbImage {
        image::RgbImage::from_fn(w, h, |x, y| {
            let inside = x.abs_diff(w / 2) < w / 4 && y.abs_diff(h / 2) < h / 3;
            let t = ((x / 7 + y / 5) % 9) as u8 * 20;
            if inside { image::Rgb([200, t, 40]) } else { image::Rgb([240, 238, 230 - t / 8]) }
        })
    }

    #[test]
    fn the_parallel_path_makes_the_same_variants_as_the_sequential_one() {
        let (seq, seq_stages) = make(picture(2400, 1800), &ThreadBudget::new(1)).unwrap();
        let (par, par_stages) = make(picture(2400, 1800), &ThreadBudget::new(3)).unwrap();
        assert_eq!(seq_stages.threads, 1);
        assert_eq!(par_stages.threads, 3);
        let shape = |p: &Processed| {
            p.variants.iter().map(|v| (v.size, v.width, v.height, v.ext)).collect::<Vec<_>>()
        };
        let expected = vec![
            (1600, 1600, 1200, "webp"),
            (1600, 1600, 1200, "jpg"),
            (800, 800, 600, "webp"),
            (800, 800, 600, "jpg"),
            (320, 320, 240, "webp"),
            (320, 320, 240, "jpg"),
        ];
        assert_eq!(shape(&seq), expected);
        assert_eq!(shape(&par), expected);
        for (s, p) in seq.variants.iter().zip(&par.variants) {
            assert_eq!(s.content_type, p.content_type);
            assert!(s.bytes == p.bytes, "{s:?} and {p:?} differ");
            let back = image::load_from_memory(&p.bytes).unwrap();
            assert_eq!((back.width(), back.height()), (p.width, p.height), "{p:?} decodes");
        }
        assert_eq!(seq.metrics, par.metrics);
        assert_eq!((par.width, par.height), (2400, 1800));
    }

    #[test]
    fn a_busy_budget_leaves_the_photo_on_its_own_thread() {
        let budget = ThreadBudget::new(2);
        let other_photo = budget.lease(1);
        let (p, stages) = make(picture(900, 700), &budget).unwrap();
        assert_eq!(stages.threads, 1);
        let sizes: Vec<(u32, &str)> = p.variants.iter().map(|v| (v.width, v.ext)).collect();
        assert_eq!(
            sizes,
            vec![
                (900, "webp"),
                (900, "jpg"),
                (800, "webp"),
                (800, "jpg"),
                (320, "webp"),
                (320, "jpg")
            ]
        );
        assert_eq!(budget.busy(), 1, "the lease was given back");
        drop(other_photo);
        assert_eq!(budget.busy(), 0);
    }
}
