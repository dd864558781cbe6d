//! The HTTP edge's error: every error the service answers with is an RFC 9457
//! `application/problem+json` body carrying a stable `code` and the request id. Use cases
//! refuse with a [`DomainError`]; here it becomes a status and a body. The extractor
//! errors of actix (bad JSON, query, path) are configured here to answer the same way.
//!
//! Internal causes (database, I/O) stay in the server's log, logged once with the request
//! id when the response is built; a 5xx body never carries them.

use std::fmt;

use actix_web::error::{PathError, QueryPayloadError};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError, web};
use serde::Serialize;

pub use crate::domain::error::{DomainError, ErrorCode, FieldError};
use crate::request_id;

/// The largest request body accepted, for JSON and anything else.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// The HTTP status each code is always answered with.
pub fn status_of(code: ErrorCode) -> StatusCode {
    use ErrorCode as C;
    match code {
        C::ValidationFailed => StatusCode::UNPROCESSABLE_ENTITY,
        C::MalformedRequest => StatusCode::BAD_REQUEST,
        C::Unauthenticated | C::OtpRequired => StatusCode::UNAUTHORIZED,
        C::Forbidden
        | C::EmailNotVerified
        | C::NotClaimant
        | C::OtpEnrolmentRequired
        | C::QualificationMissing => StatusCode::FORBIDDEN,
        C::NotFound => StatusCode::NOT_FOUND,
        C::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        C::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        C::EmailTaken
        | C::TaskFull
        | C::TaskNotOpen
        | C::TaskNotStarted
        | C::AlreadyClaimed
        | C::ScheduleConflict
        | C::CouncilOptedOut
        | C::Conflict
        | C::IdempotencyInProgress => StatusCode::CONFLICT,
        C::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
        C::RateLimited | C::LoginStepUp => StatusCode::TOO_MANY_REQUESTS,
        C::ServiceUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        C::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn title_of(code: ErrorCode) -> &'static str {
    use ErrorCode as C;
    match code {
        C::ValidationFailed => "The request is invalid",
        C::MalformedRequest => "The request could not be read",
        C::Unauthenticated => "Authentication is required",
        C::Forbidden => "Not allowed",
        C::NotFound => "Not found",
        C::MethodNotAllowed => "Method not allowed",
        C::PayloadTooLarge => "The request body is too large",
        C::EmailTaken => "The email address is already registered",
        C::EmailNotVerified => "The email address is not verified",
        C::TaskFull => "The task has no free spots",
        C::TaskNotOpen => "The task does not take claims",
        C::TaskNotStarted => "The task has not started",
        C::AlreadyClaimed => "You have already claimed this task",
        C::NotClaimant => "You hold no active claim on this task",
        C::ScheduleConflict => "The task overlaps another of your claims",
        C::CouncilOptedOut => "The council has opted out of this category",
        C::QualificationMissing => "A qualification this category requires is missing",
        C::Conflict => "The request conflicts with the current state",
        C::PreconditionFailed => "The resource has changed",
        C::IdempotencyInProgress => "The first request with this key is still running",
        C::RateLimited => "Too many requests",
        C::LoginStepUp => "Too many failed sign-ins for this account",
        C::OtpRequired => "A code from the authenticator app is required",
        C::OtpEnrolmentRequired => "An authenticator app must be enrolled first",
        C::ServiceUnavailable => "The service is temporarily unavailable",
        C::Internal => "Internal error",
    }
}

/// An error answered to a client: a use case's [`DomainError`], and for a 405 the
/// methods the resource allows.
pub struct ApiError {
    inner: DomainError,
    allow: Option<String>,
}

impl From<DomainError> for ApiError {
    fn from(inner: DomainError) -> Self {
        Self { inner, allow: None }
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        DomainError::from(e).into()
    }
}

impl From<crate::db::PoolError> for ApiError {
    fn from(e: crate::db::PoolError) -> Self {
        DomainError::from(e).into()
    }
}

impl ApiError {
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
        DomainError::new(code, detail).into()
    }

    /// The use case's refusal this answer carries (for a web page that calls an API
    /// handler to pass its file through).
    pub fn into_domain(self) -> DomainError {
        self.inner
    }

    pub fn malformed(detail: impl Into<String>) -> Self {
        DomainError::malformed(detail).into()
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        DomainError::not_found(detail).into()
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        DomainError::forbidden(detail).into()
    }

    pub fn validation(errors: Vec<FieldError>) -> Self {
        DomainError::validation(errors).into()
    }

    pub fn invalid_field(
        field: impl Into<String>,
        problem: crate::domain::problem::FieldProblem,
    ) -> Self {
        DomainError::invalid_field(field, problem).into()
    }

    pub fn internal(cause: impl Into<anyhow::Error>) -> Self {
        DomainError::internal(cause).into()
    }

    pub fn method_not_allowed(allow: String) -> Self {
        let detail = format!("this resource supports {allow}");
        Self {
            inner: DomainError::new(ErrorCode::MethodNotAllowed, detail),
            allow: Some(allow),
        }
    }

    pub fn code(&self) -> ErrorCode {
        self.inner.code()
    }

    pub fn status(&self) -> StatusCode {
        status_of(self.inner.code())
    }

    /// Whether this is a 422 naming `field`.
    pub fn is_field_error(&self, field: &str) -> bool {
        self.inner.is_field_error(field)
    }

    /// The problem body as JSON (for storing an answer to replay it later).
    pub fn body_json(&self) -> serde_json::Value {
        serde_json::to_value(self.body(request_id::current())).unwrap_or_default()
    }

    fn body(&self, request_id: String) -> ProblemBody<'_> {
        let e = &self.inner;
        ProblemBody {
            kind: format!("urn:dugnad:problem:{}", e.code().as_str()),
            title: title_of(e.code()),
            status: status_of(e.code()).as_u16(),
            detail: e.detail(),
            code: e.code().as_str(),
            request_id,
            errors: e.field_errors(),
            extra: e.extra(),
        }
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {:?}", self.status(), self.inner)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.inner, f)
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

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    fn error_response(&self) -> HttpResponse {
        let request_id = request_id::current();
        let status = self.status();
        let code = self.inner.code();
        if status.is_server_error() {
            // The one place a failure answered to a client is logged.
            match self.inner.cause() {
                Some(cause) => tracing::error!(
                    request_id = %request_id,
                    error.code = code.as_str(),
                    error.cause = ?cause,
                    "request failed"
                ),
                None => {
                    tracing::error!(request_id = %request_id, error.code = code.as_str(), "request failed")
                }
            }
        }
        let mut response = HttpResponse::build(status);
        response.insert_header((header::CONTENT_TYPE, PROBLEM_JSON));
        response.insert_header((header::CACHE_CONTROL, "no-store"));
        if code == ErrorCode::Unauthenticated {
            // RFC 6750 § 3: a 401 names the scheme the client must use.
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"dugnad\""));
        }
        if let Some(secs) = self.inner.retry_after_secs() {
            response.insert_header((header::RETRY_AFTER, secs.to_string()));
        }
        if let Some(allow) = &self.allow
            && let Ok(value) = HeaderValue::from_str(allow)
        {
            response.insert_header((header::ALLOW, value));
        }
        match serde_json::to_vec(&self.body(request_id)) {
            Ok(bytes) => response.body(bytes),
            Err(_) => response.body(r#"{"title":"Internal error","status":500,"code":"internal"}"#),
        }
    }
}

/// The answer to a body over [`MAX_BODY_BYTES`].
pub fn payload_too_large() -> ApiError {
    ApiError::new(
        ErrorCode::PayloadTooLarge,
        format!("request bodies are limited to {MAX_BODY_BYTES} bytes"),
    )
}

/// Query strings that cannot be read answer 400 problem+json.
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _req| {
        let message = match &err {
            QueryPayloadError::Deserialize(e) => e.to_string(),
            other => other.to_string(),
        };
        ApiError::malformed(format!("the query string is invalid: {message}")).into()
    })
}

/// A path segment that cannot be an id cannot name a resource: 404 problem+json.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err: PathError, _req| {
        ApiError::not_found(format!("no such resource ({err})")).into()
    })
}

/// Shorthand for handler results.
pub type ApiResult<T> = Result<T, ApiError>;
