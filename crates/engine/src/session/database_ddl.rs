//! CREATE DATABASE, DROP DATABASE and ALTER DATABASE (PostgreSQL's `dbcommands.c`
//! behaviour): `pg_database` rows in the shared catalog and one directory per database
//! under `base/`.
//!
//! Rules:
//! 1. None of them runs inside a transaction block (25001), as in PostgreSQL.
//! 2. CREATE DATABASE copies the template's directory file by file (PostgreSQL's
//!    `FILE_COPY` strategy): a checkpoint first writes the template's dirty buffers, and
//!    nobody else may be connected to the template (55006). The copy is synced before
//!    the `pg_database` row commits; if the transaction aborts, the directory goes.
//! 3. DROP DATABASE deletes the row; the database's buffers and directory go after the
//!    commit (`Transaction::dropped_database`). A directory left by a crash in between is
//!    removed by crash recovery (`cluster::remove_orphaned_relations`).
//! 4. tusk stores text in UTF8 and compares it bytewise: the only encoding is UTF8 and
//!    the only locales are `C`, `POSIX` and `C.UTF-8` (others are 0A000 rather than a
//!    database that would sort differently from what it claims).
//!
//! Entry points: [`Session::database_statement`], [`login_database`].

use tusk_catalog::syscat::{self, SysCatalog};
use tusk_sql::ast_database::{DatabaseOption, DatabaseStmt};
use tusk_sql::ast_role::RoleSpec;
use tusk_types::{pg_err, Datum, Error, Oid, Result, SqlState};

use super::role_catalog::{is_member_of_role_nosuper, with_startup_reader};
use super::{BlockState, Session};
use crate::database::Database;
use crate::sink::{NoticeSeverity, Sink};

/// `pg_database`.
pub(crate) fn pg_database() -> &'static SysCatalog {
    syscat::system_catalog_by_name("pg_database").expect("pg_database is a system catalog")
}

/// PostgreSQL's encoding number of UTF8.
const PG_UTF8: i32 = 6;

/// The `pg_database` columns tusk acts on.
#[derive(Debug, Clone)]
pub(crate) struct DatabaseRow {
    /// `oid`.
    pub oid: Oid,
    /// `datname`.
    pub name: String,
    /// `datdba`.
    pub owner: Oid,
    /// `datistemplate`.
    pub is_template: bool,
    /// `datallowconn`.
    pub allow_connections: bool,
    /// `datconnlimit` (-1: no limit).
    pub connection_limit: i32,
    /// The whole row, for copies.
    pub values: Vec<Datum>,
}

fn database_row(values: Vec<Datum>) -> DatabaseRow {
    let c = pg_database();
    let oid = match &values[c.col("oid")] {
        Datum::Oid(o) => Oid(*o),
        _ => Oid::INVALID,
    };
    DatabaseRow {
        oid,
        name: match &values[c.col("datname")] {
            Datum::Text(s) => s.clone(),
            _ => String::new(),
        },
        owner: match &values[c.col("datdba")] {
            Datum::Oid(o) => Oid(*o),
            _ => Oid::INVALID,
        },
        is_template: matches!(values[c.col("datistemplate")], Datum::Bool(true)),
        allow_connections: matches!(values[c.col("datallowconn")], Datum::Bool(true)),
        connection_limit: match values[c.col("datconnlimit")] {
            Datum::Int4(n) => n,
            _ => -1,
        },
        values,
    }
}

/// The database `name` as the catalog says now, read before a session exists (connection
/// start-up).
///
/// Errors: catalog read errors.
pub(crate) fn login_database(
    db: &Database,
    backend: u32,
    name: &str,
) -> Result<Option<DatabaseRow>> {
    with_startup_reader(db, backend, |reader| {
        Ok(reader
            .scan(pg_database())?
            .into_iter()
            .map(|(_, r)| database_row(r))
            .find(|d| d.name == name))
    })
}

