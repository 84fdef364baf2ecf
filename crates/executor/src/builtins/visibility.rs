//! The schema visibility functions of the catalogs other than relations, types and
//! functions (PostgreSQL docs §9.26, table 9.69): `pg_operator_is_visible`,
//! `pg_opclass_is_visible`, `pg_opfamily_is_visible`, `pg_collation_is_visible`,
//! `pg_conversion_is_visible`, `pg_statistics_obj_is_visible` and the text search ones;
//! an object is visible when no object of the same name comes earlier on the search path.
//! Also `pg_tablespace_location`.
//!
//! tusk has no user-defined operators yet, so an operator's name alone decides (PostgreSQL
//! also compares argument types).
//!
//! Entry point: `register` (called from `builtins/mod.rs`).

use tusk_types::{Datum, Oid};

use super::catalog_info::{is_visible, oid_arg};
use super::{reg, Table};

/// Registers `function` as the visibility test over `catalog`'s name and namespace
/// columns.
macro_rules! visibility {
    ($t:expr, $function:literal, $catalog:literal, $name:literal, $namespace:literal) => {
        reg($t, &[$function], |ctx, a| {
            let oid = oid_arg(&a[0]).unwrap_or(Oid::INVALID);
            is_visible(ctx.session, $catalog, $name, $namespace, oid)
        });
    };
}

pub(super) fn register(t: &mut Table) {
    visibility!(
        t,
        "pg_operator_is_visible",
        "pg_operator",
        "oprname",
        "oprnamespace"
    );
    visibility!(
        t,
        "pg_opclass_is_visible",
        "pg_opclass",
        "opcname",
        "opcnamespace"
    );
    visibility!(
        t,
        "pg_opfamily_is_visible",
        "pg_opfamily",
        "opfname",
        "opfnamespace"
    );
    visibility!(
        t,
        "pg_collation_is_visible",
        "pg_collation",
        "collname",
        "collnamespace"
    );
    visibility!(
        t,
        "pg_conversion_is_visible",
        "pg_conversion",
        "conname",
        "connamespace"
    );
    visibility!(
        t,
        "pg_statistics_obj_is_visible",
        "pg_statistic_ext",
        "stxname",
        "stxnamespace"
    );
    visibility!(
        t,
        "pg_ts_parser_is_visible",
        "pg_ts_parser",
        "prsname",
        "prsnamespace"
    );
    visibility!(
        t,
        "pg_ts_dict_is_visible",
        "pg_ts_dict",
        "dictname",
        "dictnamespace"
    );
    visibility!(
        t,
        "pg_ts_template_is_visible",
        "pg_ts_template",
        "tmplname",
        "tmplnamespace"
    );
    visibility!(
        t,
        "pg_ts_config_is_visible",
        "pg_ts_config",
        "cfgname",
        "cfgnamespace"
    );
    // Every tablespace tusk has is one of the built-in two, which live in the data
    // directory: their location is empty, as PostgreSQL reports it.
    reg(t, &["pg_tablespace_location"], |_, _| {
        Ok(Datum::Text(String::new()))
    });
}
