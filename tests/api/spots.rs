//! A freed spot finds a volunteer: watchers and the volunteers nearby who asked hear of a
//! reopened spot by push and email — never the one who left — at most once per six hours,
//! never in the quiet hours; the first claim wins.

use chrono::{DateTime, Datelike, TimeZone, Utc};
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestUser, assert_problem, id_of};

/// The next instant at `hour` o'clock in Oslo, after now.
fn next_local(hour: u32) -> DateTime<Utc> {
    let oslo = chrono_tz::Europe::Oslo;
    let now = Utc::now().with_timezone(&oslo);
    let mut day = now.date_naive();
    loop {
        let at = oslo
            .with_ymd_and_hms(day.year(), day.month(), day.day(), hour, 0, 0)
            .earliest()
            .expect("a local time")
            .with_timezone(&Utc);
        if at > Utc::now() {
            return at;
        }
        day = day.succ_opt().expect("tomorrow");
    }
}

/// A volunteer of `council` (a name) with a phone `token`, hearing of spots nearby or not.
async fn volunteer(app: &TestApp, council: &str, token: &str, wants_spots: bool) -> TestUser {
    let user = app.volunteer().await;
    let changed = app
        .patch(
            "/api/v1/me",
            Some(&user.access_token),
            json!({
                "council_id": app.council_id(council).await,
                "notifications": {"spot_opened": wants_spots},
                "push_notifications": {"spot_opened": wants_spots},
            }),
        )
        .await;
    assert_eq!(changed.status(), 200);
    let device = app
        .post(
            "/api/v1/me/devices",
            Some(&user.access_token),
            json!({"token": token, "platform": "android"}),
        )
        .await;
    assert_eq!(device.status(), 201);
    user
}

async fn watch(app: &TestApp, user: &TestUser, task: &str) -> u16 {
    app.call(
        reqwest::Method::PUT,
        &format!("/api/v1/tasks/{task}/watch"),
        Some(&user.access_token),
        None,
    )
    .await
    .status()
    .as_u16()
}

async fn run_jobs(app: &TestApp, at: DateTime<Utc>) -> usize {
    dugnad::jobs::run_once_at(&app.pool, &app.settings, at)
        .await
        .expect("jobs")
        .expect("lock")
        .spots_broadcast
}

/// The phones told of an opened spot, by token, sorted.
fn told(app: &TestApp) -> Vec<String> {
    let mut tokens: Vec<String> = app
        .fcm
        .as_ref()
        .expect("peer")
        .received()
        .into_iter()
        .filter(|m| m.body["message"]["data"]["kind"] == "spot_opened")
        .map(|m| m.token)
        .collect();
    tokens.sort();
    tokens
}

async fn spot_mails(app: &TestApp, user: &TestUser) -> usize {
    app.mail_to(&user.email)
        .await
        .iter()
        .filter(|m| {
            m.header("Subject")
                .is_some_and(|s| s.starts_with("Ledig plass"))
        })
        .count()
}

