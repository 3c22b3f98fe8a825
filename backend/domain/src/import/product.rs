//! A product list: columns, and each row into a validated product (the product form's rules)
//! with its certificates, for a business named by NIB or by the business list's
//! `id_eksternal`. A product is found again by its `kode_produk`, or by its name within the
//! business when the list has no codes.

use std::collections::HashMap;

use super::business::keep;
use super::names::{Matcher, no_match_message, normalize};
use super::{
    ChoiceMatcher, Column, Header, MatchKind, Matched, RowError, whole_number, with_form_errors,
};
use crate::category::categories;
use crate::certificate::{CertificateInput, CertificateKind, ValidCertificate};
use crate::product::{NetUnit, Packaging, ProductInput, StorageType, ValidProduct};

/// The columns of a product import, in the template's order.
pub const PRODUCT_COLUMNS: [Column; 20] = [
    Column {
        key: "usaha",
        aliases: &["nib", "nib_usaha", "id_usaha", "id_eksternal_usaha"],
        required: true,
        explain: "NIB usaha pemilik produk, atau id_eksternal-nya di daftar usaha. Usaha harus sudah ada (diimpor lebih dulu).",
        example: "9120001234567",
    },
    Column {
        key: "kode_produk",
        aliases: &["id_eksternal", "external_id", "sku"],
        required: false,
        explain: "Kode produk yang tetap di setiap unggahan. Bila kosong, produk dikenali dari namanya di usaha itu.",
        example: "EMPING-250",
    },
    Column {
        key: "nama_produk",
        aliases: &["nama", "name", "produk"],
        required: true,
        explain: "Nama produk, 3–120 huruf.",
        example: "Emping Melinjo Pedas 250 g",
    },
    Column {
        key: "kategori",
        aliases: &["category"],
        required: true,
        explain: "Nama kategori (mis. Makanan ringan) atau kodenya (makanan-ringan). Penulisan tidak harus persis; hasilnya ditampilkan di pratinjau.",
        example: "Makanan ringan",
    },
    Column {
        key: "deskripsi",
        aliases: &["description", "keterangan"],
        required: false,
        explain: "Uraian singkat produk.",
        example: "Emping melinjo khas Serang, rasa pedas.",
    },
    Column {
        key: "merek",
        aliases: &["brand"],
        required: false,
        explain: "Merek dagang.",
        example: "Bu Sari",
    },
    Column {
        key: "gtin",
        aliases: &["barcode", "ean", "ean13"],
        required: false,
        explain: "Barcode EAN-13 (13 angka, digit periksa benar).",
        example: "",
    },
    Column {
        key: "isi_bersih",
        aliases: &["netto", "berat", "net_content"],
        required: false,
        explain: "Isi bersih, bilangan bulat; isi bersama satuan.",
        example: "250",
    },
    Column {
        key: "satuan",
        aliases: &["net_unit", "satuan_isi"],
        required: false,
        explain: "g, kg, ml, L atau pcs (gram, kilogram, mililiter, liter, buah).",
        example: "g",
    },
    Column {
        key: "isi_per_kemasan",
        aliases: &["pack_size"],
        required: false,
        explain: "Jumlah satuan per kemasan, 1–1000.",
        example: "",
    },
    Column {
        key: "kemasan",
        aliases: &["packaging"],
        required: false,
        explain: "Standing pouch, plastik klip, sachet, botol kaca, botol plastik, kaleng, toples, kotak karton, besek, lainnya.",
        example: "standing pouch",
    },
    Column {
        key: "umur_simpan_hari",
        aliases: &["umur_simpan", "shelf_life_days"],
        required: false,
        explain: "Masa simpan dalam hari.",
        example: "180",
    },
    Column {
        key: "penyimpanan",
        aliases: &["storage"],
        required: false,
        explain: "Suhu ruang (bawaan), dingin atau beku.",
        example: "suhu ruang",
    },
    Column {
        key: "harga_grosir",
        aliases: &["wholesale_price"],
        required: false,
        explain: "Harga ke toko dalam rupiah (12000 atau 12.000).",
        example: "12000",
    },
    Column {
        key: "harga_eceran",
        aliases: &["retail_price", "harga"],
        required: false,
        explain: "Harga eceran dalam rupiah, tidak di bawah harga grosir.",
        example: "15000",
    },
    Column {
        key: "minimal_pesanan",
        aliases: &["min_order", "moq"],
        required: false,
        explain: "Pesanan paling sedikit (kemasan).",
        example: "12",
    },
    Column {
        key: "kapasitas_per_bulan",
        aliases: &["kapasitas", "monthly_capacity"],
        required: false,
        explain: "Kemasan yang sanggup dibuat per bulan.",
        example: "500",
    },
    Column {
        key: "no_pirt",
        aliases: &["pirt", "sppirt"],
        required: false,
        explain: "Nomor P-IRT (15 angka). Masa berlaku dihitung dari nomornya.",
        example: "2093673010123-26",
    },
    Column {
        key: "no_bpom",
        aliases: &["bpom"],
        required: false,
        explain: "Nomor izin edar BPOM, diawali MD atau ML.",
        example: "",
    },
    Column {
        key: "no_halal",
        aliases: &["halal", "sertifikat_halal"],
        required: false,
        explain: "Nomor sertifikat halal BPJPH.",
        example: "",
    },
];

