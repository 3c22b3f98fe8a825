//! `make bench-media`: processes a set of 12 MP JPEGs into every variant (3 sizes × WebP and
//! JPEG) and reports time per image and where it goes (decode, resize, encode), with the
//! variants made on one thread (sequential) and on a budget of 2 threads (parallel, what the
//! server does when a photo has the budget to itself), side by side with `vipsthumbnail` making
//! the same sizes from the same files. Peak memory per photo is measured honestly: each photo is
//! processed again in a fresh child process (this binary, `--one FILE THREADS`), which reports its
//! VmHWM before and after.
//!
//! Usage: bench_media OUT_DIR [IMAGES]

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use etalase_media::photo::{PhotoLimits, ThreadBudget, Timings, VARIANT_SIZES, process_timed_with};
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

/// User + system CPU time of this process so far (clock ticks of 10 ms).
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (in parentheses) start with the state: utime and stime are
    // the 12th and 13th of them.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let field = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    let ticks = field(11) + field(12);
    Duration::from_millis(ticks * 10)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

/// `--one FILE THREADS`: one photo in this fresh process; prints VmHWM (MB) before and after.
fn one(file: &Path, threads: usize) {
    let bytes = std::fs::read(file).unwrap();
    let before = peak_rss_mb();
    let (p, _) =
        process_timed_with(&bytes, &PhotoLimits::default(), &ThreadBudget::new(threads)).unwrap();
    assert_eq!(p.variants.len(), VARIANT_SIZES.len() * 2);
    println!("{before:.1} {:.1}", peak_rss_mb());
}

