//! User-defined functions as `pg_proc` rows: reading them ([`UserFunction`]) for the
//! analyzer's function resolution and for calls, and the values their columns hold.
//!
//! Built-in functions come from the catalog crate's tables; rows with OIDs from 16384
//! (PostgreSQL's `FirstNormalObjectId`) are the ones sessions created, read from the heap
//! through the relation cache. `proargdefaults` holds, as text, a `text[]` literal of the
//! defaults' constant values in their text form (the trailing input arguments' defaults,
//! last argument last): tusk keeps stored expressions as SQL text rather than node trees.
//!
//! Entry points: [`user_functions`], [`user_function`].

use tusk_catalog::syscat::{self, SysCatalog};
use tusk_executor::OutputSettings;
use tusk_sql::analyze::FuncCandidate;
use tusk_types::{type_oid, Datum, Oid, Result};

use crate::relcache::CatalogReader;

/// `pg_language` OID of `sql`.
pub(crate) const LANG_SQL: Oid = Oid(14);
/// `pg_language` OID of `internal`.
pub(crate) const LANG_INTERNAL: Oid = Oid(12);
/// `plpgsql`.
pub(crate) const LANG_PLPGSQL: Oid = Oid(13563);
/// `pg_language` OID of `c`.
pub(crate) const LANG_C: Oid = Oid(13);

/// One user-defined `pg_proc` row, decoded.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct UserFunction {
    /// `oid`.
    pub oid: Oid,
    /// `proname`.
    pub name: String,
    /// `pronamespace`.
    pub namespace: Oid,
    /// `prokind`: `f` or `p`.
    pub kind: u8,
    /// `prolang`.
    pub language: Oid,
    /// `proargtypes`: the input arguments' types.
    pub arg_types: Vec<Oid>,
    /// `proallargtypes` (empty when every argument is an input).
    pub all_arg_types: Vec<Oid>,
    /// `proargmodes` letters (empty when every argument is IN).
    pub arg_modes: Vec<u8>,
    /// `proargnames` (empty when no argument is named).
    pub arg_names: Vec<String>,
    /// `prorettype`.
    pub ret_type: Oid,
    /// `proretset`.
    pub retset: bool,
    /// `proisstrict`.
    pub strict: bool,
    /// `provolatile`.
    pub volatility: u8,
    /// `provariadic`.
    pub variadic: Oid,
    /// `prosrc`.
    pub src: String,
    /// `probin`: a C function's library file.
    pub bin: Option<String>,
    /// `prosqlbody` (a SQL-standard body, as SQL text).
    pub sql_body: Option<String>,
    /// `proargdefaults` as stored (see the module header).
    pub defaults: Option<String>,
}

fn oid(d: &Datum) -> Oid {
    match d {
        Datum::Oid(o) => Oid(*o),
        _ => Oid::INVALID,
    }
}

fn text(d: &Datum) -> Option<String> {
    match d {
        Datum::Text(t) => Some(t.clone()),
        _ => None,
    }
}

fn elements(d: &Datum) -> Vec<Datum> {
    match d {
        Datum::Array(a) => a.elems.clone(),
        _ => Vec::new(),
    }
}

fn letter(d: &Datum) -> u8 {
    match d {
        Datum::Text(t) => t.bytes().next().unwrap_or(0),
        _ => 0,
    }
}

pub(crate) fn pg_proc() -> &'static SysCatalog {
    syscat::system_catalog(syscat::PG_PROC).expect("pg_proc")
}

