//! Reading one row of an import file and deciding what it does to the accounts: create
//! one, update one, leave one as it is, or nothing because the row is invalid.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use api_types::imports::{ImportCounts, RowIssue};
use chrono::{NaiveDate, NaiveDateTime};
use crm_core::import::{
    map_stage, parse_bool, parse_custom_cell, parse_date, parse_reasons, same_value, shown, OwnerDirectory, OwnerMatch,
    StageValue,
};
use crm_core::stage::normalize_reasons;
use crm_core::validation::{optional_text, required_text};
use crm_core::{ActivityKind, AtRiskReason, Stage, UserId, ValidationErrors};
use csv::StringRecord;
use serde_json::{Map, Value};
use store::accounts::AccountRow;
use store::activities::ActivityRow;
use uuid::Uuid;

use super::columns::Columns;
use super::{Existing, MAX_LISTED_ISSUES};
use crate::accounts::{normalize_domain, reasons_json, MAX_NAME_CHARS};
use crate::clock::new_id;
use crate::custom_fields::{values_of, with_values};
use crate::error::{AppError, AppResult};
use crate::tenant::Tenant;

/// Maximum length of an industry, and of a billing or external id, in characters, as the
/// account API accepts them.
const MAX_INDUSTRY_CHARS: usize = 100;
const MAX_ID_CHARS: usize = 200;

/// A stage cell as read.
enum StageCell {
    Mapped(Stage),
    Blank,
    /// "Other", a partner type or any value that names no stage.
    Unknown(String),
}

/// The values one row sets. `None` means the cell is blank (or the column absent), which
/// leaves an existing account's value as it is.
struct Incoming {
    name: String,
    domain: Option<String>,
    industry: Option<String>,
    /// `None` when the file has no stage column.
    stage: Option<StageCell>,
    at_risk: Option<bool>,
    at_risk_reasons: Option<Vec<AtRiskReason>>,
    csm: Option<String>,
    ae: Option<String>,
    renewal_date: Option<NaiveDate>,
    billing_customer_id: Option<String>,
    external_id: Option<String>,
    id: Option<String>,
    custom_fields: Map<String, Value>,
}

/// The errors and warnings of one row.
struct RowReport {
    row: u64,
    errors: Vec<RowIssue>,
    warnings: Vec<RowIssue>,
}

impl RowReport {
    fn issue(&self, field: Option<&str>, message: impl Into<String>) -> RowIssue {
        RowIssue { row: self.row, field: field.map(str::to_owned), message: message.into() }
    }

    fn error(&mut self, field: &str, message: impl Into<String>) {
        let issue = self.issue(Some(field), message);
        self.errors.push(issue);
    }

    fn warn(&mut self, field: &str, message: impl Into<String>) {
        let issue = self.issue(Some(field), message);
        self.warnings.push(issue);
    }

    fn absorb(&mut self, errors: ValidationErrors) {
        for error in errors.0 {
            self.error(&error.field, error.message);
        }
    }

    fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }
}

/// The key by which a row found its existing account.
#[derive(Clone, Copy)]
enum MatchedBy {
    Domain,
    ExternalId,
    Id,
}

impl MatchedBy {
    fn field(self) -> &'static str {
        match self {
            MatchedBy::Domain => "domain",
            MatchedBy::ExternalId => "external_id",
            MatchedBy::Id => "id",
        }
    }
}

enum Outcome {
    New(AccountRow),
    /// The changed account and, when its stage changed, the old and new stage.
    Updated(AccountRow, Option<(Stage, Stage)>),
    Unchanged,
    Invalid,
}

/// The outcome of checking an import file: counts, issues and, with `keep_rows`, the rows
/// to write.
#[derive(Default)]
pub(super) struct Evaluation {
    pub counts: ImportCounts,
    /// The first [`MAX_LISTED_ISSUES`] errors.
    pub errors: Vec<RowIssue>,
    /// The first [`MAX_LISTED_ISSUES`] warnings of rows that import.
    pub warnings: Vec<RowIssue>,
    /// Whether errors or warnings were left out.
    pub truncated: bool,
    pub inserts: Vec<AccountRow>,
    pub updates: Vec<AccountRow>,
    /// "Stage changed" entries for the updated accounts' timelines.
    pub activities: Vec<ActivityRow>,
}

