//! Sign-in. After success the app opens the page named by `?next=`, which the app shell
//! sets when it sends a signed-out visitor here.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::alerts::{alert_for, field_errors, Alert, FieldErrors, Severity};
use crate::api;
use crate::components::{focus_first_invalid, set_document_title, AlertBox, AlertSlot, TextField};
use crate::forms;
use crate::redirect;
use crate::session::use_auth;

#[component]
pub fn LoginPage() -> impl IntoView {
    let auth = use_auth();
    let query = use_query_map();
    let navigate = use_navigate();

    let next = move || redirect::after_login(query.with(|query| query.get("next")).as_deref());

    // Signed in already, or just now: go on to the requested page.
    Effect::new(move |_| {
        if auth.session.with(Option::is_some) {
            navigate(&next(), NavigateOptions { replace: true, ..NavigateOptions::default() });
        }
    });

    set_document_title("Sign in");
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::new());
    let alert = RwSignal::new(None::<Alert>);
    let pending = RwSignal::new(false);

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let email_value = email.get_untracked().trim().to_owned();
        let password_value = password.get_untracked();

        let mut found = FieldErrors::new();
        forms::require(&mut found, "email", &email_value, "your email");
        forms::check_email(&mut found, "email", &email_value);
        forms::require(&mut found, "password", &password_value, "your password");
        errors.set(found.clone());
        if !found.is_empty() {
            focus_first_invalid();
            alert.set(None);
            return;
        }

        pending.set(true);
        alert.set(None);
        spawn_local(async move {
            match api::login(&email_value, &password_value).await {
                Ok(session) => auth.sign_in(session),
                Err(error) => {
                    errors.set(field_errors(&error));
                    focus_first_invalid();
                    alert.set(Some(alert_for(&error, "sign in")));
                    password.set(String::new());
                }
            }
            pending.set(false);
        });
    };

    let expired_notice = move || {
        (auth.expired.get() && alert.with(Option::is_none)).then(|| {
            view! {
                <AlertBox alert=Alert {
                    severity: Severity::Info,
                    title: "Your session has ended".into(),
                    detail: "Sign in again to continue where you left off.".into(),
                }/>
            }
        })
    };

    view! {
        <div class="login-page">
            <div class="login-card">
                <div class="login-brand">
                    <span class="brand-mark" aria-hidden="true"></span>
                    <span>"Mango CS"</span>
                </div>
                <h1>"Sign in"</h1>
                <p class="muted">"Use the email and password your admin set up for you."</p>
                {expired_notice}
                <AlertSlot alert=alert/>
                <form on:submit=submit novalidate=true>
                    <TextField
                        form="login"
                        field="email"
                        label="Email"
                        value=email
                        errors=errors
                        input_type="email"
                        autocomplete="username"
                        required=true
                    />
                    <TextField
                        form="login"
                        field="password"
                        label="Password"
                        value=password
                        errors=errors
                        input_type="password"
                        autocomplete="current-password"
                        required=true
                    />
                    <button type="submit" class="button button-primary button-block" disabled=move || pending.get()>
                        {move || if pending.get() { "Signing in…" } else { "Sign in" }}
                    </button>
                </form>
            </div>
        </div>
    }
}
