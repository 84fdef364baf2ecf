//! One backend's parameter values: the server's values, overridden by startup-packet
//! options, then by SET; with PostgreSQL's transactional semantics (guc.c's per-variable
//! stack, PostgreSQL docs SET reference page).
//!
//! ```text
//!   nest level 0: no transaction      1: transaction      2..: savepoints
//!
//!   SET x (level n)        push {level n, SET,   prior = old value}
//!   SET LOCAL x (level n)  push {level n, LOCAL, prior = old value}
//!                          (a SET then SET LOCAL at one level: SET_LOCAL, masked = SET's value)
//!   commit of level 1:     SET keeps the value; LOCAL restores prior; SET_LOCAL restores masked
//!   release of level n>1:  the entry merges into level n-1 (or just moves down to it)
//!   abort of any level:    restore prior
//! ```
//!
//! Entry points: [`SessionConfig::new`], [`SessionConfig::set`],
//! [`SessionConfig::set_from_startup`], [`SessionConfig::reset`], the transaction hooks
//! (`at_transaction_start`, `at_commit`, `at_abort`, `at_savepoint`, `at_release_savepoint`,
//! `at_rollback_to_savepoint`), [`SessionConfig::apply_reload`]. Display is in `view.rs`.

use tusk_types::{pg_err, Result, SqlState};

use super::def::{all_defs, index_of, GucContext, GucDef, GucFlags, GucSource, REPORTED};
use super::server::{is_valid_custom_name, ServerConfig, Setting};
use super::value::{parse_value, GucValue, ParseContext};

#[derive(Clone, Copy, PartialEq, Debug)]
enum StackState {
    Set,
    Local,
    SetLocal,
}

#[derive(Clone, Debug)]
struct StackEntry {
    nest_level: usize,
    state: StackState,
    prior: Setting,
    masked: Option<Setting>,
}

/// A variable's session state.
#[derive(Clone, Debug)]
pub(crate) struct SessionVar {
    pub current: Setting,
    pub reset: Setting,
    stack: Vec<StackEntry>,
}

impl SessionVar {
    fn new(setting: Setting) -> SessionVar {
        SessionVar {
            current: setting.clone(),
            reset: setting,
            stack: Vec::new(),
        }
    }
}

/// Which variable a name denotes.
#[derive(Clone, Copy)]
enum VarKey {
    Builtin(usize),
    Placeholder(usize),
}

/// How a value is being set.
#[derive(Clone, Copy, PartialEq)]
enum Action {
    Set,
    Local,
}

/// One backend's parameter values. See the module header for the transaction rules.
#[derive(Clone, Debug)]
pub struct SessionConfig {
    pub(crate) vars: Vec<SessionVar>,
    /// `prefix.name` placeholders: (name as first written, state).
    pub(crate) placeholders: Vec<(String, SessionVar)>,
    pub(crate) pending_restart: Vec<bool>,
    nest_level: usize,
    /// True once the current transaction took its first snapshot (ran a query).
    first_snapshot_taken: bool,
    /// Placeholder prefixes reserved by loaded extensions (`plpgsql`).
    reserved_prefixes: Vec<String>,
    /// Last value sent in ParameterStatus for each of `REPORTED`.
    last_reported: Vec<Option<String>>,
    /// Bumped by every change that may alter a `REPORTED` parameter's value, so that
    /// statements that change none skip comparing them.
    changes: u64,
    /// `changes` when `last_reported` was last brought up to date.
    reported_at: Option<u64>,
    /// `changes` when no variable had stacked values (values are stacked only through
    /// `var_mut`, which bumps `changes`), so transaction ends can skip the variables.
    unstacked_at: Option<u64>,
}

