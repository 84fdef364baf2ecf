//! POSIX regular expression operators and functions (PostgreSQL docs §9.7.2-9.7.3):
//! `~`, `~*`, `!~`, `!~*`, `SIMILAR TO` (through `similar_to_escape`),
//! `substring(text from pattern)`, `substring(text similar pattern escape e)`,
//! `regexp_replace`, `regexp_count`, `regexp_instr`, `regexp_like`, `regexp_substr` and
//! `regexp_split_to_table`; the array-valued ones are in [`arrays`].
//!
//! Patterns are translated to the `regex` crate's syntax ([`translate`]) and compiled
//! once per pattern and flags into a small per-thread cache. Matching walks the text the
//! way PostgreSQL does: each search starts where the previous match ended, one character
//! later after an empty match; positions and lengths count characters.
//!
//! Match length: the `regex` crate reports the leftmost match whose alternatives come
//! first in the pattern (`a|ab` matches `a` in `ab`); PostgreSQL prefers the longest
//! match at the leftmost start when the expression has no non-greedy quantifier. For such
//! expressions a lazy DFA built with "all matches" semantics finds the longest end from
//! the leftmost start, and the captures are then taken from a match forced to end there.
//!
//! Entry points: [`register`]; [`sql_language_function`] for the SQL-language
//! `substring(text, text, text)`.

mod arrays;
#[cfg(test)]
mod pg15_compare;
mod translate;

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use regex::{Captures, Regex};
use regex_automata::hybrid::dfa::DFA;
use regex_automata::{Anchored, Input, MatchKind};
use tusk_types::{pg_err, Datum, Error, Result};

use super::{reg, Builtin, ScalarFn, Table};
use crate::EvalContext;
pub use translate::{similar_to_escape, translate, RegexFlags};

/// Compiled expressions kept per thread; cleared when full.
const CACHE_SIZE: usize = 64;

thread_local! {
    static CACHE: RefCell<HashMap<(String, RegexFlags), Compiled>> = RefCell::new(HashMap::new());
}

/// A compiled expression: the leftmost-first matcher, and for expressions without
/// non-greedy quantifiers the means to find the longest match.
#[derive(Clone)]
struct Compiled {
    re: Regex,
    longest: Option<Longest>,
}

#[derive(Clone)]
struct Longest {
    /// Reports the last (longest) match end of an anchored search.
    all_matches: Arc<DFA>,
    /// The expression followed by `\z`, for captures of a match ending at a given place.
    ending: Regex,
}

impl Compiled {
    fn is_match(&self, hay: &str) -> bool {
        self.re.is_match(hay)
    }

    /// The match at or after byte `at`: the leftmost, and the longest there when the
    /// expression prefers it.
    fn captures_at<'h>(&self, hay: &'h str, at: usize) -> Option<Captures<'h>> {
        let caps = self.re.captures_at(hay, at)?;
        let Some(longest) = &self.longest else {
            return Some(caps);
        };
        let whole = caps.get(0).expect("group 0 always participates");
        let input = Input::new(hay)
            .span(whole.start()..hay.len())
            .anchored(Anchored::Yes);
        let mut cache = longest.all_matches.create_cache();
        let end = match longest.all_matches.try_search_fwd(&mut cache, &input) {
            Ok(Some(half))
                if half.offset() > whole.end() && hay.is_char_boundary(half.offset()) =>
            {
                half.offset()
            }
            _ => return Some(caps),
        };
        match longest.ending.captures_at(&hay[..end], whole.start()) {
            Some(longer) if longer.get(0).is_some_and(|m| m.start() == whole.start()) => {
                Some(longer)
            }
            _ => Some(caps),
        }
    }
}

/// Compiles `pattern` (a PostgreSQL ARE) under `flags` to see whether it is valid.
///
/// Errors: 2201B `invalid regular expression: ...`.
pub(crate) fn check_regex(pattern: &str, flags: &RegexFlags) -> Result<()> {
    compile(pattern, flags).map(|_| ())
}