impl UserFunction {
    /// Decodes a `pg_proc` row.
    pub(crate) fn from_row(row: &[Datum]) -> UserFunction {
        let c = pg_proc();
        let col = |name: &str| &row[c.col(name)];
        UserFunction {
            oid: oid(col("oid")),
            name: text(col("proname")).unwrap_or_default(),
            namespace: oid(col("pronamespace")),
            kind: letter(col("prokind")),
            language: oid(col("prolang")),
            arg_types: elements(col("proargtypes")).iter().map(oid).collect(),
            all_arg_types: elements(col("proallargtypes")).iter().map(oid).collect(),
            arg_modes: elements(col("proargmodes")).iter().map(letter).collect(),
            arg_names: elements(col("proargnames"))
                .iter()
                .map(|d| text(d).unwrap_or_default())
                .collect(),
            ret_type: oid(col("prorettype")),
            retset: col("proretset") == &Datum::Bool(true),
            strict: col("proisstrict") == &Datum::Bool(true),
            volatility: letter(col("provolatile")),
            variadic: oid(col("provariadic")),
            src: text(col("prosrc")).unwrap_or_default(),
            bin: text(col("probin")),
            sql_body: text(col("prosqlbody")),
            defaults: text(col("proargdefaults")),
        }
    }

    /// Every argument as (mode letter, name, type), OUT ones included.
    pub(crate) fn all_args(&self) -> Vec<(u8, String, Oid)> {
        let types = if self.all_arg_types.is_empty() {
            &self.arg_types
        } else {
            &self.all_arg_types
        };
        types
            .iter()
            .enumerate()
            .map(|(i, t)| {
                (
                    self.arg_modes.get(i).copied().unwrap_or(b'i'),
                    self.arg_names.get(i).cloned().unwrap_or_default(),
                    *t,
                )
            })
            .collect()
    }

    /// The input arguments' names (empty strings for unnamed ones).
    pub(crate) fn input_names(&self) -> Vec<String> {
        self.all_args()
            .into_iter()
            .filter(|(m, _, _)| matches!(m, b'i' | b'b' | b'v'))
            .map(|(_, n, _)| n)
            .collect()
    }

    /// The result columns of a function with OUT or TABLE arguments.
    pub(crate) fn out_columns(&self) -> Vec<(String, Oid)> {
        self.all_args()
            .into_iter()
            .enumerate()
            .filter(|(_, (m, _, _))| matches!(m, b'o' | b'b' | b't'))
            .map(|(i, (_, n, t))| {
                (
                    if n.is_empty() {
                        format!("column{}", i + 1)
                    } else {
                        n
                    },
                    t,
                )
            })
            .collect()
    }

    /// The defaults' values (see the module header); empty if none or unreadable.
    pub(crate) fn default_values(&self, settings: &OutputSettings) -> Vec<Datum> {
        let Some(stored) = &self.defaults else {
            return Vec::new();
        };
        let Ok(Datum::Array(texts)) =
            tusk_executor::io::text_in(stored, type_oid::TEXT_ARRAY, -1, settings)
        else {
            return Vec::new();
        };
        let first = self.arg_types.len().saturating_sub(texts.elems.len());
        texts
            .elems
            .iter()
            .enumerate()
            .map(|(i, t)| match t {
                Datum::Text(t) => {
                    let ty = self
                        .arg_types
                        .get(first + i)
                        .copied()
                        .unwrap_or(type_oid::TEXT);
                    tusk_executor::io::text_in(t, ty, -1, settings).unwrap_or(Datum::Null)
                }
                _ => Datum::Null,
            })
            .collect()
    }

    /// The analyzer's candidate for this function.
    pub(crate) fn candidate(&self, settings: &OutputSettings) -> FuncCandidate {
        let names = self.input_names();
        let out_columns = self.out_columns();
        FuncCandidate {
            oid: self.oid,
            args: self.arg_types.clone(),
            ret: self.ret_type,
            retset: self.retset,
            strict: self.strict,
            kind: self.kind,
            variadic: self.variadic,
            defaults: self.default_values(settings),
            arg_names: if names.iter().all(|n| !n.is_empty()) {
                names
            } else {
                Vec::new()
            },
            out_columns: if out_columns.len() > 1 || self.ret_type == type_oid::RECORD {
                out_columns
            } else {
                Vec::new()
            },
        }
    }
}

