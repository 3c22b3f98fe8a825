//! Where the log goes. `etalase serve` writes a line per request (`crate::observe`); written
//! straight to stdout, a reader that falls behind (a full pipe to journald or a container's log
//! driver) would block the request thread in the middle of its request, and with one request
//! thread that stalls every request. So the server's lines go through a bounded queue to a
//! thread of their own; when the queue is full, a line is dropped and counted
//! (`etalase_log_lines_dropped_total` in `/metrics`) rather than waited for. The one-shot
//! commands (`migrate`, `import`, …) write straight to stdout: nothing waits on them, and some
//! end with `std::process::exit`, which would skip the queue's last lines.

use std::io::Write;
use std::sync::OnceLock;

use tracing_appender::non_blocking::{ErrorCounter, NonBlocking, NonBlockingBuilder, WorkerGuard};
use tracing_subscriber::EnvFilter;

/// Lines the queue holds before it drops.
pub const QUEUE_LINES: usize = 16_384;

static DROPPED: OnceLock<ErrorCounter> = OnceLock::new();

/// A writer into a queue of `lines` lines, written to `sink` by a thread of its own; a line
/// that finds the queue full is dropped and counted. Keep the guard: dropping it writes out what
/// is queued and ends the thread.
pub fn queued<W: Write + Send + 'static>(sink: W, lines: usize) -> (NonBlocking, WorkerGuard) {
    NonBlockingBuilder::default()
        .lossy(true)
        .buffered_lines_limit(lines.max(1))
        .thread_name("etalase-log")
        .finish(sink)
}

/// Installs this process's log (`json`: one JSON object per line, with the request id of its
/// span): through the queue when `queue` (the server), else straight to stdout. The guard, when
/// there is one, must live as long as the process logs.
pub fn install(filter: EnvFilter, json: bool, queue: bool) -> Option<WorkerGuard> {
    let (writer, guard) = if queue {
        let (writer, guard) = queued(std::io::stdout(), QUEUE_LINES);
        let _ = DROPPED.set(writer.error_counter());
        (tracing_subscriber::fmt::writer::BoxMakeWriter::new(writer), Some(guard))
    } else {
        (tracing_subscriber::fmt::writer::BoxMakeWriter::new(std::io::stdout), None)
    };
    // Colours only on a terminal: a file, journald or a log collector gets plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let fmt = tracing_subscriber::fmt().with_env_filter(filter).with_writer(writer).with_ansi(ansi);
    if json {
        fmt.json().with_current_span(true).init();
    } else {
        fmt.init();
    }
    guard
}

/// Lines the server's queue has dropped so far (0 when the log is not queued).
pub fn dropped() -> u64 {
    DROPPED.get().map_or(0, |c| c.dropped_lines() as u64)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    /// A log reader that takes nothing until `open` is sent, then keeps what it reads.
    struct Stalled {
        open: Arc<Mutex<mpsc::Receiver<()>>>,
        opened: bool,
        kept: Arc<Mutex<Vec<u8>>>,
    }

    impl Write for Stalled {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if !self.opened {
                let _ = self.open.lock().unwrap().recv();
                self.opened = true;
            }
            self.kept.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_stalled_reader_costs_lines_not_the_writers_time() {
        let (open, wait) = mpsc::channel();
        let kept = Arc::new(Mutex::new(Vec::new()));
        let sink = Stalled { open: Arc::new(Mutex::new(wait)), opened: false, kept: kept.clone() };
        let (writer, guard) = queued(sink, 8);
        let counter = writer.error_counter();
        let subscriber = tracing_subscriber::fmt().with_ansi(false).with_writer(writer).finish();
        // The writes run on a thread of their own: were they to wait for the reader, the test
        // fails at the timeout instead of hanging.
        let (done, finished) = mpsc::channel();
        std::thread::spawn(move || {
            tracing::subscriber::with_default(subscriber, || {
                for i in 0..1_000 {
                    tracing::info!(i, "request");
                }
            });
            let _ = done.send(());
        });
        finished
            .recv_timeout(Duration::from_secs(20))
            .expect("1,000 lines written without waiting");
        let dropped = counter.dropped_lines();
        assert!((990..1_000).contains(&dropped), "dropped {dropped}");
        open.send(()).unwrap();
        drop(guard);
        let text = String::from_utf8(kept.lock().unwrap().clone()).unwrap();
        let lines = text.lines().count();
        assert_eq!(lines + dropped, 1_000, "every line written or counted: {text}");
        assert!(text.lines().next().unwrap().contains("i=0"), "the first lines are kept: {text}");
    }
}
