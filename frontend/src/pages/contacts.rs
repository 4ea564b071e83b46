//! An account's contacts with their role badges, and the forms that add, change and
//! remove them.

use std::collections::BTreeMap;

use api_types::accounts::{Contact, ContactCreate, ContactUpdate};
use crm_core::{AccountId, ContactId, CustomFieldDefinition, CustomFieldEntity};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::alerts::{alert_for, field_errors, Alert, FieldErrors};
use crate::api::{self, ApiError};
use crate::components::{confirm, focus_first_invalid, AlertSlot, EmptyState, ErrorState, Loading, TextField};
use crate::forms;
use crate::notify::use_notifier;

/// Lists the role flags of a contact with their labels and badge classes.
fn role_badges(contact: &Contact) -> Vec<(&'static str, &'static str)> {
    let mut badges = Vec::new();
    if contact.champion {
        badges.push(("Champion", "badge badge-champion"));
    }
    if contact.economic_buyer {
        badges.push(("Economic buyer", "badge badge-contact"));
    }
    if contact.technical_buyer {
        badges.push(("Technical buyer", "badge badge-contact"));
    }
    if contact.detractor {
        badges.push(("Detractor", "badge badge-detractor"));
    }
    badges
}

async fn load(account_id: AccountId) -> Result<(Vec<Contact>, Vec<CustomFieldDefinition>), ApiError> {
    let contacts = api::list_contacts(account_id).await?;
    let definitions = api::custom_fields(CustomFieldEntity::Contact).await?;
    Ok((contacts.items, definitions))
}

/// The form of the card that is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Editing {
    Nothing,
    New,
    Contact(ContactId),
}

#[component]
pub fn ContactsCard(account_id: AccountId) -> impl IntoView {
    let notifier = use_notifier();
    let loaded = LocalResource::new(move || load(account_id));
    let editing = RwSignal::new(Editing::Nothing);
    let saved = Callback::new(move |_: ()| {
        editing.set(Editing::Nothing);
        loaded.refetch();
    });

    let remove = move |contact: Contact| {
        if !confirm(&format!("Remove {} from this account?", contact.name)) {
            return;
        }
        spawn_local(async move {
            match api::delete_contact(contact.id).await {
                Ok(()) => {
                    notifier.success(format!("Removed {}.", contact.name));
                    loaded.refetch();
                }
                Err(error) => notifier.error(alert_for(&error, "remove the contact").detail),
            }
        });
    };

    view! {
        <section class="card" aria-labelledby="contacts-title">
            <div class="card-header">
                <h2 id="contacts-title">"Contacts"</h2>
                <button
                    type="button"
                    class="button button-small"
                    disabled=move || editing.get() == Editing::New
                    on:click=move |_| editing.set(Editing::New)
                >
                    "Add contact"
                </button>
            </div>
            <Suspense fallback=|| view! { <Loading text="Loading contacts…"/> }>
                {move || {
                    loaded
                        .get()
                        .map(|result| match result {
                            Ok((contacts, definitions)) => {
                                let new_form = (editing.get() == Editing::New).then(|| {
                                    view! {
                                        <ContactForm
                                            account_id=account_id
                                            contact=None
                                            definitions=definitions.clone()
                                            on_saved=saved
                                            on_cancel=Callback::new(move |_| editing.set(Editing::Nothing))
                                        />
                                    }
                                });
                                let empty = (contacts.is_empty() && editing.get() != Editing::New).then(|| {
                                    view! {
                                        <EmptyState
                                            title="No contacts yet"
                                            detail="Add the people you work with and mark the champion and the buyers."
                                        />
                                    }
                                });
                                let rows = contacts
                                    .into_iter()
                                    .map(|contact| {
                                        if editing.get() == Editing::Contact(contact.id) {
                                            view! {
                                                <li class="contact-item">
                                                    <ContactForm
                                                        account_id=account_id
                                                        contact=Some(contact)
                                                        definitions=definitions.clone()
                                                        on_saved=saved
                                                        on_cancel=Callback::new(move |_| editing.set(Editing::Nothing))
                                                    />
                                                </li>
                                            }
                                            .into_any()
                                        } else {
                                            view! { <ContactRow contact=contact editing=editing on_remove=Callback::new(remove)/> }.into_any()
                                        }
                                    })
                                    .collect_view();
                                view! {
                                    {new_form}
                                    {empty}
                                    <ul class="contact-list">{rows}</ul>
                                }
                                .into_any()
                            }
                            Err(error) => view! {
                                <ErrorState alert=alert_for(&error, "load the contacts") retry=move || loaded.refetch()/>
                            }
                            .into_any(),
                        })
                }}
            </Suspense>
        </section>
    }
}

