//! The local e-katalog export (Perwal 74/2023 Pasal 10(1)(f)): every product of a business
//! that is not rejected and not archived is either a row in the shape of the national
//! e-katalog's local catalogue (name, specification, unit, price, domestic-product/TKDN flag,
//! seller NIB, kelurahan, photos, certificates) or a product that cannot be exported yet, with
//! every reason (`etalase_domain::ekatalog`), so the Dinas knows whom to help with what. CSV
//! (UTF-8 with BOM) and XLSX (two sheets: the rows, and what is still missing). Dinas and
//! admins only.

use std::collections::HashMap;

use etalase_db::entities::{certificate, photo, producer, product};
use etalase_db::repo::{certificates, photos, producers};
use etalase_domain::category_by_slug;
use etalase_domain::certificate::label_with_number;
use etalase_domain::datefmt::format_date_id;
use etalase_domain::ekatalog::{EkatalogCandidate, blockers};
use etalase_domain::lifecycle::ListingStatus;
use etalase_domain::producer::ProducerStatus;
use rust_xlsxwriter::Workbook;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::download::{CSV, XLSX, attachment};
use crate::error::{AppError, AppResult};
use crate::service::catalog::views::{PhotoView, ProducerView};
use crate::service::compliance::export::{csv_field, neutralise};
use crate::service::compliance::require_dinas;
use crate::state::AppState;

/// What the export says of every product: a local UMKM product of Kota Serang.
pub const DOMESTIC_PRODUCT: &str = "Ya";
pub const TKDN_NOTE: &str = "Produk dalam negeri — UMKM lokal Kota Serang";

/// One product as the local e-katalog lists it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EkatalogRow {
    pub product_id: i64,
    /// `ETL-<id>`: the seller's own product code.
    pub kode_produk: String,
    pub nama_produk: String,
    pub kategori: String,
    pub spesifikasi: String,
    /// Sold per package of the net content, e.g. "kemasan 250 g".
    pub satuan: String,
    /// Rupiah per unit.
    pub harga_satuan: i64,
    pub harga_grosir: Option<i64>,
    pub minimal_pesanan: Option<i64>,
    pub kapasitas_per_bulan: Option<i64>,
    pub produk_dalam_negeri: String,
    pub tkdn: String,
    pub nib_penyedia: String,
    pub nama_penyedia: String,
    pub kecamatan: String,
    pub kelurahan: String,
    /// Photo addresses (800 px JPEG), primary first.
    pub foto: Vec<String>,
    /// Certificates that count, e.g. "P-IRT (SPP-IRT) 2063671010123-29, berlaku s.d. 1 Januari 2029".
    pub sertifikat: Vec<String>,
}

/// A reason a product is not exported yet.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EkatalogReason {
    pub code: String,
    pub message: String,
}

/// A product that cannot be exported yet, and why.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EkatalogBlocked {
    pub product_id: i64,
    pub nama_produk: String,
    pub producer_id: i64,
    pub nama_penyedia: String,
    pub status_label: String,
    pub reasons: Vec<EkatalogReason>,
}

/// The whole export.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EkatalogView {
    pub rows: Vec<EkatalogRow>,
    pub blocked: Vec<EkatalogBlocked>,
}

