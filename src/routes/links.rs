//! `/api/v1/links/*`: the POSTs behind one-click links in emails. The token is in the query
//! string, so a mail client's RFC 8058 one-click POST (`List-Unsubscribe=One-Click` as a
//! form body, which is ignored) works as well as the page's button.

use crate::domain::problem::FieldProblem;
use actix_web::{HttpResponse, web};
use diesel_async::AsyncConnection;
use serde::Deserialize;

use super::tasks::ClaimResponse;
use crate::error::{ApiError, ApiResult};
use crate::routes::state::AppState;
use crate::services::links;

#[derive(Debug, Deserialize)]
pub struct TokenQuery {
    pub token: Option<String>,
}

fn token(query: &TokenQuery) -> Result<&str, ApiError> {
    query
        .token
        .as_deref()
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::invalid_field("token", FieldProblem::Required))
}

pub async fn unsubscribe(
    state: web::Data<AppState>,
    query: web::Query<TokenQuery>,
) -> ApiResult<HttpResponse> {
    let token = token(&query)?;
    let mut conn = state.pool.get().await?;
    let kind = conn
        .transaction(async |conn| links::unsubscribe(conn, &state, token).await)
        .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "kind": kind, "enabled": false })))
}

pub async fn release(
    state: web::Data<AppState>,
    query: web::Query<TokenQuery>,
) -> ApiResult<HttpResponse> {
    let token = token(&query)?;
    let mut conn = state.pool.get().await?;
    let claim = conn
        .transaction(async |conn| links::release(conn, &state, token).await)
        .await?;
    Ok(HttpResponse::Ok().json(ClaimResponse::from(claim)))
}
