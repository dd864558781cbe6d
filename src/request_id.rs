//! The id that ties one request's response, problem body and log lines together.
//!
//! The request middleware runs each request inside a task-local scope holding its id, so
//! error responses built deep inside actix (extractor errors included) can name it.

tokio::task_local! {
    static REQUEST_ID: String;
}

/// Runs `fut` with `id` as the current request id.
pub async fn scope<F: std::future::Future>(id: String, fut: F) -> F::Output {
    REQUEST_ID.scope(id, fut).await
}

/// The current request's id, or a fresh one outside a request (never empty).
pub fn current() -> String {
    REQUEST_ID
        .try_with(Clone::clone)
        .unwrap_or_else(|_| new_id())
}

/// A new request id: a UUID v7, so ids sort by time in logs.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Accepts a caller's `X-Request-Id` only when it is short and plain, so it can't be used
/// to inject text into logs.
pub fn accept_incoming(value: &str) -> Option<String> {
    let ok = !value.is_empty()
        && value.len() <= 64
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    ok.then(|| value.to_owned())
}
