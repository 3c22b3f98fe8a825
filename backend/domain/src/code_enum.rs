//! Owns the shape shared by every "code enum" of the domain: a closed set of variants, each
//! with a stable snake_case code (stored in the database and used in the API) and an
//! Indonesian label for the UI. The `code_enum!` macro generates the inherent methods
//! (`all`, `as_str`, `label`, `from_code`, `parse_field`), `FromStr`, `Display` (the code)
//! and serde (`rename_all = "snake_case"`, which equals the code) for each enum. With the
//! `sea-orm` feature it also makes each enum a typed text column (see [`sea`]): the code is
//! what is stored, and an unknown code read from a row is an error, never a default.

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

        $crate::code_enum::sea_orm_column!($name, $what);
    };
}

pub(crate) use code_enum;

/// The sea-orm impls of one code enum; each body calls the generic functions of [`sea`].
#[cfg(feature = "sea-orm")]
macro_rules! sea_orm_column {
    ($name:ident, $what:literal) => {
        impl From<$name> for sea_orm::Value {
            fn from(v: $name) -> Self {
                $crate::code_enum::sea::to_value(v)
            }
        }

        impl sea_orm::TryGetable for $name {
            fn try_get_by<I: sea_orm::ColIdx>(
                res: &sea_orm::QueryResult,
                idx: I,
            ) -> Result<Self, sea_orm::TryGetError> {
                $crate::code_enum::sea::try_get(res, idx, $what)
            }
        }

        impl sea_orm::sea_query::ValueType for $name {
            fn try_from(v: sea_orm::Value) -> Result<Self, sea_orm::sea_query::ValueTypeErr> {
                $crate::code_enum::sea::try_from_value(v)
            }
            fn type_name() -> String {
                stringify!($name).to_owned()
            }
            fn array_type() -> sea_orm::sea_query::ArrayType {
                sea_orm::sea_query::ArrayType::String
            }
            fn column_type() -> sea_orm::sea_query::ColumnType {
                $crate::code_enum::sea::column_type()
            }
        }

        impl sea_orm::sea_query::Nullable for $name {
            fn null() -> sea_orm::Value {
                sea_orm::Value::String(None)
            }
        }

        impl sea_orm::IntoActiveValue<$name> for $name {
            fn into_active_value(self) -> sea_orm::ActiveValue<$name> {
                sea_orm::ActiveValue::Set(self)
            }
        }
    };
}

/// Without the `sea-orm` feature a code enum has no storage impls.
#[cfg(not(feature = "sea-orm"))]
macro_rules! sea_orm_column {
    ($name:ident, $what:literal) => {};
}

pub(crate) use sea_orm_column;

/// A code enum as a sea-orm column: stored as its code in a text column (SQLite and
/// PostgreSQL alike, no database enum type), read back strictly.
#[cfg(feature = "sea-orm")]
pub mod sea {
    use sea_orm::sea_query::{ColumnType, StringLen, ValueType, ValueTypeErr};
    use sea_orm::{ColIdx, DbErr, QueryResult, TryGetError, TryGetable, Value};

    use super::{CodeEnum, UnknownCode};

    /// The stored value: the code.
    pub fn to_value<T: CodeEnum>(v: T) -> Value {
        Value::String(Some(v.as_str().to_owned()))
    }

    /// Reads the code of column `idx`; an unknown code is `DbErr::Type` naming the kind
    /// (`what`, e.g. "status produk") and the code. A NULL stays `TryGetError::Null`, so an
    /// `Option<T>` column reads it as `None`.
    pub fn try_get<T: CodeEnum, I: ColIdx>(
        res: &QueryResult,
        idx: I,
        what: &'static str,
    ) -> Result<T, TryGetError> {
        let code = String::try_get_by(res, idx)?;
        T::from_code(&code).ok_or_else(|| {
            TryGetError::DbErr(DbErr::Type(UnknownCode { kind: what, code }.to_string()))
        })
    }

    /// Converts a value back (used by sea-orm when it reads values it wrote itself).
    pub fn try_from_value<T: CodeEnum>(v: Value) -> Result<T, ValueTypeErr> {
        let code = <String as ValueType>::try_from(v)?;
        T::from_code(&code).ok_or(ValueTypeErr)
    }

    /// The column type: unbounded text.
    pub fn column_type() -> ColumnType {
        ColumnType::String(StringLen::None)
    }
}

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
