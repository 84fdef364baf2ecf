//! ALTER TABLE subcommands that change a relation's settings rather than its columns or
//! constraints: storage parameters (`SET (...)` / `RESET (...)` in `pg_class.reloptions`),
//! `OWNER TO`, and the per-column `SET STATISTICS` / `SET STORAGE`. They only record the
//! setting (tusk's heap does not apply fillfactor, ANALYZE does not sample, and values are
//! stored inline), with PostgreSQL's checks and errors.
//!
//! Entry points: the `Session::at_*` methods `Session::alter_table` dispatches to.

use std::sync::Arc;

use tusk_catalog::syscat;
use tusk_types::adt::array::Array;
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result, SqlState};

use super::Session;
use crate::relcache::RelEntry;
use crate::sink::{NoticeSeverity, Sink};

fn fillfactor_value(value: Option<&str>) -> Result<i64> {
    let v: i64 = value.and_then(|v| v.parse().ok()).ok_or_else(|| {
        pg_err!(
            INVALID_PARAMETER_VALUE,
            "invalid value for integer option \"fillfactor\": {}",
            value.unwrap_or_default()
        )
    })?;
    if !(10..=100).contains(&v) {
        return Err(pg_err!(
            INVALID_PARAMETER_VALUE,
            "value {} out of bounds for option \"fillfactor\"",
            v
        )
        .detail("Valid values are between \"10\" and \"100\"."));
    }
    Ok(v)
}

/// The type and valid values of one heap storage parameter (PostgreSQL's
/// `reloptions.c` tables).
#[derive(Debug, Clone, Copy)]
enum OptionKind {
    Bool,
    Int(i64, i64),
    Real(f64, f64),
    /// `vacuum_index_cleanup`'s values.
    IndexCleanup,
}

/// One heap storage parameter: name, kind, and whether a TOAST table has it too.
const HEAP_OPTIONS: &[(&str, OptionKind, bool)] = {
    use OptionKind::*;
    const MAX: i64 = i32::MAX as i64;
    &[
        ("fillfactor", Int(10, 100), false),
        ("autovacuum_enabled", Bool, true),
        ("user_catalog_table", Bool, false),
        ("vacuum_truncate", Bool, true),
        ("vacuum_index_cleanup", IndexCleanup, true),
        ("autovacuum_vacuum_threshold", Int(0, MAX), true),
        ("autovacuum_vacuum_insert_threshold", Int(-1, MAX), true),
        ("autovacuum_analyze_threshold", Int(0, MAX), false),
        ("autovacuum_vacuum_cost_limit", Int(1, 10000), true),
        ("autovacuum_freeze_min_age", Int(0, 1_000_000_000), true),
        (
            "autovacuum_multixact_freeze_min_age",
            Int(0, 1_000_000_000),
            true,
        ),
        (
            "autovacuum_freeze_max_age",
            Int(100_000, 2_000_000_000),
            true,
        ),
        (
            "autovacuum_multixact_freeze_max_age",
            Int(10_000, 2_000_000_000),
            true,
        ),
        ("autovacuum_freeze_table_age", Int(0, 2_000_000_000), true),
        (
            "autovacuum_multixact_freeze_table_age",
            Int(0, 2_000_000_000),
            true,
        ),
        ("log_autovacuum_min_duration", Int(-1, MAX), true),
        ("toast_tuple_target", Int(128, 8160), false),
        ("parallel_workers", Int(0, 1024), false),
        ("autovacuum_vacuum_cost_delay", Real(0.0, 100.0), true),
        ("autovacuum_vacuum_scale_factor", Real(0.0, 100.0), true),
        (
            "autovacuum_vacuum_insert_scale_factor",
            Real(0.0, 100.0),
            true,
        ),
        ("autovacuum_analyze_scale_factor", Real(0.0, 100.0), false),
    ]
};

/// The storage parameters of a B-tree index (PostgreSQL's `btoptions`).
const BTREE_OPTIONS: &[(&str, OptionKind, bool)] = &[
    ("fillfactor", OptionKind::Int(10, 100), false),
    ("deduplicate_items", OptionKind::Bool, false),
];

