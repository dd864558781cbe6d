//! Per-test databases cloned from a migrated template.
//!
//! The template is built once (per version of the migrations and data files) under an
//! advisory lock, so parallel tests and parallel test processes share it safely. Each test
//! gets `CREATE DATABASE … TEMPLATE` and drops it `WITH (FORCE)` when it ends, also when it
//! fails. The shared server is never stopped or restarted.

use std::hash::{Hash, Hasher};
use std::path::Path;

use tokio::sync::OnceCell;

/// The server the tests use; `DUGNAD_TEST_DATABASE_URL` may point elsewhere.
pub fn server_url() -> String {
    std::env::var("DUGNAD_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://root@127.0.0.1:5432/postgres".into())
}

/// The URL of database `name` on the test server.
pub fn database_url(name: &str) -> String {
    let mut url = url::Url::parse(&server_url()).expect("DUGNAD_TEST_DATABASE_URL is a URL");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

const TEMPLATE_LOCK: i64 = 0x6475_676e_6164_7465;

static TEMPLATE: OnceCell<String> = OnceCell::const_new();

/// Name of the migrated template database, building it if needed.
pub async fn template() -> &'static str {
    TEMPLATE.get_or_init(build_template).await
}

fn content_hash() -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["migrations", "data"] {
        hash_dir(&root.join(dir), &mut hasher);
    }
    hasher.finish()
}

fn hash_dir(dir: &Path, hasher: &mut impl Hasher) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("readable directory")
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        path.file_name().hash(hasher);
        if path.is_dir() {
            hash_dir(&path, hasher);
        } else {
            std::fs::read(&path).expect("readable file").hash(hasher);
        }
    }
}

async fn build_template() -> String {
    let name = format!("dugnad_tpl_{:016x}", content_hash());
    let client = dugnad::db::raw_connect(&server_url()).await.expect(
        "PostgreSQL must be reachable at DUGNAD_TEST_DATABASE_URL (default postgres://root@127.0.0.1:5432/postgres)",
    );
    client
        .batch_execute(&format!("SELECT pg_advisory_lock({TEMPLATE_LOCK})"))
        .await
        .expect("template lock");
    let exists = client
        .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
        .await
        .expect("look up template")
        .is_some();
    if !exists {
        // Templates of older schema versions are of no further use — unless another
        // checkout on this machine (a CI run beside a developer's, say) is using one
        // right now: only those nobody has used for six hours go.
        let stale = client
            .query(
                "SELECT datname FROM pg_database \
                 WHERE datname LIKE 'dugnad\\_tpl\\_%' AND datname NOT LIKE '%\\_build' \
                 AND COALESCE(substring(shobj_description(oid, 'pg_database') FROM '^used ([0-9]+)$')::bigint, 0) \
                     < extract(epoch FROM now())::bigint - 6 * 3600",
                &[],
            )
            .await
            .expect("list templates");
        for row in stale {
            let old: String = row.get(0);
            let _ = client
                .batch_execute(&format!("DROP DATABASE IF EXISTS \"{old}\" WITH (FORCE)"))
                .await;
        }
        let building = format!("{name}_build");
        client
            .batch_execute(&format!(
                "DROP DATABASE IF EXISTS \"{building}\" WITH (FORCE)"
            ))
            .await
            .expect("drop an unfinished template database");
        client
            .batch_execute(&format!("CREATE DATABASE \"{building}\""))
            .await
            .expect("create template database");
        let settings = dugnad::settings::Settings::from_lookup(|key| match key {
            "DATABASE_URL" => Some(database_url(&building)),
            _ => None,
        })
        .expect("test settings");
        dugnad::db::prepare(&settings)
            .await
            .expect("migrate the template database");
        client
            .batch_execute(&format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{building}' AND pid <> pg_backend_pid()"
            ))
            .await
            .expect("close template connections");
        client
            .batch_execute(&format!(
                "ALTER DATABASE \"{building}\" RENAME TO \"{name}\""
            ))
            .await
            .expect("publish template database");
    }
    // Marks the template as in use, so another checkout's run leaves it alone.
    client
        .batch_execute(&format!(
            "DO $$ BEGIN EXECUTE format('COMMENT ON DATABASE %I IS %L', '{name}', 'used ' || extract(epoch FROM now())::bigint); END $$"
        ))
        .await
        .expect("mark the template as used");
    client
        .batch_execute(&format!("SELECT pg_advisory_unlock({TEMPLATE_LOCK})"))
        .await
        .expect("template unlock");
    name
}

/// A database of the test's own, dropped when this value is dropped.
pub struct TestDatabase {
    pub name: String,
    pub url: String,
}

impl TestDatabase {
    /// A fresh migrated database with the reference data loaded.
    pub async fn create() -> Self {
        let template = template().await;
        let name = format!("dugnad_test_{}", uuid::Uuid::new_v4().simple());
        let client = dugnad::db::raw_connect(&server_url())
            .await
            .expect("connect");
        client
            .batch_execute(&format!(
                "CREATE DATABASE \"{name}\" TEMPLATE \"{template}\""
            ))
            .await
            .expect("clone the template database");
        Self {
            url: database_url(&name),
            name,
        }
    }

    /// A name for a database that does not exist yet (dropped at the end if created).
    pub fn unborn() -> Self {
        let name = format!("dugnad_test_{}", uuid::Uuid::new_v4().simple());
        Self {
            url: database_url(&name),
            name,
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let name = self.name.clone();
        // Drop runs inside the test's runtime, which cannot be blocked on: use a thread
        // with a runtime of its own.
        let handle = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build();
            if let Ok(runtime) = runtime {
                runtime.block_on(async {
                    if let Ok(client) = dugnad::db::raw_connect(&server_url()).await {
                        let _ = client
                            .batch_execute(&format!(
                                "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                            ))
                            .await;
                    }
                });
            }
        });
        let _ = handle.join();
    }
}
