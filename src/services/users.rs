//! Admin management of accounts: staff, coordinators and admins are created by an admin
//! and choose their own password through a link; roles, links and activity change here.

use crate::domain::problem::FieldProblem;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use uuid::Uuid;

use super::accounts::store_link_token;
use crate::auth::{AuthUser, permissions};
/// A person as the services answer them.
pub use crate::db::users::UserRow;
use crate::db::users::{NewUserRow, UserChanges};
use crate::db::{reference as reference_db, tokens as token_db, users as users_db};
use crate::domain::Language;
use crate::domain::account::{EmailAddress, Role, SET_PASSWORD_TTL};
use crate::domain::error::{DomainError, ErrorCode};
use crate::notify::Intent;
use crate::notify::{self, Notification};
use crate::services::Context;
use crate::validation::{self, Validator};

/// What an admin gives to create an account.
pub struct NewAccount {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub service_unit_id: Option<Uuid>,
    pub council_id: Option<Uuid>,
    pub phone: Option<String>,
    pub language: Option<Language>,
}

/// Checks that role, unit and council fit together and exist.
async fn check_links(
    conn: &mut AsyncPgConnection,
    v: &mut Validator,
    role: Role,
    unit: Option<Uuid>,
    council: Option<Uuid>,
) -> Result<(), DomainError> {
    match (role, unit) {
        (Role::Staff, None) => v.error("service_unit_id", FieldProblem::RequiredForStaff),
        (Role::Staff, Some(id)) if !reference_db::service_unit_exists(conn, id).await? => {
            v.error("service_unit_id", FieldProblem::NotServiceUnit)
        }
        (Role::Staff, Some(_)) => {}
        (_, Some(_)) => v.error("service_unit_id", FieldProblem::OnlyStaffHaveUnit),
        (_, None) => {}
    }
    match (role, council) {
        (Role::Coordinator, None) => v.error("council_id", FieldProblem::RequiredForCoordinator),
        (_, Some(id)) if !reference_db::council_is_active(conn, id).await? => {
            v.error("council_id", FieldProblem::NotActiveCouncil)
        }
        _ => {}
    }
    Ok(())
}

async fn send_set_password(
    state: &Context,
    conn: &mut AsyncPgConnection,
    user: &UserRow,
    role: Role,
) -> Result<(), DomainError> {
    let token_id =
        store_link_token(conn, state, user.id, "set_password", None, SET_PASSWORD_TTL).await?;
    notify::send(
        conn,
        &[Notification::to_user(
            user,
            Intent::AccountCreated { token_id, role },
        )],
    )
    .await?;
    Ok(())
}

/// Validates a new account and inserts it, with `password_hash` when the creator sets the
/// password (the CLI) or without (an admin: the person chooses it through a link).
async fn insert_account(
    conn: &mut AsyncPgConnection,
    input: &NewAccount,
    password_hash: Option<&str>,
    allow_volunteer: bool,
) -> Result<UserRow, DomainError> {
    let mut v = Validator::new();
    let email = v.check("email", EmailAddress::parse(&input.email));
    let name = v.check("name", validation::name(&input.name));
    let phone = match input.phone.as_deref() {
        Some(p) => v.check("phone", validation::phone(p)).flatten(),
        None => None,
    };
    if input.role == Role::Volunteer && !allow_volunteer {
        v.error("role", FieldProblem::VolunteersRegisterThemselves);
    }
    check_links(
        conn,
        &mut v,
        input.role,
        input.service_unit_id,
        input.council_id,
    )
    .await?;
    v.finish()?;
    let (Some(email), Some(name)) = (email, name) else {
        return Err(DomainError::internal(anyhow::anyhow!(
            "validated fields missing"
        )));
    };
    let taken = || {
        DomainError::new(
            ErrorCode::EmailTaken,
            "an account with this email address already exists",
        )
    };
    if users_db::email_exists(conn, &email.normalized()).await? {
        return Err(taken());
    }
    let row = NewUserRow {
        id: Uuid::now_v7(),
        email: email.as_str(),
        password_hash,
        name: &name,
        phone: phone.as_deref(),
        role: input.role.as_str(),
        service_unit_id: input.service_unit_id,
        council_id: input.council_id,
        language: input.language.unwrap_or_default().as_str(),
        email_verified: password_hash.is_some(),
    };
    users_db::insert(conn, &row).await.map_err(|e| match e {
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ) => taken(),
        other => other.into(),
    })
}

