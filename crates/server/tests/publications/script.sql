-- Publications and subscriptions in the catalog, as psql shows them.
CREATE ROLE regress_pub_owner LOGIN SUPERUSER;
CREATE ROLE regress_pub_plain;
SET SESSION AUTHORIZATION regress_pub_owner;
-- the wal_level warning depends on the server's settings
SET client_min_messages = 'error';

CREATE SCHEMA pub_s1;
CREATE SCHEMA pub_s2;
CREATE TABLE pub_t1 (id int PRIMARY KEY, data text);
CREATE TABLE pub_s1.t2 (a int, b int, c int);
CREATE TABLE pub_s2.t3 (x int);
CREATE VIEW pub_v AS SELECT 1 AS one;
CREATE TEMPORARY TABLE pub_temp (a int);
CREATE UNLOGGED TABLE pub_unlogged (a int);

CREATE PUBLICATION pub_default;
CREATE PUBLICATION pub_ins WITH (publish = 'insert');
CREATE PUBLICATION pub_tables FOR TABLE pub_t1, pub_s1.t2 (a, b) WHERE (a > 5 AND b IS NOT NULL);
CREATE PUBLICATION pub_schemas FOR TABLES IN SCHEMA pub_s1, pub_s2 WITH (publish_via_partition_root = true);
CREATE PUBLICATION pub_all FOR ALL TABLES WITH (publish = 'insert, truncate');

-- option errors
CREATE PUBLICATION pub_bad WITH (foo);
CREATE PUBLICATION pub_bad WITH (publish = 'insert, vacuum');
CREATE PUBLICATION pub_bad WITH (publish = 'insert', publish = 'update');
CREATE PUBLICATION pub_default;

-- relations that cannot be published
CREATE PUBLICATION pub_bad FOR TABLE pub_v;
CREATE PUBLICATION pub_bad FOR TABLE pub_temp;
CREATE PUBLICATION pub_bad FOR TABLE pub_unlogged;
CREATE PUBLICATION pub_bad FOR TABLE pg_class;
CREATE PUBLICATION pub_bad FOR TABLES IN SCHEMA pg_catalog;
CREATE PUBLICATION pub_bad FOR TABLES IN SCHEMA no_such_schema;
CREATE PUBLICATION pub_bad FOR TABLE no_such_table;

-- row filters
CREATE PUBLICATION pub_bad FOR TABLE pub_t1 WHERE (1234);
CREATE PUBLICATION pub_bad FOR TABLE pub_t1 WHERE (id < random());
CREATE PUBLICATION pub_bad FOR TABLE pub_t1 WHERE ('(0,1)'::tid = ctid);
CREATE PUBLICATION pub_bad FOR TABLE pub_t1 WHERE (id IN (SELECT generate_series(1, 5)));
CREATE PUBLICATION pub_bad FOR TABLE pub_t1 WHERE (id < avg(id));
CREATE PUBLICATION pub_bad FOR TABLE pub_t1 WHERE (id = 1), pub_t1;
CREATE PUBLICATION pub_bad FOR TABLES IN SCHEMA pub_s1, pub_s2 WHERE (a = 1);

-- column lists
CREATE PUBLICATION pub_bad FOR TABLE pub_s1.t2 (a, nope);
CREATE PUBLICATION pub_bad FOR TABLE pub_s1.t2 (a, ctid);
CREATE PUBLICATION pub_bad FOR TABLE pub_s1.t2 (a), pub_s1.t2;
CREATE PUBLICATION pub_bad FOR TABLES IN SCHEMA pub_s2, TABLE pub_s1.t2 (a);
RESET client_min_messages;

\dRp
\dRp+ pub_tables
\dRp+ pub_schemas
\d pub_s1.t2
SELECT pubname, schemaname, tablename, attnames, rowfilter
  FROM pg_publication_tables WHERE pubname <> 'pub_all' ORDER BY 1, 2, 3;

