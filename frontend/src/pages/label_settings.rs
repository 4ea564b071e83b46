//! The settings page's form for the words the app shows for accounts, CSMs and stages.

use api_types::settings::FieldLabels;
use api_types::users::BusinessSettings;
use crm_core::Stage;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::alerts::{Alert, FieldErrors};
use crate::business_settings::{self, labels_update, stage_label_field};
use crate::components::{AlertSlot, TextField};
use crate::notify::use_notifier;
use crate::pages::feature_settings::save_settings;

/// One input signal per label.
#[derive(Clone, Copy)]
struct LabelInputs {
    account: RwSignal<String>,
    csm: RwSignal<String>,
    stages: StoredValue<Vec<(Stage, RwSignal<String>)>>,
}

impl LabelInputs {
    fn new(labels: &FieldLabels) -> Self {
        let stage_label = |stage: Stage| labels.stages.get(&stage).cloned().unwrap_or_else(|| stage.label().to_owned());
        LabelInputs {
            account: RwSignal::new(labels.account.clone()),
            csm: RwSignal::new(labels.csm.clone()),
            stages: StoredValue::new(
                Stage::ALL.iter().map(|stage| (*stage, RwSignal::new(stage_label(*stage)))).collect(),
            ),
        }
    }

    fn set(&self, labels: &FieldLabels) {
        let fresh = LabelInputs::new(labels);
        self.account.set(fresh.account.get_untracked());
        self.csm.set(fresh.csm.get_untracked());
        let fresh_stages = fresh.stages.get_value();
        self.stages.with_value(|stages| {
            for ((_, input), (_, text)) in stages.iter().zip(fresh_stages) {
                input.set(text.get_untracked());
            }
        });
    }

    fn draft(&self) -> FieldLabels {
        FieldLabels {
            account: self.account.get_untracked(),
            csm: self.csm.get_untracked(),
            stages: self
                .stages
                .with_value(|stages| stages.iter().map(|(stage, input)| (*stage, input.get_untracked())).collect()),
        }
    }
}

#[component]
pub fn LabelsForm(current: BusinessSettings) -> impl IntoView {
    let notifier = use_notifier();
    let saved = StoredValue::new(current.labels.clone());
    let inputs = LabelInputs::new(&current.labels);
    let errors = RwSignal::new(FieldErrors::new());
    let alert = RwSignal::new(None::<Alert>);
    let pending = RwSignal::new(false);

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        let Some(update) = saved.with_value(|saved| labels_update(saved, &inputs.draft())) else {
            notifier.info("No label changed, so there is nothing to save.");
            return;
        };
        save_settings(update, "labels", errors, alert, pending, move |settings: &BusinessSettings| {
            saved.set_value(settings.labels.clone());
            inputs.set(&settings.labels);
        });
    };

    let stage_fields = inputs
        .stages
        .get_value()
        .into_iter()
        .map(|(stage, value)| {
            view! {
                <TextField
                    form="settings"
                    field=stage_label_field(stage)
                    label=format!("Stage “{}”", stage.label())
                    value=value
                    errors=errors
                    required=true
                />
            }
        })
        .collect_view();

    view! {
        <section class="card" aria-labelledby="labels-title">
            <div class="card-header">
                <div>
                    <h2 id="labels-title">"Labels"</h2>
                    <p>"The words the app shows for accounts, their CSMs and the stages, such as “Customer” for “Account”."</p>
                </div>
            </div>
            <AlertSlot alert=alert/>
            <form on:submit=submit novalidate=true>
                <div class="form-grid">
                    <TextField form="settings" field=business_settings::LABEL_ACCOUNT label="Account" value=inputs.account errors=errors required=true/>
                    <TextField form="settings" field=business_settings::LABEL_CSM label="CSM" value=inputs.csm errors=errors required=true/>
                </div>
                <fieldset>
                    <legend>"Stages"</legend>
                    <div class="form-grid">{stage_fields}</div>
                </fieldset>
                <button type="submit" class="button button-primary" disabled=move || pending.get()>"Save labels"</button>
            </form>
        </section>
    }
}
