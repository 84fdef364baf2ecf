//! The parameter table: one [`GucDef`] per PostgreSQL 15 parameter, built once from
//! `params.tsv` (generated from PostgreSQL 15's `pg_settings` by `gen_params.sh`), plus the
//! facts `pg_settings` does not show: flags such as `GUC_REPORT` and `GUC_LIST_INPUT`, hidden
//! enum spellings, and tusk's own values for the report-only parameters.
//!
//! Invariants: names are unique ignoring ASCII case; every default parses under its own type.
//! Entry points: [`lookup`], [`all_defs`].

use std::sync::OnceLock;

/// The generated table; see the module header for its columns.
const PARAMS_TSV: &str = include_str!("params.tsv");

/// When a parameter may be set (`pg_settings.context`, PostgreSQL docs §54.24).
#[derive(Clone, Copy, PartialEq, Eq, Debug, PartialOrd, Ord, Hash)]
pub enum GucContext {
    /// Fixed at build or initdb time; report-only.
    Internal,
    /// Only at server start.
    Postmaster,
    /// In the configuration files or on the command line; a reload applies it.
    Sighup,
    /// Like `Backend`, but only superusers may set it at connection start.
    SuperuserBackend,
    /// At connection start (startup packet `options`); fixed for the session after.
    Backend,
    /// Anytime, by superusers only.
    Superuser,
    /// Anytime, by anyone.
    User,
}

impl GucContext {
    /// The `pg_settings.context` word.
    pub fn as_str(self) -> &'static str {
        match self {
            GucContext::Internal => "internal",
            GucContext::Postmaster => "postmaster",
            GucContext::Sighup => "sighup",
            GucContext::SuperuserBackend => "superuser-backend",
            GucContext::Backend => "backend",
            GucContext::Superuser => "superuser",
            GucContext::User => "user",
        }
    }

    /// Parses a `pg_settings.context` word.
    pub fn from_name(name: &str) -> Option<GucContext> {
        Some(match name {
            "internal" => GucContext::Internal,
            "postmaster" => GucContext::Postmaster,
            "sighup" => GucContext::Sighup,
            "superuser-backend" => GucContext::SuperuserBackend,
            "backend" => GucContext::Backend,
            "superuser" => GucContext::Superuser,
            "user" => GucContext::User,
            _ => return None,
        })
    }
}

/// Where a value came from (`pg_settings.source`). Ordered by priority as PostgreSQL's
/// `GucSource`: a value from a lower source never replaces one from a higher source.
#[derive(Clone, Copy, PartialEq, Eq, Debug, PartialOrd, Ord, Hash)]
pub enum GucSource {
    /// The built-in (boot) value.
    Default,
    /// A default computed at server start (e.g. `wal_buffers = -1` resolved).
    DynamicDefault,
    /// A `PG*` environment variable.
    EnvironmentVariable,
    /// `postgresql.conf`, an included file, or `postgresql.auto.conf`.
    ConfigurationFile,
    /// `-c name=value` on the server's command line.
    CommandLine,
    /// Global `ALTER ROLE ALL SET`.
    Global,
    /// `ALTER DATABASE ... SET`.
    Database,
    /// `ALTER ROLE ... SET`.
    User,
    /// `ALTER ROLE ... IN DATABASE ... SET`.
    DatabaseUser,
    /// The client's startup packet.
    Client,
    /// Set by the server itself (e.g. `data_directory`).
    Override,
    /// Interactive setting (unused by SET; kept for ordering).
    Interactive,
    /// Validation only.
    Test,
    /// `SET` in this session.
    Session,
}

impl GucSource {
    /// The `pg_settings.source` words.
    pub fn as_str(self) -> &'static str {
        match self {
            GucSource::Default | GucSource::DynamicDefault => "default",
            GucSource::EnvironmentVariable => "environment variable",
            GucSource::ConfigurationFile => "configuration file",
            GucSource::CommandLine => "command line",
            GucSource::Global => "global",
            GucSource::Database => "database",
            GucSource::User => "user",
            GucSource::DatabaseUser => "database user",
            GucSource::Client => "client",
            GucSource::Override => "override",
            GucSource::Interactive => "interactive",
            GucSource::Test => "test",
            GucSource::Session => "session",
        }
    }
}

