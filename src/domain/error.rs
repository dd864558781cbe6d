//! The one error the use cases answer with: a stable machine code, a detail for people,
//! the invalid fields of a 422, and — for failures nobody asked for — the internal cause,
//! which is logged and never shown. It knows nothing of HTTP: the edge (`crate::error`)
//! maps each code to its status and writes the problem+json body.

use std::fmt;

use super::problem::FieldProblem;
use serde::Serialize;

/// A stable machine-readable error code, as listed in `docs/PRODUCT.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    ValidationFailed,
    MalformedRequest,
    Unauthenticated,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    PayloadTooLarge,
    EmailTaken,
    EmailNotVerified,
    TaskFull,
    TaskNotOpen,
    TaskNotStarted,
    AlreadyClaimed,
    NotClaimant,
    ScheduleConflict,
    CouncilOptedOut,
    /// The task's category requires a qualification the caller has no valid record of.
    QualificationMissing,
    /// A state conflict no more specific code describes (e.g. a lost race on a unique key).
    Conflict,
    PreconditionFailed,
    IdempotencyInProgress,
    RateLimited,
    /// The address is at its ceiling of failed sign-ins from every network together; if
    /// the password was right, the owner was emailed a link that lets this network in.
    /// The same answer whether the password was right or wrong.
    LoginStepUp,
    /// The password was right; the account's second factor is missing.
    OtpRequired,
    /// A second factor is required and the account has none enrolled yet.
    OtpEnrolmentRequired,
    ServiceUnavailable,
    Internal,
}

impl ErrorCode {
    pub const ALL: [Self; 26] = [
        Self::ValidationFailed,
        Self::MalformedRequest,
        Self::Unauthenticated,
        Self::Forbidden,
        Self::NotFound,
        Self::MethodNotAllowed,
        Self::PayloadTooLarge,
        Self::EmailTaken,
        Self::EmailNotVerified,
        Self::TaskFull,
        Self::TaskNotOpen,
        Self::TaskNotStarted,
        Self::AlreadyClaimed,
        Self::NotClaimant,
        Self::ScheduleConflict,
        Self::CouncilOptedOut,
        Self::QualificationMissing,
        Self::Conflict,
        Self::PreconditionFailed,
        Self::IdempotencyInProgress,
        Self::RateLimited,
        Self::LoginStepUp,
        Self::OtpRequired,
        Self::OtpEnrolmentRequired,
        Self::ServiceUnavailable,
        Self::Internal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ValidationFailed => "validation_failed",
            Self::MalformedRequest => "malformed_request",
            Self::Unauthenticated => "unauthenticated",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::PayloadTooLarge => "payload_too_large",
            Self::EmailTaken => "email_taken",
            Self::EmailNotVerified => "email_not_verified",
            Self::TaskFull => "task_full",
            Self::TaskNotOpen => "task_not_open",
            Self::TaskNotStarted => "task_not_started",
            Self::AlreadyClaimed => "already_claimed",
            Self::NotClaimant => "not_claimant",
            Self::ScheduleConflict => "schedule_conflict",
            Self::CouncilOptedOut => "council_opted_out",
            Self::QualificationMissing => "qualification_missing",
            Self::Conflict => "conflict",
            Self::PreconditionFailed => "precondition_failed",
            Self::IdempotencyInProgress => "idempotency_in_progress",
            Self::RateLimited => "rate_limited",
            Self::LoginStepUp => "login_step_up",
            Self::OtpRequired => "otp_required",
            Self::OtpEnrolmentRequired => "otp_enrolment_required",
            Self::ServiceUnavailable => "service_unavailable",
            Self::Internal => "internal",
        }
    }

    /// Whether the caller got something wrong (as opposed to the service failing).
    pub fn is_callers(self) -> bool {
        !matches!(self, Self::ServiceUnavailable | Self::Internal)
    }
}

/// One invalid field of a 422 answer: which, and why. The API writes the problem in
/// English as `message`; the console in the page's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub problem: FieldProblem,
}

impl FieldError {
    pub fn new(field: impl Into<String>, problem: FieldProblem) -> Self {
        Self {
            field: field.into(),
            problem,
        }
    }
}

