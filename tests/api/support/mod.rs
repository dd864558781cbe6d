//! Real collaborators for the tests: PostgreSQL databases and an SMTP server on loopback.

pub mod db;
pub mod fcm;
pub mod smtp;
pub mod spec;
