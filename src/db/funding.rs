//! Queries for the funding key: its amounts per year and the councils' residents 0–19.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::db::schema::{council_residents as residents, councils, funding_parameters as params};
use crate::reference::FundingSeed;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = params, check_for_backend(diesel::pg::Pg))]
pub struct ParametersRow {
    pub year: i32,
    pub base_nok: i64,
    pub per_child_nok: i64,
    pub pot_nok: i64,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = residents, check_for_backend(diesel::pg::Pg))]
pub struct ResidentsRow {
    pub council_id: Uuid,
    pub year: i32,
    pub residents_0_19: i32,
    pub source: String,
    pub as_of: NaiveDate,
    pub entered_at: DateTime<Utc>,
}

/// Loads the data file's amounts when no year has any (a new database, or one that
/// predates the funding key).
pub async fn load_parameters_if_empty(
    conn: &mut AsyncPgConnection,
    seeds: &[FundingSeed],
) -> QueryResult<()> {
    let count: i64 = params::table.count().get_result(conn).await?;
    if count > 0 || seeds.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = seeds
        .iter()
        .map(|s| {
            (
                params::year.eq(s.year),
                params::base_nok.eq(s.base_nok),
                params::per_child_nok.eq(s.per_child_nok),
                params::pot_nok.eq(s.pot_nok),
            )
        })
        .collect();
    diesel::insert_into(params::table)
        .values(&rows)
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    tracing::info!(
        years = rows.len(),
        "loaded the funding key from the municipality data file"
    );
    Ok(())
}

pub async fn parameters(
    conn: &mut AsyncPgConnection,
    year: i32,
) -> QueryResult<Option<ParametersRow>> {
    params::table
        .find(year)
        .select(ParametersRow::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn upsert_parameters(
    conn: &mut AsyncPgConnection,
    year: i32,
    base_nok: i64,
    per_child_nok: i64,
    pot_nok: i64,
) -> QueryResult<ParametersRow> {
    diesel::insert_into(params::table)
        .values((
            params::year.eq(year),
            params::base_nok.eq(base_nok),
            params::per_child_nok.eq(per_child_nok),
            params::pot_nok.eq(pot_nok),
        ))
        .on_conflict(params::year)
        .do_update()
        .set((
            params::base_nok.eq(base_nok),
            params::per_child_nok.eq(per_child_nok),
            params::pot_nok.eq(pot_nok),
            params::updated_at.eq(diesel::dsl::now),
        ))
        .returning(ParametersRow::as_returning())
        .get_result(conn)
        .await
}

/// The active councils with their eligibility and their figure for `year`, by name.
pub async fn councils_with_residents(
    conn: &mut AsyncPgConnection,
    year: i32,
) -> QueryResult<Vec<(Uuid, String, bool, Option<ResidentsRow>)>> {
    let councils: Vec<(Uuid, String, bool)> = councils::table
        .filter(councils::active.eq(true))
        .order(councils::name.asc())
        .select((councils::id, councils::name, councils::eligible))
        .load(conn)
        .await?;
    let figures: Vec<ResidentsRow> = residents::table
        .filter(residents::year.eq(year))
        .select(ResidentsRow::as_select())
        .load(conn)
        .await?;
    Ok(councils
        .into_iter()
        .map(|(id, name, eligible)| {
            let figure = figures.iter().find(|f| f.council_id == id).cloned();
            (id, name, eligible, figure)
        })
        .collect())
}

pub struct NewResidents<'a> {
    pub council_id: Uuid,
    pub year: i32,
    pub residents_0_19: i32,
    pub source: &'a str,
    pub as_of: NaiveDate,
    pub entered_by: Uuid,
}

pub async fn upsert_residents(
    conn: &mut AsyncPgConnection,
    r: &NewResidents<'_>,
) -> QueryResult<ResidentsRow> {
    diesel::insert_into(residents::table)
        .values((
            residents::council_id.eq(r.council_id),
            residents::year.eq(r.year),
            residents::residents_0_19.eq(r.residents_0_19),
            residents::source.eq(r.source),
            residents::as_of.eq(r.as_of),
            residents::entered_by.eq(r.entered_by),
        ))
        .on_conflict((residents::council_id, residents::year))
        .do_update()
        .set((
            residents::residents_0_19.eq(r.residents_0_19),
            residents::source.eq(r.source),
            residents::as_of.eq(r.as_of),
            residents::entered_by.eq(r.entered_by),
            residents::entered_at.eq(diesel::dsl::now),
        ))
        .returning(ResidentsRow::as_returning())
        .get_result(conn)
        .await
}
