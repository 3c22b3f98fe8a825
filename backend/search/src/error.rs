//! Owns the crate's error type: what can go wrong in either adapter (settings file, tantivy,
//! the filesystem, Meilisearch and its asynchronous tasks), with messages in Indonesian, and
//! its mapping onto the domain's `SearchError`.

use etalase_domain::ValidationErrors;
use etalase_domain::search::SearchError;

/// Failure inside the search adapters.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("pengaturan pencarian tidak sah: {0}")]
    Settings(String),
    #[error("kueri pencarian tidak sah: {0}")]
    InvalidQuery(#[from] ValidationErrors),
    #[error("atribut \"{0}\" tidak terdaftar sebagai {1} di search-config/products.json")]
    NotAllowed(String, &'static str),
    #[error("indeks tantivy: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("berkas indeks: {0}")]
    Io(#[from] std::io::Error),
    #[error("data indeks rusak: {0}")]
    Corrupt(String),
    #[error("Meilisearch: {0}")]
    Meili(#[from] meilisearch_sdk::errors::Error),
    #[error("tugas Meilisearch {task} belum selesai setelah {seconds} detik")]
    TaskTimeout { task: u32, seconds: u64 },
    #[error("Meilisearch tidak menjawab pencarian dalam {ms} ms")]
    SearchTimeout { ms: u128 },
    #[error("tugas Meilisearch {task} gagal ({code}): {message}")]
    TaskFailed { task: u32, code: String, message: String },
    #[error("reindeks: {0}")]
    Reindex(String),
    #[error("tugas latar belakang terhenti: {0}")]
    Join(#[from] tokio::task::JoinError),
}

/// Result of the adapters.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<Error> for SearchError {
    fn from(e: Error) -> Self {
        match e {
            Error::InvalidQuery(v) => SearchError::InvalidQuery(v),
            Error::Settings(_) | Error::NotAllowed(..) => SearchError::Settings(e.to_string()),
            Error::TaskTimeout { task, seconds } => {
                SearchError::Timeout { task: task.to_string(), seconds }
            }
            Error::TaskFailed { task, code, message } => SearchError::TaskFailed {
                task: task.to_string(),
                message: format!("{code}: {message}"),
            },
            Error::Reindex(m) => SearchError::Reindex(m),
            Error::SearchTimeout { .. } => SearchError::Unavailable(e.to_string()),
            Error::Meili(meilisearch_sdk::errors::Error::HttpError(h)) => {
                SearchError::Unavailable(h.to_string())
            }
            Error::Meili(meilisearch_sdk::errors::Error::MeilisearchCommunication(c)) => {
                SearchError::Unavailable(c.to_string())
            }
            other => SearchError::Backend(other.to_string()),
        }
    }
}
