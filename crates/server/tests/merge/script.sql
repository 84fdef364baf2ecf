-- MERGE: actions in order, first matching action wins, errors, triggers, constraints,
-- defaults, generated and identity columns, parameters, CTE and subquery sources.
CREATE TABLE target (tid integer PRIMARY KEY, balance integer NOT NULL DEFAULT 0,
  note text CHECK (note <> 'bad'));
CREATE TABLE source (sid integer, delta integer, note text);
INSERT INTO target VALUES (1, 10, 'one'), (2, 20, 'two'), (3, 30, 'three');
INSERT INTO source VALUES (1, 5, 'x'), (3, 7, 'z'), (4, 40, 'new'), (5, 50, NULL);

BEGIN;
MERGE INTO target t
USING source s ON t.tid = s.sid
WHEN MATCHED AND s.delta > 6 THEN DELETE
WHEN MATCHED THEN UPDATE SET balance = t.balance + s.delta, note = s.note
WHEN NOT MATCHED AND s.note IS NOT NULL THEN INSERT VALUES (s.sid, s.delta, s.note)
WHEN NOT MATCHED THEN INSERT (tid) VALUES (s.sid);
SELECT * FROM target ORDER BY tid;
ROLLBACK;

-- only MATCHED actions: an inner join, unmatched source rows do nothing
MERGE INTO target t USING source s ON t.tid = s.sid
WHEN MATCHED THEN UPDATE SET balance = 0;
SELECT * FROM target ORDER BY tid;

-- DO NOTHING and DEFAULT VALUES
BEGIN;
MERGE INTO target t USING source s ON t.tid = s.sid
WHEN MATCHED THEN DO NOTHING
WHEN NOT MATCHED AND s.sid = 4 THEN INSERT DEFAULT VALUES;
ROLLBACK;
BEGIN;
MERGE INTO target t USING (SELECT 9 AS sid) s ON t.tid = s.sid
WHEN MATCHED THEN DO NOTHING
WHEN NOT MATCHED THEN INSERT (tid, balance) VALUES (s.sid, DEFAULT);
SELECT * FROM target ORDER BY tid;
ROLLBACK;

-- sources: VALUES, a subquery, a CTE, a join
MERGE INTO target t USING (VALUES (2, 100), (7, 70)) AS v(id, amount) ON t.tid = v.id
WHEN MATCHED THEN UPDATE SET balance = v.amount
WHEN NOT MATCHED THEN INSERT VALUES (v.id, v.amount);
WITH c AS (SELECT sid, delta FROM source WHERE sid > 3)
MERGE INTO target USING c ON target.tid = c.sid
WHEN MATCHED THEN UPDATE SET balance = target.balance + c.delta
WHEN NOT MATCHED THEN INSERT VALUES (c.sid, c.delta);
MERGE INTO target t USING source s JOIN (VALUES (1), (2)) AS k(id) ON s.sid = k.id
ON t.tid = s.sid
WHEN MATCHED THEN UPDATE SET note = 'joined';
SELECT * FROM target ORDER BY tid;

-- a target row matched twice
MERGE INTO target t USING (VALUES (1), (1)) AS v(id) ON t.tid = v.id
WHEN MATCHED THEN UPDATE SET balance = balance + 1;
MERGE INTO target t USING (VALUES (1), (1)) AS v(id) ON t.tid = v.id
WHEN MATCHED THEN DELETE;
MERGE INTO target t USING (VALUES (1), (1)) AS v(id) ON t.tid = v.id
WHEN MATCHED THEN DO NOTHING;

-- analysis errors
MERGE INTO target t USING source s ON t.tid = s.sid
WHEN NOT MATCHED THEN INSERT VALUES (t.tid, s.delta);
MERGE INTO target t USING source s ON t.tid = s.sid
WHEN NOT MATCHED AND t.balance = 1 THEN INSERT VALUES (s.sid, s.delta);
MERGE INTO target t USING source s ON target.tid = s.sid
WHEN MATCHED THEN DELETE;
MERGE INTO target USING target ON target.tid = target.tid
WHEN MATCHED THEN DELETE;
MERGE INTO target t USING source s ON t.tid = s.sid
WHEN MATCHED THEN DELETE
WHEN MATCHED AND s.delta > 0 THEN DELETE;
MERGE INTO target t USING source s ON t.tid = s.sid
WHEN MATCHED AND t.xmin = t.xmax THEN DELETE;
MERGE INTO target t USING source s ON t.tid = s.sid
WHEN MATCHED THEN UPDATE SET nosuch = 1;
MERGE INTO target t USING source s ON t.tid = s.sid
WHEN NOT MATCHED THEN INSERT (tid, tid) VALUES (1, 2);
MERGE INTO target t USING source s ON t.tid = s.sid
WHEN NOT MATCHED THEN INSERT (tid) VALUES (1, 2);
MERGE INTO target t USING source s ON t.tid = s.sid
WHEN MATCHED THEN UPDATE SET balance = 1, balance = 2;
MERGE INTO target t USING source s ON t.tid = s.sid
WHEN MATCHED THEN UPDATE SET balance = 1 RETURNING *;
MERGE INTO target t USING source s ON t.tid = s.sid
WHEN NOT MATCHED THEN INSERT VALUES (s.sid, 1), (2, 2);
MERGE INTO nosuch t USING source s ON t.tid = s.sid
WHEN MATCHED THEN DELETE;
CREATE VIEW target_view AS SELECT * FROM target;
MERGE INTO target_view t USING source s ON t.tid = s.sid
WHEN MATCHED THEN DELETE;
DROP VIEW target_view;
COPY (MERGE INTO target t USING source s ON t.tid = s.sid WHEN MATCHED THEN DELETE) TO stdout;

