//! Words and formats for health scores, their changes, their raw inputs and job runs.

use health::HealthBand;
use serde_json::Value;

/// The text shown for a missing value.
pub const NONE: &str = "—";

/// Formats a 0–100 score with at most two decimals and no trailing zeros ("71.5", "100"),
/// or a dash when the component had no input.
pub fn score(score: Option<f64>) -> String {
    match score {
        None => NONE.to_owned(),
        Some(score) => trim_decimals(score),
    }
}

fn trim_decimals(value: f64) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    // Rounding a tiny negative number prints "-0".
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

/// Formats a change of score with its sign: "+3.5", "−2" (with a minus sign, U+2212) or
/// "±0".
pub fn change(change: f64) -> String {
    let magnitude = trim_decimals(change.abs());
    if magnitude == "0" {
        "±0".to_owned()
    } else if change > 0.0 {
        format!("+{magnitude}")
    } else {
        format!("\u{2212}{magnitude}")
    }
}

/// The CSS class of a change: up, down or flat, using the same rounding as [`change`].
pub fn change_class(change: f64) -> &'static str {
    if trim_decimals(change.abs()) == "0" {
        "change change-flat"
    } else if change > 0.0 {
        "change change-up"
    } else {
        "change change-down"
    }
}

/// The CSS class that colours a score by its band.
pub fn band_class(band: HealthBand) -> &'static str {
    match band {
        HealthBand::Healthy => "health health-good",
        HealthBand::Ok => "health health-fair",
        HealthBand::AtRisk => "health health-poor",
        HealthBand::Critical => "health health-critical",
        HealthBand::Unknown => "health health-unknown",
    }
}

/// The API's name of a band, such as `at_risk`.
pub fn band_key(band: HealthBand) -> &'static str {
    match band {
        HealthBand::Healthy => "healthy",
        HealthBand::Ok => "ok",
        HealthBand::AtRisk => "at_risk",
        HealthBand::Critical => "critical",
        HealthBand::Unknown => "unknown",
    }
}

/// Words of API keys that are written in capitals.
const ACRONYMS: [&str; 3] = ["nps", "csat", "id"];

/// Turns an API key such as `days_to_renewal` into a label: "Days to renewal", with
/// acronyms in capitals ("NPS responses").
pub fn key_label(key: &str) -> String {
    let words = key
        .split('_')
        .map(|word| if ACRONYMS.contains(&word) { word.to_uppercase() } else { word.to_owned() })
        .collect::<Vec<_>>()
        .join(" ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Formats one raw input value: numbers and text as they are, booleans as Yes or No, and
/// null as a dash.
pub fn value_text(value: &Value) -> String {
    match value {
        Value::Null => NONE.to_owned(),
        Value::Bool(true) => "Yes".to_owned(),
        Value::Bool(false) => "No".to_owned(),
        Value::Number(number) => number.to_string(),
        Value::String(text) => text.clone(),
        Value::Array(_) | Value::Object(_) => value.to_string(),
    }
}

/// Lists the members of a JSON object as (label, value) rows, in the object's key order.
/// Anything other than an object gives no rows.
pub fn key_values(value: &Value) -> Vec<(String, String)> {
    match value {
        Value::Object(map) => map.iter().map(|(key, value)| (key_label(key), value_text(value))).collect(),
        _ => Vec::new(),
    }
}

/// Summarises a job run's counts in one line: "Accounts scored 12, Notifications 1".
pub fn counts_summary(counts: &Value) -> String {
    key_values(counts).into_iter().map(|(label, value)| format!("{label} {value}")).collect::<Vec<_>>().join(", ")
}

/// Names who or what started a job run.
pub fn trigger(triggered_by: &str) -> String {
    match triggered_by {
        "schedule" => "Schedule".to_owned(),
        "api" => "API or Run now".to_owned(),
        "command_line" => "Command line".to_owned(),
        other => key_label(other),
    }
}

/// The label and badge class of a job run's status.
pub fn run_status(status: &str) -> (String, &'static str) {
    match status {
        "running" => ("Running".to_owned(), "badge badge-run-running"),
        "succeeded" => ("Succeeded".to_owned(), "badge badge-run-succeeded"),
        "failed" => ("Failed".to_owned(), "badge badge-run-failed"),
        other => (key_label(other), "badge"),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn score_trims_trailing_zeros() {
        assert_eq!(score(Some(71.5)), "71.5");
        assert_eq!(score(Some(100.0)), "100");
        assert_eq!(score(Some(45.28)), "45.28");
        assert_eq!(score(Some(16.981)), "16.98");
        assert_eq!(score(Some(0.0)), "0");
        assert_eq!(score(None), "—");
    }

    #[test]
    fn change_shows_sign() {
        assert_eq!(change(3.5), "+3.5");
        assert_eq!(change(-2.0), "\u{2212}2");
        assert_eq!(change(0.0), "±0");
        assert_eq!(change(-0.001), "±0");
        assert_eq!(change(12.345), "+12.35");
    }

    #[test]
    fn change_class_follows_rounding() {
        assert_eq!(change_class(1.0), "change change-up");
        assert_eq!(change_class(-0.5), "change change-down");
        assert_eq!(change_class(0.004), "change change-flat");
    }

    #[test]
    fn band_colours() {
        assert_eq!(band_class(HealthBand::Healthy), "health health-good");
        assert_eq!(band_class(HealthBand::Critical), "health health-critical");
        for band in HealthBand::ALL {
            let key = serde_json::to_value(band).unwrap_or_default();
            assert_eq!(key, json!(band_key(*band)));
        }
    }

    #[test]
    fn inputs_become_rows() {
        let inputs = json!({ "days_to_renewal": -12, "flag": true, "renews_on": "2026-01-01", "source": null });
        let rows = key_values(&inputs);
        assert_eq!(
            rows,
            vec![
                ("Days to renewal".to_owned(), "-12".to_owned()),
                ("Flag".to_owned(), "Yes".to_owned()),
                ("Renews on".to_owned(), "2026-01-01".to_owned()),
                ("Source".to_owned(), "—".to_owned()),
            ]
        );
        assert!(key_values(&json!(null)).is_empty());
        assert_eq!(key_label("nps_responses"), "NPS responses");
        assert_eq!(key_label("csat_satisfied"), "CSAT satisfied");
        assert!(key_values(&json!([1, 2])).is_empty());
    }

    #[test]
    fn counts_read_as_one_line() {
        let counts = json!({ "accounts_flagged": 1, "accounts_scored": 12 });
        assert_eq!(counts_summary(&counts), "Accounts flagged 1, Accounts scored 12");
        assert_eq!(counts_summary(&json!({})), "");
    }

    #[test]
    fn triggers_and_statuses_read_plainly() {
        assert_eq!(trigger("schedule"), "Schedule");
        assert_eq!(trigger("command_line"), "Command line");
        assert_eq!(trigger("webhook_call"), "Webhook call");
        assert_eq!(run_status("failed").0, "Failed");
        assert_eq!(run_status("paused").1, "badge");
    }
}
