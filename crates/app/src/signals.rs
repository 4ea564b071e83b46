//! Ingestion and lists of the signals the health score reads: support tickets, survey
//! responses, subscriptions and product usage events.
//!
//! Writing signals needs the manager role or above, as integrations act for the whole
//! business; every user may read them.

pub(crate) mod import;
mod ingest;

use std::collections::{HashMap, HashSet};

use api_types::signals::{
    IngestResult, SignalKind, SignalListParams, Subscription, SubscriptionInput, SurveyResponse, SurveyResponseInput,
    Ticket, TicketInput, UsageEvent, UsageEventInput,
};
use api_types::Page;
use chrono::NaiveDateTime;
use crm_core::signals::{email_domain, is_currency_code, owning_domains};
use crm_core::validation::{optional_text, required_text};
use crm_core::{AccountId, Role, SubscriptionStatus, SurveyKind, TicketStatus, ValidationErrors};
use serde_json::Value;
use store::signals::{self as queries, SignalFilter, SubscriptionRow, SurveyResponseRow, TicketRow, UsageEventRow};
use store::{DbConnection, Scope};

use self::ingest::{check_batch, distinct, parse_items, report, timestamp, upsert, DomainOwners, SignalRow, Table};
use crate::auth::parse_id;
use crate::clock::{new_id, now, utc};
use crate::error::{AppError, AppResult};
use crate::paging::limit_and_offset;
use crate::tenant::Tenant;
use crate::App;

const MAX_SUBJECT_CHARS: usize = 500;
const MAX_COMMENT_CHARS: usize = 10_000;
const MAX_NAME_CHARS: usize = 200;
/// Maximum reopens one ticket may list.
const MAX_REOPENS: usize = 1_000;
/// Maximum price of a subscription's billing period in minor units, so that annual sums
/// of many subscriptions stay within 64-bit integers.
const MAX_PERIOD_AMOUNT: i128 = 100_000_000_000_000;

/// Ties a row type to the shared upsert. Usage events are facts without an update time.
macro_rules! signal_row {
    ($row:ty $(, $updated:ident)?) => {
        impl SignalRow for $row {
            fn external_id(&self) -> &str {
                &self.external_id
            }

            fn adopt(&mut self, stored: &Self) {
                self.id = stored.id.clone();
                self.created_at = stored.created_at;
                $(self.$updated = stored.$updated;)?
            }

            fn touch(&mut self, _at: NaiveDateTime) {
                $(self.$updated = _at;)?
            }
        }
    };
}

signal_row!(TicketRow, updated_at);
signal_row!(SurveyResponseRow, updated_at);
signal_row!(SubscriptionRow, updated_at);
signal_row!(UsageEventRow);

fn external_id(errors: &mut ValidationErrors, value: &str) -> String {
    required_text(errors, "external_id", value, ingest::MAX_EXTERNAL_ID_CHARS)
}

/// Returns the domain of an email field, or records an error naming the field.
fn domain_of(errors: &mut ValidationErrors, field: &str, email: &str) -> String {
    let before = errors.0.len();
    let normalized = crm_core::validation::email(errors, field, email);
    let domain = email_domain(&normalized);
    if domain.is_none() && errors.0.len() == before {
        errors.add(field, "must have a domain such as acme.com after the @");
    }
    domain.unwrap_or_default()
}

/// Returns the ids among those given that name accounts of the business.
fn known_accounts(
    connection: &mut DbConnection,
    scope: &Scope,
    ids: impl Iterator<Item = AccountId>,
) -> AppResult<HashSet<String>> {
    let mut ids: Vec<String> = ids.map(|id| id.to_string()).collect();
    ids.sort();
    ids.dedup();
    Ok(queries::existing_account_ids(connection, scope, &ids)?.into_iter().collect())
}

/// Returns an account id an item named, recording an error when the business has no such
/// account.
fn named_account(errors: &mut ValidationErrors, known: &HashSet<String>, id: AccountId) -> String {
    let id = id.to_string();
    if !known.contains(&id) {
        errors.add("account_id", "no account has this id");
    }
    id
}

fn no_owner(field: &str, domain: &str) -> ValidationErrors {
    ValidationErrors::single(field, format!("no account has the domain {domain} or a parent of it"))
}

fn parse_stored<T: std::str::FromStr>(table: &str, id: &str, value: &str) -> AppResult<T> {
    value.parse().map_err(|_| AppError::Internal(format!("{table} {id} has the invalid stored value {value:?}")))
}

