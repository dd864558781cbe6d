//! What a push notification may say and to which devices: the platforms, the kinds a
//! device is told of, and the short text a lock screen shows. No I/O.
//!
//! A lock screen is public, so the text is made of the category's name, the local time
//! and the area hint — never the title staff wrote, the private block or a person's name.

use super::problem::FieldProblem;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Language;
use super::notification::NotificationKind;

/// Where the app runs; FCM reaches both (iOS through APNs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Android,
    Ios,
}

impl Platform {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Android => "android",
            Self::Ios => "ios",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Android, Self::Ios]
            .into_iter()
            .find(|p| p.as_str() == s)
    }
}

/// The longest device token accepted, in bytes (FCM's are about 160 ASCII characters);
/// well under what a unique index on the column can hold.
pub const MAX_TOKEN_LEN: usize = 1024;

/// Checks a device token as a client sent it: one line of 1–1024 bytes.
pub fn check_token(token: &str) -> Result<String, FieldProblem> {
    let t = token.trim();
    if t.is_empty() {
        return Err(FieldProblem::Empty);
    }
    if t.len() > MAX_TOKEN_LEN {
        return Err(FieldProblem::TooLongBytes { max: MAX_TOKEN_LEN });
    }
    if t.chars().any(char::is_control) {
        return Err(FieldProblem::NotOneLine);
    }
    Ok(t.to_owned())
}

/// The kinds a device is told of; each has its own push preference.
pub const PUSHED: [NotificationKind; 5] = [
    NotificationKind::TaskChanged,
    NotificationKind::TaskCancelled,
    NotificationKind::Reminder,
    NotificationKind::Invitation,
    NotificationKind::SpotOpened,
];

/// What a lock screen shows: a heading by kind and a line of public facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushText {
    pub title: String,
    pub body: String,
}

/// The text of a push of `kind` about a task in `category` starting at `starts_at`
/// (shown in `zone`), in the area `area_hint`. `None` for a kind no device is told of.
pub fn text(
    kind: NotificationKind,
    language: Language,
    category: &str,
    starts_at: DateTime<Utc>,
    zone: chrono_tz::Tz,
    area_hint: Option<&str>,
) -> Option<PushText> {
    let key = match kind {
        NotificationKind::TaskChanged => "push-task-changed",
        NotificationKind::TaskCancelled => "push-task-cancelled",
        NotificationKind::Reminder => "push-reminder",
        NotificationKind::Invitation => "push-invitation",
        NotificationKind::SpotOpened => "push-spot-opened",
        _ => return None,
    };
    let title = crate::catalogue::text(language, key);
    let when = super::written::datetime(language, zone, starts_at);
    let mut parts = vec![category.trim().to_owned(), when];
    if let Some(area) = area_hint.map(str::trim).filter(|a| !a.is_empty()) {
        parts.push(area.to_owned());
    }
    Some(PushText {
        title: title.to_owned(),
        body: parts.join(" · "),
    })
}

/// The hours in which no broadcast of a freed spot goes out (`DUGNAD_QUIET_HOURS`, local
/// time): from `start` o'clock up to `end` o'clock, across midnight when `start > end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    pub start: u32,
    pub end: u32,
}

