//! The renewal pipeline: the entries of a 30, 60 or 90-day window with their stage and
//! annual revenue, the summary per stage, and the CSV export of the same entries.

pub(crate) mod reminders;

use std::collections::{BTreeMap, HashMap};

use api_types::renewals::{
    ExpansionCandidate, ExpansionListParams, ExpansionSignal, Money, RenewalAccount, RenewalEntry, RenewalListParams,
    RenewalPage, RenewalSummary, StageSummary,
};
use api_types::Page;
use chrono::{NaiveDate, NaiveTime};
use crm_core::export::neutralize_formula;
use crm_core::money::format_minor;
use crm_core::{BillingInterval, Stage, SubscriptionStatus};
use renewals::{annual_amount, classify, days_to_renewal, EntryFacts, RenewalStage, RenewalWindow};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use store::businesses as business_queries;
use store::renewals::{self as queries, ExpansionWindow, RenewingAccount};
use store::users as user_queries;

use crate::auth::parse_id;
use crate::clock::now;
use crate::error::{AppError, AppResult};
use crate::exports::CsvFile;
use crate::paging::limit_and_offset;
use crate::settings::health_settings;
use crate::signals::subscription_view;
use crate::tenant::Tenant;
use crate::App;

/// The columns of the pipeline's CSV export.
const HEADERS: [&str; 12] = [
    "account_id",
    "account",
    "csm",
    "renewal_date",
    "days_to_renewal",
    "subscription",
    "plan",
    "subscription_status",
    "arr",
    "currency",
    "stage",
    "stage_reason",
];

/// The window and date of a request.
struct Request {
    as_of: NaiveDate,
    window: RenewalWindow,
}

fn request_of(params: &RenewalListParams) -> AppResult<Request> {
    let window = match params.window {
        None => RenewalWindow::default(),
        Some(days) => {
            RenewalWindow::from_days(days).ok_or_else(|| AppError::invalid("window", "must be 30, 60 or 90"))?
        }
    };
    let as_of = params.as_of.unwrap_or_else(|| now().date());
    crm_core::validation::date_in_range(as_of).map_err(|message| AppError::invalid("as_of", message))?;
    Ok(Request { as_of, window })
}

fn parse_stored<T: std::str::FromStr>(what: &str, id: &str, value: &str) -> AppResult<T> {
    value.parse().map_err(|_| AppError::Internal(format!("{what} {id} has the invalid stored value {value:?}")))
}

fn account_view(account: &RenewingAccount) -> AppResult<RenewalAccount> {
    Ok(RenewalAccount {
        id: parse_id(&account.id)?,
        name: account.name.clone(),
        csm_id: account.csm_id.as_deref().map(parse_id).transpose()?,
    })
}

fn money(amount: Decimal, currency: &str) -> AppResult<Money> {
    let amount = amount
        .to_i64()
        .ok_or_else(|| AppError::Internal(format!("an amount of {amount} {currency} does not fit 64 bits")))?;
    Ok(Money { amount, currency: currency.to_owned() })
}

