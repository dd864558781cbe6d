//! Queries for qualification types, the categories' requirements and the records of who
//! showed what. A record never holds the document, its number or any text about a person.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Date, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::db::PgConn;
use crate::db::schema::{
    categories, category_qualifications as required, qualification_records as records,
    qualifications, users,
};
use crate::domain::qualification::Held;
use crate::reference::QualificationSeed;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = qualifications, check_for_backend(diesel::pg::Pg))]
pub struct QualificationRow {
    pub id: Uuid,
    pub slug: String,
    pub name_nb: String,
    pub name_nn: String,
    pub name_en: String,
    pub description_nb: String,
    pub description_en: String,
    pub legal_basis: String,
    pub valid_months: Option<i32>,
    pub max_age_days_when_seen: Option<i32>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl QualificationRow {
    /// The type's name in `language`.
    pub fn name(&self, language: crate::domain::Language) -> &str {
        language.pick(&self.name_nb, &self.name_nn, &self.name_en)
    }

    pub fn rule(&self) -> crate::domain::qualification::TypeRule {
        crate::domain::qualification::TypeRule {
            valid_months: self.valid_months,
            max_age_days_when_seen: self.max_age_days_when_seen,
        }
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = qualifications)]
pub struct NewQualificationRow<'a> {
    pub id: Uuid,
    pub slug: &'a str,
    pub name_nb: &'a str,
    pub name_nn: &'a str,
    pub name_en: &'a str,
    pub description_nb: &'a str,
    pub description_en: &'a str,
    pub legal_basis: &'a str,
    pub valid_months: Option<i32>,
    pub max_age_days_when_seen: Option<i32>,
}

/// What an admin may change of a type; `None` leaves a column as it is.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = qualifications)]
pub struct QualificationChanges {
    pub slug: Option<String>,
    pub name_nb: Option<String>,
    pub name_nn: Option<String>,
    pub name_en: Option<String>,
    pub description_nb: Option<String>,
    pub description_en: Option<String>,
    pub legal_basis: Option<String>,
    pub valid_months: Option<Option<i32>>,
    pub max_age_days_when_seen: Option<Option<i32>>,
    pub active: Option<bool>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = records, check_for_backend(diesel::pg::Pg))]
pub struct RecordRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub qualification_id: Uuid,
    pub seen_on: NaiveDate,
    pub issued_on: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    pub recorded_by: Option<Uuid>,
    pub recorded_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl RecordRow {
    pub fn held(&self) -> Held {
        Held {
            qualification_id: self.qualification_id,
            valid_until: self.valid_until,
            revoked: self.revoked_at.is_some(),
        }
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = records)]
pub struct NewRecordRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub qualification_id: Uuid,
    pub seen_on: NaiveDate,
    pub issued_on: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    pub recorded_by: Option<Uuid>,
}

diesel::define_sql_function! {
    /// The qualifications `category` requires that `person` has no valid record of on
    /// `on_date` (the migration's SQL twin of `domain::qualification::missing`).
    fn missing_qualifications(person: diesel::sql_types::Uuid, category: diesel::sql_types::Uuid, on_date: Date) -> diesel::sql_types::Array<diesel::sql_types::Uuid>;
}

/// A filter on `tasks`: the person qualifies for the task on its local start date in
/// `zone` (the digest).
pub fn task_qualifies(
    person: Uuid,
    zone: &str,
) -> Box<dyn BoxableExpression<crate::db::schema::tasks::table, diesel::pg::Pg, SqlType = Bool>> {
    Box::new(
        sql::<Bool>("cardinality(missing_qualifications(")
            .bind::<diesel::sql_types::Uuid, _>(person)
            .sql(", tasks.category_id, local_date(tasks.starts_at, ")
            .bind::<Text, _>(zone.to_owned())
            .sql("))) = 0"),
    )
}

/// A filter on `users`: the person qualifies for `category` on `on` (the directory).
pub fn user_qualifies(
    category: Uuid,
    on: NaiveDate,
) -> Box<dyn BoxableExpression<users::table, diesel::pg::Pg, SqlType = Bool>> {
    Box::new(
        sql::<Bool>("cardinality(missing_qualifications(users.id, ")
            .bind::<diesel::sql_types::Uuid, _>(category)
            .sql(", ")
            .bind::<Date, _>(on)
            .sql(")) = 0"),
    )
}

