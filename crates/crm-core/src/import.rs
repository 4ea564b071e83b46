//! The pure rules of account CSV import: which column feeds which field, how CRM stage
//! values map to lifecycle stages, how cells parse, and how owner names resolve to users.
//!
//! Headers of HubSpot company exports, Salesforce account exports and Mango CS's own
//! account export are recognised without configuration; an explicit mapping overrides the
//! detection.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::custom_field::{self, CustomFieldDefinition, CustomFieldKind};
use crate::ids::UserId;
use crate::stage::{AtRiskReason, Stage};
use crate::validation::ValidationErrors;

/// The account field an import column feeds.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ImportTarget {
    /// The Mango CS account id, as the account export writes it. Rows match existing
    /// accounts by it only when neither their domain nor their external id matches.
    Id,
    Name,
    Domain,
    /// A website address; its host becomes the domain when the row has no domain column value.
    Website,
    Industry,
    Stage,
    AtRisk,
    /// At-risk reason names separated by `;`.
    AtRiskReasons,
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
        (ImportTarget::Id, "id"),
        (ImportTarget::Name, "name"),
        (ImportTarget::Domain, "domain"),
        (ImportTarget::Website, "website"),
        (ImportTarget::Industry, "industry"),
        (ImportTarget::Stage, "stage"),
        (ImportTarget::AtRisk, "at_risk"),
        (ImportTarget::AtRiskReasons, "at_risk_reasons"),
        (ImportTarget::Csm, "csm"),
        (ImportTarget::Ae, "ae"),
        (ImportTarget::RenewalDate, "renewal_date"),
        (ImportTarget::BillingCustomerId, "billing_customer_id"),
        (ImportTarget::ExternalId, "external_id"),
    ];

    /// Prefix of a custom field target, as in `custom_fields.tier`.
    pub const CUSTOM_PREFIX: &'static str = "custom_fields.";

    /// The value of an explicit mapping that ignores a column.
    pub const IGNORE: &'static str = "ignore";
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

/// The import's treatment of one column of the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ColumnStatus {
    /// The column feeds a field, detected from its header or set by the explicit mapping.
    Mapped,
    /// The explicit mapping ignores the column.
    Ignored,
    /// A column of the Mango CS export that imports do not write (`health_score`,
    /// `created_at`, `updated_at`).
    ReadOnly,
    /// The header names no field, or names one that an earlier column already feeds.
    Unmapped,
}

/// The target of one column, if any, and its status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnPlan {
    pub target: Option<ImportTarget>,
    pub status: ColumnStatus,
}

