-- The information schema over a few tables, a view, constraints and a sequence.
CREATE TABLE p (id int PRIMARY KEY, code text UNIQUE, n int CHECK (n > 0));
CREATE TABLE ch (id serial PRIMARY KEY, pid int REFERENCES p (id) ON DELETE CASCADE, pcode text,
                 FOREIGN KEY (pcode) REFERENCES p (code) MATCH FULL ON UPDATE SET NULL);
CREATE TABLE t (a int NOT NULL, b varchar(20), c numeric(10, 2), d timestamp(3), e text,
                f char(3), i int[], j float8, k bool, l date, m numeric);
CREATE VIEW v AS SELECT a, b FROM t;
CREATE SEQUENCE s1 INCREMENT 5 START 10;
CREATE SCHEMA other;
CREATE TABLE other.o (x int);
SELECT catalog_name = current_database() FROM information_schema.information_schema_catalog_name;
SELECT schema_name, schema_owner FROM information_schema.schemata ORDER BY 1;
SELECT table_schema, table_name, table_type, is_insertable_into, is_typed, commit_action
  FROM information_schema.tables WHERE table_schema IN ('public', 'other') AND table_type <> 'VIEW'
  ORDER BY 1, 2;
SELECT table_name, table_type FROM information_schema.tables WHERE table_type = 'VIEW'
  AND table_schema = 'public';
SELECT table_name, column_name, ordinal_position, is_nullable, data_type,
       character_maximum_length, character_octet_length, numeric_precision,
       numeric_precision_radix, numeric_scale, datetime_precision, udt_schema, udt_name,
       dtd_identifier, is_identity, is_generated
  FROM information_schema.columns WHERE table_name IN ('t', 'p') ORDER BY 1, 3;
SELECT table_name, check_option, view_definition IS NOT NULL AS has_definition
  FROM information_schema.views WHERE table_schema = 'public';
SELECT constraint_name, table_name, constraint_type, is_deferrable, initially_deferred,
       enforced, nulls_distinct
  FROM information_schema.table_constraints
  WHERE table_schema = 'public' AND constraint_type <> 'CHECK' ORDER BY 2, 1;
SELECT table_name, count(*) FROM information_schema.table_constraints
  WHERE table_schema = 'public' AND constraint_type = 'CHECK' GROUP BY 1 ORDER BY 1;
SELECT constraint_name, table_name, column_name, ordinal_position, position_in_unique_constraint
  FROM information_schema.key_column_usage WHERE table_schema = 'public' ORDER BY 1, 4;
SELECT constraint_name, unique_constraint_name, match_option, update_rule, delete_rule
  FROM information_schema.referential_constraints WHERE constraint_schema = 'public' ORDER BY 1;
SELECT table_name, column_name, constraint_name FROM information_schema.constraint_column_usage
  WHERE table_schema = 'public' AND constraint_name NOT LIKE '%check' ORDER BY 3, 2;
SELECT sequence_name, data_type, numeric_precision, start_value, minimum_value, maximum_value,
       increment, cycle_option
  FROM information_schema.sequences WHERE sequence_schema = 'public' ORDER BY 1;
SELECT 'x'::information_schema.sql_identifier, 5::information_schema.cardinal_number;
SELECT count(*) FROM information_schema.columns WHERE table_schema = 'pg_catalog' AND column_name = 'oid'
  AND table_name IN ('pg_class', 'pg_type', 'pg_proc', 'pg_namespace');
