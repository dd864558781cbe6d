//! `/api/v1/me*` (the caller's own account) and `/api/v1/users*` (admin).

use crate::domain::problem::FieldProblem;
use actix_web::{HttpRequest, HttpResponse, web};
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::body::{Deferred, JsonBody};
use crate::auth::client_ip::client_ip;
use crate::auth::{AuthUser, permissions};
use crate::db::users::UserRow;
use crate::domain::Language;
use crate::domain::account::Role;
use crate::domain::notification::{Channel, NotificationKind};
use crate::error::{ApiError, ApiResult};
use crate::notify::Choices;
use crate::pagination::{Cursor, PageQuery, Paginated};
use crate::routes::state::AppState;
use crate::services::accounts::{self, NotificationChanges, ProfileChanges};
use crate::services::users::{self as user_service, AccountChanges, NewAccount, Profile};
use crate::validation::double_option;

#[derive(Debug, Serialize)]
pub struct Notifications {
    pub claim_confirmation: bool,
    pub task_changed: bool,
    pub task_cancelled: bool,
    pub reminder: bool,
    pub invitation: bool,
    pub new_tasks_digest: bool,
    pub qualification_expiring: bool,
    pub spot_opened: bool,
}

/// What a person's devices are told of (on by default, but a spot that opened).
#[derive(Debug, Serialize)]
pub struct PushNotifications {
    pub task_changed: bool,
    pub task_cancelled: bool,
    pub reminder: bool,
    pub invitation: bool,
    pub spot_opened: bool,
}

/// One notification choice: a kind by a channel, on or off.
#[derive(Debug, Serialize)]
pub struct PreferenceItem {
    pub kind: &'static str,
    pub channel: &'static str,
    pub enabled: bool,
}

/// A person's account as they themselves and admins see it.
#[derive(Debug, Serialize)]
pub struct UserResponse {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub phone: Option<String>,
    pub role: String,
    pub council_id: Option<Uuid>,
    pub service_unit_id: Option<Uuid>,
    pub language: String,
    pub email_verified: bool,
    pub invitable: bool,
    pub active: bool,
    pub category_opt_outs: Vec<Uuid>,
    pub notifications: Notifications,
    pub push_notifications: PushNotifications,
    /// Every choice by kind and channel: the general form of the two above.
    pub preferences: Vec<PreferenceItem>,
    #[serde(serialize_with = "crate::domain::time::millis")]
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl UserResponse {
    pub fn new(profile: Profile) -> Self {
        let Profile {
            row,
            opt_outs,
            choices,
        } = profile;
        let email = |kind| choices.chosen(row.id, kind, Channel::Email);
        let push = |kind| choices.chosen(row.id, kind, Channel::Fcm);
        use NotificationKind as K;
        Self {
            notifications: Notifications {
                claim_confirmation: email(K::ClaimConfirmation),
                task_changed: email(K::TaskChanged),
                task_cancelled: email(K::TaskCancelled),
                reminder: email(K::Reminder),
                invitation: email(K::Invitation),
                new_tasks_digest: email(K::NewTasksDigest),
                qualification_expiring: email(K::QualificationExpiring),
                spot_opened: email(K::SpotOpened),
            },
            push_notifications: PushNotifications {
                task_changed: push(K::TaskChanged),
                task_cancelled: push(K::TaskCancelled),
                reminder: push(K::Reminder),
                invitation: push(K::Invitation),
                spot_opened: push(K::SpotOpened),
            },
            preferences: choices
                .all_of(row.id)
                .into_iter()
                .map(|(kind, channel, enabled)| PreferenceItem {
                    kind: kind.as_str(),
                    channel: channel.as_str(),
                    enabled,
                })
                .collect(),
            id: row.id,
            email: row.email,
            name: row.name,
            phone: row.phone,
            role: row.role,
            council_id: row.council_id,
            service_unit_id: row.service_unit_id,
            language: row.language,
            email_verified: row.email_verified,
            invitable: row.invitable,
            active: row.active,
            category_opt_outs: opt_outs,
            created_at: row.created_at,
        }
    }

    /// With the person's category opt-outs and notification choices.
    pub async fn load(state: &AppState, row: UserRow) -> Result<Self, ApiError> {
        let mut conn = state.pool.get().await?;
        Ok(Self::new(user_service::profile(&mut conn, row).await?))
    }
}

pub async fn get_me(state: web::Data<AppState>, user: AuthUser) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(UserResponse::load(&state, user.row).await?))
}

/// `PATCH /me`. Role, unit, activity and verification are not among the fields, so a body
/// naming them is refused with 422 like any unknown field.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateMeRequest {
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub language: Option<Language>,
    #[serde(default, deserialize_with = "double_option")]
    pub council_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub invitable: Option<bool>,
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub category_opt_outs: Option<Vec<Uuid>>,
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub notifications: Option<NotificationChanges>,
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub push_notifications: Option<accounts::PushChanges>,
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub preferences: Option<Vec<accounts::PreferenceChange>>,
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub email: Option<String>,
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub current_password: Option<String>,
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub clear: Option<Vec<String>>,
}