impl QuietHours {
    /// `"22-07"`; an empty text is no quiet hours at all.
    pub fn parse(raw: &str) -> Result<Option<Self>, String> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        let bad = || format!("must be two hours such as 22-07 (or empty for none), not `{raw}`");
        let (a, b) = raw.split_once('-').ok_or_else(bad)?;
        let hour = |s: &str| s.trim().parse::<u32>().ok().filter(|h| *h < 24);
        match (hour(a), hour(b)) {
            (Some(start), Some(end)) if start != end => Ok(Some(Self { start, end })),
            _ => Err(bad()),
        }
    }

    /// Whether the local hour `hour` (0–23) is quiet.
    pub fn contains(self, hour: u32) -> bool {
        if self.start < self.end {
            (self.start..self.end).contains(&hour)
        } else {
            hour >= self.start || hour < self.end
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("instant")
            .with_timezone(&Utc)
    }

    #[test]
    fn a_push_says_the_category_the_local_time_and_the_area_in_the_persons_language() {
        let oslo = chrono_tz::Europe::Oslo;
        let nb = text(
            NotificationKind::Reminder,
            Language::Nb,
            "Turer og friluft",
            at("2026-12-08T13:00:00Z"),
            oslo,
            Some("Torstrand"),
        )
        .expect("a reminder is pushed");
        assert_eq!(nb.title, "Påminnelse: du har en oppgave i morgen");
        assert_eq!(
            nb.body,
            "Turer og friluft · tirsdag 8. desember 2026 kl. 14.00 · Torstrand"
        );
        let en = text(
            NotificationKind::TaskCancelled,
            Language::En,
            "Walks and outdoors",
            at("2027-06-01T08:30:00Z"),
            oslo,
            None,
        )
        .expect("a cancellation is pushed");
        assert_eq!(en.body, "Walks and outdoors · Tuesday 1 June 2027, 10:30");
    }

    #[test]
    fn every_push_reads_in_nynorsk_for_a_person_who_chose_it() {
        let expected = [
            (
                NotificationKind::TaskChanged,
                "Ei oppgåve du har teke, er endra",
            ),
            (
                NotificationKind::TaskCancelled,
                "Ei oppgåve du har teke, er avlyst",
            ),
            (
                NotificationKind::Reminder,
                "Påminning: du har ei oppgåve i morgon",
            ),
            (
                NotificationKind::Invitation,
                "Du er invitert til ei oppgåve",
            ),
            (
                NotificationKind::SpotOpened,
                "Ein plass er ledig – den som tek han først, får han",
            ),
        ];
        assert_eq!(expected.len(), PUSHED.len());
        for (kind, title) in expected {
            let nn = text(
                kind,
                Language::Nn,
                "Tur og friluft",
                at("2026-12-08T13:00:00Z"),
                chrono_tz::Europe::Oslo,
                Some("Torstrand"),
            )
            .expect("a pushed kind");
            assert_eq!(nn.title, title, "{kind:?}");
            assert_eq!(
                nn.body,
                "Tur og friluft · tysdag 8. desember 2026 kl. 14.00 · Torstrand"
            );
        }
    }

    #[test]
    fn only_the_pushed_kinds_have_a_text() {
        for kind in NotificationKind::ALL {
            let made = text(
                kind,
                Language::Nb,
                "Kategori",
                Utc::now(),
                chrono_tz::Europe::Oslo,
                None,
            );
            assert_eq!(made.is_some(), PUSHED.contains(&kind), "{kind:?}");
        }
    }

    #[test]
    fn quiet_hours_run_across_midnight_and_an_empty_setting_turns_them_off() {
        let q = QuietHours::parse("22-07").expect("valid").expect("some");
        assert!(q.contains(22) && q.contains(23) && q.contains(0) && q.contains(6));
        assert!(!q.contains(7) && !q.contains(12) && !q.contains(21));
        let day = QuietHours::parse("9-17").expect("valid").expect("some");
        assert!(day.contains(9) && day.contains(16) && !day.contains(17) && !day.contains(8));
        assert_eq!(QuietHours::parse(" "), Ok(None));
        for bad in ["22", "22-24", "x-7", "7-7"] {
            assert!(QuietHours::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_token_is_one_non_empty_line_and_platforms_read_back() {
        assert_eq!(check_token("  abc:123 "), Ok("abc:123".into()));
        assert!(check_token("").is_err());
        assert!(check_token("a\nb").is_err());
        assert!(check_token(&"x".repeat(MAX_TOKEN_LEN + 1)).is_err());
        assert!(check_token(&"ø".repeat(MAX_TOKEN_LEN / 2)).is_ok());
        assert!(
            check_token(&"ø".repeat(MAX_TOKEN_LEN / 2 + 1)).is_err(),
            "counted in bytes"
        );
        for p in [Platform::Android, Platform::Ios] {
            assert_eq!(Platform::parse(p.as_str()), Some(p));
        }
        assert_eq!(Platform::parse("windows"), None);
    }
}