/// Decides row by row, remembering the first row of each key so that a repeat within
/// the file is reported on the later row.
pub(super) struct Evaluator {
    business_id: String,
    author_id: UserId,
    columns: Columns,
    owners: OwnerDirectory,
    /// The accounts the rows of the current chunk can match.
    existing: Existing,
    default_stage: Stage,
    at: NaiveDateTime,
    keep_rows: bool,
    first_row_by_domain: HashMap<String, u64>,
    first_row_by_external_id: HashMap<String, u64>,
    /// The id of each matched account and the row that matched it.
    first_row_by_account: HashMap<String, u64>,
    evaluation: Evaluation,
}

fn push_capped(list: &mut Vec<RowIssue>, issues: Vec<RowIssue>, truncated: &mut bool) {
    for issue in issues {
        if list.len() < MAX_LISTED_ISSUES {
            list.push(issue);
        } else {
            *truncated = true;
        }
    }
}

/// Returns the value of a parsed cell, or `None` after recording its error under `field`.
fn parsed<T>(errors: &mut ValidationErrors, field: &str, result: Result<Option<T>, String>) -> Option<T> {
    result.unwrap_or_else(|message| {
        errors.add(field, message);
        None
    })
}

/// Sets `slot` when the row has a value, and leaves it otherwise.
fn set_filled<T>(slot: &mut Option<T>, value: Option<T>) {
    if value.is_some() {
        *slot = value;
    }
}

fn parse_stage(text: &str, id: &str) -> AppResult<Stage> {
    text.parse().map_err(|_| AppError::Internal(format!("accounts.stage of {id} is invalid")))
}

impl Evaluator {
    pub fn new(
        tenant: &Tenant,
        columns: Columns,
        owners: OwnerDirectory,
        default_stage: Stage,
        at: NaiveDateTime,
        keep_rows: bool,
    ) -> Self {
        Self {
            business_id: tenant.business_id.to_string(),
            author_id: tenant.user_id,
            columns,
            owners,
            existing: Existing::default(),
            default_stage,
            at,
            keep_rows,
            first_row_by_domain: HashMap::new(),
            first_row_by_external_id: HashMap::new(),
            first_row_by_account: HashMap::new(),
            evaluation: Evaluation::default(),
        }
    }

    pub fn columns(&self) -> &Columns {
        &self.columns
    }

    /// Sets the accounts the next rows can match.
    pub fn set_existing(&mut self, existing: Existing) {
        self.existing = existing;
    }

    pub fn finish(self) -> Evaluation {
        self.evaluation
    }

    /// Reads, checks and counts one record; `row` is its number for messages.
    pub fn add_row(&mut self, row: u64, record: &StringRecord) -> AppResult<()> {
        let mut report = RowReport { row, errors: Vec::new(), warnings: Vec::new() };
        let incoming = self.read(record, &mut report);
        let outcome = self.decide(incoming, &mut report)?;
        self.record(outcome, report);
        Ok(())
    }