/// Checks heap storage parameter `name` (of a TOAST table when `toast`) set to `value`
/// (`None`: written without a value, which means `true`) and returns the text stored
/// in `reloptions`, the value as written (PostgreSQL's `parse_one_reloption`).
///
/// Errors: 22023 `unrecognized parameter "x"`, `invalid value for boolean option "x":
/// v` (and integer, floating point, enum with its DETAIL), `value v out of bounds for
/// option "x"` with the valid range as DETAIL.
fn heap_option(name: &str, value: Option<&str>, toast: bool) -> Result<String> {
    checked_option(HEAP_OPTIONS, name, value, toast)
}

/// [`heap_option`] for a B-tree index's parameters (`fillfactor`, `deduplicate_items`).
fn btree_option(name: &str, value: Option<&str>) -> Result<String> {
    checked_option(BTREE_OPTIONS, name, value, false)
}

/// The storage parameters of `CREATE INDEX ... WITH (...)` for a B-tree index, each
/// checked, as `reloptions` stores them (`name=value`, in the order written).
///
/// Errors: those of [`heap_option`] for the B-tree's parameters; 22023 `unrecognized
/// parameter namespace "x"`, `parameter "x" specified more than once`.
pub(super) fn index_reloptions(
    options: &[(String, Option<String>)],
) -> Result<Vec<(String, String)>> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (name, value) in options {
        if let Some((namespace, _)) = name.split_once('.') {
            return Err(pg_err!(
                INVALID_PARAMETER_VALUE,
                "unrecognized parameter namespace \"{}\"",
                namespace
            ));
        }
        let stored = btree_option(name, value.as_deref())?;
        if out.iter().any(|(n, _)| n == name) {
            return Err(pg_err!(
                INVALID_PARAMETER_VALUE,
                "parameter \"{}\" specified more than once",
                name
            ));
        }
        out.push((name.clone(), stored));
    }
    Ok(out)
}

fn checked_option(
    options: &[(&str, OptionKind, bool)],
    name: &str,
    value: Option<&str>,
    toast: bool,
) -> Result<String> {
    let found = options
        .iter()
        .find(|(n, _, in_toast)| *n == name && (*in_toast || !toast));
    let Some((_, kind, _)) = found else {
        return Err(pg_err!(
            INVALID_PARAMETER_VALUE,
            "unrecognized parameter \"{}\"",
            name
        ));
    };
    let shown = value.unwrap_or("true");
    let text = shown.trim();
    let out_of_bounds = |detail: String| {
        pg_err!(
            INVALID_PARAMETER_VALUE,
            "value {} out of bounds for option \"{}\"",
            shown,
            name
        )
        .detail(detail)
    };
    match *kind {
        OptionKind::Bool => {
            if tusk_types::adt::bool::parse_bool(text).is_none() {
                return Err(pg_err!(
                    INVALID_PARAMETER_VALUE,
                    "invalid value for boolean option \"{}\": {}",
                    name,
                    shown
                ));
            }
        }
        OptionKind::Int(min, max) => {
            let v: i64 = text.parse().map_err(|_| {
                pg_err!(
                    INVALID_PARAMETER_VALUE,
                    "invalid value for integer option \"{}\": {}",
                    name,
                    shown
                )
            })?;
            if !(min..=max).contains(&v) {
                return Err(out_of_bounds(format!(
                    "Valid values are between \"{min}\" and \"{max}\"."
                )));
            }
        }
        OptionKind::Real(min, max) => {
            let v: f64 = text.parse().map_err(|_| {
                pg_err!(
                    INVALID_PARAMETER_VALUE,
                    "invalid value for floating point option \"{}\": {}",
                    name,
                    shown
                )
            })?;
            if !(min..=max).contains(&v) {
                return Err(out_of_bounds(format!(
                    "Valid values are between \"{min:.6}\" and \"{max:.6}\"."
                )));
            }
        }
        OptionKind::IndexCleanup => {
            let valid = ["auto", "on", "off", "true", "false", "yes", "no", "1", "0"];
            if !valid.iter().any(|v| v.eq_ignore_ascii_case(text)) {
                return Err(pg_err!(
                    INVALID_PARAMETER_VALUE,
                    "invalid value for enum option \"{}\": {}",
                    name,
                    shown
                )
                .detail("Valid values are \"on\", \"off\", and \"auto\"."));
            }
        }
    }
    Ok(shown.to_string())
}

