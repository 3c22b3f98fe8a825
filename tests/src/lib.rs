//! End-to-end tests live in `api/` and `browser/`.
