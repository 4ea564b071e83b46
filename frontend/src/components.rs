//! View pieces shared by the pages: alerts, form fields with their error messages,
//! badges, and the loading, empty and error states.

use crm_core::{AtRiskReason, Role, Stage};
use health::HealthBand;
use leptos::prelude::*;

use crate::alerts::{Alert, FieldErrors, Severity};
use crate::business::Business;
use crate::business_settings::Feature;
use crate::session::use_auth;
use crate::{health_labels, labels};

fn severity_class(severity: Severity) -> &'static str {
    match severity {
        Severity::Info => "alert alert-info",
        Severity::Success => "alert alert-success",
        Severity::Warning => "alert alert-warning",
        Severity::Error => "alert alert-error",
    }
}

/// Renders a boxed message. Errors and warnings are announced to screen readers at once.
#[component]
pub fn AlertBox(alert: Alert) -> impl IntoView {
    let role = if matches!(alert.severity, Severity::Error | Severity::Warning) { "alert" } else { "status" };
    view! {
        <div class=severity_class(alert.severity) role=role>
            <strong class="alert-title">{alert.title}</strong>
            <span class="alert-detail">{alert.detail}</span>
        </div>
    }
}

/// Shows the alert in `alert` when there is one.
#[component]
pub fn AlertSlot(alert: RwSignal<Option<Alert>>) -> impl IntoView {
    move || alert.get().map(|alert| view! { <AlertBox alert=alert/> })
}

/// Returns the id of a form input, derived from its field name.
pub fn input_id(form: &str, field: &str) -> String {
    format!("{form}-{}", field.replace(['.', '_'], "-"))
}

/// Renders the message under an input, linked to it by `aria-describedby`.
#[component]
pub fn FieldMessage(
    errors: RwSignal<FieldErrors>,
    #[prop(into)] field: String,
    #[prop(into)] id: String,
) -> impl IntoView {
    let message_id = format!("{id}-error");
    move || {
        errors.with(|errors| errors.get(&field).cloned()).map(|message| {
            view! { <p class="field-error" id=message_id.clone()>{message}</p> }
        })
    }
}

/// Drops a field's message once the user changes the field.
pub fn clear_error(errors: RwSignal<FieldErrors>, field: &str) {
    if errors.with_untracked(|errors| errors.contains_key(field)) {
        errors.update(|errors| {
            errors.remove(field);
        });
    }
}

/// Attributes that tie an input to its error message.
pub fn invalid(
    errors: RwSignal<FieldErrors>,
    field: &str,
) -> impl Fn() -> Option<&'static str> + Send + Sync + 'static {
    let field = field.to_owned();
    move || errors.with(|errors| errors.contains_key(&field)).then_some("true")
}

pub fn described_by(
    errors: RwSignal<FieldErrors>,
    field: &str,
    id: &str,
) -> impl Fn() -> Option<String> + Send + Sync + 'static {
    let field = field.to_owned();
    let message_id = format!("{id}-error");
    move || errors.with(|errors| errors.contains_key(&field)).then(|| message_id.clone())
}

/// Renders a labelled text input with its error message.
#[component]
pub fn TextField(
    /// Prefix of the input id, unique per form.
    #[prop(into)]
    form: String,
    /// The API's name of the field, which keys its error.
    #[prop(into)]
    field: String,
    #[prop(into)] label: String,
    value: RwSignal<String>,
    errors: RwSignal<FieldErrors>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] autocomplete: Option<String>,
    #[prop(optional, into)] placeholder: Option<String>,
    #[prop(optional, into)] hint: Option<String>,
) -> impl IntoView {
    let id = input_id(&form, &field);
    view! {
        <div class="field">
            <label for=id.clone()>
                {label}
                {required.then(|| view! { <span class="required" aria-hidden="true">" *"</span> })}
            </label>
            <input
                id=id.clone()
                name=field.clone()
                type=input_type
                required=required
                autocomplete=autocomplete
                placeholder=placeholder
                aria-invalid=invalid(errors, &field)
                aria-describedby=described_by(errors, &field, &id)
                prop:value=move || value.get()
                on:input={
                    let field = field.clone();
                    move |event| {
                        value.set(event_target_value(&event));
                        clear_error(errors, &field);
                    }
                }
            />
            {hint.map(|hint| view! { <p class="field-hint">{hint}</p> })}
            <FieldMessage errors=errors field=field.clone() id=id.clone()/>
        </div>
    }
}

