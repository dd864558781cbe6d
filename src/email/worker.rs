//! The outbox worker: drains due rows in small leased batches, sends them, and records
//! each outcome — sent, retried later with exponential backoff and jitter, or `dead`.
//!
//! It wakes on PostgreSQL `NOTIFY` from any process (new rows commit) and polls as a
//! fallback, so an idle system delivers within about a second. On shutdown it finishes the
//! batch in hand and stops.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use lettre::message::Mailbox;
use rand::Rng;
use secrecy::ExposeSecret;
use tokio::sync::{Notify, watch};
use uuid::Uuid;

use super::{Mailer, SendError, build_message, mask_address};
use crate::db::{DbPool, outbox};
use crate::metrics::Metrics;
use crate::settings::{OutboxSettings, Settings};

/// How many sends of one batch run at once (and SMTP connections kept open). lettre
/// writes a message's body and its final `.` in two writes without TCP_NODELAY, so each
/// send waits out the relay's delayed ACK (≈ 40 ms on Linux): throughput comes from
/// parallel connections, not from a faster single one.
pub const SEND_CONCURRENCY: usize = 32;

/// Delivers the outbox. Cheap to clone; tests call [`OutboxWorker::drain_once`] directly.
#[derive(Clone)]
pub struct OutboxWorker {
    pool: DbPool,
    mailer: Mailer,
    from: Mailbox,
    id_domain: String,
    config: OutboxSettings,
    metrics: Arc<Metrics>,
}

/// What happened to one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    Retry,
    Dead,
}

impl OutboxWorker {
    pub fn new(pool: DbPool, mailer: Mailer, settings: &Settings, metrics: Arc<Metrics>) -> Self {
        let id_domain = settings.mail_from.email.domain().to_owned();
        Self {
            pool,
            mailer,
            from: settings.mail_from.clone(),
            id_domain,
            config: settings.outbox.clone(),
            metrics,
        }
    }

    /// Leases one batch of due rows and delivers it. Returns how many rows it handled.
    pub async fn drain_once(&self) -> anyhow::Result<usize> {
        let rows = {
            let mut conn = self.pool.get().await?;
            outbox::lease_due(&mut conn, self.config.batch_size, self.config.lease).await?
        };
        let count = rows.len();
        let results: Vec<_> = futures_util::stream::iter(rows)
            .map(|row| async move {
                let outcome = self.deliver(&row).await;
                (row, outcome)
            })
            .buffer_unordered(SEND_CONCURRENCY)
            .collect()
            .await;
        let mut conn = self.pool.get().await?;
        // Delivered rows are marked together: one commit per batch instead of one per
        // message. A crash before this line re-sends the batch with the same Message-IDs,
        // the window PRODUCT.md allows.
        let sent: Vec<Uuid> = results
            .iter()
            .filter(|(_, result)| result.is_ok())
            .map(|(row, _)| row.id)
            .collect();
        outbox::mark_sent(&mut conn, &sent).await?;
        for (row, result) in results {
            let outcome = match result {
                Ok(()) => Outcome::Sent,
                Err(SendError::Permanent(e)) => {
                    outbox::mark_dead(&mut conn, row.id, &e).await?;
                    Outcome::Dead
                }
                Err(SendError::Transient(e)) if row.attempts >= self.config.max_attempts => {
                    outbox::mark_dead(
                        &mut conn,
                        row.id,
                        &format!("gave up after {} attempts: {e}", row.attempts),
                    )
                    .await?;
                    Outcome::Dead
                }
                Err(SendError::Transient(e)) => {
                    let delay = backoff(&self.config, row.attempts);
                    outbox::mark_retry(&mut conn, row.id, delay, &e).await?;
                    Outcome::Retry
                }
            };
            self.metrics.observe_email(match outcome {
                Outcome::Sent => "sent",
                Outcome::Retry => "retry",
                Outcome::Dead => "dead",
            });
            match outcome {
                Outcome::Sent => tracing::info!(
                    email.id = %row.id, email.kind = %row.kind, email.to = %mask_address(&row.to_address),
                    "email sent"
                ),
                Outcome::Retry => tracing::warn!(
                    email.id = %row.id, email.kind = %row.kind, email.attempts = row.attempts,
                    "email delivery failed; will retry"
                ),
                Outcome::Dead => tracing::error!(
                    email.id = %row.id, email.kind = %row.kind, email.attempts = row.attempts,
                    "email could not be delivered; kept as dead"
                ),
            }
        }
        Ok(count)
    }

    async fn deliver(&self, row: &outbox::OutboxRow) -> Result<(), SendError> {
        let message = build_message(row, &self.from, &self.id_domain)?;
        self.mailer.send(message, self.config.send_timeout).await
    }

    /// Runs until `shutdown` turns true, finishing the batch in hand first.
    pub async fn run(self, settings: Settings, mut shutdown: watch::Receiver<bool>) {
        let wake = Arc::new(Notify::new());
        let listener = tokio::spawn(listen_for_new_rows(
            settings.database_url.expose_secret().to_owned(),
            wake.clone(),
            shutdown.clone(),
        ));
        loop {
            if *shutdown.borrow() {
                break;
            }
            let handled = match self.drain_once().await {
                Ok(n) => n,
                Err(e) => {
                    tracing::warn!(error = %e, "outbox drain failed; will try again");
                    0
                }
            };
            if handled > 0 {
                continue;
            }
            tokio::select! {
                _ = wake.notified() => {}
                _ = tokio::time::sleep(self.config.idle_poll) => {}
                _ = shutdown.changed() => {}
            }
        }
        listener.abort();
        tracing::info!("outbox worker stopped");
    }
}

/// Wakes the worker whenever another transaction commits new outbox rows.
async fn listen_for_new_rows(url: String, wake: Arc<Notify>, shutdown: watch::Receiver<bool>) {
    while !*shutdown.borrow() {
        match tokio_postgres::connect(&url, crate::db::tls::connector()).await {
            Ok((client, mut connection)) => {
                let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
                let driver = tokio::spawn(async move {
                    let mut messages =
                        futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
                    while let Some(message) = messages.next().await {
                        match message {
                            Ok(tokio_postgres::AsyncMessage::Notification(_)) => {
                                let _ = tx.send(());
                            }
                            Ok(_) => {}
                            Err(_) => break,
                        }
                    }
                });
                if client
                    .batch_execute("LISTEN dugnad_email_outbox")
                    .await
                    .is_ok()
                {
                    while rx.recv().await.is_some() {
                        wake.notify_one();
                    }
                }
                driver.abort();
            }
            Err(e) => tracing::debug!(error = %e, "outbox listener cannot connect; polling only"),
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}

/// Exponential backoff with ±50 % jitter: base × 2^(attempt−1), capped.
pub fn backoff(config: &OutboxSettings, attempts: i32) -> Duration {
    let exp = u32::try_from(attempts.saturating_sub(1).clamp(0, 20)).unwrap_or(0);
    let raw = config
        .base_backoff
        .saturating_mul(2u32.saturating_pow(exp))
        .min(config.max_backoff);
    let factor = rand::rng().random_range(0.5..1.5);
    raw.mul_f64(factor)
}
