//! The push worker: drains due push rows in small leased batches, sends each to its
//! device, and records the outcome — sent, retried with backoff (never sooner than FCM's
//! `Retry-After`), dead, or the device forgotten when FCM no longer knows its token.
//! Wakes on `NOTIFY dugnad_push_outbox` and polls as a fallback, like the email worker.

use std::collections::HashMap;
use std::sync::Arc;

use futures_util::StreamExt;
use secrecy::ExposeSecret;
use tokio::sync::watch;
use uuid::Uuid;

use super::fcm::SendOutcome;
use super::{Message, PushFacts, Transport};
use crate::db::push_outbox::{self as outbox, PushRow};
use crate::db::{DbPool, devices};
use crate::metrics::Metrics;
use crate::settings::{OutboxSettings, Settings};

/// Sends of one batch in flight at once.
const SEND_CONCURRENCY: usize = 16;

/// Delivers the push outbox. Cheap to clone; tests call [`PushWorker::drain_once`].
#[derive(Clone)]
pub struct PushWorker {
    pool: DbPool,
    transport: Arc<Transport>,
    config: OutboxSettings,
    metrics: Arc<Metrics>,
    zone: chrono_tz::Tz,
}

impl PushWorker {
    pub fn new(
        pool: DbPool,
        transport: Transport,
        settings: &Settings,
        metrics: Arc<Metrics>,
    ) -> Self {
        Self {
            pool,
            transport: Arc::new(transport),
            config: settings.push.clone(),
            metrics,
            zone: settings.timezone,
        }
    }

    async fn deliver(&self, row: &PushRow, token: Option<&String>) -> SendOutcome {
        let Some(token) = token else {
            return SendOutcome::Unregistered("the device is gone".into());
        };
        let message = match serde_json::from_value::<PushFacts>(row.payload.clone()) {
            Ok(facts) => Message::of(&facts, self.zone),
            Err(e) => return SendOutcome::Dead(format!("unreadable payload: {e}")),
        };
        let Some(message) = message else {
            return SendOutcome::Dead(format!("no push text for kind {}", row.kind));
        };
        match self.transport.as_ref() {
            Transport::Fcm(client) => client.send(token, &message).await,
            Transport::Files(dir) => write_file(dir, row, &message).await,
        }
    }

    /// Leases one batch of due rows and delivers it. Returns how many rows it handled.
    pub async fn drain_once(&self) -> anyhow::Result<usize> {
        let (rows, tokens) = {
            let mut conn = self.pool.get().await?;
            let rows =
                outbox::lease_due(&mut conn, self.config.batch_size, self.config.lease).await?;
            let ids: Vec<Uuid> = rows.iter().map(|r| r.device_id).collect();
            let tokens: HashMap<Uuid, String> = devices::tokens(&mut conn, &ids).await?;
            (rows, tokens)
        };
        let count = rows.len();
        let results: Vec<(PushRow, SendOutcome)> = futures_util::stream::iter(rows)
            .map(|row| {
                let token = tokens.get(&row.device_id);
                async move {
                    let outcome = self.deliver(&row, token).await;
                    (row, outcome)
                }
            })
            .buffer_unordered(SEND_CONCURRENCY)
            .collect()
            .await;
        let mut conn = self.pool.get().await?;
        let sent: Vec<Uuid> = results
            .iter()
            .filter(|(_, o)| *o == SendOutcome::Sent)
            .map(|(row, _)| row.id)
            .collect();
        // A crash before this line sends the batch again: the documented window.
        outbox::mark_sent(&mut conn, &sent).await?;
        for (row, outcome) in results {
            match outcome {
                SendOutcome::Sent => {
                    self.metrics.observe_push("sent");
                    tracing::info!(push.id = %row.id, push.kind = %row.kind, "push sent");
                }
                SendOutcome::Unregistered(why) => {
                    // The device goes, and with it every push still waiting for it.
                    devices::delete(&mut conn, row.device_id).await?;
                    self.metrics.observe_push("pruned");
                    tracing::info!(push.id = %row.id, device.id = %row.device_id, reason = %why, "device forgotten");
                }
                SendOutcome::Retry { error, .. } if row.attempts >= self.config.max_attempts => {
                    let error = format!("gave up after {} attempts: {error}", row.attempts);
                    outbox::mark_dead(&mut conn, row.id, &error).await?;
                    self.metrics.observe_push("dead");
                    tracing::error!(push.id = %row.id, push.kind = %row.kind, "push could not be delivered; kept as dead");
                }
                SendOutcome::Retry { after, error } => {
                    let delay = self
                        .config
                        .backoff(row.attempts)
                        .max(after.unwrap_or_default());
                    outbox::mark_retry(&mut conn, row.id, delay, &error).await?;
                    self.metrics.observe_push("retry");
                    tracing::warn!(push.id = %row.id, push.attempts = row.attempts, error = %error, "push failed; will retry");
                }
                SendOutcome::Dead(error) => {
                    outbox::mark_dead(&mut conn, row.id, &error).await?;
                    self.metrics.observe_push("dead");
                    tracing::error!(push.id = %row.id, push.kind = %row.kind, error = %error, "push refused; kept as dead");
                }
            }
        }
        Ok(count)
    }

    /// Runs until `shutdown` turns true, finishing the batch in hand first.
    pub async fn run(self, settings: Settings, shutdown: watch::Receiver<bool>) {
        crate::db::listen::drain_loop(
            settings.database_url.expose_secret().to_owned(),
            "dugnad_push_outbox",
            self.config.idle_poll,
            shutdown,
            "push outbox",
            || self.drain_once(),
        )
        .await;
    }
}

/// Development without credentials: the message as a JSON file named by the row.
async fn write_file(dir: &std::path::Path, row: &PushRow, message: &Message) -> SendOutcome {
    let body = serde_json::json!({
        "device_id": row.device_id,
        "notification_id": row.notification_id,
        "message": message,
    });
    let written = async {
        tokio::fs::create_dir_all(dir).await?;
        tokio::fs::write(
            dir.join(format!("{}.json", row.id)),
            serde_json::to_vec_pretty(&body)?,
        )
        .await
    }
    .await;
    match written {
        Ok(()) => SendOutcome::Sent,
        Err(e) => SendOutcome::Retry {
            after: None,
            error: format!("cannot write the push file: {e}"),
        },
    }
}
