//! Business settings: roles allowed in, health weights and threshold, feature toggles,
//! renewal uplift and reminder cadence, and the labels the app shows. Admin only.
//!
//! Settings without a column of their own live in the business's JSON settings column,
//! with their defaults in the code.

use api_types::settings::{FeatureToggles, FieldLabels};
use api_types::users::{BusinessSettings, BusinessSettingsUpdate};
use crm_core::{Role, ValidationErrors};
use health::Weights;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use store::businesses::{self as queries, BusinessRow};
use tracing::info;

use crate::businesses::roles_json;
use crate::clock::now;
use crate::error::{AppError, AppResult};
use crate::tenant::Tenant;
use crate::users::allowed_roles;
use crate::App;

/// Most thresholds a reminder cadence may hold.
const MAX_CADENCE_STEPS: usize = 12;
/// Times a settings change is retried when another change wrote first.
const MAX_WRITE_ATTEMPTS: usize = 5;
/// Maximum label length, in characters.
const MAX_LABEL_CHARS: usize = 40;

/// The settings kept in the business's JSON settings column. Members this version does
/// not know are kept as they are, so an older binary cannot erase a newer setting.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub(crate) struct StoredSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    health_weights: Option<Weights>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    at_risk_threshold: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    uplift_percentage: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reminder_cadence: Option<Vec<u32>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    features: Option<FeatureToggles>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    labels: Option<FieldLabels>,
    #[serde(flatten)]
    other: Map<String, Value>,
}

/// The settings the health job reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct HealthSettings {
    pub weights: Weights,
    pub at_risk_threshold: i32,
}

/// The settings renewals read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RenewalSettings {
    pub uplift_percentage: Decimal,
    /// Days before a renewal at which reminders go out, the earliest first.
    pub reminder_cadence: Vec<u32>,
}

pub(crate) fn renewal_settings(business: &BusinessRow) -> AppResult<RenewalSettings> {
    let stored = stored_settings(business)?;
    Ok(RenewalSettings {
        uplift_percentage: stored
            .uplift_percentage
            .unwrap_or_else(|| Decimal::from(renewals::DEFAULT_UPLIFT_PERCENTAGE)),
        reminder_cadence: stored.reminder_cadence.unwrap_or_else(|| renewals::DEFAULT_CADENCE.to_vec()),
    })
}

pub(crate) fn stored_settings(business: &BusinessRow) -> AppResult<StoredSettings> {
    Ok(store::from_json_text("businesses.settings", &business.settings)?)
}

pub(crate) fn health_settings(business: &BusinessRow) -> AppResult<HealthSettings> {
    let stored = stored_settings(business)?;
    Ok(HealthSettings {
        weights: stored.health_weights.unwrap_or_default(),
        at_risk_threshold: stored.at_risk_threshold.unwrap_or(health::DEFAULT_AT_RISK_THRESHOLD),
    })
}

/// Tells whether the business has a feature on.
pub(crate) fn feature_on(business: &BusinessRow, feature: Feature) -> AppResult<bool> {
    let toggles = stored_settings(business)?.features.unwrap_or_default();
    Ok(match feature {
        Feature::Renewals => toggles.renewals,
        Feature::Expansion => toggles.expansion,
        Feature::HealthScore => toggles.health_score,
    })
}

/// Returns the business's feature toggles and labels, with defaults for those not set.
pub(crate) fn features_and_labels(business: &BusinessRow) -> AppResult<(FeatureToggles, FieldLabels)> {
    let stored = stored_settings(business)?;
    let mut labels = FieldLabels::default();
    if let Some(saved) = stored.labels {
        labels.account = saved.account;
        labels.csm = saved.csm;
        labels.stages.extend(saved.stages);
    }
    Ok((stored.features.unwrap_or_default(), labels))
}

fn settings_view(business: &BusinessRow) -> AppResult<BusinessSettings> {
    let health = health_settings(business)?;
    let renewal = renewal_settings(business)?;
    let (features, labels) = features_and_labels(business)?;
    Ok(BusinessSettings {
        allowed_roles: allowed_roles(business)?,
        health_weights: health.weights,
        at_risk_threshold: health.at_risk_threshold,
        features,
        uplift_percentage: renewal.uplift_percentage,
        reminder_cadence: renewal.reminder_cadence,
        labels,
    })
}

/// Checks a label: 1 to 40 characters once trimmed.
fn label(errors: &mut ValidationErrors, field: &str, text: &str) -> String {
    crm_core::validation::required_text(errors, field, text, MAX_LABEL_CHARS)
}

impl App {
    /// Reads the caller's business settings. Admin only.
    pub fn settings(&self, tenant: &Tenant) -> AppResult<BusinessSettings> {
        tenant.require_admin()?;
        let mut connection = self.connection()?;
        let business = queries::find(&mut connection, &tenant.business_id.to_string())?
            .ok_or_else(|| AppError::not_found("business"))?;
        settings_view(&business)
    }

