//! The GDPR export (art. 15 and 20): everything stored about the caller — the profile,
//! every claim with its task as they may see it, every invitation, and the emails
//! written for them (kinds and times, never what they said).

use chrono::{DateTime, Utc};
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::tasks::{self, TaskView};
use crate::auth::AuthUser;
use crate::db::invitations::{self, InvitationRow};
use crate::db::outbox;
use crate::db::tasks::{self as task_db, ClaimRow};
use crate::domain::error::DomainError;
use crate::domain::notification::Channel;

/// One email written for the person: kind, status and times.
pub struct EmailRecord {
    pub kind: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

pub struct Export {
    pub profile: super::users::Profile,
    /// The claims with their tasks' public fields: the person helped is not the caller's
    /// data, so the views carry no private block and no unit contact.
    pub claims: Vec<(ClaimRow, TaskView)>,
    pub invitations: Vec<InvitationRow>,
    pub emails: Vec<EmailRecord>,
    /// The qualification records kept about the caller (seen, issued, valid until).
    pub qualifications: Vec<crate::db::qualifications::RecordRow>,
    /// The series the caller follows or followed.
    pub follows: Vec<crate::db::series::FollowRow>,
    /// The caller's devices and the pushes written for them.
    pub devices: Vec<crate::db::devices::DeviceRow>,
    pub pushes: Vec<crate::db::outbox::OutboxRow>,
    /// The tasks the caller watches: (task, since).
    pub watches: Vec<(Uuid, DateTime<Utc>)>,
}

pub async fn export(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    zone: chrono_tz::Tz,
) -> Result<Export, DomainError> {
    let rows = task_db::claims_of_volunteer(conn, user.id, None, i64::from(i32::MAX)).await?;
    let (claims, task_rows): (Vec<_>, Vec<_>) = rows.into_iter().unzip();
    let views = tasks::views(conn, user, zone, task_rows).await?;
    let claims = claims
        .into_iter()
        .zip(views)
        .map(|(claim, mut view)| {
            view.private = None;
            view.unit = None;
            (claim, view)
        })
        .collect();
    let emails = outbox::of_user(conn, user.id, Channel::Email.as_str())
        .await?
        .into_iter()
        .map(|row| EmailRecord {
            kind: row.kind,
            status: row.status,
            created_at: row.created_at,
            sent_at: row.sent_at,
        })
        .collect();
    Ok(Export {
        profile: super::users::profile(conn, user.row.clone()).await?,
        claims,
        invitations: invitations::all_for_volunteer(conn, user.id).await?,
        emails,
        qualifications: crate::db::qualifications::records_of(conn, user.id).await?,
        follows: crate::db::series::follows_of(conn, user.id).await?,
        devices: crate::db::devices::of_user(conn, user.id).await?,
        pushes: outbox::of_user(conn, user.id, Channel::Fcm.as_str()).await?,
        watches: crate::db::watches::all_of_user(conn, user.id).await?,
    })
}
