create table mt (a int, b text, c int);
insert into mt values (1, 'x', 10), (2, 'y', 20), (3, 'z', 30);
create table ms (k int, v text, w int);
insert into ms values (1, 'one', 100), (2, 'two', 200), (2, 'deux', 201);
update mt set (b, c) = (select v, w from ms where k = mt.a) where a = 1 returning *;
update mt set (b, c) = (select v, w from ms where k = mt.a) where a = 2;
update mt set (b, c) = (select v, w from ms where k = mt.a) where a = 3 returning *;
update mt set (b, c) = (select v from ms where k = mt.a);
update mt set (b, c) = (select v, w, k from ms where k = mt.a);
update mt set (c, b) = (select 5, 'five'), a = a + 10 returning *;
update mt set (c, b) = (select 6, 'six'), (a, c) = (select 1, 2);
update mt set (c, a) = (select a, c) returning *;
update mt set (b, c) = (select 'q' || a, count(*) from ms) returning *;
update mt set (b, c) = (select 1, 2 union all select 3, 4 limit 0) returning *;
update mt set (b, c) = (select '7', 7), (a) = (select 2) returning *;
update mt set (b, c) = (select 'r', 'not an int') ;
update mt set (b, c) = (select 'r', '12') returning *;
update mt set (b, c) = (select 'r', 12.5) returning *;
update mt set (b, c) = (select 's', random() * 0 + a) returning *;
create table mu (i int primary key, j text, k int);
insert into mu values (1, 'a', 1);
insert into mu values (1, 'b', 2) on conflict (i) do update set (j, k) = (select excluded.j || mu.j, excluded.k + 100) returning *;
insert into mu values (1, 'b', 2) on conflict (i) do update set (j, k) = (select 'x') returning *;
prepare p(int) as update mt set (b, c) = (select v, w from ms where k = $1) where a = 12 returning *;
execute p(1);
with s as (update mt set (b, c) = (select 'cte', 99) where a = 13 returning *) select * from s;
create view mv as select * from mt;
update mv set (b, c) = (select 'view', a * 2) returning *;
update mt set (b, c) = (select 'default', default);
update mt set (b, c) = (select v, w from ms where k = 2);
-- the subquery runs once per row for all its columns
create sequence msq;
update mt set (a, c) = (select nextval('msq'), currval('msq'));
select count(*) filter (where a = c) as same, count(*) as rows, currval('msq') as calls from mt;
update mt set (b, c) = (select x::text, x from (select (random() * 1000000)::int as x) s);
select count(*) from mt where b <> c::text;
-- an uncorrelated subquery gives every row the same one row
update mt set (b, c) = (select v, w from ms order by random() limit 1);
select count(distinct (b, c)) from mt;
-- ON CONFLICT with a subquery reading the table and excluded
insert into mu values (1, 'c', 3), (2, 'd', 4) on conflict (i) do update
  set (j, k) = (select string_agg(j, ',' order by j), sum(k) from mu where i <= excluded.i)
  returning *;
select * from mu order by i;
-- inheritance children and partitions
create table mp (a int, b text) partition by list (a);
create table mp1 partition of mp for values in (1);
create table mp2 partition of mp for values in (2);
insert into mp values (1, 'one'), (2, 'two');
update mp set (a, b) = (select 3 - mp.a, b || '!') returning tableoid::regclass, *;
update mp set (a, b) = (select 5, 'five') where a = 1;
-- DEFAULT only as a whole item
select default;
insert into mu values (3, 'e' || default, 5);
update mt set (b, c) = row(default, 7) returning *;
