//! `/api/v1/tasks*` and `/api/v1/me/claims`: posting, browsing, claiming and releasing.

use crate::domain::problem::FieldProblem;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::body::Deferred;
use super::idempotency::{Answer, IdempotencyKey, Scope, idempotent};
use crate::auth::{AuthUser, permissions};
use crate::db::tasks::{ClaimRow, TaskEventRow};
use crate::domain::account::Role;
use crate::domain::task::{ClaimStatus, EventKind, TaskStatus};
use crate::error::{ApiError, ApiResult};
use crate::pagination::{Cursor, PageQuery, Paginated};
use crate::routes::state::AppState;
use crate::services::tasks::{
    self as service, Completion, NewTask, PrivateInput, PrivatePatch, TaskEdit, TaskFields,
    TaskQuery, TaskView,
};
use crate::validation::{Clear, WholeNumber, double_option, non_null};

#[derive(Debug, Serialize)]
pub struct MyClaim {
    pub id: Uuid,
    pub status: ClaimStatus,
}

#[derive(Debug, Serialize)]
pub struct PrivateBlock {
    pub address: Option<String>,
    pub recipient_name: Option<String>,
    pub recipient_phone: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct UnitContact {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
}

/// A task as the caller may see it: `private` and `unit` are absent, not null, where not
/// allowed.
#[derive(Debug, Serialize)]
pub struct TaskResponse {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    pub category_id: Uuid,
    pub council_id: Option<Uuid>,
    pub service_unit_id: Uuid,
    pub status: TaskStatus,
    #[serde(serialize_with = "crate::domain::time::millis")]
    pub starts_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::domain::time::millis_opt")]
    pub ends_at: Option<DateTime<Utc>>,
    pub duration_minutes: Option<i32>,
    pub spots: i32,
    pub spots_left: i32,
    pub area_hint: Option<String>,
    pub my_claim: Option<MyClaim>,
    pub required_qualifications: Vec<Uuid>,
    /// The series this task is an occurrence of, and its local date in it.
    pub series_id: Option<Uuid>,
    pub occurrence_date: Option<chrono::NaiveDate>,
    /// For volunteers and coordinators: whether they hold every required qualification
    /// for this task's date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qualified: Option<bool>,
    #[serde(serialize_with = "crate::domain::time::millis")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::domain::time::millis")]
    pub updated_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private: Option<PrivateBlock>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<UnitContact>,
}

impl From<TaskView> for TaskResponse {
    fn from(v: TaskView) -> Self {
        let t = v.task;
        let live = t.status.is_live();
        Self {
            spots_left: if live {
                (t.spots - t.active_claims).max(0)
            } else {
                0
            },
            id: t.id,
            title: t.title,
            description: t.description,
            category_id: t.category_id,
            council_id: t.council_id,
            service_unit_id: t.service_unit_id,
            status: t.status,
            starts_at: t.starts_at,
            ends_at: t.ends_at,
            duration_minutes: t.duration_minutes,
            spots: t.spots,
            area_hint: t.area_hint,
            my_claim: v.my_claim.map(|c| MyClaim {
                id: c.id,
                status: c.status,
            }),
            required_qualifications: v.required_qualifications,
            series_id: t.series_id,
            occurrence_date: t.occurrence_date,
            qualified: v.missing_qualifications.map(|m| m.is_empty()),
            created_at: t.created_at,
            updated_at: t.updated_at,
            private: v.private.map(|p| PrivateBlock {
                address: p.address,
                recipient_name: p.recipient_name,
                recipient_phone: p.recipient_phone,
                notes: p.notes,
            }),
            unit: v
                .unit
                .map(|(name, email, phone)| UnitContact { name, email, phone }),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ClaimResponse {
    pub id: Uuid,
    pub task_id: Uuid,
    pub volunteer_id: Uuid,
    pub status: ClaimStatus,
    #[serde(serialize_with = "crate::domain::time::millis")]
    pub claimed_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::domain::time::millis_opt")]
    pub released_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "crate::domain::time::millis_opt")]
    pub completed_at: Option<DateTime<Utc>>,
    pub hours: Option<f64>,
}

impl From<ClaimRow> for ClaimResponse {
    fn from(c: ClaimRow) -> Self {
        Self {
            id: c.id,
            task_id: c.task_id,
            volunteer_id: c.volunteer_id,
            status: c.status,
            claimed_at: c.claimed_at,
            released_at: c.released_at,
            completed_at: c.completed_at,
            hours: c.minutes.map(|m| f64::from(m) / 60.0),
        }
    }
}

/// A task's ETag: its version (what `If-Match` compares) and a keyed digest of the
/// representation this caller got (what `If-None-Match` compares), so a claim, a release
/// or a change of the private block gives a new tag even where the version stays.
fn etag(keys: &crate::auth::keys::ServerKeys, version: i32, body: &serde_json::Value) -> String {
    format!(
        "\"{version}-{}\"",
        keys.representation_tag(body.to_string().as_bytes())
    )
}

/// The version an ETag of [`etag`] names (`"3-…"`; the older `"3"` too).
fn version_of(tag: &str) -> Option<i32> {
    tag.strip_prefix('"')?
        .strip_suffix('"')?
        .split('-')
        .next()?
        .parse()
        .ok()
}

/// Whether `If-None-Match` names `tag` (weak comparison, as RFC 9110 asks for GET).
fn none_match_hits(req: &HttpRequest, tag: &str) -> bool {
    req.headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim())
        .any(|t| t == "*" || t.trim_start_matches("W/") == tag)
}

pub(crate) fn to_json<T: Serialize>(value: &T) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(value).map_err(ApiError::internal)
}

