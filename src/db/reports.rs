//! The programme report's figures, grouped by council, category, month or unit. Never per
//! volunteer. Tasks count in the period of their `starts_at` ("posted" by `created_at`).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Double, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::domain::task::{ClaimStatus, TaskStatus};

/// One row of figures; `key` is the group's id (or `YYYY-MM` for months), `None` for
/// municipality-wide tasks when grouping by council.
#[derive(Debug, Clone, QueryableByName, PartialEq)]
pub struct ReportRow {
    #[diesel(sql_type = Nullable<Text>)]
    pub key: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub posted: i64,
    #[diesel(sql_type = BigInt)]
    pub filled: i64,
    #[diesel(sql_type = BigInt)]
    pub completed: i64,
    #[diesel(sql_type = BigInt)]
    pub cancelled: i64,
    #[diesel(sql_type = BigInt)]
    pub expired: i64,
    #[diesel(sql_type = BigInt)]
    pub withdrawn: i64,
    #[diesel(sql_type = BigInt)]
    pub claims_made: i64,
    #[diesel(sql_type = BigInt)]
    pub claims_released: i64,
    #[diesel(sql_type = BigInt)]
    pub minutes: i64,
    #[diesel(sql_type = BigInt)]
    pub active_volunteers: i64,
    #[diesel(sql_type = Nullable<Double>)]
    pub median_hours_to_first_claim: Option<f64>,
    #[diesel(sql_type = BigInt)]
    pub tasks_starting: i64,
    /// Tasks starting in the period that found at least one volunteer, at any time.
    #[diesel(sql_type = BigInt)]
    pub claimed: i64,
    #[diesel(sql_type = BigInt)]
    pub found_volunteer_before_start: i64,
    /// The distinct volunteers the cell's person figures count (active or completed
    /// claims, as `active_volunteers` does), for small-cell suppression only (never shown).
    /// Someone who only released is not among them: counting them would let a cell of
    /// two volunteers and one release show "2 active volunteers".
    #[diesel(sql_type = Array<SqlUuid>)]
    pub people: Vec<Uuid>,
}

/// What a report is grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    Council,
    Category,
    Month,
    Unit,
    /// Everything in one row (the totals).
    Total,
}

impl GroupBy {
    fn key_sql(self, alias: &str) -> String {
        match self {
            Self::Council => format!("{alias}.council_id::text"),
            Self::Category => format!("{alias}.category_id::text"),
            Self::Unit => format!("{alias}.service_unit_id::text"),
            Self::Month => format!("to_char({alias}.starts_at AT TIME ZONE $5, 'YYYY-MM')"),
            Self::Total => "'total'".to_owned(),
        }
    }
}

