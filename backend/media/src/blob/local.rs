//! `LocalBlobStore`: blobs as files under a root directory (default `./data/blobs`). Writes go to
//! a temporary file first and are renamed into place, so a reader never sees half a file.

use std::path::{Path, PathBuf};

use async_trait::async_trait;
use etalase_domain::ports::{Blob, BlobError, BlobMeta, BlobStore, validate_blob_key};
use tokio::io::AsyncWriteExt;

/// Files under `root`; the content type is kept in a `.type` sidecar file.
#[derive(Debug, Clone)]
pub struct LocalBlobStore {
    root: PathBuf,
}

impl LocalBlobStore {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn path_for(&self, key: &str) -> Result<PathBuf, BlobError> {
        validate_blob_key(key)?;
        Ok(self.root.join(key))
    }
}

fn backend(e: std::io::Error) -> BlobError {
    BlobError::Backend(e.to_string())
}

fn type_path(path: &Path) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(".type");
    PathBuf::from(p)
}

#[async_trait]
impl BlobStore for LocalBlobStore {
    #[tracing::instrument(skip(self, bytes), fields(len = bytes.len()))]
    async fn put(&self, key: &str, bytes: Vec<u8>, content_type: &str) -> Result<(), BlobError> {
        let path = self.path_for(key)?;
        if let Some(parent) = path.parent() {
            tokio::fs::create_dir_all(parent).await.map_err(backend)?;
        }
        // One temporary file per call: concurrent puts of the same key (the same photo uploaded
        // twice at once) or of sibling keys (`1200.jpg`, `1200.webp`) never share one.
        static PUTS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = PUTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let tmp = path.with_file_name(format!(".{name}.tmp-{}-{n}", std::process::id()));
        let mut f = tokio::fs::File::create(&tmp).await.map_err(backend)?;
        f.write_all(&bytes).await.map_err(backend)?;
        f.sync_all().await.map_err(backend)?;
        drop(f);
        tokio::fs::write(type_path(&path), content_type.as_bytes()).await.map_err(backend)?;
        tokio::fs::rename(&tmp, &path).await.map_err(backend)?;
        Ok(())
    }

    #[tracing::instrument(skip(self))]
    async fn get(&self, key: &str) -> Result<Option<Blob>, BlobError> {
        let path = self.path_for(key)?;
        let bytes = match tokio::fs::read(&path).await {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(backend(e)),
        };
        let content_type = tokio::fs::read_to_string(type_path(&path))
            .await
            .unwrap_or_else(|_| "application/octet-stream".to_string());
        Ok(Some(Blob { bytes, content_type }))
    }

    #[tracing::instrument(skip(self))]
    async fn delete(&self, key: &str) -> Result<(), BlobError> {
        let path = self.path_for(key)?;
        for p in [type_path(&path), path] {
            match tokio::fs::remove_file(&p).await {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(backend(e)),
            }
        }
        Ok(())
    }

    async fn exists(&self, key: &str) -> Result<bool, BlobError> {
        let path = self.path_for(key)?;
        tokio::fs::try_exists(&path).await.map_err(backend)
    }

    async fn health(&self) -> Result<(), BlobError> {
        tokio::fs::create_dir_all(&self.root).await.map_err(backend)?;
        // One probe file per call: concurrent probes never remove each other's file.
        static PROBES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = PROBES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let probe = self.root.join(format!(".health-{}-{n}", std::process::id()));
        tokio::fs::write(&probe, b"ok").await.map_err(backend)?;
        tokio::fs::remove_file(&probe).await.map_err(backend)
    }

    async fn list(&self, prefix: &str) -> Result<Vec<BlobMeta>, BlobError> {
        let mut out = Vec::new();
        let mut stack = vec![self.root.clone()];
        while let Some(dir) = stack.pop() {
            let mut rd = match tokio::fs::read_dir(&dir).await {
                Ok(rd) => rd,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(backend(e)),
            };
            while let Some(entry) = rd.next_entry().await.map_err(backend)? {
                let path = entry.path();
                let meta = entry.metadata().await.map_err(backend)?;
                if meta.is_dir() {
                    stack.push(path);
                    continue;
                }
                let Ok(rel) = path.strip_prefix(&self.root) else { continue };
                let key = rel.to_string_lossy().replace('\\', "/");
                if key.ends_with(".type")
                    || key.contains(".tmp-")
                    || key.starts_with('.')
                    || !key.starts_with(prefix)
                {
                    continue;
                }
                let modified =
                    meta.modified().map(chrono::DateTime::<chrono::Utc>::from).unwrap_or_default();
                out.push(BlobMeta { key, size: meta.len(), modified });
            }
        }
        out.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(out)
    }

