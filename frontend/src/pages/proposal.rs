//! One renewal proposal: its account, status, uplift, priced lines and total. A draft also
//! has the editor. The page moves a proposal from draft to sent to won or lost, and after
//! the draft stage it is read-only.

use api_types::accounts::Account;
use api_types::proposals::Proposal;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use renewals::ProposalStatus;

use crate::alerts::{alert_for, Alert};
use crate::api::{self, ApiError, Problem};
use crate::components::{set_document_title, AlertSlot, ErrorState, Loading};
use crate::labels;
use crate::money::format_amount;
use crate::notify::use_notifier;
use crate::pages::not_found::NotFound;
use crate::pages::proposal_editor::DraftEditor;

/// The data the page needs before it can show the proposal.
#[derive(Clone)]
struct Loaded {
    proposal: Proposal,
    account: Account,
}

async fn load(id: Option<String>) -> Result<Loaded, ApiError> {
    // Proposal ids are UUIDs; anything else cannot exist and must not reach the path.
    let Some(id) = id.filter(|id| uuid::Uuid::parse_str(id).is_ok()) else {
        let problem = Problem { status: 404, code: "not_found".into(), ..Problem::default() };
        return Err(ApiError::Problem { problem, retry_after_secs: None });
    };
    let proposal = api::get_proposal(&id).await?;
    let account = api::get_account(proposal.account_id).await?;
    Ok(Loaded { proposal, account })
}

pub(crate) fn status_class(status: ProposalStatus) -> &'static str {
    match status {
        ProposalStatus::Draft => "badge badge-proposal-draft",
        ProposalStatus::Sent => "badge badge-proposal-sent",
        ProposalStatus::Won => "badge badge-proposal-won",
        ProposalStatus::Lost => "badge badge-proposal-lost",
    }
}

#[component]
pub(crate) fn ProposalStatusBadge(status: ProposalStatus) -> impl IntoView {
    view! { <span class=status_class(status)>{labels::proposal_status(status)}</span> }
}

/// Formats an uplift percentage such as "7.25%".
pub(crate) fn uplift_text(proposal: &Proposal) -> String {
    format!("{}%", proposal.uplift_percentage.normalize())
}

#[component]
pub fn ProposalPage() -> impl IntoView {
    let params = use_params_map();
    let proposal_id = Memo::new(move |_| params.with(|params| params.get("id")));
    let loaded = LocalResource::new(move || load(proposal_id.get()));

    view! {
        <Suspense fallback=|| view! { <Loading text="Loading the proposal…"/> }>
            {move || {
                loaded
                    .get()
                    .map(|result| match result {
                        Ok(loaded) => view! { <ProposalView loaded=loaded/> }.into_any(),
                        Err(error) if error.status() == Some(404) => view! { <NotFound/> }.into_any(),
                        Err(error) => view! {
                            <ErrorState alert=alert_for(&error, "load the proposal") retry=move || loaded.refetch()/>
                        }
                        .into_any(),
                    })
            }}
        </Suspense>
    }
}

#[component]
fn ProposalView(loaded: Loaded) -> impl IntoView {
    let Loaded { proposal, account } = loaded;
    let title = format!("Renewal proposal for {}", account.name);
    set_document_title(&title);
    let proposal = RwSignal::new(proposal);
    let alert = RwSignal::new(None::<Alert>);
    let is_draft = move || proposal.with(|proposal| proposal.status == ProposalStatus::Draft);
    let account_url = format!("/accounts/{}", account.id);
    let breadcrumb_url = account_url.clone();
    let breadcrumb_name = account.name.clone();

    view! {
        <p class="breadcrumb">
            <A href="/renewals">"Renewals"</A>
            " / "
            <A href=breadcrumb_url>{breadcrumb_name}</A>
            " / Proposal"
        </p>
        <header class="page-header">
            <div>
                <h1>{title}</h1>
                <p class="page-subtitle">
                    {move || if is_draft() {
                        "A draft: change the uplift or the lines, then mark it as sent."
                    } else {
                        "This proposal has left the draft stage and can no longer be edited."
                    }}
                </p>
            </div>
            <div class="page-actions">
                <StatusActions proposal=proposal alert=alert/>
            </div>
        </header>
        <AlertSlot alert=alert/>
        <section class="card" aria-labelledby="proposal-summary-title">
            <div class="card-header">
                <h2 id="proposal-summary-title">"Summary"</h2>
            </div>
            {move || {
                let proposal = proposal.get();
                let account_url = account_url.clone();
                let account_name = account.name.clone();
                view! {
                    <dl class="facts">
                        <div><dt>"Account"</dt><dd><A href=account_url>{account_name}</A></dd></div>
                        <div><dt>"Status"</dt><dd><ProposalStatusBadge status=proposal.status/></dd></div>
                        <div><dt>"Currency"</dt><dd>{proposal.currency.clone()}</dd></div>
                        <div><dt>"Uplift"</dt><dd data-testid="proposal-uplift">{uplift_text(&proposal)}</dd></div>
                        <div>
                            <dt>"Total"</dt>
                            <dd data-testid="proposal-total">
                                {format!("{} {}", format_amount(proposal.total_amount, &proposal.currency), proposal.currency)}
                            </dd>
                        </div>
                        <div><dt>"Updated"</dt><dd>{labels::date_time(proposal.updated_at)}</dd></div>
                    </dl>
                }
            }}
        </section>
        <section class="card card-flush" aria-labelledby="proposal-lines-title">
            <div class="card-header card-header-padded">
                <div>
                    <h2 id="proposal-lines-title">"Lines"</h2>
                    <p>"Prices with uplift are the list prices raised by the uplift, rounded half to even to a whole minor unit."</p>
                </div>
            </div>
            {move || view! { <LinesTable proposal=proposal.get()/> }}
        </section>
        <Show when=is_draft>
            <DraftEditor proposal=proposal alert=alert/>
        </Show>
    }
}

