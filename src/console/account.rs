//! Sign-in, the second factor, sign-out, the language switch and the person's own page.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use diesel_async::AsyncConnection;
use serde::Deserialize;

use super::views::{Accessibility, Account, Code, Enrol, Forgot, Frame, Login, Recovery};
use super::{forged, render};
use crate::domain::Language;
use crate::domain::account::Role;
use crate::domain::error::{DomainError, ErrorCode};
use crate::routes::state::AppState;
use crate::services::accounts;
use crate::services::second_factor::{self, Enrolment};
use crate::services::sessions::{self, Lifetime, Session, Stage};
use crate::web::http::{self, FormData};
use crate::web::{Form, Lang, Page, PageResult, PartForm, SignInForm, SignedIn, Visitor, sign_in};
use uuid::Uuid;

/// Where the console starts for each role.
pub async fn home(s: SignedIn) -> PageResult {
    match s.user.role {
        Role::Staff | Role::Admin => Ok(Page::redirect("/console/tasks")),
        Role::Coordinator => Ok(Page::redirect("/console/council")),
        // Volunteers have a front end of their own.
        Role::Volunteer => Ok(Page::redirect("/oppgaver")),
    }
}

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    out: Option<String>,
    expired: Option<String>,
}

/// A `next` that stays inside the console (no open redirect).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with("/console") && !n.starts_with("//") && !n.contains('\\') => {
            n.to_owned()
        }
        _ => "/console".to_owned(),
    }
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
        f: Frame::anonymous(req, state, lang, lang.t("common-sign")),
        csrf: token.form_value,
        next: safe_next(Some(next)),
        email: email.to_owned(),
        error,
        notice,
    };
    Page::html(status, render(&page)?).with_login_cookie(token.cookie)
}

pub async fn login_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<LoginQuery>,
) -> PageResult {
    let lang = Lang::of(&req);
    let notice = if query.out.is_some() {
        Some(lang.t("account-are-signed-out"))
    } else if query.expired.is_some() {
        Some(lang.t("account-session-has-expired-sign"))
    } else {
        None
    };
    let next = safe_next(query.next.as_deref());
    login_page(
        &req,
        &state,
        StatusCode::OK,
        &next,
        "",
        None,
        notice.map(str::to_owned),
    )
}

/// The answer to a form posted after its session expired: the sign-in page, saying so.
/// What was typed (never a password or a code) is kept, sealed, for the person of that
/// session — the form must carry that session's anti-forgery token — and drawn again
/// once they have signed in. A form of no session known goes back to its page instead.
pub(super) async fn session_expired(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    form: &FormData,
) -> PageResult {
    let lang = Lang::of(req);
    let return_to =
        http::referring_page(req, state, "/console").unwrap_or_else(|| "/console".to_owned());
    let mut conn = state.pool.get().await?;
    let owner = match req.cookie(http::session_cookie_name(&state.settings)) {
        Some(cookie) => sessions::owner_of(&mut conn, cookie.value()).await?,
        None => None,
    };
    let (next, notice) = match owner {
        Some((_, csrf)) if !http::csrf_is(&csrf, form) => return Ok(forged(req, state)),
        Some((user_id, _)) => {
            let draft = sessions::Draft {
                path: req.path().to_owned(),
                return_to,
                fields: form.kept(),
            };
            let id =
                sessions::keep_draft(&mut conn, &state.keys, user_id, draft, state.clock.now())
                    .await?;
            (
                format!("/console/resume/{id}"),
                lang.t("account-session-has-expired-so"),
            )
        }
        None => (return_to, lang.t("account-session-has-expired-sign-2")),
    };
    login_page(
        req,
        state,
        StatusCode::UNAUTHORIZED,
        &next,
        "",
        None,
        Some(notice.to_owned()),
    )
}

/// `/console/resume/{id}`: a form kept across an expired session, drawn again as it was
/// typed for the person who typed it (once; an hour at most). Nothing is saved until
/// they send it again. A draft of a form that cannot be drawn again goes to its page.
pub async fn resume(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: SignedIn,
    path: web::Path<String>,
) -> PageResult {
    let Ok(id) = path.parse::<Uuid>() else {
        return Ok(Page::redirect("/console"));
    };
    let mut conn = state.pool.get().await?;
    let Some(draft) =
        sessions::take_draft(&mut conn, &state.keys, id, s.user.id, state.clock.now()).await?
    else {
        return Ok(Page::redirect("/console"));
    };
    drop(conn);
    let sessions::Draft {
        path,
        return_to,
        fields,
    } = draft;
    if fields.is_empty() {
        return Ok(Page::redirect(&safe_next(Some(&return_to))));
    }
    let form = FormData::from_pairs(fields);
    match super::tasks::redraw(&req, &state, &s, &path, &form).await? {
        Some(page) => Ok(page),
        None => Ok(Page::redirect(&safe_next(Some(&return_to)))),
    }
}

