//! Configuration read from the environment, typed and validated once at start.
//!
//! Every variable has a working local default so `dugnad serve` runs on a fresh machine;
//! production mode refuses the defaults that are only safe on a developer's laptop.
//! All problems are collected and reported together, one line per bad value.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use ipnet::IpNet;
use lettre::message::Mailbox;
use secrecy::{ExposeSecret, SecretString};
use url::Url;

/// Where the service runs; production enforces the rules that protect real people's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

/// The whole configuration of one process.
#[derive(Debug, Clone)]
pub struct Settings {
    pub environment: Environment,
    pub database_url: SecretString,
    /// Whether `DATABASE_URL` was set (else the default, and in development a private
    /// cluster when nothing answers there: `db::local`).
    pub database_url_given: bool,
    pub db_pool_size: usize,
    pub bind: SocketAddr,
    pub jwt_secret: SecretString,
    pub smtp_url: Option<SecretString>,
    pub mail_from: Mailbox,
    pub public_url: Url,
    pub municipality: String,
    pub timezone: chrono_tz::Tz,
    pub retention_days: u32,
    /// Days after which dead, dropped and never-delivered outbox rows are forgotten.
    pub outbox_retention_days: u32,
    /// Failed logins per address from one client IP per 15 minutes (the strict limit).
    pub login_limit_per_email: u32,
    /// Failed logins per address from all IPs together per 15 minutes (the ceiling a
    /// stranger elsewhere cannot push the owner's own network over).
    pub login_ceiling_per_email: u32,
    pub login_limit_per_ip: u32,
    /// Successful logins per address from one client IP per 15 minutes: a right-password
    /// loop must not take the whole password hasher.
    pub login_success_limit: u32,
    pub register_limit_per_ip: u32,
    /// Staff, coordinators and admins must use a second factor (console and API login).
    pub require_2fa: bool,
    /// A console session ends after this long without a request.
    pub console_idle_minutes: u32,
    /// A volunteer's web session ends after this many days without a request.
    pub web_session_days: u32,
    pub trusted_proxies: Vec<IpNet>,
    /// Directory for local state: the generated development JWT secret and `.eml` files.
    pub var_dir: PathBuf,
    /// HTTP worker threads (one per core by default).
    pub http_workers: usize,
    pub database: DatabaseSettings,
    pub outbox: OutboxSettings,
    /// A Google service-account JSON file for FCM; unset, pushes are written as JSON
    /// files under `var/push/`.
    pub fcm_credentials: Option<PathBuf>,
    /// Where FCM's HTTP v1 API is (`https://fcm.googleapis.com`; a test peer in tests).
    pub fcm_endpoint: Url,
    /// Production speaks to FCM and to the service account's `token_uri` over https only,
    /// unless this is set (`DUGNAD_FCM_ALLOW_HTTP=true`, for a test peer on a private net).
    pub fcm_allow_http: bool,
    /// How long a request body may take to arrive whole (`DUGNAD_BODY_TIMEOUT_SECONDS`).
    pub body_timeout: std::time::Duration,
    /// When no freed spot is broadcast (local time); `None` when turned off.
    pub quiet_hours: Option<crate::domain::push::QuietHours>,
}

/// Timeouts that turn an unreachable or overloaded database into a quick 503.
#[derive(Debug, Clone)]
pub struct DatabaseSettings {
    pub wait_timeout: Duration,
    pub connect_timeout: Duration,
    pub recycle_timeout: Duration,
    pub statement_timeout: Duration,
    /// Records every statement's SQL per request (tests only; never the values).
    pub statement_log: Option<crate::statement_log::StatementLog>,
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        Self {
            wait_timeout: Duration::from_secs(3),
            connect_timeout: Duration::from_secs(3),
            recycle_timeout: Duration::from_secs(2),
            statement_timeout: Duration::from_secs(10),
            statement_log: None,
        }
    }
}

