//! Business settings: which roles may sign in to the app.

use api_types::users::{BusinessSettings, BusinessSettingsUpdate};
use crm_core::Role;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::alerts::{alert_for, field_errors, Alert, FieldErrors};
use crate::api;
use crate::components::{AlertSlot, ErrorState, FieldMessage, Loading, PageHeader};
use crate::labels;
use crate::notify::use_notifier;
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
                        Ok(current) => view! { <AllowedRolesForm current=current/> }.into_any(),
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
            match api::update_settings(&BusinessSettingsUpdate { allowed_roles: Some(roles) }).await {
                Ok(saved) => {
                    allowed.set(saved.allowed_roles);
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
