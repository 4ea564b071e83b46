//! Users, API tokens and business settings.

use chrono::{DateTime, Utc};
use crm_core::{Role, TokenId, UserId};
use serde::{Deserialize, Serialize};

use crate::patch::not_null;

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// Deactivated users cannot sign in and their tokens stop working.
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UserCreate {
    pub email: String,
    pub name: String,
    pub role: Role,
    /// At least 12 characters. Without one the user cannot sign in until an admin sets it.
    #[serde(default)]
    pub password: Option<String>,
}

/// Changes to a user; absent fields stay as they are.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UserUpdate {
    #[serde(default, deserialize_with = "not_null", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "not_null", skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// `false` deactivates the user, ending their sessions and revoking their tokens.
    #[serde(default, deserialize_with = "not_null", skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// A new password of at least 12 characters.
    #[serde(default, deserialize_with = "not_null", skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

/// A personal API token as listed; the secret itself is shown only once, at creation.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiToken {
    pub id: TokenId,
    pub user_id: UserId,
    pub name: String,
    /// The first characters of the secret, to tell tokens apart.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ApiTokenCreate {
    /// What the token is for, such as "Zapier sync".
    pub name: String,
}

/// A new token with its secret. Store the secret now: it cannot be shown again.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiTokenCreated {
    pub token: ApiToken,
    /// Send as `Authorization: Bearer <secret>`.
    pub secret: String,
}

/// Settings of the caller's business.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BusinessSettings {
    /// Roles whose users may sign in to the app and use the API.
    pub allowed_roles: Vec<Role>,
    /// Weight of each health component, 0 to 100 each, not all 0.
    pub health_weights: health::Weights,
    /// A health snapshot at or under this score (0 to 100) flags a live account at risk.
    pub at_risk_threshold: i32,
    pub features: crate::settings::FeatureToggles,
    /// Percent added to prices in renewal proposals, 0 to 100 with two decimals.
    #[serde(with = "crate::proposals::percentage")]
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub uplift_percentage: rust_decimal::Decimal,
    /// Days before a renewal at which the CSM is reminded, each 1 to 365, earliest first.
    pub reminder_cadence: Vec<u32>,
    pub labels: crate::settings::FieldLabels,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BusinessSettingsUpdate {
    #[serde(default, deserialize_with = "not_null", skip_serializing_if = "Option::is_none")]
    pub allowed_roles: Option<Vec<Role>>,
    #[serde(default, deserialize_with = "not_null", skip_serializing_if = "Option::is_none")]
    pub health_weights: Option<health::Weights>,
    #[serde(default, deserialize_with = "not_null", skip_serializing_if = "Option::is_none")]
    pub at_risk_threshold: Option<i32>,
    #[serde(default, deserialize_with = "not_null", skip_serializing_if = "Option::is_none")]
    pub features: Option<crate::settings::FeatureTogglesUpdate>,
    #[serde(default, with = "crate::proposals::percentage::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub uplift_percentage: Option<rust_decimal::Decimal>,
    /// Replaces the cadence; an empty list turns reminders off.
    #[serde(default, deserialize_with = "not_null", skip_serializing_if = "Option::is_none")]
    pub reminder_cadence: Option<Vec<u32>>,
    #[serde(default, deserialize_with = "not_null", skip_serializing_if = "Option::is_none")]
    pub labels: Option<crate::settings::FieldLabelsUpdate>,
}
