//! The root component: session bootstrap, the route table and the app shell (navigation,
//! the signed-in user, the notification bell and the on-screen messages).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Outlet, ParentRoute, Redirect, Route, Router, Routes, A};
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::{path, NavigateOptions};

use crate::alerts::Severity;
use crate::api;
use crate::bell::NotificationBell;
use crate::business::{use_business, use_labels, Business};
use crate::business_settings::Feature;
use crate::components::{Loading, RoleBadge};
use crate::notify::{use_notifier, Notifier};
use crate::pages;
use crate::redirect;
use crate::session::{use_auth, Auth};

#[component]
pub fn App() -> impl IntoView {
    let auth = Auth::new();
    provide_context(auth);
    provide_context(Notifier::new());
    let business = Business::new();
    provide_context(business);
    api::set_unauthorized_handler(move || auth.expire());

    // Every session brings the toggles and labels; admins also load the full settings. They
    // are replaced when a session starts and kept when it ends, because clearing them then
    // would re-render the page that the session's end is disposing.
    Effect::new(move |_| {
        let Some(role) = auth.role() else {
            return;
        };
        business.clear();
        auth.session.with_untracked(|session| {
            if let Some(session) = session {
                business.adopt(&session.business);
            }
        });
        if role.is_admin() {
            business.load();
        }
    });

    // The session cookie is HttpOnly, so asking the server is the only way to know
    // whether the browser is signed in.
    let ready = RwSignal::new(false);
    spawn_local(async move {
        if let Ok(session) = api::me().await {
            auth.sign_in(session);
        }
        ready.set(true);
    });

    view! {
        <Router>
            <Show
                when=move || ready.get()
                fallback=|| view! { <div class="boot"><Loading text="Loading Mango CS…"/></div> }
            >
                <Routes fallback=|| view! { <pages::not_found::NotFound/> }>
                    <Route path=path!("/login") view=pages::login::LoginPage/>
                    <ParentRoute path=path!("") view=Shell>
                        <Route path=path!("/") view=|| view! { <Redirect path=redirect::HOME/> }/>
                        <Route path=path!("/dashboard") view=pages::dashboard::DashboardPage/>
                        <Route path=path!("/accounts") view=pages::accounts::AccountsPage/>
                        <Route path=path!("/accounts/new") view=pages::account_new::NewAccountPage/>
                        <Route path=path!("/accounts/:id") view=pages::account_detail::AccountPage/>
                        <Route path=path!("/renewals") view=pages::renewals::RenewalsPage/>
                        <Route path=path!("/proposals/:id") view=pages::proposal::ProposalPage/>
                        <Route path=path!("/import") view=pages::import::ImportPage/>
                        <Route path=path!("/tokens") view=pages::admin_tokens::TokensPage/>
                        <Route path=path!("/notifications/preferences") view=pages::notification_preferences::NotificationPreferencesPage/>
                        <Route path=path!("/admin/users") view=|| view! { <AdminOnly><pages::admin_users::UsersPage/></AdminOnly> }/>
                        <Route path=path!("/admin/custom-fields") view=|| view! { <AdminOnly><pages::admin_fields::CustomFieldsPage/></AdminOnly> }/>
                        <Route path=path!("/admin/settings") view=|| view! { <AdminOnly><pages::admin_settings::SettingsPage/></AdminOnly> }/>
                        <Route path=path!("/admin/jobs") view=|| view! { <AdminOnly><pages::admin_jobs::JobsPage/></AdminOnly> }/>
                        <Route path=path!("/*any") view=pages::not_found::NotFound/>
                    </ParentRoute>
                </Routes>
            </Show>
        </Router>
    }
}

/// Renders the frame of every signed-in page. Without a session it sends the browser to
/// the login page, which returns here after sign-in.
#[component]
fn Shell() -> impl IntoView {
    let auth = use_auth();
    let location = use_location();
    let navigate = use_navigate();

    Effect::new(move |_| {
        if auth.session.with(Option::is_some) {
            return;
        }
        let target = if auth.signed_out.get_untracked() {
            "/login".to_owned()
        } else {
            let search = location.search.get_untracked();
            let query = if search.is_empty() { String::new() } else { format!("?{search}") };
            redirect::login_url(&format!("{}{query}", location.pathname.get_untracked()))
        };
        navigate(&target, NavigateOptions { replace: true, ..NavigateOptions::default() });
    });

    view! {
        <Show when=move || auth.session.with(Option::is_some)>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <div class="shell">
                <SideNav/>
                <div class="shell-main">
                    <TopBar/>
                    <main id="main" class="content" tabindex="-1">
                        <Outlet/>
                    </main>
                </div>
            </div>
            <NoticeStack/>
        </Show>
    }
}

