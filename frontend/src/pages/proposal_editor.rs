//! The editor of a draft proposal: the uplift and the lines (add, remove, edit), saved in
//! one partial update. Errors of the server's checks show next to their fields.

use api_types::proposals::Proposal;
use crm_core::BillingInterval;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::alerts::{alert_for, field_errors, Alert, FieldErrors, Severity};
use crate::api;
use crate::components::{clear_error, focus_first_invalid, FieldMessage};
use crate::labels;
use crate::notify::use_notifier;
use crate::proposal_draft::{is_empty_update, line_field, ProposalDraft};

const UPLIFT_ID: &str = "proposal-uplift";

fn invalid_alert() -> Alert {
    Alert {
        severity: Severity::Error,
        title: "Check the highlighted fields".into(),
        detail: "Some fields need a change before the proposal can be saved.".into(),
    }
}

#[component]
pub fn DraftEditor(proposal: RwSignal<Proposal>, alert: RwSignal<Option<Alert>>) -> impl IntoView {
    let notifier = use_notifier();
    let draft = RwSignal::new(ProposalDraft::from_proposal(&proposal.get_untracked()));
    let errors = RwSignal::new(FieldErrors::new());
    let pending = RwSignal::new(false);

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let saved = proposal.get_untracked();
        let update = match draft.with_untracked(|draft| draft.to_update(&saved)) {
            Ok(update) => update,
            Err(found) => {
                errors.set(found);
                focus_first_invalid();
                alert.set(Some(invalid_alert()));
                return;
            }
        };
        errors.set(FieldErrors::new());
        alert.set(None);
        if is_empty_update(&update) {
            notifier.info("Nothing to save: the draft has no changes.");
            return;
        }

        pending.set(true);
        spawn_local(async move {
            match api::update_proposal(&saved.id, &update).await {
                Ok(updated) => {
                    notifier.success("Saved the proposal.");
                    draft.set(ProposalDraft::from_proposal(&updated));
                    proposal.set(updated);
                }
                Err(error) => {
                    errors.set(field_errors(&error));
                    alert.set(Some(alert_for(&error, "save the proposal")));
                    if error.status() == Some(409) {
                        // Someone moved the proposal on; show it as it is now, read-only.
                        if let Ok(current) = api::get_proposal(&saved.id).await {
                            proposal.set(current);
                        }
                    } else {
                        focus_first_invalid();
                    }
                }
            }
            pending.set(false);
        });
    };

    let add_line = move |_| {
        draft.update(|draft| {
            draft.add_line();
        });
        clear_error(errors, "lines");
    };
    let line_keys = move || draft.with(|draft| draft.lines.iter().map(|line| line.key).collect::<Vec<_>>());

    view! {
        <section class="card" aria-labelledby="proposal-edit-title">
            <div class="card-header">
                <div>
                    <h2 id="proposal-edit-title">"Edit the draft"</h2>
                    <p>"Prices are in major units of the proposal's currency, before the uplift."</p>
                </div>
            </div>
            <form class="proposal-form" on:submit=on_submit novalidate=true>
                <div class="field field-uplift">
                    <label for=UPLIFT_ID>"Uplift (%)"</label>
                    <input
                        id=UPLIFT_ID
                        name="uplift_percentage"
                        type="number"
                        inputmode="decimal"
                        min="0"
                        max="100"
                        step="0.01"
                        aria-invalid=move || errors.with(|errors| errors.contains_key("uplift_percentage")).then_some("true")
                        aria-describedby=move || {
                            errors
                                .with(|errors| errors.contains_key("uplift_percentage"))
                                .then(|| format!("{UPLIFT_ID}-error"))
                        }
                        prop:value=move || draft.with(|draft| draft.uplift.clone())
                        on:input=move |event| {
                            draft.update(|draft| draft.uplift = event_target_value(&event));
                            clear_error(errors, "uplift_percentage");
                        }
                    />
                    <p class="field-hint">"0 to 100, with up to two decimals."</p>
                    <FieldMessage errors=errors field="uplift_percentage" id=UPLIFT_ID/>
                </div>
                <div class="table-wrap">
                    <table class="table line-editor" aria-label="Lines to save">
                        <thead>
                            <tr>
                                <th scope="col">"Description"</th>
                                <th scope="col">"Quantity"</th>
                                <th scope="col">{move || format!("List price ({})", draft.with(|draft| draft.currency.clone()))}</th>
                                <th scope="col">"Interval"</th>
                                <th scope="col"><span class="visually-hidden">"Remove"</span></th>
                            </tr>
                        </thead>
                        <tbody>
                            <For each=line_keys key=|key| *key let:key>
                                <LineRow key=key draft=draft errors=errors/>
                            </For>
                        </tbody>
                    </table>
                </div>
                <FieldMessage errors=errors field="lines" id="proposal-lines"/>
                <div class="button-row">
                    <button type="button" class="button" on:click=add_line>"Add line"</button>
                    <button type="submit" class="button button-primary" disabled=move || pending.get()>
                        {move || if pending.get() { "Saving…" } else { "Save changes" }}
                    </button>
                </div>
            </form>
        </section>
    }
}

