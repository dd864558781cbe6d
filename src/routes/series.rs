//! `/api/v1/task-series`: recurring tasks. A series is posted once; its occurrences are
//! ordinary tasks, claimed and released one by one.

use crate::domain::problem::FieldProblem;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, NaiveDate, Utc};
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::body::Deferred;
use super::tasks::{PrivateBlock, TaskResponse};
use crate::auth::{AuthUser, permissions};
use crate::db::series::SeriesRow;
use crate::domain::account::Role;
use crate::domain::recurrence;
use crate::error::{ApiError, ApiResult};
use crate::pagination::{Cursor, PageQuery, Paginated};
use crate::routes::state::AppState;
use crate::services::series::{self as service, NewSeries};
use crate::services::tasks::{self as task_service, PrivateInput, TaskFields};
use crate::validation::{WholeNumber, double_option, non_null};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateRequest {
    pub title: String,
    pub description: String,
    pub category_id: Uuid,
    pub council_id: Option<Uuid>,
    pub service_unit_id: Option<Uuid>,
    pub duration_minutes: Option<WholeNumber>,
    #[serde(default, deserialize_with = "non_null")]
    pub spots: Option<WholeNumber>,
    pub area_hint: Option<String>,
    pub private: Option<PrivateInput>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecurrenceRequest {
    pub freq: String,
    #[serde(default, deserialize_with = "non_null")]
    pub interval: Option<WholeNumber>,
    #[serde(default, deserialize_with = "non_null")]
    pub by_weekday: Option<Vec<String>>,
    pub count: Option<WholeNumber>,
    pub until: Option<NaiveDate>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateSeriesRequest {
    pub template: TemplateRequest,
    pub first_starts_at: DateTime<Utc>,
    pub recurrence: RecurrenceRequest,
}

#[derive(Debug, Serialize)]
pub struct RecurrenceResponse {
    pub freq: String,
    pub interval: i32,
    pub by_weekday: Vec<String>,
    pub count: Option<i32>,
    pub until: Option<NaiveDate>,
}

#[derive(Debug, Serialize)]
pub struct SeriesResponse {
    pub id: Uuid,
    pub service_unit_id: Uuid,
    pub title: String,
    pub description: String,
    pub category_id: Uuid,
    pub council_id: Option<Uuid>,
    pub duration_minutes: Option<i32>,
    pub spots: i32,
    pub area_hint: Option<String>,
    #[serde(serialize_with = "crate::domain::time::millis")]
    pub first_starts_at: DateTime<Utc>,
    /// The local wall-clock time of every occurrence, `HH:MM` in `DUGNAD_TIMEZONE`.
    pub local_time: String,
    pub recurrence: RecurrenceResponse,
    /// Occurrences from this local date on are cancelled and never made.
    pub cancelled_from: Option<NaiveDate>,
    #[serde(serialize_with = "crate::domain::time::millis_opt")]
    pub cancelled_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "crate::domain::time::millis")]
    pub created_at: DateTime<Utc>,
    pub occurrences: Paginated<TaskResponse>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private: Option<PrivateBlock>,
    /// The series' history, oldest first: the unit's and admins' only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<SeriesEventResponse>>,
    /// The caller's follow (volunteers and coordinators), in force or ended; `null` when
    /// they never followed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub following: Option<Option<FollowResponse>>,
}

#[derive(Debug, Serialize)]
pub struct SeriesEventResponse {
    pub kind: String,
    pub actor_id: Option<Uuid>,
    /// For an edit: the template fields it changed.
    pub fields: Vec<String>,
    /// For an edit or a cancellation: the first local date it applies to.
    pub from: Option<NaiveDate>,
    #[serde(serialize_with = "crate::domain::time::millis")]
    pub at: DateTime<Utc>,
}

