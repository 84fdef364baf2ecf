-- LANGUAGE C functions of the C libraries tusk has built in: contrib/spi's refint
-- (check_primary_key, check_foreign_key) and autoinc, named as $libdir/<library>.
SELECT lanname, lanispl, lanpltrusted FROM pg_language WHERE oid = 13;
LOAD '$libdir/refint';
LOAD 'nosuchlibrary';
CREATE FUNCTION f_missing(int) RETURNS int LANGUAGE C AS 'nosuchfile';
\set VERBOSITY sqlstate
CREATE FUNCTION f_missing(int) RETURNS int LANGUAGE C AS '$libdir/refint', 'nosuchsymbol';
\set VERBOSITY default
SELECT regexp_replace(:'LAST_ERROR_MESSAGE', 'file ".*"', 'file "..."');
CREATE FUNCTION autoinc() RETURNS trigger AS '$libdir/autoinc' LANGUAGE C;
CREATE FUNCTION check_primary_key() RETURNS trigger AS '$libdir/refint' LANGUAGE C;
CREATE FUNCTION check_foreign_key() RETURNS trigger AS '$libdir/refint' LANGUAGE C;
SELECT proname, prosrc, probin, l.lanname
  FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
  WHERE proname IN ('autoinc', 'check_primary_key', 'check_foreign_key')
  ORDER BY proname;

-- refint: keys checked and cascaded by triggers rather than constraints
CREATE TABLE pkeys (pkey1 int4 NOT NULL, pkey2 text NOT NULL);
CREATE TABLE fkeys (fkey1 int4, fkey2 text, fkey3 int);
CREATE TABLE fkeys2 (fkey21 int4, fkey22 text, pkey23 int NOT NULL);
INSERT INTO pkeys VALUES (10, '1'), (20, '2'), (30, '3'), (40, '4'), (50, '5');
CREATE TRIGGER check_fkeys_pkey_exist BEFORE INSERT OR UPDATE ON fkeys
  FOR EACH ROW EXECUTE FUNCTION check_primary_key ('fkey1', 'fkey2', 'pkeys', 'pkey1', 'pkey2');
CREATE TRIGGER check_fkeys_pkey2_exist BEFORE INSERT OR UPDATE ON fkeys
  FOR EACH ROW EXECUTE FUNCTION check_primary_key ('fkey3', 'fkeys2', 'pkey23');
CREATE TRIGGER check_fkeys2_pkey_exist BEFORE INSERT OR UPDATE ON fkeys2
  FOR EACH ROW EXECUTE FUNCTION check_primary_key ('fkey21', 'fkey22', 'pkeys', 'pkey1', 'pkey2');
CREATE TRIGGER check_pkeys_fkey_cascade BEFORE DELETE OR UPDATE ON pkeys
  FOR EACH ROW EXECUTE FUNCTION check_foreign_key (2, 'cascade', 'pkey1', 'pkey2',
    'fkeys', 'fkey1', 'fkey2', 'fkeys2', 'fkey21', 'fkey22');
CREATE TRIGGER check_fkeys2_fkey_restrict BEFORE DELETE OR UPDATE ON fkeys2
  FOR EACH ROW EXECUTE FUNCTION check_foreign_key (1, 'restrict', 'pkey23', 'fkeys', 'fkey3');
INSERT INTO fkeys2 VALUES (10, '1', 1), (30, '3', 2), (40, '4', 5), (50, '5', 3);
INSERT INTO fkeys2 VALUES (70, '5', 3);
INSERT INTO fkeys2 VALUES (NULL, '5', 9);
INSERT INTO fkeys VALUES (10, '1', 2), (30, '3', 3), (40, '4', 2), (50, '5', 2);
INSERT INTO fkeys VALUES (70, '5', 1);
INSERT INTO fkeys VALUES (60, '6', 4);
UPDATE fkeys SET fkey3 = 5 WHERE fkey1 = 10;
UPDATE fkeys SET fkey3 = 77 WHERE fkey1 = 10;
DELETE FROM pkeys WHERE pkey1 = 30 AND pkey2 = '3';
DELETE FROM pkeys WHERE pkey1 = 40 AND pkey2 = '4';
-- the trigger keeps the query it prepared first (a DELETE) for later UPDATEs
UPDATE pkeys SET pkey1 = 7, pkey2 = '70' WHERE pkey1 = 10 AND pkey2 = '1';
UPDATE pkeys SET pkey2 = '5' WHERE pkey1 = 50;
SELECT * FROM pkeys ORDER BY pkey1;
SELECT * FROM fkeys ORDER BY fkey1, fkey3;
SELECT * FROM fkeys2 ORDER BY fkey21 NULLS FIRST, pkey23;
DELETE FROM fkeys2 WHERE pkey23 = 3;
DELETE FROM fkeys2 WHERE pkey23 = 9;

