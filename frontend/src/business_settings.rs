//! The state of the settings forms for feature toggles, renewals and labels: the inputs
//! as the forms hold them, checked and turned into an update that carries only the
//! fields that changed. The API checks the ranges and lengths, and the page shows its
//! messages next to the inputs.

use std::collections::BTreeMap;

use api_types::settings::{FeatureToggles, FeatureTogglesUpdate, FieldLabels, FieldLabelsUpdate};
use api_types::users::{BusinessSettings, BusinessSettingsUpdate};
use crm_core::Stage;
use rust_decimal::Decimal;

use crate::alerts::FieldErrors;

/// The form's field names, as the API names them in its errors.
pub const UPLIFT: &str = "uplift_percentage";
pub const CADENCE: &str = "reminder_cadence";
pub const LABEL_ACCOUNT: &str = "labels.account";
pub const LABEL_CSM: &str = "labels.csm";

/// The smallest and largest day threshold the API accepts in a reminder cadence.
pub const CADENCE_MIN_DAYS: u32 = 1;
pub const CADENCE_MAX_DAYS: u32 = 365;

const NOT_A_NUMBER: &str = "Enter a number from 0 to 100, such as 5 or 7.5.";
const NOT_A_DAY: &str = "Enter a whole number of days from 1 to 365.";

/// Returns the API's field name of a stage's label, such as `labels.stages.active`.
pub fn stage_label_field(stage: Stage) -> String {
    format!("labels.stages.{}", stage.as_str())
}

/// A feature the business can turn off, with its name and description in the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Feature {
    Handoff,
    Renewals,
    Expansion,
    HealthScore,
    SuccessPlans,
    ImplementationProjects,
    Agent,
}

impl Feature {
    pub const ALL: [Feature; 7] = [
        Feature::HealthScore,
        Feature::Renewals,
        Feature::Expansion,
        Feature::Handoff,
        Feature::SuccessPlans,
        Feature::ImplementationProjects,
        Feature::Agent,
    ];

    /// Returns the API's key of the feature in `features`.
    pub fn key(self) -> &'static str {
        match self {
            Feature::Handoff => "handoff",
            Feature::Renewals => "renewals",
            Feature::Expansion => "expansion",
            Feature::HealthScore => "health_score",
            Feature::SuccessPlans => "success_plans",
            Feature::ImplementationProjects => "implementation_projects",
            Feature::Agent => "agent",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Feature::Handoff => "Handoff",
            Feature::Renewals => "Renewals",
            Feature::Expansion => "Expansion",
            Feature::HealthScore => "Health score",
            Feature::SuccessPlans => "Success plans",
            Feature::ImplementationProjects => "Implementation projects",
            Feature::Agent => "Assistant agent",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Feature::Handoff => "Sales-to-CS handoff of newly won accounts.",
            Feature::Renewals => "The renewal pipeline, renewal proposals and renewal reminders.",
            Feature::Expansion => "The dashboard's list of accounts that may buy more.",
            Feature::HealthScore => "Daily health scores, the dashboard's health panels and at-risk flags from scores.",
            Feature::SuccessPlans => "Goals and milestones agreed with each customer.",
            Feature::ImplementationProjects => "Onboarding projects with tasks and due dates.",
            Feature::Agent => "The assistant that answers questions about your accounts.",
        }
    }

    /// Tells whether the feature is on in `toggles`.
    pub fn is_on(self, toggles: &FeatureToggles) -> bool {
        match self {
            Feature::Handoff => toggles.handoff,
            Feature::Renewals => toggles.renewals,
            Feature::Expansion => toggles.expansion,
            Feature::HealthScore => toggles.health_score,
            Feature::SuccessPlans => toggles.success_plans,
            Feature::ImplementationProjects => toggles.implementation_projects,
            Feature::Agent => toggles.agent,
        }
    }

    pub fn set(self, toggles: &mut FeatureToggles, on: bool) {
        let slot = match self {
            Feature::Handoff => &mut toggles.handoff,
            Feature::Renewals => &mut toggles.renewals,
            Feature::Expansion => &mut toggles.expansion,
            Feature::HealthScore => &mut toggles.health_score,
            Feature::SuccessPlans => &mut toggles.success_plans,
            Feature::ImplementationProjects => &mut toggles.implementation_projects,
            Feature::Agent => &mut toggles.agent,
        };
        *slot = on;
    }
}

/// Builds the update that sends the toggles of `draft` that differ from `saved`, or
/// `None` when none changed.
pub fn features_update(saved: &FeatureToggles, draft: &FeatureToggles) -> Option<BusinessSettingsUpdate> {
    let changed = |feature: Feature| {
        let on = feature.is_on(draft);
        (on != feature.is_on(saved)).then_some(on)
    };
    let update = FeatureTogglesUpdate {
        handoff: changed(Feature::Handoff),
        renewals: changed(Feature::Renewals),
        expansion: changed(Feature::Expansion),
        health_score: changed(Feature::HealthScore),
        success_plans: changed(Feature::SuccessPlans),
        implementation_projects: changed(Feature::ImplementationProjects),
        agent: changed(Feature::Agent),
    };
    (update != FeatureTogglesUpdate::default())
        .then(|| BusinessSettingsUpdate { features: Some(update), ..BusinessSettingsUpdate::default() })
}