/// Whether `pattern` under `flags` matches somewhere in `hay`.
///
/// Errors: 2201B `invalid regular expression: ...`.
pub(crate) fn regex_is_match(pattern: &str, flags: &RegexFlags, hay: &str) -> Result<bool> {
    Ok(compile(pattern, flags)?.is_match(hay))
}

/// Compiles `pattern` under `flags` (the `global` flag does not affect compilation).
///
/// Errors: 2201B `invalid regular expression: ...`.
fn compile(pattern: &str, flags: &RegexFlags) -> Result<Compiled> {
    let key_flags = RegexFlags {
        global: false,
        ..*flags
    };
    let key = (pattern.to_string(), key_flags);
    if let Some(re) = CACHE.with(|c| c.borrow().get(&key).cloned()) {
        return Ok(re);
    }
    let syntax = translate(pattern, &key_flags)?;
    let re = Regex::new(&syntax).map_err(|e| match e {
        regex::Error::CompiledTooBig(_) => invalid_regex_text("regular expression is too complex"),
        other => {
            let text = other.to_string();
            let summary = text
                .lines()
                .rev()
                .find(|l| l.starts_with("error:"))
                .map(|l| l.trim_start_matches("error:").trim().to_string())
                .unwrap_or(text);
            invalid_regex_text(&summary)
        }
    })?;
    let non_greedy = ["*?", "+?", "??", "}?"].iter().any(|q| syntax.contains(q));
    let longest = if non_greedy {
        None
    } else {
        let dfa = DFA::builder()
            .configure(DFA::config().match_kind(MatchKind::All))
            .build(&syntax)
            .ok();
        let ending = Regex::new(&format!("(?:{syntax})\\z")).ok();
        dfa.zip(ending).map(|(dfa, ending)| Longest {
            all_matches: Arc::new(dfa),
            ending,
        })
    };
    let compiled = Compiled { re, longest };
    CACHE.with(|c| {
        let mut cache = c.borrow_mut();
        if cache.len() >= CACHE_SIZE {
            cache.clear();
        }
        cache.insert(key, compiled.clone());
    });
    Ok(compiled)
}

fn invalid_regex_text(what: &str) -> Error {
    translate::invalid_regex(what)
}

fn text(d: &Datum) -> Result<&str> {
    match d {
        Datum::Text(s) => Ok(s),
        _ => Err(Error::internal("text argument expected")),
    }
}

fn int(d: &Datum) -> Result<i64> {
    match d {
        Datum::Int2(v) => Ok(i64::from(*v)),
        Datum::Int4(v) => Ok(i64::from(*v)),
        Datum::Int8(v) => Ok(*v),
        _ => Err(Error::internal("integer argument expected")),
    }
}

fn invalid_parameter(name: &str, value: i64) -> Error {
    pg_err!(
        INVALID_PARAMETER_VALUE,
        "invalid value for parameter \"{}\": {}",
        name,
        value
    )
}

/// Flags of a function that takes no `g` (`regexp_count()`, ...).
fn flags_without_global(flags: &str, function: &str) -> Result<RegexFlags> {
    let f = RegexFlags::parse(flags)?;
    if f.global {
        return Err(pg_err!(
            INVALID_PARAMETER_VALUE,
            "{}() does not support the \"global\" option",
            function
        ));
    }
    Ok(f)
}

/// Byte offset of the 1-based character position `start` (the end when past it).
fn byte_offset(s: &str, start: i64) -> usize {
    let skip = usize::try_from(start - 1).unwrap_or(usize::MAX);
    s.char_indices().nth(skip).map_or(s.len(), |(i, _)| i)
}

fn char_position(s: &str, byte: usize) -> i64 {
    s[..byte].chars().count() as i64
}

/// The byte length of the character at `at` (1 at the end, so searches move past it).
fn char_len_at(s: &str, at: usize) -> usize {
    s[at..].chars().next().map_or(1, char::len_utf8)
}

