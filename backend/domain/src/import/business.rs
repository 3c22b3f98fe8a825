//! A business list: columns, and each row into a validated business (the same rules as the
//! registration form, NIB optional: a business without one goes into pendampingan) keyed by
//! its NIB or, without one, by the Dinas' own `id_eksternal`.

use std::collections::HashMap;

use super::{
    ChoiceMatcher, Column, Header, KelurahanMatcher, Matched, RowError, decimal, with_form_errors,
};
use crate::producer::{
    BusinessScale, CapitalRange, ProducerInput, RiskLevel, SalesRange, ValidProducer,
};

/// The columns of a business import, in the template's order.
pub const BUSINESS_COLUMNS: [Column; 15] = [
    Column {
        key: "id_eksternal",
        aliases: &["external_id", "kode_usaha", "no"],
        required: false,
        explain: "Kode usaha di daftar Dinas (tetap sama di setiap unggahan). Wajib bila NIB kosong; dipakai untuk mengenali usaha saat berkas diunggah lagi.",
        example: "BINAAN-CPJ-001",
    },
    Column {
        key: "nama_usaha",
        aliases: &["nama", "name", "business_name"],
        required: true,
        explain: "Nama usaha, 3–120 huruf.",
        example: "Keripik Emping Bu Sari",
    },
    Column {
        key: "nama_pemilik",
        aliases: &["pemilik", "owner_name", "owner"],
        required: true,
        explain: "Nama pemilik usaha.",
        example: "Sari Wulandari",
    },
    Column {
        key: "nib",
        aliases: &["nomor_induk_berusaha"],
        required: false,
        explain: "NIB dari OSS, 13 angka. Kosongkan bila belum punya: usaha masuk pendampingan dan produknya belum bisa tayang.",
        example: "9120001234567",
    },
    Column {
        key: "skala",
        aliases: &["skala_usaha", "scale"],
        required: false,
        explain: "mikro, kecil atau menengah. Boleh kosong bila kisaran modal atau penjualan diisi (skala dihitung darinya).",
        example: "mikro",
    },
    Column {
        key: "kisaran_modal",
        aliases: &["modal", "capital_range"],
        required: false,
        explain: "Modal usaha di luar tanah dan bangunan: ≤ Rp1 miliar, Rp1–5 miliar, Rp5–10 miliar (kode up_to1, from1_to5, from5_to10).",
        example: "up_to1",
    },
    Column {
        key: "kisaran_penjualan",
        aliases: &["omzet", "penjualan", "sales_range"],
        required: false,
        explain: "Hasil penjualan tahunan: ≤ Rp2 miliar, Rp2–15 miliar, Rp15–50 miliar (kode up_to2, from2_to15, from15_to50). Bila modal dan penjualan diisi, penjualan yang menentukan skala.",
        example: "up_to2",
    },
    Column {
        key: "tingkat_risiko",
        aliases: &["risiko", "risk_level"],
        required: true,
        explain: "Tingkat risiko dari OSS: rendah, menengah rendah, menengah tinggi atau tinggi.",
        example: "rendah",
    },
    Column {
        key: "alamat",
        aliases: &["address"],
        required: true,
        explain: "Alamat usaha (jalan, RT/RW).",
        example: "Jl. Bhayangkara No. 12 RT 02/RW 03",
    },
    Column {
        key: "kecamatan",
        aliases: &[],
        required: false,
        explain: "Nama kecamatan (boleh kosong); membantu bila nama kelurahan ada di dua kecamatan (Sukawana).",
        example: "Cipocok Jaya",
    },
    Column {
        key: "kelurahan",
        aliases: &["kelurahan_code", "kode_kelurahan", "desa"],
        required: true,
        explain: "Nama atau kode kelurahan di Kota Serang. Penulisan tidak harus persis (\"Kel. Banjarsari\", \"cipocok\"); hasil pencocokan ditampilkan di pratinjau.",
        example: "Cipocok Jaya",
    },
    Column {
        key: "telepon",
        aliases: &["phone", "no_telepon", "hp"],
        required: false,
        explain: "Nomor telepon (08… atau +62…). Isi telepon atau WhatsApp.",
        example: "0254-123456",
    },
    Column {
        key: "whatsapp",
        aliases: &["wa", "no_wa"],
        required: false,
        explain: "Nomor WhatsApp (08… atau +62…).",
        example: "081234567890",
    },
    Column {
        key: "lat",
        aliases: &["lintang", "latitude"],
        required: false,
        explain: "Lintang lokasi usaha; kosongkan bersama bujur untuk memakai titik tengah kelurahan.",
        example: "-6.1385",
    },
    Column {
        key: "lon",
        aliases: &["bujur", "longitude"],
        required: false,
        explain: "Bujur lokasi usaha.",
        example: "106.1730",
    },
];

