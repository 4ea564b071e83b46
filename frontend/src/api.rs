//! The typed client of the JSON API under `/api/v1`: the transport (cookie session, CSRF
//! header, problem+json errors) and one function per endpoint the app calls.
//!
//! Request and response bodies are the `api-types` crate's types, the same ones the
//! server renders, so the two sides cannot drift apart.

use std::cell::RefCell;
use std::rc::Rc;

use api_types::accounts::{
    Account, AccountCreate, AccountListParams, AccountUpdate, Activity, ActivityCreate, Contact, ContactCreate,
    ContactUpdate,
};
use api_types::auth::{LoginRequest, Session};
use api_types::custom_fields::{CustomField, CustomFieldCreate, CustomFieldReorder, CustomFieldUpdate};
use api_types::health::{AccountHealth, Dashboard, DashboardParams, HealthHistory, HealthHistoryParams};
use api_types::imports::{ImportPreview, ImportPreviewParams, ImportResult};
use api_types::jobs::{JobRun, JobRunListParams};
use api_types::notifications::{
    MarkedRead, Notification, NotificationListParams, NotificationPage, NotificationPreferences,
};
use api_types::proposals::{Proposal, ProposalStatusChange, ProposalUpdate};
use api_types::renewals::{ExpansionCandidate, ExpansionListParams, RenewalListParams, RenewalPage, RenewalSummary};
use api_types::users::{
    ApiToken, ApiTokenCreate, ApiTokenCreated, BusinessSettings, BusinessSettingsUpdate, User, UserCreate, UserUpdate,
};
use api_types::{Page, PageParams};
use crm_core::{AccountId, ContactId, CustomFieldEntity, CustomFieldId, ImportId, TokenId, UserId};
use renewals::ProposalStatus;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The API's error body (RFC 9457 problem details with Mango CS's `code` and `errors`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Problem {
    #[serde(default)]
    pub status: u16,
    /// Stable machine-readable code such as `validation_failed`.
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub detail: String,
    #[serde(default)]
    pub errors: Vec<crm_core::FieldError>,
}

/// The cause of a failed request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// The server returned an error status.
    Problem {
        problem: Problem,
        /// Seconds from the `Retry-After` header of a 429.
        retry_after_secs: Option<u64>,
    },
    /// The request got no response because the server is down or the network failed.
    Network(String),
    /// The response was not the JSON the app expected.
    Decode(String),
}

impl ApiError {
    /// Returns the HTTP status, when the server responded.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Problem { problem, .. } => Some(problem.status),
            ApiError::Network(_) | ApiError::Decode(_) => None,
        }
    }
}

/// The body of a request.
enum Body {
    Empty,
    Json(String),
    /// CSV text, sent as `text/csv`.
    Csv(String),
}

thread_local! {
    static CSRF_TOKEN: RefCell<Option<String>> = const { RefCell::new(None) };
    static ON_UNAUTHORIZED: RefCell<Option<Rc<dyn Fn()>>> = const { RefCell::new(None) };
}

/// Stores the CSRF token of the cookie session, sent as `X-CSRF-Token` on every write.
pub fn set_csrf_token(token: Option<String>) {
    CSRF_TOKEN.with(|cell| *cell.borrow_mut() = token);
}

/// Sets the function called when a request returns 401, which means the session ended.
pub fn set_unauthorized_handler(handler: impl Fn() + 'static) {
    ON_UNAUTHORIZED.with(|cell| *cell.borrow_mut() = Some(Rc::new(handler)));
}

fn notify_unauthorized() {
    let handler = ON_UNAUTHORIZED.with(|cell| cell.borrow().clone());
    if let Some(handler) = handler {
        // The handler leaves the page for the login form, which disposes the page's state.
        // Running it as a separate task lets the caller finish handling the error first,
        // because a disposed signal panics when read.
        leptos::task::spawn_local(async move { handler() });
    }
}

fn js_message(value: JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| format!("{value:?}"))
}

fn network(value: JsValue) -> ApiError {
    ApiError::Network(js_message(value))
}