/// The idempotency scope of a POST: (user, method, path, key) and the body it carried.
pub(crate) fn post_scope<'a>(
    state: &'a AppState,
    user: &AuthUser,
    req: &'a HttpRequest,
    key: &'a IdempotencyKey,
    body: &'a serde_json::Value,
) -> Scope<'a> {
    Scope {
        keys: &state.keys,
        user_id: user.id,
        method: "POST",
        path: req.path(),
        key: key.0.as_deref(),
        body,
    }
}

/// A task as the answer of a mutation, with its ETag.
async fn task_answer(
    conn: &mut diesel_async::AsyncPgConnection,
    state: &AppState,
    user: &AuthUser,
    task: crate::db::tasks::TaskRow,
    status: u16,
) -> Result<Answer, ApiError> {
    let version = task.version;
    let view = service::views(conn, user, state.settings.timezone, vec![task])
        .await?
        .pop()
        .ok_or_else(|| ApiError::not_found("no such task"))?;
    let body = to_json(&TaskResponse::from(view))?;
    let tag = etag(&state.keys, version, &body);
    Ok(Answer::new(status, body, Some(tag)))
}

/// On a replayed task answer, the private block (never stored) is read again.
async fn with_current_private(
    state: &AppState,
    user: &AuthUser,
    mut answer: Answer,
) -> Result<Answer, ApiError> {
    if !answer.replayed || answer.status >= 300 {
        return Ok(answer);
    }
    let Some(id) = answer
        .body
        .get("id")
        .and_then(|v| v.as_str())
        .and_then(|s| Uuid::parse_str(s).ok())
    else {
        return Ok(answer);
    };
    let mut conn = state.pool.get().await?;
    let view = service::get(&mut conn, user, state.settings.timezone, id).await?;
    let fresh = to_json(&TaskResponse::from(view))?;
    if let (Some(map), Some(fresh)) = (answer.body.as_object_mut(), fresh.as_object()) {
        for key in ["private", "unit"] {
            if let Some(v) = fresh.get(key) {
                map.insert(key.to_owned(), v.clone());
            }
        }
    }
    // The tag names the body as replayed, with the block read again.
    if let Some(version) = answer.etag.as_deref().and_then(version_of) {
        answer.etag = Some(etag(&state.keys, version, &answer.body));
    }
    Ok(answer)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateTaskRequest {
    pub title: String,
    pub description: String,
    pub category_id: Uuid,
    pub council_id: Option<Uuid>,
    pub service_unit_id: Option<Uuid>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    pub duration_minutes: Option<WholeNumber>,
    #[serde(default, deserialize_with = "non_null")]
    pub spots: Option<WholeNumber>,
    pub area_hint: Option<String>,
    pub private: Option<PrivateInput>,
}

pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    key: IdempotencyKey,
    body: Deferred<CreateTaskRequest>,
) -> ApiResult<HttpResponse> {
    permissions::require_role(&user, &[Role::Staff, Role::Admin])?;
    let body = body.parse()?;
    let raw = body.raw().clone();
    let scope = post_scope(&state, &user, &req, &key, &raw);
    let b = body.into_inner();
    let input = NewTask {
        fields: TaskFields {
            title: b.title,
            description: b.description,
            category_id: b.category_id,
            council_id: b.council_id,
            service_unit_id: b.service_unit_id,
            duration_minutes: b.duration_minutes.map(i32::from),
            spots: b.spots.map(i32::from),
            area_hint: b.area_hint,
            private: b.private,
        },
        starts_at: b.starts_at,
        ends_at: b.ends_at,
    };
    let answer = idempotent!(state.pool, scope, |conn| {
        let (task, _) = service::create(conn, &user, input, state.clock.now()).await?;
        task_answer(conn, &state, &user, task, 201).await
    })?;
    let answer = with_current_private(&state, &user, answer).await?;
    Ok(answer.respond())
}

