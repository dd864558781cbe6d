//! Claiming and releasing: the checks in their order, races, retries with an
//! Idempotency-Key, and what a claim costs the database.

use dugnad::domain::account::Role;
use futures_util::future::join_all;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestUser, a_task, assert_problem, id_of, world};

#[tokio::test]
async fn fifty_volunteers_racing_for_one_spot_give_exactly_one_claim() {
    let w = world().await;
    let task = id_of(&w.app.post_task_as(&w.staff, a_task().spots(1)).await);
    let volunteers = w.app.quick_volunteers(50).await;
    let results = join_all(volunteers.iter().map(|v| w.app.claim(v, &task))).await;
    let mut created = 0;
    let mut full = 0;
    for response in results {
        match response.status().as_u16() {
            201 => created += 1,
            409 => {
                let body: Value = response.json().await.expect("json");
                assert_eq!(body["code"], "task_full");
                full += 1;
            }
            other => panic!("unexpected status {other}"),
        }
    }
    assert_eq!((created, full), (1, 49));
    let rows = w
        .app
        .query_json(&format!(
            "SELECT status, active_claims FROM tasks WHERE id = '{task}'"
        ))
        .await;
    assert_eq!(rows[0]["status"], "filled");
    assert_eq!(rows[0]["active_claims"], 1);
    w.app.deliver_mail().await;
}

#[tokio::test]
async fn thirty_volunteers_racing_for_five_spots_give_exactly_five_claims() {
    let w = world().await;
    let task = id_of(&w.app.post_task_as(&w.staff, a_task().spots(5)).await);
    let volunteers = w.app.quick_volunteers(30).await;
    let results = join_all(volunteers.iter().map(|v| w.app.claim(v, &task))).await;
    let created = results.iter().filter(|r| r.status() == 201).count();
    assert_eq!(created, 5);
    let rows = w
        .app
        .query_json(&format!(
            "SELECT count(*) AS n FROM claims WHERE task_id = '{task}' AND status = 'active'"
        ))
        .await;
    assert_eq!(rows[0]["n"], 5);
    w.app.deliver_mail().await;
}

#[tokio::test]
async fn the_database_itself_refuses_an_over_fill() {
    let w = world().await;
    let task = id_of(&w.app.post_task_as(&w.staff, a_task().spots(1)).await);
    let volunteers = w.app.quick_volunteers(2).await;
    w.app
        .sql(&format!(
            "INSERT INTO claims (id, task_id, volunteer_id) VALUES ('{}', '{task}', '{}')",
            uuid::Uuid::now_v7(),
            volunteers[0].id
        ))
        .await;
    // Bypassing every check of the application: the second active claim is refused.
    let client = dugnad::db::raw_connect(&w.app.db.url)
        .await
        .expect("connect");
    let error = client
        .batch_execute(&format!(
            "INSERT INTO claims (id, task_id, volunteer_id) VALUES ('{}', '{task}', '{}')",
            uuid::Uuid::now_v7(),
            volunteers[1].id
        ))
        .await
        .expect_err("over-fill refused");
    assert!(
        error.to_string().contains("tasks_never_overfilled")
            || format!("{error:?}").contains("tasks_never_overfilled")
    );
    let direct = client
        .batch_execute(&format!(
            "UPDATE tasks SET active_claims = 2 WHERE id = '{task}'"
        ))
        .await;
    assert!(direct.is_err());
}

#[tokio::test]
async fn the_claim_checks_answer_in_product_order() {
    let w = world().await;
    let app = &w.app;
    // 404: no such task.
    let volunteer = app.volunteer().await;
    assert_problem(
        app.claim(&volunteer, &uuid::Uuid::now_v7().to_string())
            .await,
        404,
        "not_found",
    )
    .await;
    let task = id_of(&app.post_task_as(&w.staff, a_task().spots(1)).await);
    // 403 forbidden: staff and admins never claim.
    assert_problem(app.claim(&w.staff, &task).await, 403, "forbidden").await;
    // 403 email_not_verified.
    let unverified = app.unverified_volunteer().await;
    assert_problem(
        app.claim(&unverified, &task).await,
        403,
        "email_not_verified",
    )
    .await;
    // 201, then 409 already_claimed (before task_full, though the task is now full).
    assert_eq!(app.claim(&volunteer, &task).await.status(), 201);
    assert_problem(app.claim(&volunteer, &task).await, 409, "already_claimed").await;
    // 409 task_full for somebody else.
    let other = app.volunteer().await;
    assert_problem(app.claim(&other, &task).await, 409, "task_full").await;
    // 409 task_not_open once it has started (before task_full).
    app.started_ago(&task, chrono::Duration::minutes(10)).await;
    assert_problem(app.claim(&other, &task).await, 409, "task_not_open").await;
    // A coordinator may claim like a volunteer.
    let coordinator = app
        .create_user(
            Role::Coordinator,
            None,
            Some(app.council_id("Kvelde").await),
        )
        .await;
    let open = id_of(&app.post_task_as(&w.staff, a_task().spots(2)).await);
    assert_eq!(app.claim(&coordinator, &open).await.status(), 201);
    w.app.deliver_mail().await;
}

