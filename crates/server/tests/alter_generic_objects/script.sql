-- ALTER FUNCTION / PROCEDURE / ROUTINE / AGGREGATE, ALTER SCHEMA, TYPE, DOMAIN,
-- LANGUAGE, OPERATOR, OPERATOR CLASS / FAMILY: RENAME TO, OWNER TO, SET SCHEMA, and
-- ALTER FUNCTION's attribute actions; CREATE / ALTER / DROP OPERATOR FAMILY, CREATE /
-- DROP OPERATOR CLASS, CREATE / DROP CAST, CREATE / DROP CONVERSION.
CREATE ROLE regress_ag_user1;
CREATE ROLE regress_ag_user2;
CREATE ROLE regress_ag_user3;
GRANT regress_ag_user3 TO regress_ag_user1;
CREATE SCHEMA ag_nsp1;
CREATE SCHEMA ag_nsp2;
GRANT ALL ON SCHEMA ag_nsp1, ag_nsp2 TO public;
SET search_path = ag_nsp1, public;

-- Functions and procedures
SET SESSION AUTHORIZATION regress_ag_user1;
CREATE FUNCTION ag_func1(int) RETURNS int LANGUAGE sql AS 'SELECT $1 + 1';
CREATE FUNCTION ag_func2(int) RETURNS int LANGUAGE sql AS 'SELECT $1 - 1';
CREATE FUNCTION ag_srf(int) RETURNS SETOF int LANGUAGE sql AS 'SELECT generate_series(1, $1)';
CREATE PROCEDURE ag_proc(int) LANGUAGE sql AS 'SELECT 1';
ALTER AGGREGATE ag_func1(int) RENAME TO ag_func3;
ALTER AGGREGATE ag_func1(int) OWNER TO regress_ag_user3;
ALTER FUNCTION ag_func1(int) RENAME TO ag_func2;
ALTER FUNCTION ag_func1(int) RENAME TO ag_func3;
ALTER FUNCTION ag_func2(int) OWNER TO regress_ag_user2;
ALTER FUNCTION ag_func2(int) OWNER TO regress_ag_user3;
ALTER FUNCTION ag_func2(int) SET SCHEMA ag_nsp1;
ALTER FUNCTION ag_func2(int) SET SCHEMA ag_nsp2;
ALTER FUNCTION ag_func2(int) SET SCHEMA ag_missing;
ALTER FUNCTION ag_nope(int) RENAME TO ag_x;
ALTER FUNCTION ag_nope RENAME TO ag_x;
ALTER PROCEDURE ag_func3(int) RENAME TO ag_x;
ALTER FUNCTION ag_proc(int) RENAME TO ag_x;
ALTER PROCEDURE ag_proc(int) RENAME TO ag_proc2;
ALTER ROUTINE ag_proc2(int) OWNER TO regress_ag_user3;
ALTER ROUTINE ag_func3(integer) RENAME TO ag_func4;
ALTER ROUTINE ag_func4 RENAME TO ag_func3;
SELECT ag_func3(1), ag_nsp2.ag_func2(10);

SET SESSION AUTHORIZATION regress_ag_user2;
CREATE FUNCTION ag_func1(int) RETURNS int LANGUAGE sql AS 'SELECT $1 + 2';
ALTER FUNCTION ag_func3(int) RENAME TO ag_func4;
ALTER FUNCTION ag_func3(int) OWNER TO regress_ag_user2;
ALTER FUNCTION ag_func3(int) SET SCHEMA ag_nsp2;
ALTER FUNCTION ag_func1(int) OWNER TO regress_ag_user3;
ALTER FUNCTION ag_func1(int) IMMUTABLE;
ALTER FUNCTION ag_func3(int) STABLE;
RESET SESSION AUTHORIZATION;

-- Attribute actions
ALTER FUNCTION ag_func3(int) IMMUTABLE STRICT LEAKPROOF SECURITY DEFINER COST 7 PARALLEL SAFE;
ALTER FUNCTION ag_srf(int) ROWS 33 STABLE CALLED ON NULL INPUT;
ALTER FUNCTION ag_func3(int) ROWS 10;
ALTER FUNCTION ag_func3(int) COST 0;
ALTER FUNCTION ag_func3(int) COST -1;
ALTER FUNCTION ag_func3(int) NOT LEAKPROOF VOLATILE SECURITY INVOKER RESTRICT;
ALTER FUNCTION ag_srf(int) ROWS 0;
ALTER PROCEDURE ag_proc2(int) SECURITY DEFINER;
SELECT ag_func3(NULL);
SELECT n.nspname, proname, prokind, provolatile, proisstrict, proleakproof, prosecdef,
       procost, prorows, proparallel, a.rolname
  FROM pg_proc p, pg_namespace n, pg_authid a
  WHERE p.pronamespace = n.oid AND p.proowner = a.oid
    AND n.nspname IN ('ag_nsp1', 'ag_nsp2')
  ORDER BY nspname, proname;

