//! `DROP OWNED BY role [, ...] [CASCADE | RESTRICT]` (PostgreSQL's `DropOwnedObjects`
//! and `shdepDropOwned`; docs: SQL Commands, DROP OWNED).
//!
//! Rules:
//! 1. Unless a superuser, the current user must have the privileges of every role named
//!    (42501 `permission denied to drop objects`); the bootstrap superuser's objects
//!    cannot be dropped (2BP01).
//! 2. Privileges: every ACL entry granted to one of the roles, or granted by one of them
//!    (privileges that came from their grant options, as REVOKE ... CASCADE removes),
//!    goes from the objects of the current database and from databases and tablespaces.
//!    The roles' default privileges go, and entries of other roles' default privileges
//!    that name them.
//! 3. Policies: the roles leave each policy's role list; a policy left with none is
//!    dropped.
//! 4. Objects: the relations, functions, types and schemas of the current database the
//!    roles own are dropped (databases and tablespaces are not). Objects of other roles
//!    depending on them (views reading an owned table, members of an owned schema) make
//!    RESTRICT fail with 2BP01 `cannot drop desired object(s) because other objects
//!    depend on them` and are dropped first under CASCADE, with PostgreSQL's NOTICE.
//!    Views go before other relations, relations before functions and types, schemas
//!    last; each relation drops as DROP ... CASCADE would once those checks passed, so a
//!    foreign key of another role's table referencing an owned table goes with it.
//!
//! Entry point: `Session::drop_owned`.

use std::collections::HashSet;

use tusk_catalog::syscat;
use tusk_sql::ast::RangeVar;
use tusk_sql::ast_ddl::{DropKind, DropStmt};
use tusk_sql::ast_role::RoleSpec;
use tusk_types::adt::acl::{acl_from_datum, acl_to_datum, AclItem};
use tusk_types::{pg_err, Datum, Oid, Result};

use super::dependency::{DependentKind, DropRoot};
use super::Session;
use crate::sink::Sink;

/// Catalogs with an ACL column: catalog, ACL column.
const ACL_CATALOGS: &[(&str, &str)] = &[
    ("pg_class", "relacl"),
    ("pg_proc", "proacl"),
    ("pg_namespace", "nspacl"),
    ("pg_type", "typacl"),
    ("pg_language", "lanacl"),
    ("pg_largeobject_metadata", "lomacl"),
    ("pg_foreign_data_wrapper", "fdwacl"),
    ("pg_foreign_server", "srvacl"),
    ("pg_database", "datacl"),
    ("pg_tablespace", "spcacl"),
];

fn oid_of(d: &Datum) -> Oid {
    match d {
        Datum::Oid(o) => Oid(*o),
        _ => Oid::INVALID,
    }
}

fn text_of(d: &Datum) -> &str {
    match d {
        Datum::Text(t) => t,
        _ => "",
    }
}

/// The objects the roles own in the current database (rule 4).
#[derive(Default)]
struct Owned {
    /// Relations: OID, kind, schema, name; views and materialized views first.
    relations: Vec<(Oid, u8, String, String)>,
    functions: Vec<Oid>,
    types: Vec<Oid>,
    /// Schemas: OID and name.
    schemas: Vec<(Oid, String)>,
}

impl Owned {
    fn contains(&self, oid: Oid) -> bool {
        self.relations.iter().any(|r| r.0 == oid)
            || self.functions.contains(&oid)
            || self.types.contains(&oid)
            || self.schemas.iter().any(|s| s.0 == oid)
    }
}

