-- SQL/MED catalogs and DDL: wrappers, servers, user mappings, their options, privileges
-- and dependencies, and what psql shows of them.
CREATE ROLE fd_super SUPERUSER;
CREATE ROLE fd_user;
CREATE ROLE fd_other;
SET SESSION AUTHORIZATION fd_super;

CREATE FOREIGN DATA WRAPPER w1;
COMMENT ON FOREIGN DATA WRAPPER w1 IS 'first wrapper';
CREATE FOREIGN DATA WRAPPER pgw VALIDATOR postgresql_fdw_validator;
CREATE FOREIGN DATA WRAPPER w1;
CREATE FOREIGN DATA WRAPPER w2 VALIDATOR nonexistent;
CREATE FOREIGN DATA WRAPPER w2 OPTIONS (a '1', a '2');
CREATE FOREIGN DATA WRAPPER w2 OPTIONS (a '1', b '2');
SELECT fdwname, fdwhandler::regproc, fdwvalidator::regproc, fdwoptions
  FROM pg_foreign_data_wrapper ORDER BY 1;
ALTER FOREIGN DATA WRAPPER w2 OPTIONS (SET c '3');
ALTER FOREIGN DATA WRAPPER w2 OPTIONS (DROP c);
ALTER FOREIGN DATA WRAPPER w2 OPTIONS (DROP a, SET b '3', ADD c '4');
ALTER FOREIGN DATA WRAPPER w2 OPTIONS (b '5');
ALTER FOREIGN DATA WRAPPER pgw OPTIONS (x '1');
ALTER FOREIGN DATA WRAPPER w2 VALIDATOR postgresql_fdw_validator;
ALTER FOREIGN DATA WRAPPER w2 NO VALIDATOR;
ALTER FOREIGN DATA WRAPPER w2 RENAME TO w3;
\dew+

SET ROLE fd_user;
CREATE FOREIGN DATA WRAPPER w4;
ALTER FOREIGN DATA WRAPPER w3 OPTIONS (ADD d '5');
CREATE SERVER s1 FOREIGN DATA WRAPPER w1;
RESET ROLE;
ALTER FOREIGN DATA WRAPPER w3 OWNER TO fd_user;
GRANT USAGE ON FOREIGN DATA WRAPPER w1 TO fd_user;
SET ROLE fd_user;
CREATE SERVER s1 FOREIGN DATA WRAPPER w1;
RESET ROLE;

CREATE SERVER s2 TYPE 'oracle' VERSION '1.0' FOREIGN DATA WRAPPER pgw
  OPTIONS (host 'a', dbname 'b');
CREATE SERVER s3 FOREIGN DATA WRAPPER pgw OPTIONS (bogus '1');
CREATE SERVER s2 FOREIGN DATA WRAPPER pgw;
CREATE SERVER IF NOT EXISTS s2 FOREIGN DATA WRAPPER pgw;
CREATE SERVER s3 FOREIGN DATA WRAPPER nope;
ALTER SERVER s2 VERSION '2.0' OPTIONS (SET host 'c', DROP dbname, ADD port '5432');
COMMENT ON SERVER s2 IS 'second server';
SET ROLE fd_user;
ALTER SERVER s2 VERSION '3.0';
ALTER SERVER s1 OWNER TO fd_other;
RESET ROLE;
GRANT USAGE ON FOREIGN SERVER s2 TO fd_other WITH GRANT OPTION;
SELECT srvname, srvowner::regrole, srvtype, srvversion, srvacl, srvoptions
  FROM pg_foreign_server ORDER BY 1;
\des+

CREATE USER MAPPING FOR fd_user SERVER s2 OPTIONS (user 'u', password 'p');
CREATE USER MAPPING FOR fd_user SERVER s2;
CREATE USER MAPPING IF NOT EXISTS FOR fd_user SERVER s2;
CREATE USER MAPPING FOR public SERVER s2 OPTIONS (username 'x');
CREATE USER MAPPING FOR public SERVER s2;
CREATE USER MAPPING FOR CURRENT_USER SERVER s1;
CREATE USER MAPPING FOR nobody SERVER s1;
ALTER USER MAPPING FOR fd_user SERVER s2 OPTIONS (DROP password, SET user 'v');
ALTER USER MAPPING FOR fd_other SERVER s2 OPTIONS (user 'w');
SET ROLE fd_user;
CREATE USER MAPPING FOR fd_user SERVER s1;
DROP USER MAPPING FOR public SERVER s2;
RESET ROLE;
SELECT srvname, usename, umoptions FROM pg_user_mappings ORDER BY 1, 2;
\deu+
DROP USER MAPPING IF EXISTS FOR nobody SERVER s1;
DROP USER MAPPING IF EXISTS FOR fd_user SERVER nope;
DROP USER MAPPING IF EXISTS FOR fd_other SERVER s1;
DROP USER MAPPING FOR fd_other SERVER s1;

SELECT has_foreign_data_wrapper_privilege('fd_user', 'w1', 'USAGE'),
       has_server_privilege('fd_other', 's2', 'USAGE'),
       has_server_privilege('fd_user', 's2', 'USAGE');
