//! Sign-in, sessions, CSRF protection, API token authentication, allowed roles, and the
//! health probes, over HTTP.

// A test stops at its first failed step, and the `expect` message names that step.
#![allow(clippy::expect_used)]

mod common;

use common::{
    browser_session, expect_json, expect_problem, plain_client, problem_fields, ApiClient, TestDatabase, TestServer,
    PASSWORD,
};
use crm_core::Role;
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection, SqliteConnection};
use reqwest::blocking::Response;
use serde_json::{json, Value};

const SESSION_COOKIE: &str = "mango_cs_session";

fn login_raw(server: &TestServer, email: &str, password: &str) -> Response {
    plain_client()
        .post(server.url("/api/v1/auth/login"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .expect("POST /api/v1/auth/login")
}

/// Returns the `Set-Cookie` header that sets the session cookie.
fn session_set_cookie(response: &Response) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with(&format!("{SESSION_COOKIE}=")))
        .unwrap_or_else(|| panic!("no {SESSION_COOKIE} cookie in {:?}", response.headers()))
        .to_owned()
}

/// Returns the cookie value of a `Set-Cookie` header.
fn cookie_value(set_cookie: &str) -> String {
    let pair = set_cookie.split(';').next().unwrap_or_default();
    pair.split_once('=').map(|(_, value)| value.to_owned()).unwrap_or_default()
}

/// Sends a request with the session cookie set by hand, as a replaying client would.
fn get_with_cookie(server: &TestServer, path: &str, cookie: &str) -> Response {
    plain_client()
        .get(server.url(path))
        .header("cookie", format!("{SESSION_COOKIE}={cookie}"))
        .send()
        .expect("GET with a session cookie")
}

fn header_text(response: &Response, name: &str) -> Option<String> {
    response.headers().get(name).and_then(|value| value.to_str().ok()).map(str::to_owned)
}

/// Breaks the database under a running server by dropping the accounts table through a
/// separate connection.
fn drop_accounts_table(database: &TestDatabase) {
    match database {
        TestDatabase::Sqlite { url, .. } => {
            let path = url.strip_prefix("sqlite://").expect("a sqlite:// URL");
            let mut connection = SqliteConnection::establish(path).expect("open the test database file");
            connection.batch_execute("DROP TABLE accounts").expect("drop the accounts table");
        }
        TestDatabase::Postgres { url, .. } => {
            let mut connection = PgConnection::establish(url).expect("connect to the test database");
            connection.batch_execute("DROP TABLE accounts CASCADE").expect("drop the accounts table");
        }
    }
}

/// Checks that a 5xx problem carries only the generic detail and none of the words a
/// database error would contain.
fn assert_opaque(problem: &Value) {
    let text = problem.to_string().to_lowercase();
    for leaked in ["no such table", "relation", "does not exist", "sqlite", "postgres", "diesel", "select "] {
        assert!(!text.contains(leaked), "the body leaks {leaked:?}: {problem}");
    }
    assert_eq!(problem["errors"], Value::Null, "no field errors on a 5xx: {problem}");
}

