//! A person's own account: registration, email verification, login, token rotation,
//! password flows and profile changes.

use crate::domain::problem::FieldProblem;
use std::net::IpAddr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use uuid::Uuid;

use crate::auth::AuthUser;
use crate::auth::jwt::ACCESS_TOKEN_SECONDS;

use crate::auth::rate_limit::{Limit, Reservation};
use crate::auth::tokens::{self, StoredToken};
use crate::db::users::{NewUserRow, UserChanges, UserRow};
use crate::db::{reference as reference_db, tokens as token_db, users as users_db};
use crate::domain::Language;
use crate::domain::account::{EmailAddress, Role, VERIFY_TTL, check_password, normalize_email};
use crate::domain::error::{DomainError, ErrorCode};
use crate::domain::notification::{Channel, NotificationKind, Preference};
use crate::email::mask_address;
use crate::notify::Intent;
use crate::notify::greeting_name;
use crate::notify::{self, Notification};
use crate::services::Context;
use crate::services::second_factor::{self, Requirement};
use crate::validation::{self, Validator};

const REFRESH_IDLE: chrono::Duration = chrono::Duration::days(60);
const FIFTEEN_MINUTES: Duration = Duration::from_secs(15 * 60);

/// Failed password checks of one address from one client IP: the strict limit, which a
/// stranger on another network cannot use to lock the owner out.
fn login_limit_per_email(state: &Context) -> Limit {
    Limit {
        name: "failed_logins_per_email_and_ip",
        max: state.settings.login_limit_per_email,
        window: FIFTEEN_MINUTES,
    }
}

/// Failed password checks of one address from every IP together: a looser ceiling
/// against attacks spread over many networks (OWASP's advice).
fn login_ceiling_per_email(state: &Context) -> Limit {
    Limit {
        name: "failed_logins_per_email",
        max: state.settings.login_ceiling_per_email,
        window: FIFTEEN_MINUTES,
    }
}

/// Successful logins of one address from one client IP: each costs a full hash, so a
/// loop of right passwords is held too.
fn login_success_limit(state: &Context) -> Limit {
    Limit {
        name: "successful_logins_per_email_and_ip",
        max: state.settings.login_success_limit,
        window: FIFTEEN_MINUTES,
    }
}

fn login_limit_per_ip(state: &Context) -> Limit {
    Limit {
        name: "failed_logins_per_ip",
        max: state.settings.login_limit_per_ip,
        window: FIFTEEN_MINUTES,
    }
}

fn register_limit_per_ip(state: &Context) -> Limit {
    Limit {
        name: "registrations_per_ip",
        max: state.settings.register_limit_per_ip,
        window: Duration::from_secs(3600),
    }
}

/// The client a limit counts: an IPv4 address, or an IPv6 client's /64 (one household or
/// one phone gets a whole /64, so counting single addresses would give it 2^64 budgets).
fn ip_key(ip: Option<IpAddr>) -> String {
    match ip.map(|ip| ip.to_canonical()) {
        None => "unknown".to_owned(),
        Some(IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Some(v4) => v4.to_string(),
    }
}

/// What a password is checked for: a login (whose successes are limited too, and which
/// may be stepped up at the ceiling), or a confirmation of a change by someone already
/// signed in.
#[derive(Debug, Clone, Copy)]
enum PasswordCheck<'a> {
    /// The account the address belongs to, if any.
    Login(Option<&'a UserRow>),
    Confirmation(Uuid),
}

impl PasswordCheck<'_> {
    fn user_id(self) -> Option<Uuid> {
        match self {
            Self::Login(account) => account.map(|u| u.id),
            Self::Confirmation(id) => Some(id),
        }
    }
}

/// How long an unlock link works, and how long the network it unlocks stays unlocked.
const UNLOCK_TTL: chrono::Duration = chrono::Duration::hours(1);

/// The network a limit key stands for, hashed before it is stored with an unlock.
fn network_of(ip_key: &str) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    Sha256::digest(format!("login_unlock\0{ip_key}")).to_vec()
}