/// Builds the export; `origin` (e.g. `https://etalase.serangkota.go.id`) makes photo
/// addresses absolute.
pub async fn build(state: &AppState, user: &CurrentUser, origin: &str) -> AppResult<EkatalogView> {
    require_dinas(user)?;
    let items = product::Entity::find()
        .filter(product::Column::Status.ne(ListingStatus::Archived))
        .order_by_asc(product::Column::Id)
        .all(&state.db)
        .await?;
    let mut producer_ids: Vec<i64> = items.iter().map(|p| p.producer_id).collect();
    producer_ids.sort_unstable();
    producer_ids.dedup();
    let prods: HashMap<i64, producer::Model> = producers::find_many(&state.db, producer_ids)
        .await?
        .into_iter()
        .filter(|p| p.status != ProducerStatus::Rejected)
        .map(|p| (p.id, p))
        .collect();
    let ids: Vec<i64> = items.iter().map(|p| p.id).collect();
    let mut pics: HashMap<i64, Vec<photo::Model>> = HashMap::new();
    for p in photos::for_products(&state.db, ids.clone()).await? {
        pics.entry(p.product_id).or_default().push(p);
    }
    let mut certs: HashMap<i64, Vec<certificate::Model>> = HashMap::new();
    for c in certificates::for_products(&state.db, ids).await? {
        certs.entry(c.product_id).or_default().push(c);
    }
    let today = state.clock.today_wib();
    let mut view = EkatalogView { rows: Vec::new(), blocked: Vec::new() };
    for p in &items {
        let Some(pr) = prods.get(&p.producer_id) else { continue };
        let mut product_pics = pics.remove(&p.id).unwrap_or_default();
        product_pics.sort_by_key(|x| (!x.is_primary, x.position));
        let product_certs = certs.remove(&p.id).unwrap_or_default();
        let candidate = EkatalogCandidate {
            published: p.status == ListingStatus::Published,
            producer_verified: pr.status == ProducerStatus::Verified,
            retail_price: p.retail_price,
            has_net_content: p.net_content.is_some() && p.net_unit.is_some(),
            photos: product_pics.len(),
            food: category_by_slug(&p.category).is_none_or(|c| c.food),
            certificates: product_certs
                .iter()
                .map(|c| (c.kind, c.counts(), c.expires_on))
                .collect(),
        };
        let missing = blockers(&candidate, today);
        let producer = ProducerView::from(pr);
        if missing.is_empty() {
            view.rows.push(row(p, &producer, &product_pics, &product_certs, today, origin));
        } else {
            view.blocked.push(EkatalogBlocked {
                product_id: p.id,
                nama_produk: p.name.clone(),
                producer_id: pr.id,
                nama_penyedia: pr.name.clone(),
                status_label: p.status.label().to_string(),
                reasons: missing
                    .iter()
                    .map(|b| EkatalogReason {
                        code: b.code().to_string(),
                        message: b.message().to_string(),
                    })
                    .collect(),
            });
        }
    }
    Ok(view)
}

fn row(
    p: &product::Model,
    producer: &ProducerView,
    pics: &[photo::Model],
    certs: &[certificate::Model],
    today: chrono::NaiveDate,
    origin: &str,
) -> EkatalogRow {
    let content = match (p.net_content, p.net_unit) {
        (Some(n), Some(u)) => format!("{n} {}", u.symbol()),
        _ => String::new(),
    };
    let mut spec = vec![p.description.trim().to_string(), format!("Isi bersih {content}")];
    if let Some(pack) = p.packaging {
        spec.push(format!("Kemasan: {}", pack.label()));
    }
    if let Some(days) = p.shelf_life_days {
        spec.push(format!("Masa simpan {days} hari"));
    }
    spec.push(format!("Penyimpanan: {}", p.storage.label()));
    let sertifikat = certs
        .iter()
        .filter(|c| c.counts() && etalase_domain::validity_on(c.expires_on, today).is_valid())
        .map(|c| {
            let label = label_with_number(c.kind.label(), &c.number);
            match c.expires_on {
                Some(d) => format!("{label}, berlaku s.d. {}", format_date_id(d)),
                None => label,
            }
        })
        .collect();
    EkatalogRow {
        product_id: p.id,
        kode_produk: format!("ETL-{}", p.id),
        nama_produk: p.name.clone(),
        kategori: category_by_slug(&p.category).map(|c| c.name.clone()).unwrap_or_default(),
        spesifikasi: spec.into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join("; "),
        satuan: format!("kemasan {content}"),
        harga_satuan: p.retail_price.unwrap_or_default(),
        harga_grosir: p.wholesale_price,
        minimal_pesanan: p.min_order,
        kapasitas_per_bulan: p.monthly_capacity,
        produk_dalam_negeri: DOMESTIC_PRODUCT.into(),
        tkdn: TKDN_NOTE.into(),
        nib_penyedia: producer.nib.clone().unwrap_or_default(),
        nama_penyedia: producer.name.clone(),
        kecamatan: producer.kecamatan.clone(),
        kelurahan: producer.kelurahan.clone(),
        foto: pics.iter().map(|x| format!("{origin}{}", PhotoView::from(x).src)).collect(),
        sertifikat,
    }
}

/// Column headers of the export, in order.
pub const HEADERS: [&str; 18] = [
    "kode_produk",
    "nama_produk",
    "kategori",
    "spesifikasi",
    "satuan",
    "harga_satuan",
    "harga_grosir",
    "minimal_pesanan",
    "kapasitas_per_bulan",
    "produk_dalam_negeri",
    "tkdn",
    "nib_penyedia",
    "nama_penyedia",
    "kecamatan",
    "kelurahan",
    "foto_utama",
    "foto_lain",
    "sertifikat",
];

