//! COPY (PostgreSQL docs, COPY): `COPY table [(cols)] FROM STDIN` fed by the client's
//! CopyData messages, `COPY table | (query) TO STDOUT`, and the server-file forms for
//! superusers, in text and CSV format.
//!
//! COPY FROM inserts each row as `INSERT INTO table (cols) VALUES ($1, ...)` would (so
//! defaults, NOT NULL and CHECK constraints apply), with the fields converted by the
//! columns' input functions. A bad row fails the whole COPY with PostgreSQL's CONTEXT line
//! (`COPY t, line 3, column a: "x"`), and the transaction rolls back.
//!
//! The protocol: [`Session::simple_query`] stops at a COPY FROM STDIN after sending
//! CopyInResponse; the server then hands every CopyData to [`Session::copy_data`] and ends
//! with [`Session::copy_done`] (which runs the rest of the query string) or
//! [`Session::copy_fail`].

use std::sync::Arc;

use tusk_executor::{fire_statement_triggers, run_copy_batch};
use tusk_sql::ast::{RawStatement, Statement};
use tusk_sql::ast_ddl::CopyStmt;
use tusk_types::{pg_err, Datum, Error, Oid, Result, SqlState};

use super::extended::{Plan, Prepared};
use super::statement::RowTarget;
use super::Session;
use crate::copy_format::{format_row, split_fields, CopyFormat, CopyOptions, RecordSplitter};
use crate::sink::Sink;

/// Rows inserted per evaluation context (bounded memory per CopyData batch).
const BATCH_ROWS: usize = 1000;

/// A COPY's table: its name as shown, its qualified SQL name, the column names and their
/// (type, typmod), and its relation.
type CopyTarget = (
    String,
    String,
    Vec<String>,
    Vec<(Oid, i32)>,
    Arc<crate::relcache::RelEntry>,
);

/// A COPY FROM STDIN in progress.
pub(crate) struct CopyIn {
    insert: Arc<Prepared>,
    types: Vec<(Oid, i32)>,
    columns: Vec<String>,
    relation: String,
    options: CopyOptions,
    splitter: RecordSplitter,
    line: u64,
    rows: u64,
    header_pending: bool,
    ended: bool,
    error: Option<Error>,
    /// The table of a COPY FREEZE, whose rows go in frozen.
    freeze: Option<Oid>,
    force_not_null: Vec<bool>,
    force_null: Vec<bool>,
    /// Parsed records not inserted yet (line, values, text): records are inserted in
    /// batches of `BATCH_ROWS`, however the client splits them into CopyData messages
    /// (pgbench sends one message per row).
    pending: Vec<(u64, Vec<Datum>, Vec<u8>)>,
    /// The statements after the COPY in the same query string, and that string.
    rest: Vec<RawStatement>,
    sql: String,
    multi: bool,
    /// The BEFORE STATEMENT triggers have fired (just before the first rows go in).
    statement_started: bool,
}

fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Errors from statements COPY builds itself point into text the client never sent.
fn without_position(mut e: Error) -> Error {
    e.position = None;
    e
}

fn copy_not_supported(what: &str) -> Error {
    Error::new(
        SqlState::FEATURE_NOT_SUPPORTED,
        format!("{what} is not supported yet"),
    )
}