    /// Changes the caller's business settings. Admin only.
    ///
    /// The allowed roles must keep the caller's own role, so no admin locks themselves out,
    /// and only a super admin may add or remove `super_admin`.
    pub fn update_settings(&self, tenant: &Tenant, input: &BusinessSettingsUpdate) -> AppResult<BusinessSettings> {
        tenant.require_admin()?;
        let mut connection = self.connection()?;
        let business_id = tenant.business_id.to_string();
        let business = queries::find(&mut connection, &business_id)?.ok_or_else(|| AppError::not_found("business"))?;
        let current = allowed_roles(&business)?;

        let mut errors = ValidationErrors::new();
        if let Some(weights) = &input.health_weights {
            if let Err(faults) = weights.check() {
                for fault in faults {
                    errors.add(fault.field, fault.message);
                }
            }
        }
        if let Some(threshold) = input.at_risk_threshold {
            if !(0..=100).contains(&threshold) {
                errors.add("at_risk_threshold", "must be 0 to 100");
            }
        }
        let uplift = input.uplift_percentage.map(|uplift| {
            renewals::check_uplift(uplift).unwrap_or_else(|message| {
                errors.add("uplift_percentage", message);
                uplift
            })
        });
        let cadence = input.reminder_cadence.as_deref().map(|cadence| {
            if cadence.len() > MAX_CADENCE_STEPS {
                errors.add("reminder_cadence", format!("must hold at most {MAX_CADENCE_STEPS} thresholds"));
            }
            renewals::check_cadence(cadence).unwrap_or_else(|fault| {
                errors.add("reminder_cadence", fault.0);
                Vec::new()
            })
        });
        // Checked label changes, applied to the labels as stored when written.
        let mut label_account = None;
        let mut label_csm = None;
        let mut label_stages = Vec::new();
        if let Some(update) = &input.labels {
            if let Some(account) = &update.account {
                label_account = Some(label(&mut errors, "labels.account", account));
            }
            if let Some(csm) = &update.csm {
                label_csm = Some(label(&mut errors, "labels.csm", csm));
            }
            for (stage, text) in update.stages.iter().flatten() {
                label_stages.push((*stage, label(&mut errors, &format!("labels.stages.{stage}"), text)));
            }
        }
        errors.into_result()?;

        if let Some(roles) = &input.allowed_roles {
            let mut roles = roles.clone();
            roles.sort();
            roles.dedup();
            if !roles.contains(&tenant.role) {
                return Err(AppError::invalid(
                    "allowed_roles",
                    format!("must include your own role ({}), or you would lock yourself out", tenant.role),
                ));
            }
            let touches_super_admin = roles.contains(&Role::SuperAdmin) != current.contains(&Role::SuperAdmin);
            if touches_super_admin && tenant.role != Role::SuperAdmin {
                return Err(AppError::Forbidden(
                    "only a super admin may change whether super admins are allowed".into(),
                ));
            }
            queries::update_allowed_roles(&mut connection, &business_id, &roles_json(&roles)?, now())?;
            info!(business_id, "allowed roles changed");
        }

        let changes_stored = input.health_weights.is_some()
            || input.at_risk_threshold.is_some()
            || input.features.is_some()
            || uplift.is_some()
            || cadence.is_some()
            || input.labels.is_some();
        if changes_stored {
            // Read, change and write the JSON column only if no other change wrote it in between,
            // else read it again, so concurrent changes to different settings all land.
            let mut attempts = 0;
            loop {
                let business =
                    queries::find(&mut connection, &business_id)?.ok_or_else(|| AppError::not_found("business"))?;
                let mut stored = stored_settings(&business)?;
                if let Some(weights) = input.health_weights {
                    stored.health_weights = Some(weights);
                }
                if let Some(threshold) = input.at_risk_threshold {
                    stored.at_risk_threshold = Some(threshold);
                }
                if let Some(update) = &input.features {
                    let mut features = stored.features.clone().unwrap_or_default();
                    features.apply(update);
                    stored.features = Some(features);
                }
                if let Some(uplift) = uplift {
                    stored.uplift_percentage = Some(uplift);
                }
                if let Some(cadence) = &cadence {
                    stored.reminder_cadence = Some(cadence.clone());
                }
                if input.labels.is_some() {
                    let mut labels = features_and_labels(&business)?.1;
                    if let Some(account) = &label_account {
                        labels.account = account.clone();
                    }
                    if let Some(csm) = &label_csm {
                        labels.csm = csm.clone();
                    }
                    labels.stages.extend(label_stages.iter().cloned());
                    stored.labels = Some(labels);
                }
                let text = store::to_json_text(&stored)?;
                if queries::update_settings_if(&mut connection, &business_id, &business.settings, &text, now())? == 1 {
                    break;
                }
                attempts += 1;
                if attempts >= MAX_WRITE_ATTEMPTS {
                    return Err(AppError::Conflict {
                        code: "settings_changed",
                        field: None,
                        message: "the settings kept changing while this change was saved; try again".into(),
                    });
                }
            }
            info!(business_id, "settings changed");
        }

        let business = queries::find(&mut connection, &business_id)?.ok_or_else(|| AppError::not_found("business"))?;
        settings_view(&business)
    }

    /// Fails with not found when the business turned the feature off, so its endpoints
    /// respond as if they did not exist.
    pub(crate) fn require_feature(&self, tenant: &Tenant, feature: Feature) -> AppResult<()> {
        let mut connection = self.connection()?;
        let business = queries::find(&mut connection, &tenant.business_id.to_string())?
            .ok_or_else(|| AppError::not_found("business"))?;
        if feature_on(&business, feature)? {
            Ok(())
        } else {
            Err(AppError::NotFound { resource: "endpoint" })
        }
    }
}

/// A feature whose endpoints a toggle can switch off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Feature {
    Renewals,
    Expansion,
    HealthScore,
}
