//! The `regress` library: the C functions of PostgreSQL's regression suite
//! (src/test/regress/regress.c), with the same behaviour.
//!
//! Not provided (their CREATE FUNCTION is 42883, as for a missing symbol): the `widget`
//! and `int44` type I/O functions (tusk has no user-defined base types), planner support
//! functions, the encoding corruption helpers (tusk's text values are always valid UTF-8),
//! and the environment and PID helpers.

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};

use tusk_executor::trigger::TriggerCall;
use tusk_executor::EvalContext;
use tusk_types::adt::geo::{Lseg, Path};
use tusk_types::adt::record::Record;
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result};

use super::{field_number, trigger_new_tuple, trigger_tuple, Symbol};

/// The function of the library named `name`.
pub(super) fn symbol(name: &str) -> Option<Symbol> {
    Some(match name {
        "binary_coercible" => Symbol::Scalar(binary_coercible),
        "get_columns_length" => Symbol::Scalar(get_columns_length),
        "interpt_pp" => Symbol::Scalar(interpt_pp),
        "overpaid" => Symbol::Scalar(overpaid),
        "reverse_name" => Symbol::Scalar(reverse_name),
        "set_ttdummy" => Symbol::Scalar(set_ttdummy),
        "test_canonicalize_path" => Symbol::Scalar(test_canonicalize_path),
        "make_tuple_indirect" => Symbol::Scalar(make_tuple_indirect),
        "test_atomic_ops" => Symbol::Scalar(test_atomic_ops),
        "test_fdw_handler" => Symbol::Scalar(test_fdw_handler),
        "test_opclass_options_func" => Symbol::Scalar(|_, _| Ok(Datum::Null)),
        "trigger_return_old" => Symbol::Trigger(trigger_return_old),
        "ttdummy" => Symbol::Trigger(ttdummy),
        _ => return None,
    })
}

fn oid_arg(d: &Datum) -> Result<Oid> {
    match d {
        Datum::Oid(o) => Ok(Oid(*o)),
        other => Err(Error::internal(format!("oid expected, got {other:?}"))),
    }
}

fn catalog(name: &str) -> &'static tusk_catalog::syscat::SysCatalog {
    tusk_catalog::syscat::system_catalog_by_name(name).expect("PostgreSQL 15 system catalog")
}

/// The facts about a `pg_type` row that coercion rules need.
struct TypeFacts {
    typtype: u8,
    typlen: i16,
    typelem: Oid,
    typbasetype: Oid,
    typalign: u8,
}

fn type_facts(ctx: &EvalContext<'_>, t: Oid) -> Result<Option<TypeFacts>> {
    let cat = catalog("pg_type");
    let rows = ctx.session.catalog_rows(cat.oid)?;
    let Some(row) = rows.first_matching(cat.col("oid"), t) else {
        return Ok(None);
    };
    let letter = |d: &Datum| match d {
        Datum::Text(s) => s.bytes().next().unwrap_or(0),
        _ => 0,
    };
    let oid = |d: &Datum| match d {
        Datum::Oid(o) => Oid(*o),
        _ => Oid::INVALID,
    };
    Ok(Some(TypeFacts {
        typtype: letter(&row[cat.col("typtype")]),
        typlen: match row[cat.col("typlen")] {
            Datum::Int2(l) => l,
            _ => 0,
        },
        typelem: oid(&row[cat.col("typelem")]),
        typbasetype: oid(&row[cat.col("typbasetype")]),
        typalign: letter(&row[cat.col("typalign")]),
    }))
}

impl TypeFacts {
    /// PostgreSQL's `IsTrueArrayType`: a varlena with an element type.
    fn is_array(&self) -> bool {
        self.typelem != Oid::INVALID && self.typlen == -1
    }
}

