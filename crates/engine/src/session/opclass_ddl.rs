//! `CREATE | ALTER | DROP OPERATOR FAMILY` and `CREATE | DROP OPERATOR CLASS`
//! (PostgreSQL's `DefineOpFamily`, `DefineOpClass`, `AlterOpFamily`, `RemoveObjects`):
//! `pg_opfamily`, `pg_opclass`, `pg_amop` and `pg_amproc` rows.
//!
//! Rules:
//! 1. Only superusers create or alter operator families and classes (42501).
//! 2. Strategy numbers run from 1 to the access method's `amstrategies` (any positive
//!    number when it has none), support numbers from 1 to its `amsupport`.
//! 3. Members are checked as PostgreSQL's `assignOperTypes` / `assignProcTypes` check
//!    them: search operators return boolean, btree comparison functions take two
//!    arguments and return integer, hash functions take one (or two) and return integer
//!    (or bigint), and other support functions of methods other than btree and hash need
//!    their associated types written.
//! 4. A class without `FAMILY` joins the family of its own name and method in its schema,
//!    created with it if there is none; dropping a family drops its classes and members.
//! 5. Index creation resolves operator classes among the built-in ones only, so a
//!    user-defined class or family is catalog data here: an index naming one is refused
//!    with 0A000 ([`Session::index_opclass`]).
//!
//! Entry point: [`Session::opclass_statement`].

use tusk_catalog::syscat::{self, CatalogRow, SysCatalog};
use tusk_executor::BuiltinLookup;
use tusk_sql::analyze::Analyzer;
use tusk_sql::ast::TypeName;
use tusk_sql::ast_function::FunctionName;
use tusk_sql::ast_opclass::{OpClassItem, OpClassStmt};
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result, SqlState};

use super::alter_object::signature;
use super::function_catalog;
use super::lookup::SessionLookup;
use super::Session;
use crate::sink::{NoticeSeverity, Sink};

fn oid_of(d: &Datum) -> Oid {
    match d {
        Datum::Oid(o) => Oid(*o),
        _ => Oid::INVALID,
    }
}

fn catalog(name: &str) -> &'static SysCatalog {
    syscat::system_catalog_by_name(name).expect("a system catalog")
}

/// An access method's name, OID, `amstrategies`, `amsupport` and `amoptsprocnum`
/// (PostgreSQL 15's handlers' values), and whether it can order by operators.
struct AccessMethod {
    name: String,
    oid: Oid,
    strategies: i32,
    support: i32,
    options_proc: i32,
    order_by_operators: bool,
}

fn am_limits(name: &str) -> (i32, i32, i32, bool) {
    match name {
        "btree" => (5, 5, 5, false),
        "hash" => (1, 3, 3, false),
        "gist" => (0, 11, 10, true),
        "gin" => (0, 7, 7, false),
        "spgist" => (0, 6, 6, true),
        "brin" => (0, 15, 5, false),
        _ => (0, 0, 0, false),
    }
}

/// `internal`.
const INTERNAL: Oid = Oid(2281);

fn shown_type(t: Oid) -> String {
    tusk_executor::io::format_type(t)
}

/// One member being added: a strategy operator or a support function.
struct Member {
    operator: bool,
    number: i32,
    object: Oid,
    left: Oid,
    right: Oid,
    order_family: Oid,
}

impl Session {
    /// Runs an operator family or class statement.
    ///
    /// Errors: see the functions below; 25006 in a read-only transaction.
    pub(crate) fn opclass_statement(
        &mut self,
        stmt: &OpClassStmt,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        match stmt {
            OpClassStmt::CreateFamily { name, method } => {
                self.read_only_check("CREATE OPERATOR FAMILY")?;
                let (schema, family) = super::enum_ddl::split_name(name);
                let (ns, _) = self.catalog_reader().creation_namespace(schema)?;
                self.check_creation_namespace(ns)?;
                self.require_superuser("must be superuser to create an operator family")?;
                let am = self.opclass_method(method)?;
                if self.find_family(ns, family, am.oid)?.is_some() {
                    return Err(pg_err!(
                        DUPLICATE_OBJECT,
                        "operator family \"{}\" for access method \"{}\" already exists",
                        family,
                        am.name
                    ));
                }
                self.insert_family(ns, family, am.oid)?;
                Ok("CREATE OPERATOR FAMILY".into())
            }
            OpClassStmt::CreateClass {
                name,
                method,
                default,
                for_type,
                family,
                items,
            } => {
                self.read_only_check("CREATE OPERATOR CLASS")?;
                self.create_opclass(name, method, *default, for_type.as_ref(), family, items)?;
                Ok("CREATE OPERATOR CLASS".into())
            }
            OpClassStmt::AlterFamily {
                name,
                method,
                drop,
                items,
            } => {
                self.read_only_check("ALTER OPERATOR FAMILY")?;
                self.alter_opfamily(name, method, *drop, items)?;
                Ok("ALTER OPERATOR FAMILY".into())
            }
            OpClassStmt::AlterOperatorSet {
                name,
                left,
                right,
                options,
            } => {
                self.read_only_check("ALTER OPERATOR")?;
                self.alter_operator_set(name, left.as_ref(), right.as_ref(), options)?;
                Ok("ALTER OPERATOR".into())
            }
            OpClassStmt::DropOperator {
                operators,
                missing_ok,
            } => {
                self.read_only_check("DROP OPERATOR")?;
                for (name, left, right) in operators {
                    self.drop_operator(name, left.as_ref(), right.as_ref(), *missing_ok, sink)?;
                }
                Ok("DROP OPERATOR".into())
            }
            OpClassStmt::Drop {
                class,
                objects,
                missing_ok,
                cascade: _,
            } => {
                let (tag, noun) = if *class {
                    ("DROP OPERATOR CLASS", "operator class")
                } else {
                    ("DROP OPERATOR FAMILY", "operator family")
                };
                self.read_only_check(tag)?;
                for (name, method) in objects {
                    // A missing access method is an error even with IF EXISTS.
                    let am = self.opclass_method(method)?;
                    let found = if *class {
                        self.lookup_in_path("pg_opclass", "opc", name, am.oid)?
                    } else {
                        self.lookup_in_path("pg_opfamily", "opf", name, am.oid)?
                    };
                    let Some((oid, owner)) = found else {
                        let message = format!(
                            "{noun} \"{}\" does not exist for access method \"{}\"",
                            name.join("."),
                            am.name
                        );
                        if *missing_ok {
                            sink.notice(
                                NoticeSeverity::Notice,
                                &notice(&format!("{message}, skipping")),
                            );
                            continue;
                        }
                        return Err(Error::new(SqlState::UNDEFINED_OBJECT, message));
                    };
                    // DROP names the object with its access method (`btree.f`).
                    self.check_opclass_owner(
                        owner,
                        noun,
                        &format!("{}.{}", am.name, name.join(".")),
                    )?;
                    if *class {
                        self.remove_object_rows(catalog("pg_opclass"), oid)?;
                    } else {
                        self.drop_family_rows(oid)?;
                    }
                }
                Ok(tag.into())
            }
        }
    }

