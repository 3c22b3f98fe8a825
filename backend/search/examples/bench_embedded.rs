//! Times the embedded engine alone (no HTTP): generates 100,000 realistic Kota Serang products,
//! indexes them into a temporary directory, then runs the `make bench-search` query mix
//! (20 runs each) and prints, per query, the first run (its words read from the postings) and
//! the median and max of the others (frequent words' hits kept by then).
//!
//! Usage: `cargo run --release -p etalase-search --example bench_embedded [PRODUCTS]`

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use etalase_domain::search::{ProductDoc, SearchIndex, SearchQuery, SortBy};
use etalase_search::{EmbeddedIndex, Settings};
use std::time::{Duration, Instant};

/// The server's allocator (set in `etalase-server`), so the engine is timed as it runs there.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const NAMES: [(&str, &str, &str); 16] = [
    ("Emping Melinjo", "makanan-ringan", "Makanan ringan"),
    ("Keripik Singkong", "makanan-ringan", "Makanan ringan"),
    ("Keripik Pisang", "makanan-ringan", "Makanan ringan"),
    ("Kerupuk Udang", "olahan-ikan", "Olahan ikan & hasil laut"),
    ("Sambal Roa", "bumbu-sambal", "Bumbu & sambal"),
    ("Sambel Terasi", "bumbu-sambal", "Bumbu & sambal"),
    ("Sate Bandeng", "olahan-ikan", "Olahan ikan & hasil laut"),
    ("Bandeng Presto", "olahan-ikan", "Olahan ikan & hasil laut"),
    ("Kopi Bubuk Robusta", "kopi-teh", "Kopi & teh"),
    ("Teh Melati", "kopi-teh", "Kopi & teh"),
    ("Madu Hutan", "madu-jamu", "Madu, jamu & herbal"),
    ("Jamu Kunyit Asam", "minuman", "Minuman"),
    ("Sirup Jahe Merah", "minuman", "Minuman"),
    ("Dodol Durian", "kue-roti", "Kue & roti"),
    ("Kue Gipang", "kue-roti", "Kue & roti"),
    ("Kain Batik Banten", "kerajinan", "Kerajinan"),
];
const VARIANTS: [&str; 8] =
    ["Original", "Pedas", "Pedas Manis", "Balado", "Super", "Premium", "Asin Gurih", "Spesial"];
const KECAMATAN: [(&str, &str, f64, f64); 6] = [
    ("36.73.01", "Serang", -6.118, 106.154),
    ("36.73.02", "Kasemen", -6.035, 106.158),
    ("36.73.03", "Walantaka", -6.145, 106.230),
    ("36.73.04", "Curug", -6.185, 106.190),
    ("36.73.05", "Cipocok Jaya", -6.137, 106.182),
    ("36.73.06", "Taktakan", -6.123, 106.102),
];
const CERTS: [&str; 3] = ["pirt", "bpom_md", "halal"];

/// A small deterministic generator (xorshift).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn generate(n: usize) -> Vec<ProductDoc> {
    let mut rng = Rng(0x2023_5e7a_4a6b_1c3d);
    let producers = 2000u64;
    (0..n)
        .map(|i| {
            let (base, category, category_name) = NAMES[rng.below(NAMES.len() as u64) as usize];
            let variant = VARIANTS[rng.below(VARIANTS.len() as u64) as usize];
            let size = [100, 150, 200, 250, 500, 1000][rng.below(6) as usize];
            let producer = rng.below(producers) + 1;
            let (kc, kn, klat, klon) = KECAMATAN[(producer % 6) as usize];
            let halal = rng.below(2) == 0;
            let mut certs: Vec<String> = Vec::new();
            for c in CERTS {
                if (c == "halal" && halal) || (c != "halal" && rng.below(3) == 0) {
                    certs.push(c.to_string());
                }
            }
            let price = (5_000 + rng.below(99) as i64 * 5_000).min(500_000);
            ProductDoc {
                id: i as i64 + 1,
                name: format!("{base} {variant} {size} g"),
                description: format!(
                    "{base} {} khas {kn}, Kota Serang. Tanpa pengawet, cocok untuk oleh-oleh.",
                    variant.to_lowercase()
                ),
                brand: (rng.below(4) == 0).then(|| format!("Merek {}", producer % 50)),
                category: category.into(),
                category_name: category_name.into(),
                producer_id: producer as i64,
                producer_name: format!("Usaha Bench {producer}"),
                kecamatan_code: kc.into(),
                kecamatan: kn.into(),
                kelurahan_code: format!("{kc}.{:04}", 1001 + producer % 10),
                halal,
                cert_kinds: certs,
                retail_price: (rng.below(50) != 0).then_some(price),
                pack_size: Some([1, 1, 1, 6, 12][rng.below(5) as usize]),
                net_content_label: Some(format!("{size} g")),
                published_at: 1_700_000_000 + rng.below(30_000_000) as i64,
                lat: klat + (rng.unit() - 0.5) * 0.02,
                lon: klon + (rng.unit() - 0.5) * 0.02,
                gtin: (rng.below(5) == 0).then(|| format!("899{:010}", i)),
                nib: format!("9991{producer:09}"),
                thumbnail_url: None,
                eligible_standards: vec![1],
                version: 1,
                revision: 0,
            }
        })
        .collect()
}

