//! Accounts: roles, email addresses and the password policy.

use super::problem::FieldProblem;
use serde::{Deserialize, Serialize};

/// What a person may do (`docs/PRODUCT.md`, "Roles").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Staff,
    Coordinator,
    Volunteer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Staff => "staff",
            Self::Coordinator => "coordinator",
            Self::Volunteer => "volunteer",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "admin" => Some(Self::Admin),
            "staff" => Some(Self::Staff),
            "coordinator" => Some(Self::Coordinator),
            "volunteer" => Some(Self::Volunteer),
            _ => None,
        }
    }

    /// Volunteers and coordinators take tasks; staff and admins post them.
    pub fn may_claim(self) -> bool {
        matches!(self, Self::Volunteer | Self::Coordinator)
    }
}

/// An email address as a person typed it, trimmed and checked for a plausible shape.
/// Two addresses are the same account when [`EmailAddress::normalized`] agrees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(raw: &str) -> Result<Self, FieldProblem> {
        let s = raw.trim();
        if s.len() < 3 || s.len() > 254 {
            return Err(FieldProblem::TooLong { max: 254 });
        }
        let Some((local, domain)) = s.rsplit_once('@') else {
            return Err(FieldProblem::NotEmail);
        };
        let valid_local =
            !local.is_empty() && local.len() <= 64 && !local.chars().any(char::is_whitespace);
        let valid_domain = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && domain.split('.').all(|label| !label.is_empty())
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        if !valid_local || !valid_domain || s.parse::<lettre::Address>().is_err() {
            return Err(FieldProblem::NotEmail);
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form used for uniqueness and rate limiting.
    pub fn normalized(&self) -> String {
        self.0.to_lowercase()
    }
}

/// Normalises an address the caller typed, without validating it (for look-ups that must
/// not reveal whether it was valid).
pub fn normalize_email(raw: &str) -> String {
    raw.trim().to_lowercase()
}

/// Passwords too common to be allowed, whatever their length.
const COMMON_PASSWORDS: &str = include_str!("../../data/common-passwords.txt");

pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 256;

/// The password policy: at least 10 characters, not the email address (or its local part),
/// not a common password or a trivial pattern.
pub fn check_password(password: &str, email: &str) -> Result<(), FieldProblem> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(FieldProblem::PasswordTooShort { min: 10 });
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(FieldProblem::TooLong { max: 256 });
    }
    let lower = password.to_lowercase();
    let email = normalize_email(email);
    let local = email.split('@').next().unwrap_or_default();
    if lower == email
        || (!local.is_empty() && lower.contains(local) && local.len() * 2 >= lower.len())
    {
        return Err(FieldProblem::PasswordIsEmail);
    }
    let distinct: std::collections::HashSet<char> = lower.chars().collect();
    if distinct.len() < 4 {
        return Err(FieldProblem::PasswordTooSimple);
    }
    let common = COMMON_PASSWORDS
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#'));
    if common.into_iter().any(|c| c == lower) {
        return Err(FieldProblem::PasswordCommon);
    }
    Ok(())
}

/// How long the links of security emails work (`docs/PRODUCT.md`: verify 48 h, reset 1 h,
/// set-password 7 days).
pub const VERIFY_TTL: chrono::Duration = chrono::Duration::hours(48);
pub const RESET_TTL: chrono::Duration = chrono::Duration::hours(1);
pub const SET_PASSWORD_TTL: chrono::Duration = chrono::Duration::days(7);
