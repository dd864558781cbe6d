//! The email channel of the one outbox: turns a leased row into the message to send —
//! resolving a request to its account first, counting security emails against their
//! address — and sends it. The `delivery` worker leases, retries and records.

use std::time::Duration;

use lettre::message::Mailbox;
use uuid::Uuid;

use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};

use super::context::RenderContext;
use super::render::{Composed, render};
use super::{Mailer, SendError, build_message};
use crate::auth::keys::ServerKeys;
use crate::auth::rate_limit::Limit;
use crate::auth::tokens::StoredToken;
use crate::clock::Clock;
use crate::db::outbox::OutboxRow;
use crate::db::users::UserRow;
use crate::db::{outbox, tokens as token_db, users as users_db};
use crate::domain::Language;
use crate::domain::account::{RESET_TTL, VERIFY_TTL, normalize_email};
use crate::domain::error::ErrorCode;
use crate::notify::intent::{Intent, greeting_name, language_of};
use crate::settings::Settings;

/// Renders and sends emails. Cheap to clone.
#[derive(Clone)]
pub struct EmailChannel {
    mailer: Mailer,
    from: Mailbox,
    id_domain: String,
    keys: ServerKeys,
    public_url: url::Url,
    timezone: chrono_tz::Tz,
    send_timeout: Duration,
    /// Renders "in 3 hours" and signs links from the service's time.
    clock: Clock,
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
pub struct Ready {
    to: String,
    composed: Composed,
}

/// What a leased row turned out to be.
pub enum Prepared {
    Send(Ready),
    /// Nothing to send, and nothing wrong: kept as metadata with the reason.
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
    now: DateTime<Utc>,
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
                    ..token_db::NewEmailToken::new(user.id, purpose, &token.hash, now + ttl)
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

impl EmailChannel {
    pub fn new(mailer: Mailer, settings: &Settings, clock: Clock) -> Self {
        Self {
            mailer,
            from: settings.mail_from.clone(),
            id_domain: settings.mail_from.email.domain().to_owned(),
            keys: ServerKeys::from_settings(settings),
            public_url: settings.public_url.clone(),
            timezone: settings.timezone,
            send_timeout: settings.outbox.send_timeout,
            clock,
        }
    }

    /// The domain of every `Message-ID`.
    pub fn id_domain(&self) -> &str {
        &self.id_domain
    }

    /// Turns one leased row into the email to send, or says why there is none.
    pub async fn prepare(
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
        let Some(mut to) = row.to_address.clone() else {
            return Ok(Prepared::Dead("an email row without an address".into()));
        };
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
            let resolved =
                resolve(conn, &self.keys, row.id, &intent, &user, self.clock.now()).await?;
            to = resolved.to;
            user_id = Some(resolved.user_id);
            language = resolved.language;
            intent = resolved.intent;
        }
        let ctx = RenderContext {
            public_url: &self.public_url,
            timezone: self.timezone,
            keys: &self.keys,
            now: self.clock.now(),
            recipient: user_id,
        };
        match render(&intent, user_id, language, &ctx) {
            Ok(composed) => Ok(Prepared::Send(Ready { to, composed })),
            Err(e) => Ok(Prepared::Dead(e.to_string())),
        }
    }

    /// Sends one prepared email; its `Message-ID` is the row's, whatever the attempt.
    pub async fn send(&self, row: &OutboxRow, email: &Ready) -> Result<(), SendError> {
        let message = build_message(
            row.id,
            &email.to,
            &email.composed,
            &self.from,
            &self.id_domain,
        )?;
        self.mailer.send(message, self.send_timeout).await
    }
}
