//! One account: its header (name, domain, stage, risk, owners, renewal), its health, the
//! edit form, the renewal proposals, its contacts and its activity timeline.

use std::collections::HashMap;

use api_types::accounts::Account;
use api_types::users::User;
use crm_core::{AccountId, CustomFieldDefinition, CustomFieldEntity, UserId};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::account_draft::{is_empty_update, AccountDraft};
use crate::alerts::{alert_for, field_errors, Alert, FieldErrors, Severity};
use crate::api::{self, ApiError, Problem};
use crate::business::use_business;
use crate::business_settings::Feature;
use crate::components::{focus_first_invalid, set_document_title, ErrorState, HealthBadge, Loading, StageBadge};
use crate::forms;
use crate::labels;
use crate::notify::use_notifier;
use crate::pages::account_form::AccountForm;
use crate::pages::account_health::HealthCard;
use crate::pages::account_proposals::ProposalsCard;
use crate::pages::contacts::ContactsCard;
use crate::pages::not_found::NotFound;
use crate::pages::timeline::TimelineCard;

/// The data the page needs before it can show the account.
#[derive(Clone)]
struct Loaded {
    account: Account,
    users: Vec<User>,
    definitions: Vec<CustomFieldDefinition>,
}

async fn load(id: Option<AccountId>) -> Result<Loaded, ApiError> {
    let Some(id) = id else {
        let problem = Problem { status: 404, code: "not_found".into(), ..Problem::default() };
        return Err(ApiError::Problem { problem, retry_after_secs: None });
    };
    let account = api::get_account(id).await?;
    let users = api::assignable_users().await?;
    let definitions = api::custom_fields(CustomFieldEntity::Account).await?;
    Ok(Loaded { account, users, definitions })
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let params = use_params_map();
    let account_id =
        Memo::new(move |_| params.with(|params| params.get("id")).and_then(|id| id.parse::<AccountId>().ok()));
    let loaded = LocalResource::new(move || load(account_id.get()));

    view! {
        <Suspense fallback=|| view! { <Loading text="Loading the account…"/> }>
            {move || {
                loaded
                    .get()
                    .map(|result| match result {
                        Ok(loaded) => view! { <AccountView loaded=loaded/> }.into_any(),
                        Err(error) if error.status() == Some(404) => view! { <NotFound/> }.into_any(),
                        Err(error) => view! {
                            <ErrorState alert=alert_for(&error, "load the account") retry=move || loaded.refetch()/>
                        }
                        .into_any(),
                    })
            }}
        </Suspense>
    }
}

#[component]
fn AccountView(loaded: Loaded) -> impl IntoView {
    let Loaded { account, users, definitions } = loaded;
    let account_id = account.id;
    let business = use_business();
    let account = RwSignal::new(account);
    let editing = RwSignal::new(false);
    Effect::new(move |_| set_document_title(&account.with(|account| account.name.clone())));
    let timeline_version = RwSignal::new(0_u32);
    let names: HashMap<UserId, String> = users.iter().map(|user| (user.id, user.name.clone())).collect();
    let names = StoredValue::new(names);
    let name_of = move |id: Option<UserId>| {
        // Deactivated users are not assignable, so the list of names lacks them.
        match id {
            None => "Nobody".to_owned(),
            Some(id) => names.with_value(|names| names.get(&id).cloned()).unwrap_or_else(|| "Inactive user".to_owned()),
        }
    };
    let name_of = StoredValue::new(name_of);
    let definitions = StoredValue::new(definitions);
    let users = StoredValue::new(users);

    view! {
        <p class="breadcrumb">
            <A href="/accounts">{move || business.labels().accounts()}</A>
            " / "
            {move || account.with(|account| account.name.clone())}
        </p>
        <AccountHeader account=account editing=editing/>
        <Show when=move || business.is_on(Feature::HealthScore)>
            <HealthCard account_id=account_id/>
        </Show>
        <section class="card" aria-labelledby="account-details-title">
            <div class="card-header">
                <h2 id="account-details-title">{move || if editing.get() { "Edit details" } else { "Details" }}</h2>
            </div>
            <Show
                when=move || editing.get()
                fallback=move || view! {
                    <AccountFacts account=account name_of=name_of definitions=definitions/>
                }
            >
                <EditAccount account=account editing=editing users=users definitions=definitions timeline_version=timeline_version/>
            </Show>
        </section>
        <Show when=move || business.is_on(Feature::Renewals)>
            <ProposalsCard account_id=account_id/>
        </Show>
        <div class="two-columns">
            <TimelineCard account_id=account_id refresh=timeline_version names=names/>
            <ContactsCard account_id=account_id/>
        </div>
    }
}