/// Renders a labelled select of `(value, label)` options with its error message.
#[component]
pub fn SelectField(
    #[prop(into)] form: String,
    #[prop(into)] field: String,
    #[prop(into)] label: String,
    value: RwSignal<String>,
    errors: RwSignal<FieldErrors>,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    /// Label of an empty first choice; none when absent.
    #[prop(optional, into)]
    empty: Option<String>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let id = input_id(&form, &field);
    view! {
        <div class="field">
            <label for=id.clone()>
                {label}
                {required.then(|| view! { <span class="required" aria-hidden="true">" *"</span> })}
            </label>
            <select
                id=id.clone()
                name=field.clone()
                aria-invalid=invalid(errors, &field)
                aria-describedby=described_by(errors, &field, &id)
                on:change={
                    let field = field.clone();
                    move |event| {
                        value.set(event_target_value(&event));
                        clear_error(errors, &field);
                    }
                }
                prop:value=move || value.get()
            >
                {empty.map(|empty| view! { <option value="">{empty}</option> })}
                {move || {
                    options
                        .get()
                        .into_iter()
                        .map(|(option, text)| {
                            let selected = option == value.get_untracked();
                            view! { <option value=option selected=selected>{text}</option> }
                        })
                        .collect_view()
                }}
            </select>
            <FieldMessage errors=errors field=field.clone() id=id.clone()/>
        </div>
    }
}

pub fn stage_class(stage: Stage) -> &'static str {
    match stage {
        Stage::Prospect => "badge badge-stage-prospect",
        Stage::Onboarding => "badge badge-stage-onboarding",
        Stage::Active => "badge badge-stage-active",
        Stage::Renewal => "badge badge-stage-renewal",
        Stage::Expanding => "badge badge-stage-expanding",
        Stage::Churned => "badge badge-stage-churned",
    }
}

#[component]
pub fn StageBadge(stage: Stage) -> impl IntoView {
    let business = use_context::<Business>();
    let label = move || business.map(|business| business.labels()).unwrap_or_default().stage(stage);
    view! { <span class=stage_class(stage)>{label}</span> }
}

/// "At risk" with the reasons in its tooltip and accessible name.
#[component]
pub fn RiskBadge(reasons: Vec<AtRiskReason>) -> impl IntoView {
    let reasons: Vec<&str> = reasons.into_iter().map(labels::at_risk_reason).collect();
    let title = if reasons.is_empty() { "At risk".to_owned() } else { format!("At risk: {}", reasons.join(", ")) };
    view! { <span class="badge badge-risk" title=title.clone() aria-label=title>"At risk"</span> }
}

/// Renders the 0–100 health score coloured by its band, or a dash until it is computed.
#[component]
pub fn HealthBadge(score: Option<i32>) -> impl IntoView {
    match score {
        None => view! { <span class="muted" title="Not computed yet">"—"</span> }.into_any(),
        Some(score) => {
            let band = HealthBand::of(Some(score));
            view! { <span class=health_labels::band_class(band) title=band.label()>{score}</span> }.into_any()
        }
    }
}

#[component]
pub fn RoleBadge(role: Role) -> impl IntoView {
    let class = if role.is_admin() { "badge badge-role-admin" } else { "badge badge-role" };
    view! { <span class=class>{labels::role(role)}</span> }
}