/// Renders one line's inputs. The line's position, which names its fields in the API's
/// errors, changes when a line above it is removed.
#[component]
fn LineRow(key: u32, draft: RwSignal<ProposalDraft>, errors: RwSignal<FieldErrors>) -> impl IntoView {
    let index = Memo::new(move |_| draft.with(|draft| draft.index_of(key)).unwrap_or_default());
    let text = move |read: fn(&crate::proposal_draft::LineDraft) -> String| {
        move || draft.with(|draft| draft.line(key).map(read).unwrap_or_default())
    };
    let message = move |name: &'static str| {
        move || {
            let field = line_field(index.get(), name);
            errors.with(|errors| errors.get(&field).cloned()).map(|message| {
                view! { <p class="field-error" id=format!("line-{key}-{name}-error")>{message}</p> }
            })
        }
    };
    let has_error = move |name: &'static str| {
        move || errors.with(|errors| errors.contains_key(&line_field(index.get(), name))).then_some("true")
    };
    let edit = move |name: &'static str, change: fn(&mut crate::proposal_draft::LineDraft, String)| {
        move |event| {
            let value = event_target_value(&event);
            draft.update(|draft| draft.edit_line(key, |line| change(line, value)));
            clear_error(errors, &line_field(index.get_untracked(), name));
        }
    };
    let remove = move |_| {
        draft.update(|draft| draft.remove_line(key));
        // The positions below the removed line shift, so their messages no longer fit.
        errors.update(|errors| errors.retain(|field, _| !field.starts_with("lines")));
    };
    let number = move || index.get() + 1;

    view! {
        <tr data-line-key=key>
            <td>
                <input
                    type="text"
                    class="input-wide"
                    aria-label=move || format!("Description of line {}", number())
                    aria-invalid=has_error("description")
                    prop:value=text(|line| line.description.clone())
                    on:input=edit("description", |line, value| line.description = value)
                />
                {message("description")}
            </td>
            <td>
                <input
                    type="number"
                    class="input-narrow"
                    min="1"
                    step="1"
                    aria-label=move || format!("Quantity of line {}", number())
                    aria-invalid=has_error("quantity")
                    prop:value=text(|line| line.quantity.clone())
                    on:input=edit("quantity", |line, value| line.quantity = value)
                />
                {message("quantity")}
            </td>
            <td>
                <input
                    type="text"
                    class="input-narrow"
                    inputmode="decimal"
                    aria-label=move || format!("List price of line {}", number())
                    aria-invalid=has_error("list_unit_amount")
                    prop:value=text(|line| line.list_price.clone())
                    on:input=edit("list_unit_amount", |line, value| line.list_price = value)
                />
                {message("list_unit_amount")}
            </td>
            <td>
                <select
                    aria-label=move || format!("Interval of line {}", number())
                    prop:value=move || {
                        draft.with(|draft| draft.line(key).map(|line| line.interval.to_string()).unwrap_or_default())
                    }
                    on:change=move |event| {
                        let interval = event_target_value(&event).parse::<BillingInterval>().ok();
                        if let Some(interval) = interval {
                            draft.update(|draft| draft.edit_line(key, |line| line.interval = interval));
                        }
                    }
                >
                    {[BillingInterval::Year, BillingInterval::Month]
                        .into_iter()
                        .map(|interval| view! { <option value=interval.to_string()>{labels::billing_interval(interval)}</option> })
                        .collect_view()}
                </select>
            </td>
            <td>
                <button
                    type="button"
                    class="button button-quiet button-small"
                    aria-label=move || format!("Remove line {}", number())
                    on:click=remove
                >
                    "Remove"
                </button>
            </td>
        </tr>
    }
}
