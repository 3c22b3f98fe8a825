//! Turning untyped JSON into typed input, naming the offending field in Indonesian on failure
//! (422 with the field, a code and a message). Shared by the API's body extractors and the
//! PATCH merge of `service::patch`.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::AppError;

/// Turns a serde message into (field, code, Indonesian message).
pub fn describe(path: &str, msg: &str) -> (String, &'static str, String) {
    let quoted = |m: &str| m.split('`').nth(1).map(str::to_string);
    if msg.starts_with("unknown field") {
        let f = quoted(msg).unwrap_or_else(|| path.to_string());
        // serde_path_to_error's path already ends with the unknown field's name.
        let field = if path.is_empty() || path == "." {
            f.clone()
        } else if path == f || path.ends_with(&format!(".{f}")) {
            path.to_string()
        } else {
            format!("{path}.{f}")
        };
        return (field, "unknown_field", format!("Isian \"{f}\" tidak dikenal."));
    }
    if msg.starts_with("missing field") {
        let f = quoted(msg).unwrap_or_else(|| path.to_string());
        return (f.clone(), "required", format!("Isian \"{f}\" wajib ada."));
    }
    if msg.starts_with("duplicate field") {
        let f = quoted(msg).unwrap_or_else(|| path.to_string());
        return (f.clone(), "duplicate", format!("Isian \"{f}\" diberikan lebih dari sekali."));
    }
    let field = if path.is_empty() || path == "." { "body".to_string() } else { path.to_string() };
    let what = kind_in_indonesian(msg).unwrap_or("berisi nilai yang tidak sah");
    (field.clone(), "invalid_type", format!("Isian \"{field}\" {what}."))
}

/// What a value of the wrong kind should have been, from serde's (JSON) or the standard
/// library's (query string) English message; `None` when the message says nothing known.
fn kind_in_indonesian(msg: &str) -> Option<&'static str> {
    let number = ["invalid digit", "number too large", "number too small", "invalid float"];
    Some(if number.iter().any(|m| msg.contains(m)) {
        "harus berupa angka"
    } else if msg.contains("expected i64")
        || msg.contains("expected u64")
        || msg.contains("integer")
    {
        "harus berupa bilangan bulat"
    } else if msg.contains("expected f64") || msg.contains("floating") {
        "harus berupa angka"
    } else if msg.contains("`true` or `false`") || msg.contains("boolean") {
        "harus berupa true/false"
    } else if msg.contains("a string") {
        "harus berupa teks"
    } else if msg.contains("date")
        || msg.contains("premature end")
        || msg.contains("input contains invalid characters")
    {
        "harus berupa tanggal dengan format TTTT-BB-HH"
    } else {
        return None;
    })
}

/// A query parameter's parse error in Indonesian: an unknown choice lists the choices, a value
/// of the wrong kind says what it should be, and the project's own (already Indonesian)
/// messages pass as they are.
pub fn query_message(msg: &str) -> String {
    if msg.starts_with("unknown variant") {
        let quoted: Vec<&str> = msg.split('`').skip(1).step_by(2).collect();
        let (value, choices) = quoted.split_first().map_or(("", &[][..]), |(v, c)| (*v, c));
        return format!("nilai \"{value}\" tidak dikenal (pilihan: {})", choices.join(", "));
    }
    match kind_in_indonesian(msg) {
        Some(what) => what.to_string(),
        None => msg.split(", expected").next().unwrap_or(msg).to_string(),
    }
}

/// Deserialises a JSON value, naming the offending field on failure (422).
pub fn from_value<T: DeserializeOwned>(v: Value) -> Result<T, AppError> {
    serde_path_to_error::deserialize(v).map_err(|e| {
        let path = e.path().to_string();
        let (field, code, message) = describe(&path, &e.inner().to_string());
        AppError::field(&field, code, message)
    })
}

/// Highest page number a list answers (far past any real list; bounds the offset arithmetic).
pub const MAX_PAGE: u64 = 100_000;

/// `?page=`: a whole number from 1 to `MAX_PAGE`, refused otherwise with the parameter named.
pub fn page_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    use serde::Deserialize as _;
    let v = Option::<u64>::deserialize(d)?;
    match v {
        Some(p) if !(1..=MAX_PAGE).contains(&p) => {
            Err(serde::de::Error::custom(format!("halaman harus 1 sampai {MAX_PAGE}")))
        }
        v => Ok(v),
    }
}

/// `?date=`: a calendar date between 2000 and 2100 (the years the service deals in).
pub fn plain_date<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<chrono::NaiveDate>, D::Error> {
    use chrono::Datelike as _;
    use serde::Deserialize as _;
    let v = Option::<chrono::NaiveDate>::deserialize(d)?;
    match v {
        Some(date) if !(2000..=2100).contains(&date.year()) => {
            Err(serde::de::Error::custom("tanggal harus antara tahun 2000 dan 2100"))
        }
        v => Ok(v),
    }
}

#[cfg(test)]
mod tests {
    use super::query_message;

    #[test]
    fn query_parse_errors_read_in_indonesian() {
        assert_eq!(
            query_message("unknown variant `termurah`, expected one of `relevance`, `newest`"),
            "nilai \"termurah\" tidak dikenal (pilihan: relevance, newest)"
        );
        assert_eq!(query_message("invalid digit found in string"), "harus berupa angka");
        assert_eq!(
            query_message("provided string was not `true` or `false`"),
            "harus berupa true/false"
        );
        // The project's own messages pass as they are.
        assert_eq!(query_message("halaman harus 1 sampai 100000"), "halaman harus 1 sampai 100000");
    }
}
