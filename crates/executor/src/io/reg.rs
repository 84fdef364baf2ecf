//! Input and output of the OID alias types over the built-in catalog (PostgreSQL docs
//! §8.19): `regtype` (`'int4[]'`, `'double precision'`), `regproc` (`'now'`),
//! `regprocedure` (`'abs(integer)'`), `regoper` (`'||/'`) and `regoperator`
//! (`'+(integer,integer)'`, `NONE` for a prefix operator's left side). A number is taken
//! as the OID itself and `-` as OID 0, as PostgreSQL's input functions do.
//!
//! `regclass`, `regnamespace`, `regrole` and the `regtype` of user-defined types read the
//! session's catalogs through [`crate::CatalogNames`] in the output settings; without it
//! their values print as numbers.
//!
//! Entry points: [`reg_in`], [`regprocedure_out`], [`regoperator_out`],
//! [`catalog_name_out`], [`catalog_name_in`].

use tusk_catalog::{builtin, OperatorKind};
use tusk_types::{pg_err, type_oid, Oid, Result};

use crate::lookup::BuiltinLookup;
use crate::OutputSettings;

/// Splits `a."B c".d` into identifiers (unquoted parts lower-cased).
fn split_name(text: &str) -> Result<Vec<String>> {
    tusk_sql::split_qualified_name(text.trim())
}

/// The function name of a `regproc`/`regprocedure` text: the last identifier, with any
/// schema required to be `pg_catalog`.
fn function_name(text: &str, shown: &str) -> Result<String> {
    let parts = split_name(text)?;
    match parts.as_slice() {
        [name] => Ok(name.clone()),
        [schema, name] if schema == "pg_catalog" => Ok(name.clone()),
        [_, _] => Err(pg_err!(
            UNDEFINED_FUNCTION,
            "function \"{}\" does not exist",
            shown
        )),
        _ => Err(pg_err!(
            SYNTAX_ERROR,
            "improper qualified name (too many dotted names): {}",
            text
        )),
    }
}

