//! Council opt-outs, yearly reviews and the yearly-meeting overview page.

use crate::domain::problem::FieldProblem;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, NaiveDate, Utc};
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::body::Deferred;
use crate::auth::{AuthUser, permissions};
use crate::catalogue::{fill, text};
use crate::db::opt_outs::{OptOutRow, ReviewRow};
use crate::domain::Language;
use crate::domain::account::Role;
use crate::email::templates::escape_html;
use crate::error::{ApiError, ApiResult};
use crate::routes::state::AppState;
use crate::services::opt_outs::{self as service, Decision, Listing, Overview, ReviewInput};
use crate::validation::non_null;

#[derive(Debug, Serialize)]
pub struct OptOutResponse {
    pub id: Uuid,
    pub council_id: Uuid,
    pub category_id: Uuid,
    pub reason: String,
    pub review_by: NaiveDate,
    #[serde(serialize_with = "crate::domain::time::millis")]
    pub created_at: DateTime<Utc>,
}

impl From<OptOutRow> for OptOutResponse {
    fn from(o: OptOutRow) -> Self {
        Self {
            id: o.id,
            council_id: o.council_id,
            category_id: o.category_id,
            reason: o.reason,
            review_by: o.review_by,
            created_at: o.created_at,
        }
    }
}

/// One event of the opt-out history: what, when, why — never who (a coordinator is a
/// person, and the history is public).
#[derive(Debug, Serialize)]
pub struct OptOutEvent {
    pub kind: &'static str,
    pub council_id: Uuid,
    pub category_id: Uuid,
    #[serde(serialize_with = "crate::domain::time::millis")]
    pub at: DateTime<Utc>,
    pub reason: String,
}

fn events_of(rows: Vec<OptOutRow>) -> Vec<OptOutEvent> {
    let mut events = Vec::new();
    for o in rows {
        events.push(OptOutEvent {
            kind: "opt_out",
            council_id: o.council_id,
            category_id: o.category_id,
            at: o.created_at,
            reason: o.reason.clone(),
        });
        if let (Some(at), Some(reason)) = (o.ended_at, o.end_reason) {
            events.push(OptOutEvent {
                kind: "opt_in",
                council_id: o.council_id,
                category_id: o.category_id,
                at,
                reason,
            });
        }
    }
    events.sort_by_key(|e| e.at);
    events
}

#[derive(Debug, Deserialize)]
pub struct OptOutQuery {
    pub due: Option<String>,
}

fn flag(field: &str, raw: Option<&str>) -> Result<bool, ApiError> {
    match raw {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(_) => Err(ApiError::invalid_field(field, FieldProblem::NotTrueOrFalse)),
    }
}

/// The opt-outs in force (`?due=true`: those past their review date).
pub async fn list_opt_outs(
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    query: web::Query<OptOutQuery>,
) -> ApiResult<HttpResponse> {
    let listing = if flag("due", query.due.as_deref())? {
        Listing::Due
    } else {
        Listing::InForce
    };
    let mut conn = state.pool.get().await?;
    let rows = service::list(
        &mut conn,
        &state.settings,
        state.clock.now(),
        id.into_inner(),
        listing,
    )
    .await?;
    let items: Vec<OptOutResponse> = rows.into_iter().map(Into::into).collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({ "items": items, "next_cursor": null })))
}

