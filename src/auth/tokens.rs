//! Opaque tokens (refresh tokens, links in emails): 32 random bytes, URL-safe, stored only
//! as their SHA-256 so a database leak reveals no usable token. Link tokens are not even
//! random: they are derived from their row id with the server key ([`StoredToken`]).

use sha2::{Digest, Sha256};

/// A new token and the hash to store.
pub fn generate() -> (String, Vec<u8>) {
    let token = crate::random::token(32);
    let hash = hash(&token);
    (token, hash)
}

pub fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// A single-use link token to store: its row id and the hash of its clear token, which
/// is derived from the id with the server key whenever an email needs it
/// ([`ServerKeys::link_token`]). Nothing that opens the link is ever written down.
pub struct StoredToken {
    pub id: uuid::Uuid,
    pub hash: Vec<u8>,
}

impl StoredToken {
    pub fn new(keys: &super::keys::ServerKeys, purpose: &str) -> Self {
        let id = uuid::Uuid::now_v7();
        Self {
            id,
            hash: hash(&keys.link_token(purpose, id)),
        }
    }
}
