//! What every handler shares: the use cases' [`Context`], the metrics and whether the
//! process is shutting down.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crate::metrics::Metrics;
use crate::services::Context;

pub struct AppState {
    pub ctx: Context,
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
