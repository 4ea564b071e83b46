//! An account's activity timeline, newest first, with the form that logs an email, call,
//! meeting or note.

use std::collections::HashMap;

use api_types::accounts::{Activity, ActivityCreate};
use chrono::{NaiveDateTime, TimeZone, Utc};
use crm_core::{AccountId, ActivityKind, UserId};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::alerts::{alert_for, field_errors, Alert, FieldErrors};
use crate::api;
use crate::components::{
    described_by, focus_first_invalid, invalid, AlertSlot, EmptyState, ErrorState, FieldMessage, Loading, TextField,
};
use crate::labels;
use crate::notify::use_notifier;

/// Entries loaded at first and added by each "Show older".
const PAGE: i64 = 20;
const FORM: &str = "activity";
const LOGGABLE: [ActivityKind; 4] =
    [ActivityKind::Note, ActivityKind::Call, ActivityKind::Meeting, ActivityKind::Email];

/// Parses a `datetime-local` input (browser time) to UTC; blank means now.
fn parse_occurred_at(text: &str) -> Result<Option<chrono::DateTime<Utc>>, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    let local = NaiveDateTime::parse_from_str(trimmed, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(trimmed, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| "Enter a date and time.".to_owned())?;
    labels::local_offset()
        .from_local_datetime(&local)
        .single()
        .map(|moment| Some(moment.with_timezone(&Utc)))
        .ok_or_else(|| "Enter a date and time.".to_owned())
}

#[component]
pub fn TimelineCard(
    account_id: AccountId,
    /// Bumped by other parts of the page after a change that writes a timeline entry.
    refresh: RwSignal<u32>,
    names: StoredValue<HashMap<UserId, String>>,
) -> impl IntoView {
    let limit = RwSignal::new(PAGE);
    let activities = LocalResource::new(move || {
        refresh.track();
        let limit = limit.get();
        async move { api::list_activities(account_id, limit, 0).await }
    });

    view! {
        <section class="card" aria-labelledby="timeline-title">
            <div class="card-header">
                <h2 id="timeline-title">"Activity"</h2>
            </div>
            <LogActivityForm account_id=account_id refresh=refresh/>
            <Transition fallback=|| view! { <Loading text="Loading activity…"/> }>
                {move || {
                    activities
                        .get()
                        .map(|result| match result {
                            Ok(page) if page.items.is_empty() => view! {
                                <EmptyState title="No activity yet" detail="Log a note, call, meeting or email above to start the timeline."/>
                            }
                            .into_any(),
                            Ok(page) => {
                                let more = page.total > page.items.len() as i64;
                                let items = page
                                    .items
                                    .into_iter()
                                    .map(|activity| view! { <TimelineItem activity=activity names=names/> })
                                    .collect_view();
                                view! {
                                    <ol class="timeline" aria-label="Activity, newest first">{items}</ol>
                                    {more.then(|| view! {
                                        <button type="button" class="button button-small" on:click=move |_| limit.update(|limit| *limit += PAGE)>
                                            "Show older activity"
                                        </button>
                                    })}
                                }
                                .into_any()
                            }
                            Err(error) => view! {
                                <ErrorState alert=alert_for(&error, "load the activity") retry=move || activities.refetch()/>
                            }
                            .into_any(),
                        })
                }}
            </Transition>
        </section>
    }
}

#[component]
fn TimelineItem(activity: Activity, names: StoredValue<HashMap<UserId, String>>) -> impl IntoView {
    let dot = format!("timeline-dot timeline-dot-{}", activity.kind);
    let author = activity.author_id.and_then(|id| names.with_value(|names| names.get(&id).cloned()));
    let byline = match author {
        Some(name) => format!("{} · {name}", labels::date_time(activity.occurred_at)),
        None => labels::date_time(activity.occurred_at),
    };
    view! {
        <li class="timeline-item">
            <span class=dot aria-hidden="true"></span>
            <div class="timeline-head">
                <span class="badge">{labels::activity_kind(activity.kind)}</span>
                <span class="timeline-subject">{activity.subject.clone()}</span>
            </div>
            <p class="timeline-time">{byline}</p>
            {activity.body.clone().filter(|body| !body.trim().is_empty()).map(|body| view! { <p class="timeline-body">{body}</p> })}
        </li>
    }
}

