//! The councils' funding key: the figures an admin enters, and the report that shares
//! the year's pot by the key (`domain::funding`).

use crate::domain::problem::FieldProblem;
use chrono::NaiveDate;
use diesel_async::AsyncPgConnection;
use serde::Serialize;
use uuid::Uuid;

use crate::auth::{AuthUser, permissions};
use crate::db::funding as db;
use crate::domain::account::Role;
use crate::domain::error::DomainError;
use crate::domain::funding::{self, Parameters};
use crate::validation::Validator;

fn check_year(year: i32) -> Result<i32, DomainError> {
    if (2000..=2100).contains(&year) {
        Ok(year)
    } else {
        Err(DomainError::invalid_field(
            "year",
            FieldProblem::OutsideYears,
        ))
    }
}

/// One council's line of the report.
#[derive(Debug, Clone, Serialize)]
pub struct CouncilShare {
    pub council_id: Uuid,
    pub name: String,
    pub eligible: bool,
    /// `None`: no figure entered for the year ("mangler"); the council counts its base only.
    pub residents_0_19: Option<i32>,
    pub source: Option<String>,
    pub as_of: Option<NaiveDate>,
    pub base_nok: i64,
    pub per_child_part_nok: i64,
    pub total_nok: i64,
}

/// The key for one year: the amounts, each council's share, the sum against the pot.
#[derive(Debug, Clone, Serialize)]
pub struct FundingReport {
    pub year: i32,
    pub base_nok: i64,
    pub per_child_nok: i64,
    pub pot_nok: i64,
    pub councils: Vec<CouncilShare>,
    pub total_nok: i64,
    pub remaining_nok: i64,
    pub exceeded: bool,
}

/// The report for `year`: admins see every council; a coordinator sees their own
/// council's line beside the municipality's totals (the budget is public).
pub async fn report(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    year: i32,
) -> Result<FundingReport, DomainError> {
    permissions::require_role(user, &[Role::Admin, Role::Coordinator])?;
    if user.role == Role::Coordinator && user.council_id.is_none() {
        return Err(DomainError::forbidden("you have no council"));
    }
    let year = check_year(year)?;
    let row = db::parameters(conn, year)
        .await?
        .ok_or_else(|| DomainError::not_found(format!("no funding key is set for {year}")))?;
    let p = Parameters {
        base_nok: row.base_nok,
        per_child_nok: row.per_child_nok,
        pot_nok: row.pot_nok,
    };
    let all: Vec<CouncilShare> = db::councils_with_residents(conn, year)
        .await?
        .into_iter()
        .map(|(id, name, eligible, figure)| {
            let s = funding::share(
                &p,
                eligible,
                figure.as_ref().map(|f| i64::from(f.residents_0_19)),
            );
            CouncilShare {
                council_id: id,
                name,
                eligible,
                residents_0_19: figure.as_ref().map(|f| f.residents_0_19),
                source: figure.as_ref().map(|f| f.source.clone()),
                as_of: figure.as_ref().map(|f| f.as_of),
                base_nok: s.base_nok,
                per_child_part_nok: s.per_child_part_nok,
                total_nok: s.total_nok,
            }
        })
        .collect();
    let shares: Vec<funding::Share> = all
        .iter()
        .map(|c| funding::Share {
            base_nok: c.base_nok,
            per_child_part_nok: c.per_child_part_nok,
            total_nok: c.total_nok,
        })
        .collect();
    let (total, exceeded) = funding::sum(&p, &shares);
    let councils = match user.role {
        Role::Coordinator => all
            .into_iter()
            .filter(|c| Some(c.council_id) == user.council_id)
            .collect(),
        _ => all,
    };
    Ok(FundingReport {
        year,
        base_nok: p.base_nok,
        per_child_nok: p.per_child_nok,
        pot_nok: p.pot_nok,
        councils,
        total_nok: total,
        remaining_nok: p.pot_nok - total,
        exceeded,
    })
}

/// The key's amounts for a year, as an admin sets them.
pub struct ParametersInput {
    pub base_nok: i64,
    pub per_child_nok: i64,
    pub pot_nok: i64,
}

pub async fn set_parameters(
    conn: &mut AsyncPgConnection,
    admin: &AuthUser,
    year: i32,
    input: &ParametersInput,
) -> Result<db::ParametersRow, DomainError> {
    permissions::require_admin(admin)?;
    let year = check_year(year)?;
    let mut v = Validator::new();
    let mut range = |field: &str, value: i64, max: i64| {
        if !(0..=max).contains(&value) {
            v.error(field, FieldProblem::KronerUpTo { max });
        }
    };
    range("base_nok", input.base_nok, 1_000_000_000);
    range("per_child_nok", input.per_child_nok, 1_000_000);
    range("pot_nok", input.pot_nok, 2_000_000_000);
    v.finish()?;
    let row = db::upsert_parameters(
        conn,
        year,
        input.base_nok,
        input.per_child_nok,
        input.pot_nok,
    )
    .await?;
    tracing::info!(year, user.id = %admin.id, "funding key amounts set");
    Ok(row)
}

/// A council's residents aged 0–19 in a year, with where the figure comes from.
pub struct ResidentsInput {
    pub residents_0_19: i64,
    pub source: String,
    pub as_of: NaiveDate,
}

pub async fn set_residents(
    conn: &mut AsyncPgConnection,
    admin: &AuthUser,
    council_id: Uuid,
    year: i32,
    input: &ResidentsInput,
) -> Result<db::ResidentsRow, DomainError> {
    permissions::require_admin(admin)?;
    let year = check_year(year)?;
    if crate::db::reference::find_council(conn, council_id)
        .await?
        .is_none()
    {
        return Err(DomainError::not_found("no such council"));
    }
    let mut v = Validator::new();
    let residents = i32::try_from(input.residents_0_19)
        .ok()
        .filter(|r| (0..=1_000_000).contains(r));
    if residents.is_none() {
        v.error(
            "residents_0_19",
            FieldProblem::Between {
                min: 0,
                max: 1_000_000,
            },
        );
    }
    let source = v.check("source", crate::domain::check_line(&input.source, 200));
    if source.as_deref().is_some_and(str::is_empty) {
        v.error("source", FieldProblem::Empty);
    }
    if let Err(m) = crate::domain::time::check_date(input.as_of) {
        v.error("as_of", m);
    }
    v.finish()?;
    let (Some(residents), Some(source)) = (residents, source) else {
        return Err(DomainError::internal(anyhow::anyhow!(
            "validated fields missing"
        )));
    };
    let row = db::upsert_residents(
        conn,
        &db::NewResidents {
            council_id,
            year,
            residents_0_19: residents,
            source: &source,
            as_of: input.as_of,
            entered_by: admin.id,
        },
    )
    .await?;
    tracing::info!(year, council.id = %council_id, user.id = %admin.id, "council residents set");
    Ok(row)
}
