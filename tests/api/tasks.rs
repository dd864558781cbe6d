//! Posting, editing and reading tasks: fields, permissions, ETags, the private block and
//! who sees it, browsing, the unit's view of claimants and events.

use serde_json::{Value, json};

use crate::helpers::{a_task, assert_problem, id_of, world};

#[tokio::test]
async fn staff_post_a_task_and_see_its_private_block_with_an_etag() {
    let w = world().await;
    let task = w.app.post_task_as(&w.staff, a_task().spots(2)).await;
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
    let tag = response.headers()["etag"].to_str().expect("ascii");
    assert!(tag.starts_with("\"1-") && tag.ends_with('"'), "{tag}");
}

#[tokio::test]
async fn a_client_that_sends_its_etag_back_gets_304_until_the_task_changes_for_it() {
    let w = world().await;
    let task = id_of(&w.app.post_task_as(&w.staff, a_task().spots(2)).await);
    let path = format!("/api/v1/tasks/{task}");
    let volunteer = w.app.volunteer().await;
    let get = |token: &str, tag: Option<&str>| {
        let mut request = w.app.client.get(w.app.url(&path)).bearer_auth(token);
        if let Some(tag) = tag {
            request = request.header("if-none-match", tag);
        }
        w.app.send(request)
    };
    let first = get(&volunteer.access_token, None).await;
    assert_eq!(first.status(), 200);
    let tag = first.headers()["etag"].to_str().expect("etag").to_owned();

    let again = get(&volunteer.access_token, Some(&tag)).await;
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["etag"], tag.as_str());
    assert!(again.bytes().await.expect("body").is_empty());
    let weak = get(&volunteer.access_token, Some(&format!("\"0-0\", W/{tag}"))).await;
    assert_eq!(weak.status(), 304, "a list and a weak tag match too");

    // The unit sees the private block, so its representation (and tag) is another.
    let staff_view = get(&w.staff.access_token, Some(&tag)).await;
    assert_eq!(staff_view.status(), 200);
    assert_ne!(staff_view.headers()["etag"], tag.as_str());

    // Claiming changes what the volunteer gets (my_claim, spots_left): a fresh 200.
    assert_eq!(w.app.claim(&volunteer, &task).await.status(), 201);
    let changed = get(&volunteer.access_token, Some(&tag)).await;
    assert_eq!(changed.status(), 200);
    let new_tag = changed.headers()["etag"].to_str().expect("etag").to_owned();
    assert_ne!(new_tag, tag);
    let body: Value = changed.json().await.expect("json");
    assert!(body["my_claim"].is_object());
    assert_eq!(
        get(&volunteer.access_token, Some(&new_tag)).await.status(),
        304
    );
    w.app.deliver_mail().await;
}

