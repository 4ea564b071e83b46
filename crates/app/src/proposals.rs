//! Renewal proposals: generated from a subscription with the business's uplift, edited
//! while draft, then sent and won or lost. Every change writes a system entry on the
//! account's timeline.

use api_types::proposals::{Proposal, ProposalLine, ProposalLineInput, ProposalStatusChange, ProposalUpdate};
use api_types::Page;
use api_types::PageParams;
use crm_core::money::format_minor;
use crm_core::validation::required_text;
use crm_core::{AccountId, BillingInterval, ValidationErrors};
use renewals::{check_uplift, uplifted_unit_amount, ProposalStatus};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use store::proposals::{self as queries, ProposalRow};
use store::signals::subscription_rows;
use store::{accounts as account_queries, businesses as business_queries, DbConnection, Scope};

use crate::activities::record_system_activity;
use crate::auth::parse_id;
use crate::clock::{new_id, now, utc};
use crate::error::{AppError, AppResult};
use crate::paging::limit_and_offset;
use crate::settings::renewal_settings;
use crate::tenant::Tenant;
use crate::App;

/// Most lines one proposal may hold.
const MAX_LINES: usize = 100;
const MAX_DESCRIPTION_CHARS: usize = 300;
/// Maximum line amount in minor units, so totals stay within 64-bit integers.
const MAX_LINE_AMOUNT: i128 = 100_000_000_000_000;

/// A line as stored in the proposal's JSON column.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
struct StoredLine {
    description: String,
    quantity: i32,
    list_unit_amount: i64,
    interval: BillingInterval,
}

/// Prices the stored lines with the uplift.
fn priced(lines: &[StoredLine], uplift: Decimal) -> AppResult<(Vec<ProposalLine>, i64)> {
    let mut total: i128 = 0;
    let mut priced = Vec::with_capacity(lines.len());
    for line in lines {
        let unit_amount = uplifted_unit_amount(line.list_unit_amount, uplift)
            .to_i64()
            .ok_or_else(|| AppError::invalid("lines", "a unit price is too large"))?;
        let amount = i128::from(unit_amount) * i128::from(line.quantity);
        if amount > MAX_LINE_AMOUNT {
            return Err(AppError::invalid("lines", format!("a line may total at most {MAX_LINE_AMOUNT} minor units")));
        }
        total += amount;
        priced.push(ProposalLine {
            description: line.description.clone(),
            quantity: line.quantity,
            list_unit_amount: line.list_unit_amount,
            unit_amount,
            interval: line.interval,
            amount: i64::try_from(amount).unwrap_or(i64::MAX),
        });
    }
    Ok((priced, i64::try_from(total).map_err(|_| AppError::invalid("lines", "the total is too large"))?))
}

fn stored_lines(row: &ProposalRow) -> AppResult<Vec<StoredLine>> {
    Ok(store::from_json_text("proposals.lines", &row.lines)?)
}

fn uplift_of(row: &ProposalRow) -> AppResult<Decimal> {
    row.uplift_percentage.parse().map_err(|_| {
        AppError::Internal(format!("proposal {} has the invalid uplift {:?}", row.id, row.uplift_percentage))
    })
}

fn status_of(row: &ProposalRow) -> AppResult<ProposalStatus> {
    ProposalStatus::parse(&row.status)
        .ok_or_else(|| AppError::Internal(format!("proposal {} has the invalid status {:?}", row.id, row.status)))
}

fn proposal_view(row: &ProposalRow) -> AppResult<Proposal> {
    let uplift = uplift_of(row)?;
    let (lines, _) = priced(&stored_lines(row)?, uplift)?;
    Ok(Proposal {
        id: row.id.clone(),
        account_id: parse_id(&row.account_id)?,
        status: status_of(row)?,
        uplift_percentage: uplift,
        currency: row.currency.clone(),
        lines,
        total_amount: row.total_amount,
        source_subscription_id: row.source_subscription_id.clone(),
        created_at: utc(row.created_at),
        updated_at: utc(row.updated_at),
    })
}

/// Checks lines sent by an editor.
fn checked_lines(inputs: &[ProposalLineInput]) -> AppResult<Vec<StoredLine>> {
    let mut errors = ValidationErrors::new();
    if inputs.is_empty() || inputs.len() > MAX_LINES {
        errors.add("lines", format!("must hold 1 to {MAX_LINES} lines"));
    }
    let lines = inputs
        .iter()
        .enumerate()
        .map(|(index, input)| {
            let description = required_text(
                &mut errors,
                &format!("lines[{index}].description"),
                &input.description,
                MAX_DESCRIPTION_CHARS,
            );
            if input.quantity < 0 {
                errors.add(format!("lines[{index}].quantity"), "must be 0 or more");
            }
            if input.list_unit_amount < 0 {
                errors.add(format!("lines[{index}].list_unit_amount"), "must be 0 or more, in minor units");
            }
            StoredLine {
                description,
                quantity: input.quantity,
                list_unit_amount: input.list_unit_amount,
                interval: input.interval,
            }
        })
        .collect();
    errors.into_result()?;
    Ok(lines)
}

