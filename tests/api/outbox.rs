//! The email pipeline, end to end: outbox row → worker → lettre → the loopback SMTP server.

use std::time::{Duration, Instant};

use diesel_async::AsyncConnection;
use dugnad::domain::Language;
use dugnad::email::EmailBody;
use dugnad::notify::{Intent, NewEmail, TaskFacts, UnitFacts, enqueue};
use serde_json::Value;

use crate::helpers::TestApp;
use crate::support::smtp::Behaviour;

fn sample_email(to: &str) -> NewEmail {
    NewEmail {
        user_id: Some(uuid::Uuid::now_v7()),
        to: to.to_owned(),
        language: Language::Nb,
        intent: Intent::ClaimConfirmation {
            name: Some("Kari".into()),
            task: TaskFacts {
                id: uuid::Uuid::now_v7(),
                title: "Tur i Østre Halsen".into(),
                starts_at: chrono::Utc::now() + chrono::Duration::days(2),
                area_hint: Some("Østre Halsen".into()),
                claimed: 1,
                spots: 2,
                category_id: None,
            },
            unit: UnitFacts {
                name: "Hjemmetjenesten".into(),
                email: "hjemmetjenesten@larvik.test".into(),
                phone: None,
            },
        },
    }
}

async fn enqueue_one(app: &TestApp, to: &str) -> uuid::Uuid {
    let mut conn = app.pool.get().await.expect("connection");
    enqueue(&mut conn, &sample_email(to))
        .await
        .expect("enqueued")
}

async fn outbox_row(app: &TestApp, id: uuid::Uuid) -> Value {
    app.query_json(&format!(
        "SELECT status, attempts, last_error, sent_at FROM outbox WHERE id = '{id}'"
    ))
    .await
    .pop()
    .expect("the row exists")
}

#[tokio::test]
async fn an_enqueued_email_is_delivered_over_smtp_with_text_html_and_a_stable_message_id() {
    let app = TestApp::spawn().await;
    let id = enqueue_one(&app, "kari@example.no").await;
    assert_eq!(app.drain_outbox().await, 1);

    let received = app.smtp.received();
    assert_eq!(received.len(), 1);
    let mail = &received[0];
    assert_eq!(mail.to, vec!["kari@example.no".to_owned()]);
    assert_eq!(mail.from, "noreply@dugnad.test");
    assert_eq!(
        mail.header("Message-ID").as_deref(),
        Some(format!("<{id}@dugnad.test>").as_str())
    );
    assert!(
        mail.header("List-Unsubscribe")
            .is_some_and(|v| v.contains("/api/v1/links/unsubscribe?token="))
    );
    assert!(mail.data.contains("text/plain") && mail.data.contains("text/html"));

    let row = outbox_row(&app, id).await;
    assert_eq!(row["status"], "sent");
    assert_eq!(row["attempts"], 1);
    assert!(row["sent_at"].is_string());
    assert_eq!(
        app.drain_outbox().await,
        0,
        "a sent email is not sent again"
    );
}

#[tokio::test]
async fn a_transient_4xx_is_retried_later_and_then_delivered() {
    let app = TestApp::spawn().await;
    app.smtp.set_behaviour(Behaviour::TempFail);
    let id = enqueue_one(&app, "ola@example.no").await;
    app.drain_outbox().await;

    let row = outbox_row(&app, id).await;
    assert_eq!(row["status"], "pending");
    assert_eq!(row["attempts"], 1);
    assert!(
        row["last_error"]
            .as_str()
            .is_some_and(|e| e.contains("451"))
    );
    assert_eq!(
        app.drain_outbox().await,
        0,
        "backoff: not due again at once"
    );

    app.smtp.set_behaviour(Behaviour::Accept);
    app.make_outbox_due().await;
    assert_eq!(app.drain_outbox().await, 1);
    assert_eq!(outbox_row(&app, id).await["status"], "sent");
    assert_eq!(app.smtp.received().len(), 1);
}

#[tokio::test]
async fn an_smtp_server_that_is_down_costs_a_retry_and_loses_nothing() {
    let app = TestApp::spawn().await;
    app.smtp.stop();
    let id = enqueue_one(&app, "ola@example.no").await;
    app.drain_outbox().await;

    let row = outbox_row(&app, id).await;
    assert_eq!(row["status"], "pending");
    assert_eq!(row["attempts"], 1);

    app.smtp.restart().await;
    app.make_outbox_due().await;
    assert_eq!(app.drain_outbox().await, 1);
    assert_eq!(outbox_row(&app, id).await["status"], "sent");
    assert_eq!(app.smtp.received().len(), 1);
}

