//! The error model: every error is problem+json with a code and the request id.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{TestApp, assert_problem};

#[tokio::test]
async fn an_unknown_route_is_a_problem_json_404() {
    let app = TestApp::spawn().await;
    let body = assert_problem(app.get("/api/v1/no-such-thing").await, 404, "not_found").await;
    assert_eq!(body["type"], "urn:dugnad:problem:not_found");
}

#[tokio::test]
async fn a_wrong_method_is_a_problem_json_405_naming_the_allowed_ones() {
    let app = TestApp::spawn().await;
    let response = app
        .send(app.client.delete(app.url("/api/v1/councils")))
        .await;
    let allow = response
        .headers()
        .get("allow")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    assert_eq!(allow.as_deref(), Some("GET, POST"));
    assert_problem(response, 405, "method_not_allowed").await;
}

#[tokio::test]
async fn an_oversized_body_is_refused_with_413_before_it_is_read() {
    let app = TestApp::spawn().await;
    let body = vec![b'x'; 2 * 1024 * 1024];
    let response = app
        .send(
            app.client
                .post(app.url("/api/v1/councils"))
                .header("content-type", "application/json")
                .body(body),
        )
        .await;
    assert_problem(response, 413, "payload_too_large").await;
}

#[tokio::test]
async fn a_query_parameter_out_of_range_is_a_422_naming_the_field() {
    let app = TestApp::spawn().await;
    let body = assert_problem(
        app.get("/api/v1/councils?limit=101").await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "limit");
    let body = assert_problem(
        app.get("/api/v1/councils?cursor=not-a-cursor").await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "cursor");
}

#[tokio::test]
async fn a_plain_caller_request_id_is_echoed_and_a_hostile_one_replaced() {
    let app = TestApp::spawn().await;
    let response = app
        .send(
            app.client
                .get(app.url("/api/v1/nothing"))
                .header("x-request-id", "mobile-abc-123"),
        )
        .await;
    let body = assert_problem(response, 404, "not_found").await;
    assert_eq!(body["request_id"], "mobile-abc-123");

    let response = app
        .send(
            app.client
                .get(app.url("/healthz"))
                .header("x-request-id", "evil\" injected=1"),
        )
        .await;
    let id = response.headers()["x-request-id"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert_ne!(id, "evil\" injected=1");
    assert!(uuid::Uuid::parse_str(&id).is_ok());
}

#[tokio::test]
async fn successful_responses_carry_a_request_id_too() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/v1/councils").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers().contains_key("x-request-id"));
}

#[tokio::test]
async fn a_body_that_is_not_an_object_null_for_a_required_value_or_a_nul_character_is_422() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let token = Some(admin.access_token.as_str());
    let council = app.council_id("Verningen").await;
    let path = format!("/api/v1/councils/{council}");
    for (body, field) in [
        (serde_json::json!([null, null]), "body"),
        (serde_json::json!("Verningen"), "body"),
        (serde_json::json!({"name": null}), "name"),
        (serde_json::json!({"active": null}), "active"),
        (serde_json::json!({"name": "Vern\u{0}ingen"}), "name"),
    ] {
        let response = app.patch(&path, token, body.clone()).await;
        let problem = assert_problem(response, 422, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], field, "{body}");
    }
    let response = app
        .post(
            "/api/v1/auth/verify-email/resend",
            None,
            serde_json::json!({"email": "a\u{0}@example.no"}),
        )
        .await;
    assert_problem(response, 422, "validation_failed").await;
    let unchanged: serde_json::Value = app
        .get("/api/v1/councils?limit=100")
        .await
        .json()
        .await
        .expect("json");
    assert!(
        unchanged["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|c| c["name"] == "Verningen" && c["active"] == true)
    );
}

#[tokio::test]
async fn a_401_names_the_bearer_scheme() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/v1/me").await;
    assert_eq!(
        response.headers()["www-authenticate"],
        "Bearer realm=\"dugnad\""
    );
    assert_problem(response, 401, "unauthenticated").await;
}

#[tokio::test]
async fn every_answer_is_nosniff_and_personal_and_html_ones_are_not_cached_or_framed() {
    let app = TestApp::spawn().await;
    let public = app.get("/api/v1/councils").await;
    assert_eq!(public.headers()["x-content-type-options"], "nosniff");
    let volunteer = app.volunteer().await;
    let me = app.get_as("/api/v1/me", &volunteer.access_token).await;
    assert_eq!(me.headers()["cache-control"], "no-store");
    let page = app.get("/e/verify?token=abc").await;
    assert_eq!(page.headers()["cache-control"], "no-store");
    assert_eq!(page.headers()["x-content-type-options"], "nosniff");
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
}