-- Schemas
CREATE SCHEMA ag_nsp3;
ALTER SCHEMA ag_nsp3 OWNER TO regress_ag_user1;
ALTER SCHEMA ag_missing OWNER TO regress_ag_user1;
SET SESSION AUTHORIZATION regress_ag_user1;
ALTER SCHEMA ag_nsp3 OWNER TO regress_ag_user2;
ALTER SCHEMA ag_nsp1 OWNER TO regress_ag_user1;
RESET SESSION AUTHORIZATION;
ALTER SCHEMA ag_nsp3 RENAME TO ag_nsp4;
SELECT nspname, a.rolname FROM pg_namespace n, pg_authid a
  WHERE n.nspowner = a.oid AND nspname LIKE 'ag_nsp%' ORDER BY nspname;

-- Types and domains
CREATE TYPE ag_enum AS ENUM ('a', 'b');
CREATE TYPE ag_comp AS (x int, y text);
CREATE DOMAIN ag_dom AS int CHECK (VALUE > 0);
ALTER TYPE ag_enum OWNER TO regress_ag_user1;
ALTER TYPE ag_comp OWNER TO regress_ag_user2;
ALTER DOMAIN ag_dom OWNER TO regress_ag_user1;
ALTER DOMAIN ag_enum OWNER TO regress_ag_user1;
ALTER TYPE ag_missing OWNER TO regress_ag_user1;
ALTER TYPE ag_enum SET SCHEMA ag_nsp2;
ALTER DOMAIN ag_dom SET SCHEMA ag_nsp2;
ALTER TYPE ag_comp SET SCHEMA ag_nsp2;
ALTER DOMAIN ag_nsp2.ag_dom RENAME TO ag_dom2;
SELECT 5::ag_nsp2.ag_dom2, 'b'::ag_nsp2.ag_enum;
SELECT -5::ag_nsp2.ag_dom2;
SET SESSION AUTHORIZATION regress_ag_user2;
ALTER TYPE ag_nsp2.ag_enum OWNER TO regress_ag_user2;
ALTER DOMAIN ag_nsp2.ag_dom2 RENAME TO ag_dom3;
RESET SESSION AUTHORIZATION;
SELECT n.nspname, t.typname, t.typtype, a.rolname
  FROM pg_type t, pg_namespace n, pg_authid a
  WHERE t.typnamespace = n.oid AND t.typowner = a.oid
    AND n.nspname IN ('ag_nsp1', 'ag_nsp2') AND t.typname LIKE 'ag_%'
  ORDER BY nspname, typname;
SELECT c.relname, n.nspname, a.rolname FROM pg_class c, pg_namespace n, pg_authid a
  WHERE c.relnamespace = n.oid AND c.relowner = a.oid AND c.relname = 'ag_comp';

-- Languages, operators, operator classes and families
ALTER LANGUAGE plpgsql OWNER TO regress_ag_user1;
ALTER LANGUAGE ag_missing OWNER TO regress_ag_user1;
ALTER LANGUAGE plpgsql RENAME TO sql;
SELECT lanname, a.rolname FROM pg_language l, pg_authid a
  WHERE l.lanowner = a.oid AND lanname = 'plpgsql';
ALTER LANGUAGE plpgsql OWNER TO postgres;
ALTER OPERATOR @@@@(int4, int4) OWNER TO regress_ag_user1;
ALTER OPERATOR FAMILY ag_missing USING btree OWNER TO regress_ag_user1;
ALTER OPERATOR FAMILY integer_ops USING ag_missing OWNER TO regress_ag_user1;
ALTER OPERATOR CLASS ag_missing USING hash OWNER TO regress_ag_user1;
ALTER OPERATOR CLASS int4_ops USING btree RENAME TO int8_ops;
ALTER OPERATOR FAMILY integer_ops USING btree RENAME TO text_ops;