#[derive(Debug, Deserialize)]
pub struct ListTasksQuery {
    pub status: Option<String>,
    pub category_id: Option<String>,
    pub council_id: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub mine: Option<String>,
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

impl ListTasksQuery {
    /// Reads the query string. `status` may be repeated (`status=open&status=filled`, what
    /// generated clients send for an array) or comma-separated (`status=open,filled`); both
    /// forms may be mixed. Any other parameter given twice is malformed.
    pub fn from_query_string(raw: &str) -> Result<Self, ApiError> {
        let mut statuses: Vec<String> = Vec::new();
        let mut rest = url::form_urlencoded::Serializer::new(String::new());
        for (key, value) in url::form_urlencoded::parse(raw.as_bytes()) {
            if key == "status" {
                statuses.push(value.into_owned());
            } else {
                rest.append_pair(&key, &value);
            }
        }
        if !statuses.is_empty() {
            rest.append_pair("status", &statuses.join(","));
        }
        serde_urlencoded::from_str(&rest.finish())
            .map_err(|e| ApiError::malformed(format!("the query string is invalid: {e}")))
    }
}

fn parse_query(q: &ListTasksQuery) -> Result<TaskQuery, ApiError> {
    let mut v = crate::validation::Validator::new();
    let mut out = TaskQuery::default();
    if let Some(raw) = q.status.as_deref() {
        for part in raw.split(',').map(str::trim) {
            match TaskStatus::parse(part) {
                Some(s) => out.statuses.push(s),
                None => v.error(
                    "status",
                    FieldProblem::OneOf {
                        choices: "open, filled, cancelled, completed, expired, withdrawn".into(),
                    },
                ),
            }
        }
    }
    let uuid = |v: &mut crate::validation::Validator, field: &str, raw: &Option<String>| {
        raw.as_deref()
            .and_then(|s| v.check(field, Uuid::parse_str(s).map_err(|_| FieldProblem::NotUuid)))
    };
    out.category_id = uuid(&mut v, "category_id", &q.category_id);
    out.council_id = uuid(&mut v, "council_id", &q.council_id);
    let time = |v: &mut crate::validation::Validator, field: &str, raw: &Option<String>| {
        raw.as_deref().and_then(|s| {
            v.check(
                field,
                DateTime::parse_from_rfc3339(s)
                    .map(|t| t.with_timezone(&Utc))
                    .map_err(|_| FieldProblem::NotRfc3339)
                    .and_then(crate::domain::time::check_instant),
            )
        })
    };
    out.from = time(&mut v, "from", &q.from);
    out.to = time(&mut v, "to", &q.to);
    out.mine = match q.mine.as_deref() {
        None => None,
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(_) => {
            v.error("mine", FieldProblem::NotTrueOrFalse);
            None
        }
    };
    v.finish()?;
    Ok(out)
}

fn task_cursor(view: &TaskView) -> Cursor {
    Cursor {
        key: view
            .task
            .starts_at
            .to_rfc3339_opts(chrono::SecondsFormat::Nanos, true),
        id: view.task.id,
    }
}

pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let q = ListTasksQuery::from_query_string(req.query_string())?;
    let page = PageQuery {
        limit: q.limit.clone(),
        cursor: q.cursor.clone(),
    }
    .parse()?;
    let task_query = parse_query(&q)?;
    let after = match &page.after {
        None => None,
        Some(c) => Some((
            DateTime::parse_from_rfc3339(&c.key)
                .map_err(|_| ApiError::invalid_field("cursor", FieldProblem::NotCursor))?
                .with_timezone(&Utc),
            c.id,
        )),
    };
    let mut conn = state.pool.get().await?;
    let views = service::list(
        &mut conn,
        &user,
        state.settings.timezone,
        &task_query,
        state.clock.now(),
        after,
        page.limit,
    )
    .await?;
    Ok(HttpResponse::Ok().json(Paginated::from_rows(
        views,
        page.limit,
        task_cursor,
        TaskResponse::from,
    )))
}

pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.pool.get().await?;
    let view = service::get(&mut conn, &user, state.settings.timezone, id.into_inner()).await?;
    let version = view.task.version;
    let body = to_json(&TaskResponse::from(view))?;
    let tag = etag(&state.keys, version, &body);
    if none_match_hits(&req, &tag) {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, tag))
            .finish());
    }
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, tag))
        .json(body))
}

/// `If-Match`: a strong ETag this service issued; anything else can never match.
fn if_match(req: &HttpRequest) -> Result<Option<i32>, ApiError> {
    let Some(value) = req.headers().get(header::IF_MATCH) else {
        return Ok(None);
    };
    let raw = value.to_str().unwrap_or_default().trim();
    if raw == "*" {
        return Ok(None);
    }
    Ok(Some(version_of(raw).unwrap_or(-1)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateTaskRequest {
    #[serde(default, deserialize_with = "non_null")]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "non_null")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "non_null")]
    pub category_id: Option<Uuid>,
    #[serde(default, deserialize_with = "double_option")]
    pub council_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "non_null")]
    pub starts_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "double_option")]
    pub ends_at: Option<Option<DateTime<Utc>>>,
    #[serde(default, deserialize_with = "double_option")]
    pub duration_minutes: Option<Option<WholeNumber>>,
    #[serde(default, deserialize_with = "non_null")]
    pub spots: Option<WholeNumber>,
    #[serde(default, deserialize_with = "double_option")]
    pub area_hint: Option<Option<String>>,
    #[serde(default, deserialize_with = "non_null")]
    pub private: Option<PrivatePatch>,
    #[serde(default, deserialize_with = "non_null")]
    pub clear: Option<Vec<String>>,
}

pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: Deferred<UpdateTaskRequest>,
) -> ApiResult<HttpResponse> {
    permissions::require_role(&user, &[Role::Staff, Role::Admin])?;
    let body = body.parse()?;
    let expected = if_match(&req)?;
    let mut b = body.into_inner();
    let clear = Clear::new(
        b.clear.take(),
        &["council_id", "ends_at", "duration_minutes", "area_hint"],
    )?;
    clear.apply("council_id", &mut b.council_id)?;
    clear.apply("ends_at", &mut b.ends_at)?;
    clear.apply("duration_minutes", &mut b.duration_minutes)?;
    clear.apply("area_hint", &mut b.area_hint)?;
    let edit = TaskEdit {
        title: b.title,
        description: b.description,
        category_id: b.category_id,
        council_id: b.council_id,
        starts_at: b.starts_at,
        ends_at: b.ends_at,
        duration_minutes: b.duration_minutes.map(|d| d.map(i32::from)),
        spots: b.spots.map(i32::from),
        area_hint: b.area_hint,
        private: b.private,
    };
    let id = id.into_inner();
    let mut conn = state.pool.get().await?;
    let view = conn
        .transaction(async |conn| {
            service::update(conn, &user, id, expected, edit, state.clock.now()).await?;
            service::get(conn, &user, state.settings.timezone, id).await
        })
        .await?;
    let version = view.task.version;
    let body = to_json(&TaskResponse::from(view))?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(&state.keys, version, &body)))
        .json(body))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CancelRequest {
    pub reason: String,
}

pub async fn cancel(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    key: IdempotencyKey,
    id: web::Path<Uuid>,
    body: Deferred<CancelRequest>,
) -> ApiResult<HttpResponse> {
    permissions::require_role(&user, &[Role::Staff, Role::Admin])?;
    let body = body.parse()?;
    let id = id.into_inner();
    let scope = post_scope(&state, &user, &req, &key, body.raw());
    let answer = idempotent!(state.pool, scope, |conn| {
        let task = service::cancel(conn, &user, id, &body.reason, state.clock.now()).await?;
        task_answer(conn, &state, &user, task, 200).await
    })?;
    Ok(with_current_private(&state, &user, answer).await?.respond())
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompleteRequest {
    #[serde(default, deserialize_with = "non_null")]
    pub hours: Option<f64>,
    #[serde(default, deserialize_with = "non_null")]
    pub hours_by_claim: Option<std::collections::HashMap<Uuid, f64>>,
}

pub async fn complete(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    key: IdempotencyKey,
    id: web::Path<Uuid>,
    body: Deferred<CompleteRequest>,
) -> ApiResult<HttpResponse> {
    permissions::require_role(&user, &[Role::Staff, Role::Admin])?;
    let body = body.parse_or_empty()?;
    let id = id.into_inner();
    let scope = post_scope(&state, &user, &req, &key, body.raw());
    let input = Completion {
        hours: body.hours,
        hours_by_claim: body.hours_by_claim.clone(),
    };
    let answer = idempotent!(state.pool, scope, |conn| {
        let task = service::complete(conn, &user, id, input, state.clock.now()).await?;
        task_answer(conn, &state, &user, task, 200).await
    })?;
    Ok(with_current_private(&state, &user, answer).await?.respond())
}

/// A claim takes no fields: it is always the caller's own. Naming anyone is refused.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimRequest {}

pub async fn claim(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    key: IdempotencyKey,
    id: web::Path<Uuid>,
    body: Deferred<ClaimRequest>,
) -> ApiResult<HttpResponse> {
    if !user.role.may_claim() {
        return Err(ApiError::forbidden(
            "only volunteers and coordinators take tasks",
        ));
    }
    let body = body.parse_or_empty()?;
    let id = id.into_inner();
    let scope = post_scope(&state, &user, &req, &key, body.raw());
    let answer = idempotent!(state.pool, scope, |conn| {
        let claim = service::claim(
            conn,
            &user,
            id.into(),
            state.settings.timezone,
            state.clock.now(),
        )
        .await?;
        Ok(Answer::new(
            201,
            to_json(&ClaimResponse::from(claim))?,
            None,
        ))
    })?;
    Ok(answer.respond())
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseRequest {
    /// Optional; not stored and not required — releasing needs no reason.
    #[serde(default, deserialize_with = "non_null")]
    pub reason: Option<String>,
}

pub async fn release(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    key: IdempotencyKey,
    id: web::Path<Uuid>,
    body: Deferred<ReleaseRequest>,
) -> ApiResult<HttpResponse> {
    if !user.role.may_claim() {
        return Err(ApiError::new(
            crate::error::ErrorCode::NotClaimant,
            "you hold no active claim on this task",
        ));
    }
    let body = body.parse_or_empty()?;
    let id = id.into_inner();
    // Releasing needs no reason; one given is neither stored nor shown, but bounded.
    if let Some(Err(m)) = body
        .reason
        .as_deref()
        .filter(|r| !r.trim().is_empty())
        .map(crate::domain::task::check_reason)
    {
        return Err(ApiError::invalid_field("reason", m));
    }
    let scope = post_scope(&state, &user, &req, &key, body.raw());
    let answer = idempotent!(state.pool, scope, |conn| {
        let claim = service::release(conn, &user, id, state.clock.now()).await?;
        Ok(Answer::new(
            200,
            to_json(&ClaimResponse::from(claim))?,
            None,
        ))
    })?;
    Ok(answer.respond())
}

#[derive(Debug, Serialize)]
pub struct ClaimantResponse {
    #[serde(flatten)]
    pub claim: ClaimResponse,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub missing_qualifications: Vec<QualificationName>,
}

/// A qualification by name only.
#[derive(Debug, Serialize)]
pub struct QualificationName {
    pub id: Uuid,
    pub name_nb: String,
    pub name_nn: String,
    pub name_en: String,
}

pub async fn claims(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.pool.get().await?;
    let claimants =
        service::claimants(&mut conn, &user, state.settings.timezone, id.into_inner()).await?;
    let items: Vec<ClaimantResponse> = claimants
        .into_iter()
        .map(|c| ClaimantResponse {
            claim: c.claim.into(),
            name: c.name,
            email: c.email,
            phone: c.phone,
            missing_qualifications: c
                .missing_qualifications
                .into_iter()
                .map(|q| QualificationName {
                    id: q.id,
                    name_nb: q.name_nb,
                    name_nn: q.name_nn,
                    name_en: q.name_en,
                })
                .collect(),
        })
        .collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({ "items": items, "next_cursor": null })))
}

