//! `GET /api/openapi.json` and `GET /api/docs`: a reference page rendered on the server from
//! the same document, so it works with no internet (no Swagger UI download).

use axum::response::Html;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::Value;

use crate::html::escape;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/openapi.json", get(spec)).route("/api/docs", get(page))
}

async fn spec() -> Json<utoipa::openapi::OpenApi> {
    Json(super::openapi::document())
}

fn schema_name(v: &Value) -> String {
    if let Some(r) = v.get("$ref").and_then(Value::as_str) {
        return r.rsplit('/').next().unwrap_or(r).to_string();
    }
    if let Some(items) = v.get("items") {
        return format!("{}[]", schema_name(items));
    }
    v.get("type").map(|t| t.to_string().replace('"', "")).unwrap_or_default()
}

/// Renders the document as one HTML page: every path, its parameters, body and responses, and
/// every schema with its properties.
pub fn render(doc: &Value) -> String {
    let mut out = String::new();
    out.push_str("<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>Etalase API</title><link rel=\"stylesheet\" href=\"/assets/style.css\"><link rel=\"icon\" href=\"/assets/icon.svg\" type=\"image/svg+xml\"></head><body><main class=\"wrap\">");
    out.push_str("<h1>Etalase API</h1><p>Dokumen OpenAPI 3.1: <a href=\"/api/openapi.json\">/api/openapi.json</a>. Autentikasi: <code>Authorization: Bearer &lt;token&gt;</code> dari <code>POST /api/v1/auth/login</code>. Galat memakai <code>application/problem+json</code> (RFC 9457) dengan <code>code</code> tetap (<a href=\"/problems\">daftar kode galat</a>) dan daftar <code>errors</code> per isian.</p>");
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, ops) in paths {
            let Some(ops) = ops.as_object() else { continue };
            for (method, op) in ops {
                out.push_str(&format!(
                    "<section class=\"card\" id=\"{m}-{id}\"><h3><span class=\"badge\">{M}</span> <code>{p}</code></h3><p>{s}</p>",
                    m = escape(method),
                    id = escape(&path.replace(['/', '{', '}'], "_")),
                    M = escape(&method.to_uppercase()),
                    p = escape(path),
                    s = escape(op.get("summary").or(op.get("description")).and_then(Value::as_str).unwrap_or("")),
                ));
                if let Some(params) = op.get("parameters").and_then(Value::as_array) {
                    out.push_str("<p><b>Parameter:</b> ");
                    let list: Vec<String> = params
                        .iter()
                        .map(|p| {
                            format!(
                                "<code>{}</code> ({})",
                                escape(p.get("name").and_then(Value::as_str).unwrap_or("")),
                                escape(p.get("in").and_then(Value::as_str).unwrap_or(""))
                            )
                        })
                        .collect();
                    out.push_str(&list.join(", "));
                    out.push_str("</p>");
                }
                if let Some(body) = op.pointer("/requestBody/content").and_then(Value::as_object) {
                    for (ct, c) in body {
                        out.push_str(&format!(
                            "<p><b>Isi:</b> {} <code>{}</code></p>",
                            escape(ct),
                            escape(&schema_name(c.get("schema").unwrap_or(&Value::Null)))
                        ));
                    }
                }
                if let Some(resps) = op.get("responses").and_then(Value::as_object) {
                    let list: Vec<String> = resps
                        .iter()
                        .map(|(code, r)| {
                            let schema = r
                                .pointer("/content")
                                .and_then(Value::as_object)
                                .and_then(|c| c.values().next())
                                .and_then(|c| c.get("schema"))
                                .map(schema_name)
                                .unwrap_or_default();
                            format!("<code>{}</code> {}", escape(code), escape(&schema))
                        })
                        .collect();
                    out.push_str(&format!("<p><b>Jawaban:</b> {}</p>", list.join(" · ")));
                }
                out.push_str("</section>");
            }
        }
    }
    if let Some(schemas) = doc.pointer("/components/schemas").and_then(Value::as_object) {
        out.push_str("<h2>Skema</h2>");
        for (name, s) in schemas {
            out.push_str(&format!(
                "<section class=\"card\" id=\"schema-{n}\"><h3>{n}</h3><ul>",
                n = escape(name)
            ));
            if let Some(props) = s.get("properties").and_then(Value::as_object) {
                for (p, v) in props {
                    let desc = v.get("description").and_then(Value::as_str).unwrap_or("");
                    out.push_str(&format!(
                        "<li><code>{}</code>: {} {}</li>",
                        escape(p),
                        escape(&schema_name(v)),
                        escape(desc)
                    ));
                }
            }
            out.push_str("</ul></section>");
        }
    }
    out.push_str("</main></body></html>");
    out
}

async fn page() -> Html<String> {
    let doc = serde_json::to_value(super::openapi::document()).unwrap_or(Value::Null);
    Html(render(&doc))
}
