//! Replica identity: ALTER TABLE's `REPLICA IDENTITY` (`pg_class.relreplident` `d`, `f`,
//! `n`, `i`, and `pg_index.indisreplident` on the chosen index), and PostgreSQL's
//! `CheckCmdReplicaIdentity`, run before an UPDATE or DELETE touches a table that a
//! publication publishing updates or deletes covers.
//!
//! Rules:
//! 1. A table's identity key: its primary key's columns (`d`), the chosen index's (`i`),
//!    none otherwise. It has a replica identity when that index exists or it is `f`.
//! 2. UPDATE (DELETE) of a table published with `publish` including update (delete)
//!    fails when a row filter of such a publication reads a column outside the identity
//!    key (unless `f`), when a column list does not cover the identity key (always
//!    with `f`), and when the table has no replica identity at all. Partitioned tables
//!    are not checked themselves; their partitions are.
//!
//! Entry points: [`Session::set_replica_identity`],
//! [`Session::check_replica_identity_column`], [`check_modify_replica_identity`] (run by
//! the executor at the start of each INSERT, UPDATE, DELETE or MERGE through
//! `SessionContext::check_replica_identity`).

use tusk_catalog::syscat;
use tusk_executor::publication::relation_publications;
use tusk_sql::analyze::{MergeActionKind, ModifyCommand, ModifyQuery};
use tusk_sql::ast_publication::ReplicaIdentity;
use tusk_types::{pg_err, Datum, Oid, Result};

use super::Session;
use crate::relcache::{CatalogReader, RelEntry};

/// The command whose replica identity needs are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdentityCommand {
    /// UPDATE (also INSERT ... ON CONFLICT DO UPDATE and MERGE's UPDATE).
    Update,
    /// DELETE (also MERGE's DELETE).
    Delete,
}

fn char_of(d: &Datum) -> char {
    match d {
        Datum::Text(t) => t.chars().next().unwrap_or(' '),
        _ => ' ',
    }
}

