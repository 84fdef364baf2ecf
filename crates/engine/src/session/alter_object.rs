//! `ALTER <object> RENAME TO | OWNER TO | SET SCHEMA` for objects that are not relations
//! (PostgreSQL's `AlterObjectRename_internal`, `AlterObjectOwner_internal`,
//! `AlterObjectNamespace_internal`, `AlterSchemaOwner`, `AlterTypeOwner`), and
//! `ALTER FUNCTION | PROCEDURE | ROUTINE name(args) action ...` (`AlterFunction`).
//!
//! Rules:
//! 1. Every kind is found first (its own "does not exist" error), then a non-superuser
//!    must have its owner's privileges (42501 `must be owner of <noun> <name>`), and, for
//!    an object in a schema, CREATE on the schema it is renamed in or moved to; only
//!    then is the new name checked for a conflict, as PostgreSQL orders its checks.
//! 2. OWNER TO the current owner does nothing and checks nothing. Otherwise a
//!    non-superuser must own the object, have the new owner's privileges, and the new
//!    owner needs CREATE on the object's schema (the current user CREATE on the database
//!    for a schema). The old owner's ACL entries move to the new owner (`aclnewowner`).
//! 3. SET SCHEMA to the schema the object is in already does nothing.
//! 4. A type moves or changes owner together with its array type (and a composite type
//!    with its `pg_class` row).
//!
//! Entry points: [`Session::alter_object`], [`Session::alter_function`].

use tusk_catalog::syscat::{self, SysCatalog};
use tusk_executor::BuiltinLookup;
use tusk_sql::analyze::Analyzer;
use tusk_sql::ast_alter_object::{
    AlterFunctionStmt, AlterObject, AlterObjectAction, AlterObjectStmt, FunctionAttribute,
    RoutineObject,
};
use tusk_sql::ast_function::FunctionName;
use tusk_sql::ast_role::RoleSpec;
use tusk_sql::ast_view::RenameSchemaStmt;
use tusk_types::adt::acl::{
    acl_from_datum, acl_new_owner, acl_to_datum, AclMode, ObjectKind, ACL_CREATE, ACL_USAGE,
};
use tusk_types::{pg_err, Datum, Error, Oid, Result, SqlState};

use super::function_catalog::{self, pg_proc, UserFunction};
use super::lookup::SessionLookup;
use super::privilege::must_be_owner;
use super::Session;

fn oid_of(d: &Datum) -> Oid {
    match d {
        Datum::Oid(o) => Oid(*o),
        _ => Oid::INVALID,
    }
}

fn text_of(d: &Datum) -> String {
    match d {
        Datum::Text(t) => t.clone(),
        _ => String::new(),
    }
}

fn catalog(name: &str) -> &'static SysCatalog {
    syscat::system_catalog_by_name(name).expect("a system catalog")
}

/// `name(type, ...)` with the types as `format_type` prints them.
pub(crate) fn signature(name: &str, types: &[Oid]) -> String {
    let names: Vec<String> = types
        .iter()
        .map(|t| tusk_executor::io::format_type(*t))
        .collect();
    format!("{}({})", name, names.join(", "))
}

