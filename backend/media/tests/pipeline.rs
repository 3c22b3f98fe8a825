//! The photo pipeline against good photos and hostile files.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;

use etalase_media::photo::{self, PhotoError, PhotoFormat, PhotoLimits, ThreadBudget};
use fixtures::*;
use image::ImageFormat;

fn limits() -> PhotoLimits {
    PhotoLimits::default()
}

#[test]
fn a_good_photo_becomes_webp_and_jpeg_variants_of_the_right_sizes() {
    let bytes = encode(&product_photo(2000, 1500), ImageFormat::Jpeg);
    let p = photo::process(&bytes, &limits()).unwrap();
    assert_eq!((p.width, p.height), (2000, 1500));
    let sizes: Vec<(u32, u32, &str)> =
        p.variants.iter().map(|v| (v.width, v.height, v.ext)).collect();
    assert_eq!(
        sizes,
        vec![
            (1600, 1200, "webp"),
            (1600, 1200, "jpg"),
            (800, 600, "webp"),
            (800, 600, "jpg"),
            (320, 240, "webp"),
            (320, 240, "jpg")
        ]
    );
    for v in &p.variants {
        let back = image::load_from_memory(&v.bytes).unwrap();
        assert_eq!(
            (back.width(), back.height()),
            (v.width, v.height),
            "{} decodes to its stated size",
            v.ext
        );
        assert_eq!(
            photo::sniff(&v.bytes),
            Some(if v.ext == "webp" { PhotoFormat::WebP } else { PhotoFormat::Jpeg })
        );
    }
    assert!(p.metrics.is_good(), "{:?}", p.metrics.verdict());
}

#[test]
fn a_small_photo_is_never_upscaled() {
    let bytes = encode(&product_photo(500, 400), ImageFormat::Png);
    let p = photo::process(&bytes, &limits()).unwrap();
    let widths: Vec<u32> = p.variants.iter().map(|v| v.width).collect();
    assert_eq!(widths, vec![500, 500, 320, 320]);
    let res = p.metrics.verdict().into_iter().find(|c| c.key == "resolution").unwrap();
    assert!(!res.ok && res.message.contains("terlalu kecil"));
}

#[test]
fn a_blurry_dark_photo_gets_plain_indonesian_advice() {
    let bytes = encode(&blurry_photo(1200, 900), ImageFormat::Png);
    let p = photo::process(&bytes, &limits()).unwrap();
    let v = p.metrics.verdict();
    let sharp = v.iter().find(|c| c.key == "sharpness").unwrap();
    assert!(!sharp.ok && sharp.message.contains("Foto buram"), "{sharp:?}");
    assert!(p.metrics.sharpness < 5.0);
}

#[test]
fn webp_uploads_are_accepted() {
    let bytes = encode(&product_photo(900, 900), ImageFormat::WebP);
    assert_eq!(photo::sniff(&bytes), Some(PhotoFormat::WebP));
    let p = photo::process(&bytes, &limits()).unwrap();
    assert_eq!(p.width, 900);
}

#[test]
fn exif_orientation_is_applied_and_no_metadata_survives() {
    // A JPEG with an APP1 Exif segment: orientation 6 (rotate 90° clockwise) and a GPS tag marker.
    let base = encode(&product_photo(400, 200), ImageFormat::Jpeg);
    let exif: Vec<u8> = {
        let mut tiff = vec![
            b'M', b'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0,
            0,
        ];
        let mut seg = b"Exif\0\0".to_vec();
        seg.append(&mut tiff);
        seg.extend_from_slice(b"GPSLatitude-6.12");
        seg
    };
    let mut bytes = base[..2].to_vec();
    bytes.extend_from_slice(&[0xFF, 0xE1]);
    bytes.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
    bytes.extend_from_slice(&exif);
    bytes.extend_from_slice(&base[2..]);
    let p = photo::process(&bytes, &limits()).unwrap();
    assert_eq!((p.width, p.height), (200, 400), "rotated upright");
    for v in &p.variants {
        assert!(!v.bytes.windows(4).any(|w| w == b"Exif"), "no Exif in {}", v.ext);
        assert!(!v.bytes.windows(11).any(|w| w == b"GPSLatitude"), "no GPS in {}", v.ext);
    }
}

