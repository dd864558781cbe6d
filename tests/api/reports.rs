//! The programme report: a scripted year checked figure by figure, in JSON and CSV.

use dugnad::domain::account::Role;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestUser, assert_problem};

/// Four tasks of 2025 in Kvelde: one completed by three volunteers (starting 1 February
/// in Oslo, 31 January in UTC), one cancelled in January, two expired in March (one after a
/// release). Returns the coordinator of Kvelde.
async fn scripted_year(app: &TestApp) -> (TestUser, TestUser) {
    let unit = app.service_unit("Hjemmetjenesten Kvelde").await;
    let staff = app.staff(unit).await;
    let kvelde = app.council_id("Kvelde").await;
    let coordinator = app.create_user(Role::Coordinator, None, Some(kvelde)).await;
    let walks = app.category_id("walks-outdoor").await;
    let mut ids = Vec::new();
    for (day, spots) in [(2, 3), (3, 1), (4, 1), (5, 1)] {
        let start = chrono::Utc::now() + chrono::Duration::days(day);
        let task = app
            .post_task(&staff, json!({"council_id": kvelde, "category_id": walks, "spots": spots, "starts_at": start.to_rfc3339(), "ends_at": (start + chrono::Duration::hours(1)).to_rfc3339()}))
            .await;
        ids.push(task["id"].as_str().expect("id").to_owned());
    }
    let v = app.quick_volunteers(4).await;
    for volunteer in &v[..3] {
        app.claimed(volunteer, &ids[0]).await;
    }
    app.claimed(&v[0], &ids[1]).await;
    app.claimed(&v[3], &ids[3]).await;
    app.call(
        Method::POST,
        &format!("/api/v1/tasks/{}/release", ids[3]),
        Some(&v[3].access_token),
        None,
    )
    .await;
    app.post(
        &format!("/api/v1/tasks/{}/cancel", ids[1]),
        Some(&staff.access_token),
        json!({"reason": "Storm"}),
    )
    .await;
    // Move the script into 2025; first claims come 6, 12 and 24 hours after posting.
    for (id, start, first_claim_hours) in [
        (&ids[0], "2025-01-31T23:30:00Z", 6),
        (&ids[1], "2025-01-31T22:30:00Z", 12),
        (&ids[2], "2025-03-10T10:00:00Z", 0),
        (&ids[3], "2025-03-11T10:00:00Z", 24),
    ] {
        app.sql(&format!(
            "UPDATE tasks SET starts_at = '{start}', ends_at = '{start}'::timestamptz + interval '90 minutes',
                              created_at = '{start}'::timestamptz - interval '2 days' WHERE id = '{id}';
             UPDATE claims SET claimed_at = '{start}'::timestamptz - interval '2 days' + interval '{first_claim_hours} hours' WHERE task_id = '{id}'"
        ))
        .await;
    }
    let done = app
        .post(
            &format!("/api/v1/tasks/{}/complete", ids[0]),
            Some(&staff.access_token),
            json!({}),
        )
        .await;
    assert_eq!(done.status(), 200);
    app.run_jobs().await;
    (coordinator, staff)
}

fn row<'a>(report: &'a Value, key: &str) -> &'a Value {
    report["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["key"] == key)
        .unwrap_or_else(|| panic!("row {key} in {report}"))
}

