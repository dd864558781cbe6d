//! The one delivery worker of the one outbox: leases due rows of every channel in small
//! batches, has each channel prepare and send its rows (`email`, `push`), and records
//! every outcome the same way — sent, retried with exponential backoff and jitter (never
//! sooner than a peer's `Retry-After`), dead, dropped, or the device forgotten when its
//! push service no longer knows it.
//!
//! It wakes on `NOTIFY dugnad_outbox` from any process (new rows commit) and polls as a
//! fallback, so an idle system delivers within about a second. On shutdown it finishes the
//! batch in hand and stops.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use secrecy::ExposeSecret;
use tokio::sync::watch;
use uuid::Uuid;

use crate::clock::Clock;
use crate::db::outbox::{self, OutboxRow};
use crate::db::{DbPool, devices};
use crate::domain::notification::Channel;
use crate::email::channel::{EmailChannel, Prepared, Ready};
use crate::email::{Mailer, SendError, mask_address};
use crate::metrics::Metrics;
use crate::push::Transport;
use crate::push::channel::PushChannel;
use crate::push::fcm::SendOutcome;
use crate::settings::{OutboxSettings, Settings};

/// The channel `NOTIFY` wakes the worker on.
pub const WAKE_CHANNEL: &str = "dugnad_outbox";

/// A leased row ready for its channel's transport.
enum Sendable {
    Email(Ready),
    Push(Option<String>),
}

/// What happened to one row.
#[derive(Debug)]
enum Outcome {
    Sent,
    Retry {
        after: Option<Duration>,
        error: String,
    },
    Dead(String),
    /// Nothing to send, and nothing wrong (an email request nobody's account answers).
    Dropped(&'static str),
    /// The push service no longer knows the device: it is forgotten.
    Gone(String),
}

impl Outcome {
    fn label(&self) -> &'static str {
        match self {
            Self::Sent => "sent",
            Self::Retry { .. } => "retry",
            Self::Dead(_) => "dead",
            Self::Dropped(_) => "dropped",
            Self::Gone(_) => "pruned",
        }
    }
}

impl From<Result<(), SendError>> for Outcome {
    fn from(result: Result<(), SendError>) -> Self {
        match result {
            Ok(()) => Self::Sent,
            Err(SendError::Permanent(e)) => Self::Dead(e),
            Err(SendError::Transient(e)) => Self::Retry {
                after: None,
                error: e,
            },
        }
    }
}

impl From<SendOutcome> for Outcome {
    fn from(outcome: SendOutcome) -> Self {
        match outcome {
            SendOutcome::Sent => Self::Sent,
            SendOutcome::Unregistered(why) => Self::Gone(why),
            SendOutcome::Retry { after, error } => Self::Retry { after, error },
            SendOutcome::Dead(e) => Self::Dead(e),
        }
    }
}

/// Delivers the outbox. Cheap to clone; tests call [`Worker::drain_once`] (or
/// [`Worker::drain_channels`]) directly.
#[derive(Clone)]
pub struct Worker {
    pool: DbPool,
    email: EmailChannel,
    push: PushChannel,
    config: OutboxSettings,
    metrics: Arc<Metrics>,
}

impl Worker {
    pub fn new(
        pool: DbPool,
        mailer: Mailer,
        transport: Transport,
        settings: &Settings,
        metrics: Arc<Metrics>,
        clock: Clock,
    ) -> Self {
        Self {
            pool,
            email: EmailChannel::new(mailer, settings, clock),
            push: PushChannel::new(transport, settings.timezone),
            config: settings.outbox.clone(),
            metrics,
        }
    }

    /// Leases one batch of due rows of every channel and delivers it. Returns how many
    /// rows it handled.
    pub async fn drain_once(&self) -> anyhow::Result<usize> {
        self.drain_channels(&Channel::ALL).await
    }

