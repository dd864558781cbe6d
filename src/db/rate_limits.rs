//! Fixed-window counters for rate limits, shared by every process.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::db::schema::rate_limit_counters as rl;

/// Hits counted in `bucket` during the window starting at `window_start`.
pub async fn hits(
    conn: &mut AsyncPgConnection,
    bucket: &[u8],
    window_start: DateTime<Utc>,
) -> QueryResult<i32> {
    rl::table
        .select(rl::hits)
        .filter(rl::bucket.eq(bucket))
        .filter(rl::window_start.eq(window_start))
        .first(conn)
        .await
        .optional()
        .map(Option::unwrap_or_default)
}

/// Counts one hit and returns the window's new total.
pub async fn record_hit(
    conn: &mut AsyncPgConnection,
    bucket: &[u8],
    window_start: DateTime<Utc>,
) -> QueryResult<i32> {
    diesel::insert_into(rl::table)
        .values((
            rl::bucket.eq(bucket),
            rl::window_start.eq(window_start),
            rl::hits.eq(1),
        ))
        .on_conflict((rl::bucket, rl::window_start))
        .do_update()
        .set(rl::hits.eq(rl::hits + 1))
        .returning(rl::hits)
        .get_result(conn)
        .await
}

/// Gives back one hit counted in the window (a reserved attempt that turned out right,
/// or was not made).
pub async fn give_back(
    conn: &mut AsyncPgConnection,
    bucket: &[u8],
    window_start: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(
        rl::table
            .filter(rl::bucket.eq(bucket))
            .filter(rl::window_start.eq(window_start))
            .filter(rl::hits.gt(0)),
    )
    .set(rl::hits.eq(rl::hits - 1))
    .execute(conn)
    .await
    .map(|_| ())
}

/// Forgets windows that ended before `before`.
pub async fn delete_older_than(
    conn: &mut AsyncPgConnection,
    before: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::delete(rl::table.filter(rl::window_start.lt(before)))
        .execute(conn)
        .await
}
