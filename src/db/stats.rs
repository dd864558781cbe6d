//! Aggregate figures over tasks and claims, for the council overview (and the programme
//! reports built on the same query). Never per volunteer: releases are not counted per
//! person anywhere.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use crate::db::reports::GroupBy;

/// Figures for one category over the tasks that start in a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryFigures {
    pub category_id: Uuid,
    pub posted: i64,
    /// Tasks that found at least one volunteer.
    pub claimed: i64,
    pub completed: i64,
    pub withdrawn: i64,
    pub expired: i64,
    pub cancelled: i64,
    /// Minutes credited on completed claims; `None` where the cell is suppressed.
    pub minutes: Option<i64>,
    /// Distinct volunteers with an active or completed claim; `None` where suppressed.
    pub volunteers: Option<i64>,
}

/// Per category, for tasks of `council_id` starting in `[from, to)`: the programme
/// report's query grouped by category, with the report's small-cell suppression decided
/// over the same cells and totals, so the meeting page shows nothing the report hides.
pub async fn by_category(
    conn: &mut AsyncPgConnection,
    council_id: Option<Uuid>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> QueryResult<Vec<CategoryFigures>> {
    let rows =
        crate::db::reports::summary(conn, GroupBy::Category, council_id, None, from, to, "UTC")
            .await?;
    let totals =
        crate::db::reports::summary(conn, GroupBy::Total, council_id, None, from, to, "UTC")
            .await?;
    let people: Vec<HashSet<Uuid>> = rows
        .iter()
        .map(|r| r.people.iter().copied().collect())
        .collect();
    let all: HashSet<Uuid> = totals
        .iter()
        .flat_map(|t| t.people.iter().copied())
        .collect();
    let hidden = crate::domain::report::suppress(&people, &all);
    Ok(rows
        .into_iter()
        .zip(hidden.rows)
        .filter(|(r, _)| r.tasks_starting > 0)
        .filter_map(|(r, small)| {
            let category_id = r.key.as_deref().and_then(|k| Uuid::parse_str(k).ok())?;
            Some(CategoryFigures {
                category_id,
                posted: r.tasks_starting,
                claimed: r.claimed,
                completed: r.completed,
                withdrawn: r.withdrawn,
                expired: r.expired,
                cancelled: r.cancelled,
                minutes: (!small).then_some(r.minutes),
                volunteers: (!small).then_some(r.active_volunteers),
            })
        })
        .collect())
}
