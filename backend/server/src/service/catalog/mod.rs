//! The catalog core: products and their lifecycle, certificates and photos, what callers see
//! of them (views) and how they are searched. Every change to a listing goes through
//! `change::ListingChange`, the one write path (change, audit, outbox and re-evaluation need
//! in one transaction).

pub mod certificates;
pub mod change;
pub mod photos;
pub mod products;
pub mod search;
pub mod views;
