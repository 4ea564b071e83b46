//! Businesses (tenants) and their settings.

use api_types::users::UserCreate;
use crm_core::validation::required_text;
use crm_core::{Role, ValidationErrors};
use store::businesses::{self as queries, BusinessRow};
use tracing::info;

use crate::clock::{new_id, now};
use crate::error::{AppError, AppResult};
use crate::users::{insert_user, new_user_row};
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
}
