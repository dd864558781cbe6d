//! Rate limits kept in PostgreSQL, so every process behind a load balancer counts together.
//! Keys (addresses, IPs) are hashed with the limit's name before they are stored.

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use diesel_async::AsyncPgConnection;
use sha2::{Digest, Sha256};

use crate::db::rate_limits;
use crate::domain::error::{DomainError, ErrorCode};

/// One kind of limit: at most `max` hits per `window`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub name: &'static str,
    pub max: u32,
    pub window: Duration,
}

impl Limit {
    fn bucket(&self, key: &str) -> Vec<u8> {
        let mut hasher = Sha256::new();
        hasher.update(self.name.as_bytes());
        hasher.update(b"\0");
        hasher.update(key.as_bytes());
        hasher.finalize().to_vec()
    }

    fn window_start(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        let secs = i64::try_from(self.window.as_secs().max(1)).unwrap_or(i64::MAX);
        let start = now.timestamp().div_euclid(secs) * secs;
        Utc.timestamp_opt(start, 0).single().unwrap_or(now)
    }

    fn retry_after(&self, now: DateTime<Utc>) -> u64 {
        let end =
            self.window_start(now) + chrono::Duration::from_std(self.window).unwrap_or_default();
        u64::try_from((end - now).num_seconds()).unwrap_or(1).max(1)
    }

    /// 429 `rate_limited` with `Retry-After` when `key` has used up the window.
    pub async fn check(&self, conn: &mut AsyncPgConnection, key: &str) -> Result<(), DomainError> {
        let now = Utc::now();
        let hits = rate_limits::hits(conn, &self.bucket(key), self.window_start(now)).await?;
        if u32::try_from(hits).unwrap_or(u32::MAX) >= self.max {
            return Err(too_many(self.retry_after(now)));
        }
        Ok(())
    }

    /// Counts one hit for `key`.
    pub async fn hit(&self, conn: &mut AsyncPgConnection, key: &str) -> Result<u32, DomainError> {
        let now = Utc::now();
        let hits = rate_limits::record_hit(conn, &self.bucket(key), self.window_start(now)).await?;
        if rand::random::<u8>() == 0 {
            // Now and then, forget windows older than a day.
            rate_limits::delete_older_than(conn, now - chrono::Duration::days(1)).await?;
        }
        Ok(u32::try_from(hits).unwrap_or(u32::MAX))
    }

    /// Counts a hit and refuses it when it goes over the limit.
    pub async fn consume(
        &self,
        conn: &mut AsyncPgConnection,
        key: &str,
    ) -> Result<(), DomainError> {
        if self.hit(conn, key).await? > self.max {
            return Err(too_many(self.retry_after(Utc::now())));
        }
        Ok(())
    }
}

/// One hit counted ahead of the work it guards; [`Reservation::give_back`] undoes it.
#[derive(Debug, Clone)]
pub struct Reservation {
    bucket: Vec<u8>,
    window_start: DateTime<Utc>,
    within: bool,
    retry_after: u64,
}

impl Limit {
    /// Counts a hit for `key` now, atomically, before the work it stands for: of many
    /// concurrent attempts at most `max` are within the limit, however slow the work.
    pub async fn reserve(
        &self,
        conn: &mut AsyncPgConnection,
        key: &str,
    ) -> Result<Reservation, DomainError> {
        let now = Utc::now();
        let bucket = self.bucket(key);
        let window_start = self.window_start(now);
        let hits = rate_limits::record_hit(conn, &bucket, window_start).await?;
        Ok(Reservation {
            bucket,
            window_start,
            within: u32::try_from(hits).unwrap_or(u32::MAX) <= self.max,
            retry_after: self.retry_after(now),
        })
    }
}

impl Reservation {
    /// Whether this hit is within the limit.
    pub fn within(&self) -> bool {
        self.within
    }

    /// The 429 for a reservation over the limit.
    pub fn refusal(&self) -> DomainError {
        too_many(self.retry_after)
    }

    /// Returns the slot: the attempt succeeded, or was never made.
    pub async fn give_back(&self, conn: &mut AsyncPgConnection) -> Result<(), DomainError> {
        Ok(rate_limits::give_back(conn, &self.bucket, self.window_start).await?)
    }
}

fn too_many(retry_after: u64) -> DomainError {
    DomainError::new(ErrorCode::RateLimited, "too many attempts; try again later")
        .with_retry_after(retry_after)
}
