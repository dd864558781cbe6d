//! The task marketplace over real HTTP, PostgreSQL and SMTP.

use dugnad::domain::account::Role;
use futures_util::future::join_all;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestUser, assert_problem};

struct World {
    app: TestApp,
    unit: uuid::Uuid,
    staff: TestUser,
}

async fn world() -> World {
    let app = TestApp::spawn().await;
    let unit = app.service_unit("Hjemmetjenesten Stavern").await;
    let staff = app.staff(unit).await;
    World { app, unit, staff }
}

fn id_of(task: &Value) -> String {
    task["id"].as_str().expect("id").to_owned()
}

async fn claim(app: &TestApp, user: &TestUser, task: &str) -> crate::helpers::TestResponse {
    app.call(
        Method::POST,
        &format!("/api/v1/tasks/{task}/claim"),
        Some(&user.access_token),
        None,
    )
    .await
}

async fn release(app: &TestApp, user: &TestUser, task: &str) -> crate::helpers::TestResponse {
    app.call(
        Method::POST,
        &format!("/api/v1/tasks/{task}/release"),
        Some(&user.access_token),
        None,
    )
    .await
}

async fn task_as(app: &TestApp, user: &TestUser, task: &str) -> Value {
    let response = app
        .get_as(&format!("/api/v1/tasks/{task}"), &user.access_token)
        .await;
    assert_eq!(response.status(), 200);
    response.json().await.expect("json")
}

#[tokio::test]
async fn staff_post_a_task_and_see_its_private_block_with_an_etag() {
    let w = world().await;
    let task = w.app.post_task(&w.staff, json!({"spots": 2})).await;
    assert_eq!(task["status"], "open");
    assert_eq!(task["spots_left"], 2);
    assert_eq!(task["service_unit_id"], w.unit.to_string());
    assert_eq!(task["private"]["recipient_name"], "Ruth Hansen");
    assert_eq!(task["my_claim"], Value::Null);
    assert!(task["starts_at"].as_str().expect("time").ends_with('Z'));
    let response = w
        .app
        .get_as(
            &format!("/api/v1/tasks/{}", id_of(&task)),
            &w.staff.access_token,
        )
        .await;
    assert_eq!(response.headers()["etag"], "\"1\"");
}

#[tokio::test]
async fn invalid_task_fields_are_422_per_field() {
    let w = world().await;
    let inactive = w.app.category_id("flag-raising").await;
    w.app
        .sql(&format!(
            "UPDATE categories SET active = false WHERE id = '{inactive}'"
        ))
        .await;
    let past = (chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc3339();
    let response = w
        .app
        .post(
            "/api/v1/tasks",
            Some(&w.staff.access_token),
            json!({"title": "X", "description": "Y", "category_id": inactive, "council_id": uuid::Uuid::now_v7(),
                   "starts_at": past, "ends_at": (chrono::Utc::now() - chrono::Duration::hours(2)).to_rfc3339(), "spots": 51}),
        )
        .await;
    let body = assert_problem(response, 422, "validation_failed").await;
    let mut fields: Vec<&str> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].as_str().expect("f"))
        .collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        vec!["category_id", "council_id", "ends_at", "spots", "starts_at"]
    );
    let rows = w.app.query_json("SELECT count(*) AS n FROM tasks").await;
    assert_eq!(rows[0]["n"], 0, "nothing half-written");
}