/// Figures per group for `[from, to)`, limited to one council or one unit when given.
/// `timezone` places months (Europe/Oslo by default).
pub async fn summary(
    conn: &mut AsyncPgConnection,
    group_by: GroupBy,
    council_id: Option<Uuid>,
    unit_id: Option<Uuid>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    timezone: &str,
) -> QueryResult<Vec<ReportRow>> {
    let key_started = group_by.key_sql("t");
    // "Posted" counts by created_at; months of posting use the creation month.
    let key_posted = match group_by {
        GroupBy::Month => "to_char(t.created_at AT TIME ZONE $5, 'YYYY-MM')".to_owned(),
        other => other.key_sql("t"),
    };
    // The statuses come from their enums, so the SQL and the code name them alike.
    let (claim_active, claim_completed, claim_released) = (
        ClaimStatus::Active.as_str(),
        ClaimStatus::Completed.as_str(),
        ClaimStatus::Released.as_str(),
    );
    let (task_completed, task_cancelled, task_expired, task_withdrawn) = (
        TaskStatus::Completed.as_str(),
        TaskStatus::Cancelled.as_str(),
        TaskStatus::Expired.as_str(),
        TaskStatus::Withdrawn.as_str(),
    );
    let sql = format!(
        "WITH scope AS (
             SELECT t.* FROM tasks t
              WHERE ($1::uuid IS NULL OR t.council_id = $1) AND ($2::uuid IS NULL OR t.service_unit_id = $2) AND $5::text IS NOT NULL
         ), started AS (
             SELECT {key_started} AS key, t.* FROM scope t WHERE t.starts_at >= $3 AND t.starts_at < $4
         ), posted AS (
             SELECT {key_posted} AS key, count(*) AS n FROM scope t WHERE t.created_at >= $3 AND t.created_at < $4 GROUP BY 1
         ), claim_facts AS (
             SELECT s.key, s.id AS task_id, c.*
               FROM started s JOIN claims c ON c.task_id = s.id
         ), per_task AS (
             SELECT s.key, s.id, s.status, s.spots, s.starts_at, s.created_at,
                    (SELECT count(*) FROM claims c WHERE c.task_id = s.id AND c.status IN ('{claim_active}', '{claim_completed}')) AS held,
                    (SELECT min(c.claimed_at) FROM claims c WHERE c.task_id = s.id) AS first_claim
               FROM started s
         ), by_key AS (
             SELECT p.key,
                    count(*) FILTER (WHERE p.held >= p.spots) AS filled,
                    count(*) FILTER (WHERE p.status = '{task_completed}') AS completed,
                    count(*) FILTER (WHERE p.status = '{task_cancelled}') AS cancelled,
                    count(*) FILTER (WHERE p.status = '{task_expired}') AS expired,
                    count(*) FILTER (WHERE p.status = '{task_withdrawn}') AS withdrawn,
                    count(*) AS tasks_starting,
                    count(*) FILTER (WHERE p.first_claim IS NOT NULL) AS claimed,
                    count(*) FILTER (WHERE p.first_claim < p.starts_at) AS found_before_start,
                    percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM p.first_claim - p.created_at) / 3600.0)
                        FILTER (WHERE p.first_claim IS NOT NULL) AS median_hours
               FROM per_task p GROUP BY p.key
         ), claim_key AS (
             SELECT cf.key,
                    count(*) AS claims_made,
                    count(*) FILTER (WHERE cf.status = '{claim_released}') AS claims_released,
                    coalesce(sum(cf.minutes) FILTER (WHERE cf.status = '{claim_completed}'), 0) AS minutes,
                    count(DISTINCT cf.volunteer_id) FILTER (WHERE cf.status IN ('{claim_active}', '{claim_completed}')) AS volunteers,
                    array_agg(DISTINCT cf.volunteer_id) FILTER (WHERE cf.status IN ('{claim_active}', '{claim_completed}')) AS people
               FROM claim_facts cf GROUP BY cf.key
         ), keys AS (
             SELECT key FROM by_key UNION SELECT key FROM posted
         )
         SELECT k.key,
                coalesce(po.n, 0)::bigint AS posted,
                coalesce(b.filled, 0)::bigint AS filled,
                coalesce(b.completed, 0)::bigint AS completed,
                coalesce(b.cancelled, 0)::bigint AS cancelled,
                coalesce(b.expired, 0)::bigint AS expired,
                coalesce(b.withdrawn, 0)::bigint AS withdrawn,
                coalesce(ck.claims_made, 0)::bigint AS claims_made,
                coalesce(ck.claims_released, 0)::bigint AS claims_released,
                coalesce(ck.minutes, 0)::bigint AS minutes,
                coalesce(ck.volunteers, 0)::bigint AS active_volunteers,
                b.median_hours::double precision AS median_hours_to_first_claim,
                coalesce(b.tasks_starting, 0)::bigint AS tasks_starting,
                coalesce(b.claimed, 0)::bigint AS claimed,
                coalesce(b.found_before_start, 0)::bigint AS found_volunteer_before_start,
                coalesce(ck.people, '{{}}')::uuid[] AS people
           FROM keys k
           LEFT JOIN by_key b ON b.key IS NOT DISTINCT FROM k.key
           LEFT JOIN posted po ON po.key IS NOT DISTINCT FROM k.key
           LEFT JOIN claim_key ck ON ck.key IS NOT DISTINCT FROM k.key
          ORDER BY k.key NULLS LAST"
    );
    diesel::sql_query(sql)
        .bind::<Nullable<SqlUuid>, _>(council_id)
        .bind::<Nullable<SqlUuid>, _>(unit_id)
        .bind::<Timestamptz, _>(from)
        .bind::<Timestamptz, _>(to)
        .bind::<Text, _>(timezone)
        .load(conn)
        .await
}