/// A parameter's type (`pg_settings.vartype`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum GucType {
    /// on/off.
    Bool,
    /// A 32-bit integer in the parameter's base unit.
    Integer,
    /// A double in the parameter's base unit.
    Real,
    /// Free text, possibly checked by a per-parameter rule.
    String,
    /// One of a fixed list of names.
    Enum,
}

impl GucType {
    /// The `pg_settings.vartype` word.
    pub fn as_str(self) -> &'static str {
        match self {
            GucType::Bool => "bool",
            GucType::Integer => "integer",
            GucType::Real => "real",
            GucType::String => "string",
            GucType::Enum => "enum",
        }
    }
}

/// The base unit of a numeric parameter (`pg_settings.unit`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum GucUnit {
    /// Bytes (`B`).
    Byte,
    /// Kilobytes (`kB`).
    Kilobyte,
    /// Megabytes (`MB`).
    Megabyte,
    /// 8 kB blocks (`8kB`; data and WAL blocks are both 8192 bytes).
    Block,
    /// Milliseconds (`ms`).
    Millisecond,
    /// Seconds (`s`).
    Second,
    /// Minutes (`min`).
    Minute,
}

impl GucUnit {
    /// The `pg_settings.unit` text.
    pub fn as_str(self) -> &'static str {
        match self {
            GucUnit::Byte => "B",
            GucUnit::Kilobyte => "kB",
            GucUnit::Megabyte => "MB",
            GucUnit::Block => "8kB",
            GucUnit::Millisecond => "ms",
            GucUnit::Second => "s",
            GucUnit::Minute => "min",
        }
    }

    fn from_name(name: &str) -> Option<GucUnit> {
        Some(match name {
            "B" => GucUnit::Byte,
            "kB" => GucUnit::Kilobyte,
            "MB" => GucUnit::Megabyte,
            "8kB" => GucUnit::Block,
            "ms" => GucUnit::Millisecond,
            "s" => GucUnit::Second,
            "min" => GucUnit::Minute,
            _ => return None,
        })
    }

    /// True for memory units, false for time units.
    pub fn is_memory(self) -> bool {
        matches!(
            self,
            GucUnit::Byte | GucUnit::Kilobyte | GucUnit::Megabyte | GucUnit::Block
        )
    }
}

/// Parameter flags (PostgreSQL's `GUC_*` bits that matter outside guc.c).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct GucFlags(pub u32);

impl GucFlags {
    /// Sent to the client in ParameterStatus when it changes.
    pub const REPORT: GucFlags = GucFlags(1);
    /// Hidden from SHOW ALL and `pg_settings`.
    pub const NO_SHOW_ALL: GucFlags = GucFlags(1 << 1);
    /// Not touched by RESET ALL.
    pub const NO_RESET_ALL: GucFlags = GucFlags(1 << 2);
    /// Not in `postgresql.conf.sample`.
    pub const NOT_IN_SAMPLE: GucFlags = GucFlags(1 << 3);
    /// Shown by EXPLAIN (SETTINGS) when not default.
    pub const EXPLAIN: GucFlags = GucFlags(1 << 4);
    /// Computed at server start (`postgres -C` only after startup).
    pub const RUNTIME_COMPUTED: GucFlags = GucFlags(1 << 5);
    /// Value is a comma-separated list (SET accepts several items).
    pub const LIST_INPUT: GucFlags = GucFlags(1 << 6);
    /// List items are double-quoted when flattened, if needed.
    pub const LIST_QUOTE: GucFlags = GucFlags(1 << 7);
    /// Cannot be set in configuration files or by ALTER SYSTEM.
    pub const DISALLOW_IN_FILE: GucFlags = GucFlags(1 << 8);
    /// A user-defined `prefix.name` placeholder.
    pub const CUSTOM_PLACEHOLDER: GucFlags = GucFlags(1 << 9);
    /// Only superusers and members of `pg_read_all_settings` may see the value.
    pub const SUPERUSER_ONLY: GucFlags = GucFlags(1 << 10);

    /// True if every bit of `other` is set.
    pub fn contains(self, other: GucFlags) -> bool {
        self.0 & other.0 == other.0
    }
}

impl std::ops::BitOr for GucFlags {
    type Output = GucFlags;
    fn bitor(self, rhs: GucFlags) -> GucFlags {
        GucFlags(self.0 | rhs.0)
    }
}

