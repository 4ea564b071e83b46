//! The health score over HTTP: signals in, the health-snapshot job for a fixed date, the
//! exact breakdown out, re-runs, at-risk flags and notifications, failed runs, locking and
//! the dashboard.

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

fn user_id(client: &ApiClient) -> String {
    id_of(&expect_json(client.get("/api/v1/me"), 200)["user"])
}

fn ingest(client: &ApiClient, path: &str, items: Value) {
    let result = expect_json(client.post(path, &json!({ "items": items })), 200);
    assert_eq!(result["errors"], json!([]), "{path}: {result}");
}

fn run(client: &ApiClient, as_of: &str) -> Value {
    expect_json(client.post("/api/v1/jobs/health-snapshot/runs", &json!({ "as_of": as_of })), 201)
}

fn ticket(id: &str, status: &str, opened: &str) -> Value {
    json!({"external_id": id, "subject": "Export fails", "status": status, "reporter_email": "ops@eu.acme.com", "opened_at": opened})
}

fn nps(id: &str, score: i64, at: &str) -> Value {
    json!({"external_id": id, "respondent_email": "cfo@acme.com", "kind": "nps", "score": score, "responded_at": at})
}

fn subscription(id: &str, account_id: &str, status: &str, end: &str) -> Value {
    json!({
        "external_id": id, "account_id": account_id, "plan_name": "Growth", "status": status, "quantity": 5,
        "unit_amount": 10000, "currency": "EUR", "interval": "year",
        "current_period_start": "2025-07-24T00:00:00Z", "current_period_end": end
    })
}

/// Acme gets a signal of every kind, including ones that the rules must ignore.
fn acme_with_signals(admin: &ApiClient, csm_id: &str) -> String {
    let acme = account(
        admin,
        json!({"name": "Acme", "domain": "acme.com", "stage": "active", "csm_id": csm_id, "renewal_date": "2027-01-01"}),
    );
    // Usage: the latest non-system activity is 12 days before AS_OF; the usage event and
    // the call after AS_OF do not count.
    expect_json(
        admin.post(
            &format!("/api/v1/accounts/{acme}/activities"),
            &json!({"kind": "call", "subject": "QBR", "occurred_at": "2026-06-18T15:00:00Z"}),
        ),
        201,
    );
    expect_json(
        admin.post(
            &format!("/api/v1/accounts/{acme}/activities"),
            &json!({"kind": "call", "subject": "Later", "occurred_at": "2026-07-03T15:00:00Z"}),
        ),
        201,
    );
    ingest(
        admin,
        "/api/v1/usage-events",
        json!([
            {"external_id": "U-1", "domain": "eu.acme.com", "event": "login", "occurred_at": "2026-06-10T08:00:00Z"},
            {"external_id": "U-2", "domain": "acme.com", "event": "login", "occurred_at": "2026-07-02T08:00:00Z"},
        ]),
    );
    // Support: open on AS_OF are T-1 (41 days old), T-2, T-3 and T-5 (solved only after
    // AS_OF); T-4 was reopened once inside the 30-day window and once before it; T-6
    // opens after AS_OF.
    let mut reopened = ticket("T-4", "solved", "2026-04-01T10:00:00Z");
    reopened["solved_at"] = json!("2026-04-05T10:00:00Z");
    reopened["reopened_at"] = json!(["2026-05-01T10:00:00Z", "2026-06-15T10:00:00Z"]);
    let mut solved_later = ticket("T-5", "solved", "2026-06-29T10:00:00Z");
    solved_later["solved_at"] = json!("2026-07-02T10:00:00Z");
    ingest(
        admin,
        "/api/v1/support-tickets",
        json!([
            ticket("T-1", "open", "2026-05-20T10:00:00Z"),
            ticket("T-2", "pending", "2026-06-25T10:00:00Z"),
            ticket("T-3", "on_hold", "2026-06-28T10:00:00Z"),
            reopened,
            solved_later,
            ticket("T-6", "open", "2026-07-03T10:00:00Z"),
        ]),
    );
    // Sentiment: five NPS responses in the year up to AS_OF (two promoters, one detractor
    // with a 0), one too old, one too late and a CSAT response that NPS outranks.
    ingest(
        admin,
        "/api/v1/survey-responses",
        json!([
            nps("S-1", 10, "2026-06-01T00:00:00Z"), nps("S-2", 9, "2026-01-01T00:00:00Z"), nps("S-3", 0, "2025-07-01T00:00:00Z"),
            nps("S-4", 7, "2026-03-01T00:00:00Z"), nps("S-5", 8, "2026-06-30T23:59:59Z"),
            nps("S-6", 0, "2025-06-30T23:59:59Z"), nps("S-7", 0, "2026-07-01T00:00:00Z"),
            {"external_id": "S-8", "respondent_email": "cfo@acme.com", "kind": "csat", "score": 1, "responded_at": "2026-06-01T00:00:00Z"},
        ]),
    );
    // Contract risk: the earliest period end of a subscription that is not cancelled is
    // 24 days after AS_OF; the account's own renewal date is not used.
    ingest(
        admin,
        "/api/v1/subscriptions",
        json!([
            subscription("SUB-1", &acme, "active", "2026-07-24T00:00:00Z"),
            subscription("SUB-2", &acme, "cancelled", "2026-07-01T00:00:00Z"),
            subscription("SUB-3", &acme, "past_due", "2026-12-31T00:00:00Z"),
        ]),
    );
    acme
}

