//! `etalase`: thin entry point; everything lives in the library.

use std::sync::Arc;

use clap::Parser;
use etalase_domain::ports::SystemClock;
use etalase_domain::roles::Role;
use etalase_server::app::{open_database, state_for};
use etalase_server::cli::{Cli, Command, MediaCommand, UserCommand};
use etalase_server::{seed, service, Application, Config};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn")))
        .init();
    let cli = Cli::parse();
    let config = Config::load(&cli.overrides())?;
    match cli.command {
        Command::Serve { .. } => {
            let app = Application::build(config).await?;
            println!("Etalase berjalan di http://127.0.0.1:{} (Ctrl+C untuk berhenti)", app.port());
            app.run_until_stopped().await?;
        }
        Command::Migrate => {
            open_database(&config).await?;
            println!("Basis data sudah mutakhir.");
        }
        Command::SeedDemo => {
            let db = open_database(&config).await?;
            let state = state_for(config, db, Arc::new(SystemClock));
            let report = seed::seed_demo(&state).await?;
            print!("{report}");
        }
        Command::Media { command: MediaCommand::Gc { grace_minutes } } => {
            let grace = chrono::Duration::minutes(grace_minutes.unwrap_or(config.blob_gc_grace_minutes));
            let db = open_database(&config).await?;
            let state = state_for(config, db, Arc::new(SystemClock));
            let report = service::media_gc::sweep(&state, grace, chrono::Utc::now()).await.map_err(|e| anyhow::anyhow!(e.problem().detail))?;
            println!("{report}");
        }
        Command::User { command: UserCommand::Create { role, email, password, name } } => {
            let role: Role = role.parse().map_err(|e| anyhow::anyhow!("{e}; pilih umkm, store, chain, dinas atau admin"))?;
            let db = open_database(&config).await?;
            let state = state_for(config, db, Arc::new(SystemClock));
            let name = name.unwrap_or_else(|| email.split('@').next().unwrap_or(&email).to_string());
            match service::users::create_account(&state, &email, &password, &name, role).await {
                Ok(u) => println!("Akun dibuat: #{} {} ({})", u.id, u.email, role.label()),
                Err(e) => {
                    let p = e.problem();
                    let fields: Vec<String> = p.errors.iter().map(|f| format!("{}: {}", f.field, f.message)).collect();
                    anyhow::bail!("{} {}", p.detail, fields.join("; "));
                }
            }
        }
    }
    Ok(())
}