    async fn remove_leftovers(
        &self,
        before: chrono::DateTime<chrono::Utc>,
    ) -> Result<usize, BlobError> {
        let mut removed = 0;
        let mut stack = vec![self.root.clone()];
        while let Some(dir) = stack.pop() {
            let mut rd = match tokio::fs::read_dir(&dir).await {
                Ok(rd) => rd,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(backend(e)),
            };
            while let Some(entry) = rd.next_entry().await.map_err(backend)? {
                let path = entry.path();
                let Ok(meta) = entry.metadata().await else { continue };
                if meta.is_dir() {
                    stack.push(path);
                    continue;
                }
                let modified =
                    meta.modified().map(chrono::DateTime::<chrono::Utc>::from).unwrap_or_default();
                if modified >= before {
                    continue;
                }
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
                let name = name.unwrap_or_default();
                let orphan_sidecar = name.ends_with(".type")
                    && !tokio::fs::try_exists(path.with_extension("")).await.unwrap_or(true);
                if name.contains(".tmp-") || orphan_sidecar {
                    match tokio::fs::remove_file(&path).await {
                        Ok(()) => removed += 1,
                        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                        Err(e) => return Err(backend(e)),
                    }
                }
            }
        }
        Ok(removed)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn store() -> (LocalBlobStore, PathBuf) {
        let dir = std::env::temp_dir().join(format!(
            "etalase-blob-test-{}-{}",
            std::process::id(),
            rand_suffix()
        ));
        (LocalBlobStore::new(&dir), dir)
    }

    fn rand_suffix() -> u128 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    }

    #[tokio::test]
    async fn put_then_get_returns_the_same_bytes_and_type() {
        let (s, dir) = store();
        s.put("certs/abc.pdf", b"%PDF-1.4".to_vec(), "application/pdf").await.unwrap();
        let blob = s.get("certs/abc.pdf").await.unwrap().unwrap();
        assert_eq!(blob.bytes, b"%PDF-1.4");
        assert_eq!(blob.content_type, "application/pdf");
        assert!(s.exists("certs/abc.pdf").await.unwrap());
        s.delete("certs/abc.pdf").await.unwrap();
        assert!(s.get("certs/abc.pdf").await.unwrap().is_none());
        assert!(!s.exists("certs/abc.pdf").await.unwrap());
        let _ = std::fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn keys_that_escape_the_root_are_refused() {
        let (s, dir) = store();
        for key in ["../etc/passwd", "/etc/passwd", "a/../../b", "A B"] {
            let err = s.put(key, vec![1], "text/plain").await.unwrap_err();
            assert!(matches!(err, BlobError::InvalidKey(_)), "{key}");
        }
        let _ = std::fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn deleting_a_missing_blob_is_not_an_error() {
        let (s, dir) = store();
        s.delete("certs/none.pdf").await.unwrap();
        let _ = std::fs::remove_dir_all(dir);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_puts_of_one_key_and_of_sibling_keys_never_mix_their_files() {
        let (s, dir) = store();
        let mut tasks = Vec::new();
        for i in 0..16 {
            let s = s.clone();
            tasks.push(tokio::spawn(async move {
                let (key, bytes, ty) = if i % 2 == 0 {
                    ("photos/ab/h/1200.jpg", b"JPEG".to_vec(), "image/jpeg")
                } else {
                    ("photos/ab/h/1200.webp", b"RIFFWEBP".to_vec(), "image/webp")
                };
                s.put(key, bytes, ty).await
            }));
        }
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        let jpg = s.get("photos/ab/h/1200.jpg").await.unwrap().unwrap();
        let webp = s.get("photos/ab/h/1200.webp").await.unwrap().unwrap();
        assert_eq!((jpg.bytes.as_slice(), jpg.content_type.as_str()), (&b"JPEG"[..], "image/jpeg"));
        assert_eq!(
            (webp.bytes.as_slice(), webp.content_type.as_str()),
            (&b"RIFFWEBP"[..], "image/webp")
        );
        let keys: Vec<String> =
            s.list("photos/").await.unwrap().into_iter().map(|b| b.key).collect();
        assert_eq!(
            keys,
            ["photos/ab/h/1200.jpg", "photos/ab/h/1200.webp"],
            "no temporary file left"
        );
        let _ = std::fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn leftovers_of_interrupted_writes_are_removed_once_old_and_live_files_stay() {
        let (s, dir) = store();
        s.put("photos/ab/h/640.jpg", b"JPEG".to_vec(), "image/jpeg").await.unwrap();
        let folder = dir.join("photos/ab/h");
        std::fs::write(folder.join(".320.jpg.tmp-99-1"), b"half").unwrap();
        std::fs::write(folder.join("320.jpg.type"), b"image/jpeg").unwrap();
        // File times are the system's: compare with the system clock.
        let now = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now());
        let before_any = now - chrono::Duration::hours(1);
        assert_eq!(s.remove_leftovers(before_any).await.unwrap(), 0, "young leftovers stay");

        let later = now + chrono::Duration::seconds(5);
        assert_eq!(
            s.remove_leftovers(later).await.unwrap(),
            2,
            "the temp file and the lone sidecar"
        );
        assert!(!folder.join(".320.jpg.tmp-99-1").exists());
        assert!(!folder.join("320.jpg.type").exists());
        let kept = s.get("photos/ab/h/640.jpg").await.unwrap().unwrap();
        assert_eq!(kept.content_type, "image/jpeg", "a live file keeps its sidecar");
        let _ = std::fs::remove_dir_all(dir);
    }
}
