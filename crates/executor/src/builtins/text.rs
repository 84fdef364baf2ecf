//! String functions and operators (PostgreSQL docs §9.4), on UTF-8 text where lengths and
//! positions count characters.

use md5::{Digest, Md5};
use tusk_types::{pg_err, Datum, Error, Result};

use super::{reg, Table};

fn s(d: &Datum) -> &str {
    match d {
        Datum::Text(t) => t,
        _ => "",
    }
}

fn i(d: &Datum) -> i64 {
    match d {
        Datum::Int2(v) => *v as i64,
        Datum::Int4(v) => *v as i64,
        Datum::Int8(v) => *v,
        _ => 0,
    }
}

fn text(v: impl Into<String>) -> Result<Datum> {
    Ok(Datum::Text(v.into()))
}

/// Characters `start..start+len` (1-based start; negative/huge bounds clipped as SQL's
/// `substring` does; 22011 for a negative length).
fn substr(src: &str, start: i64, len: Option<i64>) -> Result<String> {
    if let Some(l) = len {
        if l < 0 {
            return Err(pg_err!(
                SUBSTRING_ERROR,
                "negative substring length not allowed"
            ));
        }
    }
    let begin = start.max(1);
    let end = match len {
        Some(l) => start.saturating_add(l),
        None => i64::MAX,
    };
    if end <= begin {
        return Ok(String::new());
    }
    Ok(src
        .chars()
        .skip((begin - 1) as usize)
        .take((end - begin) as usize)
        .collect())
}

fn pad(src: &str, len: i64, fill: &str, left: bool) -> String {
    let len = len.max(0) as usize;
    let chars: Vec<char> = src.chars().collect();
    if chars.len() >= len {
        return chars[..len].iter().collect();
    }
    if fill.is_empty() {
        return src.to_string();
    }
    let padding: String = fill.chars().cycle().take(len - chars.len()).collect();
    if left {
        format!("{padding}{src}")
    } else {
        format!("{src}{padding}")
    }
}

fn trim<'a>(src: &'a str, set: &str, leading: bool, trailing: bool) -> &'a str {
    let mut out = src;
    if leading {
        out = out.trim_start_matches(|c| set.contains(c));
    }
    if trailing {
        out = out.trim_end_matches(|c| set.contains(c));
    }
    out
}

/// `quote_ident`: `id` double-quoted unless it is a plain lower-case identifier that is
/// not a reserved (or column-name or type/function-name) key word.
pub(super) fn quote_ident(id: &str) -> String {
    let safe = id
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if safe && !tusk_sql::keywords::needs_quoting_as_identifier(id) {
        id.to_string()
    } else {
        format!("\"{}\"", id.replace('"', "\"\""))
    }
}