#[tokio::test]
async fn an_overlapping_claim_is_a_schedule_conflict_naming_the_other_task() {
    let w = world().await;
    let start = chrono::Utc::now() + chrono::Duration::days(2);
    let first = id_of(&w.app.post_task(&w.staff, json!({"starts_at": start.to_rfc3339(), "ends_at": (start + chrono::Duration::hours(2)).to_rfc3339()})).await);
    let second = id_of(&w.app.post_task(&w.staff, json!({"starts_at": (start + chrono::Duration::hours(1)).to_rfc3339(), "ends_at": (start + chrono::Duration::hours(3)).to_rfc3339()})).await);
    let later = id_of(&w.app.post_task(&w.staff, json!({"starts_at": (start + chrono::Duration::hours(2)).to_rfc3339(), "ends_at": (start + chrono::Duration::hours(3)).to_rfc3339()})).await);
    let volunteer = w.app.volunteer().await;
    assert_eq!(w.app.claim(&volunteer, &first).await.status(), 201);
    let body = assert_problem(
        w.app.claim(&volunteer, &second).await,
        409,
        "schedule_conflict",
    )
    .await;
    assert_eq!(body["conflicting_task_id"], first.as_str());
    assert_eq!(
        w.app.claim(&volunteer, &later).await.status(),
        201,
        "back to back is fine"
    );
    w.app.deliver_mail().await;
}

