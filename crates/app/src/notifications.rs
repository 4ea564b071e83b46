//! In-app notifications and each user's notification preferences.

use std::collections::HashSet;

use api_types::notifications::{
    MarkedRead, Notification, NotificationChannel, NotificationKind, NotificationListParams, NotificationPage,
    NotificationPreference, NotificationPreferences,
};
use store::notifications::{self as queries, NotificationRow, PreferenceRow};
use store::{DbConnection, Scope};

use crate::auth::parse_id;
use crate::clock::{new_id, now, utc};
use crate::error::{AppError, AppResult};
use crate::paging::limit_and_offset;
use crate::tenant::Tenant;
use crate::App;

/// A notification to deliver to one user.
pub(crate) struct Outgoing {
    pub user_id: String,
    pub kind: NotificationKind,
    pub title: String,
    pub body: String,
    pub account_id: Option<String>,
}

/// Delivers in-app notifications to the users whose preferences allow them; returns how
/// many were written. Preferences of every recipient are read in one query.
pub(crate) fn deliver(connection: &mut DbConnection, scope: &Scope, outgoing: Vec<Outgoing>) -> AppResult<usize> {
    let mut users: Vec<String> = outgoing.iter().map(|item| item.user_id.clone()).collect();
    users.sort();
    users.dedup();
    let muted: HashSet<(String, String)> = queries::preferences_of(connection, scope, &users)?
        .into_iter()
        .filter(|row| row.channel == NotificationChannel::InApp.as_str() && !row.enabled)
        .map(|row| (row.user_id, row.kind))
        .collect();
    let at = now();
    let rows: Vec<NotificationRow> = outgoing
        .into_iter()
        .filter(|item| !muted.contains(&(item.user_id.clone(), item.kind.as_str().to_owned())))
        .map(|item| NotificationRow {
            id: new_id().to_string(),
            business_id: scope.business_id().to_owned(),
            user_id: item.user_id,
            kind: item.kind.as_str().to_owned(),
            title: item.title,
            body: item.body,
            account_id: item.account_id,
            read_at: None,
            created_at: at,
        })
        .collect();
    queries::insert_many(connection, &rows)?;
    Ok(rows.len())
}

fn kind_of(row: &NotificationRow) -> AppResult<NotificationKind> {
    NotificationKind::ALL
        .iter()
        .copied()
        .find(|kind| kind.as_str() == row.kind)
        .ok_or_else(|| AppError::Internal(format!("notification {} has the unknown kind {:?}", row.id, row.kind)))
}

fn notification_view(row: &NotificationRow) -> AppResult<Notification> {
    Ok(Notification {
        id: row.id.clone(),
        kind: kind_of(row)?,
        title: row.title.clone(),
        body: row.body.clone(),
        account_id: row.account_id.as_deref().map(parse_id).transpose()?,
        read_at: row.read_at.map(utc),
        created_at: utc(row.created_at),
    })
}

impl App {
    /// Lists the caller's notifications, newest first, with the unread count.
    pub fn list_notifications(&self, tenant: &Tenant, params: &NotificationListParams) -> AppResult<NotificationPage> {
        let (limit, offset) = limit_and_offset(params.limit, params.offset)?;
        let mut connection = self.connection()?;
        let (rows, total, unread) =
            queries::list(&mut connection, &tenant.scope(), &tenant.user_id.to_string(), params.unread, limit, offset)?;
        Ok(NotificationPage { items: rows.iter().map(notification_view).collect::<AppResult<_>>()?, total, unread })
    }

    /// Marks one of the caller's notifications read. Another user's notification is not found.
    pub fn mark_notification_read(&self, tenant: &Tenant, id: &str) -> AppResult<Notification> {
        let mut connection = self.connection()?;
        let scope = tenant.scope();
        let user_id = tenant.user_id.to_string();
        queries::mark_read(&mut connection, &scope, &user_id, Some(id), now())?;
        let row =
            queries::find(&mut connection, &scope, &user_id, id)?.ok_or_else(|| AppError::not_found("notification"))?;
        notification_view(&row)
    }

    /// Marks every unread notification of the caller read.
    pub fn mark_all_notifications_read(&self, tenant: &Tenant) -> AppResult<MarkedRead> {
        let mut connection = self.connection()?;
        let marked = queries::mark_read(&mut connection, &tenant.scope(), &tenant.user_id.to_string(), None, now())?;
        Ok(MarkedRead { marked: i64::try_from(marked).unwrap_or(i64::MAX) })
    }

    /// Lists every kind and channel with the caller's choice.
    pub fn notification_preferences(&self, tenant: &Tenant) -> AppResult<NotificationPreferences> {
        let mut connection = self.connection()?;
        let stored = queries::preferences_of(&mut connection, &tenant.scope(), &[tenant.user_id.to_string()])?;
        let items = NotificationKind::ALL
            .iter()
            .flat_map(|kind| NotificationChannel::ALL.iter().map(move |channel| (*kind, *channel)))
            .map(|(kind, channel)| NotificationPreference {
                kind,
                channel,
                enabled: stored
                    .iter()
                    .find(|row| row.kind == kind.as_str() && row.channel == channel.as_str())
                    .is_none_or(|row| row.enabled),
            })
            .collect();
        Ok(NotificationPreferences { items })
    }

    /// Stores the caller's choices; kinds and channels not listed keep theirs.
    pub fn update_notification_preferences(
        &self,
        tenant: &Tenant,
        input: &NotificationPreferences,
    ) -> AppResult<NotificationPreferences> {
        let mut connection = self.connection()?;
        let at = now();
        for preference in &input.items {
            queries::set_preference(
                &mut connection,
                &PreferenceRow {
                    business_id: tenant.business_id.to_string(),
                    user_id: tenant.user_id.to_string(),
                    kind: preference.kind.as_str().to_owned(),
                    channel: preference.channel.as_str().to_owned(),
                    enabled: preference.enabled,
                    updated_at: at,
                },
            )?;
        }
        drop(connection);
        self.notification_preferences(tenant)
    }
}
