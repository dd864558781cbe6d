//! The feed, a task's page with `Ta oppdraget`, `Gi fra meg oppdraget` and `Varsle meg`,
//! Mine oppdrag and Invitasjoner. Every action goes through the use cases the API calls,
//! in one transaction with the record of its form's key, so that a second submit of the
//! same rendered form (a double tap, a reload) finds the first one's answer instead of
//! acting twice.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use chrono::{DateTime, NaiveDate, SecondsFormat, TimeZone, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::Deserialize;
use uuid::Uuid;

use super::refusals::explain;
use super::views::{
    Action, Card, Choice, Feed, Frame, Held, Invitation, Invitations, Mine, Private, Release, Task,
};
use crate::domain::Language;
use crate::domain::error::DomainError;
use crate::domain::ids::TaskId;
use crate::domain::task::{ClaimStatus, TaskStatus};
use crate::routes::state::AppState;
use crate::services::sessions::Session;
use crate::services::tasks::{self as service, TaskQuery, TaskView};
use crate::services::{form_submits, invitations, reference, watches};
use crate::web::http::path_id;
use crate::web::{Form, Lang, Page, PageResult, Refusal, SignedIn, VolunteerPage};

/// Tasks per page of the feed.
const PAGE_SIZE: i64 = 20;

/// Category names by id (of every category: a task may be in one no longer offered), in
/// the reader's language.
fn names_of(all: &reference::Choices, language: Language) -> HashMap<Uuid, String> {
    all.categories
        .iter()
        .map(|c| (c.id, c.name(language).to_owned()))
        .collect()
}

async fn category_names(
    conn: &mut AsyncPgConnection,
    language: Language,
) -> Result<HashMap<Uuid, String>, DomainError> {
    Ok(names_of(&reference::everything(conn).await?, language))
}

fn card(lang: Lang, state: &AppState, names: &HashMap<Uuid, String>, view: &TaskView) -> Card {
    let task = &view.task;
    let free = (task.spots - task.active_claims).max(0);
    let spots = if free == 0 || task.status == TaskStatus::Filled {
        lang.t("site-full").to_owned()
    } else {
        crate::catalogue::fill(
            lang.0,
            "site-free-spots",
            &[("count", i64::from(free).into())],
        )
    };
    Card {
        href: format!("/oppgaver/{}", task.id),
        category: names.get(&task.category_id).cloned().unwrap_or_default(),
        title: task.title.clone(),
        when: crate::domain::written::datetime(lang.0, state.settings.timezone, task.starts_at),
        area: task.area_hint.clone(),
        spots,
        needs_qualification: view
            .missing_qualifications
            .as_ref()
            .is_some_and(|m| !m.is_empty()),
        held: view
            .my_claim
            .as_ref()
            .is_some_and(|c| c.status == ClaimStatus::Active),
    }
}

fn private_of(view: &TaskView) -> Option<Private> {
    view.private.as_ref().map(|p| Private {
        address: p.address.clone(),
        recipient_name: p.recipient_name.clone(),
        recipient_phone: p.recipient_phone.clone(),
        notes: p.notes.clone(),
    })
}

#[derive(Deserialize, Default)]
pub struct FeedQuery {
    kategori: Option<String>,
    utvalg: Option<String>,
    mitt: Option<String>,
    fra: Option<String>,
    til: Option<String>,
    etter: Option<String>,
}

/// A date field of the filter as the start of that day (or of the next, for `til`) in
/// the municipality's zone; empty is no bound.
fn day_start(
    zone: chrono_tz::Tz,
    raw: Option<&str>,
    next: bool,
) -> Result<Option<DateTime<Utc>>, ()> {
    let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
        return Ok(None);
    };
    let day = NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| ())?;
    let day = if next { day.succ_opt().ok_or(())? } else { day };
    let midnight = day.and_hms_opt(0, 0, 0).ok_or(())?;
    zone.from_local_datetime(&midnight)
        .earliest()
        .map(|t| Some(t.with_timezone(&Utc)))
        .ok_or(())
}

/// The feed's cursor after a task: its start and id, as the feed is ordered.
fn cursor_of(starts_at: DateTime<Utc>, id: Uuid) -> String {
    format!(
        "{}~{id}",
        starts_at.to_rfc3339_opts(SecondsFormat::Micros, true)
    )
}

fn parse_cursor(raw: &str) -> Option<(DateTime<Utc>, Uuid)> {
    let (when, id) = raw.split_once('~')?;
    Some((
        DateTime::parse_from_rfc3339(when).ok()?.with_timezone(&Utc),
        Uuid::parse_str(id).ok()?,
    ))
}

