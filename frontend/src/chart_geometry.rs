//! Geometry of the SVG charts: where bars, points and lines go. Every chart draws in a
//! fixed `viewBox` and CSS scales it, so all numbers here are viewBox units.

use chrono::NaiveDate;

/// The drawing area of a chart: the whole `viewBox` and the margins kept free for labels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
}

impl Frame {
    pub fn plot_width(&self) -> f64 {
        (self.width - self.left - self.right).max(0.0)
    }

    pub fn plot_height(&self) -> f64 {
        (self.height - self.top - self.bottom).max(0.0)
    }

    /// Returns the y of the plot's bottom edge, where bars stand and the score 0 lies.
    pub fn baseline(&self) -> f64 {
        self.top + self.plot_height()
    }
}

/// One bar of a bar chart.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bar {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    /// The horizontal middle of the bar's slot, where its labels are centred.
    pub center: f64,
}

/// Share of a bar's slot that the bar fills. The rest is the gap between bars.
const BAR_FILL: f64 = 0.6;

/// Lays out one bar per value in equal slots across the plot. The largest value reaches
/// the top of the plot. When every value is 0, every bar has height 0.
pub fn bars(values: &[i64], frame: &Frame) -> Vec<Bar> {
    if values.is_empty() {
        return Vec::new();
    }
    let slot = frame.plot_width() / values.len() as f64;
    let width = slot * BAR_FILL;
    let max = values.iter().copied().max().unwrap_or(0).max(0);

    values
        .iter()
        .enumerate()
        .map(|(index, value)| {
            let share = if max == 0 { 0.0 } else { (*value).max(0) as f64 / max as f64 };
            let height = frame.plot_height() * share;
            let center = frame.left + slot * (index as f64 + 0.5);
            Bar { x: center - width / 2.0, y: frame.baseline() - height, width, height, center }
        })
        .collect()
}

/// A point of a line chart.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// Returns the y of a 0–100 score, clamped to the plot: 100 at the top, 0 at the baseline.
pub fn score_y(score: f64, frame: &Frame) -> f64 {
    let share = score.clamp(0.0, 100.0) / 100.0;
    frame.baseline() - frame.plot_height() * share
}

/// Places dated scores on a time axis that runs from the first date to the last. A single
/// date, or several on the same day, sits in the middle of the plot.
pub fn score_points(series: &[(NaiveDate, f64)], frame: &Frame) -> Vec<Point> {
    let (Some(first), Some(last)) =
        (series.iter().map(|(date, _)| *date).min(), series.iter().map(|(date, _)| *date).max())
    else {
        return Vec::new();
    };
    let span = (last - first).num_days();

    series
        .iter()
        .map(|(date, score)| {
            let x = if span == 0 {
                frame.left + frame.plot_width() / 2.0
            } else {
                frame.left + frame.plot_width() * (*date - first).num_days() as f64 / span as f64
            };
            Point { x, y: score_y(*score, frame) }
        })
        .collect()
}

/// Returns the SVG path data (`M x,y L x,y …`) through the points, or an empty string for
/// fewer than two points, which have no line to draw.
pub fn line_path(points: &[Point]) -> String {
    if points.len() < 2 {
        return String::new();
    }
    points
        .iter()
        .enumerate()
        .map(|(index, point)| {
            let command = if index == 0 { 'M' } else { 'L' };
            format!("{command}{:.1},{:.1}", point.x, point.y)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const FRAME: Frame = Frame { width: 200.0, height: 120.0, left: 10.0, right: 10.0, top: 10.0, bottom: 10.0 };

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap_or_default()
    }

    #[test]
    fn tallest_bar_fills_plot() {
        let laid = bars(&[5, 10, 0], &FRAME);
        assert_eq!(laid.len(), 3);
        assert_eq!(laid[1].height, 100.0);
        assert_eq!(laid[1].y, 10.0);
        assert_eq!(laid[0].height, 50.0);
        assert_eq!(laid[0].y, 60.0);
        assert_eq!(laid[2].height, 0.0);
        assert_eq!(laid[2].y, 110.0);
    }

    #[test]
    fn bars_share_width_evenly() {
        let laid = bars(&[1, 1], &FRAME);
        assert_eq!(laid[0].center, 55.0);
        assert_eq!(laid[1].center, 145.0);
        assert!((laid[0].width - 54.0).abs() < 1e-9, "{}", laid[0].width);
        assert!((laid[0].x - 28.0).abs() < 1e-9, "{}", laid[0].x);
    }

    #[test]
    fn all_zero_bars_stay_flat() {
        for bar in bars(&[0, 0, 0, 0, 0], &FRAME) {
            assert_eq!(bar.height, 0.0);
            assert_eq!(bar.y, FRAME.baseline());
        }
        assert!(bars(&[], &FRAME).is_empty());
    }

    #[test]
    fn negative_counts_draw_nothing() {
        let laid = bars(&[-3, 4], &FRAME);
        assert_eq!(laid[0].height, 0.0);
        assert_eq!(laid[1].height, 100.0);
    }

    #[test]
    fn score_axis_runs_bottom_to_top() {
        assert_eq!(score_y(0.0, &FRAME), 110.0);
        assert_eq!(score_y(100.0, &FRAME), 10.0);
        assert_eq!(score_y(25.0, &FRAME), 85.0);
        assert_eq!(score_y(140.0, &FRAME), 10.0);
        assert_eq!(score_y(-5.0, &FRAME), 110.0);
    }

    #[test]
    fn points_spread_over_dates() {
        let series = [(date("2026-03-01"), 40.0), (date("2026-03-03"), 60.0), (date("2026-03-05"), 80.0)];
        let points = score_points(&series, &FRAME);
        assert_eq!(points[0], Point { x: 10.0, y: 70.0 });
        assert_eq!(points[1], Point { x: 100.0, y: 50.0 });
        assert_eq!(points[2], Point { x: 190.0, y: 30.0 });
        assert_eq!(line_path(&points), "M10.0,70.0 L100.0,50.0 L190.0,30.0");
    }

    #[test]
    fn single_point_is_centred_without_line() {
        let points = score_points(&[(date("2026-03-01"), 50.0)], &FRAME);
        assert_eq!(points, vec![Point { x: 100.0, y: 60.0 }]);
        assert_eq!(line_path(&points), "");
    }

    #[test]
    fn no_points_no_path() {
        assert!(score_points(&[], &FRAME).is_empty());
        assert_eq!(line_path(&[]), "");
    }
}
