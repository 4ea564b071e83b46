//! The dashboard's expansion panel: the first accounts with a sign that they may buy
//! more, with their health score and the signals in words.

use std::collections::HashMap;

use api_types::renewals::{ExpansionCandidate, ExpansionListParams, ExpansionSignal};
use api_types::Page;
use crm_core::UserId;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::alerts::alert_for;
use crate::api;
use crate::business::use_business;
use crate::business_settings::Feature;
use crate::components::{EmptyState, ErrorState, HealthBadge, Loading};
use crate::pages::accounts::csm_name;

/// Rows the panel shows.
const CANDIDATES_SHOWN: i64 = 10;

/// Describes an expansion signal in words.
pub fn signal_text(signal: ExpansionSignal) -> &'static str {
    match signal {
        ExpansionSignal::ExpansionReadyRenewal => "Healthy, renewing in 30–90 days",
        ExpansionSignal::DormantChampion => "Champion gone quiet",
    }
}

/// Renders the panel, or nothing once the expansion feature turns out to be off.
#[component]
pub fn ExpansionPanel(user_names: Memo<Option<HashMap<UserId, String>>>) -> impl IntoView {
    let business = use_business();
    let candidates = LocalResource::new(|| async {
        let params = ExpansionListParams { limit: Some(CANDIDATES_SHOWN), ..ExpansionListParams::default() };
        api::expansion_candidates(&params).await
    });

    move || {
        if !business.is_on(Feature::Expansion) {
            return None;
        }
        Some(view! {
            <section class="card card-flush" aria-labelledby="expansion-title" data-testid="expansion-panel">
                <div class="card-header card-header-padded">
                    <div>
                        <h2 id="expansion-title">"Expansion candidates"</h2>
                        <p>{move || {
                            format!("{} that may buy more: healthy ones renewing soon, and those whose champion has gone quiet.", business.labels().accounts())
                        }}</p>
                    </div>
                </div>
                <Transition fallback=|| view! { <Loading text="Loading expansion candidates…"/> }>
                    {move || {
                        candidates
                            .get()
                            .map(|result| match result {
                                Ok(page) => view! { <CandidateTable page=page user_names=user_names/> }.into_any(),
                                // `is_off_error` records the feature as off, which hides the panel.
                                Err(error) if business.is_off_error(Feature::Expansion, &error) => ().into_any(),
                                Err(error) => view! {
                                    <ErrorState alert=alert_for(&error, "load expansion candidates") retry=move || candidates.refetch()/>
                                }
                                .into_any(),
                            })
                    }}
                </Transition>
            </section>
        })
    }
}

#[component]
fn CandidateTable(page: Page<ExpansionCandidate>, user_names: Memo<Option<HashMap<UserId, String>>>) -> impl IntoView {
    if page.items.is_empty() {
        return view! {
            <EmptyState
                title="No expansion candidates"
                detail="No healthy account renews in 30 to 90 days, and no champion has gone quiet."
            />
        }
        .into_any();
    }

    let business = use_business();
    let labels = move || business.labels();
    let total = page.total;
    let shown = page.items.len();
    let summary = if total > shown as i64 {
        format!("The first {shown} of {total} candidates.")
    } else if total == 1 {
        "1 candidate.".to_owned()
    } else {
        format!("{total} candidates.")
    };
    let rows = page
        .items
        .into_iter()
        .map(|candidate| {
            let signals = candidate.signals.iter().map(|signal| signal_text(*signal)).collect::<Vec<_>>().join("; ");
            view! {
                <tr data-account-id=candidate.account.id.to_string()>
                    <td class="cell-primary"><A href=format!("/accounts/{}", candidate.account.id)>{candidate.account.name}</A></td>
                    <td class="numeric"><HealthBadge score=candidate.health_score/></td>
                    <td class="cell-reasons">{signals}</td>
                    <td>{csm_name(candidate.account.csm_id, user_names)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="table" aria-label="Expansion candidates">
                <thead>
                    <tr>
                        <th scope="col">{move || labels().account()}</th>
                        <th scope="col" class="numeric">"Health"</th>
                        <th scope="col">"Signals"</th>
                        <th scope="col">{move || labels().csm()}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <p class="table-note" data-testid="expansion-total">{summary}</p>
    }
    .into_any()
}
