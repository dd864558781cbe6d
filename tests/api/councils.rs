//! Council opt-outs, reviews and the overview over real HTTP, PostgreSQL and SMTP.

use dugnad::domain::account::Role;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestUser, assert_problem};

struct Council {
    app: TestApp,
    council: uuid::Uuid,
    category: uuid::Uuid,
    coordinator: TestUser,
    staff: TestUser,
    unit: uuid::Uuid,
}

async fn council() -> Council {
    let app = TestApp::spawn().await;
    let council = app.council_id("Kvelde").await;
    let category = app.category_id("flag-raising").await;
    let coordinator = app
        .create_user(Role::Coordinator, None, Some(council))
        .await;
    let unit = app.service_unit("Kvelde bo- og servicesenter").await;
    let staff = app.staff(unit).await;
    Council {
        app,
        council,
        category,
        coordinator,
        staff,
        unit,
    }
}

impl Council {
    fn opt_out_path(&self) -> String {
        format!(
            "/api/v1/councils/{}/opt-outs/{}",
            self.council, self.category
        )
    }

    async fn opt_out(&self, user: &TestUser) -> crate::helpers::TestResponse {
        self.app
            .call(
                Method::PUT,
                &self.opt_out_path(),
                Some(&user.access_token),
                Some(json!({"reason": "Vi har ikke folk til å heise flagg hver dag"})),
            )
            .await
    }

    async fn post(&self, council: Option<uuid::Uuid>) -> Value {
        self.app
            .post_task(
                &self.staff,
                json!({"category_id": self.category, "council_id": council, "spots": 2}),
            )
            .await
    }
}

fn id_of(v: &Value) -> String {
    v["id"].as_str().expect("id").to_owned()
}