/// The one message of every failed sign-in, whatever was wrong (as the API's 401).
fn wrong_credentials(lang: Lang) -> String {
    lang.t("account-email-address-password-wrong").to_owned()
}

/// The same words whether the password was right or wrong (no oracle).
fn stepped_up(lang: Lang) -> String {
    lang.t("account-there-have-been-too").to_owned()
}

pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<LoginQuery>,
    SignInForm(form): SignInForm,
) -> PageResult {
    sign_in(&req, &state, query.next.as_deref(), &form).await
}

async fn sign_in(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    next: Option<&str>,
    form: &FormData,
) -> PageResult {
    let lang = Lang::of(req);
    let email = form.get("email").unwrap_or_default();
    let next = safe_next(form.get("next").or(next));
    let failed =
        match sign_in::by_password(req, state, email, form.raw("password"), Some(&next)).await? {
            Ok(page) => return Ok(page),
            Err(failed) => failed,
        };
    let (status, message) = match failed {
        sign_in::Failed::WrongCredentials => (StatusCode::UNAUTHORIZED, wrong_credentials(lang)),
        sign_in::Failed::SteppedUp => (StatusCode::TOO_MANY_REQUESTS, stepped_up(lang)),
    };
    login_page(req, state, status, &next, email, Some(message), None)
}

pub async fn code_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    Visitor(s): Visitor,
) -> PageResult {
    let Some(s) = s else {
        return Ok(Page::redirect("/console/login"));
    };
    if s.stage != Stage::Otp {
        return Ok(Page::redirect("/console"));
    }
    code_page(&req, &state, &s, StatusCode::OK, None)
}

fn code_page(
    req: &HttpRequest,
    state: &AppState,
    s: &Session,
    status: StatusCode,
    error: Option<String>,
) -> PageResult {
    let lang = Lang::of(req);
    let f = Frame::of(req, state, s, lang.t("common-one-time-code"), "");
    Ok(Page::html(status, render(&Code { f, error })?))
}

pub async fn code(
    req: HttpRequest,
    state: web::Data<AppState>,
    PartForm {
        session: s,
        data: form,
    }: PartForm,
) -> PageResult {
    if s.stage != Stage::Otp {
        return Ok(Page::redirect("/console"));
    }
    let lang = Lang::of(&req);
    let ip = http::client_ip(&req, &state);
    let code = form.get("code").unwrap_or_default();
    match accounts::check_second_factor(&state, ip, &s.user.row, code).await {
        Ok(()) => {}
        Err(e) if e.code() == ErrorCode::Unauthenticated => {
            let message = lang.t("account-code-wrong-already-used");
            return code_page(
                &req,
                &state,
                &s,
                StatusCode::UNAUTHORIZED,
                Some(message.into()),
            );
        }
        Err(e) => return Err(e.into()),
    }
    let mut conn = state.pool.get().await?;
    let started = sessions::complete(&mut conn, &state.settings, &s, state.clock.now()).await?;
    Page::redirect(&safe_next(s.resume.as_deref())).with_cookie(&http::session_cookie(
        &state.settings,
        started.token,
        Lifetime::of(&state.settings, s.user.role),
    ))
}

pub async fn logout(
    state: web::Data<AppState>,
    PartForm { session: s, .. }: PartForm,
) -> PageResult {
    let mut conn = state.pool.get().await?;
    sessions::end(&mut conn, s.id).await?;
    tracing::info!(user.id = %s.user.id, "console sign-out");
    Page::redirect("/console/login?out=1").with_cookie(&http::removal(
        &state.settings,
        http::session_cookie_name(&state.settings),
    ))
}

#[derive(Deserialize)]
pub struct LanguageQuery {
    to: Option<String>,
    back: Option<String>,
}

/// The language switch: a cookie, then back to the page it was used on.
pub async fn language(state: web::Data<AppState>, query: web::Query<LanguageQuery>) -> PageResult {
    let lang = query
        .to
        .as_deref()
        .and_then(Language::parse)
        .unwrap_or_default();
    Page::redirect(&safe_next(query.back.as_deref()))
        .with_cookie(&http::lang_cookie(&state.settings, lang))
}

pub async fn accessibility(
    req: HttpRequest,
    state: web::Data<AppState>,
    Visitor(s): Visitor,
) -> PageResult {
    let lang = Lang::of(&req);
    let title = lang.t("common-accessibility-statement");
    let f = match s {
        Some(s) => Frame::of(&req, &state, &s, title, ""),
        None => Frame::anonymous(&req, &state, lang, title),
    };
    Ok(Page::html(StatusCode::OK, render(&Accessibility { f })?))
}

