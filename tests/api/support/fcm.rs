//! A loopback peer speaking the two HTTP APIs push delivery uses, in the spirit of the
//! SMTP server: Google's OAuth 2.0 token endpoint (the JWT bearer grant of RFC 7523,
//! whose assertion it verifies against the test key: signature, RS256, `iss`, `aud`,
//! `scope`, `exp`) and FCM's `messages:send` (records every message; answers as scripted:
//! 200, 401, 404 `UNREGISTERED`, 400 `INVALID_ARGUMENT`, 429 with `Retry-After`, 503, or
//! hangs).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use serde_json::{Value, json};

/// The test service account's key pair (made for these tests; it signs nothing else).
pub const PRIVATE_KEY: &str = include_str!("fcm-test-key.pem");
const PUBLIC_KEY: &str = include_str!("fcm-test-key.pub.pem");
pub const PROJECT: &str = "dugnad-test";
pub const CLIENT_EMAIL: &str = "push@dugnad-test.iam.gserviceaccount.com";
const SCOPE: &str = "https://www.googleapis.com/auth/firebase.messaging";

/// How `messages:send` answers one message.
#[derive(Debug, Clone)]
pub enum Answer {
    Accept,
    /// 401: the access token is refused (and forgotten, as a revoked one would be).
    Unauthorized,
    /// 404 `UNREGISTERED`: the app was uninstalled.
    Unregistered,
    /// 400 `INVALID_ARGUMENT` naming `message.token`.
    InvalidToken,
    /// 429 with `Retry-After` in seconds.
    TooMany {
        retry_after: u64,
    },
    /// 503 without `Retry-After`.
    Unavailable,
    /// Never answers (the client's timeout decides).
    Hang,
}

/// One message as `messages:send` received it, and what it answered.
#[derive(Debug, Clone)]
pub struct Received {
    pub token: String,
    pub body: Value,
    pub answered: u16,
}

#[derive(Default)]
struct State {
    script: VecDeque<Answer>,
    /// The answer once the script is used up (accept when none).
    otherwise: Option<Answer>,
    received: Vec<Received>,
    /// What checks each message against the contract (the suite's `PushMessage` schema);
    /// the errors it found, with the message.
    contract: Option<fn(&Value) -> Vec<String>>,
    off_contract: Vec<String>,
    grants: usize,
    refused_grants: Vec<String>,
    live_tokens: Vec<String>,
    token_url: String,
}

#[derive(Clone)]
pub struct FcmPeer {
    state: Arc<Mutex<State>>,
    base: String,
}

fn refuse(state: &mut State, why: String) -> HttpResponse {
    state.refused_grants.push(why);
    HttpResponse::BadRequest().json(json!({"error": "invalid_grant"}))
}

