//! Evaluation of SQL/JSON path expressions (PostgreSQL docs §9.16.2), after the rules of
//! PostgreSQL's `jsonpath_exec.c`.
//!
//! Each item runs on one value and passes each of its results to the next item; the
//! results of the last item are collected (`found`), or, when nobody needs them
//! (`found` is None: `jsonb_path_exists`), evaluation stops at the first one.
//!
//! Rules:
//! 1. Lax mode unwraps arrays for accessors and methods that expect something else, wraps
//!    non-arrays for array accessors, and ignores structural errors (a missing key, an
//!    out-of-bounds subscript); strict mode reports them.
//! 2. Errors are raised when `throw` is set (not `silent`), else they make the result
//!    [`Exec::Error`]. Predicates never raise: an error makes them unknown.
//! 3. `keyvalue()` ids are the byte offset of the object inside its base value's jsonb
//!    binary form plus 10,000,000,000 times the base's id (0: the target, 1: `vars`,
//!    then each generated `keyvalue()` object), so `layout` reproduces that form.

use super::datetime;
use tusk_types::adt::datetime::TimeZone;
use tusk_types::adt::formatting::datetime_from_char::ParsedDatetime;
use tusk_types::adt::json::JsonValue;
use tusk_types::adt::jsonpath::{BinaryOp, Item, ItemKind, JsonPath, Method, RegexFlags, ANY_LAST};
use tusk_types::adt::numeric::Numeric;
use tusk_types::{pg_err, Error, Result, SqlState};

/// The outcome of running an item (PostgreSQL's `JsonPathExecResult`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Exec {
    Ok,
    NotFound,
    Error,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bool3 {
    False,
    True,
    Unknown,
}

/// A value during evaluation and, for a part of a stored value, where it sits: the id of
/// its base value and its byte offset in that value's binary form.
#[derive(Debug, Clone)]
pub(super) struct JVal {
    pub v: JsonValue,
    pos: Option<(u64, usize)>,
    /// For a datetime item (from `.datetime()`): its typed value; `v` then holds the JSON
    /// string it becomes on output.
    dt: Option<ParsedDatetime>,
}

impl JVal {
    fn plain(v: JsonValue) -> JVal {
        JVal {
            v,
            pos: None,
            dt: None,
        }
    }

    fn datetime(dt: ParsedDatetime) -> JVal {
        JVal {
            v: JsonValue::String(datetime::encode(&dt)),
            pos: None,
            dt: Some(dt),
        }
    }
}

/// The state of one evaluation.
pub(super) struct Cx<'a> {
    lax: bool,
    ignore_structural: bool,
    throw: bool,
    root: JVal,
    current: JVal,
    vars: Option<&'a JsonValue>,
    last_generated_id: u64,
    innermost_array_size: i64,
    regex: &'a dyn Fn(&str, RegexFlags, &str) -> Result<bool>,
    /// The session time zone, and whether it may be used (the `_tz` functions).
    zone: &'a TimeZone,
    use_tz: bool,
}

macro_rules! raise {
    ($cx:expr, $err:expr) => {{
        if $cx.throw {
            return Err($err);
        }
        return Ok(Exec::Error);
    }};
}

/// The session time zone for datetime items, and whether comparisons may use it (only
/// in the `_tz` functions).
#[derive(Clone, Copy)]
pub(super) struct SessionZone<'a> {
    pub zone: &'a TimeZone,
    pub usable: bool,
}

/// Runs `path` on `target` (`executeJsonPath`).
///
/// Errors: 22023 when `vars` is not an object; the path's errors when `throw`.
pub(super) fn execute(
    path: &JsonPath,
    target: &JsonValue,
    vars: Option<&JsonValue>,
    throw: bool,
    found: Option<&mut Vec<JVal>>,
    regex: &dyn Fn(&str, RegexFlags, &str) -> Result<bool>,
    zone: SessionZone<'_>,
) -> Result<Exec> {
    if let Some(v) = vars {
        if !matches!(v, JsonValue::Object(_)) {
            return Err(Error::new(
                SqlState::INVALID_PARAMETER_VALUE,
                "\"vars\" argument is not an object",
            )
            .detail(
                "Jsonpath parameters should be encoded as key-value pairs of \"vars\" object.",
            ));
        }
    }
    let root = JVal {
        v: target.clone(),
        pos: Some((0, 0)),
        dt: None,
    };
    let mut cx = Cx {
        lax: !path.strict,
        ignore_structural: !path.strict,
        throw,
        current: root.clone(),
        root,
        vars,
        last_generated_id: if vars.is_some() { 2 } else { 1 },
        innermost_array_size: -1,
        regex,
        zone: zone.zone,
        use_tz: zone.usable,
    };
    if path.strict && found.is_none() {
        let mut vals = Vec::new();
        let res = cx.item(&path.expr, &cx.root.clone(), Some(&mut vals))?;
        if res == Exec::Error {
            return Ok(res);
        }
        return Ok(if vals.is_empty() {
            Exec::NotFound
        } else {
            Exec::Ok
        });
    }
    let root = cx.root.clone();
    cx.item(&path.expr, &root, found)
}