#[tokio::test]
async fn a_forbidden_role_hears_403_before_anything_about_its_body() {
    let app = TestApp::spawn().await;
    let volunteer = app.volunteer().await;
    let token = Some(volunteer.access_token.as_str());
    for (method, path) in [
        (Method::POST, "/api/v1/tasks".to_owned()),
        (Method::POST, "/api/v1/councils".to_owned()),
        (Method::POST, "/api/v1/categories".to_owned()),
        (Method::POST, "/api/v1/service-units".to_owned()),
        (Method::POST, "/api/v1/users".to_owned()),
        (
            Method::POST,
            format!("/api/v1/tasks/{}/invitations", uuid::Uuid::now_v7()),
        ),
        (
            Method::PATCH,
            format!("/api/v1/tasks/{}", uuid::Uuid::now_v7()),
        ),
    ] {
        let response = app
            .call(
                method.clone(),
                &path,
                token,
                Some(json!({"nonsense": true})),
            )
            .await;
        assert_problem(response, 403, "forbidden").await;
    }
}

#[tokio::test]
async fn dates_outside_the_years_2000_to_2100_are_422_never_500() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    for path in [
        "/api/v1/reports/summary?from=-9999-01-01",
        "/api/v1/reports/summary?to=9999-12-31",
        "/api/v1/reports/summary.csv?from=1900-01-01",
        "/api/v1/tasks?from=1800-01-01T00:00:00Z",
        "/api/v1/tasks?to=2999-01-01T00:00:00Z",
    ] {
        let response = app.get_as(path, &admin.access_token).await;
        assert_problem(response, 422, "validation_failed").await;
    }
    let unit = app.service_unit("Hjemmetjenesten Tjølling").await;
    let staff = app.staff(unit).await;
    let response = app
        .post(
            "/api/v1/tasks",
            Some(&staff.access_token),
            json!({"title": "Tur", "description": "", "category_id": app.category_id("walks-outdoor").await,
                   "starts_at": "2030-01-01T10:00:00Z", "ends_at": "9999-01-01T10:00:00Z"}),
        )
        .await;
    let body = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "ends_at");
    let stavern = app.council_id("Stavern").await;
    let flags = app.category_id("walks-outdoor").await;
    let response = app
        .call(
            Method::PUT,
            &format!("/api/v1/councils/{stavern}/opt-outs/{flags}"),
            Some(&admin.access_token),
            Some(json!({"reason": "Ingen folk", "review_by": "9999-01-01"})),
        )
        .await;
    let body = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "review_by");
}

#[tokio::test]
async fn single_line_fields_refuse_line_breaks_and_integers_may_be_written_as_2_0() {
    let app = TestApp::spawn().await;
    let unit = app.service_unit("Hjemmetjenesten Helgeroa").await;
    let staff = app.staff(unit).await;
    let start = (chrono::Utc::now() + chrono::Duration::days(2)).to_rfc3339();
    let category = app.category_id("walks-outdoor").await;
    let response = app
        .post(
            "/api/v1/tasks",
            Some(&staff.access_token),
            json!({"title": "Tur\r\nBcc: x@example.no", "description": "", "category_id": category,
                   "starts_at": start, "area_hint": "Helgeroa\nsentrum",
                   "private": {"recipient_name": "Ruth\nHansen"}}),
        )
        .await;
    let body = assert_problem(response, 422, "validation_failed").await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["title", "area_hint", "private.recipient_name"]);
    let volunteer = app.volunteer().await;
    let response = app
        .patch(
            "/api/v1/me",
            Some(&volunteer.access_token),
            json!({"name": "Kari\nNordmann"}),
        )
        .await;
    assert_problem(response, 422, "validation_failed").await;

    let task = app
        .post_task(
            &staff,
            json!({"spots": 2.0, "duration_minutes": 90.0, "ends_at": null}),
        )
        .await;
    assert_eq!(
        (task["spots"].clone(), task["duration_minutes"].clone()),
        (json!(2), json!(90))
    );
    let response = app
        .post(
            "/api/v1/tasks",
            Some(&staff.access_token),
            json!({"title": "Tur", "description": "", "category_id": category, "starts_at": start, "spots": 2.5}),
        )
        .await;
    let body = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "spots");
}

#[tokio::test]
async fn a_body_sent_a_byte_at_a_time_is_cut_off_at_the_deadline() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = TestApp::spawn_with(|s| s.body_timeout = std::time::Duration::from_secs(1)).await;
    let address = app.url("").trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&address)
        .await
        .expect("connect");
    let declared = 200;
    stream
        .write_all(
            format!(
                "POST /api/v1/auth/login HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {declared}\r\n\r\n{{\"email\": "
            )
            .as_bytes(),
        )
        .await
        .expect("headers");
    let mut sent = 10;
    let mut answer = Vec::new();
    // One byte every 200 ms: the whole body would take 40 s. The server must answer
    // long before it is complete.
    while sent < declared {
        let mut buf = [0u8; 1024];
        match tokio::time::timeout(std::time::Duration::from_millis(200), stream.read(&mut buf))
            .await
        {
            Ok(Ok(0)) => break,
            Ok(Ok(n)) => {
                answer.extend_from_slice(&buf[..n]);
                break;
            }
            Ok(Err(_)) => break,
            Err(_) => {}
        }
        if stream.write_all(b" ").await.is_err() {
            break;
        }
        sent += 1;
    }
    let text = String::from_utf8_lossy(&answer);
    assert!(sent < declared, "the server waited for the whole slow body");
    assert!(
        text.starts_with("HTTP/1.1 400"),
        "answered before the body was whole: {text}"
    );
    assert!(text.contains("application/problem+json"), "{text}");
}
