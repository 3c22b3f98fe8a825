//! Login and registration throttling, kept in the database (`throttle_buckets`) so every
//! instance counts the same attempts. An attempt is *reserved* before the password is verified
//! (compare-and-swap on the bucket), so thirty guesses sent at once cannot all be evaluated.
//!
//! - Per account (`login:acct:`): `free` attempts, then each further attempt waits twice as long
//!   as the one before, up to `backoff_max` — an attacker is slowed to a handful of guesses an
//!   hour while the owner waits minutes at worst. A successful login clears the account.
//! - Per client address (`login:addr:`, `register:addr:`): `free` attempts per window, then
//!   nothing until the window ends. A successful login gives its attempt back. The address is
//!   the socket peer, or the configured trusted-proxy header (`client_address`).

use std::net::{IpAddr, SocketAddr};

use axum::http::HeaderMap;
use chrono::{DateTime, Duration, Utc};
use etalase_db::repo::throttle::{self as repo, Bucket};
use sea_orm::ConnectionTrait;

use crate::config::Config;
use crate::error::{AppError, AppResult};

/// What happens once the free attempts are used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backoff {
    /// Wait `base × 2^(n − free)` seconds after the n-th attempt, at most `max` seconds.
    Doubling { base_secs: i64, max_secs: i64 },
    /// Wait until the window that began with the first attempt ends.
    UntilWindowEnds,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub free: u32,
    pub window: Duration,
    pub backoff: Backoff,
}

impl Policy {
    pub fn account(c: &Config) -> Policy {
        Policy {
            free: c.login_max_failures.max(1),
            window: secs(c.login_window_secs),
            backoff: Backoff::Doubling {
                base_secs: 2,
                max_secs: i64::try_from(c.login_backoff_max_secs).unwrap_or(300).max(1),
            },
        }
    }

    pub fn address(c: &Config) -> Policy {
        Policy {
            free: c.login_max_failures.max(1).saturating_mul(4),
            window: secs(c.login_window_secs),
            backoff: Backoff::UntilWindowEnds,
        }
    }

    pub fn registration(c: &Config) -> Policy {
        Policy {
            free: c.register_per_hour.max(1),
            window: Duration::hours(1),
            backoff: Backoff::UntilWindowEnds,
        }
    }
}

fn secs(s: u64) -> Duration {
    Duration::seconds(i64::try_from(s).unwrap_or(i64::MAX / 1000).min(366 * 24 * 3600))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// The attempt may go ahead; store this bucket.
    Allowed(Bucket),
    /// Refused; retry after this many seconds.
    Wait(u64),
}

fn seconds_until(now: DateTime<Utc>, then: DateTime<Utc>) -> u64 {
    let ms = (then - now).num_milliseconds().max(0);
    u64::try_from((ms + 999) / 1000).unwrap_or(1).max(1)
}

/// Whether one more attempt may be made now, and the bucket that records it.
pub fn decide(p: &Policy, current: Option<Bucket>, now: DateTime<Utc>) -> Decision {
    let stale = |b: &Bucket| match p.backoff {
        Backoff::Doubling { .. } => now >= b.next_allowed_at && now - b.last_attempt_at >= p.window,
        Backoff::UntilWindowEnds => now - b.window_started_at >= p.window,
    };
    let b = match current {
        Some(b) if !stale(&b) => b,
        _ => Bucket {
            attempts: 0,
            window_started_at: now,
            last_attempt_at: now,
            next_allowed_at: now,
        },
    };
    if now < b.next_allowed_at {
        return Decision::Wait(seconds_until(now, b.next_allowed_at));
    }
    let attempts = b.attempts.saturating_add(1);
    let next_allowed_at = if attempts < p.free {
        now
    } else {
        match p.backoff {
            Backoff::Doubling { base_secs, max_secs } => {
                let doublings = (attempts - p.free).min(30);
                let wait = base_secs.saturating_mul(1_i64 << doublings).min(max_secs);
                now + Duration::seconds(wait)
            }
            Backoff::UntilWindowEnds => b.window_started_at + p.window,
        }
    };
    Decision::Allowed(Bucket {
        attempts,
        window_started_at: b.window_started_at,
        last_attempt_at: now,
        next_allowed_at,
    })
}

/// The bucket after an attempt is given back (a successful login from this address).
pub fn refund(p: &Policy, b: Bucket, now: DateTime<Utc>) -> Bucket {
    let attempts = b.attempts.saturating_sub(1);
    let next_allowed_at =
        if attempts < p.free { b.next_allowed_at.min(now) } else { b.next_allowed_at };
    Bucket { attempts, next_allowed_at, ..b }
}

const SWAP_TRIES: usize = 24;

/// Reserves one attempt for `key`, or answers 429 with how long to wait (and counts the
/// refusal for `/metrics`).
pub async fn reserve(state: &crate::state::AppState, key: &str, p: &Policy) -> AppResult<()> {
    let refused = |retry_after| {
        state.metrics.throttled.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        AppError::TooManyRequests { retry_after }
    };
    let now = state.clock.now();
    for _ in 0..SWAP_TRIES {
        let current = repo::load(&state.db, key).await?;
        match decide(p, current.map(|(b, _)| b), now) {
            Decision::Wait(retry_after) => return Err(refused(retry_after)),
            Decision::Allowed(next) => {
                if repo::swap(&state.db, key, current.map(|(_, v)| v), &next).await? {
                    return Ok(());
                }
            }
        }
        tokio::task::yield_now().await;
    }
    // Too many requests for this key at the same moment: that alone is a reason to refuse.
    Err(refused(1))
}

