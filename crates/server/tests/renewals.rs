//! The renewal pipeline over HTTP for a fixed date: windows and their edges, stages and
//! their reasons, annual revenue per currency, the summary, the CSV and tenancy.

#![allow(clippy::expect_used)]

mod common;

use common::{expect_json, expect_problem, id_of, ApiClient, TestServer};
use crm_core::Role;
use diesel::connection::SimpleConnection;
use serde_json::{json, Value};

const AS_OF: &str = "2026-06-30";

fn account(client: &ApiClient, body: Value) -> String {
    id_of(&expect_json(client.post("/api/v1/accounts", &body), 201))
}

#[allow(clippy::too_many_arguments)]
fn subscription(
    id: &str,
    account_id: &str,
    status: &str,
    interval: &str,
    quantity: i64,
    unit: i64,
    currency: &str,
    end: &str,
) -> Value {
    json!({
        "external_id": id, "account_id": account_id, "plan_name": "Growth", "status": status, "quantity": quantity,
        "unit_amount": unit, "currency": currency, "interval": interval,
        "current_period_start": "2025-06-01T00:00:00Z", "current_period_end": end
    })
}

fn execute(server: &TestServer, sql: &str) {
    let mut connection = server.app.connection().expect("a connection to the test database");
    connection.batch_execute(sql).expect("run SQL on the test database");
}

