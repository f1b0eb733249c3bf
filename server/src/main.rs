//! `roster`: CLI dispatch only.

use anyhow::Context;
use clap::Parser;
use roster::cli::{self, BenchCommand, Cli, Command, ImportCommand, KeyCommand, StaffCommand};
use roster::{router, setup};
use roster_core::state::AppState;
use roster_data::Db;
use roster_types::StaffPermission;
use std::io::BufRead;

// Rendering a page allocates and frees many small strings and views on every core at
// once; glibc's malloc spent a third of the server's time on them (perf, /admin/users).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("roster: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let options = cli.options;
    options.ensure_data_dir()?;
    let url = options.database_url();
    let db = Db::connect(&url)
        .await
        .with_context(|| format!("cannot open the database {}", roster_data::redact_url(&url)))?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Migrate => {
            tracing::info!(engine = db.engine(), "migrations applied");
            Ok(())
        }
        Command::Staff {
            command:
                StaffCommand::Create {
                    email,
                    permissions,
                    password_stdin: _,
                    no_2fa,
                },
        } => {
            let permissions: Vec<StaffPermission> = if permissions.is_empty() {
                StaffPermission::ALL.to_vec()
            } else {
                permissions
                    .iter()
                    .map(|p| p.trim().parse::<StaffPermission>())
                    .collect::<Result<_, _>>()
                    .map_err(|e| {
                        anyhow::anyhow!(
                            "{e}; known: {}",
                            StaffPermission::ALL
                                .iter()
                                .map(|p| p.code())
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    })?
            };
            if no_2fa && options.require_staff_2fa {
                anyhow::bail!("--no-2fa needs ROSTER_REQUIRE_STAFF_2FA=false: staff two-factor is required on this server");
            }
            let mut password = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut password)
                .context("cannot read the password from standard input")?;
            let password = password.trim_end_matches(['\n', '\r']);
            let state = options.app_state(&db).await?;
            let id = roster_core::setup::create_staff(
                &state,
                roster_core::setup::NewMember::new(&email, password, &permissions)
                    .two_factor(!no_2fa),
                roster_core::setup::Creator::Cli,
            )
            .await
            .map_err(|e| match e.clone() {
                roster_types::AppError::Invalid { fields } => {
                    anyhow::anyhow!(fields
                        .iter()
                        .map(|f| format!("{}: {}", f.field, f.message))
                        .collect::<Vec<_>>()
                        .join("\n"))
                }
                other => anyhow::anyhow!(other.to_string()),
            })?;
            println!(
                "Created staff member {id} <{}> with: {}.",
                email.trim(),
                permissions
                    .iter()
                    .map(|p| p.code())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            db.close().await;
            Ok(())
        }
        Command::Seed {
            users,
            clients,
            owner,
        } => {
            let key = options.secret_key(&db).await?;
            let r = roster::seed::run(&db, users, clients, owner, key).await;
            db.close().await;
            r
        }
        Command::Bench {
            command:
                BenchCommand::Search {
                    requests,
                    baseline,
                    only,
                },
        } => {
            let runs = roster::bench::search::Runs {
                requests,
                baseline,
                only,
            };
            let r = roster::bench::search::search(db.clone(), runs).await;
            db.close().await;
            r
        }
        Command::Bench {
            command: BenchCommand::Http { seconds },
        } => {
            let r = roster::bench::http::run(db.clone(), site_options(&options)?, seconds).await;
            db.close().await;
            r
        }
        Command::Key {
            command: KeyCommand::Rotate,
        } => {
            let r = options.rotate_key(&db).await;
            db.close().await;
            r
        }
        Command::Import {
            command: ImportCommand::Users { file, commit },
        } => {
            let state = options.app_state(&db).await?;
            let r = roster::import::users(&state, &file, commit, &mut std::io::stdout()).await;
            db.close().await;
            r
        }
        Command::Serve => serve(options, db).await,
    }
}

/// The built site cargo-leptos described (names hashed when the build hashed them).
fn site_options(options: &cli::Options) -> anyhow::Result<leptos::prelude::LeptosOptions> {
    let mut leptos_options = leptos::config::get_configuration(None)
        .context("Leptos configuration")?
        .leptos_options;
    leptos_options.site_addr = options.bind;
    leptos_options.hash_files = roster::assets::built_with_hashes(&leptos_options);
    Ok(leptos_options)
}

async fn serve(options: cli::Options, db: Db) -> anyhow::Result<()> {
    let state = options.app_state(&db).await?;
    let smtp = options.smtp()?;
    let leptos_options = site_options(&options)?;
    let app = router::build(state.clone(), leptos_options);

    let (listener, bound) = roster::listen::bind(options.bind)
        .await
        .with_context(|| format!("cannot listen on {}", options.bind))?;
    tracing::info!(address = %format!("http://{bound}"), database = db.engine(), "Roster is listening");
    setup::announce_setup_link(&state).await?;
    tokio::spawn(sweep(state.clone()));
    match smtp {
        Some(smtp) => {
            tokio::spawn(roster_core::mail::sender::run(state.clone(), smtp));
        }
        None => {
            tracing::info!("no SMTP server (ROSTER_SMTP_URL): mails are kept for the Mail page")
        }
    }

    roster::listen::serve(listener, app, shutdown_signal()).await?;
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Every minute: forget addresses whose sign-in limit has recovered; every ten minutes:
/// remove expired sessions and browsers unused for longer than they are kept.
async fn sweep(state: AppState) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
    let mut ticks: u64 = 0;
    loop {
        every.tick().await;
        state.sign_in_limiter.prune().await;
        ticks += 1;
        if ticks % 10 != 1 {
            continue;
        }
        // First with their events: removing expired sessions would take these silently.
        if let Err(e) = roster_core::impersonation::end_expired(&state).await {
            tracing::warn!(error = %e, "could not end expired sign-ins as users");
        }
        if let Err(e) = roster_data::sessions::delete_expired(&state.db).await {
            tracing::warn!(error = %e, "could not remove expired sessions");
        }
        let before = roster_data::now() - roster_core::sign_in::DEVICE_KEPT_FOR;
        if let Err(e) = roster_data::devices::delete_unused(&state.db, before).await {
            tracing::warn!(error = %e, "could not remove unused browsers");
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