/// `/oppgaver`: the open tasks this volunteer may take, soonest first, filtered and in
/// pages of twenty.
pub async fn feed(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: SignedIn<VolunteerPage>,
    query: web::Query<FeedQuery>,
) -> PageResult {
    let lang = Lang::of(&req);
    let zone = state.settings.timezone;
    let q = query.into_inner();
    let mut errors = Vec::new();
    let not_date = crate::domain::problem::FieldProblem::NotDate.message(lang.0);
    let from = day_start(zone, q.fra.as_deref(), false).unwrap_or_else(|()| {
        errors.push(format!("{}: {not_date}", lang.t("site-filter-from")));
        None
    });
    let to = day_start(zone, q.til.as_deref(), true).unwrap_or_else(|()| {
        errors.push(format!("{}: {not_date}", lang.t("site-filter-to")));
        None
    });
    let pick = |raw: &Option<String>| raw.as_deref().and_then(|r| Uuid::parse_str(r).ok());
    let category_id = pick(&q.kategori);
    let my_council = q.mitt.is_some() && s.user.council_id.is_some();
    let council_id = if my_council {
        s.user.council_id
    } else {
        pick(&q.utvalg)
    };
    let task_query = TaskQuery {
        category_id,
        council_id,
        from,
        to,
        ..TaskQuery::default()
    };
    let after = q.etter.as_deref().and_then(parse_cursor);
    let mut conn = state.pool.get().await?;
    let mut views = service::list(
        &mut conn,
        &s.user,
        zone,
        &task_query,
        state.clock.now(),
        after,
        PAGE_SIZE,
    )
    .await?;
    let next = if views.len() > PAGE_SIZE as usize {
        views.truncate(PAGE_SIZE as usize);
        views.last().map(|v| {
            let mut url = url::form_urlencoded::Serializer::new(String::new());
            for (name, value) in [
                ("kategori", &q.kategori),
                ("utvalg", &q.utvalg),
                ("mitt", &q.mitt),
                ("fra", &q.fra),
                ("til", &q.til),
            ] {
                if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
                    url.append_pair(name, v);
                }
            }
            url.append_pair("etter", &cursor_of(v.task.starts_at, v.task.id));
            format!("/oppgaver?{}", url.finish())
        })
    } else {
        None
    };
    // One read of the reference data: every category named, the active ones offered.
    let all = reference::everything(&mut conn).await?;
    let names = names_of(&all, lang.0);
    let page = Feed {
        f: Frame::of(&req, &state, &s, lang.t("site-feed-title"), "/oppgaver"),
        cards: views
            .iter()
            .map(|v| card(lang, &state, &names, v))
            .collect(),
        categories: all
            .categories
            .iter()
            .filter(|c| c.active)
            .map(|c| Choice {
                value: c.id.to_string(),
                label: c.name(lang.0).to_owned(),
                selected: Some(c.id) == category_id,
            })
            .collect(),
        councils: all
            .councils
            .iter()
            .filter(|c| c.active)
            .map(|c| Choice {
                value: c.id.to_string(),
                label: c.name.clone(),
                selected: !my_council && Some(c.id) == council_id,
            })
            .collect(),
        from: q.fra.unwrap_or_default(),
        to: q.til.unwrap_or_default(),
        my_council,
        has_council: s.user.council_id.is_some(),
        errors,
        next,
    };
    Page::render(StatusCode::OK, &page)
}

#[derive(Deserialize, Default)]
pub struct TaskPageQuery {
    gjort: Option<String>,
}

/// What a finished action says on the task page it returns to.
fn done_text(lang: Lang, done: Option<&str>) -> Option<String> {
    let key = match done? {
        "tatt" => "site-done-claimed",
        "gitt-fra" => "site-done-released",
        "varsler" => "site-watching",
        "varsler-ikke" => "site-done-unwatched",
        _ => return None,
    };
    Some(lang.t(key).to_owned())
}