async fn token(
    state: web::Data<Arc<Mutex<State>>>,
    form: web::Form<Vec<(String, String)>>,
) -> HttpResponse {
    let mut s = state.lock().expect("state");
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    if field("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" {
        return refuse(&mut s, format!("grant_type {}", field("grant_type")));
    }
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.set_audience(&[s.token_url.clone()]);
    validation.set_issuer(&[CLIENT_EMAIL]);
    validation.set_required_spec_claims(&["exp", "iat", "aud", "iss"]);
    let key = jsonwebtoken::DecodingKey::from_rsa_pem(PUBLIC_KEY.as_bytes()).expect("test key");
    let claims = match jsonwebtoken::decode::<Value>(&field("assertion"), &key, &validation) {
        Ok(data) => data.claims,
        Err(e) => return refuse(&mut s, format!("assertion: {e}")),
    };
    if claims["scope"] != SCOPE {
        return refuse(&mut s, format!("scope {}", claims["scope"]));
    }
    s.grants += 1;
    let access = format!("ya29.test-{}", s.grants);
    s.live_tokens.push(access.clone());
    HttpResponse::Ok()
        .json(json!({"access_token": access, "expires_in": 3599, "token_type": "Bearer"}))
}

async fn send(
    state: web::Data<Arc<Mutex<State>>>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Json<Value>,
) -> HttpResponse {
    let answer = {
        let mut s = state.lock().expect("state");
        let bearer = req
            .headers()
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default()
            .to_owned();
        let token = body["message"]["token"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        // What the app gets (notification and data) must be what the spec promises it.
        let seen = json!({
            "notification": body["message"]["notification"],
            "data": body["message"]["data"],
        });
        let errors = s.contract.map(|check| check(&seen)).unwrap_or_default();
        if !errors.is_empty() {
            s.off_contract.push(format!("{seen}: {errors:?}"));
        }
        let record = |s: &mut State, answered: u16| {
            s.received.push(Received {
                token: token.clone(),
                body: body.0.clone(),
                answered,
            });
        };
        if path.as_str() != PROJECT || !s.live_tokens.contains(&bearer) {
            record(&mut s, 401);
            return HttpResponse::Unauthorized()
                .json(json!({"error": {"code": 401, "status": "UNAUTHENTICATED"}}));
        }
        let answer = s
            .script
            .pop_front()
            .or_else(|| s.otherwise.clone())
            .unwrap_or(Answer::Accept);
        let status = match &answer {
            Answer::Accept => 200,
            Answer::Unauthorized => {
                s.live_tokens.clear();
                401
            }
            Answer::Unregistered => 404,
            Answer::InvalidToken => 400,
            Answer::TooMany { .. } => 429,
            Answer::Unavailable => 503,
            Answer::Hang => 0,
        };
        record(&mut s, status);
        answer
    };
    match answer {
        Answer::Accept => HttpResponse::Ok().json(json!({"name": format!("projects/{PROJECT}/messages/1")})),
        Answer::Unauthorized => HttpResponse::Unauthorized()
            .json(json!({"error": {"code": 401, "status": "UNAUTHENTICATED"}})),
        Answer::Unregistered => HttpResponse::NotFound().json(json!({"error": {
            "code": 404, "status": "NOT_FOUND", "message": "Requested entity was not found.",
            "details": [{"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", "errorCode": "UNREGISTERED"}]}})),
        Answer::InvalidToken => HttpResponse::BadRequest().json(json!({"error": {
            "code": 400, "status": "INVALID_ARGUMENT",
            "message": "The registration token is not a valid FCM registration token",
            "details": [{"@type": "type.googleapis.com/google.rpc.BadRequest",
                         "fieldViolations": [{"field": "message.token"}]}]}})),
        Answer::TooMany { retry_after } => HttpResponse::TooManyRequests()
            .insert_header(("Retry-After", retry_after.to_string()))
            .json(json!({"error": {"code": 429, "status": "RESOURCE_EXHAUSTED"}})),
        Answer::Unavailable => HttpResponse::ServiceUnavailable()
            .json(json!({"error": {"code": 503, "status": "UNAVAILABLE"}})),
        Answer::Hang => {
            tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
            HttpResponse::Ok().finish()
        }
    }
}

impl FcmPeer {
    pub async fn start() -> Self {
        let state = Arc::new(Mutex::new(State::default()));
        let data = web::Data::new(state.clone());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .route("/token", web::post().to(token))
                .route("/v1/projects/{project}/messages:send", web::post().to(send))
        })
        .workers(1)
        .disable_signals()
        .bind(("127.0.0.1", 0))
        .expect("bind the FCM peer");
        let port = server.addrs()[0].port();
        tokio::spawn(server.run());
        let base = format!("http://127.0.0.1:{port}");
        state.lock().expect("state").token_url = format!("{base}/token");
        Self { state, base }
    }

    /// The endpoint to configure as `DUGNAD_FCM_ENDPOINT`.
    pub fn endpoint(&self) -> String {
        format!("{}/", self.base)
    }

    /// A service-account file for this peer, written to `dir`.
    pub fn credentials_file(&self, dir: &std::path::Path) -> std::path::PathBuf {
        let path = dir.join("fcm-service-account.json");
        let account = json!({
            "type": "service_account",
            "project_id": PROJECT,
            "private_key_id": "test-key-1",
            "private_key": PRIVATE_KEY,
            "client_email": CLIENT_EMAIL,
            "token_uri": format!("{}/token", self.base),
        });
        std::fs::create_dir_all(dir).expect("credentials dir");
        std::fs::write(&path, account.to_string()).expect("credentials file");
        path
    }

    /// Answers the next messages this way, in order (then accepts again).
    pub fn script(&self, answers: impl IntoIterator<Item = Answer>) {
        self.state.lock().expect("state").script.extend(answers);
    }

    /// Answers every message this way from now on, once the script is used up.
    pub fn answer_all(&self, answer: Answer) {
        self.state.lock().expect("state").otherwise = Some(answer);
    }

    /// Checks every message from now on with `check` (what the app gets: `notification`
    /// and `data`); [`FcmPeer::received`] fails on any that did not pass.
    pub fn check_messages_with(&self, check: fn(&Value) -> Vec<String>) {
        self.state.lock().expect("state").contract = Some(check);
    }

    /// Every message received so far; each one must have passed the check, if any.
    pub fn received(&self) -> Vec<Received> {
        let s = self.state.lock().expect("state");
        assert!(
            s.off_contract.is_empty(),
            "pushes not as openapi.yaml's PushMessage says: {:?}",
            s.off_contract
        );
        s.received.clone()
    }

    /// How many access tokens it granted.
    pub fn grants(&self) -> usize {
        self.state.lock().expect("state").grants
    }

    /// Why it refused any grant (an empty list when every assertion was good).
    pub fn refused_grants(&self) -> Vec<String> {
        self.state.lock().expect("state").refused_grants.clone()
    }
}
