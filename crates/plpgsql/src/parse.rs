//! PL/pgSQL source to [`crate::ast`]: PostgreSQL's own PL/pgSQL grammar through
//! `pg_query::parse_plpgsql` (a JSON dump of `PLpgSQL_function`), converted once.
//!
//! The dump lists datums in creation order but not which block declares which; since
//! the grammar creates datums in text order, a walk in text order claims them: a block
//! takes the variables declared up to its `BEGIN` line, a FOR loop its loop variable, an
//! EXCEPTION section its `sqlstate`/`sqlerrm` (see [`Converter::claim_declared`]).
//!
//! Entry points: [`parse_do`], [`parse_function`].

use serde_json::Value;
use tusk_types::{pg_err, Error, Result, SqlState};

use crate::ast::{
    Block, Datum, DeclType, Expr, Function, Handler, Handlers, RaiseLevel, RaiseOption, Stmt,
    StmtKind, Target, VarDecl,
};

/// Parses a `DO` block's code.
///
/// Errors: 42601 syntax errors with PostgreSQL's message.
pub fn parse_do(code: &str) -> Result<Function> {
    let (code, fields) = rewrite_field_assignments(code);
    let text = format!("DO {}", dollar_quote(&code));
    parse_text(&text, 0, fields)
}

/// An assignment to a record field (`r.f := ...`, `r.f[i] := ...`) the grammar cannot
/// take (it knows no variable's type, so no variable is a record to it): the target is
/// rewritten to the record variable alone, padded to the same length, and restored
/// when the statement is converted.
#[derive(Clone, Debug)]
struct FieldAssignment {
    /// 1-based line of the target.
    line: u32,
    /// `r.f` as written.
    original: String,
    /// `r` padded with spaces to the length of `original`.
    rewritten: String,
    /// `f`, lower-cased unless quoted.
    field: String,
}

fn is_ident_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$'
}

