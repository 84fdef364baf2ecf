//! The PL/pgSQL interpreter: runs an [`ast::Function`] statement by statement.
//!
//! Variables live in one array indexed by `varno`; every embedded expression or query is
//! analysed by the host with a [`ParamResolver`] over the names visible at its call site,
//! so a variable becomes parameter `$varno` and each execution passes all current
//! values. Analysed statements are cached per call site while the types of the
//! variables they read stay the same (a record variable's shape can change).
//!
//! Errors leaving a statement get PostgreSQL's CONTEXT line `PL/pgSQL function <name>
//! line <n> at <statement>` once, at the innermost statement ([`Fail::located`]).
//! An EXCEPTION block runs its body in a subtransaction: an error rolls the body's
//! changes back before a handler runs; variables keep their values, as in PostgreSQL.

use std::cell::RefCell;
use std::sync::Arc;

use tusk_sql::analyze::{ParamResolver, TypedExpr};
use tusk_types::adt::record::RecordDesc;
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result, SqlState};

use crate::ast::{self, Block, DeclType, Expr, Function, Stmt, StmtKind};
use crate::raise;

mod assign;
mod raise_stmt;
use crate::{Host, PreparedSql, SqlResult};

/// The first OID of objects users create (PostgreSQL's `FirstNormalObjectId`).
const FIRST_NORMAL_OID: u32 = 16384;

/// What a function call returns.
#[derive(Clone, Debug, PartialEq)]
pub enum FunctionResult {
    /// A plain function's value (NULL for void).
    Value(Datum),
    /// A set-returning function's rows (one value per row for a scalar element type, the
    /// record's fields for a composite one).
    Rows(Vec<Vec<Datum>>),
    /// The values of the output parameters of a function with several of them (or of a
    /// procedure with any).
    Row(Vec<Datum>),
}

/// One variable's current state.
#[derive(Clone, Debug)]
struct Var {
    name: String,
    /// Its type; `Oid(0)` until a loop or CASE variable is first assigned.
    type_oid: Oid,
    typmod: i32,
    value: Datum,
    /// A `record` or row-type variable.
    record: bool,
    /// The row shape of a record variable (declared row type, or the last row assigned).
    desc: Option<Arc<RecordDesc>>,
    constant: bool,
    not_null: bool,
}

/// How control leaves a statement list.
#[derive(Debug, PartialEq)]
enum Flow {
    Normal,
    Exit(Option<String>),
    Continue(Option<String>),
    Return,
}

/// An error on its way out, and whether a CONTEXT line already locates it.
struct Fail {
    error: Error,
    located: bool,
    /// Raised while analysing embedded SQL: PostgreSQL shows the query text in another
    /// field then, not as a `SQL statement "..."` CONTEXT line.
    analysis: bool,
}

impl From<Error> for Fail {
    fn from(error: Error) -> Fail {
        Fail {
            error,
            located: false,
            analysis: false,
        }
    }
}

type Exec<T> = std::result::Result<T, Fail>;

/// An analysed statement and the variable types it was analysed with.
struct CachedSql {
    prepared: PreparedSql,
    depends_on: Vec<(usize, Oid, Option<Arc<RecordDesc>>)>,
}

/// Resolves variable names at one call site (see the module header).
struct Resolver<'a> {
    scope: &'a [(String, usize)],
    labels: &'a [(String, usize)],
    vars: &'a [Var],
    used: RefCell<Vec<usize>>,
    error: RefCell<Option<Error>>,
}

impl Resolver<'_> {
    fn lookup(&self, name: &str) -> Option<usize> {
        self.scope
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| *v)
    }

    /// A variable of the labelled block whose names start at `start`: its own
    /// declarations come first, inner blocks' after them.
    fn lookup_in_block(&self, name: &str, start: usize) -> Option<usize> {
        self.scope[start.min(self.scope.len())..]
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| *v)
    }

    fn param(&self, varno: usize) -> TypedExpr {
        self.used.borrow_mut().push(varno);
        let var = &self.vars[varno];
        let type_oid = match (&var.desc, var.record) {
            (Some(desc), true) => desc.type_oid,
            (None, true) => type_oid::RECORD,
            _ if var.type_oid == Oid(0) => type_oid::TEXT,
            _ => var.type_oid,
        };
        TypedExpr::Param {
            index: varno,
            type_oid,
        }
    }

    fn field(&self, varno: usize, name: &str) -> Option<TypedExpr> {
        let var = &self.vars[varno];
        let Some(desc) = var.desc.clone() else {
            *self.error.borrow_mut() = Some(
                pg_err!(
                    OBJECT_NOT_IN_PREREQUISITE_STATE,
                    "record \"{}\" is not assigned yet",
                    var.name
                )
                .detail("The tuple structure of a not-yet-assigned record is indeterminate."),
            );
            return None;
        };
        let Some(index) = desc.fields.iter().position(|f| f.name == name) else {
            *self.error.borrow_mut() = Some(pg_err!(
                UNDEFINED_COLUMN,
                "record \"{}\" has no field \"{}\"",
                var.name,
                name
            ));
            return None;
        };
        let field = &desc.fields[index];
        Some(TypedExpr::FieldSelect {
            arg: Box::new(self.param(varno)),
            field: index,
            type_oid: field.type_oid,
            typmod: field.typmod,
        })
    }

    fn label_start(&self, label: &str) -> Option<usize> {
        self.labels
            .iter()
            .rev()
            .find(|(l, _)| l == label)
            .map(|(_, s)| *s)
    }
}

impl ParamResolver for Resolver<'_> {
    fn conflict_is_error(&self) -> bool {
        true
    }

    fn resolve(&self, fields: &[String]) -> Option<TypedExpr> {
        match fields {
            [name] => self.lookup(name).map(|v| self.param(v)),
            [first, second] => {
                if let Some(v) = self.lookup(first) {
                    if self.vars[v].record {
                        return self.field(v, second);
                    }
                }
                let start = self.label_start(first)?;
                self.lookup_in_block(second, start).map(|v| self.param(v))
            }
            [label, record, field] => {
                let start = self.label_start(label)?;
                let v = self.lookup_in_block(record, start)?;
                self.vars[v].record.then(|| self.field(v, field)).flatten()
            }
            _ => None,
        }
    }
}

/// One execution of a function (or DO block).
pub(crate) struct Interpreter<'f> {
    function: &'f Function,
    signature: &'f str,
    result_type: Oid,
    returns_set: bool,
    vars: Vec<Var>,
    /// Visible names, innermost last.
    scope: Vec<(String, usize)>,
    /// Block and loop labels with the scope length where they start.
    labels: Vec<(String, usize)>,
    cache: Vec<Option<CachedSql>>,
    arg_types: Vec<Oid>,
    /// `ROW_COUNT` of the last SQL statement.
    row_count: u64,
    /// Errors being handled, innermost last (RAISE without arguments, GET STACKED).
    handled: Vec<Error>,
    result: Datum,
    rows: Vec<Vec<Datum>>,
    /// `plpgsql.extra_warnings` / `plpgsql.extra_errors` checks in force.
    extra_checks: ExtraChecks,
}

