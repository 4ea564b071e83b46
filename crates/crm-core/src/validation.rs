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

/// Earliest and latest dates accepted anywhere, so every stored date means the same on
/// both backends (PostgreSQL rejects years before 4713 BC, SQLite stores anything).
pub const MIN_DATE: (i32, u32, u32) = (1900, 1, 1);
pub const MAX_DATE: (i32, u32, u32) = (2999, 12, 31);

/// Checks that a date lies between [`MIN_DATE`] and [`MAX_DATE`].
pub fn date_in_range(date: chrono::NaiveDate) -> Result<(), String> {
    use chrono::Datelike;
    let key = (date.year(), date.month(), date.day());
    if key < MIN_DATE || key > MAX_DATE {
        Err("must be between 1900-01-01 and 2999-12-31".to_owned())
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod date_tests {
    use chrono::NaiveDate;

    use super::*;

    #[test]
    fn dates_outside_range_fail() {
        for (year, month, day) in [(1899, 12, 31), (3000, 1, 1), (-4714, 1, 1)] {
            let date = NaiveDate::from_ymd_opt(year, month, day).unwrap_or_default();
            assert!(date_in_range(date).is_err(), "{date}");
        }
        assert!(date_in_range(NaiveDate::from_ymd_opt(2026, 12, 4).unwrap_or_default()).is_ok());
    }
}