    /// Leases one batch of due rows of `channels` and delivers it.
    pub async fn drain_channels(&self, channels: &[Channel]) -> anyhow::Result<usize> {
        let names: Vec<&str> = channels.iter().map(|c| c.as_str()).collect();
        let rows = {
            let mut conn = self.pool.get().await?;
            outbox::lease_due(&mut conn, &names, self.config.batch_size, self.config.lease).await?
        };
        let count = rows.len();
        let mut sendable = Vec::with_capacity(rows.len());
        let mut settled = Vec::new();
        {
            // What each row says becomes a message here, at delivery: emails are rendered
            // (requests resolved and security emails counted first), pushes find their
            // device's token.
            let mut conn = self.pool.get().await?;
            let pushes: Vec<&OutboxRow> = rows.iter().filter(|r| r.channel == "fcm").collect();
            let tokens: HashMap<Uuid, String> = if pushes.is_empty() {
                HashMap::new()
            } else {
                PushChannel::tokens(&mut conn, &pushes).await?
            };
            for row in rows {
                match Channel::parse(&row.channel) {
                    Some(Channel::Email) => match self.email.prepare(&mut conn, &row).await? {
                        Prepared::Send(email) => sendable.push((row, Sendable::Email(email))),
                        Prepared::Dropped(reason) => settled.push((row, Outcome::Dropped(reason))),
                        Prepared::Dead(error) => settled.push((row, Outcome::Dead(error))),
                    },
                    Some(Channel::Fcm) => {
                        // A device may have several rows in one batch.
                        let token = row.device_id.and_then(|d| tokens.get(&d).cloned());
                        sendable.push((row, Sendable::Push(token)));
                    }
                    None => {
                        let error = format!("no channel {} in this version", row.channel);
                        settled.push((row, Outcome::Dead(error)));
                    }
                }
            }
        }
        let sent: Vec<(OutboxRow, Outcome)> = futures_util::stream::iter(sendable)
            .map(|(row, ready)| async move {
                let outcome = match &ready {
                    Sendable::Email(email) => self.email.send(&row, email).await.into(),
                    Sendable::Push(token) => self.push.send(&row, token.as_ref()).await.into(),
                };
                (row, outcome)
            })
            .buffer_unordered(crate::email::SEND_CONCURRENCY)
            .collect()
            .await;
        settled.extend(sent);
        self.record(settled).await?;
        Ok(count)
    }

    /// Writes the outcomes: delivered rows together (one commit per batch instead of one
    /// per message), the rest one by one. A crash before this re-sends the batch, with
    /// the same Message-IDs — the window docs/PRODUCT.md allows.
    async fn record(&self, results: Vec<(OutboxRow, Outcome)>) -> anyhow::Result<()> {
        let mut conn = self.pool.get().await?;
        let sent: Vec<Uuid> = results
            .iter()
            .filter(|(_, o)| matches!(o, Outcome::Sent))
            .map(|(row, _)| row.id)
            .collect();
        outbox::mark_sent(&mut conn, &sent, self.email.id_domain()).await?;
        for (row, outcome) in results {
            let label = match &outcome {
                Outcome::Retry { .. } if row.attempts >= self.config.max_attempts => "dead",
                other => other.label(),
            };
            match outcome {
                Outcome::Sent => {
                    let to = row.to_address.as_deref().map(mask_address);
                    tracing::info!(outbox.id = %row.id, outbox.channel = %row.channel, outbox.kind = %row.kind, outbox.to = to, "notification sent");
                }
                Outcome::Dropped(reason) => {
                    outbox::mark_dropped(&mut conn, row.id, reason).await?;
                    tracing::info!(outbox.id = %row.id, outbox.channel = %row.channel, outbox.kind = %row.kind, reason, "notification dropped");
                }
                Outcome::Gone(why) => {
                    // The device goes, and with it every row still waiting for it.
                    if let Some(device) = row.device_id {
                        devices::delete(&mut conn, device).await?;
                    }
                    tracing::info!(outbox.id = %row.id, device.id = ?row.device_id, reason = %why, "device forgotten");
                }
                Outcome::Retry { error, .. } if row.attempts >= self.config.max_attempts => {
                    let error = format!("gave up after {} attempts: {error}", row.attempts);
                    outbox::mark_dead(&mut conn, row.id, &error).await?;
                    tracing::error!(outbox.id = %row.id, outbox.channel = %row.channel, outbox.kind = %row.kind, outbox.attempts = row.attempts, "notification could not be delivered; kept as dead");
                }
                Outcome::Retry { after, error } => {
                    let delay = self
                        .config
                        .backoff(row.attempts)
                        .max(after.unwrap_or_default());
                    outbox::mark_retry(&mut conn, row.id, delay, &error).await?;
                    tracing::warn!(outbox.id = %row.id, outbox.channel = %row.channel, outbox.kind = %row.kind, outbox.attempts = row.attempts, error = %error, "delivery failed; will retry");
                }
                Outcome::Dead(error) => {
                    outbox::mark_dead(&mut conn, row.id, &error).await?;
                    tracing::error!(outbox.id = %row.id, outbox.channel = %row.channel, outbox.kind = %row.kind, error = %error, "notification refused; kept as dead");
                }
            }
            let channel = Channel::parse(&row.channel).map_or("unknown", Channel::as_str);
            self.metrics.observe_delivery(channel, label);
        }
        Ok(())
    }

    /// Runs until `shutdown` turns true, finishing the batch in hand first.
    pub async fn run(self, settings: Settings, shutdown: watch::Receiver<bool>) {
        crate::db::listen::drain_loop(
            settings.database_url.expose_secret().to_owned(),
            WAKE_CHANNEL,
            self.config.idle_poll,
            shutdown,
            "outbox",
            || self.drain_once(),
        )
        .await;
    }
}
