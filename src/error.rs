//! The HTTP edge's single error type: every error the service answers with is an RFC 9457
//! `application/problem+json` body carrying a stable `code` and the request id.
//!
//! Internal causes (database, I/O) stay in the server's log, logged once with the request
//! id when the response is built; a 5xx body never carries them.

use std::fmt;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

use crate::request_id;

/// A stable machine-readable error code, as listed in PRODUCT.md.
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
    /// A state conflict no more specific code describes (e.g. a lost race on a unique key).
    Conflict,
    PreconditionFailed,
    IdempotencyInProgress,
    RateLimited,
    ServiceUnavailable,
    Internal,
}

impl ErrorCode {
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
            Self::Conflict => "conflict",
            Self::PreconditionFailed => "precondition_failed",
            Self::IdempotencyInProgress => "idempotency_in_progress",
            Self::RateLimited => "rate_limited",
            Self::ServiceUnavailable => "service_unavailable",
            Self::Internal => "internal",
        }
    }

    /// The HTTP status each code is always answered with.
    pub fn status(self) -> StatusCode {
        match self {
            Self::ValidationFailed => StatusCode::UNPROCESSABLE_ENTITY,
            Self::MalformedRequest => StatusCode::BAD_REQUEST,
            Self::Unauthenticated => StatusCode::UNAUTHORIZED,
            Self::Forbidden | Self::EmailNotVerified | Self::NotClaimant => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::EmailTaken
            | Self::TaskFull
            | Self::TaskNotOpen
            | Self::TaskNotStarted
            | Self::AlreadyClaimed
            | Self::ScheduleConflict
            | Self::CouncilOptedOut
            | Self::Conflict
            | Self::IdempotencyInProgress => StatusCode::CONFLICT,
            Self::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            Self::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Self::ServiceUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn title(self) -> &'static str {
        match self {
            Self::ValidationFailed => "The request is invalid",
            Self::MalformedRequest => "The request could not be read",
            Self::Unauthenticated => "Authentication is required",
            Self::Forbidden => "Not allowed",
            Self::NotFound => "Not found",
            Self::MethodNotAllowed => "Method not allowed",
            Self::PayloadTooLarge => "The request body is too large",
            Self::EmailTaken => "The email address is already registered",
            Self::EmailNotVerified => "The email address is not verified",
            Self::TaskFull => "The task has no free spots",
            Self::TaskNotOpen => "The task does not take claims",
            Self::TaskNotStarted => "The task has not started",
            Self::AlreadyClaimed => "You have already claimed this task",
            Self::NotClaimant => "You hold no active claim on this task",
            Self::ScheduleConflict => "The task overlaps another of your claims",
            Self::CouncilOptedOut => "The council has opted out of this category",
            Self::Conflict => "The request conflicts with the current state",
            Self::PreconditionFailed => "The resource has changed",
            Self::IdempotencyInProgress => "The first request with this key is still running",
            Self::RateLimited => "Too many requests",
            Self::ServiceUnavailable => "The service is temporarily unavailable",
            Self::Internal => "Internal error",
        }
    }
}

/// One invalid field of a 422 answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// An error answered to a client. Build it with the constructors; attach the internal
/// cause of a 5xx with [`ApiError::internal`] or the `From` conversions. Boxed so that
/// `Result<T, ApiError>` stays small.
pub struct ApiError(Box<Problem>);

struct Problem {
    code: ErrorCode,
    detail: String,
    errors: Vec<FieldError>,
    retry_after_secs: Option<u64>,
    allow: Option<String>,
    extra: serde_json::Map<String, serde_json::Value>,
    cause: Option<anyhow::Error>,
}

impl ApiError {
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
        Self(Box::new(Problem {
            code,
            detail: detail.into(),
            errors: Vec::new(),
            retry_after_secs: None,
            allow: None,
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
            [one] => format!("{}: {}", one.field, one.message),
            _ => format!("{} fields are invalid", errors.len()),
        };
        let mut e = Self::new(ErrorCode::ValidationFailed, detail);
        e.0.errors = errors;
        e
    }

    /// A 422 for a single field.
    pub fn invalid_field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::validation(vec![FieldError {
            field: field.into(),
            message: message.into(),
        }])
    }

    pub fn method_not_allowed(allow: String) -> Self {
        let detail = format!("this resource supports {allow}");
        let mut e = Self::new(ErrorCode::MethodNotAllowed, detail);
        e.0.allow = Some(allow);
        e
    }

    /// The database cannot be reached or is overloaded: the client should try again soon.
    pub fn unavailable(cause: impl Into<anyhow::Error>) -> Self {
        let mut e = Self::new(
            ErrorCode::ServiceUnavailable,
            "the service cannot reach its database right now; try again shortly",
        );
        e.0.retry_after_secs = Some(5);
        e.0.cause = Some(cause.into());
        e
    }

    /// An unexpected failure: the cause is logged, the client sees only the request id.
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

    /// Whether this is a 422 naming `field`.
    pub fn is_field_error(&self, field: &str) -> bool {
        self.0.errors.iter().any(|e| e.field == field)
    }

    /// The detail and every field error, on one line each (for the command line).
    pub fn describe(&self) -> String {
        let mut out = self.0.detail.clone();
        for e in &self.0.errors {
            out.push_str(&format!("\n  {}: {}", e.field, e.message));
        }
        out
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.0;
        write!(f, "{} ({}): {}", p.code.as_str(), p.code.status(), p.detail)?;
        if let Some(cause) = &p.cause {
            write!(f, "\ncaused by: {cause:?}")?;
        }
        Ok(())
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.detail)
    }
}

