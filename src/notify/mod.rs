//! The one path of everything the service tells a volunteer or a unit: a notification is
//! what to say (an [`Intent`]) and to whom; [`send`] looks up whether the recipient wants
//! it and writes one row of the one outbox per recipient and channel, in the caller's
//! transaction. The channels are data ([`Channel`]): email (every notification) and
//! `fcm` (the kinds a device is told of, to each of the person's devices, by their push
//! preferences). How a row becomes a message is the channel's own (`email`, `push`); the
//! `delivery` worker drains them all.

pub mod intent;

use std::collections::HashMap;

use diesel::QueryResult;
use uuid::Uuid;

use crate::db::PgConn;
use crate::db::outbox::{self, NewOutboxRow};
use crate::db::preferences;
use crate::db::users::UserRow;
use crate::db::{devices, reference};
use crate::domain::Language;
use crate::domain::notification::{Channel, NotificationKind, Preference};
pub use intent::{Intent, PushFacts, SpotFreed, TaskFacts, UnitFacts, greeting_name, language_of};

/// One email to write: to whom, in which language, saying what.
#[derive(Debug, Clone)]
pub struct NewEmail {
    /// The recipient, when they are one of our users (erasure and the export find the
    /// row by it; optional kinds sign their unsubscribe link for it).
    pub user_id: Option<Uuid>,
    pub to: String,
    pub language: Language,
    pub intent: Intent,
}

impl NewEmail {
    /// To one of our users, at their address, in their language.
    pub fn to_user(user: &UserRow, intent: Intent) -> Self {
        Self {
            user_id: Some(user.id),
            to: user.email.clone(),
            language: language_of(user),
            intent,
        }
    }

    /// To a service unit's address (units read Norwegian).
    pub fn to_unit(address: &str, intent: Intent) -> Self {
        Self {
            user_id: None,
            to: address.to_owned(),
            language: Language::Nb,
            intent,
        }
    }

    /// Its outbox row. The `Message-ID` is derived from the row id at delivery.
    pub fn row(&self) -> NewOutboxRow {
        NewOutboxRow {
            id: Uuid::now_v7(),
            channel: Channel::Email.as_str(),
            kind: self.intent.kind_str(),
            user_id: self.user_id,
            to_address: Some(self.to.clone()),
            device_id: None,
            notification_id: None,
            language: self.language.as_str(),
            facts: Some(self.intent.to_facts()),
        }
    }
}

impl PushFacts {
    /// The row of this push to one of the person's devices.
    pub fn row(&self, notification_id: Uuid, device_id: Uuid, user_id: Uuid) -> NewOutboxRow {
        NewOutboxRow {
            id: Uuid::now_v7(),
            channel: Channel::Fcm.as_str(),
            kind: self.kind.as_str(),
            user_id: Some(user_id),
            to_address: None,
            device_id: Some(device_id),
            notification_id: Some(notification_id),
            language: self.language.as_str(),
            facts: Some(serde_json::to_value(self).unwrap_or_else(|_| serde_json::json!({}))),
        }
    }
}

/// Writes one email to the outbox, outside any preference (the caller decided); call it
/// inside the transaction of the change it reports. Returns its row id.
pub async fn enqueue(conn: &mut impl PgConn, email: &NewEmail) -> QueryResult<Uuid> {
    let row = email.row();
    outbox::insert(conn, std::slice::from_ref(&row)).await?;
    Ok(row.id)
}

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

/// What people chose about their notifications, for the people of one send (or one
/// profile): rows only where they chose otherwise than the default.
#[derive(Debug, Clone, Default)]
pub struct Choices(HashMap<(Uuid, NotificationKind, Channel), bool>);

impl Choices {
    /// The choices of `people`, in one query.
    pub async fn of(conn: &mut impl PgConn, people: &[Uuid]) -> QueryResult<Self> {
        Ok(Self::from_rows(preferences::of_users(conn, people).await?))
    }

    pub fn from_rows(rows: Vec<preferences::PreferenceRow>) -> Self {
        Self(
            rows.into_iter()
                .filter_map(|row| {
                    let kind = NotificationKind::parse(&row.kind)?;
                    let channel = Channel::parse(&row.channel)?;
                    Some(((row.user_id, kind, channel), row.enabled))
                })
                .collect(),
        )
    }

