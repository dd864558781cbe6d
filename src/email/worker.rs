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
use secrecy::ExposeSecret;
use tokio::sync::watch;
use uuid::Uuid;

use chrono::Utc;
use diesel_async::{AsyncConnection, AsyncPgConnection};

use super::intent::{Intent, greeting_name, language_of};
use super::render::{Composed, RenderContext, render};
use super::{Mailer, SendError, build_message, mask_address};
use crate::auth::keys::ServerKeys;
use crate::auth::rate_limit::Limit;
use crate::auth::tokens::StoredToken;
use crate::db::outbox::OutboxRow;
use crate::db::users::UserRow;
use crate::db::{DbPool, outbox, tokens as token_db, users as users_db};
use crate::domain::Language;
use crate::domain::account::{RESET_TTL, VERIFY_TTL, normalize_email};
use crate::domain::error::ErrorCode;
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
    keys: ServerKeys,
    public_url: url::Url,
    timezone: chrono_tz::Tz,
}

/// Emails about one address that protect an account (verification, resets, new
/// accounts, address changes) per hour; past it the row is dropped, so nobody can use the
/// service to flood an address they do not own.
pub const EMAIL_SENDS_PER_ADDRESS: Limit = Limit {
    name: "email_sends_per_address",
    max: 5,
    window: Duration::from_secs(3600),
};

/// A leased row, ready for the transport.
struct Ready {
    to: String,
    composed: Composed,
}