#[tokio::test]
async fn a_permanent_5xx_leaves_the_email_dead_with_its_error() {
    let app = TestApp::spawn().await;
    // This test leaves dead mail on purpose.
    app.expect_undelivered_mail();
    app.smtp.set_behaviour(Behaviour::PermFail);
    let id = enqueue_one(&app, "nei@example.no").await;
    app.drain_outbox().await;
    let row = outbox_row(&app, id).await;
    assert_eq!(row["status"], "dead");
    assert!(
        row["last_error"]
            .as_str()
            .is_some_and(|e| e.contains("550"))
    );

    app.smtp.set_behaviour(Behaviour::Accept);
    app.make_outbox_due().await;
    assert_eq!(
        app.drain_outbox().await,
        0,
        "dead rows are kept, not retried"
    );
    let metrics = app.get("/metrics").await.text().await.expect("text");
    assert!(metrics.contains("dugnad_outbox_dead{channel=\"email\"} 1"));
}

#[tokio::test]
async fn repeated_transient_failures_end_as_dead_after_the_attempt_limit() {
    let app = TestApp::spawn().await;
    // This test leaves dead mail on purpose.
    app.expect_undelivered_mail();
    app.smtp.set_behaviour(Behaviour::TempFail);
    let id = enqueue_one(&app, "ola@example.no").await;
    for _ in 0..app.settings.outbox.max_attempts {
        app.make_outbox_due().await;
        app.drain_outbox().await;
    }
    let row = outbox_row(&app, id).await;
    assert_eq!(row["status"], "dead");
    assert_eq!(row["attempts"], app.settings.outbox.max_attempts);
}

#[tokio::test]
async fn a_hanging_smtp_server_costs_one_timeout_and_the_email_survives() {
    let app = TestApp::spawn().await;
    app.smtp.set_behaviour(Behaviour::Hang);
    let id = enqueue_one(&app, "kari@example.no").await;
    let started = Instant::now();
    app.drain_outbox().await;
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "the drain gave up"
    );
    assert_eq!(
        app.get("/healthz").await.status(),
        200,
        "the server keeps answering"
    );

    let row = outbox_row(&app, id).await;
    assert_eq!(row["status"], "pending");
    assert!(row["last_error"].is_string());

    app.smtp.set_behaviour(Behaviour::Accept);
    app.make_outbox_due().await;
    app.drain_outbox().await;
    assert_eq!(outbox_row(&app, id).await["status"], "sent");
}

#[tokio::test]
async fn a_resend_after_an_unrecorded_delivery_keeps_the_same_message_id() {
    let app = TestApp::spawn().await;
    let id = enqueue_one(&app, "kari@example.no").await;
    let before = app
        .query_json(&format!(
            "SELECT to_address, facts::text AS facts FROM outbox WHERE id = '{id}'"
        ))
        .await;
    app.drain_outbox().await;
    // As if the process died after the SMTP server accepted but before the row was
    // marked: the row is still pending as it was written.
    let facts = before[0]["facts"]
        .as_str()
        .expect("facts")
        .replace('\'', "''");
    app.sql(&format!(
        "UPDATE outbox SET status = 'pending', sent_at = NULL, message_id = NULL, \
                to_address = '{}', facts = '{facts}'::jsonb, next_attempt_at = now() WHERE id = '{id}'",
        before[0]["to_address"].as_str().expect("address")
    ))
    .await;
    app.drain_outbox().await;
    let received = app.smtp.received();
    assert_eq!(received.len(), 2);
    assert_eq!(
        received[0].header("Message-ID"),
        received[1].header("Message-ID")
    );
}

#[tokio::test]
async fn a_rolled_back_transaction_leaves_no_email() {
    let app = TestApp::spawn().await;
    let mut conn = app.pool.get().await.expect("connection");
    let result: Result<(), diesel::result::Error> = conn
        .transaction(async |conn| {
            enqueue(conn, &sample_email("kari@example.no")).await?;
            Err(diesel::result::Error::RollbackTransaction)
        })
        .await;
    assert!(result.is_err());
    let rows = app.query_json("SELECT count(*) AS n FROM outbox").await;
    assert_eq!(rows[0]["n"], 0);
    assert_eq!(app.drain_outbox().await, 0);
    assert!(app.smtp.received().is_empty());
}

