//! The renewal pipeline: the renewals of the next 30, 60 or 90 days with their stage and
//! annual revenue, and stage chips with the summary's counts. The page also has an owner
//! filter, a CSV export of the same view and a button that drafts a renewal proposal. The
//! view is kept in the address.

use std::collections::HashMap;

use api_types::renewals::{RenewalEntry, RenewalPage, RenewalSummary};
use crm_core::UserId;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use renewals::{RenewalStage, RenewalWindow};

use crate::alerts::{alert_for, Alert};
use crate::api;
use crate::business::use_business;
use crate::business_settings::Feature;
use crate::components::{AlertSlot, EmptyState, ErrorState, FeatureOff, Loading, PageHeader, Pager};
use crate::labels;
use crate::money;
use crate::pages::accounts::{csm_name, user_names};
use crate::renewal_query::{RenewalQuery, PAGE_SIZE};
use crate::session::use_auth;

/// Returns the badge class of a renewal stage.
pub(crate) fn renewal_stage_class(stage: RenewalStage) -> &'static str {
    match stage {
        RenewalStage::Churning => "badge badge-renewal-churning",
        RenewalStage::AtRisk => "badge badge-renewal-at-risk",
        RenewalStage::Expanding => "badge badge-renewal-expanding",
        RenewalStage::OnTrack => "badge badge-renewal-on-track",
    }
}

/// Renders a renewal's stage badge with the reason in words under it.
#[component]
pub(crate) fn RenewalStageCell(entry: RenewalEntry) -> impl IntoView {
    view! {
        <span class=renewal_stage_class(entry.stage)>{entry.stage.label()}</span>
        {entry.stage_reason.map(|reason| view! { <span class="cell-sub">{labels::stage_reason(reason)}</span> })}
    }
}

/// Returns an entry's annual revenue as shown in a cell, or a dash for an account entry.
pub(crate) fn arr_text(entry: &RenewalEntry) -> String {
    entry.arr.as_ref().map(money::format_money).unwrap_or_else(|| "—".to_owned())
}

/// Renders the pipeline, or the turned-off state while the renewals feature is off.
#[component]
pub fn RenewalsPage() -> impl IntoView {
    let business = use_business();
    view! {
        <Show
            when=move || business.is_on(Feature::Renewals)
            fallback=|| view! {
                <PageHeader title="Renewals"/>
                <FeatureOff feature=Feature::Renewals/>
            }
        >
            <RenewalPipeline/>
        </Show>
    }
}

#[component]
fn RenewalPipeline() -> impl IntoView {
    let auth = use_auth();
    let business = use_business();
    let me = Memo::new(move |_| auth.session.with(|session| session.as_ref().map(|session| session.user.id)));
    let query_map = use_query_map();
    let navigate = use_navigate();
    let view_query = Memo::new(move |_| query_map.with(|map| RenewalQuery::from_params(|key| map.get(key))));
    let go = Callback::new(move |next: RenewalQuery| {
        navigate(&next.to_url(), NavigateOptions { scroll: false, ..NavigateOptions::default() });
    });

    let users = LocalResource::new(api::assignable_users);
    let user_names = user_names(users);
    // The summary ignores the stage and the page, so only the window and owner reload it.
    let summary_view =
        Memo::new(move |_| view_query.with(|query| RenewalQuery { stage: None, page: 1, ..query.clone() }));
    let summary = LocalResource::new(move || {
        let params = summary_view.get().summary_params(me.get());
        async move { api::renewal_summary(&params).await }
    });
    let entries = LocalResource::new(move || {
        let params = view_query.get().page_params(me.get());
        async move { api::renewals(&params).await }
    });
    let refreshing = RwSignal::new(false);
    let alert = RwSignal::new(None::<Alert>);

    view! {
        <PageHeader title="Renewals" subtitle="Subscriptions and accounts renewing soon, by stage.">
            <a
                class="button"
                href=move || api::renewals_csv_url(&view_query.get().filter_params(me.get()))
                download="renewals.csv"
            >
                "Export CSV"
            </a>
        </PageHeader>
        <Controls view_query=view_query go=go/>
        <Transition fallback=|| view! { <Loading text="Loading the stage counts…"/> }>
            {move || {
                summary
                    .get()
                    .map(|result| match result {
                        Ok(summary) => view! { <StageChips summary=summary view_query=view_query go=go/> }.into_any(),
                        // `is_off_error` records the feature as off, which shows the turned-off state.
                        Err(error) if business.is_off_error(Feature::Renewals, &error) => ().into_any(),
                        Err(error) => view! {
                            <ErrorState alert=alert_for(&error, "load the renewal summary") retry=move || summary.refetch()/>
                        }
                        .into_any(),
                    })
            }}
        </Transition>
        <AlertSlot alert=alert/>
        <section class="card card-flush" aria-label="Renewal list" aria-busy=move || refreshing.get().to_string()>
            <Transition fallback=|| view! { <Loading text="Loading renewals…"/> } set_pending=refreshing.write_only()>
                {move || {
                    entries
                        .get()
                        .map(|result| match result {
                            Ok(page) => view! {
                                <RenewalTable page=page view_query=view_query go=go user_names=user_names alert=alert/>
                            }
                            .into_any(),
                            Err(error) if business.is_off_error(Feature::Renewals, &error) => ().into_any(),
                            Err(error) => view! {
                                <ErrorState alert=alert_for(&error, "load renewals") retry=move || entries.refetch()/>
                            }
                            .into_any(),
                        })
                }}
            </Transition>
        </section>
    }
}

