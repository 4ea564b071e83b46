//! The pure rules of account CSV import: which column feeds which field, how CRM stage
//! values map to lifecycle stages, and how cells parse.
//!
//! Headers of HubSpot company exports and Salesforce account exports are recognised
//! without configuration; an explicit mapping overrides the detection.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::custom_field::CustomFieldDefinition;
use crate::stage::Stage;

/// The account field an import column feeds.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ImportTarget {
    Name,
    Domain,
    /// A website address; its host becomes the domain when the row has no domain column value.
    Website,
    Industry,
    Stage,
    /// The CSM owner, by user name or email.
    Csm,
    /// The AE owner (the CRM's record owner), by user name or email.
    Ae,
    RenewalDate,
    BillingCustomerId,
    /// The CRM's record id, used to match rows when there is no domain.
    ExternalId,
    /// A custom field, by its key.
    CustomField(String),
}

impl ImportTarget {
    const PLAIN: &'static [(ImportTarget, &'static str)] = &[
        (ImportTarget::Name, "name"),
        (ImportTarget::Domain, "domain"),
        (ImportTarget::Website, "website"),
        (ImportTarget::Industry, "industry"),
        (ImportTarget::Stage, "stage"),
        (ImportTarget::Csm, "csm"),
        (ImportTarget::Ae, "ae"),
        (ImportTarget::RenewalDate, "renewal_date"),
        (ImportTarget::BillingCustomerId, "billing_customer_id"),
        (ImportTarget::ExternalId, "external_id"),
    ];

    /// Prefix of a custom field target, as in `custom_fields.tier`.
    pub const CUSTOM_PREFIX: &'static str = "custom_fields.";
}

impl fmt::Display for ImportTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let ImportTarget::CustomField(key) = self {
            return write!(f, "{}{key}", Self::CUSTOM_PREFIX);
        }
        let name = Self::PLAIN.iter().find(|(target, _)| target == self).map(|(_, name)| *name).unwrap_or_default();
        f.write_str(name)
    }
}

impl FromStr for ImportTarget {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if let Some(key) = text.strip_prefix(Self::CUSTOM_PREFIX) {
            return Ok(ImportTarget::CustomField(key.to_owned()));
        }
        Self::PLAIN.iter().find(|(_, name)| *name == text).map(|(target, _)| target.clone()).ok_or_else(|| {
            let names: Vec<&str> = Self::PLAIN.iter().map(|(_, name)| *name).collect();
            format!("unknown field {text:?}; expected one of: {}, custom_fields.<key> or ignore", names.join(", "))
        })
    }
}