/// Sends one request and returns the response body text of a success status.
async fn send(method: &str, path: &str, body: Body) -> Result<String, ApiError> {
    let headers = web_sys::Headers::new().map_err(network)?;
    headers.set("Accept", "application/json").map_err(network)?;
    if method != "GET" {
        if let Some(token) = CSRF_TOKEN.with(|cell| cell.borrow().clone()) {
            headers.set("X-CSRF-Token", &token).map_err(network)?;
        }
    }

    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    match body {
        Body::Empty => {}
        Body::Json(text) => {
            headers.set("Content-Type", "application/json").map_err(network)?;
            init.set_body(&JsValue::from_str(&text));
        }
        Body::Csv(text) => {
            headers.set("Content-Type", "text/csv").map_err(network)?;
            init.set_body(&JsValue::from_str(&text));
        }
    }
    init.set_headers(&headers);

    let request = web_sys::Request::new_with_str_and_init(path, &init).map_err(network)?;
    let window = web_sys::window().ok_or_else(|| ApiError::Network("no browser window".into()))?;
    let response: web_sys::Response =
        JsFuture::from(window.fetch_with_request(&request)).await.map_err(network)?.unchecked_into();
    let text_promise = response.text().map_err(network)?;
    let text = JsFuture::from(text_promise).await.map_err(network)?.as_string().unwrap_or_default();

    if response.ok() {
        return Ok(text);
    }

    let status = response.status();
    let mut problem: Problem = serde_json::from_str(&text).unwrap_or_default();
    problem.status = status;
    let retry_after_secs =
        response.headers().get("Retry-After").ok().flatten().and_then(|value| value.trim().parse::<u64>().ok());
    // A 401 from the login form means wrong credentials, not an ended session.
    if status == 401 && path != LOGIN_PATH {
        notify_unauthorized();
    }
    Err(ApiError::Problem { problem, retry_after_secs })
}

fn decode<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    serde_json::from_str(text).map_err(|error| ApiError::Decode(error.to_string()))
}

fn encode<T: Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(|error| ApiError::Decode(error.to_string()))
}

async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    decode(&send("GET", path, Body::Empty).await?)
}

async fn write<B: Serialize, T: DeserializeOwned>(method: &str, path: &str, body: &B) -> Result<T, ApiError> {
    decode(&send(method, path, Body::Json(encode(body)?)).await?)
}

/// Sends a partial update. The update types leave absent fields out and write `null` only
/// for fields being cleared.
async fn patch<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    write("PATCH", path, body).await
}

/// Builds a query string (with its leading `?`, or empty) from serialisable parameters.
pub fn query_string<T: Serialize>(params: &T) -> String {
    match serde_urlencoded::to_string(params) {
        Ok(query) if !query.is_empty() => format!("?{query}"),
        _ => String::new(),
    }
}

const LOGIN_PATH: &str = "/api/v1/auth/login";

// Sign-in and session.

pub async fn login(email: &str, password: &str) -> Result<Session, ApiError> {
    let body = LoginRequest { email: email.to_owned(), password: password.to_owned() };
    write("POST", LOGIN_PATH, &body).await
}

pub async fn logout() -> Result<(), ApiError> {
    send("POST", "/api/v1/auth/logout", Body::Empty).await.map(|_| ())
}

pub async fn me() -> Result<Session, ApiError> {
    get("/api/v1/me").await
}

// Accounts, contacts and activities.

pub async fn list_accounts(params: &AccountListParams) -> Result<Page<Account>, ApiError> {
    get(&format!("/api/v1/accounts{}", query_string(params))).await
}

/// Returns the address of the CSV export of the accounts that `params` select.
pub fn accounts_csv_url(params: &AccountListParams) -> String {
    format!("/api/v1/accounts.csv{}", query_string(params))
}

pub async fn create_account(body: &AccountCreate) -> Result<Account, ApiError> {
    write("POST", "/api/v1/accounts", body).await
}

pub async fn get_account(id: AccountId) -> Result<Account, ApiError> {
    get(&format!("/api/v1/accounts/{id}")).await
}

pub async fn update_account(id: AccountId, body: &AccountUpdate) -> Result<Account, ApiError> {
    patch(&format!("/api/v1/accounts/{id}"), body).await
}

// NOTE: the contact, user and token lists load one page of 200 (the API's maximum) and
// have no paging in the app yet.
pub async fn list_contacts(account: AccountId) -> Result<Page<Contact>, ApiError> {
    get(&format!("/api/v1/accounts/{account}/contacts?limit=200")).await
}

