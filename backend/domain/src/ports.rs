//! Owns the ports through which the domain reaches the outside world without doing IO
//! itself: the clock (`Clock`) and file storage (`BlobStore`, with key rules), plus
//! in-process implementations for tests (`FixedClock`, `MemoryBlobStore`).

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

/// Source of the current time.
pub trait Clock: Send + Sync {
    /// Now, in UTC.
    fn now(&self) -> DateTime<Utc>;

    /// Today's date in Serang (WIB, UTC+7).
    fn today_wib(&self) -> NaiveDate {
        crate::datefmt::date_wib(self.now())
    }
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    // The one place that reads the wall clock (clippy.toml bans it everywhere else).
    #[allow(clippy::disallowed_methods)]
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock stopped at one instant (tests, demo data).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// A stored file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blob {
    pub bytes: Vec<u8>,
    pub content_type: String,
}

/// Failure of file storage.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BlobError {
    #[error("kunci berkas tidak sah: {0}")]
    InvalidKey(String),
    #[error("penyimpanan berkas gagal: {0}")]
    Backend(String),
}

/// Storage of files (photos, certificate scans) by key.
#[async_trait]
pub trait BlobStore: Send + Sync {
    /// Stores `bytes` under `key`, replacing any previous file.
    async fn put(&self, key: &str, bytes: Vec<u8>, content_type: &str) -> Result<(), BlobError>;
    /// The file under `key`, if any.
    async fn get(&self, key: &str) -> Result<Option<Blob>, BlobError>;
    /// Removes the file under `key` (no error when absent).
    async fn delete(&self, key: &str) -> Result<(), BlobError>;
    /// True when a file is stored under `key`.
    async fn exists(&self, key: &str) -> Result<bool, BlobError>;
    /// Checks the backend is reachable.
    async fn health(&self) -> Result<(), BlobError>;
    /// Every file whose key starts with `prefix`, with its size and last change.
    async fn list(&self, prefix: &str) -> Result<Vec<BlobMeta>, BlobError>;
    /// Removes what interrupted writes left behind (temporary files, sidecars without their
    /// file) last changed before `before`; returns how many. Stores without such leftovers
    /// have nothing to do.
    async fn remove_leftovers(
        &self,
        _before: chrono::DateTime<chrono::Utc>,
    ) -> Result<usize, BlobError> {
        Ok(0)
    }
}

/// A stored file's key, size and last modification time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobMeta {
    pub key: String,
    pub size: u64,
    pub modified: DateTime<Utc>,
}

/// Maximum length of a blob key.
pub const BLOB_KEY_MAX: usize = 200;

/// Keys are 1–200 ASCII characters from `[a-z0-9/._-]`, without `..` and without a
/// leading `/` (so they are safe as relative file paths and object-store keys).
pub fn validate_blob_key(key: &str) -> Result<(), BlobError> {
    let bad = |why: &str| Err(BlobError::InvalidKey(format!("\"{key}\" {why}")));
    if key.is_empty() {
        return bad("kosong");
    }
    if key.len() > BLOB_KEY_MAX {
        return bad("lebih dari 200 karakter");
    }
    if !key.bytes().all(|b| {
        b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'/' | b'.' | b'_' | b'-')
    }) {
        return bad("hanya boleh berisi a-z, 0-9, /, ., _ dan -");
    }
    if key.contains("..") {
        return bad("tidak boleh berisi ..");
    }
    if key.starts_with('/') {
        return bad("tidak boleh diawali /");
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn fixed_clock_gives_the_wib_date() {
        let late = DateTime::parse_from_rfc3339("2026-03-03T18:00:00Z").unwrap().to_utc();
        let clock = FixedClock(late);
        assert_eq!(clock.now(), late);
        assert_eq!(clock.today_wib(), NaiveDate::from_ymd_opt(2026, 3, 4).unwrap());
        assert!(SystemClock.now() > late - chrono::TimeDelta::days(36500));
    }

    #[test]
    fn blob_keys() {
        assert!(validate_blob_key("products/12/photo-1a2b_c.jpg").is_ok());
        assert!(validate_blob_key(&"a".repeat(200)).is_ok());
        for bad in ["", "/etc/passwd", "a/../b", "Foto.JPG", "a b", "ä", "x\\y"] {
            assert!(matches!(validate_blob_key(bad), Err(BlobError::InvalidKey(_))), "{bad:?}");
        }
        assert!(validate_blob_key(&"a".repeat(201)).is_err());
        let e = validate_blob_key("a/../b").unwrap_err();
        assert_eq!(e.to_string(), "kunci berkas tidak sah: \"a/../b\" tidak boleh berisi ..");
    }
}