#[component]
fn SideNav() -> impl IntoView {
    let auth = use_auth();
    let business = use_business();
    view! {
        <nav class="sidenav" aria-label="Main">
            <A href="/dashboard" {..} class="brand">
                <span class="brand-mark" aria-hidden="true"></span>
                <span>"Mango CS"</span>
            </A>
            <ul class="nav-list">
                <li><A href="/dashboard">"Dashboard"</A></li>
                <li><A href="/accounts">{move || business.labels().accounts()}</A></li>
                <Show when=move || business.is_on(Feature::Renewals)>
                    <li><A href="/renewals">"Renewals"</A></li>
                </Show>
                <li><A href="/import">"Import"</A></li>
                <li><A href="/tokens">"API tokens"</A></li>
            </ul>
            <Show when=move || auth.is_admin()>
                <p class="nav-heading" id="nav-admin">"Administration"</p>
                <ul class="nav-list" aria-labelledby="nav-admin">
                    <li><A href="/admin/users">"Users"</A></li>
                    <li><A href="/admin/custom-fields">"Custom fields"</A></li>
                    <li><A href="/admin/settings">"Settings"</A></li>
                    <li><A href="/admin/jobs">"Jobs"</A></li>
                </ul>
            </Show>
        </nav>
    }
}

#[component]
fn TopBar() -> impl IntoView {
    let auth = use_auth();
    let notifier = use_notifier();
    let navigate = use_navigate();
    let signing_out = RwSignal::new(false);

    let sign_out = move |_| {
        signing_out.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            // The local session ends even when the server cannot be reached.
            if api::logout().await.is_err() {
                notifier.error("The server did not confirm the sign-out; close the browser to be sure.");
            }
            auth.sign_out();
            signing_out.set(false);
            navigate("/login", NavigateOptions::default());
        });
    };

    view! {
        <header class="topbar">
            <span class="business-name">
                {move || auth.session.with(|session| session.as_ref().map(|session| session.business.name.clone()))}
            </span>
            <div class="topbar-right">
                <NotificationBell/>
                {move || {
                    auth.session.get().map(|session| {
                        view! {
                            <div class="user-box">
                                <span class="user-name">{session.user.name.clone()}</span>
                                <RoleBadge role=session.user.role/>
                            </div>
                        }
                    })
                }}
                <button type="button" class="button button-quiet" on:click=sign_out disabled=move || signing_out.get()>
                    "Sign out"
                </button>
            </div>
        </header>
    }
}

/// Renders the on-screen stack of recent messages about finished actions.
#[component]
fn NoticeStack() -> impl IntoView {
    let notifier = use_notifier();
    view! {
        <div class="notices" role="status" aria-live="polite">
            <For each=move || notifier.visible() key=|notice| notice.id let:notice>
                <div class=match notice.severity {
                    Severity::Error | Severity::Warning => "notice notice-error",
                    Severity::Success => "notice notice-success",
                    Severity::Info => "notice",
                }>
                    <span>{notice.text.clone()}</span>
                    <button
                        type="button"
                        class="notice-close"
                        aria-label="Dismiss"
                        on:click=move |_| notifier.dismiss(notice.id)
                    >
                        "×"
                    </button>
                </div>
            </For>
        </div>
    }
}

/// Renders its children only for admins; other roles see why the page is closed.
#[component]
fn AdminOnly(children: ChildrenFn) -> impl IntoView {
    let auth = use_auth();
    view! {
        <Show
            when=move || auth.is_admin()
            fallback=|| {
                view! {
                    <div class="state state-error">
                        <p class="state-title">"Admins only"</p>
                        <p class="state-detail">"This page is for admins. Ask an admin of your business if you need access."</p>
                        <A href="/accounts">{format!("Back to {}", use_labels().accounts().to_lowercase())}</A>
                    </div>
                }
            }
        >
            {children()}
        </Show>
    }
}