impl Session {
    /// `DROP OWNED BY roles [CASCADE]` (module rules).
    ///
    /// Errors: 42704 `role "x" does not exist`; 42501 `permission denied to drop
    /// objects`; 2BP01 for the bootstrap superuser and for other objects depending on
    /// the owned ones without CASCADE; errors of dropping.
    pub(crate) fn drop_owned(
        &mut self,
        roles: &[RoleSpec],
        cascade: bool,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let mut found = Vec::with_capacity(roles.len());
        for spec in roles {
            found.push(self.resolve_role_spec(spec)?);
        }
        if !self.superuser {
            let (me, privileges) = self.privileges_for_check()?;
            if found
                .iter()
                .any(|r| !privileges.has_privs_of_role(me, r.oid))
            {
                return Err(pg_err!(
                    INSUFFICIENT_PRIVILEGE,
                    "permission denied to drop objects"
                ));
            }
        }
        if let Some(role) = found.iter().find(|r| r.oid == syscat::BOOTSTRAP_SUPERUSER) {
            return Err(pg_err!(
                DEPENDENT_OBJECTS_STILL_EXIST,
                "cannot drop objects owned by role {} because they are required by the database system",
                role.name
            ));
        }
        let roles: Vec<Oid> = found.iter().map(|r| r.oid).collect();
        let owned = self.owned_objects(&roles)?;
        self.drop_owned_objects(&owned, cascade, sink)?;
        // What follows reads the catalogs as the drops left them.
        self.refresh_catalog_view();
        self.revoke_role_privileges(&roles)?;
        self.refresh_catalog_view();
        self.remove_role_default_privileges(&roles)?;
        self.refresh_catalog_view();
        self.remove_role_from_policies(&roles)?;
        self.refresh_user_types()?;
        Ok(())
    }

    /// Makes the catalog reader see this command's own changes so far.
    fn refresh_catalog_view(&mut self) {
        self.txn.command_counter_increment();
        let (snapshot, generation) = self.fresh_catalog_snapshot();
        self.catalog_reader().refresh(snapshot, generation);
    }

    fn owned_objects(&self, roles: &[Oid]) -> Result<Owned> {
        let reader = self.catalog_reader();
        let mut owned = Owned::default();
        let namespace = syscat::system_catalog(syscat::PG_NAMESPACE).expect("pg_namespace");
        let namespaces = reader.scan(namespace)?;
        let schema_name = |oid: Oid| -> String {
            namespaces
                .iter()
                .find(|(_, r)| oid_of(&r[namespace.col("oid")]) == oid)
                .map(|(_, r)| text_of(&r[namespace.col("nspname")]).to_string())
                .unwrap_or_default()
        };
        for (_, r) in &namespaces {
            let oid = oid_of(&r[namespace.col("oid")]);
            if roles.contains(&oid_of(&r[namespace.col("nspowner")]))
                && oid.0 >= syscat::FIRST_NORMAL_OBJECT_ID
            {
                owned
                    .schemas
                    .push((oid, text_of(&r[namespace.col("nspname")]).to_string()));
            }
        }
        // Sequences owned by a column go with their table.
        let depend = syscat::system_catalog(syscat::PG_DEPEND).expect("pg_depend");
        let owned_by_column: HashSet<Oid> = reader
            .scan(depend)?
            .into_iter()
            .filter(|(_, r)| {
                r[depend.col("classid")] == Datum::Oid(syscat::PG_CLASS.0)
                    && r[depend.col("refclassid")] == Datum::Oid(syscat::PG_CLASS.0)
                    && matches!(text_of(&r[depend.col("deptype")]), "a" | "i")
            })
            .map(|(_, r)| oid_of(&r[depend.col("objid")]))
            .collect();
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        let mut relations = Vec::new();
        for (_, r) in reader.scan(class)? {
            let oid = oid_of(&r[class.col("oid")]);
            let kind = text_of(&r[class.col("relkind")])
                .bytes()
                .next()
                .unwrap_or(b'r');
            if !roles.contains(&oid_of(&r[class.col("relowner")]))
                || oid.0 < syscat::FIRST_NORMAL_OBJECT_ID
                || !matches!(kind, b'r' | b'p' | b'v' | b'm' | b'S' | b'f')
                || (kind == b'S' && owned_by_column.contains(&oid))
            {
                continue;
            }
            // Partitions and inheritance children go with their parent when it is
            // owned too; others are dropped on their own.
            relations.push((
                oid,
                kind,
                schema_name(oid_of(&r[class.col("relnamespace")])),
                text_of(&r[class.col("relname")]).to_string(),
            ));
        }
        relations.sort_by_key(|r| (!matches!(r.1, b'v' | b'm'), std::cmp::Reverse(r.0 .0)));
        owned.relations = relations;
        let proc = syscat::system_catalog(syscat::PG_PROC).expect("pg_proc");
        for (_, r) in reader.scan(proc)? {
            let oid = oid_of(&r[proc.col("oid")]);
            if roles.contains(&oid_of(&r[proc.col("proowner")]))
                && oid.0 >= syscat::FIRST_NORMAL_OBJECT_ID
            {
                owned.functions.push(oid);
            }
        }
        // Enums, domains, ranges and standalone composite types (a relation's row type
        // goes with its relation, an array type with its element type).
        let composite_relations: HashSet<Oid> = reader
            .scan(class)?
            .into_iter()
            .filter(|(_, r)| text_of(&r[class.col("relkind")]) == "c")
            .map(|(_, r)| oid_of(&r[class.col("oid")]))
            .collect();
        let pg_type = syscat::system_catalog(syscat::PG_TYPE).expect("pg_type");
        for (_, r) in reader.scan(pg_type)? {
            let oid = oid_of(&r[pg_type.col("oid")]);
            let typtype = text_of(&r[pg_type.col("typtype")])
                .bytes()
                .next()
                .unwrap_or(0);
            let standalone = match typtype {
                b'e' | b'd' | b'r' => true,
                b'c' => composite_relations.contains(&oid_of(&r[pg_type.col("typrelid")])),
                _ => false,
            };
            if standalone
                && oid.0 >= syscat::FIRST_NORMAL_OBJECT_ID
                && roles.contains(&oid_of(&r[pg_type.col("typowner")]))
            {
                owned.types.push(oid);
            }
        }
        Ok(owned)
    }

