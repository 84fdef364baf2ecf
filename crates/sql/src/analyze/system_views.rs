//! PostgreSQL 15's system views that are plain queries over the catalogs (`pg_roles`,
//! `pg_user`, `pg_group`, `pg_tables`, `pg_views`) and over the monitoring functions (`pg_settings`,
//! `pg_stat_activity`, `pg_locks`), defined in SQL as PostgreSQL's
//! `system_views.sql` defines them, and expanded by the analyzer into a subquery in FROM
//! where a query names them (what PostgreSQL's rewriter does for any view).
//!
//! Invariants: a definition reads only `pg_catalog` relations and functions, all names
//! schema-qualified, so a user's relation of the same name in another schema cannot
//! change what the view returns. The views have no `pg_class` rows: a name resolves to one
//! only when it is unqualified or qualified with `pg_catalog` (searched first, as
//! PostgreSQL does unless `search_path` lists `pg_catalog` later).
//!
//! Entry point: [`definition`]. See also `from.rs` (`range_entry`).

/// The SQL definition of system view `name`, if it is one.
pub(crate) fn definition(name: &str) -> Option<&'static str> {
    Some(match name {
        "pg_roles" => {
            "SELECT a.rolname, a.rolsuper, a.rolinherit, a.rolcreaterole, a.rolcreatedb, \
                    a.rolcanlogin, a.rolreplication, a.rolconnlimit, \
                    '********'::pg_catalog.text AS rolpassword, a.rolvaliduntil, \
                    a.rolbypassrls, s.setconfig AS rolconfig, a.oid \
             FROM pg_catalog.pg_authid a \
                  LEFT JOIN pg_catalog.pg_db_role_setting s \
                  ON (a.oid = s.setrole AND s.setdatabase = 0)"
        }
        "pg_user" => {
            "SELECT a.rolname AS usename, a.oid AS usesysid, a.rolcreatedb AS usecreatedb, \
                    a.rolsuper AS usesuper, a.rolreplication AS userepl, \
                    a.rolbypassrls AS usebypassrls, '********'::pg_catalog.text AS passwd, \
                    a.rolvaliduntil AS valuntil, s.setconfig AS useconfig \
             FROM pg_catalog.pg_authid a \
                  LEFT JOIN pg_catalog.pg_db_role_setting s \
                  ON (a.oid = s.setrole AND s.setdatabase = 0) \
             WHERE a.rolcanlogin"
        }
        "pg_group" => {
            "SELECT a.rolname AS groname, a.oid AS grosysid, \
                    ARRAY(SELECT m.member FROM pg_catalog.pg_auth_members m \
                          WHERE m.roleid = a.oid) AS grolist \
             FROM pg_catalog.pg_authid a \
             WHERE NOT a.rolcanlogin"
        }
        "pg_tables" => {
            "SELECT n.nspname AS schemaname, c.relname AS tablename, \
                    pg_catalog.pg_get_userbyid(c.relowner) AS tableowner, \
                    t.spcname AS tablespace, c.relhasindex AS hasindexes, \
                    c.relhasrules AS hasrules, c.relhastriggers AS hastriggers, \
                    c.relrowsecurity AS rowsecurity \
             FROM pg_catalog.pg_class c \
                  LEFT JOIN pg_catalog.pg_namespace n ON (n.oid = c.relnamespace) \
                  LEFT JOIN pg_catalog.pg_tablespace t ON (t.oid = c.reltablespace) \
             WHERE c.relkind IN ('r', 'p')"
        }
        "pg_views" => {
            "SELECT n.nspname AS schemaname, c.relname AS viewname, \
                    pg_catalog.pg_get_userbyid(c.relowner) AS viewowner, \
                    pg_catalog.pg_get_viewdef(c.oid) AS definition \
             FROM pg_catalog.pg_class c \
                  LEFT JOIN pg_catalog.pg_namespace n ON (n.oid = c.relnamespace) \
             WHERE c.relkind = 'v'"
        }
        "pg_settings" => "SELECT * FROM pg_catalog.pg_show_all_settings() a",
        "pg_locks" => "SELECT * FROM pg_catalog.pg_lock_status() l",
        "pg_stat_activity" => {
            "SELECT s.datid, d.datname, s.pid, s.leader_pid, s.usesysid, \
                    u.rolname AS usename, s.application_name, s.client_addr, \
                    s.client_hostname, s.client_port, s.backend_start, s.xact_start, \
                    s.query_start, s.state_change, s.wait_event_type, s.wait_event, \
                    s.state, s.backend_xid, s.backend_xmin, s.query_id, s.query, \
                    s.backend_type \
             FROM pg_catalog.pg_stat_get_activity(NULL) s \
                  LEFT JOIN pg_catalog.pg_database d ON (s.datid = d.oid) \
                  LEFT JOIN pg_catalog.pg_authid u ON (s.usesysid = u.oid)"
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_definition_parses_as_one_select() {
        for name in [
            "pg_roles",
            "pg_user",
            "pg_group",
            "pg_tables",
            "pg_views",
            "pg_settings",
            "pg_stat_activity",
            "pg_locks",
        ] {
            let sql = definition(name).expect("a system view");
            let stmts = crate::parse(sql).expect("definition parses");
            assert_eq!(stmts.len(), 1, "{name}");
            assert!(
                matches!(stmts[0].stmt, crate::ast::Statement::Select(_)),
                "{name}"
            );
        }
        assert!(definition("pg_class").is_none());
    }
}
