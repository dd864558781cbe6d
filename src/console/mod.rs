//! The web console under `/console`: server-rendered pages for staff (and, on the same
//! sign-in, coordinators and admins), calling the use cases directly — never the JSON
//! API. No JavaScript: every page is a form or a link. Its rules are in
//! `docs/PRODUCT.md` ("The web console").

mod account;
mod council;
mod funding;
mod http;
mod i18n;
mod outbox;
mod reference;
mod report;
mod series;
mod task_fields;
mod tasks;
mod users;
mod views;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::domain::account::Role;
use crate::domain::error::{DomainError, ErrorCode};
use crate::routes::state::AppState;
use crate::services::sessions::{Session, Stage};

pub use http::{CSP, session_cookie_name};
use i18n::Lang;
use views::{Frame, Message, NavItem};

/// The console's routes, to be mounted on the app.
pub fn scope() -> actix_web::Scope {
    web::scope("/console")
        .route("", web::get().to(account::home))
        .route("/", web::get().to(account::home))
        .route("/login", web::get().to(account::login_form))
        .route("/login", web::post().to(account::login))
        .route("/login/code", web::get().to(account::code_form))
        .route("/login/code", web::post().to(account::code))
        .route("/resume/{id}", web::get().to(account::resume))
        .route("/login/forgot", web::get().to(account::forgot_form))
        .route("/login/forgot", web::post().to(account::forgot))
        .route(
            "/account/password",
            web::post().to(account::change_password),
        )
        .route("/logout", web::post().to(account::logout))
        .route("/language", web::get().to(account::language))
        .route("/accessibility", web::get().to(account::accessibility))
        .route("/account", web::get().to(account::account))
        .route("/account/2fa", web::get().to(account::enrol_form))
        .route("/account/2fa", web::post().to(account::enrol))
        .route("/static/console.css", web::get().to(stylesheet))
        .route("/tasks", web::get().to(tasks::list))
        .route("/tasks/new", web::get().to(tasks::new_form))
        .route("/tasks/new", web::post().to(tasks::create))
        .route("/tasks/{id}", web::get().to(tasks::show))
        .route("/tasks/{id}/edit", web::get().to(tasks::edit_form))
        .route("/tasks/{id}/edit", web::post().to(tasks::update))
        .route("/tasks/{id}/cancel", web::post().to(tasks::cancel))
        .route("/tasks/{id}/complete", web::post().to(tasks::complete))
        .route("/tasks/{id}/invite", web::post().to(tasks::invite))
        .route("/series/{id}", web::get().to(series::show))
        .route("/series/{id}/cancel", web::post().to(series::cancel))
        .route("/report", web::get().to(report::show))
        .route("/council", web::get().to(council::show))
        .route("/council/opt-out", web::post().to(council::opt_out))
        .route("/council/opt-in", web::post().to(council::opt_in))
        .route("/council/review", web::post().to(council::review))
        .route("/council/overview", web::get().to(council::overview))
        .route("/users", web::get().to(users::list))
        .route("/users", web::post().to(users::create))
        .route("/users/{id}", web::get().to(users::show))
        .route("/users/{id}", web::post().to(users::update))
        .route("/users/{id}/deactivate", web::post().to(users::deactivate))
        .route("/users/{id}/activate", web::post().to(users::activate))
        .route("/users/{id}/resend", web::post().to(users::resend))
        .route(
            "/users/{id}/qualifications",
            web::post().to(users::record_qualification),
        )
        .route(
            "/users/{id}/qualifications/{record}/revoke",
            web::post().to(users::revoke_qualification),
        )
        .route("/reference", web::get().to(reference::show))
        .route(
            "/reference/councils",
            web::post().to(reference::create_council),
        )
        .route(
            "/reference/councils/{id}",
            web::post().to(reference::update_council),
        )
        .route(
            "/reference/categories",
            web::post().to(reference::create_category),
        )
        .route(
            "/reference/categories/{id}",
            web::post().to(reference::update_category),
        )
        .route(
            "/reference/qualifications",
            web::post().to(reference::create_qualification),
        )
        .route(
            "/reference/qualifications/{id}",
            web::post().to(reference::update_qualification),
        )
        .route("/reference/units", web::post().to(reference::create_unit))
        .route(
            "/reference/units/{id}",
            web::post().to(reference::update_unit),
        )
        .route("/outbox", web::get().to(outbox::show))
        .route("/outbox/{id}/retry", web::post().to(outbox::retry))
        .route("/funding", web::get().to(funding::show))
        .route("/funding.csv", web::get().to(funding::csv))
        .route("/funding/residents", web::post().to(funding::residents))
        .route("/funding/parameters", web::post().to(funding::parameters))
        .default_service(web::to(not_found))
}

const STYLESHEET: &str = include_str!("../../static/console.css");

async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=86400"))
        .body(STYLESHEET)
}

async fn not_found(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    finish(
        &req,
        &state,
        Err(DomainError::not_found("no such console page")),
    )
}

/// What a page handler returns: a response, or a refusal to show as an error page.
type PageResult = Result<HttpResponse, DomainError>;

