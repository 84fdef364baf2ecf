//! What else goes when a schema or relation is dropped (PostgreSQL's
//! `findDependentObjects` and `reportDependentObjects`, for the objects tusk tracks).
//!
//! Dependents:
//! - of a schema: the tables, sequences and views in it (`pg_class.relnamespace`), its
//!   functions, procedures and aggregates and its enum, domain, range and composite
//!   types; indexes, sequences owned by a column, row types, array types and a range
//!   type's constructors go with their owner (automatic and internal dependencies are
//!   never reported);
//! - of a relation: the views whose `_RETURN` rule reads it (`pg_depend` rows from
//!   `pg_rewrite` with deptype `n`) and its inheritance children (`pg_inherits`).
//!
//! Order (PostgreSQL's): dependents are visited depth first, each object's dependents in
//! descending OID order, an object reached twice counts once where first reached; the
//! report lists them in reverse visiting post-order, so an object comes before what
//! depends on it, each line naming the object through which it was reached. Dropping
//! goes the other way round: what depends on an object goes first.
//!
//! Entry points: [`Session::dependent_objects`], [`Session::drop_dependents`],
//! [`Session::drop_relation_object`], [`Session::relation_description`].

use std::collections::HashSet;

use tusk_catalog::syscat;
use tusk_types::{pg_err, Datum, Oid, Result};

use super::Session;
use crate::relcache::RelEntry;
use crate::sink::{NoticeSeverity, Sink};

/// `pg_rewrite`'s OID.
pub(crate) const PG_REWRITE: Oid = Oid(2618);

/// The object a DROP names.
pub(crate) enum DropRoot {
    /// A schema: its OID and name.
    Schema(Oid, String),
    /// A relation.
    Relation(Oid),
}

/// What a [`Dependent`] is, which says how it is dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DependentKind {
    /// A relation (`pg_class`).
    Relation,
    /// A function, procedure or aggregate (`pg_proc`).
    Function,
    /// An enum, domain, range or composite type (`pg_type`); a relation's row type
    /// goes with its relation.
    Type,
}

/// One object that depends on the dropped one.
pub(crate) struct Dependent {
    /// The object: a relation, or a function or type by [`Dependent::kind`].
    pub rel: Oid,
    /// Which catalog `rel` is in.
    pub kind: DependentKind,
    /// PostgreSQL's description (`view s.v`).
    pub description: String,
    /// Why: `view v depends on table t`.
    pub reason: String,
}

fn kind_word(kind: u8) -> &'static str {
    match kind {
        b'v' => "view",
        b'S' => "sequence",
        b'i' | b'I' => "index",
        b'm' => "materialized view",
        b'f' => "foreign table",
        b'c' => "composite type",
        _ => "table",
    }
}

impl Session {
    /// PostgreSQL's `getObjectDescription` of a relation: its kind and name, qualified
    /// with its schema unless the search path finds it by its bare name (`table s.t`,
    /// `view v`).
    ///
    /// Errors: catalog read errors.
    pub(crate) fn relation_description(&self, entry: &RelEntry) -> Result<String> {
        let info = &entry.info;
        let visible = self.catalog_reader().resolve(None, &info.name)? == Some(info.oid);
        // PostgreSQL's `quote_qualified_identifier`: each part quoted where needed.
        let relname = tusk_sql::quote_identifier(&info.name);
        let name = if visible {
            relname
        } else {
            format!(
                "{}.{}",
                tusk_sql::quote_identifier(&info.namespace),
                relname
            )
        };
        Ok(format!("{} {}", kind_word(info.kind), name))
    }