/// `body` with its record-field assignment targets rewritten (see
/// [`FieldAssignment`]); quoted text and comments are left alone.
fn rewrite_field_assignments(body: &str) -> (String, Vec<FieldAssignment>) {
    let bytes = body.as_bytes();
    let mut out = bytes.to_vec();
    let mut found = Vec::new();
    let mut i = 0;
    while i + 1 < bytes.len() {
        match bytes[i] {
            b'\'' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'\'' {
                    i += 1;
                }
                i += 1;
                continue;
            }
            b'-' if bytes[i + 1] == b'-' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if bytes[i + 1] == b'*' => {
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
                continue;
            }
            b':' if bytes[i + 1] == b'=' => {
                if let Some(assignment) = field_target_before(body, i) {
                    let (start, end, base_len) = assignment;
                    let original = body[start..end].to_string();
                    let base = &body[start..start + base_len];
                    let field_text = &body[start + base_len + 1..end];
                    let field = field_text.trim();
                    let field = match field.strip_prefix('"').and_then(|f| f.strip_suffix('"')) {
                        Some(q) => q.to_string(),
                        None => field.to_ascii_lowercase(),
                    };
                    let label = format!("<<{}>>", base.to_ascii_lowercase());
                    if !body.to_ascii_lowercase().contains(&label) {
                        let rewritten = format!("{base}{}", " ".repeat(end - start - base_len));
                        out[start..end].copy_from_slice(rewritten.as_bytes());
                        found.push(FieldAssignment {
                            line: body[..start].matches('\n').count() as u32 + 1,
                            original,
                            rewritten,
                            field,
                        });
                    }
                }
                i += 2;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    (
        String::from_utf8(out).unwrap_or_else(|_| body.to_string()),
        found,
    )
}

/// The `r.f` target before the `:=` at `at` (subscripts after it stay): its start, end
/// and the length of `r`, if a statement starts with it.
fn field_target_before(body: &str, at: usize) -> Option<(usize, usize, usize)> {
    let bytes = body.as_bytes();
    let mut k = at;
    while k > 0 && bytes[k - 1].is_ascii_whitespace() {
        k -= 1;
    }
    // Subscripts.
    while k > 0 && bytes[k - 1] == b']' {
        let mut depth = 0;
        loop {
            k = k.checked_sub(1)?;
            match bytes[k] {
                b']' => depth += 1,
                b'[' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
        }
        while k > 0 && bytes[k - 1].is_ascii_whitespace() {
            k -= 1;
        }
    }
    let end = k;
    while k > 0 && is_ident_char(bytes[k - 1]) {
        k -= 1;
    }
    if k == end || k == 0 || bytes[k - 1] != b'.' {
        return None;
    }
    let dot = k - 1;
    let mut start = dot;
    while start > 0 && is_ident_char(bytes[start - 1]) {
        start -= 1;
    }
    if start == dot || bytes[start].is_ascii_digit() {
        return None;
    }
    // What comes before must end a statement or start a statement list.
    let mut p = start;
    while p > 0 && bytes[p - 1].is_ascii_whitespace() {
        p -= 1;
    }
    let word_end = p;
    while p > 0 && is_ident_char(bytes[p - 1]) {
        p -= 1;
    }
    let before = body[p..word_end].to_ascii_lowercase();
    let starts_statement = word_end == 0
        || bytes[word_end - 1] == b';'
        || bytes[word_end - 1] == b'>'
        || matches!(before.as_str(), "begin" | "then" | "else" | "loop");
    starts_statement.then_some((start, end, dot - start))
}

/// Parses a function body whose arguments are `arg_names` (in order; unnamed ones are
/// reachable as `$n` only).
///
/// Errors: 42601 syntax errors with PostgreSQL's message.
pub fn parse_function(body: &str, arg_names: &[String], result_type: &str) -> Result<Function> {
    parse_function_with_outputs(body, arg_names, result_type, false)
}

/// A placeholder operand for `RETURN NEXT;` in functions with output parameters, which
/// the grammar (knowing no parameter modes) would refuse without one.
const OUT_PARAMS_MARKER: &str = "\"tusk$return_next_out_params\"";

/// `body` with every `RETURN NEXT;` given [`OUT_PARAMS_MARKER`] as its operand (lines
/// stay where they were).
fn mark_bare_return_next(body: &str) -> String {
    let lower = body.to_ascii_lowercase();
    let mut out = String::with_capacity(body.len());
    let mut copied = 0;
    let mut from = 0;
    while let Some(at) = lower[from..].find("return") {
        let start = from + at;
        from = start + "return".len();
        let word_start = start == 0
            || !lower[..start]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_');
        let rest = &lower[from..];
        let after_ws = rest.trim_start();
        if !word_start || after_ws.len() == rest.len() {
            continue;
        }
        let Some(after_next) = after_ws.strip_prefix("next") else {
            continue;
        };
        if !after_next.trim_start().starts_with(';') {
            continue;
        }
        let next_end = from + (rest.len() - after_ws.len()) + "next".len();
        out.push_str(&body[copied..next_end]);
        out.push(' ');
        out.push_str(OUT_PARAMS_MARKER);
        copied = next_end;
        from = next_end;
    }
    out.push_str(&body[copied..]);
    out
}

/// [`parse_function`] for a function that has output parameters when `outputs`:
/// `RETURN NEXT` then takes no operand.
///
/// Errors: 42601 syntax errors with PostgreSQL's message.
pub(crate) fn parse_function_with_outputs(
    body: &str,
    arg_names: &[String],
    result_type: &str,
    outputs: bool,
) -> Result<Function> {
    let marked;
    let body = if outputs {
        marked = mark_bare_return_next(body);
        marked.as_str()
    } else {
        body
    };
    let (body, fields) = rewrite_field_assignments(body);
    let body = body.as_str();
    let args: Vec<String> = arg_names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let name = if n.is_empty() {
                format!("\"$arg{}\"", i + 1)
            } else {
                format!("\"{}\"", n.replace('"', "\"\""))
            };
            format!("{name} text")
        })
        .collect();
    let text = format!(
        "CREATE FUNCTION plpgsql_body({}) RETURNS {} LANGUAGE plpgsql AS {}",
        args.join(", "),
        if result_type.is_empty() {
            "void"
        } else {
            result_type
        },
        dollar_quote(body)
    );
    let mut function = parse_text(&text, arg_names.len(), fields)?;
    function.aliases = aliases(body);
    Ok(function)
}

/// The `name ALIAS FOR target;` declarations of a body: statements whose last four words
/// are `name alias for target`.
fn aliases(body: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for statement in body.split(';') {
        let words: Vec<String> = statement
            .split_whitespace()
            .map(|w| w.to_ascii_lowercase())
            .collect();
        if let [.., name, alias, r#for, target] = words.as_slice() {
            if alias == "alias" && r#for == "for" {
                out.push((name.clone(), target.clone()));
            }
        }
    }
    out
}

