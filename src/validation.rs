//! Collects every invalid field of a request so a 422 names them all at once.

use crate::domain::error::{DomainError, FieldError};
use crate::domain::problem::FieldProblem;

#[derive(Debug, Default)]
pub struct Validator {
    errors: Vec<FieldError>,
}

impl Validator {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps the value of `result`, or records its problem against `field`.
    pub fn check<T>(&mut self, field: &str, result: Result<T, FieldProblem>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(problem) => {
                self.error(field, problem);
                None
            }
        }
    }

    pub fn error(&mut self, field: &str, problem: FieldProblem) {
        self.errors.push(FieldError::new(field, problem));
    }

    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// 422 with every recorded field, or `Ok`.
    pub fn finish(self) -> Result<(), DomainError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(DomainError::validation(self.errors))
        }
    }
}

/// A display name: 1–100 characters after trimming.
pub fn name(raw: &str) -> Result<String, FieldProblem> {
    let s = crate::domain::check_line(raw, 100)?;
    if s.is_empty() {
        return Err(FieldProblem::Empty);
    }
    Ok(s)
}

/// A reference item's slug: lower-case letters and digits in parts joined by single
/// hyphens, at most 64 characters.
pub fn slug(raw: &str) -> Result<String, FieldProblem> {
    let s = raw.trim();
    let ok = !s.is_empty()
        && s.len() <= 64
        && s.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        });
    if ok {
        Ok(s.to_owned())
    } else {
        Err(FieldProblem::NotSlug)
    }
}

/// A phone number: one line of free text up to 32 characters; empty means none.
pub fn phone(raw: &str) -> Result<Option<String>, FieldProblem> {
    let s = crate::domain::check_line(raw, 32)?;
    Ok((!s.is_empty()).then_some(s))
}

/// Deserializes a field that distinguishes absent (`None`) from `null` (`Some(None)`).
pub fn double_option<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    serde::Deserialize::deserialize(deserializer).map(Some)
}

/// Deserializes an optional field that may be absent but not `null`.
pub fn non_null<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

/// The `clear` list of a PATCH: the nullable fields to set to null, for clients whose
/// generated models drop a `null` they were given (Swift's and Kotlin's do). Each name once,
/// each one of `allowed`, and none that the same body also gives a value.
pub struct Clear {
    names: Vec<String>,
}

impl Clear {
    pub fn new(clear: Option<Vec<String>>, allowed: &[&str]) -> Result<Self, DomainError> {
        let names = clear.unwrap_or_default();
        for (i, name) in names.iter().enumerate() {
            if !allowed.contains(&name.as_str()) {
                return Err(DomainError::invalid_field(
                    format!("clear[{i}]"),
                    FieldProblem::OneOf {
                        choices: allowed.join(", "),
                    },
                ));
            }
            if names[..i].contains(name) {
                return Err(DomainError::invalid_field(
                    format!("clear[{i}]"),
                    FieldProblem::NamedTwice,
                ));
            }
        }
        Ok(Self { names })
    }

    /// Sets `field` to null when `clear` names it; a value given beside it is a 422.
    pub fn apply<T>(&self, name: &str, field: &mut Option<Option<T>>) -> Result<(), DomainError> {
        if !self.names.iter().any(|n| n == name) {
            return Ok(());
        }
        if matches!(field, Some(Some(_))) {
            return Err(DomainError::invalid_field(
                name,
                FieldProblem::GivenAndCleared,
            ));
        }
        *field = Some(None);
        Ok(())
    }
}

/// An integer field of a request body. JSON Schema counts `2.0` as an integer, and so do
/// clients whose numbers are all doubles (JavaScript, some Swift encoders), so a whole
/// float is accepted; `2.5` is refused with the same message as any wrong type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WholeNumber(pub i32);

impl From<WholeNumber> for i32 {
    fn from(n: WholeNumber) -> Self {
        n.0
    }
}

impl<'de> serde::Deserialize<'de> for WholeNumber {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let number = serde_json::Number::deserialize(deserializer)?;
        let whole = number
            .as_i64()
            .or_else(|| {
                number
                    .as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 1e15)
                    .map(|f| f as i64)
            })
            .ok_or_else(|| {
                D::Error::custom(format!("invalid type: {number}, expected a whole number"))
            })?;
        i32::try_from(whole)
            .map(Self)
            .map_err(|_| D::Error::custom(format!("{whole} is out of range")))
    }
}

#[cfg(test)]
mod tests {
    use super::WholeNumber;

    #[test]
    fn whole_floats_are_integers_and_fractions_are_not() {
        let parse = |s: &str| serde_json::from_str::<WholeNumber>(s).map(i32::from);
        assert_eq!(parse("2").ok(), Some(2));
        assert_eq!(parse("2.0").ok(), Some(2));
        assert_eq!(parse("-3.0").ok(), Some(-3));
        assert!(parse("2.5").is_err());
        assert!(parse("\"2\"").is_err());
        assert!(parse("1e300").is_err());
        assert!(parse("3000000000").is_err());
    }
}