impl SessionConfig {
    /// A session starting from the server's current values.
    pub fn new(server: &ServerConfig) -> SessionConfig {
        let mut session = SessionConfig {
            vars: server.values.iter().cloned().map(SessionVar::new).collect(),
            placeholders: server
                .placeholders
                .iter()
                .map(|(n, s)| (n.clone(), SessionVar::new(s.clone())))
                .collect(),
            pending_restart: server.pending_restart.clone(),
            nest_level: 0,
            first_snapshot_taken: false,
            reserved_prefixes: Vec::new(),
            last_reported: vec![None; REPORTED.len()],
            changes: 0,
            reported_at: None,
            unstacked_at: None,
        };
        for name in [
            "transaction_isolation",
            "transaction_read_only",
            "transaction_deferrable",
        ] {
            let i = index_of(name).expect("transaction parameters are registered");
            session.vars[i].current.source = GucSource::Override;
            session.vars[i].reset.source = GucSource::Override;
        }
        session
    }

    fn resolve(&mut self, name: &str, create: bool) -> Result<VarKey> {
        if let Some(i) = index_of(name) {
            return Ok(VarKey::Builtin(i));
        }
        if let Some(i) = self
            .placeholders
            .iter()
            .position(|(n, _)| n.eq_ignore_ascii_case(name))
        {
            return Ok(VarKey::Placeholder(i));
        }
        if !name.contains('.') {
            return Err(unrecognized(name));
        }
        if !is_valid_custom_name(name) {
            return Err(pg_err!(
                INVALID_NAME,
                "invalid configuration parameter name \"{}\"",
                name
            )
            .detail(
                "Custom parameter names must be two or more simple identifiers separated by dots.",
            ));
        }
        let prefix = name.split('.').next().unwrap_or_default();
        if let Some(reserved) = self.reserved_prefixes.iter().find(|p| *p == prefix) {
            return Err(pg_err!(
                INVALID_NAME,
                "invalid configuration parameter name \"{}\"",
                name
            )
            .detail(format!("\"{reserved}\" is a reserved prefix.")));
        }
        if !create {
            return Err(unrecognized(name));
        }
        self.placeholders.push((
            name.to_string(),
            SessionVar::new(Setting::new(
                GucValue::Str(Some(String::new())),
                GucSource::Default,
            )),
        ));
        Ok(VarKey::Placeholder(self.placeholders.len() - 1))
    }

    fn var_mut(&mut self, key: VarKey) -> &mut SessionVar {
        self.changes += 1;
        match key {
            VarKey::Builtin(i) => &mut self.vars[i],
            VarKey::Placeholder(i) => &mut self.placeholders[i].1,
        }
    }

