//! Keys derived from the server secret (`DUGNAD_JWT_SECRET`), one per purpose: the
//! tokens of links in emails are computed from their ids with one, idempotency records
//! are keyed with another. So a copy of the database alone opens no link and confirms no
//! guess about a stored request body.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use secrecy::ExposeSecret;
use sha2::Sha256;

use crate::settings::Settings;

type HmacSha256 = Hmac<Sha256>;

/// The per-purpose keys of one deployment. Cheap to clone.
#[derive(Clone)]
pub struct ServerKeys {
    links: [u8; 32],
    idempotency: [u8; 32],
}

impl std::fmt::Debug for ServerKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerKeys(…)")
    }
}

fn mac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    keyed(key, parts).finalize().into_bytes().into()
}

/// HMAC over length-prefixed parts, so no two different part lists collide.
fn keyed(key: &[u8], parts: &[&[u8]]) -> HmacSha256 {
    let mut mac = <HmacSha256 as Mac>::new_from_slice(key).expect("HMAC takes keys of any length");
    for part in parts {
        mac.update(&(part.len() as u64).to_be_bytes());
        mac.update(part);
    }
    mac
}

impl ServerKeys {
    pub fn from_secret(secret: &[u8]) -> Self {
        Self {
            links: mac(secret, &[b"dugnad link tokens v1"]),
            idempotency: mac(secret, &[b"dugnad idempotency v1"]),
        }
    }

    pub fn from_settings(settings: &Settings) -> Self {
        Self::from_secret(settings.jwt_secret.expose_secret().as_bytes())
    }

    /// The keyed digest of a request body, for comparing retries.
    pub fn request_digest(&self, body: &[u8]) -> Vec<u8> {
        mac(&self.idempotency, &[body]).to_vec()
    }

    /// The clear token of a stored link token, derived from its id: the database keeps
    /// only the id and the SHA-256 of this value.
    pub fn link_token(&self, purpose: &str, id: uuid::Uuid) -> String {
        URL_SAFE_NO_PAD.encode(mac(&self.links, &[purpose.as_bytes(), id.as_bytes()]))
    }

    /// A signature over `payload` for links that are not stored (unsubscribe, release).
    pub fn sign(&self, payload: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(mac(&self.links, &[b"signed link", payload]))
    }

    /// Whether `signature` is [`ServerKeys::sign`] of `payload` (constant time).
    pub fn verify(&self, payload: &[u8], signature: &str) -> bool {
        let Ok(given) = URL_SAFE_NO_PAD.decode(signature) else {
            return false;
        };
        keyed(&self.links, &[b"signed link", payload])
            .verify_slice(&given)
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_signatures_depend_on_the_secret_and_the_purpose() {
        let a = ServerKeys::from_secret(b"secret a");
        let b = ServerKeys::from_secret(b"secret b");
        let id = uuid::Uuid::now_v7();
        assert_eq!(a.link_token("reset", id), a.link_token("reset", id));
        assert_ne!(a.link_token("reset", id), b.link_token("reset", id));
        assert_ne!(a.link_token("reset", id), a.link_token("verify", id));
        let signature = a.sign(b"payload");
        assert!(a.verify(b"payload", &signature));
        assert!(!a.verify(b"payloaD", &signature));
        assert!(!b.verify(b"payload", &signature));
        assert!(!a.verify(b"payload", "not base64!"));
        assert_ne!(a.request_digest(b"{}"), b.request_digest(b"{}"));
    }
}
