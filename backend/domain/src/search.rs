//! Owns the search port: a product as the search index sees it (`ProductDoc`), the typed query
//! a store manager sends (`SearchQuery`, validated here, errors naming the parameter), the
//! answer (`SearchResults`: hits with distance and highlighted name, total, facet counts over
//! all matches) and the `SearchIndex` trait that `etalase-search` implements twice (embedded
//! engine and Meilisearch). Price buckets live here so both engines count them alike. No IO.

use crate::code_enum::code_enum;
use crate::error::{FieldError, ValidationErrors};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

/// Largest `per_page`.
pub const PER_PAGE_MAX: u32 = 100;
/// Largest `page` (engines also stop at their `maxTotalHits`).
pub const PAGE_MAX: u32 = 1000;
/// Longest search text, in characters.
pub const TEXT_MAX_CHARS: usize = 200;
/// Longest filter value (category, kecamatan, certificate kind), in characters.
pub const FILTER_VALUE_MAX_CHARS: usize = 100;
/// Largest geo radius, in km.
pub const RADIUS_KM_MAX: f64 = 100.0;

/// One published product as stored in the search index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductDoc {
    pub id: i64,
    pub name: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
    /// Category slug, e.g. `makanan-ringan`.
    pub category: String,
    pub category_name: String,
    pub producer_id: i64,
    pub producer_name: String,
    /// Kemendagri code, e.g. `36.73.06`.
    pub kecamatan_code: String,
    pub kecamatan: String,
    pub kelurahan_code: String,
    pub halal: bool,
    /// Valid certificate kinds (`pirt`, `bpom_md`, `halal`, …).
    pub cert_kinds: Vec<String>,
    /// Rupiah.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retail_price: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pack_size: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub net_content_label: Option<String>,
    /// Unix seconds.
    pub published_at: i64,
    /// The producer's coordinates.
    pub lat: f64,
    pub lon: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gtin: Option<String>,
    pub nib: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail_url: Option<String>,
    /// Ids of the standards this product meets.
    pub eligible_standards: Vec<i64>,
    pub version: i64,
    /// Where in the stream of changes this document was taken (the newest outbox row it
    /// settles, or the outbox position a reindex started from): an index never replaces a
    /// document by one with a lower revision, so a slow delivery of an older snapshot cannot
    /// undo a newer one. Not part of `version`.
    #[serde(default)]
    pub revision: i64,
}

code_enum! {
    /// Order of the search results (`Relevance` by default).
    #[derive(Default)]
    pub enum SortBy : "urutan" {
        #[default]
        Relevance => ("relevance", "Paling relevan"),
        Distance => ("distance", "Terdekat"),
        PriceAsc => ("price_asc", "Harga terendah"),
        PriceDesc => ("price_desc", "Harga tertinggi"),
        Newest => ("newest", "Terbaru"),
    }
}

/// A product search. Build it, then call `validate` (or `validated`) before searching:
/// the adapters validate again and refuse an invalid query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchQuery {
    pub text: Option<String>,
    /// Category slug.
    pub category: Option<String>,
    /// Kecamatan code.
    pub kecamatan: Option<String>,
    pub halal: Option<bool>,
    /// Certificate kinds the product must all have.
    pub cert: Vec<String>,
    pub price_min: Option<i64>,
    pub price_max: Option<i64>,
    /// (lat, lon) of the store.
    pub near: Option<(f64, f64)>,
    pub radius_km: Option<f64>,
    /// Standard id the product must meet.
    pub eligible_for: Option<i64>,
    pub sort: SortBy,
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
}

impl Default for SearchQuery {
    fn default() -> Self {
        SearchQuery {
            text: None,
            category: None,
            kecamatan: None,
            halal: None,
            cert: Vec::new(),
            price_min: None,
            price_max: None,
            near: None,
            radius_km: None,
            eligible_for: None,
            sort: SortBy::Relevance,
            page: 1,
            per_page: 20,
        }
    }
}

impl SearchQuery {
    /// A query for `text` with default paging and relevance order.
    pub fn text(text: impl Into<String>) -> Self {
        SearchQuery { text: Some(text.into()), ..SearchQuery::default() }
    }

    /// The search text without surrounding whitespace, `None` when blank.
    pub fn trimmed_text(&self) -> Option<&str> {
        self.text.as_deref().map(str::trim).filter(|t| !t.is_empty())
    }

