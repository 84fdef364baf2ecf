-- Indexes of partitioned tables: index partitions linked to their parents through
-- pg_inherits, CREATE INDEX ON ONLY, ALTER INDEX ... ATTACH PARTITION and validity.
create table ip (a int, b int, c text) partition by range (a);
create table ip1 partition of ip for values from (0) to (10);
create table ip2 partition of ip for values from (10) to (20) partition by list (b);
create table ip21 partition of ip2 for values in (1);
create table ip22 partition of ip2 for values in (2);

-- CREATE INDEX on the parent creates and attaches one index per partition
create index ip_a on ip (a);
select c.relname, c.relkind, c.relispartition, i.indisvalid
  from pg_class c join pg_index i on i.indexrelid = c.oid
  where c.relname like 'ip%' order by 1;
select inhrelid::regclass, inhparent::regclass, inhseqno from pg_inherits
  where inhparent::regclass::text like 'ip%' order by 1;

-- ON ONLY: just the parent's index, invalid while partitions lack theirs
create index ip_b on only ip (b);
select c.relname, i.indisvalid from pg_class c join pg_index i on i.indexrelid = c.oid
  where c.relname like '%b%' and c.relname like 'ip%' order by 1;
create index ip1_b on ip1 (b);
alter index ip_b attach partition ip1_b;
alter index ip_b attach partition ip1_b;  -- again: nothing happens
select c.relname, i.indisvalid from pg_class c join pg_index i on i.indexrelid = c.oid
  where c.relname like '%b%' and c.relname like 'ip%' order by 1;
create index ip2_b on only ip2 (b);
alter index ip_b attach partition ip2_b;
select c.relname, i.indisvalid from pg_class c join pg_index i on i.indexrelid = c.oid
  where c.relname like '%b%' and c.relname like 'ip%' order by 1;
create index ip21_b on ip21 (b);
alter index ip2_b attach partition ip21_b;
create index ip22_b on ip22 (b);
alter index ip2_b attach partition ip22_b;
-- every partition has its index now: valid all the way up
select c.relname, i.indisvalid from pg_class c join pg_index i on i.indexrelid = c.oid
  where c.relname like '%b%' and c.relname like 'ip%' order by 1;

-- errors
create index ip1_c on ip1 (c);
alter index ip_b attach partition ip1_c;
create index ip1_b2 on ip1 (b);
alter index ip_b attach partition ip1_b2;
create table other (a int, b int);
create index other_b on other (b);
alter index ip_b attach partition other_b;
alter index ip_b attach partition ip21_b;
alter index ip_b attach partition nosuch;
alter index ip_b attach partition ip1;
alter index ip1_c attach partition ip1_b2;
create index ip1_b_desc on ip1 (b desc);
drop index ip1_b_desc;
create index ip_ab on only ip (a, b);
create index ip1_ba on ip1 (b, a);
alter index ip_ab attach partition ip1_ba;
create index ip1_ab_where on ip1 (a, b) where b > 0;
alter index ip_ab attach partition ip1_ab_where;
create index ip1_ab_desc on ip1 (a desc, b);
alter index ip_ab attach partition ip1_ab_desc;
drop index ip_ab;
drop index ip1_ba, ip1_ab_where;

-- CREATE INDEX on the parent attaches matching indexes the partitions already have
create index ip1_c_lower on ip1 (lower(c));
create index ip21_c_lower on ip21 (lower(c));
create index ip_c_lower on ip (lower(c));
select inhrelid::regclass, inhparent::regclass from pg_inherits
  where inhparent in ('ip_c_lower'::regclass, 'ip2_lower_idx'::regclass) order by 1;

-- DROP of an index partition is refused; DROP of the parent drops the partitions
drop index ip1_b;
drop index ip2_b;
drop index ip_c_lower;
select relname from pg_class where relname like '%lower%' order by 1;

-- pg_partition_tree, ancestors, root over indexes
select * from pg_partition_tree('ip_b') order by relid::text;
select * from pg_partition_ancestors('ip21_b');
select pg_partition_root('ip21_b'), pg_partition_root('ip2_b'), pg_partition_root('ip_b');
select * from pg_partition_tree('ip2') order by relid::text;