/// The names of the databases that accept connections (`datallowconn`), in OID order,
/// read at start-up level as [`login_database`] does (for autovacuum).
///
/// Errors: catalog read errors.
pub(crate) fn connectable_databases(db: &Database, backend: u32) -> Result<Vec<String>> {
    with_startup_reader(db, backend, |reader| {
        let mut rows: Vec<DatabaseRow> = reader
            .scan(pg_database())?
            .into_iter()
            .map(|(_, r)| database_row(r))
            .filter(|d| d.allow_connections)
            .collect();
        rows.sort_by_key(|d| d.oid.0);
        Ok(rows.into_iter().map(|d| d.name).collect())
    })
}

/// The options CREATE DATABASE takes, after checking each appears once.
#[derive(Default)]
struct CreateOptions {
    owner: Option<String>,
    template: Option<String>,
    encoding: Option<String>,
    locale: Option<String>,
    lc_collate: Option<String>,
    lc_ctype: Option<String>,
    strategy: Option<String>,
    connection_limit: Option<i32>,
    allow_connections: Option<bool>,
    is_template: Option<bool>,
    oid: Option<u32>,
}

fn conflicting(o: &DatabaseOption) -> Error {
    pg_err!(SYNTAX_ERROR, "conflicting or redundant options").position(o.location as u32 + 1)
}

/// A boolean option value as PostgreSQL's `defGetBoolean` reads it.
fn boolean_option(o: &DatabaseOption) -> Result<bool> {
    let Some(v) = &o.value else {
        return Ok(true);
    };
    match v.to_ascii_lowercase().as_str() {
        "true" | "on" | "1" => Ok(true),
        "false" | "off" | "0" => Ok(false),
        _ => Err(pg_err!(SYNTAX_ERROR, "{} requires a Boolean value", o.name)),
    }
}

/// An integer option value (`defGetInt32`).
fn integer_option(o: &DatabaseOption) -> Result<i32> {
    match &o.value {
        Some(v) if o.numeric => v
            .parse::<i32>()
            .map_err(|_| pg_err!(SYNTAX_ERROR, "{} requires an integer value", o.name)),
        _ => Err(pg_err!(
            SYNTAX_ERROR,
            "{} requires an integer value",
            o.name
        )),
    }
}

/// A connection limit: -1 or more (22023 otherwise).
fn connection_limit(o: &DatabaseOption) -> Result<i32> {
    let n = integer_option(o)?;
    if n < -1 {
        return Err(pg_err!(
            INVALID_PARAMETER_VALUE,
            "invalid connection limit: {}",
            n
        ));
    }
    Ok(n)
}

/// Whether tusk can honour locale `name` (rule 4).
fn supported_locale(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "c" | "posix" | "c.utf8" | "c.utf-8"
    )
}

fn create_options(options: &[DatabaseOption]) -> Result<CreateOptions> {
    let mut out = CreateOptions::default();
    fn once<T>(slot: &mut Option<T>, value: T, o: &DatabaseOption) -> Result<()> {
        if slot.is_some() {
            return Err(conflicting(o));
        }
        *slot = Some(value);
        Ok(())
    }
    for o in options {
        // `DEFAULT` leaves the option at its default.
        let text = o.value.clone();
        match o.name.as_str() {
            "owner" => once(&mut out.owner, text.unwrap_or_default(), o)?,
            "template" => once(&mut out.template, text.unwrap_or_default(), o)?,
            "encoding" => once(&mut out.encoding, text.unwrap_or_default(), o)?,
            "locale" => once(&mut out.locale, text.unwrap_or_default(), o)?,
            "lc_collate" => once(&mut out.lc_collate, text.unwrap_or_default(), o)?,
            "lc_ctype" => once(&mut out.lc_ctype, text.unwrap_or_default(), o)?,
            "strategy" => once(&mut out.strategy, text.unwrap_or_default(), o)?,
            "connection_limit" => {
                let n = if o.value.is_some() {
                    connection_limit(o)?
                } else {
                    -1
                };
                once(&mut out.connection_limit, n, o)?
            }
            "allow_connections" => once(&mut out.allow_connections, boolean_option(o)?, o)?,
            "is_template" => once(&mut out.is_template, boolean_option(o)?, o)?,
            "oid" => {
                let n = integer_option(o)?;
                once(&mut out.oid, n as u32, o)?
            }
            "tablespace" => {
                if let Some(t) = &o.value {
                    if t != "pg_default" {
                        return Err(Error::feature_not_supported(
                            "tablespaces other than pg_default",
                        ));
                    }
                }
            }
            "locale_provider" => {
                if o.value.as_deref().is_some_and(|p| p != "libc") {
                    return Err(Error::feature_not_supported("ICU locales"));
                }
            }
            "icu_locale" | "collation_version" => {
                return Err(Error::feature_not_supported(format!(
                    "the {} option",
                    o.name
                )))
            }
            other => {
                return Err(pg_err!(SYNTAX_ERROR, "option \"{}\" not recognized", other)
                    .position(o.location as u32 + 1))
            }
        }
    }
    Ok(out)
}