impl Session {
    /// The table and columns a COPY names: (relation name as shown, qualified SQL name,
    /// column names, column types).
    fn copy_target(&self, stmt: &CopyStmt) -> Result<CopyTarget> {
        let rv = stmt
            .relation
            .as_ref()
            .ok_or_else(|| Error::internal("COPY without a table"))?;
        let reader = self.catalog_reader();
        let entry = match reader.resolve(rv.schema.as_deref(), &rv.name)? {
            Some(oid) => reader.entry(oid)?,
            None => None,
        }
        .ok_or_else(|| {
            let shown = match &rv.schema {
                Some(s) => format!("{s}.{}", rv.name),
                None => rv.name.clone(),
            };
            pg_err!(UNDEFINED_TABLE, "relation \"{}\" does not exist", shown)
        })?;
        let info = &entry.info;
        if stmt.is_from {
            if let Some((user, enabled)) = &reader.row_security_user {
                if super::policy_ddl::row_security(&reader, user, *enabled, info.oid, None)?
                    .is_some()
                {
                    return Err(pg_err!(
                        FEATURE_NOT_SUPPORTED,
                        "COPY FROM not supported with row-level security"
                    )
                    .hint("Use INSERT statements instead."));
                }
            }
        }
        // A partitioned table copies in through tuple routing.
        if info.kind != b'r' && !(info.kind == b'p' && stmt.is_from) {
            let what = match info.kind {
                b'v' => "view",
                b'S' => "sequence",
                b'm' => "materialized view",
                _ => "non-table relation",
            };
            let err = pg_err!(
                WRONG_OBJECT_TYPE,
                "cannot copy {} {} \"{}\"",
                if stmt.is_from { "to" } else { "from" },
                what,
                info.name
            );
            return Err(if stmt.is_from {
                err
            } else {
                err.hint("Try the COPY (SELECT ...) TO variant.")
            });
        }
        let mut names = Vec::new();
        let mut types = Vec::new();
        if stmt.columns.is_empty() {
            // Generated columns are computed, never copied (PostgreSQL's CopyGetAttnums).
            for (_, c) in info.live_columns().filter(|(_, c)| !c.generated) {
                names.push(c.name.clone());
                types.push((c.type_oid, c.typmod));
            }
        } else {
            for name in &stmt.columns {
                let c = info
                    .live_columns()
                    .find(|(_, c)| c.name == *name)
                    .map(|(_, c)| c)
                    .ok_or_else(|| {
                        pg_err!(
                            UNDEFINED_COLUMN,
                            "column \"{}\" of relation \"{}\" does not exist",
                            name,
                            info.name
                        )
                    })?;
                if c.generated {
                    return Err(pg_err!(
                        INVALID_COLUMN_REFERENCE,
                        "column \"{}\" is a generated column",
                        name
                    )
                    .detail("Generated columns cannot be used in COPY."));
                }
                if names.contains(name) {
                    return Err(pg_err!(
                        DUPLICATE_COLUMN,
                        "column \"{}\" specified more than once",
                        name
                    ));
                }
                names.push(name.clone());
                types.push((c.type_oid, c.typmod));
            }
        }
        let qualified = format!(
            "{}.{}",
            quote_ident(&info.namespace),
            quote_ident(&info.name)
        );
        Ok((info.name.clone(), qualified, names, types, entry.clone()))
    }

    fn column_flags(
        names: &[String],
        listed: &[String],
        what: &str,
        relation: &str,
    ) -> Result<Vec<bool>> {
        for l in listed {
            if !names.contains(l) {
                return Err(pg_err!(
                    INVALID_COLUMN_REFERENCE,
                    "{} column \"{}\" not referenced by COPY",
                    what,
                    l
                ));
            }
        }
        let _ = relation;
        Ok(names.iter().map(|n| listed.contains(n)).collect())
    }

    /// Starts COPY FROM STDIN: sends CopyInResponse and remembers the rest of the query.
    ///
    /// Errors: option, table and column errors as PostgreSQL gives them; 25006 read-only.
    pub(crate) fn copy_from_start(
        &mut self,
        stmt: &CopyStmt,
        sql: &str,
        rest: Vec<RawStatement>,
        multi: bool,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let copy = self.prepare_copy_in(stmt, sql, rest, multi)?;
        // Privileges are checked before the client is asked for data, as PostgreSQL's
        // DoCopy does: a refused COPY must not swallow what follows it as data.
        if !copy.insert.relation_uses.is_empty() {
            self.check_relation_uses(&copy.insert.relation_uses)?;
        }
        sink.copy_in_response(0, copy.columns.len());
        self.copy_in = Some(Box::new(copy));
        Ok(())
    }

    /// The BEFORE (`before`) or AFTER STATEMENT triggers of a COPY FROM's table, fired
    /// once around all its rows: BEFORE when the first rows are about to go in (or at the
    /// end of a COPY without rows), AFTER at the end.
    ///
    /// Errors: whatever the trigger functions raise.
    fn copy_statement_triggers(&mut self, copy: &mut CopyIn, before: bool) -> Result<()> {
        if !before && !copy.statement_started {
            self.copy_statement_triggers(copy, true)?;
        }
        if before {
            if copy.statement_started {
                return Ok(());
            }
            copy.statement_started = true;
        }
        let insert = copy.insert.clone();
        let Plan::Modify(modify) = &insert.plan else {
            return Ok(());
        };
        self.start_txn_statement();
        self.with_eval_context(&[], |ctx| fire_statement_triggers(modify, ctx, before))
    }