fn queries() -> Vec<(&'static str, SearchQuery)> {
    let t = SearchQuery::text;
    let d = SearchQuery::default;
    vec![
        ("q=kripik pedes", t("kripik pedes")),
        ("q=sambel", t("sambel")),
        ("q=emping", t("emping")),
        ("q=kopi bubuk&halal=true", SearchQuery { halal: Some(true), ..t("kopi bubuk") }),
        ("q=empng", t("empng")),
        (
            "q=bandeng&kecamatan=36.73.02",
            SearchQuery { kecamatan: Some("36.73.02".into()), ..t("bandeng") },
        ),
        (
            "category=minuman&sort=price_asc",
            SearchQuery { category: Some("minuman".into()), sort: SortBy::PriceAsc, ..d() },
        ),
        (
            "q=kue&near=-6.12,106.15&radius_km=5",
            SearchQuery { near: Some((-6.12, 106.15)), radius_km: Some(5.0), ..t("kue") },
        ),
        (
            "near=-6.11,106.17&sort=distance",
            SearchQuery { near: Some((-6.11, 106.17)), sort: SortBy::Distance, ..d() },
        ),
        ("q=madu&price_max=100000", SearchQuery { price_max: Some(100_000), ..t("madu") }),
        ("q=batik&sort=newest", SearchQuery { sort: SortBy::Newest, ..t("batik") }),
        (
            "kecamatan=36.73.06&category=makanan-ringan",
            SearchQuery {
                kecamatan: Some("36.73.06".into()),
                category: Some("makanan-ringan".into()),
                ..d()
            },
        ),
        ("q=keripik singkong&page=2", SearchQuery { page: 2, ..t("keripik singkong") }),
        ("q=teh&cert=pirt", SearchQuery { cert: vec!["pirt".into()], ..t("teh") }),
        ("q=dodol", t("dodol")),
        (
            "halal=true&sort=price_desc",
            SearchQuery { halal: Some(true), sort: SortBy::PriceDesc, ..d() },
        ),
    ]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    let index = EmbeddedIndex::open(dir.path(), Settings::products().unwrap()).unwrap();
    let docs = generate(n);
    let started = Instant::now();
    index.reindex_all(&docs, 10_000).await.unwrap();
    println!("indexed {n} products in {:.1} s", started.elapsed().as_secs_f64());

    let runs = 20;
    println!(
        "{:<45} {:>8} {:>10} {:>10} {:>10}",
        "query", "total", "first ms", "median ms", "max ms"
    );
    if std::env::var_os("BENCH_ONLY").is_some() {
        let only = std::env::var("BENCH_ONLY").unwrap();
        let (_, q) = queries().into_iter().find(|(l, _)| *l == only).unwrap();
        let t = Instant::now();
        for _ in 0..2000 {
            index.search(&q).await.unwrap();
        }
        println!("{only}: {:.2} ms each", ms(t.elapsed()) / 2000.0);
        return;
    }
    let mut medians = Vec::new();
    let mut all = Vec::new();
    for (label, q) in queries() {
        // The first run reads every word from its postings; later runs find the frequent
        // words' (and unfiltered slots') hits kept by the segment.
        let t = Instant::now();
        let first = index.search(&q).await.unwrap();
        let cold = t.elapsed();
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs {
            let t = Instant::now();
            let r = index.search(&q).await.unwrap();
            times.push(t.elapsed());
            // Later runs (frequent words' hits remembered) answer as the first did.
            assert_eq!(r.total, first.total);
            assert_eq!(
                serde_json::to_string(&r.hits).unwrap(),
                serde_json::to_string(&first.hits).unwrap()
            );
            assert_eq!(
                serde_json::to_string(&r.facets).unwrap(),
                serde_json::to_string(&first.facets).unwrap()
            );
        }
        times.sort();
        let mut h = std::collections::hash_map::DefaultHasher::new();
        use std::hash::{Hash, Hasher};
        for hit in &first.hits {
            (hit.doc.id, &hit.highlight_name, hit.distance_km.map(f64::to_bits)).hash(&mut h);
        }
        serde_json::to_string(&first.facets).unwrap().hash(&mut h);
        first.total.hash(&mut h);
        let digest = h.finish() & 0xffff_ffff;
        let median = times[runs / 2];
        let max = times[runs - 1];
        medians.push(median);
        all.extend(times);
        println!(
            "{label:<45} {:>8} {:>10.2} {:>10.2} {:>10.2}  {digest:08x}",
            first.total,
            ms(cold),
            ms(median),
            ms(max)
        );
    }
    all.sort();
    let sum: Duration = medians.iter().sum();
    println!(
        "mix, 1 client: mean of medians {:.2} ms, p50 {:.2} ms, p99 {:.2} ms (no HTTP)",
        ms(sum) / medians.len() as f64,
        ms(all[all.len() / 2]),
        ms(all[all.len() * 99 / 100]),
    );
    // 16 clients, each going round the mix (as wrk does through the API).
    let clients = 16;
    let rounds = 10;
    let started = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|c| {
            let index = index.clone();
            tokio::spawn(async move {
                let qs = queries();
                let mut times = Vec::new();
                for i in 0..rounds * qs.len() {
                    let (_, q) = &qs[(i + c) % qs.len()];
                    let t = Instant::now();
                    index.search(q).await.unwrap();
                    times.push(t.elapsed());
                }
                times
            })
        })
        .collect();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let wall = started.elapsed();
    all.sort();
    println!(
        "mix, {clients} clients: p50 {:.2} ms, p99 {:.2} ms, {:.0} searches/s (no HTTP)",
        ms(all[all.len() / 2]),
        ms(all[all.len() * 99 / 100]),
        all.len() as f64 / wall.as_secs_f64(),
    );
}
