//! `GET /problems` and `GET /problems/{code}`: the table of error codes that the `type` member
//! of every problem+json body points at, rendered on the server like `/api/docs` (offline, no
//! external assets). An unknown code is the usual 404 problem.

use axum::Router;
use axum::extract::Path;
use axum::response::Html;
use axum::routing::get;

use crate::error::{AppError, AppResult, ErrorCode};
use crate::html::escape;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/problems", get(table)).route("/problems/{code}", get(one))
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width,initial-scale=1\"><title>{} · Etalase API</title>\
         <link rel=\"stylesheet\" href=\"/assets/style.css\"><link rel=\"icon\" href=\"/assets/icon.svg\" type=\"image/svg+xml\"></head><body><main class=\"wrap\">\
         {body}</main></body></html>",
        escape(title)
    )
}

/// Backticked words of an explanation as `<code>`, the rest escaped.
fn with_code(text: &str) -> String {
    text.split('`')
        .enumerate()
        .map(
            |(i, part)| {
                if i % 2 == 1 { format!("<code>{}</code>", escape(part)) } else { escape(part) }
            },
        )
        .collect()
}

/// Renders the whole table.
pub fn render_table() -> String {
    let rows: String = ErrorCode::ALL
        .iter()
        .map(|c| {
            format!(
                "<tr id=\"{code}\"><td><a href=\"/problems/{code}\"><code>{code}</code></a></td>\
                 <td>{status}</td><td>{title}</td><td>{explain}</td></tr>",
                code = escape(c.as_str()),
                status = c.status().as_u16(),
                title = escape(c.title()),
                explain = with_code(c.explanation()),
            )
        })
        .collect();
    page(
        "Kode galat",
        &format!(
            "<h1>Kode galat</h1><p>Setiap galat API dijawab sebagai <code>application/problem+json\
             </code> (RFC 9457) dengan <code>code</code> tetap dari tabel ini; <code>type</code> \
             menunjuk ke <code>/problems/{{code}}</code>. Kesalahan per isian ada di daftar \
             <code>errors</code>. Lihat juga <a href=\"/api/docs\">dokumentasi API</a>.</p>\
             <table><thead><tr><th>Kode</th><th>Status</th><th>Judul</th><th>Arti</th></tr>\
             </thead><tbody>{rows}</tbody></table>"
        ),
    )
}

/// Renders the page of one code.
pub fn render_one(c: ErrorCode) -> String {
    page(
        c.title(),
        &format!(
            "<p><a href=\"/problems\">Kode galat</a></p><h1>{title}</h1><dl><dt>Kode</dt><dd>\
             <code>{code}</code></dd><dt>Status HTTP</dt><dd>{status} {reason}</dd></dl>\
             <p>{explain}</p>",
            title = escape(c.title()),
            code = escape(c.as_str()),
            status = c.status().as_u16(),
            reason = escape(c.status().canonical_reason().unwrap_or("")),
            explain = with_code(c.explanation()),
        ),
    )
}

async fn table() -> Html<String> {
    Html(render_table())
}

async fn one(Path(code): Path<String>) -> AppResult<Html<String>> {
    let c = ErrorCode::from_code(&code).ok_or(AppError::NotFound("Kode galat"))?;
    Ok(Html(render_one(c)))
}