/// How the one outbox (every channel) is drained. Not environment variables: tests and operators tune
/// these in code, the defaults suit a municipality's volume.
#[derive(Debug, Clone)]
pub struct OutboxSettings {
    /// Run the outbox worker and the periodic jobs inside `serve` (tests drive both by hand).
    pub run_worker: bool,
    pub batch_size: i64,
    pub send_timeout: Duration,
    /// A claimed row is retried by another worker after this long if its sender died.
    pub lease: Duration,
    pub base_backoff: Duration,
    pub max_backoff: Duration,
    /// Transient failures after which a message is given up as `dead`.
    pub max_attempts: i32,
    /// Fallback poll when no notification arrives.
    pub idle_poll: Duration,
}

impl Default for OutboxSettings {
    fn default() -> Self {
        Self {
            run_worker: true,
            batch_size: 100,
            send_timeout: Duration::from_secs(10),
            lease: Duration::from_secs(120),
            base_backoff: Duration::from_secs(30),
            max_backoff: Duration::from_secs(3600),
            max_attempts: 12,
            idle_poll: Duration::from_secs(1),
        }
    }
}

impl OutboxSettings {
    /// Exponential backoff with ±50 % jitter: base × 2^(attempt−1), capped.
    pub fn backoff(&self, attempts: i32) -> Duration {
        use rand::Rng;
        let exp = u32::try_from(attempts.saturating_sub(1).clamp(0, 20)).unwrap_or(0);
        let raw = self
            .base_backoff
            .saturating_mul(2u32.saturating_pow(exp))
            .min(self.max_backoff);
        raw.mul_f64(rand::rng().random_range(0.5..1.5))
    }
}

/// One bad value, reported as `NAME: what is wrong`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingError {
    pub variable: &'static str,
    pub message: String,
}

impl std::fmt::Display for SettingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.variable, self.message)
    }
}

/// Every problem found in the environment at once.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration:\n{}", .0.iter().map(|e| format!("  {e}")).collect::<Vec<_>>().join("\n"))]
pub struct SettingsError(pub Vec<SettingError>);

/// The variables `Settings` reads, so that documentation and tests can check them.
pub const VARIABLES: &[&str] = &[
    "DUGNAD_ENV",
    "DATABASE_URL",
    "DUGNAD_DB_POOL_SIZE",
    "DUGNAD_HTTP_WORKERS",
    "DUGNAD_BIND",
    "DUGNAD_JWT_SECRET",
    "SMTP_URL",
    "DUGNAD_MAIL_FROM",
    "DUGNAD_PUBLIC_URL",
    "DUGNAD_MUNICIPALITY",
    "DUGNAD_TIMEZONE",
    "DUGNAD_RETENTION_DAYS",
    "DUGNAD_OUTBOX_RETENTION_DAYS",
    "DUGNAD_LOGIN_LIMIT_PER_EMAIL",
    "DUGNAD_LOGIN_CEILING_PER_EMAIL",
    "DUGNAD_LOGIN_LIMIT_PER_IP",
    "DUGNAD_LOGIN_SUCCESS_LIMIT",
    "DUGNAD_REGISTER_LIMIT_PER_IP",
    "DUGNAD_TRUSTED_PROXIES",
    "DUGNAD_REQUIRE_2FA",
    "DUGNAD_CONSOLE_IDLE_MINUTES",
    "DUGNAD_WEB_SESSION_DAYS",
    "DUGNAD_VAR_DIR",
    "DUGNAD_FCM_CREDENTIALS",
    "DUGNAD_FCM_ENDPOINT",
    "DUGNAD_FCM_ALLOW_HTTP",
    "DUGNAD_BODY_TIMEOUT_SECONDS",
    "DUGNAD_QUIET_HOURS",
    "RUST_LOG",
];

fn fallback_fcm_endpoint() -> Url {
    Url::parse("https://fcm.googleapis.com").unwrap_or_else(|_| unreachable!("a valid URL"))
}

pub const DEFAULT_DATABASE_URL: &str = "postgres://root@127.0.0.1:5432/dugnad";
const MIN_PRODUCTION_SECRET_BYTES: usize = 32;

impl Settings {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, SettingsError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads configuration through `lookup`, so tests can configure a process without
    /// touching the (shared) process environment. Does not create the development secret;
    /// see [`Settings::ensure_local_secret`].
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, SettingsError> {
        let mut errors = Vec::new();
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());

