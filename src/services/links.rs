//! One-click links in emails: unsubscribing from one kind of email (RFC 8058, also through
//! the `List-Unsubscribe` header) and giving a claim back from a reminder. The pages behind
//! them only show a button; the POST does the work.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use crate::auth::tokens;
use crate::db::tasks as task_db;
use crate::db::tokens as token_db;
use crate::db::users::{self as users_db, UserChanges, UserRow};
use crate::domain::Language;
use crate::domain::task::effective_end;
use crate::error::{ApiError, ErrorCode};
use crate::settings::Settings;

/// How long an unsubscribe link works.
const UNSUBSCRIBE_TTL: chrono::Duration = chrono::Duration::days(90);

/// The kinds of email a person can turn off (security emails are not among them).
pub const OPTIONAL_KINDS: [&str; 6] = [
    "claim_confirmation",
    "task_changed",
    "task_cancelled",
    "reminder",
    "invitation",
    "new_tasks_digest",
];

/// Whether the person wants emails of `kind`.
pub fn wants(user: &UserRow, kind: &str) -> bool {
    match kind {
        "claim_confirmation" => user.notify_claim_confirmation,
        "task_changed" => user.notify_task_changed,
        "task_cancelled" => user.notify_task_cancelled,
        "reminder" => user.notify_reminder,
        "invitation" => user.notify_invitation,
        "new_tasks_digest" => user.notify_new_tasks_digest,
        _ => true,
    }
}

/// The unsubscribe link of one email: the page for people, the one-click URL for mail
/// clients, and the headers that carry it.
pub struct Unsubscribe {
    pub page_url: String,
    pub headers: BTreeMap<String, String>,
}

fn api_url(settings: &Settings, path: &str, token: &str) -> String {
    let mut url = settings.public_url.clone();
    url.set_path(path);
    url.query_pairs_mut().clear().append_pair("token", token);
    url.to_string()
}

/// Writes an unsubscribe token for `kind` and returns its link and headers.
pub async fn unsubscribe_link(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    user_id: Uuid,
    kind: &str,
    language: Language,
) -> Result<Unsubscribe, ApiError> {
    let (pending, unsubscribe) = new_unsubscribe(settings, user_id, kind, language);
    pending.insert(conn).await?;
    Ok(unsubscribe)
}

/// An unsubscribe token not written yet: callers that pipeline their statements write it
/// with the rest of their transaction.
pub struct PendingUnsubscribe {
    user_id: Uuid,
    kind: String,
    hash: Vec<u8>,
}

impl PendingUnsubscribe {
    pub async fn insert(&self, conn: &mut impl crate::db::PgConn) -> diesel::QueryResult<()> {
        let row = token_db::NewEmailToken {
            email_kind: Some(&self.kind),
            ..token_db::NewEmailToken::new(
                self.user_id,
                "unsubscribe",
                &self.hash,
                Utc::now() + UNSUBSCRIBE_TTL,
            )
        };
        token_db::insert_email_token(conn, &row).await
    }
}

/// A new unsubscribe token for `kind`, and the link and headers that carry it.
pub fn new_unsubscribe(
    settings: &Settings,
    user_id: Uuid,
    kind: &str,
    language: Language,
) -> (PendingUnsubscribe, Unsubscribe) {
    let (token, hash) = tokens::generate();
    let one_click = api_url(settings, "/api/v1/links/unsubscribe", &token);
    let mut headers = BTreeMap::new();
    headers.insert("List-Unsubscribe".to_owned(), format!("<{one_click}>"));
    headers.insert(
        "List-Unsubscribe-Post".to_owned(),
        "List-Unsubscribe=One-Click".to_owned(),
    );
    let unsubscribe = Unsubscribe {
        page_url: crate::email::messages::link(
            &settings.public_url,
            "unsubscribe",
            &token,
            language,
        ),
        headers,
    };
    let pending = PendingUnsubscribe {
        user_id,
        kind: kind.to_owned(),
        hash,
    };
    (pending, unsubscribe)
}

/// Writes a release token for `claim`, valid until the task starts, and returns the page link.
pub async fn release_link(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    user_id: Uuid,
    claim_id: Uuid,
    starts_at: DateTime<Utc>,
    language: Language,
) -> Result<String, ApiError> {
    let (token, hash) = tokens::generate();
    let row = token_db::NewEmailToken {
        claim_id: Some(claim_id),
        ..token_db::NewEmailToken::new(user_id, "release", &hash, starts_at)
    };
    token_db::insert_email_token(conn, &row).await?;
    Ok(crate::email::messages::link(
        &settings.public_url,
        "release",
        &token,
        language,
    ))
}

fn dead_link() -> ApiError {
    ApiError::invalid_field("token", "is invalid, used or expired")
}

/// Turns off the kind of email the token names. Returns the kind.
pub async fn unsubscribe(conn: &mut AsyncPgConnection, token: &str) -> Result<String, ApiError> {
    let row = token_db::use_email_token(conn, &tokens::hash(token), &["unsubscribe"])
        .await?
        .ok_or_else(dead_link)?;
    let kind = row.email_kind.ok_or_else(dead_link)?;
    let off = Some(false);
    let mut changes = UserChanges::default();
    match kind.as_str() {
        "claim_confirmation" => changes.notify_claim_confirmation = off,
        "task_changed" => changes.notify_task_changed = off,
        "task_cancelled" => changes.notify_task_cancelled = off,
        "reminder" => changes.notify_reminder = off,
        "invitation" => changes.notify_invitation = off,
        "new_tasks_digest" => changes.notify_new_tasks_digest = off,
        _ => return Err(dead_link()),
    }
    users_db::update(conn, row.user_id, &changes).await?;
    tracing::info!(user.id = %row.user_id, email.kind = %kind, "unsubscribed");
    Ok(kind)
}

/// Gives back the claim a reminder's link names, before the task starts.
pub async fn release(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    token: &str,
) -> Result<task_db::ClaimRow, ApiError> {
    let row = token_db::use_email_token(conn, &tokens::hash(token), &["release"])
        .await?
        .ok_or_else(dead_link)?;
    let claim_id = row.claim_id.ok_or_else(dead_link)?;
    let held = task_db::active_claims_with_tasks(conn, row.user_id).await?;
    let Some((claim, task)) = held.into_iter().find(|(c, _)| c.id == claim_id) else {
        return Err(ApiError::new(
            ErrorCode::NotClaimant,
            "this claim was already given back or has ended",
        ));
    };
    let task = task_db::find_for_update(conn, task.id)
        .await?
        .ok_or_else(dead_link)?;
    if Utc::now() >= effective_end(task.starts_at, task.ends_at, task.duration_minutes) {
        return Err(ApiError::new(ErrorCode::TaskNotOpen, "the task has ended"));
    }
    crate::services::tasks::release_locked(conn, settings, &task, &claim, Some(row.user_id)).await
}
