//! Accounts and authentication over real HTTP, PostgreSQL and SMTP.

use dugnad::domain::account::Role;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TEST_JWT_SECRET, TestApp, assert_problem};

const GOOD_PASSWORD: &str = "Kaffe-paa-brygga-2026";

async fn register(app: &TestApp, email: &str) -> crate::helpers::TestResponse {
    app.post(
        "/api/v1/auth/register",
        None,
        json!({"email": email, "password": GOOD_PASSWORD, "name": "Kari Nordmann", "language": "nb"}),
    )
    .await
}

#[tokio::test]
async fn register_verify_through_the_page_then_login_and_read_me() {
    let app = TestApp::spawn().await;
    let council = app.council_id("Stavern").await;
    let response = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"email": "Kari@Example.no", "password": GOOD_PASSWORD, "name": "Kari", "phone": "+47 912 34 567", "council_id": council, "language": "en"}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let user: Value = response.json().await.expect("json");
    assert_eq!(user["role"], "volunteer");
    assert_eq!(user["email_verified"], false);
    assert_eq!(user["council_id"], council.to_string());
    assert!(user.get("password_hash").is_none());

    let mails = app.mail_to("Kari@Example.no").await;
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert_eq!(
        mail.header("Subject").as_deref(),
        Some("Confirm your email address")
    );
    let token = mail.link_token("verify");
    assert!(
        mail.html_body()
            .contains(&format!("/e/verify?token={token}&amp;lang=en"))
    );

    // Opening the link shows a page and changes nothing.
    let page = app.get(&format!("/e/verify?token={token}&lang=en")).await;
    assert_eq!(page.status(), 200);
    assert!(
        page.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("text/html")
    );
    assert_eq!(page.headers()["referrer-policy"], "no-referrer");
    let html = page.text().await.expect("html");
    assert!(
        html.contains(&token)
            && html.contains(r#"<form method="post" action="/e/verify">"#)
            && html.contains("Confirm")
    );
    let (access, _) = app.login("kari@example.no", GOOD_PASSWORD).await;
    let me: Value = app
        .get_as("/api/v1/me", &access)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        me["email_verified"], false,
        "a GET of the page verifies nothing"
    );

    // The page's button.
    let response = app
        .post("/api/v1/auth/verify-email", None, json!({"token": token}))
        .await;
    assert_eq!(response.status(), 204);
    let me: Value = app
        .get_as("/api/v1/me", &access)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(me["email_verified"], true);
    assert_eq!(me["language"], "en");
    assert_eq!(me["phone"], "+47 912 34 567");
    assert_eq!(me["notifications"]["new_tasks_digest"], false);
    assert_eq!(me["invitable"], false);

    let again = app
        .post("/api/v1/auth/verify-email", None, json!({"token": token}))
        .await;
    assert_problem(again, 422, "validation_failed").await;
}

#[tokio::test]
async fn registering_an_address_again_in_another_letter_case_is_409() {
    let app = TestApp::spawn().await;
    assert_eq!(register(&app, "ola@example.no").await.status(), 201);
    assert_problem(register(&app, "OLA@Example.NO").await, 409, "email_taken").await;
    app.deliver_mail().await;
}

#[tokio::test]
async fn a_weak_password_or_bad_fields_are_422_per_field() {
    let app = TestApp::spawn().await;
    for (password, why) in [
        ("kort", "short"),
        ("per@example.no", "the email"),
        ("qwertyuiop", "common"),
        ("aaaaaaaaaaaa", "trivial"),
    ] {
        let response = app
            .post(
                "/api/v1/auth/register",
                None,
                json!({"email": "per@example.no", "password": password, "name": "Per"}),
            )
            .await;
        let body = assert_problem(response, 422, "validation_failed").await;
        assert_eq!(body["errors"][0]["field"], "password", "{why}");
    }
    let response = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"email": "not-an-address", "password": GOOD_PASSWORD, "name": " ", "council_id": uuid::Uuid::now_v7()}),
        )
        .await;
    let body = assert_problem(response, 422, "validation_failed").await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].as_str().expect("field"))
        .collect();
    assert_eq!(fields, vec!["email", "name", "council_id"]);
}

#[tokio::test]
async fn malformed_json_is_400_and_an_unknown_field_is_422() {
    let app = TestApp::spawn().await;
    let response = app
        .send(
            app.client
                .post(app.url("/api/v1/auth/login"))
                .header("content-type", "application/json")
                .body("{\"email\": "),
        )
        .await;
    assert_problem(response, 400, "malformed_request").await;

    let response = app
        .send(
            app.client
                .post(app.url("/api/v1/auth/login"))
                .header("content-type", "text/plain")
                .body("{}"),
        )
        .await;
    assert_problem(response, 400, "malformed_request").await;

    let response = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"email": "a@b.no", "password": "x", "remember_me": true}),
        )
        .await;
    let body = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "remember_me");
}

#[tokio::test]
async fn wrong_password_unknown_email_and_deactivated_account_get_the_identical_401() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let victim = app.volunteer().await;
    let deactivated = app.volunteer().await;
    let response = app
        .patch(
            &format!("/api/v1/users/{}", deactivated.id),
            Some(&admin.access_token),
            json!({"active": false}),
        )
        .await;
    assert_eq!(response.status(), 200);

    let mut bodies = Vec::new();
    for (email, password) in [
        (victim.email.as_str(), "Feil-passord-123"),
        ("nobody-here@example.no", "Feil-passord-123"),
        (deactivated.email.as_str(), deactivated.password.as_str()),
    ] {
        let response = app
            .post(
                "/api/v1/auth/login",
                None,
                json!({"email": email, "password": password}),
            )
            .await;
        let mut body = assert_problem(response, 401, "unauthenticated").await;
        body.as_object_mut().expect("object").remove("request_id");
        bodies.push(body);
    }
    assert_eq!(bodies[0], bodies[1]);
    assert_eq!(bodies[1], bodies[2]);
}

