//! Administration of users: add a user with a role, change roles, deactivate and
//! reactivate. Admins cannot grant a role above their own or change themselves.

use api_types::users::{User, UserCreate, UserUpdate};
use crm_core::{Role, UserId};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::alerts::{alert_for, field_errors, Alert, FieldErrors};
use crate::api;
use crate::components::{
    confirm, focus_first_invalid, AlertSlot, EmptyState, ErrorState, Loading, PageHeader, SelectField, TextField,
};
use crate::forms;
use crate::labels;
use crate::notify::use_notifier;
use crate::session::use_auth;

/// Returns the signed-in user's id and role.
fn me() -> Option<(UserId, Role)> {
    use_auth().session.with_untracked(|session| session.as_ref().map(|session| (session.user.id, session.user.role)))
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let users = LocalResource::new(api::list_users);
    let refresh = Callback::new(move |_: ()| users.refetch());

    view! {
        <PageHeader title="Users" subtitle="Who can sign in to Mango CS, and with which role."/>
        <AddUserForm on_added=refresh/>
        <section class="card card-flush" aria-label="Users">
            <Transition fallback=|| view! { <Loading text="Loading users…"/> }>
                {move || {
                    users
                        .get()
                        .map(|result| match result {
                            Ok(page) if page.items.is_empty() => {
                                view! { <EmptyState title="No users" detail="Add the first user above."/> }.into_any()
                            }
                            Ok(page) => view! { <UserTable users=page.items on_change=refresh/> }.into_any(),
                            Err(error) => view! {
                                <ErrorState alert=alert_for(&error, "load users") retry=move || users.refetch()/>
                            }
                            .into_any(),
                        })
                }}
            </Transition>
        </section>
    }
}

