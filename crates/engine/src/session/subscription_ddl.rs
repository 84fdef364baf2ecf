//! Subscriptions in the catalog (PostgreSQL docs: CREATE | ALTER | DROP SUBSCRIPTION;
//! chapter 31.2): `pg_subscription` rows (a shared catalog, one row per database's
//! subscription, `subdbid` naming the database) with PostgreSQL's option parsing and
//! checks.
//!
//! Rules:
//! 1. tusk has no logical replication workers and no client library to reach a
//!    publisher. What needs one is refused with 0A000 after PostgreSQL's own checks:
//!    `connect = true` (the default), enabling a subscription, and dropping one that
//!    still names a replication slot. So every subscription stays disabled, and
//!    `REFRESH PUBLICATION` fails as PostgreSQL fails it for a disabled subscription.
//! 2. Connection strings are checked as libpq parses them (`key = value` pairs with
//!    libpq's keywords, or a URI) before they are stored.
//! 3. `pg_subscription_rel` stays empty: no tables are ever synchronised.
//!
//! Known difference: PostgreSQL revokes SELECT on `pg_subscription` from PUBLIC and
//! grants it on every column but `subconninfo`; tusk has no column privileges, so the
//! catalog is readable as the other catalogs are.
//!
//! Entry points: [`Session::subscription_statement`].

use tusk_catalog::syscat::{self, CatalogRow};
use tusk_sql::ast_publication::{
    AlterSubscription, CreateSubscriptionStmt, ReplicationOption, ReplicationStmt,
};
use tusk_sql::ast_role::RoleSpec;
use tusk_types::adt::array::{Array, ArrayDim};
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result};

use super::privilege::must_be_owner;
use super::publication_ddl::{conflicting_option, option_boolean};
use super::Session;
use crate::sink::{NoticeSeverity, Sink};

/// `pg_subscription`'s OID.
pub(crate) const PG_SUBSCRIPTION: Oid = Oid(6100);

fn catalog() -> &'static syscat::SysCatalog {
    syscat::system_catalog(PG_SUBSCRIPTION).expect("pg_subscription is a system catalog")
}

/// The options PostgreSQL's `parse_subscription_options` accepts in one statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Opt {
    Connect,
    Enabled,
    CreateSlot,
    SlotName,
    CopyData,
    SynchronousCommit,
    Refresh,
    Binary,
    Streaming,
    TwoPhase,
    DisableOnError,
    Lsn,
}

impl Opt {
    fn of(name: &str) -> Option<Opt> {
        Some(match name {
            "connect" => Opt::Connect,
            "enabled" => Opt::Enabled,
            "create_slot" => Opt::CreateSlot,
            "slot_name" => Opt::SlotName,
            "copy_data" => Opt::CopyData,
            "synchronous_commit" => Opt::SynchronousCommit,
            "refresh" => Opt::Refresh,
            "binary" => Opt::Binary,
            "streaming" => Opt::Streaming,
            "two_phase" => Opt::TwoPhase,
            "disable_on_error" => Opt::DisableOnError,
            "lsn" => Opt::Lsn,
            _ => return None,
        })
    }
}

/// Parsed subscription options: each value with whether it was written.
#[derive(Debug, Default)]
struct SubOptions {
    specified: Vec<Opt>,
    connect: bool,
    enabled: bool,
    create_slot: bool,
    /// `None` for `slot_name = NONE` (or not given).
    slot_name: Option<String>,
    copy_data: bool,
    synchronous_commit: Option<String>,
    refresh: bool,
    binary: bool,
    streaming: bool,
    two_phase: bool,
    disable_on_error: bool,
    lsn: u64,
}

impl SubOptions {
    fn has(&self, opt: Opt) -> bool {
        self.specified.contains(&opt)
    }
}