/// `parse_ident(qualified_identifier, strict)` (docs §9.4, table 9.10): the names of a
/// dotted, possibly quoted identifier, unquoted ones folded to lower case (ASCII
/// letters only, never truncated). Without `strict`, text after the last name is
/// ignored.
///
/// Errors: 22023 `string is not a valid identifier: "s"`, with PostgreSQL's DETAIL
/// where it gives one (no name before or after a dot, unclosed or empty quotes).
fn parse_ident(input: &str, strict: bool) -> Result<Vec<String>> {
    let invalid = |detail: Option<&str>| {
        let e = pg_err!(
            INVALID_PARAMETER_VALUE,
            "string is not a valid identifier: \"{}\"",
            input
        );
        match detail {
            Some(d) => e.detail(d),
            None => e,
        }
    };
    // PostgreSQL's scanner_isspace, is_ident_start and is_ident_cont.
    let space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c');
    let start = |c: char| c.is_ascii_alphabetic() || c == '_' || !c.is_ascii();
    let cont = |c: char| start(c) || c.is_ascii_digit() || c == '$';
    let chars: Vec<char> = input.chars().collect();
    let mut at = 0;
    let mut parts = Vec::new();
    let mut after_dot = false;
    while chars.get(at).copied().is_some_and(space) {
        at += 1;
    }
    loop {
        let mut found = false;
        if chars.get(at) == Some(&'"') {
            let mut name = String::new();
            at += 1;
            loop {
                match chars.get(at) {
                    None => return Err(invalid(Some("String has unclosed double quotes."))),
                    Some('"') if chars.get(at + 1) == Some(&'"') => {
                        name.push('"');
                        at += 2;
                    }
                    Some('"') => {
                        at += 1;
                        break;
                    }
                    Some(&c) => {
                        name.push(c);
                        at += 1;
                    }
                }
            }
            if name.is_empty() {
                return Err(invalid(Some("Quoted identifier must not be empty.")));
            }
            parts.push(name);
            found = true;
        } else if chars.get(at).copied().is_some_and(start) {
            let begin = at;
            at += 1;
            while chars.get(at).copied().is_some_and(cont) {
                at += 1;
            }
            parts.push(
                chars[begin..at]
                    .iter()
                    .map(|c| c.to_ascii_lowercase())
                    .collect(),
            );
            found = true;
        }
        if !found {
            return Err(if chars.get(at) == Some(&'.') {
                invalid(Some("No valid identifier before \".\"."))
            } else if after_dot {
                invalid(Some("No valid identifier after \".\"."))
            } else {
                invalid(None)
            });
        }
        while chars.get(at).copied().is_some_and(space) {
            at += 1;
        }
        match chars.get(at) {
            Some('.') => {
                after_dot = true;
                at += 1;
                while chars.get(at).copied().is_some_and(space) {
                    at += 1;
                }
            }
            None => break,
            Some(_) if strict => return Err(invalid(None)),
            Some(_) => break,
        }
    }
    Ok(parts)
}

/// `quote_literal`: `v` single-quoted, as `E'...'` when it holds backslashes.
pub(super) fn quote_literal(v: &str) -> String {
    let escaped = v.replace('\'', "''");
    if v.contains('\\') {
        format!("E'{}'", escaped.replace('\\', "\\\\"))
    } else {
        format!("'{escaped}'")
    }
}

