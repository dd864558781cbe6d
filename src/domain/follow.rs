//! Following a series: a volunteer's own standing choice to be given each new occurrence
//! as it is generated. It lasts twelve weeks from the volunteer's last renewal and ends by
//! itself when the volunteer may no longer take the series' tasks. No I/O.

use chrono::{DateTime, Duration, Utc};

use crate::domain::error::ErrorCode;

/// How long a follow lasts before the volunteer must renew it.
pub const LASTS: Duration = Duration::weeks(12);

/// Why a follow ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowEnd {
    /// The volunteer released the series, or one occurrence of it: giving one back says
    /// the standing choice no longer holds, so nothing more is claimed in their name.
    Released,
    /// Twelve weeks passed without a renewal.
    Expired,
    /// The account was deactivated or erased.
    Deactivated,
    /// The series' council opted out of its category.
    CouncilOptedOut,
    /// The volunteer opted out of the category themselves.
    OptedOut,
    /// The volunteer no longer holds what the category requires.
    QualificationMissing,
    /// The series was cancelled.
    SeriesCancelled,
    /// The unit changed the terms the volunteer followed (title, category, council,
    /// weekdays or time of day); the volunteer is told and may follow again.
    TermsChanged,
}

impl FollowEnd {
    pub const ALL: [Self; 8] = [
        Self::Released,
        Self::Expired,
        Self::Deactivated,
        Self::CouncilOptedOut,
        Self::OptedOut,
        Self::QualificationMissing,
        Self::SeriesCancelled,
        Self::TermsChanged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Released => "released",
            Self::Expired => "expired",
            Self::Deactivated => "deactivated",
            Self::CouncilOptedOut => "council_opted_out",
            Self::OptedOut => "opted_out",
            Self::QualificationMissing => "qualification_missing",
            Self::SeriesCancelled => "series_cancelled",
            Self::TermsChanged => "terms_changed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == s)
    }

    /// The refusal of a claim the follow made that ends the follow: those that say the
    /// volunteer may not take this series' tasks any more. A full occurrence or a clash
    /// with another of their tasks only skips that occurrence.
    pub fn for_refusal(code: ErrorCode) -> Option<Self> {
        match code {
            ErrorCode::CouncilOptedOut => Some(Self::CouncilOptedOut),
            ErrorCode::QualificationMissing => Some(Self::QualificationMissing),
            _ => None,
        }
    }
}

/// When a follow started or renewed at `at` runs out.
pub fn expires(at: DateTime<Utc>) -> DateTime<Utc> {
    at + LASTS
}

/// Whether a follow that runs out at `expires_at` still gives occurrences at `now`.
pub fn in_force(expires_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now < expires_at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_follow_lasts_twelve_weeks_from_its_last_renewal() {
        let start = DateTime::parse_from_rfc3339("2027-01-04T09:00:00Z")
            .map(|d| d.with_timezone(&Utc))
            .expect("a time");
        let end = expires(start);
        assert_eq!(end - start, Duration::days(84));
        assert!(in_force(end, end - Duration::seconds(1)));
        assert!(
            !in_force(end, end),
            "it has ended at the instant it runs out"
        );
    }

    #[test]
    fn only_refusals_that_bar_the_series_end_a_follow() {
        assert_eq!(
            FollowEnd::for_refusal(ErrorCode::CouncilOptedOut),
            Some(FollowEnd::CouncilOptedOut)
        );
        assert_eq!(
            FollowEnd::for_refusal(ErrorCode::QualificationMissing),
            Some(FollowEnd::QualificationMissing)
        );
        for skips in [
            ErrorCode::TaskFull,
            ErrorCode::ScheduleConflict,
            ErrorCode::AlreadyClaimed,
        ] {
            assert_eq!(FollowEnd::for_refusal(skips), None, "{skips:?}");
        }
        for end in FollowEnd::ALL {
            assert_eq!(FollowEnd::parse(end.as_str()), Some(end));
        }
    }
}
