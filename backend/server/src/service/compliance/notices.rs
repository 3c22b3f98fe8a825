//! Notices (surat teguran): the Dinas sends one to a store that is not patuh; the text is
//! generated from a template with the store's figures and kept as sent (downloadable as PDF).
//! The chain office sees its stores' notices (`list_notices`); a store manager its own store's.

use chrono::NaiveDate;
use etalase_db::entities::{notice, store};
use etalase_db::repo::compliance as repo;
use etalase_domain::compliance::{Level, Policy, Status, evaluate};
use etalase_domain::datefmt::format_date_id;
use etalase_domain::roles::Role;
use sea_orm::{ActiveValue::NotSet, Set};

use super::detail::{agreement_facts, inspections};
use super::{NewNotice, NoticeView, policy_on, require_dinas, watched_store};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

const WHAT: &str = "Surat teguran";

/// The letterhead printed above every notice (on the preview page and in the PDF).
pub const LETTERHEAD: [&str; 3] = [
    "PEMERINTAH KOTA SERANG",
    "DINAS KOPERASI, UKM, PERINDUSTRIAN DAN PERDAGANGAN",
    "Kota Serang, Provinsi Banten",
];

/// Who receives and who signs a notice.
pub struct Parties<'a> {
    pub store: &'a store::Model,
    pub chain_name: Option<&'a str>,
    pub officer: &'a str,
}

/// The letter, from the template, with the store's figures, ending with the signature block.
pub fn notice_text(
    who: &Parties<'_>,
    p: &Policy,
    st: &Status,
    date: NaiveDate,
    note: Option<&str>,
) -> String {
    let s = who.store;
    let mut t = String::new();
    t.push_str("SURAT TEGURAN\n");
    t.push_str(&format!("Nomor: TEG/{}/{}\n", s.code, date.format("%Y%m%d")));
    t.push_str("Perihal: Kewajiban memfasilitasi pemasaran produk UMKM lokal\n\n");
    let chain = who.chain_name.map(|c| format!(" ({c})")).unwrap_or_default();
    let kec = etalase_domain::wilayah::kota_serang()
        .kecamatan_by_code(&s.kecamatan_code)
        .map(|k| format!("\nKecamatan {}, Kota Serang", k.name))
        .unwrap_or_default();
    t.push_str(&format!("Kepada Yth.\nPimpinan {}{chain}\n{}{kec}\n\n", s.name, s.address));
    t.push_str(
        "Berdasarkan Pasal 10 ayat (1) huruf b Peraturan Wali Kota Serang Nomor 74 Tahun 2023, setiap minimarket dan toko modern wajib memfasilitasi pemasaran produk lokal UMKM di gerainya berdasarkan standar produk yang telah disepakati.\n\n",
    );
    t.push_str(&format!(
        "Hasil pemantauan Dinas per {}: status gerai {}.\n",
        format_date_id(date),
        st.level.label().to_uppercase()
    ));
    t.push_str(&format!(
        "- Perjanjian penempatan aktif: {} (minimal {})\n",
        st.figures.agreements, p.min_agreements
    ));
    t.push_str(&format!(
        "- Produk lokal yang dipasarkan: {} (minimal {})\n",
        st.figures.products, p.min_products
    ));
    t.push_str(&format!(
        "- UMKM berbeda: {} (minimal {})\n",
        st.figures.producers, p.min_producers
    ));
    if st.level == Level::Berisiko {
        t.push_str(&format!(
            "- {} perjanjian berakhir dalam 30 hari dan akan membuat gerai tidak patuh.\n",
            st.ending_soon.len()
        ));
    }
    for x in &st.shortfalls {
        t.push_str(&format!("- {}\n", x.message));
    }
    t.push_str("\nKami meminta Saudara memenuhi kebijakan kepatuhan paling lambat 30 (tiga puluh) hari sejak surat ini diterima, dengan menjalin perjanjian penempatan dengan pelaku UMKM lokal melalui Etalase.\n");
    if let Some(n) = note.map(str::trim).filter(|n| !n.is_empty()) {
        t.push_str(&format!("\n{n}\n"));
    }
    t.push_str(&format!("\nSerang, {}\n", format_date_id(date)));
    t.push_str(&format!("a.n. {DINAS_HEAD}\n{OFFICER_TITLE}\n\n\n{}\n", who.officer));
    t
}