/// One catalog row an ALTER changes, with what the generic checks need.
struct Target {
    class: &'static SysCatalog,
    oid: Oid,
    /// The object's name.
    name: String,
    /// The name in ownership messages when it is not `name` (a type outside the search
    /// path is qualified).
    shown: Option<String>,
    noun: &'static str,
    name_col: &'static str,
    /// The schema column and the object's schema, for objects in a schema.
    namespace: Option<(&'static str, Oid)>,
    owner_col: &'static str,
    owner: Oid,
    acl_col: Option<&'static str>,
}

impl Target {
    /// The target of row `row` of `class`.
    #[allow(clippy::too_many_arguments)]
    fn of(
        class: &'static SysCatalog,
        row: &[Datum],
        noun: &'static str,
        name_col: &'static str,
        namespace_col: Option<&'static str>,
        owner_col: &'static str,
        acl_col: Option<&'static str>,
    ) -> Target {
        Target {
            class,
            oid: oid_of(&row[class.col("oid")]),
            name: text_of(&row[class.col(name_col)]),
            shown: None,
            noun,
            name_col,
            namespace: namespace_col.map(|c| (c, oid_of(&row[class.col(c)]))),
            owner_col,
            owner: oid_of(&row[class.col(owner_col)]),
            acl_col,
        }
    }
}

impl Session {
    /// `ALTER <object> RENAME TO | OWNER TO | SET SCHEMA` (rules 1–4).
    ///
    /// Errors: each kind's "does not exist" (42883, 42704, 3F000); 42501 `must be owner
    /// of <noun> <name>`, `must be member of role "r"`, `permission denied for schema s`;
    /// 42723 / 42710 for a name already taken; 42809 `function f(integer) is not an
    /// aggregate` and the like; 0A000 for kinds tusk has no ALTER for; 25006.
    pub(crate) fn alter_object(&mut self, stmt: &AlterObjectStmt) -> Result<String> {
        let tag = tag_of(&stmt.object);
        self.read_only_check(&tag)?;
        if let AlterObject::Type { name, .. } = &stmt.object {
            let (schema, bare) = super::enum_ddl::split_name(name);
            let found = crate::user_types::user_type_by_name(&self.catalog_reader(), schema, bare)?;
            if let Some(ty) = found {
                self.refuse_rowtype_alter(&ty)?;
            }
        }
        match (&stmt.object, &stmt.action) {
            (AlterObject::Other(tag), _) => {
                return Err(Error::feature_not_supported(tag.clone()));
            }
            (AlterObject::Schema(name), AlterObjectAction::Rename(new_name)) => {
                return self.rename_schema(&RenameSchemaStmt {
                    name: name.clone(),
                    new_name: new_name.clone(),
                });
            }
            (AlterObject::Type { name, domain }, AlterObjectAction::Rename(new_name)) => {
                let ty = self.type_target(name, *domain)?;
                self.check_owner(&ty)?;
                self.rename_type(name, new_name)?;
                return Ok(tag);
            }
            (AlterObject::Operator { .. }, AlterObjectAction::Rename(_))
            | (AlterObject::Language(_), AlterObjectAction::SetSchema(_))
            | (AlterObject::Schema(_), AlterObjectAction::SetSchema(_)) => {
                return Err(Error::feature_not_supported(format!("this form of {tag}")));
            }
            _ => {}
        }
        let target = self.object_target(&stmt.object)?;
        match &stmt.action {
            AlterObjectAction::Rename(new_name) => {
                self.rename_target(&stmt.object, &target, new_name)?
            }
            AlterObjectAction::Owner(role) => self.owner_target(&stmt.object, &target, role)?,
            AlterObjectAction::SetSchema(schema) => {
                self.set_schema_target(&stmt.object, &target, schema)?
            }
        }
        Ok(tag)
    }

    /// `COMMENT ON <object> IS 'text' | NULL` for the objects the generic ALTER names
    /// (functions, procedures, aggregates, types, domains, schemas, languages,
    /// conversions, operators, operator classes and families): the owner may set or
    /// remove the `pg_description` row.
    ///
    /// Errors: each kind's "does not exist"; 42501 `must be owner of <noun> <name>`;
    /// 0A000 for kinds tusk has no catalog for.
    pub(crate) fn comment_on_object(
        &mut self,
        object: &AlterObject,
        comment: Option<&str>,
    ) -> Result<()> {
        if let AlterObject::Other(tag) = object {
            let what = tag.strip_prefix("ALTER ").unwrap_or(tag);
            return Err(Error::feature_not_supported(format!("COMMENT ON {what}")));
        }
        if let AlterObject::Type { name, domain: true } = object {
            // COMMENT's own wording, the name quoted as written.
            let (schema, bare) = super::enum_ddl::split_name(name);
            let found = crate::user_types::user_type_by_name(&self.catalog_reader(), schema, bare)?;
            if found.is_some_and(|t| t.typtype != b'd') {
                return Err(pg_err!(
                    WRONG_OBJECT_TYPE,
                    "\"{}\" is not a domain",
                    name.join(".")
                ));
            }
        }
        let target = self.object_target(object)?;
        self.check_owner(&target)?;
        self.set_comment(target.oid, target.class.oid, 0, comment)?;
        Ok(())
    }