/// A row that passed.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductRow {
    pub line: usize,
    /// The business, as written (NIB or id_eksternal).
    pub business: String,
    pub external_id: Option<String>,
    pub product: ValidProduct,
    /// Certificates to add unless the product already has them (same kind and number);
    /// they wait for the Dinas' check like any uploaded certificate.
    pub certificates: Vec<ValidCertificate>,
    pub matched: Vec<Matched>,
}

impl ProductRow {
    /// What identifies the product within its business.
    pub fn key(&self) -> String {
        self.external_id.clone().unwrap_or_else(|| normalize(&self.product.name))
    }
}

fn column_of(field: &str) -> &str {
    match field {
        "name" => "nama_produk",
        "category" => "kategori",
        "description" => "deskripsi",
        "brand" => "merek",
        "net_content" => "isi_bersih",
        "net_unit" => "satuan",
        "pack_size" => "isi_per_kemasan",
        "packaging" => "kemasan",
        "shelf_life_days" => "umur_simpan_hari",
        "storage" => "penyimpanan",
        "wholesale_price" => "harga_grosir",
        "retail_price" => "harga_eceran",
        "min_order" => "minimal_pesanan",
        "monthly_capacity" => "kapasitas_per_bulan",
        other => other,
    }
}

const NUMBERS: [&str; 7] = [
    "isi_bersih",
    "isi_per_kemasan",
    "umur_simpan_hari",
    "harga_grosir",
    "harga_eceran",
    "minimal_pesanan",
    "kapasitas_per_bulan",
];

/// Reads a product list (header first): good rows and every problem.
pub fn product_rows(rows: &[(usize, Vec<String>)]) -> (Vec<ProductRow>, Vec<RowError>) {
    let h = match Header::first(rows, &PRODUCT_COLUMNS) {
        Ok(h) => h,
        Err(e) => return (vec![], e),
    };
    let ctx = Context::default();
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for (line, cells) in rows.iter().skip(1) {
        match ctx.row(*line, &h, cells) {
            Ok(row) => match seen.insert((row.business.clone(), row.key()), *line) {
                Some(first) => errors.push(RowError::new(
                    *line,
                    if row.external_id.is_some() { "kode_produk" } else { "nama_produk" },
                    "duplicate_in_file",
                    format!("Produk ini sudah ada di baris {first} untuk usaha yang sama."),
                )),
                None => out.push(row),
            },
            Err(mut e) => errors.append(&mut e),
        }
    }
    (out, errors)
}

struct Context {
    categories: Matcher,
    unit: ChoiceMatcher<NetUnit>,
    packaging: ChoiceMatcher<Packaging>,
    storage: ChoiceMatcher<StorageType>,
}

impl Default for Context {
    fn default() -> Self {
        let categories = Matcher::new(
            categories()
                .iter()
                .map(|c| (c.slug.as_str(), c.name.clone(), vec![c.slug.replace('-', " ")])),
        );
        Context {
            categories,
            unit: Default::default(),
            packaging: Default::default(),
            storage: Default::default(),
        }
    }
}

