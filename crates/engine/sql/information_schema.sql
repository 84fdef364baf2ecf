-- The information schema (SQL standard part 11; PostgreSQL docs chapter 37), written for
-- tusk's catalogs. initdb runs this script in template1 as the bootstrap superuser.
--
-- Every view is a plain query over pg_catalog with schema-qualified names. Objects are
-- listed when the current user owns them or holds a privilege on them, as PostgreSQL
-- lists them. Views are reported as neither insertable nor updatable: tusk does not
-- write through views yet.


GRANT USAGE ON SCHEMA information_schema TO PUBLIC;

CREATE DOMAIN information_schema.cardinal_number AS integer
    CONSTRAINT cardinal_number_domain_check CHECK (VALUE >= 0);
CREATE DOMAIN information_schema.character_data AS character varying;
CREATE DOMAIN information_schema.sql_identifier AS name;
CREATE DOMAIN information_schema.time_stamp AS timestamp(2) with time zone
    DEFAULT current_timestamp(2);
CREATE DOMAIN information_schema.yes_or_no AS character varying(3)
    CONSTRAINT yes_or_no_check CHECK (VALUE IN ('YES', 'NO'));

CREATE VIEW information_schema.information_schema_catalog_name AS
    SELECT CAST(pg_catalog.current_database() AS information_schema.sql_identifier) AS catalog_name;

CREATE VIEW information_schema.schemata AS
    SELECT CAST(pg_catalog.current_database() AS information_schema.sql_identifier) AS catalog_name,
           CAST(n.nspname AS information_schema.sql_identifier) AS schema_name,
           CAST(u.rolname AS information_schema.sql_identifier) AS schema_owner,
           CAST(null AS information_schema.sql_identifier) AS default_character_set_catalog,
           CAST(null AS information_schema.sql_identifier) AS default_character_set_schema,
           CAST(null AS information_schema.sql_identifier) AS default_character_set_name,
           CAST(null AS information_schema.character_data) AS sql_path
    FROM pg_catalog.pg_namespace n, pg_catalog.pg_authid u
    WHERE n.nspowner = u.oid
      AND pg_catalog.has_schema_privilege(n.oid, 'CREATE, USAGE');

CREATE VIEW information_schema.tables AS
    SELECT CAST(pg_catalog.current_database() AS information_schema.sql_identifier) AS table_catalog,
           CAST(nc.nspname AS information_schema.sql_identifier) AS table_schema,
           CAST(c.relname AS information_schema.sql_identifier) AS table_name,
           CAST(CASE WHEN nc.oid = pg_catalog.pg_my_temp_schema() THEN 'LOCAL TEMPORARY'
                     WHEN c.relkind IN ('r', 'p') THEN 'BASE TABLE'
                     WHEN c.relkind = 'v' THEN 'VIEW'
                     WHEN c.relkind = 'f' THEN 'FOREIGN'
                     ELSE null END AS information_schema.character_data) AS table_type,
           CAST(null AS information_schema.sql_identifier) AS self_referencing_column_name,
           CAST(null AS information_schema.character_data) AS reference_generation,
           CAST(CASE WHEN t.typname IS NOT NULL THEN pg_catalog.current_database() ELSE null END
                AS information_schema.sql_identifier) AS user_defined_type_catalog,
           CAST(nt.nspname AS information_schema.sql_identifier) AS user_defined_type_schema,
           CAST(t.typname AS information_schema.sql_identifier) AS user_defined_type_name,
           CAST(CASE WHEN c.relkind IN ('r', 'p') OR
                          c.relkind IN ('v', 'f') AND
                          pg_catalog.pg_relation_is_updatable(c.oid, false) & 8 = 8
                     THEN 'YES' ELSE 'NO' END
                AS information_schema.yes_or_no) AS is_insertable_into,
           CAST(CASE WHEN t.typname IS NOT NULL THEN 'YES' ELSE 'NO' END
                AS information_schema.yes_or_no) AS is_typed,
           CAST(CASE WHEN nc.oid = pg_catalog.pg_my_temp_schema() THEN 'PRESERVE' ELSE null END
                AS information_schema.character_data) AS commit_action
    FROM pg_catalog.pg_namespace nc
         JOIN pg_catalog.pg_class c ON nc.oid = c.relnamespace
         LEFT JOIN (pg_catalog.pg_type t JOIN pg_catalog.pg_namespace nt ON t.typnamespace = nt.oid)
              ON c.reloftype = t.oid
    WHERE c.relkind IN ('r', 'v', 'f', 'p')
      AND NOT pg_catalog.pg_is_other_temp_schema(nc.oid)
      AND (pg_catalog.has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
           OR pg_catalog.has_any_column_privilege(c.oid, 'SELECT, INSERT, UPDATE, REFERENCES'));

