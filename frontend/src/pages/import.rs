//! CSV import of accounts: choose a file, review the server's preview (column mapping,
//! counts, each row's errors), then commit and see what changed.

use std::collections::BTreeMap;

use api_types::custom_fields::CustomField;
use api_types::imports::{ColumnStatus, ImportCounts, ImportPreview, ImportPreviewParams, ImportResult, RowIssue};
use crm_core::{CustomFieldEntity, Stage};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::alerts::{alert_for, Alert, Severity};
use crate::api;
use crate::components::{AlertBox, AlertSlot, Loading, PageHeader};
use crate::csv_preview::{self, CsvSample};
use crate::notify::use_notifier;

/// File rows shown in the preview table; problems are listed for every row.
const SAMPLE_ROWS: usize = 50;

/// Account fields a column can feed, by their API names; custom fields come after them.
const TARGETS: [&str; 13] = [
    "name",
    "domain",
    "website",
    "industry",
    "stage",
    "at_risk",
    "at_risk_reasons",
    "csm",
    "ae",
    "renewal_date",
    "billing_customer_id",
    "external_id",
    "id",
];

/// The mapping value that leaves a column out.
const IGNORE: &str = "ignore";

/// Returns a column target as people read it.
fn target_label(target: &str) -> String {
    let label = match target {
        "id" => "Mango CS account ID",
        "name" => "Name",
        "domain" => "Domain",
        "website" => "Website (domain from it)",
        "industry" => "Industry",
        "stage" => "Stage",
        "at_risk" => "At risk",
        "at_risk_reasons" => "At-risk reasons",
        "csm" => "CSM (name or email)",
        "ae" => "AE (name or email)",
        "renewal_date" => "Renewal date",
        "billing_customer_id" => "Billing customer ID",
        "external_id" => "CRM record ID",
        other => {
            return match other.strip_prefix("custom_fields.") {
                Some(key) => format!("Custom field “{key}”"),
                None => other.to_owned(),
            }
        }
    };
    label.to_owned()
}

fn status_label(status: ColumnStatus) -> &'static str {
    match status {
        ColumnStatus::Mapped => "Imported",
        ColumnStatus::Ignored => "Ignored",
        ColumnStatus::ReadOnly => "Not imported: read-only",
        ColumnStatus::Unmapped => "Not recognised",
    }
}

/// Problems of each row, errors first.
fn issues_by_row(preview: &ImportPreview) -> BTreeMap<u64, Vec<(bool, RowIssue)>> {
    let mut by_row: BTreeMap<u64, Vec<(bool, RowIssue)>> = BTreeMap::new();
    for issue in &preview.errors {
        by_row.entry(issue.row).or_default().push((true, issue.clone()));
    }
    for issue in &preview.warnings {
        by_row.entry(issue.row).or_default().push((false, issue.clone()));
    }
    by_row
}

fn issue_text(issue: &RowIssue) -> String {
    match &issue.field {
        Some(field) => format!("{field}: {}", issue.message),
        None => issue.message.clone(),
    }
}