/// `binary_coercible(source oid, target oid)`: PostgreSQL's `IsBinaryCoercible`, whether a
/// value of `source` can be used as `target` without any conversion function.
fn binary_coercible(ctx: &mut EvalContext<'_>, args: &[Datum]) -> Result<Datum> {
    let (mut source, target) = (oid_arg(&args[0])?, oid_arg(&args[1])?);
    if source == target {
        return Ok(Datum::Bool(true));
    }
    const ANY: u32 = 2276;
    const ANYELEMENT: u32 = 2283;
    const ANYCOMPATIBLE: u32 = 5077;
    if matches!(target.0, ANY | ANYELEMENT | ANYCOMPATIBLE) {
        return Ok(Datum::Bool(true));
    }
    // A domain is its base type (getBaseType).
    let mut facts = type_facts(ctx, source)?;
    while let Some(f) = facts.as_ref().filter(|f| f.typtype == b'd') {
        source = f.typbasetype;
        facts = type_facts(ctx, source)?;
    }
    if source == target {
        return Ok(Datum::Bool(true));
    }
    if let Some(f) = &facts {
        let element_is_composite = || -> Result<bool> {
            Ok(f.is_array() && type_facts(ctx, f.typelem)?.is_some_and(|e| e.typtype == b'c'))
        };
        let pseudo_match = match target.0 {
            // anyarray, anycompatiblearray
            2277 | 5078 => f.is_array(),
            // anynonarray, anycompatiblenonarray
            2776 | 5079 => !f.is_array(),
            // anyenum
            3500 => f.typtype == b'e',
            // anyrange, anycompatiblerange
            3831 | 5080 => f.typtype == b'r',
            // anymultirange, anycompatiblemultirange
            4537 | 4538 => f.typtype == b'm',
            // record
            2249 => f.typtype == b'c',
            // record[]
            2287 => element_is_composite()?,
            _ => false,
        };
        if pseudo_match {
            return Ok(Datum::Bool(true));
        }
    }
    let cast = catalog("pg_cast");
    let rows = ctx.session.catalog_rows(cast.oid)?;
    let found = rows
        .matching(cast.col("castsource"), source)
        .find(|r| r[cast.col("casttarget")] == Datum::Oid(target.0));
    Ok(Datum::Bool(found.is_some_and(|r| {
        r[cast.col("castmethod")] == Datum::Text("b".into())
            && r[cast.col("castcontext")] == Datum::Text("i".into())
    })))
}

/// `get_columns_length(oid[])`: the width of a row of these fixed-length types, each
/// aligned as its `typalign` says (PostgreSQL's `att_align_nominal`).
fn get_columns_length(ctx: &mut EvalContext<'_>, args: &[Datum]) -> Result<Datum> {
    let Datum::Array(array) = &args[0] else {
        return Err(Error::internal("oid[] expected"));
    };
    if array.elems.iter().any(Datum::is_null) {
        return Err(Error::internal("argument must not contain nulls"));
    }
    if array.dims.len() > 1 {
        return Err(Error::internal(
            "argument must be empty or one-dimensional array",
        ));
    }
    let mut offset: i32 = 0;
    for elem in &array.elems {
        let t = oid_arg(elem)?;
        let facts = type_facts(ctx, t)?
            .ok_or_else(|| Error::internal(format!("cache lookup failed for type {}", t.0)))?;
        if facts.typlen < 0 {
            return Err(Error::internal(format!("type {} is not fixed-length", t.0)));
        }
        let align = match facts.typalign {
            b'd' => 8,
            b'i' => 4,
            b's' => 2,
            _ => 1,
        };
        offset = (offset + align - 1) / align * align + i32::from(facts.typlen);
    }
    Ok(Datum::Int4(offset))
}

fn bytes_of<'a>(d: &'a Datum, what: &str) -> Result<&'a [u8]> {
    match d {
        Datum::Bytea(b) => Ok(b),
        other => Err(Error::internal(format!("{what} expected, got {other:?}"))),
    }
}

/// `interpt_pp(path, path)`: the point where the first intersecting pair of segments of
/// the two paths meets, or NULL when no segments intersect.
fn interpt_pp(_ctx: &mut EvalContext<'_>, args: &[Datum]) -> Result<Datum> {
    let malformed = || Error::internal("malformed path datum");
    let p1 = Path::from_bytes(bytes_of(&args[0], "path")?).ok_or_else(malformed)?;
    let p2 = Path::from_bytes(bytes_of(&args[1], "path")?).ok_or_else(malformed)?;
    for a in p1.points.windows(2) {
        let s1 = Lseg { p: [a[0], a[1]] };
        for b in p2.points.windows(2) {
            let s2 = Lseg { p: [b[0], b[1]] };
            if let Some(point) = s1.intersect(&s2)? {
                return Ok(Datum::Bytea(point.to_bytes()));
            }
        }
    }
    Ok(Datum::Null)
}

