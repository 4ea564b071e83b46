//! Amounts of money as the app shows and reads them. The API sends whole minor units
//! (cents for USD, yen for JPY, fils for KWD). The app shows major units with the
//! currency's ISO 4217 decimal places and reads prices typed in major units.

use api_types::renewals::Money;
use crm_core::money::{format_minor, minor_unit_digits};

/// Formats minor units as major units with thousands separators: 123456 USD is
/// "1,234.56", 1234567 JPY is "1,234,567", 1234 KWD is "1.234".
pub fn format_amount(amount: i64, currency: &str) -> String {
    let plain = format_minor(amount, currency);
    let (sign, unsigned) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain.as_str()),
    };
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };

    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }

    match fraction {
        Some(fraction) => format!("{sign}{grouped}.{fraction}"),
        None => format!("{sign}{grouped}"),
    }
}

/// Formats an amount followed by its currency code, such as "1,234.56 USD".
pub fn format_money(money: &Money) -> String {
    format!("{} {}", format_amount(money.amount, &money.currency), money.currency)
}

/// Formats sums in several currencies, one after the other: "1,200.00 USD · 50,000 JPY".
/// An empty list reads as a zero in no currency, "0".
pub fn format_sums(sums: &[Money]) -> String {
    if sums.is_empty() {
        return "0".to_owned();
    }
    sums.iter().map(format_money).collect::<Vec<_>>().join(" · ")
}

/// Reads a non-negative price typed in major units ("51.45", "1,200", "7") as minor units
/// of `currency`. Rejects more decimals than the currency has, signs and other text.
pub fn parse_major(text: &str, currency: &str) -> Result<i64, String> {
    let digits = minor_unit_digits(currency) as usize;
    let cleaned: String = text.trim().chars().filter(|character| *character != ',').collect();
    if cleaned.is_empty() {
        return Err("Enter a price.".to_owned());
    }

    let (whole, fraction) = match cleaned.split_once('.') {
        Some((whole, fraction)) => (whole, fraction),
        None => (cleaned.as_str(), ""),
    };
    let all_digits = |part: &str| part.chars().all(|character| character.is_ascii_digit());
    if !all_digits(whole) || !all_digits(fraction) || (whole.is_empty() && fraction.is_empty()) {
        return Err("Enter a price as a number, such as 49.00.".to_owned());
    }
    if fraction.len() > digits {
        return Err(match digits {
            0 => format!("{currency} has no decimals; enter a whole number."),
            1 => format!("{currency} has 1 decimal place at most."),
            _ => format!("{currency} has {digits} decimal places at most."),
        });
    }

    let padded = format!("{whole}{fraction:0<digits$}");
    let minor = padded.trim_start_matches('0');
    if minor.is_empty() {
        return Ok(0);
    }
    minor.parse::<i64>().map_err(|_| "The price is too large.".to_owned())
}

/// Returns minor units as the text a price input starts with, without separators, so
/// `parse_major` reads it back unchanged.
pub fn input_text(amount: i64, currency: &str) -> String {
    format_minor(amount, currency)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_use_currency_decimals() {
        assert_eq!(format_amount(123_456, "USD"), "1,234.56");
        assert_eq!(format_amount(1_234_567, "JPY"), "1,234,567");
        assert_eq!(format_amount(1_234, "KWD"), "1.234");
        assert_eq!(format_amount(51_450, "EUR"), "514.50");
        assert_eq!(format_amount(5, "USD"), "0.05");
    }

    #[test]
    fn amounts_group_thousands() {
        assert_eq!(format_amount(100_000, "USD"), "1,000.00");
        assert_eq!(format_amount(99_999, "USD"), "999.99");
        assert_eq!(format_amount(123_456_789_012, "JPY"), "123,456,789,012");
        assert_eq!(format_amount(-1_500_000, "USD"), "-15,000.00");
        assert_eq!(format_amount(0, "JPY"), "0");
    }

    #[test]
    fn sums_list_each_currency() {
        let sums =
            [Money { amount: 120_000, currency: "USD".into() }, Money { amount: 50_000, currency: "JPY".into() }];
        assert_eq!(format_sums(&sums), "1,200.00 USD · 50,000 JPY");
        assert_eq!(format_sums(&[]), "0");
    }

    #[test]
    fn prices_parse_to_minor_units() {
        assert_eq!(parse_major("51.45", "USD"), Ok(5_145));
        assert_eq!(parse_major(" 1,200 ", "USD"), Ok(120_000));
        assert_eq!(parse_major("49.5", "USD"), Ok(4_950));
        assert_eq!(parse_major(".5", "USD"), Ok(50));
        assert_eq!(parse_major("7", "JPY"), Ok(7));
        assert_eq!(parse_major("1.234", "KWD"), Ok(1_234));
        assert_eq!(parse_major("0.00", "USD"), Ok(0));
    }

    #[test]
    fn prices_reject_bad_text() {
        assert!(parse_major("", "USD").is_err());
        assert!(parse_major("-5", "USD").is_err());
        assert!(parse_major("abc", "USD").is_err());
        assert!(parse_major(".", "USD").is_err());
        assert!(parse_major("1.2.3", "USD").is_err());
        assert!(parse_major("99999999999999999999", "USD").is_err());
    }

    #[test]
    fn prices_reject_extra_decimals() {
        assert_eq!(parse_major("1.5", "JPY"), Err("JPY has no decimals; enter a whole number.".to_owned()));
        assert_eq!(parse_major("1.234", "USD"), Err("USD has 2 decimal places at most.".to_owned()));
        assert!(parse_major("1.2345", "KWD").is_err());
    }

    #[test]
    fn input_text_round_trips() {
        for (amount, currency) in [(4_900, "USD"), (123_456, "JPY"), (1_005, "KWD")] {
            assert_eq!(parse_major(&input_text(amount, currency), currency), Ok(amount));
        }
    }
}
