//! Reader for the data tables: PostgreSQL's COPY text format with a header line.

/// One table: column names and rows of fields (`None` for `\N`).
pub(crate) struct Table {
    columns: Vec<&'static str>,
    pub(crate) rows: Vec<Vec<Option<String>>>,
}

impl Table {
    /// Parses COPY text format: tab-separated, `\N` for NULL, backslash escapes.
    pub(crate) fn parse(text: &'static str) -> Table {
        let mut lines = text.lines();
        let columns = lines
            .next()
            .map(|h| h.split('\t').collect())
            .unwrap_or_default();
        let rows = lines
            .filter(|l| !l.is_empty())
            .map(|line| line.split('\t').map(unescape).collect())
            .collect();
        Table { columns, rows }
    }

    /// Column names in order.
    pub(crate) fn columns(&self) -> &[&'static str] {
        &self.columns
    }

    /// Index of a column by name; the data tables are generated, so a missing column is a bug.
    pub(crate) fn col(&self, name: &str) -> usize {
        self.columns
            .iter()
            .position(|c| *c == name)
            .unwrap_or_else(|| panic!("catalog data table lacks column {name}"))
    }
}

fn unescape(field: &str) -> Option<String> {
    if field == "\\N" {
        return None;
    }
    if !field.contains('\\') {
        return Some(field.to_string());
    }
    let mut out = String::with_capacity(field.len());
    let mut chars = field.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('v') => out.push('\u{b}'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nulls_and_escapes() {
        let t = Table::parse("a\tb\n1\t\\N\nx\\ty\tz\\\\\n");
        assert_eq!(t.col("b"), 1);
        assert_eq!(t.rows[0], vec![Some("1".into()), None]);
        assert_eq!(t.rows[1], vec![Some("x\ty".into()), Some("z\\".into())]);
    }
}
