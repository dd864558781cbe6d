//! The report for the caller's scope (a staff member's unit) over whole months: a table,
//! a server-drawn SVG chart with the same figures, and the CSV the API serves — all with
//! the API's small-cell suppression, since it is the same use case.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use super::render;
use super::views::{Frame, Report, ReportLine};
use crate::domain::error::ErrorCode;
use crate::routes::state::AppState;
use crate::services::reports::{self, ReportQuery, Summary};
use crate::services::sessions::Session;
use crate::web::{Lang, Page, PageResult, SignedIn};

#[derive(Deserialize)]
pub struct Query {
    from: Option<String>,
    to: Option<String>,
    group: Option<String>,
    format: Option<String>,
}

/// `2026-03` → its first day; `last` → its last day.
fn month(raw: &str, last: bool) -> Option<NaiveDate> {
    let first = NaiveDate::parse_from_str(&format!("{raw}-01"), "%Y-%m-%d").ok()?;
    if !last {
        return Some(first);
    }
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)?
    };
    next.pred_opt()
}

fn figure(lang: super::Lang, v: Option<i64>) -> String {
    v.map_or_else(
        || "–".to_owned(),
        |v| crate::domain::written::whole(lang.0, v),
    )
}

fn hours(lang: super::Lang, v: Option<f64>) -> String {
    v.map_or_else(
        || "–".to_owned(),
        |h| crate::domain::written::decimal(lang.0, h, 1),
    )
}

/// Bars of posted and completed tasks per row, with the figures written beside them.
fn chart(lang: super::Lang, s: &Summary) -> String {
    let rows: Vec<(&str, i64, i64)> = s
        .rows
        .iter()
        .map(|r| (r.label.as_str(), r.figures.posted, r.figures.completed))
        .collect();
    let max = rows.iter().map(|r| r.1.max(r.2)).max().unwrap_or(0).max(1);
    let (label_w, bar_w, row_h) = (220.0, 300.0, 34.0);
    let height = 30.0 + row_h * rows.len().max(1) as f64;
    let esc = crate::email::templates::escape_html;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {height}\" role=\"img\" aria-labelledby=\"chart-caption\">",
        w = label_w + bar_w + 60.0
    );
    svg.push_str(&format!(
        "<rect x=\"{label_w}\" y=\"4\" width=\"12\" height=\"12\" fill=\"#00509e\"/><text x=\"{}\" y=\"15\" font-size=\"12\" fill=\"#1b1f24\">{}</text>\
         <rect x=\"{}\" y=\"4\" width=\"12\" height=\"12\" fill=\"#1d6b2c\"/><text x=\"{}\" y=\"15\" font-size=\"12\" fill=\"#1b1f24\">{}</text>",
        label_w + 16.0,
        lang.t("common-posted"),
        label_w + 110.0,
        label_w + 126.0,
        lang.t("common-completed"),
    ));
    for (i, (label, posted, completed)) in rows.iter().enumerate() {
        let y = 26.0 + row_h * i as f64;
        let w = |v: i64| (v as f64 / max as f64 * bar_w).max(1.0);
        svg.push_str(&format!(
            "<text x=\"{x}\" y=\"{ty}\" font-size=\"12\" text-anchor=\"end\" fill=\"#1b1f24\">{label}</text>\
             <rect x=\"{label_w}\" y=\"{y}\" width=\"{pw}\" height=\"13\" fill=\"#00509e\"/>\
             <text x=\"{px}\" y=\"{py}\" font-size=\"11\" fill=\"#1b1f24\">{posted}</text>\
             <rect x=\"{label_w}\" y=\"{y2}\" width=\"{cw}\" height=\"13\" fill=\"#1d6b2c\"/>\
             <text x=\"{cx}\" y=\"{cy}\" font-size=\"11\" fill=\"#1b1f24\">{completed_text}</text>",
            x = label_w - 8.0,
            ty = y + 18.0,
            label = esc(label),
            posted = crate::domain::written::whole(lang.0, *posted),
            completed_text = crate::domain::written::whole(lang.0, *completed),
            pw = w(*posted),
            px = label_w + w(*posted) + 4.0,
            py = y + 11.0,
            y2 = y + 14.0,
            cw = w(*completed),
            cx = label_w + w(*completed) + 4.0,
            cy = y + 25.0,
        ));
    }
    svg.push_str("</svg>");
    svg
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: SignedIn,
    q: web::Query<Query>,
) -> PageResult {
    page(&req, &state, &s, q.into_inner()).await
}