/// 55006 `database "x" is being accessed by other users`, with the session count.
fn database_in_use(name: &str, others: usize) -> Error {
    pg_err!(
        OBJECT_IN_USE,
        "database \"{}\" is being accessed by other users",
        name
    )
    .detail(other_sessions_detail(others))
}

fn other_sessions_detail(n: usize) -> String {
    if n == 1 {
        "There is 1 other session using the database.".to_string()
    } else {
        format!("There are {n} other sessions using the database.")
    }
}

impl Session {
    /// Every `pg_database` row, in catalog order.
    ///
    /// Errors: catalog read errors.
    pub(crate) fn database_rows(&self) -> Result<Vec<DatabaseRow>> {
        Ok(self
            .catalog_reader()
            .scan(pg_database())?
            .into_iter()
            .map(|(_, r)| database_row(r))
            .collect())
    }

    fn database_by_name(&self, name: &str) -> Result<Option<DatabaseRow>> {
        Ok(self.database_rows()?.into_iter().find(|d| d.name == name))
    }

    fn existing_database(&self, name: &str) -> Result<DatabaseRow> {
        self.database_by_name(name)?
            .ok_or_else(|| pg_err!(UNDEFINED_DATABASE, "database \"{}\" does not exist", name))
    }

    /// Rule 1: 25001 `<command> cannot run inside a transaction block`.
    pub(crate) fn prevent_in_transaction_block(&self, command: &str) -> Result<()> {
        if matches!(
            self.block,
            BlockState::InBlock | BlockState::ImplicitBlock | BlockState::Failed
        ) {
            return Err(pg_err!(
                ACTIVE_SQL_TRANSACTION,
                "{} cannot run inside a transaction block",
                command
            ));
        }
        Ok(())
    }

    /// Whether the current user owns `database` (directly or through membership), or is a
    /// superuser.
    fn owns_database(&self, database: &DatabaseRow) -> Result<bool> {
        if self.superuser {
            return Ok(true);
        }
        let me = self.current_role_row()?;
        if me.superuser {
            return Ok(true);
        }
        Ok(is_member_of_role_nosuper(
            &self.memberships()?,
            me.oid,
            database.owner,
        ))
    }

    /// Whether the current user owns the session's database (or is a superuser).
    ///
    /// Errors: catalog read errors.
    pub(crate) fn owns_current_database(&self) -> Result<bool> {
        if self.superuser {
            return Ok(true);
        }
        match self
            .database_rows()?
            .into_iter()
            .find(|d| d.oid == self.db_oid)
        {
            Some(database) => self.owns_database(&database),
            None => Ok(false),
        }
    }

    fn check_database_owner(&self, database: &DatabaseRow) -> Result<()> {
        if !self.owns_database(database)? {
            return Err(pg_err!(
                INSUFFICIENT_PRIVILEGE,
                "must be owner of database {}",
                database.name
            ));
        }
        Ok(())
    }

    /// Other sessions connected to `db`.
    fn other_sessions_in(&self, db: Oid) -> Vec<i32> {
        self.db
            .activity()
            .into_iter()
            .filter(|(pid, _, status)| *pid != self.pid && status.database_oid == db)
            .map(|(pid, _, _)| pid)
            .collect()
    }

