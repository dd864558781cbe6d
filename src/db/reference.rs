//! Queries for councils, categories and service units.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::db::schema::{categories, councils, service_units};
use crate::pagination::Page;
use crate::reference::MunicipalityData;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = councils, check_for_backend(diesel::pg::Pg))]
pub struct CouncilRow {
    pub id: Uuid,
    pub name: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// In the funding key (registered in Frivillighetsregisteret).
    pub eligible: bool,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = councils)]
pub struct NewCouncilRow<'a> {
    pub id: Uuid,
    pub name: &'a str,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = categories, check_for_backend(diesel::pg::Pg))]
pub struct CategoryRow {
    pub id: Uuid,
    pub slug: String,
    pub name_nb: String,
    pub name_nn: String,
    pub name_en: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl CategoryRow {
    /// The category's name in `language`.
    pub fn name(&self, language: crate::domain::Language) -> &str {
        language.pick(&self.name_nb, &self.name_nn, &self.name_en)
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = categories)]
pub struct NewCategoryRow<'a> {
    pub id: Uuid,
    pub slug: &'a str,
    pub name_nb: &'a str,
    pub name_nn: &'a str,
    pub name_en: &'a str,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = service_units, check_for_backend(diesel::pg::Pg))]
pub struct ServiceUnitRow {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Inserts the data file's councils and categories into whichever table is still empty.
/// Runs under the migration lock, so two processes never both load.
pub async fn load_if_empty(
    conn: &mut AsyncPgConnection,
    data: &MunicipalityData,
) -> QueryResult<()> {
    let council_count: i64 = councils::table.count().get_result(conn).await?;
    if council_count == 0 {
        let rows: Vec<NewCouncilRow<'_>> = data
            .councils
            .iter()
            .map(|name| NewCouncilRow {
                id: Uuid::now_v7(),
                name,
            })
            .collect();
        diesel::insert_into(councils::table)
            .values(&rows)
            .execute(conn)
            .await?;
        tracing::info!(
            councils = rows.len(),
            "loaded councils from the municipality data file"
        );
    }
    crate::db::funding::load_parameters_if_empty(conn, &data.funding).await?;
    let category_count: i64 = categories::table.count().get_result(conn).await?;
    if category_count == 0 {
        let rows: Vec<NewCategoryRow<'_>> = data
            .categories
            .iter()
            .map(|c| NewCategoryRow {
                id: Uuid::now_v7(),
                slug: &c.slug,
                name_nb: &c.name_nb,
                name_nn: c.name_nn.as_deref().unwrap_or(&c.name_nb),
                name_en: &c.name_en,
            })
            .collect();
        diesel::insert_into(categories::table)
            .values(&rows)
            .execute(conn)
            .await?;
        tracing::info!(
            categories = rows.len(),
            "loaded categories from the municipality data file"
        );
    }
    crate::db::qualifications::load_if_empty(conn, &data.qualifications, &data.requirements())
        .await?;
    Ok(())
}

/// Councils ordered by name, `page.limit + 1` rows.
pub async fn list_councils(
    conn: &mut AsyncPgConnection,
    page: &Page,
) -> QueryResult<Vec<CouncilRow>> {
    let mut query = councils::table
        .select(CouncilRow::as_select())
        .order((councils::name.asc(), councils::id.asc()))
        .limit(page.limit + 1)
        .into_boxed();
    if let Some(after) = &page.after {
        query = query.filter(
            councils::name.gt(after.key.clone()).or(councils::name
                .eq(after.key.clone())
                .and(councils::id.gt(after.id))),
        );
    }
    query.load(conn).await
}

/// Categories ordered by Norwegian name, `page.limit + 1` rows.
pub async fn list_categories(
    conn: &mut AsyncPgConnection,
    page: &Page,
) -> QueryResult<Vec<CategoryRow>> {
    let mut query = categories::table
        .select(CategoryRow::as_select())
        .order((categories::name_nb.asc(), categories::id.asc()))
        .limit(page.limit + 1)
        .into_boxed();
    if let Some(after) = &page.after {
        query = query.filter(
            categories::name_nb
                .gt(after.key.clone())
                .or(categories::name_nb
                    .eq(after.key.clone())
                    .and(categories::id.gt(after.id))),
        );
    }
    query.load(conn).await
}

/// Service units ordered by name, `page.limit + 1` rows.
pub async fn list_service_units(
    conn: &mut AsyncPgConnection,
    page: &Page,
) -> QueryResult<Vec<ServiceUnitRow>> {
    let mut query = service_units::table
        .select(ServiceUnitRow::as_select())
        .order((service_units::name.asc(), service_units::id.asc()))
        .limit(page.limit + 1)
        .into_boxed();
    if let Some(after) = &page.after {
        query = query.filter(
            service_units::name
                .gt(after.key.clone())
                .or(service_units::name
                    .eq(after.key.clone())
                    .and(service_units::id.gt(after.id))),
        );
    }
    query.load(conn).await
}

pub async fn council_is_active(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        councils::table
            .filter(councils::id.eq(id))
            .filter(councils::active.eq(true)),
    ))
    .get_result(conn)
    .await
}

