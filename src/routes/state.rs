//! What every handler shares: the use cases' [`Context`], the metrics and whether the
//! process is shutting down.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crate::db::DbPool;
use crate::metrics::Metrics;
use crate::services::Context;

pub struct AppState {
    /// The use cases' context, on this worker thread's request pool.
    pub ctx: Context,
    /// Every worker thread's request pool, for the metrics.
    pub request_pools: Arc<[DbPool]>,
    pub metrics: Arc<Metrics>,
    /// Set when shutdown begins: readiness goes red.
    pub shutting_down: Arc<AtomicBool>,
}

impl std::ops::Deref for AppState {
    type Target = Context;

    fn deref(&self) -> &Context {
        &self.ctx
    }
}