/// Renders the saved lines with their uplifted prices and the total.
#[component]
fn LinesTable(proposal: Proposal) -> impl IntoView {
    let currency = proposal.currency.clone();
    let rows = proposal
        .lines
        .iter()
        .map(|line| {
            view! {
                <tr>
                    <td>{line.description.clone()}</td>
                    <td class="numeric">{line.quantity}</td>
                    <td class="numeric">{format_amount(line.list_unit_amount, &currency)}</td>
                    <td class="numeric">{format_amount(line.unit_amount, &currency)}</td>
                    <td>{labels::billing_interval(line.interval)}</td>
                    <td class="numeric">{format_amount(line.amount, &currency)}</td>
                </tr>
            }
        })
        .collect_view();

    view! {
        <div class="table-wrap">
            <table class="table" aria-label="Proposal lines">
                <thead>
                    <tr>
                        <th scope="col">"Description"</th>
                        <th scope="col" class="numeric">"Quantity"</th>
                        <th scope="col" class="numeric">{format!("List price ({currency})")}</th>
                        <th scope="col" class="numeric">{format!("Price with uplift ({currency})")}</th>
                        <th scope="col">"Interval"</th>
                        <th scope="col" class="numeric">{format!("Amount ({currency})")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
                <tfoot>
                    <tr class="table-total">
                        <th scope="row" colspan="5">"Total"</th>
                        <td class="numeric">{format_amount(proposal.total_amount, &currency)}</td>
                    </tr>
                </tfoot>
            </table>
        </div>
    }
}

/// Renders the buttons of the moves the proposal's status allows, or why none is left.
#[component]
fn StatusActions(proposal: RwSignal<Proposal>, alert: RwSignal<Option<Alert>>) -> impl IntoView {
    let notifier = use_notifier();
    let pending = RwSignal::new(false);

    let move_to = move |next: ProposalStatus| {
        let id = proposal.with_untracked(|proposal| proposal.id.clone());
        alert.set(None);
        pending.set(true);
        spawn_local(async move {
            match api::change_proposal_status(&id, next).await {
                Ok(updated) => {
                    notifier
                        .success(format!("Marked the proposal as {}.", labels::proposal_status(next).to_lowercase()));
                    proposal.set(updated);
                }
                Err(error) => alert.set(Some(alert_for(&error, "change the proposal's status"))),
            }
            pending.set(false);
        });
    };

    move || {
        match proposal.with(|proposal| proposal.status) {
        ProposalStatus::Draft => view! {
            <button type="button" class="button button-primary" disabled=move || pending.get() on:click=move |_| move_to(ProposalStatus::Sent)>
                "Mark as sent"
            </button>
        }
        .into_any(),
        ProposalStatus::Sent => view! {
            <button type="button" class="button button-primary" disabled=move || pending.get() on:click=move |_| move_to(ProposalStatus::Won)>
                "Mark as won"
            </button>
            <button type="button" class="button" disabled=move || pending.get() on:click=move |_| move_to(ProposalStatus::Lost)>
                "Mark as lost"
            </button>
        }
        .into_any(),
        ProposalStatus::Won | ProposalStatus::Lost => {
            view! { <ProposalStatusBadge status=proposal.with(|proposal| proposal.status)/> }.into_any()
        }
    }
    }
}
