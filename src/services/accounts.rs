//! A person's own account: registration, email verification, login, token rotation,
//! password flows and profile changes.

use std::net::IpAddr;
use std::time::Duration;

use chrono::Utc;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use uuid::Uuid;

use crate::auth::jwt::ACCESS_TOKEN_SECONDS;
use crate::auth::rate_limit::Limit;
use crate::auth::{AuthUser, tokens};
use crate::db::users::{NewUserRow, UserChanges, UserRow};
use crate::db::{reference as reference_db, tokens as token_db, users as users_db};
use crate::domain::Language;
use crate::domain::account::{EmailAddress, Role, check_password, normalize_email};
use crate::email::enqueue;
use crate::email::messages::{self, Recipient};
use crate::error::{ApiError, ErrorCode};
use crate::startup::AppState;
use crate::validation::{self, Validator};

const VERIFY_TTL: chrono::Duration = chrono::Duration::hours(48);
const RESET_TTL: chrono::Duration = chrono::Duration::hours(1);
pub const SET_PASSWORD_TTL: chrono::Duration = chrono::Duration::days(7);
const REFRESH_IDLE: chrono::Duration = chrono::Duration::days(60);

/// Emails about one address (verification resends, password resets) per hour; past it the
/// request is still answered 202 but nothing is sent.
const EMAIL_SENDS_PER_ADDRESS: Limit = Limit {
    name: "email_sends_per_address",
    max: 5,
    window: Duration::from_secs(3600),
};

fn login_limit_per_email(state: &AppState) -> Limit {
    Limit {
        name: "failed_logins_per_email",
        max: state.settings.login_limit_per_email,
        window: Duration::from_secs(15 * 60),
    }
}

fn login_limit_per_ip(state: &AppState) -> Limit {
    Limit {
        name: "failed_logins_per_ip",
        max: state.settings.login_limit_per_ip,
        window: Duration::from_secs(15 * 60),
    }
}

fn register_limit_per_ip(state: &AppState) -> Limit {
    Limit {
        name: "registrations_per_ip",
        max: state.settings.register_limit_per_ip,
        window: Duration::from_secs(3600),
    }
}

pub fn language_of(row: &UserRow) -> Language {
    if row.language == "en" {
        Language::En
    } else {
        Language::Nb
    }
}

pub fn recipient(row: &UserRow) -> Recipient<'_> {
    Recipient {
        user_id: row.id,
        email: &row.email,
        name: &row.name,
        language: language_of(row),
    }
}

fn invalid_credentials() -> ApiError {
    ApiError::new(
        ErrorCode::Unauthenticated,
        "the email address or password is wrong",
    )
}

fn email_taken() -> ApiError {
    ApiError::new(
        ErrorCode::EmailTaken,
        "an account with this email address already exists",
    )
}

/// A unique violation on the email index means someone else registered it first.
fn map_email_unique(e: diesel::result::Error) -> ApiError {
    match e {
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ) => email_taken(),
        other => other.into(),
    }
}

/// Writes a new email token and returns the clear token for the link.
pub(crate) async fn new_email_token(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    purpose: &str,
    email: Option<&str>,
    ttl: chrono::Duration,
) -> Result<String, ApiError> {
    token_db::retire_email_tokens(conn, user_id, purpose).await?;
    let (token, hash) = tokens::generate();
    let row = token_db::NewEmailToken {
        email,
        ..token_db::NewEmailToken::new(user_id, purpose, &hash, Utc::now() + ttl)
    };
    token_db::insert_email_token(conn, &row).await?;
    Ok(token)
}

/// What a volunteer gives to register.
pub struct Registration {
    pub email: String,
    pub password: String,
    pub name: String,
    pub phone: Option<String>,
    pub council_id: Option<Uuid>,
    pub language: Option<Language>,
}