-- DETACH: the partition's indexes are detached with it; ATTACH attaches or creates
alter table ip detach partition ip1;
select c.relname, c.relispartition from pg_class c where c.relname like 'ip1%' order by 1;
select count(*) from pg_inherits where inhrelid in (select oid from pg_class where relname like 'ip1%');
drop index ip1_b2;
drop index ip1_c;
alter table ip attach partition ip1 for values from (0) to (10);
select inhrelid::regclass, inhparent::regclass from pg_inherits
  where inhrelid in (select oid from pg_class where relname like 'ip1%') order by 1;
create table ip3 (b int, a int, c text);
create index ip3_a on ip3 (a);
alter table ip attach partition ip3 for values from (20) to (30);
select inhrelid::regclass, inhparent::regclass from pg_inherits
  where inhrelid in (select oid from pg_class where relname like 'ip3%') order by 1;

-- unique constraints follow the same links
create table up (a int, b int) partition by list (a);
create table up1 partition of up for values in (1);
alter table up add constraint up_pk primary key (a);
select inhrelid::regclass, inhparent::regclass from pg_inherits
  where inhparent = 'up_pk'::regclass;
select c1.conname, c2.conname as parent from pg_constraint c1
  left join pg_constraint c2 on c2.oid = c1.conparentid
  where c1.conrelid in ('up'::regclass, 'up1'::regclass) order by 1;
create table up2 (a int not null, b int);
alter table up2 add constraint up2_a_key unique (a);
create unique index up2_a_idx on up2 (a);
alter table up attach partition up2 for values in (2);
select inhrelid::regclass, inhparent::regclass from pg_inherits
  where inhparent = 'up_pk'::regclass order by 1;
create table up3 (a int not null, b int);
create unique index up3_a on up3 (a);
alter index up_pk attach partition up3_a;

-- pg_dump's order: the constraint ON ONLY the parent, then ATTACH of the partitions'
create table uq (a int, b int) partition by list (a);
create table uq1 partition of uq for values in (1);
create unique index uq1_a on uq1 (a);
alter table only uq add constraint uq_a_key unique (a);
select indisvalid from pg_index where indexrelid = 'uq_a_key'::regclass;
alter index uq_a_key attach partition uq1_a;
alter table only uq1 add constraint uq1_a_key unique (a);
alter index uq_a_key attach partition uq1_a_key;
select indisvalid from pg_index where indexrelid = 'uq_a_key'::regclass;
select c1.conname, c2.conname as parent from pg_constraint c1
  left join pg_constraint c2 on c2.oid = c1.conparentid
  where c1.conrelid in ('uq'::regclass, 'uq1'::regclass) order by 1;

-- \d of partitioned indexes lists their partitions
\d ip_b
\d+ ip2_b
\d ip21_b
\d ip

-- a partition's inherited constraint cannot be dropped; the parent's takes them along
alter table up1 drop constraint up1_pkey;
alter table up drop constraint up_pk;
select conname from pg_constraint where conrelid in ('up1'::regclass, 'up2'::regclass)
  and contype in ('p', 'u') order by 1;
select relname from pg_class where relname like 'up%pk%' order by 1;

-- ALTER TABLE ONLY ... ADD PRIMARY KEY needs the partitions' columns NOT NULL
create table nn (a int) partition by list (a);
create table nn1 partition of nn for values in (1);
alter table only nn add primary key (a);
alter table nn1 alter column a set not null;
alter table only nn add primary key (a);
select indisvalid from pg_index where indexrelid = 'nn_pkey'::regclass;

-- relhassubclass, circular attachment, ONLY column changes
select relname, relhassubclass from pg_class where relname in ('ip', 'ip_a', 'ip1', 'ip1_a_idx') order by 1;
alter table ip2 attach partition ip for values in (3);
alter table ip attach partition ip for values from (50) to (60);
alter table only ip add column d int;
alter table only ip drop column c;
alter table ip1 add column d int;

drop table ip, other, up, up3, uq, nn, nn1;