/// Summarises a proposal in one line for the timeline: "Growth, 5% uplift, total 5145.00 USD".
fn summary(row: &ProposalRow) -> AppResult<String> {
    let lines = stored_lines(row)?;
    let first = lines.first().map(|line| line.description.as_str()).unwrap_or("no lines");
    let more = match lines.len() {
        0 | 1 => String::new(),
        2 => " and 1 more line".to_owned(),
        count => format!(" and {} more lines", count - 1),
    };
    Ok(format!(
        "{first}{more}, {}% uplift, total {} {}",
        row.uplift_percentage,
        format_minor(row.total_amount, &row.currency),
        row.currency
    ))
}

fn changed_meanwhile() -> AppError {
    AppError::Conflict {
        code: "proposal_changed",
        field: None,
        message: "the proposal changed while this change was made; reload it and try again".into(),
    }
}

fn find_proposal(connection: &mut DbConnection, scope: &Scope, id: &str) -> AppResult<ProposalRow> {
    queries::find(connection, scope, id)?.ok_or_else(|| AppError::not_found("proposal"))
}

impl App {
    /// Drafts a renewal proposal from a subscription: one line at the current price
    /// raised by the business's uplift. While a draft from the same subscription exists,
    /// returns that draft instead. The flag is true when this call created it.
    pub fn generate_proposal(&self, tenant: &Tenant, subscription_id: &str) -> AppResult<(Proposal, bool)> {
        self.require_feature(tenant, crate::settings::Feature::Renewals)?;
        let scope = tenant.scope();
        let mut connection = self.connection()?;
        let subscription = subscription_rows::find(&mut connection, &scope, subscription_id)?
            .ok_or_else(|| AppError::not_found("subscription"))?;
        if let Some(draft) = queries::draft_for_subscription(&mut connection, &scope, &subscription.id)? {
            return Ok((proposal_view(&draft)?, false));
        }
        let business = business_queries::find(&mut connection, scope.business_id())?
            .ok_or_else(|| AppError::not_found("business"))?;
        let uplift = renewal_settings(&business)?.uplift_percentage;
        let interval: BillingInterval = subscription
            .billing_interval
            .parse()
            .map_err(|_| AppError::Internal(format!("subscription {} has an invalid interval", subscription.id)))?;
        let lines = vec![StoredLine {
            description: subscription.plan_name.clone(),
            quantity: subscription.quantity,
            list_unit_amount: subscription.unit_amount,
            interval,
        }];
        let (_, total_amount) = priced(&lines, uplift)?;
        let at = now();
        let row = ProposalRow {
            id: new_id().to_string(),
            business_id: scope.business_id().to_owned(),
            account_id: subscription.account_id.clone(),
            source_subscription_id: Some(subscription.id.clone()),
            status: ProposalStatus::Draft.as_str().to_owned(),
            uplift_percentage: uplift.to_string(),
            currency: subscription.currency.clone(),
            lines: store::to_json_text(&lines)?,
            total_amount,
            created_by: Some(tenant.user_id.to_string()),
            created_at: at,
            updated_at: at,
        };
        let inserted = store::write_transaction::<_, AppError, _>(&mut connection, |connection| {
            queries::insert(connection, &row).map_err(|error| {
                if error.violates_unique("proposals_one_draft") || error.violates_unique("source_subscription_id") {
                    AppError::Conflict { code: "draft_exists", field: None, message: "a draft exists".into() }
                } else {
                    AppError::from(error)
                }
            })?;
            let subject = format!("Renewal proposal drafted: {}", summary(&row)?);
            record_system_activity(connection, &scope, &row.account_id, &subject, None, Some(tenant.user_id), at)
        });
        match inserted {
            Ok(()) => Ok((proposal_view(&row)?, true)),
            // Another click drafted it first.
            Err(AppError::Conflict { code: "draft_exists", .. }) => {
                let draft = queries::draft_for_subscription(&mut connection, &scope, &subscription.id)?
                    .ok_or_else(|| AppError::Internal("a draft clashed but cannot be found".into()))?;
                Ok((proposal_view(&draft)?, false))
            }
            Err(error) => Err(error),
        }
    }

    pub fn get_proposal(&self, tenant: &Tenant, id: &str) -> AppResult<Proposal> {
        self.require_feature(tenant, crate::settings::Feature::Renewals)?;
        let mut connection = self.connection()?;
        proposal_view(&find_proposal(&mut connection, &tenant.scope(), id)?)
    }

    /// Lists an account's proposals, newest first.
    pub fn list_proposals(
        &self,
        tenant: &Tenant,
        account_id: AccountId,
        params: &PageParams,
    ) -> AppResult<Page<Proposal>> {
        self.require_feature(tenant, crate::settings::Feature::Renewals)?;
        let (limit, offset) = limit_and_offset(params.limit, params.offset)?;
        let scope = tenant.scope();
        let mut connection = self.connection()?;
        let id = account_id.to_string();
        if !account_queries::exists(&mut connection, &scope, &id)? {
            return Err(AppError::not_found("account"));
        }
        let (rows, total) = queries::list_for_account(&mut connection, &scope, &id, limit, offset)?;
        Ok(Page { items: rows.iter().map(proposal_view).collect::<AppResult<_>>()?, total, next_cursor: None })
    }