/// Checks a password against the login limits: the attempt is reserved in every limit
/// before the slow hash (so parallel guesses cannot slip past the count); the failure
/// limits are given back when the password was right, the success limit when it was
/// wrong. Over a limit is 429 without hashing — except the address's ceiling (failures
/// from every network together) at a login: a network the owner has not unlocked is then
/// stepped up. Its password is still checked, within its own limits, and the answer is
/// 429 `login_step_up` whether it was right or wrong; when it was right, the owner is
/// emailed a link that unlocks that network.
async fn check_password_limited(
    state: &Context,
    ip: Option<IpAddr>,
    normalized_email: &str,
    password: String,
    stored_hash: Option<String>,
    purpose: PasswordCheck<'_>,
) -> Result<bool, DomainError> {
    let ip = ip_key(ip);
    let network = network_of(&ip);
    let mut conn = state.pool.get().await?;
    let unlocked = match purpose.user_id() {
        Some(id) => token_db::login_unlocked(&mut conn, id, &network, state.clock.now()).await?,
        None => false,
    };
    let mut wanted = own_failure_limits(state, normalized_email, &ip);
    let failures = wanted.len();
    if let PasswordCheck::Login(_) = purpose {
        wanted.push((
            login_success_limit(state),
            format!("{normalized_email}\0{ip}"),
        ));
    }
    let own = reserve_all(&mut conn, &wanted).await?;
    let ceiling = if unlocked {
        None
    } else {
        Some(
            login_ceiling_per_email(state)
                .reserve(&mut conn, normalized_email)
                .await?,
        )
    };
    let step_up = match &ceiling {
        Some(r) if !r.within() => match purpose {
            PasswordCheck::Login(_) => Some(r.refusal()),
            PasswordCheck::Confirmation(_) => {
                let refusal = r.refusal();
                give_back_all(&mut conn, &own).await?;
                r.give_back(&mut conn).await?;
                return Err(refusal);
            }
        },
        _ => None,
    };
    // No connection is held during the slow hash. A hash that never ran (the hasher
    // is busy: 503) was no attempt either.
    drop(conn);
    let checked = state.hasher.verify(password, stored_hash).await;
    let right = matches!(checked, Ok(true));
    let (own_failures, success_slot) = own.split_at(failures);
    let mut conn = state.pool.get().await?;
    if checked.is_err() || right {
        give_back_all(&mut conn, own_failures).await?;
        give_back_all(&mut conn, ceiling.as_slice()).await?;
    }
    if checked.is_err() || !right {
        give_back_all(&mut conn, success_slot).await?;
    }
    let right = checked?;
    let Some(refusal) = step_up else {
        return Ok(right);
    };
    if right
        && let PasswordCheck::Login(Some(owner)) = purpose
        && owner.active
    {
        send_unlock_link(state, &mut conn, owner, &network).await?;
    }
    tracing::info!("sign-in stepped up at the failed-login ceiling");
    Err(DomainError::new(
        ErrorCode::LoginStepUp,
        "too many failed sign-ins to this account from many places; if the password was right, \
         the account's owner has been emailed a link that lets this place sign in",
    )
    .with_retry_after(refusal.retry_after_secs().unwrap_or(1)))
}

/// Emails the owner a link that unlocks `network` for their account, unless one went out
/// in the last 15 minutes (a stranger who has the password cannot flood the inbox).
async fn send_unlock_link(
    state: &Context,
    conn: &mut AsyncPgConnection,
    owner: &UserRow,
    network: &[u8],
) -> Result<(), DomainError> {
    conn.transaction(async |conn| {
        if token_db::login_unlock_asked_since(
            conn,
            owner.id,
            state.clock.now() - chrono::Duration::minutes(15),
        )
        .await?
        {
            return Ok(());
        }
        let token_id =
            store_link_token(conn, state, owner.id, "login_unlock", None, UNLOCK_TTL).await?;
        token_db::insert_login_unlock(conn, token_id, owner.id, network).await?;
        tracing::info!(user.id = %owner.id, "login unlock link sent");
        notify::send(
            conn,
            &[Notification::to_user(
                owner,
                Intent::LoginUnlock {
                    token_id,
                    name: greeting_name(owner),
                },
            )],
        )
        .await?;
        Ok(())
    })
    .await
}