-- ALTER PUBLICATION
ALTER PUBLICATION pub_default SET (publish = 'update, delete');
ALTER PUBLICATION pub_default ADD TABLE pub_t1;
ALTER PUBLICATION pub_default ADD TABLE pub_t1;
ALTER PUBLICATION pub_default ADD TABLES IN SCHEMA pub_s2;
ALTER PUBLICATION pub_default ADD TABLES IN SCHEMA pub_s2;
ALTER PUBLICATION pub_default DROP TABLE pub_s1.t2;
ALTER PUBLICATION pub_default DROP TABLE pub_t1 WHERE (id > 1);
ALTER PUBLICATION pub_default DROP TABLES IN SCHEMA pub_s1;
ALTER PUBLICATION pub_all ADD TABLE pub_t1;
ALTER PUBLICATION pub_all DROP TABLES IN SCHEMA pub_s1;
\dRp+ pub_default
ALTER PUBLICATION pub_default SET TABLE pub_s1.t2 WHERE (c < 10);
\dRp+ pub_default
ALTER PUBLICATION pub_default SET TABLES IN SCHEMA pub_s1;
\dRp+ pub_default
ALTER PUBLICATION pub_default RENAME TO pub_renamed;
ALTER PUBLICATION pub_renamed RENAME TO pub_tables;
ALTER PUBLICATION pub_renamed RENAME TO pub_default;
ALTER PUBLICATION pub_ins OWNER TO regress_pub_plain;
ALTER PUBLICATION pub_schemas OWNER TO regress_pub_plain;
COMMENT ON PUBLICATION pub_ins IS 'inserts only';
SELECT p.pubname, pg_catalog.pg_get_userbyid(p.pubowner) AS owner,
       obj_description(p.oid, 'pg_publication') AS comment
  FROM pg_publication p ORDER BY 1;
ALTER PUBLICATION no_such_pub SET (publish = 'insert');

-- ownership
SET ROLE regress_pub_plain;
ALTER PUBLICATION pub_tables RENAME TO pub_mine;
DROP PUBLICATION pub_tables;
RESET ROLE;

-- replica identity
ALTER TABLE pub_s1.t2 REPLICA IDENTITY FULL;
SELECT relname, relreplident FROM pg_class
  WHERE relname IN ('pub_t1', 't2', 't3') ORDER BY 1;
UPDATE pub_s1.t2 SET a = 1;
ALTER TABLE pub_s1.t2 REPLICA IDENTITY NOTHING;
UPDATE pub_s1.t2 SET c = 1;
DELETE FROM pub_s1.t2;
UPDATE pub_t1 SET data = 'x';
UPDATE pub_s2.t3 SET x = 1;
DELETE FROM pub_s2.t3;
ALTER TABLE pub_s2.t3 ALTER COLUMN x SET NOT NULL;
CREATE UNIQUE INDEX t3_x ON pub_s2.t3 (x);
CREATE INDEX t3_x_plain ON pub_s2.t3 (x);
ALTER TABLE pub_s2.t3 REPLICA IDENTITY USING INDEX t3_x_plain;
ALTER TABLE pub_s2.t3 REPLICA IDENTITY USING INDEX no_such_index;
ALTER TABLE pub_s2.t3 REPLICA IDENTITY USING INDEX pub_t1_pkey;
ALTER TABLE pub_s2.t3 REPLICA IDENTITY USING INDEX t3_x;
SELECT indexrelid::regclass, indisreplident FROM pg_index
  WHERE indrelid = 'pub_s2.t3'::regclass ORDER BY 1;
UPDATE pub_s2.t3 SET x = 1;
\d pub_s2.t3

-- a column list or row filter keeps its columns
ALTER TABLE pub_s1.t2 DROP COLUMN a;
ALTER TABLE pub_s1.t2 DROP COLUMN c;

-- dropping a table or schema removes its memberships
DROP TABLE pub_t1;
DROP SCHEMA pub_s2 CASCADE;
\dRp+ pub_tables
\dRp+ pub_schemas
DROP PUBLICATION pub_tables, no_such_pub;
DROP PUBLICATION IF EXISTS pub_tables, no_such_pub;
DROP PUBLICATION pub_default, pub_ins, pub_schemas, pub_all;
SELECT count(*) FROM pg_publication;
SELECT count(*) FROM pg_publication_rel;
SELECT count(*) FROM pg_publication_namespace;