/// Registers a volunteer and sends the verification email.
pub async fn register(
    state: &AppState,
    ip: Option<IpAddr>,
    input: Registration,
) -> Result<UserRow, ApiError> {
    let mut conn = state.pool.get().await?;
    let ip_key = ip.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
    register_limit_per_ip(state)
        .consume(&mut conn, &ip_key)
        .await?;

    let mut v = Validator::new();
    let email = v.check("email", EmailAddress::parse(&input.email));
    let name = v.check("name", validation::name(&input.name));
    let phone = match input.phone.as_deref() {
        Some(p) => v.check("phone", validation::phone(p)).flatten(),
        None => None,
    };
    if let Err(message) = check_password(&input.password, &input.email) {
        v.error("password", message);
    }
    if let Some(council_id) = input.council_id
        && !reference_db::council_is_active(&mut conn, council_id).await?
    {
        v.error("council_id", "is not an active council");
    }
    v.finish()?;
    let (Some(email), Some(name)) = (email, name) else {
        return Err(ApiError::internal(anyhow::anyhow!(
            "validated fields missing"
        )));
    };
    if users_db::email_exists(&mut conn, &email.normalized()).await? {
        return Err(email_taken());
    }
    let password_hash = state.hasher.hash(input.password).await?;
    let language = input.language.unwrap_or_default();
    let public_url = state.settings.public_url.clone();
    conn.transaction(async |conn| {
        let user = users_db::insert(
            conn,
            &NewUserRow {
                id: Uuid::now_v7(),
                email: email.as_str(),
                password_hash: Some(&password_hash),
                name: &name,
                phone: phone.as_deref(),
                role: Role::Volunteer.as_str(),
                service_unit_id: None,
                council_id: input.council_id,
                language: language.as_str(),
                email_verified: false,
            },
        )
        .await
        .map_err(map_email_unique)?;
        let token = new_email_token(conn, user.id, "verify_email", None, VERIFY_TTL).await?;
        let link = messages::link(&public_url, "verify", &token, language);
        enqueue(conn, &messages::verify_email(&recipient(&user), &link)).await?;
        Ok(user)
    })
    .await
}

/// Confirms an address with a token from a verification email.
pub async fn verify_email(state: &AppState, token: &str) -> Result<(), ApiError> {
    let hash = tokens::hash(token);
    let mut conn = state.pool.get().await?;
    conn.transaction(async |conn| {
        let row = token_db::use_email_token(conn, &hash, &["verify_email"])
            .await?
            .ok_or_else(|| ApiError::invalid_field("token", "is invalid, used or expired"))?;
        let mut changes = UserChanges {
            email_verified: Some(true),
            ..Default::default()
        };
        if let Some(new_email) = row.email {
            changes.email = Some(new_email);
        }
        users_db::update(conn, row.user_id, &changes)
            .await
            .map_err(map_email_unique)?;
        Ok(())
    })
    .await
}

/// Sends a fresh verification email if the address belongs to an unverified account.
/// The caller always answers 202, whatever happened.
pub async fn resend_verification(state: &AppState, email: &str) -> Result<(), ApiError> {
    let normalized = normalize_email(email);
    let mut conn = state.pool.get().await?;
    let Some((user, _)) = users_db::find_by_email_with_hash(&mut conn, &normalized).await? else {
        return Ok(());
    };
    if user.email_verified || !user.active {
        return Ok(());
    }
    if EMAIL_SENDS_PER_ADDRESS
        .consume(&mut conn, &normalized)
        .await
        .is_err()
    {
        return Ok(());
    }
    let public_url = state.settings.public_url.clone();
    conn.transaction(async |conn| {
        let token = new_email_token(conn, user.id, "verify_email", None, VERIFY_TTL).await?;
        let link = messages::link(&public_url, "verify", &token, language_of(&user));
        enqueue(conn, &messages::verify_email(&recipient(&user), &link)).await?;
        Ok(())
    })
    .await
}

/// An access token and a refresh token.
#[derive(Debug, serde::Serialize)]
pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
}

