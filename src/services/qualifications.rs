//! Qualifications: admins keep the types and record what a volunteer showed — the date it
//! was seen and, for a certificate, the date on it, never the document or its number. A
//! revocation voids the person's claims that needed it; an expiry changes no claim and
//! is announced to the volunteer thirty days ahead.

use crate::domain::problem::FieldProblem;
use chrono::{DateTime, NaiveDate, Utc};
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use crate::auth::{AuthUser, permissions};
use crate::db::qualifications::{
    self as db, NewQualificationRow, NewRecordRow, QualificationChanges, QualificationRow,
    RecordRow,
};
use crate::db::tasks as task_db;
use crate::db::users as users_db;
use crate::domain::account::Role;
use crate::domain::error::{DomainError, ErrorCode};
use crate::domain::qualification::{self as rules, EXPIRY_NOTICE_DAYS};
use crate::domain::task as task_rules;
use crate::domain::time::local_date;
use crate::notify::Intent;
use crate::notify::greeting_name;
use crate::notify::{self, Notification};
use crate::validation::{self, Validator};

/// The fields of a type an admin writes; `None` leaves one as it is (on create: the
/// required ones must be there). The inner `None` of the optional numbers means "none".
#[derive(Debug, Default, Clone)]
pub struct TypeInput {
    pub slug: Option<String>,
    pub name_nb: Option<String>,
    /// Optional: a new type without one takes its bokmål name.
    pub name_nn: Option<String>,
    pub name_en: Option<String>,
    pub description_nb: Option<String>,
    pub description_en: Option<String>,
    pub legal_basis: Option<String>,
    pub valid_months: Option<Option<i32>>,
    pub max_age_days_when_seen: Option<Option<i32>>,
    pub active: Option<bool>,
}

fn check_type(input: &TypeInput, creating: bool) -> Result<QualificationChanges, DomainError> {
    let mut v = Validator::new();
    let mut changes = QualificationChanges {
        active: input.active,
        ..Default::default()
    };
    match &input.slug {
        Some(raw) => changes.slug = v.check("slug", crate::validation::slug(raw)),
        None if creating => v.error("slug", FieldProblem::Required),
        None => {}
    }
    if let Some(raw) = &input.name_nn {
        changes.name_nn = v.check("name_nn", validation::name(raw));
    }
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
    for (field, value, target) in [
        (
            "description_nb",
            &input.description_nb,
            &mut changes.description_nb,
        ),
        (
            "description_en",
            &input.description_en,
            &mut changes.description_en,
        ),
    ] {
        if let Some(raw) = value {
            *target = v.check(field, task_rules::check_text(raw, 2000));
        }
    }
    match &input.legal_basis {
        Some(raw) => {
            changes.legal_basis = v.check("legal_basis", task_rules::check_text(raw, 500));
            if changes.legal_basis.as_deref() == Some("") {
                v.error("legal_basis", FieldProblem::LegalBasis);
            }
        }
        None if creating => v.error("legal_basis", FieldProblem::Required),
        None => {}
    }
    if let Some(months) = input.valid_months {
        if months.is_some_and(|m| !(1..=600).contains(&m)) {
            v.error("valid_months", FieldProblem::MonthsOrNone { max: 600 });
        }
        changes.valid_months = Some(months);
    }
    if let Some(days) = input.max_age_days_when_seen {
        if days.is_some_and(|d| !(0..=3650).contains(&d)) {
            v.error(
                "max_age_days_when_seen",
                FieldProblem::DaysOrNone { max: 3650 },
            );
        }
        changes.max_age_days_when_seen = Some(days);
    }
    v.finish()?;
    Ok(changes)
}

fn duplicate(e: diesel::result::Error) -> DomainError {
    match e {
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ) => DomainError::new(
            ErrorCode::Conflict,
            "a qualification with this slug already exists",
        ),
        other => other.into(),
    }
}

/// Every type, active or not (the app explains how to qualify; admins edit them).
pub async fn list(conn: &mut AsyncPgConnection) -> Result<Vec<QualificationRow>, DomainError> {
    Ok(db::list(conn).await?)
}

