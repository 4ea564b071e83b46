//! The account form's state as plain text and flags, and its conversion to the create and
//! update requests. An update carries only the fields that differ from the saved account,
//! so saving an unchanged stage writes no stage-change entry to the timeline.

use std::collections::BTreeMap;

use api_types::accounts::{Account, AccountCreate, AccountUpdate};
use crm_core::{AtRiskReason, CustomFieldDefinition, Stage, UserId};
use serde_json::{Map, Value};

use crate::alerts::FieldErrors;
use crate::forms::{self, optional};

/// The contents of the account form's inputs.
#[derive(Clone, Debug, PartialEq)]
pub struct AccountDraft {
    pub name: String,
    pub domain: String,
    pub industry: String,
    pub stage: Stage,
    pub at_risk: bool,
    pub reasons: Vec<AtRiskReason>,
    /// A user id, or empty for no owner.
    pub csm_id: String,
    pub ae_id: String,
    /// `YYYY-MM-DD` as a date input gives it, or empty.
    pub renewal_date: String,
    pub billing_customer_id: String,
    pub external_id: String,
    /// Custom field inputs by field key.
    pub custom: BTreeMap<String, String>,
}

fn text(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

fn parse_user(errors: &mut FieldErrors, field: &str, text: &str) -> Option<UserId> {
    if text.is_empty() {
        return None;
    }
    match text.parse() {
        Ok(id) => Some(id),
        Err(_) => {
            errors.insert(field.to_owned(), "Choose a user from the list.".into());
            None
        }
    }
}

/// Sets `slot` to the new value when it differs from the saved one.
fn changed<T: PartialEq>(saved: &T, new: T) -> Option<T> {
    (saved != &new).then_some(new)
}

/// The values of a draft after checking, shared by create and update.
struct Checked {
    name: String,
    domain: Option<String>,
    industry: Option<String>,
    reasons: Vec<AtRiskReason>,
    csm_id: Option<UserId>,
    ae_id: Option<UserId>,
    renewal_date: Option<chrono::NaiveDate>,
    billing_customer_id: Option<String>,
    external_id: Option<String>,
    custom: Map<String, Value>,
}

impl AccountDraft {
    /// Returns a draft for a new account: active, not at risk, every input empty.
    pub fn new_account() -> Self {
        AccountDraft {
            name: String::new(),
            domain: String::new(),
            industry: String::new(),
            stage: Stage::Active,
            at_risk: false,
            reasons: Vec::new(),
            csm_id: String::new(),
            ae_id: String::new(),
            renewal_date: String::new(),
            billing_customer_id: String::new(),
            external_id: String::new(),
            custom: BTreeMap::new(),
        }
    }

    pub fn from_account(account: &Account) -> Self {
        let custom = account
            .custom_fields
            .iter()
            .map(|(key, value)| (key.clone(), forms::custom_value_text(Some(value))))
            .collect();
        AccountDraft {
            name: account.name.clone(),
            domain: text(&account.domain),
            industry: text(&account.industry),
            stage: account.stage,
            at_risk: account.at_risk,
            reasons: account.at_risk_reasons.clone(),
            csm_id: account.csm_id.map(|id| id.to_string()).unwrap_or_default(),
            ae_id: account.ae_id.map(|id| id.to_string()).unwrap_or_default(),
            renewal_date: account.renewal_date.map(|date| date.to_string()).unwrap_or_default(),
            billing_customer_id: text(&account.billing_customer_id),
            external_id: text(&account.external_id),
            custom,
        }
    }

    fn check(&self, definitions: &[CustomFieldDefinition]) -> Result<Checked, FieldErrors> {
        let mut errors = FieldErrors::new();
        forms::require(&mut errors, "name", &self.name, "the account name");
        let csm_id = parse_user(&mut errors, "csm_id", &self.csm_id);
        let ae_id = parse_user(&mut errors, "ae_id", &self.ae_id);
        let renewal_date = forms::parse_date(&self.renewal_date).unwrap_or_else(|message| {
            errors.insert("renewal_date".into(), message);
            None
        });
        let custom =
            forms::custom_values(definitions, |key| self.custom.get(key).cloned().unwrap_or_default(), &mut errors);
        let reasons = if self.at_risk { crm_core::stage::normalize_reasons(&self.reasons) } else { Vec::new() };

        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Checked {
            name: self.name.trim().to_owned(),
            domain: optional(&self.domain),
            industry: optional(&self.industry),
            reasons,
            csm_id,
            ae_id,
            renewal_date,
            billing_customer_id: optional(&self.billing_customer_id),
            external_id: optional(&self.external_id),
            custom,
        })
    }

    /// Builds the request that creates this account, leaving out blank custom fields.
    pub fn to_create(&self, definitions: &[CustomFieldDefinition]) -> Result<AccountCreate, FieldErrors> {
        let checked = self.check(definitions)?;
        let custom_fields = checked.custom.into_iter().filter(|(_, value)| !value.is_null()).collect();
        Ok(AccountCreate {
            name: checked.name,
            domain: checked.domain,
            industry: checked.industry,
            stage: Some(self.stage),
            at_risk: self.at_risk,
            at_risk_reasons: checked.reasons,
            csm_id: checked.csm_id,
            ae_id: checked.ae_id,
            renewal_date: checked.renewal_date,
            billing_customer_id: checked.billing_customer_id,
            external_id: checked.external_id,
            custom_fields,
        })
    }

    /// Builds the request that changes `saved` into this draft. `None` fields stay as they are.
    pub fn to_update(
        &self,
        saved: &Account,
        definitions: &[CustomFieldDefinition],
    ) -> Result<AccountUpdate, FieldErrors> {
        let checked = self.check(definitions)?;

        let mut custom_changes = Map::new();
        for (key, value) in checked.custom {
            let saved_value = saved.custom_fields.get(&key).cloned().unwrap_or(Value::Null);
            if saved_value != value {
                custom_changes.insert(key, value);
            }
        }

        let saved_reasons = crm_core::stage::normalize_reasons(&saved.at_risk_reasons);
        Ok(AccountUpdate {
            name: changed(&saved.name, checked.name),
            domain: changed(&saved.domain, checked.domain),
            industry: changed(&saved.industry, checked.industry),
            stage: changed(&saved.stage, self.stage),
            at_risk: changed(&saved.at_risk, self.at_risk),
            at_risk_reasons: if self.at_risk { changed(&saved_reasons, checked.reasons) } else { None },
            csm_id: changed(&saved.csm_id, checked.csm_id),
            ae_id: changed(&saved.ae_id, checked.ae_id),
            renewal_date: changed(&saved.renewal_date, checked.renewal_date),
            billing_customer_id: changed(&saved.billing_customer_id, checked.billing_customer_id),
            external_id: changed(&saved.external_id, checked.external_id),
            custom_fields: (!custom_changes.is_empty()).then_some(custom_changes),
        })
    }
}

