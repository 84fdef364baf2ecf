//! `CREATE TABLE ... AS query` and `SELECT ... INTO` (PostgreSQL's `ExecCreateTableAs`):
//! the table gets the query's column names (or those given) and types with their
//! typmods, `unknown` columns become `text`, then the rows are inserted unless `WITH NO
//! DATA`. The command tag is `SELECT n`, as PostgreSQL reports it.

use tusk_sql::ast::{Expr, Literal, RangeVar, Statement, TypeName};
use tusk_sql::ast_ddl::{ColumnDef, CreateTableAsStmt, CreateTableStmt};
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result, SqlState};

use super::extended::Plan;
use super::statement::RowTarget;
use super::Session;
use crate::sink::Sink;

/// The type name that resolves back to `(oid, typmod)`: `pg_catalog.name(mods)[]`.
pub(super) fn type_name_for(oid: Oid, typmod: i32) -> TypeName {
    let catalog = tusk_catalog::builtin();
    let (base, array) = match tusk_types::adt::array::builtin_element_type(oid) {
        Some(elem) if oid != type_oid::INT2VECTOR && oid != type_oid::OIDVECTOR => (elem, true),
        _ => (oid, false),
    };
    let name = catalog
        .type_by_oid(base)
        .map(|t| t.name.clone())
        .unwrap_or_else(|| base.0.to_string());
    let int = |v: i32| Expr::Const(Literal::Integer(i64::from(v)), usize::MAX);
    let typmods = if typmod < 0 {
        Vec::new()
    } else {
        match base {
            type_oid::VARCHAR | type_oid::BPCHAR => vec![int(typmod - 4)],
            type_oid::NUMERIC => {
                let t = typmod - 4;
                vec![int((t >> 16) & 0xffff), int(t & 0xffff)]
            }
            type_oid::TIME | type_oid::TIMESTAMP | type_oid::TIMESTAMPTZ | type_oid::TIMETZ => {
                vec![int(typmod)]
            }
            _ => Vec::new(),
        }
    };
    TypeName {
        names: vec!["pg_catalog".into(), name],
        typmods,
        array_bounds: if array { vec![-1] } else { Vec::new() },
        location: usize::MAX,
    }
}

fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl Session {
    /// `CREATE TABLE AS` / `SELECT INTO`; returns `SELECT n` (or `CREATE TABLE AS` with
    /// `IF NOT EXISTS` skipping).
    ///
    /// `CREATE MATERIALIZED VIEW` goes to [`Session::create_materialized_view`].
    ///
    /// Errors: those of the query and of CREATE TABLE; 42601 `too many column names were
    /// specified`.
    pub(crate) fn create_table_as(
        &mut self,
        stmt: &CreateTableAsStmt,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        self.create_table_as_with(stmt, sink, None)
    }

    /// [`Session::create_table_as`]; with `computed`, the query's rows already computed
    /// (EXPLAIN ANALYZE ran it) are stored instead of running it again.
    pub(crate) fn create_table_as_with(
        &mut self,
        stmt: &CreateTableAsStmt,
        sink: &mut dyn Sink,
        computed: Option<Vec<Vec<Datum>>>,
    ) -> Result<String> {
        if stmt.materialized {
            return self.create_materialized_view(stmt, sink, computed);
        }
        let (columns, modifying) = self.table_as_columns_and_writes(stmt)?;
        let create = table_as_create(stmt, columns);
        let temp = self.is_temp_creation(stmt.persistence, &stmt.relation)?;
        let exists_before = self.relation_exists(&stmt.relation, temp)?;
        self.create_table(&create, &stmt.query, sink)?;
        if exists_before {
            // IF NOT EXISTS skipped it (the NOTICE is out).
            return Ok("CREATE TABLE AS".into());
        }
        self.txn.command_counter_increment();
        if !stmt.with_data {
            return Ok(if stmt.select_into {
                "SELECT 0".into()
            } else {
                "CREATE TABLE AS".into()
            });
        }
        // A query with data-modifying CTEs runs as it is: as the SELECT of an INSERT its
        // WITH would not be at the top level.
        let computed = match computed {
            None if modifying => Some(self.table_as_query_rows(stmt)?),
            computed => computed,
        };
        if let Some(rows) = computed {
            let rel = {
                let reader = self.catalog_reader();
                let ns = if temp {
                    reader.namespace_oid(&self.temp_namespace_name())?
                } else {
                    Some(
                        reader
                            .creation_namespace(stmt.relation.schema.as_deref())?
                            .0,
                    )
                };
                match ns {
                    Some(ns) => reader.relation_oid(ns, &stmt.relation.name)?,
                    None => None,
                }
            }
            .ok_or_else(|| Error::internal("new table not visible"))?;
            self.replace_relation_rows(rel, &rows)?;
            return Ok(format!("SELECT {}", rows.len()));
        }
        let target = match &stmt.relation.schema {
            _ if temp => format!(
                "{}.{}",
                quote_ident(&self.temp_namespace_name()),
                quote_ident(&stmt.relation.name)
            ),
            Some(s) => format!("{}.{}", quote_ident(s), quote_ident(&stmt.relation.name)),
            None => {
                let (_, ns) = self.catalog_reader().creation_namespace(None)?;
                format!("{}.{}", quote_ident(&ns), quote_ident(&stmt.relation.name))
            }
        };
        let insert_sql = format!("INSERT INTO {target} {}", stmt.query);
        let raw = tusk_sql::parse(&insert_sql)?
            .into_iter()
            .next()
            .ok_or_else(|| Error::internal("CREATE TABLE AS insert did not parse"))?;
        let insert = self.plan(&raw, &insert_sql, Vec::new())?;
        let mut rows = Vec::new();
        let tag = self.execute(&insert, &[], &[], RowTarget::Collect(&mut rows), false)?;
        let n = tag.rsplit(' ').next().unwrap_or("0");
        Ok(format!("SELECT {n}"))
    }

    /// The columns of the table `CREATE TABLE AS` or `CREATE MATERIALIZED VIEW` makes:
    /// the query's names (or those given) and types with their typmods, `unknown` as
    /// `text`. The query is analysed, not run.
    ///
    /// Errors: those of the query; 42601 `too many column names were specified`; 0A000
    /// for a statement other than SELECT.
    pub(crate) fn table_as_columns(&mut self, stmt: &CreateTableAsStmt) -> Result<Vec<ColumnDef>> {
        Ok(self.table_as_columns_and_writes(stmt)?.0)
    }

    /// The rows of the query of `CREATE TABLE AS`, run on its own.
    ///
    /// Errors: those of the query.
    fn table_as_query_rows(&mut self, stmt: &CreateTableAsStmt) -> Result<Vec<Vec<Datum>>> {
        let raw = tusk_sql::parse(&stmt.query)?
            .into_iter()
            .next()
            .ok_or_else(|| Error::internal("CREATE TABLE AS query did not parse"))?;
        let prepared = self.plan(&raw, &stmt.query, Vec::new())?;
        let mut rows = Vec::new();
        self.execute(&prepared, &[], &[], RowTarget::Collect(&mut rows), false)?;
        Ok(rows)
    }

    /// [`Session::table_as_columns`], and whether the query has data-modifying CTEs.
    fn table_as_columns_and_writes(
        &mut self,
        stmt: &CreateTableAsStmt,
    ) -> Result<(Vec<ColumnDef>, bool)> {
        let raw = tusk_sql::parse(&stmt.query)?
            .into_iter()
            .next()
            .ok_or_else(|| Error::internal("CREATE TABLE AS query did not parse"))?;
        if !matches!(raw.stmt, Statement::Select(_)) {
            return Err(Error::new(
                SqlState::FEATURE_NOT_SUPPORTED,
                "CREATE TABLE AS with a statement other than SELECT is not supported yet",
            ));
        }
        let prepared = self.plan(&raw, &stmt.query, Vec::new())?;
        let Plan::Query(query) = &prepared.plan else {
            return Err(Error::internal("CREATE TABLE AS query is not a query"));
        };
        if stmt.columns.len() > query.columns.len() {
            return Err(pg_err!(
                SYNTAX_ERROR,
                "too many column names were specified"
            ));
        }
        let columns: Vec<ColumnDef> = query
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let (t, typmod) = if c.type_oid == type_oid::UNKNOWN {
                    (type_oid::TEXT, -1)
                } else {
                    (c.type_oid, c.typmod)
                };
                ColumnDef {
                    name: stmt
                        .columns
                        .get(i)
                        .cloned()
                        .unwrap_or_else(|| c.name.clone()),
                    type_name: type_name_for(t, typmod),
                    not_null: false,
                    default: None,
                    identity: None,
                    identity_options: Default::default(),
                    generated: None,
                    location: usize::MAX,
                    with_options: false,
                    collation: None,
                }
            })
            .collect();
        Ok((columns, !query.modifying.is_empty()))
    }

    /// Whether relation `rv` exists where a CREATE would put it.
    pub(crate) fn relation_exists(&self, rv: &RangeVar, temp: bool) -> Result<bool> {
        let reader = self.catalog_reader();
        let ns = if temp {
            match reader.namespace_oid(&self.temp_namespace_name())? {
                Some(ns) => ns,
                None => return Ok(false),
            }
        } else {
            match reader.creation_namespace(rv.schema.as_deref()) {
                Ok((ns, _)) => ns,
                Err(_) => return Ok(false),
            }
        };
        Ok(reader.relation_oid(ns, &rv.name)?.is_some())
    }
}

/// The CREATE TABLE that `CREATE TABLE AS` (or `CREATE MATERIALIZED VIEW`) runs first.
pub(crate) fn table_as_create(
    stmt: &CreateTableAsStmt,
    columns: Vec<ColumnDef>,
) -> CreateTableStmt {
    CreateTableStmt {
        // PostgreSQL reports CREATE TABLE AS errors about the relation without a position.
        relation: RangeVar {
            alias: None,
            location: usize::MAX,
            ..stmt.relation.clone()
        },
        if_not_exists: stmt.if_not_exists,
        persistence: stmt.persistence,
        columns,
        constraints: Vec::new(),
        options: Vec::new(),
        inherits: Vec::new(),
        unsupported: None,
        on_commit: stmt.on_commit,
        partition: Default::default(),
        like: Vec::new(),
    }
}
