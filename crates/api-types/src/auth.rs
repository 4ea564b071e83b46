//! Login and the signed-in user.

use serde::{Deserialize, Serialize};

use crate::users::User;

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// The business a user belongs to.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BusinessSummary {
    pub id: crm_core::BusinessId,
    pub name: String,
    pub slug: String,
    /// The features the business uses, for every user to hide what is off.
    #[serde(default)]
    pub features: crate::settings::FeatureToggles,
    /// The names the app shows for accounts, CSMs and stages.
    #[serde(default)]
    pub labels: crate::settings::FieldLabels,
}

/// The signed-in user, their business and, for browser sessions, the CSRF token to send
/// in the `X-CSRF-Token` header of every write.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Session {
    pub user: User,
    pub business: BusinessSummary,
    /// Present for cookie sessions; API token callers need no CSRF token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csrf_token: Option<String>,
}