fn push(found: Option<&mut Vec<JVal>>, v: JVal) {
    if let Some(f) = found {
        f.push(v);
    }
}

fn type_name(v: &JsonValue) -> &'static str {
    v.type_name()
}

impl Cx<'_> {
    fn item(&mut self, jsp: &Item, jb: &JVal, found: Option<&mut Vec<JVal>>) -> Result<Exec> {
        self.item_opt_unwrap(jsp, jb, found, self.lax)
    }

    /// Passes `v` to the next item of `cur`, or collects it.
    fn next(&mut self, cur: &Item, v: JVal, found: Option<&mut Vec<JVal>>) -> Result<Exec> {
        match &cur.next {
            Some(n) => self.item(n, &v, found),
            None => {
                push(found, v);
                Ok(Exec::Ok)
            }
        }
    }

    fn item_opt_unwrap(
        &mut self,
        jsp: &Item,
        jb: &JVal,
        mut found: Option<&mut Vec<JVal>>,
        unwrap: bool,
    ) -> Result<Exec> {
        let is_array = matches!(jb.v, JsonValue::Array(_));
        match &jsp.kind {
            ItemKind::Binary(op, l, r) if !op.is_predicate() => {
                self.binary_arith(jsp, *op, l, r, jb, found)
            }
            ItemKind::Binary(..)
            | ItemKind::Not(_)
            | ItemKind::IsUnknown(_)
            | ItemKind::Exists(_)
            | ItemKind::LikeRegex { .. } => {
                let st = self.bool_item(jsp, jb)?;
                let v = match st {
                    Bool3::True => JsonValue::Bool(true),
                    Bool3::False => JsonValue::Bool(false),
                    Bool3::Unknown => JsonValue::Null,
                };
                self.next(jsp, JVal::plain(v), found)
            }
            ItemKind::Unary { minus, arg } => self.unary_arith(jsp, *minus, arg, jb, found),
            ItemKind::Filter(pred) => {
                if unwrap && is_array {
                    return self.unwrap_target_array(Some(jsp), jb, found, false);
                }
                let st = self.nested_bool(pred, jb)?;
                if st != Bool3::True {
                    return Ok(Exec::NotFound);
                }
                self.next(jsp, jb.clone(), found)
            }
            ItemKind::Any { first, last } => {
                let mut res = Exec::NotFound;
                if *first == 0 {
                    let saved = self.ignore_structural;
                    self.ignore_structural = true;
                    res = self.next(jsp, jb.clone(), found.as_deref_mut())?;
                    self.ignore_structural = saved;
                    if res == Exec::Ok && found.is_none() {
                        return Ok(res);
                    }
                }
                if jb.v.is_container() {
                    res = self.any_item(
                        jsp.next.as_deref(),
                        jb,
                        found,
                        1,
                        *first,
                        *last,
                        true,
                        self.lax,
                    )?;
                }
                Ok(res)
            }
            ItemKind::Key(key) => {
                if let JsonValue::Object(_) = &jb.v {
                    match child_by_key(jb, key) {
                        Some(v) => self.next(jsp, v, found),
                        None if !self.ignore_structural => raise!(
                            self,
                            pg_err!(
                                SQL_JSON_MEMBER_NOT_FOUND,
                                "JSON object does not contain key \"{}\"",
                                key
                            )
                        ),
                        None => Ok(Exec::NotFound),
                    }
                } else if unwrap && is_array {
                    self.unwrap_target_array(Some(jsp), jb, found, false)
                } else if !self.ignore_structural {
                    raise!(
                        self,
                        pg_err!(
                            SQL_JSON_MEMBER_NOT_FOUND,
                            "jsonpath member accessor can only be applied to an object"
                        )
                    )
                } else {
                    Ok(Exec::NotFound)
                }
            }
            ItemKind::Root => {
                let root = self.root.clone();
                self.next(jsp, root, found)
            }
            ItemKind::Current => {
                let cur = self.current.clone();
                self.next(jsp, cur, found)
            }
            ItemKind::AnyArray => {
                if is_array {
                    let lax = self.lax;
                    self.unwrap_target_array(jsp.next.as_deref(), jb, found, lax)
                } else if self.lax {
                    self.next(jsp, jb.clone(), found)
                } else if !self.ignore_structural {
                    raise!(
                        self,
                        pg_err!(
                            SQL_JSON_ARRAY_NOT_FOUND,
                            "jsonpath wildcard array accessor can only be applied to an array"
                        )
                    )
                } else {
                    Ok(Exec::NotFound)
                }
            }
            ItemKind::IndexArray(elems) => self.index_array(jsp, elems, jb, found),
            ItemKind::Last => {
                if self.innermost_array_size < 0 {
                    return Err(Error::internal(
                        "evaluating jsonpath LAST outside of array subscript",
                    ));
                }
                if jsp.next.is_none() && found.is_none() {
                    return Ok(Exec::Ok);
                }
                let last = Numeric::from(self.innermost_array_size - 1);
                self.next(jsp, JVal::plain(JsonValue::Number(last)), found)
            }
            ItemKind::AnyKey => {
                if let JsonValue::Object(_) = &jb.v {
                    let lax = self.lax;
                    self.any_item(jsp.next.as_deref(), jb, found, 1, 1, 1, false, lax)
                } else if unwrap && is_array {
                    self.unwrap_target_array(Some(jsp), jb, found, false)
                } else if !self.ignore_structural {
                    raise!(
                        self,
                        pg_err!(
                            SQL_JSON_OBJECT_NOT_FOUND,
                            "jsonpath wildcard member accessor can only be applied to an object"
                        )
                    )
                } else {
                    Ok(Exec::NotFound)
                }
            }
            ItemKind::Null
            | ItemKind::Bool(_)
            | ItemKind::Numeric(_)
            | ItemKind::String(_)
            | ItemKind::Variable(_) => {
                let is_var = matches!(jsp.kind, ItemKind::Variable(_));
                if jsp.next.is_none() && found.is_none() && !is_var {
                    return Ok(Exec::Ok);
                }
                let v = self.literal(jsp)?;
                self.next(jsp, v, found)
            }
            ItemKind::Method(m) => self.method(jsp, *m, jb, found, unwrap),
            ItemKind::Datetime(template) => {
                if unwrap && is_array {
                    return self.unwrap_target_array(Some(jsp), jb, found, false);
                }
                let text = match (&jb.v, &jb.dt) {
                    (JsonValue::String(s), None) => s.clone(),
                    _ => raise!(
                        self,
                        pg_err!(
                            INVALID_ARGUMENT_FOR_SQL_JSON_DATETIME_FUNCTION,
                            "jsonpath item method .datetime() can only be applied to a string"
                        )
                    ),
                };
                match datetime::parse(&text, template.as_deref(), self.zone) {
                    Ok(dt) => self.next(jsp, JVal::datetime(dt), found),
                    Err(e) => raise!(self, e),
                }
            }
        }
    }

    fn literal(&self, jsp: &Item) -> Result<JVal> {
        Ok(JVal::plain(match &jsp.kind {
            ItemKind::Null => JsonValue::Null,
            ItemKind::Bool(b) => JsonValue::Bool(*b),
            ItemKind::Numeric(n) => JsonValue::Number(n.clone()),
            ItemKind::String(s) => JsonValue::String(s.clone()),
            ItemKind::Variable(name) => {
                let vars = self.vars.ok_or_else(|| undefined_variable(name))?;
                let base = JVal {
                    v: vars.clone(),
                    pos: Some((1, 0)),
                    dt: None,
                };
                return child_by_key(&base, name).ok_or_else(|| undefined_variable(name));
            }
            _ => return Err(Error::internal("not a jsonpath literal")),
        }))
    }

    fn method(
        &mut self,
        jsp: &Item,
        m: Method,
        jb: &JVal,
        found: Option<&mut Vec<JVal>>,
        unwrap: bool,
    ) -> Result<Exec> {
        let is_array = matches!(jb.v, JsonValue::Array(_));
        match m {
            Method::Type => {
                let name = match &jb.dt {
                    Some(dt) => datetime::type_name(dt),
                    None => type_name(&jb.v),
                };
                let t = JsonValue::String(name.to_string());
                self.next(jsp, JVal::plain(t), found)
            }
            Method::Size => {
                let size = match &jb.v {
                    JsonValue::Array(items) => items.len() as i64,
                    _ if !self.lax => {
                        if !self.ignore_structural {
                            raise!(
                                self,
                                pg_err!(
                                    SQL_JSON_ARRAY_NOT_FOUND,
                                    "jsonpath item method .size() can only be applied to an array"
                                )
                            );
                        }
                        return Ok(Exec::NotFound);
                    }
                    _ => 1,
                };
                self.next(
                    jsp,
                    JVal::plain(JsonValue::Number(Numeric::from(size))),
                    found,
                )
            }
            Method::Abs | Method::Floor | Method::Ceiling => {
                if unwrap && is_array {
                    return self.unwrap_target_array(Some(jsp), jb, found, false);
                }
                let JsonValue::Number(n) = &jb.v else {
                    raise!(
                        self,
                        pg_err!(
                            NON_NUMERIC_SQL_JSON_ITEM,
                            "jsonpath item method .{}() can only be applied to a numeric value",
                            m.name()
                        )
                    )
                };
                let r = match m {
                    Method::Abs => n.abs(),
                    Method::Floor => n.floor()?,
                    _ => n.ceil()?,
                };
                if jsp.next.is_none() && found.is_none() {
                    return Ok(Exec::Ok);
                }
                self.next(jsp, JVal::plain(JsonValue::Number(r)), found)
            }
            Method::Double => {
                if unwrap && is_array {
                    return self.unwrap_target_array(Some(jsp), jb, found, false);
                }
                let v = match &jb.v {
                    JsonValue::Number(n) => {
                        let ok = tusk_types::adt::float::float8_in(&n.to_string())
                            .is_ok_and(f64::is_finite);
                        if !ok {
                            raise!(self, pg_err!(NON_NUMERIC_SQL_JSON_ITEM, "numeric argument of jsonpath item method .double() is out of range for type double precision"));
                        }
                        jb.clone()
                    }
                    JsonValue::String(s) => match tusk_types::adt::float::float8_in(s) {
                        Ok(f) if f.is_finite() => JVal::plain(JsonValue::Number(Numeric::from_f64(f))),
                        _ => raise!(self, pg_err!(NON_NUMERIC_SQL_JSON_ITEM, "string argument of jsonpath item method .double() is not a valid representation of a double precision number")),
                    },
                    _ => raise!(self, pg_err!(NON_NUMERIC_SQL_JSON_ITEM, "jsonpath item method .double() can only be applied to a string or numeric value")),
                };
                self.next(jsp, v, found)
            }
            Method::KeyValue => self.keyvalue(jsp, jb, found, unwrap),
        }
    }

    fn keyvalue(
        &mut self,
        jsp: &Item,
        jb: &JVal,
        mut found: Option<&mut Vec<JVal>>,
        unwrap: bool,
    ) -> Result<Exec> {
        if unwrap && matches!(jb.v, JsonValue::Array(_)) {
            return self.unwrap_target_array(Some(jsp), jb, found, false);
        }
        let JsonValue::Object(pairs) = &jb.v else {
            raise!(
                self,
                pg_err!(
                    SQL_JSON_OBJECT_NOT_FOUND,
                    "jsonpath item method .keyvalue() can only be applied to an object"
                )
            )
        };
        if pairs.is_empty() {
            return Ok(Exec::NotFound);
        }
        let id = match jb.pos {
            Some((base, offset)) => offset as i64 + base as i64 * 10_000_000_000,
            None => 0,
        };
        let mut res = Exec::NotFound;
        for (k, v) in pairs {
            let obj = JsonValue::Object(vec![
                ("id".to_string(), JsonValue::Number(Numeric::from(id))),
                ("key".to_string(), JsonValue::String(k.clone())),
                ("value".to_string(), v.clone()),
            ]);
            let base = self.last_generated_id;
            self.last_generated_id += 1;
            let val = JVal {
                v: obj,
                pos: Some((base, 0)),
                dt: None,
            };
            res = self.next(jsp, val, found.as_deref_mut())?;
            if res == Exec::Error {
                return Ok(res);
            }
            if res == Exec::Ok && found.is_none() {
                break;
            }
        }
        Ok(res)
    }

    fn index_array(
        &mut self,
        jsp: &Item,
        elems: &[(Item, Option<Item>)],
        jb: &JVal,
        mut found: Option<&mut Vec<JVal>>,
    ) -> Result<Exec> {
        let items = match &jb.v {
            JsonValue::Array(items) => Some(items),
            _ if self.lax => None,
            _ => {
                if !self.ignore_structural {
                    raise!(
                        self,
                        pg_err!(
                            SQL_JSON_ARRAY_NOT_FOUND,
                            "jsonpath array accessor can only be applied to an array"
                        )
                    );
                }
                return Ok(Exec::NotFound);
            }
        };
        let saved = self.innermost_array_size;
        let size = items.map_or(1, |i| i.len() as i64);
        self.innermost_array_size = size;
        let mut res = Exec::NotFound;
        'outer: for (from, to) in elems {
            let index_from = match self.array_index(from, jb)? {
                Ok(i) => i,
                Err(e) => {
                    res = e;
                    break;
                }
            };
            let index_to = match to {
                Some(to) => match self.array_index(to, jb)? {
                    Ok(i) => i,
                    Err(e) => {
                        res = e;
                        break;
                    }
                },
                None => index_from,
            };
            if !self.ignore_structural
                && (index_from < 0 || index_from > index_to || index_to >= size)
            {
                self.innermost_array_size = saved;
                raise!(
                    self,
                    pg_err!(
                        INVALID_SQL_JSON_SUBSCRIPT,
                        "jsonpath array subscript is out of bounds"
                    )
                );
            }
            let index_from = index_from.max(0);
            let index_to = index_to.min(size - 1);
            res = Exec::NotFound;
            for index in index_from..=index_to {
                let v = match items {
                    None => jb.clone(),
                    Some(_) => match child_at(jb, index as usize) {
                        Some(v) => v,
                        None => continue,
                    },
                };
                if jsp.next.is_none() && found.is_none() {
                    self.innermost_array_size = saved;
                    return Ok(Exec::Ok);
                }
                res = self.next(jsp, v, found.as_deref_mut())?;
                if res == Exec::Error || (res == Exec::Ok && found.is_none()) {
                    break 'outer;
                }
            }
        }
        self.innermost_array_size = saved;
        Ok(res)
    }

    /// One subscript as an integer (`getArrayIndex`); the inner Err is a silenced error.
    fn array_index(&mut self, jsp: &Item, jb: &JVal) -> Result<std::result::Result<i64, Exec>> {
        let mut found = Vec::new();
        let res = self.item(jsp, jb, Some(&mut found))?;
        if res == Exec::Error {
            return Ok(Err(res));
        }
        let n = match found.as_slice() {
            [JVal {
                v: JsonValue::Number(n),
                ..
            }] => n.clone(),
            _ => {
                if self.throw {
                    return Err(pg_err!(
                        INVALID_SQL_JSON_SUBSCRIPT,
                        "jsonpath array subscript is not a single numeric value"
                    ));
                }
                return Ok(Err(Exec::Error));
            }
        };
        match n.trunc(0).to_i32() {
            Ok(i) => Ok(Ok(i64::from(i))),
            Err(_) if self.throw => Err(pg_err!(
                INVALID_SQL_JSON_SUBSCRIPT,
                "jsonpath array subscript is out of integer range"
            )),
            Err(_) => Ok(Err(Exec::Error)),
        }
    }

    fn unwrap_target_array(
        &mut self,
        jsp: Option<&Item>,
        jb: &JVal,
        found: Option<&mut Vec<JVal>>,
        unwrap_elements: bool,
    ) -> Result<Exec> {
        self.any_item(jsp, jb, found, 1, 1, 1, false, unwrap_elements)
    }

    /// Visits the values of a container down to `last` levels (`executeAnyItem`).
    #[allow(clippy::too_many_arguments)]
    fn any_item(
        &mut self,
        jsp: Option<&Item>,
        jb: &JVal,
        mut found: Option<&mut Vec<JVal>>,
        level: u32,
        first: u32,
        last: u32,
        ignore_structural: bool,
        unwrap_next: bool,
    ) -> Result<Exec> {
        let mut res = Exec::NotFound;
        if level > last {
            return Ok(res);
        }
        for v in children(jb) {
            if level >= first || (first == ANY_LAST && last == ANY_LAST && !v.v.is_container()) {
                if let Some(jsp) = jsp {
                    let saved = self.ignore_structural;
                    if ignore_structural {
                        self.ignore_structural = true;
                    }
                    let r = self.item_opt_unwrap(jsp, &v, found.as_deref_mut(), unwrap_next);
                    self.ignore_structural = saved;
                    res = r?;
                    if res == Exec::Error || (res == Exec::Ok && found.is_none()) {
                        break;
                    }
                } else if let Some(f) = found.as_deref_mut() {
                    f.push(v.clone());
                } else {
                    return Ok(Exec::Ok);
                }
            }
            if level < last && v.v.is_container() {
                res = self.any_item(
                    jsp,
                    &v,
                    found.as_deref_mut(),
                    level + 1,
                    first,
                    last,
                    ignore_structural,
                    unwrap_next,
                )?;
                if res == Exec::Error || (res == Exec::Ok && found.is_none()) {
                    break;
                }
            }
        }
        Ok(res)
    }

    fn binary_arith(
        &mut self,
        jsp: &Item,
        op: BinaryOp,
        l: &Item,
        r: &Item,
        jb: &JVal,
        found: Option<&mut Vec<JVal>>,
    ) -> Result<Exec> {
        let mut lseq = Vec::new();
        let res = self.item_opt_unwrap_result(l, jb, true, &mut lseq)?;
        if res == Exec::Error {
            return Ok(res);
        }
        let mut rseq = Vec::new();
        let res = self.item_opt_unwrap_result(r, jb, true, &mut rseq)?;
        if res == Exec::Error {
            return Ok(res);
        }
        let single = |seq: &[JVal]| match seq {
            [JVal {
                v: JsonValue::Number(n),
                ..
            }] => Some(n.clone()),
            _ => None,
        };
        let Some(lv) = single(&lseq) else {
            raise!(
                self,
                pg_err!(
                    SINGLETON_SQL_JSON_ITEM_REQUIRED,
                    "left operand of jsonpath operator {} is not a single numeric value",
                    op.name()
                )
            )
        };
        let Some(rv) = single(&rseq) else {
            raise!(
                self,
                pg_err!(
                    SINGLETON_SQL_JSON_ITEM_REQUIRED,
                    "right operand of jsonpath operator {} is not a single numeric value",
                    op.name()
                )
            )
        };
        let result = match op {
            BinaryOp::Add => lv.add(&rv),
            BinaryOp::Sub => lv.sub(&rv),
            BinaryOp::Mul => lv.mul(&rv),
            BinaryOp::Div => lv.div(&rv),
            _ => lv.modulo(&rv),
        };
        let n = match result {
            Ok(n) => n,
            Err(e) => raise!(self, e),
        };
        if jsp.next.is_none() && found.is_none() {
            return Ok(Exec::Ok);
        }
        self.next(jsp, JVal::plain(JsonValue::Number(n)), found)
    }

    fn unary_arith(
        &mut self,
        jsp: &Item,
        minus: bool,
        arg: &Item,
        jb: &JVal,
        mut found: Option<&mut Vec<JVal>>,
    ) -> Result<Exec> {
        let mut seq = Vec::new();
        let res = self.item_opt_unwrap_result(arg, jb, true, &mut seq)?;
        if res == Exec::Error {
            return Ok(res);
        }
        let mut res = Exec::NotFound;
        let has_next = jsp.next.is_some();
        for val in seq {
            let JsonValue::Number(n) = &val.v else {
                if found.is_none() && !has_next {
                    continue;
                }
                raise!(
                    self,
                    pg_err!(
                        SQL_JSON_NUMBER_NOT_FOUND,
                        "operand of unary jsonpath operator {} is not a numeric value",
                        if minus { "-" } else { "+" }
                    )
                )
            };
            if found.is_none() && !has_next {
                return Ok(Exec::Ok);
            }
            let v = if minus {
                JVal::plain(JsonValue::Number(n.neg()))
            } else {
                val.clone()
            };
            let r = self.next(jsp, v, found.as_deref_mut())?;
            if r == Exec::Error {
                return Ok(r);
            }
            if r == Exec::Ok {
                if found.is_none() {
                    return Ok(Exec::Ok);
                }
                res = Exec::Ok;
            }
        }
        Ok(res)
    }

    /// Runs `jsp` and, in lax mode when `unwrap`, unwraps array results one level.
    fn item_opt_unwrap_result(
        &mut self,
        jsp: &Item,
        jb: &JVal,
        unwrap: bool,
        found: &mut Vec<JVal>,
    ) -> Result<Exec> {
        if unwrap && self.lax {
            let mut seq = Vec::new();
            let res = self.item(jsp, jb, Some(&mut seq))?;
            if res == Exec::Error {
                return Ok(res);
            }
            for item in seq {
                if matches!(item.v, JsonValue::Array(_)) {
                    self.unwrap_target_array(None, &item, Some(found), false)?;
                } else {
                    found.push(item);
                }
            }
            return Ok(Exec::Ok);
        }
        self.item(jsp, jb, Some(found))
    }

    fn item_no_throw(
        &mut self,
        jsp: &Item,
        jb: &JVal,
        unwrap: bool,
        found: &mut Vec<JVal>,
    ) -> Result<Exec> {
        let saved = self.throw;
        self.throw = false;
        let res = self.item_opt_unwrap_result(jsp, jb, unwrap, found);
        self.throw = saved;
        res
    }

    fn nested_bool(&mut self, jsp: &Item, jb: &JVal) -> Result<Bool3> {
        let saved = std::mem::replace(&mut self.current, jb.clone());
        let res = self.bool_item(jsp, jb);
        self.current = saved;
        res
    }

    fn bool_item(&mut self, jsp: &Item, jb: &JVal) -> Result<Bool3> {
        match &jsp.kind {
            ItemKind::Binary(BinaryOp::And, l, r) => {
                let res = self.bool_item(l, jb)?;
                if res == Bool3::False {
                    return Ok(Bool3::False);
                }
                let res2 = self.bool_item(r, jb)?;
                Ok(if res2 == Bool3::True { res } else { res2 })
            }
            ItemKind::Binary(BinaryOp::Or, l, r) => {
                let res = self.bool_item(l, jb)?;
                if res == Bool3::True {
                    return Ok(Bool3::True);
                }
                let res2 = self.bool_item(r, jb)?;
                Ok(if res2 == Bool3::False { res } else { res2 })
            }
            ItemKind::Not(arg) => Ok(match self.bool_item(arg, jb)? {
                Bool3::Unknown => Bool3::Unknown,
                Bool3::True => Bool3::False,
                Bool3::False => Bool3::True,
            }),
            ItemKind::IsUnknown(arg) => Ok(if self.bool_item(arg, jb)? == Bool3::Unknown {
                Bool3::True
            } else {
                Bool3::False
            }),
            ItemKind::Binary(op, l, r) => self.predicate(*op, l, Some(r), jb, None),
            ItemKind::LikeRegex {
                expr,
                pattern,
                flags,
            } => {
                let pattern = pattern.clone();
                let flags = *flags;
                self.predicate(
                    BinaryOp::StartsWith,
                    expr,
                    None,
                    jb,
                    Some((&pattern, flags)),
                )
            }
            ItemKind::Exists(arg) => {
                let mut vals = Vec::new();
                if !self.lax {
                    let res = self.item_no_throw(arg, jb, false, &mut vals)?;
                    if res == Exec::Error {
                        return Ok(Bool3::Unknown);
                    }
                    return Ok(if vals.is_empty() {
                        Bool3::False
                    } else {
                        Bool3::True
                    });
                }
                let saved = self.throw;
                self.throw = false;
                let res = self.item(arg, jb, None);
                self.throw = saved;
                Ok(match res? {
                    Exec::Error => Bool3::Unknown,
                    Exec::Ok => Bool3::True,
                    Exec::NotFound => Bool3::False,
                })
            }
            _ => Err(Error::internal("invalid jsonpath boolean item")),
        }
    }

    /// A comparison, `starts with` or (with `regex`) `like_regex` over every pair of the
    /// operands' values (`executePredicate`).
    fn predicate(
        &mut self,
        op: BinaryOp,
        l: &Item,
        r: Option<&Item>,
        jb: &JVal,
        regex: Option<(&str, RegexFlags)>,
    ) -> Result<Bool3> {
        let mut lseq = Vec::new();
        if self.item_no_throw(l, jb, true, &mut lseq)? == Exec::Error {
            return Ok(Bool3::Unknown);
        }
        let mut rseq = Vec::new();
        if let Some(r) = r {
            let unwrap_right = op != BinaryOp::StartsWith;
            if self.item_no_throw(r, jb, unwrap_right, &mut rseq)? == Exec::Error {
                return Ok(Bool3::Unknown);
            }
        } else {
            rseq.push(JVal::plain(JsonValue::Null));
        }
        let mut error = false;
        let mut found = false;
        for lv in &lseq {
            for rv in &rseq {
                let res = match regex {
                    _ if lv.dt.is_some() || rv.dt.is_some() => {
                        if regex.is_some() || op == BinaryOp::StartsWith {
                            Bool3::Unknown
                        } else {
                            self.compare_datetime_items(op, lv, rv)?
                        }
                    }
                    Some((pattern, flags)) => match &lv.v {
                        JsonValue::String(s) => {
                            if (self.regex)(pattern, flags, s)? {
                                Bool3::True
                            } else {
                                Bool3::False
                            }
                        }
                        _ => Bool3::Unknown,
                    },
                    None if op == BinaryOp::StartsWith => match (&lv.v, &rv.v) {
                        (JsonValue::String(w), JsonValue::String(i)) => {
                            if w.as_bytes().starts_with(i.as_bytes()) {
                                Bool3::True
                            } else {
                                Bool3::False
                            }
                        }
                        _ => Bool3::Unknown,
                    },
                    None => compare_items(op, &lv.v, &rv.v),
                };
                match res {
                    Bool3::Unknown => {
                        if !self.lax {
                            return Ok(Bool3::Unknown);
                        }
                        error = true;
                    }
                    Bool3::True => {
                        if self.lax {
                            return Ok(Bool3::True);
                        }
                        found = true;
                    }
                    Bool3::False => {}
                }
            }
        }
        Ok(if found {
            Bool3::True
        } else if error {
            Bool3::Unknown
        } else {
            Bool3::False
        })
    }
}

