//! Recurring tasks: occurrences at the same local time across daylight-saving changes,
//! generated once whoever runs the job, paused by an opt-out, claimed one by one.

use chrono::{DateTime, Datelike, TimeZone, Utc};
use serde_json::{Value, json};

use crate::helpers::{TestApp, World, assert_problem, id_of, world};

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("instant")
        .with_timezone(&Utc)
}

async fn post_series(w: &World, first: &str, recurrence: Value) -> Value {
    let response = w
        .app
        .post(
            "/api/v1/task-series",
            Some(&w.staff.access_token),
            json!({
                "template": {
                    "title": "Tur med Ruth",
                    "description": "En rolig tur rundt Hammerdalen.",
                    "category_id": w.app.category_id("walks-outdoor").await,
                    "council_id": w.app.council_id("Stavern").await,
                    "duration_minutes": 60,
                    "area_hint": "Stavern sentrum",
                    "private": {"address": "Storgata 9", "recipient_name": "Ruth Hansen"}
                },
                "first_starts_at": first,
                "recurrence": recurrence,
            }),
        )
        .await;
    let status = response.status();
    let text = response.text().await.expect("body");
    assert_eq!(status, 201, "posting a series: {text}");
    serde_json::from_str(&text).expect("json")
}

/// Stavern's council opts out of walks (the category every series here is in).
async fn stavern_opts_out_of_walks(w: &World, admin: &crate::helpers::TestUser) {
    let stavern = w.app.council_id("Stavern").await;
    let walks = w.app.category_id("walks-outdoor").await;
    let out = w
        .app
        .call(
            reqwest::Method::PUT,
            &format!("/api/v1/councils/{stavern}/opt-outs/{walks}"),
            Some(&admin.access_token),
            Some(json!({"reason": "Ingen turledere i vinter"})),
        )
        .await;
    assert_eq!(out.status(), 201);
}

async fn stavern_takes_walks_again(w: &World, admin: &crate::helpers::TestUser) {
    let stavern = w.app.council_id("Stavern").await;
    let walks = w.app.category_id("walks-outdoor").await;
    let back = w
        .app
        .call(
            reqwest::Method::DELETE,
            &format!("/api/v1/councils/{stavern}/opt-outs/{walks}?reason=Nye%20turledere"),
            Some(&admin.access_token),
            None,
        )
        .await;
    assert_eq!(back.status(), 204);
}

/// Noon where the municipality is, `weeks` after the day before `first` (the day a series
/// starting at `first` was posted): a job run then sees the horizon moved by exactly that
/// many weeks, whatever the time of day the test runs at (a run at 23:30 plus an hour
/// would land on the next date and see a day more).
fn noon_weeks_after_posting(app: &TestApp, first: DateTime<Utc>, weeks: i64) -> String {
    let zone = app.settings.timezone;
    let day = first.with_timezone(&zone).date_naive() - chrono::Duration::days(1)
        + chrono::Duration::weeks(weeks);
    zone.from_local_datetime(&day.and_hms_opt(12, 0, 0).expect("noon"))
        .single()
        .expect("noon exists")
        .with_timezone(&Utc)
        .to_rfc3339()
}

async fn generate_at(app: &TestApp, now: &str) -> usize {
    dugnad::jobs::run_once_at(&app.pool, &app.settings, at(now))
        .await
        .expect("jobs")
        .expect("the lock")
        .occurrences_generated
}