/// Which `plpgsql.extra_*` checks warn and which raise errors.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct ExtraChecks {
    pub(super) too_many_rows: Option<ExtraLevel>,
    pub(super) strict_multi_assignment: Option<ExtraLevel>,
}

/// How an `extra_*` check reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ExtraLevel {
    Warning,
    Error,
}

impl ExtraChecks {
    fn read(host: &mut dyn Host) -> ExtraChecks {
        let mut checks = ExtraChecks::default();
        for (setting, level) in [
            ("plpgsql.extra_warnings", ExtraLevel::Warning),
            ("plpgsql.extra_errors", ExtraLevel::Error),
        ] {
            let value = host
                .setting(setting)
                .unwrap_or_default()
                .to_ascii_lowercase();
            for item in value.split(',').map(str::trim) {
                if item == "all" || item == "too_many_rows" {
                    checks.too_many_rows = Some(level);
                }
                if item == "all" || item == "strict_multi_assignment" {
                    checks.strict_multi_assignment = Some(level);
                }
            }
        }
        checks
    }
}

impl<'f> Interpreter<'f> {
    /// An interpreter for one call of `function`.
    pub(crate) fn new(
        function: &'f Function,
        signature: &'f str,
        result_type: Oid,
        returns_set: bool,
    ) -> Interpreter<'f> {
        let vars = function
            .datums
            .iter()
            .map(|d| {
                let (name, constant, not_null, record) = match d {
                    ast::Datum::Var(v) => (
                        v.name.clone(),
                        v.constant,
                        v.not_null,
                        matches!(v.decl_type, DeclType::Record | DeclType::RowType(_)),
                    ),
                    _ => (String::new(), false, false, false),
                };
                Var {
                    name,
                    type_oid: Oid(0),
                    typmod: -1,
                    value: Datum::Null,
                    record,
                    desc: None,
                    constant,
                    not_null,
                }
            })
            .collect();
        Interpreter {
            function,
            signature,
            result_type,
            returns_set,
            vars,
            scope: Vec::new(),
            labels: Vec::new(),
            cache: (0..function.expr_count).map(|_| None).collect(),
            arg_types: Vec::new(),
            row_count: 0,
            handled: Vec::new(),
            result: Datum::Null,
            rows: Vec::new(),
            extra_checks: ExtraChecks::default(),
        }
    }

    /// Binds `args` to the first datums and runs the body.
    pub(crate) fn run(
        mut self,
        host: &mut dyn Host,
        args: &[(Oid, Datum)],
    ) -> Result<FunctionResult> {
        for (i, (type_oid, value)) in args.iter().enumerate() {
            let var = &mut self.vars[i];
            var.type_oid = *type_oid;
            var.value = value.clone();
            if let Datum::Record(r) = value {
                var.record = true;
                var.desc = Some(r.desc.clone());
            }
            if !var.name.is_empty() {
                self.scope.push((var.name.clone(), i));
            }
            self.arg_types.push(*type_oid);
        }
        if self.result_type == type_oid::VOID
            && !self.returns_set
            && returns_a_value(&self.function.body.body)
        {
            return Err(pg_err!(
                DATATYPE_MISMATCH,
                "RETURN cannot have a parameter in function returning void"
            ));
        }
        self.extra_checks = ExtraChecks::read(host);
        for (name, target) in &self.function.aliases {
            let varno = match target.strip_prefix('$') {
                Some(n) => n.parse::<usize>().ok().and_then(|n| n.checked_sub(1)),
                None => self
                    .scope
                    .iter()
                    .rev()
                    .find(|(n, _)| n == target)
                    .map(|(_, v)| *v),
            };
            if let Some(varno) = varno.filter(|v| *v < self.vars.len()) {
                self.scope.push((name.clone(), varno));
            }
        }
        let found = self.function.found_var;
        if let Some(var) = self.vars.get_mut(found) {
            var.type_oid = type_oid::BOOL;
            var.value = Datum::Bool(false);
            self.scope.push(("found".into(), found));
        }
        let flow = self
            .exec_block(host, &self.function.body)
            .map_err(|f| f.error)?;
        if self.returns_set {
            return Ok(FunctionResult::Rows(std::mem::take(&mut self.rows)));
        }
        let outputs = &self.function.outputs;
        if !outputs.is_empty() {
            let mut values: Vec<Datum> = outputs
                .iter()
                .map(|&v| self.vars[v].value.clone())
                .collect();
            if values.len() == 1 && !self.function.procedure {
                return Ok(FunctionResult::Value(values.remove(0)));
            }
            return Ok(FunctionResult::Row(values));
        }
        if flow != Flow::Return && self.result_type != type_oid::VOID {
            return Err(pg_err!(
                S_R_E_FUNCTION_EXECUTED_NO_RETURN_STATEMENT,
                "control reached end of function without RETURN"
            )
            .context(format!("PL/pgSQL function {}", self.signature)));
        }
        Ok(FunctionResult::Value(std::mem::replace(
            &mut self.result,
            Datum::Null,
        )))
    }

    /// Runs a trigger function: binds `new`/`old` (`vars`) and the `TG_*` variables,
    /// runs the body, returns its RETURN value (a record or NULL).
    pub(crate) fn run_trigger(
        mut self,
        host: &mut dyn Host,
        vars: (usize, usize),
        trigger: &crate::TriggerData,
    ) -> Result<Datum> {
        // Both have the table's row type, also the one that is NULL (NEW in a DELETE
        // trigger, OLD in an INSERT trigger).
        let shape = [&trigger.new, &trigger.old]
            .into_iter()
            .find_map(|v| match v {
                Datum::Record(r) => Some(r.desc.clone()),
                _ => None,
            });
        for (varno, value, name) in [(vars.0, &trigger.new, "new"), (vars.1, &trigger.old, "old")] {
            let var = &mut self.vars[varno];
            var.record = true;
            var.value = value.clone();
            let desc = match value {
                Datum::Record(r) => Some(r.desc.clone()),
                _ => shape.clone(),
            };
            if let Some(desc) = desc {
                var.type_oid = desc.type_oid;
                var.desc = Some(desc);
            }
            self.scope.push((name.into(), varno));
        }
        let text = |s: &str| Datum::Text(s.to_string());
        let argv = if trigger.args.is_empty() {
            Datum::Null
        } else {
            let dims = vec![tusk_types::adt::array::ArrayDim {
                len: trigger.args.len() as i32,
                lower: 0,
            }];
            let elems = trigger.args.iter().map(|a| text(a)).collect();
            Datum::Array(Box::new(tusk_types::adt::array::Array::new(
                type_oid::TEXT,
                dims,
                elems,
            )?))
        };
        let specials = [
            ("tg_name", type_oid::NAME, text(&trigger.name)),
            ("tg_when", type_oid::TEXT, text(&trigger.when)),
            ("tg_level", type_oid::TEXT, text(&trigger.level)),
            ("tg_op", type_oid::TEXT, text(&trigger.op)),
            ("tg_relid", type_oid::OID, Datum::Oid(trigger.relid.0)),
            ("tg_relname", type_oid::NAME, text(&trigger.table_name)),
            ("tg_table_name", type_oid::NAME, text(&trigger.table_name)),
            (
                "tg_table_schema",
                type_oid::NAME,
                text(&trigger.table_schema),
            ),
            (
                "tg_nargs",
                type_oid::INT4,
                Datum::Int4(trigger.args.len() as i32),
            ),
            ("tg_argv", type_oid::TEXT_ARRAY, argv),
        ];
        for (name, type_oid, value) in specials {
            self.scope.push((name.into(), self.vars.len()));
            self.vars.push(Var {
                name: name.into(),
                type_oid,
                typmod: -1,
                value,
                record: false,
                desc: None,
                constant: false,
                not_null: false,
            });
        }
        match self.run(host, &[]) {
            Ok(FunctionResult::Value(v)) => Ok(v),
            Ok(FunctionResult::Rows(_) | FunctionResult::Row(_)) => Ok(Datum::Null),
            Err(e) if e.code == SqlState::S_R_E_FUNCTION_EXECUTED_NO_RETURN_STATEMENT => {
                Err(Error::new(
                    e.code,
                    "control reached end of trigger procedure without RETURN",
                )
                .context(e.context.unwrap_or_default()))
            }
            Err(e) => Err(e),
        }
    }

    fn located(&self, line: u32, what: &str) -> impl Fn(Fail) -> Fail + '_ {
        let text = format!(
            "PL/pgSQL function {} line {} at {}",
            self.signature, line, what
        );
        move |f: Fail| {
            if f.located {
                f
            } else {
                Fail {
                    error: f.error.context(text.clone()),
                    located: true,
                    analysis: f.analysis,
                }
            }
        }
    }

    // ---- blocks and statements ------------------------------------------------------

    fn exec_block(&mut self, host: &mut dyn Host, block: &Block) -> Exec<Flow> {
        let (scope_len, labels_len) = (self.scope.len(), self.labels.len());
        if let Some(label) = &block.label {
            self.labels.push((label.clone(), scope_len));
        }
        let result = self.exec_block_inner(host, block);
        self.scope.truncate(scope_len);
        self.labels.truncate(labels_len);
        match result? {
            Flow::Exit(Some(l)) if block.label.as_ref() == Some(&l) => Ok(Flow::Normal),
            flow => Ok(flow),
        }
    }

    fn exec_block_inner(&mut self, host: &mut dyn Host, block: &Block) -> Exec<Flow> {
        for &varno in &block.declared {
            let line = match &self.function.datums[varno] {
                ast::Datum::Var(v) => v.line,
                _ => block.line,
            };
            self.init_var(host, varno).map_err(|f| {
                self.located(line, "")(f).map_context_suffix(
                    " at ",
                    " during statement block local variable initialization",
                )
            })?;
            let name = self.vars[varno].name.clone();
            self.scope.push((name, varno));
        }
        let Some(handlers) = &block.handlers else {
            return self.exec_stmts(host, &block.body);
        };
        host.begin_subtransaction()?;
        let fail = match self.exec_stmts(host, &block.body) {
            Ok(flow) => {
                host.release_subtransaction()?;
                return Ok(flow);
            }
            Err(fail) => fail,
        };
        host.rollback_subtransaction()?;
        for handler in &handlers.handlers {
            let mut matched = false;
            for condition in &handler.conditions {
                if raise::handler_matches(condition, fail.error.code)? {
                    matched = true;
                    break;
                }
            }
            if !matched {
                continue;
            }
            let scope_len = self.scope.len();
            self.set_text_var(handlers.sqlstate_var, fail.error.code.code());
            self.set_text_var(handlers.sqlerrm_var, &fail.error.message.clone());
            self.scope.push(("sqlstate".into(), handlers.sqlstate_var));
            self.scope.push(("sqlerrm".into(), handlers.sqlerrm_var));
            self.handled.push(fail.error);
            let result = self.exec_stmts(host, &handler.body);
            self.handled.pop();
            self.scope.truncate(scope_len);
            return result;
        }
        Err(fail)
    }

    fn set_text_var(&mut self, varno: usize, text: &str) {
        let var = &mut self.vars[varno];
        var.type_oid = type_oid::TEXT;
        var.value = Datum::Text(text.to_string());
    }

    /// Sets a declared variable to its type's NULL or its DEFAULT.
    fn init_var(&mut self, host: &mut dyn Host, varno: usize) -> Exec<()> {
        let ast::Datum::Var(decl) = &self.function.datums[varno] else {
            return Ok(());
        };
        match &decl.decl_type {
            DeclType::Unknown => {}
            DeclType::Record => {
                self.vars[varno].record = true;
                self.vars[varno].desc = None;
            }
            DeclType::Named(name) => {
                match self.prepare_text(host, &format!("SELECT NULL::{name}")) {
                    Ok(prepared) => {
                        let column = prepared
                            .columns
                            .first()
                            .cloned()
                            .ok_or_else(|| Error::internal("type lookup returned no column"))?;
                        let var = &mut self.vars[varno];
                        var.type_oid = column.type_oid;
                        var.typmod = column.typmod;
                        // A composite type's variable is a record of its fields.
                        if column.type_oid.0 >= FIRST_NORMAL_OID {
                            if let Ok(fields) =
                                self.prepare_text(host, &format!("SELECT (NULL::{name}).*"))
                            {
                                let scalar = fields.columns.len() == 1
                                    && fields.columns[0].type_oid == column.type_oid;
                                if !fields.columns.is_empty() && !scalar {
                                    let var = &mut self.vars[varno];
                                    var.record = true;
                                    var.desc = Some(Arc::new(RecordDesc {
                                        type_oid: column.type_oid,
                                        fields: fields.columns,
                                    }));
                                }
                            }
                        }
                    }
                    // A table's name is also its row type.
                    Err(f) if f.error.code == SqlState::UNDEFINED_OBJECT => {
                        let names: Vec<String> = name
                            .trim()
                            .split('.')
                            .map(|p| p.trim().to_ascii_lowercase())
                            .collect();
                        if self.declare_row_type(host, varno, &names).is_err() {
                            return Err(f);
                        }
                    }
                    Err(f) => return Err(f),
                }
            }
            DeclType::ColumnType(names) => {
                let (type_oid, typmod) = match names.as_slice() {
                    [one] if self.scope.iter().any(|(n, _)| n == one) => {
                        let v = self
                            .scope
                            .iter()
                            .rev()
                            .find(|(n, _)| n == one)
                            .map(|(_, v)| *v)
                            .expect("checked present");
                        (self.vars[v].type_oid, self.vars[v].typmod)
                    }
                    [rel @ .., column] if !rel.is_empty() => {
                        let sql =
                            format!("SELECT {} FROM {}", quote_ident(column), quoted_name(rel));
                        let prepared = self.prepare_text(host, &sql)?;
                        let c = prepared.columns.first().cloned().ok_or_else(|| {
                            Error::internal("column type lookup returned no column")
                        })?;
                        (c.type_oid, c.typmod)
                    }
                    _ => {
                        return Err(pg_err!(
                            UNDEFINED_OBJECT,
                            "type \"{}%TYPE\" does not exist",
                            names.join(".")
                        )
                        .into())
                    }
                };
                let var = &mut self.vars[varno];
                var.type_oid = type_oid;
                var.typmod = typmod;
            }
            DeclType::RowType(names) => self.declare_row_type(host, varno, names)?,
        }
        self.vars[varno].value = Datum::Null;
        match &decl.default {
            Some(expr) => {
                let (value, type_oid) = self.eval(host, expr, &expr.query)?;
                self.assign_var(host, varno, value, type_oid, true)?;
            }
            None if decl.not_null => {
                return Err(pg_err!(
                    SYNTAX_ERROR,
                    "variable \"{}\" must have a default value, since it's declared NOT NULL",
                    decl.name
                )
                .into())
            }
            None => {}
        }
        Ok(())
    }

    /// Makes `varno` a variable of relation `names`' row type.
    fn declare_row_type(
        &mut self,
        host: &mut dyn Host,
        varno: usize,
        names: &[String],
    ) -> Exec<()> {
        let rel = quoted_name(names);
        let prepared = self.prepare_text(host, &format!("SELECT * FROM {rel}"))?;
        let row_type = self
            .prepare_text(host, &format!("SELECT NULL::{rel}"))
            .ok()
            .and_then(|p| p.columns.first().map(|c| c.type_oid))
            .unwrap_or(type_oid::RECORD);
        let var = &mut self.vars[varno];
        var.record = true;
        var.type_oid = row_type;
        var.desc = Some(Arc::new(RecordDesc {
            type_oid: row_type,
            fields: prepared.columns.clone(),
        }));
        Ok(())
    }

    fn exec_stmts(&mut self, host: &mut dyn Host, stmts: &[Stmt]) -> Exec<Flow> {
        for stmt in stmts {
            match self.exec_stmt(host, stmt)? {
                Flow::Normal => {}
                flow => return Ok(flow),
            }
        }
        Ok(Flow::Normal)
    }

    fn exec_stmt(&mut self, host: &mut dyn Host, stmt: &Stmt) -> Exec<Flow> {
        let result = self.exec_stmt_kind(host, stmt);
        result.map_err(|f| self.located(stmt.line, stmt_name(&stmt.kind))(f))
    }

    fn exec_stmt_kind(&mut self, host: &mut dyn Host, stmt: &Stmt) -> Exec<Flow> {
        match &stmt.kind {
            StmtKind::Block(block) => self.exec_block(host, block),
            StmtKind::Null => Ok(Flow::Normal),
            StmtKind::Assign { target, expr } => {
                let (target_text, source) = split_assignment(&expr.query)?;
                let subscripts = target_subscripts(target_text);
                if !subscripts.is_empty() {
                    self.assign_element(host, *target, expr, source, &subscripts)?;
                    return Ok(Flow::Normal);
                }
                let (value, type_oid) = self.eval(host, expr, source)?;
                // PostgreSQL coerces inside the assignment's expression: a failing
                // conversion is an error in it, except for literal input that its
                // analysis already rejects.
                self.assign_datum(host, *target, value, type_oid)
                    .map_err(|f| {
                        if f.error.code == SqlState::INVALID_TEXT_REPRESENTATION {
                            f
                        } else {
                            with_context_line(f, format!("PL/pgSQL assignment \"{}\"", expr.query))
                        }
                    })?;
                Ok(Flow::Normal)
            }
            StmtKind::If {
                branches,
                otherwise,
            } => {
                for (cond, body) in branches {
                    if self.eval_bool(host, cond)? {
                        return self.exec_stmts(host, body);
                    }
                }
                self.exec_stmts(host, otherwise)
            }
            StmtKind::Case {
                subject,
                whens,
                otherwise,
            } => {
                let scope_len = self.scope.len();
                if let Some((expr, var)) = subject {
                    let (value, type_oid) = self.eval(host, expr, &expr.query)?;
                    self.vars[*var].type_oid = type_oid;
                    self.vars[*var].value = value;
                    let name = self.vars[*var].name.clone();
                    self.scope.push((name, *var));
                }
                let mut chosen = None;
                for (cond, body) in whens {
                    let hit = self.eval_bool(host, cond);
                    if hit.is_err() || hit.as_ref().is_ok_and(|h| *h) {
                        chosen = Some(hit.map(|_| body));
                        break;
                    }
                }
                self.scope.truncate(scope_len);
                match chosen {
                    Some(body) => self.exec_stmts(host, body?),
                    None => match otherwise {
                        Some(body) => self.exec_stmts(host, body),
                        None => Err(pg_err!(CASE_NOT_FOUND, "case not found")
                            .hint("CASE statement is missing ELSE part.")
                            .into()),
                    },
                }
            }
            StmtKind::Loop { label, body } => self.exec_loop(host, label, |_, _| Ok(true), body),
            StmtKind::While { label, cond, body } => {
                let line = stmt.line;
                self.exec_loop(
                    host,
                    label,
                    |me, host| {
                        me.eval_bool(host, cond)
                            .map_err(|f| me.located(line, "WHILE")(f))
                    },
                    body,
                )
            }
            StmtKind::ForInt {
                label,
                var,
                lower,
                upper,
                step,
                reverse,
                body,
            } => self.exec_for_int(
                host,
                label,
                *var,
                lower,
                upper,
                step.as_ref(),
                *reverse,
                body,
            ),
            StmtKind::ForQuery {
                label,
                target,
                query,
                dynamic,
                body,
            } => {
                let result = match dynamic {
                    None => self
                        .run_sql_at_runtime(host, query, &query.query)
                        .map_err(|f| sql_statement_context(f, &query.query))?,
                    Some(params) => self.run_dynamic(host, query, params)?,
                };
                let mut found = false;
                let labels_len = self.labels.len();
                if let Some(l) = label {
                    self.labels.push((l.clone(), self.scope.len()));
                }
                let mut flow = Flow::Normal;
                for row in &result.rows {
                    found = true;
                    self.assign_row(host, target, &result.columns, Some(row))?;
                    match self.loop_step(host, label, body)? {
                        LoopStep::Next => {}
                        LoopStep::Stop(f) => {
                            flow = f;
                            break;
                        }
                    }
                }
                self.labels.truncate(labels_len);
                self.set_found(found);
                Ok(flow)
            }
            StmtKind::ForEach {
                label,
                target,
                slice,
                array,
                body,
            } => {
                if *slice != 0 {
                    return Err(Error::feature_not_supported("FOREACH ... SLICE").into());
                }
                let (value, type_oid) = self.eval(host, array, &array.query)?;
                let array = match value {
                    Datum::Array(a) => a,
                    Datum::Null => {
                        return Err(pg_err!(
                            NULL_VALUE_NOT_ALLOWED,
                            "FOREACH expression must not be null"
                        )
                        .into())
                    }
                    _ => {
                        // The type's name, as `regtype` output prints it.
                        let type_name = host
                            .output_text(&Datum::Oid(type_oid.0), tusk_types::type_oid::REGTYPE)?;
                        return Err(pg_err!(
                            DATATYPE_MISMATCH,
                            "FOREACH expression must yield an array, not type {}",
                            type_name
                        )
                        .into());
                    }
                };
                let labels_len = self.labels.len();
                if let Some(l) = label {
                    self.labels.push((l.clone(), self.scope.len()));
                }
                let mut flow = Flow::Normal;
                for elem in array.elems.iter() {
                    match (target.as_slice(), elem) {
                        ([one], _)
                            if !self.vars[*one].record || !matches!(elem, Datum::Record(_)) =>
                        {
                            self.assign_var(host, *one, elem.clone(), array.elem_type, false)?
                        }
                        (_, Datum::Record(r)) => {
                            let columns = r.desc.fields.clone();
                            self.assign_row(host, target, &columns, Some(&r.values))?
                        }
                        _ => {
                            self.assign_var(host, target[0], elem.clone(), array.elem_type, false)?
                        }
                    }
                    match self.loop_step(host, label, body)? {
                        LoopStep::Next => {}
                        LoopStep::Stop(f) => {
                            flow = f;
                            break;
                        }
                    }
                }
                self.labels.truncate(labels_len);
                Ok(flow)
            }
            StmtKind::Exit {
                is_exit,
                label,
                cond,
            } => {
                if let Some(cond) = cond {
                    if !self.eval_bool(host, cond)? {
                        return Ok(Flow::Normal);
                    }
                }
                Ok(if *is_exit {
                    Flow::Exit(label.clone())
                } else {
                    Flow::Continue(label.clone())
                })
            }
            // The grammar's implicit RETURN at the end of the body (line 0): falling off
            // the end, an error for functions that must return a value.
            StmtKind::Return(None) if stmt.line == 0 => Ok(Flow::Normal),
            StmtKind::Return(expr) => {
                if self.returns_set {
                    return Ok(Flow::Return);
                }
                if let Some(expr) = expr {
                    let (value, type_oid) = self.eval(host, expr, &expr.query)?;
                    self.result = match value {
                        Datum::Record(r) if !self.function.result_columns.is_empty() => {
                            let types: Vec<Oid> =
                                r.desc.fields.iter().map(|f| f.type_oid).collect();
                            let desc = r.desc.clone();
                            let values = self.result_row(
                                host,
                                r.values,
                                &types,
                                "returned record type does not match expected record type",
                            )?;
                            let desc = if desc.fields.len() == values.len() {
                                desc
                            } else {
                                return Err(Error::internal("record result width changed").into());
                            };
                            Datum::Record(Box::new(tusk_types::adt::record::Record::new(
                                desc, values,
                            )))
                        }
                        other => self.coerce_result(host, other, type_oid)?,
                    };
                }
                Ok(Flow::Return)
            }
            StmtKind::ReturnNext(expr) => {
                if !self.returns_set {
                    return Err(pg_err!(
                        SYNTAX_ERROR,
                        "cannot use RETURN NEXT in a non-SETOF function"
                    )
                    .into());
                }
                let Some(expr) = expr else {
                    // With OUT parameters: a row of their current values.
                    let row = self
                        .function
                        .outputs
                        .iter()
                        .map(|&v| self.vars[v].value.clone())
                        .collect();
                    self.rows.push(row);
                    return Ok(Flow::Normal);
                };
                let (value, type_oid) = self.eval(host, expr, &expr.query)?;
                let row = match value {
                    Datum::Record(r) => {
                        let types: Vec<Oid> = r.desc.fields.iter().map(|f| f.type_oid).collect();
                        self.result_row(
                            host,
                            r.values,
                            &types,
                            "wrong record type supplied in RETURN NEXT",
                        )?
                    }
                    Datum::Null if !self.function.result_columns.is_empty() => {
                        vec![Datum::Null; self.function.result_columns.len()]
                    }
                    other => vec![self.coerce_result(host, other, type_oid)?],
                };
                self.rows.push(row);
                Ok(Flow::Normal)
            }
            StmtKind::ReturnQuery { query, dynamic } => {
                if !self.returns_set {
                    return Err(pg_err!(
                        SYNTAX_ERROR,
                        "cannot use RETURN QUERY in a non-SETOF function"
                    )
                    .into());
                }
                let result = match dynamic {
                    None => self.run_sql(host, query, &query.query)?,
                    Some(params) => self.run_dynamic(host, query, params)?,
                };
                self.row_count = result.rows.len() as u64;
                self.set_found(!result.rows.is_empty());
                let types: Vec<Oid> = result.columns.iter().map(|c| c.type_oid).collect();
                let expected = self.function.result_columns.len();
                if expected > 0 && types.len() != expected {
                    let fail = pg_err!(
                        DATATYPE_MISMATCH,
                        "structure of query does not match function result type"
                    )
                    .detail(format!(
                        "Number of returned columns ({}) does not match expected column count ({}).",
                        types.len(),
                        expected
                    ))
                    .into();
                    // Found when the query is prepared in PostgreSQL: the static
                    // query's text is the SQL statement in CONTEXT.
                    return Err(match dynamic {
                        None => sql_statement_context(fail, &query.query),
                        Some(_) => fail,
                    });
                }
                for row in result.rows {
                    let row = self.result_row(
                        host,
                        row,
                        &types,
                        "structure of query does not match function result type",
                    )?;
                    self.rows.push(row);
                }
                Ok(Flow::Normal)
            }
            StmtKind::Raise {
                level,
                condition,
                message,
                params,
                options,
            } => self.exec_raise(host, stmt.line, *level, condition, message, params, options),
            StmtKind::Assert { cond, message } => {
                if self.eval_bool(host, cond)? {
                    return Ok(Flow::Normal);
                }
                let text = match message {
                    Some(m) => self.eval_text(host, m)?,
                    None => None,
                };
                Err(Error::new(
                    SqlState::ASSERT_FAILURE,
                    text.unwrap_or_else(|| "assertion failed".into()),
                )
                .into())
            }
            StmtKind::Perform(expr) => {
                let result = self
                    .run_sql_at_runtime(host, expr, &expr.query)
                    .map_err(|f| sql_statement_context(f, &expr.query))?;
                self.row_count = result.processed;
                self.set_found(result.processed > 0);
                Ok(Flow::Normal)
            }
            StmtKind::ExecSql { sql, into } => {
                let prepared = self.prepare(host, sql, &sql.query).map_err(|mut f| {
                    f.analysis = !f.error.message.starts_with("record \"");
                    sql_statement_context(f, &sql.query)
                })?;
                let params = self.params();
                let result = host
                    .execute(&prepared, &params)
                    .map_err(|e| sql_statement_context(e.into(), &sql.query))?;
                self.row_count = result.processed;
                match into {
                    None => self.set_found(result.processed > 0),
                    Some((target, strict)) => {
                        self.store_into(
                            host,
                            target,
                            *strict || prepared.modifies,
                            *strict,
                            &result,
                        )?;
                        self.set_found(!result.rows.is_empty());
                    }
                }
                Ok(Flow::Normal)
            }
            StmtKind::DynExecute {
                query,
                into,
                params,
            } => {
                let result = self.run_dynamic(host, query, params)?;
                self.row_count = result.processed;
                if let Some((target, strict)) = into {
                    self.store_into(host, target, *strict, *strict, &result)?;
                }
                Ok(Flow::Normal)
            }
            StmtKind::Call(sql) => {
                let prepared = self.prepare(host, sql, &sql.query).map_err(|mut f| {
                    f.analysis = true;
                    f
                })?;
                let mut targets = Vec::with_capacity(prepared.call_outputs.len());
                for (name, target) in &prepared.call_outputs {
                    match target {
                        Some(varno) if *varno < self.vars.len() => targets.push(*varno),
                        _ => {
                            return Err(pg_err!(
                                SYNTAX_ERROR,
                                "procedure parameter \"{}\" is an output parameter but corresponding argument is not writable",
                                name
                            )
                            .into())
                        }
                    }
                }
                let params = self.params();
                let result = host
                    .execute(&prepared, &params)
                    .map_err(|e| sql_statement_context(e.into(), &sql.query))?;
                if let Some(Datum::Record(record)) = result
                    .rows
                    .into_iter()
                    .next()
                    .and_then(|r| r.into_iter().next())
                {
                    let record = *record;
                    for ((varno, value), field) in targets
                        .into_iter()
                        .zip(record.values)
                        .zip(record.desc.fields.iter())
                    {
                        self.assign_datum(host, varno, value, field.type_oid)?;
                    }
                }
                Ok(Flow::Normal)
            }
            StmtKind::GetDiagnostics { stacked, items } => {
                for (target, item) in items {
                    let (value, type_oid) = self.diagnostics_item(*stacked, item)?;
                    self.assign_datum(host, *target, value, type_oid)?;
                }
                Ok(Flow::Normal)
            }
        }
    }

    fn diagnostics_item(&self, stacked: bool, item: &str) -> Exec<(Datum, Oid)> {
        if !stacked {
            return match item {
                "ROW_COUNT" => Ok((Datum::Int8(self.row_count as i64), type_oid::INT8)),
                other => {
                    Err(Error::feature_not_supported(format!("GET DIAGNOSTICS {other}")).into())
                }
            };
        }
        let Some(error) = self.handled.last() else {
            return Err(pg_err!(
                STACKED_DIAGNOSTICS_ACCESSED_WITHOUT_ACTIVE_HANDLER,
                "GET STACKED DIAGNOSTICS cannot be used outside an exception handler"
            )
            .into());
        };
        let text = match item {
            "RETURNED_SQLSTATE" => Some(error.code.code().to_string()),
            "MESSAGE_TEXT" => Some(error.message.clone()),
            "PG_EXCEPTION_DETAIL" => error.detail.clone(),
            "PG_EXCEPTION_HINT" => error.hint.clone(),
            "PG_EXCEPTION_CONTEXT" => error.context.clone(),
            "COLUMN_NAME" | "CONSTRAINT_NAME" | "PG_DATATYPE_NAME" | "TABLE_NAME"
            | "SCHEMA_NAME" => None,
            other => {
                return Err(Error::feature_not_supported(format!(
                    "GET STACKED DIAGNOSTICS {other}"
                ))
                .into())
            }
        };
        Ok((Datum::Text(text.unwrap_or_default()), type_oid::TEXT))
    }

    fn set_found(&mut self, found: bool) {
        if let Some(var) = self.vars.get_mut(self.function.found_var) {
            var.value = Datum::Bool(found);
        }
    }

    // ---- loops ----------------------------------------------------------------------

    fn loop_step(
        &mut self,
        host: &mut dyn Host,
        label: &Option<String>,
        body: &[Stmt],
    ) -> Exec<LoopStep> {
        host.check_interrupts()?;
        Ok(match self.exec_stmts(host, body)? {
            Flow::Normal | Flow::Continue(None) => LoopStep::Next,
            Flow::Continue(Some(l)) if label.as_ref() == Some(&l) => LoopStep::Next,
            Flow::Exit(None) => LoopStep::Stop(Flow::Normal),
            Flow::Exit(Some(l)) if label.as_ref() == Some(&l) => LoopStep::Stop(Flow::Normal),
            other => LoopStep::Stop(other),
        })
    }

    fn exec_loop(
        &mut self,
        host: &mut dyn Host,
        label: &Option<String>,
        mut cond: impl FnMut(&mut Self, &mut dyn Host) -> Exec<bool>,
        body: &[Stmt],
    ) -> Exec<Flow> {
        let labels_len = self.labels.len();
        if let Some(l) = label {
            self.labels.push((l.clone(), self.scope.len()));
        }
        let result = loop {
            match cond(self, host) {
                Ok(true) => {}
                Ok(false) => break Ok(Flow::Normal),
                Err(e) => break Err(e),
            }
            match self.loop_step(host, label, body) {
                Ok(LoopStep::Next) => {}
                Ok(LoopStep::Stop(flow)) => break Ok(flow),
                Err(e) => break Err(e),
            }
        };
        self.labels.truncate(labels_len);
        result
    }

    #[allow(clippy::too_many_arguments)]
    fn exec_for_int(
        &mut self,
        host: &mut dyn Host,
        label: &Option<String>,
        var: usize,
        lower: &Expr,
        upper: &Expr,
        step: Option<&Expr>,
        reverse: bool,
        body: &[Stmt],
    ) -> Exec<Flow> {
        let bound = |me: &mut Self, host: &mut dyn Host, e: &Expr, what: &str| -> Exec<i32> {
            let (value, t) = me.eval(host, e, &e.query)?;
            match me.cast(host, value, t, type_oid::INT4, -1)? {
                Datum::Int4(v) => Ok(v),
                Datum::Null => Err(pg_err!(
                    NULL_VALUE_NOT_ALLOWED,
                    "{} of FOR loop cannot be null",
                    what
                )
                .into()),
                other => Err(Error::internal(format!("FOR bound became {other:?}")).into()),
            }
        };
        let start = bound(self, host, lower, "lower bound")?;
        let end = bound(self, host, upper, "upper bound")?;
        let by = match step {
            Some(e) => {
                let by = bound(self, host, e, "BY value")?;
                if by <= 0 {
                    return Err(pg_err!(
                        INVALID_PARAMETER_VALUE,
                        "BY value of FOR loop must be greater than zero"
                    )
                    .into());
                }
                by
            }
            None => 1,
        };
        let scope_len = self.scope.len();
        let labels_len = self.labels.len();
        if let Some(l) = label {
            self.labels.push((l.clone(), scope_len));
        }
        self.vars[var].type_oid = type_oid::INT4;
        let name = self.vars[var].name.clone();
        self.scope.push((name, var));
        let mut i = start;
        let mut found = false;
        let result = loop {
            if (reverse && i < end) || (!reverse && i > end) {
                break Ok(Flow::Normal);
            }
            found = true;
            self.vars[var].value = Datum::Int4(i);
            match self.loop_step(host, label, body) {
                Ok(LoopStep::Next) => {}
                Ok(LoopStep::Stop(flow)) => break Ok(flow),
                Err(e) => break Err(e),
            }
            let next = if reverse {
                i.checked_sub(by)
            } else {
                i.checked_add(by)
            };
            match next {
                Some(n) => i = n,
                None => break Ok(Flow::Normal),
            }
        };
        self.scope.truncate(scope_len);
        self.labels.truncate(labels_len);
        self.set_found(found);
        result
    }

    // ---- SQL ------------------------------------------------------------------------

    /// Every variable's value, indexed by varno (the parameters of every statement).
    fn params(&self) -> Vec<Datum> {
        self.vars.iter().map(|v| v.value.clone()).collect()
    }

    /// Analyses `sql` (the text of call site `site`), reusing the cached analysis while
    /// the variables it reads keep their types.
    fn prepare(&mut self, host: &mut dyn Host, site: &Expr, sql: &str) -> Exec<PreparedSql> {
        if let Some(cached) = &self.cache[site.id] {
            let unchanged = cached.depends_on.iter().all(|(v, t, desc)| {
                let var = &self.vars[*v];
                var.type_oid == *t && var.desc == *desc
            });
            if unchanged {
                return Ok(cached.prepared.clone());
            }
        }
        let resolver = Resolver {
            scope: &self.scope,
            labels: &self.labels,
            vars: &self.vars,
            used: RefCell::new(Vec::new()),
            error: RefCell::new(None),
        };
        let prepared = host.prepare(sql, &self.arg_types, &resolver);
        if let Some(error) = resolver.error.take() {
            return Err(error.into());
        }
        // A cursor position would point into the embedded statement, not the client's
        // query text.
        let prepared = prepared.map_err(without_position)?;
        let depends_on = resolver
            .used
            .take()
            .into_iter()
            .map(|v| (v, self.vars[v].type_oid, self.vars[v].desc.clone()))
            .collect();
        self.cache[site.id] = Some(CachedSql {
            prepared: prepared.clone(),
            depends_on,
        });
        Ok(prepared)
    }

    /// Analyses SQL that is no call site (type lookups).
    fn prepare_text(&mut self, host: &mut dyn Host, sql: &str) -> Exec<PreparedSql> {
        let resolver = Resolver {
            scope: &[],
            labels: &[],
            vars: &self.vars,
            used: RefCell::new(Vec::new()),
            error: RefCell::new(None),
        };
        Ok(host
            .prepare(sql, &[], &resolver)
            .map_err(without_position)?)
    }

    /// [`Self::run_sql`], with analysis errors already located (PostgreSQL reports them
    /// with the query text, not as an error *in* the embedded SQL), so that only errors
    /// while running get a CONTEXT line for the SQL. A record variable's shape is checked
    /// when the expression runs in PostgreSQL, so those errors count as running ones.
    fn run_sql_at_runtime(
        &mut self,
        host: &mut dyn Host,
        site: &Expr,
        sql: &str,
    ) -> Exec<SqlResult> {
        let prepared = self.prepare(host, site, sql).map_err(|mut f| {
            f.analysis = !f.error.message.starts_with("record \"");
            f
        })?;
        let params = self.params();
        Ok(host.execute(&prepared, &params)?)
    }

    fn run_sql(&mut self, host: &mut dyn Host, site: &Expr, sql: &str) -> Exec<SqlResult> {
        let prepared = self.prepare(host, site, sql)?;
        let params = self.params();
        Ok(host.execute(&prepared, &params)?)
    }

    fn run_dynamic(
        &mut self,
        host: &mut dyn Host,
        query: &Expr,
        params: &[Expr],
    ) -> Exec<SqlResult> {
        let Some(sql) = self.eval_text(host, query)? else {
            return Err(pg_err!(
                NULL_VALUE_NOT_ALLOWED,
                "query string argument of EXECUTE is null"
            )
            .into());
        };
        let mut values = Vec::with_capacity(params.len());
        for p in params {
            let (value, type_oid) = self.eval(host, p, &p.query)?;
            values.push((type_oid, value));
        }
        host.execute_dynamic(&sql, &values).map_err(|e| {
            with_context_line(
                without_position(e).into(),
                format!("SQL statement \"{sql}\""),
            )
        })
    }

    /// Evaluates an expression (`SELECT <expr>`): one value and its type. Errors while
    /// running it get PostgreSQL's `SQL expression "..."` (or, for an assignment, whose
    /// `expr` is the value side of `site`, `PL/pgSQL assignment "..."`) CONTEXT line.
    fn eval(&mut self, host: &mut dyn Host, site: &Expr, expr: &str) -> Exec<(Datum, Oid)> {
        let sql = format!("SELECT {expr}");
        let assignment = expr.len() != site.query.len();
        let line = if assignment {
            format!("PL/pgSQL assignment \"{}\"", site.query)
        } else {
            format!("SQL expression \"{expr}\"")
        };
        let result = self
            .run_sql_at_runtime(host, site, &sql)
            .map_err(|f| with_context_line(f, line.clone()))?;
        // PostgreSQL's exec_eval_expr and exec_assign_expr checks, with their CONTEXT.
        let width = result.columns.len();
        if width != 1 {
            return Err(if assignment {
                with_context_line(
                    pg_err!(
                        SYNTAX_ERROR,
                        "assignment source returned {} {}",
                        width,
                        if width == 1 { "column" } else { "columns" }
                    )
                    .into(),
                    line,
                )
            } else {
                with_context_line(
                    pg_err!(
                        SYNTAX_ERROR,
                        "query returned {} {}",
                        width,
                        if width == 1 { "column" } else { "columns" }
                    )
                    .into(),
                    format!("query: {}", site.query),
                )
            });
        }
        if result.rows.len() > 1 {
            return Err(with_context_line(
                pg_err!(CARDINALITY_VIOLATION, "query returned more than one row").into(),
                format!("query: {}", site.query),
            ));
        }
        let value = result
            .rows
            .into_iter()
            .next()
            .and_then(|r| r.into_iter().next())
            .unwrap_or(Datum::Null);
        Ok((value, result.columns[0].type_oid))
    }

    /// A condition: NULL counts as false.
    fn eval_bool(&mut self, host: &mut dyn Host, expr: &Expr) -> Exec<bool> {
        let (value, type_oid) = self.eval(host, expr, &expr.query)?;
        let value = if type_oid == type_oid::BOOL {
            value
        } else {
            self.cast(host, value, type_oid, type_oid::BOOL, -1)?
        };
        Ok(matches!(value, Datum::Bool(true)))
    }

    /// An expression's text form (NULL is `None`).
    fn eval_text(&mut self, host: &mut dyn Host, expr: &Expr) -> Exec<Option<String>> {
        let (value, type_oid) = self.eval(host, expr, &expr.query)?;
        if value.is_null() {
            return Ok(None);
        }
        Ok(Some(host.output_text(&value, type_oid)?))
    }

    fn cast(
        &mut self,
        host: &mut dyn Host,
        value: Datum,
        from: Oid,
        to: Oid,
        typmod: i32,
    ) -> Exec<Datum> {
        if value.is_null() || (from == to && typmod < 0) {
            return Ok(value);
        }
        Ok(host.cast(value, from, to, typmod)?)
    }

    /// A row for a set of a composite type: its values converted to the result's
    /// column types (rows pass as they are for other results).
    ///
    /// Errors: 42804 `message` when the column counts differ.
    fn result_row(
        &mut self,
        host: &mut dyn Host,
        row: Vec<Datum>,
        types: &[Oid],
        message: &str,
    ) -> Exec<Vec<Datum>> {
        let columns = self.function.result_columns.clone();
        if columns.is_empty() {
            return Ok(row);
        }
        if row.len() != columns.len() {
            return Err(Error::new(SqlState::DATATYPE_MISMATCH, message)
                .detail(format!(
                    "Number of returned columns ({}) does not match expected column count ({}).",
                    row.len(),
                    columns.len()
                ))
                .into());
        }
        let mut out = Vec::with_capacity(row.len());
        for (i, (value, (to, typmod))) in row.into_iter().zip(columns).enumerate() {
            let from = types.get(i).copied().unwrap_or(to);
            out.push(self.cast(host, value, from, to, typmod)?);
        }
        Ok(out)
    }

    fn coerce_result(&mut self, host: &mut dyn Host, value: Datum, from: Oid) -> Exec<Datum> {
        let to = self.result_type;
        if to == type_oid::VOID || to == type_oid::RECORD || matches!(value, Datum::Record(_)) {
            return Ok(value);
        }
        self.cast(host, value, from, to, -1)
    }
}