/// Loads the data file's types when there are none, with the categories' requirements
/// (matched by slug). Runs under the migration lock.
pub async fn load_if_empty(
    conn: &mut AsyncPgConnection,
    seeds: &[QualificationSeed],
    requirements: &[(String, Vec<String>)],
) -> QueryResult<()> {
    let count: i64 = qualifications::table.count().get_result(conn).await?;
    if count > 0 || seeds.is_empty() {
        return Ok(());
    }
    let rows: Vec<NewQualificationRow<'_>> = seeds
        .iter()
        .map(|q| NewQualificationRow {
            id: Uuid::now_v7(),
            slug: &q.slug,
            name_nb: &q.name_nb,
            name_nn: q.name_nn.as_deref().unwrap_or(&q.name_nb),
            name_en: &q.name_en,
            description_nb: &q.description_nb,
            description_en: &q.description_en,
            legal_basis: &q.legal_basis,
            valid_months: q.valid_months,
            max_age_days_when_seen: q.max_age_days_when_seen,
        })
        .collect();
    diesel::insert_into(qualifications::table)
        .values(&rows)
        .execute(conn)
        .await?;
    for (category, slugs) in requirements {
        let category_id: Option<Uuid> = categories::table
            .filter(categories::slug.eq(category))
            .select(categories::id)
            .first(conn)
            .await
            .optional()?;
        let Some(category_id) = category_id else {
            continue;
        };
        let ids: Vec<Uuid> = rows
            .iter()
            .filter(|r| slugs.iter().any(|s| s == r.slug))
            .map(|r| r.id)
            .collect();
        set_requirements(conn, category_id, &ids).await?;
    }
    tracing::info!(
        qualifications = rows.len(),
        "loaded qualification types from the municipality data file"
    );
    Ok(())
}

/// Every type, by Norwegian name.
pub async fn list(conn: &mut impl PgConn) -> QueryResult<Vec<QualificationRow>> {
    qualifications::table
        .select(QualificationRow::as_select())
        .order((qualifications::name_nb.asc(), qualifications::id.asc()))
        .load(conn)
        .await
}

