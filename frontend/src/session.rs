//! The signed-in user as app state, and the role checks that hide pages from roles that
//! may not use them. The server enforces every permission again.

use api_types::auth::Session;
use crm_core::Role;
use leptos::prelude::*;

/// Sign-in state shared by every page.
#[derive(Clone, Copy)]
pub struct Auth {
    /// The signed-in user; `None` before sign-in and after the session ends.
    pub session: RwSignal<Option<Session>>,
    /// Set when the user signs out on purpose, so the login page does not offer to return
    /// to the page they left.
    pub signed_out: RwSignal<bool>,
    /// Set when a request found the session ended, so the login page can explain why.
    pub expired: RwSignal<bool>,
}

impl Auth {
    pub fn new() -> Self {
        Auth { session: RwSignal::new(None), signed_out: RwSignal::new(false), expired: RwSignal::new(false) }
    }

    /// Stores a new session and its CSRF token.
    pub fn sign_in(&self, session: Session) {
        crate::api::set_csrf_token(session.csrf_token.clone());
        self.signed_out.set(false);
        self.expired.set(false);
        self.session.set(Some(session));
    }

    /// Forgets the session after sign-out.
    pub fn sign_out(&self) {
        crate::api::set_csrf_token(None);
        self.signed_out.set(true);
        self.session.set(None);
    }

    /// Forgets a session the server no longer accepts.
    pub fn expire(&self) {
        if self.session.get_untracked().is_some() {
            crate::api::set_csrf_token(None);
            self.expired.set(true);
            self.session.set(None);
        }
    }

    /// Returns the signed-in user's role, tracked.
    pub fn role(&self) -> Option<Role> {
        self.session.with(|session| session.as_ref().map(|session| session.user.role))
    }

    /// Tells whether the signed-in user may open the admin pages.
    pub fn is_admin(&self) -> bool {
        self.role().is_some_and(Role::is_admin)
    }
}

impl Default for Auth {
    fn default() -> Self {
        Self::new()
    }
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}
