//! The small pages behind links in emails (`/e/…`). A GET only shows a page — mail
//! scanners prefetch links — and its button is a plain form POST to the same path, which
//! does the action through the same service as the API and answers with the page: it
//! works without JavaScript, and a password never travels in a URL.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use diesel_async::AsyncConnection;
use serde::Deserialize;

use crate::catalogue::text;
use crate::domain::Language;
use crate::domain::error::{DomainError, ErrorCode};
use crate::email::templates::escape_html;
use crate::routes::state::AppState;
use crate::services::{accounts, links};

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    pub token: Option<String>,
    pub lang: Option<String>,
}

/// The page's language: the link's `lang`, else what the browser prefers, else bokmål.
fn language(asked: Option<&str>, req: &HttpRequest) -> Language {
    asked.and_then(Language::parse).unwrap_or_else(|| {
        let accept = req
            .headers()
            .get("accept-language")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        Language::from_accept_language(accept).unwrap_or_default()
    })
}

/// What one page asks for, what its form does and where it posts (the page's own path:
/// a plain form POST, so it works without JavaScript and never puts a password in a URL).
struct PageSpec {
    path: &'static str,
    title: &'static str,
    intro: &'static str,
    button: &'static str,
    done: &'static str,
    action: Action,
}

/// The service call behind a page's button: the same one the API's route makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    VerifyEmail,
    SetPassword,
    Unsubscribe,
    Release,
    UnlockLogin,
}

const VERIFY: PageSpec = PageSpec {
    path: "/e/verify",
    title: "page-verify-title",
    intro: "page-verify-intro",
    button: "page-verify-button",
    done: "page-verify-done",
    action: Action::VerifyEmail,
};

const RESET: PageSpec = PageSpec {
    path: "/e/reset-password",
    title: "page-reset-title",
    intro: "page-reset-intro",
    button: "page-reset-button",
    done: "page-reset-done",
    action: Action::SetPassword,
};

const UNSUBSCRIBE: PageSpec = PageSpec {
    path: "/e/unsubscribe",
    title: "page-unsubscribe-title",
    intro: "page-unsubscribe-intro",
    button: "page-unsubscribe-button",
    done: "page-unsubscribe-done",
    action: Action::Unsubscribe,
};

const RELEASE: PageSpec = PageSpec {
    path: "/e/release",
    title: "page-release-title",
    intro: "page-release-intro",
    button: "page-release-button",
    done: "page-release-done",
    action: Action::Release,
};

const SET: PageSpec = PageSpec {
    path: "/e/set-password",
    title: "page-set-title",
    intro: "page-set-intro",
    button: "page-set-button",
    done: "page-set-done",
    action: Action::SetPassword,
};

const UNLOCK: PageSpec = PageSpec {
    path: "/e/unlock",
    title: "page-unlock-title",
    intro: "page-unlock-intro",
    button: "page-unlock-button",
    done: "page-unlock-done",
    action: Action::UnlockLogin,
};

/// What came of pressing the button, shown on the page that answers the POST.
enum Outcome {
    Done,
    WeakPassword,
    Failed,
}

fn render(
    spec: &PageSpec,
    lang: Language,
    token: &str,
    outcome: Option<Outcome>,
    sign_in: &str,
) -> HttpResponse {
    let t = |key: &'static str| escape_html(text(lang, key));
    let with_password = spec.action == Action::SetPassword;
    let password_field = if with_password {
        format!(
            "<p><label for=\"password\">{}</label><br><input id=\"password\" type=\"password\" name=\"password\" minlength=\"10\" required autocomplete=\"new-password\"{}></p>",
            t("page-password"),
            if matches!(outcome, Some(Outcome::WeakPassword)) {
                " aria-invalid=\"true\" aria-describedby=\"result\""
            } else {
                ""
            }
        )
    } else {
        String::new()
    };
    let (status, message) = match outcome {
        None => (StatusCode::OK, String::new()),
        Some(Outcome::Done) if with_password => (
            StatusCode::OK,
            format!(
                "{} <a href=\"{}\">{}</a>",
                t(spec.done),
                escape_html(sign_in),
                t("page-to-sign-in")
            ),
        ),
        Some(Outcome::Done) => (StatusCode::OK, t(spec.done)),
        Some(Outcome::WeakPassword) => (StatusCode::UNPROCESSABLE_ENTITY, t("page-weak-password")),
        Some(Outcome::Failed) => (StatusCode::BAD_REQUEST, t("page-failed")),
    };
    let form = if matches!(outcome, Some(Outcome::Done | Outcome::Failed)) {
        String::new()
    } else {
        format!(
            r#"<form method="post" action="{path}">
<input type="hidden" name="token" value="{token}">
<input type="hidden" name="lang" value="{lang}">
{password_field}
<p><button type="submit">{button}</button></p>
</form>"#,
            path = spec.path,
            token = escape_html(token),
            lang = lang.as_str(),
            button = t(spec.button),
        )
    };
    let content = format!(
        r#"<h1>{title}</h1>
<p>{intro}</p>
<p id="result" role="status">{message}</p>
{form}"#,
        title = t(spec.title),
        intro = t(spec.intro),
    );
    respond(status, lang, &t(spec.title), &content)
}

