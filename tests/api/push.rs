//! Push notifications over real HTTP: devices registered and forgotten, FCM delivery to a
//! loopback peer (OAuth grant, caching, one refresh on 401), its answers (UNREGISTERED,
//! INVALID_ARGUMENT, 429 with Retry-After, 503), preferences, and what a payload says.

use serde_json::{Value, json};

use crate::helpers::{TestApp, TestUser, assert_problem, id_of};
use crate::support::fcm::Answer;

async fn register(app: &TestApp, user: &TestUser, token: &str, platform: &str) -> Value {
    let response = app
        .post(
            "/api/v1/me/devices",
            Some(&user.access_token),
            json!({"token": token, "platform": platform, "app_version": "2.1.0"}),
        )
        .await;
    assert_eq!(response.status(), 201);
    response.json().await.expect("json")
}

async fn devices(app: &TestApp, user: &TestUser) -> Vec<Value> {
    let page: Value = app
        .get_as("/api/v1/me/devices", &user.access_token)
        .await
        .json()
        .await
        .expect("json");
    page["items"].as_array().expect("items").clone()
}

async fn push_rows(app: &TestApp) -> Vec<Value> {
    app.query_json("SELECT kind, status, attempts, device_id::text, next_attempt_at > now() + interval '50 minutes' AS held_back FROM outbox WHERE channel = 'fcm' ORDER BY id")
        .await
}

#[tokio::test]
async fn a_device_token_moves_to_whoever_registers_it_and_is_forgotten_on_logout_and_deactivation()
{
    let app = TestApp::spawn().await;
    let kari = app.volunteer().await;
    let per = app.volunteer().await;
    let admin = app.admin().await;
    let first = register(&app, &kari, "fcm-token-1", "android").await;
    assert_eq!(first["platform"], "android");
    assert!(first.get("token").is_none(), "the token is never echoed");
    assert_eq!(devices(&app, &kari).await.len(), 1);

    // The same phone signs in as someone else: the token moves, it is not shared, and it
    // is a new device with a new id (an id seen before says nothing of who held it).
    let moved = register(&app, &per, "fcm-token-1", "android").await;
    assert_ne!(moved["id"], first["id"]);
    // The owner registering their own token again keeps its id.
    let again = register(&app, &per, "fcm-token-1", "android").await;
    assert_eq!(again["id"], moved["id"]);
    assert!(devices(&app, &kari).await.is_empty());
    assert_eq!(devices(&app, &per).await.len(), 1);
    assert_problem(
        app.call(
            reqwest::Method::DELETE,
            &format!("/api/v1/me/devices/{}", id_of(&moved)),
            Some(&kari.access_token),
            None,
        )
        .await,
        404,
        "not_found",
    )
    .await;
    for bad in [
        json!({"token": "", "platform": "android"}),
        json!({"token": "t", "platform": "windows"}),
        json!({"token": "t\nu", "platform": "ios"}),
        json!({"token": "t", "platform": "ios", "owner": "x"}),
    ] {
        assert_problem(
            app.post("/api/v1/me/devices", Some(&kari.access_token), bad)
                .await,
            422,
            "validation_failed",
        )
        .await;
    }
    assert_problem(
        app.post(
            "/api/v1/me/devices",
            None,
            json!({"token": "t", "platform": "ios"}),
        )
        .await,
        401,
        "unauthenticated",
    )
    .await;

    for bad in [
        json!({"refresh_token": per.refresh_token, "device_token": "a\u{0}b"}),
        json!({"refresh_token": ""}),
    ] {
        assert_problem(
            app.post("/api/v1/auth/logout", None, bad).await,
            422,
            "validation_failed",
        )
        .await;
    }
    // Logging out from the phone forgets it; another device of the same person stays.
    register(&app, &per, "fcm-token-2", "ios").await;
    let out = app
        .post(
            "/api/v1/auth/logout",
            None,
            json!({"refresh_token": per.refresh_token, "device_token": "fcm-token-1"}),
        )
        .await;
    assert_eq!(out.status(), 204);
    let left = app
        .query_json(&format!(
            "SELECT token FROM devices WHERE user_id = '{}'",
            per.id
        ))
        .await;
    assert_eq!(left, vec![json!({"token": "fcm-token-2"})]);

    // A deactivated account's devices are forgotten.
    let off = app
        .patch(
            &format!("/api/v1/users/{}", per.id),
            Some(&admin.access_token),
            json!({"active": false}),
        )
        .await;
    assert_eq!(off.status(), 200);
    assert!(
        app.query_json("SELECT id FROM devices").await.is_empty(),
        "no device left"
    );
    app.deliver_mail().await;
}

