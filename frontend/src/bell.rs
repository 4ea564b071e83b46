//! The notification bell in the app shell: the unread count, polled every minute, and the
//! inbox it opens, where notifications are read, marked read and followed to their account.

use std::time::Duration;

use api_types::notifications::{Notification, NotificationListParams};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use crate::alerts::alert_for;
use crate::api;
use crate::components::{ErrorState, Loading};
use crate::labels;
use crate::notify::use_notifier;

/// How often the unread count is fetched while the app is open.
const POLL_INTERVAL: Duration = Duration::from_secs(60);
/// Notifications the inbox shows, newest first.
const INBOX_LIMIT: i64 = 20;

/// Fetches the unread count into `unread`. A failed poll keeps the last count, because the
/// next poll or opening the inbox tries again and shows any error there.
fn refresh_unread(unread: RwSignal<i64>) {
    spawn_local(async move {
        let params = NotificationListParams { unread: Some(true), limit: Some(1), offset: None };
        if let Ok(page) = api::notifications(&params).await {
            unread.set(page.unread);
        }
    });
}

#[component]
pub fn NotificationBell() -> impl IntoView {
    let open = RwSignal::new(false);
    let unread = RwSignal::new(0_i64);

    refresh_unread(unread);
    if let Ok(handle) = set_interval_with_handle(move || refresh_unread(unread), POLL_INTERVAL) {
        on_cleanup(move || handle.clear());
    }

    let count_label = move || match unread.get() {
        0 => "Notifications".to_owned(),
        1 => "Notifications, 1 unread".to_owned(),
        count => format!("Notifications, {count} unread"),
    };

    view! {
        <div
            class="bell"
            on:keydown=move |event| {
                if event.key() == "Escape" {
                    open.set(false);
                }
            }
        >
            <button
                type="button"
                class="icon-button"
                aria-haspopup="true"
                aria-expanded=move || open.get().to_string()
                aria-controls="notification-list"
                aria-label=count_label
                on:click=move |_| open.update(|open| *open = !*open)
            >
                <span class="bell-icon" aria-hidden="true"></span>
                {move || {
                    let count = unread.get();
                    (count > 0).then(|| view! { <span class="bell-count" aria-hidden="true">{count}</span> })
                }}
            </button>
            <Show when=move || open.get()>
                <Inbox unread=unread open=open/>
            </Show>
        </div>
    }
}

/// Renders the open inbox. It loads when it opens, so every opening shows fresh notifications.
#[component]
fn Inbox(unread: RwSignal<i64>, open: RwSignal<bool>) -> impl IntoView {
    let notifier = use_notifier();
    let inbox = LocalResource::new(move || async move {
        let params = NotificationListParams { unread: None, limit: Some(INBOX_LIMIT), offset: None };
        let page = api::notifications(&params).await;
        if let Ok(page) = &page {
            unread.set(page.unread);
        }
        page
    });
    let marking_all = RwSignal::new(false);

    let mark_all = move |_| {
        marking_all.set(true);
        spawn_local(async move {
            match api::mark_all_notifications_read().await {
                Ok(_) => inbox.refetch(),
                Err(error) => notifier.error(alert_for(&error, "mark the notifications read").detail),
            }
            marking_all.set(false);
        });
    };
    let mark_one = Callback::new(move |id: String| {
        spawn_local(async move {
            match api::mark_notification_read(&id).await {
                Ok(_) => inbox.refetch(),
                Err(error) => notifier.error(alert_for(&error, "mark the notification read").detail),
            }
        });
    });

    view! {
        <div class="bell-panel" id="notification-list" role="region" aria-label="Notifications">
            <div class="bell-head">
                <p class="bell-heading">"Notifications"</p>
                <Show when=move || { unread.get() > 0 }>
                    <button type="button" class="button button-small button-quiet" on:click=mark_all disabled=move || marking_all.get()>
                        "Mark all read"
                    </button>
                </Show>
            </div>
            <Transition fallback=|| view! { <Loading text="Loading notifications…"/> }>
                {move || {
                    inbox
                        .get()
                        .map(|result| match result {
                            Ok(page) if page.items.is_empty() => {
                                view! { <p class="muted">"Nothing yet. Alerts about your accounts appear here."</p> }.into_any()
                            }
                            Ok(page) => view! {
                                <ul class="inbox">
                                    {page
                                        .items
                                        .into_iter()
                                        .map(|notification| view! { <InboxItem notification=notification mark_read=mark_one open=open/> })
                                        .collect_view()}
                                </ul>
                            }
                            .into_any(),
                            Err(error) => view! {
                                <ErrorState alert=alert_for(&error, "load notifications") retry=move || inbox.refetch()/>
                            }
                            .into_any(),
                        })
                }}
            </Transition>
            <p class="bell-foot">
                <A href="/notifications/preferences" on:click=move |_| open.set(false)>"Notification preferences"</A>
            </p>
        </div>
    }
}

#[component]
fn InboxItem(notification: Notification, mark_read: Callback<String>, open: RwSignal<bool>) -> impl IntoView {
    let is_unread = notification.read_at.is_none();
    let id = notification.id.clone();
    let follow = {
        let id = id.clone();
        move |_| {
            if is_unread {
                mark_read.run(id.clone());
            }
            open.set(false);
        }
    };
    let account_link = notification.account_id.map(|account_id| {
        view! { <A href=format!("/accounts/{account_id}") on:click=follow>"Open account"</A> }
    });

    view! {
        <li class=if is_unread { "inbox-item inbox-unread" } else { "inbox-item" }>
            <p class="inbox-title">
                {is_unread.then(|| view! { <span class="visually-hidden">"Unread: "</span> })}
                {notification.title}
            </p>
            <p class="inbox-body">{notification.body}</p>
            <div class="inbox-meta">
                <span class="muted">{labels::date_time(notification.created_at)}</span>
                {account_link}
                {is_unread.then(|| view! {
                    <button type="button" class="button button-small button-quiet" on:click=move |_| mark_read.run(id.clone())>
                        "Mark read"
                    </button>
                })}
            </div>
        </li>
    }
}