#[test]
fn encoding_on_two_threads_gives_the_same_files_as_on_one_and_strips_exif_alike() {
    let bytes = encode(&product_photo(2000, 1500), ImageFormat::Jpeg);
    let mut with_exif = bytes[..2].to_vec();
    let exif = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\0GPSLatitude-6.12";
    with_exif.extend_from_slice(&[0xFF, 0xE1]);
    with_exif.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
    with_exif.extend_from_slice(exif);
    with_exif.extend_from_slice(&bytes[2..]);
    let one = photo::process_with(&with_exif, &limits(), &ThreadBudget::new(1)).unwrap();
    let two = photo::process_with(&with_exif, &limits(), &ThreadBudget::new(2)).unwrap();
    assert_eq!(one.variants.len(), 6);
    let names = |p: &photo::Processed| {
        p.variants.iter().map(|v| (v.size, v.width, v.height, v.ext)).collect::<Vec<_>>()
    };
    assert_eq!(names(&one), names(&two));
    for (a, b) in one.variants.iter().zip(&two.variants) {
        assert!(a.bytes == b.bytes, "{a:?} differs from {b:?}");
        assert!(!b.bytes.windows(4).any(|w| w == b"Exif"), "no Exif in {b:?}");
        assert!(!b.bytes.windows(11).any(|w| w == b"GPSLatitude"), "no GPS in {b:?}");
    }
}

fn refused(bytes: &[u8]) -> PhotoError {
    photo::process(bytes, &limits()).expect_err("must be refused")
}

#[test]
fn empty_files_are_refused() {
    assert_eq!(refused(b""), PhotoError::Empty);
}

#[test]
fn html_svg_and_zip_named_jpg_are_refused_by_their_bytes() {
    assert!(matches!(refused(HTML_AS_JPG), PhotoError::UnsupportedType(s) if s.contains("HTML")));
    assert!(matches!(refused(SVG_AS_JPG), PhotoError::UnsupportedType(s) if s.contains("SVG")));
    assert!(matches!(refused(ZIP), PhotoError::UnsupportedType(s) if s.contains("ZIP")));
}

#[test]
fn a_png_claiming_50000_by_50000_is_refused_from_its_header() {
    let e = refused(&png_claiming(50_000, 50_000));
    assert!(
        matches!(e, PhotoError::DimensionsTooLarge { width: 50_000, height: 50_000, .. }),
        "{e:?}"
    );
}

#[test]
fn a_jpeg_with_a_65500_pixel_header_is_refused() {
    let e = refused(&jpeg_claiming(65_500, 65_500));
    assert!(matches!(e, PhotoError::DimensionsTooLarge { .. }), "{e:?}");
}

#[test]
fn too_many_pixels_within_the_side_limit_are_refused() {
    let e = refused(&png_claiming(9_000, 9_000));
    assert!(matches!(e, PhotoError::TooManyPixels { .. }), "{e:?}");
}

#[test]
fn files_over_the_size_limit_are_refused_before_decoding() {
    let small = PhotoLimits { max_bytes: 1000, ..limits() };
    let bytes = encode(&product_photo(400, 400), ImageFormat::Png);
    assert!(matches!(photo::process(&bytes, &small), Err(PhotoError::TooLarge { .. })));
}

#[test]
fn truncated_and_corrupt_images_are_refused_in_every_format() {
    for format in [ImageFormat::Jpeg, ImageFormat::Png, ImageFormat::WebP] {
        let good = encode(&product_photo(600, 400), format);
        for (what, bad) in [("truncated", truncated(&good)), ("corrupt", corrupt_body(&good))] {
            let e = photo::process(&bad, &limits());
            assert!(matches!(e, Err(PhotoError::Corrupt(_))), "{format:?} {what}: {e:?}");
        }
    }
}
