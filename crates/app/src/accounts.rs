//! Accounts: list, read, create, change and delete the shared customer record.

use api_types::accounts::{Account, AccountCreate, AccountListParams, AccountUpdate};
use api_types::Page;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{NaiveDate, NaiveDateTime};
use crm_core::custom_field::merge_values;
use crm_core::stage::normalize_reasons;
use crm_core::validation::{date_in_range, optional_text, required_text};
use crm_core::{domain_name, AccountId, AtRiskReason, CustomFieldEntity, Stage, UserId, ValidationErrors};
use serde::{Deserialize, Serialize};
use serde_json::Map;
use store::accounts::{self as queries, AccountFilter, AccountQuery, AccountRow, AccountSortKey, PageStart, SortValue};
use store::{users as user_queries, DbConnection, Scope, StoreError};
use tracing::info;

use crate::activities::record_system_activity;
use crate::auth::parse_id;
use crate::clock::{new_id, now, utc};
use crate::custom_fields::{definitions_for, values_of, with_values};
use crate::error::{AppError, AppResult};
use crate::paging::limit_and_offset;
use crate::tenant::Tenant;
use crate::App;

/// Maximum length of an account name, in characters.
pub const MAX_NAME_CHARS: usize = 200;

pub(crate) fn account_view(row: &AccountRow) -> AppResult<Account> {
    let corrupt = |column: &str| AppError::Internal(format!("accounts.{column} of {} is invalid", row.id));
    let reasons: Vec<String> = store::from_json_text("accounts.at_risk_reasons", &row.at_risk_reasons)?;
    Ok(Account {
        id: parse_id(&row.id)?,
        name: row.name.clone(),
        domain: row.domain.clone(),
        industry: row.industry.clone(),
        stage: row.stage.parse().map_err(|_| corrupt("stage"))?,
        at_risk: row.at_risk,
        at_risk_reasons: reasons
            .iter()
            .map(|reason| reason.parse())
            .collect::<Result<_, _>>()
            .map_err(|_| corrupt("at_risk_reasons"))?,
        csm_id: row.csm_id.as_deref().map(parse_id).transpose()?,
        ae_id: row.ae_id.as_deref().map(parse_id).transpose()?,
        renewal_date: row.renewal_date,
        health_score: row.health_score,
        billing_customer_id: row.billing_customer_id.clone(),
        external_id: row.external_id.clone(),
        custom_fields: values_of(&row.metadata)?,
        created_at: utc(row.created_at),
        updated_at: utc(row.updated_at),
    })
}

pub(crate) fn reasons_json(reasons: &[AtRiskReason]) -> AppResult<String> {
    let names: Vec<&str> = normalize_reasons(reasons).iter().map(AtRiskReason::as_str).collect();
    Ok(store::to_json_text(&names)?)
}

/// Normalises a domain field, recording an error under `field` when it is malformed.
pub(crate) fn normalize_domain(errors: &mut ValidationErrors, field: &str, value: Option<&str>) -> Option<String> {
    match domain_name::normalize(value.unwrap_or_default()) {
        Ok(domain) => domain,
        Err(error) => {
            errors.add(field, error.to_string());
            None
        }
    }
}

/// Checks that each given owner is a user of the business.
fn check_owners(connection: &mut DbConnection, scope: &Scope, owners: &[(&str, Option<UserId>)]) -> AppResult<()> {
    let mut errors = ValidationErrors::new();
    for (field, owner) in owners {
        if let Some(owner) = owner {
            if user_queries::find(connection, scope, &owner.to_string())?.is_none() {
                errors.add(*field, "no user with this id in your business");
            }
        }
    }
    Ok(errors.into_result()?)
}

/// Turns a unique violation on an account into a conflict that names the field.
pub(crate) fn account_conflict(error: StoreError, row: &AccountRow) -> AppError {
    if error.violates_unique("domain") {
        AppError::Conflict {
            code: "domain_taken",
            field: Some("domain".into()),
            message: format!("another account already has the domain {}", row.domain.as_deref().unwrap_or_default()),
        }
    } else if error.violates_unique("external_id") {
        AppError::Conflict {
            code: "external_id_taken",
            field: Some("external_id".into()),
            message: format!(
                "another account already has the external id {}",
                row.external_id.as_deref().unwrap_or_default()
            ),
        }
    } else {
        AppError::from(error)
    }
}

