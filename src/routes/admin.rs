//! `/api/v1/admin/outbox`: the one outbox's pending and dead rows of every channel, and
//! putting one back in the queue. `/api/v1/admin/push-outbox` is its v2 view of the
//! `fcm` channel alone, kept for clients of v2.

use crate::domain::problem::FieldProblem;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::{AuthUser, permissions};
use crate::domain::notification::Channel;
use crate::email::mask_address;
use crate::error::{ApiError, ApiResult};
use crate::pagination::{Cursor, PageQuery, Paginated};
use crate::routes::state::AppState;
use crate::services::outbox::{self as service, Listing, OutboxRow};

/// An outbox row as operators see it: an email by its masked address, a push by its
/// device, never what it says.
#[derive(Debug, Serialize)]
pub struct OutboxItem {
    pub id: Uuid,
    pub channel: String,
    pub kind: String,
    pub user_id: Option<Uuid>,
    pub to: Option<String>,
    pub device_id: Option<Uuid>,
    pub status: String,
    pub attempts: i32,
    #[serde(serialize_with = "crate::domain::time::millis")]
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    #[serde(serialize_with = "crate::domain::time::millis")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::domain::time::millis_opt")]
    pub sent_at: Option<DateTime<Utc>>,
}

impl From<OutboxRow> for OutboxItem {
    fn from(r: OutboxRow) -> Self {
        Self {
            id: r.id,
            channel: r.channel,
            kind: r.kind,
            user_id: r.user_id,
            to: r.to_address.as_deref().map(mask_address),
            device_id: r.device_id,
            status: r.status,
            attempts: r.attempts,
            next_attempt_at: r.next_attempt_at,
            last_error: r.last_error,
            created_at: r.created_at,
            sent_at: r.sent_at,
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct OutboxQuery {
    pub status: Option<String>,
    pub channel: Option<String>,
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

impl OutboxQuery {
    /// Which rows (pending unless asked, of every channel unless one is named) and which
    /// page of them.
    fn parse(self) -> ApiResult<(Listing, Option<Channel>, crate::pagination::Page)> {
        let listing = Listing::parse(self.status.as_deref()).ok_or_else(|| {
            ApiError::invalid_field(
                "status",
                FieldProblem::OneOf {
                    choices: "pending, dead".into(),
                },
            )
        })?;
        let channel = match self.channel.as_deref() {
            None => None,
            Some(c) => Some(Channel::parse(c).ok_or_else(|| {
                ApiError::invalid_field(
                    "channel",
                    FieldProblem::OneOf {
                        choices: "email, fcm".into(),
                    },
                )
            })?),
        };
        let page = PageQuery {
            limit: self.limit,
            cursor: self.cursor,
        }
        .parse()?;
        Ok((listing, channel, page))
    }
}

/// One page of outbox rows, keyed by their (time-ordered) ids.
fn page_of<R, T: Serialize>(
    rows: Vec<R>,
    limit: i64,
    id: impl Fn(&R) -> Uuid,
    item: impl FnMut(R) -> T,
) -> HttpResponse {
    HttpResponse::Ok().json(Paginated::from_rows(
        rows,
        limit,
        |r| Cursor {
            key: String::new(),
            id: id(r),
        },
        item,
    ))
}

pub async fn list_outbox(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<OutboxQuery>,
) -> ApiResult<HttpResponse> {
    permissions::require_admin(&user)?;
    let (listing, channel, page) = query.into_inner().parse()?;
    let mut conn = state.pool.get().await?;
    let rows = service::list(
        &mut conn,
        &user,
        listing,
        channel,
        page.after.map(|c| c.id),
        page.limit,
    )
    .await?;
    Ok(page_of(rows, page.limit, |r| r.id, OutboxItem::from))
}

pub async fn retry_outbox(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    permissions::require_admin(&user)?;
    let id = id.into_inner();
    let mut conn = state.pool.get().await?;
    let row = service::retry(&mut conn, &user, id, None).await?;
    Ok(HttpResponse::Ok().json(OutboxItem::from(row)))
}

/// A push as v2's push view shows it: the device, never its token or the text.
#[derive(Debug, Serialize)]
pub struct PushItem {
    pub id: Uuid,
    pub kind: String,
    pub user_id: Uuid,
    pub device_id: Uuid,
    pub status: String,
    pub attempts: i32,
    #[serde(serialize_with = "crate::domain::time::millis")]
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    #[serde(serialize_with = "crate::domain::time::millis")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::domain::time::millis_opt")]
    pub sent_at: Option<DateTime<Utc>>,
}

impl From<OutboxRow> for PushItem {
    fn from(r: OutboxRow) -> Self {
        Self {
            id: r.id,
            kind: r.kind,
            user_id: r.user_id.unwrap_or_default(),
            device_id: r.device_id.unwrap_or_default(),
            status: r.status,
            attempts: r.attempts,
            next_attempt_at: r.next_attempt_at,
            last_error: r.last_error,
            created_at: r.created_at,
            sent_at: r.sent_at,
        }
    }
}

pub async fn list_push_outbox(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<OutboxQuery>,
) -> ApiResult<HttpResponse> {
    permissions::require_admin(&user)?;
    let (listing, _, page) = query.into_inner().parse()?;
    let mut conn = state.pool.get().await?;
    let rows = service::list(
        &mut conn,
        &user,
        listing,
        Some(Channel::Fcm),
        page.after.map(|c| c.id),
        page.limit,
    )
    .await?;
    Ok(page_of(rows, page.limit, |r| r.id, PushItem::from))
}

pub async fn retry_push(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    permissions::require_admin(&user)?;
    let mut conn = state.pool.get().await?;
    let row = service::retry(&mut conn, &user, id.into_inner(), Some(Channel::Fcm)).await?;
    Ok(HttpResponse::Ok().json(PushItem::from(row)))
}
