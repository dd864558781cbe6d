//! Use cases: what the API, the console, the jobs and the command line do, free of HTTP.
//! They refuse with [`crate::domain::error::DomainError`], which each edge turns into its
//! own answer (a problem+json body, a page, a line on stderr).
//!
//! **Who opens the transaction.** The caller does. A use case that changes state is a
//! function on a connection that is already inside a transaction; the edge opens exactly
//! one per use case (`conn.transaction(async |conn| …)`, or the idempotency wrapper of
//! the API, which must store its answer in that same transaction), so a change, its audit
//! event and its outbox rows commit together or not at all, and use cases compose. The
//! one exception are the account use cases that check or hash a password (registration,
//! login, password and address changes): an argon2 hash takes tens of milliseconds of CPU,
//! and holding a pooled connection — let alone a transaction — across it would starve the
//! pool in a burst of logins. They take the [`Context`], hash with no connection held and
//! open their own transaction around the writes.

pub mod accounts;
pub mod demo;
pub mod devices;
pub mod erasure;
pub mod export;
pub mod form_submits;
pub mod funding;
pub mod health;
pub mod invitations;
pub mod links;
pub mod opt_outs;
pub mod outbox;
pub mod qualifications;
pub mod reference;
pub mod reports;
pub mod retention;
pub mod second_factor;
pub mod series;
pub mod sessions;
pub mod tasks;
pub mod users;
pub mod watches;

use std::sync::Arc;

use crate::auth::jwt::JwtKeys;
use crate::auth::keys::ServerKeys;
use crate::auth::password::PasswordHasher;
use crate::clock::Clock;
use crate::db::DbPool;
use crate::settings::Settings;

/// The handles a use case may need beyond its connection, built once per process and
/// shared by every edge (the API's handlers, the console's pages, the jobs).
#[derive(Clone)]
pub struct Context {
    pub pool: DbPool,
    pub settings: Arc<Settings>,
    pub hasher: PasswordHasher,
    pub keys: ServerKeys,
    pub jwt: JwtKeys,
    /// The time every use case reads (see `clock`).
    pub clock: Clock,
}

impl Context {
    /// The same context on another pool (each HTTP worker thread has its own).
    pub fn with_pool(&self, pool: DbPool) -> Self {
        Self {
            pool,
            ..self.clone()
        }
    }

    pub fn new(pool: DbPool, settings: &Settings) -> Self {
        Self {
            pool,
            settings: Arc::new(settings.clone()),
            hasher: PasswordHasher::default(),
            keys: ServerKeys::from_settings(settings),
            jwt: JwtKeys::from_settings(settings),
            clock: Clock::system(),
        }
    }

    /// The same context reading time from `clock`.
    pub fn with_clock(self, clock: Clock) -> Self {
        Self { clock, ..self }
    }
}
