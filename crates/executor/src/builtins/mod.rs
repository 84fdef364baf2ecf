//! Built-in functions, keyed by `pg_proc.prosrc` (the implementation name PostgreSQL's
//! catalog gives each internal function), so the analyzer's resolution against PostgreSQL
//! 15's catalog leads straight to an implementation.
//!
//! Entry point: [`lookup`]. A function the catalog has but tusk does not implement yet
//! answers 0A000 naming it.

mod acl_functions;
pub mod aggregate;
mod arith;
mod array;
mod array_compare;
mod binary_codec;
mod bit;
mod bitwise;
mod bytea;
mod cast;
mod catalog_info;
pub use catalog_info::encoding_name;
mod compare;
mod datetime;
mod dbsize;
mod describe_object;
mod extension;
mod foreign_data;
mod format;
mod formatting;
mod function_def;
pub mod geo;
mod in_range;
mod index_def;
mod json;
pub mod json_build;
mod json_record;
pub(crate) mod json_subscript;
mod jsonpath;
mod mac;
mod money;
mod multirange;
mod name;
mod network;
mod numeric;
mod partition_info;
mod pg_lsn;
mod privileges;
mod privileges_acl;
mod publication_info;
mod range;
mod record_compare;
mod reg_lookup;
mod regex;
mod regression_aggregate;
mod role_privileges;
mod sequence;
mod series;
mod system;
mod text;
mod text_edit;
mod trigger_def;
mod tsearch;
mod user_aggregate;
mod uuid;
mod visibility;
mod xid8;
mod xml;

pub use catalog_info::format_type_with_typmod;
pub(crate) use compare::compare as compare_values;
pub(crate) use jsonpath::check_jsonpath_regex;

use std::collections::HashMap;
use std::sync::OnceLock;

use tusk_types::{Datum, Error, Oid, Result, SqlState};

use crate::EvalContext;

/// A scalar function: arguments in, one value out. Strict functions are never called with
/// a NULL argument (the evaluator returns NULL first).
pub type ScalarFn = fn(&mut EvalContext<'_>, &[Datum]) -> Result<Datum>;

/// A set-returning function: all its rows (a function in FROM or at the top of a target).
pub type SetFn = fn(&mut EvalContext<'_>, &[Datum]) -> Result<Vec<Datum>>;

/// A function returning a set of records (OUT or TABLE arguments): each row has one
/// value per result column.
pub type RowsFn = fn(&mut EvalContext<'_>, &[Datum]) -> Result<Vec<Vec<Datum>>>;

/// An implementation.
#[derive(Clone, Copy)]
pub enum Builtin {
    /// Returns one value.
    Scalar(ScalarFn),
    /// Returns a set of values.
    Set(SetFn),
    /// Returns a set of records (only in FROM).
    Rows(RowsFn),
}

type Table = HashMap<&'static str, Builtin>;

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = Table::new();
        arith::register(&mut t);
        regression_aggregate::register(&mut t);
        aggregate::register(&mut t);
        array::register(&mut t);
        bytea::register(&mut t);
        array_compare::register(&mut t);
        cast::register(&mut t);
        catalog_info::register(&mut t);
        partition_info::register(&mut t);
        publication_info::register(&mut t);
        compare::register(&mut t);
        series::register(&mut t);
        system::register(&mut t);
        text::register(&mut t);
        datetime::register(&mut t);
        numeric::register(&mut t);
        sequence::register(&mut t);
        formatting::register(&mut t);
        regex::register(&mut t);
        format::register(&mut t);
        text_edit::register(&mut t);
        binary_codec::register(&mut t);
        name::register(&mut t);
        dbsize::register(&mut t);
        bitwise::register(&mut t);
        json::register(&mut t);
        foreign_data::register(&mut t);
        json_build::register(&mut t);
        json_record::register(&mut t);
        jsonpath::register(&mut t);
        uuid::register(&mut t);
        pg_lsn::register(&mut t);
        network::register(&mut t);
        mac::register(&mut t);
        extension::register(&mut t);
        describe_object::register(&mut t);
        bit::register(&mut t);
        money::register(&mut t);
        geo::register(&mut t);
        index_def::register(&mut t);
        in_range::register(&mut t);
        trigger_def::register(&mut t);
        visibility::register(&mut t);
        function_def::register(&mut t);
        privileges::register(&mut t);
        acl_functions::register(&mut t);
        role_privileges::register(&mut t);
        record_compare::register(&mut t);
        range::register(&mut t);
        multirange::register(&mut t);
        reg_lookup::register(&mut t);
        tsearch::register(&mut t);
        xid8::register(&mut t);
        xml::register(&mut t);
        t
    })
}

/// The implementation of a `pg_proc` row by OID.
///
/// Errors: 0A000 `function name(types) is not supported yet` when tusk lacks it.
pub fn lookup(proc: Oid) -> Result<Builtin> {
    let catalog = tusk_catalog::builtin();
    let row = catalog
        .proc_by_oid(proc)
        .ok_or_else(|| Error::internal(format!("cache lookup failed for function {}", proc.0)))?;
    // SQL-language built-ins (`round(numeric)`, `age(timestamp)`, ...) are implemented
    // per OID; internal functions are keyed by prosrc, and those whose prosrc is a query
    // (textanycat's `select $1 || $2::pg_catalog.text`) or empty (a standard-SQL body in
    // prosqlbody: `numeric_pl_pg_lsn`) by name.
    if let Some(f) = datetime::sql_language_function(proc.0)
        .or_else(|| numeric::sql_language_function(proc.0))
        .or_else(|| bit::sql_language_function(proc.0))
        .or_else(|| datetime::timetz_sql_language_function(proc.0))
        .or_else(|| regex::sql_language_function(proc.0))
        .or_else(|| text_edit::sql_language_function(proc.0))
        .or_else(|| catalog_info::sql_language_function(proc.0))
    {
        return Ok(Builtin::Scalar(f));
    }
    let key = if row.src.contains(' ') || row.src.is_empty() {
        row.name.as_str()
    } else {
        row.src.as_str()
    };
    table().get(key).copied().ok_or_else(|| {
        let args: Vec<String> = row
            .arg_types
            .iter()
            .map(|t| crate::io::format_type(*t))
            .collect();
        Error::new(
            SqlState::FEATURE_NOT_SUPPORTED,
            format!(
                "function {}({}) is not supported yet",
                row.name,
                args.join(", ")
            ),
        )
    })
}

/// The internal function whose `prosrc` is `name`.
pub fn by_src(name: &str) -> Option<Builtin> {
    table().get(name).copied()
}

fn reg(t: &mut Table, names: &[&'static str], f: ScalarFn) {
    for n in names {
        t.insert(n, Builtin::Scalar(f));
    }
}
