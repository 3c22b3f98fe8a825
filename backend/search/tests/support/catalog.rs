//! A realistic catalog for the everyday-query contract: every product template of the demo data
//! (`assets/data/demo/catalog.json`: 96 kinds of Kota Serang UMKM goods with their variants and
//! sizes) sold by one or two of 40 producers named the way the demo names them, in all six
//! kecamatan. Deterministic (a fixed linear congruential sequence), so both engines index the
//! same documents in every run; nothing here knows what either engine will answer.

use etalase_domain::category::category_by_slug;
use etalase_domain::search::ProductDoc;
use serde::Deserialize;

const DEMO: &str = include_str!("../../../../assets/data/demo/catalog.json");

#[derive(Deserialize)]
struct Demo {
    owner_first_names: Vec<String>,
    business_patterns: Vec<String>,
    templates: Vec<Template>,
}

#[derive(Deserialize)]
struct Template {
    category: String,
    name: String,
    variants: Vec<String>,
    description: String,
    sizes: Vec<Size>,
    business_words: Vec<String>,
}

#[derive(Deserialize)]
struct Size {
    net_content: i64,
    net_unit: String,
    retail_price: i64,
}

/// (code, name, lat, lon) of the six kecamatan.
const KECAMATAN: [(&str, &str, f64, f64); 6] = [
    ("36.73.01", "Serang", -6.1150, 106.1560),
    ("36.73.02", "Kasemen", -6.0350, 106.1600),
    ("36.73.03", "Walantaka", -6.1450, 106.2300),
    ("36.73.04", "Curug", -6.1850, 106.1900),
    ("36.73.05", "Cipocok Jaya", -6.1380, 106.1820),
    ("36.73.06", "Taktakan", -6.1230, 106.1020),
];

/// 2025-01-01 00:00 UTC.
const DAY_ZERO: i64 = 1_735_689_600;

struct Seq(u64);

impl Seq {
    fn next(&mut self, n: usize) -> usize {
        self.0 =
            self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n.max(1) as u64) as usize
    }
}

struct Producer {
    id: i64,
    name: String,
    kecamatan: usize,
    nib: String,
}

fn producers(demo: &Demo, seq: &mut Seq) -> Vec<Producer> {
    (1..=40)
        .map(|id| {
            let pattern = &demo.business_patterns[seq.next(demo.business_patterns.len())];
            let owner = &demo.owner_first_names[seq.next(demo.owner_first_names.len())];
            let kecamatan = seq.next(KECAMATAN.len());
            let words = &demo.templates[seq.next(demo.templates.len())].business_words;
            let name = pattern
                .replace("{owner}", owner)
                .replace("{place}", KECAMATAN[kecamatan].1)
                .replace("{product_word}", &words[seq.next(words.len())]);
            Producer { id, name, kecamatan, nib: format!("91200{id:08}") }
        })
        .collect()
}

/// The catalog: one document per template, variant, size and seller, ids from 1 upwards.
pub fn products() -> Vec<ProductDoc> {
    let demo: Demo = serde_json::from_str(DEMO).expect("demo catalog");
    let mut seq = Seq(74_2023);
    let producers = producers(&demo, &mut seq);
    let mut docs = Vec::new();
    for t in &demo.templates {
        let variants: Vec<Option<&str>> = if t.variants.is_empty() {
            vec![None]
        } else {
            t.variants.iter().map(|v| Some(v.as_str())).collect()
        };
        let sellers = 1 + seq.next(2);
        for _ in 0..sellers {
            let p = &producers[seq.next(producers.len())];
            for v in &variants {
                for s in &t.sizes {
                    let id = docs.len() as i64 + 1;
                    docs.push(doc(id, t, *v, s, p, &mut seq));
                }
            }
        }
    }
    docs
}

fn doc(
    id: i64,
    t: &Template,
    variant: Option<&str>,
    s: &Size,
    p: &Producer,
    seq: &mut Seq,
) -> ProductDoc {
    let label = format!("{} {}", s.net_content, s.net_unit);
    let name = match variant {
        Some(v) => format!("{} {v} {label}", t.name),
        None => format!("{} {label}", t.name),
    };
    let (code, kecamatan, lat, lon) = KECAMATAN[p.kecamatan];
    let food = category_by_slug(&t.category).is_none_or(|c| c.food);
    let halal = food && seq.next(4) != 0;
    let mut cert_kinds = Vec::new();
    if food {
        cert_kinds.push("pirt".to_string());
    }
    if halal {
        cert_kinds.push("halal".to_string());
    }
    let grams = match s.net_unit.as_str() {
        "kg" | "l" => s.net_content * 1000,
        _ => s.net_content,
    };
    ProductDoc {
        id,
        name,
        description: t.description.clone(),
        brand: None,
        category: t.category.clone(),
        category_name: category_by_slug(&t.category).map(|c| c.name.clone()).unwrap_or_default(),
        producer_id: p.id,
        producer_name: p.name.clone(),
        kecamatan_code: code.into(),
        kecamatan: kecamatan.into(),
        kelurahan_code: format!("{code}.1001"),
        halal,
        cert_kinds,
        retail_price: Some(s.retail_price + 500 * (id % 7)),
        pack_size: Some(grams),
        net_content_label: Some(label),
        published_at: DAY_ZERO + (id * 7_919) % 400 * 86_400 + id,
        lat: lat + (seq.next(200) as f64 - 100.0) / 10_000.0,
        lon: lon + (seq.next(200) as f64 - 100.0) / 10_000.0,
        gtin: (id % 5 == 0).then(|| format!("89999920{id:05}")),
        nib: p.nib.clone(),
        thumbnail_url: None,
        eligible_standards: if food && halal { vec![1, 2] } else { vec![1] },
        version: 1,
        revision: 0,
    }
}