/// Every match from byte `start` on, as PostgreSQL finds them: the next search starts at
/// the end of the previous match, one character later after an empty match. Stops after
/// the first when `all` is false.
fn matches<'h>(re: &Compiled, hay: &'h str, start: usize, all: bool) -> Vec<Captures<'h>> {
    let mut out = Vec::new();
    let mut at = start;
    while at <= hay.len() {
        let Some(caps) = re.captures_at(hay, at) else {
            break;
        };
        let whole = caps.get(0).expect("group 0 always participates");
        let (begin, end) = (whole.start(), whole.end());
        out.push(caps);
        if !all {
            break;
        }
        at = if begin == end {
            end + char_len_at(hay, end)
        } else {
            end
        };
    }
    out
}

/// `regexp_replace`'s replacement text: `\1`-`\9` groups, `\&` the whole match, `\\` a
/// backslash; other characters (and other backslashes) as they are.
fn expand_replacement(replacement: &str, caps: &Captures<'_>, out: &mut String) {
    let mut chars = replacement.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.peek().copied() {
            Some(d @ '1'..='9') => {
                chars.next();
                let group = d.to_digit(10).expect("digit") as usize;
                if let Some(m) = caps.get(group) {
                    out.push_str(m.as_str());
                }
            }
            Some('&') => {
                chars.next();
                out.push_str(caps.get(0).expect("group 0").as_str());
            }
            Some('\\') => {
                chars.next();
                out.push('\\');
            }
            _ => out.push('\\'),
        }
    }
}

/// `regexp_replace(source, pattern, replacement, start, n, flags)`; `n` = 0 replaces
/// every match.
fn regexp_replace(
    source: &str,
    pattern: &str,
    replacement: &str,
    start: i64,
    n: i64,
    flags: &RegexFlags,
) -> Result<String> {
    if start <= 0 {
        return Err(invalid_parameter("start", start));
    }
    if n < 0 {
        return Err(invalid_parameter("n", n));
    }
    let re = compile(pattern, flags)?;
    let from = byte_offset(source, start);
    let found = matches(&re, source, from, true);
    let mut out = String::with_capacity(source.len());
    let mut copied = 0;
    for (index, caps) in found.iter().enumerate() {
        if n > 0 && index as i64 + 1 != n {
            continue;
        }
        let whole = caps.get(0).expect("group 0");
        out.push_str(&source[copied..whole.start()]);
        expand_replacement(replacement, caps, &mut out);
        copied = whole.end();
        if n > 0 {
            break;
        }
    }
    out.push_str(&source[copied..]);
    Ok(out)
}

/// `regexp_instr(string, pattern, start, n, endoption, flags, subexpr)`.
fn regexp_instr(
    s: &str,
    pattern: &str,
    start: i64,
    n: i64,
    end_option: i64,
    flags: &str,
    subexpr: i64,
) -> Result<i64> {
    if start <= 0 {
        return Err(invalid_parameter("start", start));
    }
    if n <= 0 {
        return Err(invalid_parameter("n", n));
    }
    if end_option != 0 && end_option != 1 {
        return Err(invalid_parameter("endoption", end_option));
    }
    let f = flags_without_global(flags, "regexp_instr")?;
    if subexpr < 0 {
        return Err(invalid_parameter("subexpr", subexpr));
    }
    let re = compile(pattern, &f)?;
    let found = matches(&re, s, byte_offset(s, start), true);
    let Some(caps) = found.get((n - 1) as usize) else {
        return Ok(0);
    };
    let Some(m) = caps.get(subexpr as usize) else {
        return Ok(0);
    };
    Ok(if end_option == 1 {
        char_position(s, m.end()) + 1
    } else {
        char_position(s, m.start()) + 1
    })
}

