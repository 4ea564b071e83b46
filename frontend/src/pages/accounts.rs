//! The account list: search, filters, sortable columns and paging, all kept in the
//! address so a view can be bookmarked and shared, and a CSV export of the same view.

use std::collections::HashMap;
use std::time::Duration;

use api_types::accounts::Account;
use api_types::users::User;
use api_types::Page;
use crm_core::{Stage, UserId};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::alerts::alert_for;
use crate::api::{self, ApiError};
use crate::business::use_business;
use crate::components::{EmptyState, ErrorState, HealthBadge, Loading, PageHeader, Pager, RiskBadge, StageBadge};
use crate::labels;
use crate::list_query::{ListQuery, PAGE_SIZE};

/// Wait after the last keystroke before the search runs, in milliseconds.
const SEARCH_DELAY_MS: u64 = 300;

#[component]
pub fn AccountsPage() -> impl IntoView {
    let query_map = use_query_map();
    let navigate = use_navigate();
    let view_query = Memo::new(move |_| query_map.with(|map| ListQuery::from_params(|key| map.get(key))));

    let go = Callback::new(move |next: ListQuery| {
        navigate(&next.to_url(), NavigateOptions { scroll: false, ..NavigateOptions::default() });
    });

    let users = LocalResource::new(api::assignable_users);
    let accounts = LocalResource::new(move || {
        let params = view_query.get().page_params();
        async move { api::list_accounts(&params).await }
    });
    let refreshing = RwSignal::new(false);

    let user_names = user_names(users);

    let business = use_business();
    view! {
        <PageHeader title=business.labels().accounts() subtitle="Your book of business: search, filter and open an account.">
            <a
                class="button"
                href=move || api::accounts_csv_url(&view_query.get().filter_params())
                download="accounts.csv"
            >
                "Export CSV"
            </a>
            <A href="/accounts/new" {..} class="button button-primary">"New account"</A>
        </PageHeader>
        <Filters view_query=view_query go=go users=users/>
        <section class="card card-flush" aria-label="Account list" aria-busy=move || refreshing.get().to_string()>
            <Transition fallback=|| view! { <Loading text="Loading accounts…"/> } set_pending=refreshing.write_only()>
                {move || {
                    accounts
                        .get()
                        .map(|result| match result {
                            Ok(page) => view! { <AccountTable page=page view_query=view_query go=go user_names=user_names/> }.into_any(),
                            Err(error) => {
                                view! { <ErrorState alert=alert_for(&error, "load accounts") retry=move || accounts.refetch()/> }
                                    .into_any()
                            }
                        })
                }}
            </Transition>
        </section>
    }
}

/// Names of the assignable users by id, for the CSM column; `None` until they have loaded.
pub(crate) fn user_names(users: LocalResource<Result<Vec<User>, ApiError>>) -> Memo<Option<HashMap<UserId, String>>> {
    Memo::new(move |_| {
        users
            .get()
            .and_then(Result::ok)
            .map(|users| users.into_iter().map(|user| (user.id, user.name)).collect::<HashMap<UserId, String>>())
    })
}

/// Returns the CSM's name for a list cell as a reactive closure, because the users may load
/// after the list.
pub(crate) fn csm_name(
    csm_id: Option<UserId>,
    user_names: Memo<Option<HashMap<UserId, String>>>,
) -> impl Fn() -> String + Send + Sync + 'static {
    move || match (csm_id, user_names.get()) {
        (None, _) | (Some(_), None) => "—".to_owned(),
        (Some(id), Some(names)) => names.get(&id).cloned().unwrap_or_else(|| "Inactive user".to_owned()),
    }
}

