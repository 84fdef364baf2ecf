//! CREATE TYPE ... AS RANGE (PostgreSQL's `DefineRange`): the range type's `pg_type` row
//! (`typtype` `r`), its multirange type (`m`), both array types, the `pg_range` row and
//! the constructor functions (`name(lower, upper [, bounds])`, `multiname()`,
//! `multiname(range)`, `multiname(VARIADIC range[])`), which are `LANGUAGE internal`
//! functions over the built-in range and multirange constructors. DROP TYPE of the range
//! type removes all of them (`drop_range_rows`).
//!
//! Rules:
//! 1. The subtype's values must compare without a collation other than the bytewise C
//!    order tusk uses for text, so the subtypes are those
//!    `tusk_types::adt::range::user_range_subtype_supported` lists; others are 0A000.
//! 2. Subtypes whose values tusk's ranges treat as discrete (`integer`, `bigint`, `date`)
//!    would need a canonical function to behave as PostgreSQL does without one: 0A000.
//! 3. A canonical function needs a shell type, which tusk lacks: PostgreSQL's 42P17.
//!
//! Entry points: [`Session::create_range`], [`Session::drop_range_rows`].

use tusk_catalog::syscat::{self, CatalogRow};
use tusk_sql::analyze::Analyzer;
use tusk_sql::ast_type::RangeParam;
use tusk_types::adt::array::Array;
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result};

use super::enum_ddl::{proc_oid, split_name};
use super::function_catalog::{pg_proc, LANG_INTERNAL};
use super::lookup::SessionLookup;
use super::Session;
use crate::user_types as catalog_types;

/// `pg_range`'s OID.
const PG_RANGE: Oid = Oid(3541);

/// PostgreSQL's `NAMEDATALEN - 1`.
const MAX_NAME_BYTES: usize = 63;

fn truncate(name: &str) -> String {
    let mut end = name.len().min(MAX_NAME_BYTES);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    name[..end].to_string()
}

/// PostgreSQL's `makeMultirangeTypeName`: `range` becomes `multirange` at its first
/// occurrence, else `_multirange` is appended.
pub(crate) fn multirange_type_name(range_name: &str) -> String {
    match range_name.find("range") {
        Some(at) => truncate(&format!("{}multi{}", &range_name[..at], &range_name[at..])),
        None => truncate(&format!("{range_name}_multirange")),
    }
}

/// The parameters of one CREATE TYPE ... AS RANGE, each given at most once.
#[derive(Default)]
struct RangeParams<'a> {
    subtype: Option<&'a RangeParam>,
    subtype_opclass: Option<&'a RangeParam>,
    collation: Option<&'a RangeParam>,
    canonical: Option<&'a RangeParam>,
    subtype_diff: Option<&'a RangeParam>,
    multirange_type_name: Option<&'a RangeParam>,
}

impl<'a> RangeParams<'a> {
    /// Errors: 42601 `type attribute "x" not recognized`; 42601 `conflicting or
    /// redundant options`.
    fn parse(params: &'a [RangeParam]) -> Result<RangeParams<'a>> {
        let mut out = RangeParams::default();
        for p in params {
            let slot = match p.name.as_str() {
                "subtype" => &mut out.subtype,
                "subtype_opclass" => &mut out.subtype_opclass,
                "collation" => &mut out.collation,
                "canonical" => &mut out.canonical,
                "subtype_diff" => &mut out.subtype_diff,
                "multirange_type_name" => &mut out.multirange_type_name,
                other => {
                    return Err(pg_err!(
                        SYNTAX_ERROR,
                        "type attribute \"{}\" not recognized",
                        other
                    ))
                }
            };
            if slot.is_some() {
                return Err(pg_err!(SYNTAX_ERROR, "conflicting or redundant options"));
            }
            *slot = Some(p);
        }
        Ok(out)
    }
}

/// One constructor function of a new range or multirange type.
struct Constructor<'a> {
    name: &'a str,
    namespace: Oid,
    /// The built-in implementation (`prosrc`).
    src: &'static str,
    args: Vec<Oid>,
    ret: Oid,
    /// `provariadic`: the element type of a `VARIADIC` last argument, else 0.
    variadic: Oid,
    strict: bool,
}

/// An OID array value (`proallargtypes`).
fn oid_array(values: &[Oid]) -> Datum {
    let elems: Vec<Datum> = values.iter().map(|t| Datum::Oid(t.0)).collect();
    Datum::Array(Box::new(Array::from_elements(type_oid::OID, elems)))
}

