//! ALTER SYSTEM: rewriting `postgresql.auto.conf` (PostgreSQL docs, ALTER SYSTEM reference
//! page; guc.c's `AlterSystemSetConfigFile`).
//!
//! The value is validated as a configuration-file value would be; the file keeps its
//! existing order, a changed parameter is updated in place, a new one is appended, and
//! `RESET`/`DEFAULT` removes it. The file is written to a temporary name, synced and
//! renamed, so a crash leaves either the old or the new file. The server must check
//! privileges and reload (or not) afterwards, as PostgreSQL does.

use std::io::Write as _;
use std::path::Path;

use tusk_types::{pg_err, Error, Result};

use super::conf_file::{self, ParsedConfig};
use super::def::{lookup, GucContext, GucFlags};
use super::sample::AUTO_CONFIG_HEADER;
use super::server::is_valid_custom_name;
use super::value::{parse_value, ParseContext};
use super::AUTO_CONFIG_FILENAME;

/// `ALTER SYSTEM SET name = value` (`value` Some) or `ALTER SYSTEM RESET name` /
/// `SET name TO DEFAULT` (`value` None). `name` is written as given (the parser lower-cases
/// unquoted names, as PostgreSQL's does).
///
/// Errors: 42704 `unrecognized configuration parameter "x"`; 55P02 `parameter "x" cannot be
/// changed` (internal or not settable in files); 22023 invalid value or
/// `parameter value for ALTER SYSTEM must not contain a newline`; F0000 when the existing
/// file cannot be parsed; class 58 for I/O failures.
pub fn alter_system(data_dir: &Path, name: &str, value: Option<&str>) -> Result<()> {
    match lookup(name) {
        Some(def) => {
            if def.context == GucContext::Internal || def.has(GucFlags::DISALLOW_IN_FILE) {
                return Err(pg_err!(
                    CANT_CHANGE_RUNTIME_PARAM,
                    "parameter \"{}\" cannot be changed",
                    name
                ));
            }
            if let Some(text) = value {
                parse_value(def, name, text, ParseContext::default())?;
            }
        }
        None if is_valid_custom_name(name) => {}
        None => {
            return Err(pg_err!(
                UNDEFINED_OBJECT,
                "unrecognized configuration parameter \"{}\"",
                name
            ))
        }
    }
    if value.is_some_and(|v| v.contains('\n')) {
        return Err(pg_err!(
            INVALID_PARAMETER_VALUE,
            "parameter value for ALTER SYSTEM must not contain a newline"
        ));
    }
    let mut items = read_auto_conf(data_dir)?;
    match items.iter().position(|(n, _)| n == name) {
        Some(at) => match value {
            Some(v) => items[at].1 = v.to_string(),
            None => {
                items.remove(at);
            }
        },
        None => {
            if let Some(v) = value {
                items.push((name.to_string(), v.to_string()));
            }
        }
    }
    write_auto_conf(data_dir, &items)
}

/// `ALTER SYSTEM RESET ALL`: leaves `postgresql.auto.conf` with only its header.
/// Errors: class 58 for I/O failures.
pub fn alter_system_reset_all(data_dir: &Path) -> Result<()> {
    write_auto_conf(data_dir, &[])
}

fn read_auto_conf(data_dir: &Path) -> Result<Vec<(String, String)>> {
    let path = data_dir.join(AUTO_CONFIG_FILENAME);
    let mut parsed = ParsedConfig::default();
    if !conf_file::parse_config_file(&path, false, &mut parsed) {
        return Err(pg_err!(
            CONFIG_FILE_ERROR,
            "could not parse contents of file \"{}\"",
            path.display()
        ));
    }
    Ok(parsed
        .items
        .into_iter()
        .map(|item| (item.name, item.value))
        .collect())
}

