//! `JsonBody<T>`: the JSON body extractor every route uses. On top of actix's `Json`
//! (size limit, content type, syntax → 400/413) it insists on a JSON object, refuses text
//! PostgreSQL cannot store (NUL characters), and reports shape errors as 422 naming the
//! field.

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
        let json = web::Json::<Value>::from_request(req, payload);
        Box::pin(async move {
            let raw = json.await?.into_inner();
            Ok(JsonBody::from_value(raw)?)
        })
    }
}

fn parse<T: DeserializeOwned>(value: Value) -> Result<T, ApiError> {
    if !value.is_object() {
        return Err(ApiError::invalid_field("body", "must be a JSON object"));
    }
    if let Some(path) = find_nul(&value, String::new()) {
        return Err(ApiError::invalid_field(
            if path.is_empty() { "body".into() } else { path },
            "must not contain NUL characters",
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
        ApiError::validation(vec![FieldError { field, message }])
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
