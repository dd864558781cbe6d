//! `GET /api/v1/me/export`: everything stored about the caller (GDPR art. 15 and 20).

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::tasks::{ClaimResponse, TaskResponse};
use super::users::UserResponse;
use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::routes::state::AppState;

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
    pub qualifications: Vec<super::qualifications::RecordResponse>,
    pub series_follows: Vec<ExportFollow>,
    pub devices: Vec<super::devices::DeviceResponse>,
    pub pushes: Vec<ExportPush>,
    pub watches: Vec<ExportWatch>,
}

/// A task the person watches, and since when.
#[derive(Debug, Serialize)]
pub struct ExportWatch {
    pub task_id: uuid::Uuid,
    #[serde(serialize_with = "crate::domain::time::millis")]
    pub watching_since: DateTime<Utc>,
}

/// A push written for one of the person's devices: what it said and how it went.
#[derive(Debug, Serialize)]
pub struct ExportPush {
    pub device_id: uuid::Uuid,
    pub kind: String,
    pub status: String,
    pub payload: serde_json::Value,
    #[serde(serialize_with = "crate::domain::time::millis")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::domain::time::millis_opt")]
    pub sent_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize)]
pub struct ExportFollow {
    pub series_id: uuid::Uuid,
    pub follow: super::series::FollowResponse,
}

/// The profile, every claim with its task's public fields, every invitation, the list of
/// emails written for the caller (kinds and times, not bodies) and their qualification
/// records.
pub async fn export(state: web::Data<AppState>, user: AuthUser) -> ApiResult<HttpResponse> {
    let mut conn = state.pool.get().await?;
    let data = crate::services::export::export(&mut conn, &user, state.settings.timezone).await?;
    let body = ExportResponse {
        exported_at: state.clock.now(),
        profile: UserResponse::new(data.profile),
        claims: data
            .claims
            .into_iter()
            .map(|(claim, view)| ExportClaim {
                claim: claim.into(),
                task: view.into(),
            })
            .collect(),
        invitations: data
            .invitations
            .into_iter()
            .map(|i| ExportInvitation {
                id: i.id,
                task_id: i.task_id,
                created_at: i.created_at,
                declined_at: i.declined_at,
            })
            .collect(),
        emails: data
            .emails
            .into_iter()
            .map(|e| ExportEmail {
                kind: e.kind,
                status: e.status,
                created_at: e.created_at,
                sent_at: e.sent_at,
            })
            .collect(),
        qualifications: data.qualifications.into_iter().map(Into::into).collect(),
        series_follows: data
            .follows
            .into_iter()
            .map(|f| ExportFollow {
                series_id: f.series_id,
                follow: super::series::FollowResponse::of(f, state.clock.now()),
            })
            .collect(),
        devices: data.devices.into_iter().map(Into::into).collect(),
        pushes: data
            .pushes
            .into_iter()
            .map(|p| ExportPush {
                device_id: p.device_id.unwrap_or_default(),
                kind: p.kind,
                status: p.status,
                payload: p.facts.unwrap_or_default(),
                created_at: p.created_at,
                sent_at: p.sent_at,
            })
            .collect(),
        watches: data
            .watches
            .into_iter()
            .map(|(task_id, watching_since)| ExportWatch {
                task_id,
                watching_since,
            })
            .collect(),
    };
    Ok(HttpResponse::Ok()
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"dugnad-export.json\"",
        ))
        .insert_header(("Cache-Control", "no-store"))
        .json(body))
}
