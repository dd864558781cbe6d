//! `GET /api/v1/me/export`: everything stored about the caller (GDPR art. 15 and 20).

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::tasks::{ClaimResponse, TaskResponse};
use super::users::UserResponse;
use crate::auth::AuthUser;
use crate::db::{invitations, outbox, tasks as task_db};
use crate::error::ApiResult;
use crate::services::tasks as task_service;
use crate::startup::AppState;

#[derive(Debug, Serialize)]
pub struct ExportClaim {
    pub claim: ClaimResponse,
    pub task: TaskResponse,
}

#[derive(Debug, Serialize)]
pub struct ExportInvitation {
    pub id: Uuid,
    pub task_id: Uuid,
    #[serde(serialize_with = "crate::domain::time::millis")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::domain::time::millis_opt")]
    pub declined_at: Option<DateTime<Utc>>,
}

/// An email written for the person: what kind and when, never what it said.
#[derive(Debug, Serialize)]
pub struct ExportEmail {
    pub kind: String,
    pub status: String,
    #[serde(serialize_with = "crate::domain::time::millis")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::domain::time::millis_opt")]
    pub sent_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize)]
pub struct ExportResponse {
    #[serde(serialize_with = "crate::domain::time::millis")]
    pub exported_at: DateTime<Utc>,
    pub profile: UserResponse,
    pub claims: Vec<ExportClaim>,
    pub invitations: Vec<ExportInvitation>,
    pub emails: Vec<ExportEmail>,
}

/// The profile, every claim with its task's public fields, every invitation, and the list
/// of emails written for the caller (kinds and times, not bodies).
pub async fn export(state: web::Data<AppState>, user: AuthUser) -> ApiResult<HttpResponse> {
    let mut conn = state.pool.get().await?;
    let rows = task_db::claims_of_volunteer(&mut conn, user.id, None, i64::from(i32::MAX)).await?;
    let (claims, tasks): (Vec<_>, Vec<_>) = rows.into_iter().unzip();
    let views = task_service::views(&mut conn, &user, tasks).await?;
    let claims = claims
        .into_iter()
        .zip(views)
        .map(|(claim, view)| {
            let mut task = TaskResponse::from(view);
            // The export is the caller's data: the person helped is not part of it.
            task.private = None;
            task.unit = None;
            ExportClaim {
                claim: claim.into(),
                task,
            }
        })
        .collect();
    let invitations = invitations::all_for_volunteer(&mut conn, user.id)
        .await?
        .into_iter()
        .map(|i| ExportInvitation {
            id: i.id,
            task_id: i.task_id,
            created_at: i.created_at,
            declined_at: i.declined_at,
        })
        .collect();
    let emails = outbox::sent_to_user(&mut conn, user.id)
        .await?
        .into_iter()
        .map(|(kind, status, created_at, sent_at)| ExportEmail {
            kind,
            status,
            created_at,
            sent_at,
        })
        .collect();
    let profile = UserResponse::load(&state, user.row.clone()).await?;
    Ok(HttpResponse::Ok()
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"dugnad-export.json\"",
        ))
        .insert_header(("Cache-Control", "no-store"))
        .json(ExportResponse {
            exported_at: Utc::now(),
            profile,
            claims,
            invitations,
            emails,
        }))
}
