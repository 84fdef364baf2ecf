//! PostgreSQL 15's built-in catalog rows, loaded once from the generated data tables.
//!
//! Invariant: rows are immutable after loading; lookups return `'static` references.

use std::collections::HashMap;
use std::sync::OnceLock;

use tusk_types::Oid;

use crate::tsv::Table;

/// A `pg_type` row (the columns the analyzer and executor use).
#[derive(Debug, Clone)]
pub struct TypeRow {
    /// `oid`.
    pub oid: Oid,
    /// `typname`.
    pub name: String,
    /// `typnamespace`.
    pub namespace: Oid,
    /// `typlen`: bytes, -1 varlena, -2 C string.
    pub len: i16,
    /// `typbyval`.
    pub byval: bool,
    /// `typtype`: b base, c composite, d domain, e enum, p pseudo, r range, m multirange.
    pub typtype: u8,
    /// `typcategory` (PostgreSQL docs table 53.65).
    pub category: u8,
    /// `typispreferred` within its category.
    pub preferred: bool,
    /// `typdelim`: array element delimiter.
    pub delim: u8,
    /// `typelem`: element type of an array type, else 0.
    pub elem: Oid,
    /// `typarray`: the array type over this type, else 0.
    pub array: Oid,
    /// `typbasetype` of a domain, else 0.
    pub base_type: Oid,
    /// `typcollation`: 100 (default) for collatable types, else 0.
    pub collation: Oid,
}

/// Function volatility (`provolatile`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Volatility {
    /// `i`: same result for the same arguments forever.
    Immutable,
    /// `s`: same result within one statement.
    Stable,
    /// `v`: may change at every call.
    Volatile,
}

/// A `pg_proc` row.
#[derive(Debug, Clone)]
pub struct ProcRow {
    /// `oid`.
    pub oid: Oid,
    /// `proname`.
    pub name: String,
    /// `prokind`: f function, a aggregate, w window, p procedure.
    pub kind: u8,
    /// `proisstrict`: NULL input gives NULL without calling.
    pub strict: bool,
    /// `proretset`: returns a set.
    pub retset: bool,
    /// `provolatile`.
    pub volatility: Volatility,
    /// `provariadic`: element type of the variadic argument, else 0.
    pub variadic: Oid,
    /// `prorettype`.
    pub ret_type: Oid,
    /// `proargtypes`: input argument types.
    pub arg_types: Vec<Oid>,
    /// `pronargdefaults`.
    pub n_arg_defaults: i16,
    /// The default values of the last `n_arg_defaults` arguments, decoded from
    /// `proargdefaults` when every one is a constant tusk can read (empty otherwise).
    pub arg_defaults: Vec<tusk_types::Datum>,
    /// `proargnames` of the input arguments, in order, when every argument is an input
    /// argument and all are named (empty otherwise).
    pub arg_names: Vec<String>,
    /// The result columns of a function with OUT or TABLE arguments (`proargmodes` `o`,
    /// `b` or `t`): name and type, in order; empty for other functions.
    pub out_columns: Vec<(String, Oid)>,
    /// `prosrc`: for internal functions, the name of the implementation.
    pub src: String,
}

/// An operator's kind (`oprkind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperatorKind {
    /// `b`: binary (infix).
    Binary,
    /// `l`: prefix (left unary).
    Prefix,
}

/// A `pg_operator` row.
#[derive(Debug, Clone)]
pub struct OperatorRow {
    /// `oid`.
    pub oid: Oid,
    /// `oprname`.
    pub name: String,
    /// `oprkind`.
    pub kind: OperatorKind,
    /// `oprleft` (0 for prefix operators).
    pub left: Oid,
    /// `oprright`.
    pub right: Oid,
    /// `oprresult`.
    pub result: Oid,
    /// `oprcode`: the implementing function.
    pub proc: Oid,
}

/// Cast context (`castcontext`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CastContext {
    /// `i`: applied implicitly anywhere.
    Implicit,
    /// `a`: applied in assignment (INSERT/UPDATE targets) and explicitly.
    Assignment,
    /// `e`: only by CAST or `::`.
    Explicit,
}

/// Cast method (`castmethod`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CastMethod {
    /// `f`: call `castfunc`.
    Function,
    /// `i`: through the types' text output and input functions.
    InOut,
    /// `b`: binary-coercible, no work.
    Binary,
}

