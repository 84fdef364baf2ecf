-- COPY ... FREEZE: allowed only into a table created or truncated by the current
-- subtransaction; its rows are visible at once and vanish with a rollback.
create table fz (a int, b text);
copy fz from stdin with (freeze);
1	x
\.
begin;
copy fz from stdin with (freeze);
1	x
\.
rollback;
insert into fz values (0, 'kept');
begin;
truncate fz;
copy fz from stdin (freeze on);
1	x
2	y
\.
select a, b from fz order by a;
rollback;
select a, b from fz order by a;
begin;
truncate fz;
copy fz from stdin (freeze on);
1	x
2	y
\.
update fz set b = 'z' where a = 2;
delete from fz where a = 1;
select a, b from fz order by a;
commit;
select a, b from fz order by a;
-- a savepoint: the table must be new in the subtransaction itself
begin;
create table fz2 (a int);
savepoint s;
copy fz2 from stdin (freeze);
1
\.
rollback;
begin;
savepoint s;
create table fz2 (a int primary key);
release s;
copy fz2 from stdin (freeze);
1
2
\.
insert into fz2 values (2);
rollback;
begin;
savepoint s;
truncate fz;
copy fz from stdin (freeze);
5	five
\.
rollback to s;
select a, b from fz order by a;
commit;
-- a snapshot taken earlier in a REPEATABLE READ transaction does not prevent it
begin isolation level repeatable read;
select count(*) from fz;
truncate fz;
copy fz from stdin (freeze);
1	x
\.
select a, b from fz order by a;
rollback;
-- an open cursor does
begin;
declare c cursor for select 1;
truncate fz;
copy fz from stdin (freeze);
1	x
\.
rollback;
create table fzp (a int) partition by list (a);
begin;
truncate fzp;
copy fzp from stdin (freeze);
1
\.
rollback;
begin;
truncate fz;
copy fz from stdin (freeze false);
1	x
\.
rollback;
select a, b from fz order by a;
drop table fz, fzp;
-- pg_size_pretty of numeric sizes (pg_wal_lsn_diff returns numeric)
select pg_size_pretty(v) from (values (0::numeric), (1.5), (10239), (10240), (-10240.7),
  (10485247.9), (10485248), (123456789012345678901234567890), ('NaN'), ('Infinity'),
  ('-Infinity')) as t(v);
select pg_size_pretty(pg_wal_lsn_diff('0/20000000', '0/10000000'));
