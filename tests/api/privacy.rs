//! Privacy duties: the private block is purged after the retention window, not before.

use serde_json::{Value, json};

use crate::helpers::TestApp;

#[tokio::test]
async fn the_purge_removes_private_fields_after_the_window_and_not_before() {
    let app = TestApp::spawn().await;
    let unit = app.service_unit("Hjemmetjenesten Hvarnes").await;
    let staff = app.staff(unit).await;
    let volunteer = app.volunteer().await;
    // Two hours long, starting three and five days ahead; held, so neither expires.
    let ended = crate::helpers::id_of(&app.post_task(&staff, json!({})).await);
    let later_start = app.clock.now() + chrono::Duration::days(5);
    let recent = crate::helpers::id_of(
        &app.post_task(
            &staff,
            json!({"starts_at": later_start, "ends_at": later_start + chrono::Duration::hours(2)}),
        )
        .await,
    );
    for task in [&ended, &recent] {
        assert_eq!(app.claim(&volunteer, task).await.status(), 201);
    }
    // Time passes until they ended 31 and 29 days ago; the window is 30 days.
    app.started_ago(
        &ended,
        chrono::Duration::days(31) + chrono::Duration::hours(2),
    )
    .await;
    let cancelled = crate::helpers::id_of(&app.post_task(&staff, json!({})).await);
    let called_off = app
        .post(
            &format!("/api/v1/tasks/{cancelled}/cancel"),
            Some(&staff.access_token),
            json!({"reason": "Avlyst"}),
        )
        .await;
    assert_eq!(called_off.status(), 200);

    let report = app.run_jobs().await;
    assert_eq!(
        report.auto_completed, 2,
        "both ended more than seven days ago"
    );
    assert_eq!(report.private_purged, 1, "only the task past the window");
    let view = |id: String| {
        let app = &app;
        let token = staff.access_token.clone();
        async move {
            app.get_as(&format!("/api/v1/tasks/{id}"), &token)
                .await
                .json::<Value>()
                .await
                .expect("json")
        }
    };
    assert_eq!(
        view(ended.clone()).await["private"]["recipient_name"],
        Value::Null
    );
    assert_eq!(
        view(recent.clone()).await["private"]["recipient_name"],
        "Ruth Hansen"
    );
    // A cancelled task counts from its cancellation.
    assert_eq!(
        view(cancelled.clone()).await["private"]["address"],
        "Storgata 1"
    );
    app.clock.advance(chrono::Duration::days(31));
    let later = app.run_jobs().await;
    assert_eq!(later.private_purged, 2);
    assert_eq!(
        view(cancelled.clone()).await["private"]["address"],
        Value::Null
    );

    // The purge is recorded, without the values, and nothing of them is left anywhere.
    let events = app
        .query_json(&format!(
            "SELECT kind, fields FROM task_events WHERE task_id = '{ended}' AND kind = 'private_purged'"
        ))
        .await;
    assert_eq!(events.len(), 1, "{events:?}");
    let leftovers = app
        .query_json(&format!(
            "SELECT count(*) AS n FROM task_private WHERE task_id IN ('{ended}', '{cancelled}') \
             AND (address IS NOT NULL OR recipient_name IS NOT NULL OR recipient_phone IS NOT NULL OR notes IS NOT NULL)"
        ))
        .await;
    assert_eq!(leftovers[0]["n"], 0);
    let again = app.run_jobs().await;
    assert_eq!(again.private_purged, 0, "idempotent");
    app.deliver_mail().await;
}

