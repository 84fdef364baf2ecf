//! RAISE and ASSERT: building the notice or error from a level, a format string with `%`
//! placeholders and USING options; condition names (PostgreSQL's `plerrcodes.h`, from
//! `errcodes.txt`) to SQLSTATEs, and which EXCEPTION handlers catch an error.

use tusk_types::{pg_err, Error, Result, SqlState};

/// The SQLSTATE a RAISE condition (`division_by_zero`, or a 5-character code) names.
///
/// Errors: 42704 `unrecognized exception condition "x"`.
pub fn condition_code(name: &str) -> Result<SqlState> {
    if name.len() == 5
        && name
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
    {
        if let Some(code) = SqlState::from_code(name) {
            return Ok(code);
        }
    }
    SqlState::for_condition_name(name)
        .into_iter()
        .next()
        .ok_or_else(|| {
            pg_err!(
                UNDEFINED_OBJECT,
                "unrecognized exception condition \"{}\"",
                name
            )
        })
}

/// Whether an EXCEPTION handler's condition catches `code`: `others` catches all but
/// query_canceled and assert_failure; a class name (`data_exception`, code `22000`)
/// catches its whole class; SQLSTATE conditions (`SQLSTATE '22012'`) match exactly.
pub fn handler_matches(condition: &str, code: SqlState) -> Result<bool> {
    if condition.eq_ignore_ascii_case("others") {
        return Ok(code != SqlState::QUERY_CANCELED && code != SqlState::ASSERT_FAILURE);
    }
    let codes = if condition.len() == 5 && SqlState::from_code(condition).is_some() {
        vec![SqlState::from_code(condition).expect("checked well-formed")]
    } else {
        let codes = SqlState::for_condition_name(condition);
        if codes.is_empty() {
            return Err(pg_err!(
                UNDEFINED_OBJECT,
                "unrecognized exception condition \"{}\"",
                condition
            ));
        }
        codes
    };
    Ok(codes
        .iter()
        .any(|c| *c == code || (c.code().ends_with("000") && c.class() == code.class())))
}

/// Substitutes `%` placeholders in `format` with `args` in order (`%%` is a literal `%`);
/// NULL arguments print `<NULL>`.
///
/// Errors: 42601 `too few parameters specified for RAISE` / `too many ...`.
pub fn format_message(format: &str, args: &[Option<String>]) -> Result<String> {
    let mut out = String::with_capacity(format.len());
    let mut next = args.iter();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'%') {
            chars.next();
            out.push('%');
            continue;
        }
        match next.next() {
            Some(Some(text)) => out.push_str(text),
            Some(None) => out.push_str("<NULL>"),
            None => {
                return Err(pg_err!(
                    SYNTAX_ERROR,
                    "too few parameters specified for RAISE"
                ))
            }
        }
    }
    if next.next().is_some() {
        return Err(pg_err!(
            SYNTAX_ERROR,
            "too many parameters specified for RAISE"
        ));
    }
    Ok(out)
}

/// An error built from RAISE's parts: the default SQLSTATE is P0001 (`raise_exception`)
/// for EXCEPTION and 00000 for notices; a condition alone is also the message.
pub fn build(
    is_error: bool,
    condition: Option<&str>,
    message: Option<String>,
    code: Option<SqlState>,
    detail: Option<String>,
    hint: Option<String>,
) -> Result<Error> {
    let (mut code, mut message) = (code, message);
    if let Some(cond) = condition {
        code = Some(condition_code(cond)?);
        if message.is_none() {
            message = Some(cond.to_string());
        }
    }
    let code = code.unwrap_or(if is_error {
        SqlState::RAISE_EXCEPTION
    } else {
        SqlState::SUCCESSFUL_COMPLETION
    });
    let message = message.unwrap_or_else(|| code.code().to_string());
    let mut err = Error::new(code, message);
    if let Some(d) = detail {
        err = err.detail(d);
    }
    if let Some(h) = hint {
        err = err.hint(h);
    }
    Ok(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_take_arguments_in_order() {
        let args = [Some("1".to_string()), None];
        assert_eq!(
            format_message("a % b % %%", &args).unwrap(),
            "a 1 b <NULL> %"
        );
        assert_eq!(
            format_message("%", &[]).unwrap_err().message,
            "too few parameters specified for RAISE"
        );
        assert_eq!(
            format_message("x", &args).unwrap_err().code,
            SqlState::SYNTAX_ERROR
        );
    }

    #[test]
    fn handlers_match_names_classes_codes_and_others() {
        let div = SqlState::DIVISION_BY_ZERO;
        assert!(handler_matches("division_by_zero", div).unwrap());
        assert!(handler_matches("data_exception", div).unwrap());
        assert!(handler_matches("22012", div).unwrap());
        assert!(!handler_matches("unique_violation", div).unwrap());
        assert!(handler_matches("others", div).unwrap());
        assert!(!handler_matches("others", SqlState::QUERY_CANCELED).unwrap());
        assert_eq!(
            handler_matches("no_such_thing", div).unwrap_err().code,
            SqlState::UNDEFINED_OBJECT
        );
    }

    #[test]
    fn conditions_name_codes() {
        assert_eq!(condition_code("unique_violation").unwrap().code(), "23505");
        assert_eq!(condition_code("22012").unwrap(), SqlState::DIVISION_BY_ZERO);
        let e = build(true, None, Some("m".into()), None, None, Some("h".into())).unwrap();
        assert_eq!((e.code.code(), e.hint.as_deref()), ("P0001", Some("h")));
    }
}