/// A `pg_cast` row.
#[derive(Debug, Clone)]
pub struct CastRow {
    /// `castsource`.
    pub source: Oid,
    /// `casttarget`.
    pub target: Oid,
    /// `castfunc` (0 unless method is Function).
    pub func: Oid,
    /// `castcontext`.
    pub context: CastContext,
    /// `castmethod`.
    pub method: CastMethod,
}

/// All built-in rows with their lookup maps.
pub struct BuiltinCatalog {
    types: HashMap<Oid, TypeRow>,
    type_names: HashMap<String, Oid>,
    procs: HashMap<Oid, ProcRow>,
    proc_names: HashMap<String, Vec<Oid>>,
    operators: HashMap<Oid, OperatorRow>,
    operator_names: HashMap<String, Vec<Oid>>,
    casts: HashMap<(Oid, Oid), CastRow>,
}

/// The process-wide built-in catalog, loaded on first use (about 5 ms).
pub fn builtin() -> &'static BuiltinCatalog {
    static CATALOG: OnceLock<BuiltinCatalog> = OnceLock::new();
    CATALOG.get_or_init(BuiltinCatalog::load)
}

fn oid(field: &Option<String>) -> Oid {
    Oid(field.as_deref().and_then(|s| s.parse().ok()).unwrap_or(0))
}

fn text(field: &Option<String>) -> String {
    field.clone().unwrap_or_default()
}

fn flag(field: &Option<String>) -> bool {
    field.as_deref() == Some("t")
}

fn byte(field: &Option<String>) -> u8 {
    field.as_deref().and_then(|s| s.bytes().next()).unwrap_or(0)
}

