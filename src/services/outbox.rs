//! The admins' view of the one outbox: pending and dead rows of every channel (an
//! email's address masked by the edge, a push by its device — never a body, a token or a
//! text), and putting one back in the queue.

use diesel_async::{AsyncConnection, AsyncPgConnection};
use uuid::Uuid;

use crate::auth::{AuthUser, permissions};
use crate::db::outbox as db;
pub use crate::db::outbox::OutboxRow;
use crate::domain::error::{DomainError, ErrorCode};
use crate::domain::notification::Channel;

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

/// `limit + 1` rows of `listing` (of one channel, or of all) after `after`.
pub async fn list(
    conn: &mut AsyncPgConnection,
    admin: &AuthUser,
    listing: Listing,
    channel: Option<Channel>,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Vec<OutboxRow>, DomainError> {
    permissions::require_admin(admin)?;
    Ok(db::list(
        conn,
        listing.as_str(),
        channel.map(Channel::as_str),
        after,
        limit,
    )
    .await?)
}

/// Puts a pending or dead row of `channel` (any, if `None`) back in the queue, due now;
/// one that was sent or dropped is 409.
pub async fn retry(
    conn: &mut AsyncPgConnection,
    admin: &AuthUser,
    id: Uuid,
    channel: Option<Channel>,
) -> Result<OutboxRow, DomainError> {
    permissions::require_admin(admin)?;
    let row = conn
        .transaction(async |conn| db::requeue(conn, id, channel.map(Channel::as_str)).await)
        .await?
        .ok_or_else(|| DomainError::not_found("no such notification in the outbox"))?;
    match row.status.as_str() {
        "sent" => Err(DomainError::new(
            ErrorCode::Conflict,
            "this notification was sent already",
        )),
        "dropped" => Err(DomainError::new(
            ErrorCode::Conflict,
            "this notification was dropped: there was nothing to send",
        )),
        _ => {
            tracing::info!(outbox.id = %id, outbox.channel = %row.channel, admin.id = %admin.id, "notification put back in the queue");
            Ok(row)
        }
    }
}
