//! Showing parameters: SHOW name, SHOW ALL, the `pg_settings` view (PostgreSQL docs
//! §54.24), and flattening SET's argument list into one value string
//! (`flatten_set_variable_args`).
//!
//! SHOW prints numbers with the largest exact unit (`4MB`, `5min`) and applies
//! PostgreSQL's show hooks (file modes in octal, `archive_command` as `(disabled)` when
//! archiving is off); `pg_settings.setting` prints base units without a suffix.

use tusk_types::{pg_err, Result};

use super::def::{all_defs, lookup, GucDef, GucFlags, GucType};
use super::server::Setting;
use super::session::{SessionConfig, SessionVar};
use super::value::GucValue;

/// One row of `pg_settings`, column for column.
#[derive(Clone, Debug, PartialEq)]
pub struct PgSettingsRow {
    /// `name`.
    pub name: String,
    /// `setting`: current value in the base unit, no unit suffix.
    pub setting: Option<String>,
    /// `unit`: `kB`, `8kB`, `ms`, ... for numeric parameters with a unit.
    pub unit: Option<String>,
    /// `category`.
    pub category: String,
    /// `short_desc`.
    pub short_desc: String,
    /// `extra_desc`.
    pub extra_desc: Option<String>,
    /// `context`: `internal`, `postmaster`, `sighup`, `superuser-backend`, `backend`,
    /// `superuser`, `user`.
    pub context: String,
    /// `vartype`: `bool`, `integer`, `real`, `string`, `enum`.
    pub vartype: String,
    /// `source`: `default`, `configuration file`, `command line`, `client`, `session`, ...
    pub source: String,
    /// `min_val` (numeric parameters).
    pub min_val: Option<String>,
    /// `max_val` (numeric parameters).
    pub max_val: Option<String>,
    /// `enumvals` (enum parameters).
    pub enumvals: Option<Vec<String>>,
    /// `boot_val`.
    pub boot_val: Option<String>,
    /// `reset_val`.
    pub reset_val: Option<String>,
    /// `sourcefile` (values from a configuration file).
    pub sourcefile: Option<String>,
    /// `sourceline` (values from a configuration file).
    pub sourceline: Option<i32>,
    /// `pending_restart`.
    pub pending_restart: bool,
}

