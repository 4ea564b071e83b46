//! Kinds of entries on an account's activity timeline.

use crate::closed_set::closed_set;

closed_set! {
    /// Kind of touchpoint an activity records.
    pub enum ActivityKind {
        Email => "email",
        Call => "call",
        Meeting => "meeting",
        Note => "note",
        /// Written by Mango CS itself (stage changes, imports); users cannot log one.
        System => "system",
    }
}

impl ActivityKind {
    /// Tells whether users and API clients may log this kind by hand.
    pub fn is_user_loggable(self) -> bool {
        self != ActivityKind::System
    }
}
