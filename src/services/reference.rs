//! Admin edits of the reference data. Categories are deactivated, never deleted, so tasks
//! that used one keep pointing at it.

use crate::domain::problem::FieldProblem;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use uuid::Uuid;

use crate::auth::{AuthUser, permissions};
use crate::db::reference::{
    self as db, CategoryChanges, CategoryRow, CouncilRow, NewCategoryRow, ServiceUnitChanges,
    ServiceUnitRow,
};
use crate::domain::account::EmailAddress;
use crate::domain::error::{DomainError, ErrorCode};
use crate::services::Context;
use crate::validation::{self, Validator};

fn duplicate(what: &str) -> impl Fn(diesel::result::Error) -> DomainError + '_ {
    move |e| match e {
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ) => DomainError::new(
            ErrorCode::Conflict,
            format!("a {what} with this name already exists"),
        ),
        other => other.into(),
    }
}

pub async fn create_council(
    state: &Context,
    admin: &AuthUser,
    name: &str,
) -> Result<CouncilRow, DomainError> {
    permissions::require_admin(admin)?;
    let name = validation::name(name).map_err(|m| DomainError::invalid_field("name", m))?;
    let mut conn = state.pool.get().await?;
    db::insert_council(&mut conn, &name)
        .await
        .map_err(duplicate("council"))
}

pub async fn update_council(
    state: &Context,
    admin: &AuthUser,
    id: Uuid,
    name: Option<&str>,
    active: Option<bool>,
    eligible: Option<bool>,
) -> Result<CouncilRow, DomainError> {
    permissions::require_admin(admin)?;
    let name = name
        .map(validation::name)
        .transpose()
        .map_err(|m| DomainError::invalid_field("name", m))?;
    let mut conn = state.pool.get().await?;
    db::update_council(&mut conn, id, name.as_deref(), active, eligible)
        .await
        .map_err(duplicate("council"))?
        .ok_or_else(|| DomainError::not_found("no such council"))
}

pub struct CategoryInput {
    pub slug: Option<String>,
    pub name_nb: Option<String>,
    /// Optional: a new category without one takes its bokmål name.
    pub name_nn: Option<String>,
    pub name_en: Option<String>,
    pub active: Option<bool>,
    /// Replaces what the category requires (`None` leaves it as it is).
    pub required_qualifications: Option<Vec<Uuid>>,
}

fn check_category(input: &CategoryInput, creating: bool) -> Result<CategoryChanges, DomainError> {
    let mut v = Validator::new();
    let mut changes = CategoryChanges {
        active: input.active,
        ..Default::default()
    };
    for (field, value, target) in [
        ("name_nb", &input.name_nb, &mut changes.name_nb),
        ("name_en", &input.name_en, &mut changes.name_en),
    ] {
        match value {
            Some(raw) => *target = v.check(field, validation::name(raw)),
            None if creating => v.error(field, FieldProblem::Required),
            None => {}
        }
    }
    if let Some(raw) = &input.name_nn {
        changes.name_nn = v.check("name_nn", validation::name(raw));
    }
    match &input.slug {
        Some(raw) => changes.slug = v.check("slug", crate::validation::slug(raw)),
        None if creating => v.error("slug", FieldProblem::Required),
        None => {}
    }
    v.finish()?;
    Ok(changes)
}

pub async fn create_category(
    state: &Context,
    admin: &AuthUser,
    input: CategoryInput,
) -> Result<CategoryRow, DomainError> {
    permissions::require_admin(admin)?;
    let changes = check_category(&input, true)?;
    let (Some(slug), Some(name_nb), Some(name_en)) =
        (&changes.slug, &changes.name_nb, &changes.name_en)
    else {
        return Err(DomainError::internal(anyhow::anyhow!(
            "validated fields missing"
        )));
    };
    let mut conn = state.pool.get().await?;
    let row = NewCategoryRow {
        id: Uuid::now_v7(),
        slug,
        name_nb,
        name_nn: changes.name_nn.as_deref().unwrap_or(name_nb),
        name_en,
    };
    let active = input.active.unwrap_or(true);
    let required = input.required_qualifications.as_deref();
    conn.transaction(async |conn| {
        let created = db::insert_category(conn, &row, active)
            .await
            .map_err(duplicate("category"))?;
        set_requirements(conn, created.id, required).await?;
        Ok(created)
    })
    .await
}

/// Replaces what a category requires, when asked to.
async fn set_requirements(
    conn: &mut AsyncPgConnection,
    category: Uuid,
    required: Option<&[Uuid]>,
) -> Result<(), DomainError> {
    if let Some(ids) = required {
        let ids = crate::services::qualifications::check_requirements(conn, ids).await?;
        crate::db::qualifications::set_requirements(conn, category, &ids).await?;
    }
    Ok(())
}

