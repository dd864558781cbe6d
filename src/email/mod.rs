//! The email channel: an outbox row's [`Intent`](crate::notify::Intent) is rendered in
//! the recipient's language at delivery ([`render`]) and sent through [`Mailer`]; the
//! [`channel`] prepares a leased row (resolving requests, counting security emails) for
//! the one `delivery` worker.

pub mod channel;
pub mod context;
pub mod messages;
pub mod render;
pub mod task_messages;
pub mod templates;

use std::time::Duration;

use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;
use uuid::Uuid;

use crate::settings::Settings;
pub use templates::{EmailBody, Rendered};

/// How many sends run at once (and SMTP connections kept open). lettre writes a
/// message's body and its final `.` in two writes without TCP_NODELAY, so each send waits
/// out the relay's delayed ACK (≈ 40 ms on Linux): throughput comes from parallel
/// connections, not from a faster single one.
pub const SEND_CONCURRENCY: usize = 32;

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
                            .max_size(SEND_CONCURRENCY as u32),
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

/// Builds the MIME message of one outbox row from its rendered content. The `Message-ID`
/// is derived from the row id, so every re-send of one row carries the same id.
pub fn build_message(
    id: Uuid,
    to: &str,
    email: &render::Composed,
    from: &Mailbox,
    id_domain: &str,
) -> Result<Message, SendError> {
    let to: Mailbox = to
        .parse()
        .map_err(|_| SendError::Permanent("the recipient address is invalid".into()))?;
    let mut message = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(email.content.subject.clone())
        .message_id(Some(message_id(id, id_domain)))
        .multipart(MultiPart::alternative_plain_html(
            email.content.text.clone(),
            email.content.html.clone(),
        ))
        .map_err(|e| SendError::Permanent(format!("building the message: {e}")))?;
    for (name, value) in &email.headers {
        let Ok(name) = HeaderName::new_from_ascii(name.clone()) else {
            continue;
        };
        message
            .headers_mut()
            .insert_raw(HeaderValue::new(name, value.clone()));
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
