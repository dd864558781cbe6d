//! Recurring tasks: which local dates a series falls on, and the instant each occurrence
//! starts at in the municipality's time zone. No I/O.
//!
//! The expansion runs on calendar dates, and each date is resolved with its local
//! wall-clock time on its own: a weekly 10:00 stays 10:00 in summer and winter. A time in
//! the spring-forward gap moves forward by the gap (02:30 becomes 03:30); a time in the
//! autumn overlap takes the first of its two instants.

use super::problem::FieldProblem;
use chrono::{
    DateTime, Datelike, Days, Duration, LocalResult, Months, NaiveDate, NaiveTime, Offset,
    TimeZone, Utc, Weekday,
};

/// How often a series repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freq {
    Daily,
    Weekly,
    /// The same day of the month; months without that day are skipped.
    Monthly,
}

impl Freq {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Daily => "daily",
            Self::Weekly => "weekly",
            Self::Monthly => "monthly",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Daily, Self::Weekly, Self::Monthly]
            .into_iter()
            .find(|f| f.as_str() == s)
    }
}

/// What happened to a series as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesEventKind {
    Created,
    Edited,
    Cancelled,
}

impl SeriesEventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Edited => "edited",
            Self::Cancelled => "cancelled",
        }
    }

    /// The kind a stored name stands for; `None` for a name this build does not know.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Created, Self::Edited, Self::Cancelled]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// Where a series stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// After this many occurrences (1–104), the first included.
    Count(u32),
    /// On this local date at the latest.
    Until(NaiveDate),
}

/// A checked recurrence rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recurrence {
    pub freq: Freq,
    /// Every `interval` days, weeks or months (1–4).
    pub interval: u32,
    /// For weekly series: the weekdays, in week order; empty means the first date's.
    pub by_weekday: Vec<Weekday>,
    pub end: End,
}

/// A weekday as the API writes it (`mo` … `su`).
pub fn parse_weekday(s: &str) -> Option<Weekday> {
    Some(match s {
        "mo" => Weekday::Mon,
        "tu" => Weekday::Tue,
        "we" => Weekday::Wed,
        "th" => Weekday::Thu,
        "fr" => Weekday::Fri,
        "sa" => Weekday::Sat,
        "su" => Weekday::Sun,
        _ => return None,
    })
}

pub fn weekday_str(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "mo",
        Weekday::Tue => "tu",
        Weekday::Wed => "we",
        Weekday::Thu => "th",
        Weekday::Fri => "fr",
        Weekday::Sat => "sa",
        Weekday::Sun => "su",
    }
}

/// The most occurrences a series may have.
pub const MAX_COUNT: u32 = 104;

