//! CSV import (preview, then commit) and CSV export of accounts over HTTP: CRM files,
//! explicit mappings, owners, custom fields, repeated commits, tenancy, malformed
//! uploads, atomicity and round trips through the export.

// A test fails loudly on a fixture that cannot be set up.
#![allow(clippy::expect_used)]

mod common;

use api_types::users::UserCreate;
use common::{expect_json, expect_problem, ApiClient, TestServer};
use crm_core::Role;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use reqwest::blocking::Response;
use reqwest::Method;
use serde_json::{json, Value};

const PREVIEW: &str = "/api/v1/imports/accounts/preview";

fn preview(client: &ApiClient, csv: &str, query: &str) -> Response {
    client.send_raw(Method::POST, &format!("{PREVIEW}{query}"), "text/csv", csv.as_bytes().to_vec())
}

fn commit(client: &ApiClient, import_id: &str) -> Response {
    client.send_raw(Method::POST, &format!("/api/v1/imports/{import_id}/commit"), "application/json", Vec::new())
}

/// Previews and commits a file, checking both succeed, and returns both bodies.
fn import(client: &ApiClient, csv: &str, query: &str) -> (Value, Value) {
    let previewed = expect_json(preview(client, csv, query), 200);
    let committed = expect_json(commit(client, previewed["import_id"].as_str().expect("import id")), 200);
    (previewed, committed)
}

fn mapping_query(mapping: &Value) -> String {
    let encoded: String = url::form_urlencoded::byte_serialize(mapping.to_string().as_bytes()).collect();
    format!("?mapping={encoded}")
}

/// Lists the `(row, field)` of each error or warning of a preview.
fn issues(preview: &Value, kind: &str) -> Vec<(u64, Option<String>)> {
    preview[kind]
        .as_array()
        .into_iter()
        .flatten()
        .map(|issue| (issue["row"].as_u64().expect("row"), issue["field"].as_str().map(str::to_owned)))
        .collect()
}

fn message_of(preview: &Value, kind: &str, row: u64, field: &str) -> String {
    preview[kind]
        .as_array()
        .into_iter()
        .flatten()
        .find(|issue| issue["row"] == row && issue["field"] == field)
        .and_then(|issue| issue["message"].as_str())
        .unwrap_or_else(|| panic!("no {kind} on row {row} field {field}: {preview}"))
        .to_owned()
}

fn counts(new: u64, updated: u64, unchanged: u64, invalid: u64) -> Value {
    json!({"new": new, "updated": updated, "unchanged": unchanged, "invalid": invalid})
}

/// Reads every account of the caller's business through cursor paging.
fn all_accounts(client: &ApiClient) -> Vec<Value> {
    let mut accounts = Vec::new();
    let mut path = "/api/v1/accounts?limit=200".to_owned();
    loop {
        let page = expect_json(client.get(&path), 200);
        accounts.extend(page["items"].as_array().cloned().unwrap_or_default());
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/accounts?limit=200&cursor={cursor}"),
            None => return accounts,
        }
    }
}

fn by_name<'a>(accounts: &'a [Value], name: &str) -> &'a Value {
    accounts.iter().find(|account| account["name"] == name).unwrap_or_else(|| panic!("no account named {name:?}"))
}

