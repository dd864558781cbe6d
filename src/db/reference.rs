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
    pub name_en: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = categories)]
pub struct NewCategoryRow<'a> {
    pub id: Uuid,
    pub slug: &'a str,
    pub name_nb: &'a str,
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
    let category_count: i64 = categories::table.count().get_result(conn).await?;
    if category_count == 0 {
        let rows: Vec<NewCategoryRow<'_>> = data
            .categories
            .iter()
            .map(|c| NewCategoryRow {
                id: Uuid::now_v7(),
                slug: &c.slug,
                name_nb: &c.name_nb,
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
