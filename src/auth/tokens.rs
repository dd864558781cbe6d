//! Opaque tokens (refresh tokens, links in emails): 32 random bytes, URL-safe, stored only
//! as their SHA-256 so a database leak reveals no usable token.

use sha2::{Digest, Sha256};

/// A new token and the hash to store.
pub fn generate() -> (String, Vec<u8>) {
    let token = crate::random_token(32);
    let hash = hash(&token);
    (token, hash)
}

pub fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}
