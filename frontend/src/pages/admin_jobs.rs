//! Jobs: the recent runs of the scheduled jobs with their outcome, and a button that runs
//! the health snapshot now.

use api_types::jobs::{JobRun, JobRunListParams};
use api_types::Page;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::alerts::{alert_for, Alert, Severity};
use crate::api;
use crate::components::{AlertSlot, EmptyState, ErrorState, Loading, PageHeader, Pager};
use crate::health_labels;
use crate::labels;
use crate::list_query::{ListQuery, PAGE_SIZE};

/// Describes a finished run for the alert above the table.
fn run_outcome(run: &JobRun) -> Alert {
    let counts = health_labels::counts_summary(&run.counts);
    match run.status.as_str() {
        "failed" => Alert {
            severity: Severity::Error,
            title: "The health snapshot failed".into(),
            detail: run.error.clone().unwrap_or_else(|| "The run recorded no cause. See the server log.".into()),
        },
        _ => Alert {
            severity: Severity::Success,
            title: format!("Health snapshot for {} finished", labels::date(run.as_of)),
            detail: if counts.is_empty() { "The run recorded no counts.".into() } else { format!("{counts}.") },
        },
    }
}

#[component]
pub fn JobsPage() -> impl IntoView {
    let page = RwSignal::new(1_u32);
    let runs = LocalResource::new(move || {
        let offset = i64::from(page.get() - 1) * PAGE_SIZE;
        async move { api::job_runs(&JobRunListParams { job: None, limit: Some(PAGE_SIZE), offset: Some(offset) }).await }
    });
    let outcome = RwSignal::new(None::<Alert>);
    let running = RwSignal::new(false);
    let refreshing = RwSignal::new(false);

    let run_now = move |_| {
        running.set(true);
        outcome.set(None);
        spawn_local(async move {
            match api::run_health_snapshot().await {
                Ok(run) => {
                    outcome.set(Some(run_outcome(&run)));
                    if page.get_untracked() == 1 {
                        runs.refetch();
                    } else {
                        page.set(1);
                    }
                }
                Err(error) => outcome.set(Some(alert_for(&error, "run the health snapshot"))),
            }
            running.set(false);
        });
    };

    view! {
        <PageHeader title="Jobs" subtitle="The health snapshot runs every night; its recent runs are listed here.">
            <button type="button" class="button button-primary" on:click=run_now disabled=move || running.get()>
                {move || if running.get() { "Running…" } else { "Run health snapshot now" }}
            </button>
        </PageHeader>
        <AlertSlot alert=outcome/>
        <section class="card card-flush" aria-label="Job runs" aria-busy=move || refreshing.get().to_string()>
            <Transition fallback=|| view! { <Loading text="Loading job runs…"/> } set_pending=refreshing.write_only()>
                {move || {
                    runs.get()
                        .map(|result| match result {
                            Ok(runs) => view! { <RunTable runs=runs page=page/> }.into_any(),
                            Err(error) => view! {
                                <ErrorState alert=alert_for(&error, "load job runs") retry=move || runs.refetch()/>
                            }
                            .into_any(),
                        })
                }}
            </Transition>
        </section>
    }
}

#[component]
fn RunTable(runs: Page<JobRun>, page: RwSignal<u32>) -> impl IntoView {
    if runs.items.is_empty() {
        return view! {
            <EmptyState title="No runs yet" detail="The health snapshot has not run for this business. Run it now to score every account."/>
        }
        .into_any();
    }

    let current = page.get_untracked();
    let first = i64::from(current - 1) * PAGE_SIZE + 1;
    let last = first + runs.items.len() as i64 - 1;
    let rows = runs.items.into_iter().map(|run| view! { <RunRow run=run/> }).collect_view();

    view! {
        <div class="table-wrap">
            <table class="table">
                <caption class="visually-hidden">"Job runs, newest first"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Started"</th>
                        <th scope="col">"Job"</th>
                        <th scope="col">"As of"</th>
                        <th scope="col">"Trigger"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Counts"</th>
                        <th scope="col">"Error"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <Pager
            page=current
            page_count=ListQuery::page_count(runs.total)
            first=first
            last=last
            total=runs.total
            go=Callback::new(move |next| page.set(next))
        />
    }
    .into_any()
}

#[component]
fn RunRow(run: JobRun) -> impl IntoView {
    let (status, status_class) = health_labels::run_status(&run.status);
    let counts = health_labels::key_values(&run.counts)
        .into_iter()
        .map(|(name, value)| view! { <div><dt>{name}</dt><dd>{value}</dd></div> })
        .collect_view();
    view! {
        <tr data-run-id=run.id.clone()>
            <td>{labels::date_time(run.started_at)}</td>
            <td><code>{run.job}</code></td>
            <td>{labels::date(run.as_of)}</td>
            <td>{health_labels::trigger(&run.triggered_by)}</td>
            <td><span class=status_class>{status}</span></td>
            <td><dl class="inputs inputs-inline">{counts}</dl></td>
            <td class="cell-error">{run.error.unwrap_or_else(|| health_labels::NONE.to_owned())}</td>
        </tr>
    }
}
