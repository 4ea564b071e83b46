//! The account page's compact list of the account's renewal proposals, newest first, with
//! links to the proposal editor.

use api_types::PageParams;
use crm_core::AccountId;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::alerts::alert_for;
use crate::api;
use crate::components::{EmptyState, ErrorState, Loading};
use crate::labels;
use crate::money::format_amount;
use crate::pages::proposal::{uplift_text, ProposalStatusBadge};

/// Proposals listed on the account page; the API's default page size would be longer.
const LIMIT: i64 = 10;

#[component]
pub fn ProposalsCard(account_id: AccountId) -> impl IntoView {
    let proposals = LocalResource::new(move || async move {
        api::account_proposals(account_id, &PageParams { limit: Some(LIMIT), offset: None }).await
    });

    view! {
        <section class="card card-flush" aria-labelledby="proposals-title">
            <div class="card-header card-header-padded">
                <div>
                    <h2 id="proposals-title">"Proposals"</h2>
                    <p>"Renewal proposals, newest first. Generate one from the Renewals page."</p>
                </div>
            </div>
            <Suspense fallback=|| view! { <Loading text="Loading proposals…"/> }>
                {move || {
                    proposals
                        .get()
                        .map(|result| match result {
                            Ok(page) if page.items.is_empty() => view! {
                                <EmptyState title="No proposals yet" detail="This account has no renewal proposals.">
                                    <A href="/renewals" {..} class="button">"Open renewals"</A>
                                </EmptyState>
                            }
                            .into_any(),
                            Ok(page) => {
                                let more = (page.total > page.items.len() as i64).then(|| {
                                    view! {
                                        <p class="table-note">{format!("The {} newest of {} proposals.", page.items.len(), page.total)}</p>
                                    }
                                });
                                let rows = page
                                    .items
                                    .into_iter()
                                    .map(|proposal| {
                                        let total = format!(
                                            "{} {}",
                                            format_amount(proposal.total_amount, &proposal.currency),
                                            proposal.currency
                                        );
                                        view! {
                                            <tr>
                                                <td><A href=format!("/proposals/{}", proposal.id)>{labels::date(proposal.created_at.date_naive())}</A></td>
                                                <td><ProposalStatusBadge status=proposal.status/></td>
                                                <td class="numeric">{uplift_text(&proposal)}</td>
                                                <td class="numeric">{total}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view();
                                view! {
                                    <div class="table-wrap">
                                        <table class="table table-compact" aria-label="Proposals">
                                            <thead>
                                                <tr>
                                                    <th scope="col">"Created"</th>
                                                    <th scope="col">"Status"</th>
                                                    <th scope="col" class="numeric">"Uplift"</th>
                                                    <th scope="col" class="numeric">"Total"</th>
                                                </tr>
                                            </thead>
                                            <tbody>{rows}</tbody>
                                        </table>
                                    </div>
                                    {more}
                                }
                                .into_any()
                            }
                            Err(error) => view! {
                                <ErrorState alert=alert_for(&error, "load the proposals") retry=move || proposals.refetch()/>
                            }
                            .into_any(),
                        })
                }}
            </Suspense>
        </section>
    }
}