    /// Parses every mapped cell, reporting each invalid one.
    fn read(&self, record: &StringRecord, report: &mut RowReport) -> Incoming {
        let columns = &self.columns;
        let extra = record.iter().skip(columns.width).filter(|cell| !cell.trim().is_empty()).count();
        if extra > 0 {
            let message = format!(
                "has {} fields but the header has {}; check the quotes in this row",
                record.len(),
                columns.width
            );
            report.errors.push(report.issue(None, message));
        }

        let mut errors = ValidationErrors::new();
        let name_cell = columns.cell(record, columns.name);
        let name = if name_cell.trim().is_empty() {
            errors.add("name", "is blank; every row needs a name");
            String::new()
        } else {
            required_text(&mut errors, "name", name_cell, MAX_NAME_CHARS)
        };
        let domain =
            columns.domain_source(record).and_then(|(field, cell)| normalize_domain(&mut errors, field, Some(cell)));
        let industry =
            optional_text(&mut errors, "industry", columns.filled(record, columns.industry), MAX_INDUSTRY_CHARS);
        let billing_customer_id = optional_text(
            &mut errors,
            "billing_customer_id",
            columns.filled(record, columns.billing_customer_id),
            MAX_ID_CHARS,
        );
        let external_id =
            optional_text(&mut errors, "external_id", columns.filled(record, columns.external_id), MAX_ID_CHARS);

        let stage = columns.stage.map(|index| match columns.filled(record, Some(index)) {
            None => StageCell::Blank,
            Some(cell) => match map_stage(cell) {
                StageValue::Mapped(stage) => StageCell::Mapped(stage),
                StageValue::Default => StageCell::Unknown(cell.to_owned()),
            },
        });
        let at_risk = parsed(&mut errors, "at_risk", parse_bool(columns.cell(record, columns.at_risk)));
        let reasons_cell = columns.cell(record, columns.at_risk_reasons);
        let at_risk_reasons = parsed(&mut errors, "at_risk_reasons", parse_reasons(reasons_cell));
        let renewal_date = parsed(&mut errors, "renewal_date", parse_date(columns.cell(record, columns.renewal_date)));

        let id = columns.filled(record, columns.id).and_then(|cell| match Uuid::parse_str(cell) {
            Ok(id) => Some(id.to_string()),
            Err(_) => {
                let message = format!(
                    "{} is not a Mango CS account id, so the row matches by domain and external id only",
                    shown(cell)
                );
                report.warn("id", message);
                None
            }
        });

        let mut custom_fields = Map::new();
        for (index, definition) in &columns.custom {
            match parse_custom_cell(definition, columns.cell(record, Some(*index))) {
                Ok(Some(value)) => {
                    custom_fields.insert(definition.key.clone(), value);
                }
                Ok(None) => {}
                Err(message) => errors.add(format!("custom_fields.{}", definition.key), message),
            }
        }
        report.absorb(errors);

        Incoming {
            name,
            domain,
            industry,
            stage,
            at_risk,
            at_risk_reasons,
            csm: columns.filled(record, columns.csm).map(str::to_owned),
            ae: columns.filled(record, columns.ae).map(str::to_owned),
            renewal_date,
            billing_customer_id,
            external_id,
            id,
            custom_fields,
        }
    }

    /// Reports keys that an earlier row of the file already has. Returns whether any did.
    fn check_repeats(&mut self, incoming: &Incoming, report: &mut RowReport) -> bool {
        let mut repeated = false;
        if let Some(domain) = &incoming.domain {
            match self.first_row_by_domain.entry(domain.clone()) {
                Entry::Occupied(first) => {
                    report.error("domain", format!("repeats the domain {domain} of row {}", first.get()));
                    repeated = true;
                }
                Entry::Vacant(slot) => {
                    slot.insert(report.row);
                }
            }
        }
        if let Some(external_id) = &incoming.external_id {
            match self.first_row_by_external_id.entry(external_id.clone()) {
                Entry::Occupied(first) => {
                    let message = format!("repeats the external id {} of row {}", shown(external_id), first.get());
                    report.error("external_id", message);
                    repeated = true;
                }
                Entry::Vacant(slot) => {
                    slot.insert(report.row);
                }
            }
        }
        repeated
    }

    /// Finds the existing account the row matches: by domain, else external id, else id.
    fn find_match(&self, incoming: &Incoming) -> Option<(usize, MatchedBy)> {
        let existing = &self.existing;
        let by_domain = incoming.domain.as_ref().and_then(|domain| existing.by_domain.get(domain));
        let by_external_id = incoming.external_id.as_ref().and_then(|key| existing.by_external_id.get(key));
        let by_id = incoming.id.as_ref().and_then(|id| existing.by_id.get(id));
        by_domain
            .map(|index| (*index, MatchedBy::Domain))
            .or_else(|| by_external_id.map(|index| (*index, MatchedBy::ExternalId)))
            .or_else(|| by_id.map(|index| (*index, MatchedBy::Id)))
    }

