//! What the operational endpoints report: whether the database answers, and how full the
//! outbox is.

use crate::db::{self, DbPool, outbox};
use crate::domain::error::DomainError;

/// The database answers within the pool's timeouts.
pub async fn database_ready(pool: &DbPool) -> Result<(), DomainError> {
    db::ping(pool).await
}

/// Pending and dead emails.
pub async fn outbox_depth(pool: &DbPool) -> Result<(i64, i64), DomainError> {
    let mut conn = pool.get().await?;
    Ok(outbox::depth(&mut conn).await?)
}
