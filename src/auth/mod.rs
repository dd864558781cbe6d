//! Authentication and authorization: access tokens (JWT), passwords (argon2id on a bounded
//! pool), opaque single-use tokens, the authenticated caller (`AuthUser`), rate limits and
//! the object-level permission checks every use case applies.

pub mod client_ip;
pub mod jwt;
pub mod keys;
pub mod password;
pub mod permissions;
pub mod rate_limit;
pub mod signed;
pub mod tokens;

pub mod user;

pub use user::AuthUser;
