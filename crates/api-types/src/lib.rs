//! Request and response bodies of the JSON API under `/api/v1`.
//!
//! The server renders these types and documents them in OpenAPI; the browser app
//! deserialises the same types, so the two cannot drift apart. Request bodies reject
//! unknown fields so a misspelt field is an error instead of silently ignored.

pub mod accounts;
pub mod auth;
pub mod custom_fields;
pub mod health;
pub mod imports;
pub mod jobs;
pub mod mail;
pub mod notifications;
pub mod patch;
pub mod proposals;
pub mod renewals;
pub mod settings;
pub mod signals;
pub mod users;

use serde::{Deserialize, Serialize};

/// One page of a list and the number of items that match its filters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Items matching the filters across all pages.
    pub total: i64,
    /// Pass as `cursor` to fetch the page after this one; absent on the last page and
    /// on lists that page by offset only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Offset paging of lists without a sort choice.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct PageParams {
    /// Items per page, 1 to 200 (default 50).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<i64>,
    /// Items to skip (default 0).
    #[cfg_attr(feature = "openapi", param(minimum = 0))]
    pub offset: Option<i64>,
}
