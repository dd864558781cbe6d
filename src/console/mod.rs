//! The web console under `/console`: server-rendered pages for staff (and, on the same
//! sign-in, coordinators and admins), calling the use cases directly — never the JSON
//! API. No JavaScript: every page is a form or a link. Its rules are in
//! `docs/PRODUCT.md` ("The web console").

mod account;
mod council;
mod funding;
mod i18n;
mod outbox;
mod reference;
mod report;
mod series;
mod task_fields;
mod tasks;
mod users;
mod views;

use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

use crate::domain::account::Role;
use crate::domain::error::{DomainError, ErrorCode};
use crate::routes::state::AppState;
use crate::services::sessions::{Session, Stage};
use crate::web::{self, Lang, Page, PageResult, Refusal};

pub use crate::web::http::session_cookie_name;
pub use crate::web::page::CSP;
use views::{Frame, Message, NavItem};

/// The console's routes, to be mounted on the app.
pub fn scope() -> actix_web::Scope<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = ServiceResponse,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    use actix_web::web::{get, post};
    actix_web::web::scope("/console")
        .wrap_fn(|req, srv| {
            let answer = srv.call(req);
            async move { Ok(pages(answer.await?).await) }
        })
        .route("", get().to(account::home))
        .route("/", get().to(account::home))
        .route("/login", get().to(account::login_form))
        .route("/login", post().to(account::login))
        .route("/login/code", get().to(account::code_form))
        .route("/login/code", post().to(account::code))
        .route("/resume/{id}", get().to(account::resume))
        .route("/login/forgot", get().to(account::forgot_form))
        .route("/login/forgot", post().to(account::forgot))
        .route("/account/password", post().to(account::change_password))
        .route("/logout", post().to(account::logout))
        .route("/language", get().to(account::language))
        .route("/accessibility", get().to(account::accessibility))
        .route("/account", get().to(account::account))
        .route("/account/2fa", get().to(account::enrol_form))
        .route("/account/2fa", post().to(account::enrol))
        .route("/static/console.css", get().to(stylesheet))
        .route("/tasks", get().to(tasks::list))
        .route("/tasks/new", get().to(tasks::new_form))
        .route("/tasks/new", post().to(tasks::create))
        .route("/tasks/{id}", get().to(tasks::show))
        .route("/tasks/{id}/edit", get().to(tasks::edit_form))
        .route("/tasks/{id}/edit", post().to(tasks::update))
        .route("/tasks/{id}/cancel", post().to(tasks::cancel))
        .route("/tasks/{id}/complete", post().to(tasks::complete))
        .route("/tasks/{id}/invite", post().to(tasks::invite))
        .route("/series/{id}", get().to(series::show))
        .route("/series/{id}/cancel", post().to(series::cancel))
        .route("/report", get().to(report::show))
        .route("/council", get().to(council::show))
        .route("/council/opt-out", post().to(council::opt_out))
        .route("/council/opt-in", post().to(council::opt_in))
        .route("/council/review", post().to(council::review))
        .route("/council/overview", get().to(council::overview))
        .route("/users", get().to(users::list))
        .route("/users", post().to(users::create))
        .route("/users/{id}", get().to(users::show))
        .route("/users/{id}", post().to(users::update))
        .route("/users/{id}/deactivate", post().to(users::deactivate))
        .route("/users/{id}/activate", post().to(users::activate))
        .route("/users/{id}/resend", post().to(users::resend))
        .route(
            "/users/{id}/qualifications",
            post().to(users::record_qualification),
        )
        .route(
            "/users/{id}/qualifications/{record}/revoke",
            post().to(users::revoke_qualification),
        )
        .route("/reference", get().to(reference::show))
        .route("/reference/councils", post().to(reference::create_council))
        .route(
            "/reference/councils/{id}",
            post().to(reference::update_council),
        )
        .route(
            "/reference/categories",
            post().to(reference::create_category),
        )
        .route(
            "/reference/categories/{id}",
            post().to(reference::update_category),
        )
        .route(
            "/reference/qualifications",
            post().to(reference::create_qualification),
        )
        .route(
            "/reference/qualifications/{id}",
            post().to(reference::update_qualification),
        )
        .route("/reference/units", post().to(reference::create_unit))
        .route("/reference/units/{id}", post().to(reference::update_unit))
        .route("/outbox", get().to(outbox::show))
        .route("/outbox/{id}/retry", post().to(outbox::retry))
        .route("/funding", get().to(funding::show))
        .route("/funding.csv", get().to(funding::csv))
        .route("/funding/residents", post().to(funding::residents))
        .route("/funding/parameters", post().to(funding::parameters))
        .default_service(actix_web::web::to(not_found))
}