/// Entries as (account name, days to renewal, stage, reason).
fn entries(page: &Value) -> Vec<(String, i64, String, String)> {
    page["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|item| {
            (
                item["account"]["name"].as_str().unwrap_or_default().to_owned(),
                item["days_to_renewal"].as_i64().unwrap_or(i64::MIN),
                item["stage"].as_str().unwrap_or_default().to_owned(),
                item["stage_reason"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn entry(name: &str, days: i64, stage: &str, reason: &str) -> (String, i64, String, String) {
    (name.to_owned(), days, stage.to_owned(), reason.to_owned())
}

/// Creates a book with one renewal per rule and window edge.
fn book(server: &TestServer, admin: &ApiClient, csm_id: &str) {
    let alpha = account(admin, json!({"name": "Alpha", "stage": "active", "csm_id": csm_id}));
    let beta = account(admin, json!({"name": "Beta", "stage": "active"}));
    let gamma = account(admin, json!({"name": "Gamma", "stage": "active"}));
    let delta = account(admin, json!({"name": "Delta", "stage": "renewal"}));
    let epsilon = account(
        admin,
        json!({"name": "Epsilon", "stage": "active", "at_risk": true, "at_risk_reasons": ["competitor"]}),
    );
    let zeta = account(admin, json!({"name": "Zeta", "stage": "active"}));
    let eta = account(admin, json!({"name": "Eta", "stage": "expanding"}));
    let theta = account(admin, json!({"name": "Theta", "stage": "active"}));
    let kappa = account(admin, json!({"name": "Kappa", "stage": "active", "renewal_date": "2026-07-10"}));
    let mu = account(admin, json!({"name": "Mu", "stage": "expanding"}));
    account(admin, json!({"name": "Iota", "stage": "active", "csm_id": csm_id, "renewal_date": "2026-07-15"}));
    account(admin, json!({"name": "Lambda", "stage": "churned", "renewal_date": "2026-07-20"}));
    account(admin, json!({"name": "Nu", "stage": "active", "renewal_date": "2026-09-29"}));
    execute(server, "UPDATE accounts SET health_score = 30 WHERE name = 'Zeta'");
    execute(server, "UPDATE accounts SET health_score = 90 WHERE name <> 'Zeta'");

    let mut ending = subscription("S3", &gamma, "active", "month", 2, 5_000, "EUR", "2026-07-31T09:00:00Z");
    ending["cancel_at_period_end"] = json!(true);
    let result = expect_json(
        admin.post(
            "/api/v1/subscriptions",
            &json!({"items": [
                // Day 1, the first day of every window.
                subscription("S1", &alpha, "active", "month", 10, 4_900, "USD", "2026-07-01T10:00:00Z"),
                // Day 30, the last day of the 30-day window.
                subscription("S2", &beta, "cancelled", "year", 1, 100_000, "EUR", "2026-07-30T23:59:59Z"),
                // Day 31, one past it.
                ending,
                subscription("S4", &delta, "past_due", "year", 1, 50_000, "USD", "2026-08-29T00:00:00Z"),
                subscription("S5", &epsilon, "active", "month", 1, 1_000, "USD", "2026-08-30T00:00:00Z"),
                // Day 90, the last day of the 90-day window; KWD has three decimals.
                subscription("S6", &zeta, "active", "year", 1, 1_234, "KWD", "2026-09-28T12:00:00Z"),
                // Day 91 and day 0 are out of every window.
                subscription("S7", &eta, "active", "year", 1, 9_999, "USD", "2026-09-29T00:00:00Z"),
                subscription("S8", &theta, "active", "year", 1, 9_999, "USD", "2026-06-30T23:59:59Z"),
                // Kappa has a subscription, so its own renewal date does not make an entry.
                subscription("S9", &kappa, "active", "year", 1, 9_999, "USD", "2027-03-01T00:00:00Z"),
                // JPY has no minor unit.
                subscription("S10", &mu, "trialing", "year", 3, 1_000, "JPY", "2026-08-01T00:00:00Z"),
            ]}),
        ),
        200,
    );
    assert_eq!(result["created"], 10, "{result}");
}

backend_tests! {
    fn pipeline_windows_stages_and_order(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let csm = server.user("acme", "csm@acme.test", Role::Manager);
        let csm_id = id_of(&expect_json(csm.get("/api/v1/me"), 200)["user"]);
        book(&server, &admin, &csm_id);

        let thirty = expect_json(admin.get(&format!("/api/v1/renewals?window=30&as_of={AS_OF}")), 200);
        assert_eq!(entries(&thirty), vec![
            entry("Alpha", 1, "on_track", ""),
            entry("Iota", 15, "on_track", ""),
            entry("Lambda", 20, "churning", "churned"),
            entry("Beta", 30, "churning", "cancelled"),
        ]);
        assert_eq!((thirty["total"].as_i64(), thirty["window"].as_i64(), thirty["as_of"].as_str()), (Some(4), Some(30), Some(AS_OF)));

        let alpha = &thirty["items"][0];
        assert_eq!(alpha["renewal_date"], "2026-07-01");
        assert_eq!(alpha["arr"], json!({"amount": 588_000, "currency": "USD"}), "4,900 × 10 × 12");
        assert_eq!(alpha["subscription"]["external_id"], "S1");
        assert_eq!(alpha["account"]["csm_id"], json!(csm_id));
        let iota = &thirty["items"][1];
        assert_eq!((iota["subscription"].clone(), iota["arr"].clone()), (Value::Null, Value::Null));
        assert_eq!(iota["renewal_date"], "2026-07-15");

        let sixty = expect_json(admin.get(&format!("/api/v1/renewals?window=60&as_of={AS_OF}")), 200);
        assert_eq!(entries(&sixty)[4..], [
            entry("Gamma", 31, "churning", "cancel_at_period_end"),
            entry("Mu", 32, "expanding", "expanding"),
            entry("Delta", 60, "at_risk", "past_due"),
        ]);
        let ninety = expect_json(admin.get(&format!("/api/v1/renewals?as_of={AS_OF}")), 200);
        assert_eq!(ninety["window"], 90, "90 days by default");
        assert_eq!(entries(&ninety)[7..], [entry("Epsilon", 61, "at_risk", "at_risk_flag"), entry("Zeta", 90, "at_risk", "low_health")]);
        assert_eq!(ninety["total"], 9);
        assert_eq!(ninety["items"][8]["arr"], json!({"amount": 1_234, "currency": "KWD"}));

        let churning = expect_json(admin.get(&format!("/api/v1/renewals?stage=churning&as_of={AS_OF}")), 200);
        let names: Vec<String> = entries(&churning).into_iter().map(|e| e.0).collect();
        assert_eq!(names, vec!["Lambda", "Beta", "Gamma"]);
        let mine = expect_json(admin.get(&format!("/api/v1/renewals?csm_id={csm_id}&as_of={AS_OF}")), 200);
        let names: Vec<String> = entries(&mine).into_iter().map(|e| e.0).collect();
        assert_eq!(names, vec!["Alpha", "Iota"]);
        let paged = expect_json(admin.get(&format!("/api/v1/renewals?as_of={AS_OF}&limit=2&offset=2")), 200);
        assert_eq!((entries(&paged).len(), paged["total"].as_i64()), (2, Some(9)));
        assert_eq!(paged["items"][0]["account"]["name"], "Lambda");
    }

    fn summary_sums_revenue_per_currency(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        book(&server, &admin, &id_of(&expect_json(admin.get("/api/v1/me"), 200)["user"]));
        let summary = expect_json(admin.get(&format!("/api/v1/renewals/summary?as_of={AS_OF}&stage=on_track")), 200);
        assert_eq!(summary["stages"], json!([
            {"stage": "churning", "count": 3, "arr": [{"amount": 220_000, "currency": "EUR"}]},
            {"stage": "at_risk", "count": 3, "arr": [{"amount": 1_234, "currency": "KWD"}, {"amount": 62_000, "currency": "USD"}]},
            {"stage": "expanding", "count": 1, "arr": [{"amount": 3_000, "currency": "JPY"}]},
            {"stage": "on_track", "count": 2, "arr": [{"amount": 588_000, "currency": "USD"}]},
        ]), "the summary counts every stage whatever the stage filter");
        assert_eq!(summary["total"], 9);
        assert_eq!(summary["total_arr"], json!([
            {"amount": 220_000, "currency": "EUR"}, {"amount": 3_000, "currency": "JPY"},
            {"amount": 1_234, "currency": "KWD"}, {"amount": 650_000, "currency": "USD"},
        ]));
        let thirty = expect_json(admin.get(&format!("/api/v1/renewals/summary?as_of={AS_OF}&window=30")), 200);
        assert_eq!(thirty["total"], 4);
    }

    fn csv_rows_equal_the_list(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let csm_email = "admin@acme.test";
        book(&server, &admin, &id_of(&expect_json(admin.get("/api/v1/me"), 200)["user"]));
        for filters in ["window=60", "window=90&stage=at_risk", "window=30&stage=expanding"] {
            let list = expect_json(admin.get(&format!("/api/v1/renewals?{filters}&as_of={AS_OF}&limit=200")), 200);
            let response = admin.get(&format!("/api/v1/renewals.csv?{filters}&as_of={AS_OF}"));
            assert_eq!(response.status().as_u16(), 200);
            assert!(response.headers()["content-type"].to_str().unwrap_or_default().starts_with("text/csv"));
            let text = response.text().expect("CSV text");
            let mut reader = csv::Reader::from_reader(text.as_bytes());
            let headers: Vec<String> = reader.headers().expect("headers").iter().map(str::to_owned).collect();
            assert_eq!(headers, ["account_id", "account", "csm", "renewal_date", "days_to_renewal", "subscription", "plan", "subscription_status", "arr", "currency", "stage", "stage_reason"]);
            let rows: Vec<Vec<String>> = reader.records().map(|record| record.expect("a record").iter().map(str::to_owned).collect()).collect();
            let items = list["items"].as_array().cloned().unwrap_or_default();
            assert_eq!(rows.len(), items.len(), "{filters}");
            for (row, item) in rows.iter().zip(&items) {
                assert_eq!(row[0], item["account"]["id"].as_str().unwrap_or_default());
                assert_eq!(row[1], item["account"]["name"].as_str().unwrap_or_default());
                assert_eq!(row[3], item["renewal_date"].as_str().unwrap_or_default());
                assert_eq!(row[4], item["days_to_renewal"].to_string());
                assert_eq!(row[5], item["subscription"]["external_id"].as_str().unwrap_or_default());
                assert_eq!(row[9], item["arr"]["currency"].as_str().unwrap_or_default());
                assert_eq!(row[10], item["stage"].as_str().unwrap_or_default());
                assert_eq!(row[11], item["stage_reason"].as_str().unwrap_or_default());
            }
        }
        let text = admin.get(&format!("/api/v1/renewals.csv?window=60&as_of={AS_OF}")).text().expect("CSV text");
        assert!(text.contains(&format!(",Alpha,{csm_email},2026-07-01,1,S1,Growth,active,5880.00,USD,on_track,\n")), "{text}");
        assert!(text.contains(",3000,JPY,expanding,expanding\n"), "yen have no decimals: {text}");
    }

    fn filters_are_checked_and_tenants_kept_apart(server) {
        server.business("acme");
        server.business("umbrella");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let stranger = server.user("umbrella", "admin@umbrella.test", Role::Admin);
        book(&server, &admin, &id_of(&expect_json(admin.get("/api/v1/me"), 200)["user"]));
        expect_problem(admin.get("/api/v1/renewals?window=45"), 422, "validation_failed", Some("window"));
        expect_problem(admin.get("/api/v1/renewals.csv?window=7"), 422, "validation_failed", Some("window"));
        expect_problem(admin.get("/api/v1/renewals?as_of=2026-13-01"), 400, "invalid_query", Some("as_of"));
        expect_problem(admin.get("/api/v1/renewals?as_of=0500-01-01"), 422, "validation_failed", Some("as_of"));
        expect_problem(admin.get("/api/v1/renewals/summary?stage=won"), 400, "invalid_query", Some("stage"));
        assert_eq!(expect_json(stranger.get(&format!("/api/v1/renewals?as_of={AS_OF}")), 200)["total"], 0);
        assert_eq!(expect_json(stranger.get(&format!("/api/v1/renewals/summary?as_of={AS_OF}")), 200)["total"], 0);
        expect_problem(server.anonymous().get("/api/v1/renewals"), 401, "unauthenticated", None);
    }

    fn proposals_are_generated_edited_and_moved(server) {
        server.business("acme");
        server.business("umbrella");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let stranger = server.user("umbrella", "admin@umbrella.test", Role::Admin);
        let acme = account(&admin, json!({"name": "Acme", "stage": "active"}));
        let created = expect_json(admin.post("/api/v1/subscriptions", &json!({"items": [
            subscription("S1", &acme, "active", "month", 10, 4_900, "USD", "2026-07-20T00:00:00Z"),
            subscription("S2", &acme, "active", "year", 3, 1_010, "JPY", "2026-08-20T00:00:00Z"),
        ]})), 200);
        assert_eq!(created["created"], 2);
        let page = expect_json(admin.get(&format!("/api/v1/renewals?as_of={AS_OF}")), 200);
        let subscription_id = |external: &str| {
            page["items"].as_array().into_iter().flatten()
                .find(|item| item["subscription"]["external_id"] == external)
                .and_then(|item| item["subscription"]["id"].as_str()).unwrap_or_default().to_owned()
        };
        let (usd, jpy) = (subscription_id("S1"), subscription_id("S2"));

        let draft = expect_json(admin.post(&format!("/api/v1/renewals/{usd}/proposal"), &json!({})), 201);
        assert_eq!(draft["status"], "draft");
        assert_eq!(draft["uplift_percentage"], json!(5.0));
        assert_eq!(draft["currency"], "USD");
        assert_eq!(draft["source_subscription_id"], json!(usd));
        assert_eq!(draft["account_id"], json!(acme));
        assert_eq!(draft["lines"], json!([{
            "description": "Growth", "quantity": 10, "list_unit_amount": 4_900, "unit_amount": 5_145,
            "interval": "month", "amount": 51_450
        }]));
        assert_eq!(draft["total_amount"], 51_450);
        let again = expect_json(admin.post(&format!("/api/v1/renewals/{usd}/proposal"), &json!({})), 200);
        assert_eq!(again["id"], draft["id"], "a second click returns the draft");
        // 1,010 yen × 1.05 = 1,060.5 yen, rounded half to even to whole yen.
        let yen = expect_json(admin.post(&format!("/api/v1/renewals/{jpy}/proposal"), &json!({})), 201);
        assert_eq!(yen["lines"][0]["unit_amount"], 1_060);
        assert_eq!(yen["total_amount"], 3_180);

        let id = draft["id"].as_str().unwrap_or_default().to_owned();
        let edited = expect_json(admin.patch(&format!("/api/v1/proposals/{id}"), &json!({"uplift_percentage": 7.25})), 200);
        assert_eq!(edited["uplift_percentage"], json!(7.25));
        assert_eq!(edited["lines"][0]["unit_amount"], 5_255, "4,900 × 1.0725 = 5,255.25");
        let edited = expect_json(admin.patch(&format!("/api/v1/proposals/{id}"), &json!({"lines": [
            {"description": "Seats", "quantity": 12, "list_unit_amount": 4_900, "interval": "month"},
            {"description": "Support", "quantity": 1, "list_unit_amount": 20_000, "interval": "month"},
        ]})), 200);
        assert_eq!(edited["total_amount"], 12 * 5_255 + 21_450);
        expect_problem(admin.patch(&format!("/api/v1/proposals/{id}"), &json!({"uplift_percentage": 100.5})), 422, "validation_failed", Some("uplift_percentage"));
        expect_problem(admin.patch(&format!("/api/v1/proposals/{id}"), &json!({"uplift_percentage": 7.255})), 422, "validation_failed", Some("uplift_percentage"));
        expect_problem(admin.patch(&format!("/api/v1/proposals/{id}"), &json!({"lines": []})), 422, "validation_failed", Some("lines"));
        expect_problem(admin.patch(&format!("/api/v1/proposals/{id}"), &json!({"lines": [{"description": "x", "quantity": -1, "list_unit_amount": 1, "interval": "year"}]})), 422, "validation_failed", Some("lines[0].quantity"));
        assert_eq!(expect_json(admin.get(&format!("/api/v1/proposals/{id}")), 200), edited, "rejected edits change nothing");

        expect_problem(admin.post(&format!("/api/v1/proposals/{id}/status"), &json!({"status": "won"})), 409, "invalid_transition", Some("status"));
        assert_eq!(expect_json(admin.post(&format!("/api/v1/proposals/{id}/status"), &json!({"status": "sent"})), 200)["status"], "sent");
        expect_problem(admin.patch(&format!("/api/v1/proposals/{id}"), &json!({"uplift_percentage": 3})), 409, "proposal_not_draft", None);
        assert_eq!(expect_json(admin.post(&format!("/api/v1/proposals/{id}/status"), &json!({"status": "won"})), 200)["status"], "won");
        expect_problem(admin.post(&format!("/api/v1/proposals/{id}/status"), &json!({"status": "lost"})), 409, "invalid_transition", Some("status"));
        // With the draft sent, the next click drafts a new proposal.
        assert_eq!(admin.post(&format!("/api/v1/renewals/{usd}/proposal"), &json!({})).status().as_u16(), 201);

        let listed = expect_json(admin.get(&format!("/api/v1/accounts/{acme}/proposals")), 200);
        assert_eq!(listed["total"], 3);
        let timeline = expect_json(admin.get(&format!("/api/v1/accounts/{acme}/activities?limit=50")), 200);
        let subjects: Vec<&str> = timeline["items"].as_array().into_iter().flatten()
            .filter(|entry| entry["kind"] == "system")
            .filter_map(|entry| entry["subject"].as_str())
            .filter(|subject| subject.starts_with("Renewal proposal"))
            .collect();
        assert_eq!(subjects.len(), 7, "three drafts, two edits, sent and won: {subjects:?}");
        assert!(subjects.contains(&"Renewal proposal won: Seats and 1 more line, 7.25% uplift, total 845.10 USD"), "{subjects:?}");

        expect_problem(stranger.get(&format!("/api/v1/proposals/{id}")), 404, "not_found", None);
        expect_problem(stranger.post(&format!("/api/v1/renewals/{usd}/proposal"), &json!({})), 404, "not_found", None);
        expect_problem(stranger.get(&format!("/api/v1/accounts/{acme}/proposals")), 404, "not_found", None);
        expect_problem(admin.post("/api/v1/renewals/not-a-subscription/proposal", &json!({})), 404, "not_found", None);
    }

    fn settings_shape_renewals_and_switch_features_off(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let manager = server.user("acme", "manager@acme.test", Role::Manager);
        let saved = expect_json(admin.put("/api/v1/settings", &json!({
            "uplift_percentage": 7.25,
            "reminder_cadence": [30, 120, 7, 30],
            "labels": {"account": "Customer", "stages": {"churned": "Lost"}},
            "features": {"success_plans": false},
        })), 200);
        assert_eq!(saved["uplift_percentage"], json!(7.25));
        assert_eq!(saved["reminder_cadence"], json!([120, 30, 7]), "sorted, earliest reminder first, no repeats");
        assert_eq!(saved["labels"]["account"], "Customer");
        assert_eq!(saved["labels"]["csm"], "CSM", "labels left out keep their value");
        assert_eq!(saved["labels"]["stages"]["churned"], "Lost");
        assert_eq!(saved["labels"]["stages"]["active"], "Active");
        assert_eq!((saved["features"]["success_plans"].as_bool(), saved["features"]["renewals"].as_bool()), (Some(false), Some(true)));
        assert_eq!(expect_json(admin.get("/api/v1/settings"), 200), saved);
        // Every user learns the toggles and labels from the session, settings being admin only.
        let session = expect_json(manager.get("/api/v1/me"), 200);
        assert_eq!(session["business"]["features"], saved["features"]);
        assert_eq!(session["business"]["labels"], saved["labels"]);
        for (body, field) in [
            (json!({"uplift_percentage": 100.5}), "uplift_percentage"),
            (json!({"uplift_percentage": 2.125}), "uplift_percentage"),
            (json!({"reminder_cadence": [0, 30]}), "reminder_cadence"),
            (json!({"reminder_cadence": [400]}), "reminder_cadence"),
            (json!({"labels": {"account": "  "}}), "labels.account"),
            (json!({"labels": {"stages": {"active": "x".repeat(41)}}}), "labels.stages.active"),
        ] {
            expect_problem(admin.put("/api/v1/settings", &body), 422, "validation_failed", Some(field));
        }
        expect_problem(admin.put("/api/v1/settings", &json!({"features": {"teleport": true}})), 422, "invalid_body", None);
        expect_problem(manager.put("/api/v1/settings", &json!({"uplift_percentage": 1})), 403, "forbidden", None);
        assert_eq!(expect_json(admin.get("/api/v1/settings"), 200), saved, "rejected changes change nothing");

        // The uplift setting prices new proposals.
        let acme = account(&admin, json!({"name": "Acme", "stage": "active"}));
        expect_json(admin.post("/api/v1/subscriptions", &json!({"items": [subscription("S1", &acme, "active", "year", 1, 10_000, "EUR", "2026-07-20T00:00:00Z")]})), 200);
        let page = expect_json(admin.get(&format!("/api/v1/renewals?as_of={AS_OF}")), 200);
        let subscription_id = page["items"][0]["subscription"]["id"].as_str().unwrap_or_default().to_owned();
        let draft = expect_json(admin.post(&format!("/api/v1/renewals/{subscription_id}/proposal"), &json!({})), 201);
        assert_eq!((draft["uplift_percentage"].as_f64(), draft["total_amount"].as_i64()), (Some(7.25), Some(10_725)));
        let draft_id = draft["id"].as_str().unwrap_or_default().to_owned();

        // Renewals off: the pipeline, its CSV, proposals and the reminder job are gone.
        expect_json(admin.patch("/api/v1/settings", &json!({"features": {"renewals": false}})), 200);
        for path in ["/api/v1/renewals", "/api/v1/renewals/summary", "/api/v1/renewals.csv"] {
            expect_problem(admin.get(path), 404, "not_found", None);
        }
        expect_problem(admin.get(&format!("/api/v1/proposals/{draft_id}")), 404, "not_found", None);
        expect_problem(admin.post(&format!("/api/v1/renewals/{subscription_id}/proposal"), &json!({})), 404, "not_found", None);
        expect_problem(admin.post("/api/v1/jobs/renewal-reminders/runs", &json!({})), 404, "not_found", None);
        // Health off: the breakdown, the dashboard and the job are gone; expansion too when off.
        expect_json(admin.patch("/api/v1/settings", &json!({"features": {"health_score": false, "expansion": false}})), 200);
        expect_problem(admin.get("/api/v1/dashboard"), 404, "not_found", None);
        expect_problem(admin.get(&format!("/api/v1/accounts/{acme}/health")), 404, "not_found", None);
        expect_problem(admin.post("/api/v1/jobs/health-snapshot/runs", &json!({})), 404, "not_found", None);
        expect_problem(admin.get("/api/v1/expansion-candidates"), 404, "not_found", None);
        expect_json(admin.patch("/api/v1/settings", &json!({"features": {"renewals": true, "health_score": true, "expansion": true}})), 200);
        expect_json(admin.get(&format!("/api/v1/proposals/{draft_id}")), 200);
        expect_json(admin.get("/api/v1/dashboard"), 200);
    }

    fn expansion_candidates_come_from_one_query(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        // Ready: healthy and renewing 30 to 90 days ahead (edges at 30 and 90).
        let ready30 = account(&admin, json!({"name": "Ready 30", "stage": "active"}));
        let ready90 = account(&admin, json!({"name": "Ready 90", "stage": "active"}));
        let early = account(&admin, json!({"name": "Too early", "stage": "active"}));
        let late = account(&admin, json!({"name": "Too late", "stage": "active"}));
        let unhealthy = account(&admin, json!({"name": "Unhealthy", "stage": "active"}));
        let cancelled = account(&admin, json!({"name": "Cancelled", "stage": "active"}));
        expect_json(admin.post("/api/v1/subscriptions", &json!({"items": [
            subscription("S1", &ready30, "active", "year", 1, 100, "USD", "2026-07-30T08:00:00Z"),
            subscription("S2", &ready90, "active", "year", 1, 100, "USD", "2026-09-28T23:00:00Z"),
            subscription("S3", &early, "active", "year", 1, 100, "USD", "2026-07-29T23:00:00Z"),
            subscription("S4", &late, "active", "year", 1, 100, "USD", "2026-09-29T00:00:00Z"),
            subscription("S5", &unhealthy, "active", "year", 1, 100, "USD", "2026-08-15T00:00:00Z"),
            subscription("S6", &cancelled, "cancelled", "year", 1, 100, "USD", "2026-08-15T00:00:00Z"),
        ]})), 200);
        execute(&server, "UPDATE accounts SET health_score = 75");
        execute(&server, "UPDATE accounts SET health_score = 74 WHERE name = 'Unhealthy'");
        // Dormant: a champion and no non-system activity in the 30 days up to AS_OF.
        let quiet = account(&admin, json!({"name": "Quiet champion", "stage": "active"}));
        let busy = account(&admin, json!({"name": "Busy champion", "stage": "active"}));
        let gone = account(&admin, json!({"name": "Gone champion", "stage": "churned"}));
        for id in [&quiet, &busy, &gone, &ready30] {
            expect_json(admin.post(&format!("/api/v1/accounts/{id}/contacts"), &json!({"name": "Cham", "champion": true})), 201);
        }
        expect_json(admin.post(&format!("/api/v1/accounts/{quiet}/activities"), &json!({"kind": "call", "subject": "Old", "occurred_at": "2026-05-31T12:00:00Z"})), 201);
        expect_json(admin.post(&format!("/api/v1/accounts/{busy}/activities"), &json!({"kind": "call", "subject": "Recent", "occurred_at": "2026-06-01T00:00:00Z"})), 201);

        let page = expect_json(admin.get(&format!("/api/v1/expansion-candidates?as_of={AS_OF}")), 200);
        let found: Vec<(String, Value)> = page["items"].as_array().into_iter().flatten()
            .map(|item| (item["account"]["name"].as_str().unwrap_or_default().to_owned(), item["signals"].clone()))
            .collect();
        assert_eq!(found, vec![
            ("Quiet champion".to_owned(), json!(["dormant_champion"])),
            ("Ready 30".to_owned(), json!(["expansion_ready_renewal", "dormant_champion"])),
            ("Ready 90".to_owned(), json!(["expansion_ready_renewal"])),
        ]);
        assert_eq!(page["total"], 3);
        let second = expect_json(admin.get(&format!("/api/v1/expansion-candidates?as_of={AS_OF}&limit=1&offset=1")), 200);
        assert_eq!((second["total"].as_i64(), second["items"][0]["account"]["name"].as_str()), (Some(3), Some("Ready 30")));
    }

    fn concurrent_changes_do_not_overwrite(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let acme = account(&admin, json!({"name": "Acme", "stage": "active"}));
        expect_json(admin.post("/api/v1/subscriptions", &json!({"items": [subscription("S1", &acme, "active", "year", 1, 10_000, "EUR", "2026-07-20T00:00:00Z")]})), 200);
        let page = expect_json(admin.get(&format!("/api/v1/renewals?as_of={AS_OF}")), 200);
        let subscription_id = page["items"][0]["subscription"]["id"].as_str().unwrap_or_default().to_owned();
        let draft = expect_json(admin.post(&format!("/api/v1/renewals/{subscription_id}/proposal"), &json!({})), 201);
        let id = draft["id"].as_str().unwrap_or_default().to_owned();

        // Edits racing a move to sent: every response is 200 or 409, and a 200 for the move
        // means the proposal stays sent.
        let (moved, edits): (u16, Vec<u16>) = std::thread::scope(|threads| {
            let edits: Vec<_> = (0..5)
                .map(|n| {
                    let (admin, id) = (&admin, &id);
                    threads.spawn(move || admin.patch(&format!("/api/v1/proposals/{id}"), &json!({"uplift_percentage": 10 + n})).status().as_u16())
                })
                .collect();
            let moved = admin.post(&format!("/api/v1/proposals/{id}/status"), &json!({"status": "sent"})).status().as_u16();
            (moved, edits.into_iter().map(|edit| edit.join().unwrap_or(0)).collect())
        });
        assert!(edits.iter().all(|status| *status == 200 || *status == 409), "{edits:?}");
        if moved == 200 {
            assert_eq!(expect_json(admin.get(&format!("/api/v1/proposals/{id}")), 200)["status"], "sent");
        } else {
            assert_eq!(moved, 409, "the move either lands or is told about the race");
        }

        // Settings changed at once each keep their value.
        let bodies = [
            json!({"uplift_percentage": 11}),
            json!({"reminder_cadence": [101]}),
            json!({"labels": {"account": "Client"}}),
            json!({"at_risk_threshold": 31}),
        ];
        let statuses: Vec<u16> = std::thread::scope(|threads| {
            let handles: Vec<_> = bodies.iter().map(|body| {
                let admin = &admin;
                threads.spawn(move || admin.patch("/api/v1/settings", body).status().as_u16())
            }).collect();
            handles.into_iter().map(|handle| handle.join().unwrap_or(0)).collect()
        });
        assert!(statuses.iter().all(|status| *status == 200), "{statuses:?}");
        let settings = expect_json(admin.get("/api/v1/settings"), 200);
        assert_eq!(settings["uplift_percentage"], json!(11.0));
        assert_eq!(settings["reminder_cadence"], json!([101]));
        assert_eq!(settings["labels"]["account"], "Client");
        assert_eq!(settings["at_risk_threshold"], 31);
    }
}