/// Follows an unlock link: the network the stopped sign-in came from may sign in to the
/// account for an hour, past the address's ceiling.
pub async fn unlock_login(state: &Context, token: &str) -> Result<(), DomainError> {
    let hash = tokens::hash(token);
    let mut conn = state.pool.get().await?;
    conn.transaction(async |conn| {
        let invalid = || DomainError::invalid_field("token", FieldProblem::DeadLink);
        let row = token_db::use_email_token(conn, &hash, &["login_unlock"], state.clock.now())
            .await?
            .ok_or_else(invalid)?;
        if !token_db::unlock_login(conn, row.id, state.clock.now() + UNLOCK_TTL).await? {
            return Err(invalid());
        }
        tracing::info!(user.id = %row.user_id, "login unlocked for a network");
        Ok(())
    })
    .await
}

/// The limits a wrong password or code counts against, each with its key: the address
/// from one network, the address from every network together (its ceiling; left out for
/// a network the owner unlocked), and the network.
fn failure_limits(
    state: &Context,
    normalized_email: &str,
    ip: &str,
    unlocked: bool,
) -> Vec<(Limit, String)> {
    let mut limits = own_failure_limits(state, normalized_email, ip);
    if !unlocked {
        limits.push((login_ceiling_per_email(state), normalized_email.to_owned()));
    }
    limits
}

/// The failure limits of one network: the address from it, and the network itself.
fn own_failure_limits(state: &Context, normalized_email: &str, ip: &str) -> Vec<(Limit, String)> {
    vec![
        (
            login_limit_per_email(state),
            format!("{normalized_email}\0{ip}"),
        ),
        (login_limit_per_ip(state), ip.to_owned()),
    ]
}

/// Reserves one attempt in each of `wanted`, before the work it stands for, so parallel
/// attempts cannot slip past a count. All or none: when any limit is used up, the others
/// are given back too (an attempt not made counts nowhere, so a refused stranger cannot
/// push the owner's own budget down) and the answer is that limit's 429.
async fn reserve_all(
    conn: &mut AsyncPgConnection,
    wanted: &[(Limit, String)],
) -> Result<Vec<Reservation>, DomainError> {
    let mut reservations = Vec::with_capacity(wanted.len());
    for (limit, key) in wanted {
        reservations.push(limit.reserve(conn, key).await?);
    }
    if let Some(over) = reservations.iter().find(|r| !r.within()) {
        let refusal = over.refusal();
        give_back_all(conn, &reservations).await?;
        return Err(refusal);
    }
    Ok(reservations)
}

async fn give_back_all(
    conn: &mut AsyncPgConnection,
    reservations: &[Reservation],
) -> Result<(), DomainError> {
    for r in reservations {
        r.give_back(conn).await?;
    }
    Ok(())
}

/// Stores a new single-use link token of `purpose` for the user (superseding the older
/// ones) and returns its id, from which the email's link is derived at delivery.
pub(crate) async fn store_link_token(
    conn: &mut AsyncPgConnection,
    state: &Context,
    user_id: Uuid,
    purpose: &str,
    email: Option<&str>,
    ttl: chrono::Duration,
) -> Result<Uuid, DomainError> {
    let token = StoredToken::new(&state.keys, purpose);
    let row = token_db::NewEmailToken {
        id: token.id,
        email,
        ..token_db::NewEmailToken::new(user_id, purpose, &token.hash, state.clock.now() + ttl)
    };
    token_db::replace_email_token(conn, &row).await?;
    Ok(token.id)
}

