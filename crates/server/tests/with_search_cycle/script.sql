-- WITH RECURSIVE ... SEARCH DEPTH|BREADTH FIRST and CYCLE, and their errors.
create table edges (f int, t int, label text);
insert into edges values
  (1, 2, 'arc 1 -> 2'), (1, 3, 'arc 1 -> 3'), (2, 3, 'arc 2 -> 3'),
  (1, 4, 'arc 1 -> 4'), (4, 5, 'arc 4 -> 5'), (5, 1, 'arc 5 -> 1');
with recursive g(f, t, label) as (
  select * from edges where f = 1
  union all
  select e.* from edges e, g where e.f = g.t and e.f <> 1
) search depth first by f, t set seq
select * from g order by seq;
with recursive g(f, t, label) as (
  select * from edges where f = 1
  union all
  select e.* from edges e, g where e.f = g.t and e.f <> 1
) search breadth first by f, t set seq
select * from g order by seq;
with recursive g(f, t, label) as (
  select * from edges
  union all
  select e.* from edges e join g on e.f = g.t
) cycle f, t set is_cycle using path
select * from g order by path;
with recursive g(f, t, label) as (
  select * from edges
  union distinct
  select e.* from edges e, g where e.f = g.t
) cycle f, t set is_cycle to 'Y' default 'N' using path
select count(*), count(*) filter (where is_cycle = 'Y') from g;
-- The added columns can be named in the recursive term but * leaves them out.
with recursive test as (
  select 0 as x
  union all
  select (x + 1) % 4 from test where not is_cycle
) cycle x set is_cycle using path
select * from test;
with recursive a as (select 1 as b union all select * from a) cycle b set c using p
select * from a;
with recursive a as (select 1 as b union all select b + 1 from a where b < 3)
  search breadth first by b set s cycle b set c using p
select * from a order by s;
-- Errors
with recursive g(f, t, label) as (select * from edges union all select e.* from edges e, g where e.f = g.t)
  search depth first by foo set seq select * from g;
with recursive g(f, t, label) as (select * from edges union all select e.* from edges e, g where e.f = g.t)
  search depth first by f, f set seq select * from g;
with recursive g(f, t, label) as (select * from edges union all select e.* from edges e, g where e.f = g.t)
  search depth first by f set label select * from g;
with recursive g(f, t, label) as (select * from edges union all select e.* from edges e, g where e.f = g.t)
  cycle f set c to true default 55 using p select * from g;
with recursive g(f, t, label) as (select * from edges union all select e.* from edges e, g where e.f = g.t)
  cycle f set c to point '(1,1)' default point '(0,0)' using p select * from g;
with recursive g(f, t, label) as (select * from edges union all select e.* from edges e, g where e.f = g.t)
  cycle f set c using c select * from g;
with recursive g(f, t, label) as (select * from edges union all select e.* from edges e, g where e.f = g.t)
  search depth first by f set c cycle f set c using p select * from g;
with recursive g(f, t, label) as (select * from edges union all select * from edges union all select e.* from edges e, g where e.f = g.t)
  search depth first by f set seq select * from g;
with recursive x(col) as (select 1 union (with x as (select * from x) select * from x))
  search depth first by col set seq select * from x;
with recursive s(f) as (select 1) search depth first by f set seq select * from s;
with recursive x(n) as (select 1 union all select n + 1 from x order by 1) select * from x;
with recursive x(n) as (select 1 union all select n + 1 from x limit 10 offset 1) select * from x;
drop table edges;
