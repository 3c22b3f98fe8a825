//! Product lists: each row's business (by NIB or `id_eksternal`, already in the database), the
//! product it updates (by `kode_produk`, else by name within the business), and writing them
//! through one `ListingChange` (products, certificates, outbox rows and audit commit
//! together). New products are drafts; a product under review or published is not changed by
//! an import (its owner asks for a change first), though certificates may be added to it.
//! Added certificates wait for the Dinas' check like uploaded ones.

use std::collections::HashMap;

use etalase_db::entities::{certificate, product};
use etalase_db::repo::{certificates, producers, products};
use etalase_domain::ListingStatus;
use etalase_domain::certificate::ValidCertificate;
use etalase_domain::import::RowError;
use etalase_domain::import::names::normalize;
use etalase_domain::import::product::{ProductRow, product_rows};
use etalase_domain::producer::ProducerStatus;
use etalase_domain::product::ValidProduct;
use sea_orm::{ActiveValue::NotSet, EntityTrait, Set};

use super::written::{AuditLog, update_as_previewed};
use super::{Now, Plan, PreviewRow, Progress, RowAction};
use crate::error::AppResult;
use crate::service::catalog::change::ListingChange;
use crate::service::retail::sheet::Row;
use crate::state::AppState;

/// A row, its business's id, the product it updates and the certificates to add.
pub(crate) struct Planned {
    row: ProductRow,
    producer_id: i64,
    found: Option<product::Model>,
    new_certificates: Vec<ValidCertificate>,
}

fn changes(m: &product::Model, v: &ValidProduct, external_id: &Option<String>) -> Vec<String> {
    let mut out = Vec::new();
    let mut diff = |changed: bool, what: &str| {
        if changed {
            out.push(what.to_string());
        }
    };
    diff(v.name != m.name, "nama");
    diff(v.category.slug != m.category, "kategori");
    diff(v.description != m.description, "deskripsi");
    diff(v.brand != m.brand, "merek");
    diff(v.gtin.as_ref().map(|g| g.as_str()) != m.gtin.as_deref(), "GTIN");
    diff(v.net_content != m.net_content || v.net_unit != m.net_unit, "isi bersih");
    diff(v.pack_size != m.pack_size, "isi per kemasan");
    diff(v.packaging != m.packaging, "kemasan");
    diff(v.shelf_life_days != m.shelf_life_days, "umur simpan");
    diff(v.storage != m.storage, "penyimpanan");
    diff(v.wholesale_price.map(|r| r.value()) != m.wholesale_price, "harga grosir");
    diff(v.retail_price.map(|r| r.value()) != m.retail_price, "harga eceran");
    diff(v.min_order != m.min_order, "minimal pesanan");
    diff(v.monthly_capacity != m.monthly_capacity, "kapasitas per bulan");
    diff(external_id.is_some() && *external_id != m.external_id, "kode produk");
    out
}