fn invalid_credentials() -> DomainError {
    DomainError::new(
        ErrorCode::Unauthenticated,
        "the email address or password is wrong",
    )
}

fn email_taken() -> DomainError {
    DomainError::new(
        ErrorCode::EmailTaken,
        "an account with this email address already exists",
    )
}

/// A unique violation on the email index means someone else registered it first.
fn map_email_unique(e: diesel::result::Error) -> DomainError {
    match e {
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ) => email_taken(),
        other => other.into(),
    }
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
    state: &Context,
    ip: Option<IpAddr>,
    input: Registration,
) -> Result<UserRow, DomainError> {
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
        v.error("council_id", FieldProblem::NotActiveCouncil);
    }
    v.finish()?;
    let (Some(email), Some(name)) = (email, name) else {
        return Err(DomainError::internal(anyhow::anyhow!(
            "validated fields missing"
        )));
    };
    if users_db::email_exists(&mut conn, &email.normalized()).await? {
        return Err(email_taken());
    }
    let password_hash = state.hasher.hash(input.password).await?;
    let language = input.language.unwrap_or_default();
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
        let token_id =
            store_link_token(conn, state, user.id, "verify_email", None, VERIFY_TTL).await?;
        notify::send(
            conn,
            &[Notification::to_user(
                &user,
                Intent::VerifyEmail { token_id },
            )],
        )
        .await?;
        Ok(user)
    })
    .await
}

