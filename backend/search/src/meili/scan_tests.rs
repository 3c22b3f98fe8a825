#![allow(clippy::unwrap_used)]
use super::*;
use serde_json::json;
use serde_json::value::RawValue;

/// The scanner's reading of `text` as one value: its text, or the error.
fn scanned(text: &str) -> Scanned<&str> {
    let mut s = Scan::new(text);
    let value = s.value()?;
    s.end()?;
    Ok(value)
}

fn valid() -> Vec<String> {
    let values = [
        json!({"a": 1, "b": [true, false, null], "c": {"d": "e"}}),
        json!("Keripik \"renyah\"\n\\ asli Serang / \u{1F336} \u{0007} é"),
        json!([0, -0, 7, -12, 3.5, -0.25, 1e21, 6.02e-23, 5936948983342399320_i64, u64::MAX]),
        json!([[], {}, [[[]]], {"": ""}, [{"x": [{"y": []}]}]]),
        json!({"kec\"amatan": "Kasemen", "\\": 1, "\u{00e9}": 2}),
        json!(-6.079062659495061),
        json!(""),
        json!(null),
    ];
    let mut texts: Vec<String> = values.iter().map(Value::to_string).collect();
    texts.extend(values.iter().map(|v| serde_json::to_string_pretty(v).unwrap()));
    texts.extend([
        " \t\r\n{ \"a\" : [ 1 , 2 ] , \"b\" : \"\\u00e9\\uD83C\\uDF36\" } \n".to_string(),
        "1E+2".to_string(),
        "-1.5e-7".to_string(),
        "\"\\/\\b\\f\\r\\t\"".to_string(),
    ]);
    texts
}

use serde_json::Value;

#[test]
fn a_value_reads_as_serde_reads_it() {
    for text in valid() {
        let raw: &RawValue = serde_json::from_str(&text).unwrap();
        assert_eq!(scanned(&text), Ok(raw.get()), "{text}");
    }
}

