//! Accounts, contacts and activities.

use chrono::{DateTime, NaiveDate, Utc};
use crm_core::{AccountId, ActivityId, ActivityKind, AtRiskReason, ContactId, Stage, UserId};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::patch::{not_null, present};

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Account {
    pub id: AccountId,
    pub name: String,
    /// Lower-case host name such as `acme.com`, unique within the business.
    pub domain: Option<String>,
    pub industry: Option<String>,
    pub stage: Stage,
    pub at_risk: bool,
    pub at_risk_reasons: Vec<AtRiskReason>,
    /// The customer success manager who owns the account.
    pub csm_id: Option<UserId>,
    /// The account executive who sold it.
    pub ae_id: Option<UserId>,
    pub renewal_date: Option<NaiveDate>,
    /// 0 to 100; null until the health score is first computed.
    pub health_score: Option<i32>,
    /// The customer's id in the billing system, the key subscriptions are matched by.
    pub billing_customer_id: Option<String>,
    /// The record's id in the CRM it was imported from.
    pub external_id: Option<String>,
    /// Values of the business's account custom fields, by key.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub custom_fields: Map<String, Value>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AccountCreate {
    pub name: String,
    /// A domain or website address; stored as its lower-case host name.
    #[serde(default)]
    pub domain: Option<String>,
    #[serde(default)]
    pub industry: Option<String>,
    /// Defaults to `active`.
    #[serde(default)]
    pub stage: Option<Stage>,
    #[serde(default)]
    pub at_risk: bool,
    /// Only with `at_risk` set.
    #[serde(default)]
    pub at_risk_reasons: Vec<AtRiskReason>,
    #[serde(default)]
    pub csm_id: Option<UserId>,
    #[serde(default)]
    pub ae_id: Option<UserId>,
    #[serde(default)]
    pub renewal_date: Option<NaiveDate>,
    #[serde(default)]
    pub billing_customer_id: Option<String>,
    #[serde(default)]
    pub external_id: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub custom_fields: Map<String, Value>,
}

/// Changes to an account. Only the fields sent change; `null` clears an optional field.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AccountUpdate {
    #[serde(default, deserialize_with = "not_null", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub domain: Option<Option<String>>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub industry: Option<Option<String>>,
    /// A change writes a system activity to the timeline.
    #[serde(default, deserialize_with = "not_null", skip_serializing_if = "Option::is_none")]
    pub stage: Option<Stage>,
    /// Clearing the flag also clears the reasons.
    #[serde(default, deserialize_with = "not_null", skip_serializing_if = "Option::is_none")]
    pub at_risk: Option<bool>,
    #[serde(default, deserialize_with = "not_null", skip_serializing_if = "Option::is_none")]
    pub at_risk_reasons: Option<Vec<AtRiskReason>>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Uuid))]
    pub csm_id: Option<Option<UserId>>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Uuid))]
    pub ae_id: Option<Option<UserId>>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<NaiveDate>))]
    pub renewal_date: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub billing_customer_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub external_id: Option<Option<String>>,
    /// Merged into the current values; `null` for a key removes that value.
    #[serde(default, deserialize_with = "not_null", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub custom_fields: Option<Map<String, Value>>,
}

/// Filters, sort and paging of the account list and its CSV export.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct AccountListParams {
    pub stage: Option<Stage>,
    pub at_risk: Option<bool>,
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, format = Uuid))]
    pub csm_id: Option<UserId>,
    /// Text matched case-insensitively anywhere in the name or domain.
    pub q: Option<String>,
    /// `name`, `created_at`, `updated_at`, `renewal_date` or `health_score`; a leading `-`
    /// sorts descending. Default `name`. Empty values sort last either way.
    pub sort: Option<String>,
    /// Items per page, 1 to 200 (default 50).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<i64>,
    /// Items to skip; not combined with `cursor`.
    #[cfg_attr(feature = "openapi", param(minimum = 0))]
    pub offset: Option<i64>,
    /// `next_cursor` of the previous page, for stable paging while rows change.
    pub cursor: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contact {
    pub id: ContactId,
    pub account_id: AccountId,
    pub name: String,
    pub email: Option<String>,
    pub title: Option<String>,
    pub champion: bool,
    pub economic_buyer: bool,
    pub technical_buyer: bool,
    pub detractor: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub custom_fields: Map<String, Value>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ContactCreate {
    pub name: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub champion: bool,
    #[serde(default)]
    pub economic_buyer: bool,
    #[serde(default)]
    pub technical_buyer: bool,
    #[serde(default)]
    pub detractor: bool,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub custom_fields: Map<String, Value>,
}

/// Changes to a contact; only the fields sent change.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ContactUpdate {
    #[serde(default, deserialize_with = "not_null", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub title: Option<Option<String>>,
    #[serde(default, deserialize_with = "not_null", skip_serializing_if = "Option::is_none")]
    pub champion: Option<bool>,
    #[serde(default, deserialize_with = "not_null", skip_serializing_if = "Option::is_none")]
    pub economic_buyer: Option<bool>,
    #[serde(default, deserialize_with = "not_null", skip_serializing_if = "Option::is_none")]
    pub technical_buyer: Option<bool>,
    #[serde(default, deserialize_with = "not_null", skip_serializing_if = "Option::is_none")]
    pub detractor: Option<bool>,
    #[serde(default, deserialize_with = "not_null", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub custom_fields: Option<Map<String, Value>>,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Activity {
    pub id: ActivityId,
    pub account_id: AccountId,
    pub kind: ActivityKind,
    pub subject: String,
    pub body: Option<String>,
    pub occurred_at: DateTime<Utc>,
    /// The user who logged it; null for system entries and imports.
    pub author_id: Option<UserId>,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ActivityCreate {
    /// `email`, `call`, `meeting` or `note`; `system` entries are written by Mango CS only.
    pub kind: ActivityKind,
    pub subject: String,
    #[serde(default)]
    pub body: Option<String>,
    /// Defaults to now; at most a day in the future.
    #[serde(default)]
    pub occurred_at: Option<DateTime<Utc>>,
}