pub fn role_label(lang: Lang, role: Role) -> &'static str {
    match role {
        Role::Volunteer => lang.t("account-volunteer"),
        Role::Staff => lang.t("account-staff"),
        Role::Coordinator => lang.t("account-council-coordinator"),
        Role::Admin => lang.t("account-administrator"),
    }
}

#[derive(Deserialize)]
pub struct AccountQuery {
    done: Option<String>,
}

pub async fn account(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: SignedIn,
    query: web::Query<AccountQuery>,
) -> PageResult {
    let lang = Lang::of(&req);
    let notice = (query.done.as_deref() == Some("password"))
        .then(|| lang.t("account-password-changed-are-signed").to_owned());
    account_page(&req, &state, &s, StatusCode::OK, notice, None).await
}

async fn account_page(
    req: &HttpRequest,
    state: &AppState,
    s: &Session,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> PageResult {
    let lang = Lang::of(req);
    let mut conn = state.pool.get().await?;
    let (enrolled, recovery_left) = second_factor::standing(&mut conn, s.user.id).await?;
    let place = crate::services::reference::place_name(
        &mut conn,
        s.user.service_unit_id,
        s.user.council_id,
    )
    .await?;
    let page = Account {
        f: Frame::of(
            req,
            state,
            s,
            lang.t("common-my-account"),
            "/console/account",
        ),
        name: s.user.row.name.clone(),
        email: s.user.row.email.clone(),
        role: role_label(lang, s.user.role).to_owned(),
        place,
        enrolled,
        recovery_left,
        coordinator: s.user.role == Role::Coordinator,
        notice,
        error,
    };
    Ok(Page::html(status, render(&page)?))
}

/// Changes the password from `Min konto`: the current one proves it is the person, every
/// other session and refresh token ends (as the API's change does), and this browser
/// gets a new session.
pub async fn change_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    Form {
        session: s,
        data: form,
        ..
    }: Form,
) -> PageResult {
    let lang = Lang::of(&req);
    let ip = http::client_ip(&req, &state);
    let changed = accounts::change_password(
        &state,
        &s.user,
        ip,
        form.raw("current_password").to_owned(),
        form.raw("password").to_owned(),
    )
    .await;
    match changed {
        Ok(()) => {}
        Err(e) if e.code() == ErrorCode::ValidationFailed => {
            let wrong_current = e
                .field_errors()
                .iter()
                .any(|f| f.field == "current_password");
            let message = if wrong_current {
                lang.t("account-current-password-wrong-password")
            } else {
                lang.t("account-new-password-too-weak")
            };
            return account_page(
                &req,
                &state,
                &s,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(message.to_owned()),
            )
            .await;
        }
        Err(e) => return Err(e.into()),
    }
    let mut conn = state.pool.get().await?;
    let lifetime = Lifetime::of(&state.settings, s.user.role);
    let started = sessions::start(
        &mut conn,
        lifetime,
        s.user.id,
        Stage::Full,
        true,
        None,
        state.clock.now(),
    )
    .await?;
    Page::redirect("/console/account?done=password").with_cookie(&http::session_cookie(
        &state.settings,
        started.token,
        lifetime,
    ))
}

fn forgot_page(req: &HttpRequest, state: &AppState, notice: Option<String>) -> PageResult {
    let lang = Lang::of(req);
    let token = http::login_token(req, state);
    let page = Forgot {
        f: Frame::anonymous(req, state, lang, lang.t("common-forgot-password")),
        csrf: token.form_value,
        notice,
    };
    Page::html(StatusCode::OK, render(&page)?).with_login_cookie(token.cookie)
}

/// `Glemt passord?`: the API's reset flow from the sign-in page.
pub async fn forgot_form(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    forgot_page(&req, &state, None)
}

/// Asks for a reset link. The answer is the same whether or not the address has an
/// account (no enumeration), and the link goes through the same limits as the API's.
pub async fn forgot(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignInForm(form): SignInForm,
) -> PageResult {
    let lang = Lang::of(&req);
    let email = form.get("email").unwrap_or_default();
    match accounts::request_password_reset(&state, email).await {
        Ok(()) => {}
        // A malformed address is answered as any other: nothing to tell apart.
        Err(e) if e.code() == ErrorCode::ValidationFailed => {}
        Err(e) => return Err(e.into()),
    }
    let notice = lang.t("account-if-address-has-account");
    forgot_page(&req, &state, Some(notice.to_owned()))
}

