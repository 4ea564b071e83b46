//! Component weights, a business setting.

use serde::{Deserialize, Serialize};

use crate::Component;

/// How much each component counts in the overall score. Each is 0 to 100 and at least
/// one is above 0; they need not add up to 100.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Weights {
    #[cfg_attr(feature = "openapi", schema(maximum = 100))]
    pub usage: u32,
    #[cfg_attr(feature = "openapi", schema(maximum = 100))]
    pub support: u32,
    #[cfg_attr(feature = "openapi", schema(maximum = 100))]
    pub sentiment: u32,
    #[cfg_attr(feature = "openapi", schema(maximum = 100))]
    pub contract_risk: u32,
}

impl Default for Weights {
    fn default() -> Self {
        Self { usage: 35, support: 15, sentiment: 15, contract_risk: 35 }
    }
}

/// A rule the weights break, naming the field at fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WeightError {
    pub field: &'static str,
    pub message: String,
}

/// The highest weight a component may have.
pub const MAX_WEIGHT: u32 = 100;

impl Weights {
    pub fn of(&self, component: Component) -> u32 {
        match component {
            Component::Usage => self.usage,
            Component::Support => self.support,
            Component::Sentiment => self.sentiment,
            Component::ContractRisk => self.contract_risk,
        }
    }

    /// Checks every weight is 0 to 100 and not all are 0.
    pub fn check(&self) -> Result<(), Vec<WeightError>> {
        let mut errors: Vec<WeightError> = Component::ALL
            .iter()
            .filter(|component| self.of(**component) > MAX_WEIGHT)
            .map(|component| WeightError {
                field: match component {
                    Component::Usage => "health_weights.usage",
                    Component::Support => "health_weights.support",
                    Component::Sentiment => "health_weights.sentiment",
                    Component::ContractRisk => "health_weights.contract_risk",
                },
                message: format!("must be 0 to {MAX_WEIGHT}"),
            })
            .collect();
        if Component::ALL.iter().all(|component| self.of(*component) == 0) {
            errors.push(WeightError { field: "health_weights", message: "at least one weight must be above 0".into() });
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_specification() {
        let weights = Weights::default();
        assert_eq!((weights.usage, weights.support, weights.sentiment, weights.contract_risk), (35, 15, 15, 35));
        assert!(weights.check().is_ok());
    }

    #[test]
    fn out_of_range_and_all_zero_are_rejected() {
        let errors =
            Weights { usage: 101, support: 0, sentiment: 0, contract_risk: 0 }.check().err().unwrap_or_default();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "health_weights.usage");
        let errors = Weights { usage: 0, support: 0, sentiment: 0, contract_risk: 0 }.check().err().unwrap_or_default();
        assert_eq!(errors[0].field, "health_weights");
        assert!(Weights { usage: 100, support: 0, sentiment: 0, contract_risk: 0 }.check().is_ok());
    }
}
