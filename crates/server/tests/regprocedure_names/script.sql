-- regprocedure input and output of user-defined and built-in functions.
CREATE SCHEMA rps;
CREATE FUNCTION rps.f(int, text) RETURNS int LANGUAGE sql AS 'SELECT $1';
CREATE FUNCTION g(int) RETURNS int LANGUAGE sql AS 'SELECT $1';
SELECT 'rps.f(int, text)'::regprocedure;
SELECT 'rps.f(integer,text)'::regprocedure::oid = (SELECT oid FROM pg_proc WHERE proname = 'f');
SELECT 'g(int4)'::regprocedure;
SELECT 'g(text)'::regprocedure;
SELECT 'rps.g(int)'::regprocedure;
SELECT 'nope.g(int)'::regprocedure;
SELECT 'abs(int)'::regprocedure;
SELECT 'pg_catalog.abs(integer)'::regprocedure;
DROP SCHEMA rps CASCADE;
DROP FUNCTION g(int);