        let environment = match get("DUGNAD_ENV").as_deref() {
            None | Some("development") => Environment::Development,
            Some("production") => Environment::Production,
            Some(other) => {
                errors.push(err(
                    "DUGNAD_ENV",
                    format!("must be `development` or `production`, not `{other}`"),
                ));
                Environment::Development
            }
        };
        let production = environment == Environment::Production;

        let database_url_given = get("DATABASE_URL").is_some();
        let database_url = get("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into());
        match Url::parse(&database_url) {
            Ok(url) if matches!(url.scheme(), "postgres" | "postgresql") => {
                if url.path().trim_start_matches('/').is_empty() {
                    errors.push(err("DATABASE_URL", "must name a database, e.g. `/dugnad`"));
                }
            }
            _ => errors.push(err(
                "DATABASE_URL",
                "must be a postgres:// URL such as postgres://user@host:5432/dugnad",
            )),
        }

        let db_pool_size = parse_number(&get, "DUGNAD_DB_POOL_SIZE", 10, 1..=500, &mut errors);
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        let http_workers = parse_number(&get, "DUGNAD_HTTP_WORKERS", cores, 1..=256, &mut errors);

        let bind = match get("DUGNAD_BIND") {
            None => SocketAddr::from(([127, 0, 0, 1], 8080)),
            Some(v) => v.parse().unwrap_or_else(|_| {
                errors.push(err(
                    "DUGNAD_BIND",
                    format!("must be an address with a port such as 127.0.0.1:8080, not `{v}`"),
                ));
                SocketAddr::from(([127, 0, 0, 1], 8080))
            }),
        };

        let var_dir = PathBuf::from(get("DUGNAD_VAR_DIR").unwrap_or_else(|| "var".into()));

        let jwt_secret = get("DUGNAD_JWT_SECRET").unwrap_or_default();
        if production && jwt_secret.len() < MIN_PRODUCTION_SECRET_BYTES {
            errors.push(err(
                "DUGNAD_JWT_SECRET",
                format!("production requires at least {MIN_PRODUCTION_SECRET_BYTES} bytes"),
            ));
        }

        let smtp_url = get("SMTP_URL");
        match &smtp_url {
            None if production => errors.push(err(
                "SMTP_URL",
                "production requires an SMTP server (emails would only be written to files)",
            )),
            None => {}
            Some(v) => match Url::parse(v) {
                Ok(url) if matches!(url.scheme(), "smtp" | "smtps") && url.host().is_some() => {}
                _ => errors.push(err(
                    "SMTP_URL",
                    "must look like smtp://user:pass@host:587?tls=required or smtps://host:465",
                )),
            },
        }

        let mail_from_raw =
            get("DUGNAD_MAIL_FROM").unwrap_or_else(|| "dugnad <noreply@dugnad.localhost>".into());
        let mail_from = mail_from_raw.parse::<Mailbox>().unwrap_or_else(|_| {
            errors.push(err(
                "DUGNAD_MAIL_FROM",
                format!("must be an address such as `Dugnad <noreply@example.no>`, not `{mail_from_raw}`"),
            ));
            fallback_mailbox()
        });

        let public_url_raw = get("DUGNAD_PUBLIC_URL").unwrap_or_else(|| format!("http://{bind}"));
        let public_url = match Url::parse(&public_url_raw) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => {
                if production && url.scheme() != "https" {
                    errors.push(err(
                        "DUGNAD_PUBLIC_URL",
                        "production requires an https:// URL",
                    ));
                }
                url
            }
            _ => {
                errors.push(err(
                    "DUGNAD_PUBLIC_URL",
                    format!("must be an http(s) URL, not `{public_url_raw}`"),
                ));
                fallback_url()
            }
        };

        let municipality = get("DUGNAD_MUNICIPALITY").unwrap_or_else(|| "larvik".into());
        if let Err(message) = crate::reference::MunicipalityData::locate(&municipality) {
            errors.push(err("DUGNAD_MUNICIPALITY", message));
        }

