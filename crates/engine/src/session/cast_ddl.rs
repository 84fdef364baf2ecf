//! `CREATE | DROP CAST` and `CREATE | DROP CONVERSION` (PostgreSQL's `CreateCast`,
//! `CreateConversionCommand` and their `RemoveObjects` paths): `pg_cast` and
//! `pg_conversion` rows.
//!
//! Rules:
//! 1. A cast is made by a superuser or the owner of its source or target type; one between
//!    a pair of types that already has a `pg_cast` row (built-in or not) is refused.
//! 2. `WITH FUNCTION` takes a normal, non-volatile, non-set function of one to three
//!    arguments (source, `integer` typmod, `boolean` explicit) returning the target type;
//!    the analyzer calls it for the cast (`SessionLookup::cast` reads user `pg_cast` rows
//!    after the built-in ones).
//! 3. `WITHOUT FUNCTION` (superusers only) needs physically compatible types, as in
//!    PostgreSQL. tusk holds values of different types in different in-memory forms, so it
//!    also needs both types to be string types (held as text); others are refused 0A000.
//! 4. Built-in casts cannot be dropped (2BP01, as PostgreSQL's pinned objects).
//! 5. A conversion names a built-in conversion function (tusk cannot run others: 0A000);
//!    tusk converts client encodings itself, so the row is catalog data.
//!
//! Entry point: [`Session::cast_statement`].

use tusk_catalog::syscat::{self, CatalogRow, SysCatalog};
use tusk_sql::ast::TypeName;
use tusk_sql::ast_cast::CastStmt;
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result, SqlState};

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

/// PostgreSQL's `FirstNormalObjectId`: objects below it come with the system.
const FIRST_NORMAL_OID: u32 = 16384;

fn notice(message: String) -> Error {
    Error::new(SqlState::SUCCESSFUL_COMPLETION, message)
}

/// The `pg_type` columns the checks read.
struct TypeRow {
    len: Datum,
    byval: Datum,
    align: Datum,
    typtype: Datum,
    category: Datum,
    owner: Oid,
    elem: Oid,
}

impl TypeRow {
    fn is(&self, letter: u8) -> bool {
        let want = char::from(letter).to_string();
        self.typtype == Datum::Text(want)
    }
}

impl Session {
    /// Runs a cast or conversion statement.
    ///
    /// Errors: see the functions below; 25006 in a read-only transaction.
    pub(crate) fn cast_statement(
        &mut self,
        stmt: &CastStmt,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        match stmt {
            CastStmt::CreateCast {
                source,
                target,
                function,
                inout,
                context,
            } => {
                self.read_only_check("CREATE CAST")?;
                self.create_cast(source, target, function.as_ref(), *inout, *context, sink)?;
                Ok("CREATE CAST".into())
            }
            CastStmt::DropCast {
                source,
                target,
                missing_ok,
            } => {
                self.read_only_check("DROP CAST")?;
                self.drop_cast(source, target, *missing_ok, sink)?;
                Ok("DROP CAST".into())
            }
            CastStmt::CreateConversion {
                name,
                for_encoding,
                to_encoding,
                function,
                default,
            } => {
                self.read_only_check("CREATE CONVERSION")?;
                self.create_conversion(name, for_encoding, to_encoding, function, *default)?;
                Ok("CREATE CONVERSION".into())
            }
            CastStmt::DropConversion { names, missing_ok } => {
                self.read_only_check("DROP CONVERSION")?;
                for name in names {
                    self.drop_conversion(name, *missing_ok, sink)?;
                }
                Ok("DROP CONVERSION".into())
            }
        }
    }

    /// A type of a cast; its lookup errors carry no statement position, as PostgreSQL's.
    fn cast_type(&self, t: &TypeName) -> Result<Oid> {
        self.resolve_type(t).map_err(|mut e| {
            e.position = None;
            e
        })
    }

    fn type_row(&self, t: Oid) -> Result<TypeRow> {
        let class = catalog("pg_type");
        let reader = self.catalog_reader();
        let rows = reader.rows(class)?;
        let row = rows
            .first_matching(class.col("oid"), t)
            .ok_or_else(|| pg_err!(UNDEFINED_OBJECT, "type with OID {} does not exist", t.0))?;
        Ok(TypeRow {
            len: row[class.col("typlen")].clone(),
            byval: row[class.col("typbyval")].clone(),
            align: row[class.col("typalign")].clone(),
            typtype: row[class.col("typtype")].clone(),
            category: row[class.col("typcategory")].clone(),
            owner: oid_of(&row[class.col("typowner")]),
            elem: oid_of(&row[class.col("typelem")]),
        })
    }

