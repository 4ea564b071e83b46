//! The columns of an import file: which field each one feeds, and the keys a record
//! matches existing accounts by.

use crm_core::custom_field::CustomFieldDefinition;
use crm_core::domain_name;
use crm_core::export::strip_formula_guard;
use crm_core::import::ImportTarget;
use csv::StringRecord;
use uuid::Uuid;

/// The column index of each field in the file, from the import's mapping.
pub(super) struct Columns {
    /// Number of columns in the header row.
    pub(super) width: usize,
    pub(super) id: Option<usize>,
    pub(super) name: Option<usize>,
    pub(super) domain: Option<usize>,
    pub(super) website: Option<usize>,
    pub(super) industry: Option<usize>,
    pub(super) stage: Option<usize>,
    pub(super) at_risk: Option<usize>,
    pub(super) at_risk_reasons: Option<usize>,
    pub(super) csm: Option<usize>,
    pub(super) ae: Option<usize>,
    pub(super) renewal_date: Option<usize>,
    pub(super) billing_customer_id: Option<usize>,
    pub(super) external_id: Option<usize>,
    pub(super) custom: Vec<(usize, CustomFieldDefinition)>,
    /// Every account custom field, because the required ones need a value on a new account.
    pub(super) definitions: Vec<CustomFieldDefinition>,
}

/// The keys a row can match an existing account by.
pub(super) struct RowKeys {
    pub(super) domain: Option<String>,
    pub(super) external_id: Option<String>,
    /// The account id as canonical UUID text.
    pub(super) id: Option<String>,
}

impl Columns {
    /// Indexes the mapping. Fails with the key of a custom field target that has no
    /// definition (any more).
    pub(super) fn new(targets: &[Option<ImportTarget>], definitions: &[CustomFieldDefinition]) -> Result<Self, String> {
        let mut columns = Columns {
            width: targets.len(),
            id: None,
            name: None,
            domain: None,
            website: None,
            industry: None,
            stage: None,
            at_risk: None,
            at_risk_reasons: None,
            csm: None,
            ae: None,
            renewal_date: None,
            billing_customer_id: None,
            external_id: None,
            custom: Vec::new(),
            definitions: definitions.to_vec(),
        };
        for (index, target) in targets.iter().enumerate() {
            let Some(target) = target else { continue };
            let slot = match target {
                ImportTarget::Id => &mut columns.id,
                ImportTarget::Name => &mut columns.name,
                ImportTarget::Domain => &mut columns.domain,
                ImportTarget::Website => &mut columns.website,
                ImportTarget::Industry => &mut columns.industry,
                ImportTarget::Stage => &mut columns.stage,
                ImportTarget::AtRisk => &mut columns.at_risk,
                ImportTarget::AtRiskReasons => &mut columns.at_risk_reasons,
                ImportTarget::Csm => &mut columns.csm,
                ImportTarget::Ae => &mut columns.ae,
                ImportTarget::RenewalDate => &mut columns.renewal_date,
                ImportTarget::BillingCustomerId => &mut columns.billing_customer_id,
                ImportTarget::ExternalId => &mut columns.external_id,
                ImportTarget::CustomField(key) => {
                    let definition =
                        definitions.iter().find(|definition| &definition.key == key).ok_or_else(|| key.clone())?;
                    columns.custom.push((index, definition.clone()));
                    continue;
                }
            };
            *slot = Some(index);
        }
        Ok(columns)
    }

    /// Returns a cell without the apostrophe the export puts before formula characters,
    /// or an empty cell when the column is absent or the row is short.
    pub(super) fn cell<'r>(&self, record: &'r StringRecord, index: Option<usize>) -> &'r str {
        index.and_then(|index| record.get(index)).map(strip_formula_guard).unwrap_or_default()
    }

    /// Returns a trimmed cell, or `None` when it is blank.
    pub(super) fn filled<'r>(&self, record: &'r StringRecord, index: Option<usize>) -> Option<&'r str> {
        Some(self.cell(record, index).trim()).filter(|cell| !cell.is_empty())
    }

    /// Returns the cell the domain comes from and its field: the domain column, else the
    /// website.
    pub(super) fn domain_source<'r>(&self, record: &'r StringRecord) -> Option<(&'static str, &'r str)> {
        self.filled(record, self.domain)
            .map(|cell| ("domain", cell))
            .or_else(|| self.filled(record, self.website).map(|cell| ("website", cell)))
    }

    pub(super) fn keys(&self, record: &StringRecord) -> RowKeys {
        RowKeys {
            domain: self.domain_source(record).and_then(|(_, cell)| domain_name::normalize(cell).ok().flatten()),
            external_id: self.filled(record, self.external_id).map(str::to_owned),
            id: self.filled(record, self.id).and_then(|cell| Uuid::parse_str(cell).ok()).map(|id| id.to_string()),
        }
    }
}