/// Every opt-out and opt-in of the council, oldest first.
pub async fn list_opt_out_events(
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.pool.get().await?;
    let rows = service::list(
        &mut conn,
        &state.settings,
        state.clock.now(),
        id.into_inner(),
        Listing::History,
    )
    .await?;
    Ok(HttpResponse::Ok()
        .json(serde_json::json!({ "items": events_of(rows), "next_cursor": null })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptOutRequest {
    pub reason: String,
    #[serde(default, deserialize_with = "non_null")]
    pub review_by: Option<NaiveDate>,
}

pub async fn put_opt_out(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
    body: Deferred<OptOutRequest>,
) -> ApiResult<HttpResponse> {
    permissions::require_role(&user, &[Role::Coordinator, Role::Admin])?;
    let body = body.parse()?;
    let (council, category) = path.into_inner();
    let mut conn = state.pool.get().await?;
    let (row, created) = conn
        .transaction(async |conn| {
            service::opt_out(
                conn,
                &state.settings,
                state.clock.now(),
                &user,
                council,
                category,
                &body.reason,
                body.review_by,
            )
            .await
        })
        .await?;
    let mut response = if created {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    };
    Ok(response.json(OptOutResponse::from(row)))
}

#[derive(Debug, Deserialize)]
pub struct OptInQuery {
    pub reason: Option<String>,
}

pub async fn delete_opt_out(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
    query: web::Query<OptInQuery>,
) -> ApiResult<HttpResponse> {
    let (council, category) = path.into_inner();
    let reason = query.reason.clone().unwrap_or_default();
    let mut conn = state.pool.get().await?;
    conn.transaction(async |conn| service::opt_in(conn, &user, council, category, &reason).await)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    pub category_id: Uuid,
    pub decision: Decision,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    pub held_on: NaiveDate,
    #[serde(default)]
    pub participants: String,
    #[serde(default)]
    pub notes: String,
    pub decisions: Vec<DecisionRequest>,
}

#[derive(Debug, Serialize)]
pub struct DecisionResponse {
    pub category_id: Uuid,
    pub decision: String,
}

#[derive(Debug, Serialize)]
pub struct ReviewResponse {
    pub id: Uuid,
    pub council_id: Uuid,
    pub held_on: NaiveDate,
    pub participants: String,
    pub notes: String,
    pub decisions: Vec<DecisionResponse>,
    pub created_by: Option<Uuid>,
    #[serde(serialize_with = "crate::domain::time::millis")]
    pub created_at: DateTime<Utc>,
}

impl From<(ReviewRow, Vec<(Uuid, String)>)> for ReviewResponse {
    fn from((r, d): (ReviewRow, Vec<(Uuid, String)>)) -> Self {
        Self {
            id: r.id,
            council_id: r.council_id,
            held_on: r.held_on,
            participants: r.participants,
            notes: r.notes,
            decisions: d
                .into_iter()
                .map(|(category_id, decision)| DecisionResponse {
                    category_id,
                    decision,
                })
                .collect(),
            created_by: r.created_by,
            created_at: r.created_at,
        }
    }
}

pub async fn create_review(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: Deferred<ReviewRequest>,
) -> ApiResult<HttpResponse> {
    permissions::require_role(&user, &[Role::Coordinator, Role::Admin])?;
    let body = body.parse()?;
    let b = body.into_inner();
    let input = ReviewInput {
        held_on: b.held_on,
        participants: b.participants,
        notes: b.notes,
        decisions: b
            .decisions
            .into_iter()
            .map(|d| (d.category_id, d.decision))
            .collect(),
    };
    let council = id.into_inner();
    let mut conn = state.pool.get().await?;
    let review = conn
        .transaction(async |conn| {
            service::review(
                conn,
                &state.settings,
                state.clock.now(),
                &user,
                council,
                input,
            )
            .await
        })
        .await?;
    Ok(HttpResponse::Created().json(ReviewResponse::from(review)))
}

pub async fn list_reviews(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.pool.get().await?;
    let reviews = service::reviews(&mut conn, &user, id.into_inner()).await?;
    let items: Vec<ReviewResponse> = reviews.into_iter().map(Into::into).collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({ "items": items, "next_cursor": null })))
}

pub async fn due_reviews(state: web::Data<AppState>, user: AuthUser) -> ApiResult<HttpResponse> {
    let mut conn = state.pool.get().await?;
    let rows =
        service::due_everywhere(&mut conn, &state.settings, state.clock.now(), &user).await?;
    let items: Vec<OptOutResponse> = rows.into_iter().map(Into::into).collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({ "items": items, "next_cursor": null })))
}

