//! The proposal editor's state: the uplift and the lines as text while the user types,
//! checked and turned into the API's partial update on save.

use api_types::proposals::{Proposal, ProposalLineInput, ProposalUpdate};
use crm_core::BillingInterval;
use rust_decimal::Decimal;

use crate::alerts::FieldErrors;
use crate::money;

/// Most lines the server accepts on one proposal.
pub const MAX_LINES: usize = 100;

/// One line being edited. `key` identifies the row in the view while lines are added and
/// removed; it is never sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineDraft {
    pub key: u32,
    pub description: String,
    pub quantity: String,
    /// The unit price before the uplift, in major units.
    pub list_price: String,
    pub interval: BillingInterval,
}

/// The editable parts of a draft proposal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProposalDraft {
    pub currency: String,
    pub uplift: String,
    pub lines: Vec<LineDraft>,
    next_key: u32,
}

/// Returns the API's name of a line's field, which keys its error: `lines[2].quantity`.
pub fn line_field(index: usize, field: &str) -> String {
    format!("lines[{index}].{field}")
}

impl ProposalDraft {
    pub fn from_proposal(proposal: &Proposal) -> Self {
        let lines: Vec<LineDraft> = proposal
            .lines
            .iter()
            .zip(0..)
            .map(|(line, key)| LineDraft {
                key,
                description: line.description.clone(),
                quantity: line.quantity.to_string(),
                list_price: money::input_text(line.list_unit_amount, &proposal.currency),
                interval: line.interval,
            })
            .collect();
        let next_key = u32::try_from(lines.len()).unwrap_or(u32::MAX);
        ProposalDraft {
            currency: proposal.currency.clone(),
            uplift: proposal.uplift_percentage.normalize().to_string(),
            lines,
            next_key,
        }
    }

    /// Appends an empty line of one unit, billed like the last line (yearly when none),
    /// and returns its key.
    pub fn add_line(&mut self) -> u32 {
        let key = self.next_key;
        self.next_key += 1;
        let interval = self.lines.last().map_or(BillingInterval::Year, |line| line.interval);
        self.lines.push(LineDraft {
            key,
            description: String::new(),
            quantity: "1".to_owned(),
            list_price: String::new(),
            interval,
        });
        key
    }

    pub fn remove_line(&mut self, key: u32) {
        self.lines.retain(|line| line.key != key);
    }

    /// Returns the position of a line, which names its fields in the API's errors.
    pub fn index_of(&self, key: u32) -> Option<usize> {
        self.lines.iter().position(|line| line.key == key)
    }

    pub fn line(&self, key: u32) -> Option<&LineDraft> {
        self.lines.iter().find(|line| line.key == key)
    }

    /// Changes one line in place; an unknown key changes nothing.
    pub fn edit_line(&mut self, key: u32, change: impl FnOnce(&mut LineDraft)) {
        if let Some(line) = self.lines.iter_mut().find(|line| line.key == key) {
            change(line);
        }
    }

    /// Checks the inputs and returns the update from `saved` to this draft: the uplift
    /// when it changed, the lines when any changed. Errors are keyed like the API's.
    pub fn to_update(&self, saved: &Proposal) -> Result<ProposalUpdate, FieldErrors> {
        let mut errors = FieldErrors::new();

        let uplift = match parse_uplift(&self.uplift) {
            Ok(uplift) => Some(uplift),
            Err(message) => {
                errors.insert("uplift_percentage".to_owned(), message);
                None
            }
        };

        if self.lines.is_empty() {
            errors.insert("lines".to_owned(), "Add at least one line.".to_owned());
        } else if self.lines.len() > MAX_LINES {
            errors.insert("lines".to_owned(), format!("A proposal holds at most {MAX_LINES} lines."));
        }
        let mut lines = Vec::with_capacity(self.lines.len());
        for (index, line) in self.lines.iter().enumerate() {
            let description = line.description.trim();
            if description.is_empty() {
                errors.insert(line_field(index, "description"), "Enter a description.".to_owned());
            }
            let quantity = match line.quantity.trim().parse::<i32>() {
                Ok(quantity) if quantity >= 1 => quantity,
                _ => {
                    errors.insert(line_field(index, "quantity"), "Enter a whole number of 1 or more.".to_owned());
                    0
                }
            };
            let list_unit_amount = match money::parse_major(&line.list_price, &self.currency) {
                Ok(amount) => amount,
                Err(message) => {
                    errors.insert(line_field(index, "list_unit_amount"), message);
                    0
                }
            };
            lines.push(ProposalLineInput {
                description: description.to_owned(),
                quantity,
                list_unit_amount,
                interval: line.interval,
            });
        }
        if !errors.is_empty() {
            return Err(errors);
        }

        let saved_lines: Vec<ProposalLineInput> = saved
            .lines
            .iter()
            .map(|line| ProposalLineInput {
                description: line.description.clone(),
                quantity: line.quantity,
                list_unit_amount: line.list_unit_amount,
                interval: line.interval,
            })
            .collect();
        Ok(ProposalUpdate {
            uplift_percentage: uplift.filter(|uplift| *uplift != saved.uplift_percentage.normalize()),
            lines: (lines != saved_lines).then_some(lines),
        })
    }
}