/// The renewal settings form: the uplift as typed, the cadence's day thresholds sorted
/// and without repeats, and the text of the "add a day" input.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RenewalSettingsDraft {
    pub uplift: String,
    pub cadence: Vec<u32>,
    pub new_day: String,
}

impl RenewalSettingsDraft {
    pub fn from_settings(settings: &BusinessSettings) -> Self {
        let mut draft = RenewalSettingsDraft {
            uplift: settings.uplift_percentage.normalize().to_string(),
            cadence: settings.reminder_cadence.clone(),
            new_day: String::new(),
        };
        draft.cadence.sort_unstable();
        draft.cadence.dedup();
        draft
    }

    /// Adds the day in `new_day` to the cadence and clears the input, or returns the
    /// message for the input when it is not a whole number from 1 to 365. A day already
    /// in the cadence is accepted and kept once.
    pub fn add_day(&mut self) -> Result<(), String> {
        let day = self
            .new_day
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|day| (CADENCE_MIN_DAYS..=CADENCE_MAX_DAYS).contains(day))
            .ok_or_else(|| NOT_A_DAY.to_owned())?;
        if let Err(position) = self.cadence.binary_search(&day) {
            self.cadence.insert(position, day);
        }
        self.new_day.clear();

        Ok(())
    }

    pub fn remove_day(&mut self, day: u32) {
        self.cadence.retain(|existing| *existing != day);
    }

    /// Builds the update that sends the uplift and the cadence where they differ from
    /// `saved`: `Ok(None)` when nothing changed, or the fields whose input is not valid.
    pub fn to_update(&self, saved: &BusinessSettings) -> Result<Option<BusinessSettingsUpdate>, FieldErrors> {
        let uplift = self
            .uplift
            .trim()
            .parse::<Decimal>()
            .map_err(|_| FieldErrors::from([(UPLIFT.to_owned(), NOT_A_NUMBER.to_owned())]))?;

        let mut saved_cadence = saved.reminder_cadence.clone();
        saved_cadence.sort_unstable();
        saved_cadence.dedup();
        let update = BusinessSettingsUpdate {
            uplift_percentage: (uplift != saved.uplift_percentage).then_some(uplift),
            reminder_cadence: (self.cadence != saved_cadence).then(|| self.cadence.clone()),
            ..BusinessSettingsUpdate::default()
        };
        let changed = update.uplift_percentage.is_some() || update.reminder_cadence.is_some();

        Ok(changed.then_some(update))
    }
}