/// Whether a session may enrol an authenticator: one that must (stage `enrol`), or a
/// signed-in person of a role that uses a second factor. Else where it goes instead.
fn not_enrolling(s: &Session) -> Option<Page> {
    match s.stage {
        Stage::Otp => Some(Page::redirect("/console/login/code")),
        Stage::Full if !second_factor::applies_to(s.user.role) => Some(Page::redirect("/console")),
        _ => None,
    }
}

async fn enrol_page(
    req: &HttpRequest,
    state: &AppState,
    s: &Session,
    status: StatusCode,
    error: Option<String>,
) -> PageResult {
    let lang = Lang::of(req);
    let mut conn = state.pool.get().await?;
    let enrolment = match &s.pending_totp_secret {
        Some(secret) => Enrolment::of(&state.settings, &s.user, secret.clone()),
        None => {
            let e = Enrolment::new(&state.settings, &s.user);
            sessions::keep_pending_secret(&mut conn, &state.keys, s, &e.secret).await?;
            e
        }
    };
    let (enrolled, _) = second_factor::standing(&mut conn, s.user.id).await?;
    let page = Enrol {
        f: Frame::of(
            req,
            state,
            s,
            lang.t("common-two-factor-authentication"),
            "/console/account",
        ),
        qr: second_factor::qr_svg(&enrolment.uri)?,
        secret: enrolment.secret_text,
        required: s.stage == Stage::Enrol,
        enrolled,
        ask_password: s.stage == Stage::Full,
        error,
    };
    Ok(Page::html(status, render(&page)?))
}

pub async fn enrol_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    Visitor(s): Visitor,
) -> PageResult {
    let Some(s) = s else {
        return Ok(Page::redirect("/console/login"));
    };
    if let Some(go) = not_enrolling(&s) {
        return Ok(go);
    }
    enrol_page(&req, &state, &s, StatusCode::OK, None).await
}

pub async fn enrol(
    req: HttpRequest,
    state: web::Data<AppState>,
    PartForm {
        session: s,
        data: form,
    }: PartForm,
) -> PageResult {
    if let Some(go) = not_enrolling(&s) {
        return Ok(go);
    }
    let lang = Lang::of(&req);
    let Some(secret) = s.pending_totp_secret.clone() else {
        return enrol_page(&req, &state, &s, StatusCode::UNPROCESSABLE_ENTITY, None).await;
    };
    if s.stage == Stage::Full {
        // A signed-in session replacing its authenticator proves the password again:
        // a care PC left unlocked must not let someone else take over the account.
        let ip = http::client_ip(&req, &state);
        let checked = accounts::authenticate(
            &state,
            ip,
            &s.user.row.email,
            form.raw("password").to_owned(),
        )
        .await;
        match checked {
            Ok(user) if user.id == s.user.id => {}
            Ok(_) | Err(_) => {
                let message = lang.t("account-password-wrong");
                return enrol_page(
                    &req,
                    &state,
                    &s,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Some(message.into()),
                )
                .await;
            }
        }
    }
    let code = form.get("code").unwrap_or_default().to_owned();
    let mut conn = state.pool.get().await?;
    let user_id = s.user.id;
    let confirmed = conn
        .transaction(async |conn| {
            second_factor::confirm_enrolment(
                conn,
                &state.keys,
                user_id,
                &secret,
                &code,
                state.clock.now(),
            )
            .await
        })
        .await;
    let codes = match confirmed {
        Ok(codes) => codes,
        Err(e) if e.code() == ErrorCode::ValidationFailed => {
            let message = lang.t("account-code-does-not-match");
            return enrol_page(
                &req,
                &state,
                &s,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(message.into()),
            )
            .await;
        }
        Err(e) => return Err(e.into()),
    };
    // A new factor ends every other session and refresh token of the person; this one
    // is replaced by a new session either way (the half-way one becomes a full one, and
    // a full one drops the secret it was showing).
    sessions::end_all_for_new_factor(&mut conn, user_id).await?;
    let started = sessions::complete(&mut conn, &state.settings, &s, state.clock.now()).await?;
    let new_session = sessions::resolve(
        &mut conn,
        &state.settings,
        &started.token,
        state.clock.now(),
    )
    .await?
    .ok_or_else(|| DomainError::internal(anyhow::anyhow!("the new session is gone")))?;
    let page = Recovery {
        f: Frame::of(
            &req,
            &state,
            &new_session,
            lang.t("common-recovery-codes"),
            "/console/account",
        ),
        codes,
    };
    Page::html(StatusCode::OK, render(&page)?).with_cookie(&http::session_cookie(
        &state.settings,
        started.token,
        Lifetime::of(&state.settings, new_session.user.role),
    ))
}
