//! Queries for council opt-outs and yearly reviews.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::domain::task::TaskStatus;
use uuid::Uuid;

use crate::db::schema::{
    council_opt_outs as oo, council_review_decisions as rd, council_reviews as cr, tasks,
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = oo, check_for_backend(diesel::pg::Pg))]
pub struct OptOutRow {
    pub id: Uuid,
    pub council_id: Uuid,
    pub category_id: Uuid,
    pub reason: String,
    pub review_by: NaiveDate,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub ended_by: Option<Uuid>,
    pub end_reason: Option<String>,
}

/// The one SQL form of "the task's council has not opted out of its category": every feed,
/// the invitations and the digest filter with it. Municipality-wide tasks (no council) are
/// never opted out.
#[diesel::dsl::auto_type]
pub fn task_not_opted_out() -> _ {
    let in_force = oo::table
        .filter(oo::ended_at.is_null())
        .filter(oo::council_id.nullable().eq(tasks::council_id))
        .filter(oo::category_id.eq(tasks::category_id));
    diesel::dsl::not(diesel::dsl::exists(in_force))
}

/// The opt-out in force for a council and category, if any.
pub async fn in_force(
    conn: &mut AsyncPgConnection,
    council_id: Uuid,
    category_id: Uuid,
) -> QueryResult<Option<OptOutRow>> {
    oo::table
        .filter(oo::council_id.eq(council_id))
        .filter(oo::category_id.eq(category_id))
        .filter(oo::ended_at.is_null())
        .select(OptOutRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// Opt-outs in force: of one council, or of all (`None`); only those past review if `due`.
pub async fn list_in_force(
    conn: &mut AsyncPgConnection,
    council_id: Option<Uuid>,
    due_by: Option<NaiveDate>,
) -> QueryResult<Vec<OptOutRow>> {
    let mut query = oo::table
        .filter(oo::ended_at.is_null())
        .select(OptOutRow::as_select())
        .order((oo::council_id, oo::created_at, oo::id))
        .into_boxed();
    if let Some(c) = council_id {
        query = query.filter(oo::council_id.eq(c));
    }
    if let Some(day) = due_by {
        query = query.filter(oo::review_by.le(day));
    }
    query.load(conn).await
}

/// Every opt-out of a council, ended or not, oldest first.
pub async fn history(
    conn: &mut AsyncPgConnection,
    council_id: Uuid,
) -> QueryResult<Vec<OptOutRow>> {
    oo::table
        .filter(oo::council_id.eq(council_id))
        .select(OptOutRow::as_select())
        .order((oo::created_at, oo::id))
        .load(conn)
        .await
}

pub async fn insert(
    conn: &mut AsyncPgConnection,
    council_id: Uuid,
    category_id: Uuid,
    reason: &str,
    review_by: NaiveDate,
    created_by: Uuid,
) -> QueryResult<OptOutRow> {
    diesel::insert_into(oo::table)
        .values((
            oo::id.eq(Uuid::now_v7()),
            oo::council_id.eq(council_id),
            oo::category_id.eq(category_id),
            oo::reason.eq(reason),
            oo::review_by.eq(review_by),
            oo::created_by.eq(created_by),
        ))
        .returning(OptOutRow::as_returning())
        .get_result(conn)
        .await
}

pub async fn end(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    by: Uuid,
    reason: &str,
) -> QueryResult<()> {
    diesel::update(oo::table.find(id))
        .set((
            oo::ended_at.eq(diesel::dsl::now),
            oo::ended_by.eq(by),
            oo::end_reason.eq(reason),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn set_review_by(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    review_by: NaiveDate,
) -> QueryResult<()> {
    diesel::update(oo::table.find(id))
        .set(oo::review_by.eq(review_by))
        .execute(conn)
        .await
        .map(|_| ())
}

/// Open tasks of the council and category without active claims, locked: they will be
/// withdrawn. The condition is re-checked under the lock, so a claim that commits first
/// keeps its task.
/// What an opt-out of `category` would do now: the open tasks nobody has claimed (they
/// would be withdrawn) and the live tasks somebody holds (they keep their volunteers).
pub async fn opt_out_effect(
    conn: &mut AsyncPgConnection,
    council_id: Uuid,
    category_id: Uuid,
) -> QueryResult<(i64, i64)> {
    let of_council = || {
        tasks::table
            .filter(tasks::council_id.eq(council_id))
            .filter(tasks::category_id.eq(category_id))
    };
    let withdrawn = of_council()
        .filter(tasks::status.eq(TaskStatus::Open))
        .filter(tasks::active_claims.eq(0))
        .count()
        .get_result(conn)
        .await?;
    let kept = of_council()
        .filter(tasks::status.eq_any([TaskStatus::Open, TaskStatus::Filled]))
        .filter(tasks::active_claims.gt(0))
        .count()
        .get_result(conn)
        .await?;
    Ok((withdrawn, kept))
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = cr, check_for_backend(diesel::pg::Pg))]
pub struct ReviewRow {
    pub id: Uuid,
    pub council_id: Uuid,
    pub held_on: NaiveDate,
    pub participants: String,
    pub notes: String,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

pub async fn insert_review(
    conn: &mut AsyncPgConnection,
    council_id: Uuid,
    held_on: NaiveDate,
    participants: &str,
    notes: &str,
    created_by: Uuid,
) -> QueryResult<ReviewRow> {
    diesel::insert_into(cr::table)
        .values((
            cr::id.eq(Uuid::now_v7()),
            cr::council_id.eq(council_id),
            cr::held_on.eq(held_on),
            cr::participants.eq(participants),
            cr::notes.eq(notes),
            cr::created_by.eq(created_by),
        ))
        .returning(ReviewRow::as_returning())
        .get_result(conn)
        .await
}

pub async fn insert_decision(
    conn: &mut AsyncPgConnection,
    review_id: Uuid,
    category_id: Uuid,
    decision: &str,
) -> QueryResult<()> {
    diesel::insert_into(rd::table)
        .values((
            rd::review_id.eq(review_id),
            rd::category_id.eq(category_id),
            rd::decision.eq(decision),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}

/// A council's reviews, newest first, each with its decisions.
pub async fn reviews(
    conn: &mut AsyncPgConnection,
    council_id: Uuid,
) -> QueryResult<Vec<(ReviewRow, Vec<(Uuid, String)>)>> {
    let reviews: Vec<ReviewRow> = cr::table
        .filter(cr::council_id.eq(council_id))
        .select(ReviewRow::as_select())
        .order((cr::held_on.desc(), cr::id.desc()))
        .load(conn)
        .await?;
    let ids: Vec<Uuid> = reviews.iter().map(|r| r.id).collect();
    let decisions: Vec<(Uuid, Uuid, String)> = rd::table
        .filter(rd::review_id.eq_any(&ids))
        .select((rd::review_id, rd::category_id, rd::decision))
        .order((rd::review_id, rd::category_id))
        .load(conn)
        .await?;
    Ok(reviews
        .into_iter()
        .map(|r| {
            let mine = decisions
                .iter()
                .filter(|d| d.0 == r.id)
                .map(|d| (d.1, d.2.clone()))
                .collect();
            (r, mine)
        })
        .collect())
}
