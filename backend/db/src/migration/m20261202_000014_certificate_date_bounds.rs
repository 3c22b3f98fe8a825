//! Certificate dates outside 1950–2100 (accepted before the bound existed; a year +262142 once
//! stopped the daily standards tick) are clamped to the bound: an impossible far-future expiry
//! becomes 31 December 2100, an impossible past date 1 January 1950. New ones are refused.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        crate::repo::certificates::clamp_implausible_dates(m.get_connection()).await?;
        Ok(())
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}
