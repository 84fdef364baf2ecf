//! Server-wide parameter values (the postmaster's view): boot values, then
//! `postgresql.conf` with its includes, then `postgresql.auto.conf`, then `-c name=value`
//! from the command line; and reloading the files on SIGHUP (PostgreSQL's
//! `ProcessConfigFile`, docs §20.1.2–§20.1.3).
//!
//! Invariants: `values[i]` belongs to `all_defs()[i]`; a value's source never decreases
//! through a reload except when its line disappears from the files (reset to default).
//! Reload applies nothing if a file has a syntax error or an unknown parameter; otherwise
//! it applies every valid line and reports the rest ("unaffected changes were applied").

use std::path::{Path, PathBuf};

use tusk_types::{pg_err, Error, Result, SqlState};

use super::conf_file::{self, ConfigItem, ParsedConfig};
use super::def::{all_defs, index_of, GucContext, GucDef, GucFlags, GucSource};
use super::value::{boot_value, parse_value, GucValue, ParseContext};
use super::{AUTO_CONFIG_FILENAME, CONFIG_FILENAME};

/// One value with where it came from.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Setting {
    pub value: GucValue,
    pub source: GucSource,
    /// File and line for values from a configuration file.
    pub location: Option<(PathBuf, u32)>,
}

impl Setting {
    pub(crate) fn new(value: GucValue, source: GucSource) -> Setting {
        Setting {
            value,
            source,
            location: None,
        }
    }
}

/// Server-wide values. Cheap to clone; each session starts from one (see
/// [`super::SessionConfig::new`]).
#[derive(Clone, Debug)]
pub struct ServerConfig {
    pub(crate) values: Vec<Setting>,
    pub(crate) pending_restart: Vec<bool>,
    /// `prefix.name` placeholders from the files or the command line: (name, setting).
    pub(crate) placeholders: Vec<(String, Setting)>,
}

/// True for `prefix.name` with each part a simple identifier (`valid_custom_variable_name`).
pub(crate) fn is_valid_custom_name(name: &str) -> bool {
    let mut parts = 0;
    for part in name.split('.') {
        let mut chars = part.chars();
        match chars.next() {
            Some(c) if c.is_ascii_alphabetic() || c == '_' || !c.is_ascii() => {}
            _ => return false,
        }
        if !chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$' || !c.is_ascii()) {
            return false;
        }
        parts += 1;
    }
    parts >= 2
}

/// What happened when a file line was applied.
enum Applied {
    Changed,
    Unchanged,
}

impl ServerConfig {
    /// Boot values only, plus the values PostgreSQL computes at start (`max_stack_depth`,
    /// `timezone_abbreviations`, `wal_buffers`).
    pub fn boot() -> ServerConfig {
        let values = all_defs()
            .iter()
            .map(|d| Setting::new(boot_value(d), GucSource::Default))
            .collect();
        let mut config = ServerConfig {
            values,
            pending_restart: vec![false; all_defs().len()],
            placeholders: Vec::new(),
        };
        config.force(
            "max_stack_depth",
            GucValue::Int(2048),
            GucSource::DynamicDefault,
        );
        config.force(
            "timezone_abbreviations",
            GucValue::Str(Some("Default".into())),
            GucSource::DynamicDefault,
        );
        // The database's encoding; PostgreSQL sets both at backend start.
        for name in ["server_encoding", "client_encoding"] {
            config.force(
                name,
                GucValue::Str(Some("UTF8".into())),
                GucSource::DynamicDefault,
            );
        }
        config.resolve_dynamic_defaults();
        config
    }

    fn force(&mut self, name: &str, value: GucValue, source: GucSource) {
        let i = index_of(name).expect("forced parameters are registered");
        self.values[i] = Setting::new(value, source);
    }