#[derive(Debug, Serialize)]
pub struct EventResponse {
    pub id: Uuid,
    pub task_id: Uuid,
    pub actor_id: Option<Uuid>,
    pub kind: EventKind,
    pub fields: Vec<String>,
    #[serde(serialize_with = "crate::domain::time::millis")]
    pub created_at: DateTime<Utc>,
}

impl From<TaskEventRow> for EventResponse {
    fn from(e: TaskEventRow) -> Self {
        Self {
            id: e.id,
            task_id: e.task_id,
            actor_id: e.actor_id,
            kind: e.kind,
            fields: e.fields.into_iter().flatten().collect(),
            created_at: e.created_at,
        }
    }
}

pub async fn events(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    query: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let page = query.parse()?;
    let mut conn = state.pool.get().await?;
    let rows = service::events(
        &mut conn,
        &user,
        id.into_inner(),
        page.after.map(|c| c.id),
        page.limit,
    )
    .await?;
    Ok(HttpResponse::Ok().json(Paginated::from_rows(
        rows,
        page.limit,
        |e| Cursor {
            key: String::new(),
            id: e.id,
        },
        EventResponse::from,
    )))
}

#[derive(Debug, Serialize)]
pub struct MyClaimResponse {
    #[serde(flatten)]
    pub claim: ClaimResponse,
    pub task: TaskResponse,
}

pub async fn my_claims(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let page = query.parse()?;
    let mut conn = state.pool.get().await?;
    let items = service::my_claims(
        &mut conn,
        &user,
        state.settings.timezone,
        page.after.map(|c| c.id),
        page.limit,
    )
    .await?;
    Ok(HttpResponse::Ok().json(Paginated::from_rows(
        items,
        page.limit,
        |(c, _)| Cursor {
            key: String::new(),
            id: c.id,
        },
        |(c, v)| MyClaimResponse {
            claim: c.into(),
            task: v.into(),
        },
    )))
}
