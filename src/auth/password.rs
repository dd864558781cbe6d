//! Password hashing with argon2id (OWASP parameters: 19 MiB, 2 passes, 1 lane) on a bounded
//! pool: at most one hash per core at a time, and a caller that waits more than 2 s gets a
//! 503 instead of queueing without end.

use std::sync::Arc;
use std::time::Duration;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use tokio::sync::{OnceCell, Semaphore};

use crate::error::ApiError;

const MAX_WAIT: Duration = Duration::from_secs(2);

/// Shared by all requests of a process.
#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    dummy: Arc<OnceCell<String>>,
}

impl Default for PasswordHasher {
    fn default() -> Self {
        Self::new(std::thread::available_parallelism().map_or(2, usize::from))
    }
}

impl PasswordHasher {
    pub fn new(concurrency: usize) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            dummy: Arc::new(OnceCell::new()),
        }
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let permit = tokio::time::timeout(MAX_WAIT, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| {
                ApiError::new(
                    crate::error::ErrorCode::ServiceUnavailable,
                    "the service is busy; try again shortly",
                )
                .with_retry_after(2)
            })?
            .map_err(ApiError::internal)?;
        let result = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(ApiError::internal)?;
        Ok(result)
    }

    /// Hashes a new password into a PHC string.
    pub async fn hash(&self, password: String) -> Result<String, ApiError> {
        self.run(move || hash_now(&password)).await?
    }

    /// Checks `password` against `stored`; with `None` (no such account, or no password
    /// yet) it verifies against a dummy hash so the answer takes as long as a real one.
    pub async fn verify(&self, password: String, stored: Option<String>) -> Result<bool, ApiError> {
        let target = match stored {
            Some(hash) => (hash, true),
            None => (self.dummy_hash().await?, false),
        };
        self.run(move || {
            let ok = PasswordHash::new(&target.0).is_ok_and(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            });
            ok && target.1
        })
        .await
    }

    async fn dummy_hash(&self) -> Result<String, ApiError> {
        let this = self.clone();
        self.dummy
            .get_or_try_init(|| async move {
                this.run(|| hash_now("dummy password for timing equality"))
                    .await?
            })
            .await
            .cloned()
    }
}

/// Hashes on the current thread (for the CLI and the pool's workers).
pub fn hash_now(password: &str) -> Result<String, ApiError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| ApiError::internal(anyhow::anyhow!("hashing a password: {e}")))
}
