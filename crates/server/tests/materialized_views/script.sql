-- Materialized views: creation with and without data, scans, REFRESH, indexes,
-- dependencies, ALTER, DROP and the errors of the wrong object kind.
CREATE TABLE mv_src (id int PRIMARY KEY, grp text NOT NULL, amt numeric NOT NULL);
INSERT INTO mv_src VALUES (1, 'x', 2), (2, 'x', 3), (3, 'y', 5);
CREATE MATERIALIZED VIEW mv_totals AS
  SELECT grp, sum(amt) AS total FROM mv_src GROUP BY grp;
CREATE MATERIALIZED VIEW mv_empty (g, t) AS
  SELECT grp, sum(amt) FROM mv_src GROUP BY grp WITH NO DATA;
SELECT relname, relkind, relhasrules, relispopulated
  FROM pg_class WHERE relname LIKE 'mv\_%' ORDER BY relname;
SELECT * FROM mv_totals ORDER BY grp;
SELECT * FROM mv_empty ORDER BY g;
SELECT count(*) FROM mv_totals WHERE grp IN (SELECT g FROM mv_empty);
SELECT matviewname, matviewowner, hasindexes, ispopulated
  FROM pg_matviews ORDER BY matviewname;
\dm
-- refresh after the source changes
INSERT INTO mv_src VALUES (4, 'z', 7);
UPDATE mv_src SET amt = 10 WHERE id = 1;
SELECT * FROM mv_totals ORDER BY grp;
REFRESH MATERIALIZED VIEW mv_totals;
SELECT * FROM mv_totals ORDER BY grp;
REFRESH MATERIALIZED VIEW mv_empty;
SELECT * FROM mv_empty ORDER BY g;
REFRESH MATERIALIZED VIEW mv_empty WITH NO DATA;
SELECT relispopulated FROM pg_class WHERE relname = 'mv_empty';
SELECT * FROM mv_empty;
-- a rolled-back refresh leaves the old contents
INSERT INTO mv_src VALUES (5, 'w', 1);
BEGIN;
REFRESH MATERIALIZED VIEW mv_totals;
SELECT count(*) FROM mv_totals;
ROLLBACK;
SELECT count(*) FROM mv_totals;
-- indexes and REFRESH CONCURRENTLY
REFRESH MATERIALIZED VIEW CONCURRENTLY mv_totals;
CREATE UNIQUE INDEX mv_totals_grp_partial ON mv_totals (grp) WHERE total > 0;
REFRESH MATERIALIZED VIEW CONCURRENTLY mv_totals;
CREATE UNIQUE INDEX mv_totals_grp ON mv_totals (grp);
REFRESH MATERIALIZED VIEW CONCURRENTLY mv_totals;
SELECT * FROM mv_totals ORDER BY grp;
UPDATE mv_src SET amt = amt + 1 WHERE grp = 'x';
DELETE FROM mv_src WHERE grp = 'w';
REFRESH MATERIALIZED VIEW CONCURRENTLY mv_totals;
SELECT * FROM mv_totals ORDER BY grp;
SELECT relhasindex FROM pg_class WHERE relname = 'mv_totals';
REFRESH MATERIALIZED VIEW CONCURRENTLY mv_empty;
REFRESH MATERIALIZED VIEW CONCURRENTLY mv_totals WITH NO DATA;
-- duplicates
CREATE TABLE mv_dup (a int, b text);
INSERT INTO mv_dup VALUES (1, 'one'), (2, NULL);
CREATE MATERIALIZED VIEW mv_dups AS SELECT * FROM mv_dup;
CREATE UNIQUE INDEX ON mv_dups (a);
INSERT INTO mv_dup VALUES (1, 'one'), (2, NULL);
REFRESH MATERIALIZED VIEW mv_dups;
REFRESH MATERIALIZED VIEW CONCURRENTLY mv_dups;
UPDATE mv_dup SET b = 'a b' WHERE a = 1;
REFRESH MATERIALIZED VIEW CONCURRENTLY mv_dups;
TRUNCATE mv_dup;
INSERT INTO mv_dup VALUES (1, 'uno'), (3, NULL);
REFRESH MATERIALIZED VIEW CONCURRENTLY mv_dups;
SELECT * FROM mv_dups ORDER BY a;
-- writes and row locks are refused
INSERT INTO mv_totals VALUES ('q', 1);
UPDATE mv_totals SET total = 0;
DELETE FROM mv_totals;
TRUNCATE mv_totals;
SELECT * FROM mv_totals FOR UPDATE;
-- wrong object kinds
DROP VIEW mv_totals;
DROP TABLE mv_totals;
DROP MATERIALIZED VIEW mv_src;
REFRESH MATERIALIZED VIEW mv_src;
REFRESH MATERIALIZED VIEW no_such_mv;
ALTER MATERIALIZED VIEW mv_src RENAME TO mv_src2;
DROP MATERIALIZED VIEW IF EXISTS no_such_mv;
CREATE UNLOGGED MATERIALIZED VIEW mv_unlogged AS SELECT 1;
CREATE TEMP TABLE mv_temp (a int);
CREATE MATERIALIZED VIEW mv_of_temp AS SELECT * FROM mv_temp;
CREATE MATERIALIZED VIEW mv_totals AS SELECT 1;
CREATE MATERIALIZED VIEW IF NOT EXISTS mv_totals AS SELECT 1 / 0;
CREATE MATERIALIZED VIEW mv_cols (a, b, c) AS SELECT 1, 2;
-- dependencies
DROP TABLE mv_src;
BEGIN;
DROP TABLE mv_src CASCADE;
ROLLBACK;
SELECT count(*) FROM mv_totals;
-- ALTER MATERIALIZED VIEW
ALTER MATERIALIZED VIEW mv_totals RENAME TO mv_sums;
ALTER MATERIALIZED VIEW mv_sums RENAME COLUMN total TO amount;
ALTER MATERIALIZED VIEW mv_sums SET (fillfactor = 70);
ALTER MATERIALIZED VIEW mv_sums ALTER COLUMN amount SET STATISTICS 50;
SELECT reloptions FROM pg_class WHERE relname = 'mv_sums';
SELECT attname, attstattarget FROM pg_attribute
  WHERE attrelid = 'mv_sums'::regclass AND attnum > 0 ORDER BY attnum;
