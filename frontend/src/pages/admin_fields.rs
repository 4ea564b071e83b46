//! Custom field definitions of accounts and contacts: add, edit the label, options and
//! required flag, reorder and delete.

use api_types::custom_fields::{CustomField, CustomFieldCreate, CustomFieldReorder, CustomFieldUpdate};
use crm_core::{CustomFieldEntity, CustomFieldId, CustomFieldKind};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::alerts::{alert_for, field_errors, Alert, FieldErrors};
use crate::api;
use crate::components::{
    confirm, focus_first_invalid, AlertSlot, EmptyState, ErrorState, FieldMessage, Loading, PageHeader, SelectField,
    TextField,
};
use crate::forms;
use crate::labels;
use crate::notify::use_notifier;

/// Suggests a key from a label: lower-case ASCII letters, digits and underscores,
/// starting with a letter, as the server requires.
pub fn key_from_label(label: &str) -> String {
    let mut key = String::new();
    for c in label.trim().to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            key.push(c);
        } else if !key.is_empty() && !key.ends_with('_') {
            key.push('_');
        }
    }
    let key = key.trim_end_matches('_').trim_start_matches(|c: char| c.is_ascii_digit() || c == '_');
    key.chars().take(63).collect()
}

/// Splits options typed one per line, dropping blank lines.
fn parse_options(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|line| !line.is_empty()).map(str::to_owned).collect()
}

fn entity_label(entity: CustomFieldEntity) -> &'static str {
    match entity {
        CustomFieldEntity::Account => "Accounts",
        CustomFieldEntity::Contact => "Contacts",
    }
}

#[component]
pub fn CustomFieldsPage() -> impl IntoView {
    let entity = RwSignal::new(CustomFieldEntity::Account);
    let fields = LocalResource::new(move || api::custom_fields(entity.get()));
    let refresh = Callback::new(move |_: ()| fields.refetch());

    view! {
        <PageHeader title="Custom fields" subtitle="Extra fields on accounts and contacts, in the order forms show them."/>
        <div class="segmented" role="group" aria-label="Record type">
            {CustomFieldEntity::ALL
                .iter()
                .map(|choice| {
                    let choice = *choice;
                    view! {
                        <button
                            type="button"
                            class="button"
                            aria-pressed=move || (entity.get() == choice).to_string()
                            on:click=move |_| entity.set(choice)
                        >
                            {entity_label(choice)}
                        </button>
                    }
                })
                .collect_view()}
        </div>
        {move || view! { <AddFieldForm entity=entity.get() on_added=refresh/> }}
        <section class="card card-flush" aria-label="Custom fields">
            <Transition fallback=|| view! { <Loading text="Loading custom fields…"/> }>
                {move || {
                    fields
                        .get()
                        .map(|result| match result {
                            Ok(list) if list.is_empty() => view! {
                                <EmptyState title="No custom fields yet" detail="Add one above; it appears in forms, lists and CSV files."/>
                            }
                            .into_any(),
                            Ok(list) => view! { <FieldTable fields=list entity=entity.get_untracked() on_change=refresh/> }.into_any(),
                            Err(error) => view! {
                                <ErrorState alert=alert_for(&error, "load custom fields") retry=move || fields.refetch()/>
                            }
                            .into_any(),
                        })
                }}
            </Transition>
        </section>
    }
}

