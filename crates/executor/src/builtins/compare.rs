//! Comparison operators' functions: integers (all width mixes), floats (NaN sorts above
//! every other value, as in PostgreSQL), numeric, text (bytewise: the C collation), bool.

use std::cmp::Ordering;

use tusk_types::adt::float::float8_cmp;
use tusk_types::{Datum, Result};

use super::{reg, Table};
use crate::EvalContext;

/// Total order between two non-NULL values of comparable representations.
pub(crate) fn compare(a: &Datum, b: &Datum) -> Ordering {
    use Datum::*;
    match (a, b) {
        (Int2(_) | Int4(_) | Int8(_), Int2(_) | Int4(_) | Int8(_)) => int(a).cmp(&int(b)),
        (Float4(_) | Float8(_), _) | (_, Float4(_) | Float8(_)) => float8_cmp(float(a), float(b)),
        (Numeric(x), Numeric(y)) => x.cmp(y),
        (Text(x), Text(y)) => x.as_bytes().cmp(y.as_bytes()),
        (Bool(x), Bool(y)) => x.cmp(y),
        (Oid(x), Oid(y)) => x.cmp(y),
        (Bytea(x), Bytea(y)) => x.cmp(y),
        (Date(x), Date(y)) => x.cmp(y),
        (Time(x), Time(y)) | (Timestamp(x), Timestamp(y)) | (TimestampTz(x), TimestampTz(y)) => {
            x.cmp(y)
        }
        (Interval { .. }, Interval { .. }) => interval_key(a).cmp(&interval_key(b)),
        (Array(x), Array(y)) => super::array_compare::array_order(x, y),
        (Record(x), Record(y)) => super::record_compare::record_order(x, y),
        (Range(x), Range(y)) => x.range_cmp(y),
        (Multirange(x), Multirange(y)) => x.multirange_cmp(y),
        _ => Ordering::Equal,
    }
}

/// PostgreSQL compares intervals by their total span with 30-day months and 24-hour days.
fn interval_key(d: &Datum) -> i128 {
    match d {
        Datum::Interval {
            months,
            days,
            micros,
        } => (*months as i128 * 30 + *days as i128) * 86_400_000_000 + *micros as i128,
        _ => 0,
    }
}

fn int(d: &Datum) -> i64 {
    match d {
        Datum::Int2(v) => *v as i64,
        Datum::Int4(v) => *v as i64,
        Datum::Int8(v) => *v,
        _ => 0,
    }
}

fn float(d: &Datum) -> f64 {
    match d {
        Datum::Float4(v) => *v as f64,
        Datum::Float8(v) => *v,
        Datum::Int2(_) | Datum::Int4(_) | Datum::Int8(_) => int(d) as f64,
        _ => f64::NAN,
    }
}