impl Recurrence {
    /// Checks the parts of a rule as a client sent them; every invalid field is named.
    pub fn check(
        freq: &str,
        interval: Option<i64>,
        by_weekday: &[String],
        count: Option<i64>,
        until: Option<NaiveDate>,
        first: NaiveDate,
    ) -> Result<Self, Vec<(&'static str, FieldProblem)>> {
        let mut errors = Vec::new();
        let freq_parsed = Freq::parse(freq);
        if freq_parsed.is_none() {
            errors.push(("recurrence.freq", FieldProblem::Frequency));
        }
        let interval = interval.unwrap_or(1);
        if !(1..=4).contains(&interval) {
            errors.push((
                "recurrence.interval",
                FieldProblem::Between { min: 1, max: 4 },
            ));
        }
        let mut days = Vec::new();
        for raw in by_weekday {
            match parse_weekday(raw) {
                Some(d) if !days.contains(&d) => days.push(d),
                Some(_) => errors.push((
                    "recurrence.by_weekday",
                    FieldProblem::WeekdayTwice { day: raw.clone() },
                )),
                None => errors.push((
                    "recurrence.by_weekday",
                    FieldProblem::OneOf {
                        choices: "mo, tu, we, th, fr, sa, su".into(),
                    },
                )),
            }
        }
        if !days.is_empty() && freq_parsed != Some(Freq::Weekly) {
            errors.push(("recurrence.by_weekday", FieldProblem::WeeklyOnly));
        }
        days.sort_by_key(Weekday::num_days_from_monday);
        let end = match (count, until) {
            (Some(n), None) if (1..=i64::from(MAX_COUNT)).contains(&n) => {
                Some(End::Count(u32::try_from(n).unwrap_or(MAX_COUNT)))
            }
            (Some(_), None) => {
                errors.push((
                    "recurrence.count",
                    FieldProblem::Between {
                        min: 1,
                        max: i64::from(MAX_COUNT),
                    },
                ));
                None
            }
            (None, Some(d)) if d >= first => Some(End::Until(d)),
            (None, Some(_)) => {
                errors.push(("recurrence.until", FieldProblem::BeforeFirstDate));
                None
            }
            _ => {
                errors.push(("recurrence", FieldProblem::CountOrUntil));
                None
            }
        };
        match (freq_parsed, end, errors.is_empty()) {
            (Some(freq), Some(end), true) => {
                let rule = Self {
                    freq,
                    interval: u32::try_from(interval).unwrap_or(1),
                    by_weekday: days,
                    end,
                };
                if rule
                    .expand(first, NaiveDate::MAX, MAX_COUNT as usize + 1)
                    .len()
                    > MAX_COUNT as usize
                {
                    return Err(vec![(
                        "recurrence.until",
                        FieldProblem::TooManyOccurrences {
                            max: i64::from(MAX_COUNT),
                        },
                    )]);
                }
                Ok(rule)
            }
            _ => Err(errors),
        }
    }

    /// The series' local dates from `first` on, in order, up to `up_to` (inclusive) and
    /// within the rule's own end. At most [`MAX_COUNT`] dates, whatever the rule.
    pub fn dates(&self, first: NaiveDate, up_to: NaiveDate) -> Vec<NaiveDate> {
        self.expand(first, up_to, MAX_COUNT as usize)
    }

    fn expand(&self, first: NaiveDate, up_to: NaiveDate, cap: usize) -> Vec<NaiveDate> {
        let last = match self.end {
            End::Until(d) => d.min(up_to),
            End::Count(_) => up_to,
        };
        let limit = match self.end {
            End::Count(n) => (n as usize).min(cap),
            End::Until(_) => cap,
        };
        let mut out = Vec::new();
        let step = u64::from(self.interval);
        match self.freq {
            Freq::Daily => {
                let mut d = first;
                while d <= last && out.len() < limit {
                    out.push(d);
                    let Some(next) = d.checked_add_days(Days::new(step)) else {
                        break;
                    };
                    d = next;
                }
            }
            Freq::Weekly => {
                let days = if self.by_weekday.is_empty() {
                    vec![first.weekday()]
                } else {
                    self.by_weekday.clone()
                };
                let monday =
                    first - Duration::days(i64::from(first.weekday().num_days_from_monday()));
                let mut week = monday;
                'weeks: while week <= last && out.len() < limit {
                    for day in &days {
                        let d = week + Duration::days(i64::from(day.num_days_from_monday()));
                        if d < first {
                            continue;
                        }
                        if d > last || out.len() >= limit {
                            break 'weeks;
                        }
                        out.push(d);
                    }
                    let Some(next) = week.checked_add_days(Days::new(7 * step)) else {
                        break;
                    };
                    week = next;
                }
            }
            Freq::Monthly => {
                let day = first.day();
                let start = first.with_day(1).unwrap_or(first);
                let mut k = 0u32;
                while let Some(month) = start.checked_add_months(Months::new(k * self.interval)) {
                    if month > last || out.len() >= limit {
                        break;
                    }
                    if let Some(d) = month.with_day(day) {
                        if d > last {
                            break;
                        }
                        out.push(d);
                    }
                    k += 1;
                }
            }
        }
        out
    }
}

