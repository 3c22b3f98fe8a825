//! `etalase`: thin entry point; everything lives in the library.

use std::sync::Arc;

use clap::Parser;
use etalase_domain::ports::SystemClock;
use etalase_domain::roles::Role;
use etalase_server::app::{open_database, state_for};
use etalase_server::cli::{Cli, Command, MediaCommand, UserCommand};
use etalase_server::{Application, Config, log_sink, seed, service};
use tracing_subscriber::EnvFilter;

fn main() -> anyhow::Result<()> {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let cli = Cli::parse();
    // `ETALASE_LOG_FORMAT=json`: one JSON object per line (with the request id of its span).
    let json =
        std::env::var("ETALASE_LOG_FORMAT").is_ok_and(|f| f.trim().eq_ignore_ascii_case("json"));
    // The server's lines go through a queue (`log_sink`); kept until the server has stopped.
    let _log = log_sink::install(filter, json, matches!(cli.command, Command::Serve { .. }));
    let config = Config::load(&cli.overrides())?;
    // The configuration chooses the runtime's request threads (`workers`), so the runtime is
    // built after reading it.
    config.runtime()?.block_on(run(cli, config))
}

async fn run(cli: Cli, config: Config) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve { .. } => {
            config.check_deployment()?;
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
        Command::Reindex | Command::SearchDrift => {
            let db = open_database(&config).await?;
            let search = service::search_sync::open_search(&config).await.map_err(|e| {
                anyhow::anyhow!("indeks pencarian tidak bisa dibuka ({e}); bila server sedang berjalan dengan mesin bawaan, pakai POST /api/v1/search/reindex atau halaman admin")
            })?;
            let blobs = etalase_server::app::blob_store_for(&config);
            let reindex = matches!(cli.command, Command::Reindex);
            let state =
                etalase_server::app::state_with(config, db, Arc::new(SystemClock), blobs, search);
            if reindex {
                let t0 = std::time::Instant::now();
                let n = service::search_sync::reindex(&state)
                    .await
                    .map_err(|e| anyhow::anyhow!(e.operator_detail()))?;
                println!(
                    "Indeks dibangun ulang: {n} produk dalam {:.1} detik.",
                    t0.elapsed().as_secs_f64()
                );
            } else {
                let d = service::search_sync::drift(&state)
                    .await
                    .map_err(|e| anyhow::anyhow!(e.operator_detail()))?;
                println!("{d}");
                if !d.missing.is_empty() || !d.stale.is_empty() || !d.extra.is_empty() {
                    println!(
                        "hilang: {:?}\nbasi: {:?}\nberlebih: {:?}",
                        d.missing, d.stale, d.extra
                    );
                    std::process::exit(1);
                }
            }
        }
        Command::Import { ref kind, ref file, dry_run, ref officer, max_rows } => {
            let db = open_database(&config).await?;
            let state = state_for(config, db, Arc::new(SystemClock));
            match service::imports::run::run(&state, kind, file, dry_run, officer, max_rows).await {
                Ok(report) => print!("{report}"),
                // The rows and their problems, without a backtrace; a non-zero exit.
                Err(e) => {
                    eprintln!("{e}");
                    std::process::exit(1);
                }
            }
        }
        Command::Media { command: MediaCommand::Gc { grace_minutes } } => {
            let grace =
                chrono::Duration::minutes(grace_minutes.unwrap_or(config.blob_gc_grace_minutes));
            let db = open_database(&config).await?;
            let state = state_for(config, db, Arc::new(SystemClock));
            let report = service::media_gc::sweep(&state, grace, state.clock.now())
                .await
                .map_err(|e| anyhow::anyhow!(e.operator_detail()))?;
            println!("{report}");
        }
        Command::User {
            command: UserCommand::Create { role, email, password, name, chain, store },
        } => {
            let role: Role = role
                .parse()
                .map_err(|e| anyhow::anyhow!("{e}; pilih umkm, store, chain, dinas atau admin"))?;
            let db = open_database(&config).await?;
            let state = state_for(config, db, Arc::new(SystemClock));
            let name =
                name.unwrap_or_else(|| email.split('@').next().unwrap_or(&email).to_string());
            let chain_id = match &chain {
                Some(code) => Some(
                    etalase_db::repo::chains::find_by_code(
                        &state.db,
                        &code.trim().to_ascii_uppercase(),
                    )
                    .await?
                    .ok_or_else(|| anyhow::anyhow!("jaringan dengan kode {code} tidak terdaftar"))?
                    .id,
                ),
                None => None,
            };
            let store_id = match &store {
                Some(code) => Some(
                    etalase_db::repo::stores::find_by_code(&state.db, code.trim())
                        .await?
                        .ok_or_else(|| anyhow::anyhow!("gerai dengan kode {code} tidak terdaftar"))?
                        .id,
                ),
                None => None,
            };
            match service::users::create_with_affiliation(
                &state, &email, &password, &name, role, chain_id, store_id,
            )
            .await
            {
                Ok(u) => println!("Akun dibuat: #{} {} ({})", u.id, u.email, role.label()),
                Err(e) => {
                    let p = e.problem();
                    let fields: Vec<String> =
                        p.errors.iter().map(|f| format!("{}: {}", f.field, f.message)).collect();
                    anyhow::bail!("{} {}", p.detail, fields.join("; "));
                }
            }
        }
    }
    Ok(())
}
