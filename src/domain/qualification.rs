//! Qualifications: what a volunteer must have shown before taking tasks of some
//! categories, and the one rule of when a record counts. No I/O.

use super::problem::FieldProblem;
use chrono::{Days, Months, NaiveDate};
use uuid::Uuid;

/// Days before `valid_until` that the volunteer is told a record runs out.
pub const EXPIRY_NOTICE_DAYS: u64 = 30;

/// What a qualification type asks of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypeRule {
    /// `None`: valid until revoked.
    pub valid_months: Option<i32>,
    /// A certificate older than this when shown is refused; `issued_on` is then required.
    pub max_age_days_when_seen: Option<i32>,
}

/// The day a record seen on `seen_on` stops counting after, if it ever does.
pub fn valid_until(seen_on: NaiveDate, valid_months: Option<i32>) -> Option<NaiveDate> {
    let months = u32::try_from(valid_months?).ok()?;
    seen_on.checked_add_months(Months::new(months))
}

/// Checks a new record against its type on `today` and gives its `valid_until`, or the
/// invalid fields with a message each.
pub fn check_record(
    rule: TypeRule,
    seen_on: NaiveDate,
    issued_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<Option<NaiveDate>, Vec<(&'static str, FieldProblem)>> {
    let mut errors = Vec::new();
    if seen_on > today {
        errors.push(("seen_on", FieldProblem::InFuture));
    }
    match (issued_on, rule.max_age_days_when_seen) {
        (None, Some(_)) => errors.push(("issued_on", FieldProblem::IssueDateRequired)),
        (Some(issued), _) if issued > seen_on => {
            errors.push(("issued_on", FieldProblem::IssuedAfterSeen));
        }
        (Some(issued), Some(max)) if (seen_on - issued).num_days() > i64::from(max) => {
            errors.push((
                "issued_on",
                FieldProblem::CertificateTooOld {
                    max: i64::from(max),
                },
            ));
        }
        _ => {}
    }
    if errors.is_empty() {
        Ok(valid_until(seen_on, rule.valid_months))
    } else {
        Err(errors)
    }
}

/// A record as the rule needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    pub qualification_id: Uuid,
    pub valid_until: Option<NaiveDate>,
    pub revoked: bool,
}

/// The one rule: a record counts for a task starting on the local date `on` when it is
/// not revoked and runs until that date or later.
pub fn is_valid(held: &Held, on: NaiveDate) -> bool {
    !held.revoked && held.valid_until.is_none_or(|until| until >= on)
}

/// The qualifications of `required` for which `held` has no valid record on `on`, in
/// the order of `required`.
pub fn missing(required: &[Uuid], held: &[Held], on: NaiveDate) -> Vec<Uuid> {
    required
        .iter()
        .filter(|q| {
            !held
                .iter()
                .any(|h| h.qualification_id == **q && is_valid(h, on))
        })
        .copied()
        .collect()
}

/// Whether the expiry notice of a record running until `valid_until` is due on `today`:
/// from thirty days before until the last valid day.
pub fn expiry_notice_due(valid_until: NaiveDate, today: NaiveDate) -> bool {
    valid_until
        .checked_sub_days(Days::new(EXPIRY_NOTICE_DAYS))
        .is_some_and(|from| from <= today)
        && today <= valid_until
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    const POLITIATTEST: TypeRule = TypeRule {
        valid_months: Some(36),
        max_age_days_when_seen: Some(90),
    };
    const TAUSHET: TypeRule = TypeRule {
        valid_months: None,
        max_age_days_when_seen: None,
    };

    #[test]
    fn validity_runs_from_the_day_it_was_seen() {
        assert_eq!(
            valid_until(d("2026-03-15"), Some(36)),
            Some(d("2029-03-15"))
        );
        // The end of a month stays the end of a shorter one.
        assert_eq!(
            valid_until(d("2028-02-29"), Some(12)),
            Some(d("2029-02-28"))
        );
        assert_eq!(valid_until(d("2026-03-15"), None), None);
    }

    #[test]
    fn a_certificate_needs_its_issue_date_and_may_be_at_most_ninety_days_old() {
        let today = d("2026-12-01");
        assert_eq!(
            check_record(POLITIATTEST, d("2026-11-30"), Some(d("2026-09-01")), today),
            Ok(Some(d("2029-11-30")))
        );
        // 90 days exactly is accepted, 91 refused.
        assert!(check_record(POLITIATTEST, d("2026-11-30"), Some(d("2026-09-01")), today).is_ok());
        let old = check_record(POLITIATTEST, d("2026-11-30"), Some(d("2026-08-31")), today);
        assert_eq!(old.expect_err("too old")[0].0, "issued_on");
        let undated = check_record(POLITIATTEST, d("2026-11-30"), None, today);
        assert_eq!(undated.expect_err("needs a date")[0].0, "issued_on");
        let later = check_record(POLITIATTEST, d("2026-11-01"), Some(d("2026-11-02")), today);
        assert_eq!(later.expect_err("issued after seen")[0].0, "issued_on");
        let future = check_record(TAUSHET, d("2026-12-02"), None, today);
        assert_eq!(future.expect_err("future")[0].0, "seen_on");
        assert_eq!(check_record(TAUSHET, today, None, today), Ok(None));
    }

    #[test]
    fn a_record_counts_until_its_last_day_and_never_once_revoked() {
        let q = Uuid::now_v7();
        let held = Held {
            qualification_id: q,
            valid_until: Some(d("2027-01-31")),
            revoked: false,
        };
        assert!(is_valid(&held, d("2027-01-31")));
        assert!(!is_valid(&held, d("2027-02-01")));
        assert!(!is_valid(
            &Held {
                revoked: true,
                ..held
            },
            d("2026-12-01")
        ));
        let forever = Held {
            valid_until: None,
            ..held
        };
        assert!(is_valid(&forever, d("2099-12-31")));
    }

    #[test]
    fn missing_names_each_requirement_without_a_valid_record() {
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let held = [
            Held {
                qualification_id: a,
                valid_until: Some(d("2026-12-10")),
                revoked: false,
            },
            // A revoked record of b and a renewed one of a.
            Held {
                qualification_id: b,
                valid_until: None,
                revoked: true,
            },
            Held {
                qualification_id: a,
                valid_until: Some(d("2029-12-10")),
                revoked: false,
            },
        ];
        assert_eq!(missing(&[a, b], &held, d("2027-06-01")), vec![b]);
        assert_eq!(missing(&[a], &held[..1], d("2027-06-01")), vec![a]);
        assert!(missing(&[], &[], d("2027-06-01")).is_empty());
    }

    #[test]
    fn the_expiry_notice_is_due_in_the_last_thirty_days() {
        let until = d("2027-01-31");
        assert!(!expiry_notice_due(until, d("2026-12-31")));
        assert!(expiry_notice_due(until, d("2027-01-01")));
        assert!(expiry_notice_due(until, until));
        assert!(!expiry_notice_due(until, d("2027-02-01")));
    }
}
