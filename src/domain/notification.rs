//! What the service tells people about: the kinds of notification, which of them a person
//! may turn off, and which protect an account. No I/O.

use serde::{Deserialize, Serialize};

/// One kind of notification. Its text is stored with each outbox row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    VerifyEmail,
    PasswordReset,
    AccountCreated,
    EmailChanged,
    ClaimConfirmation,
    TaskClaimed,
    TaskReleased,
    TaskFilled,
    TaskChanged,
    TaskCancelled,
    TaskWithdrawn,
    Reminder,
    Invitation,
    NewTasksDigest,
    InactivityWarning,
    QualificationExpiring,
    /// Following a series gave the volunteer a new occurrence. Never turned off: it is the
    /// only word they get of a claim made in their name, and it carries the way out.
    FollowClaim,
    /// The account's second-factor codes were locked after too many wrong ones in a row.
    CodesLocked,
    /// A right password was stopped at the failed-login ceiling: the owner's unlock link.
    LoginUnlock,
    /// The unit changed the terms of a series the person followed, so the follow ended.
    /// Never turned off, for the same reason as `FollowClaim`.
    FollowEnded,
    /// A spot opened on a task the person watches, or near them if they asked for that.
    SpotOpened,
}

impl NotificationKind {
    pub const ALL: [Self; 21] = [
        Self::VerifyEmail,
        Self::PasswordReset,
        Self::AccountCreated,
        Self::EmailChanged,
        Self::ClaimConfirmation,
        Self::TaskClaimed,
        Self::TaskReleased,
        Self::TaskFilled,
        Self::TaskChanged,
        Self::TaskCancelled,
        Self::TaskWithdrawn,
        Self::Reminder,
        Self::Invitation,
        Self::NewTasksDigest,
        Self::InactivityWarning,
        Self::QualificationExpiring,
        Self::FollowClaim,
        Self::FollowEnded,
        Self::CodesLocked,
        Self::LoginUnlock,
        Self::SpotOpened,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::VerifyEmail => "verify_email",
            Self::PasswordReset => "password_reset",
            Self::AccountCreated => "account_created",
            Self::EmailChanged => "email_changed",
            Self::ClaimConfirmation => "claim_confirmation",
            Self::TaskClaimed => "task_claimed",
            Self::TaskReleased => "task_released",
            Self::TaskFilled => "task_filled",
            Self::TaskChanged => "task_changed",
            Self::TaskCancelled => "task_cancelled",
            Self::TaskWithdrawn => "task_withdrawn",
            Self::Reminder => "reminder",
            Self::Invitation => "invitation",
            Self::NewTasksDigest => "new_tasks_digest",
            Self::InactivityWarning => "inactivity_warning",
            Self::QualificationExpiring => "qualification_expiring",
            Self::FollowClaim => "follow_claim",
            Self::FollowEnded => "follow_ended",
            Self::CodesLocked => "codes_locked",
            Self::LoginUnlock => "login_unlock",
            Self::SpotOpened => "spot_opened",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// A volunteer may turn these off; each carries an unsubscribe link.
    pub fn is_optional(self) -> bool {
        matches!(
            self,
            Self::ClaimConfirmation
                | Self::TaskChanged
                | Self::TaskCancelled
                | Self::Reminder
                | Self::Invitation
                | Self::NewTasksDigest
                | Self::QualificationExpiring
                | Self::SpotOpened
        )
    }

    /// These protect an account: they cannot be turned off, and an address gets at most
    /// a few an hour, whoever asks.
    pub fn is_security(self) -> bool {
        matches!(
            self,
            Self::VerifyEmail
                | Self::PasswordReset
                | Self::AccountCreated
                | Self::EmailChanged
                | Self::CodesLocked
                | Self::LoginUnlock
        )
    }
}

/// A way a notification reaches a person: one outbox row per recipient and channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// To an address, rendered at delivery in the recipient's language.
    Email,
    /// To a registered app on a phone, through Firebase Cloud Messaging.
    Fcm,
}

impl Channel {
    pub const ALL: [Self; 2] = [Self::Email, Self::Fcm];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Fcm => "fcm",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// Whether a person decides if a kind reaches them by a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preference {
    /// Always sent while the account is active (what protects an account, what the
    /// person or their unit must know).
    Always,
    /// The person decides; `default` is what they get until they do.
    Optional { default: bool },
    /// The channel does not carry this kind.
    Never,
}

impl NotificationKind {
    /// Whether, and by default how, this kind reaches a person by `channel`.
    pub fn preference(self, channel: Channel) -> Preference {
        use NotificationKind as K;
        match (channel, self) {
            (Channel::Email, K::NewTasksDigest | K::SpotOpened) => {
                Preference::Optional { default: false }
            }
            (Channel::Email, k) if k.is_optional() => Preference::Optional { default: true },
            (Channel::Email, _) => Preference::Always,
            (Channel::Fcm, K::TaskChanged | K::TaskCancelled | K::Reminder | K::Invitation) => {
                Preference::Optional { default: true }
            }
            (Channel::Fcm, K::SpotOpened) => Preference::Optional { default: false },
            (Channel::Fcm, _) => Preference::Never,
        }
    }
}

/// Every (kind, channel) a person decides on, with its default: the rows a person's
/// preferences may hold, and the list `/me` shows.
pub fn choices() -> impl Iterator<Item = (NotificationKind, Channel, bool)> {
    Channel::ALL.into_iter().flat_map(|channel| {
        NotificationKind::ALL
            .into_iter()
            .filter_map(move |kind| match kind.preference(channel) {
                Preference::Optional { default } => Some((kind, channel, default)),
                _ => None,
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_choices_are_the_optional_kinds_by_email_and_the_pushed_kinds_by_app() {
        let choices: Vec<_> = choices().collect();
        assert_eq!(choices.len(), 8 + 5);
        for (kind, channel, default) in choices {
            assert!(kind.is_optional(), "{kind:?}");
            assert!(!kind.is_security());
            // Only what a person asked for starts on: a digest and a freed spot do not.
            assert_eq!(
                default,
                !matches!(
                    kind,
                    NotificationKind::NewTasksDigest | NotificationKind::SpotOpened
                ),
                "{kind:?} by {channel:?}"
            );
        }
        for kind in NotificationKind::ALL
            .into_iter()
            .filter(|k| k.is_security())
        {
            assert_eq!(kind.preference(Channel::Email), Preference::Always);
        }
    }

    #[test]
    fn kinds_read_back_and_security_kinds_cannot_be_turned_off() {
        for k in NotificationKind::ALL {
            assert_eq!(NotificationKind::parse(k.as_str()), Some(k));
            assert!(!(k.is_optional() && k.is_security()), "{k:?}");
        }
        assert_eq!(
            NotificationKind::ALL
                .iter()
                .filter(|k| k.is_optional())
                .count(),
            8
        );
    }
}