macro_rules! cmp_family {
    ($t:ident, $suffix:literal, $test:expr) => {{
        const PREFIXES: &[&str] = &[
            "int2",
            "int4",
            "int8",
            "int24",
            "int42",
            "int48",
            "int84",
            "int28",
            "int82",
            "float4",
            "float8",
            "float48",
            "float84",
            "numeric_",
            "text_",
            "bool",
            "oid",
            "tid",
            "bytea",
            "date_",
            "time_",
            "timestamp_",
            "interval_",
            "bpchar",
            "name",
            "char",
            "enum_",
        ];
        let f: fn(&mut EvalContext<'_>, &[Datum]) -> Result<Datum> =
            |_, a| Ok(Datum::Bool(($test)(compare(&a[0], &a[1]))));
        for p in PREFIXES {
            let name: &'static str = Box::leak(format!("{p}{}", $suffix).into_boxed_str());
            reg($t, &[name], f);
        }
    }};
}

/// `character(n)` comparison (PostgreSQL's `bpcharcmp`): trailing spaces are not
/// significant, so `'a'::char(3) = 'a '::bpchar`.
fn bpchar_compare(a: &Datum, b: &Datum) -> Ordering {
    let trim = |d: &Datum| match d {
        Datum::Text(s) => s.trim_end_matches(' ').as_bytes().to_vec(),
        _ => Vec::new(),
    };
    trim(a).cmp(&trim(b))
}

pub(super) fn register(t: &mut Table) {
    cmp_family!(t, "eq", |o: Ordering| o == Ordering::Equal);
    cmp_family!(t, "ne", |o: Ordering| o != Ordering::Equal);
    cmp_family!(t, "lt", |o: Ordering| o == Ordering::Less);
    cmp_family!(t, "le", |o: Ordering| o != Ordering::Greater);
    cmp_family!(t, "gt", |o: Ordering| o == Ordering::Greater);
    cmp_family!(t, "ge", |o: Ordering| o != Ordering::Less);
    // Names that do not follow the prefix pattern.
    reg(
        t,
        &[
            "texteq",
            "nameeq",
            "xideq",
            "xideqint4",
            "cideq",
            "bpchareq",
            "chareq",
            "timestamptz_eq",
            "nameeqtext",
            "texteqname",
        ],
        |_, a| Ok(Datum::Bool(compare(&a[0], &a[1]) == Ordering::Equal)),
    );
    reg(
        t,
        &[
            "textne",
            "namene",
            "xidneq",
            "xidneqint4",
            "bpcharne",
            "charne",
            "timestamptz_ne",
            "namenetext",
            "textnename",
        ],
        |_, a| Ok(Datum::Bool(compare(&a[0], &a[1]) != Ordering::Equal)),
    );
    reg(
        t,
        &[
            "timestamptz_lt",
            "bpcharlt",
            "namelt",
            "charlt",
            "namelttext",
            "textltname",
        ],
        |_, a| Ok(Datum::Bool(compare(&a[0], &a[1]) == Ordering::Less)),
    );
    reg(
        t,
        &[
            "timestamptz_le",
            "bpcharle",
            "namele",
            "charle",
            "nameletext",
            "textlename",
        ],
        |_, a| Ok(Datum::Bool(compare(&a[0], &a[1]) != Ordering::Greater)),
    );
    reg(
        t,
        &[
            "timestamptz_gt",
            "bpchargt",
            "namegt",
            "chargt",
            "namegttext",
            "textgtname",
        ],
        |_, a| Ok(Datum::Bool(compare(&a[0], &a[1]) == Ordering::Greater)),
    );
    reg(
        t,
        &[
            "timestamptz_ge",
            "bpcharge",
            "namege",
            "charge",
            "namegetext",
            "textgename",
        ],
        |_, a| Ok(Datum::Bool(compare(&a[0], &a[1]) != Ordering::Less)),
    );
    reg(
        t,
        &[
            "btint4cmp",
            "btint8cmp",
            "bttidcmp",
            "btint2cmp",
            "btfloat8cmp",
            "numeric_cmp",
            "bttextcmp",
            "btboolcmp",
            "btnamecmp",
            "btnametextcmp",
            "bttextnamecmp",
        ],
        |_, a| {
            Ok(Datum::Int4(match compare(&a[0], &a[1]) {
                Ordering::Less => -1,
                Ordering::Equal => 0,
                Ordering::Greater => 1,
            }))
        },
    );
    // `character(n)`: after the generic families above, so these take precedence.
    reg(t, &["bpchareq"], |_, a| {
        Ok(Datum::Bool(bpchar_compare(&a[0], &a[1]).is_eq()))
    });
    reg(t, &["bpcharne"], |_, a| {
        Ok(Datum::Bool(bpchar_compare(&a[0], &a[1]).is_ne()))
    });
    reg(t, &["bpcharlt"], |_, a| {
        Ok(Datum::Bool(bpchar_compare(&a[0], &a[1]).is_lt()))
    });
    reg(t, &["bpcharle"], |_, a| {
        Ok(Datum::Bool(bpchar_compare(&a[0], &a[1]).is_le()))
    });
    reg(t, &["bpchargt"], |_, a| {
        Ok(Datum::Bool(bpchar_compare(&a[0], &a[1]).is_gt()))
    });
    reg(t, &["bpcharge"], |_, a| {
        Ok(Datum::Bool(bpchar_compare(&a[0], &a[1]).is_ge()))
    });
    reg(t, &["bpcharcmp"], |_, a| {
        Ok(Datum::Int4(match bpchar_compare(&a[0], &a[1]) {
            Ordering::Less => -1,
            Ordering::Equal => 0,
            Ordering::Greater => 1,
        }))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bpchar_ignores_trailing_spaces() {
        let t = |s: &str| Datum::Text(s.to_string());
        assert!(bpchar_compare(&t("a  "), &t("a")).is_eq());
        assert!(bpchar_compare(&t("a "), &t("a")).is_eq());
        assert!(bpchar_compare(&t("ab "), &t("ab")).is_eq());
        assert!(bpchar_compare(&t("a"), &t("a\t")).is_lt());
    }

    #[test]
    fn nan_sorts_last_and_mixed_ints_compare() {
        assert_eq!(
            compare(&Datum::Float8(f64::NAN), &Datum::Float8(1e308)),
            Ordering::Greater
        );
        assert_eq!(
            compare(&Datum::Float8(f64::NAN), &Datum::Float8(f64::NAN)),
            Ordering::Equal
        );
        assert_eq!(compare(&Datum::Int2(3), &Datum::Int8(3)), Ordering::Equal);
        assert_eq!(
            compare(&Datum::Text("a".into()), &Datum::Text("B".into())),
            Ordering::Greater
        );
    }
}