fn series_response(
    s: SeriesRow,
    zone: chrono_tz::Tz,
    occurrences: Paginated<TaskResponse>,
    private: Option<PrivateBlock>,
    events: Option<Vec<crate::db::series::SeriesEventRow>>,
    following: Option<Option<FollowResponse>>,
) -> SeriesResponse {
    SeriesResponse {
        first_starts_at: recurrence::resolve(s.first_date, s.local_time, &zone),
        local_time: s.local_time.format("%H:%M").to_string(),
        recurrence: RecurrenceResponse {
            freq: s.freq,
            interval: s.every,
            by_weekday: s.by_weekday,
            count: s.occurrences,
            until: s.until,
        },
        id: s.id,
        service_unit_id: s.service_unit_id,
        title: s.title,
        description: s.description,
        category_id: s.category_id,
        council_id: s.council_id,
        duration_minutes: s.duration_minutes,
        spots: s.spots,
        area_hint: s.area_hint,
        cancelled_from: s.cancelled_from,
        cancelled_at: s.cancelled_at,
        created_at: s.created_at,
        occurrences,
        private,
        events: events.map(|events| {
            events
                .into_iter()
                .map(|e| SeriesEventResponse {
                    kind: e.kind,
                    actor_id: e.actor_id,
                    fields: e.fields,
                    from: e.from_date,
                    at: e.created_at,
                })
                .collect()
        }),
        following,
    }
}

/// The first page of occurrences, as a change's answer shows them.
fn first_page() -> crate::pagination::Page {
    crate::pagination::Page {
        limit: 100,
        after: None,
    }
}

/// The series and one page of its occurrences as `user` sees them.
async fn answer(
    conn: &mut diesel_async::AsyncPgConnection,
    user: &AuthUser,
    zone: chrono_tz::Tz,
    id: Uuid,
    page: &crate::pagination::Page,
    now: chrono::DateTime<Utc>,
) -> ApiResult<SeriesResponse> {
    let after = page
        .after
        .as_ref()
        .map(|c| {
            NaiveDate::parse_from_str(&c.key, "%Y-%m-%d")
                .map_err(|_| ApiError::invalid_field("cursor", FieldProblem::NotCursor))
        })
        .transpose()?;
    let view = service::get(conn, user, id, after, page.limit).await?;
    let views = task_service::views(conn, user, zone, view.occurrences).await?;
    let occurrences = Paginated::from_rows(
        views,
        page.limit,
        |v| Cursor {
            key: v
                .task
                .occurrence_date
                .map(|d| d.to_string())
                .unwrap_or_default(),
            id: v.task.id,
        },
        TaskResponse::from,
    );
    let private = view.private.map(|p| PrivateBlock {
        address: p.address,
        recipient_name: p.recipient_name,
        recipient_phone: p.recipient_phone,
        notes: p.notes,
    });
    let following = user
        .role
        .may_claim()
        .then(|| view.following.map(|f| FollowResponse::of(f, now)));
    Ok(series_response(
        view.series,
        zone,
        occurrences,
        private,
        view.events,
        following,
    ))
}

pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: Deferred<CreateSeriesRequest>,
) -> ApiResult<HttpResponse> {
    permissions::require_role(&user, &[Role::Staff, Role::Admin])?;
    let b = body.parse()?.into_inner();
    let t = b.template;
    let input = NewSeries {
        template: TaskFields {
            title: t.title,
            description: t.description,
            category_id: t.category_id,
            council_id: t.council_id,
            service_unit_id: t.service_unit_id,
            duration_minutes: t.duration_minutes.map(i32::from),
            spots: t.spots.map(i32::from),
            area_hint: t.area_hint,
            private: t.private,
        },
        first_starts_at: b.first_starts_at,
        freq: b.recurrence.freq,
        interval: b.recurrence.interval.map(|i| i64::from(i32::from(i))),
        by_weekday: b.recurrence.by_weekday.unwrap_or_default(),
        count: b.recurrence.count.map(|c| i64::from(i32::from(c))),
        until: b.recurrence.until,
    };
    let zone = state.settings.timezone;
    let mut conn = state.pool.get().await?;
    let page = first_page();
    let body = conn
        .transaction(async |conn| {
            let (series, _) = service::create(conn, &user, zone, input, state.clock.now()).await?;
            answer(conn, &user, zone, series.id, &page, state.clock.now()).await
        })
        .await?;
    Ok(HttpResponse::Created().json(body))
}

pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    query: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let page = query.parse()?;
    let mut conn = state.pool.get().await?;
    let body = answer(
        &mut conn,
        &user,
        state.settings.timezone,
        id.into_inner(),
        &page,
        state.clock.now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(body))
}

/// The template fields an edit may change; absent ones stay.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditTemplateRequest {
    #[serde(default, deserialize_with = "non_null")]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "non_null")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "non_null")]
    pub category_id: Option<Uuid>,
    #[serde(default, deserialize_with = "double_option")]
    pub council_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "double_option")]
    pub duration_minutes: Option<Option<WholeNumber>>,
    #[serde(default, deserialize_with = "non_null")]
    pub spots: Option<WholeNumber>,
    #[serde(default, deserialize_with = "double_option")]
    pub area_hint: Option<Option<String>>,
    #[serde(default, deserialize_with = "non_null")]
    pub private: Option<task_service::PrivatePatch>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditSeriesRequest {
    #[serde(default, deserialize_with = "non_null")]
    pub from: Option<NaiveDate>,
    #[serde(default, deserialize_with = "non_null")]
    pub template: Option<EditTemplateRequest>,
    /// `HH:MM` in `DUGNAD_TIMEZONE`.
    #[serde(default, deserialize_with = "non_null")]
    pub local_time: Option<String>,
    #[serde(default, deserialize_with = "non_null")]
    pub by_weekday: Option<Vec<String>>,
}

pub async fn edit(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: Deferred<EditSeriesRequest>,
) -> ApiResult<HttpResponse> {
    permissions::require_role(&user, &[Role::Staff, Role::Admin])?;
    let b = body.parse()?.into_inner();
    let local_time = b
        .local_time
        .as_deref()
        .map(|t| {
            chrono::NaiveTime::parse_from_str(t, "%H:%M")
                .map_err(|_| ApiError::invalid_field("local_time", FieldProblem::NotClockTime))
        })
        .transpose()?;
    let t = b.template.unwrap_or_default();
    let input = service::SeriesEdit {
        from: b.from,
        title: t.title,
        description: t.description,
        category_id: t.category_id,
        council_id: t.council_id,
        duration_minutes: t.duration_minutes.map(|d| d.map(i32::from)),
        spots: t.spots.map(i32::from),
        area_hint: t.area_hint,
        local_time,
        by_weekday: b.by_weekday,
        private: t.private,
    };
    let zone = state.settings.timezone;
    let id = id.into_inner();
    let page = first_page();
    let mut conn = state.pool.get().await?;
    let body = conn
        .transaction(async |conn| {
            service::edit(conn, &user, zone, id, input, state.clock.now()).await?;
            answer(conn, &user, zone, id, &page, state.clock.now()).await
        })
        .await?;
    Ok(HttpResponse::Ok().json(body))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CancelSeriesRequest {
    pub reason: String,
    pub from: Option<NaiveDate>,
}

pub async fn cancel(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: Deferred<CancelSeriesRequest>,
) -> ApiResult<HttpResponse> {
    permissions::require_role(&user, &[Role::Staff, Role::Admin])?;
    let b = body.parse()?.into_inner();
    let zone = state.settings.timezone;
    let id = id.into_inner();
    let page = first_page();
    let mut conn = state.pool.get().await?;
    let body = conn
        .transaction(async |conn| {
            service::cancel(conn, &user, zone, id, &b.reason, b.from, state.clock.now()).await?;
            answer(conn, &user, zone, id, &page, state.clock.now()).await
        })
        .await?;
    Ok(HttpResponse::Ok().json(body))
}

/// A series claim is always the caller's own; `follow` asks for the new occurrences too.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesClaimRequest {
    #[serde(default, deserialize_with = "non_null")]
    pub follow: Option<bool>,
}