/// Renders a spinner and a short text, announced politely.
#[component]
pub fn Loading(#[prop(into)] text: String) -> impl IntoView {
    view! {
        <div class="state state-loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            <span>{text}</span>
        </div>
    }
}

/// Renders what a list shows when it has nothing, with an optional next step.
#[component]
pub fn EmptyState(
    #[prop(into)] title: String,
    #[prop(into)] detail: String,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <div class="state state-empty">
            <p class="state-title">{title}</p>
            <p class="state-detail">{detail}</p>
            {children.map(|children| view! { <div class="state-actions">{children()}</div> })}
        </div>
    }
}

/// Renders the calm state of a page or panel whose feature the business turned off.
#[component]
pub fn FeatureOff(feature: Feature) -> impl IntoView {
    let auth = use_auth();
    view! {
        <div class="state state-empty" data-testid="feature-off">
            <p class="state-title">"This feature is turned off for your business"</p>
            <p class="state-detail">
                {format!("{} is turned off in your business's settings.", feature.name())}
                {move || if auth.is_admin() { " You can turn it on under Settings." } else { " Ask an admin if you need it." }}
            </p>
        </div>
    }
}

/// Renders a failed load with a button to try again.
#[component]
pub fn ErrorState(alert: Alert, #[prop(into)] retry: Callback<()>) -> impl IntoView {
    view! {
        <div class="state state-error">
            <AlertBox alert=alert/>
            <button type="button" class="button" on:click=move |_| retry.run(())>"Try again"</button>
        </div>
    }
}

/// Renders the paging row under a list: "first–last of total" and Previous and Next
/// buttons that call `go` with the 1-based page number to show.
#[component]
pub fn Pager(
    /// The 1-based page shown.
    page: u32,
    page_count: u32,
    /// 1-based positions of the first and last item shown.
    first: i64,
    last: i64,
    total: i64,
    go: Callback<u32>,
) -> impl IntoView {
    view! {
        <nav class="pager" aria-label="Pages">
            <span class="pager-summary">{format!("{first}–{last} of {total}")}</span>
            <div class="pager-buttons">
                <button type="button" class="button" disabled={page <= 1} on:click=move |_| go.run(page - 1)>
                    "Previous"
                </button>
                <span class="pager-page">{format!("Page {page} of {page_count}")}</span>
                <button type="button" class="button" disabled={page >= page_count} on:click=move |_| go.run(page + 1)>
                    "Next"
                </button>
            </div>
        </nav>
    }
}

/// Sets the browser tab's title to "`page` · Mango CS".
pub fn set_document_title(page: &str) {
    if let Some(document) = web_sys::window().and_then(|window| window.document()) {
        document.set_title(&format!("{page} · Mango CS"));
    }
}

/// Renders the page title row with optional actions on the right, and names the browser
/// tab after the page.
#[component]
pub fn PageHeader(
    #[prop(into)] title: String,
    #[prop(optional, into)] subtitle: Option<String>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    set_document_title(&title);
    view! {
        <header class="page-header">
            <div>
                <h1>{title}</h1>
                {subtitle.map(|subtitle| view! { <p class="page-subtitle">{subtitle}</p> })}
            </div>
            {children.map(|children| view! { <div class="page-actions">{children()}</div> })}
        </header>
    }
}

/// Moves the keyboard focus to the first invalid input on the page once the view shows
/// the new error messages, so keyboard and screen reader users land on what to fix.
pub fn focus_first_invalid() {
    request_animation_frame(|| {
        use wasm_bindgen::JsCast;

        let element = web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| {
                document.query_selector("main [aria-invalid=\"true\"], .login-card [aria-invalid=\"true\"]").ok()
            })
            .flatten()
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(element) = element {
            // A failed focus leaves the page usable, so its error is dropped.
            let _ = element.focus();
        }
    });
}

/// Asks the browser to confirm a destructive action.
pub fn confirm(question: &str) -> bool {
    web_sys::window().and_then(|window| window.confirm_with_message(question).ok()).unwrap_or(false)
}
