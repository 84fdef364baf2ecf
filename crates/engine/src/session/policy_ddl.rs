//! Row security policies in the catalog: `CREATE | ALTER | DROP POLICY` write
//! `pg_policy` rows as PostgreSQL 15 does (`polcmd` `*`/`r`/`a`/`w`/`d`, `polroles` an
//! `oid[]` with 0 for PUBLIC), with an automatic `pg_depend` row on the table; ALTER
//! TABLE's `ENABLE | DISABLE | [NO] FORCE ROW LEVEL SECURITY` set
//! `pg_class.relrowsecurity` / `relforcerowsecurity`.
//!
//! `polqual` and `polwithcheck` hold the expressions' SQL text (PostgreSQL's deparser
//! output) rather than PostgreSQL's node trees: each statement using the table analyses
//! them again (`tusk_sql::analyze::row_security`).
//!
//! Entry points: [`Session::policy_statement`], [`Session::set_row_security`],
//! [`Session::remove_relation_policies`], [`Session::policy_role_dependencies`],
//! [`row_security`] (the analyzer's question, through the session's lookup).

use std::sync::Arc;

use tusk_catalog::syscat::{self, CatalogRow};
use tusk_sql::analyze::{Analyzer, Policy, RowSecurity};
use tusk_sql::ast_policy::{AlterPolicyStmt, CreatePolicyStmt, PolicyCommand, PolicyStmt};
use tusk_sql::ast_role::RoleSpec;
use tusk_types::adt::array::{Array, ArrayDim};
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result};

use super::privilege::{class_acl, Privileges};
use super::Session;
use crate::relcache::{CatalogReader, RelEntry};
use crate::sink::{NoticeSeverity, Sink};

/// `pg_policy`'s OID.
pub(crate) const PG_POLICY: Oid = Oid(3256);

fn pg_policy() -> &'static syscat::SysCatalog {
    syscat::system_catalog(PG_POLICY).expect("pg_policy is a system catalog")
}

/// One decoded `pg_policy` row.
#[derive(Debug, Clone)]
pub(crate) struct PolicyRow {
    pub oid: Oid,
    pub relation: Oid,
    pub roles: Vec<Oid>,
    pub policy: Policy,
}

fn text_of(d: &Datum) -> Option<String> {
    match d {
        Datum::Text(t) => Some(t.clone()),
        _ => None,
    }
}

fn oid_of(d: &Datum) -> Oid {
    match d {
        Datum::Oid(o) => Oid(*o),
        _ => Oid::INVALID,
    }
}

fn oid_array(values: &[Oid]) -> Datum {
    Datum::Array(Box::new(Array {
        elem_type: type_oid::OID,
        dims: vec![ArrayDim {
            len: values.len() as i32,
            lower: 1,
        }],
        elems: values.iter().map(|v| Datum::Oid(v.0)).collect(),
    }))
}

/// The policies of `relation` (every table's with `None`), in name order.
///
/// Errors: catalog read errors.
pub(crate) fn policy_rows(
    reader: &CatalogReader<'_>,
    relation: Option<Oid>,
) -> Result<Vec<PolicyRow>> {
    let cat = pg_policy();
    let c = |n: &str| cat.col(n);
    let rows = reader.rows(cat)?;
    let mut out = Vec::new();
    for r in rows.iter() {
        let rel = oid_of(&r[c("polrelid")]);
        if relation.is_some_and(|want| want != rel) {
            continue;
        }
        let roles = match &r[c("polroles")] {
            Datum::Array(a) => a.elems.iter().map(oid_of).collect(),
            _ => Vec::new(),
        };
        let command = text_of(&r[c("polcmd")])
            .and_then(|t| t.chars().next())
            .and_then(PolicyCommand::from_polcmd)
            .unwrap_or(PolicyCommand::All);
        out.push(PolicyRow {
            oid: oid_of(&r[c("oid")]),
            relation: rel,
            roles,
            policy: Policy {
                name: text_of(&r[c("polname")]).unwrap_or_default(),
                command,
                permissive: r[c("polpermissive")] == Datum::Bool(true),
                using: text_of(&r[c("polqual")]),
                check: text_of(&r[c("polwithcheck")]),
            },
        });
    }
    out.sort_by(|a, b| a.policy.name.cmp(&b.policy.name));
    Ok(out)
}