/// Tells whether an update changes nothing.
pub fn is_empty_update(update: &AccountUpdate) -> bool {
    update.name.is_none()
        && update.domain.is_none()
        && update.industry.is_none()
        && update.stage.is_none()
        && update.at_risk.is_none()
        && update.at_risk_reasons.is_none()
        && update.csm_id.is_none()
        && update.ae_id.is_none()
        && update.renewal_date.is_none()
        && update.billing_customer_id.is_none()
        && update.external_id.is_none()
        && update.custom_fields.is_none()
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use crm_core::AccountId;

    use super::*;

    fn saved() -> Account {
        Account {
            id: AccountId(uuid::Uuid::nil()),
            name: "Acme".into(),
            domain: Some("acme.test".into()),
            industry: None,
            stage: Stage::Active,
            at_risk: false,
            at_risk_reasons: Vec::new(),
            csm_id: None,
            ae_id: None,
            renewal_date: None,
            health_score: None,
            billing_customer_id: None,
            external_id: None,
            custom_fields: Map::new(),
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn unchanged_draft_sends_nothing() {
        let account = saved();
        let update = AccountDraft::from_account(&account).to_update(&account, &[]).expect("valid draft");
        assert!(is_empty_update(&update));
    }

    #[test]
    fn only_changed_fields_are_sent() {
        let account = saved();
        let mut draft = AccountDraft::from_account(&account);
        draft.stage = Stage::Renewal;
        draft.domain = "  ".into();
        let update = draft.to_update(&account, &[]).expect("valid draft");
        assert_eq!(update.stage, Some(Stage::Renewal));
        assert_eq!(update.domain, Some(None));
        assert_eq!(update.name, None);
        assert!(!is_empty_update(&update));
    }

    #[test]
    fn clearing_risk_drops_reasons() {
        let mut account = saved();
        account.at_risk = true;
        account.at_risk_reasons = vec![AtRiskReason::LowUsage];
        let mut draft = AccountDraft::from_account(&account);
        draft.at_risk = false;
        let update = draft.to_update(&account, &[]).expect("valid draft");
        assert_eq!(update.at_risk, Some(false));
        assert_eq!(update.at_risk_reasons, None);
    }

    #[test]
    fn blank_name_and_bad_date_are_reported() {
        let mut draft = AccountDraft::new_account();
        draft.renewal_date = "next year".into();
        let errors = draft.to_create(&[]).expect_err("invalid draft");
        assert!(errors.contains_key("name"));
        assert!(errors.contains_key("renewal_date"));
    }

    #[test]
    fn create_sets_stage_and_reasons() {
        let mut draft = AccountDraft::new_account();
        draft.name = " Globex ".into();
        draft.at_risk = true;
        draft.reasons = vec![AtRiskReason::Other, AtRiskReason::LowHealth, AtRiskReason::Other];
        let create = draft.to_create(&[]).expect("valid draft");
        assert_eq!(create.name, "Globex");
        assert_eq!(create.stage, Some(Stage::Active));
        assert_eq!(create.at_risk_reasons, vec![AtRiskReason::LowHealth, AtRiskReason::Other]);
    }
}
