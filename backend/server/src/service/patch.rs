//! PATCH as a JSON merge: the current record's input form, overlaid with the fields sent, is
//! deserialised again (so unknown fields are refused) and validated whole.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::{AppError, AppResult, ErrorCode};

/// Splits the `version` out of a PATCH body and merges the rest over `current`.
pub fn merge<T: Serialize + DeserializeOwned>(current: &T, body: Value) -> AppResult<(i64, T)> {
    let Value::Object(mut changes) = body else {
        return Err(AppError::bad_request(
            ErrorCode::MalformedBody,
            "Isi permintaan harus berupa objek JSON.",
        ));
    };
    let version = match changes.remove("version") {
        Some(Value::Number(n)) => n.as_i64().ok_or_else(version_required)?,
        Some(_) => {
            return Err(AppError::field(
                "version",
                "invalid_type",
                "Versi harus berupa bilangan bulat.",
            ));
        }
        None => return Err(version_required()),
    };
    let mut base = match serde_json::to_value(current) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    for (k, v) in changes {
        base.insert(k, v);
    }
    let merged = super::input::from_value::<T>(Value::Object(base))?;
    Ok((version, merged))
}

fn version_required() -> AppError {
    AppError::field(
        "version",
        "required",
        "Versi data wajib dikirim (ambil dari data terakhir) agar perubahan orang lain tidak tertimpa.",
    )
}
