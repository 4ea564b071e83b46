//! Custom field definitions: admins define them; accounts and contacts store values.

use api_types::custom_fields::{CustomField, CustomFieldCreate, CustomFieldReorder, CustomFieldUpdate};
use crm_core::custom_field::{normalize_options, validate_key};
use crm_core::validation::required_text;
use crm_core::{CustomFieldEntity, CustomFieldId, ValidationErrors};
use serde_json::{Map, Value};
use store::custom_fields::{self as queries, DefinitionRow};
use store::{DbConnection, Scope};
use tracing::info;

use crate::auth::parse_id;
use crate::clock::{new_id, now};
use crate::error::{AppError, AppResult};
use crate::tenant::Tenant;
use crate::users::conflict_on;
use crate::App;

/// Most custom fields one entity may have.
pub const MAX_FIELDS_PER_ENTITY: usize = 100;

fn definition_view(row: &DefinitionRow) -> AppResult<CustomField> {
    let corrupt =
        |column: &str| AppError::Internal(format!("custom_field_definitions.{column} of {} is invalid", row.id));
    Ok(CustomField {
        id: parse_id(&row.id)?,
        entity: row.entity.parse().map_err(|_| corrupt("entity"))?,
        key: row.key.clone(),
        label: row.label.clone(),
        kind: row.kind.parse().map_err(|_| corrupt("kind"))?,
        options: store::from_json_text("custom_field_definitions.options", &row.options)?,
        required: row.required,
        position: row.position,
    })
}

/// Loads the definitions of one entity in display order.
pub fn definitions_for(
    connection: &mut DbConnection,
    scope: &Scope,
    entity: CustomFieldEntity,
) -> AppResult<Vec<CustomField>> {
    queries::list(connection, scope, Some(entity.as_str()))?.iter().map(definition_view).collect()
}

/// Reads the custom field values kept in a record's metadata.
pub fn values_of(metadata: &str) -> AppResult<Map<String, Value>> {
    let metadata: Map<String, Value> = store::from_json_text("metadata", metadata)?;
    match metadata.get("custom_fields") {
        Some(Value::Object(values)) => Ok(values.clone()),
        _ => Ok(Map::new()),
    }
}

/// Replaces the custom field values in a record's metadata, keeping its other members.
pub fn with_values(metadata: &str, values: Map<String, Value>) -> AppResult<String> {
    let mut metadata: Map<String, Value> = store::from_json_text("metadata", metadata)?;
    metadata.insert("custom_fields".into(), Value::Object(values));
    Ok(store::to_json_text(&metadata)?)
}

/// "an account" or "a contact", for messages.
fn entity_article(entity: CustomFieldEntity) -> &'static str {
    match entity {
        CustomFieldEntity::Account => "an account",
        CustomFieldEntity::Contact => "a contact",
    }
}

/// Rejects a label that another field of the entity already has, ignoring case: labels are
/// the CSV column headers, so two equal ones would make an export ambiguous.
fn check_label_free(
    fields: &[DefinitionRow],
    own_id: Option<&str>,
    label: &str,
    entity: CustomFieldEntity,
) -> AppResult<()> {
    let label_in_use = fields
        .iter()
        .any(|field| Some(field.id.as_str()) != own_id && field.label.to_lowercase() == label.to_lowercase());
    if label_in_use {
        return Err(AppError::Conflict {
            code: "custom_field_label_taken",
            field: Some("label".into()),
            message: format!("{} custom field is already labelled {label:?}", entity_article(entity)),
        });
    }
    Ok(())
}

impl App {
    /// Lists definitions in display order. Any signed-in user may read them, because
    /// forms and lists need them.
    pub fn list_custom_fields(
        &self,
        tenant: &Tenant,
        entity: Option<CustomFieldEntity>,
    ) -> AppResult<Vec<CustomField>> {
        let mut connection = self.connection()?;
        queries::list(&mut connection, &tenant.scope(), entity.map(|entity| entity.as_str()))?
            .iter()
            .map(definition_view)
            .collect()
    }

