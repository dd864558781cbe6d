//! The volunteer's side of email: reminders with one-click release, and unsubscribing.
//! Time is passed to the jobs, never slept for.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestUser, assert_problem};

async fn setup(app: &TestApp) -> (TestUser, String, chrono::DateTime<chrono::Utc>) {
    let unit = app.service_unit("Hjemmetjenesten Tjølling").await;
    let staff = app.staff(unit).await;
    let start = (chrono::Utc::now() + chrono::Duration::days(3)).with_timezone(&chrono::Utc);
    let start =
        start - chrono::Duration::nanoseconds(i64::from(chrono::Timelike::nanosecond(&start)));
    let task = app
        .post_task(&staff, json!({"starts_at": start.to_rfc3339(), "ends_at": (start + chrono::Duration::hours(2)).to_rfc3339(), "spots": 3, "title": "Kaffebesøk"}))
        .await;
    (staff, task["id"].as_str().expect("id").to_owned(), start)
}

fn reminders(
    mails: &[crate::support::smtp::ReceivedMail],
) -> Vec<&crate::support::smtp::ReceivedMail> {
    mails
        .iter()
        .filter(|m| {
            m.header("Subject")
                .is_some_and(|s| s.starts_with("Reminder") || s.starts_with("Påminnelse"))
        })
        .collect()
}

#[tokio::test]
async fn the_reminder_arrives_once_a_day_before_and_its_link_releases_in_one_post() {
    let app = TestApp::spawn().await;
    let (_, task, start) = setup(&app).await;
    let volunteer = app.volunteer().await;
    app.patch(
        "/api/v1/me",
        Some(&volunteer.access_token),
        json!({"language": "en"}),
    )
    .await;
    app.claimed(&volunteer, &task).await;

    let early = dugnad::jobs::run_once_at(
        &app.pool,
        &app.settings,
        start - chrono::Duration::hours(30),
    )
    .await
    .expect("jobs")
    .expect("lock");
    assert_eq!(early.reminders, 0, "not yet");
    let due = dugnad::jobs::run_once_at(
        &app.pool,
        &app.settings,
        start - chrono::Duration::hours(23),
    )
    .await
    .expect("jobs")
    .expect("lock");
    assert_eq!(due.reminders, 1);
    let again = dugnad::jobs::run_once_at(
        &app.pool,
        &app.settings,
        start - chrono::Duration::hours(22),
    )
    .await
    .expect("jobs")
    .expect("lock");
    assert_eq!(again.reminders, 0, "never twice");

    let mails = app.mail_to(&volunteer.email).await;
    let found = reminders(&mails);
    assert_eq!(found.len(), 1);
    let mail = found[0];
    assert_eq!(
        mail.header("Subject").as_deref(),
        Some("Reminder: Kaffebesøk")
    );
    assert!(mail.text_body().contains("Give the task back"));
    assert!(
        mail.header("List-Unsubscribe-Post")
            .is_some_and(|v| v == "List-Unsubscribe=One-Click")
    );
    let token = mail.link_token("release");

    // Opening the page changes nothing.
    let page = app.get(&format!("/e/release?token={token}&lang=en")).await;
    assert_eq!(page.status(), 200);
    assert!(
        page.text()
            .await
            .expect("html")
            .contains(r#"<form method="post" action="/e/release">"#)
    );
    let rows = app.query_json("SELECT status FROM claims").await;
    assert_eq!(rows[0]["status"], "active");

    // The page's button: one POST.
    let response = app
        .call(
            Method::POST,
            &format!("/api/v1/links/release?token={token}"),
            None,
            None,
        )
        .await;
    assert_eq!(response.status(), 200);
    let released: Value = response.json().await.expect("json");
    assert_eq!(released["status"], "released");
    let reuse = app
        .call(
            Method::POST,
            &format!("/api/v1/links/release?token={token}"),
            None,
            None,
        )
        .await;
    // A release link is signed, not stored: using it again finds no claim to give back.
    assert_problem(reuse, 403, "not_claimant").await;
    app.deliver_mail().await;
}

#[tokio::test]
async fn a_moved_task_moves_its_reminder_and_late_claims_get_none() {
    let app = TestApp::spawn().await;
    let (staff, task, start) = setup(&app).await;
    let volunteer = app.volunteer().await;
    app.claimed(&volunteer, &task).await;
    let run = |at: chrono::DateTime<chrono::Utc>| {
        let app = &app;
        async move {
            dugnad::jobs::run_once_at(&app.pool, &app.settings, at)
                .await
                .expect("jobs")
                .expect("lock")
                .reminders
        }
    };
    assert_eq!(run(start - chrono::Duration::hours(23)).await, 1);
    let moved = start + chrono::Duration::days(2);
    let response = app
        .patch(&format!("/api/v1/tasks/{task}"), Some(&staff.access_token), json!({"starts_at": moved.to_rfc3339(), "ends_at": (moved + chrono::Duration::hours(2)).to_rfc3339()}))
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        run(start - chrono::Duration::hours(22)).await,
        0,
        "the old time no longer counts"
    );
    assert_eq!(
        run(moved - chrono::Duration::hours(23)).await,
        1,
        "a new reminder for the new time"
    );

    // A task claimed less than a day before it starts gets no reminder.
    let soon = chrono::Utc::now() + chrono::Duration::hours(10);
    let late = app.post_task(&staff, json!({"starts_at": soon.to_rfc3339(), "ends_at": (soon + chrono::Duration::hours(1)).to_rfc3339()})).await;
    let other = app.volunteer().await;
    app.claimed(&other, late["id"].as_str().expect("id")).await;
    assert_eq!(run(chrono::Utc::now()).await, 0);
    app.deliver_mail().await;
}

