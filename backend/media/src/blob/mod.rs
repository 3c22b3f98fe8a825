//! Blob store adapters behind the domain's `BlobStore` port, and the content-addressed key scheme.

pub mod local;
pub mod s3;

use sha2::{Digest, Sha256};

/// A content-addressed key: `{prefix}/{sha256 hex}.{ext}`, so the same bytes are stored once.
pub fn content_key(prefix: &str, bytes: &[u8], ext: &str) -> String {
    let digest = Sha256::digest(bytes);
    format!("{prefix}/{}.{ext}", hex::encode(digest))
}

#[cfg(test)]
mod tests {
    use super::content_key;

    #[test]
    fn same_bytes_give_the_same_key_and_different_bytes_another() {
        let a = content_key("certs", b"hello", "pdf");
        assert_eq!(a, "certs/2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824.pdf");
        assert_eq!(a, content_key("certs", b"hello", "pdf"));
        assert_ne!(a, content_key("certs", b"hello!", "pdf"));
    }
}
