//! Assertions on responses: a status with its JSON body, and problem+json bodies (media type,
//! code, type, title, detail and per-field errors).

use reqwest::Response;
use serde_json::Value;

/// Reads a problem+json body and checks its media type.
pub async fn problem(r: Response) -> Value {
    let ct =
        r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    assert_eq!(ct, "application/problem+json", "problem media type");
    r.json().await.expect("problem json")
}

/// The field names of a 422 problem.
pub fn fields(p: &Value) -> Vec<String> {
    p["errors"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["field"].as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

/// Asserts `r` has `status`, returning its JSON body (the body is shown when it does not).
pub async fn json_ok(r: Response, status: u16) -> Value {
    let got = r.status().as_u16();
    let text = r.text().await.expect("body");
    assert_eq!(got, status, "status; body: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("JSON body ({e}): {text}"))
}

/// Asserts `r` is a problem+json with `status` and `code` (and a consistent `type`/`status`),
/// returning the problem.
pub async fn expect_problem(r: Response, status: u16, code: &str) -> Value {
    let got = r.status().as_u16();
    let ct =
        r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let text = r.text().await.expect("body");
    assert_eq!(got, status, "status; body: {text}");
    assert_eq!(ct, "application/problem+json", "problem media type; body: {text}");
    let p: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("problem JSON ({e}): {text}"));
    assert_eq!(p["code"], code, "problem code; body: {p}");
    assert_eq!(p["status"], status, "status inside the problem");
    assert_eq!(p["type"], format!("/problems/{code}"), "problem type");
    let title = etalase_server::error::ErrorCode::from_code(code).map(|c| c.title());
    assert_eq!(p["title"].as_str(), title, "problem title: the code's own, in Indonesian");
    assert!(p["detail"].as_str().is_some_and(|t| !t.is_empty()), "problem detail");
    p
}

/// Asserts `r` is a 422 naming every field of `expected` with its code; returns the problem.
pub async fn expect_invalid(r: Response, expected: &[(&str, &str)]) -> Value {
    let p = expect_problem(r, 422, "validation_failed").await;
    for (field, code) in expected {
        assert_eq!(
            field_code(&p, field).as_deref(),
            Some(*code),
            "field {field} should fail with {code}: {p}"
        );
    }
    p
}

/// The code of the first error on `field` of a 422 problem.
pub fn field_code(p: &Value, field: &str) -> Option<String> {
    p["errors"]
        .as_array()?
        .iter()
        .find(|e| e["field"] == field)
        .and_then(|e| e["code"].as_str())
        .map(str::to_string)
}

/// Asserts a 422 refusing one unknown field `name`: code `unknown_field`, the message quoting
/// it. (The exact `field` value is pinned by `validation::an_unknown_field_is_named_by_itself`.)
pub async fn expect_unknown_field(r: Response, name: &str) -> Value {
    let p = expect_problem(r, 422, "validation_failed").await;
    let errs = p["errors"].as_array().expect("errors");
    assert_eq!(errs.len(), 1, "one error: {p}");
    assert_eq!(errs[0]["code"], "unknown_field", "{p}");
    assert!(
        errs[0]["message"].as_str().unwrap_or("").contains(&format!("\"{name}\"")),
        "the message quotes {name}: {p}"
    );
    assert!(errs[0]["field"].as_str().unwrap_or("").ends_with(name), "the field names {name}: {p}");
    p
}