/// Reads an uplift typed as a percentage: 0 to 100 with at most two decimals.
pub fn parse_uplift(text: &str) -> Result<Decimal, String> {
    let text = text.trim().trim_end_matches('%').trim();
    if text.is_empty() {
        return Err("Enter an uplift percentage, such as 5 or 7.25.".to_owned());
    }
    let value = text.parse::<Decimal>().map_err(|_| "Enter the uplift as a number, such as 5 or 7.25.".to_owned())?;
    let value = value.normalize();
    if value < Decimal::ZERO || value > Decimal::ONE_HUNDRED {
        return Err("Enter a percentage from 0 to 100.".to_owned());
    }
    if value.scale() > 2 {
        return Err("Use at most two decimals.".to_owned());
    }
    Ok(value)
}

/// Tells whether an update changes anything.
pub fn is_empty_update(update: &ProposalUpdate) -> bool {
    update.uplift_percentage.is_none() && update.lines.is_none()
}

#[cfg(test)]
mod tests {
    use api_types::proposals::ProposalLine;
    use chrono::Utc;
    use crm_core::AccountId;
    use renewals::ProposalStatus;

    use super::*;

    fn decimal(text: &str) -> Decimal {
        text.parse().unwrap_or(Decimal::MIN)
    }

    fn proposal() -> Proposal {
        Proposal {
            id: "p1".into(),
            account_id: AccountId(uuid::Uuid::nil()),
            status: ProposalStatus::Draft,
            uplift_percentage: decimal("5.00"),
            currency: "USD".into(),
            lines: vec![ProposalLine {
                description: "Team".into(),
                quantity: 10,
                list_unit_amount: 4_900,
                unit_amount: 5_145,
                interval: BillingInterval::Year,
                amount: 51_450,
            }],
            total_amount: 51_450,
            source_subscription_id: Some("s1".into()),
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn draft_starts_from_saved_values() {
        let draft = ProposalDraft::from_proposal(&proposal());
        assert_eq!(draft.uplift, "5");
        assert_eq!(draft.lines.len(), 1);
        assert_eq!(draft.lines[0].list_price, "49.00");
        assert_eq!(draft.lines[0].quantity, "10");
    }

    #[test]
    fn unchanged_draft_sends_nothing() {
        let saved = proposal();
        let update = ProposalDraft::from_proposal(&saved).to_update(&saved);
        assert_eq!(update.as_ref().map(is_empty_update), Ok(true));
    }

    #[test]
    fn uplift_change_sends_only_uplift() {
        let saved = proposal();
        let mut draft = ProposalDraft::from_proposal(&saved);
        draft.uplift = "7.25".into();
        let update = draft.to_update(&saved).unwrap_or_default();
        assert_eq!(update.uplift_percentage, Some(decimal("7.25")));
        assert_eq!(update.lines, None);
    }

    #[test]
    fn added_line_sends_all_lines() {
        let saved = proposal();
        let mut draft = ProposalDraft::from_proposal(&saved);
        let key = draft.add_line();
        draft.edit_line(key, |line| {
            line.description = " Onboarding ".into();
            line.list_price = "1,200".into();
        });
        let lines = draft.to_update(&saved).unwrap_or_default().lines.unwrap_or_default();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1].description, "Onboarding");
        assert_eq!(lines[1].quantity, 1);
        assert_eq!(lines[1].list_unit_amount, 120_000);
        assert_eq!(lines[1].interval, BillingInterval::Year);
    }

    #[test]
    fn keys_survive_removal() {
        let mut draft = ProposalDraft::from_proposal(&proposal());
        let second = draft.add_line();
        let third = draft.add_line();
        draft.remove_line(second);
        assert_eq!(draft.index_of(third), Some(1));
        assert_eq!(draft.index_of(second), None);
        let fourth = draft.add_line();
        assert_ne!(fourth, second, "a removed key is not reused");
    }

    #[test]
    fn errors_name_api_fields() {
        let saved = proposal();
        let mut draft = ProposalDraft::from_proposal(&saved);
        draft.uplift = "7.255".into();
        let key = draft.add_line();
        draft.edit_line(key, |line| line.quantity = "0".into());
        let errors = draft.to_update(&saved).err().unwrap_or_default();
        assert_eq!(errors.get("uplift_percentage").map(String::as_str), Some("Use at most two decimals."));
        assert!(errors.contains_key("lines[1].description"));
        assert!(errors.contains_key("lines[1].quantity"));
        assert!(errors.contains_key("lines[1].list_unit_amount"));
        assert!(!errors.contains_key("lines[0].quantity"));
    }

    #[test]
    fn empty_draft_needs_a_line() {
        let saved = proposal();
        let mut draft = ProposalDraft::from_proposal(&saved);
        draft.remove_line(0);
        let errors = draft.to_update(&saved).err().unwrap_or_default();
        assert!(errors.contains_key("lines"));
    }

    #[test]
    fn uplift_parsing() {
        assert_eq!(parse_uplift("7.25"), Ok(decimal("7.25")));
        assert_eq!(parse_uplift(" 10 % "), Ok(decimal("10")));
        assert_eq!(parse_uplift("0"), Ok(decimal("0")));
        assert!(parse_uplift("").is_err());
        assert!(parse_uplift("ten").is_err());
        assert_eq!(parse_uplift("100.5"), Err("Enter a percentage from 0 to 100.".to_owned()));
        assert_eq!(parse_uplift("-1"), Err("Enter a percentage from 0 to 100.".to_owned()));
    }
}