pub async fn create_type(
    conn: &mut AsyncPgConnection,
    admin: &AuthUser,
    input: &TypeInput,
) -> Result<QualificationRow, DomainError> {
    permissions::require_admin(admin)?;
    let c = check_type(input, true)?;
    let (Some(slug), Some(name_nb), Some(name_en), Some(legal_basis)) =
        (&c.slug, &c.name_nb, &c.name_en, &c.legal_basis)
    else {
        return Err(DomainError::internal(anyhow::anyhow!(
            "validated fields missing"
        )));
    };
    let row = NewQualificationRow {
        id: Uuid::now_v7(),
        slug,
        name_nb,
        name_nn: c.name_nn.as_deref().unwrap_or(name_nb),
        name_en,
        description_nb: c.description_nb.as_deref().unwrap_or(""),
        description_en: c.description_en.as_deref().unwrap_or(""),
        legal_basis,
        valid_months: c.valid_months.flatten(),
        max_age_days_when_seen: c.max_age_days_when_seen.flatten(),
    };
    let created = db::insert(conn, &row).await.map_err(duplicate)?;
    if c.active == Some(false) {
        let off = QualificationChanges {
            active: Some(false),
            ..Default::default()
        };
        return db::update(conn, created.id, &off)
            .await?
            .ok_or_else(|| DomainError::not_found("no such qualification"));
    }
    Ok(created)
}

/// Changes a type. A new `valid_months` applies to records written from now on; a
/// record keeps the `valid_until` it was given.
pub async fn update_type(
    conn: &mut AsyncPgConnection,
    admin: &AuthUser,
    id: Uuid,
    input: &TypeInput,
) -> Result<QualificationRow, DomainError> {
    permissions::require_admin(admin)?;
    let changes = check_type(input, false)?;
    db::update(conn, id, &changes)
        .await
        .map_err(duplicate)?
        .ok_or_else(|| DomainError::not_found("no such qualification"))
}

/// Checks that every id names a type; the ids sorted without repeats.
pub async fn check_requirements(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
) -> Result<Vec<Uuid>, DomainError> {
    if ids.len() > 20 {
        return Err(DomainError::invalid_field(
            "required_qualifications",
            FieldProblem::TooManyChoices { max: 20 },
        ));
    }
    let known = db::list(conn).await?;
    let mut out: Vec<Uuid> = ids.to_vec();
    out.sort_unstable();
    out.dedup();
    if out.iter().any(|id| !known.iter().any(|k| k.id == *id)) {
        return Err(DomainError::invalid_field(
            "required_qualifications",
            FieldProblem::UnknownQualification,
        ));
    }
    Ok(out)
}

/// What an admin records: which type, when it was seen and, for a certificate, the date
/// it was issued. Nothing else is accepted.
#[derive(Debug, Clone, Copy)]
pub struct RecordInput {
    pub qualification_id: Uuid,
    pub seen_on: NaiveDate,
    pub issued_on: Option<NaiveDate>,
}

fn no_such_person() -> DomainError {
    DomainError::not_found("no such user")
}

/// Records that `person` showed or signed a qualification, checked on `today` (the
/// municipality's date).
pub async fn record(
    conn: &mut AsyncPgConnection,
    admin: &AuthUser,
    person: Uuid,
    input: RecordInput,
    today: NaiveDate,
) -> Result<RecordRow, DomainError> {
    permissions::require_admin(admin)?;
    let user = users_db::find(conn, person)
        .await?
        .ok_or_else(no_such_person)?;
    let role = Role::parse(&user.role);
    if !role.is_some_and(Role::may_claim) {
        return Err(DomainError::invalid_field(
            "user",
            FieldProblem::OnlyTakersHoldQualifications,
        ));
    }
    let kind = db::find(conn, input.qualification_id)
        .await?
        .filter(|k| k.active)
        .ok_or_else(|| {
            DomainError::invalid_field("qualification_id", FieldProblem::NotActiveQualification)
        })?;
    let valid_until = rules::check_record(kind.rule(), input.seen_on, input.issued_on, today)
        .map_err(|errors| {
            DomainError::validation(
                errors
                    .into_iter()
                    .map(|(field, problem)| crate::domain::error::FieldError::new(field, problem))
                    .collect(),
            )
        })?;
    let row = db::insert_record(
        conn,
        &NewRecordRow {
            id: Uuid::now_v7(),
            user_id: person,
            qualification_id: kind.id,
            seen_on: input.seen_on,
            issued_on: input.issued_on,
            valid_until,
            recorded_by: Some(admin.id),
        },
    )
    .await?;
    // The log names the record only: never which qualification a person holds.
    tracing::info!(record.id = %row.id, "qualification recorded");
    Ok(row)
}

