//! The devices a person registers for push notifications: register (a token registered
//! again, by anyone, moves to the caller), list their own, forget one.

use crate::domain::problem::FieldProblem;
use chrono::{DateTime, Utc};
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use crate::auth::AuthUser;
use crate::db::devices::{self as db, DeviceRow};
use crate::domain::error::DomainError;
use crate::domain::push::{Platform, check_token};
use crate::validation::Validator;

/// A device as the app registers it.
#[derive(Debug, Clone)]
pub struct NewDevice {
    pub token: String,
    pub platform: String,
    pub app_version: Option<String>,
}

/// Registers the caller's device, or moves a known token to the caller.
pub async fn register(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    input: NewDevice,
    now: DateTime<Utc>,
) -> Result<DeviceRow, DomainError> {
    let mut v = Validator::new();
    let token = v.check("token", check_token(&input.token));
    let platform = Platform::parse(&input.platform);
    if platform.is_none() {
        v.error(
            "platform",
            FieldProblem::OneOf {
                choices: "android, ios".into(),
            },
        );
    }
    let app_version = input
        .app_version
        .as_deref()
        .and_then(|version| v.check("app_version", crate::domain::check_line(version, 64)))
        .filter(|version| !version.is_empty());
    v.finish()?;
    let (Some(token), Some(platform)) = (token, platform) else {
        return Err(DomainError::internal(anyhow::anyhow!(
            "validated fields missing"
        )));
    };
    let row = db::register(
        conn,
        &DeviceRow {
            id: Uuid::now_v7(),
            user_id: user.id,
            token,
            platform: platform.as_str().to_owned(),
            app_version,
            created_at: now,
            updated_at: now,
        },
    )
    .await?;
    tracing::info!(user.id = %user.id, device.id = %row.id, "device registered");
    Ok(row)
}

/// The caller's devices.
pub async fn mine(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
) -> Result<Vec<DeviceRow>, DomainError> {
    Ok(db::of_user(conn, user.id).await?)
}

/// Forgets one of the caller's devices; another person's is 404 like an unknown one.
pub async fn forget(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    id: Uuid,
) -> Result<(), DomainError> {
    if db::delete_of_user(conn, user.id, id).await? {
        Ok(())
    } else {
        Err(DomainError::not_found("no such device"))
    }
}
