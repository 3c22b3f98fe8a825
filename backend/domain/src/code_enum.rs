//! Owns the shape shared by every "code enum" of the domain: a closed set of variants, each
//! with a stable snake_case code (stored in the database and used in the API) and an
//! Indonesian label for the UI. The `code_enum!` macro generates the inherent methods
//! (`all`, `as_str`, `label`, `from_code`, `parse_field`), `FromStr`, `Display` (the code)
//! and serde (`rename_all = "snake_case"`, which equals the code) for each enum.

use crate::error::FieldError;

/// Generic access to a code enum, for code that renders any of them (select boxes, filters).
pub trait CodeEnum: Sized + Copy + 'static {
    /// Every variant, in display order.
    fn all() -> &'static [Self];
    /// The stable snake_case code.
    fn as_str(&self) -> &'static str;
    /// The Indonesian label shown to users.
    fn label(&self) -> &'static str;
    /// The variant with this exact code.
    fn from_code(code: &str) -> Option<Self> {
        Self::all().iter().copied().find(|v| v.as_str() == code)
    }
}

/// Error of `FromStr` for code enums: the text is not one of the codes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("kode {kind} tidak dikenal: \"{code}\"")]
pub struct UnknownCode {
    /// What was being parsed, in Indonesian (e.g. "peran").
    pub kind: &'static str,
    /// The rejected text.
    pub code: String,
}

/// Parses a form value into a code enum, reporting `invalid_choice` on `field`.
/// Surrounding whitespace is ignored; the comparison is case-insensitive.
pub fn parse_choice<T: CodeEnum>(field: &str, what: &str, input: &str) -> Result<T, FieldError> {
    let code = input.trim().to_ascii_lowercase();
    if code.is_empty() {
        return Err(FieldError::new(
            field,
            "required",
            format!("{} wajib dipilih.", capitalize(what)),
        ));
    }
    T::from_code(&code).ok_or_else(|| {
        let options: Vec<&str> = T::all().iter().map(|v| v.label()).collect();
        FieldError::new(
            field,
            "invalid_choice",
            format!(
                "Pilihan {} \"{}\" tidak dikenal. Pilih salah satu: {}.",
                what,
                input.trim(),
                options.join(", ")
            ),
        )
    })
}

/// First letter upper-cased ("peran" → "Peran").
pub(crate) fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Declares a code enum. Syntax:
/// `code_enum! { /// doc
///   pub enum Name : "apa (Indonesian noun)" { Variant => ("code", "Label"), ... } }`
/// The code must equal the snake_case spelling of the variant (checked by the unit tests of
/// each enum through `assert_serde_codes`).
macro_rules! code_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident : $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident => ($code:literal, $label:literal) ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[derive(serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every variant, in display order (for forms and filters).
            pub const ALL: &'static [$name] = &[ $( $name::$variant, )+ ];

            /// Every variant, in display order (for forms and filters).
            pub fn all() -> &'static [$name] {
                Self::ALL
            }

            /// The stable snake_case code used in the database and the API.
            pub fn as_str(self) -> &'static str {
                match self { $( $name::$variant => $code, )+ }
            }

            /// The Indonesian label shown to users.
            pub fn label(self) -> &'static str {
                match self { $( $name::$variant => $label, )+ }
            }

            /// The variant with this exact code, if any.
            pub fn from_code(code: &str) -> Option<$name> {
                match code { $( $code => Some($name::$variant), )+ _ => None }
            }

            /// Parses a form value (code, case-insensitive, trimmed) reporting a
            /// `FieldError` on `field` (`required` or `invalid_choice`).
            pub fn parse_field(field: &str, input: &str)
                -> Result<$name, $crate::error::FieldError>
            {
                $crate::code_enum::parse_choice::<$name>(field, $what, input)
            }
        }

        impl $crate::code_enum::CodeEnum for $name {
            fn all() -> &'static [Self] { Self::ALL }
            fn as_str(&self) -> &'static str { $name::as_str(*self) }
            fn label(&self) -> &'static str { $name::label(*self) }
            fn from_code(code: &str) -> Option<Self> { $name::from_code(code) }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::code_enum::UnknownCode;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::from_code(s).ok_or_else(|| $crate::code_enum::UnknownCode {
                    kind: $what,
                    code: s.to_string(),
                })
            }
        }

        /// Displays the code (round-trips with `FromStr`); use `label()` for the UI.
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use code_enum;

/// Test helper: serde, `as_str`, `FromStr` and `from_code` agree for every variant, codes are
/// unique and labels are non-empty.
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
pub(crate) fn assert_serde_codes<T>()
where
    T: CodeEnum + serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
    T: std::str::FromStr + std::fmt::Display,
    <T as std::str::FromStr>::Err: std::fmt::Debug,
{
    let mut seen = std::collections::HashSet::new();
    for v in T::all() {
        let json = serde_json::to_string(v).unwrap();
        assert_eq!(json, format!("\"{}\"", v.as_str()));
        let back: T = serde_json::from_str(&json).unwrap();
        assert_eq!(&back, v);
        assert_eq!(&v.as_str().parse::<T>().unwrap(), v);
        assert_eq!(v.to_string(), v.as_str());
        assert!(!v.label().is_empty());
        assert!(seen.insert(v.as_str()), "kode ganda {}", v.as_str());
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use crate::roles::Role;

    #[test]
    fn parse_field_is_lenient_on_case_and_space_and_explains_choices() {
        assert_eq!(Role::parse_field("role", "  UMKM ").unwrap(), Role::Umkm);
        let err = Role::parse_field("role", "kasir").unwrap_err();
        assert_eq!(err.field, "role");
        assert_eq!(err.code, "invalid_choice");
        assert!(err.message.contains("\"kasir\""), "{}", err.message);
        assert!(err.message.contains("Pelaku UMKM"), "{}", err.message);
        assert_eq!(Role::parse_field("role", " ").unwrap_err().code, "required");
    }

    #[test]
    fn from_str_error_names_the_code() {
        let err = "boss".parse::<Role>().unwrap_err();
        assert_eq!(err.code, "boss");
        assert_eq!(err.to_string(), "kode peran tidak dikenal: \"boss\"");
    }
}