/// Revokes a record in the caller's transaction, and voids the person's active claims on
/// tasks that have not ended and that they no longer qualify for: the private block is
/// withheld from that moment and each unit is told a spot reopened. Returns the record
/// and how many claims were voided.
pub async fn revoke(
    conn: &mut AsyncPgConnection,
    admin: &AuthUser,
    zone: chrono_tz::Tz,
    person: Uuid,
    record_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(RecordRow, usize), DomainError> {
    permissions::require_admin(admin)?;
    // The record's lock first (claims take it before the task's): a claim racing this
    // waits, then sees the record revoked.
    let Some(revoked) = db::revoke(conn, person, record_id, admin.id).await? else {
        return match db::find_record(conn, person, record_id).await? {
            Some(_) => Err(DomainError::new(
                ErrorCode::Conflict,
                "this record is already revoked",
            )),
            None => Err(DomainError::not_found("no such qualification record")),
        };
    };
    let held: Vec<_> = db::unrevoked_of_many(conn, &[person])
        .await?
        .iter()
        .map(RecordRow::held)
        .collect();
    let claims = task_db::active_claims_with_tasks(conn, person).await?;
    let categories: Vec<Uuid> = claims.iter().map(|(_, t)| t.category_id).collect();
    let requirements = db::requirements_of(conn, &categories).await?;
    let mut voided = 0;
    for (claim, task) in claims {
        let needs_it = requirements
            .iter()
            .any(|(c, q)| *c == task.category_id && *q == revoked.qualification_id);
        let ended =
            now >= task_rules::effective_end(task.starts_at, task.ends_at, task.duration_minutes);
        if !needs_it || ended {
            continue;
        }
        if !rules::missing(
            &[revoked.qualification_id],
            &held,
            local_date(task.starts_at, zone),
        )
        .is_empty()
        {
            let Some(locked) = task_db::find_for_update(conn, task.id).await? else {
                continue;
            };
            crate::services::tasks::void_locked(conn, &locked, &claim, now).await?;
            voided += 1;
        }
    }
    tracing::info!(record.id = %revoked.id, claims.voided = voided, "qualification revoked");
    Ok((revoked, voided))
}

/// A person's records, newest first (admins).
pub async fn of_user(
    conn: &mut AsyncPgConnection,
    admin: &AuthUser,
    person: Uuid,
) -> Result<Vec<RecordRow>, DomainError> {
    permissions::require_admin(admin)?;
    users_db::find(conn, person)
        .await?
        .ok_or_else(no_such_person)?;
    Ok(db::records_of(conn, person).await?)
}

/// The caller's own records, newest first.
pub async fn mine(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
) -> Result<Vec<RecordRow>, DomainError> {
    Ok(db::records_of(conn, user.id).await?)
}

/// Records running out within `within_days` of `today` (1–365) that nobody renewed,
/// soonest first, with the person's name (admins).
pub async fn expiring(
    conn: &mut AsyncPgConnection,
    admin: &AuthUser,
    today: NaiveDate,
    within_days: i64,
) -> Result<Vec<(RecordRow, String)>, DomainError> {
    permissions::require_admin(admin)?;
    if !(1..=365).contains(&within_days) {
        return Err(DomainError::invalid_field(
            "within_days",
            FieldProblem::Between { min: 1, max: 365 },
        ));
    }
    Ok(db::expiring(conn, today, today + chrono::Duration::days(within_days)).await?)
}

/// The periodic job: tells each volunteer, once per record, that it runs out in thirty
/// days or less (unless a later record outlasts it). Returns how many were told.
pub async fn send_expiry_notices(
    conn: &mut AsyncPgConnection,
    zone: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> Result<usize, DomainError> {
    let today = local_date(now, zone);
    let horizon = today + chrono::Duration::days(EXPIRY_NOTICE_DAYS as i64);
    let kinds = db::list(conn).await?;
    let mut notices = Vec::new();
    for (record, _) in db::expiring(conn, today, horizon).await? {
        let Some(until) = record.valid_until else {
            continue;
        };
        if !rules::expiry_notice_due(until, today)
            || !db::take_expiry_notice(conn, record.id).await?
        {
            continue;
        }
        let (Some(user), Some(kind)) = (
            users_db::find(conn, record.user_id).await?,
            kinds.iter().find(|k| k.id == record.qualification_id),
        ) else {
            continue;
        };
        notices.push(Notification::to_user(
            &user,
            Intent::QualificationExpiring {
                name: greeting_name(&user),
                qualification_nb: kind.name_nb.clone(),
                qualification_nn: kind.name_nn.clone(),
                qualification_en: kind.name_en.clone(),
                valid_until: until,
            },
        ));
    }
    let told = notices.len();
    notify::send(conn, &notices).await?;
    Ok(told)
}