-- setnull, and an UPDATE cascade prepared by a first UPDATE
CREATE TABLE parent (id int4 NOT NULL, code varchar NOT NULL);
CREATE TABLE child_a (pid int4, pcode varchar, note text);
CREATE TABLE child_b (pid int4, pcode varchar, note text);
INSERT INTO parent VALUES (1, 'a'), (2, 'b'), (3, 'c');
INSERT INTO child_a VALUES (1, 'a', 'a1'), (1, 'a', 'a2'), (2, 'b', 'a3');
INSERT INTO child_b VALUES (1, 'a', 'b1'), (3, 'c', 'b2');
CREATE TRIGGER parent_setnull BEFORE DELETE ON parent
  FOR EACH ROW EXECUTE FUNCTION check_foreign_key (1, 'setnull', 'id', 'code', 'child_a', 'pid', 'pcode');
CREATE TRIGGER parent_cascade BEFORE UPDATE ON parent
  FOR EACH ROW EXECUTE FUNCTION check_foreign_key (1, 'CASCADE', 'id', 'code', 'child_b', 'pid', 'pcode');
DELETE FROM parent WHERE id = 1;
UPDATE parent SET code = 'cc' WHERE id = 3;
UPDATE parent SET code = 'c' WHERE id = 3;
SELECT * FROM child_a ORDER BY note;
SELECT * FROM child_b ORDER BY note;
-- argument errors
CREATE TABLE t_bad (a int4, b text);
CREATE TRIGGER t_bad_pk BEFORE INSERT ON t_bad
  FOR EACH ROW EXECUTE FUNCTION check_primary_key ('nosuchcol', 'pkeys', 'pkey1');
INSERT INTO t_bad VALUES (1, 'x');
DROP TRIGGER t_bad_pk ON t_bad;
CREATE TRIGGER t_bad_fk BEFORE DELETE ON t_bad
  FOR EACH ROW EXECUTE FUNCTION check_foreign_key (1, 'ignore', 'a', 'fkeys', 'fkey1');
INSERT INTO t_bad VALUES (1, 'x');
DELETE FROM t_bad;

-- autoinc: NULL or 0 columns take the sequence's next value (never 0)
CREATE SEQUENCE aiseq INCREMENT 10 START 0 MINVALUE 0;
CREATE TABLE ai (id int4, val text, other int4);
CREATE TRIGGER ai_autoinc BEFORE INSERT OR UPDATE ON ai
  FOR EACH ROW EXECUTE FUNCTION autoinc (id, aiseq);
INSERT INTO ai VALUES (NULL, 'a'), (0, 'b'), (5, 'c');
UPDATE ai SET id = 0 WHERE val = 'c';
SELECT * FROM ai ORDER BY val;
CREATE TRIGGER ai_bad BEFORE INSERT ON ai
  FOR EACH ROW EXECUTE FUNCTION autoinc (val, aiseq);
INSERT INTO ai VALUES (1, 'd');
DROP TRIGGER ai_bad ON ai;
CREATE TRIGGER ai_odd BEFORE INSERT ON ai
  FOR EACH ROW EXECUTE FUNCTION autoinc (other);
INSERT INTO ai VALUES (1, 'd');
DROP TRIGGER ai_odd ON ai;
CREATE TRIGGER ai_after AFTER INSERT ON ai
  FOR EACH ROW EXECUTE FUNCTION autoinc (other, aiseq);
INSERT INTO ai VALUES (1, 'd');
DROP TRIGGER ai_after ON ai;

-- only superusers create C functions
CREATE ROLE cfunc_user;
GRANT CREATE ON SCHEMA public TO cfunc_user;
SET ROLE cfunc_user;
CREATE FUNCTION autoinc2() RETURNS trigger AS '$libdir/autoinc', 'autoinc' LANGUAGE C;
LOAD '$libdir/autoinc';
RESET ROLE;
REVOKE CREATE ON SCHEMA public FROM cfunc_user;
DROP ROLE cfunc_user;
\set VERBOSITY terse
DROP FUNCTION check_primary_key() CASCADE;