    /// Changes the uplift or the lines of a draft. Other statuses fail with
    /// `proposal_not_draft`.
    pub fn update_proposal(&self, tenant: &Tenant, id: &str, input: &ProposalUpdate) -> AppResult<Proposal> {
        self.require_feature(tenant, crate::settings::Feature::Renewals)?;
        let uplift = input
            .uplift_percentage
            .map(|uplift| check_uplift(uplift).map_err(|message| AppError::invalid("uplift_percentage", message)))
            .transpose()?;
        let lines = input.lines.as_deref().map(checked_lines).transpose()?;
        let scope = tenant.scope();
        let mut connection = self.connection()?;
        store::write_transaction::<_, AppError, _>(&mut connection, |connection| {
            let mut row = find_proposal(connection, &scope, id)?;
            if status_of(&row)? != ProposalStatus::Draft {
                return Err(AppError::Conflict {
                    code: "proposal_not_draft",
                    field: None,
                    message: format!("this proposal is {}; only a draft can be edited", row.status),
                });
            }
            let before = row.clone();
            if let Some(uplift) = uplift {
                row.uplift_percentage = uplift.to_string();
            }
            if let Some(lines) = &lines {
                row.lines = store::to_json_text(lines)?;
            }
            let (_, total) = priced(&stored_lines(&row)?, uplift_of(&row)?)?;
            row.total_amount = total;
            if row == before {
                return proposal_view(&row);
            }
            let at = now();
            row.updated_at = at;
            if queries::update_if_unchanged(connection, &scope, &row, &before.status, before.updated_at)? == 0 {
                return Err(changed_meanwhile());
            }
            let subject = format!("Renewal proposal edited: {}", summary(&row)?);
            record_system_activity(connection, &scope, &row.account_id, &subject, None, Some(tenant.user_id), at)?;
            proposal_view(&row)
        })
    }

    /// Moves a proposal from draft to sent, or from sent to won or lost.
    pub fn change_proposal_status(
        &self,
        tenant: &Tenant,
        id: &str,
        input: &ProposalStatusChange,
    ) -> AppResult<Proposal> {
        self.require_feature(tenant, crate::settings::Feature::Renewals)?;
        let scope = tenant.scope();
        let mut connection = self.connection()?;
        store::write_transaction::<_, AppError, _>(&mut connection, |connection| {
            let mut row = find_proposal(connection, &scope, id)?;
            let current = status_of(&row)?;
            if !current.may_move_to(input.status) {
                return Err(AppError::Conflict {
                    code: "invalid_transition",
                    field: Some("status".into()),
                    message: format!(
                        "a {} proposal cannot become {}; drafts are sent, sent proposals are won or lost",
                        current.as_str(),
                        input.status.as_str()
                    ),
                });
            }
            let at = now();
            let (read_status, read_updated_at) = (row.status.clone(), row.updated_at);
            row.status = input.status.as_str().to_owned();
            row.updated_at = at;
            if queries::update_if_unchanged(connection, &scope, &row, &read_status, read_updated_at)? == 0 {
                return Err(changed_meanwhile());
            }
            let subject = format!("Renewal proposal {}: {}", input.status.as_str(), summary(&row)?);
            record_system_activity(connection, &scope, &row.account_id, &subject, None, Some(tenant.user_id), at)?;
            proposal_view(&row)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(list: i64, quantity: i32) -> StoredLine {
        StoredLine { description: "Growth".into(), quantity, list_unit_amount: list, interval: BillingInterval::Year }
    }

    #[test]
    fn lines_are_priced_with_the_uplift() {
        let uplift: Decimal = "5".parse().unwrap_or_default();
        let Ok((lines, total)) = priced(&[line(4_900, 10), line(30, 1)], uplift) else { panic!("priced") };
        assert_eq!((lines[0].unit_amount, lines[0].amount), (5_145, 51_450));
        assert_eq!((lines[1].unit_amount, lines[1].amount), (32, 32), "31.5 rounds half to even");
        assert_eq!(total, 51_482);
    }

    #[test]
    fn editor_lines_are_checked() {
        let good = ProposalLineInput {
            description: "Seats".into(),
            quantity: 2,
            list_unit_amount: 100,
            interval: BillingInterval::Month,
        };
        assert!(checked_lines(std::slice::from_ref(&good)).is_ok());
        assert!(checked_lines(&[]).is_err());
        let bad = ProposalLineInput { quantity: -1, ..good };
        let Err(AppError::Validation(errors)) = checked_lines(&[bad]) else { panic!("rejected") };
        assert_eq!(errors.0[0].field, "lines[0].quantity");
    }
}