        let timezone = match get("DUGNAD_TIMEZONE") {
            None => chrono_tz::Europe::Oslo,
            Some(v) => v.parse().unwrap_or_else(|_| {
                errors.push(err(
                    "DUGNAD_TIMEZONE",
                    format!("must be an IANA time zone such as Europe/Oslo, not `{v}`"),
                ));
                chrono_tz::Europe::Oslo
            }),
        };

        let retention_days = parse_number(&get, "DUGNAD_RETENTION_DAYS", 30, 1..=3650, &mut errors);
        let login_limit_per_email = parse_number(
            &get,
            "DUGNAD_LOGIN_LIMIT_PER_EMAIL",
            10,
            1..=10_000,
            &mut errors,
        );
        let outbox_retention_days = parse_number(
            &get,
            "DUGNAD_OUTBOX_RETENTION_DAYS",
            7,
            1..=365,
            &mut errors,
        );
        let login_ceiling_per_email = parse_number(
            &get,
            "DUGNAD_LOGIN_CEILING_PER_EMAIL",
            50,
            1..=100_000,
            &mut errors,
        );
        if login_ceiling_per_email < login_limit_per_email {
            errors.push(err(
                "DUGNAD_LOGIN_CEILING_PER_EMAIL",
                "must be at least DUGNAD_LOGIN_LIMIT_PER_EMAIL",
            ));
        }
        let login_success_limit = parse_number(
            &get,
            "DUGNAD_LOGIN_SUCCESS_LIMIT",
            20,
            1..=100_000,
            &mut errors,
        );
        let login_limit_per_ip = parse_number(
            &get,
            "DUGNAD_LOGIN_LIMIT_PER_IP",
            100,
            1..=1_000_000,
            &mut errors,
        );
        let register_limit_per_ip = parse_number(
            &get,
            "DUGNAD_REGISTER_LIMIT_PER_IP",
            30,
            1..=1_000_000,
            &mut errors,
        );

        let require_2fa = match get("DUGNAD_REQUIRE_2FA").as_deref().map(str::trim) {
            None => production,
            Some("true" | "on" | "1" | "yes") => true,
            Some("false" | "off" | "0" | "no") => false,
            Some(other) => {
                errors.push(err(
                    "DUGNAD_REQUIRE_2FA",
                    format!("must be `true` or `false`, not `{other}`"),
                ));
                production
            }
        };
        let console_idle_minutes = parse_number(
            &get,
            "DUGNAD_CONSOLE_IDLE_MINUTES",
            30,
            1..=720,
            &mut errors,
        );
        let web_session_days =
            parse_number(&get, "DUGNAD_WEB_SESSION_DAYS", 30, 1..=365, &mut errors);

