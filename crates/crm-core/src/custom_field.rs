//! Admin-defined custom fields: their definitions and the validation of stored values.
//!
//! Values live in the record's metadata as a JSON object keyed by the definition's `key`:
//! text and single-select as strings, numbers as JSON numbers, dates as `YYYY-MM-DD`
//! strings and booleans as JSON booleans.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::closed_set::closed_set;
use crate::ids::CustomFieldId;
use crate::validation::ValidationErrors;

/// Maximum length of a text value, in characters.
pub const MAX_TEXT_CHARS: usize = 2_000;
/// Most options a single-select field may offer.
pub const MAX_OPTIONS: usize = 100;

closed_set! {
    /// Record type a custom field belongs to.
    pub enum CustomFieldEntity {
        Account => "account",
        Contact => "contact",
    }
}

closed_set! {
    /// The type of value a custom field holds.
    pub enum CustomFieldKind {
        Text => "text",
        Number => "number",
        Date => "date",
        Boolean => "boolean",
        SingleSelect => "single_select",
    }
}

/// A custom field as an admin defined it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomFieldDefinition {
    pub id: CustomFieldId,
    pub entity: CustomFieldEntity,
    /// Stable machine name, the key of the value in the record's `custom_fields`.
    pub key: String,
    /// Name shown in forms, lists and as the CSV column header.
    pub label: String,
    pub kind: CustomFieldKind,
    /// Allowed values of a single-select field; empty for other kinds.
    pub options: Vec<String>,
    /// Whether every record must have a value.
    pub required: bool,
    /// Display order, lowest first.
    pub position: i32,
}

/// Checks a key: a lower-case letter, then up to 62 lower-case letters, digits or underscores.
pub fn validate_key(key: &str) -> Result<(), String> {
    let mut chars = key.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase());
    let rest_ok = chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if first_ok && rest_ok && key.len() <= 63 {
        Ok(())
    } else {
        Err("must start with a lower-case letter and contain only a-z, 0-9 and _ (at most 63)".into())
    }
}

/// Checks and tidies the options of a definition: trimmed, non-empty, unique, at most
/// [`MAX_OPTIONS`]; only single-select fields have options.
pub fn normalize_options(kind: CustomFieldKind, options: &[String], errors: &mut ValidationErrors) -> Vec<String> {
    if kind != CustomFieldKind::SingleSelect {
        if !options.is_empty() {
            errors.add("options", "only single_select fields take options");
        }
        return Vec::new();
    }

    let mut normalized: Vec<String> = Vec::new();
    for (index, option) in options.iter().enumerate() {
        let trimmed = option.trim();
        if trimmed.is_empty() || trimmed.chars().count() > 200 {
            errors.add(format!("options[{index}]"), "must be 1 to 200 characters");
        } else if normalized.iter().any(|existing| existing == trimmed) {
            errors.add(format!("options[{index}]"), format!("repeats the option {trimmed:?}"));
        } else {
            normalized.push(trimmed.to_owned());
        }
    }
    if normalized.is_empty() {
        errors.add("options", "a single_select field needs at least one option");
    }
    if normalized.len() > MAX_OPTIONS {
        errors.add("options", format!("must have at most {MAX_OPTIONS} options"));
    }
    normalized
}

/// Checks one JSON value against its definition and returns the value to store.
pub fn validate_value(definition: &CustomFieldDefinition, value: &Value) -> Result<Value, String> {
    match (definition.kind, value) {
        (CustomFieldKind::Text, Value::String(text)) => {
            let trimmed = text.trim();
            if trimmed.chars().count() > MAX_TEXT_CHARS {
                Err(format!("must be at most {MAX_TEXT_CHARS} characters"))
            } else {
                Ok(Value::String(trimmed.to_owned()))
            }
        }
        (CustomFieldKind::Number, Value::Number(number)) => Ok(Value::Number(number.clone())),
        (CustomFieldKind::Date, Value::String(text)) => {
            let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
                .map_err(|_| "must be a date as YYYY-MM-DD".to_owned())?;
            crate::validation::date_in_range(date)?;
            Ok(Value::String(date.format("%Y-%m-%d").to_string()))
        }
        (CustomFieldKind::Boolean, Value::Bool(flag)) => Ok(Value::Bool(*flag)),
        (CustomFieldKind::SingleSelect, Value::String(text)) => {
            let trimmed = text.trim();
            if definition.options.iter().any(|option| option == trimmed) {
                Ok(Value::String(trimmed.to_owned()))
            } else {
                Err(format!("must be one of: {}", definition.options.join(", ")))
            }
        }
        (kind, _) => Err(format!("must be {}", kind_description(kind))),
    }
}

fn kind_description(kind: CustomFieldKind) -> &'static str {
    match kind {
        CustomFieldKind::Text => "text",
        CustomFieldKind::Number => "a number",
        CustomFieldKind::Date => "a date as YYYY-MM-DD",
        CustomFieldKind::Boolean => "true or false",
        CustomFieldKind::SingleSelect => "one of the field's options",
    }
}

/// Parses a CSV cell into the value to store. A blank cell is `None`.
pub fn parse_cell(definition: &CustomFieldDefinition, cell: &str) -> Result<Option<Value>, String> {
    let trimmed = cell.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    let value = match definition.kind {
        CustomFieldKind::Number => {
            let number: f64 = trimmed.parse().map_err(|_| "must be a number".to_owned())?;
            let number = serde_json::Number::from_f64(number).ok_or("must be a finite number")?;
            Value::Number(number)
        }
        CustomFieldKind::Boolean => match trimmed.to_lowercase().as_str() {
            "true" | "yes" | "y" | "1" => Value::Bool(true),
            "false" | "no" | "n" | "0" => Value::Bool(false),
            _ => return Err("must be true or false".into()),
        },
        CustomFieldKind::Text | CustomFieldKind::Date | CustomFieldKind::SingleSelect => {
            Value::String(trimmed.to_owned())
        }
    };
    validate_value(definition, &value).map(Some)
}

