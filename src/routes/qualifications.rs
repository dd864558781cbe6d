//! Qualifications: the types (public reference data, admins edit), what each person has
//! shown (admins record and revoke; everyone reads their own), and what runs out soon.

use crate::domain::problem::FieldProblem;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, NaiveDate, Utc};
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::body::Deferred;
use crate::auth::{AuthUser, permissions};
use crate::db::qualifications::{QualificationRow, RecordRow};
use crate::domain::time::local_date;
use crate::error::{ApiError, ApiResult};
use crate::routes::state::AppState;
use crate::services::qualifications::{self as service, RecordInput, TypeInput};
use crate::validation::{WholeNumber, double_option, non_null};

#[derive(Debug, Serialize)]
pub struct QualificationResponse {
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
}

impl From<QualificationRow> for QualificationResponse {
    fn from(r: QualificationRow) -> Self {
        Self {
            id: r.id,
            slug: r.slug,
            name_nb: r.name_nb,
            name_nn: r.name_nn,
            name_en: r.name_en,
            description_nb: r.description_nb,
            description_en: r.description_en,
            legal_basis: r.legal_basis,
            valid_months: r.valid_months,
            max_age_days_when_seen: r.max_age_days_when_seen,
            active: r.active,
        }
    }
}

/// A record: which type, when seen and issued, until when, who recorded it. Never the
/// document or anything written on it.
#[derive(Debug, Serialize)]
pub struct RecordResponse {
    pub id: Uuid,
    pub user_id: Uuid,
    pub qualification_id: Uuid,
    pub seen_on: NaiveDate,
    pub issued_on: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    pub recorded_by: Option<Uuid>,
    #[serde(serialize_with = "crate::domain::time::millis")]
    pub recorded_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::domain::time::millis_opt")]
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<RecordRow> for RecordResponse {
    fn from(r: RecordRow) -> Self {
        Self {
            id: r.id,
            user_id: r.user_id,
            qualification_id: r.qualification_id,
            seen_on: r.seen_on,
            issued_on: r.issued_on,
            valid_until: r.valid_until,
            recorded_by: r.recorded_by,
            recorded_at: r.recorded_at,
            revoked_at: r.revoked_at,
        }
    }
}

fn list_of<T: Serialize>(items: Vec<T>) -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "items": items, "next_cursor": null }))
}