#[tokio::test]
async fn an_invalid_recipient_is_dead_at_once_and_does_not_block_the_rest() {
    let app = TestApp::spawn().await;
    // This test leaves dead mail on purpose.
    app.expect_undelivered_mail();
    let bad = enqueue_one(&app, "not an address").await;
    let good = enqueue_one(&app, "kari@example.no").await;
    app.drain_outbox().await;
    assert_eq!(outbox_row(&app, bad).await["status"], "dead");
    assert_eq!(outbox_row(&app, good).await["status"], "sent");
}

#[tokio::test]
async fn the_background_worker_delivers_promptly_on_an_idle_system() {
    // The fallback poll is a minute here, so only the NOTIFY of the new row can wake the
    // worker within the five seconds this test waits.
    let app = TestApp::spawn_with(|s| {
        s.outbox.run_worker = true;
        s.outbox.idle_poll = Duration::from_secs(60);
    })
    .await;
    // The worker is idle once its listener has said LISTEN.
    app.wait_for_listener("dugnad_outbox").await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    enqueue_one(&app, "kari@example.no").await;
    while app.smtp.received().is_empty() && started.elapsed() < Duration::from_secs(5) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        app.smtp.received().len(),
        1,
        "delivered on NOTIFY, long before the minute's poll"
    );
    println!("idle delivery took {:?}", started.elapsed());
    app.wait_for_the_worker_to_settle().await;
}

#[tokio::test]
async fn without_smtp_url_emails_are_written_as_eml_files() {
    let dir = std::env::temp_dir().join(format!("dugnad-mail-{}", uuid::Uuid::new_v4().simple()));
    let app = TestApp::spawn_with(|s| {
        s.smtp_url = None;
        s.var_dir = dir.clone();
    })
    .await;
    enqueue_one(&app, "kari@example.no").await;
    app.drain_outbox().await;
    let files: Vec<_> = std::fs::read_dir(dir.join("mail"))
        .expect("mail dir")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(files.len(), 1);
    let text = std::fs::read_to_string(&files[0]).expect("eml");
    assert!(text.contains("Subject:") && text.contains("kari@example.no"));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn backoff_grows_exponentially_with_jitter_and_a_cap() {
    let config = dugnad::settings::OutboxSettings::default();
    for attempt in 1..=20 {
        let d = config.backoff(attempt);
        let exp = config.base_backoff * 2u32.pow((attempt as u32 - 1).min(20));
        let nominal = exp.min(config.max_backoff);
        assert!(
            d >= nominal.mul_f64(0.5) && d <= nominal.mul_f64(1.5),
            "attempt {attempt}: {d:?}"
        );
    }
}

#[test]
fn email_addresses_are_masked_for_logs() {
    assert_eq!(
        dugnad::email::mask_address("kari.nordmann@example.no"),
        "k***@example.no"
    );
    assert_eq!(dugnad::email::mask_address("garbage"), "***");
}

#[test]
fn html_bodies_escape_what_they_are_given() {
    let rendered = EmailBody::new(Language::En)
        .greeting(Some("<script>"))
        .paragraph("Tom & Jerry")
        .unsubscribe("http://dugnad.test/e/unsubscribe?token=a&b")
        .render("Subject");
    assert!(rendered.html.contains("&lt;script&gt;"));
    assert!(rendered.html.contains("Tom &amp; Jerry"));
    assert!(rendered.text.contains("Tom & Jerry"));
    assert!(rendered.text.contains("Hi <script>,"));
    assert!(rendered.html.contains("lang=\"en\""));
}

#[tokio::test]
async fn admins_see_dead_emails_masked_and_put_them_back_in_the_queue() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.drain_outbox().await;
    app.smtp.set_behaviour(Behaviour::PermFail);
    let id = enqueue_one(&app, "kari.nordmann@example.no").await;
    app.drain_outbox().await;

    let dead: Value = app
        .get_as("/api/v1/admin/outbox?status=dead", &admin.access_token)
        .await
        .json()
        .await
        .expect("json");
    let items = dead["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], id.to_string());
    assert_eq!(items[0]["to"], "k***@example.no", "addresses are masked");
    assert!(items[0].get("body_text").is_none());
    assert!(
        items[0]["last_error"]
            .as_str()
            .is_some_and(|e| e.contains("550"))
    );

    app.smtp.set_behaviour(Behaviour::Accept);
    let retried = app
        .post(
            &format!("/api/v1/admin/outbox/{id}/retry"),
            Some(&admin.access_token),
            serde_json::json!({}),
        )
        .await;
    assert_eq!(retried.status(), 200);
    assert_eq!(app.drain_outbox().await, 1);
    assert_eq!(outbox_row(&app, id).await["status"], "sent");
    let again = app
        .post(
            &format!("/api/v1/admin/outbox/{id}/retry"),
            Some(&admin.access_token),
            serde_json::json!({}),
        )
        .await;
    crate::helpers::assert_problem(again, 409, "conflict").await;

    let volunteer = app.volunteer().await;
    crate::helpers::assert_problem(
        app.get_as("/api/v1/admin/outbox", &volunteer.access_token)
            .await,
        403,
        "forbidden",
    )
    .await;
    let bad = app
        .get_as("/api/v1/admin/outbox?status=sent", &admin.access_token)
        .await;
    crate::helpers::assert_problem(bad, 422, "validation_failed").await;
}

#[tokio::test]
async fn a_copy_of_the_outbox_opens_nothing_and_sent_rows_keep_only_metadata() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let unit = app.service_unit("Hjemmetjenesten Stavern").await;
    let created = app
        .post(
            "/api/v1/users",
            Some(&admin.access_token),
            serde_json::json!({"email": "ny.ansatt@larvik.test", "name": "Nina Ansatt", "role": "staff", "service_unit_id": unit}),
        )
        .await;
    assert_eq!(created.status(), 201);
    // What the database holds while the email waits: what to say, not the link.
    let pending = app
        .query_json("SELECT kind, facts::text AS facts, to_address FROM outbox")
        .await;
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0]["kind"], "account_created");
    let waiting = pending[0]["facts"].as_str().expect("facts").to_owned();
    assert!(waiting.contains("token_id"), "{waiting}");

    let mails = app.mail_to("ny.ansatt@larvik.test").await;
    let token = mails[0].link_token("set-password");
    assert!(!waiting.contains(&token), "the row never held the token");
    let everything = app
        .query_json(
            "SELECT (SELECT coalesce(string_agg(to_jsonb(o)::text, ' '), '') FROM outbox o) AS outbox, \
                    (SELECT coalesce(string_agg(to_jsonb(t)::text, ' '), '') FROM email_tokens t) AS tokens",
        )
        .await;
    let dump = everything[0].to_string();
    assert!(
        !dump.contains(&token),
        "no copy of the database holds a working link"
    );
    assert!(
        !dump.contains("Nina Ansatt"),
        "no name in the outbox once sent"
    );

    let sent = app
        .query_json("SELECT status, facts, to_address, message_id FROM outbox")
        .await;
    assert_eq!(sent[0]["status"], "sent");
    assert_eq!(sent[0]["facts"], Value::Null);
    assert_eq!(sent[0]["to_address"], "n***@larvik.test");
    assert_eq!(
        sent[0]["message_id"].as_str(),
        mails[0].header("Message-ID").as_deref()
    );
    // The link still works: the server derives it from the stored id with its key.
    let confirmed = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            None,
            serde_json::json!({"token": token, "password": "Et-godt-nytt-passord-7"}),
        )
        .await;
    assert_eq!(confirmed.status(), 204);
}

