//! Migrations, in order. They only add (expand/contract): a column is removed only in a later
//! migration once no code reads it. Every migration has a working `down`.

use sea_orm_migration::prelude::*;

mod m20261126_000001_catalog_core;
mod m20261126_000002_photos;
mod m20261126_000003_retail_base;
mod m20261126_000004_search_outbox;
mod m20261126_000005_standards;
mod m20261126_000006_retail;
mod m20261126_000007_compliance;
mod m20261126_000008_inspection_photos;
mod m20261202_000009_outbox_reevaluate;
mod m20261202_000010_user_inbox_seen;
mod m20261202_000011_certificate_checks;
mod m20261202_000012_evaluation_product_version;
mod m20261202_000013_producer_scale_ranges;
mod m20261202_000014_certificate_date_bounds;
mod m20261202_000015_login_throttle;
mod m20261202_000016_task_runs;
mod m20261202_000017_outbox_done_at;
mod m20261202_000018_search_revision;
mod m20261202_000019_imports_and_pendampingan;
mod m20261203_000020_placement_plans;
mod m20261203_000021_procurement;
mod m20261203_000022_store_compliance;
mod m20261205_000023_outbox_pending_indexes;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261126_000001_catalog_core::Migration),
            Box::new(m20261126_000002_photos::Migration),
            Box::new(m20261126_000003_retail_base::Migration),
            Box::new(m20261126_000004_search_outbox::Migration),
            Box::new(m20261126_000005_standards::Migration),
            Box::new(m20261126_000006_retail::Migration),
            Box::new(m20261126_000007_compliance::Migration),
            Box::new(m20261126_000008_inspection_photos::Migration),
            Box::new(m20261202_000009_outbox_reevaluate::Migration),
            Box::new(m20261202_000010_user_inbox_seen::Migration),
            Box::new(m20261202_000011_certificate_checks::Migration),
            Box::new(m20261202_000012_evaluation_product_version::Migration),
            Box::new(m20261202_000013_producer_scale_ranges::Migration),
            Box::new(m20261202_000014_certificate_date_bounds::Migration),
            Box::new(m20261202_000015_login_throttle::Migration),
            Box::new(m20261202_000016_task_runs::Migration),
            Box::new(m20261202_000017_outbox_done_at::Migration),
            Box::new(m20261202_000018_search_revision::Migration),
            Box::new(m20261202_000019_imports_and_pendampingan::Migration),
            Box::new(m20261203_000020_placement_plans::Migration),
            Box::new(m20261203_000021_procurement::Migration),
            Box::new(m20261203_000022_store_compliance::Migration),
            Box::new(m20261205_000023_outbox_pending_indexes::Migration),
        ]
    }
}
