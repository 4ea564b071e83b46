//! CSV export rules shared by every export endpoint.

/// Neutralises a text cell that a spreadsheet would run as a formula: one starting with
/// `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe. Use it on
/// text columns only, so numeric columns stay numbers.
pub fn neutralize_formula(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_prefixes_are_neutralised() {
        for cell in ["=1+1", "+cmd", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(neutralize_formula(cell).starts_with('\''), "{cell:?}");
        }
        assert_eq!(neutralize_formula("Acme"), "Acme");
        assert_eq!(neutralize_formula(""), "");
    }
}