pub async fn list(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let mut conn = state.pool.get().await?;
    let rows = service::list(&mut conn).await?;
    Ok(list_of(
        rows.into_iter().map(QualificationResponse::from).collect(),
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeRequest {
    #[serde(default, deserialize_with = "non_null")]
    pub slug: Option<String>,
    #[serde(default, deserialize_with = "non_null")]
    pub name_nb: Option<String>,
    #[serde(default, deserialize_with = "non_null")]
    pub name_nn: Option<String>,
    #[serde(default, deserialize_with = "non_null")]
    pub name_en: Option<String>,
    #[serde(default, deserialize_with = "non_null")]
    pub description_nb: Option<String>,
    #[serde(default, deserialize_with = "non_null")]
    pub description_en: Option<String>,
    #[serde(default, deserialize_with = "non_null")]
    pub legal_basis: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    pub valid_months: Option<Option<WholeNumber>>,
    #[serde(default, deserialize_with = "double_option")]
    pub max_age_days_when_seen: Option<Option<WholeNumber>>,
    #[serde(default, deserialize_with = "non_null")]
    pub active: Option<bool>,
}

impl From<TypeRequest> for TypeInput {
    fn from(b: TypeRequest) -> Self {
        Self {
            slug: b.slug,
            name_nb: b.name_nb,
            name_nn: b.name_nn,
            name_en: b.name_en,
            description_nb: b.description_nb,
            description_en: b.description_en,
            legal_basis: b.legal_basis,
            valid_months: b.valid_months.map(|m| m.map(i32::from)),
            max_age_days_when_seen: b.max_age_days_when_seen.map(|d| d.map(i32::from)),
            active: b.active,
        }
    }
}

pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: Deferred<TypeRequest>,
) -> ApiResult<HttpResponse> {
    permissions::require_admin(&user)?;
    let input: TypeInput = body.parse()?.into_inner().into();
    let mut conn = state.pool.get().await?;
    let row = conn
        .transaction(async |conn| service::create_type(conn, &user, &input).await)
        .await?;
    Ok(HttpResponse::Created().json(QualificationResponse::from(row)))
}

pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: Deferred<TypeRequest>,
) -> ApiResult<HttpResponse> {
    permissions::require_admin(&user)?;
    let input: TypeInput = body.parse()?.into_inner().into();
    let mut conn = state.pool.get().await?;
    let row = service::update_type(&mut conn, &user, id.into_inner(), &input).await?;
    Ok(HttpResponse::Ok().json(QualificationResponse::from(row)))
}

#[derive(Debug, Deserialize)]
pub struct ExpiringQuery {
    pub within_days: Option<String>,
}

/// A record that runs out soon, with whose it is.
#[derive(Debug, Serialize)]
pub struct ExpiringResponse {
    #[serde(flatten)]
    pub record: RecordResponse,
    pub user_name: String,
}

pub async fn expiring(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ExpiringQuery>,
) -> ApiResult<HttpResponse> {
    permissions::require_admin(&user)?;
    let within = match query.within_days.as_deref() {
        None => 30,
        Some(raw) => raw.parse::<i64>().map_err(|_| {
            ApiError::invalid_field("within_days", FieldProblem::Between { min: 1, max: 365 })
        })?,
    };
    let today = local_date(state.clock.now(), state.settings.timezone);
    let mut conn = state.pool.get().await?;
    let rows = service::expiring(&mut conn, &user, today, within).await?;
    Ok(list_of(
        rows.into_iter()
            .map(|(record, user_name)| ExpiringResponse {
                record: record.into(),
                user_name,
            })
            .collect(),
    ))
}

pub async fn mine(state: web::Data<AppState>, user: AuthUser) -> ApiResult<HttpResponse> {
    let mut conn = state.pool.get().await?;
    let rows = service::mine(&mut conn, &user).await?;
    Ok(list_of(
        rows.into_iter().map(RecordResponse::from).collect(),
    ))
}

pub async fn of_user(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.pool.get().await?;
    let rows = service::of_user(&mut conn, &user, id.into_inner()).await?;
    Ok(list_of(
        rows.into_iter().map(RecordResponse::from).collect(),
    ))
}

/// Only these three fields: a certificate number, a file or any other content is refused
/// as an unknown field (422).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordRequest {
    pub qualification_id: Uuid,
    pub seen_on: NaiveDate,
    #[serde(default)]
    pub issued_on: Option<NaiveDate>,
}

pub async fn record(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: Deferred<RecordRequest>,
) -> ApiResult<HttpResponse> {
    permissions::require_admin(&user)?;
    let b = body.parse()?.into_inner();
    let input = RecordInput {
        qualification_id: b.qualification_id,
        seen_on: b.seen_on,
        issued_on: b.issued_on,
    };
    let today = local_date(state.clock.now(), state.settings.timezone);
    let person = id.into_inner();
    let mut conn = state.pool.get().await?;
    let row = conn
        .transaction(async |conn| service::record(conn, &user, person, input, today).await)
        .await?;
    Ok(HttpResponse::Created().json(RecordResponse::from(row)))
}

pub async fn revoke(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
) -> ApiResult<HttpResponse> {
    permissions::require_admin(&user)?;
    let (person, record_id) = path.into_inner();
    let zone = state.settings.timezone;
    let mut conn = state.pool.get().await?;
    let (row, _) = conn
        .transaction(async |conn| {
            service::revoke(conn, &user, zone, person, record_id, state.clock.now()).await
        })
        .await?;
    Ok(HttpResponse::Ok().json(RecordResponse::from(row)))
}