    /// `wal_buffers = -1` means 1/32 of shared_buffers, between 8 blocks and one segment.
    fn resolve_dynamic_defaults(&mut self) {
        let i = index_of("wal_buffers").expect("wal_buffers is registered");
        if self.values[i].value == GucValue::Int(-1)
            || self.values[i].source == GucSource::DynamicDefault
        {
            let shared = self.int("shared_buffers");
            let per_segment = self.int("wal_segment_size") / 8192;
            let buffers = (shared / 32).min(per_segment).max(8);
            let source = if self.values[i].source == GucSource::Default {
                GucSource::DynamicDefault
            } else {
                GucSource::Override
            };
            self.values[i] = Setting::new(GucValue::Int(buffers), source);
        }
    }

    /// Reads `data_dir/postgresql.conf` and `data_dir/postgresql.auto.conf` (either may be
    /// missing) and applies `command_line` (`-c name=value`, highest priority).
    ///
    /// Errors (the server must not start): F0000 `configuration file "..." contains errors`
    /// (with the first problem as DETAIL) for syntax errors, unknown names or bad values in
    /// the files; 42704 `unrecognized configuration parameter "x"` or 22023 invalid value
    /// for a `-c` option; 55P02 for internal (report-only) parameters.
    pub fn load(data_dir: &Path, command_line: &[(String, String)]) -> Result<ServerConfig> {
        let mut config = ServerConfig::boot();
        let data_dir = absolute(data_dir);
        config.set_paths(&data_dir);
        let parsed = read_config_files(&data_dir);
        if let Some(file) = &parsed.file_with_error {
            return Err(config_file_error(file, &parsed.errors));
        }
        let mut errors = Vec::new();
        for item in final_items(&parsed.items) {
            if let Err(err) = config.apply_at_startup(item) {
                errors.push(err.message);
            }
        }
        if !errors.is_empty() {
            let file = data_dir.join(CONFIG_FILENAME);
            return Err(config_file_error(&file, &errors));
        }
        for (name, value) in command_line {
            config.apply_command_line(name, value)?;
        }
        config.set_default_auth_files(&data_dir);
        config.resolve_dynamic_defaults();
        Ok(config)
    }

    fn set_paths(&mut self, data_dir: &Path) {
        let path = |p: PathBuf| GucValue::Str(Some(p.display().to_string()));
        self.force(
            "data_directory",
            path(data_dir.to_path_buf()),
            GucSource::Override,
        );
        self.force(
            "config_file",
            path(data_dir.join(CONFIG_FILENAME)),
            GucSource::Override,
        );
    }

    /// `hba_file` and `ident_file` default to the data directory unless a file or the
    /// command line named them (PostgreSQL's `SelectConfigFiles`).
    fn set_default_auth_files(&mut self, data_dir: &Path) {
        for (name, file) in [("hba_file", "pg_hba.conf"), ("ident_file", "pg_ident.conf")] {
            if self.source(name) == Some(GucSource::Default) {
                let value = GucValue::Str(Some(data_dir.join(file).display().to_string()));
                self.force(name, value, GucSource::Override);
            }
        }
    }

    fn apply_at_startup(&mut self, item: &ConfigItem) -> Result<()> {
        let Some(i) = index_of(&item.name) else {
            if is_valid_custom_name(&item.name) {
                self.set_placeholder(&item.name, &item.value, GucSource::ConfigurationFile, item);
                return Ok(());
            }
            return Err(unrecognized_in_file(item));
        };
        let def = &all_defs()[i];
        if def.context == GucContext::Internal || def.has(GucFlags::DISALLOW_IN_FILE) {
            return Err(pg_err!(
                CANT_CHANGE_RUNTIME_PARAM,
                "parameter \"{}\" cannot be changed",
                item.name
            ));
        }
        let value = self.parse_for(def, &item.name, &item.value, i)?;
        if self.values[i].source <= GucSource::ConfigurationFile {
            self.values[i] = Setting {
                value,
                source: GucSource::ConfigurationFile,
                location: Some((item.file.clone(), item.line)),
            };
        }
        Ok(())
    }

