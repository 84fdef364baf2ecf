-- User-defined aggregates (CREATE / DROP AGGREGATE), ordered-set and
-- hypothetical-set aggregates, and the regression family of built-ins.
CREATE TABLE pts (g int, x float8, y float8, n int, t text);
INSERT INTO pts VALUES
  (1, 1, 2, 10, 'a'), (1, 2, 4.5, 20, 'b'), (1, 3, 5.5, NULL, 'b'),
  (1, 4, 9, 40, NULL), (2, 10, 1, 5, 'c'), (2, 20, -3, 5, 'c'),
  (2, NULL, 7, 7, 'd'), (3, 5, NULL, NULL, NULL);

-- regression, covariance and correlation (float8 output as PostgreSQL prints it)
SELECT g, regr_count(y, x), regr_sxx(y, x), regr_syy(y, x), regr_sxy(y, x),
       regr_avgx(y, x), regr_avgy(y, x), regr_r2(y, x), regr_slope(y, x),
       regr_intercept(y, x), covar_pop(y, x), covar_samp(y, x), corr(y, x)
FROM pts GROUP BY g ORDER BY g;
SELECT regr_slope(y, x), regr_intercept(y, x), corr(y, x) FROM pts;
SELECT regr_count(y, x), covar_samp(y, x) FROM pts WHERE false;
SELECT corr(n, n) FROM pts;

-- the float aggregates' state functions, called directly and as a user aggregate's
SELECT float8_accum('{4,140,2900}'::float8[], 100);
SELECT float8_regr_accum('{4,140,2900,1290,83075,15050}'::float8[], 200, 100);
SELECT float8_combine('{3,60,200}'::float8[], '{2,180,200}'::float8[]);
SELECT float8_regr_combine('{3,60,200,750,20000,2000}'::float8[], '{2,180,200,740,57800,-3400}'::float8[]);
SELECT float8_regr_combine('{0,0,0,0,0,0}'::float8[], '{2,180,200,740,57800,-3400}'::float8[]);
SELECT float8_var_samp('{5,240,6280}'), float8_stddev_pop('{5,240,6280}'), float8_avg('{5,240,6280}'), float8_var_pop('{0,0,0}');
SELECT float8_regr_slope('{5,240,6280,1490,95080,8680}'), float8_corr('{5,240,6280,1490,95080,8680}'), float8_covar_samp('{5,240,6280,1490,95080,8680}'), float8_regr_intercept('{5,240,6280,1490,95080,8680}');
SELECT float8_accum('{4,140}'::float8[], 100);
SELECT float8_combine('{3,1e308,200}'::float8[], '{2,1e308,200}'::float8[]);
CREATE AGGREGATE my_var(float8) (SFUNC = float8_accum, STYPE = float8[], FINALFUNC = float8_var_samp, COMBINEFUNC = float8_combine, INITCOND = '{0,0,0}');
SELECT my_var(x), var_samp(x) FROM (VALUES (1.5::float8), (2), (7.25), (NULL)) v(x);
CREATE AGGREGATE my_slope(float8, float8) (SFUNC = float8_regr_accum, STYPE = float8[], FINALFUNC = float8_regr_slope, INITCOND = '{0,0,0,0,0,0}');
SELECT my_slope(y, x), regr_slope(y, x) FROM (VALUES (1.5::float8, 2::float8), (2, 3), (7.25, 1)) v(y, x);

-- the built-in aggregates' simple state functions
SELECT booland_statefunc(NULL, NULL) IS NULL, booland_statefunc(TRUE, TRUE), booland_statefunc(TRUE, FALSE),
  boolor_statefunc(FALSE, NULL) IS NULL, boolor_statefunc(FALSE, TRUE), boolor_statefunc(FALSE, FALSE);
SELECT int4_sum(NULL, 5), int4_sum(7, NULL), int4_sum(7, 5), int2_sum(NULL, NULL::int2) IS NULL;
SELECT int4_avg_accum('{2,10}', 5), int2_avg_accum('{0,0}', 3::int2), int8_avg('{3,10}'), int8_avg('{0,0}') IS NULL;
CREATE AGGREGATE newavg (sfunc = int4_avg_accum, basetype = int4, stype = _int8, finalfunc = int8_avg, initcond1 = '{0,0}');
SELECT newavg(v) FROM (VALUES (1), (2), (NULL), (4)) t(v);
CREATE AGGREGATE mysum4(int4) (SFUNC = int4_sum, STYPE = int8);
SELECT mysum4(v) FROM (VALUES (1), (2), (NULL), (4)) t(v);
CREATE AGGREGATE myand(bool) (SFUNC = booland_statefunc, STYPE = bool);
SELECT myand(v) FROM (VALUES (true), (NULL), (false)) t(v);

