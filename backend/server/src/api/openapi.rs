//! The OpenAPI 3.1 document, generated from the handlers' annotations.

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, PartialSchema, ToSchema};

use super::{
    agreements, auth, catalog, certificates, chains, health, inbox, photos, producers, products,
    search, stores, users,
};
use crate::error::{ErrorCode, Problem, ProblemField};
use crate::service::catalog::photos::PhotoPatch;
use crate::service::catalog::views::{
    CertificateView, PhotoQualityView, PhotoVariantView, PhotoView, ProducerSummary, ProducerView,
    ProductView, QualityCheckView,
};
use crate::service::users::{NewAccount, NewAccountWithRole, UserView};

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(c) = openapi.components.as_mut() {
            c.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

/// Error responses are served as `application/problem+json`: say so in the document.
struct ProblemJson;

impl Modify for ProblemJson {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let problem = format!("#/components/schemas/{}", Problem::name());
        for item in openapi.paths.paths.values_mut() {
            let ops = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
                &mut item.head,
                &mut item.options,
                &mut item.trace,
            ];
            for op in ops.into_iter().flatten() {
                for resp in op.responses.responses.values_mut() {
                    let RefOr::T(resp) = resp else { continue };
                    let is_problem = resp.content.get("application/json").is_some_and(
                        |c| matches!(&c.schema, Some(RefOr::Ref(r)) if r.ref_location == problem),
                    );
                    if is_problem && let Some(c) = resp.content.shift_remove("application/json") {
                        resp.content.insert("application/problem+json".to_string(), c);
                    }
                }
            }
        }
    }
}

/// The PATCH bodies: any fields of a domain input type (none required) and the `version`
/// last read. Written here rather than derived (the handlers read them as a JSON merge patch,
/// not as a type).
fn patch_of<T: ToSchema>(description: &str) -> RefOr<Schema> {
    let int64 = SchemaFormat::KnownFormat(KnownFormat::Int64);
    let mut fields = match T::schema() {
        RefOr::T(Schema::Object(o)) => o,
        _ => utoipa::openapi::schema::Object::new(),
    };
    fields.required.clear();
    fields.properties.insert(
        "version".to_string(),
        ObjectBuilder::new().schema_type(Type::Integer).format(Some(int64)).into(),
    );
    fields.required.push("version".to_string());
    fields.description = Some(description.to_string());
    RefOr::T(Schema::Object(fields))
}

/// Documents `PATCH /api/v1/products/{id}`.
pub struct ProductPatch;

impl PartialSchema for ProductPatch {
    fn schema() -> RefOr<Schema> {
        patch_of::<etalase_domain::product::ProductInput>(
            "Changes to a product: any fields of `ProductBody`, and the `version` last read.",
        )
    }
}

impl ToSchema for ProductPatch {}

/// Documents `PATCH /api/v1/producers/{id}`.
pub struct ProducerPatch;

impl PartialSchema for ProducerPatch {
    fn schema() -> RefOr<Schema> {
        patch_of::<etalase_domain::producer::ProducerInput>(
            "Changes to a business profile: any fields of `ProducerBody`, and the `version` last \
             read.",
        )
    }
}

impl ToSchema for ProducerPatch {}

