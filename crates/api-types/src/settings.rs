//! Business settings beyond roles and health: feature toggles, renewal settings and
//! the labels the app shows for accounts, CSMs and stages.

use std::collections::BTreeMap;

use crm_core::Stage;
use serde::{Deserialize, Serialize};

/// The features the business uses. A feature that is off hides its pages, and its
/// endpoints respond 404.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeatureToggles {
    pub handoff: bool,
    pub renewals: bool,
    pub expansion: bool,
    pub health_score: bool,
    pub success_plans: bool,
    pub implementation_projects: bool,
    pub agent: bool,
}

impl Default for FeatureToggles {
    fn default() -> Self {
        Self {
            handoff: true,
            renewals: true,
            expansion: true,
            health_score: true,
            success_plans: true,
            implementation_projects: true,
            agent: true,
        }
    }
}

/// Toggles to change; those left out keep their value.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FeatureTogglesUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handoff: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renewals: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expansion: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_score: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_plans: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub implementation_projects: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<bool>,
}

impl FeatureToggles {
    /// Applies the toggles an update sends.
    pub fn apply(&mut self, update: &FeatureTogglesUpdate) {
        let pairs = [
            (&mut self.handoff, update.handoff),
            (&mut self.renewals, update.renewals),
            (&mut self.expansion, update.expansion),
            (&mut self.health_score, update.health_score),
            (&mut self.success_plans, update.success_plans),
            (&mut self.implementation_projects, update.implementation_projects),
            (&mut self.agent, update.agent),
        ];
        for (current, sent) in pairs {
            if let Some(value) = sent {
                *current = value;
            }
        }
    }
}

/// The names the app shows for accounts, CSMs and stages.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldLabels {
    /// Such as "Account" or "Customer".
    pub account: String,
    /// Such as "CSM" or "Account manager".
    pub csm: String,
    /// The label of every stage.
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, String>))]
    pub stages: BTreeMap<Stage, String>,
}

impl Default for FieldLabels {
    fn default() -> Self {
        Self {
            account: "Account".to_owned(),
            csm: "CSM".to_owned(),
            stages: Stage::ALL.iter().map(|stage| (*stage, stage.label().to_owned())).collect(),
        }
    }
}

/// Labels to change; those left out keep their value.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FieldLabelsUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csm: Option<String>,
    /// Stage labels to change, by stage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<BTreeMap<String, String>>))]
    pub stages: Option<BTreeMap<Stage, String>>,
}