async fn read_file(file: web_sys::File) -> Result<String, String> {
    let text = JsFuture::from(file.text()).await.map_err(|_| "The browser could not read the file.".to_owned())?;
    text.as_string().ok_or_else(|| "The file is not text.".to_owned())
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let notifier = use_notifier();
    let file_name = RwSignal::new(None::<String>);
    let csv_text = StoredValue::new(String::new());
    let sample = RwSignal::new(None::<CsvSample>);
    let default_stage = RwSignal::new(Stage::Active);
    let preview = RwSignal::new(None::<ImportPreview>);
    let result = RwSignal::new(None::<ImportResult>);
    let alert = RwSignal::new(None::<Alert>);
    let pending = RwSignal::new(None::<&'static str>);
    let dragging = RwSignal::new(false);
    // Columns the user mapped by hand: header to field name or "ignore".
    let overrides = RwSignal::new(BTreeMap::<String, String>::new());
    let custom_fields = LocalResource::new(|| api::custom_fields(CustomFieldEntity::Account));

    let run_preview = move || {
        let csv = csv_text.get_value();
        let mapping = overrides.with_untracked(|overrides| {
            (!overrides.is_empty()).then(|| serde_json::to_string(overrides).unwrap_or_default())
        });
        let params = ImportPreviewParams { default_stage: Some(default_stage.get_untracked()), mapping };
        alert.set(None);
        pending.set(Some("Checking the file…"));
        spawn_local(async move {
            match api::preview_import(csv, &params).await {
                Ok(checked) => preview.set(Some(checked)),
                Err(error) => {
                    preview.set(None);
                    alert.set(Some(alert_for(&error, "check the file")));
                }
            }
            pending.set(None);
        });
    };

    let take_file = move |file: web_sys::File| {
        file_name.set(Some(file.name()));
        overrides.set(BTreeMap::new());
        preview.set(None);
        result.set(None);
        spawn_local(async move {
            match read_file(file).await {
                Ok(text) => {
                    sample.set(Some(csv_preview::sample(&text, SAMPLE_ROWS)));
                    csv_text.set_value(text);
                    run_preview();
                }
                Err(message) => alert.set(Some(Alert {
                    severity: Severity::Error,
                    title: "Could not read the file".into(),
                    detail: message,
                })),
            }
        });
    };

    let on_file = move |event: leptos::ev::Event| {
        let input = event.target().and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok());
        if let Some(file) = input.and_then(|input| input.files()).and_then(|files| files.get(0)) {
            take_file(file);
        }
    };
    let on_drop = move |event: leptos::ev::DragEvent| {
        event.prevent_default();
        dragging.set(false);
        if let Some(file) = event.data_transfer().and_then(|data| data.files()).and_then(|files| files.get(0)) {
            take_file(file);
        }
    };

    let commit = move |_| {
        let Some(checked) = preview.get_untracked() else {
            return;
        };
        alert.set(None);
        pending.set(Some("Importing…"));
        spawn_local(async move {
            match api::commit_import(checked.import_id).await {
                Ok(done) => {
                    let counts = done.counts;
                    notifier.success(format!("Imported {} new and {} updated accounts.", counts.new, counts.updated));
                    result.set(Some(done));
                    preview.set(None);
                }
                Err(error) => alert.set(Some(alert_for(&error, "import the file"))),
            }
            pending.set(None);
        });
    };

    let map_column = Callback::new(move |(header, target): (String, String)| {
        overrides.update(|overrides| {
            overrides.insert(header, target);
        });
        run_preview();
    });

    let start_over = move |_| {
        file_name.set(None);
        overrides.set(BTreeMap::new());
        sample.set(None);
        preview.set(None);
        result.set(None);
        alert.set(None);
        csv_text.set_value(String::new());
    };

    view! {
        <PageHeader
            title="Import accounts"
            subtitle="Upload a CSV file, check what it will change, then import. HubSpot and Salesforce exports map on their own."
        />
        <AlertSlot alert=alert/>
        {move || result.get().map(|done| view! { <ImportDone counts=done.counts on_again=Callback::new(move |_| start_over(()))/> })}
        <Show when=move || result.with(Option::is_none)>
            <section class="card">
                <div
                    class="dropzone"
                    class:dropzone-active=move || dragging.get()
                    on:dragover=move |event: leptos::ev::DragEvent| {
                        event.prevent_default();
                        dragging.set(true);
                    }
                    on:dragleave=move |_| dragging.set(false)
                    on:drop=on_drop
                >
                    <label for="import-file" class="field-label">"CSV file"</label>
                    <input id="import-file" type="file" accept=".csv,text/csv" on:change=on_file/>
                    <p class="muted">
                        {move || match file_name.get() {
                            Some(name) => format!("Selected: {name}"),
                            None => "Choose a file or drop it here. The first line must name the columns.".to_owned(),
                        }}
                    </p>
                </div>
                <div class="field import-stage">
                    <label for="import-default-stage">"Stage for rows without one"</label>
                    <select
                        id="import-default-stage"
                        on:change=move |event| {
                            default_stage.set(event_target_value(&event).parse().unwrap_or(Stage::Active));
                            if !csv_text.with_value(String::is_empty) {
                                run_preview();
                            }
                        }
                    >
                        {Stage::ALL.iter().map(|stage| view! {
                            <option value=stage.as_str() selected=*stage == Stage::Active>{stage.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
            </section>
        </Show>
        {move || pending.get().map(|text| view! { <Loading text=text/> })}
        {move || {
            preview.get().map(|checked| {
                let fields = custom_fields.get().and_then(Result::ok).unwrap_or_default();
                view! {
                    <PreviewView
                        preview=checked
                        sample=sample.get().unwrap_or_default()
                        custom_fields=fields
                        on_map=map_column
                        on_commit=Callback::new(commit)
                        busy=Signal::derive(move || pending.get().is_some())
                    />
                }
            })
        }}
    }
}

#[component]
fn Counts(counts: ImportCounts) -> impl IntoView {
    let cells = [
        ("count count-new", counts.new, "New accounts"),
        ("count", counts.updated, "Updated"),
        ("count", counts.unchanged, "Unchanged"),
        ("count count-invalid", counts.invalid, "Rows with errors"),
    ];
    view! {
        <div class="counts">
            {cells
                .into_iter()
                .map(|(class, value, label)| view! {
                    <div class=class>
                        <span class="count-value">{value}</span>
                        <span class="count-label">{label}</span>
                    </div>
                })
                .collect_view()}
        </div>
    }
}

#[component]
fn PreviewView(
    preview: ImportPreview,
    sample: CsvSample,
    /// The account custom fields, offered as column targets.
    custom_fields: Vec<CustomField>,
    /// Called with a column header and the field it should feed, or "ignore".
    on_map: Callback<(String, String)>,
    on_commit: Callback<()>,
    #[prop(into)] busy: Signal<bool>,
) -> impl IntoView {
    let counts = preview.counts;
    let importable = counts.new + counts.updated;
    let by_row = issues_by_row(&preview);

    let mut choices: Vec<(String, String)> =
        TARGETS.iter().map(|target| ((*target).to_owned(), target_label(target))).collect();
    choices.extend(
        custom_fields
            .iter()
            .map(|field| (format!("custom_fields.{}", field.key), format!("Custom field “{}”", field.label))),
    );

    let mapping_rows = preview
        .mapping
        .iter()
        .map(|column| {
            let current = column.target.as_ref().map(|target| target.to_string()).unwrap_or_else(|| IGNORE.to_owned());
            let header = column.header.clone();
            let options = choices
                .iter()
                .map(|(value, label)| {
                    view! { <option value=value.clone() selected=*value == current>{label.clone()}</option> }
                })
                .collect_view();
            view! {
                <tr>
                    <td>{column.header.clone()}</td>
                    <td>
                        <select
                            aria-label=format!("Field for the column {}", column.header)
                            disabled=move || busy.get()
                            on:change=move |event| on_map.run((header.clone(), event_target_value(&event)))
                        >
                            <option value=IGNORE selected=current == IGNORE>"Do not import"</option>
                            {options}
                        </select>
                    </td>
                    <td class="muted">{status_label(column.status)}</td>
                </tr>
            }
        })
        .collect_view();

    let header_cells =
        sample.headers.iter().map(|header| view! { <th scope="col">{header.clone()}</th> }).collect_view();
    let sample_rows = sample
        .rows
        .iter()
        .map(|(number, cells)| {
            let issues = by_row.get(number).cloned().unwrap_or_default();
            let has_error = issues.iter().any(|(is_error, _)| *is_error);
            let status = if issues.is_empty() {
                view! { <span class="muted">"OK"</span> }.into_any()
            } else {
                let lines = issues
                    .iter()
                    .map(|(is_error, issue)| {
                        let class = if *is_error { "field-error" } else { "field-hint" };
                        view! { <p class=class>{issue_text(issue)}</p> }
                    })
                    .collect_view();
                view! { <div>{lines}</div> }.into_any()
            };
            let cells = cells.iter().map(|cell| view! { <td>{cell.clone()}</td> }).collect_view();
            view! {
                <tr class:row-error=has_error>
                    <td class="numeric">{*number}</td>
                    {cells}
                    <td>{status}</td>
                </tr>
            }
        })
        .collect_view();
    let more_rows = sample.total_rows.saturating_sub(sample.rows.len() as u64);

    let problems = by_row
        .iter()
        .flat_map(|(row, issues)| issues.iter().map(move |(is_error, issue)| (*row, *is_error, issue.clone())))
        .map(|(row, is_error, issue)| {
            view! {
                <tr class:row-error=is_error>
                    <td class="numeric">{row}</td>
                    <td>{if is_error { "Error" } else { "Warning" }}</td>
                    <td>{issue.field.clone().unwrap_or_else(|| "—".into())}</td>
                    <td>{issue.message.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    let has_problems = !preview.errors.is_empty() || !preview.warnings.is_empty();

    view! {
        <section class="card" aria-labelledby="import-preview-title">
            <div class="card-header">
                <div>
                    <h2 id="import-preview-title">"Preview"</h2>
                    <p>"Nothing is saved until you import. Rows with errors are skipped."</p>
                </div>
                <button type="button" class="button button-primary" disabled=move || busy.get() || importable == 0 on:click=move |_| on_commit.run(())>
                    {format!("Import {importable} accounts")}
                </button>
            </div>
            <Counts counts=counts/>
            {preview.issues_truncated.then(|| view! {
                <AlertBox alert=Alert {
                    severity: Severity::Warning,
                    title: "Not every problem is listed".into(),
                    detail: "The file has more problems than the preview shows. Fix the ones listed and check again.".into(),
                }/>
            })}
            <h3>"Columns"</h3>
            <div class="table-wrap">
                <table class="table table-compact">
                    <thead><tr><th scope="col">"Column in file"</th><th scope="col">"Imports into"</th><th scope="col">"Status"</th></tr></thead>
                    <tbody>{mapping_rows}</tbody>
                </table>
            </div>
            <h3 class="section-gap">"Rows"</h3>
            <div class="table-wrap">
                <table class="table table-compact import-rows">
                    <thead><tr><th scope="col" class="numeric">"Row"</th>{header_cells}<th scope="col">"Check"</th></tr></thead>
                    <tbody>{sample_rows}</tbody>
                </table>
            </div>
            {(more_rows > 0).then(|| view! { <p class="muted table-note">{format!("{more_rows} more rows are not shown; their problems are listed below.")}</p> })}
            {has_problems.then(|| view! {
                <h3 class="section-gap">"Problems"</h3>
                <div class="table-wrap">
                    <table class="table table-compact import-problems">
                        <thead><tr><th scope="col" class="numeric">"Row"</th><th scope="col">"Kind"</th><th scope="col">"Field"</th><th scope="col">"Problem"</th></tr></thead>
                        <tbody>{problems}</tbody>
                    </table>
                </div>
            })}
        </section>
    }
}

#[component]
fn ImportDone(counts: ImportCounts, on_again: Callback<()>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="import-done-title">
            <div class="card-header">
                <h2 id="import-done-title">"Import finished"</h2>
            </div>
            <Counts counts=counts/>
            <div class="button-row">
                <A href="/accounts" {..} class="button button-primary">"View accounts"</A>
                <button type="button" class="button" on:click=move |_| on_again.run(())>"Import another file"</button>
            </div>
        </section>
    }
}
