//! A store list (gerai): columns with Indonesian keys (the older English headers `code`,
//! `name`, `chain_code`, `format`, `address`, `kelurahan_code`, `lat`, `lon`, `local_facings`
//! are still accepted, so older files keep working), and each row into a validated store through
//! the registration form's own rules (`StoreInput::validate`), keyed by its code. Kelurahan by
//! name or code (within a kecamatan when one is given), format by code or label, chain by code
//! or name among the registered chains; a row without coordinates takes its kelurahan's centre.

use std::collections::HashMap;

use super::business::keep;
use super::{
    ChoiceMatcher, Column, Header, KelurahanMatcher, MatchKind, Matched, Matcher, RowError,
    decimal, no_match_message, whole_number, with_form_errors,
};
use crate::store::{StoreFormat, StoreInput, ValidStore};
use crate::wilayah::kota_serang;

/// The columns of a store import, in the template's order.
pub const STORE_COLUMNS: [Column; 10] = [
    Column {
        key: "kode_gerai",
        aliases: &["code", "kode", "store_code"],
        required: true,
        explain: "Kode gerai yang unik, 2–32 huruf/angka/'-'/'_' (tetap sama di setiap unggahan); dipakai untuk mengenali gerai saat berkas diunggah lagi.",
        example: "MS-SRG-001",
    },
    Column {
        key: "nama_gerai",
        aliases: &["name", "nama"],
        required: true,
        explain: "Nama gerai, 3–120 huruf.",
        example: "Mitra Swalayan Ciceri",
    },
    Column {
        key: "jaringan",
        aliases: &["chain_code", "kode_jaringan", "chain"],
        required: false,
        explain: "Kode atau nama jaringan yang sudah terdaftar (mis. MS). Kosongkan untuk gerai mandiri; akun kantor jaringan hanya boleh mengisi jaringannya sendiri (kosong berarti jaringannya sendiri).",
        example: "MS",
    },
    Column {
        key: "format",
        aliases: &["format_gerai", "jenis_gerai"],
        required: true,
        explain: "Minimarket, supermarket, hypermarket atau toko modern lainnya.",
        example: "minimarket",
    },
    Column {
        key: "alamat",
        aliases: &["address"],
        required: true,
        explain: "Alamat gerai, 5–300 huruf.",
        example: "Jl. Ciceri Permai No. 3",
    },
    Column {
        key: "kecamatan",
        aliases: &[],
        required: false,
        explain: "Nama kecamatan (boleh kosong); membantu bila nama kelurahan ada di dua kecamatan (Sukawana).",
        example: "Serang",
    },
    Column {
        key: "kelurahan",
        aliases: &["kelurahan_code", "kode_kelurahan", "desa"],
        required: true,
        explain: "Nama atau kode kelurahan di Kota Serang. Penulisan tidak harus persis (\"Kel. Cipare\", \"cipocok\"); hasil pencocokan ditampilkan di pratinjau.",
        example: "Cipare",
    },
    Column {
        key: "lat",
        aliases: &["lintang", "latitude"],
        required: false,
        explain: "Lintang lokasi gerai; kosongkan bersama bujur untuk memakai titik tengah kelurahan (gerai yang sudah ada tetap di titiknya).",
        example: "-6.1255",
    },
    Column {
        key: "lon",
        aliases: &["bujur", "longitude"],
        required: false,
        explain: "Bujur lokasi gerai.",
        example: "106.1627",
    },
    Column {
        key: "facing_lokal",
        aliases: &["local_facings", "facing", "rak_lokal"],
        required: false,
        explain: "Jumlah facing rak yang disediakan untuk produk lokal, 0–10.000 (kosong berarti 0).",
        example: "12",
    },
];

/// A row that passed: the store and what was matched forgivingly.
#[derive(Debug, Clone, PartialEq)]
pub struct StoreRow {
    pub line: usize,
    pub store: ValidStore,
    /// False when the row left lat/lon empty (the kelurahan's centre was taken): an update then
    /// keeps the stored point.
    pub coordinates_given: bool,
    pub matched: Vec<Matched>,
}

impl StoreRow {
    /// The key that finds the store again.
    pub fn key(&self) -> String {
        format!("kode {}", self.store.code)
    }
}

/// The registration form's field name → the import's column.
fn column_of(field: &str) -> &str {
    match field {
        "code" => "kode_gerai",
        "name" => "nama_gerai",
        "chain_code" => "jaringan",
        "address" => "alamat",
        "kelurahan_code" => "kelurahan",
        "local_facings" => "facing_lokal",
        other => other,
    }
}