/// `code` dollar-quoted with a tag that does not occur in it.
fn dollar_quote(code: &str) -> String {
    let mut tag = String::from("$plpgsql$");
    let mut n = 0;
    while code.contains(&tag) {
        n += 1;
        tag = format!("$plpgsql{n}$");
    }
    format!("{tag}{code}{tag}")
}

fn parse_text(
    text: &str,
    nargs: usize,
    field_assignments: Vec<FieldAssignment>,
) -> Result<Function> {
    let json = pg_query::parse_plpgsql(text).map_err(|e| {
        let message = match e {
            pg_query::Error::Parse(m) => m,
            other => other.to_string(),
        };
        Error::new(SqlState::SYNTAX_ERROR, message)
    })?;
    let function = json
        .as_array()
        .and_then(|a| a.first())
        .and_then(|f| f.get("PLpgSQL_function"))
        .ok_or_else(|| Error::internal("PL/pgSQL parse produced no function"))?;
    let mut converter = Converter {
        datums: Vec::new(),
        cursor: 0,
        exprs: 0,
        source_lines: body_of(text).lines().map(str::to_string).collect(),
        return_nexts: Vec::new(),
        field_assignments,
    };
    for d in function
        .get("datums")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let datum = converter.datum(d)?;
        converter.datums.push(datum);
    }
    // Arguments come first, then `found`.
    let found_var = converter
        .datums
        .iter()
        .position(|d| matches!(d, Datum::Var(v) if v.name == "found"))
        .unwrap_or(nargs);
    converter.cursor = found_var + 1;
    // A trigger function's grammar declares `new` and `old` right after `found`.
    let is_record = |i: usize, name: &str| matches!(converter.datums.get(i), Some(Datum::Var(v)) if v.name == name && v.line == 0);
    let trigger_vars = (is_record(found_var + 1, "new") && is_record(found_var + 2, "old"))
        .then_some((found_var + 1, found_var + 2));
    if trigger_vars.is_some() {
        converter.cursor = found_var + 3;
    }
    let action = function
        .get("action")
        .and_then(|a| a.get("PLpgSQL_stmt_block"))
        .ok_or_else(|| Error::internal("PL/pgSQL function without a body block"))?;
    let body = converter.block(action, false)?;
    Ok(Function {
        datums: converter.datums,
        found_var,
        trigger_vars,
        aliases: Vec::new(),
        body,
        expr_count: converter.exprs,
        outputs: Vec::new(),
        procedure: false,
        result_columns: Vec::new(),
    })
}

/// The code between the dollar quotes of `DO $tag$...$tag$` / `... AS $tag$...$tag$`.
fn body_of(text: &str) -> &str {
    let Some(end) = text.rfind('$') else {
        return "";
    };
    let Some(tag_start) = text[..end].rfind('$') else {
        return "";
    };
    let tag = &text[tag_start..=end];
    let Some(open) = text.find(tag) else {
        return "";
    };
    let start = open + tag.len();
    if start > tag_start {
        return "";
    }
    &text[start..tag_start]
}

/// The operand of the `nth` `RETURN NEXT` on `line` (the grammar keeps a variable
/// operand only as a datum number its dump leaves out): the text up to `;`, `None` if
/// there is none.
fn return_next_operand(line: &str, nth: usize) -> Option<String> {
    let lower = line.to_ascii_lowercase();
    let mut from = 0;
    let mut seen = 0;
    while let Some(at) = lower[from..].find("return") {
        let start = from + at;
        from = start + "return".len();
        let rest = &lower[from..];
        let trimmed = rest.trim_start();
        let Some(after) = trimmed.strip_prefix("next") else {
            continue;
        };
        if !after.starts_with(|c: char| c.is_whitespace() || c == ';') {
            continue;
        }
        if seen < nth {
            seen += 1;
            continue;
        }
        let operand_at = from + (rest.len() - trimmed.len()) + "next".len();
        let operand = &line[operand_at..];
        let operand = operand.split(';').next().unwrap_or_default().trim();
        return (!operand.is_empty() && operand != OUT_PARAMS_MARKER).then(|| operand.to_string());
    }
    None
}

