//! Custom field definitions over HTTP, and the validation of their values on accounts.

// A test stops at its first failed step, and the `expect` message names that step.
#![allow(clippy::expect_used)]

mod common;

use common::{expect_json, expect_problem, id_of, ApiClient};
use crm_core::Role;
use serde_json::{json, Value};

/// Defines a custom field and returns its id.
fn define(admin: &ApiClient, body: Value) -> String {
    id_of(&expect_json(admin.post("/api/v1/custom-fields", &body), 201))
}

/// Defines one account field of each kind; only `tier` is a single select.
fn define_account_fields(admin: &ApiClient) -> Vec<String> {
    vec![
        define(
            admin,
            json!({"entity": "account", "key": "tier", "label": "Tier", "kind": "single_select", "options": ["Gold", "Silver"]}),
        ),
        define(admin, json!({"entity": "account", "key": "seats", "label": "Seats", "kind": "number"})),
        define(admin, json!({"entity": "account", "key": "kickoff", "label": "Kickoff", "kind": "date"})),
        define(admin, json!({"entity": "account", "key": "vip", "label": "VIP", "kind": "boolean"})),
        define(admin, json!({"entity": "account", "key": "notes", "label": "Notes", "kind": "text"})),
    ]
}

fn keys(fields: &Value) -> Vec<String> {
    fields.as_array().into_iter().flatten().map(|field| field["key"].as_str().unwrap_or_default().to_owned()).collect()
}

fn create_account(client: &ApiClient, custom_fields: Value) -> reqwest::blocking::Response {
    client.post("/api/v1/accounts", &json!({"name": "Globex", "custom_fields": custom_fields}))
}