impl BuiltinCatalog {
    fn load() -> BuiltinCatalog {
        let mut catalog = BuiltinCatalog {
            types: HashMap::new(),
            type_names: HashMap::new(),
            procs: HashMap::new(),
            proc_names: HashMap::new(),
            operators: HashMap::new(),
            operator_names: HashMap::new(),
            casts: HashMap::new(),
        };
        let t = Table::parse(include_str!("../data/pg_type.tsv"));
        let c = |n| t.col(n);
        let (o, nm, ns, ln, bv, tt, cat, pref, dl, el, ar, bt, coll) = (
            c("oid"),
            c("typname"),
            c("typnamespace"),
            c("typlen"),
            c("typbyval"),
            c("typtype"),
            c("typcategory"),
            c("typispreferred"),
            c("typdelim"),
            c("typelem"),
            c("typarray"),
            c("typbasetype"),
            c("typcollation"),
        );
        for r in &t.rows {
            let row = TypeRow {
                oid: oid(&r[o]),
                name: text(&r[nm]),
                namespace: oid(&r[ns]),
                len: r[ln].as_deref().and_then(|s| s.parse().ok()).unwrap_or(-1),
                byval: flag(&r[bv]),
                typtype: byte(&r[tt]),
                category: byte(&r[cat]),
                preferred: flag(&r[pref]),
                delim: byte(&r[dl]),
                elem: oid(&r[el]),
                array: oid(&r[ar]),
                base_type: oid(&r[bt]),
                collation: oid(&r[coll]),
            };
            catalog.type_names.insert(row.name.clone(), row.oid);
            catalog.types.insert(row.oid, row);
        }

        let t = Table::parse(include_str!("../data/pg_proc.tsv"));
        let c = |n| t.col(n);
        let (
            o,
            nm,
            kind,
            strict,
            retset,
            vol,
            variadic,
            ret,
            args,
            ndef,
            defs,
            names,
            all_args,
            modes,
            src,
        ) = (
            c("oid"),
            c("proname"),
            c("prokind"),
            c("proisstrict"),
            c("proretset"),
            c("provolatile"),
            c("provariadic"),
            c("prorettype"),
            c("proargtypes"),
            c("pronargdefaults"),
            c("proargdefaults"),
            c("proargnames"),
            c("proallargtypes"),
            c("proargmodes"),
            c("prosrc"),
        );
        for r in &t.rows {
            let row = ProcRow {
                oid: oid(&r[o]),
                name: text(&r[nm]),
                kind: byte(&r[kind]),
                strict: flag(&r[strict]),
                retset: flag(&r[retset]),
                volatility: match byte(&r[vol]) {
                    b'i' => Volatility::Immutable,
                    b's' => Volatility::Stable,
                    _ => Volatility::Volatile,
                },
                variadic: oid(&r[variadic]),
                ret_type: oid(&r[ret]),
                arg_types: r[args]
                    .as_deref()
                    .unwrap_or("")
                    .split_whitespace()
                    .map(|s| Oid(s.parse().unwrap_or(0)))
                    .collect(),
                n_arg_defaults: r[ndef].as_deref().and_then(|s| s.parse().ok()).unwrap_or(0),
                arg_defaults: r[defs].as_deref().map(decode_defaults).unwrap_or_default(),
                arg_names: match (r[names].as_deref(), r[all_args].as_deref()) {
                    (Some(list), None) => list
                        .trim_start_matches('{')
                        .trim_end_matches('}')
                        .split(',')
                        .map(|n| n.trim_matches('"').to_string())
                        .collect(),
                    _ => Vec::new(),
                },
                out_columns: out_columns(
                    r[all_args].as_deref(),
                    r[modes].as_deref(),
                    r[names].as_deref(),
                ),
                src: text(&r[src]),
            };
            catalog
                .proc_names
                .entry(row.name.clone())
                .or_default()
                .push(row.oid);
            catalog.procs.insert(row.oid, row);
        }

        let t = Table::parse(include_str!("../data/pg_operator.tsv"));
        let c = |n| t.col(n);
        let (o, nm, kind, left, right, result, code) = (
            c("oid"),
            c("oprname"),
            c("oprkind"),
            c("oprleft"),
            c("oprright"),
            c("oprresult"),
            c("oprcode"),
        );
        for r in &t.rows {
            let code_text = text(&r[code]);
            // regproc prints a unique name, or a schema-qualified one when the name is
            // overloaded (then the argument types pick the function).
            let (left_type, right_type) = (oid(&r[left]), oid(&r[right]));
            let proc = code_text.parse::<u32>().map(Oid).unwrap_or_else(|_| {
                let name = code_text.strip_prefix("pg_catalog.").unwrap_or(&code_text);
                let candidates = catalog.proc_names.get(name);
                let args: Vec<Oid> = [left_type, right_type]
                    .into_iter()
                    .filter(|t| *t != Oid::INVALID)
                    .collect();
                candidates
                    .and_then(|v| {
                        v.iter()
                            .copied()
                            .find(|p| {
                                catalog
                                    .procs
                                    .get(p)
                                    .is_some_and(|row| row.arg_types == args)
                            })
                            .or_else(|| v.first().copied())
                    })
                    .unwrap_or(Oid::INVALID)
            });
            let row = OperatorRow {
                oid: oid(&r[o]),
                name: text(&r[nm]),
                kind: if byte(&r[kind]) == b'l' {
                    OperatorKind::Prefix
                } else {
                    OperatorKind::Binary
                },
                left: oid(&r[left]),
                right: oid(&r[right]),
                result: oid(&r[result]),
                proc,
            };
            catalog
                .operator_names
                .entry(row.name.clone())
                .or_default()
                .push(row.oid);
            catalog.operators.insert(row.oid, row);
        }

        let t = Table::parse(include_str!("../data/pg_cast.tsv"));
        let c = |n| t.col(n);
        let (src, dst, func, ctx, method) = (
            c("castsource"),
            c("casttarget"),
            c("castfunc"),
            c("castcontext"),
            c("castmethod"),
        );
        for r in &t.rows {
            let row = CastRow {
                source: oid(&r[src]),
                target: oid(&r[dst]),
                func: oid(&r[func]),
                context: match byte(&r[ctx]) {
                    b'i' => CastContext::Implicit,
                    b'a' => CastContext::Assignment,
                    _ => CastContext::Explicit,
                },
                method: match byte(&r[method]) {
                    b'f' => CastMethod::Function,
                    b'b' => CastMethod::Binary,
                    _ => CastMethod::InOut,
                },
            };
            catalog.casts.insert((row.source, row.target), row);
        }
        catalog
    }

    /// A type by OID.
    pub fn type_by_oid(&self, oid: Oid) -> Option<&TypeRow> {
        self.types.get(&oid)
    }