/// The instant `date` at the local wall-clock `time` in `zone`: the time itself when it
/// exists once, the first instant in the autumn overlap, and moved forward by the gap in
/// the spring-forward hour.
pub fn resolve<Z: TimeZone>(date: NaiveDate, time: NaiveTime, zone: &Z) -> DateTime<Utc> {
    let local = date.and_time(time);
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
        LocalResult::None => {
            // In the gap: read the wall-clock time with the offset in force just before
            // it, which lands the same distance past the gap's end.
            let before = (1..=24 * 60)
                .find_map(|m| {
                    zone.from_local_datetime(&(local - Duration::minutes(m)))
                        .earliest()
                })
                .map(|t| t.offset().fix().local_minus_utc())
                .unwrap_or(0);
            DateTime::<Utc>::from_naive_utc_and_offset(
                local - Duration::seconds(i64::from(before)),
                Utc,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Oslo;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    fn t(s: &str) -> NaiveTime {
        NaiveTime::parse_from_str(s, "%H:%M").expect("time")
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("instant")
            .with_timezone(&Utc)
    }

    fn rule(freq: &str, by: &[&str], count: Option<i64>, until: Option<&str>) -> Recurrence {
        let by: Vec<String> = by.iter().map(|s| (*s).to_owned()).collect();
        Recurrence::check(freq, Some(1), &by, count, until.map(d), d("2026-01-01"))
            .expect("a valid rule")
    }

    #[test]
    fn a_weekly_ten_oclock_stays_ten_oclock_local_across_both_2026_changes() {
        // Summer time 2026: 29 March to 25 October.
        let weekly = rule("weekly", &[], Some(10), None);
        let dates = weekly.dates(d("2026-03-19"), d("2026-12-31"));
        assert_eq!(dates.len(), 10);
        assert_eq!(
            resolve(dates[0], t("10:00"), &Oslo),
            utc("2026-03-19T09:00:00Z")
        );
        assert_eq!(
            resolve(dates[1], t("10:00"), &Oslo),
            utc("2026-03-26T09:00:00Z")
        );
        assert_eq!(
            resolve(dates[2], t("10:00"), &Oslo),
            utc("2026-04-02T08:00:00Z")
        );
        let autumn = weekly.dates(d("2026-10-15"), d("2026-12-31"));
        assert_eq!(
            resolve(autumn[1], t("10:00"), &Oslo),
            utc("2026-10-22T08:00:00Z")
        );
        assert_eq!(
            resolve(autumn[2], t("10:00"), &Oslo),
            utc("2026-10-29T09:00:00Z")
        );
    }

    #[test]
    fn a_time_in_the_spring_gap_moves_forward_by_the_gap_and_an_autumn_one_takes_the_first() {
        assert_eq!(
            resolve(d("2026-03-28"), t("02:30"), &Oslo),
            utc("2026-03-28T01:30:00Z")
        );
        // 02:30 does not exist on 29 March 2026: it becomes 03:30 summer time.
        assert_eq!(
            resolve(d("2026-03-29"), t("02:30"), &Oslo),
            utc("2026-03-29T01:30:00Z")
        );
        assert_eq!(
            resolve(d("2026-03-30"), t("02:30"), &Oslo),
            utc("2026-03-30T00:30:00Z")
        );
        // 02:30 happens twice on 25 October 2026: the first, still in summer time.
        assert_eq!(
            resolve(d("2026-10-25"), t("02:30"), &Oslo),
            utc("2026-10-25T00:30:00Z")
        );
        assert_eq!(
            resolve(d("2026-10-26"), t("02:30"), &Oslo),
            utc("2026-10-26T01:30:00Z")
        );
        let daily = rule("daily", &[], None, Some("2026-03-31"));
        let dates = daily.dates(d("2026-03-28"), d("2026-12-31"));
        assert_eq!(
            dates,
            vec![
                d("2026-03-28"),
                d("2026-03-29"),
                d("2026-03-30"),
                d("2026-03-31")
            ]
        );
    }

    #[test]
    fn monthly_on_the_31st_skips_the_months_without_one() {
        let monthly = rule("monthly", &[], Some(4), None);
        assert_eq!(
            monthly.dates(d("2026-01-31"), d("2027-12-31")),
            vec![
                d("2026-01-31"),
                d("2026-03-31"),
                d("2026-05-31"),
                d("2026-07-31")
            ]
        );
        let every_other = Recurrence {
            interval: 2,
            ..rule("monthly", &[], None, Some("2026-12-31"))
        };
        assert_eq!(
            every_other.dates(d("2026-01-15"), d("2026-12-31")),
            vec![
                d("2026-01-15"),
                d("2026-03-15"),
                d("2026-05-15"),
                d("2026-07-15"),
                d("2026-09-15"),
                d("2026-11-15")
            ]
        );
    }

    #[test]
    fn weekly_by_weekday_starts_on_the_first_date_and_counts_every_occurrence() {
        // Thursday 3 December 2026: Tuesday of that week is before the start.
        let tue_thu = rule("weekly", &["th", "tu"], Some(5), None);
        assert_eq!(
            tue_thu.dates(d("2026-12-03"), d("2027-12-31")),
            vec![
                d("2026-12-03"),
                d("2026-12-08"),
                d("2026-12-10"),
                d("2026-12-15"),
                d("2026-12-17")
            ]
        );
        let fortnightly = Recurrence {
            interval: 2,
            ..rule("weekly", &["mo"], None, Some("2027-01-31"))
        };
        assert_eq!(
            fortnightly.dates(d("2026-12-07"), d("2027-12-31")),
            vec![
                d("2026-12-07"),
                d("2026-12-21"),
                d("2027-01-04"),
                d("2027-01-18")
            ]
        );
        // The horizon cuts a long series; the rule's end cuts it anyway.
        assert_eq!(tue_thu.dates(d("2026-12-03"), d("2026-12-09")).len(), 2);
    }

    #[test]
    fn a_series_event_kind_reads_back_what_it_stores_and_nothing_else() {
        for kind in [
            SeriesEventKind::Created,
            SeriesEventKind::Edited,
            SeriesEventKind::Cancelled,
        ] {
            assert_eq!(SeriesEventKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(SeriesEventKind::parse("deleted"), None);
        assert_eq!(SeriesEventKind::parse(""), None);
    }

    #[test]
    fn a_rule_names_every_invalid_part() {
        let first = d("2026-12-01");
        let errors = Recurrence::check("yearly", Some(9), &["xx".into()], None, None, first)
            .expect_err("invalid");
        let fields: Vec<&str> = errors.iter().map(|(f, _)| *f).collect();
        assert!(fields.contains(&"recurrence.freq"));
        assert!(fields.contains(&"recurrence.interval"));
        assert!(fields.contains(&"recurrence.by_weekday"));
        assert!(fields.contains(&"recurrence"));
        assert!(Recurrence::check("daily", None, &["mo".into()], Some(3), None, first).is_err());
        assert!(Recurrence::check("daily", None, &[], Some(3), Some(first), first).is_err());
        assert!(Recurrence::check("daily", None, &[], Some(105), None, first).is_err());
        assert!(Recurrence::check("daily", None, &[], None, Some(d("2026-11-30")), first).is_err());
        // Until a year ahead, daily, is more than a series may hold; weekly is not.
        let year = Some(d("2027-11-30"));
        assert!(Recurrence::check("daily", None, &[], None, year, first).is_err());
        assert!(Recurrence::check("weekly", None, &[], None, year, first).is_ok());
        assert!(
            Recurrence::check(
                "weekly",
                None,
                &["mo".into(), "fr".into()],
                None,
                Some(first),
                first
            )
            .is_ok()
        );
    }
}
