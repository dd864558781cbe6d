//! Forms that change something. A handler cannot receive their fields without the
//! anti-forgery token having been checked: the only way to the fields of a POST is one of
//! these extractors, and each refuses a form without its token before the handler runs.

use std::marker::PhantomData;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;

use super::http::{self, FormData};
use super::page::Refusal;
use super::session::{Anyone, Roles, SignedIn, state};
use crate::services::sessions::Session;

/// The form's fields. A body over actix's payload limit (256 kB; the longest form, a
/// task's, is a few kilobytes) is refused as too large.
async fn body(req: &HttpRequest, payload: &mut Payload) -> Result<FormData, Refusal> {
    let bytes = web::Bytes::from_request(req, payload).await.map_err(|_| {
        crate::domain::error::DomainError::new(
            crate::domain::error::ErrorCode::PayloadTooLarge,
            "the form is too large",
        )
    })?;
    Ok(FormData::parse(&bytes))
}

/// The form's fields and the live session of its request (at whatever stage), the form
/// carrying that session's token; no session when none is live.
async fn with_token(
    req: &HttpRequest,
    payload: &mut Payload,
) -> Result<(FormData, Option<Session>), Refusal> {
    let data = body(req, payload).await?;
    let state = state(req)?;
    let session = http::session(req, &state).await?;
    if session
        .as_ref()
        .is_some_and(|s| !http::csrf_is(&s.csrf_token, &data))
    {
        return Err(Refusal::Forged);
    }
    Ok((data, session))
}

/// A form of a signed-in session of one of `R`'s roles, carrying that session's token.
/// Refused as `Expired` (what was typed, for the front end to keep) when the session has
/// ended, `Forged` without the token, forbidden for another role.
pub struct Form<R: Roles = Anyone> {
    pub session: Session,
    pub data: FormData,
    roles: PhantomData<R>,
}

impl<R: Roles + 'static> FromRequest for Form<R> {
    type Error = Refusal;
    type Future = LocalBoxFuture<'static, Result<Self, Refusal>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let mut payload = payload.take();
        Box::pin(async move {
            let (data, session) = with_token(&req, &mut payload).await?;
            let Some(session) = session else {
                return Err(Refusal::Expired(data));
            };
            let SignedIn { session, .. } = SignedIn::<R>::check(session)?;
            Ok(Self {
                session,
                data,
                roles: PhantomData,
            })
        })
    }
}

/// A form of a session at any stage of its sign-in (the one-time code, enrolling a second
/// factor, signing out), carrying that session's token.
pub struct PartForm {
    pub session: Session,
    pub data: FormData,
}

impl FromRequest for PartForm {
    type Error = Refusal;
    type Future = LocalBoxFuture<'static, Result<Self, Refusal>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let mut payload = payload.take();
        Box::pin(async move {
            let (data, session) = with_token(&req, &mut payload).await?;
            let Some(session) = session else {
                let state = state(&req)?;
                return Err(Refusal::SignedOut {
                    expired: http::has_session_cookie(&req, &state),
                });
            };
            Ok(Self { session, data })
        })
    }
}

/// A form sent before there is a session (signing in, asking for a new password): it
/// carries the sign-in token, signed by the server for this browser's cookie, and does
/// not come from another site — a login posted from elsewhere is refused before the
/// password is read, since a planted session would sign the victim in to the attacker's
/// account.
pub struct SignInForm(pub FormData);

impl FromRequest for SignInForm {
    type Error = Refusal;
    type Future = LocalBoxFuture<'static, Result<Self, Refusal>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let mut payload = payload.take();
        Box::pin(async move {
            let data = body(&req, &mut payload).await?;
            let state = state(&req)?;
            if !http::login_token_ok(&req, &state, &data) || http::cross_site(&req, &state) {
                return Err(Refusal::Forged);
            }
            Ok(Self(data))
        })
    }
}