/// Creates a staff, coordinator or admin account and emails a set-password link (7 days).
pub async fn create(
    state: &Context,
    admin: &AuthUser,
    input: NewAccount,
) -> Result<UserRow, DomainError> {
    permissions::require_admin(admin)?;
    let mut conn = state.pool.get().await?;
    conn.transaction(async |conn| {
        let user = insert_account(conn, &input, None, false).await?;
        send_set_password(state, conn, &user, input.role).await?;
        tracing::info!(user.id = %user.id, user.role = input.role.as_str(), admin.id = %admin.id, "account created");
        Ok(user)
    })
    .await
}

/// Creates a verified account with a password, for `dugnad create-user` (the first admin
/// of a fresh install, or any account an operator sets up by hand).
pub async fn create_from_cli(
    conn: &mut AsyncPgConnection,
    input: &NewAccount,
    password: &str,
) -> Result<UserRow, DomainError> {
    crate::domain::account::check_password(password, &input.email)
        .map_err(|m| DomainError::invalid_field("password", m))?;
    let hash = crate::auth::password::hash_now(password)?;
    conn.transaction(async |conn| insert_account(conn, input, Some(&hash), true).await)
        .await
}

/// What an admin may change on an account.
#[derive(Debug, Default)]
pub struct AccountChanges {
    pub name: Option<String>,
    pub role: Option<Role>,
    pub service_unit_id: Option<Option<Uuid>>,
    pub council_id: Option<Option<Uuid>>,
    pub active: Option<bool>,
}

/// Changes role, unit, council, name or activity. Effective at the account's next request.
/// The last active admin can be neither demoted nor deactivated.
pub async fn update(
    state: &Context,
    admin: &AuthUser,
    id: Uuid,
    input: AccountChanges,
) -> Result<UserRow, DomainError> {
    permissions::require_admin(admin)?;
    let mut conn = state.pool.get().await?;
    conn.transaction(async |conn| {
        let current = users_db::find_for_update(conn, id)
            .await?
            .ok_or_else(|| DomainError::not_found("no such user"))?;
        let current_role = Role::parse(&current.role).unwrap_or(Role::Volunteer);
        let role = input.role.unwrap_or(current_role);
        // Leaving the staff role leaves the unit; leaving coordination keeps a home council.
        let unit = match input.service_unit_id {
            Some(unit) => unit,
            None if role != Role::Staff => None,
            None => current.service_unit_id,
        };
        let council = input.council_id.unwrap_or(current.council_id);
        let mut v = Validator::new();
        let name = match &input.name {
            Some(n) => v.check("name", validation::name(n)),
            None => None,
        };
        if role == Role::Volunteer && current_role != Role::Volunteer {
            v.error("role", FieldProblem::NotIntoVolunteer);
        }
        if current_role == Role::Volunteer && role != Role::Volunteer {
            v.error("role", FieldProblem::VolunteerStaysVolunteer);
        }
        if input.council_id.is_some() || input.role.is_some() || input.service_unit_id.is_some() {
            check_links(
                conn,
                &mut v,
                role,
                unit,
                if input.council_id.is_some() || role == Role::Coordinator {
                    council
                } else {
                    None
                },
            )
            .await?;
        }
        v.finish()?;
        let stays_admin = role == Role::Admin && input.active.unwrap_or(current.active);
        if current_role == Role::Admin
            && current.active
            && !stays_admin
            && users_db::other_active_admins(conn, id).await? == 0
        {
            return Err(DomainError::new(
                ErrorCode::Conflict,
                "the last active admin cannot be demoted or deactivated",
            ));
        }
        let changes = UserChanges {
            name,
            role: input.role.map(|r| r.as_str().to_owned()),
            service_unit_id: Some(unit),
            council_id: Some(council),
            active: input.active,
            ..Default::default()
        };
        let updated = users_db::update(conn, id, &changes).await?;
        if input.active == Some(false) && current.active {
            token_db::revoke_all_for_user(conn, id).await?;
            // A deactivated person's devices get nothing more; their pushes go with them.
            crate::db::devices::delete_all_of_user(conn, id).await?;
            // A deactivated person holds no tasks: their claims are released and the units
            // told that a spot is free because an account was closed, naming no one.
            crate::services::tasks::release_all_of(conn, id, state.clock.now()).await?;
        }
        tracing::info!(user.id = %id, admin.id = %admin.id, "account changed");
        Ok(updated)
    })
    .await
}