/// Reads a store list (header first) against the registered `chains` (code, name). Returns the
/// good rows and every problem; the caller saves nothing unless there are no problems. A code
/// repeated in the file is reported on its second line.
pub fn store_rows(
    rows: &[(usize, Vec<String>)],
    chains: &[(String, String)],
) -> (Vec<StoreRow>, Vec<RowError>) {
    let h = match Header::first(rows, &STORE_COLUMNS) {
        Ok(h) => h,
        Err(e) => return (vec![], e),
    };
    let mut ctx = Context {
        kelurahan: KelurahanMatcher::default(),
        format: ChoiceMatcher::default(),
        chains: Matcher::new(chains.iter().map(|(c, n)| (c.as_str(), n.clone(), vec![]))),
        chain_codes: chains.iter().map(|(c, _)| c.clone()).collect(),
    };
    let mut errors = Vec::new();
    let mut out = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (line, cells) in rows.iter().skip(1) {
        match ctx.row(*line, &h, cells) {
            Ok(row) => match seen.insert(row.store.code.clone(), *line) {
                Some(first) => errors.push(RowError::new(
                    *line,
                    "kode_gerai",
                    "duplicate_in_file",
                    format!("Kode gerai {} sudah dipakai di baris {first}.", row.store.code),
                )),
                None => out.push(row),
            },
            Err(mut e) => errors.append(&mut e),
        }
    }
    (out, errors)
}

struct Context {
    kelurahan: KelurahanMatcher,
    format: ChoiceMatcher<StoreFormat>,
    chains: Matcher,
    chain_codes: Vec<String>,
}

impl Context {
    /// The chain's code, or `None` for an empty cell (independent, or the caller's own chain).
    fn chain(&self, line: usize, raw: &str) -> Result<(Option<String>, Option<Matched>), RowError> {
        if raw.is_empty() {
            return Ok((None, None));
        }
        match self.chains.find(raw) {
            Ok((i, kind)) => {
                let code = self.chain_codes[i].clone();
                let matched = (kind != MatchKind::Code).then(|| Matched {
                    column: "jaringan",
                    given: raw.to_string(),
                    matched: format!("{} ({code})", self.chains.label(i)),
                });
                Ok((Some(code), matched))
            }
            Err(e) => Err(RowError::new(
                line,
                "jaringan",
                "unknown_chain",
                format!(
                    "{} Daftarkan jaringannya dulu, atau kosongkan untuk gerai mandiri.",
                    no_match_message("Jaringan", raw, &e)
                ),
            )),
        }
    }