/// A volunteer with a phone, reading in `language`, and the task posted for them.
async fn volunteer_with_phone(app: &TestApp, token: &str, language: &str) -> TestUser {
    let volunteer = app.volunteer().await;
    let changed = app
        .patch(
            "/api/v1/me",
            Some(&volunteer.access_token),
            json!({"language": language, "invitable": true}),
        )
        .await;
    assert_eq!(changed.status(), 200);
    register(app, &volunteer, token, "ios").await;
    volunteer
}

/// Staff post a task, `volunteer` takes it, and staff change its title.
async fn change_a_task_held_by(app: &TestApp, staff: &TestUser, volunteer: &TestUser) {
    let task = app.post_task(staff, json!({})).await;
    let id = id_of(&task);
    app.claimed(volunteer, &id).await;
    let edited = app
        .patch(
            &format!("/api/v1/tasks/{id}"),
            Some(&staff.access_token),
            json!({"title": "Følge til legen, ny tid"}),
        )
        .await;
    assert_eq!(edited.status(), 200);
}

/// `GET /me` as `user`.
async fn profile(app: &TestApp, user: &TestUser) -> Value {
    app.get_as("/api/v1/me", &user.access_token)
        .await
        .json()
        .await
        .expect("json")
}

fn messages_to(app: &TestApp, token: &str) -> Vec<Value> {
    app.fcm
        .as_ref()
        .expect("peer")
        .received()
        .into_iter()
        .filter(|m| m.token == token && m.answered == 200)
        .map(|m| m.body["message"].clone())
        .collect()
}