/// PostgreSQL's `ReplicationSlotValidateName`.
fn validate_slot_name(name: &str) -> Result<()> {
    if name.is_empty() {
        return Err(pg_err!(
            INVALID_NAME,
            "replication slot name \"{}\" is too short",
            name
        ));
    }
    if name.len() >= 64 {
        return Err(pg_err!(
            NAME_TOO_LONG,
            "replication slot name \"{}\" is too long",
            name
        ));
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return Err(pg_err!(
            INVALID_NAME,
            "replication slot name \"{}\" contains invalid character",
            name
        )
        .hint("Replication slot names may only contain lower case letters, numbers, and the underscore character."));
    }
    Ok(())
}

/// PostgreSQL's `parse_subscription_options` for the options in `supported`.
///
/// Errors: 42601 `unrecognized subscription parameter: "x"`, `conflicting or
/// redundant options`, `x requires a Boolean value`, `%s and %s are mutually exclusive
/// options`, `subscription with %s must also set %s`; 22023 for `synchronous_commit`
/// and `lsn` values; slot name errors.
fn parse_options(
    sql: &str,
    options: &[ReplicationOption],
    supported: &[Opt],
) -> Result<SubOptions> {
    let mut o = SubOptions {
        connect: supported.contains(&Opt::Connect),
        enabled: supported.contains(&Opt::Enabled),
        create_slot: supported.contains(&Opt::CreateSlot),
        copy_data: supported.contains(&Opt::CopyData),
        refresh: supported.contains(&Opt::Refresh),
        ..SubOptions::default()
    };
    for (name, value, location) in options {
        let Some(opt) = Opt::of(name).filter(|o| supported.contains(o)) else {
            return Err(pg_err!(
                SYNTAX_ERROR,
                "unrecognized subscription parameter: \"{}\"",
                name
            ));
        };
        if o.has(opt) {
            return Err(conflicting_option(sql, *location));
        }
        o.specified.push(opt);
        let boolean = || option_boolean(name, value.as_deref());
        let string = || value.clone().unwrap_or_default();
        match opt {
            Opt::Connect => o.connect = boolean()?,
            Opt::Enabled => o.enabled = boolean()?,
            Opt::CreateSlot => o.create_slot = boolean()?,
            Opt::CopyData => o.copy_data = boolean()?,
            Opt::Refresh => o.refresh = boolean()?,
            Opt::Binary => o.binary = boolean()?,
            Opt::Streaming => o.streaming = boolean()?,
            Opt::TwoPhase => o.two_phase = boolean()?,
            Opt::DisableOnError => o.disable_on_error = boolean()?,
            Opt::SlotName => {
                let v = string();
                if v == "none" {
                    o.slot_name = None;
                } else {
                    validate_slot_name(&v)?;
                    o.slot_name = Some(v);
                }
            }
            Opt::SynchronousCommit => {
                let v = string();
                let valid = [
                    "local",
                    "remote_write",
                    "remote_apply",
                    "on",
                    "off",
                    "true",
                    "false",
                    "yes",
                    "no",
                    "1",
                    "0",
                ];
                if !valid.contains(&v.to_ascii_lowercase().as_str()) {
                    return Err(pg_err!(
                        INVALID_PARAMETER_VALUE,
                        "invalid value for parameter \"{}\": \"{}\"",
                        "synchronous_commit",
                        v
                    )
                    .hint("Available values: local, remote_write, remote_apply, on, off."));
                }
                o.synchronous_commit = Some(v);
            }
            Opt::Lsn => {
                let v = string();
                o.lsn = if v == "none" {
                    0
                } else {
                    let lsn = tusk_types::adt::pg_lsn::pg_lsn_in(&v)?;
                    if lsn == 0 {
                        return Err(pg_err!(
                            INVALID_PARAMETER_VALUE,
                            "invalid WAL location (LSN): {}",
                            v
                        ));
                    }
                    lsn
                };
            }
        }
    }
    let exclusive = |a: &str, b: &str| {
        pg_err!(
            SYNTAX_ERROR,
            "{} and {} are mutually exclusive options",
            a,
            b
        )
    };
    if !o.connect && supported.contains(&Opt::Connect) {
        if o.enabled && o.has(Opt::Enabled) {
            return Err(exclusive("connect = false", "enabled = true"));
        }
        if o.create_slot && o.has(Opt::CreateSlot) {
            return Err(exclusive("connect = false", "create_slot = true"));
        }
        if o.copy_data && o.has(Opt::CopyData) {
            return Err(exclusive("connect = false", "copy_data = true"));
        }
        o.enabled = false;
        o.create_slot = false;
        o.copy_data = false;
    }
    if o.slot_name.is_none() && o.has(Opt::SlotName) {
        let must =
            |a: &str, b: &str| pg_err!(SYNTAX_ERROR, "subscription with {} must also set {}", a, b);
        if o.enabled {
            return Err(if o.has(Opt::Enabled) {
                exclusive("slot_name = NONE", "enabled = true")
            } else {
                must("slot_name = NONE", "enabled = false")
            });
        }
        if o.create_slot {
            return Err(if o.has(Opt::CreateSlot) {
                exclusive("slot_name = NONE", "create_slot = true")
            } else {
                must("slot_name = NONE", "create_slot = false")
            });
        }
    }
    Ok(o)
}

