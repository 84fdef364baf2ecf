-- Column collations that order text bytewise, as tusk does
create table cc (a text collate "C", b varchar(10) collate "POSIX", c text collate pg_catalog."default", d text collate ucs_basic, e text);
\d cc
select attname, (select collname from pg_collation where oid = attcollation) from pg_attribute where attrelid = 'cc'::regclass and attnum > 0 order by attnum;
insert into cc values ('b', 'b', 'b', 'b', 'b'), ('B', 'B', 'B', 'B', 'B'), ('a', 'a', 'a', 'a', 'a');
select a from cc order by a;
select a from cc order by a collate "C" desc;
alter table cc add column f text collate "C";
select attname, (select collname from pg_collation where oid = attcollation) from pg_attribute where attrelid = 'cc'::regclass and attname = 'f';
create table cc_like (like cc);
select attname, (select collname from pg_collation where oid = attcollation) from pg_attribute where attrelid = 'cc_like'::regclass and attnum > 0 order by attnum;
-- errors
create table bad1 (a int collate "C");
create table bad2 (a text collate "nonexistent");
create table bad3 (a text collate public."C");
create type comp as (x text collate "C", y int);
select attname, (select collname from pg_collation where oid = attcollation) from pg_attribute where attrelid = 'comp'::regclass order by attnum;
-- domains
create domain cdom as text collate "C" check (value <> '');
create domain idom as int collate "C";
select typname, (select collname from pg_collation where oid = typcollation) from pg_type where typname in ('cdom', '_cdom') order by 1;
create table dt (x cdom, y cdom collate "POSIX");
\d dt