#[tokio::test]
async fn one_click_unsubscribe_turns_off_exactly_that_kind() {
    let app = TestApp::spawn().await;
    let (_, task, _) = setup(&app).await;
    let volunteer = app.volunteer().await;
    app.claimed(&volunteer, &task).await;
    let mails = app.mail_to(&volunteer.email).await;
    let confirmation = mails
        .iter()
        .find(|m| {
            m.header("Subject")
                .is_some_and(|s| s.starts_with("Bekreftet"))
        })
        .expect("confirmation");
    assert!(
        confirmation.text_body().contains("/e/unsubscribe?token="),
        "{}",
        confirmation.text_body()
    );
    let header = confirmation.header("List-Unsubscribe").expect("header");
    let url = header
        .trim_start_matches('<')
        .trim_end_matches('>')
        .replace("http://dugnad.test", &app.address);
    // What a mail client does (RFC 8058): a form POST to the header's URL.
    let response = app
        .send(
            app.client
                .post(&url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body("List-Unsubscribe=One-Click"),
        )
        .await;
    assert_eq!(response.status(), 200);
    let me: Value = app
        .get_as("/api/v1/me", &volunteer.access_token)
        .await
        .json()
        .await
        .expect("json");
    let notifications = me["notifications"].as_object().expect("notifications");
    let off: BTreeSet<&str> = notifications
        .iter()
        .filter(|(_, v)| **v == json!(false))
        .map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(
        off,
        BTreeSet::from(["claim_confirmation", "new_tasks_digest", "spot_opened"]),
        "the digest and spots nearby are off by default"
    );

    // Security emails cannot be turned off: a reset still arrives.
    app.post(
        "/api/v1/auth/password-reset",
        None,
        json!({"email": volunteer.email}),
    )
    .await;
    let mails = app.mail_to(&volunteer.email).await;
    assert!(
        mails
            .iter()
            .any(|m| m.header("Subject").is_some_and(|s| s.contains("passordet")))
    );
    assert!(
        mails
            .iter()
            .filter(|m| m.header("Subject").is_some_and(|s| s.contains("passordet")))
            .all(|m| m.header("List-Unsubscribe").is_none())
    );
}

#[tokio::test]
async fn with_two_processes_on_one_database_each_reminder_is_sent_once() {
    let app = TestApp::spawn().await;
    let (_, task, start) = setup(&app).await;
    for v in app.quick_volunteers(3).await {
        app.claimed(&v, &task).await;
    }
    // A second process on the same database.
    let mut settings = app.settings.clone();
    settings.bind = "127.0.0.1:0".parse().expect("addr");
    let second = dugnad::startup::Application::build_without_migrating(settings)
        .await
        .expect("second process");
    let at = start - chrono::Duration::hours(23);
    let (a, b) = tokio::join!(
        dugnad::jobs::run_once_at(&app.pool, &app.settings, at),
        dugnad::jobs::run_once_at(second.pool(), &app.settings, at)
    );
    let sent: usize = [a, b]
        .into_iter()
        .map(|r| r.expect("jobs").map_or(0, |report| report.reminders))
        .sum();
    assert_eq!(sent, 3);
    // Both processes drain the outbox at once.
    let (x, y) = tokio::join!(app.outbox_drain_once(), second.outbox().drain_once());
    let _ = (x, y.expect("drain"));
    app.drain_outbox().await;
    let ids: BTreeSet<String> = app
        .smtp
        .received()
        .iter()
        .filter(|m| {
            m.header("Subject")
                .is_some_and(|s| s.starts_with("Påminnelse"))
        })
        .filter_map(|m| m.header("Message-ID"))
        .collect();
    let count = app
        .smtp
        .received()
        .iter()
        .filter(|m| {
            m.header("Subject")
                .is_some_and(|s| s.starts_with("Påminnelse"))
        })
        .count();
    assert_eq!((ids.len(), count), (3, 3));
}

#[tokio::test]
async fn invitations_reach_invitable_volunteers_only_and_never_claim_for_them() {
    let app = TestApp::spawn().await;
    let (staff, task, _) = setup(&app).await;
    let invitable = app.volunteer().await;
    let shy = app.volunteer().await;
    let opted_out = app.volunteer().await;
    let council = app.council_id("Tjølling").await;
    let category = app.category_id("accompaniment").await;
    app.patch(
        "/api/v1/me",
        Some(&invitable.access_token),
        json!({"invitable": true, "council_id": council}),
    )
    .await;
    app.patch(
        "/api/v1/me",
        Some(&opted_out.access_token),
        json!({"invitable": true, "category_opt_outs": [category]}),
    )
    .await;

    // The list shows only invitable volunteers, with id, name and home council.
    let list: Value = app
        .get_as(
            &format!("/api/v1/volunteers?category_id={category}"),
            &staff.access_token,
        )
        .await
        .json()
        .await
        .expect("json");
    let items = list["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], invitable.id.to_string());
    let keys: BTreeSet<&str> = items[0]
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, BTreeSet::from(["id", "name", "council_id"]));
    assert_problem(
        app.get_as("/api/v1/volunteers", &invitable.access_token)
            .await,
        403,
        "forbidden",
    )
    .await;

    // Not invitable, opted out and unknown are one and the same 404.
    let path = format!("/api/v1/tasks/{task}/invitations");
    let mut bodies = Vec::new();
    for id in [shy.id, opted_out.id, uuid::Uuid::now_v7()] {
        let response = app
            .post(
                &path,
                Some(&staff.access_token),
                json!({"volunteer_id": id}),
            )
            .await;
        let mut body = assert_problem(response, 404, "not_found").await;
        body.as_object_mut().expect("object").remove("request_id");
        bodies.push(body);
    }
    assert!(bodies.windows(2).all(|w| w[0] == w[1]));

    let response = app
        .post(
            &path,
            Some(&staff.access_token),
            json!({"volunteer_id": invitable.id}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let rows = app.query_json("SELECT count(*) AS n FROM claims").await;
    assert_eq!(rows[0]["n"], 0, "an invitation is never a claim");
    let mails = app.mail_to(&invitable.email).await;
    let invitation = mails
        .iter()
        .find(|m| {
            m.header("Subject")
                .is_some_and(|s| s.starts_with("Forespørsel"))
        })
        .expect("invitation email");
    assert!(invitation.header("List-Unsubscribe").is_some());

    let mine: Value = app
        .get_as("/api/v1/me/invitations", &invitable.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(mine["items"][0]["task"]["id"], task.as_str());
    assert!(mine["items"][0]["task"].get("private").is_none());

    // Claiming from the invitation is an ordinary claim; the invitation is then no longer open.
    app.claimed(&invitable, &task).await;
    let mine: Value = app
        .get_as("/api/v1/me/invitations", &invitable.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert!(mine["items"].as_array().expect("items").is_empty());
    app.deliver_mail().await;
}

/// An answer with what differs between two equal situations taken out: ids, times and
/// request ids.
fn normalised(value: &Value) -> Value {
    match value {
        Value::String(s) if uuid::Uuid::parse_str(s).is_ok() => json!("<id>"),
        Value::String(s) if chrono::DateTime::parse_from_rfc3339(s).is_ok() => json!("<time>"),
        Value::Array(items) => Value::Array(items.iter().map(normalised).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| k.as_str() != "request_id")
                .map(|(k, v)| (k.clone(), normalised(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Everything the unit can read about one invited volunteer and their task, including
/// the answer to inviting them again.
async fn unit_view(app: &TestApp, staff: &TestUser, task: &str, volunteer: &TestUser) -> Value {
    let mut view = serde_json::Map::new();
    for path in [
        format!("/api/v1/tasks/{task}"),
        format!("/api/v1/tasks/{task}/claims"),
        format!("/api/v1/tasks/{task}/events"),
        "/api/v1/volunteers".to_owned(),
        "/api/v1/reports/summary?group_by=category".to_owned(),
        "/api/v1/tasks".to_owned(),
    ] {
        let response = app.get_as(&path, &staff.access_token).await;
        let status = response.status().as_u16();
        let body: Value = response.json().await.expect("json");
        view.insert(
            path.replace(task, "{task}"),
            json!([status, normalised(&body)]),
        );
    }
    let again = app
        .post(
            &format!("/api/v1/tasks/{task}/invitations"),
            Some(&staff.access_token),
            json!({"volunteer_id": volunteer.id}),
        )
        .await;
    let status = again.status().as_u16();
    let body: Value = again.json().await.expect("json");
    view.insert("invite again".into(), json!([status, normalised(&body)]));
    Value::Object(view)
}

#[tokio::test]
async fn a_decline_looks_exactly_like_an_ignored_invitation_to_the_unit() {
    let app = TestApp::spawn().await;
    let (staff, _, start) = setup(&app).await;
    let mut sides = Vec::new();
    for offset in [24, 48] {
        let volunteer = app.volunteer().await;
        app.patch(
            "/api/v1/me",
            Some(&volunteer.access_token),
            json!({"invitable": true}),
        )
        .await;
        let at = start + chrono::Duration::hours(offset);
        let task = app.post_task(&staff, json!({"title": "Kaffebesøk", "starts_at": at.to_rfc3339(), "ends_at": (at + chrono::Duration::hours(1)).to_rfc3339()})).await;
        let task = task["id"].as_str().expect("id").to_owned();
        let invited = app
            .post(
                &format!("/api/v1/tasks/{task}/invitations"),
                Some(&staff.access_token),
                json!({"volunteer_id": volunteer.id}),
            )
            .await;
        assert_eq!(invited.status(), 201);
        sides.push((volunteer, task));
    }
    let (decliner, declined_task) = &sides[0];
    let (ignorer, ignored_task) = &sides[1];

    let before = unit_view(&app, &staff, declined_task, decliner).await;
    assert_eq!(before["invite again"][0], 409, "{before}");
    let mine: Value = app
        .get_as("/api/v1/me/invitations", &decliner.access_token)
        .await
        .json()
        .await
        .expect("json");
    let id = mine["items"][0]["id"].as_str().expect("id").to_owned();
    app.drain_outbox().await;
    let declined = app
        .call(
            Method::POST,
            &format!("/api/v1/me/invitations/{id}/decline"),
            Some(&decliner.access_token),
            None,
        )
        .await;
    assert_eq!(declined.status(), 204);
    assert_eq!(app.drain_outbox().await, 0, "no email about a decline");

    let after = unit_view(&app, &staff, declined_task, decliner).await;
    assert_eq!(
        after, before,
        "the decline changed nothing the unit can read"
    );
    let ignored = unit_view(&app, &staff, ignored_task, ignorer).await;
    assert_eq!(
        after, ignored,
        "a decline and an ignored invitation look the same"
    );

    // The cap counts invitations sent, not answers: both get the same two more.
    for (volunteer, _) in &sides {
        let mut answers = Vec::new();
        for hours in [60, 64, 68] {
            let at = start + chrono::Duration::hours(hours);
            let task = app.post_task(&staff, json!({"starts_at": at.to_rfc3339(), "ends_at": (at + chrono::Duration::hours(1)).to_rfc3339()})).await;
            let response = app
                .post(
                    &format!(
                        "/api/v1/tasks/{}/invitations",
                        task["id"].as_str().expect("id")
                    ),
                    Some(&staff.access_token),
                    json!({"volunteer_id": volunteer.id}),
                )
                .await;
            answers.push(response.status().as_u16());
        }
        assert_eq!(answers, [201, 201, 429], "the fourth is refused for either");
    }

    let other = app.volunteer().await;
    let not_mine = app
        .call(
            Method::POST,
            &format!("/api/v1/me/invitations/{id}/decline"),
            Some(&other.access_token),
            None,
        )
        .await;
    assert_problem(not_mine, 404, "not_found").await;
    app.deliver_mail().await;
}

#[tokio::test]
async fn an_invitation_to_an_opted_out_category_leaves_the_volunteers_list() {
    let app = TestApp::spawn().await;
    let (staff, task, _) = setup(&app).await;
    let volunteer = app.volunteer().await;
    app.patch(
        "/api/v1/me",
        Some(&volunteer.access_token),
        json!({"invitable": true}),
    )
    .await;
    let invited = app
        .post(
            &format!("/api/v1/tasks/{task}/invitations"),
            Some(&staff.access_token),
            json!({"volunteer_id": volunteer.id}),
        )
        .await;
    assert_eq!(invited.status(), 201);
    async fn listed(app: &TestApp, volunteer: &TestUser) -> usize {
        let mine: Value = app
            .get_as("/api/v1/me/invitations", &volunteer.access_token)
            .await
            .json()
            .await
            .expect("json");
        mine["items"].as_array().expect("items").len()
    }
    assert_eq!(listed(&app, &volunteer).await, 1);
    // The task is claimed by someone else first, so the opt-out keeps it (not withdrawn).
    app.claimed(&app.quick_volunteers(1).await[0], &task).await;
    let stavern = app.council_id("Stavern").await;
    let category = app.category_id("accompaniment").await;
    let admin = app.admin().await;
    let opted = app
        .call(
            Method::PUT,
            &format!("/api/v1/councils/{stavern}/opt-outs/{category}"),
            Some(&admin.access_token),
            Some(json!({"reason": "Ikke nok folk"})),
        )
        .await;
    assert_eq!(opted.status(), 201);
    assert_eq!(
        listed(&app, &volunteer).await,
        0,
        "the council's opt-out is honoured"
    );
    app.call(
        Method::DELETE,
        &format!("/api/v1/councils/{stavern}/opt-outs/{category}?reason=Igjen"),
        Some(&admin.access_token),
        None,
    )
    .await;
    assert_eq!(listed(&app, &volunteer).await, 1);
    app.patch(
        "/api/v1/me",
        Some(&volunteer.access_token),
        json!({"category_opt_outs": [category]}),
    )
    .await;
    assert_eq!(
        listed(&app, &volunteer).await,
        0,
        "the volunteer's own opt-out is honoured"
    );
    app.deliver_mail().await;
}

#[tokio::test]
async fn the_digest_lists_only_what_matches_and_nothing_is_sent_when_nothing_is_new() {
    let app = TestApp::spawn().await;
    let unit = app.service_unit("Hjemmetjenesten Kvelde").await;
    let staff = app.staff(unit).await;
    let kvelde = app.council_id("Kvelde").await;
    let stavern = app.council_id("Stavern").await;
    let walks = app.category_id("walks-outdoor").await;
    let digital = app.category_id("digital-help").await;
    let reader = app.volunteer().await;
    let bystander = app.volunteer().await;
    app.patch(
        "/api/v1/me",
        Some(&reader.access_token),
        json!({"council_id": kvelde, "category_opt_outs": [digital], "notifications": {"new_tasks_digest": true}}),
    )
    .await;
    for (title, council, category) in [
        ("Tur i Kvelde", json!(kvelde), walks),
        ("Tur for hele kommunen", json!(null), walks),
        ("Tur i Stavern", json!(stavern), walks),
        ("Datahjelp i Kvelde", json!(kvelde), digital),
    ] {
        app.post_task(
            &staff,
            json!({"title": title, "council_id": council, "category_id": category}),
        )
        .await;
    }
    let now = chrono::Utc::now() + chrono::Duration::minutes(1);
    let report = dugnad::jobs::run_once_at(&app.pool, &app.settings, now)
        .await
        .expect("jobs")
        .expect("lock");
    assert_eq!(report.digests, 1, "only the one who asked");
    let mails = app.mail_to(&reader.email).await;
    let digest = mails
        .iter()
        .find(|m| {
            m.header("Subject")
                .is_some_and(|s| s == "Nye oppdrag i dugnad")
        })
        .expect("digest");
    let text = digest.text_body();
    assert!(text.contains("Tur i Kvelde") && text.contains("Tur for hele kommunen"));
    assert!(!text.contains("Tur i Stavern") && !text.contains("Datahjelp"));
    assert!(digest.header("List-Unsubscribe").is_some());
    assert!(app.mail_to(&bystander.email).await.is_empty());

    // Not again within the day, and nothing the next day when nothing is new.
    let again =
        dugnad::jobs::run_once_at(&app.pool, &app.settings, now + chrono::Duration::hours(2))
            .await
            .expect("jobs")
            .expect("lock");
    assert_eq!(again.digests, 0);
    let next_day =
        dugnad::jobs::run_once_at(&app.pool, &app.settings, now + chrono::Duration::hours(25))
            .await
            .expect("jobs")
            .expect("lock");
    assert_eq!(next_day.digests, 0, "nothing new, nothing sent");
}

#[tokio::test]
async fn a_volunteer_who_reads_nynorsk_chooses_it_and_gets_mail_and_names_in_nynorsk() {
    let app = TestApp::spawn().await;
    let (_, task, _) = setup(&app).await;
    let volunteer = app.volunteer().await;
    let response = app
        .patch(
            "/api/v1/me",
            Some(&volunteer.access_token),
            json!({"language": "nn"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let me: Value = app
        .get_as("/api/v1/me", &volunteer.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(me["language"], "nn");
    app.claimed(&volunteer, &task).await;

    let mails = app.mail_to(&volunteer.email).await;
    let confirmation = mails
        .iter()
        .find(|m| {
            m.header("Subject")
                .is_some_and(|s| s.starts_with("Stadfesta:"))
        })
        .expect("the confirmation, in nynorsk");
    assert_eq!(
        confirmation.header("Subject").as_deref(),
        Some("Stadfesta: Kaffebesøk")
    );
    let body = confirmation.text_body();
    assert!(
        body.contains("Takk! Du har teke oppdraget «Kaffebesøk»"),
        "{body}"
    );
    assert!(body.contains("Helsing dugnad"), "{body}");

    // The reference data names itself in nynorsk too.
    let categories: Value = app
        .get_as("/api/v1/categories?limit=100", &volunteer.access_token)
        .await
        .json()
        .await
        .expect("json");
    let names: Vec<&str> = categories["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|c| c["name_nn"].as_str())
        .collect();
    assert!(names.contains(&"Følgje til lege og avtalar"), "{names:?}");
}