/// A row that passed: the business and what was matched forgivingly.
#[derive(Debug, Clone, PartialEq)]
pub struct BusinessRow {
    pub line: usize,
    pub external_id: Option<String>,
    pub business: ValidProducer,
    /// False when the row left lat/lon empty (the kelurahan's centre was taken): an update then
    /// keeps the stored point.
    pub coordinates_given: bool,
    pub matched: Vec<Matched>,
}

impl BusinessRow {
    /// The key that finds the business again: its NIB, else its external id.
    pub fn key(&self) -> String {
        match (&self.business.nib, &self.external_id) {
            (Some(n), _) => format!("NIB {}", n.as_str()),
            (None, Some(e)) => format!("id {e}"),
            (None, None) => String::new(),
        }
    }
}

/// The registration form's field name → the import's column.
fn column_of(field: &str) -> &str {
    match field {
        "name" => "nama_usaha",
        "owner_name" => "nama_pemilik",
        "capital_range" => "kisaran_modal",
        "sales_range" => "kisaran_penjualan",
        "scale" => "skala",
        "risk_level" => "tingkat_risiko",
        "address" => "alamat",
        "kelurahan_code" => "kelurahan",
        "phone" => "telepon",
        other => other,
    }
}

/// Reads a business list (header first). Returns the good rows and every problem; the caller
/// saves nothing unless there are no problems.
pub fn business_rows(rows: &[(usize, Vec<String>)]) -> (Vec<BusinessRow>, Vec<RowError>) {
    let mut errors = Vec::new();
    let h = match Header::first(rows, &BUSINESS_COLUMNS) {
        Ok(h) => h,
        Err(e) => return (vec![], e),
    };
    let mut ctx = Context::default();
    let mut out = Vec::new();
    let mut nibs: HashMap<String, usize> = HashMap::new();
    let mut ids: HashMap<String, usize> = HashMap::new();
    for (line, cells) in rows.iter().skip(1) {
        match ctx.row(*line, &h, cells) {
            Ok(row) => {
                let mut dup = Vec::new();
                if let Some(n) = &row.business.nib
                    && let Some(first) = nibs.insert(n.as_str().to_string(), *line)
                {
                    dup.push(RowError::new(
                        *line,
                        "nib",
                        "duplicate_in_file",
                        format!("NIB {} sudah dipakai di baris {first}.", n.as_str()),
                    ));
                }
                if let Some(e) = &row.external_id
                    && let Some(first) = ids.insert(e.clone(), *line)
                {
                    dup.push(RowError::new(
                        *line,
                        "id_eksternal",
                        "duplicate_in_file",
                        format!("id_eksternal {e} sudah dipakai di baris {first}."),
                    ));
                }
                if dup.is_empty() { out.push(row) } else { errors.extend(dup) }
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    (out, errors)
}

/// The value, or `None` with the error kept.
pub(super) fn keep<T>(errs: &mut Vec<RowError>, r: Result<T, RowError>) -> Option<T> {
    r.map_err(|e| errs.push(e)).ok()
}

#[derive(Default)]
struct Context {
    kelurahan: KelurahanMatcher,
    scale: ChoiceMatcher<BusinessScale>,
    capital: ChoiceMatcher<CapitalRange>,
    sales: ChoiceMatcher<SalesRange>,
    risk: ChoiceMatcher<RiskLevel>,
}

impl Context {
    fn row(
        &mut self,
        line: usize,
        h: &Header,
        cells: &[String],
    ) -> Result<BusinessRow, Vec<RowError>> {
        let mut errs = Vec::new();
        let c = |k: &str| h.cell(cells, k).to_string();
        let code = |cell: String, r: &dyn Fn(&str) -> Result<&'static str, RowError>| {
            if cell.is_empty() { Ok(None) } else { r(&cell).map(|v| Some(v.to_string())) }
        };
        let scale = keep(
            &mut errs,
            code(c("skala"), &|v| {
                self.scale.parse(line, "skala", "Skala usaha", v).map(|x| x.as_str())
            }),
        )
        .flatten();
        let capital = keep(
            &mut errs,
            code(c("kisaran_modal"), &|v| {
                self.capital.parse(line, "kisaran_modal", "Kisaran modal", v).map(|x| x.as_str())
            }),
        )
        .flatten();
        let sales = keep(
            &mut errs,
            code(c("kisaran_penjualan"), &|v| {
                self.sales
                    .parse(line, "kisaran_penjualan", "Kisaran penjualan", v)
                    .map(|x| x.as_str())
            }),
        )
        .flatten();
        // Empty: the form's own "required" message; unknown: reported here.
        let risk = keep(
            &mut errs,
            code(c("tingkat_risiko"), &|v| {
                self.risk.parse(line, "tingkat_risiko", "Tingkat risiko", v).map(|x| x.as_str())
            }),
        )
        .map_or_else(|| "?".to_string(), Option::unwrap_or_default);
        let lat = keep(&mut errs, decimal(line, "lat", &c("lat"))).flatten();
        let lon = keep(&mut errs, decimal(line, "lon", &c("lon"))).flatten();
        let mut matched = Vec::new();
        let kelurahan = match self.kelurahan.find(line, &c("kecamatan"), &c("kelurahan")) {
            Ok((k, m)) => {
                matched.extend(m);
                k.code.clone()
            }
            Err(e) => {
                errs.push(e);
                "?".into()
            }
        };
        let external_id = h.opt(cells, "id_eksternal");
        let coordinates_given = lat.is_some() && lon.is_some();
        if c("nib").is_empty() && external_id.is_none() {
            errs.push(RowError::new(line, "id_eksternal", "required", "Isi NIB, atau id_eksternal bila usaha belum punya NIB (agar usaha dikenali saat berkas diunggah lagi)."));
        }
        // With no range, the declared scale is kept as for businesses registered before the
        // ranges were asked.
        let legacy = if capital.is_none() && sales.is_none() {
            scale.as_deref().and_then(BusinessScale::from_code)
        } else {
            None
        };
        let input = ProducerInput {
            name: c("nama_usaha"),
            owner_name: c("nama_pemilik"),
            nib: c("nib"),
            capital_range: capital,
            sales_range: sales,
            scale: if legacy.is_some() { None } else { scale },
            risk_level: risk,
            address: c("alamat"),
            kelurahan_code: kelurahan,
            lat,
            lon,
            phone: h.opt(cells, "telepon"),
            whatsapp: h.opt(cells, "whatsapp"),
        };
        match input.validate_assisted(legacy) {
            Ok(business) if errs.is_empty() => {
                Ok(BusinessRow { line, external_id, business, coordinates_given, matched })
            }
            Ok(_) => Err(errs),
            Err(ve) => Err(with_form_errors(line, errs, &ve, column_of)),
        }
    }
}
