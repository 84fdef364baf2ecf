-- Partition key expressions: routing, catalog rows, key and constraint display.
create table pk_list (a text, b int) partition by list (lower(a));
create table pk_list_ab partition of pk_list for values in ('a', 'b');
create table pk_list_c partition of pk_list for values in ('c');
insert into pk_list values ('A', 1), ('b', 2), ('C', 3);
select tableoid::regclass, * from pk_list order by 2;
insert into pk_list values ('D', 4);
select pg_get_partkeydef('pk_list'::regclass);
select partnatts, partattrs, partexprs is not null as has_exprs
  from pg_partitioned_table where partrelid = 'pk_list'::regclass;
select pg_get_partition_constraintdef('pk_list_c'::regclass);
create table pk_range (a int, b int, c int) partition by range (a, abs(b), c);
create table pk_range_0 partition of pk_range
  for values from (minvalue, 0, 0) to (1, maxvalue, maxvalue);
create table pk_range_1 partition of pk_range
  for values from (1, minvalue, minvalue) to (10, 5, 10);
insert into pk_range values (0, -7, 3), (5, -3, 1);
select tableoid::regclass, * from pk_range order by a;
insert into pk_range values (11, 1, -1);
insert into pk_range values (5, -6, 1);
select pg_get_partkeydef('pk_range'::regclass);
create table pk_plus (a text, b int) partition by range (a, (b + 0));
create table pk_plus_1 partition of pk_plus for values from ('a', 1) to ('a', 10);
insert into pk_plus values ('a', 1), ('a', 9);
insert into pk_plus values ('a', 10);
insert into pk_plus values ('a', null);
select pg_get_partkeydef('pk_plus'::regclass);
update pk_plus set b = b + 1 where b = 1;
select tableoid::regclass, * from pk_plus order by b;
create table pk_bool (a bool) partition by list ((not a));
create table pk_bool_t partition of pk_bool for values in (true);
create table pk_bool_f partition of pk_bool for values in (false);
insert into pk_bool values (true), (false), (null);
select tableoid::regclass, * from pk_bool order by a;
select * from pk_bool where not a;
select pg_get_partkeydef('pk_bool'::regclass);
select pg_get_partition_constraintdef('pk_bool_t'::regclass);
-- attaching checks existing rows against the expression
create table pk_list_d (a text, b int);
insert into pk_list_d values ('e', 5);
alter table pk_list attach partition pk_list_d for values in ('d');
delete from pk_list_d;
insert into pk_list_d values ('D', 5);
alter table pk_list attach partition pk_list_d for values in ('d');
select tableoid::regclass, * from pk_list order by 2;
-- unique constraints cannot cover key expressions
create table pk_unique (a int, b int, unique (a)) partition by range ((a + 1));
alter table pk_list add primary key (a);
-- errors
create table pk_bad (a int) partition by range ((42));
create table pk_bad (a int) partition by range ((avg(a)));
create table pk_bad (a int) partition by list ((a in (select 1)));
create table pk_bad (a int) partition by range ((random() * a));
create table pk_bad (a int, b int) partition by range (((a, b)));
create table pk_bad (a int) partition by range (a, ('unknown'));
create table pk_bad (a point) partition by list ((a));
create table pk_bad (a int) partition by list (lower(b));
drop table pk_list, pk_range, pk_plus, pk_bool;
-- partition information functions
create table pi_root (a int, b int) partition by range (a);
create table pi_mid partition of pi_root for values from (0) to (100) partition by list (b);
create table pi_leaf1 partition of pi_mid for values in (1);
create table pi_leaf2 partition of pi_mid for values in (2);
create table pi_other partition of pi_root for values from (100) to (200);
create table pi_plain (a int);
select relid, parentrelid, isleaf, level from pg_partition_tree('pi_root') order by relid::text;
select relid, parentrelid, isleaf, level from pg_partition_tree('pi_mid') order by relid::text;
select * from pg_partition_tree('pi_plain');
select * from pg_partition_tree(0);
select pg_partition_root('pi_leaf1'), pg_partition_root('pi_mid'), pg_partition_root('pi_root');
select pg_partition_root('pi_plain') is null as plain_root_null;
select * from pg_partition_ancestors('pi_leaf2');
select * from pg_partition_ancestors('pi_root');
select * from pg_partition_ancestors('pi_plain');
select pg_partition_root(relid), count(*) from pg_partition_tree('pi_root') group by 1;
drop table pi_root, pi_plain;
-- INSERT ... ON CONFLICT into a partitioned table
create table oc (a int primary key, b text) partition by list (a);
create table oc1 partition of oc for values in (1);
create table oc2 (b text, a int not null, primary key (a));
alter table oc attach partition oc2 for values in (2);
create table oc3 partition of oc for values in (3, 4) partition by list (a);
create table oc34 partition of oc3 for values in (3, 4);
insert into oc values (1, 'one'), (2, 'two'), (3, 'three');
insert into oc values (1, 'uno') on conflict (a) do update set a = 2;
insert into oc values (1, 'uno'), (2, 'dos'), (3, 'tres'), (4, 'cuatro')
  on conflict (a) do update set b = oc.b || '/' || excluded.b
  returning tableoid::regclass, *;
