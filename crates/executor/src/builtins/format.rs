//! `format(formatstr text [, formatarg "any" [, ...]])` (PostgreSQL docs §9.4.1): `%s`,
//! `%I`, `%L` and `%%`, with argument positions (`%2$s`), the `-` flag, and widths given
//! directly or by an argument (`%*s`, `%*3$s`).
//!
//! Arguments arrive as values of any type; each prints through its type's output
//! function, the type taken from the value itself. NULL prints as an empty string for
//! `%s`, as `NULL` for `%L`, and is 22004 for `%I`.
//!
//! Entry points: [`register`], [`datum_text`].

use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result};

use super::{reg, Table};
use crate::io::text_out_string;
use crate::EvalContext;

/// The text form of a value of a polymorphic (`"any"`) argument, `None` for NULL.
///
/// Errors: those of the type's output function.
pub(super) fn datum_text(ctx: &EvalContext<'_>, value: &Datum) -> Result<Option<String>> {
    let type_oid = match value {
        Datum::Null => return Ok(None),
        Datum::Text(s) => return Ok(Some(s.clone())),
        Datum::Date(_) => type_oid::DATE,
        Datum::Time(_) => type_oid::TIME,
        Datum::Timestamp(_) => type_oid::TIMESTAMP,
        Datum::TimestampTz(_) => type_oid::TIMESTAMPTZ,
        Datum::Interval { .. } => type_oid::INTERVAL,
        _ => Oid::INVALID,
    };
    text_out_string(value, type_oid, ctx.output).map(Some)
}

fn unterminated() -> Error {
    pg_err!(
        INVALID_PARAMETER_VALUE,
        "unterminated format() type specifier"
    )
    .hint("For a single \"%\" use \"%%\".")
}

fn out_of_range() -> Error {
    pg_err!(NUMERIC_VALUE_OUT_OF_RANGE, "number is out of range")
}

fn argument_zero() -> Error {
    pg_err!(
        INVALID_PARAMETER_VALUE,
        "format specifies argument 0, but arguments are numbered from 1"
    )
}

fn too_few() -> Error {
    pg_err!(INVALID_PARAMETER_VALUE, "too few arguments for format()")
}

/// A parsed `%...` specifier: optional argument position, `-` flag, and width (direct, or
/// from an argument: `Some(0)` for the next one, `Some(n)` for argument `n`).
struct Specifier {
    position: Option<usize>,
    left: bool,
    width: usize,
    width_argument: Option<usize>,
}

struct Cursor<'a> {
    chars: &'a [char],
    at: usize,
}

impl Cursor<'_> {
    fn current(&self) -> char {
        self.chars[self.at]
    }

    /// Moves on; the specifier may not end here (`ADVANCE_PARSE_POINTER`).
    fn advance(&mut self) -> Result<()> {
        self.at += 1;
        if self.at >= self.chars.len() {
            return Err(unterminated());
        }
        Ok(())
    }

    fn digits(&mut self) -> Result<Option<usize>> {
        let mut value: Option<usize> = None;
        while self.current().is_ascii_digit() {
            let d = self.current().to_digit(10).expect("digit") as usize;
            let v = value
                .unwrap_or(0)
                .checked_mul(10)
                .and_then(|v| v.checked_add(d))
                .filter(|v| *v <= i32::MAX as usize)
                .ok_or_else(out_of_range)?;
            value = Some(v);
            self.advance()?;
        }
        Ok(value)
    }

    fn specifier(&mut self) -> Result<Specifier> {
        let mut spec = Specifier {
            position: None,
            left: false,
            width: 0,
            width_argument: None,
        };
        if let Some(n) = self.digits()? {
            if self.current() != '$' {
                spec.width = n;
                return Ok(spec);
            }
            if n == 0 {
                return Err(argument_zero());
            }
            spec.position = Some(n);
            self.advance()?;
        }
        while self.current() == '-' {
            spec.left = true;
            self.advance()?;
        }
        if self.current() == '*' {
            self.advance()?;
            match self.digits()? {
                Some(n) => {
                    if self.current() != '$' {
                        return Err(pg_err!(
                            INVALID_PARAMETER_VALUE,
                            "width argument position must be ended by \"$\""
                        ));
                    }
                    if n == 0 {
                        return Err(argument_zero());
                    }
                    spec.width_argument = Some(n);
                    self.advance()?;
                }
                None => spec.width_argument = Some(0),
            }
        } else if let Some(n) = self.digits()? {
            spec.width = n;
        }
        Ok(spec)
    }
}

fn append_padded(out: &mut String, s: &str, left: bool, width: usize) {
    let len = s.chars().count();
    if width <= len {
        out.push_str(s);
    } else if left {
        out.push_str(s);
        out.extend(std::iter::repeat_n(' ', width - len));
    } else {
        out.extend(std::iter::repeat_n(' ', width - len));
        out.push_str(s);
    }
}