/// The task page, with a refusal next to its button when an action was refused.
async fn task_page(
    req: &HttpRequest,
    state: &AppState,
    s: &Session,
    id: Uuid,
    status: StatusCode,
    done: Option<String>,
    refusal: Option<String>,
) -> PageResult {
    let lang = Lang::of(req);
    let zone = state.settings.timezone;
    let now = state.clock.now();
    let mut conn = state.pool.get().await?;
    let view = service::get(&mut conn, &s.user, zone, id).await?;
    let names = category_names(&mut conn, lang.0).await?;
    let task = &view.task;
    let holds = view
        .my_claim
        .as_ref()
        .is_some_and(|c| c.status == ClaimStatus::Active);
    let open_to_take = task.status.is_live() && task.starts_at > now;
    let action = if holds && open_to_take {
        Action::Release
    } else if !open_to_take || holds {
        Action::None
    } else if task.status == TaskStatus::Open && task.active_claims < task.spots {
        Action::Claim
    } else {
        let watching = watches::mine(&mut conn, &s.user, now)
            .await?
            .iter()
            .any(|(_, t)| t.id == id);
        Action::Watch { watching }
    };
    let contact = view.unit.as_ref().map(|(name, email, phone)| match phone {
        Some(phone) => format!("{name}, {phone}, {email}"),
        None => format!("{name}, {email}"),
    });
    let page = Task {
        f: Frame::of(req, state, s, &task.title, ""),
        id: id.to_string(),
        card: card(lang, state, &names, &view),
        description: task.description.clone(),
        private: private_of(&view),
        contact,
        action,
        form_key: Uuid::new_v4().to_string(),
        done,
        refusal,
    };
    Page::render(status, &page)
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: SignedIn<VolunteerPage>,
    path: web::Path<String>,
    query: web::Query<TaskPageQuery>,
) -> PageResult {
    let id = path_id(&path, "no such task")?;
    let lang = Lang::of(&req);
    let done = done_text(lang, query.gjort.as_deref());
    task_page(&req, &state, &s, id, StatusCode::OK, done, None).await
}

/// A form's key: what the page put in it, else a new one (a form from elsewhere is then
/// simply not protected against its own double submit).
fn form_key(form: &crate::web::http::FormData) -> String {
    form.get("key")
        .filter(|k| k.len() <= 64)
        .map_or_else(|| Uuid::new_v4().to_string(), str::to_owned)
}

/// What a form of the volunteer web does once: a claim or a release of a task, or the
/// claim that says yes to an invitation.
#[derive(Clone, Copy)]
enum Act {
    Claim(Uuid),
    Release(Uuid),
    Accept { invitation: Uuid },
}

impl Act {
    /// The path the form posts to: its key's namespace.
    fn form_path(self) -> String {
        match self {
            Self::Claim(task) => format!("/oppgaver/{task}/ta"),
            Self::Release(task) => format!("/oppgaver/{task}/gi-fra"),
            Self::Accept { invitation } => format!("/invitasjoner/{invitation}/ja"),
        }
    }
}

/// Does `act` once per form key: the first submit acts and records where it led in the
/// same transaction; a repeated one (a double tap, a reload, or one that ran alongside
/// the first and lost to it as "submitted twice" or "already claimed") is sent there
/// too. The outer error is a failure; the inner one the use case's refusal, for the
/// caller to draw next to its button.
async fn once(
    state: &AppState,
    s: &Session,
    form: &crate::web::http::FormData,
    act: Act,
) -> Result<Result<String, DomainError>, Refusal> {
    let key = form_key(form);
    let form_path = act.form_path();
    let mut conn = state.pool.get().await?;
    if let Some(location) = form_submits::led_to(&mut conn, s.user.id, &form_path, &key).await? {
        return Ok(Ok(location));
    }
    let task = match act {
        Act::Claim(task) | Act::Release(task) => task,
        Act::Accept { invitation } => match invited_task(&mut conn, state, s, invitation).await {
            Ok(task) => task,
            Err(e) => return Ok(Err(e)),
        },
    };
    let user = s.user.clone();
    let zone = state.settings.timezone;
    let now = state.clock.now();
    let outcome = conn
        .transaction(async |conn| {
            let done = match act {
                Act::Claim(_) | Act::Accept { .. } => {
                    service::claim(conn, &user, TaskId(task), zone, now).await?;
                    "tatt"
                }
                Act::Release(_) => {
                    service::release(conn, &user, task, now).await?;
                    "gitt-fra"
                }
            };
            let led_to = format!("/oppgaver/{task}?gjort={done}");
            form_submits::remember(conn, user.id, &form_path, &key, led_to).await
        })
        .await;
    match outcome {
        Ok(location) => Ok(Ok(location)),
        Err(e) => match form_submits::led_to(&mut conn, s.user.id, &form_path, &key).await? {
            Some(location) => Ok(Ok(location)),
            None if form_submits::is_submitted_twice(&e) => Err(e.into()),
            None => Ok(Err(e)),
        },
    }
}

/// A task page's action done once: to where it led, or the task page with the refusal.
async fn on_task_page(
    req: &HttpRequest,
    state: &AppState,
    s: &Session,
    form: &crate::web::http::FormData,
    act: Act,
    task: Uuid,
) -> PageResult {
    match once(state, s, form, act).await? {
        Ok(location) => Ok(Page::redirect(&location)),
        Err(e) => refused(req, state, s, task, e).await,
    }
}

