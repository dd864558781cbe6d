//! A record of the statements each request ran, for tests: how many a claim takes, and
//! whether two requests did the same work. Only the SQL text is kept, never the values.

/// The SQL text (never the values) of every statement the pool's connections run, with
/// the request id it ran for: how tests count a request's statements and compare the
/// work two requests did. Off unless `DatabaseSettings::statement_log` is set.
#[derive(Clone, Default)]
pub struct StatementLog(std::sync::Arc<std::sync::Mutex<Vec<(String, String)>>>);

impl std::fmt::Debug for StatementLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StatementLog")
    }
}

impl StatementLog {
    fn record(&self, sql: &str) {
        let sql = sql.split(" -- binds:").next().unwrap_or_default().trim();
        if let Ok(mut entries) = self.0.lock() {
            entries.push((crate::request_id::current(), sql.to_owned()));
        }
    }

    /// The statements run for one request, in order.
    pub fn for_request(&self, request_id: &str) -> Vec<String> {
        self.0
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
}

impl diesel::connection::Instrumentation for StatementLog {
    fn on_connection_event(&mut self, event: diesel::connection::InstrumentationEvent<'_>) {
        if let diesel::connection::InstrumentationEvent::FinishQuery { query, .. } = event {
            self.record(&query.to_string());
        }
    }
}
