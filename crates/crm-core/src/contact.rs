//! Role flags of a contact person.

use serde::{Deserialize, Serialize};

/// The buying and sentiment roles a contact plays; any combination may be set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactRoles {
    /// Advocates for the product inside the customer.
    pub champion: bool,
    /// Signs off the budget.
    pub economic_buyer: bool,
    /// Evaluates and owns the technical side.
    pub technical_buyer: bool,
    /// Is unhappy with the product or opposes it.
    pub detractor: bool,
}