-- DISTINCT with ORDER BY over an argument the aggregate coerces
create temp table vt (f1 varchar(10));
insert into vt values ('b'), ('a'), ('b'), (NULL);
select string_agg(distinct f1, ',' order by f1) from vt;
select string_agg(distinct f1::text, ',' order by f1) from vt;
select string_agg(distinct f1, ',' order by f1::text) from vt;

-- new-style definitions with built-in functions
CREATE AGGREGATE mysum(int) (SFUNC = int4pl, STYPE = int);
SELECT g, mysum(n) FROM pts GROUP BY g ORDER BY g;
CREATE AGGREGATE mysum0(int) (SFUNC = int4pl, STYPE = int, INITCOND = '0');
SELECT g, mysum0(n) FROM pts GROUP BY g ORDER BY g;
SELECT mysum(n), mysum0(n) FROM pts WHERE false;

-- SQL and PL/pgSQL transition and final functions
CREATE FUNCTION cat_step(text, text) RETURNS text LANGUAGE sql
  AS $$ SELECT coalesce($1 || ',', '') || coalesce($2, '?') $$;
CREATE FUNCTION cat_final(text) RETURNS text LANGUAGE plpgsql
  AS $$ BEGIN RETURN '[' || coalesce($1, '') || ']'; END $$;
CREATE AGGREGATE cat(text) (SFUNC = cat_step, STYPE = text, FINALFUNC = cat_final);
SELECT g, cat(t ORDER BY t) FROM pts GROUP BY g ORDER BY g;
SELECT cat(t) FROM pts WHERE false;

-- strict transition function: NULL inputs skipped, first value becomes the state
CREATE FUNCTION strict_max(int, int) RETURNS int STRICT LANGUAGE sql
  AS $$ SELECT greatest($1, $2) $$;
CREATE AGGREGATE smax(int) (SFUNC = strict_max, STYPE = int);
SELECT g, smax(n) FROM pts GROUP BY g ORDER BY g;

-- old-style definition
CREATE AGGREGATE oldcount (BASETYPE = 'ANY', SFUNC = int8inc, STYPE = int8, INITCOND = '0');
SELECT oldcount(*) FROM pts;
CREATE AGGREGATE oldsum (BASETYPE = float8, SFUNC = float8pl, STYPE = float8);
SELECT oldsum(x) FROM pts;

-- polymorphic aggregates
CREATE AGGREGATE bad(anyelement) (SFUNC = array_append, STYPE = anyarray, INITCOND = '{}');
CREATE FUNCTION add_elem(anyarray, anyelement) RETURNS anyarray LANGUAGE sql
  AS $$ SELECT $1 || $2 $$;
CREATE AGGREGATE collect(anyelement) (SFUNC = add_elem, STYPE = anyarray, INITCOND = '{}');
SELECT g, collect(n ORDER BY n) FROM pts GROUP BY g ORDER BY g;
SELECT collect(t ORDER BY t) FROM pts;

-- FINALFUNC_EXTRA
CREATE FUNCTION first_final(anyarray, anyelement) RETURNS anyelement LANGUAGE sql
  AS $$ SELECT $1[1] $$;
CREATE AGGREGATE first_of(anyelement) (SFUNC = add_elem, STYPE = anyarray,
  FINALFUNC = first_final, FINALFUNC_EXTRA);
SELECT first_of(x ORDER BY x DESC) FROM pts WHERE x IS NOT NULL;

-- a user aggregate as a window function
SELECT x, mysum(n) OVER (ORDER BY x) FROM pts WHERE x IS NOT NULL ORDER BY x;

-- catalog rows
SELECT proname, prokind, prorettype::regtype, pronargs
FROM pg_proc WHERE proname IN ('mysum', 'cat', 'collect', 'oldcount') ORDER BY proname;
SELECT aggfnoid::regproc, aggkind, aggnumdirectargs, aggtransfn, aggfinalfn,
       aggfinalextra, aggfinalmodify, aggtranstype::regtype, agginitval
FROM pg_aggregate WHERE aggfnoid::regproc::text IN ('mysum', 'mysum0', 'cat', 'first_of')
ORDER BY 1::text;

-- OR REPLACE
CREATE OR REPLACE AGGREGATE mysum(int) (SFUNC = int4pl, STYPE = int, INITCOND = '100');
SELECT mysum(n) FROM pts;

