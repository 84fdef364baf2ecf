//! Conversions between `name` and the character types (`text(name)`, `name(text)`,
//! `name(varchar)`, `varchar(name)`, `bpchar(name)`, `name(bpchar)`), between `"char"`
//! and text or integer, between `oid` and `bigint`, and the null counters `num_nulls("any")`/`num_nonnulls("any")`.
//!
//! Invariant: a `name` holds at most NAMEDATALEN - 1 = 63 bytes; longer input is cut at
//! the last whole character that fits, as PostgreSQL's `namein` does.
//!
//! Entry point: `register` (called from `builtins/mod.rs`).

use tusk_types::{Datum, Result};

use super::{reg, Table};

/// The most bytes a `name` holds (NAMEDATALEN - 1).
const NAME_MAX_BYTES: usize = 63;

fn text(d: &Datum) -> &str {
    match d {
        Datum::Text(s) => s,
        _ => "",
    }
}

/// `s` cut to fit a `name`, never inside a character.
pub fn truncate_name(s: &str) -> &str {
    if s.len() <= NAME_MAX_BYTES {
        return s;
    }
    let mut end = NAME_MAX_BYTES;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

fn count_nulls(args: &[Datum], nulls: bool) -> Result<Datum> {
    let n = args.iter().filter(|d| d.is_null() == nulls).count();
    Ok(Datum::Int4(
        i32::try_from(n).expect("argument count fits int4"),
    ))
}

pub(super) fn register(t: &mut Table) {
    reg(t, &["name_text", "name_bpchar"], |_, a| {
        Ok(Datum::Text(text(&a[0]).to_owned()))
    });
    reg(t, &["text_name"], |_, a| {
        Ok(Datum::Text(truncate_name(text(&a[0])).to_owned()))
    });
    reg(t, &["bpchar_name"], |_, a| {
        let cut = truncate_name(text(&a[0])).trim_end_matches(' ');
        Ok(Datum::Text(cut.to_owned()))
    });
    // oid and bigint.
    reg(t, &["oidtoi8"], |_, a| {
        Ok(match a[0] {
            Datum::Oid(v) => Datum::Int8(i64::from(v)),
            _ => Datum::Null,
        })
    });
    reg(t, &["i8tooid"], |_, a| {
        let v = match a[0] {
            Datum::Int8(v) => v,
            _ => 0,
        };
        u32::try_from(v)
            .map(Datum::Oid)
            .map_err(|_| tusk_types::pg_err!(NUMERIC_VALUE_OUT_OF_RANGE, "OID out of range"))
    });
    // `"char"` (one byte) and text / integer.
    reg(t, &["char_text"], |_, a| {
        Ok(Datum::Text(text(&a[0]).to_owned()))
    });
    reg(t, &["text_char"], |_, a| {
        Ok(Datum::Text(
            text(&a[0])
                .chars()
                .next()
                .map(String::from)
                .unwrap_or_default(),
        ))
    });
    reg(t, &["chartoi4"], |_, a| {
        let byte = text(&a[0]).bytes().next().unwrap_or(0);
        Ok(Datum::Int4(i32::from(byte as i8)))
    });
    reg(t, &["i4tochar"], |_, a| {
        let v = match a[0] {
            Datum::Int4(v) => v,
            _ => 0,
        };
        if !(-128..=127).contains(&v) {
            return Err(tusk_types::pg_err!(
                NUMERIC_VALUE_OUT_OF_RANGE,
                "\"char\" out of range"
            ));
        }
        let byte = v as i8 as u8;
        Ok(Datum::Text(if byte == 0 {
            String::new()
        } else if byte < 0x80 {
            char::from(byte).to_string()
        } else {
            // Not valid UTF-8 alone: keep the byte as its octal escape, as charout prints it.
            format!("\\{byte:03o}")
        }))
    });
    reg(t, &["pg_num_nulls"], |_, a| count_nulls(a, true));
    reg(t, &["pg_num_nonnulls"], |_, a| count_nulls(a, false));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cut_at_63_bytes_on_a_character_boundary() {
        let long = "é".repeat(40);
        assert_eq!(truncate_name(&long), "é".repeat(31));
        assert_eq!(truncate_name(&"a".repeat(70)), "a".repeat(63));
        assert_eq!(truncate_name("abc"), "abc");
    }

    #[test]
    fn null_counters_count_each_argument() {
        let args = [Datum::Int4(1), Datum::Null, Datum::Int4(2)];
        assert_eq!(count_nulls(&args, true).expect("counts"), Datum::Int4(1));
        assert_eq!(count_nulls(&args, false).expect("counts"), Datum::Int4(2));
    }
}