#[component]
fn FieldTable(fields: Vec<CustomField>, entity: CustomFieldEntity, on_change: Callback<()>) -> impl IntoView {
    let notifier = use_notifier();
    let editing = RwSignal::new(None::<CustomFieldId>);
    let order: Vec<CustomFieldId> = fields.iter().map(|field| field.id).collect();
    let count = order.len();

    let move_field = move |index: usize, up: bool| {
        let mut ids = order.clone();
        let other = if up { index.checked_sub(1) } else { Some(index + 1).filter(|next| *next < ids.len()) };
        let Some(other) = other else {
            return;
        };
        ids.swap(index, other);
        spawn_local(async move {
            if let Err(error) = api::reorder_custom_fields(&CustomFieldReorder { entity, ids }).await {
                notifier.error(alert_for(&error, "reorder the fields").detail);
            }
            on_change.run(());
        });
    };

    let rows = fields
        .into_iter()
        .enumerate()
        .map(|(index, field)| {
            let id = field.id;
            let label = field.label.clone();
            let remove_label = field.label.clone();
            let move_up = move_field.clone();
            let move_down = move_field.clone();
            let remove = move |_| {
                if !confirm(&format!("Delete the field {remove_label}? Values stored in it stop showing.")) {
                    return;
                }
                let remove_label = remove_label.clone();
                spawn_local(async move {
                    match api::delete_custom_field(id).await {
                        Ok(()) => notifier.success(format!("Deleted the field {remove_label}.")),
                        Err(error) => notifier.error(alert_for(&error, "delete the field").detail),
                    }
                    on_change.run(());
                });
            };
            let edit_field = field.clone();
            view! {
                <tr>
                    <td class="numeric">
                        <div class="order-buttons">
                            <button type="button" class="button button-small button-quiet" aria-label=format!("Move {label} up") disabled={index == 0} on:click=move |_| move_up(index, true)>"↑"</button>
                            <button type="button" class="button button-small button-quiet" aria-label=format!("Move {label} down") disabled={index + 1 >= count} on:click=move |_| move_down(index, false)>"↓"</button>
                        </div>
                    </td>
                    <td class="cell-primary"><span class="contact-name">{field.label.clone()}</span></td>
                    <td><code>{field.key.clone()}</code></td>
                    <td>{labels::custom_field_kind(field.kind)}</td>
                    <td>{if field.required { "Required" } else { "Optional" }}</td>
                    <td class="muted">{field.options.join(", ")}</td>
                    <td>
                        <button type="button" class="button button-small" aria-label=format!("Edit {label}") on:click=move |_| editing.set(Some(id))>"Edit"</button>
                        " "
                        <button type="button" class="button button-small button-danger" aria-label=format!("Delete {label}") on:click=remove>"Delete"</button>
                    </td>
                </tr>
                <Show when=move || editing.get() == Some(id)>
                    <tr>
                        <td colspan="7">
                            <EditFieldForm field=edit_field.clone() on_done=Callback::new(move |saved: bool| {
                                editing.set(None);
                                if saved {
                                    on_change.run(());
                                }
                            })/>
                        </td>
                    </tr>
                </Show>
            }
        })
        .collect_view();

    view! {
        <div class="table-wrap">
            <table class="table">
                <thead>
                    <tr>
                        <th scope="col" class="numeric">"Order"</th>
                        <th scope="col">"Label"</th>
                        <th scope="col">"Key"</th>
                        <th scope="col">"Type"</th>
                        <th scope="col">"Required"</th>
                        <th scope="col">"Options"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// Renders a textarea of options, one per line, with its error message.
#[component]
fn OptionsField(#[prop(into)] form: String, value: RwSignal<String>, errors: RwSignal<FieldErrors>) -> impl IntoView {
    let id = format!("{form}-options");
    view! {
        <div class="field field-wide">
            <label for=id.clone()>"Options, one per line"</label>
            <textarea id=id.clone() rows="4" prop:value=move || value.get() on:input=move |event| value.set(event_target_value(&event))></textarea>
            <FieldMessage errors=errors field="options" id=id/>
        </div>
    }
}

#[component]
fn AddFieldForm(entity: CustomFieldEntity, on_added: Callback<()>) -> impl IntoView {
    let notifier = use_notifier();
    let label = RwSignal::new(String::new());
    let key = RwSignal::new(String::new());
    let key_edited = RwSignal::new(false);
    let kind = RwSignal::new(CustomFieldKind::Text.to_string());
    let options = RwSignal::new(String::new());
    let required = RwSignal::new(false);
    let errors = RwSignal::new(FieldErrors::new());
    let alert = RwSignal::new(None::<Alert>);
    let pending = RwSignal::new(false);
    let kinds: Vec<(String, String)> = CustomFieldKind::ALL
        .iter()
        .map(|kind| (kind.to_string(), labels::custom_field_kind(*kind).to_owned()))
        .collect();

    // The key follows the label until the admin types a key of their own.
    Effect::new(move |_| {
        let suggested = key_from_label(&label.get());
        if !key_edited.get_untracked() {
            key.set(suggested);
        }
    });
    let is_select = move || kind.get() == CustomFieldKind::SingleSelect.as_str();

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let mut found = FieldErrors::new();
        forms::require(&mut found, "label", &label.get_untracked(), "a label");
        if let Err(message) = crm_core::custom_field::validate_key(&key.get_untracked()) {
            found.insert("key".into(), format!("The key {message}."));
        }
        let chosen = kind.get_untracked().parse::<CustomFieldKind>().unwrap_or(CustomFieldKind::Text);
        let option_list =
            if chosen == CustomFieldKind::SingleSelect { parse_options(&options.get_untracked()) } else { Vec::new() };
        if chosen == CustomFieldKind::SingleSelect && option_list.is_empty() {
            found.insert("options".into(), "Enter at least one option.".into());
        }
        errors.set(found.clone());
        if !found.is_empty() {
            focus_first_invalid();
            return;
        }

        let request = CustomFieldCreate {
            entity,
            key: key.get_untracked(),
            label: label.get_untracked().trim().to_owned(),
            kind: chosen,
            options: option_list,
            required: required.get_untracked(),
        };
        alert.set(None);
        pending.set(true);
        spawn_local(async move {
            match api::create_custom_field(&request).await {
                Ok(field) => {
                    notifier.success(format!("Added the field {}.", field.label));
                    label.set(String::new());
                    key_edited.set(false);
                    key.set(String::new());
                    options.set(String::new());
                    required.set(false);
                    on_added.run(());
                }
                Err(error) => {
                    errors.set(field_errors(&error));
                    focus_first_invalid();
                    alert.set(Some(alert_for(&error, "add the field")));
                }
            }
            pending.set(false);
        });
    };

    view! {
        <section class="card" aria-labelledby="add-field-title">
            <div class="card-header">
                <h2 id="add-field-title">{format!("Add a field to {}", entity_label(entity).to_lowercase())}</h2>
            </div>
            <AlertSlot alert=alert/>
            <form class="form-grid" on:submit=submit novalidate=true>
                <TextField form="field" field="label" label="Label" value=label errors=errors required=true placeholder="Contract tier"/>
                <div on:input=move |_| key_edited.set(true)>
                    <TextField form="field" field="key" label="Key" value=key errors=errors required=true hint="Used in the API and CSV files; fixed once created."/>
                </div>
                <SelectField form="field" field="kind" label="Type" value=kind errors=errors options=Signal::stored(kinds)/>
                <div class="field">
                    <span class="field-label">"Required"</span>
                    <label class="checkbox">
                        <input type="checkbox" prop:checked=move || required.get() on:change=move |event| required.set(event_target_checked(&event))/>
                        "Every record must have a value"
                    </label>
                </div>
                <Show when=is_select>
                    <OptionsField form="field" value=options errors=errors/>
                </Show>
                <div class="field-wide">
                    <button type="submit" class="button button-primary" disabled=move || pending.get()>"Add field"</button>
                </div>
            </form>
        </section>
    }
}

#[component]
fn EditFieldForm(field: CustomField, on_done: Callback<bool>) -> impl IntoView {
    let notifier = use_notifier();
    let form = format!("field-{}", field.id);
    let label = RwSignal::new(field.label.clone());
    let options = RwSignal::new(field.options.join("\n"));
    let required = RwSignal::new(field.required);
    let errors = RwSignal::new(FieldErrors::new());
    let alert = RwSignal::new(None::<Alert>);
    let pending = RwSignal::new(false);
    let is_select = field.kind == CustomFieldKind::SingleSelect;
    let id = field.id;

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        let mut found = FieldErrors::new();
        forms::require(&mut found, "label", &label.get_untracked(), "a label");
        let option_list = parse_options(&options.get_untracked());
        if is_select && option_list.is_empty() {
            found.insert("options".into(), "Enter at least one option.".into());
        }
        errors.set(found.clone());
        if !found.is_empty() {
            focus_first_invalid();
            return;
        }
        let request = CustomFieldUpdate {
            label: Some(label.get_untracked().trim().to_owned()),
            options: is_select.then_some(option_list),
            required: Some(required.get_untracked()),
        };
        pending.set(true);
        spawn_local(async move {
            match api::update_custom_field(id, &request).await {
                Ok(saved) => {
                    notifier.success(format!("Saved the field {}.", saved.label));
                    on_done.run(true);
                }
                Err(error) => {
                    errors.set(field_errors(&error));
                    focus_first_invalid();
                    alert.set(Some(alert_for(&error, "save the field")));
                }
            }
            pending.set(false);
        });
    };

    view! {
        <form class="subform form-grid" on:submit=submit novalidate=true aria-label=format!("Edit {}", field.label)>
            <AlertSlot alert=alert/>
            <TextField form=form.clone() field="label" label="Label" value=label errors=errors required=true/>
            <div class="field">
                <span class="field-label">"Required"</span>
                <label class="checkbox">
                    <input type="checkbox" prop:checked=move || required.get() on:change=move |event| required.set(event_target_checked(&event))/>
                    "Every record must have a value"
                </label>
            </div>
            {is_select.then(|| view! { <OptionsField form=form.clone() value=options errors=errors/> })}
            <div class="field-wide button-row">
                <button type="submit" class="button button-primary" disabled=move || pending.get()>"Save field"</button>
                <button type="button" class="button" on:click=move |_| on_done.run(false)>"Cancel"</button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_follows_label_rules() {
        assert_eq!(key_from_label("Contract tier"), "contract_tier");
        assert_eq!(key_from_label("  ARR (USD) "), "arr_usd");
        assert_eq!(key_from_label("2024 budget"), "budget");
        assert_eq!(key_from_label("Ünïcode—name"), "n_code_name");
    }

    #[test]
    fn options_skip_blank_lines() {
        assert_eq!(parse_options("Gold\n\n Silver \n"), vec!["Gold", "Silver"]);
    }
}
