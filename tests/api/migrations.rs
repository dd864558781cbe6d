//! Every migration's `down.sql` really reverts its `up.sql`: the schema after
//! up-then-down equals the schema before, step by step.

use diesel::Connection;
use diesel_async::AsyncPgConnection;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_migrations::MigrationHarness;

use crate::support::db::TestDatabase;

/// A description of everything a migration can create in the public schema.
const SNAPSHOT: &str = r#"
SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '')
  FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'
UNION ALL
SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '__diesel_schema_migrations'
UNION ALL
SELECT 'constraint ' || conrelid::regclass || ' ' || pg_get_constraintdef(oid)
  FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '__diesel_schema_migrations'
UNION ALL
SELECT 'function ' || proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace
UNION ALL
SELECT 'trigger ' || tgname FROM pg_trigger WHERE NOT tgisinternal
UNION ALL
SELECT 'type ' || typname FROM pg_type WHERE typnamespace = 'public'::regnamespace AND typtype IN ('e', 'd', 'c') AND typrelid = 0
UNION ALL
SELECT 'sequence ' || sequence_name FROM information_schema.sequences WHERE sequence_schema = 'public'
ORDER BY 1
"#;

async fn snapshot(url: &str) -> Vec<String> {
    let client = dugnad::db::raw_connect(url).await.expect("connect");
    client
        .query(SNAPSHOT, &[])
        .await
        .expect("snapshot")
        .into_iter()
        .map(|row| row.get(0))
        .collect()
}

#[tokio::test]
async fn every_down_migration_reverts_its_up_migration() {
    let db = TestDatabase::unborn();
    dugnad::db::ensure_database_exists(&db.url)
        .await
        .expect("create database");
    let url = db.url.clone();
    let total =
        diesel::migration::MigrationSource::<diesel::pg::Pg>::migrations(&dugnad::db::MIGRATIONS)
            .expect("embedded migrations")
            .len();
    assert!(total > 0);
    let mut before = snapshot(&url).await;
    for step in 0..total {
        let url2 = url.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn =
                AsyncConnectionWrapper::<AsyncPgConnection>::establish(&url2).expect("connect");
            conn.run_next_migration(dugnad::db::MIGRATIONS).expect("up");
            conn.revert_last_migration(dugnad::db::MIGRATIONS)
                .expect("down");
        })
        .await
        .expect("migration thread");
        let after = snapshot(&url).await;
        assert_eq!(
            before, after,
            "migration #{step}: down.sql does not revert up.sql"
        );
        let url2 = url.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn =
                AsyncConnectionWrapper::<AsyncPgConnection>::establish(&url2).expect("connect");
            conn.run_next_migration(dugnad::db::MIGRATIONS)
                .expect("up again");
        })
        .await
        .expect("migration thread");
        let applied = snapshot(&url).await;
        assert_ne!(before, applied, "migration #{step} changes the schema");
        before = applied;
    }
}