RESET SESSION AUTHORIZATION;
-- Operator families and classes
CREATE OPERATOR FAMILY ag_opf1 USING hash;
CREATE OPERATOR FAMILY ag_opf1 USING hash;
CREATE OPERATOR FAMILY ag_opf2 USING ag_missing;
CREATE OPERATOR CLASS ag_opc1 FOR TYPE uuid USING hash AS STORAGE uuid;
CREATE OPERATOR CLASS ag_opc1 FOR TYPE uuid USING hash AS STORAGE uuid;
CREATE OPERATOR CLASS ag_opc2 FOR TYPE int4 USING btree FAMILY ag_missing AS OPERATOR 1 <;
CREATE OPERATOR CLASS ag_opc2 FOR TYPE int4 USING btree AS STORAGE int8;
CREATE OPERATOR CLASS ag_opc2 DEFAULT FOR TYPE int4 USING btree AS OPERATOR 1 <;
CREATE OPERATOR CLASS ag_opc2 FOR TYPE int4 USING btree AS
  OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
  FUNCTION 1 btint4cmp(int4, int4);
ALTER OPERATOR CLASS ag_opc1 USING hash RENAME TO ag_opc3;
ALTER OPERATOR FAMILY ag_opf1 USING hash OWNER TO regress_ag_user1;
SELECT opcname, opcintype::regtype, opcdefault, opckeytype, opfname
  FROM pg_opclass c JOIN pg_opfamily f ON f.oid = c.opcfamily
  WHERE opcname LIKE 'ag_%' ORDER BY opcname;
SELECT opfname, amname, rolname FROM pg_opfamily f JOIN pg_am a ON a.oid = opfmethod
  JOIN pg_roles r ON r.oid = opfowner WHERE opfname LIKE 'ag_%' ORDER BY opfname;
SELECT amopstrategy, amoplefttype::regtype, amoprighttype::regtype, amopopr::regoperator, amoppurpose
  FROM pg_amop WHERE amopfamily = (SELECT oid FROM pg_opfamily WHERE opfname = 'ag_opc2')
  ORDER BY amopstrategy;
SELECT amprocnum, amproc::regprocedure FROM pg_amproc
  WHERE amprocfamily = (SELECT oid FROM pg_opfamily WHERE opfname = 'ag_opc2') ORDER BY 1;
CREATE TABLE ag_opc_tab (a int4);
CREATE INDEX ag_opc_idx ON ag_opc_tab (a ag_missing_ops);
DROP TABLE ag_opc_tab;
CREATE OPERATOR FAMILY ag_opf4 USING btree;
ALTER OPERATOR FAMILY ag_opf4 USING btree ADD
  OPERATOR 1 < (int4, int2), OPERATOR 3 = (int4, int2),
  FUNCTION 1 btint42cmp(int4, int2);
ALTER OPERATOR FAMILY ag_opf4 USING btree ADD OPERATOR 1 < (int4, int2);
ALTER OPERATOR FAMILY ag_opf4 USING btree ADD OPERATOR 2 <= (int4, int2), OPERATOR 2 <= (int4, int2);
ALTER OPERATOR FAMILY ag_opf4 USING btree ADD OPERATOR 6 < (int4, int2);
ALTER OPERATOR FAMILY ag_opf4 USING btree ADD OPERATOR 1 < ;
ALTER OPERATOR FAMILY ag_opf4 USING btree ADD FUNCTION 6 btint42cmp(int4, int2);
ALTER OPERATOR FAMILY ag_opf4 USING btree ADD FUNCTION 1 int4pl(int4, int4);
ALTER OPERATOR FAMILY ag_opf4 USING btree ADD FUNCTION 1 btint4cmp(int4);
ALTER OPERATOR FAMILY ag_opf4 USING btree ADD FUNCTION 5 (int4) btint42cmp(int4, int2);
ALTER OPERATOR FAMILY ag_opf4 USING btree ADD FUNCTION 5 (int4, int2) btint42cmp(int4, int2);
ALTER OPERATOR FAMILY ag_opf4 USING btree ADD FUNCTION 4 (int4, int2) btequalimage(oid);
ALTER OPERATOR FAMILY ag_opf4 USING btree ADD OPERATOR 1 + (int4, int4);
ALTER OPERATOR FAMILY ag_opf4 USING btree ADD STORAGE int4;
ALTER OPERATOR FAMILY ag_opf4 USING btree ADD OPERATOR 1 < (int4, int4) FOR ORDER BY float_ops;
ALTER OPERATOR FAMILY ag_opf4 USING hash ADD FUNCTION 1 hashint4(int4, int4);
ALTER OPERATOR FAMILY ag_opf4 USING btree DROP OPERATOR 1 (int4, int2, int8);
ALTER OPERATOR FAMILY ag_opf4 USING btree DROP OPERATOR 2 (int4, int2);
ALTER OPERATOR FAMILY ag_opf4 USING btree DROP OPERATOR 1 (int4, int2), FUNCTION 1 (int4, int2);
SELECT count(*) FROM pg_amop WHERE amopfamily = (SELECT oid FROM pg_opfamily WHERE opfname = 'ag_opf4');
SELECT count(*) FROM pg_amproc WHERE amprocfamily = (SELECT oid FROM pg_opfamily WHERE opfname = 'ag_opf4');
CREATE OPERATOR FAMILY ag_opf5 USING gist;
ALTER OPERATOR FAMILY ag_opf5 USING gist ADD OPERATOR 1 < (int4, int4) FOR ORDER BY float_ops;
SELECT amoppurpose, amopsortfamily::regclass IS NULL AS no_sort FROM pg_amop
  WHERE amopfamily = (SELECT oid FROM pg_opfamily WHERE opfname = 'ag_opf5');