    /// Rule 4: the owned objects, after what depends on them (RESTRICT refuses that).
    fn drop_owned_objects(
        &mut self,
        owned: &Owned,
        cascade: bool,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let mut external = Vec::new();
        let mut seen = HashSet::new();
        let roots = owned
            .relations
            .iter()
            .map(|r| DropRoot::Relation(r.0))
            .chain(
                owned
                    .schemas
                    .iter()
                    .map(|(oid, name)| DropRoot::Schema(*oid, name.clone())),
            );
        for root in roots {
            for dependent in self.dependent_objects(&root)? {
                if !owned.contains(dependent.rel) && seen.insert(dependent.rel) {
                    external.push(dependent);
                }
            }
        }
        if !external.is_empty() {
            if !cascade {
                let detail: Vec<&str> = external.iter().map(|d| d.reason.as_str()).collect();
                return Err(pg_err!(
                    DEPENDENT_OBJECTS_STILL_EXIST,
                    "cannot drop desired object(s) because other objects depend on them"
                )
                .detail(detail.join("\n"))
                .hint("Use DROP ... CASCADE to drop the dependent objects too."));
            }
            self.report_dependents("", &external, true, sink)?;
            self.drop_listed_dependents(&external)?;
            self.refresh_catalog_view();
        }
        for (_, kind, schema, name) in &owned.relations {
            let (drop_kind, tag) = match kind {
                b'v' => (DropKind::View, "DROP VIEW"),
                b'm' => (DropKind::MaterializedView, "DROP MATERIALIZED VIEW"),
                b'S' => (DropKind::Sequence, "DROP SEQUENCE"),
                b'f' => (DropKind::ForeignTable, "DROP FOREIGN TABLE"),
                _ => (DropKind::Table, "DROP TABLE"),
            };
            self.drop_quietly(drop_kind, tag, Some(schema.clone()), name)?;
        }
        let remaining: Vec<super::dependency::Dependent> = owned
            .types
            .iter()
            .map(|&oid| (oid, DependentKind::Type))
            .chain(
                owned
                    .functions
                    .iter()
                    .map(|&oid| (oid, DependentKind::Function)),
            )
            .map(|(rel, kind)| super::dependency::Dependent {
                rel,
                kind,
                description: String::new(),
                reason: String::new(),
            })
            .collect();
        // drop_listed_dependents drops in reverse: functions first, then types.
        self.drop_listed_dependents(&remaining)?;
        self.refresh_catalog_view();
        for (_, name) in &owned.schemas {
            self.drop_quietly(DropKind::Schema, "DROP SCHEMA", None, name)?;
        }
        self.txn.command_counter_increment();
        Ok(())
    }