/// The signatory a Dinas officer signs on behalf of.
pub const DINAS_HEAD: &str =
    "Kepala Dinas Koperasi, UKM, Perindustrian dan Perdagangan Kota Serang";
/// The title under which the officer signs.
pub const OFFICER_TITLE: &str = "Petugas Dinas";

/// A notice as it would be sent today: the store, its chain's name, the level and the letter.
pub struct NoticeDraft {
    pub store: store::Model,
    pub chain_name: Option<String>,
    pub level: Level,
    pub status: Status,
    pub date: NaiveDate,
    pub body: String,
}

/// Checks and writes the notice without sending it (the preview shows exactly this letter).
pub async fn draft_notice(
    state: &AppState,
    user: &CurrentUser,
    input: &NewNotice,
) -> AppResult<NoticeDraft> {
    require_dinas(user)?;
    let s = watched_store(state, user, input.store_id).await?;
    let today = state.clock.today_wib();
    let (_, p) = policy_on(state, today).await?;
    let (_, ins) = inspections(state, s.id).await?;
    let st = evaluate(&p, &agreement_facts(state, s.id).await?, &ins, today);
    if st.level == Level::Patuh {
        return Err(AppError::field(
            "store_id",
            "compliant",
            "Gerai ini patuh; surat teguran hanya untuk gerai berisiko atau tidak patuh.",
        ));
    }
    if input.note.as_deref().is_some_and(|n| n.chars().count() > 2000) {
        return Err(AppError::field("note", "too_long", "Catatan paling banyak 2000 karakter."));
    }
    let chain_name = match s.chain_id {
        Some(c) => etalase_db::repo::chains::find(&state.db, c).await?.map(|c| c.name),
        None => None,
    };
    let who = Parties { store: &s, chain_name: chain_name.as_deref(), officer: &user.display_name };
    let body = notice_text(&who, &p, &st, today, input.note.as_deref());
    Ok(NoticeDraft { level: st.level, status: st, date: today, body, chain_name, store: s })
}

/// Sends a notice to a store that is berisiko or tidak patuh today (Dinas or admin).
pub async fn send_notice(
    state: &AppState,
    user: &CurrentUser,
    input: NewNotice,
) -> AppResult<NoticeView> {
    let d = draft_notice(state, user, &input).await?;
    let m = repo::insert_notice(
        &state.db,
        notice::ActiveModel {
            id: NotSet,
            store_id: Set(d.store.id),
            chain_id: Set(d.store.chain_id),
            issued_by: Set(Some(user.id)),
            issued_on: Set(d.date),
            level: Set(d.level),
            agreements: Set(d.status.figures.agreements),
            products: Set(d.status.figures.products),
            producers: Set(d.status.figures.producers),
            body: Set(d.body),
            created_at: Set(state.clock.now()),
        },
    )
    .await?;
    tracing::info!(notice = m.id, store = d.store.id, "surat teguran dikirim");
    Ok(NoticeView::from(&m))
}

/// The notices `user` may read: all (Dinas, admin), its chain's (chain office), its store's
/// (store manager); a UMKM is refused.
pub async fn list_notices(state: &AppState, user: &CurrentUser) -> AppResult<Vec<NoticeView>> {
    let rows = match user.role {
        Role::Dinas | Role::Admin => repo::notices(&state.db, None, None).await?,
        Role::Chain => match user.chain_id {
            Some(c) => repo::notices(&state.db, Some(c), None).await?,
            None => vec![],
        },
        Role::Store => match user.store_id {
            Some(s) => repo::notices(&state.db, None, Some(s)).await?,
            None => vec![],
        },
        Role::Umkm | Role::Buyer => {
            return Err(AppError::Forbidden(
                "Surat teguran hanya untuk Dinas dan pihak toko.".into(),
            ));
        }
    };
    Ok(rows.iter().map(NoticeView::from).collect())
}

/// One notice `user` may read; anyone else's is "not found".
pub async fn notice_for(state: &AppState, user: &CurrentUser, id: i64) -> AppResult<notice::Model> {
    let n = repo::find_notice(&state.db, id).await?.ok_or(AppError::NotFound(WHAT))?;
    let ok = match user.role {
        Role::Dinas | Role::Admin => true,
        Role::Chain => user.chain_id.is_some() && user.chain_id == n.chain_id,
        Role::Store => user.store_id == Some(n.store_id),
        Role::Umkm | Role::Buyer => false,
    };
    if ok { Ok(n) } else { Err(AppError::NotFound(WHAT)) }
}
