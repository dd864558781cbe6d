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
    sealing: [u8; 32],
}

/// The first byte of a sealed value: the format (AES-256-GCM, 12-byte nonce, tag last).
const SEALED_V1: u8 = 1;

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
            sealing: mac(secret, &[b"dugnad sealed secrets v1"]),
        }
    }

    fn aead(&self) -> ring::aead::LessSafeKey {
        ring::aead::LessSafeKey::new(
            ring::aead::UnboundKey::new(&ring::aead::AES_256_GCM, &self.sealing)
                .expect("a 32-byte key is an AES-256 key"),
        )
    }

    /// Encrypts a secret kept at rest (a TOTP key) with a key derived from the server
    /// secret, bound to `purpose`: a copy of the database alone does not give the codes.
    pub fn seal(&self, purpose: &str, plaintext: &[u8]) -> Vec<u8> {
        let nonce_bytes: [u8; 12] = crate::random::bytes(12)
            .try_into()
            .expect("twelve random bytes");
        let mut sealed = plaintext.to_vec();
        self.aead()
            .seal_in_place_append_tag(
                ring::aead::Nonce::assume_unique_for_key(nonce_bytes),
                ring::aead::Aad::from(purpose.as_bytes()),
                &mut sealed,
            )
            .expect("AES-GCM seals any input shorter than 64 GiB");
        let mut out = Vec::with_capacity(1 + 12 + sealed.len());
        out.push(SEALED_V1);
        out.extend_from_slice(&nonce_bytes);
        out.extend_from_slice(&sealed);
        out
    }

    /// The plaintext of [`ServerKeys::seal`] for the same `purpose`, or `None` when the
    /// value is not sealed by this deployment (another secret, another purpose, altered).
    pub fn open(&self, purpose: &str, sealed: &[u8]) -> Option<Vec<u8>> {
        let (&version, rest) = sealed.split_first()?;
        if version != SEALED_V1 || rest.len() < 12 + 16 {
            return None;
        }
        let (nonce, ciphertext) = rest.split_at(12);
        let nonce = ring::aead::Nonce::try_assume_unique_for_key(nonce).ok()?;
        let mut buffer = ciphertext.to_vec();
        let plain = self
            .aead()
            .open_in_place(
                nonce,
                ring::aead::Aad::from(purpose.as_bytes()),
                &mut buffer,
            )
            .ok()?;
        Some(plain.to_vec())
    }

    pub fn from_settings(settings: &Settings) -> Self {
        Self::from_secret(settings.jwt_secret.expose_secret().as_bytes())
    }

    /// The keyed digest of a request body, for comparing retries.
    pub fn request_digest(&self, body: &[u8]) -> Vec<u8> {
        mac(&self.idempotency, &[body]).to_vec()
    }

    /// A short keyed digest of a representation, for its ETag: equal bodies get equal tags,
    /// and a stored tag tells nothing about a body without the server's key.
    pub fn representation_tag(&self, body: &[u8]) -> String {
        mac(&self.idempotency, &[b"representation", body])[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
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
        let sealed = a.seal("totp", b"twenty bytes of key!");
        assert_ne!(&sealed[..], b"twenty bytes of key!");
        assert_ne!(
            a.seal("totp", b"twenty bytes of key!"),
            sealed,
            "a fresh nonce"
        );
        assert_eq!(
            a.open("totp", &sealed).as_deref(),
            Some(&b"twenty bytes of key!"[..])
        );
        assert_eq!(b.open("totp", &sealed), None, "another secret");
        assert_eq!(a.open("other", &sealed), None, "another purpose");
        let mut altered = sealed.clone();
        altered[20] ^= 1;
        assert_eq!(a.open("totp", &altered), None, "altered");
    }
}
