//! The health settings form's state: the four component weights and the at-risk threshold
//! as the inputs hold them, checked and turned into a settings update. Only whole numbers
//! are checked here. The API checks the ranges and that not every weight is 0, and the
//! page shows its messages next to the inputs.

use api_types::users::{BusinessSettings, BusinessSettingsUpdate};
use health::Weights;

use crate::alerts::FieldErrors;

/// The form's field names, as the API names them in its errors.
pub const USAGE: &str = "health_weights.usage";
pub const SUPPORT: &str = "health_weights.support";
pub const SENTIMENT: &str = "health_weights.sentiment";
pub const CONTRACT_RISK: &str = "health_weights.contract_risk";
/// The API's field for a rule on all four weights together.
pub const WEIGHTS: &str = "health_weights";
pub const THRESHOLD: &str = "at_risk_threshold";

const WHOLE_NUMBER: &str = "Enter a whole number from 0 to 100.";

/// The inputs' text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HealthSettingsDraft {
    pub usage: String,
    pub support: String,
    pub sentiment: String,
    pub contract_risk: String,
    pub threshold: String,
}

impl HealthSettingsDraft {
    pub fn from_settings(settings: &BusinessSettings) -> Self {
        let weights = &settings.health_weights;
        HealthSettingsDraft {
            usage: weights.usage.to_string(),
            support: weights.support.to_string(),
            sentiment: weights.sentiment.to_string(),
            contract_risk: weights.contract_risk.to_string(),
            threshold: settings.at_risk_threshold.to_string(),
        }
    }

    /// Builds the update that sets the weights and the threshold, or the fields that do
    /// not hold a whole number.
    pub fn to_update(&self) -> Result<BusinessSettingsUpdate, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut weight = |field: &str, text: &str| match text.trim().parse::<u32>() {
            Ok(value) => value,
            Err(_) => {
                errors.insert(field.to_owned(), WHOLE_NUMBER.to_owned());
                0
            }
        };
        let weights = Weights {
            usage: weight(USAGE, &self.usage),
            support: weight(SUPPORT, &self.support),
            sentiment: weight(SENTIMENT, &self.sentiment),
            contract_risk: weight(CONTRACT_RISK, &self.contract_risk),
        };
        let threshold = self.threshold.trim().parse::<i32>().map_err(|_| ());
        if threshold.is_err() {
            errors.insert(THRESHOLD.to_owned(), WHOLE_NUMBER.to_owned());
        }

        match threshold {
            Ok(threshold) if errors.is_empty() => Ok(BusinessSettingsUpdate {
                health_weights: Some(weights),
                at_risk_threshold: Some(threshold),
                ..BusinessSettingsUpdate::default()
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(usage: &str, threshold: &str) -> HealthSettingsDraft {
        HealthSettingsDraft {
            usage: usage.into(),
            support: "15".into(),
            sentiment: "15".into(),
            contract_risk: "35".into(),
            threshold: threshold.into(),
        }
    }

    #[test]
    fn valid_draft_sets_weights_and_threshold() {
        let update = draft(" 40 ", "30").to_update().unwrap_or_default();
        let weights = update.health_weights.unwrap_or_default();
        assert_eq!((weights.usage, weights.support, weights.sentiment, weights.contract_risk), (40, 15, 15, 35));
        assert_eq!(update.at_risk_threshold, Some(30));
        assert_eq!(update.allowed_roles, None);
    }

    #[test]
    fn non_numbers_name_their_fields() {
        let errors = draft("lots", "4.5").to_update().err().unwrap_or_default();
        assert_eq!(errors.get(USAGE).map(String::as_str), Some(WHOLE_NUMBER));
        assert_eq!(errors.get(THRESHOLD).map(String::as_str), Some(WHOLE_NUMBER));
        assert_eq!(errors.len(), 2);
    }

    #[test]
    fn negative_weight_is_rejected_here() {
        let errors = draft("-5", "30").to_update().err().unwrap_or_default();
        assert!(errors.contains_key(USAGE));
    }

    #[test]
    fn range_is_left_to_the_api() {
        let update = draft("150", "101").to_update();
        assert!(update.is_ok(), "{update:?}");
    }
}