#[tokio::test]
async fn refresh_tokens_rotate_and_reusing_one_revokes_the_whole_family() {
    let app = TestApp::spawn().await;
    let user = app.volunteer().await;
    let first = user.refresh_token.clone();
    let response = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": first}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let pair: Value = response.json().await.expect("json");
    let second = pair["refresh_token"].as_str().expect("refresh").to_owned();
    assert_ne!(first, second);
    assert_eq!(pair["token_type"], "Bearer");
    assert_eq!(pair["expires_in"], 900);
    assert_eq!(
        app.get_as("/api/v1/me", pair["access_token"].as_str().expect("access"))
            .await
            .status(),
        200
    );

    // Two parallel refreshes of the current token (or a lost answer): both get a pair of
    // the same family, within 30 seconds of the rotation.
    let refresh = |token: String| {
        let app = &app;
        async move {
            app.post(
                "/api/v1/auth/refresh",
                None,
                json!({"refresh_token": token}),
            )
            .await
        }
    };
    let (a, b) = tokio::join!(refresh(second.clone()), refresh(second.clone()));
    assert_eq!(
        (a.status().as_u16(), b.status().as_u16()),
        (200, 200),
        "both within the grace"
    );
    let a: Value = a.json().await.expect("json");
    let b: Value = b.json().await.expect("json");
    assert_ne!(a["refresh_token"], b["refresh_token"]);
    let families = app
        .query_json(&format!(
            "SELECT count(DISTINCT family_id) AS n FROM refresh_tokens WHERE user_id = '{}'",
            user.id
        ))
        .await;
    assert_eq!(families[0]["n"], 1, "one family");
    let latest = a["refresh_token"].as_str().expect("refresh").to_owned();

    // Past the grace, a thief replays the first token: it fails, and the owner's current
    // tokens die too.
    app.clock.advance(chrono::Duration::seconds(31));
    let replay = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": first}),
        )
        .await;
    assert_problem(replay, 401, "unauthenticated").await;
    assert_problem(refresh(latest).await, 401, "unauthenticated").await;
    assert_problem(refresh(second).await, 401, "unauthenticated").await;

    // Another login is another family, unaffected.
    let (_, other) = app.login(&user.email, &user.password).await;
    assert_eq!(
        app.post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": other})
        )
        .await
        .status(),
        200
    );
}

#[tokio::test]
async fn logout_kills_the_refresh_token() {
    let app = TestApp::spawn().await;
    let user = app.volunteer().await;
    let response = app
        .post(
            "/api/v1/auth/logout",
            None,
            json!({"refresh_token": user.refresh_token}),
        )
        .await;
    assert_eq!(response.status(), 204);
    let response = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": user.refresh_token}),
        )
        .await;
    assert_problem(response, 401, "unauthenticated").await;
}

fn b64(json: &Value) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(serde_json::to_vec(json).expect("json"))
}

#[tokio::test]
async fn expired_tampered_unsigned_and_wrong_algorithm_tokens_are_401() {
    let app = TestApp::spawn().await;
    let user = app.volunteer().await;
    let now = chrono::Utc::now().timestamp();
    let issuer = "http://dugnad.test";
    let claims = |iat: i64, exp: i64| json!({"sub": user.id, "iat": iat, "exp": exp, "iss": issuer, "aud": "dugnad-api"});
    let sign = |alg: jsonwebtoken::Algorithm, claims: &Value| {
        jsonwebtoken::encode(
            &jsonwebtoken::Header::new(alg),
            claims,
            &jsonwebtoken::EncodingKey::from_secret(TEST_JWT_SECRET.as_bytes()),
        )
        .expect("signed")
    };
    // The well-formed control case passes, so the others fail for their flaw alone.
    let valid = sign(jsonwebtoken::Algorithm::HS256, &claims(now, now + 600));
    assert_eq!(app.get_as("/api/v1/me", &valid).await.status(), 200);

    let expired = sign(
        jsonwebtoken::Algorithm::HS256,
        &claims(now - 3600, now - 1800),
    );
    let wrong_alg = sign(jsonwebtoken::Algorithm::HS512, &claims(now, now + 600));
    let mut parts: Vec<String> = user.access_token.split('.').map(str::to_owned).collect();
    let mut forged = claims(now, now + 600);
    forged["sub"] = json!(uuid::Uuid::now_v7());
    parts[1] = b64(&forged);
    let tampered = parts.join(".");
    let unsigned = format!(
        "{}.{}.",
        b64(&json!({"alg": "none", "typ": "JWT"})),
        b64(&claims(now, now + 600))
    );
    let wrong_audience = sign(
        jsonwebtoken::Algorithm::HS256,
        &json!({"sub": user.id, "iat": now, "exp": now + 600, "iss": issuer, "aud": "someone-else"}),
    );
    let other_secret = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims(now, now + 600),
        &jsonwebtoken::EncodingKey::from_secret(b"another-secret-another-secret-another"),
    )
    .expect("signed");
    for (name, token) in [
        ("expired", expired),
        ("HS512", wrong_alg),
        ("tampered", tampered),
        ("alg none", unsigned),
        ("wrong audience", wrong_audience),
        ("other secret", other_secret),
        ("garbage", "not.a.jwt".to_owned()),
    ] {
        let response = app.get_as("/api/v1/me", &token).await;
        assert_eq!(response.status(), 401, "{name}");
        assert_problem(response, 401, "unauthenticated").await;
    }
    assert_problem(app.get("/api/v1/me").await, 401, "unauthenticated").await;
}

#[tokio::test]
async fn access_tokens_carry_only_the_standard_claims() {
    let app = TestApp::spawn().await;
    let user = app.volunteer().await;
    use base64::Engine;
    let payload = user.access_token.split('.').nth(1).expect("payload");
    let claims: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .expect("base64"),
    )
    .expect("json");
    let mut keys: Vec<&str> = claims
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, vec!["aud", "exp", "iat", "iss", "sub"]);
    let header: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(user.access_token.split('.').next().expect("header"))
            .expect("base64"),
    )
    .expect("json");
    assert_eq!(header["alg"], "HS256");
}

