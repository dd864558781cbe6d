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
    /// Development only: demo units, logins and thirty tasks (idempotent).
    SeedDemo,
    /// Purge private blocks past DUGNAD_RETENTION_DAYS (the job inside `serve` does this too).
    Purge {
        /// Only say what would be purged.
        #[arg(long)]
        dry_run: bool,
    },
    /// Create a verified account; the password is read from DUGNAD_PASSWORD or stdin.
    CreateUser {
        /// admin, staff, coordinator or volunteer
        #[arg(long)]
        role: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// The service unit of a staff member.
        #[arg(long, conflicts_with = "council")]
        unit: Option<uuid::Uuid>,
        /// The council a coordinator leads (or a volunteer's home council).
        #[arg(long)]
        council: Option<uuid::Uuid>,
        /// nb, nn or en
        #[arg(long, default_value = "nb")]
        language: String,
    },
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
    // One-shot commands print their result; their logs are for when something goes wrong.
    let default_level = match cli.command {
        None | Some(Command::Serve) => "info",
        Some(_) => "warn",
    };
    dugnad::telemetry::init(settings.environment, default_level);
    if let Err(e) = settings.ensure_local_secret() {
        eprintln!(
            "dugnad: cannot keep the development JWT secret in {}: {e}",
            settings.var_dir.display()
        );
        return ExitCode::from(2);
    }
    // A newcomer's machine: a private cluster in var/postgres when nothing else is there.
    let cluster = match dugnad::db::local::PrivateCluster::start_if_needed(&mut settings) {
        Ok(cluster) => cluster,
        Err(plain) => {
            eprint!("dugnad: {plain}");
            return ExitCode::FAILURE;
        }
    };
    let environment = settings.environment;
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
                println!("database {} is up to date", settings.database_name());
                Ok(())
            }
            Command::Purge { dry_run } => {
                dugnad::db::prepare(&settings).await?;
                purge(&settings, dry_run).await
            }
            Command::SeedDemo => {
                if settings.environment == dugnad::settings::Environment::Production {
                    anyhow::bail!("seed-demo is refused in production");
                }
                dugnad::db::prepare(&settings).await?;
                seed_demo(&settings).await
            }
            Command::CreateUser {
                role,
                email,
                name,
                unit,
                council,
                language,
            } => {
                dugnad::db::prepare(&settings).await?;
                create_user(&settings, &role, email, name, unit, council, &language).await
            }
        }
    });
    if let Some(cluster) = &cluster {
        cluster.stop();
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // Expected on a new machine: what to do, in plain lines, and no backtrace.
        Err(e) if e.downcast_ref::<dugnad::db::local::Unreachable>().is_some() => {
            eprint!("dugnad: {e}");
            ExitCode::FAILURE
        }
        Err(e) => {
            // Once, as one line: the log in production, the terminal otherwise.
            if environment == dugnad::settings::Environment::Production {
                tracing::error!(error = %format!("{e:#}"), "dugnad failed");
            } else {
                eprintln!("dugnad: {e:#}");
            }
            ExitCode::FAILURE
        }
    }
}

/// `dugnad create-user`: the password comes from `DUGNAD_PASSWORD` or the first line of
/// stdin, never from the command line (where other users could read it).
async fn create_user(
    settings: &Settings,
    role: &str,
    email: String,
    name: String,
    unit: Option<uuid::Uuid>,
    council: Option<uuid::Uuid>,
    language: &str,
) -> anyhow::Result<()> {
    use dugnad::domain::Language;
    use dugnad::domain::account::Role;
    use secrecy::ExposeSecret;

    let role = Role::parse(role)
        .ok_or_else(|| anyhow::anyhow!("--role must be admin, staff, coordinator or volunteer"))?;
    let Some(language) = Language::parse(language) else {
        let codes: Vec<_> = Language::ALL.iter().map(|l| l.as_str()).collect();
        anyhow::bail!("--language must be one of {}", codes.join(", "));
    };
    let password = match std::env::var("DUGNAD_PASSWORD") {
        Ok(p) if !p.is_empty() => p,
        _ => {
            let mut line = String::new();
            std::io::stdin().read_line(&mut line)?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let mut conn = dugnad::db::tls::establish(settings.database_url.expose_secret()).await?;
    let input = dugnad::services::users::NewAccount {
        email,
        name,
        role,
        service_unit_id: unit,
        council_id: council,
        phone: None,
        language: Some(language),
    };
    match dugnad::services::users::create_from_cli(&mut conn, &input, &password).await {
        Ok(user) => {
            println!("created {} {} ({})", user.role, user.email, user.id);
            Ok(())
        }
        Err(e) => anyhow::bail!("{}", e.describe()),
    }
}

async fn seed_demo(settings: &Settings) -> anyhow::Result<()> {
    use secrecy::ExposeSecret;
    let mut conn = dugnad::db::tls::establish(settings.database_url.expose_secret()).await?;
    let logins = dugnad::services::demo::seed(&mut conn, chrono::Utc::now())
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.describe()))?;
    println!(
        "Demo logins (password for all: {}):",
        dugnad::services::demo::DEMO_PASSWORD
    );
    for login in logins {
        println!("  {:<12} {}", login.role.as_str(), login.email);
    }
    Ok(())
}

async fn purge(settings: &Settings, dry_run: bool) -> anyhow::Result<()> {
    use secrecy::ExposeSecret;
    let mut conn = dugnad::db::tls::establish(settings.database_url.expose_secret()).await?;
    let now = chrono::Utc::now();
    let days = settings.retention_days;
    let describe = |e: dugnad::domain::error::DomainError| anyhow::anyhow!("{}", e.describe());
    let ids = if dry_run {
        dugnad::services::retention::due(&mut conn, now, days)
            .await
            .map_err(describe)?
    } else {
        dugnad::services::retention::purge(&mut conn, now, days)
            .await
            .map_err(describe)?
    };
    let verb = if dry_run { "would purge" } else { "purged" };
    println!(
        "{verb} the private block of {} task(s) older than {days} days",
        ids.len()
    );
    for id in ids {
        println!("  {id}");
    }
    Ok(())
}
