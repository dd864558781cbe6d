//! What the operational endpoints report: whether the database answers, and how full the
//! outbox is.

use crate::db::{self, DbPool, outbox};
use crate::domain::error::DomainError;

/// The database answers within the pool's timeouts.
pub async fn database_ready(pool: &DbPool) -> Result<(), DomainError> {
    db::ping(pool).await
}

/// (channel, status, count) of the outbox's pending and dead rows.
pub async fn outbox_depth(pool: &DbPool) -> Result<Vec<(String, String, i64)>, DomainError> {
    let mut conn = pool.get().await?;
    Ok(outbox::depth(&mut conn).await?)
}