REFRESH MATERIALIZED VIEW mv_sums;
SELECT * FROM mv_sums ORDER BY grp;
COMMENT ON MATERIALIZED VIEW mv_sums IS 'sums per group';
SELECT obj_description('mv_sums'::regclass, 'pg_class');
-- ALTER MATERIALIZED VIEW ... SET SCHEMA
CREATE SCHEMA mv_schema;
CREATE VIEW mv_sums_view AS SELECT grp FROM mv_sums;
ALTER MATERIALIZED VIEW mv_sums SET SCHEMA mv_schema;
ALTER MATERIALIZED VIEW mv_src SET SCHEMA mv_schema;
ALTER MATERIALIZED VIEW mv_schema.mv_sums SET SCHEMA no_such_schema;
SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relname LIKE 'mv\_sums%' ORDER BY 2;
SELECT * FROM mv_sums_view ORDER BY grp;
REFRESH MATERIALIZED VIEW mv_schema.mv_sums;
ALTER MATERIALIZED VIEW mv_schema.mv_sums SET SCHEMA public;
DROP VIEW mv_sums_view;
DROP SCHEMA mv_schema;
-- ownership
CREATE ROLE regress_mv_other;
GRANT SELECT ON mv_sums TO regress_mv_other;
SET ROLE regress_mv_other;
SELECT count(*) FROM mv_sums;
REFRESH MATERIALIZED VIEW mv_sums;
RESET ROLE;
ALTER MATERIALIZED VIEW mv_sums OWNER TO regress_mv_other;
SELECT matviewowner FROM pg_matviews WHERE matviewname = 'mv_sums';
ALTER MATERIALIZED VIEW mv_sums OWNER TO postgres;
-- VACUUM and ANALYZE take materialized views
VACUUM mv_sums;
ANALYZE mv_sums;
-- EXPLAIN of CREATE MATERIALIZED VIEW and CREATE TABLE AS
EXPLAIN (COSTS OFF)
  CREATE MATERIALIZED VIEW mv_explained AS SELECT grp, count(*) FROM mv_src GROUP BY grp;
SELECT count(*) FROM pg_class WHERE relname = 'mv_explained';
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY OFF, TIMING OFF)
  CREATE MATERIALIZED VIEW mv_explained (n) AS SELECT generate_series(1, 3);
SELECT * FROM mv_explained ORDER BY n;
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY OFF, TIMING OFF)
  CREATE MATERIALIZED VIEW mv_explained2 AS SELECT generate_series(1, 3) WITH NO DATA;
SELECT ispopulated FROM pg_matviews WHERE matviewname = 'mv_explained2';
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY OFF, TIMING OFF)
  CREATE MATERIALIZED VIEW mv_explained AS SELECT 1 / 0;
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY OFF, TIMING OFF)
  CREATE MATERIALIZED VIEW IF NOT EXISTS mv_explained AS SELECT 1 / 0;
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY OFF, TIMING OFF)
  CREATE TABLE mv_table AS SELECT id FROM mv_src WHERE grp <> 'x';
SELECT * FROM mv_table ORDER BY id;
DROP TABLE mv_table;
DROP MATERIALIZED VIEW mv_explained, mv_explained2;
-- functions, cursors and prepared statements meet the unpopulated state too
CREATE MATERIALIZED VIEW mv_later AS SELECT id FROM mv_src WITH NO DATA;
CREATE FUNCTION mv_later_count() RETURNS bigint LANGUAGE plpgsql
  AS $$ BEGIN RETURN (SELECT count(*) FROM mv_later); END $$;
CREATE FUNCTION mv_later_count_sql() RETURNS bigint LANGUAGE sql
  AS $$ SELECT count(*) FROM mv_later $$;
SELECT mv_later_count();
SELECT mv_later_count_sql();
EXPLAIN (COSTS OFF) SELECT * FROM mv_later;
PREPARE mv_later_q AS SELECT count(*) FROM mv_later;
REFRESH MATERIALIZED VIEW mv_later;
EXECUTE mv_later_q;
SELECT mv_later_count(), mv_later_count_sql();
REFRESH MATERIALIZED VIEW mv_later WITH NO DATA;
EXECUTE mv_later_q;
BEGIN;
DECLARE mv_later_c CURSOR FOR SELECT * FROM mv_later;
ROLLBACK;
DEALLOCATE mv_later_q;
DROP FUNCTION mv_later_count();
DROP FUNCTION mv_later_count_sql();
DROP MATERIALIZED VIEW mv_later;
-- DROP ... CASCADE
DROP TABLE mv_src CASCADE;
DROP MATERIALIZED VIEW mv_dups;
DROP TABLE mv_dup;
DROP ROLE regress_mv_other;
SELECT count(*) FROM pg_matviews;