pub(crate) async fn plan(state: &AppState, rows: &[Row]) -> AppResult<Plan<Planned>> {
    let (good, mut errors) = product_rows(rows);
    let mut refs: Vec<String> = good.iter().map(|r| r.business.clone()).collect();
    refs.sort();
    refs.dedup();
    let businesses = producers::find_by_keys(&state.db, &refs, &refs).await?;
    let mut by_ref: HashMap<&str, &etalase_db::entities::producer::Model> = HashMap::new();
    for b in &businesses {
        if let Some(e) = b.external_id.as_deref() {
            by_ref.insert(e, b);
        }
        if let Some(n) = b.nib.as_deref() {
            by_ref.insert(n, b);
        }
    }
    let ids: Vec<i64> = businesses.iter().map(|b| b.id).collect();
    let existing = products::of_producers(&state.db, &ids).await?;
    let mut by_code: HashMap<(i64, &str), &product::Model> = HashMap::new();
    let mut by_name: HashMap<(i64, String), Vec<&product::Model>> = HashMap::new();
    for p in existing.iter().filter(|p| p.status != ListingStatus::Archived) {
        if let Some(e) = p.external_id.as_deref() {
            by_code.insert((p.producer_id, e), p);
        }
        by_name.entry((p.producer_id, normalize(&p.name))).or_default().push(p);
    }
    let certs =
        certificates::for_products(&state.db, existing.iter().map(|p| p.id).collect()).await?;
    let mut held: HashMap<i64, Vec<&certificate::Model>> = HashMap::new();
    for c in &certs {
        held.entry(c.product_id).or_default().push(c);
    }
    let mut planned = Vec::with_capacity(good.len());
    for row in good {
        let Some(business) = by_ref.get(row.business.as_str()).copied() else {
            errors.push(RowError::new(row.line, "usaha", "unknown_business", format!(
                "Usaha \"{}\" belum ada di Etalase (dicari sebagai NIB dan sebagai id_eksternal): impor daftar usahanya dulu.",
                row.business
            )));
            continue;
        };
        if business.status == ProducerStatus::Rejected {
            errors.push(RowError::new(
                row.line,
                "usaha",
                "rejected_business",
                format!("Usaha \"{}\" ditolak Dinas: produknya tidak bisa diimpor.", business.name),
            ));
            continue;
        }
        let found = match &row.external_id {
            Some(code) => by_code.get(&(business.id, code.as_str())).map(|p| (*p).clone()),
            None => {
                match by_name.get(&(business.id, normalize(&row.product.name))).map(Vec::as_slice) {
                    None | Some([]) => None,
                    Some([one]) => Some((*one).clone()),
                    Some(_) => {
                        errors.push(RowError::new(row.line, "nama_produk", "ambiguous_product", format!(
                        "Usaha \"{}\" punya beberapa produk bernama \"{}\": isi kode_produk.",
                        business.name, row.product.name
                    )));
                        continue;
                    }
                }
            }
        };
        let have: Vec<(String, String)> =
            found.as_ref().and_then(|p| held.get(&p.id)).map_or(vec![], |cs| {
                cs.iter().map(|c| (c.kind.as_str().to_string(), c.number.clone())).collect()
            });
        let new_certificates: Vec<ValidCertificate> = row
            .certificates
            .iter()
            .filter(|c| !have.contains(&(c.kind.as_str().to_string(), c.number.clone())))
            .cloned()
            .collect();
        let mut changed =
            found.as_ref().map_or(vec![], |p| changes(p, &row.product, &row.external_id));
        if let Some(p) = &found
            && !changed.is_empty()
            && !p.status.is_editable()
        {
            errors.push(RowError::new(row.line, "row", "not_editable", format!(
                "Produk \"{}\" berstatus {}: tidak diubah lewat impor ({}). Pemilik memilih \"Ajukan perubahan\" dulu.",
                p.name,
                p.status.label(),
                changed.join(", ")
            )));
            continue;
        }
        changed.extend(
            new_certificates.iter().map(|c| format!("sertifikat {} {}", c.kind.label(), c.number)),
        );
        let action = match (&found, changed.is_empty()) {
            (None, _) => RowAction::New,
            (Some(_), true) => RowAction::Same,
            (Some(_), false) => RowAction::Update,
        };
        let who = (row.line, format!("{} · {}", row.business, row.key()), row.product.name.clone());
        let note = Some(format!("Usaha: {}", business.name));
        let view = PreviewRow::new(who, action, changed, &row.matched, note);
        planned.push((view, Planned { row, producer_id: business.id, found, new_certificates }));
    }
    Ok(Plan { total_rows: rows.len().saturating_sub(1), rows: planned, errors })
}

fn apply(am: &mut product::ActiveModel, v: &ValidProduct, external_id: &Option<String>, now: Now) {
    crate::service::catalog::products::apply(am, v, now);
    if external_id.is_some() {
        am.external_id = Set(external_id.clone());
    }
}

/// Writes a clean plan in one transaction (see the module's doc).
pub(crate) async fn write(
    state: &AppState,
    actor: i64,
    plan: Plan<Planned>,
    progress: &dyn Progress,
) -> AppResult<()> {
    let mut change = ListingChange::begin(state).await?;
    let now = change.now();
    let mut audits = AuditLog::new(actor, "product", now);
    let mut new_certs = Vec::new();
    progress.stage("menyimpan", plan.rows.len());
    for (view, p) in &plan.rows {
        let id = match (view.action, &p.found) {
            (RowAction::New, _) => {
                let mut am = product::ActiveModel {
                    id: NotSet,
                    producer_id: Set(p.producer_id),
                    status: Set(ListingStatus::Draft),
                    status_reason: Set(None),
                    version: Set(1),
                    created_at: Set(now),
                    updated_at: Set(now),
                    submitted_at: Set(None),
                    published_at: Set(None),
                    external_id: Set(None),
                    ..Default::default()
                };
                apply(&mut am, &p.row.product, &p.row.external_id, now);
                let m = products::insert(change.db(), am).await?;
                audits.record("product_import", m.id, p.row.line, "draf baru");
                m.id
            }
            (RowAction::Update, Some(m)) => {
                let mut am = product::ActiveModel {
                    version: Set(m.version + 1),
                    updated_at: Set(now),
                    ..Default::default()
                };
                apply(&mut am, &p.row.product, &p.row.external_id, now);
                update_as_previewed(change.db(), m.id, m.version, am).await?;
                let what = view.changes.join(", ");
                audits.record("product_import_update", m.id, p.row.line, &what);
                m.id
            }
            _ => {
                progress.advance(1);
                continue;
            }
        };
        for c in &p.new_certificates {
            new_certs.push(certificate::ActiveModel {
                id: NotSet,
                product_id: Set(id),
                kind: Set(c.kind),
                number: Set(c.number.clone()),
                issuer: Set(c.issuer.clone()),
                issued_on: Set(c.issued_on),
                expires_on: Set(c.expires_on),
                document_key: Set(None),
                document_type: Set(None),
                document_name: Set(None),
                created_at: Set(now),
                checked_by: Set(None),
                checked_at: Set(None),
            });
        }
        change.touch([id]);
        progress.advance(1);
    }
    for chunk in new_certs.chunks(500) {
        certificate::Entity::insert_many(chunk.to_vec()).exec(change.db()).await?;
    }
    audits.save(change.db()).await?;
    change.commit().await
}
