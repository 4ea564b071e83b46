//! The account form, used to create an account and to edit one: built-in fields, the
//! at-risk flag with its reasons, owners, and the business's custom fields.

use std::collections::BTreeMap;

use api_types::users::User;
use crm_core::{AtRiskReason, CustomFieldDefinition, CustomFieldKind, Stage};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::account_draft::AccountDraft;
use crate::alerts::{Alert, FieldErrors};
use crate::components::{
    clear_error, described_by, input_id, invalid, AlertSlot, FieldMessage, SelectField, TextField,
};
use crate::forms;
use crate::labels;

const FORM: &str = "account";

#[component]
pub fn AccountForm(
    initial: AccountDraft,
    definitions: Vec<CustomFieldDefinition>,
    users: Vec<User>,
    #[prop(into)] submit_label: String,
    on_submit: Callback<AccountDraft>,
    #[prop(optional)] on_cancel: Option<Callback<()>>,
    errors: RwSignal<FieldErrors>,
    alert: RwSignal<Option<Alert>>,
    #[prop(into)] pending: Signal<bool>,
) -> impl IntoView {
    let name = RwSignal::new(initial.name);
    let domain = RwSignal::new(initial.domain);
    let industry = RwSignal::new(initial.industry);
    let stage = RwSignal::new(initial.stage.to_string());
    let at_risk = RwSignal::new(initial.at_risk);
    let reasons = RwSignal::new(initial.reasons);
    let csm_id = RwSignal::new(initial.csm_id);
    let ae_id = RwSignal::new(initial.ae_id);
    let renewal_date = RwSignal::new(initial.renewal_date);
    let billing_customer_id = RwSignal::new(initial.billing_customer_id);
    let external_id = RwSignal::new(initial.external_id);
    let custom = RwSignal::new(initial.custom);

    let stage_options: Vec<(String, String)> =
        Stage::ALL.iter().map(|stage| (stage.to_string(), stage.label().to_owned())).collect();
    let user_options: Vec<(String, String)> =
        users.iter().map(|user| (user.id.to_string(), format!("{} ({})", user.name, user.email))).collect();

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let draft = AccountDraft {
            name: name.get_untracked(),
            domain: domain.get_untracked(),
            industry: industry.get_untracked(),
            stage: stage.get_untracked().parse().unwrap_or(Stage::Active),
            at_risk: at_risk.get_untracked(),
            reasons: reasons.get_untracked(),
            csm_id: csm_id.get_untracked(),
            ae_id: ae_id.get_untracked(),
            renewal_date: renewal_date.get_untracked(),
            billing_customer_id: billing_customer_id.get_untracked(),
            external_id: external_id.get_untracked(),
            custom: custom.get_untracked(),
        };
        on_submit.run(draft);
    };

    let custom_inputs = definitions
        .into_iter()
        .map(|definition| view! { <CustomFieldInput definition=definition values=custom errors=errors/> })
        .collect_view();
    let has_custom = !custom_inputs.is_empty();

    view! {
        <form class="account-form" on:submit=submit novalidate=true>
            <AlertSlot alert=alert/>
            <div class="form-grid">
                <TextField form=FORM field="name" label="Name" value=name errors=errors required=true/>
                <TextField form=FORM field="domain" label="Domain" value=domain errors=errors placeholder="example.com" hint="A host name or website address."/>
                <SelectField form=FORM field="stage" label="Stage" value=stage errors=errors options=Signal::stored(stage_options)/>
                <TextField form=FORM field="industry" label="Industry" value=industry errors=errors/>
                <SelectField form=FORM field="csm_id" label="CSM" value=csm_id errors=errors options=Signal::stored(user_options.clone()) empty="Nobody"/>
                <SelectField form=FORM field="ae_id" label="AE" value=ae_id errors=errors options=Signal::stored(user_options) empty="Nobody"/>
                <TextField form=FORM field="renewal_date" label="Renewal date" value=renewal_date errors=errors input_type="date"/>
                <TextField form=FORM field="billing_customer_id" label="Billing customer ID" value=billing_customer_id errors=errors/>
                <TextField form=FORM field="external_id" label="CRM record ID" value=external_id errors=errors/>
                <div class="field field-wide">
                    <label class="checkbox">
                        <input
                            type="checkbox"
                            id=input_id(FORM, "at_risk")
                            prop:checked=move || at_risk.get()
                            on:change=move |event| at_risk.set(event_target_checked(&event))
                        />
                        "At risk"
                    </label>
                </div>
                <Show when=move || at_risk.get()>
                    <fieldset class="field-wide">
                        <legend>"Why is it at risk?"</legend>
                        <ReasonPicker reasons=reasons/>
                        <FieldMessage errors=errors field="at_risk_reasons" id=input_id(FORM, "at_risk_reasons")/>
                    </fieldset>
                </Show>
                {has_custom.then(|| view! { <h3 class="form-section-title">"Custom fields"</h3> })}
                {custom_inputs}
            </div>
            <div class="button-row">
                <button type="submit" class="button button-primary" disabled=move || pending.get()>
                    {move || if pending.get() { "Saving…".to_owned() } else { submit_label.clone() }}
                </button>
                {on_cancel.map(|cancel| view! {
                    <button type="button" class="button" on:click=move |_| cancel.run(())>"Cancel"</button>
                })}
            </div>
        </form>
    }
}