    /// The views whose rule reads relation `rel`, in descending OID order.
    ///
    /// Errors: catalog read errors.
    pub(crate) fn views_reading(&self, rel: Oid) -> Result<Vec<Oid>> {
        let reader = self.catalog_reader();
        let depend = syscat::system_catalog(syscat::PG_DEPEND).expect("pg_depend");
        let c = |n: &str| depend.col(n);
        let rules: HashSet<u32> = reader
            .scan(depend)?
            .into_iter()
            .filter(|(_, r)| {
                r[c("classid")] == Datum::Oid(PG_REWRITE.0)
                    && r[c("refobjid")] == Datum::Oid(rel.0)
                    && r[c("deptype")] == Datum::Text("n".into())
            })
            .filter_map(|(_, r)| match r[c("objid")] {
                Datum::Oid(o) => Some(o),
                _ => None,
            })
            .collect();
        let rewrite = syscat::system_catalog(PG_REWRITE).expect("pg_rewrite");
        let (c_oid, c_class) = (rewrite.col("oid"), rewrite.col("ev_class"));
        let mut views: Vec<Oid> = reader
            .scan(rewrite)?
            .into_iter()
            .filter(|(_, r)| matches!(r[c_oid], Datum::Oid(o) if rules.contains(&o)))
            .filter_map(|(_, r)| match r[c_class] {
                Datum::Oid(o) if o != rel.0 => Some(Oid(o)),
                _ => None,
            })
            .collect();
        views.sort_by_key(|v| std::cmp::Reverse(v.0));
        views.dedup();
        Ok(views)
    }

    /// What depends on relation `rel` normally: the views reading it and its inheritance
    /// children, in descending OID order.
    ///
    /// Errors: catalog read errors.
    fn relation_dependents(&self, rel: Oid) -> Result<Vec<Oid>> {
        let mut dependents = self.views_reading(rel)?;
        dependents.extend(super::inheritance::inheritance_children(
            &self.catalog_reader(),
            rel,
        )?);
        dependents.sort_by_key(|v| std::cmp::Reverse(v.0));
        dependents.dedup();
        Ok(dependents)
    }

    /// The tables, sequences and views of schema `namespace` that a DROP SCHEMA reports,
    /// in descending OID order.
    ///
    /// Errors: catalog read errors.
    fn schema_members(&self, namespace: Oid) -> Result<Vec<Oid>> {
        let reader = self.catalog_reader();
        let depend = syscat::system_catalog(syscat::PG_DEPEND).expect("pg_depend");
        let d = |n: &str| depend.col(n);
        // Sequences owned by a column and other automatic dependents go with their owner.
        let automatic: HashSet<u32> = reader
            .scan(depend)?
            .into_iter()
            .filter(|(_, r)| {
                r[d("classid")] == Datum::Oid(syscat::PG_CLASS.0)
                    && matches!(&r[d("deptype")], Datum::Text(t) if t == "a" || t == "i")
            })
            .filter_map(|(_, r)| match r[d("objid")] {
                Datum::Oid(o) => Some(o),
                _ => None,
            })
            .collect();
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        let c = |n: &str| class.col(n);
        let mut members: Vec<Oid> = reader
            .scan(class)?
            .into_iter()
            .filter(|(_, r)| r[c("relnamespace")] == Datum::Oid(namespace.0))
            .filter(|(_, r)| {
                !matches!(&r[c("relkind")], Datum::Text(k) if k == "i" || k == "I" || k == "c")
            })
            .filter_map(|(_, r)| match r[c("oid")] {
                Datum::Oid(o) if !automatic.contains(&o) => Some(Oid(o)),
                _ => None,
            })
            .collect();
        members.sort_by_key(|m| std::cmp::Reverse(m.0));
        Ok(members)
    }

    /// The objects depending on `root`, in the order PostgreSQL reports them.
    ///
    /// Errors: catalog read errors.
    pub(crate) fn dependent_objects(&self, root: &DropRoot) -> Result<Vec<Dependent>> {
        let mut others = Vec::new();
        let (children, root_description, root_rel) = match root {
            DropRoot::Schema(oid, name) => {
                others = self.schema_routines_and_types(*oid)?;
                (self.schema_members(*oid)?, format!("schema {name}"), None)
            }
            DropRoot::Relation(rel) => {
                let entry = self
                    .catalog_reader()
                    .entry(*rel)?
                    .ok_or_else(|| tusk_types::Error::internal("dropped relation vanished"))?;
                (
                    self.relation_dependents(*rel)?,
                    self.relation_description(&entry)?,
                    Some(*rel),
                )
            }
        };
        let mut visited: HashSet<Oid> = root_rel.into_iter().collect();
        let mut post_order = Vec::new();
        // Everything in descending OID order; functions and types are leaves here.
        let mut members: Vec<(Oid, Option<(DependentKind, String)>)> =
            children.into_iter().map(|c| (c, None)).collect();
        members.extend(others.into_iter().map(|(o, k, d)| (o, Some((k, d)))));
        members.sort_by_key(|(o, _)| std::cmp::Reverse(o.0));
        for (child, other) in members {
            match other {
                None => {
                    self.visit_dependent(child, &root_description, &mut visited, &mut post_order)?
                }
                Some((kind, description)) => {
                    if visited.insert(child) {
                        post_order.push(Dependent {
                            rel: child,
                            kind,
                            reason: format!("{description} depends on {root_description}"),
                            description,
                        });
                    }
                }
            }
        }
        post_order.reverse();
        Ok(post_order)
    }

