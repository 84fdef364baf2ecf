//! Run-time configuration parameters (GUCs): PostgreSQL 15's "Grand Unified Configuration"
//! (docs ch. 20 "Server Configuration", §20.1 "Setting Parameters"; SET/SHOW/RESET; the
//! `pg_settings` view, §54.24).
//!
//! Every parameter PostgreSQL 15 has is registered with its name, type, unit, context,
//! bounds, default, description and category (generated from PostgreSQL 15's `pg_settings`
//! into `params.tsv` by `gen_params.sh`), so SHOW and `pg_settings` answer for all of them
//! even where the subsystem behind a parameter does not exist yet.
//!
//! Values come in layers, each overriding the one before (PostgreSQL's `GucSource` order):
//!
//! ```text
//!   boot value ─▶ postgresql.conf (+ includes) ─▶ postgresql.auto.conf ─▶ -c name=value
//!   └──────────────────────── ServerConfig (the postmaster's view) ───────────────────┘
//!        ─▶ startup packet options (source "client")  ─▶ SET / SET LOCAL (source "session")
//!   └──────────────────────── SessionConfig (one backend's view) ─────────────────────┘
//! ```
//!
//! Rules (guc.c's, followed here):
//! 1. A value from a lower-priority source never replaces one from a higher source; a
//!    reload (SIGHUP) therefore changes only values still coming from the files or defaults.
//! 2. `SET` inside a transaction is undone by ROLLBACK (or ROLLBACK TO a savepoint taken
//!    before it) and kept by COMMIT; `SET LOCAL` always ends with its transaction
//!    (or subtransaction, if rolled back); see [`SessionConfig::at_commit`].
//! 3. RESET and `SET ... TO DEFAULT` return to the reset value: the value the session
//!    started with (server value overridden by startup options).
//! 4. Names are case-insensitive; `prefix.name` placeholders may be set freely.
//!
//! Entry points: [`lookup`], [`ServerConfig::load`], [`ServerConfig::reload`],
//! [`SessionConfig::new`], [`SessionConfig::set`], [`SessionConfig::show`],
//! [`SessionConfig::pg_settings_rows`], [`write_default_config`], [`alter_system`].

mod alter_system;
mod check;
mod conf_file;
mod def;
mod sample;
mod server;
mod session;
mod units;
mod value;
mod view;

pub use alter_system::{alter_system, alter_system_reset_all};
pub use check::{
    bare_posix_offset, canonical_encoding_name, resolve_time_zone, split_identifier_list,
};
pub use conf_file::{parse_config_file, ConfigItem, ParsedConfig};
pub use def::{
    all_defs, lookup, EnumOption, GucContext, GucDef, GucFlags, GucSource, GucType, GucUnit,
};
pub use sample::{default_config_text, write_default_config, AUTO_CONFIG_HEADER};
pub use server::ServerConfig;
pub use session::SessionConfig;
pub use value::{parse_bool, GucValue, MAX_STACK_DEPTH_LIMIT_KB};
pub use view::{flatten_set_args, quote_identifier, PgSettingsRow, SetArg};

/// Name of the main configuration file inside the data directory.
pub const CONFIG_FILENAME: &str = "postgresql.conf";
/// Name of the file ALTER SYSTEM writes, read after `postgresql.conf`.
pub const AUTO_CONFIG_FILENAME: &str = "postgresql.auto.conf";

/// `synchronous_commit` as the WAL's commit wait mode (`on` for unknown spellings, which
/// the GUC check has refused already).
pub fn sync_mode(value: &str) -> tusk_wal::SyncMode {
    tusk_wal::SyncMode::from_setting(value).unwrap_or_default()
}