fn opt(v: Option<i64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// One row's cells, as text.
pub fn cells(r: &EkatalogRow) -> [String; 18] {
    [
        r.kode_produk.clone(),
        r.nama_produk.clone(),
        r.kategori.clone(),
        r.spesifikasi.clone(),
        r.satuan.clone(),
        r.harga_satuan.to_string(),
        opt(r.harga_grosir),
        opt(r.minimal_pesanan),
        opt(r.kapasitas_per_bulan),
        r.produk_dalam_negeri.clone(),
        r.tkdn.clone(),
        r.nib_penyedia.clone(),
        r.nama_penyedia.clone(),
        r.kecamatan.clone(),
        r.kelurahan.clone(),
        r.foto.first().cloned().unwrap_or_default(),
        r.foto.iter().skip(1).cloned().collect::<Vec<_>>().join(" "),
        r.sertifikat.join("; "),
    ]
}

/// The rows as CSV (UTF-8 with BOM, CRLF; text that would run as a formula neutralised).
pub fn csv(rows: &[EkatalogRow]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&HEADERS.join(","));
    out.push_str("\r\n");
    for r in rows {
        let line: Vec<String> = cells(r).iter().map(|c| csv_field(&neutralise(c))).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// The rows and the products still missing something, as an XLSX workbook.
pub fn xlsx(view: &EkatalogView) -> AppResult<Vec<u8>> {
    let err = |e: rust_xlsxwriter::XlsxError| AppError::Internal(anyhow::anyhow!("xlsx: {e}"));
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("E-Katalog Lokal").map_err(err)?;
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string(0, c as u16, *h).map_err(err)?;
    }
    for (i, r) in view.rows.iter().enumerate() {
        let row = (i + 1) as u32;
        for (c, text) in cells(r).iter().enumerate() {
            if (5..=8).contains(&c) && !text.is_empty() {
                let n: f64 = text.parse().unwrap_or_default();
                ws.write_number(row, c as u16, n).map_err(err)?;
            } else {
                ws.write_string(row, c as u16, text).map_err(err)?;
            }
        }
    }
    let ws = wb.add_worksheet();
    ws.set_name("Belum bisa diekspor").map_err(err)?;
    for (c, h) in
        ["id_produk", "nama_produk", "nama_penyedia", "status", "yang_kurang"].iter().enumerate()
    {
        ws.write_string(0, c as u16, *h).map_err(err)?;
    }
    for (i, b) in view.blocked.iter().enumerate() {
        let row = (i + 1) as u32;
        ws.write_number(row, 0, b.product_id as f64).map_err(err)?;
        ws.write_string(row, 1, &b.nama_produk).map_err(err)?;
        ws.write_string(row, 2, &b.nama_penyedia).map_err(err)?;
        ws.write_string(row, 3, &b.status_label).map_err(err)?;
        let reasons: Vec<&str> = b.reasons.iter().map(|r| r.message.as_str()).collect();
        ws.write_string(row, 4, reasons.join(" ")).map_err(err)?;
    }
    wb.save_to_buffer().map_err(err)
}

/// `scheme://host` of the request (`X-Forwarded-Proto` when a proxy says https; `Host` only
/// when it is a plain host name and port), so photo addresses in a file work outside the
/// site; empty (relative addresses) when the request does not say.
pub fn origin(headers: &axum::http::HeaderMap) -> String {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    let host = get("host").filter(|h| {
        !h.is_empty() && h.bytes().all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
    });
    let scheme = match get("x-forwarded-proto") {
        Some("https") => "https",
        _ => "http",
    };
    host.map(|h| format!("{scheme}://{h}")).unwrap_or_default()
}

/// The two files of the export.
#[derive(Debug, Clone, Copy)]
pub enum Format {
    /// The ready products.
    Csv,
    /// The ready products and what the others lack.
    Xlsx,
}

/// The export as a download (`e-katalog-lokal-<date>.csv|xlsx`), for the API and the page.
pub async fn download(
    state: &AppState,
    user: &CurrentUser,
    headers: &axum::http::HeaderMap,
    format: Format,
) -> AppResult<axum::response::Response> {
    let view = build(state, user, &origin(headers)).await?;
    let date = state.clock.today_wib();
    Ok(match format {
        Format::Csv => {
            attachment(CSV, format!("e-katalog-lokal-{date}.csv"), csv(&view.rows).into_bytes())
        }
        Format::Xlsx => attachment(XLSX, format!("e-katalog-lokal-{date}.xlsx"), xlsx(&view)?),
    })
}