SELECT foreign_data_wrapper_name, authorization_identifier, library_name,
       foreign_data_wrapper_language
  FROM information_schema.foreign_data_wrappers ORDER BY 1;
SELECT foreign_server_name, option_name, option_value
  FROM information_schema.foreign_server_options ORDER BY 1, 2;
SELECT authorization_identifier, foreign_server_name, option_name, option_value
  FROM information_schema.user_mapping_options ORDER BY 1, 2, 3;

DROP ROLE fd_user;
DROP ROLE fd_other;
DROP FOREIGN DATA WRAPPER pgw;
DROP SERVER s2;
DROP SERVER IF EXISTS nope;
DROP FOREIGN DATA WRAPPER IF EXISTS nope;
IMPORT FOREIGN SCHEMA remote FROM SERVER s2 INTO public;
DROP FOREIGN DATA WRAPPER pgw CASCADE;
DROP FOREIGN DATA WRAPPER w1, w3 CASCADE;

-- Foreign tables.
CREATE FOREIGN DATA WRAPPER fw;
CREATE SERVER fs FOREIGN DATA WRAPPER fw;
CREATE FOREIGN TABLE ft0 () SERVER nope;
CREATE FOREIGN TABLE ft1 (c1 int PRIMARY KEY) SERVER fs;
CREATE FOREIGN TABLE ft1 (c1 int, UNIQUE (c1)) SERVER fs;
CREATE FOREIGN TABLE ft1 (
  c1 integer OPTIONS (p1 'v1') NOT NULL,
  c2 text CHECK (c2 IS NOT NULL),
  c3 date
) SERVER fs OPTIONS (delimiter ',', quote '"');
COMMENT ON COLUMN ft1.c1 IS 'first column';
SELECT relname, relkind, relam, relfilenode FROM pg_class WHERE relname = 'ft1';
SELECT ftrelid::regclass, (SELECT srvname FROM pg_foreign_server WHERE oid = ftserver), ftoptions FROM pg_foreign_table
  WHERE ftserver = (SELECT oid FROM pg_foreign_server WHERE srvname = 'fs');
SELECT attname, attfdwoptions FROM pg_attribute
  WHERE attrelid = 'ft1'::regclass AND attnum > 0 ORDER BY attnum;
\d+ ft1
\det+
SELECT * FROM ft1;
DROP TABLE ft1;
DROP SERVER fs;
DROP FOREIGN TABLE ft1;
DROP FOREIGN TABLE IF EXISTS ft1;
DROP FOREIGN TABLE ft1;
CREATE FOREIGN TABLE ft2 (a int) SERVER fs;
ALTER FOREIGN TABLE ft2 OPTIONS (ADD a '1');
ALTER FOREIGN TABLE ft2 ALTER COLUMN a OPTIONS (ADD b '2');
ALTER FOREIGN TABLE ft2 ALTER COLUMN xmin OPTIONS (ADD b '2');
ALTER FOREIGN TABLE ft2 ALTER COLUMN a OPTIONS (SET b '3'), OPTIONS (DROP a);
ALTER FOREIGN TABLE ft2 ADD COLUMN c text NOT NULL;
ALTER FOREIGN TABLE ft2 ADD COLUMN d int DEFAULT 0;
ALTER FOREIGN TABLE ft2 ALTER COLUMN d DROP DEFAULT, ALTER COLUMN d SET NOT NULL;
ALTER FOREIGN TABLE ft2 ALTER COLUMN c SET DATA TYPE varchar(10);
ALTER FOREIGN TABLE ft2 ALTER COLUMN a TYPE bigint USING a + 1;
ALTER FOREIGN TABLE ft2 ADD CONSTRAINT ft2_a_check CHECK (a > 0);
ALTER FOREIGN TABLE ft2 ADD PRIMARY KEY (a);
ALTER FOREIGN TABLE IF EXISTS nope OPTIONS (ADD a '1');
ALTER FOREIGN TABLE ft2 RENAME a TO aa;
\d+ ft2
CREATE TABLE pt (a int) PARTITION BY RANGE (a);
CREATE INDEX ON pt (a);
CREATE FOREIGN TABLE pt1 PARTITION OF pt FOR VALUES FROM (0) TO (10) SERVER fs;
CREATE UNIQUE INDEX ON pt (a);
CREATE FOREIGN TABLE pt2 (a int) SERVER fs;
ALTER TABLE pt ATTACH PARTITION pt2 FOR VALUES FROM (10) TO (20);
\d+ pt
SELECT * FROM pt;
DROP TABLE pt;
DROP FOREIGN DATA WRAPPER fw CASCADE;
SELECT count(*) FROM pg_foreign_table;
SELECT count(*) FROM pg_foreign_data_wrapper;
SELECT count(*) FROM pg_foreign_server;
SELECT count(*) FROM pg_user_mapping;
RESET SESSION AUTHORIZATION;
DROP ROLE fd_user;
DROP ROLE fd_other;
DROP ROLE fd_super;
