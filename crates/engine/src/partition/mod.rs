//! Partition bounds (PostgreSQL's `partbounds.c`): their values, their text in
//! `pg_class.relpartbound`, which rows they accept, and the checks a new bound must pass
//! against its siblings.
//!
//! `relpartbound` holds the bound as `pg_get_expr` prints it in PostgreSQL
//! (`FOR VALUES FROM (1) TO (10)`, `FOR VALUES IN ('a', NULL)`,
//! `FOR VALUES WITH (modulus 4, remainder 0)`, `DEFAULT`), and [`parse_bound`] reads that
//! text back: values are printed as `get_const_expr` prints constants without a type
//! label (integers bare unless negative, numerics bare when they look like numbers,
//! booleans as `true`/`false`, everything else as a quoted literal).
//!
//! Rules:
//! 1. A range partition accepts a key `k` with `lower <= k < upper`, comparing column by
//!    column; `MINVALUE` sorts below and `MAXVALUE` above every value, and decides the
//!    comparison at its column. A key with a NULL fits no range partition.
//! 2. A list partition accepts a key equal to one of its values (NULL only if it lists
//!    NULL).
//! 3. A hash partition accepts a key whose combined hash (PostgreSQL's seeded extended
//!    hashes, `hash_combine64`) modulo `modulus` is `remainder`.
//! 4. A default partition accepts a key no sibling accepts.
//!
//! Entry points: [`PartitionBound`], [`format_bound`], [`parse_bound`], [`bound_accepts`],
//! [`check_new_bound`].

use std::cmp::Ordering;

use tusk_access::nbtree::compare_datums;
use tusk_executor::io::{text_in, text_out_string};
use tusk_executor::OutputSettings;
use tusk_sql::ast_partition::PartitionStrategy;
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result};

pub mod hash;

/// One value of a range bound.
#[derive(Debug, Clone, PartialEq)]
pub enum RangeValue {
    /// `MINVALUE`.
    MinValue,
    /// A value of the key column's type.
    Value(Datum),
    /// `MAXVALUE`.
    MaxValue,
}

/// A partition's bound, its values in the key columns' types.
#[derive(Debug, Clone, PartialEq)]
pub enum PartitionBound {
    /// `DEFAULT`.
    Default,
    /// `FOR VALUES IN (...)`: one-column keys; `Datum::Null` for NULL.
    List(Vec<Datum>),
    /// `FOR VALUES FROM (from) TO (to)`.
    Range {
        /// Inclusive lower bound, one value per key column.
        from: Vec<RangeValue>,
        /// Exclusive upper bound.
        to: Vec<RangeValue>,
    },
    /// `FOR VALUES WITH (MODULUS modulus, REMAINDER remainder)`.
    Hash {
        /// `MODULUS` (> 0).
        modulus: u32,
        /// `REMAINDER` (< modulus).
        remainder: u32,
    },
}

/// A partitioned table's key: its strategy and key columns or expressions.
#[derive(Debug, Clone, PartialEq)]
pub struct PartitionKey {
    /// The strategy.
    pub strategy: PartitionStrategy,
    /// Key columns: 1-based attribute numbers in the partitioned table, 0 for an
    /// expression.
    pub attnums: Vec<i16>,
    /// Their names as PostgreSQL prints them in error details: a column's name, an
    /// expression's text (`(b + 0)`, `lower(a)`).
    pub names: Vec<String>,
    /// Their types.
    pub types: Vec<Oid>,
    /// The expressions of expression columns, over the partitioned table's row (`None`
    /// for a plain column).
    pub exprs: Vec<Option<tusk_sql::analyze::TypedExpr>>,
}

impl PartitionKey {
    /// Whether key column `i` is a plain column (not an expression).
    pub fn is_column(&self, i: usize) -> bool {
        self.exprs.get(i).is_none_or(|e| e.is_none())
    }
}

