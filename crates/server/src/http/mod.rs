//! The HTTP API: the route table, middleware and shared request handling.

pub mod access_log;
pub mod caller;
pub mod extract;
pub mod openapi;
pub mod problem;
pub mod responses;
pub mod routes;
pub mod spa;

use std::sync::OnceLock;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use app::App;
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

use crate::http::problem::ApiError;

/// HTTP settings that do not belong to the services.
#[derive(Clone, Debug, Default)]
pub struct ServerSettings {
    /// Marks the session cookie `Secure`, for deployments behind HTTPS.
    pub secure_cookies: bool,
    /// Directory of the built browser app. When it is not a directory, the API still
    /// works and other paths return a note that the app is not built.
    pub static_dir: std::path::PathBuf,
    /// Takes the client address for sign-in throttling from `Forwarded` or
    /// `X-Forwarded-For`, for deployments behind a reverse proxy that sets them.
    pub trust_forwarded_for: bool,
}

/// Registers every route, the shared state and the middleware on an actix `App`.
pub fn configure(app: App, settings: ServerSettings) -> impl FnOnce(&mut web::ServiceConfig) {
    move |config: &mut web::ServiceConfig| {
        config
            .app_data(web::Data::new(app))
            .app_data(web::Data::new(settings))
            .service(routes::health::healthz)
            .service(routes::health::readyz)
            .service(routes::auth::login)
            .service(routes::auth::logout)
            .service(routes::auth::me)
            .service(routes::accounts::list)
            .service(routes::accounts::create)
            .service(routes::accounts::read)
            .service(routes::accounts::update)
            .service(routes::accounts::remove)
            .service(routes::accounts::list_contacts)
            .service(routes::accounts::create_contact)
            .service(routes::accounts::update_contact)
            .service(routes::accounts::remove_contact)
            .service(routes::accounts::list_activities)
            .service(routes::accounts::create_activity)
            .service(routes::users::list)
            .service(routes::users::assignable)
            .service(routes::users::create)
            .service(routes::users::update)
            .service(routes::users::list_tokens)
            .service(routes::users::create_token)
            .service(routes::users::revoke_token)
            .service(routes::users::read_settings)
            .service(routes::users::update_settings)
            .service(routes::users::put_settings)
            .service(routes::custom_fields::list)
            .service(routes::custom_fields::create)
            .service(routes::custom_fields::reorder)
            .service(routes::custom_fields::update)
            .service(routes::custom_fields::remove)
            .service(routes::imports::preview)
            .service(routes::imports::preview_signals)
            .service(routes::imports::commit)
            .service(routes::imports::export)
            .service(routes::signals::ingest_tickets)
            .service(routes::signals::list_tickets)
            .service(routes::signals::ingest_survey_responses)
            .service(routes::signals::list_survey_responses)
            .service(routes::signals::ingest_subscriptions)
            .service(routes::signals::list_subscriptions)
            .service(routes::signals::ingest_usage_events)
            .service(routes::signals::list_usage_events)
            .service(routes::health_scores::read)
            .service(routes::health_scores::history)
            .service(routes::health_scores::dashboard)
            .service(routes::jobs::run_health_snapshot)
            .service(routes::jobs::list_runs)
            .service(routes::jobs::run_renewal_reminders)
            .service(routes::jobs::list_outbox)
            .service(routes::notifications::list)
            .service(routes::notifications::mark_all_read)
            .service(routes::notifications::read_preferences)
            .service(routes::notifications::update_preferences)
            .service(routes::notifications::mark_read)
            .service(routes::renewals::summary)
            .service(routes::renewals::export)
            .service(routes::renewals::list)
            .service(routes::renewals::expansion)
            .service(routes::proposals::generate)
            .service(routes::proposals::list)
            .service(routes::proposals::read)
            .service(routes::proposals::update)
            .service(routes::proposals::change_status)
            .service(web::resource("/api/openapi.json").route(web::get().to(openapi_json)))
            .service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/docs/openapi.json", openapi::ApiDoc::openapi()))
            .service(web::redirect("/api/docs", "/api/docs/"));
    }
}

async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok().content_type("application/json").body(openapi::document_json())
}

/// Responds to requests no route matched with a JSON problem: 405 with an `Allow` header when
/// the path is an endpoint of the OpenAPI document under another method, 404 otherwise.
pub async fn not_found(request: HttpRequest) -> HttpResponse {
    if let Some(methods) = documented_methods(request.path()) {
        let mut response = ApiError::with_status(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            format!("{} is not allowed on {}; use {}", request.method(), request.path(), methods.join(", ")),
            Vec::new(),
        )
        .error_response();
        if let Ok(value) = actix_web::http::header::HeaderValue::from_str(&methods.join(", ")) {
            response.headers_mut().insert(actix_web::http::header::ALLOW, value);
        }
        return response;
    }
    ApiError::with_status(StatusCode::NOT_FOUND, "not_found", format!("no endpoint at {}", request.path()), Vec::new())
        .error_response()
}

/// Returns the methods the OpenAPI document lists for the endpoint a path matches, if any.
fn documented_methods(path: &str) -> Option<Vec<&'static str>> {
    static ENDPOINTS: OnceLock<Vec<(Vec<String>, Vec<&'static str>)>> = OnceLock::new();
    let endpoints = ENDPOINTS.get_or_init(|| {
        openapi::ApiDoc::openapi()
            .paths
            .paths
            .iter()
            .map(|(template, item)| {
                let segments = template.split('/').map(str::to_owned).collect();
                let methods = [
                    ("GET", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ];
                (segments, methods.iter().filter(|(_, present)| *present).map(|(name, _)| *name).collect())
            })
            .collect()
    });
    let segments: Vec<&str> = path.split('/').collect();
    endpoints
        .iter()
        .find(|(template, _)| {
            template.len() == segments.len()
                && template
                    .iter()
                    .zip(&segments)
                    .all(|(expected, actual)| (expected.starts_with('{') && !actual.is_empty()) || expected == actual)
        })
        .map(|(_, methods)| methods.clone())
}

/// Builds the actix application with middleware, routes and the fallback, which serves
/// the browser app and responds to unknown `/api/` paths with [`not_found`].
#[macro_export]
macro_rules! build_http_app {
    ($app:expr, $settings:expr) => {
        actix_web::App::new()
            .wrap(actix_web::middleware::from_fn($crate::http::access_log::log_request))
            .wrap(actix_web::middleware::Compress::default())
            .configure($crate::http::configure($app, $settings))
            .default_service(actix_web::web::to($crate::http::spa::fallback))
    };
}