    /// What `person` gets of `kind` by `channel`, as chosen or by default.
    pub fn chosen(&self, person: Uuid, kind: NotificationKind, channel: Channel) -> bool {
        match kind.preference(channel) {
            Preference::Always => true,
            Preference::Never => false,
            Preference::Optional { default } => self
                .0
                .get(&(person, kind, channel))
                .copied()
                .unwrap_or(default),
        }
    }

    /// Every choice `person` may make, with what it is now.
    pub fn all_of(&self, person: Uuid) -> Vec<(NotificationKind, Channel, bool)> {
        crate::domain::notification::choices()
            .map(|(kind, channel, _)| (kind, channel, self.chosen(person, kind, channel)))
            .collect()
    }
}

/// Whether a row of `kind` by `channel` to `user` is written, and on what condition:
/// `None` when it is not written at all (a deactivated account, a channel that does not
/// carry the kind), `Some(None)` when it is whatever they chose, `Some(Some(default))`
/// when their choice decides (the database reads it as it writes the row).
fn gate(user: &UserRow, kind: Option<NotificationKind>, channel: Channel) -> Option<Option<bool>> {
    if !user.active {
        return None;
    }
    // A row written before intents existed goes as it was.
    let Some(kind) = kind else {
        return Some(None);
    };
    match kind.preference(channel) {
        Preference::Always => Some(None),
        Preference::Optional { default } => Some(Some(default)),
        Preference::Never => None,
    }
}

/// A notification the person asked for in so many words (watching the task): it goes by
/// every channel whatever the kind's preferences, while the account is active.
fn asked_for(user: &UserRow, intent: &Intent) -> bool {
    user.active && matches!(intent, Intent::SpotOpened { watching: true, .. })
}

/// The task a notification is about, when it is one a device may be told of.
fn pushed_task(intent: &Intent) -> Option<(NotificationKind, &TaskFacts)> {
    match intent {
        Intent::TaskChanged { task, .. } => Some((NotificationKind::TaskChanged, task)),
        Intent::TaskCancelled { task, .. } => Some((NotificationKind::TaskCancelled, task)),
        Intent::Reminder { task, .. } => Some((NotificationKind::Reminder, task)),
        Intent::Invitation { task, .. } => Some((NotificationKind::Invitation, task)),
        Intent::SpotOpened { task, .. } => Some((NotificationKind::SpotOpened, task)),
        _ => None,
    }
}

/// The push rows of these notifications, each with its gate: one per (notification,
/// device) of each recipient who may want it. Reads the devices only when some
/// notification may be pushed, and the category names only when someone has a device.
async fn push_rows(
    conn: &mut impl PgConn,
    notifications: &[Notification],
) -> QueryResult<Vec<(NewOutboxRow, Option<bool>)>> {
    type Wanted<'n> = (
        &'n UserRow,
        NotificationKind,
        &'n TaskFacts,
        Uuid,
        Option<bool>,
    );
    let wanted: Vec<Wanted<'_>> = notifications
        .iter()
        .filter_map(|n| match &n.recipient {
            Recipient::User(user) => {
                let (kind, task) = pushed_task(&n.intent)?;
                let gate = if asked_for(user, &n.intent) {
                    None
                } else {
                    gate(user, Some(kind), Channel::Fcm)?
                };
                Some((user.as_ref(), kind, task, task.category_id?, gate))
            }
            _ => None,
        })
        .collect();
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let mut people: Vec<Uuid> = wanted.iter().map(|(u, ..)| u.id).collect();
    people.sort_unstable();
    people.dedup();
    let found = devices::of_users(conn, &people).await?;
    if found.is_empty() {
        return Ok(Vec::new());
    }
    let mut categories: Vec<Uuid> = wanted.iter().map(|(.., c, _)| *c).collect();
    categories.sort_unstable();
    categories.dedup();
    let names: HashMap<Uuid, (String, String, String)> =
        reference::category_names(conn, &categories)
            .await?
            .into_iter()
            .map(|(id, nb, nn, en)| (id, (nb, nn, en)))
            .collect();
    let mut rows = Vec::new();
    for (user, kind, task, category, gate) in wanted {
        let Some((nb, nn, en)) = names.get(&category) else {
            continue;
        };
        let facts = PushFacts {
            kind,
            task_id: task.id,
            starts_at: task.starts_at,
            category_nb: nb.clone(),
            category_nn: nn.clone(),
            category_en: en.clone(),
            area_hint: task.area_hint.clone(),
            language: language_of(user),
        };
        let notification_id = Uuid::now_v7();
        rows.extend(
            found
                .iter()
                .filter(|d| d.user_id == user.id)
                .map(|d| (facts.row(notification_id, d.id, user.id), gate)),
        );
    }
    Ok(rows)
}

