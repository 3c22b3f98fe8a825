//! Test images made on the spot (no downloads) and hostile files crafted byte by byte.

#![allow(dead_code)]

use std::io::Cursor;

use image::{ImageFormat, Rgb, RgbImage};

/// A product-like photo: a coloured "pouch" with stripes on a light, plain background.
pub fn product_photo(w: u32, h: u32) -> RgbImage {
    RgbImage::from_fn(w, h, |x, y| {
        let (cx, cy) = (w / 2, h / 2);
        let inside = x.abs_diff(cx) < w / 4 && y.abs_diff(cy) < h / 3;
        if inside {
            if (y / 12) % 2 == 0 { Rgb([200, 40, 30]) } else { Rgb([250, 200, 40]) }
        } else {
            Rgb([245, 245, 242])
        }
    })
}

/// A smooth gradient: no edges at all, so it reads as blurry.
pub fn blurry_photo(w: u32, h: u32) -> RgbImage {
    RgbImage::from_fn(w, h, |x, y| {
        let v = (120 + (x * 40 / w.max(1)) + (y * 20 / h.max(1))) as u8;
        Rgb([v, v, v])
    })
}

pub fn encode(img: &RgbImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format).expect("encode fixture");
    out.into_inner()
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for b in bytes {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = Vec::new();
    c.extend_from_slice(&(data.len() as u32).to_be_bytes());
    c.extend_from_slice(kind);
    c.extend_from_slice(data);
    let mut crc_in = kind.to_vec();
    crc_in.extend_from_slice(data);
    c.extend_from_slice(&crc32(&crc_in).to_be_bytes());
    c
}

/// A tiny PNG whose header claims `w × h` pixels (a decompression bomb's calling card).
pub fn png_claiming(w: u32, h: u32) -> Vec<u8> {
    let mut out = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    out.extend(chunk(b"IHDR", &ihdr));
    // A few bytes of zlib data (an empty stored block) and the end.
    out.extend(chunk(b"IDAT", &[0x78, 0x01, 0x01, 0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x01]));
    out.extend(chunk(b"IEND", &[]));
    out
}

/// A JPEG whose frame header claims `w × h` pixels.
pub fn jpeg_claiming(w: u16, h: u16) -> Vec<u8> {
    let real = encode(&product_photo(16, 16), ImageFormat::Jpeg);
    // Find the SOF0 marker (FF C0) and overwrite height and width.
    let mut bytes = real.clone();
    if let Some(i) = bytes.windows(2).position(|m| m == [0xFF, 0xC0]) {
        bytes[i + 5..i + 7].copy_from_slice(&h.to_be_bytes());
        bytes[i + 7..i + 9].copy_from_slice(&w.to_be_bytes());
    }
    bytes
}

pub fn truncated(bytes: &[u8]) -> Vec<u8> {
    bytes[..bytes.len() / 2].to_vec()
}

/// Garbage after a valid header: the header parses, the pixels do not.
pub fn corrupt_body(bytes: &[u8]) -> Vec<u8> {
    let mut b = bytes.to_vec();
    let start = b.len() / 3;
    for (i, x) in b.iter_mut().enumerate().skip(start) {
        *x = (i * 7919 % 251) as u8;
    }
    b
}

pub const HTML_AS_JPG: &[u8] = b"<!doctype html><html><script>alert(1)</script></html>";
pub const SVG_AS_JPG: &[u8] = b"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>";
pub const ZIP: &[u8] = b"PK\x03\x04\x14\x00\x00\x00\x08\x00 this is a zip";