    /// The `pg_cast` row (oid) from `source` to `target`.
    fn find_cast(&self, source: Oid, target: Oid) -> Result<Option<Oid>> {
        let class = catalog("pg_cast");
        let reader = self.catalog_reader();
        let rows = reader.rows(class)?;
        Ok(rows
            .iter()
            .find(|r| {
                oid_of(&r[class.col("castsource")]) == source
                    && oid_of(&r[class.col("casttarget")]) == target
            })
            .map(|r| oid_of(&r[class.col("oid")])))
    }

    /// 42501 `must be owner of type x or type y` unless the current user may (rule 1).
    fn check_cast_owner(&self, source: Oid, target: Oid) -> Result<()> {
        if self.superuser {
            return Ok(());
        }
        let (me, privileges) = self.privileges_for_check()?;
        for t in [source, target] {
            if privileges.has_privs_of_role(me, self.type_row(t)?.owner) {
                return Ok(());
            }
        }
        Err(pg_err!(
            INSUFFICIENT_PRIVILEGE,
            "must be owner of type {} or type {}",
            self.format_type(source),
            self.format_type(target)
        ))
    }

    /// `CREATE CAST` (rules 1–3).
    ///
    /// Errors: 42704 for a missing type; 42809 `source data type x is a pseudo-type`;
    /// 42501; 42883 for a missing function; 42P17 for a function or types that cannot make
    /// the cast; 42710 `cast from type x to type y already exists`; 0A000 (rule 3).
    fn create_cast(
        &mut self,
        source: &TypeName,
        target: &TypeName,
        function: Option<&tusk_sql::ast_function::FunctionName>,
        inout: bool,
        context: u8,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let source_oid = self.cast_type(source)?;
        let target_oid = self.cast_type(target)?;
        let source_row = self.type_row(source_oid)?;
        let target_row = self.type_row(target_oid)?;
        for (row, t, which) in [
            (&source_row, source_oid, "source"),
            (&target_row, target_oid, "target"),
        ] {
            if row.is(b'p') {
                return Err(pg_err!(
                    WRONG_OBJECT_TYPE,
                    "{} data type {} is a pseudo-type",
                    which,
                    self.format_type(t)
                ));
            }
        }
        self.check_cast_owner(source_oid, target_oid)?;
        for (row, which) in [(&source_row, "source"), (&target_row, "target")] {
            if row.is(b'd') {
                sink.notice(
                    NoticeSeverity::Warning,
                    &notice(format!(
                        "cast will be ignored because the {which} data type is a domain"
                    )),
                );
            }
        }
        let invalid = |what: &str| pg_err!(INVALID_OBJECT_DEFINITION, "{}", what);
        let mut func = Oid::INVALID;
        let mut nargs = 0;
        let method = if let Some(function) = function {
            let (oid, args, result) = self.find_support_function(function)?;
            let (kind, retset) = self.proc_flags(oid)?;
            if kind != "f" {
                return Err(invalid("cast function must be a normal function"));
            }
            nargs = args.len();
            if !(1..=3).contains(&nargs) {
                return Err(invalid("cast function must take one to three arguments"));
            }
            if !self.binary_coercible(source_oid, args[0])? {
                return Err(invalid(
                    "argument of cast function must match or be binary-coercible from source data type",
                ));
            }
            if nargs > 1 && args[1] != type_oid::INT4 {
                return Err(invalid(
                    "second argument of cast function must be type integer",
                ));
            }
            if nargs > 2 && args[2] != type_oid::BOOL {
                return Err(invalid(
                    "third argument of cast function must be type boolean",
                ));
            }
            if !self.binary_coercible(result, target_oid)? {
                return Err(invalid(
                    "return data type of cast function must match or be binary-coercible to target data type",
                ));
            }
            if retset {
                return Err(invalid("cast function must not return a set"));
            }
            func = oid;
            "f"
        } else if inout {
            "i"
        } else {
            if !self.superuser {
                return Err(pg_err!(
                    INSUFFICIENT_PRIVILEGE,
                    "must be superuser to create a cast WITHOUT FUNCTION"
                ));
            }
            if source_row.len != target_row.len
                || source_row.byval != target_row.byval
                || source_row.align != target_row.align
            {
                return Err(invalid(
                    "source and target data types are not physically compatible",
                ));
            }
            if source_row.is(b'c') || target_row.is(b'c') {
                return Err(invalid("composite data types are not binary-compatible"));
            }
            let is_array = |r: &TypeRow| r.elem != Oid::INVALID && r.len == Datum::Int2(-1);
            if is_array(&source_row) || is_array(&target_row) {
                return Err(invalid("array data types are not binary-compatible"));
            }
            if source_row.is(b'd') || target_row.is(b'd') {
                return Err(invalid(
                    "domain data types must not be marked binary-compatible",
                ));
            }
            let string = |r: &TypeRow| r.category == Datum::Text("S".into());
            if !(string(&source_row) && string(&target_row)) {
                return Err(Error::feature_not_supported(
                    "binary-coercible casts between types other than string types",
                ));
            }
            "b"
        };
        if source_oid == target_oid && nargs < 2 {
            return Err(invalid(
                "source data type and target data type are the same",
            ));
        }
        if self.find_cast(source_oid, target_oid)?.is_some() {
            return Err(pg_err!(
                DUPLICATE_OBJECT,
                "cast from type {} to type {} already exists",
                self.format_type(source_oid),
                self.format_type(target_oid)
            ));
        }
        let oid = self.new_oid();
        self.insert_catalog_row(
            CatalogRow::new(catalog("pg_cast"))
                .set("oid", Datum::Oid(oid.0))
                .set("castsource", Datum::Oid(source_oid.0))
                .set("casttarget", Datum::Oid(target_oid.0))
                .set("castfunc", Datum::Oid(func.0))
                .set("castcontext", Datum::Text(char::from(context).to_string()))
                .set("castmethod", Datum::Text(method.to_string())),
        )?;
        self.txn.command_counter_increment();
        Ok(())
    }

