-- Every table, view, materialized view and foreign table has a row type named after it.
CREATE TABLE item (id int, label text);
INSERT INTO item VALUES (1, 'one'), (2, 'two');
SELECT t.typname, t.typtype, t.typcategory, t.typrelid::regclass, t.typarray::regtype,
       c.reltype = t.oid AS is_reltype
  FROM pg_type t JOIN pg_class c ON c.oid = t.typrelid
 WHERE c.relname = 'item';
SELECT typname, typelem::regtype, typcategory FROM pg_type WHERE typname = '_item';

-- The relation's name is a type: literals, casts, columns and functions.
SELECT '(3,three)'::item;
SELECT ('(3,three)'::item).label;
SELECT ROW(4, 'four')::item;
CREATE TABLE holder (k int, it item);
INSERT INTO holder VALUES (1, '(5,five)');
INSERT INTO holder SELECT id, item FROM item;
SELECT k, it, (it).id, (it).label FROM holder ORDER BY k, (it).id;
CREATE FUNCTION all_items() RETURNS SETOF item LANGUAGE sql AS 'SELECT * FROM item ORDER BY id';
SELECT * FROM all_items();

-- Views and materialized views.
CREATE VIEW item_view AS SELECT id, upper(label) AS big FROM item;
SELECT typname, typtype FROM pg_type WHERE typname IN ('item_view', '_item_view') ORDER BY 1;
SELECT '(7,X)'::item_view;
CREATE OR REPLACE VIEW item_view AS SELECT id, upper(label) AS big, 1 AS extra FROM item;
SELECT '(7,X,1)'::item_view;
CREATE MATERIALIZED VIEW item_mat AS SELECT id FROM item;
SELECT typname FROM pg_type WHERE typname IN ('item_mat', '_item_mat') ORDER BY 1;

-- Sequences and indexes have none.
CREATE SEQUENCE item_seq;
CREATE INDEX item_idx ON item (id);
SELECT count(*) FROM pg_type WHERE typname IN ('item_seq', 'item_idx');

-- Names: a type's name is taken by a table, and the other way round.
CREATE TYPE mood AS ENUM ('ok');
CREATE TABLE mood (a int);
CREATE TYPE item AS (a int);
CREATE TABLE _arr (a int);
CREATE TABLE arr (a int);
SELECT typname, typelem::regtype FROM pg_type WHERE typname LIKE '%arr' ORDER BY 1;

-- The row type follows its relation.
ALTER TABLE arr RENAME TO arr2;
SELECT typname FROM pg_type WHERE typname LIKE '%arr2' ORDER BY 1;
CREATE SCHEMA other;
ALTER TABLE arr2 SET SCHEMA other;
SELECT typname, typnamespace::regnamespace FROM pg_type WHERE typname LIKE '%arr2' ORDER BY 1;
CREATE ROLE rowtype_owner;
ALTER TABLE other.arr2 OWNER TO rowtype_owner;
SELECT typname, typowner::regrole FROM pg_type WHERE typname LIKE '%arr2' ORDER BY 1;
ALTER TABLE other.arr2 OWNER TO CURRENT_USER;
DROP ROLE rowtype_owner;

-- ALTER TYPE and DROP TYPE refuse a relation's row type.
ALTER TYPE item RENAME TO thing;
ALTER TYPE item ADD ATTRIBUTE z int;
DROP TYPE item;
DROP TYPE _item;
DROP TYPE item_view;

-- A column using the row type keeps the relation.
DROP FUNCTION all_items();
DROP VIEW item_view;
DROP MATERIALIZED VIEW item_mat;
DROP TABLE item;
DROP TABLE holder;
DROP TABLE item CASCADE;
SELECT count(*) FROM pg_type WHERE typname IN ('item', '_item', 'holder', '_holder');

-- A rolled-back CREATE TABLE leaves no type.
BEGIN;
CREATE TABLE gone (a int);
ROLLBACK;
SELECT count(*) FROM pg_type WHERE typname IN ('gone', '_gone');

-- DROP SCHEMA reports and drops functions and types with the relations.
CREATE SCHEMA zz;
CREATE FUNCTION zz.f(int, text) RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE PROCEDURE zz.p() LANGUAGE sql AS 'SELECT 1';
CREATE DOMAIN zz.d AS int CHECK (VALUE > 0);
CREATE TYPE zz.e AS ENUM ('a');
CREATE TYPE zz.c AS (a int);
CREATE TYPE zz.r AS RANGE (subtype = float8);
CREATE TABLE zz.t (a zz.d, b zz.e, c zz.c);
CREATE VIEW zz.v AS SELECT * FROM zz.t;
DROP SCHEMA zz;
DROP SCHEMA zz CASCADE;
SELECT count(*) FROM pg_type WHERE typnamespace NOT IN (SELECT oid FROM pg_namespace);
SELECT count(*) FROM pg_proc WHERE pronamespace NOT IN (SELECT oid FROM pg_namespace);
CREATE SCHEMA zz;
CREATE DOMAIN zz.d AS int;
CREATE TYPE zz.e AS ENUM ('b');
CREATE FUNCTION zz.f(int, text) RETURNS int LANGUAGE sql AS 'SELECT 2';
SELECT zz.f(1, 'x'), 'b'::zz.e, 5::zz.d;
DROP SCHEMA zz CASCADE;
DROP SCHEMA other CASCADE;
DROP TABLE mood, _arr;
DROP TYPE mood;
DROP SEQUENCE item_seq;
