//! Users, personal API tokens and business settings over HTTP: permissions by role,
//! validation, the effects of deactivation and revocation, and tenancy.

// A test stops at its first failed step, and the `expect` message names that step.
#![allow(clippy::expect_used)]

mod common;

use common::{browser_session, expect_json, expect_problem, id_of, plain_client, ApiClient, TestServer, PASSWORD};
use crm_core::Role;
use serde_json::{json, Value};

/// Returns the id of the user with this email, looked up through the admin's user list.
fn user_id(admin: &ApiClient, email: &str) -> String {
    let page = expect_json(admin.get("/api/v1/users?limit=200"), 200);
    let user = page["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|user| user["email"] == email)
        .unwrap_or_else(|| panic!("no user {email} in {page}"));
    id_of(user)
}

fn emails(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|user| user["email"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Returns the id of the only token listed for a non-admin caller, the one the fixtures
/// created.
fn own_token_id(client: &ApiClient) -> String {
    let page = expect_json(client.get("/api/v1/tokens"), 200);
    assert_eq!(page["total"], 1, "one token: {page}");
    id_of(&page["items"][0])
}

/// Returns the id of the only token of `owner`, looked up through `lister`, who may list it.
fn token_id_of(lister: &ApiClient, owner: &ApiClient) -> String {
    let owner_id = expect_json(owner.get("/api/v1/me"), 200)["user"]["id"].as_str().expect("user id").to_owned();
    let page = expect_json(lister.get("/api/v1/tokens?limit=200"), 200);
    let token = page["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|token| token["user_id"] == owner_id.as_str())
        .unwrap_or_else(|| panic!("no token of user {owner_id} in {page}"));
    id_of(token)
}

fn bearer(server: &TestServer, secret: &str) -> ApiClient {
    let mut client = server.anonymous();
    client.token = Some(secret.to_owned());
    client
}

/// Collects every string in a JSON value, members and array items included.
fn strings_in(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::String(text) => found.push(text.clone()),
        Value::Array(items) => items.iter().for_each(|item| strings_in(item, found)),
        Value::Object(members) => {
            for (key, member) in members {
                found.push(key.clone());
                strings_in(member, found);
            }
        }
        _ => {}
    }
}

fn sign_in_status(server: &TestServer, email: &str, password: &str) -> u16 {
    plain_client()
        .post(server.url("/api/v1/auth/login"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .expect("POST /api/v1/auth/login")
        .status()
        .as_u16()
}

backend_tests! {
    fn admin_creates_and_lists_users(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);

        let created = expect_json(
            admin.post("/api/v1/users", &json!({"email": " Zed@ACME.test ", "name": "  Zed  ", "role": "manager", "password": "a long enough password"})),
            201,
        );
        assert_eq!(created["email"], "zed@acme.test");
        assert_eq!(created["name"], "Zed");
        assert_eq!(created["role"], "manager");
        assert_eq!(created["active"], true);
        assert!(created.get("password").is_none(), "no password in the body: {created}");
        assert!(created.get("password_hash").is_none(), "no password hash in the body: {created}");
        expect_json(admin.post("/api/v1/users", &json!({"email": "amy@acme.test", "name": "amy", "role": "member"})), 201);
        expect_json(admin.post("/api/v1/users", &json!({"email": "bob@acme.test", "name": "Bob", "role": "admin"})), 201);

        let page = expect_json(admin.get("/api/v1/users"), 200);
        assert_eq!(page["total"], 4);
        assert_eq!(emails(&page), ["admin@acme.test", "amy@acme.test", "bob@acme.test", "zed@acme.test"], "sorted by name, ignoring case");
        let second = expect_json(admin.get("/api/v1/users?limit=2&offset=1"), 200);
        assert_eq!(second["total"], 4);
        assert_eq!(emails(&second), ["amy@acme.test", "bob@acme.test"]);
        expect_problem(admin.get("/api/v1/users?limit=0"), 422, "validation_failed", Some("limit"));
        expect_problem(admin.get("/api/v1/users?offset=-1"), 422, "validation_failed", Some("offset"));
        expect_problem(admin.get("/api/v1/users?limit=ten"), 400, "invalid_query", Some("limit"));
        expect_problem(admin.get("/api/v1/users?role=admin"), 400, "invalid_query", Some("role"));

        assert_eq!(sign_in_status(&server, "zed@acme.test", "a long enough password"), 200, "the new user signs in with the password given");
        assert_eq!(sign_in_status(&server, "bob@acme.test", ""), 422);
        assert_eq!(sign_in_status(&server, "bob@acme.test", "any password at all"), 401, "a user without a password cannot sign in");
    }

    fn user_input_is_validated(server) {
        server.business("acme");
        server.business("umbrella");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        server.user("umbrella", "admin@umbrella.test", Role::Admin);

        expect_problem(admin.post("/api/v1/users", &json!({"email": "ADMIN@acme.test", "name": "Again", "role": "manager"})), 409, "email_taken", Some("email"));
        expect_problem(admin.post("/api/v1/users", &json!({"email": "admin@umbrella.test", "name": "Elsewhere", "role": "manager"})), 409, "email_taken", Some("email"));
        expect_problem(admin.post("/api/v1/users", &json!({"email": "new@acme.test", "name": "New", "role": "manager", "password": "short"})), 422, "validation_failed", Some("password"));
        expect_problem(admin.post("/api/v1/users", &json!({"email": "new@acme.test", "name": "New", "role": "manager", "password": "x".repeat(1001)})), 422, "validation_failed", Some("password"));
        expect_problem(admin.post("/api/v1/users", &json!({"email": "not an email", "name": "New", "role": "manager"})), 422, "validation_failed", Some("email"));
        expect_problem(admin.post("/api/v1/users", &json!({"email": "new@acme.test", "name": "  ", "role": "manager"})), 422, "validation_failed", Some("name"));
        expect_problem(admin.post("/api/v1/users", &json!({"email": "new@acme.test", "name": "New", "role": "owner"})), 422, "invalid_body", Some("role"));
        expect_problem(admin.post("/api/v1/users", &json!({"email": "new@acme.test", "name": "New"})), 422, "invalid_body", Some("role"));
        expect_problem(admin.post("/api/v1/users", &json!({"email": "new@acme.test", "name": "New", "role": "manager", "active": false})), 422, "invalid_body", Some("active"));
        expect_problem(admin.post("/api/v1/users", &json!({"email": "new@acme.test", "name": 5, "role": "manager"})), 422, "invalid_body", Some("name"));
        let problem = expect_problem(admin.post("/api/v1/users", &json!({"email": "bad", "name": "", "role": "manager", "password": "short"})), 422, "validation_failed", Some("email"));
        let fields = common::problem_fields(&problem);
        assert!(fields.contains(&"name".to_owned()), "every invalid field at once: {problem}");
        assert!(fields.contains(&"password".to_owned()), "every invalid field at once: {problem}");
        assert_eq!(expect_json(admin.get("/api/v1/users"), 200)["total"], 1, "nothing was created");

        let id = user_id(&admin, "admin@acme.test");
        expect_problem(admin.patch(&format!("/api/v1/users/{id}"), &json!({"password": "short"})), 422, "validation_failed", Some("password"));
        expect_problem(admin.patch(&format!("/api/v1/users/{id}"), &json!({"name": ""})), 422, "validation_failed", Some("name"));
        expect_problem(admin.patch(&format!("/api/v1/users/{id}"), &json!({"email": "other@acme.test"})), 422, "invalid_body", Some("email"));
        expect_problem(admin.patch(&format!("/api/v1/users/{id}"), &json!({"active": "no"})), 422, "invalid_body", Some("active"));
        expect_problem(admin.patch("/api/v1/users/not-a-uuid", &json!({"name": "X"})), 404, "not_found", None);
        expect_problem(admin.patch("/api/v1/users/01900000-0000-7000-8000-000000000000", &json!({"name": "X"})), 404, "not_found", None);
    }

    fn manager_cannot_administer(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let manager = server.user("acme", "csm@acme.test", Role::Manager);
        let admin_id = user_id(&admin, "admin@acme.test");
        let manager_id = user_id(&admin, "csm@acme.test");

        expect_problem(manager.get("/api/v1/users"), 403, "forbidden", None);
        expect_problem(manager.post("/api/v1/users", &json!({"email": "new@acme.test", "name": "New", "role": "member"})), 403, "forbidden", None);
        expect_problem(manager.patch(&format!("/api/v1/users/{admin_id}"), &json!({"active": false})), 403, "forbidden", None);
        expect_problem(manager.patch(&format!("/api/v1/users/{manager_id}"), &json!({"role": "admin"})), 403, "forbidden", None);
        expect_problem(manager.get("/api/v1/settings"), 403, "forbidden", None);
        expect_problem(manager.patch("/api/v1/settings", &json!({"allowed_roles": ["member", "manager", "admin", "super_admin"]})), 403, "forbidden", None);

        assert_eq!(expect_json(admin.get("/api/v1/users"), 200)["total"], 2, "nothing was created");
        assert_eq!(expect_json(admin.get("/api/v1/settings"), 200)["allowed_roles"], json!(["manager", "admin", "super_admin"]));
        let me = expect_json(manager.get("/api/v1/me"), 200);
        assert_eq!(me["user"]["role"], "manager");

        let assignable = expect_json(manager.get("/api/v1/users/assignable"), 200);
        let names: Vec<&str> = assignable.as_array().into_iter().flatten().filter_map(|user| user["email"].as_str()).collect();
        assert_eq!(names, ["admin@acme.test", "csm@acme.test"], "any signed-in user may list owners");
    }

    fn assignable_lists_active_users_only(server) {
        server.business("acme");
        server.business("umbrella");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        server.user("acme", "former@acme.test", Role::Manager);
        server.user("umbrella", "admin@umbrella.test", Role::Admin);
        let deactivated = user_id(&admin, "former@acme.test");

        expect_json(admin.patch(&format!("/api/v1/users/{deactivated}"), &json!({"active": false})), 200);

        let assignable = expect_json(admin.get("/api/v1/users/assignable"), 200);
        let names: Vec<&str> = assignable.as_array().into_iter().flatten().filter_map(|user| user["email"].as_str()).collect();
        assert_eq!(names, ["admin@acme.test"]);
        let all = expect_json(admin.get("/api/v1/users"), 200);
        assert_eq!(emails(&all), ["admin@acme.test", "former@acme.test"], "the admin list keeps deactivated users and no other tenant's");
        assert_eq!(all["items"][1]["active"], false);
    }

    fn admin_cannot_reach_super_admin(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let owner = server.user("acme", "owner@acme.test", Role::SuperAdmin);
        server.user("acme", "csm@acme.test", Role::Manager);
        let owner_id = user_id(&admin, "owner@acme.test");
        let csm_id = user_id(&admin, "csm@acme.test");

        expect_problem(admin.post("/api/v1/users", &json!({"email": "boss@acme.test", "name": "Boss", "role": "super_admin"})), 403, "forbidden", None);
        expect_problem(admin.patch(&format!("/api/v1/users/{csm_id}"), &json!({"role": "super_admin"})), 403, "forbidden", None);
        expect_problem(admin.patch(&format!("/api/v1/users/{owner_id}"), &json!({"name": "Renamed"})), 403, "forbidden", None);
        expect_problem(admin.patch(&format!("/api/v1/users/{owner_id}"), &json!({"active": false})), 403, "forbidden", None);
        expect_problem(admin.patch(&format!("/api/v1/users/{owner_id}"), &json!({"role": "admin"})), 403, "forbidden", None);
        expect_problem(admin.patch(&format!("/api/v1/users/{owner_id}"), &json!({"password": "a brand new password"})), 403, "forbidden", None);
        let users = expect_json(admin.get("/api/v1/users"), 200);
        let owner_row = users["items"].as_array().into_iter().flatten().find(|user| user["email"] == "owner@acme.test").cloned().unwrap_or_default();
        assert_eq!(owner_row["name"], "owner");
        assert_eq!(owner_row["role"], "super_admin");
        assert_eq!(owner_row["active"], true);
        assert_eq!(sign_in_status(&server, "owner@acme.test", PASSWORD), 200, "the password did not change");

        let promoted = expect_json(admin.patch(&format!("/api/v1/users/{csm_id}"), &json!({"role": "admin"})), 200);
        assert_eq!(promoted["role"], "admin", "an admin may grant their own role");
        expect_json(owner.post("/api/v1/users", &json!({"email": "boss@acme.test", "name": "Boss", "role": "super_admin"})), 201);
        let admin_id = user_id(&admin, "admin@acme.test");
        assert_eq!(expect_json(owner.patch(&format!("/api/v1/users/{admin_id}"), &json!({"role": "super_admin"})), 200)["role"], "super_admin");
    }

    fn admin_cannot_demote_or_deactivate_self(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let id = user_id(&admin, "admin@acme.test");

        expect_problem(admin.patch(&format!("/api/v1/users/{id}"), &json!({"active": false})), 403, "forbidden", None);
        expect_problem(admin.patch(&format!("/api/v1/users/{id}"), &json!({"role": "manager"})), 403, "forbidden", None);
        expect_problem(admin.patch(&format!("/api/v1/users/{id}"), &json!({"role": "member", "name": "Me"})), 403, "forbidden", None);
        let me = expect_json(admin.get("/api/v1/me"), 200);
        assert_eq!(me["user"]["role"], "admin");
        assert_eq!(me["user"]["active"], true);
        assert_eq!(me["user"]["name"], "admin", "a rejected change changes nothing");

        let renamed = expect_json(admin.patch(&format!("/api/v1/users/{id}"), &json!({"name": "Ada", "role": "admin", "active": true})), 200);
        assert_eq!(renamed["name"], "Ada");
        assert_eq!(renamed["role"], "admin");
    }

    fn deactivation_ends_sessions_and_tokens(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let manager = server.user("acme", "csm@acme.test", Role::Manager);
        let browser = browser_session(&server, "csm@acme.test");
        let extra = expect_json(manager.post("/api/v1/tokens", &json!({"name": "script"})), 201);
        let extra = bearer(&server, extra["secret"].as_str().expect("secret"));
        expect_json(extra.get("/api/v1/me"), 200);
        let id = user_id(&admin, "csm@acme.test");

        let updated = expect_json(admin.patch(&format!("/api/v1/users/{id}"), &json!({"active": false})), 200);
        assert_eq!(updated["active"], false);

        expect_problem(browser.get("/api/v1/me"), 401, "unauthenticated", None);
        expect_problem(manager.get("/api/v1/me"), 401, "unauthenticated", None);
        expect_problem(extra.get("/api/v1/accounts"), 401, "unauthenticated", None);
        assert_eq!(sign_in_status(&server, "csm@acme.test", PASSWORD), 401);
        let tokens = expect_json(admin.get("/api/v1/tokens?limit=200"), 200);
        let revoked: Vec<&Value> = tokens["items"].as_array().into_iter().flatten().filter(|token| token["user_id"] == id.as_str()).collect();
        assert_eq!(revoked.len(), 2);
        assert!(revoked.iter().all(|token| token["revoked_at"].is_string()), "every token is marked revoked: {tokens}");

        // Reactivation lets the user sign in again, but revoked tokens stay revoked.
        assert_eq!(expect_json(admin.patch(&format!("/api/v1/users/{id}"), &json!({"active": true})), 200)["active"], true);
        assert_eq!(sign_in_status(&server, "csm@acme.test", PASSWORD), 200);
        expect_problem(manager.get("/api/v1/me"), 401, "unauthenticated", None);
        expect_problem(browser.get("/api/v1/me"), 401, "unauthenticated", None);
    }

    fn password_change_ends_sessions(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        server.user("acme", "csm@acme.test", Role::Manager);
        let browser = browser_session(&server, "csm@acme.test");
        let id = user_id(&admin, "csm@acme.test");

        expect_json(admin.patch(&format!("/api/v1/users/{id}"), &json!({"password": "a brand new password"})), 200);

        expect_problem(browser.get("/api/v1/me"), 401, "unauthenticated", None);
        assert_eq!(sign_in_status(&server, "csm@acme.test", PASSWORD), 401);
        assert_eq!(sign_in_status(&server, "csm@acme.test", "a brand new password"), 200);
    }

    fn other_tenant_user_is_404(server) {
        server.business("acme");
        server.business("umbrella");
        let acme = server.user("acme", "admin@acme.test", Role::Admin);
        server.user("acme", "csm@acme.test", Role::Manager);
        let umbrella = server.user("umbrella", "admin@umbrella.test", Role::SuperAdmin);
        let csm_id = user_id(&acme, "csm@acme.test");

        expect_problem(umbrella.patch(&format!("/api/v1/users/{csm_id}"), &json!({"active": false})), 404, "not_found", None);
        expect_problem(umbrella.patch(&format!("/api/v1/users/{csm_id}"), &json!({"role": "member"})), 404, "not_found", None);
        assert_eq!(emails(&expect_json(umbrella.get("/api/v1/users"), 200)), ["admin@umbrella.test"]);
        let users = expect_json(acme.get("/api/v1/users"), 200);
        let csm = users["items"].as_array().into_iter().flatten().find(|user| user["email"] == "csm@acme.test").cloned().unwrap_or_default();
        assert_eq!(csm["active"], true);
        assert_eq!(csm["role"], "manager");
    }

    fn token_secret_is_shown_once(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);

        let created = expect_json(admin.post("/api/v1/tokens", &json!({"name": "  Zapier sync  "})), 201);
        let secret = created["secret"].as_str().expect("secret").to_owned();
        assert!(secret.starts_with("mcs_"), "a prefixed secret: {secret}");
        assert!(secret.len() > 40, "a long secret: {secret}");
        let token = &created["token"];
        assert_eq!(token["name"], "Zapier sync");
        assert!(secret.starts_with(token["prefix"].as_str().expect("prefix")), "the prefix starts the secret");
        assert!(token["prefix"].as_str().unwrap_or_default().len() < 16, "the prefix is short");
        assert_eq!(token["last_used_at"], Value::Null);
        assert_eq!(token["revoked_at"], Value::Null);
        let token_id = id_of(token);

        let client = bearer(&server, &secret);
        assert_eq!(expect_json(client.get("/api/v1/me"), 200)["user"]["email"], "admin@acme.test");
        expect_json(client.post("/api/v1/accounts", &json!({"name": "Made by token"})), 201);

        let list = expect_json(admin.get("/api/v1/tokens"), 200);
        assert_eq!(list["total"], 2);
        let mut texts = Vec::new();
        strings_in(&list, &mut texts);
        for text in &texts {
            assert!(!text.contains(&secret), "the list contains the secret in {text:?}");
        }
        let listed = list["items"].as_array().into_iter().flatten().find(|item| item["id"] == token_id.as_str()).cloned().expect("the new token is listed");
        assert!(listed.get("secret").is_none());
        assert!(listed["last_used_at"].is_string(), "last_used_at is set after use: {listed}");
        assert_eq!(listed["user_id"], expect_json(admin.get("/api/v1/me"), 200)["user"]["id"]);

        expect_problem(admin.post("/api/v1/tokens", &json!({"name": "  "})), 422, "validation_failed", Some("name"));
        expect_problem(admin.post("/api/v1/tokens", &json!({"name": "x".repeat(101)})), 422, "validation_failed", Some("name"));
        expect_problem(admin.post("/api/v1/tokens", &json!({})), 422, "invalid_body", Some("name"));
        expect_problem(admin.post("/api/v1/tokens", &json!({"name": "x", "user_id": token["user_id"]})), 422, "invalid_body", Some("user_id"));
        assert_eq!(expect_json(admin.get("/api/v1/tokens"), 200)["total"], 2, "no token was created by invalid requests");
    }

    fn revoked_token_gets_401(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let created = expect_json(admin.post("/api/v1/tokens", &json!({"name": "short-lived"})), 201);
        let client = bearer(&server, created["secret"].as_str().expect("secret"));
        let id = id_of(&created["token"]);
        expect_json(client.get("/api/v1/me"), 200);

        let revoked = expect_json(admin.delete(&format!("/api/v1/tokens/{id}")), 200);
        assert!(revoked["revoked_at"].is_string());
        expect_problem(client.get("/api/v1/me"), 401, "unauthenticated", None);
        expect_problem(client.post("/api/v1/tokens", &json!({"name": "replacement"})), 401, "unauthenticated", None);
        let again = expect_json(admin.delete(&format!("/api/v1/tokens/{id}")), 200);
        assert_eq!(again["revoked_at"], revoked["revoked_at"], "revoking twice keeps the first time");

        // A token may revoke itself.
        let manager = server.user("acme", "csm@acme.test", Role::Manager);
        let own_id = own_token_id(&manager);
        expect_json(manager.delete(&format!("/api/v1/tokens/{own_id}")), 200);
        expect_problem(manager.get("/api/v1/me"), 401, "unauthenticated", None);
    }

    fn manager_sees_only_own_tokens(server) {
        server.business("acme");
        let first = server.user("acme", "one@acme.test", Role::Manager);
        let second = server.user("acme", "two@acme.test", Role::Manager);
        let first_id = own_token_id(&first);
        let second_id = own_token_id(&second);

        let listed = expect_json(first.get("/api/v1/tokens"), 200);
        let ids: Vec<&str> = listed["items"].as_array().into_iter().flatten().filter_map(|token| token["id"].as_str()).collect();
        assert_eq!(ids, [first_id.as_str()]);

        expect_problem(first.delete(&format!("/api/v1/tokens/{second_id}")), 404, "not_found", None);
        expect_json(second.get("/api/v1/me"), 200);
        expect_problem(first.delete("/api/v1/tokens/not-a-uuid"), 404, "not_found", None);
        expect_problem(first.delete("/api/v1/tokens/01900000-0000-7000-8000-000000000000"), 404, "not_found", None);
    }

    fn admin_revokes_tokens_by_rank(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let manager = server.user("acme", "csm@acme.test", Role::Manager);
        let peer = server.user("acme", "peer@acme.test", Role::Admin);
        let owner = server.user("acme", "owner@acme.test", Role::SuperAdmin);
        let manager_token = token_id_of(&admin, &manager);
        let peer_token = token_id_of(&admin, &peer);
        let owner_token = token_id_of(&admin, &owner);

        let all = expect_json(admin.get("/api/v1/tokens"), 200);
        assert_eq!(all["total"], 4, "an admin sees every token of the business: {all}");

        expect_problem(admin.delete(&format!("/api/v1/tokens/{owner_token}")), 403, "forbidden", None);
        expect_json(owner.get("/api/v1/me"), 200);

        expect_json(admin.delete(&format!("/api/v1/tokens/{manager_token}")), 200);
        expect_problem(manager.get("/api/v1/me"), 401, "unauthenticated", None);
        expect_json(admin.delete(&format!("/api/v1/tokens/{peer_token}")), 200);
        expect_problem(peer.get("/api/v1/me"), 401, "unauthenticated", None);

        let admin_token = token_id_of(&owner, &admin);
        expect_json(owner.delete(&format!("/api/v1/tokens/{admin_token}")), 200);
        expect_problem(admin.get("/api/v1/me"), 401, "unauthenticated", None);
    }

    fn other_tenant_token_is_404(server) {
        server.business("acme");
        server.business("umbrella");
        let acme = server.user("acme", "admin@acme.test", Role::Admin);
        let umbrella = server.user("umbrella", "admin@umbrella.test", Role::SuperAdmin);
        let acme_token = token_id_of(&acme, &acme);

        expect_problem(umbrella.delete(&format!("/api/v1/tokens/{acme_token}")), 404, "not_found", None);
        expect_json(acme.get("/api/v1/me"), 200);
        let listed = expect_json(umbrella.get("/api/v1/tokens"), 200);
        assert_eq!(listed["total"], 1, "only the business's own tokens: {listed}");
    }

    fn settings_change_allowed_roles(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);

        let defaults = expect_json(admin.get("/api/v1/settings"), 200);
        assert_eq!(defaults["allowed_roles"], json!(["manager", "admin", "super_admin"]));
        assert_eq!(defaults["health_weights"], json!({"usage": 35, "support": 15, "sentiment": 15, "contract_risk": 35}));
        assert_eq!(defaults["at_risk_threshold"], 50);
        assert_eq!(defaults["uplift_percentage"], json!(5.0));
        assert_eq!(defaults["reminder_cadence"], json!([90, 60, 30, 14]));
        assert_eq!(defaults["features"]["renewals"], true);
        assert_eq!(defaults["labels"]["account"], "Account");
        assert_eq!(defaults["labels"]["stages"]["churned"], "Churned");
        let changed = expect_json(admin.patch("/api/v1/settings", &json!({"allowed_roles": ["super_admin", "admin", "member", "admin"]})), 200);
        assert_eq!(changed["allowed_roles"], json!(["member", "admin", "super_admin"]), "sorted by rank without repeats");
        assert_eq!(expect_json(admin.get("/api/v1/settings"), 200), changed);
        assert_eq!(expect_json(admin.patch("/api/v1/settings", &json!({})), 200), changed, "an empty change keeps the settings");

        expect_problem(admin.patch("/api/v1/settings", &json!({"allowed_roles": ["manager", "super_admin"]})), 422, "validation_failed", Some("allowed_roles"));
        expect_problem(admin.patch("/api/v1/settings", &json!({"allowed_roles": []})), 422, "validation_failed", Some("allowed_roles"));
        expect_problem(admin.patch("/api/v1/settings", &json!({"allowed_roles": ["admin", "super_admin", "owner"]})), 422, "invalid_body", None);
        expect_problem(admin.patch("/api/v1/settings", &json!({"allowed_roles": "admin"})), 422, "invalid_body", Some("allowed_roles"));
        expect_problem(admin.patch("/api/v1/settings", &json!({"uplift": 5})), 422, "invalid_body", Some("uplift"));
        assert_eq!(expect_json(admin.get("/api/v1/settings"), 200), changed, "rejected changes change nothing");
    }

    fn settings_change_health_weights_and_threshold(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let manager = server.user("acme", "manager@acme.test", Role::Manager);

        let weights = json!({"usage": 50, "support": 0, "sentiment": 25, "contract_risk": 25});
        let changed = expect_json(admin.patch("/api/v1/settings", &json!({"health_weights": weights, "at_risk_threshold": 40})), 200);
        assert_eq!(changed["health_weights"], weights);
        assert_eq!(changed["at_risk_threshold"], 40);
        assert_eq!(changed["allowed_roles"], json!(["manager", "admin", "super_admin"]), "other settings stay");
        assert_eq!(expect_json(admin.get("/api/v1/settings"), 200), changed);

        let all_zero = json!({"usage": 0, "support": 0, "sentiment": 0, "contract_risk": 0});
        expect_problem(admin.patch("/api/v1/settings", &json!({"health_weights": all_zero})), 422, "validation_failed", Some("health_weights"));
        let too_heavy = json!({"usage": 101, "support": 0, "sentiment": 0, "contract_risk": 0});
        expect_problem(admin.patch("/api/v1/settings", &json!({"health_weights": too_heavy})), 422, "validation_failed", Some("health_weights.usage"));
        let missing = json!({"usage": 10});
        expect_problem(admin.patch("/api/v1/settings", &json!({"health_weights": missing})), 422, "invalid_body", None);
        expect_problem(admin.patch("/api/v1/settings", &json!({"at_risk_threshold": 101})), 422, "validation_failed", Some("at_risk_threshold"));
        expect_problem(admin.patch("/api/v1/settings", &json!({"at_risk_threshold": -1})), 422, "validation_failed", Some("at_risk_threshold"));
        expect_problem(admin.patch("/api/v1/settings", &json!({"at_risk_threshold": null})), 422, "invalid_body", Some("at_risk_threshold"));
        expect_problem(manager.patch("/api/v1/settings", &json!({"at_risk_threshold": 10})), 403, "forbidden", None);
        assert_eq!(expect_json(admin.get("/api/v1/settings"), 200), changed, "rejected changes change nothing");
    }

    fn only_super_admin_touches_super_admin(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let owner = server.user("acme", "owner@acme.test", Role::SuperAdmin);

        expect_problem(admin.patch("/api/v1/settings", &json!({"allowed_roles": ["manager", "admin"]})), 403, "forbidden", None);
        expect_problem(admin.patch("/api/v1/settings", &json!({"allowed_roles": ["admin"]})), 403, "forbidden", None);
        assert_eq!(expect_json(admin.get("/api/v1/settings"), 200)["allowed_roles"], json!(["manager", "admin", "super_admin"]));
        expect_json(owner.get("/api/v1/me"), 200);

        // A super admin cannot remove super_admin either, because it is their own role.
        expect_problem(owner.patch("/api/v1/settings", &json!({"allowed_roles": ["manager", "admin"]})), 422, "validation_failed", Some("allowed_roles"));
        let changed = expect_json(owner.patch("/api/v1/settings", &json!({"allowed_roles": ["super_admin"]})), 200);
        assert_eq!(changed["allowed_roles"], json!(["super_admin"]));
        expect_problem(admin.get("/api/v1/me"), 403, "forbidden", None);
    }
}
