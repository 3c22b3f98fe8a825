//! The OpenAPI 3.1 document, generated from the handlers' annotations.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{auth, catalog, certificates, health, photos, producers, products, users};
use crate::error::{Problem, ProblemField};
use crate::service::users::{NewAccount, NewAccountWithRole, UserView};
use crate::service::photos::PhotoPatch;
use crate::service::views::{CertificateView, PhotoQualityView, PhotoVariantView, PhotoView, ProducerSummary, ProducerView, ProductView, QualityCheckView};

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(c) = openapi.components.as_mut() {
            c.add_security_scheme("bearer", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()));
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Etalase API", version = "1", description = "Katalog dan penempatan produk UMKM lokal Kota Serang (Perwal 74/2023). Errors are RFC 9457 problem+json with a stable `code`."),
    modifiers(&Bearer),
    paths(
        health::healthz, health::readyz,
        auth::register, auth::login, auth::logout, auth::me,
        users::create, users::list,
        producers::create, producers::list, producers::read, producers::update, producers::verify, producers::reject,
        products::create, products::list, products::read, products::update, products::remove,
        products::submit, products::publish, products::reject, products::archive, products::revise,
        certificates::create, certificates::list, certificates::remove, certificates::document,
        photos::upload, photos::update, photos::remove,
        catalog::list, catalog::read, catalog::reference,
    ),
    components(schemas(
        Problem, ProblemField, NewAccount, NewAccountWithRole, UserView,
        auth::LoginRequest, auth::TokenResponse, auth::MeResponse,
        producers::ProducerBody, producers::ProducerPatch, producers::ReasonBody, ProducerView, ProducerSummary,
        products::ProductBody, products::ProductPatch, products::ActionBody, ProductView, CertificateView,
        certificates::CertificateForm, photos::PhotoUpload, PhotoPatch, PhotoView, PhotoVariantView, PhotoQualityView, QualityCheckView,
        catalog::Reference, catalog::KecamatanRef, catalog::KelurahanRef, catalog::CategoryRef,
    )),
    tags(
        (name = "akun", description = "Akun dan sesi"),
        (name = "umkm", description = "Data usaha UMKM"),
        (name = "produk", description = "Produk dan sertifikat"),
        (name = "dinas", description = "Verifikasi oleh Dinas"),
        (name = "katalog", description = "Katalog publik"),
        (name = "sistem", description = "Kesehatan layanan"),
    )
)]
pub struct ApiDoc;

pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