fn notifications(client: &ApiClient) -> Value {
    expect_json(client.get("/api/v1/notifications"), 200)
}

fn band_counts(dashboard: &Value) -> Vec<(String, i64)> {
    dashboard["distribution"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|band| (band["band"].as_str().unwrap_or_default().to_owned(), band["count"].as_i64().unwrap_or(-1)))
        .collect()
}

fn execute(server: &TestServer, sql: &str) {
    let mut connection = server.app.connection().expect("a connection to the test database");
    connection.batch_execute(sql).expect("run SQL on the test database");
}

backend_tests! {
    fn job_computes_the_exact_breakdown(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let csm = server.user("acme", "csm@acme.test", Role::Manager);
        let csm_id = user_id(&csm);
        let acme = acme_with_signals(&admin, &csm_id);
        // Beta: renewal passed and one detractor contact, so every input scores 0.
        let beta = account(&admin, json!({"name": "Beta", "domain": "beta.io", "stage": "active", "csm_id": csm_id, "renewal_date": "2026-06-20"}));
        expect_json(admin.post(&format!("/api/v1/accounts/{beta}/contacts"), &json!({"name": "Dee", "detractor": true})), 201);
        // Gamma has no signal at all: the neutral 50, never flagged.
        let gamma = account(&admin, json!({"name": "Gamma", "stage": "active", "csm_id": csm_id}));
        // Epsilon scores 0 but is onboarding, so it is not flagged; Delta has churned.
        let epsilon = account(&admin, json!({"name": "Epsilon", "stage": "onboarding", "renewal_date": "2026-06-01"}));
        let delta = account(&admin, json!({"name": "Delta", "stage": "churned", "renewal_date": "2026-06-01"}));

        expect_problem(admin.get(&format!("/api/v1/accounts/{acme}/health")), 404, "not_found", None);
        let first = run(&admin, AS_OF);
        assert_eq!(first["status"], "succeeded", "{first}");
        assert_eq!(first["as_of"], AS_OF);
        assert_eq!(first["triggered_by"], "api");
        assert_eq!(first["counts"], json!({"accounts_scored": 4, "accounts_neutral": 1, "accounts_flagged": 1, "notifications": 1}));

        let health = expect_json(admin.get(&format!("/api/v1/accounts/{acme}/health")), 200);
        // (100 × 48/53 × 35 + 30 × 15 + 60 × 15 + 20 × 35) / 100 = 52.198…
        assert_eq!(health["overall_score"], 52, "{health}");
        assert_eq!(health["neutral"], false);
        assert_eq!(health["band"], "ok");
        assert_eq!(health["as_of"], AS_OF);
        assert_eq!(health["previous_as_of"], Value::Null);
        let components = &health["components"];
        assert_eq!(components["usage"]["score"], json!(90.57));
        assert_eq!(components["usage"]["weight"], 35);
        assert_eq!(components["usage"]["narrative"], "last activity 12 days ago");
        assert_eq!(components["usage"]["inputs"], json!({"last_activity_on": "2026-06-18", "days_since": 12}));
        assert_eq!(components["support"]["score"], json!(30.0), "100 − 4 × 10 − 20 − 10");
        assert_eq!(components["support"]["weight"], 15);
        assert_eq!(components["support"]["narrative"], "4 open tickets, oldest 41 days, 1 reopen in 30 days");
        assert_eq!(components["support"]["inputs"], json!({"tickets": 5, "open_tickets": 4, "oldest_open_days": 41, "reopens_last_30_days": 1}));
        assert_eq!(components["sentiment"]["score"], json!(60.0), "NPS 100 × (2 − 1) / 5 = 20, (20 + 100) / 2");
        assert_eq!(components["sentiment"]["narrative"], "NPS 20 from 5 responses");
        assert_eq!(components["sentiment"]["inputs"]["basis"], "nps");
        assert_eq!(components["sentiment"]["inputs"]["promoters"], 2);
        assert_eq!(components["sentiment"]["inputs"]["detractors"], 1);
        assert_eq!(components["contract_risk"]["score"], json!(20.0));
        assert_eq!(components["contract_risk"]["weight"], 35);
        assert_eq!(components["contract_risk"]["narrative"], "renews in 24 days");
        assert_eq!(components["contract_risk"]["inputs"], json!({"renews_on": "2026-07-24", "source": "subscription", "days_to_renewal": 24}));
        assert_eq!(components["usage"]["change"], Value::Null, "no earlier snapshot");
        assert_eq!(expect_json(admin.get(&format!("/api/v1/accounts/{acme}")), 200)["health_score"], 52);

        let beta_health = expect_json(admin.get(&format!("/api/v1/accounts/{beta}/health")), 200);
        assert_eq!(beta_health["overall_score"], 0);
        assert_eq!(beta_health["components"]["usage"]["score"], Value::Null);
        assert_eq!(beta_health["components"]["sentiment"]["narrative"], "0 champions and 1 detractor among contacts");
        let gamma_health = expect_json(admin.get(&format!("/api/v1/accounts/{gamma}/health")), 200);
        assert_eq!((gamma_health["overall_score"].as_i64(), gamma_health["neutral"].as_bool()), (Some(50), Some(true)));
        expect_problem(admin.get(&format!("/api/v1/accounts/{delta}/health")), 404, "not_found", None);

        // Only Beta crosses the threshold: flagged, with a timeline entry and one
        // notification to its CSM.
        let beta_account = expect_json(admin.get(&format!("/api/v1/accounts/{beta}")), 200);
        assert_eq!((beta_account["at_risk"].as_bool(), beta_account["at_risk_reasons"].clone()), (Some(true), json!(["low_health"])));
        for calm in [&acme, &gamma, &epsilon] {
            assert_eq!(expect_json(admin.get(&format!("/api/v1/accounts/{calm}")), 200)["at_risk"], false);
        }
        let timeline = expect_json(admin.get(&format!("/api/v1/accounts/{beta}/activities")), 200);
        assert!(timeline["items"].as_array().into_iter().flatten().any(|entry| entry["kind"] == "system" && entry["subject"].as_str().is_some_and(|s| s.starts_with("Flagged at risk"))), "{timeline}");
        let inbox = notifications(&csm);
        assert_eq!((inbox["total"].as_i64(), inbox["unread"].as_i64()), (Some(1), Some(1)), "{inbox}");
        assert_eq!(inbox["items"][0]["kind"], "account_at_risk");
        assert_eq!(inbox["items"][0]["title"], "Beta is at risk");
        assert_eq!(inbox["items"][0]["body"], "Health 0");
        assert_eq!(inbox["items"][0]["account_id"], json!(beta));
        assert_eq!(notifications(&admin)["total"], 0, "notifications go to the CSM only");

        let dashboard = expect_json(admin.get("/api/v1/dashboard"), 200);
        assert_eq!(
            band_counts(&dashboard),
            vec![("healthy".into(), 0), ("ok".into(), 2), ("at_risk".into(), 0), ("critical".into(), 2), ("unknown".into(), 0)]
        );
        let at_risk: Vec<&str> = dashboard["at_risk"].as_array().into_iter().flatten().filter_map(|item| item["name"].as_str()).collect();
        assert_eq!(at_risk, vec!["Beta", "Epsilon"], "under the threshold or flagged, lowest first; not churned");
        assert_eq!(dashboard["at_risk_total"], 2);
        assert_eq!(dashboard["at_risk_threshold"], 50);

        // A second run for the same date replaces the snapshots and flags no account again.
        let second = run(&admin, AS_OF);
        assert_eq!(second["counts"], json!({"accounts_scored": 4, "accounts_neutral": 1, "accounts_flagged": 0, "notifications": 0}));
        assert_eq!(expect_json(admin.get(&format!("/api/v1/accounts/{acme}/health")), 200), health, "re-running changes nothing");
        let history = expect_json(admin.get(&format!("/api/v1/accounts/{acme}/health/history?days=730")), 200);
        assert_eq!(history["items"].as_array().map(Vec::len), Some(1), "{history}");
        assert_eq!(history["items"][0]["overall_score"], 52);
        assert_eq!(history["items"][0]["usage"], json!(90.57));
        assert_eq!(notifications(&csm)["total"], 1);
        let runs = expect_json(admin.get("/api/v1/jobs/runs"), 200);
        assert_eq!(runs["total"], 2);
        assert!(runs["items"].as_array().into_iter().flatten().all(|item| item["status"] == "succeeded" && item["finished_at"].is_string()));
    }

    fn weights_and_threshold_come_from_settings(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let csm_id = user_id(&admin);
        let acme = acme_with_signals(&admin, &csm_id);
        expect_json(admin.patch("/api/v1/settings", &json!({
            "health_weights": {"usage": 0, "support": 1, "sentiment": 1, "contract_risk": 0},
            "at_risk_threshold": 45
        })), 200);
        run(&admin, AS_OF);
        let health = expect_json(admin.get(&format!("/api/v1/accounts/{acme}/health")), 200);
        // (30 + 60) / 2 = 45: at the threshold, so flagged.
        assert_eq!(health["overall_score"], 45);
        assert_eq!(health["components"]["usage"]["weight"], 0);
        assert_eq!(health["components"]["usage"]["score"], json!(90.57), "a weight of 0 still shows the score");
        assert_eq!(expect_json(admin.get(&format!("/api/v1/accounts/{acme}")), 200)["at_risk"], true);
    }

    fn crossing_the_threshold_flags_and_notifies_once(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let csm = server.user("acme", "csm@acme.test", Role::Manager);
        let acme = account(&admin, json!({"name": "Acme", "stage": "renewal", "csm_id": user_id(&csm)}));
        expect_json(admin.post(&format!("/api/v1/accounts/{acme}/activities"), &json!({"kind": "meeting", "subject": "Kickoff", "occurred_at": "2026-06-01T09:00:00Z"})), 201);

        // Only usage has input: 100 on the day, 100 × 20/53 = 37.7 forty days on.
        assert_eq!(run(&admin, "2026-06-01")["counts"]["accounts_flagged"], 0);
        assert_eq!(expect_json(admin.get(&format!("/api/v1/accounts/{acme}")), 200)["health_score"], 100);
        assert_eq!(run(&admin, "2026-07-11")["counts"]["accounts_flagged"], 1);
        let health = expect_json(admin.get(&format!("/api/v1/accounts/{acme}/health")), 200);
        assert_eq!(health["overall_score"], 38);
        assert_eq!(health["previous_overall_score"], 100);
        assert_eq!(health["components"]["usage"]["change"], json!(-62.26), "37.74 − 100");
        let inbox = notifications(&csm);
        assert_eq!(inbox["total"], 1);
        assert_eq!(inbox["items"][0]["body"], "Health 100 → 38");

        // Later days stay flagged without a second notification, even after recovering.
        run(&admin, "2026-07-12");
        expect_json(admin.post(&format!("/api/v1/accounts/{acme}/activities"), &json!({"kind": "call", "subject": "Back", "occurred_at": "2026-07-13T09:00:00Z"})), 201);
        assert_eq!(run(&admin, "2026-07-13")["counts"]["accounts_flagged"], 0);
        let account = expect_json(admin.get(&format!("/api/v1/accounts/{acme}")), 200);
        assert_eq!((account["health_score"].as_i64(), account["at_risk"].as_bool()), (Some(100), Some(true)));
        assert_eq!(notifications(&csm)["total"], 1);

        // A backfill of an older date keeps the newest score on the account and flags no
        // account from old data.
        let other = super::account(&admin, json!({"name": "Other", "stage": "active", "csm_id": user_id(&csm), "renewal_date": "2026-06-01"}));
        assert_eq!(run(&admin, "2026-06-15")["counts"]["accounts_flagged"], 0);
        assert_eq!(expect_json(admin.get(&format!("/api/v1/accounts/{other}")), 200)["at_risk"], false);
        run(&admin, "2026-07-11");
        assert_eq!(expect_json(admin.get(&format!("/api/v1/accounts/{acme}")), 200)["health_score"], 100);
        let history = expect_json(admin.get(&format!("/api/v1/accounts/{acme}/health/history?days=730")), 200);
        let dates: Vec<&str> = history["items"].as_array().into_iter().flatten().filter_map(|item| item["as_of"].as_str()).collect();
        assert_eq!(dates, vec!["2026-06-01", "2026-06-15", "2026-07-11", "2026-07-12", "2026-07-13"]);
    }

    fn muted_notifications_are_not_delivered(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let csm = server.user("acme", "csm@acme.test", Role::Manager);
        let preferences = expect_json(csm.get("/api/v1/notifications/preferences"), 200);
        assert_eq!(preferences["items"], json!([
            {"kind": "account_at_risk", "channel": "in_app", "enabled": true},
            {"kind": "account_at_risk", "channel": "email", "enabled": true},
            {"kind": "renewal_reminder", "channel": "in_app", "enabled": true},
            {"kind": "renewal_reminder", "channel": "email", "enabled": true},
        ]));
        let muted = expect_json(csm.put("/api/v1/notifications/preferences", &json!({"items": [{"kind": "account_at_risk", "channel": "in_app", "enabled": false}]})), 200);
        assert_eq!(muted["items"][0]["enabled"], false);
        assert_eq!(muted["items"][1]["enabled"], true, "unlisted choices stay");
        expect_problem(csm.put("/api/v1/notifications/preferences", &json!({"items": [{"kind": "birthday", "channel": "in_app", "enabled": false}]})), 422, "invalid_body", None);

        account(&admin, json!({"name": "Acme", "stage": "active", "csm_id": user_id(&csm), "renewal_date": "2026-06-01"}));
        let done = run(&admin, AS_OF);
        assert_eq!((done["counts"]["accounts_flagged"].as_i64(), done["counts"]["notifications"].as_i64()), (Some(1), Some(0)));
        assert_eq!(notifications(&csm)["total"], 0);
    }

    fn notifications_are_read_one_or_all(server) {
        server.business("acme");
        server.business("umbrella");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let csm = server.user("acme", "csm@acme.test", Role::Manager);
        let stranger = server.user("umbrella", "admin@umbrella.test", Role::Admin);
        let csm_id = user_id(&csm);
        for name in ["One", "Two", "Three"] {
            account(&admin, json!({"name": name, "stage": "active", "csm_id": csm_id, "renewal_date": "2026-06-01"}));
        }
        run(&admin, AS_OF);
        let inbox = notifications(&csm);
        assert_eq!((inbox["total"].as_i64(), inbox["unread"].as_i64()), (Some(3), Some(3)));
        let first = inbox["items"][0]["id"].as_str().unwrap_or_default().to_owned();

        expect_problem(stranger.post(&format!("/api/v1/notifications/{first}/read"), &json!({})), 404, "not_found", None);
        expect_problem(admin.post(&format!("/api/v1/notifications/{first}/read"), &json!({})), 404, "not_found", None);
        let read = expect_json(csm.post(&format!("/api/v1/notifications/{first}/read"), &json!({})), 200);
        assert!(read["read_at"].is_string());
        let again = expect_json(csm.post(&format!("/api/v1/notifications/{first}/read"), &json!({})), 200);
        assert_eq!(again["read_at"], read["read_at"], "reading twice keeps the first time");
        assert_eq!(notifications(&csm)["unread"], 2);
        assert_eq!(expect_json(csm.get("/api/v1/notifications?unread=true"), 200)["total"], 2);
        assert_eq!(expect_json(csm.get("/api/v1/notifications?unread=false"), 200)["total"], 1, "false lists the read ones");
        assert_eq!(expect_json(csm.post("/api/v1/notifications/read-all", &json!({})), 200)["marked"], 2);
        let inbox = notifications(&csm);
        assert_eq!((inbox["total"].as_i64(), inbox["unread"].as_i64()), (Some(3), Some(0)));
        expect_problem(csm.get("/api/v1/notifications?limit=0"), 422, "validation_failed", Some("limit"));
    }

    fn a_failed_run_keeps_the_previous_scores(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let acme = acme_with_signals(&admin, &user_id(&admin));
        run(&admin, AS_OF);
        let before = expect_json(admin.get(&format!("/api/v1/accounts/{acme}/health")), 200);

        // Damage one stored ticket so the next run fails half-way.
        execute(&server, "UPDATE support_tickets SET reopened_at = 'not a list' WHERE external_id = 'T-4'");
        let failed = run(&admin, "2026-07-01");
        assert_eq!(failed["status"], "failed", "{failed}");
        assert!(failed["error"].as_str().is_some_and(|error| error.contains("reopened_at")), "{failed}");
        assert_eq!(expect_json(admin.get(&format!("/api/v1/accounts/{acme}/health")), 200), before);
        assert_eq!(expect_json(admin.get(&format!("/api/v1/accounts/{acme}")), 200)["health_score"], 52);
        let runs = expect_json(admin.get("/api/v1/jobs/runs?job=health-snapshot"), 200);
        assert_eq!(runs["items"][0]["status"], "failed");
        assert_eq!(runs["items"][1]["status"], "succeeded");
    }

    fn jobs_are_for_admins_and_check_their_input(server) {
        server.business("acme");
        server.business("umbrella");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let manager = server.user("acme", "manager@acme.test", Role::Manager);
        let stranger = server.user("umbrella", "admin@umbrella.test", Role::Admin);
        let acme = account(&admin, json!({"name": "Acme", "stage": "active"}));
        expect_problem(manager.post("/api/v1/jobs/health-snapshot/runs", &json!({})), 403, "forbidden", None);
        expect_problem(manager.get("/api/v1/jobs/runs"), 403, "forbidden", None);
        expect_problem(admin.post("/api/v1/jobs/health-snapshot/runs", &json!({"as_of": "2026-02-30"})), 422, "invalid_body", Some("as_of"));
        expect_problem(admin.post("/api/v1/jobs/health-snapshot/runs", &json!({"as_of": "0999-01-01"})), 422, "validation_failed", Some("as_of"));
        expect_problem(admin.get("/api/v1/jobs/runs?job=nightly"), 422, "validation_failed", Some("job"));
        let tomorrow = (chrono::Utc::now().date_naive() + chrono::Days::new(1)).to_string();
        expect_problem(admin.post("/api/v1/jobs/health-snapshot/runs", &json!({"as_of": tomorrow})), 422, "validation_failed", Some("as_of"));
        // An empty body runs for today.
        let today = expect_json(admin.send_raw(reqwest::Method::POST, "/api/v1/jobs/health-snapshot/runs", "application/json", Vec::new()), 201);
        assert_eq!(today["status"], "succeeded");
        assert_eq!(today["as_of"], json!(chrono::Utc::now().date_naive().to_string()));
        expect_problem(stranger.get(&format!("/api/v1/accounts/{acme}/health")), 404, "not_found", None);
        expect_problem(stranger.get(&format!("/api/v1/accounts/{acme}/health/history")), 404, "not_found", None);
        assert_eq!(expect_json(stranger.get("/api/v1/jobs/runs"), 200)["total"], 0);
        expect_problem(admin.get(&format!("/api/v1/accounts/{acme}/health/history?days=0")), 422, "validation_failed", Some("days"));
        assert_eq!(expect_json(stranger.get("/api/v1/dashboard"), 200)["at_risk_total"], 0);
    }

    fn a_held_lock_keeps_other_runs_out(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        account(&admin, json!({"name": "Acme", "stage": "active"}));
        let business_id = expect_json(admin.get("/api/v1/me"), 200)["business"]["id"].as_str().unwrap_or_default().to_owned();
        // Another process running the job holds its lock: here, the test's own session on
        // PostgreSQL, or the test's own App (a second lock holder) on SQLite.
        let holder = server.app.clone();
        let (started, release) = (std::sync::mpsc::channel(), std::sync::mpsc::channel::<()>());
        let handle = std::thread::spawn(move || {
            let _lock = holder.lock_job(app::jobs::Job::HealthSnapshot, &business_id).expect("take the lock");
            started.0.send(()).expect("signal");
            release.1.recv().ok();
        });
        started.1.recv().expect("the lock is taken");
        if server.database.url().starts_with("postgres") {
            expect_problem(admin.post("/api/v1/jobs/health-snapshot/runs", &json!({"as_of": AS_OF})), 409, "job_running", None);
            let output = std::process::Command::new(env!("CARGO_BIN_EXE_mango-cs"))
                .args(["jobs", "run", "health-snapshot", "--business", "acme", "--as-of", AS_OF])
                .env("DATABASE_URL", server.database.url())
                .env("RUST_LOG", "off")
                .output()
                .expect("run the command line");
            assert!(!output.status.success());
            assert!(String::from_utf8_lossy(&output.stdout).contains("already running"), "{output:?}");
            assert_eq!(expect_json(admin.get("/api/v1/jobs/runs"), 200)["total"], 0, "the refused runs did no work");
        }
        release.0.send(()).expect("release");
        handle.join().expect("the lock holder ends");
        assert_eq!(run(&admin, AS_OF)["status"], "succeeded");
        assert_eq!(expect_json(admin.get("/api/v1/jobs/runs"), 200)["total"], 1);
    }

    fn the_command_line_runs_every_business(server) {
        server.business("acme");
        server.business("umbrella");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        account(&admin, json!({"name": "Acme", "stage": "active", "renewal_date": "2026-06-01"}));
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_mango-cs"))
            .args(["jobs", "run", "health-snapshot", "--as-of", AS_OF])
            .env("DATABASE_URL", server.database.url())
            .env("RUST_LOG", "off")
            .output()
            .expect("run the command line");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{output:?}");
        assert!(stdout.contains("health-snapshot acme succeeded for 2026-06-30"), "{stdout}");
        assert!(stdout.contains("health-snapshot umbrella succeeded"), "{stdout}");
        let runs = expect_json(admin.get("/api/v1/jobs/runs"), 200);
        assert_eq!(runs["items"][0]["triggered_by"], "command_line");
        assert_eq!(runs["items"][0]["counts"]["accounts_flagged"], 1);

        let unknown = std::process::Command::new(env!("CARGO_BIN_EXE_mango-cs"))
            .args(["jobs", "run", "nightly"])
            .env("DATABASE_URL", server.database.url())
            .output()
            .expect("run the command line");
        assert!(!unknown.status.success());
        assert!(String::from_utf8_lossy(&unknown.stderr).contains("unknown job \"nightly\""));
    }
}
