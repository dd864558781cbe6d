//! Firebase Cloud Messaging HTTP v1: an OAuth 2.0 access token by the JWT bearer grant
//! (RFC 7523) — an RS256 assertion signed with the service account's key, sent to its
//! `token_uri` — cached until shortly before it expires and refreshed once on a 401, and
//! `POST {endpoint}/v1/projects/{project_id}/messages:send`.

use std::path::Path;
use std::time::{Duration, Instant};

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;
use url::Url;

use super::Message;

/// The scope FCM's send API asks for.
pub const SCOPE: &str = "https://www.googleapis.com/auth/firebase.messaging";

/// An access token is refreshed this long before FCM says it expires.
const EARLY_REFRESH: Duration = Duration::from_secs(60);

/// The fields of a Google service-account file that sending needs. The key is turned
/// into a signing key at once and the text is not kept.
#[derive(Deserialize)]
pub struct ServiceAccount {
    pub project_id: String,
    pub client_email: String,
    pub private_key: String,
    #[serde(default)]
    pub private_key_id: Option<String>,
    pub token_uri: String,
}

/// What the client keeps of the account.
struct Account {
    client_email: String,
    private_key_id: Option<String>,
    token_uri: String,
}

#[derive(Serialize)]
struct Assertion<'a> {
    iss: &'a str,
    scope: &'a str,
    aud: &'a str,
    iat: i64,
    exp: i64,
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    #[serde(default = "default_lifetime")]
    expires_in: u64,
}

fn default_lifetime() -> u64 {
    3600
}

struct CachedToken {
    value: SecretString,
    refresh_at: Instant,
}

/// What happened to one push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendOutcome {
    Sent,
    /// FCM does not know the token (any more): the device is to be forgotten.
    Unregistered(String),
    /// Worth another try, not before `after` when FCM said so (`Retry-After`).
    Retry {
        after: Option<Duration>,
        error: String,
    },
    /// Will never go through.
    Dead(String),
}

pub struct FcmClient {
    http: reqwest::Client,
    account: Account,
    key: EncodingKey,
    send_url: Url,
    token: Mutex<Option<CachedToken>>,
}

impl FcmClient {
    /// Reads and checks the service-account file; refuses one without a usable key.
    pub fn from_file(path: &Path, endpoint: Url, timeout: Duration) -> anyhow::Result<Self> {
        let raw = std::fs::read_to_string(path).map_err(|e| {
            anyhow::anyhow!(
                "DUGNAD_FCM_CREDENTIALS: cannot read {}: {e}",
                path.display()
            )
        })?;
        let account: ServiceAccount = serde_json::from_str(&raw).map_err(|e| {
            anyhow::anyhow!("DUGNAD_FCM_CREDENTIALS: not a service-account file: {e}")
        })?;
        Self::new(account, endpoint, timeout)
    }

    /// Where the OAuth 2.0 access tokens come from.
    pub fn token_uri(&self) -> &str {
        &self.account.token_uri
    }

    pub fn new(account: ServiceAccount, endpoint: Url, timeout: Duration) -> anyhow::Result<Self> {
        let key = EncodingKey::from_rsa_pem(account.private_key.as_bytes())
            .map_err(|e| anyhow::anyhow!("DUGNAD_FCM_CREDENTIALS: private_key: {e}"))?;
        Url::parse(&account.token_uri)
            .map_err(|e| anyhow::anyhow!("DUGNAD_FCM_CREDENTIALS: token_uri: {e}"))?;
        let send_url = endpoint
            .join(&format!("v1/projects/{}/messages:send", account.project_id))
            .map_err(|e| anyhow::anyhow!("DUGNAD_FCM_ENDPOINT: {e}"))?;
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Self {
            http,
            account: Account {
                client_email: account.client_email,
                private_key_id: account.private_key_id,
                token_uri: account.token_uri,
            },
            key,
            send_url,
            token: Mutex::new(None),
        })
    }

    /// A signed assertion for the token endpoint, valid one hour.
    fn assertion(&self) -> anyhow::Result<String> {
        let now = chrono::Utc::now().timestamp();
        let mut header = Header::new(Algorithm::RS256);
        header.kid.clone_from(&self.account.private_key_id);
        let claims = Assertion {
            iss: &self.account.client_email,
            scope: SCOPE,
            aud: &self.account.token_uri,
            iat: now,
            exp: now + 3600,
        };
        Ok(jsonwebtoken::encode(&header, &claims, &self.key)?)
    }

    async fn fetch_token(&self) -> anyhow::Result<CachedToken> {
        let assertion = self.assertion()?;
        let answer = self
            .http
            .post(&self.account.token_uri)
            .form(&[
                ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
                ("assertion", assertion.as_str()),
            ])
            .send()
            .await?;
        let status = answer.status();
        if !status.is_success() {
            anyhow::bail!("the token endpoint answered {status}");
        }
        let token: TokenAnswer = answer.json().await?;
        let lifetime = Duration::from_secs(token.expires_in).saturating_sub(EARLY_REFRESH);
        Ok(CachedToken {
            value: token.access_token.into(),
            refresh_at: Instant::now() + lifetime,
        })
    }

    /// The cached access token, or a new one when there is none, it is about to expire,
    /// or it is `rejected` (FCM answered 401 to it).
    async fn access_token(&self, rejected: Option<&str>) -> anyhow::Result<String> {
        let mut cached = self.token.lock().await;
        let usable = cached
            .as_ref()
            .filter(|t| t.refresh_at > Instant::now() && rejected != Some(t.value.expose_secret()));
        if let Some(t) = usable {
            return Ok(t.value.expose_secret().to_owned());
        }
        let fresh = self.fetch_token().await?;
        let value = fresh.value.expose_secret().to_owned();
        *cached = Some(fresh);
        Ok(value)
    }

    async fn post(&self, access_token: &str, body: &serde_json::Value) -> Result<Answer, String> {
        let response = self
            .http
            .post(self.send_url.clone())
            .bearer_auth(access_token)
            .json(body)
            .send()
            .await
            .map_err(|e| format!("FCM unreachable: {e}"))?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let body = response.text().await.unwrap_or_default();
        Ok(Answer {
            status,
            retry_after,
            body,
        })
    }

    /// Sends one message to one device token.
    pub async fn send(&self, device_token: &str, message: &Message) -> SendOutcome {
        let body = message.fcm_body(device_token);
        let access = match self.access_token(None).await {
            Ok(t) => t,
            Err(e) => return retry(None, format!("no access token: {e}")),
        };
        let answer = match self.post(&access, &body).await {
            Ok(a) => a,
            Err(e) => return retry(None, e),
        };
        if answer.status != 401 {
            return classify(&answer);
        }
        // The token was revoked or expired early: one fresh token, one more try.
        let access = match self.access_token(Some(&access)).await {
            Ok(t) => t,
            Err(e) => return retry(None, format!("no access token: {e}")),
        };
        match self.post(&access, &body).await {
            Ok(a) => classify(&a),
            Err(e) => retry(None, e),
        }
    }
}