fn filter_of(params: &SignalListParams, status: Option<String>) -> SignalFilter {
    SignalFilter {
        account_id: params.account_id.map(|id| id.to_string()),
        status,
        from: params.from.map(|at| at.naive_utc()),
        to: params.to.map(|at| at.naive_utc()),
    }
}

/// Checks a status filter against a closed set, naming the `status` parameter.
fn status_filter<T: std::str::FromStr>(value: Option<&String>, expected: String) -> AppResult<Option<String>> {
    match value {
        None => Ok(None),
        Some(text) if text.parse::<T>().is_ok() => Ok(Some(text.clone())),
        Some(text) => Err(AppError::invalid("status", format!("unknown value {text:?}; expected one of: {expected}"))),
    }
}

fn require_writer(tenant: &Tenant) -> AppResult<()> {
    if tenant.role.at_least(Role::Manager) {
        Ok(())
    } else {
        Err(AppError::Forbidden("sending signals needs the manager role or above".into()))
    }
}

fn ticket_view(row: &TicketRow) -> AppResult<Ticket> {
    let reopened: Vec<NaiveDateTime> = store::from_json_text("support_tickets.reopened_at", &row.reopened_at)?;
    Ok(Ticket {
        id: row.id.clone(),
        account_id: parse_id(&row.account_id)?,
        external_id: row.external_id.clone(),
        subject: row.subject.clone(),
        status: parse_stored("support ticket", &row.id, &row.status)?,
        reporter_email: row.reporter_email.clone(),
        opened_at: utc(row.opened_at),
        solved_at: row.solved_at.map(utc),
        reopened_at: reopened.into_iter().map(utc).collect(),
        created_at: utc(row.created_at),
        updated_at: utc(row.updated_at),
    })
}

fn survey_view(row: &SurveyResponseRow) -> AppResult<SurveyResponse> {
    Ok(SurveyResponse {
        id: row.id.clone(),
        account_id: parse_id(&row.account_id)?,
        external_id: row.external_id.clone(),
        respondent_email: row.respondent_email.clone(),
        kind: parse_stored("survey response", &row.id, &row.kind)?,
        score: row.score,
        responded_at: utc(row.responded_at),
        comment: row.comment.clone(),
        created_at: utc(row.created_at),
        updated_at: utc(row.updated_at),
    })
}

pub(crate) fn subscription_view(row: &SubscriptionRow) -> AppResult<Subscription> {
    Ok(Subscription {
        id: row.id.clone(),
        account_id: parse_id(&row.account_id)?,
        external_id: row.external_id.clone(),
        billing_customer_id: row.billing_customer_id.clone(),
        plan_name: row.plan_name.clone(),
        status: parse_stored("subscription", &row.id, &row.status)?,
        quantity: row.quantity,
        unit_amount: row.unit_amount,
        currency: row.currency.clone(),
        interval: parse_stored("subscription", &row.id, &row.billing_interval)?,
        current_period_start: utc(row.current_period_start),
        current_period_end: utc(row.current_period_end),
        cancel_at_period_end: row.cancel_at_period_end,
        created_at: utc(row.created_at),
        updated_at: utc(row.updated_at),
    })
}

fn usage_view(row: &UsageEventRow) -> AppResult<UsageEvent> {
    Ok(UsageEvent {
        id: row.id.clone(),
        account_id: parse_id(&row.account_id)?,
        external_id: row.external_id.clone(),
        user_email: row.user_email.clone(),
        event: row.event.clone(),
        occurred_at: utc(row.occurred_at),
        created_at: utc(row.created_at),
    })
}

fn page<R, T>(rows: (Vec<R>, i64), view: fn(&R) -> AppResult<T>) -> AppResult<Page<T>> {
    let (rows, total) = rows;
    Ok(Page { items: rows.iter().map(view).collect::<AppResult<_>>()?, total, next_cursor: None })
}

/// Checks the items and, unless `dry_run`, writes them: the one path of the API and the
/// CSV import.
pub(crate) fn ingest(
    connection: &mut DbConnection,
    scope: &Scope,
    kind: SignalKind,
    items: Vec<Value>,
    dry_run: bool,
) -> AppResult<IngestResult> {
    match kind {
        SignalKind::SupportTickets => ingest_tickets(connection, scope, items, dry_run),
        SignalKind::SurveyResponses => ingest_survey_responses(connection, scope, items, dry_run),
        SignalKind::Subscriptions => ingest_subscriptions(connection, scope, items, dry_run),
        SignalKind::UsageEvents => ingest_usage_events(connection, scope, items, dry_run),
    }
}