/// One enum spelling: `name` as typed, `canonical` the visible name it stands for.
#[derive(Clone, Debug)]
pub struct EnumOption {
    /// Accepted spelling (matched ignoring ASCII case).
    pub name: &'static str,
    /// The name SHOW prints for it (itself for visible options).
    pub canonical: &'static str,
    /// Hidden options are accepted but not listed in `enumvals` or hints.
    pub hidden: bool,
}

/// The definition of one configuration parameter, as `pg_settings` describes it.
#[derive(Clone, Debug)]
pub struct GucDef {
    /// Canonical name (`DateStyle`, `work_mem`).
    pub name: &'static str,
    /// Value type.
    pub vartype: GucType,
    /// Base unit of integer and real parameters.
    pub unit: Option<GucUnit>,
    /// `pg_settings.category`, e.g. `Resource Usage / Memory`.
    pub category: &'static str,
    /// `pg_settings.short_desc`.
    pub short_desc: &'static str,
    /// `pg_settings.extra_desc`.
    pub extra_desc: Option<&'static str>,
    /// When it may be set.
    pub context: GucContext,
    /// Lower bound (integer and real), in the base unit.
    pub min: Option<f64>,
    /// Upper bound (integer and real), in the base unit.
    pub max: Option<f64>,
    /// Text of the bounds as `pg_settings.min_val`/`max_val` show them.
    pub min_text: Option<&'static str>,
    /// See `min_text`.
    pub max_text: Option<&'static str>,
    /// Enum spellings, visible ones first in PostgreSQL's order.
    pub enum_options: Vec<EnumOption>,
    /// The built-in value as `pg_settings.boot_val` shows it (`None` for a NULL boot value).
    pub boot_val: Option<&'static str>,
    /// Flags.
    pub flags: GucFlags,
}

impl GucDef {
    /// The visible enum names (`pg_settings.enumvals`).
    pub fn enum_values(&self) -> Vec<&'static str> {
        self.enum_options
            .iter()
            .filter(|o| !o.hidden)
            .map(|o| o.name)
            .collect()
    }

    /// True if `flag` is set.
    pub fn has(&self, flag: GucFlags) -> bool {
        self.flags.contains(flag)
    }

    /// The flags `pg_settings_get_flags(name)` reports, in PostgreSQL's order.
    pub fn flag_names(&self) -> Vec<&'static str> {
        [
            (GucFlags::EXPLAIN, "EXPLAIN"),
            (GucFlags::NO_RESET_ALL, "NO_RESET_ALL"),
            (GucFlags::NO_SHOW_ALL, "NO_SHOW_ALL"),
            (GucFlags::NOT_IN_SAMPLE, "NOT_IN_SAMPLE"),
            (GucFlags::RUNTIME_COMPUTED, "RUNTIME_COMPUTED"),
        ]
        .into_iter()
        .filter(|(flag, _)| self.has(*flag))
        .map(|(_, name)| name)
        .collect()
    }
}

/// Parameters sent in ParameterStatus, in the order PostgreSQL 15 sends them at startup.
pub(crate) const REPORTED: &[&str] = &[
    "application_name",
    "client_encoding",
    "DateStyle",
    "default_transaction_read_only",
    "in_hot_standby",
    "integer_datetimes",
    "IntervalStyle",
    "is_superuser",
    "server_encoding",
    "server_version",
    "session_authorization",
    "standard_conforming_strings",
    "TimeZone",
];

/// `GUC_LIST_INPUT` parameters, and whether they are also `GUC_LIST_QUOTE`.
const LIST_INPUT: &[(&str, bool)] = &[
    ("DateStyle", false),
    ("listen_addresses", false),
    ("local_preload_libraries", true),
    ("log_destination", false),
    ("restrict_nonsystem_relation_kind", false),
    ("search_path", true),
    ("session_preload_libraries", true),
    ("shared_preload_libraries", true),
    ("temp_tablespaces", true),
    ("unix_socket_directories", false),
    ("wal_consistency_checking", false),
    ("synchronous_standby_names", false),
];

