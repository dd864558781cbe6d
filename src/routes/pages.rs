//! The small pages behind links in emails (`/e/…`). A GET only shows a page — mail
//! scanners prefetch links — and its button is a plain form POST to the same path, which
//! does the action through the same service as the API and answers with the page: it
//! works without JavaScript, and a password never travels in a URL.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use diesel_async::AsyncConnection;
use serde::Deserialize;

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

fn language(asked: Option<&str>, req: &HttpRequest) -> Language {
    match asked {
        Some("en") => Language::En,
        Some("nb") => Language::Nb,
        _ => {
            let accept = req
                .headers()
                .get("accept-language")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_ascii_lowercase();
            if accept.starts_with("en") {
                Language::En
            } else {
                Language::Nb
            }
        }
    }
}

/// What one page asks for, what its form does and where it posts (the page's own path:
/// a plain form POST, so it works without JavaScript and never puts a password in a URL).
struct PageSpec {
    path: &'static str,
    title: (&'static str, &'static str),
    intro: (&'static str, &'static str),
    button: (&'static str, &'static str),
    done: (&'static str, &'static str),
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
    title: ("Bekreft e-postadressen", "Confirm your email address"),
    intro: (
        "Trykk på knappen for å bekrefte e-postadressen din.",
        "Press the button to confirm your email address.",
    ),
    button: ("Bekreft", "Confirm"),
    done: (
        "Takk! E-postadressen er bekreftet.",
        "Thank you! Your email address is confirmed.",
    ),
    action: Action::VerifyEmail,
};

const RESET: PageSpec = PageSpec {
    path: "/e/reset-password",
    title: ("Nytt passord", "New password"),
    intro: (
        "Velg et nytt passord på minst 10 tegn. Du blir logget ut på alle enheter.",
        "Choose a new password of at least 10 characters. You will be logged out on every device.",
    ),
    button: ("Lagre passordet", "Save password"),
    done: (
        "Passordet er endret. Logg inn med det nye passordet i appen eller på innloggingssiden.",
        "Your password is changed. Sign in with the new password in the app or on the sign-in page.",
    ),
    action: Action::SetPassword,
};

const UNSUBSCRIBE: PageSpec = PageSpec {
    path: "/e/unsubscribe",
    title: ("Avslutt e-poster", "Stop these emails"),
    intro: (
        "Trykk på knappen for å slutte å få denne typen e-post. Du kan slå den på igjen i appen.",
        "Press the button to stop this kind of email. You can turn it on again in the app.",
    ),
    button: ("Avslutt", "Unsubscribe"),
    done: (
        "Ferdig. Du får ikke flere slike e-poster.",
        "Done. You will get no more of these emails.",
    ),
    action: Action::Unsubscribe,
};

const RELEASE: PageSpec = PageSpec {
    path: "/e/release",
    title: ("Trekk deg fra oppdraget", "Give the task back"),
    intro: (
        "Kan du ikke likevel? Det er helt i orden. Trykk på knappen, så blir plassen ledig for andre.",
        "Can't make it after all? That is fine. Press the button and the spot opens for someone else.",
    ),
    button: ("Trekk meg", "Give it back"),
    done: (
        "Du har trukket deg. Takk for at du sa fra!",
        "You have given the task back. Thank you for letting us know!",
    ),
    action: Action::Release,
};

const SET: PageSpec = PageSpec {
    path: "/e/set-password",
    title: ("Velg passord", "Choose your password"),
    intro: (
        "Velg et passord på minst 10 tegn for kontoen din.",
        "Choose a password of at least 10 characters for your account.",
    ),
    button: ("Lagre passordet", "Save password"),
    done: (
        "Passordet er lagret. Logg inn med e-postadressen din og det nye passordet på innloggingssiden.",
        "Your password is saved. Sign in with your email address and the new password on the sign-in page.",
    ),
    action: Action::SetPassword,
};

