//! Erasure (GDPR art. 17): `DELETE /me`, an admin's `DELETE /users/{id}`, and accounts
//! unused for three years (warned 30 days before). Active claims are released as for any
//! release; the person's row is anonymised so claims and report totals stay; their
//! tokens, preferences, invitations and outbox rows go; the address can register again.

use chrono::{DateTime, Duration, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use uuid::Uuid;

use crate::db::users as users_db;
use crate::domain::error::{DomainError, ErrorCode};
use crate::notify::Intent;
use crate::notify::greeting_name;
use crate::notify::{self, Notification};

const INACTIVE_AFTER: Duration = Duration::days(3 * 365);
const WARNING_AHEAD: Duration = Duration::days(30);

/// Erases one person, in one transaction.
pub async fn erase(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DomainError> {
    let user = users_db::find_for_update(conn, id)
        .await?
        .ok_or_else(|| DomainError::not_found("no such user"))?;
    if user.role == "admin" && user.active && users_db::other_active_admins(conn, id).await? == 0 {
        return Err(DomainError::new(
            ErrorCode::Conflict,
            "the last active admin cannot be erased",
        ));
    }
    let released = crate::services::tasks::release_all_of(conn, id, now).await?;
    users_db::anonymise(conn, id).await?;
    crate::db::devices::delete_all_of_user(conn, id).await?;
    crate::db::watches::delete_of_user(conn, id).await?;
    crate::db::preferences::delete_of_user(conn, id).await?;
    crate::db::qualifications::delete_of(conn, id).await?;
    crate::db::series::delete_follows_of(conn, id).await?;
    tracing::info!(user.id = %id, claims.released = released, "account erased");
    Ok(())
}

/// Warns accounts unused for three years less 30 days, and erases those warned 30 days
/// ago that stayed unused. Returns (warned, erased).
pub async fn inactive_accounts(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
) -> Result<(usize, usize), DomainError> {
    let warned = conn
        .transaction(async |conn| {
            let due =
                users_db::inactive_unwarned(conn, now - (INACTIVE_AFTER - WARNING_AHEAD)).await?;
            for user in &due {
                users_db::mark_warned(conn, user.id, now).await?;
                notify::send(
                    conn,
                    &[Notification::to_user(
                        user,
                        Intent::InactivityWarning {
                            name: greeting_name(user),
                        },
                    )],
                )
                .await?;
            }
            Ok::<_, DomainError>(due.len())
        })
        .await?;
    let mut erased = 0;
    for id in conn
        .transaction(async |conn| {
            Ok::<_, DomainError>(users_db::inactive_warned(conn, now - WARNING_AHEAD).await?)
        })
        .await?
    {
        match conn
            .transaction(async |conn| erase(conn, id, now).await)
            .await
        {
            Ok(()) => erased += 1,
            // The last admin stays; everything else is a real failure.
            Err(e) if e.code() == ErrorCode::Conflict => {}
            Err(e) => return Err(e),
        }
    }
    Ok((warned, erased))
}
