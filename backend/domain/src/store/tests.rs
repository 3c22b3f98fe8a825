use super::*;

fn valid() -> StoreInput {
    StoreInput {
        code: "ms-srg-001".into(),
        name: "Mitra Swalayan Ciceri".into(),
        chain_code: Some("ms".into()),
        format: "minimarket".into(),
        address: "Jl. Ciceri Permai No. 3".into(),
        kelurahan_code: "36.73.01.1001".into(),
        lat: -6.12,
        lon: 106.15,
        local_facings: 12,
    }
}

#[test]
fn codes_and_labels() {
    crate::code_enum::assert_serde_codes::<StoreFormat>();
    crate::code_enum::assert_serde_codes::<ChainKind>();
    assert_eq!(StoreFormat::TokoModernLainnya.as_str(), "toko_modern_lainnya");
}

#[test]
fn a_valid_store_is_normalised() {
    let k = crate::wilayah::kota_serang().kelurahan_by_code("36.73.01.1001").unwrap();
    let v = StoreInput { lat: k.lat, lon: k.lon, ..valid() }.validate().unwrap();
    assert_eq!(v.code, "MS-SRG-001");
    assert_eq!(v.chain_code.as_deref(), Some("MS"));
    assert_eq!(v.format, StoreFormat::Minimarket);
}

#[test]
fn every_bad_field_is_named() {
    let bad = StoreInput {
        code: "a b".into(),
        name: "x".into(),
        format: "warung".into(),
        kelurahan_code: "99".into(),
        lat: -7.5,
        local_facings: -1,
        ..valid()
    };
    let e = bad.validate().unwrap_err();
    assert_eq!(e.fields(), ["code", "name", "format", "kelurahan_code", "lat", "local_facings"]);
    assert_eq!(e.get("lat").unwrap().code, "not_in_kota_serang");
}

#[test]
fn csv_rows_report_line_numbers_and_duplicates() {
    let k = crate::wilayah::kota_serang().kelurahan_by_code("36.73.01.1001").unwrap();
    let good = format!(
        "MS-1,Mitra Swalayan A,MS,minimarket,\"Jl. Ciceri, No. 1\",36.73.01.1001,{},{},10",
        k.lat, k.lon
    );
    let text = format!(
        "code,name,chain_code,format,address,kelurahan_code,lat,lon,local_facings\n{good}\n\nMS-2,Toko B,MS,warung,Jl. Ciceri 2,36.73.01.1001,{},{},5\n{good}\nMS-3,Toko C,MS,minimarket,Jl. C 3,36.73.01.1001,abc,106.1,5\n",
        k.lat, k.lon
    );
    let rows = parse_csv(&text);
    assert_eq!(rows[1].1[4], "Jl. Ciceri, No. 1");
    let (ok, errs) = rows_to_inputs(&rows);
    assert_eq!(ok.len(), 1);
    let lines: Vec<(usize, &str)> = errs.iter().map(|e| (e.line, e.field.as_str())).collect();
    assert_eq!(lines, [(4, "format"), (5, "code"), (6, "lat")]);
    assert!(errs[0].message.starts_with("Baris 4: "), "{}", errs[0].message);
}

#[test]
fn a_wrong_header_is_one_error_on_line_one() {
    let (ok, errs) = rows_to_inputs(&parse_csv("kode;nama\nA;B\n"));
    assert!(ok.is_empty());
    assert_eq!((errs.len(), errs[0].line, errs[0].code), (1, 1, "bad_header"));
}

/// Test helper: CSV text into (line, cells), as the server's sheet reader gives them.
fn parse_csv(text: &str) -> Vec<(usize, Vec<String>)> {
    let text = text.trim_start_matches('\u{feff}');
    let sep = match text.lines().next() {
        Some(h) if !h.contains(',') && h.contains(';') => ';',
        _ => ',',
    };
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        out.push((i + 1, split_line(line, sep)));
    }
    out
}

fn split_line(line: &str, sep: char) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            c if c == sep && !quoted => cells.push(std::mem::take(&mut cur).trim().to_string()),
            c => cur.push(c),
        }
    }
    cells.push(cur.trim().to_string());
    cells
}