    /// The functions, procedures, aggregates and the enum, domain and range types of
    /// schema `namespace`, with PostgreSQL's descriptions (`function s.f(integer)`,
    /// `type s.d`); array and multirange types go with their element and range types.
    ///
    /// Errors: catalog read errors.
    fn schema_routines_and_types(
        &self,
        namespace: Oid,
    ) -> Result<Vec<(Oid, DependentKind, String)>> {
        let reader = self.catalog_reader();
        let visible = super::function_catalog::search_namespaces(&reader)?.contains(&namespace);
        let schema = reader.namespace_name(namespace)?.unwrap_or_default();
        let qualified = |name: &str| {
            let name = tusk_sql::quote_identifier(name);
            if visible {
                name
            } else {
                format!("{}.{name}", tusk_sql::quote_identifier(&schema))
            }
        };
        let mut out = Vec::new();
        // A range type's constructors depend on it internally and go with it.
        let depend = syscat::system_catalog(syscat::PG_DEPEND).expect("pg_depend");
        let d = |n: &str| depend.col(n);
        let internal: HashSet<u32> = reader
            .rows(depend)?
            .matching(d("classid"), syscat::PG_PROC)
            .filter(|r| r[d("deptype")] == Datum::Text("i".into()))
            .filter_map(|r| match r[d("objid")] {
                Datum::Oid(o) => Some(o),
                _ => None,
            })
            .collect();
        let pg_proc = syscat::system_catalog(syscat::PG_PROC).expect("pg_proc");
        let procs: Vec<Oid> = reader
            .rows(pg_proc)?
            .matching(pg_proc.col("pronamespace"), namespace)
            .filter_map(|r| match r[pg_proc.col("oid")] {
                Datum::Oid(o) if o >= syscat::FIRST_NORMAL_OBJECT_ID && !internal.contains(&o) => {
                    Some(Oid(o))
                }
                _ => None,
            })
            .collect();
        for proc in procs {
            let Some(f) = super::function_catalog::user_function(&reader, proc)? else {
                continue;
            };
            // PostgreSQL's `format_procedure`: every routine kind is a "function" here,
            // its argument types separated by bare commas.
            let args: Vec<String> = f.arg_types.iter().map(|t| self.format_type(*t)).collect();
            out.push((
                proc,
                DependentKind::Function,
                format!("function {}({})", qualified(&f.name), args.join(",")),
            ));
        }
        for ty in crate::user_types::user_types(&reader)? {
            // A composite type of CREATE TYPE ... AS is reported as the type, not as
            // its `pg_class` row (which `schema_members` leaves out).
            let composite = ty.typtype == b'c' && self.rowtype_relation(&ty)?.is_none();
            if ty.namespace == namespace && (matches!(ty.typtype, b'e' | b'd' | b'r') || composite)
            {
                out.push((
                    ty.oid,
                    DependentKind::Type,
                    format!("type {}", qualified(&ty.name)),
                ));
            }
        }
        Ok(out)
    }

