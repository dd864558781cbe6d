//! What an outbox row says: for an email, the kind and the public facts it needs (an
//! [`Intent`]); for a push, the [`PushFacts`] its text is made from — never a rendered
//! body, never a raw token. Link tokens travel as the ids of their stored rows
//! (the worker derives the token with the server key) or are signed at delivery.
//!
//! Facts are public by construction: a task's title, time, area and spot counts, a
//! unit's contact, the recipient's own name. A task's private block has no field here.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::db::tasks::TaskRow;
use crate::db::users::UserRow;
use crate::domain::Language;
use crate::domain::account::Role;
use crate::domain::notification::NotificationKind;

/// The person's name for a greeting: only once their address is verified, so mail to an
/// address nobody confirmed never carries a name someone else typed.
pub fn greeting_name(user: &UserRow) -> Option<String> {
    user.email_verified.then(|| user.name.clone())
}

/// The language a person reads their email in.
pub fn language_of(user: &UserRow) -> Language {
    Language::parse(&user.language).unwrap_or_default()
}

/// The public facts of a task an email mentions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskFacts {
    pub id: Uuid,
    pub title: String,
    /// Stored, like every timestamp, with exactly three fractional digits.
    #[serde(serialize_with = "crate::domain::time::millis")]
    pub starts_at: DateTime<Utc>,
    pub area_hint: Option<String>,
    /// Active claims and spots when the email was written (the unit's "2 of 3 taken").
    pub claimed: i32,
    pub spots: i32,
    /// The task's category: what a push names instead of the title (absent in rows
    /// written before pushes existed).
    #[serde(default)]
    pub category_id: Option<Uuid>,
}

impl TaskFacts {
    pub fn of(task: &TaskRow) -> Self {
        Self {
            id: task.id,
            title: task.title.clone(),
            starts_at: task.starts_at,
            area_hint: task.area_hint.clone(),
            claimed: task.active_claims,
            spots: task.spots,
            category_id: Some(task.category_id),
        }
    }
}

/// How a spot came free, as the unit is told it: never by whom.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpotFreed {
    /// The volunteer gave it back.
    #[default]
    Released,
    /// The volunteer's account was closed (deactivated or erased); they did not withdraw.
    AccountClosed,
    /// The claim was voided (a qualification was revoked); no reason is given.
    Voided,
}

/// A service unit's contact, as volunteers may see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitFacts {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
}

/// One email to write. `name` is the recipient's own name for the greeting; it is
/// `None` when the address is not verified, so mail to an address nobody confirmed never
/// carries a name someone else chose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Intent {
    /// Confirm an address; the token is the stored `verify_email` row `token_id`.
    VerifyEmail {
        token_id: Uuid,
    },
    /// A reset was asked for the row's address: the worker finds out whether an account
    /// has it and what to send, so the request does the same work for every address.
    PasswordResetRequest,
    /// A new verification link was asked for the row's address (resolved likewise).
    VerificationResendRequest,
    PasswordReset {
        token_id: Uuid,
        name: Option<String>,
    },
    /// An admin created the account; the link sets its first password.
    AccountCreated {
        token_id: Uuid,
        role: Role,
    },
    /// To the old address: the login address is being changed.
    EmailChanged {
        name: Option<String>,
        new_address: String,
    },
    ClaimConfirmation {
        name: Option<String>,
        task: TaskFacts,
        unit: UnitFacts,
    },
    /// One confirmation for the occurrences of a series the volunteer took at once.
    SeriesClaimConfirmation {
        name: Option<String>,
        tasks: Vec<TaskFacts>,
        unit: UnitFacts,
    },
    /// Following a series claimed a new occurrence for the volunteer; the release link is
    /// signed for `claim_id` at delivery. `follow_until` is when the follow runs out.
    FollowClaim {
        name: Option<String>,
        task: TaskFacts,
        claim_id: Uuid,
        #[serde(serialize_with = "crate::domain::time::millis")]
        follow_until: chrono::DateTime<chrono::Utc>,
    },
    /// Too many wrong second-factor codes in a row: the account's codes are locked.
    CodesLocked {
        name: Option<String>,
    },
    /// A right password was stopped at the failed-login ceiling; the stored `login_unlock`
    /// token's link lets that network sign in for an hour.
    LoginUnlock {
        token_id: Uuid,
        name: Option<String>,
    },
    /// The unit changed what a followed series is (its title, category, council,
    /// weekdays or time of day): the follow ended. `title` is the series' title before.
    FollowEnded {
        name: Option<String>,
        title: String,
    },
    TaskClaimed {
        task: TaskFacts,
    },
    /// A spot on the unit's task is free again; `freed` says how, never who.
    TaskReleased {
        task: TaskFacts,
        #[serde(default)]
        freed: SpotFreed,
    },
    TaskFilled {
        task: TaskFacts,
    },
    TaskChanged {
        name: Option<String>,
        task: TaskFacts,
    },
    TaskCancelled {
        name: Option<String>,
        task: TaskFacts,
        reason: String,
    },
    TaskWithdrawn {
        task: TaskFacts,
        council: String,
        reason: String,
    },
    /// 24 hours before; the release link is signed for `claim_id` at delivery.
    Reminder {
        name: Option<String>,
        task: TaskFacts,
        claim_id: Uuid,
    },
    Invitation {
        name: Option<String>,
        task: TaskFacts,
        unit_name: String,
    },
    NewTasksDigest {
        name: Option<String>,
        tasks: Vec<TaskFacts>,
    },
    /// A spot opened on a task: to a watcher of it (`watching`), or to a volunteer who
    /// asked to hear of spots near them.
    SpotOpened {
        name: Option<String>,
        task: TaskFacts,
        watching: bool,
    },
    InactivityWarning {
        name: Option<String>,
    },
    /// Thirty days before a qualification record runs out: the type's names and the last
    /// valid day, nothing else of the record.
    QualificationExpiring {
        name: Option<String>,
        qualification_nb: String,
        /// Empty in a row written before nynorsk (then the bokmål is shown).
        #[serde(default)]
        qualification_nn: String,
        qualification_en: String,
        valid_until: chrono::NaiveDate,
    },
    /// A row written before intents existed, delivered as it was rendered then.
    Legacy {
        subject: String,
        text: String,
        html: String,
        #[serde(default)]
        headers: BTreeMap<String, String>,
    },
}

