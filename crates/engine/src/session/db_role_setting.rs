//! Per-database and per-role parameter defaults: `ALTER DATABASE ... SET`, `ALTER ROLE
//! ... [IN DATABASE ...] SET` and `ALTER ROLE ALL SET`, stored as PostgreSQL stores them
//! (`pg_db_role_setting`: one row per (database, role) pair, 0 meaning "any", with
//! `setconfig` a text array of `name=value` items), and applied when a session starts.
//!
//! Rules:
//! 1. A value is checked as SET would check it (unknown parameter 42704, bad value 22023,
//!    a parameter that cannot be set per session 55P02, superuser-only 42501), then
//!    replaces the item of the same name. RESET removes it, RESET ALL every item of the
//!    pair; a pair left without items loses its row.
//! 2. At connection start the session applies, with PostgreSQL's sources and so its
//!    priorities: `ALTER ROLE ALL` (Global), the database's (Database), the role's (User),
//!    then the role's in this database (DatabaseUser); the client's startup options win
//!    over all of them. A stored value that no longer applies is logged and skipped, as
//!    PostgreSQL warns and goes on.
//!
//! Entry points: [`Session::alter_setting`], [`startup_settings`].

use tusk_catalog::syscat::{self, CatalogRow, SysCatalog};
use tusk_sql::ast::{SetArg, SetStmt};
use tusk_sql::ast_database::SettingTarget;
use tusk_types::adt::array::Array;
use tusk_types::{pg_err, type_oid, Datum, Oid, Result};

use super::role_catalog::with_startup_reader;
use super::Session;
use crate::database::Database;
use crate::guc::{self, GucSource};

/// `pg_db_role_setting`.
pub(crate) fn pg_db_role_setting() -> &'static SysCatalog {
    syscat::system_catalog_by_name("pg_db_role_setting")
        .expect("pg_db_role_setting is a system catalog")
}

