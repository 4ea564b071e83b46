//! The `mango-cs` command line, run as a real process on a fresh database: help texts,
//! operator commands, sample data and error reporting. Results are checked over HTTP
//! against `mango-cs serve` on the same database.

// A test fails by panicking, so `expect` on its own setup steps is the intended use.
#![allow(clippy::expect_used)]

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::{expect_json, ApiClient, TestDatabase, TestServer};
use serde_json::{json, Value};

/// Exit status and output of one run of the binary.
struct Run {
    success: bool,
    stdout: String,
    stderr: String,
}

impl Run {
    /// Fails the test unless the command succeeded; returns its standard output.
    fn expect_success(self) -> String {
        assert!(self.success, "command failed; stderr: {}; stdout: {}", self.stderr, self.stdout);
        self.stdout
    }

    /// Fails the test unless the command failed with exactly one line on standard error
    /// and nothing on standard output; returns that line.
    fn expect_failure(self) -> String {
        assert!(!self.success, "command succeeded but should fail; stdout: {}", self.stdout);
        assert_eq!(self.stdout, "", "a failed command prints nothing on stdout");
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "one error line expected; stderr: {}", self.stderr);
        assert!(lines[0].starts_with("error: "), "error line: {}", lines[0]);
        lines[0].to_owned()
    }
}

/// Runs `mango-cs` with DATABASE_URL set and `stdin` as standard input. Logs below
/// warnings are off, so standard error carries only what the command reports.
fn run_with_stdin(database_url: &str, args: &[&str], stdin: &str) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mango-cs"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start mango-cs");
    // A command that rejects its arguments exits before reading standard input; the
    // closed pipe is then expected, and its output explains why.
    match child.stdin.take().expect("stdin of mango-cs").write_all(stdin.as_bytes()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => panic!("write to stdin: {error}"),
        _ => {}
    }
    let output = child.wait_with_output().expect("wait for mango-cs");
    Run {
        success: output.status.success(),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

fn run(database_url: &str, args: &[&str]) -> Run {
    run_with_stdin(database_url, args, "")
}

/// Returns the value of the first `key: value` line of a command's output.
fn field(output: &str, key: &str) -> String {
    let prefix = format!("{key}: ");
    output
        .lines()
        .find_map(|line| line.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("no {key:?} line in:\n{output}"))
        .to_owned()
}

/// Makes a client of the server that sends this API token.
fn with_token(server: &TestServer, token: &str) -> ApiClient {
    let mut client = server.anonymous();
    client.token = Some(token.to_owned());
    client
}

fn total(client: &ApiClient, path: &str) -> i64 {
    let page = expect_json(client.get(path), 200);
    page["total"].as_i64().unwrap_or_else(|| panic!("no total in {page}"))
}

fn user_id(admin: &ApiClient, email: &str) -> String {
    let page = expect_json(admin.get("/api/v1/users?limit=200"), 200);
    let user = page["items"].as_array().into_iter().flatten().find(|user| user["email"] == email);
    let user = user.unwrap_or_else(|| panic!("no user {email} in {page}"));
    user["id"].as_str().expect("user id").to_owned()
}

/// Signs in with a browser session and returns the response status.
fn login_status(server: &TestServer, email: &str, password: &str) -> u16 {
    let mut browser = ApiClient::browser(server);
    browser.login(email, password).status().as_u16()
}

fn create_business(url: &str, slug: &str) {
    run(url, &["businesses", "create", "--name", &format!("Business {slug}"), "--slug", slug]).expect_success();
}

fn create_user(url: &str, business: &str, email: &str, role: &str, password: &str) {
    let args = ["users", "create", "--business", business, "--email", email, "--role", role, "--password-stdin"];
    run_with_stdin(url, &args, &format!("{password}\n")).expect_success();
}

const STAGES: &[&str] = &["prospect", "onboarding", "active", "renewal", "expanding", "churned"];

/// Defines each test once per backend with a fresh, empty database: `sqlite::name`
/// always, `postgres::name` when TEST_POSTGRES_URL was set at build time.
macro_rules! cli_tests {
    ($(fn $name:ident($database:ident) $body:block)*) => {
        mod sqlite {
            use super::*;
            $(
                #[test]
                fn $name() {
                    let $database = TestDatabase::sqlite();
                    $body
                }
            )*
        }

        #[cfg(postgres_tests)]
        mod postgres {
            use super::*;
            $(
                #[test]
                fn $name() {
                    let $database = TestDatabase::postgres();
                    $body
                }
            )*
        }
    };
}

/// Lists the subcommands a help text names under `Commands:`, without `help`.
fn listed_commands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|line| !line.starts_with("Commands:"))
        .skip(1)
        .take_while(|line| !line.trim().is_empty())
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect()
}