/// Upserts support tickets by external id. Each ticket belongs to the account that
/// owns its reporter's email domain.
fn ingest_tickets(
    connection: &mut DbConnection,
    scope: &Scope,
    items: Vec<Value>,
    dry_run: bool,
) -> AppResult<IngestResult> {
    let mut result = IngestResult::default();
    let parsed: Vec<(usize, TicketInput)> = parse_items(items, &mut result);
    let owners = DomainOwners::load(
        connection,
        scope,
        parsed.iter().filter_map(|(_, item)| item.reporter_email.rsplit_once('@').map(|(_, domain)| domain)),
    )?;
    let at = now();
    let mut rows = Vec::new();
    for (index, item) in parsed {
        let mut errors = ValidationErrors::new();
        let key = external_id(&mut errors, &item.external_id);
        let subject = required_text(&mut errors, "subject", &item.subject, MAX_SUBJECT_CHARS);
        let domain = domain_of(&mut errors, "reporter_email", &item.reporter_email);
        let opened_at = timestamp(&mut errors, "opened_at", item.opened_at);
        let solved_at = item.solved_at.map(|solved| timestamp(&mut errors, "solved_at", solved));
        if item.reopened_at.len() > MAX_REOPENS {
            errors.add("reopened_at", format!("must list at most {MAX_REOPENS} reopens"));
        }
        let mut reopened: Vec<NaiveDateTime> =
            item.reopened_at.iter().map(|reopen| timestamp(&mut errors, "reopened_at", *reopen)).collect();
        reopened.sort();
        if solved_at.is_some_and(|solved| solved < opened_at) {
            errors.add("solved_at", "must not be before opened_at");
        }
        if reopened.first().is_some_and(|first| *first < opened_at) {
            errors.add("reopened_at", "must not be before opened_at");
        }
        let account_id = owners.owner(&domain).map(str::to_owned);
        if errors.is_empty() && account_id.is_none() {
            errors = no_owner("reporter_email", &domain);
        }
        if !errors.is_empty() {
            report(&mut result, index, &key, errors);
            continue;
        }
        rows.push((
            index,
            TicketRow {
                id: new_id().to_string(),
                business_id: scope.business_id().to_owned(),
                account_id: account_id.unwrap_or_default(),
                external_id: key,
                subject,
                status: item.status.as_str().to_owned(),
                reporter_email: item.reporter_email.trim().to_lowercase(),
                opened_at,
                solved_at,
                reopened_at: store::to_json_text(&reopened)?,
                last_reopened_at: reopened.last().copied(),
                created_at: at,
                updated_at: at,
            },
        ));
    }
    let table = Table {
        find: queries::tickets::find_by_external_ids,
        insert_many: queries::tickets::insert_many,
        update: queries::tickets::update,
    };
    upsert(connection, scope, &table, rows, &mut result, dry_run)?;
    Ok(result)
}

/// Upserts NPS and CSAT responses by external id, tied to accounts like tickets.
fn ingest_survey_responses(
    connection: &mut DbConnection,
    scope: &Scope,
    items: Vec<Value>,
    dry_run: bool,
) -> AppResult<IngestResult> {
    let mut result = IngestResult::default();
    let parsed: Vec<(usize, SurveyResponseInput)> = parse_items(items, &mut result);
    let owners = DomainOwners::load(
        connection,
        scope,
        parsed.iter().filter_map(|(_, item)| item.respondent_email.rsplit_once('@').map(|(_, domain)| domain)),
    )?;
    let at = now();
    let mut rows = Vec::new();
    for (index, item) in parsed {
        let mut errors = ValidationErrors::new();
        let key = external_id(&mut errors, &item.external_id);
        let domain = domain_of(&mut errors, "respondent_email", &item.respondent_email);
        let responded_at = timestamp(&mut errors, "responded_at", item.responded_at);
        let range = item.kind.score_range();
        if !range.contains(&item.score) {
            errors.add("score", format!("must be {} to {} for {}", range.start(), range.end(), item.kind));
        }
        let comment = optional_text(&mut errors, "comment", item.comment.as_deref(), MAX_COMMENT_CHARS);
        let account_id = owners.owner(&domain).map(str::to_owned);
        if errors.is_empty() && account_id.is_none() {
            errors = no_owner("respondent_email", &domain);
        }
        if !errors.is_empty() {
            report(&mut result, index, &key, errors);
            continue;
        }
        rows.push((
            index,
            SurveyResponseRow {
                id: new_id().to_string(),
                business_id: scope.business_id().to_owned(),
                account_id: account_id.unwrap_or_default(),
                external_id: key,
                respondent_email: item.respondent_email.trim().to_lowercase(),
                kind: item.kind.as_str().to_owned(),
                score: item.score,
                responded_at,
                comment,
                created_at: at,
                updated_at: at,
            },
        ));
    }
    let table = Table {
        find: queries::surveys::find_by_external_ids,
        insert_many: queries::surveys::insert_many,
        update: queries::surveys::update,
    };
    upsert(connection, scope, &table, rows, &mut result, dry_run)?;
    Ok(result)
}

