//! The harness of the black-box HTTP tests: each test gets a fresh database and its own
//! `mango-cs serve` process on a free port, and talks to it over HTTP only. Fixtures
//! (businesses, users, tokens) are created through the same services the command line
//! uses, on the same database.

#![allow(dead_code)]

pub mod smtp;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use api_types::users::UserCreate;
use app::{App, AppConfig};
use crm_core::Role;
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use reqwest::blocking::{Client, RequestBuilder, Response};
use serde_json::Value;

/// The password of every user the fixtures create.
pub const PASSWORD: &str = "correct horse battery staple";

/// A database of one backend, removed when dropped.
pub enum TestDatabase {
    Sqlite { _dir: tempfile::TempDir, url: String },
    Postgres { admin_url: String, name: String, url: String },
}

impl TestDatabase {
    pub fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("create a temporary folder");
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        TestDatabase::Sqlite { _dir: dir, url }
    }

    /// Creates an empty database on the server TEST_POSTGRES_URL names. Fails, never
    /// skips, when that server cannot be reached.
    pub fn postgres() -> Self {
        let admin_url = std::env::var("TEST_POSTGRES_URL").expect("TEST_POSTGRES_URL names a PostgreSQL server");
        let name = format!("mango_test_{}", uuid::Uuid::now_v7().simple());
        let mut admin = PgConnection::establish(&admin_url)
            .unwrap_or_else(|error| panic!("cannot connect to TEST_POSTGRES_URL {admin_url}: {error}"));
        admin.batch_execute(&format!("CREATE DATABASE {name}")).expect("create the test database");
        let mut url = url::Url::parse(&admin_url).expect("TEST_POSTGRES_URL is a URL");
        url.set_path(&name);
        let url = url.to_string();
        TestDatabase::Postgres { admin_url, name, url }
    }

    pub fn url(&self) -> &str {
        match self {
            TestDatabase::Sqlite { url, .. } | TestDatabase::Postgres { url, .. } => url,
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let TestDatabase::Postgres { admin_url, name, .. } = self {
            if let Ok(mut admin) = PgConnection::establish(admin_url) {
                let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        }
    }
}

/// A running server on a fresh database.
pub struct TestServer {
    pub base_url: String,
    pub app: App,
    process: Child,
    pub database: TestDatabase,
}

impl TestServer {
    pub fn start(database: TestDatabase) -> Self {
        Self::start_with_env(database, &[])
    }

    /// Starts the server with extra environment variables, such as an SMTP server.
    pub fn start_with_env(database: TestDatabase, env: &[(&str, &str)]) -> Self {
        let app = open_app(database.url());
        let mut process = Command::new(env!("CARGO_BIN_EXE_mango-cs"))
            .args(["serve", "--bind", "127.0.0.1:0", "--pool-size", "4"])
            .env("DATABASE_URL", database.url())
            .env("RUST_LOG", "warn")
            // Jobs run only when a test starts them, never on the clock.
            .env("MANGO_CS_HEALTH_SNAPSHOT_AT", "off")
            .env("MANGO_CS_RENEWAL_REMINDERS_AT", "off")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start mango-cs serve");
        let stdout = process.stdout.take().expect("server stdout");
        let mut lines = BufReader::new(stdout).lines();
        let base_url = loop {
            let line =
                lines.next().expect("the server printed its address before exiting").expect("read server output");
            if let Some(rest) = line.split("listening on ").nth(1) {
                break rest.split_whitespace().next().expect("an address after 'listening on'").to_owned();
            }
        };
        TestServer { base_url, app, process, database }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// A client that sends no credentials.
    pub fn anonymous(&self) -> ApiClient {
        ApiClient { base_url: self.base_url.clone(), client: client(false), token: None, csrf: None }
    }

    /// Creates a business with the given slug.
    pub fn business(&self, slug: &str) -> String {
        self.app.create_business(&format!("Business {slug}"), slug).expect("create business").slug
    }

    /// Creates a user with a password in the business and returns a client that sends
    /// the user's API token.
    pub fn user(&self, business: &str, email: &str, role: Role) -> ApiClient {
        self.app
            .create_user_in_business(
                business,
                &UserCreate {
                    email: email.into(),
                    name: email.split('@').next().unwrap_or_default().into(),
                    role,
                    password: Some(PASSWORD.into()),
                },
            )
            .expect("create user");
        let token = self.app.create_token_for_email(email, "tests").expect("create token").secret;
        ApiClient { base_url: self.base_url.clone(), client: client(false), token: Some(token), csrf: None }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

fn open_app(url: &str) -> App {
    let (pool, backend) = store::connect(url, 2).expect("open the test database");
    App::new(pool, backend, AppConfig::default())
}

fn client(cookies: bool) -> Client {
    Client::builder().cookie_store(cookies).timeout(Duration::from_secs(60)).build().expect("HTTP client")
}

/// An HTTP client bound to one server and, optionally, one API token or browser session.
pub struct ApiClient {
    pub base_url: String,
    client: Client,
    pub token: Option<String>,
    /// The CSRF token of a cookie session, sent on writes.
    pub csrf: Option<String>,
}

impl ApiClient {
    /// A client with a cookie store, for browser-session tests.
    pub fn browser(server: &TestServer) -> Self {
        ApiClient { base_url: server.base_url.clone(), client: client(true), token: None, csrf: None }
    }

    fn with_auth(&self, request: RequestBuilder) -> RequestBuilder {
        let request = match &self.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        };
        match &self.csrf {
            Some(csrf) => request.header("X-CSRF-Token", csrf),
            None => request,
        }
    }

    pub fn get(&self, path: &str) -> Response {
        self.with_auth(self.client.get(format!("{}{path}", self.base_url))).send().expect("GET")
    }

    pub fn delete(&self, path: &str) -> Response {
        self.with_auth(self.client.delete(format!("{}{path}", self.base_url))).send().expect("DELETE")
    }

    pub fn post(&self, path: &str, body: &Value) -> Response {
        self.with_auth(self.client.post(format!("{}{path}", self.base_url))).json(body).send().expect("POST")
    }

    pub fn patch(&self, path: &str, body: &Value) -> Response {
        self.with_auth(self.client.patch(format!("{}{path}", self.base_url))).json(body).send().expect("PATCH")
    }

    pub fn put(&self, path: &str, body: &Value) -> Response {
        self.with_auth(self.client.put(format!("{}{path}", self.base_url))).json(body).send().expect("PUT")
    }

    /// Sends a raw body with a content type, for malformed-input tests.
    pub fn send_raw(&self, method: reqwest::Method, path: &str, content_type: &str, body: Vec<u8>) -> Response {
        self.with_auth(self.client.request(method, format!("{}{path}", self.base_url)))
            .header("content-type", content_type)
            .body(body)
            .send()
            .expect("send")
    }

    /// Signs in with the session cookie and remembers the CSRF token.
    pub fn login(&mut self, email: &str, password: &str) -> Response {
        let response = self
            .client
            .post(format!("{}/api/v1/auth/login", self.base_url))
            .json(&serde_json::json!({"email": email, "password": password}))
            .send()
            .expect("login");
        if response.status().is_success() {
            let body: Value = response.json().expect("login body");
            self.csrf = body["csrf_token"].as_str().map(str::to_owned);
            return self.get("/api/v1/me");
        }
        response
    }
}

/// Reads a JSON body after checking the status, printing the body when the status is wrong.
pub fn expect_json(response: Response, status: u16) -> Value {
    let actual = response.status().as_u16();
    let text = response.text().expect("response body");
    assert_eq!(actual, status, "unexpected status; body: {text}");
    if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|error| panic!("body is not JSON ({error}): {text}"))
    }
}

/// Checks a problem response: its status, code and, when given, the invalid field.
pub fn expect_problem(response: Response, status: u16, code: &str, field: Option<&str>) -> Value {
    let content_type =
        response.headers().get("content-type").and_then(|value| value.to_str().ok()).unwrap_or_default().to_owned();
    let body = expect_json(response, status);
    assert_eq!(content_type, "application/problem+json", "problem media type; body: {body}");
    assert_eq!(body["code"], code, "problem code; body: {body}");
    assert_eq!(body["status"], status, "problem status member; body: {body}");
    if let Some(field) = field {
        let fields: Vec<&str> =
            body["errors"].as_array().into_iter().flatten().filter_map(|error| error["field"].as_str()).collect();
        assert!(fields.contains(&field), "expected an error on {field}; body: {body}");
    }
    body
}

/// Defines each test once per backend: `sqlite::name` always, `postgres::name` when
/// TEST_POSTGRES_URL was set at build time.
#[macro_export]
macro_rules! backend_tests {
    ($(fn $name:ident($server:ident) $body:block)*) => {
        mod sqlite {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[test]
                fn $name() {
                    let $server = $crate::common::TestServer::start($crate::common::TestDatabase::sqlite());
                    $body
                }
            )*
        }

        #[cfg(postgres_tests)]
        mod postgres {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[test]
                fn $name() {
                    let $server = $crate::common::TestServer::start($crate::common::TestDatabase::postgres());
                    $body
                }
            )*
        }
    };
}

/// Builds a client with no cookie store and no credentials, for tests that read and send
/// the `Set-Cookie` and `Cookie` headers by hand.
pub fn plain_client() -> Client {
    client(false)
}

/// Returns the `id` member of a JSON object, failing the test when it is missing.
pub fn id_of(value: &Value) -> String {
    value["id"].as_str().unwrap_or_else(|| panic!("no string id in {value}")).to_owned()
}

/// Lists the fields named in a problem's `errors` member.
pub fn problem_fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|error| error["field"].as_str().map(str::to_owned))
        .collect()
}

/// Signs in with a cookie session and returns the client with its CSRF token set,
/// failing the test when sign-in does not succeed.
pub fn browser_session(server: &TestServer, email: &str) -> ApiClient {
    let mut browser = ApiClient::browser(server);
    expect_json(browser.login(email, PASSWORD), 200);
    browser
}
