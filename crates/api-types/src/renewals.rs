//! The renewal pipeline.

use chrono::NaiveDate;
use crm_core::{AccountId, UserId};
use renewals::{RenewalStage, StageReason};
use serde::{Deserialize, Serialize};

use crate::signals::Subscription;

/// Filters of the pipeline, its summary and its CSV export.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct RenewalListParams {
    /// Days ahead: 30, 60 or 90 (default 90).
    pub window: Option<i64>,
    /// Only entries in this stage; the summary ignores it.
    pub stage: Option<RenewalStage>,
    /// Only accounts this user manages.
    pub csm_id: Option<UserId>,
    /// The day the window starts after; today in UTC when absent.
    pub as_of: Option<NaiveDate>,
    /// Entries per page, 1 to 200 (default 50); the summary and the export ignore it.
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<i64>,
    #[cfg_attr(feature = "openapi", param(minimum = 0))]
    pub offset: Option<i64>,
}

/// An amount in a currency's minor units (cents for USD, yen for JPY, fils for KWD).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Money {
    pub amount: i64,
    /// ISO 4217 code.
    pub currency: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RenewalAccount {
    pub id: AccountId,
    pub name: String,
    pub csm_id: Option<UserId>,
}

/// One renewal in the window: a subscription whose period ends in it, or an account
/// without subscriptions whose renewal date falls in it.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RenewalEntry {
    pub account: RenewalAccount,
    pub subscription: Option<Subscription>,
    /// The UTC date of the period end, or the account's renewal date.
    pub renewal_date: NaiveDate,
    pub days_to_renewal: i64,
    /// Annual recurring revenue of the subscription; null for an account entry.
    pub arr: Option<Money>,
    pub stage: RenewalStage,
    pub stage_reason: Option<StageReason>,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RenewalPage {
    /// Sorted by days to renewal, then account name.
    pub items: Vec<RenewalEntry>,
    pub total: i64,
    pub as_of: NaiveDate,
    pub window: i64,
}

/// Entries and annual revenue of one stage; revenue is summed per currency, never mixed.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StageSummary {
    pub stage: RenewalStage,
    pub count: i64,
    pub arr: Vec<Money>,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RenewalSummary {
    pub as_of: NaiveDate,
    pub window: i64,
    /// Every stage, in pipeline order, with zero counts included.
    pub stages: Vec<StageSummary>,
    pub total: i64,
    pub total_arr: Vec<Money>,
}

/// A signal that an account may buy more.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ExpansionSignal {
    /// A health score of 75 or more and a subscription renewing 30 to 90 days ahead.
    ExpansionReadyRenewal,
    /// A champion contact and no non-system activity in the last 30 days.
    DormantChampion,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExpansionCandidate {
    pub account: RenewalAccount,
    pub health_score: Option<i32>,
    pub signals: Vec<ExpansionSignal>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct ExpansionListParams {
    /// The day the signals are read for; today in UTC when absent.
    pub as_of: Option<NaiveDate>,
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<i64>,
    #[cfg_attr(feature = "openapi", param(minimum = 0))]
    pub offset: Option<i64>,
}
