//! Fuzzing of request parsing against the real server: random JSON bodies, query strings,
//! cursors, Idempotency-Keys and Authorization headers. Whatever arrives, the answer is
//! never a 5xx, every 4xx is problem+json, and nothing unauthenticated gets through.
//!
//! Brief in `cargo test` (64 cases per target); `DUGNAD_FUZZ_CASES=5000 cargo test fuzz`
//! runs longer.

use std::sync::Arc;

use base64::Engine;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::Value;

use crate::helpers::{TestApp, TestUser};

fn cases() -> u32 {
    std::env::var("DUGNAD_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64)
}

/// Arbitrary JSON, nested a few levels, with awkward strings and numbers.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,40}".prop_map(Value::String),
        Just(Value::String("2026-13-45T25:61:00Z".into())),
        Just(Value::String("\u{0}\u{202e}💥".into())),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("title".to_owned()),
                    Just("spots".to_owned()),
                    Just("starts_at".to_owned()),
                    Just("email".to_owned()),
                    Just("password".to_owned()),
                    Just("private".to_owned()),
                    Just("category_id".to_owned()),
                    "[a-z_]{1,12}",
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A body: JSON as such, or bytes that may not be JSON at all.
fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        json().prop_map(|v| v.to_string().into_bytes()),
        proptest::collection::vec(any::<u8>(), 0..200),
        ".{0,80}".prop_map(String::into_bytes),
    ]
}