#[tokio::test]
async fn invalid_task_fields_are_422_per_field() {
    let w = world().await;
    let inactive = w.app.category_id("flag-raising").await;
    let admin = w.app.admin().await;
    let deactivated = w
        .app
        .patch(
            &format!("/api/v1/categories/{inactive}"),
            Some(&admin.access_token),
            json!({"active": false}),
        )
        .await;
    assert_eq!(deactivated.status(), 200);
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
async fn the_private_block_is_shown_only_to_the_unit_admins_and_active_claimants() {
    let w = world().await;
    let task = id_of(&w.app.post_task_as(&w.staff, a_task().spots(2)).await);
    let volunteer = w.app.volunteer().await;
    let bystander = w.app.volunteer().await;
    let other_staff = w.app.staff(w.app.service_unit("Annen enhet").await).await;
    let admin = w.app.admin().await;

    let before = w.app.task_as(&volunteer, &task).await;
    assert!(before.get("private").is_none(), "absent, not null");
    assert!(before.get("unit").is_none());
    assert!(
        w.app
            .task_as(&other_staff, &task)
            .await
            .get("private")
            .is_none()
    );
    assert_eq!(
        w.app.task_as(&admin, &task).await["private"]["address"],
        "Storgata 1"
    );

    assert_eq!(w.app.claim(&volunteer, &task).await.status(), 201);
    let during = w.app.task_as(&volunteer, &task).await;
    assert_eq!(during["private"]["recipient_name"], "Ruth Hansen");
    assert_eq!(during["unit"]["name"], "Hjemmetjenesten Stavern");
    assert_eq!(during["my_claim"]["status"], "active");
    assert!(
        w.app
            .task_as(&bystander, &task)
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

    assert_eq!(w.app.release(&volunteer, &task).await.status(), 200);
    let after = w.app.task_as(&volunteer, &task).await;
    assert!(after.get("private").is_none(), "gone again after release");
    assert_eq!(after["my_claim"]["status"], "released");
    w.app.deliver_mail().await;
}

#[tokio::test]
async fn the_unit_sees_its_claimants_contact_details_and_the_events() {
    let w = world().await;
    let task = id_of(&w.app.post_task_as(&w.staff, a_task().spots(2)).await);
    let volunteer = w.app.volunteer().await;
    w.app.claim(&volunteer, &task).await;
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
    w.app.deliver_mail().await;
}

#[tokio::test]
async fn staff_of_another_unit_may_not_edit_cancel_or_complete() {
    let w = world().await;
    let task = id_of(&w.app.post_task_as(&w.staff, a_task()).await);
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
    assert_eq!(w.app.task_as(&w.staff, &task).await["status"], "open");
}

#[tokio::test]
async fn edits_honour_if_match_and_spots_cannot_drop_below_the_claims() {
    let w = world().await;
    let task = id_of(&w.app.post_task_as(&w.staff, a_task().spots(3)).await);
    let volunteers = w.app.quick_volunteers(2).await;
    for v in &volunteers {
        assert_eq!(w.app.claim(v, &task).await.status(), 201);
    }
    let path = format!("/api/v1/tasks/{task}");
    let current = w.app.get_as(&path, &w.staff.access_token).await;
    let tag = current.headers()["etag"].to_str().expect("etag").to_owned();
    assert!(tag.starts_with("\"3-"), "claims bump the version: {tag}");
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
    // An edit that is wrong in itself is refused as such, whatever version it names.
    let stale_and_invalid = w
        .app
        .send(
            w.app
                .client
                .patch(w.app.url(&path))
                .bearer_auth(&w.staff.access_token)
                .header("if-match", "")
                .json(&json!({"private": {"notes": "ring p\u{84}"}})),
        )
        .await;
    assert_problem(stale_and_invalid, 422, "validation_failed").await;
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
    assert!(
        ok.headers()["etag"]
            .to_str()
            .expect("etag")
            .starts_with("\"4-")
    );
    let body: Value = ok.json().await.expect("json");
    assert_eq!(body["status"], "filled");
    assert_eq!(body["spots_left"], 0);
    w.app.deliver_mail().await;
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
    w.app
        .post_task_as(
            &w.staff,
            a_task()
                .starts_in(chrono::Duration::hours(5))
                .with(json!({"ends_at": null})),
        )
        .await;
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
    // Several statuses: repeated (what generated clients send for an array) or
    // comma-separated, the same answer either way.
    let ids_of = |page: &Value| {
        page["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|t| t["id"].as_str().expect("id").to_owned())
            .collect::<Vec<_>>()
    };
    let mut answers = Vec::new();
    for query in [
        "status=open&status=cancelled&limit=100",
        "status=open,cancelled&limit=100",
        "status=open&status=cancelled,open&limit=100",
    ] {
        let page: Value = w
            .app
            .get_as(&format!("/api/v1/tasks?{query}"), &w.staff.access_token)
            .await
            .json()
            .await
            .expect("json");
        answers.push(ids_of(&page));
    }
    assert_eq!(answers[0].len(), 6, "five open and one cancelled");
    assert!(answers.iter().all(|a| *a == answers[0]), "{answers:?}");
    assert_problem(
        w.app
            .get_as(
                "/api/v1/tasks?status=open&status=sleeping",
                &w.staff.access_token,
            )
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_problem(
        w.app
            .get_as("/api/v1/tasks?limit=5&limit=6", &w.staff.access_token)
            .await,
        400,
        "malformed_request",
    )
    .await;
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
    w.app.claim(&volunteer, &ids[2]).await;
    let held: Value = w
        .app
        .get_as("/api/v1/tasks?mine=true", &volunteer.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(held["items"].as_array().expect("items").len(), 1);
    assert_eq!(held["items"][0]["my_claim"]["status"], "active");
    w.app.deliver_mail().await;
}

#[tokio::test]
async fn a_partial_private_block_in_a_patch_changes_only_the_fields_it_names() {
    let w = world().await;
    let task = w.app.post_task_as(&w.staff, a_task()).await;
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