#[tokio::test]
async fn release_reopens_the_spot_for_another_volunteer_and_only_the_claimant_may_release() {
    let w = world().await;
    let task = id_of(&w.app.post_task_as(&w.staff, a_task().spots(1)).await);
    let first = w.app.volunteer().await;
    let second = w.app.volunteer().await;
    assert_eq!(w.app.claim(&first, &task).await.status(), 201);
    assert_problem(w.app.release(&second, &task).await, 403, "not_claimant").await;
    assert_problem(w.app.release(&w.staff, &task).await, 403, "not_claimant").await;

    let response = w
        .app
        .post(
            &format!("/api/v1/tasks/{task}/release"),
            Some(&first.access_token),
            json!({"reason": "Syk"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let released: Value = response.json().await.expect("json");
    assert_eq!(released["status"], "released");
    assert!(released["released_at"].is_string());
    assert_problem(w.app.release(&first, &task).await, 403, "not_claimant").await;

    assert_eq!(w.app.task_as(&second, &task).await["spots_left"], 1);
    assert_eq!(w.app.claim(&second, &task).await.status(), 201);
    // The releaser may come back too.
    let third = w.app.volunteer().await;
    assert_problem(w.app.claim(&third, &task).await, 409, "task_full").await;
    w.app.deliver_mail().await;
}

#[tokio::test]
async fn nobody_can_claim_for_somebody_else() {
    let w = world().await;
    let victim = w.app.volunteer().await;
    let admin = w.app.admin().await;
    let coordinator = w
        .app
        .create_user(
            Role::Coordinator,
            None,
            Some(w.app.council_id("Svarstad").await),
        )
        .await;
    let volunteer = w.app.volunteer().await;
    let task = id_of(&w.app.post_task_as(&w.staff, a_task().spots(5)).await);
    let fields = [
        "volunteer_id",
        "user_id",
        "claimant_id",
        "on_behalf_of",
        "for_user",
        "email",
        "id",
        "sub",
    ];
    for actor in [&admin, &w.staff, &coordinator, &volunteer] {
        for field in fields {
            let value = if field == "email" {
                json!(victim.email)
            } else {
                json!(victim.id)
            };
            let response = w
                .app
                .post(
                    &format!("/api/v1/tasks/{task}/claim"),
                    Some(&actor.access_token),
                    json!({ field: value }),
                )
                .await;
            assert!(response.status().is_client_error(), "{field}");
            let body: Value = response.json().await.expect("json");
            assert!(
                body["code"] == "validation_failed" || body["code"] == "forbidden",
                "{field}: {body}"
            );
        }
    }
    let rows = w
        .app
        .query_json(&format!(
            "SELECT count(*) AS n FROM claims WHERE volunteer_id = '{}'",
            victim.id
        ))
        .await;
    assert_eq!(rows[0]["n"], 0);
    let rows = w.app.query_json("SELECT count(*) AS n FROM claims").await;
    assert_eq!(rows[0]["n"], 0);
}

#[tokio::test]
async fn the_same_idempotency_key_gives_one_claim_and_the_same_answer() {
    let w = world().await;
    let task = id_of(&w.app.post_task_as(&w.staff, a_task().spots(3)).await);
    let volunteer = w.app.volunteer().await;
    let other = w.app.volunteer().await;
    let send = |user: &TestUser, key: &str, body: Value| {
        w.app.send(
            w.app
                .client
                .post(w.app.url(&format!("/api/v1/tasks/{task}/claim")))
                .bearer_auth(&user.access_token)
                .header("idempotency-key", key)
                .json(&body),
        )
    };
    let first = send(&volunteer, "abc-123", json!({})).await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.expect("json");
    let second = send(&volunteer, "abc-123", json!({})).await;
    assert_eq!(second.status(), 201);
    assert_eq!(second.headers()["idempotent-replayed"], "true");
    let second: Value = second.json().await.expect("json");
    assert_eq!(first, second);
    let rows = w
        .app
        .query_json(&format!(
            "SELECT count(*) AS n FROM claims WHERE task_id = '{task}'"
        ))
        .await;
    assert_eq!(rows[0]["n"], 1);

    // Another user with the same key is independent.
    let theirs = send(&other, "abc-123", json!({})).await;
    assert_eq!(theirs.status(), 201);
    let theirs: Value = theirs.json().await.expect("json");
    assert_ne!(theirs["id"], first["id"]);

    // The same key with another body is refused.
    let release_with = |reason: &str| {
        w.app.send(
            w.app
                .client
                .post(w.app.url(&format!("/api/v1/tasks/{task}/release")))
                .bearer_auth(&volunteer.access_token)
                .header("idempotency-key", "rel-1")
                .json(&json!({"reason": reason})),
        )
    };
    assert_eq!(release_with("Syk").await.status(), 200);
    assert_eq!(release_with("Syk").await.status(), 200, "replayed");
    let changed = release_with("Bortreist").await;
    let problem = assert_problem(changed, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "Idempotency-Key");
    w.app.deliver_mail().await;
}

#[tokio::test]
async fn a_client_error_is_replayed_under_its_key_and_private_data_is_never_stored() {
    let w = world().await;
    let task = w.app.post_task_as(&w.staff, a_task().spots(1)).await;
    let id = id_of(&task);
    let volunteers = w.app.quick_volunteers(2).await;
    w.app.claim(&volunteers[0], &id).await;
    let send = || {
        w.app.send(
            w.app
                .client
                .post(w.app.url(&format!("/api/v1/tasks/{id}/claim")))
                .bearer_auth(&volunteers[1].access_token)
                .header("idempotency-key", "k1"),
        )
    };
    assert_eq!(send().await.status(), 409);
    w.app.release(&volunteers[0], &id).await;
    let again = send().await;
    assert_eq!(
        again.status(),
        409,
        "the first answer is replayed, even though a spot is free now"
    );

    let created = w.app.send(w.app.client
        .post(w.app.url("/api/v1/tasks"))
        .bearer_auth(&w.staff.access_token)
        .header("idempotency-key", "post-1")
        .json(&json!({"title": "Tur", "description": "En tur", "category_id": w.app.category_id("walks-outdoor").await,
                      "starts_at": (chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339(),
                      "private": {"recipient_name": "Hemmelig Navn"}}))
        ).await;
    assert_eq!(created.status(), 201);
    let stored = w
        .app
        .query_json("SELECT response_body::text AS b FROM idempotency_keys")
        .await;
    assert!(
        stored
            .iter()
            .all(|r| !r["b"].as_str().expect("text").contains("Hemmelig"))
    );
    w.app.deliver_mail().await;
}

#[tokio::test]
async fn a_claim_takes_at_most_nine_statements_each_kept_prepared() {
    let w = world().await;
    let task = w.app.post_task_as(&w.staff, a_task().spots(1)).await;
    let volunteer = w.app.volunteer().await;
    let response = w
        .app
        .traced(
            Method::POST,
            &format!("/api/v1/tasks/{}/claim", id_of(&task)),
            &volunteer,
            "count-the-claim",
            None,
        )
        .await;
    assert_eq!(response.status(), 201);
    let statements = w.app.statements("count-the-claim");
    assert!(
        statements.len() <= 9,
        "{} statements:\n{}",
        statements.len(),
        statements.join("\n")
    );
    // Each is kept prepared by its connection: a statement diesel cannot keep (SQL written
    // as a string, a multi-row insert whose row count is not in its type) costs PostgreSQL
    // a parse and a plan, and the request a round trip, on every claim.
    let afresh = w.app.statements_prepared_afresh("count-the-claim");
    assert!(afresh.is_empty(), "prepared afresh:\n{}", afresh.join("\n"));
    // The claim filled the task: its event and the unit's two emails are in there too.
    let events = w
        .app
        .query_json(
            "SELECT kind FROM task_events WHERE kind IN ('claimed', 'filled') ORDER BY kind",
        )
        .await;
    assert_eq!(events.len(), 2);
    let outbox = w
        .app
        .query_json("SELECT kind FROM outbox WHERE kind IN ('claim_confirmation', 'task_claimed', 'task_filled')")
        .await;
    assert_eq!(outbox.len(), 3);
    // A mobile app's claim carries an Idempotency-Key: its record's statements too.
    let other = w
        .app
        .post_task_as(
            &w.staff,
            a_task().spots(2).starts_in(chrono::Duration::days(5)),
        )
        .await;
    let keyed = w
        .app
        .traced(
            Method::POST,
            &format!("/api/v1/tasks/{}/claim", id_of(&other)),
            &volunteer,
            "count-the-keyed-claim",
            Some("a-keyed-claim-0001"),
        )
        .await;
    assert_eq!(keyed.status(), 201);
    assert!(w.app.statements("count-the-keyed-claim").len() > 9);
    let afresh = w.app.statements_prepared_afresh("count-the-keyed-claim");
    assert!(afresh.is_empty(), "prepared afresh:\n{}", afresh.join("\n"));
    w.app.deliver_mail().await;
}

#[tokio::test]
async fn a_page_of_tasks_runs_only_statements_kept_prepared() {
    let w = world().await;
    let stavern = w.app.council_id("Stavern").await;
    let mut ids = Vec::new();
    for hours in 30..35 {
        let task = w
            .app
            .post_task_as(
                &w.staff,
                a_task()
                    .starts_in(chrono::Duration::hours(hours))
                    .with(json!({"council_id": stavern})),
            )
            .await;
        ids.push(id_of(&task));
    }
    let volunteer = w.app.volunteer().await;
    assert_eq!(w.app.claim(&volunteer, &ids[4]).await.status(), 201);
    let first: Value = w
        .app
        .get_as(
            &format!("/api/v1/tasks?status=open&council_id={stavern}&limit=2"),
            &volunteer.access_token,
        )
        .await
        .json()
        .await
        .expect("json");
    let cursor = first["next_cursor"].as_str().expect("a second page");
    let response = w
        .app
        .traced(
            Method::GET,
            &format!("/api/v1/tasks?status=open&council_id={stavern}&limit=2&cursor={cursor}"),
            &volunteer,
            "count-the-page",
            None,
        )
        .await;
    assert_eq!(response.status(), 200);
    let page: Value = response.json().await.expect("json");
    assert_eq!(page["items"].as_array().map(Vec::len), Some(2));
    assert!(!w.app.statements("count-the-page").is_empty());
    let afresh = w.app.statements_prepared_afresh("count-the-page");
    assert!(afresh.is_empty(), "prepared afresh:\n{}", afresh.join("\n"));
    w.app.deliver_mail().await;
}

#[tokio::test]
async fn deactivating_a_volunteer_releases_their_claims() {
    let w = world().await;
    let admin = w.app.admin().await;
    let task = id_of(&w.app.post_task_as(&w.staff, a_task().spots(1)).await);
    let volunteer = w.app.volunteer().await;
    w.app.claim(&volunteer, &task).await;
    w.app
        .patch(
            &format!("/api/v1/users/{}", volunteer.id),
            Some(&admin.access_token),
            json!({"active": false}),
        )
        .await;
    let view = w.app.task_as(&w.staff, &task).await;
    assert_eq!(view["status"], "open");
    assert_eq!(view["spots_left"], 1);
    // The unit hears that a spot is free because an account was closed: the volunteer
    // did not withdraw, and the email names no one.
    w.app.deliver_mail().await;
    let to_unit = w.app.mail_to(&format!("unit-{}@larvik.test", w.unit)).await;
    let freed: Vec<_> = to_unit
        .iter()
        .filter(|m| {
            m.header("Subject")
                .is_some_and(|s| s.starts_with("Ledig plass etter en avsluttet konto"))
        })
        .collect();
    assert_eq!(
        freed.len(),
        1,
        "{:?}",
        to_unit
            .iter()
            .map(|m| m.header("Subject"))
            .collect::<Vec<_>>()
    );
    assert!(freed[0].text_body().contains("fordi en konto er avsluttet"));
    assert!(!freed[0].text_body().contains(&volunteer.email));
    assert!(
        !to_unit
            .iter()
            .any(|m| m.header("Subject").is_some_and(|s| s.contains("trakk seg"))),
        "the volunteer did not withdraw"
    );
}