async fn issue_pair(
    state: &AppState,
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    family_id: Uuid,
) -> Result<TokenPair, ApiError> {
    let (refresh, hash) = tokens::generate();
    token_db::insert_refresh(conn, user_id, family_id, &hash, Utc::now() + REFRESH_IDLE).await?;
    let access = state.jwt.issue(user_id).map_err(ApiError::internal)?;
    Ok(TokenPair {
        access_token: access,
        refresh_token: refresh,
        token_type: "Bearer",
        expires_in: ACCESS_TOKEN_SECONDS,
    })
}

/// Logs in. Wrong password, unknown address and deactivated account are the same 401, and
/// take the same time; failures count against the address and the IP.
pub async fn login(
    state: &AppState,
    ip: Option<IpAddr>,
    email: &str,
    password: String,
) -> Result<TokenPair, ApiError> {
    let normalized = normalize_email(email);
    let ip_key = ip.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
    let per_email = login_limit_per_email(state);
    let per_ip = login_limit_per_ip(state);
    let mut conn = state.pool.get().await?;
    per_email.check(&mut conn, &normalized).await?;
    per_ip.check(&mut conn, &ip_key).await?;

    let found = users_db::find_by_email_with_hash(&mut conn, &normalized).await?;
    let (user, hash) = match found {
        Some((user, hash)) => (Some(user), hash),
        None => (None, None),
    };
    let password_ok = state.hasher.verify(password, hash).await?;
    let user = match user {
        Some(user) if password_ok && user.active => user,
        _ => {
            per_email.hit(&mut conn, &normalized).await?;
            per_ip.hit(&mut conn, &ip_key).await?;
            tracing::info!("login failed");
            return Err(invalid_credentials());
        }
    };
    users_db::touch_last_active(&mut conn, user.id).await?;
    let pair = issue_pair(state, &mut conn, user.id, Uuid::now_v7()).await?;
    tracing::info!(user.id = %user.id, "logged in");
    Ok(pair)
}

fn invalid_refresh() -> ApiError {
    ApiError::new(
        ErrorCode::Unauthenticated,
        "the refresh token is invalid, used or expired",
    )
}

/// How long a just-rotated refresh token still gets a fresh pair of its family: two
/// parallel refreshes, or an answer lost on a train, must not log the person out.
pub const REFRESH_GRACE: chrono::Duration = chrono::Duration::seconds(30);

/// Rotates a refresh token. Presenting the one just rotated within [`REFRESH_GRACE`] gets
/// another pair of the same family; presenting a used or revoked one later revokes the
/// whole family: whoever holds a stolen copy is logged out along with the owner.
pub async fn refresh(state: &AppState, refresh_token: &str) -> Result<TokenPair, ApiError> {
    let hash = tokens::hash(refresh_token);
    let mut conn = state.pool.get().await?;
    let outcome: Result<TokenPair, ApiError> = conn
        .transaction(async |conn| {
            let row = match token_db::use_refresh(conn, &hash).await? {
                Some(row) => row,
                None => match token_db::find_refresh(conn, &hash).await? {
                    Some(row) if within_grace(&row) => row,
                    _ => return Err(invalid_refresh()),
                },
            };
            let Some(user) = users_db::find(conn, row.user_id).await? else {
                return Err(invalid_refresh());
            };
            if !user.active {
                return Err(invalid_refresh());
            }
            users_db::touch_last_active(conn, user.id).await?;
            issue_pair(state, conn, user.id, row.family_id).await
        })
        .await;
    if outcome.is_err()
        && let Some(row) = token_db::find_refresh(&mut conn, &hash).await?
        && (row.used_at.is_some() || row.revoked_at.is_some())
        && !within_grace(&row)
    {
        let revoked = token_db::revoke_family(&mut conn, row.family_id).await?;
        tracing::warn!(user.id = %row.user_id, revoked, "refresh token reused; family revoked");
    }
    outcome
}

