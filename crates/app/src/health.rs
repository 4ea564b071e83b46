//! Health scores: the snapshot job's work for one business, an account's breakdown and
//! history, and the dashboard.

pub(crate) mod snapshot;

use std::collections::BTreeMap;

use api_types::health::{
    AccountHealth, AtRiskAccount, BandCount, Dashboard, DashboardParams, HealthComponent, HealthComponents,
    HealthHistory, HealthHistoryParams, HealthPoint,
};
use chrono::NaiveDate;
use crm_core::{AccountId, AtRiskReason};
use health::{Component, HealthBand, WeightedComponent};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use store::accounts as account_queries;
use store::businesses as business_queries;
use store::health::{self as queries, SnapshotRow};

use crate::auth::parse_id;
use crate::clock::now;
use crate::error::{AppError, AppResult};
use crate::paging::limit_and_offset;
use crate::settings::health_settings;
use crate::tenant::Tenant;
use crate::App;

/// Maximum history one request may read, in days.
const MAX_HISTORY_DAYS: i64 = 730;
const DEFAULT_HISTORY_DAYS: i64 = 90;

fn components_of(row: &SnapshotRow) -> AppResult<BTreeMap<Component, WeightedComponent>> {
    Ok(store::from_json_text("health_snapshots.components", &row.components)?)
}

fn as_number(score: Option<Decimal>) -> Option<f64> {
    score.and_then(|score| score.to_f64())
}

fn component_view(
    current: &BTreeMap<Component, WeightedComponent>,
    previous: Option<&BTreeMap<Component, WeightedComponent>>,
    component: Component,
) -> AppResult<HealthComponent> {
    let entry = current
        .get(&component)
        .ok_or_else(|| AppError::Internal(format!("a snapshot lacks the {} component", component.as_str())))?;
    let previous_score = previous.and_then(|previous| previous.get(&component)).and_then(|entry| entry.score);
    Ok(HealthComponent {
        score: as_number(entry.score),
        weight: entry.weight,
        narrative: entry.narrative.clone(),
        inputs: entry.inputs.clone(),
        previous_score: as_number(previous_score),
        change: match (entry.score, previous_score) {
            (Some(now), Some(before)) => as_number(Some(now - before)),
            _ => None,
        },
    })
}

fn at_risk_view(row: &account_queries::AccountRow) -> AppResult<AtRiskAccount> {
    let reasons: Vec<AtRiskReason> = store::from_json_text("accounts.at_risk_reasons", &row.at_risk_reasons)?;
    Ok(AtRiskAccount {
        id: parse_id(&row.id)?,
        name: row.name.clone(),
        stage: row
            .stage
            .parse()
            .map_err(|_| AppError::Internal(format!("account {} has the unknown stage {:?}", row.id, row.stage)))?,
        health_score: row.health_score,
        at_risk: row.at_risk,
        at_risk_reasons: reasons,
        csm_id: row.csm_id.as_deref().map(parse_id).transpose()?,
        renewal_date: row.renewal_date,
    })
}

impl App {
    /// Reads the latest snapshot of an account with each component's change against the
    /// one before. Fails with not found when the account is not in the caller's business,
    /// and also, naming the health snapshot, when the job has not scored it yet.
    pub fn account_health(&self, tenant: &Tenant, account_id: AccountId) -> AppResult<AccountHealth> {
        self.require_feature(tenant, crate::settings::Feature::HealthScore)?;
        let scope = tenant.scope();
        let mut connection = self.connection()?;
        let id = account_id.to_string();
        if !account_queries::exists(&mut connection, &scope, &id)? {
            return Err(AppError::not_found("account"));
        }
        let snapshots = queries::latest_snapshots(&mut connection, &scope, &id, 2)?;
        let Some(latest) = snapshots.first() else {
            return Err(AppError::not_found("health snapshot"));
        };
        let previous = snapshots.get(1);
        let current = components_of(latest)?;
        let before = previous.map(components_of).transpose()?;
        let view = |component| component_view(&current, before.as_ref(), component);
        Ok(AccountHealth {
            account_id,
            overall_score: latest.overall,
            neutral: latest.neutral,
            band: HealthBand::of(Some(latest.overall)),
            as_of: latest.as_of,
            previous_as_of: previous.map(|row| row.as_of),
            previous_overall_score: previous.map(|row| row.overall),
            components: HealthComponents {
                usage: view(Component::Usage)?,
                support: view(Component::Support)?,
                sentiment: view(Component::Sentiment)?,
                contract_risk: view(Component::ContractRisk)?,
            },
        })
    }

    /// Lists an account's snapshots over the last `days` days, oldest first.
    pub fn account_health_history(
        &self,
        tenant: &Tenant,
        account_id: AccountId,
        params: &HealthHistoryParams,
    ) -> AppResult<HealthHistory> {
        self.require_feature(tenant, crate::settings::Feature::HealthScore)?;
        let days = params.days.unwrap_or(DEFAULT_HISTORY_DAYS);
        if !(1..=MAX_HISTORY_DAYS).contains(&days) {
            return Err(AppError::invalid("days", format!("must be 1 to {MAX_HISTORY_DAYS}")));
        }
        let scope = tenant.scope();
        let mut connection = self.connection()?;
        let id = account_id.to_string();
        if !account_queries::exists(&mut connection, &scope, &id)? {
            return Err(AppError::not_found("account"));
        }
        let today: NaiveDate = now().date();
        let since = today - chrono::Days::new(u64::try_from(days - 1).unwrap_or(0));
        let rows = queries::snapshots_since(&mut connection, &scope, &id, since)?;
        let items = rows
            .iter()
            .map(|row| {
                let components = components_of(row)?;
                let score = |component| as_number(components.get(&component).and_then(|entry| entry.score));
                Ok(HealthPoint {
                    as_of: row.as_of,
                    overall_score: row.overall,
                    neutral: row.neutral,
                    usage: score(Component::Usage),
                    support: score(Component::Support),
                    sentiment: score(Component::Sentiment),
                    contract_risk: score(Component::ContractRisk),
                })
            })
            .collect::<AppResult<_>>()?;
        Ok(HealthHistory { items })
    }

    /// Reads the at-risk list and the health distribution of the caller's business.
    pub fn dashboard(&self, tenant: &Tenant, params: &DashboardParams) -> AppResult<Dashboard> {
        self.require_feature(tenant, crate::settings::Feature::HealthScore)?;
        let (limit, offset) = limit_and_offset(params.limit, params.offset)?;
        let scope = tenant.scope();
        let mut connection = self.connection()?;
        let business = business_queries::find(&mut connection, scope.business_id())?
            .ok_or_else(|| AppError::not_found("business"))?;
        let threshold = health_settings(&business)?.at_risk_threshold;
        let (rows, at_risk_total) = queries::at_risk_accounts(&mut connection, &scope, threshold, limit, offset)?;
        let mut per_band: BTreeMap<HealthBand, i64> = HealthBand::ALL.iter().map(|band| (*band, 0)).collect();
        for (score, count) in queries::score_counts(&mut connection, &scope)? {
            *per_band.entry(HealthBand::of(score)).or_default() += count;
        }
        Ok(Dashboard {
            at_risk: rows.iter().map(at_risk_view).collect::<AppResult<_>>()?,
            at_risk_total,
            at_risk_threshold: threshold,
            distribution: HealthBand::ALL
                .iter()
                .map(|band| BandCount {
                    band: *band,
                    label: band.label().to_owned(),
                    count: per_band.get(band).copied().unwrap_or(0),
                })
                .collect(),
        })
    }
}
