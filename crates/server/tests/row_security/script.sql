-- Row-level security: policies, enforcement per command, owners, BYPASSRLS, row_security.
SET client_min_messages = warning;
DROP TABLE IF EXISTS rls_doc CASCADE;
DROP ROLE IF EXISTS rls_alice;
DROP ROLE IF EXISTS rls_bob;
DROP ROLE IF EXISTS rls_bypass;
RESET client_min_messages;
CREATE ROLE rls_alice;
CREATE ROLE rls_bob;
CREATE ROLE rls_bypass BYPASSRLS;
CREATE TABLE rls_doc (id int PRIMARY KEY, owner name, level int, body text);
GRANT ALL ON rls_doc TO PUBLIC;
INSERT INTO rls_doc VALUES
  (1, 'rls_alice', 1, 'alice one'), (2, 'rls_alice', 2, 'alice two'),
  (3, 'rls_bob', 1, 'bob one'), (4, 'rls_bob', 3, 'bob three');
-- Validation.
CREATE POLICY p_bad ON rls_doc FOR INSERT USING (true);
CREATE POLICY p_bad ON rls_doc FOR SELECT WITH CHECK (true);
CREATE POLICY p_bad ON rls_doc USING (level);
CREATE POLICY p_bad ON rls_doc USING (nosuch = 1);
CREATE POLICY p_bad ON rls_nosuch USING (true);
CREATE POLICY p_bad ON rls_doc TO rls_nosuch USING (true);
-- Policies.
CREATE POLICY p_own ON rls_doc USING (owner = current_user);
CREATE POLICY p_own ON rls_doc USING (true);
CREATE POLICY p_level ON rls_doc AS RESTRICTIVE FOR SELECT TO rls_bob USING (level < 3);
CREATE POLICY p_ins ON rls_doc FOR INSERT WITH CHECK (level > 0);
SELECT policyname, permissive, roles, cmd, qual IS NOT NULL AS has_qual,
       with_check IS NOT NULL AS has_check
  FROM pg_policies WHERE tablename = 'rls_doc' ORDER BY policyname;
SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = 'rls_doc';
-- Not enabled yet: every row.
SET ROLE rls_alice;
SELECT id FROM rls_doc ORDER BY id;
RESET ROLE;
ALTER TABLE rls_doc ENABLE ROW LEVEL SECURITY;
SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = 'rls_doc';
-- The owner (a superuser here) sees every row.
SELECT id FROM rls_doc ORDER BY id;
SET ROLE rls_alice;
SELECT id, body FROM rls_doc ORDER BY id;
SELECT count(*) FROM rls_doc WHERE id IN (3, 4);
INSERT INTO rls_doc VALUES (5, 'rls_alice', 1, 'alice five');
INSERT INTO rls_doc VALUES (6, 'rls_bob', 1, 'not mine');
INSERT INTO rls_doc VALUES (6, 'rls_alice', 0, 'level zero');
UPDATE rls_doc SET body = body || '!' RETURNING id, body;
UPDATE rls_doc SET owner = 'rls_bob' WHERE id = 1;
DELETE FROM rls_doc WHERE id = 3;
DELETE FROM rls_doc WHERE id = 5 RETURNING id;
SET row_security = off;
SELECT id FROM rls_doc;
RESET row_security;
RESET ROLE;
SET ROLE rls_bob;
SELECT id, level FROM rls_doc ORDER BY id;
RESET ROLE;
SET ROLE rls_bypass;
SELECT count(*) FROM rls_doc;
RESET ROLE;
-- Prepared statements follow the current role.
PREPARE q AS SELECT id FROM rls_doc ORDER BY id;
SET ROLE rls_alice;
EXECUTE q;
SET ROLE rls_bob;
EXECUTE q;
RESET ROLE;
EXECUTE q;
DEALLOCATE q;
-- Subqueries and views.
CREATE VIEW rls_doc_view AS SELECT id, owner FROM rls_doc;
GRANT SELECT ON rls_doc_view TO PUBLIC;
SET ROLE rls_alice;
SELECT (SELECT count(*) FROM rls_doc) AS visible;
SELECT count(*) FROM rls_doc_view;
RESET ROLE;
ALTER VIEW rls_doc_view OWNER TO rls_bob;
SET ROLE rls_alice;
SELECT id FROM rls_doc_view ORDER BY id;
RESET ROLE;
-- ALTER POLICY, FORCE, DROP POLICY.
ALTER POLICY p_own ON rls_doc USING (owner = current_user OR level = 1);
ALTER POLICY p_own ON rls_doc RENAME TO p_mine;
ALTER POLICY p_ins ON rls_doc USING (true);
ALTER POLICY p_nosuch ON rls_doc USING (true);
SET ROLE rls_alice;
SELECT id FROM rls_doc ORDER BY id;
RESET ROLE;
CREATE TABLE rls_owned (a int);
ALTER TABLE rls_owned OWNER TO rls_alice;
INSERT INTO rls_owned VALUES (1), (2);
ALTER TABLE rls_owned ENABLE ROW LEVEL SECURITY;
SET ROLE rls_alice;
SELECT count(*) FROM rls_owned;
ALTER TABLE rls_owned FORCE ROW LEVEL SECURITY;
SELECT count(*) FROM rls_owned;
SET row_security = off;
SELECT count(*) FROM rls_owned;
RESET row_security;
CREATE POLICY p_a ON rls_owned USING (a = 2);
SELECT a FROM rls_owned;
RESET ROLE;
SET ROLE rls_bob;
CREATE POLICY p_b ON rls_owned USING (true);
RESET ROLE;
COPY rls_doc TO STDOUT;
SET ROLE rls_alice;
COPY rls_doc TO STDOUT;
COPY rls_doc FROM STDIN;
RESET ROLE;
DROP ROLE rls_bob;
DROP POLICY p_level ON rls_doc;
DROP POLICY p_level ON rls_doc;
DROP POLICY IF EXISTS p_level ON rls_doc;
ALTER TABLE rls_doc DISABLE ROW LEVEL SECURITY;
SET ROLE rls_alice;
SELECT count(*) FROM rls_doc;
RESET ROLE;
DROP TABLE rls_owned;
DROP VIEW rls_doc_view;
DROP TABLE rls_doc;
SELECT count(*) FROM pg_policy;
DROP ROLE rls_alice;
DROP ROLE rls_bob;
DROP ROLE rls_bypass;
-- Restrictive policies are checked by name; UPDATE checks its USING on new rows.
CREATE ROLE rls_carol;
CREATE FUNCTION rls_leak(text) RETURNS bool LANGUAGE plpgsql COST 0.0000001 AS
  $$ BEGIN RAISE NOTICE 'leak %', $1; RETURN true; END $$;