/// `overpaid(emp)`: whether the row's `salary` exceeds 699 (NULL for a NULL salary).
fn overpaid(_ctx: &mut EvalContext<'_>, args: &[Datum]) -> Result<Datum> {
    let Datum::Record(record) = &args[0] else {
        return Err(Error::internal("record expected"));
    };
    let Some(i) = field_number(record, "salary") else {
        return Err(pg_err!(
            UNDEFINED_COLUMN,
            "attribute \"salary\" does not exist"
        ));
    };
    Ok(match &record.values[i] {
        Datum::Null => Datum::Null,
        Datum::Int4(salary) => Datum::Bool(*salary > 699),
        other => return Err(Error::internal(format!("int4 expected, got {other:?}"))),
    })
}

/// `reverse_name(name)`: the name's characters in reverse order.
fn reverse_name(_ctx: &mut EvalContext<'_>, args: &[Datum]) -> Result<Datum> {
    match &args[0] {
        Datum::Text(s) => Ok(Datum::Text(s.chars().rev().collect())),
        other => Err(Error::internal(format!("name expected, got {other:?}"))),
    }
}

/// `test_canonicalize_path(text)`: PostgreSQL's `canonicalize_path`: no `.` components,
/// `..` applied where a preceding component allows, no doubled or trailing slashes.
fn test_canonicalize_path(_ctx: &mut EvalContext<'_>, args: &[Datum]) -> Result<Datum> {
    match &args[0] {
        Datum::Text(s) => Ok(Datum::Text(canonicalize_path(s))),
        other => Err(Error::internal(format!("text expected, got {other:?}"))),
    }
}

fn canonicalize_path(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                // Nothing is above the root.
                _ if absolute => {}
                _ => parts.push(".."),
            },
            other => parts.push(other),
        }
    }
    match (absolute, parts.is_empty()) {
        (true, _) => format!("/{}", parts.join("/")),
        (false, true) => ".".to_string(),
        (false, false) => parts.join("/"),
    }
}

/// `make_tuple_indirect(record)`: PostgreSQL returns the row with its varlena fields
/// replaced by in-memory indirect TOAST pointers, to exercise detoasting. tusk's values
/// hold their bytes directly and have no indirect pointers, so the row comes back as it
/// went in, which is what reading the indirect fields yields in PostgreSQL.
fn make_tuple_indirect(_ctx: &mut EvalContext<'_>, args: &[Datum]) -> Result<Datum> {
    Ok(args[0].clone())
}

/// `EXPECT_TRUE` / `EXPECT_EQ` of regress.c: an internal error naming the failed check.
fn expect(ok: bool, what: &str) -> Result<()> {
    if ok {
        Ok(())
    } else {
        Err(Error::internal(format!("{what} was unexpectedly false")))
    }
}