fn timeline_subjects(client: &ApiClient, account_id: &str) -> Vec<String> {
    let page = expect_json(client.get(&format!("/api/v1/accounts/{account_id}/activities")), 200);
    page["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|item| item["subject"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Builds a HubSpot companies export of 1,000 records with a byte order mark, CRLF line
/// ends, a quoted comma, a quoted line break and two blank lines after record 100. Four
/// records are invalid: 10 repeats the domain of 3, 20 has no name, 150 has a malformed
/// domain and 400 a date in the wrong format.
fn hubspot_file() -> String {
    let mut csv = String::from(
        "\u{feff}Record ID,Company name,Company Domain Name,Website URL,Lifecycle Stage,Industry,Renewal Date,Create Date\r\n",
    );
    for row in 1..=1000 {
        let name = match row {
            5 => "\"Smith, Jones & Co\"".to_owned(),
            6 => "\"Line\nBreak Inc\"".to_owned(),
            20 => String::new(),
            _ => format!("Company {row}"),
        };
        let domain = match row {
            10 => "company3.example".to_owned(),
            150 => "not a domain".to_owned(),
            _ => format!("company{row}.example"),
        };
        let renewal = if row == 400 { "31/12/2027" } else { "2027-06-30" };
        let stage = ["customer", "lead", "opportunity", "evangelist"][row % 4];
        csv.push_str(&format!(
            "{},{name},{domain},https://www.{domain}/,{stage},Software,{renewal},2020-01-01 10:00\r\n",
            9000 + row
        ));
        if row == 100 {
            csv.push_str("\r\n,,,,,,,\r\n");
        }
    }
    csv
}

/// Adds a trigger that fails the insert of an account named `Boom`.
fn break_inserts_named_boom(server: &TestServer) {
    let mut connection = server.app.connection().expect("database connection");
    let sql = match server.app.backend() {
        store::BackendKind::Sqlite => {
            "CREATE TRIGGER fail_boom BEFORE INSERT ON accounts WHEN NEW.name = 'Boom' \
             BEGIN SELECT RAISE(ABORT, 'boom'); END;"
        }
        store::BackendKind::Postgres => {
            "CREATE FUNCTION fail_boom() RETURNS trigger AS $$ BEGIN \
               IF NEW.name = 'Boom' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; \
             END $$ LANGUAGE plpgsql; \
             CREATE TRIGGER fail_boom BEFORE INSERT ON accounts FOR EACH ROW EXECUTE FUNCTION fail_boom();"
        }
    };
    connection.batch_execute(sql).expect("create the failing trigger");
}

fn repair_inserts(server: &TestServer) {
    let mut connection = server.app.connection().expect("database connection");
    let sql = match server.app.backend() {
        store::BackendKind::Sqlite => "DROP TRIGGER fail_boom",
        store::BackendKind::Postgres => "DROP TRIGGER fail_boom ON accounts",
    };
    connection.batch_execute(sql).expect("drop the failing trigger");
}

fn set_health_score(server: &TestServer, account_id: &str, score: i32) {
    use store::schema::accounts;
    let mut connection = server.app.connection().expect("database connection");
    diesel::update(accounts::table.filter(accounts::id.eq(account_id)))
        .set(accounts::health_score.eq(Some(score)))
        .execute(&mut *connection)
        .expect("set the health score");
}

fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
    reader.records().map(|record| record.expect("CSV record").iter().map(str::to_owned).collect()).collect()
}

fn create_field(admin: &ApiClient, body: Value) {
    expect_json(admin.post("/api/v1/custom-fields", &body), 201);
}

backend_tests! {
    fn hubspot_file_previews_and_commits(server) {
        server.business("acme");
        let manager = server.user("acme", "csm@acme.test", Role::Manager);
        let file = hubspot_file();

        let previewed = expect_json(preview(&manager, &file, ""), 200);
        assert_eq!(previewed["counts"], counts(996, 0, 0, 4), "{}", previewed["errors"]);
        assert_eq!(
            issues(&previewed, "errors"),
            vec![
                (10, Some("domain".to_owned())),
                (20, Some("name".to_owned())),
                (150, Some("domain".to_owned())),
                (400, Some("renewal_date".to_owned())),
            ]
        );
        assert_eq!(message_of(&previewed, "errors", 10, "domain"), "repeats the domain company3.example of row 3");
        assert_eq!(previewed["warnings"], json!([]));
        assert_eq!(previewed["issues_truncated"], false);
        assert_eq!(previewed["default_stage"], "active");
        let targets: Vec<Value> = previewed["mapping"].as_array().expect("mapping").iter().map(|column| column["target"].clone()).collect();
        assert_eq!(
            targets,
            vec![json!("external_id"), json!("name"), json!("domain"), json!("website"), json!("stage"), json!("industry"), json!("renewal_date"), Value::Null]
        );
        assert_eq!(previewed["mapping"][0]["header"], "Record ID", "the byte order mark is not part of the header");
        assert_eq!(previewed["mapping"][7]["status"], "unmapped");
        assert_eq!(expect_json(manager.get("/api/v1/accounts"), 200)["total"], 0, "a preview changes nothing");

        let committed = expect_json(commit(&manager, previewed["import_id"].as_str().expect("id")), 200);
        assert_eq!(committed["counts"], counts(996, 0, 0, 4));
        assert_eq!(committed["import_id"], previewed["import_id"]);

        let accounts = all_accounts(&manager);
        assert_eq!(accounts.len(), 996, "exactly the valid rows exist");
        let smith = by_name(&accounts, "Smith, Jones & Co");
        assert_eq!(smith["domain"], "company5.example");
        let line_break = by_name(&accounts, "Line\nBreak Inc");
        assert_eq!(line_break["domain"], "company6.example");
        let third = by_name(&accounts, "Company 3");
        assert_eq!(third["domain"], "company3.example", "the first row of a repeated domain wins");
        let first = by_name(&accounts, "Company 1");
        assert_eq!(first["stage"], "prospect", "lead maps to prospect");
        assert_eq!(first["external_id"], "9001");
        assert_eq!(first["industry"], "Software");
        assert_eq!(first["renewal_date"], "2027-06-30");
        assert_eq!(by_name(&accounts, "Company 4")["stage"], "active", "customer maps to active");
        for skipped in ["Company 10", "Company 150", "Company 400"] {
            assert!(accounts.iter().all(|account| account["name"] != skipped), "{skipped} was invalid");
        }
        assert!(accounts.iter().all(|account| account["domain"] != "company20.example"), "the nameless row was skipped");

        let again = expect_json(preview(&manager, &file, ""), 200);
        assert_eq!(again["counts"], counts(0, 0, 996, 4), "re-importing the same file changes nothing");
        let (_, recommitted) = import(&manager, &file, "");
        assert_eq!(recommitted["counts"], counts(0, 0, 996, 4));
        assert_eq!(all_accounts(&manager).len(), 996);
        let first_after = expect_json(manager.get(&format!("/api/v1/accounts/{}", first["id"].as_str().expect("id"))), 200);
        assert_eq!(first_after["updated_at"], first["updated_at"], "unchanged rows are not written");
    }

    fn commit_failing_midway_writes_nothing(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let existing = expect_json(admin.post("/api/v1/accounts", &json!({"name": "Existing", "domain": "existing.example", "stage": "active"})), 201);
        let existing_id = existing["id"].as_str().expect("id");

        let mut file = String::from("name,domain,stage\nExisting,existing.example,renewal\n");
        for row in 2..=1500 {
            let name = if row == 1400 { "Boom".to_owned() } else { format!("Account {row}") };
            file.push_str(&format!("{name},a{row}.example,active\n"));
        }
        let previewed = expect_json(preview(&admin, &file, ""), 200);
        assert_eq!(previewed["counts"], counts(1499, 1, 0, 0));
        let import_id = previewed["import_id"].as_str().expect("id").to_owned();

        // The database rejects the row named Boom after the first batch of 1,000 was
        // inserted. That is a server fault, so 500, and the transaction leaves no trace.
        break_inserts_named_boom(&server);
        expect_problem(commit(&admin, &import_id), 500, "internal", None);
        assert_eq!(all_accounts(&admin).len(), 1, "no account of the failed commit remains");
        assert_eq!(expect_json(admin.get(&format!("/api/v1/accounts/{existing_id}")), 200)["stage"], "active");
        assert!(timeline_subjects(&admin, existing_id).is_empty());

        repair_inserts(&server);
        let committed = expect_json(commit(&admin, &import_id), 200);
        assert_eq!(committed["counts"], counts(1499, 1, 0, 0), "the failed commit did not consume the import");
        assert_eq!(all_accounts(&admin).len(), 1500);
        assert_eq!(timeline_subjects(&admin, existing_id), vec!["Stage changed from Active to Renewal"]);
    }

    fn salesforce_websites_and_types(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let file = "Account ID,Account Name,Website,Type,Account Owner,Billing City\n\
                    001A,Acme Corp,https://www.Acme.com/about,Customer - Direct,,Berlin\n\
                    001B,Globex,http://globex.com,Prospect,,Paris\n\
                    001C,Initech,initech.io:8080,Channel Partner / Reseller,,Austin\n\
                    001D,Umbrella,,Other,,\n";

        let (previewed, committed) = import(&admin, file, "?default_stage=onboarding");
        assert_eq!(committed["counts"], counts(4, 0, 0, 0));
        assert_eq!(previewed["default_stage"], "onboarding");
        assert_eq!(issues(&previewed, "warnings"), vec![(3, Some("stage".to_owned())), (4, Some("stage".to_owned()))]);
        assert_eq!(
            message_of(&previewed, "warnings", 3, "stage"),
            "\"Channel Partner / Reseller\" is not a Mango CS stage; the default stage onboarding is used"
        );
        assert_eq!(previewed["mapping"][5], json!({"header": "Billing City", "target": null, "status": "unmapped"}));

        let accounts = all_accounts(&admin);
        let acme = by_name(&accounts, "Acme Corp");
        assert_eq!(acme["domain"], "acme.com", "a website yields its domain");
        assert_eq!(acme["stage"], "active");
        assert_eq!(acme["external_id"], "001A");
        assert_eq!(by_name(&accounts, "Globex")["stage"], "prospect");
        assert_eq!(by_name(&accounts, "Initech")["domain"], "initech.io");
        assert_eq!(by_name(&accounts, "Initech")["stage"], "onboarding");
        let umbrella = by_name(&accounts, "Umbrella");
        assert_eq!(umbrella["domain"], Value::Null);
        assert_eq!(umbrella["stage"], "onboarding");

        let update = "Account ID,Account Name,Website,Type\n\
                      001B,Globex Corporation,,Customer - Direct\n\
                      001D,Umbrella,umbrella.com,Partner\n";
        let (previewed, committed) = import(&admin, update, "");
        assert_eq!(committed["counts"], counts(0, 2, 0, 0), "rows without a domain match by external id");
        assert_eq!(
            message_of(&previewed, "warnings", 2, "stage"),
            "\"Partner\" is not a Mango CS stage; the stage stays onboarding"
        );
        let accounts = all_accounts(&admin);
        let globex = by_name(&accounts, "Globex Corporation");
        assert_eq!(globex["domain"], "globex.com", "a blank website leaves the domain");
        assert_eq!(globex["stage"], "active");
        assert_eq!(timeline_subjects(&admin, globex["id"].as_str().expect("id")), vec!["Stage changed from Prospect to Active"]);
        let umbrella = by_name(&accounts, "Umbrella");
        assert_eq!(umbrella["domain"], "umbrella.com");
        assert_eq!(umbrella["stage"], "onboarding", "an unknown stage leaves an existing account's stage");
        assert!(timeline_subjects(&admin, umbrella["id"].as_str().expect("id")).is_empty());
    }

    fn explicit_mapping_is_applied(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let file = "Org,Web,Phase,Owner Email,Notes,Industry\n\
                    Acme,https://acme.com,churned,admin@acme.test,call back,Retail\n";
        let mapping = json!({"Org": "name", "Web": "website", "Phase": "stage", "Owner Email": "csm", "Notes": "ignore"});

        let (previewed, committed) = import(&admin, file, &mapping_query(&mapping));
        assert_eq!(committed["counts"], counts(1, 0, 0, 0));
        assert_eq!(
            previewed["mapping"],
            json!([
                {"header": "Org", "target": "name", "status": "mapped"},
                {"header": "Web", "target": "website", "status": "mapped"},
                {"header": "Phase", "target": "stage", "status": "mapped"},
                {"header": "Owner Email", "target": "csm", "status": "mapped"},
                {"header": "Notes", "target": null, "status": "ignored"},
                {"header": "Industry", "target": "industry", "status": "mapped"},
            ])
        );
        let accounts = all_accounts(&admin);
        let acme = by_name(&accounts, "Acme");
        assert_eq!(acme["domain"], "acme.com");
        assert_eq!(acme["stage"], "churned");
        assert_eq!(acme["industry"], "Retail", "columns the mapping leaves out are detected");
        assert!(acme["csm_id"].is_string());

        for bad in [
            json!({"Org": "colour"}),
            json!({"Fax": "name"}),
            json!({"Org": "name", "Web": "name"}),
            json!({"Org": "custom_fields.missing"}),
            json!({"Org": 7}),
            json!(["Org"]),
            json!({"Org": "ignore"}),
        ] {
            expect_problem(preview(&admin, file, &mapping_query(&bad)), 422, "validation_failed", Some("mapping"));
        }
        expect_problem(preview(&admin, file, "?mapping=%7Bnot%20json"), 422, "validation_failed", Some("mapping"));
        expect_problem(preview(&admin, "Fax,Phone\n1,2\n", ""), 422, "validation_failed", Some("mapping"));
        expect_problem(preview(&admin, file, "?default_stage=live"), 400, "invalid_query", Some("default_stage"));
        expect_problem(preview(&admin, file, "?colour=red"), 400, "invalid_query", Some("colour"));
    }

    fn owners_match_names_and_emails(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let user = |email: &str, name: &str| {
            server
                .app
                .create_user_in_business("acme", &UserCreate { email: email.into(), name: name.into(), role: Role::Member, password: None })
                .expect("create user")
                .id
                .to_string()
        };
        let dana = user("dana@acme.test", "Dana Scully");
        let fox = user("fox@acme.test", "Fox Mulder");

        let file = "name,domain,csm,ae\nAlpha,alpha.example, dana  SCULLY ,FOX@ACME.TEST\nBravo,bravo.example,Walter Skinner,\n";
        let (previewed, committed) = import(&admin, file, "");
        assert_eq!(committed["counts"], counts(2, 0, 0, 0), "an unknown owner is a warning, not an error");
        assert_eq!(issues(&previewed, "warnings"), vec![(2, Some("csm".to_owned()))]);
        assert_eq!(
            message_of(&previewed, "warnings", 2, "csm"),
            "no user has the name or email \"Walter Skinner\"; the owner is left empty"
        );
        let accounts = all_accounts(&admin);
        assert_eq!(by_name(&accounts, "Alpha")["csm_id"], dana.as_str());
        assert_eq!(by_name(&accounts, "Alpha")["ae_id"], fox.as_str());
        assert_eq!(by_name(&accounts, "Bravo")["csm_id"], Value::Null);

        let (previewed, committed) = import(&admin, "name,domain,csm\nAlpha,alpha.example,Nobody\n", "");
        assert_eq!(committed["counts"], counts(0, 0, 1, 0));
        assert_eq!(
            message_of(&previewed, "warnings", 1, "csm"),
            "no user has the name or email \"Nobody\"; the owner stays as it is"
        );
        assert_eq!(by_name(&all_accounts(&admin), "Alpha")["csm_id"], dana.as_str());
    }

    fn custom_field_columns(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        create_field(&admin, json!({"entity": "account", "key": "tier", "label": "Tier", "kind": "single_select", "options": ["Gold", "Silver"]}));
        create_field(&admin, json!({"entity": "account", "key": "seats", "label": "Seats", "kind": "number"}));
        create_field(&admin, json!({"entity": "account", "key": "kickoff", "label": "Kickoff Date", "kind": "date"}));
        create_field(&admin, json!({"entity": "account", "key": "vip", "label": "VIP", "kind": "boolean"}));
        create_field(&admin, json!({"entity": "account", "key": "notes", "label": "Account Notes", "kind": "text"}));

        let file = "Name,Domain,Tier,seats,Kickoff Date,VIP,Account Notes,Favourite Colour\n\
                    Acme,acme.com,Gold,12,2026-01-31,yes,=hello,blue\n\
                    Globex,globex.com,Bronze,many,2026-02-01,no,,red\n\
                    Initech,initech.com,Silver,7.5,31/01/2026,maybe,,green\n";
        let (previewed, committed) = import(&admin, file, "");
        assert_eq!(committed["counts"], counts(1, 0, 0, 2));
        assert_eq!(
            issues(&previewed, "errors"),
            vec![
                (2, Some("custom_fields.tier".to_owned())),
                (2, Some("custom_fields.seats".to_owned())),
                (3, Some("custom_fields.kickoff".to_owned())),
                (3, Some("custom_fields.vip".to_owned())),
            ]
        );
        assert_eq!(message_of(&previewed, "errors", 2, "custom_fields.tier"), "must be one of: Gold, Silver");
        let targets: Vec<Value> = previewed["mapping"].as_array().expect("mapping").iter().map(|column| column["target"].clone()).collect();
        assert_eq!(
            targets,
            vec![
                json!("name"), json!("domain"), json!("custom_fields.tier"), json!("custom_fields.seats"),
                json!("custom_fields.kickoff"), json!("custom_fields.vip"), json!("custom_fields.notes"), Value::Null,
            ]
        );
        assert_eq!(previewed["mapping"][7]["status"], "unmapped", "a column that names no field is shown unmapped");

        let accounts = all_accounts(&admin);
        assert_eq!(accounts.len(), 1);
        assert_eq!(
            accounts[0]["custom_fields"],
            json!({"tier": "Gold", "seats": 12, "kickoff": "2026-01-31", "vip": true, "notes": "=hello"})
        );

        create_field(&admin, json!({"entity": "account", "key": "region", "label": "Region", "kind": "text", "required": true}));
        let file = "Name,Domain,Tier\nAcme,acme.com,Silver\nNew Co,new.example,Gold\n";
        let (previewed, committed) = import(&admin, file, "");
        assert_eq!(committed["counts"], counts(0, 1, 0, 1), "a required field binds new accounts only");
        assert_eq!(issues(&previewed, "errors"), vec![(2, Some("custom_fields.region".to_owned()))]);
        assert_eq!(all_accounts(&admin)[0]["custom_fields"]["tier"], "Silver");
    }

    fn repeats_and_collisions_are_row_errors(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        expect_json(admin.post("/api/v1/accounts", &json!({"name": "Acme", "domain": "acme.com", "external_id": "A1"})), 201);
        expect_json(admin.post("/api/v1/accounts", &json!({"name": "Globex", "domain": "globex.com", "external_id": "G1"})), 201);

        let file = "name,domain,external_id,at_risk,at_risk_reasons\n\
                    Acme,acme.com,G1,,\n\
                    Globex,,G1,,\n\
                    Initech,initech.com,I1,no,competitor\n\
                    Hooli,hooli.com,H1,yes,Low usage; budget cuts\n\
                    Hooli 2,hooli.com,H2,,\n\
                    Acme again,,A1,,\n\
                    Extra,extra.com,E1,,,surplus\n";
        let previewed = expect_json(preview(&admin, file, ""), 200);
        assert_eq!(
            issues(&previewed, "errors"),
            vec![
                (1, Some("external_id".to_owned())),
                (2, Some("external_id".to_owned())),
                (3, Some("at_risk_reasons".to_owned())),
                (5, Some("domain".to_owned())),
                (6, Some("external_id".to_owned())),
                (7, None),
            ]
        );
        assert_eq!(
            message_of(&previewed, "errors", 1, "external_id"),
            "\"G1\" belongs to the account \"Globex\", but the row's domain matches the account \"Acme\""
        );
        assert_eq!(message_of(&previewed, "errors", 2, "external_id"), "repeats the external id \"G1\" of row 1");
        assert_eq!(message_of(&previewed, "errors", 6, "external_id"), "matches the same existing account as row 1");
        assert_eq!(previewed["counts"], counts(1, 0, 0, 6));

        let (_, committed) = import(&admin, file, "");
        assert_eq!(committed["counts"], counts(1, 0, 0, 6));
        let hooli = by_name(&all_accounts(&admin), "Hooli").clone();
        assert_eq!(hooli["at_risk"], true);
        assert_eq!(hooli["at_risk_reasons"], json!(["low_usage", "budget_cuts"]));
    }

    fn repeats_are_found_across_chunks(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        expect_json(admin.post("/api/v1/accounts", &json!({"name": "Old", "domain": "old.example", "external_id": "OLD"})), 201);

        // Rows are checked 5,000 at a time, so the repeats below are in a later chunk than
        // the rows they repeat.
        let mut file = String::from("name,domain,external_id\nOld,old.example,\n");
        for row in 2..=6000 {
            let (domain, external_id) = match row {
                5500 => ("a2.example".to_owned(), String::new()),
                5600 => (String::new(), "OLD".to_owned()),
                _ => (format!("a{row}.example"), format!("E{row}")),
            };
            file.push_str(&format!("Account {row},{domain},{external_id}\n"));
        }
        let (previewed, committed) = import(&admin, &file, "");
        assert_eq!(issues(&previewed, "errors"), vec![(5500, Some("domain".to_owned())), (5600, Some("external_id".to_owned()))]);
        assert_eq!(message_of(&previewed, "errors", 5500, "domain"), "repeats the domain a2.example of row 2");
        assert_eq!(message_of(&previewed, "errors", 5600, "external_id"), "matches the same existing account as row 1");
        assert_eq!(committed["counts"], counts(5997, 0, 1, 2));
        assert_eq!(expect_json(admin.get("/api/v1/accounts?limit=1"), 200)["total"], 5998);
    }

    fn commit_twice_conflicts(server) {
        server.business("acme");
        let manager = server.user("acme", "csm@acme.test", Role::Manager);
        let previewed = expect_json(preview(&manager, "name,domain\nAcme,acme.com\n", ""), 200);
        let import_id = previewed["import_id"].as_str().expect("id");

        expect_json(commit(&manager, import_id), 200);
        let problem = expect_problem(commit(&manager, import_id), 409, "import_already_committed", None);
        assert!(problem["detail"].as_str().unwrap_or_default().contains("already committed"), "{problem}");
        assert_eq!(all_accounts(&manager).len(), 1, "the second commit applied nothing");
    }

    fn other_tenant_import_is_not_found(server) {
        server.business("acme");
        server.business("umbrella");
        let acme = server.user("acme", "admin@acme.test", Role::Admin);
        let umbrella = server.user("umbrella", "admin@umbrella.test", Role::Admin);
        let previewed = expect_json(preview(&acme, "name,domain\nAcme,acme.com\n", ""), 200);
        let import_id = previewed["import_id"].as_str().expect("id");

        expect_problem(commit(&umbrella, import_id), 404, "not_found", None);
        expect_problem(commit(&umbrella, "01900000-0000-7000-8000-000000000000"), 404, "not_found", None);
        expect_problem(commit(&umbrella, "not-an-id"), 404, "not_found", None);
        assert!(all_accounts(&umbrella).is_empty());
        assert!(all_accounts(&acme).is_empty(), "the other tenant's attempt committed nothing");

        expect_json(commit(&acme, import_id), 200);
        assert_eq!(all_accounts(&acme).len(), 1);
        assert!(all_accounts(&umbrella).is_empty());
    }

    fn browser_session_manager_imports(server) {
        server.business("acme");
        server.user("acme", "csm@acme.test", Role::Manager);
        let mut browser = ApiClient::browser(&server);
        expect_json(browser.login("csm@acme.test", common::PASSWORD), 200);
        let previewed = expect_json(preview(&browser, "name\nAcme\n", ""), 200);
        expect_json(commit(&browser, previewed["import_id"].as_str().expect("id")), 200);
        assert_eq!(all_accounts(&browser).len(), 1);

        browser.csrf = None;
        expect_problem(preview(&browser, "name\nAcme\n", ""), 403, "forbidden", None);
        expect_problem(preview(&server.anonymous(), "name\nAcme\n", ""), 401, "unauthenticated", None);
    }

    fn malformed_uploads_are_client_errors(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let raw = |content_type: &str, body: Vec<u8>| admin.send_raw(Method::POST, PREVIEW, content_type, body);

        expect_problem(raw("text/csv", Vec::new()), 422, "validation_failed", Some("file"));
        expect_problem(raw("text/csv", b"\xEF\xBB\xBF".to_vec()), 422, "validation_failed", Some("file"));
        expect_problem(raw("text/csv", b"\r\n\r\n,,\r\n".to_vec()), 422, "validation_failed", Some("file"));
        let garbage: Vec<u8> = (0..4096_u32).map(|index| (index.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        expect_problem(raw("text/csv", garbage), 422, "validation_failed", Some("file"));
        expect_problem(raw("text/csv", b"name\nA\0B\n".to_vec()), 422, "validation_failed", Some("file"));
        let unclosed = b"Company name,Company Domain Name\r\nQuoteA Co,quotea.example\r\n\"QuoteB Co,quoteb.example\r\nQuoteC Co,quotec.example\r\n";
        let problem = expect_problem(raw("text/csv", unclosed.to_vec()), 422, "validation_failed", Some("file"));
        assert!(problem["errors"][0]["message"].as_str().unwrap_or_default().starts_with("row 2 opens a quoted cell"), "{problem}");
        let quoted_break = b"name,domain\n\"Two\nLines Co\",two.example\n\"Said \"\"hi\"\"\nthere\",hi.example\n";
        let previewed = expect_json(raw("text/csv", quoted_break.to_vec()), 200);
        assert_eq!(previewed["counts"], counts(2, 0, 0, 0), "closed quotes across lines are fine: {previewed}");
        expect_problem(raw("application/json", b"{\"name\": \"Acme\"}".to_vec()), 415, "unsupported_media_type", None);
        expect_problem(raw("image/png", b"name\nAcme\n".to_vec()), 415, "unsupported_media_type", None);
        expect_problem(raw("multipart/form-data", b"name\nAcme\n".to_vec()), 400, "malformed_multipart", None);
        expect_problem(
            raw("multipart/form-data; boundary=xyz", b"--xyz\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nname\nAc".to_vec()),
            400,
            "malformed_multipart",
            None,
        );

        let header_only = expect_json(raw("text/csv; charset=utf-8", b"name,domain\r\n".to_vec()), 200);
        assert_eq!(header_only["counts"], counts(0, 0, 0, 0));
        expect_json(commit(&admin, header_only["import_id"].as_str().expect("id")), 200);

        let token = admin.token.clone().expect("token");
        let http = reqwest::blocking::Client::new();
        let multipart = |form: reqwest::blocking::multipart::Form| {
            http.post(format!("{}{PREVIEW}", admin.base_url)).bearer_auth(&token).multipart(form).send().expect("multipart upload")
        };
        let form = reqwest::blocking::multipart::Form::new()
            .text("note", "ignored")
            .part("file", reqwest::blocking::multipart::Part::bytes(b"name,domain\nAcme,acme.com\n".to_vec()).file_name("accounts.csv"));
        let previewed = expect_json(multipart(form), 200);
        assert_eq!(previewed["counts"], counts(1, 0, 0, 0));
        let form = reqwest::blocking::multipart::Form::new().text("upload", "name\nAcme\n");
        expect_problem(multipart(form), 422, "validation_failed", Some("file"));

        let mut huge = b"name\n".to_vec();
        huge.resize(50 * 1024 * 1024 + 1, b'a');
        expect_problem(raw("text/csv", huge.clone()), 413, "body_too_large", Some("file"));
        let form = reqwest::blocking::multipart::Form::new().part("file", reqwest::blocking::multipart::Part::bytes(huge).file_name("big.csv"));
        expect_problem(multipart(form), 413, "body_too_large", Some("file"));

        let long_cell = format!("name,renewal_date\nAcme,{}\n", "9".repeat(100_000));
        let previewed = expect_json(raw("text/csv", long_cell.into_bytes()), 200);
        let message = message_of(&previewed, "errors", 1, "renewal_date");
        assert!(message.len() < 150, "messages quote long cells cut short: {message}");
        assert!(all_accounts(&admin).is_empty());
    }

    fn export_mirrors_filters_and_guards_formulas(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let me = expect_json(admin.get("/api/v1/me"), 200);
        let my_id = me["user"]["id"].as_str().expect("user id").to_owned();
        create_field(&admin, json!({"entity": "account", "key": "seats", "label": "Seats", "kind": "number"}));
        create_field(&admin, json!({"entity": "account", "key": "notes", "label": "Notes", "kind": "text"}));

        let formula = expect_json(admin.post("/api/v1/accounts", &json!({
            "name": "=HYPERLINK(\"http://x.test\")", "domain": "formula.example", "stage": "renewal",
            "at_risk": true, "at_risk_reasons": ["competitor", "low_usage"], "csm_id": my_id,
            "renewal_date": "2027-01-31", "custom_fields": {"seats": -3, "notes": "+cmd"}
        })), 201);
        expect_json(admin.post("/api/v1/accounts", &json!({"name": "-Bravo", "stage": "active", "custom_fields": {"seats": 12.5}})), 201);
        expect_json(admin.post("/api/v1/accounts", &json!({"name": "@Zulu", "stage": "renewal", "billing_customer_id": "=1+1", "external_id": "C-1"})), 201);
        set_health_score(&server, formula["id"].as_str().expect("id"), 42);

        let response = admin.get("/api/v1/accounts.csv?stage=renewal&sort=-name");
        assert_eq!(response.status(), 200);
        let header = |name: &str| response.headers().get(name).and_then(|value| value.to_str().ok()).unwrap_or_default().to_owned();
        assert_eq!(header("content-type"), "text/csv; charset=utf-8");
        let disposition = header("content-disposition");
        assert!(disposition.starts_with("attachment; filename=\"accounts-") && disposition.ends_with(".csv\""), "{disposition}");
        let rows = parse_csv(&response.text().expect("CSV"));
        assert_eq!(
            rows[0],
            [
                "id", "name", "domain", "industry", "stage", "at_risk", "at_risk_reasons", "csm", "ae", "renewal_date",
                "health_score", "billing_customer_id", "external_id", "created_at", "updated_at", "Seats", "Notes",
            ]
        );
        let names: Vec<&str> = rows[1..].iter().map(|row| row[1].as_str()).collect();
        assert_eq!(names, ["'@Zulu", "'=HYPERLINK(\"http://x.test\")"], "filtered to renewal, sorted by name descending");
        let formula_row = &rows[2];
        assert_eq!(formula_row[0], formula["id"].as_str().expect("id"));
        assert_eq!(formula_row[2], "formula.example");
        assert_eq!(formula_row[5], "true");
        assert_eq!(formula_row[6], "low_usage;competitor");
        assert_eq!(formula_row[7], "admin@acme.test", "owners are exported as emails");
        assert_eq!(formula_row[9], "2027-01-31");
        assert_eq!(formula_row[10], "42", "the health score is a plain number");
        assert_eq!(formula_row[15], "-3", "a number custom field is a plain number, even negative");
        assert_eq!(formula_row[16], "'+cmd", "a text custom field is guarded");
        assert_eq!(rows[1][11], "'=1+1");
        assert_eq!(rows[1][12], "C-1");

        let bravo = parse_csv(&admin.get("/api/v1/accounts.csv?q=bravo&limit=1&offset=5").text().expect("CSV"));
        assert_eq!(bravo.len(), 2, "paging parameters are ignored: {bravo:?}");
        assert_eq!(bravo[1][1], "'-Bravo");
        assert_eq!(bravo[1][15], "12.5");
        assert_eq!(parse_csv(&admin.get(&format!("/api/v1/accounts.csv?csm_id={my_id}")).text().expect("CSV")).len(), 2);

        expect_problem(admin.get("/api/v1/accounts.csv?sort=colour"), 422, "validation_failed", Some("sort"));
        expect_problem(admin.get("/api/v1/accounts.csv?stage=live"), 400, "invalid_query", Some("stage"));
        expect_problem(server.anonymous().get("/api/v1/accounts.csv"), 401, "unauthenticated", None);
    }

    fn export_reimports_unchanged(server) {
        server.business("acme");
        let admin = server.user("acme", "admin@acme.test", Role::Admin);
        let me = expect_json(admin.get("/api/v1/me"), 200);
        let my_id = me["user"]["id"].as_str().expect("user id").to_owned();
        create_field(&admin, json!({"entity": "account", "key": "seats", "label": "Seats", "kind": "number"}));
        create_field(&admin, json!({"entity": "account", "key": "tier", "label": "Tier", "kind": "single_select", "options": ["Gold", "Silver"]}));
        create_field(&admin, json!({"entity": "account", "key": "vip", "label": "VIP", "kind": "boolean"}));
        expect_json(admin.post("/api/v1/accounts", &json!({
            "name": "=Formula Ltd", "domain": "formula.example", "stage": "renewal", "at_risk": true,
            "at_risk_reasons": ["payment_issue"], "csm_id": my_id, "ae_id": my_id, "renewal_date": "2027-01-31",
            "billing_customer_id": "cus_1", "external_id": "X-1", "industry": "Retail",
            "custom_fields": {"seats": 12, "tier": "Gold", "vip": false}
        })), 201);
        expect_json(admin.post("/api/v1/accounts", &json!({"name": "No Keys", "custom_fields": {"seats": 2.5}})), 201);
        expect_json(admin.post("/api/v1/accounts", &json!({"name": "-Minus", "domain": "minus.example", "stage": "churned"})), 201);
        let before = all_accounts(&admin);

        let exported = admin.get("/api/v1/accounts.csv").text().expect("CSV");
        let (previewed, committed) = import(&admin, &exported, "");
        assert_eq!(previewed["counts"], counts(0, 0, 3, 0), "{previewed}");
        assert_eq!(previewed["warnings"], json!([]));
        assert_eq!(committed["counts"], counts(0, 0, 3, 0));
        assert_eq!(all_accounts(&admin), before, "nothing changed");

        let edited = exported.replace("No Keys", "No Keys Renamed").replace(",churned,", ",active,");
        let (_, committed) = import(&admin, &edited, "");
        assert_eq!(committed["counts"], counts(0, 2, 1, 0), "an account without domain or external id matches by id");
        let after = all_accounts(&admin);
        assert_eq!(after.len(), 3);
        let renamed = by_name(&after, "No Keys Renamed");
        assert_eq!(renamed["custom_fields"], json!({"seats": 2.5}));
        let minus = by_name(&after, "-Minus");
        assert_eq!(minus["stage"], "active");
        assert_eq!(timeline_subjects(&admin, minus["id"].as_str().expect("id")), vec!["Stage changed from Churned to Active"]);
    }

    fn export_shows_only_own_business(server) {
        server.business("acme");
        server.business("umbrella");
        let acme = server.user("acme", "admin@acme.test", Role::Admin);
        let umbrella = server.user("umbrella", "admin@umbrella.test", Role::Admin);
        let acme_me = expect_json(acme.get("/api/v1/me"), 200);
        let acme_user = acme_me["user"]["id"].as_str().expect("user id").to_owned();
        create_field(&acme, json!({"entity": "account", "key": "secret", "label": "Secret", "kind": "text"}));
        expect_json(acme.post("/api/v1/accounts", &json!({"name": "Acme Secret", "csm_id": acme_user, "custom_fields": {"secret": "s3"}})), 201);
        expect_json(umbrella.post("/api/v1/accounts", &json!({"name": "Umbrella Own"})), 201);

        let rows = parse_csv(&umbrella.get("/api/v1/accounts.csv").text().expect("CSV"));
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1][1], "Umbrella Own");
        assert_eq!(rows[0].len(), 15, "the other business's custom fields are not columns");
        let filtered = parse_csv(&umbrella.get(&format!("/api/v1/accounts.csv?csm_id={acme_user}")).text().expect("CSV"));
        assert_eq!(filtered.len(), 1, "only the header: {filtered:?}");
        let searched = umbrella.get("/api/v1/accounts.csv?q=secret").text().expect("CSV");
        assert!(!searched.contains("Acme"), "{searched}");
    }
}
