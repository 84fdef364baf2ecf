//! `CREATE TABLE t (LIKE source [INCLUDING DEFAULTS], ...)` (PostgreSQL's
//! `transformTableLikeClause`): the source's live columns, with their names, types and
//! NOT NULL, go where the element is written; `INCLUDING DEFAULTS` copies the plain
//! columns' defaults too. The statement is rewritten into one with those column
//! definitions and run as usual.
//!
//! Errors: 42P01 `relation "s" does not exist` (at the name); 0A000 for the INCLUDING
//! options tusk cannot copy yet (constraints, indexes, identity, generated expressions,
//! comments, statistics, storage, compression).
//!
//! Entry point: [`Session::expand_table_like`].

use tusk_sql::ast::Expr;
use tusk_sql::ast_ddl::{ColumnDef, CreateTableStmt, TableLike};
use tusk_types::{pg_err, Error, Result};

use super::Session;

/// The INCLUDING options a LIKE may name, by bit, as PostgreSQL spells them.
const UNSUPPORTED: [(u32, &str); 8] = [
    (TableLike::COMMENTS, "COMMENTS"),
    (TableLike::COMPRESSION, "COMPRESSION"),
    (TableLike::CONSTRAINTS, "CONSTRAINTS"),
    (TableLike::GENERATED, "GENERATED"),
    (TableLike::IDENTITY, "IDENTITY"),
    (TableLike::INDEXES, "INDEXES"),
    (TableLike::STATISTICS, "STATISTICS"),
    (TableLike::STORAGE, "STORAGE"),
];

impl Session {
    /// `stmt` with each LIKE element replaced by the source's column definitions.
    ///
    /// Errors: see the module header.
    pub(crate) fn expand_table_like(
        &self,
        stmt: &CreateTableStmt,
        sql: &str,
    ) -> Result<CreateTableStmt> {
        let mut out = stmt.clone();
        out.like.clear();
        let mut inserted = 0;
        for like in &stmt.like {
            if let Some((_, name)) = UNSUPPORTED.iter().find(|(bit, _)| like.options & bit != 0) {
                return Err(Error::feature_not_supported(format!(
                    "CREATE TABLE ... LIKE ... INCLUDING {name}"
                )));
            }
            let rv = &like.relation;
            let reader = self.catalog_reader();
            let entry = match reader.resolve(rv.schema.as_deref(), &rv.name)? {
                Some(oid) => reader.entry(oid)?,
                None => None,
            };
            let Some(entry) = entry else {
                let shown = match &rv.schema {
                    Some(s) => format!("{s}.{}", rv.name),
                    None => rv.name.clone(),
                };
                let e = pg_err!(UNDEFINED_TABLE, "relation \"{}\" does not exist", shown);
                return Err(if rv.location == usize::MAX {
                    e
                } else {
                    e.position(tusk_sql::char_position(sql, rv.location))
                });
            };
            let mut columns = Vec::new();
            for (_, c) in entry.info.live_columns() {
                let default = match &c.default {
                    Some(text)
                        if like.options & TableLike::DEFAULTS != 0
                            && !c.generated
                            && c.identity == 0 =>
                    {
                        Some((tusk_sql::parse_expr(text)?, text.clone()))
                    }
                    _ => None,
                };
                columns.push(ColumnDef {
                    name: c.name.clone(),
                    type_name: self.type_name_of(c.type_oid, c.typmod)?,
                    not_null: c.not_null,
                    default,
                    identity: None,
                    identity_options: Box::default(),
                    generated: None,
                    location: rv.location,
                    with_options: false,
                });
            }
            let at = like.at + inserted;
            inserted += columns.len();
            out.columns.splice(at..at, columns);
        }
        Ok(out)
    }

    /// A type name that resolves back to `(type_oid, typmod)` in this session.
    fn type_name_of(
        &self,
        type_oid: tusk_types::Oid,
        typmod: i32,
    ) -> Result<tusk_sql::ast::TypeName> {
        if tusk_catalog::builtin().type_by_oid(type_oid).is_some() {
            return Ok(super::create_as::type_name_for(type_oid, typmod));
        }
        // A user type (no type modifier): its printed name, read back as a type.
        let text = format!("NULL::{}", self.format_type(type_oid));
        match tusk_sql::parse_expr(&text)? {
            Expr::Cast { type_name, .. } => Ok(type_name),
            _ => Err(Error::internal("type name did not parse as a cast")),
        }
    }
}