const UNLOCK: PageSpec = PageSpec {
    path: "/e/unlock",
    title: ("Lås opp innloggingen", "Unlock signing in"),
    intro: (
        "Det har vært mange mislykkede innlogginger på kontoen din fra andre steder. Var det deg som skrev riktig passord nå nettopp? Trykk på knappen, så kan du logge inn derfra den neste timen.",
        "There have been many failed sign-ins to your account from elsewhere. Was it you who just typed the right password? Press the button and you can sign in from there for the next hour.",
    ),
    button: ("Lås opp", "Unlock"),
    done: (
        "Ferdig. Logg inn på nytt fra samme sted innen en time. Var det ikke deg, bør du bytte passord med «Glemt passord?».",
        "Done. Sign in again from the same place within an hour. If it was not you, change your password with “Forgot password?”.",
    ),
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
    let t = |pair: (&'static str, &'static str)| escape_html(lang.pick(pair.0, pair.1));
    let with_password = spec.action == Action::SetPassword;
    let password_field = if with_password {
        format!(
            "<p><label for=\"password\">{}</label><br><input id=\"password\" type=\"password\" name=\"password\" minlength=\"10\" required autocomplete=\"new-password\"{}></p>",
            t(("Passord", "Password")),
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
                t(("Til innloggingen", "To the sign-in page"))
            ),
        ),
        Some(Outcome::Done) => (StatusCode::OK, t(spec.done)),
        Some(Outcome::WeakPassword) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            t((
                "Passordet er for svakt. Bruk minst 10 tegn, og ikke et vanlig passord eller noe som ligner e-postadressen din. Lenken virker fortsatt.",
                "The password is too weak. Use at least 10 characters, and not a common password or anything like your email address. The link still works.",
            )),
        ),
        Some(Outcome::Failed) => (
            StatusCode::BAD_REQUEST,
            t((
                "Det gikk ikke. Lenken kan være brukt eller utløpt.",
                "That did not work. The link may be used or expired.",
            )),
        ),
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
            conn.transaction(async |conn| links::unsubscribe(conn, &state.keys, token).await)
                .await
                .map(|_| ())
        }
        Action::Release => {
            let mut conn = state.pool.get().await?;
            conn.transaction(async |conn| links::release(conn, &state.keys, token).await)
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

/// `/e/task?token=…`: the task a volunteer's email links to, as that person may see it —
/// the public details and, while they hold it, the private block, the unit's contact and
/// a button that gives it back (posting to `/e/release`). Changes nothing.
pub async fn task(
    query: web::Query<PageQuery>,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> HttpResponse {
    let lang = language(query.lang.as_deref(), &req);
    let t = |nb: &str, en: &str| escape_html(lang.pick(nb, en));
    let token = query.token.as_deref().unwrap_or_default();
    let found = match state.pool.get().await {
        Ok(mut conn) => {
            links::task_page(&mut conn, &state.keys, state.settings.timezone, token).await
        }
        Err(e) => Err(DomainError::from(e)),
    };
    let page = match found {
        Ok(page) => page,
        Err(e) if e.code() == ErrorCode::ServiceUnavailable => {
            return crate::error::ApiError::from(e).error_response();
        }
        Err(_) => {
            let title = t("Oppdraget", "The task");
            let content = format!(
                "<h1>{title}</h1><p role=\"status\">{}</p>",
                t(
                    "Lenken virker ikke lenger. Oppdraget kan være over, avlyst eller ikke lenger ditt.",
                    "The link no longer works. The task may be over, cancelled or no longer yours."
                )
            );
            return respond(StatusCode::BAD_REQUEST, lang, &title, &content);
        }
    };
    let task = &page.view.task;
    // The time as the task's emails write it, in the municipality's zone.
    let when = crate::email::context::RenderContext {
        public_url: &state.settings.public_url,
        timezone: state.settings.timezone,
        keys: &state.keys,
        now: chrono::Utc::now(),
        recipient: None,
    }
    .when(task.starts_at, lang);
    let row =
        |label: String, value: &str| format!("<dt>{label}</dt><dd>{}</dd>", escape_html(value));
    let mut facts = String::new();
    facts.push_str(&row(
        t("Kategori", "Category"),
        lang.pick(&page.category_nb, &page.category_en),
    ));
    facts.push_str(&row(t("Tid", "Time"), &when));
    if let Some(area) = &task.area_hint {
        facts.push_str(&row(t("Område", "Area"), area));
    }
    facts.push_str(&row(
        t("Ledige plasser", "Free spots"),
        &format!(
            "{} / {}",
            (task.spots - task.active_claims).max(0),
            task.spots
        ),
    ));
    let mut private = String::new();
    if let Some(p) = &page.view.private {
        private.push_str(&format!(
            "<h2>{}</h2><dl>",
            t(
                "Bare for deg som har tatt oppdraget",
                "Only for you, who took the task"
            )
        ));
        for (label, value) in [
            (t("Adresse", "Address"), &p.address),
            (t("Navn", "Name"), &p.recipient_name),
            (t("Telefon", "Phone"), &p.recipient_phone),
            (t("Notater", "Notes"), &p.notes),
        ] {
            if let Some(value) = value {
                private.push_str(&row(label, value));
            }
        }
        private.push_str("</dl>");
    }
    if let Some((name, email, phone)) = &page.view.unit {
        private.push_str(&format!(
            "<h2>{}</h2><dl>{}{}{}</dl>",
            t("Spørsmål? Kontakt", "Questions? Contact"),
            row(t("Enhet", "Unit"), name),
            row(t("E-post", "Email"), email),
            phone
                .as_deref()
                .map(|p| row(t("Telefon", "Phone"), p))
                .unwrap_or_default()
        ));
    }
    let release = page
        .release_token
        .as_deref()
        .map(|token| {
            format!(
                r#"<form method="post" action="/e/release">
<input type="hidden" name="token" value="{token}">
<input type="hidden" name="lang" value="{lang}">
<p>{note}</p>
<p><button type="submit">{button}</button></p>
</form>"#,
                token = escape_html(token),
                lang = lang.as_str(),
                note = t(
                    "Kan du ikke likevel? Du trenger ikke oppgi noen grunn, og ingen holder det mot deg.",
                    "Can't make it after all? You need give no reason, and nobody holds it against you."
                ),
                button = t("Gi fra meg oppdraget", "Give the task back"),
            )
        })
        .unwrap_or_default();
    let content = format!(
        "<h1>{title}</h1><dl>{facts}</dl><p>{description}</p>{private}{release}",
        title = escape_html(&task.title),
        description = escape_html(&task.description),
    );
    respond(StatusCode::OK, lang, &escape_html(&task.title), &content)
}
