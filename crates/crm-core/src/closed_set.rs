//! A macro for the closed sets stored as text (stages, roles, kinds): one place that ties
//! each variant to its wire and database spelling.

/// The error of parsing text that names no member of a closed set.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown value {value:?}; expected one of: {expected}")]
pub struct UnknownValue {
    pub value: String,
    pub expected: String,
}

macro_rules! closed_set {
    (
        $(#[$doc:meta])*
        pub enum $name:ident {
            $($(#[$variant_doc:meta])* $variant:ident => $text:literal,)+
        }
    ) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        // Every spelling is the snake_case form of its variant; a test checks that serde,
        // and so the OpenAPI schema, agree with `as_str`.
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$variant_doc])* $variant,)+
        }

        impl $name {
            /// Every member, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// Returns the spelling used on the wire and in the database.
            pub fn as_str(&self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// Joins every spelling with commas, for error messages.
            pub fn expected() -> String {
                [$($text,)+].join(", ")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::closed_set::UnknownValue;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                match text {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::closed_set::UnknownValue {
                        value: text.to_owned(),
                        expected: $name::expected(),
                    }),
                }
            }
        }
    };
}

pub(crate) use closed_set;

#[cfg(test)]
mod tests {
    use crate::{
        ActivityKind, AtRiskReason, BillingInterval, CustomFieldEntity, CustomFieldKind, Role, Stage,
        SubscriptionStatus, SurveyKind, TicketStatus,
    };

    fn assert_serde_matches<T: serde::Serialize + std::fmt::Display>(members: &[T]) {
        for member in members {
            let json = serde_json::to_string(member).unwrap_or_default();
            assert_eq!(json, format!("\"{member}\""));
        }
    }

    #[test]
    fn serde_names_match_wire_names() {
        assert_serde_matches(Role::ALL);
        assert_serde_matches(Stage::ALL);
        assert_serde_matches(AtRiskReason::ALL);
        assert_serde_matches(ActivityKind::ALL);
        assert_serde_matches(CustomFieldEntity::ALL);
        assert_serde_matches(CustomFieldKind::ALL);
        assert_serde_matches(TicketStatus::ALL);
        assert_serde_matches(SurveyKind::ALL);
        assert_serde_matches(SubscriptionStatus::ALL);
        assert_serde_matches(BillingInterval::ALL);
    }
}
