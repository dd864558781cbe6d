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

#[tokio::test]
async fn the_qualification_rule_in_sql_agrees_with_the_rule_in_rust() {
    use dugnad::domain::qualification::{Held, missing};
    let db = TestDatabase::create().await;
    let client = dugnad::db::raw_connect(&db.url).await.expect("connect");
    let (category, person) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
    let kinds: Vec<uuid::Uuid> = (0..3).map(|_| uuid::Uuid::now_v7()).collect();
    let mut setup = format!(
        "INSERT INTO categories (id, slug, name_nb, name_nn, name_en) VALUES ('{category}', 'rule-check', 'Sjekk', 'Sjekk', 'Check');
         INSERT INTO users (id, email, name, role, email_verified) VALUES ('{person}', 'rule@example.no', 'Regel', 'volunteer', true);"
    );
    for (i, k) in kinds.iter().enumerate() {
        // The third type is deactivated: its requirement no longer applies.
        setup.push_str(&format!(
            "INSERT INTO qualifications (id, slug, name_nb, name_nn, name_en, legal_basis, active) \
             VALUES ('{k}', 'kind-{i}', 'Type {i}', 'Type {i}', 'Kind {i}', 'Test', {});
             INSERT INTO category_qualifications VALUES ('{category}', '{k}');",
            i < 2
        ));
    }
    client.batch_execute(&setup).await.expect("setup");
    let required = &kinds[..2];
    let day0 = chrono::NaiveDate::from_ymd_opt(2027, 1, 1).expect("date");
    let record = (
        0usize..3,
        proptest::option::of(0i64..20),
        proptest::bool::weighted(0.2),
    );
    let cases = (proptest::collection::vec(record, 0..5), 0i64..20);
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    for _ in 0..200 {
        let (records, on) = cases.new_tree(&mut runner).expect("case").current();
        let on = day0 + Duration::days(on);
        let mut sql = String::from("DELETE FROM qualification_records;");
        let mut held = Vec::new();
        for (kind, until, revoked) in &records {
            let until = until.map(|d| day0 + Duration::days(d));
            sql.push_str(&format!(
                "INSERT INTO qualification_records (id, user_id, qualification_id, seen_on, valid_until, revoked_at) \
                 VALUES ('{}', '{person}', '{}', '2026-01-01', {}, {});",
                uuid::Uuid::now_v7(),
                kinds[*kind],
                until.map_or("NULL".to_owned(), |d| format!("'{d}'")),
                if *revoked { "now()" } else { "NULL" },
            ));
            held.push(Held {
                qualification_id: kinds[*kind],
                valid_until: until,
                revoked: *revoked,
            });
        }
        client.batch_execute(&sql).await.expect("records");
        let row = client
            .query_one(
                &format!(
                    "SELECT coalesce(array_to_string(missing_qualifications('{person}', '{category}', '{on}'), ','), '')"
                ),
                &[],
            )
            .await
            .expect("query");
        let mut from_sql: Vec<String> = row
            .get::<_, String>(0)
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        from_sql.sort();
        let mut from_rust: Vec<String> = missing(required, &held, on)
            .iter()
            .map(uuid::Uuid::to_string)
            .collect();
        from_rust.sort();
        assert_eq!(from_sql, from_rust, "records {records:?} on {on}");
    }
}
