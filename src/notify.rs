//! The one path of everything the service tells a volunteer or a unit: a notification is
//! what to say (an [`Intent`]) and to whom; [`send`] looks up whether the recipient wants
//! it and writes one outbox row per recipient and channel, in the caller's transaction.
//! Email is the channel today; push will be a second one here, not a copy of the loops.

use diesel::QueryResult;

use crate::db::PgConn;
use crate::db::users::UserRow;
use crate::domain::notification::NotificationKind;
use crate::email::{self, Intent, NewEmail};

/// Who a notification is for.
#[derive(Debug, Clone)]
pub enum Recipient {
    /// One of our users, at their address, in their language, by their preferences.
    User(Box<UserRow>),
    /// One of our users at another address: the new one they asked to log in with.
    UserAt { user: Box<UserRow>, address: String },
    /// A service unit's shared address (units read Norwegian and turn nothing off).
    Unit { address: String },
    /// An address as someone typed it, for a request the delivery worker resolves to an
    /// account or to nothing (a password reset, a new verification link).
    Address { address: String },
}

/// What to tell whom.
#[derive(Debug, Clone)]
pub struct Notification {
    pub recipient: Recipient,
    pub intent: Intent,
}

impl Notification {
    pub fn to_user(user: &UserRow, intent: Intent) -> Self {
        Self {
            recipient: Recipient::User(Box::new(user.clone())),
            intent,
        }
    }

    pub fn to_user_at(user: &UserRow, address: &str, intent: Intent) -> Self {
        Self {
            recipient: Recipient::UserAt {
                user: Box::new(user.clone()),
                address: address.to_owned(),
            },
            intent,
        }
    }

    /// A request about `address`, resolved later by the delivery worker.
    pub fn to_address(address: &str, intent: Intent) -> Self {
        Self {
            recipient: Recipient::Address {
                address: address.to_owned(),
            },
            intent,
        }
    }

    pub fn to_unit(address: &str, intent: Intent) -> Self {
        Self {
            recipient: Recipient::Unit {
                address: address.to_owned(),
            },
            intent,
        }
    }
}

/// Whether `user` wants notifications of `kind` at all: never when deactivated, always
/// for what is not optional, else as their preference says.
pub fn wants(user: &UserRow, kind: NotificationKind) -> bool {
    if !user.active {
        return false;
    }
    match kind {
        NotificationKind::ClaimConfirmation => user.notify_claim_confirmation,
        NotificationKind::TaskChanged => user.notify_task_changed,
        NotificationKind::TaskCancelled => user.notify_task_cancelled,
        NotificationKind::Reminder => user.notify_reminder,
        NotificationKind::Invitation => user.notify_invitation,
        NotificationKind::NewTasksDigest => user.notify_new_tasks_digest,
        NotificationKind::QualificationExpiring => user.notify_qualification_expiring,
        _ => true,
    }
}

/// The outbox rows of these notifications for every channel their recipients want.
fn rows(notifications: &[Notification]) -> Vec<NewEmail> {
    notifications
        .iter()
        .filter_map(|n| match &n.recipient {
            Recipient::User(user) => n
                .intent
                .kind()
                .is_none_or(|kind| wants(user, kind))
                .then(|| NewEmail::to_user(user, n.intent.clone())),
            Recipient::UserAt { user, address } => n
                .intent
                .kind()
                .is_none_or(|kind| wants(user, kind))
                .then(|| NewEmail {
                    to: address.clone(),
                    ..NewEmail::to_user(user, n.intent.clone())
                }),
            Recipient::Unit { address } | Recipient::Address { address } => {
                Some(NewEmail::to_unit(address, n.intent.clone()))
            }
        })
        .collect()
}

/// Writes the notifications in one statement; call it inside the transaction of the
/// change they report, so they go out only if it commits. Returns how many rows were
/// written (notifications nobody wants write none).
pub async fn send(conn: &mut impl PgConn, notifications: &[Notification]) -> QueryResult<usize> {
    email::enqueue_all(conn, &rows(notifications))
        .await
        .map(|ids| ids.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preferences_and_deactivation_decide_what_a_person_gets() {
        let mut user = UserRow::example();
        user.notify_reminder = false;
        assert!(!wants(&user, NotificationKind::Reminder));
        assert!(wants(&user, NotificationKind::TaskChanged));
        assert!(
            wants(&user, NotificationKind::PasswordReset),
            "security always"
        );
        user.active = false;
        assert!(!wants(&user, NotificationKind::PasswordReset));
    }
}