/// Builds the update that sends the labels of `draft` that differ from `saved`, or `None`
/// when none changed. Labels are sent trimmed, and the API checks them.
pub fn labels_update(saved: &FieldLabels, draft: &FieldLabels) -> Option<BusinessSettingsUpdate> {
    let changed = |saved: &str, draft: &str| {
        let draft = draft.trim();
        (draft != saved).then(|| draft.to_owned())
    };
    let stages: BTreeMap<Stage, String> = draft
        .stages
        .iter()
        .filter_map(|(stage, label)| {
            let saved = saved.stages.get(stage).map(String::as_str).unwrap_or_else(|| stage.label());
            changed(saved, label).map(|label| (*stage, label))
        })
        .collect();
    let update = FieldLabelsUpdate {
        account: changed(&saved.account, &draft.account),
        csm: changed(&saved.csm, &draft.csm),
        stages: (!stages.is_empty()).then_some(stages),
    };
    (update != FieldLabelsUpdate::default())
        .then(|| BusinessSettingsUpdate { labels: Some(update), ..BusinessSettingsUpdate::default() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(uplift: &str, cadence: Vec<u32>) -> BusinessSettings {
        BusinessSettings {
            allowed_roles: Vec::new(),
            health_weights: health::Weights { usage: 35, support: 15, sentiment: 15, contract_risk: 35 },
            at_risk_threshold: 40,
            features: FeatureToggles::default(),
            uplift_percentage: uplift.parse().unwrap_or_default(),
            reminder_cadence: cadence,
            labels: FieldLabels::default(),
        }
    }

    fn draft_with(new_day: &str) -> RenewalSettingsDraft {
        RenewalSettingsDraft { uplift: "5".into(), cadence: vec![30, 90], new_day: new_day.into() }
    }

    #[test]
    fn add_day_keeps_cadence_sorted() {
        let mut draft = draft_with(" 60 ");
        assert_eq!(draft.add_day(), Ok(()));
        assert_eq!(draft.cadence, vec![30, 60, 90]);
        assert_eq!(draft.new_day, "");
    }

    #[test]
    fn add_day_ignores_repeat() {
        let mut draft = draft_with("30");
        assert_eq!(draft.add_day(), Ok(()));
        assert_eq!(draft.cadence, vec![30, 90]);
    }

    #[test]
    fn add_day_rejects_out_of_range() {
        for text in ["0", "366", "-1", "7.5", "", "soon"] {
            let mut draft = draft_with(text);
            assert_eq!(draft.add_day(), Err(NOT_A_DAY.to_owned()), "{text:?}");
            assert_eq!(draft.cadence, vec![30, 90], "{text:?}");
            assert_eq!(draft.new_day, text, "{text:?}");
        }
    }

    #[test]
    fn remove_day_drops_it() {
        let mut draft = draft_with("");
        draft.remove_day(30);
        assert_eq!(draft.cadence, vec![90]);
        draft.remove_day(45);
        assert_eq!(draft.cadence, vec![90]);
    }

    #[test]
    fn from_settings_sorts_cadence() {
        let draft = RenewalSettingsDraft::from_settings(&settings("7.50", vec![90, 30, 90]));
        assert_eq!(draft.cadence, vec![30, 90]);
        assert_eq!(draft.uplift, "7.5");
    }

    #[test]
    fn unchanged_renewal_draft_sends_nothing() {
        let saved = settings("5", vec![90, 30]);
        let draft = RenewalSettingsDraft::from_settings(&saved);
        assert_eq!(draft.to_update(&saved).map(|update| update.is_some()), Ok(false));
    }

    #[test]
    fn renewal_draft_sends_only_changes() {
        let saved = settings("5", vec![30, 90]);
        let mut draft = RenewalSettingsDraft::from_settings(&saved);
        draft.uplift = "7.25".into();
        let update = draft.to_update(&saved).ok().flatten().unwrap_or_default();
        assert_eq!(update.uplift_percentage, "7.25".parse().ok());
        assert_eq!(update.reminder_cadence, None);

        draft.uplift = "5".into();
        draft.cadence.clear();
        let update = draft.to_update(&saved).ok().flatten().unwrap_or_default();
        assert_eq!(update.uplift_percentage, None);
        assert_eq!(update.reminder_cadence, Some(Vec::new()));
    }

    #[test]
    fn uplift_must_be_a_number() {
        let saved = settings("5", vec![30]);
        let draft = RenewalSettingsDraft { uplift: "five".into(), ..RenewalSettingsDraft::from_settings(&saved) };
        let errors = draft.to_update(&saved).err().unwrap_or_default();
        assert_eq!(errors.get(UPLIFT).map(String::as_str), Some(NOT_A_NUMBER));
    }

    #[test]
    fn uplift_range_is_left_to_the_api() {
        let saved = settings("5", vec![30]);
        let draft = RenewalSettingsDraft { uplift: "100.5".into(), ..RenewalSettingsDraft::from_settings(&saved) };
        let update = draft.to_update(&saved).ok().flatten().unwrap_or_default();
        assert_eq!(update.uplift_percentage, "100.5".parse().ok());
    }

    #[test]
    fn features_update_sends_changed_toggles() {
        let saved = FeatureToggles::default();
        assert!(features_update(&saved, &saved).is_none());

        let mut draft = saved.clone();
        Feature::Renewals.set(&mut draft, false);
        let update = features_update(&saved, &draft).and_then(|update| update.features).unwrap_or_default();
        assert_eq!(update, FeatureTogglesUpdate { renewals: Some(false), ..FeatureTogglesUpdate::default() });
    }

    #[test]
    fn feature_keys_match_the_api() {
        let mut toggles = FeatureToggles::default();
        for feature in Feature::ALL {
            feature.set(&mut toggles, false);
            assert!(!feature.is_on(&toggles), "{}", feature.key());
        }
        let json = serde_json::to_value(&toggles).unwrap_or_default();
        for feature in Feature::ALL {
            assert_eq!(json.get(feature.key()), Some(&serde_json::Value::Bool(false)), "{}", feature.key());
        }
    }

    #[test]
    fn labels_update_sends_changed_labels() {
        let saved = FieldLabels::default();
        assert!(labels_update(&saved, &saved).is_none());

        let mut draft = saved.clone();
        draft.account = " Customer ".into();
        draft.stages.insert(Stage::Active, "Live".into());
        let update = labels_update(&saved, &draft).and_then(|update| update.labels).unwrap_or_default();
        assert_eq!(update.account.as_deref(), Some("Customer"));
        assert_eq!(update.csm, None);
        assert_eq!(update.stages, Some(BTreeMap::from([(Stage::Active, "Live".to_owned())])));
    }

    #[test]
    fn stage_label_field_matches_the_api() {
        assert_eq!(stage_label_field(Stage::Active), "labels.stages.active");
    }
}