#[derive(OpenApi)]
#[openapi(
    info(title = "Etalase API", version = "1", description = "Katalog dan penempatan produk UMKM lokal Kota Serang (Perwal 74/2023). Errors are RFC 9457 problem+json with a stable `code` (schema `ErrorCode`; each explained at `/problems/{code}`)."),
    modifiers(&Bearer, &ProblemJson),
    paths(
        chains::list, chains::create,
        stores::list, stores::create, stores::import, stores::read, stores::update, stores::recommendations,
        stores::shortlist, stores::shortlist_add, stores::shortlist_remove, stores::store_matches,
        agreements::create, agreements::list, agreements::read, agreements::events, agreements::accept, agreements::counter,
        agreements::reject, agreements::withdraw, agreements::suspend, agreements::resume, agreements::end,
        inbox::inbox,
        crate::api::compliance::policies, crate::api::compliance::create_policy, crate::api::compliance::stores, crate::api::compliance::store,
        crate::api::compliance::summary, crate::api::compliance::trend, crate::api::compliance::export_csv, crate::api::compliance::export_xlsx, crate::api::compliance::permendag, crate::api::compliance::drift, crate::api::compliance::repair_drift,
        crate::api::ekatalog::read, crate::api::ekatalog::export_csv, crate::api::ekatalog::export_xlsx,
        crate::api::imports::preview, crate::api::imports::save, crate::api::imports::template_csv, crate::api::imports::template_xlsx,
        crate::api::pendampingan::register, crate::api::pendampingan::list, crate::api::pendampingan::enter_nib,
        crate::api::placement_plan::compute, crate::api::placement_plan::latest, crate::api::placement_plan::show, crate::api::placement_plan::send,
        crate::api::risk_map::read, crate::api::risk_map::export_csv,
        crate::api::procurement::buyers, crate::api::procurement::create_buyer, crate::api::procurement::set_budget, crate::api::procurement::create_account,
        crate::api::procurement::suppliers, crate::api::procurement::list, crate::api::procurement::create, crate::api::procurement::read,
        crate::api::procurement::correct, crate::api::procurement::remove, crate::api::procurement::read_report, crate::api::procurement::report_csv, crate::api::procurement::report_xlsx,
        crate::api::inspections::create, crate::api::notices::create, crate::api::notices::list, crate::api::notices::download,
        health::healthz, health::readyz,
        auth::register, auth::login, auth::logout, auth::me,
        users::create, users::list,
        producers::create, producers::list, producers::read, producers::update, producers::verify, producers::reject,
        products::create, products::list, products::read, products::update, products::remove,
        products::submit, products::publish, products::reject, products::archive, products::revise,
        certificates::create, certificates::list, certificates::remove, certificates::document,
        photos::upload, photos::update, photos::remove,
        catalog::list, catalog::read, catalog::reference, search::search, search::reindex, search::drift,
        crate::api::standards::list, crate::api::standards::create, crate::api::standards::read, crate::api::standards::add_version,
        crate::api::standards::summary, crate::api::standards::job, crate::api::standards::eligibility,
    ),
    components(schemas(
        crate::service::retail::ChainInput, crate::service::retail::ChainView, crate::service::retail::StoreView, crate::api::stores::ImportReport,
        etalase_domain::store::StoreInput, stores::ShortlistBody, crate::service::matching::Recommendation, crate::service::matching::StoreMatch,
        crate::service::agreements::ProposalInput, crate::service::agreements::ActionInput, crate::service::agreements::AgreementView,
        crate::service::risk_map::RiskMap, crate::service::risk_map::RiskRow, crate::service::risk_map::RiskCounts,
        crate::service::ekatalog::EkatalogView, crate::service::ekatalog::EkatalogRow, crate::service::ekatalog::EkatalogBlocked, crate::service::ekatalog::EkatalogReason,
        crate::service::imports::ImportPreview, crate::service::imports::PreviewRow, crate::service::imports::RowAction, crate::service::imports::ImportSaved,
        crate::service::pendampingan::AccompaniedView, crate::service::pendampingan::NeedView, crate::api::pendampingan::NibBody,
        crate::service::procurement::BuyerView, crate::service::procurement::NewBuyer, crate::service::procurement::BudgetInput, crate::service::procurement::BuyerAccountInput,
        crate::service::procurement::SupplierView, crate::service::procurement::purchases::PurchaseView, etalase_domain::procurement::PurchaseInput, crate::api::procurement::BudgetSet,
        crate::service::procurement::report::ReportView, crate::service::procurement::report::BuyerReport, crate::service::procurement::report::MonthView,
        crate::service::procurement::report::CategoryView, crate::service::procurement::report::BudgetView,
        crate::service::placement_plan::PlanView, crate::service::placement_plan::StorePlanView, crate::service::placement_plan::ProposalView, crate::service::placement_plan::GroupView, crate::service::placement_plan::ComputeInput, crate::service::placement_plan::SendInput, crate::service::placement_plan::SendResult,
        crate::service::compliance::NewPolicy, crate::service::compliance::PolicyView, crate::service::compliance::StoreStatusView, crate::service::compliance::GroupView, crate::service::compliance::PermendagBreach, crate::service::compliance::ComplianceDrift,
        crate::service::compliance::SummaryView, crate::service::compliance::TrendPoint, crate::service::compliance::TrendView, crate::service::compliance::StoreDetailView,
        crate::service::compliance::DetailAgreement, crate::service::compliance::DetailProduct, crate::service::compliance::ShortfallView, crate::service::compliance::FiguresView,
        crate::service::compliance::InspectionView, crate::service::compliance::InspectionPhotoView, super::inspections::InspectionUpload, crate::service::compliance::HistoryPoint, crate::service::compliance::NewInspection, crate::service::compliance::InspectionRecorded,
        crate::service::compliance::NewNotice, crate::service::compliance::NoticeView,
        crate::service::agreements::AgreementItemView, crate::service::agreements::AgreementEventView, crate::service::agreements::InboxItem,
        Problem, ProblemField, ErrorCode, NewAccount, NewAccountWithRole, UserView,
        auth::LoginRequest, auth::TokenResponse, auth::MeResponse,
        etalase_domain::producer::ProducerInput, ProducerPatch, producers::ReasonBody, ProducerView, ProducerSummary,
        etalase_domain::product::ProductInput, ProductPatch, products::ActionBody, ProductView, CertificateView,
        certificates::CertificateForm, photos::PhotoUpload, PhotoPatch, PhotoView, PhotoVariantView, PhotoQualityView, QualityCheckView,
        search::SearchResponse, search::ReindexReport, crate::service::search_sync::Drift, catalog::Reference, catalog::KecamatanRef, catalog::KelurahanRef, catalog::CategoryRef,
        crate::service::standards::StandardView, crate::service::standards::VersionView, crate::service::standards::NewStandard, crate::service::standards::NewVersion,
        crate::service::standards::StandardCreated, crate::service::standards::VersionCreated, crate::service::standards::JobView, crate::service::standards::EligibilityView,
        crate::service::standards::StandardEligibility, crate::service::standards::ItemView, crate::service::standards::SummaryView,
        crate::service::standards::MissingCount, crate::service::standards::KecamatanSummary,
    )),
    tags(
        (name = "ritel", description = "Jaringan, gerai, pencocokan dan perjanjian penempatan"),
        (name = "akun", description = "Akun dan sesi"),
        (name = "umkm", description = "Data usaha UMKM"),
        (name = "produk", description = "Produk dan sertifikat"),
        (name = "dinas", description = "Verifikasi oleh Dinas"),
        (name = "katalog", description = "Katalog publik"),
        (name = "standar", description = "Standar produk dan kelayakan"),
        (name = "kepatuhan", description = "Pemantauan kepatuhan gerai (Pasal 10(1)(b)), inspeksi dan surat teguran"),
        (name = "sistem", description = "Kesehatan layanan"),
        (name = "pengadaan", description = "Belanja Perangkat Daerah/BUMD pada UMKM lokal (Pasal 11)"),
    )
)]
pub struct ApiDoc;

pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