enum Prepared {
    Send(Ready),
    Dropped(&'static str),
    Dead(String),
}

/// A request resolved against the accounts.
struct Resolved {
    user_id: Uuid,
    to: String,
    language: Language,
    intent: Intent,
}

/// The account a request row is about, if one should hear of it: an active account
/// with the address (as entered) for a reset, an unverified one for a new verification.
async fn account_for(
    conn: &mut AsyncPgConnection,
    request: &Intent,
    address: &str,
) -> anyhow::Result<Option<UserRow>> {
    let found = users_db::find_by_email_with_hash(conn, &normalize_email(address)).await?;
    Ok(found.map(|(user, _)| user).filter(|user| match request {
        Intent::PasswordResetRequest => user.active,
        Intent::VerificationResendRequest => user.active && !user.email_verified,
        _ => false,
    }))
}

/// Resolves a request row for `user`: a fresh link token, and the row rewritten to say
/// what to send to whom. The request itself did the same work for every address; this
/// runs later, off the request.
async fn resolve(
    conn: &mut AsyncPgConnection,
    keys: &ServerKeys,
    row_id: Uuid,
    request: &Intent,
    user: &UserRow,
) -> anyhow::Result<Resolved> {
    let (purpose, ttl) = match request {
        Intent::PasswordResetRequest => ("password_reset", RESET_TTL),
        _ => ("verify_email", VERIFY_TTL),
    };
    let resolved = conn
        .transaction(async |conn| {
            let token = StoredToken::new(keys, purpose);
            token_db::replace_email_token(
                conn,
                &token_db::NewEmailToken {
                    id: token.id,
                    ..token_db::NewEmailToken::new(user.id, purpose, &token.hash, Utc::now() + ttl)
                },
            )
            .await?;
            let intent = match request {
                Intent::PasswordResetRequest => Intent::PasswordReset {
                    token_id: token.id,
                    name: greeting_name(user),
                },
                _ => Intent::VerifyEmail { token_id: token.id },
            };
            let language = language_of(user);
            outbox::resolve(
                conn,
                row_id,
                user.id,
                &user.email,
                language.as_str(),
                intent.to_facts(),
            )
            .await?;
            Ok::<_, diesel::result::Error>(Resolved {
                user_id: user.id,
                to: user.email.clone(),
                language,
                intent,
            })
        })
        .await?;
    Ok(resolved)
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
            keys: ServerKeys::from_settings(settings),
            public_url: settings.public_url.clone(),
            timezone: settings.timezone,
        }
    }

    /// Leases one batch of due rows and delivers it. Returns how many rows it handled.
    pub async fn drain_once(&self) -> anyhow::Result<usize> {
        let rows = {
            let mut conn = self.pool.get().await?;
            outbox::lease_due(&mut conn, self.config.batch_size, self.config.lease).await?
        };
        let count = rows.len();
        // What each row says becomes an email here, at delivery; requests are resolved and
        // security emails counted against their address first.
        let mut ready = Vec::with_capacity(rows.len());
        {
            let mut conn = self.pool.get().await?;
            for row in rows {
                match self.prepare(&mut conn, &row).await? {
                    Prepared::Send(email) => ready.push((row, email)),
                    Prepared::Dropped(reason) => {
                        outbox::mark_dropped(&mut conn, row.id, reason).await?;
                        self.metrics.observe_email("dropped");
                        tracing::info!(email.id = %row.id, email.kind = %row.kind, reason, "email dropped");
                    }
                    Prepared::Dead(error) => {
                        outbox::mark_dead(&mut conn, row.id, &error).await?;
                        self.metrics.observe_email("dead");
                        tracing::error!(email.id = %row.id, email.kind = %row.kind, error = %error, "email cannot be rendered; kept as dead");
                    }
                }
            }
        }
        let results: Vec<_> = futures_util::stream::iter(ready)
            .map(|(row, email)| async move {
                let outcome = self.deliver(&row, &email).await;
                (row, outcome)
            })
            .buffer_unordered(SEND_CONCURRENCY)
            .collect()
            .await;
        let mut conn = self.pool.get().await?;
        // Delivered rows are marked together: one commit per batch instead of one per
        // message. A crash before this line re-sends the batch with the same Message-IDs,
        // the window docs/PRODUCT.md allows.
        let sent: Vec<Uuid> = results
            .iter()
            .filter(|(_, result)| result.is_ok())
            .map(|(row, _)| row.id)
            .collect();
        outbox::mark_sent(&mut conn, &sent, &self.id_domain).await?;
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
                    let delay = self.config.backoff(row.attempts);
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

    /// Turns one leased row into the email to send, or says why there is none.
    async fn prepare(
        &self,
        conn: &mut AsyncPgConnection,
        row: &OutboxRow,
    ) -> anyhow::Result<Prepared> {
        let Some(facts) = &row.facts else {
            return Ok(Prepared::Dead("the row says nothing to send".into()));
        };
        let mut intent = match Intent::from_facts(facts) {
            Ok(intent) => intent,
            Err(e) => return Ok(Prepared::Dead(format!("unreadable facts: {e}"))),
        };
        let mut to = row.to_address.clone();
        let mut user_id = row.user_id;
        let mut language = Language::parse(&row.language).unwrap_or_default();
        // A request first finds its account: an address nobody has gets nothing and
        // costs the address nothing.
        let account = if intent.is_request() {
            match account_for(conn, &intent, &to).await? {
                Some(user) => Some(user),
                None => return Ok(Prepared::Dropped("no account to send this to")),
            }
        } else {
            None
        };
        // Counted once per row (its first attempt), whoever caused it: registration, an
        // address change, a reset or an admin.
        if intent.is_security() && row.attempts <= 1 {
            match EMAIL_SENDS_PER_ADDRESS
                .consume(conn, &normalize_email(&to))
                .await
            {
                Ok(()) => {}
                Err(e) if e.code() == ErrorCode::RateLimited => {
                    return Ok(Prepared::Dropped(
                        "the address had its share of security emails this hour",
                    ));
                }
                Err(e) => return Err(anyhow::anyhow!("{e:?}")),
            }
        }
        if let Some(user) = account {
            let resolved = resolve(conn, &self.keys, row.id, &intent, &user).await?;
            to = resolved.to;
            user_id = Some(resolved.user_id);
            language = resolved.language;
            intent = resolved.intent;
        }
        let ctx = RenderContext {
            public_url: &self.public_url,
            timezone: self.timezone,
            keys: &self.keys,
            now: Utc::now(),
            recipient: user_id,
        };
        match render(&intent, user_id, language, &ctx) {
            Ok(composed) => Ok(Prepared::Send(Ready { to, composed })),
            Err(e) => Ok(Prepared::Dead(e.to_string())),
        }
    }

    async fn deliver(&self, row: &OutboxRow, email: &Ready) -> Result<(), SendError> {
        let message = build_message(
            row.id,
            &email.to,
            &email.composed,
            &self.from,
            &self.id_domain,
        )?;
        self.mailer.send(message, self.config.send_timeout).await
    }

    /// Runs until `shutdown` turns true, finishing the batch in hand first.
    pub async fn run(self, settings: Settings, shutdown: watch::Receiver<bool>) {
        crate::db::listen::drain_loop(
            settings.database_url.expose_secret().to_owned(),
            "dugnad_email_outbox",
            self.config.idle_poll,
            shutdown,
            "email outbox",
            || self.drain_once(),
        )
        .await;
    }
}
