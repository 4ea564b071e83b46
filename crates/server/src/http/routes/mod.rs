//! Handlers, one module per resource group.

pub mod accounts;
pub mod auth;
pub mod custom_fields;
pub mod health;
pub mod imports;
pub mod users;