/// Peak memory (MB) of a fresh process processing `file` on `threads`: before processing
/// (program and file) and at the end.
fn peak_of_one(file: &Path, threads: usize) -> (f64, f64) {
    let o = Command::new(std::env::current_exe().unwrap())
        .arg("--one")
        .arg(file)
        .arg(threads.to_string())
        .output()
        .unwrap();
    assert!(o.status.success(), "child failed: {}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    let v: Vec<f64> = out.split_whitespace().filter_map(|x| x.parse().ok()).collect();
    (v[0], v[1])
}

/// One way of running the pipeline, summed over the photos.
#[derive(Default)]
struct Run {
    wall: Vec<Duration>,
    cpu: Duration,
    stages: Timings,
    /// Largest VmHWM of a fresh process per photo, and of one that only read its file.
    peak: f64,
    base: f64,
}

impl Run {
    fn time(&mut self, bytes: &[u8], threads: usize) {
        let (c0, t0) = (cpu_time(), Instant::now());
        let (_, t) =
            process_timed_with(bytes, &PhotoLimits::default(), &ThreadBudget::new(threads))
                .unwrap();
        self.wall.push(t0.elapsed());
        self.cpu += cpu_time().saturating_sub(c0);
        self.stages.decode += t.decode;
        self.stages.resize += t.resize;
        self.stages.encode += t.encode;
        self.stages.threads = t.threads;
    }

    fn per(&self, d: Duration) -> f64 {
        ms(d) / self.wall.len().max(1) as f64
    }
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
    let first = args.next();
    if first.as_deref() == Some("--one") {
        let file = PathBuf::from(args.next().unwrap());
        return one(&file, args.next().and_then(|v| v.parse().ok()).unwrap_or(1));
    }
    let out = PathBuf::from(first.unwrap_or_else(|| "target/bench-media".into()));
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
    let load_before = load_average();
    // Sequential (1 thread) and parallel (a budget of 2) in turns, each first on every other
    // photo, so a change in the machine's load falls on both alike.
    let (mut seq, mut par) = (Run::default(), Run::default());
    for (i, f) in files.iter().enumerate() {
        let bytes = std::fs::read(f).unwrap();
        if i % 2 == 0 {
            seq.time(&bytes, 1);
            par.time(&bytes, 2);
        } else {
            par.time(&bytes, 2);
            seq.time(&bytes, 1);
        }
    }
    for f in &files {
        for (run, threads) in [(&mut seq, 1), (&mut par, 2)] {
            let (base, peak) = peak_of_one(f, threads);
            run.base = run.base.max(base);
            run.peak = run.peak.max(peak);
        }
    }
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
    let load_after = load_average();
    let avg = |v: &[Duration]| {
        if v.is_empty() { 0.0 } else { v.iter().map(|d| ms(*d)).sum::<f64>() / v.len() as f64 }
    };
    let (a_seq, a_par, b) = (avg(&seq.wall), avg(&par.wall), avg(&theirs));
    let mut r = String::new();
    writeln!(r, "# bench-media\n").unwrap();
    writeln!(
        r,
        "{} JPEGs of 4000×3000 (12 MP), each into {} sizes × WebP (q80) and JPEG (q82). Load average before / after: {load_before} / {load_after} (2 cores).\n",
        files.len(),
        VARIANT_SIZES.len()
    )
    .unwrap();
    writeln!(r, "| | time per image | CPU per image | decode | resize | encode | peak memory per photo |\n|---|---|---|---|---|---|---|").unwrap();
    for (name, run, a) in [
        ("etalase, sequential (1 thread)", &seq, a_seq),
        ("etalase, parallel (budget of 2 threads)", &par, a_par),
    ] {
        writeln!(
            r,
            "| {name} | {a:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} MB ({:.0} MB of it program and file) |",
            run.per(run.cpu),
            run.per(run.stages.decode),
            run.per(run.stages.resize),
            run.per(run.stages.encode),
            run.peak,
            run.base
        )
        .unwrap();
    }
    if theirs.is_empty() {
        writeln!(r, "| vipsthumbnail | not run (install libvips-tools and time) | | | | | |")
            .unwrap();
    } else {
        writeln!(r, "| vipsthumbnail, 6 invocations (one per size and format) | {b:.0} ms | | | | | {vips_peak:.0} MB (largest invocation) |").unwrap();
        writeln!(
            r,
            "\nRatio (etalase / vips): **{:.2}×** parallel, {:.2}× sequential (goal ≤ 0.5×).",
            a_par / b.max(0.001),
            a_seq / b.max(0.001)
        )
        .unwrap();
    }
    writeln!(
        r,
        "\nStage times are wall time (the parallel rows overlap jobs on 2 threads). Peak memory per photo: the VmHWM of a fresh process that processed one photo (largest over the photos), program and input file included."
    )
    .unwrap();
    std::fs::write(out.join("report.md"), &r).unwrap();
    use etalase_domain::bench::{Figure, to_csv};
    let size = format!("{} photos of 12 MP", files.len());
    let mut figures = vec![
        Figure::lower("photo pipeline, time per photo (parallel, 2 threads)", &size, a_par, "ms"),
        Figure::lower("photo pipeline, time per photo (sequential)", &size, a_seq, "ms"),
        Figure::lower(
            "photo pipeline, encode per photo (parallel, 2 threads)",
            &size,
            par.per(par.stages.encode),
            "ms",
        ),
        Figure::lower(
            "photo pipeline, encode per photo (sequential)",
            &size,
            seq.per(seq.stages.encode),
            "ms",
        ),
        Figure::lower("photo pipeline, peak memory per photo (parallel)", &size, par.peak, "MB"),
        Figure::lower("photo pipeline, peak memory per photo (sequential)", &size, seq.peak, "MB"),
    ];
    if !theirs.is_empty() {
        figures.push(
            Figure::lower("photo pipeline ÷ vipsthumbnail", &size, a_par / b.max(0.001), "×")
                .goal(0.5),
        );
        figures.push(Figure::lower(
            "photo pipeline ÷ vipsthumbnail (sequential)",
            &size,
            a_seq / b.max(0.001),
            "×",
        ));
    }
    std::fs::write(out.join("figures.csv"), to_csv("media", &figures)).unwrap();
    print!("{r}");
    println!("\n(report written to {})", out.join("report.md").display());
}
