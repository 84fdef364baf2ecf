\set VERBOSITY default
SELECT extname, extversion, extrelocatable, extnamespace::regnamespace AS schema FROM pg_extension ORDER BY 1;
\dx
CREATE EXTENSION "uuid-ossp" VERSION '9.9';
CREATE EXTENSION "uuid-ossp" SCHEMA nosuch;
CREATE EXTENSION plpgsql;
CREATE EXTENSION IF NOT EXISTS plpgsql;
CREATE SCHEMA ext;
CREATE EXTENSION "uuid-ossp" SCHEMA ext;
\dx
\dx+ uuid-ossp
SELECT pg_describe_object(classid, objid, objsubid) AS member, deptype
  FROM pg_depend
 WHERE refclassid = 'pg_extension'::regclass
   AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'uuid-ossp')
 ORDER BY 1;
SELECT ext.uuid_generate_v3(ext.uuid_ns_dns(), 'www.example.com') AS v3,
       ext.uuid_generate_v5(ext.uuid_ns_url(), 'http://www.postgresql.org/') AS v5,
       ext.uuid_nil() AS nil, ext.uuid_ns_oid() AS ns_oid, ext.uuid_ns_x500() AS ns_x500;
SELECT substr(u::text, 15, 1) AS version, substr(u::text, 20, 1) IN ('8', '9', 'a', 'b') AS variant
  FROM (VALUES (ext.uuid_generate_v1()), (ext.uuid_generate_v1mc()), (ext.uuid_generate_v4())) AS v(u);
SELECT count(DISTINCT ext.uuid_generate_v4()) FROM generate_series(1, 100);
CREATE TABLE ext_items (id uuid DEFAULT ext.uuid_generate_v4() PRIMARY KEY, name text);
INSERT INTO ext_items (name) VALUES ('a'), ('b');
SELECT count(*), count(DISTINCT id) FROM ext_items;
DROP TABLE ext_items;
DROP EXTENSION "uuid-ossp";
DROP EXTENSION "uuid-ossp";
DROP EXTENSION IF EXISTS "uuid-ossp";
SELECT count(*) FROM pg_proc WHERE proname LIKE 'uuid_generate%';
BEGIN;
CREATE EXTENSION "uuid-ossp";
ROLLBACK;
SELECT count(*) FROM pg_extension WHERE extname = 'uuid-ossp';
-- amcheck
CREATE EXTENSION amcheck;
CREATE EXTENSION amcheck;
CREATE TABLE am_t (a int PRIMARY KEY, b text);
INSERT INTO am_t SELECT g, 'value ' || g FROM generate_series(1, 2000) g;
CREATE INDEX am_t_b ON am_t (b);
CREATE INDEX am_t_partial ON am_t (a) WHERE a % 2 = 0;
CREATE INDEX am_t_expr ON am_t (lower(b));
UPDATE am_t SET b = b || '!' WHERE a % 3 = 0;
DELETE FROM am_t WHERE a % 5 = 0;
SELECT bt_index_check('am_t_pkey');
SELECT bt_index_check('am_t_b', true);
SELECT bt_index_parent_check('am_t_partial', true);
SELECT bt_index_parent_check('am_t_expr', true, true);
SELECT bt_index_check('am_t');
SELECT bt_index_check(NULL);
CREATE TABLE am_p (a int) PARTITION BY RANGE (a);
CREATE INDEX am_p_a ON am_p (a);
SELECT bt_index_check('am_p_a');
CREATE ROLE am_user;
SET ROLE am_user;
SELECT bt_index_check('am_t_pkey');
CREATE EXTENSION "uuid-ossp";
RESET ROLE;
DROP ROLE am_user;
DROP TABLE am_t, am_p;
DROP EXTENSION amcheck;
-- pg_stat_statements
CREATE EXTENSION pg_stat_statements;
SELECT pg_stat_statements_reset();
CREATE TABLE pss_t (a int, b text);
INSERT INTO pss_t VALUES (1, 'one');
INSERT INTO pss_t VALUES (2, 'two');
SELECT * FROM pss_t WHERE a = 1;
SELECT * FROM pss_t WHERE a = 2;
UPDATE pss_t SET b = 'x' WHERE a > 0;
SELECT count(*) FROM pss_t;
SELECT query, calls, rows, toplevel, total_exec_time >= 0 AS timed
  FROM pg_stat_statements
 WHERE query NOT LIKE '%pg_stat_statements%'
 ORDER BY query COLLATE "C";
SELECT dealloc FROM pg_stat_statements_info;
SELECT pg_stat_statements_reset();
SELECT count(*) FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%';
CREATE VIEW pss_v AS SELECT calls FROM pg_stat_statements;
DROP EXTENSION pg_stat_statements;
DROP EXTENSION pg_stat_statements CASCADE;
DROP TABLE pss_t;
SELECT extname FROM pg_extension ORDER BY 1;
