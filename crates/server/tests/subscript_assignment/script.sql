-- Assignment to subscripts and fields of target columns (PostgreSQL docs §8.15.4,
-- §8.16.4, §8.14.5): UPDATE, INSERT column lists, ON CONFLICT DO UPDATE and MERGE.
CREATE TYPE sa_comp AS (f1 int, f2 text, arr int[]);
CREATE TYPE sa_outer AS (c sa_comp, g int);
CREATE DOMAIN sa_posarr AS int[] CHECK (VALUE[1] > 0);
CREATE TABLE sa (id int PRIMARY KEY, a int[] DEFAULT '{7,8,9}', c sa_comp, o sa_outer,
                 j jsonb, m int[], d sa_posarr);

-- INSERT column lists start from NULL, not the default
INSERT INTO sa (id, a[2], a[4]) VALUES (1, 10, 40);
INSERT INTO sa (id, c.f1, c.f2) VALUES (2, 5, 'x');
INSERT INTO sa (id, o.c.f1, o.g) VALUES (3, 1, 2);
INSERT INTO sa (id, c.arr[2]) VALUES (4, 22);
INSERT INTO sa (id, j['a']) VALUES (5, '1');
INSERT INTO sa (id, a) VALUES (6, '{1,2,3}');
INSERT INTO sa (id, a[1:2]) SELECT 7, '{5,6}';
SELECT * FROM sa ORDER BY id;

-- array elements and slices
UPDATE sa SET a[1] = 100, a[5] = 500 WHERE id = 6;
UPDATE sa SET a[2:3] = '{20,30}' WHERE id = 6;
UPDATE sa SET a[8:9] = '{80,90}' WHERE id = 6;
UPDATE sa SET a[0] = 0 WHERE id = 6;
SELECT id, a FROM sa WHERE id = 6;
UPDATE sa SET a[id] = id * 2 WHERE id = 7;
UPDATE sa SET a[:1] = '{50}' WHERE id = 7;
UPDATE sa SET a[1:2] = NULL WHERE id = 7;
SELECT id, a FROM sa WHERE id = 7;
UPDATE sa SET a[0:1] = '{1}' WHERE id = 6;
UPDATE sa SET a[2:1] = '{}' WHERE id = 6;
UPDATE sa SET a[NULL] = 1 WHERE id = 6;
UPDATE sa SET a[1] = 'x' WHERE id = 6;
UPDATE sa SET a[1] = 'x'::text WHERE id = 6;
UPDATE sa SET a[1] = DEFAULT WHERE id = 6;
UPDATE sa SET id[1] = 1;
UPDATE sa SET a = NULL WHERE id = 7;
UPDATE sa SET a[:2] = '{5,6}' WHERE id = 7;
UPDATE sa SET a[-1:0] = '{5,6,7}' WHERE id = 7;
SELECT id, a FROM sa WHERE id = 7;

-- multidimensional arrays
UPDATE sa SET m = '{{1,2},{3,4}}' WHERE id = 1;
UPDATE sa SET m[1][2] = 9 WHERE id = 1;
UPDATE sa SET m[1:2][2:2] = '{7,8,9}' WHERE id = 1;
SELECT id, m FROM sa WHERE id = 1;
UPDATE sa SET m[3][1] = 9 WHERE id = 1;
UPDATE sa SET m[1] = 9 WHERE id = 1;
UPDATE sa SET m[1:3][1] = '{1,2,3}' WHERE id = 1;
UPDATE sa SET m[1:2][1] = '{1}' WHERE id = 1;
UPDATE sa SET m[1:2] = '{{5,6},{7,8}}' WHERE id = 2;
SELECT id, m FROM sa WHERE id IN (1, 2) ORDER BY id;

