//! `make bench-media`: processes a set of 12 MP JPEGs into every variant (3 sizes × WebP and
//! JPEG) and reports time per image, where it goes (decode, resize, encode) and peak memory,
//! side by side with `vipsthumbnail` making the same sizes from the same files.
//!
//! Usage: bench_media OUT_DIR [IMAGES]

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use etalase_media::photo::{PhotoLimits, Timings, VARIANT_SIZES, process_timed};
use image::{ImageFormat, Rgb, RgbImage};

/// A photo-like 4000×3000 image: smooth light, a textured subject and sensor noise.
fn make_photo(seed: u32) -> RgbImage {
    let (w, h) = (4000u32, 3000u32);
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    RgbImage::from_fn(w, h, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let noise = (state % 9) as i32 - 4;
        let (dx, dy) = (x as i32 - 2000, y as i32 - 1500);
        let inside = dx * dx / 4 + dy * dy < 1_100_000;
        let base: [i32; 3] = if inside {
            let t = ((x / 23 + y / 17 + seed) % 7) as i32 * 12;
            [150 + t, 90 + t / 2, 40]
        } else {
            let g = 230 - (y as i32 * 30 / h as i32);
            [g, g - 2, g - 8]
        };
        let c = |v: i32| (v + noise).clamp(0, 255) as u8;
        Rgb([c(base[0]), c(base[1]), c(base[2])])
    })
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<f64>().ok())
        })
        .unwrap_or(0.0)
        / 1024.0
}

/// Runs `vipsthumbnail` for every size and format; returns wall time and its peak RSS (MB).
fn vips(file: &Path, out: &Path) -> Option<(Duration, f64)> {
    let mut total = Duration::ZERO;
    let mut peak: f64 = 0.0;
    for size in VARIANT_SIZES {
        for (ext, opts) in [("webp", "[Q=80,strip]"), ("jpg", "[Q=82,strip]")] {
            let target = out.join(format!("%s-{size}.{ext}{opts}"));
            let t0 = Instant::now();
            let o = Command::new("/usr/bin/time")
                .args(["-f", "%M", "vipsthumbnail", "-s", &format!("{size}x{size}"), "-o"])
                .arg(&target)
                .arg(file)
                .output()
                .ok()?;
            total += t0.elapsed();
            if !o.status.success() {
                eprintln!("vipsthumbnail failed: {}", String::from_utf8_lossy(&o.stderr));
                return None;
            }
            let kb: f64 = String::from_utf8_lossy(&o.stderr)
                .lines()
                .last()
                .and_then(|l| l.trim().parse().ok())
                .unwrap_or(0.0);
            peak = peak.max(kb / 1024.0);
        }
    }
    Some((total, peak))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(args.next().unwrap_or_else(|| "target/bench-media".into()));
    std::fs::create_dir_all(&out).unwrap();
    let out = out.canonicalize().unwrap();
    let n: u32 = args.next().and_then(|v| v.parse().ok()).unwrap_or(6);
    let input = out.join("input");
    std::fs::create_dir_all(&input).unwrap();
    let vips_out = out.join("vips");
    std::fs::create_dir_all(&vips_out).unwrap();
    let mut files = Vec::new();
    for i in 0..n {
        let f = input.join(format!("foto-{i}.jpg"));
        if !f.exists() {
            make_photo(i + 1).save_with_format(&f, ImageFormat::Jpeg).unwrap();
        }
        files.push(f);
    }
    let limits = PhotoLimits::default();
    let mut ours = Vec::new();
    let mut sum = Timings::default();
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let t0 = Instant::now();
        let (_, t) = process_timed(&bytes, &limits).unwrap();
        ours.push(t0.elapsed());
        sum.decode += t.decode;
        sum.resize += t.resize;
        sum.encode += t.encode;
    }
    let our_peak = peak_rss_mb();
    let mut theirs = Vec::new();
    let mut vips_peak: f64 = 0.0;
    for f in &files {
        match vips(f, &vips_out) {
            Some((d, p)) => {
                theirs.push(d);
                vips_peak = vips_peak.max(p);
            }
            None => break,
        }
    }
    let avg = |v: &[Duration]| {
        if v.is_empty() { 0.0 } else { v.iter().map(|d| ms(*d)).sum::<f64>() / v.len() as f64 }
    };
    let (a, b) = (avg(&ours), avg(&theirs));
    let k = files.len() as f64;
    let mut r = String::new();
    writeln!(r, "# bench-media\n").unwrap();
    writeln!(
        r,
        "{} JPEGs of 4000×3000 (12 MP), each into {} sizes × WebP (q80) and JPEG (q82).\n",
        files.len(),
        VARIANT_SIZES.len()
    )
    .unwrap();
    writeln!(r, "| | time per image | peak memory |\n|---|---|---|").unwrap();
    writeln!(r, "| etalase pipeline (decode, orientation, metrics, fast_image_resize, libwebp, image JPEG) | {a:.0} ms | {our_peak:.0} MB (whole process) |").unwrap();
    if theirs.is_empty() {
        writeln!(r, "| vipsthumbnail | not run (install libvips-tools and time) | |").unwrap();
    } else {
        writeln!(r, "| vipsthumbnail, 6 invocations (one per size and format) | {b:.0} ms | {vips_peak:.0} MB (largest invocation) |").unwrap();
        writeln!(r, "\nRatio (etalase / vips): **{:.2}×** (goal ≤ 1.5×).", a / b.max(0.001))
            .unwrap();
    }
    writeln!(
        r,
        "\nWhere our time goes, per image: decode {:.0} ms · resize {:.0} ms · encode {:.0} ms (the rest: header checks, metrics, copies).",
        ms(sum.decode) / k,
        ms(sum.resize) / k,
        ms(sum.encode) / k
    )
    .unwrap();
    std::fs::write(out.join("report.md"), &r).unwrap();
    use etalase_domain::bench::{Figure, to_csv};
    let size = format!("{} photos of 12 MP", files.len());
    let mut figures = vec![
        Figure::lower("photo pipeline, time per photo", &size, a, "ms"),
        Figure::lower("photo pipeline, encode per photo", &size, ms(sum.encode) / k, "ms"),
        Figure::lower("photo pipeline, peak memory (process)", &size, our_peak, "MB"),
    ];
    if !theirs.is_empty() {
        figures.push(
            Figure::lower("photo pipeline ÷ vipsthumbnail", &size, a / b.max(0.001), "×").goal(0.5),
        );
    }
    std::fs::write(out.join("figures.csv"), to_csv("media", &figures)).unwrap();
    print!("{r}");
    println!("\n(report written to {})", out.join("report.md").display());
}
