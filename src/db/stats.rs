//! Aggregate figures over tasks and claims, for the council overview (and the programme
//! reports built on the same query). Never per volunteer: releases are not counted per
//! person anywhere.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

/// Figures for one category over the tasks that start in a period.
#[derive(Debug, Clone, QueryableByName, PartialEq, Eq)]
pub struct CategoryFigures {
    #[diesel(sql_type = SqlUuid)]
    pub category_id: Uuid,
    #[diesel(sql_type = BigInt)]
    pub posted: i64,
    /// Tasks that found at least one volunteer.
    #[diesel(sql_type = BigInt)]
    pub claimed: i64,
    #[diesel(sql_type = BigInt)]
    pub completed: i64,
    #[diesel(sql_type = BigInt)]
    pub withdrawn: i64,
    #[diesel(sql_type = BigInt)]
    pub expired: i64,
    #[diesel(sql_type = BigInt)]
    pub cancelled: i64,
    /// Minutes credited on completed claims.
    #[diesel(sql_type = BigInt)]
    pub minutes: i64,
    /// Distinct volunteers with an active or completed claim.
    #[diesel(sql_type = BigInt)]
    pub volunteers: i64,
}

/// Per category, for tasks of `council_id` starting in `[from, to)`.
pub async fn by_category(
    conn: &mut AsyncPgConnection,
    council_id: Option<Uuid>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> QueryResult<Vec<CategoryFigures>> {
    diesel::sql_query(
        "WITH scoped AS (
             SELECT t.* FROM tasks t
              WHERE ($1::uuid IS NULL OR t.council_id = $1) AND t.starts_at >= $2 AND t.starts_at < $3
         ), claim_figures AS (
             SELECT s.category_id,
                    coalesce(sum(c.minutes) FILTER (WHERE c.status = 'completed'), 0)::bigint AS minutes,
                    count(DISTINCT c.volunteer_id) FILTER (WHERE c.status IN ('active', 'completed'))::bigint AS volunteers
               FROM scoped s JOIN claims c ON c.task_id = s.id
              GROUP BY s.category_id
         )
         SELECT s.category_id,
                count(*)::bigint AS posted,
                count(*) FILTER (WHERE EXISTS (SELECT 1 FROM claims c WHERE c.task_id = s.id))::bigint AS claimed,
                count(*) FILTER (WHERE s.status = 'completed')::bigint AS completed,
                count(*) FILTER (WHERE s.status = 'withdrawn')::bigint AS withdrawn,
                count(*) FILTER (WHERE s.status = 'expired')::bigint AS expired,
                count(*) FILTER (WHERE s.status = 'cancelled')::bigint AS cancelled,
                coalesce(max(cf.minutes), 0)::bigint AS minutes,
                coalesce(max(cf.volunteers), 0)::bigint AS volunteers
           FROM scoped s LEFT JOIN claim_figures cf ON cf.category_id = s.category_id
          GROUP BY s.category_id
          ORDER BY s.category_id",
    )
    .bind::<Nullable<SqlUuid>, _>(council_id)
    .bind::<Timestamptz, _>(from)
    .bind::<Timestamptz, _>(to)
    .load(conn)
    .await
}