#[tokio::test]
async fn a_volunteer_on_every_admin_route_gets_403() {
    let app = TestApp::spawn().await;
    let volunteer = app.volunteer().await;
    let token = Some(volunteer.access_token.as_str());
    let some_id = volunteer.id;
    let calls: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, "/api/v1/users".into(), None),
        (
            Method::POST,
            "/api/v1/users".into(),
            Some(json!({"email": "x@example.no", "name": "X", "role": "admin"})),
        ),
        (
            Method::PATCH,
            format!("/api/v1/users/{some_id}"),
            Some(json!({"role": "admin"})),
        ),
        (
            Method::POST,
            format!("/api/v1/users/{some_id}/resend-invitation"),
            None,
        ),
        (
            Method::POST,
            "/api/v1/councils".into(),
            Some(json!({"name": "Nytt utvalg"})),
        ),
        (
            Method::PATCH,
            format!("/api/v1/councils/{}", app.council_id("Kvelde").await),
            Some(json!({"active": false})),
        ),
        (
            Method::POST,
            "/api/v1/categories".into(),
            Some(json!({"slug": "x", "name_nb": "X", "name_en": "X"})),
        ),
        (
            Method::PATCH,
            format!("/api/v1/categories/{some_id}"),
            Some(json!({"active": false})),
        ),
        (
            Method::POST,
            "/api/v1/service-units".into(),
            Some(json!({"name": "X", "email": "x@example.no"})),
        ),
        (
            Method::PATCH,
            format!("/api/v1/service-units/{some_id}"),
            Some(json!({"name": "Y"})),
        ),
    ];
    for (method, path, body) in calls {
        let response = app.call(method.clone(), &path, token, body).await;
        assert_eq!(response.status(), 403, "{method} {path}");
        assert_problem(response, 403, "forbidden").await;
    }
    let me: Value = app
        .get_as("/api/v1/me", &volunteer.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(me["role"], "volunteer", "nothing changed");
}

#[tokio::test]
async fn a_demoted_admin_loses_admin_rights_on_the_next_request() {
    let app = TestApp::spawn().await;
    let first = app.admin().await;
    let second = app.admin().await;
    assert_eq!(
        app.get_as("/api/v1/users", &second.access_token)
            .await
            .status(),
        200
    );
    let council = app.council_id("Tjølling").await;
    let response = app
        .patch(
            &format!("/api/v1/users/{}", second.id),
            Some(&first.access_token),
            json!({"role": "coordinator", "council_id": council}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["role"], "coordinator");
    let response = app.get_as("/api/v1/users", &second.access_token).await;
    assert_problem(response, 403, "forbidden").await;
}

#[tokio::test]
async fn a_deactivated_user_is_locked_out_at_once() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let user = app.volunteer().await;
    assert_eq!(
        app.get_as("/api/v1/me", &user.access_token).await.status(),
        200
    );
    let response = app
        .patch(
            &format!("/api/v1/users/{}", user.id),
            Some(&admin.access_token),
            json!({"active": false}),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_problem(
        app.get_as("/api/v1/me", &user.access_token).await,
        401,
        "unauthenticated",
    )
    .await;
    let response = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": user.refresh_token}),
        )
        .await;
    assert_problem(response, 401, "unauthenticated").await;
}

#[tokio::test]
async fn the_last_active_admin_can_be_neither_deactivated_nor_demoted() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let path = format!("/api/v1/users/{}", admin.id);
    assert_problem(
        app.patch(&path, Some(&admin.access_token), json!({"active": false}))
            .await,
        409,
        "conflict",
    )
    .await;
    let unit = app.service_unit("Hjemmetjenesten Stavern").await;
    assert_problem(
        app.patch(
            &path,
            Some(&admin.access_token),
            json!({"role": "staff", "service_unit_id": unit}),
        )
        .await,
        409,
        "conflict",
    )
    .await;
    // With a second admin it is allowed.
    let other = app.admin().await;
    assert_eq!(
        app.patch(&path, Some(&other.access_token), json!({"active": false}))
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn a_password_reset_works_end_to_end_once() {
    let app = TestApp::spawn().await;
    let user = app.volunteer().await;
    let response = app
        .post(
            "/api/v1/auth/password-reset",
            None,
            json!({"email": user.email.to_uppercase()}),
        )
        .await;
    assert_eq!(response.status(), 202);
    let mails = app.mail_to(&user.email).await;
    assert_eq!(mails.len(), 1);
    assert_eq!(
        mails[0].header("Subject").as_deref(),
        Some("Tilbakestill passordet ditt")
    );
    let token = mails[0].link_token("reset-password");
    let page = app
        .get(&format!("/e/reset-password?token={token}"))
        .await
        .text()
        .await
        .expect("html");
    assert!(page.contains("Nytt passord") && page.contains("type=\"password\""));

    // A password the policy refuses keeps the link usable.
    let weak = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            None,
            json!({"token": token, "password": "kort"}),
        )
        .await;
    assert_problem(weak, 422, "validation_failed").await;

    let new_password = "Nytt-og-bedre-passord-7";
    let response = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            None,
            json!({"token": token, "password": new_password}),
        )
        .await;
    assert_eq!(response.status(), 204);

    let old = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"email": user.email, "password": user.password}),
        )
        .await;
    assert_problem(old, 401, "unauthenticated").await;
    app.login(&user.email, new_password).await;
    let reuse = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            None,
            json!({"token": token, "password": "Enda-et-nytt-passord-8"}),
        )
        .await;
    assert_problem(reuse, 422, "validation_failed").await;
    let refresh = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": user.refresh_token}),
        )
        .await;
    assert_problem(refresh, 401, "unauthenticated").await;
}

#[tokio::test]
async fn reset_and_resend_run_the_same_statements_for_known_and_unknown_addresses() {
    let app = TestApp::spawn().await;
    let known = app.volunteer().await;
    register(&app, "uverifisert@example.no").await;
    app.drain_outbox().await;
    let before = app.smtp.received().len();
    let sent = |path: &'static str, email: &str, id: &str| {
        let request = app
            .client
            .post(app.url(path))
            .header("x-request-id", id)
            .json(&json!({"email": email}));
        let app = &app;
        let id = id.to_owned();
        async move {
            let response = app.send(request).await;
            assert_eq!(response.status(), 202, "{path}");
            app.statements(&id)
        }
    };
    let reset_known = sent("/api/v1/auth/password-reset", &known.email, "reset-known").await;
    let reset_unknown = sent(
        "/api/v1/auth/password-reset",
        "ingen@example.no",
        "reset-unknown",
    )
    .await;
    assert!(!reset_known.is_empty(), "the request writes its row");
    assert_eq!(
        reset_known, reset_unknown,
        "the same work for every address"
    );
    let resend_known = sent(
        "/api/v1/auth/verify-email/resend",
        "uverifisert@example.no",
        "resend-known",
    )
    .await;
    let resend_unknown = sent(
        "/api/v1/auth/verify-email/resend",
        "ingen@example.no",
        "resend-unknown",
    )
    .await;
    assert_eq!(resend_known, resend_unknown);

    // Later, the worker resolves them: the accounts get their links, nobody else anything.
    app.drain_outbox().await;
    let received = app.smtp.received();
    assert_eq!(received.len() - before, 2);
    assert!(app.mail_to("ingen@example.no").await.is_empty());
    assert_eq!(app.mail_to(&known.email).await.len(), 1);
    let reset = &app.mail_to(&known.email).await[0];
    assert!(reset.link_token("reset-password").len() > 20);
}