fn int2s(d: &Datum) -> Vec<i16> {
    match d {
        Datum::Array(a) => a
            .elems
            .iter()
            .map(|e| match e {
                Datum::Int2(v) => *v,
                _ => 0,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The identity key columns of `rel` (rule 1) and whether it has a replica identity.
fn identity_key(reader: &CatalogReader<'_>, rel: Oid, replident: char) -> Result<(Vec<i16>, bool)> {
    if replident == 'f' {
        return Ok((Vec::new(), true));
    }
    if replident == 'n' {
        return Ok((Vec::new(), false));
    }
    let index = syscat::system_catalog(syscat::PG_INDEX).expect("pg_index");
    let rows = reader.rows(index)?;
    let wanted = if replident == 'i' {
        "indisreplident"
    } else {
        "indisprimary"
    };
    for r in rows.matching(index.col("indrelid"), rel) {
        if r[index.col(wanted)] == Datum::Bool(true) {
            return Ok((int2s(&r[index.col("indkey")]), true));
        }
    }
    Ok((Vec::new(), false))
}

/// The attribute number in `entry` of the column named `name`.
fn attnum_by_name(entry: &RelEntry, name: &str) -> Option<i16> {
    entry
        .info
        .live_columns()
        .find(|(_, c)| c.name == name)
        .map(|(i, _)| i as i16 + 1)
}

/// The column names a stored row filter reads.
pub(crate) fn filter_column_names(qual: &str) -> Vec<String> {
    let Ok(expr) = tusk_sql::parse_expr(qual) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    collect_columns(&expr, &mut out);
    out
}

fn collect_columns(e: &tusk_sql::ast::Expr, out: &mut Vec<String>) {
    use tusk_sql::ast::Expr;
    match e {
        Expr::Column(parts, _) => {
            if let Some(last) = parts.last() {
                out.push(last.clone());
            }
        }
        Expr::Op { left, right, .. } => {
            if let Some(l) = left {
                collect_columns(l, out);
            }
            collect_columns(right, out);
        }
        Expr::Distinct { left, right, .. } | Expr::NullIf(left, right, _) => {
            collect_columns(left, out);
            collect_columns(right, out);
        }
        Expr::InList { expr, list, .. } => {
            collect_columns(expr, out);
            list.iter().for_each(|x| collect_columns(x, out));
        }
        Expr::Between {
            expr, low, high, ..
        } => {
            collect_columns(expr, out);
            collect_columns(low, out);
            collect_columns(high, out);
        }
        Expr::Row(items, _) | Expr::And(items) | Expr::Or(items) | Expr::Coalesce(items, _) => {
            items.iter().for_each(|x| collect_columns(x, out))
        }
        Expr::Array(items, _) => items.iter().for_each(|x| collect_columns(x, out)),
        Expr::Not(x) => collect_columns(x, out),
        Expr::Func { args, .. } => args.iter().for_each(|x| collect_columns(x, out)),
        Expr::MinMax { args, .. } => args.iter().for_each(|x| collect_columns(x, out)),
        Expr::Cast { arg, .. } | Expr::NullTest { arg, .. } | Expr::BoolTest { arg, .. } => {
            collect_columns(arg, out)
        }
        Expr::Case {
            arg,
            whens,
            default,
            ..
        } => {
            if let Some(a) = arg {
                collect_columns(a, out);
            }
            for (w, t) in whens {
                collect_columns(w, out);
                collect_columns(t, out);
            }
            if let Some(d) = default {
                collect_columns(d, out);
            }
        }
        _ => {}
    }
}

impl Session {
    /// ALTER TABLE's `REPLICA IDENTITY` (PostgreSQL's `ATExecReplicaIdentity`).
    ///
    /// Errors: 42704 `index "i" for table "t" does not exist`; 42809 `"i" is not an
    /// index for table "t"`, `cannot use non-unique index "i" as replica identity`,
    /// `index "i" cannot be used as replica identity because column "c" is nullable`;
    /// 0A000 `cannot use non-immediate index "i" as replica identity`, `cannot use
    /// expression index ...`, `cannot use partial index ...`.
    pub(crate) fn set_replica_identity(
        &mut self,
        entry: &RelEntry,
        identity: &ReplicaIdentity,
    ) -> Result<()> {
        let index_oid = match identity {
            ReplicaIdentity::Index(name) => Some(self.replica_identity_index(entry, name)?),
            _ => None,
        };
        let replident = identity.relreplident().to_string();
        self.update_class_row(entry.info.oid, |row| {
            let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
            row[class.col("relreplident")] = Datum::Text(replident);
        })?;
        let index = syscat::system_catalog(syscat::PG_INDEX).expect("pg_index");
        let (c_rel, c_index, c_flag) = (
            index.col("indrelid"),
            index.col("indexrelid"),
            index.col("indisreplident"),
        );
        let indexes: Vec<(Oid, bool)> = self
            .catalog_reader()
            .rows(index)?
            .matching(c_rel, entry.info.oid)
            .map(|r| {
                let oid = match r[c_index] {
                    Datum::Oid(o) => Oid(o),
                    _ => Oid::INVALID,
                };
                (oid, r[c_flag] == Datum::Bool(true))
            })
            .collect();
        for (oid, marked) in indexes {
            let want = Some(oid) == index_oid;
            if marked != want {
                self.update_catalog_row(
                    index,
                    move |r| r[c_index] == Datum::Oid(oid.0),
                    move |row| row[c_flag] = Datum::Bool(want),
                )?;
            }
        }
        self.txn.command_counter_increment();
        Ok(())
    }

    fn replica_identity_index(&self, entry: &RelEntry, name: &str) -> Result<Oid> {
        let reader = self.catalog_reader();
        let table = &entry.info.name;
        let found = reader
            .resolve(Some(&entry.info.namespace), name)?
            .and_then(|oid| reader.entry(oid).ok().flatten());
        let Some(index_entry) = found else {
            return Err(pg_err!(
                UNDEFINED_OBJECT,
                "index \"{}\" for table \"{}\" does not exist",
                name,
                table
            ));
        };
        let index = syscat::system_catalog(syscat::PG_INDEX).expect("pg_index");
        let rows = reader.rows(index)?;
        let row = rows.first_matching(index.col("indexrelid"), index_entry.info.oid);
        let Some(row) = row.filter(|r| r[index.col("indrelid")] == Datum::Oid(entry.info.oid.0))
        else {
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "\"{}\" is not an index for table \"{}\"",
                name,
                table
            ));
        };
        if row[index.col("indisunique")] != Datum::Bool(true) {
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "cannot use non-unique index \"{}\" as replica identity",
                name
            ));
        }
        if row[index.col("indimmediate")] != Datum::Bool(true) {
            return Err(pg_err!(
                FEATURE_NOT_SUPPORTED,
                "cannot use non-immediate index \"{}\" as replica identity",
                name
            ));
        }
        if !matches!(row[index.col("indexprs")], Datum::Null) {
            return Err(pg_err!(
                FEATURE_NOT_SUPPORTED,
                "cannot use expression index \"{}\" as replica identity",
                name
            ));
        }
        if !matches!(row[index.col("indpred")], Datum::Null) {
            return Err(pg_err!(
                FEATURE_NOT_SUPPORTED,
                "cannot use partial index \"{}\" as replica identity",
                name
            ));
        }
        for attnum in int2s(&row[index.col("indkey")]) {
            if attnum <= 0 {
                return Err(pg_err!(
                    WRONG_OBJECT_TYPE,
                    "index \"{}\" cannot be used as replica identity because column {} is a system column",
                    name,
                    attnum
                ));
            }
            let column = &entry.info.columns[attnum as usize - 1];
            if !column.not_null {
                return Err(pg_err!(
                    WRONG_OBJECT_TYPE,
                    "index \"{}\" cannot be used as replica identity because column \"{}\" is nullable",
                    name,
                    column.name
                ));
            }
        }
        Ok(index_entry.info.oid)
    }

    /// DROP NOT NULL keeps the columns of the replica identity index.
    ///
    /// Errors: 42P16 `column "c" is in index used as replica identity`.
    pub(crate) fn check_replica_identity_column(
        &self,
        rel: Oid,
        attnum: i16,
        column: &str,
    ) -> Result<()> {
        let reader = self.catalog_reader();
        let index = syscat::system_catalog(syscat::PG_INDEX).expect("pg_index");
        let rows = reader.rows(index)?;
        let in_identity = rows.matching(index.col("indrelid"), rel).any(|r| {
            r[index.col("indisreplident")] == Datum::Bool(true)
                && int2s(&r[index.col("indkey")]).contains(&attnum)
        });
        if in_identity {
            return Err(pg_err!(
                INVALID_TABLE_DEFINITION,
                "column \"{}\" is in index used as replica identity",
                column
            ));
        }
        Ok(())
    }
}