/// The caller's follow of a series.
#[derive(Debug, Serialize)]
pub struct FollowResponse {
    /// In force: new occurrences are claimed for the caller as they are generated.
    pub active: bool,
    #[serde(serialize_with = "crate::domain::time::millis")]
    pub started_at: DateTime<Utc>,
    /// When it runs out unless renewed (a series claim with `follow: true` renews it).
    #[serde(serialize_with = "crate::domain::time::millis")]
    pub expires_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::domain::time::millis_opt")]
    pub ended_at: Option<DateTime<Utc>>,
    /// Why it ended: `released`, `expired`, `deactivated`, `council_opted_out`,
    /// `opted_out`, `qualification_missing` or `series_cancelled`.
    pub end_reason: Option<String>,
}

impl FollowResponse {
    pub fn of(f: crate::db::series::FollowRow, now: DateTime<Utc>) -> Self {
        let active = f.ended_at.is_none() && crate::domain::follow::in_force(f.expires_at, now);
        Self {
            active,
            started_at: f.started_at,
            expires_at: f.expires_at,
            ended_at: f
                .ended_at
                .or((!active && f.ended_at.is_none()).then_some(f.expires_at)),
            end_reason: f.end_reason.or_else(|| {
                (!active).then(|| {
                    crate::domain::follow::FollowEnd::Expired
                        .as_str()
                        .to_owned()
                })
            }),
        }
    }
}

/// One occurrence of a series claim: claimed, or the code it was refused with.
#[derive(Debug, Serialize)]
pub struct OutcomeResponse {
    pub task_id: Uuid,
    pub occurrence_date: Option<NaiveDate>,
    pub claimed: bool,
    pub claim_id: Option<Uuid>,
    pub refused: Option<crate::domain::error::ErrorCode>,
}

pub async fn claim(
    state: web::Data<AppState>,
    user: AuthUser,
    req: actix_web::HttpRequest,
    key: super::idempotency::IdempotencyKey,
    id: web::Path<Uuid>,
    body: Deferred<SeriesClaimRequest>,
) -> ApiResult<HttpResponse> {
    if !user.role.may_claim() {
        return Err(ApiError::forbidden(
            "only volunteers and coordinators take tasks",
        ));
    }
    let body = body.parse_or_empty()?;
    let follow = body.follow.unwrap_or(false);
    let id = id.into_inner();
    let zone = state.settings.timezone;
    let scope = super::tasks::post_scope(&state, &user, &req, &key, body.raw());
    let answer = super::idempotency::idempotent!(state.pool, scope, |conn| {
        let now = state.clock.now();
        let done = service::claim(conn, &user, zone, id, follow, now).await?;
        let items: Vec<OutcomeResponse> = done
            .outcomes
            .into_iter()
            .map(|o| OutcomeResponse {
                task_id: o.task.id,
                occurrence_date: o.task.occurrence_date,
                claimed: o.claim.is_some(),
                claim_id: o.claim.map(|c| c.id),
                refused: o.refused,
            })
            .collect();
        let following = done.following.map(|f| FollowResponse::of(f, now));
        Ok(super::idempotency::Answer::new(
            200,
            super::tasks::to_json(&serde_json::json!({
                "items": items,
                "following": following,
                "follow_refused": done.follow_refused,
            }))?,
            None,
        ))
    })?;
    Ok(answer.respond())
}

pub async fn release(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let mut conn = state.pool.get().await?;
    let released = conn
        .transaction(async |conn| service::release(conn, &user, id, state.clock.now()).await)
        .await?;
    let items: Vec<super::tasks::ClaimResponse> = released.into_iter().map(Into::into).collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({ "items": items })))
}