/// Parameters that configuration files may not set (PostgreSQL's `GUC_DISALLOW_IN_FILE`
/// on settable parameters; internal ones are refused by their context anyway).
const DISALLOW_IN_FILE: &[&str] = &[
    "is_superuser",
    "role",
    "seed",
    "session_authorization",
    "ssl_renegotiation_limit",
    "transaction_deferrable",
    "transaction_isolation",
    "transaction_read_only",
];

/// `GUC_SUPERUSER_ONLY` parameters: hidden from SHOW and `pg_settings` for roles without
/// `pg_read_all_settings` (taken from PostgreSQL 15 as an unprivileged role sees it).
const SUPERUSER_ONLY: &[&str] = &[
    "config_file",
    "data_directory",
    "dynamic_library_path",
    "extension_destdir",
    "external_pid_file",
    "hba_file",
    "ident_file",
    "jit_provider",
    "krb_server_keyfile",
    "log_directory",
    "log_filename",
    "primary_conninfo",
    "session_preload_libraries",
    "shared_preload_libraries",
    "ssl_ciphers",
    "ssl_dh_params_file",
    "ssl_ecdh_curve",
    "ssl_max_protocol_version",
    "ssl_min_protocol_version",
    "ssl_passphrase_command",
    "unix_socket_directories",
];

/// Enum spellings whose shown name differs, or that are hidden from `enumvals`:
/// (parameter, spelling, the visible name SHOW prints for it).
const HIDDEN_ENUM_OPTIONS: &[(&str, &str, &str)] = &[
    ("archive_mode", "true", "on"),
    ("archive_mode", "yes", "on"),
    ("archive_mode", "1", "on"),
    ("archive_mode", "false", "off"),
    ("archive_mode", "no", "off"),
    ("archive_mode", "0", "off"),
    ("backslash_quote", "true", "on"),
    ("backslash_quote", "yes", "on"),
    ("backslash_quote", "1", "on"),
    ("backslash_quote", "false", "off"),
    ("backslash_quote", "no", "off"),
    ("backslash_quote", "0", "off"),
    ("client_min_messages", "debug", "debug2"),
    ("client_min_messages", "info", "info"),
    ("compute_query_id", "true", "on"),
    ("compute_query_id", "yes", "on"),
    ("compute_query_id", "1", "on"),
    ("compute_query_id", "false", "off"),
    ("compute_query_id", "no", "off"),
    ("compute_query_id", "0", "off"),
    ("constraint_exclusion", "true", "on"),
    ("constraint_exclusion", "yes", "on"),
    ("constraint_exclusion", "1", "on"),
    ("constraint_exclusion", "false", "off"),
    ("constraint_exclusion", "no", "off"),
    ("constraint_exclusion", "0", "off"),
    ("force_parallel_mode", "true", "on"),
    ("force_parallel_mode", "yes", "on"),
    ("force_parallel_mode", "1", "on"),
    ("force_parallel_mode", "false", "off"),
    ("force_parallel_mode", "no", "off"),
    ("force_parallel_mode", "0", "off"),
    ("huge_pages", "true", "on"),
    ("huge_pages", "yes", "on"),
    ("huge_pages", "1", "on"),
    ("huge_pages", "false", "off"),
    ("huge_pages", "no", "off"),
    ("huge_pages", "0", "off"),
    ("log_min_error_statement", "debug", "debug2"),
    ("log_min_messages", "debug", "debug2"),
    ("recovery_prefetch", "true", "on"),
    ("recovery_prefetch", "yes", "on"),
    ("recovery_prefetch", "1", "on"),
    ("recovery_prefetch", "false", "off"),
    ("recovery_prefetch", "no", "off"),
    ("recovery_prefetch", "0", "off"),
    ("synchronous_commit", "true", "on"),
    ("synchronous_commit", "yes", "on"),
    ("synchronous_commit", "1", "on"),
    ("synchronous_commit", "false", "off"),
    ("synchronous_commit", "no", "off"),
    ("synchronous_commit", "0", "off"),
    ("trace_recovery_messages", "debug", "debug2"),
    ("trace_recovery_messages", "info", "info"),
    ("wal_compression", "on", "pglz"),
    ("wal_compression", "true", "pglz"),
    ("wal_compression", "yes", "pglz"),
    ("wal_compression", "1", "pglz"),
    ("wal_compression", "false", "off"),
    ("wal_compression", "no", "off"),
    ("wal_compression", "0", "off"),
    ("wal_level", "archive", "replica"),
    ("wal_level", "hot_standby", "replica"),
];

