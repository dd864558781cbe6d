//! The one integration test binary: the real server over HTTP, real PostgreSQL, real SMTP.

mod helpers;
mod support;

mod accounts;
mod architecture;
mod claims;
mod config;
mod console;
mod contract;
mod councils;
mod errors;
mod funding;
mod fuzz;
mod lifecycle;
mod migrations;
mod notifications;
mod operations;
mod outbox;
mod privacy;
mod properties;
mod push;
mod qualifications;
mod reference;
mod reports;
mod rules;
mod series;
mod site;
mod spots;
mod tasks;