#[component]
fn Filters(
    view_query: Memo<ListQuery>,
    go: Callback<ListQuery>,
    users: LocalResource<Result<Vec<User>, ApiError>>,
) -> impl IntoView {
    let business = use_business();
    let search = RwSignal::new(view_query.get_untracked().q);
    let pending_search = StoredValue::new(None::<TimeoutHandle>);

    // Back and forward buttons change the address; keep the box in step unless the
    // difference is only the spaces the user is still typing.
    Effect::new(move |_| {
        let q = view_query.with(|query| query.q.clone());
        if search.with_untracked(|text| text.trim() != q) {
            search.set(q);
        }
    });

    let run_search = move || {
        if let Some(handle) = pending_search.get_value() {
            handle.clear();
        }
        let text = search.get_untracked().trim().to_owned();
        let current = view_query.get_untracked();
        if current.q != text {
            go.run(current.with_filters(|query| query.q = text));
        }
    };
    let on_search_input = move |event| {
        search.set(event_target_value(&event));
        if let Some(handle) = pending_search.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(run_search, Duration::from_millis(SEARCH_DELAY_MS)).ok();
        pending_search.set_value(handle);
    };
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        run_search();
    };

    let set_stage = move |event| {
        let stage = event_target_value(&event).parse::<Stage>().ok();
        go.run(view_query.get_untracked().with_filters(|query| query.stage = stage));
    };
    let set_risk = move |event| {
        let at_risk = match event_target_value(&event).as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        };
        go.run(view_query.get_untracked().with_filters(|query| query.at_risk = at_risk));
    };
    let set_csm = move |event| {
        let csm_id = event_target_value(&event).parse::<UserId>().ok();
        go.run(view_query.get_untracked().with_filters(|query| query.csm_id = csm_id));
    };

    view! {
        <form class="filters" role="search" on:submit=on_submit>
            <div class="field field-search">
                <label for="filter-q">"Search"</label>
                <input
                    id="filter-q"
                    type="search"
                    placeholder="Name or domain"
                    autocomplete="off"
                    prop:value=move || search.get()
                    on:input=on_search_input
                />
            </div>
            <div class="field">
                <label for="filter-stage">"Stage"</label>
                <select id="filter-stage" on:change=set_stage prop:value=move || view_query.with(|query| query.stage.map(|stage| stage.to_string()).unwrap_or_default())>
                    <option value="">"All stages"</option>
                    {move || {
                        // The options render again when the labels load, so each one
                        // carries its own selection.
                        let selected = view_query.with_untracked(|query| query.stage.map(|stage| stage.to_string()));
                        business
                            .labels()
                            .stage_options()
                            .into_iter()
                            .map(|(value, label)| {
                                let is_selected = selected.as_deref() == Some(value.as_str());
                                view! { <option value=value selected=is_selected>{label}</option> }
                            })
                            .collect_view()
                    }}
                </select>
            </div>
            <div class="field">
                <label for="filter-risk">"Risk"</label>
                <select id="filter-risk" on:change=set_risk prop:value=move || view_query.with(|query| query.at_risk.map(|flag| flag.to_string()).unwrap_or_default())>
                    <option value="">"Any"</option>
                    <option value="true">"At risk"</option>
                    <option value="false">"Not at risk"</option>
                </select>
            </div>
            <div class="field">
                <label for="filter-csm">{move || business.labels().csm()}</label>
                <select id="filter-csm" on:change=set_csm prop:value=move || view_query.with(|query| query.csm_id.map(|id| id.to_string()).unwrap_or_default())>
                    <option value="">"Anyone"</option>
                    {move || {
                        let selected = view_query.with_untracked(|query| query.csm_id);
                        users
                            .get()
                            .and_then(Result::ok)
                            .unwrap_or_default()
                            .into_iter()
                            .map(|user| {
                                let is_selected = selected == Some(user.id);
                                view! { <option value=user.id.to_string() selected=is_selected>{user.name}</option> }
                            })
                            .collect_view()
                    }}
                </select>
            </div>
            <Show when=move || view_query.with(ListQuery::is_filtered)>
                <button type="button" class="button button-quiet filters-clear" on:click=move |_| go.run(ListQuery::default())>
                    "Clear filters"
                </button>
            </Show>
        </form>
    }
}

