//! Owns Indonesian phone number normalisation: mobile (`0812-3456-7890`, `+62 812 …`,
//! `62812…`) and landline (`0254 123456`) numbers become `+62…` without separators.

use crate::error::FieldError;

/// Validates and normalises an Indonesian phone number to `+62…`: after the country code
/// there must be 8–13 digits starting with 8 (mobile, at least 9 digits) or with an area
/// code (2–7 or 9, e.g. 254 for Serang). Spaces, dashes, dots and brackets are ignored.
pub fn validate_phone(field: &str, input: &str) -> Result<String, FieldError> {
    let compact: String =
        input.chars().filter(|c| !matches!(c, ' ' | '\t' | '-' | '.' | '(' | ')')).collect();
    if compact.is_empty() {
        return Err(FieldError::required(field, "Nomor telepon"));
    }
    let national = if let Some(rest) = compact.strip_prefix("+62") {
        // Tolerate "+62 (0)812…".
        rest.strip_prefix('0').unwrap_or(rest)
    } else if let Some(rest) = compact.strip_prefix("62") {
        rest
    } else if let Some(rest) = compact.strip_prefix('0') {
        rest
    } else if compact.starts_with('+') {
        return Err(FieldError::new(
            field,
            "invalid_format",
            "Hanya nomor telepon Indonesia (+62) yang diterima.",
        ));
    } else {
        return Err(FieldError::new(
            field,
            "invalid_format",
            "Nomor telepon harus diawali 0, 62 atau +62, contoh 0812-3456-7890.",
        ));
    };
    if national.is_empty() || !national.bytes().all(|b| b.is_ascii_digit()) {
        return Err(FieldError::new(
            field,
            "invalid_format",
            "Nomor telepon hanya boleh berisi angka, contoh 0812-3456-7890.",
        ));
    }
    let n = national.len();
    let mobile = national.starts_with('8');
    let min = if mobile { 9 } else { 8 };
    if national.starts_with(['0', '1']) {
        return Err(FieldError::new(
            field,
            "invalid_format",
            "Nomor telepon tidak dikenal: setelah 0 harus ada nomor seluler (08…) atau kode \
             area (misalnya 0254).",
        ));
    }
    if !(min..=13).contains(&n) {
        let total = n + 1;
        return Err(FieldError::new(
            field,
            "invalid_format",
            format!(
                "Nomor telepon {} digit (termasuk 0 di depan) tidak lengkap atau terlalu \
                 panjang; nomor seluler biasanya 10–13 digit, contoh 0812-3456-7890.",
                total
            ),
        ));
    }
    Ok(format!("+62{national}"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn normalises_common_spellings() {
        for input in [
            "0812-3456-7890",
            "+62 812 3456 7890",
            "6281234567890",
            "+62 (0)812 3456 7890",
            " 0812.3456.7890 ",
        ] {
            assert_eq!(validate_phone("phone", input).unwrap(), "+6281234567890", "{input}");
        }
        assert_eq!(validate_phone("phone", "(0254) 200123").unwrap(), "+62254200123");
        assert_eq!(validate_phone("phone", "0812345678").unwrap(), "+62812345678");
    }

    #[test]
    fn rejects_bad_numbers() {
        let code = |s: &str| validate_phone("phone", s).unwrap_err().code;
        assert_eq!(code(""), "required");
        assert_eq!(code("812345678"), "invalid_format");
        assert_eq!(code("+60 12 345 6789"), "invalid_format");
        assert_eq!(code("0812-3456-78a0"), "invalid_format");
        assert_eq!(code("08123456"), "invalid_format");
        assert_eq!(code("0812345678901234"), "invalid_format");
        assert_eq!(code("0112345678"), "invalid_format");
        let e = validate_phone("contact_phone", "12345").unwrap_err();
        assert_eq!(e.field, "contact_phone");
        assert!(e.message.contains("diawali 0, 62 atau +62"));
    }
}
