//! Contacts of an account and their role flags.

use api_types::accounts::{Contact, ContactCreate, ContactUpdate};
use api_types::{Page, PageParams};
use crm_core::custom_field::merge_values;
use crm_core::validation::{email as valid_email, optional_text, required_text};
use crm_core::{AccountId, ContactId, CustomFieldEntity, ValidationErrors};
use serde_json::Map;
use store::accounts as account_queries;
use store::contacts::{self as queries, ContactRow};

use crate::auth::parse_id;
use crate::clock::{new_id, now, utc};
use crate::custom_fields::{definitions_for, values_of, with_values};
use crate::error::{AppError, AppResult};
use crate::paging::limit_and_offset;
use crate::tenant::Tenant;
use crate::App;

fn contact_view(row: &ContactRow) -> AppResult<Contact> {
    Ok(Contact {
        id: parse_id(&row.id)?,
        account_id: parse_id(&row.account_id)?,
        name: row.name.clone(),
        email: row.email.clone(),
        title: row.title.clone(),
        champion: row.champion,
        economic_buyer: row.economic_buyer,
        technical_buyer: row.technical_buyer,
        detractor: row.detractor,
        custom_fields: values_of(&row.metadata)?,
        created_at: utc(row.created_at),
        updated_at: utc(row.updated_at),
    })
}

fn optional_email(errors: &mut ValidationErrors, value: Option<&str>) -> Option<String> {
    let value = value.map(str::trim).filter(|value| !value.is_empty())?;
    Some(valid_email(errors, "email", value))
}

impl App {
    /// Lists an account's contacts by name.
    pub fn list_contacts(
        &self,
        tenant: &Tenant,
        account_id: AccountId,
        paging: &PageParams,
    ) -> AppResult<Page<Contact>> {
        let (limit, offset) = limit_and_offset(paging.limit, paging.offset)?;
        let scope = tenant.scope();
        let mut connection = self.connection()?;
        if !account_queries::exists(&mut connection, &scope, &account_id.to_string())? {
            return Err(AppError::not_found("account"));
        }
        let (rows, total) = queries::list_for_account(&mut connection, &scope, &account_id.to_string(), limit, offset)?;
        let items = rows.iter().map(contact_view).collect::<AppResult<Vec<_>>>()?;
        Ok(Page { items, total, next_cursor: None })
    }

    /// Adds a contact to an account.
    pub fn create_contact(&self, tenant: &Tenant, account_id: AccountId, input: &ContactCreate) -> AppResult<Contact> {
        let scope = tenant.scope();
        let mut connection = self.connection()?;
        if !account_queries::exists(&mut connection, &scope, &account_id.to_string())? {
            return Err(AppError::not_found("account"));
        }

        let mut errors = ValidationErrors::new();
        let name = required_text(&mut errors, "name", &input.name, 200);
        let email = optional_email(&mut errors, input.email.as_deref());
        let title = optional_text(&mut errors, "title", input.title.as_deref(), 200);
        let definitions = definitions_for(&mut connection, &scope, CustomFieldEntity::Contact)?;
        let custom_fields = match merge_values(&definitions, &Map::new(), &input.custom_fields, "custom_fields") {
            Ok(values) => values,
            Err(custom_errors) => {
                errors.0.extend(custom_errors.0);
                Map::new()
            }
        };
        errors.into_result()?;

        let at = now();
        let row = ContactRow {
            id: new_id().to_string(),
            business_id: scope.business_id().to_owned(),
            account_id: account_id.to_string(),
            name,
            email,
            title,
            champion: input.champion,
            economic_buyer: input.economic_buyer,
            technical_buyer: input.technical_buyer,
            detractor: input.detractor,
            metadata: with_values("{}", custom_fields)?,
            created_at: at,
            updated_at: at,
        };
        queries::insert(&mut connection, &row)?;

        contact_view(&row)
    }

    /// Changes the fields sent and leaves the rest.
    pub fn update_contact(&self, tenant: &Tenant, id: ContactId, input: &ContactUpdate) -> AppResult<Contact> {
        let scope = tenant.scope();
        let mut connection = self.connection()?;
        let current =
            queries::find(&mut connection, &scope, &id.to_string())?.ok_or_else(|| AppError::not_found("contact"))?;
        let mut row = current.clone();

        let mut errors = ValidationErrors::new();
        if let Some(name) = &input.name {
            row.name = required_text(&mut errors, "name", name, 200);
        }
        if let Some(email) = &input.email {
            row.email = optional_email(&mut errors, email.as_deref());
        }
        if let Some(title) = &input.title {
            row.title = optional_text(&mut errors, "title", title.as_deref(), 200);
        }
        row.champion = input.champion.unwrap_or(row.champion);
        row.economic_buyer = input.economic_buyer.unwrap_or(row.economic_buyer);
        row.technical_buyer = input.technical_buyer.unwrap_or(row.technical_buyer);
        row.detractor = input.detractor.unwrap_or(row.detractor);
        if let Some(changes) = &input.custom_fields {
            let definitions = definitions_for(&mut connection, &scope, CustomFieldEntity::Contact)?;
            match merge_values(&definitions, &values_of(&current.metadata)?, changes, "custom_fields") {
                Ok(values) => row.metadata = with_values(&current.metadata, values)?,
                Err(custom_errors) => errors.0.extend(custom_errors.0),
            }
        }
        errors.into_result()?;

        if row != current {
            row.updated_at = now();
            queries::update(&mut connection, &scope, &row)?;
        }

        contact_view(&row)
    }

    pub fn delete_contact(&self, tenant: &Tenant, id: ContactId) -> AppResult<()> {
        let mut connection = self.connection()?;
        if queries::delete(&mut connection, &tenant.scope(), &id.to_string())? == 0 {
            return Err(AppError::not_found("contact"));
        }
        Ok(())
    }
}