/// libpq's connection keywords (PostgreSQL 15).
const CONNINFO_KEYWORDS: &[&str] = &[
    "service",
    "user",
    "password",
    "passfile",
    "channel_binding",
    "connect_timeout",
    "dbname",
    "host",
    "hostaddr",
    "port",
    "client_encoding",
    "options",
    "application_name",
    "fallback_application_name",
    "keepalives",
    "keepalives_idle",
    "keepalives_interval",
    "keepalives_count",
    "tcp_user_timeout",
    "sslmode",
    "sslcompression",
    "sslcert",
    "sslkey",
    "sslpassword",
    "sslrootcert",
    "sslcrl",
    "sslcrldir",
    "sslsni",
    "requirepeer",
    "ssl_min_protocol_version",
    "ssl_max_protocol_version",
    "gssencmode",
    "krbsrvname",
    "gsslib",
    "replication",
    "target_session_attrs",
];

/// Checks a connection string as libpq's `conninfo_parse` does (rule 2).
///
/// Errors: 42601 `invalid connection string syntax: ...` with libpq's message (which
/// ends in a newline, as libpq's do).
fn check_conninfo(conninfo: &str) -> Result<()> {
    let syntax = |message: String| {
        pg_err!(
            SYNTAX_ERROR,
            "invalid connection string syntax: {}\n",
            message
        )
    };
    if conninfo.starts_with("postgresql://") || conninfo.starts_with("postgres://") {
        return Ok(());
    }
    let chars: Vec<char> = conninfo.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        if i >= chars.len() {
            break;
        }
        let start = i;
        while i < chars.len() && chars[i] != '=' && !chars[i].is_whitespace() {
            i += 1;
        }
        let name: String = chars[start..i].iter().collect();
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        if i >= chars.len() || chars[i] != '=' {
            return Err(syntax(format!(
                "missing \"=\" after \"{name}\" in connection info string"
            )));
        }
        i += 1;
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        if i < chars.len() && chars[i] == '\'' {
            i += 1;
            loop {
                if i >= chars.len() {
                    return Err(syntax(
                        "unterminated quoted string in connection info string".into(),
                    ));
                }
                match chars[i] {
                    '\\' => i += 2,
                    '\'' => {
                        i += 1;
                        break;
                    }
                    _ => i += 1,
                }
            }
        } else {
            while i < chars.len() && !chars[i].is_whitespace() {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
        }
        if !CONNINFO_KEYWORDS.contains(&name.as_str()) {
            return Err(syntax(format!("invalid connection option \"{name}\"")));
        }
    }
    Ok(())
}