/// Renders the window switch and the "My accounts" toggle.
#[component]
fn Controls(view_query: Memo<RenewalQuery>, go: Callback<RenewalQuery>) -> impl IntoView {
    let windows = RenewalWindow::ALL
        .iter()
        .map(|window| {
            let window = *window;
            let pressed = move || view_query.with(|query| query.window == window).to_string();
            view! {
                <button
                    type="button"
                    class="segment"
                    aria-pressed=pressed
                    on:click=move |_| go.run(view_query.get_untracked().with_filters(|query| query.window = window))
                >
                    {format!("{} days", window.days())}
                </button>
            }
        })
        .collect_view();
    let toggle_mine = move |event| {
        let mine = event_target_checked(&event);
        go.run(view_query.get_untracked().with_filters(|query| query.mine = mine));
    };

    view! {
        <div class="renewal-controls">
            <div class="segments" role="group" aria-label="Renewing within">{windows}</div>
            <label class="checkbox">
                <input type="checkbox" prop:checked=move || view_query.with(|query| query.mine) on:change=toggle_mine/>
                "My accounts"
            </label>
        </div>
    }
}

/// Renders "All" and one chip per stage with the summary's counts, and the annual revenue
/// renewing in the window per currency.
#[component]
fn StageChips(summary: RenewalSummary, view_query: Memo<RenewalQuery>, go: Callback<RenewalQuery>) -> impl IntoView {
    let chip = move |stage: Option<RenewalStage>, label: &'static str, count: i64| {
        let pressed = move || view_query.with(|query| query.stage == stage).to_string();
        let key = stage.map_or("all", RenewalStage::as_str);
        view! {
            <button
                type="button"
                class="chip"
                data-stage=key
                aria-pressed=pressed
                on:click=move |_| go.run(view_query.get_untracked().with_filters(|query| query.stage = stage))
            >
                <span>{label}</span>
                <span class="chip-count">{count}</span>
            </button>
        }
    };
    let chips =
        summary.stages.iter().map(|stage| chip(Some(stage.stage), stage.stage.label(), stage.count)).collect_view();
    let stage_sums: HashMap<RenewalStage, String> =
        summary.stages.iter().map(|stage| (stage.stage, money::format_sums(&stage.arr))).collect();
    let window = summary.window;
    let total_arr = money::format_sums(&summary.total_arr);
    let stage_arr = move || {
        view_query.with(|query| query.stage).map(|stage| {
            let sums = stage_sums.get(&stage).cloned().unwrap_or_else(|| "0".to_owned());
            view! { <span class="renewal-total">{format!("{}: {sums}", stage.label())}</span> }
        })
    };

    view! {
        <div class="chips" role="group" aria-label="Stage">
            {chip(None, "All", summary.total)}
            {chips}
        </div>
        <p class="renewal-totals">
            <span class="renewal-total">{format!("ARR renewing in {window} days: {total_arr}")}</span>
            {stage_arr}
        </p>
    }
}