-- definition errors
CREATE AGGREGATE bad(int) (SFUNC = int4pl);
CREATE AGGREGATE bad(int) (STYPE = int);
CREATE AGGREGATE bad(int) (SFUNC = nosuch, STYPE = int);
CREATE AGGREGATE bad(int) (SFUNC = int4pl, STYPE = text);
CREATE AGGREGATE bad(int8) (SFUNC = int4pl, STYPE = int);
CREATE AGGREGATE bad(int2) (SFUNC = int4pl, STYPE = int);
CREATE AGGREGATE bad(int) (SFUNC = int4pl, STYPE = int, INITCOND = 'x');
CREATE AGGREGATE bad (SFUNC = int4pl, STYPE = int);
CREATE AGGREGATE mysum(int) (SFUNC = int4pl, STYPE = int);
CREATE AGGREGATE bad(int) (SFUNC = int4pl, STYPE = int, FINALFUNC = nosuch);
CREATE AGGREGATE bad(int) (SFUNC = int4pl, STYPE = anyelement);
CREATE AGGREGATE bad(text) (SFUNC = strict_max, STYPE = int);

CREATE AGGREGATE bad ("Sfunc1" = int4pl, "Basetype" = int4, "Stype1" = int4);
CREATE AGGREGATE bad(int) (SFUNC = int4pl, STYPE = int, SERIALFUNC = int4send);
CREATE AGGREGATE bad(int) (SFUNC = int4pl, STYPE = int, SERIALFUNC = int4send,
  DESERIALFUNC = int4recv);
CREATE AGGREGATE bad(int) (SFUNC = int4pl, STYPE = int, MSFUNC = int4pl);
CREATE AGGREGATE bad(int) (SFUNC = int4pl, STYPE = int, MSTYPE = int, MSFUNC = int4pl);
CREATE FUNCTION int4mi_lax(int, int) RETURNS int LANGUAGE sql AS $$ SELECT $1 - $2 $$;
CREATE AGGREGATE bad(int) (SFUNC = int4pl, STYPE = int, MSTYPE = int, MSFUNC = int4pl,
  MINVFUNC = int4mi_lax);
CREATE AGGREGATE bad(int) (SFUNC = int4pl, STYPE = int, MSTYPE = int, MSFUNC = int4pl,
  MINVFUNC = int8mi);
CREATE AGGREGATE msum(int) (SFUNC = int4pl, STYPE = int, MSTYPE = int, MSFUNC = int4pl,
  MINVFUNC = int4mi);