    /// `prokind` and `proretset` of function `oid`.
    fn proc_flags(&self, oid: Oid) -> Result<(String, bool)> {
        let class = catalog("pg_proc");
        let reader = self.catalog_reader();
        let rows = reader.rows(class)?;
        let row = rows.first_matching(class.col("oid"), oid).ok_or_else(|| {
            pg_err!(
                UNDEFINED_FUNCTION,
                "function with OID {} does not exist",
                oid.0
            )
        })?;
        let letter = |c: &str| match &row[class.col(c)] {
            Datum::Text(t) => t.clone(),
            _ => String::new(),
        };
        Ok((
            letter("prokind"),
            row[class.col("proretset")] == Datum::Bool(true),
        ))
    }

    /// PostgreSQL's `IsBinaryCoercible`: the same type, or a `pg_cast` row without a
    /// function (`castmethod = 'b'`) usable implicitly.
    fn binary_coercible(&self, from: Oid, to: Oid) -> Result<bool> {
        if from == to || to == type_oid::ANY {
            return Ok(true);
        }
        let class = catalog("pg_cast");
        let reader = self.catalog_reader();
        let rows = reader.rows(class)?;
        Ok(rows.iter().any(|r| {
            oid_of(&r[class.col("castsource")]) == from
                && oid_of(&r[class.col("casttarget")]) == to
                && r[class.col("castmethod")] == Datum::Text("b".into())
                && r[class.col("castcontext")] == Datum::Text("i".into())
        }))
    }

    /// `DROP CAST` (rule 4).
    ///
    /// Errors: 42704 `cast from type x to type y does not exist` (a NOTICE with `IF
    /// EXISTS`, which also skips missing types); 42501; 2BP01 for a built-in cast.
    fn drop_cast(
        &mut self,
        source: &TypeName,
        target: &TypeName,
        missing_ok: bool,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let resolved = (self.cast_type(source), self.cast_type(target));
        let (source_oid, target_oid) = match resolved {
            (Ok(s), Ok(t)) => (s, t),
            (Err(e), _) | (_, Err(e)) => {
                if missing_ok
                    && matches!(
                        e.code,
                        SqlState::UNDEFINED_OBJECT | SqlState::INVALID_SCHEMA_NAME
                    )
                {
                    sink.notice(
                        NoticeSeverity::Notice,
                        &notice(format!("{}, skipping", e.message)),
                    );
                    return Ok(());
                }
                return Err(e);
            }
        };
        let Some(oid) = self.find_cast(source_oid, target_oid)? else {
            if missing_ok {
                // The notice names the types as written.
                sink.notice(
                    NoticeSeverity::Notice,
                    &notice(format!(
                        "cast from type {} to type {} does not exist, skipping",
                        super::opclass_ddl::written_type(source),
                        super::opclass_ddl::written_type(target)
                    )),
                );
                return Ok(());
            }
            return Err(pg_err!(
                UNDEFINED_OBJECT,
                "cast from type {} to type {} does not exist",
                self.format_type(source_oid),
                self.format_type(target_oid)
            ));
        };
        self.check_cast_owner(source_oid, target_oid)?;
        if oid.0 < FIRST_NORMAL_OID {
            return Err(pg_err!(
                DEPENDENT_OBJECTS_STILL_EXIST,
                "cannot drop cast from {} to {} because it is required by the database system",
                self.format_type(source_oid),
                self.format_type(target_oid)
            ));
        }
        self.remove_object_rows(catalog("pg_cast"), oid)?;
        self.txn.command_counter_increment();
        Ok(())
    }

