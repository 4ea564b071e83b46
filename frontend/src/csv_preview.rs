//! Reading the first rows of a CSV file in the browser, to show them next to the server's
//! import preview. The server parses the file again and decides; this only displays.

/// The header and first records of a file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CsvSample {
    pub headers: Vec<String>,
    /// Records after the header, numbered as the server numbers them: from 1, blank lines
    /// not counted.
    pub rows: Vec<(u64, Vec<String>)>,
    /// Records in the whole file, header excluded.
    pub total_rows: u64,
}

/// Splits RFC 4180 CSV text into records: quoted fields may hold commas, quotes written
/// twice and line breaks; a leading byte-order mark is dropped.
fn records(text: &str) -> Vec<Vec<String>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Vec::new();
    let mut record: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut in_quotes = false;
    let mut chars = text.chars().peekable();

    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                '"' => in_quotes = false,
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' => in_quotes = true,
            ',' => record.push(std::mem::take(&mut field)),
            '\r' => {}
            '\n' => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            _ => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

fn is_blank(record: &[String]) -> bool {
    record.iter().all(|field| field.trim().is_empty())
}

/// Reads the header and up to `max_rows` records of `text`.
pub fn sample(text: &str, max_rows: usize) -> CsvSample {
    let mut records = records(text).into_iter().filter(|record| !is_blank(record));
    let Some(headers) = records.next() else {
        return CsvSample::default();
    };
    let mut rows = Vec::new();
    let mut total_rows = 0;
    for record in records {
        total_rows += 1;
        if rows.len() < max_rows {
            rows.push((total_rows, record));
        }
    }
    CsvSample { headers: headers.into_iter().map(|header| header.trim().to_owned()).collect(), rows, total_rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields_keep_commas_and_quotes() {
        let parsed = sample("name,notes\r\n\"Acme, Inc.\",\"said \"\"hi\"\"\"\r\n", 10);
        assert_eq!(parsed.headers, vec!["name", "notes"]);
        assert_eq!(parsed.rows, vec![(1, vec!["Acme, Inc.".to_owned(), "said \"hi\"".to_owned()])]);
    }

    #[test]
    fn blank_lines_are_not_counted() {
        let parsed = sample("\u{feff}name\nA\n\n ,\nB", 10);
        assert_eq!(parsed.total_rows, 2);
        assert_eq!(parsed.rows[1], (2, vec!["B".to_owned()]));
    }

    #[test]
    fn line_break_inside_quotes() {
        let parsed = sample("name,address\nAcme,\"1 Main St\nSpringfield\"\n", 10);
        assert_eq!(parsed.rows[0].1[1], "1 Main St\nSpringfield");
    }

    #[test]
    fn sample_stops_at_limit() {
        let parsed = sample("name\na\nb\nc\n", 2);
        assert_eq!(parsed.rows.len(), 2);
        assert_eq!(parsed.total_rows, 3);
    }

    #[test]
    fn empty_file_has_no_header() {
        assert_eq!(sample("", 5), CsvSample::default());
    }
}
