//! Password hashing with argon2id (OWASP parameters: 19 MiB, 2 passes, 1 lane) on a bounded
//! pool: at most one hash per core at a time, and a caller that waits more than 2 s gets a
//! 503 instead of queueing without end.
//!
//! Verification (the login path) reuses one 19 MiB work area per permit instead of
//! allocating a fresh one per hash: fresh allocations on ever-changing blocking threads
//! left glibc holding one arena's worth per thread, and the process grew to 600 MiB.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use argon2::password_hash::PasswordHasher as _;
use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use tokio::sync::{OnceCell, Semaphore};

use crate::domain::error::DomainError;

const MAX_WAIT: Duration = Duration::from_secs(2);

/// Shared by all requests of a process.
#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    /// Work areas for verification, one per permit, kept between logins.
    memory: Arc<Mutex<Vec<Vec<Block>>>>,
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
            memory: Arc::new(Mutex::new(Vec::new())),
            dummy: Arc::new(OnceCell::new()),
        }
    }

    /// Runs `work` on the pool with a reused argon2 work area. At most one area per permit
    /// exists, since only permit holders take one.
    async fn run_with_memory<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static,
    ) -> Result<T, DomainError> {
        let pool = self.memory.clone();
        self.run(move || {
            let mut memory = pool
                .lock()
                .map(|mut areas| areas.pop())
                .unwrap_or_default()
                .unwrap_or_default();
            let result = work(&mut memory);
            if let Ok(mut areas) = pool.lock() {
                areas.push(memory);
            }
            result
        })
        .await
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, DomainError> {
        let permit = tokio::time::timeout(MAX_WAIT, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| {
                DomainError::new(
                    crate::domain::error::ErrorCode::ServiceUnavailable,
                    "the service is busy; try again shortly",
                )
                .with_retry_after(2)
            })?
            .map_err(DomainError::internal)?;
        let result = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(DomainError::internal)?;
        Ok(result)
    }

    /// Hashes a new password into a PHC string.
    pub async fn hash(&self, password: String) -> Result<String, DomainError> {
        self.run_with_memory(move |memory| hash_in(memory, password.as_bytes()))
            .await?
    }

    /// Checks `password` against `stored`; with `None` (no such account, or no password
    /// yet) it verifies against a dummy hash so the answer takes as long as a real one.
    pub async fn verify(
        &self,
        password: String,
        stored: Option<String>,
    ) -> Result<bool, DomainError> {
        let target = match stored {
            Some(hash) => (hash, true),
            None => (self.dummy_hash().await?, false),
        };
        self.run_with_memory(move |memory| {
            verify_in(memory, password.as_bytes(), &target.0) && target.1
        })
        .await
    }

    async fn dummy_hash(&self) -> Result<String, DomainError> {
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
pub fn hash_now(password: &str) -> Result<String, DomainError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| DomainError::internal(anyhow::anyhow!("hashing a password: {e}")))
}

/// Verifies `password` against a PHC string using `memory` as the argon2 work area (grown
/// when the stored parameters need more). The comparison is constant-time.
fn verify_in(memory: &mut Vec<Block>, password: &[u8], phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (&parsed.salt, &parsed.hash) else {
        return false;
    };
    let Ok(params) = Params::try_from(&parsed) else {
        return false;
    };
    let Ok(algorithm) = Algorithm::try_from(parsed.algorithm.as_str()) else {
        return false;
    };
    let version = match parsed.version.map(Version::try_from).transpose() {
        Ok(v) => v.unwrap_or_default(),
        Err(_) => return false,
    };
    let blocks = params.block_count();
    if memory.len() < blocks {
        memory.resize(blocks, Block::default());
    }
    let mut out = vec![0u8; expected.len()];
    Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(password, salt, &mut out, &mut memory[..blocks])
        .is_ok()
        && Output::new(&out).is_ok_and(|computed| &computed == expected)
}

/// Hashes `password` with a fresh random salt and the default (OWASP) parameters, using
/// `memory` as the work area; the same PHC string `hash_now` gives.
fn hash_in(memory: &mut Vec<Block>, password: &[u8]) -> Result<String, DomainError> {
    let fail = |e: &dyn std::fmt::Display| {
        DomainError::internal(anyhow::anyhow!("hashing a password: {e}"))
    };
    let params = Params::default();
    let mut salt = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut salt);
    let blocks = params.block_count();
    if memory.len() < blocks {
        memory.resize(blocks, Block::default());
    }
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    argon
        .hash_password_into_with_memory(password, &salt, &mut out, &mut memory[..blocks])
        .map_err(|e| fail(&e))?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| fail(&e))?,
        salt: Some(Salt::new(&salt).map_err(|e| fail(&e))?),
        hash: Some(Output::new(&out).map_err(|e| fail(&e))?),
    };
    Ok(phc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reused_work_areas_agree_with_the_reference_implementation() {
        let mut memory = Vec::new();
        let ours = hash_in(&mut memory, b"riktig passord").expect("hash");
        let parsed = PasswordHash::new(&ours).expect("a PHC string");
        assert!(
            argon2::password_hash::PasswordVerifier::verify_password(
                &Argon2::default(),
                b"riktig passord",
                &parsed
            )
            .is_ok()
        );
        let reference = hash_now("riktig passord").expect("hash");
        assert!(verify_in(&mut memory, b"riktig passord", &reference));
        assert!(verify_in(&mut memory, b"riktig passord", &ours));
        assert!(!verify_in(&mut memory, b"feil passord", &reference));
        assert!(!verify_in(&mut memory, b"riktig passord", "not a hash"));
    }
}