#[test]
fn what_serde_refuses_the_scanner_refuses() {
    let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    let bad: Vec<String> = [
        "",
        " ",
        "\"abc",
        "\"a\\x\"",
        "\"\\u12\"",
        "\"\\u12g4\"",
        "\"a\\",
        "[1,]",
        "[1 2]",
        "[,]",
        "{\"a\" 1}",
        "{\"a\":1,}",
        "{a:1}",
        "{\"a\":}",
        "{1:2}",
        "tru",
        "nul",
        "True",
        "01",
        "1.",
        "-",
        "1e",
        "1e+",
        ".5",
        "+1",
        "--1",
        "0x10",
        "1.5.2",
        "[",
        "{",
        "]",
        "}",
        "[1",
        "{\"a\":1",
        "[1]]",
        "{} {}",
        "\"a\" \"b\"",
        "[\"a\",]",
        "infinity",
        "NaN",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for text in &bad {
        assert!(scanned(text).is_err(), "scanner read {text:?}");
        assert!(serde_json::from_str::<&RawValue>(text).is_err(), "serde read {text:?}");
    }
    // Deeper than an answer ever is (serde's own limit is 128).
    assert_eq!(scanned(&deep(MAX_DEPTH)), Ok(deep(MAX_DEPTH).as_str()));
    let err = scanned(&deep(MAX_DEPTH + 1)).unwrap_err();
    assert_eq!(
        (err.what, err.at),
        (format!("bersarang lebih dari {MAX_DEPTH} tingkat"), MAX_DEPTH)
    );
}

#[test]
fn every_cut_of_an_answer_is_an_error_not_a_panic() {
    let text = serde_json::to_string_pretty(&json!({"results": [{
        "hits": [{"id": 1, "name": "Emping \"Melinjo\" \u{00e9}", "lat": -6.1, "cert_kinds": ["pirt"]}],
        "totalHits": 1, "facetDistribution": {"halal": {"true": 1}}
    }]}))
    .unwrap();
    assert!(scanned(&text).is_ok());
    for (cut, _) in text.char_indices().skip(1) {
        let part = &text[..cut];
        assert!(scanned(part).is_err(), "cut at {cut} read: {part}");
    }
}

#[test]
fn objects_and_arrays_are_walked_key_by_key_and_element_by_element() {
    let text = r#"{"results": [{"hits": [1, "dua", {"t": [3]}]}, {"hits": []}], "x\"y": null}"#;
    let mut s = Scan::new(text);
    let mut seen = Vec::new();
    s.object(|s, key| {
        if key != "results" {
            seen.push(format!("{key}={}", s.value()?));
            return Ok(());
        }
        s.array(|s| {
            s.object(|s, key| {
                s.array(|s| {
                    seen.push(format!("{key}:{}", s.value()?));
                    Ok(())
                })
            })
        })
    })
    .unwrap();
    s.end().unwrap();
    assert_eq!(seen, ["hits:1", "hits:\"dua\"", "hits:{\"t\": [3]}", "x\\\"y=null"]);
    assert_eq!(unescaped("x\\\"y").unwrap(), "x\"y");
    assert!(matches!(unescaped("kecamatan"), Some(Cow::Borrowed("kecamatan"))));
    assert_eq!(unescaped("kec\\u0061matan").unwrap(), "kecamatan");
    assert_eq!(unescaped("bad\\x"), None);
}

#[test]
fn an_error_says_what_and_where() {
    let err = scanned(r#"{"a": [1, 2 3]}"#).unwrap_err();
    assert_eq!(err, ScanError { what: "',' atau ']' diharapkan".into(), at: 12 });
    assert_eq!(err.to_string(), "',' atau ']' diharapkan (bait ke-12)");
    let err = scanned(r#"{"a": tru}"#).unwrap_err();
    assert_eq!((err.what.as_str(), err.at), ("nilai JSON tidak sah", 6));
    let mut s = Scan::new(r#" "tujuh" "#);
    let err = s.read::<u64>("totalHits").unwrap_err();
    assert!(err.what.starts_with("totalHits: invalid type"), "{err}");
    assert_eq!(err.at, 1);
}

/// An answer with one to three of its ASCII bytes replaced by JSON's punctuation, digits or
/// letters, 20,000 times (a fixed seed): the scanner never panics, and it reads exactly what
/// serde reads, the same text, and refuses exactly what serde refuses.
#[test]
fn damaged_answers_read_as_serde_reads_them() {
    let text = serde_json::to_string(&json!({"results": [{
        "hits": [
            {"id": 1, "name": "Emping \"Melinjo\" é", "lat": -6.1, "lon": 106.25e0,
             "cert_kinds": ["pirt", "halal"], "halal": true, "brand": null, "s": [], "o": {}},
            {"id": 22, "name": "Kopi\\Robusta\n", "price": 0.5, "t": [[1, {"u": false}]]}
        ],
        "totalHits": 2, "facetDistribution": {"halal": {"true": 1, "false": 1}}
    }]}))
    .unwrap();
    let swaps = b"\"\\{}[],:0-+.eE tfnlrua1";
    let ascii: Vec<usize> =
        text.bytes().enumerate().filter(|(_, b)| b.is_ascii()).map(|(i, _)| i).collect();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let (mut read, mut refused) = (0, 0);
    for _ in 0..20_000 {
        let mut bytes = text.clone().into_bytes();
        for _ in 0..1 + next(3) {
            bytes[ascii[next(ascii.len())]] = swaps[next(swaps.len())];
        }
        let damaged = String::from_utf8(bytes).unwrap();
        let ours = scanned(&damaged).ok();
        let serde = serde_json::from_str::<&RawValue>(&damaged).ok().map(RawValue::get);
        assert_eq!(ours, serde, "{damaged}");
        if ours.is_some() { read += 1 } else { refused += 1 }
    }
    assert!(read > 500 && refused > 10_000, "read {read}, refused {refused}");
}

/// The word-at-a-time comparison of keys says what `==` says, for every length and every
/// place of a difference.
#[test]
fn keys_compare_as_slices_do() {
    for n in 0..40 {
        let a: Vec<u8> = (0..n).map(|i| b'a' + (i % 26) as u8).collect();
        assert!(super::same(&a, &a.clone()), "{n}");
        for at in 0..n {
            let mut b = a.clone();
            b[at] ^= 0x20;
            assert!(!super::same(&a, &b), "{n} {at}");
        }
    }
    assert!(!super::same(b"kecamatan_code", b"kecamatan"));
}