/// A constant as PostgreSQL's `get_const_expr` prints it without a type label.
///
/// Errors: the type's output function's errors.
pub fn format_value(value: &Datum, type_oid: Oid, output: &OutputSettings) -> Result<String> {
    if value.is_null() {
        return Ok("NULL".into());
    }
    let text = text_out_string(value, type_oid, output)?;
    Ok(match type_oid {
        type_oid::INT4 if !text.starts_with('-') => text,
        type_oid::NUMERIC
            if text.starts_with(|c: char| c.is_ascii_digit())
                && text.chars().all(|c| "0123456789+-eE.".contains(c)) =>
        {
            text
        }
        type_oid::BOOL => match value {
            Datum::Bool(true) => "true".into(),
            Datum::Bool(false) => "false".into(),
            _ => text,
        },
        _ => format!("'{}'", text.replace('\'', "''")),
    })
}

fn range_text(values: &[RangeValue], types: &[Oid], output: &OutputSettings) -> Result<String> {
    let mut parts = Vec::with_capacity(values.len());
    for (value, type_oid) in values.iter().zip(types) {
        parts.push(match value {
            RangeValue::MinValue => "MINVALUE".to_string(),
            RangeValue::MaxValue => "MAXVALUE".to_string(),
            RangeValue::Value(v) => format_value(v, *type_oid, output)?,
        });
    }
    Ok(parts.join(", "))
}

/// The bound's text as PostgreSQL's `pg_get_expr(relpartbound, oid)` prints it.
///
/// Errors: the key types' output functions' errors.
pub fn format_bound(
    bound: &PartitionBound,
    types: &[Oid],
    output: &OutputSettings,
) -> Result<String> {
    Ok(match bound {
        PartitionBound::Default => "DEFAULT".into(),
        PartitionBound::List(values) => {
            let type_oid = types.first().copied().unwrap_or(type_oid::TEXT);
            let parts = values
                .iter()
                .map(|v| format_value(v, type_oid, output))
                .collect::<Result<Vec<_>>>()?;
            format!("FOR VALUES IN ({})", parts.join(", "))
        }
        PartitionBound::Range { from, to } => format!(
            "FOR VALUES FROM ({}) TO ({})",
            range_text(from, types, output)?,
            range_text(to, types, output)?
        ),
        PartitionBound::Hash { modulus, remainder } => {
            format!("FOR VALUES WITH (modulus {modulus}, remainder {remainder})")
        }
    })
}

/// One item of a value list in bound text: a quoted literal or a bare word.
#[derive(Debug, PartialEq)]
enum Item {
    Quoted(String),
    Bare(String),
}

/// The items of the parenthesized list that starts `text` (after optional spaces), and
/// the rest of the text after its `)`.
fn value_list(text: &str) -> Option<(Vec<Item>, &str)> {
    let text = text.trim_start().strip_prefix('(')?;
    let mut items = Vec::new();
    let mut chars = text.char_indices().peekable();
    loop {
        while chars.peek().is_some_and(|(_, c)| *c == ' ') {
            chars.next();
        }
        let (_, c) = *chars.peek()?;
        if c == '\'' {
            chars.next();
            let mut value = String::new();
            loop {
                let (_, c) = chars.next()?;
                if c == '\'' {
                    if chars.peek().is_some_and(|(_, c)| *c == '\'') {
                        chars.next();
                        value.push('\'');
                    } else {
                        break;
                    }
                } else {
                    value.push(c);
                }
            }
            items.push(Item::Quoted(value));
        } else {
            let mut value = String::new();
            while let Some((_, c)) = chars.peek() {
                if *c == ',' || *c == ')' {
                    break;
                }
                value.push(*c);
                chars.next();
            }
            items.push(Item::Bare(value.trim().to_string()));
        }
        while chars.peek().is_some_and(|(_, c)| *c == ' ') {
            chars.next();
        }
        let (i, c) = chars.next()?;
        match c {
            ',' => continue,
            ')' => return Some((items, &text[i + 1..])),
            _ => return None,
        }
    }
}

fn item_value(item: &Item, type_oid: Oid, output: &OutputSettings) -> Result<Datum> {
    match item {
        Item::Bare(word) if word.eq_ignore_ascii_case("null") => Ok(Datum::Null),
        Item::Bare(text) | Item::Quoted(text) => text_in(text, type_oid, -1, output),
    }
}

