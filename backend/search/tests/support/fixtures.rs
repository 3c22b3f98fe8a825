//! The contract fixtures: 33 fictional Kota Serang UMKM products from 11 producers in all six
//! kecamatan, with coordinates, halal or not, certificate kinds, unique prices (two without a
//! price), unique publication days and a few valid GTIN-13s (prefix 899).

use etalase_domain::search::ProductDoc;

/// The point the geo tests search around (Alun-alun Serang).
pub const ALUN_ALUN: (f64, f64) = (-6.1180, 106.1540);

struct Producer {
    id: i64,
    name: &'static str,
    kecamatan_code: &'static str,
    kecamatan: &'static str,
    lat: f64,
    lon: f64,
    nib: &'static str,
}

#[rustfmt::skip]
const PRODUCERS: [Producer; 11] = [
    Producer { id: 1, name: "UMKM Bu Sarah Taktakan", kecamatan_code: "36.73.06",
        kecamatan: "Taktakan", lat: -6.1230, lon: 106.1020, nib: "9990000000011" },
    Producer { id: 2, name: "Dapur Mak Ijah", kecamatan_code: "36.73.01", kecamatan: "Serang",
        lat: -6.1150, lon: 106.1560, nib: "9990000000022" },
    Producer { id: 3, name: "Sejahtera Abadi Banten", kecamatan_code: "36.73.05",
        kecamatan: "Cipocok Jaya", lat: -6.1350, lon: 106.1800, nib: "9990000000033" },
    Producer { id: 4, name: "Karangantu Jaya Bahari", kecamatan_code: "36.73.02",
        kecamatan: "Kasemen", lat: -6.0300, lon: 106.1600, nib: "9990000000044" },
    Producer { id: 5, name: "Sinar Walantaka Mandiri", kecamatan_code: "36.73.03",
        kecamatan: "Walantaka", lat: -6.1450, lon: 106.2300, nib: "9990000000055" },
    Producer { id: 6, name: "Curug Barokah", kecamatan_code: "36.73.04", kecamatan: "Curug",
        lat: -6.1850, lon: 106.1900, nib: "9990000000066" },
    Producer { id: 7, name: "Rumah Lebah Serang", kecamatan_code: "36.73.01", kecamatan: "Serang",
        lat: -6.1240, lon: 106.1480, nib: "9990000000077" },
    Producer { id: 8, name: "Sultan Serang Kreasi", kecamatan_code: "36.73.01", kecamatan: "Serang",
        lat: -6.1080, lon: 106.1620, nib: "9990000000088" },
    Producer { id: 9, name: "Banten Lama Manis", kecamatan_code: "36.73.02", kecamatan: "Kasemen",
        lat: -6.0400, lon: 106.1550, nib: "9990000000099" },
    Producer { id: 10, name: "Cipocok Asri", kecamatan_code: "36.73.05", kecamatan: "Cipocok Jaya",
        lat: -6.1400, lon: 106.1850, nib: "9990000000100" },
    Producer { id: 11, name: "Warung Bu Enok", kecamatan_code: "36.73.01", kecamatan: "Serang",
        lat: -6.1190, lon: 106.1545, nib: "9990000000111" },
];

fn category_name(slug: &str) -> &'static str {
    match slug {
        "makanan-ringan" => "Makanan ringan",
        "kue-roti" => "Kue & roti",
        "bumbu-sambal" => "Bumbu & sambal",
        "olahan-ikan" => "Olahan ikan & hasil laut",
        "makanan-olahan" => "Makanan olahan & lauk",
        "minuman" => "Minuman",
        "kopi-teh" => "Kopi & teh",
        "madu-jamu" => "Madu, jamu & herbal",
        "kerajinan" => "Kerajinan",
        _ => "Fashion & batik",
    }
}

/// (id, name, description, category, producer, price, pack, halal, certs, day, gtin, standards)
type Row = (
    i64,
    &'static str,
    &'static str,
    &'static str,
    i64,
    Option<i64>,
    Option<i64>,
    bool,
    &'static [&'static str],
    i64,
    Option<&'static str>,
    &'static [i64],
);

const PH: &[&str] = &["pirt", "halal"];
const P: &[&str] = &["pirt"];
const NONE: &[&str] = &[];