#[derive(Debug, Deserialize)]
pub struct OverviewQuery {
    pub year: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct CategoryFiguresResponse {
    pub category_id: Uuid,
    pub slug: String,
    pub name_nb: String,
    pub name_nn: String,
    pub name_en: String,
    pub posted: i64,
    pub claimed: i64,
    pub completed: i64,
    pub withdrawn: i64,
    pub expired: i64,
    pub cancelled: i64,
    /// `null` where the cell concerns fewer than three people (as in the report).
    pub hours: Option<f64>,
    pub volunteers: Option<i64>,
}

fn overview_json(o: &Overview) -> serde_json::Value {
    let categories: Vec<CategoryFiguresResponse> = o
        .categories
        .iter()
        .map(|(c, f)| CategoryFiguresResponse {
            category_id: c.id,
            slug: c.slug.clone(),
            name_nb: c.name_nb.clone(),
            name_nn: c.name_nn.clone(),
            name_en: c.name_en.clone(),
            posted: f.posted,
            claimed: f.claimed,
            completed: f.completed,
            withdrawn: f.withdrawn,
            expired: f.expired,
            cancelled: f.cancelled,
            hours: f.minutes.map(|m| m as f64 / 60.0),
            volunteers: f.volunteers,
        })
        .collect();
    let in_force: Vec<OptOutResponse> = o.in_force.iter().cloned().map(Into::into).collect();
    let history: Vec<OptOutEvent> = events_of(o.history.clone())
        .into_iter()
        .filter(|e| e.at >= o.from && e.at < o.to)
        .collect();
    let reviews: Vec<ReviewResponse> = o.reviews.iter().cloned().map(Into::into).collect();
    serde_json::json!({
        "council_id": o.council_id,
        "council_name": o.council_name,
        "year": o.year,
        "categories": categories,
        "opt_outs_in_force": in_force,
        "opt_out_history": history,
        "reviews": reviews,
    })
}

/// The printable meeting page: Norwegian, no external assets, a bar chart per category.
fn overview_html(o: &Overview, l: Language) -> String {
    let t = |key: &'static str| escape_html(text(l, key));
    let mut rows = String::new();
    let max = o
        .categories
        .iter()
        .map(|(_, f)| f.posted)
        .max()
        .unwrap_or(0)
        .max(1);
    for (c, f) in &o.categories {
        let bar = |value: i64, colour: &str, y: i64, label: &str| {
            let width = value * 300 / max;
            format!(
                "<rect x=\"90\" y=\"{y}\" width=\"{width}\" height=\"12\" fill=\"{colour}\"/><text x=\"0\" y=\"{}\" font-size=\"11\">{label}</text><text x=\"{}\" y=\"{}\" font-size=\"11\">{value}</text>",
                y + 10,
                95 + width,
                y + 10
            )
        };
        let name = escape_html(c.name(l));
        let svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"440\" height=\"84\" role=\"img\" aria-label=\"{name}\">{}{}{}{}{}</svg>",
            bar(f.posted, "#005aa0", 0, &t("meeting-posted")),
            bar(f.claimed, "#2e8540", 16, &t("meeting-taken")),
            bar(f.completed, "#1b5e20", 32, &t("meeting-done")),
            bar(f.withdrawn, "#b35900", 48, &t("meeting-withdrawn")),
            bar(f.expired, "#888888", 64, &t("meeting-expired")),
        );
        rows.push_str(&format!(
            "<tr><td>{name}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{svg}</td></tr>\n",
            f.posted,
            f.claimed,
            f.completed,
            f.withdrawn,
            f.expired,
            f.minutes.map_or_else(
                || "–".to_owned(),
                |m| crate::domain::written::decimal(l, m as f64 / 60.0, 1)
            ),
            f.volunteers.map_or_else(|| "–".to_owned(), |v| v.to_string())
        ));
    }
    if rows.is_empty() {
        rows.push_str(&format!(
            "<tr><td colspan=\"9\">{}</td></tr>\n",
            t("meeting-no-tasks")
        ));
    }
    let category_name = |id: Uuid| {
        o.categories
            .iter()
            .find(|(c, _)| c.id == id)
            .map(|(c, _)| c.name(l).to_owned())
            .unwrap_or_else(|| id.to_string())
    };
    let date = |d: chrono::NaiveDate| crate::domain::written::date(l, d);
    let mut opt_outs = String::new();
    for oo in &o.in_force {
        let line = fill(
            l,
            "meeting-opt-out-line",
            &[
                ("category", category_name(oo.category_id).into()),
                ("since", date(oo.created_at.date_naive()).into()),
                ("reason", oo.reason.as_str().into()),
                ("review_by", date(oo.review_by).into()),
            ],
        );
        opt_outs.push_str(&format!("<li>{}</li>\n", escape_html(&line)));
    }
    if opt_outs.is_empty() {
        opt_outs.push_str(&format!("<li>{}</li>\n", t("meeting-none")));
    }
    let mut history = String::new();
    for e in events_of(o.history.clone())
        .into_iter()
        .filter(|e| e.at >= o.from && e.at < o.to)
    {
        let what = if e.kind == "opt_out" {
            t("meeting-opted-out")
        } else {
            t("meeting-opted-in")
        };
        history.push_str(&format!(
            "<li>{} {}: {} — {}</li>\n",
            date(e.at.date_naive()),
            what,
            escape_html(&category_name(e.category_id)),
            escape_html(&e.reason)
        ));
    }
    if history.is_empty() {
        history.push_str(&format!("<li>{}</li>\n", t("meeting-no-changes")));
    }
    let mut reviews = String::new();
    for (r, decisions) in &o.reviews {
        let decided: Vec<String> = decisions
            .iter()
            .map(|(cat, d)| {
                let key = match d.as_str() {
                    "keep" => "meeting-decision-keep",
                    "opt_in" => "meeting-decision-opt-in",
                    _ => "meeting-decision-take",
                };
                escape_html(&fill(l, key, &[("category", category_name(*cat).into())]))
            })
            .collect();
        reviews.push_str(&format!(
            "<li>{}: {}. {}</li>\n",
            date(r.held_on),
            escape_html(&r.notes),
            decided.join("; ")
        ));
    }
    if reviews.is_empty() {
        reviews.push_str(&format!("<li>{}</li>\n", t("meeting-no-reviews")));
    }
    let name_year = [
        ("name", o.council_name.as_str().into()),
        ("year", o.year.to_string().into()),
    ];
    format!(
        r#"<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:sans-serif;margin:2em;color:#1b1b1b}}table{{border-collapse:collapse;width:100%}}th,td{{border-bottom:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}}td:nth-child(n+2):not(:last-child){{text-align:right}}@media print{{body{{margin:0}}}}</style>
</head><body>
<h1>{heading}</h1>
<p>{intro}</p>
<h2>{per_category}</h2>
<table><thead><tr><th>{category}</th><th>{posted}</th><th>{taken}</th><th>{done}</th><th>{withdrawn}</th><th>{expired}</th><th>{hours}</th><th>{volunteers}</th><th></th></tr></thead>
<tbody>
{rows}</tbody></table>
<h2>{opted_out}</h2>
<ul>
{opt_outs}</ul>
<h2>{changes}</h2>
<ul>
{history}</ul>
<h2>{past}</h2>
<ul>
{reviews}</ul>
</body></html>
"#,
        lang = l.as_str(),
        title = escape_html(&fill(l, "meeting-title", &name_year)),
        heading = escape_html(&fill(l, "meeting-heading", &name_year)),
        intro = escape_html(&fill(l, "meeting-intro", &name_year)),
        per_category = t("meeting-per-category"),
        category = t("meeting-category"),
        posted = t("meeting-posted"),
        taken = t("meeting-taken"),
        done = t("meeting-done"),
        withdrawn = t("meeting-withdrawn"),
        expired = t("meeting-expired"),
        hours = t("meeting-hours"),
        volunteers = t("meeting-volunteers"),
        opted_out = t("meeting-opted-out-heading"),
        changes = escape_html(&fill(l, "meeting-changes", &name_year)),
        past = t("meeting-past-reviews"),
    )
}