    fn apply_command_line(&mut self, name: &str, value: &str) -> Result<()> {
        let Some(i) = index_of(name) else {
            if is_valid_custom_name(name) {
                let item = ConfigItem {
                    name: name.to_string(),
                    value: value.to_string(),
                    file: PathBuf::new(),
                    line: 0,
                };
                self.set_placeholder(name, value, GucSource::CommandLine, &item);
                return Ok(());
            }
            return Err(pg_err!(
                UNDEFINED_OBJECT,
                "unrecognized configuration parameter \"{}\"",
                name
            ));
        };
        let def = &all_defs()[i];
        if def.context == GucContext::Internal {
            return Err(pg_err!(
                CANT_CHANGE_RUNTIME_PARAM,
                "parameter \"{}\" cannot be changed",
                name
            ));
        }
        let parsed = self.parse_for(def, name, value, i)?;
        self.values[i] = Setting::new(parsed, GucSource::CommandLine);
        Ok(())
    }

    /// Sets a placeholder; returns true if its value changed (or it is new).
    fn set_placeholder(
        &mut self,
        name: &str,
        value: &str,
        source: GucSource,
        item: &ConfigItem,
    ) -> bool {
        let location =
            (source == GucSource::ConfigurationFile).then(|| (item.file.clone(), item.line));
        let setting = Setting {
            value: GucValue::Str(Some(value.to_string())),
            source,
            location,
        };
        match self
            .placeholders
            .iter_mut()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
        {
            Some(entry) => {
                if entry.1.source > source {
                    return false;
                }
                let changed = entry.1.value != setting.value;
                entry.1 = setting;
                changed
            }
            None => {
                self.placeholders.push((name.to_string(), setting));
                true
            }
        }
    }

    fn parse_for(&self, def: &GucDef, given: &str, text: &str, i: usize) -> Result<GucValue> {
        let current = self.values[i].value.setting_text();
        let boot = boot_value(def).setting_text();
        parse_value(
            def,
            given,
            text,
            ParseContext {
                current: Some(&current),
                reset: Some(&boot),
            },
        )
    }

    /// Re-reads the configuration files (SIGHUP, `pg_reload_conf()`), applying changes to
    /// sighup- and user-settable parameters; postmaster-context changes are recorded as
    /// pending restart. Returns the log lines PostgreSQL writes, in order, e.g.
    /// `parameter "work_mem" changed to "8MB"` or
    /// `configuration file "/d/postgresql.conf" contains errors; no changes were applied`.
    pub fn reload(&mut self, data_dir: &Path) -> Vec<String> {
        let mut log = vec!["received SIGHUP, reloading configuration files".to_string()];
        let data_dir = absolute(data_dir);
        let mut parsed = read_config_files(&data_dir);
        log.append(&mut parsed.notices);
        if let Some(file) = parsed.file_with_error.clone() {
            log.append(&mut parsed.errors);
            log.push(format!(
                "configuration file \"{}\" contains errors; no changes were applied",
                file.display()
            ));
            return log;
        }
        // Unknown names abort the whole reload, as in PostgreSQL.
        let mut unknown = Vec::new();
        for item in &parsed.items {
            if index_of(&item.name).is_none() && !is_valid_custom_name(&item.name) {
                unknown.push(unrecognized_in_file(item).message);
            }
        }
        if !unknown.is_empty() {
            let file = parsed
                .items
                .iter()
                .find(|i| index_of(&i.name).is_none() && !is_valid_custom_name(&i.name))
                .map(|i| i.file.clone())
                .expect("an unknown item exists");
            log.extend(unknown);
            log.push(format!(
                "configuration file \"{}\" contains errors; no changes were applied",
                file.display()
            ));
            return log;
        }
        let items = final_items(&parsed.items);
        let mut error_file: Option<PathBuf> = None;

        // Values that came from a file whose line is gone go back to their defaults.
        for (i, def) in all_defs().iter().enumerate() {
            if self.values[i].source != GucSource::ConfigurationFile
                || items
                    .iter()
                    .any(|it| it.name.eq_ignore_ascii_case(def.name))
            {
                continue;
            }
            if def.context < GucContext::Sighup {
                self.pending_restart[i] = true;
                log.push(format!(
                    "parameter \"{}\" cannot be changed without restarting the server",
                    def.name
                ));
                error_file.get_or_insert_with(|| data_dir.join(CONFIG_FILENAME));
                continue;
            }
            let boot = Setting::new(boot_value(def), GucSource::Default);
            let changed = boot.value != self.values[i].value;
            self.values[i] = boot;
            if changed {
                log.push(format!(
                    "parameter \"{}\" removed from configuration file, reset to default",
                    def.name
                ));
            }
        }
        self.placeholders.retain(|(n, s)| {
            s.source != GucSource::ConfigurationFile
                || items.iter().any(|it| it.name.eq_ignore_ascii_case(n))
        });

        for item in items {
            match self.apply_on_reload(item) {
                Ok(Applied::Changed) => log.push(format!(
                    "parameter \"{}\" changed to \"{}\"",
                    item.name, item.value
                )),
                Ok(Applied::Unchanged) => {}
                Err(err) => {
                    log.push(err.message);
                    error_file.get_or_insert_with(|| item.file.clone());
                }
            }
        }
        self.resolve_dynamic_defaults();
        if let Some(file) = error_file {
            log.push(format!(
                "configuration file \"{}\" contains errors; unaffected changes were applied",
                file.display()
            ));
        }
        log
    }

