//! The second factor of the people who see private data: a TOTP authenticator (RFC 6238,
//! SHA-1, 6 digits, 30-second steps, one step of clock skew either way) and ten recovery
//! codes, shown once and stored hashed. A code is accepted once: the step of the last
//! accepted code is stored, and only later steps pass.

use crate::domain::problem::FieldProblem;
use chrono::{DateTime, Utc};
use diesel_async::AsyncPgConnection;
use totp_rs::{Algorithm, Builder, Secret, Totp};
use uuid::Uuid;

use crate::auth::AuthUser;
use crate::auth::keys::ServerKeys;
use crate::auth::tokens;
use crate::db::console as db;
use crate::db::users::UserRow;
use crate::domain::account::Role;
use crate::domain::error::{DomainError, ErrorCode};
use crate::settings::Settings;

const STEP_SECONDS: u64 = 30;
/// Wrong codes in a row after which an account's codes are locked and its owner emailed.
pub const LOCK_AFTER_FAILED_CODES: i32 = 100;
const SECRET_BYTES: usize = 20;
const RECOVERY_CODES: usize = 10;

/// Whether a person's sign-in needs a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    /// Nothing asked beyond the password (volunteers; others while 2FA is optional and
    /// they have not enrolled).
    None,
    /// An authenticator is enrolled: its code (or a recovery code) is required.
    Code,
    /// A code is required and the person has no authenticator yet: they must enrol first.
    Enrolment,
}

/// The roles that see where vulnerable people live, and may (or must) use a second factor.
pub fn applies_to(role: Role) -> bool {
    matches!(role, Role::Staff | Role::Coordinator | Role::Admin)
}

pub async fn requirement(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    user: &UserRow,
) -> Result<Requirement, DomainError> {
    let role = Role::parse(&user.role).unwrap_or(Role::Volunteer);
    if !applies_to(role) {
        return Ok(Requirement::None);
    }
    if db::has_totp(conn, user.id).await? {
        Ok(Requirement::Code)
    } else if settings.require_2fa {
        Ok(Requirement::Enrolment)
    } else {
        Ok(Requirement::None)
    }
}

fn totp(secret: &[u8]) -> Result<Totp, DomainError> {
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(STEP_SECONDS)
        .with_secret(secret.to_vec())
        .build()
        .map_err(|e| DomainError::internal(anyhow::anyhow!("totp: {e:?}")))
}

fn seconds(at: DateTime<Utc>) -> u64 {
    u64::try_from(at.timestamp()).unwrap_or(0)
}

/// The step at which `code` is right for `secret` within one step of `at`, if any.
fn matching_step(secret: &[u8], code: &str, at: u64) -> Result<Option<i64>, DomainError> {
    Ok(totp(secret)?
        .check(code, at)
        .and_then(|step| i64::try_from(step).ok()))
}