/// The `name=value` items of a `setconfig` value.
fn items(d: &Datum) -> Vec<String> {
    match d {
        Datum::Array(a) => a
            .elems
            .iter()
            .filter_map(|e| match e {
                Datum::Text(s) => Some(s.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Splits an item at its first `=`.
fn split_item(item: &str) -> Option<(&str, &str)> {
    item.split_once('=')
}

/// The settings a session of `role` in database `db` starts with (rule 2), each with its
/// source, lowest priority first.
///
/// Errors: catalog read errors.
pub(crate) fn startup_settings(
    database: &Database,
    backend: u32,
    db: Oid,
    role: Oid,
) -> Result<Vec<(GucSource, String, String)>> {
    let c = pg_db_role_setting();
    let (c_db, c_role, c_config) = (c.col("setdatabase"), c.col("setrole"), c.col("setconfig"));
    let rows = with_startup_reader(database, backend, |reader| reader.scan(c))?;
    let mut out = Vec::new();
    for (want_db, want_role, source) in [
        (Oid::INVALID, Oid::INVALID, GucSource::Global),
        (db, Oid::INVALID, GucSource::Database),
        (Oid::INVALID, role, GucSource::User),
        (db, role, GucSource::DatabaseUser),
    ] {
        for (_, r) in &rows {
            if r[c_db] == Datum::Oid(want_db.0) && r[c_role] == Datum::Oid(want_role.0) {
                for item in items(&r[c_config]) {
                    if let Some((name, value)) = split_item(&item) {
                        out.push((source, name.to_string(), value.to_string()));
                    }
                }
            }
        }
    }
    Ok(out)
}

impl Session {
    /// `ALTER DATABASE | ROLE ... SET | RESET` (rule 1); returns the command tag.
    ///
    /// Errors: 3D000 unknown database; 42704 unknown role or parameter; 42501 `must be
    /// owner of database x`, `must be superuser to alter superusers`, `must be superuser
    /// to alter settings globally`, `permission denied`; the value's SET errors.
    pub(crate) fn alter_setting(
        &mut self,
        target: &SettingTarget,
        set: &SetStmt,
    ) -> Result<String> {
        let (db, role, tag, source) = match target {
            SettingTarget::Database(name) => {
                let database = self
                    .database_rows()?
                    .into_iter()
                    .find(|d| &d.name == name)
                    .ok_or_else(|| {
                        pg_err!(UNDEFINED_DATABASE, "database \"{}\" does not exist", name)
                    })?;
                if !self.superuser && !self.current_role_row()?.superuser {
                    let me = self.current_role_row()?.oid;
                    if !super::role_catalog::is_member_of_role_nosuper(
                        &self.memberships()?,
                        me,
                        database.owner,
                    ) {
                        return Err(pg_err!(
                            INSUFFICIENT_PRIVILEGE,
                            "must be owner of database {}",
                            database.name
                        ));
                    }
                }
                (
                    database.oid,
                    Oid::INVALID,
                    "ALTER DATABASE",
                    GucSource::Database,
                )
            }
            SettingTarget::Role { role, database } => {
                let me = self.current_role_row()?;
                let role_oid = match role {
                    None => {
                        if !me.superuser {
                            return Err(pg_err!(
                                INSUFFICIENT_PRIVILEGE,
                                "must be superuser to alter settings globally"
                            ));
                        }
                        Oid::INVALID
                    }
                    Some(spec) => {
                        let row = self.resolve_role_spec(spec)?;
                        if row.superuser {
                            if !me.superuser {
                                return Err(pg_err!(
                                    INSUFFICIENT_PRIVILEGE,
                                    "must be superuser to alter superusers"
                                ));
                            }
                        } else if !(me.superuser || me.createrole) && row.oid != me.oid {
                            return Err(pg_err!(INSUFFICIENT_PRIVILEGE, "permission denied"));
                        }
                        row.oid
                    }
                };
                let db_oid = match database {
                    Some(name) => {
                        self.database_rows()?
                            .into_iter()
                            .find(|d| &d.name == name)
                            .ok_or_else(|| {
                                pg_err!(UNDEFINED_DATABASE, "database \"{}\" does not exist", name)
                            })?
                            .oid
                    }
                    None => Oid::INVALID,
                };
                let source = match (db_oid == Oid::INVALID, role_oid == Oid::INVALID) {
                    (true, true) => GucSource::Global,
                    (true, false) => GucSource::User,
                    _ => GucSource::DatabaseUser,
                };
                (db_oid, role_oid, "ALTER ROLE", source)
            }
        };
        enum Change {
            Set(String, String),
            Remove(String),
            RemoveAll,
        }
        let change = match set {
            SetStmt::Value { name, values, .. } => {
                let args: Vec<guc::SetArg<'_>> = values
                    .iter()
                    .map(|v| match v {
                        SetArg::String(s) => guc::SetArg::String(s),
                        SetArg::Number(n) => guc::SetArg::Number(n),
                    })
                    .collect();
                let value = guc::flatten_set_args(name, &args)?;
                let mut probe = self.config.clone();
                probe.set_default_from(name, &value, source, self.superuser)?;
                Change::Set(name.clone(), value)
            }
            SetStmt::FromCurrent { name } => {
                let value = self.config.show(name)?;
                Change::Set(name.clone(), value)
            }
            SetStmt::Default { name, .. } | SetStmt::Reset(name) => Change::Remove(name.clone()),
            SetStmt::ResetAll => Change::RemoveAll,
            SetStmt::Transaction { .. } => {
                return Err(pg_err!(
                    SYNTAX_ERROR,
                    "SET TRANSACTION cannot be stored as a default"
                ))
            }
        };
        let c = pg_db_role_setting();
        let (c_db, c_role, c_config) = (c.col("setdatabase"), c.col("setrole"), c.col("setconfig"));
        let (want_db, want_role) = (Datum::Oid(db.0), Datum::Oid(role.0));
        let existing = self
            .catalog_reader()
            .scan(c)?
            .into_iter()
            .find(|(_, r)| r[c_db] == want_db && r[c_role] == want_role)
            .map(|(_, r)| items(&r[c_config]));
        let mut list = existing.clone().unwrap_or_default();
        let same = |item: &str, name: &str| {
            split_item(item).is_some_and(|(n, _)| n.eq_ignore_ascii_case(name))
        };
        match change {
            Change::Set(name, value) => match list.iter().position(|i| same(i, &name)) {
                Some(at) => list[at] = format!("{name}={value}"),
                None => list.push(format!("{name}={value}")),
            },
            Change::Remove(name) => list.retain(|i| !same(i, &name)),
            Change::RemoveAll => list.clear(),
        }
        let matches = |r: &[Datum]| r[c_db] == want_db && r[c_role] == want_role;
        match (existing, list.is_empty()) {
            (None, true) => {}
            (None, false) => {
                self.insert_catalog_row(
                    CatalogRow::new(c)
                        .set("setdatabase", want_db.clone())
                        .set("setrole", want_role.clone())
                        .set("setconfig", text_array(list)),
                )?;
            }
            (Some(_), true) => {
                self.delete_catalog_rows(c.oid, matches)?;
            }
            (Some(_), false) => {
                let value = text_array(list);
                self.update_catalog_row(c, matches, |row| row[c_config] = value)?;
            }
        }
        self.txn.command_counter_increment();
        Ok(tag.into())
    }
}

fn text_array(items: Vec<String>) -> Datum {
    Datum::Array(Box::new(Array::from_elements(
        type_oid::TEXT,
        items.into_iter().map(Datum::Text).collect(),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_split_at_the_first_equals_sign() {
        assert_eq!(
            split_item("search_path=a, b"),
            Some(("search_path", "a, b"))
        );
        assert_eq!(split_item("x.y=1=2"), Some(("x.y", "1=2")));
        assert_eq!(split_item("broken"), None);
        let d = text_array(vec!["work_mem=2MB".into(), "a.b=c".into()]);
        assert_eq!(items(&d), vec!["work_mem=2MB", "a.b=c"]);
        assert!(items(&Datum::Null).is_empty());
    }
}