SELECT x, msum(n) OVER (ORDER BY x ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
FROM pts WHERE x IS NOT NULL ORDER BY x;

-- transition functions that would need run-time coercion
CREATE FUNCTION least_accum(int8, int8) RETURNS int8 LANGUAGE sql AS 'SELECT least($1, $2)';
CREATE AGGREGATE least_agg(int4) (STYPE = int8, SFUNC = least_accum);
DROP FUNCTION least_accum(int8, int8);
CREATE FUNCTION least_accum(anycompatible, anycompatible) RETURNS anycompatible
  LANGUAGE sql AS 'SELECT least($1, $2)';
CREATE AGGREGATE least_agg(int4) (STYPE = int8, SFUNC = least_accum);
CREATE AGGREGATE least_agg(int8) (STYPE = int8, SFUNC = least_accum);
SELECT least_agg(n::int8) FROM pts;
SELECT aggfnoid, aggtranstype::regtype FROM pg_aggregate WHERE aggfnoid = 'least_agg'::regproc;
DROP FUNCTION least_accum(anycompatible, anycompatible);
DROP FUNCTION least_accum(anycompatible, anycompatible) CASCADE;

-- variadic aggregates
CREATE FUNCTION least_of(anyelement, VARIADIC anyarray) RETURNS anyelement LANGUAGE sql
  AS 'SELECT least($1, min($2[i])) FROM generate_subscripts($2, 1) g(i)';
CREATE AGGREGATE least_all(VARIADIC items anyarray) (STYPE = anyelement, SFUNC = least_of);
SELECT least_all(x, y) FROM pts;
SELECT least_all(VARIADIC ARRAY[n, g]) FROM pts;

-- replacing: return type and kind must stay
CREATE OR REPLACE AGGREGATE mysum0(int) (SFUNC = int4pl, STYPE = int, FINALFUNC = int4out);
CREATE OR REPLACE AGGREGATE mysum0(ORDER BY int) (SFUNC = int4pl, STYPE = int);
CREATE OR REPLACE AGGREGATE strict_max(int, int) (SFUNC = int4pl, STYPE = int);

-- ordered-set aggregates
SELECT g, percentile_cont(0.5) WITHIN GROUP (ORDER BY x),
       percentile_disc(0.5) WITHIN GROUP (ORDER BY x),
       mode() WITHIN GROUP (ORDER BY t)
FROM pts GROUP BY g ORDER BY g;
SELECT percentile_cont(ARRAY[0, 0.25, 0.5, 1]) WITHIN GROUP (ORDER BY x),
       percentile_disc(ARRAY[0.1, NULL, 0.9]) WITHIN GROUP (ORDER BY n)
FROM pts;
SELECT percentile_cont(0.3) WITHIN GROUP (ORDER BY i * interval '1 hour')
FROM generate_series(1, 5) i;
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM pts WHERE false;
SELECT percentile_cont(1.5) WITHIN GROUP (ORDER BY x) FROM pts;
SELECT mode() WITHIN GROUP (ORDER BY n DESC) FROM pts;

-- hypothetical-set aggregates
SELECT rank(5) WITHIN GROUP (ORDER BY n), dense_rank(5) WITHIN GROUP (ORDER BY n),
       percent_rank(5) WITHIN GROUP (ORDER BY n), cume_dist(5) WITHIN GROUP (ORDER BY n)
FROM pts;
SELECT rank(20) WITHIN GROUP (ORDER BY n DESC NULLS LAST),
       rank(3, 'b') WITHIN GROUP (ORDER BY x, t) FROM pts;
SELECT rank(3) WITHIN GROUP (ORDER BY n) FROM pts WHERE false;

-- user-defined ordered-set and hypothetical-set aggregates (their transition
-- functions see the rows unsorted)
CREATE FUNCTION os_step(text, text) RETURNS text LANGUAGE sql AS $$ SELECT coalesce($1 || '|', '') || $2 $$;
CREATE FUNCTION os_final(text, int) RETURNS text LANGUAGE sql AS $$ SELECT left($1, $2) $$;
CREATE AGGREGATE first_chars(int ORDER BY text) (SFUNC = os_step, STYPE = text, FINALFUNC = os_final);
SELECT first_chars(5) WITHIN GROUP (ORDER BY t) FROM (VALUES ('b'), ('a'), ('c'), (NULL)) v(t);
SELECT first_chars(3) WITHIN GROUP (ORDER BY t DESC) FROM (VALUES ('b'), ('a'), ('c')) v(t);
SELECT first_chars(t) FROM (VALUES ('b')) v(t);
SELECT aggkind, aggnumdirectargs FROM pg_aggregate WHERE aggfnoid = 'first_chars'::regproc;
CREATE FUNCTION hyp_step(int, int, int) RETURNS int LANGUAGE sql AS $$ SELECT coalesce($1, 0) + 1 $$;
CREATE AGGREGATE hcount(int ORDER BY int) (SFUNC = hyp_step, STYPE = int, HYPOTHETICAL);
CREATE AGGREGATE bad_os(int ORDER BY text) (SFUNC = os_step, STYPE = int);
DROP AGGREGATE first_chars(int ORDER BY text);
DROP AGGREGATE first_chars(int, text);

CREATE AGGREGATE my_rank(VARIADIC "any" ORDER BY VARIADIC "any") (STYPE = internal,
  SFUNC = ordered_set_transition_multi, FINALFUNC = rank_final, FINALFUNC_EXTRA = true,
  HYPOTHETICAL);
SELECT aggkind, aggnumdirectargs, aggtransfn, aggfinalfn, aggfinalextra, aggfinalmodify
FROM pg_aggregate WHERE aggfnoid = 'my_rank'::regproc;
SELECT pronargs, provariadic::regtype FROM pg_proc WHERE proname = 'my_rank';
DROP AGGREGATE my_rank(VARIADIC "any" ORDER BY VARIADIC "any");

-- WITHIN GROUP errors
SELECT rank(3) FROM pts;
SELECT mode(n) FROM pts;
SELECT sum(n) WITHIN GROUP (ORDER BY n) FROM pts;
SELECT rank(1, 2) WITHIN GROUP (ORDER BY n) FROM pts;
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) OVER () FROM pts;

-- DROP AGGREGATE
DROP AGGREGATE mysum(text);
DROP AGGREGATE IF EXISTS mysum(text);
DROP FUNCTION mysum(int);
DROP AGGREGATE cat_step(text, text);
DROP AGGREGATE mysum(int), mysum0(int);
DROP AGGREGATE oldcount(*);
SELECT mysum(n) FROM pts;
DROP AGGREGATE cat(text), smax(int), oldsum(float8), collect(anyelement), first_of(anyelement);
SELECT count(*) FROM pg_aggregate WHERE aggfnoid::oid >= 16384;
