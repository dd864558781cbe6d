//! Cursor pagination shared by every list: `?limit=` (1–100, default 20) and `?cursor=`,
//! answered as `{items, next_cursor}`.
//!
//! A cursor is the sort key and id of the last item served, so pages stay stable while
//! rows are added. It is opaque to clients (base64url of JSON).

use crate::domain::problem::FieldProblem;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::error::{DomainError, FieldError};

pub const DEFAULT_LIMIT: i64 = 20;
pub const MAX_LIMIT: i64 = 100;

/// The raw query parameters, before validation.
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

/// Where a page starts: after the row with this sort key and id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    pub key: String,
    pub id: Uuid,
}

impl Cursor {
    pub fn encode(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        URL_SAFE_NO_PAD.encode(json)
    }

    fn decode(raw: &str) -> Option<Self> {
        let bytes = URL_SAFE_NO_PAD.decode(raw).ok()?;
        serde_json::from_slice(&bytes).ok()
    }
}

/// A validated page request.
#[derive(Debug, Clone)]
pub struct Page {
    pub limit: i64,
    pub after: Option<Cursor>,
}

impl PageQuery {
    /// Validates limit and cursor, reporting both at once.
    pub fn parse(&self) -> Result<Page, DomainError> {
        let mut errors = Vec::new();
        let limit = match self.limit.as_deref() {
            None => DEFAULT_LIMIT,
            Some(raw) => match raw.parse::<i64>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
                _ => {
                    errors.push(FieldError {
                        field: "limit".into(),
                        problem: FieldProblem::Between {
                            min: 1,
                            max: MAX_LIMIT,
                        },
                    });
                    DEFAULT_LIMIT
                }
            },
        };
        let after = match self.cursor.as_deref() {
            None => None,
            Some(raw) => {
                let cursor = Cursor::decode(raw);
                if cursor.is_none() {
                    errors.push(FieldError {
                        field: "cursor".into(),
                        problem: FieldProblem::NotCursor,
                    });
                }
                cursor
            }
        };
        if errors.is_empty() {
            Ok(Page { limit, after })
        } else {
            Err(DomainError::validation(errors))
        }
    }
}

/// One page of a list.
#[derive(Debug, Serialize)]
pub struct Paginated<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T> Paginated<T> {
    /// Builds a page from `limit + 1` fetched rows: the extra row only says there is more.
    pub fn from_rows<R>(
        mut rows: Vec<R>,
        limit: i64,
        cursor_of: impl Fn(&R) -> Cursor,
        map: impl FnMut(R) -> T,
    ) -> Self {
        let limit = usize::try_from(limit).unwrap_or(0);
        let more = rows.len() > limit;
        rows.truncate(limit);
        let next_cursor = if more {
            rows.last().map(|r| cursor_of(r).encode())
        } else {
            None
        };
        Self {
            items: rows.into_iter().map(map).collect(),
            next_cursor,
        }
    }
}
