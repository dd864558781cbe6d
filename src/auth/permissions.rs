//! Object-level permission checks. Every route calls one of these with the object it acts
//! on, not just the route's role.

use uuid::Uuid;

use super::AuthUser;
use crate::domain::account::Role;
use crate::domain::error::DomainError;

fn denied() -> DomainError {
    DomainError::forbidden("you are not allowed to do this")
}

/// Only admins.
pub fn require_admin(user: &AuthUser) -> Result<(), DomainError> {
    if user.is_admin() {
        Ok(())
    } else {
        Err(denied())
    }
}

/// One of `roles`.
pub fn require_role(user: &AuthUser, roles: &[Role]) -> Result<(), DomainError> {
    if roles.contains(&user.role) {
        Ok(())
    } else {
        Err(denied())
    }
}

/// Acting for a service unit: its own staff, or an admin.
pub fn require_unit_member(user: &AuthUser, unit_id: Uuid) -> Result<(), DomainError> {
    let member = user.role == Role::Staff && user.service_unit_id == Some(unit_id);
    if member || user.is_admin() {
        Ok(())
    } else {
        Err(denied())
    }
}

/// Acting for a council: its coordinator, or an admin.
pub fn require_council_coordinator(user: &AuthUser, council_id: Uuid) -> Result<(), DomainError> {
    let leads = user.role == Role::Coordinator && user.council_id == Some(council_id);
    if leads || user.is_admin() {
        Ok(())
    } else {
        Err(denied())
    }
}