/// The user-defined functions named `name` in the schemas of `namespaces` (all schemas
/// when `None`).
///
/// Errors: catalog read errors.
pub(crate) fn user_functions(
    catalog: &CatalogReader<'_>,
    name: &str,
    namespaces: Option<&[Oid]>,
) -> Result<Vec<UserFunction>> {
    let c = pg_proc();
    let (c_oid, c_name, c_ns) = (c.col("oid"), c.col("proname"), c.col("pronamespace"));
    let rows = catalog.rows(c)?;
    let wanted = Datum::Text(name.to_string());
    Ok(rows
        .iter()
        .filter(|r| oid(&r[c_oid]).0 >= 16384 && r[c_name] == wanted)
        .filter(|r| namespaces.is_none_or(|ns| ns.contains(&oid(&r[c_ns]))))
        .map(|r| UserFunction::from_row(r))
        .collect())
}

/// The user-defined function `proc`, if there is one.
///
/// Errors: catalog read errors.
pub(crate) fn user_function(
    catalog: &CatalogReader<'_>,
    proc: Oid,
) -> Result<Option<UserFunction>> {
    if proc.0 < 16384 {
        return Ok(None);
    }
    let c = pg_proc();
    let rows = catalog.rows(c)?;
    Ok(rows
        .first_matching(c.col("oid"), proc)
        .map(|r| UserFunction::from_row(r)))
}

/// The OIDs of the schemas of the search path that exist, in order.
///
/// Errors: catalog read errors.
pub(crate) fn search_namespaces(catalog: &CatalogReader<'_>) -> Result<Vec<Oid>> {
    let mut out = Vec::new();
    for schema in &catalog.search_path {
        if let Some(ns) = catalog.namespace_oid(schema)? {
            out.push(ns);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tusk_catalog::syscat::CatalogRow;

    fn row() -> Vec<Datum> {
        let arr = |t: Oid, v: Vec<Datum>| {
            Datum::Array(Box::new(tusk_types::adt::array::Array::from_elements(t, v)))
        };
        CatalogRow::new(pg_proc())
            .set("oid", Datum::Oid(16400))
            .set("proname", Datum::Text("f".into()))
            .set("prokind", Datum::Text("f".into()))
            .set("prorettype", Datum::Oid(type_oid::RECORD.0))
            .set("proargtypes", arr(type_oid::INT4, vec![Datum::Oid(23)]))
            .set(
                "proallargtypes",
                arr(
                    type_oid::OID,
                    vec![Datum::Oid(23), Datum::Oid(25), Datum::Oid(16)],
                ),
            )
            .set(
                "proargmodes",
                arr(
                    type_oid::CHAR,
                    vec![
                        Datum::Text("i".into()),
                        Datum::Text("o".into()),
                        Datum::Text("o".into()),
                    ],
                ),
            )
            .set(
                "proargnames",
                arr(
                    type_oid::TEXT,
                    vec![
                        Datum::Text("x".into()),
                        Datum::Text("label".into()),
                        Datum::Text(String::new()),
                    ],
                ),
            )
            .set("proargdefaults", Datum::Text("{7}".into()))
            .into_values()
    }

    #[test]
    fn out_arguments_become_result_columns() {
        let f = UserFunction::from_row(&row());
        assert_eq!(f.input_names(), vec!["x".to_string()]);
        assert_eq!(
            f.out_columns(),
            vec![
                ("label".to_string(), type_oid::TEXT),
                ("column3".to_string(), type_oid::BOOL)
            ]
        );
        let c = f.candidate(&OutputSettings::default());
        assert_eq!(c.args, vec![type_oid::INT4]);
        assert_eq!(c.defaults, vec![Datum::Int4(7)]);
        assert_eq!(c.arg_names, vec!["x".to_string()]);
    }
}