pub async fn service_unit_exists(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        service_units::table.filter(service_units::id.eq(id)),
    ))
    .get_result(conn)
    .await
}

/// Which of `ids` name categories (active or not).
pub async fn existing_category_ids(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
) -> QueryResult<Vec<Uuid>> {
    categories::table
        .select(categories::id)
        .filter(categories::id.eq_any(ids))
        .load(conn)
        .await
}

/// The names of these categories in every language (nb, nn, en), by id.
pub async fn category_names(
    conn: &mut impl crate::db::PgConn,
    ids: &[Uuid],
) -> QueryResult<Vec<(Uuid, String, String, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    categories::table
        .filter(categories::id.eq_any(ids))
        .select((
            categories::id,
            categories::name_nb,
            categories::name_nn,
            categories::name_en,
        ))
        .load(conn)
        .await
}

pub async fn find_council(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> QueryResult<Option<CouncilRow>> {
    councils::table
        .find(id)
        .select(CouncilRow::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn find_category(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> QueryResult<Option<CategoryRow>> {
    categories::table
        .find(id)
        .select(CategoryRow::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn find_service_unit(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> QueryResult<Option<ServiceUnitRow>> {
    service_units::table
        .find(id)
        .select(ServiceUnitRow::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn insert_council(conn: &mut AsyncPgConnection, name: &str) -> QueryResult<CouncilRow> {
    diesel::insert_into(councils::table)
        .values(&NewCouncilRow {
            id: Uuid::now_v7(),
            name,
        })
        .returning(CouncilRow::as_returning())
        .get_result(conn)
        .await
}

pub async fn update_council(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    name: Option<&str>,
    active: Option<bool>,
    eligible: Option<bool>,
) -> QueryResult<Option<CouncilRow>> {
    diesel::update(councils::table.find(id))
        .set((
            name.map(|n| councils::name.eq(n.to_owned())),
            active.map(|a| councils::active.eq(a)),
            eligible.map(|e| councils::eligible.eq(e)),
            councils::updated_at.eq(diesel::dsl::now),
        ))
        .returning(CouncilRow::as_returning())
        .get_result(conn)
        .await
        .optional()
}

pub async fn insert_category(
    conn: &mut AsyncPgConnection,
    row: &NewCategoryRow<'_>,
    active: bool,
) -> QueryResult<CategoryRow> {
    diesel::insert_into(categories::table)
        .values((row, categories::active.eq(active)))
        .returning(CategoryRow::as_returning())
        .get_result(conn)
        .await
}

/// Changes to a category; `None` leaves a column as it is.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = categories)]
pub struct CategoryChanges {
    pub slug: Option<String>,
    pub name_nb: Option<String>,
    pub name_nn: Option<String>,
    pub name_en: Option<String>,
    pub active: Option<bool>,
}

pub async fn update_category(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    changes: &CategoryChanges,
) -> QueryResult<Option<CategoryRow>> {
    diesel::update(categories::table.find(id))
        .set((changes, categories::updated_at.eq(diesel::dsl::now)))
        .returning(CategoryRow::as_returning())
        .get_result(conn)
        .await
        .optional()
}

pub async fn insert_service_unit(
    conn: &mut AsyncPgConnection,
    name: &str,
    email: &str,
    phone: Option<&str>,
) -> QueryResult<ServiceUnitRow> {
    diesel::insert_into(service_units::table)
        .values((
            service_units::id.eq(Uuid::now_v7()),
            service_units::name.eq(name),
            service_units::email.eq(email),
            service_units::phone.eq(phone),
        ))
        .returning(ServiceUnitRow::as_returning())
        .get_result(conn)
        .await
}

/// Changes to a service unit; `None` leaves a column as it is.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = service_units)]
pub struct ServiceUnitChanges {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<Option<String>>,
}

pub async fn update_service_unit(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    changes: &ServiceUnitChanges,
) -> QueryResult<Option<ServiceUnitRow>> {
    diesel::update(service_units::table.find(id))
        .set((changes, service_units::updated_at.eq(diesel::dsl::now)))
        .returning(ServiceUnitRow::as_returning())
        .get_result(conn)
        .await
        .optional()
}