#[component]
fn UserTable(users: Vec<User>, on_change: Callback<()>) -> impl IntoView {
    let notifier = use_notifier();
    let me = me();

    let save = move |user: User, update: UserUpdate, done: String| {
        spawn_local(async move {
            match api::update_user(user.id, &update).await {
                Ok(_) => notifier.success(done),
                Err(error) => {
                    let alert = alert_for(&error, "change the user");
                    notifier.error(format!("{}: {}", alert.title, alert.detail));
                }
            }
            on_change.run(());
        });
    };

    let rows = users
        .into_iter()
        .map(|user| {
            let is_me = me.is_some_and(|(id, _)| id == user.id);
            let may_manage = me.is_some_and(|(_, role)| role.may_manage(user.role)) && !is_me;
            let grantable: Vec<Role> =
                Role::ALL.iter().copied().filter(|role| me.is_some_and(|(_, mine)| mine.may_grant(*role))).collect();
            let role_user = user.clone();
            let on_role = move |event| {
                let Ok(role) = event_target_value(&event).parse::<Role>() else {
                    return;
                };
                let done = format!("{} is now {}.", role_user.name, labels::role(role));
                save(role_user.clone(), UserUpdate { role: Some(role), ..UserUpdate::default() }, done);
            };
            let active_user = user.clone();
            let on_active = move |_| {
                let activate = !active_user.active;
                if !activate && !confirm(&format!("Deactivate {}? They are signed out and their API tokens stop working.", active_user.name)) {
                    return;
                }
                let verb = if activate { "reactivated" } else { "deactivated" };
                let done = format!("{} is {verb}.", active_user.name);
                save(active_user.clone(), UserUpdate { active: Some(activate), ..UserUpdate::default() }, done);
            };
            let setting_password = RwSignal::new(false);
            let new_password = RwSignal::new(String::new());
            let password_user = user.clone();
            let on_set_password = move |event: leptos::ev::SubmitEvent| {
                event.prevent_default();
                let password = new_password.get_untracked();
                if password.chars().count() < 12 {
                    notifier.error("A password needs at least 12 characters.".to_owned());
                    return;
                }
                setting_password.set(false);
                new_password.set(String::new());
                let done = format!("{} has a new password and was signed out everywhere.", password_user.name);
                save(password_user.clone(), UserUpdate { password: Some(password), ..UserUpdate::default() }, done);
            };
            let password_input_id = format!("password-{}", user.id);
            let password_label = format!("New password for {}", user.name);
            let role_select_id = format!("role-{}", user.id);
            view! {
                <tr>
                    <td class="cell-primary">
                        <span class="contact-name">{user.name.clone()}</span>
                        {is_me.then(|| view! { <span class="cell-sub">"You"</span> })}
                    </td>
                    <td>{user.email.clone()}</td>
                    <td>
                        <label class="visually-hidden" for=role_select_id.clone()>{format!("Role of {}", user.name)}</label>
                        <select id=role_select_id disabled=!may_manage on:change=on_role>
                            {Role::ALL
                                .iter()
                                .filter(|role| **role == user.role || grantable.contains(role))
                                .map(|role| view! { <option value=role.as_str() selected=*role == user.role>{labels::role(*role)}</option> })
                                .collect_view()}
                        </select>
                    </td>
                    <td>
                        {if user.active {
                            view! { <span class="badge badge-stage-active">"Active"</span> }.into_any()
                        } else {
                            view! { <span class="badge badge-inactive">"Deactivated"</span> }.into_any()
                        }}
                    </td>
                    <td class="muted">{labels::date(user.created_at.date_naive())}</td>
                    <td>
                        {may_manage.then(|| view! {
                            <div class="row-actions">
                            <Show
                                when=move || setting_password.get()
                                fallback=move || view! {
                                    <button type="button" class="button button-small" on:click=move |_| setting_password.set(true)>
                                        "Set password"
                                    </button>
                                }
                            >
                                <form class="inline-form" on:submit=on_set_password.clone()>
                                    <label class="visually-hidden" for=password_input_id.clone()>{password_label.clone()}</label>
                                    <input
                                        id=password_input_id.clone()
                                        type="password"
                                        autocomplete="new-password"
                                        placeholder="At least 12 characters"
                                        prop:value=move || new_password.get()
                                        on:input=move |event| new_password.set(event_target_value(&event))
                                    />
                                    <button type="submit" class="button button-small button-primary">"Save"</button>
                                    <button type="button" class="button button-small" on:click=move |_| setting_password.set(false)>
                                        "Cancel"
                                    </button>
                                </form>
                            </Show>
                            <button type="button" class="button button-small" class:button-danger=user.active on:click=on_active>
                                {if user.active { "Deactivate" } else { "Reactivate" }}
                            </button>
                            </div>
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
                        <th scope="col">"Email"</th>
                        <th scope="col">"Role"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Added"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

#[component]
fn AddUserForm(on_added: Callback<()>) -> impl IntoView {
    let notifier = use_notifier();
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Manager.to_string());
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::new());
    let alert = RwSignal::new(None::<Alert>);
    let pending = RwSignal::new(false);
    let role_options: Vec<(String, String)> = Role::ALL
        .iter()
        .filter(|granted| me().is_some_and(|(_, mine)| mine.may_grant(**granted)))
        .map(|granted| (granted.to_string(), labels::role(*granted).to_owned()))
        .collect();

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let mut found = FieldErrors::new();
        forms::require(&mut found, "email", &email.get_untracked(), "an email");
        forms::check_email(&mut found, "email", &email.get_untracked());
        forms::require(&mut found, "name", &name.get_untracked(), "a name");
        forms::check_password(&mut found, "password", &password.get_untracked());
        let chosen = role.get_untracked().parse::<Role>();
        if chosen.is_err() {
            found.insert("role".into(), "Choose a role.".into());
        }
        errors.set(found.clone());
        let (true, Ok(chosen)) = (found.is_empty(), chosen) else {
            focus_first_invalid();
            return;
        };

        let request = UserCreate {
            email: email.get_untracked().trim().to_owned(),
            name: name.get_untracked().trim().to_owned(),
            role: chosen,
            password: forms::optional(&password.get_untracked()).map(|_| password.get_untracked()),
        };
        alert.set(None);
        pending.set(true);
        spawn_local(async move {
            match api::create_user(&request).await {
                Ok(user) => {
                    notifier.success(format!("Added {} as {}.", user.name, labels::role(user.role)));
                    email.set(String::new());
                    name.set(String::new());
                    password.set(String::new());
                    on_added.run(());
                }
                Err(error) => {
                    errors.set(field_errors(&error));
                    focus_first_invalid();
                    alert.set(Some(alert_for(&error, "add the user")));
                }
            }
            pending.set(false);
        });
    };

    view! {
        <section class="card" aria-labelledby="add-user-title">
            <div class="card-header">
                <h2 id="add-user-title">"Add a user"</h2>
            </div>
            <AlertSlot alert=alert/>
            <form class="inline-form" on:submit=submit novalidate=true>
                <TextField form="user" field="email" label="Email" value=email errors=errors input_type="email" required=true/>
                <TextField form="user" field="name" label="Name" value=name errors=errors required=true/>
                <SelectField form="user" field="role" label="Role" value=role errors=errors options=Signal::stored(role_options)/>
                <TextField
                    form="user"
                    field="password"
                    label="Password"
                    value=password
                    errors=errors
                    input_type="password"
                    autocomplete="new-password"
                    hint="At least 12 characters. Without one, the user cannot sign in until you set one."
                />
                <button type="submit" class="button button-primary" disabled=move || pending.get()>"Add user"</button>
            </form>
        </section>
    }
}
