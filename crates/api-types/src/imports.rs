//! CSV import of accounts: preview, then commit.

use crm_core::{ImportId, Stage};
use serde::{Deserialize, Serialize};

pub use crm_core::import::{ColumnStatus, ImportTarget};

/// Options of a preview, sent as query parameters.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct ImportPreviewParams {
    /// Stage of new accounts whose stage cell is blank, "Other" or unknown, or whose file
    /// has no stage column (default `active`). Existing accounts keep their stage then.
    pub default_stage: Option<Stage>,
    /// An explicit mapping as a JSON object from column header to field (`id`, `name`,
    /// `domain`, `website`, `industry`, `stage`, `at_risk`, `at_risk_reasons`, `csm`, `ae`,
    /// `renewal_date`, `billing_customer_id`, `external_id`, `custom_fields.<key>` or
    /// `ignore`), such as `{"Company": "name", "Notes": "ignore"}`. Columns it leaves out
    /// are detected from their headers.
    pub mapping: Option<String>,
}

/// Where one column of the file goes.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ColumnMapping {
    pub header: String,
    /// The field the column feeds, or null when the column is ignored.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub target: Option<ImportTarget>,
    /// The reason the column has its target, or has none.
    pub status: ColumnStatus,
}

/// How many rows an import creates, updates, leaves as they are, or rejects.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportCounts {
    pub new: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub invalid: u64,
}

/// A problem with one row. A row with an error is skipped; a warning leaves it importable.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RowIssue {
    /// The record's 1-based position after the header; blank lines are not counted.
    pub row: u64,
    /// The account field, or null for a problem with the whole row.
    pub field: Option<String>,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportPreview {
    /// Pass to the commit endpoint to apply exactly this file and mapping.
    pub import_id: ImportId,
    pub mapping: Vec<ColumnMapping>,
    pub default_stage: Stage,
    pub counts: ImportCounts,
    /// Rows that will be skipped, first 1,000.
    pub errors: Vec<RowIssue>,
    /// Rows that import with a caveat, first 1,000.
    pub warnings: Vec<RowIssue>,
    /// Whether more errors or warnings exist than are listed.
    pub issues_truncated: bool,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportResult {
    pub import_id: ImportId,
    pub counts: ImportCounts,
}
