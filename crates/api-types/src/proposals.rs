//! Renewal proposals.

use chrono::{DateTime, Utc};
use crm_core::{AccountId, BillingInterval};
use renewals::ProposalStatus;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A percentage as a JSON number, read exactly from its decimal text.
pub mod percentage {
    use rust_decimal::prelude::ToPrimitive;
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(value.to_f64().unwrap_or_default())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
        let number = serde_json::Number::deserialize(deserializer)?;
        number.to_string().parse::<Decimal>().map_err(serde::de::Error::custom)
    }

    /// The same for an optional value.
    pub mod option {
        use super::*;

        pub fn serialize<S: Serializer>(value: &Option<Decimal>, serializer: S) -> Result<S::Ok, S::Error> {
            match value {
                Some(value) => super::serialize(value, serializer),
                None => serializer.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Decimal>, D::Error> {
            super::deserialize(deserializer).map(Some)
        }
    }
}

/// One line of a proposal. Amounts are in the currency's minor units.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposalLine {
    pub description: String,
    pub quantity: i32,
    /// The unit price before the uplift.
    pub list_unit_amount: i64,
    /// The unit price with the uplift, rounded half to even to a whole minor unit.
    pub unit_amount: i64,
    pub interval: BillingInterval,
    /// `unit_amount` × `quantity`, per billing interval.
    pub amount: i64,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Proposal {
    pub id: String,
    pub account_id: AccountId,
    pub status: ProposalStatus,
    /// Percent added to every line's list price, with up to two decimals.
    #[serde(with = "percentage")]
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub uplift_percentage: Decimal,
    pub currency: String,
    pub lines: Vec<ProposalLine>,
    /// The sum of the line amounts.
    pub total_amount: i64,
    /// The subscription the proposal renews.
    pub source_subscription_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A line as an editor sends it; the server applies the uplift.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProposalLineInput {
    pub description: String,
    pub quantity: i32,
    /// The unit price before the uplift, in minor units.
    pub list_unit_amount: i64,
    pub interval: BillingInterval,
}

/// Changes to a draft; fields left out stay as they are.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProposalUpdate {
    /// 0 to 100 with up to two decimals; the line prices follow it.
    #[serde(default, with = "percentage::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub uplift_percentage: Option<Decimal>,
    /// Replaces every line; 1 to 100 lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines: Option<Vec<ProposalLineInput>>,
}

/// A move of a proposal: `draft` to `sent`, `sent` to `won` or `lost`.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProposalStatusChange {
    pub status: ProposalStatus,
}
