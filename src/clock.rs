//! The time of the service, as a dependency: every use case asks the clock in its
//! `services::Context` (or is handed `now` by its edge) instead of the system, so a test
//! moves time through the clock — a session left idle, a link past its hour — rather than
//! by rewriting timestamps in SQL.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, Utc};

/// The system's time, moved by an offset that only a test ever sets. Clones share it.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    /// The system's time as it is.
    pub fn system() -> Self {
        Self::default()
    }

    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::milliseconds(self.offset_ms.load(Ordering::Relaxed))
    }

    /// Moves this clock (and every clone of it) `by` into the future; time then runs on
    /// from there.
    pub fn advance(&self, by: Duration) {
        self.offset_ms
            .fetch_add(by.num_milliseconds(), Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_advanced_clock_and_its_clones_are_ahead_by_as_much() {
        let clock = Clock::system();
        let clone = clock.clone();
        clock.advance(Duration::minutes(31));
        let ahead = clone.now() - Utc::now();
        assert!(
            ahead >= Duration::minutes(31) - Duration::seconds(1) && ahead <= Duration::minutes(31),
            "{ahead}"
        );
    }
}
