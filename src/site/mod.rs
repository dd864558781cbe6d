//! The volunteer web ("Dugnad på nett") at the site root: server-rendered pages on which
//! volunteers find, take and give back tasks from any phone, calling the same use cases
//! as the API and the console — never the JSON API. Every action is a plain form POST
//! with the session's anti-forgery token; no page needs JavaScript. Its rules are in
//! `docs/PRODUCT.md` ("The volunteer web").

mod account;
mod profile;
mod refusals;
mod tasks;
mod views;

use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::{HttpMessage, HttpRequest, HttpResponse};

use crate::domain::account::Role;
use crate::domain::error::{DomainError, ErrorCode};
use crate::routes::state::AppState;
use crate::web::{self, Lang, Page, PageResult, Refusal};
use views::{Frame, Message};

/// The volunteer web's routes, to be mounted on the app after the API and the console:
/// what none of them serves is the API's 404.
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
    actix_web::web::scope("")
        .wrap_fn(|req, srv| {
            let answer = srv.call(req);
            async move { Ok(pages(answer.await?).await) }
        })
        .route("/", get().to(account::start))
        .route("/logg-inn", get().to(account::login_form))
        .route("/logg-inn", post().to(account::login))
        .route("/registrer", get().to(account::register_form))
        .route("/registrer", post().to(account::register))
        .route("/logg-ut", post().to(account::logout))
        .route("/sprak", get().to(account::language))
        .route("/tilgjengelighet", get().to(account::accessibility))
        .route("/static/site.css", get().to(stylesheet))
        .route("/oppgaver", get().to(tasks::feed))
        .route("/oppgaver/{id}", get().to(tasks::show))
        .route("/oppgaver/{id}/ta", post().to(tasks::claim))
        .route("/oppgaver/{id}/gi-fra", get().to(tasks::release_form))
        .route("/oppgaver/{id}/gi-fra", post().to(tasks::release))
        .route("/oppgaver/{id}/varsle", post().to(tasks::watch))
        .route("/oppgaver/{id}/ikke-varsle", post().to(tasks::unwatch))
        .route("/mine", get().to(tasks::mine))
        .route("/invitasjoner", get().to(tasks::invitations))
        .route("/invitasjoner/{id}/ja", post().to(tasks::accept))
        .route("/invitasjoner/{id}/nei", post().to(tasks::decline))
        .route("/profil", get().to(profile::show))
        .route("/profil", post().to(profile::save))
        .route("/profil/data", get().to(profile::data))
        .default_service(actix_web::web::to(crate::routes::not_found))
}

const STYLESHEET: &str = include_str!("../../static/site.css");

async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=86400"))
        .body(STYLESHEET)
}

/// Draws the volunteer web's refusals as pages in the reader's language (the sign-in and
/// back, the form without its token, the error pages), and sets a volunteer's sliding
/// session cookie again on every page, so that it lasts as long as the session does.
async fn pages(res: ServiceResponse) -> ServiceResponse {
    let req = res.request().clone();
    let Some(state) = req.app_data::<actix_web::web::Data<AppState>>().cloned() else {
        return res;
    };
    if let Some(refusal) = web::refusal_of(&res) {
        let page = draw(&req, &state, refusal).await;
        return res.into_response(page.into_response());
    }
    let mut res = res;
    let slid = req.extensions().get::<web::http::Sliding>().cloned();
    // An answer that sets the session cookie itself (a sign-out removing it, a new
    // session) has the last word on it.
    if let Some(web::http::Sliding(cookie)) = slid
        && !res.response().cookies().any(|c| c.name() == cookie.name())
        && let Err(e) = res.response_mut().add_cookie(&cookie)
    {
        tracing::warn!(error = %e, "the session cookie could not be set again");
    }
    res
}

async fn draw(req: &HttpRequest, state: &AppState, refusal: &Refusal) -> Page {
    match refusal {
        Refusal::SignedOut { expired } => to_sign_in(req, *expired),
        // A second factor still owed is the console's to ask for.
        Refusal::Unfinished(_) => Page::redirect("/console"),
        Refusal::Forged => {
            tracing::warn!("volunteer web form without a valid anti-forgery token");
            message(
                req,
                state,
                StatusCode::FORBIDDEN,
                "site-forged-title",
                "site-forged",
            )
        }
        Refusal::Expired(_) => to_sign_in(req, true),
        Refusal::Refused(err)
            if err.code() == ErrorCode::Forbidden && is_staff(req, state).await =>
        {
            // Staff, coordinators and admins have the console.
            Page::redirect("/console")
        }
        Refusal::Refused(err) => error_page(req, state, err),
    }
}

/// Whether the request's session is of someone who works in the console.
async fn is_staff(req: &HttpRequest, state: &AppState) -> bool {
    matches!(
        web::http::session(req, state).await,
        Ok(Some(s)) if s.user.role != Role::Volunteer
    )
}

/// The sign-in, and back to the page asked for (a page read; a form sent goes back to
/// the feed).
fn to_sign_in(req: &HttpRequest, expired: bool) -> Page {
    let next = if req.method() == actix_web::http::Method::GET {
        req.uri()
            .path_and_query()
            .map_or("/oppgaver", |p| p.as_str())
    } else {
        "/oppgaver"
    };
    Page::redirect(&format!(
        "/logg-inn?neste={}{}",
        url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>(),
        if expired { "&utlopt=1" } else { "" }
    ))
}

fn error_page(req: &HttpRequest, state: &AppState, err: &DomainError) -> Page {
    match err.code() {
        ErrorCode::NotFound | ErrorCode::Forbidden => message(
            req,
            state,
            StatusCode::NOT_FOUND,
            "site-not-found-title",
            "site-not-found",
        ),
        ErrorCode::RateLimited => message(
            req,
            state,
            StatusCode::TOO_MANY_REQUESTS,
            "site-error-title",
            "site-refusal-rate",
        ),
        ErrorCode::ServiceUnavailable => message(
            req,
            state,
            StatusCode::SERVICE_UNAVAILABLE,
            "site-error-title",
            "site-error",
        ),
        ErrorCode::Internal => {
            tracing::error!(error = %err.describe(), "volunteer web page failed");
            message(
                req,
                state,
                StatusCode::INTERNAL_SERVER_ERROR,
                "site-error-title",
                "site-error",
            )
        }
        _ => message(
            req,
            state,
            StatusCode::CONFLICT,
            "site-error-title",
            "site-refusal-other",
        ),
    }
}

fn message(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    title: &'static str,
    text: &'static str,
) -> Page {
    let lang = Lang::of(req);
    let page = Message {
        f: Frame::anonymous(req, state, lang, lang.t(title)),
        text: lang.t(text).to_owned(),
    };
    match render(status, &page) {
        Ok(page) => page,
        Err(e) => {
            tracing::error!(error = ?e, "rendering an error page failed");
            Page::html(StatusCode::INTERNAL_SERVER_ERROR, String::new())
        }
    }
}

fn render(status: StatusCode, t: &impl askama::Template) -> PageResult {
    Page::render(status, t)
}
