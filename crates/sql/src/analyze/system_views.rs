//! PostgreSQL 15's system views that are plain queries over the catalogs (`pg_roles`,
//! `pg_user`, `pg_group`, `pg_tables`, `pg_views`, `pg_matviews`, `pg_user_mappings`, `pg_seclabels`) and over the monitoring functions (`pg_settings`,
//! `pg_stat_activity`, `pg_locks`, the cumulative statistics views `pg_stat_all_tables`,
//! `pg_stat_user_tables`, `pg_stat_sys_tables`, the same three for indexes,
//! `pg_stat_database` and `pg_stat_bgwriter`), defined in SQL as PostgreSQL's
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
        "pg_publication_tables" => {
            "SELECT p.pubname, n.nspname AS schemaname, c.relname AS tablename, \
                    (SELECT pg_catalog.array_agg(a.attname ORDER BY a.attnum) \
                     FROM pg_catalog.pg_attribute a \
                     WHERE a.attrelid = gpt.relid AND a.attnum > 0 AND NOT a.attisdropped \
                       AND (a.attnum = ANY (gpt.attrs::pg_catalog.int2[]) \
                            OR gpt.attrs IS NULL)) AS attnames, \
                    pg_catalog.pg_get_expr(gpt.qual, gpt.relid) AS rowfilter \
             FROM pg_catalog.pg_publication p, \
                  LATERAL pg_catalog.pg_get_publication_tables(p.pubname::pg_catalog.text) \
                    gpt(relid, attrs, qual), \
                  pg_catalog.pg_class c \
                  JOIN pg_catalog.pg_namespace n ON (n.oid = c.relnamespace) \
             WHERE c.oid = gpt.relid"
        }
        "pg_policies" => {
            "SELECT n.nspname AS schemaname, c.relname AS tablename, pol.polname AS policyname, \
                    CASE WHEN pol.polpermissive THEN 'PERMISSIVE'::text \
                         ELSE 'RESTRICTIVE'::text END AS permissive, \
                    CASE WHEN (pol.polroles = '{0}'::oid[]) \
                         THEN (string_to_array('public'::text, ''::text))::name[] \
                         ELSE ARRAY(SELECT pg_authid.rolname FROM pg_catalog.pg_authid \
                                    WHERE (pg_authid.oid = ANY (pol.polroles)) \
                                    ORDER BY pg_authid.rolname) END AS roles, \
                    CASE pol.polcmd WHEN 'r'::\"char\" THEN 'SELECT'::text \
                         WHEN 'a'::\"char\" THEN 'INSERT'::text \
                         WHEN 'w'::\"char\" THEN 'UPDATE'::text \
                         WHEN 'd'::\"char\" THEN 'DELETE'::text \
                         WHEN '*'::\"char\" THEN 'ALL'::text ELSE NULL::text END AS cmd, \
                    pg_catalog.pg_get_expr(pol.polqual, pol.polrelid) AS qual, \
                    pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid) AS with_check \
             FROM pg_catalog.pg_policy pol \
                  JOIN pg_catalog.pg_class c ON (c.oid = pol.polrelid) \
                  LEFT JOIN pg_catalog.pg_namespace n ON (n.oid = c.relnamespace)"
        }
        "pg_views" => {
            "SELECT n.nspname AS schemaname, c.relname AS viewname, \
                    pg_catalog.pg_get_userbyid(c.relowner) AS viewowner, \
                    pg_catalog.pg_get_viewdef(c.oid) AS definition \
             FROM pg_catalog.pg_class c \
                  LEFT JOIN pg_catalog.pg_namespace n ON (n.oid = c.relnamespace) \
             WHERE c.relkind = 'v'"
        }
        "pg_matviews" => {
            "SELECT n.nspname AS schemaname, c.relname AS matviewname, \
                    pg_catalog.pg_get_userbyid(c.relowner) AS matviewowner, \
                    t.spcname AS tablespace, c.relhasindex AS hasindexes, \
                    c.relispopulated AS ispopulated, \
                    pg_catalog.pg_get_viewdef(c.oid) AS definition \
             FROM pg_catalog.pg_class c \
                  LEFT JOIN pg_catalog.pg_namespace n ON (n.oid = c.relnamespace) \
                  LEFT JOIN pg_catalog.pg_tablespace t ON (t.oid = c.reltablespace) \
             WHERE c.relkind = 'm'"
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
        "pg_stat_all_tables" => {
            "SELECT c.oid AS relid, n.nspname AS schemaname, c.relname, \
                    pg_catalog.pg_stat_get_numscans(c.oid) AS seq_scan, \
                    pg_catalog.pg_stat_get_tuples_returned(c.oid) AS seq_tup_read, \
                    (sum(pg_catalog.pg_stat_get_numscans(i.indexrelid)))::bigint AS idx_scan, \
                    ((sum(pg_catalog.pg_stat_get_tuples_fetched(i.indexrelid)))::bigint \
                      + pg_catalog.pg_stat_get_tuples_fetched(c.oid)) AS idx_tup_fetch, \
                    pg_catalog.pg_stat_get_tuples_inserted(c.oid) AS n_tup_ins, \
                    pg_catalog.pg_stat_get_tuples_updated(c.oid) AS n_tup_upd, \
                    pg_catalog.pg_stat_get_tuples_deleted(c.oid) AS n_tup_del, \
                    pg_catalog.pg_stat_get_tuples_hot_updated(c.oid) AS n_tup_hot_upd, \
                    pg_catalog.pg_stat_get_live_tuples(c.oid) AS n_live_tup, \
                    pg_catalog.pg_stat_get_dead_tuples(c.oid) AS n_dead_tup, \
                    pg_catalog.pg_stat_get_mod_since_analyze(c.oid) AS n_mod_since_analyze, \
                    pg_catalog.pg_stat_get_ins_since_vacuum(c.oid) AS n_ins_since_vacuum, \
                    pg_catalog.pg_stat_get_last_vacuum_time(c.oid) AS last_vacuum, \
                    pg_catalog.pg_stat_get_last_autovacuum_time(c.oid) AS last_autovacuum, \
                    pg_catalog.pg_stat_get_last_analyze_time(c.oid) AS last_analyze, \
                    pg_catalog.pg_stat_get_last_autoanalyze_time(c.oid) AS last_autoanalyze, \
                    pg_catalog.pg_stat_get_vacuum_count(c.oid) AS vacuum_count, \
                    pg_catalog.pg_stat_get_autovacuum_count(c.oid) AS autovacuum_count, \
                    pg_catalog.pg_stat_get_analyze_count(c.oid) AS analyze_count, \
                    pg_catalog.pg_stat_get_autoanalyze_count(c.oid) AS autoanalyze_count \
             FROM pg_catalog.pg_class c \
                  LEFT JOIN pg_catalog.pg_index i ON (c.oid = i.indrelid) \
                  LEFT JOIN pg_catalog.pg_namespace n ON (n.oid = c.relnamespace) \
             WHERE c.relkind IN ('r', 't', 'm', 'p') \
             GROUP BY c.oid, n.nspname, c.relname"
        }
        "pg_stat_user_tables" => {
            "SELECT * FROM pg_catalog.pg_stat_all_tables \
             WHERE schemaname NOT IN ('pg_catalog', 'information_schema') \
               AND schemaname !~ '^pg_toast'"
        }
        "pg_stat_sys_tables" => {
            "SELECT * FROM pg_catalog.pg_stat_all_tables \
             WHERE schemaname IN ('pg_catalog', 'information_schema') \
                OR schemaname ~ '^pg_toast'"
        }
        "pg_stat_all_indexes" => {
            "SELECT c.oid AS relid, i.oid AS indexrelid, n.nspname AS schemaname, \
                    c.relname, i.relname AS indexrelname, \
                    pg_catalog.pg_stat_get_numscans(i.oid) AS idx_scan, \
                    pg_catalog.pg_stat_get_tuples_returned(i.oid) AS idx_tup_read, \
                    pg_catalog.pg_stat_get_tuples_fetched(i.oid) AS idx_tup_fetch \
             FROM pg_catalog.pg_class c \
                  JOIN pg_catalog.pg_index x ON (c.oid = x.indrelid) \
                  JOIN pg_catalog.pg_class i ON (i.oid = x.indexrelid) \
                  LEFT JOIN pg_catalog.pg_namespace n ON (n.oid = c.relnamespace) \
             WHERE c.relkind IN ('r', 't', 'm')"
        }
        "pg_stat_user_indexes" => {
            "SELECT * FROM pg_catalog.pg_stat_all_indexes \
             WHERE schemaname NOT IN ('pg_catalog', 'information_schema') \
               AND schemaname !~ '^pg_toast'"
        }
        "pg_stat_sys_indexes" => {
            "SELECT * FROM pg_catalog.pg_stat_all_indexes \
             WHERE schemaname IN ('pg_catalog', 'information_schema') \
                OR schemaname ~ '^pg_toast'"
        }
        "pg_stat_bgwriter" => {
            "SELECT pg_catalog.pg_stat_get_bgwriter_timed_checkpoints() AS checkpoints_timed, \
                    pg_catalog.pg_stat_get_bgwriter_requested_checkpoints() AS checkpoints_req, \
                    pg_catalog.pg_stat_get_checkpoint_write_time() AS checkpoint_write_time, \
                    pg_catalog.pg_stat_get_checkpoint_sync_time() AS checkpoint_sync_time, \
                    pg_catalog.pg_stat_get_bgwriter_buf_written_checkpoints() \
                      AS buffers_checkpoint, \
                    pg_catalog.pg_stat_get_bgwriter_buf_written_clean() AS buffers_clean, \
                    pg_catalog.pg_stat_get_bgwriter_maxwritten_clean() AS maxwritten_clean, \
                    pg_catalog.pg_stat_get_buf_written_backend() AS buffers_backend, \
                    pg_catalog.pg_stat_get_buf_fsync_backend() AS buffers_backend_fsync, \
                    pg_catalog.pg_stat_get_buf_alloc() AS buffers_alloc, \
                    pg_catalog.pg_stat_get_bgwriter_stat_reset_time() AS stats_reset"
        }
        "pg_stat_database" => {
            "SELECT d.oid AS datid, d.datname, \
                    CASE WHEN d.oid = 0::pg_catalog.oid THEN 0 \
                         ELSE pg_catalog.pg_stat_get_db_numbackends(d.oid) END AS numbackends, \
                    pg_catalog.pg_stat_get_db_xact_commit(d.oid) AS xact_commit, \
                    pg_catalog.pg_stat_get_db_xact_rollback(d.oid) AS xact_rollback, \
                    pg_catalog.pg_stat_get_db_blocks_fetched(d.oid) \
                      - pg_catalog.pg_stat_get_db_blocks_hit(d.oid) AS blks_read, \
                    pg_catalog.pg_stat_get_db_blocks_hit(d.oid) AS blks_hit, \
                    pg_catalog.pg_stat_get_db_tuples_returned(d.oid) AS tup_returned, \
                    pg_catalog.pg_stat_get_db_tuples_fetched(d.oid) AS tup_fetched, \
                    pg_catalog.pg_stat_get_db_tuples_inserted(d.oid) AS tup_inserted, \
                    pg_catalog.pg_stat_get_db_tuples_updated(d.oid) AS tup_updated, \
                    pg_catalog.pg_stat_get_db_tuples_deleted(d.oid) AS tup_deleted, \
                    pg_catalog.pg_stat_get_db_conflict_all(d.oid) AS conflicts, \
                    pg_catalog.pg_stat_get_db_temp_files(d.oid) AS temp_files, \
                    pg_catalog.pg_stat_get_db_temp_bytes(d.oid) AS temp_bytes, \
                    pg_catalog.pg_stat_get_db_deadlocks(d.oid) AS deadlocks, \
                    pg_catalog.pg_stat_get_db_checksum_failures(d.oid) AS checksum_failures, \
                    pg_catalog.pg_stat_get_db_checksum_last_failure(d.oid) AS checksum_last_failure, \
                    pg_catalog.pg_stat_get_db_blk_read_time(d.oid) AS blk_read_time, \
                    pg_catalog.pg_stat_get_db_blk_write_time(d.oid) AS blk_write_time, \
                    pg_catalog.pg_stat_get_db_session_time(d.oid) AS session_time, \
                    pg_catalog.pg_stat_get_db_active_time(d.oid) AS active_time, \
                    pg_catalog.pg_stat_get_db_idle_in_transaction_time(d.oid) \
                      AS idle_in_transaction_time, \
                    pg_catalog.pg_stat_get_db_sessions(d.oid) AS sessions, \
                    pg_catalog.pg_stat_get_db_sessions_abandoned(d.oid) AS sessions_abandoned, \
                    pg_catalog.pg_stat_get_db_sessions_fatal(d.oid) AS sessions_fatal, \
                    pg_catalog.pg_stat_get_db_sessions_killed(d.oid) AS sessions_killed, \
                    pg_catalog.pg_stat_get_db_stat_reset_time(d.oid) AS stats_reset \
             FROM (SELECT 0::pg_catalog.oid AS oid, NULL::pg_catalog.name AS datname \
                   UNION ALL \
                   SELECT oid, datname FROM pg_catalog.pg_database) d"
        }
        "pg_seclabels" => {
            "SELECT l.objoid, \
             l.classoid, \
             l.objsubid, \
             CASE \
             WHEN (rel.relkind = ANY (ARRAY['r'::pg_catalog.\"char\", 'p'::pg_catalog.\"char\"])) THEN 'table'::pg_catalog.text \
             WHEN (rel.relkind = 'v'::pg_catalog.\"char\") THEN 'view'::pg_catalog.text \
             WHEN (rel.relkind = 'm'::pg_catalog.\"char\") THEN 'materialized view'::pg_catalog.text \
             WHEN (rel.relkind = 'S'::pg_catalog.\"char\") THEN 'sequence'::pg_catalog.text \
             WHEN (rel.relkind = 'f'::pg_catalog.\"char\") THEN 'foreign table'::pg_catalog.text \
             ELSE NULL::pg_catalog.text \
             END AS objtype, \
             rel.relnamespace AS objnamespace, \
             CASE \
             WHEN pg_catalog.pg_table_is_visible(rel.oid) THEN pg_catalog.quote_ident((rel.relname)::pg_catalog.text) \
             ELSE ((pg_catalog.quote_ident((nsp.nspname)::pg_catalog.text) || '.'::pg_catalog.text) || pg_catalog.quote_ident((rel.relname)::pg_catalog.text)) \
             END AS objname, \
             l.provider, \
             l.label \
             FROM ((pg_catalog.pg_seclabel l \
             JOIN pg_catalog.pg_class rel ON (((l.classoid = rel.tableoid) AND (l.objoid = rel.oid)))) \
             JOIN pg_catalog.pg_namespace nsp ON ((rel.relnamespace = nsp.oid))) \
             WHERE (l.objsubid = 0) \
             UNION ALL \
             SELECT l.objoid, \
             l.classoid, \
             l.objsubid, \
             'column'::pg_catalog.text AS objtype, \
             rel.relnamespace AS objnamespace, \
             (( \
             CASE \
             WHEN pg_catalog.pg_table_is_visible(rel.oid) THEN pg_catalog.quote_ident((rel.relname)::pg_catalog.text) \
             ELSE ((pg_catalog.quote_ident((nsp.nspname)::pg_catalog.text) || '.'::pg_catalog.text) || pg_catalog.quote_ident((rel.relname)::pg_catalog.text)) \
             END || '.'::pg_catalog.text) || (att.attname)::pg_catalog.text) AS objname, \
             l.provider, \
             l.label \
             FROM (((pg_catalog.pg_seclabel l \
             JOIN pg_catalog.pg_class rel ON (((l.classoid = rel.tableoid) AND (l.objoid = rel.oid)))) \
             JOIN pg_catalog.pg_attribute att ON (((rel.oid = att.attrelid) AND (l.objsubid = att.attnum)))) \
             JOIN pg_catalog.pg_namespace nsp ON ((rel.relnamespace = nsp.oid))) \
             WHERE (l.objsubid <> 0) \
             UNION ALL \
             SELECT l.objoid, \
             l.classoid, \
             l.objsubid, \
             CASE pro.prokind \
             WHEN 'a'::pg_catalog.\"char\" THEN 'aggregate'::pg_catalog.text \
             WHEN 'f'::pg_catalog.\"char\" THEN 'function'::pg_catalog.text \
             WHEN 'p'::pg_catalog.\"char\" THEN 'procedure'::pg_catalog.text \
             WHEN 'w'::pg_catalog.\"char\" THEN 'window'::pg_catalog.text \
             ELSE NULL::pg_catalog.text \
             END AS objtype, \
             pro.pronamespace AS objnamespace, \
             ((( \
             CASE \
             WHEN pg_catalog.pg_function_is_visible(pro.oid) THEN pg_catalog.quote_ident((pro.proname)::pg_catalog.text) \
             ELSE ((pg_catalog.quote_ident((nsp.nspname)::pg_catalog.text) || '.'::pg_catalog.text) || pg_catalog.quote_ident((pro.proname)::pg_catalog.text)) \
             END || '('::pg_catalog.text) || pg_catalog.pg_get_function_arguments(pro.oid)) || ')'::pg_catalog.text) AS objname, \
             l.provider, \
             l.label \
             FROM ((pg_catalog.pg_seclabel l \
             JOIN pg_catalog.pg_proc pro ON (((l.classoid = pro.tableoid) AND (l.objoid = pro.oid)))) \
             JOIN pg_catalog.pg_namespace nsp ON ((pro.pronamespace = nsp.oid))) \
             WHERE (l.objsubid = 0) \
             UNION ALL \
             SELECT l.objoid, \
             l.classoid, \
             l.objsubid, \
             CASE \
             WHEN (typ.typtype = 'd'::pg_catalog.\"char\") THEN 'domain'::pg_catalog.text \
             ELSE 'type'::pg_catalog.text \
             END AS objtype, \
             typ.typnamespace AS objnamespace, \
             CASE \
             WHEN pg_catalog.pg_type_is_visible(typ.oid) THEN pg_catalog.quote_ident((typ.typname)::pg_catalog.text) \
             ELSE ((pg_catalog.quote_ident((nsp.nspname)::pg_catalog.text) || '.'::pg_catalog.text) || pg_catalog.quote_ident((typ.typname)::pg_catalog.text)) \
             END AS objname, \
             l.provider, \
             l.label \
             FROM ((pg_catalog.pg_seclabel l \
             JOIN pg_catalog.pg_type typ ON (((l.classoid = typ.tableoid) AND (l.objoid = typ.oid)))) \
             JOIN pg_catalog.pg_namespace nsp ON ((typ.typnamespace = nsp.oid))) \
             WHERE (l.objsubid = 0) \
             UNION ALL \
             SELECT l.objoid, \
             l.classoid, \
             l.objsubid, \
             'large object'::pg_catalog.text AS objtype, \
             NULL::pg_catalog.oid AS objnamespace, \
             (l.objoid)::pg_catalog.text AS objname, \
             l.provider, \
             l.label \
             FROM (pg_catalog.pg_seclabel l \
             JOIN pg_catalog.pg_largeobject_metadata lom ON ((l.objoid = lom.oid))) \
             WHERE ((l.classoid = ('pg_catalog.pg_largeobject'::pg_catalog.regclass)::pg_catalog.oid) AND (l.objsubid = 0)) \
             UNION ALL \
             SELECT l.objoid, \
             l.classoid, \
             l.objsubid, \
             'language'::pg_catalog.text AS objtype, \
             NULL::pg_catalog.oid AS objnamespace, \
             pg_catalog.quote_ident((lan.lanname)::pg_catalog.text) AS objname, \
             l.provider, \
             l.label \
             FROM (pg_catalog.pg_seclabel l \
             JOIN pg_catalog.pg_language lan ON (((l.classoid = lan.tableoid) AND (l.objoid = lan.oid)))) \
             WHERE (l.objsubid = 0) \
             UNION ALL \
             SELECT l.objoid, \
             l.classoid, \
             l.objsubid, \
             'schema'::pg_catalog.text AS objtype, \
             nsp.oid AS objnamespace, \
             pg_catalog.quote_ident((nsp.nspname)::pg_catalog.text) AS objname, \
             l.provider, \
             l.label \
             FROM (pg_catalog.pg_seclabel l \
             JOIN pg_catalog.pg_namespace nsp ON (((l.classoid = nsp.tableoid) AND (l.objoid = nsp.oid)))) \
             WHERE (l.objsubid = 0) \
             UNION ALL \
             SELECT l.objoid, \
             l.classoid, \
             l.objsubid, \
             'event trigger'::pg_catalog.text AS objtype, \
             NULL::pg_catalog.oid AS objnamespace, \
             pg_catalog.quote_ident((evt.evtname)::pg_catalog.text) AS objname, \
             l.provider, \
             l.label \
             FROM (pg_catalog.pg_seclabel l \
             JOIN pg_catalog.pg_event_trigger evt ON (((l.classoid = evt.tableoid) AND (l.objoid = evt.oid)))) \
             WHERE (l.objsubid = 0) \
             UNION ALL \
             SELECT l.objoid, \
             l.classoid, \
             l.objsubid, \
             'publication'::pg_catalog.text AS objtype, \
             NULL::pg_catalog.oid AS objnamespace, \
             pg_catalog.quote_ident((p.pubname)::pg_catalog.text) AS objname, \
             l.provider, \
             l.label \
             FROM (pg_catalog.pg_seclabel l \
             JOIN pg_catalog.pg_publication p ON (((l.classoid = p.tableoid) AND (l.objoid = p.oid)))) \
             WHERE (l.objsubid = 0) \
             UNION ALL \
             SELECT l.objoid, \
             l.classoid, \
             0 AS objsubid, \
             'subscription'::pg_catalog.text AS objtype, \
             NULL::pg_catalog.oid AS objnamespace, \
             pg_catalog.quote_ident((s.subname)::pg_catalog.text) AS objname, \
             l.provider, \
             l.label \
             FROM (pg_catalog.pg_shseclabel l \
             JOIN pg_catalog.pg_subscription s ON (((l.classoid = s.tableoid) AND (l.objoid = s.oid)))) \
             UNION ALL \
             SELECT l.objoid, \
             l.classoid, \
             0 AS objsubid, \
             'database'::pg_catalog.text AS objtype, \
             NULL::pg_catalog.oid AS objnamespace, \
             pg_catalog.quote_ident((dat.datname)::pg_catalog.text) AS objname, \
             l.provider, \
             l.label \
             FROM (pg_catalog.pg_shseclabel l \
             JOIN pg_catalog.pg_database dat ON (((l.classoid = dat.tableoid) AND (l.objoid = dat.oid)))) \
             UNION ALL \
             SELECT l.objoid, \
             l.classoid, \
             0 AS objsubid, \
             'tablespace'::pg_catalog.text AS objtype, \
             NULL::pg_catalog.oid AS objnamespace, \
             pg_catalog.quote_ident((spc.spcname)::pg_catalog.text) AS objname, \
             l.provider, \
             l.label \
             FROM (pg_catalog.pg_shseclabel l \
             JOIN pg_catalog.pg_tablespace spc ON (((l.classoid = spc.tableoid) AND (l.objoid = spc.oid)))) \
             UNION ALL \
             SELECT l.objoid, \
             l.classoid, \
             0 AS objsubid, \
             'role'::pg_catalog.text AS objtype, \
             NULL::pg_catalog.oid AS objnamespace, \
             pg_catalog.quote_ident((rol.rolname)::pg_catalog.text) AS objname, \
             l.provider, \
             l.label \
             FROM (pg_catalog.pg_shseclabel l \
             JOIN pg_catalog.pg_authid rol ON (((l.classoid = rol.tableoid) AND (l.objoid = rol.oid))))"
        }
        "pg_user_mappings" => {
            "SELECT u.oid AS umid, s.oid AS srvid, s.srvname AS srvname, u.umuser AS umuser, \
                    CASE WHEN u.umuser = 0 THEN 'public'::pg_catalog.name \
                         ELSE a.rolname END AS usename, \
                    CASE WHEN (u.umuser <> 0 AND a.rolname = CURRENT_USER \
                               AND (pg_catalog.pg_has_role(s.srvowner, 'USAGE') \
                                    OR pg_catalog.has_server_privilege(s.oid, 'USAGE'))) \
                              OR (u.umuser = 0 AND pg_catalog.pg_has_role(s.srvowner, 'USAGE')) \
                              OR (SELECT x.rolsuper FROM pg_catalog.pg_authid x \
                                  WHERE x.rolname = CURRENT_USER) \
                         THEN u.umoptions ELSE NULL END AS umoptions \
             FROM pg_catalog.pg_user_mapping u \
                  JOIN pg_catalog.pg_foreign_server s ON (u.umserver = s.oid) \
                  LEFT JOIN pg_catalog.pg_authid a ON (a.oid = u.umuser)"
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
            "pg_policies",
            "pg_publication_tables",
            "pg_user_mappings",
            "pg_seclabels",
            "pg_views",
            "pg_matviews",
            "pg_settings",
            "pg_stat_activity",
            "pg_locks",
            "pg_stat_all_tables",
            "pg_stat_user_tables",
            "pg_stat_sys_tables",
            "pg_stat_all_indexes",
            "pg_stat_user_indexes",
            "pg_stat_sys_indexes",
            "pg_stat_database",
            "pg_stat_bgwriter",
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