-- subscriptions: only connect = false can be created here
CREATE SUBSCRIPTION regress_sub CONNECTION 'dbname=regress_nowhere' PUBLICATION p1, p2, p1 WITH (connect = false);
CREATE SUBSCRIPTION regress_sub CONNECTION 'nonsense' PUBLICATION p1 WITH (connect = false);
CREATE SUBSCRIPTION regress_sub CONNECTION 'bad_key=1' PUBLICATION p1 WITH (connect = false);
CREATE SUBSCRIPTION regress_sub CONNECTION 'dbname=x' PUBLICATION p1 WITH (connect = false, enabled = true);
CREATE SUBSCRIPTION regress_sub CONNECTION 'dbname=x' PUBLICATION p1 WITH (connect = false, copy_data = true);
CREATE SUBSCRIPTION regress_sub CONNECTION 'dbname=x' PUBLICATION p1 WITH (slot_name = NONE);
CREATE SUBSCRIPTION regress_sub CONNECTION 'dbname=x' PUBLICATION p1 WITH (slot_name = NONE, enabled = false);
CREATE SUBSCRIPTION regress_sub CONNECTION 'dbname=x' PUBLICATION p1 WITH (connect = false, binary = maybe);
CREATE SUBSCRIPTION regress_sub CONNECTION 'dbname=x' PUBLICATION p1 WITH (connect = false, nope = 1);
CREATE SUBSCRIPTION regress_sub CONNECTION 'dbname=regress_nowhere' PUBLICATION p1, p2 WITH (connect = false, streaming = true);
CREATE SUBSCRIPTION regress_sub CONNECTION 'dbname=regress_nowhere' PUBLICATION p1 WITH (connect = false);
\dRs+
ALTER SUBSCRIPTION regress_sub SET (synchronous_commit = remote_apply, binary = true);
ALTER SUBSCRIPTION regress_sub SET (synchronous_commit = sometimes);
ALTER SUBSCRIPTION regress_sub SET (slot_name = '');
ALTER SUBSCRIPTION regress_sub SET (copy_data = false);
ALTER SUBSCRIPTION regress_sub CONNECTION 'dbname=regress_elsewhere';
ALTER SUBSCRIPTION regress_sub ADD PUBLICATION p3 WITH (refresh = false);
ALTER SUBSCRIPTION regress_sub ADD PUBLICATION p3 WITH (refresh = false);
ALTER SUBSCRIPTION regress_sub DROP PUBLICATION p9 WITH (refresh = false);
ALTER SUBSCRIPTION regress_sub DROP PUBLICATION p1, p2, p3 WITH (refresh = false);
ALTER SUBSCRIPTION regress_sub SET PUBLICATION p4;
ALTER SUBSCRIPTION regress_sub REFRESH PUBLICATION;
ALTER SUBSCRIPTION regress_sub SKIP (lsn = '0/12345');
ALTER SUBSCRIPTION regress_sub SKIP (lsn = '0/0');
COMMENT ON SUBSCRIPTION regress_sub IS 'catalog only';
ALTER SUBSCRIPTION regress_sub OWNER TO regress_pub_plain;
ALTER SUBSCRIPTION regress_sub RENAME TO regress_sub2;
\dRs+
SELECT subname, obj_description(oid, 'pg_subscription') FROM pg_subscription;
BEGIN;
DROP SUBSCRIPTION regress_sub2;
ROLLBACK;
ALTER SUBSCRIPTION regress_sub2 SET (slot_name = NONE);
ALTER SUBSCRIPTION regress_sub2 ENABLE;
DROP SUBSCRIPTION regress_sub2;
DROP SUBSCRIPTION regress_sub2;
DROP SUBSCRIPTION IF EXISTS regress_sub2;

-- the checks run for every write, also inside functions and for partitions
SET client_min_messages = 'error';
CREATE TABLE pub_ri (a int);
INSERT INTO pub_ri VALUES (1);
CREATE TABLE pub_parted (a int) PARTITION BY LIST (a);
CREATE TABLE pub_parted1 PARTITION OF pub_parted FOR VALUES IN (1);
CREATE PUBLICATION pub_ri_pub FOR TABLE pub_ri, pub_parted;
RESET client_min_messages;
DO $$ BEGIN UPDATE pub_ri SET a = 2; END $$;
CREATE FUNCTION pub_ri_delete() RETURNS void LANGUAGE sql AS $$ DELETE FROM pub_ri $$;
SELECT pub_ri_delete();
UPDATE pub_ri SET a = 3 WHERE false;
INSERT INTO pub_ri VALUES (2);
UPDATE pub_parted SET a = 1 WHERE false;
UPDATE pub_parted SET a = 1;
UPDATE pub_parted1 SET a = 1;
ALTER PUBLICATION pub_ri_pub SET (publish = 'insert');
UPDATE pub_parted SET a = 1;
DELETE FROM pub_ri;
DROP FUNCTION pub_ri_delete();
DROP PUBLICATION pub_ri_pub;
DROP TABLE pub_ri, pub_parted;

RESET SESSION AUTHORIZATION;
DROP SCHEMA pub_s1 CASCADE;
DROP VIEW pub_v;
DROP TABLE pub_unlogged, pub_temp;
DROP ROLE regress_pub_owner, regress_pub_plain;
