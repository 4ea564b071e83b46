//! The Mango CS browser app: a Leptos single-page app that talks only to `/api/v1`.
//!
//! Modules without Leptos views (`account_draft`, `alerts`, `business_settings`,
//! `chart_geometry`, `csv_preview`, `forms`, `health_labels`, `health_settings`, `labels`, `list_query`,
//! `money`, `proposal_draft`, `redirect`, `renewal_query`) hold the state logic and are unit-tested natively with `cargo test`.

pub mod account_draft;
pub mod alerts;
pub mod api;
pub mod app;
pub mod bell;
pub mod business;
pub mod business_settings;
pub mod chart_geometry;
pub mod charts;
pub mod components;
pub mod csv_preview;
pub mod forms;
pub mod health_labels;
pub mod health_settings;
pub mod labels;
pub mod list_query;
pub mod money;
pub mod notify;
pub mod pages;
pub mod proposal_draft;
pub mod redirect;
pub mod renewal_query;
pub mod session;

/// Mounts the app on the page's `<body>`.
pub fn start() {
    leptos::mount::mount_to_body(app::App);
}
