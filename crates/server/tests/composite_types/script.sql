-- Composite types: CREATE TYPE ... AS (...), values in columns, input, field selection,
-- casts of row constructors, arrays, ALTER TYPE, DROP TYPE and its dependencies.
CREATE TYPE complex AS (r float8, i float8);
CREATE TYPE person AS (name text COLLATE "C", age int4, tags text[]);
CREATE TYPE empty_type AS ();
CREATE TYPE complex AS (x int);
CREATE TYPE dup AS (a int, a text);
CREATE TYPE bad AS (a nosuchtype);
SELECT typname, typtype, typcategory, typlen, typalign, typstorage, typinput, typoutput,
       typreceive, typsend, typelem <> 0 AS has_elem, typarray <> 0 AS has_array
  FROM pg_type WHERE typname IN ('complex', '_complex', 'person', 'empty_type') ORDER BY typname;
SELECT c.relname, c.relkind, c.relnatts, c.reltype = t.oid AS reltype_ok, t.typrelid = c.oid AS typrelid_ok
  FROM pg_class c JOIN pg_type t ON t.typname = c.relname
 WHERE c.relname IN ('complex', 'person', 'empty_type') ORDER BY 1;
SELECT attname, atttypid::regtype, attnum, attcollation <> 0 AS has_collation
  FROM pg_attribute WHERE attrelid = 'person'::regclass AND attnum > 0 ORDER BY attnum;
SELECT format_type('complex'::regtype, NULL), format_type('_complex'::regtype, NULL);
SELECT '(1.5,2)'::complex, '(,3)'::complex, '("Ann",30,"{a,b}")'::person;
SELECT ('(1.5,2)'::complex).r, ('(1.5,2)'::complex).i;
SELECT ROW(1, 2)::complex, (ROW(3, 4)::complex).i;
SELECT '(1,2,3)'::complex;
SELECT '(1,x)'::complex;
SELECT ROW(1, 2, 3)::complex;
SELECT ROW(1)::complex;
SELECT ('(1,2)'::complex).z;
SELECT ('(1,2)'::complex).*;
SELECT '()'::empty_type;
CREATE TABLE shapes (id int, c complex, p person);
INSERT INTO shapes VALUES (1, '(1,2)', ROW('Bob', 40, ARRAY['x'])),
                          (2, ROW(3.5, -1), NULL),
                          (3, NULL, '("Eve ""E""",,)');
INSERT INTO shapes VALUES (4, ROW(1, 2, 3), NULL);
SELECT * FROM shapes ORDER BY id;
SELECT id, (c).r, (c).i, (p).name, (p).age FROM shapes ORDER BY id;
SELECT id, c.r FROM shapes;
SELECT (p).* FROM shapes WHERE id = 1;
SELECT id FROM shapes WHERE (c).r > 2;
SELECT row_to_json(c), row_to_json(p) FROM shapes WHERE id = 1;
SELECT c::text, c::record FROM shapes WHERE id = 1;
SELECT ARRAY['(1,2)'::complex, ROW(3, 4)::complex], '{"(1,2)","(3,4)"}'::complex[];
SELECT ('{"(1,2)","(3,4)"}'::complex[])[2];
SELECT c IS NULL AS isnull, c = '(1,2)'::complex AS eq FROM shapes ORDER BY id;
UPDATE shapes SET c = ROW((c).r * 2, (c).i) WHERE id = 1;
SELECT c FROM shapes WHERE id = 1;
-- Types used by columns.
DROP TYPE complex;
DROP TYPE complex RESTRICT;
ALTER TYPE complex ALTER ATTRIBUTE r TYPE int;
CREATE TYPE nested AS (inner_c complex, n int);
SELECT ROW(ROW(1, 2)::complex, 5)::nested, (ROW(ROW(1, 2)::complex, 5)::nested).inner_c;
DROP TYPE complex;
DROP TYPE nested;
-- ALTER TYPE on an unused type.
CREATE TYPE pair AS (a int, b text);
ALTER TYPE pair ADD ATTRIBUTE c date;
ALTER TYPE pair ADD ATTRIBUTE a int;
ALTER TYPE pair DROP ATTRIBUTE b;
ALTER TYPE pair DROP ATTRIBUTE nosuch;
ALTER TYPE pair DROP ATTRIBUTE IF EXISTS nosuch;
ALTER TYPE pair ALTER ATTRIBUTE a TYPE bigint;
ALTER TYPE pair RENAME ATTRIBUTE c TO d;
ALTER TYPE pair RENAME ATTRIBUTE nosuch TO e;
SELECT '(1,2020-01-02)'::pair, ('(1,2020-01-02)'::pair).d;
SELECT attname, atttypid::regtype, attnum FROM pg_attribute
 WHERE attrelid = 'pair'::regclass AND attnum > 0 ORDER BY attnum;
ALTER TYPE pair RENAME TO pair2;
SELECT '(7,2020-01-02)'::pair2;
SELECT relname FROM pg_class WHERE relname LIKE 'pair%';
ALTER TYPE nosuch ADD ATTRIBUTE x int;
CREATE TYPE mood AS ENUM ('sad', 'ok');
ALTER TYPE mood ADD ATTRIBUTE x int;
CREATE TYPE with_enum AS (m mood, n int);
SELECT '(ok,1)'::with_enum, ('(sad,2)'::with_enum).m;
CREATE TABLE enum_holder (w with_enum);
INSERT INTO enum_holder VALUES ('(ok,3)');
SELECT w, (w).m FROM enum_holder;
-- Other CREATE TYPE forms.
CREATE TYPE base_type (INPUT = base_in, OUTPUT = base_out);
-- DROP TYPE.
DROP TYPE IF EXISTS nosuch, pair2;
DROP TYPE pair2;
DROP TABLE shapes;
DROP TYPE complex, person, empty_type;
SELECT count(*) FROM pg_type WHERE typname IN ('complex', '_complex', 'person', '_person');
SELECT count(*) FROM pg_class WHERE relname IN ('complex', 'person');
-- psql's descriptions, and a composite type in FROM.
CREATE TYPE described AS (r float8, t text COLLATE "C");
SELECT * FROM described;
CREATE TABLE described (a int);
\d described
\dT described
DROP TYPE described;
DROP TABLE enum_holder;
DROP TYPE mood;
DROP TYPE with_enum, mood;
