//! Retry safety for mobile clients, at the edge. A request with an `Idempotency-Key` runs
//! once per (user, method, path, key) for 24 hours: a retry with the same body gets the
//! first 2xx or 4xx answer again, a different body is 422, and a retry while the first
//! still runs is 409 `idempotency_in_progress`. A 2xx answer is stored in the same
//! transaction as the change it reports; a task's private block is never stored, and the
//! body is kept only as an HMAC under a server key.

use crate::domain::problem::FieldProblem;
use actix_web::http::{StatusCode, header};
use actix_web::{FromRequest, HttpRequest, HttpResponse, dev::Payload};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::auth::keys::ServerKeys;
use crate::db::idempotency::{self as db, RecordKey, StoredAnswer};
use crate::error::{ApiError, ErrorCode, PROBLEM_JSON};

/// The `Idempotency-Key` header, when given: 1–255 visible ASCII characters.
pub struct IdempotencyKey(pub Option<String>);

impl FromRequest for IdempotencyKey {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let result = match req.headers().get("idempotency-key") {
            None => Ok(Self(None)),
            Some(value) => match value.to_str() {
                Ok(s)
                    if !s.is_empty()
                        && s.len() <= 255
                        && s.bytes().all(|b| (0x21..=0x7e).contains(&b)) =>
                {
                    Ok(Self(Some(s.to_owned())))
                }
                _ => Err(ApiError::invalid_field(
                    "Idempotency-Key",
                    FieldProblem::NotIdempotencyKey,
                )),
            },
        };
        std::future::ready(result)
    }
}

/// An answer to send and perhaps to replay.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub body: serde_json::Value,
    pub etag: Option<String>,
    /// True when this is a replay of an earlier answer.
    pub replayed: bool,
}

impl Answer {
    pub fn new(status: u16, body: serde_json::Value, etag: Option<String>) -> Self {
        Self {
            status,
            body,
            etag,
            replayed: false,
        }
    }

    /// The HTTP response (fresh or replayed).
    pub fn respond(self) -> HttpResponse {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::OK);
        let mut response = HttpResponse::build(status);
        if let Some(tag) = &self.etag {
            response.insert_header((header::ETAG, tag.clone()));
        }
        if self.replayed {
            response.insert_header(("Idempotent-Replayed", "true"));
        }
        if status.is_client_error() {
            response.content_type(PROBLEM_JSON);
        }
        response.json(self.body)
    }
}

/// Which request this is.
pub struct Scope<'a> {
    /// Keys the stored digest of the body, so a copy of the table confirms no guess.
    pub keys: &'a ServerKeys,
    pub user_id: Uuid,
    pub method: &'a str,
    pub path: &'a str,
    pub key: Option<&'a str>,
    pub body: &'a serde_json::Value,
}

impl Scope<'_> {
    fn request_hash(&self) -> Vec<u8> {
        self.keys
            .request_digest(&serde_json::to_vec(self.body).unwrap_or_default())
    }

    fn record<'k>(&'k self, key: &'k str) -> RecordKey<'k> {
        RecordKey {
            user_id: self.user_id,
            method: self.method,
            path: self.path,
            key,
        }
    }

    fn lock_key(&self, key: &str) -> i64 {
        let mut h = Sha256::new();
        for part in [
            self.user_id.to_string().as_str(),
            self.method,
            self.path,
            key,
        ] {
            h.update(part.as_bytes());
            h.update(b"\0");
        }
        let digest = h.finalize();
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(&digest[..8]);
        i64::from_be_bytes(bytes)
    }

    fn stored(&self, answer: &Answer) -> StoredAnswer {
        // The private block (and the unit's contact, re-read with it) is never stored.
        let mut body = answer.body.clone();
        if let Some(map) = body.as_object_mut() {
            map.remove("private");
            map.remove("unit");
        }
        StoredAnswer {
            request_hash: self.request_hash(),
            response_status: i32::from(answer.status),
            response_body: body,
            response_etag: answer.etag.clone(),
        }
    }
}

/// Runs a block (yielding `Result<Answer, ApiError>`, with `$conn` inside the
/// transaction) under the idempotency rules: first the key is locked and an earlier answer
/// replayed, then the block runs, then its answer is stored with the change. A 4xx rolls
/// the change back and is remembered in a transaction of its own. A macro rather than a
/// function taking a closure: diesel-async's transaction needs a `Send` future, which an
/// async closure borrowing the handler's locals cannot promise through a generic bound.
macro_rules! idempotent {
    ($pool:expr, $scope:expr, |$conn:ident| $body:block) => {{
        let mut conn = $pool.get().await?;
        let result = diesel_async::AsyncConnection::transaction(&mut *conn, async |$conn| {
            if let Some(replay) = $crate::routes::idempotency::begin($conn, &$scope).await? {
                return Ok(replay);
            }
            let answer: Result<$crate::routes::idempotency::Answer, $crate::error::ApiError> =
                $body;
            let answer = answer?;
            $crate::routes::idempotency::finish($conn, &$scope, &answer).await?;
            Ok::<_, $crate::error::ApiError>(answer)
        })
        .await;
        $crate::routes::idempotency::remember_failure(&mut conn, &$scope, result).await
    }};
}
pub(crate) use idempotent;

/// Stores the answer with the change, when the request carried a key.
pub async fn finish(
    conn: &mut AsyncPgConnection,
    scope: &Scope<'_>,
    answer: &Answer,
) -> Result<(), ApiError> {
    if let Some(key) = scope.key {
        db::store(conn, scope.record(key), &scope.stored(answer)).await?;
    }
    Ok(())
}

/// Returns the earlier answer to replay, or `None` to go ahead; refuses a concurrent run
/// (409) and a different body (422).
pub async fn begin(
    conn: &mut AsyncPgConnection,
    scope: &Scope<'_>,
) -> Result<Option<Answer>, ApiError> {
    let Some(key) = scope.key else {
        return Ok(None);
    };
    if !db::try_lock(conn, scope.lock_key(key)).await? {
        return Err(crate::domain::error::DomainError::new(
            ErrorCode::IdempotencyInProgress,
            "a request with this Idempotency-Key is still running",
        )
        .with_retry_after(1)
        .into());
    }
    match db::find(conn, scope.record(key)).await? {
        Some(row) if row.request_hash != scope.request_hash() => Err(ApiError::invalid_field(
            "Idempotency-Key",
            FieldProblem::KeyReused,
        )),
        Some(row) => Ok(Some(Answer {
            status: u16::try_from(row.response_status).unwrap_or(500),
            body: row.response_body,
            etag: row.response_etag,
            replayed: true,
        })),
        None => Ok(None),
    }
}

/// A client error (4xx) rolled the change back, so it is remembered in a transaction of
/// its own — unless the failure was about the key itself.
pub async fn remember_failure(
    conn: &mut AsyncPgConnection,
    scope: &Scope<'_>,
    result: Result<Answer, ApiError>,
) -> Result<Answer, ApiError> {
    let (Some(key), Err(e)) = (scope.key, &result) else {
        return result;
    };
    if !e.status().is_client_error()
        || e.code() == ErrorCode::IdempotencyInProgress
        || e.is_field_error("Idempotency-Key")
    {
        return result;
    }
    let answer = Answer::new(e.status().as_u16(), e.body_json(), None);
    let lock = scope.lock_key(key);
    conn.transaction(async |conn| {
        if db::try_lock(conn, lock).await? && db::find(conn, scope.record(key)).await?.is_none() {
            db::store(conn, scope.record(key), &scope.stored(&answer)).await?;
        }
        Ok::<_, ApiError>(())
    })
    .await?;
    result
}