    /// Adds a definition at the end of its entity's list. Admin only.
    pub fn create_custom_field(&self, tenant: &Tenant, input: &CustomFieldCreate) -> AppResult<CustomField> {
        tenant.require_admin()?;
        let mut errors = ValidationErrors::new();
        let key = input.key.trim().to_owned();
        if let Err(message) = validate_key(&key) {
            errors.add("key", message);
        }
        let label = required_text(&mut errors, "label", &input.label, 100);
        let options = normalize_options(input.kind, &input.options, &mut errors);
        errors.into_result()?;

        let scope = tenant.scope();
        let mut connection = self.connection()?;
        let existing = queries::list(&mut connection, &scope, Some(input.entity.as_str()))?;
        if existing.len() >= MAX_FIELDS_PER_ENTITY {
            return Err(AppError::invalid(
                "entity",
                format!("an entity may have at most {MAX_FIELDS_PER_ENTITY} custom fields"),
            ));
        }
        check_label_free(&existing, None, &label, input.entity)?;
        let at = now();
        let row = DefinitionRow {
            id: new_id().to_string(),
            business_id: scope.business_id().to_owned(),
            entity: input.entity.as_str().to_owned(),
            key: key.clone(),
            label,
            kind: input.kind.as_str().to_owned(),
            options: store::to_json_text(&options)?,
            required: input.required,
            position: queries::next_position(&mut connection, &scope, input.entity.as_str())?,
            created_at: at,
            updated_at: at,
        };
        queries::insert(&mut connection, &row).map_err(|error| {
            conflict_on(
                error,
                "key",
                "custom_field_key_taken",
                format!("{} custom field with the key {key} already exists", entity_article(input.entity)),
            )
        })?;
        info!(custom_field_id = %row.id, key, "custom field created");

        definition_view(&row)
    }

    /// Changes a definition's label, options or required flag. Admin only.
    pub fn update_custom_field(
        &self,
        tenant: &Tenant,
        id: CustomFieldId,
        input: &CustomFieldUpdate,
    ) -> AppResult<CustomField> {
        tenant.require_admin()?;
        let scope = tenant.scope();
        let mut connection = self.connection()?;
        let mut row = queries::find(&mut connection, &scope, &id.to_string())?
            .ok_or_else(|| AppError::not_found("custom field"))?;
        let current = definition_view(&row)?;

        let mut errors = ValidationErrors::new();
        if let Some(label) = &input.label {
            row.label = required_text(&mut errors, "label", label, 100);
        }
        if let Some(options) = &input.options {
            row.options = store::to_json_text(&normalize_options(current.kind, options, &mut errors))?;
        }
        errors.into_result()?;
        if input.label.is_some() {
            let siblings = queries::list(&mut connection, &scope, Some(current.entity.as_str()))?;
            check_label_free(&siblings, Some(&row.id), &row.label, current.entity)?;
        }
        if let Some(required) = input.required {
            row.required = required;
        }
        row.updated_at = now();
        queries::update(&mut connection, &scope, &row)?;

        definition_view(&row)
    }

    /// Deletes a definition and, in the same transaction, its values from every record of
    /// its entity, so a later field with the same key starts empty. Admin only.
    pub fn delete_custom_field(&self, tenant: &Tenant, id: CustomFieldId) -> AppResult<()> {
        tenant.require_admin()?;
        let scope = tenant.scope();
        let mut connection = self.connection()?;
        let row = queries::find(&mut connection, &scope, &id.to_string())?
            .ok_or_else(|| AppError::not_found("custom field"))?;
        let definition = definition_view(&row)?;

        let removed = store::write_transaction::<_, AppError, _>(&mut connection, |connection| {
            queries::delete(connection, &scope, &row.id)?;
            Ok(queries::remove_values(connection, &scope, definition.entity.as_str(), &definition.key)?)
        })?;
        info!(custom_field_id = %id, key = definition.key, records = removed, "custom field deleted");

        Ok(())
    }

    /// Puts one entity's definitions in the given order. The list must name each of them
    /// exactly once. Admin only.
    pub fn reorder_custom_fields(&self, tenant: &Tenant, input: &CustomFieldReorder) -> AppResult<Vec<CustomField>> {
        tenant.require_admin()?;
        let scope = tenant.scope();
        let mut connection = self.connection()?;
        let existing = queries::list(&mut connection, &scope, Some(input.entity.as_str()))?;

        let mut requested: Vec<String> = input.ids.iter().map(ToString::to_string).collect();
        let mut current: Vec<String> = existing.iter().map(|row| row.id.clone()).collect();
        requested.sort();
        current.sort();
        let has_repeats = requested.windows(2).any(|pair| pair[0] == pair[1]);
        if has_repeats || requested != current {
            return Err(AppError::invalid(
                "ids",
                format!("must list every {} custom field id exactly once", input.entity),
            ));
        }

        let at = now();
        store::write_transaction::<_, AppError, _>(&mut connection, |connection| {
            for (position, id) in input.ids.iter().enumerate() {
                let position = i32::try_from(position).map_err(|_| AppError::invalid("ids", "too many ids"))?;
                queries::set_position(connection, &scope, &id.to_string(), position, at)?;
            }
            Ok(())
        })?;

        definitions_for(&mut connection, &scope, input.entity)
    }
}