CREATE VIEW information_schema.views AS
    SELECT CAST(pg_catalog.current_database() AS information_schema.sql_identifier) AS table_catalog,
           CAST(nc.nspname AS information_schema.sql_identifier) AS table_schema,
           CAST(c.relname AS information_schema.sql_identifier) AS table_name,
           CAST(CASE WHEN pg_catalog.pg_has_role(c.relowner, 'USAGE')
                     THEN pg_catalog.pg_get_viewdef(c.oid) ELSE null END
                AS information_schema.character_data) AS view_definition,
           CAST(CASE WHEN 'check_option=cascaded' = ANY (c.reloptions) THEN 'CASCADED'
                     WHEN 'check_option=local' = ANY (c.reloptions) THEN 'LOCAL'
                     ELSE 'NONE' END AS information_schema.character_data) AS check_option,
           CAST(CASE WHEN pg_catalog.pg_relation_is_updatable(c.oid, false) & 20 = 20
                     THEN 'YES' ELSE 'NO' END AS information_schema.yes_or_no) AS is_updatable,
           CAST(CASE WHEN pg_catalog.pg_relation_is_updatable(c.oid, false) & 8 = 8
                     THEN 'YES' ELSE 'NO' END AS information_schema.yes_or_no) AS is_insertable_into,
           CAST(CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_trigger
                                  WHERE tgrelid = c.oid AND (tgtype::integer & 81) = 81)
                     THEN 'YES' ELSE 'NO' END AS information_schema.yes_or_no) AS is_trigger_updatable,
           CAST(CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_trigger
                                  WHERE tgrelid = c.oid AND (tgtype::integer & 73) = 73)
                     THEN 'YES' ELSE 'NO' END AS information_schema.yes_or_no) AS is_trigger_deletable,
           CAST(CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_trigger
                                  WHERE tgrelid = c.oid AND (tgtype::integer & 69) = 69)
                     THEN 'YES' ELSE 'NO' END AS information_schema.yes_or_no) AS is_trigger_insertable_into
    FROM pg_catalog.pg_namespace nc
         JOIN pg_catalog.pg_class c ON nc.oid = c.relnamespace
    WHERE c.relkind = 'v'
      AND NOT pg_catalog.pg_is_other_temp_schema(nc.oid)
      AND (pg_catalog.has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
           OR pg_catalog.has_any_column_privilege(c.oid, 'SELECT, INSERT, UPDATE, REFERENCES'));

-- Type facts the columns view reports, for a type and typmod with domains already
-- resolved to their base type. PostgreSQL's own _pg_char_max_length and friends are in
-- the built-in catalog data with SQL bodies tusk cannot run, so these have other names.
CREATE FUNCTION information_schema._tusk_char_max_length(typid oid, typmod int4) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURNS NULL ON NULL INPUT
    RETURN CASE WHEN typid IN (1042, 1043) THEN CASE WHEN typmod = -1 THEN null ELSE typmod - 4 END
                WHEN typid IN (1560, 1562) THEN CASE WHEN typmod = -1 THEN null ELSE typmod END
                ELSE null END;

CREATE FUNCTION information_schema._tusk_char_octet_length(typid oid, typmod int4) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURNS NULL ON NULL INPUT
    RETURN CASE WHEN typid IN (25, 1042, 1043)
                THEN CASE WHEN typmod = -1 THEN 1073741824 ELSE (typmod - 4) * 4 END
                ELSE null END;

CREATE FUNCTION information_schema._tusk_numeric_precision(typid oid, typmod int4) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURNS NULL ON NULL INPUT
    RETURN CASE typid WHEN 21 THEN 16 WHEN 23 THEN 32 WHEN 20 THEN 64
                WHEN 1700 THEN CASE WHEN typmod = -1 THEN null ELSE ((typmod - 4) >> 16) & 65535 END
                WHEN 700 THEN 24 WHEN 701 THEN 53
                ELSE null END;

CREATE FUNCTION information_schema._tusk_numeric_precision_radix(typid oid, typmod int4) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURNS NULL ON NULL INPUT
    RETURN CASE WHEN typid IN (21, 23, 20, 700, 701) THEN 2 WHEN typid = 1700 THEN 10 ELSE null END;

CREATE FUNCTION information_schema._tusk_numeric_scale(typid oid, typmod int4) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURNS NULL ON NULL INPUT
    RETURN CASE WHEN typid IN (21, 23, 20) THEN 0
                WHEN typid = 1700 THEN CASE WHEN typmod = -1 THEN null ELSE (typmod - 4) & 65535 END
                ELSE null END;

CREATE FUNCTION information_schema._tusk_datetime_precision(typid oid, typmod int4) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURNS NULL ON NULL INPUT
    RETURN CASE WHEN typid = 1082 THEN 0
                WHEN typid IN (1083, 1114, 1184, 1266) THEN CASE WHEN typmod < 0 THEN 6 ELSE typmod END
                WHEN typid = 1186 THEN CASE WHEN typmod < 0 OR typmod & 65535 = 65535 THEN 6 ELSE typmod & 65535 END
                ELSE null END;

