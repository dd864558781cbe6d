//! Links that are signed rather than stored: unsubscribing from one kind of email and
//! giving back the claim a reminder names. The token says what it is for, for whom and
//! until when, under an HMAC with the server's link key; nothing is written when one is
//! made. Both actions are harmless to repeat (a kind already off stays off; a claim
//! already given back cannot be given back again), so they need no single-use record.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, TimeZone, Utc};
use uuid::Uuid;

use super::keys::ServerKeys;

/// What a signed link lets its holder do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignedAction {
    /// Turn off emails of `kind` for `user_id`.
    Unsubscribe { user_id: Uuid, kind: String },
    /// Give back `claim_id`, held by `user_id`.
    Release { user_id: Uuid, claim_id: Uuid },
    /// Read `task_id` as `user_id` may see it (the "Se oppdraget" link of a volunteer's
    /// email; it changes nothing).
    ViewTask { user_id: Uuid, task_id: Uuid },
}

impl SignedAction {
    fn payload(&self, expires: i64) -> String {
        match self {
            Self::Unsubscribe { user_id, kind } => format!("u|{user_id}|{kind}|{expires}"),
            Self::Release { user_id, claim_id } => format!("r|{user_id}|{claim_id}|{expires}"),
            Self::ViewTask { user_id, task_id } => format!("t|{user_id}|{task_id}|{expires}"),
        }
    }

    fn parse(payload: &str) -> Option<(Self, i64)> {
        let mut parts = payload.split('|');
        let (tag, user, what, expires) =
            (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let user_id = Uuid::parse_str(user).ok()?;
        let expires = expires.parse().ok()?;
        let action = match tag {
            "u" => Self::Unsubscribe {
                user_id,
                kind: what.to_owned(),
            },
            "r" => Self::Release {
                user_id,
                claim_id: Uuid::parse_str(what).ok()?,
            },
            "t" => Self::ViewTask {
                user_id,
                task_id: Uuid::parse_str(what).ok()?,
            },
            _ => return None,
        };
        Some((action, expires))
    }
}

/// A token for `action`, valid until `expires`.
pub fn sign(keys: &ServerKeys, action: &SignedAction, expires: DateTime<Utc>) -> String {
    let payload = action.payload(expires.timestamp());
    format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(&payload),
        keys.sign(payload.as_bytes())
    )
}

/// The action of a token this server signed that has not expired at `now`.
pub fn verify(keys: &ServerKeys, token: &str, now: DateTime<Utc>) -> Option<SignedAction> {
    let (encoded, signature) = token.split_once('.')?;
    let payload = URL_SAFE_NO_PAD.decode(encoded).ok()?;
    if !keys.verify(&payload, signature) {
        return None;
    }
    let (action, expires) = SignedAction::parse(std::str::from_utf8(&payload).ok()?)?;
    let expires = Utc.timestamp_opt(expires, 0).single()?;
    (now < expires).then_some(action)
}

/// Whether a token is of the signed form (legacy stored tokens have no dot).
pub fn is_signed(token: &str) -> bool {
    token.contains('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_link_works_until_it_expires_and_only_as_signed() {
        let keys = ServerKeys::from_secret(b"a test secret");
        let action = SignedAction::Unsubscribe {
            user_id: Uuid::now_v7(),
            kind: "reminder".into(),
        };
        let now = Utc::now();
        let token = sign(&keys, &action, now + chrono::Duration::days(1));
        assert_eq!(verify(&keys, &token, now), Some(action.clone()));
        assert_eq!(verify(&keys, &token, now + chrono::Duration::days(2)), None);
        let other = ServerKeys::from_secret(b"another secret");
        assert_eq!(verify(&other, &token, now), None);
        // Changing the payload (another person, another kind) breaks the signature.
        let (_, signature) = token.split_once('.').expect("two parts");
        let forged = SignedAction::Unsubscribe {
            user_id: Uuid::now_v7(),
            kind: "reminder".into(),
        }
        .payload((now + chrono::Duration::days(1)).timestamp());
        let forged = format!("{}.{signature}", URL_SAFE_NO_PAD.encode(forged));
        assert_eq!(verify(&keys, &forged, now), None);
        let release = SignedAction::Release {
            user_id: Uuid::now_v7(),
            claim_id: Uuid::now_v7(),
        };
        let token = sign(&keys, &release, now + chrono::Duration::hours(3));
        assert_eq!(verify(&keys, &token, now), Some(release));
        assert_eq!(verify(&keys, "garbage", now), None);
    }
}
