//! The `etalase` server: configuration, the axum application (JSON API and HTML pages), the
//! use cases they share, the CLI and the demo seed.

pub mod api;
pub mod app;
pub mod auth;
pub mod cli;
pub mod config;
pub mod download;
pub mod error;
pub mod extract;
pub mod html;
pub mod log_sink;
pub mod observe;
pub mod pages;
pub mod panic_guard;
pub mod seed;
pub mod service;
pub mod state;

pub use app::Application;

/// The server's allocator, in every binary built on this library (the server, its benches and
/// tests). Searches allocate and free large match lists and bit sets; with the system
/// allocator about 13% of a search went to `malloc` and `free` (merging freed chunks), and
/// the engine alone answered 2,500 searches/s where it answers 3,200 with this one
/// (`bench_embedded`, 100k products, 16 tasks, alternated).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
pub use config::Config;