/// Rule 2 for `command` on relation `rel`.
///
/// Errors: 42P10 `cannot update table "t"` (`cannot delete from table "t"`) with the
/// row filter or column list DETAIL; 55000 `cannot update table "t" because it does
/// not have a replica identity and publishes updates` (deletes) with its HINT.
pub(crate) fn check_replica_identity(
    reader: &CatalogReader<'_>,
    rel: Oid,
    command: IdentityCommand,
) -> Result<()> {
    let Some(entry) = reader.entry(rel)? else {
        return Ok(());
    };
    if entry.info.kind != b'r' {
        return Ok(());
    }
    let source = |cat| reader.rows(cat);
    let publications = relation_publications(&source, rel)?;
    if publications.is_empty() {
        return Ok(());
    }
    let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
    let replident = reader
        .rows(class)?
        .first_matching(class.col("oid"), rel)
        .map_or('d', |r| char_of(&r[class.col("relreplident")]));
    let (key, has_identity) = identity_key(reader, rel, replident)?;
    let (mut rf_bad, mut cols_bad) = (false, false);
    let (mut publishes_update, mut publishes_delete) = (false, false);
    for p in &publications {
        let publication = &p.publication;
        publishes_update |= publication.update;
        publishes_delete |= publication.delete;
        let relevant = match command {
            IdentityCommand::Update => publication.update,
            IdentityCommand::Delete => publication.delete,
        };
        let Some(member) = p.member.as_ref().filter(|_| relevant) else {
            continue;
        };
        let member_entry = if member.relation == rel {
            Some(entry.clone())
        } else {
            reader.entry(member.relation)?
        };
        let Some(member_entry) = member_entry else {
            continue;
        };
        if let Some(qual) = &member.qual {
            if replident != 'f' {
                for name in filter_column_names(qual) {
                    let attnum = attnum_by_name(&entry, &name);
                    if !attnum.is_some_and(|a| key.contains(&a)) {
                        rf_bad = true;
                    }
                }
            }
        }
        if let Some(attrs) = &member.attrs {
            if replident == 'f' {
                cols_bad = true;
            } else {
                let names: Vec<&str> = attrs
                    .iter()
                    .filter_map(|a| member_entry.info.columns.get(*a as usize - 1))
                    .map(|c| c.name.as_str())
                    .collect();
                for k in &key {
                    let name = entry.info.columns[*k as usize - 1].name.as_str();
                    if !names.contains(&name) {
                        cols_bad = true;
                    }
                }
            }
        }
    }
    let table = &entry.info.name;
    let (verb, action) = match command {
        IdentityCommand::Update => ("update table", "updating"),
        IdentityCommand::Delete => ("delete from table", "deleting from"),
    };
    if rf_bad {
        return Err(pg_err!(INVALID_COLUMN_REFERENCE, "cannot {} \"{}\"", verb, table)
            .detail("Column used in the publication WHERE expression is not part of the replica identity."));
    }
    if cols_bad {
        return Err(
            pg_err!(INVALID_COLUMN_REFERENCE, "cannot {} \"{}\"", verb, table)
                .detail("Column list used by the publication does not cover the replica identity."),
        );
    }
    if has_identity {
        return Ok(());
    }
    let publishes = match command {
        IdentityCommand::Update => publishes_update,
        IdentityCommand::Delete => publishes_delete,
    };
    if publishes {
        let what = match command {
            IdentityCommand::Update => "updates",
            IdentityCommand::Delete => "deletes",
        };
        return Err(pg_err!(
            OBJECT_NOT_IN_PREREQUISITE_STATE,
            "cannot {} \"{}\" because it does not have a replica identity and publishes {}",
            verb,
            table,
            what
        )
        .hint(format!(
            "To enable {action} the table, set REPLICA IDENTITY using ALTER TABLE."
        )));
    }
    Ok(())
}

