-- Simple views: INSERT, UPDATE, DELETE rewritten onto the base table.
CREATE TABLE base_tbl (a int PRIMARY KEY, b text DEFAULT 'Unspecified', c int DEFAULT 7);
INSERT INTO base_tbl SELECT i, 'Row ' || i FROM generate_series(-2, 2) g(i);
CREATE VIEW rw_view1 AS SELECT a, b FROM base_tbl WHERE a > 0;
INSERT INTO rw_view1 VALUES (3, 'Row 3');
INSERT INTO rw_view1 (a) VALUES (4);
INSERT INTO rw_view1 VALUES (5, DEFAULT) RETURNING *;
UPDATE rw_view1 SET a = 5 WHERE a = 4;
UPDATE rw_view1 SET b = 'Row ' || a WHERE b = 'Unspecified' RETURNING a, upper(b);
DELETE FROM rw_view1 WHERE b = 'Row 5' RETURNING *;
UPDATE rw_view1 SET b = 'hidden' WHERE a = -1;
DELETE FROM rw_view1 WHERE a < 0;
SELECT * FROM base_tbl ORDER BY a;
-- Columns that are not base columns are not updatable.
CREATE VIEW rw_view2 AS SELECT a, b AS bb, c + 1 AS c1, 'const' AS k FROM base_tbl;
INSERT INTO rw_view2 (a, bb) VALUES (10, 'Row 10');
INSERT INTO rw_view2 (a, c1) VALUES (11, 1);
INSERT INTO rw_view2 VALUES (12, 'x', 1, 'k');
UPDATE rw_view2 SET k = 'other' WHERE a = 10;
UPDATE rw_view2 SET bb = bb || '!' WHERE c1 = 8 RETURNING *;
DELETE FROM rw_view2 WHERE a = 10 RETURNING k, c1;
-- View defaults, and views over views.
ALTER VIEW rw_view1 ALTER COLUMN b SET DEFAULT 'View default';
INSERT INTO rw_view1 (a) VALUES (20) RETURNING *;
CREATE VIEW rw_view3 AS SELECT b AS bcol, a AS acol FROM rw_view1 WHERE a < 100;
INSERT INTO rw_view3 (acol) VALUES (21) RETURNING *;
INSERT INTO rw_view3 VALUES ('Row 150', 150);
UPDATE rw_view3 SET bcol = 'nested' WHERE acol >= 20;
DELETE FROM rw_view3 WHERE acol = 150;
SELECT * FROM base_tbl ORDER BY a;
-- Views that are not automatically updatable.
CREATE VIEW ro_view1 AS SELECT DISTINCT a, b FROM base_tbl;
CREATE VIEW ro_view2 AS SELECT count(*) FROM base_tbl;
CREATE VIEW ro_view3 AS SELECT 1 AS one, 2 AS two FROM base_tbl;
INSERT INTO ro_view1 VALUES (1, 'x');
UPDATE ro_view2 SET count = 0;
DELETE FROM ro_view3;
INSERT INTO ro_view3 VALUES (1, 2);
-- WITH CHECK OPTION.
CREATE VIEW wco_view1 AS SELECT * FROM base_tbl WHERE a < 50 WITH CHECK OPTION;
SELECT relname, reloptions FROM pg_class WHERE relname = 'wco_view1';
INSERT INTO wco_view1 VALUES (30, 'ok');
INSERT INTO wco_view1 VALUES (60, 'too big');
UPDATE wco_view1 SET a = a + 100 WHERE a = 30;
CREATE VIEW wco_view2 AS SELECT * FROM wco_view1 WHERE a > 25 WITH LOCAL CHECK OPTION;
INSERT INTO wco_view2 VALUES (26, 'ok');
INSERT INTO wco_view2 VALUES (10, 'too small');
INSERT INTO wco_view2 VALUES (70, 'too big');
CREATE VIEW wco_view3 AS SELECT * FROM rw_view1 WHERE a < 40 WITH LOCAL CHECK OPTION;
INSERT INTO wco_view3 VALUES (-5, 'invisible below');
INSERT INTO wco_view3 VALUES (45, 'fails');
CREATE VIEW wco_view4 WITH (check_option = cascaded) AS SELECT * FROM rw_view1 WHERE a < 40;
INSERT INTO wco_view4 VALUES (-6, 'fails below');
CREATE VIEW bad_view WITH (check_option = foo) AS SELECT * FROM base_tbl;
CREATE VIEW bad_view AS SELECT DISTINCT a FROM base_tbl WITH CHECK OPTION;
SELECT table_name, check_option FROM information_schema.views
 WHERE table_name LIKE 'wco%' ORDER BY table_name;
-- Options.
CREATE VIEW sb_view WITH (security_barrier) AS SELECT a FROM base_tbl;
CREATE VIEW si_view WITH (security_invoker = true, security_barrier = false) AS SELECT a FROM base_tbl;
SELECT relname, reloptions FROM pg_class WHERE relname IN ('sb_view', 'si_view') ORDER BY relname;
ALTER VIEW sb_view SET (check_option = local);
SELECT relname, reloptions FROM pg_class WHERE relname = 'sb_view';
INSERT INTO si_view VALUES (90);
SELECT * FROM base_tbl ORDER BY a;
CREATE TABLE ct (a int PRIMARY KEY, b text, c int DEFAULT 5);
CREATE VIEW cv AS SELECT b AS bb, a AS aa, c * 2 AS c2 FROM ct WHERE a < 100 WITH CHECK OPTION;
CREATE VIEW cv2 AS SELECT aa, bb FROM cv;
INSERT INTO cv (aa, bb) VALUES (1, 'one') ON CONFLICT DO NOTHING;
INSERT INTO cv (aa, bb) VALUES (1, 'uno') ON CONFLICT (aa) DO NOTHING;
INSERT INTO cv (aa, bb) VALUES (1, 'uno') ON CONFLICT (aa) DO UPDATE SET bb = excluded.bb || cv.bb RETURNING *;
INSERT INTO cv (aa, bb) VALUES (1, 'x') ON CONFLICT (aa) DO UPDATE SET c2 = 3;
INSERT INTO cv (aa, bb) VALUES (1, 'x') ON CONFLICT (c2) DO NOTHING;
INSERT INTO cv (aa, bb) VALUES (1, 'y') ON CONFLICT (aa) DO UPDATE SET aa = 500;
INSERT INTO cv2 (aa, bb) VALUES (1, 'z') ON CONFLICT (aa) DO UPDATE SET bb = excluded.bb WHERE cv2.aa = 1 RETURNING *;
INSERT INTO cv2 VALUES (2, 'two'), (3, 'three') ON CONFLICT (aa) DO UPDATE SET bb = DEFAULT RETURNING *;
INSERT INTO cv2 SELECT aa + 10, bb FROM cv2 RETURNING *;
SELECT * FROM ct ORDER BY a;
-- What the catalogs report.
SELECT table_name, is_updatable, is_insertable_into FROM information_schema.views
 WHERE table_schema = 'public' ORDER BY table_name;
SELECT table_name, column_name, is_updatable FROM information_schema.columns
 WHERE table_name IN ('rw_view2', 'ro_view3', 'cv', 'cv2') ORDER BY table_name, ordinal_position;
SELECT relname, pg_relation_is_updatable(oid, false) FROM pg_class
 WHERE relname IN ('base_tbl', 'rw_view1', 'ro_view1', 'ro_view3', 'cv2') ORDER BY relname;
SELECT table_name, is_insertable_into FROM information_schema.tables
 WHERE table_name IN ('base_tbl', 'rw_view3', 'ro_view2') ORDER BY table_name;