enum LoopStep {
    Next,
    Stop(Flow),
}

impl Fail {
    /// Rewrites the last CONTEXT line's ` at <what>` tail (block initialisation).
    fn map_context_suffix(mut self, from: &str, to: &str) -> Fail {
        if let Some(context) = self.error.context.as_mut() {
            if let Some(at) = context.rfind(from) {
                if context[at..].trim_end() == from.trim_end() {
                    context.truncate(at);
                    context.push_str(to);
                }
            }
        }
        self
    }
}

/// Adds a CONTEXT line naming the embedded SQL an error came from (unless the error is
/// already located).
fn with_context_line(fail: Fail, line: String) -> Fail {
    if fail.located || fail.analysis {
        return fail;
    }
    Fail {
        error: fail.error.context(line),
        located: false,
        analysis: false,
    }
}

fn without_position(mut error: Error) -> Error {
    error.position = None;
    error
}

/// Adds `SQL statement "..."` before the PL/pgSQL line of an error from a SQL statement.
fn sql_statement_context(fail: Fail, sql: &str) -> Fail {
    let line = format!("SQL statement \"{sql}\"");
    with_context_line(fail, line)
}

/// The target and value sides of `target := value` (PostgreSQL keeps the whole
/// assignment text).
fn split_assignment(text: &str) -> Result<(&str, &str)> {
    let (target_end, at) = text
        .find(":=")
        .map(|i| (i, i + 2))
        .or_else(|| text.find('=').map(|i| (i, i + 1)))
        .ok_or_else(|| Error::internal("assignment without := or ="))?;
    Ok((text[..target_end].trim(), text[at..].trim_start()))
}