#[rustfmt::skip]
const ROWS: [Row; 33] = [
    (1, "Emping Melinjo Original 250 g",
        "Emping melinjo tipis khas Taktakan, digoreng tanpa pengawet.", "makanan-ringan", 1,
        Some(35_000), Some(250), true, PH, 1, Some("8999991000019"), &[1, 2]),
    (2, "Emping Melinjo Pedas Manis 200 g", "Emping melinjo bumbu pedas manis, renyah.",
        "makanan-ringan", 1, Some(32_000), Some(200), true, PH, 5, None, &[1]),
    (3, "Emping Melinjo Super 500 g", "Emping melinjo ukuran besar untuk oleh-oleh.",
        "makanan-ringan", 1, Some(65_000), Some(500), false, P, 9, Some("8999991000026"), &[1]),
    (4, "Gipang Beras Ketan Gula Aren", "Gipang khas Banten Lama, manis dan renyah.",
        "makanan-ringan", 9, Some(15_000), Some(150), true, PH, 12, None, &[1]),
    (10, "Keripik Singkong Pedas", "Singkong iris tipis dengan bumbu cabai.", "makanan-ringan", 5,
        Some(12_000), Some(100), true, PH, 3, Some("8999991000033"), &[1, 2]),
    (11, "Keripik Singkong Original", "Singkong renyah rasa asin gurih.", "makanan-ringan", 5,
        Some(11_000), Some(100), true, PH, 4, None, &[1]),
    (12, "Keripik Pisang Manis", "Pisang tanduk iris, manis legit.", "makanan-ringan", 5,
        Some(13_000), Some(100), false, P, 6, None, &[1]),
    (13, "Kerupuk Udang Kasemen", "Kerupuk udang laut Karangantu, tinggal goreng.", "olahan-ikan",
        4, Some(18_000), Some(250), true, PH, 14, None, &[1]),
    (20, "Sambal Roa Mak Ijah", "Ikan roa asap diulek dengan cabai rawit.", "bumbu-sambal", 2,
        Some(28_000), Some(150), true, PH, 2, Some("8999991000101"), &[1, 2]),
    (21, "Sambal Bawang Pedas", "Bawang putih goreng dan cabai, pedasnya nendang.", "bumbu-sambal",
        2, Some(22_000), Some(150), true, PH, 8, None, &[1]),
    (22, "Sambal Terasi Karangantu", "Terasi udang Karangantu dengan cabai merah.", "bumbu-sambal",
        2, Some(24_000), Some(150), false, P, 11, None, &[1]),
    (23, "Terasi Udang Asli", "Terasi udang rebon dari Karangantu.", "bumbu-sambal", 4, Some(9_000),
        Some(100), false, P, 15, None, &[]),
    (30, "Kopi Robusta Banten Bubuk 200 g",
        "Kopi robusta dari kebun Banten, sangrai medium, digiling halus.", "kopi-teh", 3,
        Some(45_000), Some(200), true, PH, 7, Some("8999991000200"), &[1, 2]),
    (31, "Kopi Robusta Biji Sangrai 500 g", "Biji kopi robusta sangrai, cocok untuk seduh manual.",
        "kopi-teh", 3, Some(95_000), Some(500), true, PH, 16, None, &[1]),
    (32, "Paket Kopi & Teh Oleh-oleh Serang",
        "Satu kotak berisi kopi bubuk dan teh hijau khas Serang.", "kopi-teh", 3, Some(120_000),
        Some(400), true, PH, 20, None, &[1]),
    (33, "Teh Hijau Melati", "Teh hijau dengan bunga melati, diseduh hangat.", "kopi-teh", 10,
        Some(20_000), Some(100), true, PH, 10, None, &[1]),
    (34, "Teh Serai Jahe", "Teh herbal serai dan jahe merah.", "kopi-teh", 10, Some(19_000),
        Some(50), true, P, 13, None, &[]),
    (40, "Sate Bandeng Khas Banten", "Bandeng tanpa duri dibumbui lalu dibakar.", "olahan-ikan", 4,
        Some(55_000), Some(1), true, PH, 17, Some("8999991000309"), &[1, 2]),
    (41, "Bandeng Presto Duri Lunak", "Bandeng dimasak presto hingga duri lunak.", "olahan-ikan", 4,
        Some(48_000), Some(2), true, &["bpom_md", "halal"], 18, None, &[1, 2]),
    (42, "Otak-otak Bandeng", "Otak-otak isi daging bandeng, tinggal kukus.", "olahan-ikan", 4,
        Some(30_000), Some(10), false, P, 19, None, &[1]),
    (43, "Ikan Asin Jambal", "Gereh jambal roti kering, asin pas.", "olahan-ikan", 11, Some(40_000),
        Some(250), true, P, 21, None, &[1]),
    (50, "Dodol Durian Curug", "Dodol legit dengan durian asli.", "kue-roti", 6, Some(25_000),
        Some(250), true, PH, 22, None, &[1]),
    (51, "Kue Jojorong", "Kue tradisional Banten dari tepung beras dan gula aren.", "kue-roti", 6,
        Some(5_000), Some(10), true, P, 23, None, &[]),
    (52, "Apem Putih Curug", "Apem lembut untuk hajatan.", "kue-roti", 6, Some(8_000), Some(10),
        false, NONE, 24, None, &[]),
    (53, "Rabeg Kambing Siap Saji", "Masakan rabeg khas Serang dalam kemasan.", "makanan-olahan", 2,
        Some(60_000), Some(500), true, &["bpom_md", "halal"], 25, Some("8999991000316"), &[1, 2]),
    (60, "Madu Hutan Baduy", "Madu murni dari hutan Banten selatan.", "madu-jamu", 7, Some(85_000),
        Some(250), true, PH, 26, Some("8999991000408"), &[1, 2]),
    (61, "Jamu Kunyit Asam", "Minuman jamu kunyit asam segar tanpa pengawet.", "madu-jamu", 7,
        Some(16_000), Some(250), true, PH, 27, None, &[1]),
    (62, "Jamu Beras Kencur", "Beras kencur tradisional.", "madu-jamu", 7, Some(14_000), Some(250),
        true, P, 28, None, &[1]),
    (70, "Sari Kelapa Muda", "Minuman kelapa muda segar.", "minuman", 10, Some(7_000), Some(300),
        true, PH, 29, None, &[1]),
    (80, "Batik Motif Surosowan", "Kain batik tulis motif Banten.", "fashion-batik", 8,
        Some(350_000), None, false, NONE, 30, None, &[1]),
    (81, "Kemeja Batik Serang", "Kemeja batik cap motif Serang untuk pria.", "fashion-batik", 8,
        Some(185_000), None, false, NONE, 31, None, &[]),
    (82, "Tas Anyaman Pandan", "Tas anyaman daun pandan buatan tangan.", "kerajinan", 8, None, None,
        false, NONE, 32, None, &[]),
    (83, "Vas Gerabah Tanah Liat", "Vas gerabah hias untuk ruang tamu.", "kerajinan", 9, None, None,
        false, NONE, 33, None, &[]),
];