#[tokio::test]
async fn resending_verification_sends_a_new_link_and_the_old_one_dies() {
    let app = TestApp::spawn().await;
    register(&app, "lise@example.no").await;
    let first = app.mail_to("lise@example.no").await[0].link_token("verify");
    let response = app
        .post(
            "/api/v1/auth/verify-email/resend",
            None,
            json!({"email": "LISE@example.no"}),
        )
        .await;
    assert_eq!(response.status(), 202);
    let mails = app.mail_to("lise@example.no").await;
    assert_eq!(mails.len(), 2);
    let second = mails[1].link_token("verify");
    assert_problem(
        app.post("/api/v1/auth/verify-email", None, json!({"token": first}))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        app.post("/api/v1/auth/verify-email", None, json!({"token": second}))
            .await
            .status(),
        204
    );
}

#[tokio::test]
async fn failed_logins_are_limited_per_address_with_retry_after() {
    crate::helpers::clear_of_a_login_window_edge().await;
    let app = TestApp::spawn_with(|s| s.login_limit_per_email = 3).await;
    let user = app.volunteer().await;
    for _ in 0..3 {
        let response = app
            .post(
                "/api/v1/auth/login",
                None,
                json!({"email": user.email, "password": "Feil-passord-123"}),
            )
            .await;
        assert_eq!(response.status(), 401);
    }
    // Even the right password is refused now, and in any letter case.
    let response = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"email": user.email.to_uppercase(), "password": user.password}),
        )
        .await;
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=900).contains(&retry_after));
    assert_problem(response, 429, "rate_limited").await;
}

#[tokio::test]
async fn parallel_wrong_logins_get_no_more_evaluations_than_the_limit() {
    let app = TestApp::spawn_with(|s| s.db_pool_size = 16).await;
    let user = app.volunteer().await;
    let attempts = (0..120).map(|_| {
        app.post(
            "/api/v1/auth/login",
            None,
            json!({"email": user.email, "password": "Feil-passord-123"}),
        )
    });
    let statuses: Vec<u16> = futures_util::future::join_all(attempts)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    let evaluated = statuses.iter().filter(|s| **s == 401).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    // A debug build hashes slowly, so a few may find the hasher busy (503, given back).
    let busy = statuses.iter().filter(|s| **s == 503).count();
    assert_eq!(evaluated + refused + busy, 120, "{statuses:?}");
    assert!(
        (1..=10).contains(&evaluated),
        "each attempt is reserved before the hash, so at most 10 are evaluated: {statuses:?}"
    );
    assert!(refused >= 100, "{statuses:?}");
    // The right password, once the window allows again, gives its slot back.
    app.sql("DELETE FROM rate_limit_counters").await;
    for _ in 0..12 {
        app.login(&user.email, &user.password).await;
    }
}

#[tokio::test]
async fn a_stranger_elsewhere_cannot_lock_the_owner_out_but_the_ceiling_holds() {
    crate::helpers::clear_of_a_login_window_edge().await;
    let app = TestApp::spawn_with(|s| {
        s.login_limit_per_email = 3;
        s.login_ceiling_per_email = 6;
        s.trusted_proxies = vec!["127.0.0.1/32".parse().expect("net")];
    })
    .await;
    let user = app.volunteer().await;
    let attempt = |ip: &'static str, password: &str| {
        let request = app
            .client
            .post(app.url("/api/v1/auth/login"))
            .header("x-forwarded-for", ip)
            .json(&json!({"email": user.email, "password": password}));
        let app = &app;
        async move { app.send(request).await.status().as_u16() }
    };
    for _ in 0..3 {
        assert_eq!(attempt("198.51.100.9", "Feil-passord-123").await, 401);
    }
    assert_eq!(
        attempt("198.51.100.9", "Feil-passord-123").await,
        429,
        "the stranger's network is stopped"
    );
    assert_eq!(
        attempt("203.0.113.5", &user.password).await,
        200,
        "the owner, from their own network, still gets in"
    );
    // Spread over networks, guesses stop at the ceiling for everyone.
    for ip in ["192.0.2.1", "192.0.2.2", "192.0.2.3"] {
        assert_eq!(attempt(ip, "Feil-passord-123").await, 401);
    }
    assert_eq!(attempt("192.0.2.4", "Feil-passord-123").await, 429);
    assert_eq!(attempt("203.0.113.5", &user.password).await, 429);
    // The right password was stepped up: its owner was emailed an unlock link.
    let mails = app.mail_to(&user.email).await;
    assert_eq!(
        mails.last().expect("mail").header("Subject").as_deref(),
        Some("Var det deg som prøvde å logge inn?")
    );
}