impl Cx<'_> {
    /// A comparison where at least one side is a datetime item (`compareItems` with
    /// `compareDatetime`): null compares as with any other value, a non-datetime or an
    /// incomparable datetime type is unknown.
    ///
    /// Errors: 0A000 when the comparison needs the session time zone outside the `_tz`
    /// functions.
    fn compare_datetime_items(&self, op: BinaryOp, a: &JVal, b: &JVal) -> Result<Bool3> {
        let (x, y) = match (&a.dt, &b.dt) {
            (Some(x), Some(y)) => (x, y),
            _ => {
                let a_null = matches!(a.v, JsonValue::Null) && a.dt.is_none();
                let b_null = matches!(b.v, JsonValue::Null) && b.dt.is_none();
                if a_null || b_null {
                    return Ok(if op == BinaryOp::NotEqual {
                        Bool3::True
                    } else {
                        Bool3::False
                    });
                }
                return Ok(Bool3::Unknown);
            }
        };
        let zone = if self.use_tz { Some(self.zone) } else { None };
        let Some(cmp) = datetime::compare(x, y, zone)? else {
            return Ok(Bool3::Unknown);
        };
        let r = match op {
            BinaryOp::Equal => cmp.is_eq(),
            BinaryOp::NotEqual => cmp.is_ne(),
            BinaryOp::Less => cmp.is_lt(),
            BinaryOp::Greater => cmp.is_gt(),
            BinaryOp::LessOrEqual => cmp.is_le(),
            _ => cmp.is_ge(),
        };
        Ok(if r { Bool3::True } else { Bool3::False })
    }
}