/// 2025-01-01 00:00 UTC.
const DAY_ZERO: i64 = 1_735_689_600;

/// Every fixture product, ordered by id.
pub fn products() -> Vec<ProductDoc> {
    ROWS.iter()
        .map(
            |&(
                id,
                name,
                description,
                category,
                producer,
                price,
                pack,
                halal,
                certs,
                day,
                gtin,
                standards,
            )| {
                let p = PRODUCERS.iter().find(|p| p.id == producer).unwrap_or(&PRODUCERS[0]);
                ProductDoc {
                    id,
                    name: name.into(),
                    description: description.into(),
                    brand: None,
                    category: category.into(),
                    category_name: category_name(category).into(),
                    producer_id: p.id,
                    producer_name: p.name.into(),
                    kecamatan_code: p.kecamatan_code.into(),
                    kecamatan: p.kecamatan.into(),
                    kelurahan_code: format!("{}.1001", p.kecamatan_code),
                    halal,
                    cert_kinds: certs.iter().map(|c| c.to_string()).collect(),
                    retail_price: price,
                    pack_size: pack,
                    net_content_label: pack.map(|g| format!("{g} g")),
                    published_at: DAY_ZERO + day * 86_400,
                    lat: p.lat,
                    lon: p.lon,
                    gtin: gtin.map(str::to_string),
                    nib: p.nib.into(),
                    thumbnail_url: Some(format!("/media/products/{id}/thumb.webp")),
                    eligible_standards: standards.to_vec(),
                    version: 1,
                    revision: 0,
                }
            },
        )
        .collect()
}

/// The fixture with this id.
pub fn product(id: i64) -> ProductDoc {
    products().into_iter().find(|p| p.id == id).unwrap_or_else(|| panic!("no fixture {id}"))
}
