//! Adding one account by hand.

use crm_core::CustomFieldEntity;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use crate::account_draft::AccountDraft;
use crate::alerts::{alert_for, field_errors, Alert, FieldErrors, Severity};
use crate::api;
use crate::components::{focus_first_invalid, ErrorState, Loading, PageHeader};
use crate::notify::use_notifier;
use crate::pages::account_form::AccountForm;

#[component]
pub fn NewAccountPage() -> impl IntoView {
    let notifier = use_notifier();
    let navigate = use_navigate();
    let setup = LocalResource::new(|| async {
        let users = api::assignable_users().await?;
        let definitions = api::custom_fields(CustomFieldEntity::Account).await?;
        Ok::<_, api::ApiError>((users, definitions))
    });

    let errors = RwSignal::new(FieldErrors::new());
    let alert = RwSignal::new(None::<Alert>);
    let pending = RwSignal::new(false);

    let on_submit = Callback::new(move |draft: AccountDraft| {
        let definitions =
            setup.get_untracked().and_then(Result::ok).map(|(_, definitions)| definitions).unwrap_or_default();
        let request = match draft.to_create(&definitions) {
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
        pending.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::create_account(&request).await {
                Ok(account) => {
                    notifier.success(format!("Created {}.", account.name));
                    navigate(&format!("/accounts/{}", account.id), NavigateOptions::default());
                }
                Err(error) => {
                    errors.set(field_errors(&error));
                    focus_first_invalid();
                    alert.set(Some(alert_for(&error, "create the account")));
                }
            }
            pending.set(false);
        });
    });

    view! {
        <p class="breadcrumb"><A href="/accounts">"Accounts"</A>" / New account"</p>
        <PageHeader title="New account" subtitle="Fields marked * are required."/>
        <section class="card">
            <Suspense fallback=|| view! { <Loading text="Loading the form…"/> }>
                {move || {
                    setup
                        .get()
                        .map(|result| match result {
                            Ok((users, definitions)) => view! {
                                <AccountForm
                                    initial=AccountDraft::new_account()
                                    definitions=definitions
                                    users=users
                                    submit_label="Create account"
                                    on_submit=on_submit
                                    errors=errors
                                    alert=alert
                                    pending=pending
                                />
                            }
                            .into_any(),
                            Err(error) => view! {
                                <ErrorState alert=alert_for(&error, "load the form") retry=move || setup.refetch()/>
                            }
                            .into_any(),
                        })
                }}
            </Suspense>
        </section>
    }
}