impl Serialize for ImportTarget {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ImportTarget {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Lower-cases a header and folds underscores, dashes and runs of spaces into one space.
fn normalize_header(header: &str) -> String {
    header.trim().to_lowercase().replace(['_', '-'], " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Recognises one header: the account fields' own names and the column names of HubSpot
/// company exports and Salesforce account exports.
fn detect_builtin(normalized: &str) -> Option<ImportTarget> {
    let target = match normalized {
        "name" | "account name" | "company name" | "company" | "account" => ImportTarget::Name,
        "domain" | "company domain name" | "domain name" | "website domain" => ImportTarget::Domain,
        "website" | "website url" | "url" | "company website" => ImportTarget::Website,
        "industry" => ImportTarget::Industry,
        "stage" | "lifecycle stage" | "lifecyclestage" | "type" | "account type" => ImportTarget::Stage,
        "csm" | "csm owner" | "csm email" | "customer success manager" => ImportTarget::Csm,
        "ae" | "ae owner" | "ae email" | "account executive" | "company owner" | "account owner" | "owner"
        | "hubspot owner" | "contact owner" => ImportTarget::Ae,
        "renewal date" | "renewal" | "contract end date" => ImportTarget::RenewalDate,
        "billing customer id" | "billing id" => ImportTarget::BillingCustomerId,
        "external id" | "record id" | "account id" | "company id" | "hubspot id" | "salesforce id" | "id" => {
            ImportTarget::ExternalId
        }
        _ => return None,
    };
    Some(target)
}

/// Detects the target of every header. A header may also name a custom field by its key
/// or label. When two headers claim the same target, the first keeps it.
pub fn detect_mapping(headers: &[String], definitions: &[CustomFieldDefinition]) -> Vec<Option<ImportTarget>> {
    let mut taken: Vec<ImportTarget> = Vec::new();
    headers
        .iter()
        .map(|header| {
            let normalized = normalize_header(header);
            let custom = definitions.iter().find(|definition| {
                normalize_header(&definition.key) == normalized || normalize_header(&definition.label) == normalized
            });
            let target = match custom {
                Some(definition) => Some(ImportTarget::CustomField(definition.key.clone())),
                None => detect_builtin(&normalized),
            }?;
            if taken.contains(&target) {
                return None;
            }
            taken.push(target.clone());
            Some(target)
        })
        .collect()
}

/// How a CRM stage value was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StageValue {
    /// The value names a stage, directly or through a CRM synonym.
    Mapped(Stage),
    /// The value is blank, "Other" or unknown; the import's default stage applies.
    Default,
}

/// Maps a HubSpot lifecycle stage, a Salesforce account type or a Mango CS stage name.
pub fn map_stage(cell: &str) -> StageValue {
    let normalized = normalize_header(cell).replace(' ', "");
    if let Ok(stage) = normalized.parse::<Stage>() {
        return StageValue::Mapped(stage);
    }
    match normalized.as_str() {
        "subscriber" | "lead" | "marketingqualifiedlead" | "mql" | "salesqualifiedlead" | "sql" | "opportunity" => {
            StageValue::Mapped(Stage::Prospect)
        }
        "customer" | "evangelist" | "customerdirect" | "customerchannel" => StageValue::Mapped(Stage::Active),
        _ => StageValue::Default,
    }
}

/// Parses a date cell: `YYYY-MM-DD`, `YYYY/MM/DD`, or an ISO date-time whose date part is taken.
pub fn parse_date(cell: &str) -> Result<Option<NaiveDate>, String> {
    let trimmed = cell.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    let date_part = trimmed.get(..10).unwrap_or(trimmed);
    NaiveDate::parse_from_str(date_part, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(date_part, "%Y/%m/%d"))
        .map(Some)
        .map_err(|_| format!("{trimmed:?} is not a date; use YYYY-MM-DD"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| (*name).to_owned()).collect()
    }

    #[test]
    fn hubspot_headers_map() {
        let mapping = detect_mapping(
            &headers(&[
                "Record ID",
                "Company name",
                "Company Domain Name",
                "Lifecycle Stage",
                "Industry",
                "Company owner",
                "Create Date",
            ]),
            &[],
        );
        assert_eq!(
            mapping,
            vec![
                Some(ImportTarget::ExternalId),
                Some(ImportTarget::Name),
                Some(ImportTarget::Domain),
                Some(ImportTarget::Stage),
                Some(ImportTarget::Industry),
                Some(ImportTarget::Ae),
                None,
            ]
        );
    }

    #[test]
    fn salesforce_headers_map() {
        let mapping =
            detect_mapping(&headers(&["Account ID", "Account Name", "Website", "Type", "Account Owner"]), &[]);
        assert_eq!(
            mapping,
            vec![
                Some(ImportTarget::ExternalId),
                Some(ImportTarget::Name),
                Some(ImportTarget::Website),
                Some(ImportTarget::Stage),
                Some(ImportTarget::Ae),
            ]
        );
    }

    #[test]
    fn second_claim_on_a_target_is_ignored() {
        let mapping = detect_mapping(&headers(&["Name", "Company"]), &[]);
        assert_eq!(mapping, vec![Some(ImportTarget::Name), None]);
    }

    #[test]
    fn crm_stages_map() {
        for value in ["subscriber", "Lead", "Marketing Qualified Lead", "salesqualifiedlead", "Opportunity", "Prospect"]
        {
            assert_eq!(map_stage(value), StageValue::Mapped(Stage::Prospect), "{value}");
        }
        for value in ["Customer", "evangelist", "Customer - Direct"] {
            assert_eq!(map_stage(value), StageValue::Mapped(Stage::Active), "{value}");
        }
        assert_eq!(map_stage("Churned"), StageValue::Mapped(Stage::Churned));
        for value in ["Other", "", "Partner"] {
            assert_eq!(map_stage(value), StageValue::Default, "{value}");
        }
    }

    #[test]
    fn targets_round_trip_as_text() {
        for text in ["name", "renewal_date", "custom_fields.tier"] {
            assert_eq!(text.parse::<ImportTarget>().map(|target| target.to_string()), Ok(text.to_owned()));
        }
        assert!("colour".parse::<ImportTarget>().is_err());
    }

    #[test]
    fn dates_parse() {
        assert_eq!(parse_date("2026-03-01"), Ok(NaiveDate::from_ymd_opt(2026, 3, 1)));
        assert_eq!(parse_date("2026-03-01T10:00:00Z"), Ok(NaiveDate::from_ymd_opt(2026, 3, 1)));
        assert!(parse_date("03/01/2026").is_err());
        assert_eq!(parse_date(" "), Ok(None));
    }
}