/// One argument of SET as the parser gives it.
#[derive(Clone, Copy, Debug)]
pub enum SetArg<'a> {
    /// A string literal or identifier (quoted as an identifier for `GUC_LIST_QUOTE`).
    String(&'a str),
    /// A numeric literal, as written.
    Number(&'a str),
}

/// Joins SET's arguments into one value as PostgreSQL does: items joined with `", "`;
/// for `GUC_LIST_QUOTE` parameters (search_path, ...) string items are quoted as
/// identifiers when needed (`SET search_path = a, "B c"` gives `a, "B c"`).
///
/// Errors: 22023 `SET x takes only one argument` for several items to a non-list parameter.
pub fn flatten_set_args(name: &str, args: &[SetArg<'_>]) -> Result<String> {
    let flags = lookup(name).map(|d| d.flags).unwrap_or_default();
    if args.len() > 1 && !flags.contains(GucFlags::LIST_INPUT) {
        return Err(pg_err!(
            INVALID_PARAMETER_VALUE,
            "SET {} takes only one argument",
            name
        ));
    }
    let items: Vec<String> = args
        .iter()
        .map(|arg| match arg {
            SetArg::Number(text) => text.to_string(),
            SetArg::String(text) if flags.contains(GucFlags::LIST_QUOTE) => quote_identifier(text),
            SetArg::String(text) => text.to_string(),
        })
        .collect();
    Ok(items.join(", "))
}

pub use tusk_sql::quote_identifier;

/// Maps SHOW's multi-word spellings to parameter names.
fn canonical_show_name(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    match lower.as_str() {
        "time zone" => "timezone".to_string(),
        "transaction isolation level" => "transaction_isolation".to_string(),
        "session authorization" => "session_authorization".to_string(),
        _ => name.to_string(),
    }
}

impl SessionConfig {
    /// The value text of a setting as SHOW (`use_units`) or `pg_settings.setting` prints it,
    /// with PostgreSQL's show hooks.
    fn display(&self, def: Option<&GucDef>, setting: &Setting, use_units: bool) -> String {
        let Some(def) = def else {
            return setting.value.setting_text();
        };
        match def.name {
            "data_directory_mode" | "log_file_mode" | "unix_socket_permissions" => {
                return format!("{:04o}", setting.value.as_int());
            }
            "seed" => return "unavailable".to_string(),
            "archive_command" if self.get_string("archive_mode") == "off" => {
                return "(disabled)".to_string();
            }
            _ => {}
        }
        if use_units {
            setting.value.show_text(def)
        } else {
            setting.value.setting_text()
        }
    }

    /// `SHOW name`: the current value with units as PostgreSQL prints it (`4MB`, `5min`,
    /// `0`). Accepts `TIME ZONE`, `TRANSACTION ISOLATION LEVEL` and `SESSION AUTHORIZATION`.
    /// `SHOW ALL` is [`SessionConfig::show_all`].
    ///
    /// Errors: 42704 `unrecognized configuration parameter "x"`.
    pub fn show(&self, name: &str) -> Result<String> {
        self.show_for(name, true)
    }

    /// [`SessionConfig::show`] for a role that may (`read_all_settings`: superuser or member
    /// of `pg_read_all_settings`) or may not see superuser-only parameters.
    ///
    /// Errors: 42704 unknown name; 42501 `must be superuser or have privileges of
    /// pg_read_all_settings to examine "x"`.
    pub fn show_for(&self, name: &str, read_all_settings: bool) -> Result<String> {
        let name = canonical_show_name(name);
        if let Some(def) = lookup(&name) {
            if def.has(GucFlags::SUPERUSER_ONLY) && !read_all_settings {
                return Err(pg_err!(
                    INSUFFICIENT_PRIVILEGE,
                    "must be superuser or have privileges of pg_read_all_settings to examine \"{}\"",
                    name
                ));
            }
        }
        match self.var_by_name(&name) {
            Some((def, var)) => Ok(self.display(def, &var.current, true)),
            None => Err(pg_err!(
                UNDEFINED_OBJECT,
                "unrecognized configuration parameter \"{}\"",
                name
            )),
        }
    }

    /// The canonical name SHOW uses as its column title (`SHOW datestyle` → `DateStyle`).
    /// Errors: 42704 for unknown names.
    pub fn show_column_name(&self, name: &str) -> Result<String> {
        let name = canonical_show_name(name);
        if let Some(def) = lookup(&name) {
            return Ok(def.name.to_string());
        }
        self.placeholders
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(&name))
            .map(|(n, _)| n.clone())
            .ok_or_else(|| {
                pg_err!(
                    UNDEFINED_OBJECT,
                    "unrecognized configuration parameter \"{}\"",
                    name
                )
            })
    }

    /// `SHOW ALL`: (name, setting, description) for every parameter not marked
    /// `GUC_NO_SHOW_ALL`, sorted by name ignoring case.
    pub fn show_all(&self) -> Vec<(String, String, String)> {
        self.show_all_for(true)
    }

    /// [`SessionConfig::show_all`] for a role with or without `pg_read_all_settings`
    /// (superuser-only parameters are left out for the latter).
    pub fn show_all_for(&self, read_all_settings: bool) -> Vec<(String, String, String)> {
        all_defs()
            .iter()
            .zip(&self.vars)
            .filter(|(def, _)| !def.has(GucFlags::NO_SHOW_ALL))
            .filter(|(def, _)| read_all_settings || !def.has(GucFlags::SUPERUSER_ONLY))
            .map(|(def, var)| {
                (
                    def.name.to_string(),
                    self.display(Some(def), &var.current, true),
                    def.short_desc.to_string(),
                )
            })
            .collect()
    }

    fn row(&self, def: &GucDef, var: &SessionVar, pending_restart: bool) -> PgSettingsRow {
        let numeric = matches!(def.vartype, GucType::Integer | GucType::Real);
        let (sourcefile, sourceline) = match &var.current.location {
            Some((file, line)) => (Some(file.display().to_string()), Some(*line as i32)),
            None => (None, None),
        };
        let reset_val = match &var.reset.value {
            GucValue::Str(None) => None,
            other => Some(other.setting_text()),
        };
        PgSettingsRow {
            name: def.name.to_string(),
            setting: Some(self.display(Some(def), &var.current, false)),
            unit: def.unit.map(|u| u.as_str().to_string()),
            category: def.category.to_string(),
            short_desc: def.short_desc.to_string(),
            extra_desc: def.extra_desc.map(str::to_string),
            context: def.context.as_str().to_string(),
            vartype: def.vartype.as_str().to_string(),
            source: var.current.source.as_str().to_string(),
            min_val: if numeric {
                def.min_text.map(str::to_string)
            } else {
                None
            },
            max_val: if numeric {
                def.max_text.map(str::to_string)
            } else {
                None
            },
            enumvals: (def.vartype == GucType::Enum)
                .then(|| def.enum_values().iter().map(|s| s.to_string()).collect()),
            boot_val: def.boot_val.map(str::to_string),
            reset_val,
            sourcefile,
            sourceline,
            pending_restart,
        }
    }

    /// Every `pg_settings` row (parameters without `GUC_NO_SHOW_ALL`), sorted by name
    /// ignoring case.
    pub fn pg_settings_rows(&self) -> Vec<PgSettingsRow> {
        self.pg_settings_rows_for(true)
    }

    /// [`SessionConfig::pg_settings_rows`] as a role with or without
    /// `pg_read_all_settings` sees them: without it, superuser-only parameters are left out
    /// and `sourcefile`/`sourceline` are NULL.
    pub fn pg_settings_rows_for(&self, read_all_settings: bool) -> Vec<PgSettingsRow> {
        all_defs()
            .iter()
            .enumerate()
            .filter(|(_, def)| !def.has(GucFlags::NO_SHOW_ALL))
            .filter(|(_, def)| read_all_settings || !def.has(GucFlags::SUPERUSER_ONLY))
            .map(|(i, def)| {
                let mut row = self.row(def, &self.vars[i], self.pending_restart[i]);
                if !read_all_settings {
                    row.sourcefile = None;
                    row.sourceline = None;
                }
                row
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flatten_quotes_list_items_that_need_it() {
        let args = [
            SetArg::String("$user"),
            SetArg::String("public"),
            SetArg::String("B c"),
            SetArg::String("user"),
        ];
        assert_eq!(
            flatten_set_args("search_path", &args).expect("list"),
            "\"$user\", public, \"B c\", \"user\""
        );
        assert_eq!(
            flatten_set_args("DateStyle", &[SetArg::String("sql"), SetArg::String("dmy")])
                .expect("list"),
            "sql, dmy"
        );
        assert_eq!(
            flatten_set_args("work_mem", &[SetArg::Number("64")]).expect("one"),
            "64"
        );
        let err = flatten_set_args("work_mem", &[SetArg::Number("1"), SetArg::Number("2")])
            .expect_err("not a list");
        assert_eq!(err.message, "SET work_mem takes only one argument");
    }

    #[test]
    fn quote_identifier_follows_postgres() {
        assert_eq!(quote_identifier("public"), "public");
        assert_eq!(quote_identifier("a_1$"), "\"a_1$\"");
        assert_eq!(quote_identifier("Public"), "\"Public\"");
        assert_eq!(quote_identifier("1a"), "\"1a\"");
        assert_eq!(quote_identifier("select"), "\"select\"");
        assert_eq!(quote_identifier("a\"b"), "\"a\"\"b\"");
    }
}