SET SESSION AUTHORIZATION regress_ag_user1;
CREATE OPERATOR FAMILY ag_opf6 USING btree;
ALTER OPERATOR FAMILY ag_opf1 USING hash ADD FUNCTION 1 hashint4(int4);
DROP OPERATOR FAMILY ag_opf4 USING btree;
RESET SESSION AUTHORIZATION;
DROP OPERATOR CLASS ag_opc3 USING hash;
DROP OPERATOR CLASS IF EXISTS ag_opc3 USING hash;
DROP OPERATOR FAMILY IF EXISTS ag_missing USING btree;
DROP OPERATOR FAMILY IF EXISTS ag_opf1 USING ag_missing;
DROP OPERATOR FAMILY ag_missing USING btree;
DROP OPERATOR FAMILY ag_opc2 USING btree;
SELECT count(*) FROM pg_opclass WHERE opcname = 'ag_opc2';
SELECT count(*) FROM pg_amop WHERE amopfamily NOT IN (SELECT oid FROM pg_opfamily);
DROP OPERATOR FAMILY ag_opf1 USING hash;
DROP OPERATOR FAMILY ag_opf4 USING btree;
DROP OPERATOR FAMILY ag_opf5 USING gist;
DROP OPERATOR FAMILY ag_opc1 USING hash;
SELECT count(*) FROM pg_opfamily WHERE opfname LIKE 'ag_%';

-- Casts
CREATE TYPE ag_mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN ag_posint AS int4 CHECK (VALUE > 0);
CREATE FUNCTION ag_int_to_mood(int4) RETURNS ag_mood LANGUAGE sql IMMUTABLE
  AS $$ SELECT (enum_range(NULL::ag_mood))[$1] $$;
CREATE FUNCTION ag_mood_to_int(ag_mood) RETURNS int4 LANGUAGE sql IMMUTABLE
  AS $$ SELECT array_position(enum_range(NULL::ag_mood), $1) $$;
CREATE FUNCTION ag_volatile(int4) RETURNS ag_mood LANGUAGE sql
  AS $$ SELECT 'ok'::ag_mood $$;
CREATE FUNCTION ag_two(int4, int4) RETURNS ag_mood LANGUAGE sql IMMUTABLE
  AS $$ SELECT 'ok'::ag_mood $$;
CREATE FUNCTION ag_cast_srf(int4) RETURNS SETOF ag_mood LANGUAGE sql IMMUTABLE
  AS $$ SELECT 'ok'::ag_mood $$;
SELECT 2::ag_mood;
CREATE CAST (int4 AS ag_mood) WITH FUNCTION ag_int_to_mood(int4);
CREATE CAST (int4 AS ag_mood) WITH FUNCTION ag_int_to_mood(int4);
SELECT 2::ag_mood, CAST(3 AS ag_mood);
CREATE TABLE ag_moods (m ag_mood);
INSERT INTO ag_moods VALUES (1);
DROP CAST (int4 AS ag_mood);
CREATE CAST (int4 AS ag_mood) WITH FUNCTION ag_int_to_mood(int4) AS ASSIGNMENT;
INSERT INTO ag_moods VALUES (1), (3);
SELECT m FROM ag_moods ORDER BY m;
SELECT ag_mood_to_int('happy') + 1;
CREATE CAST (ag_mood AS int4) WITH FUNCTION ag_mood_to_int(ag_mood) AS IMPLICIT;
SELECT m, m + 10 AS plus FROM ag_moods ORDER BY plus;
SELECT m FROM ag_moods ORDER BY m DESC;
SELECT DISTINCT m FROM ag_moods ORDER BY 1;
SELECT castsource::regtype, casttarget::regtype, p.proname, castcontext, castmethod
  FROM pg_cast c LEFT JOIN pg_proc p ON p.oid = c.castfunc
  WHERE c.oid >= 16384 ORDER BY 1, 2;
