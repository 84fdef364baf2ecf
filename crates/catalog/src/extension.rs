//! The extensions tusk has built in: what a PostgreSQL installation's `share/extension`
//! directory holds as control files and install scripts (PostgreSQL docs §38.17,
//! "Packaging Related Objects into an Extension").
//!
//! tusk loads no shared libraries, so an extension here is its control data and an install
//! script of ordinary SQL whose functions are `LANGUAGE internal`, each naming a function
//! tusk implements (`pg_proc.prosrc`). `CREATE EXTENSION` runs the script in the target
//! schema and records every object it creates as a member of the extension.
//!
//! Rules:
//! 1. Names, versions, comments and flags are PostgreSQL 15's (its contrib control files),
//!    so `pg_available_extensions` and `\dx` read as on PostgreSQL.
//! 2. An extension has one installable version, its default; there are no update scripts.
//! 3. `plpgsql` is created by initdb (its `pg_extension` row is built in) and has no
//!    script: its language and handlers are built-in catalog rows.
//!
//! Entry points: [`builtin_extensions`], [`builtin_extension`].

/// One built-in extension (a control file and its install script).
#[derive(Debug, Clone, Copy)]
pub struct BuiltinExtension {
    /// `extname`.
    pub name: &'static str,
    /// `default_version`, also the only version (rule 2).
    pub version: &'static str,
    /// The control file's `comment`.
    pub comment: &'static str,
    /// `relocatable`.
    pub relocatable: bool,
    /// The control file's `schema`: the extension can only be created there.
    pub schema: Option<&'static str>,
    /// `superuser`: only superusers may create it (unless `trusted`).
    pub superuser: bool,
    /// `trusted`: non-superusers with CREATE on the database may create it.
    pub trusted: bool,
    /// The install script; empty for `plpgsql` (rule 3).
    pub script: &'static str,
}

const EXTENSIONS: &[BuiltinExtension] = &[
    BuiltinExtension {
        name: "amcheck",
        version: "1.3",
        comment: "functions for verifying relation integrity",
        relocatable: true,
        schema: None,
        superuser: true,
        trusted: false,
        script: include_str!("../extension/amcheck--1.3.sql"),
    },
    BuiltinExtension {
        name: "pg_stat_statements",
        version: "1.10",
        comment: "track planning and execution statistics of all SQL statements executed",
        relocatable: true,
        schema: None,
        superuser: true,
        trusted: false,
        script: include_str!("../extension/pg_stat_statements--1.10.sql"),
    },
    BuiltinExtension {
        name: "plpgsql",
        version: "1.0",
        comment: "PL/pgSQL procedural language",
        relocatable: false,
        schema: Some("pg_catalog"),
        superuser: true,
        trusted: true,
        script: "",
    },
    BuiltinExtension {
        name: "uuid-ossp",
        version: "1.1",
        comment: "generate universally unique identifiers (UUIDs)",
        relocatable: true,
        schema: None,
        superuser: true,
        trusted: true,
        script: include_str!("../extension/uuid-ossp--1.1.sql"),
    },
];

/// Every built-in extension, by name.
pub fn builtin_extensions() -> &'static [BuiltinExtension] {
    EXTENSIONS
}

/// The built-in extension called `name`.
pub fn builtin_extension(name: &str) -> Option<&'static BuiltinExtension> {
    EXTENSIONS.iter().find(|e| e.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_are_sorted_and_found_by_name() {
        let names: Vec<&str> = builtin_extensions().iter().map(|e| e.name).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted);
        assert_eq!(builtin_extension("amcheck").map(|e| e.version), Some("1.3"));
        assert!(builtin_extension("nope").is_none());
        assert!(builtin_extension("plpgsql").is_some_and(|e| e.script.is_empty()));
    }
}