/// The emails of these notifications, each with its gate.
fn emails(notifications: &[Notification]) -> Vec<(NewEmail, Option<bool>)> {
    notifications
        .iter()
        .filter_map(|n| match &n.recipient {
            Recipient::User(user) => {
                let gate = if asked_for(user, &n.intent) {
                    None
                } else {
                    gate(user, n.intent.kind(), Channel::Email)?
                };
                Some((NewEmail::to_user(user, n.intent.clone()), gate))
            }
            Recipient::UserAt { user, address } => {
                let gate = gate(user, n.intent.kind(), Channel::Email)?;
                let email = NewEmail {
                    to: address.clone(),
                    ..NewEmail::to_user(user, n.intent.clone())
                };
                Some((email, gate))
            }
            Recipient::Unit { address } | Recipient::Address { address } => {
                Some((NewEmail::to_unit(address, n.intent.clone()), None))
            }
        })
        .collect()
}

/// Writes the notifications' rows of every channel in one statement, which also reads
/// the recipients' choices; call it inside the transaction of the change they report, so
/// they go out only if it commits. Returns how many emails were written (notifications
/// nobody wants write none); the push rows ride along.
pub async fn send(conn: &mut impl PgConn, notifications: &[Notification]) -> QueryResult<usize> {
    let (mut rows, mut defaults): (Vec<NewOutboxRow>, Vec<Option<bool>>) = emails(notifications)
        .into_iter()
        .map(|(email, gate)| (email.row(), gate))
        .unzip();
    for (row, gate) in push_rows(conn, notifications).await? {
        rows.push(row);
        defaults.push(gate);
    }
    outbox::insert_wanted(
        conn,
        outbox::Gated {
            rows: &rows,
            defaults: &defaults,
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preferences_and_deactivation_decide_what_a_person_gets() {
        let mut user = UserRow::example();
        let row = |kind: &str, channel: &str, enabled| preferences::PreferenceRow {
            user_id: user.id,
            kind: kind.into(),
            channel: channel.into(),
            enabled,
            updated_at: chrono::Utc::now(),
        };
        let choices = Choices::from_rows(vec![
            row("reminder", "email", false),
            row("spot_opened", "fcm", true),
            // Not a choice anyone may make: ignored.
            row("password_reset", "email", false),
        ]);
        use NotificationKind as K;
        assert!(!choices.chosen(user.id, K::Reminder, Channel::Email));
        assert!(choices.chosen(user.id, K::Reminder, Channel::Fcm));
        assert!(
            !choices.chosen(user.id, K::SpotOpened, Channel::Email),
            "off by default"
        );
        assert!(choices.chosen(user.id, K::SpotOpened, Channel::Fcm));
        assert!(
            choices.chosen(user.id, K::PasswordReset, Channel::Email),
            "security always"
        );
        assert_eq!(choices.all_of(user.id).len(), 13);

        // What is written, and on which condition the database reads the choice.
        assert_eq!(
            gate(&user, Some(K::PasswordReset), Channel::Email),
            Some(None)
        );
        assert_eq!(
            gate(&user, Some(K::Reminder), Channel::Email),
            Some(Some(true))
        );
        assert_eq!(
            gate(&user, Some(K::SpotOpened), Channel::Fcm),
            Some(Some(false))
        );
        assert_eq!(
            gate(&user, Some(K::PasswordReset), Channel::Fcm),
            None,
            "not pushed"
        );
        user.active = false;
        assert_eq!(gate(&user, Some(K::PasswordReset), Channel::Email), None);
    }
}