pub async fn create_contact(account: AccountId, body: &ContactCreate) -> Result<Contact, ApiError> {
    write("POST", &format!("/api/v1/accounts/{account}/contacts"), body).await
}

pub async fn update_contact(id: ContactId, body: &ContactUpdate) -> Result<Contact, ApiError> {
    patch(&format!("/api/v1/contacts/{id}"), body).await
}

pub async fn delete_contact(id: ContactId) -> Result<(), ApiError> {
    send("DELETE", &format!("/api/v1/contacts/{id}"), Body::Empty).await.map(|_| ())
}

pub async fn list_activities(account: AccountId, limit: i64, offset: i64) -> Result<Page<Activity>, ApiError> {
    get(&format!("/api/v1/accounts/{account}/activities?limit={limit}&offset={offset}")).await
}

pub async fn create_activity(account: AccountId, body: &ActivityCreate) -> Result<Activity, ApiError> {
    write("POST", &format!("/api/v1/accounts/{account}/activities"), body).await
}

// CSV import.

pub async fn preview_import(csv: String, params: &ImportPreviewParams) -> Result<ImportPreview, ApiError> {
    let path = format!("/api/v1/imports/accounts/preview{}", query_string(params));
    decode(&send("POST", &path, Body::Csv(csv)).await?)
}

pub async fn commit_import(id: ImportId) -> Result<ImportResult, ApiError> {
    decode(&send("POST", &format!("/api/v1/imports/{id}/commit"), Body::Empty).await?)
}

// Users, tokens and settings.

pub async fn assignable_users() -> Result<Vec<User>, ApiError> {
    get("/api/v1/users/assignable").await
}

pub async fn list_users() -> Result<Page<User>, ApiError> {
    get("/api/v1/users?limit=200").await
}

pub async fn create_user(body: &UserCreate) -> Result<User, ApiError> {
    write("POST", "/api/v1/users", body).await
}

pub async fn update_user(id: UserId, body: &UserUpdate) -> Result<User, ApiError> {
    patch(&format!("/api/v1/users/{id}"), body).await
}

pub async fn list_tokens() -> Result<Page<ApiToken>, ApiError> {
    get("/api/v1/tokens?limit=200").await
}

pub async fn create_token(name: &str) -> Result<ApiTokenCreated, ApiError> {
    write("POST", "/api/v1/tokens", &ApiTokenCreate { name: name.to_owned() }).await
}

pub async fn revoke_token(id: TokenId) -> Result<ApiToken, ApiError> {
    decode(&send("DELETE", &format!("/api/v1/tokens/{id}"), Body::Empty).await?)
}

pub async fn settings() -> Result<BusinessSettings, ApiError> {
    get("/api/v1/settings").await
}

/// Saves the settings that `body` carries. The server treats PUT like PATCH here, so
/// settings left out keep their values.
pub async fn update_settings(body: &BusinessSettingsUpdate) -> Result<BusinessSettings, ApiError> {
    write("PUT", "/api/v1/settings", body).await
}

// Custom fields.

pub async fn custom_fields(entity: CustomFieldEntity) -> Result<Vec<CustomField>, ApiError> {
    get(&format!("/api/v1/custom-fields?entity={entity}")).await
}

pub async fn create_custom_field(body: &CustomFieldCreate) -> Result<CustomField, ApiError> {
    write("POST", "/api/v1/custom-fields", body).await
}

pub async fn update_custom_field(id: CustomFieldId, body: &CustomFieldUpdate) -> Result<CustomField, ApiError> {
    patch(&format!("/api/v1/custom-fields/{id}"), body).await
}

pub async fn reorder_custom_fields(body: &CustomFieldReorder) -> Result<Vec<CustomField>, ApiError> {
    write("POST", "/api/v1/custom-fields/reorder", body).await
}

pub async fn delete_custom_field(id: CustomFieldId) -> Result<(), ApiError> {
    send("DELETE", &format!("/api/v1/custom-fields/{id}"), Body::Empty).await.map(|_| ())
}

// Health scores and jobs.

pub async fn dashboard(params: &DashboardParams) -> Result<Dashboard, ApiError> {
    get(&format!("/api/v1/dashboard{}", query_string(params))).await
}

/// Returns the latest health snapshot of an account; 404 also when the job has not scored
/// the account yet.
pub async fn account_health(id: AccountId) -> Result<AccountHealth, ApiError> {
    get(&format!("/api/v1/accounts/{id}/health")).await
}