/// The overview's year: this year in the deployment's zone, or the one asked for.
fn overview_year(state: &AppState, query: &OverviewQuery) -> ApiResult<i32> {
    match query.year.as_deref() {
        None => Ok(chrono::Datelike::year(
            &state.clock.now().with_timezone(&state.settings.timezone),
        )),
        Some(raw) => raw
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or_else(|| ApiError::invalid_field("year", FieldProblem::OutsideYears)),
    }
}

async fn load_overview(
    state: &AppState,
    user: &AuthUser,
    id: Uuid,
    query: &OverviewQuery,
) -> ApiResult<Overview> {
    let year = overview_year(state, query)?;
    let mut conn = state.pool.get().await?;
    Ok(service::overview(&mut conn, &state.settings, user, id, year).await?)
}

pub async fn overview(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    query: web::Query<OverviewQuery>,
) -> ApiResult<HttpResponse> {
    let overview = load_overview(&state, &user, id.into_inner(), &query).await?;
    Ok(HttpResponse::Ok().json(overview_json(&overview)))
}

/// The same overview as a printable page for the meeting (its own operation, so a generated
/// client's JSON type is never widened to "or a string").
pub async fn overview_page(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    query: web::Query<OverviewQuery>,
) -> ApiResult<HttpResponse> {
    let overview = load_overview(&state, &user, id.into_inner(), &query).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(overview_html(&overview, user.language)))
}