/// Checks one answer: below 500, and problem+json with the same status when 4xx.
async fn acceptable(response: crate::helpers::TestResponse) -> Result<u16, TestCaseError> {
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let bytes = response
        .bytes()
        .await
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert!(
        status < 500,
        "answered {status}: {}",
        String::from_utf8_lossy(&bytes)
    );
    if status >= 400 {
        prop_assert!(
            content_type.starts_with("application/problem+json"),
            "{status} with {content_type}"
        );
        let problem: Value =
            serde_json::from_slice(&bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(problem["status"].as_u64(), Some(u64::from(status)));
    }
    Ok(status)
}

/// Runs `property` for `cases()` generated inputs on one runtime and one server.
fn fuzz<S: Strategy>(
    strategy: S,
    property: impl Fn(
        Arc<TestApp>,
        Arc<Context>,
        S::Value,
    ) -> futures_util::future::BoxFuture<'static, Result<(), TestCaseError>>,
) where
    S::Value: std::fmt::Debug,
{
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let (app, context) = runtime.block_on(async {
        let app = TestApp::spawn().await;
        let context = Context::new(&app).await;
        (Arc::new(app), Arc::new(context))
    });
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        max_shrink_iters: 50,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&strategy, |input| {
        runtime.block_on(property(app.clone(), context.clone(), input))
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// Accounts and a task to aim requests at.
struct Context {
    staff: TestUser,
    volunteer: TestUser,
    task: uuid::Uuid,
}

impl Context {
    async fn new(app: &TestApp) -> Self {
        let unit = app.service_unit("Fuzz hjemmetjeneste").await;
        let staff = app.staff(unit).await;
        let volunteer = app.quick_volunteers(1).await.remove(0);
        let task = app
            .post_task(&staff, serde_json::json!({"spots": 50}))
            .await;
        let task = task["id"].as_str().expect("id").parse().expect("uuid");
        Self {
            staff,
            volunteer,
            task,
        }
    }
}

#[test]
fn fuzzed_json_bodies_never_break_the_server() {
    let paths = [
        ("POST", "/api/v1/tasks"),
        ("POST", "/api/v1/auth/login"),
        ("POST", "/api/v1/auth/register"),
        ("PATCH", "/api/v1/me"),
        ("POST", "/api/v1/auth/refresh"),
    ];
    fuzz(
        (0..paths.len(), body(), any::<bool>()),
        |app, ctx, (which, body, json_type)| {
            Box::pin(async move {
                let (method, path) = paths[which];
                let mut request = app
                    .client
                    .request(method.parse().expect("method"), app.url(path))
                    .bearer_auth(&ctx.staff.access_token)
                    .body(body);
                if json_type {
                    request = request.header("content-type", "application/json");
                }
                let response = app.send(request).await;
                acceptable(response).await.map(|_| ())
            })
        },
    );
}

#[test]
fn fuzzed_query_strings_and_cursors_never_break_the_server() {
    let cursor = prop_oneof![
        ".{0,60}",
        json().prop_map(|v| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())),
        proptest::collection::vec(any::<u8>(), 0..64)
            .prop_map(|b| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)),
    ];
    let query = prop_oneof![
        "[a-z_=&%0-9.:+-]{0,80}",
        cursor.prop_map(|c| format!("cursor={}", urlencode(&c))),
        ("[a-z_]{1,12}", ".{0,30}").prop_map(|(k, v)| format!("{k}={}", urlencode(&v))),
        (
            "(status|limit|from|to|council_id|category_id|group_by)",
            ".{0,30}"
        )
            .prop_map(|(k, v)| format!("{k}={}", urlencode(&v))),
    ];
    let paths = [
        "/api/v1/tasks",
        "/api/v1/me/claims",
        "/api/v1/reports/summary",
        "/api/v1/councils",
    ];
    fuzz((0..paths.len(), query), |app, ctx, (which, query)| {
        Box::pin(async move {
            let response = app
                .send(
                    app.client
                        .get(format!("{}?{query}", app.url(paths[which])))
                        .bearer_auth(&ctx.volunteer.access_token),
                )
                .await;
            acceptable(response).await.map(|_| ())
        })
    });
}

#[test]
fn fuzzed_idempotency_keys_never_break_the_server() {
    let key = prop_oneof![
        "[ -~]{0,300}",
        proptest::collection::vec(any::<u8>(), 0..80)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
    ];
    fuzz(key, |app, ctx, key| {
        Box::pin(async move {
            let Ok(value) = reqwest::header::HeaderValue::from_bytes(key.as_bytes()) else {
                return Ok(());
            };
            let response = app
                .send(
                    app.client
                        .post(app.url(&format!("/api/v1/tasks/{}/release", ctx.task)))
                        .bearer_auth(&ctx.volunteer.access_token)
                        .header("Idempotency-Key", value),
                )
                .await;
            let status = acceptable(response).await?;
            // No claim is held, so nothing may succeed; a bad key is a 400 or 422.
            prop_assert!(matches!(status, 400 | 403 | 409 | 422), "answered {status}");
            Ok(())
        })
    });
}

#[test]
fn fuzzed_authorization_headers_never_get_in() {
    let header = prop_oneof![
        "[ -~]{0,120}",
        "[A-Za-z0-9_-]{0,40}".prop_map(|t| format!("Bearer {t}")),
        (
            "[A-Za-z0-9_-]{0,30}",
            "[A-Za-z0-9_-]{0,30}",
            "[A-Za-z0-9_-]{0,30}"
        )
            .prop_map(|(a, b, c)| format!("Bearer {a}.{b}.{c}")),
        json().prop_map(|claims| {
            // An unsigned token ("alg": "none") carrying arbitrary claims.
            let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
            format!(
                "Bearer {}.{}.",
                engine.encode(r#"{"alg":"none","typ":"JWT"}"#),
                engine.encode(claims.to_string())
            )
        }),
    ];
    fuzz(header, |app, _ctx, header| {
        Box::pin(async move {
            let Ok(value) = reqwest::header::HeaderValue::from_str(&header) else {
                return Ok(());
            };
            let response = app
                .send(
                    app.client
                        .get(app.url("/api/v1/me"))
                        .header("Authorization", value),
                )
                .await;
            let status = acceptable(response).await?;
            prop_assert_eq!(status, 401);
            Ok(())
        })
    });
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