#[component]
fn AccountHeader(account: RwSignal<Account>, editing: RwSignal<bool>) -> impl IntoView {
    let reasons = move || {
        account.with(|account| {
            account.at_risk.then(|| {
                let text = if account.at_risk_reasons.is_empty() {
                    "No reason recorded".to_owned()
                } else {
                    account
                        .at_risk_reasons
                        .iter()
                        .map(|reason| labels::at_risk_reason(*reason))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                view! {
                    <div class="risk-reasons" role="note">
                        <span class="badge badge-risk">"At risk"</span>
                        <span>{text}</span>
                    </div>
                }
            })
        })
    };

    view! {
        <header class="account-header">
            <div>
                <div class="account-title">
                    <h1>{move || account.with(|account| account.name.clone())}</h1>
                    {move || view! { <StageBadge stage=account.with(|account| account.stage)/> }}
                </div>
                {move || {
                    account.with(|account| account.domain.clone()).map(|domain| {
                        view! {
                            <p class="account-domain">
                                <a href=format!("https://{domain}") target="_blank" rel="noopener noreferrer">{domain.clone()}</a>
                            </p>
                        }
                    })
                }}
            </div>
            <Show when=move || !editing.get()>
                <button type="button" class="button" on:click=move |_| editing.set(true)>"Edit account"</button>
            </Show>
        </header>
        {reasons}
    }
}

#[component]
fn AccountFacts(
    account: RwSignal<Account>,
    name_of: StoredValue<impl Fn(Option<UserId>) -> String + Send + Sync + 'static>,
    definitions: StoredValue<Vec<CustomFieldDefinition>>,
) -> impl IntoView {
    let today = labels::today();
    let business = use_business();
    move || {
        let account = account.get();
        let renewal = account
            .renewal_date
            .map(|date| format!("{} ({})", labels::date(date), labels::days_from(today, date)))
            .unwrap_or_else(|| "Not set".into());
        let custom = definitions.with_value(|definitions| {
            definitions
                .iter()
                .map(|definition| {
                    let value = forms::custom_value_text(account.custom_fields.get(&definition.key));
                    let value = match value.as_str() {
                        "" => "—".to_owned(),
                        "true" => "Yes".to_owned(),
                        "false" => "No".to_owned(),
                        _ => value,
                    };
                    view! { <div><dt>{definition.label.clone()}</dt><dd>{value}</dd></div> }
                })
                .collect_view()
        });
        let csm = name_of.with_value(|name_of| name_of(account.csm_id));
        let ae = name_of.with_value(|name_of| name_of(account.ae_id));
        view! {
            <dl class="facts">
                <div><dt>{move || business.labels().csm()}</dt><dd>{csm}</dd></div>
                <div><dt>"AE"</dt><dd>{ae}</dd></div>
                <div><dt>"Renewal"</dt><dd>{renewal}</dd></div>
                {business.is_on(Feature::HealthScore).then(|| view! {
                    <div><dt>"Health"</dt><dd><HealthBadge score=account.health_score/></dd></div>
                })}
                <div><dt>"Industry"</dt><dd>{account.industry.clone().unwrap_or_else(|| "—".into())}</dd></div>
                <div><dt>"Billing customer ID"</dt><dd>{account.billing_customer_id.clone().unwrap_or_else(|| "—".into())}</dd></div>
                <div><dt>"CRM record ID"</dt><dd>{account.external_id.clone().unwrap_or_else(|| "—".into())}</dd></div>
                {custom}
            </dl>
        }
    }
}

#[component]
fn EditAccount(
    account: RwSignal<Account>,
    editing: RwSignal<bool>,
    users: StoredValue<Vec<User>>,
    definitions: StoredValue<Vec<CustomFieldDefinition>>,
    /// Bumped after a save, because a stage change adds a timeline entry.
    timeline_version: RwSignal<u32>,
) -> impl IntoView {
    let notifier = use_notifier();
    let errors = RwSignal::new(FieldErrors::new());
    let alert = RwSignal::new(None::<Alert>);
    let pending = RwSignal::new(false);

    let on_submit = Callback::new(move |draft: AccountDraft| {
        let saved = account.get_untracked();
        let request = match definitions.with_value(|definitions| draft.to_update(&saved, definitions)) {
            Ok(request) => request,
            Err(found) => {
                errors.set(found);
                focus_first_invalid();
                alert.set(Some(Alert {
                    severity: Severity::Error,
                    title: "Check the highlighted fields".into(),
                    detail: "Some fields need a change before the account can be saved.".into(),
                }));
                return;
            }
        };
        errors.set(FieldErrors::new());
        alert.set(None);
        if is_empty_update(&request) {
            editing.set(false);
            return;
        }
        pending.set(true);
        spawn_local(async move {
            match api::update_account(saved.id, &request).await {
                Ok(updated) => {
                    notifier.success(format!("Saved {}.", updated.name));
                    account.set(updated);
                    editing.set(false);
                    timeline_version.update(|version| *version += 1);
                }
                Err(error) => {
                    errors.set(field_errors(&error));
                    focus_first_invalid();
                    alert.set(Some(alert_for(&error, "save the account")));
                }
            }
            pending.set(false);
        });
    });

    view! {
        <AccountForm
            initial=AccountDraft::from_account(&account.get_untracked())
            definitions=definitions.get_value()
            users=users.get_value()
            submit_label="Save changes"
            on_submit=on_submit
            on_cancel=Callback::new(move |_| editing.set(false))
            errors=errors
            alert=alert
            pending=pending
        />
    }
}
