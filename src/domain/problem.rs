//! Why one field of a request was refused, as a value: the catalogue writes it in the
//! reader's language (`field-…` messages), so the API answers in English and the console
//! in the page's language from the same refusal, and nothing matches English text.

use crate::catalogue::{Language, Value, fill};

/// One field's problem. Numbers and names in it are filled into the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldProblem {
    Required,
    Empty,
    TooLong {
        max: usize,
    },
    TooLongBytes {
        max: usize,
    },
    NotOneLine,
    ControlCharacters,
    NulCharacters,
    NotWholeNumber,
    Between {
        min: i64,
        max: i64,
    },
    MinutesBetween {
        min: i64,
        max: i64,
    },
    HoursUpTo {
        max: i64,
    },
    MonthsOrNone {
        max: i64,
    },
    DaysOrNone {
        max: i64,
    },
    KronerUpTo {
        max: i64,
    },
    NotTrueOrFalse,
    NotUuid,
    NotDate,
    NotDateTime,
    NotRfc3339,
    NotClockTime,
    SkippedLocalTime,
    OutsideYears,
    OutOfRange,
    NotInFuture,
    InFuture,
    InPast,
    NotAfterStart,
    /// A value outside a closed list of codes, which the message names (`android, ios`).
    OneOf {
        choices: String,
    },
    NamedTwice,
    GivenAndCleared,
    NotSlug,
    NotEmail,
    PasswordTooShort {
        min: usize,
    },
    PasswordIsEmail,
    PasswordTooSimple,
    PasswordCommon,
    WrongPassword,
    WrongCode,
    DeadLink,
    NotCursor,
    NotIdempotencyKey,
    NotJsonObject,
    /// A value of the wrong type or shape, as the JSON parser described it.
    Malformed {
        detail: String,
    },
    NotCategory,
    NotActiveCategory,
    NotActiveCouncil,
    NotServiceUnit,
    NotActiveQualification,
    RequiredWhenAdminPosts,
    RequiredForStaff,
    RequiredForCoordinator,
    OnlyStaffHaveUnit,
    OnlyVolunteersChooseCouncil,
    Frequency,
    WeeklyOnly,
    WeekdayTwice {
        day: String,
    },
    BeforeFirstDate,
    CountOrUntil,
    TooManyOccurrences {
        max: i64,
    },
    CategoryTwice,
    NotOptedOut,
    MonthStart,
    MonthEnd,
    Period,
    NotActiveClaim,
    NoEndKnown,
    IssueDateRequired,
    IssuedAfterSeen,
    CertificateTooOld {
        max: i64,
    },
    LegalBasis,
    TooManyChoices {
        max: i64,
    },
    NotAChoice,
    RequiredForEmailChange,
    OptBackInFirst,
    NotWholeKroner,
    NotHours,
    KeyReused,
    OnlyTakersHoldQualifications,
    WeekdaysOnce,
    UnknownCategory,
    UnknownQualification,
    VolunteersRegisterThemselves,
    NotIntoVolunteer,
    VolunteerStaysVolunteer,
}

impl FieldProblem {
    /// The message in `language`.
    pub fn message(&self, language: Language) -> String {
        let (key, args) = self.parts();
        fill(language, key, &args)
    }

