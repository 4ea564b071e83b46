//! The mail outbox, as admins read it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A mail in the outbox.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutboxMail {
    pub id: String,
    pub to: String,
    pub subject: String,
    pub text_body: String,
    /// `pending` (to send, or waiting for a server with SMTP), `sending`, `sent` or
    /// `failed` (the sender stopped mid-send; not resent).
    pub status: String,
    pub attempts: i32,
    /// The error of the last failed attempt.
    pub last_error: Option<String>,
    pub next_attempt_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct OutboxListParams {
    /// Only mails with this status.
    pub status: Option<String>,
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<i64>,
    #[cfg_attr(feature = "openapi", param(minimum = 0))]
    pub offset: Option<i64>,
}