    /// The B-tree operator class `name` for an index column of type `column_type`
    /// (rule 5).
    ///
    /// Errors: those of [`super::index_ddl::resolve_btree_opclass`]; 0A000 for a class
    /// made by `CREATE OPERATOR CLASS`.
    pub(crate) fn index_opclass(&self, name: &str, column_type: Oid) -> Result<Oid> {
        match super::index_ddl::resolve_btree_opclass(name, column_type) {
            Err(e) if e.code == SqlState::UNDEFINED_OBJECT => {
                let btree = self.access_method("btree")?;
                if self
                    .lookup_in_path("pg_opclass", "opc", &[name.to_string()], btree)?
                    .is_some()
                {
                    return Err(Error::new(
                        SqlState::FEATURE_NOT_SUPPORTED,
                        format!(
                            "operator class \"{name}\" cannot be used in an index: indexes \
                             with operator classes made by CREATE OPERATOR CLASS are not \
                             supported"
                        ),
                    ));
                }
                Err(e)
            }
            other => other,
        }
    }

    /// `ALTER OPERATOR name(left, right) SET (RESTRICT = f | NONE, JOIN = f | NONE)`
    /// (PostgreSQL 15's `AlterOperator`): `oprrest` / `oprjoin`.
    ///
    /// Errors: 42601 `operator attribute "x" cannot be changed` (the other attributes of
    /// CREATE OPERATOR), `operator attribute "x" not recognized`; 42883 for the operator or
    /// a missing estimator (`function f(internal, oid, internal, integer) does not
    /// exist`); 42P17 `restriction estimator function f must return type double
    /// precision` (`join ...`); 42501 `must be owner of operator x`; 42P13 `only boolean
    /// operators can have restriction selectivity` (`join selectivity`).
    fn alter_operator_set(
        &mut self,
        name: &[String],
        left: Option<&TypeName>,
        right: Option<&TypeName>,
        options: &[(String, Option<Vec<String>>)],
    ) -> Result<()> {
        let resolve = |t: Option<&TypeName>| -> Result<Oid> {
            t.map_or(Ok(Oid::INVALID), |t| self.resolve_type(t))
        };
        let (l, r) = (resolve(left)?, resolve(right)?);
        let (oid, result) = self.find_operator(name, l, r)?;
        let mut restrict: Option<Oid> = None;
        let mut join: Option<Oid> = None;
        for (attribute, value) in options {
            let (slot, args, kind): (&mut Option<Oid>, &[&str], &str) = match attribute.as_str() {
                "restrict" => (
                    &mut restrict,
                    &["internal", "oid", "internal", "int4"],
                    "restriction",
                ),
                "join" => (
                    &mut join,
                    &["internal", "oid", "internal", "int2", "internal"],
                    "join",
                ),
                "leftarg" | "rightarg" | "function" | "procedure" | "commutator" | "negator"
                | "hashes" | "merges" => {
                    return Err(pg_err!(
                        SYNTAX_ERROR,
                        "operator attribute \"{}\" cannot be changed",
                        attribute
                    ))
                }
                _ => {
                    return Err(pg_err!(
                        SYNTAX_ERROR,
                        "operator attribute \"{}\" not recognized",
                        attribute
                    ))
                }
            };
            let Some(function) = value else {
                *slot = Some(Oid::INVALID);
                continue;
            };
            let wanted = FunctionName {
                name: function.clone(),
                args: Some(
                    args.iter()
                        .map(|t| TypeName {
                            names: vec!["pg_catalog".into(), (*t).into()],
                            typmods: Vec::new(),
                            array_bounds: Vec::new(),
                            location: 0,
                        })
                        .collect(),
                ),
            };
            let (f, _, returns) = self.find_support_function(&wanted)?;
            if returns != type_oid::FLOAT8 {
                return Err(pg_err!(
                    INVALID_OBJECT_DEFINITION,
                    "{} estimator function {} must return type double precision",
                    kind,
                    function.join(".")
                ));
            }
            *slot = Some(f);
        }
        let class = catalog("pg_operator");
        let owner = {
            let reader = self.catalog_reader();
            let rows = reader.rows(class)?;
            rows.first_matching(class.col("oid"), oid)
                .map(|r| oid_of(&r[class.col("oprowner")]))
                .ok_or_else(|| Error::internal("operator row vanished"))?
        };
        self.check_opclass_owner(owner, "operator", name.last().map_or("", |s| s))?;
        if restrict.is_some_and(|f| f != Oid::INVALID) && result != type_oid::BOOL {
            return Err(pg_err!(
                INVALID_FUNCTION_DEFINITION,
                "only boolean operators can have restriction selectivity"
            ));
        }
        if join.is_some_and(|f| f != Oid::INVALID) && result != type_oid::BOOL {
            return Err(pg_err!(
                INVALID_FUNCTION_DEFINITION,
                "only boolean operators can have join selectivity"
            ));
        }
        self.update_object_row(class, oid, move |row, c| {
            if let Some(f) = restrict {
                row[c("oprrest")] = Datum::Oid(f.0);
            }
            if let Some(f) = join {
                row[c("oprjoin")] = Datum::Oid(f.0);
            }
        })
    }