/// The `port` values of a connection string, as libpq checks them before connecting.
///
/// Errors: 08006 `could not connect to the publisher: invalid port number: "p"`.
fn check_port(conninfo: &str) -> Result<()> {
    for pair in conninfo.split_whitespace() {
        let Some(value) = pair.strip_prefix("port=") else {
            continue;
        };
        for port in value.trim_matches('\'').split(',') {
            let valid = port.is_empty() || port.parse::<u16>().is_ok_and(|p| p > 0);
            if !valid {
                return Err(pg_err!(
                    CONNECTION_FAILURE,
                    "could not connect to the publisher: invalid port number: \"{}\"",
                    port
                ));
            }
        }
    }
    Ok(())
}

/// PostgreSQL's `check_duplicates_in_publist`.
///
/// Errors: 42710 `publication name "p" used more than once`.
fn check_duplicates(names: &[String]) -> Result<()> {
    for (i, n) in names.iter().enumerate() {
        if names[..i].contains(n) {
            return Err(pg_err!(
                DUPLICATE_OBJECT,
                "publication name \"{}\" used more than once",
                n
            ));
        }
    }
    Ok(())
}

fn text_array(names: &[String]) -> Datum {
    Datum::Array(Box::new(Array {
        elem_type: type_oid::TEXT,
        dims: vec![ArrayDim {
            len: names.len() as i32,
            lower: 1,
        }],
        elems: names.iter().map(|n| Datum::Text(n.clone())).collect(),
    }))
}

/// 0A000 for what needs a logical replication worker or a publisher connection (rule 1).
fn no_workers(what: &str) -> Error {
    pg_err!(FEATURE_NOT_SUPPORTED, "{} is not supported", what)
        .detail("This server has no logical replication workers and cannot connect to a publisher.")
}

/// One `pg_subscription` row of the current database.
pub(crate) struct Subscription {
    pub oid: Oid,
    name: String,
    owner: Oid,
    enabled: bool,
    slot_name: Option<String>,
    publications: Vec<String>,
}

fn missing(name: &str) -> Error {
    pg_err!(UNDEFINED_OBJECT, "subscription \"{}\" does not exist", name)
}