    /// The row `object` names.
    fn object_target(&mut self, object: &AlterObject) -> Result<Target> {
        match object {
            AlterObject::Routine { kind, function } => {
                let (_, row) = self.routine_row(*kind, function)?;
                Ok(Target::of(
                    pg_proc(),
                    &row,
                    "function",
                    "proname",
                    Some("pronamespace"),
                    "proowner",
                    Some("proacl"),
                ))
            }
            AlterObject::Type { name, domain } => self.type_target(name, *domain),
            AlterObject::Schema(name) => {
                let class = catalog("pg_namespace");
                let reader = self.catalog_reader();
                let rows = reader.rows(class)?;
                let wanted = Datum::Text(name.clone());
                let row = rows
                    .iter()
                    .find(|r| r[class.col("nspname")] == wanted)
                    .ok_or_else(|| {
                        pg_err!(INVALID_SCHEMA_NAME, "schema \"{}\" does not exist", name)
                    })?;
                Ok(Target::of(
                    class,
                    row,
                    "schema",
                    "nspname",
                    None,
                    "nspowner",
                    Some("nspacl"),
                ))
            }
            AlterObject::Language(name) => {
                let class = catalog("pg_language");
                let reader = self.catalog_reader();
                let rows = reader.rows(class)?;
                let wanted = Datum::Text(name.clone());
                let row = rows
                    .iter()
                    .find(|r| r[class.col("lanname")] == wanted)
                    .ok_or_else(|| {
                        pg_err!(UNDEFINED_OBJECT, "language \"{}\" does not exist", name)
                    })?;
                Ok(Target::of(
                    class,
                    row,
                    "language",
                    "lanname",
                    None,
                    "lanowner",
                    Some("lanacl"),
                ))
            }
            AlterObject::Conversion(names) => {
                let class = syscat::system_catalog_by_name("pg_conversion")
                    .ok_or_else(|| Error::feature_not_supported("CONVERSION"))?;
                let row = self
                    .find_in_path(class, names, "conname", "connamespace", |_| true)?
                    .ok_or_else(|| {
                        pg_err!(
                            UNDEFINED_OBJECT,
                            "conversion \"{}\" does not exist",
                            names.join(".")
                        )
                    })?;
                Ok(Target::of(
                    class,
                    &row,
                    "conversion",
                    "conname",
                    Some("connamespace"),
                    "conowner",
                    None,
                ))
            }
            AlterObject::OperatorFamily { name, method } => {
                let am = self.access_method(method)?;
                let class = catalog("pg_opfamily");
                let c_method = class.col("opfmethod");
                let row = self
                    .find_in_path(class, name, "opfname", "opfnamespace", |r| {
                        oid_of(&r[c_method]) == am
                    })?
                    .ok_or_else(|| {
                        pg_err!(
                            UNDEFINED_OBJECT,
                            "operator family \"{}\" does not exist for access method \"{}\"",
                            name.join("."),
                            method
                        )
                    })?;
                Ok(Target::of(
                    class,
                    &row,
                    "operator family",
                    "opfname",
                    Some("opfnamespace"),
                    "opfowner",
                    None,
                ))
            }
            AlterObject::OperatorClass { name, method } => {
                let am = self.access_method(method)?;
                let class = catalog("pg_opclass");
                let c_method = class.col("opcmethod");
                let row = self
                    .find_in_path(class, name, "opcname", "opcnamespace", |r| {
                        oid_of(&r[c_method]) == am
                    })?
                    .ok_or_else(|| {
                        pg_err!(
                            UNDEFINED_OBJECT,
                            "operator class \"{}\" does not exist for access method \"{}\"",
                            name.join("."),
                            method
                        )
                    })?;
                Ok(Target::of(
                    class,
                    &row,
                    "operator class",
                    "opcname",
                    Some("opcnamespace"),
                    "opcowner",
                    None,
                ))
            }
            AlterObject::Operator { name, left, right } => {
                let (left, right) = {
                    let reader = self.catalog_reader();
                    let lookup = SessionLookup {
                        builtin: BuiltinLookup {
                            settings: &self.output,
                        },
                        catalog: &reader,
                    };
                    let mut analyzer = Analyzer::new(&lookup, "", Vec::new());
                    let mut resolve = |t: &Option<tusk_sql::ast::TypeName>| -> Result<Oid> {
                        match t {
                            Some(t) => analyzer.resolve_type_name(t).map(|(o, _)| o),
                            None => Ok(Oid::INVALID),
                        }
                    };
                    (resolve(left)?, resolve(right)?)
                };
                let class = catalog("pg_operator");
                let (c_left, c_right) = (class.col("oprleft"), class.col("oprright"));
                let row = self
                    .find_in_path(class, name, "oprname", "oprnamespace", |r| {
                        oid_of(&r[c_left]) == left && oid_of(&r[c_right]) == right
                    })?
                    .ok_or_else(|| {
                        let shown = |t: Oid| {
                            if t == Oid::INVALID {
                                "NONE".to_string()
                            } else {
                                tusk_executor::io::format_type(t)
                            }
                        };
                        pg_err!(
                            UNDEFINED_FUNCTION,
                            "operator does not exist: {} {} {}",
                            shown(left),
                            name.join("."),
                            shown(right)
                        )
                    })?;
                Ok(Target::of(
                    class,
                    &row,
                    "operator",
                    "oprname",
                    Some("oprnamespace"),
                    "oprowner",
                    None,
                ))
            }
            AlterObject::Other(tag) => Err(Error::feature_not_supported(tag.clone())),
        }
    }

    /// The `pg_am` OID of access method `name`.
    ///
    /// Errors: 42704 `access method "x" does not exist`.
    pub(crate) fn access_method(&self, name: &str) -> Result<Oid> {
        let class = catalog("pg_am");
        let reader = self.catalog_reader();
        let rows = reader.rows(class)?;
        let wanted = Datum::Text(name.to_string());
        rows.iter()
            .find(|r| r[class.col("amname")] == wanted)
            .map(|r| oid_of(&r[class.col("oid")]))
            .ok_or_else(|| {
                pg_err!(
                    UNDEFINED_OBJECT,
                    "access method \"{}\" does not exist",
                    name
                )
            })
    }