    fn decide(&mut self, incoming: Incoming, report: &mut RowReport) -> AppResult<Outcome> {
        let repeated = self.check_repeats(&incoming, report);
        let matched = self.find_match(&incoming);

        if let Some((index, matched_by)) = matched {
            // A domain that exists always wins the match, so only the external id can
            // belong to a different account than the one matched.
            let owner_of_external_id =
                incoming.external_id.as_ref().and_then(|key| self.existing.by_external_id.get(key));
            if let Some(&other) = owner_of_external_id.filter(|other| **other != index) {
                let message = format!(
                    "{} belongs to the account {}, but the row's domain matches the account {}",
                    shown(incoming.external_id.as_deref().unwrap_or_default()),
                    shown(&self.existing.rows[other].name),
                    shown(&self.existing.rows[index].name),
                );
                report.error("external_id", message);
            }
            match self.first_row_by_account.entry(self.existing.rows[index].id.clone()) {
                Entry::Occupied(first) if !repeated => {
                    let message = format!("matches the same existing account as row {}", first.get());
                    report.error(matched_by.field(), message);
                }
                Entry::Occupied(_) => {}
                Entry::Vacant(slot) => {
                    slot.insert(report.row);
                }
            }
        }
        if !report.is_valid() {
            return Ok(Outcome::Invalid);
        }

        match matched {
            None => self.new_account(incoming, report),
            Some((index, _)) => self.changed_account(index, incoming, report),
        }
    }

    /// Resolves an owner cell to a user id. Returns `None` for a blank cell and, with a
    /// warning that ends with `fallback`, for a name that matches no user or several.
    fn owner(&self, report: &mut RowReport, field: &str, cell: Option<&str>, fallback: &str) -> Option<String> {
        let cell = cell?;
        match self.owners.find(cell)? {
            OwnerMatch::Found(id) => Some(id.to_string()),
            OwnerMatch::Unknown => {
                report.warn(field, format!("no user has the name or email {}; {fallback}", shown(cell)));
                None
            }
            OwnerMatch::Ambiguous(count) => {
                let message =
                    format!("{count} users have the name {}; {fallback}; give the email instead", shown(cell));
                report.warn(field, message);
                None
            }
        }
    }

    fn new_account(&self, incoming: Incoming, report: &mut RowReport) -> AppResult<Outcome> {
        let default = self.default_stage;
        let stage = match &incoming.stage {
            None => default,
            Some(StageCell::Mapped(stage)) => *stage,
            Some(StageCell::Blank) => {
                report.warn("stage", format!("is blank; the default stage {default} is used"));
                default
            }
            Some(StageCell::Unknown(value)) => {
                let message = format!("{} is not a Mango CS stage; the default stage {default} is used", shown(value));
                report.warn("stage", message);
                default
            }
        };
        let csm_id = self.owner(report, "csm", incoming.csm.as_deref(), "the owner is left empty");
        let ae_id = self.owner(report, "ae", incoming.ae.as_deref(), "the owner is left empty");
        if incoming.id.is_some() {
            report.warn("id", "matches no account of your business, so a new account is created");
        }

        let at_risk = incoming.at_risk.unwrap_or(false);
        let reasons = incoming.at_risk_reasons.unwrap_or_default();
        if !at_risk && !reasons.is_empty() {
            report.error("at_risk_reasons", "can only be set when at_risk is true");
        }
        for definition in self.columns.definitions.iter().filter(|definition| definition.required) {
            if !incoming.custom_fields.contains_key(&definition.key) {
                report.error(&format!("custom_fields.{}", definition.key), "is required");
            }
        }
        if !report.is_valid() {
            return Ok(Outcome::Invalid);
        }

        Ok(Outcome::New(AccountRow {
            id: new_id().to_string(),
            business_id: self.business_id.clone(),
            name: incoming.name,
            domain: incoming.domain,
            industry: incoming.industry,
            stage: stage.as_str().to_owned(),
            at_risk,
            at_risk_reasons: reasons_json(&reasons)?,
            csm_id,
            ae_id,
            renewal_date: incoming.renewal_date,
            health_score: None,
            billing_customer_id: incoming.billing_customer_id,
            external_id: incoming.external_id,
            metadata: with_values("{}", incoming.custom_fields)?,
            is_sample: false,
            created_at: self.at,
            updated_at: self.at,
        }))
    }