backend_tests! {
    fn admin_defines_each_kind(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let manager = server.user("acme", "csm@acme.test", Role::Manager);

        let tier = expect_json(
            admin.post("/api/v1/custom-fields", &json!({"entity": "account", "key": " tier ", "label": "  Tier  ", "kind": "single_select", "options": [" Gold ", "Silver"], "required": true})),
            201,
        );
        assert_eq!(tier["key"], "tier");
        assert_eq!(tier["label"], "Tier");
        assert_eq!(tier["kind"], "single_select");
        assert_eq!(tier["options"], json!(["Gold", "Silver"]), "options are trimmed");
        assert_eq!(tier["required"], true);
        assert_eq!(tier["entity"], "account");
        assert_eq!(tier["position"], 0);
        for (key, kind) in [("seats", "number"), ("kickoff", "date"), ("vip", "boolean"), ("notes", "text")] {
            let field = expect_json(admin.post("/api/v1/custom-fields", &json!({"entity": "account", "key": key, "label": key, "kind": kind})), 201);
            assert_eq!(field["kind"], kind);
            assert_eq!(field["options"], json!([]));
            assert_eq!(field["required"], false, "not required unless asked");
        }
        let linkedin = expect_json(admin.post("/api/v1/custom-fields", &json!({"entity": "contact", "key": "linkedin", "label": "LinkedIn", "kind": "text"})), 201);
        assert_eq!(linkedin["position"], 0, "each entity numbers its own positions");
        expect_json(admin.post("/api/v1/custom-fields", &json!({"entity": "contact", "key": "seniority", "label": "Seniority", "kind": "single_select", "options": ["IC", "Manager", "Executive"]})), 201);

        let all = expect_json(manager.get("/api/v1/custom-fields"), 200);
        assert_eq!(keys(&all), ["tier", "seats", "kickoff", "vip", "notes", "linkedin", "seniority"], "accounts first, each in position order");
        let accounts = expect_json(manager.get("/api/v1/custom-fields?entity=account"), 200);
        let positions: Vec<i64> = accounts.as_array().into_iter().flatten().filter_map(|field| field["position"].as_i64()).collect();
        assert_eq!(positions, [0, 1, 2, 3, 4]);
        assert_eq!(keys(&expect_json(manager.get("/api/v1/custom-fields?entity=contact"), 200)), ["linkedin", "seniority"]);
        expect_problem(manager.get("/api/v1/custom-fields?entity=ticket"), 400, "invalid_query", Some("entity"));
    }

    fn definition_input_is_validated(server) {
        server.business("acme");
        server.business("umbrella");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let other = server.user("umbrella", "admin@umbrella.test", Role::Admin);
        define(&admin, json!({"entity": "account", "key": "tier", "label": "Tier", "kind": "text"}));

        expect_problem(admin.post("/api/v1/custom-fields", &json!({"entity": "account", "key": "tier", "label": "Tier again", "kind": "number"})), 409, "custom_field_key_taken", Some("key"));
        define(&admin, json!({"entity": "contact", "key": "tier", "label": "Tier", "kind": "text"}));
        define(&other, json!({"entity": "account", "key": "tier", "label": "Tier", "kind": "text"}));
        let taken = expect_problem(
            admin.post("/api/v1/custom-fields", &json!({"entity": "account", "key": "tier_two", "label": "TIER", "kind": "text"})),
            409,
            "custom_field_label_taken",
            Some("label"),
        );
        assert_eq!(taken["detail"], "an account custom field is already labelled \"TIER\"");
        let seats = define(&admin, json!({"entity": "account", "key": "seats", "label": "Seats", "kind": "number"}));
        let seats_path = format!("/api/v1/custom-fields/{seats}");
        expect_problem(admin.patch(&seats_path, &json!({"label": "tier"})), 409, "custom_field_label_taken", Some("label"));
        expect_json(admin.patch(&seats_path, &json!({"label": "SEATS"})), 200);

        for key in ["Tier", "1tier", "has-dash", "has space", "", "_tier", "tïer", &"k".repeat(64)] {
            expect_problem(admin.post("/api/v1/custom-fields", &json!({"entity": "account", "key": key, "label": "L", "kind": "text"})), 422, "validation_failed", Some("key"));
        }
        define(&admin, json!({"entity": "account", "key": "k".repeat(63), "label": "Longest key", "kind": "text"}));
        expect_problem(admin.post("/api/v1/custom-fields", &json!({"entity": "account", "key": "label_less", "label": " ", "kind": "text"})), 422, "validation_failed", Some("label"));
        expect_problem(admin.post("/api/v1/custom-fields", &json!({"entity": "account", "key": "long_label", "label": "x".repeat(101), "kind": "text"})), 422, "validation_failed", Some("label"));
        expect_problem(admin.post("/api/v1/custom-fields", &json!({"entity": "account", "key": "plan", "label": "Plan", "kind": "single_select"})), 422, "validation_failed", Some("options"));
        expect_problem(admin.post("/api/v1/custom-fields", &json!({"entity": "account", "key": "plan", "label": "Plan", "kind": "single_select", "options": ["  "]})), 422, "validation_failed", Some("options[0]"));
        expect_problem(admin.post("/api/v1/custom-fields", &json!({"entity": "account", "key": "plan", "label": "Plan", "kind": "single_select", "options": ["A", " A "]})), 422, "validation_failed", Some("options[1]"));
        let too_many: Vec<String> = (0..101).map(|index| format!("Option {index}")).collect();
        expect_problem(admin.post("/api/v1/custom-fields", &json!({"entity": "account", "key": "plan", "label": "Plan", "kind": "single_select", "options": too_many})), 422, "validation_failed", Some("options"));
        expect_problem(admin.post("/api/v1/custom-fields", &json!({"entity": "account", "key": "plan", "label": "Plan", "kind": "text", "options": ["A"]})), 422, "validation_failed", Some("options"));
        expect_problem(admin.post("/api/v1/custom-fields", &json!({"entity": "account", "key": "plan", "label": "Plan", "kind": "currency"})), 422, "invalid_body", Some("kind"));
        expect_problem(admin.post("/api/v1/custom-fields", &json!({"entity": "ticket", "key": "plan", "label": "Plan", "kind": "text"})), 422, "invalid_body", Some("entity"));
        expect_problem(admin.post("/api/v1/custom-fields", &json!({"entity": "account", "key": "plan", "label": "Plan"})), 422, "invalid_body", Some("kind"));
        expect_problem(admin.post("/api/v1/custom-fields", &json!({"entity": "account", "key": "plan", "label": "Plan", "kind": "text", "position": 3})), 422, "invalid_body", Some("position"));
        expect_problem(admin.post("/api/v1/custom-fields", &json!({"entity": "account", "key": "plan", "label": "Plan", "kind": "text", "required": "yes"})), 422, "invalid_body", Some("required"));

        assert_eq!(keys(&expect_json(admin.get("/api/v1/custom-fields?entity=account"), 200)), ["tier".to_owned(), "seats".to_owned(), "k".repeat(63)], "nothing invalid was created");
    }

    fn entity_holds_at_most_100_fields(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        for index in 0..100 {
            define(&admin, json!({"entity": "contact", "key": format!("field_{index}"), "label": format!("Field {index}"), "kind": "text"}));
        }

        expect_problem(admin.post("/api/v1/custom-fields", &json!({"entity": "contact", "key": "one_more", "label": "One more", "kind": "text"})), 422, "validation_failed", Some("entity"));
        define(&admin, json!({"entity": "account", "key": "one_more", "label": "One more", "kind": "text"}));
        let contact_fields = expect_json(admin.get("/api/v1/custom-fields?entity=contact"), 200);
        assert_eq!(contact_fields.as_array().map(Vec::len), Some(100));
    }

    fn manager_reads_but_cannot_change(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let manager = server.user("acme", "csm@acme.test", Role::Manager);
        let ids = define_account_fields(&admin);
        let tier = &ids[0];

        expect_problem(manager.post("/api/v1/custom-fields", &json!({"entity": "account", "key": "plan", "label": "Plan", "kind": "text"})), 403, "forbidden", None);
        expect_problem(manager.patch(&format!("/api/v1/custom-fields/{tier}"), &json!({"label": "Level"})), 403, "forbidden", None);
        expect_problem(manager.delete(&format!("/api/v1/custom-fields/{tier}")), 403, "forbidden", None);
        let reversed: Vec<&String> = ids.iter().rev().collect();
        expect_problem(manager.post("/api/v1/custom-fields/reorder", &json!({"entity": "account", "ids": reversed})), 403, "forbidden", None);

        let fields = expect_json(manager.get("/api/v1/custom-fields"), 200);
        assert_eq!(keys(&fields), ["tier", "seats", "kickoff", "vip", "notes"], "nothing changed");
        assert_eq!(fields[0]["label"], "Tier");
    }

    fn definition_update_changes_sent_fields(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let ids = define_account_fields(&admin);
        let (tier, seats) = (&ids[0], &ids[1]);

        let updated = expect_json(admin.patch(&format!("/api/v1/custom-fields/{tier}"), &json!({"label": " Level ", "options": ["Gold", "Platinum"]})), 200);
        assert_eq!(updated["label"], "Level");
        assert_eq!(updated["options"], json!(["Gold", "Platinum"]));
        assert_eq!(updated["required"], false, "fields not sent stay as they were");
        assert_eq!(updated["key"], "tier");
        assert_eq!(updated["position"], 0);
        let required = expect_json(admin.patch(&format!("/api/v1/custom-fields/{tier}"), &json!({"required": true})), 200);
        assert_eq!(required["label"], "Level");
        assert_eq!(required["required"], true);

        expect_problem(admin.patch(&format!("/api/v1/custom-fields/{tier}"), &json!({"options": []})), 422, "validation_failed", Some("options"));
        expect_problem(admin.patch(&format!("/api/v1/custom-fields/{seats}"), &json!({"options": ["A"]})), 422, "validation_failed", Some("options"));
        expect_problem(admin.patch(&format!("/api/v1/custom-fields/{tier}"), &json!({"label": ""})), 422, "validation_failed", Some("label"));
        expect_problem(admin.patch(&format!("/api/v1/custom-fields/{tier}"), &json!({"key": "level"})), 422, "invalid_body", Some("key"));
        expect_problem(admin.patch(&format!("/api/v1/custom-fields/{tier}"), &json!({"kind": "text"})), 422, "invalid_body", Some("kind"));
        expect_problem(admin.patch("/api/v1/custom-fields/not-a-uuid", &json!({"label": "X"})), 404, "not_found", None);
        expect_problem(admin.patch("/api/v1/custom-fields/01900000-0000-7000-8000-000000000000", &json!({"label": "X"})), 404, "not_found", None);
        let current = expect_json(admin.get("/api/v1/custom-fields?entity=account"), 200);
        assert_eq!(current[0], required, "rejected changes change nothing");

        assert_eq!(admin.delete(&format!("/api/v1/custom-fields/{seats}")).status(), 204);
        assert_eq!(keys(&expect_json(admin.get("/api/v1/custom-fields"), 200)), ["tier", "kickoff", "vip", "notes"]);
        expect_problem(admin.delete(&format!("/api/v1/custom-fields/{seats}")), 404, "not_found", None);
        expect_problem(admin.patch(&format!("/api/v1/custom-fields/{seats}"), &json!({"label": "X"})), 404, "not_found", None);
        expect_problem(admin.delete("/api/v1/custom-fields/not-a-uuid"), 404, "not_found", None);
        let added = expect_json(admin.post("/api/v1/custom-fields", &json!({"entity": "account", "key": "seats", "label": "Seats", "kind": "number"})), 201);
        assert_eq!(added["position"], 5, "a new field goes after the last one");
    }

    fn reorder_needs_every_id_once(server) {
        server.business("acme");
        server.business("umbrella");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let other = server.user("umbrella", "admin@umbrella.test", Role::Admin);
        let ids = define_account_fields(&admin);
        let contact_field = define(&admin, json!({"entity": "contact", "key": "linkedin", "label": "LinkedIn", "kind": "text"}));
        let foreign = define(&other, json!({"entity": "account", "key": "tier", "label": "Tier", "kind": "text"}));

        let reversed: Vec<String> = ids.iter().rev().cloned().collect();
        let reordered = expect_json(admin.post("/api/v1/custom-fields/reorder", &json!({"entity": "account", "ids": reversed})), 200);
        assert_eq!(keys(&reordered), ["notes", "vip", "kickoff", "seats", "tier"]);
        let positions: Vec<i64> = reordered.as_array().into_iter().flatten().filter_map(|field| field["position"].as_i64()).collect();
        assert_eq!(positions, [0, 1, 2, 3, 4]);
        assert_eq!(keys(&expect_json(admin.get("/api/v1/custom-fields?entity=account"), 200)), ["notes", "vip", "kickoff", "seats", "tier"]);

        let missing: Vec<&String> = ids.iter().skip(1).collect();
        expect_problem(admin.post("/api/v1/custom-fields/reorder", &json!({"entity": "account", "ids": missing})), 422, "validation_failed", Some("ids"));
        let repeated = vec![&ids[0], &ids[0], &ids[1], &ids[2], &ids[3], &ids[4]];
        expect_problem(admin.post("/api/v1/custom-fields/reorder", &json!({"entity": "account", "ids": repeated})), 422, "validation_failed", Some("ids"));
        let swapped_out = vec![&ids[0], &ids[1], &ids[2], &ids[3], &ids[3]];
        expect_problem(admin.post("/api/v1/custom-fields/reorder", &json!({"entity": "account", "ids": swapped_out})), 422, "validation_failed", Some("ids"));
        let with_contact_field = vec![&ids[0], &ids[1], &ids[2], &ids[3], &ids[4], &contact_field];
        expect_problem(admin.post("/api/v1/custom-fields/reorder", &json!({"entity": "account", "ids": with_contact_field})), 422, "validation_failed", Some("ids"));
        let with_foreign = vec![&ids[0], &ids[1], &ids[2], &ids[3], &ids[4], &foreign];
        expect_problem(admin.post("/api/v1/custom-fields/reorder", &json!({"entity": "account", "ids": with_foreign})), 422, "validation_failed", Some("ids"));
        expect_problem(admin.post("/api/v1/custom-fields/reorder", &json!({"entity": "account", "ids": ["not-a-uuid"]})), 422, "invalid_body", Some("ids[0]"));
        expect_problem(admin.post("/api/v1/custom-fields/reorder", &json!({"entity": "account"})), 422, "invalid_body", Some("ids"));
        assert_eq!(keys(&expect_json(admin.get("/api/v1/custom-fields?entity=account"), 200)), ["notes", "vip", "kickoff", "seats", "tier"], "rejected orders change nothing");

        let contacts = expect_json(admin.post("/api/v1/custom-fields/reorder", &json!({"entity": "contact", "ids": [contact_field]})), 200);
        assert_eq!(keys(&contacts), ["linkedin"]);
        assert_eq!(expect_json(other.post("/api/v1/custom-fields/reorder", &json!({"entity": "contact", "ids": []})), 200), json!([]));
    }

    fn account_values_follow_definitions(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let manager = server.user("acme", "csm@acme.test", Role::Manager);
        define_account_fields(&admin);

        let account = expect_json(
            create_account(&manager, json!({"tier": " Gold ", "seats": 12.5, "kickoff": " 2026-01-31 ", "vip": true, "notes": "  Prefers email  "})),
            201,
        );
        assert_eq!(account["custom_fields"], json!({"tier": "Gold", "seats": 12.5, "kickoff": "2026-01-31", "vip": true, "notes": "Prefers email"}));
        let path = format!("/api/v1/accounts/{}", id_of(&account));
        assert_eq!(expect_json(manager.get(&path), 200)["custom_fields"], account["custom_fields"]);

        for (key, value) in [
            ("seats", json!("12")),
            ("seats", json!(true)),
            ("kickoff", json!("31/01/2026")),
            ("kickoff", json!("2026-02-30")),
            ("kickoff", json!(20260131)),
            ("vip", json!("true")),
            ("vip", json!(1)),
            ("tier", json!("Bronze")),
            ("tier", json!("gold")),
            ("tier", json!(["Gold"])),
            ("notes", json!(42)),
            ("notes", json!("x".repeat(2001))),
            ("notes", json!({"text": "nested"})),
            ("color", json!("red")),
        ] {
            let field = format!("custom_fields.{key}");
            expect_problem(create_account(&manager, json!({key: value.clone()})), 422, "validation_failed", Some(&field));
            expect_problem(manager.patch(&path, &json!({"custom_fields": {key: value}})), 422, "validation_failed", Some(&field));
        }
        let problem = expect_problem(create_account(&manager, json!({"tier": "Bronze", "seats": "many", "color": "red"})), 422, "validation_failed", Some("custom_fields.tier"));
        let fields = common::problem_fields(&problem);
        assert!(fields.contains(&"custom_fields.seats".to_owned()), "every invalid value at once: {problem}");
        assert!(fields.contains(&"custom_fields.color".to_owned()), "every invalid value at once: {problem}");
        expect_problem(manager.post("/api/v1/accounts", &json!({"name": "Globex", "custom_fields": ["tier"]})), 422, "invalid_body", Some("custom_fields"));
        assert_eq!(expect_json(manager.get("/api/v1/accounts"), 200)["total"], 1, "no invalid account was created");
        assert_eq!(expect_json(manager.get(&path), 200)["custom_fields"], account["custom_fields"], "no invalid change was saved");

        let merged = expect_json(manager.patch(&path, &json!({"custom_fields": {"seats": 20, "vip": null}})), 200);
        assert_eq!(merged["custom_fields"], json!({"tier": "Gold", "seats": 20, "kickoff": "2026-01-31", "notes": "Prefers email"}), "PATCH merges, null removes");
        let untouched = expect_json(manager.patch(&path, &json!({"name": "Globex Corp"})), 200);
        assert_eq!(untouched["custom_fields"], merged["custom_fields"], "a PATCH without custom_fields keeps them");
        let cleared = expect_json(manager.patch(&path, &json!({"custom_fields": {"tier": null, "seats": null, "kickoff": null, "notes": null}})), 200);
        assert_eq!(cleared["custom_fields"], json!({}));
    }

    fn required_values_must_be_present(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        define(&admin, json!({"entity": "account", "key": "region", "label": "Region", "kind": "single_select", "options": ["EMEA", "APAC"], "required": true}));
        define(&admin, json!({"entity": "account", "key": "owner_note", "label": "Owner note", "kind": "text", "required": true}));

        expect_problem(create_account(&admin, json!({"owner_note": "x"})), 422, "validation_failed", Some("custom_fields.region"));
        expect_problem(admin.post("/api/v1/accounts", &json!({"name": "Globex"})), 422, "validation_failed", Some("custom_fields.region"));
        expect_problem(create_account(&admin, json!({"region": "EMEA", "owner_note": "   "})), 422, "validation_failed", Some("custom_fields.owner_note"));
        expect_problem(create_account(&admin, json!({"region": null, "owner_note": "x"})), 422, "validation_failed", Some("custom_fields.region"));

        let account = expect_json(create_account(&admin, json!({"region": "EMEA", "owner_note": "x"})), 201);
        let path = format!("/api/v1/accounts/{}", id_of(&account));
        expect_problem(admin.patch(&path, &json!({"custom_fields": {"region": null}})), 422, "validation_failed", Some("custom_fields.region"));
        let changed = expect_json(admin.patch(&path, &json!({"custom_fields": {"region": "APAC"}})), 200);
        assert_eq!(changed["custom_fields"], json!({"region": "APAC", "owner_note": "x"}));
    }

    fn deleted_definition_hides_values(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let ids = define_account_fields(&admin);
        let account = expect_json(create_account(&admin, json!({"tier": "Gold", "seats": 12})), 201);
        let path = format!("/api/v1/accounts/{}", id_of(&account));

        assert_eq!(admin.delete(&format!("/api/v1/custom-fields/{}", ids[0])).status(), 204);

        assert_eq!(expect_json(admin.get(&path), 200)["custom_fields"], json!({"seats": 12}), "the deleted field's value is hidden");
        let listed = expect_json(admin.get("/api/v1/accounts"), 200);
        assert_eq!(listed["items"][0]["custom_fields"], json!({"seats": 12}));
        expect_problem(admin.patch(&path, &json!({"custom_fields": {"tier": "Gold"}})), 422, "validation_failed", Some("custom_fields.tier"));
        let changed = expect_json(admin.patch(&path, &json!({"custom_fields": {"seats": 13}})), 200);
        assert_eq!(changed["custom_fields"], json!({"seats": 13}));
    }

    fn reused_key_starts_empty(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let tier = define(&admin, json!({"entity": "account", "key": "tier", "label": "Tier", "kind": "text"}));
        let linkedin = define(&admin, json!({"entity": "contact", "key": "linkedin", "label": "LinkedIn", "kind": "text"}));
        let account = expect_json(create_account(&admin, json!({"tier": "Gold"})), 201);
        let path = format!("/api/v1/accounts/{}", id_of(&account));
        let contacts = format!("{path}/contacts");
        expect_json(admin.post(&contacts, &json!({"name": "Hank", "custom_fields": {"linkedin": "in/hank"}})), 201);

        assert_eq!(admin.delete(&format!("/api/v1/custom-fields/{tier}")).status(), 204);
        assert_eq!(admin.delete(&format!("/api/v1/custom-fields/{linkedin}")).status(), 204);
        define(&admin, json!({"entity": "account", "key": "tier", "label": "Tier", "kind": "number"}));
        define(&admin, json!({"entity": "contact", "key": "linkedin", "label": "LinkedIn", "kind": "boolean"}));

        // The old text values would be invalid for the new kinds, so they must not return.
        assert_eq!(expect_json(admin.get(&path), 200)["custom_fields"], json!({}));
        assert_eq!(expect_json(admin.patch(&path, &json!({"name": "Renamed"})), 200)["custom_fields"], json!({}));
        assert_eq!(expect_json(admin.get(&contacts), 200)["items"][0]["custom_fields"], json!({}));
        let changed = expect_json(admin.patch(&path, &json!({"custom_fields": {"tier": 3}})), 200);
        assert_eq!(changed["custom_fields"], json!({"tier": 3}));
    }

    fn other_tenant_definition_is_404(server) {
        server.business("acme");
        server.business("umbrella");
        let acme = server.user("acme", "admin@acme.test", Role::Admin);
        let umbrella = server.user("umbrella", "admin@umbrella.test", Role::SuperAdmin);
        let ids = define_account_fields(&acme);
        let tier = &ids[0];

        expect_problem(umbrella.patch(&format!("/api/v1/custom-fields/{tier}"), &json!({"label": "Mine"})), 404, "not_found", None);
        expect_problem(umbrella.delete(&format!("/api/v1/custom-fields/{tier}")), 404, "not_found", None);
        assert_eq!(expect_json(umbrella.get("/api/v1/custom-fields"), 200), json!([]));
        expect_problem(create_account(&umbrella, json!({"tier": "Gold"})), 422, "validation_failed", Some("custom_fields.tier"));

        let fields = expect_json(acme.get("/api/v1/custom-fields"), 200);
        assert_eq!(fields[0]["label"], "Tier", "the owner's definition is unchanged");
        assert_eq!(keys(&fields).len(), 5);
    }
}