async fn page(req: &HttpRequest, state: &AppState, s: &Session, q: Query) -> PageResult {
    let lang = Lang::of(req);
    let year = state
        .clock
        .now()
        .with_timezone(&state.settings.timezone)
        .year();
    let from_raw = q
        .from
        .clone()
        .filter(|f| !f.is_empty())
        .unwrap_or_else(|| format!("{year}-01"));
    let to_raw =
        q.to.clone()
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| format!("{year}-12"));
    let group = match q.group.as_deref() {
        Some(g @ ("council" | "month" | "unit")) => g.to_owned(),
        _ => "category".to_owned(),
    };
    let query = match (month(&from_raw, false), month(&to_raw, true)) {
        (Some(f), Some(t)) => Some(ReportQuery {
            from: Some(f.to_string()),
            to: Some(t.to_string()),
            group_by: Some(group.clone()),
        }),
        _ => None,
    };
    let mut conn = state.pool.get().await?;
    let summary = match &query {
        Some(query) => match reports::summary(
            &mut conn,
            &state.settings,
            &s.user,
            query,
            state.clock.now(),
        )
        .await
        {
            Ok(summary) => Ok(summary),
            Err(e) if e.code() == ErrorCode::ValidationFailed => {
                Err(lang.t("report-period-invalid-choose-from"))
            }
            Err(e) => return Err(e.into()),
        },
        None => Err(lang.t("report-choose-months-such-as")),
    };
    if q.format.as_deref() == Some("csv")
        && let Ok(summary) = &summary
    {
        return Ok(Page::export(crate::routes::reports::csv_response(
            summary,
            Some(lang.0),
        )));
    }
    let title = lang.t("common-report");
    let mut csv = url::form_urlencoded::Serializer::new(String::new());
    csv.append_pair("from", &from_raw)
        .append_pair("to", &to_raw)
        .append_pair("format", "csv");
    let (error, chart_svg, rows) = match summary {
        Err(e) => (Some(e.to_owned()), String::new(), Vec::new()),
        Ok(summary) => {
            let whole = |n: i64| crate::domain::written::whole(lang.0, n);
            let line = |label: String, total: bool, f: &reports::Figures| ReportLine {
                label,
                total,
                cells: vec![
                    whole(f.posted),
                    whole(f.filled),
                    whole(f.completed),
                    whole(f.cancelled),
                    whole(f.expired),
                    hours(lang, f.volunteer_hours),
                    figure(lang, f.active_volunteers),
                ],
            };
            let mut rows: Vec<ReportLine> = summary
                .rows
                .iter()
                .map(|r| line(r.label.clone(), false, &r.figures))
                .collect();
            rows.push(line(
                lang.t("report-total").to_owned(),
                true,
                &summary.totals,
            ));
            (None, chart(lang, &summary), rows)
        }
    };
    let page = Report {
        f: Frame::of(req, state, s, title, "/console/report"),
        from: from_raw,
        to: to_raw,
        error,
        csv_href: format!("/console/report?{}", csv.finish()),
        group: group.clone(),
        groups: [
            ("category", lang.t("common-category")),
            ("council", lang.t("common-council")),
            ("month", lang.t("report-month")),
            ("unit", lang.t("common-service-unit")),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect(),
        chart: chart_svg,
        rows,
    };
    Ok(Page::html(StatusCode::OK, render(&page)?))
}