-- composite fields, nested
UPDATE sa SET c.f1 = 9, c.f2 = 'y' WHERE id = 2;
UPDATE sa SET o.c.arr[1] = 3, o.g = (o).g + 1 WHERE id = 3;
UPDATE sa SET o.c.arr[1] = 3, o.g = o.g + 1 WHERE id = 3;
UPDATE sa SET c.arr[1:1] = '{11}' WHERE id = 4;
SELECT id, c, o FROM sa WHERE id BETWEEN 2 AND 4 ORDER BY id;
UPDATE sa SET c.f1 = 'x'::text WHERE id = 2;
UPDATE sa SET id.f = 1;
UPDATE sa SET c.zz = 1;
UPDATE sa SET c.f1 = DEFAULT;
UPDATE sa SET c.* = 1;

-- several assignments to one column
UPDATE sa SET a = '{1}', a[1] = 2 WHERE id = 6;
UPDATE sa SET a[1] = 2, a = '{1}' WHERE id = 6;
UPDATE sa SET c.f1 = 1, c = NULL WHERE id = 2;
INSERT INTO sa (id, a[1], a) VALUES (9, 1, '{2}');
INSERT INTO sa (id, a, a[1]) VALUES (9, '{2}', 1);
INSERT INTO sa (id, a[1], a[1]) VALUES (9, 1, 2);
SELECT id, a FROM sa WHERE id = 9;

-- jsonb subscripts
UPDATE sa SET j['b'] = '{"x": 1}' WHERE id = 5;
UPDATE sa SET j['b']['y'] = '[1, 2]' WHERE id = 5;
UPDATE sa SET j['b']['y'][0] = '"first"' WHERE id = 5;
UPDATE sa SET j['x'][3] = '"q"' WHERE id = 5;
UPDATE sa SET j['n'] = NULL WHERE id = 5;
SELECT id, j FROM sa WHERE id = 5;
UPDATE sa SET j['a']['b'] = '2' WHERE id = 5;
UPDATE sa SET j[1] = '3' WHERE id = 1;
UPDATE sa SET j[-1] = '4' WHERE id = 1;
SELECT id, j FROM sa WHERE id = 1;
UPDATE sa SET j[-5] = '5' WHERE id = 1;
UPDATE sa SET j['a'] = '5' WHERE id = 1;
UPDATE sa SET j[1:2] = '5' WHERE id = 1;
UPDATE sa SET j[NULL::text] = '1' WHERE id = 1;
UPDATE sa SET j = '3' WHERE id = 2;
UPDATE sa SET j['q'] = '3' WHERE id = 2;

-- domains over arrays: the constraint sees the whole new value
UPDATE sa SET d = '{1,2}' WHERE id = 1;
UPDATE sa SET d[2] = -5 WHERE id = 1;
UPDATE sa SET d[1] = -5 WHERE id = 1;
SELECT id, d FROM sa WHERE id = 1;

-- ON CONFLICT DO UPDATE
INSERT INTO sa (id, a) VALUES (1, '{1}')
  ON CONFLICT (id) DO UPDATE SET a[2] = 99, c.f1 = 3, a[3] = EXCLUDED.a[1];
SELECT id, a, c FROM sa WHERE id = 1;
INSERT INTO sa (id) VALUES (1) ON CONFLICT (id) DO UPDATE SET a[1] = 1, a = '{2}';

-- MERGE
MERGE INTO sa USING (VALUES (1, 5), (20, 6)) AS s(k, v) ON sa.id = s.k
  WHEN MATCHED THEN UPDATE SET a[1] = s.v, c.f2 = 'merged'
  WHEN NOT MATCHED THEN INSERT (id, a[2], c.f1) VALUES (s.k, s.v, s.v);
SELECT id, a, c FROM sa WHERE id IN (1, 20) ORDER BY id;

-- through an updatable view
CREATE VIEW sa_v AS SELECT id, a, c FROM sa;
UPDATE sa_v SET a[2] = 42, c.f2 = 'view' WHERE id = 2;
INSERT INTO sa_v (id, a[1], c.f1) VALUES (30, 1, 2);
SELECT id, a, c FROM sa WHERE id IN (2, 30) ORDER BY id;

DROP VIEW sa_v;
DROP TABLE sa;
DROP DOMAIN sa_posarr;
DROP TYPE sa_outer;
DROP TYPE sa_comp;