    fn apply_on_reload(&mut self, item: &ConfigItem) -> Result<Applied> {
        let Some(i) = index_of(&item.name) else {
            let changed =
                self.set_placeholder(&item.name, &item.value, GucSource::ConfigurationFile, item);
            return Ok(if changed {
                Applied::Changed
            } else {
                Applied::Unchanged
            });
        };
        let def = &all_defs()[i];
        if def.context == GucContext::Internal || def.has(GucFlags::DISALLOW_IN_FILE) {
            return Err(pg_err!(
                CANT_CHANGE_RUNTIME_PARAM,
                "parameter \"{}\" cannot be changed",
                item.name
            ));
        }
        let value = self.parse_for(def, &item.name, &item.value, i)?;
        if self.values[i].source > GucSource::ConfigurationFile {
            return Ok(Applied::Unchanged);
        }
        if def.context == GucContext::Postmaster {
            if value != self.values[i].value {
                self.pending_restart[i] = true;
                return Err(pg_err!(
                    CANT_CHANGE_RUNTIME_PARAM,
                    "parameter \"{}\" cannot be changed without restarting the server",
                    item.name
                ));
            }
            self.pending_restart[i] = false;
            self.values[i].source = GucSource::ConfigurationFile;
            self.values[i].location = Some((item.file.clone(), item.line));
            return Ok(Applied::Unchanged);
        }
        let changed = value != self.values[i].value;
        self.values[i] = Setting {
            value,
            source: GucSource::ConfigurationFile,
            location: Some((item.file.clone(), item.line)),
        };
        Ok(if changed {
            Applied::Changed
        } else {
            Applied::Unchanged
        })
    }

