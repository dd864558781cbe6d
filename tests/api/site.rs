//! The volunteer web over HTTP, as a phone without JavaScript uses it: plain links and
//! form posts, the session in a cookie.

use serde_json::json;

use crate::console::Browser;
use crate::helpers::{TEST_PASSWORD, TestApp, TestUser, a_task, id_of, world};

/// A volunteer's browser, signed in at `/logg-inn`.
async fn signed_in<'a>(app: &'a TestApp, user: &TestUser) -> Browser<'a> {
    let mut browser = Browser::new(app);
    let page = browser.get("/logg-inn").await;
    assert_eq!(page.status, 200);
    let csrf = page.hidden("csrf");
    let answer = browser
        .post(
            "/logg-inn",
            &[
                ("csrf", &csrf),
                ("email", &user.email),
                ("password", TEST_PASSWORD),
            ],
        )
        .await;
    assert_eq!((answer.status, answer.location()), (303, Some("/oppgaver")));
    browser
}

/// The anti-forgery token and the form key of the task page's form.
async fn task_form(browser: &mut Browser<'_>, task: &str) -> (String, String) {
    let page = browser.get(&format!("/oppgaver/{task}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    (page.hidden("csrf"), page.hidden("key"))
}

async fn active_claims(app: &TestApp, task: &str) -> i64 {
    app.query_json(&format!(
        "SELECT count(*) AS n FROM claims WHERE task_id = '{task}' AND status = 'active'"
    ))
    .await[0]["n"]
        .as_i64()
        .expect("count")
}

#[tokio::test]
async fn the_start_page_invites_in_and_every_page_behind_it_asks_for_a_sign_in() {
    let app = TestApp::spawn().await;
    let mut browser = Browser::new(&app);
    let start = browser.get("/").await;
    assert_eq!(start.status, 200);
    assert!(start.body.contains(r#"href="/logg-inn""#) && start.body.contains("Logg inn"));
    assert!(start.body.contains(r#"href="/registrer""#) && start.body.contains("Bli frivillig"));
    assert!(start.body.contains(r#"<html lang="nb">"#));
    assert!(
        start
            .header("content-security-policy")
            .contains("default-src 'none'")
    );
    assert!(!start.body.contains("<script"), "no script is needed");
    for path in ["/oppgaver", "/mine", "/invitasjoner"] {
        let page = browser.get(path).await;
        assert_eq!(page.status, 303, "{path}");
        let to = page.location().expect("a redirect");
        assert!(to.starts_with("/logg-inn?neste="), "{path} → {to}");
    }
    let login = browser.get("/logg-inn").await;
    for label in ["E-post", "Passord", "Logg inn"] {
        assert!(login.body.contains(label), "{label}");
    }
    // An unknown path is still the API's 404, not a page of the volunteer web.
    let missing = app.get("/no/such/thing").await;
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn a_volunteer_registers_with_the_apis_rules_and_gets_the_verification_email() {
    let app = TestApp::spawn().await;
    let mut browser = Browser::new(&app);
    let form = browser.get("/registrer").await;
    assert_eq!(form.status, 200);
    for label in [
        "Navn",
        "E-post",
        "Passord",
        "Nærmiljøutvalg",
        "Bli frivillig",
    ] {
        assert!(form.body.contains(label), "{label}");
    }
    let csrf = form.hidden("csrf");
    let council = app.council_id("Stavern").await.to_string();
    // Each problem next to its field; nothing is made.
    let bad = browser
        .post(
            "/registrer",
            &[
                ("csrf", &csrf),
                ("name", ""),
                ("email", "ikke-en-adresse"),
                ("password", "kort"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains(r#"id="name-error""#), "{}", bad.body);
    assert!(bad.body.contains(r#"id="email-error""#));
    assert!(bad.body.contains(r#"id="password-error""#));
    assert!(bad.body.contains("Skriv en gyldig e-postadresse."));
    let made = browser
        .post(
            "/registrer",
            &[
                ("csrf", &csrf),
                ("name", "Kari Nordmann"),
                ("email", "kari.ny@example.no"),
                ("password", "en lang og god setning"),
                ("council_id", &council),
                ("language", "nn"),
            ],
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.body);
    assert!(made.body.contains("kari.ny@example.no"));
    let rows = app
        .query_json(
            "SELECT role, language, email_verified FROM users WHERE email = 'kari.ny@example.no'",
        )
        .await;
    assert_eq!(rows[0]["role"], "volunteer");
    assert_eq!(rows[0]["language"], "nn");
    assert_eq!(rows[0]["email_verified"], false);
    let mails = app.mail_to("kari.ny@example.no").await;
    assert_eq!(mails.len(), 1, "the verification email");
    // The same address again: told plainly, nothing made.
    let again = browser
        .post(
            "/registrer",
            &[
                ("csrf", &csrf),
                ("name", "Kari Nordmann"),
                ("email", "kari.ny@example.no"),
                ("password", "en lang og god setning"),
            ],
        )
        .await;
    assert_eq!(again.status, 409);
    // A registration posted from another site is refused before anything is read.
    let forged = browser
        .post(
            "/registrer",
            &[
                ("name", "X"),
                ("email", "x@example.no"),
                ("password", "en lang og god setning"),
            ],
        )
        .await;
    assert_eq!(forged.status, 403);
}

#[tokio::test]
async fn each_role_signs_in_to_its_own_front_end_and_is_sent_there_from_the_other() {
    let w = world().await;
    let volunteer = w.app.volunteer().await;
    let mut browser = signed_in(&w.app, &volunteer).await;
    let cookie = browser.session_cookie().expect("a session");
    assert!(!cookie.is_empty());
    for path in ["/console", "/console/tasks"] {
        let page = browser.get(path).await;
        assert_eq!(
            (page.status, page.location()),
            (303, Some("/oppgaver")),
            "{path}"
        );
    }
    assert_eq!(browser.get("/").await.location(), Some("/oppgaver"));

    // Staff who sign in here land in the console; the volunteer web sends them back.
    let mut staff = Browser::new(&w.app);
    let csrf = staff.get("/logg-inn").await.hidden("csrf");
    let landed = staff
        .post(
            "/logg-inn",
            &[
                ("csrf", &csrf),
                ("email", &w.staff.email),
                ("password", TEST_PASSWORD),
            ],
        )
        .await;
    assert_eq!((landed.status, landed.location()), (303, Some("/console")));
    assert_eq!(
        staff.get("/console").await.location(),
        Some("/console/tasks")
    );
    for path in ["/oppgaver", "/mine"] {
        let page = staff.get(path).await;
        assert_eq!(
            (page.status, page.location()),
            (303, Some("/console")),
            "{path}"
        );
    }

    // A wrong password: one message, the same as for an unknown address.
    let mut stranger = Browser::new(&w.app);
    let csrf = stranger.get("/logg-inn").await.hidden("csrf");
    let wrong = stranger
        .post(
            "/logg-inn",
            &[
                ("csrf", &csrf),
                ("email", &volunteer.email),
                ("password", "feil passord her"),
            ],
        )
        .await;
    let unknown = stranger
        .post(
            "/logg-inn",
            &[
                ("csrf", &csrf),
                ("email", "ingen@example.no"),
                ("password", "feil passord her"),
            ],
        )
        .await;
    assert_eq!((wrong.status, unknown.status), (401, 401));
    assert!(
        wrong
            .body
            .contains("E-postadressen eller passordet er feil.")
    );
    assert!(
        unknown
            .body
            .contains("E-postadressen eller passordet er feil.")
    );
}

#[tokio::test]
async fn a_volunteers_session_slides_for_thirty_days_and_ends_with_sign_out() {
    let w = world().await;
    let volunteer = w.app.volunteer().await;
    let mut browser = signed_in(&w.app, &volunteer).await;
    let page = browser.get("/oppgaver").await;
    assert_eq!(page.status, 200);
    let set = page.header("set-cookie");
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );
    assert!(
        set.contains(&format!("Max-Age={}", 30 * 24 * 3600)),
        "{set}"
    );
    // Used every 29 days, it lives on; 31 days unused, it is over.
    for _ in 0..2 {
        w.app.clock.advance(chrono::Duration::days(29));
        assert_eq!(browser.get("/oppgaver").await.status, 200);
    }
    w.app.clock.advance(chrono::Duration::days(31));
    let expired = browser.get("/mine").await;
    assert_eq!(expired.status, 303);
    assert!(
        expired.location().is_some_and(|l| l.contains("utlopt=1")),
        "{:?}",
        expired.location()
    );

    // Signing out ends the session on the server, not just the cookie.
    let mut browser = signed_in(&w.app, &volunteer).await;
    let kept = browser.session_cookie().expect("a session");
    let csrf = browser.get("/oppgaver").await.hidden("csrf");
    let out = browser.post("/logg-ut", &[("csrf", &csrf)]).await;
    assert_eq!((out.status, out.location()), (303, Some("/logg-inn?ut=1")));
    let set: Vec<&str> = out
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter(|v| v.starts_with("dugnad_session="))
        .collect();
    assert_eq!(set.len(), 1, "only the removal: {set:?}");
    assert!(set[0].contains("Max-Age=0"), "{set:?}");
    assert_eq!(
        browser.session_cookie(),
        None,
        "the browser holds no session cookie"
    );
    let mut replay = Browser::new(&w.app);
    replay.set_cookie("dugnad_session", &kept);
    assert_eq!(replay.get("/oppgaver").await.status, 303);

    // A password change ends it too.
    let mut browser = signed_in(&w.app, &volunteer).await;
    let changed = w
        .app
        .post(
            "/api/v1/me/password",
            Some(&volunteer.access_token),
            json!({"current_password": TEST_PASSWORD, "password": "Et-helt-nytt-passord-7"}),
        )
        .await;
    assert_eq!(changed.status(), 204);
    assert_eq!(browser.get("/oppgaver").await.status, 303);
    w.app.deliver_mail().await;
}

#[tokio::test]
async fn the_feed_shows_open_tasks_without_their_private_block_and_filters_them() {
    let w = world().await;
    let stavern = id_of(&w.app.post_task_as(&w.staff, a_task().spots(2)).await);
    let kvelde = id_of(
        &w.app
            .post_task_as(
                &w.staff,
                a_task().with(json!({
                    "title": "Tur i skogen",
                    "council_id": w.app.council_id("Kvelde").await,
                    "category_id": w.app.category_id("culture-activities").await,
                })),
            )
            .await,
    );
    let volunteer = w.app.volunteer().await;
    let mut browser = signed_in(&w.app, &volunteer).await;
    let feed = browser.get("/oppgaver").await;
    assert_eq!(feed.status, 200);
    assert!(feed.body.contains(&format!("/oppgaver/{stavern}")));
    assert!(feed.body.contains(&format!("/oppgaver/{kvelde}")));
    assert!(feed.body.contains("2 ledige plasser") && feed.body.contains("1 ledig plass"));
    assert!(feed.body.contains("Stavern sentrum"), "the area hint");
    for secret in ["Storgata 1", "Ruth Hansen", "911 11 111", "rullator"] {
        assert!(!feed.body.contains(secret), "{secret} in the feed");
    }
    let council = w.app.council_id("Kvelde").await;
    let filtered = browser.get(&format!("/oppgaver?utvalg={council}")).await;
    assert!(filtered.body.contains(&format!("/oppgaver/{kvelde}")));
    assert!(!filtered.body.contains(&format!("/oppgaver/{stavern}")));
    let bad = browser.get("/oppgaver?fra=i-morgen").await;
    assert_eq!(bad.status, 200);
    assert!(bad.body.contains("Må være en dato"), "{}", bad.body);
}

#[tokio::test]
async fn a_claim_shows_the_private_block_to_its_volunteer_only_and_a_double_submit_claims_once() {
    let w = world().await;
    let task = id_of(&w.app.post_task_as(&w.staff, a_task().spots(2)).await);
    let volunteer = w.app.volunteer().await;
    let mut browser = signed_in(&w.app, &volunteer).await;
    let page = browser.get(&format!("/oppgaver/{task}")).await;
    assert!(page.body.contains("Ta oppdraget"));
    assert!(
        !page.body.contains("Storgata 1"),
        "no private block before the claim"
    );
    let (csrf, key) = task_form(&mut browser, &task).await;

    // Without the anti-forgery token nothing happens.
    let forged = browser
        .post(&format!("/oppgaver/{task}/ta"), &[("key", &key)])
        .await;
    assert_eq!(forged.status, 403);
    assert_eq!(active_claims(&w.app, &task).await, 0);

    let path = format!("/oppgaver/{task}/ta");
    let first = browser.post(&path, &[("csrf", &csrf), ("key", &key)]).await;
    let second = browser.post(&path, &[("csrf", &csrf), ("key", &key)]).await;
    let done = format!("/oppgaver/{task}?gjort=tatt");
    assert_eq!((first.status, first.location()), (303, Some(done.as_str())));
    assert_eq!(
        (second.status, second.location()),
        (303, Some(done.as_str())),
        "{}",
        second.body
    );
    assert_eq!(active_claims(&w.app, &task).await, 1, "one claim");
    let mine = browser.get(&done).await;
    assert!(mine.body.contains("Oppdraget er ditt"));
    for secret in [
        "Storgata 1",
        "Ruth Hansen",
        "+47 911 11 111",
        "Bruker rullator",
    ] {
        assert!(mine.body.contains(secret), "{secret} for the claimant");
    }
    assert!(mine.body.contains("Gi fra meg oppdraget"));
    let list = browser.get("/mine").await;
    assert!(list.body.contains(&format!("/oppgaver/{task}")) && list.body.contains("Storgata 1"));

    // Another volunteer sees the task, not the block.
    let other = w.app.volunteer().await;
    let mut theirs = signed_in(&w.app, &other).await;
    let seen = theirs.get(&format!("/oppgaver/{task}")).await;
    assert_eq!(seen.status, 200);
    assert!(!seen.body.contains("Storgata 1") && !seen.body.contains("Ruth Hansen"));
    let confirmations = w.app.mail_to(&volunteer.email).await;
    assert_eq!(confirmations.len(), 1, "one confirmation, as from the API");
    w.app.deliver_mail().await;
}

#[tokio::test]
async fn each_claim_refusal_is_told_in_words_next_to_the_button() {
    let w = world().await;
    let task = id_of(&w.app.post_task_as(&w.staff, a_task()).await);
    // Not verified.
    let unverified = w.app.unverified_volunteer().await;
    let mut browser = signed_in(&w.app, &unverified).await;
    let (csrf, key) = task_form(&mut browser, &task).await;
    let refused = browser
        .post(
            &format!("/oppgaver/{task}/ta"),
            &[("csrf", &csrf), ("key", &key)],
        )
        .await;
    assert_eq!(refused.status, 403);
    assert!(
        refused.body.contains("Bekreft e-postadressen din først"),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains(r#"role="alert""#) && !refused.body.contains("email_not_verified")
    );

    // Full: said so, and the page offers to watch instead.
    let first = w.app.volunteer().await;
    let mut browser = signed_in(&w.app, &first).await;
    let (csrf, stale_key) = task_form(&mut browser, &task).await;
    let other = w.app.volunteer().await;
    assert_eq!(w.app.claim(&other, &task).await.status(), 201);
    let full = browser
        .post(
            &format!("/oppgaver/{task}/ta"),
            &[("csrf", &csrf), ("key", &stale_key)],
        )
        .await;
    assert_eq!(full.status, 409);
    assert!(
        full.body.contains("Plassen er allerede tatt."),
        "{}",
        full.body
    );
    assert!(full.body.contains("Varsle meg"));
    let watched = browser
        .post(&format!("/oppgaver/{task}/varsle"), &[("csrf", &csrf)])
        .await;
    assert_eq!(
        watched.location(),
        Some(format!("/oppgaver/{task}?gjort=varsler").as_str())
    );
    let page = browser.get(&format!("/oppgaver/{task}")).await;
    assert!(page.body.contains("Ikke varsle meg"), "{}", page.body);
    let unwatched = browser
        .post(&format!("/oppgaver/{task}/ikke-varsle"), &[("csrf", &csrf)])
        .await;
    assert_eq!(unwatched.status, 303);
    assert!(
        browser
            .get(&format!("/oppgaver/{task}"))
            .await
            .body
            .contains(">Varsle meg<")
    );

    // Overlapping another task the volunteer holds.
    let second = id_of(&w.app.post_task_as(&w.staff, a_task()).await);
    let third = id_of(&w.app.post_task_as(&w.staff, a_task()).await);
    assert_eq!(w.app.claim(&first, &second).await.status(), 201);
    let (csrf, key) = task_form(&mut browser, &third).await;
    let overlap = browser
        .post(
            &format!("/oppgaver/{third}/ta"),
            &[("csrf", &csrf), ("key", &key)],
        )
        .await;
    assert_eq!(overlap.status, 409);
    assert!(
        overlap
            .body
            .contains("Du har et annet oppdrag på samme tid.")
    );

    // Started: no longer takes anyone.
    let later = id_of(
        &w.app
            .post_task_as(&w.staff, a_task().starts_in(chrono::Duration::days(5)))
            .await,
    );
    let (csrf, key) = task_form(&mut browser, &later).await;
    w.app
        .started_ago(&later, chrono::Duration::minutes(5))
        .await;
    let started = browser
        .post(
            &format!("/oppgaver/{later}/ta"),
            &[("csrf", &csrf), ("key", &key)],
        )
        .await;
    assert_eq!(started.status, 409);
    assert!(
        started
            .body
            .contains("Oppdraget tar ikke imot flere frivillige")
    );
    w.app.deliver_mail().await;
}

#[tokio::test]
async fn a_release_asks_once_needs_no_reason_and_gives_the_spot_back() {
    let w = world().await;
    let task = id_of(&w.app.post_task_as(&w.staff, a_task()).await);
    let volunteer = w.app.volunteer().await;
    assert_eq!(w.app.claim(&volunteer, &task).await.status(), 201);
    let mut browser = signed_in(&w.app, &volunteer).await;
    let ask = browser.get(&format!("/oppgaver/{task}/gi-fra")).await;
    assert_eq!(ask.status, 200);
    assert!(ask.body.contains("Ja, gi fra meg oppdraget"));
    assert!(ask.body.contains("Du trenger ikke si hvorfor"));
    let (csrf, key) = (ask.hidden("csrf"), ask.hidden("key"));
    let path = format!("/oppgaver/{task}/gi-fra");
    let done = browser.post(&path, &[("csrf", &csrf), ("key", &key)]).await;
    assert_eq!(
        done.location(),
        Some(format!("/oppgaver/{task}?gjort=gitt-fra").as_str())
    );
    let again = browser.post(&path, &[("csrf", &csrf), ("key", &key)]).await;
    assert_eq!(
        again.location(),
        done.location(),
        "the same answer, nothing more"
    );
    assert_eq!(active_claims(&w.app, &task).await, 0);
    let page = browser
        .get(&format!("/oppgaver/{task}?gjort=gitt-fra"))
        .await;
    assert!(page.body.contains("Du har gitt fra deg oppdraget."));
    assert!(!page.body.contains("Storgata 1"));
    // Once released, the confirmation page is no more: back to the task.
    let gone = browser.get(&format!("/oppgaver/{task}/gi-fra")).await;
    assert_eq!(gone.location(), Some(format!("/oppgaver/{task}").as_str()));
    w.app.deliver_mail().await;
}

#[tokio::test]
async fn invitations_are_answered_yes_by_a_claim_and_no_without_the_unit_knowing() {
    let w = world().await;
    let declined = id_of(&w.app.post_task_as(&w.staff, a_task()).await);
    let accepted = id_of(
        &w.app
            .post_task_as(&w.staff, a_task().starts_in(chrono::Duration::days(6)))
            .await,
    );
    let volunteer = w.app.volunteer().await;
    let invitable = w
        .app
        .patch(
            "/api/v1/me",
            Some(&volunteer.access_token),
            json!({"invitable": true}),
        )
        .await;
    assert_eq!(invitable.status(), 200);
    for task in [&declined, &accepted] {
        let invited = w
            .app
            .post(
                &format!("/api/v1/tasks/{task}/invitations"),
                Some(&w.staff.access_token),
                json!({"volunteer_id": volunteer.id}),
            )
            .await;
        assert_eq!(invited.status(), 201);
    }
    let mut browser = signed_in(&w.app, &volunteer).await;
    let page = browser.get("/invitasjoner").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Si ja") && page.body.contains("Nei takk"));
    let csrf = page.hidden("csrf");
    for task in [&declined, &accepted] {
        assert!(page.body.contains(&format!("/oppgaver/{task}")), "{task}");
    }
    let rows = w
        .app
        .query_json(&format!(
            "SELECT id, task_id FROM invitations WHERE volunteer_id = '{}'",
            volunteer.id
        ))
        .await;
    let id_for = |task: &str| {
        rows.iter()
            .find(|r| r["task_id"] == task)
            .and_then(|r| r["id"].as_str())
            .expect("an invitation")
            .to_owned()
    };
    let no = browser
        .post(
            &format!("/invitasjoner/{}/nei", id_for(&declined)),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(no.location(), Some("/invitasjoner?gjort=nei"));
    let after = browser.get("/invitasjoner?gjort=nei").await;
    assert!(after.body.contains("Ingen får vite det."));
    assert!(!after.body.contains(&format!("/oppgaver/{declined}")));
    let key = after.hidden("key");
    let yes = browser
        .post(
            &format!("/invitasjoner/{}/ja", id_for(&accepted)),
            &[("csrf", &csrf), ("key", &key)],
        )
        .await;
    assert_eq!(
        yes.location(),
        Some(format!("/oppgaver/{accepted}?gjort=tatt").as_str())
    );
    assert_eq!(active_claims(&w.app, &accepted).await, 1);
    w.app.deliver_mail().await;
}

/// The web edge checks the token before a handler sees a field, here as in the console:
/// every form route, posted by a signed-in volunteer without the session's token (or
/// before a session without the signed sign-in token), is refused and changes nothing.
#[tokio::test]
async fn every_form_route_refuses_a_form_without_its_token() {
    let w = world().await;
    let task = id_of(&w.app.post_task_as(&w.staff, a_task()).await);
    let volunteer = w.app.volunteer().await;
    let mut browser = signed_in(&w.app, &volunteer).await;
    let paths: Vec<String> = crate::console::form_paths(include_str!("../../src/site/mod.rs"), "")
        .into_iter()
        .chain([
            format!("/oppgaver/{task}/ta"),
            format!("/oppgaver/{task}/varsle"),
        ])
        .collect();
    assert!(paths.len() >= 9, "only {} form routes found", paths.len());
    for path in &paths {
        for csrf in ["", "forged"] {
            let page = browser
                .post(
                    path,
                    &[("csrf", csrf), ("email", "ny@example.no"), ("name", "Ny")],
                )
                .await;
            assert_eq!(
                page.status, 403,
                "{path} with token {csrf:?}: {}",
                page.body
            );
        }
    }
    assert_eq!(active_claims(&w.app, &task).await, 0);
    let users = w
        .app
        .query_json("SELECT count(*) AS n FROM users WHERE email = 'ny@example.no'")
        .await;
    assert_eq!(users[0]["n"], 0);
    // Still signed in: not even the sign-out went through.
    assert_eq!(browser.get("/oppgaver").await.status, 200);
}

#[tokio::test]
async fn the_profile_saves_council_language_opt_outs_and_choices_with_the_apis_rules() {
    let w = world().await;
    let culture = w.app.category_id("culture-activities").await;
    let hidden = id_of(
        &w.app
            .post_task_as(&w.staff, a_task().with(json!({"category_id": culture})))
            .await,
    );
    let shown = id_of(&w.app.post_task_as(&w.staff, a_task()).await);
    let volunteer = w.app.volunteer().await;
    let mut browser = signed_in(&w.app, &volunteer).await;
    let page = browser.get("/profil").await;
    assert_eq!(page.status, 200);
    let csrf = page.hidden("csrf");
    assert!(page.body.contains("pref.reminder.email"), "{}", page.body);
    let council = w.app.council_id("Kvelde").await.to_string();
    let culture = culture.to_string();
    // A name left empty: told next to the field, nothing saved.
    let bad = browser
        .post(
            "/profil",
            &[("csrf", &csrf), ("name", ""), ("language", "nn")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains(r#"id="name-error""#), "{}", bad.body);
    let unchanged = w
        .app
        .query_json(&format!(
            "SELECT language FROM users WHERE id = '{}'",
            volunteer.id
        ))
        .await;
    assert_eq!(unchanged[0]["language"], "nb");
    // Everything at once; what is not ticked is off.
    let saved = browser
        .post(
            "/profil",
            &[
                ("csrf", &csrf),
                ("name", "Kari Nordmann"),
                ("phone", "+47 900 00 000"),
                ("council_id", &council),
                ("language", "nn"),
                ("opt_out", &culture),
                ("pref.claim_confirmation.email", "1"),
            ],
        )
        .await;
    assert_eq!(
        (saved.status, saved.location()),
        (303, Some("/profil?gjort=lagret"))
    );
    let me: serde_json::Value = w
        .app
        .get_as("/api/v1/me", &volunteer.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(me["name"], "Kari Nordmann");
    assert_eq!(me["language"], "nn");
    assert_eq!(me["council_id"], council.as_str());
    let preferences = me["preferences"].as_array().expect("preferences");
    let enabled = |kind: &str, channel: &str| {
        preferences
            .iter()
            .find(|p| p["kind"] == kind && p["channel"] == channel)
            .map(|p| p["enabled"].clone())
    };
    assert_eq!(enabled("claim_confirmation", "email"), Some(json!(true)));
    assert_eq!(
        enabled("reminder", "email"),
        Some(json!(false)),
        "unticked is off"
    );
    // The pages are now in nynorsk, and the feed leaves out the category opted out of.
    let feed = browser.get("/oppgaver").await;
    assert!(
        feed.body.contains(r#"<html lang="nn">"#),
        "the language cookie"
    );
    assert!(feed.body.contains("Oppgåver"));
    assert!(feed.body.contains(&format!("/oppgaver/{shown}")));
    assert!(!feed.body.contains(&format!("/oppgaver/{hidden}")));
    let again = browser.get("/profil?gjort=lagret").await;
    assert!(again.body.contains("Lagra."));
    assert!(
        again
            .body
            .contains(&format!(r#"value="{culture}" checked"#)),
        "{}",
        again.body
    );
}

#[tokio::test]
async fn my_data_downloads_as_the_apis_export() {
    let w = world().await;
    let task = id_of(&w.app.post_task_as(&w.staff, a_task()).await);
    let volunteer = w.app.volunteer().await;
    assert_eq!(w.app.claim(&volunteer, &task).await.status(), 201);
    let mut browser = signed_in(&w.app, &volunteer).await;
    let file = browser.get("/profil/data").await;
    assert_eq!(file.status, 200);
    assert!(file.header("content-disposition").starts_with("attachment"));
    assert_eq!(file.header("cache-control"), "no-store");
    let data: serde_json::Value = serde_json::from_str(&file.body).expect("json");
    assert_eq!(data["profile"]["email"], volunteer.email.as_str());
    assert_eq!(data["claims"][0]["task"]["id"], task.as_str());
    // Nobody else's: the file is the signed-in person's only.
    let other = w.app.volunteer().await;
    let mut theirs = signed_in(&w.app, &other).await;
    let their_file: serde_json::Value =
        serde_json::from_str(&theirs.get("/profil/data").await.body).expect("json");
    assert_eq!(their_file["claims"], json!([]));
    w.app.deliver_mail().await;
}
