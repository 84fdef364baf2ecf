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

/// The stored text of autovacuum storage parameter `name` set to `value` (PostgreSQL's
/// `autovacuum_*` reloptions that tusk's autovacuum reads, `crate::autovacuum`), or
/// `None` if `name` is not one of them.
///
/// Errors: 22023 for a value that is not a boolean / number, or out of bounds.
fn autovacuum_option(name: &str, value: Option<&str>) -> Result<Option<String>> {
    let shown = value.unwrap_or("true");
    let integer = |min: i64| -> Result<String> {
        let v: i64 = shown.trim().parse().map_err(|_| {
            pg_err!(
                INVALID_PARAMETER_VALUE,
                "invalid value for integer option \"{}\": {}",
                name,
                shown
            )
        })?;
        if !(min..=i64::from(i32::MAX)).contains(&v) {
            return Err(pg_err!(
                INVALID_PARAMETER_VALUE,
                "value {} out of bounds for option \"{}\"",
                shown,
                name
            )
            .detail(format!(
                "Valid values are between \"{min}\" and \"{}\".",
                i32::MAX
            )));
        }
        Ok(v.to_string())
    };
    let real = || -> Result<String> {
        let v: f64 = shown.trim().parse().map_err(|_| {
            pg_err!(
                INVALID_PARAMETER_VALUE,
                "invalid value for floating point option \"{}\": {}",
                name,
                shown
            )
        })?;
        if !(0.0..=100.0).contains(&v) {
            return Err(pg_err!(
                INVALID_PARAMETER_VALUE,
                "value {} out of bounds for option \"{}\"",
                shown,
                name
            )
            .detail("Valid values are between \"0.000000\" and \"100.000000\"."));
        }
        Ok(shown.trim().to_string())
    };
    Ok(Some(match name {
        "autovacuum_enabled" => match shown.trim().to_ascii_lowercase().as_str() {
            "true" | "on" | "yes" | "1" | "t" | "y" => "true".to_string(),
            "false" | "off" | "no" | "0" | "f" | "n" => "false".to_string(),
            _ => {
                return Err(pg_err!(
                    INVALID_PARAMETER_VALUE,
                    "invalid value for boolean option \"{}\": {}",
                    name,
                    shown
                ))
            }
        },
        "autovacuum_vacuum_threshold" | "autovacuum_analyze_threshold" => integer(0)?,
        "autovacuum_vacuum_insert_threshold" => integer(-1)?,
        "autovacuum_vacuum_scale_factor"
        | "autovacuum_vacuum_insert_scale_factor"
        | "autovacuum_analyze_scale_factor" => real()?,
        _ => return Ok(None),
    }))
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
                "fillfactor" if matches!(table.info.kind, b'r' | b'i') => {
                    fillfactor_value(value.as_deref())?.to_string()
                }
                _ if table.info.kind == b'r'
                    && autovacuum_option(name, value.as_deref())?.is_some() =>
                {
                    autovacuum_option(name, value.as_deref())?.expect("checked")
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

    fn store_reloptions(&mut self, rel: Oid, values: Vec<(String, String)>) -> Result<()> {
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
        Ok(())
    }
}