/// Gives back one attempt reserved for `key` (best effort: a lost race keeps it counted).
pub async fn give_back(
    db: &impl ConnectionTrait,
    key: &str,
    p: &Policy,
    now: DateTime<Utc>,
) -> AppResult<()> {
    for _ in 0..4 {
        let Some((b, v)) = repo::load(db, key).await? else { return Ok(()) };
        if repo::swap(db, key, Some(v), &refund(p, b, now)).await? {
            return Ok(());
        }
    }
    Ok(())
}

/// Clears `key` (a successful login clears its account's attempts).
pub async fn clear(db: &impl ConnectionTrait, key: &str) -> AppResult<()> {
    repo::delete(db, key).await?;
    Ok(())
}

pub fn account_key(email: &str) -> String {
    format!("login:acct:{}", email.trim().to_lowercase())
}

pub fn address_key(kind: &str, addr: &str) -> String {
    format!("{kind}:addr:{addr}")
}

/// The client's address: the socket peer, or — when `trusted_proxy_header` is configured (the
/// server sits behind a reverse proxy) — the last address in that header, the one the proxy
/// itself saw. A missing or unparsable header falls back to the peer.
pub fn client_address(config: &Config, peer: SocketAddr, headers: &HeaderMap) -> String {
    if let Some(name) = config.trusted_proxy_header.as_deref().filter(|n| !n.trim().is_empty())
        && let Some(value) = headers.get(name.trim()).and_then(|v| v.to_str().ok())
        && let Some(ip) = value.rsplit(',').map(str::trim).find_map(|s| s.parse::<IpAddr>().ok())
    {
        return ip.to_string();
    }
    peer.ip().to_string()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn t(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + s, 0).unwrap()
    }

    fn account() -> Policy {
        Policy {
            free: 3,
            window: Duration::minutes(15),
            backoff: Backoff::Doubling { base_secs: 2, max_secs: 60 },
        }
    }

    fn run(p: &Policy, b: &mut Option<Bucket>, now: DateTime<Utc>) -> Decision {
        let d = decide(p, *b, now);
        if let Decision::Allowed(next) = d {
            *b = Some(next);
        }
        d
    }

    #[test]
    fn free_attempts_then_doubling_waits_capped() {
        let p = account();
        let mut b = None;
        for _ in 0..2 {
            assert!(matches!(run(&p, &mut b, t(0)), Decision::Allowed(_)));
        }
        // The third (last free) attempt is allowed but the next must wait 2 s.
        assert!(matches!(run(&p, &mut b, t(0)), Decision::Allowed(_)));
        assert_eq!(run(&p, &mut b, t(1)), Decision::Wait(1));
        assert!(matches!(run(&p, &mut b, t(2)), Decision::Allowed(_)));
        assert_eq!(run(&p, &mut b, t(3)), Decision::Wait(3), "then 4 s");
        let mut at = 6;
        for _ in 0..10 {
            assert!(matches!(run(&p, &mut b, t(at)), Decision::Allowed(_)));
            match run(&p, &mut b, t(at)) {
                Decision::Wait(w) => {
                    assert!(w <= 60, "never more than the cap: {w}");
                    at += i64::try_from(w).unwrap();
                }
                Decision::Allowed(_) => panic!("an attempt past the free ones must wait"),
            }
        }
    }

    #[test]
    fn an_idle_account_starts_afresh_after_the_window() {
        let p = account();
        let mut b = None;
        for _ in 0..3 {
            run(&p, &mut b, t(0));
        }
        assert!(matches!(run(&p, &mut b, t(1)), Decision::Wait(_)));
        assert!(matches!(
            run(&p, &mut b, t(15 * 60)),
            Decision::Allowed(Bucket { attempts: 1, .. })
        ));
    }

    #[test]
    fn an_address_waits_for_the_window_and_a_refund_frees_it() {
        let p =
            Policy { free: 2, window: Duration::minutes(15), backoff: Backoff::UntilWindowEnds };
        let mut b = None;
        run(&p, &mut b, t(0));
        run(&p, &mut b, t(10));
        assert_eq!(run(&p, &mut b, t(20)), Decision::Wait(15 * 60 - 20));
        b = Some(refund(&p, b.unwrap(), t(20)));
        assert!(matches!(run(&p, &mut b, t(21)), Decision::Allowed(_)));
        assert!(matches!(
            run(&p, &mut b, t(15 * 60)),
            Decision::Allowed(Bucket { attempts: 1, .. })
        ));
    }

    #[test]
    fn the_trusted_header_names_the_client_only_when_configured() {
        let peer: SocketAddr = "10.0.0.1:5000".parse().unwrap();
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", "1.2.3.4, 5.6.7.8".parse().unwrap());
        let mut c = Config::default();
        assert_eq!(client_address(&c, peer, &h), "10.0.0.1", "not trusted unless configured");
        c.trusted_proxy_header = Some("X-Forwarded-For".into());
        assert_eq!(client_address(&c, peer, &h), "5.6.7.8", "the address the proxy saw");
        h.insert("x-forwarded-for", "bukan-alamat".parse().unwrap());
        assert_eq!(client_address(&c, peer, &h), "10.0.0.1");
    }
}
