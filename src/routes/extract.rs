//! The extractor of the caller of an authenticated route: the bearer token is checked
//! and the user read from the database on every request, so a demoted or deactivated user
//! loses rights at once.

use std::future::Future;
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest, web};

use super::state::AppState;
use crate::auth::AuthUser;
use crate::db::users;
use crate::error::{ApiError, ErrorCode};

pub fn unauthenticated() -> ApiError {
    ApiError::new(
        ErrorCode::Unauthenticated,
        "a valid access token is required",
    )
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _payload: &mut actix_web::dev::Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = req
            .headers()
            .get(actix_web::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|t| t.trim().to_owned());
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::internal(anyhow::anyhow!("no app state")))?;
            let token = token.ok_or_else(unauthenticated)?;
            let user_id = state.jwt.verify(&token).ok_or_else(unauthenticated)?;
            let mut conn = state.pool.get().await?;
            let row = users::find(&mut conn, user_id)
                .await?
                .ok_or_else(unauthenticated)?;
            if !row.active {
                return Err(unauthenticated());
            }
            AuthUser::from_row(row).ok_or_else(unauthenticated)
        })
    }
}