    /// The casts made with type `object` as source or target (`is_type`), or with
    /// function `object`, go with it under CASCADE; otherwise 2BP01 (PostgreSQL's
    /// `pg_depend` normal dependencies of a cast).
    ///
    /// Errors: 2BP01 `cannot drop <root> because other objects depend on it`.
    pub(crate) fn drop_cast_dependents(
        &mut self,
        object: Oid,
        is_type: bool,
        root: &str,
        cascade: bool,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let class = catalog("pg_cast");
        let casts: Vec<(Oid, Oid, Oid)> = {
            let reader = self.catalog_reader();
            let rows = reader.rows(class)?;
            rows.iter()
                .filter(|r| oid_of(&r[class.col("oid")]).0 >= FIRST_NORMAL_OID)
                .map(|r| {
                    (
                        oid_of(&r[class.col("oid")]),
                        oid_of(&r[class.col("castsource")]),
                        oid_of(&r[class.col("casttarget")]),
                    )
                })
                .filter(|&(oid, source, target)| {
                    if is_type {
                        source == object || target == object
                    } else {
                        rows.first_matching(class.col("oid"), oid)
                            .is_some_and(|r| oid_of(&r[class.col("castfunc")]) == object)
                    }
                })
                .collect()
        };
        if casts.is_empty() {
            return Ok(());
        }
        let dependents: Vec<super::dependency::Dependent> = casts
            .iter()
            .map(|&(_, source, target)| {
                let description = format!(
                    "cast from {} to {}",
                    self.format_type(source),
                    self.format_type(target)
                );
                super::dependency::Dependent {
                    rel: Oid::INVALID,
                    kind: super::dependency::DependentKind::Relation,
                    reason: format!("{description} depends on {root}"),
                    description,
                }
            })
            .collect();
        self.report_dependents(root, &dependents, cascade, sink)?;
        for (oid, _, _) in casts {
            self.remove_object_rows(class, oid)?;
        }
        self.txn.command_counter_increment();
        Ok(())
    }

