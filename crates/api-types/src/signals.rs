//! Signals ingested from the sibling apps: support tickets, survey responses,
//! subscriptions and product usage events.
//!
//! Each ingestion endpoint takes a batch of 1 to 1,000 items and upserts them by
//! `external_id`. Items are checked one by one, so an invalid item is reported with its
//! index and does not reject the valid ones.

use chrono::{DateTime, Utc};
use crm_core::{AccountId, BillingInterval, SubscriptionStatus, SurveyKind, TicketStatus};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The kinds of signal Mango CS ingests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SignalKind {
    SupportTickets,
    SurveyResponses,
    Subscriptions,
    UsageEvents,
}

impl SignalKind {
    pub const ALL: &'static [SignalKind] =
        &[SignalKind::SupportTickets, SignalKind::SurveyResponses, SignalKind::Subscriptions, SignalKind::UsageEvents];

    /// Returns the spelling in the database, such as `support_tickets`.
    pub fn as_str(self) -> &'static str {
        match self {
            SignalKind::SupportTickets => "support_tickets",
            SignalKind::SurveyResponses => "survey_responses",
            SignalKind::Subscriptions => "subscriptions",
            SignalKind::UsageEvents => "usage_events",
        }
    }

    pub fn parse(text: &str) -> Option<SignalKind> {
        SignalKind::ALL.iter().copied().find(|kind| kind.as_str() == text)
    }
}

/// A column of an uploaded signal file and the field it fills, if any.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignalColumn {
    pub header: String,
    /// The item field the column fills; null for a column that is ignored.
    pub field: Option<String>,
}

/// The preview of an uploaded signal file: the changes a commit would make.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignalImportPreview {
    /// Pass to `POST /api/v1/imports/{id}/commit` to apply the file.
    pub import_id: crm_core::ImportId,
    pub kind: SignalKind,
    pub columns: Vec<SignalColumn>,
    /// `new`, `updated` and `unchanged` count records; `invalid` counts rows with errors.
    pub counts: crate::imports::ImportCounts,
    /// Each invalid row's errors, by row number after the header (at most 1,000).
    pub errors: Vec<crate::imports::RowIssue>,
    pub issues_truncated: bool,
}

/// Most items one ingestion request may carry.
pub const MAX_BATCH_ITEMS: usize = 1_000;

macro_rules! batch {
    ($(#[$doc:meta])* $name:ident, $item:ty) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Deserialize, Serialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            /// 1 to 1,000 records; each is checked on its own.
            #[cfg_attr(feature = "openapi", schema(value_type = Vec<$item>))]
            pub items: Vec<Value>,
        }
    };
}

