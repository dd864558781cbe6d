//! The small pages behind links in emails (`/e/…`). A GET only shows a page — mail
//! scanners prefetch links — and its button POSTs the action to the API.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use crate::domain::Language;
use crate::email::templates::escape_html;

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    pub token: Option<String>,
    pub lang: Option<String>,
}

fn language(query: &PageQuery, req: &HttpRequest) -> Language {
    match query.lang.as_deref() {
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

/// What one page asks for and where its button posts.
struct PageSpec {
    title: (&'static str, &'static str),
    intro: (&'static str, &'static str),
    button: (&'static str, &'static str),
    done: (&'static str, &'static str),
    endpoint: &'static str,
    with_password: bool,
    /// The token goes in the query string (the one-click URL of `List-Unsubscribe` and the
    /// release link), not in a JSON body.
    token_in_query: bool,
}

const VERIFY: PageSpec = PageSpec {
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
    endpoint: "/api/v1/auth/verify-email",
    with_password: false,
    token_in_query: false,
};

const RESET: PageSpec = PageSpec {
    title: ("Nytt passord", "New password"),
    intro: (
        "Velg et nytt passord på minst 10 tegn. Du blir logget ut på alle enheter.",
        "Choose a new password of at least 10 characters. You will be logged out on every device.",
    ),
    button: ("Lagre passordet", "Save password"),
    done: (
        "Passordet er endret. Du kan logge inn i appen.",
        "Your password is changed. You can log in in the app.",
    ),
    endpoint: "/api/v1/auth/password-reset/confirm",
    with_password: true,
    token_in_query: false,
};

const UNSUBSCRIBE: PageSpec = PageSpec {
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
    endpoint: "/api/v1/links/unsubscribe",
    with_password: false,
    token_in_query: true,
};

const RELEASE: PageSpec = PageSpec {
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
    endpoint: "/api/v1/links/release",
    with_password: false,
    token_in_query: true,
};

const SET: PageSpec = PageSpec {
    title: ("Velg passord", "Choose your password"),
    intro: (
        "Velg et passord på minst 10 tegn for kontoen din.",
        "Choose a password of at least 10 characters for your account.",
    ),
    button: ("Lagre passordet", "Save password"),
    done: (
        "Passordet er lagret. Du kan logge inn.",
        "Your password is saved. You can log in.",
    ),
    endpoint: "/api/v1/auth/password-reset/confirm",
    with_password: true,
    token_in_query: false,
};

fn render(spec: &PageSpec, lang: Language, token: &str) -> HttpResponse {
    let t = |pair: (&'static str, &'static str)| escape_html(lang.pick(pair.0, pair.1));
    let password_field = if spec.with_password {
        format!(
            "<label>{}<br><input type=\"password\" name=\"password\" minlength=\"10\" required autocomplete=\"new-password\"></label>",
            t(("Passord", "Password"))
        )
    } else {
        String::new()
    };
    let failed = t((
        "Det gikk ikke. Lenken kan være brukt eller utløpt.",
        "That did not work. The link may be used or expired.",
    ));
    let html = format!(
        r#"<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>{title}</title>
<style>body{{font-family:sans-serif;max-width:30em;margin:2em auto;padding:0 1em;line-height:1.5}}button{{background:#005aa0;color:#fff;border:0;padding:.7em 1.4em;border-radius:4px;font-size:1em}}input{{font-size:1em;padding:.4em;width:100%;box-sizing:border-box}}</style>
</head><body>
<h1>{title}</h1>
<p>{intro}</p>
<form id="f">
<input type="hidden" name="token" value="{token}">
{password_field}
<p><button type="submit">{button}</button></p>
</form>
<p id="result" role="status"></p>
<script>
document.getElementById("f").addEventListener("submit", async function (e) {{
  e.preventDefault();
  var body = {{ token: this.token.value }};
  if (this.password) body.password = this.password.value;
  var out = document.getElementById("result");
  var inQuery = {token_in_query};
  var url = inQuery ? "{endpoint}?token=" + encodeURIComponent(this.token.value) : "{endpoint}";
  var init = inQuery ? {{ method: "POST" }} : {{ method: "POST", headers: {{ "Content-Type": "application/json" }}, body: JSON.stringify(body) }};
  try {{
    var r = await fetch(url, init);
    if (r.ok) {{ out.textContent = {done:?}; this.hidden = true; return; }}
    var p = await r.json().catch(function () {{ return {{}}; }});
    out.textContent = (p.errors && p.errors[0] && p.errors[0].field === "password") ? p.errors[0].message : {failed:?};
  }} catch (err) {{ out.textContent = {failed:?}; }}
}});
</script>
</body></html>
"#,
        lang = lang.as_str(),
        title = t(spec.title),
        intro = t(spec.intro),
        token = escape_html(token),
        button = t(spec.button),
        endpoint = spec.endpoint,
        token_in_query = spec.token_in_query,
        done = lang.pick(spec.done.0, spec.done.1),
    );
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("Referrer-Policy", "no-referrer"))
        .insert_header((
            "Content-Security-Policy",
            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'self'; base-uri 'none'",
        ))
        .body(html)
}

fn page(spec: &PageSpec, query: &PageQuery, req: &HttpRequest) -> HttpResponse {
    render(
        spec,
        language(query, req),
        query.token.as_deref().unwrap_or_default(),
    )
}

pub async fn verify(query: web::Query<PageQuery>, req: HttpRequest) -> HttpResponse {
    page(&VERIFY, &query, &req)
}

pub async fn reset_password(query: web::Query<PageQuery>, req: HttpRequest) -> HttpResponse {
    page(&RESET, &query, &req)
}

pub async fn set_password(query: web::Query<PageQuery>, req: HttpRequest) -> HttpResponse {
    page(&SET, &query, &req)
}

pub async fn unsubscribe(query: web::Query<PageQuery>, req: HttpRequest) -> HttpResponse {
    page(&UNSUBSCRIBE, &query, &req)
}

pub async fn release(query: web::Query<PageQuery>, req: HttpRequest) -> HttpResponse {
    page(&RELEASE, &query, &req)
}
