//! Identifier newtypes. Every id is a UUIDv7 made by the application and stored as text.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! define_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, format = Uuid))]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(text).map(Self)
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                Self(id)
            }
        }
    };
}

define_id!(
    /// A business (tenant).
    BusinessId
);
define_id!(
    /// A user of one business.
    UserId
);
define_id!(
    /// An account (customer company).
    AccountId
);
define_id!(
    /// A contact person of an account.
    ContactId
);
define_id!(
    /// An entry of an account's activity timeline.
    ActivityId
);
define_id!(
    /// A personal API token.
    TokenId
);
define_id!(
    /// A custom field definition.
    CustomFieldId
);
define_id!(
    /// A CSV import between preview and commit.
    ImportId
);
