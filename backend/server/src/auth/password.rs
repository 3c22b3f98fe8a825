//! argon2id password hashing, run on the blocking pool in bounded pools: password checks
//! (logins) and new hashes (registration, password changes) have separate permits and queues,
//! so a flood of registrations cannot starve logins, and a full queue answers 503 with
//! `Retry-After` instead of piling up waiters.

use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::Semaphore;

use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};

use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Minimum password length accepted at registration.
pub const MIN_PASSWORD_LEN: usize = 8;

pub fn hash_blocking(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hash kata sandi gagal: {e}"))
}

pub fn verify_blocking(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// A bounded pool for argon2 work: `permits` run at once, at most `capacity` wait or run.
pub struct HashPool {
    permits: Semaphore,
    queued: AtomicUsize,
    capacity: usize,
}

struct Queued<'a>(&'a AtomicUsize);

impl Drop for Queued<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl HashPool {
    pub fn new(permits: usize, capacity: usize) -> Self {
        let permits = permits.max(1);
        Self {
            permits: Semaphore::new(permits),
            queued: AtomicUsize::new(0),
            capacity: capacity.max(permits),
        }
    }

    /// Runs `work` on the blocking pool, or answers 503 (`busy`) when the queue is full.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> AppResult<T> {
        let before = self.queued.fetch_add(1, Ordering::SeqCst);
        let _queued = Queued(&self.queued);
        if before >= self.capacity {
            return Err(AppError::Busy { retry_after: 2 });
        }
        let _permit =
            self.permits.acquire().await.map_err(|e| AppError::Internal(anyhow::anyhow!(e)))?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| AppError::Internal(anyhow::anyhow!("password hashing stopped: {e}")))
    }
}

/// Hashes a new password (registration, password change, new accounts).
pub async fn hash(state: &AppState, password: String) -> AppResult<String> {
    state.new_passwords.run(move || hash_blocking(&password)).await?.map_err(AppError::Internal)
}

/// Checks a password against its hash (logins).
pub async fn verify(state: &AppState, password: String, hash: String) -> AppResult<bool> {
    state.password_checks.run(move || verify_blocking(&password, &hash)).await
}

/// A dummy hash to verify against when the account does not exist, so timing does not tell
/// which e-mail addresses are registered.
pub fn dummy_hash() -> &'static str {
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2wHY2o8Gk2ToPI+o2Pn6vZc6pRcZKjAa6r1sGV0QwKE"
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_full_pool_answers_busy_and_frees_its_place_afterwards() {
        let pool = std::sync::Arc::new(HashPool::new(1, 2));
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
        let mut running = Vec::new();
        for _ in 0..2 {
            let (pool, rx) = (pool.clone(), rx.clone());
            running.push(tokio::spawn(async move {
                pool.run(move || rx.lock().unwrap().recv().is_ok()).await
            }));
        }
        while pool.queued.load(Ordering::SeqCst) < 2 {
            tokio::task::yield_now().await;
        }
        assert!(matches!(pool.run(|| ()).await, Err(AppError::Busy { retry_after: 2 })));
        tx.send(()).unwrap();
        tx.send(()).unwrap();
        for r in running {
            assert!(r.await.unwrap().unwrap());
        }
        assert!(pool.run(|| 7).await.is_ok_and(|v| v == 7), "room again once they finished");
    }

    #[test]
    fn a_hash_verifies_its_password_and_nothing_else() {
        let h = hash_blocking("rahasia-sekali").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_blocking("rahasia-sekali", &h));
        assert!(!verify_blocking("rahasia-sekal1", &h));
        assert!(!verify_blocking("rahasia-sekali", "bukan-hash"));
    }
}