fn undefined_variable(name: &str) -> Error {
    pg_err!(
        UNDEFINED_OBJECT,
        "could not find jsonpath variable \"{}\"",
        name
    )
}

fn compare_items(op: BinaryOp, a: &JsonValue, b: &JsonValue) -> Bool3 {
    use std::cmp::Ordering;
    let cmp = match (a, b) {
        (JsonValue::Null, JsonValue::Null) => Ordering::Equal,
        (JsonValue::Null, _) | (_, JsonValue::Null) => {
            return if op == BinaryOp::NotEqual {
                Bool3::True
            } else {
                Bool3::False
            }
        }
        (JsonValue::Bool(x), JsonValue::Bool(y)) => x.cmp(y),
        (JsonValue::Number(x), JsonValue::Number(y)) => x.cmp_numeric(y),
        (JsonValue::String(x), JsonValue::String(y)) => x.as_bytes().cmp(y.as_bytes()),
        _ => return Bool3::Unknown,
    };
    let r = match op {
        BinaryOp::Equal => cmp.is_eq(),
        BinaryOp::NotEqual => cmp.is_ne(),
        BinaryOp::Less => cmp.is_lt(),
        BinaryOp::Greater => cmp.is_gt(),
        BinaryOp::LessOrEqual => cmp.is_le(),
        _ => cmp.is_ge(),
    };
    if r {
        Bool3::True
    } else {
        Bool3::False
    }
}

