-- UPDATE ... FROM, DELETE ... USING and WITH on INSERT / UPDATE / DELETE.
CREATE TABLE t (id int PRIMARY KEY, v text, n int);
CREATE TABLE s (id int, v text, k int);
CREATE TABLE u (k int, w text);
INSERT INTO t VALUES (1, 'a', 10), (2, 'b', 20), (3, 'c', 30), (4, 'd', 40);
INSERT INTO s VALUES (1, 'x', 1), (2, 'y', 2), (2, 'y2', 3), (5, 'z', 1);
INSERT INTO u VALUES (1, 'one'), (2, 'two'), (3, 'three');

-- the target joined with FROM items; SET, WHERE and RETURNING see their columns
UPDATE t SET v = s.v FROM s WHERE t.id = s.id AND s.id = 1 RETURNING t.*, s.*;
UPDATE t SET v = s.v || '-' || u.w, n = t.n + u.k FROM s JOIN u ON s.k = u.k
  WHERE t.id = s.id AND s.v = 'y' RETURNING *;
SELECT * FROM t ORDER BY id;
-- a target row joined twice is updated once
UPDATE t SET n = n + 1 FROM s WHERE t.id = s.id;
SELECT * FROM t ORDER BY id;
-- aliases, sub-selects and LATERAL
UPDATE t AS tt SET n = sub.total FROM (SELECT id, sum(k) AS total FROM s GROUP BY id) sub
  WHERE tt.id = sub.id RETURNING tt.id, tt.n, sub.total;
UPDATE t SET v = l.w FROM u, LATERAL (SELECT u.w || '!' AS w) l WHERE t.id = u.k + 2
  RETURNING t.id, t.v;
UPDATE t SET n = (SELECT count(*) FROM s WHERE s.id = u.k) FROM u WHERE t.id = u.k
  RETURNING t.id, t.n;
-- a FROM item without matches changes nothing
UPDATE t SET n = 0 FROM s WHERE t.id = s.id AND s.v = 'nothing';
-- errors
UPDATE t SET n = 1 FROM t WHERE t.id = 1;
UPDATE t SET n = 1 FROM s WHERE t.id = s.nope;
UPDATE t SET n = 1 FROM nowhere WHERE true;
UPDATE t SET v = l.x FROM LATERAL (SELECT t.v AS x) l WHERE t.id = 2;
UPDATE t SET v = l.x FROM (SELECT t.v AS x) l WHERE t.id = 2;
UPDATE t SET n = s.id FROM s WHERE s.id = t.id AND s.v = 'x' RETURNING s.nope;
SELECT * FROM t ORDER BY id;

-- DELETE ... USING
DELETE FROM t USING s WHERE t.id = s.id AND s.v = 'y2' RETURNING t.id, s.v;
DELETE FROM t AS x USING u, s WHERE x.id = u.k AND u.k = s.id RETURNING *;
DELETE FROM t USING t WHERE true;
SELECT * FROM t ORDER BY id;

-- triggers see the target's rows only
CREATE TABLE audit (op text, old_row text, new_row text);
CREATE FUNCTION audit_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audit VALUES (TG_OP, OLD::text, NEW::text);
  RETURN COALESCE(NEW, OLD);
END $$;
CREATE TRIGGER t_audit BEFORE UPDATE OR DELETE ON t FOR EACH ROW EXECUTE FUNCTION audit_row();
INSERT INTO t VALUES (1, 'a', 1), (2, 'b', 2);
UPDATE t SET v = u.w FROM u WHERE t.id = u.k;
DELETE FROM t USING u WHERE t.id = u.k AND u.w = 'one';
SELECT * FROM audit ORDER BY op DESC, old_row;
SELECT * FROM t ORDER BY id;

-- inheritance and partitions
CREATE TABLE parent (id int, v text);
CREATE TABLE child (extra int) INHERITS (parent);
INSERT INTO parent VALUES (1, 'p1'), (2, 'p2');
INSERT INTO child VALUES (1, 'c1', 0), (3, 'c3', 0);
UPDATE parent p SET v = p.v || '+' || u.w FROM u WHERE p.id = u.k;
DELETE FROM parent USING u WHERE parent.id = u.k AND u.k = 2;
SELECT tableoid::regclass, * FROM parent ORDER BY id, v;
CREATE TABLE pt (id int, v text) PARTITION BY RANGE (id);
CREATE TABLE pt1 PARTITION OF pt FOR VALUES FROM (0) TO (2);
CREATE TABLE pt2 PARTITION OF pt FOR VALUES FROM (2) TO (10);
INSERT INTO pt VALUES (1, 'a'), (2, 'b'), (3, 'c');
UPDATE pt SET id = pt.id + u.k, v = u.w FROM u WHERE pt.id = u.k RETURNING *;
SELECT tableoid::regclass, * FROM pt ORDER BY id;

-- WITH on INSERT, UPDATE and DELETE
WITH src AS (SELECT k, w FROM u WHERE k > 1) INSERT INTO t SELECT k + 10, w, k FROM src RETURNING *;
WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 3)
  INSERT INTO t SELECT i + 20, 'r', i FROM r;
WITH big AS (SELECT id FROM t WHERE id > 20) UPDATE t SET n = -n WHERE id IN (SELECT id FROM big)
  RETURNING id, n;
WITH sv AS (SELECT 12 AS id) UPDATE t SET v = 'from cte' FROM sv WHERE t.id = sv.id RETURNING t.id, t.v;
WITH gone AS (SELECT id FROM t WHERE v = 'r') DELETE FROM t USING gone WHERE t.id = gone.id
  RETURNING t.id;
SELECT * FROM t ORDER BY id;
WITH x AS (SELECT 1) DELETE FROM t WHERE id IN (SELECT * FROM nope);
