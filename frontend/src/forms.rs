//! Checks that forms run before sending, and conversions between form inputs (text) and
//! API values. The server checks everything again; these only save a round trip.

use chrono::NaiveDate;
use crm_core::{CustomFieldDefinition, CustomFieldKind};
use serde_json::{Map, Number, Value};

use crate::alerts::FieldErrors;

/// Shortest password the server accepts.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Returns the trimmed text, or `None` when it is blank.
pub fn optional(text: &str) -> Option<String> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// Adds an error when a required text is blank.
pub fn require(errors: &mut FieldErrors, field: &str, value: &str, label: &str) {
    if value.trim().is_empty() {
        errors.insert(field.to_owned(), format!("Enter {label}."));
    }
}

/// Adds an error when a non-blank email has no `@` with text on both sides.
pub fn check_email(errors: &mut FieldErrors, field: &str, value: &str) {
    let value = value.trim();
    if value.is_empty() {
        return;
    }
    let valid = value.split_once('@').is_some_and(|(local, host)| !local.is_empty() && host.contains('.'));
    if !valid {
        errors.insert(field.to_owned(), "Enter an email address such as name@example.com.".into());
    }
}

/// Adds an error when a non-blank password is shorter than the server's minimum.
pub fn check_password(errors: &mut FieldErrors, field: &str, value: &str) {
    if !value.is_empty() && value.chars().count() < MIN_PASSWORD_CHARS {
        errors.insert(field.to_owned(), format!("Use at least {MIN_PASSWORD_CHARS} characters."));
    }
}

/// Parses a date input's `YYYY-MM-DD` value; blank is `None`.
pub fn parse_date(text: &str) -> Result<Option<NaiveDate>, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(trimmed, "%Y-%m-%d").map(Some).map_err(|_| "Enter a date as YYYY-MM-DD.".to_owned())
}

/// Returns the form field name of a custom field, as the API names it in errors.
pub fn custom_field_name(key: &str) -> String {
    format!("custom_fields.{key}")
}

/// Returns the text an input shows for a stored custom field value.
pub fn custom_value_text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) => text.clone(),
        Some(Value::Bool(flag)) => flag.to_string(),
        Some(Value::Number(number)) => number.to_string(),
        Some(other) => other.to_string(),
    }
}

/// Converts one input's text to the JSON value the API stores; blank is `null`, which
/// removes the value.
pub fn custom_value(definition: &CustomFieldDefinition, text: &str) -> Result<Value, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(Value::Null);
    }
    match definition.kind {
        CustomFieldKind::Number => trimmed
            .parse::<f64>()
            .ok()
            .and_then(|number| {
                // Whole numbers go as integers so they read back without a ".0".
                if number.fract() == 0.0 && number.abs() < 9.0e15 {
                    Some(Number::from(number as i64))
                } else {
                    Number::from_f64(number)
                }
            })
            .map(Value::Number)
            .ok_or_else(|| "Enter a number.".to_owned()),
        CustomFieldKind::Boolean => match trimmed {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err("Choose yes or no.".to_owned()),
        },
        CustomFieldKind::Date => parse_date(trimmed)
            .map(|date| date.map(|date| Value::String(date.format("%Y-%m-%d").to_string())).unwrap_or(Value::Null)),
        CustomFieldKind::Text | CustomFieldKind::SingleSelect => Ok(Value::String(trimmed.to_owned())),
    }
}

/// Converts the custom field inputs of a form to the `custom_fields` object of a request,
/// collecting per-field errors. `text_of` returns an input's text by field key.
pub fn custom_values(
    definitions: &[CustomFieldDefinition],
    text_of: impl Fn(&str) -> String,
    errors: &mut FieldErrors,
) -> Map<String, Value> {
    let mut values = Map::new();
    for definition in definitions {
        let text = text_of(&definition.key);
        if definition.required && text.trim().is_empty() {
            errors.insert(custom_field_name(&definition.key), format!("Enter {}.", definition.label));
            continue;
        }
        match custom_value(definition, &text) {
            Ok(value) => {
                values.insert(definition.key.clone(), value);
            }
            Err(message) => {
                errors.insert(custom_field_name(&definition.key), message);
            }
        }
    }
    values
}

#[cfg(test)]
mod tests {
    use crm_core::{CustomFieldEntity, CustomFieldId};

    use super::*;

    fn definition(kind: CustomFieldKind, required: bool) -> CustomFieldDefinition {
        CustomFieldDefinition {
            id: CustomFieldId(uuid::Uuid::nil()),
            entity: CustomFieldEntity::Account,
            key: "tier".into(),
            label: "Tier".into(),
            kind,
            options: vec!["Gold".into()],
            required,
            position: 0,
        }
    }

    #[test]
    fn number_input_becomes_json_number() {
        let field = definition(CustomFieldKind::Number, false);
        assert_eq!(custom_value(&field, "42"), Ok(serde_json::json!(42)));
        assert_eq!(custom_value(&field, "2.5"), Ok(serde_json::json!(2.5)));
        assert!(custom_value(&field, "lots").is_err());
    }

    #[test]
    fn blank_input_clears_value() {
        let field = definition(CustomFieldKind::Text, false);
        assert_eq!(custom_value(&field, "  "), Ok(Value::Null));
    }

    #[test]
    fn boolean_and_date_inputs() {
        assert_eq!(custom_value(&definition(CustomFieldKind::Boolean, false), "true"), Ok(Value::Bool(true)));
        let date = definition(CustomFieldKind::Date, false);
        assert_eq!(custom_value(&date, "2026-07-01"), Ok(serde_json::json!("2026-07-01")));
        assert!(custom_value(&date, "July").is_err());
    }

    #[test]
    fn required_custom_field_reports_error() {
        let mut errors = FieldErrors::new();
        let values = custom_values(&[definition(CustomFieldKind::Text, true)], |_| String::new(), &mut errors);
        assert!(values.is_empty());
        assert_eq!(errors.get("custom_fields.tier").map(String::as_str), Some("Enter Tier."));
    }

    #[test]
    fn email_and_password_checks() {
        let mut errors = FieldErrors::new();
        check_email(&mut errors, "email", "someone");
        check_password(&mut errors, "password", "short");
        check_email(&mut errors, "other", "a@b.test");
        assert!(errors.contains_key("email"));
        assert!(errors.contains_key("password"));
        assert!(!errors.contains_key("other"));
    }

    #[test]
    fn stored_values_render_as_text() {
        assert_eq!(custom_value_text(Some(&serde_json::json!(3))), "3");
        assert_eq!(custom_value_text(Some(&Value::Bool(false))), "false");
        assert_eq!(custom_value_text(None), "");
    }
}
