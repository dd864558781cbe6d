//! The web console over real HTTP: sign-in, sessions, the second factor, anti-forgery
//! tokens, the staff's pages and what they must never show.

use std::collections::HashMap;

use dugnad::domain::account::Role;
use serde_json::{Value, json};

use crate::helpers::{TEST_PASSWORD, TestApp, id_of};

/// A browser without JavaScript: a cookie jar and forms.
pub struct Browser<'a> {
    app: &'a TestApp,
    cookies: HashMap<String, String>,
}

pub struct Page {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Page {
    pub fn location(&self) -> Option<&str> {
        self.headers.get("location").and_then(|v| v.to_str().ok())
    }

    /// The value of the first hidden input `name`.
    pub fn hidden(&self, name: &str) -> String {
        let marker = format!("name=\"{name}\" value=\"");
        let start = self
            .body
            .find(&marker)
            .unwrap_or_else(|| panic!("no field {name} in:\n{}", self.body))
            + marker.len();
        let end = self.body[start..].find('"').expect("closing quote") + start;
        self.body[start..end].to_owned()
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Self {
            app,
            cookies: HashMap::new(),
        }
    }

    async fn send(&mut self, request: reqwest::RequestBuilder) -> Page {
        let cookie = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let request = if cookie.is_empty() {
            request
        } else {
            request.header("cookie", cookie)
        };
        let response = request.send().await.expect("request sent");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        for set in headers.get_all("set-cookie") {
            let set = set.to_str().expect("ascii cookie");
            let pair = set.split(';').next().expect("pair");
            let (name, value) = pair.split_once('=').expect("name=value");
            if value.is_empty() || set.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        let body = response.text().await.expect("body");
        Page {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let request = self.app.client.get(self.app.url(path));
        self.send(request).await
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let body = serde_urlencoded::to_string(form).expect("form");
        let request = self
            .app
            .client
            .post(self.app.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        self.send(request).await
    }

    /// Every cookie the browser holds, as one `Cookie` header.
    pub fn cookies_header(&self) -> Option<String> {
        (!self.cookies.is_empty()).then(|| {
            self.cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ")
        })
    }

    pub fn session_cookie(&self) -> Option<String> {
        self.cookies.get("dugnad_session").cloned()
    }

    pub fn set_cookie(&mut self, name: &str, value: &str) {
        self.cookies.insert(name.into(), value.into());
    }

    /// Signs in through the login form; answers the page after the redirect.
    pub async fn sign_in(&mut self, email: &str, password: &str) -> Page {
        let form = self.get("/console/login").await;
        let csrf = form.hidden("csrf");
        self.post(
            "/console/login",
            &[("csrf", &csrf), ("email", email), ("password", password)],
        )
        .await
    }

    /// The anti-forgery token of the session, read off a page that carries it.
    pub async fn csrf(&mut self) -> String {
        self.get("/console/accessibility").await.hidden("csrf")
    }
}

/// An account made as `dugnad create-user` makes it, not logged in anywhere.
async fn account(app: &TestApp, role: Role, unit: Option<uuid::Uuid>) -> (uuid::Uuid, String) {
    let email = format!(
        "{}-{}@example.no",
        role.as_str(),
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    );
    let mut conn = app.pool.get().await.expect("connection");
    let user = dugnad::services::users::create_from_cli(
        &mut conn,
        &dugnad::services::users::NewAccount {
            email: email.clone(),
            name: format!("Konsoll {}", role.as_str()),
            role,
            service_unit_id: unit,
            council_id: None,
            phone: Some("+47 400 00 001".into()),
            language: None,
        },
        TEST_PASSWORD,
    )
    .await
    .expect("user created");
    (user.id, email)
}

/// The form fields of a new task, with overrides.
fn task_form<'f>(
    csrf: &'f str,
    key: &'f str,
    category: &'f str,
    extra: &[(&'f str, &'f str)],
) -> Vec<(&'f str, &'f str)> {
    let mut fields = vec![
        ("csrf", csrf),
        ("idempotency_key", key),
        ("title", "Handletur til Kiwi"),
        ("description", "Handle inn til helgen."),
        ("category_id", category),
        ("council_id", ""),
        ("starts_at", "2031-05-06T10:00"),
        ("duration_minutes", "90"),
        ("spots", "1"),
        ("area_hint", "Torstrand"),
        ("private.address", "Kongegata 7"),
        ("private.recipient_name", "Ingrid Berg"),
        ("private.recipient_phone", "+47 922 22 222"),
        ("private.notes", "Ringer på to ganger"),
    ];
    for (k, v) in extra {
        if let Some(slot) = fields.iter_mut().find(|(name, _)| name == k) {
            slot.1 = v;
        }
    }
    fields
}

async fn staff_browser<'a>(app: &'a TestApp, unit: uuid::Uuid) -> (Browser<'a>, String) {
    let (_, email) = account(app, Role::Staff, Some(unit)).await;
    let mut browser = Browser::new(app);
    let page = browser.sign_in(&email, TEST_PASSWORD).await;
    assert_eq!(page.status, 303, "sign-in: {}", page.body);
    (browser, email)
}

async fn task_count(app: &TestApp) -> i64 {
    app.query_json("SELECT count(*) AS n FROM tasks").await[0]["n"]
        .as_i64()
        .expect("count")
}

#[tokio::test]
async fn the_login_page_has_its_labels_and_the_console_headers() {
    let app = TestApp::spawn().await;
    let mut browser = Browser::new(&app);
    let page = browser.get("/console/login").await;
    assert_eq!(page.status, 200);
    for needle in [
        "<label for=\"email\">E-post</label>",
        "<label for=\"password\">Passord</label>",
        ">Logg inn</button>",
        "<header",
        "<main",
        "Tilgjengelighetserklæring",
    ] {
        assert!(page.body.contains(needle), "{needle} missing");
    }
    let csp = page.header("content-security-policy");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(
        csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(page.header("x-content-type-options"), "nosniff");
    assert_eq!(page.header("cache-control"), "no-store");
    assert_eq!(page.header("referrer-policy"), "same-origin");
    assert!(!page.body.contains("<script"));
    let english = browser
        .get("/console/language?to=en&back=/console/login")
        .await;
    assert_eq!(english.location(), Some("/console/login"));
    let page = browser.get("/console/login").await;
    assert!(page.body.contains(">Email</label>") && page.body.contains(">Sign in</button>"));
    // The language switch does not send anyone off the site.
    let away = browser
        .get("/console/language?to=nb&back=//evil.example")
        .await;
    assert_eq!(away.location(), Some("/console"));
}

#[tokio::test]
async fn every_failed_sign_in_gets_the_same_message_and_the_cookie_is_strict() {
    let app = TestApp::spawn().await;
    let unit = app.service_unit("Hjemmetjenesten").await;
    let (_, email) = account(&app, Role::Staff, Some(unit)).await;
    let mut browser = Browser::new(&app);
    let wrong = browser.sign_in(&email, "not-the-password-at-all").await;
    let unknown = browser.sign_in("nobody@example.no", TEST_PASSWORD).await;
    assert_eq!(wrong.status, 401);
    assert_eq!(unknown.status, 401);
    let message = "E-postadressen eller passordet er feil.";
    assert!(wrong.body.contains(message) && unknown.body.contains(message));
    assert!(browser.session_cookie().is_none());
    let ok = browser.sign_in(&email, TEST_PASSWORD).await;
    assert_eq!(ok.status, 303);
    let set = ok.header("set-cookie");
    assert!(set.starts_with("dugnad_session="), "{set}");
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );
    // The stored token is a hash, never the cookie's value.
    let cookie = browser.session_cookie().expect("session");
    let rows = app
        .query_json("SELECT encode(token_hash, 'hex') AS h FROM console_sessions")
        .await;
    assert_eq!(rows.len(), 1);
    assert!(!rows[0]["h"].as_str().expect("hash").contains(&cookie));
}

#[tokio::test]
async fn over_https_the_session_cookie_is_secure_and_host_bound() {
    let app = TestApp::spawn_with(|s| {
        s.public_url = "https://dugnad.larvik.test".parse().expect("url");
    })
    .await;
    let unit = app.service_unit("Hjemmetjenesten").await;
    let (_, email) = account(&app, Role::Staff, Some(unit)).await;
    let mut browser = Browser::new(&app);
    let ok = browser.sign_in(&email, TEST_PASSWORD).await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let set = ok.header("set-cookie");
    assert!(set.starts_with("__Host-dugnad_session="), "{set}");
    assert!(
        set.contains("Secure") && set.contains("Path=/") && !set.contains("Domain"),
        "{set}"
    );
}

#[tokio::test]
async fn a_task_posted_in_the_console_is_served_by_the_api_with_its_private_block_guarded() {
    let app = TestApp::spawn().await;
    let unit = app.service_unit("Hjemmetjenesten Sentrum").await;
    let (mut browser, _) = staff_browser(&app, unit).await;
    let form = browser.get("/console/tasks/new").await;
    assert_eq!(form.status, 200);
    for label in [
        "Tittel",
        "Beskrivelse",
        "Kategori",
        "Nærmiljøutvalg",
        "Starttid",
        "Varighet (minutter)",
        "Antall plasser",
        "Område",
        "Adresse",
        "Mottakers navn",
        "Mottakers telefon",
        "Notater",
    ] {
        assert!(
            form.body.contains(&format!("\">{label}</label>")),
            "label {label}"
        );
    }
    assert!(form.body.contains(">Publiser</button>"));
    assert!(form.body.contains("Tittelen er offentlig tekst"));
    let csrf = form.hidden("csrf");
    let key = form.hidden("idempotency_key");
    let category = app.category_id("shopping-errands").await.to_string();
    let posted = browser
        .post(
            "/console/tasks/new",
            &task_form(&csrf, &key, &category, &[]),
        )
        .await;
    assert_eq!(posted.status, 303, "{}", posted.body);
    let location = posted.location().expect("location").to_owned();
    let id = location
        .trim_start_matches("/console/tasks/")
        .split('?')
        .next()
        .expect("id")
        .to_owned();
    // Submitted again (a double click, a reload): the same task, not a second one.
    let again = browser
        .post(
            "/console/tasks/new",
            &task_form(&csrf, &key, &category, &[]),
        )
        .await;
    assert_eq!(again.status, 303);
    assert_eq!(
        again.location(),
        Some(format!("/console/tasks/{id}").as_str())
    );
    assert_eq!(task_count(&app).await, 1);

    let page = browser.get(&format!("/console/tasks/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Kongegata 7") && page.body.contains("Ingrid Berg"));
    assert_eq!(page.header("cache-control"), "no-store");
    let list = browser.get("/console/tasks").await;
    assert!(list.body.contains("Handletur til Kiwi"));

    // The API serves it to volunteers, without the private block until they claim it.
    let volunteer = app.volunteer().await;
    let seen = app.task_as(&volunteer, &id).await;
    assert_eq!(seen["title"], "Handletur til Kiwi");
    assert!(seen["private"].is_null(), "{seen}");
    assert_eq!(
        seen["starts_at"], "2031-05-06T08:00:00.000Z",
        "10:00 in Oslo in May"
    );
    app.claimed(&volunteer, &id).await;
    let held = app.task_as(&volunteer, &id).await;
    assert_eq!(held["private"]["address"], "Kongegata 7");
    // The claimant shows on the task page with their contact details.
    let page = browser.get(&format!("/console/tasks/{id}")).await;
    assert!(
        page.body.contains(&volunteer.email),
        "claimant's email on the page"
    );
    assert!(
        page.body.contains("+47 400 00 000"),
        "claimant's phone on the page"
    );
    app.deliver_mail().await;
}

#[tokio::test]
async fn a_form_with_errors_shows_them_by_their_fields_in_norwegian_with_a_fresh_key() {
    let app = TestApp::spawn().await;
    let unit = app.service_unit("Hjemmetjenesten").await;
    let (mut browser, _) = staff_browser(&app, unit).await;
    let form = browser.get("/console/tasks/new").await;
    let csrf = form.hidden("csrf");
    let key = form.hidden("idempotency_key");
    let category = app.category_id("shopping-errands").await.to_string();
    let bad = browser
        .post(
            "/console/tasks/new",
            &task_form(
                &csrf,
                &key,
                &category,
                &[
                    ("title", ""),
                    ("starts_at", "2020-01-01T10:00"),
                    ("spots", "99"),
                ],
            ),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.body.contains("id=\"title-error\">Må fylles ut."),
        "{}",
        bad.body
    );
    assert!(
        bad.body
            .contains("id=\"starts_at-error\">Må være fram i tid.")
    );
    assert!(
        bad.body
            .contains("id=\"spots-error\">Må være et helt tall fra 1 til 50.")
    );
    assert!(bad.body.contains("aria-describedby=\"spots-error\""));
    // What was typed stays, and the form carries a new key.
    assert!(bad.body.contains("value=\"Kongegata 7\""));
    let fresh = bad.hidden("idempotency_key");
    assert_ne!(fresh, key);
    assert_eq!(task_count(&app).await, 0);
    // The same refusals in nynorsk, for a person who switched to it.
    let switched = browser
        .get("/console/language?to=nn&back=/console/tasks/new")
        .await;
    assert_eq!(switched.location(), Some("/console/tasks/new"));
    let nynorsk = browser
        .post(
            "/console/tasks/new",
            &task_form(&csrf, &fresh, &category, &[("title", ""), ("spots", "99")]),
        )
        .await;
    assert_eq!(nynorsk.status, 422);
    assert!(
        nynorsk.body.contains("<html lang=\"nn\""),
        "{}",
        nynorsk.body
    );
    assert!(nynorsk.body.contains("id=\"title-error\">Må fyllast ut."));
    assert!(
        nynorsk
            .body
            .contains("id=\"spots-error\">Må vere eit heilt tal frå 1 til 50.")
    );
    let fresh = nynorsk.hidden("idempotency_key");
    let back = browser
        .get("/console/language?to=nb&back=/console/tasks/new")
        .await;
    assert_eq!(back.location(), Some("/console/tasks/new"));
    let good = browser
        .post(
            "/console/tasks/new",
            &task_form(&csrf, &fresh, &category, &[]),
        )
        .await;
    assert_eq!(good.status, 303, "{}", good.body);
    assert_eq!(task_count(&app).await, 1);
}

#[tokio::test]
async fn a_post_without_this_sessions_token_changes_nothing() {
    let app = TestApp::spawn().await;
    let unit = app.service_unit("Hjemmetjenesten").await;
    let (mut mine, _) = staff_browser(&app, unit).await;
    let (mut other, _) = staff_browser(&app, unit).await;
    let category = app.category_id("shopping-errands").await.to_string();
    let others_token = other.csrf().await;
    for csrf in ["", "forged", others_token.as_str()] {
        let page = mine
            .post("/console/tasks/new", &task_form(csrf, "k1", &category, &[]))
            .await;
        assert_eq!(page.status, 403, "token {csrf:?}");
        assert!(page.body.contains("ingenting ble endret"));
    }
    assert_eq!(task_count(&app).await, 0);
    // Nor can a form sign out someone else.
    let out = mine
        .post("/console/logout", &[("csrf", &others_token)])
        .await;
    assert_eq!(out.status, 403);
    assert_eq!(mine.get("/console/tasks").await.status, 200);
    // The login form has its own token too.
    let mut stranger = Browser::new(&app);
    let page = stranger
        .post(
            "/console/login",
            &[("email", "x@example.no"), ("password", "y")],
        )
        .await;
    assert_eq!(page.status, 403);
}

/// Every path the console takes a form on, read from where its routes are mounted, with
/// the ids in it filled in.
fn console_form_paths() -> Vec<String> {
    form_paths(include_str!("../../src/console/mod.rs"), "/console")
}

/// Every POST route of a front end's scope (its `source`), under `prefix`, with made-up
/// ids.
pub fn form_paths(source: &str, prefix: &str) -> Vec<String> {
    let mut paths = Vec::new();
    let mut rest = source;
    while let Some(at) = rest.find(".route(") {
        rest = &rest[at + ".route(".len()..];
        let call = &rest[..rest.find(".to(").unwrap_or(rest.len())];
        if !call.contains("post()") {
            continue;
        }
        let path = call.split('"').nth(1).expect("a quoted path");
        let filled = path
            .replace("{id}", &uuid::Uuid::new_v4().to_string())
            .replace("{record}", &uuid::Uuid::new_v4().to_string());
        paths.push(format!("{prefix}{filled}"));
    }
    paths
}

/// The web edge checks the token before a handler sees a field: every form route of the
/// console, whoever posts it, refuses a form without this session's token, and changes
/// nothing.
#[tokio::test]
async fn every_form_route_refuses_a_form_without_the_token_before_its_handler_runs() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let mut browser = Browser::new(&app);
    assert_eq!(
        browser.sign_in(&admin.email, TEST_PASSWORD).await.status,
        303
    );
    let paths = console_form_paths();
    assert!(paths.len() >= 30, "only {} form routes found", paths.len());
    let before = app
        .query_json(
            "SELECT (SELECT count(*) FROM tasks) + (SELECT count(*) FROM users) \
             + (SELECT count(*) FROM categories) + (SELECT count(*) FROM council_opt_outs) AS n",
        )
        .await;
    for path in &paths {
        for csrf in ["", "forged"] {
            let page = browser
                .post(
                    path,
                    &[
                        ("csrf", csrf),
                        ("confirm", "yes"),
                        ("name_nb", "Ny"),
                        ("email", "ny@example.no"),
                    ],
                )
                .await;
            assert_eq!(
                page.status, 403,
                "{path} with token {csrf:?}: {}",
                page.body
            );
            assert!(
                page.body.contains("ingenting ble endret"),
                "{path}: {}",
                page.body
            );
        }
    }
    let after = app
        .query_json(
            "SELECT (SELECT count(*) FROM tasks) + (SELECT count(*) FROM users) \
             + (SELECT count(*) FROM categories) + (SELECT count(*) FROM council_opt_outs) AS n",
        )
        .await;
    assert_eq!(before, after);
    // The session is still there: nothing signed it out either.
    assert_eq!(browser.get("/console/account").await.status, 200);
}

#[tokio::test]
async fn the_api_refuses_the_console_cookie() {
    let app = TestApp::spawn().await;
    let unit = app.service_unit("Hjemmetjenesten").await;
    let (browser, _) = staff_browser(&app, unit).await;
    let cookie = browser.session_cookie().expect("session");
    let response = app
        .send(
            app.client
                .get(app.url("/api/v1/me"))
                .header("cookie", format!("dugnad_session={cookie}")),
        )
        .await;
    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn another_units_staff_sees_no_private_data_and_volunteers_are_sent_to_the_app() {
    let app = TestApp::spawn().await;
    let unit = app.service_unit("Hjemmetjenesten Sentrum").await;
    let other_unit = app.service_unit("Hjemmetjenesten Stavern").await;
    let staff = app.staff(unit).await;
    let task = app.post_task(&staff, json!({})).await;
    let id = crate::helpers::id_of(&task);
    let (mut stranger, _) = staff_browser(&app, other_unit).await;
    for path in [
        format!("/console/tasks/{id}"),
        format!("/console/tasks/{id}/edit"),
    ] {
        let page = stranger.get(&path).await;
        assert_eq!(page.status, 403, "{path}");
        assert!(!page.body.contains("Storgata 1") && !page.body.contains("Ruth Hansen"));
    }
    let csrf = stranger.csrf().await;
    let cancel = stranger
        .post(
            &format!("/console/tasks/{id}/cancel"),
            &[("csrf", &csrf), ("reason", "Nei")],
        )
        .await;
    assert_eq!(cancel.status, 403);
    assert_eq!(app.task_as(&staff, &id).await["status"], "open");
    let list = stranger.get("/console/tasks").await;
    assert!(
        !list.body.contains("Følge til legen"),
        "another unit's task in the list"
    );

    let volunteer = app.volunteer().await;
    let mut browser = Browser::new(&app);
    let page = browser.sign_in(&volunteer.email, TEST_PASSWORD).await;
    assert_eq!(page.status, 303);
    // Volunteers have a front end of their own: every console page sends them there.
    for path in [
        "/console",
        "/console/tasks",
        &format!("/console/tasks/{id}"),
    ] {
        let page = browser.get(path).await;
        assert_eq!(
            (page.status, page.location()),
            (303, Some("/oppgaver")),
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_stale_edit_is_refused_and_cancel_and_sign_out_work() {
    let app = TestApp::spawn().await;
    let unit = app.service_unit("Hjemmetjenesten").await;
    let staff = app.staff(unit).await;
    let task = app.post_task(&staff, json!({})).await;
    let id = crate::helpers::id_of(&task);
    let (mut browser, _) = staff_browser(&app, unit).await;
    let edit = browser.get(&format!("/console/tasks/{id}/edit")).await;
    assert_eq!(edit.status, 200);
    let csrf = edit.hidden("csrf");
    let version = edit.hidden("version");
    // Someone else saves first, through the API.
    let changed = app
        .patch(
            &format!("/api/v1/tasks/{id}"),
            Some(&staff.access_token),
            json!({"title": "Følge til tannlegen"}),
        )
        .await;
    assert_eq!(changed.status(), 200);
    let category = app.category_id("accompaniment").await.to_string();
    let mut fields = task_form(&csrf, "k", &category, &[("title", "Min versjon")]);
    fields.push(("version", &version));
    let stale = browser
        .post(&format!("/console/tasks/{id}/edit"), &fields)
        .await;
    assert_eq!(stale.status, 409, "{}", stale.body);
    assert!(stale.body.contains("Noen andre har endret oppgaven"));
    assert_eq!(
        app.task_as(&staff, &id).await["title"],
        "Følge til tannlegen"
    );

    let cancel = browser
        .post(
            &format!("/console/tasks/{id}/cancel"),
            &[("csrf", &csrf), ("reason", "Mottakeren er på sykehus")],
        )
        .await;
    assert_eq!(cancel.status, 303, "{}", cancel.body);
    assert_eq!(app.task_as(&staff, &id).await["status"], "cancelled");

    let cookie = browser.session_cookie().expect("session");
    let out = browser.post("/console/logout", &[("csrf", &csrf)]).await;
    assert_eq!(out.status, 303);
    assert_eq!(out.location(), Some("/console/login?out=1"));
    // The old cookie opens nothing any more.
    let mut thief = Browser::new(&app);
    thief.set_cookie("dugnad_session", &cookie);
    let page = thief.get("/console/tasks").await;
    assert_eq!(page.status, 303);
    assert!(
        page.location()
            .is_some_and(|l| l.starts_with("/console/login"))
    );
    app.deliver_mail().await;
}

#[tokio::test]
async fn sessions_end_when_idle_past_twelve_hours_and_on_a_password_change() {
    let app = TestApp::spawn().await;
    let unit = app.service_unit("Hjemmetjenesten").await;
    let (mut idle, _) = staff_browser(&app, unit).await;
    // Idle for 31 minutes a session is over; used every 25 minutes it stays, up to its
    // twelfth hour.
    let (mut busy, _) = staff_browser(&app, unit).await;
    app.clock.advance(chrono::Duration::minutes(29));
    assert_eq!(busy.get("/console/tasks").await.status, 200);
    app.clock.advance(chrono::Duration::minutes(2));
    assert_eq!(idle.get("/console/tasks").await.status, 303);
    for _ in 0..27 {
        app.clock.advance(chrono::Duration::minutes(25));
        assert_eq!(busy.get("/console/tasks").await.status, 200);
    }
    app.clock.advance(chrono::Duration::minutes(20));
    assert_eq!(
        busy.get("/console/tasks").await.status,
        303,
        "past 12 hours"
    );

    let staff = app.staff(unit).await;
    let mut browser = Browser::new(&app);
    assert_eq!(
        browser.sign_in(&staff.email, TEST_PASSWORD).await.status,
        303
    );
    assert_eq!(browser.get("/console/tasks").await.status, 200);
    let changed = app
        .post(
            "/api/v1/me/password",
            Some(&staff.access_token),
            json!({"current_password": TEST_PASSWORD, "password": "Et-helt-nytt-passord-77"}),
        )
        .await;
    assert_eq!(changed.status(), 204);
    assert_eq!(
        browser.get("/console/tasks").await.status,
        303,
        "a password change ends console sessions"
    );
    app.deliver_mail().await;
}

/// The code of an authenticator whose base32 key a page showed, `offset_steps` steps from
/// the service's time.
fn code_for(app: &TestApp, secret_base32: &str, offset_steps: i64) -> String {
    let secret = totp_rs::Secret::try_from_base32(secret_base32).expect("base32");
    let totp = totp_rs::Builder::new()
        .with_secret(secret.as_bytes().to_vec())
        .build()
        .expect("totp");
    let now = app.clock.now().timestamp() + offset_steps * 30;
    totp.generate(u64::try_from(now).expect("positive"))
        .to_string()
}

fn secret_on(page: &Page) -> String {
    let start = page
        .body
        .find("<code class=\"secret\">")
        .expect("secret shown")
        + 21;
    let end = page.body[start..].find('<').expect("end") + start;
    page.body[start..end].to_owned()
}

#[tokio::test]
async fn with_2fa_required_nobody_gets_in_without_a_code_and_a_recovery_code_works_once() {
    let app = TestApp::spawn_with(|s| s.require_2fa = true).await;
    let unit = app.service_unit("Hjemmetjenesten").await;
    let (_, email) = account(&app, Role::Staff, Some(unit)).await;
    let login = |otp: Option<String>| {
        let mut body = json!({"email": email, "password": TEST_PASSWORD});
        if let Some(otp) = otp {
            body["otp"] = Value::String(otp);
        }
        body
    };
    // No authenticator yet: no API token, and the console opens only the enrolment.
    let refused = app.post("/api/v1/auth/login", None, login(None)).await;
    crate::helpers::assert_problem(refused, 403, "otp_enrolment_required").await;
    let mut browser = Browser::new(&app);
    let signed = browser.sign_in(&email, TEST_PASSWORD).await;
    assert_eq!(signed.location(), Some("/console/account/2fa"));
    let tasks = browser.get("/console/tasks").await;
    assert_eq!(tasks.location(), Some("/console/account/2fa"));
    let enrol = browser.get("/console/account/2fa").await;
    assert!(enrol.body.contains("<svg"), "a QR code drawn on the server");
    let secret = secret_on(&enrol);
    let csrf = enrol.hidden("csrf");
    let wrong = browser
        .post(
            "/console/account/2fa",
            &[("csrf", &csrf), ("code", "000000")],
        )
        .await;
    assert_eq!(wrong.status, 422);
    assert_eq!(browser.get("/console/tasks").await.status, 303);
    let code = code_for(&app, &secret, 0);
    let done = browser
        .post("/console/account/2fa", &[("csrf", &csrf), ("code", &code)])
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    let recovery: Vec<String> = done
        .body
        .split("<li><code>")
        .skip(1)
        .map(|s| s[..s.find('<').expect("end")].to_owned())
        .collect();
    assert_eq!(recovery.len(), 10);
    let stored = app
        .query_json("SELECT encode(code_hash, 'hex') AS h FROM recovery_codes")
        .await;
    assert_eq!(stored.len(), 10);
    assert!(stored.iter().all(|r| {
        !recovery
            .iter()
            .any(|c| r["h"].as_str().is_some_and(|h| h.contains(c.as_str())))
    }));
    assert_eq!(
        browser.get("/console/tasks").await.status,
        200,
        "signed in after enrolling"
    );

    // The API now needs the code; the one just used is spent.
    let without = app.post("/api/v1/auth/login", None, login(None)).await;
    crate::helpers::assert_problem(without, 401, "otp_required").await;
    let replay = app
        .post("/api/v1/auth/login", None, login(Some(code.clone())))
        .await;
    crate::helpers::assert_problem(replay, 401, "unauthenticated").await;
    let next = code_for(&app, &secret, 1);
    let ok = app
        .post("/api/v1/auth/login", None, login(Some(next)))
        .await;
    assert_eq!(ok.status(), 200);

    // The console asks for the code after the password; a recovery code works once.
    let mut second = Browser::new(&app);
    let half = second.sign_in(&email, TEST_PASSWORD).await;
    assert_eq!(half.location(), Some("/console/login/code"));
    assert_eq!(
        second.get("/console/tasks").await.location(),
        Some("/console/login/code")
    );
    let code_page = second.get("/console/login/code").await;
    let csrf = code_page.hidden("csrf");
    let half_cookie = second.session_cookie().expect("cookie");
    let used = second
        .post(
            "/console/login/code",
            &[("csrf", &csrf), ("code", &recovery[0].to_uppercase())],
        )
        .await;
    assert_eq!(used.status, 303, "{}", used.body);
    assert_ne!(
        second.session_cookie(),
        Some(half_cookie),
        "a new session after the second factor"
    );
    assert_eq!(second.get("/console/tasks").await.status, 200);
    let again = app
        .post("/api/v1/auth/login", None, login(Some(recovery[0].clone())))
        .await;
    crate::helpers::assert_problem(again, 401, "unauthenticated").await;
    let other = app
        .post("/api/v1/auth/login", None, login(Some(recovery[1].clone())))
        .await;
    assert_eq!(other.status(), 200);
}

#[tokio::test]
async fn the_report_page_draws_its_figures_and_downloads_them() {
    let app = TestApp::spawn().await;
    let unit = app.service_unit("Hjemmetjenesten").await;
    let staff = app.staff(unit).await;
    app.post_task(&staff, json!({})).await;
    let (mut browser, _) = staff_browser(&app, unit).await;
    let year = chrono::Utc::now().format("%Y").to_string();
    let page = browser
        .get(&format!("/console/report?from={year}-01&to={year}-12"))
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("<svg") && page.body.contains("<table"));
    assert!(
        page.body
            .contains("<th scope=\"row\">Totalt</th><td>1</td>"),
        "one task posted: {}",
        page.body
    );
    let csv = browser
        .get(&format!(
            "/console/report?from={year}-01&to={year}-12&format=csv"
        ))
        .await;
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").starts_with("text/csv"));
    assert!(
        csv.body
            .trim_start_matches('\u{feff}')
            .starts_with("Nøkkel,Gruppe,Lagt ut,Fikk frivillig,Fullført,"),
        "the console's download has headings in the page's language: {}",
        csv.body
    );
    assert!(csv.body.contains("\r\ntotal,Totalt,"));
    let by_council = browser
        .get(&format!(
            "/console/report?from={year}-01&to={year}-12&group=council"
        ))
        .await;
    assert!(
        by_council.body.contains("<td>Stavern</td><td>1</td>"),
        "grouped by council: {}",
        by_council.body
    );
    // In English, the same lines under English headings.
    browser
        .get("/console/language?to=en&back=/console/report")
        .await;
    let csv_en = browser
        .get(&format!(
            "/console/report?from={year}-01&to={year}-12&format=csv"
        ))
        .await;
    let (head_en, rest_en) = csv_en
        .body
        .trim_start_matches('\u{feff}')
        .split_once("\r\n")
        .expect("a header line");
    assert!(
        head_en.starts_with("Key,Group,Posted,Found a volunteer,Completed,"),
        "{head_en}"
    );
    assert!(rest_en.contains("total,Total,"), "{rest_en}");
    let bad = browser.get("/console/report?from=2026-13").await;
    assert!(bad.body.contains("id=\"report-error\""));
}

#[tokio::test]
async fn staff_complete_with_hours_and_the_history_names_nobody_who_released() {
    let app = TestApp::spawn().await;
    let unit = app.service_unit("Hjemmetjenesten").await;
    let staff = app.staff(unit).await;
    let task = app.post_task(&staff, json!({"spots": 2})).await;
    let id = crate::helpers::id_of(&task);
    let stays = app.volunteer().await;
    let leaves = app.volunteer().await;
    app.claimed(&stays, &id).await;
    app.claimed(&leaves, &id).await;
    assert_eq!(app.release(&leaves, &id).await.status(), 200);
    app.started_ago(&id, chrono::Duration::hours(3)).await;
    let (mut browser, _) = staff_browser(&app, unit).await;
    let page = browser.get(&format!("/console/tasks/{id}")).await;
    assert!(page.body.contains(&stays.email));
    assert!(
        !page.body.contains(&leaves.email),
        "a released claim is not listed"
    );
    assert!(page.body.contains("En plass ble ledig"));
    assert!(
        page.body.contains("Fullfør") && !page.body.contains("Avlys oppgaven"),
        "a started task with a volunteer is completed, not cancelled"
    );
    let claim = app
        .query_json(&format!(
            "SELECT id FROM claims WHERE task_id = '{id}' AND status = 'active'"
        ))
        .await[0]["id"]
        .as_str()
        .expect("claim")
        .to_owned();
    let csrf = page.hidden("csrf");
    let field = format!("hours.{claim}");
    let done = browser
        .post(
            &format!("/console/tasks/{id}/complete"),
            &[("csrf", &csrf), (&field, "2,5")],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let rows = app
        .query_json(&format!(
            "SELECT status, minutes FROM claims WHERE id = '{claim}'"
        ))
        .await;
    assert_eq!(rows[0]["status"], "completed");
    assert_eq!(rows[0]["minutes"], 150);
    app.deliver_mail().await;
}

#[tokio::test]
async fn an_invitation_from_the_directory_shows_as_invited_whatever_the_volunteer_did() {
    let app = TestApp::spawn().await;
    let unit = app.service_unit("Hjemmetjenesten").await;
    let staff = app.staff(unit).await;
    let task = app.post_task(&staff, json!({"council_id": null})).await;
    let id = crate::helpers::id_of(&task);
    let volunteer = app.volunteer().await;
    // Before anyone is invitable the page says why nobody can be invited.
    let (mut early, _) = staff_browser(&app, unit).await;
    let empty = early.get(&format!("/console/tasks/{id}")).await;
    assert!(
        empty
            .body
            .contains("Ingen kan inviteres til denne oppgaven"),
        "{}",
        empty.body
    );
    let made_invitable = app
        .patch(
            "/api/v1/me",
            Some(&volunteer.access_token),
            json!({"invitable": true}),
        )
        .await;
    assert_eq!(made_invitable.status(), 200);
    let (mut browser, _) = staff_browser(&app, unit).await;
    let page = browser.get(&format!("/console/tasks/{id}")).await;
    let option = format!("<option value=\"{}\">", volunteer.id);
    assert!(
        page.body.contains(&option),
        "the invitable volunteer in the directory"
    );
    let csrf = page.hidden("csrf");
    let invited = browser
        .post(
            &format!("/console/tasks/{id}/invite"),
            &[("csrf", &csrf), ("volunteer_id", &volunteer.id.to_string())],
        )
        .await;
    assert_eq!(invited.status, 303, "{}", invited.body);
    let before = browser.get(&format!("/console/tasks/{id}")).await;
    assert!(
        before.body.contains("Test volunteer (allerede invitert)"),
        "an invited volunteer is marked in the list"
    );
    assert!(
        !before
            .body
            .contains("Ingen kan inviteres til denne oppgaven")
    );
    assert!(
        before.body.contains("Test volunteer: invitert"),
        "{}",
        before.body
    );

    let mine: Value = app
        .get_as("/api/v1/me/invitations", &volunteer.access_token)
        .await
        .json()
        .await
        .expect("json");
    let invitation = mine["items"][0]["id"]
        .as_str()
        .expect("invitation")
        .to_owned();
    let declined = app
        .call(
            reqwest::Method::POST,
            &format!("/api/v1/me/invitations/{invitation}/decline"),
            Some(&volunteer.access_token),
            None,
        )
        .await;
    assert_eq!(declined.status(), 204);
    let after = browser.get(&format!("/console/tasks/{id}")).await;
    assert!(
        after.body.contains("Test volunteer: invitert"),
        "a decline must not show"
    );
    // Nothing else on the page moved either (the history, the spots, the actions).
    let main = |p: &Page| {
        let start = p.body.find("<main").expect("main");
        let end = p.body.find("</main>").expect("end");
        p.body[start..end].to_owned()
    };
    assert_eq!(main(&before), main(&after));
    app.deliver_mail().await;
}

#[tokio::test]
async fn a_coordinator_opts_out_after_seeing_what_it_does_and_opts_back_in() {
    let app = TestApp::spawn().await;
    let stavern = app.council_id("Stavern").await;
    let unit = app.service_unit("Hjemmetjenesten").await;
    let staff = app.staff(unit).await;
    let open = app.post_task(&staff, json!({})).await;
    let taken = app
        .post_task(&staff, json!({"title": "Tatt oppgave"}))
        .await;
    let volunteer = app.volunteer().await;
    app.claimed(&volunteer, &crate::helpers::id_of(&taken))
        .await;
    let coordinator = app
        .create_user(Role::Coordinator, None, Some(stavern))
        .await;
    let mut browser = Browser::new(&app);
    let signed = browser.sign_in(&coordinator.email, TEST_PASSWORD).await;
    assert_eq!(signed.status, 303);
    let page = browser.get("/console").await;
    assert_eq!(page.location(), Some("/console/council"));
    let page = browser.get("/console/council").await;
    assert!(
        page.body.contains("Nærmiljøutvalget Stavern"),
        "{}",
        page.body
    );
    let csrf = page.hidden("csrf");
    let category = app.category_id("accompaniment").await.to_string();
    // An admin's form field naming another council changes nothing for a coordinator.
    let sentrum = app.council_id("Sentrum").await.to_string();
    let form = [
        ("csrf", csrf.as_str()),
        ("council", sentrum.as_str()),
        ("category", category.as_str()),
        ("reason", "Vi har ikke sjåfører nok"),
        ("review_by", "2031-01-31"),
    ];
    let confirm = browser.post("/console/council/opt-out", &form).await;
    assert_eq!(confirm.status, 200);
    assert!(
        confirm
            .body
            .contains("<p>1 åpne oppgaver som ingen har tatt, trekkes tilbake"),
        "{}",
        confirm.body
    );
    assert!(
        confirm
            .body
            .contains("<p>1 oppgaver som allerede er tatt, beholder sine frivillige.")
    );
    assert_eq!(
        app.task_as(&staff, &crate::helpers::id_of(&open)).await["status"],
        "open",
        "nothing before the confirmation"
    );
    let mut confirmed = form.to_vec();
    confirmed.push(("confirmed", "yes"));
    let done = browser.post("/console/council/opt-out", &confirmed).await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(
        app.task_as(&staff, &crate::helpers::id_of(&open)).await["status"],
        "withdrawn"
    );
    assert_eq!(
        app.task_as(&staff, &crate::helpers::id_of(&taken)).await["status"],
        "filled"
    );
    let in_force = app
        .query_json("SELECT council_id::text AS c FROM council_opt_outs WHERE ended_at IS NULL")
        .await;
    assert_eq!(in_force.len(), 1);
    assert_eq!(
        in_force[0]["c"],
        stavern.to_string(),
        "the coordinator's own council"
    );
    let refused = app
        .post("/api/v1/tasks", Some(&staff.access_token), json!({
            "title": "Ny tur", "description": "", "category_id": category, "council_id": stavern,
            "starts_at": (chrono::Utc::now() + chrono::Duration::days(2)).to_rfc3339(), "spots": 1
        }))
        .await;
    crate::helpers::assert_problem(refused, 409, "council_opted_out").await;

    let page = browser.get("/console/council?done=out").await;
    assert!(
        page.body.contains("Vi har ikke sjåfører nok") && page.body.contains("31. januar 2031")
    );
    let back = browser
        .post(
            "/console/council/opt-in",
            &[
                ("csrf", &csrf),
                ("category", &category),
                ("reason", "Nye sjåfører"),
            ],
        )
        .await;
    assert_eq!(back.status, 303, "{}", back.body);
    let history = browser.get("/console/council").await;
    assert!(history.body.contains("Tatt tilbake") && history.body.contains("Nye sjåfører"));
    app.deliver_mail().await;
}

#[tokio::test]
async fn an_admin_creates_a_staff_member_who_then_signs_in_and_deactivation_ends_it() {
    let app = TestApp::spawn().await;
    let unit = app.service_unit("Hjemmetjenesten Sentrum").await;
    let admin = app.admin().await;
    let mut browser = Browser::new(&app);
    assert_eq!(
        browser.sign_in(&admin.email, TEST_PASSWORD).await.status,
        303
    );
    let page = browser.get("/console/users").await;
    assert_eq!(page.status, 200);
    let csrf = page.hidden("csrf");
    let unit_id = unit.to_string();
    let missing_unit = browser
        .post(
            "/console/users",
            &[
                ("csrf", &csrf),
                ("name", "Siri Ansatt"),
                ("email", "siri@larvik.test"),
                ("role", "staff"),
                ("service_unit_id", ""),
            ],
        )
        .await;
    assert_eq!(missing_unit.status, 422);
    assert!(
        missing_unit
            .body
            .contains("id=\"service_unit_id-error\">Ansatte må høre til en tjenesteenhet."),
        "{}",
        missing_unit.body
    );
    let created = browser
        .post(
            "/console/users",
            &[
                ("csrf", &csrf),
                ("name", "Siri Ansatt"),
                ("email", "siri@larvik.test"),
                ("role", "staff"),
                ("service_unit_id", &unit_id),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let mails = app.mail_to("siri@larvik.test").await;
    assert_eq!(mails.len(), 1, "the set-password email over SMTP");
    let token = mails[0].link_token("set-password");
    let chosen = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            None,
            json!({"token": token, "password": "Siri-sitt-passord-1"}),
        )
        .await;
    assert_eq!(chosen.status(), 204);
    let mut siri = Browser::new(&app);
    assert_eq!(
        siri.sign_in("siri@larvik.test", "Siri-sitt-passord-1")
            .await
            .status,
        303
    );
    assert_eq!(siri.get("/console/tasks").await.status, 200);

    let found = browser.get("/console/users?q=SIRI&role=staff").await;
    assert!(found.body.contains("siri@larvik.test"));
    let nobody = browser.get("/console/users?q=%25").await;
    assert!(
        !nobody.body.contains("siri@larvik.test"),
        "a % in the search is a character, not a wildcard"
    );
    let id = app
        .query_json("SELECT id::text AS id FROM users WHERE email = 'siri@larvik.test'")
        .await[0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let user_page = browser.get(&format!("/console/users/{id}")).await;
    // The admin's menu links every admin page.
    let menu = user_page
        .body
        .split("<nav")
        .nth(1)
        .and_then(|rest| rest.split("</nav>").next())
        .expect("the menu");
    for href in [
        "/console/users",
        "/console/reference",
        "/console/outbox",
        "/console/funding",
    ] {
        assert!(
            menu.contains(&format!("<a href=\"{href}\"")),
            "the menu links {href}: {menu}"
        );
    }
    assert!(
        user_page
            .body
            .contains("oppgavene personen har tatt, frigis")
    );
    // Deactivating asks for a confirmation first (a plain checkbox: no script needed).
    let unconfirmed = browser
        .post(
            &format!("/console/users/{id}/deactivate"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(unconfirmed.status, 422, "{}", unconfirmed.body);
    assert!(unconfirmed.body.contains("Kryss av for å bekrefte"));
    assert_eq!(
        siri.get("/console/tasks").await.status,
        200,
        "nothing happened without the confirmation"
    );
    let off = browser
        .post(
            &format!("/console/users/{id}/deactivate"),
            &[("csrf", &csrf), ("confirm", "yes")],
        )
        .await;
    assert_eq!(off.status, 303, "{}", off.body);
    assert_eq!(
        siri.get("/console/tasks").await.status,
        303,
        "the deactivated person's session is over"
    );
    // Staff and coordinators have no user pages.
    let (mut staff, _) = staff_browser(&app, unit).await;
    assert_eq!(staff.get("/console/users").await.status, 403);
    app.deliver_mail().await;
}

#[tokio::test]
async fn a_yearly_review_in_the_console_changes_the_opt_outs_exactly_as_the_apis() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let walks = app.category_id("walks-outdoor").await;
    let digital = app.category_id("digital-help").await;
    let garden = app.category_id("garden-beautification").await;
    let councils = [
        app.council_id("Kvelde").await,
        app.council_id("Svarstad").await,
    ];
    for council in councils {
        for category in [walks, digital] {
            let response = app
                .call(
                    reqwest::Method::PUT,
                    &format!("/api/v1/councils/{council}/opt-outs/{category}"),
                    Some(&admin.access_token),
                    Some(json!({"reason": "For få frivillige"})),
                )
                .await;
            assert!(response.status().is_success());
        }
    }
    let today = chrono::Utc::now().date_naive().to_string();
    // Kvelde through the API…
    let api = app
        .post(
            &format!("/api/v1/councils/{}/reviews", councils[0]),
            Some(&admin.access_token),
            json!({"held_on": today, "participants": "Utvalget", "notes": "Årsmøte", "decisions": [
                {"category_id": walks, "decision": "keep"},
                {"category_id": digital, "decision": "opt_in"},
                {"category_id": garden, "decision": "take_on"}]}),
        )
        .await;
    assert_eq!(api.status(), 201);
    // …Svarstad through the console, first with a decision that does not fit: nothing applies.
    let mut browser = Browser::new(&app);
    assert_eq!(
        browser.sign_in(&admin.email, TEST_PASSWORD).await.status,
        303
    );
    let page = browser
        .get(&format!("/console/council?council={}", councils[1]))
        .await;
    let csrf = page.hidden("csrf");
    let council = councils[1].to_string();
    let (walks_f, digital_f, garden_f) = (
        format!("decision.{walks}"),
        format!("decision.{digital}"),
        format!("decision.{garden}"),
    );
    let future = (chrono::Utc::now().date_naive() + chrono::Duration::days(3)).to_string();
    let refused = browser
        .post(
            "/console/council/review",
            &[
                ("csrf", &csrf),
                ("council", &council),
                ("held_on", &future),
                (&walks_f, "keep"),
                (&digital_f, "opt_in"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422);
    let in_force = |c: uuid::Uuid| {
        format!(
            "SELECT category_id::text AS c, review_by::text AS r FROM council_opt_outs WHERE council_id = '{c}' AND ended_at IS NULL ORDER BY category_id"
        )
    };
    assert_eq!(
        app.query_json(&in_force(councils[1])).await.len(),
        2,
        "a refused review changes nothing"
    );
    let applied = browser
        .post(
            "/console/council/review",
            &[
                ("csrf", &csrf),
                ("council", &council),
                ("held_on", &today),
                ("participants", "Utvalget"),
                ("notes", "Årsmøte"),
                (&walks_f, "keep"),
                (&digital_f, "opt_in"),
                (&garden_f, "take_on"),
            ],
        )
        .await;
    assert_eq!(applied.status, 303, "{}", applied.body);
    assert_eq!(
        app.query_json(&in_force(councils[0])).await,
        app.query_json(&in_force(councils[1])).await
    );
    let decisions = |c: uuid::Uuid| {
        format!(
            "SELECT d.category_id::text AS c, d.decision FROM council_review_decisions d JOIN council_reviews r ON r.id = d.review_id WHERE r.council_id = '{c}' ORDER BY d.category_id"
        )
    };
    let recorded = app.query_json(&decisions(councils[1])).await;
    assert_eq!(recorded.len(), 3);
    assert_eq!(app.query_json(&decisions(councils[0])).await, recorded);

    // The coordinator sees that it was saved, and the review itself in the history (in the
    // page's language only) and on the meeting page.
    let after = browser
        .get(applied.location().expect("back to the council"))
        .await;
    assert!(
        after.body.contains("Gjennomgangen er registrert"),
        "{}",
        after.body
    );
    let held = dugnad::domain::written::date(
        dugnad::domain::Language::Nb,
        chrono::Utc::now().date_naive(),
    );
    let said = format!(
        "Årlig gjennomgang, møte {held}: beholder reservasjonen mot Tur og friluft; tar tilbake Digital hjelp; tar på seg Hage, beplanting og forskjønning. Deltakere: Utvalget. Notater: Årsmøte"
    );
    assert!(after.body.contains(&said), "{}", after.body);
    assert!(
        after.body.contains(&format!(
            "Tatt tilbake Digital hjelp: årlig gjennomgang {held}"
        )),
        "{}",
        after.body
    );
    assert!(
        !after.body.contains("yearly review"),
        "no English on a Norwegian page"
    );
    assert!(
        after
            .body
            .contains("<label class=\"check\"><input type=\"checkbox\""),
        "each take-on checkbox sits inside its label"
    );
    let overview = browser
        .get(&format!(
            "/console/council/overview?council={}",
            councils[1]
        ))
        .await;
    assert!(overview.body.contains(&said), "{}", overview.body);
}

#[tokio::test]
async fn the_meeting_overview_draws_each_category_with_its_figures_beside_it() {
    let app = TestApp::spawn().await;
    let stavern = app.council_id("Stavern").await;
    let unit = app.service_unit("Hjemmetjenesten").await;
    let staff = app.staff(unit).await;
    app.post_task(&staff, json!({})).await;
    app.post_task(&staff, json!({"title": "Følge nummer to"}))
        .await;
    let coordinator = app
        .create_user(Role::Coordinator, None, Some(stavern))
        .await;
    let mut browser = Browser::new(&app);
    assert_eq!(
        browser
            .sign_in(&coordinator.email, TEST_PASSWORD)
            .await
            .status,
        303
    );
    let page = browser.get("/console/council/overview").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Møteoversikt Stavern"));
    assert!(
        page.body
            .contains("<figcaption id=\"cat-1\">Følge til lege og avtaler</figcaption>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("aria-labelledby=\"cat-1\""));
    assert!(
        page.body
            .contains("<th scope=\"row\">Følge til lege og avtaler</th><td>2</td>"),
        "the figures in the table"
    );
    app.deliver_mail().await;
}

#[tokio::test]
async fn the_outbox_page_masks_addresses_and_puts_a_dead_email_back_in_the_queue() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let unit = app.service_unit("Hjemmetjenesten").await;
    let created = app
        .post("/api/v1/users", Some(&admin.access_token), json!({"email": "kari.nordmann@larvik.test", "name": "Kari Nordmann", "role": "staff", "service_unit_id": unit}))
        .await;
    assert_eq!(created.status(), 201);
    app.sql("UPDATE outbox SET status = 'dead', last_error = '550 mailbox unavailable' WHERE to_address = 'kari.nordmann@larvik.test'").await;
    let mut browser = Browser::new(&app);
    assert_eq!(
        browser.sign_in(&admin.email, TEST_PASSWORD).await.status,
        303
    );
    let page = browser.get("/console/outbox?status=dead").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("550 mailbox unavailable"));
    assert!(
        !page.body.contains("kari.nordmann@larvik.test"),
        "the address is masked"
    );
    let id = app
        .query_json(
            "SELECT id::text AS id FROM outbox WHERE to_address = 'kari.nordmann@larvik.test'",
        )
        .await[0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let csrf = page.hidden("csrf");
    let retried = browser
        .post(&format!("/console/outbox/{id}/retry"), &[("csrf", &csrf)])
        .await;
    assert_eq!(retried.status, 303, "{}", retried.body);
    let status = app
        .query_json(&format!("SELECT status FROM outbox WHERE id = '{id}'"))
        .await;
    assert_eq!(status[0]["status"], "pending");
    assert_eq!(
        app.mail_to("kari.nordmann@larvik.test").await.len(),
        1,
        "delivered after the retry"
    );
    let (mut staff, _) = staff_browser(&app, unit).await;
    assert_eq!(staff.get("/console/outbox").await.status, 403);
    app.deliver_mail().await;
}

#[tokio::test]
async fn an_admin_keeps_the_reference_data_in_the_console() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let mut browser = Browser::new(&app);
    assert_eq!(
        browser.sign_in(&admin.email, TEST_PASSWORD).await.status,
        303
    );
    let page = browser.get("/console/reference").await;
    assert_eq!(page.status, 200);
    let csrf = page.hidden("csrf");
    let hvarnes = app.council_id("Hvarnes").await;
    let out = browser
        .post(
            &format!("/console/reference/councils/{hvarnes}"),
            &[("csrf", &csrf), ("eligible", "false")],
        )
        .await;
    assert_eq!(out.status, 303, "{}", out.body);
    let garden = app.category_id("garden-beautification").await;
    let off = browser
        .post(
            &format!("/console/reference/categories/{garden}"),
            &[("csrf", &csrf), ("in_use", "false")],
        )
        .await;
    assert_eq!(off.status, 303);
    let unit = browser
        .post(
            "/console/reference/units",
            &[
                ("csrf", &csrf),
                ("name", "Bo- og aktivitetssenter Nord"),
                ("email", "bas.nord@larvik.test"),
                ("phone", "33 17 20 00"),
            ],
        )
        .await;
    assert_eq!(unit.status, 303, "{}", unit.body);
    let bad = browser
        .post(
            "/console/reference/categories",
            &[
                ("csrf", &csrf),
                ("slug", "Ikke Gyldig"),
                ("name_nb", "X"),
                ("name_en", "X"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    let rows = app
        .query_json(&format!("SELECT (SELECT eligible FROM councils WHERE id = '{hvarnes}') AS e, (SELECT active FROM categories WHERE id = '{garden}') AS a, (SELECT count(*) FROM service_units WHERE email = 'bas.nord@larvik.test') AS u"))
        .await;
    assert_eq!(rows[0], json!({"e": false, "a": false, "u": 1}));
    let unit_id = app.service_unit("Hjemmetjenesten").await;
    let (mut staff, _) = staff_browser(&app, unit_id).await;
    assert_eq!(staff.get("/console/reference").await.status, 403);
}

#[tokio::test]
async fn the_task_list_pages_through_a_unit_with_more_tasks_than_a_page() {
    let app = TestApp::spawn().await;
    let unit = app.service_unit("Hjemmetjenesten").await;
    let staff = app.staff(unit).await;
    for i in 0..27 {
        let start = chrono::Utc::now() + chrono::Duration::days(2) + chrono::Duration::hours(i);
        app.post_task(&staff, json!({"title": format!("Oppgave nummer {i:02}"), "starts_at": start.to_rfc3339(), "ends_at": (start + chrono::Duration::minutes(30)).to_rfc3339()}))
            .await;
    }
    let (mut browser, _) = staff_browser(&app, unit).await;
    let first = browser.get("/console/tasks").await;
    assert_eq!(first.body.matches("Oppgave nummer").count(), 25);
    assert!(first.body.contains("Oppgave nummer 00") && first.body.contains("Oppgave nummer 24"));
    let marker = "<p><a href=\"";
    let start = first
        .body
        .find(&format!("{marker}/console/tasks?"))
        .expect("a next page link")
        + marker.len();
    let end = first.body[start..].find('"').expect("end") + start;
    let next = first.body[start..end]
        .replace("&amp;", "&")
        .replace("&#38;", "&");
    let second = browser.get(&next).await;
    assert_eq!(
        second.body.matches("Oppgave nummer").count(),
        2,
        "{}",
        second.body
    );
    assert!(second.body.contains("Oppgave nummer 25") && second.body.contains("Oppgave nummer 26"));
    assert!(!second.body.contains("Neste side"));
    // The filters narrow the list: a date range holding the first day's tasks only.
    let day = (chrono::Utc::now() + chrono::Duration::days(40))
        .format("%Y-%m-%d")
        .to_string();
    let none = browser
        .get(&format!("/console/tasks?from={day}&to={day}"))
        .await;
    assert!(none.body.contains("Ingen oppgaver passer filteret."));
}

/// `YYYY-MM-DDT10:00` local, `days` from today in Oslo.
fn local_ten_oclock_in(days: u64) -> (chrono::NaiveDate, String) {
    let date = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Oslo)
        .date_naive()
        + chrono::Days::new(days);
    (date, format!("{date}T10:00"))
}

#[tokio::test]
async fn a_weekly_series_posted_in_the_console_lists_its_dates_with_their_claims_and_is_cancelled_from_a_date()
 {
    let app = TestApp::spawn().await;
    let unit = app.service_unit("Hjemmetjenesten Sentrum").await;
    let (mut browser, _) = staff_browser(&app, unit).await;
    let form = browser.get("/console/tasks/new").await;
    assert_eq!(form.status, 200);
    for label in ["Gjentas", "Intervall", "Antall ganger", "Til og med dato"] {
        assert!(
            form.body.contains(&format!("\">{label}</label>")),
            "label {label}"
        );
    }
    assert!(form.body.contains("<legend>Ukedager"));
    assert!(form.body.contains("value=\"tu\">") && form.body.contains("tirsdag"));
    let csrf = form.hidden("csrf");
    let category = app.category_id("shopping-errands").await.to_string();
    let (first, starts) = local_ten_oclock_in(7);

    // Weekdays with a daily rule, and both a count and a last date: each is shown by its
    // field, in Norwegian, and nothing is posted.
    let mut wrong = task_form(&csrf, "k-1", &category, &[("starts_at", &starts)]);
    wrong.extend([
        ("recurrence.freq", "daily"),
        ("recurrence.interval", "1"),
        ("recurrence.by_weekday", "tu"),
        ("recurrence.count", "3"),
        ("recurrence.until", "2099-01-01"),
    ]);
    let refused = browser.post("/console/tasks/new", &wrong).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused
            .body
            .contains("Ukedager velges bare når den gjentas hver uke."),
        "{}",
        refused.body
    );
    assert!(
        refused
            .body
            .contains("Fyll ut enten antall ganger eller siste dato")
    );
    assert!(
        refused.body.contains("value=\"tu\" checked"),
        "the ticked weekday stays ticked"
    );
    assert_eq!(task_count(&app).await, 0);

    let key = refused.hidden("idempotency_key");
    let mut fields = task_form(&csrf, &key, &category, &[("starts_at", &starts)]);
    fields.extend([
        ("recurrence.freq", "weekly"),
        ("recurrence.interval", "1"),
        ("recurrence.count", "3"),
        ("recurrence.until", ""),
    ]);
    let posted = browser.post("/console/tasks/new", &fields).await;
    assert_eq!(posted.status, 303, "{}", posted.body);
    let location = posted.location().expect("location").to_owned();
    assert!(location.starts_with("/console/series/"), "{location}");
    let series_id = location
        .trim_start_matches("/console/series/")
        .split('?')
        .next()
        .expect("id")
        .to_owned();
    // A second submit of the same form finds the series instead of posting another.
    let again = browser.post("/console/tasks/new", &fields).await;
    assert_eq!(again.status, 303);
    assert_eq!(
        again.location(),
        Some(format!("/console/series/{series_id}").as_str())
    );
    assert_eq!(task_count(&app).await, 3, "three weekly dates, one series");

    let staff = app.staff(unit).await;
    let series: Value = app
        .get_as(
            &format!("/api/v1/task-series/{series_id}"),
            &staff.access_token,
        )
        .await
        .json()
        .await
        .expect("json");
    let dates: Vec<String> = series["occurrences"]["items"]
        .as_array()
        .expect("occurrences")
        .iter()
        .map(|t| t["occurrence_date"].as_str().expect("date").to_owned())
        .collect();
    let expected: Vec<String> = [0, 7, 14]
        .iter()
        .map(|d| (first + chrono::Days::new(*d)).to_string())
        .collect();
    assert_eq!(dates, expected);
    let occurrence = |i: usize| id_of(&series["occurrences"]["items"][i]);

    let volunteer = app.volunteer().await;
    app.claimed(&volunteer, &occurrence(1)).await;
    let page = browser.get(&location).await;
    assert_eq!(page.status, 200);
    assert_eq!(page.header("cache-control"), "no-store");
    assert!(page.body.contains("Serien er publisert."));
    assert!(page.body.contains("hver uke, 3 ganger"), "{}", page.body);
    assert!(
        page.body.contains("Kongegata 7"),
        "the template's private block"
    );
    assert_eq!(page.body.matches("kl. 10.00").count(), 3, "{}", page.body);
    assert_eq!(page.body.matches("0 av 1 plasser tatt").count(), 2);
    assert_eq!(page.body.matches("1 av 1 plasser tatt").count(), 1);
    assert!(page.body.contains("Serien ble lagt ut"));
    for i in 0..3 {
        assert!(
            page.body
                .contains(&format!("/console/tasks/{}", occurrence(i)))
        );
    }
    // Each date's own page leads back to its series.
    let task_page = browser
        .get(&format!("/console/tasks/{}", occurrence(0)))
        .await;
    assert!(
        task_page
            .body
            .contains(&format!("href=\"/console/series/{series_id}\"")),
        "{}",
        task_page.body
    );

    // Another unit's staff cannot open it or cancel it.
    let other = app.service_unit("Hjemmetjenesten Stavern").await;
    let (mut stranger, _) = staff_browser(&app, other).await;
    let seen = stranger.get(&location).await;
    assert_eq!(seen.status, 403);
    assert!(!seen.body.contains("Kongegata 7"));
    let stranger_csrf = stranger.csrf().await;
    let second = (first + chrono::Days::new(7)).to_string();
    let refused = stranger
        .post(
            &format!("/console/series/{series_id}/cancel"),
            &[
                ("csrf", &stranger_csrf),
                ("from", &second),
                ("reason", "Nei"),
            ],
        )
        .await;
    assert_eq!(refused.status, 403);
    assert_eq!(
        app.task_as(&staff, &occurrence(1)).await["status"],
        "filled"
    );

    // Cancelled from the second date: the first stays, the claimant hears why.
    let no_reason = browser
        .post(
            &format!("/console/series/{series_id}/cancel"),
            &[("csrf", &csrf), ("from", &second), ("reason", "")],
        )
        .await;
    assert_eq!(no_reason.status, 422);
    assert!(no_reason.body.contains("Grunn: "), "{}", no_reason.body);
    let bad_date = browser
        .post(
            &format!("/console/series/{series_id}/cancel"),
            &[("csrf", &csrf), ("from", "neste uke"), ("reason", "Ferie")],
        )
        .await;
    assert_eq!(bad_date.status, 422);
    assert!(
        bad_date.body.contains("Fra og med dato: Må være en dato"),
        "{}",
        bad_date.body
    );
    let cancelled = browser
        .post(
            &format!("/console/series/{series_id}/cancel"),
            &[
                ("csrf", &csrf),
                ("from", &second),
                ("reason", "Ingrid er på ferie"),
            ],
        )
        .await;
    assert_eq!(cancelled.status, 303, "{}", cancelled.body);
    assert_eq!(app.task_as(&staff, &occurrence(0)).await["status"], "open");
    assert_eq!(
        app.task_as(&staff, &occurrence(1)).await["status"],
        "cancelled"
    );
    assert_eq!(
        app.task_as(&staff, &occurrence(2)).await["status"],
        "cancelled"
    );
    let page = browser
        .get(&format!("/console/series/{series_id}?done=called-off"))
        .await;
    assert!(
        page.body
            .contains("Datoene fra den valgte datoen er avlyst.")
    );
    assert_eq!(
        page.body.matches(">Avlyst</span>").count(),
        2,
        "{}",
        page.body
    );
    let mails = app.mail_to(&volunteer.email).await;
    assert!(
        mails
            .iter()
            .any(|m| m.text_body().contains("Ingrid er på ferie")),
        "the claimant is told the reason"
    );
    app.deliver_mail().await;
}

/// A staff member with an authenticator enrolled through the console: their address, the
/// authenticator's base32 key and the recovery codes shown.
async fn enrolled_staff(app: &TestApp) -> (String, String, Vec<String>) {
    let unit = app.service_unit("Hjemmetjenesten").await;
    let (_, email) = account(app, Role::Staff, Some(unit)).await;
    let (secret, recovery) = enrol_in(app, &email).await;
    (email, secret, recovery)
}

/// Signs `email` in to the console and enrols an authenticator: its base32 key and the
/// recovery codes shown.
async fn enrol_in(app: &TestApp, email: &str) -> (String, Vec<String>) {
    let mut browser = Browser::new(app);
    browser.sign_in(email, TEST_PASSWORD).await;
    let enrol = browser.get("/console/account/2fa").await;
    let secret = secret_on(&enrol);
    let csrf = enrol.hidden("csrf");
    let done = browser
        .post(
            "/console/account/2fa",
            &[
                ("csrf", &csrf),
                ("password", TEST_PASSWORD),
                ("code", &code_for(app, &secret, 0)),
            ],
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    let recovery = done
        .body
        .split("<li><code>")
        .skip(1)
        .map(|s| s[..s.find('<').expect("end")].to_owned())
        .collect();
    (secret, recovery)
}

/// A browser half signed in as `email` (the password given, the code page next) and the
/// code page's anti-forgery token.
async fn at_the_code_page<'a>(
    app: &'a TestApp,
    email: &str,
    password: &str,
) -> (Browser<'a>, String) {
    let mut browser = Browser::new(app);
    let half = browser.sign_in(email, password).await;
    assert_eq!(half.location(), Some("/console/login/code"));
    let csrf = browser.get("/console/login/code").await.hidden("csrf");
    (browser, csrf)
}

/// Posts `code` on the console's code page; answers the status.
async fn post_code(browser: &mut Browser<'_>, csrf: &str, code: impl AsRef<str>) -> u16 {
    browser
        .post(
            "/console/login/code",
            &[("csrf", csrf), ("code", code.as_ref())],
        )
        .await
        .status
}

#[tokio::test]
async fn eighty_wrong_codes_at_once_are_evaluated_no_more_than_the_limit_allows() {
    crate::helpers::clear_of_a_login_window_edge().await;
    let app = TestApp::spawn().await;
    let (email, _, _) = enrolled_staff(&app).await;
    let (browser, csrf) = at_the_code_page(&app, &email, TEST_PASSWORD).await;
    let cookie = browser.session_cookie().expect("the half session");
    let answers = futures_util::future::join_all((0..80).map(|n| {
        let request = app
            .client
            .post(app.url("/console/login/code"))
            .header("cookie", format!("dugnad_session={cookie}"))
            .form(&[("csrf", csrf.as_str()), ("code", &format!("{:06}", n))]);
        async move { request.send().await.expect("sent").status().as_u16() }
    }))
    .await;
    let evaluated = answers.iter().filter(|s| **s == 401).count();
    let held = answers.iter().filter(|s| **s == 429).count();
    assert!(
        (1..=10).contains(&evaluated),
        "the per-address limit is 10: {evaluated} codes were checked ({answers:?})"
    );
    assert_eq!(evaluated + held, 80, "{answers:?}");
}

#[tokio::test]
async fn a_hundred_wrong_codes_in_a_row_lock_the_codes_and_tell_the_owner_until_a_password_reset() {
    let app = TestApp::spawn_with(|s| {
        s.login_limit_per_email = 1_000;
        s.login_ceiling_per_email = 1_000;
        s.login_limit_per_ip = 1_000;
    })
    .await;
    let (email, secret, recovery) = enrolled_staff(&app).await;
    let (mut browser, csrf) = at_the_code_page(&app, &email, TEST_PASSWORD).await;
    for n in 0..99 {
        assert_eq!(
            post_code(&mut browser, &csrf, format!("{n:06}")).await,
            401,
            "code {n}"
        );
    }
    // A right code before the hundredth resets the count.
    assert_eq!(
        post_code(&mut browser, &csrf, code_for(&app, &secret, 1)).await,
        303
    );
    let (mut browser, csrf2) = at_the_code_page(&app, &email, TEST_PASSWORD).await;
    for n in 0..100 {
        assert_eq!(
            post_code(&mut browser, &csrf2, format!("{n:06}")).await,
            401,
            "code {n}"
        );
    }
    // Locked: even the right code is refused (in the console and the API alike), and the
    // owner hears of it once.
    assert_eq!(
        post_code(&mut browser, &csrf2, code_for(&app, &secret, 2)).await,
        403
    );
    let api = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"email": email, "password": TEST_PASSWORD, "otp": code_for(&app, &secret, 2)}),
        )
        .await;
    let problem = crate::helpers::assert_problem(api, 403, "forbidden").await;
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("locked")),
        "{problem}"
    );
    app.deliver_mail().await;
    let told: Vec<_> = app
        .mail_to(&email)
        .await
        .into_iter()
        .filter(|m| {
            m.header("Subject")
                .is_some_and(|s| s == "Innlogging med kode er sperret for kontoen din")
        })
        .collect();
    assert_eq!(told.len(), 1);
    assert!(told[0].text_body().contains("Glemt passord?"));

    // A password reset proves the address and lifts the lock.
    let asked = app
        .post("/api/v1/auth/password-reset", None, json!({"email": email}))
        .await;
    assert_eq!(asked.status(), 202);
    app.deliver_mail().await;
    let reset = app
        .mail_to(&email)
        .await
        .into_iter()
        .rev()
        .find(|m| m.text_body().contains("/e/reset-password"))
        .expect("the reset email");
    let confirmed = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            None,
            json!({"token": reset.link_token("reset-password"), "password": "Nytt-og-sterkt-passord-9"}),
        )
        .await;
    assert_eq!(confirmed.status(), 204);
    let (mut browser, csrf3) = at_the_code_page(&app, &email, "Nytt-og-sterkt-passord-9").await;
    // (The authenticator's next code is half a minute away; a recovery code is a code too.)
    let back = browser
        .post(
            "/console/login/code",
            &[("csrf", &csrf3), ("code", &recovery[0])],
        )
        .await;
    assert_eq!(back.status, 303, "{}", back.body);
}

#[tokio::test]
async fn a_new_second_factor_ends_every_other_session_and_an_unproved_family_cannot_refresh_once_codes_are_required()
 {
    let app = TestApp::spawn().await;
    let unit = app.service_unit("Hjemmetjenesten").await;
    let (_, email) = account(&app, Role::Staff, Some(unit)).await;
    // While a second factor is optional: an app session and a console session elsewhere,
    // neither proving a code.
    let (_, refresh) = app.login(&email, TEST_PASSWORD).await;
    let mut elsewhere = Browser::new(&app);
    assert_eq!(elsewhere.sign_in(&email, TEST_PASSWORD).await.status, 303);
    assert_eq!(elsewhere.get("/console/tasks").await.status, 200);

    // The municipality turns the requirement on (here: a second process on the same
    // database with DUGNAD_REQUIRE_2FA): the family that proved no code is refused, and
    // nothing is used up by the refusal.
    let mut strict = app.settings.clone();
    strict.require_2fa = true;
    let other = dugnad::startup::Application::build(strict)
        .await
        .expect("a second process starts");
    let other_url = format!("http://127.0.0.1:{}", other.port());
    let other_shutdown = other.shutdown_handle();
    tokio::spawn(other.run_until_stopped());
    let refused = app
        .client
        .post(format!("{other_url}/api/v1/auth/refresh"))
        .json(&json!({"refresh_token": refresh}))
        .send()
        .await
        .expect("sent");
    assert_eq!(refused.status(), 403);
    let problem: Value = refused.json().await.expect("problem");
    assert_eq!(problem["code"], "otp_enrolment_required", "{problem}");
    other_shutdown.shutdown().await;

    // Where codes are optional the family still refreshes.
    let renewed = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": refresh}),
        )
        .await;
    assert_eq!(renewed.status(), 200);
    let renewed: Value = renewed.json().await.expect("pair");

    // Enrolling a second factor ends every other session and refresh token.
    enrol_in(&app, &email).await;
    assert_eq!(
        elsewhere.get("/console/tasks").await.status,
        303,
        "the other console session ended"
    );
    let dead = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": renewed["refresh_token"]}),
        )
        .await;
    crate::helpers::assert_problem(dead, 401, "unauthenticated").await;
}

#[tokio::test]
async fn a_login_posted_from_another_site_is_refused_and_https_deployments_send_hsts() {
    let app = TestApp::spawn().await;
    let unit = app.service_unit("Hjemmetjenesten").await;
    let (_, email) = account(&app, Role::Staff, Some(unit)).await;
    let own_origin = app.settings.public_url.origin().ascii_serialization();
    for (header, value, refused) in [
        ("origin", "https://angriper.example", true),
        ("origin", "null", true),
        ("sec-fetch-site", "cross-site", true),
        ("sec-fetch-site", "same-origin", false),
        ("origin", own_origin.as_str(), false),
    ] {
        let mut browser = Browser::new(&app);
        let form = browser.get("/console/login").await;
        let csrf = form.hidden("csrf");
        let cookie = browser.cookies_header().expect("the login form's cookie");
        let answer = app
            .client
            .post(app.url("/console/login"))
            .header("cookie", cookie)
            .header(header, value)
            .form(&[
                ("csrf", csrf.as_str()),
                ("email", email.as_str()),
                ("password", TEST_PASSWORD),
            ])
            .send()
            .await
            .expect("sent");
        if refused {
            assert_eq!(answer.status(), 403, "{header}: {value}");
            assert!(answer.headers().get("set-cookie").is_none(), "no session");
        } else {
            assert_eq!(answer.status(), 303, "{header}: {value}");
        }
    }
    assert!(
        app.get("/healthz")
            .await
            .headers()
            .get("strict-transport-security")
            .is_none()
    );
    let secure = TestApp::spawn_with(|s| {
        s.public_url = "https://dugnad.larvik.kommune.no".parse().expect("url");
    })
    .await;
    assert_eq!(
        secure.get("/healthz").await.headers()["strict-transport-security"],
        "max-age=31536000"
    );
}

/// The one stored authenticator key, in hex.
async fn stored_secret(app: &TestApp) -> String {
    let rows = app
        .query_json("SELECT encode(secret, 'hex') AS h FROM user_totp")
        .await;
    rows[0]["h"].as_str().expect("hex").to_owned()
}

#[tokio::test]
async fn authenticator_keys_are_sealed_at_rest_and_clear_ones_from_before_are_sealed_by_the_job() {
    let app = TestApp::spawn().await;
    let (email, secret, _) = enrolled_staff(&app).await;
    let key = totp_rs::Secret::try_from_base32(&secret)
        .expect("base32")
        .as_bytes()
        .to_vec();
    let key_hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    let sealed = stored_secret(&app).await;
    assert!(
        !sealed.contains(&key_hex),
        "the key is not kept in the clear"
    );
    assert_eq!(sealed.len(), 2 * (1 + 12 + key.len() + 16));

    // A key an earlier version kept in the clear still works, and the job seals it.
    app.sql(&format!(
        "UPDATE user_totp SET secret = decode('{key_hex}', 'hex')"
    ))
    .await;
    let report = app.run_jobs().await;
    assert_eq!(report.totp_secrets_sealed, 1);
    assert!(!stored_secret(&app).await.contains(&key_hex));
    let (mut browser, csrf) = at_the_code_page(&app, &email, TEST_PASSWORD).await;
    assert_eq!(
        post_code(&mut browser, &csrf, code_for(&app, &secret, 1)).await,
        303
    );
}

#[tokio::test]
async fn glemt_passord_on_the_sign_in_page_sends_the_reset_link_and_tells_nobody_whether_an_account_exists()
 {
    let app = TestApp::spawn().await;
    let unit = app.service_unit("Hjemmetjenesten").await;
    let (_, email) = account(&app, Role::Staff, Some(unit)).await;
    let mut browser = Browser::new(&app);
    let login = browser.get("/console/login").await;
    assert!(
        login
            .body
            .contains(r#"<a href="/console/login/forgot">Glemt passord?</a>"#)
    );
    let mut answers = Vec::new();
    for address in [email.as_str(), "ingen-konto@example.no"] {
        let form = browser.get("/console/login/forgot").await;
        assert_eq!(form.status, 200);
        let csrf = form.hidden("csrf");
        let sent = browser
            .post(
                "/console/login/forgot",
                &[("csrf", csrf.as_str()), ("email", address)],
            )
            .await;
        assert_eq!(sent.status, 200, "{}", sent.body);
        let notice = sent
            .body
            .split("role=\"status\">")
            .nth(1)
            .and_then(|rest| rest.split('<').next())
            .expect("a notice")
            .to_owned();
        answers.push(notice);
    }
    assert_eq!(answers[0], answers[1], "the same answer for both");
    app.deliver_mail().await;
    let link = app
        .mail_to(&email)
        .await
        .into_iter()
        .find(|m| m.text_body().contains("/e/reset-password"));
    assert!(
        link.is_some(),
        "the reset link went to the account's address"
    );
    assert!(app.mail_to("ingen-konto@example.no").await.is_empty());
}

#[tokio::test]
async fn changing_the_password_in_min_konto_needs_the_current_one_and_ends_every_other_session() {
    let app = TestApp::spawn().await;
    let unit = app.service_unit("Hjemmetjenesten").await;
    let (_, email) = account(&app, Role::Staff, Some(unit)).await;
    let (_, refresh) = app.login(&email, TEST_PASSWORD).await;
    let mut elsewhere = Browser::new(&app);
    elsewhere.sign_in(&email, TEST_PASSWORD).await;
    let mut here = Browser::new(&app);
    here.sign_in(&email, TEST_PASSWORD).await;
    let page = here.get("/console/account").await;
    assert!(page.body.contains(r#"action="/console/account/password""#));
    let csrf = page.hidden("csrf");
    let wrong = here
        .post(
            "/console/account/password",
            &[
                ("csrf", csrf.as_str()),
                ("current_password", "Ikke-mitt-passord-1"),
                ("password", "Et-helt-nytt-passord-77"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("Det nåværende passordet er feil"));
    assert_eq!(
        elsewhere.get("/console/tasks").await.status,
        200,
        "nothing changed"
    );
    let changed = here
        .post(
            "/console/account/password",
            &[
                ("csrf", csrf.as_str()),
                ("current_password", TEST_PASSWORD),
                ("password", "Et-helt-nytt-passord-77"),
            ],
        )
        .await;
    assert_eq!(changed.status, 303, "{}", changed.body);
    assert_eq!(changed.location(), Some("/console/account?done=password"));
    let after = here.get("/console/account?done=password").await;
    assert_eq!(after.status, 200, "this browser stays signed in");
    assert!(after.body.contains("Passordet er byttet"));
    assert_eq!(
        elsewhere.get("/console/tasks").await.status,
        303,
        "the other session ended"
    );
    let dead = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": refresh}),
        )
        .await;
    crate::helpers::assert_problem(dead, 401, "unauthenticated").await;
    app.login(&email, "Et-helt-nytt-passord-77").await;
}

#[tokio::test]
async fn the_series_page_gives_the_first_occurrences_date_on_either_side_of_a_clock_change() {
    let app = TestApp::spawn().await;
    let unit = app.service_unit("Hjemmetjenesten").await;
    let staff = app.staff(unit).await;
    let (mut browser, _) = staff_browser(&app, unit).await;
    let category = app.category_id("walks-outdoor").await;
    // Starts on a Wednesday evening, repeats on Thursdays: the first date is the Thursday.
    // Once in winter time, once the evening before the clocks go forward (2027-03-28) and
    // once the Wednesday before they go back (2027-10-31).
    for (first, expected, api_date) in [
        ("2027-01-13T22:30:00+01:00", "14. januar 2027", "2027-01-14"),
        ("2027-03-24T23:30:00+01:00", "25. mars 2027", "2027-03-25"),
        (
            "2027-10-27T23:30:00+02:00",
            "28. oktober 2027",
            "2027-10-28",
        ),
    ] {
        let posted = app
            .post(
                "/api/v1/task-series",
                Some(&staff.access_token),
                json!({
                    "template": {
                        "title": "Kveldstur",
                        "description": "En tur.",
                        "category_id": category,
                        "duration_minutes": 60
                    },
                    "first_starts_at": first,
                    "recurrence": {"freq": "weekly", "by_weekday": ["th"], "count": 3}
                }),
            )
            .await;
        assert_eq!(posted.status(), 201);
        let series: Value = posted.json().await.expect("json");
        // Occurrences are made eight weeks ahead; those further off have none yet.
        let api_first = series["occurrences"]["items"][0]["occurrence_date"]
            .as_str()
            .map(str::to_owned);
        let page = browser
            .get(&format!(
                "/console/series/{}",
                crate::helpers::id_of(&series)
            ))
            .await;
        assert_eq!(page.status, 200);
        let shown = page
            .body
            .split("Første dato")
            .nth(1)
            .and_then(|rest| rest.split("<dd>").nth(1))
            .and_then(|rest| rest.split('<').next())
            .expect("the first date")
            .to_owned();
        assert_eq!(shown, expected, "{first}");
        if let Some(api_first) = api_first {
            assert_eq!(api_first, api_date, "{first}");
        }
    }
}

#[tokio::test]
async fn the_same_task_posted_again_within_minutes_is_asked_about_before_a_second_is_made() {
    let app = TestApp::spawn().await;
    let unit = app.service_unit("Hjemmetjenesten").await;
    let (mut browser, _) = staff_browser(&app, unit).await;
    let category = app.category_id("shopping-errands").await.to_string();
    let first = browser.get("/console/tasks/new").await.hidden("csrf");
    let posted = browser
        .post(
            "/console/tasks/new",
            &task_form(&first, "key-1", &category, &[]),
        )
        .await;
    assert_eq!(posted.status, 303, "{}", posted.body);
    // Back, and `Publiser` on a freshly drawn form (a new key): the form asks first.
    let again = browser
        .post(
            "/console/tasks/new",
            &task_form(&first, "key-2", &category, &[]),
        )
        .await;
    assert_eq!(again.status, 409, "{}", again.body);
    assert!(
        again
            .body
            .contains("Du la nettopp ut en lik oppgave — legge ut en til?")
    );
    assert!(
        again.body.contains("Handletur til Kiwi"),
        "what was typed is kept"
    );
    assert_eq!(app.query_json("SELECT id FROM tasks").await.len(), 1);
    // Another start is another task.
    let other = browser
        .post(
            "/console/tasks/new",
            &task_form(
                &first,
                "key-3",
                &category,
                &[("starts_at", "2031-05-07T10:00")],
            ),
        )
        .await;
    assert_eq!(other.status, 303, "{}", other.body);
    // Saying yes posts the second.
    let mut yes = task_form(&first, "key-4", &category, &[]);
    yes.push(("confirm_duplicate", "yes"));
    let confirmed = browser.post("/console/tasks/new", &yes).await;
    assert_eq!(confirmed.status, 303, "{}", confirmed.body);
    assert_eq!(app.query_json("SELECT id FROM tasks").await.len(), 3);
}

#[tokio::test]
async fn an_expired_session_keeps_the_typed_form_through_sign_in_and_the_second_factor() {
    let app = TestApp::spawn().await;
    let (email, secret, recovery) = enrolled_staff(&app).await;
    let (mut browser, csrf) = at_the_code_page(&app, &email, TEST_PASSWORD).await;
    assert_eq!(
        post_code(&mut browser, &csrf, code_for(&app, &secret, 1)).await,
        303
    );
    let form = browser.get("/console/tasks/new").await;
    assert_eq!(form.status, 200);
    let csrf = form.hidden("csrf");
    // The nurse leaves for a visit with the form half filled; the session expires.
    app.clock.advance(chrono::Duration::hours(3));
    let typed: [(&str, &str); 6] = [
        ("csrf", &csrf),
        ("idempotency_key", "utlopt-1"),
        ("title", "Handletur til Kiwi"),
        ("description", "Melk, brød og kaffe"),
        ("private.address", "Storgata 12"),
        ("private.notes", "Ringe på to ganger"),
    ];
    let expired = browser.post("/console/tasks/new", &typed).await;
    assert_eq!(expired.status, 401, "{}", expired.body);
    assert!(
        expired.body.contains("Økten din er utløpt"),
        "{}",
        expired.body
    );
    assert!(
        !expired.body.contains("Kiwi"),
        "no typed value on the sign-in page"
    );
    let next = expired.hidden("next");
    assert!(next.starts_with("/console/resume/"), "{next}");
    let titles = app
        .query_json("SELECT title FROM tasks WHERE title = 'Handletur til Kiwi'")
        .await;
    assert!(titles.is_empty(), "nothing was posted");
    let plain = app
        .query_json(
            "SELECT id FROM console_drafts \
             WHERE position(convert_to('Ringe', 'UTF8') IN sealed) > 0 \
                OR position(convert_to('Kiwi', 'UTF8') IN sealed) > 0",
        )
        .await;
    assert!(plain.is_empty(), "the kept form is sealed at rest");
    // Someone else who signs in cannot open it.
    let unit = app.service_unit("Barnevernet").await;
    let (_, other) = account(&app, Role::Staff, Some(unit)).await;
    let mut stranger = Browser::new(&app);
    stranger.sign_in(&other, TEST_PASSWORD).await;
    assert_eq!(stranger.get(&next).await.location(), Some("/console"));
    // Signing in again from that page, second factor included, draws the form as typed.
    let login_csrf = expired.hidden("csrf");
    let half = browser
        .post(
            "/console/login",
            &[
                ("csrf", &login_csrf),
                ("next", &next),
                ("email", &email),
                ("password", TEST_PASSWORD),
            ],
        )
        .await;
    assert_eq!(half.location(), Some("/console/login/code"));
    let csrf = browser.get("/console/login/code").await.hidden("csrf");
    let signed_in = browser
        .post(
            "/console/login/code",
            &[("csrf", &csrf), ("code", &recovery[0])],
        )
        .await;
    assert_eq!(signed_in.location(), Some(next.as_str()));
    let redrawn = browser.get(&next).await;
    assert_eq!(redrawn.status, 200, "{}", redrawn.body);
    for value in [
        "Handletur til Kiwi",
        "Melk, brød og kaffe",
        "Storgata 12",
        "Ringe på to ganger",
    ] {
        assert!(redrawn.body.contains(value), "{value} in {}", redrawn.body);
    }
    assert!(redrawn.body.contains("Ingenting er lagret ennå"));
    assert!(
        redrawn.body.contains(r#"action="/console/tasks/new""#),
        "{}",
        redrawn.body
    );
    // Taken once.
    assert_eq!(browser.get(&next).await.location(), Some("/console"));
    assert!(
        app.query_json("SELECT id FROM console_drafts")
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn an_expired_session_returns_to_the_page_asked_for_after_signing_in() {
    let app = TestApp::spawn().await;
    let unit = app.service_unit("Hjemmetjenesten").await;
    let (_, email) = account(&app, Role::Staff, Some(unit)).await;
    let mut browser = Browser::new(&app);
    browser.sign_in(&email, TEST_PASSWORD).await;
    app.clock.advance(chrono::Duration::hours(3));
    let asked = browser.get("/console/report?year=2026").await;
    let login = asked.location().expect("to the sign-in").to_owned();
    assert!(login.contains("expired=1"), "{login}");
    let page = browser.get(&login).await;
    assert!(page.body.contains("Økten din er utløpt"), "{}", page.body);
    assert_eq!(page.hidden("next"), "/console/report?year=2026");
    let done = browser
        .post(
            "/console/login",
            &[
                ("csrf", &page.hidden("csrf")),
                ("next", &page.hidden("next")),
                ("email", &email),
                ("password", TEST_PASSWORD),
            ],
        )
        .await;
    assert_eq!(done.location(), Some("/console/report?year=2026"));
    // A `next` off the console is never followed.
    let mut other = Browser::new(&app);
    let form = other.get("/console/login").await;
    let away = other
        .post(
            "/console/login",
            &[
                ("csrf", &form.hidden("csrf")),
                ("next", "//evil.example/console"),
                ("email", &email),
                ("password", TEST_PASSWORD),
            ],
        )
        .await;
    assert_eq!(away.location(), Some("/console"));
}

#[tokio::test]
async fn a_task_posted_with_an_end_can_be_moved_in_the_console() {
    let app = TestApp::spawn().await;
    let unit = app.service_unit("Hjemmetjenesten").await;
    let staff = app.staff(unit).await;
    let task = app.post_task(&staff, json!({})).await;
    let id = crate::helpers::id_of(&task);
    let (mut browser, _) = staff_browser(&app, unit).await;
    let edit = browser.get(&format!("/console/tasks/{id}/edit")).await;
    assert!(
        edit.body
            .contains(r#"name="duration_minutes" type="text" value="120""#),
        "the end shows as a duration: {}",
        edit.body
    );
    let csrf = edit.hidden("csrf");
    let version = edit.hidden("version");
    let category = app.category_id("accompaniment").await.to_string();
    // A week later than its old end: the form's duration replaces the end.
    let mut fields = task_form(&csrf, "k", &category, &[("duration_minutes", "120")]);
    fields.push(("version", &version));
    let saved = browser
        .post(&format!("/console/tasks/{id}/edit"), &fields)
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let now = app.task_as(&staff, &id).await;
    assert_eq!(now["duration_minutes"], 120);
    assert_eq!(now["ends_at"], serde_json::Value::Null);
}