/// The position of the last row of a page, encoded for the client as an opaque string.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Cursor {
    sort: String,
    text: Option<String>,
    at: Option<NaiveDateTime>,
    date: Option<NaiveDate>,
    number: Option<i32>,
    id: String,
}

impl Cursor {
    fn encode(&self) -> AppResult<String> {
        Ok(URL_SAFE_NO_PAD.encode(store::to_json_text(self)?))
    }

    fn decode(text: &str) -> Option<Cursor> {
        let bytes = URL_SAFE_NO_PAD.decode(text).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    fn of_row(sort: &str, key: AccountSortKey, row: &AccountRow) -> Cursor {
        let mut cursor =
            Cursor { sort: sort.to_owned(), text: None, at: None, date: None, number: None, id: row.id.clone() };
        match queries::sort_value(row, key) {
            SortValue::Text(text) => cursor.text = Some(text),
            SortValue::Timestamp(at) => cursor.at = Some(at),
            SortValue::Date(date) => cursor.date = date,
            SortValue::Integer(number) => cursor.number = number,
        }
        cursor
    }

    fn sort_value(&self, key: AccountSortKey) -> SortValue {
        match key {
            AccountSortKey::Name => SortValue::Text(self.text.clone().unwrap_or_default()),
            AccountSortKey::CreatedAt | AccountSortKey::UpdatedAt => SortValue::Timestamp(self.at.unwrap_or_default()),
            AccountSortKey::RenewalDate => SortValue::Date(self.date),
            AccountSortKey::HealthScore => SortValue::Integer(self.number),
        }
    }
}

/// Parses the `sort` parameter: a column name with an optional leading `-` for descending.
pub(crate) fn parse_sort(sort: Option<&str>) -> Result<(String, AccountSortKey, bool), ValidationErrors> {
    let sort = sort.map(str::trim).filter(|sort| !sort.is_empty()).unwrap_or("name");
    let (descending, column) = match sort.strip_prefix('-') {
        Some(column) => (true, column),
        None => (false, sort),
    };
    let key = match column {
        "name" => AccountSortKey::Name,
        "created_at" => AccountSortKey::CreatedAt,
        "updated_at" => AccountSortKey::UpdatedAt,
        "renewal_date" => AccountSortKey::RenewalDate,
        "health_score" => AccountSortKey::HealthScore,
        _ => {
            return Err(ValidationErrors::single(
                "sort",
                "must be name, created_at, updated_at, renewal_date or health_score, optionally with a leading -",
            ))
        }
    };
    Ok((sort.to_owned(), key, descending))
}

/// Builds the filter part of the list parameters, shared with the CSV export.
pub(crate) fn list_filter(params: &AccountListParams) -> Result<AccountFilter, ValidationErrors> {
    let q = params.q.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(str::to_owned);
    if q.as_ref().is_some_and(|q| q.chars().count() > 200) {
        return Err(ValidationErrors::single("q", "must be at most 200 characters"));
    }
    Ok(AccountFilter {
        stage: params.stage.map(|stage| stage.as_str().to_owned()),
        at_risk: params.at_risk,
        csm_id: params.csm_id.map(|id| id.to_string()),
        q,
    })
}

impl App {
    /// Lists accounts with filters, a sort order and offset or cursor paging.
    pub fn list_accounts(&self, tenant: &Tenant, params: &AccountListParams) -> AppResult<Page<Account>> {
        let filter = list_filter(params)?;
        let (sort, key, descending) = parse_sort(params.sort.as_deref())?;
        let (limit, offset) = limit_and_offset(params.limit, params.offset)?;
        let start = match &params.cursor {
            Some(_) if params.offset.is_some() => {
                return Err(AppError::invalid("cursor", "cannot be combined with offset"))
            }
            Some(text) => {
                let cursor = Cursor::decode(text)
                    .ok_or_else(|| AppError::invalid("cursor", "is not a cursor returned by this list"))?;
                if cursor.sort != sort {
                    return Err(AppError::invalid(
                        "cursor",
                        "belongs to another sort order; start again without a cursor",
                    ));
                }
                PageStart::After { value: cursor.sort_value(key), id: cursor.id }
            }
            None => PageStart::Offset(offset),
        };

        let mut connection = self.connection()?;
        let query = AccountQuery { filter, sort: key, descending, start, limit: limit + 1 };
        let (mut rows, total) = queries::list(&mut connection, &tenant.scope(), &query)?;
        let has_more = rows.len() as i64 > limit;
        rows.truncate(usize::try_from(limit).unwrap_or_default());
        let next_cursor = match rows.last() {
            Some(last) if has_more => Some(Cursor::of_row(&sort, key, last).encode()?),
            _ => None,
        };

        let items = rows.iter().map(account_view).collect::<AppResult<Vec<_>>>()?;
        Ok(Page { items, total, next_cursor })
    }

