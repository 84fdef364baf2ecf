create table io (a int, b text);
create index io_a on io (a) with (fillfactor = 70);
create index io_b on io (b) with (deduplicate_items = off, fillfactor=90);
create index io_c on io (a) with (fillfactor = 5);
create index io_c on io (a) with (fillfactor = 'x');
create index io_c on io (a) with (nosuch = 1);
create index io_c on io (a) with (toast.fillfactor = 50);
create index io_c on io (a) with (deduplicate_items = maybe);
create index io_c on io (a) with (fillfactor = 50, fillfactor = 60);
create index io_c on io (a) with (deduplicate_items);
create index io_d on io (a) with (autovacuum_enabled = false);
select relname, reloptions from pg_class where relname like 'io_%' order by 1;
select pg_get_indexdef('io_b'::regclass);
\d io
alter index io_a set (fillfactor = 50);
alter index io_a set (deduplicate_items = on);
alter index io_a set (nosuch = 1);
alter index io_a reset (fillfactor);
select relname, reloptions from pg_class where relname like 'io_%' order by 1;
alter table io add constraint io_pk primary key (a) with (fillfactor = 80);
alter table io add constraint io_u unique (b) with (fillfactor = 1);
create table io2 (a int primary key with (fillfactor = 60), b int, unique (b) with (deduplicate_items = off));
select relname, reloptions from pg_class where relname like 'io%' order by 1;

\d io2
select conname, pg_get_constraintdef(oid) from pg_constraint where conrelid = 'io2'::regclass order by conname;
select pg_get_indexdef(indexrelid) from pg_index where indrelid = 'io'::regclass order by 1;
-- a bulk build with a low fillfactor, then more rows through splits
create table io3 (k int);
insert into io3 select g from generate_series(1, 2000) g;
create unique index io3_k on io3 (k) with (fillfactor = 10);
insert into io3 select g from generate_series(2001, 3000) g;
set enable_seqscan = off;
select count(*) from io3 where k between 100 and 2500;
insert into io3 values (5);
reset enable_seqscan;
drop table io, io2, io3;