/// `format(formatstr, args...)`; `args` are the values after the format string.
///
/// Errors: 22023 for malformed specifiers (`unterminated format() type specifier`,
/// `unrecognized format() type specifier "x"`, `too few arguments for format()`, ...);
/// 22003 `number is out of range`; 22004 `null values cannot be formatted as an SQL
/// identifier`.
fn text_format(ctx: &EvalContext<'_>, format: &str, args: &[Datum]) -> Result<String> {
    let chars: Vec<char> = format.chars().collect();
    let mut out = String::with_capacity(format.len());
    // 1-based number of the next argument.
    let mut next = 1;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c != '%' {
            out.push(c);
            i += 1;
            continue;
        }
        i += 1;
        if i >= chars.len() {
            return Err(unterminated());
        }
        if chars[i] == '%' {
            out.push('%');
            i += 1;
            continue;
        }
        let mut cursor = Cursor {
            chars: &chars,
            at: i,
        };
        let mut spec = cursor.specifier()?;
        let conversion = cursor.current();
        i = cursor.at + 1;
        if !matches!(conversion, 's' | 'I' | 'L') {
            return Err(pg_err!(
                INVALID_PARAMETER_VALUE,
                "unrecognized format() type specifier \"{}\"",
                conversion
            )
            .hint("For a single \"%\" use \"%%\"."));
        }
        if let Some(position) = spec.width_argument {
            if position > 0 {
                next = position;
            }
            let value = args.get(next - 1).ok_or_else(too_few)?;
            let width: i64 = match value {
                Datum::Null => 0,
                Datum::Int2(v) => i64::from(*v),
                Datum::Int4(v) => i64::from(*v),
                other => {
                    let text = datum_text(ctx, other)?.unwrap_or_default();
                    tusk_types::adt::int::int4_in(&text)?.into()
                }
            };
            if width < 0 {
                if width == i64::from(i32::MIN) {
                    return Err(out_of_range());
                }
                spec.left = true;
            }
            spec.width = width.unsigned_abs() as usize;
            next += 1;
        }
        if let Some(position) = spec.position {
            next = position;
        }
        let value = args.get(next - 1).ok_or_else(too_few)?;
        next += 1;
        let piece = match (datum_text(ctx, value)?, conversion) {
            (None, 's') => String::new(),
            (None, 'L') => "NULL".to_string(),
            (None, _) => {
                return Err(pg_err!(
                    NULL_VALUE_NOT_ALLOWED,
                    "null values cannot be formatted as an SQL identifier"
                ))
            }
            (Some(s), 'I') => super::text::quote_ident(&s),
            (Some(s), 'L') => super::text::quote_literal(&s),
            (Some(s), _) => s,
        };
        append_padded(&mut out, &piece, spec.left, spec.width);
    }
    Ok(out)
}

/// Registers `format`.
pub(super) fn register(t: &mut Table) {
    reg(t, &["text_format", "text_format_nv"], |ctx, a| {
        let Some(first) = a.first() else {
            return Ok(Datum::Null);
        };
        let format = match first {
            Datum::Null => return Ok(Datum::Null),
            Datum::Text(s) => s.clone(),
            _ => return Err(Error::internal("text argument expected")),
        };
        Ok(Datum::Text(text_format(ctx, &format, &a[1..])?))
    });
}

#[cfg(test)]
mod tests {
    use super::super::datetime::test_support::call;
    use tusk_types::Datum;

    fn txt(s: &str) -> Datum {
        Datum::Text(s.into())
    }

    fn format(args: &[Datum]) -> tusk_types::Result<Datum> {
        call("UTC", "text_format", args)
    }

    #[test]
    fn conversions_positions_and_widths() {
        // Expected strings from PostgreSQL 15 (docs §9.4.1 and the regression suite).
        assert_eq!(
            format(&[txt("Hello %s"), txt("World")]).expect("ok"),
            txt("Hello World")
        );
        assert_eq!(
            format(&[
                txt("INSERT INTO %I VALUES(%L)"),
                txt("Foo bar"),
                txt("O'Reilly")
            ])
            .expect("ok"),
            txt("INSERT INTO \"Foo bar\" VALUES('O''Reilly')")
        );
        assert_eq!(
            format(&[txt("|%10s|"), txt("foo")]).expect("ok"),
            txt("|       foo|")
        );
        assert_eq!(
            format(&[txt("|%-10s|"), txt("foo")]).expect("ok"),
            txt("|foo       |")
        );
        assert_eq!(
            format(&[txt("|%*s|"), Datum::Int4(-10), txt("foo")]).expect("ok"),
            txt("|foo       |")
        );
        assert_eq!(
            format(&[txt("%3$s, %2$s, %1$s"), txt("a"), txt("b"), txt("c")]).expect("ok"),
            txt("c, b, a")
        );
        assert_eq!(
            format(&[txt("%1$s %s"), txt("a"), txt("b")]).expect("ok"),
            txt("a b")
        );
        assert_eq!(
            format(&[txt("%s %L %%"), Datum::Int4(10), Datum::Null]).expect("ok"),
            txt("10 NULL %")
        );
        assert_eq!(format(&[Datum::Null]).expect("ok"), Datum::Null);
    }

    #[test]
    fn errors_match_postgres() {
        let e = format(&[txt("%1$s %s %s"), txt("a"), txt("b")]).expect_err("too few");
        assert_eq!(e.message, "too few arguments for format()");
        let e = format(&[txt("abc %")]).expect_err("unterminated");
        assert_eq!(e.message, "unterminated format() type specifier");
        let e = format(&[txt("%d"), txt("a")]).expect_err("type");
        assert_eq!(e.message, "unrecognized format() type specifier \"d\"");
        let e = format(&[txt("%0$s"), txt("a")]).expect_err("zero");
        assert_eq!(
            e.message,
            "format specifies argument 0, but arguments are numbered from 1"
        );
        let e = format(&[txt("%I"), Datum::Null]).expect_err("null ident");
        assert_eq!(e.code.code(), "22004");
    }
}