/// A token rotated moments ago, in a family nobody revoked.
fn within_grace(row: &token_db::RefreshTokenRow) -> bool {
    row.revoked_at.is_none()
        && row.expires_at > Utc::now()
        && row
            .used_at
            .is_some_and(|used| Utc::now() - used <= REFRESH_GRACE)
}

/// Ends the session the refresh token belongs to (its whole family).
pub async fn logout(state: &AppState, refresh_token: &str) -> Result<(), ApiError> {
    let hash = tokens::hash(refresh_token);
    let mut conn = state.pool.get().await?;
    if let Some(row) = token_db::find_refresh(&mut conn, &hash).await? {
        token_db::revoke_family(&mut conn, row.family_id).await?;
    }
    Ok(())
}

/// Sends a reset link if the address belongs to an active account. Always answered 202.
pub async fn request_password_reset(state: &AppState, email: &str) -> Result<(), ApiError> {
    let normalized = normalize_email(email);
    let mut conn = state.pool.get().await?;
    let Some((user, _)) = users_db::find_by_email_with_hash(&mut conn, &normalized).await? else {
        return Ok(());
    };
    if !user.active
        || EMAIL_SENDS_PER_ADDRESS
            .consume(&mut conn, &normalized)
            .await
            .is_err()
    {
        return Ok(());
    }
    let public_url = state.settings.public_url.clone();
    conn.transaction(async |conn| {
        let token = new_email_token(conn, user.id, "password_reset", None, RESET_TTL).await?;
        let link = messages::link(&public_url, "reset-password", &token, language_of(&user));
        enqueue(conn, &messages::password_reset(&recipient(&user), &link)).await?;
        Ok(())
    })
    .await
}

/// Sets a new password with a reset or set-password token; every refresh token dies.
pub async fn confirm_password(
    state: &AppState,
    token: &str,
    password: String,
) -> Result<(), ApiError> {
    let hash = tokens::hash(token);
    let mut conn = state.pool.get().await?;
    let invalid = || ApiError::invalid_field("token", "is invalid, used or expired");
    // Look first without consuming, so a password the policy refuses keeps the link usable.
    let row =
        token_db::find_live_email_token(&mut conn, &hash, &["password_reset", "set_password"])
            .await?
            .ok_or_else(invalid)?;
    let user = users_db::find(&mut conn, row.user_id)
        .await?
        .filter(|u| u.active)
        .ok_or_else(invalid)?;
    check_password(&password, &user.email).map_err(|m| ApiError::invalid_field("password", m))?;
    let password_hash = state.hasher.hash(password).await?;
    conn.transaction(async |conn| {
        let row = token_db::use_email_token(conn, &hash, &["password_reset", "set_password"])
            .await?
            .ok_or_else(invalid)?;
        let changes = UserChanges {
            password_hash: Some(password_hash),
            // Following a link sent to the address proves the address.
            email_verified: Some(true),
            ..Default::default()
        };
        users_db::update(conn, row.user_id, &changes).await?;
        token_db::retire_email_tokens(conn, row.user_id, "password_reset").await?;
        token_db::retire_email_tokens(conn, row.user_id, "set_password").await?;
        token_db::revoke_all_for_user(conn, row.user_id).await?;
        Ok(())
    })
    .await
}

/// Changes the caller's password; every refresh token dies (other devices log in again).
pub async fn change_password(
    state: &AppState,
    user: &AuthUser,
    current: String,
    new: String,
) -> Result<(), ApiError> {
    let mut conn = state.pool.get().await?;
    let stored = users_db::password_hash(&mut conn, user.id).await?;
    if !state.hasher.verify(current, stored).await? {
        return Err(ApiError::invalid_field("current_password", "is wrong"));
    }
    check_password(&new, &user.row.email).map_err(|m| ApiError::invalid_field("password", m))?;
    let password_hash = state.hasher.hash(new).await?;
    conn.transaction(async |conn| {
        users_db::update(
            conn,
            user.id,
            &UserChanges {
                password_hash: Some(password_hash),
                ..Default::default()
            },
        )
        .await?;
        token_db::revoke_all_for_user(conn, user.id).await?;
        Ok(())
    })
    .await
}