-- constraints
MERGE INTO target t USING source s ON t.tid = s.sid
WHEN MATCHED THEN UPDATE SET note = 'bad';
MERGE INTO target t USING (VALUES (50)) AS v(id) ON t.tid = v.id
WHEN NOT MATCHED THEN INSERT VALUES (v.id, NULL);
MERGE INTO target t USING (VALUES (1)) AS v(id) ON t.tid = v.id + 1
WHEN MATCHED THEN UPDATE SET tid = 1;

-- generated and identity columns
CREATE TABLE gen (id integer GENERATED ALWAYS AS IDENTITY, k integer UNIQUE,
  v integer, doubled integer GENERATED ALWAYS AS (v * 2) STORED);
MERGE INTO gen g USING (VALUES (1, 10), (2, 20)) AS s(k, v) ON g.k = s.k
WHEN NOT MATCHED THEN INSERT (k, v) VALUES (s.k, s.v);
MERGE INTO gen g USING (VALUES (1, 11), (3, 30)) AS s(k, v) ON g.k = s.k
WHEN MATCHED THEN UPDATE SET v = s.v
WHEN NOT MATCHED THEN INSERT (k, v) VALUES (s.k, s.v);
SELECT * FROM gen ORDER BY k;
MERGE INTO gen g USING (VALUES (9)) AS s(k) ON g.k = s.k
WHEN NOT MATCHED THEN INSERT (id, k) VALUES (100, s.k);
MERGE INTO gen g USING (VALUES (9)) AS s(k) ON g.k = s.k
WHEN NOT MATCHED THEN INSERT (id, k) OVERRIDING SYSTEM VALUE VALUES (100, s.k);
MERGE INTO gen g USING (VALUES (1)) AS s(k) ON g.k = s.k
WHEN MATCHED THEN UPDATE SET doubled = 0;
SELECT * FROM gen ORDER BY k;

-- triggers: statement triggers for each action kind, row triggers as rows are merged
CREATE TABLE trig (a integer PRIMARY KEY, b text);
INSERT INTO trig VALUES (1, 'one'), (2, 'two'), (3, 'three');
CREATE FUNCTION trig_note() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_LEVEL = 'ROW' THEN
    RAISE NOTICE '% % % % old=% new=%', TG_NAME, TG_WHEN, TG_LEVEL, TG_OP, OLD, NEW;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  RAISE NOTICE '% % % %', TG_NAME, TG_WHEN, TG_LEVEL, TG_OP;
  RETURN NULL;
END $$;
CREATE TRIGGER bs_i BEFORE INSERT ON trig FOR EACH STATEMENT EXECUTE FUNCTION trig_note();
CREATE TRIGGER bs_u BEFORE UPDATE ON trig FOR EACH STATEMENT EXECUTE FUNCTION trig_note();
CREATE TRIGGER bs_d BEFORE DELETE ON trig FOR EACH STATEMENT EXECUTE FUNCTION trig_note();
CREATE TRIGGER as_i AFTER INSERT ON trig FOR EACH STATEMENT EXECUTE FUNCTION trig_note();
CREATE TRIGGER as_u AFTER UPDATE ON trig FOR EACH STATEMENT EXECUTE FUNCTION trig_note();
CREATE TRIGGER as_d AFTER DELETE ON trig FOR EACH STATEMENT EXECUTE FUNCTION trig_note();
CREATE TRIGGER br_i BEFORE INSERT ON trig FOR EACH ROW EXECUTE FUNCTION trig_note();
CREATE TRIGGER br_u BEFORE UPDATE ON trig FOR EACH ROW EXECUTE FUNCTION trig_note();
CREATE TRIGGER br_d BEFORE DELETE ON trig FOR EACH ROW EXECUTE FUNCTION trig_note();
CREATE TRIGGER ar_i AFTER INSERT ON trig FOR EACH ROW EXECUTE FUNCTION trig_note();
CREATE TRIGGER ar_u AFTER UPDATE ON trig FOR EACH ROW EXECUTE FUNCTION trig_note();
CREATE TRIGGER ar_d AFTER DELETE ON trig FOR EACH ROW EXECUTE FUNCTION trig_note();
MERGE INTO trig t USING (VALUES (1, 'x')) AS s(a, b) ON t.a = s.a
WHEN MATCHED AND t.a = 1 THEN UPDATE SET b = s.b
WHEN MATCHED THEN DELETE
WHEN NOT MATCHED THEN INSERT VALUES (s.a, s.b);
MERGE INTO trig t USING (VALUES (3, 'x')) AS s(a, b) ON t.a = s.a
WHEN MATCHED AND t.a = 1 THEN UPDATE SET b = s.b
WHEN MATCHED THEN DELETE
WHEN NOT MATCHED THEN INSERT VALUES (s.a, s.b);
MERGE INTO trig t USING (VALUES (4, 'four')) AS s(a, b) ON t.a = s.a
WHEN MATCHED AND t.a = 1 THEN UPDATE SET b = s.b
WHEN MATCHED THEN DELETE
WHEN NOT MATCHED THEN INSERT VALUES (s.a, s.b);
MERGE INTO trig t USING (VALUES (9, 'nine')) AS s(a, b) ON t.a = s.a
WHEN NOT MATCHED THEN INSERT VALUES (s.a, s.b);
SELECT * FROM trig ORDER BY a;