    /// Runs a database statement; returns its command tag.
    ///
    /// Errors: see each statement.
    pub(crate) fn database_statement(
        &mut self,
        stmt: &DatabaseStmt,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        match stmt {
            DatabaseStmt::Create { name, options } => {
                self.prevent_in_transaction_block("CREATE DATABASE")?;
                self.start_txn_statement();
                self.create_database(name, options)?;
                Ok("CREATE DATABASE".into())
            }
            DatabaseStmt::Drop {
                name,
                missing_ok,
                force,
            } => {
                self.prevent_in_transaction_block("DROP DATABASE")?;
                self.start_txn_statement();
                self.drop_database(name, *missing_ok, *force, sink)?;
                Ok("DROP DATABASE".into())
            }
            DatabaseStmt::Alter { name, options } => {
                self.start_txn_statement();
                self.alter_database(name, options)?;
                Ok("ALTER DATABASE".into())
            }
            DatabaseStmt::Rename { name, new_name } => {
                self.start_txn_statement();
                self.rename_database(name, new_name)?;
                Ok("ALTER DATABASE".into())
            }
            DatabaseStmt::Owner { name, owner } => {
                self.start_txn_statement();
                self.alter_database_owner(name, owner)?;
                Ok("ALTER DATABASE".into())
            }
            DatabaseStmt::Set { target, set } => {
                self.start_txn_statement();
                self.alter_setting(target, set)
            }
        }
    }

