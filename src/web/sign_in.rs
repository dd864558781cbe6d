//! Signing in by password, the same at the console's door and the volunteer web's: one
//! session for one person, living as their role says, and each role sent to its own
//! front end — staff, coordinators and admins to the console (through its second factor
//! when they need one), volunteers to the volunteer web.

use actix_web::HttpRequest;
use actix_web::web;

use super::http;
use super::page::{Page, PageResult};
use crate::db::users::UserRow;
use crate::domain::account::Role;
use crate::domain::error::{DomainError, ErrorCode};
use crate::routes::state::AppState;
use crate::services::accounts;
use crate::services::second_factor::{self, Requirement};
use crate::services::sessions::{self, Lifetime, Stage};

/// Why a sign-in did not start a session: the same for a wrong password and an unknown
/// address (no oracle), or the failed-login step-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failed {
    WrongCredentials,
    SteppedUp,
}

/// Where a finished sign-in goes for `role`: `next` when it is a page of that role's own
/// front end (never another site), else that front end's start.
pub fn landing(role: Role, next: Option<&str>) -> String {
    let own = |n: &&str| !n.starts_with("//") && !n.contains('\\') && n.starts_with('/');
    match role {
        Role::Volunteer => next
            .filter(own)
            .filter(|n| {
                !n.starts_with("/console") && !n.starts_with("/api") && !n.starts_with("/e/")
            })
            .map_or_else(|| "/oppgaver".to_owned(), str::to_owned),
        Role::Staff | Role::Coordinator | Role::Admin => next
            .filter(own)
            .filter(|n| n.starts_with("/console"))
            .map_or_else(|| "/console".to_owned(), str::to_owned),
    }
}

/// Checks the address and password of `form` and starts a session: the answer is a
/// redirect (with the session's cookie) to where the person goes, or why not.
pub async fn by_password(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    email: &str,
    password: &str,
    next: Option<&str>,
) -> Result<Result<Page, Failed>, super::Refusal> {
    let ip = http::client_ip(req, state);
    let user = match accounts::authenticate(state, ip, email, password.to_owned()).await {
        Ok(user) => user,
        Err(e) if e.code() == ErrorCode::Unauthenticated => {
            return Ok(Err(Failed::WrongCredentials));
        }
        Err(e) if e.code() == ErrorCode::LoginStepUp => return Ok(Err(Failed::SteppedUp)),
        Err(e) => return Err(e.into()),
    };
    Ok(Ok(start(state, &user, next).await?))
}

/// Starts a session for `user`, who has proved who they are: the redirect to their front
/// end (or to the second factor they still owe), with the cookie.
pub async fn start(state: &web::Data<AppState>, user: &UserRow, next: Option<&str>) -> PageResult {
    let role = Role::parse(&user.role)
        .ok_or_else(|| DomainError::internal(anyhow::anyhow!("a stored role no version knows")))?;
    let mut conn = state.pool.get().await?;
    let stage = match second_factor::requirement(&mut conn, &state.settings, user).await? {
        Requirement::None => Stage::Full,
        Requirement::Code => Stage::Otp,
        Requirement::Enrolment => Stage::Enrol,
    };
    let landing = landing(role, next);
    let lifetime = Lifetime::of(&state.settings, role);
    let started = sessions::start(
        &mut conn,
        lifetime,
        user.id,
        stage,
        false,
        Some(&landing),
        state.clock.now(),
    )
    .await?;
    tracing::info!(user.id = %user.id, stage = stage.as_str(), "web sign-in");
    let target = match stage {
        Stage::Full => landing,
        Stage::Otp => "/console/login/code".to_owned(),
        Stage::Enrol => "/console/account/2fa".to_owned(),
    };
    Page::redirect(&target).with_cookie(&http::session_cookie(
        &state.settings,
        started.token,
        lifetime,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_lands_in_its_own_front_end_and_never_elsewhere() {
        assert_eq!(landing(Role::Volunteer, None), "/oppgaver");
        assert_eq!(landing(Role::Volunteer, Some("/mine")), "/mine");
        assert_eq!(
            landing(Role::Volunteer, Some("/console/tasks")),
            "/oppgaver"
        );
        assert_eq!(
            landing(Role::Volunteer, Some("//evil.example")),
            "/oppgaver"
        );
        assert_eq!(
            landing(Role::Volunteer, Some("https://evil.example/")),
            "/oppgaver"
        );
        assert_eq!(landing(Role::Staff, Some("/oppgaver/1")), "/console");
        assert_eq!(
            landing(Role::Staff, Some("/console/tasks")),
            "/console/tasks"
        );
        assert_eq!(landing(Role::Admin, Some("/\\evil")), "/console");
    }
}
