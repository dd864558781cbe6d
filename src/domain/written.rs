//! How dates, times and numbers are written for people: one style per language, the same
//! in the console, emails and pushes. Bokmål: "torsdag 10. desember 2026 kl. 10.30",
//! "10. desember 2026", "2,5". English: "Thursday 10 December 2026, 10:30",
//! "10 December 2026", "2.5". No I/O.

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};

use super::Language;
use crate::catalogue::{fill, text};

/// The catalogue's weekday names, Monday first, as in running text.
pub const WEEKDAYS: [&str; 7] = [
    "weekday-monday",
    "weekday-tuesday",
    "weekday-wednesday",
    "weekday-thursday",
    "weekday-friday",
    "weekday-saturday",
    "weekday-sunday",
];

const MONTHS: [&str; 12] = [
    "month-january",
    "month-february",
    "month-march",
    "month-april",
    "month-may",
    "month-june",
    "month-july",
    "month-august",
    "month-september",
    "month-october",
    "month-november",
    "month-december",
];

/// Monday's name (0) to Sunday's (6), in `language`.
pub fn weekday(language: Language, from_monday: usize) -> &'static str {
    WEEKDAYS
        .get(from_monday)
        .map_or("", |key| text(language, key))
}

/// "10. desember 2026" / "10 December 2026".
pub fn date(language: Language, d: NaiveDate) -> String {
    let month = MONTHS[d.month0() as usize];
    fill(
        language,
        "written-date",
        &[
            ("day", d.day().to_string().into()),
            ("month", text(language, month).into()),
            ("year", d.year().to_string().into()),
        ],
    )
}

/// "10.30" / "10:30".
pub fn clock(language: Language, hour: u32, minute: u32) -> String {
    fill(
        language,
        "written-clock",
        &[
            ("hour", format!("{hour:02}").into()),
            ("minute", format!("{minute:02}").into()),
        ],
    )
}

/// "10. desember 2026 kl. 10.30" / "10 December 2026, 10:30": an instant in `zone`,
/// without the weekday (for tables and histories).
pub fn moment(language: Language, zone: chrono_tz::Tz, at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&zone);
    fill(
        language,
        "written-moment",
        &[
            ("date", date(language, local.date_naive()).into()),
            ("time", clock(language, local.hour(), local.minute()).into()),
        ],
    )
}

/// "torsdag 10. desember 2026 kl. 10.30" / "Thursday 10 December 2026, 10:30".
pub fn datetime(language: Language, zone: chrono_tz::Tz, at: DateTime<Utc>) -> String {
    let day = at.with_timezone(&zone).weekday().num_days_from_monday() as usize;
    format!("{} {}", weekday(language, day), moment(language, zone, at))
}

/// A whole number with its thousands grouped: "12 345" (a non-breaking space, and "−"
/// before a negative one) / "12,345".
pub fn whole(language: Language, n: i64) -> String {
    let sign = if n < 0 {
        text(language, "written-minus")
    } else {
        ""
    };
    format!("{sign}{}", grouped(language, &n.unsigned_abs().to_string()))
}

/// `value` with `digits` decimals and its thousands grouped: "1 234,5" / "1,234.5".
pub fn decimal(language: Language, value: f64, digits: usize) -> String {
    let text_form = format!("{:.digits$}", value.abs());
    let (int, frac) = text_form
        .split_once('.')
        .unwrap_or((text_form.as_str(), ""));
    let negative = value < 0.0 && text_form.chars().any(|c| c.is_ascii_digit() && c != '0');
    let sign = if negative {
        text(language, "written-minus")
    } else {
        ""
    };
    let int = grouped(language, int);
    if frac.is_empty() {
        format!("{sign}{int}")
    } else {
        let point = text(language, "written-decimal-point");
        format!("{sign}{int}{point}{frac}")
    }
}

/// Digits in groups of three from the right.
fn grouped(language: Language, digits: &str) -> String {
    let separator = text(language, "written-thousands");
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 2);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(separator);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_style_per_language() {
        let at = "2026-12-10T09:30:00Z".parse().expect("an instant");
        let oslo = chrono_tz::Europe::Oslo;
        assert_eq!(
            datetime(Language::Nb, oslo, at),
            "torsdag 10. desember 2026 kl. 10.30"
        );
        assert_eq!(
            datetime(Language::En, oslo, at),
            "Thursday 10 December 2026, 10:30"
        );
        // Summer time: the same wall clock is an hour earlier in UTC.
        let summer = "2026-06-10T08:30:00Z".parse().expect("an instant");
        assert_eq!(
            moment(Language::Nb, oslo, summer),
            "10. juni 2026 kl. 10.30"
        );
        assert_eq!(decimal(Language::Nb, 2.5, 1), "2,5");
        assert_eq!(decimal(Language::En, 2.5, 1), "2.5");
        assert_eq!(decimal(Language::Nb, 1234.56, 1), "1\u{a0}234,6");
        assert_eq!(decimal(Language::En, 1234.56, 1), "1,234.6");
        assert_eq!(decimal(Language::Nb, -0.01, 1), "0,0");
        assert_eq!(decimal(Language::Nb, -12.5, 1), "\u{2212}12,5");
        assert_eq!(whole(Language::Nb, 1_234_567), "1\u{a0}234\u{a0}567");
        assert_eq!(whole(Language::En, 1_234_567), "1,234,567");
        assert_eq!(whole(Language::Nb, -999), "\u{2212}999");
        assert_eq!(whole(Language::Nb, 0), "0");
        assert_eq!(
            datetime(Language::Nn, oslo, summer - chrono::Duration::days(8)),
            "tysdag 2. juni 2026 kl. 10.30"
        );
        let d = NaiveDate::from_ymd_opt(2027, 1, 7).expect("a date");
        assert_eq!(date(Language::Nb, d), "7. januar 2027");
    }
}