#[tokio::test]
async fn a_released_spot_reaches_watchers_and_nearby_volunteers_but_not_the_one_who_left_and_one_watcher_wins_it()
 {
    let app = TestApp::spawn_with_push().await;
    let unit = app.service_unit("Hjemmetjenesten Stavern").await;
    let staff = app.staff(unit).await;
    let task = app
        .post_task(
            &staff,
            json!({"starts_at": (Utc::now() + chrono::Duration::days(2)).to_rfc3339(), "ends_at": null, "duration_minutes": 90}),
        )
        .await;
    let id = id_of(&task);
    // The one who leaves has asked to hear of spots in Stavern too.
    let leaver = volunteer(&app, "Stavern", "phone-leaver", true).await;
    let first = volunteer(&app, "Sentrum", "phone-watcher-1", false).await;
    let second = volunteer(&app, "Kvelde", "phone-watcher-2", false).await;
    let nearby = volunteer(&app, "Stavern", "phone-nearby", true).await;
    let elsewhere = volunteer(&app, "Sentrum", "phone-elsewhere", true).await;
    let quiet = volunteer(&app, "Stavern", "phone-quiet", false).await;
    assert_eq!(
        watch(&app, &first, &id).await,
        409,
        "a free spot is claimed, not watched"
    );
    app.claimed(&leaver, &id).await;
    assert_eq!(watch(&app, &first, &id).await, 201);
    assert_eq!(watch(&app, &first, &id).await, 200, "watching already");
    assert_eq!(watch(&app, &second, &id).await, 201);
    assert_eq!(
        watch(&app, &leaver, &id).await,
        409,
        "the holder does not watch"
    );
    assert_eq!(watch(&app, &staff, &id).await, 403);
    let mine: Value = app
        .get_as("/api/v1/me/watches", &first.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(mine["items"][0]["task_id"], id.as_str());
    assert_eq!(mine["items"][0]["task"]["status"], "filled");
    // Nobody else sees who watches: the task carries no trace of it.
    let seen = app.task_as(&staff, &id).await.to_string();
    assert!(!seen.contains(&first.id.to_string()) && !seen.contains("watch"));

    let noon = next_local(12);
    let released = app.release(&leaver, &id).await;
    assert_eq!(released.status(), 200);
    assert_eq!(run_jobs(&app, noon).await, 1);
    app.drain_pushes().await;
    assert_eq!(
        told(&app),
        ["phone-nearby", "phone-watcher-1", "phone-watcher-2"],
        "never the leaver, nobody of another council, nobody who did not ask"
    );
    for (who, expected) in [
        (&first, 1),
        (&second, 1),
        (&nearby, 1),
        (&leaver, 0),
        (&elsewhere, 0),
        (&quiet, 0),
    ] {
        assert_eq!(spot_mails(&app, who).await, expected, "{}", who.email);
    }

    // Both watchers race for the one spot: the first claim wins, nobody is given it.
    let (a, b) = tokio::join!(app.claim(&first, &id), app.claim(&second, &id));
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 409]);
    let loser = if a.status() == 201 { b } else { a };
    assert_problem(loser, 409, "task_full").await;
    let winner_watches = |u: &TestUser| {
        let app = &app;
        let token = u.access_token.clone();
        async move {
            let page: Value = app
                .get_as("/api/v1/me/watches", &token)
                .await
                .json()
                .await
                .expect("json");
            page["items"].as_array().expect("items").len()
        }
    };
    assert_eq!(
        winner_watches(&first).await + winner_watches(&second).await,
        1,
        "the winner's watch ended with the claim; the other still watches"
    );

    // The winner gives it back within six hours: no second broadcast.
    let holder = if winner_watches(&first).await == 0 {
        &first
    } else {
        &second
    };
    assert_eq!(app.release(holder, &id).await.status(), 200);
    assert_eq!(run_jobs(&app, noon + chrono::Duration::hours(2)).await, 0);
    assert_eq!(app.drain_pushes().await, 0);
    app.deliver_mail().await;
}