/// The subscripts of an assignment target (`a[i][j]`, `r.f[1:2]`): each bracket's text,
/// split at a top-level `:` into a slice's bounds; empty for a target without any.
fn target_subscripts(target: &str) -> Vec<(String, Option<String>)> {
    let Some(start) = target.find('[') else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut current = String::new();
    let mut colon: Option<usize> = None;
    let mut quote: Option<char> = None;
    for c in target[start..].chars() {
        if let Some(q) = quote {
            current.push(c);
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' if depth > 0 => {
                quote = Some(c);
                current.push(c);
            }
            '[' => {
                if depth > 0 {
                    current.push(c);
                }
                depth += 1;
            }
            ']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    let text = std::mem::take(&mut current);
                    match colon.take() {
                        Some(at) => out.push((
                            text[..at].trim().to_string(),
                            Some(text[at + 1..].trim().to_string()),
                        )),
                        None => out.push((text.trim().to_string(), None)),
                    }
                } else {
                    current.push(c);
                }
            }
            ':' if depth == 1 && !current.ends_with(':') => {
                colon = Some(current.len());
                current.push(c);
            }
            _ if depth > 0 => current.push(c),
            _ => {}
        }
    }
    out
}

fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn quoted_name(names: &[String]) -> String {
    names
        .iter()
        .map(|n| quote_ident(n))
        .collect::<Vec<_>>()
        .join(".")
}