    /// The catalogue's key and the values the message names.
    fn parts(&self) -> (&'static str, Vec<(&'static str, Value<'_>)>) {
        use FieldProblem as P;
        let n = |v: i64| Value::from(v);
        match self {
            P::Required => ("field-required", vec![]),
            P::Empty => ("field-empty", vec![]),
            P::TooLong { max } => ("field-too-long", vec![("max", n(*max as i64))]),
            P::TooLongBytes { max } => ("field-too-long-bytes", vec![("max", n(*max as i64))]),
            P::NotOneLine => ("field-not-one-line", vec![]),
            P::ControlCharacters => ("field-control-characters", vec![]),
            P::NulCharacters => ("field-nul-characters", vec![]),
            P::NotWholeNumber => ("field-not-whole-number", vec![]),
            P::Between { min, max } => ("field-between", vec![("min", n(*min)), ("max", n(*max))]),
            P::MinutesBetween { min, max } => (
                "field-minutes-between",
                vec![("min", n(*min)), ("max", n(*max))],
            ),
            P::HoursUpTo { max } => ("field-hours-up-to", vec![("max", n(*max))]),
            P::MonthsOrNone { max } => ("field-months-or-none", vec![("max", n(*max))]),
            P::DaysOrNone { max } => ("field-days-or-none", vec![("max", n(*max))]),
            P::KronerUpTo { max } => ("field-kroner-up-to", vec![("max", n(*max))]),
            P::NotTrueOrFalse => ("field-not-true-or-false", vec![]),
            P::NotUuid => ("field-not-uuid", vec![]),
            P::NotDate => ("field-not-date", vec![]),
            P::NotDateTime => ("field-not-date-time", vec![]),
            P::NotRfc3339 => ("field-not-rfc3339", vec![]),
            P::NotClockTime => ("field-not-clock-time", vec![]),
            P::SkippedLocalTime => ("field-skipped-local-time", vec![]),
            P::OutsideYears => ("field-outside-years", vec![]),
            P::OutOfRange => ("field-out-of-range", vec![]),
            P::NotInFuture => ("field-not-in-future", vec![]),
            P::InFuture => ("field-in-future", vec![]),
            P::InPast => ("field-in-past", vec![]),
            P::NotAfterStart => ("field-not-after-start", vec![]),
            P::OneOf { choices } => ("field-one-of", vec![("choices", choices.as_str().into())]),
            P::NamedTwice => ("field-named-twice", vec![]),
            P::GivenAndCleared => ("field-given-and-cleared", vec![]),
            P::NotSlug => ("field-not-slug", vec![]),
            P::NotEmail => ("field-not-email", vec![]),
            P::PasswordTooShort { min } => {
                ("field-password-too-short", vec![("min", n(*min as i64))])
            }
            P::PasswordIsEmail => ("field-password-is-email", vec![]),
            P::PasswordTooSimple => ("field-password-too-simple", vec![]),
            P::PasswordCommon => ("field-password-common", vec![]),
            P::WrongPassword => ("field-wrong-password", vec![]),
            P::WrongCode => ("field-wrong-code", vec![]),
            P::DeadLink => ("field-dead-link", vec![]),
            P::NotCursor => ("field-not-cursor", vec![]),
            P::NotIdempotencyKey => ("field-not-idempotency-key", vec![]),
            P::NotJsonObject => ("field-not-json-object", vec![]),
            P::Malformed { detail } => {
                ("field-malformed", vec![("detail", detail.as_str().into())])
            }
            P::NotCategory => ("field-not-category", vec![]),
            P::NotActiveCategory => ("field-not-active-category", vec![]),
            P::NotActiveCouncil => ("field-not-active-council", vec![]),
            P::NotServiceUnit => ("field-not-service-unit", vec![]),
            P::NotActiveQualification => ("field-not-active-qualification", vec![]),
            P::RequiredWhenAdminPosts => ("field-required-when-admin-posts", vec![]),
            P::RequiredForStaff => ("field-required-for-staff", vec![]),
            P::RequiredForCoordinator => ("field-required-for-coordinator", vec![]),
            P::OnlyStaffHaveUnit => ("field-only-staff-have-unit", vec![]),
            P::OnlyVolunteersChooseCouncil => ("field-only-volunteers-choose-council", vec![]),
            P::Frequency => ("field-frequency", vec![]),
            P::WeeklyOnly => ("field-weekly-only", vec![]),
            P::WeekdayTwice { day } => ("field-weekday-twice", vec![("day", day.as_str().into())]),
            P::BeforeFirstDate => ("field-before-first-date", vec![]),
            P::CountOrUntil => ("field-count-or-until", vec![]),
            P::TooManyOccurrences { max } => ("field-too-many-occurrences", vec![("max", n(*max))]),
            P::CategoryTwice => ("field-category-twice", vec![]),
            P::NotOptedOut => ("field-not-opted-out", vec![]),
            P::MonthStart => ("field-month-start", vec![]),
            P::MonthEnd => ("field-month-end", vec![]),
            P::Period => ("field-period", vec![]),
            P::NotActiveClaim => ("field-not-active-claim", vec![]),
            P::NoEndKnown => ("field-no-end-known", vec![]),
            P::IssueDateRequired => ("field-issue-date-required", vec![]),
            P::IssuedAfterSeen => ("field-issued-after-seen", vec![]),
            P::CertificateTooOld { max } => ("field-certificate-too-old", vec![("max", n(*max))]),
            P::LegalBasis => ("field-legal-basis", vec![]),
            P::TooManyChoices { max } => ("field-too-many-choices", vec![("max", n(*max))]),
            P::NotAChoice => ("field-not-a-choice", vec![]),
            P::RequiredForEmailChange => ("field-required-for-email-change", vec![]),
            P::OptBackInFirst => ("field-opt-back-in-first", vec![]),
            P::NotWholeKroner => ("field-not-whole-kroner", vec![]),
            P::NotHours => ("field-not-hours", vec![]),
            P::KeyReused => ("field-key-reused", vec![]),
            P::OnlyTakersHoldQualifications => ("field-only-takers-hold-qualifications", vec![]),
            P::WeekdaysOnce => ("field-weekdays-once", vec![]),
            P::UnknownCategory => ("field-unknown-category", vec![]),
            P::UnknownQualification => ("field-unknown-qualification", vec![]),
            P::VolunteersRegisterThemselves => ("field-volunteers-register-themselves", vec![]),
            P::NotIntoVolunteer => ("field-not-into-volunteer", vec![]),
            P::VolunteerStaysVolunteer => ("field-volunteer-stays-volunteer", vec![]),
        }
    }
}

/// The English message, as the API writes it.
impl std::fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Language::En))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_reads_in_each_language_with_its_numbers() {
        let long = FieldProblem::TooLong { max: 200 };
        assert_eq!(long.to_string(), "must be at most 200 characters");
        assert_eq!(long.message(Language::Nb), "Kan være høyst 200 tegn.");
        assert_eq!(long.message(Language::Nn), "Kan vere høgst 200 teikn.");
        let range = FieldProblem::Between { min: 1, max: 50 };
        assert_eq!(range.to_string(), "must be from 1 to 50");
        assert_eq!(
            range.message(Language::Nb),
            "Må være et helt tall fra 1 til 50."
        );
    }
}