impl Session {
    /// `CREATE TYPE name AS RANGE (SUBTYPE = t [, ...])`.
    ///
    /// Errors: 42710 `type "x" already exists` (with PostgreSQL's detail and hint for a
    /// derived multirange name); 42601 for unknown or repeated attributes; 42P17 `type
    /// attribute "subtype" is required`, `range subtype cannot be x`, `cannot specify a
    /// canonical function without a pre-created shell type`; 42809 `range collation
    /// specified but subtype does not support collation`; 42883 for an unknown
    /// `subtype_diff`; 42P17 for a diff function not returning `double precision`; 0A000
    /// for the subtypes rules 1 and 2 exclude and for `subtype_opclass`.
    pub(crate) fn create_range(&mut self, names: &[String], params: &[RangeParam]) -> Result<()> {
        let (schema, name) = split_name(names);
        let (namespace, _) = self.checked_creation_namespace(schema)?;
        self.check_type_name_free(namespace, name)?;
        let params = RangeParams::parse(params)?;
        let Some(subtype_param) = params.subtype else {
            return Err(pg_err!(
                INVALID_OBJECT_DEFINITION,
                "type attribute \"subtype\" is required"
            ));
        };
        let subtype = self.range_param_type(subtype_param)?;
        let subtype_info = tusk_catalog::builtin().type_by_oid(subtype);
        if subtype_info.is_some_and(|t| t.typtype == b'p') {
            return Err(pg_err!(
                INVALID_OBJECT_DEFINITION,
                "range subtype cannot be {}",
                self.format_type(subtype)
            ));
        }
        let default_collation = subtype_info.map_or(Oid::INVALID, |t| t.collation);
        if params.collation.is_some() && default_collation == Oid::INVALID {
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "range collation specified but subtype does not support collation"
            ));
        }
        let collation = match params.collation {
            None => default_collation,
            Some(p) => self.range_collation(p)?,
        };
        if params.canonical.is_some() {
            return Err(pg_err!(
                INVALID_OBJECT_DEFINITION,
                "cannot specify a canonical function without a pre-created shell type"
            )
            .hint("Create the type as a shell type, then create its canonicalization function, then do a full CREATE TYPE."));
        }
        if params.subtype_opclass.is_some() {
            return Err(Error::feature_not_supported(
                "CREATE TYPE ... AS RANGE with subtype_opclass",
            ));
        }
        if matches!(subtype, type_oid::INT4 | type_oid::INT8 | type_oid::DATE) {
            return Err(Error::feature_not_supported(format!(
                "range types over {} without a canonical function",
                self.format_type(subtype)
            )));
        }
        if !tusk_types::adt::range::user_range_subtype_supported(subtype) {
            return Err(Error::feature_not_supported(format!(
                "range types over {}",
                self.format_type(subtype)
            )));
        }
        let opclass = super::index_ddl::default_btree_opclass(subtype);
        let diff = match params.subtype_diff {
            None => Oid::INVALID,
            Some(p) => self.range_subtype_diff(p, subtype)?,
        };
        let (multirange_namespace, multirange_name, derived) = match params.multirange_type_name {
            Some(p) => {
                let names = p.names();
                let (s, n) = split_name(&names);
                let (ns, _) = self.catalog_reader().creation_namespace(s)?;
                (ns, n.to_string(), false)
            }
            None => (namespace, multirange_type_name(name), true),
        };
        if let Err(e) = self.check_type_name_free(multirange_namespace, &multirange_name) {
            return Err(if derived {
                e.detail(format!(
                    "Failed while creating a multirange type for type \"{name}\"."
                ))
                .hint("You can manually specify a multirange type name using the \"multirange_type_name\" attribute.")
            } else {
                e
            });
        }
        let range_array_name = self.free_array_name(namespace, name)?;
        let multirange_array_name = self.free_array_name(multirange_namespace, &multirange_name)?;

        let cluster = self.db.cluster.clone();
        let next_oid = || cluster.xact.oids.next_oid(&cluster.wal);
        let (range_oid, range_array) = (next_oid(), next_oid());
        let (multirange_oid, multirange_array) = (next_oid(), next_oid());
        let owner = self.role_oid(&self.user.clone())?;
        let align = if matches!(
            subtype,
            type_oid::FLOAT8 | type_oid::TIMESTAMP | type_oid::TIMESTAMPTZ | type_oid::TIME
        ) {
            "d"
        } else {
            "i"
        };
        let pg_type = syscat::system_catalog(syscat::PG_TYPE).expect("pg_type");
        let row = |oid: Oid, ns: Oid, type_name: &str, typtype: &str, category: &str| {
            CatalogRow::new(pg_type)
                .set("oid", Datum::Oid(oid.0))
                .set("typname", Datum::Text(type_name.to_string()))
                .set("typnamespace", Datum::Oid(ns.0))
                .set("typowner", Datum::Oid(owner.0))
                .set("typlen", Datum::Int2(-1))
                .set("typbyval", Datum::Bool(false))
                .set("typtype", Datum::Text(typtype.into()))
                .set("typcategory", Datum::Text(category.into()))
                .set("typisdefined", Datum::Bool(true))
                .set("typdelim", Datum::Text(",".into()))
                .set("typalign", Datum::Text(align.into()))
                .set("typstorage", Datum::Text("x".into()))
                .set("typtypmod", Datum::Int4(-1))
        };
        let array_row = |oid: Oid, ns: Oid, type_name: &str, elem: Oid| {
            super::enum_ddl::array_type_columns(row(oid, ns, type_name, "b", "A"), elem)
        };
        self.insert_catalog_row(
            row(range_oid, namespace, name, "r", "R")
                .set("typarray", Datum::Oid(range_array.0))
                .set("typinput", proc_oid("range_in"))
                .set("typoutput", proc_oid("range_out"))
                .set("typreceive", proc_oid("range_recv"))
                .set("typsend", proc_oid("range_send"))
                .set("typanalyze", proc_oid("range_typanalyze")),
        )?;
        self.insert_catalog_row(array_row(
            range_array,
            namespace,
            &range_array_name,
            range_oid,
        ))?;
        self.insert_catalog_row(
            row(
                multirange_oid,
                multirange_namespace,
                &multirange_name,
                "m",
                "R",
            )
            .set("typarray", Datum::Oid(multirange_array.0))
            .set("typinput", proc_oid("multirange_in"))
            .set("typoutput", proc_oid("multirange_out"))
            .set("typreceive", proc_oid("multirange_recv"))
            .set("typsend", proc_oid("multirange_send"))
            .set("typanalyze", proc_oid("multirange_typanalyze")),
        )?;
        self.insert_catalog_row(array_row(
            multirange_array,
            multirange_namespace,
            &multirange_array_name,
            multirange_oid,
        ))?;
        let pg_range = syscat::system_catalog(PG_RANGE).expect("pg_range");
        self.insert_catalog_row(
            CatalogRow::new(pg_range)
                .set("rngtypid", Datum::Oid(range_oid.0))
                .set("rngsubtype", Datum::Oid(subtype.0))
                .set("rngmultitypid", Datum::Oid(multirange_oid.0))
                .set("rngcollation", Datum::Oid(collation.0))
                .set("rngsubopc", Datum::Oid(opclass.0))
                .set("rngcanonical", Datum::Oid(0))
                .set("rngsubdiff", Datum::Oid(diff.0)),
        )?;
        for (object, referenced) in [
            (range_array, range_oid),
            (multirange_oid, range_oid),
            (multirange_array, multirange_oid),
        ] {
            self.insert_depend_row(syscat::PG_TYPE, object, syscat::PG_TYPE, referenced, b'i')?;
        }
        let range_constructor = |src, args| Constructor {
            name,
            namespace,
            src,
            args,
            ret: range_oid,
            variadic: Oid::INVALID,
            strict: false,
        };
        let multirange_constructor = |src, args, variadic| Constructor {
            name: &multirange_name,
            namespace: multirange_namespace,
            src,
            args,
            ret: multirange_oid,
            variadic,
            strict: true,
        };
        let constructors = [
            range_constructor("range_constructor2", vec![subtype, subtype]),
            range_constructor("range_constructor3", vec![subtype, subtype, type_oid::TEXT]),
            multirange_constructor("multirange_constructor0", vec![], Oid::INVALID),
            multirange_constructor("multirange_constructor1", vec![range_oid], Oid::INVALID),
            multirange_constructor("multirange_constructor2", vec![range_array], range_oid),
        ];
        for Constructor {
            name: proname,
            namespace: ns,
            src,
            args,
            ret,
            variadic,
            strict,
        } in constructors
        {
            let oid = next_oid();
            let variadic_args = variadic != Oid::INVALID;
            self.insert_catalog_row(
                CatalogRow::new(pg_proc())
                    .set("oid", Datum::Oid(oid.0))
                    .set("proname", Datum::Text(proname.to_string()))
                    .set("pronamespace", Datum::Oid(ns.0))
                    .set("proowner", Datum::Oid(owner.0))
                    .set("prolang", Datum::Oid(LANG_INTERNAL.0))
                    .set("procost", Datum::Float4(1.0))
                    .set("prorows", Datum::Float4(0.0))
                    .set("provariadic", Datum::Oid(variadic.0))
                    .set("prosupport", Datum::Oid(0))
                    .set("prokind", Datum::Text("f".into()))
                    .set("prosecdef", Datum::Bool(false))
                    .set("proleakproof", Datum::Bool(false))
                    .set("proisstrict", Datum::Bool(strict))
                    .set("proretset", Datum::Bool(false))
                    .set("provolatile", Datum::Text("i".into()))
                    .set("proparallel", Datum::Text("s".into()))
                    .set("pronargs", Datum::Int2(args.len() as i16))
                    .set("pronargdefaults", Datum::Int2(0))
                    .set("prorettype", Datum::Oid(ret.0))
                    .set("proargtypes", super::index_ddl::oidvector(args.clone()))
                    .set(
                        "proallargtypes",
                        if variadic_args {
                            oid_array(&args)
                        } else {
                            Datum::Null
                        },
                    )
                    .set(
                        "proargmodes",
                        if variadic_args {
                            Datum::Array(Box::new(Array::from_elements(
                                type_oid::CHAR,
                                vec![Datum::Text("v".into())],
                            )))
                        } else {
                            Datum::Null
                        },
                    )
                    .set("proargnames", Datum::Null)
                    .set("proargdefaults", Datum::Null)
                    .set("protrftypes", Datum::Null)
                    .set("prosrc", Datum::Text(src.to_string()))
                    .set("probin", Datum::Null)
                    .set("prosqlbody", Datum::Null)
                    .set("proconfig", Datum::Null)
                    .set("proacl", Datum::Null),
            )?;
            self.insert_depend_row(syscat::PG_PROC, oid, syscat::PG_TYPE, ret, b'i')?;
        }
        Ok(())
    }

    /// The type a range attribute names.
    fn range_param_type(&self, p: &RangeParam) -> Result<Oid> {
        let Some(type_name) = &p.type_name else {
            return Err(pg_err!(
                SYNTAX_ERROR,
                "invalid value for type attribute \"{}\"",
                p.name
            ));
        };
        let reader = self.catalog_reader();
        let lookup = SessionLookup {
            builtin: tusk_executor::BuiltinLookup {
                settings: &self.output,
            },
            catalog: &reader,
        };
        let mut analyzer = Analyzer::new(&lookup, "", Vec::new());
        analyzer
            .resolve_type_name(type_name)
            .map(|(t, _)| t)
            .map_err(|mut e| {
                e.position = None;
                e
            })
    }

    /// The collation `collation = name` names (42704 when there is none).
    fn range_collation(&self, p: &RangeParam) -> Result<Oid> {
        let names = p.names();
        let name = names.last().cloned().unwrap_or_default();
        let reader = self.catalog_reader();
        let collations = syscat::system_catalog_by_name("pg_collation")
            .ok_or_else(|| Error::internal("pg_collation is not a system catalog"))?;
        let rows = reader.rows(collations)?;
        let c_name = collations.col("collname");
        let c_oid = collations.col("oid");
        rows.iter()
            .find(|r| matches!(&r[c_name], Datum::Text(n) if *n == name))
            .and_then(|r| match r[c_oid] {
                Datum::Oid(o) => Some(Oid(o)),
                _ => None,
            })
            .ok_or_else(|| {
                pg_err!(
                    UNDEFINED_OBJECT,
                    "collation \"{}\" for encoding \"UTF8\" does not exist",
                    name
                )
            })
    }

    /// `subtype_diff = f`: a built-in `f(subtype, subtype)` returning `double precision`
    /// (`findRangeSubtypeDiffFunction`).
    fn range_subtype_diff(&self, p: &RangeParam, subtype: Oid) -> Result<Oid> {
        let names = p.names();
        let name = names.last().cloned().unwrap_or_default();
        let found = tusk_catalog::builtin()
            .procs_by_name(&name)
            .find(|f| f.arg_types == [subtype, subtype]);
        let Some(f) = found else {
            return Err(pg_err!(
                UNDEFINED_FUNCTION,
                "function {}({}, {}) does not exist",
                name,
                self.format_type(subtype),
                self.format_type(subtype)
            ));
        };
        if f.ret_type != type_oid::FLOAT8 {
            return Err(pg_err!(
                INVALID_OBJECT_DEFINITION,
                "range subtype diff function {}({}, {}) must return type double precision",
                name,
                self.format_type(subtype),
                self.format_type(subtype)
            ));
        }
        Ok(f.oid)
    }

    /// PostgreSQL's `makeArrayTypeName`: `_name`, with more underscores while taken.
    fn free_array_name(&self, namespace: Oid, name: &str) -> Result<String> {
        let mut candidate = format!("_{name}");
        loop {
            let candidate_name = truncate(&candidate);
            if self
                .check_type_name_free(namespace, &candidate_name)
                .is_ok()
            {
                return Ok(candidate_name);
            }
            if candidate.len() > MAX_NAME_BYTES {
                return Err(pg_err!(
                    DUPLICATE_OBJECT,
                    "could not form array type name for type \"{}\"",
                    name
                ));
            }
            candidate.insert(0, '_');
        }
    }

    /// The name of the range type whose multirange type is `multirange`.
    ///
    /// Errors: catalog read errors.
    pub(crate) fn multirange_owner(&self, multirange: Oid) -> Result<String> {
        let range = catalog_types::user_ranges(&self.catalog_reader())?
            .into_iter()
            .find(|(_, _, m)| *m == multirange)
            .map(|(r, _, _)| r);
        Ok(match range {
            Some(r) => self.format_type(r),
            None => self.format_type(multirange),
        })
    }

    /// Removes a range type's rows: its multirange type, both array types, the
    /// `pg_range` row, the constructors and the dependency rows between them.
    ///
    /// Errors: catalog read and write errors.
    pub(crate) fn drop_range_rows(&mut self, range: &catalog_types::UserTypeRow) -> Result<()> {
        let pg_range = syscat::system_catalog(PG_RANGE).expect("pg_range");
        let (c_range, c_multi) = (pg_range.col("rngtypid"), pg_range.col("rngmultitypid"));
        let multirange = {
            let reader = self.catalog_reader();
            let rows = reader.rows(pg_range)?;
            rows.iter()
                .find(|r| r[c_range] == Datum::Oid(range.oid.0))
                .and_then(|r| match r[c_multi] {
                    Datum::Oid(o) => Some(Oid(o)),
                    _ => None,
                })
        };
        let multirange_array = match multirange {
            Some(m) => catalog_types::user_type(&self.catalog_reader(), m)?
                .map_or(Oid::INVALID, |t| t.array),
            None => Oid::INVALID,
        };
        let types: Vec<Datum> = [range.oid, range.array]
            .into_iter()
            .chain(multirange)
            .chain(Some(multirange_array).filter(|o| *o != Oid::INVALID))
            .map(|o| Datum::Oid(o.0))
            .collect();
        let pg_type = syscat::system_catalog(syscat::PG_TYPE).expect("pg_type");
        let c_type = pg_type.col("oid");
        let doomed = types.clone();
        self.delete_catalog_rows(syscat::PG_TYPE, move |r| doomed.contains(&r[c_type]))?;
        let key = Datum::Oid(range.oid.0);
        self.delete_catalog_rows(PG_RANGE, move |r| r[c_range] == key)?;
        let proc = pg_proc();
        let (c_proc, c_ret) = (proc.col("oid"), proc.col("prorettype"));
        let constructors: Vec<Datum> = {
            let reader = self.catalog_reader();
            let rows = reader.rows(proc)?;
            rows.iter()
                .filter(|r| types.contains(&r[c_ret]))
                .map(|r| r[c_proc].clone())
                .collect()
        };
        let doomed = constructors.clone();
        self.delete_catalog_rows(syscat::PG_PROC, move |r| doomed.contains(&r[c_proc]))?;
        let depend = syscat::system_catalog(syscat::PG_DEPEND).expect("pg_depend");
        let (c_class, c_obj) = (depend.col("classid"), depend.col("objid"));
        let (proc_class, type_class) =
            (Datum::Oid(syscat::PG_PROC.0), Datum::Oid(syscat::PG_TYPE.0));
        self.delete_catalog_rows(syscat::PG_DEPEND, move |r| {
            (r[c_class] == proc_class && constructors.contains(&r[c_obj]))
                || (r[c_class] == type_class && types.contains(&r[c_obj]))
        })?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::multirange_type_name;

    #[test]
    fn multirange_names_are_derived_as_postgres_does() {
        assert_eq!(multirange_type_name("textrange"), "textmultirange");
        assert_eq!(multirange_type_name("rangeish"), "multirangeish");
        assert_eq!(multirange_type_name("intr"), "intr_multirange");
        assert_eq!(multirange_type_name("textrange1"), "textmultirange1");
        assert_eq!(multirange_type_name(&"a".repeat(63)).len(), 63);
    }
}