#[tokio::test]
async fn a_spot_freed_at_night_waits_for_the_morning_and_a_watch_can_be_given_up() {
    let app = TestApp::spawn_with_push().await;
    let unit = app.service_unit("Hjemmetjenesten Stavern").await;
    let staff = app.staff(unit).await;
    let task = app
        .post_task(
            &staff,
            json!({"starts_at": (Utc::now() + chrono::Duration::days(3)).to_rfc3339(), "ends_at": null, "duration_minutes": 60}),
        )
        .await;
    let id = id_of(&task);
    let holder = volunteer(&app, "Stavern", "phone-holder", false).await;
    let watcher = volunteer(&app, "Stavern", "phone-watcher", false).await;
    let gave_up = volunteer(&app, "Stavern", "phone-gave-up", false).await;
    app.claimed(&holder, &id).await;
    assert_eq!(watch(&app, &watcher, &id).await, 201);
    assert_eq!(watch(&app, &gave_up, &id).await, 201);
    let path = format!("/api/v1/tasks/{id}/watch");
    let unwatch = || {
        app.call(
            reqwest::Method::DELETE,
            &path,
            Some(&gave_up.access_token),
            None,
        )
    };
    assert_eq!(unwatch().await.status(), 204);
    assert_problem(unwatch().await, 404, "not_found").await;

    assert_eq!(app.release(&holder, &id).await.status(), 200);
    let night = next_local(23);
    assert_eq!(run_jobs(&app, night).await, 0, "quiet hours");
    assert_eq!(app.drain_pushes().await, 0);
    let morning = night + chrono::Duration::hours(8) + chrono::Duration::minutes(30);
    assert_eq!(
        run_jobs(&app, morning).await,
        1,
        "held until the quiet hours end"
    );
    app.drain_pushes().await;
    assert_eq!(told(&app), ["phone-watcher"]);
    // Spots raised on a full task open one too, for its watchers.
    app.claimed(&watcher, &id).await;
    let other = volunteer(&app, "Stavern", "phone-other", false).await;
    assert_eq!(watch(&app, &other, &id).await, 201);
    let raised = app
        .patch(
            &format!("/api/v1/tasks/{id}"),
            Some(&staff.access_token),
            json!({"spots": 2}),
        )
        .await;
    assert_eq!(raised.status(), 200);
    assert_eq!(
        run_jobs(&app, morning + chrono::Duration::hours(7)).await,
        1
    );
    app.drain_pushes().await;
    assert_eq!(told(&app), ["phone-other", "phone-watcher"]);
    // A watch ends at the start.
    let start = DateTime::parse_from_rfc3339(task["starts_at"].as_str().expect("start"))
        .expect("instant")
        .with_timezone(&Utc);
    assert_eq!(
        app.query_json("SELECT user_id FROM task_watches")
            .await
            .len(),
        1
    );
    run_jobs(&app, start + chrono::Duration::minutes(1)).await;
    assert!(
        app.query_json("SELECT user_id FROM task_watches")
            .await
            .is_empty()
    );
    app.deliver_mail().await;
}

#[tokio::test]
async fn a_freed_spot_reaches_a_watcher_in_seconds_not_at_the_next_minutes_job() {
    // The periodic jobs ran once at start and wait a minute; only the NOTIFY of the
    // opening can wake the broadcast within the five seconds this test waits.
    let app = TestApp::spawn_with(|s| {
        s.outbox.run_worker = true;
        s.outbox.idle_poll = std::time::Duration::from_secs(60);
        s.quiet_hours = None;
    })
    .await;
    app.wait_for_listener("dugnad_spot_opened").await;
    let unit = app.service_unit("Hjemmetjenesten Stavern").await;
    let staff = app.staff(unit).await;
    let task = app
        .post_task(
            &staff,
            json!({"starts_at": (Utc::now() + chrono::Duration::days(2)).to_rfc3339()}),
        )
        .await;
    let id = id_of(&task);
    let leaver = app.volunteer().await;
    let watcher = app.volunteer().await;
    app.claimed(&leaver, &id).await;
    assert_eq!(watch(&app, &watcher, &id).await, 201);
    let released = std::time::Instant::now();
    assert_eq!(app.release(&leaver, &id).await.status(), 200);
    let spot_mail = || {
        app.smtp.received().into_iter().any(|m| {
            m.to.iter().any(|t| t.eq_ignore_ascii_case(&watcher.email))
                && m.header("Subject")
                    .is_some_and(|s| s.starts_with("Ledig plass"))
        })
    };
    while !spot_mail() && released.elapsed() < std::time::Duration::from_secs(5) {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(
        spot_mail(),
        "the watcher is told within seconds of the release"
    );
    println!("release to the watcher's inbox: {:?}", released.elapsed());
    // The unit's own email of the release goes out too; the test ends when the worker
    // has marked both sent.
    app.wait_for_the_worker_to_settle().await;
}