#[test]
fn help_works_for_every_command() {
    // Help needs no database, and this URL would fail if anything tried to open it.
    let url = "mysql://unused";
    let top = run(url, &["--help"]).expect_success();
    let commands = listed_commands(&top);
    for expected in ["serve", "migrate", "businesses", "users", "tokens", "sample-data"] {
        assert!(commands.iter().any(|command| command == expected), "{expected} missing from:\n{top}");
    }

    let mut subcommands_checked = 0;
    for command in &commands {
        let help = run(url, &[command, "--help"]).expect_success();
        assert!(help.contains("Usage: mango-cs"), "help of {command}:\n{help}");
        for subcommand in listed_commands(&help) {
            subcommands_checked += 1;
            let sub_help = run(url, &[command, &subcommand, "--help"]).expect_success();
            assert!(sub_help.contains("Usage: mango-cs"), "help of {command} {subcommand}:\n{sub_help}");
            assert!(sub_help.contains("--"), "help of {command} {subcommand} lists options:\n{sub_help}");
        }
    }

    assert!(subcommands_checked >= 5, "found only {subcommands_checked} subcommands");

    let generate = run(url, &["sample-data", "generate", "--help"]).expect_success();
    assert!(generate.contains("Running it again"), "generate documents a second run:\n{generate}");
    assert!(generate.contains("token: mcs_"), "generate documents its output:\n{generate}");
}

#[test]
fn unsupported_database_url_fails_in_one_line() {
    for args in
        [&["migrate"][..], &["sample-data", "generate"], &["businesses", "create", "--name", "A", "--slug", "ab"]]
    {
        let line = run("mysql://x", args).expect_failure();
        assert!(line.contains("DATABASE_URL"), "names the setting: {line}");
        assert!(line.contains("sqlite://"), "says what to use: {line}");
        assert!(line.contains("postgres://"), "says what to use: {line}");
    }
}

