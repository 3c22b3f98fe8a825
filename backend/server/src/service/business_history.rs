//! The history of a business for the Dinas: every audit event about the business, its
//! products and its owner's account (reviews, approvals, rejections, identity changes,
//! disabling), newest first, with who did it (by name), when (WIB) and why.

use std::collections::HashMap;

use etalase_db::entities::producer::Model;
use etalase_db::repo::audit::{self, BusinessSubjects};
use etalase_db::repo::{Page, PageReq, products, users};
use etalase_domain::datefmt::format_datetime_wib;

use crate::error::AppResult;
use crate::state::AppState;

/// One line of the history, ready to show.
#[derive(Debug, Clone)]
pub struct HistoryEntry {
    /// "2 Desember 2026 09.15 WIB".
    pub when: String,
    /// The actor's display name ("Sistem" when no account did it).
    pub actor: String,
    /// Indonesian label of the action.
    pub action: String,
    /// What it was about: "Usaha", "Produk \"Keripik …\"" or "Akun pemilik".
    pub subject: String,
    /// The reason or detail written with the event.
    pub reason: Option<String>,
}

/// The Indonesian label of an audit action code (the code itself when unknown).
pub fn action_label(code: &str) -> String {
    let label = match code {
        "producer_register" => "Mendaftarkan usaha",
        "producer_update" => "Mengubah data usaha",
        "producer_identity_changed" => "Mengubah identitas usaha (verifikasi ulang)",
        "producer_verify" => "Memverifikasi usaha",
        "producer_reject" => "Menolak usaha",
        "product_create" => "Menambah produk",
        "product_update" => "Mengubah produk",
        "product_delete" => "Menghapus produk",
        "product_submit" => "Mengajukan produk",
        "product_publish" => "Menayangkan produk",
        "product_reject" => "Menolak produk",
        "product_archive" => "Mengarsipkan produk",
        "product_revise" => "Mengajukan perubahan produk",
        "certificate_add" => "Menambah sertifikat",
        "certificate_delete" => "Menghapus sertifikat",
        "certificate_check" => "Memeriksa sertifikat",
        "photo_add" => "Menambah foto",
        "photo_update" => "Mengubah foto",
        "photo_delete" => "Menghapus foto",
        "user_create" => "Membuat akun pemilik",
        "user_update" => "Mengubah akun pemilik",
        "user_disable" => "Menonaktifkan akun pemilik",
        "user_enable" => "Mengaktifkan kembali akun pemilik",
        "user_password" => "Mengganti kata sandi",
        other => return other.to_string(),
    };
    label.to_string()
}

/// One page of the business's history, newest first.
#[tracing::instrument(skip(state, producer), fields(producer = producer.id))]
pub async fn history(
    state: &AppState,
    producer: &Model,
    req: PageReq,
) -> AppResult<Page<HistoryEntry>> {
    let named: HashMap<i64, String> =
        products::names_of_producer(&state.db, producer.id).await?.into_iter().collect();
    let subjects = BusinessSubjects {
        producer_id: producer.id,
        product_ids: named.keys().copied().collect(),
        owner_user_id: producer.owner_user_id,
    };
    let page = audit::for_business(&state.db, &subjects, req).await?;
    let actors: Vec<i64> = page.items.iter().filter_map(|e| e.actor_user_id).collect();
    let names = users::names(&state.db, actors).await?;
    let items = page
        .items
        .iter()
        .map(|e| HistoryEntry {
            when: format_datetime_wib(e.created_at),
            actor: e
                .actor_user_id
                .and_then(|id| names.get(&id).cloned())
                .unwrap_or_else(|| "Sistem".into()),
            action: action_label(&e.action),
            subject: match e.entity.as_str() {
                "producer" => "Usaha".into(),
                "product" => match named.get(&e.entity_id) {
                    Some(n) => format!("Produk \"{n}\""),
                    None => "Produk".into(),
                },
                _ => "Akun pemilik".into(),
            },
            reason: e.detail.clone(),
        })
        .collect();
    Ok(Page { items, total: page.total, page: page.page, per_page: page.per_page })
}
