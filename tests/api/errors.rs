//! The error model: every error is problem+json with a code and the request id.

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