    /// A type by its `typname` (exact, as stored: `int4`, `_int4`, `timestamptz`).
    pub fn types_by_name(&self, name: &str) -> Option<&TypeRow> {
        self.type_names.get(name).and_then(|o| self.types.get(o))
    }

    /// A function by OID.
    pub fn proc_by_oid(&self, oid: Oid) -> Option<&ProcRow> {
        self.procs.get(&oid)
    }

    /// Every built-in function, in no particular order.
    pub fn procs(&self) -> impl Iterator<Item = &ProcRow> {
        self.procs.values()
    }

    /// All functions with the given `proname`.
    pub fn procs_by_name(&self, name: &str) -> impl Iterator<Item = &ProcRow> {
        self.proc_names
            .get(name)
            .into_iter()
            .flatten()
            .filter_map(|o| self.procs.get(o))
    }

    /// An operator by OID.
    pub fn operator_by_oid(&self, oid: Oid) -> Option<&OperatorRow> {
        self.operators.get(&oid)
    }

    /// All operators with the given `oprname`.
    pub fn operators_by_name(&self, name: &str) -> impl Iterator<Item = &OperatorRow> {
        self.operator_names
            .get(name)
            .into_iter()
            .flatten()
            .filter_map(|o| self.operators.get(o))
    }

    /// The `pg_cast` row from `source` to `target`, if any.
    pub fn cast(&self, source: Oid, target: Oid) -> Option<&CastRow> {
        self.casts.get(&(source, target))
    }
}

/// The OUT/TABLE columns from `proallargtypes`, `proargmodes` and `proargnames` (array
/// literals such as `{3802,25,3802}`, `{i,o,o}`, `{from_json,key,value}`).
fn out_columns(
    types: Option<&str>,
    modes: Option<&str>,
    names: Option<&str>,
) -> Vec<(String, Oid)> {
    let list = |s: &str| -> Vec<String> {
        s.trim_start_matches('{')
            .trim_end_matches('}')
            .split(',')
            .map(|x| x.trim_matches('"').to_string())
            .collect()
    };
    let (Some(types), Some(modes)) = (types, modes) else {
        return Vec::new();
    };
    let types = list(types);
    let modes = list(modes);
    let names = names.map(list).unwrap_or_default();
    types
        .iter()
        .zip(&modes)
        .enumerate()
        .filter(|(_, (_, m))| matches!(m.as_str(), "o" | "b" | "t"))
        .map(|(i, (t, _))| {
            (
                names
                    .get(i)
                    .cloned()
                    .unwrap_or_else(|| format!("column{}", i + 1)),
                Oid(t.parse().unwrap_or(0)),
            )
        })
        .collect()
}