/// `test_atomic_ops()`: PostgreSQL's checks of its C atomics (flag, 32- and 64-bit
/// integers, spinlocks), run here against Rust's atomics, which tusk's shared state is
/// built on: the same sequence of operations with the same expected results, wrapping at
/// the same limits. True when every check holds; an internal error names the first that
/// fails.
fn test_atomic_ops(_ctx: &mut EvalContext<'_>, _args: &[Datum]) -> Result<Datum> {
    // The flag: test-and-set succeeds only when clear.
    let flag = AtomicBool::new(false);
    expect(!flag.load(Ordering::SeqCst), "flag starts clear")?;
    expect(
        !flag.swap(true, Ordering::SeqCst),
        "test_set_flag on a clear flag",
    )?;
    expect(flag.load(Ordering::SeqCst), "flag is set")?;
    expect(
        flag.swap(true, Ordering::SeqCst),
        "test_set_flag on a set flag",
    )?;
    flag.store(false, Ordering::SeqCst);
    expect(
        !flag.swap(true, Ordering::SeqCst),
        "test_set_flag after clear",
    )?;

    let v = AtomicU32::new(0);
    expect(v.load(Ordering::SeqCst) == 0, "read_u32 == 0")?;
    v.store(3, Ordering::SeqCst);
    expect(v.fetch_add(1, Ordering::SeqCst) == 3, "fetch_add_u32 == 3")?;
    expect(v.fetch_sub(1, Ordering::SeqCst) == 4, "fetch_sub_u32 == 4")?;
    expect(
        v.fetch_sub(3, Ordering::SeqCst) - 3 == 0,
        "sub_fetch_u32 == 0",
    )?;
    expect(
        v.fetch_add(10, Ordering::SeqCst) + 10 == 10,
        "add_fetch_u32 == 10",
    )?;
    expect(v.swap(5, Ordering::SeqCst) == 10, "exchange_u32 == 10")?;
    expect(v.swap(0, Ordering::SeqCst) == 5, "exchange_u32 == 5")?;
    // Around the limits: INT_MAX twice, then 2 more wraps to 0.
    expect(
        v.fetch_add(i32::MAX as u32, Ordering::SeqCst) == 0,
        "fetch_add INT_MAX",
    )?;
    expect(
        v.fetch_add(i32::MAX as u32, Ordering::SeqCst) == i32::MAX as u32,
        "fetch_add INT_MAX again",
    )?;
    v.fetch_add(2, Ordering::SeqCst);
    expect(v.load(Ordering::SeqCst) == 0, "wrapped to 0")?;
    expect(
        v.fetch_add(i16::MAX as u32, Ordering::SeqCst) == 0,
        "fetch_add INT16_MAX",
    )?;
    expect(
        v.fetch_add(i16::MAX as u32 + 1, Ordering::SeqCst) == i16::MAX as u32,
        "fetch_add INT16_MAX + 1",
    )?;
    expect(
        v.fetch_add(i16::MIN as i32 as u32, Ordering::SeqCst) == 2 * i16::MAX as u32 + 1,
        "fetch_add INT16_MIN",
    )?;
    expect(
        v.fetch_add((i16::MIN as i32 - 1) as u32, Ordering::SeqCst) == i16::MAX as u32,
        "fetch_add INT16_MIN - 1",
    )?;
    v.fetch_add(1, Ordering::SeqCst);
    expect(
        v.load(Ordering::SeqCst) == u32::MAX,
        "topped up to UINT_MAX",
    )?;
    expect(
        v.fetch_sub(i32::MAX as u32, Ordering::SeqCst) == u32::MAX,
        "fetch_sub INT_MAX",
    )?;
    expect(
        v.load(Ordering::SeqCst) == i32::MAX as u32 + 1,
        "read after fetch_sub",
    )?;
    expect(
        v.fetch_sub(i32::MAX as u32, Ordering::SeqCst) - i32::MAX as u32 == 1,
        "sub_fetch INT_MAX",
    )?;
    v.fetch_sub(1, Ordering::SeqCst);
    for expected in [
        i16::MAX as u32,
        i16::MAX as u32 + 1,
        i16::MIN as i32 as u32,
        (i16::MIN as i32 - 1) as u32,
        10,
    ] {
        expect(
            v.compare_exchange(expected, 1, Ordering::SeqCst, Ordering::SeqCst)
                .is_err(),
            "compare_exchange_u32 with a stale expected value fails",
        )?;
    }
    expect(
        v.compare_exchange(0, 1, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok(),
        "compare_exchange_u32 succeeds",
    )?;
    expect(v.load(Ordering::SeqCst) == 1, "read_u32 == 1")?;
    v.store(0, Ordering::SeqCst);
    expect(
        v.fetch_or(1, Ordering::SeqCst) & 1 == 0,
        "fetch_or_u32 sets bit 1",
    )?;
    expect(
        v.fetch_or(2, Ordering::SeqCst) & 1 == 1,
        "fetch_or_u32 keeps bit 1",
    )?;
    expect(v.load(Ordering::SeqCst) == 3, "read_u32 == 3")?;
    expect(
        v.fetch_and(!2, Ordering::SeqCst) & 3 == 3,
        "fetch_and_u32 ~2",
    )?;
    expect(v.fetch_and(!1, Ordering::SeqCst) == 1, "fetch_and_u32 ~1")?;
    expect(v.fetch_and(!0, Ordering::SeqCst) == 0, "no bits set")?;

    let w = AtomicU64::new(0);
    expect(w.load(Ordering::SeqCst) == 0, "read_u64 == 0")?;
    w.store(3, Ordering::SeqCst);
    expect(w.fetch_add(1, Ordering::SeqCst) == 3, "fetch_add_u64 == 3")?;
    expect(w.fetch_sub(1, Ordering::SeqCst) == 4, "fetch_sub_u64 == 4")?;
    expect(
        w.fetch_sub(3, Ordering::SeqCst) - 3 == 0,
        "sub_fetch_u64 == 0",
    )?;
    expect(
        w.fetch_add(10, Ordering::SeqCst) + 10 == 10,
        "add_fetch_u64 == 10",
    )?;
    expect(w.swap(5, Ordering::SeqCst) == 10, "exchange_u64 == 10")?;
    expect(w.swap(0, Ordering::SeqCst) == 5, "exchange_u64 == 5")?;
    expect(
        w.compare_exchange(10, 1, Ordering::SeqCst, Ordering::SeqCst)
            .is_err(),
        "compare_exchange_u64 with a stale expected value fails",
    )?;
    expect(
        w.compare_exchange(0, 1, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok(),
        "compare_exchange_u64 succeeds",
    )?;
    expect(w.load(Ordering::SeqCst) == 1, "read_u64 == 1")?;
    w.store(0, Ordering::SeqCst);
    expect(
        w.fetch_or(1, Ordering::SeqCst) & 1 == 0,
        "fetch_or_u64 sets bit 1",
    )?;
    expect(
        w.fetch_or(2, Ordering::SeqCst) & 1 == 1,
        "fetch_or_u64 keeps bit 1",
    )?;
    expect(w.load(Ordering::SeqCst) == 3, "read_u64 == 3")?;
    expect(
        w.fetch_and(!2, Ordering::SeqCst) & 3 == 3,
        "fetch_and_u64 ~2",
    )?;
    expect(w.fetch_and(!1, Ordering::SeqCst) == 1, "fetch_and_u64 ~1")?;
    expect(w.fetch_and(!0, Ordering::SeqCst) == 0, "no bits set (u64)")?;

    // The spinlock checks: a held lock cannot be taken again; release frees it, and the
    // bytes around the lock are untouched.
    let guarded = ([b'a', b'b', b'c', b'd'], AtomicBool::new(false), *b"ef12");
    expect(
        guarded
            .1
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_ok(),
        "spinlock acquired",
    )?;
    expect(
        guarded
            .1
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err(),
        "held spinlock not acquired again",
    )?;
    guarded.1.store(false, Ordering::Release);
    expect(
        &guarded.0 == b"abcd" && &guarded.2 == b"ef12",
        "padding around the spinlock intact",
    )?;
    Ok(Datum::Bool(true))
}

/// `test_fdw_handler()`: a handler that only fails, as PostgreSQL's does.
fn test_fdw_handler(_ctx: &mut EvalContext<'_>, _args: &[Datum]) -> Result<Datum> {
    Err(Error::internal("test_fdw_handler is not implemented"))
}

/// `trigger_return_old()`: returns the trigger's row unchanged (`tg_trigtuple`), so an
/// UPDATE keeps the old row and an INSERT writes the row as given.
fn trigger_return_old(_ctx: &mut EvalContext<'_>, call: &TriggerCall<'_>) -> Result<Datum> {
    Ok(trigger_tuple(call)
        .map(|r| Datum::Record(Box::new(r.clone())))
        .unwrap_or(Datum::Null))
}

const TTDUMMY_INFINITY: i32 = 999_999;

thread_local! {
    /// ttdummy's switch (rule 4 of the module above): true when turned off.
    static TTDUMMY_OFF: Cell<bool> = const { Cell::new(false) };
}

/// `set_ttdummy(on int4)`: turns ttdummy on (non-zero) or off; returns 1 if it was on.
fn set_ttdummy(_ctx: &mut EvalContext<'_>, args: &[Datum]) -> Result<Datum> {
    let on = matches!(args[0], Datum::Int4(v) if v != 0);
    let was_on = !TTDUMMY_OFF.with(|c| c.replace(!on));
    Ok(Datum::Int4(i32::from(was_on)))
}

/// `ttdummy(start, stop)`: a BEFORE UPDATE OR DELETE row trigger keeping a row's history
/// ("time travel"): an UPDATE or DELETE of a current row (`stop` = 999999) inserts a
/// copy that ends now (DELETE) or starts now (UPDATE), the time being
/// `nextval('ttdummy_seq')`; rows no longer current are left alone (the change skipped).
fn ttdummy(ctx: &mut EvalContext<'_>, call: &TriggerCall<'_>) -> Result<Datum> {
    use tusk_executor::trigger::TriggerEvent;
    if call.level != "ROW" {
        return Err(Error::internal("ttdummy: must be fired for row"));
    }
    if call.when != "BEFORE" {
        return Err(Error::internal("ttdummy: must be fired before event"));
    }
    if call.event == TriggerEvent::Insert {
        return Err(Error::internal("ttdummy: cannot process INSERT event"));
    }
    let old = trigger_tuple(call).ok_or_else(|| Error::internal("ttdummy: no row"))?;
    let new = trigger_new_tuple(call);
    let relname = call.relname;
    if TTDUMMY_OFF.with(Cell::get) {
        return Ok(Datum::Record(Box::new(new.unwrap_or(old).clone())));
    }
    let args = &call.trigger.args;
    if args.len() != 2 {
        return Err(Error::internal(format!(
            "ttdummy ({relname}): invalid (!= 2) number of arguments {}",
            args.len()
        )));
    }
    let mut attnum = [0usize; 2];
    for (i, name) in args.iter().enumerate() {
        let n = field_number(old, name).ok_or_else(|| {
            Error::internal(format!("ttdummy ({relname}): there is no attribute {name}"))
        })?;
        if old.desc.fields[n].type_oid != type_oid::INT4 {
            return Err(Error::internal(format!(
                "ttdummy ({relname}): attribute {name} must be of integer type"
            )));
        }
        attnum[i] = n;
    }
    let int_at = |r: &Record, i: usize| -> Result<i32> {
        match r.values[attnum[i]] {
            Datum::Int4(v) => Ok(v),
            _ => Err(Error::internal(format!(
                "ttdummy ({relname}): {} must be NOT NULL",
                args[i]
            ))),
        }
    };
    let (old_on, old_off) = (int_at(old, 0)?, int_at(old, 1)?);
    if let Some(new) = new {
        let (new_on, new_off) = (int_at(new, 0)?, int_at(new, 1)?);
        if old_on != new_on || old_off != new_off {
            return Err(pg_err!(
                FEATURE_NOT_SUPPORTED,
                "ttdummy ({}): you cannot change {} and/or {} columns (use set_ttdummy)",
                relname,
                args[0],
                args[1]
            ));
        }
        if new_off != TTDUMMY_INFINITY {
            return Ok(Datum::Null);
        }
    } else if old_off != TTDUMMY_INFINITY {
        return Ok(Datum::Null);
    }
    let now = super::nextval_int4(ctx, "ttdummy_seq")?;
    // The history row: the new values starting now (UPDATE), or the old ones ending now
    // (DELETE).
    let mut values = new.unwrap_or(old).values.clone();
    if new.is_some() {
        values[attnum[0]] = Datum::Int4(now);
        values[attnum[1]] = Datum::Int4(TTDUMMY_INFINITY);
    } else {
        values[attnum[1]] = Datum::Int4(now);
    }
    let fields = &old.desc.fields;
    let placeholders: Vec<String> = (1..=fields.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "INSERT INTO {} VALUES ({})",
        relname,
        placeholders.join(", ")
    );
    let params: Vec<(Oid, Datum)> = fields.iter().map(|f| f.type_oid).zip(values).collect();
    super::spi_execute(ctx, &sql, &params)?;
    // The row the UPDATE writes is the old one ending now; a DELETE goes ahead.
    Ok(Datum::Record(Box::new(match new {
        Some(_) => {
            let mut ended = old.clone();
            ended.values[attnum[1]] = Datum::Int4(now);
            ended
        }
        None => old.clone(),
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_paths_match_postgres() {
        for (input, want) in [
            ("/", "/"),
            ("/./abc/def/", "/abc/def"),
            ("/./../abc/def", "/abc/def"),
            ("/abc/./../def/ghi//", "/def/ghi"),
            ("/abc/def/../../..", "/"),
            ("/abc/def/../../../../ghi/jkl", "/ghi/jkl"),
            (".", "."),
            ("./abc/..", "."),
            ("abc/../def", "def"),
            ("..", ".."),
            ("../abc/..", ".."),
            ("../abc/../../def/ghi", "../../def/ghi"),
            ("./abc/./def/.././ghi/../../../jkl/mno", "../jkl/mno"),
        ] {
            assert_eq!(canonicalize_path(input), want, "{input}");
        }
    }

    #[test]
    fn symbols_of_the_suite_are_provided() {
        for name in [
            "binary_coercible",
            "ttdummy",
            "trigger_return_old",
            "interpt_pp",
        ] {
            assert!(symbol(name).is_some(), "{name}");
        }
        assert!(symbol("nosuchsymbol").is_none());
    }
}