#[tokio::test]
async fn volunteers_cannot_post_and_staff_only_for_their_own_unit() {
    let w = world().await;
    let volunteer = w.app.volunteer().await;
    let body = json!({"title": "X", "description": "Y", "category_id": w.app.category_id("walks-outdoor").await,
                      "starts_at": (chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339()});
    assert_problem(
        w.app
            .post("/api/v1/tasks", Some(&volunteer.access_token), body.clone())
            .await,
        403,
        "forbidden",
    )
    .await;
    let other_unit = w.app.service_unit("Bo- og behandlingssenter").await;
    let mut foreign = body.clone();
    foreign["service_unit_id"] = json!(other_unit);
    assert_problem(
        w.app
            .post("/api/v1/tasks", Some(&w.staff.access_token), foreign)
            .await,
        403,
        "forbidden",
    )
    .await;
    let admin = w.app.admin().await;
    let missing = w
        .app
        .post("/api/v1/tasks", Some(&admin.access_token), body)
        .await;
    let problem = assert_problem(missing, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "service_unit_id");
}

#[tokio::test]
async fn fifty_volunteers_racing_for_one_spot_give_exactly_one_claim() {
    let w = world().await;
    let task = id_of(&w.app.post_task(&w.staff, json!({"spots": 1})).await);
    let volunteers = w.app.quick_volunteers(50).await;
    let results = join_all(volunteers.iter().map(|v| claim(&w.app, v, &task))).await;
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
}

#[tokio::test]
async fn thirty_volunteers_racing_for_five_spots_give_exactly_five_claims() {
    let w = world().await;
    let task = id_of(&w.app.post_task(&w.staff, json!({"spots": 5})).await);
    let volunteers = w.app.quick_volunteers(30).await;
    let results = join_all(volunteers.iter().map(|v| claim(&w.app, v, &task))).await;
    let created = results.iter().filter(|r| r.status() == 201).count();
    assert_eq!(created, 5);
    let rows = w
        .app
        .query_json(&format!(
            "SELECT count(*) AS n FROM claims WHERE task_id = '{task}' AND status = 'active'"
        ))
        .await;
    assert_eq!(rows[0]["n"], 5);
}

#[tokio::test]
async fn the_database_itself_refuses_an_over_fill() {
    let w = world().await;
    let task = id_of(&w.app.post_task(&w.staff, json!({"spots": 1})).await);
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
        claim(app, &volunteer, &uuid::Uuid::now_v7().to_string()).await,
        404,
        "not_found",
    )
    .await;
    let task = id_of(&app.post_task(&w.staff, json!({"spots": 1})).await);
    // 403 forbidden: staff and admins never claim.
    assert_problem(claim(app, &w.staff, &task).await, 403, "forbidden").await;
    // 403 email_not_verified.
    let unverified = app.volunteer().await;
    app.sql(&format!(
        "UPDATE users SET email_verified = false WHERE id = '{}'",
        unverified.id
    ))
    .await;
    assert_problem(
        claim(app, &unverified, &task).await,
        403,
        "email_not_verified",
    )
    .await;
    // 201, then 409 already_claimed (before task_full, though the task is now full).
    assert_eq!(claim(app, &volunteer, &task).await.status(), 201);
    assert_problem(claim(app, &volunteer, &task).await, 409, "already_claimed").await;
    // 409 task_full for somebody else.
    let other = app.volunteer().await;
    assert_problem(claim(app, &other, &task).await, 409, "task_full").await;
    // 409 task_not_open once it has started (before task_full).
    app.sql(&format!("UPDATE tasks SET starts_at = now() - interval '10 minutes', ends_at = now() + interval '1 hour' WHERE id = '{task}'")).await;
    assert_problem(claim(app, &other, &task).await, 409, "task_not_open").await;
    // A coordinator may claim like a volunteer.
    let coordinator = app
        .create_user(
            Role::Coordinator,
            None,
            Some(app.council_id("Kvelde").await),
        )
        .await;
    let open = id_of(&app.post_task(&w.staff, json!({"spots": 2})).await);
    assert_eq!(claim(app, &coordinator, &open).await.status(), 201);
}

#[tokio::test]
async fn an_overlapping_claim_is_a_schedule_conflict_naming_the_other_task() {
    let w = world().await;
    let start = chrono::Utc::now() + chrono::Duration::days(2);
    let first = id_of(&w.app.post_task(&w.staff, json!({"starts_at": start.to_rfc3339(), "ends_at": (start + chrono::Duration::hours(2)).to_rfc3339()})).await);
    let second = id_of(&w.app.post_task(&w.staff, json!({"starts_at": (start + chrono::Duration::hours(1)).to_rfc3339(), "ends_at": (start + chrono::Duration::hours(3)).to_rfc3339()})).await);
    let later = id_of(&w.app.post_task(&w.staff, json!({"starts_at": (start + chrono::Duration::hours(2)).to_rfc3339(), "ends_at": (start + chrono::Duration::hours(3)).to_rfc3339()})).await);
    let volunteer = w.app.volunteer().await;
    assert_eq!(claim(&w.app, &volunteer, &first).await.status(), 201);
    let body = assert_problem(
        claim(&w.app, &volunteer, &second).await,
        409,
        "schedule_conflict",
    )
    .await;
    assert_eq!(body["conflicting_task_id"], first.as_str());
    assert_eq!(
        claim(&w.app, &volunteer, &later).await.status(),
        201,
        "back to back is fine"
    );
}