#[tokio::test]
async fn purge_dry_run_on_the_command_line_changes_nothing() {
    let app = TestApp::spawn().await;
    let unit = app.service_unit("Hjemmetjenesten Hvarnes").await;
    let staff = app.staff(unit).await;
    let task = app.post_task(&staff, json!({})).await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    app.sql(&format!("UPDATE tasks SET starts_at = now() - interval '40 days', ends_at = now() - interval '39 days', status = 'completed' WHERE id = '{task}'")).await;
    let run = |dry: bool| {
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_dugnad"));
        command
            .arg("purge")
            .env("DATABASE_URL", &app.db.url)
            .env(
                "DUGNAD_VAR_DIR",
                std::env::temp_dir().join("dugnad-test-var"),
            )
            .env("RUST_LOG", "warn");
        if dry {
            command.arg("--dry-run");
        }
        command.output()
    };
    let dry = run(true).await.expect("run purge");
    assert!(
        dry.status.success(),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    let out = String::from_utf8_lossy(&dry.stdout);
    assert!(out.contains("would purge the private block of 1 task(s)") && out.contains(&task));
    let rows = app
        .query_json(&format!(
            "SELECT recipient_name FROM task_private WHERE task_id = '{task}'"
        ))
        .await;
    assert_eq!(rows[0]["recipient_name"], "Ruth Hansen");
    let real = run(false).await.expect("run purge");
    assert!(
        String::from_utf8_lossy(&real.stdout).contains("purged the private block of 1 task(s)")
    );
    let rows = app
        .query_json(&format!(
            "SELECT recipient_name FROM task_private WHERE task_id = '{task}'"
        ))
        .await;
    assert_eq!(rows[0]["recipient_name"], Value::Null);
}

#[tokio::test]
async fn the_export_holds_the_callers_data_and_nothing_of_anyone_elses() {
    let app = TestApp::spawn().await;
    let unit = app.service_unit("Hjemmetjenesten Hvarnes").await;
    let staff = app.staff(unit).await;
    let me = app.volunteer().await;
    let other = app.volunteer().await;
    let task = app.post_task(&staff, json!({"spots": 2})).await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    for user in [&me, &other] {
        let response = app
            .call(
                reqwest::Method::POST,
                &format!("/api/v1/tasks/{task}/claim"),
                Some(&user.access_token),
                None,
            )
            .await;
        assert_eq!(response.status(), 201);
    }
    let response = app.get_as("/api/v1/me/export", &me.access_token).await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .expect("ascii")
            .contains("attachment")
    );
    let export: Value = response.json().await.expect("json");
    assert_eq!(export["profile"]["email"], me.email.as_str());
    let claims = export["claims"].as_array().expect("claims");
    assert_eq!(claims.len(), 1);
    assert_eq!(claims[0]["claim"]["volunteer_id"], me.id.to_string());
    assert_eq!(claims[0]["task"]["id"], task.as_str());
    assert!(
        claims[0]["task"].get("private").is_none(),
        "the person helped is not the caller's data"
    );
    let kinds: Vec<&str> = export["emails"]
        .as_array()
        .expect("emails")
        .iter()
        .map(|e| e["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(kinds, vec!["claim_confirmation"]);
    let text = export.to_string();
    assert!(!text.contains(&other.email) && !text.contains(&other.id.to_string()));
    assert!(!text.contains("Ruth Hansen") && !text.contains("Storgata"));
    app.deliver_mail().await;
}

/// Every place in the database where `needle` still appears (table.column).
async fn find_everywhere(app: &TestApp, needle: &str) -> Vec<String> {
    let client = dugnad::db::raw_connect(&app.db.url).await.expect("connect");
    let columns = client
        .query(
            "SELECT table_name::text, column_name::text FROM information_schema.columns
              WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb', 'ARRAY')",
            &[],
        )
        .await
        .expect("columns");
    let mut found = Vec::new();
    for row in columns {
        let (table, column): (String, String) = (row.get(0), row.get(1));
        let query = format!(
            "SELECT count(*) FROM \"{table}\" WHERE \"{column}\"::text ILIKE '%' || $1 || '%'"
        );
        let n: i64 = client
            .query_one(&query, &[&needle])
            .await
            .expect("search")
            .get(0);
        if n > 0 {
            found.push(format!("{table}.{column}"));
        }
    }
    found
}

#[tokio::test]
async fn erasure_keeps_the_totals_and_leaves_no_trace_of_the_person() {
    let app = TestApp::spawn().await;
    let unit = app.service_unit("Hjemmetjenesten Hvarnes").await;
    let staff = app.staff(unit).await;
    let me = app.volunteer().await;
    let name = "Kari Unik-Nordmann";
    let phone = "+47 987 65 432";
    app.patch(
        "/api/v1/me",
        Some(&me.access_token),
        json!({"name": name, "phone": phone}),
    )
    .await;
    let done = app.post_task(&staff, json!({"spots": 1})).await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let open = app.post_task(&staff, json!({"spots": 1, "starts_at": (chrono::Utc::now() + chrono::Duration::days(5)).to_rfc3339(), "ends_at": null})).await["id"].as_str().expect("id").to_owned();
    for task in [&done, &open] {
        let response = app
            .call(
                reqwest::Method::POST,
                &format!("/api/v1/tasks/{task}/claim"),
                Some(&me.access_token),
                None,
            )
            .await;
        assert_eq!(response.status(), 201);
    }
    app.started_ago(&done, chrono::Duration::hours(3)).await;
    let completed = app
        .post(
            &format!("/api/v1/tasks/{done}/complete"),
            Some(&staff.access_token),
            json!({}),
        )
        .await;
    assert_eq!(completed.status(), 200);
    app.drain_outbox().await;
    let figures = || {
        let app = &app;
        async move {
            let mut conn = app.pool.get().await.expect("connection");
            let from = chrono::Utc::now() - chrono::Duration::days(30);
            dugnad::db::stats::by_category(&mut conn, None, from, from + chrono::Duration::days(60))
                .await
                .expect("figures")
        }
    };
    let before = figures().await;

    assert_eq!(
        app.call(
            reqwest::Method::DELETE,
            "/api/v1/me",
            Some(&me.access_token),
            None
        )
        .await
        .status(),
        204
    );

    // The active claim is released and the unit told, naming no one.
    let view: Value = app
        .get_as(&format!("/api/v1/tasks/{open}"), &staff.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(view["spots_left"], 1);
    // The volunteer did not withdraw: the unit is told an account was closed.
    let to_unit = app.mail_to(&format!("unit-{unit}@larvik.test")).await;
    assert!(to_unit.iter().any(|m| {
        m.header("Subject")
            .is_some_and(|s| s.starts_with("Ledig plass etter en avsluttet konto"))
    }));
    assert!(
        !to_unit
            .iter()
            .any(|m| m.header("Subject").is_some_and(|s| s.contains("trakk seg"))),
        "nobody withdrew"
    );
    // Report totals are unchanged: the completed claim, its hours and its volunteer count.
    assert_eq!(figures().await, before);
    // Name, email and phone are gone everywhere.
    for needle in [name, me.email.as_str(), phone] {
        assert_eq!(
            find_everywhere(&app, needle).await,
            Vec::<String>::new(),
            "{needle}"
        );
    }
    // Tokens are dead, and the address can register again.
    assert_eq!(
        app.get_as("/api/v1/me", &me.access_token).await.status(),
        401
    );
    assert_eq!(
        app.post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": me.refresh_token})
        )
        .await
        .status(),
        401
    );
    let again = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"email": me.email, "password": "Et-nytt-liv-passord-1", "name": "Kari"}),
        )
        .await;
    assert_eq!(again.status(), 201);
    app.deliver_mail().await;
}