insert into oc values (2, 'x'), (4, 'y') on conflict do nothing returning *;
insert into oc values (2, 'x') on conflict on constraint oc_pkey do nothing;
insert into oc values (3, 'x') on conflict (a) do update set b = 'z' where oc.b like 'three%';
insert into oc values (1, 'p'), (1, 'q') on conflict (a) do update set b = excluded.b;
insert into oc values (5, 'x') on conflict (a) do nothing;
insert into oc values (1, 'x') on conflict (b) do nothing;
select tableoid::regclass, * from oc order by a;
drop table oc;
-- without a conflict target every unique index of the leaf arbitrates
create table ocq (a int, b int) partition by list (a);
create table ocq1 partition of ocq for values in (1);
create unique index on ocq1 (b);
insert into ocq values (1, 1);
insert into ocq values (1, 1) on conflict do nothing;
insert into ocq values (1, 1) on conflict (b) do nothing;
insert into ocq values (1, 1);
drop table ocq;
-- expression and partial indexes of partitioned tables
create table ix (a int, b text, c int) partition by range (a);
create table ix1 partition of ix for values from (0) to (10);
create table ix2 (c int, b text, a int);
create index on ix (lower(b));
create index ix_part on ix (c) where c > 5;
create unique index on ix (a, (c + 1));
create unique index on ix ((a + 1));
alter table ix attach partition ix2 for values from (10) to (20);
create table ix3 partition of ix for values from (20) to (30);
create index ix3_lower on ix3 (lower(b));
create table ix4 (a int, b text, c int);
create index ix4_lower on ix4 (lower(b));
alter table ix attach partition ix4 for values from (30) to (40);
select c.relname, pg_get_indexdef(i.indexrelid) from pg_index i join pg_class c on c.oid = i.indrelid
  where c.relname like 'ix%' order by 1, 2;
insert into ix values (1, 'A', 1), (11, 'B', 7), (21, 'c', 9);
insert into ix values (1, 'A', 1);
insert into ix values (1, 'z', 1) on conflict (a, (c + 1)) do update set b = excluded.b;
select * from ix order by a;

create table ix5 partition of ix for values from (40) to (50) partition by list (c);
create table ix51 partition of ix5 for values in (1, 2);
select c.relname, pg_get_indexdef(i.indexrelid) from pg_index i join pg_class c on c.oid = i.indrelid
  where c.relname like 'ix5%' order by 1, 2;
insert into ix values (41, 'q', 1);
insert into ix values (41, 'r', 1) on conflict (a, (c + 1)) do nothing;
select * from ix where a > 40;
drop table ix;
-- column options of PARTITION OF
create table pp (a int, b char) partition by list (a);
create table pp1 partition of pp (b unique, a default 1, b not null) for values in (1);
create table pp2 partition of pp (c unique) for values in (2);
create table pp3 partition of pp (b with options not null, a primary key) for values in (3);
create table pp4 partition of pp (a unique, a not null) for values in (4);
create table pp5 partition of pp (a default 5, b default 'x', check (b <> 'y')) for values in (5);
insert into pp (b) values ('q');
insert into pp (a) values (5);
insert into pp3 values (3, null);
select a.attrelid::regclass, a.attname, a.attnotnull, a.attislocal, a.attinhcount, d.adbin is not null as has_default
  from pg_attribute a left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
  where a.attrelid in ('pp3'::regclass, 'pp5'::regclass) and a.attnum > 0 order by 1, 2;
select conrelid::regclass, conname, contype from pg_constraint where conrelid in ('pp3'::regclass, 'pp5'::regclass) order by 1, 2;
select tableoid::regclass, * from pp order by a;
drop table pp;
-- operator classes in the partition key
create table ok1 (b varchar, a int) partition by list (b varchar_ops);
create table ok2 (a int, b text) partition by range (a int4_ops, b text_ops);
create table ok3 (a int, b text) partition by hash (a int4_ops, b text_ops);
create table ok4 (a int) partition by hash (a part_test_int4_ops);
create table ok5 (a int) partition by range (a nosuch_ops);
create table ok6 (a int) partition by range (a text_ops);
create table ok8 (a int) partition by range ((a + 1) int4_ops);
select partrelid::regclass, pg_get_partkeydef(partrelid) from pg_partitioned_table where partrelid::regclass::text like 'ok%' order by 1;
create table ok1_a partition of ok1 for values in ('a');
insert into ok1 values ('a', 1);
select tableoid::regclass, * from ok1;
drop table ok1, ok2, ok3, ok8;
-- CREATE TABLE ... LIKE
create table lsrc (a int not null default 7, b varchar(10), c numeric(8,2)[], d text default 'x');
alter table lsrc drop column c;
create table l1 (like lsrc);
create table l2 (z int, like lsrc including defaults, y text);
create table l4 (like nosuch);
create table l5 (like lsrc, a int);
select attrelid::regclass, attnum, attname, format_type(atttypid, atttypmod), attnotnull, atthasdef
  from pg_attribute where attrelid in ('l1'::regclass, 'l2'::regclass) and attnum > 0 order by 1, 2;
insert into l2 (z) values (1);
select * from l2;
create table lp (a int, b text) partition by list (a);
create table lp1 (like lp);
alter table lp attach partition lp1 for values in (1);
insert into lp values (1, 'one');
select tableoid::regclass, * from lp;
drop table lsrc, l1, l2, lp;
-- a routed row meets the leaf partition's own constraints
create table cc (a int, b text, c int) partition by list (a);
create table cc1 partition of cc for values in (1);
alter table cc1 add check (b <> 'y');
insert into cc values (1, 'y');
create table cc2 partition of cc (check (b <> 'z'), c not null) for values in (2);
insert into cc values (2, 'z', 1);
insert into cc values (2, 'a');
create table cc3 (c int, b text, a int, check (length(b) < 3));
alter table cc attach partition cc3 for values in (3);
insert into cc values (3, 'www', 1);
insert into cc values (3, null, 1), (2, 'ok', 5), (1, 'n', null);
create unique index on cc (a, c);
insert into cc values (2, 'z', 5) on conflict do nothing;
insert into cc values (2, 'q', 5) on conflict (a, c) do update set b = 'z';
update cc set a = 1, b = 'y' where a = 2;
select tableoid::regclass, * from cc order by a;
drop table cc;
