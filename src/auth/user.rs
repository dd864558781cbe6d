//! `AuthUser`: an authenticated, active caller as the use cases see them, read from the
//! database for each request (the token carries only who they are).

use uuid::Uuid;

use crate::db::users::UserRow;
use crate::domain::Language;
use crate::domain::account::Role;
use crate::domain::ids::UserId;

/// An authenticated, active user.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub id: Uuid,
    pub role: Role,
    pub service_unit_id: Option<Uuid>,
    pub council_id: Option<Uuid>,
    pub email_verified: bool,
    pub language: Language,
    pub row: UserRow,
}

impl AuthUser {
    /// `None` for a row whose role this version does not know (never granted anything).
    pub fn from_row(row: UserRow) -> Option<Self> {
        Some(Self {
            id: row.id,
            role: Role::parse(&row.role)?,
            service_unit_id: row.service_unit_id,
            council_id: row.council_id,
            email_verified: row.email_verified,
            language: Language::parse(&row.language).unwrap_or_default(),
            row,
        })
    }

    /// The caller's id, typed.
    pub fn user_id(&self) -> UserId {
        UserId(self.id)
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}