    pub fn get_account(&self, tenant: &Tenant, id: AccountId) -> AppResult<Account> {
        let mut connection = self.connection()?;
        let row = queries::find(&mut connection, &tenant.scope(), &id.to_string())?
            .ok_or_else(|| AppError::not_found("account"))?;
        account_view(&row)
    }

    /// Creates an account after validating every field, its owners and custom fields.
    pub fn create_account(&self, tenant: &Tenant, input: &AccountCreate) -> AppResult<Account> {
        let scope = tenant.scope();
        let mut connection = self.connection()?;

        let mut errors = ValidationErrors::new();
        let name = required_text(&mut errors, "name", &input.name, MAX_NAME_CHARS);
        let domain = normalize_domain(&mut errors, "domain", input.domain.as_deref());
        let industry = optional_text(&mut errors, "industry", input.industry.as_deref(), 100);
        let billing_customer_id =
            optional_text(&mut errors, "billing_customer_id", input.billing_customer_id.as_deref(), 200);
        let external_id = optional_text(&mut errors, "external_id", input.external_id.as_deref(), 200);
        if !input.at_risk && !input.at_risk_reasons.is_empty() {
            errors.add("at_risk_reasons", "can only be set when at_risk is true");
        }
        if let Err(message) = input.renewal_date.map(date_in_range).transpose() {
            errors.add("renewal_date", message);
        }
        let definitions = definitions_for(&mut connection, &scope, CustomFieldEntity::Account)?;
        let custom_fields = match merge_values(&definitions, &Map::new(), &input.custom_fields, "custom_fields") {
            Ok(values) => values,
            Err(custom_errors) => {
                errors.0.extend(custom_errors.0);
                Map::new()
            }
        };
        errors.into_result()?;
        check_owners(&mut connection, &scope, &[("csm_id", input.csm_id), ("ae_id", input.ae_id)])?;

        let at = now();
        let row = AccountRow {
            id: new_id().to_string(),
            business_id: scope.business_id().to_owned(),
            name,
            domain,
            industry,
            stage: input.stage.unwrap_or(Stage::Active).as_str().to_owned(),
            at_risk: input.at_risk,
            at_risk_reasons: reasons_json(&input.at_risk_reasons)?,
            csm_id: input.csm_id.map(|id| id.to_string()),
            ae_id: input.ae_id.map(|id| id.to_string()),
            renewal_date: input.renewal_date,
            health_score: None,
            billing_customer_id,
            external_id,
            metadata: with_values("{}", custom_fields)?,
            is_sample: false,
            created_at: at,
            updated_at: at,
        };
        queries::insert(&mut connection, &row).map_err(|error| account_conflict(error, &row))?;
        info!(account_id = %row.id, "account created");

        account_view(&row)
    }

