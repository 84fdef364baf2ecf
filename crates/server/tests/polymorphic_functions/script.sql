-- Polymorphic SQL functions: each call analyses the body for the types its
-- arguments fix.
create function poly_inc(x anyelement) returns anyelement as $$
  select x + 1
$$ language sql;
select poly_inc(42) as int, poly_inc(4.5) as num, pg_typeof(poly_inc(2::int8));
select poly_inc(v) from (values (1), (2), (3)) t(v) order by 1;

create function poly_pair(x anyelement) returns anyarray as $$
  select array[x, x]
$$ language sql;
select poly_pair(7), poly_pair('a'::text), pg_typeof(poly_pair(1.5));

create function poly_first(x anyarray) returns anyelement as $$
  select x[1]
$$ language sql;
select poly_first(array[2,4]) as int, poly_first(array['x','y']) as txt;

create function poly_bounds(x anyrange) returns anyarray as $$
  select array[lower(x), upper(x)]
$$ language sql;
select poly_bounds(int4range(42, 49)) as int, poly_bounds(numrange(4.5, 7.8)) as num;

create function poly_compat(x anycompatible, y anycompatible) returns anycompatiblearray as $$
  select array[x, y]
$$ language sql;
select poly_compat(2, 4) as int, poly_compat(2, 4.5) as num, pg_typeof(poly_compat(2, 4.5));

-- unknown literals
select poly_inc(null);
select poly_compat(1, '2');

-- OUT parameters of polymorphic types, and both families at once
create function poly_out(a anyelement, b anyarray, c anycompatible, d anycompatible,
                         out x anyarray, out y anycompatiblearray) as $$
  select a || b, array[c, d]
$$ language sql;
select x, pg_typeof(x), y, pg_typeof(y) from poly_out(11, array[1, 2], 42, 34.5);
select poly_out(1, array[2], 'a'::text, 'b');

-- set-returning polymorphic function
create function poly_repeat(x anyelement, n int) returns setof anyelement as $$
  select x from generate_series(1, n)
$$ language sql;
select * from poly_repeat('ab'::text, 3);
select poly_repeat(1.5, 2);

-- a result no input fixes
create function poly_bad(x int) returns anyelement as $$ select 1 $$ language sql;

-- ROWS FROM zips functions side by side, padding the shorter with NULLs
select * from rows from(generate_series(1,3), generate_series(10,11)) with ordinality as g(a, b, o);
select * from rows from(unnest(array[10,20], array['foo','bar']), generate_series(101,103)) as z(a, b, c);
select * from rows from(poly_repeat('x'::text, 2), poly_out(1, array[2], 3, 4)) with ordinality;
select * from rows from(json_to_record('{"a":1,"b":"two"}') as (a int, b text), generate_series(1,2));
select v, g.* from (values (1), (2)) t(v), rows from(generate_series(1, v), poly_repeat(v, 1)) g order by 1, 2;
select * from rows from(generate_series(1,2), generate_series(1,2)) as (a int);
