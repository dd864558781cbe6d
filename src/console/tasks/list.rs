//! The unit's task list: filters and cursor pages.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde::Deserialize;
use uuid::Uuid;

use super::super::i18n;

use super::super::render;
use super::super::task_fields::{category_name, status_label};
use super::super::views::{Frame, TaskLine, Tasks};
use crate::domain::task::TaskStatus;
use crate::routes::state::AppState;
use crate::services::reference::{self as reference};
use crate::services::sessions::Session;
use crate::services::tasks::{self as service};
use crate::web::{Lang, Page, PageResult, SignedIn, Staff};

const PAGE_SIZE: i64 = 25;

#[derive(Deserialize)]
pub struct ListQuery {
    status: Option<String>,
    category: Option<String>,
    from: Option<String>,
    to: Option<String>,
    after: Option<String>,
    done: Option<String>,
}

fn day_start(tz: chrono_tz::Tz, raw: &str) -> Option<DateTime<Utc>> {
    let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok()?;
    crate::domain::time::check_date(date).ok()?;
    tz.from_local_datetime(&date.and_hms_opt(0, 0, 0)?)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: SignedIn<Staff>,
    q: web::Query<ListQuery>,
) -> PageResult {
    list_page(&req, &state, &s, q.into_inner()).await
}

async fn list_page(req: &HttpRequest, state: &AppState, s: &Session, q: ListQuery) -> PageResult {
    let lang = Lang::of(req);
    let tz = state.settings.timezone;
    let mut conn = state.pool.get().await?;
    let choices = reference::choices(&mut conn).await?;
    let status_raw = q.status.clone().unwrap_or_else(|| "live".into());
    let statuses = match status_raw.as_str() {
        "all" => Vec::new(),
        "live" => vec![TaskStatus::Open, TaskStatus::Filled],
        other => TaskStatus::parse(other).into_iter().collect(),
    };
    let mut error = None;
    let mut parse_day = |raw: &Option<String>, plus_day: bool| -> Option<DateTime<Utc>> {
        let raw = raw.as_deref().filter(|r| !r.is_empty())?;
        let day = day_start(tz, raw).map(|t| {
            if plus_day {
                t + chrono::Duration::days(1)
            } else {
                t
            }
        });
        if day.is_none() {
            error = Some(lang.t("tasks-date-invalid").to_owned());
        }
        day
    };
    let from = parse_day(&q.from, false);
    let to = parse_day(&q.to, true);
    let category_id = q.category.as_deref().and_then(|c| Uuid::parse_str(c).ok());
    let query = service::TaskQuery {
        statuses,
        category_id,
        from,
        to,
        ..Default::default()
    };
    let after = q.after.as_deref().and_then(|a| {
        let (when, id) = a.split_once('_')?;
        Some((
            DateTime::parse_from_rfc3339(when).ok()?.with_timezone(&Utc),
            Uuid::parse_str(id).ok()?,
        ))
    });
    let mut views = service::list(
        &mut conn,
        &s.user,
        state.settings.timezone,
        &query,
        state.clock.now(),
        after,
        PAGE_SIZE,
    )
    .await?;
    let next = if views.len() > PAGE_SIZE as usize {
        views.truncate(PAGE_SIZE as usize);
        views.last().map(|v| {
            let cursor = format!(
                "{}_{}",
                v.task
                    .starts_at
                    .to_rfc3339_opts(chrono::SecondsFormat::Nanos, true),
                v.task.id
            );
            let mut params = url::form_urlencoded::Serializer::new(String::new());
            params.append_pair("status", &status_raw);
            for (k, val) in [("category", &q.category), ("from", &q.from), ("to", &q.to)] {
                if let Some(val) = val {
                    params.append_pair(k, val);
                }
            }
            params.append_pair("after", &cursor);
            format!("/console/tasks?{}", params.finish())
        })
    } else {
        None
    };
    let rows = views
        .iter()
        .map(|v| TaskLine {
            href: format!("/console/tasks/{}", v.task.id),
            title: v.task.title.clone(),
            starts: i18n::short_datetime(lang, tz, v.task.starts_at),
            category: category_name(lang, &choices, v.task.category_id),
            status: status_label(lang, v.task.status).to_owned(),
            status_key: v.task.status.as_str().to_owned(),
            spots: format!("{} / {}", v.task.active_claims, v.task.spots),
        })
        .collect();
    let mut status_options = vec![
        ("live".to_owned(), lang.t("tasks-open-filled").to_owned()),
        ("all".to_owned(), lang.t("common-all").to_owned()),
    ];
    for st in [
        TaskStatus::Open,
        TaskStatus::Filled,
        TaskStatus::Completed,
        TaskStatus::Cancelled,
        TaskStatus::Expired,
        TaskStatus::Withdrawn,
    ] {
        status_options.push((st.as_str().to_owned(), status_label(lang, st).to_owned()));
    }
    let notice = match q.done.as_deref() {
        Some("called-off") => Some(lang.t("tasks-task-cancelled").to_owned()),
        _ => None,
    };
    let page = Tasks {
        f: Frame::of(req, state, s, lang.t("common-tasks"), "/console/tasks"),
        notice,
        statuses: status_options,
        status: status_raw,
        categories: choices
            .categories
            .iter()
            .map(|c| (c.id.to_string(), category_name(lang, &choices, c.id)))
            .collect(),
        category: category_id.map(|c| c.to_string()).unwrap_or_default(),
        from: q.from.unwrap_or_default(),
        to: q.to.unwrap_or_default(),
        error,
        rows,
        next,
    };
    Ok(Page::html(StatusCode::OK, render(&page)?))
}