batch!(
    /// A batch of support tickets from the service desk.
    TicketBatch,
    TicketInput
);
batch!(
    /// A batch of NPS and CSAT responses from the survey tool.
    SurveyResponseBatch,
    SurveyResponseInput
);
batch!(
    /// A batch of subscriptions from the billing system.
    SubscriptionBatch,
    SubscriptionInput
);
batch!(
    /// A batch of product usage events.
    UsageEventBatch,
    UsageEventInput
);

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TicketInput {
    /// The ticket's id in the service desk; the upsert key.
    pub external_id: String,
    pub subject: String,
    pub status: TicketStatus,
    /// The ticket belongs to the account whose domain is this email's domain or a parent
    /// of it (`eu.acme.com` belongs to `acme.com`).
    pub reporter_email: String,
    pub opened_at: DateTime<Utc>,
    #[serde(default)]
    pub solved_at: Option<DateTime<Utc>>,
    /// One timestamp per reopen.
    #[serde(default)]
    pub reopened_at: Vec<DateTime<Utc>>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SurveyResponseInput {
    pub external_id: String,
    /// Matched to an account by domain, like a ticket's reporter.
    pub respondent_email: String,
    pub kind: SurveyKind,
    /// 0 to 10 for NPS, 1 to 5 for CSAT.
    pub score: i32,
    pub responded_at: DateTime<Utc>,
    #[serde(default)]
    pub comment: Option<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SubscriptionInput {
    pub external_id: String,
    /// The account, or give `billing_customer_id` instead.
    #[serde(default)]
    pub account_id: Option<AccountId>,
    /// Matched to the account with this billing customer id.
    #[serde(default)]
    pub billing_customer_id: Option<String>,
    pub plan_name: String,
    pub status: SubscriptionStatus,
    pub quantity: i32,
    /// Price of one unit in the currency's minor units (cents for USD, yen for JPY).
    pub unit_amount: i64,
    /// ISO 4217 code such as `USD`.
    pub currency: String,
    pub interval: BillingInterval,
    pub current_period_start: DateTime<Utc>,
    pub current_period_end: DateTime<Utc>,
    #[serde(default)]
    pub cancel_at_period_end: bool,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UsageEventInput {
    pub external_id: String,
    /// The account, or give `domain` instead.
    #[serde(default)]
    pub account_id: Option<AccountId>,
    /// Matched like an email's domain: the account with this domain or a parent of it.
    #[serde(default)]
    pub domain: Option<String>,
    #[serde(default)]
    pub user_email: Option<String>,
    /// Name of what the user did, such as `report_exported`.
    pub event: String,
    pub occurred_at: DateTime<Utc>,
}

/// The outcome of an ingestion request.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IngestResult {
    pub created: u32,
    pub updated: u32,
    /// Items identical to what was already stored.
    pub unchanged: u32,
    /// Items that were not stored, each with its position in `items`.
    pub errors: Vec<ItemError>,
}

/// The reason one item of a batch was not stored.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemError {
    /// Position of the item in `items`, from 0.
    pub index: usize,
    /// The item's external id, when it had a readable one.
    pub external_id: Option<String>,
    /// The field at fault, such as `status`.
    pub field: String,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ticket {
    pub id: String,
    pub account_id: AccountId,
    pub external_id: String,
    pub subject: String,
    pub status: TicketStatus,
    pub reporter_email: String,
    pub opened_at: DateTime<Utc>,
    pub solved_at: Option<DateTime<Utc>>,
    pub reopened_at: Vec<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyResponse {
    pub id: String,
    pub account_id: AccountId,
    pub external_id: String,
    pub respondent_email: String,
    pub kind: SurveyKind,
    pub score: i32,
    pub responded_at: DateTime<Utc>,
    pub comment: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Subscription {
    pub id: String,
    pub account_id: AccountId,
    pub external_id: String,
    pub billing_customer_id: Option<String>,
    pub plan_name: String,
    pub status: SubscriptionStatus,
    pub quantity: i32,
    /// Price of one unit in the currency's minor units.
    pub unit_amount: i64,
    pub currency: String,
    pub interval: BillingInterval,
    pub current_period_start: DateTime<Utc>,
    pub current_period_end: DateTime<Utc>,
    pub cancel_at_period_end: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UsageEvent {
    pub id: String,
    pub account_id: AccountId,
    pub external_id: String,
    pub user_email: Option<String>,
    pub event: String,
    pub occurred_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

/// Filters of the signal lists. `status` filters tickets and subscriptions by status,
/// survey responses by kind and usage events by event name. `from` and `to` bound the
/// opening, response, period-end or event date.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct SignalListParams {
    pub account_id: Option<AccountId>,
    /// Status (tickets, subscriptions), kind (survey responses) or event name (usage).
    pub status: Option<String>,
    /// Earliest date-time included.
    pub from: Option<DateTime<Utc>>,
    /// Date-time before which items end.
    pub to: Option<DateTime<Utc>>,
    /// Items per page, 1 to 200 (default 50).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<i64>,
    /// Items to skip (default 0).
    #[cfg_attr(feature = "openapi", param(minimum = 0))]
    pub offset: Option<i64>,
}
