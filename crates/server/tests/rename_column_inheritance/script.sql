create table rp (a int, b text);
create table rc (c int) inherits (rp);
create table rg () inherits (rc);
insert into rg values (1, 'x', 2);
alter table rp rename column b to bb;
select * from rg;
select attrelid::regclass, attname from pg_attribute where attrelid in ('rp'::regclass, 'rc'::regclass, 'rg'::regclass) and attnum = 2 order by 1;
alter table only rp rename column a to aa;
alter table rc rename column a to aa;
alter table rc rename column c to cc;
select * from rg;
create table pr (k int, v text) partition by list (k);
create table pr1 partition of pr for values in (1);
alter table pr rename column v to vv;
\d pr1
drop table rp cascade;
drop table pr;