    /// `COPY table FROM 'file'` (superusers): the file's rows, as COPY FROM STDIN would
    /// take them; returns `COPY n`.
    ///
    /// Errors: 42501 for non-superusers, 42602 for a relative path, 58P01 and other I/O
    /// errors reading the file, and COPY's own errors.
    pub(crate) fn copy_from_file(&mut self, stmt: &CopyStmt, sql: &str) -> Result<String> {
        if !self.superuser {
            return Err(pg_err!(
                INSUFFICIENT_PRIVILEGE,
                "must be superuser or have privileges of the pg_read_server_files role to COPY from a file"
            )
            .hint("Anyone can COPY to stdout or from stdin. psql's \\copy command also works for anyone."));
        }
        if stmt.is_program {
            return Err(copy_not_supported("COPY FROM PROGRAM"));
        }
        let path = stmt.filename.clone().unwrap_or_default();
        if !std::path::Path::new(&path).is_absolute() {
            return Err(pg_err!(
                INVALID_NAME,
                "relative path not allowed for COPY to file"
            ));
        }
        let data = std::fs::read(&path).map_err(|e| {
            Error::io(
                format_args!("could not open file \"{path}\" for reading"),
                &e,
            )
        })?;
        let mut copy = self.prepare_copy_in(stmt, sql, Vec::new(), false)?;
        if let Some(e) = copy.error.take() {
            return Err(e);
        }
        for chunk in data.chunks(64 * 1024) {
            copy.splitter.push(chunk);
            self.copy_rows(&mut copy, false)?;
        }
        if !copy.ended {
            self.copy_rows(&mut copy, true)?;
        }
        self.copy_statement_triggers(&mut copy, false)?;
        Ok(format!("COPY {}", copy.rows))
    }

