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

/// Runs the embedded migrations on `url` up to and including `version`.
async fn migrate_up_to(url: &str, version: &'static str) {
    let url = url.to_owned();
    tokio::task::spawn_blocking(move || {
        let mut conn =
            AsyncConnectionWrapper::<AsyncPgConnection>::establish(&url).expect("connect");
        while !conn
            .applied_migrations()
            .expect("applied")
            .iter()
            .any(|v| v.to_string() == version)
        {
            conn.run_next_migration(dugnad::db::MIGRATIONS).expect("up");
        }
    })
    .await
    .expect("migration thread");
}

#[tokio::test]
async fn the_one_outbox_takes_a_populated_v2_databases_emails_and_pushes_without_losing_one() {
    let db = TestDatabase::unborn();
    dugnad::db::ensure_database_exists(&db.url)
        .await
        .expect("create database");
    // v2's schema: an email outbox and a push outbox, each with rows in every state.
    migrate_up_to(&db.url, "20261207000028").await;
    let kari = uuid::Uuid::now_v7();
    let phone = uuid::Uuid::now_v7();
    let notification = uuid::Uuid::now_v7();
    let task = uuid::Uuid::now_v7();
    let pg = dugnad::db::raw_connect(&db.url).await.expect("connect");
    pg.batch_execute(&format!(
        "INSERT INTO users (id, email, name, role, language) VALUES ('{kari}', 'kari@example.no', 'Kari', 'volunteer', 'en');
         INSERT INTO devices (id, user_id, token, platform) VALUES ('{phone}', '{kari}', 'phone-kari', 'ios');
         INSERT INTO email_outbox (id, kind, user_id, to_address, language, facts, status, attempts, next_attempt_at, last_error)
           VALUES ('{}', 'inactivity_warning', '{kari}', 'kari@example.no', 'en',
                   '{{\"kind\": \"inactivity_warning\", \"name\": null}}', 'pending', 2, now() - interval '1 minute', '421 try later');
         INSERT INTO email_outbox (id, kind, to_address, facts, status, sent_at, message_id)
           VALUES ('{}', 'task_claimed', 'h***@larvik.test', NULL, 'sent', now(), '<x@dugnad.test>');
         INSERT INTO email_outbox (id, kind, to_address, facts, status, last_error)
           VALUES ('{}', 'task_filled', 'nobody@larvik.test', '{{\"kind\": \"inactivity_warning\", \"name\": null}}', 'dead', '550 no such user');
         INSERT INTO email_outbox (id, kind, to_address, facts, status, last_error)
           VALUES ('{}', 'password_reset', 'n***@example.no', NULL, 'dropped', 'no account to send this to');
         INSERT INTO push_outbox (id, notification_id, device_id, user_id, kind, payload, status, attempts)
           VALUES ('{}', '{notification}', '{phone}', '{kari}', 'task_changed',
                   '{{\"kind\": \"task_changed\", \"task_id\": \"{task}\", \"starts_at\": \"2026-12-10T09:30:00.000Z\",
                      \"category_nb\": \"Følge\", \"category_en\": \"Accompaniment\", \"area_hint\": null, \"language\": \"en\"}}',
                   'pending', 1);
         INSERT INTO push_outbox (id, notification_id, device_id, user_id, kind, payload, status, sent_at)
           VALUES ('{}', '{}', '{phone}', '{kari}', 'reminder', '{{\"kind\": \"reminder\"}}', 'sent', now());",
        uuid::Uuid::now_v7(),
        uuid::Uuid::now_v7(),
        uuid::Uuid::now_v7(),
        uuid::Uuid::now_v7(),
        uuid::Uuid::now_v7(),
        uuid::Uuid::now_v7(),
        uuid::Uuid::now_v7(),
    ))
    .await
    .expect("v2 rows");
    let before: Vec<String> = pg
        .query(
            "SELECT id::text || ' ' || status || ' ' || attempts || ' ' || next_attempt_at || ' ' || coalesce(last_error, '-') \
               FROM (SELECT id, status, attempts, next_attempt_at, last_error FROM email_outbox \
                     UNION ALL SELECT id, status, attempts, next_attempt_at, last_error FROM push_outbox) r ORDER BY 1",
            &[],
        )
        .await
        .expect("before")
        .into_iter()
        .map(|r| r.get(0))
        .collect();

    let url = db.url.clone();
    tokio::task::spawn_blocking(move || {
        let mut conn =
            AsyncConnectionWrapper::<AsyncPgConnection>::establish(&url).expect("connect");
        conn.run_pending_migrations(dugnad::db::MIGRATIONS)
            .expect("the rest");
    })
    .await
    .expect("migration thread");

    let after: Vec<String> = pg
        .query(
            "SELECT id::text || ' ' || status || ' ' || attempts || ' ' || next_attempt_at || ' ' || coalesce(last_error, '-') \
               FROM outbox ORDER BY 1",
            &[],
        )
        .await
        .expect("after")
        .into_iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(before.len(), 6);
    assert_eq!(
        after, before,
        "every row, its state, attempts and due time kept"
    );
    let moved: Vec<String> = pg
        .query(
            "SELECT channel || ' ' || kind || ' ' || status || ' ' || coalesce(to_address, '-') || ' ' \
                    || (device_id IS NOT NULL)::text || ' ' || language || ' ' \
                    || (facts IS NOT NULL)::text FROM outbox ORDER BY channel, kind",
            &[],
        )
        .await
        .expect("moved")
        .into_iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        moved,
        [
            "email inactivity_warning pending kari@example.no false en true",
            "email password_reset dropped n***@example.no false nb false",
            "email task_claimed sent h***@larvik.test false nb false",
            "email task_filled dead nobody@larvik.test false nb true",
            // A payload that named no language is read in bokmål, as the worker did.
            "fcm reminder sent - true nb true",
            "fcm task_changed pending - true en true",
        ],
        "channels, addresses, languages and facts as they were"
    );
    let push = pg
        .query_one(
            "SELECT device_id = $1 AND notification_id = $2 AND user_id = $3 AS same, facts::text FROM outbox \
              WHERE channel = 'fcm' AND status = 'pending'",
            &[&phone, &notification, &kari],
        )
        .await
        .expect("the pending push");
    assert!(
        push.get::<_, bool>(0),
        "the push keeps its device, notification and person"
    );
    let facts: dugnad::notify::PushFacts =
        serde_json::from_str(&push.get::<_, String>(1)).expect("the push's facts still read");
    assert_eq!(facts.task_id, task);

    // The one worker delivers the email that was waiting.
    let app = crate::helpers::TestApp::spawn_unmigrated(db.url.clone()).await;
    assert_eq!(app.drain_outbox().await, 1);
    let mail = app.smtp.received();
    assert_eq!(mail.len(), 1);
    assert!(
        mail[0].to.iter().any(|r| r.contains("kari@example.no")),
        "{:?}",
        mail[0].to
    );
    assert_eq!(
        mail[0].header("Subject").as_deref(),
        Some("Your dugnad account will be deleted soon"),
        "rendered in English, as Kari reads"
    );
}