CREATE CAST (int8 AS ag_mood) WITH FUNCTION ag_int_to_mood(int4);
CREATE CAST (int4 AS text) WITH FUNCTION ag_int_to_mood(int4);
CREATE CAST (int4 AS ag_mood) WITH FUNCTION ag_volatile(int4);
CREATE CAST (int2 AS ag_mood) WITH FUNCTION ag_two(int4, int4);
CREATE CAST (int4 AS ag_mood) WITH FUNCTION ag_cast_srf(int4);
CREATE CAST (int4 AS ag_mood) WITH FUNCTION ag_missing(int4);
CREATE CAST (int4 AS ag_missing) WITH INOUT;
CREATE CAST (int4 AS anyelement) WITH INOUT;
CREATE CAST (int4 AS int4) WITH INOUT;
CREATE CAST (int4 AS int8) WITH INOUT;
CREATE CAST (int4 AS ag_posint) WITH INOUT;
DROP CAST (int4 AS ag_posint);
CREATE CAST (int4 AS text) WITHOUT FUNCTION;
CREATE CAST (text[] AS varchar[]) WITHOUT FUNCTION;
CREATE CAST (ag_mood AS text) WITH INOUT AS IMPLICIT;
SELECT length('happy'::ag_mood);
CREATE CAST (bool AS ag_mood) WITH INOUT;
SELECT true::ag_mood;
DROP CAST (int4 AS int8);
DROP CAST (int8 AS ag_mood);
DROP CAST IF EXISTS (int8 AS ag_mood);
DROP CAST IF EXISTS (int8 AS ag_missing);
SET ROLE regress_ag_user2;
DROP CAST (bool AS ag_mood);
CREATE CAST (bool AS int2) WITH INOUT;
RESET ROLE;
DROP CAST (int4 AS ag_mood);
DROP CAST (ag_mood AS int4);
DROP CAST (ag_mood AS text);
DROP CAST (bool AS ag_mood);
SELECT count(*) FROM pg_cast WHERE oid >= 16384;
SELECT 2::ag_mood;
DROP TABLE ag_moods;
DROP FUNCTION ag_int_to_mood(int4), ag_mood_to_int(ag_mood), ag_volatile(int4), ag_two(int4, int4), ag_cast_srf(int4);
DROP DOMAIN ag_posint;
DROP TYPE ag_mood;

-- Objects casts depend on
CREATE TYPE ag_mood AS ENUM ('sad', 'ok', 'happy');
CREATE FUNCTION ag_int_to_mood(int4) RETURNS ag_mood LANGUAGE sql IMMUTABLE
  AS $$ SELECT (enum_range(NULL::ag_mood))[$1] $$;
CREATE CAST (int4 AS ag_mood) WITH FUNCTION ag_int_to_mood(int4);
CREATE CAST (ag_mood AS text) WITH INOUT;
DROP FUNCTION ag_int_to_mood(int4);
DROP FUNCTION ag_int_to_mood(int4) CASCADE;
SELECT 1::ag_mood;
CREATE CAST (int4 AS ag_mood) WITH INOUT;
DROP TYPE ag_mood;
DROP TYPE ag_mood CASCADE;
SELECT count(*) FROM pg_cast WHERE oid >= 16384;

-- Conversions
CREATE CONVERSION ag_conv1 FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8;
CREATE CONVERSION ag_conv1 FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8;
CREATE DEFAULT CONVERSION ag_conv2 FOR 'latin1' TO 'utf-8' FROM iso8859_1_to_utf8;
CREATE DEFAULT CONVERSION ag_conv3 FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8;
CREATE CONVERSION ag_conv4 FOR 'NOPE' TO 'UTF8' FROM iso8859_1_to_utf8;
CREATE CONVERSION ag_conv4 FOR 'LATIN1' TO 'NOPE' FROM iso8859_1_to_utf8;
CREATE CONVERSION ag_conv4 FOR 'SQL_ASCII' TO 'UTF8' FROM iso8859_1_to_utf8;
CREATE CONVERSION ag_conv4 FOR 'LATIN1' TO 'UTF8' FROM ag_missing;
CREATE CONVERSION ag_conv4 FOR 'LATIN1' TO 'UTF8' FROM lower;
SELECT conname, pg_encoding_to_char(conforencoding) AS from_enc,
       pg_encoding_to_char(contoencoding) AS to_enc, conproc, condefault
  FROM pg_conversion WHERE conname LIKE 'ag_%' ORDER BY conname;