/// Lower-cases a header and folds underscores, dashes and runs of spaces into one space.
fn normalize_header(header: &str) -> String {
    header.trim().to_lowercase().replace(['_', '-'], " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Recognises a header that spells a target's own name, such as `renewal_date` or
/// `Renewal Date`. The `id` target is left to [`detect_builtin`] and the last pass of
/// [`detect_into`].
fn detect_canonical(normalized: &str) -> Option<ImportTarget> {
    ImportTarget::PLAIN
        .iter()
        .filter(|(target, _)| *target != ImportTarget::Id)
        .find(|(_, name)| normalize_header(name) == normalized)
        .map(|(target, _)| target.clone())
}

/// Recognises the column names of HubSpot company exports and Salesforce account exports.
fn detect_builtin(normalized: &str) -> Option<ImportTarget> {
    let target = match normalized {
        "account name" | "company name" | "company" | "account" => ImportTarget::Name,
        "company domain name" | "domain name" | "website domain" => ImportTarget::Domain,
        "website url" | "url" | "company website" => ImportTarget::Website,
        "lifecycle stage" | "lifecyclestage" | "type" | "account type" => ImportTarget::Stage,
        "csm owner" | "csm email" | "customer success manager" => ImportTarget::Csm,
        "ae owner" | "ae email" | "account executive" | "company owner" | "account owner" | "owner"
        | "hubspot owner" | "contact owner" => ImportTarget::Ae,
        "renewal" | "contract end date" => ImportTarget::RenewalDate,
        "billing id" => ImportTarget::BillingCustomerId,
        // Salesforce Data Loader exports name the record id plain `Id`.
        "record id" | "account id" | "company id" | "hubspot id" | "salesforce id" | "id" => ImportTarget::ExternalId,
        _ => return None,
    };
    Some(target)
}

/// Headers of the Mango CS export whose columns imports do not write.
const READ_ONLY_HEADERS: &[&str] = &["health score", "created at", "updated at"];

/// One pass of header detection: the target a normalized header names, if any.
type Detector<'a> = &'a dyn Fn(&str) -> Option<ImportTarget>;

/// Assigns a target to every column that `plans` leaves open, never one that another
/// column already has. Passes run in order of confidence, and within a pass the first
/// column keeps a contested target:
///
/// 1. a header that spells a field's own name (`name`, `external_id`, ...);
/// 2. a custom field's key or label;
/// 3. a HubSpot or Salesforce column name;
/// 4. a header `id` whose external id target is taken, as in the Mango CS export, which
///    has both `id` and `external_id`: there it is the Mango CS account id.
fn detect_into(headers: &[String], definitions: &[CustomFieldDefinition], plans: &mut [Option<ColumnPlan>]) {
    let normalized: Vec<String> = headers.iter().map(|header| normalize_header(header)).collect();
    let mut claimed: Vec<ImportTarget> = plans.iter().flatten().filter_map(|plan| plan.target.clone()).collect();

    let passes: [Detector<'_>; 4] = [
        &detect_canonical,
        &|header: &str| {
            definitions
                .iter()
                .find(|definition| {
                    normalize_header(&definition.key) == header || normalize_header(&definition.label) == header
                })
                .map(|definition| ImportTarget::CustomField(definition.key.clone()))
        },
        &detect_builtin,
        &|header: &str| (header == "id").then_some(ImportTarget::Id),
    ];
    for pass in passes {
        for (plan, header) in plans.iter_mut().zip(&normalized) {
            if plan.is_some() {
                continue;
            }
            if let Some(target) = pass(header).filter(|target| !claimed.contains(target)) {
                claimed.push(target.clone());
                *plan = Some(ColumnPlan { target: Some(target), status: ColumnStatus::Mapped });
            }
        }
    }
}

/// Detects the target of every header. When two headers claim the same target, the
/// first keeps it.
pub fn detect_mapping(headers: &[String], definitions: &[CustomFieldDefinition]) -> Vec<Option<ImportTarget>> {
    let mut plans: Vec<Option<ColumnPlan>> = vec![None; headers.len()];
    detect_into(headers, definitions, &mut plans);
    plans.into_iter().map(|plan| plan.and_then(|plan| plan.target)).collect()
}

/// Parses the `mapping` parameter: a JSON object from column header to a target name or
/// `ignore`. Returns the pairs in the object's order; `None` stands for `ignore`.
pub fn parse_explicit_mapping(json: &str) -> Result<Vec<(String, Option<ImportTarget>)>, ValidationErrors> {
    let object: serde_json::Map<String, Value> = serde_json::from_str(json).map_err(|error| {
        ValidationErrors::single(
            "mapping",
            format!("must be a JSON object from column header to field, such as {{\"Company\": \"name\"}}: {error}"),
        )
    })?;

    let mut errors = ValidationErrors::new();
    let mut pairs = Vec::with_capacity(object.len());
    for (header, value) in object {
        let Some(text) = value.as_str() else {
            errors.add("mapping", format!("the value for {} must be a field name as a string", shown(&header)));
            continue;
        };
        if text == ImportTarget::IGNORE {
            pairs.push((header, None));
            continue;
        }
        match text.parse::<ImportTarget>() {
            Ok(target) => pairs.push((header, Some(target))),
            Err(message) => errors.add("mapping", format!("the value for {}: {message}", shown(&header))),
        }
    }
    errors.into_result().map(|()| pairs)
}

/// Most headers an error message lists.
const LISTED_HEADERS: usize = 30;

/// Finds the column an explicit mapping's header names: the same text after trimming, or
/// else the same normalized header.
fn column_of(headers: &[String], requested: &str) -> Option<usize> {
    headers.iter().position(|header| header.trim() == requested.trim()).or_else(|| {
        let normalized = normalize_header(requested);
        headers.iter().position(|header| normalize_header(header) == normalized)
    })
}

/// Decides where every column goes: the explicit mapping first, then detection from the
/// headers for the columns it leaves out. Every error names the field `mapping`: a header
/// the file does not have, a custom field that does not exist, two columns feeding one
/// field, or no column feeding the account name.
pub fn resolve_mapping(
    headers: &[String],
    definitions: &[CustomFieldDefinition],
    explicit: &[(String, Option<ImportTarget>)],
) -> Result<Vec<ColumnPlan>, ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let mut plans: Vec<Option<ColumnPlan>> = vec![None; headers.len()];

    for (header, target) in explicit {
        let Some(index) = column_of(headers, header) else {
            let mut listed: Vec<String> = headers.iter().take(LISTED_HEADERS).map(|header| shown(header)).collect();
            if headers.len() > LISTED_HEADERS {
                listed.push(format!("and {} more", headers.len() - LISTED_HEADERS));
            }
            let message = format!(
                "names the column {}, which the file does not have; its columns are {}",
                shown(header),
                listed.join(", ")
            );
            errors.add("mapping", message);
            continue;
        };
        if plans[index].is_some() {
            errors.add("mapping", format!("maps the column {} more than once", shown(&headers[index])));
            continue;
        }
        if let Some(ImportTarget::CustomField(key)) = target {
            if !definitions.iter().any(|definition| &definition.key == key) {
                let message = format!(
                    "maps {} to custom_fields.{key}, but accounts have no custom field with that key",
                    shown(header)
                );
                errors.add("mapping", message);
                continue;
            }
        }
        if let Some(target) = target {
            let earlier = plans
                .iter()
                .zip(headers)
                .find(|(plan, _)| plan.as_ref().is_some_and(|plan| plan.target.as_ref() == Some(target)));
            if let Some((_, earlier_header)) = earlier {
                let (first, second) = (shown(earlier_header), shown(header));
                errors.add("mapping", format!("maps both {first} and {second} to {target}; a field takes one column"));
                continue;
            }
        }
        let status = if target.is_some() { ColumnStatus::Mapped } else { ColumnStatus::Ignored };
        plans[index] = Some(ColumnPlan { target: target.clone(), status });
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    detect_into(headers, definitions, &mut plans);
    let resolved: Vec<ColumnPlan> = plans
        .into_iter()
        .zip(headers)
        .map(|(plan, header)| {
            plan.unwrap_or_else(|| {
                let status = if READ_ONLY_HEADERS.contains(&normalize_header(header).as_str()) {
                    ColumnStatus::ReadOnly
                } else {
                    ColumnStatus::Unmapped
                };
                ColumnPlan { target: None, status }
            })
        })
        .collect();

    if !resolved.iter().any(|plan| plan.target == Some(ImportTarget::Name)) {
        errors.add(
            "mapping",
            "no column maps to name, and every row needs a name; name a column \"name\" or map one \
             with the mapping parameter, such as {\"Company\": \"name\"}",
        );
    }
    errors.into_result().map(|()| resolved)
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

/// Most characters of a cell quoted in a message; longer cells are cut.
const SHOWN_CHARS: usize = 60;

/// Quotes a cell for a message, cut to [`SHOWN_CHARS`] characters so a huge cell cannot
/// flood a response.
pub fn shown(cell: &str) -> String {
    if cell.chars().count() <= SHOWN_CHARS {
        return format!("{cell:?}");
    }
    let cut: String = cell.chars().take(SHOWN_CHARS).collect();
    format!("{cut:?}…")
}

/// Parses a date cell: `YYYY-MM-DD`, `YYYY/MM/DD`, or an ISO date-time whose date part is taken.
pub fn parse_date(cell: &str) -> Result<Option<NaiveDate>, String> {
    let trimmed = cell.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    let invalid = || format!("{} is not a date; use YYYY-MM-DD", shown(trimmed));
    // The date may be followed by a time (`2026-01-31T10:00:00Z`), but by nothing else.
    let (date_part, rest) = trimmed.split_at(trimmed.len().min(10));
    if !rest.is_empty() && !rest.starts_with(['T', ' ']) {
        return Err(invalid());
    }
    let date = NaiveDate::parse_from_str(date_part, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(date_part, "%Y/%m/%d"))
        .map_err(|_| invalid())?;
    crate::validation::date_in_range(date).map_err(|message| format!("{}: {message}", shown(trimmed)))?;
    Ok(Some(date))
}

/// Parses a yes/no cell: `true`, `yes`, `y`, `1` or their opposites, in any case.
pub fn parse_bool(cell: &str) -> Result<Option<bool>, String> {
    match cell.trim().to_lowercase().as_str() {
        "" => Ok(None),
        "true" | "yes" | "y" | "1" => Ok(Some(true)),
        "false" | "no" | "n" | "0" => Ok(Some(false)),
        _ => Err(format!("{} is not true or false", shown(cell.trim()))),
    }
}

/// Parses at-risk reasons separated by `;` or `,`. Names match in any case, with spaces
/// or dashes for underscores (`Low usage` is `low_usage`).
pub fn parse_reasons(cell: &str) -> Result<Option<Vec<AtRiskReason>>, String> {
    let names: Vec<&str> = cell.split([';', ',']).map(str::trim).filter(|name| !name.is_empty()).collect();
    if names.is_empty() {
        return Ok(None);
    }
    names
        .iter()
        .map(|name| {
            let spelled = name.to_lowercase().replace([' ', '-'], "_");
            spelled.parse::<AtRiskReason>().map_err(|_| {
                format!("{} is not an at-risk reason; expected one of: {}", shown(name), AtRiskReason::expected())
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// Parses a custom field cell like [`custom_field::parse_cell`], except that a whole
/// number stays an integer (`12`, not `12.0`), as the JSON API stores it.
pub fn parse_custom_cell(definition: &CustomFieldDefinition, cell: &str) -> Result<Option<Value>, String> {
    if definition.kind == CustomFieldKind::Number {
        if let Ok(integer) = cell.trim().parse::<i64>() {
            return Ok(Some(Value::from(integer)));
        }
    }
    custom_field::parse_cell(definition, cell)
}

/// Compares two stored values, treating numbers as equal when their values are (`12`
/// and `12.0`), so re-importing an export does not rewrite them.
pub fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// The result of looking up an owner cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OwnerMatch {
    Found(UserId),
    /// No user has this email or name.
    Unknown,
    /// More than one user has this name.
    Ambiguous(usize),
}

/// The users an owner cell can name, by email and by display name, both matched without
/// regard to case.
#[derive(Clone, Debug, Default)]
pub struct OwnerDirectory {
    by_email: HashMap<String, UserId>,
    by_name: HashMap<String, Vec<UserId>>,
}

fn owner_key(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

impl OwnerDirectory {
    /// Builds the directory from `(id, name, email)` of each user.
    pub fn new<'a>(users: impl IntoIterator<Item = (UserId, &'a str, &'a str)>) -> Self {
        let mut directory = Self::default();
        for (id, name, email) in users {
            directory.by_email.insert(owner_key(email), id);
            directory.by_name.entry(owner_key(name)).or_default().push(id);
        }
        directory
    }

    /// Finds the user a cell names, by email first and then by name. A blank cell is `None`.
    pub fn find(&self, cell: &str) -> Option<OwnerMatch> {
        let key = owner_key(cell);
        if key.is_empty() {
            return None;
        }
        if let Some(id) = self.by_email.get(&key) {
            return Some(OwnerMatch::Found(*id));
        }
        let found = match self.by_name.get(&key).map(Vec::as_slice) {
            Some([id]) => OwnerMatch::Found(*id),
            Some(ids) if ids.len() > 1 => OwnerMatch::Ambiguous(ids.len()),
            _ => OwnerMatch::Unknown,
        };
        Some(found)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use uuid::Uuid;

    use super::*;
    use crate::custom_field::CustomFieldEntity;
    use crate::ids::CustomFieldId;

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| (*name).to_owned()).collect()
    }

    fn definition(key: &str, label: &str, kind: CustomFieldKind) -> CustomFieldDefinition {
        CustomFieldDefinition {
            id: CustomFieldId(Uuid::nil()),
            entity: CustomFieldEntity::Account,
            key: key.into(),
            label: label.into(),
            kind,
            options: Vec::new(),
            required: false,
            position: 0,
        }
    }

    fn targets(plans: &[ColumnPlan]) -> Vec<Option<ImportTarget>> {
        plans.iter().map(|plan| plan.target.clone()).collect()
    }

    fn mapping_messages(result: Result<Vec<ColumnPlan>, ValidationErrors>) -> Vec<String> {
        let errors = result.err().unwrap_or_default();
        assert!(errors.0.iter().all(|error| error.field == "mapping"), "{errors:?}");
        errors.0.into_iter().map(|error| error.message).collect()
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
    fn salesforce_plain_id_is_external_id() {
        let mapping = detect_mapping(&headers(&["Id", "Name", "Type"]), &[]);
        assert_eq!(mapping, vec![Some(ImportTarget::ExternalId), Some(ImportTarget::Name), Some(ImportTarget::Stage)]);
    }

    #[test]
    fn export_headers_map() {
        let definitions = vec![definition("tier", "Contract tier", CustomFieldKind::Text)];
        let export = headers(&[
            "id",
            "name",
            "domain",
            "industry",
            "stage",
            "at_risk",
            "at_risk_reasons",
            "csm",
            "ae",
            "renewal_date",
            "health_score",
            "billing_customer_id",
            "external_id",
            "created_at",
            "updated_at",
            "Contract tier",
        ]);
        let plans = resolve_mapping(&export, &definitions, &[]).unwrap_or_default();
        assert_eq!(
            targets(&plans),
            vec![
                Some(ImportTarget::Id),
                Some(ImportTarget::Name),
                Some(ImportTarget::Domain),
                Some(ImportTarget::Industry),
                Some(ImportTarget::Stage),
                Some(ImportTarget::AtRisk),
                Some(ImportTarget::AtRiskReasons),
                Some(ImportTarget::Csm),
                Some(ImportTarget::Ae),
                Some(ImportTarget::RenewalDate),
                None,
                Some(ImportTarget::BillingCustomerId),
                Some(ImportTarget::ExternalId),
                None,
                None,
                Some(ImportTarget::CustomField("tier".into())),
            ]
        );
        for index in [10, 13, 14] {
            assert_eq!(plans[index].status, ColumnStatus::ReadOnly, "{}", export[index]);
        }
    }

    #[test]
    fn field_name_beats_custom_label() {
        let definitions = vec![definition("legal_name", "Name", CustomFieldKind::Text)];
        let mapping = detect_mapping(&headers(&["name", "Name"]), &definitions);
        assert_eq!(mapping, vec![Some(ImportTarget::Name), Some(ImportTarget::CustomField("legal_name".into()))]);
    }

    #[test]
    fn custom_field_beats_a_crm_synonym() {
        let definitions = vec![definition("company_type", "Type", CustomFieldKind::Text)];
        let mapping = detect_mapping(&headers(&["Name", "Type"]), &definitions);
        assert_eq!(mapping[1], Some(ImportTarget::CustomField("company_type".into())));
    }

    #[test]
    fn second_claim_on_a_target_is_ignored() {
        let mapping = detect_mapping(&headers(&["Name", "Company"]), &[]);
        assert_eq!(mapping, vec![Some(ImportTarget::Name), None]);
    }

    #[test]
    fn explicit_mapping_overrides_detection() {
        let explicit =
            parse_explicit_mapping(r#"{"Org": "name", "Company": "ignore", "Web": "website"}"#).unwrap_or_default();
        let plans = resolve_mapping(&headers(&["Org", "Company", "Web", "Industry", "Fax"]), &[], &explicit)
            .unwrap_or_default();
        assert_eq!(
            targets(&plans),
            vec![Some(ImportTarget::Name), None, Some(ImportTarget::Website), Some(ImportTarget::Industry), None]
        );
        let statuses: Vec<ColumnStatus> = plans.iter().map(|plan| plan.status).collect();
        assert_eq!(
            statuses,
            vec![
                ColumnStatus::Mapped,
                ColumnStatus::Ignored,
                ColumnStatus::Mapped,
                ColumnStatus::Mapped,
                ColumnStatus::Unmapped
            ]
        );
    }

    #[test]
    fn explicit_target_is_not_detected_again() {
        let explicit = vec![("Legal".to_owned(), Some(ImportTarget::Name))];
        let plans = resolve_mapping(&headers(&["Name", "Legal"]), &[], &explicit).unwrap_or_default();
        assert_eq!(targets(&plans), vec![None, Some(ImportTarget::Name)]);
    }

    #[test]
    fn explicit_mapping_errors_name_mapping() {
        let file = headers(&["Name", "Web"]);
        let messages = mapping_messages(resolve_mapping(
            &file,
            &[],
            &[
                ("Fax".into(), Some(ImportTarget::Industry)),
                ("Web".into(), Some(ImportTarget::CustomField("x".into()))),
            ],
        ));
        assert!(messages[0].contains("\"Fax\", which the file does not have"), "{messages:?}");
        assert!(messages[1].contains("no custom field"), "{messages:?}");

        let messages = mapping_messages(resolve_mapping(
            &file,
            &[],
            &[("Name".into(), Some(ImportTarget::Domain)), ("Web".into(), Some(ImportTarget::Domain))],
        ));
        assert!(messages[0].contains("maps both \"Name\" and \"Web\" to domain"), "{messages:?}");

        let messages = mapping_messages(resolve_mapping(&file, &[], &[("Name".into(), None)]));
        assert!(messages[0].starts_with("no column maps to name"), "{messages:?}");
    }

    #[test]
    fn explicit_mapping_json_is_checked() {
        for bad in ["not json", "[\"name\"]", "{\"A\": 1}", "{\"A\": \"colour\"}"] {
            let errors = parse_explicit_mapping(bad).err().unwrap_or_default();
            assert_eq!(errors.0.len(), 1, "{bad}");
            assert_eq!(errors.0[0].field, "mapping", "{bad}");
        }
        assert_eq!(
            parse_explicit_mapping(r#"{"A": "custom_fields.tier", "B": "ignore"}"#).ok(),
            Some(vec![("A".into(), Some(ImportTarget::CustomField("tier".into()))), ("B".into(), None)])
        );
    }

    #[test]
    fn crm_stages_map() {
        for value in ["subscriber", "Lead", "Marketing Qualified Lead", "salesqualifiedlead", "Opportunity", "Prospect"]
        {
            assert_eq!(map_stage(value), StageValue::Mapped(Stage::Prospect), "{value}");
        }
        for value in ["Customer", "evangelist", "Customer - Direct", "Customer - Channel"] {
            assert_eq!(map_stage(value), StageValue::Mapped(Stage::Active), "{value}");
        }
        assert_eq!(map_stage("Churned"), StageValue::Mapped(Stage::Churned));
        for value in ["Other", "", "Partner", "Channel Partner / Reseller"] {
            assert_eq!(map_stage(value), StageValue::Default, "{value}");
        }
    }

    #[test]
    fn targets_round_trip_as_text() {
        for text in ["id", "name", "renewal_date", "at_risk_reasons", "custom_fields.tier"] {
            assert_eq!(text.parse::<ImportTarget>().map(|target| target.to_string()), Ok(text.to_owned()));
        }
        assert!("colour".parse::<ImportTarget>().is_err());
    }

    #[test]
    fn dates_parse() {
        assert_eq!(parse_date("2026-03-01"), Ok(NaiveDate::from_ymd_opt(2026, 3, 1)));
        assert_eq!(parse_date("2026-03-01T10:00:00Z"), Ok(NaiveDate::from_ymd_opt(2026, 3, 1)));
        assert!(parse_date("03/01/2026").is_err());
        assert!(parse_date("2026-12-3199").is_err(), "trailing digits");
        assert!(parse_date("2026-01-05junk").is_err(), "trailing text");
        assert!(parse_date("-0001-12-31").is_err(), "negative year");
        assert!(parse_date("1850-01-01").is_err(), "before 1900");
        assert_eq!(parse_date(" "), Ok(None));
    }

    #[test]
    fn long_cells_are_cut_in_messages() {
        let message = parse_date(&"x".repeat(10_000)).err().unwrap_or_default();
        assert!(message.len() < 120, "{message}");
        assert_eq!(shown("acme"), "\"acme\"");
    }

    #[test]
    fn booleans_parse() {
        assert_eq!(parse_bool(" Yes "), Ok(Some(true)));
        assert_eq!(parse_bool("FALSE"), Ok(Some(false)));
        assert_eq!(parse_bool(""), Ok(None));
        assert!(parse_bool("maybe").is_err());
    }

    #[test]
    fn reasons_parse() {
        assert_eq!(
            parse_reasons("low_usage; Budget cuts,competitor"),
            Ok(Some(vec![AtRiskReason::LowUsage, AtRiskReason::BudgetCuts, AtRiskReason::Competitor]))
        );
        assert_eq!(parse_reasons(" ; "), Ok(None));
        assert!(parse_reasons("low_usage;bored").err().unwrap_or_default().contains("\"bored\""));
    }

    #[test]
    fn whole_numbers_stay_integers() {
        let seats = definition("seats", "Seats", CustomFieldKind::Number);
        assert_eq!(parse_custom_cell(&seats, "12"), Ok(Some(json!(12))));
        assert_eq!(parse_custom_cell(&seats, "-3"), Ok(Some(json!(-3))));
        assert_eq!(parse_custom_cell(&seats, "12.5"), Ok(Some(json!(12.5))));
        assert!(parse_custom_cell(&seats, "many").is_err());
        assert!(same_value(&json!(12), &json!(12.0)));
        assert!(!same_value(&json!(12), &json!("12")));
    }

    #[test]
    fn owners_resolve_by_email_then_name() {
        let dana = UserId(Uuid::from_u128(1));
        let fox = UserId(Uuid::from_u128(2));
        let other_fox = UserId(Uuid::from_u128(3));
        let directory = OwnerDirectory::new([
            (dana, "Dana Scully", "dana@fbi.test"),
            (fox, "Fox Mulder", "fox@fbi.test"),
            (other_fox, "Fox  Mulder", "mulder@fbi.test"),
        ]);
        assert_eq!(directory.find(" dana  SCULLY "), Some(OwnerMatch::Found(dana)));
        assert_eq!(directory.find("FOX@fbi.test"), Some(OwnerMatch::Found(fox)));
        assert_eq!(directory.find("fox mulder"), Some(OwnerMatch::Ambiguous(2)));
        assert_eq!(directory.find("Walter Skinner"), Some(OwnerMatch::Unknown));
        assert_eq!(directory.find("  "), None);
    }
}