/// Whether some `RETURN expr` occurs in `stmts` (refused in a void function when the
/// function is compiled, before anything runs, as PostgreSQL does).
fn returns_a_value(stmts: &[Stmt]) -> bool {
    stmts.iter().any(|s| match &s.kind {
        StmtKind::Return(Some(_)) => true,
        StmtKind::Block(b) => {
            returns_a_value(&b.body)
                || b.handlers
                    .as_ref()
                    .is_some_and(|h| h.handlers.iter().any(|h| returns_a_value(&h.body)))
        }
        StmtKind::If {
            branches,
            otherwise,
        } => branches.iter().any(|(_, b)| returns_a_value(b)) || returns_a_value(otherwise),
        StmtKind::Case {
            whens, otherwise, ..
        } => {
            whens.iter().any(|(_, b)| returns_a_value(b))
                || otherwise.as_deref().is_some_and(returns_a_value)
        }
        StmtKind::Loop { body, .. }
        | StmtKind::While { body, .. }
        | StmtKind::ForInt { body, .. }
        | StmtKind::ForQuery { body, .. }
        | StmtKind::ForEach { body, .. } => returns_a_value(body),
        _ => false,
    })
}

/// PostgreSQL's `plpgsql_stmt_typename`: how CONTEXT lines name a statement.
fn stmt_name(kind: &StmtKind) -> &'static str {
    match kind {
        StmtKind::Block(_) => "statement block",
        StmtKind::Assign { .. } => "assignment",
        StmtKind::If { .. } => "IF",
        StmtKind::Case { .. } => "CASE",
        StmtKind::Loop { .. } => "LOOP",
        StmtKind::While { .. } => "WHILE",
        StmtKind::ForInt { .. } => "FOR with integer loop variable",
        StmtKind::ForQuery { dynamic: None, .. } => "FOR over SELECT rows",
        StmtKind::ForQuery { .. } => "FOR over EXECUTE statement",
        StmtKind::ForEach { .. } => "FOREACH over array",
        StmtKind::Exit { is_exit: true, .. } => "EXIT",
        StmtKind::Exit { .. } => "CONTINUE",
        StmtKind::Return(_) => "RETURN",
        StmtKind::ReturnNext(_) => "RETURN NEXT",
        StmtKind::ReturnQuery { .. } => "RETURN QUERY",
        StmtKind::Raise { .. } => "RAISE",
        StmtKind::Assert { .. } => "ASSERT",
        StmtKind::Perform(_) => "PERFORM",
        StmtKind::ExecSql { .. } => "SQL statement",
        StmtKind::DynExecute { .. } => "EXECUTE",
        StmtKind::GetDiagnostics { .. } => "GET DIAGNOSTICS",
        StmtKind::Call(_) => "CALL",
        StmtKind::Null => "NULL",
    }
}