#[tokio::test]
async fn a_registered_phone_hears_of_a_change_a_cancellation_a_reminder_and_an_invitation_in_its_language()
 {
    let app = TestApp::spawn_with_push().await;
    let unit = app.service_unit("Hjemmetjenesten Stavern").await;
    let staff = app.staff(unit).await;
    let kari = volunteer_with_phone(&app, "phone-kari", "nb").await;
    let john = volunteer_with_phone(&app, "phone-john", "en").await;
    let task = app.post_task(&staff, json!({"spots": 2})).await;
    let id = id_of(&task);
    let start = chrono::DateTime::parse_from_rfc3339(task["starts_at"].as_str().expect("start"))
        .expect("instant")
        .with_timezone(&chrono::Utc);
    app.claimed(&kari, &id).await;
    assert_eq!(app.drain_pushes().await, 0, "a claim is not pushed");

    let edited = app
        .patch(
            &format!("/api/v1/tasks/{id}"),
            Some(&staff.access_token),
            json!({"title": "Følge til legen og apoteket"}),
        )
        .await;
    assert_eq!(edited.status(), 200);
    let invited = app
        .post(
            &format!("/api/v1/tasks/{id}/invitations"),
            Some(&staff.access_token),
            json!({"volunteer_id": john.id}),
        )
        .await;
    assert_eq!(invited.status(), 201);
    let jobs = dugnad::jobs::run_once_at(
        &app.pool,
        &app.settings,
        start - chrono::Duration::hours(23),
    )
    .await
    .expect("jobs")
    .expect("lock");
    assert_eq!(jobs.reminders, 1);
    assert_eq!(app.drain_pushes().await, 3);

    let to_kari = messages_to(&app, "phone-kari");
    // Sent concurrently: the arrival order means nothing.
    let mut titles: Vec<&str> = to_kari
        .iter()
        .map(|m| m["notification"]["title"].as_str().expect("title"))
        .collect();
    titles.sort_unstable();
    assert_eq!(
        titles,
        [
            "En oppgave du har tatt, er endret",
            "Påminnelse: du har en oppgave i morgen"
        ]
    );
    let changed = to_kari
        .iter()
        .find(|m| m["data"]["kind"] == "task_changed")
        .expect("the change");
    let body = changed["notification"]["body"].as_str().expect("body");
    let category: String = app
        .query_json("SELECT name_nb FROM categories WHERE slug = 'accompaniment'")
        .await[0]["name_nb"]
        .as_str()
        .expect("name")
        .to_owned();
    assert!(body.starts_with(&category), "{body}");
    assert!(body.ends_with("Stavern sentrum"), "{body}");
    assert!(body.contains(" kl. "), "a Norwegian time: {body}");
    assert_eq!(changed["data"]["task_id"], id.as_str());

    let to_john = messages_to(&app, "phone-john");
    assert_eq!(to_john.len(), 1);
    assert_eq!(
        to_john[0]["notification"]["title"],
        "You are invited to a task"
    );
    assert_eq!(to_john[0]["data"]["kind"], "invitation");

    let cancelled = app
        .post(
            &format!("/api/v1/tasks/{id}/cancel"),
            Some(&staff.access_token),
            json!({"reason": "Timen er flyttet"}),
        )
        .await;
    assert_eq!(cancelled.status(), 200);
    assert_eq!(app.drain_pushes().await, 1);
    let to_kari = messages_to(&app, "phone-kari");
    assert_eq!(
        to_kari.last().expect("cancelled")["notification"]["title"],
        "En oppgave du har tatt, er avlyst"
    );
    let peer = app.fcm.as_ref().expect("peer");
    assert!(
        peer.refused_grants().is_empty(),
        "{:?}",
        peer.refused_grants()
    );
    assert_eq!(peer.grants(), 1, "one access token, cached between sends");
    assert!(
        push_rows(&app).await.iter().all(|r| r["status"] == "sent"),
        "{:?}",
        push_rows(&app).await
    );
    app.deliver_mail().await;
}

