//! Structured logging with `tracing`. `RUST_LOG` sets the filter (default `info` for
//! `serve`, `warn` for the one-shot commands, so a newcomer sees their result, not the
//! migrations); JSON lines in production, readable lines in development.
//!
//! Libraries that log the values they carry stay quiet whatever `RUST_LOG` says, unless
//! the filter names their own target: the PostgreSQL driver logs every statement's bind
//! values at debug (private blocks, addresses, password hashes), and the SMTP client the
//! commands it sends.

use tracing_subscriber::EnvFilter;

use crate::settings::Environment;

/// Targets that log data at debug and below; capped at `info` unless named in `RUST_LOG`.
pub const QUIET_TARGETS: &[&str] = &["tokio_postgres", "postgres", "lettre", "diesel"];

/// The filter for `RUST_LOG` (or `default` when unset): the caller's directives plus an
/// `info` cap for every [`QUIET_TARGETS`] entry the caller did not name.
pub fn filter(rust_log: Option<&str>, default: &str) -> EnvFilter {
    let given = rust_log.map(str::trim).filter(|s| !s.is_empty());
    let mut directives = given.unwrap_or(default).to_owned();
    for target in QUIET_TARGETS {
        let named = directives
            .split(',')
            .any(|d| d.trim().split(['=', '[']).next() == Some(target));
        if !named {
            directives.push_str(&format!(",{target}=info"));
        }
    }
    EnvFilter::try_new(&directives).unwrap_or_else(|_| EnvFilter::new(default))
}

/// Installs the global subscriber once; later calls are ignored. `default` is the level
/// when `RUST_LOG` is unset.
pub fn init(environment: Environment, default: &str) {
    let rust_log = std::env::var("RUST_LOG").ok();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter(rust_log.as_deref(), default))
        .with_writer(std::io::stderr);
    let _ = match environment {
        Environment::Production => builder.json().flatten_event(true).try_init(),
        Environment::Development => builder.compact().try_init(),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_driver_stays_quiet_at_debug_unless_named() {
        let debug = filter(Some("debug"), "info").to_string();
        assert!(debug.contains("tokio_postgres=info"), "{debug}");
        let named = filter(Some("debug,tokio_postgres=debug"), "info").to_string();
        assert!(named.contains("tokio_postgres=debug"), "{named}");
        assert!(!named.contains("tokio_postgres=info"), "{named}");
    }
}
