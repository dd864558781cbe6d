//! The task marketplace: post, edit, cancel, complete, claim and release — each on a
//! connection already inside the caller's transaction (see `services::idempotency`), so the
//! change, its event and its emails commit together.

mod claims;
mod lifecycle;
mod post;
mod read;

pub use claims::*;
pub use lifecycle::*;
pub use post::*;
pub use read::*;

use uuid::Uuid;

use crate::db::tasks::TaskPrivateRow;
use crate::domain::error::{DomainError, ErrorCode};
use crate::domain::task as rules;
use crate::validation::Validator;

fn not_found() -> DomainError {
    DomainError::not_found("no such task")
}

fn not_open(detail: &str) -> DomainError {
    DomainError::new(ErrorCode::TaskNotOpen, detail)
}

/// The private block as given in a request; `None` fields are empty.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivateInput {
    pub address: Option<String>,
    pub recipient_name: Option<String>,
    pub recipient_phone: Option<String>,
    pub notes: Option<String>,
}

/// Changes to the private block in a PATCH (RFC 7396 merge): an absent field stays as it
/// is, `null` clears it, a value replaces it.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivatePatch {
    #[serde(default, deserialize_with = "crate::validation::double_option")]
    pub address: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::validation::double_option")]
    pub recipient_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::validation::double_option")]
    pub recipient_phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::validation::double_option")]
    pub notes: Option<Option<String>>,
}

impl PrivatePatch {
    /// The whole block after this patch is applied to `old`.
    pub(crate) fn applied_to(&self, old: &TaskPrivateRow) -> PrivateInput {
        let merge = |patch: &Option<Option<String>>, old: &Option<String>| match patch {
            None => old.clone(),
            Some(new) => new.clone(),
        };
        PrivateInput {
            address: merge(&self.address, &old.address),
            recipient_name: merge(&self.recipient_name, &old.recipient_name),
            recipient_phone: merge(&self.recipient_phone, &old.recipient_phone),
            notes: merge(&self.notes, &old.notes),
        }
    }
}

pub(crate) fn check_private(
    v: &mut Validator,
    task_id: Uuid,
    input: &PrivateInput,
) -> TaskPrivateRow {
    let mut field = |name: &str, value: &Option<String>, max: usize, line: bool| {
        let value = value.as_deref()?;
        let checked = if line {
            crate::domain::check_line(value, max)
        } else {
            rules::check_text(value, max)
        };
        v.check(&format!("private.{name}"), checked)
            .filter(|s| !s.is_empty())
    };
    TaskPrivateRow {
        task_id,
        address: field("address", &input.address, 300, false),
        recipient_name: field("recipient_name", &input.recipient_name, 200, true),
        recipient_phone: field("recipient_phone", &input.recipient_phone, 32, true),
        notes: field("notes", &input.notes, 2000, false),
    }
}
