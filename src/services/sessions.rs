//! Web sessions, of the console and of the volunteer web alike: a random token in a
//! cookie, stored hashed. How long one lives follows its person's role ([`Lifetime`]): a
//! staff member's, coordinator's or admin's (the console, often on a shared care PC) ends
//! after 30 minutes idle (`DUGNAD_CONSOLE_IDLE_MINUTES`) or 12 hours; a volunteer's (their
//! own phone) slides 30 days from its last request (`DUGNAD_WEB_SESSION_DAYS`). Either
//! ends by signing out, by everything that revokes a person's refresh tokens (a password
//! change, a new address, deactivation), and with the account on erasure. The person's
//! role and unit are read with the session on every request, as the API reads them with
//! the token.

use chrono::{DateTime, Utc};
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use crate::auth::AuthUser;
use crate::auth::tokens;
use crate::db::console as db;
use crate::domain::account::Role;
use crate::domain::error::DomainError;
use crate::settings::Settings;

/// The longest a console session lives, however busy.
pub const ABSOLUTE: chrono::Duration = chrono::Duration::hours(12);

/// How long a session lives for its person's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifetime {
    /// It ends after this long without a request.
    pub idle: chrono::Duration,
    /// It ends this long after it began, however busy; none for a sliding session.
    pub absolute: Option<chrono::Duration>,
}

impl Lifetime {
    pub fn of(settings: &Settings, role: Role) -> Self {
        match role {
            Role::Volunteer => Self {
                idle: chrono::Duration::days(i64::from(settings.web_session_days)),
                absolute: None,
            },
            Role::Staff | Role::Coordinator | Role::Admin => Self {
                idle: chrono::Duration::minutes(i64::from(settings.console_idle_minutes)),
                absolute: Some(ABSOLUTE),
            },
        }
    }

    /// Whether a session begun at `started` and last used at `last_seen` still holds at
    /// `now`.
    pub fn holds(
        &self,
        started: DateTime<Utc>,
        last_seen: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> bool {
        now - last_seen < self.idle && self.absolute.is_none_or(|a| now - started < a)
    }

    /// When a session used at `now` ends unless used again (its row goes then).
    fn ends(&self, started: DateTime<Utc>, now: DateTime<Utc>) -> DateTime<Utc> {
        match self.absolute {
            Some(a) => started + a,
            None => now + self.idle,
        }
    }

    /// Whether the session outlives the browser (its cookie is kept when the browser
    /// closes): a volunteer's on their phone, not a console's on a shared PC.
    pub fn persistent(&self) -> bool {
        self.absolute.is_none()
    }
}

/// How long a console form kept across an expired session waits for its person to sign
/// in again.
pub const DRAFT_TTL: chrono::Duration = chrono::Duration::hours(1);

/// Where a sign-in stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The password was right; the authenticator's code is still to come.
    Otp,
    /// The password was right; a code is required and an authenticator must be enrolled.
    Enrol,
    /// Signed in.
    Full,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Otp => "otp",
            Self::Enrol => "enrol",
            Self::Full => "full",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "otp" => Some(Self::Otp),
            "enrol" => Some(Self::Enrol),
            "full" => Some(Self::Full),
            _ => None,
        }
    }
}

/// A live session and its person as they are now.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: Uuid,
    pub csrf_token: String,
    pub stage: Stage,
    pub pending_totp_secret: Option<Vec<u8>>,
    pub started_at: DateTime<Utc>,
    /// Where the sign-in goes once its second factor is proved (a console path).
    pub resume: Option<String>,
    pub user: AuthUser,
}

/// A new session: the token for the cookie (never stored) and the session's id.
pub struct Started {
    pub token: String,
    pub id: Uuid,
}