#[tokio::test]
async fn a_scripted_year_gives_the_expected_figures_by_month_with_small_cells_suppressed() {
    let app = TestApp::spawn().await;
    let (coordinator, _) = scripted_year(&app).await;
    let response = app
        .get_as(
            "/api/v1/reports/summary?from=2025-01-01&to=2025-12-31&group_by=month",
            &coordinator.access_token,
        )
        .await;
    assert_eq!(response.status(), 200);
    let report: Value = response.json().await.expect("json");

    // January in Oslo: both tasks were posted then; one started then (cancelled).
    let jan = row(&report, "2025-01");
    assert_eq!(
        (&jan["posted"], &jan["cancelled"], &jan["completed"]),
        (&json!(2), &json!(1), &json!(0))
    );
    assert_eq!(
        jan["active_volunteers"],
        Value::Null,
        "no one did anything: suppressed"
    );
    assert!(
        jan["suppressed"]
            .as_array()
            .expect("flags")
            .contains(&json!("active_volunteers"))
    );
    // February in Oslo (31 January in UTC): completed by three volunteers, 1.5 hours each.
    let feb = row(&report, "2025-02");
    assert_eq!(
        (&feb["posted"], &feb["filled"], &feb["completed"]),
        (&json!(0), &json!(1), &json!(1))
    );
    // Three volunteers, but January (one person) and March (another) are hidden, and
    // together they are two people: the totals minus February would give them away, so
    // February is hidden with them (complementary suppression).
    assert_eq!(
        (
            &feb["claims_made"],
            &feb["active_volunteers"],
            &feb["volunteer_hours"]
        ),
        (&Value::Null, &Value::Null, &Value::Null)
    );
    assert_eq!(feb["suppressed"].as_array().map(Vec::len), Some(4));
    let mar = row(&report, "2025-03");
    assert_eq!((&mar["posted"], &mar["expired"]), (&json!(2), &json!(2)));
    assert_eq!(
        mar["claims_released"],
        Value::Null,
        "one released claim is one person: suppressed"
    );

    let totals = &report["totals"];
    assert_eq!(
        (
            &totals["posted"],
            &totals["filled"],
            &totals["completed"],
            &totals["cancelled"],
            &totals["expired"]
        ),
        (&json!(4), &json!(1), &json!(1), &json!(1), &json!(2))
    );
    assert_eq!(
        (
            &totals["claims_made"],
            &totals["claims_released"],
            &totals["active_volunteers"]
        ),
        (&json!(5), &json!(1), &json!(3))
    );
    assert_eq!(totals["volunteer_hours"], 4.5);
    assert_eq!(totals["median_hours_to_first_claim"], 12.0);
    assert_eq!(totals["share_found_volunteer_before_start"], 0.75);
    app.deliver_mail().await;
}

#[tokio::test]
async fn the_report_comes_as_csv_with_a_byte_order_mark_and_the_same_figures() {
    let app = TestApp::spawn().await;
    let (coordinator, _) = scripted_year(&app).await;
    let request = app
        .client
        .get(app.url("/api/v1/reports/summary.csv?from=2025-01-01&to=2025-12-31&group_by=council"));
    let response = app
        .send(request.bearer_auth(&coordinator.access_token))
        .await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("text/csv")
    );
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .expect("ascii")
            .starts_with("attachment")
    );
    let bytes = response.bytes().await.expect("body");
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert!(lines[0].starts_with("key,label,posted,filled,completed"));
    let kvelde = lines
        .iter()
        .find(|l| l.contains(",Kvelde,"))
        .expect("Kvelde row");
    assert!(
        kvelde.contains(",Kvelde,4,1,1,1,2,0,5,1,4.5,3,12,0.75,"),
        "{kvelde}"
    );
    assert!(lines.iter().any(|l| l.starts_with("total,Totalt,4,")));
    app.deliver_mail().await;
}

#[tokio::test]
async fn reports_are_scoped_to_the_callers_council_or_unit() {
    let app = TestApp::spawn().await;
    let (_, staff) = scripted_year(&app).await;
    let query = "/api/v1/reports/summary?from=2025-01-01&to=2025-12-31&group_by=category";
    let other_coordinator = app
        .create_user(
            Role::Coordinator,
            None,
            Some(app.council_id("Stavern").await),
        )
        .await;
    let other_staff = app.staff(app.service_unit("Annen enhet").await).await;
    let admin = app.admin().await;
    let posted = |report: &Value| report["totals"]["posted"].clone();
    for (user, expected) in [
        (&admin, 4),
        (&staff, 4),
        (&other_coordinator, 0),
        (&other_staff, 0),
    ] {
        let report: Value = app
            .get_as(query, &user.access_token)
            .await
            .json()
            .await
            .expect("json");
        assert_eq!(posted(&report), json!(expected));
    }
    let volunteer = app.volunteer().await;
    assert_problem(
        app.get_as(query, &volunteer.access_token).await,
        403,
        "forbidden",
    )
    .await;
    let bad = app
        .get_as(
            "/api/v1/reports/summary?from=2025-12-31&to=2025-01-01&group_by=person",
            &admin.access_token,
        )
        .await;
    let problem = assert_problem(bad, 422, "validation_failed").await;
    assert_eq!(problem["errors"].as_array().expect("errors").len(), 2);
    app.deliver_mail().await;
}

