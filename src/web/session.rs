//! The signed-in person of a page, with the roles the page is for.

use std::marker::PhantomData;
use std::ops::Deref;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;

use super::http;
use super::page::Refusal;
use crate::auth::permissions;
use crate::domain::account::Role;
use crate::domain::error::DomainError;
use crate::routes::state::AppState;
use crate::services::sessions::{Session, Stage};

/// The roles a page is for, as a type: `SignedIn<Staff>` cannot be extracted for a
/// coordinator.
pub trait Roles {
    const ROLES: &'static [Role];
}

/// Every signed-in person.
pub struct Anyone;
/// A service unit's staff, and admins.
pub struct Staff;
/// Admins only.
pub struct Admin;
/// Council coordinators, and admins (who choose the council).
pub struct CouncilPage;
/// Volunteers: the volunteer web's own pages (everyone else has the console).
pub struct VolunteerPage;

impl Roles for Anyone {
    const ROLES: &'static [Role] = &[Role::Volunteer, Role::Staff, Role::Coordinator, Role::Admin];
}
impl Roles for Staff {
    const ROLES: &'static [Role] = &[Role::Staff, Role::Admin];
}
impl Roles for Admin {
    const ROLES: &'static [Role] = &[Role::Admin];
}
impl Roles for VolunteerPage {
    const ROLES: &'static [Role] = &[Role::Volunteer];
}
impl Roles for CouncilPage {
    const ROLES: &'static [Role] = &[Role::Coordinator, Role::Admin];
}

/// A signed-in session, its sign-in finished, of one of `R`'s roles. Without one the
/// request is refused before the handler runs: `SignedOut` (to the sign-in and back),
/// `Unfinished` (to the second factor), or forbidden.
pub struct SignedIn<R: Roles = Anyone> {
    pub session: Session,
    roles: PhantomData<R>,
}

impl<R: Roles> Deref for SignedIn<R> {
    type Target = Session;

    fn deref(&self) -> &Session {
        &self.session
    }
}

impl<R: Roles> SignedIn<R> {
    pub(super) fn check(session: Session) -> Result<Self, Refusal> {
        if session.stage != Stage::Full {
            return Err(Refusal::Unfinished(session.stage));
        }
        permissions::require_role(&session.user, R::ROLES)?;
        Ok(Self {
            session,
            roles: PhantomData,
        })
    }
}

impl<R: Roles + 'static> FromRequest for SignedIn<R> {
    type Error = Refusal;
    type Future = LocalBoxFuture<'static, Result<Self, Refusal>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = state(&req)?;
            match http::session(&req, &state).await? {
                Some(session) => Self::check(session),
                None => Err(Refusal::SignedOut {
                    expired: http::has_session_cookie(&req, &state),
                }),
            }
        })
    }
}

/// The session of a request at whatever stage, or none: for the pages that finish a
/// sign-in and those anyone may read.
pub struct Visitor(pub Option<Session>);

impl FromRequest for Visitor {
    type Error = Refusal;
    type Future = LocalBoxFuture<'static, Result<Self, Refusal>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = state(&req)?;
            Ok(Self(http::session(&req, &state).await?))
        })
    }
}

/// The service's state, which every app that mounts a front end has.
pub(super) fn state(req: &HttpRequest) -> Result<web::Data<AppState>, DomainError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| DomainError::internal(anyhow::anyhow!("the app has no state")))
}