fn range_values(items: &[Item], types: &[Oid], output: &OutputSettings) -> Result<Vec<RangeValue>> {
    items
        .iter()
        .zip(types)
        .map(|(item, type_oid)| match item {
            Item::Bare(w) if w.eq_ignore_ascii_case("minvalue") => Ok(RangeValue::MinValue),
            Item::Bare(w) if w.eq_ignore_ascii_case("maxvalue") => Ok(RangeValue::MaxValue),
            _ => Ok(RangeValue::Value(item_value(item, *type_oid, output)?)),
        })
        .collect()
}

/// Reads back the text [`format_bound`] writes, with values of the key `types`.
///
/// Errors: XX000 for text that is not a bound; the types' input functions' errors.
pub fn parse_bound(text: &str, types: &[Oid], output: &OutputSettings) -> Result<PartitionBound> {
    let bad = || Error::internal(format!("unrecognized partition bound \"{text}\""));
    let text = text.trim();
    if text == "DEFAULT" {
        return Ok(PartitionBound::Default);
    }
    let rest = text.strip_prefix("FOR VALUES ").ok_or_else(bad)?;
    if let Some(rest) = rest.strip_prefix("IN ") {
        let (items, _) = value_list(rest).ok_or_else(bad)?;
        let type_oid = types.first().copied().unwrap_or(type_oid::TEXT);
        let values = items
            .iter()
            .map(|i| item_value(i, type_oid, output))
            .collect::<Result<Vec<_>>>()?;
        return Ok(PartitionBound::List(values));
    }
    if let Some(rest) = rest.strip_prefix("FROM ") {
        let (from, rest) = value_list(rest).ok_or_else(bad)?;
        let rest = rest.trim_start().strip_prefix("TO").ok_or_else(bad)?;
        let (to, _) = value_list(rest).ok_or_else(bad)?;
        return Ok(PartitionBound::Range {
            from: range_values(&from, types, output)?,
            to: range_values(&to, types, output)?,
        });
    }
    if let Some(rest) = rest.strip_prefix("WITH ") {
        let (items, _) = value_list(rest).ok_or_else(bad)?;
        let number = |item: Option<&Item>, word: &str| -> Option<u32> {
            match item? {
                Item::Bare(w) => w.strip_prefix(word)?.trim().parse().ok(),
                Item::Quoted(_) => None,
            }
        };
        let modulus = number(items.first(), "modulus").ok_or_else(bad)?;
        let remainder = number(items.get(1), "remainder").ok_or_else(bad)?;
        return Ok(PartitionBound::Hash { modulus, remainder });
    }
    Err(bad())
}

/// Compares a range bound with a key (rule 1): `Less` when the bound is below the key.
pub fn compare_range_to_key(bound: &[RangeValue], key: &[Datum], types: &[Oid]) -> Ordering {
    for (i, value) in bound.iter().enumerate() {
        match value {
            RangeValue::MinValue => return Ordering::Less,
            RangeValue::MaxValue => return Ordering::Greater,
            RangeValue::Value(v) => {
                let order = compare_datums(types[i], v, &key[i]);
                if order != Ordering::Equal {
                    return order;
                }
            }
        }
    }
    Ordering::Equal
}

/// Compares two range bounds (rule 1's order: `MINVALUE` < values < `MAXVALUE`, the
/// first infinite value deciding).
pub fn compare_range_bounds(a: &[RangeValue], b: &[RangeValue], types: &[Oid]) -> Ordering {
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        let order = match (x, y) {
            (RangeValue::MinValue, RangeValue::MinValue)
            | (RangeValue::MaxValue, RangeValue::MaxValue) => return Ordering::Equal,
            (RangeValue::MinValue, _) | (_, RangeValue::MaxValue) => Ordering::Less,
            (_, RangeValue::MinValue) | (RangeValue::MaxValue, _) => Ordering::Greater,
            (RangeValue::Value(v), RangeValue::Value(w)) => compare_datums(types[i], v, w),
        };
        if order != Ordering::Equal {
            return order;
        }
    }
    Ordering::Equal
}

