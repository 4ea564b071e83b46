//! Business settings: which roles may sign in to the app, how the health score is
//! weighted and when it flags an account at risk, which features are on, the renewal
//! settings and the labels.

use api_types::users::{BusinessSettings, BusinessSettingsUpdate};
use crm_core::Role;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::alerts::{alert_for, field_errors, Alert, FieldErrors};
use crate::api;
use crate::business::use_business;
use crate::components::{focus_first_invalid, AlertSlot, ErrorState, FieldMessage, Loading, PageHeader, TextField};
use crate::health_settings::{self, HealthSettingsDraft};
use crate::labels;
use crate::notify::use_notifier;
use crate::pages::feature_settings::{FeatureTogglesForm, RenewalSettingsForm};
use crate::pages::label_settings::LabelsForm;
use crate::session::use_auth;

fn role_description(role: Role) -> &'static str {
    match role {
        Role::Member => "Not allowed in by default.",
        Role::Manager => "Accounts, contacts, activities and the CS workflows.",
        Role::Admin => "Manager access plus users, settings and custom fields.",
        Role::SuperAdmin => "Admin access that no admin can change.",
    }
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let settings = LocalResource::new(api::settings);
    view! {
        <PageHeader title="Settings" subtitle="Settings that apply to everyone in your business."/>
        <Suspense fallback=|| view! { <Loading text="Loading settings…"/> }>
            {move || {
                settings
                    .get()
                    .map(|result| match result {
                        Ok(current) => view! {
                            <AllowedRolesForm current=current.clone()/>
                            <FeatureTogglesForm current=current.clone()/>
                            <HealthSettingsForm current=current.clone()/>
                            <RenewalSettingsForm current=current.clone()/>
                            <LabelsForm current=current/>
                        }
                        .into_any(),
                        Err(error) => view! {
                            <ErrorState alert=alert_for(&error, "load settings") retry=move || settings.refetch()/>
                        }
                        .into_any(),
                    })
            }}
        </Suspense>
    }
}

#[component]
fn AllowedRolesForm(current: BusinessSettings) -> impl IntoView {
    let notifier = use_notifier();
    let business = use_business();
    let my_role = use_auth().role();
    let allowed = RwSignal::new(current.allowed_roles);
    let errors = RwSignal::new(FieldErrors::new());
    let alert = RwSignal::new(None::<Alert>);
    let pending = RwSignal::new(false);

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        let roles = allowed.get_untracked();
        let mut found = FieldErrors::new();
        if let Some(mine) = my_role.filter(|mine| !roles.contains(mine)) {
            found.insert(
                "allowed_roles".into(),
                format!("Keep {} allowed, or you would lock yourself out.", labels::role(mine)),
            );
        }
        errors.set(found.clone());
        if !found.is_empty() {
            return;
        }
        alert.set(None);
        pending.set(true);
        spawn_local(async move {
            match api::update_settings(&BusinessSettingsUpdate {
                allowed_roles: Some(roles),
                ..BusinessSettingsUpdate::default()
            })
            .await
            {
                Ok(saved) => {
                    allowed.set(saved.allowed_roles.clone());
                    business.store(saved);
                    notifier.success("Saved the allowed roles.");
                }
                Err(error) => {
                    errors.set(field_errors(&error));
                    alert.set(Some(alert_for(&error, "save the settings")));
                }
            }
            pending.set(false);
        });
    };

    let boxes = Role::ALL
        .iter()
        .map(|role| {
            let role = *role;
            let toggle = move |event| {
                let on = event_target_checked(&event);
                allowed.update(|roles| {
                    roles.retain(|existing| *existing != role);
                    if on {
                        roles.push(role);
                        roles.sort();
                    }
                });
            };
            view! {
                <label class="checkbox role-choice">
                    <input type="checkbox" prop:checked=move || allowed.with(|roles| roles.contains(&role)) on:change=toggle/>
                    <span>
                        <span class="contact-name">{labels::role(role)}</span>
                        <span class="cell-sub">{role_description(role)}</span>
                    </span>
                </label>
            }
        })
        .collect_view();

    view! {
        <section class="card" aria-labelledby="allowed-roles-title">
            <div class="card-header">
                <div>
                    <h2 id="allowed-roles-title">"Who can sign in"</h2>
                    <p>"Users whose role is not ticked cannot sign in or use API tokens."</p>
                </div>
            </div>
            <AlertSlot alert=alert/>
            <form on:submit=submit novalidate=true>
                <fieldset aria-describedby="settings-allowed-roles-error">
                    <legend class="visually-hidden">"Allowed roles"</legend>
                    <div class="role-list">{boxes}</div>
                    <FieldMessage errors=errors field="allowed_roles" id="settings-allowed-roles"/>
                </fieldset>
                <button type="submit" class="button button-primary" disabled=move || pending.get()>"Save"</button>
            </form>
        </section>
    }
}

