//! Tasks and claims: statuses, the effective end of a task, hours on completion and the
//! rules for the fields of a new or edited task. No I/O.

use super::problem::FieldProblem;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

/// A task's status (`docs/PRODUCT.md`, "Task and claim lifecycle"). Stored as text; a
/// value this version does not know is an error when read, never mistaken for `open`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Open,
    Filled,
    Cancelled,
    Completed,
    Expired,
    Withdrawn,
}

impl TaskStatus {
    pub const ALL: [Self; 6] = [
        Self::Open,
        Self::Filled,
        Self::Cancelled,
        Self::Completed,
        Self::Expired,
        Self::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Filled => "filled",
            Self::Cancelled => "cancelled",
            Self::Completed => "completed",
            Self::Expired => "expired",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Still running: it can be edited, claimed (before start), cancelled or completed.
    pub fn is_live(self) -> bool {
        matches!(self, Self::Open | Self::Filled)
    }

    /// The live status that follows from the claims: filled means full.
    pub fn for_claims(active_claims: i32, spots: i32) -> Self {
        if active_claims >= spots {
            Self::Filled
        } else {
            Self::Open
        }
    }
}

/// A claim's status. Stored as text; an unknown value is an error when read.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "snake_case")]
pub enum ClaimStatus {
    Active,
    Released,
    Completed,
    Voided,
}

impl ClaimStatus {
    pub const ALL: [Self; 4] = [Self::Active, Self::Released, Self::Completed, Self::Voided];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Released => "released",
            Self::Completed => "completed",
            Self::Voided => "voided",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

/// What happened to a task, in its append-only history.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Created,
    Updated,
    Claimed,
    Filled,
    Released,
    Reopened,
    Cancelled,
    Completed,
    AutoCompleted,
    Expired,
    Withdrawn,
    PrivatePurged,
    /// A claim ended because the claimant's qualification was revoked (naming neither).
    ClaimVoided,
}

impl EventKind {
    pub const ALL: [Self; 13] = [
        Self::Created,
        Self::Updated,
        Self::Claimed,
        Self::Filled,
        Self::Released,
        Self::Reopened,
        Self::Cancelled,
        Self::Completed,
        Self::AutoCompleted,
        Self::Expired,
        Self::Withdrawn,
        Self::PrivatePurged,
        Self::ClaimVoided,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Updated => "updated",
            Self::Claimed => "claimed",
            Self::Filled => "filled",
            Self::Released => "released",
            Self::Reopened => "reopened",
            Self::Cancelled => "cancelled",
            Self::Completed => "completed",
            Self::AutoCompleted => "auto_completed",
            Self::Expired => "expired",
            Self::Withdrawn => "withdrawn",
            Self::PrivatePurged => "private_purged",
            Self::ClaimVoided => "claim_voided",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// When a task ends: its `ends_at`, else start + duration, else one hour after start.
/// Used for releases ("until the task ends") and for overlapping claims.
pub fn effective_end(
    starts_at: DateTime<Utc>,
    ends_at: Option<DateTime<Utc>>,
    duration_minutes: Option<i32>,
) -> DateTime<Utc> {
    ends_at
        .or_else(|| duration_minutes.map(|m| starts_at + Duration::minutes(i64::from(m))))
        .unwrap_or(starts_at + Duration::hours(1))
}

/// Minutes credited per claim when nobody says otherwise: `ends_at − starts_at`, else
/// `duration_minutes`; `None` when the task has neither (hours must then be given).
pub fn default_minutes(
    starts_at: DateTime<Utc>,
    ends_at: Option<DateTime<Utc>>,
    duration_minutes: Option<i32>,
) -> Option<i32> {
    ends_at
        .map(|end| i32::try_from((end - starts_at).num_minutes()).unwrap_or(i32::MAX))
        .or(duration_minutes)
}

/// Hours as given on completion → whole minutes; more than a week or negative is refused.
pub fn hours_to_minutes(hours: f64) -> Result<i32, FieldProblem> {
    if !hours.is_finite() || hours <= 0.0 || hours > 168.0 {
        return Err(FieldProblem::HoursUpTo { max: 168 });
    }
    Ok((hours * 60.0).round() as i32)
}

pub const MAX_SPOTS: i32 = 50;

pub fn check_spots(spots: i32) -> Result<i32, FieldProblem> {
    if (1..=MAX_SPOTS).contains(&spots) {
        Ok(spots)
    } else {
        Err(FieldProblem::Between { min: 1, max: 50 })
    }
}

/// A title: public text, one line of 1–200 characters.
pub fn check_title(raw: &str) -> Result<String, FieldProblem> {
    let s = super::check_line(raw, 200)?;
    if s.is_empty() {
        return Err(FieldProblem::Empty);
    }
    Ok(s)
}

pub use super::check_text;

pub fn check_duration(minutes: i32) -> Result<i32, FieldProblem> {
    if (1..=10080).contains(&minutes) {
        Ok(minutes)
    } else {
        Err(FieldProblem::MinutesBetween { min: 1, max: 10080 })
    }
}

/// Two claims overlap when their effective intervals intersect.
pub fn overlaps(a: (DateTime<Utc>, DateTime<Utc>), b: (DateTime<Utc>, DateTime<Utc>)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Everything the claim checks look at, read in the claim's transaction with the task
/// locked.
#[derive(Debug, Clone)]
pub struct ClaimFacts {
    pub role_may_claim: bool,
    pub email_verified: bool,
    /// The caller already holds an active claim on this task.
    pub already_holds: bool,
    pub status: TaskStatus,
    pub starts_at: DateTime<Utc>,
    pub now: DateTime<Utc>,
    /// The task's council has opted out of its category.
    pub council_opted_out: bool,
    /// The caller lacks a valid record of a qualification the category requires.
    pub qualification_missing: bool,
    pub active_claims: i32,
    pub spots: i32,
    /// Another task the caller holds whose time overlaps this one's, if any.
    pub overlapping: Option<uuid::Uuid>,
}

/// Why a claim is refused. The task's existence (404) is checked before: there are no
/// facts without a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimRefusal {
    /// Staff and admins post tasks; only volunteers and coordinators take them.
    RoleMayNotClaim,
    EmailNotVerified,
    AlreadyClaimed,
    /// Not open or filled, or already started.
    NotOpen,
    CouncilOptedOut,
    QualificationMissing,
    Full,
    ScheduleConflict(uuid::Uuid),
}

/// The first refusal that applies, in `docs/PRODUCT.md`'s order: role, verified email,
/// already claimed, open and not started, council opt-out, qualifications, a free spot,
/// no overlap.
pub fn claim_refusal(f: &ClaimFacts) -> Option<ClaimRefusal> {
    if !f.role_may_claim {
        return Some(ClaimRefusal::RoleMayNotClaim);
    }
    if !f.email_verified {
        return Some(ClaimRefusal::EmailNotVerified);
    }
    if f.already_holds {
        return Some(ClaimRefusal::AlreadyClaimed);
    }
    if !f.status.is_live() || f.starts_at <= f.now {
        return Some(ClaimRefusal::NotOpen);
    }
    if f.council_opted_out {
        return Some(ClaimRefusal::CouncilOptedOut);
    }
    if f.qualification_missing {
        return Some(ClaimRefusal::QualificationMissing);
    }
    if f.active_claims >= f.spots {
        return Some(ClaimRefusal::Full);
    }
    f.overlapping.map(ClaimRefusal::ScheduleConflict)
}

/// The first of `others` (id, start, end, duration) whose effective time overlaps the
/// task's, other than the task itself.
pub fn first_overlap(
    task: (
        uuid::Uuid,
        DateTime<Utc>,
        Option<DateTime<Utc>>,
        Option<i32>,
    ),
    others: impl IntoIterator<
        Item = (
            uuid::Uuid,
            DateTime<Utc>,
            Option<DateTime<Utc>>,
            Option<i32>,
        ),
    >,
) -> Option<uuid::Uuid> {
    let interval = (task.1, effective_end(task.1, task.2, task.3));
    others
        .into_iter()
        .find(|o| o.0 != task.0 && overlaps(interval, (o.1, effective_end(o.1, o.2, o.3))))
        .map(|o| o.0)
}

/// A reason someone must give (for a cancellation, an opt-out, an opt-in): 1 to 1000
/// characters once trimmed.
pub fn check_reason(raw: &str) -> Result<String, FieldProblem> {
    let s = super::check_text(raw, 1000)?;
    if s.is_empty() {
        return Err(FieldProblem::Empty);
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(h: i64) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-12-01T09:00:00Z")
            .expect("time")
            .with_timezone(&Utc)
            + Duration::hours(h)
    }

    /// Facts under which the claim succeeds.
    fn fine() -> ClaimFacts {
        ClaimFacts {
            role_may_claim: true,
            email_verified: true,
            already_holds: false,
            status: TaskStatus::Open,
            starts_at: at(24),
            now: at(0),
            council_opted_out: false,
            qualification_missing: false,
            active_claims: 0,
            spots: 1,
            overlapping: None,
        }
    }

    #[test]
    fn a_claim_that_passes_every_check_is_not_refused() {
        assert_eq!(claim_refusal(&fine()), None);
        let filled_with_room = ClaimFacts {
            status: TaskStatus::Filled,
            active_claims: 1,
            spots: 2,
            ..fine()
        };
        assert_eq!(claim_refusal(&filled_with_room), None);
    }

    #[test]
    fn each_check_refuses_on_its_own() {
        let other = uuid::Uuid::now_v7();
        let cases = [
            (
                ClaimFacts {
                    role_may_claim: false,
                    ..fine()
                },
                ClaimRefusal::RoleMayNotClaim,
            ),
            (
                ClaimFacts {
                    email_verified: false,
                    ..fine()
                },
                ClaimRefusal::EmailNotVerified,
            ),
            (
                ClaimFacts {
                    already_holds: true,
                    ..fine()
                },
                ClaimRefusal::AlreadyClaimed,
            ),
            (
                ClaimFacts {
                    status: TaskStatus::Cancelled,
                    ..fine()
                },
                ClaimRefusal::NotOpen,
            ),
            (
                ClaimFacts {
                    status: TaskStatus::Completed,
                    ..fine()
                },
                ClaimRefusal::NotOpen,
            ),
            (
                ClaimFacts {
                    status: TaskStatus::Expired,
                    ..fine()
                },
                ClaimRefusal::NotOpen,
            ),
            (
                ClaimFacts {
                    status: TaskStatus::Withdrawn,
                    ..fine()
                },
                ClaimRefusal::NotOpen,
            ),
            (
                ClaimFacts {
                    starts_at: at(0),
                    ..fine()
                },
                ClaimRefusal::NotOpen,
            ),
            (
                ClaimFacts {
                    council_opted_out: true,
                    ..fine()
                },
                ClaimRefusal::CouncilOptedOut,
            ),
            (
                ClaimFacts {
                    qualification_missing: true,
                    ..fine()
                },
                ClaimRefusal::QualificationMissing,
            ),
            (
                ClaimFacts {
                    active_claims: 1,
                    ..fine()
                },
                ClaimRefusal::Full,
            ),
            (
                ClaimFacts {
                    overlapping: Some(other),
                    ..fine()
                },
                ClaimRefusal::ScheduleConflict(other),
            ),
        ];
        for (facts, refusal) in cases {
            assert_eq!(claim_refusal(&facts), Some(refusal), "{facts:?}");
        }
    }

    #[test]
    fn the_checks_apply_in_product_order() {
        // Everything wrong at once: each refusal shows only when those before it pass.
        let mut facts = ClaimFacts {
            role_may_claim: false,
            email_verified: false,
            already_holds: true,
            status: TaskStatus::Cancelled,
            starts_at: at(-1),
            now: at(0),
            council_opted_out: true,
            qualification_missing: true,
            active_claims: 1,
            spots: 1,
            overlapping: Some(uuid::Uuid::nil()),
        };
        let mut seen = Vec::new();
        while let Some(refusal) = claim_refusal(&facts) {
            seen.push(refusal);
            match refusal {
                ClaimRefusal::RoleMayNotClaim => facts.role_may_claim = true,
                ClaimRefusal::EmailNotVerified => facts.email_verified = true,
                ClaimRefusal::AlreadyClaimed => facts.already_holds = false,
                ClaimRefusal::NotOpen if facts.status != TaskStatus::Open => {
                    facts.status = TaskStatus::Open
                }
                ClaimRefusal::NotOpen => facts.starts_at = at(5),
                ClaimRefusal::CouncilOptedOut => facts.council_opted_out = false,
                ClaimRefusal::QualificationMissing => facts.qualification_missing = false,
                ClaimRefusal::Full => facts.spots = 2,
                ClaimRefusal::ScheduleConflict(_) => facts.overlapping = None,
            }
        }
        assert_eq!(
            seen,
            [
                ClaimRefusal::RoleMayNotClaim,
                ClaimRefusal::EmailNotVerified,
                ClaimRefusal::AlreadyClaimed,
                ClaimRefusal::NotOpen,
                ClaimRefusal::NotOpen,
                ClaimRefusal::CouncilOptedOut,
                ClaimRefusal::QualificationMissing,
                ClaimRefusal::Full,
                ClaimRefusal::ScheduleConflict(uuid::Uuid::nil()),
            ]
        );
    }

    #[test]
    fn a_task_ends_at_its_end_else_after_its_duration_else_after_an_hour() {
        assert_eq!(effective_end(at(0), Some(at(3)), Some(30)), at(3));
        assert_eq!(
            effective_end(at(0), None, Some(90)),
            at(0) + Duration::minutes(90)
        );
        assert_eq!(effective_end(at(0), None, None), at(1));
    }

    #[test]
    fn overlaps_are_found_by_effective_time_and_never_with_the_task_itself() {
        let (me, a, b) = (
            uuid::Uuid::now_v7(),
            uuid::Uuid::now_v7(),
            uuid::Uuid::now_v7(),
        );
        let task = (me, at(10), None, Some(60));
        assert_eq!(first_overlap(task, [(me, at(10), None, Some(60))]), None);
        assert_eq!(
            first_overlap(task, [(a, at(11), None, None)]),
            None,
            "back to back"
        );
        assert_eq!(
            first_overlap(task, [(a, at(8), None, None), (b, at(9), None, Some(61))]),
            Some(b)
        );
    }

    #[test]
    fn a_reason_is_one_to_a_thousand_characters() {
        assert!(check_reason("  ").is_err());
        assert_eq!(check_reason(" Storm ").as_deref(), Ok("Storm"));
        assert!(check_reason(&"x".repeat(1000)).is_ok());
        assert!(check_reason(&"x".repeat(1001)).is_err());
    }

    #[test]
    fn statuses_read_back_what_they_write_and_nothing_else() {
        for s in TaskStatus::ALL {
            assert_eq!(TaskStatus::parse(s.as_str()), Some(s));
        }
        for s in ClaimStatus::ALL {
            assert_eq!(ClaimStatus::parse(s.as_str()), Some(s));
        }
        for k in EventKind::ALL {
            assert_eq!(EventKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(TaskStatus::parse("Open"), None);
        assert_eq!(TaskStatus::parse("deleted"), None);
    }

    #[test]
    fn filled_means_full() {
        assert_eq!(TaskStatus::for_claims(2, 2), TaskStatus::Filled);
        assert_eq!(TaskStatus::for_claims(1, 2), TaskStatus::Open);
    }
}