#[tokio::test]
async fn fcm_answers_prune_the_device_honour_retry_after_and_a_401_refreshes_the_token_once() {
    let app = TestApp::spawn_with_push().await;
    let unit = app.service_unit("Hjemmetjenesten Stavern").await;
    let staff = app.staff(unit).await;
    let kari = volunteer_with_phone(&app, "phone-kari", "nb").await;
    let per = volunteer_with_phone(&app, "phone-per", "nb").await;
    let task = app.post_task(&staff, json!({"spots": 2})).await;
    let id = id_of(&task);
    app.claimed(&kari, &id).await;
    app.claimed(&per, &id).await;
    let peer = app.fcm.as_ref().expect("peer").clone();
    let edit = |title: &'static str| {
        let app = &app;
        let staff = &staff;
        let id = id.clone();
        async move {
            let r = app
                .patch(
                    &format!("/api/v1/tasks/{id}"),
                    Some(&staff.access_token),
                    json!({"title": title}),
                )
                .await;
            assert_eq!(r.status(), 200);
        }
    };

    // 429 with Retry-After: an hour, whatever the backoff says; a 503 is retried sooner.
    peer.script([Answer::TooMany { retry_after: 3600 }, Answer::Unavailable]);
    edit("Følge til legen, ny tid").await;
    assert_eq!(app.drain_pushes().await, 2);
    let rows = push_rows(&app).await;
    assert!(rows.iter().all(|r| r["status"] == "pending"), "{rows:?}");
    assert_eq!(
        rows.iter().filter(|r| r["held_back"] == true).count(),
        1,
        "only the 429 waits its hour: {rows:?}"
    );
    // The admins see both waiting pushes, by device, beside the waiting emails in the
    // one view, and can put one back in the queue.
    let admin = app.admin().await;
    let everything: Value = app
        .get_as("/api/v1/admin/outbox?status=pending", &admin.access_token)
        .await
        .json()
        .await
        .expect("json");
    let channels: Vec<&str> = everything["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["channel"].as_str())
        .collect();
    assert!(
        channels.contains(&"email") && channels.iter().filter(|c| **c == "fcm").count() == 2,
        "{everything}"
    );
    let waiting: Value = app
        .get_as(
            "/api/v1/admin/outbox?status=pending&channel=fcm",
            &admin.access_token,
        )
        .await
        .json()
        .await
        .expect("json");
    let items = waiting["items"].as_array().expect("items").clone();
    assert_eq!(items.len(), 2, "{waiting}");
    assert!(
        items
            .iter()
            .all(|i| i["device_id"].is_string() && i["to"].is_null())
    );
    assert!(
        !everything.to_string().contains("phone-"),
        "no token in the view"
    );
    // The push view of v2 shows the same rows, for its clients.
    let v2: Value = app
        .get_as(
            "/api/v1/admin/push-outbox?status=pending",
            &admin.access_token,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(v2["items"].as_array().map(Vec::len), Some(2), "{v2}");
    assert_problem(
        app.get_as("/api/v1/admin/push-outbox", &kari.access_token)
            .await,
        403,
        "forbidden",
    )
    .await;
    let mut console = crate::console::Browser::new(&app);
    assert_eq!(
        console
            .sign_in(&admin.email, crate::helpers::TEST_PASSWORD)
            .await
            .status,
        303
    );
    let page = console.get("/console/outbox").await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.body.matches("<td>Push (app)</td>").count(),
        2,
        "{}",
        page.body
    );
    let held = items
        .iter()
        .find(|i| i["last_error"].as_str().is_some_and(|e| e.contains("429")))
        .expect("the 429");
    let retried = app
        .post(
            &format!("/api/v1/admin/outbox/{}/retry", id_of(held)),
            Some(&admin.access_token),
            json!({}),
        )
        .await;
    assert_eq!(retried.status(), 200);
    assert_eq!(
        push_rows(&app)
            .await
            .iter()
            .filter(|r| r["held_back"] == true)
            .count(),
        0,
        "due now"
    );
    app.sql(
        "UPDATE outbox SET next_attempt_at = now() WHERE status = 'pending' AND channel = 'fcm'",
    )
    .await;
    assert_eq!(app.drain_pushes().await, 2);
    assert!(push_rows(&app).await.iter().all(|r| r["status"] == "sent"));
    assert_problem(
        app.post(
            &format!("/api/v1/admin/push-outbox/{}/retry", id_of(held)),
            Some(&admin.access_token),
            json!({}),
        )
        .await,
        409,
        "conflict",
    )
    .await;

    // A 401 to a cached token: one new grant, the same message again, delivered.
    let grants = peer.grants();
    peer.script([Answer::Unauthorized]);
    edit("Følge til legen, tredje tid").await;
    assert_eq!(app.drain_pushes().await, 2);
    assert_eq!(
        peer.grants(),
        grants + 1,
        "one refresh, shared by the sends that met the revoked token"
    );
    assert!(push_rows(&app).await.iter().all(|r| r["status"] == "sent"));

    // FCM down for everything a while: every push waits, none is given up.
    peer.answer_all(Answer::Unavailable);
    edit("Følge til legen, femte tid").await;
    assert_eq!(app.drain_pushes().await, 2);
    assert!(
        push_rows(&app)
            .await
            .iter()
            .any(|r| r["status"] == "pending")
    );
    peer.answer_all(Answer::Accept);
    app.sql(
        "UPDATE outbox SET next_attempt_at = now() WHERE status = 'pending' AND channel = 'fcm'",
    )
    .await;
    assert_eq!(app.drain_pushes().await, 2);
    assert!(push_rows(&app).await.iter().all(|r| r["status"] == "sent"));

    // A peer that never answers: the send times out (2 s here) and is tried again later.
    peer.script([Answer::Hang]);
    edit("Følge til legen, ny tid igjen").await;
    assert_eq!(app.drain_pushes().await, 2);
    let waiting = app
        .query_json("SELECT last_error FROM outbox WHERE status = 'pending' AND channel = 'fcm'")
        .await;
    assert_eq!(waiting.len(), 1, "{waiting:?}");
    assert!(
        waiting[0]["last_error"]
            .as_str()
            .is_some_and(|e| e.contains("FCM unreachable")),
        "{waiting:?}"
    );
    app.sql(
        "UPDATE outbox SET next_attempt_at = now() WHERE status = 'pending' AND channel = 'fcm'",
    )
    .await;
    assert_eq!(app.drain_pushes().await, 1);
    assert!(push_rows(&app).await.iter().all(|r| r["status"] == "sent"));

    // UNREGISTERED and an invalid token: the device is forgotten, its rows with it.
    peer.script([Answer::Unregistered, Answer::InvalidToken]);
    edit("Følge til legen, fjerde tid").await;
    assert_eq!(app.drain_pushes().await, 2);
    assert!(app.query_json("SELECT id FROM devices").await.is_empty());
    assert!(
        push_rows(&app).await.is_empty(),
        "the rows went with the devices"
    );
    let metrics = app.get("/metrics").await.text().await.expect("text");
    assert!(
        metrics.contains("dugnad_outbox_deliveries_total{channel=\"fcm\",outcome=\"pruned\"} 2"),
        "{metrics}"
    );
    assert!(
        metrics.contains("dugnad_outbox_deliveries_total{channel=\"fcm\",outcome=\"retry\"} 5"),
        "{metrics}"
    );
    app.deliver_mail().await;
}

