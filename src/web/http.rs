//! The web edge's HTTP plumbing: the session cookie, the anti-forgery tokens, form
//! bodies, the client's address.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::{HttpRequest, web};

use crate::domain::Language;
use crate::routes::state::AppState;
use crate::services::sessions::{self, Session};
use crate::settings::Settings;

const LOGIN_COOKIE: &str = "dugnad_login";

/// Whether the service is reached over https (then cookies are `Secure` and the session
/// cookie takes the `__Host-` prefix, which browsers bind to this exact origin).
fn https(settings: &Settings) -> bool {
    settings.public_url.scheme() == "https"
}

pub fn session_cookie_name(settings: &Settings) -> &'static str {
    if https(settings) {
        "__Host-dugnad_session"
    } else {
        "dugnad_session"
    }
}

fn cookie(settings: &Settings, name: &str, value: String) -> Cookie<'static> {
    let mut c = Cookie::new(name.to_owned(), value);
    c.set_path("/");
    c.set_http_only(true);
    c.set_same_site(SameSite::Lax);
    c.set_secure(https(settings));
    c
}

/// The session cookie. A console session's has no `Max-Age`, so it goes when the browser
/// closes (the server ends it after 30 idle minutes or 12 hours anyway); a volunteer's
/// stays as long as the session may idle, and is set again as it slides
/// ([`sliding_cookie`]).
pub fn session_cookie(
    settings: &Settings,
    token: String,
    lifetime: sessions::Lifetime,
) -> Cookie<'static> {
    let mut c = cookie(settings, session_cookie_name(settings), token);
    if lifetime.persistent() {
        c.set_max_age(actix_web::cookie::time::Duration::seconds(
            lifetime.idle.num_seconds(),
        ));
    }
    c
}

/// A cookie that removes the session cookie.
pub fn removal(settings: &Settings, name: &str) -> Cookie<'static> {
    let mut c = cookie(settings, name, String::new());
    c.make_removal();
    c
}

pub fn lang_cookie(settings: &Settings, lang: Language) -> Cookie<'static> {
    let mut c = cookie(settings, super::lang::LANG_COOKIE, lang.as_str().to_owned());
    c.set_max_age(actix_web::cookie::time::Duration::days(365));
    c
}

/// The id in a console path; anything that is not one names nothing (404, `missing` says
/// what, e.g. "no such task").
pub fn path_id(
    path: &web::Path<String>,
    missing: &'static str,
) -> Result<uuid::Uuid, crate::domain::error::DomainError> {
    uuid::Uuid::parse_str(path.as_str())
        .map_err(|_| crate::domain::error::DomainError::not_found(missing))
}

/// A form body, as name–value pairs in order.
#[derive(Clone)]
pub struct FormData(Vec<(String, String)>);

impl FormData {
    pub fn parse(body: &[u8]) -> Self {
        Self(serde_urlencoded::from_bytes(body).unwrap_or_default())
    }

    /// The first value of `name`, trimmed; `None` when missing or empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// Every non-empty value of `name`, trimmed, in order (a group of checkboxes).
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_owned())
            .collect()
    }

    /// The value as typed, not trimmed (passwords).
    pub fn raw(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// The fields worth keeping across an expired session, as typed: never a password,
    /// a code or the anti-forgery token.
    pub fn kept(&self) -> Vec<(String, String)> {
        self.0
            .iter()
            .filter(|(k, _)| !(k == "csrf" || k == "code" || k.contains("password")))
            .cloned()
            .collect()
    }

    /// A form made of fields kept before.
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        Self(pairs)
    }

    /// Every `(suffix, value)` of fields named `prefix…`.
    pub fn with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.0
            .iter()
            .filter_map(move |(k, v)| k.strip_prefix(prefix).map(|s| (s, v.trim())))
    }
}

/// Compares two secrets in constant time.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Whether the form carries the anti-forgery token `expected`.
pub fn csrf_is(expected: &str, form: &FormData) -> bool {
    form.get("csrf").is_some_and(|t| same_secret(t, expected))
}

