//! Use cases. Each public function is one transaction: the state change, its audit trail
//! and its outbox rows commit together or not at all.

pub mod accounts;
pub mod demo;
pub mod erasure;
pub mod idempotency;
pub mod invitations;
pub mod links;
pub mod opt_outs;
pub mod reference;
pub mod reports;
pub mod retention;
pub mod tasks;
pub mod users;