/// `regexp_substr(string, pattern, start, n, flags, subexpr)`.
fn regexp_substr(
    s: &str,
    pattern: &str,
    start: i64,
    n: i64,
    flags: &str,
    subexpr: i64,
) -> Result<Datum> {
    if start <= 0 {
        return Err(invalid_parameter("start", start));
    }
    if n <= 0 {
        return Err(invalid_parameter("n", n));
    }
    let f = flags_without_global(flags, "regexp_substr")?;
    if subexpr < 0 {
        return Err(invalid_parameter("subexpr", subexpr));
    }
    let re = compile(pattern, &f)?;
    let found = matches(&re, s, byte_offset(s, start), true);
    Ok(found
        .get((n - 1) as usize)
        .and_then(|caps| caps.get(subexpr as usize))
        .map_or(Datum::Null, |m| Datum::Text(m.as_str().to_string())))
}

/// `substring(text from pattern)`: the part matching the first parenthesized
/// subexpression when there is one, else the whole match; NULL without a match.
fn regex_substring(s: &str, pattern: &str) -> Result<Datum> {
    let re = compile(pattern, &RegexFlags::default())?;
    let Some(caps) = re.captures_at(s, 0) else {
        return Ok(Datum::Null);
    };
    let group = if caps.len() > 1 { 1 } else { 0 };
    Ok(caps
        .get(group)
        .map_or(Datum::Null, |m| Datum::Text(m.as_str().to_string())))
}

/// `regexp_split_to_table(string, pattern, flags)`: the pieces between matches, ignoring
/// empty matches at the start or end of the string or right after a previous match.
fn regexp_split(s: &str, pattern: &str, flags: &str) -> Result<Vec<Datum>> {
    regexp_split_named(s, pattern, flags, "regexp_split_to_table")
}

/// [`regexp_split`] for the function `function` (named in the `g` flag's error).
fn regexp_split_named(s: &str, pattern: &str, flags: &str, function: &str) -> Result<Vec<Datum>> {
    let f = flags_without_global(flags, function)?;
    let re = compile(pattern, &f)?;
    let mut pieces = Vec::new();
    let mut piece_start = 0;
    let mut previous_end: Option<usize> = None;
    for caps in matches(&re, s, 0, true) {
        let m = caps.get(0).expect("group 0");
        let degenerate =
            m.start() >= s.len() || previous_end.is_some_and(|p| m.end() <= p) || m.end() == 0;
        if !degenerate {
            pieces.push(Datum::Text(s[piece_start..m.start()].to_string()));
            piece_start = m.end();
        }
        previous_end = Some(m.end());
    }
    pieces.push(Datum::Text(s[piece_start..].to_string()));
    Ok(pieces)
}

fn is_match(s: &str, pattern: &str, flags: &RegexFlags) -> Result<bool> {
    Ok(compile(pattern, flags)?.is_match(s))
}

fn case_insensitive() -> RegexFlags {
    RegexFlags {
        case_insensitive: true,
        ..RegexFlags::default()
    }
}

/// `substring(text similar pattern escape e)` (OID 2074, a SQL-language function in
/// PostgreSQL's catalog).
fn substring_similar(_: &mut EvalContext<'_>, a: &[Datum]) -> Result<Datum> {
    let pattern = similar_to_escape(text(&a[1])?, Some(text(&a[2])?))?;
    regex_substring(text(&a[0])?, &pattern)
}

/// The SQL-language regular expression functions, by `pg_proc` OID.
pub(super) fn sql_language_function(oid: u32) -> Option<ScalarFn> {
    match oid {
        2074 => Some(substring_similar),
        _ => None,
    }
}