#[component]
fn HealthSettingsForm(current: BusinessSettings) -> impl IntoView {
    let notifier = use_notifier();
    let business = use_business();
    let initial = HealthSettingsDraft::from_settings(&current);
    let usage = RwSignal::new(initial.usage);
    let support = RwSignal::new(initial.support);
    let sentiment = RwSignal::new(initial.sentiment);
    let contract_risk = RwSignal::new(initial.contract_risk);
    let threshold = RwSignal::new(initial.threshold);
    let errors = RwSignal::new(FieldErrors::new());
    let alert = RwSignal::new(None::<Alert>);
    let pending = RwSignal::new(false);

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        let draft = HealthSettingsDraft {
            usage: usage.get_untracked(),
            support: support.get_untracked(),
            sentiment: sentiment.get_untracked(),
            contract_risk: contract_risk.get_untracked(),
            threshold: threshold.get_untracked(),
        };
        let update = match draft.to_update() {
            Ok(update) => update,
            Err(found) => {
                errors.set(found);
                focus_first_invalid();
                return;
            }
        };
        errors.set(FieldErrors::new());
        alert.set(None);
        pending.set(true);
        spawn_local(async move {
            match api::update_settings(&update).await {
                Ok(saved) => {
                    let fresh = HealthSettingsDraft::from_settings(&saved);
                    business.store(saved);
                    usage.set(fresh.usage);
                    support.set(fresh.support);
                    sentiment.set(fresh.sentiment);
                    contract_risk.set(fresh.contract_risk);
                    threshold.set(fresh.threshold);
                    notifier.success("Saved the health settings. The next health snapshot uses them.");
                }
                Err(error) => {
                    errors.set(field_errors(&error));
                    focus_first_invalid();
                    alert.set(Some(alert_for(&error, "save the health settings")));
                }
            }
            pending.set(false);
        });
    };

    let weight = |field: &'static str, label: &'static str, value: RwSignal<String>| {
        view! { <TextField form="settings" field=field label=label value=value errors=errors input_type="number" required=true/> }
    };

    view! {
        <section class="card" aria-labelledby="health-settings-title">
            <div class="card-header">
                <div>
                    <h2 id="health-settings-title">"Health score"</h2>
                    <p>"How much each component counts, and the score at or under which an account is flagged at risk."</p>
                </div>
            </div>
            <AlertSlot alert=alert/>
            <form on:submit=submit novalidate=true>
                <fieldset aria-describedby="settings-health-weights-error">
                    <legend>"Weights, 0 to 100 each"</legend>
                    <p class="field-hint">"Components without input are left out, and the others count in proportion to their weights."</p>
                    <div class="form-grid form-grid-four">
                        {weight(health_settings::USAGE, "Usage", usage)}
                        {weight(health_settings::SUPPORT, "Support", support)}
                        {weight(health_settings::SENTIMENT, "Sentiment", sentiment)}
                        {weight(health_settings::CONTRACT_RISK, "Contract risk", contract_risk)}
                    </div>
                    <FieldMessage errors=errors field=health_settings::WEIGHTS id="settings-health-weights"/>
                </fieldset>
                <div class="form-grid">
                    <TextField
                        form="settings"
                        field=health_settings::THRESHOLD
                        label="At-risk threshold"
                        value=threshold
                        errors=errors
                        input_type="number"
                        required=true
                        hint="A live account whose score is at or under this number is flagged at risk."
                    />
                </div>
                <button type="submit" class="button button-primary" disabled=move || pending.get()>"Save health settings"</button>
            </form>
        </section>
    }
}