impl App {
    /// Builds every entry of the window, classified, filtered and sorted.
    fn pipeline(&self, tenant: &Tenant, params: &RenewalListParams, request: &Request) -> AppResult<Vec<RenewalEntry>> {
        let scope = tenant.scope();
        let mut connection = self.connection()?;
        let business = business_queries::find(&mut connection, scope.business_id())?
            .ok_or_else(|| AppError::not_found("business"))?;
        let threshold = health_settings(&business)?.at_risk_threshold;
        let first_day = request.as_of + chrono::Days::new(1);
        let last_day = request.as_of + chrono::Days::new(request.window.days().unsigned_abs());
        let csm_id = params.csm_id.map(|id| id.to_string());

        let facts = |account: &RenewingAccount, status: Option<SubscriptionStatus>, cancel_at_period_end: bool| {
            Ok::<_, AppError>(EntryFacts {
                subscription_status: status,
                cancel_at_period_end,
                account_stage: parse_stored::<Stage>("account", &account.id, &account.stage)?,
                account_at_risk: account.at_risk,
                health_score: account.health_score,
                at_risk_threshold: threshold,
            })
        };

        let mut entries = Vec::new();
        let subscriptions = queries::subscriptions_ending(
            &mut connection,
            &scope,
            first_day.and_time(NaiveTime::MIN),
            (last_day + chrono::Days::new(1)).and_time(NaiveTime::MIN),
            csm_id.as_deref(),
        )?;
        for (subscription, account) in &subscriptions {
            let status: SubscriptionStatus = parse_stored("subscription", &subscription.id, &subscription.status)?;
            let interval: BillingInterval =
                parse_stored("subscription", &subscription.id, &subscription.billing_interval)?;
            let renewal_date = subscription.current_period_end.date();
            let (stage, reason) = classify(&facts(account, Some(status), subscription.cancel_at_period_end)?);
            entries.push(RenewalEntry {
                account: account_view(account)?,
                subscription: Some(subscription_view(subscription)?),
                renewal_date,
                days_to_renewal: days_to_renewal(request.as_of, renewal_date),
                arr: Some(money(
                    annual_amount(subscription.unit_amount, subscription.quantity, interval),
                    &subscription.currency,
                )?),
                stage,
                stage_reason: reason,
            });
        }
        for account in queries::accounts_renewing(&mut connection, &scope, first_day, last_day, csm_id.as_deref())? {
            let Some(renewal_date) = account.renewal_date else { continue };
            let (stage, reason) = classify(&facts(&account, None, false)?);
            entries.push(RenewalEntry {
                account: account_view(&account)?,
                subscription: None,
                renewal_date,
                days_to_renewal: days_to_renewal(request.as_of, renewal_date),
                arr: None,
                stage,
                stage_reason: reason,
            });
        }
        entries.sort_by(|a, b| {
            (a.days_to_renewal, &a.account.name, a.account.id.0, a.subscription.as_ref().map(|s| &s.id)).cmp(&(
                b.days_to_renewal,
                &b.account.name,
                b.account.id.0,
                b.subscription.as_ref().map(|s| &s.id),
            ))
        });
        Ok(entries)
    }

    /// Lists the accounts showing an expansion signal on `as_of`, by name, with the
    /// signals each shows. The database finds, counts and pages them.
    pub fn expansion_candidates(
        &self,
        tenant: &Tenant,
        params: &ExpansionListParams,
    ) -> AppResult<Page<ExpansionCandidate>> {
        self.require_feature(tenant, crate::settings::Feature::Expansion)?;
        let (limit, offset) = limit_and_offset(params.limit, params.offset)?;
        let as_of = params.as_of.unwrap_or_else(|| now().date());
        crm_core::validation::date_in_range(as_of).map_err(|message| AppError::invalid("as_of", message))?;
        let midnight = |date: NaiveDate| date.and_time(NaiveTime::MIN);
        let window = ExpansionWindow {
            renewal_from: midnight(as_of + chrono::Days::new(30)),
            renewal_before: midnight(as_of + chrono::Days::new(91)),
            quiet_from: midnight(as_of - chrono::Days::new(29)),
            quiet_before: midnight(as_of + chrono::Days::new(1)),
            min_health: renewals::EXPANSION_HEALTH,
        };
        let mut connection = self.connection()?;
        let (rows, total) = queries::expansion_candidates(&mut connection, &tenant.scope(), window, limit, offset)?;
        let items = rows
            .iter()
            .map(|row| {
                let signals = [
                    (row.expansion_ready_renewal, ExpansionSignal::ExpansionReadyRenewal),
                    (row.dormant_champion, ExpansionSignal::DormantChampion),
                ]
                .into_iter()
                .filter_map(|(matched, signal)| matched.then_some(signal))
                .collect();
                Ok(ExpansionCandidate {
                    account: RenewalAccount {
                        id: parse_id(&row.id)?,
                        name: row.name.clone(),
                        csm_id: row.csm_id.as_deref().map(parse_id).transpose()?,
                    },
                    health_score: row.health_score,
                    signals,
                })
            })
            .collect::<AppResult<_>>()?;
        Ok(Page { items, total, next_cursor: None })
    }

    /// Lists the renewals of the window, sorted by days to renewal, then account name.
    pub fn list_renewals(&self, tenant: &Tenant, params: &RenewalListParams) -> AppResult<RenewalPage> {
        self.require_feature(tenant, crate::settings::Feature::Renewals)?;
        let (limit, offset) = limit_and_offset(params.limit, params.offset)?;
        let request = request_of(params)?;
        let entries: Vec<RenewalEntry> = self
            .pipeline(tenant, params, &request)?
            .into_iter()
            .filter(|entry| params.stage.is_none_or(|stage| entry.stage == stage))
            .collect();
        let total = i64::try_from(entries.len()).unwrap_or(i64::MAX);
        let items = entries
            .into_iter()
            .skip(usize::try_from(offset).unwrap_or(usize::MAX))
            .take(usize::try_from(limit).unwrap_or(0))
            .collect();
        Ok(RenewalPage { items, total, as_of: request.as_of, window: request.window.days() })
    }

