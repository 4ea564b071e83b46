//! Users of a business: listing, inviting, changing roles and deactivating.

use api_types::users::{User, UserCreate, UserUpdate};
use api_types::Page;
use crm_core::validation::{email as valid_email, required_text};
use crm_core::{Role, UserId, ValidationErrors};
use store::businesses::BusinessRow;
use store::users::{UserChanges, UserRow};
use store::{auth as auth_queries, users as queries, StoreError};
use tracing::info;

use crate::auth::{hash_password, parse_id, validate_password};
use crate::clock::{new_id, now, utc};
use crate::error::{AppError, AppResult};
use crate::paging::limit_and_offset;
use crate::tenant::Tenant;
use crate::App;

/// Reads the roles a business allows into the app from its settings.
pub fn allowed_roles(business: &BusinessRow) -> AppResult<Vec<Role>> {
    let names: Vec<String> = store::from_json_text("businesses.allowed_roles", &business.allowed_roles)?;
    Ok(names.iter().filter_map(|name| name.parse().ok()).collect())
}

pub(crate) fn user_view(row: &UserRow) -> AppResult<User> {
    Ok(User {
        id: parse_id(&row.id)?,
        email: row.email.clone(),
        name: row.name.clone(),
        role: row.role.parse().map_err(|_| AppError::Internal(format!("stored role {:?} is unknown", row.role)))?,
        active: row.active,
        created_at: utc(row.created_at),
    })
}

/// Builds a new user row before it is saved, for the API and the command line.
pub(crate) fn new_user_row(business_id: &str, input: &UserCreate, is_sample: bool) -> AppResult<UserRow> {
    let mut errors = ValidationErrors::new();
    let email = valid_email(&mut errors, "email", &input.email);
    let name = required_text(&mut errors, "name", &input.name, 200);
    if let Some(password) = &input.password {
        validate_password(&mut errors, "password", password);
    }
    errors.into_result()?;

    let password_hash = input.password.as_deref().map(hash_password).transpose()?;
    let at = now();
    Ok(UserRow {
        id: new_id().to_string(),
        business_id: business_id.to_owned(),
        email,
        name,
        role: input.role.as_str().to_owned(),
        password_hash,
        active: true,
        is_sample,
        created_at: at,
        updated_at: at,
    })
}

pub(crate) fn insert_user(connection: &mut store::DbConnection, row: &UserRow) -> AppResult<()> {
    queries::insert(connection, row).map_err(|error| match error {
        error if error.violates_unique("email") => AppError::Conflict {
            code: "email_taken",
            field: Some("email".into()),
            message: format!("a user with the email {} already exists", row.email),
        },
        other => AppError::from(other),
    })
}

impl App {
    /// Lists the business's users by name. Admin only.
    pub fn list_users(&self, tenant: &Tenant, limit: Option<i64>, offset: Option<i64>) -> AppResult<Page<User>> {
        tenant.require_admin()?;
        let (limit, offset) = limit_and_offset(limit, offset)?;
        let mut connection = self.connection()?;
        let (rows, total) = queries::list(&mut connection, &tenant.scope(), false, limit, offset)?;
        let items = rows.iter().map(user_view).collect::<AppResult<Vec<_>>>()?;
        Ok(Page { items, total, next_cursor: None })
    }

    /// Lists active users by name for owner pickers; any signed-in user may read it.
    pub fn list_assignable_users(&self, tenant: &Tenant) -> AppResult<Vec<User>> {
        let mut connection = self.connection()?;
        let (rows, _) = queries::list(&mut connection, &tenant.scope(), true, 10_000, 0)?;
        rows.iter().map(user_view).collect()
    }

    /// Adds a user to the caller's business. Admins may grant roles up to their own.
    pub fn create_user(&self, tenant: &Tenant, input: &UserCreate) -> AppResult<User> {
        tenant.require_admin()?;
        if !tenant.role.may_grant(input.role) {
            return Err(AppError::Forbidden(format!(
                "you cannot grant the {} role, which is above your own",
                input.role
            )));
        }
        let row = new_user_row(&tenant.business_id.to_string(), input, false)?;

        let mut connection = self.connection()?;
        insert_user(&mut connection, &row)?;
        info!(user_id = %row.id, role = %row.role, "user created");

        user_view(&row)
    }

    /// Changes a user's name, role, password or active flag. Admins may change users of
    /// their own rank or below, never themselves out of their role or access.
    /// Deactivation ends the user's sessions and revokes their tokens in the same
    /// transaction.
    pub fn update_user(&self, tenant: &Tenant, id: UserId, input: &UserUpdate) -> AppResult<User> {
        tenant.require_admin()?;
        let scope = tenant.scope();
        let mut connection = self.connection()?;
        let target =
            queries::find(&mut connection, &scope, &id.to_string())?.ok_or_else(|| AppError::not_found("user"))?;
        let target_role: Role =
            target.role.parse().map_err(|_| AppError::Internal(format!("stored role {:?} is unknown", target.role)))?;

        if !tenant.role.may_manage(target_role) {
            return Err(AppError::Forbidden("you cannot change a user who outranks you".into()));
        }
        if let Some(role) = input.role {
            if !tenant.role.may_grant(role) {
                return Err(AppError::Forbidden(format!("you cannot grant the {role} role, which is above your own")));
            }
        }
        let is_self = id == tenant.user_id;
        if is_self && (input.active == Some(false) || input.role.is_some_and(|role| role != target_role)) {
            return Err(AppError::Forbidden("you cannot change your own role or deactivate yourself".into()));
        }

        let mut errors = ValidationErrors::new();
        let name = input.name.as_deref().map(|name| required_text(&mut errors, "name", name, 200));
        if let Some(password) = &input.password {
            validate_password(&mut errors, "password", password);
        }
        errors.into_result()?;
        let password_hash = input.password.as_deref().map(hash_password).transpose()?;

        let at = now();
        let changes = UserChanges {
            name,
            role: input.role.map(|role| role.as_str().to_owned()),
            active: input.active,
            password_hash: password_hash.map(Some),
            updated_at: Some(at),
        };
        let deactivate = input.active == Some(false) && target.active;
        let credentials_changed = deactivate || input.password.is_some();
        store::write_transaction::<_, AppError, _>(&mut connection, |connection| {
            queries::update(connection, &scope, &target.id, &changes)?;
            if credentials_changed {
                auth_queries::delete_user_sessions(connection, &target.id)?;
            }
            if deactivate {
                auth_queries::revoke_user_tokens(connection, &target.id, at)?;
            }
            Ok(())
        })?;
        info!(user_id = %target.id, deactivated = deactivate, "user updated");

        let row = queries::find(&mut connection, &scope, &target.id)?.ok_or_else(|| AppError::not_found("user"))?;
        user_view(&row)
    }
}

/// Turns a unique violation into a conflict naming the field, or passes the error on.
pub(crate) fn conflict_on(error: StoreError, column: &str, code: &'static str, message: String) -> AppError {
    if error.violates_unique(column) {
        AppError::Conflict { code, field: Some(column.to_owned()), message }
    } else {
        AppError::from(error)
    }
}
