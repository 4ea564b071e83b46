//! Accounts over HTTP: create, read, change, delete, list filters and paging, and tenancy.

mod common;

use common::{expect_json, expect_problem};
use crm_core::Role;
use serde_json::{json, Value};

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|item| item["id"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn names(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|item| item["name"].as_str().unwrap_or_default().to_owned())
        .collect()
}

backend_tests! {
    fn create_read_update_delete(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);

        let created = expect_json(
            admin.post("/api/v1/accounts", &json!({
                "name": "  Globex  ", "domain": "https://www.Globex.com/about", "industry": "Energy",
                "stage": "onboarding", "renewal_date": "2027-03-31"
            })),
            201,
        );
        assert_eq!(created["name"], "Globex");
        assert_eq!(created["domain"], "globex.com");
        assert_eq!(created["stage"], "onboarding");
        assert_eq!(created["health_score"], Value::Null);
        let id = created["id"].as_str().expect("id").to_owned();

        let read = expect_json(admin.get(&format!("/api/v1/accounts/{id}")), 200);
        assert_eq!(read, created);

        let updated = expect_json(admin.patch(&format!("/api/v1/accounts/{id}"), &json!({"industry": null, "at_risk": true, "at_risk_reasons": ["competitor", "low_usage"]})), 200);
        assert_eq!(updated["industry"], Value::Null);
        assert_eq!(updated["name"], "Globex", "fields not sent stay as they were");
        assert_eq!(updated["renewal_date"], "2027-03-31");
        assert_eq!(updated["at_risk_reasons"], json!(["low_usage", "competitor"]));

        let cleared = expect_json(admin.patch(&format!("/api/v1/accounts/{id}"), &json!({"at_risk": false})), 200);
        assert_eq!(cleared["at_risk_reasons"], json!([]), "clearing the flag clears the reasons");

        assert_eq!(admin.delete(&format!("/api/v1/accounts/{id}")).status(), 204);
        expect_problem(admin.get(&format!("/api/v1/accounts/{id}")), 404, "not_found", None);
        expect_problem(admin.delete(&format!("/api/v1/accounts/{id}")), 404, "not_found", None);
    }

    fn stage_change_writes_system_activity(server) {
        server.business("acme");
        let manager = server.user("acme", "csm@acme.test", Role::Manager);
        let account = expect_json(manager.post("/api/v1/accounts", &json!({"name": "Initech", "stage": "active"})), 201);
        let id = account["id"].as_str().expect("id");

        expect_json(manager.patch(&format!("/api/v1/accounts/{id}"), &json!({"stage": "renewal"})), 200);
        expect_json(manager.patch(&format!("/api/v1/accounts/{id}"), &json!({"stage": "renewal"})), 200);

        let timeline = expect_json(manager.get(&format!("/api/v1/accounts/{id}/activities")), 200);
        assert_eq!(timeline["total"], 1, "an unchanged stage writes nothing: {timeline}");
        assert_eq!(timeline["items"][0]["kind"], "system");
        assert_eq!(timeline["items"][0]["subject"], "Stage changed from Active to Renewal");
    }

    fn validation_names_fields(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);

        let problem = expect_problem(
            admin.post("/api/v1/accounts", &json!({"name": " ", "domain": "not a domain", "at_risk_reasons": ["other"]})),
            422,
            "validation_failed",
            Some("name"),
        );
        let fields: Vec<&str> = problem["errors"].as_array().into_iter().flatten().filter_map(|error| error["field"].as_str()).collect();
        assert!(fields.contains(&"domain"), "{problem}");
        assert!(fields.contains(&"at_risk_reasons"), "{problem}");

        expect_problem(admin.post("/api/v1/accounts", &json!({"name": "X", "stage": "live"})), 422, "invalid_body", Some("stage"));
        expect_problem(admin.post("/api/v1/accounts", &json!({"name": "X", "colour": "red"})), 422, "invalid_body", Some("colour"));
        expect_problem(admin.post("/api/v1/accounts", &json!({"name": 7})), 422, "invalid_body", Some("name"));
        let account = expect_json(admin.post("/api/v1/accounts", &json!({"name": "Kept"})), 201);
        let path = format!("/api/v1/accounts/{}", account["id"].as_str().expect("id"));
        expect_problem(admin.patch(&path, &json!({"name": null})), 422, "invalid_body", Some("name"));
        expect_problem(admin.patch(&path, &json!({"stage": null})), 422, "invalid_body", Some("stage"));
        expect_problem(admin.patch(&path, &json!({"renewal_date": "-4714-01-01"})), 422, "validation_failed", Some("renewal_date"));
        expect_problem(
            admin.post("/api/v1/accounts", &json!({"name": "Old", "renewal_date": "1850-01-01"})),
            422,
            "validation_failed",
            Some("renewal_date"),
        );
        expect_problem(
            admin.post(&format!("{path}/activities"), &json!({"kind": "note", "subject": "x", "occurred_at": "-5000-01-01T00:00:00Z"})),
            422,
            "validation_failed",
            Some("occurred_at"),
        );
        expect_problem(admin.post("/api/v1/accounts", &json!({"name": "X", "csm_id": "not-a-uuid"})), 422, "invalid_body", Some("csm_id"));
        expect_problem(
            admin.post("/api/v1/accounts", &json!({"name": "X", "csm_id": "01900000-0000-7000-8000-000000000000"})),
            422,
            "validation_failed",
            Some("csm_id"),
        );
        expect_problem(
            admin.send_raw(reqwest::Method::POST, "/api/v1/accounts", "application/json", b"{\"name\":".to_vec()),
            400,
            "malformed_json",
            None,
        );
        expect_problem(
            admin.send_raw(reqwest::Method::POST, "/api/v1/accounts", "text/plain", b"{}".to_vec()),
            415,
            "unsupported_media_type",
            None,
        );
        expect_problem(
            admin.send_raw(reqwest::Method::POST, "/api/v1/accounts", "application/json", b"[\"X\"]".to_vec()),
            422,
            "invalid_body",
            Some("body"),
        );
        let wrong_method = admin.send_raw(reqwest::Method::PUT, "/api/v1/accounts", "application/json", b"{}".to_vec());
        assert_eq!(wrong_method.headers().get("allow").and_then(|value| value.to_str().ok()), Some("GET, POST"));
        expect_problem(wrong_method, 405, "method_not_allowed", None);
        let huge = format!("{{\"name\": \"{}\"}}", "x".repeat(2 * 1024 * 1024));
        expect_problem(admin.send_raw(reqwest::Method::POST, "/api/v1/accounts", "application/json", huge.into_bytes()), 413, "body_too_large", None);
    }

    fn domain_is_unique_per_business(server) {
        server.business("acme");
        server.business("umbrella");
        let acme = server.user("acme", "admin@acme.test", Role::Admin);
        let umbrella = server.user("umbrella", "admin@umbrella.test", Role::Admin);

        expect_json(acme.post("/api/v1/accounts", &json!({"name": "Globex", "domain": "globex.com"})), 201);
        expect_problem(acme.post("/api/v1/accounts", &json!({"name": "Globex 2", "domain": "GLOBEX.com"})), 409, "domain_taken", Some("domain"));
        expect_json(umbrella.post("/api/v1/accounts", &json!({"name": "Globex", "domain": "globex.com"})), 201);
    }

    fn other_tenant_gets_404(server) {
        server.business("acme");
        server.business("umbrella");
        let acme = server.user("acme", "admin@acme.test", Role::Admin);
        let umbrella = server.user("umbrella", "admin@umbrella.test", Role::Admin);
        let account = expect_json(acme.post("/api/v1/accounts", &json!({"name": "Globex"})), 201);
        let id = account["id"].as_str().expect("id");

        expect_problem(umbrella.get(&format!("/api/v1/accounts/{id}")), 404, "not_found", None);
        expect_problem(umbrella.patch(&format!("/api/v1/accounts/{id}"), &json!({"name": "Mine"})), 404, "not_found", None);
        expect_problem(umbrella.delete(&format!("/api/v1/accounts/{id}")), 404, "not_found", None);
        expect_problem(umbrella.get(&format!("/api/v1/accounts/{id}/contacts")), 404, "not_found", None);
        expect_problem(umbrella.post(&format!("/api/v1/accounts/{id}/activities"), &json!({"kind": "note", "subject": "x"})), 404, "not_found", None);
        let list = expect_json(umbrella.get("/api/v1/accounts"), 200);
        assert_eq!(list["total"], 0);
        assert_eq!(expect_json(acme.get(&format!("/api/v1/accounts/{id}")), 200)["name"], "Globex", "the owner still sees it unchanged");
    }

    fn list_filters_sort_and_search(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let me = expect_json(admin.get("/api/v1/me"), 200);
        let my_id = me["user"]["id"].as_str().expect("user id").to_owned();
        for (name, domain, stage, at_risk) in [
            ("beta corp", "beta.io", "active", false),
            ("Alpha Inc", "alpha.com", "renewal", true),
            ("Gamma_50% LLC", "gamma.dev", "active", false),
        ] {
            let mut body = json!({"name": name, "domain": domain, "stage": stage, "at_risk": at_risk});
            if at_risk {
                body["at_risk_reasons"] = json!(["budget_cuts"]);
                body["csm_id"] = json!(my_id);
            }
            expect_json(admin.post("/api/v1/accounts", &body), 201);
        }

        assert_eq!(names(&expect_json(admin.get("/api/v1/accounts"), 200)), ["Alpha Inc", "beta corp", "Gamma_50% LLC"], "name sort ignores case");
        assert_eq!(names(&expect_json(admin.get("/api/v1/accounts?sort=-name"), 200)), ["Gamma_50% LLC", "beta corp", "Alpha Inc"]);
        assert_eq!(names(&expect_json(admin.get("/api/v1/accounts?stage=active"), 200)), ["beta corp", "Gamma_50% LLC"]);
        assert_eq!(names(&expect_json(admin.get("/api/v1/accounts?at_risk=true"), 200)), ["Alpha Inc"]);
        assert_eq!(names(&expect_json(admin.get(&format!("/api/v1/accounts?csm_id={my_id}")), 200)), ["Alpha Inc"]);
        assert_eq!(names(&expect_json(admin.get("/api/v1/accounts?q=BETA"), 200)), ["beta corp"]);
        assert_eq!(names(&expect_json(admin.get("/api/v1/accounts?q=.dev"), 200)), ["Gamma_50% LLC"], "search covers the domain");
        assert_eq!(names(&expect_json(admin.get("/api/v1/accounts?q=50%25"), 200)), ["Gamma_50% LLC"], "% matches literally");
        assert_eq!(expect_json(admin.get("/api/v1/accounts?q=_"), 200)["total"], 1, "_ matches literally");

        expect_problem(admin.get("/api/v1/accounts?sort=colour"), 422, "validation_failed", Some("sort"));
        expect_problem(admin.get("/api/v1/accounts?stage=live"), 400, "invalid_query", Some("stage"));
        expect_problem(admin.get("/api/v1/accounts?limit=201"), 422, "validation_failed", Some("limit"));
        expect_problem(admin.get("/api/v1/accounts?limit=0"), 422, "validation_failed", Some("limit"));
        expect_problem(admin.get("/api/v1/accounts?offset=-1"), 422, "validation_failed", Some("offset"));
        expect_problem(admin.get("/api/v1/accounts?cursor=garbage"), 422, "validation_failed", Some("cursor"));
        expect_problem(admin.get("/api/v1/accounts?unknown=1"), 400, "invalid_query", Some("unknown"));
    }

    fn cursor_pages_ties_without_gaps(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        // Seven accounts share one name and renewal date, so only the id orders them.
        let mut created = Vec::new();
        for index in 0..7 {
            let renewal = if index < 5 { json!("2027-01-01") } else { Value::Null };
            let account = expect_json(admin.post("/api/v1/accounts", &json!({"name": "Same", "renewal_date": renewal})), 201);
            created.push(account["id"].as_str().expect("id").to_owned());
        }

        for sort in ["name", "-name", "renewal_date", "-renewal_date", "health_score", "created_at", "-updated_at"] {
            let mut seen = Vec::new();
            let mut path = format!("/api/v1/accounts?limit=2&sort={sort}");
            loop {
                let page = expect_json(admin.get(&path), 200);
                assert_eq!(page["total"], 7);
                seen.extend(ids(&page));
                match page["next_cursor"].as_str() {
                    Some(cursor) => path = format!("/api/v1/accounts?limit=2&sort={sort}&cursor={cursor}"),
                    None => break,
                }
            }
            let mut sorted_seen = seen.clone();
            sorted_seen.sort();
            sorted_seen.dedup();
            assert_eq!(seen.len(), 7, "{sort}: every row exactly once: {seen:?}");
            assert_eq!(sorted_seen.len(), 7, "{sort}: no row repeated");
        }

        let page = expect_json(admin.get("/api/v1/accounts?limit=2&sort=renewal_date"), 200);
        let cursor = page["next_cursor"].as_str().expect("a next cursor");
        expect_problem(admin.get(&format!("/api/v1/accounts?sort=name&cursor={cursor}")), 422, "validation_failed", Some("cursor"));
        expect_problem(admin.get(&format!("/api/v1/accounts?offset=2&cursor={cursor}")), 422, "validation_failed", Some("cursor"));

        let nulls_last = expect_json(admin.get("/api/v1/accounts?sort=-renewal_date&limit=200"), 200);
        let dates: Vec<Value> = nulls_last["items"].as_array().into_iter().flatten().map(|item| item["renewal_date"].clone()).collect();
        assert_eq!(dates.last(), Some(&Value::Null), "empty dates sort last even descending");
        assert_ne!(dates.first(), Some(&Value::Null));
    }

    fn cursor_pages_non_ascii_names(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        for name in ["Ärzte Zentrum", "Ölwerk Nord", "Édition Bleue", "ÄÄ First", "İstanbul Tekstil", "zed", "Alpha"] {
            expect_json(admin.post("/api/v1/accounts", &json!({"name": name})), 201);
        }

        for sort in ["name", "-name"] {
            let mut seen = Vec::new();
            let mut path = format!("/api/v1/accounts?limit=1&sort={sort}");
            for _ in 0..20 {
                let page = expect_json(admin.get(&path), 200);
                seen.extend(ids(&page));
                match page["next_cursor"].as_str() {
                    Some(cursor) => path = format!("/api/v1/accounts?limit=1&sort={sort}&cursor={cursor}"),
                    None => break,
                }
            }
            let mut distinct = seen.clone();
            distinct.sort();
            distinct.dedup();
            assert_eq!(seen.len(), 7, "{sort}: seven pages of one: {seen:?}");
            assert_eq!(distinct.len(), 7, "{sort}: no account repeated");
        }
    }

    fn unauthenticated_requests_get_401(server) {
        let anonymous = server.anonymous();
        expect_problem(anonymous.get("/api/v1/accounts"), 401, "unauthenticated", None);
        let mut forged = server.anonymous();
        forged.token = Some("mcs_forged".into());
        expect_problem(forged.get("/api/v1/accounts"), 401, "unauthenticated", None);
    }
}