    /// Checks a COPY FROM and prepares its INSERT.
    fn prepare_copy_in(
        &mut self,
        stmt: &CopyStmt,
        sql: &str,
        rest: Vec<RawStatement>,
        multi: bool,
    ) -> Result<CopyIn> {
        let options = CopyOptions::parse(&stmt.options, true)?;
        if options.format == CopyFormat::Binary {
            return Err(copy_not_supported("COPY in binary format"));
        }
        if stmt.has_where {
            return Err(copy_not_supported("COPY FROM ... WHERE"));
        }
        if self.config.get_string("transaction_read_only") == "on" {
            return Err(pg_err!(
                READ_ONLY_SQL_TRANSACTION,
                "cannot execute COPY FROM in a read-only transaction"
            ));
        }
        self.start_txn_statement();
        let (relation, qualified, columns, types, entry) = self.copy_target(stmt)?;
        // Reported once the data has been read, as PostgreSQL's CopyFrom does.
        let error = if options.freeze {
            self.copy_freeze_check(&entry).err()
        } else {
            None
        };
        let freeze = options.freeze.then_some(entry.info.oid);
        // Fields of a domain are read as its base type; the INSERT checks the domain.
        let types = self.domain_base_types(types)?;
        let force_not_null = Self::column_flags(
            &columns,
            &options.force_not_null,
            "FORCE_NOT_NULL",
            &relation,
        )?;
        let force_null =
            Self::column_flags(&columns, &options.force_null, "FORCE_NULL", &relation)?;
        let insert_sql = format!(
            "INSERT INTO {qualified} ({}) VALUES ({})",
            columns
                .iter()
                .map(|c| quote_ident(c))
                .collect::<Vec<_>>()
                .join(", "),
            (1..=columns.len())
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let raw = tusk_sql::parse(&insert_sql)?
            .into_iter()
            .next()
            .ok_or_else(|| Error::internal("COPY's INSERT did not parse"))?;
        let insert = self
            .plan(&raw, &insert_sql, types.iter().map(|t| t.0).collect())
            .map_err(without_position)?;
        Ok(CopyIn {
            insert,
            types,
            columns,
            relation,
            header_pending: options.header,
            options,
            splitter: RecordSplitter::default(),
            line: 0,
            rows: 0,
            ended: false,
            error,
            freeze,
            force_not_null,
            force_null,
            pending: Vec::new(),
            rest,
            sql: sql.to_string(),
            multi,
            statement_started: false,
        })
    }

    /// True while a COPY FROM STDIN waits for data.
    pub fn copy_in_pending(&self) -> bool {
        self.copy_in.is_some()
    }

    /// A CopyData message of a COPY FROM STDIN: its complete rows are inserted now; an
    /// error is kept and reported at CopyDone (the client sends its data regardless).
    pub fn copy_data(&mut self, data: &[u8]) {
        let Some(mut copy) = self.copy_in.take() else {
            return;
        };
        if copy.error.is_none() && !copy.ended {
            copy.splitter.push(data);
            if let Err(e) = self.copy_rows(&mut copy, false) {
                copy.error = Some(e);
            }
        }
        self.copy_in = Some(copy);
    }

    /// Parses and inserts the complete records buffered (all of them at the end).
    fn copy_rows(&mut self, copy: &mut CopyIn, at_end: bool) -> Result<()> {
        loop {
            let mut batch = std::mem::take(&mut copy.pending);
            while batch.len() < BATCH_ROWS && !copy.ended {
                let record = match copy.splitter.next_record(&copy.options) {
                    Some(r) => r,
                    None if at_end => match copy.splitter.finish() {
                        Some(r) => r,
                        None => break,
                    },
                    None => break,
                };
                copy.line += 1;
                if copy.options.format == CopyFormat::Text && record == b"\\." {
                    copy.ended = true;
                    break;
                }
                if copy.header_pending {
                    copy.header_pending = false;
                    continue;
                }
                let context = |column: Option<(&str, &str)>| match column {
                    Some((c, v)) => format!(
                        "COPY {}, line {}, column {}: \"{}\"",
                        copy.relation, copy.line, c, v
                    ),
                    None => format!(
                        "COPY {}, line {}: \"{}\"",
                        copy.relation,
                        copy.line,
                        String::from_utf8_lossy(&record)
                    ),
                };
                if copy.options.format == CopyFormat::Csv && record == b"\\." {
                    copy.ended = true;
                    break;
                }
                let fields =
                    split_fields(&record, &copy.options).map_err(|e| e.context(context(None)))?;
                if fields.len() > copy.columns.len()
                    && !(copy.columns.is_empty()
                        && fields.len() == 1
                        && fields[0].as_deref() == Some(""))
                {
                    return Err(pg_err!(
                        BAD_COPY_FILE_FORMAT,
                        "extra data after last expected column"
                    )
                    .context(context(None)));
                }
                if fields.len() < copy.columns.len() {
                    return Err(pg_err!(
                        BAD_COPY_FILE_FORMAT,
                        "missing data for column \"{}\"",
                        copy.columns[fields.len()]
                    )
                    .context(context(None)));
                }
                let mut values = Vec::with_capacity(copy.columns.len());
                for (i, field) in fields.into_iter().take(copy.columns.len()).enumerate() {
                    let field = match field {
                        None if copy.force_not_null[i] => Some(String::new()),
                        Some(f) if copy.force_null[i] && f == copy.options.null => None,
                        other => other,
                    };
                    let value = match field {
                        None => Datum::Null,
                        Some(f) => {
                            let (t, typmod) = copy.types[i];
                            tusk_executor::io::text_in(&f, t, typmod, &self.output)
                                .map_err(|e| e.context(context(Some((&copy.columns[i], &f)))))?
                        }
                    };
                    values.push(value);
                }
                batch.push((copy.line, values, record));
            }
            if batch.is_empty() {
                return Ok(());
            }
            if batch.len() < BATCH_ROWS && !at_end && !copy.ended {
                // More records are on their way.
                copy.pending = batch;
                return Ok(());
            }
            self.copy_statement_triggers(copy, true)?;
            copy.rows += self.insert_batch(copy, &batch)?;
        }
    }

    /// Inserts a batch of parsed records as one command of the COPY (PostgreSQL's COPY
    /// uses one command id throughout): one evaluation context for all of them, the
    /// insert's plan run once per record with the record as its parameters. Returns the
    /// number of rows inserted.
    ///
    /// Errors: the first row's error, with `COPY t, line n: "..."` as its context.
    fn insert_batch(&mut self, copy: &CopyIn, batch: &[(u64, Vec<Datum>, Vec<u8>)]) -> Result<u64> {
        let insert = copy.insert.clone();
        let relation = &copy.relation;
        let in_context = |e: Error, line: u64, text: &str| {
            if e.context.is_some() {
                e
            } else {
                e.context(format!("COPY {relation}, line {line}: \"{text}\""))
            }
        };
        let Plan::Modify(modify) = &insert.plan else {
            // Not a plain INSERT plan: run each record as its own statement.
            for (line, values, record) in batch {
                let mut rows = Vec::new();
                self.execute(&insert, values, &[], RowTarget::Collect(&mut rows), false)
                    .map_err(|e| in_context(e, *line, &String::from_utf8_lossy(record)))?;
            }
            return Ok(batch.len() as u64);
        };
        self.start_txn_statement();
        self.note_snapshot();
        // Taken by the evaluation context (`Session::with_eval_context`).
        self.copy_freeze = copy.freeze;
        self.with_eval_context(&[], |ctx| -> Result<u64> {
            run_copy_batch(
                modify,
                ctx,
                batch.iter().map(|(_, values, _)| values.as_slice()),
                &|i, e| {
                    let (line, _, record) = &batch[i];
                    in_context(e, *line, &String::from_utf8_lossy(record))
                },
            )
        })
    }

    /// PostgreSQL's checks of COPY FREEZE, in its order: the table is not partitioned
    /// (0A000), no cursor is open in the session (25000: rows frozen now would show in a
    /// cursor's older snapshot), and the table's file was created by the current
    /// subtransaction (55000: CREATE TABLE or TRUNCATE in it), so that its rows vanish
    /// should it abort.
    fn copy_freeze_check(&self, entry: &crate::relcache::RelEntry) -> Result<()> {
        if entry.info.kind == b'p' {
            return Err(pg_err!(
                FEATURE_NOT_SUPPORTED,
                "cannot perform COPY FREEZE on a partitioned table"
            ));
        }
        if !self.cursors.is_empty() {
            return Err(pg_err!(
                INVALID_TRANSACTION_STATE,
                "cannot perform COPY FREEZE because of prior transaction activity"
            ));
        }
        if !self.txn.created_in_current_level(entry.locator) {
            return Err(pg_err!(
                OBJECT_NOT_IN_PREREQUISITE_STATE,
                "cannot perform COPY FREEZE because the table was not created or truncated in the current subtransaction"
            ));
        }
        Ok(())
    }

    /// CopyDone: inserts what is left, then CommandComplete `COPY n` and the rest of the
    /// query string; the implicit transaction commits.
    ///
    /// Errors: the first error of the COPY (the transaction is rolled back).
    pub fn copy_done(&mut self, sink: &mut dyn Sink) -> Result<()> {
        let Some(mut copy) = self.copy_in.take() else {
            return Ok(());
        };
        let result = (|| -> Result<()> {
            if let Some(e) = copy.error.take() {
                return Err(e);
            }
            if !copy.ended {
                self.copy_rows(&mut copy, true)?;
            }
            self.copy_statement_triggers(&mut copy, false)?;
            sink.command_complete(&format!("COPY {}", copy.rows));
            if self.block == super::BlockState::Implicit {
                self.commit_implicit()?;
            }
            self.report_changes(sink);
            self.run_statements(&copy.rest, &copy.sql, copy.multi, sink)?;
            self.commit_implicit()
        })();
        if result.is_err() {
            self.abort_after_error();
        }
        self.report_changes(sink);
        result
    }

    /// CopyFail: the client gave up (57014 `COPY from stdin failed: message`).
    pub fn copy_fail(&mut self, message: &str) -> Error {
        self.copy_in = None;
        self.abort_after_error();
        pg_err!(QUERY_CANCELED, "COPY from stdin failed: {}", message)
    }

    /// COPY ... TO STDOUT (and the server-file forms): runs the scan or query and sends
    /// CopyOutResponse, the rows as CopyData, CopyDone; returns the command tag.
    ///
    /// Errors: option, table, column and query errors; 0A000 for binary format, files
    /// and PROGRAM.
    pub(crate) fn copy_to(&mut self, stmt: &CopyStmt, sink: &mut dyn Sink) -> Result<String> {
        if stmt.filename.is_some() || stmt.is_program {
            if !self.superuser {
                return Err(pg_err!(
                    INSUFFICIENT_PRIVILEGE,
                    "must be superuser or have privileges of the pg_{}_server_files role to COPY {} a file",
                    if stmt.is_from { "read" } else { "write" },
                    if stmt.is_from { "from" } else { "to" }
                ));
            }
            return Err(copy_not_supported("COPY to or from a server file"));
        }
        let options = CopyOptions::parse(&stmt.options, false)?;
        if options.format == CopyFormat::Binary {
            return Err(copy_not_supported("COPY in binary format"));
        }
        let (select_sql, names) = match (&stmt.relation, &stmt.query) {
            (_, Some(query)) => (query.clone(), Vec::new()),
            (Some(_), None) => {
                let (_, qualified, columns, _, _) = self.copy_target(stmt)?;
                (
                    format!(
                        "SELECT {} FROM {qualified}",
                        columns
                            .iter()
                            .map(|c| quote_ident(c))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    columns,
                )
            }
            (None, None) => return Err(Error::internal("COPY without a source")),
        };
        let raw = tusk_sql::parse(&select_sql)?
            .into_iter()
            .next()
            .ok_or_else(|| Error::internal("COPY's query did not parse"))?;
        if matches!(raw.stmt, Statement::Merge(_)) {
            // PostgreSQL 15 refuses it outright (no RETURNING for MERGE).
            return Err(pg_err!(
                FEATURE_NOT_SUPPORTED,
                "MERGE not supported in COPY"
            ));
        }
        if !matches!(
            raw.stmt,
            Statement::Select(_)
                | Statement::Insert(_)
                | Statement::Update(_)
                | Statement::Delete(_)
        ) {
            return Err(copy_not_supported("COPY of a statement other than SELECT"));
        }
        let prepared = self
            .plan(&raw, &select_sql, Vec::new())
            .map_err(without_position)?;
        // INSERT, UPDATE and DELETE send their RETURNING rows.
        let columns = match &prepared.plan {
            super::extended::Plan::Query(q) => Some(&q.columns),
            super::extended::Plan::Modify(m) if m.returning_columns.is_empty() => {
                return Err(pg_err!(
                    FEATURE_NOT_SUPPORTED,
                    "COPY query must have a RETURNING clause"
                ))
            }
            super::extended::Plan::Modify(m) => Some(&m.returning_columns),
            _ => None,
        };
        let column_names: Vec<String> = match columns {
            Some(columns) => columns.iter().map(|c| c.name.clone()).collect(),
            None => names,
        };
        let types: Vec<Oid> = columns
            .map(|columns| columns.iter().map(|c| c.type_oid).collect())
            .unwrap_or_default();
        let force_quote: Vec<bool> = column_names
            .iter()
            .map(|n| options.force_quote.iter().any(|f| f == "*" || f == n))
            .collect();
        let mut rows = Vec::new();
        self.execute(&prepared, &[], &[], RowTarget::Collect(&mut rows), false)?;
        sink.copy_out_response(0, column_names.len());
        let mut buf = Vec::new();
        if options.header {
            let header: Vec<Option<String>> = column_names.iter().cloned().map(Some).collect();
            format_row(&mut buf, &header, &[], &options);
            sink.copy_data(&buf);
        }
        let count = rows.len();
        for row in rows {
            buf.clear();
            let values = row
                .iter()
                .zip(&types)
                .map(|(v, t)| match v {
                    Datum::Null => Ok(None),
                    v => tusk_executor::io::text_out_string(v, *t, &self.output).map(Some),
                })
                .collect::<Result<Vec<_>>>()?;
            format_row(&mut buf, &values, &force_quote, &options);
            sink.copy_data(&buf);
        }
        sink.copy_done();
        Ok(format!("COPY {count}"))
    }
}