/// The storage parameters of `CREATE TABLE ... WITH (...)` (PostgreSQL's
/// `transformRelOptions` and `heap_reloptions`): the table's `name=value` entries and
/// its TOAST table's (`toast.name`), each checked. `oids = false` is accepted and not
/// stored.
///
/// Errors: those of `heap_option`; 22023 `unrecognized parameter namespace "x"`,
/// `parameter "x" specified more than once`; 0A000 `tables declared WITH OIDS are not
/// supported`.
pub(super) fn table_reloptions(
    options: &[(String, Option<String>)],
) -> Result<(Vec<String>, Vec<String>)> {
    let mut heap: Vec<String> = Vec::new();
    let mut toast: Vec<String> = Vec::new();
    for (name, value) in options {
        let (namespace, bare) = match name.split_once('.') {
            Some((ns, bare)) => (Some(ns), bare),
            None => (None, name.as_str()),
        };
        if let Some(ns) = namespace.filter(|ns| *ns != "toast") {
            return Err(pg_err!(
                INVALID_PARAMETER_VALUE,
                "unrecognized parameter namespace \"{}\"",
                ns
            ));
        }
        if namespace.is_none() && bare == "oids" {
            let on = value
                .as_deref()
                .map_or(Some(true), |v| tusk_types::adt::bool::parse_bool(v.trim()));
            if on == Some(true) {
                return Err(Error::new(
                    SqlState::FEATURE_NOT_SUPPORTED,
                    "tables declared WITH OIDS are not supported",
                ));
            }
            continue;
        }
        let is_toast = namespace.is_some();
        let stored = heap_option(bare, value.as_deref(), is_toast)?;
        let list = if is_toast { &mut toast } else { &mut heap };
        if list
            .iter()
            .any(|e| e.split_once('=').is_some_and(|(n, _)| n == bare))
        {
            return Err(pg_err!(
                INVALID_PARAMETER_VALUE,
                "parameter \"{}\" specified more than once",
                bare
            ));
        }
        list.push(format!("{bare}={stored}"));
    }
    Ok((heap, toast))
}

impl Session {
    /// `SET (name = value, ...)`: storage parameters in `pg_class.reloptions`.
    ///
    /// Errors: 22023 `unrecognized parameter "x"`, `value v out of bounds for option
    /// "fillfactor"`.
    pub(super) fn at_set_options(
        &mut self,
        table: &Arc<RelEntry>,
        options: &[(String, Option<String>)],
    ) -> Result<()> {
        let mut values: Vec<(String, String)> = self.reloptions(table.info.oid)?;
        for (name, value) in options {
            let value = match name.as_str() {
                "fillfactor" if matches!(table.info.kind, b'r' | b'm') => {
                    fillfactor_value(value.as_deref())?.to_string()
                }
                _ if matches!(table.info.kind, b'i' | b'I') => {
                    btree_option(name, value.as_deref())?
                }
                _ if matches!(table.info.kind, b'r' | b'm') => {
                    heap_option(name, value.as_deref(), false)?
                }
                _ if table.info.kind == b'v' => {
                    let stored = super::view_ddl::view_option(name, value.as_deref())?;
                    let (_, v) = stored.split_once('=').expect("name=value");
                    v.to_string()
                }
                _ => {
                    return Err(pg_err!(
                        INVALID_PARAMETER_VALUE,
                        "unrecognized parameter \"{}\"",
                        name
                    ))
                }
            };
            values.retain(|(n, _)| n != name);
            values.push((name.clone(), value));
        }
        self.store_reloptions(table.info.oid, values)
    }

    /// `RESET (name, ...)`.
    pub(super) fn at_reset_options(
        &mut self,
        table: &Arc<RelEntry>,
        names: &[String],
    ) -> Result<()> {
        let mut values = self.reloptions(table.info.oid)?;
        values.retain(|(n, _)| !names.contains(n));
        self.store_reloptions(table.info.oid, values)
    }

