//! Operational endpoints at the root: liveness, readiness, metrics and the API contract.

use std::sync::atomic::Ordering;

use actix_web::{HttpResponse, web};

use crate::domain::notification::Channel;
use crate::error::DomainError;
use crate::error::{ApiResult, ErrorCode};
use crate::metrics::Gauge;
use crate::routes::state::AppState;

/// The contract, compiled in so the running binary serves the spec it was built with.
pub const OPENAPI_YAML: &str = include_str!("../../openapi.yaml");

/// Alive: the process answers HTTP.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "ok" }))
}

/// Ready: the database answers and the process is not shutting down.
pub async fn readyz(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    if state.shutting_down.load(Ordering::SeqCst) {
        return Err(DomainError::new(
            ErrorCode::ServiceUnavailable,
            "the service is shutting down",
        )
        .with_retry_after(5)
        .into());
    }
    crate::services::health::database_ready(&state.pool).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "status": "ready" })))
}

/// Prometheus text exposition.
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let status = crate::db::pools_status(&state.request_pools);
    let mut gauges = vec![
        gauge(
            "dugnad_db_pool_max",
            "Maximum database connections.",
            status.max_size,
        ),
        gauge(
            "dugnad_db_pool_size",
            "Open database connections.",
            status.size,
        ),
        gauge(
            "dugnad_db_pool_available",
            "Idle database connections.",
            status.available,
        ),
        gauge(
            "dugnad_db_pool_waiting",
            "Requests waiting for a connection.",
            status.waiting,
        ),
    ];
    match crate::services::health::outbox_depth(&state.pool).await {
        Ok(depth) => {
            for (name, status, help) in [
                (
                    "dugnad_outbox_pending",
                    "pending",
                    "Outbox rows waiting to be delivered, by channel.",
                ),
                (
                    "dugnad_outbox_dead",
                    "dead",
                    "Outbox rows given up on, by channel (see /admin/outbox).",
                ),
            ] {
                for channel in Channel::ALL {
                    let value = depth
                        .iter()
                        .find(|(c, s, _)| c == channel.as_str() && s == status)
                        .map_or(0, |(.., n)| *n);
                    gauges.push(Gauge {
                        name,
                        help,
                        labels: format!("{{channel=\"{}\"}}", channel.as_str()),
                        value,
                    });
                }
            }
        }
        Err(e) => tracing::warn!(error = %e, "metrics: outbox depth unavailable"),
    }
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render(&gauges))
}

fn gauge(name: &'static str, help: &'static str, value: usize) -> Gauge {
    Gauge {
        name,
        help,
        labels: String::new(),
        value: i64::try_from(value).unwrap_or(i64::MAX),
    }
}

/// The OpenAPI 3.1 description of this API.
pub async fn openapi() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/yaml")
        .body(OPENAPI_YAML)
}