#[tokio::test]
async fn a_label_that_a_spreadsheet_would_run_as_a_formula_is_neutralised_in_the_csv() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let response = app
        .post(
            "/api/v1/categories",
            Some(&admin.access_token),
            json!({"slug": "formula", "name_nb": "=HYPERLINK(\"http://evil.example\",\"Klikk\")", "name_en": "@SUM(A1:A9)"}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let category: Value = response.json().await.expect("json");
    let unit = app.service_unit("Hjemmetjenesten Sentrum").await;
    let staff = app.staff(unit).await;
    let task = app
        .post_task(&staff, json!({"category_id": category["id"]}))
        .await;
    let year = chrono::DateTime::parse_from_rfc3339(task["starts_at"].as_str().expect("start"))
        .expect("time")
        .format("%Y");
    let csv = app
        .get_as(
            &format!(
                "/api/v1/reports/summary.csv?from={year}-01-01&to={year}-12-31&group_by=category"
            ),
            &admin.access_token,
        )
        .await
        .text()
        .await
        .expect("text");
    let line = csv
        .lines()
        .find(|l| l.contains("HYPERLINK"))
        .expect("the category's row");
    assert!(
        line.contains(",\"'=HYPERLINK("),
        "the label starts with an apostrophe: {line}"
    );
    assert!(!line.contains(",=") && !line.contains(",\"="), "{line}");
}

/// Whether any hidden cell's person figures can be had as the totals minus the visible
/// rows: true when a figure is shown in the totals and hidden in exactly one row.
fn derivable(report: &Value) -> bool {
    let rows = report["rows"].as_array().expect("rows");
    [
        "claims_made",
        "claims_released",
        "volunteer_hours",
        "active_volunteers",
    ]
    .iter()
    .any(|f| {
        let hidden = rows.iter().filter(|r| r[*f].is_null()).count();
        !report["totals"][*f].is_null() && hidden == 1
    })
}

#[tokio::test]
async fn no_suppressed_cell_can_be_derived_and_only_admins_choose_any_period() {
    let app = TestApp::spawn().await;
    let (coordinator, staff) = scripted_year(&app).await;
    let admin = app.admin().await;
    // February (three people) beside March (one): without complementary suppression the
    // totals minus February would be March's release.
    for (period, group_by) in [
        ("from=2025-02-01&to=2025-03-31", "month"),
        ("from=2025-01-01&to=2025-12-31", "month"),
        ("from=2025-01-01&to=2025-12-31", "category"),
        ("from=2025-01-01&to=2025-12-31", "council"),
        ("from=2025-01-01&to=2025-12-31", "unit"),
    ] {
        for user in [&coordinator, &staff, &admin] {
            let report: Value = app
                .get_as(
                    &format!("/api/v1/reports/summary?{period}&group_by={group_by}"),
                    &user.access_token,
                )
                .await
                .json()
                .await
                .expect("json");
            assert!(!derivable(&report), "{period} {group_by}: {report}");
        }
    }
    // Overlapping periods subtracted from each other would undo it: whole months only,
    // but for the municipality itself.
    for (query, field) in [
        ("from=2025-01-02&to=2025-01-31", "from"),
        ("from=2025-01-01&to=2025-01-30", "to"),
    ] {
        for user in [&coordinator, &staff] {
            let response = app
                .get_as(
                    &format!("/api/v1/reports/summary?{query}"),
                    &user.access_token,
                )
                .await;
            let body = assert_problem(response, 422, "validation_failed").await;
            assert_eq!(body["errors"][0]["field"], field);
        }
        let response = app
            .get_as(
                &format!("/api/v1/reports/summary?{query}"),
                &admin.access_token,
            )
            .await;
        assert_eq!(response.status(), 200, "admins choose any period");
    }
    let february = app
        .get_as(
            "/api/v1/reports/summary?from=2025-02-01&to=2025-02-28",
            &coordinator.access_token,
        )
        .await;
    assert_eq!(february.status(), 200, "a whole month");
    app.deliver_mail().await;
}

/// The body rows of the console report's table, cell texts in order.
fn console_table(html: &str) -> Vec<Vec<String>> {
    let body = html
        .split("<tbody>")
        .nth(1)
        .and_then(|rest| rest.split("</tbody>").next())
        .expect("a table body");
    body.split("</tr>")
        .filter(|row| row.contains("<tr"))
        .map(|row| {
            row.split(['<', '>'])
                .collect::<Vec<_>>()
                .windows(2)
                .filter(|w| w[0].starts_with("td") || w[0].starts_with("th"))
                .map(|w| w[1].trim().to_owned())
                .collect()
        })
        .collect()
}

/// The cells the console must show for one row of the API's answer, in its columns.
fn expected_cells(label: &str, f: &Value) -> Vec<String> {
    let count = |k: &str| f[k].as_i64().map_or("–".to_owned(), |n| n.to_string());
    vec![
        label.to_owned(),
        count("posted"),
        count("filled"),
        count("completed"),
        count("cancelled"),
        count("expired"),
        f["volunteer_hours"]
            .as_f64()
            .map_or("–".to_owned(), |h| format!("{h:.1}").replace('.', ",")),
        count("active_volunteers"),
    ]
}

#[tokio::test]
async fn the_console_report_shows_exactly_what_the_api_answers_small_totals_suppressed() {
    let app = TestApp::spawn().await;
    let unit = app.service_unit("Hjemmetjenesten Tjølling").await;
    let staff = app.staff(unit).await;
    let walks = app.category_id("walks-outdoor").await;
    let start = chrono::Utc::now() + chrono::Duration::hours(30);
    let task = app
        .post_task(
            &staff,
            json!({"category_id": walks, "spots": 3, "starts_at": start.to_rfc3339()}),
        )
        .await;
    let id = task["id"].as_str().expect("id").to_owned();
    // Two volunteers hold the walk; a third took it and gave it back. The cell is about
    // two people, whoever else once claimed.
    let v = app.quick_volunteers(3).await;
    for volunteer in &v {
        app.claimed(volunteer, &id).await;
    }
    assert_eq!(app.release(&v[2], &id).await.status(), 200);

    let month = start
        .with_timezone(&chrono_tz::Europe::Oslo)
        .format("%Y-%m")
        .to_string();
    let first_day =
        chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").expect("month");
    let last_day = first_day
        .checked_add_months(chrono::Months::new(1))
        .and_then(|d| d.pred_opt())
        .expect("the month's last day");
    let api: Value = app
        .get_as(
            &format!("/api/v1/reports/summary?from={month}-01&to={last_day}&group_by=category"),
            &staff.access_token,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(api["totals"]["posted"], 1, "{api}");
    assert_eq!(
        api["totals"]["active_volunteers"],
        Value::Null,
        "two volunteers are too few to show: {api}"
    );

    let mut browser = crate::console::Browser::new(&app);
    browser.sign_in(&staff.email, &staff.password).await;
    let page = browser
        .get(&format!(
            "/console/report?from={month}&to={month}&group=category"
        ))
        .await;
    assert_eq!(page.status, 200);
    let shown = console_table(&page.body);
    let mut expected: Vec<Vec<String>> = api["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| expected_cells(r["label"].as_str().expect("label"), r))
        .collect();
    expected.push(expected_cells("Totalt", &api["totals"]));
    assert_eq!(
        shown, expected,
        "every figure on the page is one the API gave"
    );
    app.deliver_mail().await;
}
