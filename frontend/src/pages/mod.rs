//! One module per screen.

pub mod account_detail;
pub mod account_form;
pub mod account_health;
pub mod account_new;
pub mod account_proposals;
pub mod accounts;
pub mod admin_fields;
pub mod admin_jobs;
pub mod admin_settings;
pub mod admin_tokens;
pub mod admin_users;
pub mod contacts;
pub mod dashboard;
pub mod expansion;
pub mod feature_settings;
pub mod import;
pub mod label_settings;
pub mod login;
pub mod not_found;
pub mod notification_preferences;
pub mod proposal;
pub mod proposal_editor;
pub mod renewals;
pub mod timeline;
