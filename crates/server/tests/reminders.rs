//! Renewal reminders over HTTP against a real SMTP server on 127.0.0.1: each
//! (subscription, period end, threshold) mail exactly once across re-runs and gaps,
//! churning wording, a renewed term, preferences, and the outbox without SMTP.

#![allow(clippy::expect_used)]

mod common;

use common::smtp::SmtpServer;
use common::{expect_json, id_of, ApiClient, TestDatabase, TestServer};
use crm_core::Role;
use serde_json::{json, Value};

fn run(client: &ApiClient, as_of: &str) -> Value {
    let run = expect_json(client.post("/api/v1/jobs/renewal-reminders/runs", &json!({ "as_of": as_of })), 201);
    assert_eq!(run["status"], "succeeded", "{run}");
    run
}

fn subscription(id: &str, account_id: &str, status: &str, end: &str) -> Value {
    json!({
        "external_id": id, "account_id": account_id, "plan_name": "Growth", "status": status, "quantity": 10,
        "unit_amount": 4_900, "currency": "USD", "interval": "month",
        "current_period_start": "2025-07-30T00:00:00Z", "current_period_end": end
    })
}

fn subjects(smtp: &SmtpServer) -> Vec<String> {
    smtp.messages()
        .iter()
        .map(|message| {
            message.data.lines().find_map(|line| line.strip_prefix("Subject: ")).unwrap_or_default().to_owned()
        })
        .collect()
}

/// Creates a business with a CSM and one account that renews on 2026-07-30.
fn setup(server: &TestServer) -> (ApiClient, ApiClient, String) {
    server.business("acme");
    let admin = server.user("acme", "admin@acme.test", Role::Admin);
    let csm = server.user("acme", "csm@acme.test", Role::Manager);
    let csm_id = id_of(&expect_json(csm.get("/api/v1/me"), 200)["user"]);
    let acme = id_of(&expect_json(
        admin.post("/api/v1/accounts", &json!({"name": "Acme", "stage": "active", "csm_id": csm_id})),
        201,
    ));
    let result = expect_json(
        admin.post(
            "/api/v1/subscriptions",
            &json!({"items": [subscription("S1", &acme, "active", "2026-07-30T10:00:00Z")]}),
        ),
        200,
    );
    assert_eq!(result["created"], 1);
    (admin, csm, acme)
}

fn reminders_reach_smtp_once(database: TestDatabase) {
    let smtp = SmtpServer::start();
    let url = smtp.url();
    let server = TestServer::start_with_env(
        database,
        &[("MANGO_CS_SMTP_URL", url.as_str()), ("MANGO_CS_PUBLIC_URL", "https://cs.example.test")],
    );
    let (admin, csm, acme) = setup(&server);

    assert_eq!(run(&admin, "2026-04-01")["counts"]["reminders"], 0, "120 days out, no threshold reached");
    assert_eq!(run(&admin, "2026-05-01")["counts"], json!({"reminders": 1, "notifications": 1, "mails": 1}));
    assert_eq!(run(&admin, "2026-05-01")["counts"]["reminders"], 0, "the same day again sends nothing");
    assert_eq!(run(&admin, "2026-05-02")["counts"]["reminders"], 0, "the 90-day reminder went out already");
    // Nothing ran for weeks: 60 was crossed on 2026-05-31; at 35 days only it is sent.
    assert_eq!(run(&admin, "2026-06-25")["counts"]["reminders"], 1);
    assert_eq!(run(&admin, "2026-07-01")["counts"]["reminders"], 1, "29 days: the 30-day reminder");
    assert_eq!(run(&admin, "2026-07-20")["counts"]["reminders"], 1, "10 days: the 14-day reminder");
    assert_eq!(run(&admin, "2026-07-25")["counts"]["reminders"], 0);
    assert_eq!(run(&admin, "2026-07-31")["counts"]["reminders"], 0, "the renewal date has passed");

    assert_eq!(
        subjects(&smtp),
        vec![
            "Acme renews in 90 days (Growth)",
            "Acme renews in 35 days (Growth)",
            "Acme renews in 29 days (Growth)",
            "Urgent: Acme renews in 10 days (Growth)",
        ]
    );
    let first = &smtp.messages()[0];
    assert_eq!(first.recipients, vec!["csm@acme.test"]);
    assert!(first.data.contains("Content-Type: text/plain"), "{}", first.data);
    assert!(first.data.contains("Content-Type: text/html"), "{}", first.data);
    assert!(first.data.contains(&format!("https://cs.example.test/accounts/{acme}")), "{}", first.data);
    assert!(first.data.contains("5880.00 USD"), "{}", first.data);

    let outbox = expect_json(admin.get("/api/v1/outbox"), 200);
    assert_eq!(outbox["total"], 4);
    assert!(outbox["items"].as_array().into_iter().flatten().all(|mail| mail["status"] == "sent"), "{outbox}");
    let inbox = expect_json(csm.get("/api/v1/notifications"), 200);
    assert_eq!(inbox["total"], 4);
    assert_eq!(inbox["items"][0]["kind"], "renewal_reminder");
    let timeline = expect_json(admin.get(&format!("/api/v1/accounts/{acme}/activities?limit=50")), 200);
    let reminders = timeline["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|entry| entry["subject"].as_str().is_some_and(|subject| subject.starts_with("Renewal reminder sent")))
        .count();
    assert_eq!(reminders, 4, "each reminder is on the timeline once");

    // The renewed term ends 2026-11-28 and gets its own reminders.
    let renewed = subscription("S1", &acme, "active", "2026-11-28T10:00:00Z");
    expect_json(admin.post("/api/v1/subscriptions", &json!({"items": [renewed]})), 200);
    assert_eq!(run(&admin, "2026-11-14")["counts"]["reminders"], 1);
    assert_eq!(subjects(&smtp).last().map(String::as_str), Some("Urgent: Acme renews in 14 days (Growth)"));
    // A backfill for an earlier date would be due the 90-day reminder of this term, but the
    // more urgent 14-day one went out already.
    assert_eq!(run(&admin, "2026-09-15")["counts"]["reminders"], 0);

    // A churning entry is worded as churning, and a CSM who turned mail off gets the
    // reminder in the app only.
    let churning = subscription("S2", &acme, "cancelled", "2026-12-03T10:00:00Z");
    expect_json(admin.post("/api/v1/subscriptions", &json!({"items": [churning]})), 200);
    expect_json(
        csm.put(
            "/api/v1/notifications/preferences",
            &json!({"items": [{"kind": "renewal_reminder", "channel": "email", "enabled": false}]}),
        ),
        200,
    );
    let quiet = run(&admin, "2026-11-20");
    assert_eq!(quiet["counts"], json!({"reminders": 1, "notifications": 1, "mails": 0}));
    let latest = expect_json(csm.get("/api/v1/notifications?limit=1"), 200);
    assert_eq!(latest["items"][0]["title"], "Churning in 13 days: Acme (Growth)");
    assert_eq!(smtp.messages().len(), 5);
}

fn without_smtp_mail_waits_in_the_outbox(database: TestDatabase) {
    let server = TestServer::start(database);
    let (admin, _csm, _acme) = setup(&server);
    assert_eq!(run(&admin, "2026-07-01")["counts"]["mails"], 1);
    let outbox = expect_json(admin.get("/api/v1/outbox"), 200);
    assert_eq!(outbox["total"], 1);
    assert_eq!(outbox["items"][0]["status"], "pending", "it waits for a server with SMTP");
    assert_eq!(outbox["items"][0]["to"], "csm@acme.test");
    assert_eq!(outbox["items"][0]["subject"], "Acme renews in 29 days (Growth)");
    assert!(outbox["items"][0]["text_body"].as_str().is_some_and(|body| body.contains("Renewal date: 2026-07-30")));
    common::expect_problem(admin.get("/api/v1/outbox?status=lost"), 422, "validation_failed", Some("status"));
    let refused = std::process::Command::new(env!("CARGO_BIN_EXE_mango-cs"))
        .args(["jobs", "run", "renewal-reminders", "--as-of", "2026-07-01"])
        .env("DATABASE_URL", server.database.url())
        .env("MANGO_CS_SMTP_URL", "ftp://127.0.0.1:25")
        .env("RUST_LOG", "off")
        .output()
        .expect("run the command line");
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("MANGO_CS_SMTP_URL is invalid"), "{refused:?}");
    let manager = server.user("acme", "manager@acme.test", Role::Manager);
    common::expect_problem(manager.get("/api/v1/outbox"), 403, "forbidden", None);
}