/// tusk's boot values for parameters whose PostgreSQL value describes the build or the host
/// (the encodings are set at start, as PostgreSQL does; see `ServerConfig::boot`).
const TUSK_BOOT_VALUES: &[(&str, &str)] = &[
    ("server_version", "15.18"),
    ("server_version_num", "150018"),
    ("lc_collate", "C"),
    ("lc_ctype", "C"),
    // PostgreSQL's own defaults where Debian's build changes them.
    ("unix_socket_directories", "/tmp"),
    (
        "krb_server_keyfile",
        "FILE:/usr/local/pgsql/etc/krb5.keytab",
    ),
];

struct Registry {
    defs: Vec<GucDef>,
    /// Fx-hashed: looked up by name many times per statement.
    by_lower_name: rustc_hash::FxHashMap<String, usize>,
}

fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(build_registry)
}

fn null(field: &'static str) -> Option<&'static str> {
    (field != "\\N").then_some(field)
}

/// Splits a PostgreSQL text-array literal (`{a,"b c",""}`) into its items.
fn parse_text_array(text: &'static str) -> Vec<&'static str> {
    let inner = text
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .expect("params.tsv arrays are braced");
    let mut items = Vec::new();
    let bytes = inner.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'"' {
            let end = inner[i + 1..]
                .find('"')
                .map(|e| e + i + 1)
                .expect("params.tsv quoted array items are closed");
            items.push(&inner[i + 1..end]);
            i = end + 2;
        } else {
            let end = inner[i..].find(',').map(|e| e + i).unwrap_or(inner.len());
            items.push(&inner[i..end]);
            i = end + 1;
        }
    }
    items
}

fn build_registry() -> Registry {
    let mut defs = Vec::new();
    for line in PARAMS_TSV.lines() {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let f: Vec<&'static str> = line.split('\t').collect();
        assert_eq!(f.len(), 12, "params.tsv line has 12 columns: {line}");
        let name = f[0];
        let vartype = match f[1] {
            "bool" => GucType::Bool,
            "integer" => GucType::Integer,
            "real" => GucType::Real,
            "string" => GucType::String,
            "enum" => GucType::Enum,
            other => panic!("params.tsv: unknown vartype {other}"),
        };
        let mut flags = GucFlags::default();
        for flag in parse_text_array(f[11]) {
            flags = flags
                | match flag {
                    "EXPLAIN" => GucFlags::EXPLAIN,
                    "NO_RESET_ALL" => GucFlags::NO_RESET_ALL,
                    "NO_SHOW_ALL" => GucFlags::NO_SHOW_ALL,
                    "NOT_IN_SAMPLE" => GucFlags::NOT_IN_SAMPLE,
                    "RUNTIME_COMPUTED" => GucFlags::RUNTIME_COMPUTED,
                    _ => GucFlags::default(),
                };
        }
        if REPORTED.contains(&name) {
            flags = flags | GucFlags::REPORT;
        }
        if let Some((_, quote)) = LIST_INPUT.iter().find(|(n, _)| *n == name) {
            flags = flags | GucFlags::LIST_INPUT;
            if *quote {
                flags = flags | GucFlags::LIST_QUOTE;
            }
        }
        if DISALLOW_IN_FILE.contains(&name) {
            flags = flags | GucFlags::DISALLOW_IN_FILE;
        }
        if SUPERUSER_ONLY.contains(&name) {
            flags = flags | GucFlags::SUPERUSER_ONLY;
        }
        let mut enum_options: Vec<EnumOption> = match null(f[9]) {
            Some(list) => parse_text_array(list)
                .into_iter()
                .map(|n| EnumOption {
                    name: n,
                    canonical: n,
                    hidden: false,
                })
                .collect(),
            None => Vec::new(),
        };
        for (_, spelling, canonical) in HIDDEN_ENUM_OPTIONS.iter().filter(|(p, _, _)| *p == name) {
            // A visible spelling may stand for another name too (wal_compression's "on").
            match enum_options.iter_mut().find(|o| o.name == *spelling) {
                Some(visible) => visible.canonical = canonical,
                None => enum_options.push(EnumOption {
                    name: spelling,
                    canonical,
                    hidden: true,
                }),
            }
        }
        let boot_val = TUSK_BOOT_VALUES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
            .or(null(f[10]));
        let min_text = null(f[7]);
        let max_text = null(f[8]);
        defs.push(GucDef {
            name,
            vartype,
            unit: null(f[2]).map(|u| GucUnit::from_name(u).expect("params.tsv units are known")),
            category: f[3],
            short_desc: f[4],
            extra_desc: null(f[5]),
            context: GucContext::from_name(f[6]).expect("params.tsv contexts are known"),
            min: min_text.map(|t| t.parse().expect("numeric min_val")),
            max: max_text.map(|t| t.parse().expect("numeric max_val")),
            min_text: if name == "server_version_num" {
                Some("150018")
            } else {
                min_text
            },
            max_text: if name == "server_version_num" {
                Some("150018")
            } else {
                max_text
            },
            enum_options,
            boot_val,
            flags,
        });
    }
    for def in defs.iter_mut().filter(|d| d.name == "server_version_num") {
        def.min = Some(150018.0);
        def.max = Some(150018.0);
    }
    defs.sort_by_key(|d| d.name.to_ascii_lowercase());
    let by_lower_name = defs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.name.to_ascii_lowercase(), i))
        .collect();
    Registry {
        defs,
        by_lower_name,
    }
}

