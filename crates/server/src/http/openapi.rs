//! The OpenAPI 3.1 document of the API, generated from the handlers and types.

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::http::routes::{
    accounts, auth, custom_fields, health, health_scores, imports, jobs, notifications, proposals, renewals, signals,
    users,
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Mango CS API",
        description = "The JSON API of Mango CS, a self-hostable customer-success platform. \
            Authenticate with a personal API token (`Authorization: Bearer <token>`) or, from the browser, \
            with the session cookie set by sign-in plus the `X-CSRF-Token` header on writes. \
            Errors are RFC 9457 problem details (`application/problem+json`).",
        license(name = "AGPL-3.0-or-later")
    ),
    paths(
        health::healthz,
        health::readyz,
        auth::login,
        auth::logout,
        auth::me,
        accounts::list,
        accounts::create,
        accounts::read,
        accounts::update,
        accounts::remove,
        accounts::list_contacts,
        accounts::create_contact,
        accounts::update_contact,
        accounts::remove_contact,
        accounts::list_activities,
        accounts::create_activity,
        users::list,
        users::assignable,
        users::create,
        users::update,
        users::list_tokens,
        users::create_token,
        users::revoke_token,
        users::read_settings,
        users::update_settings,
        users::put_settings,
        custom_fields::list,
        custom_fields::create,
        custom_fields::reorder,
        custom_fields::update,
        custom_fields::remove,
        imports::preview,
        imports::preview_signals,
        imports::commit,
        imports::export,
        signals::ingest_tickets,
        signals::list_tickets,
        signals::ingest_survey_responses,
        signals::list_survey_responses,
        signals::ingest_subscriptions,
        signals::list_subscriptions,
        signals::ingest_usage_events,
        signals::list_usage_events,
        health_scores::read,
        health_scores::history,
        health_scores::dashboard,
        jobs::run_health_snapshot,
        jobs::list_runs,
        jobs::run_renewal_reminders,
        jobs::list_outbox,
        notifications::list,
        notifications::mark_all_read,
        notifications::read_preferences,
        notifications::update_preferences,
        notifications::mark_read,
        renewals::list,
        renewals::summary,
        renewals::export,
        renewals::expansion,
        proposals::generate,
        proposals::list,
        proposals::read,
        proposals::update,
        proposals::change_status,
    ),
    modifiers(&Security),
    tags(
        (name = "accounts", description = "The shared customer record"),
        (name = "contacts", description = "People at an account and their roles"),
        (name = "activities", description = "An account's timeline"),
        (name = "imports", description = "CSV import of accounts and signals, and export of accounts"),
        (name = "signals", description = "Support tickets, survey responses, subscriptions and usage from the sibling apps"),
        (name = "health scores", description = "Account health breakdowns, history and the dashboard"),
        (name = "jobs", description = "Scheduled jobs and their runs"),
        (name = "notifications", description = "The signed-in user's notifications and preferences"),
        (name = "renewals", description = "The renewal pipeline"),
        (name = "proposals", description = "Renewal proposals"),
        (name = "custom fields", description = "Admin-defined fields of accounts and contacts"),
        (name = "users", description = "Users of the business"),
        (name = "tokens", description = "Personal API tokens"),
        (name = "settings", description = "Business settings"),
        (name = "auth", description = "Sign-in and the signed-in user"),
        (name = "health", description = "Probes for load balancers and orchestrators"),
    )
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new().scheme(HttpAuthScheme::Bearer).description(Some("A personal API token")).build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "mango_cs_session",
                "The browser session cookie; writes also need the X-CSRF-Token header",
            ))),
        );
    }
}

/// The document as pretty-printed JSON with a trailing newline, as checked in under
/// `openapi/openapi.json`.
pub fn document_json() -> String {
    let document = ApiDoc::openapi();
    let mut text = document.to_pretty_json().unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn checked_in_document_is_current() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../openapi/openapi.json");
        let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(checked_in == document_json(), "openapi/openapi.json is stale; regenerate it with `make openapi`");
    }

    #[test]
    fn document_is_openapi_3_1() {
        let document: serde_json::Value = serde_json::from_str(&document_json()).unwrap_or_default();
        assert_eq!(document["openapi"], "3.1.0");
        assert!(document["paths"]["/api/v1/accounts"]["get"].is_object());
    }

    #[test]
    fn path_parameters_appear_in_their_paths() {
        let document: serde_json::Value = serde_json::from_str(&document_json()).unwrap_or_default();
        let paths = document["paths"].as_object().cloned().unwrap_or_default();
        for (path, item) in &paths {
            for (method, operation) in item.as_object().into_iter().flatten() {
                for parameter in operation["parameters"].as_array().into_iter().flatten() {
                    let name = parameter["name"].as_str().unwrap_or_default();
                    if parameter["in"] == "path" {
                        assert!(
                            path.contains(&format!("{{{name}}}")),
                            "{method} {path}: path parameter {name} is not in the path"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn operation_ids_are_unique() {
        let document: serde_json::Value = serde_json::from_str(&document_json()).unwrap_or_default();
        let mut seen = std::collections::HashSet::new();
        for item in document["paths"].as_object().into_iter().flat_map(|paths| paths.values()) {
            for operation in item.as_object().into_iter().flat_map(|methods| methods.values()) {
                if let Some(id) = operation["operationId"].as_str() {
                    assert!(seen.insert(id.to_owned()), "operationId {id} is used twice");
                }
            }
        }
    }
}
