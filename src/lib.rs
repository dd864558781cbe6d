//! dugnad: volunteer task sharing between a municipality's health-and-mastery services and
//! the people who help. See `README.md` for the architecture and PRODUCT.md for the rules.

pub mod auth;
pub mod db;
pub mod domain;
pub mod email;
pub mod error;
pub mod jobs;
pub mod metrics;
pub mod pagination;
pub mod reference;
pub mod request_id;
pub mod routes;
pub mod services;
pub mod settings;
pub mod startup;
pub mod telemetry;
pub mod validation;

use base64::Engine;
use rand::RngCore;

/// A random URL-safe token of `bytes` random bytes (for secrets and one-time links).
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}
