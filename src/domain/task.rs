//! Tasks and claims: statuses, the effective end of a task, hours on completion and the
//! rules for the fields of a new or edited task. No I/O.

use chrono::{DateTime, Duration, Utc};

/// A task's status (PRODUCT.md, "Task and claim lifecycle").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
pub fn hours_to_minutes(hours: f64) -> Result<i32, &'static str> {
    if !hours.is_finite() || hours <= 0.0 || hours > 168.0 {
        return Err("must be more than 0 and at most 168 hours");
    }
    Ok((hours * 60.0).round() as i32)
}

pub const MAX_SPOTS: i32 = 50;

pub fn check_spots(spots: i32) -> Result<i32, &'static str> {
    if (1..=MAX_SPOTS).contains(&spots) {
        Ok(spots)
    } else {
        Err("must be from 1 to 50")
    }
}

/// A title: public text, one line of 1–200 characters.
pub fn check_title(raw: &str) -> Result<String, String> {
    let s = super::check_line(raw, 200)?;
    if s.is_empty() {
        return Err("must not be empty".into());
    }
    Ok(s)
}

pub fn check_text(raw: &str, max: usize) -> Result<String, String> {
    if raw.chars().count() > max {
        Err(format!("must be at most {max} characters"))
    } else {
        Ok(raw.trim().to_owned())
    }
}

pub fn check_duration(minutes: i32) -> Result<i32, &'static str> {
    if (1..=10080).contains(&minutes) {
        Ok(minutes)
    } else {
        Err("must be from 1 to 10080 minutes")
    }
}

/// Two claims overlap when their effective intervals intersect.
pub fn overlaps(a: (DateTime<Utc>, DateTime<Utc>), b: (DateTime<Utc>, DateTime<Utc>)) -> bool {
    a.0 < b.1 && b.0 < a.1
}