// ---- Positions in jsonb's binary form (for keyvalue ids) ----

/// The values of a container with their positions (object values in key order).
fn children(jb: &JVal) -> Vec<JVal> {
    let values: Vec<&JsonValue> = match &jb.v {
        JsonValue::Array(items) => items.iter().collect(),
        JsonValue::Object(pairs) => pairs.iter().map(|(_, v)| v).collect(),
        _ => return Vec::new(),
    };
    let offsets = jb.pos.map(|(base, at)| (base, value_offsets(&jb.v, at)));
    values
        .into_iter()
        .enumerate()
        .map(|(i, v)| JVal {
            v: v.clone(),
            pos: offsets.as_ref().map(|(base, o)| (*base, o[i])),
            dt: None,
        })
        .collect()
}

fn child_at(jb: &JVal, i: usize) -> Option<JVal> {
    let JsonValue::Array(items) = &jb.v else {
        return None;
    };
    let v = items.get(i)?.clone();
    let pos = jb.pos.map(|(base, at)| (base, value_offsets(&jb.v, at)[i]));
    Some(JVal { v, pos, dt: None })
}

fn child_by_key(jb: &JVal, key: &str) -> Option<JVal> {
    let JsonValue::Object(pairs) = &jb.v else {
        return None;
    };
    let i = pairs
        .binary_search_by(|(k, _)| tusk_types::adt::json::key_order(k, key))
        .ok()?;
    let pos = jb.pos.map(|(base, at)| (base, value_offsets(&jb.v, at)[i]));
    Some(JVal {
        v: pairs[i].1.clone(),
        pos,
        dt: None,
    })
}