/// The task page again, the refusal next to its button; what is no refusal of the
/// person's (not found, a failure) is an error page.
async fn refused(
    req: &HttpRequest,
    state: &AppState,
    s: &Session,
    id: Uuid,
    e: DomainError,
) -> PageResult {
    match explain(Lang::of(req), &e) {
        Some(text) => {
            let status = crate::error::status_of(e.code());
            task_page(req, state, s, id, status, None, Some(text)).await
        }
        None => Err(e.into()),
    }
}

/// `Ta oppdraget`: the claim, with every check the API makes, in the same order.
pub async fn claim(
    req: HttpRequest,
    state: web::Data<AppState>,
    Form {
        session: s,
        data: form,
        ..
    }: Form<VolunteerPage>,
    path: web::Path<String>,
) -> PageResult {
    let id = path_id(&path, "no such task")?;
    on_task_page(&req, &state, &s, &form, Act::Claim(id), id).await
}

/// The one confirmation a release asks for.
pub async fn release_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: SignedIn<VolunteerPage>,
    path: web::Path<String>,
) -> PageResult {
    let id = path_id(&path, "no such task")?;
    let lang = Lang::of(&req);
    let mut conn = state.pool.get().await?;
    let view = service::get(&mut conn, &s.user, state.settings.timezone, id).await?;
    let holds = view
        .my_claim
        .as_ref()
        .is_some_and(|c| c.status == ClaimStatus::Active);
    if !holds {
        return Ok(Page::redirect(&format!("/oppgaver/{id}")));
    }
    let page = Release {
        f: Frame::of(&req, &state, &s, lang.t("site-release-title"), ""),
        id: id.to_string(),
        title: view.task.title.clone(),
        when: crate::domain::written::datetime(
            lang.0,
            state.settings.timezone,
            view.task.starts_at,
        ),
        form_key: Uuid::new_v4().to_string(),
    };
    Page::render(StatusCode::OK, &page)
}

/// `Ja, gi fra meg oppdraget`: the release, no reason asked.
pub async fn release(
    req: HttpRequest,
    state: web::Data<AppState>,
    Form {
        session: s,
        data: form,
        ..
    }: Form<VolunteerPage>,
    path: web::Path<String>,
) -> PageResult {
    let id = path_id(&path, "no such task")?;
    on_task_page(&req, &state, &s, &form, Act::Release(id), id).await
}

/// `Varsle meg`: watching a full task (a second watch changes nothing).
pub async fn watch(
    req: HttpRequest,
    state: web::Data<AppState>,
    Form { session: s, .. }: Form<VolunteerPage>,
    path: web::Path<String>,
) -> PageResult {
    let id = path_id(&path, "no such task")?;
    let mut conn = state.pool.get().await?;
    let user = s.user.clone();
    let now = state.clock.now();
    let outcome = conn
        .transaction(async |conn| watches::watch(conn, &user, id, now).await)
        .await;
    drop(conn);
    match outcome {
        Ok(_) => Ok(Page::redirect(&format!("/oppgaver/{id}?gjort=varsler"))),
        Err(e) => refused(&req, &state, &s, id, e).await,
    }
}

/// `Ikke varsle meg` (stopping a watch that has already stopped is done too).
pub async fn unwatch(
    state: web::Data<AppState>,
    Form { session: s, .. }: Form<VolunteerPage>,
    path: web::Path<String>,
) -> PageResult {
    let id = path_id(&path, "no such task")?;
    let mut conn = state.pool.get().await?;
    match watches::unwatch(&mut conn, &s.user, id).await {
        Ok(()) => {}
        Err(e) if e.code() == crate::domain::error::ErrorCode::NotFound => {}
        Err(e) => return Err(e.into()),
    }
    Ok(Page::redirect(&format!(
        "/oppgaver/{id}?gjort=varsler-ikke"
    )))
}

/// Claims the person holds or held: upcoming ones first, with the private block.
const MINE_LIMIT: i64 = 200;