    fn setting(&self, name: &str) -> Option<&Setting> {
        match index_of(name) {
            Some(i) => Some(&self.values[i]),
            None => self
                .placeholders
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, s)| s),
        }
    }

    /// The stored value as `pg_settings.setting` shows it (base unit, no suffix);
    /// `None` for unknown names.
    pub fn get(&self, name: &str) -> Option<String> {
        self.setting(name).map(|s| s.value.setting_text())
    }

    /// The value as SHOW prints it (`128MB`, `5min`); `None` for unknown names.
    pub fn show(&self, name: &str) -> Option<String> {
        let setting = self.setting(name)?;
        Some(match super::def::lookup(name) {
            Some(def) => setting.value.show_text(def),
            None => setting.value.setting_text(),
        })
    }

    /// An integer (or boolean/real) parameter in its base unit; 0 if unknown.
    pub fn int(&self, name: &str) -> i64 {
        self.setting(name).map(|s| s.value.as_int()).unwrap_or(0)
    }

    /// A boolean parameter; false if unknown.
    pub fn bool(&self, name: &str) -> bool {
        self.setting(name)
            .map(|s| s.value.as_bool())
            .unwrap_or(false)
    }

    /// A real parameter in its base unit; 0 if unknown.
    pub fn real(&self, name: &str) -> f64 {
        self.setting(name).map(|s| s.value.as_real()).unwrap_or(0.0)
    }

    /// A string or enum parameter; "" if unknown or NULL.
    pub fn string(&self, name: &str) -> String {
        self.get(name).unwrap_or_default()
    }

    /// Where a parameter's value came from.
    pub fn source(&self, name: &str) -> Option<GucSource> {
        self.setting(name).map(|s| s.source)
    }

    /// True if the files name a different value for this postmaster-context parameter
    /// than the running one (`pg_settings.pending_restart`).
    pub fn pending_restart(&self, name: &str) -> bool {
        index_of(name).is_some_and(|i| self.pending_restart[i])
    }

    /// Sets a value as the server itself does at start (source "override"), bypassing
    /// context checks: e.g. `in_hot_standby`, `data_checksums`, `shared_memory_size`.
    /// Errors: 42704 for unknown names; 22023 for invalid values.
    pub fn set_override(&mut self, name: &str, value: &str) -> Result<()> {
        let i = index_of(name).ok_or_else(|| {
            pg_err!(
                UNDEFINED_OBJECT,
                "unrecognized configuration parameter \"{}\"",
                name
            )
        })?;
        let def = &all_defs()[i];
        let parsed = self.parse_for(def, name, value, i)?;
        self.values[i] = Setting::new(parsed, GucSource::Override);
        Ok(())
    }
}

fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    }
}

fn read_config_files(data_dir: &Path) -> ParsedConfig {
    let mut parsed = ParsedConfig::default();
    conf_file::parse_config_file(&data_dir.join(CONFIG_FILENAME), false, &mut parsed);
    conf_file::parse_config_file(&data_dir.join(AUTO_CONFIG_FILENAME), false, &mut parsed);
    // A missing postgresql.conf is allowed for tusk (initdb writes one); drop the notices.
    parsed
        .notices
        .retain(|n| !n.contains(CONFIG_FILENAME) && !n.contains(AUTO_CONFIG_FILENAME));
    parsed
}

/// The last occurrence of each name, in the order of those last occurrences.
fn final_items(items: &[ConfigItem]) -> Vec<&ConfigItem> {
    items
        .iter()
        .enumerate()
        .filter(|(i, item)| {
            !items[i + 1..]
                .iter()
                .any(|later| later.name.eq_ignore_ascii_case(&item.name))
        })
        .map(|(_, item)| item)
        .collect()
}

fn unrecognized_in_file(item: &ConfigItem) -> Error {
    pg_err!(
        UNDEFINED_OBJECT,
        "unrecognized configuration parameter \"{}\" in file \"{}\" line {}",
        item.name,
        item.file.display(),
        item.line
    )
}