pub(super) fn register(t: &mut Table) {
    reg(t, &["textcat", "byteacat"], |_, a| match (&a[0], &a[1]) {
        (Datum::Bytea(x), Datum::Bytea(y)) => {
            Ok(Datum::Bytea([x.as_slice(), y.as_slice()].concat()))
        }
        (x, y) => text(format!("{}{}", s(x), s(y))),
    });
    reg(t, &["anytextcat", "textanycat"], |_, a| {
        text(format!("{}{}", s(&a[0]), s(&a[1])))
    });
    reg(t, &["textlen"], |_, a| {
        Ok(Datum::Int4(s(&a[0]).chars().count() as i32))
    });
    // character(n)'s trailing spaces are padding, not counted (PostgreSQL's bpcharlen;
    // octet_length counts them).
    reg(t, &["bpcharlen"], |_, a| {
        Ok(Datum::Int4(
            s(&a[0]).trim_end_matches(' ').chars().count() as i32
        ))
    });
    reg(t, &["textoctetlen", "bpcharoctetlen"], |_, a| {
        Ok(Datum::Int4(s(&a[0]).len() as i32))
    });
    reg(t, &["byteaoctetlen"], |_, a| match &a[0] {
        Datum::Bytea(b) => Ok(Datum::Int4(b.len() as i32)),
        _ => Ok(Datum::Int4(0)),
    });
    // The database's LC_CTYPE is C: case mapping touches ASCII letters only, as PostgreSQL.
    reg(t, &["lower"], |_, a| text(s(&a[0]).to_ascii_lowercase()));
    reg(t, &["upper"], |_, a| text(s(&a[0]).to_ascii_uppercase()));
    reg(t, &["booltext"], |_, a| {
        text(if matches!(a[0], Datum::Bool(true)) {
            "true"
        } else {
            "false"
        })
    });
    reg(t, &["initcap"], |_, a| {
        let mut out = String::new();
        let mut word_start = true;
        for c in s(&a[0]).chars() {
            if c.is_alphanumeric() {
                if word_start {
                    out.push(c.to_ascii_uppercase());
                } else {
                    out.push(c.to_ascii_lowercase());
                }
                word_start = false;
            } else {
                out.push(c);
                word_start = true;
            }
        }
        text(out)
    });
    reg(t, &["repeat"], |_, a| {
        let n = i(&a[1]).max(0) as usize;
        let src = s(&a[0]);
        if src.len().saturating_mul(n) >= (1 << 30) - 1 {
            return Err(pg_err!(
                PROGRAM_LIMIT_EXCEEDED,
                "requested length too large"
            ));
        }
        text(src.repeat(n))
    });
    reg(t, &["replace_text"], |_, a| {
        let from = s(&a[1]);
        if from.is_empty() {
            return text(s(&a[0]));
        }
        text(s(&a[0]).replace(from, s(&a[2])))
    });
    reg(t, &["text_substr"], |_, a| {
        text(substr(s(&a[0]), i(&a[1]), Some(i(&a[2])))?)
    });
    reg(t, &["text_substr_no_len"], |_, a| {
        text(substr(s(&a[0]), i(&a[1]), None)?)
    });
    reg(t, &["textpos"], |_, a| {
        let (hay, needle) = (s(&a[0]), s(&a[1]));
        Ok(Datum::Int4(match hay.find(needle) {
            Some(byte) => hay[..byte].chars().count() as i32 + 1,
            None => 0,
        }))
    });
    reg(t, &["btrim"], |_, a| {
        text(trim(s(&a[0]), s(&a[1]), true, true))
    });
    reg(t, &["btrim1"], |_, a| text(trim(s(&a[0]), " ", true, true)));
    reg(t, &["ltrim"], |_, a| {
        text(trim(s(&a[0]), s(&a[1]), true, false))
    });
    reg(t, &["ltrim1"], |_, a| {
        text(trim(s(&a[0]), " ", true, false))
    });
    reg(t, &["rtrim"], |_, a| {
        text(trim(s(&a[0]), s(&a[1]), false, true))
    });
    reg(t, &["rtrim1"], |_, a| {
        text(trim(s(&a[0]), " ", false, true))
    });
    // lpad(text, int) and rpad(text, int) (SQL functions in PostgreSQL) fill with spaces.
    reg(t, &["lpad"], |_, a| {
        text(pad(s(&a[0]), i(&a[1]), a.get(2).map_or(" ", s), true))
    });
    reg(t, &["rpad"], |_, a| {
        text(pad(s(&a[0]), i(&a[1]), a.get(2).map_or(" ", s), false))
    });
    reg(t, &["text_left"], |_, a| {
        let n = i(&a[1]);
        let chars: Vec<char> = s(&a[0]).chars().collect();
        let take = if n >= 0 {
            (n as usize).min(chars.len())
        } else {
            chars.len().saturating_sub((-n) as usize)
        };
        text(chars[..take].iter().collect::<String>())
    });
    reg(t, &["text_right"], |_, a| {
        let n = i(&a[1]);
        let chars: Vec<char> = s(&a[0]).chars().collect();
        let skip = if n >= 0 {
            chars.len().saturating_sub(n as usize)
        } else {
            ((-n) as usize).min(chars.len())
        };
        text(chars[skip..].iter().collect::<String>())
    });
    reg(t, &["text_reverse"], |_, a| {
        text(s(&a[0]).chars().rev().collect::<String>())
    });
    reg(t, &["text_starts_with"], |_, a| {
        Ok(Datum::Bool(s(&a[0]).starts_with(s(&a[1]))))
    });
    reg(t, &["split_part"], |_, a| {
        let (src, delim, n) = (s(&a[0]), s(&a[1]), i(&a[2]));
        if n == 0 {
            return Err(pg_err!(
                INVALID_PARAMETER_VALUE,
                "field position must not be zero"
            ));
        }
        let parts: Vec<&str> = if delim.is_empty() {
            vec![src]
        } else {
            src.split(delim).collect()
        };
        let idx = if n > 0 { n - 1 } else { parts.len() as i64 + n };
        text(
            usize::try_from(idx)
                .ok()
                .and_then(|k| parts.get(k))
                .copied()
                .unwrap_or(""),
        )
    });
    reg(t, &["md5_text"], |_, a| {
        let digest = Md5::digest(s(&a[0]).as_bytes());
        text(
            digest
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>(),
        )
    });
    reg(t, &["to_hex32", "to_hex64"], |_, a| {
        text(match &a[0] {
            Datum::Int4(v) => format!("{:x}", *v as u32),
            other => format!("{:x}", i(other) as u64),
        })
    });
    reg(t, &["ascii"], |_, a| {
        Ok(Datum::Int4(
            s(&a[0]).chars().next().map(|c| c as i32).unwrap_or(0),
        ))
    });
    reg(t, &["chr"], |_, a| {
        let code = i(&a[0]);
        if code == 0 {
            return Err(pg_err!(
                PROGRAM_LIMIT_EXCEEDED,
                "null character not permitted"
            ));
        }
        let c = u32::try_from(code)
            .ok()
            .and_then(char::from_u32)
            .ok_or_else(|| {
                pg_err!(
                    PROGRAM_LIMIT_EXCEEDED,
                    "requested character too large for encoding: {}",
                    code
                )
            })?;
        text(c.to_string())
    });
    reg(t, &["quote_ident"], |_, a| text(quote_ident(s(&a[0]))));
    reg(t, &["parse_ident"], |_, a| {
        let strict = !matches!(a.get(1), Some(Datum::Bool(false)));
        let parts = parse_ident(s(&a[0]), strict)?;
        Ok(Datum::Array(Box::new(
            tusk_types::adt::array::Array::from_elements(
                tusk_types::type_oid::TEXT,
                parts.into_iter().map(Datum::Text).collect(),
            ),
        )))
    });
    reg(t, &["quote_literal"], |_, a| text(quote_literal(s(&a[0]))));
    reg(t, &["quote_nullable"], |_, a| {
        text(if a[0].is_null() {
            "NULL".to_string()
        } else {
            quote_literal(s(&a[0]))
        })
    });
    reg(t, &["text_concat"], |_, a| {
        text(a.iter().map(s).collect::<String>())
    });
    reg(t, &["text_concat_ws"], |_, a| {
        if a[0].is_null() {
            return Ok(Datum::Null);
        }
        let parts: Vec<&str> = a[1..].iter().filter(|d| !d.is_null()).map(s).collect();
        text(parts.join(s(&a[0])))
    });
    reg(t, &["textlike", "bpcharlike", "namelike"], |_, a| {
        Ok(Datum::Bool(like(s(&a[0]), s(&a[1]), false)?))
    });
    reg(t, &["textnlike", "bpcharnlike", "namenlike"], |_, a| {
        Ok(Datum::Bool(!like(s(&a[0]), s(&a[1]), false)?))
    });
    reg(t, &["texticlike", "bpchariclike", "nameiclike"], |_, a| {
        Ok(Datum::Bool(like(s(&a[0]), s(&a[1]), true)?))
    });
    reg(
        t,
        &["texticnlike", "bpchariclike_n", "nameicnlike"],
        |_, a| Ok(Datum::Bool(!like(s(&a[0]), s(&a[1]), true)?)),
    );
}