    /// Changes the fields sent and leaves the rest. A stage change writes a system activity
    /// in the same transaction.
    pub fn update_account(&self, tenant: &Tenant, id: AccountId, input: &AccountUpdate) -> AppResult<Account> {
        let scope = tenant.scope();
        let mut connection = self.connection()?;
        let current =
            queries::find(&mut connection, &scope, &id.to_string())?.ok_or_else(|| AppError::not_found("account"))?;
        let current_view = account_view(&current)?;
        let mut row = current.clone();

        let mut errors = ValidationErrors::new();
        if let Some(name) = &input.name {
            row.name = required_text(&mut errors, "name", name, MAX_NAME_CHARS);
        }
        if let Some(domain) = &input.domain {
            row.domain = normalize_domain(&mut errors, "domain", domain.as_deref());
        }
        if let Some(industry) = &input.industry {
            row.industry = optional_text(&mut errors, "industry", industry.as_deref(), 100);
        }
        if let Some(billing_customer_id) = &input.billing_customer_id {
            row.billing_customer_id =
                optional_text(&mut errors, "billing_customer_id", billing_customer_id.as_deref(), 200);
        }
        if let Some(external_id) = &input.external_id {
            row.external_id = optional_text(&mut errors, "external_id", external_id.as_deref(), 200);
        }
        if let Some(stage) = input.stage {
            row.stage = stage.as_str().to_owned();
        }
        if let Some(renewal_date) = input.renewal_date {
            if let Err(message) = renewal_date.map(date_in_range).transpose() {
                errors.add("renewal_date", message);
            }
            row.renewal_date = renewal_date;
        }
        if let Some(csm_id) = input.csm_id {
            row.csm_id = csm_id.map(|id| id.to_string());
        }
        if let Some(ae_id) = input.ae_id {
            row.ae_id = ae_id.map(|id| id.to_string());
        }

        let at_risk = input.at_risk.unwrap_or(current.at_risk);
        let reasons = match &input.at_risk_reasons {
            Some(reasons) => reasons.clone(),
            None if !at_risk => Vec::new(),
            None => current_view.at_risk_reasons.clone(),
        };
        if !at_risk && !reasons.is_empty() {
            errors.add("at_risk_reasons", "can only be set when at_risk is true");
        }
        row.at_risk = at_risk;
        row.at_risk_reasons = reasons_json(&reasons)?;

        if let Some(changes) = &input.custom_fields {
            let definitions = definitions_for(&mut connection, &scope, CustomFieldEntity::Account)?;
            match merge_values(&definitions, &current_view.custom_fields, changes, "custom_fields") {
                Ok(values) => row.metadata = with_values(&current.metadata, values)?,
                Err(custom_errors) => errors.0.extend(custom_errors.0),
            }
        }
        errors.into_result()?;
        let owners = [("csm_id", input.csm_id.flatten()), ("ae_id", input.ae_id.flatten())];
        check_owners(&mut connection, &scope, &owners)?;

        if row == current {
            return Ok(current_view);
        }
        let at = now();
        row.updated_at = at;
        let stage_change = (row.stage != current.stage).then_some((current_view.stage, input.stage));
        store::write_transaction::<_, AppError, _>(&mut connection, |connection| {
            queries::update(connection, &scope, &row).map_err(|error| account_conflict(error, &row))?;
            if let Some((from, Some(to))) = stage_change {
                let subject = format!("Stage changed from {} to {}", from.label(), to.label());
                record_system_activity(connection, &scope, &row.id, &subject, None, Some(tenant.user_id), at)?;
            }
            Ok(())
        })?;
        info!(account_id = %row.id, "account updated");

        account_view(&row)
    }

    /// Deletes an account with its contacts and timeline.
    pub fn delete_account(&self, tenant: &Tenant, id: AccountId) -> AppResult<()> {
        let mut connection = self.connection()?;
        if queries::delete(&mut connection, &tenant.scope(), &id.to_string())? == 0 {
            return Err(AppError::not_found("account"));
        }
        info!(account_id = %id, "account deleted");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_parses_direction() {
        assert_eq!(parse_sort(None).ok().map(|(_, key, desc)| (key, desc)), Some((AccountSortKey::Name, false)));
        assert_eq!(
            parse_sort(Some("-health_score")).ok().map(|(_, key, desc)| (key, desc)),
            Some((AccountSortKey::HealthScore, true))
        );
        assert!(parse_sort(Some("stage")).is_err());
    }

    #[test]
    fn cursor_round_trips() {
        let cursor = Cursor {
            sort: "name".into(),
            text: Some("acme".into()),
            at: None,
            date: None,
            number: None,
            id: "x".into(),
        };
        let encoded = cursor.encode().unwrap_or_default();
        assert_eq!(Cursor::decode(&encoded), Some(cursor));
        assert_eq!(Cursor::decode("not-a-cursor"), None);
    }
}