/// Starts a session for `user_id` at `stage`, living as `lifetime` says; `code_proved`
/// when its sign-in proved a second-factor code; `resume` is where a half-way sign-in goes
/// once it is finished.
pub async fn start(
    conn: &mut AsyncPgConnection,
    lifetime: Lifetime,
    user_id: Uuid,
    stage: Stage,
    code_proved: bool,
    resume: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Started, DomainError> {
    let (token, hash) = tokens::generate();
    let id = Uuid::now_v7();
    let csrf = crate::random::token(32);
    db::insert_session(
        conn,
        &db::NewSession {
            id,
            user_id,
            token_hash: &hash,
            csrf_token: &csrf,
            stage: stage.as_str(),
            expires_at: lifetime.ends(now, now),
            created_at: now,
            last_seen_at: now,
            code_proved,
            resume,
        },
    )
    .await?;
    Ok(Started { token, id })
}

/// The live session of a cookie's token, its person active: not idle, and not past its
/// end for its person's role as it is now. Each request moves the idle deadline (written
/// at most every 30 seconds).
pub async fn resolve(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<Session>, DomainError> {
    let Some((row, user)) = db::live_session(conn, &tokens::hash(token), now).await? else {
        return Ok(None);
    };
    if !user.active {
        return Ok(None);
    }
    let (Some(stage), Some(user)) = (Stage::parse(&row.stage), AuthUser::from_row(user)) else {
        return Ok(None);
    };
    let lifetime = Lifetime::of(settings, user.role);
    if !lifetime.holds(row.created_at, row.last_seen_at, now) {
        return Ok(None);
    }
    if now - row.last_seen_at > chrono::Duration::seconds(30) {
        db::touch_session(conn, row.id, now, lifetime.ends(row.created_at, now)).await?;
    }
    Ok(Some(Session {
        id: row.id,
        csrf_token: row.csrf_token,
        stage,
        // Sealed at rest like an enrolled key; one this server cannot open is dropped
        // (the enrolment page then shows a new one).
        pending_totp_secret: row.pending_totp_secret.and_then(|sealed| {
            let keys = crate::auth::keys::ServerKeys::from_settings(settings);
            crate::services::second_factor::open_secret(&keys, &sealed).ok()
        }),
        started_at: row.created_at,
        resume: row.resume,
        user,
    }))
}

/// Finishes a sign-in once a code was proved (or an authenticator enrolled): the half-way
/// session is replaced by a new one (a new token and a new anti-forgery token), so nothing
/// seen before the second factor opens the console.
pub async fn complete(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    session: &Session,
    now: DateTime<Utc>,
) -> Result<Started, DomainError> {
    db::delete_session(conn, session.id).await?;
    let lifetime = Lifetime::of(settings, session.user.role);
    start(
        conn,
        lifetime,
        session.user.id,
        Stage::Full,
        true,
        None,
        now,
    )
    .await
}

/// After a second factor was enrolled or replaced: every session of the person and every
/// refresh token ends (the caller's console session is then replaced by
/// [`complete`]), so nothing signed in before the new factor stays signed in.
pub async fn end_all_for_new_factor(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
) -> Result<(), DomainError> {
    db::delete_sessions_of(conn, user_id).await?;
    crate::db::tokens::revoke_all_for_user(conn, user_id).await?;
    tracing::info!(user.id = %user_id, "sessions ended after a new second factor");
    Ok(())
}

/// Keeps an authenticator secret on the session while the person enrols it.
pub async fn keep_pending_secret(
    conn: &mut AsyncPgConnection,
    keys: &crate::auth::keys::ServerKeys,
    session: &Session,
    secret: &[u8],
) -> Result<(), DomainError> {
    let sealed = keys.seal(crate::services::second_factor::SEALED_PURPOSE, secret);
    db::set_pending_secret(conn, session.id, &sealed).await?;
    Ok(())
}

/// Signs out.
pub async fn end(conn: &mut AsyncPgConnection, session_id: Uuid) -> Result<(), DomainError> {
    db::delete_session(conn, session_id).await?;
    Ok(())
}

/// What sealed drafts are sealed for (the sealing key is the server's).
const DRAFT_PURPOSE: &str = "console-draft";

/// The person and anti-forgery token of the session of a cookie's `token`, live or not (an
/// idle session's row stays until its absolute end).
pub async fn owner_of(
    conn: &mut AsyncPgConnection,
    token: &str,
) -> Result<Option<(Uuid, String)>, DomainError> {
    Ok(db::session_owner(conn, &tokens::hash(token)).await?)
}

/// A form posted after its session expired, as [`keep_draft`] keeps it for its person.
pub struct Draft {
    /// The path the form was posted to.
    pub path: String,
    /// The console page it was on.
    pub return_to: String,
    /// Its fields as typed (never a password or a code: the caller leaves them out).
    pub fields: Vec<(String, String)>,
}

/// Keeps `draft` for `user_id`, sealed with a key derived from the server secret; answers
/// its id, which the sign-in carries (never the values).
pub async fn keep_draft(
    conn: &mut AsyncPgConnection,
    keys: &crate::auth::keys::ServerKeys,
    user_id: Uuid,
    draft: Draft,
    now: DateTime<Utc>,
) -> Result<Uuid, DomainError> {
    let id = Uuid::now_v7();
    let fields = serde_json::to_vec(&draft.fields).map_err(DomainError::internal)?;
    db::insert_draft(
        conn,
        &db::DraftRow {
            id,
            user_id,
            path: draft.path,
            return_to: draft.return_to,
            sealed: keys.seal(DRAFT_PURPOSE, &fields),
            created_at: now,
        },
    )
    .await?;
    tracing::info!(user.id = %user_id, "console form kept across an expired session");
    Ok(id)
}

/// Takes (once) the draft `id` kept for `user_id` within [`DRAFT_TTL`]. A draft this
/// server cannot open comes back with no fields.
pub async fn take_draft(
    conn: &mut AsyncPgConnection,
    keys: &crate::auth::keys::ServerKeys,
    id: Uuid,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<Draft>, DomainError> {
    let since = now - DRAFT_TTL;
    let Some(row) = db::take_draft(conn, id, user_id, since).await? else {
        return Ok(None);
    };
    let fields = keys
        .open(DRAFT_PURPOSE, &row.sealed)
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default();
    Ok(Some(Draft {
        path: row.path,
        return_to: row.return_to,
        fields,
    }))
}
