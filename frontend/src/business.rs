//! The business's settings as app state: which features are on and the words the app
//! shows for accounts, CSMs and stages. Pages read labels and feature toggles only from
//! here.
//!
//! Every session carries the business's feature toggles and labels. Admins also load the
//! full settings, which their saves keep current. A feature that one of its endpoints
//! reports off (404) counts as off even before the session is refreshed.

use api_types::auth::BusinessSummary;
use api_types::settings::{FeatureToggles, FieldLabels};
use api_types::users::BusinessSettings;
use crm_core::Stage;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError};
use crate::business_settings::Feature;

/// The words for accounts, CSMs and stages, with the defaults where the settings have
/// none.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Labels(FieldLabels);

impl Labels {
    pub fn new(labels: FieldLabels) -> Self {
        Labels(labels)
    }

    /// Returns the word for one account, such as "Account" or "Customer".
    pub fn account(&self) -> String {
        non_blank(&self.0.account).unwrap_or("Account").to_owned()
    }

    /// Returns the word for several accounts, such as "Accounts" or "Customers".
    pub fn accounts(&self) -> String {
        plural(&self.account())
    }

    /// Returns the title of the person who owns an account, such as "CSM".
    pub fn csm(&self) -> String {
        non_blank(&self.0.csm).unwrap_or("CSM").to_owned()
    }

    pub fn stage(&self, stage: Stage) -> String {
        self.0.stages.get(&stage).and_then(|label| non_blank(label)).unwrap_or_else(|| stage.label()).to_owned()
    }

    /// Returns every stage with its label, in pipeline order, as select options.
    pub fn stage_options(&self) -> Vec<(String, String)> {
        Stage::ALL.iter().map(|stage| (stage.as_str().to_owned(), self.stage(*stage))).collect()
    }
}

fn non_blank(text: &str) -> Option<&str> {
    let text = text.trim();
    (!text.is_empty()).then_some(text)
}

/// Returns the English plural of a label's last word: "Customer" → "Customers",
/// "Company" → "Companies", "Business" → "Businesses". A label of several words keeps the
/// others as they are, so "Account manager" becomes "Account managers".
pub fn plural(word: &str) -> String {
    let lower = word.to_lowercase();
    let ends_in_consonant_y = lower.ends_with('y')
        && !lower.ends_with("ay")
        && !lower.ends_with("ey")
        && !lower.ends_with("oy")
        && !lower.ends_with("uy");
    if ends_in_consonant_y {
        format!("{}ies", &word[..word.len() - 1])
    } else if ["s", "x", "z", "ch", "sh"].iter().any(|ending| lower.ends_with(ending)) {
        format!("{word}es")
    } else {
        format!("{word}s")
    }
}

/// The settings shared by every page: the loaded settings, for admins, and the features
/// found off through a 404, for everyone.
#[derive(Clone, Copy)]
pub struct Business {
    settings: RwSignal<Option<BusinessSettings>>,
    /// The toggles and labels the session came with.
    from_session: RwSignal<Option<(FeatureToggles, FieldLabels)>>,
    found_off: RwSignal<Vec<Feature>>,
}

impl Business {
    pub fn new() -> Self {
        Business {
            settings: RwSignal::new(None),
            from_session: RwSignal::new(None),
            found_off: RwSignal::new(Vec::new()),
        }
    }

    /// Takes the toggles and labels a new session carries.
    pub fn adopt(&self, business: &BusinessSummary) {
        self.from_session.set(Some((business.features.clone(), business.labels.clone())));
    }

    /// Loads the settings in the background. Only admins may read them, so call it only
    /// for admins. A failed load keeps the defaults, because every page works with them.
    pub fn load(&self) {
        let business = *self;
        spawn_local(async move {
            if let Ok(settings) = api::settings().await {
                business.store(settings);
            }
        });
    }

    /// Stores settings that the server returned, such as after a save.
    pub fn store(&self, settings: BusinessSettings) {
        self.found_off.set(Vec::new());
        self.settings.set(Some(settings));
    }

    /// Forgets the settings, such as when another user signs in.
    pub fn clear(&self) {
        self.found_off.set(Vec::new());
        self.settings.set(None);
        self.from_session.set(None);
    }

    /// Returns the labels, tracked.
    pub fn labels(&self) -> Labels {
        let from_settings = self.settings.with(|settings| settings.as_ref().map(|settings| settings.labels.clone()));
        let labels = from_settings
            .or_else(|| self.from_session.with(|session| session.as_ref().map(|(_, labels)| labels.clone())));
        labels.map(Labels::new).unwrap_or_default()
    }

    /// Tells whether a feature is on, tracked: from the settings when loaded, and
    /// otherwise on until one of its endpoints returned 404.
    pub fn is_on(&self, feature: Feature) -> bool {
        let from_settings =
            self.settings.with(|settings| settings.as_ref().map(|settings| feature.is_on(&settings.features)));
        let known = from_settings.or_else(|| {
            self.from_session.with(|session| session.as_ref().map(|(features, _)| feature.is_on(features)))
        });
        known.unwrap_or(true) && !self.found_off.with(|off| off.contains(&feature))
    }

    /// Tells whether `error` means that `feature` is off, and records it if so. Call it
    /// only with errors of endpoints that return 404 for nothing else, such as lists.
    pub fn is_off_error(&self, feature: Feature, error: &ApiError) -> bool {
        let off = error.status() == Some(404);
        if off && self.found_off.with_untracked(|found| !found.contains(&feature)) {
            // Callers check errors while rendering, so the write waits for a separate task
            // instead of changing what the view being rendered depends on.
            let found_off = self.found_off;
            spawn_local(async move {
                found_off.update(|found| {
                    if !found.contains(&feature) {
                        found.push(feature);
                    }
                });
            });
        }
        off
    }
}

impl Default for Business {
    fn default() -> Self {
        Self::new()
    }
}

pub fn use_business() -> Business {
    expect_context::<Business>()
}

/// Returns the labels, tracked, or the defaults outside the app shell.
pub fn use_labels() -> Labels {
    use_context::<Business>().map(|business| business.labels()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plural_handles_common_endings() {
        assert_eq!(plural("Account"), "Accounts");
        assert_eq!(plural("Company"), "Companies");
        assert_eq!(plural("Key"), "Keys");
        assert_eq!(plural("Business"), "Businesses");
        assert_eq!(plural("Account manager"), "Account managers");
    }

    #[test]
    fn default_labels_are_the_app_words() {
        let labels = Labels::default();
        assert_eq!(labels.account(), "Account");
        assert_eq!(labels.accounts(), "Accounts");
        assert_eq!(labels.csm(), "CSM");
        assert_eq!(labels.stage(Stage::Active), "Active");
    }

    #[test]
    fn labels_come_from_settings() {
        let mut saved = FieldLabels::default();
        saved.account = "Customer".into();
        saved.csm = "Owner".into();
        saved.stages.insert(Stage::Active, "Live".into());
        let labels = Labels::new(saved);
        assert_eq!(labels.accounts(), "Customers");
        assert_eq!(labels.csm(), "Owner");
        assert_eq!(labels.stage(Stage::Active), "Live");
        assert_eq!(labels.stage(Stage::Churned), "Churned");
    }

    #[test]
    fn blank_or_missing_labels_fall_back() {
        let mut saved = FieldLabels::default();
        saved.account = "  ".into();
        saved.stages.clear();
        let labels = Labels::new(saved);
        assert_eq!(labels.account(), "Account");
        assert_eq!(labels.stage(Stage::Renewal), Stage::Renewal.label());
        assert_eq!(labels.stage_options().len(), Stage::ALL.len());
    }
}
