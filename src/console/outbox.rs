//! The admins' outbox page: pending and dead rows of every channel — emails by their
//! masked address, pushes by the end of their device's id — and a retry for each.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use serde::Deserialize;

use super::i18n;
use super::render;
use super::views::{Frame, Outbox, OutboxLine};
use crate::domain::notification::Channel;
use crate::email::mask_address;
use crate::routes::state::AppState;
use crate::services::outbox::{self as service, Listing};
use crate::web::http;
use crate::web::{Admin, Form, Lang, Page, PageResult, SignedIn};

#[derive(Deserialize)]
pub struct Query {
    status: Option<String>,
    done: Option<String>,
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: SignedIn<Admin>,
    q: web::Query<Query>,
) -> PageResult {
    let lang = Lang::of(&req);
    let listing = Listing::parse(q.status.as_deref()).unwrap_or(Listing::Pending);
    let mut conn = state.pool.get().await?;
    let rows = service::list(&mut conn, &s.user, listing, None, None, 200).await?;
    let tz = state.settings.timezone;
    let page = Outbox {
        f: Frame::of(
            &req,
            &state,
            &s,
            lang.t("outbox-email-push-outbox"),
            "/console/outbox",
        ),
        dead: listing == Listing::Dead,
        notice: q
            .done
            .as_deref()
            .map(|_| lang.t("outbox-notification-back-queue").to_owned()),
        rows: rows
            .into_iter()
            .take(200)
            .map(|r| {
                let to = match (&r.to_address, r.device_id) {
                    (Some(address), _) => mask_address(address),
                    (None, Some(device)) => {
                        let device = device.simple().to_string();
                        format!("…{}", &device[device.len() - 8..])
                    }
                    (None, None) => String::new(),
                };
                OutboxLine {
                    id: r.id.to_string(),
                    channel: match Channel::parse(&r.channel) {
                        Some(Channel::Email) => lang.t("common-email"),
                        Some(Channel::Fcm) => lang.t("outbox-push-app"),
                        None => lang.t("outbox-unknown"),
                    },
                    kind: r.kind,
                    to,
                    attempts: r.attempts,
                    next: i18n::short_datetime(lang, tz, r.next_attempt_at),
                    error: r.last_error.unwrap_or_default(),
                }
            })
            .collect(),
    };
    Ok(Page::html(StatusCode::OK, render(&page)?))
}

pub async fn retry(
    state: web::Data<AppState>,
    Form { session: s, .. }: Form<Admin>,
    path: web::Path<String>,
) -> PageResult {
    let id = http::path_id(&path, "no such notification in the outbox")?;
    let mut conn = state.pool.get().await?;
    service::retry(&mut conn, &s.user, id, None).await?;
    Ok(Page::redirect(
        "/console/outbox?status=pending&done=retried",
    ))
}