#[tokio::test]
async fn dead_dropped_and_stale_rows_are_forgotten_after_the_outbox_retention() {
    let app = TestApp::spawn_with(|s| s.outbox_retention_days = 7).await;
    // This test leaves dead mail on purpose.
    app.expect_undelivered_mail();
    for (status, age) in [
        ("dead", 8),
        ("dead", 6),
        ("dropped", 8),
        ("pending", 8),
        ("sent", 30),
    ] {
        let facts = if matches!(status, "dead" | "pending") {
            "'{\"kind\": \"inactivity_warning\", \"name\": null}'"
        } else {
            "NULL"
        };
        let sent_at = if status == "sent" { "now()" } else { "NULL" };
        app.sql(&format!(
            "INSERT INTO outbox (id, channel, kind, to_address, status, facts, sent_at, created_at, next_attempt_at) \
             VALUES ('{}', 'email', 'inactivity_warning', 'k***@example.no', '{status}', {facts}, {sent_at}, \
                     now() - interval '{age} days', now() + interval '1 day')",
            uuid::Uuid::now_v7()
        ))
        .await;
    }
    let report = app.run_jobs().await;
    assert_eq!(report.outbox_forgotten, 3);
    let left = app
        .query_json("SELECT status FROM outbox ORDER BY status")
        .await;
    let left: Vec<&str> = left.iter().filter_map(|r| r["status"].as_str()).collect();
    assert_eq!(
        left,
        ["dead", "sent"],
        "the young dead row and the metadata stay"
    );
}
