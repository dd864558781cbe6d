//! A record of the statements each request ran, for tests: how many a claim takes, and
//! whether two requests did the same work. Only the SQL text is kept, never the values.

/// The SQL text (never the values) of every statement the pool's connections run, with
/// the request id it ran for: how tests count a request's statements and compare the
/// work two requests did. Off unless `DatabaseSettings::statement_log` is set.
#[derive(Clone, Default)]
pub struct StatementLog {
    run: std::sync::Arc<std::sync::Mutex<Vec<(String, String)>>>,
    /// The SQL of every statement a connection prepared to keep (diesel's statement
    /// cache); a statement diesel cannot keep is prepared afresh each time and is not here.
    kept: std::sync::Arc<std::sync::Mutex<std::collections::HashSet<String>>>,
}

impl std::fmt::Debug for StatementLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StatementLog")
    }
}

impl StatementLog {
    fn record(&self, sql: &str) {
        let sql = sql.split(" -- binds:").next().unwrap_or_default().trim();
        if let Ok(mut entries) = self.run.lock() {
            entries.push((crate::request_id::current(), sql.to_owned()));
        }
    }

    /// The statements run for one request, in order.
    pub fn for_request(&self, request_id: &str) -> Vec<String> {
        self.run
            .lock()
            .map(|entries| {
                entries
                    .iter()
                    .filter(|(id, _)| id == request_id)
                    .map(|(_, sql)| sql.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Whether a connection prepared `sql` to keep, rather than afresh for one run.
    pub fn kept_prepared(&self, sql: &str) -> bool {
        self.kept
            .lock()
            .map(|kept| kept.contains(sql.trim()))
            .unwrap_or(false)
    }
}

impl diesel::connection::Instrumentation for StatementLog {
    fn on_connection_event(&mut self, event: diesel::connection::InstrumentationEvent<'_>) {
        use diesel::connection::InstrumentationEvent as E;
        match event {
            E::FinishQuery { query, .. } => self.record(&query.to_string()),
            E::CacheQuery { sql, .. } => {
                if let Ok(mut kept) = self.kept.lock() {
                    kept.insert(sql.trim().to_owned());
                }
            }
            _ => {}
        }
    }
}
