-- A row compared with a subquery of as many columns: IN, NOT IN, op ANY / ALL.
select (1,2) in (select 1,2), (1,2) not in (select 1,3), (1,2) = any (select 1,2), (1,2) < all (select 2,3);
select row(1,null) not in (select 1,2), row(1,null) in (select 1,null::int), (1,2) in (values (1,2),(3,4));
select (1,2) <> all (select 1,2 union all select 3,4), (2,1) > any (select 1,5), (1,2) <= all (select 1,2);
select (1,2) in (select 1);
select (1,2) in (select 1,2,3);
select 1 in (select 1,2);
select row(1) in (select 1), row(2) = any (select 1);
create table o7 (f1 int, f2 int); create table i7 (c1 int, c2 int);
insert into o7 values (1,2),(3,4),(null,5),(6,null); insert into i7 values (1,2),(6,7),(null,null);
select * from o7 where (f1, f2) in (select * from i7) order by 1;
select * from o7 where (f1, f2) not in (select * from i7) order by 1;
select * from o7 where (f1, f2) not in (select c1, c2 from i7 where c1 is not null) order by 1;
select o7.*, (f1, f2) in (select c1, c2 from i7 where c1 = o7.f1) as correlated from o7 order by 1;
select * from o7 where (f2, f1) = any (select c2 + 1, c1 from i7) order by 1;
select (1, 'a'::text) in (select 1, 'a'::varchar);
select (1,2) ~~ any (select 1,2);
drop table o7, i7;
