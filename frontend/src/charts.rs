//! SVG charts drawn from data: a bar chart of counts and a line chart of scores over time.
//! The geometry lives in `chart_geometry`, so these components only draw it.

use chrono::NaiveDate;
use leptos::prelude::*;

use crate::chart_geometry::{bars, line_path, score_points, score_y, Frame};
use crate::labels;

/// One bar: its label under the bar, its count above it, a CSS class for its colour and a
/// key that tests and styles can select it by.
#[derive(Clone, Debug, PartialEq)]
pub struct BarDatum {
    pub key: String,
    pub label: String,
    pub count: i64,
    pub class: &'static str,
}

const BAR_FRAME: Frame = Frame { width: 560.0, height: 220.0, left: 8.0, right: 8.0, top: 26.0, bottom: 34.0 };

/// Renders a bar chart with each bar labelled by its name and count. `title` is the
/// chart's accessible name, followed by every count for screen readers.
#[component]
pub fn BarChart(#[prop(into)] title: String, data: Vec<BarDatum>) -> impl IntoView {
    let frame = BAR_FRAME;
    let counts: Vec<i64> = data.iter().map(|datum| datum.count).collect();
    let laid = bars(&counts, &frame);
    let summary = data.iter().map(|datum| format!("{} {}", datum.label, datum.count)).collect::<Vec<_>>().join(", ");
    let baseline = frame.baseline();

    let groups = data
        .into_iter()
        .zip(laid)
        .map(|(datum, bar)| {
            view! {
                <g class="bar" data-key=datum.key>
                    <rect
                        class=format!("bar-fill {}", datum.class)
                        x=format!("{:.1}", bar.x)
                        y=format!("{:.1}", bar.y)
                        width=format!("{:.1}", bar.width)
                        height=format!("{:.1}", bar.height)
                        rx="3"
                    />
                    <text class="bar-count" x=format!("{:.1}", bar.center) y=format!("{:.1}", bar.y - 8.0) text-anchor="middle">
                        {datum.count}
                    </text>
                    <text class="bar-label" x=format!("{:.1}", bar.center) y=format!("{:.1}", baseline + 22.0) text-anchor="middle">
                        {datum.label}
                    </text>
                </g>
            }
        })
        .collect_view();

    view! {
        <svg
            class="chart chart-bars"
            viewBox=format!("0 0 {} {}", frame.width, frame.height)
            role="img"
            aria-label=format!("{title}: {summary}")
        >
            <line class="chart-axis" x1=frame.left y1=baseline x2=frame.width - frame.right y2=baseline/>
            {groups}
        </svg>
    }
}

const LINE_FRAME: Frame = Frame { width: 560.0, height: 200.0, left: 34.0, right: 12.0, top: 12.0, bottom: 28.0 };

/// Score lines drawn across the plot, with their labels on the left.
const GRID_SCORES: [i32; 5] = [0, 25, 50, 75, 100];

/// Renders a line chart of 0–100 scores over time, oldest first. One point shows as a
/// dot without a line, and no points show a short note instead of a chart.
#[component]
pub fn ScoreLineChart(#[prop(into)] title: String, series: Vec<(NaiveDate, i32)>) -> impl IntoView {
    if series.is_empty() {
        return view! { <p class="muted chart-empty">"No history yet."</p> }.into_any();
    }
    let frame = LINE_FRAME;
    let numeric: Vec<(NaiveDate, f64)> = series.iter().map(|(date, score)| (*date, f64::from(*score))).collect();
    let points = score_points(&numeric, &frame);
    let path = line_path(&points);

    let (first_date, first_score) = series[0];
    let (last_date, last_score) = series[series.len() - 1];
    let summary = if series.len() == 1 {
        format!("{title}: {first_score} on {}", labels::date(first_date))
    } else {
        format!(
            "{title}: {first_score} on {} to {last_score} on {}, {} snapshots",
            labels::date(first_date),
            labels::date(last_date),
            series.len()
        )
    };

    let grid = GRID_SCORES
        .iter()
        .map(|score| {
            let y = score_y(f64::from(*score), &frame);
            view! {
                <line class="chart-grid" x1=frame.left y1=y x2=frame.width - frame.right y2=y/>
                <text class="chart-tick" x=frame.left - 6.0 y=y + 4.0 text-anchor="end">{*score}</text>
            }
        })
        .collect_view();
    let dots = points
        .iter()
        .zip(series.iter())
        .map(|(point, (date, score))| {
            view! {
                <circle
                    class="chart-dot"
                    cx=format!("{:.1}", point.x)
                    cy=format!("{:.1}", point.y)
                    r="3.5"
                    data-date=date.to_string()
                    data-score=*score
                />
            }
        })
        .collect_view();
    let date_y = frame.baseline() + 20.0;
    let date_labels = if series.len() == 1 {
        view! {
            <text class="chart-tick" x=frame.left + frame.plot_width() / 2.0 y=date_y text-anchor="middle">
                {labels::date(first_date)}
            </text>
        }
        .into_any()
    } else {
        view! {
            <text class="chart-tick" x=frame.left y=date_y text-anchor="start">{labels::date(first_date)}</text>
            <text class="chart-tick" x=frame.width - frame.right y=date_y text-anchor="end">{labels::date(last_date)}</text>
        }
        .into_any()
    };

    view! {
        <svg
            class="chart chart-line"
            viewBox=format!("0 0 {} {}", frame.width, frame.height)
            role="img"
            aria-label=summary
        >
            {grid}
            {(!path.is_empty()).then(|| view! { <path class="chart-line-path" d=path/> })}
            {dots}
            {date_labels}
        </svg>
    }
    .into_any()
}
