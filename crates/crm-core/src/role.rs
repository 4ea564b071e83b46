//! User roles and the rules of who may grant or change what.

use crate::closed_set::closed_set;

closed_set! {
    /// A user's role within a business, ordered from least to most privileged.
    pub enum Role {
        /// Not allowed into the app by default.
        Member => "member",
        /// Full app access: accounts, contacts, activities and the CS workflows.
        Manager => "manager",
        /// Manager access plus settings, users, custom fields and analytics.
        Admin => "admin",
        /// Admin access that no admin can change.
        SuperAdmin => "super_admin",
    }
}

impl Role {
    /// Roles allowed into the app when a business has not configured its own list.
    pub const DEFAULT_ALLOWED: &'static [Role] = &[Role::Manager, Role::Admin, Role::SuperAdmin];

    fn rank(self) -> u8 {
        match self {
            Role::Member => 0,
            Role::Manager => 1,
            Role::Admin => 2,
            Role::SuperAdmin => 3,
        }
    }

    /// Tells whether this role includes administration (settings, users, custom fields).
    pub fn is_admin(self) -> bool {
        self.rank() >= Role::Admin.rank()
    }

    /// Tells whether this role is at least as privileged as `other`.
    pub fn at_least(self, other: Role) -> bool {
        self.rank() >= other.rank()
    }

    /// Tells whether a user of this role may give `granted` to someone: never above their own.
    pub fn may_grant(self, granted: Role) -> bool {
        self.is_admin() && self.at_least(granted)
    }

    /// Tells whether a user of this role may change a user who has the role `target`: admins may change
    /// users of their own rank or below, never one who outranks them.
    pub fn may_manage(self, target: Role) -> bool {
        self.is_admin() && self.at_least(target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_cannot_grant_super_admin() {
        assert!(!Role::Admin.may_grant(Role::SuperAdmin));
        assert!(Role::Admin.may_grant(Role::Admin));
        assert!(Role::SuperAdmin.may_grant(Role::SuperAdmin));
    }

    #[test]
    fn manager_grants_nothing() {
        for role in Role::ALL {
            assert!(!Role::Manager.may_grant(*role));
            assert!(!Role::Manager.may_manage(*role));
        }
    }

    #[test]
    fn admin_cannot_manage_super_admin() {
        assert!(!Role::Admin.may_manage(Role::SuperAdmin));
        assert!(Role::Admin.may_manage(Role::Member));
    }

    #[test]
    fn parses_wire_names() {
        assert_eq!("super_admin".parse::<Role>(), Ok(Role::SuperAdmin));
        assert!("owner".parse::<Role>().is_err());
    }
}