/// The page under `prefix` a request came from, by its `Referer` on this service's own
/// origin.
pub fn referring_page(req: &HttpRequest, state: &AppState, prefix: &str) -> Option<String> {
    let referer = req.headers().get("referer")?.to_str().ok()?;
    let url = url::Url::parse(referer).ok()?;
    let own = state.settings.public_url.origin();
    (url.origin() == own && url.path().starts_with(prefix)).then(|| url.path().to_owned())
}

/// The anti-forgery token of the sign-in form, before there is a session: a random value
/// in a cookie, and in the form its signature with the server key (a site that can set
/// cookies for a neighbouring domain still cannot sign one).
pub struct LoginToken {
    pub cookie: Option<Cookie<'static>>,
    pub form_value: String,
}

pub fn login_token(req: &HttpRequest, state: &AppState) -> LoginToken {
    let existing = req
        .cookie(LOGIN_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() == 43);
    let (value, cookie) = match existing {
        Some(v) => (v, None),
        None => {
            let v = crate::random::token(32);
            let c = cookie(&state.settings, LOGIN_COOKIE, v.clone());
            (v, Some(c))
        }
    };
    LoginToken {
        cookie,
        form_value: state
            .keys
            .sign(format!("console-login\0{value}").as_bytes()),
    }
}

/// Whether the browser says this request came from another site: `Sec-Fetch-Site:
/// cross-site`, or an `Origin` that is not the service's own (`null` included). A request
/// that carries neither (an old browser, a script) is judged by its token alone.
pub fn cross_site(req: &HttpRequest, state: &AppState) -> bool {
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_ascii_lowercase)
    };
    if header("sec-fetch-site").is_some_and(|site| site == "cross-site") {
        return true;
    }
    match header("origin") {
        None => false,
        Some(origin) => {
            let own = state.settings.public_url.origin().ascii_serialization();
            origin != own.to_ascii_lowercase()
        }
    }
}

pub fn login_token_ok(req: &HttpRequest, state: &AppState, form: &FormData) -> bool {
    match (req.cookie(LOGIN_COOKIE), form.get("csrf")) {
        (Some(c), Some(sig)) => state
            .keys
            .verify(format!("console-login\0{}", c.value()).as_bytes(), sig),
        _ => false,
    }
}

/// Whether the browser sent a session cookie (an ended session's, if it names none).
pub fn has_session_cookie(req: &HttpRequest, state: &AppState) -> bool {
    req.cookie(session_cookie_name(&state.settings)).is_some()
}

/// The cookie of a sliding session that a request used, for its front end to set again
/// on the answer (so that the cookie lasts as long as the session now does).
#[derive(Clone)]
pub struct Sliding(pub Cookie<'static>);

/// The session of this request, whatever its stage. A sliding session leaves its cookie,
/// renewed, in the request's extensions ([`Sliding`]).
pub async fn session(
    req: &HttpRequest,
    state: &AppState,
) -> Result<Option<Session>, crate::domain::error::DomainError> {
    let Some(token) = req.cookie(session_cookie_name(&state.settings)) else {
        return Ok(None);
    };
    let mut conn = state.pool.get().await?;
    let session =
        sessions::resolve(&mut conn, &state.settings, token.value(), state.clock.now()).await?;
    if let Some(s) = &session {
        let lifetime = sessions::Lifetime::of(&state.settings, s.user.role);
        if lifetime.persistent() {
            let renewed = session_cookie(&state.settings, token.value().to_owned(), lifetime);
            actix_web::HttpMessage::extensions_mut(req).insert(Sliding(renewed));
        }
    }
    Ok(session)
}

/// The client's address for the login limits, as the API finds it.
pub fn client_ip(req: &HttpRequest, state: &web::Data<AppState>) -> Option<std::net::IpAddr> {
    crate::auth::client_ip::client_ip(req, &state.settings.trusted_proxies)
}