struct Converter {
    datums: Vec<Datum>,
    cursor: usize,
    exprs: usize,
    /// The body's lines (RETURN NEXT's variable operand is read back from them).
    source_lines: Vec<String>,
    /// How many RETURN NEXT statements each line has had so far: `(line, count)`.
    return_nexts: Vec<(u32, usize)>,
    /// Field assignments rewritten before parsing, not yet converted.
    field_assignments: Vec<FieldAssignment>,
}

fn int(v: &Value, key: &str) -> i64 {
    v.get(key).and_then(Value::as_i64).unwrap_or(0)
}

fn line(v: &Value) -> u32 {
    int(v, "lineno") as u32
}

fn string(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

fn flag(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// The one `{"Kind": {...}}` entry of a node.
fn node(v: &Value) -> Option<(&str, &Value)> {
    v.as_object()?.iter().next().map(|(k, v)| (k.as_str(), v))
}

fn decl_type(text: &str) -> DeclType {
    let text = text.trim();
    if text == "UNKNOWN" {
        return DeclType::Unknown;
    }
    if text.eq_ignore_ascii_case("record") {
        return DeclType::Record;
    }
    let split = |s: &str| -> Vec<String> {
        s.split('.')
            .map(|p| {
                let p = p.trim();
                match p.strip_prefix('"').and_then(|p| p.strip_suffix('"')) {
                    Some(q) => q.replace("\"\"", "\""),
                    None => p.to_ascii_lowercase(),
                }
            })
            .collect()
    };
    let upper = text.to_ascii_uppercase();
    if let Some(base) = upper.strip_suffix("%ROWTYPE") {
        return DeclType::RowType(split(&text[..base.len()]));
    }
    if let Some(base) = upper.strip_suffix("%TYPE") {
        return DeclType::ColumnType(split(&text[..base.len()]));
    }
    DeclType::Named(text.to_string())
}

impl Converter {
    fn expr(&mut self, v: Option<&Value>) -> Option<Expr> {
        let query = v?.get("PLpgSQL_expr")?.get("query")?.as_str()?.to_string();
        let id = self.exprs;
        self.exprs += 1;
        Some(Expr { query, id })
    }

    fn required_expr(&mut self, v: &Value, key: &str) -> Result<Expr> {
        self.expr(v.get(key))
            .ok_or_else(|| Error::internal(format!("PL/pgSQL statement without {key}")))
    }

    fn expr_list(&mut self, v: Option<&Value>) -> Vec<Expr> {
        v.and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|e| self.expr(Some(e)))
            .collect()
    }

    fn datum(&mut self, d: &Value) -> Result<Datum> {
        let Some((kind, body)) = node(d) else {
            return Err(Error::internal("malformed PL/pgSQL datum"));
        };
        Ok(match kind {
            "PLpgSQL_var" | "PLpgSQL_rec" => {
                let type_text = body
                    .get("datatype")
                    .and_then(|t| t.get("PLpgSQL_type"))
                    .and_then(|t| string(t, "typname"))
                    .unwrap_or_else(|| "record".into());
                Datum::Var(VarDecl {
                    name: string(body, "refname").unwrap_or_default(),
                    decl_type: if kind == "PLpgSQL_rec" {
                        DeclType::Record
                    } else {
                        decl_type(&type_text)
                    },
                    constant: flag(body, "isconst"),
                    not_null: flag(body, "notnull"),
                    default: self.expr(body.get("default_val")),
                    line: line(body),
                })
            }
            "PLpgSQL_row" => Datum::Row(self.row_fields(body)),
            "PLpgSQL_recfield" => Datum::RecordField {
                record: int(body, "recparentno") as usize,
                field: string(body, "fieldname").unwrap_or_default(),
            },
            other => {
                return Err(Error::feature_not_supported(format!(
                    "PL/pgSQL datum {other}"
                )))
            }
        })
    }

    fn row_fields(&self, body: &Value) -> Vec<usize> {
        body.get("fields")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|f| f.get("varno").map(|_| int(f, "varno") as usize))
            .collect()
    }

    /// A statement's row target (`INTO`, FOR's variable).
    fn target(&mut self, v: Option<&Value>) -> Result<Target> {
        let Some((kind, body)) = v.and_then(node) else {
            return Ok(Vec::new());
        };
        Ok(match kind {
            "PLpgSQL_row" => self.row_fields(body),
            "PLpgSQL_rec" => vec![int(body, "dno") as usize],
            "PLpgSQL_var" => vec![self.claim_named(&string(body, "refname").unwrap_or_default())?],
            other => {
                return Err(Error::feature_not_supported(format!(
                    "PL/pgSQL target {other}"
                )))
            }
        })
    }

    /// The next unclaimed variable named `name`.
    fn claim_named(&mut self, name: &str) -> Result<usize> {
        let at = (self.cursor..self.datums.len())
            .find(|&i| matches!(&self.datums[i], Datum::Var(v) if v.name == name))
            .ok_or_else(|| Error::internal(format!("PL/pgSQL variable \"{name}\" not found")))?;
        self.cursor = at + 1;
        Ok(at)
    }

    /// The variables a block declares: unclaimed typed ones declared up to its BEGIN line.
    fn claim_declared(&mut self, begin_line: u32) -> Vec<usize> {
        let mut declared = Vec::new();
        while self.cursor < self.datums.len() {
            match &self.datums[self.cursor] {
                // Variables the body creates (loop, CASE and EXCEPTION variables) have no
                // declared type; DECLARE always gives one.
                Datum::Var(v) if v.line <= begin_line && v.decl_type != DeclType::Unknown => {
                    declared.push(self.cursor)
                }
                Datum::Var(_) => break,
                _ => {}
            }
            self.cursor += 1;
        }
        declared
    }

    fn block(&mut self, b: &Value, nested: bool) -> Result<Block> {
        let begin = line(b);
        // The outermost block's declarations are the function's (line numbers count from
        // the body's start).
        let _ = nested;
        let declared = self.claim_declared(begin);
        let body = self.stmts(b.get("body"))?;
        let handlers = match b
            .get("exceptions")
            .and_then(|e| e.get("PLpgSQL_exception_block"))
        {
            None => None,
            Some(ex) => {
                let sqlstate_var = self.claim_named("sqlstate")?;
                let sqlerrm_var = self.claim_named("sqlerrm")?;
                let mut handlers = Vec::new();
                for h in ex
                    .get("exc_list")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let h = h.get("PLpgSQL_exception").unwrap_or(h);
                    let conditions = h
                        .get("conditions")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(|c| {
                            c.get("PLpgSQL_condition")
                                .and_then(|c| string(c, "condname"))
                        })
                        .collect();
                    handlers.push(Handler {
                        conditions,
                        body: self.stmts(h.get("action"))?,
                    });
                }
                Some(Handlers {
                    sqlstate_var,
                    sqlerrm_var,
                    handlers,
                })
            }
        };
        Ok(Block {
            label: string(b, "label"),
            declared,
            body,
            handlers,
            line: begin,
        })
    }

    fn stmts(&mut self, v: Option<&Value>) -> Result<Vec<Stmt>> {
        let mut out = Vec::new();
        for s in v.and_then(Value::as_array).into_iter().flatten() {
            out.push(self.stmt(s)?);
        }
        Ok(out)
    }

    fn stmt(&mut self, v: &Value) -> Result<Stmt> {
        let (kind, s) = node(v).ok_or_else(|| Error::internal("malformed PL/pgSQL statement"))?;
        let label = string(s, "label");
        let kind = match kind {
            "PLpgSQL_stmt_block" => StmtKind::Block(self.block(s, true)?),
            "PLpgSQL_stmt_assign" => {
                let mut target = int(s, "varno") as usize;
                let mut expr = self.required_expr(s, "expr")?;
                let at = line(s);
                if let Some(i) = self.field_assignments.iter().position(|f| {
                    f.line == at
                        && expr.query.starts_with(&f.rewritten)
                        && expr.query.is_char_boundary(f.rewritten.len())
                }) {
                    let f = self.field_assignments.remove(i);
                    expr.query = format!("{}{}", f.original, &expr.query[f.rewritten.len()..]);
                    self.datums.push(Datum::RecordField {
                        record: target,
                        field: f.field,
                    });
                    target = self.datums.len() - 1;
                }
                StmtKind::Assign { target, expr }
            }
            "PLpgSQL_stmt_if" => {
                let mut branches = vec![(
                    self.required_expr(s, "cond")?,
                    self.stmts(s.get("then_body"))?,
                )];
                for e in s
                    .get("elsif_list")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let e = e.get("PLpgSQL_if_elsif").unwrap_or(e);
                    branches.push((self.required_expr(e, "cond")?, self.stmts(e.get("stmts"))?));
                }
                StmtKind::If {
                    branches,
                    otherwise: self.stmts(s.get("else_body"))?,
                }
            }
            "PLpgSQL_stmt_case" => {
                let subject = match self.expr(s.get("t_expr")) {
                    Some(e) => {
                        let var = int(s, "t_varno") as usize;
                        self.cursor = self.cursor.max(var + 1);
                        Some((e, var))
                    }
                    None => None,
                };
                let mut whens = Vec::new();
                for w in s
                    .get("case_when_list")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let w = w.get("PLpgSQL_case_when").unwrap_or(w);
                    whens.push((self.required_expr(w, "expr")?, self.stmts(w.get("stmts"))?));
                }
                let otherwise = if flag(s, "have_else") {
                    Some(self.stmts(s.get("else_stmts"))?)
                } else {
                    None
                };
                StmtKind::Case {
                    subject,
                    whens,
                    otherwise,
                }
            }
            "PLpgSQL_stmt_loop" => StmtKind::Loop {
                label,
                body: self.stmts(s.get("body"))?,
            },
            "PLpgSQL_stmt_while" => StmtKind::While {
                label,
                cond: self.required_expr(s, "cond")?,
                body: self.stmts(s.get("body"))?,
            },
            "PLpgSQL_stmt_fori" => {
                let lower = self.required_expr(s, "lower")?;
                let upper = self.required_expr(s, "upper")?;
                let step = self.expr(s.get("step"));
                let name = s
                    .get("var")
                    .and_then(|v| v.get("PLpgSQL_var"))
                    .and_then(|v| string(v, "refname"))
                    .unwrap_or_default();
                let var = self.claim_named(&name)?;
                StmtKind::ForInt {
                    label,
                    var,
                    lower,
                    upper,
                    step,
                    reverse: flag(s, "reverse"),
                    body: self.stmts(s.get("body"))?,
                }
            }
            "PLpgSQL_stmt_fors" | "PLpgSQL_stmt_dynfors" => {
                let dynamic = kind == "PLpgSQL_stmt_dynfors";
                let query = self.required_expr(s, "query")?;
                let params = dynamic.then(|| self.expr_list(s.get("params")));
                let target = self.target(s.get("var"))?;
                StmtKind::ForQuery {
                    label,
                    target,
                    query,
                    dynamic: params,
                    body: self.stmts(s.get("body"))?,
                }
            }
            "PLpgSQL_stmt_foreach_a" => StmtKind::ForEach {
                label,
                target: match self.datums.get(int(s, "varno") as usize) {
                    Some(Datum::Row(fields)) => fields.clone(),
                    _ => vec![int(s, "varno") as usize],
                },
                slice: int(s, "slice") as i32,
                array: self.required_expr(s, "expr")?,
                body: self.stmts(s.get("body"))?,
            },
            "PLpgSQL_stmt_exit" => StmtKind::Exit {
                is_exit: flag(s, "is_exit"),
                label,
                cond: self.expr(s.get("cond")),
            },
            "PLpgSQL_stmt_return" => StmtKind::Return(self.expr(s.get("expr"))),
            "PLpgSQL_stmt_return_next" => {
                let expr = self
                    .expr(s.get("expr"))
                    .filter(|e| e.query.trim() != OUT_PARAMS_MARKER);
                let line = line(s);
                let nth = match self.return_nexts.iter_mut().find(|(l, _)| *l == line) {
                    Some((_, n)) => {
                        *n += 1;
                        *n - 1
                    }
                    None => {
                        self.return_nexts.push((line, 1));
                        0
                    }
                };
                StmtKind::ReturnNext(expr.or_else(|| {
                    let text = self
                        .source_lines
                        .get((line as usize).checked_sub(1)?)
                        .and_then(|l| return_next_operand(l, nth))?;
                    let id = self.exprs;
                    self.exprs += 1;
                    Some(Expr { query: text, id })
                }))
            }
            "PLpgSQL_stmt_return_query" => match self.expr(s.get("query")) {
                Some(query) => StmtKind::ReturnQuery {
                    query,
                    dynamic: None,
                },
                None => StmtKind::ReturnQuery {
                    query: self.required_expr(s, "dynquery")?,
                    dynamic: Some(self.expr_list(s.get("params"))),
                },
            },
            "PLpgSQL_stmt_raise" => {
                let level = match int(s, "elog_level") {
                    0..=14 => RaiseLevel::Debug,
                    15 | 16 => RaiseLevel::Log,
                    17 => RaiseLevel::Info,
                    18 => RaiseLevel::Notice,
                    19 | 20 => RaiseLevel::Warning,
                    _ => RaiseLevel::Exception,
                };
                let mut options = Vec::new();
                for o in s
                    .get("options")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let o = o.get("PLpgSQL_raise_option").unwrap_or(o);
                    let which = match int(o, "opt_type") {
                        0 => RaiseOption::Errcode,
                        1 => RaiseOption::Message,
                        2 => RaiseOption::Detail,
                        3 => RaiseOption::Hint,
                        _ => RaiseOption::Other,
                    };
                    options.push((which, self.required_expr(o, "expr")?));
                }
                StmtKind::Raise {
                    level,
                    condition: string(s, "condname"),
                    message: string(s, "message"),
                    params: self.expr_list(s.get("params")),
                    options,
                }
            }
            "PLpgSQL_stmt_assert" => StmtKind::Assert {
                cond: self.required_expr(s, "cond")?,
                message: self.expr(s.get("message")),
            },
            "PLpgSQL_stmt_perform" => StmtKind::Perform(self.required_expr(s, "expr")?),
            "PLpgSQL_stmt_execsql" => {
                let sql = self.required_expr(s, "sqlstmt")?;
                let into = if flag(s, "into") {
                    Some((self.target(s.get("target"))?, flag(s, "strict")))
                } else {
                    None
                };
                StmtKind::ExecSql { sql, into }
            }
            "PLpgSQL_stmt_dynexecute" => {
                let query = self.required_expr(s, "query")?;
                let into = if flag(s, "into") {
                    Some((self.target(s.get("target"))?, flag(s, "strict")))
                } else {
                    None
                };
                StmtKind::DynExecute {
                    query,
                    into,
                    params: self.expr_list(s.get("params")),
                }
            }
            "PLpgSQL_stmt_getdiag" => StmtKind::GetDiagnostics {
                stacked: flag(s, "is_stacked"),
                items: s
                    .get("diag_items")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|i| i.get("PLpgSQL_diag_item").unwrap_or(i))
                    .map(|i| {
                        (
                            int(i, "target") as usize,
                            string(i, "kind").unwrap_or_default(),
                        )
                    })
                    .collect(),
            },
            "PLpgSQL_stmt_return_next_dummy" => StmtKind::Null,
            "PLpgSQL_stmt_call" => StmtKind::Call(self.required_expr(s, "expr")?),
            other => {
                let what = other
                    .strip_prefix("PLpgSQL_stmt_")
                    .unwrap_or(other)
                    .to_ascii_uppercase();
                return Err(pg_err!(
                    FEATURE_NOT_SUPPORTED,
                    "PL/pgSQL statement {} is not supported",
                    what
                ));
            }
        };
        Ok(Stmt {
            line: line(s),
            kind,
        })
    }
}