/// A page of its own: the small shell every `/e/` page shares, never cached or framed,
/// no script, no referrer.
fn respond(status: StatusCode, lang: Language, title: &str, content: &str) -> HttpResponse {
    let html = format!(
        r#"<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>{title}</title>
<style>body{{font-family:sans-serif;max-width:30em;margin:2em auto;padding:0 1em;line-height:1.5}}button{{background:#005aa0;color:#fff;border:0;padding:.7em 1.4em;border-radius:4px;font-size:1em;min-height:44px}}input{{font-size:1em;padding:.4em;width:100%;box-sizing:border-box}}dt{{font-weight:bold}}dd{{margin:0 0 .5em}}</style>
</head><body>
<main>
{content}
</main>
</body></html>
"#,
        lang = lang.as_str(),
    );
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("Referrer-Policy", "no-referrer"))
        .insert_header((
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'",
        ))
        .body(html)
}

/// Where people sign in once their password is set.
fn sign_in(state: &AppState) -> String {
    format!(
        "{}/console/login",
        state.settings.public_url.as_str().trim_end_matches('/')
    )
}

/// A page's form, as posted: the link's token, the page's language, and the new password
/// where the page asks for one.
#[derive(Debug, Default, Deserialize)]
pub struct PageForm {
    pub token: Option<String>,
    pub lang: Option<String>,
    pub password: Option<String>,
}

/// Does what the page's button says, through the same service as the API's route, and
/// answers with the page again: done, or why not, in the page's language.
async fn act(spec: &PageSpec, state: &AppState, req: &HttpRequest, form: PageForm) -> HttpResponse {
    let lang = language(form.lang.as_deref(), req);
    let token = form.token.unwrap_or_default();
    let result = if token.is_empty() {
        None
    } else {
        Some(
            run(
                spec.action,
                state,
                &token,
                form.password.unwrap_or_default(),
            )
            .await,
        )
    };
    let outcome = match result {
        Some(Ok(())) => Outcome::Done,
        Some(Err(e))
            if e.code() == ErrorCode::ValidationFailed
                && e.field_errors().iter().any(|f| f.field == "password") =>
        {
            Outcome::WeakPassword
        }
        // The database is away: the problem answer with its Retry-After, as the API gives.
        Some(Err(e)) if e.code() == ErrorCode::ServiceUnavailable => {
            return crate::error::ApiError::from(e).error_response();
        }
        Some(Err(_)) | None => Outcome::Failed,
    };
    render(spec, lang, &token, Some(outcome), &sign_in(state))
}

async fn run(
    action: Action,
    state: &AppState,
    token: &str,
    password: String,
) -> Result<(), DomainError> {
    match action {
        Action::VerifyEmail => accounts::verify_email(state, token).await,
        Action::SetPassword => accounts::confirm_password(state, token, password).await,
        Action::Unsubscribe => {
            let mut conn = state.pool.get().await?;
            conn.transaction(async |conn| links::unsubscribe(conn, state, token).await)
                .await
                .map(|_| ())
        }
        Action::Release => {
            let mut conn = state.pool.get().await?;
            conn.transaction(async |conn| links::release(conn, state, token).await)
                .await
                .map(|_| ())
        }
        Action::UnlockLogin => accounts::unlock_login(state, token).await,
    }
}

/// For each page: its GET (shows the page, changes nothing) and its POST (does it).
macro_rules! page_routes {
    ($($get:ident, $post:ident => $spec:ident;)*) => {$(
        pub async fn $get(
            query: web::Query<PageQuery>,
            req: HttpRequest,
            state: web::Data<AppState>,
        ) -> HttpResponse {
            render(
                &$spec,
                language(query.lang.as_deref(), &req),
                query.token.as_deref().unwrap_or_default(),
                None,
                &sign_in(&state),
            )
        }

        pub async fn $post(
            body: web::Bytes,
            req: HttpRequest,
            state: web::Data<AppState>,
        ) -> HttpResponse {
            // A body that is not the page's form is a form without a token: the page says
            // the link did not work.
            let form = serde_urlencoded::from_bytes(&body).unwrap_or_default();
            act(&$spec, &state, &req, form).await
        }
    )*};
}

page_routes! {
    verify, verify_post => VERIFY;
    reset_password, reset_password_post => RESET;
    set_password, set_password_post => SET;
    unsubscribe, unsubscribe_post => UNSUBSCRIBE;
    release, release_post => RELEASE;
    unlock, unlock_post => UNLOCK;
}

/// `/e/task?token=…`: the "Se oppdraget" link of emails sent before the volunteer web
/// existed. It opens the task's page there (after a sign-in, if need be); a link that
/// is forged or run out is dead.
pub async fn task(
    query: web::Query<PageQuery>,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> HttpResponse {
    let lang = language(query.lang.as_deref(), &req);
    let token = query.token.as_deref().unwrap_or_default();
    match links::viewed_task(&state, token) {
        Some(task_id) => HttpResponse::SeeOther()
            .insert_header((
                actix_web::http::header::LOCATION,
                format!("/oppgaver/{task_id}"),
            ))
            .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
            .finish(),
        None => {
            let title = escape_html(text(lang, "page-task-title"));
            let content = format!(
                "<h1>{title}</h1><p role=\"status\">{}</p>",
                escape_html(text(lang, "page-task-link-dead"))
            );
            respond(StatusCode::BAD_REQUEST, lang, &title, &content)
        }
    }
}