#[tokio::test]
async fn admins_erase_accounts_but_not_the_last_admin_and_unused_accounts_are_warned_then_erased() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let volunteer = app.volunteer().await;
    let other = app.volunteer().await;
    let path = |id: uuid::Uuid| format!("/api/v1/users/{id}");
    assert_eq!(
        app.call(
            reqwest::Method::DELETE,
            &path(volunteer.id),
            Some(&other.access_token),
            None
        )
        .await
        .status(),
        403
    );
    assert_eq!(
        app.call(
            reqwest::Method::DELETE,
            &path(volunteer.id),
            Some(&admin.access_token),
            None
        )
        .await
        .status(),
        204
    );
    assert_eq!(
        app.call(
            reqwest::Method::DELETE,
            &path(admin.id),
            Some(&admin.access_token),
            None
        )
        .await
        .status(),
        409
    );

    // Three years unused: a warning, then erasure 30 days later if still unused.
    app.sql(&format!(
        "UPDATE users SET last_active_at = now() - interval '1100 days' WHERE id = '{}'",
        other.id
    ))
    .await;
    let now = chrono::Utc::now();
    let report = dugnad::jobs::run_once_at(&app.pool, &app.settings, now)
        .await
        .expect("jobs")
        .expect("lock");
    assert_eq!((report.inactivity_warnings, report.inactive_erased), (1, 0));
    let mails = app.mail_to(&other.email).await;
    assert!(mails.iter().any(|m| {
        m.header("Subject")
            .is_some_and(|s| s.contains("slettes snart"))
    }));
    let later =
        dugnad::jobs::run_once_at(&app.pool, &app.settings, now + chrono::Duration::days(31))
            .await
            .expect("jobs")
            .expect("lock");
    assert_eq!(later.inactive_erased, 1);
    assert_eq!(
        find_everywhere(&app, &other.email).await,
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn at_debug_level_the_log_holds_no_private_block_address_hash_or_token() {
    let app = TestApp::spawn().await;
    let unit = app.service_unit("Hjemmetjenesten Svarstad").await;
    let staff = app.staff(unit).await;
    let volunteer = app.volunteer().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("a free port")
        .local_addr()
        .expect("addr")
        .port();
    let log_path = std::env::temp_dir().join(format!("dugnad-debug-{}.log", uuid::Uuid::now_v7()));
    let log = std::fs::File::create(&log_path).expect("log file");
    let mut server = tokio::process::Command::new(env!("CARGO_BIN_EXE_dugnad"))
        .arg("serve")
        .env("DATABASE_URL", &app.db.url)
        .env("DUGNAD_BIND", format!("127.0.0.1:{port}"))
        .env("SMTP_URL", app.smtp.url())
        .env("DUGNAD_JWT_SECRET", crate::helpers::TEST_JWT_SECRET)
        .env("DUGNAD_PUBLIC_URL", "http://dugnad.test")
        .env("DUGNAD_MAIL_FROM", "Dugnad <noreply@dugnad.test>")
        .env(
            "DUGNAD_VAR_DIR",
            std::env::temp_dir().join("dugnad-test-var"),
        )
        .env("RUST_LOG", "debug")
        .stdout(std::process::Stdio::null())
        .stderr(log)
        .kill_on_drop(true)
        .spawn()
        .expect("spawn dugnad serve");
    let base = format!("http://127.0.0.1:{port}");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !app
        .client
        .get(format!("{base}/readyz"))
        .send()
        .await
        .is_ok_and(|r| r.status() == reqwest::StatusCode::OK)
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the server never became ready"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let post = |path: &str, token: Option<&str>, body: Value| {
        let mut request = app.client.post(format!("{base}{path}")).json(&body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        app.send(request)
    };

    // A login (the hash is read), a task with a private block, a claim, the task as its
    // claimant sees it, and a reset email with its link.
    let login = post(
        "/api/v1/auth/login",
        None,
        json!({"email": volunteer.email, "password": volunteer.password}),
    )
    .await;
    assert_eq!(login.status(), 200);
    let access = login.json::<Value>().await.expect("json")["access_token"]
        .as_str()
        .expect("token")
        .to_owned();
    let start = chrono::Utc::now() + chrono::Duration::days(2);
    let task: Value = post(
        "/api/v1/tasks",
        Some(&staff.access_token),
        json!({"title": "Handletur", "description": "Handle mat", "category_id": app.category_id("accompaniment").await,
               "starts_at": start.to_rfc3339(), "duration_minutes": 90,
               "private": {"address": "Kvernhusveien 17", "recipient_name": "Ingrid Solvang",
                           "recipient_phone": "+47 977 12 345", "notes": "Nøkkel under matten"}}),
    )
    .await
    .json()
    .await
    .expect("json");
    let id = task["id"].as_str().expect("id");
    assert_eq!(
        post(
            &format!("/api/v1/tasks/{id}/claim"),
            Some(&access),
            json!({})
        )
        .await
        .status(),
        201
    );
    let seen: Value = app
        .send(
            app.client
                .get(format!("{base}/api/v1/tasks/{id}"))
                .bearer_auth(&access),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(seen["private"]["recipient_name"], "Ingrid Solvang");
    assert_eq!(
        post(
            "/api/v1/auth/password-reset",
            None,
            json!({"email": volunteer.email})
        )
        .await
        .status(),
        202
    );
    let reset = loop {
        let found = app.smtp.received().into_iter().find(|m| {
            m.to.iter().any(|t| t == &volunteer.email)
                && m.header("Subject")
                    .is_some_and(|s| s.contains("Tilbakestill"))
        });
        if let Some(mail) = found {
            break mail;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the reset email never arrived"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    let reset_token = reset.link_token("reset-password");
    // The SMTP server has a message before the worker marks its row sent: wait for the
    // marks, or the stop below can leave a row pending (and the test would fail on it).
    while !app
        .query_json("SELECT id FROM outbox WHERE status = 'pending'")
        .await
        .is_empty()
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the reset email was never marked sent"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    server.start_kill().expect("stop the server");
    server.wait().await.expect("stopped");

    let text = std::fs::read_to_string(&log_path).expect("the log");
    std::fs::remove_file(&log_path).ok();
    assert!(
        text.lines().filter(|l| l.contains("DEBUG")).count() > 10,
        "the server logged at debug:\n{text}"
    );
    for secret in [
        "Kvernhusveien 17",
        "Ingrid Solvang",
        "977 12 345",
        "Nøkkel under matten",
        volunteer.email.as_str(),
        staff.email.as_str(),
        volunteer.password.as_str(),
        "$argon2id$",
        access.as_str(),
        reset_token.as_str(),
    ] {
        // The driver prints bind values as byte arrays: look for those too.
        let as_bytes = secret
            .bytes()
            .map(|b| b.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        assert!(!text.contains(secret), "the log holds {secret:?}");
        assert!(
            !text.contains(&as_bytes),
            "the log holds {secret:?} as bytes"
        );
    }
}

/// Every answer a unit, its council's coordinator and an admin can read about a task, as
/// text: the API's task, claimants, history, lists and reports, and the console's pages.
async fn what_others_read_of(
    app: &TestApp,
    task: &str,
    council: uuid::Uuid,
    readers: &[&crate::helpers::TestUser],
) -> Vec<(String, String)> {
    let today = chrono::Utc::now().date_naive();
    let (from, to) = (
        today - chrono::Duration::days(30),
        today + chrono::Duration::days(30),
    );
    let mut paths = vec![
        format!("/api/v1/tasks/{task}"),
        format!("/api/v1/tasks/{task}/claims"),
        format!("/api/v1/tasks/{task}/events"),
        "/api/v1/tasks?mine=true&status=open,filled".to_owned(),
        format!(
            "/api/v1/councils/{council}/overview?year={}",
            chrono::Datelike::year(&today)
        ),
        format!("/api/v1/councils/{council}/opt-out-events"),
        "/api/v1/admin/outbox?status=sent".to_owned(),
        "/api/v1/admin/push-outbox".to_owned(),
    ];
    for group in ["council", "category", "month", "unit"] {
        paths.push(format!(
            "/api/v1/reports/summary?from={from}&to={to}&group_by={group}"
        ));
    }
    let mut seen = Vec::new();
    for reader in readers {
        for path in &paths {
            let response = app.get_as(path, &reader.access_token).await;
            if response.status() == 200 {
                seen.push((path.clone(), response.text().await.expect("body")));
            }
        }
        let mut browser = crate::console::Browser::new(app);
        let home = browser.sign_in(&reader.email, &reader.password).await;
        assert!(home.status < 400, "console sign-in: {}", home.status);
        for page in [
            format!("/console/tasks/{task}"),
            "/console/tasks".to_owned(),
            format!("/console/report?from={from}&to={to}"),
            "/console/council".to_owned(),
            "/console/council/overview".to_owned(),
            "/console/outbox".to_owned(),
        ] {
            let answer = browser.get(&page).await;
            if answer.status == 200 {
                seen.push((page, answer.body));
            }
        }
    }
    seen
}

#[tokio::test]
async fn a_release_is_linked_to_no_person_in_anything_a_unit_coordinator_or_admin_reads() {
    let app = TestApp::spawn().await;
    let unit = app.service_unit("Hjemmetjenesten Stavern").await;
    let staff = app.staff(unit).await;
    let admin = app.admin().await;
    let stavern = app.council_id("Stavern").await;
    let coordinator = app
        .create_user(
            dugnad::domain::account::Role::Coordinator,
            None,
            Some(stavern),
        )
        .await;
    let leaving = app.volunteer().await;
    let staying = app.volunteer().await;
    for (who, name) in [(&leaving, "Randi Slipper"), (&staying, "Sverre Blir")] {
        let named = app
            .patch("/api/v1/me", Some(&who.access_token), json!({"name": name}))
            .await;
        assert_eq!(named.status(), 200);
    }
    let task = crate::helpers::id_of(
        &app.post_task_as(
            &staff,
            crate::helpers::a_task()
                .spots(2)
                .with(json!({"council_id": stavern})),
        )
        .await,
    );
    app.claimed(&leaving, &task).await;
    app.claimed(&staying, &task).await;
    assert_eq!(app.release(&leaving, &task).await.status(), 200);

    let seen = what_others_read_of(&app, &task, stavern, &[&staff, &coordinator, &admin]).await;
    // The readers saw a populated task: the volunteer who stays is listed, the release is
    // in the history with its time.
    let claimants = seen
        .iter()
        .find(|(path, _)| path.ends_with("/claims"))
        .expect("the claimants list");
    assert!(claimants.1.contains("Sverre Blir"), "{}", claimants.1);
    let history = seen
        .iter()
        .find(|(path, _)| path.ends_with("/events"))
        .expect("the history");
    let events: Value = serde_json::from_str(&history.1).expect("json");
    let kinds: Vec<&str> = events["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|e| e["kind"].as_str().expect("kind"))
        .collect();
    assert!(
        kinds.contains(&"released") && kinds.contains(&"claimed"),
        "{kinds:?}"
    );
    for event in events["items"].as_array().expect("items") {
        if event["kind"] != "created" {
            assert_eq!(event["actor_id"], Value::Null, "{event}");
        }
    }
    assert!(
        seen.iter()
            .any(|(path, body)| path.starts_with("/console/tasks/") && body.contains("Sverre Blir")),
        "the console's task page lists who holds the task"
    );
    // Nothing anyone of them read names the volunteer who gave the spot back — not their
    // name, address or id, so neither a released claim nor a claim event can be matched
    // to the release.
    for (path, body) in &seen {
        for needle in [
            "Randi Slipper",
            leaving.email.as_str(),
            &leaving.id.to_string(),
        ] {
            assert!(
                !body.contains(needle),
                "{path} names the one who released: {needle}"
            );
        }
    }
    // The admin's own page of that person says nothing of the task.
    let mut browser = crate::console::Browser::new(&app);
    browser.sign_in(&admin.email, &admin.password).await;
    let person = browser.get(&format!("/console/users/{}", leaving.id)).await;
    assert_eq!(person.status, 200);
    assert!(person.body.contains("Randi Slipper"));
    assert!(
        !person.body.contains(&task),
        "the person's page links no task"
    );
    app.deliver_mail().await;
}
