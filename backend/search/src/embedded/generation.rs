//! Owns one generation of the embedded index on disk: a tantivy index in its own directory
//! (`<dir>/gen-<n>`), its reader, its single writer behind a mutex, and the write operations
//! (each commits and reloads the reader, so a search right after sees the change). The
//! generation named in `<dir>/CURRENT` is the live one; reindexing builds the next one beside
//! it and `set_current` swaps the pointer atomically (write + rename).

use super::columns::SegmentColumns;
use super::matching::{Expansions, expand};
use super::schema::{self, Fields};
use crate::error::{Error, Result};
use crate::plan::WordSpec;
use etalase_domain::search::ProductDoc;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use tantivy::collector::DocSetCollector;
use tantivy::indexer::{LogMergePolicy, NoMergePolicy};
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{
    Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, Term,
    index::SegmentId,
};

/// Decompressed doc store blocks each segment's reader keeps (tantivy's default is 100): a
/// page's hits are read from them, so the products searches keep showing stay decompressed
/// (a block holds about 16 KB of stored JSON: up to 8 MB a segment when all are used).
const DOC_STORE_CACHE_BLOCKS: usize = 500;

/// How often `compact` tries to merge while a background merge still runs (100 ms apart).
const COMPACT_ATTEMPTS: u32 = 300;

/// Writer heap (the tantivy minimum is 15 MB).
const WRITER_HEAP_BYTES: usize = 32_000_000;
const CURRENT: &str = "CURRENT";
/// What a generation was built with (positions indexed, these stop words left out); one
/// written otherwise is not reused.
const FORMAT: &str = "FORMAT";

fn format_text(stop_words: &[String]) -> String {
    format!("etalase-embedded 2 positions\nstop: {}\n", stop_words.join(" "))
}

/// Most word expansions kept per reader generation (the cache is emptied when full).
const MAX_CACHED_EXPANSIONS: usize = 10_000;

/// Words of the searchable fields of one reader generation, and the expansions of query words
/// already computed against them.
pub(crate) struct Lexicon {
    words: BTreeSet<String>,
    expansions: Mutex<HashMap<WordSpec, Expansions>>,
}

impl Lexicon {
    /// The indexed words `spec` matches (cached).
    pub fn expand(&self, spec: &WordSpec) -> Result<Expansions> {
        if let Some(e) = lock(&self.expansions)?.get(spec) {
            return Ok(e.clone());
        }
        let e = Arc::new(expand(spec, &self.words));
        let mut cache = lock(&self.expansions)?;
        if cache.len() >= MAX_CACHED_EXPANSIONS {
            cache.clear();
        }
        cache.insert(spec.clone(), e.clone());
        Ok(e)
    }
}

/// One on-disk index with its reader and writer.
pub(crate) struct Generation {
    pub name: String,
    pub path: PathBuf,
    pub fields: Fields,
    reader: IndexReader,
    writer: Mutex<Option<IndexWriter<TantivyDocument>>>,
    vocab: Mutex<Option<(u64, Arc<Lexicon>)>>,
    columns: Mutex<HashMap<SegmentId, Arc<SegmentColumns>>>,
}

fn lock<T>(m: &Mutex<T>) -> Result<MutexGuard<'_, T>> {
    m.lock().map_err(|_| Error::Corrupt("kunci indeks rusak".into()))
}

impl Generation {
    /// Creates an empty generation `name` under `dir`; `stop_words` are not indexed.
    pub fn create(dir: &Path, name: &str, stop_words: &[String]) -> Result<Generation> {
        let path = dir.join(name);
        fs::create_dir_all(&path)?;
        let index = Index::create_in_dir(&path, schema::schema())?;
        fs::write(path.join(FORMAT), format_text(stop_words))?;
        Generation::from_index(index, name, path, stop_words)
    }

    /// Whether generation `name` under `dir` was built the way this version builds one.
    pub fn is_current_format(dir: &Path, name: &str, stop_words: &[String]) -> bool {
        fs::read_to_string(dir.join(name).join(FORMAT)).is_ok_and(|f| f == format_text(stop_words))
    }

    /// Opens the existing generation `name` under `dir`.
    pub fn open(dir: &Path, name: &str, stop_words: &[String]) -> Result<Generation> {
        let path = dir.join(name);
        let index = Index::open_in_dir(&path)?;
        Generation::from_index(index, name, path, stop_words)
    }