CREATE VIEW information_schema.columns AS
    SELECT CAST(pg_catalog.current_database() AS information_schema.sql_identifier) AS table_catalog,
           CAST(nc.nspname AS information_schema.sql_identifier) AS table_schema,
           CAST(c.relname AS information_schema.sql_identifier) AS table_name,
           CAST(a.attname AS information_schema.sql_identifier) AS column_name,
           CAST(a.attnum AS information_schema.cardinal_number) AS ordinal_position,
           CAST(CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END
                AS information_schema.character_data) AS column_default,
           CAST(CASE WHEN a.attnotnull OR (t.typtype = 'd' AND t.typnotnull) THEN 'NO' ELSE 'YES' END
                AS information_schema.yes_or_no) AS is_nullable,
           CAST(CASE WHEN t.typtype = 'd' THEN
                       CASE WHEN bt.typelem <> 0 AND bt.typlen = -1 THEN 'ARRAY'
                            WHEN nbt.nspname = 'pg_catalog' THEN pg_catalog.format_type(t.typbasetype, null)
                            ELSE 'USER-DEFINED' END
                     ELSE
                       CASE WHEN t.typelem <> 0 AND t.typlen = -1 THEN 'ARRAY'
                            WHEN nt.nspname = 'pg_catalog' THEN pg_catalog.format_type(a.atttypid, null)
                            ELSE 'USER-DEFINED' END
                END AS information_schema.character_data) AS data_type,
           CAST(information_schema._tusk_char_max_length(ct.oid, ct.typmod)
                AS information_schema.cardinal_number) AS character_maximum_length,
           CAST(information_schema._tusk_char_octet_length(ct.oid, ct.typmod)
                AS information_schema.cardinal_number) AS character_octet_length,
           CAST(information_schema._tusk_numeric_precision(ct.oid, ct.typmod)
                AS information_schema.cardinal_number) AS numeric_precision,
           CAST(information_schema._tusk_numeric_precision_radix(ct.oid, ct.typmod)
                AS information_schema.cardinal_number) AS numeric_precision_radix,
           CAST(information_schema._tusk_numeric_scale(ct.oid, ct.typmod)
                AS information_schema.cardinal_number) AS numeric_scale,
           CAST(information_schema._tusk_datetime_precision(ct.oid, ct.typmod)
                AS information_schema.cardinal_number) AS datetime_precision,
           CAST(CASE WHEN ct.oid = 1186 AND pg_catalog.strpos(pg_catalog.format_type(ct.oid, ct.typmod), ' ') > 0
                     THEN pg_catalog.upper(pg_catalog.substr(pg_catalog.format_type(ct.oid, ct.typmod),
                              pg_catalog.strpos(pg_catalog.format_type(ct.oid, ct.typmod), ' ') + 1))
                     ELSE null END AS information_schema.character_data) AS interval_type,
           CAST(null AS information_schema.cardinal_number) AS interval_precision,
           CAST(null AS information_schema.sql_identifier) AS character_set_catalog,
           CAST(null AS information_schema.sql_identifier) AS character_set_schema,
           CAST(null AS information_schema.sql_identifier) AS character_set_name,
           CAST(CASE WHEN co.collname IS NOT NULL AND co.collname <> 'default'
                     THEN pg_catalog.current_database() END AS information_schema.sql_identifier) AS collation_catalog,
           CAST(CASE WHEN co.collname IS NOT NULL AND co.collname <> 'default'
                     THEN nco.nspname END AS information_schema.sql_identifier) AS collation_schema,
           CAST(CASE WHEN co.collname IS NOT NULL AND co.collname <> 'default'
                     THEN co.collname END AS information_schema.sql_identifier) AS collation_name,
           CAST(CASE WHEN t.typtype = 'd' THEN pg_catalog.current_database() ELSE null END
                AS information_schema.sql_identifier) AS domain_catalog,
           CAST(CASE WHEN t.typtype = 'd' THEN nt.nspname ELSE null END
                AS information_schema.sql_identifier) AS domain_schema,
           CAST(CASE WHEN t.typtype = 'd' THEN t.typname ELSE null END
                AS information_schema.sql_identifier) AS domain_name,
           CAST(pg_catalog.current_database() AS information_schema.sql_identifier) AS udt_catalog,
           CAST(COALESCE(nbt.nspname, nt.nspname) AS information_schema.sql_identifier) AS udt_schema,
           CAST(COALESCE(bt.typname, t.typname) AS information_schema.sql_identifier) AS udt_name,
           CAST(null AS information_schema.sql_identifier) AS scope_catalog,
           CAST(null AS information_schema.sql_identifier) AS scope_schema,
           CAST(null AS information_schema.sql_identifier) AS scope_name,
           CAST(null AS information_schema.cardinal_number) AS maximum_cardinality,
           CAST(a.attnum AS information_schema.sql_identifier) AS dtd_identifier,
           CAST('NO' AS information_schema.yes_or_no) AS is_self_referencing,
           CAST(CASE WHEN a.attidentity IN ('a', 'd') THEN 'YES' ELSE 'NO' END
                AS information_schema.yes_or_no) AS is_identity,
           CAST(CASE a.attidentity WHEN 'a' THEN 'ALWAYS' WHEN 'd' THEN 'BY DEFAULT' END
                AS information_schema.character_data) AS identity_generation,
           CAST(seq.seqstart AS information_schema.character_data) AS identity_start,
           CAST(seq.seqincrement AS information_schema.character_data) AS identity_increment,
           CAST(seq.seqmax AS information_schema.character_data) AS identity_maximum,
           CAST(seq.seqmin AS information_schema.character_data) AS identity_minimum,
           CAST(CASE WHEN seq.seqcycle THEN 'YES' ELSE 'NO' END
                AS information_schema.yes_or_no) AS identity_cycle,
           CAST(CASE WHEN a.attgenerated <> '' THEN 'ALWAYS' ELSE 'NEVER' END
                AS information_schema.character_data) AS is_generated,
           CAST(CASE WHEN a.attgenerated <> '' THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END
                AS information_schema.character_data) AS generation_expression,
           CAST(CASE WHEN c.relkind IN ('r', 'p') THEN 'YES'
                     WHEN c.relkind IN ('v', 'f') AND
                          pg_catalog.pg_column_is_updatable(c.oid, a.attnum, false) THEN 'YES'
                     ELSE 'NO' END
                AS information_schema.yes_or_no) AS is_updatable
    FROM pg_catalog.pg_attribute a
         LEFT JOIN pg_catalog.pg_attrdef ad ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
         JOIN pg_catalog.pg_class c ON a.attrelid = c.oid
         JOIN pg_catalog.pg_namespace nc ON c.relnamespace = nc.oid
         JOIN pg_catalog.pg_type t ON a.atttypid = t.oid
         JOIN pg_catalog.pg_namespace nt ON t.typnamespace = nt.oid
         LEFT JOIN (pg_catalog.pg_type bt JOIN pg_catalog.pg_namespace nbt ON bt.typnamespace = nbt.oid)
              ON t.typtype = 'd' AND t.typbasetype = bt.oid
         LEFT JOIN (pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace nco ON co.collnamespace = nco.oid)
              ON a.attcollation = co.oid
         CROSS JOIN LATERAL (SELECT CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE a.atttypid END AS oid,
                                    CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END AS typmod) ct
         LEFT JOIN (pg_catalog.pg_depend dep JOIN pg_catalog.pg_sequence seq
                    ON dep.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                       AND dep.objid = seq.seqrelid AND dep.deptype = 'i')
              ON dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
                 AND dep.refobjid = c.oid AND dep.refobjsubid = a.attnum
    WHERE a.attnum > 0 AND NOT a.attisdropped
      AND c.relkind IN ('r', 'v', 'f', 'p')
      AND NOT pg_catalog.pg_is_other_temp_schema(nc.oid)
      AND (pg_catalog.has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
           OR pg_catalog.has_column_privilege(c.oid, a.attnum, 'SELECT, INSERT, UPDATE, REFERENCES'));

