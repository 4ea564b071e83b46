//! Personal API tokens: create one (its secret is shown once), list and revoke. Admins
//! see every token of the business; other users see their own.

use std::collections::HashMap;

use api_types::users::{ApiToken, ApiTokenCreated};
use crm_core::UserId;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::alerts::{alert_for, field_errors, Alert, FieldErrors};
use crate::api;
use crate::components::{
    confirm, focus_first_invalid, AlertSlot, EmptyState, ErrorState, Loading, PageHeader, TextField,
};
use crate::forms;
use crate::labels;
use crate::notify::use_notifier;

#[component]
pub fn TokensPage() -> impl IntoView {
    let tokens = LocalResource::new(api::list_tokens);
    let users = LocalResource::new(api::assignable_users);
    let created = RwSignal::new(None::<ApiTokenCreated>);
    let names = Memo::new(move |_| {
        users
            .get()
            .and_then(Result::ok)
            .map(|users| users.into_iter().map(|user| (user.id, user.name)).collect::<HashMap<UserId, String>>())
            .unwrap_or_default()
    });

    view! {
        <PageHeader
            title="API tokens"
            subtitle="Tokens let scripts and other tools use the API as you. Send one as Authorization: Bearer <token>."
        />
        <CreateTokenForm created=created on_created=Callback::new(move |_| tokens.refetch())/>
        <section class="card card-flush" aria-label="API tokens">
            <Transition fallback=|| view! { <Loading text="Loading tokens…"/> }>
                {move || {
                    tokens
                        .get()
                        .map(|result| match result {
                            Ok(page) if page.items.is_empty() => view! {
                                <EmptyState title="No API tokens" detail="Create a token above for each tool that needs API access."/>
                            }
                            .into_any(),
                            Ok(page) => view! {
                                <TokenTable tokens=page.items names=names on_revoked=Callback::new(move |_| tokens.refetch())/>
                            }
                            .into_any(),
                            Err(error) => view! {
                                <ErrorState alert=alert_for(&error, "load tokens") retry=move || tokens.refetch()/>
                            }
                            .into_any(),
                        })
                }}
            </Transition>
        </section>
    }
}

#[component]
fn CreateTokenForm(created: RwSignal<Option<ApiTokenCreated>>, on_created: Callback<()>) -> impl IntoView {
    let notifier = use_notifier();
    let name = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::new());
    let alert = RwSignal::new(None::<Alert>);
    let pending = RwSignal::new(false);

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let mut found = FieldErrors::new();
        forms::require(&mut found, "name", &name.get_untracked(), "what the token is for");
        errors.set(found.clone());
        if !found.is_empty() {
            focus_first_invalid();
            return;
        }
        let token_name = name.get_untracked().trim().to_owned();
        alert.set(None);
        pending.set(true);
        spawn_local(async move {
            match api::create_token(&token_name).await {
                Ok(token) => {
                    notifier.success(format!("Created the token {}.", token.token.name));
                    created.set(Some(token));
                    name.set(String::new());
                    on_created.run(());
                }
                Err(error) => {
                    errors.set(field_errors(&error));
                    focus_first_invalid();
                    alert.set(Some(alert_for(&error, "create the token")));
                }
            }
            pending.set(false);
        });
    };

    let copy = move |_| {
        let Some(secret) = created.with_untracked(|created| created.as_ref().map(|created| created.secret.clone()))
        else {
            return;
        };
        if let Some(window) = web_sys::window() {
            let promise = window.navigator().clipboard().write_text(&secret);
            spawn_local(async move {
                match wasm_bindgen_futures::JsFuture::from(promise).await {
                    Ok(_) => notifier.info("Copied the token."),
                    Err(_) => {
                        notifier.error("The browser did not allow copying; select the token and copy it by hand.")
                    }
                }
            });
        }
    };

    view! {
        <section class="card" aria-labelledby="create-token-title">
            <div class="card-header">
                <h2 id="create-token-title">"Create a token"</h2>
            </div>
            <AlertSlot alert=alert/>
            {move || {
                created.get().map(|token| view! {
                    <div class="alert alert-success" role="status">
                        <strong class="alert-title">{format!("Token “{}” created", token.token.name)}</strong>
                        <span class="alert-detail">"Copy it now: it is shown only once and cannot be recovered."</span>
                        <div class="secret">
                            <code aria-label="New token">{token.secret.clone()}</code>
                            <button type="button" class="button button-small" on:click=copy>"Copy"</button>
                            <button type="button" class="button button-small button-quiet" on:click=move |_| created.set(None)>"Done"</button>
                        </div>
                    </div>
                })
            }}
            <form class="inline-form" on:submit=submit novalidate=true>
                <TextField form="token" field="name" label="What is it for?" value=name errors=errors required=true placeholder="Zapier sync"/>
                <button type="submit" class="button button-primary" disabled=move || pending.get()>"Create token"</button>
            </form>
        </section>
    }
}

#[component]
fn TokenTable(tokens: Vec<ApiToken>, names: Memo<HashMap<UserId, String>>, on_revoked: Callback<()>) -> impl IntoView {
    let notifier = use_notifier();
    let rows = tokens
        .into_iter()
        .map(|token| {
            let owner = names.with(|names| names.get(&token.user_id).cloned()).unwrap_or_else(|| "—".into());
            let revoked = token.revoked_at.is_some();
            let last_used = token.last_used_at.map(labels::date_time).unwrap_or_else(|| "Never".into());
            let revoke_token = token.clone();
            let revoke = move |_| {
                let token = revoke_token.clone();
                if !confirm(&format!("Revoke the token {}? Tools that use it stop working at once.", token.name)) {
                    return;
                }
                spawn_local(async move {
                    match api::revoke_token(token.id).await {
                        Ok(_) => notifier.success(format!("Revoked the token {}.", token.name)),
                        Err(error) => notifier.error(alert_for(&error, "revoke the token").detail),
                    }
                    on_revoked.run(());
                });
            };
            view! {
                <tr>
                    <td class="cell-primary"><span class="contact-name">{token.name.clone()}</span></td>
                    <td><code>{format!("{}…", token.prefix)}</code></td>
                    <td>{owner}</td>
                    <td class="muted">{labels::date(token.created_at.date_naive())}</td>
                    <td class="muted">{last_used}</td>
                    <td>
                        {if revoked {
                            view! { <span class="badge badge-inactive">"Revoked"</span> }.into_any()
                        } else {
                            view! { <span class="badge badge-stage-active">"Active"</span> }.into_any()
                        }}
                    </td>
                    <td>
                        {(!revoked).then(|| view! {
                            <button type="button" class="button button-small button-danger" aria-label=format!("Revoke {}", token.name) on:click=revoke>
                                "Revoke"
                            </button>
                        })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="table">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Starts with"</th>
                        <th scope="col">"Owner"</th>
                        <th scope="col">"Created"</th>
                        <th scope="col">"Last used"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