#[tokio::test]
async fn at_the_ceiling_the_owner_steps_up_by_email_and_a_guess_learns_nothing() {
    crate::helpers::clear_of_a_login_window_edge().await;
    let app = TestApp::spawn_with(|s| {
        s.login_limit_per_email = 10;
        s.login_ceiling_per_email = 12;
        s.trusted_proxies = vec!["127.0.0.1/32".parse().expect("net")];
    })
    .await;
    let user = app.volunteer().await;
    let before = app.mail_to(&user.email).await.len();
    let attempt = |ip: &'static str, password: &str| {
        let request = app
            .client
            .post(app.url("/api/v1/auth/login"))
            .header("x-forwarded-for", ip)
            .json(&json!({"email": user.email, "password": password}));
        let app = &app;
        async move { app.send(request).await }
    };
    // Five networks, a few wrong passwords each, reach the address's ceiling.
    for ip in ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"] {
        for _ in 0..3 {
            assert_eq!(attempt(ip, "Feil-passord-123").await.status(), 401);
        }
    }
    // From here a wrong and a right password from a new network get the same answer.
    let wrong = assert_problem(
        attempt("198.51.100.7", "Feil-passord-123").await,
        429,
        "login_step_up",
    )
    .await;
    assert_eq!(
        app.mail_to(&user.email).await.len(),
        before,
        "a wrong password sends nothing"
    );
    let right = assert_problem(
        attempt("2001:db8:7:1::5", &user.password).await,
        429,
        "login_step_up",
    )
    .await;
    for field in ["type", "title", "status", "detail", "code"] {
        assert_eq!(wrong[field], right[field], "{field}: no oracle");
    }
    // A second right password in the quarter hour sends no second link.
    assert_problem(
        attempt("2001:db8:7:1::5", &user.password).await,
        429,
        "login_step_up",
    )
    .await;
    // The console's sign-in says the same, in words.
    let mut browser = crate::console::Browser::new(&app);
    let page = browser.sign_in(&user.email, &user.password).await;
    assert_eq!(page.status, 429);
    assert!(
        page.body.contains("har eieren fått en e-post med en lenke"),
        "{}",
        page.body
    );
    let mails = app.mail_to(&user.email).await;
    assert_eq!(mails.len(), before + 1, "one unlock link");
    let token = mails.last().expect("mail").link_token("unlock");
    // Opening the link changes nothing (mail scanners prefetch links).
    let page = app
        .client
        .get(app.url(&format!("/e/unlock?token={token}&lang=nb")))
        .send()
        .await
        .expect("sent");
    assert_eq!(page.status(), 200);
    assert_problem(
        attempt("2001:db8:7:1::5", &user.password).await,
        429,
        "login_step_up",
    )
    .await;
    let unlock = |token: String| {
        let app = &app;
        async move {
            let response = app
                .client
                .post(app.url("/e/unlock"))
                .form(&[("token", token.as_str()), ("lang", "nb")])
                .send()
                .await
                .expect("sent");
            let status = response.status().as_u16();
            (status, response.text().await.expect("html"))
        }
    };
    let (status, done) = unlock(token.clone()).await;
    assert_eq!(status, 200, "{done}");
    assert!(done.contains("Logg inn på nytt fra samme sted"), "{done}");
    assert_eq!(unlock(token).await.0, 400, "the link works once");
    // The owner's network (the whole IPv6 /64) is in; every other network is still held.
    assert_eq!(
        attempt("2001:db8:7:1::9", &user.password).await.status(),
        200
    );
    assert_eq!(
        attempt("2001:db8:7:1::9", "Feil-passord-123")
            .await
            .status(),
        401,
        "from the unlocked network a wrong password is a plain 401"
    );
    assert_problem(
        attempt("198.51.100.8", &user.password).await,
        429,
        "login_step_up",
    )
    .await;
}

#[tokio::test]
async fn failed_logins_are_limited_per_ip() {
    crate::helpers::clear_of_a_login_window_edge().await;
    let app = TestApp::spawn_with(|s| s.login_limit_per_ip = 4).await;
    for i in 0..4 {
        let email = format!("guess{i}@example.no");
        let response = app
            .post(
                "/api/v1/auth/login",
                None,
                json!({"email": email, "password": "Feil-passord-123"}),
            )
            .await;
        assert_eq!(response.status(), 401);
    }
    let response = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"email": "guess9@example.no", "password": "x"}),
        )
        .await;
    assert_problem(response, 429, "rate_limited").await;
}

#[tokio::test]
async fn x_forwarded_for_counts_only_behind_a_trusted_proxy() {
    crate::helpers::clear_of_a_login_window_edge().await;
    let app = TestApp::spawn_with(|s| {
        s.login_limit_per_ip = 2;
        s.trusted_proxies = vec!["127.0.0.1/32".parse().expect("net")];
    })
    .await;
    let attempt = |ip: &'static str| {
        let app = &app;
        async move {
            app.send(
                app.client
                    .post(app.url("/api/v1/auth/login"))
                    .header("x-forwarded-for", ip)
                    .json(&json!({"email": "x@example.no", "password": "Feil-passord-123"})),
            )
            .await
            .status()
            .as_u16()
        }
    };
    assert_eq!(attempt("203.0.113.7").await, 401);
    assert_eq!(attempt("203.0.113.7").await, 401);
    assert_eq!(attempt("203.0.113.7").await, 429);
    assert_eq!(
        attempt("198.51.100.1").await,
        401,
        "another client behind the proxy has its own budget"
    );
}

#[tokio::test]
async fn registrations_are_limited_per_ip() {
    crate::helpers::clear_of_a_window_edge(
        std::time::Duration::from_secs(3600),
        std::time::Duration::from_secs(120),
    )
    .await;
    let app = TestApp::spawn_with(|s| s.register_limit_per_ip = 2).await;
    assert_eq!(register(&app, "a1@example.no").await.status(), 201);
    assert_eq!(register(&app, "a2@example.no").await.status(), 201);
    assert_problem(register(&app, "a3@example.no").await, 429, "rate_limited").await;
    app.deliver_mail().await;
}