fn config_file_error(file: &Path, errors: &[String]) -> Error {
    let mut err = Error::new(
        SqlState::CONFIG_FILE_ERROR,
        format!("configuration file \"{}\" contains errors", file.display()),
    );
    if !errors.is_empty() {
        err = err.detail(errors.join("\n"));
    }
    err
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A fresh empty directory under the system temp dir, removed on drop.
    pub(crate) struct TempDir(pub PathBuf);

    impl TempDir {
        pub(crate) fn new() -> TempDir {
            static COUNTER: AtomicUsize = AtomicUsize::new(0);
            let n = COUNTER.fetch_add(1, Ordering::SeqCst);
            let path = std::env::temp_dir().join(format!(
                "tusk-guc-test-{}-{}-{}",
                std::process::id(),
                n,
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos())
                    .unwrap_or(0)
            ));
            std::fs::create_dir_all(&path).expect("create temp dir");
            TempDir(path)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn boot_values_and_dynamic_defaults() {
        let config = ServerConfig::boot();
        assert_eq!(config.int("work_mem"), 4096);
        assert_eq!(config.int("shared_buffers"), 16384);
        assert_eq!(config.int("wal_buffers"), 512);
        assert_eq!(config.show("wal_buffers").as_deref(), Some("4MB"));
        assert_eq!(config.int("max_stack_depth"), 2048);
        assert_eq!(config.string("server_version"), "15.18");
        assert_eq!(config.string("server_encoding"), "UTF8");
        assert!(config.bool("integer_datetimes"));
        assert_eq!(config.real("seq_page_cost"), 1.0);
        assert_eq!(config.get("nosuch"), None);
    }

    #[test]
    fn load_applies_files_then_command_line() {
        let dir = TempDir::new();
        std::fs::write(
            dir.0.join("postgresql.conf"),
            "work_mem = 8MB\nport = 6000\nshared_buffers = 256MB\nmyapp.x = 'y'\n",
        )
        .expect("write");
        std::fs::write(
            dir.0.join("postgresql.auto.conf"),
            "# Do not edit this file manually!\nwork_mem = '16MB'\n",
        )
        .expect("write");
        let config = ServerConfig::load(&dir.0, &[("port".into(), "7000".into())]).expect("load");
        assert_eq!(config.int("work_mem"), 16384);
        assert_eq!(
            config.source("work_mem"),
            Some(GucSource::ConfigurationFile)
        );
        assert_eq!(config.int("port"), 7000);
        assert_eq!(config.source("port"), Some(GucSource::CommandLine));
        assert_eq!(config.int("wal_buffers"), 1024);
        assert_eq!(config.get("myapp.x").as_deref(), Some("y"));
        assert_eq!(
            config.get("data_directory"),
            Some(dir.0.display().to_string())
        );
    }

    #[test]
    fn load_rejects_bad_files_and_options() {
        let dir = TempDir::new();
        assert!(
            ServerConfig::load(&dir.0, &[]).is_ok(),
            "missing files are fine"
        );
        let err = ServerConfig::load(&dir.0, &[("nosuch".into(), "1".into())]).expect_err("bad -c");
        assert_eq!(
            err.message,
            "unrecognized configuration parameter \"nosuch\""
        );
        std::fs::write(dir.0.join("postgresql.conf"), "work_mem = = 1\n").expect("write");
        let err = ServerConfig::load(&dir.0, &[]).expect_err("syntax error");
        assert_eq!(err.code, SqlState::CONFIG_FILE_ERROR);
        std::fs::write(dir.0.join("postgresql.conf"), "nosuch = 1\n").expect("write");
        let err = ServerConfig::load(&dir.0, &[]).expect_err("unknown name");
        assert!(err
            .detail
            .expect("detail")
            .starts_with("unrecognized configuration parameter \"nosuch\" in file"));
    }

    #[test]
    fn reload_applies_sighup_changes_and_defers_postmaster_ones() {
        let dir = TempDir::new();
        let conf = dir.0.join("postgresql.conf");
        std::fs::write(
            &conf,
            "work_mem = 4MB\nshared_buffers = 128MB\nstatement_timeout = 1s\n",
        )
        .expect("write");
        let mut config = ServerConfig::load(&dir.0, &[]).expect("load");
        std::fs::write(&conf, "work_mem = 8MB\nshared_buffers = 256MB\n").expect("write");
        let log = config.reload(&dir.0);
        assert_eq!(
            log,
            vec![
                "received SIGHUP, reloading configuration files".to_string(),
                "parameter \"statement_timeout\" removed from configuration file, reset to default"
                    .to_string(),
                "parameter \"work_mem\" changed to \"8MB\"".to_string(),
                "parameter \"shared_buffers\" cannot be changed without restarting the server"
                    .to_string(),
                format!(
                    "configuration file \"{}\" contains errors; unaffected changes were applied",
                    conf.display()
                ),
            ]
        );
        assert_eq!(config.int("work_mem"), 8192);
        assert_eq!(config.int("statement_timeout"), 0);
        assert_eq!(config.int("shared_buffers"), 16384);
        assert!(config.pending_restart("shared_buffers"));
    }

    #[test]
    fn reload_log_matches_postgres() {
        // The same files, reloaded by PostgreSQL 15, log exactly these lines.
        let dir = TempDir::new();
        let conf = dir.0.join("postgresql.conf");
        std::fs::write(&conf, "work_mem = 8MB\nstatement_timeout = 1s\n").expect("write");
        let mut config = ServerConfig::load(&dir.0, &[]).expect("load");
        std::fs::write(
            &conf,
            "shared_buffers = 64MB\nwork_mem = abc\nnosuch.x = 1\nrandom_page_cost = 2\n",
        )
        .expect("write");
        assert_eq!(
            config.reload(&dir.0),
            vec![
                "received SIGHUP, reloading configuration files".to_string(),
                "parameter \"statement_timeout\" removed from configuration file, reset to default"
                    .to_string(),
                "parameter \"shared_buffers\" cannot be changed without restarting the server"
                    .to_string(),
                "invalid value for parameter \"work_mem\": \"abc\"".to_string(),
                "parameter \"nosuch.x\" changed to \"1\"".to_string(),
                "parameter \"random_page_cost\" changed to \"2\"".to_string(),
                format!(
                    "configuration file \"{}\" contains errors; unaffected changes were applied",
                    conf.display()
                ),
            ]
        );
        assert_eq!(config.int("work_mem"), 8192);
        assert_eq!(config.real("random_page_cost"), 2.0);
        assert!(config.pending_restart("shared_buffers"));
    }

    #[test]
    fn reload_with_errors_changes_nothing() {
        let dir = TempDir::new();
        let conf = dir.0.join("postgresql.conf");
        std::fs::write(&conf, "work_mem = 4MB\n").expect("write");
        let mut config = ServerConfig::load(&dir.0, &[]).expect("load");
        std::fs::write(&conf, "work_mem = 8MB\nbogus line here\n").expect("write");
        let log = config.reload(&dir.0);
        assert_eq!(
            log[1],
            format!(
                "syntax error in file \"{}\" line 2, near token \"here\"",
                conf.display()
            )
        );
        assert_eq!(
            log[2],
            format!(
                "configuration file \"{}\" contains errors; no changes were applied",
                conf.display()
            )
        );
        assert_eq!(config.int("work_mem"), 4096);
        std::fs::write(&conf, "work_mem = 8MB\nnosuch = 1\n").expect("write");
        let log = config.reload(&dir.0);
        assert!(log[1].starts_with("unrecognized configuration parameter \"nosuch\" in file"));
        assert_eq!(config.int("work_mem"), 4096);
    }

    #[test]
    fn command_line_outranks_reloaded_files() {
        let dir = TempDir::new();
        let conf = dir.0.join("postgresql.conf");
        std::fs::write(&conf, "work_mem = 4MB\n").expect("write");
        let mut config =
            ServerConfig::load(&dir.0, &[("work_mem".into(), "2MB".into())]).expect("load");
        std::fs::write(&conf, "work_mem = 8MB\n").expect("write");
        config.reload(&dir.0);
        assert_eq!(config.int("work_mem"), 2048);
    }

    #[test]
    fn custom_names_need_a_dot_and_identifiers() {
        assert!(is_valid_custom_name("myapp.foo"));
        assert!(is_valid_custom_name("a.b.c"));
        assert!(!is_valid_custom_name("myapp"));
        assert!(!is_valid_custom_name("myapp."));
        assert!(!is_valid_custom_name("1x.foo"));
    }
}
