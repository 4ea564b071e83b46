//! The health panel of the account page: the latest snapshot's overall score and band,
//! its change since the snapshot before, the four components with their weights,
//! narratives and raw inputs, and a chart of the overall score over time.

use api_types::health::{AccountHealth, HealthComponent, HealthHistoryParams};
use crm_core::AccountId;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::alerts::alert_for;
use crate::api;
use crate::charts::ScoreLineChart;
use crate::components::{EmptyState, ErrorState, Loading};
use crate::health_labels;
use crate::labels;
use crate::session::use_auth;

/// Days of history the chart shows.
const HISTORY_DAYS: i64 = 90;

#[component]
pub fn HealthCard(account_id: AccountId) -> impl IntoView {
    let health = LocalResource::new(move || api::account_health(account_id));

    view! {
        <section class="card health-card" aria-labelledby="health-title">
            <div class="card-header">
                <h2 id="health-title">"Health"</h2>
                {move || {
                    health.get().and_then(Result::ok).map(|health| {
                        view! { <p class="health-as-of">{format!("As of {}", labels::date(health.as_of))}</p> }
                    })
                }}
            </div>
            <Suspense fallback=|| view! { <Loading text="Loading the health score…"/> }>
                {move || {
                    health
                        .get()
                        .map(|result| match result {
                            Ok(health) => view! { <HealthSummary health=health/> }.into_any(),
                            // The account exists, since the page loaded it, so a 404 means
                            // the job has not scored it yet.
                            Err(error) if error.status() == Some(404) => view! { <NoSnapshot/> }.into_any(),
                            Err(error) => view! {
                                <ErrorState alert=alert_for(&error, "load the health score") retry=move || health.refetch()/>
                            }
                            .into_any(),
                        })
                }}
            </Suspense>
        </section>
    }
}

#[component]
fn NoSnapshot() -> impl IntoView {
    let auth = use_auth();
    view! {
        <EmptyState title="No health score yet" detail="It is computed nightly.">
            <Show when=move || auth.is_admin()>
                <p class="muted">
                    "Admins can compute it now on the "<A href="/admin/jobs">"Jobs"</A>" page."
                </p>
            </Show>
        </EmptyState>
    }
}

#[component]
fn HealthSummary(health: AccountHealth) -> impl IntoView {
    let account_id = health.account_id;
    let band = health.band;
    let change = match (health.previous_overall_score, health.previous_as_of) {
        (Some(previous), Some(previous_as_of)) => {
            let change = f64::from(health.overall_score - previous);
            view! {
                <p class="health-change">
                    <span class=health_labels::change_class(change) data-testid="overall-change">{health_labels::change(change)}</span>
                    {format!(" since {} (was {previous})", labels::date(previous_as_of))}
                </p>
            }
            .into_any()
        }
        _ => view! { <p class="health-change muted">"First snapshot"</p> }.into_any(),
    };
    let components = health.components;
    let parts = [
        ("usage", "Usage", components.usage),
        ("support", "Support", components.support),
        ("sentiment", "Sentiment", components.sentiment),
        ("contract_risk", "Contract risk", components.contract_risk),
    ];

    view! {
        <div class="health-summary">
            <div class="health-overall">
                <span class=format!("{} health-big", health_labels::band_class(band)) data-testid="overall-score">
                    {health.overall_score}
                </span>
                <span class="health-band" data-testid="overall-band">{band.label()}</span>
                {change}
                {health.neutral.then(|| view! {
                    <p class="field-hint">"No component had input, so this is the neutral score of 50."</p>
                })}
            </div>
            <div class="health-trend">
                <HistoryChart account_id=account_id/>
            </div>
        </div>
        <ul class="health-components" aria-label="Score components">
            {parts
                .into_iter()
                .map(|(key, label, component)| view! { <ComponentItem key=key label=label component=component/> })
                .collect_view()}
        </ul>
    }
}

#[component]
fn ComponentItem(key: &'static str, label: &'static str, component: HealthComponent) -> impl IntoView {
    let inputs = health_labels::key_values(&component.inputs)
        .into_iter()
        .map(|(name, value)| view! { <div><dt>{name}</dt><dd>{value}</dd></div> })
        .collect_view();
    let change = component.change.map(|change| {
        view! { <span class=health_labels::change_class(change) title="Change since the previous snapshot">{health_labels::change(change)}</span> }
    });
    let score_class = if component.score.is_some() { "component-score" } else { "component-score muted" };

    view! {
        <li class="health-component" data-component=key>
            <div class="component-head">
                <span class="component-name">{label}</span>
                <span class="component-weight">"Weight "<span class="weight-value">{component.weight}</span></span>
            </div>
            <div class="component-value">
                <span class=score_class>{health_labels::score(component.score)}</span>
                {change}
            </div>
            <p class="component-narrative">{component.narrative}</p>
            <dl class="inputs" aria-label=format!("{label} inputs")>{inputs}</dl>
        </li>
    }
}

#[component]
fn HistoryChart(account_id: AccountId) -> impl IntoView {
    let history = LocalResource::new(move || {
        api::account_health_history(account_id, &HealthHistoryParams { days: Some(HISTORY_DAYS) })
    });
    view! {
        <Suspense fallback=|| view! { <Loading text="Loading the history…"/> }>
            {move || {
                history
                    .get()
                    .map(|result| match result {
                        Ok(history) => {
                            let series = history.items.iter().map(|point| (point.as_of, point.overall_score)).collect::<Vec<_>>();
                            view! { <ScoreLineChart title=format!("Overall score, last {HISTORY_DAYS} days") series=series/> }.into_any()
                        }
                        Err(error) => view! {
                            <ErrorState alert=alert_for(&error, "load the health history") retry=move || history.refetch()/>
                        }
                        .into_any(),
                    })
            }}
        </Suspense>
    }
}
