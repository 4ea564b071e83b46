//! Short on-screen messages about finished actions, shown in the app shell's message
//! area for a few seconds. The notifications the server stores are in `bell`.

use leptos::prelude::*;

use crate::alerts::Severity;

/// How long a message stays on screen, in milliseconds.
const SHOW_FOR_MS: u64 = 6_000;
/// Most messages kept, shown or hidden.
const HISTORY_LIMIT: usize = 20;

#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub id: u64,
    pub severity: Severity,
    pub text: String,
    /// Whether it is still shown in the on-screen stack.
    pub visible: bool,
}

/// The messages of this browser session, newest first.
#[derive(Clone, Copy)]
pub struct Notifier {
    notices: RwSignal<Vec<Notice>>,
    next_id: StoredValue<u64>,
}

impl Notifier {
    pub fn new() -> Self {
        Notifier { notices: RwSignal::new(Vec::new()), next_id: StoredValue::new(1) }
    }

    pub fn success(&self, text: impl Into<String>) {
        self.push(Severity::Success, text.into());
    }

    pub fn error(&self, text: impl Into<String>) {
        self.push(Severity::Error, text.into());
    }

    pub fn info(&self, text: impl Into<String>) {
        self.push(Severity::Info, text.into());
    }

    fn push(&self, severity: Severity, text: String) {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        self.notices.update(|notices| {
            notices.insert(0, Notice { id, severity, text, visible: true });
            notices.truncate(HISTORY_LIMIT);
        });

        let notices = self.notices;
        set_timeout(move || notices.update(|notices| hide(notices, id)), std::time::Duration::from_millis(SHOW_FOR_MS));
    }

    /// Takes a notice off the screen.
    pub fn dismiss(&self, id: u64) {
        self.notices.update(|notices| hide(notices, id));
    }

    pub fn visible(&self) -> Vec<Notice> {
        self.notices.with(|notices| notices.iter().filter(|notice| notice.visible).cloned().collect())
    }
}

impl Default for Notifier {
    fn default() -> Self {
        Self::new()
    }
}

fn hide(notices: &mut [Notice], id: u64) {
    if let Some(notice) = notices.iter_mut().find(|notice| notice.id == id) {
        notice.visible = false;
    }
}

/// Returns the app's notifier, provided by the root component.
pub fn use_notifier() -> Notifier {
    expect_context::<Notifier>()
}