CREATE VIEW information_schema.table_constraints AS
    SELECT CAST(pg_catalog.current_database() AS information_schema.sql_identifier) AS constraint_catalog,
           CAST(nc.nspname AS information_schema.sql_identifier) AS constraint_schema,
           CAST(c.conname AS information_schema.sql_identifier) AS constraint_name,
           CAST(pg_catalog.current_database() AS information_schema.sql_identifier) AS table_catalog,
           CAST(nr.nspname AS information_schema.sql_identifier) AS table_schema,
           CAST(r.relname AS information_schema.sql_identifier) AS table_name,
           CAST(CASE c.contype WHEN 'c' THEN 'CHECK' WHEN 'f' THEN 'FOREIGN KEY'
                               WHEN 'p' THEN 'PRIMARY KEY' WHEN 'u' THEN 'UNIQUE' END
                AS information_schema.character_data) AS constraint_type,
           CAST(CASE WHEN c.condeferrable THEN 'YES' ELSE 'NO' END AS information_schema.yes_or_no) AS is_deferrable,
           CAST(CASE WHEN c.condeferred THEN 'YES' ELSE 'NO' END AS information_schema.yes_or_no) AS initially_deferred,
           CAST('YES' AS information_schema.yes_or_no) AS enforced,
           CAST(CASE WHEN c.contype = 'u'
                     THEN CASE WHEN (SELECT NOT indnullsnotdistinct FROM pg_catalog.pg_index WHERE indexrelid = c.conindid)
                               THEN 'YES' ELSE 'NO' END
                END AS information_schema.yes_or_no) AS nulls_distinct
    FROM pg_catalog.pg_namespace nc, pg_catalog.pg_namespace nr,
         pg_catalog.pg_constraint c, pg_catalog.pg_class r
    WHERE nc.oid = c.connamespace AND nr.oid = r.relnamespace
      AND c.conrelid = r.oid
      AND c.contype IN ('c', 'f', 'p', 'u')
      AND r.relkind IN ('r', 'p')
      AND NOT pg_catalog.pg_is_other_temp_schema(nr.oid)
      AND pg_catalog.has_table_privilege(r.oid, 'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')

    UNION ALL

    -- NOT NULL columns, which PostgreSQL 15 reports as CHECK constraints.
    SELECT CAST(pg_catalog.current_database() AS information_schema.sql_identifier),
           CAST(nr.nspname AS information_schema.sql_identifier),
           CAST(CAST(nr.oid AS text) || '_' || CAST(r.oid AS text) || '_' || CAST(a.attnum AS text) || '_not_null'
                AS information_schema.sql_identifier),
           CAST(pg_catalog.current_database() AS information_schema.sql_identifier),
           CAST(nr.nspname AS information_schema.sql_identifier),
           CAST(r.relname AS information_schema.sql_identifier),
           CAST('CHECK' AS information_schema.character_data),
           CAST('NO' AS information_schema.yes_or_no),
           CAST('NO' AS information_schema.yes_or_no),
           CAST('YES' AS information_schema.yes_or_no),
           CAST(null AS information_schema.yes_or_no)
    FROM pg_catalog.pg_namespace nr, pg_catalog.pg_class r, pg_catalog.pg_attribute a
    WHERE nr.oid = r.relnamespace
      AND r.oid = a.attrelid
      AND a.attnotnull AND a.attnum > 0 AND NOT a.attisdropped
      AND r.relkind IN ('r', 'p')
      AND NOT pg_catalog.pg_is_other_temp_schema(nr.oid)
      AND pg_catalog.has_table_privilege(r.oid, 'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER');