/// Rule 2 for the tables an UPDATE, DELETE, MERGE or INSERT ... ON CONFLICT DO
/// UPDATE changes: the target (each of its leaf partitions for a partitioned one)
/// and, without ONLY, its inheritance descendants.
///
/// Errors: those of [`check_replica_identity`].
pub(crate) fn check_modify_replica_identity(
    reader: &CatalogReader<'_>,
    modify: &ModifyQuery,
) -> Result<()> {
    let mut commands = Vec::new();
    match (&modify.command, &modify.action) {
        (ModifyCommand::Update, _) => commands.push(IdentityCommand::Update),
        (ModifyCommand::Delete, _) => commands.push(IdentityCommand::Delete),
        (ModifyCommand::Merge, tusk_sql::analyze::ModifyAction::Merge(merge)) => {
            if merge.has(MergeActionKind::Update) {
                commands.push(IdentityCommand::Update);
            }
            if merge.has(MergeActionKind::Delete) {
                commands.push(IdentityCommand::Delete);
            }
        }
        (ModifyCommand::Insert, _)
            if modify
                .on_conflict
                .as_ref()
                .is_some_and(|c| c.update.is_some()) =>
        {
            commands.push(IdentityCommand::Update);
        }
        _ => {}
    }
    if commands.is_empty() {
        return Ok(());
    }
    // A partitioned target whose WHERE is constant false keeps no partition (PostgreSQL
    // prunes them all at plan time); other pruning is not mirrored here, so every
    // partition of a partitioned UPDATE or DELETE target is checked.
    let never = matches!(
        &modify.action,
        tusk_sql::analyze::ModifyAction::Update {
            filter: Some(tusk_sql::analyze::TypedExpr::Const {
                value: Datum::Bool(false) | Datum::Null,
                ..
            }),
            ..
        } | tusk_sql::analyze::ModifyAction::Delete {
            filter: Some(tusk_sql::analyze::TypedExpr::Const {
                value: Datum::Bool(false) | Datum::Null,
                ..
            }),
        }
    );
    if never && modify.relation.kind == b'p' {
        return Ok(());
    }
    let mut targets = Vec::new();
    modify_targets(reader, modify, &mut targets)?;
    for command in commands {
        for rel in &targets {
            check_replica_identity(reader, *rel, command)?;
        }
    }
    Ok(())
}

/// The tables rule 2 applies to: `modify`'s target, or for a partitioned one its
/// partitions: those the analyzer kept for UPDATE and DELETE (`inherited`, pruned as
/// PostgreSQL prunes result relations), every leaf for INSERT, which routes rows.
fn modify_targets(
    reader: &CatalogReader<'_>,
    modify: &ModifyQuery,
    out: &mut Vec<Oid>,
) -> Result<()> {
    let rel = modify.relation.oid;
    if modify.relation.kind != b'p' {
        if !out.contains(&rel) {
            out.push(rel);
        }
    } else if modify.command == ModifyCommand::Insert {
        leaf_partitions(reader, rel, out)?;
    }
    for child in &modify.inherited {
        modify_targets(reader, child, out)?;
    }
    Ok(())
}

fn leaf_partitions(reader: &CatalogReader<'_>, rel: Oid, out: &mut Vec<Oid>) -> Result<()> {
    let inherits = syscat::system_catalog_by_name("pg_inherits").expect("pg_inherits");
    let rows = reader.rows(inherits)?;
    let mut children: Vec<Oid> = rows
        .matching(inherits.col("inhparent"), rel)
        .filter_map(|r| match r[inherits.col("inhrelid")] {
            Datum::Oid(o) => Some(Oid(o)),
            _ => None,
        })
        .collect();
    children.sort_by_key(|o| o.0);
    for child in children {
        match reader.entry(child)? {
            Some(e) if e.info.kind == b'p' => leaf_partitions(reader, child, out)?,
            Some(_) if !out.contains(&child) => out.push(child),
            _ => {}
        }
    }
    Ok(())
}
