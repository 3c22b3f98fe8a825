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
pub mod observe;
pub mod pages;
pub mod panic_guard;
pub mod seed;
pub mod service;
pub mod state;

pub use app::Application;
pub use config::Config;
