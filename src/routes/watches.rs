//! `PUT/DELETE /api/v1/tasks/{id}/watch` and `GET /api/v1/me/watches`: a volunteer
//! watches a full task to hear when a spot opens. Only the watcher sees their watches.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::tasks::TaskResponse;
use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::routes::state::AppState;
use crate::services::tasks as task_service;
use crate::services::watches as service;

#[derive(Debug, Serialize)]
pub struct WatchResponse {
    pub task_id: Uuid,
    #[serde(serialize_with = "crate::domain::time::millis")]
    pub watching_since: DateTime<Utc>,
    pub task: TaskResponse,
}

/// The caller's watches as they see them, each with its task.
async fn watches_of(
    conn: &mut diesel_async::AsyncPgConnection,
    user: &AuthUser,
    zone: chrono_tz::Tz,
    rows: Vec<(DateTime<Utc>, crate::db::tasks::TaskRow)>,
) -> ApiResult<Vec<WatchResponse>> {
    let (since, tasks): (Vec<_>, Vec<_>) = rows.into_iter().unzip();
    let views = task_service::views(conn, user, zone, tasks).await?;
    Ok(since
        .into_iter()
        .zip(views)
        .map(|(watching_since, view)| WatchResponse {
            task_id: view.task.id,
            watching_since,
            task: view.into(),
        })
        .collect())
}

pub async fn watch(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let mut conn = state.pool.get().await?;
    let (new, since, task) = service::watch(&mut conn, &user, id, state.clock.now()).await?;
    let body = watches_of(
        &mut conn,
        &user,
        state.settings.timezone,
        vec![(since, task)],
    )
    .await?
    .pop();
    Ok(if new {
        HttpResponse::Created().json(body)
    } else {
        HttpResponse::Ok().json(body)
    })
}

pub async fn unwatch(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.pool.get().await?;
    service::unwatch(&mut conn, &user, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub async fn mine(state: web::Data<AppState>, user: AuthUser) -> ApiResult<HttpResponse> {
    let mut conn = state.pool.get().await?;
    let rows = service::mine(&mut conn, &user, state.clock.now()).await?;
    let items = watches_of(&mut conn, &user, state.settings.timezone, rows).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "items": items, "next_cursor": null })))
}
