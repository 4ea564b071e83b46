//! Contacts and activity timelines over HTTP, and a sample of hostile request bodies,
//! paths and query strings that must get a 4xx problem, never a 500.

// A test stops at its first failed step, and the `expect` message names that step.
#![allow(clippy::expect_used)]

mod common;

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use common::{expect_json, expect_problem, id_of, problem_fields, ApiClient};
use crm_core::Role;
use reqwest::Method;
use serde_json::{json, Value};

fn new_account(client: &ApiClient, name: &str) -> String {
    id_of(&expect_json(client.post("/api/v1/accounts", &json!({"name": name})), 201))
}

fn names(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|item| item["name"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn subjects(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|item| item["subject"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

backend_tests! {
    fn contact_create_list_update_delete(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let manager = server.user("acme", "csm@acme.test", Role::Manager);
        expect_json(admin.post("/api/v1/custom-fields", &json!({"entity": "contact", "key": "seniority", "label": "Seniority", "kind": "single_select", "options": ["IC", "Executive"]})), 201);
        expect_json(admin.post("/api/v1/custom-fields", &json!({"entity": "contact", "key": "linkedin", "label": "LinkedIn", "kind": "text"})), 201);
        let account = new_account(&manager, "Globex");
        let contacts = format!("/api/v1/accounts/{account}/contacts");

        let created = expect_json(
            manager.post(&contacts, &json!({
                "name": "  Hank Scorpio  ", "email": " Hank@Globex.COM ", "title": " CEO ",
                "champion": true, "economic_buyer": true,
                "custom_fields": {"seniority": "Executive", "linkedin": " in/hank "}
            })),
            201,
        );
        assert_eq!(created["name"], "Hank Scorpio");
        assert_eq!(created["email"], "hank@globex.com");
        assert_eq!(created["title"], "CEO");
        assert_eq!(created["account_id"], account.as_str());
        assert_eq!((created["champion"].clone(), created["economic_buyer"].clone()), (json!(true), json!(true)));
        assert_eq!((created["technical_buyer"].clone(), created["detractor"].clone()), (json!(false), json!(false)), "unsent flags are false");
        assert_eq!(created["custom_fields"], json!({"seniority": "Executive", "linkedin": "in/hank"}));
        let minimal = expect_json(manager.post(&contacts, &json!({"name": "alice", "email": "", "title": "  ", "technical_buyer": true, "detractor": true})), 201);
        assert_eq!(minimal["email"], Value::Null, "a blank email is no email");
        assert_eq!(minimal["title"], Value::Null);
        assert_eq!(minimal["custom_fields"], json!({}));

        let page = expect_json(manager.get(&contacts), 200);
        assert_eq!(page["total"], 2);
        assert_eq!(names(&page), ["alice", "Hank Scorpio"], "sorted by name, ignoring case");
        assert_eq!(page["items"][1], created);

        let path = format!("/api/v1/contacts/{}", id_of(&created));
        let retitled = expect_json(manager.patch(&path, &json!({"title": "Chairman"})), 200);
        assert_eq!(retitled["title"], "Chairman");
        for unchanged in ["name", "email", "champion", "economic_buyer", "technical_buyer", "detractor", "custom_fields", "created_at", "account_id"] {
            assert_eq!(retitled[unchanged], created[unchanged], "{unchanged} was not sent and stays");
        }

        let flagged = expect_json(manager.patch(&path, &json!({"champion": false, "detractor": true, "email": null, "custom_fields": {"linkedin": null}})), 200);
        assert_eq!(flagged["champion"], false);
        assert_eq!(flagged["detractor"], true);
        assert_eq!(flagged["economic_buyer"], true);
        assert_eq!(flagged["email"], Value::Null);
        assert_eq!(flagged["title"], "Chairman");
        assert_eq!(flagged["custom_fields"], json!({"seniority": "Executive"}), "custom fields merge and null removes");
        assert_eq!(expect_json(manager.patch(&path, &json!({})), 200), flagged, "an empty change changes nothing");

        assert_eq!(manager.delete(&path).status(), 204);
        expect_problem(manager.patch(&path, &json!({"title": "Ghost"})), 404, "not_found", None);
        expect_problem(manager.delete(&path), 404, "not_found", None);
        assert_eq!(names(&expect_json(manager.get(&contacts), 200)), ["alice"]);

        assert_eq!(manager.delete(&format!("/api/v1/accounts/{account}")).status(), 204);
        expect_problem(manager.get(&contacts), 404, "not_found", None);
        expect_problem(manager.patch(&format!("/api/v1/contacts/{}", id_of(&minimal)), &json!({"title": "x"})), 404, "not_found", None);
    }

    fn contact_input_is_validated(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        expect_json(admin.post("/api/v1/custom-fields", &json!({"entity": "contact", "key": "seniority", "label": "Seniority", "kind": "single_select", "options": ["IC"], "required": true})), 201);
        expect_json(admin.post("/api/v1/custom-fields", &json!({"entity": "account", "key": "tier", "label": "Tier", "kind": "text"})), 201);
        let account = new_account(&admin, "Globex");
        let contacts = format!("/api/v1/accounts/{account}/contacts");
        let valid = json!({"seniority": "IC"});

        expect_problem(admin.post(&contacts, &json!({"name": " ", "custom_fields": valid})), 422, "validation_failed", Some("name"));
        expect_problem(admin.post(&contacts, &json!({"name": "x".repeat(201), "custom_fields": valid})), 422, "validation_failed", Some("name"));
        for email in ["hank", "hank@", "@globex.com", "hank@globex", "hank scorpio@globex.com", "a@b@globex.com"] {
            expect_problem(admin.post(&contacts, &json!({"name": "Hank", "email": email, "custom_fields": valid})), 422, "validation_failed", Some("email"));
        }
        expect_problem(admin.post(&contacts, &json!({"name": "Hank", "title": "x".repeat(201), "custom_fields": valid})), 422, "validation_failed", Some("title"));
        expect_problem(admin.post(&contacts, &json!({"name": "Hank"})), 422, "validation_failed", Some("custom_fields.seniority"));
        expect_problem(admin.post(&contacts, &json!({"name": "Hank", "custom_fields": {"seniority": "CEO"}})), 422, "validation_failed", Some("custom_fields.seniority"));
        expect_problem(admin.post(&contacts, &json!({"name": "Hank", "custom_fields": {"seniority": "IC", "tier": "Gold"}})), 422, "validation_failed", Some("custom_fields.tier"));
        expect_problem(admin.post(&contacts, &json!({"name": "Hank", "champion": "yes", "custom_fields": valid})), 422, "invalid_body", Some("champion"));
        expect_problem(admin.post(&contacts, &json!({"name": "Hank", "phone": "555", "custom_fields": valid})), 422, "invalid_body", Some("phone"));
        expect_problem(admin.post(&contacts, &json!({"email": "hank@globex.com"})), 422, "invalid_body", Some("name"));
        let problem = expect_problem(admin.post(&contacts, &json!({"name": "", "email": "bad"})), 422, "validation_failed", Some("name"));
        let fields = problem_fields(&problem);
        assert!(fields.contains(&"email".to_owned()), "every invalid field at once: {problem}");
        assert!(fields.contains(&"custom_fields.seniority".to_owned()), "every invalid field at once: {problem}");
        assert_eq!(expect_json(admin.get(&contacts), 200)["total"], 0, "nothing invalid was created");

        let contact = expect_json(admin.post(&contacts, &json!({"name": "Hank", "email": "hank@globex.com", "custom_fields": valid})), 201);
        let path = format!("/api/v1/contacts/{}", id_of(&contact));
        expect_problem(admin.patch(&path, &json!({"email": "not an email"})), 422, "validation_failed", Some("email"));
        expect_problem(admin.patch(&path, &json!({"name": ""})), 422, "validation_failed", Some("name"));
        expect_problem(admin.patch(&path, &json!({"custom_fields": {"seniority": null}})), 422, "validation_failed", Some("custom_fields.seniority"));
        expect_problem(admin.patch(&path, &json!({"account_id": account})), 422, "invalid_body", Some("account_id"));
        assert_eq!(expect_json(admin.get(&contacts), 200)["items"][0], contact, "rejected changes change nothing");
    }

    fn contact_values_of_deleted_field_are_hidden(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let linkedin = id_of(&expect_json(admin.post("/api/v1/custom-fields", &json!({"entity": "contact", "key": "linkedin", "label": "LinkedIn", "kind": "text"})), 201));
        expect_json(admin.post("/api/v1/custom-fields", &json!({"entity": "contact", "key": "vip", "label": "VIP", "kind": "boolean"})), 201);
        let account = new_account(&admin, "Globex");
        let contacts = format!("/api/v1/accounts/{account}/contacts");
        let contact = expect_json(admin.post(&contacts, &json!({"name": "Hank", "custom_fields": {"linkedin": "in/hank", "vip": true}})), 201);

        assert_eq!(admin.delete(&format!("/api/v1/custom-fields/{linkedin}")).status(), 204);

        assert_eq!(expect_json(admin.get(&contacts), 200)["items"][0]["custom_fields"], json!({"vip": true}));
        let path = format!("/api/v1/contacts/{}", id_of(&contact));
        assert_eq!(expect_json(admin.patch(&path, &json!({"title": "CEO"})), 200)["custom_fields"], json!({"vip": true}));
        expect_problem(admin.patch(&path, &json!({"custom_fields": {"linkedin": "in/hank"}})), 422, "validation_failed", Some("custom_fields.linkedin"));
        let changed = expect_json(admin.patch(&path, &json!({"custom_fields": {"vip": false}})), 200);
        assert_eq!(changed["custom_fields"], json!({"vip": false}));
    }

    fn contacts_page_by_offset(server) {
        server.business("acme");
        let manager = server.user("acme", "csm@acme.test", Role::Manager);
        let account = new_account(&manager, "Globex");
        let other_account = new_account(&manager, "Initech");
        let contacts = format!("/api/v1/accounts/{account}/contacts");
        for name in ["Echo", "delta", "Charlie", "bravo", "Alpha"] {
            expect_json(manager.post(&contacts, &json!({"name": name})), 201);
        }
        expect_json(manager.post(&format!("/api/v1/accounts/{other_account}/contacts"), &json!({"name": "Other"})), 201);

        let page = expect_json(manager.get(&format!("{contacts}?limit=2&offset=1")), 200);
        assert_eq!(page["total"], 5, "only this account's contacts count");
        assert_eq!(names(&page), ["bravo", "Charlie"]);
        let past_end = expect_json(manager.get(&format!("{contacts}?offset=10")), 200);
        assert_eq!(past_end["total"], 5);
        assert_eq!(past_end["items"], json!([]));
        expect_problem(manager.get(&format!("{contacts}?limit=0")), 422, "validation_failed", Some("limit"));
        expect_problem(manager.get(&format!("{contacts}?limit=201")), 422, "validation_failed", Some("limit"));
        expect_problem(manager.get(&format!("{contacts}?offset=-1")), 422, "validation_failed", Some("offset"));
        expect_problem(manager.get(&format!("{contacts}?limit=abc")), 400, "invalid_query", Some("limit"));
        expect_problem(manager.get(&format!("{contacts}?sort=name")), 400, "invalid_query", Some("sort"));
    }

    fn other_tenant_contacts_are_404(server) {
        server.business("acme");
        server.business("umbrella");
        let acme = server.user("acme", "admin@acme.test", Role::Admin);
        let umbrella = server.user("umbrella", "admin@umbrella.test", Role::SuperAdmin);
        let account = new_account(&acme, "Globex");
        let contacts = format!("/api/v1/accounts/{account}/contacts");
        let contact = expect_json(acme.post(&contacts, &json!({"name": "Hank", "champion": true})), 201);
        let path = format!("/api/v1/contacts/{}", id_of(&contact));

        expect_problem(umbrella.get(&contacts), 404, "not_found", None);
        expect_problem(umbrella.post(&contacts, &json!({"name": "Spy"})), 404, "not_found", None);
        expect_problem(umbrella.patch(&path, &json!({"champion": false})), 404, "not_found", None);
        expect_problem(umbrella.delete(&path), 404, "not_found", None);

        let page = expect_json(acme.get(&contacts), 200);
        assert_eq!(page["total"], 1);
        assert_eq!(page["items"][0], contact, "the owner's contact is unchanged");

        let missing = "/api/v1/accounts/01900000-0000-7000-8000-000000000000/contacts";
        expect_problem(acme.get(missing), 404, "not_found", None);
        expect_problem(acme.post(missing, &json!({"name": "Nobody"})), 404, "not_found", None);
    }

    fn activities_list_newest_first(server) {
        server.business("acme");
        let manager = server.user("acme", "csm@acme.test", Role::Manager);
        let me = expect_json(manager.get("/api/v1/me"), 200);
        let account = new_account(&manager, "Globex");
        let activities = format!("/api/v1/accounts/{account}/activities");
        let now = Utc::now();

        let logged = expect_json(manager.post(&activities, &json!({"kind": "note", "subject": "  Kickoff notes  ", "body": "  Agenda  "})), 201);
        assert_eq!(logged["kind"], "note");
        assert_eq!(logged["subject"], "Kickoff notes");
        assert_eq!(logged["body"], "Agenda");
        assert_eq!(logged["author_id"], me["user"]["id"]);
        assert_eq!(logged["account_id"], account.as_str());
        assert_eq!(logged["occurred_at"], logged["created_at"], "occurred_at defaults to the time of logging");

        let bodiless = expect_json(manager.post(&activities, &json!({"kind": "call", "subject": "Three days ago", "body": "   ", "occurred_at": timestamp(now - Duration::days(3))})), 201);
        assert_eq!(bodiless["body"], Value::Null, "a blank body is no body");
        expect_json(manager.post(&activities, &json!({"kind": "meeting", "subject": "Yesterday", "occurred_at": timestamp(now - Duration::days(1))})), 201);
        let old = expect_json(manager.post(&activities, &json!({"kind": "email", "subject": "Long ago", "occurred_at": "2020-02-29T23:59:58.123456+02:00"})), 201);
        assert_eq!(old["occurred_at"], "2020-02-29T21:59:58.123456Z", "stored in UTC to the microsecond");
        expect_json(manager.post(&activities, &json!({"kind": "meeting", "subject": "Later today", "occurred_at": timestamp(now + Duration::hours(12))})), 201);

        let page = expect_json(manager.get(&activities), 200);
        assert_eq!(page["total"], 5);
        assert_eq!(subjects(&page), ["Later today", "Kickoff notes", "Yesterday", "Three days ago", "Long ago"]);
        let middle = expect_json(manager.get(&format!("{activities}?limit=2&offset=1")), 200);
        assert_eq!(middle["total"], 5);
        assert_eq!(subjects(&middle), ["Kickoff notes", "Yesterday"]);
        let last = expect_json(manager.get(&format!("{activities}?limit=2&offset=4")), 200);
        assert_eq!(subjects(&last), ["Long ago"]);
        expect_problem(manager.get(&format!("{activities}?limit=500")), 422, "validation_failed", Some("limit"));

        let other = new_account(&manager, "Initech");
        assert_eq!(expect_json(manager.get(&format!("/api/v1/accounts/{other}/activities")), 200)["total"], 0, "timelines are per account");
    }

    fn activity_input_is_validated(server) {
        server.business("acme");
        let manager = server.user("acme", "csm@acme.test", Role::Manager);
        let account = new_account(&manager, "Globex");
        let activities = format!("/api/v1/accounts/{account}/activities");
        let now = Utc::now();

        expect_problem(manager.post(&activities, &json!({"kind": "system", "subject": "Forged stage change"})), 422, "validation_failed", Some("kind"));
        expect_problem(manager.post(&activities, &json!({"kind": "tweet", "subject": "x"})), 422, "invalid_body", Some("kind"));
        expect_problem(manager.post(&activities, &json!({"kind": "Note", "subject": "x"})), 422, "invalid_body", Some("kind"));
        expect_problem(manager.post(&activities, &json!({"subject": "x"})), 422, "invalid_body", Some("kind"));
        expect_problem(manager.post(&activities, &json!({"kind": "note", "subject": " "})), 422, "validation_failed", Some("subject"));
        expect_problem(manager.post(&activities, &json!({"kind": "note", "subject": "x".repeat(301)})), 422, "validation_failed", Some("subject"));
        expect_problem(manager.post(&activities, &json!({"kind": "note", "subject": "x", "body": "x".repeat(20_001)})), 422, "validation_failed", Some("body"));
        expect_problem(manager.post(&activities, &json!({"kind": "note", "subject": "x", "occurred_at": timestamp(now + Duration::days(2))})), 422, "validation_failed", Some("occurred_at"));
        expect_problem(manager.post(&activities, &json!({"kind": "note", "subject": "x", "occurred_at": "9999-12-31T23:59:59Z"})), 422, "validation_failed", Some("occurred_at"));
        expect_problem(manager.post(&activities, &json!({"kind": "note", "subject": "x", "occurred_at": "yesterday"})), 422, "invalid_body", Some("occurred_at"));
        expect_problem(manager.post(&activities, &json!({"kind": "note", "subject": "x", "occurred_at": "2026-13-01T00:00:00Z"})), 422, "invalid_body", Some("occurred_at"));
        expect_problem(manager.post(&activities, &json!({"kind": "note", "subject": "x", "author_id": null})), 422, "invalid_body", Some("author_id"));
        let problem = expect_problem(manager.post(&activities, &json!({"kind": "system", "subject": "", "occurred_at": timestamp(now + Duration::days(30))})), 422, "validation_failed", Some("kind"));
        let fields = problem_fields(&problem);
        assert!(fields.contains(&"subject".to_owned()), "every invalid field at once: {problem}");
        assert!(fields.contains(&"occurred_at".to_owned()), "every invalid field at once: {problem}");
        assert_eq!(expect_json(manager.get(&activities), 200)["total"], 0, "nothing invalid was logged");

        let longest = expect_json(manager.post(&activities, &json!({"kind": "note", "subject": "x".repeat(300), "body": "y".repeat(20_000)})), 201);
        assert_eq!(longest["body"].as_str().map(str::len), Some(20_000));
    }

    fn other_tenant_timeline_is_404(server) {
        server.business("acme");
        server.business("umbrella");
        let acme = server.user("acme", "admin@acme.test", Role::Admin);
        let umbrella = server.user("umbrella", "admin@umbrella.test", Role::SuperAdmin);
        let account = new_account(&acme, "Globex");
        let activities = format!("/api/v1/accounts/{account}/activities");
        expect_json(acme.post(&activities, &json!({"kind": "note", "subject": "Private"})), 201);

        expect_problem(umbrella.get(&activities), 404, "not_found", None);
        expect_problem(umbrella.post(&activities, &json!({"kind": "note", "subject": "Planted"})), 404, "not_found", None);
        let missing = "/api/v1/accounts/01900000-0000-7000-8000-000000000000/activities";
        expect_problem(acme.get(missing), 404, "not_found", None);
        expect_problem(acme.post(missing, &json!({"kind": "note", "subject": "x"})), 404, "not_found", None);
        assert_eq!(subjects(&expect_json(acme.get(&activities), 200)), ["Private"]);
    }

    fn hostile_bodies_get_4xx(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let account = new_account(&admin, "Globex");
        let contacts = format!("/api/v1/accounts/{account}/contacts");
        let activities = format!("/api/v1/accounts/{account}/activities");
        let json_body = |text: &str| text.as_bytes().to_vec();

        for (body, status, code) in [
            (json_body("{\"name\":"), 400, "malformed_json"),
            (json_body(""), 400, "malformed_json"),
            (json_body("{\"name\": \"Hank\"} trailing"), 400, "malformed_json"),
            (json_body("{'name': 'Hank'}"), 400, "malformed_json"),
            (json_body("{\"name\": \"Hank\",}"), 400, "malformed_json"),
            (b"{\"name\": \"\xff\xfe\"}".to_vec(), 400, "malformed_json"),
            (json_body("null"), 422, "invalid_body"),
            (json_body("[]"), 422, "invalid_body"),
            (json_body("\"Hank\""), 422, "invalid_body"),
            (json_body("{\"name\": \"Hank\", \"name\": \"Again\"}"), 422, "invalid_body"),
            (json_body("{\"name\": \"Hank\", \"champion\": 1}"), 422, "invalid_body"),
            (json_body("{\"name\": \"Hank\", \"custom_fields\": null}"), 422, "invalid_body"),
        ] {
            let response = admin.send_raw(Method::POST, &contacts, "application/json", body.clone());
            let problem = expect_problem(response, status, code, None);
            assert!(problem["detail"].is_string(), "{problem}");
        }

        let deep = format!("{{\"name\": \"Hank\", \"custom_fields\": {{\"x\": {}{}}}}}", "[".repeat(5_000), "]".repeat(5_000));
        expect_problem(admin.send_raw(Method::POST, &contacts, "application/json", deep.into_bytes()), 400, "malformed_json", None);
        let nul = "{\"name\": \"Ha\\u0000nk\"}";
        expect_problem(admin.send_raw(Method::POST, &contacts, "application/json", nul.as_bytes().to_vec()), 422, "invalid_body", Some("name"));
        let nul_in_value = "{\"name\": \"Hank\", \"custom_fields\": {\"notes\": [\"ok\", \"\\u0000\"]}}";
        expect_problem(admin.send_raw(Method::POST, &contacts, "application/json", nul_in_value.as_bytes().to_vec()), 422, "invalid_body", Some("custom_fields.notes[1]"));
        let escaped_backslash = "{\"name\": \"Literal \\\\u0000 text\"}";
        assert_eq!(expect_json(admin.send_raw(Method::POST, &contacts, "application/json", escaped_backslash.as_bytes().to_vec()), 201)["name"], "Literal \\u0000 text", "an escaped backslash is not a NUL");

        for content_type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx", ""] {
            expect_problem(admin.send_raw(Method::POST, &contacts, content_type, b"{\"name\": \"Hank\"}".to_vec()), 415, "unsupported_media_type", None);
        }
        for content_type in ["application/json; charset=utf-8", "APPLICATION/JSON", "application/merge-patch+json"] {
            expect_json(admin.send_raw(Method::POST, &contacts, content_type, b"{\"name\": \"Typed\"}".to_vec()), 201);
        }

        let huge = format!("{{\"name\": \"{}\"}}", "x".repeat(2 * 1024 * 1024));
        expect_problem(admin.send_raw(Method::POST, &contacts, "application/json", huge.into_bytes()), 413, "body_too_large", None);
        // This body is under the 1 MiB limit but over actix-web's 256 KiB default, so it is
        // read in full and the service rejects the text as too long.
        let large = json!({"kind": "note", "subject": "Large", "body": "x".repeat(600 * 1024)}).to_string();
        expect_problem(admin.send_raw(Method::POST, &activities, "application/json", large.into_bytes()), 422, "validation_failed", Some("body"));

        let unicode = expect_json(admin.post(&contacts, &json!({"name": "Zoë Ångström 🚀", "title": "Директор"})), 201);
        assert_eq!(unicode["name"], "Zoë Ångström 🚀");
        assert_eq!(unicode["title"], "Директор");
        let created = names(&expect_json(admin.get(&contacts), 200));
        assert_eq!(created, ["Literal \\u0000 text", "Typed", "Typed", "Typed", "Zoë Ångström 🚀"], "only the valid bodies created contacts");
    }

    fn hostile_paths_and_queries_get_4xx(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let account = new_account(&admin, "Globex");

        for id in ["not-a-uuid", "01900000-0000-7000-8000-00000000000G", "%00", "'%20OR%201=1", "..%2F..%2Fetc", "01900000", "-1"] {
            for path in [format!("/api/v1/contacts/{id}"), format!("/api/v1/custom-fields/{id}")] {
                expect_problem(admin.patch(&path, &json!({"name": "x"})), 404, "not_found", None);
                expect_problem(admin.delete(&path), 404, "not_found", None);
            }
            expect_problem(admin.patch(&format!("/api/v1/users/{id}"), &json!({"name": "x"})), 404, "not_found", None);
            expect_problem(admin.delete(&format!("/api/v1/tokens/{id}")), 404, "not_found", None);
        }
        for path in ["/api/v1/accounts/not-a-uuid/contacts", "/api/v1/accounts/not-a-uuid/activities", "/api/v1/nothing-here", "/api/v1/accounts/01900000-0000-7000-8000-000000000000/nothing"] {
            expect_problem(admin.get(path), 404, "not_found", None);
            expect_problem(admin.post(path, &json!({"name": "x", "kind": "note", "subject": "x"})), 404, "not_found", None);
        }

        let activities = format!("/api/v1/accounts/{account}/activities");
        for (query, field) in [
            ("limit=99999999999999999999", "limit"),
            ("limit=1e3", "limit"),
            ("limit=", "limit"),
            ("offset=%00", "offset"),
            ("limit=1&limit=2", "limit"),
            ("kind=note", "kind"),
        ] {
            expect_problem(admin.get(&format!("{activities}?{query}")), 400, "invalid_query", Some(field));
        }
        expect_problem(admin.get("/api/v1/custom-fields?entity=%00"), 400, "invalid_query", Some("entity"));
        expect_problem(admin.get("/api/v1/custom-fields?entity=account&entity=contact"), 400, "invalid_query", Some("entity"));
        expect_problem(admin.get("/api/v1/accounts?q=%00"), 400, "invalid_query", Some("q"));
        expect_json(admin.get(&format!("{activities}?offset=9223372036854775807")), 200);
    }
}