    fn from_index(
        index: Index,
        name: &str,
        path: PathBuf,
        stop_words: &[String],
    ) -> Result<Generation> {
        schema::register_tokenizers(&index, stop_words);
        let fields = schema::fields(&index.schema())?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .doc_store_cache_num_blocks(DOC_STORE_CACHE_BLOCKS)
            .try_into()?;
        let writer = index.writer_with_num_threads(1, WRITER_HEAP_BYTES)?;
        Ok(Generation {
            name: name.to_string(),
            path,
            fields,
            reader,
            writer: Mutex::new(Some(writer)),
            vocab: Mutex::new(None),
            columns: Mutex::new(HashMap::new()),
        })
    }

    /// A searcher on the last commit.
    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// Runs `f` on the writer, commits and reloads the reader.
    fn write(&self, f: impl FnOnce(&mut IndexWriter<TantivyDocument>) -> Result<()>) -> Result<()> {
        let mut guard = lock(&self.writer)?;
        let writer = guard.as_mut().ok_or_else(|| Error::Reindex("indeks sudah ditutup".into()))?;
        if let Err(e) = f(writer) {
            writer.rollback()?;
            return Err(e);
        }
        writer.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// Adds or replaces documents by id, never by an older revision (`crate::revision`).
    pub fn upsert(&self, docs: &[ProductDoc]) -> Result<()> {
        let docs = crate::revision::newest(docs);
        self.write(|w| {
            let searcher = self.searcher();
            for d in docs {
                if !crate::revision::may_replace(d, self.stored_revision(&searcher, d.id)?) {
                    tracing::debug!(id = d.id, revision = d.revision, "older snapshot not indexed");
                    continue;
                }
                w.delete_term(Term::from_field_i64(self.fields.id, d.id));
                w.add_document(schema::to_document(&self.fields, d)?)?;
            }
            Ok(())
        })
    }

    /// Merges every segment into one (after a rebuild: a search's fixed costs are per
    /// segment) and reloads the reader. Background merges (tantivy's default policy) are paused
    /// meanwhile; one still
    /// running makes the merge fail, so it is tried again for a while. A merge that never
    /// succeeds leaves the segments as they were (searching them is slower, not wrong).
    pub fn compact(&self) -> Result<()> {
        let mut guard = lock(&self.writer)?;
        let writer = guard.as_mut().ok_or_else(|| Error::Reindex("indeks sudah ditutup".into()))?;
        writer.set_merge_policy(Box::new(NoMergePolicy));
        for attempt in 1..=COMPACT_ATTEMPTS {
            let ids = writer.index().searchable_segment_ids()?;
            if ids.len() <= 1 {
                break;
            }
            match writer.merge(&ids).wait() {
                Ok(_) => {
                    self.reader.reload()?;
                    break;
                }
                Err(e) if attempt == COMPACT_ATTEMPTS => {
                    tracing::warn!(error = %e, "segmen indeks tidak digabung")
                }
                Err(_) => std::thread::sleep(std::time::Duration::from_millis(100)),
            }
        }
        writer.set_merge_policy(Box::new(LogMergePolicy::default()));
        Ok(())
    }

    /// The revision of document `id` in the last commit, if it is there.
    fn stored_revision(&self, searcher: &Searcher, id: i64) -> Result<Option<i64>> {
        let term = Term::from_field_i64(self.fields.id, id);
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        let found = searcher.search(&query, &DocSetCollector)?;
        let mut revision = None;
        for addr in found {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let r = schema::from_document(&self.fields, &doc)?.revision;
            revision = Some(revision.map_or(r, |x: i64| x.max(r)));
        }
        Ok(revision)
    }

    /// Removes documents by id.
    pub fn delete(&self, ids: &[i64]) -> Result<()> {
        self.write(|w| {
            for id in ids {
                w.delete_term(Term::from_field_i64(self.fields.id, *id));
            }
            Ok(())
        })
    }

    /// Removes every document.
    pub fn clear(&self) -> Result<()> {
        self.write(|w| {
            w.delete_all_documents()?;
            Ok(())
        })
    }

    /// `(id, version)` of every live document.
    pub fn versions(&self) -> Result<Vec<(i64, i64)>> {
        let searcher = self.searcher();
        let mut out = Vec::new();
        for seg in searcher.segment_readers() {
            let store = seg.get_store_reader(64)?;
            for doc_id in seg.doc_ids_alive() {
                let doc: TantivyDocument = store.get(doc_id)?;
                let d = schema::from_document(&self.fields, &doc)?;
                out.push((d.id, d.version));
            }
        }
        Ok(out)
    }

    /// Number of live documents.
    pub fn count(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// The words of `fields` in the index `searcher` sees (cached per reader generation).
    pub fn lexicon(
        &self,
        searcher: &Searcher,
        fields: &[tantivy::schema::Field],
    ) -> Result<Arc<Lexicon>> {
        let id = searcher.generation().generation_id();
        if let Some((cached, v)) = lock(&self.vocab)?.as_ref()
            && *cached == id
        {
            return Ok(v.clone());
        }
        let started = std::time::Instant::now();
        let mut words = BTreeSet::new();
        for segment in searcher.segment_readers() {
            for field in fields {
                let inverted = segment.inverted_index(*field)?;
                let mut stream = inverted.terms().stream()?;
                while stream.advance() {
                    if let Ok(w) = std::str::from_utf8(stream.key()) {
                        words.insert(w.to_string());
                    }
                }
            }
        }
        tracing::debug!(
            words = words.len(),
            segments = searcher.segment_readers().len(),
            ms = started.elapsed().as_secs_f64() * 1000.0,
            "lexicon rebuilt"
        );
        let v = Arc::new(Lexicon { words, expansions: Mutex::new(HashMap::new()) });
        *lock(&self.vocab)? = Some((id, v.clone()));
        Ok(v)
    }

    /// The decoded columns of each segment `searcher` sees (cached by segment: segments never
    /// change; entries of segments the searcher no longer has are dropped).
    pub fn segment_columns(&self, searcher: &Searcher) -> Result<Vec<Arc<SegmentColumns>>> {
        let mut cache = lock(&self.columns)?;
        let mut out = Vec::new();
        for seg in searcher.segment_readers() {
            let columns = match cache.get(&seg.segment_id()) {
                Some(c) => c.clone(),
                None => {
                    let c = Arc::new(SegmentColumns::read(seg)?);
                    cache.insert(seg.segment_id(), c.clone());
                    c
                }
            };
            out.push(columns);
        }
        if cache.len() > out.len() {
            let live: HashSet<SegmentId> =
                searcher.segment_readers().iter().map(|s| s.segment_id()).collect();
            cache.retain(|id, _| live.contains(id));
        }
        Ok(out)
    }

    /// Stops the writer (waiting for merges) so the directory can be removed.
    pub fn close(&self) -> Result<()> {
        if let Some(w) = lock(&self.writer)?.take() {
            w.wait_merging_threads()?;
        }
        Ok(())
    }
}

/// The live generation's name, if `dir` has one.
pub(crate) fn current(dir: &Path) -> Result<Option<String>> {
    match fs::read_to_string(dir.join(CURRENT)) {
        Ok(s) if !s.trim().is_empty() => Ok(Some(s.trim().to_string())),
        Ok(_) => Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Points `CURRENT` at `name` atomically (write a temporary file, fsync, rename).
pub(crate) fn set_current(dir: &Path, name: &str) -> Result<()> {
    use std::io::Write;
    let tmp = dir.join(format!("{CURRENT}.tmp"));
    let mut f = fs::File::create(&tmp)?;
    f.write_all(name.as_bytes())?;
    f.sync_all()?;
    fs::rename(&tmp, dir.join(CURRENT))?;
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// A new generation name, later than every existing one in `dir`.
pub(crate) fn next_name(dir: &Path) -> Result<String> {
    let mut last = 0u64;
    for entry in fs::read_dir(dir)? {
        let name = entry?.file_name().to_string_lossy().to_string();
        if let Some(n) = name.strip_prefix("gen-").and_then(|n| n.parse::<u64>().ok()) {
            last = last.max(n);
        }
    }
    Ok(format!("gen-{:06}", last + 1))
}

/// Removes every generation directory except `keep` (leftovers of an interrupted reindex).
pub(crate) fn remove_others(dir: &Path, keep: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with("gen-")
            && name != keep
            && let Err(e) = fs::remove_dir_all(entry.path())
        {
            tracing::warn!(dir = %entry.path().display(), error = %e, "generasi lama tidak terhapus");
        }
    }
}
