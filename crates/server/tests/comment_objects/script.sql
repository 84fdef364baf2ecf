-- COMMENT ON functions, procedures, types, domains, schemas and languages.
CREATE SCHEMA cms;
CREATE FUNCTION cms.f(int) RETURNS int LANGUAGE sql AS 'SELECT $1';
CREATE PROCEDURE cms.p() LANGUAGE sql AS 'SELECT 1';
CREATE TYPE cms.e AS ENUM ('a');
CREATE DOMAIN cms.d AS int;
CREATE TYPE cms.c AS (x int);
COMMENT ON SCHEMA cms IS 'a schema';
COMMENT ON FUNCTION cms.f(int) IS 'a function';
COMMENT ON FUNCTION cms.f IS 'a function again';
COMMENT ON PROCEDURE cms.p() IS 'a procedure';
COMMENT ON TYPE cms.e IS 'an enum';
COMMENT ON DOMAIN cms.d IS 'a domain';
COMMENT ON TYPE cms.c IS 'a composite';
COMMENT ON FUNCTION cms.f(text) IS 'no such';
COMMENT ON TYPE cms.nope IS 'no such';
COMMENT ON SCHEMA nope IS 'no such';
COMMENT ON DOMAIN cms.e IS 'not a domain';
COMMENT ON LANGUAGE plpgsql IS 'lang';
SELECT obj_description('cms'::regnamespace, 'pg_namespace');
SELECT obj_description(oid, 'pg_proc') FROM pg_proc WHERE proname IN ('f', 'p') ORDER BY proname;
SELECT obj_description('cms.e'::regtype, 'pg_type'), obj_description('cms.d'::regtype, 'pg_type'), obj_description('cms.c'::regtype, 'pg_type');
COMMENT ON SCHEMA cms IS NULL;
COMMENT ON SCHEMA cms IS 'a schema again';
SELECT obj_description('cms'::regnamespace, 'pg_namespace');
CREATE ROLE cm_user;
SET ROLE cm_user;
COMMENT ON SCHEMA cms IS 'x';
RESET ROLE;
DROP ROLE cm_user;
\df+ cms.f
\dn+ cms
DROP SCHEMA cms CASCADE;
SELECT count(*) FROM pg_description WHERE description LIKE 'a %';
