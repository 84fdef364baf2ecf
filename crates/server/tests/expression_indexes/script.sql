-- Expression indexes and partial indexes (CREATE INDEX ... (expr) / WHERE pred).
CREATE TABLE users (id int PRIMARY KEY, email varchar(50), a int, b int, active bool, name text);
INSERT INTO users SELECT g, 'User' || g || '@x', g, g * 2, g % 2 = 0, 'n' || g FROM generate_series(1, 20) g;
CREATE UNIQUE INDEX ON users (lower(email));
CREATE INDEX ON users ((a + b));
CREATE INDEX ON users ((a - b), (a * b) DESC, lower(name) text_pattern_ops);
CREATE UNIQUE INDEX users_a_active ON users (a) WHERE active;
CREATE INDEX ON users (a) WHERE active = true;
CREATE INDEX ON users (a, (b + 1)) WHERE a > 0 AND b IS NOT NULL;
CREATE INDEX ON users ((a + b * 2)) WHERE (a + 1) * 2 > 3 OR b < 5;
SELECT c.relname, i.indkey, i.indexprs IS NOT NULL AS has_exprs, i.indpred IS NOT NULL AS partial,
       pg_get_indexdef(i.indexrelid)
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
 WHERE i.indrelid = 'users'::regclass ORDER BY 1;
SELECT c.relname, pg_get_indexdef(i.indexrelid, 0, true), pg_get_indexdef(i.indexrelid, 1, false),
       pg_get_indexdef(i.indexrelid, 1, true)
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
 WHERE i.indrelid = 'users'::regclass ORDER BY 1;
SELECT a.attrelid::regclass, a.attnum, a.attname, a.atttypid::regtype
  FROM pg_attribute a JOIN pg_index i ON i.indexrelid = a.attrelid
 WHERE i.indrelid = 'users'::regclass ORDER BY 1, 2;
\d users
-- Unique checks on the expression's value.
INSERT INTO users VALUES (100, 'USER1@x', 100, 1, false, 'x');
UPDATE users SET email = 'USER3@X' WHERE id = 4;
-- Partial unique index: only rows the predicate accepts conflict.
INSERT INTO users VALUES (101, 'u101@x', 3, 0, false, 'x');
INSERT INTO users VALUES (102, 'u102@x', 4, 0, true, 'x');
INSERT INTO users VALUES (103, 'u103@x', 3, 0, true, 'x');
UPDATE users SET active = true WHERE id = 101;
SELECT id FROM users WHERE lower(email) = 'user5@x';
SELECT id FROM users WHERE a + b = 9;
SELECT id FROM users WHERE a = 4 AND active ORDER BY id;
UPDATE users SET b = 100 WHERE id = 3;
SELECT id FROM users WHERE a + b = 103;
SELECT id FROM users WHERE a + b = 9;
SELECT id, email FROM users ORDER BY lower(email) LIMIT 3;
-- ON CONFLICT infers expression and partial unique indexes.
INSERT INTO users VALUES (104, 'user6@X', 1, 1, false, 'x')
  ON CONFLICT (lower(email)) DO UPDATE SET name = 'conflicted';
INSERT INTO users VALUES (105, 'user6@x', 1, 1, false, 'x') ON CONFLICT (lower(email::text)) DO NOTHING;
INSERT INTO users VALUES (106, 'zz@x', 2, 1, true, 'x') ON CONFLICT (a) WHERE active DO NOTHING;
INSERT INTO users VALUES (107, 'zz2@x', 2, 1, true, 'x') ON CONFLICT (a) DO NOTHING;
INSERT INTO users VALUES (108, 'zz3@x', 2, 1, true, 'x') ON CONFLICT (lower(name)) DO NOTHING;
SELECT id, name FROM users WHERE lower(email) = 'user6@x';
-- COPY maintains them too.
COPY users (id, email, a, b, active) FROM stdin;
200	COPY@x	1	1	f
\.
SELECT id FROM users WHERE lower(email) = 'copy@x';
-- A unique expression index over existing duplicates.
CREATE UNIQUE INDEX users_name_idx ON users (lower(name));
-- Expressions and predicates must be immutable.
CREATE INDEX ON users ((random() > 0.5));
CREATE INDEX ON users (a) WHERE now() > '2000-01-01';
-- (a) in parentheses is the column.
CREATE INDEX paren_idx ON users ((a));
SELECT indkey, indexprs IS NULL AS plain FROM pg_index WHERE indexrelid = 'paren_idx'::regclass;
-- The planner scans them when it has no better plan.
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM users WHERE lower(email) = 'user5@x';
EXPLAIN (COSTS OFF) SELECT id FROM users WHERE a + b = 103;
CREATE TABLE w (a int, b int);
CREATE INDEX w_a_partial ON w (a) WHERE a > 10;
INSERT INTO w SELECT g, g FROM generate_series(1, 30) g;
EXPLAIN (COSTS OFF) SELECT * FROM w WHERE a = 15;
SELECT * FROM w WHERE a > 12 AND a < 15;
DROP INDEX users_lower_idx;
ALTER TABLE users DROP COLUMN b;
\d users