ALTER CONVERSION ag_conv1 RENAME TO ag_conv5;
ALTER CONVERSION ag_conv5 OWNER TO regress_ag_user2;
SET ROLE regress_ag_user3;
DROP CONVERSION ag_conv5;
RESET ROLE;
DROP CONVERSION ag_conv5, ag_conv2;
DROP CONVERSION ag_conv5;
DROP CONVERSION IF EXISTS ag_conv5;
SELECT count(*) FROM pg_conversion WHERE conname LIKE 'ag_%';

-- DROP OPERATOR, and IF EXISTS with missing schemas
DROP OPERATOR @#@ (int, int);
DROP OPERATOR IF EXISTS @#@ (int, int);
DROP OPERATOR IF EXISTS @#@ (int, ag_no_such_type);
DROP OPERATOR IF EXISTS ag_no_such_schema.@#@ (int, int);
DROP OPERATOR + (int4, int4);
DROP OPERATOR - (NONE, int4);
DROP OPERATOR IF EXISTS @#@ (int, int), ~~~ (text, text);
DROP CAST IF EXISTS (INTEGER AS ag_no_such_schema.bar);
DROP CAST IF EXISTS (ag_no_such_type AS INTEGER);
DROP CONVERSION IF EXISTS ag_no_such_schema.foo;

-- ALTER OPERATOR ... SET
BEGIN;
ALTER OPERATOR = (int4, int4) SET (RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
SELECT oprrest, oprjoin FROM pg_operator WHERE oid = '=(int4,int4)'::regoperator;
ALTER OPERATOR = (int4, int4) SET (RESTRICT = NONE, JOIN = NONE);
SELECT oprrest, oprjoin FROM pg_operator WHERE oid = '=(int4,int4)'::regoperator;
ROLLBACK;
ALTER OPERATOR = (int4, int4) SET (COMMUTATOR = <>);
ALTER OPERATOR = (int4, int4) SET (NEGATOR = <>);
ALTER OPERATOR = (int4, int4) SET ("Restrict" = eqsel);
ALTER OPERATOR = (int4, int4) SET (RESTRICT = ag_no_such_func);
ALTER OPERATOR = (int4, int4) SET (JOIN = ag_no_such_func);
ALTER OPERATOR = (int4, int4) SET (RESTRICT = int4pl);
ALTER OPERATOR + (int4, int4) SET (RESTRICT = eqsel);
ALTER OPERATOR @#@ (int4, int4) SET (RESTRICT = eqsel);
SET ROLE regress_ag_user2;
ALTER OPERATOR = (int4, int4) SET (RESTRICT = eqsel);
RESET ROLE;
SELECT oprrest, oprjoin FROM pg_operator WHERE oid = '=(int4,int4)'::regoperator;

-- DROP SCHEMA with operator families, classes and conversions in it
CREATE SCHEMA ag_s;
CREATE OPERATOR FAMILY ag_s.f1 USING btree;
CREATE OPERATOR CLASS ag_s.c1 FOR TYPE int4 USING hash AS OPERATOR 1 =;
CREATE CONVERSION ag_s.conv1 FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8;
DROP SCHEMA ag_s;
DROP SCHEMA ag_s CASCADE;
SELECT count(*) FROM pg_opfamily WHERE opfname IN ('f1', 'c1');
SELECT count(*) FROM pg_opclass WHERE opcname = 'c1';
SELECT count(*) FROM pg_conversion WHERE conname = 'conv1';

DROP FUNCTION ag_func1(int), ag_func3(int), ag_srf(int), ag_nsp2.ag_func2(int);
DROP PROCEDURE ag_proc2(int);
SET client_min_messages = warning;
DROP SCHEMA ag_nsp1, ag_nsp2, ag_nsp4 CASCADE;
RESET client_min_messages;
DROP ROLE regress_ag_user1;
DROP ROLE regress_ag_user2;
DROP ROLE regress_ag_user3;