#[tokio::test]
async fn release_reopens_the_spot_for_another_volunteer_and_only_the_claimant_may_release() {
    let w = world().await;
    let task = id_of(&w.app.post_task(&w.staff, json!({"spots": 1})).await);
    let first = w.app.volunteer().await;
    let second = w.app.volunteer().await;
    assert_eq!(claim(&w.app, &first, &task).await.status(), 201);
    assert_problem(release(&w.app, &second, &task).await, 403, "not_claimant").await;
    assert_problem(release(&w.app, &w.staff, &task).await, 403, "not_claimant").await;

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
    assert_problem(release(&w.app, &first, &task).await, 403, "not_claimant").await;

    assert_eq!(task_as(&w.app, &second, &task).await["spots_left"], 1);
    assert_eq!(claim(&w.app, &second, &task).await.status(), 201);
    // The releaser may come back too.
    let third = w.app.volunteer().await;
    assert_problem(claim(&w.app, &third, &task).await, 409, "task_full").await;
}

#[tokio::test]
async fn the_private_block_is_shown_only_to_the_unit_admins_and_active_claimants() {
    let w = world().await;
    let task = id_of(&w.app.post_task(&w.staff, json!({"spots": 2})).await);
    let volunteer = w.app.volunteer().await;
    let bystander = w.app.volunteer().await;
    let other_staff = w.app.staff(w.app.service_unit("Annen enhet").await).await;
    let admin = w.app.admin().await;

    let before = task_as(&w.app, &volunteer, &task).await;
    assert!(before.get("private").is_none(), "absent, not null");
    assert!(before.get("unit").is_none());
    assert!(
        task_as(&w.app, &other_staff, &task)
            .await
            .get("private")
            .is_none()
    );
    assert_eq!(
        task_as(&w.app, &admin, &task).await["private"]["address"],
        "Storgata 1"
    );

    assert_eq!(claim(&w.app, &volunteer, &task).await.status(), 201);
    let during = task_as(&w.app, &volunteer, &task).await;
    assert_eq!(during["private"]["recipient_name"], "Ruth Hansen");
    assert_eq!(during["unit"]["name"], "Hjemmetjenesten Stavern");
    assert_eq!(during["my_claim"]["status"], "active");
    assert!(
        task_as(&w.app, &bystander, &task)
            .await
            .get("private")
            .is_none()
    );
    let list: Value = w
        .app
        .get_as("/api/v1/tasks", &volunteer.access_token)
        .await
        .json()
        .await
        .expect("json");
    let listed = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|t| t["id"] == task.as_str())
        .expect("listed");
    assert_eq!(listed["private"]["notes"], "Bruker rullator");
    let list: Value = w
        .app
        .get_as("/api/v1/tasks", &bystander.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert!(
        list["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|t| t.get("private").is_none())
    );

    assert_eq!(release(&w.app, &volunteer, &task).await.status(), 200);
    let after = task_as(&w.app, &volunteer, &task).await;
    assert!(after.get("private").is_none(), "gone again after release");
    assert_eq!(after["my_claim"]["status"], "released");
}

#[tokio::test]
async fn the_unit_sees_its_claimants_contact_details_and_the_events() {
    let w = world().await;
    let task = id_of(&w.app.post_task(&w.staff, json!({"spots": 2})).await);
    let volunteer = w.app.volunteer().await;
    claim(&w.app, &volunteer, &task).await;
    let claims: Value = w
        .app
        .get_as(
            &format!("/api/v1/tasks/{task}/claims"),
            &w.staff.access_token,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(claims["items"][0]["email"], volunteer.email.as_str());
    assert_eq!(claims["items"][0]["phone"], "+47 400 00 000");
    let other_staff = w.app.staff(w.app.service_unit("Annen enhet").await).await;
    for path in [
        format!("/api/v1/tasks/{task}/claims"),
        format!("/api/v1/tasks/{task}/events"),
    ] {
        assert_problem(
            w.app.get_as(&path, &other_staff.access_token).await,
            403,
            "forbidden",
        )
        .await;
        assert_problem(
            w.app.get_as(&path, &volunteer.access_token).await,
            403,
            "forbidden",
        )
        .await;
    }
    w.app
        .patch(
            &format!("/api/v1/tasks/{task}"),
            Some(&w.staff.access_token),
            json!({"private": {"address": "Kirkegata 2"}, "title": "Følge til tannlegen"}),
        )
        .await;
    let events: Value = w
        .app
        .get_as(
            &format!("/api/v1/tasks/{task}/events"),
            &w.staff.access_token,
        )
        .await
        .json()
        .await
        .expect("json");
    let kinds: Vec<&str> = events["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|e| e["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(kinds, vec!["created", "claimed", "updated"]);
    let fields = &events["items"][2]["fields"];
    assert!(
        fields
            .as_array()
            .expect("fields")
            .contains(&json!("private.address"))
    );
    let stored = w
        .app
        .query_json("SELECT fields::text AS f FROM task_events")
        .await;
    assert!(
        stored
            .iter()
            .all(|r| !r["f"].as_str().unwrap_or_default().contains("Kirkegata")),
        "events never hold values"
    );
    let immutable = dugnad::db::raw_connect(&w.app.db.url)
        .await
        .expect("connect")
        .batch_execute("DELETE FROM task_events")
        .await;
    assert!(immutable.is_err(), "append-only");
}

#[tokio::test]
async fn staff_of_another_unit_may_not_edit_cancel_or_complete() {
    let w = world().await;
    let task = id_of(&w.app.post_task(&w.staff, json!({})).await);
    let other = w.app.staff(w.app.service_unit("Annen enhet").await).await;
    let token = Some(other.access_token.as_str());
    assert_problem(
        w.app
            .patch(
                &format!("/api/v1/tasks/{task}"),
                token,
                json!({"title": "Hijack"}),
            )
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        w.app
            .post(
                &format!("/api/v1/tasks/{task}/cancel"),
                token,
                json!({"reason": "nei"}),
            )
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        w.app
            .post(&format!("/api/v1/tasks/{task}/complete"), token, json!({}))
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(task_as(&w.app, &w.staff, &task).await["status"], "open");
}

#[tokio::test]
async fn edits_honour_if_match_and_spots_cannot_drop_below_the_claims() {
    let w = world().await;
    let task = id_of(&w.app.post_task(&w.staff, json!({"spots": 3})).await);
    let volunteers = w.app.quick_volunteers(2).await;
    for v in &volunteers {
        assert_eq!(claim(&w.app, v, &task).await.status(), 201);
    }
    let path = format!("/api/v1/tasks/{task}");
    let current = w.app.get_as(&path, &w.staff.access_token).await;
    let tag = current.headers()["etag"].to_str().expect("etag").to_owned();
    assert_eq!(tag, "\"3\"", "claims bump the version");
    let stale = w
        .app
        .send(
            w.app
                .client
                .patch(w.app.url(&path))
                .bearer_auth(&w.staff.access_token)
                .header("if-match", "\"1\"")
                .json(&json!({"title": "Nytt"})),
        )
        .await;
    assert_problem(stale, 412, "precondition_failed").await;
    assert_problem(
        w.app
            .patch(&path, Some(&w.staff.access_token), json!({"spots": 1}))
            .await,
        409,
        "conflict",
    )
    .await;
    let ok = w
        .app
        .send(
            w.app
                .client
                .patch(w.app.url(&path))
                .bearer_auth(&w.staff.access_token)
                .header("if-match", tag)
                .json(&json!({"spots": 2})),
        )
        .await;
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.headers()["etag"], "\"4\"");
    let body: Value = ok.json().await.expect("json");
    assert_eq!(body["status"], "filled");
    assert_eq!(body["spots_left"], 0);
}

#[tokio::test]
async fn cancelling_voids_the_claims_and_a_later_claim_is_task_not_open() {
    let w = world().await;
    let task = id_of(&w.app.post_task(&w.staff, json!({"spots": 2})).await);
    let volunteer = w.app.volunteer().await;
    claim(&w.app, &volunteer, &task).await;
    assert_problem(
        w.app
            .post(
                &format!("/api/v1/tasks/{task}/cancel"),
                Some(&w.staff.access_token),
                json!({"reason": ""}),
            )
            .await,
        422,
        "validation_failed",
    )
    .await;
    let response = w
        .app
        .post(
            &format!("/api/v1/tasks/{task}/cancel"),
            Some(&w.staff.access_token),
            json!({"reason": "Bruker er innlagt"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["status"], "cancelled");
    let claims = w
        .app
        .query_json(&format!(
            "SELECT status FROM claims WHERE task_id = '{task}'"
        ))
        .await;
    assert_eq!(claims[0]["status"], "voided");
    let other = w.app.volunteer().await;
    assert_problem(claim(&w.app, &other, &task).await, 409, "task_not_open").await;
    let mails = w.app.mail_to(&volunteer.email).await;
    let cancelled = mails
        .iter()
        .find(|m| m.header("Subject").is_some_and(|s| s.starts_with("Avlyst")))
        .expect("cancel email");
    assert!(cancelled.text_body().contains("Bruker er innlagt"));
    assert!(
        !cancelled.text_body().contains("Ruth") && !cancelled.text_body().contains("Storgata"),
        "never the private block"
    );
}

#[tokio::test]
async fn completion_records_hours_and_waits_for_the_start() {
    let w = world().await;
    let task = id_of(&w.app.post_task(&w.staff, json!({"spots": 2})).await);
    let volunteers = w.app.quick_volunteers(2).await;
    let mut claim_ids = Vec::new();
    for v in &volunteers {
        let c: Value = claim(&w.app, v, &task).await.json().await.expect("json");
        claim_ids.push(c["id"].as_str().expect("id").to_owned());
    }
    let path = format!("/api/v1/tasks/{task}/complete");
    assert_problem(
        w.app
            .post(&path, Some(&w.staff.access_token), json!({}))
            .await,
        409,
        "task_not_started",
    )
    .await;
    w.app.sql(&format!("UPDATE tasks SET starts_at = now() - interval '3 hours', ends_at = now() - interval '1 hour' WHERE id = '{task}'")).await;
    let bad = w
        .app
        .post(
            &path,
            Some(&w.staff.access_token),
            json!({"hours_by_claim": {uuid::Uuid::now_v7().to_string(): 2}}),
        )
        .await;
    assert_problem(bad, 422, "validation_failed").await;
    let response = w
        .app
        .post(
            &path,
            Some(&w.staff.access_token),
            json!({"hours_by_claim": {claim_ids[0].clone(): 1.5}}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["status"], "completed");
    let rows = w
        .app
        .query_json(&format!(
            "SELECT id, status, minutes FROM claims WHERE task_id = '{task}' ORDER BY id"
        ))
        .await;
    let minutes: Vec<(String, i64)> = rows
        .iter()
        .map(|r| {
            (
                r["id"].as_str().expect("id").to_owned(),
                r["minutes"].as_i64().expect("minutes"),
            )
        })
        .collect();
    assert!(minutes.contains(&(claim_ids[0].clone(), 90)));
    assert!(
        minutes.contains(&(claim_ids[1].clone(), 120)),
        "the default is ends_at − starts_at"
    );
    let mine: Value = w
        .app
        .get_as("/api/v1/me/claims", &volunteers[0].access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(mine["items"][0]["hours"], 1.5);
    assert_eq!(mine["items"][0]["task"]["status"], "completed");
}

#[tokio::test]
async fn a_task_with_neither_end_nor_duration_needs_hours_to_complete() {
    let w = world().await;
    let task = id_of(&w.app.post_task(&w.staff, json!({"ends_at": null})).await);
    let volunteer = w.app.volunteer().await;
    claim(&w.app, &volunteer, &task).await;
    w.app
        .sql(&format!(
            "UPDATE tasks SET starts_at = now() - interval '1 hour' WHERE id = '{task}'"
        ))
        .await;
    let path = format!("/api/v1/tasks/{task}/complete");
    let body = assert_problem(
        w.app
            .post(&path, Some(&w.staff.access_token), json!({}))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "hours");
    assert_eq!(
        w.app
            .post(&path, Some(&w.staff.access_token), json!({"hours": 2}))
            .await
            .status(),
        200
    );
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
    let task = id_of(&w.app.post_task(&w.staff, json!({"spots": 5})).await);
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
    let task = id_of(&w.app.post_task(&w.staff, json!({"spots": 3})).await);
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
}

#[tokio::test]
async fn a_client_error_is_replayed_under_its_key_and_private_data_is_never_stored() {
    let w = world().await;
    let task = w.app.post_task(&w.staff, json!({"spots": 1})).await;
    let id = id_of(&task);
    let volunteers = w.app.quick_volunteers(2).await;
    claim(&w.app, &volunteers[0], &id).await;
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
    release(&w.app, &volunteers[0], &id).await;
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
}

#[tokio::test]
async fn browsing_defaults_and_filters_follow_the_role() {
    let w = world().await;
    let walk = w.app.category_id("walks-outdoor").await;
    let kvelde = w.app.council_id("Kvelde").await;
    let mut ids = Vec::new();
    for day in 1..=5 {
        let start = chrono::Utc::now() + chrono::Duration::days(day);
        let task = w
            .app
            .post_task(&w.staff, json!({"starts_at": start.to_rfc3339(), "ends_at": (start + chrono::Duration::hours(1)).to_rfc3339(),
                                        "category_id": if day % 2 == 0 { walk } else { w.app.category_id("accompaniment").await },
                                        "council_id": if day == 5 { json!(kvelde) } else { json!(null) }}))
            .await;
        ids.push(id_of(&task));
    }
    w.app
        .post(
            &format!("/api/v1/tasks/{}/cancel", ids[0]),
            Some(&w.staff.access_token),
            json!({"reason": "Avlyst"}),
        )
        .await;
    let volunteer = w.app.volunteer().await;

    // Volunteers: open tasks by default, in start order, paged.
    let page1: Value = w
        .app
        .get_as("/api/v1/tasks?limit=2", &volunteer.access_token)
        .await
        .json()
        .await
        .expect("json");
    let page1_ids: Vec<&str> = page1["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|t| t["id"].as_str().expect("id"))
        .collect();
    assert_eq!(page1_ids, vec![ids[1].as_str(), ids[2].as_str()]);
    let cursor = page1["next_cursor"].as_str().expect("more").to_owned();
    // A task added before the cursor does not disturb the next page.
    w.app.post_task(&w.staff, json!({"starts_at": (chrono::Utc::now() + chrono::Duration::hours(5)).to_rfc3339(), "ends_at": null})).await;
    let page2: Value = w
        .app
        .get_as(
            &format!("/api/v1/tasks?limit=2&cursor={cursor}"),
            &volunteer.access_token,
        )
        .await
        .json()
        .await
        .expect("json");
    let page2_ids: Vec<&str> = page2["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|t| t["id"].as_str().expect("id"))
        .collect();
    assert_eq!(page2_ids, vec![ids[3].as_str(), ids[4].as_str()]);
    assert_eq!(page2["next_cursor"], Value::Null);

    // Their own category opt-outs filter their feed.
    w.app
        .patch(
            "/api/v1/me",
            Some(&volunteer.access_token),
            json!({"category_opt_outs": [walk]}),
        )
        .await;
    let feed: Value = w
        .app
        .get_as("/api/v1/tasks?limit=100", &volunteer.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert!(
        feed["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|t| t["category_id"] != walk.to_string())
    );

    // Filters.
    let kv: Value = w
        .app
        .get_as(
            &format!("/api/v1/tasks?council_id={kvelde}"),
            &volunteer.access_token,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(kv["items"].as_array().expect("items").len(), 1);
    let bad = w
        .app
        .get_as(
            "/api/v1/tasks?status=sleeping&from=yesterday",
            &volunteer.access_token,
        )
        .await;
    let problem = assert_problem(bad, 422, "validation_failed").await;
    assert_eq!(problem["errors"].as_array().expect("errors").len(), 2);

    // Staff: their unit's tasks, every status.
    let mine: Value = w
        .app
        .get_as("/api/v1/tasks?limit=100", &w.staff.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(mine["items"].as_array().expect("items").len(), 6);
    let cancelled: Value = w
        .app
        .get_as("/api/v1/tasks?status=cancelled", &w.staff.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(cancelled["items"][0]["id"], ids[0].as_str());
    // A volunteer cannot see the cancelled task they never claimed.
    assert_problem(
        w.app
            .get_as(
                &format!("/api/v1/tasks/{}", ids[0]),
                &volunteer.access_token,
            )
            .await,
        404,
        "not_found",
    )
    .await;

    // mine=true for a volunteer: tasks they hold.
    claim(&w.app, &volunteer, &ids[2]).await;
    let held: Value = w
        .app
        .get_as("/api/v1/tasks?mine=true", &volunteer.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(held["items"].as_array().expect("items").len(), 1);
    assert_eq!(held["items"][0]["my_claim"]["status"], "active");
}

#[tokio::test]
async fn the_transition_emails_reach_the_right_people_in_their_language() {
    let w = world().await;
    let task = w
        .app
        .post_task(
            &w.staff,
            json!({"spots": 1, "title": "Tur langs Farrisvannet"}),
        )
        .await;
    let id = id_of(&task);
    let volunteer = w.app.volunteer().await;
    w.app
        .patch(
            "/api/v1/me",
            Some(&volunteer.access_token),
            json!({"language": "en"}),
        )
        .await;
    claim(&w.app, &volunteer, &id).await;
    let unit_email = format!("unit-{}@larvik.test", w.unit);

    let to_volunteer = w.app.mail_to(&volunteer.email).await;
    let confirmation = to_volunteer
        .iter()
        .find(|m| {
            m.header("Subject")
                .is_some_and(|s| s.starts_with("Confirmed"))
        })
        .expect("confirmation");
    let text = confirmation.text_body();
    assert!(text.contains("Tur langs Farrisvannet") && text.contains("Hjemmetjenesten Stavern"));
    assert!(
        !text.contains("Storgata") && !text.contains("Ruth"),
        "never the private block"
    );
    assert!(text.contains(&format!("/tasks/{id}")));

    let to_unit = w.app.mail_to(&unit_email).await;
    let subjects: Vec<String> = to_unit.iter().filter_map(|m| m.header("Subject")).collect();
    assert!(
        subjects.iter().any(|s| s.starts_with("Oppdrag tatt")),
        "{subjects:?}"
    );
    assert!(
        subjects.iter().any(|s| s.starts_with("Oppdrag fullt")),
        "{subjects:?}"
    );
    assert!(
        to_unit
            .iter()
            .all(|m| !m.text_body().contains(&volunteer.email)
                && !m.text_body().contains("Test volunteer")),
        "naming no one"
    );

    w.app
        .patch(
            &format!("/api/v1/tasks/{id}"),
            Some(&w.staff.access_token),
            json!({"area_hint": "Kjose"}),
        )
        .await;
    let changed = w.app.mail_to(&volunteer.email).await;
    assert!(changed.iter().any(|m| {
        m.header("Subject")
            .is_some_and(|s| s.starts_with("Changed"))
    }));

    // A release within 24 hours of the start is urgent for the unit.
    w.app.sql(&format!("UPDATE tasks SET starts_at = now() + interval '3 hours', ends_at = now() + interval '5 hours' WHERE id = '{id}'")).await;
    release(&w.app, &volunteer, &id).await;
    let to_unit = w.app.mail_to(&unit_email).await;
    let released = to_unit
        .iter()
        .find(|m| {
            m.header("Subject")
                .is_some_and(|s| s.contains("Frivillig trakk seg"))
        })
        .expect("release email");
    assert!(
        released
            .header("Subject")
            .expect("subject")
            .starts_with("HASTER")
    );
    assert!(!released.text_body().contains(&volunteer.email));
}

#[tokio::test]
async fn deactivating_a_volunteer_releases_their_claims() {
    let w = world().await;
    let admin = w.app.admin().await;
    let task = id_of(&w.app.post_task(&w.staff, json!({"spots": 1})).await);
    let volunteer = w.app.volunteer().await;
    claim(&w.app, &volunteer, &task).await;
    w.app
        .patch(
            &format!("/api/v1/users/{}", volunteer.id),
            Some(&admin.access_token),
            json!({"active": false}),
        )
        .await;
    let view = task_as(&w.app, &w.staff, &task).await;
    assert_eq!(view["status"], "open");
    assert_eq!(view["spots_left"], 1);
}

#[tokio::test]
async fn jobs_expire_unclaimed_started_tasks_and_auto_complete_old_ones() {
    let w = world().await;
    let unclaimed = id_of(&w.app.post_task(&w.staff, json!({})).await);
    let claimed = id_of(&w.app.post_task(&w.staff, json!({"spots": 2})).await);
    let volunteer = w.app.volunteer().await;
    claim(&w.app, &volunteer, &claimed).await;
    w.app.sql(&format!("UPDATE tasks SET starts_at = now() - interval '1 hour', ends_at = now() - interval '30 minutes' WHERE id = '{unclaimed}'")).await;
    w.app.sql(&format!("UPDATE tasks SET starts_at = now() - interval '9 days', ends_at = now() - interval '8 days' WHERE id = '{claimed}'")).await;
    let report = dugnad::jobs::run_once(&w.app.pool, &w.app.settings)
        .await
        .expect("jobs")
        .expect("lock");
    assert_eq!((report.expired, report.auto_completed), (1, 1));
    let again = dugnad::jobs::run_once(&w.app.pool, &w.app.settings)
        .await
        .expect("jobs")
        .expect("lock");
    assert_eq!((again.expired, again.auto_completed), (0, 0), "idempotent");
    assert_eq!(
        task_as(&w.app, &w.staff, &unclaimed).await["status"],
        "expired"
    );
    assert_eq!(
        task_as(&w.app, &w.staff, &claimed).await["status"],
        "completed"
    );
    let events = w
        .app
        .query_json(&format!(
            "SELECT kind FROM task_events WHERE task_id = '{claimed}' ORDER BY id"
        ))
        .await;
    assert_eq!(events.last().expect("event")["kind"], "auto_completed");
    let minutes = w
        .app
        .query_json(&format!(
            "SELECT minutes FROM claims WHERE task_id = '{claimed}'"
        ))
        .await;
    assert_eq!(minutes[0]["minutes"], 24 * 60, "credited the task's length");
}

#[tokio::test]
async fn a_partial_private_block_in_a_patch_changes_only_the_fields_it_names() {
    let w = world().await;
    let task = w.app.post_task(&w.staff, json!({})).await;
    let path = format!("/api/v1/tasks/{}", id_of(&task));
    let edited: Value = w
        .app
        .patch(
            &path,
            Some(&w.staff.access_token),
            json!({"private": {"notes": "Ringer på to ganger"}}),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        edited["private"],
        json!({"address": "Storgata 1", "recipient_name": "Ruth Hansen", "recipient_phone": "+47 911 11 111", "notes": "Ringer på to ganger"}),
        "absent fields are unchanged"
    );
    let cleared: Value = w
        .app
        .patch(
            &path,
            Some(&w.staff.access_token),
            json!({"private": {"recipient_phone": null}}),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        cleared["private"]["recipient_phone"],
        Value::Null,
        "null clears"
    );
    assert_eq!(cleared["private"]["address"], "Storgata 1");
    let events: Value = w
        .app
        .get_as(&format!("{path}/events"), &w.staff.access_token)
        .await
        .json()
        .await
        .expect("json");
    let fields: Vec<Value> = events["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|e| e["kind"] == "updated")
        .map(|e| e["fields"].clone())
        .collect();
    assert_eq!(
        fields,
        [json!(["private.notes"]), json!(["private.recipient_phone"])]
    );
}

#[tokio::test]
async fn an_idempotency_record_keeps_the_body_only_as_a_keyed_digest() {
    use sha2::Digest;
    let w = world().await;
    let start = chrono::Utc::now() + chrono::Duration::days(2);
    let body = json!({
        "title": "Handletur", "description": "", "category_id": w.app.category_id("accompaniment").await,
        "starts_at": start.to_rfc3339(), "duration_minutes": 60,
        "private": {"address": "Kirkestredet 4", "recipient_name": "Olav Berg"}
    });
    let response = w
        .app
        .send(
            w.app
                .client
                .post(w.app.url("/api/v1/tasks"))
                .bearer_auth(&w.staff.access_token)
                .header("idempotency-key", "post-1")
                .json(&body),
        )
        .await;
    assert_eq!(response.status(), 201);
    let rows = w
        .app
        .query_json("SELECT encode(request_hash, 'hex') AS h, response_body::text AS b FROM idempotency_keys")
        .await;
    assert_eq!(rows.len(), 1);
    let plain = hex(&sha2::Sha256::digest(
        serde_json::to_vec(&body).expect("bytes"),
    ));
    assert_ne!(
        rows[0]["h"], plain,
        "an unsalted SHA-256 would let a copy of the table confirm guesses"
    );
    assert!(!rows[0]["b"].as_str().expect("body").contains("Olav Berg"));
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test]
async fn a_claim_takes_at_most_nine_statements() {
    let w = world().await;
    let task = w.app.post_task(&w.staff, json!({"spots": 1})).await;
    let volunteer = w.app.volunteer().await;
    let response = w
        .app
        .send(
            w.app
                .client
                .post(w.app.url(&format!("/api/v1/tasks/{}/claim", id_of(&task))))
                .bearer_auth(&volunteer.access_token)
                .header("x-request-id", "count-the-claim"),
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
        .query_json("SELECT kind FROM email_outbox WHERE kind IN ('claim_confirmation', 'task_claimed', 'task_filled')")
        .await;
    assert_eq!(outbox.len(), 3);
}

#[tokio::test]
async fn the_jobs_take_the_time_they_are_given_for_expiry_and_auto_completion() {
    let w = world().await;
    let unclaimed = id_of(&w.app.post_task(&w.staff, json!({})).await);
    let claimed = id_of(&w.app.post_task(&w.staff, json!({})).await);
    let volunteer = w.app.volunteer().await;
    assert_eq!(claim(&w.app, &volunteer, &claimed).await.status(), 201);
    // Both start in three days and end two hours later: eleven days on, the unclaimed one
    // has expired and the claimed one ended more than seven days before.
    let later = chrono::Utc::now() + chrono::Duration::days(11);
    let report = dugnad::jobs::run_once_at(&w.app.pool, &w.app.settings, later)
        .await
        .expect("jobs")
        .expect("lock");
    assert_eq!((report.expired, report.auto_completed), (1, 1));
    let unclaimed = task_as(&w.app, &w.staff, &unclaimed).await;
    let claimed = task_as(&w.app, &w.staff, &claimed).await;
    assert_eq!(
        (unclaimed["status"].as_str(), claimed["status"].as_str()),
        (Some("expired"), Some("completed"))
    );
    // At the real time nothing of the sort happens.
    let now = dugnad::jobs::run_once(&w.app.pool, &w.app.settings)
        .await
        .expect("jobs")
        .expect("lock");
    assert_eq!((now.expired, now.auto_completed), (0, 0));
}