pub async fn account_health_history(id: AccountId, params: &HealthHistoryParams) -> Result<HealthHistory, ApiError> {
    get(&format!("/api/v1/accounts/{id}/health/history{}", query_string(params))).await
}

/// Runs the health-snapshot job for today and returns the finished run; 409 `job_running`
/// while another run of it is going.
pub async fn run_health_snapshot() -> Result<JobRun, ApiError> {
    decode(&send("POST", "/api/v1/jobs/health-snapshot/runs", Body::Empty).await?)
}

pub async fn job_runs(params: &JobRunListParams) -> Result<Page<JobRun>, ApiError> {
    get(&format!("/api/v1/jobs/runs{}", query_string(params))).await
}

// Renewals and proposals.

pub async fn renewals(params: &RenewalListParams) -> Result<RenewalPage, ApiError> {
    get(&format!("/api/v1/renewals{}", query_string(params))).await
}

pub async fn renewal_summary(params: &RenewalListParams) -> Result<RenewalSummary, ApiError> {
    get(&format!("/api/v1/renewals/summary{}", query_string(params))).await
}

/// Returns the address of the CSV export of the renewals that `params` select.
pub fn renewals_csv_url(params: &RenewalListParams) -> String {
    format!("/api/v1/renewals.csv{}", query_string(params))
}

/// Drafts a renewal proposal from a subscription, or returns the draft it already has.
pub async fn generate_proposal(subscription_id: &str) -> Result<Proposal, ApiError> {
    decode(&send("POST", &format!("/api/v1/renewals/{subscription_id}/proposal"), Body::Empty).await?)
}

pub async fn get_proposal(id: &str) -> Result<Proposal, ApiError> {
    get(&format!("/api/v1/proposals/{id}")).await
}

/// Edits a draft; 409 `proposal_not_draft` once it has been sent.
pub async fn update_proposal(id: &str, body: &ProposalUpdate) -> Result<Proposal, ApiError> {
    patch(&format!("/api/v1/proposals/{id}"), body).await
}

/// Moves a proposal; 409 `invalid_transition` for a move its status does not allow.
pub async fn change_proposal_status(id: &str, status: ProposalStatus) -> Result<Proposal, ApiError> {
    write("POST", &format!("/api/v1/proposals/{id}/status"), &ProposalStatusChange { status }).await
}

pub async fn account_proposals(account: AccountId, params: &PageParams) -> Result<Page<Proposal>, ApiError> {
    get(&format!("/api/v1/accounts/{account}/proposals{}", query_string(params))).await
}

/// Returns the accounts with a sign that they may buy more; 404 while the expansion
/// feature is off.
pub async fn expansion_candidates(params: &ExpansionListParams) -> Result<Page<ExpansionCandidate>, ApiError> {
    get(&format!("/api/v1/expansion-candidates{}", query_string(params))).await
}

// Notifications.

pub async fn notifications(params: &NotificationListParams) -> Result<NotificationPage, ApiError> {
    get(&format!("/api/v1/notifications{}", query_string(params))).await
}

pub async fn mark_notification_read(id: &str) -> Result<Notification, ApiError> {
    decode(&send("POST", &format!("/api/v1/notifications/{id}/read"), Body::Empty).await?)
}

pub async fn mark_all_notifications_read() -> Result<MarkedRead, ApiError> {
    decode(&send("POST", "/api/v1/notifications/read-all", Body::Empty).await?)
}

pub async fn notification_preferences() -> Result<NotificationPreferences, ApiError> {
    get("/api/v1/notifications/preferences").await
}

pub async fn update_notification_preferences(
    body: &NotificationPreferences,
) -> Result<NotificationPreferences, ApiError> {
    write("PUT", "/api/v1/notifications/preferences", body).await
}

#[cfg(test)]
mod tests {
    use api_types::accounts::AccountUpdate;
    use crm_core::Stage;

    use super::*;

    #[test]
    fn patch_keeps_clears_and_drops_absent() {
        let update = AccountUpdate { stage: Some(Stage::Renewal), domain: Some(None), ..AccountUpdate::default() };
        let body = encode(&update).expect("encodable");
        assert_eq!(body, r#"{"domain":null,"stage":"renewal"}"#);
    }
}