/// Quotes a value as ALTER SYSTEM writes it: `'...'` with `'` and `\` doubled.
fn quote_auto_conf_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        if c == '\'' || c == '\\' {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

fn write_auto_conf(data_dir: &Path, items: &[(String, String)]) -> Result<()> {
    let path = data_dir.join(AUTO_CONFIG_FILENAME);
    let temp = data_dir.join(format!("{AUTO_CONFIG_FILENAME}.tmp"));
    let mut text = String::from(AUTO_CONFIG_HEADER);
    for (name, value) in items {
        text.push_str(&format!("{name} = {}\n", quote_auto_conf_value(value)));
    }
    let io = |what: &str, p: &Path, e: &std::io::Error| -> Error {
        Error::io(format_args!("could not {what} file \"{}\"", p.display()), e)
    };
    let mut file = std::fs::File::create(&temp).map_err(|e| io("open", &temp, &e))?;
    file.write_all(text.as_bytes())
        .map_err(|e| io("write to", &temp, &e))?;
    file.sync_all().map_err(|e| io("fsync", &temp, &e))?;
    drop(file);
    std::fs::rename(&temp, &path).map_err(|e| {
        Error::io(
            format_args!(
                "could not rename file \"{}\" to \"{}\"",
                temp.display(),
                path.display()
            ),
            &e,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guc::server::tests::TempDir;
    use crate::guc::ServerConfig;
    use tusk_types::SqlState;

    #[test]
    fn set_update_and_reset_keep_order() {
        let dir = TempDir::new();
        alter_system(&dir.0, "work_mem", Some("8MB")).expect("set");
        alter_system(&dir.0, "search_path", Some("\"$user\", it's")).expect("set");
        alter_system(&dir.0, "work_mem", Some("16MB")).expect("update");
        alter_system(&dir.0, "myapp.flag", Some("a\\b")).expect("placeholder");
        let text = std::fs::read_to_string(dir.0.join(AUTO_CONFIG_FILENAME)).expect("read");
        assert_eq!(
            text,
            format!(
                "{AUTO_CONFIG_HEADER}work_mem = '16MB'\nsearch_path = '\"$user\", it''s'\n\
                 myapp.flag = 'a\\\\b'\n"
            )
        );
        let config = ServerConfig::load(&dir.0, &[]).expect("load");
        assert_eq!(config.int("work_mem"), 16384);
        assert_eq!(config.string("search_path"), "\"$user\", it's");
        assert_eq!(config.get("myapp.flag").as_deref(), Some("a\\b"));
        alter_system(&dir.0, "work_mem", None).expect("reset");
        let text = std::fs::read_to_string(dir.0.join(AUTO_CONFIG_FILENAME)).expect("read");
        assert!(!text.contains("work_mem"));
        alter_system_reset_all(&dir.0).expect("reset all");
        let text = std::fs::read_to_string(dir.0.join(AUTO_CONFIG_FILENAME)).expect("read");
        assert_eq!(text, AUTO_CONFIG_HEADER);
    }

    #[test]
    fn invalid_requests_are_rejected() {
        let dir = TempDir::new();
        let err = alter_system(&dir.0, "nosuch", Some("1")).expect_err("unknown");
        assert_eq!(err.code, SqlState::UNDEFINED_OBJECT);
        let err = alter_system(&dir.0, "server_version", Some("1")).expect_err("internal");
        assert_eq!(
            err.message,
            "parameter \"server_version\" cannot be changed"
        );
        let err = alter_system(&dir.0, "transaction_isolation", Some("serializable"))
            .expect_err("not in files");
        assert_eq!(err.code, SqlState::CANT_CHANGE_RUNTIME_PARAM);
        let err = alter_system(&dir.0, "work_mem", Some("abc")).expect_err("bad value");
        assert_eq!(
            err.message,
            "invalid value for parameter \"work_mem\": \"abc\""
        );
        let err = alter_system(&dir.0, "application_name", Some("a\nb")).expect_err("newline");
        assert_eq!(
            err.message,
            "parameter value for ALTER SYSTEM must not contain a newline"
        );
        alter_system(&dir.0, "shared_buffers", Some("1GB")).expect("postmaster ones are fine");
    }
}
