//! Demo product photos, drawn at seed time (no downloads are possible): a package in the
//! category's colours with a label, on a light plain background — the kind of photo a chain's
//! buyer accepts. A few are drawn dim, so the quality verdict has something to say.

use std::io::Cursor;

use image::{ImageFormat, Rgb, RgbImage};

const PALETTES: [([u8; 3], [u8; 3]); 11] = [
    ([196, 60, 40], [250, 200, 60]),
    ([150, 90, 40], [240, 220, 180]),
    ([180, 20, 30], [250, 120, 40]),
    ([30, 90, 150], [200, 230, 250]),
    ([120, 70, 30], [240, 180, 90]),
    ([40, 140, 90], [210, 240, 200]),
    ([70, 45, 30], [200, 160, 110]),
    ([200, 150, 20], [250, 240, 200]),
    ([110, 80, 50], [220, 200, 160]),
    ([60, 50, 120], [230, 200, 120]),
    ([90, 150, 160], [240, 250, 245]),
];

fn hash(s: &str) -> u64 {
    s.bytes()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

fn mix(a: [u8; 3], b: [u8; 3], t: f32) -> Rgb<u8> {
    let m = |x: u8, y: u8| (f32::from(x) * (1.0 - t) + f32::from(y) * t) as u8;
    Rgb([m(a[0], b[0]), m(a[1], b[1]), m(a[2], b[2])])
}

/// A 1200×900 photo of a package for `name` in `category`, as JPEG bytes.
pub fn product_photo(name: &str, category_index: usize, dim: bool) -> Vec<u8> {
    let (w, h) = (1200u32, 900u32);
    let (main, accent) = PALETTES[category_index % PALETTES.len()];
    let seed = hash(name);
    let pw = 420 + (seed % 120) as u32;
    let ph = 600 + (seed / 7 % 120) as u32;
    let (x0, y0) = ((w - pw) / 2, (h - ph) / 2 + 20);
    let lines = 3 + (seed % 3) as u32;
    let img = RgbImage::from_fn(w, h, |x, y| {
        let bg = {
            let t = y as f32 / h as f32;
            mix([248, 247, 243], [236, 234, 228], t)
        };
        // Soft shadow below the package.
        let shadow = y > y0 + ph && y < y0 + ph + 24 && x > x0 + 10 && x < x0 + pw - 10;
        let inside = x >= x0 && x < x0 + pw && y >= y0 && y < y0 + ph;
        let px = if inside {
            let (lx, ly) = (x - x0, y - y0);
            if ly < 40 {
                mix(main, [0, 0, 0], 0.25 + 0.1 * ((lx / 8) % 2) as f32)
            } else if ly > ph / 3 && ly < ph / 3 + 220 && lx > 40 && lx < pw - 40 {
                let row = (ly - ph / 3) / 44;
                let len = pw - 80 - ((seed >> (row * 3)) % 160) as u32;
                let text = row < lines
                    && (ly - ph / 3) % 44 > 14
                    && (ly - ph / 3) % 44 < 30
                    && lx - 40 < len;
                if text { mix(main, [20, 20, 20], 0.6) } else { Rgb([252, 252, 250]) }
            } else if ly > ph - 140 && lx > pw / 4 && lx < pw * 3 / 4 {
                let dots = ((lx * 13 + ly * 7 + (seed as u32 % 31)) % 17) < 5;
                if dots { mix(accent, [90, 50, 20], 0.5) } else { Rgb(accent) }
            } else {
                mix(main, accent, (lx as f32 / pw as f32) * 0.35)
            }
        } else if shadow {
            mix([248, 247, 243], [150, 150, 150], 0.35)
        } else {
            bg
        };
        if dim { Rgb([px[0] / 4, px[1] / 4, px[2] / 4]) } else { px }
    });
    let mut out = Cursor::new(Vec::new());
    match img.write_to(&mut out, ImageFormat::Jpeg) {
        Ok(()) => out.into_inner(),
        Err(_) => Vec::new(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use etalase_media::photo::{PhotoLimits, process};

    #[test]
    fn a_demo_photo_passes_every_quality_check_and_a_dim_one_does_not() {
        let good =
            process(&super::product_photo("Emping Melinjo", 0, false), &PhotoLimits::default())
                .unwrap();
        assert!(good.metrics.is_good(), "{:?}", good.metrics.verdict());
        let dim =
            process(&super::product_photo("Emping Melinjo", 0, true), &PhotoLimits::default())
                .unwrap();
        let v = dim.metrics.verdict();
        assert!(!v.iter().find(|c| c.key == "brightness").unwrap().ok);
    }
}
