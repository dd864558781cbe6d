//! dugnad: volunteer task sharing between a municipality's health-and-mastery services and
//! the people who help. `docs/PRODUCT.md` gives the rules, `docs/DESIGN.md` the layers
//! these modules form and why.

pub mod auth;
pub mod catalogue;
pub mod clock;
pub mod console;
pub mod db;
pub mod delivery;
pub mod domain;
pub mod email;
pub mod error;
pub mod jobs;
pub mod metrics;
pub mod notify;
pub mod pagination;
pub mod push;
pub mod random;
pub mod reference;
pub mod request_id;
pub mod routes;
pub mod services;
pub mod settings;
pub mod site;
pub mod startup;
pub mod statement_log;
pub mod telemetry;
pub mod validation;
pub mod web;