    /// `CREATE DATABASE` (rules 2 and 4).
    ///
    /// Errors: 42601 unknown or repeated options; 42501 `permission denied to create
    /// database`, `must be able to SET ROLE "x"`, `permission denied to copy database "x"`;
    /// 42704 unknown owner; 3D000 `template database "x" does not exist`; 22023 bad
    /// encoding, strategy or connection limit; 0A000 encodings other than UTF8, locales
    /// other than C, tablespaces, ICU; 42P04 `database "x" already exists`; 55006 `source
    /// database "x" is being accessed by other users`; I/O errors of the copy.
    fn create_database(&mut self, name: &str, options: &[DatabaseOption]) -> Result<()> {
        let o = create_options(options)?;
        if let Some(strategy) = &o.strategy {
            let s = strategy.to_ascii_lowercase();
            if s != "wal_log" && s != "file_copy" {
                return Err(pg_err!(
                    INVALID_PARAMETER_VALUE,
                    "invalid create database strategy \"{}\"",
                    strategy
                )
                .hint("Valid strategies are \"wal_log\" and \"file_copy\"."));
            }
        }
        let me = self.current_role_row()?;
        let owner = match &o.owner {
            Some(owner) => self.resolve_role_spec(&RoleSpec::Name(owner.clone()))?,
            None => me.clone(),
        };
        if !(me.superuser || me.createdb) {
            return Err(pg_err!(
                INSUFFICIENT_PRIVILEGE,
                "permission denied to create database"
            ));
        }
        if owner.oid != me.oid
            && !me.superuser
            && !is_member_of_role_nosuper(&self.memberships()?, me.oid, owner.oid)
        {
            return Err(pg_err!(
                INSUFFICIENT_PRIVILEGE,
                "must be member of role \"{}\"",
                owner.name
            ));
        }
        let template_name = o.template.clone().unwrap_or_else(|| "template1".into());
        let template = self.database_by_name(&template_name)?.ok_or_else(|| {
            pg_err!(
                UNDEFINED_DATABASE,
                "template database \"{}\" does not exist",
                template_name
            )
        })?;
        if !template.is_template && !self.owns_database(&template)? {
            return Err(pg_err!(
                INSUFFICIENT_PRIVILEGE,
                "permission denied to copy database \"{}\"",
                template_name
            ));
        }
        if let Some(encoding) = &o.encoding {
            let normalized = encoding.to_ascii_uppercase().replace(['-', '_'], "");
            if normalized != "UTF8" && normalized != PG_UTF8.to_string() {
                let known = [
                    "SQLASCII", "LATIN1", "LATIN2", "LATIN9", "WIN1252", "EUCJP", "SJIS",
                ];
                if !known.contains(&normalized.as_str()) {
                    return Err(pg_err!(
                        UNDEFINED_OBJECT,
                        "{} is not a valid encoding name",
                        encoding
                    ));
                }
                if template.name != "template0" {
                    return Err(pg_err!(
                        INVALID_PARAMETER_VALUE,
                        "new encoding ({}) is incompatible with the encoding of the template database (UTF8)",
                        encoding.to_ascii_uppercase()
                    )
                    .hint("Use the same encoding as in the template database, or use template0 as template."));
                }
                return Err(Error::feature_not_supported(format!(
                    "encoding \"{}\" (tusk stores text as UTF8)",
                    encoding
                )));
            }
        }
        for locale in [&o.locale, &o.lc_collate, &o.lc_ctype]
            .into_iter()
            .flatten()
        {
            if !supported_locale(locale) {
                return Err(Error::feature_not_supported(format!(
                    "locale \"{}\" (tusk compares text bytewise, as the C locale does)",
                    locale
                )));
            }
        }
        if self.database_by_name(name)?.is_some() {
            return Err(pg_err!(
                DUPLICATE_DATABASE,
                "database \"{}\" already exists",
                name
            ));
        }
        // Like PostgreSQL, this session may itself be connected to the template.
        let others = self.other_sessions_in(template.oid);
        if !others.is_empty() {
            let n = others.len();
            return Err(pg_err!(
                OBJECT_IN_USE,
                "source database \"{}\" is being accessed by other users",
                template_name
            )
            .detail(other_sessions_detail(n)));
        }
        let cluster = self.db.cluster.clone();
        let existing = self.database_rows()?;
        let oid = match o.oid {
            Some(n) if n < syscat::FIRST_NORMAL_OBJECT_ID => {
                return Err(pg_err!(
                    PROGRAM_LIMIT_EXCEEDED,
                    "OIDs less than {} are reserved for system objects",
                    syscat::FIRST_NORMAL_OBJECT_ID
                ))
            }
            Some(n) => {
                if let Some(other) = existing.iter().find(|d| d.oid == Oid(n)) {
                    return Err(pg_err!(
                        DUPLICATE_DATABASE,
                        "database OID {} is already in use by database \"{}\"",
                        n,
                        other.name
                    ));
                }
                Oid(n)
            }
            None => loop {
                let candidate = cluster.xact.oids.next_oid(&cluster.wal);
                let dir = cluster.pool.smgr().database_dir(candidate);
                if !existing.iter().any(|d| d.oid == candidate)
                    && !cluster.pool.smgr().vfs().exists(&dir)
                {
                    break candidate;
                }
            },
        };
        // Rule 2: the template's pages on disk, then the copy.
        let log = self.db.config.read().bool("log_checkpoints");
        cluster.checkpoint(crate::cluster::CheckpointReason::Immediate, log)?;
        self.txn.created_database(oid);
        cluster.pool.smgr().copy_database(template.oid, oid)?;
        let c = pg_database();
        let mut row = template.values.clone();
        row[c.col("oid")] = Datum::Oid(oid.0);
        row[c.col("datname")] = Datum::Text(name.to_string());
        row[c.col("datdba")] = Datum::Oid(owner.oid.0);
        row[c.col("datistemplate")] = Datum::Bool(o.is_template.unwrap_or(false));
        row[c.col("datallowconn")] = Datum::Bool(o.allow_connections.unwrap_or(true));
        row[c.col("datconnlimit")] = Datum::Int4(o.connection_limit.unwrap_or(-1));
        row[c.col("datacl")] = Datum::Null;
        let locale = o.locale.clone();
        if let Some(collate) = o.lc_collate.clone().or_else(|| locale.clone()) {
            row[c.col("datcollate")] = Datum::Text(collate);
        }
        if let Some(ctype) = o.lc_ctype.clone().or(locale) {
            row[c.col("datctype")] = Datum::Text(ctype);
        }
        self.insert_catalog_row(syscat::CatalogRow::from_values(c, row))?;
        Ok(())
    }

