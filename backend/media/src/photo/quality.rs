//! Photo quality, measured on a ≤800 px variant: resolution, sharpness (variance of the
//! Laplacian of luma), mean brightness, and how light and plain the background is (the border
//! band's mean and spread). The verdict is in plain Indonesian.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct QualityMetrics {
    /// Size of the photo as uploaded (after orientation).
    pub width: u32,
    pub height: u32,
    /// Variance of the Laplacian; low means blurry.
    pub sharpness: f64,
    /// Mean luma, 0–255.
    pub brightness: f64,
    /// Standard deviation of luma in the outer 8 % border band; low means plain.
    pub border_spread: f64,
    /// Mean luma of the border band; high means a light background.
    pub border_brightness: f64,
}

/// One line of the verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QualityCheck {
    /// `resolution`, `sharpness`, `brightness`, `background`.
    pub key: String,
    pub ok: bool,
    pub message: String,
}

pub const MIN_LONG_SIDE: u32 = 1000;
pub const MIN_SHARPNESS: f64 = 60.0;
pub const MIN_BRIGHTNESS: f64 = 70.0;
pub const MAX_BRIGHTNESS: f64 = 225.0;
pub const MIN_BORDER_BRIGHTNESS: f64 = 170.0;
pub const MAX_BORDER_SPREAD: f64 = 28.0;

fn luma(rgb: &[u8]) -> Vec<f64> {
    rgb.chunks_exact(3)
        .map(|p| 0.299 * f64::from(p[0]) + 0.587 * f64::from(p[1]) + 0.114 * f64::from(p[2]))
        .collect()
}

fn mean_sd(v: impl Iterator<Item = f64> + Clone) -> (f64, f64) {
    let n = v.clone().count().max(1) as f64;
    let mean = v.clone().sum::<f64>() / n;
    let var = v.map(|x| (x - mean) * (x - mean)).sum::<f64>() / n;
    (mean, var.sqrt())
}

impl QualityMetrics {
    /// Measures `rgb` (`w×h`), a downscaled view of a photo of `orig_w×orig_h`.
    pub fn measure(rgb: &[u8], w: u32, h: u32, orig_w: u32, orig_h: u32) -> Self {
        let (w, h) = (w as usize, h as usize);
        let y = luma(rgb);
        let mut lap = Vec::with_capacity(w.saturating_sub(2) * h.saturating_sub(2));
        for r in 1..h.saturating_sub(1) {
            for c in 1..w.saturating_sub(1) {
                let i = r * w + c;
                lap.push(y[i - w] + y[i + w] + y[i - 1] + y[i + 1] - 4.0 * y[i]);
            }
        }
        let (_, lap_sd) = mean_sd(lap.iter().copied());
        let (brightness, _) = mean_sd(y.iter().copied());
        let band = ((w.min(h) as f64) * 0.08).ceil().max(1.0) as usize;
        let border = (0..h)
            .flat_map(|r| (0..w).map(move |c| (r, c)))
            .filter(|(r, c)| *r < band || *c < band || *r >= h - band || *c >= w - band);
        let values = border.map(|(r, c)| y[r * w + c]);
        let (border_brightness, border_spread) = mean_sd(values);
        QualityMetrics {
            width: orig_w,
            height: orig_h,
            sharpness: lap_sd * lap_sd,
            brightness,
            border_spread,
            border_brightness,
        }
    }

    pub fn verdict(&self) -> Vec<QualityCheck> {
        let long = self.width.max(self.height);
        let check =
            |key: &str, ok: bool, message: String| QualityCheck { key: key.into(), ok, message };
        vec![
            check(
                "resolution",
                long >= MIN_LONG_SIDE,
                if long >= MIN_LONG_SIDE {
                    format!("Resolusi cukup ({}×{} piksel).", self.width, self.height)
                } else {
                    format!(
                        "Foto terlalu kecil ({}×{} piksel); toko meminta sisi panjang minimal {MIN_LONG_SIDE} piksel.",
                        self.width, self.height
                    )
                },
            ),
            check(
                "sharpness",
                self.sharpness >= MIN_SHARPNESS,
                if self.sharpness >= MIN_SHARPNESS {
                    "Foto tajam.".into()
                } else {
                    "Foto buram: pegang ponsel dengan stabil dan ketuk layar untuk fokus.".into()
                },
            ),
            check(
                "brightness",
                (MIN_BRIGHTNESS..=MAX_BRIGHTNESS).contains(&self.brightness),
                if self.brightness < MIN_BRIGHTNESS {
                    "Foto terlalu gelap: foto di dekat jendela atau di tempat terang.".into()
                } else if self.brightness > MAX_BRIGHTNESS {
                    "Foto terlalu terang: hindari cahaya langsung atau lampu kilat.".into()
                } else {
                    "Pencahayaan baik.".into()
                },
            ),
            check(
                "background",
                self.border_brightness >= MIN_BORDER_BRIGHTNESS
                    && self.border_spread <= MAX_BORDER_SPREAD,
                if self.border_brightness >= MIN_BORDER_BRIGHTNESS
                    && self.border_spread <= MAX_BORDER_SPREAD
                {
                    "Latar terang dan polos.".into()
                } else if self.border_brightness < MIN_BORDER_BRIGHTNESS {
                    "Latar terlalu gelap: pakai latar putih atau terang.".into()
                } else {
                    "Latar ramai: letakkan produk di atas latar polos.".into()
                },
            ),
        ]
    }

    /// Passes every check.
    pub fn is_good(&self) -> bool {
        self.verdict().iter().all(|c| c.ok)
    }
}
