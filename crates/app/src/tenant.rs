//! The authenticated caller and the business their requests are confined to.

use crm_core::{BusinessId, Role, TokenId, UserId};
use store::Scope;

use crate::error::{AppError, AppResult};

/// Proof of identity the caller presented.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credential {
    /// A browser session cookie; writes need the session's CSRF token.
    Session { csrf_token: String },
    /// A personal API token sent as a bearer token.
    Token { id: TokenId },
}

/// The caller of a service: a user of one business with a role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tenant {
    pub business_id: BusinessId,
    pub user_id: UserId,
    pub role: Role,
    pub credential: Credential,
}

impl Tenant {
    /// Returns the query scope of the caller's business.
    pub fn scope(&self) -> Scope {
        Scope::new(self.business_id)
    }

    /// Fails with 403 unless the caller is an admin or super admin.
    pub fn require_admin(&self) -> AppResult<()> {
        if self.role.is_admin() {
            Ok(())
        } else {
            Err(AppError::Forbidden("this action needs the admin role".into()))
        }
    }
}