#[component]
fn RenewalTable(
    page: RenewalPage,
    view_query: Memo<RenewalQuery>,
    go: Callback<RenewalQuery>,
    user_names: Memo<Option<HashMap<UserId, String>>>,
    alert: RwSignal<Option<Alert>>,
) -> impl IntoView {
    let query = view_query.get_untracked();
    if page.items.is_empty() {
        return if page.total > 0 {
            view! {
                <EmptyState title="This page is empty" detail="The list is shorter than this page number.">
                    <button type="button" class="button" on:click=move |_| go.run(view_query.get_untracked().with_page(1))>"First page"</button>
                </EmptyState>
            }
            .into_any()
        } else if query.stage.is_some() || query.mine {
            view! {
                <EmptyState
                    title="No renewals match these filters"
                    detail=format!("Nothing in this stage or owner renews in the next {} days.", page.window)
                >
                    <button
                        type="button"
                        class="button"
                        on:click=move |_| go.run(view_query.get_untracked().with_filters(|query| {
                            query.stage = None;
                            query.mine = false;
                        }))
                    >
                        "Clear filters"
                    </button>
                </EmptyState>
            }
            .into_any()
        } else {
            view! {
                <EmptyState
                    title="No renewals in this window"
                    detail=format!(
                        "No subscription period ends and no account renews in the next {} days. Try a longer window.",
                        page.window
                    )
                />
            }
            .into_any()
        };
    }

    let first = i64::from(query.page - 1) * PAGE_SIZE + 1;
    let last = first + page.items.len() as i64 - 1;
    let page_count = RenewalQuery::page_count(page.total);
    let current_page = query.page;
    // The subscription whose proposal is being generated; it disables every row's button.
    let generating = RwSignal::new(None::<String>);
    let rows = page
        .items
        .into_iter()
        .map(|entry| view! { <RenewalRow entry=entry user_names=user_names generating=generating alert=alert/> })
        .collect_view();

    let business = use_business();
    view! {
        <div class="table-wrap">
            <table class="table">
                <caption class="visually-hidden">
                    {format!("Renewals in the next {} days after {}, soonest first", page.window, labels::date(page.as_of))}
                </caption>
                <thead>
                    <tr>
                        <th scope="col">{move || business.labels().account()}</th>
                        <th scope="col">{move || business.labels().csm()}</th>
                        <th scope="col">"Renewal date"</th>
                        <th scope="col" class="numeric">"Days left"</th>
                        <th scope="col" class="numeric">"ARR"</th>
                        <th scope="col">"Stage"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
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

#[component]
fn RenewalRow(
    entry: RenewalEntry,
    user_names: Memo<Option<HashMap<UserId, String>>>,
    generating: RwSignal<Option<String>>,
    alert: RwSignal<Option<Alert>>,
) -> impl IntoView {
    let navigate = use_navigate();
    let subscription = entry.subscription.clone();
    let plan = subscription.as_ref().map(|subscription| subscription.plan_name.clone());
    let action = subscription.map(|subscription| {
        let subscription_id = subscription.id;
        let busy_id = subscription_id.clone();
        let generate = move |_| {
            let subscription_id = subscription_id.clone();
            let navigate = navigate.clone();
            alert.set(None);
            generating.set(Some(subscription_id.clone()));
            spawn_local(async move {
                match api::generate_proposal(&subscription_id).await {
                    Ok(proposal) => navigate(&format!("/proposals/{}", proposal.id), NavigateOptions::default()),
                    Err(error) => {
                        alert.set(Some(alert_for(&error, "generate the renewal proposal")));
                        generating.set(None);
                    }
                }
            });
        };
        view! {
            <button
                type="button"
                class="button button-small"
                disabled=move || generating.with(Option::is_some)
                on:click=generate
            >
                {move || {
                    if generating.with(|id| id.as_deref() == Some(busy_id.as_str())) {
                        "Generating…"
                    } else {
                        "Generate renewal proposal"
                    }
                }}
            </button>
        }
    });

    let name = entry.account.name.clone();
    let arr = arr_text(&entry);
    view! {
        <tr
            data-account-id=entry.account.id.to_string()
            data-subscription-id=entry.subscription.as_ref().map(|subscription| subscription.id.clone())
        >
            <td class="cell-primary">
                <A href=format!("/accounts/{}", entry.account.id)>{name}</A>
                {plan.map(|plan| view! { <span class="cell-sub">{plan}</span> })}
            </td>
            <td>{csm_name(entry.account.csm_id, user_names)}</td>
            <td>{labels::date(entry.renewal_date)}</td>
            <td class="numeric">{labels::days_left(entry.days_to_renewal)}</td>
            <td class="numeric">{arr}</td>
            <td><RenewalStageCell entry=entry.clone()/></td>
            <td><div class="row-actions">{action}</div></td>
        </tr>
    }
}
