//! The admins' outbox page: pending and dead emails (masked) and pushes (by device), and
//! a retry for each.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::http::{self, FormData};
use super::i18n;
use super::views::{Frame, Outbox};
use super::{finish, form_session, render, session};
use crate::email::mask_address;
use crate::routes::state::AppState;
use crate::services::outbox::{self as service, Listing};

#[derive(Deserialize)]
pub struct Query {
    status: Option<String>,
    done: Option<String>,
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    q: web::Query<Query>,
) -> HttpResponse {
    let result = async {
        let s = session!(req, state);
        let lang = http::lang(&req);
        let listing = Listing::parse(q.status.as_deref()).unwrap_or(Listing::Pending);
        let mut conn = state.pool.get().await?;
        let rows = service::list(&mut conn, &s.user, listing, None, 200).await?;
        let pushes = service::list_pushes(&mut conn, &s.user, listing, None, 200).await?;
        let tz = state.settings.timezone;
        let page = Outbox {
            f: Frame::of(
                &req,
                &state,
                &s,
                lang.t("Utboks for e-post og push", "Email and push outbox"),
                "/console/outbox",
            ),
            dead: listing == Listing::Dead,
            notice: q.done.as_deref().map(|done| {
                if done == "push" {
                    lang.t(
                        "Pushvarselet er lagt i køen igjen.",
                        "The push is back in the queue.",
                    )
                } else {
                    lang.t(
                        "E-posten er lagt i køen igjen.",
                        "The email is back in the queue.",
                    )
                }
                .to_owned()
            }),
            pushes: pushes
                .into_iter()
                .take(200)
                .map(|r| {
                    let device = r.device_id.simple().to_string();
                    (
                        r.id.to_string(),
                        r.kind,
                        format!("…{}", &device[device.len() - 8..]),
                        r.attempts,
                        i18n::short_datetime(lang, tz, r.next_attempt_at),
                        r.last_error.unwrap_or_default(),
                    )
                })
                .collect(),
            rows: rows
                .into_iter()
                .take(200)
                .map(|r| {
                    (
                        r.id.to_string(),
                        r.kind,
                        mask_address(&r.to_address),
                        r.attempts,
                        i18n::short_datetime(lang, tz, r.next_attempt_at),
                        r.last_error.unwrap_or_default(),
                    )
                })
                .collect(),
        };
        Ok(http::page(StatusCode::OK, render(&page)?))
    }
    .await;
    finish(&req, &state, result)
}

pub async fn retry(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let form = FormData::parse(&body);
    let result = async {
        let s = form_session!(req, state, form);
        let id = http::path_id(&path, "no such email")?;
        let mut conn = state.pool.get().await?;
        service::retry(&mut conn, &s.user, id).await?;
        Ok(http::redirect(
            "/console/outbox?status=pending&done=retried",
        ))
    }
    .await;
    finish(&req, &state, result)
}

pub async fn retry_push(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let form = FormData::parse(&body);
    let result = async {
        let s = form_session!(req, state, form);
        let id = http::path_id(&path, "no such push")?;
        let mut conn = state.pool.get().await?;
        service::retry_push(&mut conn, &s.user, id).await?;
        Ok(http::redirect("/console/outbox?status=pending&done=push"))
    }
    .await;
    finish(&req, &state, result)
}
