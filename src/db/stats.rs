//! Aggregate figures over tasks and claims, for the council overview (and the programme
//! reports built on the same query). Never per volunteer: releases are not counted per
//! person anywhere.

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
    /// Minutes credited on completed claims.
    pub minutes: i64,
    /// Distinct volunteers with an active or completed claim.
    pub volunteers: i64,
}

/// Per category, for tasks of `council_id` starting in `[from, to)`: the programme
/// report's query grouped by category, so the meeting page and the report agree.
pub async fn by_category(
    conn: &mut AsyncPgConnection,
    council_id: Option<Uuid>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> QueryResult<Vec<CategoryFigures>> {
    let rows =
        crate::db::reports::summary(conn, GroupBy::Category, council_id, None, from, to, "UTC")
            .await?;
    Ok(rows
        .into_iter()
        .filter(|r| r.tasks_starting > 0)
        .filter_map(|r| {
            let category_id = r.key.as_deref().and_then(|k| Uuid::parse_str(k).ok())?;
            Some(CategoryFigures {
                category_id,
                posted: r.tasks_starting,
                claimed: r.claimed,
                completed: r.completed,
                withdrawn: r.withdrawn,
                expired: r.expired,
                cancelled: r.cancelled,
                minutes: r.minutes,
                volunteers: r.active_volunteers,
            })
        })
        .collect())
}