/// The row security of table `relation` for `user` (the current user's name), or for
/// the owner of `view` when the table is reached inside that view (PostgreSQL's
/// `check_enable_rls` and `get_policies_for_relation`).
///
/// Errors: 42501 `query would be affected by row-level security policy for table "t"`
/// when `enabled` (the `row_security` setting) is off; catalog read errors.
pub(crate) fn row_security(
    reader: &CatalogReader<'_>,
    user: &str,
    enabled: bool,
    relation: Oid,
    view: Option<Oid>,
) -> Result<Option<Arc<RowSecurity>>> {
    let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
    let (force, owner, name) = {
        let rows = reader.rows(class)?;
        let Some(r) = rows.first_matching(class.col("oid"), relation) else {
            return Ok(None);
        };
        if r[class.col("relrowsecurity")] != Datum::Bool(true) {
            return Ok(None);
        }
        (
            r[class.col("relforcerowsecurity")] == Datum::Bool(true),
            oid_of(&r[class.col("relowner")]),
            text_of(&r[class.col("relname")]).unwrap_or_default(),
        )
    };
    let privileges = Privileges::read(reader)?;
    let checker = match view {
        Some(tusk_sql::analyze::SYSTEM_VIEW) => Some(syscat::BOOTSTRAP_SUPERUSER),
        Some(v) => class_acl(reader, v)?.map(|c| c.owner),
        None => privileges.role_by_name(user).map(|r| r.oid),
    };
    let Some(checker) = checker else {
        return Err(pg_err!(
            UNDEFINED_OBJECT,
            "role \"{}\" does not exist",
            user
        ));
    };
    let bypass =
        privileges.is_superuser(checker) || privileges.role(checker).is_some_and(|r| r.bypassrls);
    if bypass {
        return Ok(None);
    }
    let owns = privileges.has_privs_of_role(checker, owner);
    if owns && !force {
        return Ok(None);
    }
    if !enabled {
        let mut err = pg_err!(
            INSUFFICIENT_PRIVILEGE,
            "query would be affected by row-level security policy for table \"{}\"",
            name
        );
        if owns {
            err = err.hint(
                "To disable the policy for the table's owner, use ALTER TABLE NO FORCE ROW LEVEL SECURITY.",
            );
        }
        return Err(err);
    }
    let policies = policy_rows(reader, Some(relation))?
        .into_iter()
        .filter(|p| {
            p.roles
                .iter()
                .any(|r| *r == Oid::INVALID || privileges.has_privs_of_role(checker, *r))
        })
        .map(|p| p.policy)
        .collect();
    Ok(Some(Arc::new(RowSecurity { policies })))
}

/// 42704 `policy "p" for table "t" does not exist`.
fn missing_policy(name: &str, table: &str) -> Error {
    pg_err!(
        UNDEFINED_OBJECT,
        "policy \"{}\" for table \"{}\" does not exist",
        name,
        table
    )
}

/// 42710 `policy "p" for table "t" already exists`.
fn duplicate_policy(name: &str, table: &str) -> Error {
    pg_err!(
        DUPLICATE_OBJECT,
        "policy \"{}\" for table \"{}\" already exists",
        name,
        table
    )
}

impl Session {
    /// Runs a policy statement; returns its command tag.
    ///
    /// Errors: see [`Session::create_policy`], [`Session::alter_policy`].
    pub(crate) fn policy_statement(
        &mut self,
        stmt: &PolicyStmt,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        match stmt {
            PolicyStmt::Create(c) => self.create_policy(c, sink),
            PolicyStmt::Alter(a) => self.alter_policy(a, sink),
            PolicyStmt::Rename {
                name,
                table,
                new_name,
            } => {
                self.read_only_check("ALTER POLICY")?;
                let entry = self.policy_table(table, sink)?;
                let rows = policy_rows(&self.catalog_reader(), Some(entry.info.oid))?;
                if rows.iter().any(|p| &p.policy.name == new_name) {
                    return Err(duplicate_policy(new_name, &entry.info.name));
                }
                let Some(found) = rows.iter().find(|p| &p.policy.name == name) else {
                    return Err(missing_policy(name, &entry.info.name));
                };
                let new_name = new_name.clone();
                self.update_object_row(pg_policy(), found.oid, move |row, c| {
                    row[c("polname")] = Datum::Text(new_name)
                })?;
                Ok("ALTER POLICY".into())
            }
            PolicyStmt::Drop {
                name,
                table,
                missing_ok,
            } => {
                self.read_only_check("DROP POLICY")?;
                let Some(entry) = self.alter_target(table, *missing_ok, sink)? else {
                    return Ok("DROP POLICY".into());
                };
                self.check_policy_table(&entry)?;
                let found = policy_rows(&self.catalog_reader(), Some(entry.info.oid))?
                    .into_iter()
                    .find(|p| &p.policy.name == name);
                let Some(found) = found else {
                    if *missing_ok {
                        sink.notice(
                            NoticeSeverity::Notice,
                            &pg_err!(
                                SUCCESSFUL_COMPLETION,
                                "policy \"{}\" for relation \"{}\" does not exist, skipping",
                                name,
                                entry.info.name
                            ),
                        );
                        return Ok("DROP POLICY".into());
                    }
                    return Err(missing_policy(name, &entry.info.name));
                };
                self.remove_object_rows(pg_policy(), found.oid)?;
                self.txn.command_counter_increment();
                Ok("DROP POLICY".into())
            }
        }
    }