impl Serialize for FieldError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("FieldError", 2)?;
        s.serialize_field("field", &self.field)?;
        s.serialize_field("message", &self.problem.to_string())?;
        s.end()
    }
}

/// A refused or failed use case. Build it with the constructors; attach the internal
/// cause of a failure with [`DomainError::internal`] or [`DomainError::unavailable`].
/// Boxed so that `Result<T, DomainError>` stays small.
pub struct DomainError(Box<Inner>);

struct Inner {
    code: ErrorCode,
    detail: String,
    errors: Vec<FieldError>,
    retry_after_secs: Option<u64>,
    extra: serde_json::Map<String, serde_json::Value>,
    cause: Option<anyhow::Error>,
}

impl DomainError {
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
        Self(Box::new(Inner {
            code,
            detail: detail.into(),
            errors: Vec::new(),
            retry_after_secs: None,
            extra: serde_json::Map::new(),
            cause: None,
        }))
    }

    pub fn malformed(detail: impl Into<String>) -> Self {
        Self::new(ErrorCode::MalformedRequest, detail)
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotFound, detail)
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(ErrorCode::Forbidden, detail)
    }

    /// A 422 listing every invalid field.
    pub fn validation(errors: Vec<FieldError>) -> Self {
        let detail = match errors.as_slice() {
            [one] => format!("{}: {}", one.field, one.problem),
            _ => format!("{} fields are invalid", errors.len()),
        };
        let mut e = Self::new(ErrorCode::ValidationFailed, detail);
        e.0.errors = errors;
        e
    }

    /// A 422 for a single field.
    pub fn invalid_field(field: impl Into<String>, problem: FieldProblem) -> Self {
        Self::validation(vec![FieldError::new(field, problem)])
    }

    /// The database cannot be reached or is overloaded: the caller should try again soon.
    pub fn unavailable(cause: impl Into<anyhow::Error>) -> Self {
        let mut e = Self::new(
            ErrorCode::ServiceUnavailable,
            "the service cannot reach its database right now; try again shortly",
        );
        e.0.retry_after_secs = Some(5);
        e.0.cause = Some(cause.into());
        e
    }

    /// An unexpected failure: the cause is logged, the caller sees only the request id.
    pub fn internal(cause: impl Into<anyhow::Error>) -> Self {
        let mut e = Self::new(
            ErrorCode::Internal,
            "an unexpected error occurred; it has been logged",
        );
        e.0.cause = Some(cause.into());
        e
    }

    pub fn with_retry_after(mut self, secs: u64) -> Self {
        self.0.retry_after_secs = Some(secs.max(1));
        self
    }

    /// Adds a member to the problem body (e.g. `conflicting_task_id`).
    pub fn with_extra(mut self, key: &str, value: serde_json::Value) -> Self {
        self.0.extra.insert(key.to_owned(), value);
        self
    }

    pub fn code(&self) -> ErrorCode {
        self.0.code
    }

    pub fn detail(&self) -> &str {
        &self.0.detail
    }

    pub fn field_errors(&self) -> &[FieldError] {
        &self.0.errors
    }

    pub fn retry_after_secs(&self) -> Option<u64> {
        self.0.retry_after_secs
    }

    pub fn extra(&self) -> &serde_json::Map<String, serde_json::Value> {
        &self.0.extra
    }

    pub fn cause(&self) -> Option<&anyhow::Error> {
        self.0.cause.as_ref()
    }

    /// Whether this is a 422 naming `field`.
    pub fn is_field_error(&self, field: &str) -> bool {
        self.0.errors.iter().any(|e| e.field == field)
    }

    /// The detail and every field error, on one line each (for the command line).
    pub fn describe(&self) -> String {
        let mut out = self.0.detail.clone();
        for e in &self.0.errors {
            out.push_str(&format!("\n  {}: {}", e.field, e.problem));
        }
        out
    }
}

impl fmt::Debug for DomainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.0;
        write!(f, "{}: {}", p.code.as_str(), p.detail)?;
        if let Some(cause) = &p.cause {
            write!(f, "\ncaused by: {cause:?}")?;
        }
        Ok(())
    }
}

impl fmt::Display for DomainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.detail)
    }
}

impl std::error::Error for DomainError {}

/// Shorthand for use-case results.
pub type DomainResult<T> = Result<T, DomainError>;
