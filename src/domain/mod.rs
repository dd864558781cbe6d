//! Pure types and rules of the domain, with no I/O.

/// The language a person reads in; the catalogue owns the list.
pub use crate::catalogue::Language;

/// A single-line text field (titles, names, phone numbers, area hints): no line breaks or
/// other control characters anywhere in what was sent (they would let a value forge extra
/// lines in emails, CSV files and logs), then trimmed, at most `max` characters.
/// `openapi.yaml` says the same with the pattern of its one-line fields.
pub fn check_line(raw: &str, max: usize) -> Result<String, problem::FieldProblem> {
    if raw
        .chars()
        .any(|c| c.is_control() || c == '\u{2028}' || c == '\u{2029}')
    {
        return Err(problem::FieldProblem::NotOneLine);
    }
    let s = raw.trim();
    if s.chars().count() > max {
        return Err(problem::FieldProblem::TooLong { max });
    }
    Ok(s.to_owned())
}

/// A text of several lines (descriptions, notes, reasons): tabs and line breaks are kept,
/// other control characters are refused (`openapi.yaml`'s multi-line pattern); trimmed, at
/// most `max` characters.
pub fn check_text(raw: &str, max: usize) -> Result<String, problem::FieldProblem> {
    if raw
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        return Err(problem::FieldProblem::ControlCharacters);
    }
    if raw.chars().count() > max {
        return Err(problem::FieldProblem::TooLong { max });
    }
    Ok(raw.trim().to_owned())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_line_refuses_line_breaks_and_control_characters() {
        for bad in ["a\nb", "a\rb", "a\u{2028}b", "a\u{0007}b", "a\tb"] {
            assert!(super::check_line(bad, 100).is_err(), "{bad:?}");
        }
        assert_eq!(
            super::check_line("  Ruth Hansen ", 100).as_deref(),
            Ok("Ruth Hansen")
        );
        assert!(super::check_line("abc", 2).is_err());
    }

    #[test]
    fn a_text_keeps_tabs_and_line_breaks_and_refuses_other_control_characters() {
        assert_eq!(
            super::check_text(" Ring på.\r\n\tAndre dør. ", 100).as_deref(),
            Ok("Ring på.\r\n\tAndre dør.")
        );
        for bad in ["a\u{0}b", "a\u{0007}b", "a\u{1b}[31m", "a\u{85}b"] {
            assert!(super::check_text(bad, 100).is_err(), "{bad:?}");
        }
        assert!(super::check_line("\ntitle", 100).is_err());
    }
}

pub mod account;
pub mod error;
pub mod follow;
pub mod funding;
pub mod ids;
pub mod notification;
pub mod problem;
pub mod push;
pub mod qualification;
pub mod recurrence;
pub mod report;
pub mod task;
pub mod time;
pub mod written;
