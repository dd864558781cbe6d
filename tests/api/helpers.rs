//! `TestApp`: the real server on a random port, its own database and SMTP server, and
//! typed helpers for talking to it.

use std::time::Duration;

use dugnad::db::DbPool;
use dugnad::delivery::Worker;
use dugnad::domain::notification::Channel;
use dugnad::settings::Settings;
use dugnad::startup::{Application, ShutdownHandle};
use serde_json::Value;

use crate::support::db::TestDatabase;
use crate::support::fcm::FcmPeer;
use crate::support::smtp::SmtpServer;

/// A response already read and checked against `openapi.yaml` by [`TestApp::send`].
#[derive(Debug)]
pub struct TestResponse {
    status: reqwest::StatusCode,
    headers: reqwest::header::HeaderMap,
    body: Vec<u8>,
}

impl TestResponse {
    pub fn status(&self) -> reqwest::StatusCode {
        self.status
    }

    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }

    pub async fn json<T: serde::de::DeserializeOwned>(self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }

    pub async fn text(self) -> Result<String, std::string::FromUtf8Error> {
        String::from_utf8(self.body)
    }

    pub async fn bytes(self) -> Result<Vec<u8>, std::convert::Infallible> {
        Ok(self.body)
    }
}

pub const TEST_JWT_SECRET: &str = "test-secret-that-is-long-enough-for-production-0123456789";

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub pool: DbPool,
    pub smtp: SmtpServer,
    pub settings: Settings,
    /// The service's clock: a test moves time through it.
    pub clock: dugnad::clock::Clock,
    outbox: Worker,
    /// The FCM peer, for a test spawned with [`TestApp::spawn_with_push`].
    pub fcm: Option<FcmPeer>,
    shutdown: ShutdownHandle,
    /// Set by a test that leaves emails in the outbox on purpose (see `Drop`).
    pending_mail_expected: std::sync::atomic::AtomicBool,
    // Last, so the database is dropped after the pool's connections.
    pub db: TestDatabase,
}

impl Drop for TestApp {
    /// A test that leaves undelivered emails it did not say it expected fails: an email a
    /// change wrote and nobody looked at is an email nobody checked.
    fn drop(&mut self) {
        if std::thread::panicking()
            || self
                .pending_mail_expected
                .load(std::sync::atomic::Ordering::SeqCst)
        {
            return;
        }
        let url = self.db.url.clone();
        let received: Vec<String> = self
            .fcm
            .as_ref()
            .map(|f| f.received().iter().map(|r| r.body.to_string()).collect())
            .unwrap_or_default();
        let (pending, leaked) = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                let client = dugnad::db::raw_connect(&url).await.ok()?;
                let rows = client
                    .query(
                        "SELECT channel || ' ' || kind || ' (' || status || ')' FROM outbox WHERE status IN ('pending', 'dead')",
                        &[],
                    )
                    .await
                    .ok()?;
                let pending = rows.iter().map(|r| r.get::<_, String>(0)).collect::<Vec<_>>();
                // What a lock screen must never show: a title staff wrote, anything of a
                // private block, a person's name (longer than a few letters, so that no
                // ordinary word matches by chance).
                let secrets = client
                    .query(
                        "SELECT title FROM tasks UNION SELECT title FROM task_series \
                         UNION SELECT unnest(ARRAY[address, recipient_name, recipient_phone, notes]) FROM task_private \
                         UNION SELECT name FROM users",
                        &[],
                    )
                    .await
                    .ok()?;
                let leaked: Vec<String> = secrets
                    .iter()
                    .filter_map(|r| r.get::<_, Option<String>>(0))
                    .filter(|s| s.chars().count() >= 5)
                    .filter(|s| received.iter().any(|body| body.contains(s.as_str())))
                    .collect();
                Some((pending, leaked))
            })
        })
        .join()
        .ok()
        .flatten()
        .unwrap_or_default();
        assert!(
            leaked.is_empty(),
            "a push carried a title, a private field or a name: {leaked:?}"
        );
        assert!(
            pending.is_empty(),
            "the test left undelivered emails it did not expect: {pending:?} \
             (deliver them with deliver_mail or mail_to, or call expect_undelivered_mail)"
        );
    }
}

