//! The `etalase` command line: `serve`, `migrate`, `seed-demo`, `user create`, `import`,
//! `reindex`, `search-drift`, `media gc`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::Overrides;

#[derive(Debug, Parser)]
#[command(
    name = "etalase",
    version,
    about = "Etalase — katalog dan penempatan produk UMKM lokal Kota Serang"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Folder for the SQLite file and local blobs [env: ETALASE_DATA_DIR] [default: ./data]
    #[arg(long, global = true)]
    pub data_dir: Option<PathBuf>,
    /// postgres://… or sqlite://… [env: DATABASE_URL] [default: SQLite in the data folder]
    #[arg(long, global = true)]
    pub database_url: Option<String>,
    /// Configuration file [env: ETALASE_CONFIG] [default: ./etalase.toml when present]
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate, then serve the pages and the API.
    Serve {
        /// Address to listen on [env: ETALASE_BIND] [default: 127.0.0.1:8080]
        #[arg(long)]
        bind: Option<String>,
    },
    /// Bring the database schema up to date.
    Migrate,
    /// Load the demo catalog of Kota Serang (idempotent) and print the demo logins.
    SeedDemo,
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Rebuild the search index from the database into a fresh index and swap it in.
    /// With the embedded engine, run it while the server is stopped, or use the admin page /
    /// `POST /api/v1/search/reindex` (the running server rebuilds while search keeps answering).
    Reindex,
    /// Compare the database with the search index: products missing, stale or extra.
    SearchDrift,
    /// Import a Dinas list of businesses or products (CSV or XLSX), as the /dinas/impor page
    /// does: every row checked first, nothing saved unless the whole file is clean, then
    /// everything in one transaction. `--dry-run` only checks and counts.
    Import {
        /// `businesses` (usaha) or `products` (produk)
        kind: String,
        /// The CSV or XLSX file
        file: PathBuf,
        /// Check and count only; save nothing
        #[arg(long)]
        dry_run: bool,
        /// E-mail of the Dinas officer the import is recorded under (audit, verification,
        /// pendampingan) [env: ETALASE_IMPORT_OFFICER]
        #[arg(long, env = "ETALASE_IMPORT_OFFICER")]
        officer: String,
        /// Most data rows read from the file (the pages use import_max_rows)
        #[arg(long, default_value_t = 200_000)]
        max_rows: usize,
    },
    /// Stored files.
    Media {
        #[command(subcommand)]
        command: MediaCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum MediaCommand {
    /// Remove stored files that no record uses any more (after a grace period).
    Gc {
        /// Keep unreferenced files younger than this many minutes [default: from config, 60]
        #[arg(long)]
        grace_minutes: Option<i64>,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account: `etalase user create --role dinas --email … --password …`
    Create {
        /// umkm, store, chain, dinas or admin
        #[arg(long)]
        role: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        password: String,
        /// Name shown in the app (default: the part of the e-mail before @)
        #[arg(long)]
        name: Option<String>,
        /// Chain code (`SM`, `MS`, …) a `chain` account works for (required for chain)
        #[arg(long)]
        chain: Option<String>,
        /// Store code a `store` account manages (required for store)
        #[arg(long)]
        store: Option<String>,
    },
}

impl Cli {
    pub fn overrides(&self) -> Overrides {
        let bind = match &self.command {
            Command::Serve { bind } => bind.clone(),
            _ => None,
        };
        Overrides {
            config_file: self.global.config.clone(),
            data_dir: self.global.data_dir.clone(),
            database_url: self.global.database_url.clone(),
            bind,
        }
    }
}