#[component]
fn ContactRow(contact: Contact, editing: RwSignal<Editing>, on_remove: Callback<Contact>) -> impl IntoView {
    let badges = role_badges(&contact)
        .into_iter()
        .map(|(label, class)| view! { <span class=class>{label}</span> })
        .collect_view();
    let meta: Vec<String> = [contact.title.clone(), contact.email.clone()].into_iter().flatten().collect();
    let id = contact.id;
    let name = contact.name.clone();
    view! {
        <li class="contact-item">
            <div>
                <p class="contact-name">{contact.name.clone()}</p>
                {(!meta.is_empty()).then(|| view! { <p class="contact-meta">{meta.join(" · ")}</p> })}
                <div class="contact-badges">{badges}</div>
            </div>
            <div class="contact-actions">
                <button
                    type="button"
                    class="button button-small button-quiet"
                    aria-label=format!("Edit {name}")
                    on:click=move |_| editing.set(Editing::Contact(id))
                >
                    "Edit"
                </button>
                <button
                    type="button"
                    class="button button-small button-quiet button-danger"
                    aria-label=format!("Remove {name}")
                    on:click=move |_| on_remove.run(contact.clone())
                >
                    "Remove"
                </button>
            </div>
        </li>
    }
}

#[component]
fn ContactForm(
    account_id: AccountId,
    contact: Option<Contact>,
    definitions: Vec<CustomFieldDefinition>,
    on_saved: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let notifier = use_notifier();
    let existing = contact.as_ref().map(|contact| contact.id);
    let form = match existing {
        Some(id) => format!("contact-{id}"),
        None => "contact-new".to_owned(),
    };
    let start = contact.clone();
    let name = RwSignal::new(start.as_ref().map(|c| c.name.clone()).unwrap_or_default());
    let email = RwSignal::new(start.as_ref().and_then(|c| c.email.clone()).unwrap_or_default());
    let title = RwSignal::new(start.as_ref().and_then(|c| c.title.clone()).unwrap_or_default());
    let champion = RwSignal::new(start.as_ref().is_some_and(|c| c.champion));
    let economic_buyer = RwSignal::new(start.as_ref().is_some_and(|c| c.economic_buyer));
    let technical_buyer = RwSignal::new(start.as_ref().is_some_and(|c| c.technical_buyer));
    let detractor = RwSignal::new(start.as_ref().is_some_and(|c| c.detractor));
    let custom: BTreeMap<String, RwSignal<String>> = definitions
        .iter()
        .map(|definition| {
            let text = forms::custom_value_text(start.as_ref().and_then(|c| c.custom_fields.get(&definition.key)));
            (definition.key.clone(), RwSignal::new(text))
        })
        .collect();
    let errors = RwSignal::new(FieldErrors::new());
    let alert = RwSignal::new(None::<Alert>);
    let pending = RwSignal::new(false);
    let definitions = StoredValue::new(definitions);
    let custom = StoredValue::new(custom);

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let mut found = FieldErrors::new();
        forms::require(&mut found, "name", &name.get_untracked(), "a name");
        forms::check_email(&mut found, "email", &email.get_untracked());
        let text_of = |key: &str| {
            custom.with_value(|custom| custom.get(key).map(|value| value.get_untracked()).unwrap_or_default())
        };
        let custom_fields =
            definitions.with_value(|definitions| forms::custom_values(definitions, text_of, &mut found));
        errors.set(found.clone());
        if !found.is_empty() {
            focus_first_invalid();
            return;
        }

        let create = ContactCreate {
            name: name.get_untracked().trim().to_owned(),
            email: forms::optional(&email.get_untracked()),
            title: forms::optional(&title.get_untracked()),
            champion: champion.get_untracked(),
            economic_buyer: economic_buyer.get_untracked(),
            technical_buyer: technical_buyer.get_untracked(),
            detractor: detractor.get_untracked(),
            custom_fields,
        };
        alert.set(None);
        pending.set(true);
        spawn_local(async move {
            let result = match existing {
                None => {
                    let custom_fields =
                        create.custom_fields.clone().into_iter().filter(|(_, value)| !value.is_null()).collect();
                    api::create_contact(account_id, &ContactCreate { custom_fields, ..create.clone() }).await
                }
                Some(id) => {
                    let update = ContactUpdate {
                        name: Some(create.name.clone()),
                        email: Some(create.email.clone()),
                        title: Some(create.title.clone()),
                        champion: Some(create.champion),
                        economic_buyer: Some(create.economic_buyer),
                        technical_buyer: Some(create.technical_buyer),
                        detractor: Some(create.detractor),
                        custom_fields: (!create.custom_fields.is_empty()).then(|| create.custom_fields.clone()),
                    };
                    api::update_contact(id, &update).await
                }
            };
            match result {
                Ok(saved) => {
                    let verb = if existing.is_some() { "Saved" } else { "Added" };
                    notifier.success(format!("{verb} {}.", saved.name));
                    on_saved.run(());
                }
                Err(error) => {
                    errors.set(field_errors(&error));
                    focus_first_invalid();
                    alert.set(Some(alert_for(&error, "save the contact")));
                }
            }
            pending.set(false);
        });
    };

    let flag = |label: &'static str, value: RwSignal<bool>| {
        view! {
            <label class="checkbox">
                <input type="checkbox" prop:checked=move || value.get() on:change=move |event| value.set(event_target_checked(&event))/>
                {label}
            </label>
        }
    };
    let custom_inputs = definitions.with_value(|definitions| {
        definitions
            .iter()
            .map(|definition| {
                let value = custom
                    .with_value(|custom| custom.get(&definition.key).copied())
                    .unwrap_or_else(|| RwSignal::new(String::new()));
                let input_type = match definition.kind {
                    crm_core::CustomFieldKind::Number => "number",
                    crm_core::CustomFieldKind::Date => "date",
                    _ => "text",
                };
                let hint = match definition.kind {
                    crm_core::CustomFieldKind::Boolean => Some("true or false".to_owned()),
                    crm_core::CustomFieldKind::SingleSelect => {
                        Some(format!("One of: {}", definition.options.join(", ")))
                    }
                    _ => None,
                };
                view! {
                    <TextField
                        form=form.clone()
                        field=forms::custom_field_name(&definition.key)
                        label=definition.label.clone()
                        value=value
                        errors=errors
                        input_type=input_type
                        required=definition.required
                        hint=hint.unwrap_or_default()
                    />
                }
            })
            .collect_view()
    });
    let heading = if existing.is_some() { "Edit contact" } else { "New contact" };

    view! {
        <form class="subform" on:submit=submit novalidate=true aria-label=heading>
            <h3>{heading}</h3>
            <AlertSlot alert=alert/>
            <TextField form=form.clone() field="name" label="Name" value=name errors=errors required=true/>
            <TextField form=form.clone() field="title" label="Job title" value=title errors=errors/>
            <TextField form=form.clone() field="email" label="Email" value=email errors=errors input_type="email"/>
            <fieldset>
                <legend>"Roles"</legend>
                <div class="checkbox-grid">
                    {flag("Champion", champion)}
                    {flag("Economic buyer", economic_buyer)}
                    {flag("Technical buyer", technical_buyer)}
                    {flag("Detractor", detractor)}
                </div>
            </fieldset>
            {custom_inputs}
            <div class="button-row">
                <button type="submit" class="button button-primary" disabled=move || pending.get()>
                    {move || if pending.get() { "Saving…" } else if existing.is_some() { "Save contact" } else { "Add contact" }}
                </button>
                <button type="button" class="button" on:click=move |_| on_cancel.run(())>"Cancel"</button>
            </div>
        </form>
    }
}