/// Whether `bound` accepts `key` (rules 1 to 3; a default bound answers `false`: it is
/// chosen only after every sibling refused, rule 4).
pub fn bound_accepts(bound: &PartitionBound, key: &[Datum], types: &[Oid]) -> bool {
    match bound {
        PartitionBound::Default => false,
        PartitionBound::List(values) => {
            let k = &key[0];
            values.iter().any(|v| {
                if k.is_null() || v.is_null() {
                    k.is_null() && v.is_null()
                } else {
                    compare_datums(types[0], v, k) == Ordering::Equal
                }
            })
        }
        PartitionBound::Range { from, to } => {
            !key.iter().any(Datum::is_null)
                && compare_range_to_key(from, key, types) != Ordering::Greater
                && compare_range_to_key(to, key, types) == Ordering::Greater
        }
        PartitionBound::Hash { modulus, remainder } => {
            hash::partition_hash(key, types) % u64::from(*modulus) == u64::from(*remainder)
        }
    }
}

/// Which part of a written bound an error points at (its cursor position).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorAt {
    /// The bound as a whole (`FOR VALUES` / `DEFAULT`).
    Bound,
    /// The `i`th value of the lower bound.
    Lower(usize),
    /// The `i`th value of the upper bound.
    Upper(usize),
    /// The `i`th value of a list.
    ListValue(usize),
    /// Nothing in particular (no cursor position).
    Nowhere,
}

/// An error in a new bound and where it points.
#[derive(Debug)]
pub struct BoundError {
    /// The error.
    pub error: Box<Error>,
    /// What it points at.
    pub at: ErrorAt,
}

impl BoundError {
    /// `error`, pointing at the bound as a whole.
    pub fn at_bound(error: Error) -> BoundError {
        BoundError {
            error: Box::new(error),
            at: ErrorAt::Bound,
        }
    }
}

