//! Queries for tasks, their private blocks, claims and events: the row types here, the
//! queries by concern in `write`, `private`, `claiming` and `read`, which use only what
//! this file shares.

mod claiming;
mod private;
mod read;
mod write;

pub use claiming::*;
pub use private::*;
pub use read::*;
pub use write::*;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::db::schema::{claims, task_events, task_private, tasks};
use crate::domain::task::{ClaimStatus, EventKind, TaskStatus};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = tasks, check_for_backend(diesel::pg::Pg))]
pub struct TaskRow {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    pub category_id: Uuid,
    pub council_id: Option<Uuid>,
    pub service_unit_id: Uuid,
    pub created_by: Option<Uuid>,
    pub status: TaskStatus,
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    pub duration_minutes: Option<i32>,
    pub spots: i32,
    pub active_claims: i32,
    pub area_hint: Option<String>,
    pub cancel_reason: Option<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The series this task is an occurrence of, and its local date in it.
    pub series_id: Option<Uuid>,
    pub occurrence_date: Option<chrono::NaiveDate>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = tasks)]
pub struct NewTaskRow {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    pub category_id: Uuid,
    pub council_id: Option<Uuid>,
    pub service_unit_id: Uuid,
    pub created_by: Option<Uuid>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    pub duration_minutes: Option<i32>,
    pub spots: i32,
    pub area_hint: Option<String>,
    pub series_id: Option<Uuid>,
    pub occurrence_date: Option<chrono::NaiveDate>,
}

/// Changes to a task's public fields; `None` leaves a column as it is.
#[derive(Debug, Default, Clone, AsChangeset)]
#[diesel(table_name = tasks)]
pub struct TaskChanges {
    pub title: Option<String>,
    pub description: Option<String>,
    pub category_id: Option<Uuid>,
    pub council_id: Option<Option<Uuid>>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<Option<DateTime<Utc>>>,
    pub duration_minutes: Option<Option<i32>>,
    pub spots: Option<i32>,
    pub area_hint: Option<Option<String>>,
    pub status: Option<TaskStatus>,
    pub cancel_reason: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = task_private, check_for_backend(diesel::pg::Pg), treat_none_as_null = true)]
pub struct TaskPrivateRow {
    pub task_id: Uuid,
    pub address: Option<String>,
    pub recipient_name: Option<String>,
    pub recipient_phone: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = claims, check_for_backend(diesel::pg::Pg))]
pub struct ClaimRow {
    pub id: Uuid,
    pub task_id: Uuid,
    pub volunteer_id: Uuid,
    pub status: ClaimStatus,
    pub claimed_at: DateTime<Utc>,
    pub released_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub minutes: Option<i32>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = task_events, check_for_backend(diesel::pg::Pg))]
pub struct TaskEventRow {
    pub id: Uuid,
    pub task_id: Uuid,
    pub actor_id: Option<Uuid>,
    pub kind: EventKind,
    pub fields: Vec<Option<String>>,
    pub created_at: DateTime<Utc>,
}

diesel::define_sql_function! {
    /// The effective end of a task in SQL (migration 14); the same rule as
    /// `domain::task::effective_end`, which a test checks.
    fn task_effective_end(
        starts_at: diesel::sql_types::Timestamptz,
        ends_at: diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>,
        duration_minutes: diesel::sql_types::Nullable<diesel::sql_types::Integer>,
    ) -> diesel::sql_types::Timestamptz;
}
