//! A newcomer's first run: in development, when `DATABASE_URL` is not set and nothing
//! answers on the default address, the installed PostgreSQL binaries run a private cluster
//! in `var/postgres/` on a Unix socket only (no port is taken), for as long as the command
//! runs. Production never starts a cluster of its own. And when no database can be
//! reached, [`Unreachable`] says in plain words what to do.

use std::fmt;
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use secrecy::ExposeSecret;
use url::Url;

use crate::settings::{Environment, Settings};

/// No PostgreSQL could be reached (or started): an expected condition on a new machine,
/// told in plain lines rather than as a crash.
#[derive(Debug)]
pub struct Unreachable {
    /// Where it was looked for, without any password.
    pub target: String,
    /// What went wrong, in one line.
    pub cause: String,
    /// What to do about it.
    pub advice: Vec<String>,
}

impl fmt::Display for Unreachable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "cannot reach PostgreSQL at {}: {}.",
            self.target, self.cause
        )?;
        for line in &self.advice {
            writeln!(f, "  - {line}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Unreachable {}

/// The usual ways out, named in every [`Unreachable`].
fn standard_advice() -> Vec<String> {
    vec![
        "install PostgreSQL (Debian and Ubuntu: `apt-get install postgresql`); in development \
         dugnad then runs a private one in var/postgres/ by itself when DATABASE_URL is unset; or"
            .into(),
        "run `bash scripts/ensure-postgres.sh` from the repository (it starts PostgreSQL and \
         creates the `root` role the default DATABASE_URL uses),"
            .into(),
        "or set DATABASE_URL to a PostgreSQL you can reach, e.g. \
         postgres://user@host:5432/dugnad."
            .into(),
    ]
}

/// `url` without its password, for messages.
pub fn shown(url: &str) -> String {
    match Url::parse(url) {
        Ok(mut parsed) => {
            if parsed.password().is_some() {
                let _ignored = parsed.set_password(Some("***"));
            }
            parsed.to_string()
        }
        Err(_) => "DATABASE_URL".into(),
    }
}

/// The plain explanation of a failed connection, when it is one a newcomer meets (nothing
/// listens, the host is unknown, the role or password is refused); `None` for others.
pub fn explain(url: &str, error: &tokio_postgres::Error) -> Option<Unreachable> {
    use tokio_postgres::error::SqlState;
    let mut advice = standard_advice();
    let cause = match error.code() {
        Some(code)
            if *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
                || *code == SqlState::INVALID_PASSWORD =>
        {
            // PostgreSQL is there; installing it is not the answer.
            advice.remove(0);
            error
                .as_db_error()
                .map_or_else(|| error.to_string(), |db| db.message().to_owned())
        }
        Some(_) => return None,
        None => {
            let io = std::error::Error::source(error)
                .and_then(|s| s.downcast_ref::<std::io::Error>())?;
            io.to_string()
        }
    };
    Some(Unreachable {
        target: shown(url),
        cause,
        advice,
    })
}

/// A cluster this process runs for itself; stopped by [`PrivateCluster::stop`] when this
/// process started it.
#[derive(Debug)]
pub struct PrivateCluster {
    dir: PathBuf,
    bin: PathBuf,
    as_postgres: bool,
    started_here: bool,
}

impl PrivateCluster {
    /// Starts (or joins) the private cluster when the rules above call for one, and points
    /// `settings` at it. `None` when the configured database is to be used as it is.
    pub fn start_if_needed(settings: &mut Settings) -> Result<Option<Self>, Unreachable> {
        if settings.environment != Environment::Development || settings.database_url_given {
            return Ok(None);
        }
        let default: SocketAddr = ([127, 0, 0, 1], 5432).into();
        if TcpStream::connect_timeout(&default, Duration::from_secs(1)).is_ok() {
            return Ok(None);
        }
        let target = shown(settings.database_url.expose_secret());
        let failed = |cause: String| Unreachable {
            target: target.clone(),
            cause,
            advice: standard_advice(),
        };
        let bin = server_binaries().ok_or_else(|| {
            failed(
                "nothing answers there, and no PostgreSQL server binaries (initdb, pg_ctl) \
                 are installed to run a private one"
                    .into(),
            )
        })?;
        let dir = absolute(&settings.var_dir.join("postgres"))
            .map_err(|e| failed(format!("var/postgres: {e}")))?;
        let mut cluster = Self {
            dir,
            bin,
            as_postgres: running_as_root(),
            started_here: false,
        };
        cluster.start().map_err(|e| {
            failed(format!(
                "nothing answers there, and the private cluster in {} did not start: {e}",
                cluster.dir.display()
            ))
        })?;
        let database = settings.database_name();
        settings.database_url = cluster.url(&database).into();
        Ok(Some(cluster))
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// The URL of `database` over the cluster's socket, as its superuser.
    pub fn url(&self, database: &str) -> String {
        let socket: String =
            url::form_urlencoded::byte_serialize(self.dir.to_string_lossy().as_bytes()).collect();
        format!("postgres:///{database}?host={socket}&user=postgres")
    }

    fn start(&mut self) -> Result<(), String> {
        std::fs::create_dir_all(&self.dir).map_err(|e| e.to_string())?;
        if self.as_postgres {
            run(Command::new("chown")
                .arg("postgres:postgres")
                .arg(&self.dir))?;
        }
        if !self.data().join("PG_VERSION").exists() {
            tracing::info!(dir = %self.dir.display(), "creating a private PostgreSQL cluster");
            self.pg(
                "initdb",
                &[
                    "-D",
                    &self.data().to_string_lossy(),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ],
            )?;
        }
        if self.data().join("postmaster.pid").exists() && self.pg_ctl(&["status"]).is_ok() {
            // Another dugnad command of this checkout runs it; use it, leave it running.
            return Ok(());
        }
        let options = format!(
            "-c listen_addresses='' -c unix_socket_directories='{}'",
            self.dir.display()
        );
        let log = self.dir.join("server.log");
        self.pg_ctl(&[
            "-o",
            &options,
            "-l",
            &log.to_string_lossy(),
            "-w",
            "-t",
            "60",
            "start",
        ])?;
        self.started_here = true;
        tracing::info!(dir = %self.dir.display(), "private PostgreSQL cluster started");
        Ok(())
    }

    /// Stops the cluster if this process started it.
    pub fn stop(&self) {
        if !self.started_here {
            return;
        }
        match self.pg_ctl(&["-m", "fast", "-w", "stop"]) {
            Ok(()) => tracing::info!("private PostgreSQL cluster stopped"),
            Err(e) => tracing::warn!(error = %e, "stopping the private PostgreSQL cluster"),
        }
    }

    fn pg_ctl(&self, args: &[&str]) -> Result<(), String> {
        let data = self.data();
        let mut all = vec!["-D", data.to_str().unwrap_or_default()];
        all.extend_from_slice(args);
        self.pg("pg_ctl", &all)
    }

    fn pg(&self, program: &str, args: &[&str]) -> Result<(), String> {
        let exe = self.bin.join(program);
        let mut command = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&exe);
            c
        } else {
            Command::new(&exe)
        };
        command.args(args).current_dir(&self.dir);
        run(&mut command)
    }
}

fn run(command: &mut Command) -> Result<(), String> {
    let out = command.output().map_err(|e| e.to_string())?;
    if out.status.success() {
        return Ok(());
    }
    let said = String::from_utf8_lossy(&out.stderr);
    Err(said
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("failed")
        .trim()
        .to_owned())
}

fn absolute(path: &Path) -> std::io::Result<PathBuf> {
    if path.is_absolute() {
        Ok(path.to_owned())
    } else {
        Ok(std::env::current_dir()?.join(path))
    }
}

/// `initdb` and `pg_ctl`: on `PATH`, else the newest `/usr/lib/postgresql/*/bin`.
pub fn server_binaries() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default();
    if let Some(dir) = on_path
        .into_iter()
        .find(|d| d.join("initdb").is_file() && d.join("pg_ctl").is_file())
    {
        return Some(dir);
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|d| d.join("initdb").is_file() && d.join("pg_ctl").is_file())
        .collect();
    versions.sort();
    versions.pop()
}

/// PostgreSQL refuses to run as root; as root the cluster runs as `postgres`.
pub fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_is_never_shown() {
        assert_eq!(
            shown("postgres://app:s3cret@db.example:5432/dugnad"),
            "postgres://app:***@db.example:5432/dugnad"
        );
        assert_eq!(
            shown("postgres://root@127.0.0.1:5432/dugnad"),
            "postgres://root@127.0.0.1:5432/dugnad"
        );
    }

    #[test]
    fn the_private_url_names_the_socket_directory() {
        let cluster = PrivateCluster {
            dir: PathBuf::from("/srv/dugnad/var/postgres"),
            bin: PathBuf::new(),
            as_postgres: false,
            started_here: false,
        };
        assert_eq!(
            cluster.url("dugnad"),
            "postgres:///dugnad?host=%2Fsrv%2Fdugnad%2Fvar%2Fpostgres&user=postgres"
        );
    }
}