    /// `CREATE CONVERSION` (rule 5).
    ///
    /// Errors: 42501 for the schema; 42704 `source encoding "x" does not exist`
    /// (`destination ...`); 0A000 for SQL_ASCII and for non-built-in functions; 42883 for
    /// a missing function; 42P17 `encoding conversion function f must return type
    /// integer`; 42710 `conversion "c" already exists`, `default conversion for A to B
    /// already exists`.
    fn create_conversion(
        &mut self,
        name: &[String],
        for_encoding: &str,
        to_encoding: &str,
        function: &[String],
        default: bool,
    ) -> Result<()> {
        let (schema, conname) = super::enum_ddl::split_name(name);
        let (ns, _) = self.catalog_reader().creation_namespace(schema)?;
        if !self.superuser {
            let me = self.current_user_oid()?;
            self.check_namespace_create(me, ns)?;
        }
        let from = encoding_number(for_encoding).ok_or_else(|| {
            pg_err!(
                UNDEFINED_OBJECT,
                "source encoding \"{}\" does not exist",
                for_encoding
            )
        })?;
        let to = encoding_number(to_encoding).ok_or_else(|| {
            pg_err!(
                UNDEFINED_OBJECT,
                "destination encoding \"{}\" does not exist",
                to_encoding
            )
        })?;
        if from == 0 || to == 0 {
            return Err(Error::new(
                SqlState::FEATURE_NOT_SUPPORTED,
                "encoding conversion to or from \"SQL_ASCII\" is not supported",
            ));
        }
        let wanted = tusk_sql::ast_function::FunctionName {
            name: function.to_vec(),
            args: Some(
                ["int4", "int4", "cstring", "internal", "int4", "bool"]
                    .iter()
                    .map(|t| TypeName {
                        names: vec!["pg_catalog".into(), (*t).into()],
                        typmods: Vec::new(),
                        array_bounds: Vec::new(),
                        location: 0,
                    })
                    .collect(),
            ),
        };
        let (proc, _, result) = self.find_support_function(&wanted)?;
        if result != type_oid::INT4 {
            return Err(pg_err!(
                INVALID_OBJECT_DEFINITION,
                "encoding conversion function {} must return type integer",
                function.join(".")
            ));
        }
        if proc.0 >= FIRST_NORMAL_OID {
            return Err(Error::feature_not_supported(
                "encoding conversion functions other than the built-in ones",
            ));
        }
        let class = catalog("pg_conversion");
        {
            let reader = self.catalog_reader();
            let rows = reader.rows(class)?;
            let in_ns = |r: &&Vec<Datum>| oid_of(&r[class.col("connamespace")]) == ns;
            if rows
                .iter()
                .filter(in_ns)
                .any(|r| r[class.col("conname")] == Datum::Text(conname.to_string()))
            {
                return Err(pg_err!(
                    DUPLICATE_OBJECT,
                    "conversion \"{}\" already exists",
                    conname
                ));
            }
            if default
                && rows.iter().filter(in_ns).any(|r| {
                    r[class.col("condefault")] == Datum::Bool(true)
                        && r[class.col("conforencoding")] == Datum::Int4(from)
                        && r[class.col("contoencoding")] == Datum::Int4(to)
                })
            {
                return Err(pg_err!(
                    DUPLICATE_OBJECT,
                    "default conversion for {} to {} already exists",
                    tusk_executor::builtins::encoding_name(from),
                    tusk_executor::builtins::encoding_name(to)
                ));
            }
        }
        let oid = self.new_oid();
        let owner = self.current_user_oid()?;
        self.insert_catalog_row(
            CatalogRow::new(class)
                .set("oid", Datum::Oid(oid.0))
                .set("conname", Datum::Text(conname.to_string()))
                .set("connamespace", Datum::Oid(ns.0))
                .set("conowner", Datum::Oid(owner.0))
                .set("conforencoding", Datum::Int4(from))
                .set("contoencoding", Datum::Int4(to))
                .set("conproc", Datum::Oid(proc.0))
                .set("condefault", Datum::Bool(default)),
        )?;
        self.txn.command_counter_increment();
        Ok(())
    }

    /// `DROP CONVERSION name`.
    ///
    /// Errors: 42704 `conversion "c" does not exist` (a NOTICE with `IF EXISTS`); 42501
    /// `must be owner of conversion c`.
    fn drop_conversion(
        &mut self,
        name: &[String],
        missing_ok: bool,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let class = catalog("pg_conversion");
        let found = match self.find_in_path(class, name, "conname", "connamespace", |_| true) {
            Err(e) if missing_ok && e.code == SqlState::INVALID_SCHEMA_NAME => {
                sink.notice(
                    NoticeSeverity::Notice,
                    &notice(format!("{}, skipping", e.message)),
                );
                return Ok(());
            }
            other => other?,
        };
        let Some(row) = found else {
            let message = format!("conversion \"{}\" does not exist", name.join("."));
            if missing_ok {
                sink.notice(
                    NoticeSeverity::Notice,
                    &notice(format!("{message}, skipping")),
                );
                return Ok(());
            }
            return Err(Error::new(SqlState::UNDEFINED_OBJECT, message));
        };
        let oid = oid_of(&row[class.col("oid")]);
        if !self.superuser {
            let (me, privileges) = self.privileges_for_check()?;
            if !privileges.has_privs_of_role(me, oid_of(&row[class.col("conowner")])) {
                return Err(super::privilege::must_be_owner(
                    "conversion",
                    &name.join("."),
                ));
            }
        }
        self.remove_object_rows(class, oid)?;
        self.txn.command_counter_increment();
        Ok(())
    }
}

/// PostgreSQL's `pg_char_to_encoding`: the number of an encoding name or alias.
fn encoding_number(name: &str) -> Option<i32> {
    let canonical = crate::guc::canonical_encoding_name(name)?;
    (0..42).find(|&i| tusk_executor::builtins::encoding_name(i) == canonical)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_names_and_aliases_have_postgresql_numbers() {
        assert_eq!(encoding_number("SQL_ASCII"), Some(0));
        assert_eq!(encoding_number("utf8"), Some(6));
        assert_eq!(encoding_number("LATIN1"), Some(8));
        assert_eq!(encoding_number("no_such_encoding"), None);
    }
}
