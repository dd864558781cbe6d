//! Operational endpoints and start-up behaviour.

use std::process::Stdio;

use serde_json::Value;

use crate::helpers::{TestApp, assert_problem};
use crate::support::db::TestDatabase;

/// A loopback port nothing listens on.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

#[tokio::test]
async fn health_and_readiness_are_green_with_a_database() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/healthz").await.status(), 200);
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["status"], "ready");
}

#[tokio::test]
async fn readiness_is_503_with_retry_after_while_the_database_is_unreachable() {
    let url = format!("postgres://root@127.0.0.1:{}/dugnad", closed_port());
    let app = TestApp::spawn_unmigrated(url).await;
    assert_eq!(
        app.get("/healthz").await.status(),
        200,
        "alive even without a database"
    );
    let response = app.get("/readyz").await;
    assert_eq!(
        response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("5")
    );
    let body = assert_problem(response, 503, "service_unavailable").await;
    assert!(
        !body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("127.0.0.1"),
        "no internal cause in the body"
    );
    let response = app.get("/api/v1/councils").await;
    assert!(response.headers().contains_key("retry-after"));
    assert_problem(response, 503, "service_unavailable").await;
}

#[tokio::test]
async fn metrics_count_requests_by_route_template_and_show_pool_and_outbox() {
    let app = TestApp::spawn().await;
    app.get("/api/v1/councils").await;
    app.get("/api/v1/councils?limit=0").await;
    app.get("/no/such/route").await;
    let response = app.get("/metrics").await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.expect("text");
    assert!(text.contains(
        r#"dugnad_http_requests_total{method="GET",route="/api/v1/councils",status="200"} 1"#
    ));
    assert!(text.contains(
        r#"dugnad_http_requests_total{method="GET",route="/api/v1/councils",status="422"} 1"#
    ));
    assert!(text.contains(r#"route="unmatched",status="404"} 1"#));
    assert!(
        !text.contains("/no/such/route"),
        "raw paths never become labels"
    );
    assert!(text.contains("dugnad_http_request_duration_seconds_bucket{"));
    assert!(text.contains("dugnad_db_pool_size "));
    for channel in ["email", "fcm"] {
        assert!(text.contains(&format!("dugnad_outbox_pending{{channel=\"{channel}\"}} 0")));
        assert!(text.contains(&format!("dugnad_outbox_dead{{channel=\"{channel}\"}} 0")));
    }
}

#[tokio::test]
async fn the_served_openapi_document_is_the_committed_file() {
    let app = TestApp::spawn().await;
    let response = app.get("/openapi.yaml").await;
    assert_eq!(response.status(), 200);
    let served = response.text().await.expect("text");
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.yaml"))
        .expect("openapi.yaml");
    assert_eq!(served, committed);
}

#[tokio::test]
async fn after_shutdown_begins_the_server_stops_accepting_requests() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/readyz").await.status(), 200);
    app.shut_down().await;
    assert!(app.client.get(app.url("/healthz")).send().await.is_err());
}

#[tokio::test]
async fn two_processes_migrating_one_new_database_at_once_both_succeed() {
    let db = TestDatabase::unborn();
    let spawn = || {
        tokio::process::Command::new(env!("CARGO_BIN_EXE_dugnad"))
            .arg("migrate")
            .env("DATABASE_URL", &db.url)
            .env(
                "DUGNAD_VAR_DIR",
                std::env::temp_dir().join("dugnad-test-var"),
            )
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn dugnad migrate")
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = tokio::join!(a.wait_with_output(), b.wait_with_output());
    for output in [a.expect("first"), b.expect("second")] {
        assert!(
            output.status.success(),
            "migrate failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let client = dugnad::db::raw_connect(&db.url)
        .await
        .expect("the database exists");
    let councils: i64 = client
        .query_one("SELECT count(*) FROM councils", &[])
        .await
        .expect("count")
        .get(0);
    assert_eq!(councils, 10, "reference data loaded exactly once");
}

#[tokio::test]
async fn an_invalid_configuration_is_refused_with_one_line_per_bad_value() {
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_dugnad"))
        .arg("migrate")
        .env("DUGNAD_ENV", "production")
        .env("DUGNAD_DB_POOL_SIZE", "lots")
        .env("DUGNAD_PUBLIC_URL", "http://dugnad.example")
        .env_remove("SMTP_URL")
        .env_remove("DUGNAD_JWT_SECRET")
        .output()
        .await
        .expect("run dugnad");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    for variable in [
        "DUGNAD_DB_POOL_SIZE",
        "DUGNAD_PUBLIC_URL",
        "SMTP_URL",
        "DUGNAD_JWT_SECRET",
    ] {
        assert_eq!(
            stderr
                .lines()
                .filter(|l| l.trim_start().starts_with(&format!("{variable}:")))
                .count(),
            1,
            "{variable} reported once in:\n{stderr}"
        );
    }
}

#[tokio::test]
async fn seed_demo_gives_logins_and_tasks_once_and_is_refused_in_production() {
    let app = TestApp::spawn().await;
    let run = |production: bool| {
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_dugnad"));
        command
            .arg("seed-demo")
            .env("DATABASE_URL", &app.db.url)
            .env(
                "DUGNAD_VAR_DIR",
                std::env::temp_dir().join("dugnad-test-var"),
            )
            .env_remove("RUST_LOG");
        if production {
            command
                .env("DUGNAD_ENV", "production")
                .env("DUGNAD_JWT_SECRET", "0123456789abcdef0123456789abcdef")
                .env("SMTP_URL", "smtp://127.0.0.1:2525")
                .env("DUGNAD_PUBLIC_URL", "https://dugnad.example");
        }
        command.output()
    };
    for _ in 0..2 {
        let output = run(false).await.expect("run seed-demo");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(String::from_utf8_lossy(&output.stdout).contains("frivillig01@dugnad.localhost"));
        assert_eq!(
            String::from_utf8_lossy(&output.stderr),
            "",
            "the logins, not log lines"
        );
    }
    let users = app
        .query_json("SELECT role, count(*) AS n FROM users GROUP BY role ORDER BY role")
        .await;
    let counts: Vec<(String, i64)> = users
        .iter()
        .map(|r| {
            (
                r["role"].as_str().expect("role").to_owned(),
                r["n"].as_i64().expect("n"),
            )
        })
        .collect();
    assert_eq!(
        counts,
        vec![
            ("admin".into(), 1),
            ("coordinator".into(), 1),
            ("staff".into(), 2),
            ("volunteer".into(), 10)
        ]
    );
    let tasks = app.query_json("SELECT count(*) AS n FROM tasks").await;
    assert_eq!(tasks[0]["n"], 30, "idempotent: thirty tasks after two runs");
    // Five volunteers have shown both of Larvik's qualifications, once.
    let records = app
        .query_json(
            "SELECT count(DISTINCT user_id) AS people, count(*) AS n FROM qualification_records",
        )
        .await;
    assert_eq!(
        (records[0]["people"].as_i64(), records[0]["n"].as_i64()),
        (Some(5), Some(10))
    );
    let (token, _) = app
        .login(
            "frivillig01@dugnad.localhost",
            dugnad::services::demo::DEMO_PASSWORD,
        )
        .await;
    let feed: Value = app
        .get_as("/api/v1/tasks?limit=100", &token)
        .await
        .json()
        .await
        .expect("json");
    assert!(!feed["items"].as_array().expect("items").is_empty());

    let refused = run(true).await.expect("run seed-demo");
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("refused in production"));
}

#[tokio::test]
async fn with_no_database_to_reach_the_server_says_what_to_do_once_and_exits_1_without_a_backtrace()
{
    // Nothing listens on a freshly closed port.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("a port")
        .local_addr()
        .expect("addr")
        .port();
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_dugnad"))
        .arg("serve")
        .env(
            "DATABASE_URL",
            format!("postgres://root:hemmelig@127.0.0.1:{port}/dugnad"),
        )
        .env("DUGNAD_ENV", "development")
        .env("RUST_BACKTRACE", "1")
        .env(
            "DUGNAD_VAR_DIR",
            std::env::temp_dir().join("dugnad-test-var"),
        )
        .output()
        .await
        .expect("run dugnad");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stderr.matches("cannot reach PostgreSQL").count(),
        1,
        "said once:\n{stderr}"
    );
    assert!(
        stderr.contains(&format!("127.0.0.1:{port}/dugnad")),
        "{stderr}"
    );
    for advice in [
        "install PostgreSQL",
        "scripts/ensure-postgres.sh",
        "set DATABASE_URL",
    ] {
        assert!(stderr.contains(advice), "names `{advice}`:\n{stderr}");
    }
    assert!(!stderr.contains("hemmelig"), "no password:\n{stderr}");
    assert!(
        !stderr.contains("backtrace")
            && !stderr.contains("Backtrace")
            && stderr.lines().count() < 8,
        "plain lines, no backtrace:\n{stderr}"
    );
}

/// The README's first command on a machine where PostgreSQL is installed but nothing
/// answers on the default address: run in a network namespace of its own (nothing listens
/// on its 127.0.0.1:5432), `dugnad serve` starts a private cluster in var/postgres on a
/// Unix socket, serves, lets a second command use the same cluster, and stops it on exit.
#[tokio::test]
async fn with_nothing_on_the_default_address_serve_runs_a_private_cluster_and_stops_it() {
    let dir =
        std::env::temp_dir().join(format!("dugnad-newcomer-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).expect("dir");
    // The cluster runs as `postgres` when the tests run as root: it must reach var/.
    std::fs::set_permissions(&dir, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("chmod");
    let script = r#"
        set -u
        ip link set lo up
        dugnad=$1
        "$dugnad" serve > serve.log 2>&1 &
        server=$!
        for _ in $(seq 1 120); do
          curl -fsS http://127.0.0.1:18080/readyz > /dev/null 2>&1 && break
          sleep 0.25
        done
        echo "ready: $(curl -fsS http://127.0.0.1:18080/readyz)"
        echo "councils: $(curl -fsS 'http://127.0.0.1:18080/api/v1/councils?limit=100' | grep -o '"name"' | wc -l)"
        DUGNAD_PASSWORD=Fjordutsikt-og-kaffe-42 "$dugnad" create-user --role admin \
          --email ny@dugnad.test --name Ny > create-user.log 2>&1
        echo "create-user: $?"
        echo "still ready: $(curl -fsS http://127.0.0.1:18080/readyz)"
        kill -TERM $server
        wait $server
        echo "serve: $?"
    "#;
    let output = tokio::process::Command::new("unshare")
        .args([
            "--net",
            "sh",
            "-c",
            script,
            "sh",
            env!("CARGO_BIN_EXE_dugnad"),
        ])
        .current_dir(&dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DUGNAD_ENV", "development")
        .env("DUGNAD_BIND", "127.0.0.1:18080")
        .env("DUGNAD_VAR_DIR", dir.join("var"))
        .output()
        .await
        .expect("unshare (util-linux) runs");
    let said = String::from_utf8_lossy(&output.stdout);
    let log = std::fs::read_to_string(dir.join("serve.log")).unwrap_or_default();
    for line in [
        "ready: {\"status\":\"ready\"}",
        "councils: 10",
        "create-user: 0",
        "still ready: {\"status\":\"ready\"}",
        "serve: 0",
    ] {
        assert!(
            said.lines().any(|l| l.trim() == line),
            "`{line}` in:\n{said}\n{}\nserve.log:\n{log}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let data = dir.join("var/postgres/data");
    assert!(
        data.join("PG_VERSION").exists(),
        "the cluster lives in var/postgres"
    );
    assert!(
        !data.join("postmaster.pid").exists(),
        "stopped when the server stopped:\n{log}"
    );
    assert!(
        log.contains("private PostgreSQL cluster started")
            && log.contains("private PostgreSQL cluster stopped")
    );
    std::fs::remove_dir_all(&dir).expect("clean up");
}
