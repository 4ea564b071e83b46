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

/// Undoes [`neutralize_formula`] on an imported cell: drops the apostrophe in front of a
/// formula character, so an exported file re-imports to the same values.
pub fn strip_formula_guard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
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

    #[test]
    fn guard_is_stripped_on_import() {
        for cell in ["=1+1", "+cmd", "-2", "@SUM(A1)", "\tx", "\rx", "Acme", "'quoted", ""] {
            assert_eq!(strip_formula_guard(&neutralize_formula(cell)), cell, "{cell:?}");
        }
        assert_eq!(strip_formula_guard("'Acme"), "'Acme", "an apostrophe before plain text stays");
    }
}