/// SQL LIKE with `%`, `_` and the default escape `\` (22025 for a trailing escape).
fn like(value: &str, pattern: &str, case_insensitive: bool) -> Result<bool> {
    let (v, p): (Vec<char>, Vec<char>) = if case_insensitive {
        (
            value.to_lowercase().chars().collect(),
            pattern.to_lowercase().chars().collect(),
        )
    } else {
        (value.chars().collect(), pattern.chars().collect())
    };
    fn matches(v: &[char], p: &[char]) -> Result<bool> {
        let (mut vi, mut pi) = (0usize, 0usize);
        let (mut star_p, mut star_v): (Option<usize>, usize) = (None, 0);
        while vi < v.len() {
            if pi < p.len() {
                match p[pi] {
                    '%' => {
                        star_p = Some(pi);
                        star_v = vi;
                        pi += 1;
                        continue;
                    }
                    '\\' => {
                        let Some(&lit) = p.get(pi + 1) else {
                            return Err(Error::new(
                                tusk_types::SqlState::INVALID_ESCAPE_SEQUENCE,
                                "LIKE pattern must not end with escape character",
                            ));
                        };
                        if lit == v[vi] {
                            vi += 1;
                            pi += 2;
                            continue;
                        }
                    }
                    '_' => {
                        vi += 1;
                        pi += 1;
                        continue;
                    }
                    c if c == v[vi] => {
                        vi += 1;
                        pi += 1;
                        continue;
                    }
                    _ => {}
                }
            }
            match star_p {
                Some(sp) => {
                    star_v += 1;
                    vi = star_v;
                    pi = sp + 1;
                }
                None => return Ok(false),
            }
        }
        while pi < p.len() && p[pi] == '%' {
            pi += 1;
        }
        if pi < p.len() && p[pi] == '\\' && pi + 1 >= p.len() {
            return Err(Error::new(
                tusk_types::SqlState::INVALID_ESCAPE_SEQUENCE,
                "LIKE pattern must not end with escape character",
            ));
        }
        Ok(pi == p.len())
    }
    matches(&v, &p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_ident_splits_folds_and_refuses_as_postgres() {
        let ok = |s: &str, strict: bool| parse_ident(s, strict).expect("valid");
        assert_eq!(ok("Schemax.Tabley", true), ["schemax", "tabley"]);
        assert_eq!(ok("\"SchemaX\".\"Tab\"\"Y\"", true), ["SchemaX", "Tab\"Y"]);
        assert_eq!(
            ok(" first . \"  second  \" ", true),
            ["first", "  second  "]
        );
        assert_eq!(ok("foo.boo[]", false), ["foo", "boo"]);
        let detail = |s: &str| parse_ident(s, true).expect_err("invalid").detail;
        assert_eq!(detail("foo.boo[]"), None);
        assert_eq!(
            detail(" .aaa").as_deref(),
            Some("No valid identifier before \".\".")
        );
        assert_eq!(
            detail("xxx.1020").as_deref(),
            Some("No valid identifier after \".\".")
        );
        assert_eq!(
            detail("\"abc").as_deref(),
            Some("String has unclosed double quotes.")
        );
        assert_eq!(
            detail("\"\"").as_deref(),
            Some("Quoted identifier must not be empty.")
        );
        assert_eq!(detail("1020"), None);
    }

    #[test]
    fn like_patterns() {
        assert!(like("hello", "h%o", false).expect("like"));
        assert!(like("hello", "h_llo", false).expect("like"));
        assert!(!like("hello", "H%", false).expect("like"));
        assert!(like("hello", "H%", true).expect("like"));
        assert!(like("100%", "100\\%", false).expect("like"));
        assert!(like("abc", "%", false).expect("like"));
        assert!(like("", "%", false).expect("like"));
        assert!(like("a", "a\\", false).is_err());
    }

    #[test]
    fn substring_bounds() {
        assert_eq!(substr("hello", 2, Some(3)).expect("substr"), "ell");
        assert_eq!(substr("hello", -1, Some(3)).expect("substr"), "h");
        assert_eq!(substr("hello", 3, None).expect("substr"), "llo");
        assert!(substr("hello", 1, Some(-1)).is_err());
    }

    #[test]
    fn quoting() {
        assert_eq!(quote_ident("abc"), "abc");
        assert_eq!(quote_ident("Abc"), "\"Abc\"");
        assert_eq!(quote_ident("select"), "\"select\"");
        assert_eq!(quote_ident("action"), "action");
        assert_eq!(quote_literal("it's"), "'it''s'");
    }
}
