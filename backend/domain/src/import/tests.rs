use super::business::business_rows;
use super::product::product_rows;
use super::*;

fn rows(lines: &[&[&str]]) -> Vec<(usize, Vec<String>)> {
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| (i + 1, l.iter().map(|c| c.to_string()).collect()))
        .collect()
}

const BIZ_HEADER: &[&str] = &[
    "id_eksternal",
    "Nama Usaha",
    "nama_pemilik",
    "NIB",
    "skala",
    "tingkat_risiko",
    "alamat",
    "kelurahan",
    "whatsapp",
];

#[test]
fn a_clean_business_list_matches_names_forgivingly() {
    let (ok, errs) = business_rows(&rows(&[
        BIZ_HEADER,
        &[
            "",
            "Emping Bu Sari",
            "Sari",
            "9120001234567",
            "Mikro",
            "Menengah Rendah",
            "Jl. Raya 1",
            "Kel. Banjarsari",
            "081234567890",
        ],
        &[
            "CPJ-2",
            "Kopi Pak Ujang",
            "Ujang",
            "",
            "kecil",
            "rendah",
            "Jl. Kopi 2",
            "cipocok",
            "081234567891",
        ],
    ]));
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(ok.len(), 2);
    assert_eq!(ok[0].business.kelurahan.name, "Banjarsari");
    assert_eq!(ok[0].matched.len(), 1, "the Kel. prefix is shown as a match");
    assert_eq!(ok[0].key(), "NIB 9120001234567");
    assert_eq!(ok[0].business.risk_level, crate::producer::RiskLevel::MenengahRendah);
    assert_eq!(ok[1].business.kelurahan.name, "Cipocok Jaya");
    assert_eq!(ok[1].business.nib, None, "no NIB: pendampingan");
    assert_eq!(ok[1].key(), "id CPJ-2");
    assert_eq!(ok[1].business.scale, crate::producer::BusinessScale::Kecil);
}

#[test]
fn every_problem_of_every_row_is_reported_with_line_and_column() {
    let (ok, errs) = business_rows(&rows(&[
        BIZ_HEADER,
        &["", "X", "", "12345", "raksasa", "sedang", "", "Atlantis", ""],
        &["", "Usaha Baik", "Budi", "", "mikro", "rendah", "Jl. A 1", "Banjarsari", "0812345678"],
        &[
            "A",
            "Usaha Satu",
            "Ani",
            "9120001234567",
            "mikro",
            "rendah",
            "Jl. B 2",
            "Banjarsari",
            "081234567890",
        ],
        &[
            "A",
            "Usaha Dua",
            "Ana",
            "9120001234567",
            "mikro",
            "rendah",
            "Jl. C 3",
            "Banjarsari",
            "081234567890",
        ],
    ]));
    assert_eq!(ok.len(), 1);
    let at = |line: usize| -> Vec<&str> {
        errs.iter().filter(|e| e.line == line).map(|e| e.field.as_str()).collect()
    };
    let two = at(2);
    for col in [
        "nama_usaha",
        "nama_pemilik",
        "nib",
        "skala",
        "tingkat_risiko",
        "alamat",
        "kelurahan",
        "whatsapp",
    ] {
        assert!(two.contains(&col), "line 2 misses {col}: {errs:?}");
    }
    assert!(errs.iter().any(|e| e.line == 2 && e.message.contains("Atlantis")));
    assert_eq!(at(3), ["id_eksternal"], "no NIB and no id_eksternal");
    assert_eq!(at(5), ["nib", "id_eksternal"], "both repeated from line 4");
    assert!(errs.iter().all(|e| !e.message.is_empty()));
}

#[test]
fn headers_are_checked_first() {
    let (ok, errs) = business_rows(&rows(&[&["nama_usaha", "warna"]]));
    assert!(ok.is_empty());
    let codes: Vec<&str> = errs.iter().map(|e| e.code).collect();
    assert!(codes.contains(&"unknown_column") && codes.contains(&"missing_column"), "{codes:?}");
    assert_eq!(business_rows(&[]).1[0].code, "empty_file");
}

