//! Health scores: an account's breakdown and history, and the dashboard.

use chrono::NaiveDate;
use crm_core::{AccountId, AtRiskReason, Stage, UserId};
use health::HealthBand;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One component of an account's latest health snapshot.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HealthComponent {
    /// 0 to 100 with two decimals; null when the account has no signal for it.
    pub score: Option<f64>,
    /// The weight the component had in this snapshot.
    pub weight: u32,
    /// One line on what the score is based on, such as "3 open tickets, oldest 41 days".
    pub narrative: String,
    /// The raw numbers the score came from.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub inputs: Value,
    /// The score in the previous snapshot, when there is one.
    pub previous_score: Option<f64>,
    /// This score minus the previous one, when both have input.
    pub change: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HealthComponents {
    pub usage: HealthComponent,
    pub support: HealthComponent,
    pub sentiment: HealthComponent,
    pub contract_risk: HealthComponent,
}

/// An account's latest health snapshot, explained.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountHealth {
    pub account_id: AccountId,
    /// 0 to 100: the weighted mean of the components with input, rounded half up.
    pub overall_score: i32,
    /// True when no weighted component had input, so the score is the neutral 50.
    pub neutral: bool,
    pub band: HealthBand,
    /// The date the snapshot describes.
    pub as_of: NaiveDate,
    /// The date of the snapshot before this one.
    pub previous_as_of: Option<NaiveDate>,
    pub previous_overall_score: Option<i32>,
    pub components: HealthComponents,
}

/// One point of an account's health history.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HealthPoint {
    pub as_of: NaiveDate,
    pub overall_score: i32,
    pub neutral: bool,
    pub usage: Option<f64>,
    pub support: Option<f64>,
    pub sentiment: Option<f64>,
    pub contract_risk: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HealthHistory {
    /// Oldest first.
    pub items: Vec<HealthPoint>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct HealthHistoryParams {
    /// Days back from today, 1 to 730 (default 90).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 730))]
    pub days: Option<i64>,
}

/// An account on the dashboard's at-risk list.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AtRiskAccount {
    pub id: AccountId,
    pub name: String,
    pub stage: Stage,
    pub health_score: Option<i32>,
    pub at_risk: bool,
    pub at_risk_reasons: Vec<AtRiskReason>,
    pub csm_id: Option<UserId>,
    pub renewal_date: Option<NaiveDate>,
}

/// How many live accounts fall in a health band.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BandCount {
    pub band: HealthBand,
    /// "Healthy", "OK", "At risk", "Critical" or "Unknown".
    pub label: String,
    pub count: i64,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dashboard {
    /// Accounts that have not churned and score under the threshold or are flagged,
    /// lowest score first.
    pub at_risk: Vec<AtRiskAccount>,
    /// All such accounts, beyond the first page shown.
    pub at_risk_total: i64,
    pub at_risk_threshold: i32,
    /// Accounts that have not churned, per band: Healthy 75+, OK 50–74, At risk 25–49,
    /// Critical under 25, Unknown without a score.
    pub distribution: Vec<BandCount>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct DashboardParams {
    /// At-risk accounts per page, 1 to 200 (default 50).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<i64>,
    #[cfg_attr(feature = "openapi", param(minimum = 0))]
    pub offset: Option<i64>,
}