    /// `DROP <kind> IF EXISTS [schema.]name CASCADE` without its NOTICEs (rule 4: what
    /// the owned objects take with them was checked and reported already).
    fn drop_quietly(
        &mut self,
        kind: DropKind,
        tag: &str,
        schema: Option<String>,
        name: &str,
    ) -> Result<()> {
        let stmt = DropStmt {
            kind,
            tag: tag.into(),
            objects: vec![RangeVar {
                schema,
                name: name.to_string(),
                alias: None,
                location: usize::MAX,
                inh: true,
            }],
            missing_ok: true,
            cascade: true,
            concurrently: false,
        };
        let mut quiet = super::statement::NullSink;
        self.drop_statement(&stmt, &mut quiet)?;
        Ok(())
    }

    /// Rule 2: ACL entries granted to or by the roles.
    fn revoke_role_privileges(&mut self, roles: &[Oid]) -> Result<()> {
        let keep =
            |item: &AclItem| !roles.contains(&item.grantee) && !roles.contains(&item.grantor);
        for &(name, acl_col) in ACL_CATALOGS {
            let Some(class) = syscat::system_catalog_by_name(name) else {
                continue;
            };
            let (c_oid, c_acl) = (class.col("oid"), class.col(acl_col));
            let changed: Vec<(Oid, Datum)> = self
                .catalog_reader()
                .scan(class)?
                .into_iter()
                .filter_map(|(_, r)| {
                    let acl = acl_from_datum(&r[c_acl])?;
                    if acl.iter().all(keep) {
                        return None;
                    }
                    let kept: Vec<AclItem> = acl.into_iter().filter(keep).collect();
                    Some((oid_of(&r[c_oid]), acl_to_datum(&kept)))
                })
                .collect();
            for (oid, acl) in changed {
                self.update_object_row(class, oid, move |row, c| row[c(acl_col)] = acl)?;
            }
        }
        Ok(())
    }

    /// Rule 2: the roles' default privileges, and other roles' entries naming them.
    fn remove_role_default_privileges(&mut self, roles: &[Oid]) -> Result<()> {
        let Some(class) = syscat::system_catalog_by_name("pg_default_acl") else {
            return Ok(());
        };
        let (c_oid, c_role, c_acl) = (
            class.col("oid"),
            class.col("defaclrole"),
            class.col("defaclacl"),
        );
        let rows = self.catalog_reader().scan(class)?;
        for (_, r) in rows {
            let oid = oid_of(&r[c_oid]);
            let acl = acl_from_datum(&r[c_acl]).unwrap_or_default();
            let kept: Vec<AclItem> = acl
                .iter()
                .filter(|i| !roles.contains(&i.grantee))
                .cloned()
                .collect();
            if roles.contains(&oid_of(&r[c_role])) || kept.is_empty() {
                self.remove_object_rows(class, oid)?;
            } else if kept.len() != acl.len() {
                let datum = acl_to_datum(&kept);
                self.update_object_row(class, oid, move |row, c| row[c("defaclacl")] = datum)?;
            }
        }
        self.txn.command_counter_increment();
        Ok(())
    }

    /// Rule 3: the roles leave every policy's role list.
    fn remove_role_from_policies(&mut self, roles: &[Oid]) -> Result<()> {
        let Some(class) = syscat::system_catalog_by_name("pg_policy") else {
            return Ok(());
        };
        let (c_oid, c_roles) = (class.col("oid"), class.col("polroles"));
        let rows = self.catalog_reader().scan(class)?;
        for (_, r) in rows {
            let Datum::Array(list) = &r[c_roles] else {
                continue;
            };
            let before: Vec<Oid> = list.elems.iter().map(oid_of).collect();
            if !before.iter().any(|o| roles.contains(o)) {
                continue;
            }
            let kept: Vec<Datum> = before
                .iter()
                .filter(|o| !roles.contains(o))
                .map(|o| Datum::Oid(o.0))
                .collect();
            let oid = oid_of(&r[c_oid]);
            if kept.is_empty() {
                self.remove_object_rows(class, oid)?;
            } else {
                let datum = Datum::Array(Box::new(tusk_types::adt::array::Array::from_elements(
                    tusk_types::type_oid::OID,
                    kept,
                )));
                self.update_object_row(class, oid, move |row, c| row[c("polroles")] = datum)?;
            }
        }
        self.txn.command_counter_increment();
        Ok(())
    }
}
