//! The dashboard: how the live accounts spread over the health bands, the accounts at
//! risk, lowest score first, the next renewals and the expansion candidates. The page
//! number is kept in the address. Each section shows only while its feature is on.

use std::collections::HashMap;

use api_types::health::{AtRiskAccount, Dashboard, DashboardParams};
use api_types::renewals::{RenewalListParams, RenewalPage};
use crm_core::UserId;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::alerts::alert_for;
use crate::api;
use crate::business::use_business;
use crate::business_settings::Feature;
use crate::charts::{BarChart, BarDatum};
use crate::components::{EmptyState, ErrorState, HealthBadge, Loading, PageHeader, Pager, StageBadge};
use crate::health_labels;
use crate::labels;
use crate::list_query::{ListQuery, PAGE_SIZE};
use crate::pages::accounts::{csm_name, user_names};
use crate::pages::expansion::ExpansionPanel;
use crate::pages::renewals::{arr_text, RenewalStageCell};

/// The look-ahead of the dashboard's renewals panel, in days, and its number of rows.
const RENEWALS_WINDOW: i64 = 60;
const RENEWALS_SHOWN: i64 = 10;

/// Returns the in-app address of one page of the dashboard.
fn page_url(page: u32) -> String {
    if page <= 1 {
        "/dashboard".to_owned()
    } else {
        format!("/dashboard?page={page}")
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let query_map = use_query_map();
    let navigate = use_navigate();
    let page = Memo::new(move |_| {
        query_map
            .with(|map| map.get("page"))
            .and_then(|page| page.parse::<u32>().ok())
            .filter(|page| *page >= 1)
            .unwrap_or(1)
    });
    let go = Callback::new(move |page: u32| {
        navigate(&page_url(page), NavigateOptions { scroll: false, ..NavigateOptions::default() });
    });

    let users = LocalResource::new(api::assignable_users);
    let user_names = user_names(users);
    let dashboard = LocalResource::new(move || {
        let offset = i64::from(page.get() - 1) * PAGE_SIZE;
        async move { api::dashboard(&DashboardParams { limit: Some(PAGE_SIZE), offset: Some(offset) }).await }
    });
    let refreshing = RwSignal::new(false);
    let business = use_business();

    view! {
        <PageHeader title="Dashboard" subtitle="Health across your book of business and the accounts that need attention."/>
        <Show when=move || business.is_on(Feature::HealthScore)>
            <div aria-busy=move || refreshing.get().to_string()>
                <Transition fallback=|| view! { <Loading text="Loading the dashboard…"/> } set_pending=refreshing.write_only()>
                    {move || {
                        dashboard
                            .get()
                            .map(|result| match result {
                                Ok(dashboard) => view! {
                                    <Distribution dashboard=dashboard.clone()/>
                                    <AtRiskList dashboard=dashboard page=page.get_untracked() go=go user_names=user_names/>
                                }
                                .into_any(),
                                // `is_off_error` records the feature as off, which hides this part.
                                Err(error) if business.is_off_error(Feature::HealthScore, &error) => ().into_any(),
                                Err(error) => view! {
                                    <ErrorState alert=alert_for(&error, "load the dashboard") retry=move || dashboard.refetch()/>
                                }
                                .into_any(),
                            })
                    }}
                </Transition>
            </div>
        </Show>
        <Show when=move || business.is_on(Feature::Renewals)>
            <UpcomingRenewals user_names=user_names/>
        </Show>
        <ExpansionPanel user_names=user_names/>
    }
}

/// Renders the first renewals of the next 60 days with a link to the Renewals page.
#[component]
fn UpcomingRenewals(user_names: Memo<Option<HashMap<UserId, String>>>) -> impl IntoView {
    let business = use_business();
    let renewals = LocalResource::new(|| async {
        let params = RenewalListParams {
            window: Some(RENEWALS_WINDOW),
            limit: Some(RENEWALS_SHOWN),
            ..RenewalListParams::default()
        };
        api::renewals(&params).await
    });

    view! {
        <section class="card card-flush" aria-labelledby="renewals-title">
            <div class="card-header card-header-padded">
                <div>
                    <h2 id="renewals-title">{format!("Renewals in the next {RENEWALS_WINDOW} days")}</h2>
                    <p>"Soonest first, with each renewal's stage and annual recurring revenue."</p>
                </div>
                <A href="/renewals?window=60" {..} class="button">"Open renewals"</A>
            </div>
            <Transition fallback=|| view! { <Loading text="Loading renewals…"/> }>
                {move || {
                    renewals
                        .get()
                        .map(|result| match result {
                            Ok(page) => view! { <RenewalsPanelTable page=page user_names=user_names/> }.into_any(),
                            Err(error) if business.is_off_error(Feature::Renewals, &error) => ().into_any(),
                            Err(error) => view! {
                                <ErrorState alert=alert_for(&error, "load renewals") retry=move || renewals.refetch()/>
                            }
                            .into_any(),
                        })
                }}
            </Transition>
        </section>
    }
}

#[component]
fn RenewalsPanelTable(page: RenewalPage, user_names: Memo<Option<HashMap<UserId, String>>>) -> impl IntoView {
    if page.items.is_empty() {
        return view! {
            <EmptyState
                title="No renewals soon"
                detail=format!("No subscription period ends and no account renews in the next {} days.", page.window)
            />
        }
        .into_any();
    }

    let more = (page.total > page.items.len() as i64).then(
        || view! { <p class="table-note">{format!("The first {} of {} renewals.", page.items.len(), page.total)}</p> },
    );
    let rows = page
        .items
        .into_iter()
        .map(|entry| {
            let name = entry.account.name.clone();
            let arr = arr_text(&entry);
            view! {
                <tr data-account-id=entry.account.id.to_string()>
                    <td class="cell-primary"><A href=format!("/accounts/{}", entry.account.id)>{name}</A></td>
                    <td>{csm_name(entry.account.csm_id, user_names)}</td>
                    <td>{labels::date(entry.renewal_date)}</td>
                    <td class="numeric">{labels::days_left(entry.days_to_renewal)}</td>
                    <td class="numeric">{arr}</td>
                    <td><RenewalStageCell entry=entry.clone()/></td>
                </tr>
            }
        })
        .collect_view();
    let business = use_business();
    view! {
        <div class="table-wrap">
            <table class="table" aria-label="Upcoming renewals">
                <thead>
                    <tr>
                        <th scope="col">{move || business.labels().account()}</th>
                        <th scope="col">{move || business.labels().csm()}</th>
                        <th scope="col">"Renewal date"</th>
                        <th scope="col" class="numeric">"Days left"</th>
                        <th scope="col" class="numeric">"ARR"</th>
                        <th scope="col">"Stage"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        {more}
    }
    .into_any()
}

#[component]
fn Distribution(dashboard: Dashboard) -> impl IntoView {
    let live: i64 = dashboard.distribution.iter().map(|band| band.count).sum();
    let data = dashboard
        .distribution
        .into_iter()
        .map(|band| BarDatum {
            key: health_labels::band_key(band.band).to_owned(),
            label: band.label,
            count: band.count,
            class: health_labels::band_class(band.band),
        })
        .collect::<Vec<_>>();

    view! {
        <section class="card" aria-labelledby="distribution-title">
            <div class="card-header">
                <div>
                    <h2 id="distribution-title">"Health distribution"</h2>
                    <p>
                        {format!("{live} accounts that have not churned, by latest score: ")}
                        "Healthy 75+, OK 50–74, At risk 25–49, Critical under 25, Unknown without a score."
                    </p>
                </div>
            </div>
            <div class="chart-box">
                <BarChart title="Accounts per health band" data=data/>
            </div>
        </section>
    }
}

#[component]
fn AtRiskList(
    dashboard: Dashboard,
    page: u32,
    go: Callback<u32>,
    user_names: Memo<Option<HashMap<UserId, String>>>,
) -> impl IntoView {
    let business = use_business();
    let threshold = dashboard.at_risk_threshold;
    let total = dashboard.at_risk_total;
    let explanation = format!(
        "{total} {} under {threshold} or flagged at risk, lowest score first.",
        if total == 1 { "live account scores" } else { "live accounts score" }
    );

    let body = if dashboard.at_risk.is_empty() {
        if total > 0 {
            view! {
                <EmptyState title="This page is empty" detail="The list is shorter than this page number.">
                    <button type="button" class="button" on:click=move |_| go.run(1)>"First page"</button>
                </EmptyState>
            }
            .into_any()
        } else {
            view! {
                <EmptyState
                    title="No accounts at risk"
                    detail=format!("No live account scores under {threshold} or is flagged at risk.")
                />
            }
            .into_any()
        }
    } else {
        let first = i64::from(page - 1) * PAGE_SIZE + 1;
        let last = first + dashboard.at_risk.len() as i64 - 1;
        let rows = dashboard
            .at_risk
            .into_iter()
            .map(|account| view! { <AtRiskRow account=account user_names=user_names/> })
            .collect_view();
        view! {
            <div class="table-wrap">
                <table class="table" aria-label="At-risk accounts">
                    <thead>
                        <tr>
                            <th scope="col">{move || business.labels().account()}</th>
                            <th scope="col" class="numeric">"Health"</th>
                            <th scope="col">"Stage"</th>
                            <th scope="col">"Reasons"</th>
                            <th scope="col">{move || business.labels().csm()}</th>
                            <th scope="col">"Renewal"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <Pager page=page page_count=ListQuery::page_count(total) first=first last=last total=total go=go/>
        }
        .into_any()
    };

    view! {
        <section class="card card-flush" aria-labelledby="at-risk-title">
            <div class="card-header card-header-padded">
                <div>
                    <h2 id="at-risk-title">"At-risk accounts"</h2>
                    <p>{explanation}</p>
                </div>
            </div>
            {body}
        </section>
    }
}

#[component]
fn AtRiskRow(account: AtRiskAccount, user_names: Memo<Option<HashMap<UserId, String>>>) -> impl IntoView {
    let reasons = if account.at_risk_reasons.is_empty() {
        health_labels::NONE.to_owned()
    } else {
        account.at_risk_reasons.iter().map(|reason| labels::at_risk_reason(*reason)).collect::<Vec<_>>().join(", ")
    };
    let renewal = account.renewal_date.map(labels::date).unwrap_or_else(|| health_labels::NONE.to_owned());
    view! {
        <tr data-account-id=account.id.to_string()>
            <td class="cell-primary"><A href=format!("/accounts/{}", account.id)>{account.name}</A></td>
            <td class="numeric"><HealthBadge score=account.health_score/></td>
            <td><StageBadge stage=account.stage/></td>
            <td class="cell-reasons">{reasons}</td>
            <td>{csm_name(account.csm_id, user_names)}</td>
            <td>{renewal}</td>
        </tr>
    }
}
