//! Money: integer amounts in a currency's minor units, and the ISO 4217 exponent that
//! gives the number of minor units in one major unit.

/// Returns the number of decimal places of a currency's minor unit under ISO 4217. Most
/// currencies have 2 and the yen and a few others 0. The dinars of Bahrain, Iraq, Jordan,
/// Kuwait, Libya and Tunisia and the Omani rial have 3, and the Chilean and Uruguayan
/// units of account 4.
pub fn minor_unit_digits(currency: &str) -> u32 {
    match currency {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX" | "UYI" | "VND"
        | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        "CLF" | "UYW" => 4,
        _ => 2,
    }
}

/// Formats an amount of minor units in major units with the currency's decimal places:
/// 123456 USD is "1234.56", 1234 JPY is "1234", 1234 KWD is "1.234".
pub fn format_minor(amount: i64, currency: &str) -> String {
    let digits = minor_unit_digits(currency);
    if digits == 0 {
        return amount.to_string();
    }
    let scale = 10i128.pow(digits);
    let value = i128::from(amount);
    let sign = if value < 0 { "-" } else { "" };
    let magnitude = value.abs();
    format!("{sign}{}.{:0width$}", magnitude / scale, magnitude % scale, width = digits as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minor_units_follow_iso_4217() {
        assert_eq!(minor_unit_digits("USD"), 2);
        assert_eq!(minor_unit_digits("EUR"), 2);
        assert_eq!(minor_unit_digits("JPY"), 0);
        assert_eq!(minor_unit_digits("KWD"), 3);
        assert_eq!(minor_unit_digits("CLF"), 4);
    }

    #[test]
    fn amounts_format_in_major_units() {
        assert_eq!(format_minor(123_456, "USD"), "1234.56");
        assert_eq!(format_minor(5, "EUR"), "0.05");
        assert_eq!(format_minor(-5, "EUR"), "-0.05");
        assert_eq!(format_minor(1234, "JPY"), "1234");
        assert_eq!(format_minor(1234, "KWD"), "1.234");
    }
}
