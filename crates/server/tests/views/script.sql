-- Schemas
CREATE SCHEMA s1;
CREATE SCHEMA s1;
CREATE SCHEMA IF NOT EXISTS s1;
CREATE SCHEMA pg_x;
CREATE SCHEMA IF NOT EXISTS x2 CREATE TABLE y (a int);
CREATE SCHEMA x CREATE TABLE y (a int) CREATE TABLE other.z (a int);
CREATE SCHEMA s2 CREATE TABLE t (a int) CREATE VIEW w AS SELECT a FROM t;
CREATE SCHEMA AUTHORIZATION postgres;
DROP SCHEMA nosuch;
DROP SCHEMA IF EXISTS nosuch;
DROP SCHEMA pg_catalog;
ALTER SCHEMA s2 RENAME TO pg_y;
ALTER SCHEMA s2 RENAME TO s1;
ALTER SCHEMA nosuch RENAME TO a;
ALTER SCHEMA s2 RENAME TO s3;
SELECT * FROM s3.w;
\dn
-- Tables and views in schemas, search_path
CREATE TABLE s1.t (a int, b text);
INSERT INTO s1.t VALUES (1, 'one'), (2, 'two'), (3, 'three');
CREATE TABLE t2 (x int);
INSERT INTO t2 VALUES (2), (3);
SET search_path = s1, public;
CREATE VIEW v AS SELECT a, b FROM t WHERE a > 1;
CREATE VIEW public.v2 (p, q) AS SELECT a, b FROM s1.t;
CREATE VIEW v3 AS SELECT * FROM public.v2 JOIN t2 ON p = x;
SELECT * FROM v ORDER BY a;
SELECT * FROM v2 ORDER BY p;
SELECT p, q, x FROM v3 ORDER BY p;
SELECT v.b, t2.x FROM v JOIN t2 ON v.a = t2.x ORDER BY 1;
SELECT * FROM t2 WHERE x IN (SELECT a FROM v) ORDER BY 1;
SELECT (SELECT count(*) FROM v) AS n, w.* FROM v2 w(r) ORDER BY r;
WITH c AS (SELECT * FROM v) SELECT count(*) FROM c;
RESET search_path;
SELECT * FROM v;
SELECT a FROM s1.v ORDER BY 1;
-- Errors of CREATE VIEW
CREATE VIEW v2 AS SELECT 1 AS a;
CREATE VIEW e1 AS SELECT $1;
CREATE VIEW e1 AS SELECT 1 AS a, 2 AS a;
CREATE VIEW e1 (x, y) AS SELECT 1;
CREATE VIEW e1 AS SELECT nosuch FROM t2;
CREATE VIEW s9.e1 AS SELECT 1;
-- CREATE OR REPLACE VIEW
CREATE VIEW r AS SELECT x FROM t2;
CREATE OR REPLACE VIEW r AS SELECT x, x + 1 AS y FROM t2;
SELECT * FROM r ORDER BY x;
CREATE OR REPLACE VIEW r AS SELECT x FROM t2;
CREATE OR REPLACE VIEW r AS SELECT x AS z, x + 1 AS y FROM t2;
CREATE OR REPLACE VIEW r AS SELECT x::bigint, x + 1 AS y FROM t2;
CREATE OR REPLACE VIEW t2 AS SELECT 1 AS x;
CREATE VIEW u AS SELECT 'lit' AS l, 1 AS n;
\dv
\dv+
\d u
\d r
-- DML on views
CREATE VIEW agg AS SELECT count(*) AS n FROM t2;
INSERT INTO agg VALUES (2);
UPDATE agg SET n = 1;
DELETE FROM agg;
CREATE VIEW dist AS SELECT DISTINCT x FROM t2;
DELETE FROM dist;
CREATE VIEW joined AS SELECT * FROM t2 a, t2 b;
DELETE FROM joined;
-- DROP VIEW, DROP TABLE and dependencies
DROP VIEW t2;
DROP TABLE v2;
DROP VIEW nosuch;
DROP VIEW IF EXISTS nosuch;
DROP TABLE t2;
DROP VIEW v2;
DROP SCHEMA s1;
DROP SCHEMA s1, nosuch CASCADE;
DROP SCHEMA s1 CASCADE;
SELECT * FROM v3;
DROP TABLE t2 CASCADE;
DROP VIEW u, r;
-- A schema with a serial column, an index, a sequence and views
CREATE SCHEMA s4;
CREATE TABLE s4.t (id serial PRIMARY KEY, b text);
CREATE SEQUENCE s4.q;
CREATE INDEX ON s4.t (b);
CREATE VIEW s4.v AS SELECT * FROM s4.t;
CREATE VIEW pv AS SELECT id FROM s4.v;
DROP SCHEMA s4;
DROP TABLE s4.t;
DROP SCHEMA s4 CASCADE;
SELECT count(*) FROM pg_class WHERE relname IN ('t_id_seq', 't_pkey', 't_b_idx', 'pv');
-- Transactions
BEGIN;
CREATE SCHEMA rb;
CREATE VIEW rb.v AS SELECT 1 AS one;
SELECT * FROM rb.v;
ROLLBACK;
SELECT * FROM rb.v;
SELECT count(*) FROM pg_namespace WHERE nspname = 'rb';
SELECT count(*) FROM pg_class WHERE relname = 'v' AND relkind = 'v';
DROP SCHEMA s3 CASCADE;
DROP SCHEMA postgres;
\dn
\dv
-- A view's definition may read system columns; a query of the view need not name them.
CREATE TABLE sys_cols (a int);
INSERT INTO sys_cols VALUES (1), (2);
CREATE VIEW sys_cols_v AS SELECT ctid AS row_at, tableoid = 'sys_cols'::regclass AS own, a FROM sys_cols;
SELECT * FROM sys_cols_v ORDER BY a;
DROP VIEW sys_cols_v;
DROP TABLE sys_cols;