    fn visit_dependent(
        &self,
        rel: Oid,
        parent: &str,
        visited: &mut HashSet<Oid>,
        post_order: &mut Vec<Dependent>,
    ) -> Result<()> {
        if !visited.insert(rel) {
            return Ok(());
        }
        let Some(entry) = self.catalog_reader().entry(rel)? else {
            return Ok(());
        };
        let description = self.relation_description(&entry)?;
        for child in self.relation_dependents(rel)? {
            self.visit_dependent(child, &description, visited, post_order)?;
        }
        post_order.push(Dependent {
            rel,
            kind: DependentKind::Relation,
            reason: format!("{description} depends on {parent}"),
            description,
        });
        Ok(())
    }

    /// Refuses to drop `root_description` when others depend on it and `cascade` is
    /// false; otherwise reports (NOTICE `drop cascades to ...`) and drops them.
    ///
    /// Errors: 2BP01 `cannot drop <object> because other objects depend on it`, with
    /// PostgreSQL's DETAIL lines and HINT; errors of dropping.
    pub(crate) fn drop_dependents(
        &mut self,
        root_description: &str,
        dependents: Vec<Dependent>,
        cascade: bool,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        if dependents.is_empty() {
            return Ok(());
        }
        self.report_dependents(root_description, &dependents, cascade, sink)?;
        self.drop_listed_dependents(&dependents)
    }

    /// Drops `dependents` (as [`Session::dependent_objects`] lists them), what depends
    /// on an object before it.
    ///
    /// Errors: catalog read and write errors.
    pub(crate) fn drop_listed_dependents(&mut self, dependents: &[Dependent]) -> Result<()> {
        for dependent in dependents.iter().rev() {
            match dependent.kind {
                DependentKind::Relation => {
                    self.lock_relation(dependent.rel, crate::lock::LockMode::AccessExclusive)?;
                    self.drop_relation_object(dependent.rel)?;
                }
                DependentKind::Function => self.remove_function_rows(dependent.rel, true)?,
                DependentKind::Type => self.drop_type_object(dependent.rel)?,
            }
        }
        Ok(())
    }

    /// Refuses (2BP01, PostgreSQL's DETAIL and HINT) unless `cascade`, else sends the
    /// `drop cascades to ...` NOTICE; dropping is the caller's.
    ///
    /// Errors: 2BP01.
    pub(crate) fn report_dependents(
        &mut self,
        root_description: &str,
        dependents: &[Dependent],
        cascade: bool,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        if !cascade {
            let detail: Vec<&str> = dependents.iter().map(|d| d.reason.as_str()).collect();
            return Err(pg_err!(
                DEPENDENT_OBJECTS_STILL_EXIST,
                "cannot drop {} because other objects depend on it",
                root_description
            )
            .detail(detail.join("\n"))
            .hint("Use DROP ... CASCADE to drop the dependent objects too."));
        }
        let notice = if dependents.len() == 1 {
            pg_err!(
                SUCCESSFUL_COMPLETION,
                "drop cascades to {}",
                dependents[0].description
            )
        } else {
            let lines: Vec<String> = dependents
                .iter()
                .map(|d| format!("drop cascades to {}", d.description))
                .collect();
            pg_err!(
                SUCCESSFUL_COMPLETION,
                "drop cascades to {} other objects",
                dependents.len()
            )
            .detail(lines.join("\n"))
        };
        sink.notice(NoticeSeverity::Notice, &notice);
        Ok(())
    }

    /// Drops relation `rel` with what belongs to it: a table's indexes and owned
    /// sequences, a view's rule.
    ///
    /// Errors: catalog read and write errors.
    pub(crate) fn drop_relation_object(&mut self, rel: Oid) -> Result<()> {
        let Some(entry) = self.catalog_reader().entry(rel)? else {
            return Ok(());
        };
        match entry.info.kind {
            b'v' => self.remove_view_rule(rel)?,
            b'm' => {
                self.remove_view_rule(rel)?;
                for index in self.table_indexes(&entry)? {
                    self.remove_index_catalog(index.oid)?;
                }
            }
            b'r' | b'p' | b'f' => {
                for index in self.table_indexes(&entry)? {
                    self.remove_index_catalog(index.oid)?;
                }
                for seq in self.owned_sequences(rel)? {
                    self.remove_relation_catalog(seq)?;
                }
            }
            _ => {}
        }
        self.remove_relation_catalog(rel)
    }
}