    /// Every problem with the query, each naming its parameter.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errs = ValidationErrors::new();
        let range = |field: &str, msg: String| FieldError::new(field, "out_of_range", msg);
        if self.text.as_deref().is_some_and(|t| t.chars().count() > TEXT_MAX_CHARS) {
            let msg = format!("Kata kunci paling panjang {TEXT_MAX_CHARS} karakter.");
            errs.push(FieldError::new("text", "too_long", msg));
        }
        check_value(&mut errs, "category", self.category.as_deref());
        check_value(&mut errs, "kecamatan", self.kecamatan.as_deref());
        if self.cert.len() > 10 {
            errs.push(range("cert", "Paling banyak 10 jenis sertifikat.".into()));
        }
        for c in &self.cert {
            check_value(&mut errs, "cert", Some(c));
        }
        for (field, v) in [("price_min", self.price_min), ("price_max", self.price_max)] {
            if v.is_some_and(|p| p < 0) {
                errs.push(range(field, "Harga tidak boleh negatif.".into()));
            }
        }
        if let (Some(lo), Some(hi)) = (self.price_min, self.price_max)
            && lo > hi
        {
            let msg = "Harga minimum lebih besar dari harga maksimum.";
            errs.push(FieldError::new("price_min", "invalid_range", msg));
        }
        if let Some((lat, lon)) = self.near
            && !(lat.is_finite() && lon.is_finite() && lat.abs() <= 90.0 && lon.abs() <= 180.0)
        {
            errs.push(range("near", "Koordinat lokasi tidak sah.".into()));
        }
        let needs_near = |field: &str, what: &str| {
            let msg = format!("{what} membutuhkan lokasi (near).");
            FieldError::new(field, "requires_near", msg)
        };
        if let Some(r) = self.radius_km {
            if self.near.is_none() {
                errs.push(needs_near("radius_km", "Radius"));
            }
            if !(r.is_finite() && r > 0.0 && r <= RADIUS_KM_MAX) {
                let msg = format!("Radius harus lebih dari 0 dan paling jauh {RADIUS_KM_MAX} km.");
                errs.push(range("radius_km", msg));
            }
        }
        if self.sort == SortBy::Distance && self.near.is_none() {
            errs.push(needs_near("sort", "Urutan terdekat"));
        }
        if self.page == 0 || self.page > PAGE_MAX {
            errs.push(range("page", format!("Halaman harus 1 sampai {PAGE_MAX}.")));
        }
        if self.per_page == 0 || self.per_page > PER_PAGE_MAX {
            let msg = format!("Jumlah per halaman harus 1 sampai {PER_PAGE_MAX}.");
            errs.push(range("per_page", msg));
        }
        errs.into_result(())
    }

    /// The query itself when valid.
    pub fn validated(self) -> Result<Self, ValidationErrors> {
        self.validate().map(|()| self)
    }
}

fn check_value(errs: &mut ValidationErrors, field: &str, value: Option<&str>) {
    match value {
        Some(v) if v.trim().is_empty() => {
            errs.push(FieldError::new(field, "required", "Nilai filter kosong."));
        }
        Some(v) if v.chars().count() > FILTER_VALUE_MAX_CHARS => {
            let msg = format!("Nilai filter paling panjang {FILTER_VALUE_MAX_CHARS} karakter.");
            errs.push(FieldError::new(field, "too_long", msg));
        }
        _ => {}
    }
}

/// One price bucket of the `price_range` facet: `min <= price < max` (open ends when `None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceBucket {
    pub label: &'static str,
    pub min: Option<i64>,
    pub max: Option<i64>,
}

/// The price buckets, cheapest first (rupiah).
pub const PRICE_BUCKETS: [PriceBucket; 5] = [
    PriceBucket { label: "<10000", min: None, max: Some(10_000) },
    PriceBucket { label: "10000-25000", min: Some(10_000), max: Some(25_000) },
    PriceBucket { label: "25000-50000", min: Some(25_000), max: Some(50_000) },
    PriceBucket { label: "50000-100000", min: Some(50_000), max: Some(100_000) },
    PriceBucket { label: ">=100000", min: Some(100_000), max: None },
];

/// The bucket a price falls in.
pub fn price_bucket(price: i64) -> &'static PriceBucket {
    let last = &PRICE_BUCKETS[PRICE_BUCKETS.len() - 1];
    PRICE_BUCKETS.iter().find(|b| b.max.is_none_or(|m| price < m)).unwrap_or(last)
}

/// How many matching products have one facet value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// Facet counts over every match (not just the page). Lists are ordered by count (highest
/// first) then value, except `price_range`, which follows `PRICE_BUCKETS`; zero counts are left
/// out. `category` holds slugs, `kecamatan` codes, `halal` "true"/"false".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    pub category: Vec<FacetCount>,
    pub kecamatan: Vec<FacetCount>,
    pub halal: Vec<FacetCount>,
    pub cert_kinds: Vec<FacetCount>,
    pub price_range: Vec<FacetCount>,
    pub pack_size: Vec<FacetCount>,
}

/// Puts facet counts in the documented order (count desc, then value) and keeps `max` of them.
pub fn order_facet_counts(counts: &mut Vec<FacetCount>, max: usize) {
    order_facets(counts, max, |c| (&c.value, c.count));
}