    /// The table a policy statement names, locked, after PostgreSQL's checks
    /// (`RangeVarCallbackForPolicy`).
    fn policy_table(
        &mut self,
        table: &tusk_sql::ast::RangeVar,
        sink: &mut dyn Sink,
    ) -> Result<Arc<RelEntry>> {
        let entry = self
            .alter_target(table, false, sink)?
            .expect("alter_target without missing_ok finds the table or fails");
        self.check_policy_table(&entry)?;
        Ok(entry)
    }

    /// Errors: 42501 `must be owner of table t`; 42809 `"v" is not a table`.
    fn check_policy_table(&self, entry: &RelEntry) -> Result<()> {
        self.check_relation_owner(entry.info.oid)?;
        if !matches!(entry.info.kind, b'r' | b'p') {
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "\"{}\" is not a table",
                entry.info.name
            ));
        }
        Ok(())
    }

    /// `polroles` for `TO roles` (PUBLIC alone when left out or named).
    fn policy_roles(&self, roles: &[RoleSpec], sink: &mut dyn Sink) -> Result<Vec<Oid>> {
        if roles.is_empty() {
            return Ok(vec![Oid::INVALID]);
        }
        if roles.contains(&RoleSpec::Public) {
            if roles.len() > 1 {
                sink.notice(
                    NoticeSeverity::Warning,
                    &pg_err!(WARNING, "ignoring specified roles other than PUBLIC")
                        .hint("All roles are members of the PUBLIC role."),
                );
            }
            return Ok(vec![Oid::INVALID]);
        }
        let mut out = Vec::with_capacity(roles.len());
        for r in roles {
            let oid = self.resolve_role_spec(r)?.oid;
            if !out.contains(&oid) {
                out.push(oid);
            }
        }
        Ok(out)
    }

    /// Checks a policy expression over the table's row (PostgreSQL's
    /// `transformWhereClause` with `EXPR_KIND_POLICY`).
    ///
    /// Errors: expression errors; 42804 `argument of POLICY must be type boolean, not
    /// type x`.
    fn check_policy_expr(&self, entry: &RelEntry, text: &str) -> Result<()> {
        let reader = self.catalog_reader();
        let lookup = super::lookup::SessionLookup {
            builtin: tusk_executor::BuiltinLookup {
                settings: &self.output,
            },
            catalog: &reader,
        };
        let parsed = tusk_sql::parse_expr(text)?;
        let mut analyzer = Analyzer::new(&lookup, "", Vec::new());
        // Errors in the deparsed text have no place in the statement's.
        analyzer
            .analyze_policy_expr(&entry.info, &parsed)
            .map_err(|mut e| {
                e.position = None;
                e
            })?;
        Ok(())
    }

    /// `CREATE POLICY`.
    ///
    /// Errors: 42601 `only WITH CHECK expression allowed for INSERT`, `WITH CHECK cannot
    /// be applied to SELECT or DELETE`; 42P01 for a missing table; 42501 `must be owner of
    /// table t`; 42809 for a relation that is not a table; 42704 for a missing role;
    /// 42710 `policy "p" for table "t" already exists`; expression errors.
    pub(crate) fn create_policy(
        &mut self,
        stmt: &CreatePolicyStmt,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        self.read_only_check("CREATE POLICY")?;
        if stmt.using.is_some() && stmt.command == PolicyCommand::Insert {
            return Err(pg_err!(
                SYNTAX_ERROR,
                "only WITH CHECK expression allowed for INSERT"
            ));
        }
        if stmt.check.is_some()
            && matches!(stmt.command, PolicyCommand::Select | PolicyCommand::Delete)
        {
            return Err(pg_err!(
                SYNTAX_ERROR,
                "WITH CHECK cannot be applied to SELECT or DELETE"
            ));
        }
        let entry = self.policy_table(&stmt.table, sink)?;
        let roles = self.policy_roles(&stmt.roles, sink)?;
        for (_, text) in stmt.using.iter().chain(stmt.check.iter()) {
            self.check_policy_expr(&entry, text)?;
        }
        let rel = entry.info.oid;
        if policy_rows(&self.catalog_reader(), Some(rel))?
            .iter()
            .any(|p| p.policy.name == stmt.name)
        {
            return Err(duplicate_policy(&stmt.name, &entry.info.name));
        }
        let cluster = self.db.cluster.clone();
        let oid = cluster.xact.oids.next_oid(&cluster.wal);
        let text = |e: &Option<(tusk_sql::ast::Expr, String)>| {
            e.as_ref()
                .map_or(Datum::Null, |(_, t)| Datum::Text(t.clone()))
        };
        self.insert_catalog_row(
            CatalogRow::new(pg_policy())
                .set("oid", Datum::Oid(oid.0))
                .set("polname", Datum::Text(stmt.name.clone()))
                .set("polrelid", Datum::Oid(rel.0))
                .set("polcmd", Datum::Text(stmt.command.polcmd().to_string()))
                .set("polpermissive", Datum::Bool(stmt.permissive))
                .set("polroles", oid_array(&roles))
                .set("polqual", text(&stmt.using))
                .set("polwithcheck", text(&stmt.check)),
        )?;
        self.insert_depend_row(PG_POLICY, oid, syscat::PG_CLASS, rel, b'a')?;
        self.txn.command_counter_increment();
        Ok("CREATE POLICY".into())
    }

    /// `ALTER POLICY name ON table [TO roles] [USING (...)] [WITH CHECK (...)]`.
    ///
    /// Errors: 42704 for a missing policy; 42601 `only WITH CHECK expression allowed for
    /// INSERT`, `only USING expression allowed for SELECT, DELETE`; those of
    /// [`Session::create_policy`] for the table, roles and expressions.
    pub(crate) fn alter_policy(
        &mut self,
        stmt: &AlterPolicyStmt,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        self.read_only_check("ALTER POLICY")?;
        let entry = self.policy_table(&stmt.table, sink)?;
        let roles = if stmt.roles.is_empty() {
            None
        } else {
            Some(self.policy_roles(&stmt.roles, sink)?)
        };
        for (_, text) in stmt.using.iter().chain(stmt.check.iter()) {
            self.check_policy_expr(&entry, text)?;
        }
        let found = policy_rows(&self.catalog_reader(), Some(entry.info.oid))?
            .into_iter()
            .find(|p| p.policy.name == stmt.name);
        let Some(found) = found else {
            return Err(missing_policy(&stmt.name, &entry.info.name));
        };
        let command = found.policy.command;
        if command == PolicyCommand::Insert && stmt.using.is_some() {
            return Err(pg_err!(
                SYNTAX_ERROR,
                "only WITH CHECK expression allowed for INSERT"
            ));
        }
        if matches!(command, PolicyCommand::Select | PolicyCommand::Delete) && stmt.check.is_some()
        {
            return Err(pg_err!(
                SYNTAX_ERROR,
                "only USING expression allowed for SELECT, DELETE"
            ));
        }
        let using = stmt.using.as_ref().map(|(_, t)| t.clone());
        let check = stmt.check.as_ref().map(|(_, t)| t.clone());
        self.update_object_row(pg_policy(), found.oid, move |row, c| {
            if let Some(roles) = roles {
                row[c("polroles")] = oid_array(&roles);
            }
            if let Some(using) = using {
                row[c("polqual")] = Datum::Text(using);
            }
            if let Some(check) = check {
                row[c("polwithcheck")] = Datum::Text(check);
            }
        })?;
        Ok("ALTER POLICY".into())
    }

    /// ALTER TABLE's `ENABLE | DISABLE ROW LEVEL SECURITY` (`force` false) and `[NO]
    /// FORCE ROW LEVEL SECURITY` (`force` true).
    ///
    /// Errors: catalog write errors.
    pub(crate) fn set_row_security(
        &mut self,
        entry: &RelEntry,
        force: bool,
        on: bool,
    ) -> Result<()> {
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        let column = class.col(if force {
            "relforcerowsecurity"
        } else {
            "relrowsecurity"
        });
        self.update_class_row(entry.info.oid, |row| row[column] = Datum::Bool(on))?;
        self.txn.command_counter_increment();
        Ok(())
    }

    /// Deletes the policies of relation `rel` (it is being dropped).
    ///
    /// Errors: catalog read and write errors.
    pub(crate) fn remove_relation_policies(&mut self, rel: Oid) -> Result<()> {
        let policies = policy_rows(&self.catalog_reader(), Some(rel))?;
        if policies.is_empty() {
            return Ok(());
        }
        for p in policies {
            self.remove_object_rows(pg_policy(), p.oid)?;
        }
        self.txn.command_counter_increment();
        Ok(())
    }

    /// DETAIL lines `target of policy p on table t` for the policies naming `role`.
    ///
    /// Errors: catalog read errors.
    pub(crate) fn policy_role_dependencies(&self, role: Oid) -> Result<Vec<String>> {
        let reader = self.catalog_reader();
        let mut out = Vec::new();
        for p in policy_rows(&reader, None)? {
            if !p.roles.contains(&role) {
                continue;
            }
            let table = reader
                .entry(p.relation)?
                .map(|e| e.info.name.clone())
                .unwrap_or_default();
            out.push(format!(
                "target of policy {} on table {}",
                p.policy.name, table
            ));
        }
        Ok(out)
    }
}
