//! The settings page's forms for feature toggles and for renewals: the uplift added to
//! renewal proposals and the reminder cadence.

use api_types::settings::FeatureToggles;
use api_types::users::{BusinessSettings, BusinessSettingsUpdate};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::alerts::{alert_for, field_errors, Alert, FieldErrors};
use crate::api;
use crate::business::use_business;
use crate::business_settings::{self, features_update, Feature, RenewalSettingsDraft};
use crate::components::{
    clear_error, described_by, focus_first_invalid, input_id, invalid, AlertSlot, FieldMessage, TextField,
};
use crate::labels;
use crate::notify::use_notifier;

/// Sends `update` and hands the saved settings to `saved`, or shows the API's messages
/// next to the fields and in the form's alert. Every settings form saves through it.
pub(crate) fn save_settings(
    update: BusinessSettingsUpdate,
    settings_name: &'static str,
    errors: RwSignal<FieldErrors>,
    alert: RwSignal<Option<Alert>>,
    pending: RwSignal<bool>,
    saved: impl FnOnce(&BusinessSettings) + 'static,
) {
    let business = use_business();
    let notifier = use_notifier();
    errors.set(FieldErrors::new());
    alert.set(None);
    pending.set(true);
    spawn_local(async move {
        match api::update_settings(&update).await {
            Ok(settings) => {
                saved(&settings);
                business.store(settings);
                notifier.success(format!("Saved the {settings_name}."));
            }
            Err(error) => {
                errors.set(field_errors(&error));
                focus_first_invalid();
                alert.set(Some(alert_for(&error, &format!("save the {settings_name}"))));
            }
        }
        pending.set(false);
    });
}

#[component]
pub fn FeatureTogglesForm(current: BusinessSettings) -> impl IntoView {
    let notifier = use_notifier();
    let saved = StoredValue::new(current.features.clone());
    let draft = RwSignal::new(current.features);
    let errors = RwSignal::new(FieldErrors::new());
    let alert = RwSignal::new(None::<Alert>);
    let pending = RwSignal::new(false);

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        let Some(update) = saved.with_value(|saved| draft.with_untracked(|draft| features_update(saved, draft))) else {
            notifier.info("No feature changed, so there is nothing to save.");
            return;
        };
        save_settings(update, "features", errors, alert, pending, move |settings: &BusinessSettings| {
            saved.set_value(settings.features.clone());
            draft.set(settings.features.clone());
        });
    };

    let boxes = Feature::ALL
        .iter()
        .map(|feature| {
            let feature = *feature;
            let toggle = move |event| {
                let on = event_target_checked(&event);
                draft.update(|toggles: &mut FeatureToggles| feature.set(toggles, on));
            };
            view! {
                <label class="checkbox role-choice" data-feature=feature.key()>
                    <input
                        type="checkbox"
                        name=format!("features.{}", feature.key())
                        prop:checked=move || draft.with(|toggles| feature.is_on(toggles))
                        on:change=toggle
                    />
                    <span>
                        <span class="contact-name">{feature.name()}</span>
                        <span class="cell-sub">{feature.description()}</span>
                    </span>
                </label>
            }
        })
        .collect_view();

    view! {
        <section class="card" aria-labelledby="features-title">
            <div class="card-header">
                <div>
                    <h2 id="features-title">"Features"</h2>
                    <p>"A feature that is off disappears from the app for everyone, and its API endpoints return 404."</p>
                </div>
            </div>
            <AlertSlot alert=alert/>
            <form on:submit=submit novalidate=true>
                <fieldset aria-describedby="settings-features-error">
                    <legend class="visually-hidden">"Features"</legend>
                    <div class="role-list">{boxes}</div>
                    <FieldMessage errors=errors field="features" id="settings-features"/>
                </fieldset>
                <button type="submit" class="button button-primary" disabled=move || pending.get()>"Save features"</button>
            </form>
        </section>
    }
}