/// A code as typed: spaces and dashes dropped, letters lowered.
fn normalize(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Checks a code of the person's authenticator, or one of their recovery codes, and uses
/// it up. Runs in the caller's transaction with the authenticator row locked, so codes
/// checked at once are counted one after the other: a right one resets the count of wrong
/// codes in a row; the [`LOCK_AFTER_FAILED_CODES`]th wrong one locks every code of the
/// account and emails its owner (a password reset lifts the lock). While locked, even a
/// right code is refused.
pub async fn verify(
    conn: &mut AsyncPgConnection,
    keys: &ServerKeys,
    user_id: Uuid,
    code: &str,
    now: DateTime<Utc>,
) -> Result<bool, DomainError> {
    let Some(row) = db::totp_for_update(conn, user_id).await? else {
        return Ok(false);
    };
    if row.codes_locked_at.is_some() {
        return Err(codes_locked());
    }
    let secret = open_secret(keys, &row.secret)?;
    let right = check(conn, &row, &secret, &normalize(code), now).await?;
    if right {
        if row.failed_codes > 0 {
            db::set_failed_codes(conn, user_id, 0, None).await?;
        }
        if secret == row.secret {
            // Kept in the clear by an earlier version: sealed now that it was used.
            db::set_secret(conn, user_id, &keys.seal(SEALED_PURPOSE, &secret)).await?;
        }
        return Ok(true);
    }
    let failed = row.failed_codes.saturating_add(1);
    let lock = failed >= LOCK_AFTER_FAILED_CODES;
    db::set_failed_codes(conn, user_id, failed, lock.then_some(now)).await?;
    if lock {
        tracing::warn!(user.id = %user_id, "second-factor codes locked");
        if let Some(owner) = crate::db::users::find(conn, user_id).await? {
            crate::notify::send(
                conn,
                &[crate::notify::Notification::to_user(
                    &owner,
                    crate::notify::Intent::CodesLocked {
                        name: crate::notify::greeting_name(&owner),
                    },
                )],
            )
            .await?;
        }
    }
    Ok(false)
}

/// Whether `code` (normalised) is a code of `row`'s authenticator not used before, or an
/// unused recovery code; either is used up.
async fn check(
    conn: &mut AsyncPgConnection,
    row: &db::TotpRow,
    secret: &[u8],
    code: &str,
    now: DateTime<Utc>,
) -> Result<bool, DomainError> {
    if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
        return match matching_step(secret, code, seconds(now))? {
            Some(step) if row.last_step.is_none_or(|last| step > last) => {
                db::set_last_step(conn, row.user_id, step).await?;
                Ok(true)
            }
            _ => Ok(false),
        };
    }
    if code.is_empty() || code.len() > 64 {
        return Ok(false);
    }
    let used = db::use_recovery_code(conn, row.user_id, &tokens::hash(code)).await?;
    if used {
        tracing::warn!(user.id = %row.user_id, "recovery code used");
    }
    Ok(used)
}

/// What authenticator keys are sealed for at rest (`ServerKeys::seal`).
pub const SEALED_PURPOSE: &str = "totp secret";

/// An authenticator key as stored: sealed with the server's key, or (written by an
/// earlier version) the bare key, which is sealed on its next use or by the job.
pub fn open_secret(keys: &ServerKeys, stored: &[u8]) -> Result<Vec<u8>, DomainError> {
    keys.open(SEALED_PURPOSE, stored)
        .or_else(|| (stored.len() == SECRET_BYTES).then(|| stored.to_vec()))
        .ok_or_else(|| {
            DomainError::internal(anyhow::anyhow!(
                "an authenticator key this server cannot open (was DUGNAD_JWT_SECRET changed?)"
            ))
        })
}

/// Seals the authenticator keys still kept in the clear; returns how many.
pub async fn seal_clear_secrets(
    conn: &mut AsyncPgConnection,
    keys: &ServerKeys,
) -> Result<usize, DomainError> {
    let mut sealed = 0;
    for (user_id, secret) in db::clear_secrets(conn, SECRET_BYTES).await? {
        db::set_secret(conn, user_id, &keys.seal(SEALED_PURPOSE, &secret)).await?;
        sealed += 1;
    }
    Ok(sealed)
}

/// The refusal while an account's codes are locked.
pub fn codes_locked() -> DomainError {
    DomainError::forbidden(
        "too many wrong codes in a row: this account's codes are locked; its owner was emailed and unlocks them by resetting the password",
    )
}

/// A secret being enrolled: what the person scans or types into their app.
pub struct Enrolment {
    pub secret: Vec<u8>,
    /// The secret in base32, for typing in by hand.
    pub secret_text: String,
    /// The `otpauth://` URI the QR code carries.
    pub uri: String,
}

impl Enrolment {
    /// A fresh random secret for `user`.
    pub fn new(settings: &Settings, user: &AuthUser) -> Self {
        Self::of(settings, user, crate::random::bytes(SECRET_BYTES))
    }