struct Answer {
    status: u16,
    retry_after: Option<Duration>,
    body: String,
}

fn retry(after: Option<Duration>, error: String) -> SendOutcome {
    SendOutcome::Retry { after, error }
}

/// FCM's error answer, as far as the outcome depends on it.
#[derive(Deserialize, Default)]
struct ErrorBody {
    #[serde(default)]
    error: ErrorDetail,
}

#[derive(Deserialize, Default)]
struct ErrorDetail {
    #[serde(default)]
    status: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    details: Vec<serde_json::Value>,
}

/// Whether a 400 `INVALID_ARGUMENT` is about the token rather than the message.
fn names_the_token(detail: &ErrorDetail) -> bool {
    let violations = detail.details.iter().any(|d| {
        d.get("fieldViolations")
            .and_then(|v| v.as_array())
            .is_some_and(|v| {
                v.iter()
                    .any(|f| f.get("field").and_then(|f| f.as_str()) == Some("message.token"))
            })
    });
    violations || detail.message.to_lowercase().contains("registration token")
}

fn classify(answer: &Answer) -> SendOutcome {
    let detail = serde_json::from_str::<ErrorBody>(&answer.body)
        .unwrap_or_default()
        .error;
    let said = format!("FCM answered {} {}", answer.status, detail.status);
    match answer.status {
        200..=299 => SendOutcome::Sent,
        404 => SendOutcome::Unregistered(said),
        400 if detail.status == "INVALID_ARGUMENT" && names_the_token(&detail) => {
            SendOutcome::Unregistered(said)
        }
        401 | 429 | 500..=599 => retry(answer.retry_after, said),
        _ => SendOutcome::Dead(format!("{said}: {}", detail.message)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &str, retry_after: Option<u64>) -> Answer {
        Answer {
            status,
            retry_after: retry_after.map(Duration::from_secs),
            body: body.to_owned(),
        }
    }

    #[test]
    fn fcm_answers_decide_sent_forgotten_retried_or_dead() {
        assert_eq!(classify(&answer(200, "{}", None)), SendOutcome::Sent);
        assert!(matches!(
            classify(&answer(
                404,
                r#"{"error":{"status":"NOT_FOUND","details":[{"errorCode":"UNREGISTERED"}]}}"#,
                None
            )),
            SendOutcome::Unregistered(_)
        ));
        assert!(matches!(
            classify(&answer(
                400,
                r#"{"error":{"status":"INVALID_ARGUMENT","message":"The registration token is not a valid FCM registration token"}}"#,
                None
            )),
            SendOutcome::Unregistered(_)
        ));
        assert!(matches!(
            classify(&answer(
                400,
                r#"{"error":{"status":"INVALID_ARGUMENT","message":"Invalid JSON payload"}}"#,
                None
            )),
            SendOutcome::Dead(_)
        ));
        assert_eq!(
            classify(&answer(429, "{}", Some(30))),
            SendOutcome::Retry {
                after: Some(Duration::from_secs(30)),
                error: "FCM answered 429 ".into()
            }
        );
        assert!(matches!(
            classify(&answer(503, "", None)),
            SendOutcome::Retry { after: None, .. }
        ));
        assert!(matches!(
            classify(&answer(
                403,
                r#"{"error":{"status":"PERMISSION_DENIED"}}"#,
                None
            )),
            SendOutcome::Dead(_)
        ));
    }
}
