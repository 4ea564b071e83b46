//! Businesses (tenants) and their settings.

use api_types::users::{BusinessSettings, BusinessSettingsUpdate, UserCreate};
use crm_core::validation::required_text;
use crm_core::{Role, ValidationErrors};
use health::Weights;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use store::businesses::{self as queries, BusinessRow};
use tracing::info;

use crate::clock::{new_id, now};
use crate::error::{AppError, AppResult};
use crate::tenant::Tenant;
use crate::users::{allowed_roles, insert_user, new_user_row};
use crate::App;

/// Checks a slug: 2 to 63 lower-case letters, digits and dashes, starting with a letter.
fn validate_slug(errors: &mut ValidationErrors, slug: &str) {
    let valid = (2..=63).contains(&slug.len())
        && slug.starts_with(|c: char| c.is_ascii_lowercase())
        && slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.ends_with('-');
    if !valid {
        errors.add("slug", "must be 2 to 63 lower-case letters, digits or dashes, starting with a letter");
    }
}

/// The settings kept in the business's JSON settings column. Members this version does
/// not know are kept as they are, so an older binary cannot erase a newer setting.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub(crate) struct StoredSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    health_weights: Option<Weights>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    at_risk_threshold: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    uplift_percentage: Option<rust_decimal::Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reminder_cadence: Option<Vec<u32>>,
    #[serde(flatten)]
    other: Map<String, Value>,
}

/// What the health job reads from the settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct HealthSettings {
    pub weights: Weights,
    pub at_risk_threshold: i32,
}

/// What renewals read from the settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RenewalSettings {
    pub uplift_percentage: rust_decimal::Decimal,
    /// Days before a renewal at which reminders go out, the earliest first.
    pub reminder_cadence: Vec<u32>,
}

pub(crate) fn renewal_settings(business: &BusinessRow) -> AppResult<RenewalSettings> {
    let stored = stored_settings(business)?;
    Ok(RenewalSettings {
        uplift_percentage: stored
            .uplift_percentage
            .unwrap_or_else(|| rust_decimal::Decimal::from(renewals::DEFAULT_UPLIFT_PERCENTAGE)),
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

fn settings_view(business: &BusinessRow) -> AppResult<BusinessSettings> {
    let health = health_settings(business)?;
    Ok(BusinessSettings {
        allowed_roles: allowed_roles(business)?,
        health_weights: health.weights,
        at_risk_threshold: health.at_risk_threshold,
    })
}

pub(crate) fn roles_json(roles: &[Role]) -> AppResult<String> {
    let names: Vec<&str> = roles.iter().map(Role::as_str).collect();
    store::to_json_text(&names).map_err(AppError::from)
}

pub(crate) fn new_business_row(name: &str, slug: &str, is_sample: bool) -> AppResult<BusinessRow> {
    let mut errors = ValidationErrors::new();
    let name = required_text(&mut errors, "name", name, 200);
    validate_slug(&mut errors, slug);
    errors.into_result()?;
    let at = now();
    Ok(BusinessRow {
        id: new_id().to_string(),
        name,
        slug: slug.to_owned(),
        allowed_roles: roles_json(Role::DEFAULT_ALLOWED)?,
        is_sample,
        created_at: at,
        updated_at: at,
        settings: "{}".to_owned(),
    })
}

pub(crate) fn insert_business(connection: &mut store::DbConnection, row: &BusinessRow) -> AppResult<()> {
    queries::insert(connection, row).map_err(|error| {
        crate::users::conflict_on(
            error,
            "slug",
            "slug_taken",
            format!("a business with the slug {} already exists", row.slug),
        )
    })
}

impl App {
    /// Creates a business. Operators do this from the command line; there is no tenant yet.
    pub fn create_business(&self, name: &str, slug: &str) -> AppResult<BusinessRow> {
        let row = new_business_row(name, slug, false)?;
        let mut connection = self.connection()?;
        insert_business(&mut connection, &row)?;
        info!(business_id = %row.id, slug, "business created");
        Ok(row)
    }

    /// Adds a user to the business with this slug, for the command line.
    pub fn create_user_in_business(&self, slug: &str, input: &UserCreate) -> AppResult<api_types::users::User> {
        let mut connection = self.connection()?;
        let business = queries::find_by_slug(&mut connection, slug)?
            .ok_or_else(|| AppError::invalid("business", format!("no business has the slug {slug:?}")))?;
        let row = new_user_row(&business.id, input, false)?;
        insert_user(&mut connection, &row)?;
        info!(user_id = %row.id, business_id = %business.id, "user created");
        crate::users::user_view(&row)
    }

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
    /// The allowed roles must keep the caller's own role, so nobody locks themselves out,
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

        if input.health_weights.is_some() || input.at_risk_threshold.is_some() {
            let mut stored = stored_settings(&business)?;
            if let Some(weights) = input.health_weights {
                stored.health_weights = Some(weights);
            }
            if let Some(threshold) = input.at_risk_threshold {
                stored.at_risk_threshold = Some(threshold);
            }
            queries::update_settings(&mut connection, &business_id, &store::to_json_text(&stored)?, now())?;
            info!(business_id, "health settings changed");
        }

        let business = queries::find(&mut connection, &business_id)?.ok_or_else(|| AppError::not_found("business"))?;
        settings_view(&business)
    }
}