/// `order_facet_counts` for any list whose items give their (value, count) through `entry`
/// (the Meilisearch adapter orders the values it borrows from an answer).
pub fn order_facets<T>(list: &mut Vec<T>, max: usize, entry: impl Fn(&T) -> (&str, u64)) {
    list.retain(|x| entry(x).1 > 0);
    list.sort_by(|a, b| {
        let (a, b) = (entry(a), entry(b));
        b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0))
    });
    list.truncate(max);
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub doc: ProductDoc,
    /// Km from `near`, when the query had one.
    pub distance_km: Option<f64>,
    /// The name, HTML-escaped, with matched words wrapped in `<em>…</em>`.
    pub highlight_name: String,
}

/// The answer to a search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    pub hits: Vec<Hit>,
    /// Matches over all pages (capped by the engine's `maxTotalHits`).
    pub total: u64,
    pub facets: Facets,
    pub processing_ms: u64,
}

/// The API's answer to `q` as JSON: `{"hits", "facets", "total", "page", "per_page",
/// "processing_ms"}`, hits as `Hit` serializes them.
pub fn results_json(r: &SearchResults, q: &SearchQuery) -> Vec<u8> {
    #[derive(Serialize)]
    struct Answer<'a> {
        hits: &'a [Hit],
        facets: &'a Facets,
        total: u64,
        page: u32,
        per_page: u32,
        processing_ms: u64,
    }
    let answer = Answer {
        hits: &r.hits,
        facets: &r.facets,
        total: r.total,
        page: q.page,
        per_page: q.per_page,
        processing_ms: r.processing_ms,
    };
    // Strings, numbers and sequences only: writing them to memory cannot fail.
    serde_json::to_vec(&answer).unwrap_or_default()
}

/// Size of an index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexStats {
    pub documents: u64,
}

/// Failure of the search index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("kueri pencarian tidak sah: {0}")]
    InvalidQuery(#[from] ValidationErrors),
    #[error("mesin pencari tidak dapat dihubungi: {0}")]
    Unavailable(String),
    #[error("tugas indeks {task} belum selesai setelah {seconds} detik")]
    Timeout { task: String, seconds: u64 },
    #[error("tugas indeks {task} gagal: {message}")]
    TaskFailed { task: String, message: String },
    #[error("pengaturan indeks tidak sah: {0}")]
    Settings(String),
    #[error("reindeks: {0}")]
    Reindex(String),
    #[error("kesalahan mesin pencari: {0}")]
    Backend(String),
}

/// The product search index. Every write is durable and visible to `search` when it returns.
#[async_trait]
pub trait SearchIndex: Send + Sync {
    /// Applies the index settings (searchable, filterable, sortable attributes, synonyms …).
    async fn apply_settings(&self) -> Result<(), SearchError>;
    /// Adds or replaces documents by `id`.
    async fn upsert(&self, docs: &[ProductDoc]) -> Result<(), SearchError>;
    /// Removes documents by `id` (absent ids are ignored).
    async fn delete(&self, ids: &[i64]) -> Result<(), SearchError>;
    /// Removes every document.
    async fn clear(&self) -> Result<(), SearchError>;
    /// Runs a validated query.
    async fn search(&self, query: &SearchQuery) -> Result<SearchResults, SearchError>;
    /// Runs a validated query and answers with the API's JSON (`results_json`). An adapter
    /// whose engine answers in JSON may copy its documents through instead of building them.
    async fn search_json(&self, query: &SearchQuery) -> Result<Vec<u8>, SearchError> {
        let results = self.search(query).await?;
        Ok(results_json(&results, query))
    }
    /// Document count.
    async fn stats(&self) -> Result<IndexStats, SearchError>;
    /// Every document's `(id, version)`, for the drift check.
    async fn versions(&self) -> Result<Vec<(i64, i64)>, SearchError>;
    /// Starts building a fresh index beside the live one (searches keep using the live one;
    /// `upsert`/`delete` go to both). Fails when a reindex is already running.
    async fn begin_reindex(&self) -> Result<(), SearchError>;
    /// Adds documents to the index being built.
    async fn reindex_upsert(&self, docs: &[ProductDoc]) -> Result<(), SearchError>;
    /// Swaps the new index in atomically and drops the old one.
    async fn finish_reindex(&self) -> Result<(), SearchError>;
    /// Drops the index being built; the live one is untouched.
    async fn abort_reindex(&self) -> Result<(), SearchError>;

    /// Rebuilds the index from `docs` in batches of `batch` and swaps it in (aborts on error).
    async fn reindex_all(&self, docs: &[ProductDoc], batch: usize) -> Result<(), SearchError> {
        self.begin_reindex().await?;
        for chunk in docs.chunks(batch.max(1)) {
            if let Err(e) = self.reindex_upsert(chunk).await {
                let _ = self.abort_reindex().await;
                return Err(e);
            }
        }
        match self.finish_reindex().await {
            Ok(()) => Ok(()),
            Err(e) => {
                let _ = self.abort_reindex().await;
                Err(e)
            }
        }
    }
}
