//! Owns the embedded engine's filters: the typed query's category, kecamatan, halal,
//! certificate kinds, price range and eligible standard as one tantivy query (values are
//! terms, never parsed, so user text cannot change the filter's meaning), the geo radius
//! (applied later on the coordinate columns), and the checks that each filter and sort attribute
//! is listed as filterable/sortable in the settings, as Meilisearch checks it.

use super::schema::{Fields, keyword_term};
use crate::error::{Error, Result};
use crate::settings::Settings;
use etalase_domain::search::{SearchQuery, SortBy};
use std::ops::Bound;
use tantivy::Term;
use tantivy::query::{BooleanQuery, Query, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;

fn allow(settings: &Settings, attribute: &str) -> Result<()> {
    if settings.is_filterable(attribute) {
        Ok(())
    } else {
        Err(Error::NotAllowed(attribute.into(), "filterableAttributes"))
    }
}

/// Checks that the sort of `q` uses a sortable attribute.
pub(crate) fn check_sort(settings: &Settings, q: &SearchQuery) -> Result<()> {
    let attribute = match q.sort {
        SortBy::Relevance => return Ok(()),
        SortBy::Distance => "_geo",
        SortBy::PriceAsc | SortBy::PriceDesc => "retail_price",
        SortBy::Newest => "published_at",
    };
    if settings.is_sortable(attribute) {
        Ok(())
    } else {
        Err(Error::NotAllowed(attribute.into(), "sortableAttributes"))
    }
}

fn term(t: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(t, IndexRecordOption::Basic))
}

/// The filter part of `q` as one query (`None` when there is no filter).
pub(crate) fn filter_query(
    f: &Fields,
    settings: &Settings,
    q: &SearchQuery,
) -> Result<Option<Box<dyn Query>>> {
    let mut must: Vec<Box<dyn Query>> = Vec::new();
    if let Some(c) = &q.category {
        allow(settings, "category")?;
        must.push(term(keyword_term(f.category, c)));
    }
    if let Some(k) = &q.kecamatan {
        allow(settings, "kecamatan_code")?;
        must.push(term(keyword_term(f.kecamatan_code, k)));
    }
    if let Some(h) = q.halal {
        allow(settings, "halal")?;
        must.push(term(Term::from_field_bool(f.halal, h)));
    }
    for c in &q.cert {
        allow(settings, "cert_kinds")?;
        must.push(term(keyword_term(f.cert_kinds, c)));
    }
    if q.price_min.is_some() || q.price_max.is_some() {
        allow(settings, "retail_price")?;
        let lo = Term::from_field_i64(f.retail_price, q.price_min.unwrap_or(i64::MIN));
        let hi = Term::from_field_i64(f.retail_price, q.price_max.unwrap_or(i64::MAX));
        must.push(Box::new(RangeQuery::new(Bound::Included(lo), Bound::Included(hi))));
    }
    if let Some(s) = q.eligible_for {
        allow(settings, "eligible_standards")?;
        must.push(term(Term::from_field_i64(f.eligible_standards, s)));
    }
    if q.radius_km.is_some() {
        allow(settings, "_geo")?;
    }
    check_sort(settings, q)?;
    Ok((!must.is_empty()).then(|| Box::new(BooleanQuery::intersection(must)) as Box<dyn Query>))
}