#[test]
fn ambiguous_kelurahan_needs_its_kecamatan() {
    let header: &[&str] = &[
        "id_eksternal",
        "nama_usaha",
        "nama_pemilik",
        "tingkat_risiko",
        "skala",
        "alamat",
        "kecamatan",
        "kelurahan",
        "telepon",
    ];
    let (_, errs) = business_rows(&rows(&[
        header,
        &[
            "S1",
            "Usaha Sukawana",
            "Ani",
            "rendah",
            "mikro",
            "Jl. A 1",
            "",
            "Sukawana",
            "081234567890",
        ],
    ]));
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].message.contains("bisa berarti"), "{}", errs[0].message);
    let kec = &crate::wilayah::kota_serang()
        .kelurahan()
        .iter()
        .find(|k| k.name == "Sukawana")
        .map(|k| k.kecamatan_name.clone())
        .unwrap_or_default();
    let (ok, errs) = business_rows(&rows(&[
        header,
        &[
            "S1",
            "Usaha Sukawana",
            "Ani",
            "rendah",
            "mikro",
            "Jl. A 1",
            kec,
            "Sukawana",
            "081234567890",
        ],
    ]));
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(&ok[0].business.kelurahan.kecamatan_name, kec);
}

const PROD_HEADER: &[&str] = &[
    "usaha",
    "kode_produk",
    "nama_produk",
    "kategori",
    "isi_bersih",
    "satuan",
    "harga_grosir",
    "harga_eceran",
    "no_pirt",
    "no_halal",
];

#[test]
fn product_rows_read_prices_units_categories_and_certificates() {
    let cat = &crate::category::categories()[0];
    let (ok, errs) = product_rows(&rows(&[
        PROD_HEADER,
        &[
            "9120001234567",
            "E-250",
            "Emping Pedas",
            &cat.name.to_uppercase(),
            "250",
            "gram",
            "Rp 12.000",
            "15.000,-",
            "",
            "",
        ],
        &["CPJ-2", "", "Kopi Bubuk", &cat.slug, "1", "Kilogram", "80000", "95000", "", ""],
    ]));
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(ok[0].product.wholesale_price.map(|r| r.value()), Some(12_000));
    assert_eq!(ok[0].product.retail_price.map(|r| r.value()), Some(15_000));
    assert_eq!(ok[0].product.net_unit, Some(crate::product::NetUnit::G));
    assert_eq!(ok[0].key(), "E-250");
    assert_eq!(ok[1].key(), "kopi bubuk", "without a code, the name within the business");
    assert_eq!(ok[1].product.net_unit, Some(crate::product::NetUnit::Kg));
}

#[test]
fn product_row_errors_name_their_columns() {
    let (ok, errs) = product_rows(&rows(&[
        PROD_HEADER,
        &["", "", "Ke", "Perkakas Luar Angkasa", "dua ratus", "ons", "15000", "12000", "123", "x"],
        &["A", "K1", "Kue Satu", "kue", "", "", "", "", "", ""],
        &["A", "K1", "Kue Dua", "kue", "", "", "", "", "", ""],
    ]));
    let two: Vec<&str> = errs.iter().filter(|e| e.line == 2).map(|e| e.field.as_str()).collect();
    for col in ["usaha", "nama_produk", "kategori", "isi_bersih", "satuan", "no_pirt", "no_halal"] {
        assert!(two.contains(&col), "line 2 misses {col}: {errs:?}");
    }
    assert!(errs.iter().any(|e| e.line == 4 && e.code == "duplicate_in_file"), "{errs:?}");
    assert!(ok.len() <= 1);
}

#[test]
fn numbers_the_indonesian_way() {
    assert_eq!(whole_number(2, "x", "12.000").unwrap(), Some(12_000));
    assert_eq!(whole_number(2, "x", "1.250.000").unwrap(), Some(1_250_000));
    assert_eq!(whole_number(2, "x", "Rp. 5000").unwrap(), Some(5_000));
    assert_eq!(whole_number(2, "x", "250").unwrap(), Some(250));
    assert_eq!(whole_number(2, "x", "").unwrap(), None);
    assert!(whole_number(2, "x", "12.5").is_err());
    assert!(whole_number(2, "x", "dua").is_err());
    assert_eq!(decimal(2, "lat", "-6,12").unwrap(), Some(-6.12));
}
