//! What a page handler answers: a `Page`, or a `Refusal` its front end draws.

use std::fmt;

use actix_web::body::BoxBody;
use actix_web::cookie::Cookie;
use actix_web::dev::ServiceResponse;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, Responder, ResponseError};
use askama::Template;

use super::http::FormData;
use crate::domain::error::DomainError;
use crate::services::sessions::Stage;

/// The content security policy of every page: nothing but this origin's stylesheet and
/// images, no script at all, no framing.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
                       form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// A response of a front end. Its constructors are the only way to make one, so every
/// HTML page carries the page headers: every page is `no-store` (most show private data,
/// and a shared care PC's back button must not bring any of it back), none may be framed.
pub struct Page(HttpResponse);

/// What a page handler returns.
pub type PageResult = Result<Page, Refusal>;

impl Page {
    /// An HTML page.
    pub fn html(status: StatusCode, html: String) -> Self {
        Self(
            HttpResponse::build(status)
                .content_type("text/html; charset=utf-8")
                .insert_header((header::CONTENT_SECURITY_POLICY, CSP))
                .insert_header((header::REFERRER_POLICY, "same-origin"))
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .insert_header((header::X_FRAME_OPTIONS, "DENY"))
                .body(html),
        )
    }

    /// A template drawn as an HTML page.
    pub fn render(status: StatusCode, page: &impl Template) -> PageResult {
        let html = page.render().map_err(DomainError::internal)?;
        Ok(Self::html(status, html))
    }

    /// `303 See Other` to a path of this service.
    pub fn redirect(to: &str) -> Self {
        Self(
            HttpResponse::SeeOther()
                .insert_header((header::LOCATION, to.to_owned()))
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .finish(),
        )
    }

    /// A file the API's own export made (a CSV), passed through as it is: its headers
    /// (private, never cached, an attachment) are the export's.
    pub fn export(response: HttpResponse) -> Self {
        Self(response)
    }

    /// A signed-out form's page with the cookie its anti-forgery token pairs with, when
    /// one was made for it.
    pub fn with_login_cookie(self, cookie: Option<Cookie<'static>>) -> PageResult {
        match cookie {
            Some(cookie) => self.with_cookie(&cookie),
            None => Ok(self),
        }
    }

    /// The page with a cookie set (or removed).
    pub fn with_cookie(mut self, cookie: &Cookie<'_>) -> PageResult {
        self.0.add_cookie(cookie).map_err(DomainError::internal)?;
        Ok(self)
    }

    pub fn status(&self) -> StatusCode {
        self.0.status()
    }

    pub fn into_response(self) -> HttpResponse {
        self.0
    }
}

impl Responder for Page {
    type Body = BoxBody;

    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        self.0
    }
}

/// Why a request gets no page of its own. The edge's extractors refuse with the first
/// four; a handler's `?` on a `DomainError` gives the last.
pub enum Refusal {
    /// No live session: the sign-in, then back to the page asked for. `expired` when the
    /// browser still sent a session cookie.
    SignedOut { expired: bool },
    /// A sign-in half-way: its second factor still to come.
    Unfinished(Stage),
    /// A form without this session's anti-forgery token: nothing is changed.
    Forged,
    /// A form whose session has ended; what was typed, for the front end to keep.
    Expired(FormData),
    /// A use case's refusal (not found, forbidden, a conflict, a failure).
    Refused(DomainError),
}

impl From<DomainError> for Refusal {
    fn from(e: DomainError) -> Self {
        Self::Refused(e)
    }
}

impl From<crate::db::PoolError> for Refusal {
    fn from(e: crate::db::PoolError) -> Self {
        Self::Refused(e.into())
    }
}

impl fmt::Debug for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SignedOut { expired } => write!(f, "signed out (expired: {expired})"),
            Self::Unfinished(stage) => write!(f, "sign-in unfinished at {stage:?}"),
            Self::Forged => f.write_str("form without its anti-forgery token"),
            // What was typed never reaches a log.
            Self::Expired(_) => f.write_str("form of an ended session"),
            Self::Refused(e) => write!(f, "{e:?}"),
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// Only what a front end that forgot to draw its refusals would send: the status and a
/// line of text. Each front end wraps its scope to draw them as pages.
impl ResponseError for Refusal {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::SignedOut { .. } | Self::Unfinished(_) | Self::Expired(_) => {
                StatusCode::UNAUTHORIZED
            }
            Self::Forged => StatusCode::FORBIDDEN,
            Self::Refused(e) => crate::error::status_of(e.code()),
        }
    }
}

/// The refusal a response was made from, if it was.
pub fn refusal_of(res: &ServiceResponse) -> Option<&Refusal> {
    res.response().error()?.as_error::<Refusal>()
}
