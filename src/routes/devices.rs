//! `/api/v1/me/devices`: the caller's devices for push notifications.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::body::JsonBody;
use crate::auth::AuthUser;
use crate::db::devices::DeviceRow;
use crate::error::ApiResult;
use crate::routes::state::AppState;
use crate::services::devices::{self as service, NewDevice};
use crate::validation::non_null;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterDeviceRequest {
    pub token: String,
    pub platform: String,
    #[serde(default, deserialize_with = "non_null")]
    pub app_version: Option<String>,
}

impl From<RegisterDeviceRequest> for NewDevice {
    fn from(r: RegisterDeviceRequest) -> Self {
        Self {
            token: r.token,
            platform: r.platform,
            app_version: r.app_version,
        }
    }
}

/// A device as its owner sees it; the token itself is never echoed back.
#[derive(Debug, Serialize)]
pub struct DeviceResponse {
    pub id: Uuid,
    pub platform: String,
    pub app_version: Option<String>,
    #[serde(serialize_with = "crate::domain::time::millis")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::domain::time::millis")]
    pub updated_at: DateTime<Utc>,
}

impl From<DeviceRow> for DeviceResponse {
    fn from(r: DeviceRow) -> Self {
        Self {
            id: r.id,
            platform: r.platform,
            app_version: r.app_version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

pub async fn register(
    state: web::Data<AppState>,
    user: AuthUser,
    body: JsonBody<RegisterDeviceRequest>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.pool.get().await?;
    let row = service::register(
        &mut conn,
        &user,
        body.into_inner().into(),
        state.clock.now(),
    )
    .await?;
    Ok(HttpResponse::Created().json(DeviceResponse::from(row)))
}

pub async fn mine(state: web::Data<AppState>, user: AuthUser) -> ApiResult<HttpResponse> {
    let mut conn = state.pool.get().await?;
    let items: Vec<DeviceResponse> = service::mine(&mut conn, &user)
        .await?
        .into_iter()
        .map(DeviceResponse::from)
        .collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({ "items": items, "next_cursor": null })))
}

pub async fn forget(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.pool.get().await?;
    service::forget(&mut conn, &user, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
