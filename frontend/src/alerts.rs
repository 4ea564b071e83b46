//! The one mapping from API errors to what the app shows: a readable alert for the form
//! or page, and per-field messages shown next to the inputs.

use std::collections::BTreeMap;

use crate::api::ApiError;

/// The severity of an alert, which picks its colour and ARIA role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Info,
    Success,
    Warning,
    Error,
}

/// A message for the user about a failed request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alert {
    pub severity: Severity,
    pub title: String,
    pub detail: String,
}

/// Invalid fields by field name (`domain`, `custom_fields.tier`), one message each.
pub type FieldErrors = BTreeMap<String, String>;

/// Describes a wait of `seconds` in words, rounded up to whole minutes past one minute.
pub fn wait_in_words(seconds: u64) -> String {
    if seconds <= 60 {
        let seconds = seconds.max(1);
        let unit = if seconds == 1 { "second" } else { "seconds" };
        return format!("{seconds} {unit}");
    }
    let minutes = seconds.div_ceil(60);
    let unit = if minutes == 1 { "minute" } else { "minutes" };
    format!("{minutes} {unit}")
}

fn sentence(text: &str) -> String {
    let trimmed = text.trim();
    let mut chars = trimmed.chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    let mut out: String = first.to_uppercase().chain(chars).collect();
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// Turns a failed request into an alert. `action` names what the user tried, such as
/// "save the account", and starts the title of errors that have no better one.
pub fn alert_for(error: &ApiError, action: &str) -> Alert {
    let (problem, retry_after_secs) = match error {
        ApiError::Network(_) => {
            return Alert {
                severity: Severity::Error,
                title: format!("Could not {action}"),
                detail: "The server did not respond. Check your connection and try again.".into(),
            };
        }
        ApiError::Decode(cause) => {
            return Alert {
                severity: Severity::Error,
                title: format!("Could not {action}"),
                detail: format!(
                    "The server sent a response the app cannot read ({cause}). Reload the page and try again."
                ),
            };
        }
        ApiError::Problem { problem, retry_after_secs } => (problem, *retry_after_secs),
    };

    let detail = sentence(&problem.detail);
    let (severity, title, detail) = match problem.status {
        // The login endpoint returns 401 for a wrong email or password.
        401 if action == "sign in" => {
            (Severity::Error, "Wrong email or password".to_owned(), "Check both and try again.".to_owned())
        }
        401 => (Severity::Warning, "Your session has ended".to_owned(), "Sign in again to continue.".to_owned()),
        403 => (
            Severity::Error,
            "Not allowed".to_owned(),
            if detail.is_empty() {
                "Your role does not allow this. Ask an admin for access.".to_owned()
            } else {
                detail
            },
        ),
        404 => (Severity::Error, "Not found".to_owned(), "It may have been deleted, or the link is wrong.".to_owned()),
        // A busy job is no failure: the run going on does the same work.
        409 if problem.code == "job_running" => (Severity::Warning, "Already running".to_owned(), detail),
        409 => (Severity::Error, format!("Could not {action}"), detail),
        422 => (
            Severity::Error,
            format!("Could not {action}"),
            if problem.errors.is_empty() {
                detail
            } else {
                "Some fields are invalid. See the messages below each field.".to_owned()
            },
        ),
        429 => {
            let wait = retry_after_secs.map(wait_in_words);
            let detail = match wait {
                Some(wait) => format!("Too many failed attempts. Try again in {wait}."),
                None => "Too many failed attempts. Wait a few minutes and try again.".to_owned(),
            };
            (Severity::Warning, "Too many attempts".to_owned(), detail)
        }
        status if status >= 500 => (
            Severity::Error,
            format!("Could not {action}"),
            if detail.is_empty() { "The server failed. Try again in a moment.".to_owned() } else { detail },
        ),
        _ => (Severity::Error, format!("Could not {action}"), detail),
    };
    Alert { severity, title, detail }
}

/// Per-field messages of a validation or conflict problem, keyed by field name.
pub fn field_errors(error: &ApiError) -> FieldErrors {
    let ApiError::Problem { problem, .. } = error else {
        return FieldErrors::new();
    };
    let mut fields = FieldErrors::new();
    for field_error in &problem.errors {
        // The first message of a field is kept; later ones usually repeat the cause.
        fields.entry(field_error.field.clone()).or_insert_with(|| sentence(&field_error.message));
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Problem;

    fn problem(status: u16, code: &str, detail: &str) -> ApiError {
        ApiError::Problem {
            problem: Problem { status, code: code.into(), detail: detail.into(), ..Problem::default() },
            retry_after_secs: None,
        }
    }

    #[test]
    fn throttled_login_names_wait() {
        let error = ApiError::Problem {
            problem: Problem { status: 429, code: "too_many_attempts".into(), ..Problem::default() },
            retry_after_secs: Some(600),
        };
        let alert = alert_for(&error, "sign in");
        assert_eq!(alert.title, "Too many attempts");
        assert_eq!(alert.detail, "Too many failed attempts. Try again in 10 minutes.");
    }

    #[test]
    fn throttled_without_header_still_explains() {
        let alert = alert_for(&problem(429, "too_many_attempts", ""), "sign in");
        assert!(alert.detail.contains("Wait a few minutes"), "{}", alert.detail);
    }

    #[test]
    fn wrong_password_is_plain() {
        let alert = alert_for(&problem(401, "unauthenticated", "the email or password is wrong"), "sign in");
        assert_eq!(alert.title, "Wrong email or password");
    }

    #[test]
    fn expired_session_asks_to_sign_in() {
        let alert = alert_for(&problem(401, "unauthenticated", "sign in first"), "save the account");
        assert_eq!(alert.title, "Your session has ended");
        assert_eq!(alert.severity, Severity::Warning);
    }

    #[test]
    fn conflict_keeps_server_detail() {
        let alert = alert_for(&problem(409, "domain_taken", "another account uses acme.com"), "save the account");
        assert_eq!(alert.title, "Could not save the account");
        assert_eq!(alert.detail, "Another account uses acme.com.");
    }

    #[test]
    fn busy_job_is_a_warning() {
        let error =
            problem(409, "job_running", "health-snapshot is already running for this business; wait for it to finish");
        let alert = alert_for(&error, "run the health snapshot");
        assert_eq!(alert.severity, Severity::Warning);
        assert_eq!(alert.title, "Already running");
        assert_eq!(alert.detail, "Health-snapshot is already running for this business; wait for it to finish.");
    }

    #[test]
    fn network_failure_suggests_retry() {
        let alert = alert_for(&ApiError::Network("Failed to fetch".into()), "load accounts");
        assert_eq!(alert.title, "Could not load accounts");
        assert!(alert.detail.contains("did not respond"));
    }

    #[test]
    fn field_errors_keep_first_message() {
        let error = ApiError::Problem {
            problem: Problem {
                status: 422,
                code: "validation_failed".into(),
                errors: vec![
                    crm_core::FieldError::new("domain", "is not a valid host name"),
                    crm_core::FieldError::new("domain", "second message"),
                    crm_core::FieldError::new("custom_fields.tier", "must be one of: Gold, Silver"),
                ],
                ..Problem::default()
            },
            retry_after_secs: None,
        };
        let fields = field_errors(&error);
        assert_eq!(fields.get("domain").map(String::as_str), Some("Is not a valid host name."));
        assert_eq!(fields.get("custom_fields.tier").map(String::as_str), Some("Must be one of: Gold, Silver."));
        assert_eq!(fields.len(), 2);
        assert!(alert_for(&error, "save").detail.contains("below each field"));
    }

    #[test]
    fn waits_round_up_to_minutes() {
        assert_eq!(wait_in_words(1), "1 second");
        assert_eq!(wait_in_words(45), "45 seconds");
        assert_eq!(wait_in_words(61), "2 minutes");
        assert_eq!(wait_in_words(900), "15 minutes");
    }
}