/// Sends a new set-password link to an account that has not chosen a password yet.
pub async fn resend_invitation(
    state: &Context,
    admin: &AuthUser,
    id: Uuid,
) -> Result<(), DomainError> {
    permissions::require_admin(admin)?;
    let mut conn = state.pool.get().await?;
    let user = users_db::find(&mut conn, id)
        .await?
        .ok_or_else(|| DomainError::not_found("no such user"))?;
    if users_db::password_hash(&mut conn, id).await?.is_some() {
        return Err(DomainError::new(
            ErrorCode::Conflict,
            "this person has already chosen a password",
        ));
    }
    if !user.active {
        return Err(DomainError::new(
            ErrorCode::Conflict,
            "the account is deactivated",
        ));
    }
    let role = Role::parse(&user.role).unwrap_or(Role::Staff);
    conn.transaction(async |conn| send_set_password(state, conn, &user, role).await)
        .await
}

/// A person's account with their own category opt-outs and notification choices, as
/// they and admins see it.
pub struct Profile {
    pub row: UserRow,
    pub opt_outs: Vec<Uuid>,
    pub choices: crate::notify::Choices,
}

pub async fn profile(conn: &mut AsyncPgConnection, row: UserRow) -> Result<Profile, DomainError> {
    let opt_outs = users_db::category_opt_outs(conn, row.id).await?;
    let choices = crate::notify::Choices::of(conn, &[row.id]).await?;
    Ok(Profile {
        row,
        opt_outs,
        choices,
    })
}

/// Accounts for admins, optionally of one role, a page at a time (`page.limit + 1` rows).
pub async fn list(
    conn: &mut AsyncPgConnection,
    admin: &AuthUser,
    role: Option<Role>,
    page: &crate::pagination::Page,
) -> Result<Vec<Profile>, DomainError> {
    permissions::require_admin(admin)?;
    let rows = users_db::list(conn, role.map(Role::as_str), page).await?;
    // The page's choices in one query, not one per person.
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let choices = crate::notify::Choices::of(conn, &ids).await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        let opt_outs = users_db::category_opt_outs(conn, row.id).await?;
        items.push(Profile {
            row,
            opt_outs,
            choices: choices.clone(),
        });
    }
    Ok(items)
}

/// Accounts for admins whose name or address contains `q`, optionally of one role.
pub async fn search(
    conn: &mut AsyncPgConnection,
    admin: &AuthUser,
    q: &str,
    role: Option<Role>,
    limit: i64,
) -> Result<Vec<UserRow>, DomainError> {
    permissions::require_admin(admin)?;
    Ok(users_db::search(conn, q.trim(), role.map(Role::as_str), limit).await?)
}

/// One account for admins.
pub async fn find(
    conn: &mut AsyncPgConnection,
    admin: &AuthUser,
    id: Uuid,
) -> Result<UserRow, DomainError> {
    permissions::require_admin(admin)?;
    users_db::find(conn, id)
        .await?
        .ok_or_else(|| DomainError::not_found("no such user"))
}

/// Whether an account still waits for its person to choose a password (an invitation
/// can be sent again).
pub async fn awaits_password(
    conn: &mut AsyncPgConnection,
    admin: &AuthUser,
    id: Uuid,
) -> Result<bool, DomainError> {
    permissions::require_admin(admin)?;
    Ok(users_db::password_hash(conn, id).await?.is_none())
}