    fn reloptions(&self, rel: Oid) -> Result<Vec<(String, String)>> {
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        let (c_oid, c_options) = (class.col("oid"), class.col("reloptions"));
        let row = self
            .catalog_reader()
            .scan(class)?
            .into_iter()
            .find(|(_, r)| r[c_oid] == Datum::Oid(rel.0));
        Ok(match row.map(|(_, r)| r[c_options].clone()) {
            Some(Datum::Array(a)) => a
                .elems
                .iter()
                .filter_map(|e| match e {
                    Datum::Text(t) => t
                        .split_once('=')
                        .map(|(n, v)| (n.to_string(), v.to_string())),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        })
    }

    /// Stores the checked `WITH (...)` options of a table just created (and made
    /// visible): `heap` in its `pg_class` row, `toast` in its TOAST table's, if it has
    /// one (PostgreSQL checks them either way).
    ///
    /// Errors: catalog read and write errors.
    pub(super) fn store_table_reloptions(
        &mut self,
        rel: Oid,
        heap: Vec<String>,
        toast: Vec<String>,
    ) -> Result<()> {
        let split = |list: Vec<String>| -> Vec<(String, String)> {
            list.into_iter()
                .filter_map(|e| {
                    e.split_once('=')
                        .map(|(n, v)| (n.to_string(), v.to_string()))
                })
                .collect()
        };
        if heap.is_empty() && toast.is_empty() {
            return Ok(());
        }
        // The rows the TOAST table's creation wrote must be visible to be updated.
        self.txn.command_counter_increment();
        if !toast.is_empty() {
            let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
            let (c_oid, c_toast) = (class.col("oid"), class.col("reltoastrelid"));
            let toast_rel = self
                .catalog_reader()
                .scan(class)?
                .into_iter()
                .find(|(_, r)| r[c_oid] == Datum::Oid(rel.0))
                .and_then(|(_, r)| match r[c_toast] {
                    Datum::Oid(t) if t != 0 => Some(Oid(t)),
                    _ => None,
                });
            if let Some(toast_rel) = toast_rel {
                self.store_reloptions(toast_rel, split(toast))?;
            }
        }
        // After the TOAST table is found: a row this command updates is not read again.
        if !heap.is_empty() {
            self.store_reloptions(rel, split(heap))?;
        }
        // What CREATE TABLE does next (indexes, constraints) reads the rows again.
        self.txn.command_counter_increment();
        Ok(())
    }

    /// Writes `values` as `rel`'s `pg_class.reloptions` (NULL when empty).
    ///
    /// Errors: catalog read and write errors.
    pub(super) fn store_reloptions(
        &mut self,
        rel: Oid,
        values: Vec<(String, String)>,
    ) -> Result<()> {
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        let c_options = class.col("reloptions");
        let datum = if values.is_empty() {
            Datum::Null
        } else {
            Datum::Array(Box::new(Array::from_elements(
                type_oid::TEXT,
                values
                    .into_iter()
                    .map(|(n, v)| Datum::Text(format!("{n}={v}")))
                    .collect(),
            )))
        };
        self.update_class_row(rel, |r| r[c_options] = datum)
    }

    /// `ALTER [COLUMN] c SET STATISTICS n`: `pg_attribute.attstattarget` (ANALYZE does not
    /// sample yet, so the target is only recorded).
    ///
    /// Errors: 22023 `statistics target n is too low`; a WARNING lowers targets above
    /// 10000; 0A000 `cannot alter statistics on non-expression column "a" of index "i"`
    /// (every index column tusk builds is a plain column); 42703, 428C9.
    pub(super) fn at_set_statistics(
        &mut self,
        table: &Arc<RelEntry>,
        column: &str,
        number: i16,
        target: i32,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        if target < -1 {
            return Err(pg_err!(
                INVALID_PARAMETER_VALUE,
                "statistics target {} is too low",
                target
            ));
        }
        let target = if target > 10000 {
            sink.notice(
                NoticeSeverity::Warning,
                &pg_err!(
                    INVALID_PARAMETER_VALUE,
                    "lowering statistics target to 10000"
                ),
            );
            10000
        } else {
            target
        };
        if table.info.kind == b'i' {
            let name = if number > 0 {
                table
                    .info
                    .columns
                    .get(number as usize - 1)
                    .map(|c| c.name.clone())
                    .ok_or_else(|| {
                        pg_err!(
                            UNDEFINED_COLUMN,
                            "column number {} of relation \"{}\" does not exist",
                            number,
                            table.info.name
                        )
                    })?
            } else {
                column.to_string()
            };
            return Err(Error::new(
                SqlState::FEATURE_NOT_SUPPORTED,
                format!(
                    "cannot alter statistics on non-expression column \"{}\" of index \"{}\"",
                    name, table.info.name
                ),
            )
            .hint("Alter statistics on table column instead."));
        }
        let attnum = self.alter_column_attnum(table, column)?;
        let attribute = syscat::system_catalog(syscat::PG_ATTRIBUTE).expect("pg_attribute");
        let c_target = attribute.col("attstattarget");
        self.update_attribute_row(table.info.oid, attnum, |r| {
            r[c_target] = Datum::Int4(target)
        })
    }

    /// `ALTER [COLUMN] c SET STORAGE mode`: `pg_attribute.attstorage` (tusk stores every
    /// value inline, so the mode is only recorded).
    ///
    /// Errors: 22023 `invalid storage type "x"`; 42804 `column data type integer can only
    /// have storage PLAIN`; 42703, 428C9.
    pub(super) fn at_set_storage(
        &mut self,
        table: &Arc<RelEntry>,
        column: &str,
        storage: &str,
    ) -> Result<()> {
        let code = match storage {
            "plain" => "p",
            "external" => "e",
            "extended" => "x",
            "main" => "m",
            other => {
                return Err(pg_err!(
                    INVALID_PARAMETER_VALUE,
                    "invalid storage type \"{}\"",
                    other
                ))
            }
        };
        let attnum = self.alter_column_attnum(table, column)?;
        let type_oid = table.info.columns[attnum as usize - 1].type_oid;
        let fixed = tusk_catalog::builtin()
            .type_by_oid(type_oid)
            .is_some_and(|t| t.len != -1);
        if fixed && code != "p" {
            return Err(pg_err!(
                DATATYPE_MISMATCH,
                "column data type {} can only have storage PLAIN",
                tusk_executor::io::format_type(type_oid)
            ));
        }
        let attribute = syscat::system_catalog(syscat::PG_ATTRIBUTE).expect("pg_attribute");
        let c_storage = attribute.col("attstorage");
        self.update_attribute_row(table.info.oid, attnum, |r| {
            r[c_storage] = Datum::Text(code.into())
        })
    }

    /// `OWNER TO role`: the role must exist (`pg_authid`).
    ///
    /// Errors: 42704 `role "x" does not exist`; 0A000 for CURRENT_USER and the like.
    pub(super) fn at_owner(&mut self, table: &Arc<RelEntry>, role: &str) -> Result<()> {
        let role = match role {
            "CURRENT_USER" | "CURRENT_ROLE" | "SESSION_USER" => self.user.clone(),
            other => other.to_string(),
        };
        let authid = syscat::system_catalog_by_name("pg_authid")
            .ok_or_else(|| Error::feature_not_supported("ALTER TABLE ... OWNER TO"))?;
        let (c_oid, c_name) = (authid.col("oid"), authid.col("rolname"));
        let found = self
            .catalog_reader()
            .scan(authid)?
            .into_iter()
            .find(|(_, r)| r[c_name] == Datum::Text(role.clone()))
            .map(|(_, r)| r[c_oid].clone());
        let Some(owner) = found else {
            return Err(pg_err!(
                UNDEFINED_OBJECT,
                "role \"{}\" does not exist",
                role
            ));
        };
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        let (c_owner, c_acl) = (class.col("relowner"), class.col("relacl"));
        // The old owner's ACL entries move to the new owner (PostgreSQL's `aclnewowner`).
        self.update_class_row(table.info.oid, |r| {
            if let (Some(acl), Datum::Oid(old), Datum::Oid(new)) = (
                tusk_types::adt::acl::acl_from_datum(&r[c_acl]),
                &r[c_owner],
                &owner,
            ) {
                r[c_acl] = tusk_types::adt::acl::acl_to_datum(
                    &tusk_types::adt::acl::acl_new_owner(&acl, Oid(*old), Oid(*new)),
                );
            }
            r[c_owner] = owner.clone();
        })?;
        for ix in self.table_indexes(table)? {
            self.update_class_row(ix.oid, |r| r[c_owner] = owner.clone())?;
        }
        if let Datum::Oid(owner) = owner {
            self.set_relation_rowtype_owner(table.info.oid, Oid(owner))?;
        }
        Ok(())
    }
}