/// Confirms an address with a token from a verification email.
pub async fn verify_email(state: &Context, token: &str) -> Result<(), DomainError> {
    let hash = tokens::hash(token);
    let mut conn = state.pool.get().await?;
    conn.transaction(async |conn| {
        let row = token_db::use_email_token(conn, &hash, &["verify_email"], state.clock.now())
            .await?
            .ok_or_else(|| DomainError::invalid_field("token", FieldProblem::DeadLink))?;
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

/// Asks for a fresh verification email for `email`. The request writes one outbox row
/// whatever the address, and the worker finds out whether an unverified account has it,
/// so the answer (always 202) and its work reveal nothing.
pub async fn resend_verification(state: &Context, email: &str) -> Result<(), DomainError> {
    request_by_address(state, email, Intent::VerificationResendRequest).await
}

/// One durable row for a request about an address: the same statement for every address
/// that could belong to an account. Addresses no account can have are not written.
async fn request_by_address(
    state: &Context,
    email: &str,
    intent: Intent,
) -> Result<(), DomainError> {
    let Ok(address) = EmailAddress::parse(email) else {
        return Ok(());
    };
    let mut conn = state.pool.get().await?;
    notify::send(
        &mut conn,
        &[Notification::to_address(&address.normalized(), intent)],
    )
    .await?;
    Ok(())
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
    state: &Context,
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    family_id: Uuid,
    code_proved: bool,
) -> Result<TokenPair, DomainError> {
    let (refresh, hash) = tokens::generate();
    token_db::insert_refresh(
        conn,
        user_id,
        family_id,
        &hash,
        state.clock.now() + REFRESH_IDLE,
        code_proved,
    )
    .await?;
    let access = state.jwt.issue(user_id).map_err(DomainError::internal)?;
    Ok(TokenPair {
        access_token: access,
        refresh_token: refresh,
        token_type: "Bearer",
        expires_in: ACCESS_TOKEN_SECONDS,
    })
}

/// Checks an address and password against the login limits and answers the active
/// account they belong to. Wrong password, unknown address and deactivated account are
/// the same 401, and take the same time; failures count against the address and the IP.
/// The API's login and the console's sign-in both start here.
pub async fn authenticate(
    state: &Context,
    ip: Option<IpAddr>,
    email: &str,
    password: String,
) -> Result<UserRow, DomainError> {
    let normalized = normalize_email(email);
    let found = {
        let mut conn = state.pool.get().await?;
        users_db::find_by_email_with_hash(&mut conn, &normalized).await?
    };
    let (user, hash) = match found {
        Some((user, hash)) => (Some(user), hash),
        None => (None, None),
    };
    let password_ok = check_password_limited(
        state,
        ip,
        &normalized,
        password,
        hash,
        PasswordCheck::Login(user.as_ref()),
    )
    .await?;
    match user {
        Some(user) if password_ok && user.active => Ok(user),
        _ => {
            tracing::info!("login failed");
            Err(invalid_credentials())
        }
    }
}

/// Checks the second factor of someone whose password was right: the code of their
/// authenticator or a recovery code, each usable once. A wrong code counts against the
/// same limits as a wrong password, so six digits cannot be guessed through.
pub async fn check_second_factor(
    state: &Context,
    ip: Option<IpAddr>,
    user: &UserRow,
    code: &str,
) -> Result<(), DomainError> {
    let normalized = normalize_email(&user.email);
    let ip = ip_key(ip);
    let mut conn = state.pool.get().await?;
    let unlocked =
        token_db::login_unlocked(&mut conn, user.id, &network_of(&ip), state.clock.now()).await?;
    // Each attempt is reserved before the code is checked, as a password is; a right code
    // gives its slots back.
    let limits = failure_limits(state, &normalized, &ip, unlocked);
    let reservations = reserve_all(&mut conn, &limits).await?;
    let checked = conn
        .transaction(async |conn| {
            second_factor::verify(conn, &state.keys, user.id, code, state.clock.now()).await
        })
        .await;
    if !matches!(checked, Ok(false)) {
        // Right, or never checked (locked, or the database away): no wrong code counted.
        give_back_all(&mut conn, &reservations).await?;
    }
    if checked? {
        return Ok(());
    }
    tracing::info!(user.id = %user.id, "second factor refused");
    Err(DomainError::new(
        ErrorCode::Unauthenticated,
        "the code is wrong or has been used",
    ))
}

/// Logs in through the API: the password, then the second factor where the account has
/// or needs one (the API is no way around the console's).
pub async fn login(
    state: &Context,
    ip: Option<IpAddr>,
    email: &str,
    password: String,
    otp: Option<&str>,
) -> Result<TokenPair, DomainError> {
    let user = authenticate(state, ip, email, password).await?;
    let requirement = {
        let mut conn = state.pool.get().await?;
        second_factor::requirement(&mut conn, &state.settings, &user).await?
    };
    match (requirement, otp) {
        (Requirement::None, _) => {}
        (Requirement::Enrolment, _) => return Err(second_factor::enrolment_required()),
        (Requirement::Code, None) => return Err(second_factor::code_required()),
        (Requirement::Code, Some(code)) => check_second_factor(state, ip, &user, code).await?,
    }
    let mut conn = state.pool.get().await?;
    users_db::touch_last_active(&mut conn, user.id).await?;
    let code_proved = requirement == Requirement::Code;
    let pair = issue_pair(state, &mut conn, user.id, Uuid::now_v7(), code_proved).await?;
    tracing::info!(user.id = %user.id, "logged in");
    Ok(pair)
}

fn invalid_refresh() -> DomainError {
    DomainError::new(
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
pub async fn refresh(state: &Context, refresh_token: &str) -> Result<TokenPair, DomainError> {
    let hash = tokens::hash(refresh_token);
    let mut conn = state.pool.get().await?;
    let outcome: Result<TokenPair, DomainError> = conn
        .transaction(async |conn| {
            let row = match token_db::use_refresh(conn, &hash, state.clock.now()).await? {
                Some(row) => row,
                None => match token_db::find_refresh(conn, &hash).await? {
                    Some(row) if within_grace(&row, state.clock.now()) => row,
                    _ => return Err(invalid_refresh()),
                },
            };
            let Some(user) = users_db::find(conn, row.user_id).await? else {
                return Err(invalid_refresh());
            };
            if !user.active {
                return Err(invalid_refresh());
            }
            // A family whose login proved no code keeps nobody signed in once the person
            // must use one (they enrolled, or 2FA became required).
            if !row.code_proved {
                match second_factor::requirement(conn, &state.settings, &user).await? {
                    Requirement::None => {}
                    Requirement::Code => return Err(second_factor::code_required()),
                    Requirement::Enrolment => return Err(second_factor::enrolment_required()),
                }
            }
            users_db::touch_last_active(conn, user.id).await?;
            issue_pair(state, conn, user.id, row.family_id, row.code_proved).await
        })
        .await;
    if outcome.is_err()
        && let Some(row) = token_db::find_refresh(&mut conn, &hash).await?
        && (row.used_at.is_some() || row.revoked_at.is_some())
        && !within_grace(&row, state.clock.now())
    {
        let revoked = token_db::revoke_family(&mut conn, row.family_id).await?;
        tracing::warn!(user.id = %row.user_id, revoked, "refresh token reused; family revoked");
    }
    outcome
}

/// A token rotated moments ago, in a family nobody revoked.
fn within_grace(row: &token_db::RefreshTokenRow, now: DateTime<Utc>) -> bool {
    row.revoked_at.is_none()
        && row.expires_at > now
        && row.used_at.is_some_and(|used| now - used <= REFRESH_GRACE)
}

/// Ends the session the refresh token belongs to (its whole family).
/// Ends the session of `refresh_token` (its whole family) and, with `device_token`,
/// forgets that device of the token's owner. An unknown token changes nothing.
pub async fn logout(
    state: &Context,
    refresh_token: &str,
    device_token: Option<&str>,
) -> Result<(), DomainError> {
    if refresh_token.is_empty() {
        return Err(DomainError::invalid_field(
            "refresh_token",
            FieldProblem::Empty,
        ));
    }
    let device = device_token
        .map(|t| {
            crate::domain::push::check_token(t)
                .map_err(|m| DomainError::invalid_field("device_token", m))
        })
        .transpose()?;
    let hash = tokens::hash(refresh_token);
    let mut conn = state.pool.get().await?;
    if let Some(row) = token_db::find_refresh(&mut conn, &hash).await? {
        token_db::revoke_family(&mut conn, row.family_id).await?;
        if let Some(device) = &device {
            crate::db::devices::delete_token_of_user(&mut conn, row.user_id, device).await?;
        }
    }
    Ok(())
}

/// Asks for a reset link for `email`; always answered 202. The request does the same
/// work for every address (one outbox row); the worker resolves whether an active
/// account has it and sends the link only then.
pub async fn request_password_reset(state: &Context, email: &str) -> Result<(), DomainError> {
    request_by_address(state, email, Intent::PasswordResetRequest).await
}

/// Sets a new password with a reset or set-password token; every refresh token dies.
pub async fn confirm_password(
    state: &Context,
    token: &str,
    password: String,
) -> Result<(), DomainError> {
    let hash = tokens::hash(token);
    let mut conn = state.pool.get().await?;
    let invalid = || DomainError::invalid_field("token", FieldProblem::DeadLink);
    // Look first without consuming, so a password the policy refuses keeps the link usable.
    let row = token_db::find_live_email_token(
        &mut conn,
        &hash,
        &["password_reset", "set_password"],
        state.clock.now(),
    )
    .await?
    .ok_or_else(invalid)?;
    let user = users_db::find(&mut conn, row.user_id)
        .await?
        .filter(|u| u.active)
        .ok_or_else(invalid)?;
    check_password(&password, &user.email)
        .map_err(|m| DomainError::invalid_field("password", m))?;
    let password_hash = state.hasher.hash(password).await?;
    conn.transaction(async |conn| {
        let row = token_db::use_email_token(
            conn,
            &hash,
            &["password_reset", "set_password"],
            state.clock.now(),
        )
        .await?
        .ok_or_else(invalid)?;
        let changes = UserChanges {
            password_hash: Some(password_hash),
            // Following a link sent to the address proves the address.
            email_verified: Some(true),
            ..Default::default()
        };
        users_db::update(conn, row.user_id, &changes).await?;
        // The address was proved: a lock on second-factor codes is lifted.
        crate::db::console::unlock_codes(conn, row.user_id).await?;
        token_db::retire_email_tokens(conn, row.user_id, "password_reset").await?;
        token_db::retire_email_tokens(conn, row.user_id, "set_password").await?;
        token_db::revoke_all_for_user(conn, row.user_id).await?;
        Ok(())
    })
    .await
}

/// Changes the caller's password; every refresh token dies (other devices log in again).
pub async fn change_password(
    state: &Context,
    user: &AuthUser,
    ip: Option<IpAddr>,
    current: String,
    new: String,
) -> Result<(), DomainError> {
    let stored = {
        let mut conn = state.pool.get().await?;
        users_db::password_hash(&mut conn, user.id).await?
    };
    let normalized = normalize_email(&user.row.email);
    if !check_password_limited(
        state,
        ip,
        &normalized,
        current,
        stored,
        PasswordCheck::Confirmation(user.id),
    )
    .await?
    {
        return Err(DomainError::invalid_field(
            "current_password",
            FieldProblem::WrongPassword,
        ));
    }
    check_password(&new, &user.row.email).map_err(|m| DomainError::invalid_field("password", m))?;
    let password_hash = state.hasher.hash(new).await?;
    let mut conn = state.pool.get().await?;
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
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub qualification_expiring: Option<bool>,
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub spot_opened: Option<bool>,
}

/// Push preferences, each optional in a PATCH.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushChanges {
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub task_changed: Option<bool>,
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub task_cancelled: Option<bool>,
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub reminder: Option<bool>,
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub invitation: Option<bool>,
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub spot_opened: Option<bool>,
}

impl NotificationChanges {
    /// The email choices it makes.
    fn choices(&self) -> Vec<(NotificationKind, Channel, bool)> {
        use NotificationKind as K;
        [
            (K::ClaimConfirmation, self.claim_confirmation),
            (K::TaskChanged, self.task_changed),
            (K::TaskCancelled, self.task_cancelled),
            (K::Reminder, self.reminder),
            (K::Invitation, self.invitation),
            (K::NewTasksDigest, self.new_tasks_digest),
            (K::QualificationExpiring, self.qualification_expiring),
            (K::SpotOpened, self.spot_opened),
        ]
        .into_iter()
        .filter_map(|(kind, on)| Some((kind, Channel::Email, on?)))
        .collect()
    }
}

impl PushChanges {
    /// The app-push choices it makes.
    fn choices(&self) -> Vec<(NotificationKind, Channel, bool)> {
        use NotificationKind as K;
        [
            (K::TaskChanged, self.task_changed),
            (K::TaskCancelled, self.task_cancelled),
            (K::Reminder, self.reminder),
            (K::Invitation, self.invitation),
            (K::SpotOpened, self.spot_opened),
        ]
        .into_iter()
        .filter_map(|(kind, on)| Some((kind, Channel::Fcm, on?)))
        .collect()
    }
}

/// One choice in the general list of `PATCH /me`: a kind by a channel, on or off.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreferenceChange {
    pub kind: String,
    pub channel: String,
    pub enabled: bool,
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
    pub push_notifications: Option<PushChanges>,
    /// Choices by (kind, channel); applied after `notifications` and
    /// `push_notifications`, so where they name the same choice this list wins.
    pub preferences: Option<Vec<PreferenceChange>>,
    pub email: Option<String>,
    /// Required with a new `email`: a stolen access token alone cannot move the account.
    pub current_password: Option<String>,
}

/// Updates the caller's own profile. A new email address needs the current password; it
/// is used only once verified, the old address is told, and every session ends.
pub async fn update_profile(
    state: &Context,
    user: &AuthUser,
    ip: Option<IpAddr>,
    input: ProfileChanges,
) -> Result<UserRow, DomainError> {
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
            v.error("council_id", FieldProblem::OnlyVolunteersChooseCouncil);
        } else if let Some(id) = council
            && !reference_db::council_is_active(&mut conn, id).await?
        {
            v.error("council_id", FieldProblem::NotActiveCouncil);
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
            v.error("category_opt_outs", FieldProblem::UnknownCategory);
        }
    }
    let mut choices = Vec::new();
    if let Some(n) = &input.notifications {
        choices.extend(n.choices());
    }
    if let Some(p) = &input.push_notifications {
        choices.extend(p.choices());
    }
    if input.preferences.as_ref().is_some_and(|p| p.len() > 100) {
        v.error("preferences", FieldProblem::TooManyChoices { max: 100 });
    }
    for (i, change) in input.preferences.iter().flatten().take(100).enumerate() {
        let chosen = NotificationKind::parse(&change.kind).zip(Channel::parse(&change.channel));
        match chosen {
            Some((kind, channel))
                if matches!(kind.preference(channel), Preference::Optional { .. }) =>
            {
                choices.push((kind, channel, change.enabled));
            }
            _ => v.error(&format!("preferences[{i}]"), FieldProblem::NotAChoice),
        }
    }
    // The last word on one choice wins; the statement then names each choice once.
    let mut seen = std::collections::HashSet::new();
    choices.reverse();
    choices.retain(|(kind, channel, _)| seen.insert((*kind, *channel)));
    let new_email = match &input.email {
        Some(raw) => v.check("email", EmailAddress::parse(raw)),
        None => None,
    };
    let new_email = new_email.filter(|e| e.normalized() != normalize_email(&user.row.email));
    if new_email.is_some() && input.current_password.is_none() {
        v.error("current_password", FieldProblem::RequiredForEmailChange);
    }
    v.finish()?;
    if let (Some(_), Some(password)) = (&new_email, input.current_password.clone()) {
        // A wrong password is a 422 (a 401 would sign the app out) and counts against
        // the login limits like any other guess. No connection is held while it hashes.
        let stored = users_db::password_hash(&mut conn, user.id).await?;
        drop(conn);
        let normalized = normalize_email(&user.row.email);
        if !check_password_limited(
            state,
            ip,
            &normalized,
            password,
            stored,
            PasswordCheck::Confirmation(user.id),
        )
        .await?
        {
            return Err(DomainError::invalid_field(
                "current_password",
                FieldProblem::WrongPassword,
            ));
        }
        conn = state.pool.get().await?;
    }
    if let Some(email) = &new_email
        && users_db::email_exists(&mut conn, &email.normalized()).await?
    {
        return Err(email_taken());
    }
    conn.transaction(async |conn| {
        let updated = users_db::update(conn, user.id, &changes).await?;
        crate::db::preferences::set(conn, user.id, &choices).await?;
        if let Some(categories) = &input.category_opt_outs {
            users_db::set_category_opt_outs(conn, user.id, categories).await?;
            // Following a series ends with the volunteer's own opt-out of its category.
            crate::db::series::end_follows_in_categories(
                conn,
                user.id,
                categories,
                state.clock.now(),
            )
            .await?;
        }
        if let Some(email) = &new_email {
            let token_id = store_link_token(
                conn,
                state,
                user.id,
                "verify_email",
                Some(email.as_str()),
                VERIFY_TTL,
            )
            .await?;
            notify::send(
                conn,
                &[
                    Notification::to_user_at(
                        &updated,
                        email.as_str(),
                        Intent::VerifyEmail { token_id },
                    ),
                    Notification::to_user(
                        &updated,
                        Intent::EmailChanged {
                            name: greeting_name(&updated),
                            new_address: mask_address(email.as_str()),
                        },
                    ),
                ],
            )
            .await?;
            // Every session ends, the caller's too: whoever holds a stolen token must
            // sign in again, with the password.
            token_db::revoke_all_for_user(conn, user.id).await?;
            tracing::info!(user.id = %user.id, "email change requested; sessions ended");
        }
        Ok(updated)
    })
    .await
}
