//! Time as the API speaks it: the years it accepts and the one format it answers in.
//! No I/O.

use super::problem::FieldProblem;
use chrono::{DateTime, Datelike, NaiveDate, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

/// The first and last year any date or time parameter may name. Nothing the service does
/// lies outside them, and bounding them keeps arithmetic on dates far from its limits.
pub const FIRST_YEAR: i32 = 2000;
pub const LAST_YEAR: i32 = 2100;

/// A date within [`FIRST_YEAR`]..=[`LAST_YEAR`].
pub fn check_date(date: NaiveDate) -> Result<NaiveDate, FieldProblem> {
    if (FIRST_YEAR..=LAST_YEAR).contains(&date.year()) {
        Ok(date)
    } else {
        Err(FieldProblem::OutsideYears)
    }
}

/// The calendar date of `at` where the municipality is (a task's local start date).
pub fn local_date(at: DateTime<Utc>, zone: chrono_tz::Tz) -> NaiveDate {
    at.with_timezone(&zone).date_naive()
}

/// An instant within [`FIRST_YEAR`]..=[`LAST_YEAR`] (in UTC).
pub fn check_instant(at: DateTime<Utc>) -> Result<DateTime<Utc>, FieldProblem> {
    check_date(at.date_naive()).map(|_| at)
}

/// A start still to come: an instant in range, after `now`.
pub fn check_future(at: DateTime<Utc>, now: DateTime<Utc>) -> Result<DateTime<Utc>, FieldProblem> {
    let at = check_instant(at)?;
    if at <= now {
        return Err(FieldProblem::NotInFuture);
    }
    Ok(at)
}

/// A point in time as every response carries it: UTC, exactly three fractional digits,
/// `Z` (`2026-12-01T09:00:00.000Z`), so one ISO 8601 setting reads every timestamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub DateTime<Utc>);

impl Timestamp {
    pub fn to_api_string(self) -> String {
        self.0.to_rfc3339_opts(SecondsFormat::Millis, true)
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(at: DateTime<Utc>) -> Self {
        Self(at)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_api_string())
    }
}

/// `#[serde(serialize_with = "…::millis")]` for a `DateTime<Utc>` field of a response.
pub fn millis<S: serde::Serializer>(at: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    Timestamp(*at).serialize(serializer)
}

/// The same for an `Option<DateTime<Utc>>` field (`null` when absent).
pub fn millis_opt<S: serde::Serializer>(
    at: &Option<DateTime<Utc>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    at.map(Timestamp).serialize(serializer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_always_have_three_fractional_digits() {
        let whole = DateTime::parse_from_rfc3339("2026-12-01T10:00:00+01:00")
            .expect("time")
            .with_timezone(&Utc);
        assert_eq!(Timestamp(whole).to_api_string(), "2026-12-01T09:00:00.000Z");
        let fine = DateTime::parse_from_rfc3339("2026-12-01T18:30:08.237047Z")
            .expect("time")
            .with_timezone(&Utc);
        assert_eq!(Timestamp(fine).to_api_string(), "2026-12-01T18:30:08.237Z");
    }

    #[test]
    fn dates_outside_the_supported_years_are_refused() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
        assert!(check_date(d(1999, 12, 31)).is_err());
        assert!(check_date(d(2000, 1, 1)).is_ok());
        assert!(check_date(d(2100, 12, 31)).is_ok());
        assert!(check_date(d(2101, 1, 1)).is_err());
        assert!(check_date(NaiveDate::MIN).is_err());
    }
}
