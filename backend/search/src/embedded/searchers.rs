//! Owns the threads searches run on: one per core, taking searches in the order they came.
//! Handing every search to the blocking pool ran as many at once as there were callers,
//! sharing the cores: with 16 callers a 2 ms search finished after about 16 ms, and the
//! longest ones set the p99. Here a search waits its turn and then has a core to itself, and
//! a thread goes straight on to the next search without waiting to be woken.

use crate::error::{Error, Result};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};

type Job = Box<dyn FnOnce() + Send>;

/// The search threads; they end when this is dropped (and the searches queued ran).
pub(super) struct Searchers {
    queue: Sender<Job>,
}

impl Searchers {
    /// Starts `threads` search threads (at least one).
    pub(super) fn start(threads: usize) -> Result<Searchers> {
        let (tx, rx) = channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        for i in 0..threads.max(1) {
            let rx = rx.clone();
            std::thread::Builder::new()
                .name(format!("cari-{i}"))
                .spawn(move || serve(&rx))
                .map_err(Error::Io)?;
        }
        Ok(Searchers { queue: tx })
    }

    /// Runs `f` on a search thread when its turn comes. A panic in `f` is an error for this
    /// search only: the thread goes on with the next.
    pub(super) async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let (done, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = done.send(f());
        });
        self.queue.send(job).map_err(|_| stopped())?;
        result.await.map_err(|_| Error::Corrupt("pencarian gagal di tengah jalan".into()))?
    }
}

fn stopped() -> Error {
    Error::Corrupt("antrean pencarian berhenti".into())
}

/// Runs the queued searches until the queue is dropped.
fn serve(rx: &Mutex<Receiver<Job>>) {
    loop {
        // The lock is held only while taking one search, not while running it.
        let next = match rx.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        let Ok(job) = next else { return };
        if catch_unwind(AssertUnwindSafe(job)).is_err() {
            tracing::error!("pencarian panik; thread pencarian lanjut");
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn a_panicking_search_fails_alone_and_the_thread_goes_on() {
        // One thread: had the panic ended it, nothing would answer after.
        let searchers = Searchers::start(1).unwrap();
        let failed = searchers.run(|| -> Result<u32> { panic!("boom") }).await;
        assert!(failed.is_err());
        for i in 0..3u32 {
            let answer =
                tokio::time::timeout(Duration::from_secs(10), searchers.run(move || Ok(i)));
            assert_eq!(answer.await.unwrap().unwrap(), i);
        }
    }

    #[tokio::test]
    async fn searches_beyond_the_threads_wait_their_turn_and_all_answer() {
        let searchers = Arc::new(Searchers::start(2).unwrap());
        let running = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let most = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let tasks: Vec<_> = (0..12u32)
            .map(|i| {
                let (searchers, running, most) = (searchers.clone(), running.clone(), most.clone());
                tokio::spawn(async move {
                    searchers
                        .run(move || {
                            use std::sync::atomic::Ordering::SeqCst;
                            let now = running.fetch_add(1, SeqCst) + 1;
                            most.fetch_max(now, SeqCst);
                            std::thread::sleep(Duration::from_millis(5));
                            running.fetch_sub(1, SeqCst);
                            Ok(i * 2)
                        })
                        .await
                })
            })
            .collect();
        let mut answers = Vec::new();
        for t in tasks {
            answers.push(t.await.unwrap().unwrap());
        }
        assert_eq!(answers, (0..12).map(|i| i * 2).collect::<Vec<u32>>());
        assert_eq!(most.load(std::sync::atomic::Ordering::SeqCst), 2, "two threads, two at once");
    }
}