    fn row(
        &mut self,
        line: usize,
        h: &Header,
        cells: &[String],
    ) -> Result<StoreRow, Vec<RowError>> {
        let mut errs = Vec::new();
        let c = |k: &str| h.cell(cells, k).to_string();
        let mut matched = Vec::new();
        let chain = keep(&mut errs, self.chain(line, &c("jaringan"))).map(|(code, m)| {
            matched.extend(m);
            code
        });
        // Empty: the form's own "required" message; unknown: reported here.
        let format = match c("format") {
            f if f.is_empty() => f,
            f => keep(&mut errs, self.format.parse(line, "format", "Format gerai", &f))
                .map_or_else(|| "?".into(), |v| v.as_str().to_string()),
        };
        let lat = keep(&mut errs, decimal(line, "lat", &c("lat"))).flatten();
        let lon = keep(&mut errs, decimal(line, "lon", &c("lon"))).flatten();
        let facings = keep(&mut errs, whole_number(line, "facing_lokal", &c("facing_lokal")))
            .map(Option::unwrap_or_default);
        let kelurahan = match self.kelurahan.find(line, &c("kecamatan"), &c("kelurahan")) {
            Ok((k, m)) => {
                matched.extend(m);
                Some(k)
            }
            Err(e) => {
                errs.push(e);
                None
            }
        };
        if lat.is_some() != lon.is_some() {
            let missing = if lat.is_none() { "lat" } else { "lon" };
            errs.push(RowError::new(
                line,
                missing,
                "required",
                "Isi lat dan lon bersama, atau kosongkan keduanya untuk memakai titik tengah kelurahan.",
            ));
        }
        // Without both coordinates, the kelurahan's centre (any kelurahan's when it is unknown:
        // the row is refused for its kelurahan already).
        let coordinates_given = lat.is_some() && lon.is_some();
        let centre = kelurahan.unwrap_or(&kota_serang().kelurahan()[0]);
        let (lat, lon) = match (lat, lon) {
            (Some(lat), Some(lon)) => (lat, lon),
            _ => (centre.lat, centre.lon),
        };
        let input = StoreInput {
            code: c("kode_gerai"),
            name: c("nama_gerai"),
            chain_code: chain.flatten(),
            format,
            address: c("alamat"),
            kelurahan_code: kelurahan.map_or_else(|| "?".into(), |k| k.code.clone()),
            lat,
            lon,
            local_facings: facings.unwrap_or_default(),
        };
        match input.validate() {
            Ok(store) if errs.is_empty() => {
                Ok(StoreRow { line, store, coordinates_given, matched })
            }
            Ok(_) => Err(errs),
            Err(ve) => Err(with_form_errors(line, errs, &ve, column_of)),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const LEGACY: &str = "code,name,chain_code,format,address,kelurahan_code,lat,lon,local_facings";

    fn rows(lines: &[&str]) -> Vec<(usize, Vec<String>)> {
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| (i + 1, l.split(',').map(|c| c.trim().to_string()).collect()))
            .collect()
    }

    fn chains() -> Vec<(String, String)> {
        vec![("MS".into(), "Mitra Swalayan".into()), ("SM".into(), "Serang Mart".into())]
    }

    #[test]
    fn the_older_english_header_still_reads() {
        let k = kota_serang().kelurahan_by_code("36.73.01.1001").unwrap();
        let line = format!(
            "ms-1,Mitra Swalayan A,ms,Minimarket,Jl. Ciceri 1,36.73.01.1001,{},{},10",
            k.lat, k.lon
        );
        let (ok, errs) = store_rows(&rows(&[LEGACY, &line]), &chains());
        assert!(errs.is_empty(), "{errs:?}");
        let s = &ok[0].store;
        assert_eq!((s.code.as_str(), s.chain_code.as_deref()), ("MS-1", Some("MS")));
        assert_eq!((s.format, s.local_facings), (StoreFormat::Minimarket, 10));
        assert!(ok[0].coordinates_given && ok[0].matched.is_empty());
    }

    #[test]
    fn names_are_matched_forgivingly_and_empty_coordinates_take_the_centre() {
        let header = "kode_gerai,nama_gerai,jaringan,format,alamat,kecamatan,kelurahan,lat,lon";
        let line = "G-1,Toko Cipocok,serang mart,Toko Modern Lainnya,Jl. Raya 1,,cipocok,,";
        let (ok, errs) = store_rows(&rows(&[header, line]), &chains());
        assert!(errs.is_empty(), "{errs:?}");
        let r = &ok[0];
        assert_eq!(r.store.chain_code.as_deref(), Some("SM"));
        assert_eq!(r.store.format, StoreFormat::TokoModernLainnya);
        assert_eq!(r.store.kelurahan.name, "Cipocok Jaya");
        assert_eq!((r.store.lat, r.store.local_facings), (r.store.kelurahan.lat, 0));
        assert!(!r.coordinates_given);
        let cols: Vec<&str> = r.matched.iter().map(|m| m.column).collect();
        assert_eq!(cols, ["jaringan", "kelurahan"]);
    }

    #[test]
    fn every_problem_of_a_row_is_reported_once_under_its_column() {
        let bad = "a b,X,ZZ,warung,Jl,Atlantis,-6.1,,-3";
        let ok_line = "G-2,Toko Dua,,minimarket,Jl. Raya 2,Cipare,,,";
        let (ok, errs) = store_rows(&rows(&[LEGACY, bad, ok_line, ok_line]), &chains());
        assert_eq!(ok.len(), 1);
        let at = |line| {
            errs.iter().filter(|e| e.line == line).map(|e| e.field.as_str()).collect::<Vec<_>>()
        };
        let mut two = at(2);
        two.sort_unstable();
        assert_eq!(
            two,
            [
                "alamat",
                "facing_lokal",
                "format",
                "jaringan",
                "kelurahan",
                "kode_gerai",
                "lon",
                "nama_gerai"
            ],
            "{errs:?}"
        );
        assert_eq!(at(4), ["kode_gerai"]);
        assert_eq!(errs.iter().find(|e| e.line == 4).unwrap().code, "duplicate_in_file");
        assert!(errs.iter().any(|e| e.message.contains("\"ZZ\"")), "{errs:?}");
    }

    #[test]
    fn a_wrong_header_is_reported_on_line_one() {
        let (ok, errs) = store_rows(&rows(&["kode;nama", "A;B"]), &chains());
        assert!(ok.is_empty());
        assert!(errs.iter().all(|e| e.line == 1) && !errs.is_empty());
    }
}