    /// The row of `class` named `names` (qualified, or the first schema of the search path
    /// with one) that also satisfies `filter`.
    ///
    /// Errors: 3F000 for a missing explicit schema; catalog read errors.
    pub(super) fn find_in_path(
        &self,
        class: &'static SysCatalog,
        names: &[String],
        name_col: &str,
        namespace_col: &str,
        filter: impl Fn(&[Datum]) -> bool,
    ) -> Result<Option<Vec<Datum>>> {
        let reader = self.catalog_reader();
        let (schema, name) = super::enum_ddl::split_name(names);
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
        let (c_name, c_ns) = (class.col(name_col), class.col(namespace_col));
        let wanted = Datum::Text(name.to_string());
        for ns in namespaces {
            if let Some(row) = rows
                .iter()
                .find(|r| r[c_name] == wanted && oid_of(&r[c_ns]) == ns && filter(r))
            {
                return Ok(Some(row.to_vec()));
            }
        }
        Ok(None)
    }

    /// The type (or domain) `names`.
    ///
    /// Errors: 42704 `type "x" does not exist`; 42809 `x is not a domain`.
    fn type_target(&self, names: &[String], domain: bool) -> Result<Target> {
        let (schema, name) = super::enum_ddl::split_name(names);
        let ty = crate::user_types::user_type_by_name(&self.catalog_reader(), schema, name)?
            .ok_or_else(|| {
                pg_err!(
                    UNDEFINED_OBJECT,
                    "type \"{}\" does not exist",
                    names.join(".")
                )
            })?;
        if domain && ty.typtype != b'd' {
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "{} is not a domain",
                names.join(".")
            ));
        }
        let class = catalog("pg_type");
        let reader = self.catalog_reader();
        let rows = reader.rows(class)?;
        let row = rows
            .first_matching(class.col("oid"), ty.oid)
            .ok_or_else(|| Error::internal("type row vanished"))?;
        let mut target = Target::of(
            class,
            row,
            "type",
            "typname",
            Some("typnamespace"),
            "typowner",
            Some("typacl"),
        );
        // Messages name the type as `format_type` does: qualified unless its schema is
        // on the search path.
        if !function_catalog::search_namespaces(&reader)?.contains(&ty.namespace) {
            let schema = reader.namespace_name(ty.namespace)?.unwrap_or_default();
            target.shown = Some(format!("{schema}.{}", ty.name));
        }
        Ok(target)
    }

    /// The `pg_proc` row `function` names for an ALTER of `kind` (PostgreSQL's
    /// `LookupFuncWithArgs`).
    ///
    /// Errors: 42883 `function f(integer) does not exist` (`aggregate`, `procedure`,
    /// `routine`), `could not find a function named "f"`; 42725 `function name "f" is not
    /// unique`; 42809 `function f(integer) is not an aggregate`, `f(integer) is not a
    /// procedure`, `f(integer) is not a function`.
    fn routine_row(
        &self,
        kind: RoutineObject,
        function: &FunctionName,
    ) -> Result<(UserFunction, Vec<Datum>)> {
        let noun = match kind {
            RoutineObject::Function => "function",
            RoutineObject::Procedure => "procedure",
            RoutineObject::Routine => "routine",
            RoutineObject::Aggregate => "aggregate",
        };
        let name = function.name.last().cloned().unwrap_or_default();
        let reader = self.catalog_reader();
        let namespaces = match function.name.as_slice() {
            [schema, _] | [_, schema, _] => {
                vec![reader.namespace_oid(schema)?.ok_or_else(|| {
                    pg_err!(INVALID_SCHEMA_NAME, "schema \"{}\" does not exist", schema)
                })?]
            }
            _ => function_catalog::search_namespaces(&reader)?,
        };
        let lookup = SessionLookup {
            builtin: BuiltinLookup {
                settings: &self.output,
            },
            catalog: &reader,
        };
        let wanted = match &function.args {
            Some(types) => {
                let mut analyzer = Analyzer::new(&lookup, "", Vec::new());
                Some(
                    types
                        .iter()
                        .map(|t| analyzer.resolve_type_name(t).map(|(o, _)| o))
                        .collect::<Result<Vec<Oid>>>()?,
                )
            }
            None => None,
        };
        let mut found = function_catalog::user_functions(&reader, &name, Some(&namespaces))?;
        if let Some(w) = &wanted {
            found.retain(|u| &u.arg_types == w);
        }
        if let Some(first) = namespaces
            .iter()
            .find(|ns| found.iter().any(|u| u.namespace == **ns))
        {
            found.retain(|u| u.namespace == *first);
        }
        let function = match found.as_slice() {
            [] => {
                return Err(match &wanted {
                    // The name as written, qualified or not (`NameListToString`).
                    Some(types) => pg_err!(
                        UNDEFINED_FUNCTION,
                        "{} {} does not exist",
                        noun,
                        signature(&function.name.join("."), types)
                    ),
                    None => pg_err!(
                        UNDEFINED_FUNCTION,
                        "could not find a {} named \"{}\"",
                        noun,
                        name
                    ),
                });
            }
            [one] => one.clone(),
            _ => {
                return Err(pg_err!(
                    AMBIGUOUS_FUNCTION,
                    "{} name \"{}\" is not unique",
                    noun,
                    name
                )
                .hint(format!(
                    "Specify the argument list to select the {noun} unambiguously."
                )))
            }
        };
        let shown = signature(&name, &function.arg_types);
        match (kind, function.kind) {
            (RoutineObject::Aggregate, k) if k != b'a' => {
                return Err(pg_err!(
                    WRONG_OBJECT_TYPE,
                    "function {} is not an aggregate",
                    shown
                ))
            }
            (RoutineObject::Function, b'p') => {
                return Err(pg_err!(WRONG_OBJECT_TYPE, "{} is not a function", shown))
            }
            (RoutineObject::Procedure, k) if k != b'p' => {
                return Err(pg_err!(WRONG_OBJECT_TYPE, "{} is not a procedure", shown))
            }
            _ => {}
        }
        let c = pg_proc();
        let row = reader
            .rows(c)?
            .first_matching(c.col("oid"), function.oid)
            .map(|r| r.to_vec())
            .ok_or_else(|| Error::internal("function row vanished"))?;
        Ok((function, row))
    }

    /// Rule 1's ownership check.
    ///
    /// Errors: 42501 `must be owner of <noun> <name>`.
    fn check_owner(&self, target: &Target) -> Result<()> {
        if self.superuser {
            return Ok(());
        }
        let (me, privileges) = self.privileges_for_check()?;
        if privileges.has_privs_of_role(me, target.owner) {
            return Ok(());
        }
        Err(must_be_owner(
            target.noun,
            target.shown.as_deref().unwrap_or(&target.name),
        ))
    }

    /// Whether `role` holds CREATE on schema `namespace`.
    fn has_namespace_create(&self, role: Oid, namespace: Oid) -> Result<bool> {
        self.has_namespace_privilege(role, namespace, ACL_CREATE)
    }

    /// 42501 `permission denied for schema s` unless the current user (a superuser, or
    /// one holding USAGE) may look objects up in `namespace` (PostgreSQL's
    /// `LookupExplicitNamespace`).
    pub(super) fn check_namespace_usage(&self, namespace: Oid) -> Result<()> {
        if self.superuser {
            return Ok(());
        }
        let me = self.current_user_oid()?;
        if self.has_namespace_privilege(me, namespace, ACL_USAGE)? {
            return Ok(());
        }
        Err(pg_err!(
            INSUFFICIENT_PRIVILEGE,
            "permission denied for schema {}",
            self.namespace_name_of(namespace)?
        ))
    }

    fn has_namespace_privilege(&self, role: Oid, namespace: Oid, mask: AclMode) -> Result<bool> {
        let (_, privileges) = self.privileges_for_check()?;
        let class = catalog("pg_namespace");
        let reader = self.catalog_reader();
        let rows = reader.rows(class)?;
        let Some(row) = rows.first_matching(class.col("oid"), namespace) else {
            return Ok(false);
        };
        let (granted, _) = privileges.mask(
            role,
            oid_of(&row[class.col("nspowner")]),
            &row[class.col("nspacl")],
            ObjectKind::Schema,
            mask,
        );
        Ok(granted & mask != 0)
    }

    /// The namespace a CREATE puts its object in (the schema named, or the first existing
    /// one on the search path) once the current user is found to hold CREATE on it
    /// (PostgreSQL's `RangeVarGetAndCheckCreationNamespace`; superusers always do).
    ///
    /// Errors: 3F000 for a missing schema, `no schema has been selected to create in`;
    /// 42501 `permission denied for schema s`.
    pub(crate) fn checked_creation_namespace(&self, schema: Option<&str>) -> Result<(Oid, String)> {
        let found = self.catalog_reader().creation_namespace(schema)?;
        if !self.superuser {
            let me = self.current_user_oid()?;
            self.check_namespace_create(me, found.0)?;
        }
        Ok(found)
    }

    /// 42501 `permission denied for schema s` unless `role` may create in `namespace`.
    pub(super) fn check_namespace_create(&self, role: Oid, namespace: Oid) -> Result<()> {
        if self.has_namespace_create(role, namespace)? {
            return Ok(());
        }
        let name = self
            .catalog_reader()
            .namespace_name(namespace)?
            .unwrap_or_default();
        Err(pg_err!(
            INSUFFICIENT_PRIVILEGE,
            "permission denied for schema {}",
            name
        ))
    }

    fn namespace_name_of(&self, namespace: Oid) -> Result<String> {
        Ok(self
            .catalog_reader()
            .namespace_name(namespace)?
            .unwrap_or_default())
    }

    /// 42723 / 42710 if `object` could not be called `new_name` in `namespace`.
    fn check_name_free(
        &self,
        object: &AlterObject,
        target: &Target,
        new_name: &str,
        namespace: Option<Oid>,
    ) -> Result<()> {
        let class = target.class;
        let reader = self.catalog_reader();
        let rows = reader.rows(class)?;
        let row = rows
            .first_matching(class.col("oid"), target.oid)
            .ok_or_else(|| Error::internal("object row vanished"))?
            .to_vec();
        let c_name = class.col(target.name_col);
        let wanted = Datum::Text(new_name.to_string());
        let same_namespace = |r: &[Datum]| match (target.namespace, namespace) {
            (Some((col, _)), Some(ns)) => oid_of(&r[class.col(col)]) == ns,
            _ => true,
        };
        // The columns besides name and schema that make a row's identity.
        let keys: &[&str] = match object {
            AlterObject::Routine { .. } => &["proargtypes"],
            AlterObject::OperatorFamily { .. } => &["opfmethod"],
            AlterObject::OperatorClass { .. } => &["opcmethod"],
            AlterObject::Operator { .. } => &["oprleft", "oprright"],
            _ => &[],
        };
        let clash = rows.iter().any(|r| {
            oid_of(&r[class.col("oid")]) != target.oid
                && r[c_name] == wanted
                && same_namespace(r)
                && keys.iter().all(|k| r[class.col(k)] == row[class.col(k)])
        });
        if !clash {
            return Ok(());
        }
        let schema = match namespace {
            Some(ns) => self.namespace_name_of(ns)?,
            None => String::new(),
        };
        Err(match object {
            AlterObject::Routine { .. } => {
                let types: Vec<Oid> = match &row[class.col("proargtypes")] {
                    Datum::Array(a) => a.elems.iter().map(oid_of).collect(),
                    _ => Vec::new(),
                };
                pg_err!(
                    DUPLICATE_FUNCTION,
                    "function {} already exists in schema \"{}\"",
                    signature(new_name, &types),
                    schema
                )
            }
            AlterObject::OperatorFamily { method, .. } => pg_err!(
                DUPLICATE_OBJECT,
                "operator family \"{}\" for access method \"{}\" already exists in schema \"{}\"",
                new_name,
                method,
                schema
            ),
            AlterObject::OperatorClass { method, .. } => pg_err!(
                DUPLICATE_OBJECT,
                "operator class \"{}\" for access method \"{}\" already exists in schema \"{}\"",
                new_name,
                method,
                schema
            ),
            AlterObject::Language(_) => {
                pg_err!(DUPLICATE_OBJECT, "language \"{}\" already exists", new_name)
            }
            AlterObject::Type { .. } => pg_err!(
                DUPLICATE_OBJECT,
                "type \"{}\" already exists in schema \"{}\"",
                new_name,
                schema
            ),
            _ => pg_err!(
                DUPLICATE_OBJECT,
                "{} \"{}\" already exists in schema \"{}\"",
                target.noun,
                new_name,
                schema
            ),
        })
    }

    fn rename_target(
        &mut self,
        object: &AlterObject,
        target: &Target,
        new_name: &str,
    ) -> Result<()> {
        if !self.superuser {
            self.check_owner(target)?;
            if let Some((_, ns)) = target.namespace {
                let me = self.current_user_oid()?;
                self.check_namespace_create(me, ns)?;
            }
        }
        self.check_name_free(object, target, new_name, target.namespace.map(|(_, ns)| ns))?;
        let (col, new_name) = (target.name_col, new_name.to_string());
        self.update_object_row(target.class, target.oid, move |row, c| {
            row[c(col)] = Datum::Text(new_name)
        })
    }

    fn owner_target(
        &mut self,
        object: &AlterObject,
        target: &Target,
        role: &RoleSpec,
    ) -> Result<()> {
        let new_owner = self.resolve_role_spec(role)?;
        if new_owner.oid == target.owner {
            return Ok(());
        }
        if !self.superuser {
            self.check_owner(target)?;
            let (me, privileges) = self.privileges_for_check()?;
            if !privileges.has_privs_of_role(me, new_owner.oid) {
                return Err(pg_err!(
                    INSUFFICIENT_PRIVILEGE,
                    "must be member of role \"{}\"",
                    new_owner.name
                ));
            }
            match (object, target.namespace) {
                (AlterObject::Schema(_), _) if !self.has_database_create(me, &privileges)? => {
                    return Err(pg_err!(
                        INSUFFICIENT_PRIVILEGE,
                        "permission denied for database {}",
                        self.database
                    ));
                }
                (AlterObject::Schema(_), _) => {}
                (_, Some((_, ns))) => self.check_namespace_create(new_owner.oid, ns)?,
                _ => {}
            }
        }
        let mut oids = vec![target.oid];
        if let AlterObject::Type { .. } = object {
            oids.extend(self.type_companions(target.oid)?.0);
        }
        let (owner_col, acl_col, old, new) = (
            target.owner_col,
            target.acl_col,
            target.owner,
            new_owner.oid,
        );
        for oid in oids {
            self.update_object_row(target.class, oid, move |row, c| {
                if let Some(acl_col) = acl_col {
                    if let Some(acl) = acl_from_datum(&row[c(acl_col)]) {
                        row[c(acl_col)] = acl_to_datum(&acl_new_owner(&acl, old, new));
                    }
                }
                row[c(owner_col)] = Datum::Oid(new.0)
            })?;
        }
        if let AlterObject::Type { .. } = object {
            if let Some(rel) = self.type_companions(target.oid)?.1 {
                let class = catalog("pg_class");
                self.update_object_row(class, rel, move |row, c| {
                    row[c("relowner")] = Datum::Oid(new.0)
                })?;
            }
        }
        Ok(())
    }

    /// A type's array type (if any) and, for a composite type, its `pg_class` row.
    fn type_companions(&self, ty: Oid) -> Result<(Vec<Oid>, Option<Oid>)> {
        let class = catalog("pg_type");
        let reader = self.catalog_reader();
        let rows = reader.rows(class)?;
        let Some(row) = rows.first_matching(class.col("oid"), ty) else {
            return Ok((Vec::new(), None));
        };
        let array = oid_of(&row[class.col("typarray")]);
        let rel = oid_of(&row[class.col("typrelid")]);
        Ok((
            (array != Oid::INVALID)
                .then_some(array)
                .into_iter()
                .collect(),
            (rel != Oid::INVALID).then_some(rel),
        ))
    }

    fn set_schema_target(
        &mut self,
        object: &AlterObject,
        target: &Target,
        schema: &str,
    ) -> Result<()> {
        let Some((ns_col, old_ns)) = target.namespace else {
            return Err(Error::feature_not_supported("SET SCHEMA of this object"));
        };
        let new_ns = self
            .catalog_reader()
            .namespace_oid(schema)?
            .ok_or_else(|| pg_err!(INVALID_SCHEMA_NAME, "schema \"{}\" does not exist", schema))?;
        if new_ns == old_ns {
            return Ok(());
        }
        let temp_or_toast = schema.starts_with("pg_temp") || schema.starts_with("pg_toast");
        if temp_or_toast || new_ns == syscat::PG_CATALOG_NAMESPACE {
            let what = if new_ns == syscat::PG_CATALOG_NAMESPACE {
                "cannot move objects into or out of system schemas"
            } else if schema.starts_with("pg_toast") {
                "cannot move objects into or out of TOAST schema"
            } else {
                "cannot move objects into or out of temporary schemas"
            };
            return Err(pg_err!(FEATURE_NOT_SUPPORTED, "{}", what));
        }
        if !self.superuser {
            self.check_owner(target)?;
            let me = self.current_user_oid()?;
            self.check_namespace_create(me, new_ns)?;
        }
        self.check_name_free(object, target, &target.name, Some(new_ns))?;
        let mut oids = vec![target.oid];
        let mut rel = None;
        if let AlterObject::Type { .. } = object {
            let (arrays, r) = self.type_companions(target.oid)?;
            oids.extend(arrays);
            rel = r;
        }
        for oid in oids {
            self.update_object_row(target.class, oid, move |row, c| {
                row[c(ns_col)] = Datum::Oid(new_ns.0)
            })?;
        }
        if let Some(rel) = rel {
            let class = catalog("pg_class");
            self.update_object_row(class, rel, move |row, c| {
                row[c("relnamespace")] = Datum::Oid(new_ns.0)
            })?;
        }
        Ok(())
    }

    /// `ALTER FUNCTION | PROCEDURE | ROUTINE name(args) action ...` (PostgreSQL's
    /// `AlterFunction`).
    ///
    /// Errors: those of the lookup (42883, 42809); 42809 `"f" is an aggregate function`;
    /// 42501 `must be owner of function f`, `only superuser can define a leakproof
    /// function`, `must be superuser to specify a support function`; 42601 `conflicting
    /// or redundant options`; 22023 `COST must be positive`, `ROWS must be positive`,
    /// `ROWS is not applicable when function does not return a set`; 0A000 for SET /
    /// RESET of configuration parameters and SUPPORT functions; 25006.
    pub(crate) fn alter_function(&mut self, stmt: &AlterFunctionStmt) -> Result<String> {
        let tag = match stmt.kind {
            RoutineObject::Procedure => "ALTER PROCEDURE",
            RoutineObject::Routine => "ALTER ROUTINE",
            _ => "ALTER FUNCTION",
        };
        self.read_only_check(tag)?;
        let (function, row) = self.routine_row(stmt.kind, &stmt.function)?;
        let c = pg_proc();
        let target = Target::of(
            c,
            &row,
            "function",
            "proname",
            Some("pronamespace"),
            "proowner",
            Some("proacl"),
        );
        self.check_owner(&target)?;
        if function.kind == b'a' {
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "\"{}\" is an aggregate function",
                stmt.function.name.join(".")
            ));
        }
        let mut seen: Vec<std::mem::Discriminant<FunctionAttribute>> = Vec::new();
        let mut changes: Vec<(&'static str, Datum)> = Vec::new();
        let mut rows_given = None;
        for action in &stmt.actions {
            let key = std::mem::discriminant(action);
            if seen.contains(&key) && !matches!(action, FunctionAttribute::Config(_)) {
                return Err(pg_err!(SYNTAX_ERROR, "conflicting or redundant options"));
            }
            seen.push(key);
            match action {
                FunctionAttribute::Volatility(v) => {
                    changes.push(("provolatile", Datum::Text((*v as char).to_string())))
                }
                FunctionAttribute::Strict(s) => changes.push(("proisstrict", Datum::Bool(*s))),
                FunctionAttribute::SecurityDefiner(s) => {
                    changes.push(("prosecdef", Datum::Bool(*s)))
                }
                FunctionAttribute::Leakproof(l) => {
                    if *l && !self.superuser {
                        return Err(pg_err!(
                            INSUFFICIENT_PRIVILEGE,
                            "only superuser can define a leakproof function"
                        ));
                    }
                    changes.push(("proleakproof", Datum::Bool(*l)))
                }
                FunctionAttribute::Cost(text) => {
                    let cost = number(text, "cost")?;
                    if cost <= 0.0 {
                        return Err(pg_err!(INVALID_PARAMETER_VALUE, "COST must be positive"));
                    }
                    changes.push(("procost", Datum::Float4(cost as f32)))
                }
                FunctionAttribute::Rows(text) => {
                    let rows = number(text, "rows")?;
                    if rows <= 0.0 {
                        return Err(pg_err!(INVALID_PARAMETER_VALUE, "ROWS must be positive"));
                    }
                    rows_given = Some(rows);
                    changes.push(("prorows", Datum::Float4(rows as f32)))
                }
                FunctionAttribute::Parallel(Ok(p)) => {
                    changes.push(("proparallel", Datum::Text((*p as char).to_string())))
                }
                FunctionAttribute::Parallel(Err(_)) => {
                    return Err(pg_err!(
                        INVALID_PARAMETER_VALUE,
                        "parameter \"parallel\" must be SAFE, RESTRICTED, or UNSAFE"
                    ))
                }
                FunctionAttribute::Support(_) => {
                    if !self.superuser {
                        return Err(pg_err!(
                            INSUFFICIENT_PRIVILEGE,
                            "must be superuser to specify a support function"
                        ));
                    }
                    return Err(Error::new(
                        SqlState::FEATURE_NOT_SUPPORTED,
                        "SUPPORT functions are not supported",
                    ));
                }
                FunctionAttribute::Config(name) => {
                    return Err(Error::new(
                        SqlState::FEATURE_NOT_SUPPORTED,
                        format!(
                            "SET and RESET of configuration parameter \"{name}\" in {tag} \
                             are not supported"
                        ),
                    ))
                }
            }
        }
        if rows_given.is_some() && !function.retset {
            return Err(pg_err!(
                INVALID_PARAMETER_VALUE,
                "ROWS is not applicable when function does not return a set"
            ));
        }
        if !changes.is_empty() {
            self.update_object_row(c, function.oid, move |row, col| {
                for (name, value) in changes {
                    row[col(name)] = value;
                }
            })?;
        }
        Ok(tag.to_string())
    }
}