pub async fn mine(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: SignedIn<VolunteerPage>,
) -> PageResult {
    let lang = Lang::of(&req);
    let now = state.clock.now();
    let mut conn = state.pool.get().await?;
    let rows = service::my_claims(
        &mut conn,
        &s.user,
        state.settings.timezone,
        None,
        MINE_LIMIT,
    )
    .await?;
    let names = category_names(&mut conn, lang.0).await?;
    let mut upcoming = Vec::new();
    let mut past = Vec::new();
    for (claim, view) in &rows {
        let outcome = match claim.status {
            ClaimStatus::Active => None,
            ClaimStatus::Completed => claim.minutes.map(|m| {
                let hours = crate::domain::written::decimal(lang.0, f64::from(m) / 60.0, 1);
                lang.fill("site-mine-hours", "hours", &hours)
            }),
            ClaimStatus::Released => Some(lang.t("site-mine-released").to_owned()),
            ClaimStatus::Voided => Some(lang.t("site-mine-voided").to_owned()),
        };
        let held = Held {
            card: card(lang, &state, &names, view),
            private: private_of(view),
            outcome,
        };
        if claim.status == ClaimStatus::Active && view.task.starts_at > now {
            upcoming.push(held);
        } else {
            past.push(held);
        }
    }
    // Soonest first; the past newest first, as the claims came.
    upcoming.reverse();
    let page = Mine {
        f: Frame::of(&req, &state, &s, lang.t("site-mine-title"), "/mine"),
        upcoming,
        past,
    };
    Page::render(StatusCode::OK, &page)
}

#[derive(Deserialize, Default)]
pub struct InvitationsQuery {
    gjort: Option<String>,
}

async fn invitations_page(
    req: &HttpRequest,
    state: &AppState,
    s: &Session,
    status: StatusCode,
    done: Option<String>,
    refusal: Option<(String, String)>,
) -> PageResult {
    let lang = Lang::of(req);
    let zone = state.settings.timezone;
    let mut conn = state.pool.get().await?;
    let rows = invitations::mine(&mut conn, &s.user, state.clock.now()).await?;
    let (invited, tasks): (Vec<_>, Vec<_>) = rows.into_iter().unzip();
    let views = service::views(&mut conn, &s.user, zone, tasks).await?;
    let names = category_names(&mut conn, lang.0).await?;
    let items = invited
        .iter()
        .zip(&views)
        .map(|(invitation, view)| Invitation {
            id: invitation.id.to_string(),
            card: card(lang, state, &names, view),
            form_key: Uuid::new_v4().to_string(),
        })
        .collect();
    let page = Invitations {
        f: Frame::of(
            req,
            state,
            s,
            lang.t("site-invitations-title"),
            "/invitasjoner",
        ),
        items,
        done,
        refusal,
    };
    Page::render(status, &page)
}

pub async fn invitations(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: SignedIn<VolunteerPage>,
    query: web::Query<InvitationsQuery>,
) -> PageResult {
    let lang = Lang::of(&req);
    let done =
        (query.gjort.as_deref() == Some("nei")).then(|| lang.t("site-done-declined").to_owned());
    invitations_page(&req, &state, &s, StatusCode::OK, done, None).await
}

/// The task of one of the person's open invitations.
async fn invited_task(
    conn: &mut AsyncPgConnection,
    state: &AppState,
    s: &Session,
    invitation: Uuid,
) -> Result<Uuid, DomainError> {
    invitations::mine(conn, &s.user, state.clock.now())
        .await?
        .into_iter()
        .find(|(i, _)| i.id == invitation)
        .map(|(_, t)| t.id)
        .ok_or_else(|| DomainError::not_found("no such invitation"))
}

/// `Si ja`: the claim, as `Ta oppdraget`; a refusal is shown next to the invitation.
pub async fn accept(
    req: HttpRequest,
    state: web::Data<AppState>,
    Form {
        session: s,
        data: form,
        ..
    }: Form<VolunteerPage>,
    path: web::Path<String>,
) -> PageResult {
    let invitation = path_id(&path, "no such invitation")?;
    match once(&state, &s, &form, Act::Accept { invitation }).await? {
        Ok(location) => Ok(Page::redirect(&location)),
        Err(e) => match explain(Lang::of(&req), &e) {
            Some(text) => {
                let status = crate::error::status_of(e.code());
                let refusal = Some((invitation.to_string(), text));
                invitations_page(&req, &state, &s, status, None, refusal).await
            }
            None => Err(e.into()),
        },
    }
}

/// `Nei takk`: the unit is never told.
pub async fn decline(
    state: web::Data<AppState>,
    Form { session: s, .. }: Form<VolunteerPage>,
    path: web::Path<String>,
) -> PageResult {
    let invitation = path_id(&path, "no such invitation")?;
    let mut conn = state.pool.get().await?;
    match invitations::decline(&mut conn, &s.user, invitation).await {
        Ok(()) => {}
        // Declined before (a double tap): declined all the same.
        Err(e) if e.code() == crate::domain::error::ErrorCode::NotFound => {}
        Err(e) => return Err(e.into()),
    }
    Ok(Page::redirect("/invitasjoner?gjort=nei"))
}
