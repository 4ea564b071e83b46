//! Field-level validation errors shared by every domain rule and rendered by the API as
//! the `errors` member of a problem+json response.

use serde::{Deserialize, Serialize};

/// One invalid field and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// Path of the field in the request, such as `domain` or `custom_fields.tier`.
    pub field: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

/// A set of field errors collected before rejecting a request, so a client sees every
/// problem at once instead of one per round trip.
#[derive(Clone, Debug, Default, PartialEq, Eq, thiserror::Error)]
#[error("validation failed: {}", summary(.0))]
pub struct ValidationErrors(pub Vec<FieldError>);

fn summary(errors: &[FieldError]) -> String {
    errors.iter().map(|error| format!("{}: {}", error.field, error.message)).collect::<Vec<_>>().join("; ")
}

impl ValidationErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn single(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self(vec![FieldError::new(field, message)])
    }

    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Returns `Ok(())` when nothing was collected, or the collected errors.
    pub fn into_result(self) -> Result<(), ValidationErrors> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

/// Trims a required text field and checks its length in characters.
pub fn required_text(errors: &mut ValidationErrors, field: &str, value: &str, max_chars: usize) -> String {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        errors.add(field, "must not be empty");
    } else if trimmed.chars().count() > max_chars {
        errors.add(field, format!("must be at most {max_chars} characters"));
    }
    trimmed.to_owned()
}

/// Trims an optional text field; blank text becomes `None`.
pub fn optional_text(
    errors: &mut ValidationErrors,
    field: &str,
    value: Option<&str>,
    max_chars: usize,
) -> Option<String> {
    let trimmed = value.map(str::trim).filter(|text| !text.is_empty())?;
    if trimmed.chars().count() > max_chars {
        errors.add(field, format!("must be at most {max_chars} characters"));
    }
    Some(trimmed.to_owned())
}

/// Checks the shape of an email address: one `@`, a non-empty local part and a dotted
/// domain, no spaces. Returns it lower-cased.
pub fn email(errors: &mut ValidationErrors, field: &str, value: &str) -> String {
    let normalized = value.trim().to_lowercase();
    let valid = match normalized.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && !normalized.chars().any(char::is_whitespace)
        }
        None => false,
    };
    if !valid {
        errors.add(field, "must be an email address such as name@example.com");
    } else if normalized.len() > 254 {
        errors.add(field, "must be at most 254 characters");
    }
    normalized
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_accepts_and_lowercases() {
        let mut errors = ValidationErrors::new();
        assert_eq!(email(&mut errors, "email", " Ana@Example.COM "), "ana@example.com");
        assert!(errors.is_empty());
    }

    #[test]
    fn email_rejects_malformed() {
        for bad in ["", "ana", "ana@", "@example.com", "ana@example", "a b@example.com", "a@b@c.com"] {
            let mut errors = ValidationErrors::new();
            email(&mut errors, "email", bad);
            assert_eq!(errors.0.len(), 1, "{bad:?} should be rejected");
        }
    }

    #[test]
    fn required_text_reports_blank_and_long() {
        let mut errors = ValidationErrors::new();
        required_text(&mut errors, "name", "   ", 10);
        required_text(&mut errors, "title", "abcdefghijk", 10);
        assert_eq!(errors.0[0].field, "name");
        assert_eq!(errors.0[1].field, "title");
    }
}
