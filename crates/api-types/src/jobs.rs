//! Scheduled jobs and their runs.

use chrono::{DateTime, NaiveDate, Utc};
use crm_core::UserId;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A run of a job for one business.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobRun {
    pub id: String,
    /// `health-snapshot`.
    pub job: String,
    /// The date the run computed for.
    pub as_of: NaiveDate,
    /// `schedule`, `api` or `command_line`.
    pub triggered_by: String,
    /// `running`, `succeeded` or `failed`.
    pub status: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// Counts of the run's work, such as `accounts_scored` and `accounts_flagged`.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub counts: Value,
    /// The error of a failed run.
    pub error: Option<String>,
    /// The user who started the run, for runs started from the API.
    pub user_id: Option<UserId>,
}

/// Options of an on-demand run.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct JobRunRequest {
    /// The date to compute for; today in UTC when absent.
    #[serde(default)]
    pub as_of: Option<NaiveDate>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct JobRunListParams {
    /// Only runs of this job.
    pub job: Option<String>,
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<i64>,
    #[cfg_attr(feature = "openapi", param(minimum = 0))]
    pub offset: Option<i64>,
}