/// What each category requires, as (category, qualification), active types or not.
pub async fn requirements(conn: &mut AsyncPgConnection) -> Result<Vec<(Uuid, Uuid)>, DomainError> {
    Ok(crate::db::qualifications::all_requirements(conn).await?)
}

pub async fn update_category(
    state: &Context,
    admin: &AuthUser,
    id: Uuid,
    input: CategoryInput,
) -> Result<CategoryRow, DomainError> {
    permissions::require_admin(admin)?;
    let changes = check_category(&input, false)?;
    let mut conn = state.pool.get().await?;
    let required = input.required_qualifications.as_deref();
    conn.transaction(async |conn| {
        let row = db::update_category(conn, id, &changes)
            .await
            .map_err(duplicate("category"))?
            .ok_or_else(|| DomainError::not_found("no such category"))?;
        set_requirements(conn, row.id, required).await?;
        Ok(row)
    })
    .await
}

pub struct ServiceUnitInput {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<Option<String>>,
}

fn check_unit(input: &ServiceUnitInput, creating: bool) -> Result<ServiceUnitChanges, DomainError> {
    let mut v = Validator::new();
    let mut changes = ServiceUnitChanges::default();
    match &input.name {
        Some(raw) => changes.name = v.check("name", validation::name(raw)),
        None if creating => v.error("name", FieldProblem::Required),
        None => {}
    }
    match &input.email {
        Some(raw) => {
            changes.email = v
                .check("email", EmailAddress::parse(raw))
                .map(|e| e.as_str().to_owned())
        }
        None if creating => v.error("email", FieldProblem::Required),
        None => {}
    }
    if let Some(phone) = &input.phone {
        changes.phone = match phone {
            Some(p) => v.check("phone", validation::phone(p)),
            None => Some(None),
        };
    }
    v.finish()?;
    Ok(changes)
}

pub async fn create_service_unit(
    state: &Context,
    admin: &AuthUser,
    input: ServiceUnitInput,
) -> Result<ServiceUnitRow, DomainError> {
    permissions::require_admin(admin)?;
    let changes = check_unit(&input, true)?;
    let (Some(name), Some(email)) = (&changes.name, &changes.email) else {
        return Err(DomainError::internal(anyhow::anyhow!(
            "validated fields missing"
        )));
    };
    let mut conn = state.pool.get().await?;
    db::insert_service_unit(
        &mut conn,
        name,
        email,
        changes.phone.clone().flatten().as_deref(),
    )
    .await
    .map_err(duplicate("service unit"))
}

pub async fn update_service_unit(
    state: &Context,
    admin: &AuthUser,
    id: Uuid,
    input: ServiceUnitInput,
) -> Result<ServiceUnitRow, DomainError> {
    permissions::require_admin(admin)?;
    let changes = check_unit(&input, false)?;
    let mut conn = state.pool.get().await?;
    db::update_service_unit(&mut conn, id, &changes)
        .await
        .map_err(duplicate("service unit"))?
        .ok_or_else(|| DomainError::not_found("no such service unit"))
}

/// What a form offers to choose from: the active categories, the active councils and
/// every service unit, sorted by name.
pub struct Choices {
    pub categories: Vec<crate::db::reference::CategoryRow>,
    pub councils: Vec<crate::db::reference::CouncilRow>,
    pub units: Vec<crate::db::reference::ServiceUnitRow>,
}

pub async fn choices(conn: &mut AsyncPgConnection) -> Result<Choices, DomainError> {
    let mut all = everything(conn).await?;
    all.categories.retain(|c| c.active);
    all.councils.retain(|c| c.active);
    Ok(all)
}

/// Every category, council and unit, active or not, sorted by name (the admin's page).
pub async fn everything(conn: &mut AsyncPgConnection) -> Result<Choices, DomainError> {
    let all = crate::pagination::Page {
        limit: 1000,
        after: None,
    };
    let mut categories = crate::db::reference::list_categories(conn, &all).await?;
    categories.sort_by(|a, b| a.name_nb.cmp(&b.name_nb));
    let mut councils = crate::db::reference::list_councils(conn, &all).await?;
    councils.sort_by(|a, b| a.name.cmp(&b.name));
    let mut units = crate::db::reference::list_service_units(conn, &all).await?;
    units.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Choices {
        categories,
        councils,
        units,
    })
}

/// The name of a person's place: their service unit, else their home council.
pub async fn place_name(
    conn: &mut AsyncPgConnection,
    service_unit_id: Option<Uuid>,
    council_id: Option<Uuid>,
) -> Result<Option<String>, DomainError> {
    Ok(match (service_unit_id, council_id) {
        (Some(unit), _) => db::find_service_unit(conn, unit).await?.map(|u| u.name),
        (None, Some(council)) => db::find_council(conn, council).await?.map(|c| c.name),
        _ => None,
    })
}