fn int_align(n: usize) -> usize {
    (n + 3) & !3
}

/// The offsets at which a container starting at `at` stores each value's data.
fn value_offsets(v: &JsonValue, at: usize) -> Vec<usize> {
    let (keys, values): (Vec<&str>, Vec<&JsonValue>) = match v {
        JsonValue::Array(items) => (Vec::new(), items.iter().collect()),
        JsonValue::Object(pairs) => pairs.iter().map(|(k, v)| (k.as_str(), v)).unzip(),
        _ => return Vec::new(),
    };
    let mut pos = at + 4 + 4 * (keys.len() + values.len());
    for k in &keys {
        pos += k.len();
    }
    let mut out = Vec::with_capacity(values.len());
    for v in values {
        let (start, end) = data_extent(v, pos);
        out.push(start);
        pos = end;
    }
    out
}

/// Where a value's data starts (after alignment) and ends when written at `pos`.
fn data_extent(v: &JsonValue, pos: usize) -> (usize, usize) {
    match v {
        JsonValue::Null | JsonValue::Bool(_) => (pos, pos),
        JsonValue::String(s) => (pos, pos + s.len()),
        JsonValue::Number(n) => {
            let start = int_align(pos);
            (start, start + numeric_size(n))
        }
        JsonValue::Array(_) | JsonValue::Object(_) => {
            let start = int_align(pos);
            (start, container_end(v, start))
        }
    }
}

fn container_end(v: &JsonValue, at: usize) -> usize {
    let values: Vec<&JsonValue> = match v {
        JsonValue::Array(items) => items.iter().collect(),
        JsonValue::Object(pairs) => pairs.iter().map(|(_, v)| v).collect(),
        _ => return at,
    };
    let offsets = value_offsets(v, at);
    match (values.last(), offsets.last()) {
        (Some(last), Some(o)) => data_extent(last, *o).1,
        _ => {
            let keys = match v {
                JsonValue::Object(pairs) => pairs.len(),
                _ => 0,
            };
            at + 4 + 8 * keys
        }
    }
}

/// The size of a numeric varlena as `numeric_in` builds it (4-byte header).
fn numeric_size(n: &Numeric) -> usize {
    if !n.is_finite() || n.is_nan() {
        return 6;
    }
    let ndigits = n.digits().len();
    let short = n.dscale() <= 63 && (-64..=63).contains(&n.weight());
    4 + if short { 2 } else { 4 } + 2 * ndigits
}