impl Session {
    fn subscription(&self, name: &str) -> Result<Option<Subscription>> {
        let cat = catalog();
        let c = |n: &str| cat.col(n);
        let rows = self.catalog_reader().rows(cat)?;
        let found = rows.iter().find(|r| {
            r[c("subdbid")] == Datum::Oid(self.db_oid.0)
                && matches!(&r[c("subname")], Datum::Text(t) if t == name)
        });
        Ok(found.map(|r| Subscription {
            oid: match r[c("oid")] {
                Datum::Oid(o) => Oid(o),
                _ => Oid::INVALID,
            },
            name: name.to_string(),
            owner: match r[c("subowner")] {
                Datum::Oid(o) => Oid(o),
                _ => Oid::INVALID,
            },
            enabled: r[c("subenabled")] == Datum::Bool(true),
            slot_name: match &r[c("subslotname")] {
                Datum::Text(t) => Some(t.clone()),
                _ => None,
            },
            publications: match &r[c("subpublications")] {
                Datum::Array(a) => a
                    .elems
                    .iter()
                    .filter_map(|e| match e {
                        Datum::Text(t) => Some(t.clone()),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            },
        }))
    }

    /// The subscription `name`, after the owner check.
    ///
    /// Errors: 42704 `subscription "s" does not exist`; 42501 `must be owner of
    /// subscription s`.
    pub(crate) fn owned_subscription(&self, name: &str) -> Result<Subscription> {
        let sub = self.subscription(name)?.ok_or_else(|| missing(name))?;
        if !self.superuser {
            let (me, privileges) = self.privileges_for_check()?;
            if !privileges.has_privs_of_role(me, sub.owner) {
                return Err(must_be_owner("subscription", name));
            }
        }
        Ok(sub)
    }

    /// Runs a subscription statement (or a publication one the publication dispatch
    /// does not take); returns its command tag.
    ///
    /// Errors: those of each statement.
    pub(crate) fn subscription_statement(
        &mut self,
        stmt: &ReplicationStmt,
        sql: &str,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        match stmt {
            ReplicationStmt::CreateSubscription(c) => self.create_subscription(c, sql, sink),
            ReplicationStmt::AlterSubscription { name, change } => {
                self.alter_subscription(name, change, sql)
            }
            ReplicationStmt::Drop {
                names, missing_ok, ..
            } => self.drop_subscription(names, *missing_ok, sink),
            ReplicationStmt::Rename { name, new_name, .. } => {
                self.read_only_check("ALTER SUBSCRIPTION")?;
                let sub = self.owned_subscription(name)?;
                if self.subscription(new_name)?.is_some() {
                    return Err(pg_err!(
                        DUPLICATE_OBJECT,
                        "subscription \"{}\" already exists",
                        new_name
                    ));
                }
                let new_name = new_name.clone();
                self.update_object_row(catalog(), sub.oid, move |row, c| {
                    row[c("subname")] = Datum::Text(new_name)
                })?;
                Ok("ALTER SUBSCRIPTION".into())
            }
            ReplicationStmt::Owner { name, owner, .. } => self.subscription_owner(name, owner),
            ReplicationStmt::CreatePublication(_) | ReplicationStmt::AlterPublication { .. } => {
                Err(Error::internal(
                    "publication statement in the subscription dispatch",
                ))
            }
        }
    }

    /// `CREATE SUBSCRIPTION` (PostgreSQL's `CreateSubscription`; rule 1).
    ///
    /// Errors: option errors; 25001 `CREATE SUBSCRIPTION ... WITH (create_slot = true)
    /// cannot run inside a transaction block`; 42501 `must be superuser to create
    /// subscriptions`; 42710 `subscription "s" already exists`, `publication name "p"
    /// used more than once`; connection string errors; 0A000 for `connect = true`.
    fn create_subscription(
        &mut self,
        stmt: &CreateSubscriptionStmt,
        sql: &str,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        self.read_only_check("CREATE SUBSCRIPTION")?;
        let o = parse_options(
            sql,
            &stmt.options,
            &[
                Opt::Connect,
                Opt::Enabled,
                Opt::CreateSlot,
                Opt::SlotName,
                Opt::CopyData,
                Opt::SynchronousCommit,
                Opt::Binary,
                Opt::Streaming,
                Opt::TwoPhase,
                Opt::DisableOnError,
            ],
        )?;
        if o.create_slot {
            self.prevent_in_transaction_block("CREATE SUBSCRIPTION ... WITH (create_slot = true)")?;
        }
        if !self.superuser {
            return Err(pg_err!(
                INSUFFICIENT_PRIVILEGE,
                "must be superuser to create subscriptions"
            ));
        }
        if self.subscription(&stmt.name)?.is_some() {
            return Err(pg_err!(
                DUPLICATE_OBJECT,
                "subscription \"{}\" already exists",
                stmt.name
            ));
        }
        let slot_name = if o.has(Opt::SlotName) {
            o.slot_name.clone()
        } else {
            Some(stmt.name.clone())
        };
        check_conninfo(&stmt.conninfo)?;
        check_duplicates(&stmt.publications)?;
        if o.connect {
            check_port(&stmt.conninfo)?;
            return Err(no_workers("CREATE SUBSCRIPTION with connect = true")
                .hint("Use CREATE SUBSCRIPTION ... WITH (connect = false)."));
        }
        let owner = self.current_user_oid()?;
        let cluster = self.db.cluster.clone();
        let oid = cluster.xact.oids.next_oid(&cluster.wal);
        self.insert_catalog_row(
            CatalogRow::new(catalog())
                .set("oid", Datum::Oid(oid.0))
                .set("subdbid", Datum::Oid(self.db_oid.0))
                .set("subskiplsn", Datum::Int8(0))
                .set("subname", Datum::Text(stmt.name.clone()))
                .set("subowner", Datum::Oid(owner.0))
                .set("subenabled", Datum::Bool(o.enabled))
                .set("subbinary", Datum::Bool(o.binary))
                .set("substream", Datum::Bool(o.streaming))
                .set(
                    "subtwophasestate",
                    Datum::Text(if o.two_phase { "p" } else { "d" }.into()),
                )
                .set("subdisableonerr", Datum::Bool(o.disable_on_error))
                .set("subconninfo", Datum::Text(stmt.conninfo.clone()))
                .set("subslotname", slot_name.map_or(Datum::Null, Datum::Text))
                .set(
                    "subsynccommit",
                    Datum::Text(o.synchronous_commit.unwrap_or_else(|| "off".into())),
                )
                .set("subpublications", text_array(&stmt.publications)),
        )?;
        self.txn.command_counter_increment();
        sink.notice(
            NoticeSeverity::Warning,
            &pg_err!(
                WARNING,
                "tables were not subscribed, you will have to run {} to subscribe the tables",
                "ALTER SUBSCRIPTION ... REFRESH PUBLICATION"
            ),
        );
        Ok("CREATE SUBSCRIPTION".into())
    }

    /// `ALTER SUBSCRIPTION` (PostgreSQL's `AlterSubscription`; rule 1).
    ///
    /// Errors: 42704; 42501; option errors; 55000 `cannot set slot_name = NONE for
    /// enabled subscription`; 42601 `cannot enable subscription that does not have a
    /// slot name`, `... is not allowed for disabled subscriptions`; 42710 / 42601 for
    /// publication lists; 22023 `cannot drop all the publications from a subscription`;
    /// 42501 `must be superuser to skip transaction`; 0A000 for ENABLE.
    fn alter_subscription(
        &mut self,
        name: &str,
        change: &AlterSubscription,
        sql: &str,
    ) -> Result<String> {
        self.read_only_check("ALTER SUBSCRIPTION")?;
        let sub = self.owned_subscription(name)?;
        let tag = "ALTER SUBSCRIPTION".to_string();
        match change {
            AlterSubscription::Options(options) => {
                let o = parse_options(
                    sql,
                    options,
                    &[
                        Opt::SlotName,
                        Opt::SynchronousCommit,
                        Opt::Binary,
                        Opt::Streaming,
                        Opt::DisableOnError,
                    ],
                )?;
                if o.has(Opt::SlotName) && sub.enabled && o.slot_name.is_none() {
                    return Err(pg_err!(
                        OBJECT_NOT_IN_PREREQUISITE_STATE,
                        "cannot set {} for enabled subscription",
                        "slot_name = NONE"
                    ));
                }
                self.update_object_row(catalog(), sub.oid, move |row, c| {
                    if o.has(Opt::SlotName) {
                        row[c("subslotname")] =
                            o.slot_name.clone().map_or(Datum::Null, Datum::Text);
                    }
                    if let Some(s) = &o.synchronous_commit {
                        row[c("subsynccommit")] = Datum::Text(s.clone());
                    }
                    if o.has(Opt::Binary) {
                        row[c("subbinary")] = Datum::Bool(o.binary);
                    }
                    if o.has(Opt::Streaming) {
                        row[c("substream")] = Datum::Bool(o.streaming);
                    }
                    if o.has(Opt::DisableOnError) {
                        row[c("subdisableonerr")] = Datum::Bool(o.disable_on_error);
                    }
                })?;
            }
            AlterSubscription::Enable(enable) => {
                if *enable {
                    if sub.slot_name.is_none() {
                        return Err(pg_err!(
                            SYNTAX_ERROR,
                            "cannot enable subscription that does not have a slot name"
                        ));
                    }
                    return Err(no_workers("enabling a subscription"));
                }
                self.update_object_row(catalog(), sub.oid, |row, c| {
                    row[c("subenabled")] = Datum::Bool(false)
                })?;
            }
            AlterSubscription::Connection(conninfo) => {
                check_conninfo(conninfo)?;
                let conninfo = conninfo.clone();
                self.update_object_row(catalog(), sub.oid, move |row, c| {
                    row[c("subconninfo")] = Datum::Text(conninfo)
                })?;
            }
            AlterSubscription::Publication {
                add,
                names,
                options,
            } => {
                let o = parse_options(sql, options, &[Opt::CopyData, Opt::Refresh])?;
                check_duplicates(names)?;
                let list = match add {
                    None => names.clone(),
                    Some(add) => merge_publications(&sub, names, *add)?,
                };
                if o.refresh && !sub.enabled {
                    let hint = match add {
                        None => "Use ALTER SUBSCRIPTION ... SET PUBLICATION ... WITH (refresh = false).".to_string(),
                        Some(true) => "Use ALTER SUBSCRIPTION ... ADD PUBLICATION ... WITH (refresh = false) instead.".to_string(),
                        Some(false) => "Use ALTER SUBSCRIPTION ... DROP PUBLICATION ... WITH (refresh = false) instead.".to_string(),
                    };
                    return Err(pg_err!(
                        SYNTAX_ERROR,
                        "ALTER SUBSCRIPTION with refresh is not allowed for disabled subscriptions"
                    )
                    .hint(hint));
                }
                if o.refresh {
                    return Err(no_workers("ALTER SUBSCRIPTION with refresh"));
                }
                self.update_object_row(catalog(), sub.oid, move |row, c| {
                    row[c("subpublications")] = text_array(&list)
                })?;
            }
            AlterSubscription::Refresh(options) => {
                if !sub.enabled {
                    return Err(pg_err!(
                        SYNTAX_ERROR,
                        "ALTER SUBSCRIPTION ... REFRESH is not allowed for disabled subscriptions"
                    ));
                }
                parse_options(sql, options, &[Opt::CopyData])?;
                return Err(no_workers("ALTER SUBSCRIPTION ... REFRESH PUBLICATION"));
            }
            AlterSubscription::Skip(options) => {
                let o = parse_options(sql, options, &[Opt::Lsn])?;
                if !self.superuser {
                    return Err(pg_err!(
                        INSUFFICIENT_PRIVILEGE,
                        "must be superuser to skip transaction"
                    ));
                }
                let lsn = o.lsn;
                self.update_object_row(catalog(), sub.oid, move |row, c| {
                    row[c("subskiplsn")] = Datum::Int8(lsn as i64)
                })?;
            }
        }
        Ok(tag)
    }

    /// `DROP SUBSCRIPTION [IF EXISTS] name` (rule 1: only without a slot name).
    ///
    /// Errors: 42704; 42501; 25001 `DROP SUBSCRIPTION cannot run inside a transaction
    /// block` and 0A000 when the subscription still names a replication slot.
    fn drop_subscription(
        &mut self,
        names: &[String],
        missing_ok: bool,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        self.read_only_check("DROP SUBSCRIPTION")?;
        for name in names {
            let Some(sub) = self.subscription(name)? else {
                if missing_ok {
                    sink.notice(
                        NoticeSeverity::Notice,
                        &pg_err!(
                            SUCCESSFUL_COMPLETION,
                            "subscription \"{}\" does not exist, skipping",
                            name
                        ),
                    );
                    continue;
                }
                return Err(missing(name));
            };
            let sub = self.owned_subscription(&sub.name)?;
            if sub.slot_name.is_some() {
                self.prevent_in_transaction_block("DROP SUBSCRIPTION")?;
                return Err(no_workers("dropping the replication slot of a subscription")
                    .hint("Use ALTER SUBSCRIPTION ... SET (slot_name = NONE) to disassociate the subscription from the slot."));
            }
            self.remove_object_rows(catalog(), sub.oid)?;
            self.delete_comments(sub.oid, PG_SUBSCRIPTION, None)?;
            self.txn.command_counter_increment();
        }
        Ok("DROP SUBSCRIPTION".into())
    }

    /// `ALTER SUBSCRIPTION name OWNER TO role`.
    ///
    /// Errors: 42704; 42501 `must be owner of subscription s`, `permission denied to
    /// change owner of subscription "s"` (the owner must be a superuser).
    fn subscription_owner(&mut self, name: &str, owner: &RoleSpec) -> Result<String> {
        self.read_only_check("ALTER SUBSCRIPTION")?;
        let sub = self.owned_subscription(name)?;
        let new_owner = self.resolve_role_spec(owner)?;
        if !new_owner.superuser {
            return Err(pg_err!(
                INSUFFICIENT_PRIVILEGE,
                "permission denied to change owner of subscription \"{}\"",
                sub.name
            )
            .hint("The owner of a subscription must be a superuser."));
        }
        let oid = new_owner.oid;
        self.update_object_row(catalog(), sub.oid, move |row, c| {
            row[c("subowner")] = Datum::Oid(oid.0)
        })?;
        Ok("ALTER SUBSCRIPTION".into())
    }
}

/// PostgreSQL's `merge_publications`.
///
/// Errors: 42710 `publication "p" is already in subscription "s"`; 42601 `publication
/// "p" is not in subscription "s"`; 22023 `cannot drop all the publications from a
/// subscription`.
fn merge_publications(sub: &Subscription, names: &[String], add: bool) -> Result<Vec<String>> {
    let mut list = sub.publications.clone();
    for name in names {
        let found = list.iter().position(|p| p == name);
        match (found, add) {
            (Some(_), true) => {
                return Err(pg_err!(
                    DUPLICATE_OBJECT,
                    "publication \"{}\" is already in subscription \"{}\"",
                    name,
                    sub.name
                ))
            }
            (Some(i), false) => {
                list.remove(i);
            }
            (None, true) => list.push(name.clone()),
            (None, false) => {
                return Err(pg_err!(
                    SYNTAX_ERROR,
                    "publication \"{}\" is not in subscription \"{}\"",
                    name,
                    sub.name
                ))
            }
        }
    }
    if list.is_empty() {
        return Err(pg_err!(
            INVALID_PARAMETER_VALUE,
            "cannot drop all the publications from a subscription"
        ));
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conninfo_is_checked_as_libpq_parses_it() {
        assert!(check_conninfo("dbname=x host = 'a b' port=5432").is_ok());
        assert!(check_conninfo("postgresql://localhost/x").is_ok());
        let e = check_conninfo("testconn").expect_err("no =");
        assert_eq!(
            e.message,
            "invalid connection string syntax: missing \"=\" after \"testconn\" in connection info string\n"
        );
        let e = check_conninfo("i_dont_exist=param").expect_err("unknown keyword");
        assert_eq!(
            e.message,
            "invalid connection string syntax: invalid connection option \"i_dont_exist\"\n"
        );
    }

    #[test]
    fn option_combinations_are_refused_as_postgres_refuses_them() {
        let create = [
            Opt::Connect,
            Opt::Enabled,
            Opt::CreateSlot,
            Opt::SlotName,
            Opt::CopyData,
        ];
        let opt = |n: &str, v: &str| (n.to_string(), Some(v.to_string()), 0);
        let e = parse_options("", &[opt("slot_name", "none")], &create).expect_err("enabled");
        assert_eq!(
            e.message,
            "subscription with slot_name = NONE must also set enabled = false"
        );
        let e = parse_options(
            "",
            &[opt("connect", "false"), opt("copy_data", "true")],
            &create,
        )
        .expect_err("exclusive");
        assert_eq!(
            e.message,
            "connect = false and copy_data = true are mutually exclusive options"
        );
        let o = parse_options("", &[opt("connect", "false")], &create).expect("valid");
        assert!(!o.enabled && !o.create_slot && !o.copy_data);
    }
}