/// Renders a sortable column header whose button announces the current direction.
#[component]
fn SortHeader(
    column: &'static str,
    #[prop(into)] label: Signal<String>,
    view_query: Memo<ListQuery>,
    go: Callback<ListQuery>,
    #[prop(optional)] numeric: bool,
) -> impl IntoView {
    let direction = move || view_query.with(|query| query.sort_direction(column));
    let aria_sort = move || match direction() {
        Some(true) => "ascending",
        Some(false) => "descending",
        None => "none",
    };
    let arrow = move || match direction() {
        Some(true) => "▲",
        Some(false) => "▼",
        None => "↕",
    };
    view! {
        <th scope="col" aria-sort=aria_sort class:numeric=numeric>
            <button type="button" class="sort-button" on:click=move |_| go.run(view_query.get_untracked().toggle_sort(column))>
                {label}
                <span class="sort-arrow" aria-hidden="true">{arrow}</span>
            </button>
        </th>
    }
}

#[component]
fn AccountTable(
    page: Page<Account>,
    view_query: Memo<ListQuery>,
    go: Callback<ListQuery>,
    user_names: Memo<Option<HashMap<UserId, String>>>,
) -> impl IntoView {
    let query = view_query.get_untracked();
    if page.items.is_empty() {
        return if query.is_filtered() {
            view! {
                <EmptyState title="No accounts match these filters" detail="Try a shorter search or clear the filters.">
                    <button type="button" class="button" on:click=move |_| go.run(ListQuery::default())>"Clear filters"</button>
                </EmptyState>
            }
            .into_any()
        } else if page.total > 0 {
            view! {
                <EmptyState title="This page is empty" detail="The list is shorter than this page number.">
                    <button type="button" class="button" on:click=move |_| go.run(view_query.get_untracked().with_page(1))>"First page"</button>
                </EmptyState>
            }
            .into_any()
        } else {
            view! {
                <EmptyState title="No accounts yet" detail="Import your accounts from a CSV file, or add the first one by hand.">
                    <A href="/import" {..} class="button button-primary">"Import a CSV"</A>
                    <A href="/accounts/new" {..} class="button">"New account"</A>
                </EmptyState>
            }
            .into_any()
        };
    }

    let today = labels::today();
    let first = i64::from(query.page - 1) * PAGE_SIZE + 1;
    let last = first + page.items.len() as i64 - 1;
    let page_count = ListQuery::page_count(page.total);
    let current_page = query.page;
    let rows = page
        .items
        .into_iter()
        .map(|account| {
            let csm = csm_name(account.csm_id, user_names);
            let renewal = account.renewal_date.map(|date| {
                let relative = labels::days_from(today, date);
                view! { <span title=relative>{labels::date(date)}</span> }
            });
            view! {
                <tr>
                    <td class="cell-primary">
                        <A href=format!("/accounts/{}", account.id)>{account.name.clone()}</A>
                        {account.domain.clone().map(|domain| view! { <span class="cell-sub">{domain}</span> })}
                    </td>
                    <td><StageBadge stage=account.stage/></td>
                    <td class="numeric"><HealthBadge score=account.health_score/></td>
                    <td>{account.at_risk.then(|| view! { <RiskBadge reasons=account.at_risk_reasons.clone()/> })}</td>
                    <td>{csm}</td>
                    <td>{renewal}</td>
                    <td class="muted">{labels::date(account.updated_at.date_naive())}</td>
                </tr>
            }
        })
        .collect_view();

    let business = use_business();
    view! {
        <div class="table-wrap">
            <table class="table">
                <caption class="visually-hidden">"Accounts, sorted by the column marked in its header"</caption>
                <thead>
                    <tr>
                        <SortHeader column="name" label=Signal::derive(move || business.labels().account()) view_query=view_query go=go/>
                        <th scope="col">"Stage"</th>
                        <SortHeader column="health_score" label="Health" view_query=view_query go=go numeric=true/>
                        <th scope="col">"Risk"</th>
                        <th scope="col">{move || business.labels().csm()}</th>
                        <SortHeader column="renewal_date" label="Renewal" view_query=view_query go=go/>
                        <SortHeader column="updated_at" label="Updated" view_query=view_query go=go/>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <Pager
            page=current_page
            page_count=page_count
            first=first
            last=last
            total=page.total
            go=Callback::new(move |page| go.run(view_query.get_untracked().with_page(page)))
        />
    }
    .into_any()
}