/// Notification preferences, each optional in a PATCH.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotificationChanges {
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub claim_confirmation: Option<bool>,
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub task_changed: Option<bool>,
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub task_cancelled: Option<bool>,
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub reminder: Option<bool>,
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub invitation: Option<bool>,
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub new_tasks_digest: Option<bool>,
}

/// What `PATCH /me` may change.
#[derive(Debug, Default)]
pub struct ProfileChanges {
    pub name: Option<String>,
    pub phone: Option<Option<String>>,
    pub language: Option<Language>,
    pub council_id: Option<Option<Uuid>>,
    pub invitable: Option<bool>,
    pub category_opt_outs: Option<Vec<Uuid>>,
    pub notifications: Option<NotificationChanges>,
    pub email: Option<String>,
}

/// Updates the caller's own profile. A new email address is used only once verified.
pub async fn update_profile(
    state: &AppState,
    user: &AuthUser,
    input: ProfileChanges,
) -> Result<UserRow, ApiError> {
    let mut conn = state.pool.get().await?;
    let mut v = Validator::new();
    let mut changes = UserChanges::default();
    if let Some(name) = &input.name {
        changes.name = v.check("name", validation::name(name));
    }
    if let Some(phone) = &input.phone {
        changes.phone = match phone {
            None => Some(None),
            Some(p) => v.check("phone", validation::phone(p)),
        };
    }
    changes.language = input.language.map(|l| l.as_str().to_owned());
    if let Some(council) = input.council_id {
        if user.role != Role::Volunteer {
            v.error(
                "council_id",
                "only a volunteer chooses a home council; an admin sets a coordinator's council",
            );
        } else if let Some(id) = council
            && !reference_db::council_is_active(&mut conn, id).await?
        {
            v.error("council_id", "is not an active council");
        } else {
            changes.council_id = Some(council);
        }
    }
    changes.invitable = input.invitable;
    if let Some(categories) = &input.category_opt_outs {
        let known = reference_db::existing_category_ids(&mut conn, categories).await?;
        if known.len()
            != categories
                .iter()
                .collect::<std::collections::HashSet<_>>()
                .len()
        {
            v.error("category_opt_outs", "contains an unknown category");
        }
    }
    if let Some(n) = &input.notifications {
        changes.notify_claim_confirmation = n.claim_confirmation;
        changes.notify_task_changed = n.task_changed;
        changes.notify_task_cancelled = n.task_cancelled;
        changes.notify_reminder = n.reminder;
        changes.notify_invitation = n.invitation;
        changes.notify_new_tasks_digest = n.new_tasks_digest;
    }
    let new_email = match &input.email {
        Some(raw) => v.check("email", EmailAddress::parse(raw)),
        None => None,
    };
    v.finish()?;
    let new_email = new_email.filter(|e| e.normalized() != normalize_email(&user.row.email));
    if let Some(email) = &new_email
        && users_db::email_exists(&mut conn, &email.normalized()).await?
    {
        return Err(email_taken());
    }
    let public_url = state.settings.public_url.clone();
    conn.transaction(async |conn| {
        let updated = users_db::update(conn, user.id, &changes).await?;
        if let Some(categories) = &input.category_opt_outs {
            users_db::set_category_opt_outs(conn, user.id, categories).await?;
        }
        if let Some(email) = &new_email {
            let token = new_email_token(
                conn,
                user.id,
                "verify_email",
                Some(email.as_str()),
                VERIFY_TTL,
            )
            .await?;
            let language = language_of(&updated);
            let link = messages::link(&public_url, "verify", &token, language);
            let to = Recipient {
                user_id: user.id,
                email: email.as_str(),
                name: &updated.name,
                language,
            };
            enqueue(conn, &messages::verify_email(&to, &link)).await?;
        }
        Ok(updated)
    })
    .await
}
