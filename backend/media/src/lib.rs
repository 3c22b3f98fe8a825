//! Media: where uploaded files live. Owns the `BlobStore` adapters (local files now; S3 comes
//! with the photo pipeline) and content-hash keys.

pub mod blob;
pub mod keys;
pub mod photo;

pub use blob::content_key;
pub use blob::local::LocalBlobStore;
pub use blob::s3::{S3BlobStore, S3Config};