/// Decodes `proargdefaults` (a list of `{CONST ...}` node trees) into values: by-value
/// `bool`, `int2`, `int4`, `int8`, `float8` and `text` constants (NULL included), the
/// empty `jsonb` object (the `vars` of the SQL/JSON path functions), and
/// implicit casts of integer or numeric-zero constants to `bigint`/`float8`. Any other
/// node gives an empty list (the defaults are then not offered).
fn decode_defaults(tree: &str) -> Vec<tusk_types::Datum> {
    use tusk_types::Datum;
    let mut out = Vec::new();
    let mut rest = tree.trim().trim_start_matches('(').trim_end_matches(')');
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}').map(|e| start + e) else {
            return Vec::new();
        };
        let mut node = &rest[start + 1..end];
        rest = &rest[end + 1..];
        // An implicit cast of a constant (`0.0` for a float8 argument is numeric 0 cast to
        // float8): the cast's result type and the inner constant.
        let mut cast_to: Option<u32> = None;
        if node.starts_with("FUNCEXPR ") {
            let result = node
                .find(":funcresulttype ")
                .and_then(|at| node[at + 16..].split_whitespace().next())
                .and_then(|t| t.parse::<u32>().ok());
            match (result, node.find("{CONST ")) {
                (Some(t), Some(inner)) => {
                    cast_to = Some(t);
                    node = &node[inner + 1..];
                }
                _ => return Vec::new(),
            }
        }
        if !node.starts_with("CONST ") {
            return Vec::new();
        }
        let field = |name: &str| -> Option<&str> {
            let at = node.find(&format!(":{name} "))? + name.len() + 2;
            node[at..].split_whitespace().next()
        };
        let Some(type_oid) = field("consttype").and_then(|t| t.parse::<u32>().ok()) else {
            return Vec::new();
        };
        if field("constisnull") == Some("true") {
            out.push(Datum::Null);
            continue;
        }
        let bytes: Vec<u8> = match node.find('[') {
            Some(open) => node[open + 1..]
                .trim_end_matches(']')
                .split_whitespace()
                .filter_map(|b| b.trim_end_matches(']').parse::<i16>().ok())
                .map(|b| b as u8)
                .collect(),
            None => return Vec::new(),
        };
        let le = |n: usize| -> Option<[u8; 8]> {
            let mut b = [0u8; 8];
            b[..n].copy_from_slice(bytes.get(..n)?);
            Some(b)
        };
        let value = match type_oid {
            16 => bytes.first().map(|b| Datum::Bool(*b != 0)),
            21 => le(2).map(|b| Datum::Int2(i16::from_le_bytes([b[0], b[1]]))),
            23 => le(4).map(|b| Datum::Int4(i32::from_le_bytes([b[0], b[1], b[2], b[3]]))),
            20 => le(8).map(|b| Datum::Int8(i64::from_le_bytes(b))),
            701 => le(8).map(|b| Datum::Float8(f64::from_le_bytes(b))),
            25 => varlena_text(&bytes).map(Datum::Text),
            // jsonb '{}': a 4-byte varlena header, then an object container of no pairs.
            3802 if bytes == [32, 0, 0, 0, 0, 0, 0, 32] => Some(Datum::Text("{}".to_string())),
            // numeric zero: a varlena whose body is the 2-byte short header alone.
            1700 if cast_to.is_some() && bytes.len() == 6 && bytes[0] == 24 => Some(Datum::Int8(0)),
            _ => None,
        };
        let value = match (cast_to, value) {
            (None, v) => v,
            (Some(20), Some(Datum::Int4(v))) => Some(Datum::Int8(i64::from(v))),
            (Some(20), Some(Datum::Int8(v))) => Some(Datum::Int8(v)),
            (Some(701), Some(Datum::Int4(v))) => Some(Datum::Float8(f64::from(v))),
            (Some(701), Some(Datum::Int8(v))) => Some(Datum::Float8(v as f64)),
            _ => None,
        };
        match value {
            Some(v) => out.push(v),
            None => return Vec::new(),
        }
    }
    out
}

/// The text of a varlena datum as a node tree prints it (4-byte or 1-byte header).
fn varlena_text(bytes: &[u8]) -> Option<String> {
    let first = *bytes.first()?;
    let body = if first & 1 == 1 {
        let len = (first >> 1) as usize;
        bytes.get(1..len)?
    } else {
        let header = u32::from_le_bytes(bytes.get(..4)?.try_into().ok()?);
        let len = (header >> 2) as usize;
        bytes.get(4..len)?
    };
    String::from_utf8(body.to_vec()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_postgres_facts() {
        let c = builtin();
        let int4 = c.types_by_name("int4").expect("int4");
        assert_eq!(int4.oid, Oid(23));
        assert_eq!(int4.category, b'N');
        assert_eq!(int4.array, Oid(1007));
        let plus = c
            .operators_by_name("+")
            .find(|o| o.left == Oid(23) && o.right == Oid(23))
            .expect("int4 + int4");
        assert_eq!(plus.result, Oid(23));
        assert_eq!(c.proc_by_oid(plus.proc).expect("int4pl").src, "int4pl");
        let cast = c.cast(Oid(23), Oid(20)).expect("int4 -> int8");
        assert_eq!(cast.context, CastContext::Implicit);
        assert!(c.procs_by_name("now").any(|p| p.ret_type == Oid(1184)));
    }

    #[test]
    fn argument_defaults_are_decoded() {
        let set = builtin()
            .proc_by_oid(Oid(3305))
            .expect("jsonb_set(jsonb, text[], jsonb, boolean)");
        assert_eq!(set.arg_defaults, vec![tusk_types::Datum::Bool(true)]);
        let interval = builtin().proc_by_oid(Oid(3464)).expect("make_interval");
        assert_eq!(interval.arg_defaults.len(), 7);
        assert_eq!(interval.arg_defaults[6], tusk_types::Datum::Float8(0.0));
    }
}
