//! A web form's first submit: each rendered form carries a key, and where its first submit
//! led is recorded in that submit's transaction, so that a repeated submit (a double
//! click, a reload, the back button) finds it instead of doing the work again. The same
//! table as the API's `Idempotency-Key`, under the form's own path.

use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use crate::db::idempotency::{self as idem, RecordKey, StoredAnswer};
use crate::domain::error::{DomainError, ErrorCode};

fn record_key<'a>(user: Uuid, form: &'a str, key: &'a str) -> RecordKey<'a> {
    RecordKey {
        user_id: user,
        method: "POST",
        path: form,
        key,
    }
}

/// Where the first submit of `user`'s form `form` with `key` led, if it was made.
pub async fn led_to(
    conn: &mut AsyncPgConnection,
    user: Uuid,
    form: &str,
    key: &str,
) -> Result<Option<String>, DomainError> {
    let record = idem::find(conn, record_key(user, form, key)).await?;
    Ok(record.and_then(|r| {
        r.response_body
            .get("location")
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    }))
}

/// Records, in the submit's transaction, that it led to `location`. A second submit of
/// the same form at the same moment loses: `Conflict`, and its transaction posts nothing.
pub async fn remember(
    conn: &mut AsyncPgConnection,
    user: Uuid,
    form: &str,
    key: &str,
    location: String,
) -> Result<String, DomainError> {
    let stored = idem::store_first(
        conn,
        record_key(user, form, key),
        &StoredAnswer {
            request_hash: Vec::new(),
            response_status: 303,
            response_body: serde_json::json!({ "location": location }),
            response_etag: None,
        },
    )
    .await?;
    if !stored {
        return Err(DomainError::new(ErrorCode::Conflict, "submitted twice")
            .with_extra(TWICE, serde_json::Value::Bool(true)));
    }
    Ok(location)
}

/// The problem member that marks the refusal of a form's second submit.
const TWICE: &str = "submitted_twice";

/// Whether `e` is the refusal of a form submitted a second time (the first one's answer
/// is then shown instead).
pub fn is_submitted_twice(e: &DomainError) -> bool {
    e.code() == ErrorCode::Conflict && e.extra().contains_key(TWICE)
}