/// Finds a parameter by name, ignoring ASCII case as PostgreSQL does.
/// Placeholders (`prefix.name`) are not in this table; see the session's own lookup.
pub fn lookup(name: &str) -> Option<&'static GucDef> {
    index_of(name).map(|i| &registry().defs[i])
}

/// Every built-in parameter, sorted by name ignoring case (the order of SHOW ALL).
pub fn all_defs() -> &'static [GucDef] {
    &registry().defs
}

/// Index of a parameter in [`all_defs`].
pub(crate) fn index_of(name: &str) -> Option<usize> {
    let by_name = &registry().by_lower_name;
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        by_name.get(&name.to_ascii_lowercase()).copied()
    } else {
        // The server's own lookups name parameters in lower case: no copy needed.
        by_name.get(name).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_holds_every_postgresql_15_parameter() {
        assert!(all_defs().len() >= 350, "{}", all_defs().len());
        let work_mem = lookup("WORK_MEM").expect("work_mem");
        assert_eq!(work_mem.name, "work_mem");
        assert_eq!(work_mem.unit, Some(GucUnit::Kilobyte));
        assert_eq!(work_mem.min, Some(64.0));
        assert_eq!(work_mem.boot_val, Some("4096"));
        assert_eq!(work_mem.context, GucContext::User);
        assert_eq!(work_mem.category, "Resource Usage / Memory");
        let datestyle = lookup("datestyle").expect("DateStyle");
        assert!(datestyle.has(GucFlags::REPORT));
        assert!(datestyle.has(GucFlags::LIST_INPUT));
        assert!(lookup("is_superuser")
            .expect("is_superuser")
            .has(GucFlags::NO_SHOW_ALL));
        assert_eq!(lookup("server_version").expect("v").boot_val, Some("15.18"));
        assert!(lookup("nosuch").is_none());
        assert_eq!(
            lookup("role").expect("role").flag_names(),
            vec!["NO_RESET_ALL", "NO_SHOW_ALL", "NOT_IN_SAMPLE"]
        );
        assert_eq!(
            lookup("enable_seqscan").expect("e").flag_names(),
            vec!["EXPLAIN"]
        );
    }

    #[test]
    fn enum_options_keep_hidden_spellings_out_of_enumvals() {
        let sc = lookup("synchronous_commit").expect("synchronous_commit");
        assert_eq!(
            sc.enum_values(),
            vec!["local", "remote_write", "remote_apply", "on", "off"]
        );
        assert!(sc.enum_options.iter().any(|o| o.name == "true" && o.hidden));
        let iso = lookup("default_transaction_isolation").expect("dti");
        assert!(iso.enum_values().contains(&"repeatable read"));
    }

    #[test]
    fn names_are_sorted_ignoring_case() {
        let names: Vec<String> = all_defs()
            .iter()
            .map(|d| d.name.to_ascii_lowercase())
            .collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
    }
}
