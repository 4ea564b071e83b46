//! Handlers, one module per resource group.

pub mod accounts;
pub mod auth;
pub mod custom_fields;
pub mod health;
pub mod health_scores;
pub mod imports;
pub mod jobs;
pub mod notifications;
pub mod proposals;
pub mod renewals;
pub mod signals;
pub mod users;