/// Renders a stored value as a CSV cell.
pub fn render_cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) => text.clone(),
        Some(Value::Bool(flag)) => flag.to_string(),
        Some(Value::Number(number)) => number.to_string(),
        Some(other) => other.to_string(),
    }
}

/// Merges `changes` into `current` values and validates the result against `definitions`.
///
/// A `null` in `changes` removes the value. Keys with no definition are rejected, and a
/// required field must have a value after the merge. Field names in errors are prefixed
/// with `field_prefix` (such as `custom_fields`).
pub fn merge_values(
    definitions: &[CustomFieldDefinition],
    current: &Map<String, Value>,
    changes: &Map<String, Value>,
    field_prefix: &str,
) -> Result<Map<String, Value>, ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let mut merged = Map::new();
    for definition in definitions {
        if let Some(value) = current.get(&definition.key) {
            merged.insert(definition.key.clone(), value.clone());
        }
    }

    for (key, value) in changes {
        let field = format!("{field_prefix}.{key}");
        let Some(definition) = definitions.iter().find(|definition| &definition.key == key) else {
            errors.add(field, "is not a defined custom field");
            continue;
        };
        if value.is_null() {
            merged.remove(key);
            continue;
        }
        match validate_value(definition, value) {
            Ok(valid) => {
                merged.insert(key.clone(), valid);
            }
            Err(message) => errors.add(field, message),
        }
    }

    for definition in definitions.iter().filter(|definition| definition.required) {
        let present = merged.get(&definition.key).is_some_and(|value| value != &Value::String(String::new()));
        let already_reported = errors.0.iter().any(|error| error.field == format!("{field_prefix}.{}", definition.key));
        if !present && !already_reported {
            errors.add(format!("{field_prefix}.{}", definition.key), "is required");
        }
    }

    errors.into_result().map(|()| merged)
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use uuid::Uuid;

    use super::*;

    fn definition(key: &str, kind: CustomFieldKind, required: bool) -> CustomFieldDefinition {
        CustomFieldDefinition {
            id: CustomFieldId(Uuid::nil()),
            entity: CustomFieldEntity::Account,
            key: key.into(),
            label: key.into(),
            kind,
            options: if kind == CustomFieldKind::SingleSelect { vec!["Gold".into(), "Silver".into()] } else { vec![] },
            required,
            position: 0,
        }
    }

    fn object(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn merge_validates_each_kind() {
        let definitions = vec![
            definition("tier", CustomFieldKind::SingleSelect, false),
            definition("seats", CustomFieldKind::Number, false),
            definition("kickoff", CustomFieldKind::Date, false),
            definition("vip", CustomFieldKind::Boolean, false),
        ];
        let merged = merge_values(
            &definitions,
            &Map::new(),
            &object(json!({"tier": "Gold", "seats": 12, "kickoff": "2026-01-31", "vip": true})),
            "custom_fields",
        );
        assert_eq!(
            merged.map(Value::Object),
            Ok(json!({"tier": "Gold", "seats": 12, "kickoff": "2026-01-31", "vip": true}))
        );
    }

    #[test]
    fn merge_reports_every_bad_field() {
        let definitions = vec![
            definition("tier", CustomFieldKind::SingleSelect, false),
            definition("seats", CustomFieldKind::Number, false),
        ];
        let errors = merge_values(
            &definitions,
            &Map::new(),
            &object(json!({"tier": "Bronze", "seats": "many", "color": "red"})),
            "custom_fields",
        )
        .err()
        .unwrap_or_default();
        let fields: Vec<&str> = errors.0.iter().map(|error| error.field.as_str()).collect();
        assert!(fields.contains(&"custom_fields.tier"));
        assert!(fields.contains(&"custom_fields.seats"));
        assert!(fields.contains(&"custom_fields.color"));
    }

    #[test]
    fn required_field_cannot_be_removed() {
        let definitions = vec![definition("tier", CustomFieldKind::SingleSelect, true)];
        let current = object(json!({"tier": "Gold"}));
        let result = merge_values(&definitions, &current, &object(json!({"tier": null})), "custom_fields");
        assert_eq!(result.err().map(|errors| errors.0[0].message.clone()), Some("is required".into()));
    }

    #[test]
    fn null_removes_optional_value() {
        let definitions = vec![definition("seats", CustomFieldKind::Number, false)];
        let current = object(json!({"seats": 3}));
        let merged = merge_values(&definitions, &current, &object(json!({"seats": null})), "custom_fields");
        assert_eq!(merged, Ok(Map::new()));
    }

    #[test]
    fn cells_parse_by_kind() {
        assert_eq!(parse_cell(&definition("n", CustomFieldKind::Number, false), " 12.5 "), Ok(Some(json!(12.5))));
        assert_eq!(parse_cell(&definition("b", CustomFieldKind::Boolean, false), "Yes"), Ok(Some(json!(true))));
        assert!(parse_cell(&definition("d", CustomFieldKind::Date, false), "31/01/2026").is_err());
        assert_eq!(parse_cell(&definition("t", CustomFieldKind::Text, false), "  "), Ok(None));
    }

    #[test]
    fn keys_are_snake_case() {
        assert!(validate_key("contract_tier").is_ok());
        assert!(validate_key("Tier").is_err());
        assert!(validate_key("1tier").is_err());
        assert!(validate_key("").is_err());
    }
}