#[component]
pub fn RenewalSettingsForm(current: BusinessSettings) -> impl IntoView {
    let notifier = use_notifier();
    let saved = StoredValue::new(current.clone());
    let draft = RwSignal::new(RenewalSettingsDraft::from_settings(&current));
    let uplift = RwSignal::new(draft.get_untracked().uplift);
    let errors = RwSignal::new(FieldErrors::new());
    let alert = RwSignal::new(None::<Alert>);
    let pending = RwSignal::new(false);
    let new_day_field = "reminder_cadence_new";
    let new_day_id = input_id("settings", new_day_field);

    let add_day = move || {
        let mut next = draft.get_untracked();
        match next.add_day() {
            Ok(()) => {
                draft.set(next);
                clear_error(errors, new_day_field);
                clear_error(errors, business_settings::CADENCE);
            }
            Err(message) => {
                errors.update(|errors| {
                    errors.insert(new_day_field.to_owned(), message);
                });
                focus_first_invalid();
            }
        }
    };

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        let mut next = draft.get_untracked();
        next.uplift = uplift.get_untracked();
        let update = match saved.with_value(|saved| next.to_update(saved)) {
            Ok(Some(update)) => update,
            Ok(None) => {
                notifier.info("The renewal settings did not change, so there is nothing to save.");
                return;
            }
            Err(found) => {
                errors.set(found);
                focus_first_invalid();
                return;
            }
        };
        save_settings(update, "renewal settings", errors, alert, pending, move |settings: &BusinessSettings| {
            let fresh = RenewalSettingsDraft::from_settings(settings);
            uplift.set(fresh.uplift.clone());
            draft.set(fresh);
            saved.set_value(settings.clone());
        });
    };

    let days = move || {
        draft
            .with(|draft| draft.cadence.clone())
            .into_iter()
            .map(|day| {
                let text = labels::days_left(i64::from(day));
                view! {
                    <li class="cadence-day">
                        <span>{format!("{text} before")}</span>
                        <button
                            type="button"
                            class="button button-quiet"
                            aria-label=format!("Remove {text}")
                            on:click=move |_| {
                                draft.update(|draft| draft.remove_day(day));
                                clear_error(errors, business_settings::CADENCE);
                            }
                        >
                            "Remove"
                        </button>
                    </li>
                }
            })
            .collect_view()
    };

    view! {
        <section class="card" aria-labelledby="renewal-settings-title">
            <div class="card-header">
                <div>
                    <h2 id="renewal-settings-title">"Renewals"</h2>
                    <p>"The uplift added to prices in renewal proposals, and when CSMs are reminded of a renewal."</p>
                </div>
            </div>
            <AlertSlot alert=alert/>
            <form on:submit=submit novalidate=true>
                <div class="form-grid">
                    <TextField
                        form="settings"
                        field=business_settings::UPLIFT
                        label="Uplift percentage"
                        value=uplift
                        errors=errors
                        input_type="number"
                        required=true
                        hint="From 0 to 100, with up to two decimals, such as 5 or 7.5."
                    />
                </div>
                <fieldset class="cadence" aria-describedby="settings-reminder-cadence-error">
                    <legend>"Reminder cadence"</legend>
                    <p class="field-hint">"Days before a renewal at which its CSM gets a reminder. Without any day, no reminders are sent."</p>
                    <Show
                        when=move || draft.with(|draft| !draft.cadence.is_empty())
                        fallback=|| view! { <p class="cell-sub" data-testid="cadence-empty">"No reminders."</p> }
                    >
                        <ul class="cadence-list" aria-label="Reminder days">{days}</ul>
                    </Show>
                    <div class="field">
                        <label for=new_day_id.clone()>"Days before renewal"</label>
                        <div class="cadence-add">
                            <input
                                id=new_day_id.clone()
                                type="number"
                                min="1"
                                max="365"
                                aria-invalid=invalid(errors, new_day_field)
                                aria-describedby=described_by(errors, new_day_field, &new_day_id)
                                prop:value=move || draft.with(|draft| draft.new_day.clone())
                                on:input=move |event| {
                                    draft.update(|draft| draft.new_day = event_target_value(&event));
                                    clear_error(errors, new_day_field);
                                }
                                on:keydown=move |event: leptos::ev::KeyboardEvent| {
                                    if event.key() == "Enter" {
                                        event.prevent_default();
                                        add_day();
                                    }
                                }
                            />
                            <button type="button" class="button" on:click=move |_| add_day()>"Add day"</button>
                        </div>
                        <FieldMessage errors=errors field=new_day_field id=new_day_id.clone()/>
                    </div>
                    <FieldMessage errors=errors field=business_settings::CADENCE id="settings-reminder-cadence"/>
                </fieldset>
                <button type="submit" class="button button-primary" disabled=move || pending.get()>"Save renewal settings"</button>
            </form>
        </section>
    }
}
