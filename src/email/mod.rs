//! Email delivery: messages are written to the outbox inside the transaction of the change
//! that causes them ([`enqueue`]) and delivered by the [`worker`] through [`Mailer`].

pub mod messages;
pub mod task_messages;
pub mod templates;
pub mod worker;

use std::collections::BTreeMap;
use std::time::Duration;

use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;
use uuid::Uuid;

use crate::db::outbox::{self, NewOutboxRow, OutboxRow};
use crate::settings::Settings;
pub use templates::{EmailBody, Rendered};

/// An email to be sent, as a later issue's service builds it.
#[derive(Debug, Clone)]
pub struct NewEmail {
    /// What kind of email this is (`verify_email`, `reminder`, …): for logs, metrics and
    /// the GDPR export, never for the content.
    pub kind: &'static str,
    /// The recipient, when they are one of our users.
    pub user_id: Option<Uuid>,
    pub to: String,
    pub content: Rendered,
    /// Extra headers, e.g. `List-Unsubscribe`.
    pub headers: BTreeMap<String, String>,
}

/// Writes `email` to the outbox on `conn`. Call it inside the transaction of the change the
/// email reports: it is sent only if that transaction commits. Returns the outbox id, from
/// which the `Message-ID` is derived.
pub async fn enqueue(
    conn: &mut impl crate::db::PgConn,
    email: &NewEmail,
) -> diesel::QueryResult<Uuid> {
    let id = Uuid::now_v7();
    let headers = serde_json::to_value(&email.headers).unwrap_or_else(|_| serde_json::json!({}));
    outbox::insert(
        conn,
        &NewOutboxRow {
            id,
            kind: email.kind,
            user_id: email.user_id,
            to_address: &email.to,
            subject: &email.content.subject,
            body_text: &email.content.text,
            body_html: &email.content.html,
            headers,
        },
    )
    .await?;
    Ok(id)
}

/// Why a send failed, as far as retrying is concerned.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// Worth retrying later: 4xx replies, timeouts, connection failures.
    #[error("transient: {0}")]
    Transient(String),
    /// Will never succeed: 5xx replies, an unusable address.
    #[error("permanent: {0}")]
    Permanent(String),
}

/// The configured way out: SMTP, or `.eml` files when no SMTP server is configured.
#[derive(Clone)]
pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>),
}

impl Mailer {
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        match &settings.smtp_url {
            Some(url) => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())
                    .map_err(|e| anyhow::anyhow!("SMTP_URL: {e}"))?
                    .timeout(Some(settings.outbox.send_timeout))
                    .pool_config(
                        lettre::transport::smtp::PoolConfig::new()
                            .max_size(worker::SEND_CONCURRENCY as u32),
                    )
                    .build();
                Ok(Self::Smtp(transport))
            }
            None => {
                let dir = settings.mail_dir();
                std::fs::create_dir_all(&dir)
                    .map_err(|e| anyhow::anyhow!("creating {}: {e}", dir.display()))?;
                Ok(Self::Files(AsyncFileTransport::new(dir)))
            }
        }
    }

    /// Sends one message, giving up after `timeout` whatever the peer does.
    pub async fn send(&self, message: Message, timeout: Duration) -> Result<(), SendError> {
        match self {
            Self::Smtp(t) => tokio::time::timeout(timeout, t.send(message))
                .await
                .map_err(|_| SendError::Transient("timed out".into()))?
                .map(|_| ())
                .map_err(|e| {
                    if e.is_permanent() {
                        SendError::Permanent(e.to_string())
                    } else {
                        SendError::Transient(e.to_string())
                    }
                }),
            Self::Files(t) => tokio::time::timeout(timeout, t.send(message))
                .await
                .map_err(|_| SendError::Transient("timed out".into()))?
                .map(|_| ())
                .map_err(|e| SendError::Transient(e.to_string())),
        }
    }
}

/// Builds the MIME message for an outbox row. The `Message-ID` is derived from the row id,
/// so every re-send of one row carries the same id.
pub fn build_message(
    row: &OutboxRow,
    from: &Mailbox,
    id_domain: &str,
) -> Result<Message, SendError> {
    let to: Mailbox = row
        .to_address
        .parse()
        .map_err(|_| SendError::Permanent("the recipient address is invalid".into()))?;
    let mut message = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(row.subject.clone())
        .message_id(Some(message_id(row.id, id_domain)))
        .multipart(MultiPart::alternative_plain_html(
            row.body_text.clone(),
            row.body_html.clone(),
        ))
        .map_err(|e| SendError::Permanent(format!("building the message: {e}")))?;
    if let Some(headers) = row.headers.as_object() {
        for (name, value) in headers {
            let (Ok(name), Some(value)) =
                (HeaderName::new_from_ascii(name.clone()), value.as_str())
            else {
                continue;
            };
            message
                .headers_mut()
                .insert_raw(HeaderValue::new(name, value.to_owned()));
        }
    }
    Ok(message)
}

/// `<outbox-id@domain>`: stable across re-sends of the same row.
pub fn message_id(id: Uuid, domain: &str) -> String {
    format!("<{id}@{domain}>")
}

/// Masks an address for logs: `k***@example.no`.
pub fn mask_address(address: &str) -> String {
    match address.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".into(),
    }
}
