//! In-app notifications and notification preferences.

use chrono::{DateTime, Utc};
use crm_core::AccountId;
use serde::{Deserialize, Serialize};

/// Kinds of notification a user can receive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// The health job flagged an account you manage at risk.
    AccountAtRisk,
    /// A subscription of an account you manage renews soon.
    RenewalReminder,
}

impl NotificationKind {
    pub const ALL: &'static [NotificationKind] = &[NotificationKind::AccountAtRisk, NotificationKind::RenewalReminder];

    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::AccountAtRisk => "account_at_risk",
            NotificationKind::RenewalReminder => "renewal_reminder",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            NotificationKind::AccountAtRisk => "An account I manage is flagged at risk",
            NotificationKind::RenewalReminder => "A subscription of an account I manage renews soon",
        }
    }
}

/// The channel a notification is delivered on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NotificationChannel {
    InApp,
    Email,
}

impl NotificationChannel {
    pub const ALL: &'static [NotificationChannel] = &[NotificationChannel::InApp, NotificationChannel::Email];

    pub fn as_str(self) -> &'static str {
        match self {
            NotificationChannel::InApp => "in_app",
            NotificationChannel::Email => "email",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notification {
    pub id: String,
    pub kind: NotificationKind,
    pub title: String,
    pub body: String,
    /// The account the notification is about.
    pub account_id: Option<AccountId>,
    pub read_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// A page of the caller's notifications, newest first.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationPage {
    pub items: Vec<Notification>,
    pub total: i64,
    /// Unread notifications of the caller, whatever the filter.
    pub unread: i64,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct NotificationListParams {
    /// `true` for unread notifications only, `false` for read ones only.
    pub unread: Option<bool>,
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<i64>,
    #[cfg_attr(feature = "openapi", param(minimum = 0))]
    pub offset: Option<i64>,
}

/// Whether one kind of notification reaches the caller on one channel.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NotificationPreference {
    pub kind: NotificationKind,
    pub channel: NotificationChannel,
    pub enabled: bool,
}

/// Every kind and channel with the caller's choice; all are on until turned off.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NotificationPreferences {
    pub items: Vec<NotificationPreference>,
}

/// How many notifications a request marked read.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MarkedRead {
    pub marked: i64,
}