/// Checkboxes of the at-risk reasons.
#[component]
fn ReasonPicker(reasons: RwSignal<Vec<AtRiskReason>>) -> impl IntoView {
    let boxes = AtRiskReason::ALL
        .iter()
        .map(|reason| {
            let reason = *reason;
            let checked = move || reasons.with(|reasons| reasons.contains(&reason));
            let toggle = move |_| {
                reasons.update(|reasons| {
                    if let Some(index) = reasons.iter().position(|existing| *existing == reason) {
                        reasons.remove(index);
                    } else {
                        reasons.push(reason);
                    }
                });
            };
            view! {
                <label class="checkbox">
                    <input type="checkbox" prop:checked=checked on:change=toggle/>
                    {labels::at_risk_reason(reason)}
                </label>
            }
        })
        .collect_view();
    view! { <div class="checkbox-grid">{boxes}</div> }
}

/// Renders one custom field's input, chosen by the field's kind.
#[component]
fn CustomFieldInput(
    definition: CustomFieldDefinition,
    values: RwSignal<BTreeMap<String, String>>,
    errors: RwSignal<FieldErrors>,
) -> impl IntoView {
    let field = forms::custom_field_name(&definition.key);
    let id = input_id(FORM, &field);
    let key = definition.key.clone();
    let value = {
        let key = key.clone();
        move || values.with(|values| values.get(&key).cloned().unwrap_or_default())
    };
    let set = {
        let field = field.clone();
        move |text: String| {
            values.update(|values| {
                values.insert(key.clone(), text);
            });
            clear_error(errors, &field);
        }
    };

    let input = match definition.kind {
        CustomFieldKind::Text | CustomFieldKind::Number | CustomFieldKind::Date => {
            let input_type = match definition.kind {
                CustomFieldKind::Number => "number",
                CustomFieldKind::Date => "date",
                _ => "text",
            };
            view! {
                <input
                    id=id.clone()
                    type=input_type
                    step="any"
                    aria-invalid=invalid(errors, &field)
                    aria-describedby=described_by(errors, &field, &id)
                    prop:value=value
                    on:input=move |event| set(event_target_value(&event))
                />
            }
            .into_any()
        }
        CustomFieldKind::Boolean | CustomFieldKind::SingleSelect => {
            let choices: Vec<(String, String)> = if definition.kind == CustomFieldKind::Boolean {
                vec![("true".into(), "Yes".into()), ("false".into(), "No".into())]
            } else {
                definition.options.iter().map(|option| (option.clone(), option.clone())).collect()
            };
            let current = value();
            view! {
                <select
                    id=id.clone()
                    aria-invalid=invalid(errors, &field)
                    aria-describedby=described_by(errors, &field, &id)
                    on:change=move |event| set(event_target_value(&event))
                >
                    <option value="">"Not set"</option>
                    {choices
                        .into_iter()
                        .map(|(choice, text)| {
                            let selected = choice == current;
                            view! { <option value=choice selected=selected>{text}</option> }
                        })
                        .collect_view()}
                </select>
            }
            .into_any()
        }
    };

    view! {
        <div class="field">
            <label for=id.clone()>
                {definition.label.clone()}
                {definition.required.then(|| view! { <span class="required" aria-hidden="true">" *"</span> })}
            </label>
            {input}
            <FieldMessage errors=errors field=field.clone() id=id.clone()/>
        </div>
    }
}