impl std::error::Error for ApiError {}

#[derive(Serialize)]
struct ProblemBody<'a> {
    #[serde(rename = "type")]
    kind: String,
    title: &'a str,
    status: u16,
    detail: &'a str,
    code: &'a str,
    request_id: String,
    #[serde(skip_serializing_if = "<[FieldError]>::is_empty")]
    errors: &'a [FieldError],
    #[serde(flatten)]
    extra: &'a serde_json::Map<String, serde_json::Value>,
}

pub const PROBLEM_JSON: &str = "application/problem+json";

impl ApiError {
    /// The problem body as JSON (for storing an answer to replay it later).
    pub fn body_json(&self) -> serde_json::Value {
        let p = &self.0;
        let body = ProblemBody {
            kind: format!("urn:dugnad:problem:{}", p.code.as_str()),
            title: p.code.title(),
            status: p.code.status().as_u16(),
            detail: &p.detail,
            code: p.code.as_str(),
            request_id: request_id::current(),
            errors: &p.errors,
            extra: &p.extra,
        };
        serde_json::to_value(&body).unwrap_or_default()
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.0.code.status()
    }

    fn error_response(&self) -> HttpResponse {
        let p = &self.0;
        let request_id = request_id::current();
        let status = p.code.status();
        if status.is_server_error() {
            // The one place a failure answered to a client is logged.
            match &p.cause {
                Some(cause) => tracing::error!(
                    request_id = %request_id,
                    error.code = p.code.as_str(),
                    error.cause = ?cause,
                    "request failed"
                ),
                None => {
                    tracing::error!(request_id = %request_id, error.code = p.code.as_str(), "request failed")
                }
            }
        }
        let body = ProblemBody {
            kind: format!("urn:dugnad:problem:{}", p.code.as_str()),
            title: p.code.title(),
            status: status.as_u16(),
            detail: &p.detail,
            code: p.code.as_str(),
            request_id: request_id.clone(),
            errors: &p.errors,
            extra: &p.extra,
        };
        let mut response = HttpResponse::build(status);
        response.insert_header((header::CONTENT_TYPE, PROBLEM_JSON));
        response.insert_header((header::CACHE_CONTROL, "no-store"));
        if p.code == ErrorCode::Unauthenticated {
            // RFC 6750 § 3: a 401 names the scheme the client must use.
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"dugnad\""));
        }
        if let Some(secs) = p.retry_after_secs {
            response.insert_header((header::RETRY_AFTER, secs.to_string()));
        }
        if let Some(allow) = &p.allow
            && let Ok(value) = HeaderValue::from_str(allow)
        {
            response.insert_header((header::ALLOW, value));
        }
        match serde_json::to_vec(&body) {
            Ok(bytes) => response.body(bytes),
            Err(_) => response.body(r#"{"title":"Internal error","status":500,"code":"internal"}"#),
        }
    }
}

impl From<crate::db::PoolError> for ApiError {
    fn from(e: crate::db::PoolError) -> Self {
        Self::unavailable(e)
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match &e {
            Error::NotFound => Self::not_found("no such resource"),
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => Self::unavailable(e),
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                // A racing insert that lost: a conflict for the client, never a 5xx.
                Self::new(ErrorCode::Conflict, "a conflicting record already exists")
            }
            Error::DatabaseError(DatabaseErrorKind::Unknown, info)
                if info.message().contains("statement timeout") =>
            {
                Self::unavailable(e)
            }
            _ if lost_connection(&e) => Self::unavailable(e),
            _ => Self::internal(e),
        }
    }
}

/// Whether an error means the database went away under the request (restarted, backend
/// terminated, connection dropped), so the answer is a 503 to retry, not a 500. A commit
/// that failed this way is ambiguous; a retry with the same Idempotency-Key settles it.
fn lost_connection(e: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    const SIGNS: &[&str] = &[
        "connection closed",
        "terminating connection",
        "server closed the connection",
        "the database system is shutting down",
        "the database system is starting up",
        "the database system is in recovery mode",
        "connection reset",
        "broken pipe",
        "unexpected EOF",
        "error communicating with the server",
    ];
    match e {
        Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => true,
        Error::DatabaseError(_, info) => SIGNS.iter().any(|s| info.message().contains(s)),
        Error::BrokenTransactionManager => true,
        Error::RollbackErrorOnCommit { commit_error, .. } => lost_connection(commit_error),
        _ => false,
    }
}

/// The largest request body accepted, for JSON and anything else.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// The answer to a body over [`MAX_BODY_BYTES`].
pub fn payload_too_large() -> ApiError {
    ApiError::new(
        ErrorCode::PayloadTooLarge,
        format!("request bodies are limited to {MAX_BODY_BYTES} bytes"),
    )
}

/// Shorthand for handler results.
pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use diesel::result::{DatabaseErrorKind, Error};

    use super::*;

    fn database_error(message: &str) -> Error {
        Error::DatabaseError(DatabaseErrorKind::Unknown, Box::new(message.to_owned()))
    }

    #[test]
    fn a_database_that_went_away_is_a_503_and_a_real_fault_a_500() {
        for gone in [
            "connection closed",
            "terminating connection due to administrator command",
            "the database system is shutting down",
        ] {
            assert_eq!(
                ApiError::from(database_error(gone)).code(),
                ErrorCode::ServiceUnavailable,
                "{gone}"
            );
        }
        assert_eq!(
            ApiError::from(Error::BrokenTransactionManager).code(),
            ErrorCode::ServiceUnavailable
        );
        assert_eq!(
            ApiError::from(database_error("column \"x\" does not exist")).code(),
            ErrorCode::Internal
        );
    }
}
