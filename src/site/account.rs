//! The door: the start page, signing in and out, registering, the language switch and
//! the accessibility statement.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use serde::Deserialize;

use super::views::{Accessibility, Field, Frame, Login, Message, Register, Start, display_name};
use crate::domain::Language;
use crate::domain::account::{MIN_PASSWORD_CHARS, Role};
use crate::domain::error::ErrorCode;
use crate::routes::state::AppState;
use crate::services::{accounts, reference, sessions};
use crate::web::http::{self, FormData};
use crate::web::sign_in::{self, Failed};
use crate::web::{Lang, Page, PageResult, PartForm, SignInForm, Visitor};

/// `/`: what dugnad is, for someone signed out; the feed (or the console) for someone
/// signed in.
pub async fn start(
    req: HttpRequest,
    state: web::Data<AppState>,
    Visitor(s): Visitor,
) -> PageResult {
    match s {
        Some(s) if s.user.role == Role::Volunteer => return Ok(Page::redirect("/oppgaver")),
        Some(_) => return Ok(Page::redirect("/console")),
        None => {}
    }
    let lang = Lang::of(&req);
    let page = Start {
        f: Frame::anonymous(&req, &state, lang, lang.t("site-start-title")),
        lead: lang.fill(
            "site-start-lead",
            "municipality",
            &display_name(&state.settings.municipality),
        ),
    };
    Page::render(StatusCode::OK, &page)
}

#[derive(Deserialize)]
pub struct LoginQuery {
    neste: Option<String>,
    ut: Option<String>,
    utlopt: Option<String>,
}

fn login_page(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    next: &str,
    email: &str,
    error: Option<String>,
    notice: Option<String>,
) -> PageResult {
    let lang = Lang::of(req);
    let token = http::login_token(req, state);
    let page = Login {
        f: Frame::anonymous(req, state, lang, lang.t("site-sign-in")),
        csrf: token.form_value,
        next: sign_in::landing(Role::Volunteer, Some(next)),
        email: email.to_owned(),
        error,
        notice,
    };
    Page::render(status, &page)?.with_login_cookie(token.cookie)
}

pub async fn login_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<LoginQuery>,
    Visitor(s): Visitor,
) -> PageResult {
    if let Some(s) = s {
        return Ok(Page::redirect(&sign_in::landing(
            s.user.role,
            query.neste.as_deref(),
        )));
    }
    let lang = Lang::of(&req);
    let notice = if query.ut.is_some() {
        Some(lang.t("account-are-signed-out"))
    } else if query.utlopt.is_some() {
        Some(lang.t("account-session-has-expired-sign"))
    } else {
        None
    };
    login_page(
        &req,
        &state,
        StatusCode::OK,
        query.neste.as_deref().unwrap_or("/oppgaver"),
        "",
        None,
        notice.map(str::to_owned),
    )
}

/// Signs in: volunteers land in the volunteer web, everyone else in the console.
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignInForm(form): SignInForm,
) -> PageResult {
    let lang = Lang::of(&req);
    let email = form.get("email").unwrap_or_default();
    let next = form.get("neste").unwrap_or("/oppgaver");
    let failed =
        match sign_in::by_password(&req, &state, email, form.raw("password"), Some(next)).await? {
            Ok(page) => return Ok(page),
            Err(failed) => failed,
        };
    let (status, message) = match failed {
        Failed::WrongCredentials => (
            StatusCode::UNAUTHORIZED,
            lang.t("account-email-address-password-wrong"),
        ),
        Failed::SteppedUp => (
            StatusCode::TOO_MANY_REQUESTS,
            lang.t("account-there-have-been-too"),
        ),
    };
    login_page(
        &req,
        &state,
        status,
        next,
        email,
        Some(message.to_owned()),
        None,
    )
}

pub async fn logout(
    state: web::Data<AppState>,
    PartForm { session: s, .. }: PartForm,
) -> PageResult {
    let mut conn = state.pool.get().await?;
    sessions::end(&mut conn, s.id).await?;
    tracing::info!(user.id = %s.user.id, "volunteer web sign-out");
    Page::redirect("/logg-inn?ut=1").with_cookie(&http::removal(
        &state.settings,
        http::session_cookie_name(&state.settings),
    ))
}

/// What the registration form was given, to draw again with its problems.
#[derive(Default)]
struct Typed {
    name: String,
    email: String,
    council: String,
    language: String,
}

impl Typed {
    fn from_form(form: &FormData) -> Self {
        Self {
            name: form.get("name").unwrap_or_default().to_owned(),
            email: form.get("email").unwrap_or_default().to_owned(),
            council: form.get("council_id").unwrap_or_default().to_owned(),
            language: form.get("language").unwrap_or_default().to_owned(),
        }
    }
}