#[component]
fn LogActivityForm(account_id: AccountId, refresh: RwSignal<u32>) -> impl IntoView {
    let notifier = use_notifier();
    let kind = RwSignal::new(ActivityKind::Note);
    let subject = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let occurred_at = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::new());
    let alert = RwSignal::new(None::<Alert>);
    let pending = RwSignal::new(false);

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let mut found = FieldErrors::new();
        crate::forms::require(&mut found, "subject", &subject.get_untracked(), "a subject");
        let moment = parse_occurred_at(&occurred_at.get_untracked()).unwrap_or_else(|message| {
            found.insert("occurred_at".into(), message);
            None
        });
        errors.set(found.clone());
        if !found.is_empty() {
            focus_first_invalid();
            return;
        }

        let request = ActivityCreate {
            kind: kind.get_untracked(),
            subject: subject.get_untracked().trim().to_owned(),
            body: crate::forms::optional(&body.get_untracked()),
            occurred_at: moment,
        };
        alert.set(None);
        pending.set(true);
        spawn_local(async move {
            match api::create_activity(account_id, &request).await {
                Ok(activity) => {
                    notifier.success(format!("Logged {}.", labels::activity_kind(activity.kind).to_lowercase()));
                    subject.set(String::new());
                    body.set(String::new());
                    occurred_at.set(String::new());
                    refresh.update(|version| *version += 1);
                }
                Err(error) => {
                    errors.set(field_errors(&error));
                    focus_first_invalid();
                    alert.set(Some(alert_for(&error, "log the activity")));
                }
            }
            pending.set(false);
        });
    };

    let kind_choices = LOGGABLE
        .iter()
        .map(|choice| {
            let choice = *choice;
            view! {
                <label>
                    <input
                        type="radio"
                        name="activity-kind"
                        value=choice.as_str()
                        prop:checked=move || kind.get() == choice
                        on:change=move |_| kind.set(choice)
                    />
                    {labels::activity_kind(choice)}
                </label>
            }
        })
        .collect_view();

    view! {
        <form class="subform log-form" on:submit=submit novalidate=true aria-label="Log activity">
            <AlertSlot alert=alert/>
            <fieldset>
                <legend>"Type"</legend>
                <div class="kind-picker">{kind_choices}</div>
            </fieldset>
            <TextField form=FORM field="subject" label="Subject" value=subject errors=errors required=true placeholder="Quarterly check-in"/>
            <div class="field">
                <label for="activity-body">"Details"</label>
                <textarea
                    id="activity-body"
                    rows="3"
                    aria-invalid=invalid(errors, "body")
                    aria-describedby=described_by(errors, "body", "activity-body")
                    prop:value=move || body.get()
                    on:input=move |event| body.set(event_target_value(&event))
                ></textarea>
                <FieldMessage errors=errors field="body" id="activity-body"/>
            </div>
            <TextField form=FORM field="occurred_at" label="When" value=occurred_at errors=errors input_type="datetime-local" hint="Leave empty for now."/>
            <button type="submit" class="button button-primary" disabled=move || pending.get()>
                {move || if pending.get() { "Logging…" } else { "Log activity" }}
            </button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_time_means_now() {
        assert_eq!(parse_occurred_at("  "), Ok(None));
    }

    #[test]
    fn local_input_parses() {
        let parsed = parse_occurred_at("2026-03-04T09:30").expect("valid input");
        assert!(parsed.is_some());
        assert!(parse_occurred_at("tomorrow").is_err());
    }
}
