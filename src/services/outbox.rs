//! The admins' view of the outboxes: pending and dead emails (the address masked by the
//! edge, never a body) and pushes (the device, never the token or the text), and putting
//! one back in the queue.

use diesel_async::{AsyncConnection, AsyncPgConnection};
use uuid::Uuid;

use crate::auth::{AuthUser, permissions};
use crate::db::outbox::{self as db, OutboxRow};
use crate::db::push_outbox::{self as push_db, PushRow};
use crate::domain::error::{DomainError, ErrorCode};

/// Which rows to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    Pending,
    Dead,
}

impl Listing {
    pub fn parse(s: Option<&str>) -> Option<Self> {
        match s {
            None | Some("pending") => Some(Self::Pending),
            Some("dead") => Some(Self::Dead),
            Some(_) => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Dead => "dead",
        }
    }
}

/// `limit + 1` rows of `listing` after `after`.
pub async fn list(
    conn: &mut AsyncPgConnection,
    admin: &AuthUser,
    listing: Listing,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Vec<OutboxRow>, DomainError> {
    permissions::require_admin(admin)?;
    Ok(db::list(conn, listing.as_str(), after, limit).await?)
}

/// Puts a pending or dead email back in the queue, due now.
pub async fn retry(
    conn: &mut AsyncPgConnection,
    admin: &AuthUser,
    id: Uuid,
) -> Result<OutboxRow, DomainError> {
    permissions::require_admin(admin)?;
    let row = conn
        .transaction(async |conn| db::requeue(conn, id).await)
        .await?
        .ok_or_else(|| DomainError::not_found("no such email"))?;
    if row.status == "sent" {
        return Err(DomainError::new(
            ErrorCode::Conflict,
            "this email was sent already",
        ));
    }
    tracing::info!(email.id = %id, admin.id = %admin.id, "email put back in the queue");
    Ok(row)
}

/// `limit + 1` pushes of `listing` after `after`.
pub async fn list_pushes(
    conn: &mut AsyncPgConnection,
    admin: &AuthUser,
    listing: Listing,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Vec<PushRow>, DomainError> {
    permissions::require_admin(admin)?;
    Ok(push_db::list(conn, listing.as_str(), after, limit).await?)
}

/// Puts a pending or dead push back in the queue, due now; a sent one is 409.
pub async fn retry_push(
    conn: &mut AsyncPgConnection,
    admin: &AuthUser,
    id: Uuid,
) -> Result<PushRow, DomainError> {
    permissions::require_admin(admin)?;
    match push_db::requeue(conn, id).await? {
        Some(row) => {
            tracing::info!(push.id = %id, admin.id = %admin.id, "push put back in the queue");
            Ok(row)
        }
        None if push_db::exists(conn, id).await? => Err(DomainError::new(
            ErrorCode::Conflict,
            "this push was sent already",
        )),
        None => Err(DomainError::not_found("no such push")),
    }
}
