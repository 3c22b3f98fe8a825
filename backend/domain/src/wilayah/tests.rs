//! Tests of the embedded Kota Serang reference data against the facts in DOMAIN.md.

use super::*;

#[test]
fn embedded_data_parses() {
    let w = Wilayah::from_sources(WILAYAH_CSV, KELURAHAN_GEOJSON).unwrap();
    assert_eq!(w.kelurahan().len(), 67);
    assert_eq!(kota_serang().kelurahan().len(), 67);
}

#[test]
fn six_kecamatan_and_their_kelurahan_counts() {
    let w = kota_serang();
    let counts: Vec<(&str, &str, usize)> = w
        .kecamatan()
        .iter()
        .map(|k| (k.code.as_str(), k.name.as_str(), w.kelurahan_in(&k.code).count()))
        .collect();
    assert_eq!(
        counts,
        vec![
            ("36.73.01", "Serang", 12),
            ("36.73.02", "Kasemen", 10),
            ("36.73.03", "Walantaka", 14),
            ("36.73.04", "Curug", 10),
            ("36.73.05", "Cipocok Jaya", 8),
            ("36.73.06", "Taktakan", 13),
        ]
    );
    assert_eq!(w.kecamatan_by_code("36.73.06").unwrap().name, "Taktakan");
    assert!(w.kecamatan_by_code("36.04.01").is_none());
}

#[test]
fn two_sukawana_are_told_apart_by_code() {
    let w = kota_serang();
    let mut sukawana: Vec<(&str, &str)> = w
        .kelurahan()
        .iter()
        .filter(|k| k.name == "Sukawana")
        .map(|k| (k.code.as_str(), k.kecamatan_name.as_str()))
        .collect();
    sukawana.sort();
    assert_eq!(sukawana, vec![("36.73.01.1008", "Serang"), ("36.73.04.1007", "Curug")]);
    let curug = parse_kelurahan("kelurahan_code", " 36.73.04.1007 ").unwrap();
    assert_eq!((curug.name.as_str(), curug.kecamatan_code.as_str()), ("Sukawana", "36.73.04"));
    assert_eq!(curug.postal_code, "42171");
}

#[test]
fn parse_kelurahan_errors() {
    let e = parse_kelurahan("kelurahan_code", "36.73.01.9999").unwrap_err();
    assert_eq!((e.field.as_str(), e.code), ("kelurahan_code", "unknown_kelurahan"));
    assert!(e.message.contains("36.73.01.9999"));
    assert_eq!(parse_kelurahan("k", "").unwrap_err().code, "required");
}

#[test]
fn every_centroid_is_in_kota_serang() {
    let w = kota_serang();
    let mut own = 0;
    for k in w.kelurahan() {
        assert!(w.contains(k.lat, k.lon), "{} {}", k.code, k.name);
        if w.kelurahan_at(k.lat, k.lon).map(|found| found.code.as_str()) == Some(k.code.as_str()) {
            own += 1;
        }
    }
    // The simplified polygons put Kaligandu's centroid just inside Terondol.
    assert_eq!(own, 66);
    let kaligandu = w.kelurahan_by_code("36.73.01.1010").unwrap();
    assert_eq!(w.kelurahan_at(kaligandu.lat, kaligandu.lon).unwrap().name, "Terondol");
}

#[test]
fn finds_the_kelurahan_of_a_point() {
    let w = kota_serang();
    let taktakan = w.kelurahan_by_code("36.73.06.1001").unwrap();
    assert_eq!(w.kelurahan_at(taktakan.lat, taktakan.lon).unwrap().code, "36.73.06.1001");
    assert!(w.kelurahan_at(f64::NAN, 106.1).is_none());
}

#[test]
fn outside_points_are_refused() {
    let w = kota_serang();
    assert!(!w.contains(-6.2, 106.8), "Jakarta");
    assert!(!w.contains(-6.0, 106.05), "Cilegon");
    assert!(w.kelurahan_at(-6.2, 106.8).is_none());
    let e = check_in_kota_serang("lat", "lon", -6.2, 106.8).unwrap_err();
    assert_eq!((e.field.as_str(), e.code), ("lat", "not_in_kota_serang"));
    assert!(e.message.contains("(-6,20000; 106,80000)"), "{}", e.message);
    assert!(check_in_kota_serang("lat", "lon", -6.12797, 106.14685).is_ok());
}

#[test]
fn boundary_tolerance_is_about_300_metres() {
    let w = kota_serang();
    // Westernmost boundary vertex of Kota Serang (Cibendung, Taktakan).
    let (lat, lon) = (-6.174371, 106.065932);
    assert!(w.contains(lat, lon - 0.0018), "≈200 m west is accepted");
    assert_eq!(w.kelurahan_at(lat, lon - 0.0018).unwrap().code, "36.73.06.1013");
    assert!(!w.contains(lat, lon - 0.0036), "≈400 m west is refused");
    assert!(!w.contains(lat, lon - 0.009), "≈1 km west is refused");
}

#[test]
fn coordinate_mistakes_get_hints() {
    let e = check_in_kota_serang("lat", "lon", 106.14685, -6.12797).unwrap_err();
    assert_eq!((e.field.as_str(), e.code), ("lat", "out_of_range"));
    assert!(e.message.contains("tertukar"), "{}", e.message);
    let e = check_in_kota_serang("lat", "lon", 6.12797, 106.14685).unwrap_err();
    assert_eq!(e.code, "not_in_kota_serang");
    assert!(e.message.contains("bernilai negatif"), "{}", e.message);
    let e = check_in_kota_serang("lat", "lon", 95.0, 106.1).unwrap_err();
    assert_eq!((e.field.as_str(), e.code), ("lat", "out_of_range"));
    let e = check_in_kota_serang("lat", "lon", f64::NAN, 106.1).unwrap_err();
    assert_eq!(e.code, "out_of_range");
}