/// Registers the regular expression operators and functions.
pub(super) fn register(t: &mut Table) {
    arrays::register(t);
    reg(t, &["textregexeq", "nameregexeq"], |_, a| {
        Ok(Datum::Bool(is_match(
            text(&a[0])?,
            text(&a[1])?,
            &RegexFlags::default(),
        )?))
    });
    reg(t, &["textregexne", "nameregexne"], |_, a| {
        Ok(Datum::Bool(!is_match(
            text(&a[0])?,
            text(&a[1])?,
            &RegexFlags::default(),
        )?))
    });
    reg(t, &["texticregexeq", "nameicregexeq"], |_, a| {
        Ok(Datum::Bool(is_match(
            text(&a[0])?,
            text(&a[1])?,
            &case_insensitive(),
        )?))
    });
    reg(t, &["texticregexne", "nameicregexne"], |_, a| {
        Ok(Datum::Bool(!is_match(
            text(&a[0])?,
            text(&a[1])?,
            &case_insensitive(),
        )?))
    });
    reg(t, &["similar_to_escape_1", "similar_escape"], |_, a| {
        if a.first().is_none_or(Datum::is_null) {
            return Ok(Datum::Null);
        }
        let escape = match a.get(1) {
            None => None,
            Some(Datum::Null) => None,
            Some(e) => Some(text(e)?),
        };
        Ok(Datum::Text(similar_to_escape(text(&a[0])?, escape)?))
    });
    reg(t, &["similar_to_escape_2"], |_, a| {
        Ok(Datum::Text(similar_to_escape(
            text(&a[0])?,
            Some(text(&a[1])?),
        )?))
    });
    reg(t, &["textregexsubstr"], |_, a| {
        regex_substring(text(&a[0])?, text(&a[1])?)
    });
    reg(t, &["textregexreplace_noopt"], |_, a| {
        let out = regexp_replace(
            text(&a[0])?,
            text(&a[1])?,
            text(&a[2])?,
            1,
            1,
            &RegexFlags::default(),
        )?;
        Ok(Datum::Text(out))
    });
    reg(t, &["textregexreplace"], |_, a| {
        let flags = RegexFlags::parse(text(&a[3])?)?;
        let n = if flags.global { 0 } else { 1 };
        let out = regexp_replace(text(&a[0])?, text(&a[1])?, text(&a[2])?, 1, n, &flags)?;
        Ok(Datum::Text(out))
    });
    reg(
        t,
        &[
            "textregexreplace_extended",
            "textregexreplace_extended_no_flags",
            "textregexreplace_extended_no_n",
        ],
        |_, a| {
            let flags = match a.get(5) {
                Some(f) => RegexFlags::parse(text(f)?)?,
                None => RegexFlags::default(),
            };
            let n = match a.get(4) {
                Some(n) => int(n)?,
                None if flags.global => 0,
                None => 1,
            };
            let out = regexp_replace(
                text(&a[0])?,
                text(&a[1])?,
                text(&a[2])?,
                int(&a[3])?,
                n,
                &flags,
            )?;
            Ok(Datum::Text(out))
        },
    );
    reg(
        t,
        &[
            "regexp_count",
            "regexp_count_no_start",
            "regexp_count_no_flags",
        ],
        |_, a| {
            let s = text(&a[0])?;
            let start = a.get(2).map(int).transpose()?.unwrap_or(1);
            if start <= 0 {
                return Err(invalid_parameter("start", start));
            }
            let flags = flags_without_global(
                a.get(3).map(text).transpose()?.unwrap_or(""),
                "regexp_count",
            )?;
            let re = compile(text(&a[1])?, &flags)?;
            Ok(Datum::Int4(
                matches(&re, s, byte_offset(s, start), true).len() as i32,
            ))
        },
    );
    reg(
        t,
        &[
            "regexp_instr",
            "regexp_instr_no_start",
            "regexp_instr_no_n",
            "regexp_instr_no_endoption",
            "regexp_instr_no_flags",
            "regexp_instr_no_subexpr",
        ],
        |_, a| {
            let opt_int = |i: usize, default: i64| {
                a.get(i).map(int).transpose().map(|v| v.unwrap_or(default))
            };
            let flags = a.get(5).map(text).transpose()?.unwrap_or("");
            let position = regexp_instr(
                text(&a[0])?,
                text(&a[1])?,
                opt_int(2, 1)?,
                opt_int(3, 1)?,
                opt_int(4, 0)?,
                flags,
                opt_int(6, 0)?,
            )?;
            Ok(Datum::Int4(position as i32))
        },
    );
    reg(t, &["regexp_like", "regexp_like_no_flags"], |_, a| {
        let flags =
            flags_without_global(a.get(2).map(text).transpose()?.unwrap_or(""), "regexp_like")?;
        Ok(Datum::Bool(is_match(text(&a[0])?, text(&a[1])?, &flags)?))
    });
    reg(
        t,
        &[
            "regexp_substr",
            "regexp_substr_no_start",
            "regexp_substr_no_n",
            "regexp_substr_no_flags",
            "regexp_substr_no_subexpr",
        ],
        |_, a| {
            let opt_int = |i: usize, default: i64| {
                a.get(i).map(int).transpose().map(|v| v.unwrap_or(default))
            };
            let flags = a.get(4).map(text).transpose()?.unwrap_or("");
            regexp_substr(
                text(&a[0])?,
                text(&a[1])?,
                opt_int(2, 1)?,
                opt_int(3, 1)?,
                flags,
                opt_int(5, 0)?,
            )
        },
    );
    for name in ["regexp_split_to_table", "regexp_split_to_table_no_flags"] {
        t.insert(
            name,
            Builtin::Set(|_, a| {
                let flags = a.get(2).map(text).transpose()?.unwrap_or("");
                regexp_split(text(&a[0])?, text(&a[1])?, flags)
            }),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::datetime::test_support::call;
    use super::*;

    fn txt(s: &str) -> Datum {
        Datum::Text(s.into())
    }

    fn call_text(prosrc: &str, args: &[Datum]) -> Datum {
        call("UTC", prosrc, args).expect(prosrc)
    }

    #[test]
    fn operators_and_substring() {
        // Expected values from PostgreSQL 15.
        assert_eq!(
            call_text("textregexeq", &[txt("thomas"), txt("t.*ma")]),
            Datum::Bool(true)
        );
        assert_eq!(
            call_text("texticregexeq", &[txt("thomas"), txt("T.*MA")]),
            Datum::Bool(true)
        );
        assert_eq!(
            call_text("textregexne", &[txt("thomas"), txt("t.*max")]),
            Datum::Bool(true)
        );
        assert_eq!(
            call_text("textregexeq", &[txt("a{"), txt("a{")]),
            Datum::Bool(true)
        );
        assert_eq!(
            call_text("textregexsubstr", &[txt("foobar"), txt("o.b")]),
            txt("oob")
        );
        assert_eq!(
            call_text("textregexsubstr", &[txt("foobar"), txt("o(.)b")]),
            txt("o")
        );
        assert_eq!(
            call_text("textregexsubstr", &[txt("abc"), txt("(x)?b")]),
            Datum::Null
        );
        let similar = call_text("similar_to_escape_1", &[txt("%(b|d)%")]);
        assert_eq!(
            call_text("textregexeq", &[txt("abc"), similar]),
            Datum::Bool(true)
        );
        let f = sql_language_function(2074).expect("substring similar");
        let got = super::super::datetime::test_support::with_context("UTC", |ctx| {
            f(ctx, &[txt("foobar"), txt("%#\"o_b#\"%"), txt("#")])
        })
        .expect("ok");
        assert_eq!(got, txt("oob"));
        // The part before the first separator prefers its shortest match.
        let got = super::super::datetime::test_support::with_context("UTC", |ctx| {
            f(ctx, &[txt("abcdefg"), txt("a*#\"%#\"g*"), txt("#")])
        })
        .expect("ok");
        assert_eq!(got, txt("abcdefg"));
    }

    #[test]
    fn replace_count_instr_substr() {
        assert_eq!(
            call_text(
                "textregexreplace",
                &[txt("Thomas"), txt(".[mN]a."), txt("M"), txt("")]
            ),
            txt("ThM")
        );
        assert_eq!(
            call_text(
                "textregexreplace",
                &[txt("foobarbaz"), txt("b(..)"), txt("X\\1Y"), txt("g")]
            ),
            txt("fooXarYXazY")
        );
        assert_eq!(
            call_text(
                "textregexreplace",
                &[txt("baaa"), txt("a*"), txt("X"), txt("g")]
            ),
            txt("XbXX")
        );
        assert_eq!(
            call_text(
                "textregexreplace_noopt",
                &[txt("abc"), txt("(b)"), txt("[\\1\\&\\\\]")]
            ),
            txt("a[bb\\]c")
        );
        assert_eq!(
            call_text(
                "textregexreplace_extended",
                &[
                    txt("abcabc"),
                    txt("b"),
                    txt("X"),
                    Datum::Int4(1),
                    Datum::Int4(1),
                    txt("g")
                ]
            ),
            txt("aXcabc")
        );
        assert_eq!(
            call_text(
                "textregexreplace_extended_no_flags",
                &[
                    txt("abcabc"),
                    txt("b"),
                    txt("X"),
                    Datum::Int4(2),
                    Datum::Int4(0)
                ]
            ),
            txt("aXcaXc")
        );
        assert_eq!(
            call_text(
                "regexp_count",
                &[txt("ABCABCAXYaxy"), txt("A."), Datum::Int4(1), txt("i")]
            ),
            Datum::Int4(4)
        );
        assert_eq!(
            call_text(
                "regexp_instr",
                &[
                    txt("ABCDEF"),
                    txt("c(.)(..)"),
                    Datum::Int4(1),
                    Datum::Int4(1),
                    Datum::Int4(1),
                    txt("i"),
                    Datum::Int4(2)
                ]
            ),
            Datum::Int4(7)
        );
        assert_eq!(
            call_text(
                "regexp_substr",
                &[
                    txt("ABCDEF"),
                    txt("c(.)(..)"),
                    Datum::Int4(1),
                    Datum::Int4(1),
                    txt("i"),
                    Datum::Int4(3)
                ]
            ),
            Datum::Null
        );
        assert_eq!(
            call_text("regexp_like", &[txt("abc"), txt("B"), txt("i")]),
            Datum::Bool(true)
        );
        let e = call(
            "UTC",
            "regexp_count",
            &[txt("abc"), txt("b"), Datum::Int4(1), txt("g")],
        )
        .expect_err("global");
        assert_eq!(
            e.message,
            "regexp_count() does not support the \"global\" option"
        );
        let e = call(
            "UTC",
            "regexp_count",
            &[txt("abc"), txt("b"), Datum::Int4(0)],
        )
        .expect_err("start");
        assert_eq!(e.message, "invalid value for parameter \"start\": 0");
    }

    #[test]
    fn greedy_expressions_take_the_longest_match() {
        // Expected values from PostgreSQL 15.
        assert_eq!(
            call_text("textregexsubstr", &[txt("ab"), txt("a|ab")]),
            txt("ab")
        );
        assert_eq!(
            call_text(
                "textregexreplace_noopt",
                &[txt("abcd"), txt("a|ab"), txt("X")]
            ),
            txt("Xcd")
        );
        assert_eq!(
            call_text("textregexsubstr", &[txt("xabcx"), txt("(a|ab)(c|bcd)?")]),
            txt("ab")
        );
        // A non-greedy quantifier keeps the leftmost-first match.
        assert_eq!(
            call_text("textregexsubstr", &[txt("aaa"), txt("a+?")]),
            txt("a")
        );
    }

    #[test]
    fn split_ignores_degenerate_matches() {
        let split = |s: &str, p: &str| -> Vec<String> {
            regexp_split(s, p, "")
                .expect("split")
                .into_iter()
                .map(|d| match d {
                    Datum::Text(t) => t,
                    other => panic!("{other:?}"),
                })
                .collect()
        };
        assert_eq!(split("hello world", "\\s+"), ["hello", "world"]);
        assert_eq!(split("hello", ""), ["h", "e", "l", "l", "o"]);
        assert_eq!(split("abc", "x*"), ["a", "b", "c"]);
        assert_eq!(split(",a,", ","), ["", "a", ""]);
    }
}