#[tokio::test]
async fn patch_me_refuses_role_unit_active_and_verification_with_422() {
    let app = TestApp::spawn().await;
    let user = app.volunteer().await;
    for field in ["role", "service_unit_id", "active", "email_verified"] {
        let value = match field {
            "role" => json!("admin"),
            "service_unit_id" => json!(uuid::Uuid::now_v7()),
            _ => json!(true),
        };
        let response = app
            .patch(
                "/api/v1/me",
                Some(&user.access_token),
                json!({ field: value }),
            )
            .await;
        let body = assert_problem(response, 422, "validation_failed").await;
        assert_eq!(body["errors"][0]["field"], field);
    }
    let me: Value = app
        .get_as("/api/v1/me", &user.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(me["role"], "volunteer");
}

#[tokio::test]
async fn patch_me_changes_profile_preferences_and_opt_outs() {
    let app = TestApp::spawn().await;
    let user = app.volunteer().await;
    let council = app.council_id("Hvarnes").await;
    let categories = app
        .query_json("SELECT id FROM categories ORDER BY slug LIMIT 2")
        .await;
    let ids: Vec<&str> = categories
        .iter()
        .map(|c| c["id"].as_str().expect("id"))
        .collect();
    let response = app
        .patch(
            "/api/v1/me",
            Some(&user.access_token),
            json!({"name": "Kari N.", "phone": null, "language": "en", "council_id": council, "invitable": true,
                   "category_opt_outs": ids, "notifications": {"reminder": false, "new_tasks_digest": true}}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let me: Value = response.json().await.expect("json");
    assert_eq!(me["name"], "Kari N.");
    assert_eq!(me["phone"], Value::Null);
    assert_eq!(me["council_id"], council.to_string());
    assert_eq!(me["invitable"], true);
    assert_eq!(me["notifications"]["reminder"], false);
    assert_eq!(me["notifications"]["new_tasks_digest"], true);
    assert_eq!(me["notifications"]["claim_confirmation"], true);
    let mut got: Vec<&str> = me["category_opt_outs"]
        .as_array()
        .expect("array")
        .iter()
        .map(|v| v.as_str().expect("id"))
        .collect();
    got.sort_unstable();
    let mut want = ids.clone();
    want.sort_unstable();
    assert_eq!(got, want);

    let unknown = app
        .patch(
            "/api/v1/me",
            Some(&user.access_token),
            json!({"category_opt_outs": [uuid::Uuid::now_v7()]}),
        )
        .await;
    assert_problem(unknown, 422, "validation_failed").await;
}

#[tokio::test]
async fn a_coordinator_cannot_move_their_own_council() {
    let app = TestApp::spawn().await;
    let council = app.council_id("Kvelde").await;
    let coordinator = app
        .create_user(Role::Coordinator, None, Some(council))
        .await;
    let other = app.council_id("Svarstad").await;
    let response = app
        .patch(
            "/api/v1/me",
            Some(&coordinator.access_token),
            json!({"council_id": other}),
        )
        .await;
    let body = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "council_id");
}

#[tokio::test]
async fn changing_the_email_address_needs_the_password_tells_the_old_one_and_ends_every_session() {
    crate::helpers::clear_of_a_login_window_edge().await;
    let app = TestApp::spawn_with(|s| s.login_limit_per_email = 3).await;
    let user = app.volunteer().await;
    let other = app.volunteer().await;
    let change = |body: Value| {
        let (app, token) = (&app, user.access_token.clone());
        async move { app.patch("/api/v1/me", Some(&token), body).await }
    };
    // A stolen access token alone cannot move the account.
    let missing = change(json!({"email": "tyv@example.no"})).await;
    let body = assert_problem(missing, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "current_password");
    for _ in 0..3 {
        let wrong =
            change(json!({"email": "tyv@example.no", "current_password": "Gjettet-passord-1"}))
                .await;
        let body = assert_problem(wrong, 422, "validation_failed").await;
        assert_eq!(body["errors"][0]["field"], "current_password");
    }
    // Wrong passwords count against the login limit like any guess.
    let limited =
        change(json!({"email": "tyv@example.no", "current_password": user.password})).await;
    assert_problem(limited, 429, "rate_limited").await;
    app.sql("DELETE FROM rate_limit_counters").await;

    let taken =
        change(json!({"email": other.email.to_uppercase(), "current_password": user.password}))
            .await;
    assert_problem(taken, 409, "email_taken").await;

    let response =
        change(json!({"email": "ny.adresse@example.no", "current_password": user.password})).await;
    assert_eq!(response.status(), 200);
    let me: Value = response.json().await.expect("json");
    assert_eq!(me["email"], user.email.as_str(), "unchanged until verified");
    assert!(app.mail_to("tyv@example.no").await.is_empty());

    // Every session ended, the caller's too.
    let refresh = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": user.refresh_token}),
        )
        .await;
    assert_problem(refresh, 401, "unauthenticated").await;
    // The old address is told, and stays the login until the new one is verified.
    let told = app.mail_to(&user.email).await;
    let notice = told
        .iter()
        .find(|m| {
            m.header("Subject")
                .is_some_and(|s| s.contains("E-postadressen din i dugnad endres"))
        })
        .expect("the old address is told");
    assert!(notice.text_body().contains("n***@example.no"));
    app.login(&user.email, &user.password).await;
    let verification = &app.mail_to("ny.adresse@example.no").await[0];
    assert!(
        !verification.text_body().contains("Test volunteer"),
        "no name in mail to an address nobody confirmed"
    );
    let token = verification.link_token("verify");
    assert_eq!(
        app.post("/api/v1/auth/verify-email", None, json!({"token": token}))
            .await
            .status(),
        204
    );
    app.login("ny.adresse@example.no", &user.password).await;
}

#[tokio::test]
async fn nobody_can_flood_a_strangers_address_through_the_service() {
    let app = TestApp::spawn().await;
    let user = app.volunteer().await;
    for _ in 0..20 {
        let response = app
            .patch(
                "/api/v1/me",
                Some(&user.access_token),
                json!({"email": "fremmed@example.no", "current_password": user.password, "name": "Kjøp billig Viagra"}),
            )
            .await;
        assert_eq!(response.status(), 200);
    }
    for _ in 0..5 {
        let response = app
            .post(
                "/api/v1/auth/password-reset",
                None,
                json!({"email": "fremmed@example.no"}),
            )
            .await;
        assert_eq!(response.status(), 202);
    }
    let mails = app.mail_to("fremmed@example.no").await;
    assert_eq!(mails.len(), 5, "the per-address limit of security emails");
    for mail in &mails {
        assert!(
            !mail.text_body().contains("Viagra"),
            "no name the recipient never confirmed"
        );
    }
    let dropped = app
        .query_json("SELECT count(*) AS n FROM outbox WHERE status = 'dropped'")
        .await;
    assert!(
        dropped[0]["n"].as_i64().is_some_and(|n| n >= 15),
        "{dropped:?}"
    );
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_ends_other_sessions() {
    let app = TestApp::spawn().await;
    let user = app.volunteer().await;
    let wrong = app
        .post(
            "/api/v1/me/password",
            Some(&user.access_token),
            json!({"current_password": "Feil-passord-123", "password": "Helt-nytt-passord-9"}),
        )
        .await;
    let body = assert_problem(wrong, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "current_password");
    let ok = app
        .post(
            "/api/v1/me/password",
            Some(&user.access_token),
            json!({"current_password": user.password, "password": "Helt-nytt-passord-9"}),
        )
        .await;
    assert_eq!(ok.status(), 204);
    app.login(&user.email, "Helt-nytt-passord-9").await;
    let refresh = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": user.refresh_token}),
        )
        .await;
    assert_problem(refresh, 401, "unauthenticated").await;
}

#[tokio::test]
async fn an_admin_creates_staff_who_choose_their_password_through_the_link() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let unit = app.service_unit("Hjemmetjenesten Sentrum").await;

    let missing_unit = app
        .post(
            "/api/v1/users",
            Some(&admin.access_token),
            json!({"email": "s@example.no", "name": "S", "role": "staff"}),
        )
        .await;
    let body = assert_problem(missing_unit, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "service_unit_id");
    let volunteer = app
        .post(
            "/api/v1/users",
            Some(&admin.access_token),
            json!({"email": "v@example.no", "name": "V", "role": "volunteer"}),
        )
        .await;
    assert_problem(volunteer, 422, "validation_failed").await;

    let response = app
        .post(
            "/api/v1/users",
            Some(&admin.access_token),
            json!({"email": "Siri.Staff@larvik.test", "name": "Siri", "role": "staff", "service_unit_id": unit}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.expect("json");
    assert_eq!(created["service_unit_id"], unit.to_string());
    let id = created["id"].as_str().expect("id").to_owned();
    let duplicate = app
        .post(
            "/api/v1/users",
            Some(&admin.access_token),
            json!({"email": "siri.staff@larvik.test", "name": "Siri", "role": "staff", "service_unit_id": unit}),
        )
        .await;
    assert_problem(duplicate, 409, "email_taken").await;

    // No password yet: nobody can log in as Siri.
    let response = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"email": "siri.staff@larvik.test", "password": "anything-at-all"}),
        )
        .await;
    assert_problem(response, 401, "unauthenticated").await;

    let resend = app
        .post(
            &format!("/api/v1/users/{id}/resend-invitation"),
            Some(&admin.access_token),
            json!({}),
        )
        .await;
    assert_eq!(resend.status(), 202);
    let mails = app.mail_to("Siri.Staff@larvik.test").await;
    assert_eq!(mails.len(), 2);
    assert!(mails[0].text_body().contains("ansatt"));
    assert!(
        mails[1].text_body().contains("/console/login"),
        "the email says where to sign in: {}",
        mails[1].text_body()
    );
    let old_token = mails[0].link_token("set-password");
    let token = mails[1].link_token("set-password");
    let page = app
        .get(&format!("/e/set-password?token={token}"))
        .await
        .text()
        .await
        .expect("html");
    assert!(page.contains("Velg passord"));
    // Without JavaScript the page's form is a plain POST to the page itself: the password
    // goes in the body, never in a URL.
    assert!(
        page.contains(r#"<form method="post" action="/e/set-password">"#),
        "{page}"
    );
    assert!(!page.contains("<script"), "{page}");
    let submit = |token: String, password: &'static str| {
        let app = &app;
        async move {
            let response = app
                .client
                .post(app.url("/e/set-password"))
                .form(&[
                    ("token", token.as_str()),
                    ("lang", "nb"),
                    ("password", password),
                ])
                .send()
                .await
                .expect("sent");
            assert_eq!(response.url().query(), None, "nothing in the URL");
            let status = response.status().as_u16();
            (status, response.text().await.expect("html"))
        }
    };
    let (status, stale) = submit(old_token, "Siri-sitt-passord-1").await;
    assert_eq!(status, 400);
    assert!(
        stale.contains("Lenken kan være brukt eller utløpt"),
        "{stale}"
    );
    // A weak password is refused in the page's language, and the link still works.
    let (status, weak) = submit(token.clone(), "passord123").await;
    assert_eq!(status, 422);
    assert!(weak.contains("Passordet er for svakt"), "{weak}");
    assert!(weak.contains(r#"aria-invalid="true""#));
    let (status, done) = submit(token, "Siri-sitt-passord-1").await;
    assert_eq!(status, 200, "{done}");
    assert!(done.contains("Passordet er lagret"), "{done}");
    assert!(
        done.contains("/console/login"),
        "says where to sign in: {done}"
    );
    let (access, _) = app
        .login("siri.staff@larvik.test", "Siri-sitt-passord-1")
        .await;
    let me: Value = app
        .get_as("/api/v1/me", &access)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(me["role"], "staff");
    assert_eq!(me["email_verified"], true);
    let again = app
        .post(
            &format!("/api/v1/users/{id}/resend-invitation"),
            Some(&admin.access_token),
            json!({}),
        )
        .await;
    assert_problem(again, 409, "conflict").await;
}

#[tokio::test]
async fn admins_manage_councils_categories_and_service_units() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let token = Some(admin.access_token.as_str());
    let council: Value = app
        .post("/api/v1/councils", token, json!({"name": "Nanset"}))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(council["name"], "Nanset");
    assert_problem(
        app.post("/api/v1/councils", token, json!({"name": "nanset"}))
            .await,
        409,
        "conflict",
    )
    .await;
    let id = council["id"].as_str().expect("id");
    let renamed: Value = app
        .patch(
            &format!("/api/v1/councils/{id}"),
            token,
            json!({"name": "Nanset og Hedrum", "active": false}),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(renamed["active"], false);

    let category = app
        .post(
            "/api/v1/categories",
            token,
            json!({"slug": "snow-clearing", "name_nb": "Snømåking", "name_en": "Snow clearing"}),
        )
        .await;
    assert_eq!(category.status(), 201);
    let category: Value = category.json().await.expect("json");
    assert_eq!(
        category["name_nn"], "Snømåking",
        "the bokmål name when none given"
    );
    let gritting: Value = app
        .post(
            "/api/v1/categories",
            token,
            json!({"slug": "gritting", "name_nb": "Strøing", "name_nn": "Strøing av vegar", "name_en": "Gritting"}),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(gritting["name_nn"], "Strøing av vegar");
    let bad = app
        .post(
            "/api/v1/categories",
            token,
            json!({"slug": "Bad Slug", "name_nb": "", "name_en": "X"}),
        )
        .await;
    let body = assert_problem(bad, 422, "validation_failed").await;
    assert_eq!(body["errors"].as_array().expect("errors").len(), 2);
    let deactivated: Value = app
        .patch(
            &format!(
                "/api/v1/categories/{}",
                category["id"].as_str().expect("id")
            ),
            token,
            json!({"active": false}),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(deactivated["active"], false);
    assert_eq!(deactivated["slug"], "snow-clearing");

    let unit = app
        .post("/api/v1/service-units", token, json!({"name": "Hverdagsrehabilitering", "email": "rehab@larvik.test", "phone": "33 17 00 00"}))
        .await;
    assert_eq!(unit.status(), 201);
    let unit: Value = unit.json().await.expect("json");
    assert_eq!(unit["email"], "rehab@larvik.test");
    let changed: Value = app
        .patch(
            &format!("/api/v1/service-units/{}", unit["id"].as_str().expect("id")),
            token,
            json!({"phone": null}),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(changed["phone"], Value::Null);
    let missing = app
        .patch(
            &format!("/api/v1/service-units/{}", uuid::Uuid::now_v7()),
            token,
            json!({"name": "X"}),
        )
        .await;
    assert_problem(missing, 404, "not_found").await;
    let not_an_id = app
        .patch("/api/v1/service-units/123", token, json!({"name": "X"}))
        .await;
    assert_problem(not_an_id, 404, "not_found").await;
}

#[tokio::test]
async fn admins_list_users_by_role_in_pages() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    for _ in 0..3 {
        app.volunteer().await;
    }
    let page: Value = app
        .get_as("/api/v1/users?role=volunteer&limit=2", &admin.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(page["items"].as_array().expect("items").len(), 2);
    let cursor = page["next_cursor"].as_str().expect("more");
    let rest: Value = app
        .get_as(
            &format!("/api/v1/users?role=volunteer&limit=2&cursor={cursor}"),
            &admin.access_token,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(rest["items"].as_array().expect("items").len(), 1);
    assert_eq!(rest["next_cursor"], Value::Null);
    let bad = app
        .get_as("/api/v1/users?role=king", &admin.access_token)
        .await;
    assert_problem(bad, 422, "validation_failed").await;
}

#[tokio::test]
async fn create_user_on_the_command_line_then_login() {
    let app = TestApp::spawn().await;
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_dugnad"))
        .args([
            "create-user",
            "--role",
            "admin",
            "--email",
            "forste.admin@larvik.test",
            "--name",
            "Første Admin",
        ])
        .env("DATABASE_URL", &app.db.url)
        .env("DUGNAD_PASSWORD", "Et-sterkt-adminpassord-1")
        .env(
            "DUGNAD_VAR_DIR",
            std::env::temp_dir().join("dugnad-test-var"),
        )
        .env_remove("RUST_LOG")
        .output()
        .await
        .expect("run dugnad");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // A newcomer's first screen is the result, not the migrations' log lines.
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "",
        "nothing on stderr"
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.lines().count(), 1, "one line: {stdout}");
    assert!(stdout.contains("forste.admin@larvik.test"), "{stdout}");
    assert!(
        !String::from_utf8_lossy(&output.stdout).contains("Et-sterkt"),
        "the password is never printed"
    );
    let (access, _) = app
        .login("forste.admin@larvik.test", "Et-sterkt-adminpassord-1")
        .await;
    let me: Value = app
        .get_as("/api/v1/me", &access)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(me["role"], "admin");
    assert_eq!(me["email_verified"], true);

    // A weak password is refused, naming the field.
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_dugnad"))
        .args([
            "create-user",
            "--role",
            "volunteer",
            "--email",
            "svak@larvik.test",
            "--name",
            "Svak",
        ])
        .env("DATABASE_URL", &app.db.url)
        .env("DUGNAD_PASSWORD", "kort")
        .env(
            "DUGNAD_VAR_DIR",
            std::env::temp_dir().join("dugnad-test-var"),
        )
        .output()
        .await
        .expect("run dugnad");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("password"));
}

#[tokio::test]
async fn a_loop_of_right_passwords_is_held_per_address_and_ip() {
    crate::helpers::clear_of_a_login_window_edge().await;
    let app = TestApp::spawn_with(|s| {
        s.login_success_limit = 4;
        s.trusted_proxies = vec!["127.0.0.1/32".parse().expect("net")];
    })
    .await;
    let user = app.volunteer().await;
    let attempt = |ip: &'static str, password: String| {
        let request = app
            .client
            .post(app.url("/api/v1/auth/login"))
            .header("x-forwarded-for", ip)
            .json(&json!({"email": user.email, "password": password}));
        let app = &app;
        async move { app.send(request).await.status().as_u16() }
    };
    // Wrong passwords count only against the failure limits.
    for _ in 0..5 {
        assert_eq!(
            attempt("198.51.100.7", "Feil-passord-123".into()).await,
            401
        );
    }
    for _ in 0..4 {
        assert_eq!(attempt("198.51.100.7", user.password.clone()).await, 200);
    }
    let held = app
        .send(
            app.client
                .post(app.url("/api/v1/auth/login"))
                .header("x-forwarded-for", "198.51.100.7")
                .json(&json!({"email": user.email, "password": user.password})),
        )
        .await;
    let problem = assert_problem(held, 429, "rate_limited").await;
    assert!(problem["detail"].is_string());
    // Another network is not held by this one's loop.
    assert_eq!(attempt("203.0.113.5", user.password.clone()).await, 200);
}

#[tokio::test]
async fn an_ipv6_client_is_counted_by_its_slash_64() {
    crate::helpers::clear_of_a_login_window_edge().await;
    let app = TestApp::spawn_with(|s| {
        s.login_limit_per_email = 3;
        s.trusted_proxies = vec!["127.0.0.1/32".parse().expect("net")];
    })
    .await;
    let user = app.volunteer().await;
    let attempt = |ip: &'static str| {
        let request = app
            .client
            .post(app.url("/api/v1/auth/login"))
            .header("x-forwarded-for", ip)
            .json(&json!({"email": user.email, "password": "Feil-passord-123"}));
        let app = &app;
        async move { app.send(request).await.status().as_u16() }
    };
    for ip in ["2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff::9"] {
        assert_eq!(attempt(ip).await, 401, "{ip}");
    }
    assert_eq!(
        attempt("2001:db8:1:2:abcd::1").await,
        429,
        "a new address in the same /64 is the same client"
    );
    assert_eq!(attempt("2001:db8:1:3::1").await, 401, "another /64 is not");
}