CREATE VIEW information_schema.check_constraints AS
    SELECT CAST(pg_catalog.current_database() AS information_schema.sql_identifier) AS constraint_catalog,
           CAST(rs.nspname AS information_schema.sql_identifier) AS constraint_schema,
           CAST(con.conname AS information_schema.sql_identifier) AS constraint_name,
           CAST(pg_catalog.substr(pg_catalog.pg_get_constraintdef(con.oid), 7)
                AS information_schema.character_data) AS check_clause
    FROM pg_catalog.pg_constraint con
         LEFT JOIN pg_catalog.pg_namespace rs ON rs.oid = con.connamespace
         LEFT JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
         LEFT JOIN pg_catalog.pg_type t ON t.oid = con.contypid
    WHERE con.contype = 'c'
      AND (pg_catalog.has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
           OR t.oid IS NOT NULL)

    UNION ALL

    SELECT CAST(pg_catalog.current_database() AS information_schema.sql_identifier),
           CAST(n.nspname AS information_schema.sql_identifier),
           CAST(CAST(n.oid AS text) || '_' || CAST(r.oid AS text) || '_' || CAST(a.attnum AS text) || '_not_null'
                AS information_schema.sql_identifier),
           CAST(pg_catalog.quote_ident(a.attname) || ' IS NOT NULL' AS information_schema.character_data)
    FROM pg_catalog.pg_namespace n, pg_catalog.pg_class r, pg_catalog.pg_attribute a
    WHERE n.oid = r.relnamespace
      AND r.oid = a.attrelid
      AND a.attnum > 0 AND NOT a.attisdropped AND a.attnotnull
      AND r.relkind IN ('r', 'p')
      AND pg_catalog.has_table_privilege(r.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER');

CREATE VIEW information_schema.key_column_usage AS
    SELECT CAST(pg_catalog.current_database() AS information_schema.sql_identifier) AS constraint_catalog,
           CAST(nc.nspname AS information_schema.sql_identifier) AS constraint_schema,
           CAST(c.conname AS information_schema.sql_identifier) AS constraint_name,
           CAST(pg_catalog.current_database() AS information_schema.sql_identifier) AS table_catalog,
           CAST(nr.nspname AS information_schema.sql_identifier) AS table_schema,
           CAST(r.relname AS information_schema.sql_identifier) AS table_name,
           CAST(a.attname AS information_schema.sql_identifier) AS column_name,
           CAST(k.n AS information_schema.cardinal_number) AS ordinal_position,
           CAST(CASE WHEN c.contype = 'f'
                     THEN pg_catalog.array_position(CAST(pg_catalog.string_to_array(CAST(ri.indkey AS text), ' ') AS int2[]), c.confkey[k.n])
                     ELSE null END AS information_schema.cardinal_number) AS position_in_unique_constraint
    FROM pg_catalog.pg_constraint c
         JOIN pg_catalog.pg_class r ON r.oid = c.conrelid
         JOIN pg_catalog.pg_namespace nr ON nr.oid = r.relnamespace
         JOIN pg_catalog.pg_namespace nc ON nc.oid = c.connamespace
         CROSS JOIN LATERAL pg_catalog.generate_subscripts(c.conkey, 1) AS k(n)
         JOIN pg_catalog.pg_attribute a ON a.attrelid = r.oid AND a.attnum = c.conkey[k.n]
         LEFT JOIN pg_catalog.pg_index ri ON ri.indexrelid = c.conindid
    WHERE c.contype IN ('p', 'u', 'f')
      AND r.relkind IN ('r', 'p')
      AND NOT a.attisdropped
      AND NOT pg_catalog.pg_is_other_temp_schema(nr.oid)
      AND (pg_catalog.has_table_privilege(r.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
           OR pg_catalog.has_column_privilege(r.oid, a.attnum, 'SELECT, INSERT, UPDATE, REFERENCES'));

CREATE VIEW information_schema.referential_constraints AS
    SELECT CAST(pg_catalog.current_database() AS information_schema.sql_identifier) AS constraint_catalog,
           CAST(ncon.nspname AS information_schema.sql_identifier) AS constraint_schema,
           CAST(con.conname AS information_schema.sql_identifier) AS constraint_name,
           CAST(CASE WHEN npkc.nspname IS NULL THEN null ELSE pg_catalog.current_database() END
                AS information_schema.sql_identifier) AS unique_constraint_catalog,
           CAST(npkc.nspname AS information_schema.sql_identifier) AS unique_constraint_schema,
           CAST(pkc.conname AS information_schema.sql_identifier) AS unique_constraint_name,
           CAST(CASE con.confmatchtype WHEN 'f' THEN 'FULL' WHEN 'p' THEN 'PARTIAL' WHEN 's' THEN 'NONE' END
                AS information_schema.character_data) AS match_option,
           CAST(CASE con.confupdtype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL'
                                     WHEN 'd' THEN 'SET DEFAULT' WHEN 'r' THEN 'RESTRICT'
                                     WHEN 'a' THEN 'NO ACTION' END
                AS information_schema.character_data) AS update_rule,
           CAST(CASE con.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL'
                                     WHEN 'd' THEN 'SET DEFAULT' WHEN 'r' THEN 'RESTRICT'
                                     WHEN 'a' THEN 'NO ACTION' END
                AS information_schema.character_data) AS delete_rule
    FROM pg_catalog.pg_namespace ncon
         JOIN pg_catalog.pg_constraint con ON ncon.oid = con.connamespace
         JOIN pg_catalog.pg_class c ON con.conrelid = c.oid AND con.contype = 'f'
         LEFT JOIN pg_catalog.pg_depend d1
              ON d1.objid = con.oid AND d1.classid = 'pg_catalog.pg_constraint'::pg_catalog.regclass
                 AND d1.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d1.refobjsubid = 0
         LEFT JOIN pg_catalog.pg_constraint pkc
              ON pkc.conindid = con.conindid AND pkc.conrelid = con.confrelid AND pkc.contype IN ('p', 'u')
         LEFT JOIN pg_catalog.pg_namespace npkc ON pkc.connamespace = npkc.oid
    WHERE (d1.refobjid IS NULL OR d1.refobjid = con.conindid)
      AND pg_catalog.has_table_privilege(c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER');

CREATE VIEW information_schema.constraint_column_usage AS
    SELECT CAST(pg_catalog.current_database() AS information_schema.sql_identifier) AS table_catalog,
           CAST(tblschema AS information_schema.sql_identifier) AS table_schema,
           CAST(tblname AS information_schema.sql_identifier) AS table_name,
           CAST(colname AS information_schema.sql_identifier) AS column_name,
           CAST(pg_catalog.current_database() AS information_schema.sql_identifier) AS constraint_catalog,
           CAST(cstrschema AS information_schema.sql_identifier) AS constraint_schema,
           CAST(cstrname AS information_schema.sql_identifier) AS constraint_name
    FROM (
        -- The key columns of primary key and unique constraints, and the referenced
        -- columns of foreign keys.
        SELECT nr.nspname AS tblschema, r.relname AS tblname, a.attname AS colname,
               nc.nspname AS cstrschema, c.conname AS cstrname, r.relowner AS owner, r.oid AS reloid
        FROM pg_catalog.pg_constraint c
             JOIN pg_catalog.pg_namespace nc ON c.connamespace = nc.oid
             JOIN pg_catalog.pg_class r
                  ON r.oid = CASE c.contype WHEN 'f' THEN c.confrelid ELSE c.conrelid END
             JOIN pg_catalog.pg_namespace nr ON nr.oid = r.relnamespace
             JOIN pg_catalog.pg_attribute a
                  ON a.attrelid = r.oid
                     AND a.attnum = ANY (CASE c.contype WHEN 'f' THEN c.confkey ELSE c.conkey END)
        WHERE c.contype IN ('p', 'u', 'f')
          AND r.relkind IN ('r', 'p')
          AND NOT a.attisdropped
    ) AS x
    WHERE pg_catalog.has_table_privilege(x.reloid, 'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER');

CREATE VIEW information_schema.sequences AS
    SELECT CAST(pg_catalog.current_database() AS information_schema.sql_identifier) AS sequence_catalog,
           CAST(nc.nspname AS information_schema.sql_identifier) AS sequence_schema,
           CAST(c.relname AS information_schema.sql_identifier) AS sequence_name,
           CAST(pg_catalog.format_type(s.seqtypid, null) AS information_schema.character_data) AS data_type,
           CAST(information_schema._tusk_numeric_precision(s.seqtypid, -1)
                AS information_schema.cardinal_number) AS numeric_precision,
           CAST(2 AS information_schema.cardinal_number) AS numeric_precision_radix,
           CAST(0 AS information_schema.cardinal_number) AS numeric_scale,
           CAST(s.seqstart AS information_schema.character_data) AS start_value,
           CAST(s.seqmin AS information_schema.character_data) AS minimum_value,
           CAST(s.seqmax AS information_schema.character_data) AS maximum_value,
           CAST(s.seqincrement AS information_schema.character_data) AS increment,
           CAST(CASE WHEN s.seqcycle THEN 'YES' ELSE 'NO' END AS information_schema.yes_or_no) AS cycle_option
    FROM pg_catalog.pg_namespace nc, pg_catalog.pg_class c, pg_catalog.pg_sequence s
    WHERE c.relnamespace = nc.oid
      AND c.relkind = 'S'
      AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend
                      WHERE classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                        AND objid = c.oid AND deptype = 'i')
      AND NOT pg_catalog.pg_is_other_temp_schema(nc.oid)
      AND c.oid = s.seqrelid
      AND pg_catalog.has_sequence_privilege(c.oid, 'SELECT, UPDATE, USAGE');

-- SQL/MED (foreign-data wrappers, servers, user mappings, foreign tables): the helper
-- views list what the current user owns or may use; options come from
-- pg_options_to_table in a join rather than in the select list.

CREATE VIEW information_schema._pg_foreign_data_wrappers AS
    SELECT w.oid, w.fdwowner, w.fdwoptions,
           CAST(pg_catalog.current_database() AS information_schema.sql_identifier) AS foreign_data_wrapper_catalog,
           CAST(w.fdwname AS information_schema.sql_identifier) AS foreign_data_wrapper_name,
           CAST(u.rolname AS information_schema.sql_identifier) AS authorization_identifier,
           CAST('c' AS information_schema.character_data) AS foreign_data_wrapper_language
    FROM pg_catalog.pg_foreign_data_wrapper w, pg_catalog.pg_authid u
    WHERE u.oid = w.fdwowner
      AND (pg_catalog.pg_has_role(w.fdwowner, 'USAGE')
           OR pg_catalog.has_foreign_data_wrapper_privilege(w.oid, 'USAGE'));

CREATE VIEW information_schema.foreign_data_wrapper_options AS
    SELECT w.foreign_data_wrapper_catalog, w.foreign_data_wrapper_name,
           CAST(o.option_name AS information_schema.sql_identifier) AS option_name,
           CAST(o.option_value AS information_schema.character_data) AS option_value
    FROM information_schema._pg_foreign_data_wrappers w,
         pg_catalog.pg_options_to_table(w.fdwoptions) o;

CREATE VIEW information_schema.foreign_data_wrappers AS
    SELECT w.foreign_data_wrapper_catalog, w.foreign_data_wrapper_name,
           w.authorization_identifier,
           CAST(NULL AS information_schema.character_data) AS library_name,
           w.foreign_data_wrapper_language
    FROM information_schema._pg_foreign_data_wrappers w;

CREATE VIEW information_schema._pg_foreign_servers AS
    SELECT s.oid, s.srvoptions,
           CAST(pg_catalog.current_database() AS information_schema.sql_identifier) AS foreign_server_catalog,
           CAST(s.srvname AS information_schema.sql_identifier) AS foreign_server_name,
           CAST(pg_catalog.current_database() AS information_schema.sql_identifier) AS foreign_data_wrapper_catalog,
           CAST(w.fdwname AS information_schema.sql_identifier) AS foreign_data_wrapper_name,
           CAST(s.srvtype AS information_schema.character_data) AS foreign_server_type,
           CAST(s.srvversion AS information_schema.character_data) AS foreign_server_version,
           CAST(u.rolname AS information_schema.sql_identifier) AS authorization_identifier
    FROM pg_catalog.pg_foreign_server s, pg_catalog.pg_foreign_data_wrapper w,
         pg_catalog.pg_authid u
    WHERE w.oid = s.srvfdw
      AND u.oid = s.srvowner
      AND (pg_catalog.pg_has_role(s.srvowner, 'USAGE')
           OR pg_catalog.has_server_privilege(s.oid, 'USAGE'));

CREATE VIEW information_schema.foreign_server_options AS
    SELECT s.foreign_server_catalog, s.foreign_server_name,
           CAST(o.option_name AS information_schema.sql_identifier) AS option_name,
           CAST(o.option_value AS information_schema.character_data) AS option_value
    FROM information_schema._pg_foreign_servers s,
         pg_catalog.pg_options_to_table(s.srvoptions) o;

CREATE VIEW information_schema.foreign_servers AS
    SELECT s.foreign_server_catalog, s.foreign_server_name,
           s.foreign_data_wrapper_catalog, s.foreign_data_wrapper_name,
           s.foreign_server_type, s.foreign_server_version, s.authorization_identifier
    FROM information_schema._pg_foreign_servers s;

CREATE VIEW information_schema._pg_foreign_tables AS
    SELECT CAST(pg_catalog.current_database() AS information_schema.sql_identifier) AS foreign_table_catalog,
           CAST(n.nspname AS information_schema.sql_identifier) AS foreign_table_schema,
           CAST(c.relname AS information_schema.sql_identifier) AS foreign_table_name,
           t.ftoptions AS ftoptions,
           CAST(pg_catalog.current_database() AS information_schema.sql_identifier) AS foreign_server_catalog,
           CAST(s.srvname AS information_schema.sql_identifier) AS foreign_server_name,
           CAST(u.rolname AS information_schema.sql_identifier) AS authorization_identifier
    FROM pg_catalog.pg_foreign_table t, pg_catalog.pg_foreign_server s,
         pg_catalog.pg_foreign_data_wrapper w, pg_catalog.pg_authid u,
         pg_catalog.pg_namespace n, pg_catalog.pg_class c
    WHERE w.oid = s.srvfdw
      AND u.oid = c.relowner
      AND (pg_catalog.pg_has_role(c.relowner, 'USAGE')
           OR pg_catalog.has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER'))
      AND n.oid = c.relnamespace
      AND c.oid = t.ftrelid
      AND c.relkind = 'f'
      AND s.oid = t.ftserver;

CREATE VIEW information_schema.foreign_table_options AS
    SELECT t.foreign_table_catalog, t.foreign_table_schema, t.foreign_table_name,
           CAST(o.option_name AS information_schema.sql_identifier) AS option_name,
           CAST(o.option_value AS information_schema.character_data) AS option_value
    FROM information_schema._pg_foreign_tables t,
         pg_catalog.pg_options_to_table(t.ftoptions) o;

CREATE VIEW information_schema.foreign_tables AS
    SELECT t.foreign_table_catalog, t.foreign_table_schema, t.foreign_table_name,
           t.foreign_server_catalog, t.foreign_server_name
    FROM information_schema._pg_foreign_tables t;

CREATE VIEW information_schema._pg_user_mappings AS
    SELECT um.oid, um.umoptions, um.umuser,
           CAST(COALESCE(u.rolname, 'PUBLIC') AS information_schema.sql_identifier) AS authorization_identifier,
           s.foreign_server_catalog, s.foreign_server_name,
           s.authorization_identifier AS srvowner
    FROM pg_catalog.pg_user_mapping um
         LEFT JOIN pg_catalog.pg_authid u ON (u.oid = um.umuser)
         JOIN information_schema._pg_foreign_servers s ON (s.oid = um.umserver);

CREATE VIEW information_schema.user_mapping_options AS
    SELECT um.authorization_identifier, um.foreign_server_catalog, um.foreign_server_name,
           CAST(o.option_name AS information_schema.sql_identifier) AS option_name,
           CAST(CASE WHEN (um.umuser <> 0 AND um.authorization_identifier = CURRENT_USER)
                       OR (um.umuser = 0 AND pg_catalog.pg_has_role(um.srvowner, 'USAGE'))
                       OR (SELECT x.rolsuper FROM pg_catalog.pg_authid x
                           WHERE x.rolname = CURRENT_USER)
                     THEN o.option_value
                     ELSE NULL END AS information_schema.character_data) AS option_value
    FROM information_schema._pg_user_mappings um,
         pg_catalog.pg_options_to_table(um.umoptions) o;

CREATE VIEW information_schema.user_mappings AS
    SELECT um.authorization_identifier, um.foreign_server_catalog, um.foreign_server_name
    FROM information_schema._pg_user_mappings um;
