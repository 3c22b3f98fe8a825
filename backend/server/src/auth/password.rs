//! argon2id password hashing, run on the blocking pool under a semaphore.

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

pub async fn hash(state: &AppState, password: String) -> AppResult<String> {
    let _permit =
        state.hash_permits.acquire().await.map_err(|e| AppError::Internal(anyhow::anyhow!(e)))?;
    tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!(e)))?
        .map_err(AppError::Internal)
}

pub async fn verify(state: &AppState, password: String, hash: String) -> AppResult<bool> {
    let _permit =
        state.hash_permits.acquire().await.map_err(|e| AppError::Internal(anyhow::anyhow!(e)))?;
    tokio::task::spawn_blocking(move || verify_blocking(&password, &hash))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!(e)))
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

    #[test]
    fn a_hash_verifies_its_password_and_nothing_else() {
        let h = hash_blocking("rahasia-sekali").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_blocking("rahasia-sekali", &h));
        assert!(!verify_blocking("rahasia-sekal1", &h));
        assert!(!verify_blocking("rahasia-sekali", "bukan-hash"));
    }
}
