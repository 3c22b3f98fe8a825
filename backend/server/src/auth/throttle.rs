//! Login throttling: failed attempts are counted per account and per client address within a
//! sliding window; past the limit, logins answer 429 with `Retry-After`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct LoginThrottle {
    max_failures: u32,
    window: Duration,
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl LoginThrottle {
    pub fn new(max_failures: u32, window: Duration) -> Self {
        Self { max_failures, window, failures: Mutex::new(HashMap::new()) }
    }

    fn keys(email: &str, ip: &str) -> [(String, u32); 2] {
        [(format!("email:{}", email.to_lowercase()), 1), (format!("ip:{ip}"), 4)]
    }

    /// `Some(seconds)` to wait when this account or address is locked out now.
    pub fn check(&self, email: &str, ip: &str, now: Instant) -> Option<u64> {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let mut wait = None;
        for (key, factor) in Self::keys(email, ip) {
            if let Some(list) = map.get_mut(&key) {
                list.retain(|t| now.duration_since(*t) < self.window);
                if list.len() as u32 >= self.max_failures * factor {
                    let oldest = list.first().copied().unwrap_or(now);
                    let left =
                        self.window.saturating_sub(now.duration_since(oldest)).as_secs().max(1);
                    wait = Some(wait.map_or(left, |w: u64| w.max(left)));
                }
            }
        }
        wait
    }

    pub fn record_failure(&self, email: &str, ip: &str, now: Instant) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        for (key, _) in Self::keys(email, ip) {
            map.entry(key).or_default().push(now);
        }
    }

    pub fn record_success(&self, email: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(&format!("email:{}", email.to_lowercase()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_after_the_limit_and_unlocks_after_the_window() {
        let t = LoginThrottle::new(3, Duration::from_secs(60));
        let start = Instant::now();
        for _ in 0..3 {
            assert_eq!(t.check("a@x.id", "1.1.1.1", start), None);
            t.record_failure("A@x.id", "1.1.1.1", start);
        }
        let wait = t.check("a@x.id", "1.1.1.1", start + Duration::from_secs(10));
        assert_eq!(wait, Some(50));
        assert_eq!(t.check("a@x.id", "1.1.1.1", start + Duration::from_secs(61)), None);
    }

    #[test]
    fn success_clears_the_account_counter() {
        let t = LoginThrottle::new(2, Duration::from_secs(60));
        let now = Instant::now();
        t.record_failure("a@x.id", "ip", now);
        t.record_success("a@x.id");
        t.record_failure("a@x.id", "ip", now);
        assert_eq!(t.check("a@x.id", "ip", now), None);
    }
}