    /// Applies the row's filled cells to an existing account and compares the result.
    fn changed_account(&self, index: usize, incoming: Incoming, report: &mut RowReport) -> AppResult<Outcome> {
        let current = &self.existing.rows[index];
        let mut next = current.clone();
        next.name = incoming.name;
        set_filled(&mut next.domain, incoming.domain);
        set_filled(&mut next.industry, incoming.industry);
        set_filled(&mut next.renewal_date, incoming.renewal_date);
        set_filled(&mut next.billing_customer_id, incoming.billing_customer_id);
        set_filled(&mut next.external_id, incoming.external_id);
        match &incoming.stage {
            Some(StageCell::Mapped(stage)) => next.stage = stage.as_str().to_owned(),
            Some(StageCell::Unknown(value)) => {
                let message = format!("{} is not a Mango CS stage; the stage stays {}", shown(value), current.stage);
                report.warn("stage", message);
            }
            Some(StageCell::Blank) | None => {}
        }
        let keep = "the owner stays as it is";
        set_filled(&mut next.csm_id, self.owner(report, "csm", incoming.csm.as_deref(), keep));
        set_filled(&mut next.ae_id, self.owner(report, "ae", incoming.ae.as_deref(), keep));

        let names: Vec<String> = store::from_json_text("accounts.at_risk_reasons", &current.at_risk_reasons)?;
        let current_reasons: Vec<AtRiskReason> = names.iter().filter_map(|name| name.parse().ok()).collect();
        let mut reasons = current_reasons.clone();
        if let Some(at_risk) = incoming.at_risk {
            next.at_risk = at_risk;
            if !at_risk {
                reasons.clear();
            }
        }
        if let Some(imported) = incoming.at_risk_reasons {
            reasons = imported;
        }
        if !next.at_risk && !reasons.is_empty() {
            report.error("at_risk_reasons", "can only be set when at_risk is true");
        }
        if normalize_reasons(&reasons) != normalize_reasons(&current_reasons) {
            next.at_risk_reasons = reasons_json(&reasons)?;
        }

        let current_values = values_of(&current.metadata)?;
        let mut values = current_values.clone();
        for (key, value) in incoming.custom_fields {
            if !values.get(&key).is_some_and(|stored| same_value(stored, &value)) {
                values.insert(key, value);
            }
        }
        if values != current_values {
            next.metadata = with_values(&current.metadata, values)?;
        }
        if !report.is_valid() {
            return Ok(Outcome::Invalid);
        }

        if next == *current {
            return Ok(Outcome::Unchanged);
        }
        next.updated_at = self.at;
        let stage_change = if next.stage == current.stage {
            None
        } else {
            Some((parse_stage(&current.stage, &current.id)?, parse_stage(&next.stage, &next.id)?))
        };
        Ok(Outcome::Updated(next, stage_change))
    }

    fn stage_activity(&self, account_id: &str, from: Stage, to: Stage) -> ActivityRow {
        ActivityRow {
            id: new_id().to_string(),
            business_id: self.business_id.clone(),
            account_id: account_id.to_owned(),
            kind: ActivityKind::System.as_str().to_owned(),
            // The same entry as a stage change through the account API.
            subject: format!("Stage changed from {} to {}", from.label(), to.label()),
            body: None,
            occurred_at: self.at,
            author_id: Some(self.author_id.to_string()),
            created_at: self.at,
        }
    }

    fn record(&mut self, outcome: Outcome, report: RowReport) {
        let valid = !matches!(outcome, Outcome::Invalid);
        match outcome {
            Outcome::New(row) => {
                self.evaluation.counts.new += 1;
                if self.keep_rows {
                    self.evaluation.inserts.push(row);
                }
            }
            Outcome::Updated(row, stage_change) => {
                self.evaluation.counts.updated += 1;
                if self.keep_rows {
                    if let Some((from, to)) = stage_change {
                        let activity = self.stage_activity(&row.id, from, to);
                        self.evaluation.activities.push(activity);
                    }
                    self.evaluation.updates.push(row);
                }
            }
            Outcome::Unchanged => self.evaluation.counts.unchanged += 1,
            Outcome::Invalid => self.evaluation.counts.invalid += 1,
        }

        let evaluation = &mut self.evaluation;
        push_capped(&mut evaluation.errors, report.errors, &mut evaluation.truncated);
        if valid {
            push_capped(&mut evaluation.warnings, report.warnings, &mut evaluation.truncated);
        }
    }
}