fn number(text: &str, what: &str) -> Result<f64> {
    text.parse::<f64>().map_err(|_| {
        pg_err!(
            SYNTAX_ERROR,
            "invalid value for parameter \"{}\": \"{}\"",
            what,
            text
        )
    })
}

/// PostgreSQL's command tag of an ALTER of `object`.
fn tag_of(object: &AlterObject) -> String {
    match object {
        AlterObject::Routine { kind, .. } => match kind {
            RoutineObject::Function => "ALTER FUNCTION",
            RoutineObject::Procedure => "ALTER PROCEDURE",
            RoutineObject::Routine => "ALTER ROUTINE",
            RoutineObject::Aggregate => "ALTER AGGREGATE",
        }
        .to_string(),
        AlterObject::Type { domain: true, .. } => "ALTER DOMAIN".into(),
        AlterObject::Type { .. } => "ALTER TYPE".into(),
        AlterObject::Schema(_) => "ALTER SCHEMA".into(),
        AlterObject::Language(_) => "ALTER LANGUAGE".into(),
        AlterObject::Conversion(_) => "ALTER CONVERSION".into(),
        AlterObject::Operator { .. } => "ALTER OPERATOR".into(),
        AlterObject::OperatorFamily { .. } => "ALTER OPERATOR FAMILY".into(),
        AlterObject::OperatorClass { .. } => "ALTER OPERATOR CLASS".into(),
        AlterObject::Other(tag) => tag.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_follow_the_keyword_written() {
        let routine = |kind| AlterObject::Routine {
            kind,
            function: FunctionName {
                name: vec!["f".into()],
                args: None,
            },
        };
        assert_eq!(
            tag_of(&routine(RoutineObject::Aggregate)),
            "ALTER AGGREGATE"
        );
        assert_eq!(tag_of(&routine(RoutineObject::Routine)), "ALTER ROUTINE");
        assert_eq!(
            tag_of(&AlterObject::Type {
                name: vec!["d".into()],
                domain: true
            }),
            "ALTER DOMAIN"
        );
    }

    #[test]
    fn signatures_print_type_names() {
        assert_eq!(signature("f", &[Oid(23), Oid(25)]), "f(integer, text)");
    }
}