backend_tests! {
    fn login_sets_http_only_lax_cookie(server) {
        server.business("acme");
        server.user("acme", "admin@acme.test", Role::Admin);

        let response = login_raw(&server, "  Admin@ACME.test ", PASSWORD);
        assert_eq!(response.status(), 200);
        let set_cookie = session_set_cookie(&response);
        let attributes: Vec<String> = set_cookie.split(';').map(|part| part.trim().to_lowercase()).collect();
        assert!(attributes.contains(&"httponly".to_owned()), "HttpOnly is missing: {set_cookie}");
        assert!(attributes.contains(&"samesite=lax".to_owned()), "SameSite=Lax is missing: {set_cookie}");
        assert!(attributes.contains(&"path=/".to_owned()), "Path=/ is missing: {set_cookie}");
        let cookie = cookie_value(&set_cookie);
        assert!(cookie.len() >= 32, "the session cookie is a long random value: {set_cookie}");

        let session = expect_json(response, 200);
        assert_eq!(session["user"]["email"], "admin@acme.test");
        assert_eq!(session["user"]["role"], "admin");
        assert_eq!(session["business"]["slug"], "acme");
        let csrf = session["csrf_token"].as_str().expect("a CSRF token").to_owned();
        assert!(csrf.len() >= 32, "the CSRF token is a long random value");
        assert_ne!(csrf, cookie, "the CSRF token differs from the cookie");
        assert!(!session.to_string().contains(&cookie), "the body never repeats the cookie value");

        let me = expect_json(get_with_cookie(&server, "/api/v1/me", &cookie), 200);
        assert_eq!(me["user"]["email"], "admin@acme.test");
        assert_eq!(me["csrf_token"], csrf.as_str(), "/me returns the session's CSRF token");

        let browser = browser_session(&server, "admin@acme.test");
        assert_eq!(expect_json(browser.get("/api/v1/me"), 200)["business"]["slug"], "acme");
    }

    fn wrong_password_and_unknown_email_look_alike(server) {
        server.business("acme");
        server.user("acme", "admin@acme.test", Role::Admin);

        let wrong_password = login_raw(&server, "admin@acme.test", "not the password at all");
        assert!(header_text(&wrong_password, "set-cookie").is_none(), "a failed sign-in sets no cookie");
        let wrong_password = expect_problem(wrong_password, 401, "unauthenticated", None);
        let unknown_email = expect_problem(login_raw(&server, "nobody@acme.test", PASSWORD), 401, "unauthenticated", None);
        assert_eq!(wrong_password["detail"], unknown_email["detail"]);
        assert_eq!(wrong_password["title"], unknown_email["title"]);
        assert_eq!(problem_fields(&wrong_password), problem_fields(&unknown_email));
    }

    fn login_rejects_malformed_requests(server) {
        server.business("acme");
        server.user("acme", "admin@acme.test", Role::Admin);
        let anonymous = server.anonymous();

        expect_problem(anonymous.post("/api/v1/auth/login", &json!({"email": " ", "password": PASSWORD})), 422, "validation_failed", Some("email"));
        expect_problem(anonymous.post("/api/v1/auth/login", &json!({"email": "admin@acme.test", "password": ""})), 422, "validation_failed", Some("password"));
        expect_problem(anonymous.post("/api/v1/auth/login", &json!({"email": "admin@acme.test"})), 422, "invalid_body", Some("password"));
        expect_problem(anonymous.post("/api/v1/auth/login", &json!({"email": "admin@acme.test", "password": PASSWORD, "remember": true})), 422, "invalid_body", Some("remember"));
        expect_problem(anonymous.post("/api/v1/auth/login", &json!({"email": ["admin@acme.test"], "password": PASSWORD})), 422, "invalid_body", Some("email"));
        expect_problem(anonymous.post("/api/v1/auth/login", &json!([])), 422, "invalid_body", None);
        expect_problem(anonymous.send_raw(reqwest::Method::POST, "/api/v1/auth/login", "application/json", b"{\"email\":".to_vec()), 400, "malformed_json", None);
        expect_problem(anonymous.send_raw(reqwest::Method::POST, "/api/v1/auth/login", "application/x-www-form-urlencoded", b"email=a&password=b".to_vec()), 415, "unsupported_media_type", None);
        expect_problem(
            anonymous.post("/api/v1/auth/login", &json!({"email": "admin@acme.test\u{0}", "password": PASSWORD})),
            422,
            "invalid_body",
            Some("email"),
        );
    }

    fn parallel_guesses_stay_within_limit(server) {
        server.business("acme");
        server.user("acme", "admin@acme.test", Role::Admin);

        let statuses: Vec<u16> = std::thread::scope(|scope| {
            let guesses: Vec<_> = (0..20)
                .map(|guess| {
                    let server = &server;
                    scope.spawn(move || login_raw(server, "admin@acme.test", &format!("wrong password {guess}")).status().as_u16())
                })
                .collect();
            guesses.into_iter().map(|guess| guess.join().expect("guess thread")).collect()
        });

        let checked = statuses.iter().filter(|status| **status == 401).count();
        let throttled = statuses.iter().filter(|status| **status == 429).count();
        assert!(checked <= 5, "at most five passwords were checked: {statuses:?}");
        assert_eq!(checked + throttled, 20, "every guess was refused: {statuses:?}");
    }

    fn five_failures_throttle_the_email(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        server.user("acme", "csm@acme.test", Role::Manager);

        for attempt in 0..5 {
            // Case and spacing do not make a different email for the counter.
            let email = if attempt % 2 == 0 { "admin@acme.test" } else { " ADMIN@acme.test" };
            expect_problem(login_raw(&server, email, "wrong password number x"), 401, "unauthenticated", None);
        }

        let throttled = login_raw(&server, "admin@acme.test", PASSWORD);
        let retry_after = header_text(&throttled, "retry-after").expect("a Retry-After header");
        let seconds: u64 = retry_after.parse().unwrap_or_else(|_| panic!("Retry-After is a number of seconds: {retry_after}"));
        assert!(seconds > 0, "Retry-After is positive");
        assert!(seconds <= 15 * 60, "Retry-After is within the 15-minute window: {seconds}");
        assert!(header_text(&throttled, "set-cookie").is_none(), "a throttled sign-in sets no cookie");
        expect_problem(throttled, 429, "too_many_attempts", None);

        // The throttle counts per email, so other users and the throttled user's API token still work.
        expect_json(login_raw(&server, "csm@acme.test", PASSWORD), 200);
        expect_json(admin.get("/api/v1/me"), 200);
    }

    fn fifty_failures_throttle_the_address(server) {
        server.business("acme");
        server.user("acme", "admin@acme.test", Role::Admin);

        // Every attempt comes from 127.0.0.1, each with another email, so only the
        // per-address limit can trip.
        for attempt in 0..50 {
            let email = format!("guess{attempt}@acme.test");
            expect_problem(login_raw(&server, &email, "wrong password number x"), 401, "unauthenticated", None);
        }

        let throttled = login_raw(&server, "admin@acme.test", PASSWORD);
        assert!(header_text(&throttled, "retry-after").is_some(), "a Retry-After header");
        expect_problem(throttled, 429, "too_many_attempts", None);
    }

    fn successful_login_restarts_the_count(server) {
        server.business("acme");
        server.user("acme", "admin@acme.test", Role::Admin);

        for _ in 0..4 {
            expect_problem(login_raw(&server, "admin@acme.test", "wrong password number x"), 401, "unauthenticated", None);
        }
        expect_json(login_raw(&server, "admin@acme.test", PASSWORD), 200);
        for _ in 0..4 {
            expect_problem(login_raw(&server, "admin@acme.test", "wrong password number y"), 401, "unauthenticated", None);
        }
        expect_json(login_raw(&server, "admin@acme.test", PASSWORD), 200);
    }

    fn logout_ends_the_session(server) {
        server.business("acme");
        server.user("acme", "admin@acme.test", Role::Admin);
        let response = login_raw(&server, "admin@acme.test", PASSWORD);
        let cookie = cookie_value(&session_set_cookie(&response));
        expect_json(response, 200);
        let other = login_raw(&server, "admin@acme.test", PASSWORD);
        let other_cookie = cookie_value(&session_set_cookie(&other));
        expect_json(get_with_cookie(&server, "/api/v1/me", &cookie), 200);

        let logout = plain_client()
            .post(server.url("/api/v1/auth/logout"))
            .header("cookie", format!("{SESSION_COOKIE}={cookie}"))
            .send()
            .expect("POST /api/v1/auth/logout");
        assert_eq!(logout.status(), 204);
        let cleared = session_set_cookie(&logout);
        assert_eq!(cookie_value(&cleared), "", "the cookie is emptied: {cleared}");
        assert!(cleared.to_lowercase().contains("max-age=0"), "the cookie expires at once: {cleared}");

        expect_problem(get_with_cookie(&server, "/api/v1/me", &cookie), 401, "unauthenticated", None);
        expect_problem(get_with_cookie(&server, "/api/v1/accounts", &cookie), 401, "unauthenticated", None);
        expect_json(get_with_cookie(&server, "/api/v1/me", &other_cookie), 200);

        let browser = browser_session(&server, "admin@acme.test");
        assert_eq!(browser.post("/api/v1/auth/logout", &json!({})).status(), 204);
        expect_problem(browser.get("/api/v1/me"), 401, "unauthenticated", None);
        assert_eq!(browser.post("/api/v1/auth/logout", &json!({})).status(), 204, "logging out twice is harmless");
        assert_eq!(server.anonymous().post("/api/v1/auth/logout", &json!({})).status(), 204);
    }

    fn cookie_writes_need_the_csrf_token(server) {
        server.business("acme");
        server.user("acme", "admin@acme.test", Role::Admin);
        let mut browser = browser_session(&server, "admin@acme.test");
        let csrf = browser.csrf.clone().expect("a CSRF token after sign-in");

        browser.csrf = None;
        expect_problem(browser.post("/api/v1/accounts", &json!({"name": "Globex"})), 403, "forbidden", None);
        assert_eq!(expect_json(browser.get("/api/v1/accounts"), 200)["total"], 0, "reads need no CSRF token; nothing was created");

        browser.csrf = Some(format!("{csrf}x"));
        expect_problem(browser.post("/api/v1/accounts", &json!({"name": "Globex"})), 403, "forbidden", None);
        browser.csrf = Some(String::new());
        expect_problem(browser.post("/api/v1/accounts", &json!({"name": "Globex"})), 403, "forbidden", None);

        browser.csrf = Some(csrf.clone());
        let account = expect_json(browser.post("/api/v1/accounts", &json!({"name": "Globex"})), 201);
        let path = format!("/api/v1/accounts/{}", account["id"].as_str().expect("id"));

        browser.csrf = None;
        expect_problem(browser.patch(&path, &json!({"name": "Changed"})), 403, "forbidden", None);
        expect_problem(browser.delete(&path), 403, "forbidden", None);
        assert_eq!(expect_json(browser.get(&path), 200)["name"], "Globex", "the rejected writes changed nothing");

        // A CSRF token belongs to one session, so another session's token is rejected.
        let second = browser_session(&server, "admin@acme.test");
        assert_ne!(second.csrf.as_deref(), Some(csrf.as_str()), "each session has its own CSRF token");
        browser.csrf = second.csrf.clone();
        expect_problem(browser.delete(&path), 403, "forbidden", None);

        browser.csrf = Some(csrf);
        assert_eq!(browser.delete(&path).status(), 204);
    }

    fn bearer_tokens_need_no_csrf(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);

        let me = expect_json(admin.get("/api/v1/me"), 200);
        assert_eq!(me["user"]["email"], "admin@acme.test");
        assert!(me.get("csrf_token").is_none(), "token callers get no CSRF token: {me}");
        let account = expect_json(admin.post("/api/v1/accounts", &json!({"name": "Globex"})), 201);
        let path = format!("/api/v1/accounts/{}", account["id"].as_str().expect("id"));
        expect_json(admin.patch(&path, &json!({"name": "Globex 2"})), 200);
        assert_eq!(admin.delete(&path).status(), 204);
    }

    fn bad_credentials_get_401(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let token = admin.token.clone().expect("a token");

        let anonymous = server.anonymous().get("/api/v1/me");
        assert_eq!(header_text(&anonymous, "www-authenticate").as_deref(), Some("Bearer"));
        expect_problem(anonymous, 401, "unauthenticated", None);
        expect_problem(get_with_cookie(&server, "/api/v1/me", "forged-session-value"), 401, "unauthenticated", None);
        expect_problem(get_with_cookie(&server, "/api/v1/me", ""), 401, "unauthenticated", None);
        for header in [format!("Basic {token}"), format!("Bearer {token}x"), format!("Bearer{token}"), "Bearer".to_owned(), "Bearer ".to_owned()] {
            let response = plain_client().get(server.url("/api/v1/me")).header("authorization", header.clone()).send().expect("GET /api/v1/me");
            expect_problem(response, 401, "unauthenticated", None);
        }
        for header in [format!("bearer {token}"), format!("BEARER {token}"), format!("Bearer   {token}  ")] {
            let response = plain_client().get(server.url("/api/v1/me")).header("authorization", header.clone()).send().expect("GET /api/v1/me");
            assert_eq!(expect_json(response, 200)["user"]["email"], "admin@acme.test", "the scheme name is case-insensitive: {header}");
        }
    }

    fn member_is_kept_out_by_default(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let member = server.user("acme", "member@acme.test", Role::Member);

        let rejected = login_raw(&server, "member@acme.test", PASSWORD);
        assert!(header_text(&rejected, "set-cookie").is_none(), "a rejected member gets no cookie");
        expect_problem(rejected, 403, "forbidden", None);
        expect_problem(member.get("/api/v1/me"), 403, "forbidden", None);
        expect_problem(member.get("/api/v1/accounts"), 403, "forbidden", None);
        expect_problem(member.post("/api/v1/accounts", &json!({"name": "Sneaky"})), 403, "forbidden", None);
        assert_eq!(expect_json(admin.get("/api/v1/accounts"), 200)["total"], 0);

        let settings = expect_json(admin.patch("/api/v1/settings", &json!({"allowed_roles": ["member", "manager", "admin", "super_admin"]})), 200);
        assert_eq!(settings["allowed_roles"], json!(["member", "manager", "admin", "super_admin"]));

        expect_json(login_raw(&server, "member@acme.test", PASSWORD), 200);
        assert_eq!(expect_json(member.get("/api/v1/me"), 200)["user"]["role"], "member");
        let mut browser = ApiClient::browser(&server);
        assert_eq!(expect_json(browser.login("member@acme.test", PASSWORD), 200)["user"]["email"], "member@acme.test");
    }

    fn removed_role_ends_existing_access(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let manager = server.user("acme", "csm@acme.test", Role::Manager);
        let browser = browser_session(&server, "csm@acme.test");
        expect_json(manager.get("/api/v1/me"), 200);

        expect_json(admin.patch("/api/v1/settings", &json!({"allowed_roles": ["admin", "super_admin"]})), 200);

        expect_problem(manager.get("/api/v1/me"), 403, "forbidden", None);
        expect_problem(browser.get("/api/v1/me"), 403, "forbidden", None);
        expect_problem(login_raw(&server, "csm@acme.test", PASSWORD), 403, "forbidden", None);
        expect_json(admin.get("/api/v1/me"), 200);

        expect_json(admin.patch("/api/v1/settings", &json!({"allowed_roles": ["manager", "admin", "super_admin"]})), 200);
        expect_json(manager.get("/api/v1/me"), 200);
    }

    fn deactivated_user_cannot_sign_in(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        server.user("acme", "csm@acme.test", Role::Manager);
        let users = expect_json(admin.get("/api/v1/users"), 200);
        let csm = users["items"].as_array().into_iter().flatten().find(|user| user["email"] == "csm@acme.test").expect("the manager in the list");
        let csm_id = csm["id"].as_str().expect("id");

        expect_json(admin.patch(&format!("/api/v1/users/{csm_id}"), &json!({"active": false})), 200);
        let rejected = expect_problem(login_raw(&server, "csm@acme.test", PASSWORD), 401, "unauthenticated", None);
        let unknown = expect_problem(login_raw(&server, "nobody@acme.test", PASSWORD), 401, "unauthenticated", None);
        assert_eq!(rejected["detail"], unknown["detail"], "a deactivated user looks like an unknown one");
    }

    fn health_probes_answer_ok(server) {
        let anonymous = server.anonymous();
        assert_eq!(expect_json(anonymous.get("/healthz"), 200), json!({"status": "ok"}));
        assert_eq!(expect_json(anonymous.get("/readyz"), 200), json!({"status": "ok"}));
    }

    fn broken_database_answers_opaque_500(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        expect_json(admin.post("/api/v1/accounts", &json!({"name": "Globex"})), 201);

        drop_accounts_table(&server.database);

        let response = admin.get("/api/v1/accounts");
        let request_id = header_text(&response, "x-request-id").expect("an X-Request-Id header");
        assert!(!request_id.is_empty());
        let problem = expect_problem(response, 500, "internal", None);
        assert!(problem["detail"].as_str().unwrap_or_default().contains("X-Request-Id"), "the detail points to the request id: {problem}");
        assert_opaque(&problem);

        let problem = expect_problem(admin.post("/api/v1/accounts", &json!({"name": "Initech"})), 500, "internal", None);
        assert_opaque(&problem);

        assert_eq!(expect_json(server.anonymous().get("/healthz"), 200), json!({"status": "ok"}), "liveness does not depend on the database");
        expect_json(admin.get("/api/v1/me"), 200);
    }
}

/// Only PostgreSQL can lose its database under a running server, because SQLite connections
/// keep the file open and `SELECT 1`, the readiness query, reads no table.
#[cfg(postgres_tests)]
mod postgres_only {
    use super::*;

    #[test]
    fn readyz_answers_503_without_database() {
        let server = TestServer::start(TestDatabase::postgres());
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        assert_eq!(expect_json(server.anonymous().get("/readyz"), 200), json!({"status": "ok"}));

        let TestDatabase::Postgres { admin_url, name, .. } = &server.database else {
            panic!("a PostgreSQL test database");
        };
        let mut maintenance = PgConnection::establish(admin_url).expect("connect to TEST_POSTGRES_URL");
        maintenance.batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)")).expect("drop the test database");

        let problem = expect_problem(server.anonymous().get("/readyz"), 503, "unavailable", None);
        assert_opaque(&problem);
        assert!(!problem.to_string().contains(name.as_str()), "the body does not name the database: {problem}");

        let problem = expect_problem(admin.get("/api/v1/accounts"), 503, "unavailable", None);
        assert_opaque(&problem);
        assert_eq!(expect_json(server.anonymous().get("/healthz"), 200), json!({"status": "ok"}));
    }
}