    /// The enrolment of an existing secret (the one kept on the session while enrolling).
    pub fn of(settings: &Settings, user: &AuthUser, secret: Vec<u8>) -> Self {
        let secret_text = Secret::from(secret.clone()).to_base32();
        let issuer = format!("Dugnad {}", settings.municipality);
        let label = format!("{issuer}:{}", user.row.email);
        let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
        let uri = format!(
            "otpauth://totp/{}?secret={secret_text}&issuer={}&algorithm=SHA1&digits=6&period={STEP_SECONDS}",
            enc(&label).replace('+', "%20"),
            enc(&issuer).replace('+', "%20"),
        );
        Self {
            secret,
            secret_text,
            uri,
        }
    }
}

/// The QR code of an enrolment as an inline SVG (no script, no external image).
pub fn qr_svg(uri: &str) -> Result<String, DomainError> {
    let code = qrcode::QrCode::new(uri.as_bytes())
        .map_err(|e| DomainError::internal(anyhow::anyhow!("qr code: {e}")))?;
    Ok(code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(220, 220)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build())
}

/// Finishes an enrolment when `code` is right for `secret`: the authenticator is stored
/// (replacing an earlier one), new recovery codes are made, and they are returned in the
/// clear this once. Runs in the caller's transaction.
pub async fn confirm_enrolment(
    conn: &mut AsyncPgConnection,
    keys: &ServerKeys,
    user_id: Uuid,
    secret: &[u8],
    code: &str,
    now: DateTime<Utc>,
) -> Result<Vec<String>, DomainError> {
    let code = normalize(code);
    let Some(step) = matching_step(secret, &code, seconds(now))? else {
        return Err(DomainError::invalid_field("code", FieldProblem::WrongCode));
    };
    db::enrol(conn, user_id, &keys.seal(SEALED_PURPOSE, secret), step).await?;
    let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| recovery_code()).collect();
    let hashes: Vec<Vec<u8>> = codes.iter().map(|c| tokens::hash(&normalize(c))).collect();
    db::replace_recovery_codes(conn, user_id, &hashes).await?;
    tracing::info!(user.id = %user_id, "authenticator enrolled");
    Ok(codes)
}

/// Ten characters of an unambiguous alphabet, shown as `xxxxx-xxxxx` (about 50 bits).
fn recovery_code() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let raw = crate::random::bytes(10);
    let chars: String = raw
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect();
    format!("{}-{}", &chars[..5], &chars[5..])
}

/// The refusal of an API login whose code is missing.
pub fn code_required() -> DomainError {
    DomainError::new(
        ErrorCode::OtpRequired,
        "this account uses a second factor: send the code from the authenticator app as `otp`",
    )
}

/// The refusal of an API login by someone who must enrol an authenticator first.
pub fn enrolment_required() -> DomainError {
    DomainError::new(
        ErrorCode::OtpEnrolmentRequired,
        "this account must have an authenticator app: enrol one in the web console first",
    )
}

/// Whether `user_id` has an authenticator enrolled, and how many recovery codes are left.
pub async fn standing(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
) -> Result<(bool, i64), DomainError> {
    let enrolled = crate::db::console::has_totp(conn, user_id).await?;
    let left = crate::db::console::unused_recovery_codes(conn, user_id).await?;
    Ok((enrolled, left))
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238, appendix B: the SHA-1 secret "12345678901234567890" at T = 59 gives
    // 94287082 in 8 digits, so 287082 in 6.
    #[test]
    fn the_codes_are_those_of_rfc_6238() {
        let secret = b"12345678901234567890";
        assert_eq!(matching_step(secret, "287082", 59).ok().flatten(), Some(1));
        assert_eq!(
            matching_step(secret, "287082", 59 + 30).ok().flatten(),
            Some(1)
        );
        assert_eq!(
            matching_step(secret, "287082", 59 + 90).ok().flatten(),
            None
        );
        assert_eq!(matching_step(secret, "287083", 59).ok().flatten(), None);
    }

    #[test]
    fn recovery_codes_are_typed_forgivingly() {
        let code = recovery_code();
        assert_eq!(code.len(), 11);
        assert_eq!(normalize(&code.to_uppercase()), normalize(&code));
        assert_eq!(normalize(" ab cd-ef "), "abcdef");
    }
}