impl Intent {
    /// What the email is, for the outbox row's `kind`, metrics, the admin view and the
    /// export (a request resolves to the kind it asks for). `None` for a row written
    /// before intents existed.
    pub fn kind(&self) -> Option<NotificationKind> {
        use NotificationKind as K;
        Some(match self {
            Self::VerifyEmail { .. } | Self::VerificationResendRequest => K::VerifyEmail,
            Self::PasswordResetRequest | Self::PasswordReset { .. } => K::PasswordReset,
            Self::AccountCreated { .. } => K::AccountCreated,
            Self::EmailChanged { .. } => K::EmailChanged,
            Self::ClaimConfirmation { .. } | Self::SeriesClaimConfirmation { .. } => {
                K::ClaimConfirmation
            }
            Self::FollowClaim { .. } => K::FollowClaim,
            Self::FollowEnded { .. } => K::FollowEnded,
            Self::CodesLocked { .. } => K::CodesLocked,
            Self::LoginUnlock { .. } => K::LoginUnlock,
            Self::TaskClaimed { .. } => K::TaskClaimed,
            Self::TaskReleased { .. } => K::TaskReleased,
            Self::TaskFilled { .. } => K::TaskFilled,
            Self::TaskChanged { .. } => K::TaskChanged,
            Self::TaskCancelled { .. } => K::TaskCancelled,
            Self::TaskWithdrawn { .. } => K::TaskWithdrawn,
            Self::Reminder { .. } => K::Reminder,
            Self::Invitation { .. } => K::Invitation,
            Self::NewTasksDigest { .. } => K::NewTasksDigest,
            Self::SpotOpened { .. } => K::SpotOpened,
            Self::InactivityWarning { .. } => K::InactivityWarning,
            Self::QualificationExpiring { .. } => K::QualificationExpiring,
            Self::Legacy { .. } => return None,
        })
    }

    /// The text of [`Intent::kind`].
    pub fn kind_str(&self) -> &'static str {
        self.kind().map_or("legacy", NotificationKind::as_str)
    }

    pub fn is_security(&self) -> bool {
        self.kind().is_some_and(NotificationKind::is_security)
    }

    /// Whether the worker must first find out what to send (and to whom).
    pub fn is_request(&self) -> bool {
        matches!(
            self,
            Self::PasswordResetRequest | Self::VerificationResendRequest
        )
    }

    pub fn to_facts(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_else(|_| serde_json::json!({}))
    }

    pub fn from_facts(facts: &serde_json::Value) -> Result<Self, serde_json::Error> {
        Self::deserialize(facts)
    }
}

/// What a push row says: public by construction (no title, no private block, no name).
/// The text is made from these facts at delivery, in the person's language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushFacts {
    pub kind: NotificationKind,
    pub task_id: Uuid,
    /// Stored (and exported) with exactly three fractional digits, as every timestamp.
    #[serde(serialize_with = "crate::domain::time::millis")]
    pub starts_at: DateTime<Utc>,
    pub category_nb: String,
    /// Empty in a row written before nynorsk (then the bokmål is shown).
    #[serde(default)]
    pub category_nn: String,
    pub category_en: String,
    pub area_hint: Option<String>,
    pub language: Language,
}

impl PushFacts {
    /// The lock-screen text, in the zone the municipality reads its times in.
    pub fn text(&self, zone: chrono_tz::Tz) -> Option<crate::domain::push::PushText> {
        let category = self
            .language
            .pick(&self.category_nb, &self.category_nn, &self.category_en);
        crate::domain::push::text(
            self.kind,
            self.language,
            category,
            self.starts_at,
            zone,
            self.area_hint.as_deref(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intents_round_trip_through_their_facts_and_name_their_kind() {
        let task = TaskFacts {
            id: Uuid::now_v7(),
            title: "Tur".into(),
            starts_at: "2026-12-10T09:30:00.125Z".parse().expect("instant"),
            area_hint: None,
            claimed: 1,
            spots: 2,
            category_id: None,
        };
        for intent in [
            Intent::PasswordResetRequest,
            Intent::TaskFilled { task: task.clone() },
            Intent::Reminder {
                name: Some("Kari".into()),
                task,
                claim_id: Uuid::now_v7(),
            },
        ] {
            let facts = intent.to_facts();
            assert!(
                facts["kind"]
                    .as_str()
                    .is_some_and(|k| k.starts_with(intent.kind_str())),
                "{facts}"
            );
            assert_eq!(Intent::from_facts(&facts).expect("facts"), intent);
        }
        assert!(Intent::PasswordResetRequest.is_security());
        assert!(Intent::PasswordResetRequest.is_request());
    }
}
