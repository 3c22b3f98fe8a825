//! The certificate and photo forms on a product's edit page: add a certificate with its
//! document (`/sertifikat`) or remove one, upload photos (`/foto`), and change one photo
//! (primary, order, alt text, delete). A refusal shows the edit page with the message.

use axum::extract::State;
use axum::http::HeaderMap;
use etalase_domain::certificate::CertificateInput;
use etalase_domain::error::{FieldError, ValidationErrors};

use super::edit::{Confirm, Extras, edit_page, edit_page_full, edit_page_with};
use crate::auth::CurrentUser;
use crate::error::{AppError, ErrorCode};
use crate::pages::ctx::{FormErrors, PageError, PageResult, check_csrf};
use crate::pages::ctx::{PageMultipart, PagePath};
use crate::pages::flash::see_other_flash;
use crate::pages::forms::FormData;
use crate::service::catalog::certificates;
use crate::service::upload::{Upload, check_declared};
use crate::state::AppState;

pub(super) async fn add_certificate(
    State(state): State<AppState>,
    user: CurrentUser,
    PagePath(id): PagePath<i64>,
    headers: HeaderMap,
    PageMultipart(mut mp): PageMultipart,
) -> PageResult {
    // Who may add a certificate and the declared size are checked before the body is read.
    crate::service::access::certificate_editable_product(&state, &user, id).await?;
    check_declared(&headers, state.config.document_upload_bytes(), "Unggahan sertifikat")?;
    let mut form = FormData::default();
    let mut upload = None;
    let limit = state.config.max_document_bytes;
    while let Some(mut field) = mp.next_field().await.map_err(|e| {
        PageError(AppError::bad_request(ErrorCode::MalformedMultipart, e.to_string()))
    })? {
        let name = field.name().unwrap_or("").to_string();
        if name == "document" {
            let filename = field.file_name().unwrap_or("dokumen").to_string();
            let mut bytes = Vec::new();
            while let Some(chunk) = field
                .chunk()
                .await
                .map_err(|e| PageError(AppError::PayloadTooLarge(e.to_string())))?
            {
                if bytes.len() + chunk.len() > limit {
                    let msg = format!("Dokumen terlalu besar; maksimal {} KB.", limit / 1024);
                    return edit_page(
                        &state,
                        &user,
                        id,
                        None,
                        FormErrors::default(),
                        FormErrors(vec![FieldError::new("document", "too_large", msg)]),
                    )
                    .await;
                }
                bytes.extend_from_slice(&chunk);
            }
            upload = Some(Upload { bytes, filename });
        } else {
            let text = field.text().await.unwrap_or_default();
            form.0.insert(name, text);
        }
    }
    check_csrf(Some(&user), &headers, form.csrf())?;
    let mut errs = ValidationErrors::new();
    let input = CertificateInput {
        kind: form.text("kind"),
        number: form.text("number"),
        issuer: form.opt("issuer"),
        issued_on: form.date("issued_on", &mut errs),
        expires_on: form.date("expires_on", &mut errs),
    };
    let result = if errs.is_empty() {
        certificates::add(&state, &user, id, input, upload).await.map(|_| ())
    } else {
        Err(AppError::Validation(errs))
    };
    let refused = |errors: Vec<FieldError>| Extras {
        cert_errors: FormErrors(errors),
        cert_typed: FormData(
            form.0
                .iter()
                .filter(|(k, _)| *k != "csrf")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        ..Default::default()
    };
    match result {
        Ok(()) => Ok(see_other_flash(&format!("/produk-saya/{id}"), "Sertifikat ditambahkan.")),
        Err(AppError::Validation(v)) => {
            edit_page_full(&state, &user, id, None, FormErrors::default(), refused(v.0)).await
        }
        Err(AppError::PayloadTooLarge(m)) => {
            let errors = vec![FieldError::new("document", "too_large", m)];
            edit_page_full(&state, &user, id, None, FormErrors::default(), refused(errors)).await
        }
        Err(e) => Err(PageError(e)),
    }
}

pub(super) async fn remove_certificate(
    State(state): State<AppState>,
    user: CurrentUser,
    PagePath((id, cid)): PagePath<(i64, i64)>,
    headers: HeaderMap,
    form: FormData,
) -> PageResult {
    check_csrf(Some(&user), &headers, form.csrf())?;
    if form.text("confirm") != "1" {
        let m = crate::service::access::owned_product(&state, &user, id).await?;
        let view = crate::service::catalog::products::view(&state, &m).await?;
        let Some(c) = view.certificates.iter().find(|c| c.id == cid) else {
            return Err(PageError(AppError::NotFound("Sertifikat")));
        };
        let confirm = Confirm {
            title: format!("Hapus sertifikat {} {}?", c.kind_label, c.number),
            message: "Sertifikat dan dokumennya dihapus dari produk ini; kelayakan produk untuk \
                      standar toko dihitung ulang."
                .into(),
            action: format!("/produk-saya/{id}/sertifikat/{cid}/hapus"),
            fields: vec![("confirm".into(), "1".into())],
            button: "Ya, hapus sertifikat".into(),
        };
        let extras = Extras { confirm: Some(confirm), ..Default::default() };
        return edit_page_full(&state, &user, id, None, FormErrors::default(), extras).await;
    }
    certificates::delete(&state, &user, id, cid).await?;
    Ok(see_other_flash(&format!("/produk-saya/{id}"), "Sertifikat dihapus."))
}

pub(super) async fn upload_photos(
    State(state): State<AppState>,
    user: CurrentUser,
    PagePath(id): PagePath<i64>,
    headers: HeaderMap,
    PageMultipart(mp): PageMultipart,
) -> PageResult {
    // Who may change the photos and the declared size are checked before the body is read.
    crate::service::access::photo_editable_product(&state, &user, id).await?;
    check_declared(&headers, state.config.photo_upload_bytes(), "Unggahan foto")?;
    let photo_error = |m: String| FormErrors(vec![FieldError::new("photos", "too_large", m)]);
    let (files, texts) =
        match crate::service::upload::read_photo_form(mp, state.config.photo_max_bytes, |name| {
            name == "csrf"
        })
        .await
        {
            Ok(x) => x,
            Err(AppError::PayloadTooLarge(m)) => {
                return edit_page_with(
                    &state,
                    &user,
                    id,
                    None,
                    FormErrors::default(),
                    FormErrors::default(),
                    photo_error(m),
                )
                .await;
            }
            Err(e) => return Err(PageError(e)),
        };
    check_csrf(Some(&user), &headers, texts.get("csrf").map(String::as_str))?;
    // A browser sends an empty part when no file was chosen.
    let files: Vec<Upload> = files.into_iter().filter(|f| !f.bytes.is_empty()).collect();
    let count = files.len();
    match crate::service::catalog::photos::add(&state, &user, id, files).await {
        Ok(_) => Ok(see_other_flash(
            &format!("/produk-saya/{id}"),
            &format!("{count} foto diunggah. Periksa hasil cek kualitasnya di bagian Foto produk."),
        )),
        Err(AppError::Validation(v)) => {
            edit_page_with(
                &state,
                &user,
                id,
                None,
                FormErrors::default(),
                FormErrors::default(),
                FormErrors(v.0),
            )
            .await
        }
        Err(e) => Err(PageError(e)),
    }
}

pub(super) async fn change_photo(
    State(state): State<AppState>,
    user: CurrentUser,
    PagePath((id, pid)): PagePath<(i64, i64)>,
    headers: HeaderMap,
    form: FormData,
) -> PageResult {
    use crate::service::catalog::photos::{self, PhotoPatch};
    check_csrf(Some(&user), &headers, form.csrf())?;
    let position = form.int("position", &mut ValidationErrors::new());
    let act = form.text("action");
    if act == "delete" && form.text("confirm") != "1" {
        let confirm = Confirm {
            title: "Hapus foto ini?".into(),
            message: "Foto yang dihapus tidak bisa dikembalikan; unggah lagi bila perlu.".into(),
            action: format!("/produk-saya/{id}/foto/{pid}"),
            fields: vec![("action".into(), "delete".into()), ("confirm".into(), "1".into())],
            button: "Ya, hapus foto".into(),
        };
        let extras = Extras { confirm: Some(confirm), ..Default::default() };
        return edit_page_full(&state, &user, id, None, FormErrors::default(), extras).await;
    }
    let result = match act.as_str() {
        "delete" => photos::delete(&state, &user, id, pid).await,
        "primary" => photos::update(
            &state,
            &user,
            id,
            pid,
            PhotoPatch { primary: Some(true), ..Default::default() },
        )
        .await
        .map(|_| ()),
        "up" | "down" => {
            let delta = if form.text("action") == "up" { -1 } else { 1 };
            let to = (position.unwrap_or(0) + delta).max(0);
            photos::update(
                &state,
                &user,
                id,
                pid,
                PhotoPatch { position: Some(to), ..Default::default() },
            )
            .await
            .map(|_| ())
        }
        _ => photos::update(
            &state,
            &user,
            id,
            pid,
            PhotoPatch { alt_text: Some(form.text("alt_text")), ..Default::default() },
        )
        .await
        .map(|_| ()),
    };
    let message = match act.as_str() {
        "delete" => "Foto dihapus.",
        "primary" => "Foto utama diganti.",
        "up" | "down" => "Urutan foto diubah.",
        _ => "Keterangan foto disimpan.",
    };
    match result {
        Ok(()) if act == "delete" => Ok(see_other_flash(&format!("/produk-saya/{id}"), message)),
        Ok(()) => Ok(see_other_flash(&format!("/produk-saya/{id}#foto"), message)),
        Err(AppError::Validation(v)) => {
            edit_page_with(
                &state,
                &user,
                id,
                None,
                FormErrors::default(),
                FormErrors::default(),
                FormErrors(v.0),
            )
            .await
        }
        Err(e) => Err(PageError(e)),
    }
}