#[tokio::test]
async fn an_opt_out_is_honoured_everywhere_at_once() {
    let c = council().await;
    let unclaimed = id_of(&c.post(Some(c.council)).await);
    let claimed = id_of(&c.post(Some(c.council)).await);
    let municipality_wide = id_of(&c.post(None).await);
    let volunteer = c.app.volunteer().await;
    let other = c.app.volunteer().await;
    assert_eq!(
        c.app
            .call(
                Method::POST,
                &format!("/api/v1/tasks/{claimed}/claim"),
                Some(&volunteer.access_token),
                None
            )
            .await
            .status(),
        201
    );

    let response = c.opt_out(&c.coordinator).await;
    assert_eq!(response.status(), 201);
    let opt_out: Value = response.json().await.expect("json");
    let next_year = (chrono::Utc::now() + chrono::Duration::days(365)).date_naive();
    let review_by =
        chrono::NaiveDate::parse_from_str(opt_out["review_by"].as_str().expect("date"), "%Y-%m-%d")
            .expect("date");
    assert!(
        (review_by - next_year).num_days().abs() <= 1,
        "a year ahead by default"
    );
    assert_eq!(
        c.opt_out(&c.coordinator).await.status(),
        200,
        "already in force"
    );

    // Posting that category to that council is refused, naming the opt-out.
    let response = c
        .app
        .post("/api/v1/tasks", Some(&c.staff.access_token), json!({"title": "Flagg", "description": "Heise flagget", "category_id": c.category, "council_id": c.council, "starts_at": (chrono::Utc::now() + chrono::Duration::days(2)).to_rfc3339()}))
        .await;
    let problem = assert_problem(response, 409, "council_opted_out").await;
    assert_eq!(problem["council_id"], c.council.to_string());
    assert_eq!(problem["category_id"], c.category.to_string());
    assert!(
        problem["reason"]
            .as_str()
            .expect("reason")
            .contains("heise flagg")
    );
    assert!(problem["since"].is_string());

    // The open unclaimed task is withdrawn and its unit emailed.
    let task: Value = c
        .app
        .get_as(&format!("/api/v1/tasks/{unclaimed}"), &c.staff.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(task["status"], "withdrawn");
    let mails = c.app.mail_to(&format!("unit-{}@larvik.test", c.unit)).await;
    let withdrawn = mails
        .iter()
        .find(|m| {
            m.header("Subject")
                .is_some_and(|s| s.starts_with("Trukket tilbake"))
        })
        .expect("withdrawal email");
    assert!(withdrawn.text_body().contains("heise flagg"));

    // The claimed task keeps its claim, takes no new ones and leaves the feed.
    let task: Value = c
        .app
        .get_as(&format!("/api/v1/tasks/{claimed}"), &volunteer.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(task["status"], "open");
    assert_eq!(task["my_claim"]["status"], "active");
    let refused = c
        .app
        .call(
            Method::POST,
            &format!("/api/v1/tasks/{claimed}/claim"),
            Some(&other.access_token),
            None,
        )
        .await;
    assert_problem(refused, 409, "council_opted_out").await;
    let feed: Value = c
        .app
        .get_as("/api/v1/tasks?limit=100", &other.access_token)
        .await
        .json()
        .await
        .expect("json");
    let ids: Vec<&str> = feed["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|t| t["id"].as_str().expect("id"))
        .collect();
    assert!(!ids.contains(&claimed.as_str()) && !ids.contains(&unclaimed.as_str()));
    // A municipality-wide task of the same category is untouched.
    assert!(ids.contains(&municipality_wide.as_str()));
    // The volunteer who holds it may still release.
    assert_eq!(
        c.app
            .call(
                Method::POST,
                &format!("/api/v1/tasks/{claimed}/release"),
                Some(&volunteer.access_token),
                None
            )
            .await
            .status(),
        200
    );
    c.app.deliver_mail().await;
}

#[tokio::test]
async fn another_councils_coordinator_and_volunteers_are_refused() {
    let c = council().await;
    let stranger = c
        .app
        .create_user(
            Role::Coordinator,
            None,
            Some(c.app.council_id("Stavern").await),
        )
        .await;
    assert_problem(c.opt_out(&stranger).await, 403, "forbidden").await;
    let volunteer = c.app.volunteer().await;
    assert_problem(c.opt_out(&volunteer).await, 403, "forbidden").await;
    let admin = c.app.admin().await;
    assert_eq!(c.opt_out(&admin).await.status(), 201);
    let delete = c
        .app
        .call(
            Method::DELETE,
            &format!("{}?reason=nei", c.opt_out_path()),
            Some(&stranger.access_token),
            None,
        )
        .await;
    assert_problem(delete, 403, "forbidden").await;
    let reviews = c
        .app
        .get_as(
            &format!("/api/v1/councils/{}/reviews", c.council),
            &stranger.access_token,
        )
        .await;
    assert_problem(reviews, 403, "forbidden").await;
    let overview = c
        .app
        .get_as(
            &format!("/api/v1/councils/{}/overview", c.council),
            &stranger.access_token,
        )
        .await;
    assert_problem(overview, 403, "forbidden").await;
}

#[tokio::test]
async fn opting_back_in_restores_nothing_and_the_history_keeps_both_events() {
    let c = council().await;
    let task = id_of(&c.post(Some(c.council)).await);
    c.opt_out(&c.coordinator).await;
    let no_reason = c
        .app
        .call(
            Method::DELETE,
            &c.opt_out_path(),
            Some(&c.coordinator.access_token),
            None,
        )
        .await;
    assert_problem(no_reason, 422, "validation_failed").await;
    let response = c
        .app
        .call(
            Method::DELETE,
            &format!("{}?reason=Nye%20frivillige", c.opt_out_path()),
            Some(&c.coordinator.access_token),
            None,
        )
        .await;
    assert_eq!(response.status(), 204);
    let again = c
        .app
        .call(
            Method::DELETE,
            &format!("{}?reason=x", c.opt_out_path()),
            Some(&c.coordinator.access_token),
            None,
        )
        .await;
    assert_problem(again, 404, "not_found").await;

    let task: Value = c
        .app
        .get_as(&format!("/api/v1/tasks/{task}"), &c.staff.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(task["status"], "withdrawn", "stays withdrawn");
    c.post(Some(c.council)).await;

    let in_force: Value = c
        .app
        .get(&format!("/api/v1/councils/{}/opt-outs", c.council))
        .await
        .json()
        .await
        .expect("json");
    assert!(in_force["items"].as_array().expect("items").is_empty());
    let history: Value = c
        .app
        .get(&format!("/api/v1/councils/{}/opt-out-events", c.council))
        .await
        .json()
        .await
        .expect("json");
    let events = history["items"].as_array().expect("items");
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| e["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(kinds, vec!["opt_out", "opt_in"]);
    // The public history says what, when and why — never who.
    let coordinator = c.coordinator.id.to_string();
    assert!(
        !history.to_string().contains(&coordinator),
        "no person's id in the public history: {history}"
    );

    assert_eq!(events[1]["reason"], "Nye frivillige");
    c.app.deliver_mail().await;
}

#[tokio::test]
async fn a_concurrent_opt_out_and_claim_end_consistent() {
    let c = council().await;
    for _ in 0..6 {
        let task = id_of(&c.post(Some(c.council)).await);
        let volunteer = c.app.quick_volunteers(1).await.remove(0);
        let claim_path = format!("/api/v1/tasks/{task}/claim");
        let (claim, opt_out) = tokio::join!(
            c.app.call(
                Method::POST,
                &claim_path,
                Some(&volunteer.access_token),
                None
            ),
            c.opt_out(&c.coordinator)
        );
        assert!(opt_out.status().is_success());
        let claimed = claim.status() == 201;
        let rows = c
            .app
            .query_json(&format!(
                "SELECT status, active_claims FROM tasks WHERE id = '{task}'"
            ))
            .await;
        let status = rows[0]["status"].as_str().expect("status");
        let active = rows[0]["active_claims"].as_i64().expect("active");
        if claimed {
            assert_eq!(
                (status, active),
                ("open", 1),
                "the claim came first and the task kept it"
            );
        } else {
            assert_eq!((status, active), ("withdrawn", 0), "the opt-out came first");
        }
        c.app
            .call(
                Method::DELETE,
                &format!("{}?reason=neste%20runde", c.opt_out_path()),
                Some(&c.coordinator.access_token),
                None,
            )
            .await;
    }
    let bad = c
        .app
        .query_json(
            "SELECT count(*) AS n FROM tasks WHERE status = 'withdrawn' AND active_claims > 0",
        )
        .await;
    assert_eq!(bad[0]["n"], 0);
    c.app.deliver_mail().await;
}

#[tokio::test]
async fn a_review_applies_its_decisions_atomically() {
    let c = council().await;
    let admin = c.app.admin().await;
    let walks = c.app.category_id("walks-outdoor").await;
    let digital = c.app.category_id("digital-help").await;
    let garden = c.app.category_id("garden-beautification").await;
    for category in [c.category, walks] {
        let path = format!("/api/v1/councils/{}/opt-outs/{category}", c.council);
        c.app
            .call(
                Method::PUT,
                &path,
                Some(&c.coordinator.access_token),
                Some(json!({"reason": "For få frivillige"})),
            )
            .await;
    }
    let path = format!("/api/v1/councils/{}/reviews", c.council);
    let today = chrono::Utc::now().date_naive();
    // One invalid decision (opting in to a category never opted out of) rolls back all.
    let invalid = c
        .app
        .post(&path, Some(&c.coordinator.access_token), json!({"held_on": today, "participants": "Utvalget og kommunen", "notes": "Årsmøte",
            "decisions": [{"category_id": c.category, "decision": "keep"}, {"category_id": digital, "decision": "opt_in"}]}))
        .await;
    let problem = assert_problem(invalid, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "decisions[1]");
    let reviews: Value = c
        .app
        .get_as(&path, &c.coordinator.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert!(reviews["items"].as_array().expect("items").is_empty());

    let response = c
        .app
        .post(&path, Some(&admin.access_token), json!({"held_on": today, "participants": "Utvalget og kommunen", "notes": "Årsmøte",
            "decisions": [{"category_id": c.category, "decision": "keep"}, {"category_id": walks, "decision": "opt_in"}, {"category_id": garden, "decision": "take_on"}]}))
        .await;
    assert_eq!(response.status(), 201);
    let review: Value = response.json().await.expect("json");
    assert_eq!(review["decisions"].as_array().expect("decisions").len(), 3);

    let in_force: Value = c
        .app
        .get(&format!("/api/v1/councils/{}/opt-outs", c.council))
        .await
        .json()
        .await
        .expect("json");
    let items = in_force["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "walks is opted back in");
    assert_eq!(items[0]["category_id"], c.category.to_string());
    let expected = today
        .checked_add_months(chrono::Months::new(12))
        .expect("date");
    assert_eq!(
        items[0]["review_by"],
        expected.to_string(),
        "keep moves review_by to held_on + 1 year"
    );
}

#[tokio::test]
async fn reviews_past_their_date_are_listed_as_due() {
    let c = council().await;
    let admin = c.app.admin().await;
    c.opt_out(&c.coordinator).await;
    assert!(
        c.app
            .get(&format!("/api/v1/councils/{}/opt-outs?due=true", c.council))
            .await
            .json::<Value>()
            .await
            .expect("json")["items"]
            .as_array()
            .expect("items")
            .is_empty()
    );
    c.app
        .sql("UPDATE council_opt_outs SET review_by = current_date - 1")
        .await;
    let due: Value = c
        .app
        .get(&format!("/api/v1/councils/{}/opt-outs?due=true", c.council))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(due["items"].as_array().expect("items").len(), 1);
    let everywhere: Value = c
        .app
        .get_as("/api/v1/reviews/due", &admin.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(everywhere["items"][0]["council_id"], c.council.to_string());
    assert_problem(
        c.app
            .get_as("/api/v1/reviews/due", &c.coordinator.access_token)
            .await,
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn the_overview_figures_match_a_scripted_year_in_json_and_html() {
    let c = council().await;
    // Every task of the script starts three hours ago: inside one year in Oslo time.
    let start = chrono::Utc::now() - chrono::Duration::hours(3);
    let year = chrono::Datelike::year(&start.with_timezone(&chrono_tz::Europe::Oslo));
    let walks = c.app.category_id("walks-outdoor").await;
    let volunteers = c.app.quick_volunteers(3).await;
    // Walks: one task completed by two volunteers, one expired unclaimed, one cancelled
    // after a claim.
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(id_of(
            &c.app
                .post_task(
                    &c.staff,
                    json!({"category_id": walks, "council_id": c.council, "spots": 2}),
                )
                .await,
        ));
    }
    for v in &volunteers[..2] {
        c.app
            .call(
                Method::POST,
                &format!("/api/v1/tasks/{}/claim", ids[0]),
                Some(&v.access_token),
                None,
            )
            .await;
    }
    c.app
        .call(
            Method::POST,
            &format!("/api/v1/tasks/{}/claim", ids[2]),
            Some(&volunteers[2].access_token),
            None,
        )
        .await;
    c.app
        .post(
            &format!("/api/v1/tasks/{}/cancel", ids[2]),
            Some(&c.staff.access_token),
            json!({"reason": "Regn"}),
        )
        .await;
    let move_to_start = |ids: String| {
        format!(
            "UPDATE tasks SET starts_at = '{}', ends_at = '{}' WHERE id IN ({ids})",
            start.to_rfc3339(),
            (start + chrono::Duration::minutes(90)).to_rfc3339()
        )
    };
    c.app
        .sql(&move_to_start(
            ids.iter()
                .map(|i| format!("'{i}'"))
                .collect::<Vec<_>>()
                .join(", "),
        ))
        .await;
    let completed = c
        .app
        .post(
            &format!("/api/v1/tasks/{}/complete", ids[0]),
            Some(&c.staff.access_token),
            json!({}),
        )
        .await;
    assert_eq!(completed.status(), 200);
    c.app.run_jobs().await;
    // Flag raising: one open task, withdrawn by the opt-out.
    let flag = id_of(&c.post(Some(c.council)).await);
    c.opt_out(&c.coordinator).await;
    c.app.sql(&move_to_start(format!("'{flag}'"))).await;

    let path = format!("/api/v1/councils/{}/overview?year={year}", c.council);
    let body: Value = c
        .app
        .get_as(&path, &c.coordinator.access_token)
        .await
        .json()
        .await
        .expect("json");
    let row = |slug: &str| {
        body["categories"]
            .as_array()
            .expect("categories")
            .iter()
            .find(|r| r["slug"] == slug)
            .cloned()
            .expect("row")
    };
    let walks_row = row("walks-outdoor");
    let figures: Vec<&Value> = [
        "posted",
        "claimed",
        "completed",
        "withdrawn",
        "expired",
        "cancelled",
    ]
    .iter()
    .map(|k| &walks_row[*k])
    .collect();
    assert_eq!(
        figures,
        vec![
            &json!(3),
            &json!(2),
            &json!(1),
            &json!(0),
            &json!(1),
            &json!(1)
        ]
    );
    // Two volunteers did the walks: fewer than three people, so their hours and count
    // are not shown, here as in the report.
    assert_eq!(
        (&walks_row["hours"], &walks_row["volunteers"]),
        (&Value::Null, &Value::Null)
    );
    let flag_row = row("flag-raising");
    assert_eq!(
        (&flag_row["posted"], &flag_row["withdrawn"]),
        (&json!(1), &json!(1))
    );
    assert_eq!(
        body["opt_outs_in_force"]
            .as_array()
            .expect("in force")
            .len(),
        1
    );
    assert_eq!(
        body["opt_out_history"].as_array().expect("history").len(),
        1
    );

    let html = c
        .app
        .send(
            c.app
                .client
                .get(c.app.url(&format!(
                    "/api/v1/councils/{}/overview.html?year={year}",
                    c.council
                )))
                .bearer_auth(&c.coordinator.access_token),
        )
        .await;
    assert!(
        html.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("text/html")
    );
    let page = html.text().await.expect("html");
    assert!(page.contains("Kvelde nærmiljøutvalg") && page.contains("<svg"));
    assert!(page.contains("<td>Tur og friluft</td><td>3</td><td>2</td><td>1</td><td>0</td><td>1</td><td>–</td><td>–</td>"), "{page}");
    assert!(
        page.contains("<td>Flaggheising</td><td>1</td><td>0</td><td>0</td><td>1</td><td>0</td>"),
        "{page}"
    );
    assert!(page.contains("heise flagg"));
    assert!(
        !page.contains("src=") && !page.contains("<link"),
        "no external assets"
    );
    c.app.deliver_mail().await;
}
