//! Rules that SQL must repeat agree with their one definition in `domain`.

use chrono::{DateTime, Duration, Utc};
use dugnad::domain::task::effective_end;
use proptest::prelude::*;
use proptest::strategy::ValueTree;

use crate::support::db::TestDatabase;

#[tokio::test]
async fn the_effective_end_in_sql_agrees_with_the_rule_in_rust() {
    let db = TestDatabase::create().await;
    let client = dugnad::db::raw_connect(&db.url).await.expect("connect");
    let base = DateTime::parse_from_rfc3339("2026-03-29T00:30:00+01:00")
        .expect("time")
        .with_timezone(&Utc);
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let cases = (
        0i64..100_000,
        proptest::option::of(1i64..20_000),
        proptest::option::of(1i32..10_080),
    );
    let mut checked = 0;
    for _ in 0..500 {
        let (start, end, duration) = cases.new_tree(&mut runner).expect("case").current();
        let starts_at = base + Duration::minutes(start);
        let ends_at = end.map(|m| starts_at + Duration::minutes(m));
        let sql: DateTime<Utc> = client
            .query_one(
                "SELECT task_effective_end($1, $2, $3)",
                &[&starts_at, &ends_at, &duration],
            )
            .await
            .expect("query")
            .get(0);
        assert_eq!(
            sql,
            effective_end(starts_at, ends_at, duration),
            "start {starts_at}, end {ends_at:?}, duration {duration:?}"
        );
        checked += 1;
    }
    assert_eq!(checked, 500);
}