/// A type name as `regtype` input reads it (PostgreSQL's `parseTypeString`).
fn type_in(text: &str, settings: &OutputSettings) -> Result<Oid> {
    let stmts = tusk_sql::parse(&format!("SELECT NULL::{text}")).map_err(|mut e| {
        e.position = None;
        e.context(format!("invalid type name \"{text}\""))
    })?;
    let type_name = match stmts.as_slice() {
        [raw] => match &raw.stmt {
            tusk_sql::ast::Statement::Select(select) => match select.targets.as_slice() {
                [target] => match &target.expr {
                    tusk_sql::ast::Expr::Cast { type_name, .. } => Some(type_name.clone()),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        },
        _ => None,
    };
    let type_name = type_name.ok_or_else(|| {
        pg_err!(
            INVALID_TEXT_REPRESENTATION,
            "invalid type name \"{}\"",
            text
        )
    })?;
    let lookup = BuiltinLookup { settings };
    let mut analyzer = tusk_sql::analyze::Analyzer::new(&lookup, "", Vec::new());
    let (oid, _) = analyzer.resolve_type_name(&type_name).map_err(|mut e| {
        e.position = None;
        e
    })?;
    Ok(oid)
}

/// Splits `name(a, b)` into the name and the argument type texts (commas inside
/// parentheses, as in `numeric(10,2)`, do not split).
fn split_signature(text: &str) -> Result<(&str, Vec<&str>)> {
    // The first unquoted `(` opens the argument list, which must end the string.
    let mut in_quote = false;
    let open = text
        .char_indices()
        .find(|&(_, c)| {
            if c == '"' {
                in_quote = !in_quote;
            }
            c == '(' && !in_quote
        })
        .map(|(i, _)| i)
        .ok_or_else(|| pg_err!(INVALID_TEXT_REPRESENTATION, "expected a left parenthesis"))?;
    let rest = text[open + 1..].trim_end();
    if !rest.ends_with(')') {
        return Err(pg_err!(
            INVALID_TEXT_REPRESENTATION,
            "expected a right parenthesis"
        ));
    }
    let close = open + rest.len(); // the `)`
    let inner = &text[open + 1..close];
    let mut args = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in inner.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                args.push(inner[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    if !inner.trim().is_empty() {
        args.push(inner[start..].trim());
    }
    Ok((text[..open].trim(), args))
}

/// Parses the text form of an OID alias type `type_oid`.
///
/// Errors: 42704 `type "x" does not exist`; 42883 `function "x" does not exist` /
/// `operator does not exist: x`; 42725 `more than one function named "x"` / `more than
/// one operator named x`; 42601/42602 for malformed names.
pub fn reg_in(text: &str, type_oid: Oid, settings: &OutputSettings) -> Result<u32> {
    let t = text.trim();
    if t == "-" {
        return Ok(0);
    }
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        return t.parse::<u32>().map_err(|_| {
            pg_err!(
                NUMERIC_VALUE_OUT_OF_RANGE,
                "value \"{}\" is out of range for type oid",
                text
            )
        });
    }
    let catalog = builtin();
    match type_oid {
        type_oid::REGTYPE => Ok(type_in(text, settings)?.0),
        type_oid::REGPROC => regproc_in_with(
            t,
            settings
                .catalog_names
                .as_ref()
                .map(|n| &*n.0 as &dyn crate::CatalogNames),
        ),
        type_oid::REGPROCEDURE => regprocedure_in_with(
            t,
            settings,
            settings
                .catalog_names
                .as_ref()
                .map(|n| &*n.0 as &dyn crate::CatalogNames),
        ),
        type_oid::REGOPER => {
            let name = t.strip_prefix("pg_catalog.").unwrap_or(t);
            let mut found = catalog.operators_by_name(name);
            match (found.next(), found.next()) {
                (Some(o), None) => Ok(o.oid.0),
                (None, _) => Err(pg_err!(
                    UNDEFINED_FUNCTION,
                    "operator does not exist: {}",
                    t
                )),
                (Some(_), Some(_)) => Err(pg_err!(
                    AMBIGUOUS_FUNCTION,
                    "more than one operator named {}",
                    t
                )),
            }
        }
        type_oid::REGOPERATOR => {
            let (name, args) = split_signature(t)?;
            let [left, right] = args.as_slice() else {
                return Err(pg_err!(TOO_MANY_ARGUMENTS, "expected two type names")
                    .hint("Provide two argument types for operator."));
            };
            let side = |s: &str| -> Result<Oid> {
                if s.eq_ignore_ascii_case("none") {
                    Ok(Oid::INVALID)
                } else {
                    type_in(s, settings)
                }
            };
            let (left, right) = (side(left)?, side(right)?);
            let name = name.strip_prefix("pg_catalog.").unwrap_or(name);
            catalog
                .operators_by_name(name)
                .find(|o| o.left == left && o.right == right)
                .map(|o| o.oid.0)
                .ok_or_else(|| pg_err!(UNDEFINED_FUNCTION, "operator does not exist: {}", t))
        }
        _ => Err(pg_err!(
            INVALID_TEXT_REPRESENTATION,
            "invalid input syntax for type oid: \"{}\"",
            text
        )),
    }
}

/// Whether values of `type_oid` print through [`catalog_name_out`].
pub fn is_catalog_name_type(type_oid: Oid) -> bool {
    matches!(
        type_oid,
        type_oid::REGCLASS | type_oid::REGTYPE | type_oid::REGNAMESPACE | type_oid::REGROLE
    )
}

/// The output of `regclass`, `regtype`, `regnamespace` or `regrole` value `oid` (not 0):
/// the object's name, `None` (print the number) for an OID no object has or where the
/// settings carry no catalog. Built-in types print without the catalog.
pub fn catalog_name_out(oid: Oid, type_oid: Oid, settings: &OutputSettings) -> Option<String> {
    if type_oid == type_oid::REGTYPE {
        if builtin().type_by_oid(oid).is_some() {
            return Some(super::format_type(oid));
        }
        if let Some(name) = settings.user_types.format_type(oid) {
            return Some(name);
        }
    }
    let names = &settings.catalog_names.as_ref()?.0;
    match type_oid {
        type_oid::REGCLASS => names.relation_name(oid),
        type_oid::REGTYPE => names.type_name(oid),
        type_oid::REGNAMESPACE => names.namespace_name(oid),
        type_oid::REGROLE => names.role_name(oid),
        _ => None,
    }
}

/// `regprocin` of a (possibly qualified) function name, not a number: the one built-in
/// or user-defined (from `names`) function of that name.
///
/// Errors: 42883 `function "x" does not exist`; 42725 `more than one function named
/// "x"`; 42601/42602 for malformed names.
pub fn regproc_in_with(text: &str, names: Option<&dyn crate::CatalogNames>) -> Result<u32> {
    let t = text.trim();
    let name = function_name(t, t)?;
    let user = match names {
        Some(names) => names.function_oids(&name)?,
        None => Vec::new(),
    };
    let mut found = builtin().procs_by_name(&name).map(|p| p.oid).chain(user);
    match (found.next(), found.next()) {
        (Some(p), None) => Ok(p.0),
        (None, _) => Err(pg_err!(
            UNDEFINED_FUNCTION,
            "function \"{}\" does not exist",
            t
        )),
        (Some(_), Some(_)) => Err(pg_err!(
            AMBIGUOUS_FUNCTION,
            "more than one function named \"{}\"",
            t
        )),
    }
}

/// `regprocedurein`: `name(type, ...)`, the name possibly schema-qualified, the types as
/// `regtype` reads them; built-in functions from the built-in catalog, user-defined ones
/// through `names`.
///
/// Errors: 42883 `function "f(int)" does not exist`; 22P02 `expected a left
/// parenthesis` / `expected a right parenthesis`; 42601 `improper qualified name`; the
/// type names' errors.
pub fn regprocedure_in_with(
    t: &str,
    settings: &OutputSettings,
    names: Option<&dyn crate::CatalogNames>,
) -> Result<u32> {
    let catalog = builtin();
    let missing = || pg_err!(UNDEFINED_FUNCTION, "function \"{}\" does not exist", t);
    let (name, args) = split_signature(t)?;
    let parts = split_name(name)?;
    let (schema, bare) = match parts.as_slice() {
        [bare] => (None, bare.clone()),
        [schema, bare] => (Some(schema.clone()), bare.clone()),
        _ => {
            return Err(pg_err!(
                SYNTAX_ERROR,
                "improper qualified name (too many dotted names): {}",
                name
            ))
        }
    };
    if let (Some(schema), Some(names)) = (&schema, names) {
        if names.namespace_oid(schema)?.is_none() {
            return Err(pg_err!(
                INVALID_SCHEMA_NAME,
                "schema \"{}\" does not exist",
                schema
            ));
        }
    }
    let arg_types = args
        .iter()
        .map(|a| type_in(a, settings))
        .collect::<Result<Vec<_>>>()?;
    if schema.as_deref().is_none_or(|s| s == "pg_catalog") {
        if let Some(p) = catalog
            .procs_by_name(&bare)
            .find(|p| p.arg_types == arg_types)
        {
            return Ok(p.oid.0);
        }
    }
    // User-defined functions, through the session's catalogs.
    let user = match names {
        Some(names) => names.function_signatures(schema.as_deref(), &bare)?,
        None => Vec::new(),
    };
    user.into_iter()
        .find(|(_, types)| *types == arg_types)
        .map(|(oid, _)| oid.0)
        .ok_or_else(missing)
}

/// `regclassin`, `regnamespacein`, `regrolein`: a number is the OID itself, `-` is 0,
/// anything else a (possibly quoted) name looked up in the session's catalogs.
///
/// Errors: 42P01 `relation "x" does not exist`, 3F000 `schema "x" does not exist`, 42704
/// `role "x" does not exist`; 42602 for a malformed name; 0A000 where there is no catalog.
pub fn catalog_name_in(text: &str, type_oid: Oid, settings: &OutputSettings) -> Result<u32> {
    match &settings.catalog_names {
        Some(names) => catalog_name_in_with(text, type_oid, &*names.0),
        None if text.trim() == "-" => Ok(0),
        None => oid_digits_in(text).unwrap_or_else(|| {
            Err(tusk_types::Error::feature_not_supported(format!(
                "input of type {} by name outside a session",
                super::format_type(type_oid)
            )))
        }),
    }
}

/// The OID a text of digits is, `None` for other text.
fn oid_digits_in(text: &str) -> Option<Result<u32>> {
    let t = text.trim();
    (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())).then(|| {
        t.parse::<u32>().map_err(|_| {
            pg_err!(
                NUMERIC_VALUE_OUT_OF_RANGE,
                "value \"{}\" is out of range for type oid",
                text
            )
        })
    })
}

/// [`catalog_name_in`] reading names from `names`.
///
/// Errors: as [`catalog_name_in`].
pub fn catalog_name_in_with(
    text: &str,
    type_oid: Oid,
    names: &dyn crate::CatalogNames,
) -> Result<u32> {
    let t = text.trim();
    if t == "-" {
        return Ok(0);
    }
    if let Some(oid) = oid_digits_in(t) {
        return oid;
    }
    catalog_name_lookup(t, type_oid, names, false)
        .map(|found| found.expect("not missing_ok: a missing name is an error"))
}

/// The object a name (never a number) of `regclass`, `regnamespace` or `regrole` input
/// names, as `text_regclass` and the `to_reg*` functions read it; with `missing_ok` a
/// name nothing has (or whose schema does not exist) is `None` instead of an error.
///
/// Errors: as [`catalog_name_in`]; malformed names are errors even with `missing_ok`.
pub fn catalog_name_lookup(
    text: &str,
    type_oid: Oid,
    names: &dyn crate::CatalogNames,
    missing_ok: bool,
) -> Result<Option<u32>> {
    let t = text.trim();
    let parts = split_name(t)?;
    let missing = |e: tusk_types::Error| if missing_ok { Ok(None) } else { Err(e) };
    let found = match type_oid {
        type_oid::REGCLASS => {
            let (schema, name) = match parts.as_slice() {
                [name] => (None, name),
                [schema, name] | [_, schema, name] => (Some(schema.as_str()), name),
                _ => {
                    return Err(pg_err!(
                        INVALID_NAME,
                        "improper relation name (too many dotted names): {}",
                        t
                    ))
                }
            };
            if let Some(schema) = schema {
                if names.namespace_oid(schema)?.is_none() {
                    return missing(pg_err!(
                        INVALID_SCHEMA_NAME,
                        "schema \"{}\" does not exist",
                        schema
                    ));
                }
            }
            match names.relation_oid(schema, name)? {
                Some(oid) => oid,
                None => {
                    return missing(pg_err!(
                        UNDEFINED_TABLE,
                        "relation \"{}\" does not exist",
                        t
                    ))
                }
            }
        }
        _ => {
            let [name] = parts.as_slice() else {
                return Err(pg_err!(INVALID_NAME, "invalid name syntax"));
            };
            let (found, err) = if type_oid == type_oid::REGROLE {
                (
                    names.role_oid(name)?,
                    pg_err!(UNDEFINED_OBJECT, "role \"{}\" does not exist", name),
                )
            } else {
                (
                    names.namespace_oid(name)?,
                    pg_err!(INVALID_SCHEMA_NAME, "schema \"{}\" does not exist", name),
                )
            };
            match found {
                Some(oid) => oid,
                None => return missing(err),
            }
        }
    };
    Ok(Some(found.0))
}

/// `regprocedure` output: `name(argument types)`, or the number for an unknown OID.
pub fn regprocedure_out(oid: u32) -> String {
    match builtin().proc_by_oid(Oid(oid)) {
        Some(p) => {
            let args: Vec<String> = p.arg_types.iter().map(|t| super::format_type(*t)).collect();
            format!("{}({})", p.name, args.join(","))
        }
        None if oid == 0 => "-".to_string(),
        None => oid.to_string(),
    }
}

/// `regoper` output (`with_args` false) and `regoperator` output (`name(left,right)`,
/// `NONE` for a prefix operator's left side).
pub fn regoperator_out(oid: u32, with_args: bool) -> String {
    match builtin().operator_by_oid(Oid(oid)) {
        Some(o) if with_args => {
            let left = if o.kind == OperatorKind::Prefix {
                "NONE".to_string()
            } else {
                super::format_type(o.left)
            };
            format!("{}({},{})", o.name, left, super::format_type(o.right))
        }
        Some(o) => o.name.clone(),
        None if oid == 0 => "0".to_string(),
        None => oid.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_resolve_as_postgres_resolves_them() {
        let s = OutputSettings::default();
        assert_eq!(reg_in("int4[]", type_oid::REGTYPE, &s).expect("type"), 1007);
        assert_eq!(
            reg_in("double precision", type_oid::REGTYPE, &s).expect("type"),
            701
        );
        assert_eq!(
            reg_in("pg_catalog.int8", type_oid::REGTYPE, &s).expect("type"),
            20
        );
        assert_eq!(reg_in("-", type_oid::REGTYPE, &s).expect("dash"), 0);
        assert_eq!(
            reg_in("foo", type_oid::REGTYPE, &s)
                .expect_err("unknown")
                .message,
            "type \"foo\" does not exist"
        );
        assert_eq!(reg_in("now", type_oid::REGPROC, &s).expect("now"), 1299);
        assert_eq!(
            reg_in("abs", type_oid::REGPROC, &s)
                .expect_err("overloaded")
                .message,
            "more than one function named \"abs\""
        );
        assert_eq!(
            reg_in("abs(integer)", type_oid::REGPROCEDURE, &s).expect("abs"),
            1397
        );
        assert_eq!(regprocedure_out(1397), "abs(integer)");
        assert_eq!(
            reg_in("foo(int)", type_oid::REGPROCEDURE, &s)
                .expect_err("unknown")
                .message,
            "function \"foo(int)\" does not exist"
        );
        let plus = reg_in("+(int4,int4)", type_oid::REGOPERATOR, &s).expect("plus");
        assert_eq!(regoperator_out(plus, true), "+(integer,integer)");
        let neg = reg_in("-(NONE,int4)", type_oid::REGOPERATOR, &s).expect("prefix minus");
        assert_eq!(regoperator_out(neg, true), "-(NONE,integer)");
        assert_eq!(
            reg_in("+", type_oid::REGOPER, &s)
                .expect_err("overloaded")
                .message,
            "more than one operator named +"
        );
    }
}