impl Context {
    fn row(&self, line: usize, h: &Header, cells: &[String]) -> Result<ProductRow, Vec<RowError>> {
        let mut errs = Vec::new();
        let c = |k: &str| h.cell(cells, k).to_string();
        let mut n: HashMap<&str, Option<i64>> = HashMap::new();
        for k in NUMBERS {
            n.insert(k, keep(&mut errs, whole_number(line, k, &c(k))).flatten());
        }
        let num = |k: &str| n.get(k).copied().flatten();
        let mut matched = Vec::new();
        let given = c("kategori");
        let category = match self.categories.find(&given) {
            _ if given.is_empty() => String::new(),
            Ok((i, kind)) => {
                let cat = &categories()[i];
                if kind != MatchKind::Code && !cat.name.eq_ignore_ascii_case(&given) {
                    matched.push(Matched {
                        column: "kategori",
                        given: given.clone(),
                        matched: cat.name.clone(),
                    });
                }
                cat.slug.clone()
            }
            Err(e) => {
                errs.push(RowError::new(
                    line,
                    "kategori",
                    "unknown_category",
                    no_match_message("Kategori", &given, &e),
                ));
                "?".into()
            }
        };
        let choice = |errs: &mut Vec<RowError>,
                      key: &str,
                      r: &dyn Fn(&str) -> Result<&'static str, RowError>| {
            let v = c(key);
            if v.is_empty() { None } else { Some(keep(errs, r(&v)).unwrap_or("?").to_string()) }
        };
        let net_unit = choice(&mut errs, "satuan", &|v| {
            self.unit.parse(line, "satuan", "Satuan", v).map(|x| x.as_str())
        });
        let packaging = choice(&mut errs, "kemasan", &|v| {
            self.packaging.parse(line, "kemasan", "Kemasan", v).map(|x| x.as_str())
        });
        let storage = choice(&mut errs, "penyimpanan", &|v| {
            self.storage.parse(line, "penyimpanan", "Penyimpanan", v).map(|x| x.as_str())
        });
        let input = ProductInput {
            name: c("nama_produk"),
            category,
            description: c("deskripsi"),
            brand: h.opt(cells, "merek"),
            gtin: h.opt(cells, "gtin"),
            net_content: num("isi_bersih"),
            net_unit,
            pack_size: num("isi_per_kemasan"),
            packaging,
            shelf_life_days: num("umur_simpan_hari"),
            storage,
            wholesale_price: num("harga_grosir"),
            retail_price: num("harga_eceran"),
            min_order: num("minimal_pesanan"),
            monthly_capacity: num("kapasitas_per_bulan"),
        };
        let certificates = certificates(line, h, cells, &mut errs);
        let business = c("usaha");
        if business.is_empty() {
            errs.push(RowError::new(
                line,
                "usaha",
                "required",
                "Isi NIB atau id_eksternal usaha pemilik produk.",
            ));
        }
        match input.validate() {
            Ok(product) if errs.is_empty() => Ok(ProductRow {
                line,
                business,
                external_id: h.opt(cells, "kode_produk"),
                product,
                certificates,
                matched,
            }),
            Ok(_) => Err(errs),
            Err(ve) => Err(with_form_errors(line, errs, &ve, column_of)),
        }
    }
}

/// The certificate columns, each validated as the certificate form would.
fn certificates(
    line: usize,
    h: &Header,
    cells: &[String],
    errs: &mut Vec<RowError>,
) -> Vec<ValidCertificate> {
    let mut out = Vec::new();
    for column in ["no_pirt", "no_bpom", "no_halal"] {
        let Some(number) = h.opt(cells, column) else { continue };
        let kind = match column {
            "no_pirt" => CertificateKind::Pirt,
            "no_halal" => CertificateKind::Halal,
            _ if number.to_ascii_uppercase().starts_with("ML") => CertificateKind::BpomMl,
            _ => CertificateKind::BpomMd,
        };
        let input = CertificateInput { kind: kind.as_str().into(), number, ..Default::default() };
        match input.validate() {
            Ok(v) => out.push(v),
            Err(ve) => errs.extend(ve.iter().map(|fe| RowError::from_field(line, fe, column))),
        }
    }
    out
}