-- prepared MERGE with parameters
PREPARE m(integer, integer) AS
MERGE INTO target t USING (SELECT $1 AS id, $2 AS amount) s ON t.tid = s.id
WHEN MATCHED THEN UPDATE SET balance = s.amount
WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.amount);
EXECUTE m(1, 111);
EXECUTE m(60, 600);
EXECUTE m(60, 601);
SELECT * FROM target ORDER BY tid;
DEALLOCATE m;

-- privileges
CREATE ROLE merge_user;
GRANT SELECT ON source TO merge_user;
GRANT SELECT, INSERT ON target TO merge_user;
SET ROLE merge_user;
MERGE INTO target t USING source s ON t.tid = s.sid
WHEN NOT MATCHED THEN INSERT VALUES (s.sid + 100, 0);
MERGE INTO target t USING source s ON t.tid = s.sid
WHEN MATCHED THEN UPDATE SET balance = 0;
MERGE INTO target t USING source s ON t.tid = s.sid
WHEN MATCHED THEN DELETE;
RESET ROLE;
REVOKE ALL ON target, source FROM merge_user;
DROP ROLE merge_user;

-- storage parameters
CREATE TABLE opts (a integer, b text) WITH (autovacuum_enabled = off,
  toast.autovacuum_enabled = false, fillfactor = 70, autovacuum_vacuum_cost_delay = 2.5);
SELECT reloptions FROM pg_class WHERE relname = 'opts';
SELECT t.reloptions FROM pg_class c JOIN pg_class t ON t.oid = c.reltoastrelid
WHERE c.relname = 'opts';
CREATE TABLE opts2 (a integer) WITH (autovacuum_enabled);
SELECT reloptions FROM pg_class WHERE relname = 'opts2';
CREATE TABLE bad (a integer) WITH (toast.fillfactor = 50);
CREATE TABLE bad (a integer) WITH (foo.fillfactor = 50);
CREATE TABLE bad (a integer) WITH (autovacuum_enabled = maybe);
CREATE TABLE bad (a integer) WITH (autovacuum_vacuum_cost_limit = 0);
CREATE TABLE bad (a integer) WITH (autovacuum_vacuum_cost_delay = 200);
CREATE TABLE bad (a integer) WITH (vacuum_index_cleanup = x);
CREATE TABLE bad (a integer) WITH (parallel_workers = x);
CREATE TABLE bad (a integer) WITH (fillfactor = 50, fillfactor = 60);
CREATE TABLE bad (a integer) WITH (toast_tuple_target = 1);
CREATE TABLE bad (a integer) WITH (oids = true);
CREATE TABLE opts3 (a integer) WITH (oids = false, vacuum_truncate = off,
  log_autovacuum_min_duration = -1);
SELECT reloptions FROM pg_class WHERE relname = 'opts3';
ALTER TABLE opts3 SET (autovacuum_freeze_max_age = 10);
ALTER TABLE opts3 SET (autovacuum_freeze_max_age = 200000);
SELECT reloptions FROM pg_class WHERE relname = 'opts3';
CREATE TABLE opts4 (a integer PRIMARY KEY, b text UNIQUE) WITH (fillfactor = 90,
  toast.vacuum_truncate = false);
SELECT c.reloptions, t.reloptions FROM pg_class c JOIN pg_class t ON t.oid = c.reltoastrelid
WHERE c.relname = 'opts4';
SELECT relname, reloptions FROM pg_class WHERE relname LIKE 'opts4%' ORDER BY relname;
