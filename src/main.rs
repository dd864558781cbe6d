//! The `dugnad` command: `serve` (default) and `migrate`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use dugnad::settings::Settings;
use dugnad::startup::Application;

#[derive(Parser)]
#[command(
    name = "dugnad",
    version,
    about = "Volunteer task sharing for municipalities"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Create the database if missing, migrate it, load reference data and serve (default).
    Serve,
    /// Create the database if missing, migrate it and load reference data, then exit.
    Migrate,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut settings = match Settings::from_env() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("dugnad: {e}");
            return ExitCode::from(2);
        }
    };
    dugnad::telemetry::init(settings.environment);
    if let Err(e) = settings.ensure_local_secret() {
        eprintln!(
            "dugnad: cannot keep the development JWT secret in {}: {e}",
            settings.var_dir.display()
        );
        return ExitCode::from(2);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("dugnad: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match cli.command.unwrap_or(Command::Serve) {
            Command::Serve => {
                let app = Application::build(settings).await?;
                tracing::info!(port = app.port(), "serving");
                app.run_until_stopped().await
            }
            Command::Migrate => {
                dugnad::db::prepare(&settings).await?;
                tracing::info!("database is up to date");
                Ok(())
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = ?e, "dugnad failed");
            eprintln!("dugnad: {e:#}");
            ExitCode::FAILURE
        }
    }
}