#[tokio::test]
async fn preferences_move_from_columns_to_rows_and_back_without_changing_anyones_choice() {
    let db = TestDatabase::unborn();
    dugnad::db::ensure_database_exists(&db.url)
        .await
        .expect("create database");
    migrate_up_to(&db.url, "20261207000029").await;
    let (kari, ola, erased) = (
        uuid::Uuid::now_v7(),
        uuid::Uuid::now_v7(),
        uuid::Uuid::now_v7(),
    );
    let pg = dugnad::db::raw_connect(&db.url).await.expect("connect");
    // Kari turned reminders off and asked for the digest and for freed spots on her phone;
    // Ola kept every default; an erased account had everything off.
    pg.batch_execute(&format!(
        "INSERT INTO users (id, email, name, role, notify_reminder, notify_new_tasks_digest, push_spot_opened)
           VALUES ('{kari}', 'kari@example.no', 'Kari', 'volunteer', false, true, true);
         INSERT INTO users (id, email, name, role) VALUES ('{ola}', 'ola@example.no', 'Ola', 'volunteer');
         INSERT INTO users (id, email, name, role, active, notify_claim_confirmation, notify_task_changed,
                            notify_task_cancelled, notify_reminder, notify_invitation, notify_qualification_expiring,
                            push_task_changed, push_task_cancelled, push_reminder, push_invitation)
           VALUES ('{erased}', 'erased@erased.invalid', 'Slettet bruker', 'volunteer', false,
                   false, false, false, false, false, false, false, false, false, false);"
    ))
    .await
    .expect("v2 users");
    let columns = "SELECT id::text || ' ' || notify_claim_confirmation || notify_task_changed || notify_task_cancelled \
                   || notify_reminder || notify_invitation || notify_new_tasks_digest || notify_qualification_expiring \
                   || notify_spot_opened || push_task_changed || push_task_cancelled || push_reminder \
                   || push_invitation || push_spot_opened FROM users ORDER BY id";
    let before: Vec<String> = pg
        .query(columns, &[])
        .await
        .expect("before")
        .into_iter()
        .map(|r| r.get(0))
        .collect();

    migrate_up_to(&db.url, "20261207000030").await;
    let rows: Vec<String> = pg
        .query(
            "SELECT kind || '/' || channel || '=' || enabled FROM notification_preferences \
              WHERE user_id = $1 ORDER BY 1",
            &[&kari],
        )
        .await
        .expect("rows")
        .into_iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        rows,
        [
            "new_tasks_digest/email=true",
            "reminder/email=false",
            "spot_opened/fcm=true"
        ],
        "only what Kari chose otherwise than the default"
    );
    let counts: Vec<(String, i64)> = pg
        .query(
            "SELECT user_id::text, count(*) FROM notification_preferences GROUP BY 1 ORDER BY 1",
            &[],
        )
        .await
        .expect("counts")
        .into_iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert!(
        !counts.iter().any(|(id, _)| *id == ola.to_string()),
        "the defaults need no row: {counts:?}"
    );
    assert!(counts.contains(&(erased.to_string(), 10)), "{counts:?}");
    let gone = pg
        .query(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'users' \
              AND (column_name LIKE 'notify\\_%' OR column_name LIKE 'push\\_%')",
            &[],
        )
        .await
        .expect("columns");
    assert!(gone.is_empty(), "the flags left `users`");

    // And back: the down migration gives every column its old value.
    let url = db.url.clone();
    tokio::task::spawn_blocking(move || {
        let mut conn =
            AsyncConnectionWrapper::<AsyncPgConnection>::establish(&url).expect("connect");
        conn.revert_last_migration(dugnad::db::MIGRATIONS)
            .expect("down");
    })
    .await
    .expect("migration thread");
    let after: Vec<String> = pg
        .query(columns, &[])
        .await
        .expect("after")
        .into_iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(after, before);
}