/// Upserts subscriptions by external id. Each names its account directly or through
/// the account's billing customer id.
fn ingest_subscriptions(
    connection: &mut DbConnection,
    scope: &Scope,
    items: Vec<Value>,
    dry_run: bool,
) -> AppResult<IngestResult> {
    let mut result = IngestResult::default();
    let parsed: Vec<(usize, SubscriptionInput)> = parse_items(items, &mut result);
    let known_accounts = known_accounts(connection, scope, parsed.iter().filter_map(|(_, item)| item.account_id))?;
    let customers = distinct(parsed.iter().filter_map(|(_, item)| item.billing_customer_id.as_deref()).map(str::trim));
    let mut by_customer: HashMap<String, Vec<String>> = HashMap::new();
    for (customer, account) in queries::accounts_by_billing_customer(connection, scope, &customers)? {
        by_customer.entry(customer).or_default().push(account);
    }
    let at = now();
    let mut rows = Vec::new();
    for (index, item) in parsed {
        let mut errors = ValidationErrors::new();
        let key = external_id(&mut errors, &item.external_id);
        let plan_name = required_text(&mut errors, "plan_name", &item.plan_name, MAX_NAME_CHARS);
        let customer =
            optional_text(&mut errors, "billing_customer_id", item.billing_customer_id.as_deref(), MAX_NAME_CHARS);
        if item.quantity < 0 {
            errors.add("quantity", "must be 0 or more");
        }
        if item.unit_amount < 0 {
            errors.add("unit_amount", "must be 0 or more, in the currency's minor units");
        } else if i128::from(item.unit_amount) * i128::from(item.quantity.max(0)) > MAX_PERIOD_AMOUNT {
            errors.add(
                "unit_amount",
                format!("times quantity must be at most {MAX_PERIOD_AMOUNT} minor units a billing period"),
            );
        }
        let currency = item.currency.trim().to_uppercase();
        if !is_currency_code(&currency) {
            errors.add("currency", "must be a three-letter ISO 4217 code such as USD");
        }
        let start = timestamp(&mut errors, "current_period_start", item.current_period_start);
        let end = timestamp(&mut errors, "current_period_end", item.current_period_end);
        if end <= start {
            errors.add("current_period_end", "must be after current_period_start");
        }
        let account_id = match (&item.account_id, &customer) {
            (Some(id), _) => Some(named_account(&mut errors, &known_accounts, *id)),
            (None, Some(customer)) => match by_customer.get(customer).map(Vec::as_slice) {
                Some([only]) => Some(only.clone()),
                Some(_) => {
                    errors.add(
                        "billing_customer_id",
                        format!("several accounts have the billing customer id {customer}; send account_id"),
                    );
                    None
                }
                None => {
                    errors.add("billing_customer_id", format!("no account has the billing customer id {customer}"));
                    None
                }
            },
            (None, None) => {
                errors.add("account_id", "send account_id or billing_customer_id");
                None
            }
        };
        if !errors.is_empty() {
            report(&mut result, index, &key, errors);
            continue;
        }
        rows.push((
            index,
            SubscriptionRow {
                id: new_id().to_string(),
                business_id: scope.business_id().to_owned(),
                account_id: account_id.unwrap_or_default(),
                external_id: key,
                billing_customer_id: customer,
                plan_name,
                status: item.status.as_str().to_owned(),
                quantity: item.quantity,
                unit_amount: item.unit_amount,
                currency,
                billing_interval: item.interval.as_str().to_owned(),
                current_period_start: start,
                current_period_end: end,
                cancel_at_period_end: item.cancel_at_period_end,
                created_at: at,
                updated_at: at,
            },
        ));
    }
    let table = Table {
        find: queries::subscription_rows::find_by_external_ids,
        insert_many: queries::subscription_rows::insert_many,
        update: queries::subscription_rows::update,
    };
    upsert(connection, scope, &table, rows, &mut result, dry_run)?;
    Ok(result)
}