    /// `DROP OPERATOR name(left, right)`. tusk has no `CREATE OPERATOR`, so every
    /// operator is a built-in one, which PostgreSQL does not drop either.
    ///
    /// Errors: 42883 `operator does not exist: integer @#@ integer` (a NOTICE `operator
    /// @#@ does not exist, skipping` with `IF EXISTS`, which also skips missing types and
    /// schemas); 2BP01 `cannot drop operator +(integer,integer) because it is required by
    /// the database system`.
    fn drop_operator(
        &mut self,
        name: &[String],
        left: Option<&TypeName>,
        right: Option<&TypeName>,
        missing_ok: bool,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let skipping = |e: &Error| {
            missing_ok
                && matches!(
                    e.code,
                    SqlState::UNDEFINED_OBJECT
                        | SqlState::INVALID_SCHEMA_NAME
                        | SqlState::UNDEFINED_FUNCTION
                )
        };
        let resolve = |t: Option<&TypeName>| -> Result<Oid> {
            t.map_or(Ok(Oid::INVALID), |t| {
                self.resolve_type(t).map_err(|mut e| {
                    e.position = None;
                    e
                })
            })
        };
        let found = resolve(left).and_then(|l| {
            let r = resolve(right)?;
            self.find_operator(name, l, r).map(|(oid, _)| (oid, l, r))
        });
        let (oid, l, r) = match found {
            Ok(found) => found,
            Err(e) if skipping(&e) => {
                let message = if e.code == SqlState::UNDEFINED_FUNCTION {
                    format!("operator {} does not exist, skipping", name.join("."))
                } else {
                    format!("{}, skipping", e.message)
                };
                sink.notice(NoticeSeverity::Notice, &notice(&message));
                return Ok(());
            }
            Err(e) => return Err(e),
        };
        if oid.0 < 16384 {
            let shown = |t: Oid| {
                if t == Oid::INVALID {
                    "NONE".to_string()
                } else {
                    shown_type(t)
                }
            };
            return Err(pg_err!(
                DEPENDENT_OBJECTS_STILL_EXIST,
                "cannot drop operator {}({},{}) because it is required by the database system",
                name.join("."),
                shown(l),
                shown(r)
            ));
        }
        self.remove_object_rows(catalog("pg_operator"), oid)?;
        self.txn.command_counter_increment();
        Ok(())
    }

    /// The operator families, operator classes and conversions in schema `ns`, as
    /// (catalog, oid, PostgreSQL's description) in OID order: what DROP SCHEMA must refuse
    /// over or drop with CASCADE.
    pub(crate) fn schema_catalog_members(
        &self,
        ns: Oid,
        schema: &str,
    ) -> Result<Vec<(&'static str, Oid, String)>> {
        let reader = self.catalog_reader();
        let methods = reader.rows(catalog("pg_am"))?;
        let am = catalog("pg_am");
        let method_name = |oid: Oid| {
            methods
                .first_matching(am.col("oid"), oid)
                .map(|r| match &r[am.col("amname")] {
                    Datum::Text(t) => t.clone(),
                    _ => String::new(),
                })
                .unwrap_or_default()
        };
        let text = |d: &Datum| match d {
            Datum::Text(t) => t.clone(),
            _ => String::new(),
        };
        let mut out = Vec::new();
        for (cat, prefix, noun) in [
            ("pg_opfamily", "opf", "operator family"),
            ("pg_opclass", "opc", "operator class"),
            ("pg_conversion", "con", "conversion"),
        ] {
            let class = catalog(cat);
            let rows = reader.rows(class)?;
            let col = |c: &str| class.col(&format!("{prefix}{c}"));
            for r in rows.iter() {
                if oid_of(&r[col("namespace")]) != ns {
                    continue;
                }
                // A class goes silently with its family when that goes too.
                if cat == "pg_opclass"
                    && out.iter().any(|(c, oid, _)| {
                        *c == "pg_opfamily" && *oid == oid_of(&r[class.col("opcfamily")])
                    })
                {
                    continue;
                }
                let name = text(&r[col("name")]);
                let description = if cat == "pg_conversion" {
                    format!("{noun} {schema}.{name}")
                } else {
                    format!(
                        "{noun} {schema}.{name} for access method {}",
                        method_name(oid_of(&r[col("method")]))
                    )
                };
                out.push((cat, oid_of(&r[class.col("oid")]), description));
            }
        }
        out.sort_by_key(|(_, oid, _)| oid.0);
        Ok(out)
    }

