//! Pure types and rules of the shared account record: accounts, contacts, activities,
//! lifecycle stages, at-risk reasons, roles and custom fields.
//!
//! Nothing here touches a database, the network or the clock, so the same rules run in the
//! server, in jobs and in the browser build.

pub mod activity;
mod closed_set;
pub mod contact;
pub mod custom_field;
pub mod domain_name;
pub mod export;
pub mod ids;
pub mod import;
pub mod money;
pub mod role;
pub mod signals;
pub mod stage;
pub mod validation;

pub use activity::ActivityKind;
pub use closed_set::UnknownValue;
pub use contact::ContactRoles;
pub use custom_field::{CustomFieldDefinition, CustomFieldEntity, CustomFieldKind};
pub use ids::{AccountId, ActivityId, BusinessId, ContactId, CustomFieldId, ImportId, TokenId, UserId};
pub use role::Role;
pub use signals::{BillingInterval, SubscriptionStatus, SurveyKind, TicketStatus};
pub use stage::{AtRiskReason, Stage};
pub use validation::{FieldError, ValidationErrors};
