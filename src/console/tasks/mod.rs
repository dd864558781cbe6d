//! The staff's pages: the unit's task list, posting a task, the task page with its
//! claimants and history, editing, cancelling, completing and inviting — one file per
//! seam: `list`, `form` (post and edit), `page`, `actions` (cancel, complete, invite).

mod actions;
mod form;
mod list;
mod page;

use std::collections::HashMap;

use actix_web::web;
use uuid::Uuid;

use crate::auth::{AuthUser, permissions};
use crate::domain::account::Role;
use crate::domain::error::{DomainError, FieldError};
use crate::web::{Lang, http};

pub use actions::{cancel, complete, invite};
pub use form::{create, edit_form, new_form, redraw, update};
pub use list::list;
pub use page::show;

pub(super) fn require_staff(user: &AuthUser) -> Result<(), DomainError> {
    permissions::require_role(user, &[Role::Staff, Role::Admin])
}

pub(super) fn errors_by_field(lang: Lang, errors: &[FieldError]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for e in errors {
        out.entry(e.field.clone())
            .or_insert_with(|| e.problem.message(lang.0));
    }
    out
}

pub(super) fn task_id(path: &web::Path<String>) -> Result<Uuid, DomainError> {
    http::path_id(path, "no such task")
}
