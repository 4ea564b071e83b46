//! The signed-in user's notification preferences: for each kind of notification, whether
//! it reaches them in the app and by email.

use api_types::notifications::{
    NotificationChannel, NotificationKind, NotificationPreference, NotificationPreferences,
};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::alerts::{alert_for, Alert};
use crate::api;
use crate::components::{AlertSlot, ErrorState, Loading, PageHeader};
use crate::notify::use_notifier;

fn channel_label(channel: NotificationChannel) -> &'static str {
    match channel {
        NotificationChannel::InApp => "In the app",
        NotificationChannel::Email => "By email",
    }
}

/// Tells whether `kind` reaches the user on `channel`. A pair the server did not list is
/// on, because every preference is on until turned off.
fn is_enabled(items: &[NotificationPreference], kind: NotificationKind, channel: NotificationChannel) -> bool {
    items.iter().find(|item| item.kind == kind && item.channel == channel).is_none_or(|item| item.enabled)
}

#[component]
pub fn NotificationPreferencesPage() -> impl IntoView {
    let preferences = LocalResource::new(api::notification_preferences);
    view! {
        <PageHeader title="Notification preferences" subtitle="Choose which notifications reach you, and where."/>
        <Suspense fallback=|| view! { <Loading text="Loading your preferences…"/> }>
            {move || {
                preferences
                    .get()
                    .map(|result| match result {
                        Ok(current) => view! { <PreferencesForm current=current/> }.into_any(),
                        Err(error) => view! {
                            <ErrorState alert=alert_for(&error, "load your preferences") retry=move || preferences.refetch()/>
                        }
                        .into_any(),
                    })
            }}
        </Suspense>
    }
}

#[component]
fn PreferencesForm(current: NotificationPreferences) -> impl IntoView {
    let notifier = use_notifier();
    let items = RwSignal::new(current.items);
    let alert = RwSignal::new(None::<Alert>);
    let pending = RwSignal::new(false);

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        alert.set(None);
        pending.set(true);
        let chosen = items.get_untracked();
        let body = NotificationPreferences {
            items: NotificationKind::ALL
                .iter()
                .flat_map(|kind| {
                    NotificationChannel::ALL.iter().map(|channel| NotificationPreference {
                        kind: *kind,
                        channel: *channel,
                        enabled: is_enabled(&chosen, *kind, *channel),
                    })
                })
                .collect(),
        };
        spawn_local(async move {
            match api::update_notification_preferences(&body).await {
                Ok(saved) => {
                    items.set(saved.items);
                    notifier.success("Saved your notification preferences.");
                }
                Err(error) => alert.set(Some(alert_for(&error, "save your preferences"))),
            }
            pending.set(false);
        });
    };

    let set = move |kind: NotificationKind, channel: NotificationChannel, enabled: bool| {
        items.update(|items| match items.iter_mut().find(|item| item.kind == kind && item.channel == channel) {
            Some(item) => item.enabled = enabled,
            None => items.push(NotificationPreference { kind, channel, enabled }),
        });
    };

    let rows = NotificationKind::ALL
        .iter()
        .map(|kind| {
            let kind = *kind;
            let cells = NotificationChannel::ALL
                .iter()
                .map(|channel| {
                    let channel = *channel;
                    view! {
                        <td>
                            <label class="checkbox">
                                <input
                                    type="checkbox"
                                    prop:checked=move || items.with(|items| is_enabled(items, kind, channel))
                                    on:change=move |event| set(kind, channel, event_target_checked(&event))
                                />
                                <span>
                                    <span class="visually-hidden">{format!("{}, ", kind.label())}</span>
                                    {channel_label(channel)}
                                </span>
                            </label>
                        </td>
                    }
                })
                .collect_view();
            view! {
                <tr>
                    <th scope="row">{kind.label()}</th>
                    {cells}
                </tr>
            }
        })
        .collect_view();

    view! {
        <section class="card" aria-labelledby="preferences-title">
            <div class="card-header">
                <div>
                    <h2 id="preferences-title">"What reaches you"</h2>
                    <p>"Everything is on until you turn it off."</p>
                </div>
            </div>
            <AlertSlot alert=alert/>
            <form on:submit=submit novalidate=true>
                <table class="table table-compact preferences">
                    <thead>
                        <tr>
                            <th scope="col">"Notification"</th>
                            {NotificationChannel::ALL
                                .iter()
                                .map(|channel| view! { <th scope="col">{channel_label(*channel)}</th> })
                                .collect_view()}
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
                <button type="submit" class="button button-primary" disabled=move || pending.get()>"Save preferences"</button>
            </form>
        </section>
    }
}