pub async fn update_me(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    body: JsonBody<UpdateMeRequest>,
) -> ApiResult<HttpResponse> {
    let mut b = body.into_inner();
    let clear = crate::validation::Clear::new(b.clear.take(), &["phone", "council_id"])?;
    clear.apply("phone", &mut b.phone)?;
    clear.apply("council_id", &mut b.council_id)?;
    let ip = client_ip(&req, &state.settings.trusted_proxies);
    let row = accounts::update_profile(
        &state,
        &user,
        ip,
        ProfileChanges {
            name: b.name,
            phone: b.phone,
            language: b.language,
            council_id: b.council_id,
            invitable: b.invitable,
            category_opt_outs: b.category_opt_outs,
            notifications: b.notifications,
            push_notifications: b.push_notifications,
            preferences: b.preferences,
            email: b.email,
            current_password: b.current_password,
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(UserResponse::load(&state, row).await?))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub password: String,
}

pub async fn change_password(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    body: JsonBody<ChangePasswordRequest>,
) -> ApiResult<HttpResponse> {
    let b = body.into_inner();
    let ip = client_ip(&req, &state.settings.trusted_proxies);
    accounts::change_password(&state, &user, ip, b.current_password, b.password).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize)]
pub struct ListUsersQuery {
    pub role: Option<String>,
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

pub async fn list_users(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ListUsersQuery>,
) -> ApiResult<HttpResponse> {
    permissions::require_admin(&user)?;
    let q = query.into_inner();
    let page = PageQuery {
        limit: q.limit,
        cursor: q.cursor,
    }
    .parse()?;
    let role = match q.role.as_deref() {
        None => None,
        Some(r) => Some(Role::parse(r).ok_or_else(|| {
            ApiError::invalid_field(
                "role",
                FieldProblem::OneOf {
                    choices: "admin, staff, coordinator, volunteer".into(),
                },
            )
        })?),
    };
    let mut conn = state.pool.get().await?;
    let items = user_service::list(&mut conn, &user, role, &page).await?;
    Ok(HttpResponse::Ok().json(Paginated::from_rows(
        items,
        page.limit,
        |p| Cursor {
            key: String::new(),
            id: p.row.id,
        },
        UserResponse::new,
    )))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateUserRequest {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub service_unit_id: Option<Uuid>,
    pub council_id: Option<Uuid>,
    pub phone: Option<String>,
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub language: Option<Language>,
}

pub async fn create_user(
    state: web::Data<AppState>,
    user: AuthUser,
    body: Deferred<CreateUserRequest>,
) -> ApiResult<HttpResponse> {
    permissions::require_admin(&user)?;
    let body = body.parse()?;
    let b = body.into_inner();
    let row = user_service::create(
        &state,
        &user,
        NewAccount {
            email: b.email,
            name: b.name,
            role: b.role,
            service_unit_id: b.service_unit_id,
            council_id: b.council_id,
            phone: b.phone,
            language: b.language,
        },
    )
    .await?;
    Ok(HttpResponse::Created().json(UserResponse::new(Profile {
        row,
        opt_outs: Vec::new(),
        choices: Choices::default(),
    })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateUserRequest {
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub role: Option<Role>,
    #[serde(default, deserialize_with = "double_option")]
    pub service_unit_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "double_option")]
    pub council_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub active: Option<bool>,
}

pub async fn update_user(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: Deferred<UpdateUserRequest>,
) -> ApiResult<HttpResponse> {
    permissions::require_admin(&user)?;
    let body = body.parse()?;
    let b = body.into_inner();
    let row = user_service::update(
        &state,
        &user,
        id.into_inner(),
        AccountChanges {
            name: b.name,
            role: b.role,
            service_unit_id: b.service_unit_id,
            council_id: b.council_id,
            active: b.active,
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(UserResponse::load(&state, row).await?))
}

pub async fn resend_invitation(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    permissions::require_admin(&user)?;
    user_service::resend_invitation(&state, &user, id.into_inner()).await?;
    Ok(HttpResponse::Accepted().finish())
}

/// `DELETE /me`: the caller erases their own account.
pub async fn erase_me(state: web::Data<AppState>, user: AuthUser) -> ApiResult<HttpResponse> {
    let mut conn = state.pool.get().await?;
    conn.transaction(async |conn| {
        crate::services::erasure::erase(conn, user.id, state.clock.now()).await
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `DELETE /users/{id}`: an admin erases an account.
pub async fn erase_user(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    permissions::require_admin(&user)?;
    let id = id.into_inner();
    let mut conn = state.pool.get().await?;
    conn.transaction(async |conn| {
        crate::services::erasure::erase(conn, id, state.clock.now()).await
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