cli_tests! {
    fn migrate_applies_and_repeats(database) {
        let url = database.url();
        assert_eq!(run(url, &["migrate"]).expect_success(), "migrations applied\n");
        assert_eq!(run(url, &["migrate"]).expect_success(), "migrations applied\n", "a second run has nothing to do");
    }

    fn businesses_create_rejects_duplicate_slug(database) {
        let url = database.url();
        let created = run(url, &["businesses", "create", "--name", "Acme Software", "--slug", "acme"]).expect_success();
        assert!(created.starts_with("created business acme ("), "{created}");

        let line = run(url, &["businesses", "create", "--name", "Other", "--slug", "acme"]).expect_failure();
        assert!(line.contains("slug acme already exists"), "{line}");

        let line = run(url, &["businesses", "create", "--name", "Bad", "--slug", "Not A Slug"]).expect_failure();
        assert!(line.contains("invalid input: slug"), "{line}");
    }

    fn users_create_checks_input(database) {
        let url = database.url();
        create_business(url, "acme");
        let create = |business: &str, role: &str, password: &str| {
            let args = ["users", "create", "--business", business, "--email", "ana@acme.test", "--role", role, "--password-stdin"];
            run_with_stdin(url, &args, password)
        };

        let line = create("acme", "admin", "short\n").expect_failure();
        assert!(line.contains("password: must be at least 12 characters"), "{line}");

        let line = create("nowhere", "admin", "a long enough password\n").expect_failure();
        assert!(line.contains("no business has the slug \"nowhere\""), "{line}");

        let line = create("acme", "owner", "a long enough password\n").expect_failure();
        assert!(line.contains("invalid --role"), "{line}");
        assert!(line.contains("member, manager, admin, super_admin"), "lists the roles: {line}");

        let created = create("acme", "admin", "a long enough password\n").expect_success();
        assert!(created.starts_with("created user ana@acme.test ("), "{created}");
        assert!(created.trim_end().ends_with("with role admin"), "{created}");

        let line = create("acme", "admin", "a long enough password\n").expect_failure();
        assert!(line.contains("ana@acme.test already exists"), "{line}");
    }

    fn tokens_create_prints_only_the_token(database) {
        let url = database.url();
        create_business(url, "acme");
        create_user(url, "acme", "ana@acme.test", "admin", "a long enough password");

        let output = run(url, &["tokens", "create", "--email", "ana@acme.test", "--name", "ci"]).expect_success();
        assert_eq!(output.lines().count(), 1, "only the token: {output}");
        let token = output.trim_end().to_owned();
        assert!(token.starts_with("mcs_"), "{token}");

        let line = run(url, &["tokens", "create", "--email", "nobody@acme.test", "--name", "ci"]).expect_failure();
        assert!(line.contains("no user has the email"), "{line}");

        let server = TestServer::start(database);
        let client = with_token(&server, &token);
        assert_eq!(total(&client, "/api/v1/accounts"), 0);
        assert_eq!(login_status(&server, "ana@acme.test", "a long enough password"), 200, "the password read from stdin");
    }

    fn sample_data_generate_fills_demo_business(database) {
        let url = database.url();
        let output = run(url, &["sample-data", "generate"]).expect_success();
        assert!(output.starts_with("created sample business demo (Demo Company) with 200 accounts"), "{output}");
        let password = field(&output, "password");
        assert_eq!(field(&output, "login"), format!("admin@demo.mango-cs.test / {password}"));
        let token = field(&output, "token");
        assert!(token.starts_with("mcs_"), "{token}");
        for role in ["member", "manager", "admin", "super_admin"] {
            assert!(output.contains(&format!("@demo.mango-cs.test ({role}")), "a {role} user is listed:\n{output}");
        }

        let server = TestServer::start(database);
        let admin = with_token(&server, &token);
        assert_eq!(total(&admin, "/api/v1/accounts?limit=1"), 200);
        let mut by_stage = 0;
        for stage in STAGES {
            let count = total(&admin, &format!("/api/v1/accounts?limit=1&stage={stage}"));
            assert!(count > 0, "no account in stage {stage}");
            by_stage += count;
        }
        assert_eq!(by_stage, 200, "every account has one of the stages");
        assert!(total(&admin, "/api/v1/accounts?limit=1&at_risk=true") > 0, "some accounts are at risk");
        assert_eq!(total(&admin, "/api/v1/users?limit=1"), 11, "one user per role and seven account owners");

        let page = expect_json(admin.get("/api/v1/accounts?limit=200&stage=active"), 200);
        let accounts = page["items"].as_array().expect("items");
        let owners: std::collections::HashSet<&str> =
            accounts.iter().filter_map(|account| account["csm_id"].as_str()).collect();
        assert!(owners.len() > 1, "owners vary: {owners:?}");
        for account in accounts {
            assert_eq!(account["health_score"], Value::Null, "{account}");
            assert!(account["domain"].as_str().is_some_and(|domain| domain.ends_with(".example")), "{account}");
        }

        let account = &accounts[0];
        let id = account["id"].as_str().expect("account id");
        let contacts = expect_json(admin.get(&format!("/api/v1/accounts/{id}/contacts")), 200);
        let contact_count = contacts["total"].as_i64().expect("contact total");
        assert!((2..=5).contains(&contact_count), "{contacts}");
        let domain = account["domain"].as_str().expect("domain");
        for email in contacts["items"].as_array().into_iter().flatten().filter_map(|contact| contact["email"].as_str()) {
            assert!(email.ends_with(&format!("@{domain}")), "{email} is at the account's domain {domain}");
        }

        let timeline = expect_json(admin.get(&format!("/api/v1/accounts/{id}/activities?limit=200")), 200);
        let entries = timeline["items"].as_array().expect("activities");
        assert!(entries.len() >= 4, "{timeline}");
        let times: Vec<&str> = entries.iter().filter_map(|entry| entry["occurred_at"].as_str()).collect();
        let mut newest_first = times.clone();
        newest_first.sort_by(|a, b| b.cmp(a));
        assert_eq!(times, newest_first, "newest first");
        assert!(entries.iter().any(|entry| entry["kind"] == "system"), "stage changes are on the timeline");

        assert_eq!(login_status(&server, "admin@demo.mango-cs.test", &password), 200);
        assert_eq!(login_status(&server, "manager@demo.mango-cs.test", &password), 200);
    }

    fn sample_data_generate_twice_adds_nothing(database) {
        let url = database.url();
        let first = run(url, &["sample-data", "generate"]).expect_success();
        let second = run(url, &["sample-data", "generate"]).expect_success();
        assert!(second.starts_with("business demo (Demo Company) already has sample data (200 accounts"), "{second}");
        let (old_password, new_password) = (field(&first, "password"), field(&second, "password"));
        assert_ne!(old_password, new_password);
        assert_eq!(field(&second, "login"), format!("admin@demo.mango-cs.test / {new_password}"));

        let server = TestServer::start(database);
        let admin = with_token(&server, &field(&second, "token"));
        assert_eq!(total(&admin, "/api/v1/accounts?limit=1"), 200);
        assert_eq!(total(&admin, "/api/v1/users?limit=1"), 11);
        assert_eq!(total(&with_token(&server, &field(&first, "token")), "/api/v1/accounts?limit=1"), 200, "earlier tokens stay valid");
        assert_eq!(login_status(&server, "admin@demo.mango-cs.test", &new_password), 200);
        assert_eq!(login_status(&server, "admin@demo.mango-cs.test", &old_password), 401);
    }

    fn sample_data_destroy_removes_demo_business(database) {
        let url = database.url().to_owned();
        let output = run(&url, &["sample-data", "generate"]).expect_success();
        let server = TestServer::start(database);
        let admin = with_token(&server, &field(&output, "token"));
        assert_eq!(total(&admin, "/api/v1/accounts?limit=1"), 200);

        let removed = run(&url, &["sample-data", "destroy"]).expect_success();
        assert!(removed.starts_with("removed sample business demo with 200 accounts, "), "{removed}");
        assert!(removed.trim_end().ends_with("and 11 users"), "{removed}");
        assert_eq!(admin.get("/api/v1/accounts").status().as_u16(), 401, "the sample admin's token is gone");

        let again = run(&url, &["sample-data", "destroy"]).expect_success();
        assert_eq!(again, "no business has the slug demo; nothing to remove\n");
        create_business(&url, "demo");
        let empty = run(&url, &["sample-data", "destroy", "--business", "demo"]).expect_success();
        assert_eq!(empty, "business demo has no sample data; nothing to remove\n", "a real business of that slug is kept");
    }

    fn destroy_keeps_work_added_to_demo(database) {
        let url = database.url().to_owned();
        let output = run(&url, &["sample-data", "generate"]).expect_success();
        let server = TestServer::start(database);
        let admin = with_token(&server, &field(&output, "token"));
        let added = expect_json(admin.post("/api/v1/accounts", &json!({"name": "Real Customer"})), 201);
        create_user(&url, "demo", "real@demo.test", "manager", "a long enough password");

        let removed = run(&url, &["sample-data", "destroy"]).expect_success();
        assert!(removed.contains("200 accounts"), "{removed}");
        let kept_token = run(&url, &["tokens", "create", "--email", "real@demo.test", "--name", "tests"]).expect_success();
        let kept = with_token(&server, kept_token.trim_end());
        let list = expect_json(kept.get("/api/v1/accounts"), 200);
        assert_eq!(list["total"], 1, "only the account a person added is left: {list}");
        assert_eq!(list["items"][0]["id"], added["id"]);
    }

    fn sample_data_in_real_business_spares_tenant(database) {
        let url = database.url().to_owned();
        create_business(&url, "acme");
        create_user(&url, "acme", "owner@acme.test", "admin", "a long enough password");
        let owner_token = run(&url, &["tokens", "create", "--email", "owner@acme.test", "--name", "tests"]).expect_success();
        let server = TestServer::start(database);
        let owner = with_token(&server, owner_token.trim_end());
        let tenant_account = expect_json(owner.post("/api/v1/accounts", &json!({"name": "Tenant Account", "domain": "tenant.test"})), 201);
        let tenant_account_id = tenant_account["id"].as_str().expect("account id").to_owned();

        let output = run(&url, &["sample-data", "generate", "--business", "acme"]).expect_success();
        assert!(output.starts_with("added sample data to business acme (Business acme): 200 accounts"), "{output}");
        assert_eq!(field(&output, "login"), format!("admin@acme.mango-cs.test / {}", field(&output, "password")));
        let sample_admin = with_token(&server, &field(&output, "token"));
        assert_eq!(total(&owner, "/api/v1/accounts?limit=1"), 201);

        // Tie the tenant's account to sample users, so removing them has to keep it.
        let sample_csm = user_id(&owner, "ava.lindqvist@acme.mango-cs.test");
        expect_json(owner.patch(&format!("/api/v1/accounts/{tenant_account_id}"), &json!({"csm_id": sample_csm})), 200);
        expect_json(
            sample_admin.post(&format!("/api/v1/accounts/{tenant_account_id}/activities"), &json!({"kind": "note", "subject": "Written by a sample user"})),
            201,
        );

        let removed = run(&url, &["sample-data", "destroy", "--business", "acme"]).expect_success();
        assert!(removed.starts_with("removed sample data from business acme: 200 accounts, "), "{removed}");
        assert!(removed.contains("and 11 users"), "{removed}");

        assert_eq!(sample_admin.get("/api/v1/accounts").status().as_u16(), 401, "sample users are gone");
        let accounts = expect_json(owner.get("/api/v1/accounts"), 200);
        assert_eq!(accounts["total"], 1, "only the tenant's account is left: {accounts}");
        assert_eq!(accounts["items"][0]["id"], tenant_account_id.as_str());
        assert_eq!(accounts["items"][0]["csm_id"], Value::Null, "the sample owner is unset");
        let timeline = expect_json(owner.get(&format!("/api/v1/accounts/{tenant_account_id}/activities")), 200);
        assert_eq!(timeline["total"], 1, "{timeline}");
        assert_eq!(timeline["items"][0]["author_id"], Value::Null, "{timeline}");
        let users = expect_json(owner.get("/api/v1/users"), 200);
        assert_eq!(users["total"], 1, "only the tenant's user is left: {users}");
        assert_eq!(users["items"][0]["email"], "owner@acme.test");

        let again = run(&url, &["sample-data", "destroy", "--business", "acme"]).expect_success();
        assert_eq!(again, "business acme has no sample data; nothing to remove\n");
    }

    fn sample_data_rejects_invalid_slug(database) {
        let line = run(database.url(), &["sample-data", "generate", "--business", "Not A Slug"]).expect_failure();
        assert!(line.contains("invalid input: slug"), "{line}");
    }
}