#[tokio::test]
async fn nynorsk_is_a_language_and_reference_data_keeps_a_nynorsk_name() {
    let db = TestDatabase::unborn();
    dugnad::db::ensure_database_exists(&db.url)
        .await
        .expect("create database");
    migrate_up_to(&db.url, "20261207000030").await;
    let pg = dugnad::db::raw_connect(&db.url).await.expect("connect");
    pg.batch_execute(
        "INSERT INTO categories (id, slug, name_nb, name_en)
           VALUES (gen_random_uuid(), 'flag-raising', 'Flaggheising', 'Flag raising');
         INSERT INTO qualifications (id, slug, name_nb, name_en, legal_basis)
           VALUES (gen_random_uuid(), 'politiattest', 'Politiattest', 'Police certificate', 'Lov');",
    )
    .await
    .expect("v2 reference data");
    let refused = pg
        .batch_execute(
            "INSERT INTO users (id, email, name, role, language)
               VALUES (gen_random_uuid(), 'nils@example.no', 'Nils', 'volunteer', 'nn')",
        )
        .await;
    assert!(refused.is_err(), "before the migration only nb and en");

    migrate_up_to(&db.url, "20261207000031").await;
    pg.batch_execute(
        "INSERT INTO users (id, email, name, role, language)
           VALUES (gen_random_uuid(), 'nils@example.no', 'Nils', 'volunteer', 'nn')",
    )
    .await
    .expect("a nynorsk reader");
    let names: Vec<String> = pg
        .query(
            "SELECT name_nn FROM categories UNION ALL SELECT name_nn FROM qualifications ORDER BY 1",
            &[],
        )
        .await
        .expect("names")
        .into_iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        names,
        ["Flaggheising", "Politiattest"],
        "the bokmål name until renamed"
    );
    let empty = pg
        .batch_execute("UPDATE categories SET name_nn = ' '")
        .await;
    assert!(empty.is_err(), "a nynorsk name is never blank");
}
