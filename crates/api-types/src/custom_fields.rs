//! Custom field definitions.

use crm_core::{CustomFieldEntity, CustomFieldId, CustomFieldKind};
use serde::{Deserialize, Serialize};

use crate::patch::not_null;

pub use crm_core::CustomFieldDefinition as CustomField;

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CustomFieldCreate {
    pub entity: CustomFieldEntity,
    /// Lower-case letters, digits and underscores, starting with a letter; fixed once created.
    pub key: String,
    pub label: String,
    /// Fixed once created, so stored values stay valid.
    pub kind: CustomFieldKind,
    /// Required for `single_select`, not allowed otherwise.
    #[serde(default)]
    pub options: Vec<String>,
    #[serde(default)]
    pub required: bool,
}

/// Changes to a definition; absent fields stay as they are.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CustomFieldUpdate {
    #[serde(default, deserialize_with = "not_null", skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The new option list of a `single_select` field. Records keep values of removed
    /// options until they are next edited.
    #[serde(default, deserialize_with = "not_null", skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<String>>,
    #[serde(default, deserialize_with = "not_null", skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
}

/// A new order of one entity's definitions: every id, first to last.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CustomFieldReorder {
    pub entity: CustomFieldEntity,
    pub ids: Vec<CustomFieldId>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct CustomFieldListParams {
    /// Only definitions of this entity.
    pub entity: Option<CustomFieldEntity>,
}
