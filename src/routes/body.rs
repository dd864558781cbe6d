//! `JsonBody<T>`: the JSON body extractor every route uses. On top of actix's `Json`
//! (size limit, content type, syntax → 400/413) it insists on a JSON object, refuses text
//! PostgreSQL cannot store (NUL characters), and reports shape errors as 422 naming the
//! field. [`Deferred`] reads the bytes first and parses when the handler asks, after it
//! has checked the caller's role.

use crate::domain::problem::FieldProblem;
use std::future::Future;
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{ApiError, FieldError};

/// A request body of type `T`, with the JSON it was read from (for idempotency hashes).
pub struct JsonBody<T> {
    inner: T,
    raw: Value,
}

impl<T> JsonBody<T> {
    pub fn into_inner(self) -> T {
        self.inner
    }

    /// The body as received (object keys sorted, so equal bodies compare equal).
    pub fn raw(&self) -> &Value {
        &self.raw
    }
}

impl<T> std::ops::Deref for JsonBody<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.inner
    }
}

impl<T: DeserializeOwned> JsonBody<T> {
    /// Checks and reads an already parsed body.
    pub fn from_value(raw: Value) -> Result<Self, ApiError> {
        let inner = parse(raw.clone())?;
        Ok(Self { inner, raw })
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, actix_web::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = Deferred::<T>::from_request(req, payload);
        Box::pin(async move { Ok(body.await?.parse()?) })
    }
}

/// A JSON body read but not yet parsed: for routes that must refuse a caller's role
/// (403) before they say anything about the body (400/422). [`Deferred::parse`] gives the
/// same answers [`JsonBody`] would.
pub struct Deferred<T> {
    content_type: Option<String>,
    bytes: web::Bytes,
    _body: std::marker::PhantomData<T>,
}

impl<T> FromRequest for Deferred<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let content_type = req
            .headers()
            .get(actix_web::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let bytes = bytes.await.map_err(|e| {
                if e.as_response_error().status_code().as_u16() == 413 {
                    crate::error::payload_too_large()
                } else {
                    ApiError::malformed(format!("the body could not be read: {e}"))
                }
            })?;
            Ok(Self {
                content_type,
                bytes,
                _body: std::marker::PhantomData,
            })
        })
    }
}

impl<T: DeserializeOwned> Deferred<T> {
    /// Reads the body: not JSON (by content type or syntax) is 400, the wrong shape 422.
    pub fn parse(self) -> Result<JsonBody<T>, ApiError> {
        let is_json = self.content_type.as_deref().is_some_and(|c| {
            let essence = c.split(';').next().unwrap_or_default().trim();
            essence.eq_ignore_ascii_case("application/json") || essence.ends_with("+json")
        });
        if !is_json {
            return Err(ApiError::malformed(
                "the body must be JSON sent with Content-Type: application/json",
            ));
        }
        let raw: Value = serde_json::from_slice(&self.bytes).map_err(|e| {
            let message = e.to_string();
            let message = match message.find(" at line ") {
                Some(i) => &message[..i],
                None => &message,
            };
            ApiError::malformed(format!("the body is not valid JSON: {message}"))
        })?;
        JsonBody::from_value(raw)
    }

    /// As [`Deferred::parse`], but an empty body reads as `{}` (bodies whose every field
    /// is optional).
    pub fn parse_or_empty(self) -> Result<JsonBody<T>, ApiError> {
        if self.bytes.iter().all(u8::is_ascii_whitespace) {
            return JsonBody::from_value(serde_json::json!({}));
        }
        self.parse()
    }
}

fn parse<T: DeserializeOwned>(value: Value) -> Result<T, ApiError> {
    if !value.is_object() {
        return Err(ApiError::invalid_field("body", FieldProblem::NotJsonObject));
    }
    if let Some(path) = find_nul(&value, String::new()) {
        return Err(ApiError::invalid_field(
            if path.is_empty() { "body".into() } else { path },
            FieldProblem::NulCharacters,
        ));
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let message = e.inner().to_string();
        // A wrong value is named by its path; a missing top-level field only in the message.
        let path = e.path().to_string();
        let field = if path != "." && !path.is_empty() {
            path
        } else {
            field_named_in(&message).unwrap_or_else(|| "body".into())
        };
        ApiError::validation(vec![FieldError::new(
            field,
            FieldProblem::Malformed { detail: message },
        )])
    })
}

/// The path of the first string (or key) holding a NUL character.
fn find_nul(value: &Value, path: String) -> Option<String> {
    match value {
        Value::String(s) if s.contains('\0') => Some(path),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| find_nul(v, format!("{path}[{i}]"))),
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            let here = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            if k.contains('\0') {
                Some(path.clone())
            } else {
                find_nul(v, here)
            }
        }),
        _ => None,
    }
}

/// serde names the offending field in backticks: "unknown field `x`", "missing field `y`".
pub fn field_named_in(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    let field = &message[start..start + len];
    (message.contains("field") && !field.is_empty()).then(|| field.to_owned())
}