CREATE TABLE rls_item (id int, grp int, note text);
GRANT ALL ON rls_item TO rls_carol;
INSERT INTO rls_item VALUES (1, 1, 'a'), (2, 1, 'b'), (3, 2, 'c');
ALTER TABLE rls_item ENABLE ROW LEVEL SECURITY;
CREATE POLICY p_all ON rls_item USING (grp = 1);
CREATE POLICY p_restrict ON rls_item AS RESTRICTIVE FOR INSERT WITH CHECK (note <> 'x');
CREATE POLICY p_upd ON rls_item FOR UPDATE USING (id < 3) WITH CHECK (grp = 1 AND id < 10);
SET ROLE rls_carol;
INSERT INTO rls_item VALUES (4, 1, 'x');
INSERT INTO rls_item VALUES (4, 2, 'y');
INSERT INTO rls_item VALUES (4, 1, 'y') RETURNING *;
UPDATE rls_item SET grp = 2 WHERE id = 1;
UPDATE rls_item SET id = 20 WHERE id = 2;
UPDATE rls_item SET note = note || '+' RETURNING id, note;
-- Policy quals run before leaky user conditions.
SELECT id FROM rls_item WHERE rls_leak(note) ORDER BY id;
-- Subquery policies; recursion is refused.
RESET ROLE;
CREATE TABLE rls_grp (grp int, member name);
INSERT INTO rls_grp VALUES (2, 'rls_carol');
GRANT SELECT ON rls_grp TO rls_carol;
CREATE POLICY p_member ON rls_item USING (grp IN (SELECT grp FROM rls_grp WHERE member = current_user));
SET ROLE rls_carol;
SELECT id, grp FROM rls_item ORDER BY id;
RESET ROLE;
ALTER TABLE rls_grp ENABLE ROW LEVEL SECURITY;
CREATE POLICY p_back ON rls_grp USING (grp IN (SELECT grp FROM rls_item));
SET ROLE rls_carol;
SELECT id FROM rls_item;
RESET ROLE;
DROP TABLE rls_item, rls_grp;
DROP FUNCTION rls_leak(text);
DROP ROLE rls_carol;