    /// `DROP DATABASE` (rule 3).
    ///
    /// Errors: 3D000 `database "x" does not exist` (a NOTICE with IF EXISTS); 42501 `must
    /// be owner of database x`; 42809 `cannot drop a template database`; 55006 `cannot
    /// drop the currently open database`, `database "x" is being accessed by other users`
    /// (without FORCE, or when its sessions do not end within 5 s).
    fn drop_database(
        &mut self,
        name: &str,
        missing_ok: bool,
        force: bool,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let Some(database) = self.database_by_name(name)? else {
            if missing_ok {
                sink.notice(
                    NoticeSeverity::Notice,
                    &pg_err!(
                        SUCCESSFUL_COMPLETION,
                        "database \"{}\" does not exist, skipping",
                        name
                    ),
                );
                return Ok(());
            }
            return Err(pg_err!(
                UNDEFINED_DATABASE,
                "database \"{}\" does not exist",
                name
            ));
        };
        self.check_database_owner(&database)?;
        if database.is_template {
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "cannot drop a template database"
            ));
        }
        if database.oid == self.db_oid {
            return Err(pg_err!(
                OBJECT_IN_USE,
                "cannot drop the currently open database"
            ));
        }
        let mut others = self.other_sessions_in(database.oid);
        if force && !others.is_empty() {
            for pid in &others {
                self.db.terminate_backend(*pid);
            }
            // PostgreSQL waits up to 5 seconds for them to exit.
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
            while !others.is_empty() && std::time::Instant::now() < deadline {
                super::interrupts::check_signals(&self.signals, self.statement_deadline)?;
                std::thread::sleep(std::time::Duration::from_millis(10));
                others = self.other_sessions_in(database.oid);
            }
        }
        if !others.is_empty() {
            return Err(database_in_use(name, others.len()));
        }
        let c = pg_database();
        let c_oid = c.col("oid");
        let target = Datum::Oid(database.oid.0);
        self.delete_catalog_rows(c.oid, |r| r[c_oid] == target)?;
        let s = super::db_role_setting::pg_db_role_setting();
        let c_db = s.col("setdatabase");
        self.delete_catalog_rows(s.oid, |r| r[c_db] == target)?;
        self.txn.dropped_database(database.oid);
        Ok(())
    }

    /// `ALTER DATABASE name [WITH] ALLOW_CONNECTIONS | CONNECTION LIMIT | IS_TEMPLATE`.
    ///
    /// Errors: 3D000; 42501 not the owner; 42601 unknown or repeated options; 22023 bad
    /// connection limit; 55000 `cannot disallow connections for current database`; 0A000
    /// `ALTER DATABASE SET TABLESPACE` to another tablespace.
    fn alter_database(&mut self, name: &str, options: &[DatabaseOption]) -> Result<()> {
        let database = self.existing_database(name)?;
        self.check_database_owner(&database)?;
        let c = pg_database();
        let mut changes: Vec<(usize, Datum)> = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for o in options {
            if seen.contains(&o.name.as_str()) {
                return Err(conflicting(o));
            }
            seen.push(&o.name);
            match o.name.as_str() {
                "allow_connections" => {
                    let allow = boolean_option(o)?;
                    if !allow && database.oid == self.db_oid {
                        return Err(pg_err!(
                            OBJECT_NOT_IN_PREREQUISITE_STATE,
                            "cannot disallow connections for current database"
                        ));
                    }
                    changes.push((c.col("datallowconn"), Datum::Bool(allow)));
                }
                "connection_limit" => {
                    changes.push((c.col("datconnlimit"), Datum::Int4(connection_limit(o)?)))
                }
                "is_template" => {
                    changes.push((c.col("datistemplate"), Datum::Bool(boolean_option(o)?)))
                }
                "tablespace" => {
                    if o.value.as_deref() != Some("pg_default") {
                        return Err(Error::feature_not_supported(
                            "tablespaces other than pg_default",
                        ));
                    }
                }
                other => {
                    return Err(pg_err!(SYNTAX_ERROR, "option \"{}\" not recognized", other)
                        .position(o.location as u32 + 1))
                }
            }
        }
        self.update_database_row(database.oid, changes)
    }

    fn update_database_row(&mut self, db: Oid, changes: Vec<(usize, Datum)>) -> Result<()> {
        if changes.is_empty() {
            return Ok(());
        }
        let c = pg_database();
        let c_oid = c.col("oid");
        let target = Datum::Oid(db.0);
        self.update_catalog_row(
            c,
            |r| r[c_oid] == target,
            |row| {
                for (col, value) in changes {
                    row[col] = value;
                }
            },
        )?;
        self.txn.command_counter_increment();
        Ok(())
    }

    /// `ALTER DATABASE name RENAME TO new_name`.
    ///
    /// Errors: 3D000; 42501 not the owner or lacking CREATEDB; 42P04 the new name is
    /// taken; 0A000 `current database cannot be renamed`; 55006 other sessions use it.
    fn rename_database(&mut self, name: &str, new_name: &str) -> Result<()> {
        let database = self.existing_database(name)?;
        self.check_database_owner(&database)?;
        let me = self.current_role_row()?;
        if !(me.superuser || me.createdb) {
            return Err(pg_err!(
                INSUFFICIENT_PRIVILEGE,
                "permission denied to rename database"
            ));
        }
        if self.database_by_name(new_name)?.is_some() {
            return Err(pg_err!(
                DUPLICATE_DATABASE,
                "database \"{}\" already exists",
                new_name
            ));
        }
        if database.oid == self.db_oid {
            return Err(Error::new(
                SqlState::FEATURE_NOT_SUPPORTED,
                "current database cannot be renamed",
            ));
        }
        let others = self.other_sessions_in(database.oid);
        if !others.is_empty() {
            return Err(database_in_use(name, others.len()));
        }
        let c = pg_database();
        self.update_database_row(
            database.oid,
            vec![(c.col("datname"), Datum::Text(new_name.to_string()))],
        )
    }

    /// `ALTER DATABASE name OWNER TO role`.
    ///
    /// Errors: 3D000; 42704 unknown role; 42501 not the owner, not a member of the new
    /// owner, or lacking CREATEDB.
    fn alter_database_owner(&mut self, name: &str, owner: &RoleSpec) -> Result<()> {
        let database = self.existing_database(name)?;
        let new_owner = self.resolve_role_spec(owner)?;
        if new_owner.oid == database.owner {
            return Ok(());
        }
        self.check_database_owner(&database)?;
        let me = self.current_role_row()?;
        if !me.superuser {
            if !is_member_of_role_nosuper(&self.memberships()?, me.oid, new_owner.oid) {
                return Err(pg_err!(
                    INSUFFICIENT_PRIVILEGE,
                    "must be member of role \"{}\"",
                    new_owner.name
                ));
            }
            if !me.createdb {
                return Err(pg_err!(
                    INSUFFICIENT_PRIVILEGE,
                    "permission denied to change owner of database"
                ));
            }
        }
        let c = pg_database();
        self.update_database_row(
            database.oid,
            vec![(c.col("datdba"), Datum::Oid(new_owner.oid.0))],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn option(name: &str, value: Option<&str>, numeric: bool) -> DatabaseOption {
        DatabaseOption {
            name: name.into(),
            value: value.map(str::to_string),
            numeric,
            location: 0,
        }
    }

    #[test]
    fn create_options_are_checked_once_each() {
        let o = create_options(&[
            option("template", Some("template0"), false),
            option("connection_limit", Some("5"), true),
            option("is_template", Some("true"), false),
        ])
        .expect("options");
        assert_eq!(o.template.as_deref(), Some("template0"));
        assert_eq!(o.connection_limit, Some(5));
        assert_eq!(o.is_template, Some(true));
        let err = create_options(&[
            option("owner", Some("a"), false),
            option("owner", Some("b"), false),
        ])
        .err()
        .expect("repeated");
        assert_eq!(err.code, SqlState::SYNTAX_ERROR);
        let err = create_options(&[option("foo", Some("1"), true)])
            .err()
            .expect("unknown");
        assert_eq!(err.message, "option \"foo\" not recognized");
        let err = create_options(&[option("connection_limit", Some("-2"), true)])
            .err()
            .expect("limit");
        assert_eq!(err.code, SqlState::INVALID_PARAMETER_VALUE);
    }

    #[test]
    fn only_bytewise_locales_are_supported() {
        assert!(supported_locale("C"));
        assert!(supported_locale("POSIX"));
        assert!(supported_locale("C.UTF-8"));
        assert!(!supported_locale("en_US.UTF-8"));
    }

    #[test]
    fn other_sessions_detail_counts_like_postgres() {
        assert_eq!(
            other_sessions_detail(1),
            "There is 1 other session using the database."
        );
        assert_eq!(
            other_sessions_detail(3),
            "There are 3 other sessions using the database."
        );
    }
}