    pub(crate) fn var_by_name(&self, name: &str) -> Option<(Option<&'static GucDef>, &SessionVar)> {
        if let Some(i) = index_of(name) {
            return Some((Some(&all_defs()[i]), &self.vars[i]));
        }
        self.placeholders
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| (None, v))
    }

    /// PostgreSQL's `set_config_option`: `context` is the setter's privilege context,
    /// `value` None means the reset value.
    fn set_option(
        &mut self,
        name: &str,
        value: Option<&str>,
        context: GucContext,
        source: GucSource,
        action: Action,
    ) -> Result<()> {
        let key = self.resolve(name, true)?;
        let def = match key {
            VarKey::Builtin(i) => Some(&all_defs()[i]),
            VarKey::Placeholder(_) => None,
        };
        if let Some(def) = def {
            check_context(def, name, context, source)?;
        }
        let make_default = source <= GucSource::Override && value.is_some();
        let nest_level = self.nest_level;
        let var = self.var_mut(key);
        let mut change_val = true;
        if var.current.source > source {
            if !make_default {
                return Ok(());
            }
            change_val = false;
        }
        let new = match value {
            Some(text) => {
                let value = match def {
                    Some(def) => {
                        let current = var.current.value.setting_text();
                        let reset = var.reset.value.setting_text();
                        parse_value(
                            def,
                            name,
                            text,
                            ParseContext {
                                current: Some(&current),
                                reset: Some(&reset),
                            },
                        )?
                    }
                    None => GucValue::Str(Some(text.to_string())),
                };
                Setting::new(value, source)
            }
            None => var.reset.clone(),
        };
        if change_val && source == GucSource::Session {
            if let Some(def) = def {
                self.check_transaction_parameter(def, &new.value)?;
            }
        }
        let var = self.var_mut(key);
        if change_val {
            if !make_default {
                push_old_value(var, nest_level, action);
            }
            var.current = new.clone();
        }
        if make_default {
            if var.reset.source <= source {
                var.reset = new.clone();
            }
            for entry in var.stack.iter_mut() {
                if entry.prior.source <= source {
                    entry.prior = new.clone();
                }
            }
        }
        Ok(())
    }

    /// The rules of SET TRANSACTION (PostgreSQL's check hooks of `transaction_isolation`,
    /// `transaction_read_only` and `transaction_deferrable`), inside a transaction.
    fn check_transaction_parameter(&self, def: &GucDef, new: &GucValue) -> Result<()> {
        if self.nest_level == 0 {
            return Ok(());
        }
        let active =
            |message: &str| tusk_types::Error::new(SqlState::ACTIVE_SQL_TRANSACTION, message);
        let in_recovery = self.get_bool("in_hot_standby");
        match def.name {
            "transaction_isolation" => {
                if new.setting_text() == self.get_string("transaction_isolation") {
                    return Ok(());
                }
                if self.first_snapshot_taken {
                    return Err(active(
                        "SET TRANSACTION ISOLATION LEVEL must be called before any query",
                    ));
                }
                if self.nest_level > 1 {
                    return Err(active(
                        "SET TRANSACTION ISOLATION LEVEL must not be called in a subtransaction",
                    ));
                }
                if in_recovery && new.setting_text() == "serializable" {
                    return Err(pg_err!(
                        FEATURE_NOT_SUPPORTED,
                        "cannot use serializable mode in a hot standby"
                    )
                    .hint("You can use REPEATABLE READ instead."));
                }
            }
            "transaction_read_only" => {
                if new.as_bool() || !self.get_bool("transaction_read_only") {
                    return Ok(());
                }
                if self.first_snapshot_taken {
                    return Err(active(
                        "transaction read-write mode must be set before any query",
                    ));
                }
                if in_recovery {
                    return Err(pg_err!(
                        FEATURE_NOT_SUPPORTED,
                        "cannot set transaction read-write mode during recovery"
                    ));
                }
            }
            "transaction_deferrable" => {
                if self.nest_level > 1 {
                    return Err(active(
                        "SET TRANSACTION [NOT] DEFERRABLE cannot be called within a subtransaction",
                    ));
                }
                if self.first_snapshot_taken {
                    return Err(active(
                        "SET TRANSACTION [NOT] DEFERRABLE must be called before any query",
                    ));
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Records that the current transaction took its first snapshot (ran a query); from then
    /// on SET TRANSACTION ISOLATION LEVEL / READ WRITE / DEFERRABLE fail with 25001, as in
    /// PostgreSQL. Reset by [`SessionConfig::at_transaction_start`].
    pub fn set_first_snapshot_taken(&mut self) {
        self.first_snapshot_taken = true;
    }

    /// A startup-packet setting (`options=-c name=value`, or a parameter such as
    /// `application_name`), source "client". It becomes the reset value too.
    ///
    /// Errors: 42704 unknown name; 22023 bad value; 55P02 `parameter "x" cannot be changed
    /// without restarting the server` / `cannot be changed now` / `cannot be changed`;
    /// 42501 `permission denied to set parameter "x"`. PostgreSQL reports these as FATAL.
    pub fn set_from_startup(&mut self, name: &str, value: &str, superuser: bool) -> Result<()> {
        let context = if superuser {
            GucContext::SuperuserBackend
        } else {
            GucContext::Backend
        };
        self.set_option(name, Some(value), context, GucSource::Client, Action::Set)
    }

    /// `SET [LOCAL] name TO value` (`value` None: `TO DEFAULT`). List values arrive already
    /// flattened (see [`super::flatten_set_args`]). Outside a transaction (nest level 0) the
    /// value simply replaces the current one.
    ///
    /// Errors: 42704 `unrecognized configuration parameter "x"`; 42602 invalid custom name;
    /// 22023 invalid value (with PostgreSQL's hint); 55P02 `parameter "x" cannot be changed
    /// without restarting the server` (postmaster), `cannot be changed now` (sighup),
    /// `cannot be changed` (internal), `cannot be set after connection start` (backend);
    /// 42501 `permission denied to set parameter "x"` (superuser context, not superuser).
    pub fn set(
        &mut self,
        name: &str,
        value: Option<&str>,
        local: bool,
        superuser: bool,
    ) -> Result<()> {
        let context = if superuser {
            GucContext::Superuser
        } else {
            GucContext::User
        };
        let action = if local { Action::Local } else { Action::Set };
        self.set_option(name, value, context, GucSource::Session, action)
    }

    /// A per-database or per-role default (`ALTER DATABASE/ROLE ... SET`), applied at
    /// connection start with `source` `Database`, `User`, `DatabaseUser` or `Global`; like
    /// startup options it becomes the reset value. `superuser` is the privilege of the role
    /// that set it. PostgreSQL reports failures here as WARNINGs.
    /// Errors: as [`SessionConfig::set`].
    pub fn set_default_from(
        &mut self,
        name: &str,
        value: &str,
        source: GucSource,
        superuser: bool,
    ) -> Result<()> {
        let context = if superuser {
            GucContext::Superuser
        } else {
            GucContext::User
        };
        self.set_option(name, Some(value), context, source, Action::Set)
    }

    /// `RESET name`: the same as `SET name TO DEFAULT`.
    pub fn reset(&mut self, name: &str, superuser: bool) -> Result<()> {
        self.set(name, None, false, superuser)
    }

    /// `RESET ALL`: every user- or superuser-settable parameter without `GUC_NO_RESET_ALL`
    /// that was changed by SET returns to its reset value (transactionally, like SET).
    pub fn reset_all(&mut self) {
        let nest_level = self.nest_level;
        for (i, def) in all_defs().iter().enumerate() {
            if !matches!(def.context, GucContext::User | GucContext::Superuser)
                || def.has(GucFlags::NO_RESET_ALL)
            {
                continue;
            }
            self.changes += 1;
            let var = &mut self.vars[i];
            if var.current.source <= GucSource::Override {
                continue;
            }
            push_old_value(var, nest_level, Action::Set);
            var.current = var.reset.clone();
        }
        for (_, var) in self.placeholders.iter_mut() {
            if var.current.source > GucSource::Override {
                push_old_value(var, nest_level, Action::Set);
                var.current = var.reset.clone();
            }
        }
    }

    /// Sets a value as the server does internally (source "override", also the reset
    /// value), bypassing context checks: `is_superuser`, `session_authorization`,
    /// `in_hot_standby`, `transaction_isolation` at transaction start, ...
    /// Errors: 42704 unknown name; 22023 invalid value.
    pub fn set_internal(&mut self, name: &str, value: &str) -> Result<()> {
        let key = self.resolve(name, false)?;
        let new = match key {
            VarKey::Builtin(i) => {
                let def = &all_defs()[i];
                let current = self.vars[i].current.value.setting_text();
                Setting::new(
                    parse_value(
                        def,
                        name,
                        value,
                        ParseContext {
                            current: Some(&current),
                            reset: Some(&current),
                        },
                    )?,
                    GucSource::Override,
                )
            }
            VarKey::Placeholder(_) => {
                Setting::new(GucValue::Str(Some(value.to_string())), GucSource::Override)
            }
        };
        let var = self.var_mut(key);
        if var.current.source <= GucSource::Override {
            var.current = new.clone();
        }
        if var.reset.source <= GucSource::Override {
            var.reset = new.clone();
        }
        for entry in var.stack.iter_mut() {
            if entry.prior.source <= GucSource::Override {
                entry.prior = new.clone();
            }
        }
        Ok(())
    }

    /// Reserves a placeholder prefix, as loading an extension does (`MarkGUCPrefixReserved`):
    /// later `SET prefix.x` fails with 42602, and existing `prefix.*` placeholders are
    /// removed. Returns (message, detail) of the WARNING PostgreSQL logs for each removed one.
    pub fn reserve_prefix(&mut self, prefix: &str) -> Vec<(String, String)> {
        let mut warnings = Vec::new();
        self.changes += 1;
        self.placeholders.retain(|(name, _)| {
            let matches = name.split('.').next() == Some(prefix);
            if matches {
                warnings.push((
                    format!("invalid configuration parameter name \"{name}\", removing it"),
                    format!("\"{prefix}\" is now a reserved prefix."),
                ));
            }
            !matches
        });
        if !self.reserved_prefixes.iter().any(|p| p == prefix) {
            self.reserved_prefixes.push(prefix.to_string());
        }
        warnings
    }

    /// Current nesting level: 0 outside a transaction, 1 in a transaction, +1 per savepoint.
    pub fn nest_level(&self) -> usize {
        self.nest_level
    }

    /// Start of a transaction (nest level 1). Sets `transaction_isolation`,
    /// `transaction_read_only` and `transaction_deferrable` from their `default_` parameters.
    pub fn at_transaction_start(&mut self) {
        self.nest_level = 1;
        self.first_snapshot_taken = false;
        for (name, default) in [
            ("transaction_isolation", "default_transaction_isolation"),
            ("transaction_read_only", "default_transaction_read_only"),
            ("transaction_deferrable", "default_transaction_deferrable"),
        ] {
            let d = index_of(default).expect("default_transaction_* registered");
            let value = self.vars[d].current.value.clone();
            let i = index_of(name).expect("transaction_* registered");
            let value = if name == "transaction_read_only" && self.get_bool("in_hot_standby") {
                GucValue::Bool(true)
            } else {
                value
            };
            self.vars[i].current = Setting::new(value.clone(), GucSource::Override);
            self.vars[i].reset = Setting::new(value, GucSource::Override);
        }
    }

    /// COMMIT: SET values stay, SET LOCAL values are undone.
    pub fn at_commit(&mut self) {
        self.at_end_of_level(true, 1);
        self.nest_level = 0;
    }

    /// ROLLBACK (or a failed transaction): every change made in the transaction is undone.
    pub fn at_abort(&mut self) {
        self.at_end_of_level(false, 1);
        self.nest_level = 0;
    }

    /// SAVEPOINT: opens a new nest level and returns it.
    pub fn at_savepoint(&mut self) -> usize {
        if self.nest_level == 0 {
            self.nest_level = 1;
        }
        self.nest_level += 1;
        self.nest_level
    }

    /// RELEASE SAVEPOINT (one level; call once per level released): changes made since the
    /// savepoint become part of the enclosing level.
    pub fn at_release_savepoint(&mut self) {
        if self.nest_level <= 1 {
            return;
        }
        self.at_end_of_level(true, self.nest_level);
        self.nest_level -= 1;
    }

    /// ROLLBACK TO SAVEPOINT: changes made since the savepoint are undone; the savepoint
    /// (and its nest level) remains.
    pub fn at_rollback_to_savepoint(&mut self) {
        if self.nest_level <= 1 {
            return;
        }
        self.at_end_of_level(false, self.nest_level);
    }

    /// PostgreSQL's `AtEOXact_GUC(is_commit, nest_level)`.
    fn at_end_of_level(&mut self, is_commit: bool, nest_level: usize) {
        if self.unstacked_at == Some(self.changes) {
            return;
        }
        let vars = self
            .vars
            .iter_mut()
            .chain(self.placeholders.iter_mut().map(|(_, v)| v));
        let mut popped = false;
        for var in vars {
            if !var.stack.is_empty() {
                popped = true;
                pop_level(var, is_commit, nest_level);
            }
        }
        if popped {
            self.changes += 1;
        }
        let unstacked = self.vars.iter().all(|v| v.stack.is_empty())
            && self.placeholders.iter().all(|(_, v)| v.stack.is_empty());
        if unstacked {
            self.unstacked_at = Some(self.changes);
        }
    }

    /// A typed current value: integer in base unit (kB, ms, 8kB blocks, ...); 0 if unknown.
    pub fn get_int(&self, name: &str) -> i64 {
        self.var_by_name(name)
            .map(|(_, v)| v.current.value.as_int())
            .unwrap_or(0)
    }

    /// A boolean current value; false if unknown.
    pub fn get_bool(&self, name: &str) -> bool {
        self.var_by_name(name)
            .map(|(_, v)| v.current.value.as_bool())
            .unwrap_or(false)
    }

    /// A real current value in its base unit; 0 if unknown.
    pub fn get_real(&self, name: &str) -> f64 {
        self.var_by_name(name)
            .map(|(_, v)| v.current.value.as_real())
            .unwrap_or(0.0)
    }

    /// A string or enum current value (enum: canonical name); "" if unknown or NULL.
    pub fn get_string(&self, name: &str) -> String {
        self.var_by_name(name)
            .map(|(_, v)| v.current.value.setting_text())
            .unwrap_or_default()
    }

    /// The source of the current value.
    pub fn get_source(&self, name: &str) -> Option<GucSource> {
        self.var_by_name(name).map(|(_, v)| v.current.source)
    }

    /// After the server reloaded its files: values (current, reset and stacked) that still
    /// come from the files or defaults take the server's new values; values set by the
    /// client, SET or the command line stay. Postmaster- and backend-context parameters do
    /// not change in a running session.
    pub fn apply_reload(&mut self, server: &ServerConfig) {
        self.pending_restart = server.pending_restart.clone();
        for (i, def) in all_defs().iter().enumerate() {
            if def.context < GucContext::Sighup
                || matches!(
                    def.context,
                    GucContext::Backend | GucContext::SuperuserBackend
                )
            {
                continue;
            }
            let new = &server.values[i];
            if new.source > GucSource::ConfigurationFile {
                continue;
            }
            self.changes += 1;
            update_file_level(&mut self.vars[i], new);
        }
        for (name, setting) in &server.placeholders {
            if setting.source > GucSource::ConfigurationFile {
                continue;
            }
            match self
                .placeholders
                .iter_mut()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
            {
                Some((_, var)) => update_file_level(var, setting),
                None => self
                    .placeholders
                    .push((name.clone(), SessionVar::new(setting.clone()))),
            }
        }
    }

    /// `GUC_REPORT` parameters whose SHOW value changed since the last call (or since
    /// [`SessionConfig::reported_params`]), for ParameterStatus messages.
    pub fn take_reported_changes(&mut self) -> Vec<(String, String)> {
        // `at_transaction_start` sets only the transaction_* parameters, none of which is
        // reported; every other change bumps `changes`.
        if self.reported_at == Some(self.changes) {
            return Vec::new();
        }
        self.reported_at = Some(self.changes);
        let mut changes = Vec::new();
        for (k, name) in REPORTED.iter().enumerate() {
            let value = self.show(name).unwrap_or_default();
            if self.last_reported[k].as_deref() != Some(value.as_str()) {
                self.last_reported[k] = Some(value.clone());
                changes.push((name.to_string(), value));
            }
        }
        changes
    }

    /// All `GUC_REPORT` parameters with their current values, in the order PostgreSQL 15
    /// sends them after authentication; marks them as reported.
    pub fn reported_params(&mut self) -> Vec<(String, String)> {
        self.reported_at = Some(self.changes);
        let mut all = Vec::new();
        for (k, name) in REPORTED.iter().enumerate() {
            let value = self.show(name).unwrap_or_default();
            self.last_reported[k] = Some(value.clone());
            all.push((name.to_string(), value));
        }
        all
    }
}

fn unrecognized(name: &str) -> tusk_types::Error {
    pg_err!(
        UNDEFINED_OBJECT,
        "unrecognized configuration parameter \"{}\"",
        name
    )
}

/// The context rules of `set_config_option`.
fn check_context(def: &GucDef, name: &str, context: GucContext, source: GucSource) -> Result<()> {
    let cant =
        |message: String| tusk_types::Error::new(SqlState::CANT_CHANGE_RUNTIME_PARAM, message);
    let denied = || {
        pg_err!(
            INSUFFICIENT_PRIVILEGE,
            "permission denied to set parameter \"{}\"",
            name
        )
    };
    match def.context {
        GucContext::Internal => {
            if context != GucContext::Internal {
                return Err(cant(format!("parameter \"{name}\" cannot be changed")));
            }
        }
        GucContext::Postmaster => {
            if context != GucContext::Postmaster {
                return Err(cant(format!(
                    "parameter \"{name}\" cannot be changed without restarting the server"
                )));
            }
        }
        GucContext::Sighup => {
            if context != GucContext::Sighup && context != GucContext::Postmaster {
                return Err(cant(format!("parameter \"{name}\" cannot be changed now")));
            }
        }
        GucContext::SuperuserBackend | GucContext::Backend => {
            if def.context == GucContext::SuperuserBackend && context == GucContext::Backend {
                return Err(denied());
            }
            if !matches!(
                context,
                GucContext::Postmaster
                    | GucContext::Sighup
                    | GucContext::Backend
                    | GucContext::SuperuserBackend
            ) && source != GucSource::Client
            {
                return Err(cant(format!(
                    "parameter \"{name}\" cannot be set after connection start"
                )));
            }
        }
        GucContext::Superuser => {
            if context == GucContext::User || context == GucContext::Backend {
                return Err(denied());
            }
        }
        GucContext::User => {}
    }
    Ok(())
}

/// PostgreSQL's `push_old_value`.
fn push_old_value(var: &mut SessionVar, nest_level: usize, action: Action) {
    if nest_level == 0 {
        return;
    }
    if let Some(top) = var.stack.last_mut() {
        if top.nest_level >= nest_level {
            match action {
                Action::Set => {
                    top.masked = None;
                    top.state = StackState::Set;
                }
                Action::Local => {
                    if top.state == StackState::Set {
                        top.masked = Some(var.current.clone());
                        top.state = StackState::SetLocal;
                    }
                }
            }
            return;
        }
    }
    var.stack.push(StackEntry {
        nest_level,
        state: match action {
            Action::Set => StackState::Set,
            Action::Local => StackState::Local,
        },
        prior: var.current.clone(),
        masked: None,
    });
}

/// Pops (or merges down) a variable's stack entries at `nest_level` and above.
fn pop_level(var: &mut SessionVar, is_commit: bool, nest_level: usize) {
    while let Some(top) = var.stack.last() {
        if top.nest_level < nest_level {
            break;
        }
        let mut entry = var.stack.pop().expect("stack has a top entry");
        let mut restore: Option<Setting> = None;
        if !is_commit {
            restore = Some(entry.prior);
        } else if entry.nest_level == 1 {
            match entry.state {
                StackState::SetLocal => {
                    let mut masked = entry.masked.take().expect("SET_LOCAL keeps the SET value");
                    masked.source = GucSource::Session;
                    restore = Some(masked);
                }
                StackState::Set => {}
                StackState::Local => restore = Some(entry.prior),
            }
        } else {
            let prev_level = var.stack.last().map(|p| p.nest_level);
            if prev_level.is_none_or(|l| l < entry.nest_level - 1) {
                entry.nest_level -= 1;
                var.stack.push(entry);
                continue;
            }
            let prev = var.stack.last_mut().expect("checked above");
            match entry.state {
                StackState::Set => {
                    prev.masked = None;
                    prev.state = StackState::Set;
                }
                StackState::Local => {
                    if prev.state == StackState::Set {
                        prev.masked = Some(entry.prior);
                        prev.state = StackState::SetLocal;
                    }
                }
                StackState::SetLocal => {
                    prev.masked = entry.masked;
                    prev.state = StackState::SetLocal;
                }
            }
        }
        if let Some(setting) = restore {
            var.current = setting;
        }
    }
}

/// Reload rule: each of current, reset and stacked values that comes from the files or a
/// default takes the new server value.
fn update_file_level(var: &mut SessionVar, new: &Setting) {
    let from_files = |s: &Setting| s.source <= GucSource::ConfigurationFile;
    if from_files(&var.current) {
        var.current = new.clone();
    }
    if from_files(&var.reset) {
        var.reset = new.clone();
    }
    for entry in var.stack.iter_mut() {
        if from_files(&entry.prior) {
            entry.prior = new.clone();
        }
    }
}

#[cfg(test)]
#[path = "session_tests.rs"]
mod tests;
