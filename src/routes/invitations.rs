//! `/api/v1/volunteers`, `/api/v1/tasks/{id}/invitations` and `/api/v1/me/invitations`.

use crate::domain::problem::FieldProblem;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::body::Deferred;
use super::tasks::TaskResponse;
use crate::auth::{AuthUser, permissions};
use crate::db::invitations::InvitationRow;
use crate::domain::account::Role;
use crate::error::{ApiError, ApiResult};
use crate::pagination::{Cursor, PageQuery, Paginated};
use crate::routes::state::AppState;
use crate::services::invitations as service;
use crate::services::tasks as task_service;

#[derive(Debug, Serialize)]
pub struct VolunteerResponse {
    pub id: Uuid,
    pub name: String,
    pub council_id: Option<Uuid>,
}

#[derive(Debug, Deserialize)]
pub struct VolunteersQuery {
    pub council_id: Option<String>,
    pub category_id: Option<String>,
    pub task_id: Option<String>,
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

fn uuid_param(field: &str, raw: Option<&str>) -> Result<Option<Uuid>, ApiError> {
    raw.map(|s| {
        Uuid::parse_str(s).map_err(|_| ApiError::invalid_field(field, FieldProblem::NotUuid))
    })
    .transpose()
}

pub async fn volunteers(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<VolunteersQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let council = uuid_param("council_id", q.council_id.as_deref())?;
    let category = uuid_param("category_id", q.category_id.as_deref())?;
    let task = uuid_param("task_id", q.task_id.as_deref())?;
    let page = PageQuery {
        limit: q.limit,
        cursor: q.cursor,
    }
    .parse()?;
    let mut conn = state.pool.get().await?;
    let rows = service::volunteers(
        &mut conn,
        &user,
        council,
        service::DirectoryFor {
            category_id: category,
            task_id: task,
        },
        page.after.map(|c| c.id),
        page.limit,
    )
    .await?;
    Ok(HttpResponse::Ok().json(Paginated::from_rows(
        rows,
        page.limit,
        |(id, _, _)| Cursor {
            key: String::new(),
            id: *id,
        },
        |(id, name, council_id)| VolunteerResponse {
            id,
            name,
            council_id,
        },
    )))
}

#[derive(Debug, Serialize)]
pub struct InvitationResponse {
    pub id: Uuid,
    pub task_id: Uuid,
    pub volunteer_id: Uuid,
    #[serde(serialize_with = "crate::domain::time::millis")]
    pub created_at: DateTime<Utc>,
}

impl From<InvitationRow> for InvitationResponse {
    fn from(i: InvitationRow) -> Self {
        Self {
            id: i.id,
            task_id: i.task_id,
            volunteer_id: i.volunteer_id,
            created_at: i.created_at,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InviteRequest {
    pub volunteer_id: Uuid,
}

pub async fn invite(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: Deferred<InviteRequest>,
) -> ApiResult<HttpResponse> {
    permissions::require_role(&user, &[Role::Staff, Role::Admin])?;
    let body = body.parse()?;
    let task = id.into_inner();
    let volunteer = body.volunteer_id;
    let mut conn = state.pool.get().await?;
    let invitation = conn
        .transaction(async |conn| {
            service::invite(
                conn,
                &user,
                state.settings.timezone,
                state.clock.now(),
                task.into(),
                volunteer.into(),
            )
            .await
        })
        .await?;
    Ok(HttpResponse::Created().json(InvitationResponse::from(invitation)))
}

#[derive(Debug, Serialize)]
pub struct MyInvitationResponse {
    #[serde(flatten)]
    pub invitation: InvitationResponse,
    pub task: TaskResponse,
}

pub async fn mine(state: web::Data<AppState>, user: AuthUser) -> ApiResult<HttpResponse> {
    let mut conn = state.pool.get().await?;
    let rows = service::mine(&mut conn, &user, state.clock.now()).await?;
    let (invitations, tasks): (Vec<InvitationRow>, Vec<_>) = rows.into_iter().unzip();
    let views = task_service::views(&mut conn, &user, state.settings.timezone, tasks).await?;
    let items: Vec<MyInvitationResponse> = invitations
        .into_iter()
        .zip(views)
        .map(|(i, v)| MyInvitationResponse {
            invitation: i.into(),
            task: v.into(),
        })
        .collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({ "items": items, "next_cursor": null })))
}

pub async fn decline(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.pool.get().await?;
    service::decline(&mut conn, &user, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