async fn register_page(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    typed: Typed,
    problems: &crate::domain::error::DomainError,
    error: Option<String>,
) -> PageResult {
    let lang = Lang::of(req);
    let problem = |field: &str| {
        problems
            .field_errors()
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.problem.message(lang.0))
    };
    let mut conn = state.pool.get().await?;
    let councils = reference::choices(&mut conn)
        .await?
        .councils
        .into_iter()
        .map(|c| (c.id.to_string(), c.name))
        .collect();
    let token = http::login_token(req, state);
    let language = if typed.language.is_empty() {
        lang.code().to_owned()
    } else {
        typed.language
    };
    let page = Register {
        f: Frame::anonymous(req, state, lang, lang.t("site-register-title")),
        csrf: token.form_value,
        name: Field {
            label: lang.t("site-name"),
            value: typed.name,
            error: problem("name"),
        },
        email: Field {
            label: lang.t("site-email"),
            value: typed.email,
            error: problem("email"),
        },
        password: Field {
            label: lang.t("site-password"),
            value: String::new(),
            error: problem("password"),
        },
        password_hint: lang.fill("site-password-hint", "min", &MIN_PASSWORD_CHARS.to_string()),
        council: Field {
            label: lang.t("site-council"),
            value: typed.council,
            error: problem("council_id"),
        },
        councils,
        language: Field {
            label: lang.t("site-language"),
            value: language,
            error: None,
        },
        languages: Language::ALL
            .into_iter()
            .map(|l| (l.as_str(), Lang(l).t("language-name")))
            .collect(),
        error,
    };
    Page::render(status, &page)?.with_login_cookie(token.cookie)
}

pub async fn register_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    Visitor(s): Visitor,
) -> PageResult {
    if let Some(s) = s {
        return Ok(Page::redirect(&sign_in::landing(s.user.role, None)));
    }
    let none = crate::domain::error::DomainError::validation(Vec::new());
    register_page(&req, &state, StatusCode::OK, Typed::default(), &none, None).await
}

/// Registers a volunteer with the API's rules, and sends the verification email.
pub async fn register(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignInForm(form): SignInForm,
) -> PageResult {
    let lang = Lang::of(&req);
    let typed = Typed::from_form(&form);
    let council_id = match form.get("council_id").map(uuid::Uuid::parse_str) {
        None => None,
        Some(Ok(id)) => Some(id),
        Some(Err(_)) => {
            let e = crate::domain::error::DomainError::invalid_field(
                "council_id",
                crate::domain::problem::FieldProblem::NotActiveCouncil,
            );
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            let error = Some(lang.t("site-fix-fields").to_owned());
            return register_page(&req, &state, status, typed, &e, error).await;
        }
    };
    let input = accounts::Registration {
        email: typed.email.clone(),
        password: form.raw("password").to_owned(),
        name: typed.name.clone(),
        phone: None,
        council_id,
        language: form.get("language").and_then(Language::parse),
    };
    let ip = http::client_ip(&req, &state);
    match accounts::register(&state, ip, input).await {
        Ok(user) => {
            let page = Message {
                f: Frame::anonymous(&req, &state, lang, lang.t("site-register-done-title")),
                text: lang.fill("site-register-done", "email", &user.email),
            };
            Page::render(StatusCode::CREATED, &page)
        }
        Err(e) if e.code() == ErrorCode::ValidationFailed => {
            let error = Some(lang.t("site-fix-fields").to_owned());
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            register_page(&req, &state, status, typed, &e, error).await
        }
        Err(e) if e.code() == ErrorCode::EmailTaken => {
            let error = Some(lang.t("site-email-taken").to_owned());
            let none = crate::domain::error::DomainError::validation(Vec::new());
            register_page(&req, &state, StatusCode::CONFLICT, typed, &none, error).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct LanguageQuery {
    til: Option<String>,
    tilbake: Option<String>,
}

/// The language switch: a cookie, then back to the page it was used on.
pub async fn language(state: web::Data<AppState>, query: web::Query<LanguageQuery>) -> PageResult {
    let lang = query
        .til
        .as_deref()
        .and_then(Language::parse)
        .unwrap_or_default();
    let back = sign_in::landing(Role::Volunteer, query.tilbake.as_deref());
    Page::redirect(&back).with_cookie(&http::lang_cookie(&state.settings, lang))
}

pub async fn accessibility(
    req: HttpRequest,
    state: web::Data<AppState>,
    Visitor(s): Visitor,
) -> PageResult {
    let lang = Lang::of(&req);
    let title = lang.t("site-a11y-title");
    let f = match &s {
        Some(s) if s.user.role == Role::Volunteer => Frame::of(&req, &state, s, title, ""),
        _ => Frame::anonymous(&req, &state, lang, title),
    };
    let aim = lang.fill(
        "site-a11y-aim",
        "municipality",
        &display_name(&state.settings.municipality),
    );
    Page::render(StatusCode::OK, &Accessibility { f, aim })
}