/// The occurrences' starts, in UTC, by date.
async fn starts(w: &World, series: &Value) -> Vec<(String, DateTime<Utc>)> {
    let page: Value = w
        .app
        .get_as(
            &format!("/api/v1/task-series/{}?limit=100", id_of(series)),
            &w.staff.access_token,
        )
        .await
        .json()
        .await
        .expect("json");
    page["occurrences"]["items"]
        .as_array()
        .expect("occurrences")
        .iter()
        .map(|t| {
            (
                t["occurrence_date"].as_str().expect("date").to_owned(),
                at(t["starts_at"].as_str().expect("start")),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_weekly_ten_oclock_keeps_ten_oclock_local_over_both_2027_changes() {
    let w = world().await;
    assert_eq!(w.app.settings.timezone, chrono_tz::Europe::Oslo);
    let spring = post_series(
        &w,
        "2027-03-18T10:00:00+01:00",
        json!({"freq": "weekly", "count": 4}),
    )
    .await;
    assert_eq!(spring["local_time"], "10:00");
    assert_eq!(
        spring["occurrences"]["items"],
        json!([]),
        "more than eight weeks away: nothing yet"
    );
    assert_eq!(generate_at(&w.app, "2027-03-01T12:00:00Z").await, 4);
    assert_eq!(
        starts(&w, &spring).await,
        vec![
            ("2027-03-18".into(), at("2027-03-18T09:00:00Z")),
            ("2027-03-25".into(), at("2027-03-25T09:00:00Z")),
            ("2027-04-01".into(), at("2027-04-01T08:00:00Z")),
            ("2027-04-08".into(), at("2027-04-08T08:00:00Z")),
        ]
    );
    let autumn = post_series(
        &w,
        "2027-10-21T10:00:00+02:00",
        json!({"freq": "weekly", "until": "2027-11-04"}),
    )
    .await;
    assert_eq!(generate_at(&w.app, "2027-10-01T12:00:00Z").await, 3);
    assert_eq!(
        starts(&w, &autumn).await,
        vec![
            ("2027-10-21".into(), at("2027-10-21T08:00:00Z")),
            ("2027-10-28".into(), at("2027-10-28T08:00:00Z")),
            ("2027-11-04".into(), at("2027-11-04T09:00:00Z")),
        ]
    );
    assert_eq!(
        generate_at(&w.app, "2027-10-02T12:00:00Z").await,
        0,
        "idempotent"
    );
}

#[tokio::test]
async fn a_daily_half_past_two_moves_past_the_spring_gap_and_takes_the_first_autumn_one() {
    let w = world().await;
    let spring = post_series(
        &w,
        "2027-03-27T02:30:00+01:00",
        json!({"freq": "daily", "count": 3}),
    )
    .await;
    let autumn = post_series(
        &w,
        "2027-10-30T02:30:00+02:00",
        json!({"freq": "daily", "count": 3}),
    )
    .await;
    generate_at(&w.app, "2027-03-20T12:00:00Z").await;
    generate_at(&w.app, "2027-10-20T12:00:00Z").await;
    assert_eq!(
        starts(&w, &spring).await,
        vec![
            ("2027-03-27".into(), at("2027-03-27T01:30:00Z")),
            // 02:30 does not exist on 28 March: 03:30 summer time.
            ("2027-03-28".into(), at("2027-03-28T01:30:00Z")),
            ("2027-03-29".into(), at("2027-03-29T00:30:00Z")),
        ]
    );
    assert_eq!(
        starts(&w, &autumn).await,
        vec![
            ("2027-10-30".into(), at("2027-10-30T00:30:00Z")),
            // 02:30 happens twice on 31 October: the first, still summer time.
            ("2027-10-31".into(), at("2027-10-31T00:30:00Z")),
            ("2027-11-01".into(), at("2027-11-01T01:30:00Z")),
        ]
    );
}

#[tokio::test]
async fn monthly_on_the_31st_skips_the_months_without_one() {
    let w = world().await;
    let series = post_series(
        &w,
        "2027-01-31T10:00:00+01:00",
        json!({"freq": "monthly", "count": 3}),
    )
    .await;
    for now in [
        "2027-01-20T12:00:00Z",
        "2027-03-20T12:00:00Z",
        "2027-05-20T12:00:00Z",
    ] {
        generate_at(&w.app, now).await;
    }
    let dates: Vec<String> = starts(&w, &series)
        .await
        .into_iter()
        .map(|(d, _)| d)
        .collect();
    assert_eq!(dates, ["2027-01-31", "2027-03-31", "2027-05-31"]);
}

#[tokio::test]
async fn two_generators_at_once_make_each_occurrence_once() {
    let w = world().await;
    let series = post_series(
        &w,
        "2027-06-01T18:00:00+02:00",
        json!({"freq": "daily", "count": 20}),
    )
    .await;
    let now = at("2027-05-20T12:00:00Z");
    let zone = w.app.settings.timezone;
    // Two connections, as two processes would have, without the jobs' lock: the unique
    // key alone keeps one occurrence per date.
    let run = || async {
        let mut conn = w.app.pool.get().await.expect("connection");
        dugnad::services::series::generate_due(&mut conn, zone, now)
            .await
            .expect("generation")
    };
    let (a, b) = tokio::join!(run(), run());
    assert_eq!(a + b, 20, "made {a} and {b}");
    let rows = w
        .app
        .query_json(&format!(
            "SELECT occurrence_date, count(*) AS n FROM tasks WHERE series_id = '{}' GROUP BY 1",
            id_of(&series)
        ))
        .await;
    assert_eq!(rows.len(), 20);
    assert!(rows.iter().all(|r| r["n"] == 1), "{rows:?}");
    // And the jobs themselves: one of two runs at once holds the lock, the other skips.
    let (x, y) = tokio::join!(
        dugnad::jobs::run_once_at(&w.app.pool, &w.app.settings, now),
        dugnad::jobs::run_once_at(&w.app.pool, &w.app.settings, now)
    );
    let reports: Vec<_> = [x.expect("jobs"), y.expect("jobs")]
        .into_iter()
        .flatten()
        .collect();
    assert!(reports.iter().all(|r| r.occurrences_generated == 0));
}

#[tokio::test]
async fn fifty_volunteers_racing_for_a_one_spot_occurrence_give_one_claim() {
    let w = world().await;
    let first = (Utc::now() + chrono::Duration::days(2)).to_rfc3339();
    let series = post_series(&w, &first, json!({"freq": "weekly", "count": 3})).await;
    let occurrence = id_of(&series["occurrences"]["items"][0]);
    assert_eq!(
        series["occurrences"]["items"].as_array().map(Vec::len),
        Some(3)
    );
    let volunteers = w.app.quick_volunteers(50).await;
    let answers =
        futures_util::future::join_all(volunteers.iter().map(|v| w.app.claim(v, &occurrence)))
            .await;
    let won = answers.iter().filter(|a| a.status() == 201).count();
    assert_eq!(won, 1);
    assert!(
        answers
            .iter()
            .all(|a| matches!(a.status().as_u16(), 201 | 409))
    );
    let claims = w
        .app
        .query_json(&format!(
            "SELECT id FROM claims WHERE task_id = '{occurrence}' AND status = 'active'"
        ))
        .await;
    assert_eq!(claims.len(), 1);
    // The other occurrences are untouched, and each is a task of its own.
    let second = w
        .app
        .task_as(&w.staff, &id_of(&series["occurrences"]["items"][1]))
        .await;
    assert_eq!(second["spots_left"], 1);
    assert_eq!(second["series_id"], series["id"]);
    w.app.deliver_mail().await;
}

#[tokio::test]
async fn while_the_council_has_opted_out_no_occurrence_is_generated() {
    let w = world().await;
    let admin = w.app.admin().await;
    let first = Utc::now() + chrono::Duration::days(1);
    let series = post_series(
        &w,
        &first.to_rfc3339(),
        json!({"freq": "weekly", "count": 20}),
    )
    .await;
    let made = series["occurrences"]["items"]
        .as_array()
        .map(Vec::len)
        .expect("items");
    assert!((8..=9).contains(&made), "eight weeks ahead: {made}");
    stavern_opts_out_of_walks(&w, &admin).await;
    let three_weeks = (Utc::now() + chrono::Duration::weeks(3)).to_rfc3339();
    assert_eq!(generate_at(&w.app, &three_weeks).await, 0);
    stavern_takes_walks_again(&w, &admin).await;
    assert_eq!(
        generate_at(&w.app, &three_weeks).await,
        3,
        "three more weeks come into the horizon once the council takes the category again"
    );
    w.app.deliver_mail().await;
}

#[tokio::test]
async fn a_series_is_the_units_to_post_and_its_template_private_block_is_the_units_to_read() {
    let w = world().await;
    let volunteer = w.app.volunteer().await;
    let first = (Utc::now() + chrono::Duration::days(2)).to_rfc3339();
    let body = json!({
        "template": {"title": "Kafé", "description": "", "category_id": w.app.category_id("walks-outdoor").await},
        "first_starts_at": first,
        "recurrence": {"freq": "weekly", "count": 2}
    });
    assert_problem(
        w.app
            .post(
                "/api/v1/task-series",
                Some(&volunteer.access_token),
                body.clone(),
            )
            .await,
        403,
        "forbidden",
    )
    .await;
    let mut bad = body.clone();
    bad["recurrence"] = json!({"freq": "yearly", "interval": 9, "by_weekday": ["xx"]});
    let problem = assert_problem(
        w.app
            .post("/api/v1/task-series", Some(&w.staff.access_token), bad)
            .await,
        422,
        "validation_failed",
    )
    .await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].as_str().expect("field"))
        .collect();
    for f in [
        "recurrence.freq",
        "recurrence.interval",
        "recurrence.by_weekday",
        "recurrence",
    ] {
        assert!(fields.contains(&f), "{f} in {fields:?}");
    }
    let mut with_start = body.clone();
    with_start["template"]["starts_at"] = json!(first);
    assert_problem(
        w.app
            .post(
                "/api/v1/task-series",
                Some(&w.staff.access_token),
                with_start,
            )
            .await,
        422,
        "validation_failed",
    )
    .await;
    let rows = w.app.query_json("SELECT id FROM task_series").await;
    assert!(rows.is_empty(), "nothing refused was written");

    let series = post_series(&w, &first, json!({"freq": "weekly", "count": 2})).await;
    assert_eq!(series["private"]["recipient_name"], "Ruth Hansen");
    assert_eq!(
        series["occurrences"]["items"][0]["private"]["address"], "Storgata 9",
        "each occurrence has the template's block"
    );
    let seen: Value = w
        .app
        .get_as(
            &format!("/api/v1/task-series/{}", id_of(&series)),
            &volunteer.access_token,
        )
        .await
        .json()
        .await
        .expect("json");
    assert!(seen.get("private").is_none());
    assert!(seen["occurrences"]["items"][0].get("private").is_none());
    assert_eq!(
        seen["occurrences"]["items"].as_array().map(Vec::len),
        Some(2)
    );
    assert_problem(
        w.app
            .get_as(
                &format!("/api/v1/task-series/{}", uuid::Uuid::now_v7()),
                &volunteer.access_token,
            )
            .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn the_templates_private_block_goes_with_the_last_occurrences() {
    let w = world().await;
    let first = Utc::now() + chrono::Duration::days(1);
    let series = post_series(
        &w,
        &first.to_rfc3339(),
        json!({"freq": "daily", "count": 2}),
    )
    .await;
    let app = &w.app;
    let query = format!(
        "SELECT series_id FROM task_series_private WHERE series_id = '{}'",
        id_of(&series)
    );
    let held = || async { app.query_json(&query).await.len() };
    assert_eq!(held().await, 1);
    // Long after both occurrences ended and the retention purge took their blocks.
    let later = (first + chrono::Duration::days(i64::from(w.app.settings.retention_days) + 10))
        .to_rfc3339();
    generate_at(&w.app, &later).await;
    generate_at(&w.app, &later).await;
    let left = w
        .app
        .query_json(&format!(
            "SELECT p.task_id FROM task_private p JOIN tasks t ON t.id = p.task_id \
             WHERE t.series_id = '{}' AND (p.address IS NOT NULL OR p.recipient_name IS NOT NULL)",
            id_of(&series)
        ))
        .await;
    assert!(
        left.is_empty(),
        "the occurrences' blocks are purged: {left:?}"
    );
    assert_eq!(held().await, 0, "and so is the template's");
}

#[tokio::test]
async fn cancelling_from_a_date_cancels_those_occurrences_tells_their_claimants_and_makes_no_more()
{
    let w = world().await;
    let volunteer = w.app.volunteer().await;
    let first = Utc::now() + chrono::Duration::days(1);
    let series = post_series(
        &w,
        &first.to_rfc3339(),
        json!({"freq": "weekly", "count": 12}),
    )
    .await;
    let items = series["occurrences"]["items"]
        .as_array()
        .expect("items")
        .clone();
    assert!(items.len() >= 8);
    let (kept, cancelled) = (id_of(&items[1]), id_of(&items[3]));
    w.app.claimed(&volunteer, &kept).await;
    w.app.claimed(&volunteer, &cancelled).await;
    w.app.deliver_mail().await;
    let before = w.app.mail_to(&volunteer.email).await.len();
    let path = format!("/api/v1/task-series/{}/cancel", id_of(&series));
    let from = items[3]["occurrence_date"].clone();

    let other_unit = w.app.service_unit("Hjemmetjenesten Kvelde").await;
    let stranger = w.app.staff(other_unit).await;
    assert_problem(
        w.app
            .post(
                &path,
                Some(&stranger.access_token),
                json!({"reason": "Feil", "from": from}),
            )
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        w.app
            .post(
                &path,
                Some(&w.staff.access_token),
                json!({"reason": " ", "from": from}),
            )
            .await,
        422,
        "validation_failed",
    )
    .await;

    let done = w
        .app
        .post(
            &path,
            Some(&w.staff.access_token),
            json!({"reason": "Ruth har flyttet", "from": from}),
        )
        .await;
    assert_eq!(done.status(), 200);
    let done: Value = done.json().await.expect("json");
    assert_eq!(done["cancelled_from"], from);
    let statuses: Vec<(String, String)> = done["occurrences"]["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|t| {
            (
                t["occurrence_date"].as_str().expect("date").to_owned(),
                t["status"].as_str().expect("status").to_owned(),
            )
        })
        .collect();
    let from = from.as_str().expect("date").to_owned();
    for (date, status) in &statuses {
        let expected = if *date >= from { "cancelled" } else { "open" };
        assert!(
            status == expected || (status == "filled" && expected == "open"),
            "{date}: {status}"
        );
    }
    assert_eq!(
        w.app.task_as(&volunteer, &kept).await["my_claim"]["status"],
        "active"
    );
    assert_eq!(
        w.app.task_as(&volunteer, &cancelled).await["my_claim"]["status"],
        "voided"
    );
    let told = w.app.mail_to(&volunteer.email).await;
    assert_eq!(
        told.len(),
        before + 1,
        "one email, for the one claim cancelled"
    );
    assert!(
        told.last()
            .expect("mail")
            .text_body()
            .contains("Ruth har flyttet")
    );
    // Later runs make nothing from that date on.
    let later = (Utc::now() + chrono::Duration::weeks(6)).to_rfc3339();
    assert_eq!(generate_at(&w.app, &later).await, 0);
    let after = w
        .app
        .query_json(&format!(
            "SELECT occurrence_date FROM tasks WHERE series_id = '{}' AND status <> 'cancelled' AND occurrence_date >= '{from}'",
            id_of(&series)
        ))
        .await;
    assert!(after.is_empty(), "{after:?}");
}

#[tokio::test]
async fn a_series_claim_takes_each_occurrence_it_may_and_each_is_released_on_its_own() {
    let w = world().await;
    let volunteer = w.app.volunteer().await;
    let rival = w.app.volunteer().await;
    let first = Utc::now() + chrono::Duration::days(1);
    let series = post_series(
        &w,
        &first.to_rfc3339(),
        json!({"freq": "weekly", "count": 4}),
    )
    .await;
    let items = series["occurrences"]["items"]
        .as_array()
        .expect("items")
        .clone();
    assert_eq!(items.len(), 4);
    // The second is taken by someone else already: its one spot is gone.
    w.app.claimed(&rival, &id_of(&items[1])).await;
    w.app.deliver_mail().await;
    let before = w.app.mail_to(&volunteer.email).await.len();

    let path = format!("/api/v1/task-series/{}/claim", id_of(&series));
    let answer = w
        .app
        .send(
            w.app
                .client
                .post(w.app.url(&path))
                .bearer_auth(&volunteer.access_token)
                .header("Idempotency-Key", "series-claim-1")
                .json(&json!({})),
        )
        .await;
    assert_eq!(answer.status(), 200);
    let outcomes: Value = answer.json().await.expect("json");
    let per: Vec<(bool, Value)> = outcomes["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|o| {
            (
                o["claimed"].as_bool().expect("claimed"),
                o["refused"].clone(),
            )
        })
        .collect();
    assert_eq!(
        per,
        vec![
            (true, Value::Null),
            (false, json!("task_full")),
            (true, Value::Null),
            (true, Value::Null),
        ]
    );
    let mails = w.app.mail_to(&volunteer.email).await;
    assert_eq!(mails.len(), before + 1, "one confirmation for the three");
    let confirmation = mails.last().expect("mail");
    assert!(
        confirmation
            .header("Subject")
            .is_some_and(|s| s.contains("3 ganger")),
        "{:?}",
        confirmation.header("Subject")
    );
    // A retry with the same key changes nothing and answers the same.
    let again = w
        .app
        .send(
            w.app
                .client
                .post(w.app.url(&path))
                .bearer_auth(&volunteer.access_token)
                .header("Idempotency-Key", "series-claim-1")
                .json(&json!({})),
        )
        .await;
    assert_eq!(
        again
            .headers()
            .get("Idempotent-Replayed")
            .map(|v| v.as_bytes()),
        Some(&b"true"[..])
    );
    assert_eq!(again.json::<Value>().await.expect("json"), outcomes);

    // One occurrence released on its own leaves the others.
    assert_eq!(
        w.app.release(&volunteer, &id_of(&items[2])).await.status(),
        200
    );
    assert_eq!(
        w.app.task_as(&volunteer, &id_of(&items[3])).await["my_claim"]["status"],
        "active"
    );
    // Releasing the series gives back what is left, and only the caller's.
    let released = w
        .app
        .post(
            &format!("/api/v1/task-series/{}/release", id_of(&series)),
            Some(&volunteer.access_token),
            json!({}),
        )
        .await;
    assert_eq!(released.status(), 200);
    let released: Value = released.json().await.expect("json");
    assert_eq!(released["items"].as_array().map(Vec::len), Some(2));
    for item in &items {
        let seen = w.app.task_as(&volunteer, &id_of(item)).await;
        assert_ne!(seen["my_claim"]["status"], "active");
    }
    assert_eq!(
        w.app.task_as(&rival, &id_of(&items[1])).await["my_claim"]["status"],
        "active"
    );
    // Staff do not claim.
    assert_problem(
        w.app
            .post(&path, Some(&w.staff.access_token), json!({}))
            .await,
        403,
        "forbidden",
    )
    .await;
    w.app.deliver_mail().await;
}

async fn series_claim(
    w: &World,
    who: &crate::helpers::TestUser,
    series: &Value,
    key: &str,
    body: Value,
) -> Value {
    let answer = w
        .app
        .send(
            w.app
                .client
                .post(
                    w.app
                        .url(&format!("/api/v1/task-series/{}/claim", id_of(series))),
                )
                .bearer_auth(&who.access_token)
                .header("Idempotency-Key", key)
                .json(&body),
        )
        .await;
    let status = answer.status();
    let text = answer.text().await.expect("body");
    assert_eq!(status, 200, "a series claim: {text}");
    serde_json::from_str(&text).expect("json")
}

async fn following(w: &World, who: &crate::helpers::TestUser, series: &Value) -> Value {
    let seen: Value = w
        .app
        .get_as(
            &format!("/api/v1/task-series/{}", id_of(series)),
            &who.access_token,
        )
        .await
        .json()
        .await
        .expect("json");
    seen["following"].clone()
}

/// The dates of the occurrences of `series` on which `who` has a claim in one of
/// `statuses`.
async fn dates_claimed(
    w: &World,
    who: &crate::helpers::TestUser,
    series: &Value,
    statuses: &[&str],
) -> Vec<String> {
    let statuses = statuses
        .iter()
        .map(|s| format!("'{s}'"))
        .collect::<Vec<_>>()
        .join(", ");
    w.app
        .query_json(&format!(
            "SELECT t.occurrence_date::text AS d FROM claims c JOIN tasks t ON t.id = c.task_id \
             WHERE t.series_id = '{}' AND c.volunteer_id = '{}' AND c.status IN ({statuses}) \
             ORDER BY t.occurrence_date",
            id_of(series),
            who.id
        ))
        .await
        .iter()
        .map(|r| r["d"].as_str().expect("date").to_owned())
        .collect()
}

/// The occurrences `who` holds or held to the end (a job run later in time completes the
/// claims on those that are over), by date.
async fn held_dates(w: &World, who: &crate::helpers::TestUser, series: &Value) -> Vec<String> {
    dates_claimed(w, who, series, &["active", "completed"]).await
}

#[tokio::test]
async fn following_a_series_gives_the_follower_each_new_occurrence_with_a_way_out_until_the_council_opts_out()
 {
    let w = world().await;
    let admin = w.app.admin().await;
    let follower = w.app.volunteer().await;
    // The follower has turned off claim confirmations: the follow's notice comes anyway.
    let off = w
        .app
        .patch(
            "/api/v1/me",
            Some(&follower.access_token),
            json!({"notifications": {"claim_confirmation": false}}),
        )
        .await;
    assert_eq!(off.status(), 200);
    let first = Utc::now() + chrono::Duration::days(1);
    let series = post_series(
        &w,
        &first.to_rfc3339(),
        json!({"freq": "weekly", "count": 30}),
    )
    .await;
    let items = series["occurrences"]["items"]
        .as_array()
        .expect("items")
        .clone();
    let made = items.len();
    let answer = series_claim(&w, &follower, &series, "follow-1", json!({"follow": true})).await;
    assert_eq!(answer["following"]["active"], true, "{answer}");
    assert_eq!(answer["follow_refused"], Value::Null);
    let expires = at(answer["following"]["expires_at"].as_str().expect("expiry"));
    assert!(
        (expires - Utc::now() - chrono::Duration::weeks(12))
            .num_minutes()
            .abs()
            < 5,
        "twelve weeks: {expires}"
    );
    assert_eq!(held_dates(&w, &follower, &series).await.len(), made);

    // Releasing one occurrence leaves the others but ends the follow: after a "no" to one
    // date, nothing more is taken in the volunteer's name.
    assert_eq!(
        w.app.release(&follower, &id_of(&items[1])).await.status(),
        200
    );
    assert_eq!(held_dates(&w, &follower, &series).await.len(), made - 1);
    let ended = following(&w, &follower, &series).await;
    assert_eq!(ended["active"], false, "{ended}");
    assert_eq!(ended["end_reason"], "released");
    let week = noon_weeks_after_posting(&w.app, first, 1);
    assert_eq!(generate_at(&w.app, &week).await, 1);
    assert_eq!(
        held_dates(&w, &follower, &series).await.len(),
        made - 1,
        "the new occurrence is not claimed for an ended follow"
    );

    // Following again is the volunteer's own act, and from then on the job gives them
    // each new occurrence.
    let again = series_claim(&w, &follower, &series, "follow-2", json!({"follow": true})).await;
    assert_eq!(again["following"]["active"], true, "{again}");
    let with_again = held_dates(&w, &follower, &series).await.len();
    w.app.deliver_mail().await;
    let before = w.app.mail_to(&follower.email).await.len();
    let two_weeks = noon_weeks_after_posting(&w.app, first, 2);
    assert_eq!(generate_at(&w.app, &two_weeks).await, 1);
    let held = held_dates(&w, &follower, &series).await;
    assert_eq!(
        held.len(),
        with_again + 1,
        "the new one is the follower's: {held:?}"
    );
    w.app.deliver_mail().await;
    let mails = w.app.mail_to(&follower.email).await;
    let notices: Vec<_> = mails[before..]
        .iter()
        .filter(|m| {
            m.header("Subject")
                .is_some_and(|s| s.starts_with("Ny gang satt av til deg"))
        })
        .collect();
    assert_eq!(notices.len(), 1, "one notice for the new occurrence");
    let notice = notices[0];
    assert!(notice.text_body().contains("Trekk meg fra denne gangen"));
    assert!(
        notice
            .text_body()
            .contains("slutter du også å følge serien")
    );
    // Its link gives that occurrence back in one press, and only that one; the follow
    // ends with it.
    let token = notice.link_token("release");
    let released = w
        .app
        .call(
            reqwest::Method::POST,
            &format!("/api/v1/links/release?token={token}"),
            None,
            None,
        )
        .await;
    assert_eq!(released.status(), 200);
    let after_link = held_dates(&w, &follower, &series).await;
    assert_eq!(after_link.len(), with_again);
    assert!(!after_link.contains(held.last().expect("the newest")));
    assert_eq!(
        following(&w, &follower, &series).await["end_reason"],
        "released"
    );
    let renewed = series_claim(&w, &follower, &series, "follow-3", json!({"follow": true})).await;
    assert_eq!(renewed["following"]["active"], true, "{renewed}");
    let held_now = held_dates(&w, &follower, &series).await.len();

    // The council opts out: the follow ends, and no occurrence is made while it stands.
    stavern_opts_out_of_walks(&w, &admin).await;
    let ended = following(&w, &follower, &series).await;
    assert_eq!(ended["active"], false);
    assert_eq!(ended["end_reason"], "council_opted_out");
    let later = noon_weeks_after_posting(&w.app, first, 3);
    assert_eq!(generate_at(&w.app, &later).await, 0);
    // Once the council takes the category again, occurrences come but nobody is given
    // them: following is the volunteer's own act, and they have not followed again.
    stavern_takes_walks_again(&w, &admin).await;
    assert!(generate_at(&w.app, &later).await > 0);
    assert_eq!(held_dates(&w, &follower, &series).await.len(), held_now);
    // The follow is the volunteer's data: their export has it, ended and why.
    let export: Value = w
        .app
        .get_as("/api/v1/me/export", &follower.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(export["series_follows"][0]["series_id"], id_of(&series));
    assert_eq!(
        export["series_follows"][0]["follow"]["end_reason"],
        "council_opted_out"
    );
    w.app.deliver_mail().await;
}

/// The volunteer's active claims on occurrences of `series`, by date.
async fn active_dates(w: &World, who: &crate::helpers::TestUser, series: &Value) -> Vec<String> {
    dates_claimed(w, who, series, &["active"]).await
}

#[tokio::test]
async fn a_follower_who_gave_every_occurrence_back_holds_nothing_after_staff_rewrite_the_series() {
    let w = world().await;
    let follower = w.app.volunteer().await;
    let first = Utc::now() + chrono::Duration::days(1);
    let series = post_series(
        &w,
        &first.to_rfc3339(),
        json!({"freq": "weekly", "count": 30}),
    )
    .await;
    series_claim(&w, &follower, &series, "follow-r", json!({"follow": true})).await;
    let held = active_dates(&w, &follower, &series).await;
    assert!(held.len() >= 8, "{held:?}");
    for item in series["occurrences"]["items"].as_array().expect("items") {
        assert_eq!(w.app.release(&follower, &id_of(item)).await.status(), 200);
    }
    assert_eq!(
        active_dates(&w, &follower, &series).await,
        Vec::<String>::new()
    );
    assert_eq!(
        following(&w, &follower, &series).await["end_reason"],
        "released"
    );

    // Staff make it another task altogether: title, category, weekday and 03:00.
    let weekday = if first.with_timezone(&chrono_tz::Europe::Oslo).weekday() == chrono::Weekday::Mon
    {
        "tu"
    } else {
        "mo"
    };
    let edited = w
        .app
        .patch(
            &format!("/api/v1/task-series/{}", id_of(&series)),
            Some(&w.staff.access_token),
            json!({
                "template": {"title": "Nattevakt", "category_id": w.app.category_id("shopping-errands").await},
                "by_weekday": [weekday],
                "local_time": "03:00"
            }),
        )
        .await;
    assert_eq!(edited.status(), 200);
    assert_eq!(
        active_dates(&w, &follower, &series).await,
        Vec::<String>::new(),
        "no claim the volunteer never chose"
    );
    // Nor when the job makes the next weeks.
    let later = noon_weeks_after_posting(&w.app, first, 3);
    assert!(generate_at(&w.app, &later).await > 0);
    assert_eq!(
        active_dates(&w, &follower, &series).await,
        Vec::<String>::new()
    );
    w.app.deliver_mail().await;
}

#[tokio::test]
async fn new_terms_end_the_follow_tell_the_follower_and_the_job_claims_nothing_on_them() {
    let w = world().await;
    let follower = w.app.volunteer().await;
    let first = Utc::now() + chrono::Duration::days(1);
    let series = post_series(
        &w,
        &first.to_rfc3339(),
        json!({"freq": "weekly", "count": 30}),
    )
    .await;
    series_claim(&w, &follower, &series, "follow-t", json!({"follow": true})).await;
    let held = active_dates(&w, &follower, &series).await;
    w.app.deliver_mail().await;
    let before = w.app.mail_to(&follower.email).await.len();
    let path = format!("/api/v1/task-series/{}", id_of(&series));

    // A new description or spot count is not a new series: the follow stands.
    let small = w
        .app
        .patch(
            &path,
            Some(&w.staff.access_token),
            json!({"template": {"description": "Ta med paraply.", "spots": 2}}),
        )
        .await;
    assert_eq!(small.status(), 200);
    assert_eq!(following(&w, &follower, &series).await["active"], true);

    // Another time of day is: the follow ends and the follower is told.
    let moved = w
        .app
        .patch(
            &path,
            Some(&w.staff.access_token),
            json!({"local_time": "18:30"}),
        )
        .await;
    assert_eq!(moved.status(), 200);
    let ended = following(&w, &follower, &series).await;
    assert_eq!(ended["active"], false, "{ended}");
    assert_eq!(ended["end_reason"], "terms_changed");
    w.app.deliver_mail().await;
    let mails = w.app.mail_to(&follower.email).await;
    assert!(
        mails[before..].iter().any(|m| m
            .header("Subject")
            .is_some_and(|s| s == "Du følger ikke lenger serien «Tur med Ruth»")
            && m.text_body().contains("følge den igjen")),
        "{:?}",
        mails[before..]
            .iter()
            .map(|m| m.header("Subject"))
            .collect::<Vec<_>>()
    );
    // What they hold stays theirs (they were told of the new time as for any task edit);
    // the job gives them nothing new.
    assert_eq!(active_dates(&w, &follower, &series).await, held);
    let later = noon_weeks_after_posting(&w.app, first, 3);
    assert!(generate_at(&w.app, &later).await > 0);
    assert_eq!(held_dates(&w, &follower, &series).await, held);

    // Following again is on the new terms, and the job honours it.
    let again = series_claim(&w, &follower, &series, "follow-t2", json!({"follow": true})).await;
    assert_eq!(again["following"]["active"], true, "{again}");
    let now_held = held_dates(&w, &follower, &series).await.len();
    let even_later = noon_weeks_after_posting(&w.app, first, 4);
    assert_eq!(generate_at(&w.app, &even_later).await, 1);
    assert_eq!(held_dates(&w, &follower, &series).await.len(), now_held + 1);
    w.app.deliver_mail().await;
}

#[tokio::test]
async fn a_follow_ends_after_twelve_weeks_unless_renewed_and_ends_with_the_account() {
    let w = world().await;
    let admin = w.app.admin().await;
    let follower = w.app.volunteer().await;
    let first = Utc::now() + chrono::Duration::days(1);
    let series = post_series(
        &w,
        &first.to_rfc3339(),
        json!({"freq": "weekly", "count": 40}),
    )
    .await;
    series_claim(&w, &follower, &series, "follow-a", json!({"follow": true})).await;
    let held = held_dates(&w, &follower, &series).await.len();

    // Thirteen weeks on, without a renewal, the follow has run out: the occurrences the
    // job makes now are nobody's.
    let thirteen = (Utc::now() + chrono::Duration::weeks(13)).to_rfc3339();
    assert!(generate_at(&w.app, &thirteen).await > 0);
    assert_eq!(held_dates(&w, &follower, &series).await.len(), held);
    let ended = following(&w, &follower, &series).await;
    assert_eq!(ended["active"], false, "{ended}");
    assert_eq!(ended["end_reason"], "expired");

    // Following again renews it for twelve weeks; deactivation ends it.
    let renewed = series_claim(&w, &follower, &series, "follow-b", json!({"follow": true})).await;
    assert_eq!(renewed["following"]["active"], true);
    assert_eq!(renewed["following"]["end_reason"], Value::Null);
    let off = w
        .app
        .patch(
            &format!("/api/v1/users/{}", follower.id),
            Some(&admin.access_token),
            json!({"active": false}),
        )
        .await;
    assert_eq!(off.status(), 200, "{:?}", off.text().await);
    let rows = w
        .app
        .query_json(&format!(
            "SELECT end_reason FROM series_follows WHERE user_id = '{}'",
            follower.id
        ))
        .await;
    assert_eq!(rows, vec![json!({"end_reason": "deactivated"})]);
    w.app.deliver_mail().await;
}

#[tokio::test]
async fn a_follow_is_not_started_while_the_council_has_opted_out_and_staff_cannot_follow() {
    let w = world().await;
    let admin = w.app.admin().await;
    let volunteer = w.app.volunteer().await;
    let first = Utc::now() + chrono::Duration::days(1);
    let series = post_series(
        &w,
        &first.to_rfc3339(),
        json!({"freq": "weekly", "count": 3}),
    )
    .await;
    stavern_opts_out_of_walks(&w, &admin).await;
    let answer = series_claim(&w, &volunteer, &series, "follow-x", json!({"follow": true})).await;
    assert_eq!(answer["following"], Value::Null);
    assert_eq!(answer["follow_refused"], "council_opted_out");
    assert_eq!(following(&w, &volunteer, &series).await, Value::Null);
    assert_problem(
        w.app
            .post(
                &format!("/api/v1/task-series/{}/claim", id_of(&series)),
                Some(&w.staff.access_token),
                json!({"follow": true}),
            )
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        w.app
            .post(
                &format!("/api/v1/task-series/{}/claim", id_of(&series)),
                Some(&volunteer.access_token),
                json!({"follow": "yes"}),
            )
            .await,
        422,
        "validation_failed",
    )
    .await;
    w.app.deliver_mail().await;
}

#[tokio::test]
async fn editing_a_series_from_a_date_changes_those_occurrences_tells_their_claimants_and_refuses_moving_a_held_one()
 {
    let w = world().await;
    let volunteer = w.app.volunteer().await;
    let first = Utc::now() + chrono::Duration::days(1);
    let series = post_series(
        &w,
        &first.to_rfc3339(),
        json!({"freq": "weekly", "count": 6}),
    )
    .await;
    let items = series["occurrences"]["items"]
        .as_array()
        .expect("items")
        .clone();
    assert_eq!(items.len(), 6);
    w.app.claimed(&volunteer, &id_of(&items[2])).await;
    w.app.deliver_mail().await;
    let before = w.app.mail_to(&volunteer.email).await.len();
    let path = format!("/api/v1/task-series/{}", id_of(&series));
    let from = items[1]["occurrence_date"]
        .as_str()
        .expect("date")
        .to_owned();

    // A category change would move a held occurrence out of what its volunteer took: 409,
    // and nothing is written.
    let walks_elsewhere = w.app.category_id("meal-company").await;
    assert_problem(
        w.app
            .patch(
                &path,
                Some(&w.staff.access_token),
                json!({"from": from, "template": {"title": "Nytt navn", "category_id": walks_elsewhere}}),
            )
            .await,
        409,
        "conflict",
    )
    .await;
    let weekday = if first.with_timezone(&chrono_tz::Europe::Oslo).weekday() == chrono::Weekday::Mon
    {
        "tu"
    } else {
        "mo"
    };
    assert_problem(
        w.app
            .patch(
                &path,
                Some(&w.staff.access_token),
                json!({"from": from, "by_weekday": [weekday]}),
            )
            .await,
        409,
        "conflict",
    )
    .await;
    assert_problem(
        w.app
            .patch(
                &path,
                Some(&w.staff.access_token),
                json!({"local_time": "25:00"}),
            )
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_problem(
        w.app
            .patch(
                &path,
                Some(&volunteer.access_token),
                json!({"local_time": "11:00"}),
            )
            .await,
        403,
        "forbidden",
    )
    .await;
    let unchanged: Value = w
        .app
        .get_as(&path, &w.staff.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(unchanged["title"], "Tur med Ruth");
    assert_eq!(
        unchanged["occurrences"]["items"][3]["title"],
        "Tur med Ruth"
    );

    // A new title and time from the second occurrence on.
    let edited = w
        .app
        .patch(
            &path,
            Some(&w.staff.access_token),
            json!({"from": from, "template": {"title": "Tur med Ruth og Per"}, "local_time": "11:15"}),
        )
        .await;
    assert_eq!(edited.status(), 200);
    let edited: Value = edited.json().await.expect("json");
    assert_eq!(edited["local_time"], "11:15");
    let now_items = edited["occurrences"]["items"].as_array().expect("items");
    assert_eq!(now_items.len(), 6);
    assert_eq!(
        now_items[0]["title"], "Tur med Ruth",
        "before the date: as it was"
    );
    for item in &now_items[1..] {
        assert_eq!(item["title"], "Tur med Ruth og Per");
        let local =
            at(item["starts_at"].as_str().expect("start")).with_timezone(&chrono_tz::Europe::Oslo);
        assert_eq!(local.format("%H:%M").to_string(), "11:15");
    }
    assert_eq!(
        w.app.task_as(&volunteer, &id_of(&items[2])).await["my_claim"]["status"],
        "active",
        "the claim stands"
    );
    let events = edited["events"].as_array().expect("events");
    assert_eq!(events.last().expect("edit")["kind"], "edited");
    assert_eq!(
        events.last().expect("edit")["fields"],
        json!(["title", "local_time"])
    );
    assert_eq!(events.last().expect("edit")["from"], json!(from));
    w.app.deliver_mail().await;
    let mails = w.app.mail_to(&volunteer.email).await;
    assert_eq!(
        mails.len(),
        before + 1,
        "the claimant hears of the change once"
    );
}

#[tokio::test]
async fn the_templates_private_block_is_edited_from_a_date_and_only_the_unit_reads_it() {
    let w = world().await;
    let volunteer = w.app.volunteer().await;
    let first = Utc::now() + chrono::Duration::days(1);
    let series = post_series(
        &w,
        &first.to_rfc3339(),
        json!({"freq": "weekly", "count": 3}),
    )
    .await;
    let items = series["occurrences"]["items"]
        .as_array()
        .expect("items")
        .clone();
    w.app.claimed(&volunteer, &id_of(&items[2])).await;
    let path = format!("/api/v1/task-series/{}", id_of(&series));
    let from = items[1]["occurrence_date"]
        .as_str()
        .expect("date")
        .to_owned();
    assert_problem(
        w.app
            .patch(
                &path,
                Some(&w.staff.access_token),
                json!({"from": from, "template": {"private": {"recipient_phone": "9".repeat(40)}}}),
            )
            .await,
        422,
        "validation_failed",
    )
    .await;
    let edited = w
        .app
        .patch(
            &path,
            Some(&w.staff.access_token),
            json!({"from": from, "template": {"private": {"notes": "Nøkkelboks ved døra", "recipient_name": null}}}),
        )
        .await;
    assert_eq!(edited.status(), 200);
    let edited: Value = edited.json().await.expect("json");
    assert_eq!(edited["private"]["notes"], "Nøkkelboks ved døra");
    assert_eq!(edited["private"]["address"], "Storgata 9", "untouched");
    assert!(edited["private"]["recipient_name"].is_null(), "cleared");
    let event = edited["events"]
        .as_array()
        .expect("events")
        .last()
        .expect("edit")
        .clone();
    assert_eq!(event["fields"], json!(["private"]));
    assert!(
        !event.to_string().contains("Nøkkelboks"),
        "no content in the history"
    );

    let block = |task: Value| task["private"].clone();
    let first_one = block(w.app.task_as(&w.staff, &id_of(&items[0])).await);
    assert!(first_one["notes"].is_null(), "before the date: as it was");
    assert_eq!(first_one["recipient_name"], "Ruth Hansen");
    let held = block(w.app.task_as(&volunteer, &id_of(&items[2])).await);
    assert_eq!(
        held["notes"], "Nøkkelboks ved døra",
        "the claimant reads it"
    );
    assert!(held["recipient_name"].is_null());
    // A volunteer reads the series without its block.
    let public: Value = w
        .app
        .get_as(&path, &volunteer.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert!(public.get("private").is_none(), "{public}");
    w.app.deliver_mail().await;
}
