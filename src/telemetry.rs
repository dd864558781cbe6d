//! Structured logging with `tracing`. `RUST_LOG` sets the filter (default `info`);
//! JSON lines in production, readable lines in development.

use tracing_subscriber::EnvFilter;

use crate::settings::Environment;

/// Installs the global subscriber once; later calls are ignored.
pub fn init(environment: Environment) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match environment {
        Environment::Production => builder.json().flatten_event(true).try_init(),
        Environment::Development => builder.compact().try_init(),
    };
}