/// Settings for a test process: loopback everything, drained by hand, short timeouts.
pub fn test_settings(database_url: &str, smtp_url: &str) -> Settings {
    let mut settings = Settings::from_lookup(|key| match key {
        "DATABASE_URL" => Some(database_url.to_owned()),
        "SMTP_URL" => Some(smtp_url.to_owned()),
        "DUGNAD_BIND" => Some("127.0.0.1:0".into()),
        "DUGNAD_JWT_SECRET" => Some(TEST_JWT_SECRET.into()),
        "DUGNAD_PUBLIC_URL" => Some("http://dugnad.test".into()),
        "DUGNAD_MAIL_FROM" => Some("Dugnad <noreply@dugnad.test>".into()),
        _ => None,
    })
    .expect("valid test settings");
    settings.db_pool_size = 4;
    settings.http_workers = 1;
    settings.outbox.run_worker = false;
    settings.outbox.send_timeout = Duration::from_secs(2);
    settings.outbox.base_backoff = Duration::from_secs(60);
    settings.outbox.max_attempts = 5;
    settings.database.statement_log = Some(dugnad::statement_log::StatementLog::default());
    settings
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    /// Spawns with adjusted settings.
    pub async fn spawn_with(configure: impl FnOnce(&mut Settings)) -> Self {
        let db = TestDatabase::create().await;
        let smtp = SmtpServer::start().await;
        let mut settings = test_settings(&db.url, &smtp.url());
        configure(&mut settings);
        let app = Application::build(settings.clone())
            .await
            .expect("the application starts");
        Self::run(app, db, smtp, settings)
    }

    /// Spawns with FCM delivery to a loopback peer ([`TestApp::fcm`]).
    pub async fn spawn_with_push() -> Self {
        let peer = FcmPeer::start().await;
        peer.check_messages_with(|message| {
            crate::support::spec::errors_of(
                &serde_json::json!({"$ref": "#/components/schemas/PushMessage"}),
                message,
            )
        });
        let dir = std::env::temp_dir().join(format!("dugnad-fcm-{}", uuid::Uuid::now_v7()));
        let credentials = peer.credentials_file(&dir);
        let endpoint = peer.endpoint();
        let mut app = Self::spawn_with(|s| {
            s.fcm_credentials = Some(credentials);
            s.fcm_endpoint = endpoint.parse().expect("peer URL");
        })
        .await;
        app.fcm = Some(peer);
        app
    }

    /// Spawns against a database that is not prepared (e.g. unreachable).
    pub async fn spawn_unmigrated(database_url: String) -> Self {
        let db = TestDatabase::unborn();
        let smtp = SmtpServer::start().await;
        let mut settings = test_settings(&database_url, &smtp.url());
        settings.database.wait_timeout = Duration::from_millis(500);
        settings.database.connect_timeout = Duration::from_millis(500);
        let app = Application::build_without_migrating(settings.clone())
            .await
            .expect("the application starts");
        Self::run(app, db, smtp, settings)
    }

    fn run(app: Application, db: TestDatabase, smtp: SmtpServer, settings: Settings) -> Self {
        let port = app.port();
        let pool = app.pool().clone();
        let outbox = app.outbox().clone();
        let shutdown = app.shutdown_handle();
        let clock = app.clock();
        tokio::spawn(app.run_until_stopped());
        Self {
            clock,
            address: format!("http://127.0.0.1:{port}"),

            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("http client"),
            pool,
            smtp,
            settings,
            outbox,
            fcm: None,
            shutdown,
            pending_mail_expected: std::sync::atomic::AtomicBool::new(false),
            db,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.send(self.client.get(self.url(path))).await
    }

    /// Sends `method path` as `user` under the request id `request_id` (and with
    /// `Idempotency-Key: key`, if given), so that its statements can be read back.
    pub async fn traced(
        &self,
        method: reqwest::Method,
        path: &str,
        user: &TestUser,
        request_id: &str,
        key: Option<&str>,
    ) -> TestResponse {
        let mut request = self
            .client
            .request(method, self.url(path))
            .bearer_auth(&user.access_token)
            .header("x-request-id", request_id);
        if let Some(key) = key {
            request = request.header("idempotency-key", key);
        }
        self.send(request).await
    }

    /// Sends a request built on `self.client` and checks the answer against
    /// `openapi.yaml` (status, media type, JSON schema); panics on any mismatch.
    pub async fn send(&self, request: reqwest::RequestBuilder) -> TestResponse {
        let request = request.build().expect("a well-formed request");
        let method = request.method().as_str().to_owned();
        let path = request.url().path().to_owned();
        let response = self.client.execute(request).await.expect("request sent");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.expect("response body").to_vec();
        let content_type = headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok());
        if let Err(problem) = crate::support::spec::check_response(
            &method,
            &path,
            status.as_u16(),
            content_type,
            &body,
        ) {
            panic!("{problem}");
        }
        TestResponse {
            status,
            headers,
            body,
        }
    }

    /// Delivers every due email of the one outbox, as the background worker would (which
    /// takes every channel in the same batches; tests take emails and pushes apart so
    /// each can be checked on its own).
    pub async fn drain_outbox(&self) -> usize {
        let mut total = 0;
        loop {
            let n = self
                .outbox
                .drain_channels(&[Channel::Email])
                .await
                .expect("outbox drain");
            if n == 0 {
                return total;
            }
            total += n;
        }
    }

    /// Delivers every due push of the one outbox, as the background worker would;
    /// returns how many rows it handled.
    pub async fn drain_pushes(&self) -> usize {
        let mut total = 0;
        loop {
            let n = self
                .outbox
                .drain_channels(&[Channel::Fcm])
                .await
                .expect("push drain");
            if n == 0 {
                return total;
            }
            total += n;
        }
    }

    /// Delivers every email the test's changes wrote, as the worker would; each must
    /// render and reach the SMTP server (the teardown refuses pending and dead rows).
    pub async fn deliver_mail(&self) {
        self.drain_outbox().await;
    }

    /// Says that this test leaves emails undelivered on purpose (retries, dead mail).
    pub fn expect_undelivered_mail(&self) {
        self.pending_mail_expected
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// Waits (five seconds at most) until one of the server's workers has said `LISTEN
    /// channel`: from then on a NOTIFY on it wakes that worker.
    pub async fn wait_for_listener(&self, channel: &str) {
        let started = std::time::Instant::now();
        let query = format!(
            "SELECT count(*) AS n FROM pg_stat_activity \
              WHERE datname = current_database() AND query LIKE 'LISTEN {channel}%'"
        );
        while self.query_json(&query).await[0]["n"].as_i64() != Some(1) {
            assert!(
                started.elapsed() < std::time::Duration::from_secs(5),
                "nobody listens on {channel}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// With the server's own outbox worker running: waits (ten seconds at most) until it
    /// has marked every email it took as sent, which it does after the mail server
    /// answered, so a test that saw the mail arrive does not end in between.
    pub async fn wait_for_the_worker_to_settle(&self) {
        let started = std::time::Instant::now();
        loop {
            let pending = self
                .query_json("SELECT count(*) AS n FROM outbox WHERE status = 'pending'")
                .await;
            if pending[0]["n"].as_i64() == Some(0) {
                return;
            }
            assert!(
                started.elapsed() < std::time::Duration::from_secs(10),
                "the worker left mail pending: {pending:?}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// Makes every pending email due now, instead of waiting for its backoff.
    pub async fn make_outbox_due(&self) {
        self.sql("UPDATE outbox SET next_attempt_at = now() WHERE status = 'pending' AND channel = 'email'")
            .await;
    }

    /// Runs SQL on the test's database directly (for set-up and inspection).
    pub async fn sql(&self, statement: &str) {
        let client = dugnad::db::raw_connect(&self.db.url)
            .await
            .expect("connect");
        client.batch_execute(statement).await.expect("SQL runs");
    }

    /// One row of a query as JSON (`SELECT to_jsonb(t) FROM …`).
    pub async fn query_json(&self, query: &str) -> Vec<Value> {
        let client = dugnad::db::raw_connect(&self.db.url)
            .await
            .expect("connect");
        client
            .query(&format!("SELECT to_jsonb(q)::text FROM ({query}) q"), &[])
            .await
            .expect("query runs")
            .into_iter()
            .map(|row| serde_json::from_str(row.get::<_, &str>(0)).expect("json"))
            .collect()
    }

    /// The SQL of every statement the server ran for the request with `request_id`.
    pub fn statements(&self, request_id: &str) -> Vec<String> {
        self.settings
            .database
            .statement_log
            .as_ref()
            .map(|log| log.for_request(request_id))
            .unwrap_or_default()
    }

    /// The statements of a request that its connection prepared afresh instead of keeping
    /// them prepared (the transaction's `BEGIN` and `COMMIT` are simple queries, never
    /// prepared).
    pub fn statements_prepared_afresh(&self, request_id: &str) -> Vec<String> {
        let Some(log) = self.settings.database.statement_log.as_ref() else {
            return Vec::new();
        };
        log.for_request(request_id)
            .into_iter()
            .filter(|sql| !matches!(sql.as_str(), "BEGIN" | "COMMIT" | "ROLLBACK"))
            .filter(|sql| !log.kept_prepared(sql))
            .collect()
    }

    /// Starts a graceful shutdown.
    pub async fn shut_down(&self) {
        self.shutdown.shutdown().await;
    }
}

/// Asserts `response` is problem+json with `status` and `code` and a request id that
/// matches `X-Request-Id`; returns the body.
pub async fn assert_problem(response: TestResponse, status: u16, code: &str) -> Value {
    assert_eq!(response.status().as_u16(), status, "status");
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(content_type, "application/problem+json");
    let header_id = response
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .expect("X-Request-Id header");
    let body: Value = response.json().await.expect("JSON body");
    assert_eq!(body["status"], status);
    assert_eq!(body["code"], code);
    assert!(body["type"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(body["detail"].is_string());
    assert_eq!(body["request_id"], header_id.as_str());
    body
}

/// An account created for a test, logged in.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub id: uuid::Uuid,
    pub email: String,
    pub password: String,
    pub access_token: String,
    pub refresh_token: String,
}

pub const TEST_PASSWORD: &str = "Fjordutsikt-og-kaffe-42";

impl TestApp {
    /// Sends a request with an optional bearer token and JSON body.
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> TestResponse {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        self.send(request).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> TestResponse {
        self.call(reqwest::Method::POST, path, token, Some(body))
            .await
    }

    pub async fn patch(&self, path: &str, token: Option<&str>, body: Value) -> TestResponse {
        self.call(reqwest::Method::PATCH, path, token, Some(body))
            .await
    }

    pub async fn get_as(&self, path: &str, token: &str) -> TestResponse {
        self.call(reqwest::Method::GET, path, Some(token), None)
            .await
    }

    /// Logs in; panics unless it succeeds.
    pub async fn login(&self, email: &str, password: &str) -> (String, String) {
        let response = self
            .post(
                "/api/v1/auth/login",
                None,
                serde_json::json!({"email": email, "password": password}),
            )
            .await;
        assert_eq!(response.status(), 200, "login of {email}");
        let body: Value = response.json().await.expect("json");
        (
            body["access_token"].as_str().expect("access").to_owned(),
            body["refresh_token"].as_str().expect("refresh").to_owned(),
        )
    }

    /// Creates a verified account directly (as `dugnad create-user` does) and logs it in.
    pub async fn create_user(
        &self,
        role: dugnad::domain::account::Role,
        unit: Option<uuid::Uuid>,
        council: Option<uuid::Uuid>,
    ) -> TestUser {
        let email = format!(
            "{}-{}@example.no",
            role.as_str(),
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        );
        let mut conn = self.pool.get().await.expect("connection");
        let user = dugnad::services::users::create_from_cli(
            &mut conn,
            &dugnad::services::users::NewAccount {
                email: email.clone(),
                name: format!("Test {}", role.as_str()),
                role,
                service_unit_id: unit,
                council_id: council,
                phone: Some("+47 400 00 000".into()),
                language: None,
            },
            TEST_PASSWORD,
        )
        .await
        .expect("user created");
        let (access_token, refresh_token) = self.login(&email, TEST_PASSWORD).await;
        TestUser {
            id: user.id,
            email,
            password: TEST_PASSWORD.into(),
            access_token,
            refresh_token,
        }
    }

    pub async fn admin(&self) -> TestUser {
        self.create_user(dugnad::domain::account::Role::Admin, None, None)
            .await
    }

    pub async fn volunteer(&self) -> TestUser {
        self.create_user(dugnad::domain::account::Role::Volunteer, None, None)
            .await
    }

    /// A service unit, created in the database.
    pub async fn service_unit(&self, name: &str) -> uuid::Uuid {
        let id = uuid::Uuid::now_v7();
        self.sql(&format!(
            "INSERT INTO service_units (id, name, email, phone) VALUES ('{id}', '{name}', 'unit-{id}@larvik.test', '33 17 10 00')"
        ))
        .await;
        id
    }

    /// The id of the council named `name`.
    pub async fn council_id(&self, name: &str) -> uuid::Uuid {
        let rows = self
            .query_json(&format!("SELECT id FROM councils WHERE name = '{name}'"))
            .await;
        rows[0]["id"]
            .as_str()
            .expect("council")
            .parse()
            .expect("uuid")
    }

    /// Delivers the outbox and returns what reached `address`, in the order the emails were
    /// written (their Message-IDs derive from UUID v7 outbox ids; a batch is sent
    /// concurrently, so arrival order means nothing).
    pub async fn mail_to(&self, address: &str) -> Vec<crate::support::smtp::ReceivedMail> {
        self.drain_outbox().await;
        let mut mails: Vec<_> = self
            .smtp
            .received()
            .into_iter()
            .filter(|m| m.to.iter().any(|t| t.eq_ignore_ascii_case(address)))
            .collect();
        mails.sort_by_key(|m| m.header("Message-ID"));
        mails
    }
}

impl TestApp {
    /// Many verified volunteers at once, inserted directly with tokens minted by the
    /// service's own keys (no password hashing: for concurrency tests).
    pub async fn quick_volunteers(&self, n: usize) -> Vec<TestUser> {
        let keys = dugnad::auth::jwt::JwtKeys::from_settings(&self.settings);
        let mut values = Vec::new();
        let mut users = Vec::new();
        for i in 0..n {
            let id = uuid::Uuid::now_v7();
            let email = format!("quick-{}-{i}@example.no", id.simple());
            values.push(format!(
                "('{id}', '{email}', 'Frivillig {i}', 'volunteer', true)"
            ));
            users.push(TestUser {
                id,
                email,
                password: String::new(),
                access_token: keys.issue(id).expect("token"),
                refresh_token: String::new(),
            });
        }
        self.sql(&format!(
            "INSERT INTO users (id, email, name, role, email_verified) VALUES {}",
            values.join(", ")
        ))
        .await;
        users
    }

    /// A staff member of `unit`.
    pub async fn staff(&self, unit: uuid::Uuid) -> TestUser {
        self.create_user(dugnad::domain::account::Role::Staff, Some(unit), None)
            .await
    }

    /// The id of the category with `slug`.
    pub async fn category_id(&self, slug: &str) -> uuid::Uuid {
        let rows = self
            .query_json(&format!("SELECT id FROM categories WHERE slug = '{slug}'"))
            .await;
        rows[0]["id"]
            .as_str()
            .expect("category")
            .parse()
            .expect("uuid")
    }

    /// Posts a task as `staff` with sensible defaults overridden by `fields`; returns it.
    pub async fn post_task(&self, staff: &TestUser, fields: Value) -> Value {
        let start = self.clock.now() + chrono::Duration::days(3);
        let mut body = serde_json::json!({
            "title": "Følge til legen",
            "description": "Følge en eldre dame til fastlegen og hjem igjen.",
            "category_id": self.category_id("accompaniment").await,
            "council_id": self.council_id("Stavern").await,
            "starts_at": start.to_rfc3339(),
            "ends_at": (start + chrono::Duration::hours(2)).to_rfc3339(),
            "spots": 1,
            "area_hint": "Stavern sentrum",
            "private": {"address": "Storgata 1", "recipient_name": "Ruth Hansen", "recipient_phone": "+47 911 11 111", "notes": "Bruker rullator"}
        });
        for (k, v) in fields.as_object().expect("object") {
            body[k] = v.clone();
        }
        let response = self
            .post("/api/v1/tasks", Some(&staff.access_token), body)
            .await;
        let status = response.status();
        let text = response.text().await.expect("body");
        assert_eq!(status, 201, "posting a task: {text}");
        serde_json::from_str(&text).expect("json")
    }
}

impl TestApp {
    /// One batch of the outbox, as one process's worker would take it.
    pub async fn outbox_drain_once(&self) -> usize {
        self.outbox.drain_once().await.expect("outbox drain")
    }
}

/// A unit with a staff member, the start of most task scenarios.
pub struct World {
    pub app: TestApp,
    pub unit: uuid::Uuid,
    pub staff: TestUser,
}

pub async fn world() -> World {
    let app = TestApp::spawn().await;
    let unit = app.service_unit("Hjemmetjenesten Stavern").await;
    let staff = app.staff(unit).await;
    World { app, unit, staff }
}

/// The `id` of a task (or any resource) as the API answered it.
pub fn id_of(resource: &Value) -> String {
    resource["id"].as_str().expect("id").to_owned()
}

/// A task to post: the defaults of a weekday errand in Stavern, three days ahead, with
/// a private block, changed by the builder's methods or by raw fields.
#[derive(Debug, Clone)]
pub struct TaskSpec {
    fields: Value,
    /// How long after the application's now it starts, when not three days.
    starts_in: Option<chrono::Duration>,
}

pub fn a_task() -> TaskSpec {
    TaskSpec {
        fields: serde_json::json!({}),
        starts_in: None,
    }
}

impl TaskSpec {
    pub fn spots(mut self, spots: i64) -> Self {
        self.fields["spots"] = spots.into();
        self
    }

    /// Starts `from_now` ahead of the application's clock, for two hours.
    pub fn starts_in(mut self, from_now: chrono::Duration) -> Self {
        self.starts_in = Some(from_now);
        self
    }

    /// Any other fields of `POST /tasks`, as JSON.
    pub fn with(mut self, fields: Value) -> Self {
        for (k, v) in fields.as_object().expect("an object") {
            self.fields[k] = v.clone();
        }
        self
    }
}

impl TestApp {
    /// Posts `spec` as `staff`; panics unless it is created. Returns the task.
    pub async fn post_task_as(&self, staff: &TestUser, spec: TaskSpec) -> Value {
        let mut fields = spec.fields;
        if let Some(from_now) = spec.starts_in {
            let start = self.clock.now() + from_now;
            fields["starts_at"] = start.to_rfc3339().into();
            fields["ends_at"] = (start + chrono::Duration::hours(2)).to_rfc3339().into();
        }
        self.post_task(staff, fields).await
    }

    /// `POST /tasks/{task}/claim` as `user`.
    pub async fn claim(&self, user: &TestUser, task: &str) -> TestResponse {
        self.call(
            reqwest::Method::POST,
            &format!("/api/v1/tasks/{task}/claim"),
            Some(&user.access_token),
            None,
        )
        .await
    }

    /// `POST /tasks/{task}/release` as `user`.
    pub async fn release(&self, user: &TestUser, task: &str) -> TestResponse {
        self.call(
            reqwest::Method::POST,
            &format!("/api/v1/tasks/{task}/release"),
            Some(&user.access_token),
            None,
        )
        .await
    }

    /// A claim that must succeed.
    pub async fn claimed(&self, user: &TestUser, task: &str) {
        let response = self.claim(user, task).await;
        assert_eq!(response.status(), 201, "claiming {task}");
    }

    /// The task as `user` sees it.
    pub async fn task_as(&self, user: &TestUser, task: &str) -> Value {
        let response = self
            .get_as(&format!("/api/v1/tasks/{task}"), &user.access_token)
            .await;
        assert_eq!(response.status(), 200);
        response.json().await.expect("json")
    }

    /// Moves the application's clock on until `task` started `ago` before its now (a
    /// negative `ago`: until it starts that much later): how a test gets a task that has
    /// started or ended without waiting. The clock only runs forward.
    pub async fn started_ago(&self, task: &str, ago: chrono::Duration) {
        let rows = self
            .query_json(&format!(
                "SELECT extract(epoch FROM starts_at)::bigint AS start FROM tasks WHERE id = '{task}'"
            ))
            .await;
        let start =
            chrono::DateTime::from_timestamp(rows[0]["start"].as_i64().expect("seconds"), 0)
                .expect("a time");
        let by = start + ago - self.clock.now();
        assert!(
            by >= chrono::Duration::zero(),
            "the task already started {ago} ago"
        );
        self.clock.advance(by);
    }

    /// Every job once, at the application's time.
    pub async fn run_jobs(&self) -> dugnad::jobs::JobReport {
        dugnad::jobs::run_once_at(&self.pool, &self.settings, self.clock.now())
            .await
            .expect("jobs")
            .expect("the jobs' lock")
    }

    /// A volunteer whose address is not verified.
    pub async fn unverified_volunteer(&self) -> TestUser {
        let user = self.volunteer().await;
        self.sql(&format!(
            "UPDATE users SET email_verified = false WHERE id = '{}'",
            user.id
        ))
        .await;
        user
    }
}

/// Rate limits count in windows aligned to the clock: a quarter of an hour for logins, an
/// hour for registrations. A test that fills a window and expects the next attempt to be
/// refused first waits, when the window's edge is less than `needed` away, until the next
/// window has begun, so that the edge cannot fall inside the test.
pub async fn clear_of_a_window_edge(window: std::time::Duration, needed: std::time::Duration) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970");
    let left = window.as_secs_f64() - now.as_secs_f64() % window.as_secs_f64();
    if left < needed.as_secs_f64() {
        tokio::time::sleep(std::time::Duration::from_secs_f64(left + 0.5)).await;
    }
}

/// [`clear_of_a_window_edge`] for the login limits' quarter hour, with two minutes to spare.
pub async fn clear_of_a_login_window_edge() {
    clear_of_a_window_edge(
        std::time::Duration::from_secs(15 * 60),
        std::time::Duration::from_secs(120),
    )
    .await;
}
