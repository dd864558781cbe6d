//! The console's two languages and its way of writing dates: Norwegian bokmål by
//! default, English by a switch; times in `DUGNAD_TIMEZONE`.

use crate::domain::problem::FieldProblem;
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::web::Lang;

/// "tirsdag 8. desember 2026 kl. 14.00" / "Tuesday 8 December 2026, 14:00".
pub fn datetime(lang: Lang, tz: Tz, at: DateTime<Utc>) -> String {
    crate::domain::written::datetime(lang.0, tz, at)
}

/// The same without the weekday, for tables and histories: "8. desember 2026 kl. 14.00".
pub fn short_datetime(lang: Lang, tz: Tz, at: DateTime<Utc>) -> String {
    crate::domain::written::moment(lang.0, tz, at)
}

/// The value of an `<input type="datetime-local">` for an instant.
pub fn to_input(tz: Tz, at: DateTime<Utc>) -> String {
    at.with_timezone(&tz).format("%Y-%m-%dT%H:%M").to_string()
}

/// An instant from an `<input type="datetime-local">` in local time. A time that the
/// clocks skip in spring does not exist and is refused; one they pass twice in autumn is
/// the first of the two.
pub fn from_input(tz: Tz, raw: &str) -> Result<DateTime<Utc>, FieldProblem> {
    let raw = raw.trim();
    let naive = NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| FieldProblem::NotDateTime)?;
    tz.from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or(FieldProblem::SkippedLocalTime)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Language;

    #[test]
    fn dates_read_as_norwegians_write_them() {
        let tz: Tz = "Europe/Oslo".parse().unwrap_or(chrono_tz::Europe::Oslo);
        let at = Utc.with_ymd_and_hms(2026, 12, 8, 13, 0, 0).single();
        let at = at.unwrap_or_default();
        assert_eq!(
            datetime(Lang(Language::Nb), tz, at),
            "tirsdag 8. desember 2026 kl. 14.00"
        );
        assert_eq!(
            datetime(Lang(Language::En), tz, at),
            "Tuesday 8 December 2026, 14:00"
        );
        assert_eq!(to_input(tz, at), "2026-12-08T14:00");
        assert_eq!(from_input(tz, "2026-12-08T14:00"), Ok(at));
    }

    #[test]
    fn local_times_the_clocks_skip_are_refused_and_repeated_ones_are_the_first() {
        let tz = chrono_tz::Europe::Oslo;
        assert!(from_input(tz, "2026-03-29T02:30").is_err());
        let first = from_input(tz, "2026-10-25T02:30");
        assert_eq!(
            first.map(|t| t.to_rfc3339()),
            Ok("2026-10-25T00:30:00+00:00".to_owned())
        );
    }
}
