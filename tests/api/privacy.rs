//! Privacy duties: the private block is purged after the retention window, not before.

use serde_json::{Value, json};

use crate::helpers::TestApp;

#[tokio::test]
async fn the_purge_removes_private_fields_after_the_window_and_not_before() {
    let app = TestApp::spawn().await;
    let unit = app.service_unit("Hjemmetjenesten Hvarnes").await;
    let staff = app.staff(unit).await;
    let ended = app.post_task(&staff, json!({})).await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let cancelled = app.post_task(&staff, json!({})).await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let recent = app.post_task(&staff, json!({})).await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    app.post(
        &format!("/api/v1/tasks/{cancelled}/cancel"),
        Some(&staff.access_token),
        json!({"reason": "Avlyst"}),
    )
    .await;
    let now = chrono::Utc::now();
    // Ended 31 and 29 days before `now`; the window is 30 days.
    app.sql(&format!(
        "UPDATE tasks SET starts_at = now() - interval '31 days 2 hours', ends_at = now() - interval '31 days', status = 'completed' WHERE id = '{ended}'"
    ))
    .await;
    app.sql(&format!(
        "UPDATE tasks SET starts_at = now() - interval '29 days 2 hours', ends_at = now() - interval '29 days', status = 'completed' WHERE id = '{recent}'"
    ))
    .await;

    let report = dugnad::jobs::run_once_at(&app.pool, &app.settings, now)
        .await
        .expect("jobs")
        .expect("lock");
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
    let later =
        dugnad::jobs::run_once_at(&app.pool, &app.settings, now + chrono::Duration::days(31))
            .await
            .expect("jobs")
            .expect("lock");
    assert_eq!(later.private_purged, 2);
    assert_eq!(
        view(cancelled.clone()).await["private"]["address"],
        Value::Null
    );

    // The purge is recorded, without the values, and nothing of them is left anywhere.
    let events = app
        .query_json(&format!(
            "SELECT kind, fields FROM task_events WHERE task_id = '{ended}' ORDER BY id"
        ))
        .await;
    assert_eq!(events.last().expect("event")["kind"], "private_purged");
    let leftovers = app
        .query_json(&format!(
            "SELECT count(*) AS n FROM task_private WHERE task_id IN ('{ended}', '{cancelled}') \
             AND (address IS NOT NULL OR recipient_name IS NOT NULL OR recipient_phone IS NOT NULL OR notes IS NOT NULL)"
        ))
        .await;
    assert_eq!(leftovers[0]["n"], 0);
    let again =
        dugnad::jobs::run_once_at(&app.pool, &app.settings, now + chrono::Duration::days(31))
            .await
            .expect("jobs")
            .expect("lock");
    assert_eq!(again.private_purged, 0, "idempotent");
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
}