/// Upserts product usage events by external id. Each names its account directly or
/// by a domain that the account's domain equals or is a parent of.
fn ingest_usage_events(
    connection: &mut DbConnection,
    scope: &Scope,
    items: Vec<Value>,
    dry_run: bool,
) -> AppResult<IngestResult> {
    let mut result = IngestResult::default();
    let parsed: Vec<(usize, UsageEventInput)> = parse_items(items, &mut result);
    let known_accounts = known_accounts(connection, scope, parsed.iter().filter_map(|(_, item)| item.account_id))?;
    let owners = DomainOwners::load(connection, scope, parsed.iter().filter_map(|(_, item)| item.domain.as_deref()))?;
    let at = now();
    let mut rows = Vec::new();
    for (index, item) in parsed {
        let mut errors = ValidationErrors::new();
        let key = external_id(&mut errors, &item.external_id);
        let event = required_text(&mut errors, "event", &item.event, MAX_NAME_CHARS);
        let user_email = item
            .user_email
            .as_deref()
            .filter(|email| !email.trim().is_empty())
            .map(|email| crm_core::validation::email(&mut errors, "user_email", email));
        let occurred_at = timestamp(&mut errors, "occurred_at", item.occurred_at);
        let account_id = match (&item.account_id, item.domain.as_deref()) {
            (Some(id), _) => Some(named_account(&mut errors, &known_accounts, *id)),
            (None, Some(domain)) => {
                let owner = owners.owner(domain).map(str::to_owned);
                if owner.is_none() {
                    if owning_domains(domain).is_empty() {
                        errors.add("domain", "must be a domain such as acme.com");
                    } else {
                        errors.add(
                            "domain",
                            format!("no account has the domain {} or a parent of it", domain.trim().to_lowercase()),
                        );
                    }
                }
                owner
            }
            (None, None) => {
                errors.add("account_id", "send account_id or domain");
                None
            }
        };
        if !errors.is_empty() {
            report(&mut result, index, &key, errors);
            continue;
        }
        rows.push((
            index,
            UsageEventRow {
                id: new_id().to_string(),
                business_id: scope.business_id().to_owned(),
                account_id: account_id.unwrap_or_default(),
                external_id: key,
                user_email,
                event,
                occurred_at,
                created_at: at,
            },
        ));
    }
    let table = Table {
        find: queries::usage::find_by_external_ids,
        insert_many: queries::usage::insert_many,
        update: queries::usage::update,
    };
    upsert(connection, scope, &table, rows, &mut result, dry_run)?;
    Ok(result)
}

impl App {
    /// Upserts a batch of 1 to 1,000 signals of one kind by external id. Manager or above.
    pub fn ingest_signals(&self, tenant: &Tenant, kind: SignalKind, items: Vec<Value>) -> AppResult<IngestResult> {
        require_writer(tenant)?;
        check_batch(&items)?;
        let mut connection = self.connection()?;
        ingest(&mut connection, &tenant.scope(), kind, items, false)
    }

    pub fn list_tickets(&self, tenant: &Tenant, params: &SignalListParams) -> AppResult<Page<Ticket>> {
        let (limit, offset) = limit_and_offset(params.limit, params.offset)?;
        let filter =
            filter_of(params, status_filter::<TicketStatus>(params.status.as_ref(), TicketStatus::expected())?);
        let mut connection = self.connection()?;
        page(queries::tickets::list(&mut connection, &tenant.scope(), &filter, limit, offset)?, ticket_view)
    }

    pub fn list_survey_responses(&self, tenant: &Tenant, params: &SignalListParams) -> AppResult<Page<SurveyResponse>> {
        let (limit, offset) = limit_and_offset(params.limit, params.offset)?;
        let filter = filter_of(params, status_filter::<SurveyKind>(params.status.as_ref(), SurveyKind::expected())?);
        let mut connection = self.connection()?;
        page(queries::surveys::list(&mut connection, &tenant.scope(), &filter, limit, offset)?, survey_view)
    }

    pub fn list_subscriptions(&self, tenant: &Tenant, params: &SignalListParams) -> AppResult<Page<Subscription>> {
        let (limit, offset) = limit_and_offset(params.limit, params.offset)?;
        let filter = filter_of(
            params,
            status_filter::<SubscriptionStatus>(params.status.as_ref(), SubscriptionStatus::expected())?,
        );
        let mut connection = self.connection()?;
        page(
            queries::subscription_rows::list(&mut connection, &tenant.scope(), &filter, limit, offset)?,
            subscription_view,
        )
    }

    pub fn list_usage_events(&self, tenant: &Tenant, params: &SignalListParams) -> AppResult<Page<UsageEvent>> {
        let (limit, offset) = limit_and_offset(params.limit, params.offset)?;
        let filter = filter_of(params, params.status.clone().filter(|event| !event.trim().is_empty()));
        let mut connection = self.connection()?;
        page(queries::usage::list(&mut connection, &tenant.scope(), &filter, limit, offset)?, usage_view)
    }
}