pub async fn find(conn: &mut impl PgConn, id: Uuid) -> QueryResult<Option<QualificationRow>> {
    qualifications::table
        .find(id)
        .select(QualificationRow::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn insert(
    conn: &mut AsyncPgConnection,
    row: &NewQualificationRow<'_>,
) -> QueryResult<QualificationRow> {
    diesel::insert_into(qualifications::table)
        .values(row)
        .returning(QualificationRow::as_returning())
        .get_result(conn)
        .await
}

pub async fn update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    changes: &QualificationChanges,
) -> QueryResult<Option<QualificationRow>> {
    diesel::update(qualifications::table.find(id))
        .set((changes, qualifications::updated_at.eq(diesel::dsl::now)))
        .returning(QualificationRow::as_returning())
        .get_result(conn)
        .await
        .optional()
}

/// Every requirement as (category, qualification).
pub async fn all_requirements(conn: &mut impl PgConn) -> QueryResult<Vec<(Uuid, Uuid)>> {
    required::table
        .select((required::category_id, required::qualification_id))
        .order((required::category_id, required::qualification_id))
        .load(conn)
        .await
}

/// The requirements that apply (of active types) for these categories, as (category,
/// qualification).
pub async fn requirements_of(
    conn: &mut impl PgConn,
    category_ids: &[Uuid],
) -> QueryResult<Vec<(Uuid, Uuid)>> {
    required::table
        .inner_join(qualifications::table)
        .filter(required::category_id.eq_any(category_ids))
        .filter(qualifications::active.eq(true))
        .select((required::category_id, required::qualification_id))
        .order((required::category_id, required::qualification_id))
        .load(conn)
        .await
}

/// Replaces what `category_id` requires.
pub async fn set_requirements(
    conn: &mut AsyncPgConnection,
    category_id: Uuid,
    qualification_ids: &[Uuid],
) -> QueryResult<()> {
    diesel::delete(required::table.filter(required::category_id.eq(category_id)))
        .execute(conn)
        .await?;
    let rows: Vec<_> = qualification_ids
        .iter()
        .map(|q| {
            (
                required::category_id.eq(category_id),
                required::qualification_id.eq(*q),
            )
        })
        .collect();
    diesel::insert_into(required::table)
        .values(&rows)
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn insert_record(
    conn: &mut AsyncPgConnection,
    row: &NewRecordRow,
) -> QueryResult<RecordRow> {
    diesel::insert_into(records::table)
        .values(row)
        .returning(RecordRow::as_returning())
        .get_result(conn)
        .await
}

/// A person's records, newest first.
pub async fn records_of(conn: &mut impl PgConn, person: Uuid) -> QueryResult<Vec<RecordRow>> {
    records::table
        .filter(records::user_id.eq(person))
        .select(RecordRow::as_select())
        .order((records::recorded_at.desc(), records::id.desc()))
        .load(conn)
        .await
}

/// The records of several people that count for anything (not revoked).
pub async fn unrevoked_of_many(
    conn: &mut impl PgConn,
    people: &[Uuid],
) -> QueryResult<Vec<RecordRow>> {
    records::table
        .filter(records::user_id.eq_any(people))
        .filter(records::revoked_at.is_null())
        .select(RecordRow::as_select())
        .load(conn)
        .await
}

/// The person's unrevoked records of what the task's category requires, locked against
/// revocation until the transaction ends. A claim takes this lock before the task's, and
/// a revocation takes the record's before any task's, so the two never deadlock; a
/// revocation that holds the lock makes the claim wait and then see the record revoked.
pub async fn lock_for_claim(
    conn: &mut impl PgConn,
    person: Uuid,
    task_id: Uuid,
) -> QueryResult<Vec<RecordRow>> {
    use crate::db::schema::tasks;
    let wanted = required::table
        .inner_join(tasks::table.on(tasks::category_id.eq(required::category_id)))
        .filter(tasks::id.eq(task_id))
        .select(required::qualification_id);
    records::table
        .filter(records::user_id.eq(person))
        .filter(records::revoked_at.is_null())
        .filter(records::qualification_id.eq_any(wanted))
        .select(RecordRow::as_select())
        .for_share()
        .load(conn)
        .await
}

/// Revokes the person's record; `None` when there is no such unrevoked record.
pub async fn revoke(
    conn: &mut AsyncPgConnection,
    person: Uuid,
    record_id: Uuid,
    by: Uuid,
) -> QueryResult<Option<RecordRow>> {
    diesel::update(
        records::table
            .filter(records::id.eq(record_id))
            .filter(records::user_id.eq(person))
            .filter(records::revoked_at.is_null()),
    )
    .set((
        records::revoked_at.eq(diesel::dsl::now),
        records::revoked_by.eq(by),
    ))
    .returning(RecordRow::as_returning())
    .get_result(conn)
    .await
    .optional()
}

pub async fn find_record(
    conn: &mut impl PgConn,
    person: Uuid,
    record_id: Uuid,
) -> QueryResult<Option<RecordRow>> {
    records::table
        .filter(records::id.eq(record_id))
        .filter(records::user_id.eq(person))
        .select(RecordRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// Unrevoked records of active people that run out between `from` and `until` and that
/// no later record of the same type outlasts, soonest first, with the person's name.
pub async fn expiring(
    conn: &mut impl PgConn,
    from: NaiveDate,
    until: NaiveDate,
) -> QueryResult<Vec<(RecordRow, String)>> {
    let renewed = diesel::alias!(records as renewed);
    records::table
        .inner_join(users::table.on(users::id.eq(records::user_id)))
        .filter(users::active.eq(true))
        .filter(records::revoked_at.is_null())
        .filter(records::valid_until.ge(from))
        .filter(records::valid_until.le(until))
        .filter(diesel::dsl::not(diesel::dsl::exists(
            renewed
                .filter(renewed.field(records::user_id).eq(records::user_id))
                .filter(
                    renewed
                        .field(records::qualification_id)
                        .eq(records::qualification_id),
                )
                .filter(renewed.field(records::revoked_at).is_null())
                .filter(
                    renewed
                        .field(records::valid_until)
                        .is_null()
                        .or(renewed.field(records::valid_until).gt(records::valid_until)),
                ),
        )))
        .select((RecordRow::as_select(), users::name))
        .order((records::valid_until.asc(), records::id.asc()))
        .load(conn)
        .await
}

/// Marks the record's expiry notice sent; false when it already was (another process).
pub async fn take_expiry_notice(
    conn: &mut AsyncPgConnection,
    record_id: Uuid,
) -> QueryResult<bool> {
    diesel::update(
        records::table
            .filter(records::id.eq(record_id))
            .filter(records::expiry_notified_at.is_null()),
    )
    .set(records::expiry_notified_at.eq(diesel::dsl::now))
    .execute(conn)
    .await
    .map(|n| n == 1)
}

/// Forgets every record of a person (erasure).
pub async fn delete_of(conn: &mut AsyncPgConnection, person: Uuid) -> QueryResult<usize> {
    diesel::delete(records::table.filter(records::user_id.eq(person)))
        .execute(conn)
        .await
}

/// The qualifications each active claimant of the task lacks on `on`, by the SQL rule.
pub async fn missing_of_claimants(
    conn: &mut impl PgConn,
    task_id: Uuid,
    category: Uuid,
    on: NaiveDate,
) -> QueryResult<Vec<(Uuid, Vec<Uuid>)>> {
    use crate::db::schema::claims;
    use crate::domain::task::ClaimStatus;
    claims::table
        .filter(claims::task_id.eq(task_id))
        .filter(claims::status.eq(ClaimStatus::Active))
        .select((
            claims::volunteer_id,
            missing_qualifications(claims::volunteer_id, category, on),
        ))
        .load(conn)
        .await
}