#[tokio::test]
async fn a_push_preference_turned_off_sends_nothing_to_the_phone_and_the_email_still_goes() {
    let app = TestApp::spawn_with_push().await;
    let unit = app.service_unit("Hjemmetjenesten Stavern").await;
    let staff = app.staff(unit).await;
    let kari = volunteer_with_phone(&app, "phone-kari", "nb").await;
    let me = profile(&app, &kari).await;
    assert_eq!(
        me["push_notifications"],
        json!({"task_changed": true, "task_cancelled": true, "reminder": true, "invitation": true, "spot_opened": false})
    );
    let off = app
        .patch(
            "/api/v1/me",
            Some(&kari.access_token),
            json!({"push_notifications": {"task_changed": false}}),
        )
        .await;
    assert_eq!(off.status(), 200);
    let off: Value = off.json().await.expect("json");
    assert_eq!(off["push_notifications"]["task_changed"], false);
    assert_eq!(off["push_notifications"]["reminder"], true);
    change_a_task_held_by(&app, &staff, &kari).await;
    assert!(push_rows(&app).await.is_empty());
    assert_eq!(app.drain_pushes().await, 0);
    let mails = app.mail_to(&kari.email).await;
    assert!(
        mails.iter().any(|m| m.text_body().contains("er endret")),
        "the email preference is its own"
    );
    // The export lists the phone and, after a push, what it was told.
    let export: Value = app
        .get_as("/api/v1/me/export", &kari.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(export["devices"].as_array().expect("devices").len(), 1);
    assert!(export["pushes"].as_array().expect("pushes").is_empty());
    app.deliver_mail().await;
}

#[tokio::test]
async fn the_export_lists_devices_watches_and_pushes_and_erasure_leaves_none_of_them() {
    let app = TestApp::spawn_with_push().await;
    let unit = app.service_unit("Hjemmetjenesten Stavern").await;
    let staff = app.staff(unit).await;
    let kari = volunteer_with_phone(&app, "phone-kari", "nb").await;
    let holder = app.volunteer().await;
    let full = app.post_task(&staff, json!({})).await;
    app.claimed(&holder, &id_of(&full)).await;
    let watched = app
        .call(
            reqwest::Method::PUT,
            &format!("/api/v1/tasks/{}/watch", id_of(&full)),
            Some(&kari.access_token),
            None,
        )
        .await;
    assert_eq!(watched.status(), 201);
    let held = app.post_task(&staff, json!({"spots": 2})).await;
    app.claimed(&kari, &id_of(&held)).await;
    let cancelled = app
        .post(
            &format!("/api/v1/tasks/{}/cancel", id_of(&held)),
            Some(&staff.access_token),
            json!({"reason": "Avlyst"}),
        )
        .await;
    assert_eq!(cancelled.status(), 200);
    assert_eq!(app.drain_pushes().await, 1);

    let export: Value = app
        .get_as("/api/v1/me/export", &kari.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(export["devices"].as_array().expect("devices").len(), 1);
    assert_eq!(export["watches"][0]["task_id"], id_of(&full).as_str());
    assert_eq!(export["pushes"][0]["kind"], "task_cancelled");
    assert_eq!(export["pushes"][0]["status"], "sent");

    let erased = app
        .call(
            reqwest::Method::DELETE,
            "/api/v1/me",
            Some(&kari.access_token),
            None,
        )
        .await;
    assert_eq!(erased.status(), 204);
    for table in ["devices", "task_watches", "outbox"] {
        let left = app
            .query_json(&format!(
                "SELECT count(*) AS n FROM {table} WHERE user_id = '{}'",
                kari.id
            ))
            .await;
        assert_eq!(left[0]["n"], 0, "{table}");
    }
    app.deliver_mail().await;
}

#[tokio::test]
async fn two_workers_draining_at_once_deliver_each_push_once() {
    let app = TestApp::spawn_with_push().await;
    let unit = app.service_unit("Hjemmetjenesten Stavern").await;
    let staff = app.staff(unit).await;
    let task = app.post_task(&staff, json!({"spots": 12})).await;
    let id = id_of(&task);
    for i in 0..12 {
        let v = volunteer_with_phone(&app, &format!("phone-{i}"), "nb").await;
        app.claimed(&v, &id).await;
    }
    let edited = app
        .patch(
            &format!("/api/v1/tasks/{id}"),
            Some(&staff.access_token),
            json!({"title": "Følge til legen, ny tid"}),
        )
        .await;
    assert_eq!(edited.status(), 200);
    // A second process's worker on the same database, with a small batch so both get work.
    let mut settings = app.settings.clone();
    settings.outbox.batch_size = 3;
    let other = dugnad::delivery::Worker::new(
        app.pool.clone(),
        dugnad::email::Mailer::from_settings(&settings).expect("mailer"),
        dugnad::push::Transport::from_settings(&settings).expect("transport"),
        &settings,
        std::sync::Arc::new(dugnad::metrics::Metrics::default()),
        app.clock.clone(),
    );
    let drain_other = async {
        let mut total = 0;
        loop {
            let n = other
                .drain_channels(&[dugnad::domain::notification::Channel::Fcm])
                .await
                .expect("drain");
            if n == 0 {
                return total;
            }
            total += n;
        }
    };
    let (mine, theirs) = tokio::join!(app.drain_pushes(), drain_other);
    assert_eq!(mine + theirs, 12, "each row leased once");
    let mut tokens: Vec<String> = app
        .fcm
        .as_ref()
        .expect("peer")
        .received()
        .into_iter()
        .map(|m| m.token)
        .collect();
    tokens.sort();
    let before = tokens.len();
    tokens.dedup();
    assert_eq!((before, tokens.len()), (12, 12), "one delivery per device");
    app.deliver_mail().await;
}

#[tokio::test]
async fn a_person_keeps_at_most_twenty_devices_the_oldest_forgotten() {
    let app = TestApp::spawn().await;
    let kari = app.volunteer().await;
    let first = register(&app, &kari, "fcm-token-0", "android").await;
    for n in 1..=20 {
        register(&app, &kari, &format!("fcm-token-{n}"), "ios").await;
    }
    let kept = devices(&app, &kari).await;
    assert_eq!(kept.len(), 20);
    assert!(
        kept.iter().all(|d| d["id"] != first["id"]),
        "the oldest is forgotten"
    );
}

#[tokio::test]
async fn preferences_are_choices_by_kind_and_channel_and_every_view_of_them_agrees() {
    let app = TestApp::spawn_with_push().await;
    let unit = app.service_unit("Hjemmetjenesten Stavern").await;
    let staff = app.staff(unit).await;
    let kari = volunteer_with_phone(&app, "phone-kari", "nb").await;
    let me = profile(&app, &kari).await;
    let choices = me["preferences"].as_array().expect("preferences");
    assert_eq!(
        choices.len(),
        8 + 5,
        "every optional kind by email, the pushed ones by app"
    );
    assert!(choices.contains(&json!({"kind": "reminder", "channel": "email", "enabled": true})));
    assert!(choices.contains(&json!({"kind": "spot_opened", "channel": "fcm", "enabled": false})));

    // The general list and the v1/v2 objects name the same choices; the list has the
    // last word where both name one.
    let changed = app
        .patch(
            "/api/v1/me",
            Some(&kari.access_token),
            json!({
                "notifications": {"task_changed": true, "reminder": false},
                "preferences": [
                    {"kind": "task_changed", "channel": "email", "enabled": false},
                    {"kind": "spot_opened", "channel": "fcm", "enabled": true}
                ]
            }),
        )
        .await;
    assert_eq!(changed.status(), 200);
    let me: Value = changed.json().await.expect("json");
    assert_eq!(me["notifications"]["task_changed"], false);
    assert_eq!(me["notifications"]["reminder"], false);
    assert_eq!(me["push_notifications"]["spot_opened"], true);
    assert_eq!(
        me["push_notifications"]["task_changed"], true,
        "a channel of its own"
    );
    let choices = me["preferences"].as_array().expect("preferences");
    assert!(
        choices.contains(&json!({"kind": "task_changed", "channel": "email", "enabled": false}))
    );
    assert!(choices.contains(&json!({"kind": "task_changed", "channel": "fcm", "enabled": true})));
    let rows = app
        .query_json(&format!(
            "SELECT kind || '/' || channel || '=' || enabled AS c FROM notification_preferences \
              WHERE user_id = '{}' ORDER BY 1",
            kari.id
        ))
        .await;
    let rows: Vec<&str> = rows.iter().filter_map(|r| r["c"].as_str()).collect();
    assert_eq!(
        rows,
        [
            "reminder/email=false",
            "spot_opened/fcm=true",
            "task_changed/email=false"
        ],
        "a row for each choice made, none for the defaults"
    );

    // What nobody may choose is refused, and nothing of the request is kept.
    for (choice, why) in [
        (
            json!({"kind": "password_reset", "channel": "email", "enabled": false}),
            "security",
        ),
        (
            json!({"kind": "claim_confirmation", "channel": "fcm", "enabled": true}),
            "not pushed",
        ),
        (
            json!({"kind": "reminder", "channel": "pigeon", "enabled": true}),
            "no such channel",
        ),
    ] {
        let refused = assert_problem(
            app.patch(
                "/api/v1/me",
                Some(&kari.access_token),
                json!({"name": "Kari Endret", "preferences": [{"kind": "invitation", "channel": "email", "enabled": false}, choice]}),
            )
            .await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(refused["errors"][0]["field"], "preferences[1]", "{why}");
    }
    let me = profile(&app, &kari).await;
    assert_ne!(me["name"], "Kari Endret");
    assert_eq!(me["notifications"]["invitation"], true);

    // The choices decide: the change reaches her phone, not her inbox.
    change_a_task_held_by(&app, &staff, &kari).await;
    assert_eq!(app.drain_pushes().await, 1);
    assert_eq!(messages_to(&app, "phone-kari").len(), 1);
    let mails = app.mail_to(&kari.email).await;
    assert!(
        !mails.iter().any(|m| m.text_body().contains("er endret")),
        "the email of the change was turned off"
    );
    app.deliver_mail().await;
}
