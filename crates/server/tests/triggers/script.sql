-- BEFORE ROW triggers change NEW or skip the row; AFTER ROW triggers write an audit log.
CREATE TABLE items (id int PRIMARY KEY, name text, price numeric, updated int DEFAULT 0);
CREATE TABLE audit (seq serial, op text, tg_when text, tg_level text, tbl text, old_row text, new_row text, args text);

CREATE FUNCTION items_before() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.name = 'keep' THEN
      RETURN NULL;
    END IF;
    RETURN OLD;
  END IF;
  IF NEW.price < 0 THEN
    RETURN NULL;
  END IF;
  NEW.name := upper(NEW.name);
  IF TG_OP = 'UPDATE' THEN
    NEW.updated := OLD.updated + 1;
  END IF;
  RETURN NEW;
END $$;

CREATE FUNCTION log_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audit (op, tg_when, tg_level, tbl, old_row, new_row, args)
  VALUES (TG_OP, TG_WHEN, TG_LEVEL, TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME,
          CASE WHEN TG_LEVEL = 'ROW' AND TG_OP <> 'INSERT' THEN OLD::text END,
          CASE WHEN TG_LEVEL = 'ROW' AND TG_OP <> 'DELETE' THEN NEW::text END,
          TG_NARGS || ':' || coalesce(array_to_string(TG_ARGV, ','), ''));
  RETURN NULL;
END $$;

CREATE TRIGGER items_b BEFORE INSERT OR UPDATE OR DELETE ON items
  FOR EACH ROW EXECUTE FUNCTION items_before();
CREATE TRIGGER items_a AFTER INSERT OR UPDATE OR DELETE ON items
  FOR EACH ROW EXECUTE FUNCTION log_change('row', 42);
CREATE TRIGGER items_s AFTER INSERT OR UPDATE OR DELETE ON items
  FOR EACH STATEMENT EXECUTE PROCEDURE log_change();

INSERT INTO items VALUES (1, 'apple', 10), (2, 'pear', -1), (3, 'keep', 5);
SELECT * FROM items ORDER BY id;
UPDATE items SET price = price + 1 RETURNING *;
UPDATE items SET price = -5 WHERE id = 1;
DELETE FROM items;
DELETE FROM items WHERE id = 99;
SELECT * FROM items ORDER BY id;
SELECT seq, op, tg_when, tg_level, tbl, old_row, new_row, args FROM audit ORDER BY seq;

-- WHEN conditions and UPDATE OF columns.
CREATE TABLE accounts (id int, balance int, note text);
CREATE FUNCTION note_it() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE NOTICE '% % on %: % -> %', TG_NAME, TG_OP, TG_TABLE_NAME, OLD, NEW;
  RETURN NEW;
END $$;
CREATE TRIGGER big_change BEFORE UPDATE ON accounts FOR EACH ROW
  WHEN (abs(NEW.balance - OLD.balance) > 100) EXECUTE FUNCTION note_it();
CREATE TRIGGER note_changed AFTER UPDATE OF note ON accounts FOR EACH ROW
  EXECUTE FUNCTION note_it();
INSERT INTO accounts VALUES (1, 50, 'a'), (2, 500, 'b');
UPDATE accounts SET balance = balance + 10;
UPDATE accounts SET balance = balance + 1000 WHERE id = 2;
UPDATE accounts SET note = 'changed' WHERE id = 1;

-- Disabling, renaming and describing.
ALTER TABLE accounts DISABLE TRIGGER big_change;
UPDATE accounts SET balance = balance + 1000 WHERE id = 2;
ALTER TABLE accounts ENABLE TRIGGER big_change;
ALTER TRIGGER note_changed ON accounts RENAME TO note_was_changed;
SELECT tgname, tgtype, tgenabled, tgnargs, tgattr, tgisinternal FROM pg_trigger
  WHERE tgrelid = 'accounts'::regclass ORDER BY tgname;
SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = 'items'::regclass ORDER BY tgname;
SELECT pg_get_triggerdef(oid, true) FROM pg_trigger WHERE tgrelid = 'accounts'::regclass ORDER BY tgname;
\d accounts

-- Errors.
CREATE FUNCTION not_trigger() RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE TRIGGER t BEFORE INSERT ON accounts FOR EACH ROW EXECUTE FUNCTION not_trigger();
CREATE TRIGGER t BEFORE INSERT ON accounts FOR EACH ROW EXECUTE FUNCTION no_such_function();
CREATE TRIGGER big_change BEFORE INSERT ON accounts FOR EACH ROW EXECUTE FUNCTION note_it();
CREATE TRIGGER t BEFORE INSERT ON accounts FOR EACH ROW WHEN (OLD.id > 0) EXECUTE FUNCTION note_it();
CREATE TRIGGER t BEFORE DELETE ON accounts FOR EACH ROW WHEN (NEW.id > 0) EXECUTE FUNCTION note_it();
CREATE TRIGGER t BEFORE INSERT ON accounts WHEN (NEW.id > 0) EXECUTE FUNCTION note_it();
CREATE TRIGGER t INSTEAD OF INSERT ON accounts FOR EACH ROW EXECUTE FUNCTION note_it();
CREATE TRIGGER t AFTER TRUNCATE ON accounts FOR EACH ROW EXECUTE FUNCTION note_it();
CREATE TRIGGER t AFTER UPDATE OF nope ON accounts FOR EACH ROW EXECUTE FUNCTION note_it();
CREATE VIEW accounts_v AS SELECT * FROM accounts;
CREATE TRIGGER t BEFORE INSERT ON accounts_v FOR EACH ROW EXECUTE FUNCTION note_it();
CREATE TRIGGER t INSTEAD OF INSERT ON accounts_v EXECUTE FUNCTION note_it();
DROP TRIGGER nope ON accounts;
DROP TRIGGER IF EXISTS nope ON accounts;
SELECT note_it();
DROP FUNCTION note_it();
DROP TRIGGER big_change ON accounts;
DROP FUNCTION note_it() CASCADE;
SELECT count(*) FROM pg_trigger WHERE tgrelid = 'accounts'::regclass;

-- Replacing a trigger, and triggers going with their table.
CREATE OR REPLACE TRIGGER items_s AFTER DELETE ON items
  FOR EACH STATEMENT EXECUTE FUNCTION log_change('replaced');
SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = 'items_s';
DROP TABLE items;
SELECT count(*) FROM pg_trigger;

-- COPY FROM fires statement triggers once and row triggers per row.
CREATE TABLE ct (a int, b text);
CREATE TABLE ct_log (n serial, what text);
CREATE FUNCTION ct_stmt() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO ct_log (what) VALUES (TG_WHEN || ' ' || TG_OP || ' statement'); RETURN NULL; END $$;
CREATE FUNCTION ct_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.a = 2 THEN RETURN NULL; END IF;
  INSERT INTO ct_log (what) VALUES (TG_WHEN || ' row ' || NEW.a);
  RETURN NEW;
END $$;
CREATE TRIGGER ct_bs BEFORE INSERT ON ct FOR EACH STATEMENT EXECUTE FUNCTION ct_stmt();
CREATE TRIGGER ct_as AFTER INSERT ON ct FOR EACH STATEMENT EXECUTE FUNCTION ct_stmt();
CREATE TRIGGER ct_br BEFORE INSERT ON ct FOR EACH ROW EXECUTE FUNCTION ct_row();
COPY ct FROM STDIN;
1	x
2	y
3	z
\.
COPY ct FROM STDIN;
\.
SELECT * FROM ct;
SELECT what FROM ct_log ORDER BY n;