        let mut trusted_proxies = Vec::new();
        for part in get("DUGNAD_TRUSTED_PROXIES")
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let parsed = part
                .parse::<IpNet>()
                .or_else(|_| part.parse::<std::net::IpAddr>().map(IpNet::from));
            match parsed {
                Ok(net) => trusted_proxies.push(net),
                Err(_) => errors.push(err(
                    "DUGNAD_TRUSTED_PROXIES",
                    format!("`{part}` is not an IP address or CIDR range"),
                )),
            }
        }

        let fcm_credentials = get("DUGNAD_FCM_CREDENTIALS").map(PathBuf::from);
        let fcm_endpoint_raw =
            get("DUGNAD_FCM_ENDPOINT").unwrap_or_else(|| "https://fcm.googleapis.com".into());
        let fcm_endpoint = match Url::parse(&fcm_endpoint_raw) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => url,
            _ => {
                errors.push(err(
                    "DUGNAD_FCM_ENDPOINT",
                    format!("must be an http(s) URL such as https://fcm.googleapis.com, not `{fcm_endpoint_raw}`"),
                ));
                fallback_fcm_endpoint()
            }
        };

        let fcm_allow_http = match get("DUGNAD_FCM_ALLOW_HTTP").as_deref() {
            None | Some("false") => false,
            Some("true") => true,
            Some(other) => {
                errors.push(err(
                    "DUGNAD_FCM_ALLOW_HTTP",
                    format!("must be `true` or `false`, not `{other}`"),
                ));
                false
            }
        };
        if production && !fcm_allow_http && fcm_endpoint.scheme() != "https" {
            errors.push(err(
                "DUGNAD_FCM_ENDPOINT",
                "production requires an https:// URL (or DUGNAD_FCM_ALLOW_HTTP=true)",
            ));
        }

        let body_timeout = std::time::Duration::from_secs(
            u64::try_from(parse_number(
                &get,
                "DUGNAD_BODY_TIMEOUT_SECONDS",
                10,
                1..=600,
                &mut errors,
            ))
            .unwrap_or(10),
        );

        // Unset is the default; set but empty turns the quiet hours off.
        let quiet_hours = match lookup("DUGNAD_QUIET_HOURS") {
            None => crate::domain::push::QuietHours::parse("22-07").unwrap_or_default(),
            Some(raw) => crate::domain::push::QuietHours::parse(&raw).unwrap_or_else(|m| {
                errors.push(err("DUGNAD_QUIET_HOURS", m));
                None
            }),
        };

        if !errors.is_empty() {
            return Err(SettingsError(errors));
        }
        Ok(Self {
            environment,
            database_url: database_url.into(),
            database_url_given,
            db_pool_size,
            bind,
            jwt_secret: jwt_secret.into(),
            smtp_url: smtp_url.map(Into::into),
            mail_from,
            public_url,
            municipality,
            timezone,
            retention_days,
            outbox_retention_days,
            login_limit_per_email,
            login_ceiling_per_email,
            login_success_limit,
            login_limit_per_ip,
            register_limit_per_ip,
            require_2fa,
            console_idle_minutes,
            web_session_days,
            trusted_proxies,
            var_dir,
            http_workers,
            database: DatabaseSettings::default(),
            outbox: OutboxSettings::default(),
            fcm_credentials,
            fcm_endpoint,
            fcm_allow_http,
            body_timeout,
            quiet_hours,
        })
    }

    /// In development, when no JWT secret is configured, generates one and keeps it in
    /// `var/jwt-secret` so that restarts keep sessions valid.
    pub fn ensure_local_secret(&mut self) -> std::io::Result<()> {
        if !self.jwt_secret.expose_secret().is_empty() {
            return Ok(());
        }
        let path = self.var_dir.join("jwt-secret");
        if let Ok(existing) = std::fs::read_to_string(&path)
            && existing.trim().len() >= MIN_PRODUCTION_SECRET_BYTES
        {
            self.jwt_secret = existing.trim().to_owned().into();
            return Ok(());
        }
        std::fs::create_dir_all(&self.var_dir)?;
        let secret = crate::random::token(48);
        write_private_file(&path, &secret)?;
        self.jwt_secret = secret.into();
        Ok(())
    }

    /// The database name in `DATABASE_URL`.
    pub fn database_name(&self) -> String {
        Url::parse(self.database_url.expose_secret())
            .map(|u| u.path().trim_start_matches('/').to_owned())
            .unwrap_or_default()
    }

    /// Where `.eml` files go when no SMTP server is configured.
    pub fn mail_dir(&self) -> PathBuf {
        self.var_dir.join("mail")
    }
}

fn write_private_file(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(contents.as_bytes())
}

fn err(variable: &'static str, message: impl Into<String>) -> SettingError {
    SettingError {
        variable,
        message: message.into(),
    }
}

fn parse_number<T>(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: T,
    range: std::ops::RangeInclusive<T>,
    errors: &mut Vec<SettingError>,
) -> T
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy,
{
    let Some(raw) = get(name) else { return default };
    match raw.trim().parse::<T>() {
        Ok(v) if range.contains(&v) => v,
        _ => {
            errors.push(err(
                name,
                format!(
                    "must be a whole number from {} to {}, not `{raw}`",
                    range.start(),
                    range.end()
                ),
            ));
            default
        }
    }
}

fn fallback_mailbox() -> Mailbox {
    "noreply@localhost"
        .parse()
        .expect("a constant address parses")
}

fn fallback_url() -> Url {
    Url::parse("http://127.0.0.1:8080").expect("a constant URL parses")
}
