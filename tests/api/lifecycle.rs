//! A task's life after posting: cancellation, completion with hours, expiry and
//! auto-completion by the jobs, and the emails of each transition.

use serde_json::{Value, json};

use crate::helpers::{a_task, assert_problem, id_of, world};

#[tokio::test]
async fn cancelling_voids_the_claims_and_a_later_claim_is_task_not_open() {
    let w = world().await;
    let task = id_of(&w.app.post_task_as(&w.staff, a_task().spots(2)).await);
    let volunteer = w.app.volunteer().await;
    w.app.claim(&volunteer, &task).await;
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
    assert_problem(w.app.claim(&other, &task).await, 409, "task_not_open").await;
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
    let task = id_of(&w.app.post_task_as(&w.staff, a_task().spots(2)).await);
    let volunteers = w.app.quick_volunteers(2).await;
    let mut claim_ids = Vec::new();
    for v in &volunteers {
        let c: Value = w.app.claim(v, &task).await.json().await.expect("json");
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
    w.app.started_ago(&task, chrono::Duration::hours(3)).await;
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
    w.app.deliver_mail().await;
}

#[tokio::test]
async fn a_task_with_neither_end_nor_duration_needs_hours_to_complete() {
    let w = world().await;
    let task = id_of(
        &w.app
            .post_task_as(&w.staff, a_task().with(json!({"ends_at": null})))
            .await,
    );
    let volunteer = w.app.volunteer().await;
    w.app.claim(&volunteer, &task).await;
    w.app.started_ago(&task, chrono::Duration::hours(1)).await;
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
    w.app.deliver_mail().await;
}

#[tokio::test]
async fn jobs_expire_unclaimed_started_tasks_and_auto_complete_old_ones() {
    let w = world().await;
    let claimed = id_of(&w.app.post_task_as(&w.staff, a_task().spots(2)).await);
    let volunteer = w.app.volunteer().await;
    assert_eq!(w.app.claim(&volunteer, &claimed).await.status(), 201);
    w.app.started_ago(&claimed, chrono::Duration::days(9)).await;
    // Posted nine days after the first started; its own start passes an hour later.
    let unclaimed = id_of(&w.app.post_task_as(&w.staff, a_task()).await);
    w.app
        .started_ago(&unclaimed, chrono::Duration::hours(1))
        .await;
    let report = w.app.run_jobs().await;
    assert_eq!((report.expired, report.auto_completed), (1, 1));
    let again = w.app.run_jobs().await;
    assert_eq!((again.expired, again.auto_completed), (0, 0), "idempotent");
    assert_eq!(
        w.app.task_as(&w.staff, &unclaimed).await["status"],
        "expired"
    );
    assert_eq!(
        w.app.task_as(&w.staff, &claimed).await["status"],
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
    assert_eq!(minutes[0]["minutes"], 120, "credited the task's two hours");
    w.app.deliver_mail().await;
}

#[tokio::test]
async fn the_jobs_take_the_time_they_are_given_for_expiry_and_auto_completion() {
    let w = world().await;
    let unclaimed = id_of(&w.app.post_task_as(&w.staff, a_task()).await);
    let claimed = id_of(&w.app.post_task_as(&w.staff, a_task()).await);
    let volunteer = w.app.volunteer().await;
    assert_eq!(w.app.claim(&volunteer, &claimed).await.status(), 201);
    // Both start in three days and end two hours later: eleven days on, the unclaimed one
    // has expired and the claimed one ended more than seven days before.
    let later = chrono::Utc::now() + chrono::Duration::days(11);
    let report = dugnad::jobs::run_once_at(&w.app.pool, &w.app.settings, later)
        .await
        .expect("jobs")
        .expect("lock");
    assert_eq!((report.expired, report.auto_completed), (1, 1));
    let unclaimed = w.app.task_as(&w.staff, &unclaimed).await;
    let claimed = w.app.task_as(&w.staff, &claimed).await;
    assert_eq!(
        (unclaimed["status"].as_str(), claimed["status"].as_str()),
        (Some("expired"), Some("completed"))
    );
    // At the real time nothing of the sort happens.
    let now = w.app.run_jobs().await;
    assert_eq!((now.expired, now.auto_completed), (0, 0));
    w.app.deliver_mail().await;
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
    w.app.claim(&volunteer, &id).await;
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
    // "Se oppdraget" opens the task's page in the volunteer web, through a sign-in.
    assert_eq!(confirmation.task_links(), vec![id.clone()]);
    let mut browser = crate::console::Browser::new(&w.app);
    let link = format!("/oppgaver/{id}");
    let asked = browser.get(&link).await;
    let next = format!("/logg-inn?neste=%2Foppgaver%2F{id}");
    assert_eq!((asked.status, asked.location()), (303, Some(next.as_str())));
    let csrf = browser.get(&next).await.hidden("csrf");
    let landed = browser
        .post(
            "/logg-inn",
            &[
                ("csrf", &csrf),
                ("neste", &link),
                ("email", &volunteer.email),
                ("password", crate::helpers::TEST_PASSWORD),
            ],
        )
        .await;
    assert_eq!(landed.location(), Some(link.as_str()));
    // The claimant sees the private block, the unit's contact and the way out.
    let html = browser.get(&link).await.body;
    assert!(html.contains("Tur langs Farrisvannet"), "{html}");
    assert!(
        html.contains("Storgata") && html.contains("Hjemmetjenesten Stavern"),
        "{html}"
    );
    assert!(html.contains(&format!("/oppgaver/{id}/gi-fra")), "{html}");
    // A link of an email sent before the volunteer web opens the same page; a token
    // altered by one character is a dead link, not someone else's task.
    let keys = dugnad::auth::keys::ServerKeys::from_settings(&w.app.settings);
    let token = dugnad::auth::signed::sign(
        &keys,
        &dugnad::auth::signed::SignedAction::ViewTask {
            user_id: volunteer.id,
            task_id: id.parse().expect("uuid"),
        },
        w.app.clock.now() + chrono::Duration::days(3),
    );
    let old = w.app.get(&format!("/e/task?token={token}&lang=en")).await;
    assert_eq!(old.status(), 303);
    assert_eq!(old.headers()["location"], link.as_str());
    let rows = w
        .app
        .query_json(&format!("SELECT status FROM claims WHERE task_id = '{id}'"))
        .await;
    assert_eq!(rows[0]["status"], "active");
    let forged = format!("{}x", &token);
    let dead = w.app.get(&format!("/e/task?token={forged}")).await;
    assert_eq!(dead.status(), 400);

    let to_unit = w.app.mail_to(&unit_email).await;
    // The unit's emails open the task in the console.
    assert!(
        to_unit
            .iter()
            .all(|m| m.text_body().contains(&format!("/console/tasks/{id}"))),
        "every unit email links to the console's task page"
    );
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
    // Within 24 hours of its start, the unit's email is urgent.
    w.app.started_ago(&id, chrono::Duration::hours(-3)).await;
    w.app.release(&volunteer, &id).await;
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