/// Checks a new partition's bound against its siblings (`existing`: name and bound) as
/// PostgreSQL's `check_new_partition_bound` does. `output` prints values in DETAILs.
///
/// Errors: 42P17 `partition "c" would overlap partition "p"`, `partition "c" conflicts
/// with existing default partition "d"`, `empty range bound specified for partition "c"`
/// (with DETAIL `Specified lower bound (10) is greater than or equal to upper bound
/// (1).`), `every hash partition modulus must be a factor of the next larger modulus`.
pub fn check_new_bound(
    name: &str,
    bound: &PartitionBound,
    existing: &[(String, PartitionBound)],
    types: &[Oid],
    output: &OutputSettings,
) -> std::result::Result<(), BoundError> {
    let overlap = |other: &str| {
        pg_err!(
            INVALID_OBJECT_DEFINITION,
            "partition \"{}\" would overlap partition \"{}\"",
            name,
            other
        )
    };
    match bound {
        PartitionBound::Default => {
            if let Some((other, _)) = existing.iter().find(|(_, b)| *b == PartitionBound::Default) {
                return Err(BoundError::at_bound(pg_err!(
                    INVALID_OBJECT_DEFINITION,
                    "partition \"{}\" conflicts with existing default partition \"{}\"",
                    name,
                    other
                )));
            }
        }
        PartitionBound::List(values) => {
            for (i, v) in values.iter().enumerate() {
                for (other, b) in existing {
                    if matches!(b, PartitionBound::List(_))
                        && bound_accepts(b, std::slice::from_ref(v), types)
                    {
                        return Err(BoundError {
                            error: Box::new(overlap(other)),
                            at: ErrorAt::ListValue(i),
                        });
                    }
                }
            }
        }
        PartitionBound::Range { from, to } => {
            if compare_range_bounds(from, to, types) != Ordering::Less {
                let text = |values| range_text(values, types, output).map_err(BoundError::at_bound);
                return Err(BoundError {
                    error: Box::new(
                        pg_err!(
                            INVALID_OBJECT_DEFINITION,
                            "empty range bound specified for partition \"{}\"",
                            name
                        )
                        .detail(format!(
                            "Specified lower bound ({}) is greater than or equal to upper bound ({}).",
                            text(from)?,
                            text(to)?
                        )),
                    ),
                    at: ErrorAt::Lower(0),
                });
            }
            for (other, b) in existing {
                if let PartitionBound::Range { from: f2, to: t2 } = b {
                    if compare_range_bounds(from, t2, types) == Ordering::Less
                        && compare_range_bounds(f2, to, types) == Ordering::Less
                    {
                        // The new upper bound reaches into a partition above, or the
                        // lower bound falls inside one.
                        let at = if compare_range_bounds(f2, from, types) == Ordering::Greater {
                            ErrorAt::Upper(0)
                        } else {
                            ErrorAt::Lower(0)
                        };
                        return Err(BoundError {
                            error: Box::new(overlap(other)),
                            at,
                        });
                    }
                }
            }
        }
        PartitionBound::Hash { modulus, remainder } => {
            // Siblings in PostgreSQL's bound order: by modulus, then remainder.
            let mut hashes: Vec<(u32, u32, &str)> = existing
                .iter()
                .filter_map(|(n, b)| match b {
                    PartitionBound::Hash { modulus, remainder } => {
                        Some((*modulus, *remainder, n.as_str()))
                    }
                    _ => None,
                })
                .collect();
            hashes.sort();
            if hashes.is_empty() {
                return Ok(());
            }
            let factor_error = |detail: String| BoundError {
                error: Box::new(
                    pg_err!(
                        INVALID_OBJECT_DEFINITION,
                        "every hash partition modulus must be a factor of the next larger modulus"
                    )
                    .detail(detail),
                ),
                at: ErrorAt::Nowhere,
            };
            let offset = hashes
                .iter()
                .rposition(|(m, r, _)| (*m, *r) <= (*modulus, *remainder));
            match offset {
                None => {
                    let (next, _, name) = hashes[0];
                    if next % modulus != 0 {
                        return Err(factor_error(format!(
                            "The new modulus {modulus} is not a factor of {next}, the modulus of existing partition \"{name}\"."
                        )));
                    }
                }
                Some(i) => {
                    let (prev, _, name) = hashes[i];
                    if modulus % prev != 0 {
                        return Err(factor_error(format!(
                            "The new modulus {modulus} is not divisible by {prev}, the modulus of existing partition \"{name}\"."
                        )));
                    }
                    if let Some((next, _, name)) = hashes.get(i + 1) {
                        if next % modulus != 0 {
                            return Err(factor_error(format!(
                                "The new modulus {modulus} is not a factor of {next}, the modulus of existing partition \"{name}\"."
                            )));
                        }
                    }
                }
            }
            let greatest = hashes
                .iter()
                .map(|(m, _, _)| *m)
                .max()
                .unwrap_or(0)
                .max(*modulus);
            let mut slot = *remainder % greatest;
            while slot < greatest {
                if let Some((_, _, name)) = hashes.iter().find(|(m, r, _)| slot % m == *r) {
                    return Err(BoundError::at_bound(overlap(name)));
                }
                slot += modulus;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out() -> OutputSettings {
        OutputSettings::default()
    }

    #[test]
    fn boolean_bounds_print_as_keywords_and_read_back() {
        let types = [type_oid::BOOL];
        let list = PartitionBound::List(vec![Datum::Bool(true), Datum::Bool(false)]);
        let text = format_bound(&list, &types, &out()).expect("formats");
        assert_eq!(text, "FOR VALUES IN (true, false)");
        assert_eq!(parse_bound(&text, &types, &out()).expect("parses"), list);
    }

    #[test]
    fn bounds_print_as_postgresql_and_read_back() {
        let types = [type_oid::INT4];
        let range = PartitionBound::Range {
            from: vec![RangeValue::Value(Datum::Int4(1))],
            to: vec![RangeValue::Value(Datum::Int4(10))],
        };
        let text = format_bound(&range, &types, &out()).expect("prints");
        assert_eq!(text, "FOR VALUES FROM (1) TO (10)");
        assert_eq!(parse_bound(&text, &types, &out()).expect("parses"), range);
        let negative = PartitionBound::Range {
            from: vec![RangeValue::MinValue],
            to: vec![RangeValue::Value(Datum::Int4(-5))],
        };
        let text = format_bound(&negative, &types, &out()).expect("prints");
        assert_eq!(text, "FOR VALUES FROM (MINVALUE) TO ('-5')");
        assert_eq!(
            parse_bound(&text, &types, &out()).expect("parses"),
            negative
        );
        let list = PartitionBound::List(vec![Datum::Text("a'b".into()), Datum::Null]);
        let text = format_bound(&list, &[type_oid::TEXT], &out()).expect("prints");
        assert_eq!(text, "FOR VALUES IN ('a''b', NULL)");
        assert_eq!(
            parse_bound(&text, &[type_oid::TEXT], &out()).expect("parses"),
            list
        );
        let hash = PartitionBound::Hash {
            modulus: 4,
            remainder: 3,
        };
        let text = format_bound(&hash, &types, &out()).expect("prints");
        assert_eq!(text, "FOR VALUES WITH (modulus 4, remainder 3)");
        assert_eq!(parse_bound(&text, &types, &out()).expect("parses"), hash);
        assert_eq!(
            parse_bound("DEFAULT", &types, &out()).expect("parses"),
            PartitionBound::Default
        );
        assert_eq!(
            format_value(&Datum::Int8(3), type_oid::INT8, &out()).expect("prints"),
            "'3'"
        );
    }

    #[test]
    fn range_bounds_accept_lower_inclusive_upper_exclusive() {
        let types = [type_oid::INT4, type_oid::INT4];
        let bound = PartitionBound::Range {
            from: vec![RangeValue::Value(Datum::Int4(1)), RangeValue::MinValue],
            to: vec![
                RangeValue::Value(Datum::Int4(10)),
                RangeValue::Value(Datum::Int4(5)),
            ],
        };
        let key = |a, b| [Datum::Int4(a), Datum::Int4(b)];
        assert!(bound_accepts(&bound, &key(1, -100), &types));
        assert!(bound_accepts(&bound, &key(10, 4), &types));
        assert!(!bound_accepts(&bound, &key(10, 5), &types));
        assert!(!bound_accepts(&bound, &key(0, 0), &types));
        assert!(!bound_accepts(
            &bound,
            &[Datum::Null, Datum::Int4(1)],
            &types
        ));
    }

    #[test]
    fn new_bounds_are_checked_against_siblings() {
        let types = [type_oid::INT4];
        let r = |a, b| PartitionBound::Range {
            from: vec![RangeValue::Value(Datum::Int4(a))],
            to: vec![RangeValue::Value(Datum::Int4(b))],
        };
        let existing = vec![("p1".to_string(), r(1, 10))];
        assert!(check_new_bound("p2", &r(10, 20), &existing, &types, &out()).is_ok());
        let e = check_new_bound("p2", &r(5, 20), &existing, &types, &out())
            .expect_err("overlap")
            .error;
        assert_eq!(e.message, "partition \"p2\" would overlap partition \"p1\"");
        let e = check_new_bound("p3", &r(30, 20), &existing, &types, &out())
            .expect_err("empty")
            .error;
        assert_eq!(
            e.message,
            "empty range bound specified for partition \"p3\""
        );
        assert_eq!(
            e.detail.as_deref(),
            Some("Specified lower bound (30) is greater than or equal to upper bound (20).")
        );
        let h = |m, r| PartitionBound::Hash {
            modulus: m,
            remainder: r,
        };
        let hashes = vec![("h0".to_string(), h(4, 0))];
        assert!(check_new_bound("h1", &h(8, 1), &hashes, &types, &out()).is_ok());
        let e = check_new_bound("h1", &h(8, 4), &hashes, &types, &out())
            .expect_err("overlap")
            .error;
        assert_eq!(e.message, "partition \"h1\" would overlap partition \"h0\"");
        let e = check_new_bound("h1", &h(3, 1), &hashes, &types, &out())
            .expect_err("factor")
            .error;
        assert_eq!(
            e.detail.as_deref(),
            Some(
                "The new modulus 3 is not a factor of 4, the modulus of existing partition \"h0\"."
            )
        );
        let two = vec![("h0".to_string(), h(2, 0)), ("h1".to_string(), h(2, 1))];
        let e = check_new_bound("h2", &h(3, 1), &two, &types, &out())
            .expect_err("factor")
            .error;
        assert_eq!(
            e.detail.as_deref(),
            Some("The new modulus 3 is not divisible by 2, the modulus of existing partition \"h1\".")
        );
        let lists = vec![("l1".to_string(), PartitionBound::List(vec![Datum::Int4(1)]))];
        let e = check_new_bound(
            "l2",
            &PartitionBound::List(vec![Datum::Int4(2), Datum::Int4(1)]),
            &lists,
            &types,
            &out(),
        )
        .expect_err("overlap");
        assert_eq!(e.at, ErrorAt::ListValue(1));
        assert_eq!(
            e.error.message,
            "partition \"l2\" would overlap partition \"l1\""
        );
    }
}
