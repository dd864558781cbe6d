//! `/api/v1/auth/*`: registration, verification, login, token rotation, password reset.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use uuid::Uuid;

use super::body::JsonBody;
use super::users::UserResponse;
use crate::auth::client_ip::client_ip;
use crate::domain::Language;
use crate::error::ApiResult;
use crate::routes::state::AppState;
use crate::services::accounts::{self, Registration};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    pub email: String,
    pub password: String,
    pub name: String,
    pub phone: Option<String>,
    pub council_id: Option<Uuid>,
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub language: Option<Language>,
}

pub async fn register(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: JsonBody<RegisterRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let ip = client_ip(&req, &state.settings.trusted_proxies);
    let user = accounts::register(
        &state,
        ip,
        Registration {
            email: body.email,
            password: body.password,
            name: body.name,
            phone: body.phone,
            council_id: body.council_id,
            language: body.language,
        },
    )
    .await?;
    Ok(HttpResponse::Created().json(UserResponse::load(&state, user).await?))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    pub token: String,
}

pub async fn verify_email(
    state: web::Data<AppState>,
    body: JsonBody<TokenRequest>,
) -> ApiResult<HttpResponse> {
    accounts::verify_email(&state, &body.token).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailRequest {
    pub email: String,
}

pub async fn resend_verification(
    state: web::Data<AppState>,
    body: JsonBody<EmailRequest>,
) -> ApiResult<HttpResponse> {
    accounts::resend_verification(&state, &body.email).await?;
    Ok(HttpResponse::Accepted().finish())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
    #[serde(default)]
    pub otp: Option<String>,
}

pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: JsonBody<LoginRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let ip = client_ip(&req, &state.settings.trusted_proxies);
    let pair = accounts::login(&state, ip, &body.email, body.password, body.otp.as_deref()).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(pair))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

pub async fn refresh(
    state: web::Data<AppState>,
    body: JsonBody<RefreshRequest>,
) -> ApiResult<HttpResponse> {
    let pair = accounts::refresh(&state, &body.refresh_token).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(pair))
}

/// `POST /auth/logout`: the refresh token's family dies; with `device_token`, the
/// device stops getting pushes too.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogoutRequest {
    pub refresh_token: String,
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub device_token: Option<String>,
}

pub async fn logout(
    state: web::Data<AppState>,
    body: JsonBody<LogoutRequest>,
) -> ApiResult<HttpResponse> {
    accounts::logout(&state, &body.refresh_token, body.device_token.as_deref()).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub async fn request_password_reset(
    state: web::Data<AppState>,
    body: JsonBody<EmailRequest>,
) -> ApiResult<HttpResponse> {
    accounts::request_password_reset(&state, &body.email).await?;
    Ok(HttpResponse::Accepted().finish())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfirmPasswordRequest {
    pub token: String,
    pub password: String,
}

pub async fn confirm_password_reset(
    state: web::Data<AppState>,
    body: JsonBody<ConfirmPasswordRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    accounts::confirm_password(&state, &body.token, body.password).await?;
    Ok(HttpResponse::NoContent().finish())
}