    /// Counts the window's entries and sums their annual revenue per stage and currency.
    pub fn renewal_summary(&self, tenant: &Tenant, params: &RenewalListParams) -> AppResult<RenewalSummary> {
        self.require_feature(tenant, crate::settings::Feature::Renewals)?;
        let request = request_of(params)?;
        let entries = self.pipeline(tenant, params, &request)?;
        let mut counts: HashMap<RenewalStage, i64> = HashMap::new();
        let mut amounts: HashMap<RenewalStage, BTreeMap<String, Decimal>> = HashMap::new();
        let mut totals: BTreeMap<String, Decimal> = BTreeMap::new();
        for entry in &entries {
            *counts.entry(entry.stage).or_default() += 1;
            if let Some(arr) = &entry.arr {
                *amounts.entry(entry.stage).or_default().entry(arr.currency.clone()).or_default() +=
                    Decimal::from(arr.amount);
                *totals.entry(arr.currency.clone()).or_default() += Decimal::from(arr.amount);
            }
        }
        let per_currency = |sums: Option<&BTreeMap<String, Decimal>>| -> AppResult<Vec<Money>> {
            sums.into_iter().flatten().map(|(currency, amount)| money(*amount, currency)).collect()
        };
        let stages = RenewalStage::ALL
            .iter()
            .map(|stage| {
                Ok(StageSummary {
                    stage: *stage,
                    count: counts.get(stage).copied().unwrap_or(0),
                    arr: per_currency(amounts.get(stage))?,
                })
            })
            .collect::<AppResult<_>>()?;
        Ok(RenewalSummary {
            as_of: request.as_of,
            window: request.window.days(),
            stages,
            total: i64::try_from(entries.len()).unwrap_or(i64::MAX),
            total_arr: per_currency(Some(&totals))?,
        })
    }

    /// Writes the entries the list shows for the same filters, all pages, as CSV. The
    /// annual revenue is in major units with the currency's decimals.
    pub fn export_renewals_csv(&self, tenant: &Tenant, params: &RenewalListParams) -> AppResult<CsvFile> {
        self.require_feature(tenant, crate::settings::Feature::Renewals)?;
        let request = request_of(params)?;
        let entries: Vec<RenewalEntry> = self
            .pipeline(tenant, params, &request)?
            .into_iter()
            .filter(|entry| params.stage.is_none_or(|stage| entry.stage == stage))
            .collect();
        let mut connection = self.connection()?;
        let emails: HashMap<String, String> = user_queries::all(&mut connection, &tenant.scope())?
            .into_iter()
            .map(|user| (user.id, user.email))
            .collect();
        let mut writer = csv::Writer::from_writer(Vec::new());
        let csv_error = |error: csv::Error| AppError::Internal(format!("writing the renewals CSV failed: {error}"));
        writer.write_record(HEADERS).map_err(csv_error)?;
        for entry in &entries {
            let subscription = entry.subscription.as_ref();
            let csm = entry.account.csm_id.and_then(|id| emails.get(&id.to_string()).cloned()).unwrap_or_default();
            writer
                .write_record([
                    entry.account.id.to_string(),
                    neutralize_formula(&entry.account.name),
                    csm,
                    entry.renewal_date.to_string(),
                    entry.days_to_renewal.to_string(),
                    neutralize_formula(subscription.map(|s| s.external_id.as_str()).unwrap_or_default()),
                    neutralize_formula(subscription.map(|s| s.plan_name.as_str()).unwrap_or_default()),
                    subscription.map(|s| s.status.as_str().to_owned()).unwrap_or_default(),
                    entry.arr.as_ref().map(|arr| format_minor(arr.amount, &arr.currency)).unwrap_or_default(),
                    entry.arr.as_ref().map(|arr| arr.currency.clone()).unwrap_or_default(),
                    entry.stage.as_str().to_owned(),
                    entry.stage_reason.map(|reason| reason.as_str().to_owned()).unwrap_or_default(),
                ])
                .map_err(csv_error)?;
        }
        let content = writer
            .into_inner()
            .map_err(|error| AppError::Internal(format!("writing the renewals CSV failed: {error}")))?;
        Ok(CsvFile { filename: format!("renewals-{}-{}d.csv", request.as_of, request.window.days()), content })
    }
}