/// Turns a handler's refusal into an error page in the reader's language.
fn finish(req: &HttpRequest, state: &AppState, result: PageResult) -> HttpResponse {
    let err = match result {
        Ok(response) => return response,
        Err(err) => err,
    };
    let lang = http::lang(req);
    let (status, title, text) = match err.code() {
        ErrorCode::NotFound => (
            StatusCode::NOT_FOUND,
            lang.t("console-page-not-found"),
            lang.t("console-page-does-not-exist"),
        ),
        ErrorCode::Forbidden => (
            StatusCode::FORBIDDEN,
            lang.t("console-not-allowed"),
            lang.t("console-may-not-see-page"),
        ),
        ErrorCode::RateLimited => (
            StatusCode::TOO_MANY_REQUESTS,
            lang.t("console-too-many-attempts"),
            lang.t("console-there-have-been-too"),
        ),
        ErrorCode::ServiceUnavailable => (
            StatusCode::SERVICE_UNAVAILABLE,
            lang.t("console-temporarily-unavailable"),
            lang.t("console-service-temporarily-unavailable-try"),
        ),
        ErrorCode::Internal => {
            tracing::error!(error = %err.describe(), "console page failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                lang.t("console-something-went-wrong"),
                lang.t("console-something-went-wrong-our"),
            )
        }
        _ => (
            StatusCode::CONFLICT,
            lang.t("console-that-did-not-work"),
            lang.t("console-action-does-not-fit"),
        ),
    };
    let frame = Frame::anonymous(req, state, lang, title);
    message_page(status, frame, text.to_owned(), None)
}

fn message_page(
    status: StatusCode,
    f: Frame,
    text: String,
    link: Option<(String, String)>,
) -> HttpResponse {
    match (Message { f, text, link }).render() {
        Ok(html) => http::page(status, html),
        Err(e) => {
            tracing::error!(error = %e, "rendering an error page failed");
            HttpResponse::InternalServerError().finish()
        }
    }
}

/// A form without this session's anti-forgery token: refused, nothing changed.
fn forged(req: &HttpRequest, state: &AppState) -> HttpResponse {
    let lang = http::lang(req);
    tracing::warn!("console form without a valid anti-forgery token");
    message_page(
        StatusCode::FORBIDDEN,
        Frame::anonymous(req, state, lang, lang.t("console-form-has-expired")),
        lang.t("console-form-did-not-come").to_owned(),
        Some(("/console".into(), lang.t("console-start-page").into())),
    )
}

/// A signed-in session, or the response that takes the browser where it must go first.
enum Access {
    Ready(Box<Session>),
    /// No live session: the sign-in, then back to the page asked for.
    SignedOut(HttpResponse),
    /// A sign-in half-way (its second factor still to come).
    Go(HttpResponse),
}

async fn signed_in(req: &HttpRequest, state: &AppState) -> Result<Access, DomainError> {
    let Some(session) = http::session(req, state).await? else {
        let next = req
            .uri()
            .path_and_query()
            .map_or("/console", |p| p.as_str());
        let expired = req
            .cookie(http::session_cookie_name(&state.settings))
            .is_some();
        let target = format!(
            "/console/login?next={}{}",
            url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>(),
            if expired { "&expired=1" } else { "" }
        );
        return Ok(Access::SignedOut(http::redirect(&target)));
    };
    if let Some(go) = http::unfinished(&session) {
        return Ok(Access::Go(go));
    }
    Ok(Access::Ready(Box::new(session)))
}

/// `let s = session!(req, state);`: the signed-in session or an early return.
macro_rules! session {
    ($req:expr, $state:expr) => {
        match crate::console::signed_in(&$req, &$state).await? {
            crate::console::Access::Ready(s) => *s,
            crate::console::Access::SignedOut(r) | crate::console::Access::Go(r) => return Ok(r),
        }
    };
}
use session;

/// `let s = form_session!(req, state, form);`: the signed-in session of a state-changing
/// form that carries its anti-forgery token, or an early return: the 403 page that
/// changes nothing, or — the session having expired — the sign-in, which keeps what was
/// typed and draws the form again after it.
macro_rules! form_session {
    ($req:expr, $state:expr, $form:expr) => {{
        let s = match crate::console::signed_in(&$req, &$state).await? {
            crate::console::Access::Ready(s) => *s,
            crate::console::Access::SignedOut(_) => {
                return crate::console::account::session_expired(&$req, &$state, &$form).await;
            }
            crate::console::Access::Go(r) => return Ok(r),
        };
        if !crate::console::http::csrf_ok(&s, &$form) {
            return Ok(crate::console::forged(&$req, &$state));
        }
        s
    }};
}
use form_session;

/// The console's menu for a role.
fn nav(lang: Lang, session: &Session, current: &str) -> Vec<NavItem> {
    if session.stage != Stage::Full {
        return Vec::new();
    }
    let mut items: Vec<(&'static str, &'static str)> = Vec::new();
    match session.user.role {
        Role::Staff | Role::Admin => {
            items.push(("/console/tasks", lang.t("common-tasks")));
            items.push(("/console/tasks/new", lang.t("common-new-task")));
            items.push(("/console/report", lang.t("common-report")));
            if session.user.role == Role::Admin {
                // Every admin page: people, reference data (councils, categories,
                // qualifications, units), the outbox and the funding key.
                items.push(("/console/users", lang.t("common-users")));
                items.push(("/console/reference", lang.t("console-reference-data")));
                items.push(("/console/outbox", lang.t("common-outbox")));
                items.push(("/console/funding", lang.t("common-funding-key")));
            }
        }
        Role::Coordinator => {
            items.push(("/console/council", lang.t("common-council-2")));
            items.push(("/console/report", lang.t("common-report")));
            items.push(("/console/funding", lang.t("common-funding-key")));
        }
        Role::Volunteer => {}
    }
    items.push(("/console/account", lang.t("common-my-account")));
    items
        .into_iter()
        .map(|(href, label)| NavItem {
            href,
            label,
            current: href == current,
        })
        .collect()
}

fn render(t: &impl Template) -> Result<String, DomainError> {
    t.render().map_err(DomainError::internal)
}