fn failed_mail_waits_with_its_error(database: TestDatabase) {
    // A port with no listener, so the connection is refused.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a port");
    let port = closed.local_addr().expect("its address").port();
    drop(closed);
    let url = format!("smtp://127.0.0.1:{port}");
    let server = TestServer::start_with_env(database, &[("MANGO_CS_SMTP_URL", url.as_str())]);
    let (admin, _csm, _acme) = setup(&server);
    assert_eq!(run(&admin, "2026-07-01")["counts"]["mails"], 1);
    let outbox = expect_json(admin.get("/api/v1/outbox"), 200);
    let mail = &outbox["items"][0];
    assert_eq!(mail["status"], "pending", "a failed mail stays to be retried: {mail}");
    assert_eq!(mail["attempts"], 1);
    assert!(mail["last_error"].as_str().is_some_and(|error| !error.is_empty()), "{mail}");
    let created =
        chrono::DateTime::parse_from_rfc3339(mail["created_at"].as_str().unwrap_or_default()).expect("a time");
    let next =
        chrono::DateTime::parse_from_rfc3339(mail["next_attempt_at"].as_str().unwrap_or_default()).expect("a time");
    assert!(next - created >= chrono::Duration::seconds(29), "the retry waits: {mail}");
    // Running the job again neither drops nor duplicates the mail.
    run(&admin, "2026-07-01");
    assert_eq!(expect_json(admin.get("/api/v1/outbox"), 200)["total"], 1);
}

mod sqlite {
    use super::*;

    #[test]
    fn reminders_reach_smtp_once() {
        super::reminders_reach_smtp_once(TestDatabase::sqlite());
    }

    #[test]
    fn without_smtp_mail_waits_in_the_outbox() {
        super::without_smtp_mail_waits_in_the_outbox(TestDatabase::sqlite());
    }

    #[test]
    fn failed_mail_waits_with_its_error() {
        super::failed_mail_waits_with_its_error(TestDatabase::sqlite());
    }
}

#[cfg(postgres_tests)]
mod postgres {
    use super::*;

    #[test]
    fn reminders_reach_smtp_once() {
        super::reminders_reach_smtp_once(TestDatabase::postgres());
    }

    #[test]
    fn without_smtp_mail_waits_in_the_outbox() {
        super::without_smtp_mail_waits_in_the_outbox(TestDatabase::postgres());
    }

    #[test]
    fn failed_mail_waits_with_its_error() {
        super::failed_mail_waits_with_its_error(TestDatabase::postgres());
    }
}
