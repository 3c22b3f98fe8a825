//! Session tokens: 32 random bytes shown once to the client; only their SHA-256 is stored.

use base64::Engine;
use chrono::Duration;
use etalase_db::repo::sessions::{self, NewSession};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::error::AppResult;
use crate::state::AppState;

pub const COOKIE_NAME: &str = "etalase_session";

pub use etalase_domain::SessionKind;

pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new session: the clear token (for the client) and when it expires.
pub struct Issued {
    pub token: String,
    pub csrf: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

pub async fn issue(state: &AppState, user_id: i64, kind: SessionKind) -> AppResult<Issued> {
    let now = state.clock.now();
    let hours = match kind {
        SessionKind::Web => state.config.web_session_hours,
        SessionKind::Api => state.config.api_token_hours,
    };
    let token = random_token();
    let csrf = random_token();
    let expires_at = now + Duration::hours(hours);
    sessions::create(
        &state.db,
        NewSession {
            token_hash: &token_hash(&token),
            user_id,
            kind,
            csrf_token: &csrf,
            expires_at,
        },
        now,
    )
    .await?;
    Ok(Issued { token, csrf, expires_at })
}

/// `Set-Cookie` value for a web session.
pub fn cookie(state: &AppState, token: &str, max_age_secs: i64) -> String {
    let secure = if state.config.secure_cookies { "; Secure" } else { "" };
    format!("{COOKIE_NAME}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_and_hashes_are_hex_sha256() {
        let a = random_token();
        let b = random_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        let h = token_hash("abc");
        assert_eq!(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
