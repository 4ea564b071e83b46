//! Signal ingestion over HTTP: upserts by external id, per-item errors, matching to
//! accounts by email domain and billing customer id, lists, roles and tenancy.

#![allow(clippy::expect_used)]

mod common;

use common::{expect_json, expect_problem, id_of, ApiClient};
use crm_core::Role;
use serde_json::{json, Value};

fn account(client: &ApiClient, name: &str, domain: &str) -> String {
    id_of(&expect_json(client.post("/api/v1/accounts", &json!({"name": name, "domain": domain})), 201))
}

fn ticket(external_id: &str, email: &str, status: &str) -> Value {
    json!({
        "external_id": external_id, "subject": "Cannot export", "status": status,
        "reporter_email": email, "opened_at": "2026-06-01T09:00:00Z"
    })
}

fn error_fields(result: &Value) -> Vec<(u64, String)> {
    result["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|error| {
            (error["index"].as_u64().unwrap_or(u64::MAX), error["field"].as_str().unwrap_or_default().to_owned())
        })
        .collect()
}

backend_tests! {
    fn tickets_upsert_by_external_id_and_match_parent_domains(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let acme = account(&admin, "Acme", "acme.com");
        let eu = account(&admin, "Acme Europe", "eu.acme.com");

        let batch = json!({"items": [
            ticket("T-1", "Ana@ACME.com", "open"),
            ticket("T-2", "bo@support.eu.acme.com", "pending"),
            ticket("T-3", "cy@acme.com.evil.test", "open"),
            ticket("T-4", "not-an-email", "open"),
            {"external_id": "T-5", "subject": "x", "status": "escalated", "reporter_email": "a@acme.com", "opened_at": "2026-06-01T09:00:00Z"},
            {"external_id": "T-6", "status": "open"},
            ticket("T-1", "ana@acme.com", "solved"),
        ]});
        let result = expect_json(admin.post("/api/v1/support-tickets", &batch), 200);
        assert_eq!((result["created"].as_u64(), result["updated"].as_u64(), result["unchanged"].as_u64()), (Some(2), Some(0), Some(0)), "{result}");
        assert_eq!(
            error_fields(&result),
            vec![(2, "reporter_email".into()), (3, "reporter_email".into()), (4, "status".into()), (5, "subject".into()), (6, "external_id".into())],
            "{result}"
        );
        assert_eq!(result["errors"][0]["external_id"], "T-3");

        let listed = expect_json(admin.get("/api/v1/support-tickets"), 200);
        assert_eq!(listed["total"], 2);
        let owner_of = |external_id: &str| {
            listed["items"].as_array().into_iter().flatten().find(|item| item["external_id"] == external_id).map(|item| item["account_id"].clone())
        };
        assert_eq!(owner_of("T-1"), Some(json!(acme)), "the exact domain owns the ticket");
        assert_eq!(owner_of("T-2"), Some(json!(eu)), "the nearest parent owns the ticket");

        // The same batch again changes nothing; a changed status updates.
        let again = json!({"items": [ticket("T-1", "ana@acme.com", "open"), ticket("T-2", "bo@support.eu.acme.com", "pending")]});
        let result = expect_json(admin.post("/api/v1/support-tickets", &again), 200);
        assert_eq!((result["created"].as_u64(), result["updated"].as_u64(), result["unchanged"].as_u64()), (Some(0), Some(0), Some(2)), "{result}");
        let mut solved = ticket("T-1", "ana@acme.com", "solved");
        solved["solved_at"] = json!("2026-06-03T10:00:00Z");
        solved["reopened_at"] = json!(["2026-06-04T08:00:00Z"]);
        let result = expect_json(admin.post("/api/v1/support-tickets", &json!({"items": [solved]})), 200);
        assert_eq!(result["updated"], 1, "{result}");
        let listed = expect_json(admin.get("/api/v1/support-tickets?status=solved"), 200);
        assert_eq!(listed["total"], 1);
        assert_eq!(listed["items"][0]["reopened_at"], json!(["2026-06-04T08:00:00Z"]));
        assert_eq!(expect_json(admin.get("/api/v1/support-tickets"), 200)["total"], 2, "updates never duplicate");
        let filtered = expect_json(admin.get(&format!("/api/v1/support-tickets?account_id={eu}")), 200);
        assert_eq!(filtered["total"], 1);
    }

    fn ticket_dates_are_checked(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        account(&admin, "Acme", "acme.com");
        let mut early_solve = ticket("T-1", "a@acme.com", "solved");
        early_solve["solved_at"] = json!("2026-05-01T00:00:00Z");
        let mut early_reopen = ticket("T-2", "a@acme.com", "open");
        early_reopen["reopened_at"] = json!(["2026-05-01T00:00:00Z"]);
        let mut far = ticket("T-3", "a@acme.com", "open");
        far["opened_at"] = json!("9999-01-01T00:00:00Z");
        let result = expect_json(admin.post("/api/v1/support-tickets", &json!({"items": [early_solve, early_reopen, far]})), 200);
        assert_eq!(result["created"], 0);
        assert_eq!(error_fields(&result), vec![(0, "solved_at".into()), (1, "reopened_at".into()), (2, "opened_at".into())]);
    }

    fn batches_hold_one_to_a_thousand_items(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        expect_problem(admin.post("/api/v1/support-tickets", &json!({"items": []})), 422, "validation_failed", Some("items"));
        let many: Vec<Value> = (0..1001).map(|n| ticket(&format!("T-{n}"), "a@acme.com", "open")).collect();
        expect_problem(admin.post("/api/v1/usage-events", &json!({"items": many})), 422, "validation_failed", Some("items"));
        expect_problem(admin.post("/api/v1/survey-responses", &json!({"records": []})), 422, "invalid_body", Some("records"));
        expect_problem(admin.post("/api/v1/subscriptions", &json!({"items": "all"})), 422, "invalid_body", Some("items"));
    }

    fn survey_scores_follow_their_kind(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        account(&admin, "Acme", "acme.com");
        let response = |id: &str, kind: &str, score: i64| json!({
            "external_id": id, "respondent_email": "ana@acme.com", "kind": kind, "score": score,
            "responded_at": "2026-06-01T09:00:00Z", "comment": "Fine"
        });
        let batch = json!({"items": [
            response("S-1", "nps", 0), response("S-2", "nps", 10), response("S-3", "nps", 11),
            response("S-4", "csat", 0), response("S-5", "csat", 5), response("S-6", "ces", 3),
        ]});
        let result = expect_json(admin.post("/api/v1/survey-responses", &batch), 200);
        assert_eq!(result["created"], 3, "{result}");
        assert_eq!(error_fields(&result), vec![(2, "score".into()), (3, "score".into()), (5, "kind".into())]);
        let nps = expect_json(admin.get("/api/v1/survey-responses?status=nps"), 200);
        assert_eq!(nps["total"], 2, "a score of 0 is a real answer");
        expect_problem(admin.get("/api/v1/survey-responses?status=ces"), 422, "validation_failed", Some("status"));
    }

    fn subscriptions_match_by_account_or_billing_customer(server) {
        server.business("acme");
        server.business("umbrella");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let other = server.user("umbrella", "admin@umbrella.test", Role::Admin);
        let acme = account(&admin, "Acme", "acme.com");
        expect_json(admin.patch(&format!("/api/v1/accounts/{acme}"), &json!({"billing_customer_id": "cus_1"})), 200);
        let foreign = account(&other, "Umbrella", "umbrella.com");

        let subscription = |id: &str, key: (&str, &str)| {
            let mut item = json!({
                "external_id": id, "plan_name": "Growth", "status": "active", "quantity": 10,
                "unit_amount": 4900, "currency": "usd", "interval": "month",
                "current_period_start": "2026-06-01T00:00:00Z", "current_period_end": "2026-07-01T00:00:00Z"
            });
            item[key.0] = json!(key.1);
            item
        };
        let mut backwards = subscription("SUB-5", ("account_id", &acme));
        backwards["current_period_end"] = json!("2026-05-01T00:00:00Z");
        let mut negative = subscription("SUB-6", ("account_id", &acme));
        negative["unit_amount"] = json!(-1);
        let mut huge = subscription("SUB-8", ("account_id", &acme));
        huge["unit_amount"] = json!(i64::MAX);
        let batch = json!({"items": [
            subscription("SUB-1", ("account_id", &acme)),
            subscription("SUB-2", ("billing_customer_id", "cus_1")),
            subscription("SUB-3", ("billing_customer_id", "cus_unknown")),
            subscription("SUB-4", ("account_id", &foreign)),
            backwards,
            negative,
            subscription("SUB-7", ("plan_note", "x")),
            huge,
        ]});
        let result = expect_json(admin.post("/api/v1/subscriptions", &batch), 200);
        assert_eq!(result["created"], 2, "{result}");
        assert_eq!(
            error_fields(&result),
            vec![
                (2, "billing_customer_id".into()),
                (3, "account_id".into()),
                (4, "current_period_end".into()),
                (5, "unit_amount".into()),
                (6, "plan_note".into()),
                (7, "unit_amount".into()),
            ]
        );
        let listed = expect_json(admin.get("/api/v1/subscriptions"), 200);
        assert_eq!(listed["total"], 2);
        assert!(listed["items"].as_array().into_iter().flatten().all(|item| item["account_id"] == json!(acme) && item["currency"] == "USD"));
        assert_eq!(expect_json(other.get("/api/v1/subscriptions"), 200)["total"], 0, "tenants see only their own");
    }

    fn usage_events_match_by_domain(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let acme = account(&admin, "Acme", "acme.com");
        let event = |id: &str, key: (&str, &str)| {
            let mut item = json!({"external_id": id, "event": "report_exported", "occurred_at": "2026-06-01T09:00:00Z", "user_email": "ana@acme.com"});
            item[key.0] = json!(key.1);
            item
        };
        let batch = json!({"items": [
            event("U-1", ("domain", "app.acme.com")),
            event("U-2", ("account_id", &acme)),
            event("U-3", ("domain", "globex.com")),
            event("U-4", ("domain", "localhost")),
            {"external_id": "U-5", "event": "login", "occurred_at": "2026-06-01T09:00:00Z"},
        ]});
        let result = expect_json(admin.post("/api/v1/usage-events", &batch), 200);
        assert_eq!(result["created"], 2, "{result}");
        assert_eq!(error_fields(&result), vec![(2, "domain".into()), (3, "domain".into()), (4, "account_id".into())]);
        let listed = expect_json(admin.get("/api/v1/usage-events?status=report_exported&from=2026-06-01T00:00:00Z&to=2026-06-02T00:00:00Z"), 200);
        assert_eq!(listed["total"], 2);
        let none = expect_json(admin.get("/api/v1/usage-events?from=2026-06-02T00:00:00Z"), 200);
        assert_eq!(none["total"], 0);
    }

    fn members_read_but_do_not_send(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        expect_json(admin.patch("/api/v1/settings", &json!({"allowed_roles": ["member", "manager", "admin", "super_admin"]})), 200);
        let member = server.user("acme", "member@acme.test", Role::Member);
        account(&admin, "Acme", "acme.com");
        expect_problem(member.post("/api/v1/support-tickets", &json!({"items": [ticket("T-1", "a@acme.com", "open")]})), 403, "forbidden", None);
        expect_json(member.get("/api/v1/support-tickets"), 200);
        expect_problem(server.anonymous().get("/api/v1/usage-events"), 401, "unauthenticated", None);
    }

    fn signal_files_import_through_preview_and_commit(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let acme = account(&admin, "Acme", "acme.com");
        let csv = "External ID,Subject,Status,Reporter Email,Opened At,Solved At,Reopened At,Priority\r\n\
            T-1,Export fails,open,ana@acme.com,2026-06-01,,,high\r\n\
            T-2,\"Login, again\",solved,bo@eu.acme.com,2026-06-02 09:30,2026-06-03T10:00:00Z,2026-06-04;2026-06-05 08:00,low\r\n\
            \r\n\
            T-3,Unknown,open,cy@globex.com,2026-06-01,,,\r\n\
            T-4,Bad status,closed-ish,ana@acme.com,yesterday,,,\r\n";
        let upload = |body: &str| admin.send_raw(reqwest::Method::POST, "/api/v1/imports/support-tickets/preview", "text/csv", body.as_bytes().to_vec());
        let preview = expect_json(upload(csv), 200);
        assert_eq!(preview["kind"], "support_tickets");
        assert_eq!(preview["counts"], json!({"new": 2, "updated": 0, "unchanged": 0, "invalid": 2}), "{preview}");
        assert_eq!(preview["columns"][7], json!({"header": "Priority", "field": null}));
        let issues: Vec<(u64, String)> = preview["errors"].as_array().into_iter().flatten()
            .map(|issue| (issue["row"].as_u64().unwrap_or(0), issue["field"].as_str().unwrap_or_default().to_owned()))
            .collect();
        assert_eq!(issues, vec![(3, "reporter_email".into()), (4, "opened_at".into())], "rows count after the header, blank lines skipped");
        assert_eq!(expect_json(admin.get("/api/v1/support-tickets"), 200)["total"], 0, "a preview writes nothing");

        let import_id = preview["import_id"].as_str().unwrap_or_default().to_owned();
        let committed = expect_json(admin.post(&format!("/api/v1/imports/{import_id}/commit"), &json!({})), 200);
        assert_eq!(committed["counts"], preview["counts"]);
        expect_problem(admin.post(&format!("/api/v1/imports/{import_id}/commit"), &json!({})), 409, "import_already_committed", None);
        let listed = expect_json(admin.get("/api/v1/support-tickets?status=solved"), 200);
        assert_eq!(listed["total"], 1);
        assert_eq!(listed["items"][0]["subject"], "Login, again");
        assert_eq!(listed["items"][0]["account_id"], json!(acme));
        assert_eq!(listed["items"][0]["opened_at"], "2026-06-02T09:30:00Z");
        assert_eq!(listed["items"][0]["reopened_at"], json!(["2026-06-04T00:00:00Z", "2026-06-05T08:00:00Z"]));

        let again = expect_json(upload(csv), 200);
        assert_eq!(again["counts"], json!({"new": 0, "updated": 0, "unchanged": 2, "invalid": 2}));

        expect_problem(upload("subject,status\nA,open\n"), 422, "validation_failed", Some("file"));
        expect_problem(upload(""), 422, "validation_failed", Some("file"));
        expect_problem(admin.send_raw(reqwest::Method::POST, "/api/v1/imports/invoices/preview", "text/csv", b"external_id\nA\n".to_vec()), 404, "not_found", None);
        let events = "external_id,domain,event,occurred_at\nU-1,app.acme.com,login,2026-06-01\n";
        let preview = expect_json(admin.send_raw(reqwest::Method::POST, "/api/v1/imports/usage-events/preview", "text/csv", events.as_bytes().to_vec()), 200);
        assert_eq!(preview["counts"]["new"], 1);
    }

    fn parallel_batches_never_fail(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let acme = account(&admin, "Acme", "acme.com");
        // Half the requests send the same new record, half their own; all must succeed.
        let statuses: Vec<u16> = std::thread::scope(|threads| {
            let handles: Vec<_> = (0..12)
                .map(|n| {
                    let admin = &admin;
                    let acme = &acme;
                    threads.spawn(move || {
                        let id = if n % 2 == 0 { "shared".to_owned() } else { format!("own-{n}") };
                        let body = json!({"items": [{"external_id": id, "account_id": acme, "event": "login", "occurred_at": "2026-06-01T00:00:00Z"}]});
                        admin.post("/api/v1/usage-events", &body).status().as_u16()
                    })
                })
                .collect();
            handles.into_iter().map(|handle| handle.join().unwrap_or(0)).collect()
        });
        assert!(statuses.iter().all(|status| *status == 200), "{statuses:?}");
        assert_eq!(expect_json(admin.get("/api/v1/usage-events"), 200)["total"], 7, "one shared record and six own ones");
    }

    fn odd_inputs_are_handled_per_item(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        account(&admin, "Пример", "пример.рф");
        let leap = json!({"external_id": "T-leap", "subject": "Leap", "status": "open", "reporter_email": "ana@ПРИМЕР.рф", "opened_at": "2016-12-31T23:59:60Z"});
        let long_id = "x".repeat(5_000);
        let mut many_reopens = ticket("T-many", "ana@xn--e1afmkfd.xn--p1ai", "open");
        many_reopens["reopened_at"] = json!(vec!["2026-06-02T00:00:00Z"; 1_001]);
        let result = expect_json(admin.post("/api/v1/support-tickets", &json!({"items": [leap.clone(), ticket(&long_id, "ana@пример.рф", "open"), many_reopens]})), 200);
        assert_eq!(result["created"], 1, "{result}");
        assert_eq!(error_fields(&result), vec![(1, "external_id".into()), (2, "reopened_at".into())]);
        assert_eq!(result["errors"][0]["external_id"].as_str().map(str::len), Some(200), "echoed ids are cut short");
        let again = expect_json(admin.post("/api/v1/support-tickets", &json!({"items": [leap]})), 200);
        assert_eq!(again["unchanged"], 1, "a leap second is stored the same way every time: {again}");
        let stored = expect_json(admin.get("/api/v1/support-tickets"), 200);
        assert_eq!(stored["items"][0]["opened_at"], "2016-12-31T23:59:59.999999Z");
    }
}