const STYLESHEET: &str = include_str!("../../static/console.css");

async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=86400"))
        .body(STYLESHEET)
}

async fn not_found() -> PageResult {
    Err(DomainError::not_found("no such console page").into())
}

/// Draws the console's refusals as pages in the reader's language: the sign-in (and back
/// to the page asked for), the second factor still due, the form that came without its
/// token, the form kept across an ended session, and the error pages.
async fn pages(res: ServiceResponse) -> ServiceResponse {
    let req = res.request().clone();
    let page = match (web::refusal_of(&res), state_of(&req)) {
        (Some(refusal), Some(state)) => draw(&req, &state, refusal).await,
        _ => return res,
    };
    res.into_response(page.into_response())
}

fn state_of(req: &HttpRequest) -> Option<actix_web::web::Data<AppState>> {
    req.app_data::<actix_web::web::Data<AppState>>().cloned()
}

async fn draw(
    req: &HttpRequest,
    state: &actix_web::web::Data<AppState>,
    refusal: &Refusal,
) -> Page {
    let drawn = match refusal {
        Refusal::SignedOut { expired } => Ok(to_sign_in(req, *expired)),
        Refusal::Unfinished(stage) => Ok(Page::redirect(match stage {
            Stage::Otp => "/console/login/code",
            Stage::Enrol => "/console/account/2fa",
            Stage::Full => "/console",
        })),
        Refusal::Forged => Ok(forged(req, state)),
        Refusal::Expired(form) => account::session_expired(req, state, form).await,
        Refusal::Refused(err)
            if err.code() == ErrorCode::Forbidden && is_volunteer(req, state).await =>
        {
            // Volunteers have a front end of their own.
            Ok(Page::redirect("/oppgaver"))
        }
        Refusal::Refused(err) => Ok(error_page(req, state, err)),
    };
    match drawn {
        Ok(page) => page,
        Err(Refusal::Refused(err)) => error_page(req, state, &err),
        Err(other) => {
            tracing::error!(refusal = ?other, "drawing a refusal was refused");
            error_page(
                req,
                state,
                &DomainError::internal(anyhow::anyhow!("a refusal of a refusal")),
            )
        }
    }
}

/// Whether the request's session is a volunteer's.
async fn is_volunteer(req: &HttpRequest, state: &AppState) -> bool {
    matches!(
        web::http::session(req, state).await,
        Ok(Some(s)) if s.user.role == Role::Volunteer
    )
}

/// The sign-in, and back to the page asked for (a page read, not a form sent: that goes
/// back to the start).
fn to_sign_in(req: &HttpRequest, expired: bool) -> Page {
    let next = if req.method() == actix_web::http::Method::GET {
        req.uri()
            .path_and_query()
            .map_or("/console", |p| p.as_str())
    } else {
        "/console"
    };
    Page::redirect(&format!(
        "/console/login?next={}{}",
        url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>(),
        if expired { "&expired=1" } else { "" }
    ))
}

/// A refusal as an error page in the reader's language.
fn error_page(req: &HttpRequest, state: &AppState, err: &DomainError) -> Page {
    let lang = Lang::of(req);
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
        ErrorCode::PayloadTooLarge => (
            StatusCode::PAYLOAD_TOO_LARGE,
            lang.t("console-that-did-not-work"),
            lang.t("console-action-does-not-fit"),
        ),
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
) -> Page {
    match (Message { f, text, link }).render() {
        Ok(html) => Page::html(status, html),
        Err(e) => {
            tracing::error!(error = %e, "rendering an error page failed");
            Page::html(StatusCode::INTERNAL_SERVER_ERROR, String::new())
        }
    }
}

/// A form without this session's anti-forgery token: refused, nothing changed.
fn forged(req: &HttpRequest, state: &AppState) -> Page {
    let lang = Lang::of(req);
    tracing::warn!("console form without a valid anti-forgery token");
    message_page(
        StatusCode::FORBIDDEN,
        Frame::anonymous(req, state, lang, lang.t("console-form-has-expired")),
        lang.t("console-form-did-not-come").to_owned(),
        Some(("/console".into(), lang.t("console-start-page").into())),
    )
}

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