    /// Removes what [`Session::schema_catalog_members`] listed (a family with its
    /// classes and members).
    pub(crate) fn remove_schema_catalog_members(
        &mut self,
        members: &[(&'static str, Oid, String)],
    ) -> Result<()> {
        for (cat, oid, _) in members {
            if *cat == "pg_opfamily" {
                self.drop_family_rows(*oid)?;
            } else {
                self.remove_object_rows(catalog(cat), *oid)?;
            }
        }
        self.txn.command_counter_increment();
        Ok(())
    }

    fn require_superuser(&self, message: &str) -> Result<()> {
        if self.superuser {
            return Ok(());
        }
        Err(Error::new(
            SqlState::INSUFFICIENT_PRIVILEGE,
            message.to_string(),
        ))
    }

    /// 42501 `permission denied for schema s` unless the current user may create in
    /// `ns` (checked before the superuser requirement, as PostgreSQL does).
    fn check_creation_namespace(&self, ns: Oid) -> Result<()> {
        if self.superuser {
            return Ok(());
        }
        let me = self.current_user_oid()?;
        self.check_namespace_create(me, ns)
    }

    fn check_opclass_owner(&self, owner: Oid, noun: &str, name: &str) -> Result<()> {
        if self.superuser {
            return Ok(());
        }
        let (me, privileges) = self.privileges_for_check()?;
        if privileges.has_privs_of_role(me, owner) {
            return Ok(());
        }
        Err(super::privilege::must_be_owner(noun, name))
    }

    fn opclass_method(&self, name: &str) -> Result<AccessMethod> {
        let oid = self.access_method(name)?;
        let (strategies, support, options_proc, order_by_operators) = am_limits(name);
        Ok(AccessMethod {
            name: name.to_string(),
            oid,
            strategies,
            support,
            options_proc,
            order_by_operators,
        })
    }

    /// The family `name` of method `am` in schema `ns`.
    fn find_family(&self, ns: Oid, name: &str, am: Oid) -> Result<Option<Oid>> {
        let class = catalog("pg_opfamily");
        let reader = self.catalog_reader();
        let rows = reader.rows(class)?;
        let wanted = Datum::Text(name.to_string());
        Ok(rows
            .iter()
            .find(|r| {
                r[class.col("opfname")] == wanted
                    && oid_of(&r[class.col("opfnamespace")]) == ns
                    && oid_of(&r[class.col("opfmethod")]) == am
            })
            .map(|r| oid_of(&r[class.col("oid")])))
    }

    /// (oid, owner) of the family or class (`prefix` `opf` / `opc`) `names` of method
    /// `am`: in its schema, or the first of `pg_catalog` and the search path with one.
    fn lookup_in_path(
        &self,
        catalog_name: &str,
        prefix: &str,
        names: &[String],
        am: Oid,
    ) -> Result<Option<(Oid, Oid)>> {
        let class = catalog(catalog_name);
        let reader = self.catalog_reader();
        let (schema, name) = super::enum_ddl::split_name(names);
        let namespaces = match schema {
            Some(s) => match reader.namespace_oid(s)? {
                Some(ns) => {
                    self.check_namespace_usage(ns)?;
                    vec![ns]
                }
                None => {
                    return Err(pg_err!(
                        INVALID_SCHEMA_NAME,
                        "schema \"{}\" does not exist",
                        s
                    ))
                }
            },
            None => {
                let mut path = vec![syscat::PG_CATALOG_NAMESPACE];
                path.extend(function_catalog::search_namespaces(&reader)?);
                path
            }
        };
        let rows = reader.rows(class)?;
        let col = |c: &str| class.col(&format!("{prefix}{c}"));
        let wanted = Datum::Text(name.to_string());
        for ns in namespaces {
            if let Some(r) = rows.iter().find(|r| {
                r[col("name")] == wanted
                    && oid_of(&r[col("namespace")]) == ns
                    && oid_of(&r[col("method")]) == am
            }) {
                return Ok(Some((
                    oid_of(&r[class.col("oid")]),
                    oid_of(&r[col("owner")]),
                )));
            }
        }
        Ok(None)
    }

    pub(super) fn new_oid(&self) -> Oid {
        let cluster = self.db.cluster.clone();
        cluster.xact.oids.next_oid(&cluster.wal)
    }

    fn insert_family(&mut self, ns: Oid, name: &str, am: Oid) -> Result<Oid> {
        let oid = self.new_oid();
        let owner = self.current_user_oid()?;
        self.insert_catalog_row(
            CatalogRow::new(catalog("pg_opfamily"))
                .set("oid", Datum::Oid(oid.0))
                .set("opfmethod", Datum::Oid(am.0))
                .set("opfname", Datum::Text(name.to_string()))
                .set("opfnamespace", Datum::Oid(ns.0))
                .set("opfowner", Datum::Oid(owner.0)),
        )?;
        self.txn.command_counter_increment();
        Ok(oid)
    }

    pub(super) fn resolve_type(&self, t: &TypeName) -> Result<Oid> {
        let reader = self.catalog_reader();
        let lookup = SessionLookup {
            builtin: BuiltinLookup {
                settings: &self.output,
            },
            catalog: &reader,
        };
        let mut analyzer = Analyzer::new(&lookup, "", Vec::new());
        analyzer.resolve_type_name(t).map(|(o, _)| o)
    }

    /// `CREATE OPERATOR CLASS` (rules 1–4).
    ///
    /// Errors: 42501; 42704 for a missing access method, type or family; 42710 `operator
    /// class "c" for access method "m" already exists`; 42P17 / 22023 for a second
    /// default class of a type; those of the members (see [`Session::alter_opfamily`]).
    fn create_opclass(
        &mut self,
        name: &[String],
        method: &str,
        default: bool,
        for_type: Option<&TypeName>,
        family: &Option<Vec<String>>,
        items: &[OpClassItem],
    ) -> Result<()> {
        let (schema, class_name) = super::enum_ddl::split_name(name);
        let (ns, _) = self.catalog_reader().creation_namespace(schema)?;
        self.check_creation_namespace(ns)?;
        self.require_superuser("must be superuser to create an operator class")?;
        let am = self.opclass_method(method)?;
        let input = match for_type {
            Some(t) => self.resolve_type(t)?,
            None => return Err(Error::internal("CREATE OPERATOR CLASS without a type")),
        };
        let family_oid = match family {
            Some(f) => match self.lookup_in_path("pg_opfamily", "opf", f, am.oid)? {
                Some((oid, _)) => Some(oid),
                None => {
                    return Err(pg_err!(
                        UNDEFINED_OBJECT,
                        "operator family \"{}\" does not exist for access method \"{}\"",
                        f.join("."),
                        am.name
                    ))
                }
            },
            None => None,
        };
        let class = catalog("pg_opclass");
        {
            let reader = self.catalog_reader();
            let rows = reader.rows(class)?;
            let wanted = Datum::Text(class_name.to_string());
            let clash = rows.iter().any(|r| {
                r[class.col("opcname")] == wanted
                    && oid_of(&r[class.col("opcnamespace")]) == ns
                    && oid_of(&r[class.col("opcmethod")]) == am.oid
            });
            if clash {
                return Err(pg_err!(
                    DUPLICATE_OBJECT,
                    "operator class \"{}\" for access method \"{}\" already exists",
                    class_name,
                    am.name
                ));
            }
            if default {
                if let Some(existing) = rows.iter().find(|r| {
                    r[class.col("opcdefault")] == Datum::Bool(true)
                        && oid_of(&r[class.col("opcintype")]) == input
                        && oid_of(&r[class.col("opcmethod")]) == am.oid
                }) {
                    return Err(pg_err!(
                        DUPLICATE_OBJECT,
                        "could not make operator class \"{}\" be default for type {}",
                        class_name,
                        for_type.map(written_type).unwrap_or_default()
                    )
                    .detail(format!(
                        "Operator class \"{}\" already is the default.",
                        match &existing[class.col("opcname")] {
                            Datum::Text(t) => t.clone(),
                            _ => String::new(),
                        }
                    )));
                }
            }
        }
        let mut storage = Oid::INVALID;
        let mut members = Vec::new();
        for item in items {
            match item {
                OpClassItem::Storage(t) => {
                    if storage != Oid::INVALID {
                        return Err(pg_err!(
                            SYNTAX_ERROR,
                            "storage type specified more than once"
                        ));
                    }
                    if let Some(t) = t {
                        storage = self.resolve_type(t)?;
                    }
                }
                other => push_member(&mut members, self.member(&am, other, false, Some(input))?)?,
            }
        }
        if storage == input {
            storage = Oid::INVALID;
        }
        if storage != Oid::INVALID && matches!(am.name.as_str(), "btree" | "hash") {
            return Err(pg_err!(
                INVALID_OBJECT_DEFINITION,
                "storage type cannot be different from data type for access method \"{}\"",
                am.name
            ));
        }
        let family_oid = match family_oid {
            Some(f) => f,
            None => match self.find_family(ns, class_name, am.oid)? {
                Some(f) => f,
                None => self.insert_family(ns, class_name, am.oid)?,
            },
        };
        let oid = self.new_oid();
        let owner = self.current_user_oid()?;
        self.insert_catalog_row(
            CatalogRow::new(class)
                .set("oid", Datum::Oid(oid.0))
                .set("opcmethod", Datum::Oid(am.oid.0))
                .set("opcname", Datum::Text(class_name.to_string()))
                .set("opcnamespace", Datum::Oid(ns.0))
                .set("opcowner", Datum::Oid(owner.0))
                .set("opcfamily", Datum::Oid(family_oid.0))
                .set("opcintype", Datum::Oid(input.0))
                .set("opcdefault", Datum::Bool(default))
                .set("opckeytype", Datum::Oid(storage.0)),
        )?;
        self.txn.command_counter_increment();
        self.add_members(&am, family_oid, class_name, members)
    }

    /// `ALTER OPERATOR FAMILY name USING method ADD | DROP items` (rules 1–3).
    ///
    /// Errors: 42501 `must be superuser to alter an operator family`; 42704 for a missing
    /// family, access method or member (`operator 1(integer,smallint) does not exist in
    /// operator family "f"`); 42P17 `invalid operator number 6, must be between 1 and 5`,
    /// `btree comparison functions must have two arguments` and PostgreSQL's other member
    /// checks; 42601 `operator argument types must be specified in ALTER OPERATOR
    /// FAMILY`, `STORAGE cannot be specified in ALTER OPERATOR FAMILY`, `one or two
    /// argument types must be specified`; 42710 for a member already there.
    pub(crate) fn alter_opfamily(
        &mut self,
        name: &[String],
        method: &str,
        drop: bool,
        items: &[OpClassItem],
    ) -> Result<()> {
        let am = self.opclass_method(method)?;
        let Some((family, _)) = self.lookup_in_path("pg_opfamily", "opf", name, am.oid)? else {
            return Err(pg_err!(
                UNDEFINED_OBJECT,
                "operator family \"{}\" does not exist for access method \"{}\"",
                name.join("."),
                am.name
            ));
        };
        self.require_superuser("must be superuser to alter an operator family")?;
        let family_name = name.last().cloned().unwrap_or_default();
        if !drop {
            let mut members = Vec::new();
            for item in items {
                push_member(&mut members, self.member(&am, item, true, None)?)?;
            }
            return self.add_members(&am, family, &family_name, members);
        }
        // DROP: number and types only.
        let mut doomed: Vec<(&'static str, Oid)> = Vec::new();
        for item in items {
            let (operator, number, types) = match item {
                OpClassItem::Operator { number, args, .. } => {
                    let types: Vec<TypeName> = args
                        .clone()
                        .unwrap_or_default()
                        .into_iter()
                        .flatten()
                        .collect();
                    (true, *number, types)
                }
                OpClassItem::Function {
                    number, class_args, ..
                } => (false, *number, class_args.clone()),
                OpClassItem::Storage(_) => {
                    return Err(pg_err!(
                        SYNTAX_ERROR,
                        "STORAGE cannot be specified in ALTER OPERATOR FAMILY"
                    ))
                }
            };
            check_number(&am, operator, number)?;
            if types.is_empty() || types.len() > 2 {
                return Err(pg_err!(
                    SYNTAX_ERROR,
                    "one or two argument types must be specified"
                ));
            }
            let left = self.resolve_type(&types[0])?;
            let right = match types.get(1) {
                Some(t) => self.resolve_type(t)?,
                None => left,
            };
            let (cat, prefix) = if operator {
                ("pg_amop", "amop")
            } else {
                ("pg_amproc", "amproc")
            };
            let class = catalog(cat);
            let found = {
                let reader = self.catalog_reader();
                let rows = reader.rows(class)?;
                let c = |n: &str| class.col(&format!("{prefix}{n}"));
                let (c_family, c_number) = if operator {
                    (class.col("amopfamily"), class.col("amopstrategy"))
                } else {
                    (class.col("amprocfamily"), class.col("amprocnum"))
                };
                rows.iter()
                    .find(|r| {
                        oid_of(&r[c_family]) == family
                            && oid_of(&r[c("lefttype")]) == left
                            && oid_of(&r[c("righttype")]) == right
                            && r[c_number] == Datum::Int2(number as i16)
                    })
                    .map(|r| oid_of(&r[class.col("oid")]))
            };
            let Some(oid) = found else {
                return Err(pg_err!(
                    UNDEFINED_OBJECT,
                    "{} {}({},{}) does not exist in operator family \"{}\"",
                    if operator { "operator" } else { "function" },
                    number,
                    shown_type(left),
                    shown_type(right),
                    family_name
                ));
            };
            doomed.push((cat, oid));
        }
        for (cat, oid) in doomed {
            self.remove_object_rows(catalog(cat), oid)?;
        }
        self.txn.command_counter_increment();
        Ok(())
    }

    /// One OPERATOR or FUNCTION item of an ADD or CREATE, resolved and checked (rule 3).
    fn member(
        &self,
        am: &AccessMethod,
        item: &OpClassItem,
        in_alter: bool,
        class_type: Option<Oid>,
    ) -> Result<Member> {
        match item {
            OpClassItem::Storage(_) => Err(pg_err!(
                SYNTAX_ERROR,
                "STORAGE cannot be specified in ALTER OPERATOR FAMILY"
            )),
            OpClassItem::Operator {
                number,
                name,
                args,
                order_family,
            } => {
                check_number(am, true, *number)?;
                let (left, right) = match args {
                    Some(types) => {
                        let mut resolved = Vec::new();
                        for t in types {
                            resolved.push(match t {
                                Some(t) => self.resolve_type(t)?,
                                None => Oid::INVALID,
                            });
                        }
                        (
                            resolved.first().copied().unwrap_or(Oid::INVALID),
                            resolved.get(1).copied().unwrap_or(Oid::INVALID),
                        )
                    }
                    None if in_alter => {
                        return Err(pg_err!(
                            SYNTAX_ERROR,
                            "operator argument types must be specified in ALTER OPERATOR FAMILY"
                        ))
                    }
                    None => {
                        let t = class_type.unwrap_or(Oid::INVALID);
                        (t, t)
                    }
                };
                let (operator, result) = self.find_operator(name, left, right)?;
                let order = match order_family {
                    Some(f) => {
                        if !am.order_by_operators {
                            return Err(pg_err!(
                                FEATURE_NOT_SUPPORTED,
                                "access method \"{}\" does not support ordering operators",
                                am.name
                            ));
                        }
                        let btree = self.access_method("btree")?;
                        match self.lookup_in_path("pg_opfamily", "opf", f, btree)? {
                            Some((oid, _)) => oid,
                            None => {
                                return Err(pg_err!(
                                UNDEFINED_OBJECT,
                                "operator family \"{}\" does not exist for access method \"btree\"",
                                f.join(".")
                            ))
                            }
                        }
                    }
                    None => Oid::INVALID,
                };
                if order == Oid::INVALID && result != type_oid::BOOL {
                    return Err(pg_err!(
                        INVALID_OBJECT_DEFINITION,
                        "index search operators must return boolean"
                    ));
                }
                Ok(Member {
                    operator: true,
                    number: *number,
                    object: operator,
                    left,
                    right,
                    order_family: order,
                })
            }
            OpClassItem::Function {
                number,
                function,
                class_args,
            } => {
                check_number(am, false, *number)?;
                let Some(function) = function else {
                    return Err(Error::internal("FUNCTION item without a function"));
                };
                let (oid, args, result) = self.find_support_function(function)?;
                let mut left = Oid::INVALID;
                let mut right = Oid::INVALID;
                if let Some(t) = class_args.first() {
                    left = self.resolve_type(t)?;
                    right = match class_args.get(1) {
                        Some(t) => self.resolve_type(t)?,
                        None => left,
                    };
                }
                let proc = |what: &str| pg_err!(INVALID_OBJECT_DEFINITION, "{}", what);
                if *number == am.options_proc {
                    if left == Oid::INVALID {
                        if let Some(t) = class_type.filter(|_| !in_alter) {
                            left = t;
                            right = t;
                        }
                    } else if left != right {
                        return Err(proc(
                            "left and right associated data types for operator class options parsing functions must match",
                        ));
                    }
                    if result != type_oid::VOID || args.len() != 1 || args[0] != INTERNAL {
                        return Err(proc("invalid operator class options parsing function").hint(
                            "Valid signature of operator class options parsing function is (internal) RETURNS void.",
                        ));
                    }
                }
                match (am.name.as_str(), *number) {
                    ("btree", 1) => {
                        if args.len() != 2 {
                            return Err(proc("btree comparison functions must have two arguments"));
                        }
                        if result != type_oid::INT4 {
                            return Err(proc("btree comparison functions must return integer"));
                        }
                        if left == Oid::INVALID {
                            left = args[0];
                            right = args[1];
                        }
                    }
                    ("btree", 2) => {
                        if args.len() != 1 || args[0] != INTERNAL {
                            return Err(proc(
                                "btree sort support functions must accept type \"internal\"",
                            ));
                        }
                        if result != type_oid::VOID {
                            return Err(proc("btree sort support functions must return void"));
                        }
                    }
                    ("btree", 3) => {
                        if args.len() != 5 {
                            return Err(proc("btree in_range functions must have five arguments"));
                        }
                        if result != type_oid::BOOL {
                            return Err(proc("btree in_range functions must return boolean"));
                        }
                        if left == Oid::INVALID {
                            left = args[0];
                            right = args[2];
                        }
                    }
                    ("btree", 4) => {
                        if args.len() != 1 {
                            return Err(proc("btree equal image functions must have one argument"));
                        }
                        if result != type_oid::BOOL {
                            return Err(proc("btree equal image functions must return boolean"));
                        }
                        if left != right {
                            return Err(proc("btree equal image functions must not be cross-type"));
                        }
                    }
                    ("hash", n @ (1 | 2)) => {
                        let wanted = n as usize;
                        if args.len() != wanted {
                            return Err(proc(&format!(
                                "hash function {n} must have {} argument{}",
                                if n == 1 { "one" } else { "two" },
                                if n == 1 { "" } else { "s" }
                            )));
                        }
                        let returns = if n == 1 {
                            type_oid::INT4
                        } else {
                            type_oid::INT8
                        };
                        if result != returns {
                            return Err(proc(&format!(
                                "hash function {n} must return {}",
                                shown_type(returns)
                            )));
                        }
                        if left == Oid::INVALID {
                            left = args[0];
                            right = args[0];
                        }
                    }
                    _ => {}
                }
                if left == Oid::INVALID {
                    match class_type {
                        Some(t) if !in_alter => {
                            left = t;
                            right = t;
                        }
                        _ => {
                            return Err(pg_err!(
                                INVALID_OBJECT_DEFINITION,
                                "associated data types must be specified for index support function"
                            ))
                        }
                    }
                }
                Ok(Member {
                    operator: false,
                    number: *number,
                    object: oid,
                    left,
                    right,
                    order_family: Oid::INVALID,
                })
            }
        }
    }

    /// The operator `name(left, right)` and its result type.
    ///
    /// Errors: 42883 `operator does not exist: integer < smallint`.
    fn find_operator(&self, name: &[String], left: Oid, right: Oid) -> Result<(Oid, Oid)> {
        let class = catalog("pg_operator");
        let reader = self.catalog_reader();
        let rows = reader.rows(class)?;
        let (schema, op) = super::enum_ddl::split_name(name);
        let namespace =
            match schema {
                Some(s) => Some(reader.namespace_oid(s)?.ok_or_else(|| {
                    pg_err!(INVALID_SCHEMA_NAME, "schema \"{}\" does not exist", s)
                })?),
                None => None,
            };
        let wanted = Datum::Text(op.to_string());
        rows.iter()
            .find(|r| {
                r[class.col("oprname")] == wanted
                    && oid_of(&r[class.col("oprleft")]) == left
                    && oid_of(&r[class.col("oprright")]) == right
                    && namespace.is_none_or(|ns| oid_of(&r[class.col("oprnamespace")]) == ns)
            })
            .map(|r| {
                (
                    oid_of(&r[class.col("oid")]),
                    oid_of(&r[class.col("oprresult")]),
                )
            })
            .ok_or_else(|| {
                let shown = |t: Oid| {
                    if t == Oid::INVALID {
                        "NONE".to_string()
                    } else {
                        shown_type(t)
                    }
                };
                pg_err!(
                    UNDEFINED_FUNCTION,
                    "operator does not exist: {} {} {}",
                    shown(left),
                    name.join("."),
                    shown(right)
                )
            })
    }

    /// A support function by name and argument types: (oid, argument types, result).
    ///
    /// Errors: 42883 `function f(integer) does not exist`.
    pub(super) fn find_support_function(
        &self,
        function: &FunctionName,
    ) -> Result<(Oid, Vec<Oid>, Oid)> {
        let class = catalog("pg_proc");
        let wanted_args = match &function.args {
            Some(types) => Some(
                types
                    .iter()
                    .map(|t| self.resolve_type(t))
                    .collect::<Result<Vec<Oid>>>()?,
            ),
            None => None,
        };
        let reader = self.catalog_reader();
        let (schema, name) = super::enum_ddl::split_name(&function.name);
        let namespaces = match schema {
            Some(s) => vec![reader
                .namespace_oid(s)?
                .ok_or_else(|| pg_err!(INVALID_SCHEMA_NAME, "schema \"{}\" does not exist", s))?],
            None => {
                let mut path = vec![syscat::PG_CATALOG_NAMESPACE];
                path.extend(function_catalog::search_namespaces(&reader)?);
                path
            }
        };
        let rows = reader.rows(class)?;
        let wanted = Datum::Text(name.to_string());
        let args_of = |r: &[Datum]| -> Vec<Oid> {
            match &r[class.col("proargtypes")] {
                Datum::Array(a) => a.elems.iter().map(oid_of).collect(),
                _ => Vec::new(),
            }
        };
        for ns in namespaces {
            let found: Vec<&[Datum]> = rows
                .iter()
                .filter(|r| {
                    r[class.col("proname")] == wanted
                        && oid_of(&r[class.col("pronamespace")]) == ns
                        && wanted_args.as_ref().is_none_or(|w| &args_of(r) == w)
                })
                .map(|r| &r[..])
                .collect();
            if let Some(r) = found.first() {
                return Ok((
                    oid_of(&r[class.col("oid")]),
                    args_of(r),
                    oid_of(&r[class.col("prorettype")]),
                ));
            }
        }
        Err(match &wanted_args {
            Some(types) => pg_err!(
                UNDEFINED_FUNCTION,
                "function {} does not exist",
                signature(name, types)
            ),
            None => pg_err!(
                UNDEFINED_FUNCTION,
                "could not find a function named \"{}\"",
                name
            ),
        })
    }

    /// Writes the `pg_amop` / `pg_amproc` rows of `members` into `family`.
    ///
    /// Errors: 42710 `operator 1(integer,smallint) already exists in operator family
    /// "f"` (`function ...`).
    fn add_members(
        &mut self,
        am: &AccessMethod,
        family: Oid,
        family_name: &str,
        members: Vec<Member>,
    ) -> Result<()> {
        for m in members {
            let (cat, family_col, number_col, prefix) = if m.operator {
                ("pg_amop", "amopfamily", "amopstrategy", "amop")
            } else {
                ("pg_amproc", "amprocfamily", "amprocnum", "amproc")
            };
            let class = catalog(cat);
            let exists = {
                let reader = self.catalog_reader();
                let rows = reader.rows(class)?;
                let c = |n: &str| class.col(&format!("{prefix}{n}"));
                rows.iter().any(|r| {
                    oid_of(&r[class.col(family_col)]) == family
                        && oid_of(&r[c("lefttype")]) == m.left
                        && oid_of(&r[c("righttype")]) == m.right
                        && r[class.col(number_col)] == Datum::Int2(m.number as i16)
                })
            };
            if exists {
                return Err(pg_err!(
                    DUPLICATE_OBJECT,
                    "{} {}({},{}) already exists in operator family \"{}\"",
                    if m.operator { "operator" } else { "function" },
                    m.number,
                    shown_type(m.left),
                    shown_type(m.right),
                    family_name
                ));
            }
            let oid = self.new_oid();
            let row = if m.operator {
                CatalogRow::new(class)
                    .set("oid", Datum::Oid(oid.0))
                    .set("amopfamily", Datum::Oid(family.0))
                    .set("amoplefttype", Datum::Oid(m.left.0))
                    .set("amoprighttype", Datum::Oid(m.right.0))
                    .set("amopstrategy", Datum::Int2(m.number as i16))
                    .set(
                        "amoppurpose",
                        Datum::Text(
                            if m.order_family == Oid::INVALID {
                                "s"
                            } else {
                                "o"
                            }
                            .into(),
                        ),
                    )
                    .set("amopopr", Datum::Oid(m.object.0))
                    .set("amopmethod", Datum::Oid(am.oid.0))
                    .set("amopsortfamily", Datum::Oid(m.order_family.0))
            } else {
                CatalogRow::new(class)
                    .set("oid", Datum::Oid(oid.0))
                    .set("amprocfamily", Datum::Oid(family.0))
                    .set("amproclefttype", Datum::Oid(m.left.0))
                    .set("amprocrighttype", Datum::Oid(m.right.0))
                    .set("amprocnum", Datum::Int2(m.number as i16))
                    .set("amproc", Datum::Oid(m.object.0))
            };
            self.insert_catalog_row(row)?;
            self.txn.command_counter_increment();
        }
        Ok(())
    }

    /// Removes family `oid` with its classes and members (rule 4).
    fn drop_family_rows(&mut self, oid: Oid) -> Result<()> {
        for (cat, col) in [
            ("pg_opclass", "opcfamily"),
            ("pg_amop", "amopfamily"),
            ("pg_amproc", "amprocfamily"),
        ] {
            let class = catalog(cat);
            let c = class.col(col);
            self.delete_catalog_rows(class.oid, move |r| r[c] == Datum::Oid(oid.0))?;
        }
        self.remove_object_rows(catalog("pg_opfamily"), oid)?;
        self.txn.command_counter_increment();
        Ok(())
    }
}

/// Rule 2.
///
/// Errors: 42P17 `invalid operator number n, must be between 1 and m` (`function`).
fn check_number(am: &AccessMethod, operator: bool, number: i32) -> Result<()> {
    let max = if operator {
        if am.strategies == 0 {
            i32::from(i16::MAX)
        } else {
            am.strategies
        }
    } else {
        am.support
    };
    if number < 1 || number > max {
        return Err(pg_err!(
            INVALID_OBJECT_DEFINITION,
            "invalid {} number {}, must be between 1 and {}",
            if operator { "operator" } else { "function" },
            number,
            max
        ));
    }
    Ok(())
}

/// A type name as written (PostgreSQL's `TypeNameToString`).
pub(super) fn written_type(t: &TypeName) -> String {
    let mut shown = t.names.join(".");
    for _ in &t.array_bounds {
        shown.push_str("[]");
    }
    shown
}

/// Adds `member` to the statement's list (PostgreSQL's `addFamilyMember`).
///
/// Errors: 42P17 `operator number 1 for (integer,integer) appears more than once`
/// (`function number ...`).
fn push_member(members: &mut Vec<Member>, member: Member) -> Result<()> {
    if members.iter().any(|m| {
        m.operator == member.operator
            && m.number == member.number
            && m.left == member.left
            && m.right == member.right
    }) {
        return Err(pg_err!(
            INVALID_OBJECT_DEFINITION,
            "{} number {} for ({},{}) appears more than once",
            if member.operator {
                "operator"
            } else {
                "function"
            },
            member.number,
            shown_type(member.left),
            shown_type(member.right)
        ));
    }
    members.push(member);
    Ok(())
}

fn notice(message: &str) -> Error {
    Error::new(SqlState::SUCCESSFUL_COMPLETION, message.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_checked_against_the_access_method() {
        let btree = AccessMethod {
            name: "btree".into(),
            oid: Oid(403),
            strategies: 5,
            support: 5,
            options_proc: 5,
            order_by_operators: false,
        };
        assert!(check_number(&btree, true, 5).is_ok());
        let err = check_number(&btree, true, 6).expect_err("out of range");
        assert_eq!(
            err.message,
            "invalid operator number 6, must be between 1 and 5"
        );
        let err = check_number(&btree, false, 0).expect_err("out of range");
        assert_eq!(
            err.message,
            "invalid function number 0, must be between 1 and 5"
        );
    }
}
