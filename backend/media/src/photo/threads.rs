//! How many threads photo processing may use at once, shared by every photo in flight.
//!
//! The server lets `photo_concurrency` photos run at once (a semaphore, one blocking thread
//! each). A photo may encode its variants on helper threads, but only on threads that budget
//! leaves free: each photo counts its own thread, and borrows helpers only while the total stays
//! within the capacity. So one photo alone uses up to the whole budget, and when the budget's
//! photos all run at once each encodes on its own thread as before — never more threads than the
//! semaphore allows. Set the capacity to the server's `photo_concurrency`
//! (`photo::threads().set_capacity(n)`); the default, 2, is the server's default and this
//! machine's cores.

use std::sync::atomic::{AtomicUsize, Ordering};

/// The server's default `photo_concurrency`.
pub const DEFAULT_PHOTO_THREADS: usize = 2;

/// A budget of threads for photo processing (see the module documentation).
#[derive(Debug)]
pub struct ThreadBudget {
    capacity: AtomicUsize,
    busy: AtomicUsize,
}

impl ThreadBudget {
    /// A budget of `capacity` threads (at least 1).
    pub const fn new(capacity: usize) -> Self {
        let capacity = if capacity == 0 { 1 } else { capacity };
        Self { capacity: AtomicUsize::new(capacity), busy: AtomicUsize::new(0) }
    }

    /// Changes the capacity (at least 1); leases already taken keep their threads.
    pub fn set_capacity(&self, capacity: usize) {
        self.capacity.store(capacity.max(1), Ordering::Release);
    }

    pub fn capacity(&self) -> usize {
        self.capacity.load(Ordering::Acquire)
    }

    /// Threads counted as working right now.
    pub fn busy(&self) -> usize {
        self.busy.load(Ordering::Acquire)
    }

    /// The caller's own thread, plus as many helpers as the budget has free, `want` threads at
    /// most in all. The caller always counts (it is already running); helpers never take the
    /// total over the capacity.
    pub fn lease(&self, want: usize) -> Lease<'_> {
        let capacity = self.capacity();
        let mut helpers = 0;
        // `fetch_update` retries the closure until no other lease raced in between.
        let _ = self.busy.fetch_update(Ordering::AcqRel, Ordering::Acquire, |busy| {
            helpers = capacity.saturating_sub(busy + 1).min(want.saturating_sub(1));
            Some(busy + 1 + helpers)
        });
        Lease { budget: self, threads: 1 + helpers }
    }
}

/// Threads taken from a budget, given back on drop.
#[derive(Debug)]
pub struct Lease<'a> {
    budget: &'a ThreadBudget,
    threads: usize,
}

impl Lease<'_> {
    /// The caller's thread included.
    pub fn threads(&self) -> usize {
        self.threads
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        self.budget.busy.fetch_sub(self.threads, Ordering::AcqRel);
    }
}

static PHOTO_THREADS: ThreadBudget = ThreadBudget::new(DEFAULT_PHOTO_THREADS);

/// The process-wide budget `process` and `process_timed` use.
pub fn threads() -> &'static ThreadBudget {
    &PHOTO_THREADS
}

/// Runs `f` over `items` on `threads` threads (the caller's included), keeping the order of
/// `items` in the result. Workers take the next item as they finish one, so list the costly
/// items first.
pub(crate) fn par_map<I: Sync, O: Send>(
    items: &[I],
    threads: usize,
    f: impl Fn(&I) -> O + Sync,
) -> Vec<O> {
    let threads = threads.clamp(1, items.len().max(1));
    if threads == 1 {
        return items.iter().map(&f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            done.push((i, f(item)));
        }
        done
    };
    let mut done = std::thread::scope(|s| {
        let helpers: Vec<_> = (1..threads).map(|_| s.spawn(work)).collect();
        let mut done = work();
        for h in helpers {
            match h.join() {
                Ok(d) => done.extend(d),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        done
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, o)| o).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_photo_alone_borrows_the_free_threads_and_gives_them_back() {
        let b = ThreadBudget::new(2);
        let lease = b.lease(6);
        assert_eq!(lease.threads(), 2);
        assert_eq!(b.busy(), 2);
        drop(lease);
        assert_eq!(b.busy(), 0);
    }

    #[test]
    fn photos_running_at_once_never_take_more_than_the_capacity() {
        let b = ThreadBudget::new(2);
        let first = b.lease(1);
        assert_eq!(first.threads(), 1, "a photo that wants one thread takes one");
        let second = b.lease(6);
        assert_eq!(second.threads(), 1, "only its own thread: the other one is busy");
        assert_eq!(b.busy(), 2);
        // A caller beyond the capacity still runs on its own thread, with no helper.
        let third = b.lease(6);
        assert_eq!(third.threads(), 1);
        assert_eq!(b.busy(), 3);
        drop((first, second, third));
        let b4 = ThreadBudget::new(4);
        let a = b4.lease(3);
        let c = b4.lease(3);
        assert_eq!((a.threads(), c.threads()), (3, 1));
    }

    #[test]
    fn a_capacity_of_one_means_sequential_and_zero_is_read_as_one() {
        let b = ThreadBudget::new(0);
        assert_eq!(b.capacity(), 1);
        assert_eq!(b.lease(6).threads(), 1);
        b.set_capacity(3);
        assert_eq!(b.lease(6).threads(), 3);
        assert_eq!(b.busy(), 0);
    }

    #[test]
    fn par_map_keeps_the_order_and_uses_the_threads_it_is_given() {
        let items: Vec<u64> = (0..40).collect();
        let seen = std::sync::Mutex::new(std::collections::HashSet::new());
        let out = par_map(&items, 3, |x| {
            seen.lock().unwrap_or_else(|e| e.into_inner()).insert(std::thread::current().id());
            std::thread::sleep(std::time::Duration::from_millis(2));
            x * x
        });
        assert_eq!(out, items.iter().map(|x| x * x).collect::<Vec<_>>());
        let threads = seen.lock().unwrap_or_else(|e| e.into_inner()).len();
        assert!((2..=3).contains(&threads), "{threads} threads");
        assert_eq!(par_map(&items, 1, |x| x + 1), (1..41).collect::<Vec<_>>());
    }
}
