-- xid, xid8 and cid input as C's strtoul(.., 0): octal, hex, negative, garbage
select '010'::xid, '0x1f'::xid, '-1'::xid, 'junk'::xid, '7x'::cid;
select '010'::xid8, '0xffffffffffffffff'::xid8, '-1'::xid8, ''::xid8;
-- comparisons are unsigned
select '1'::xid8 < '18446744073709551615'::xid8, xid8cmp('5', '3'), '7'::xid8::xid;
create table xt (x xid8);
insert into xt values ('0'), ('42'), ('-1'), ('9223372036854775808'), ('5');
select min(x), max(x) from xt;
select x from xt order by x;
create index on xt (x);
set enable_seqscan = off;
select x from xt where x > '100' order by x;
reset enable_seqscan;
drop table xt;
-- snapshots
select '12:18:14,16,16'::pg_snapshot, '12:13:'::txid_snapshot;
select '12:16:14,13'::pg_snapshot;
select '0:1:'::txid_snapshot;
select 'x'::pg_snapshot;
select pg_snapshot_xmin('12:20:13,15,18'), pg_snapshot_xmax('12:20:13,15,18');
select pg_snapshot_xip('12:20:13,15,18');
select txid_snapshot_xip('12:20:13,15,18');
select id, pg_visible_in_snapshot(id::text::xid8, '12:20:13,15,18')
  from generate_series(11, 21) id;
select txid_visible_in_snapshot(13, '12:20:13,15,18'), txid_visible_in_snapshot(14, '12:20:13,15,18');
-- the current transaction
begin;
select pg_current_xact_id_if_assigned() is null as unassigned, txid_current_if_assigned() is null as unassigned_txid;
select pg_current_xact_id() as cur \gset
select pg_current_xact_id_if_assigned() = :'cur'::xid8 as same, txid_current() = :cur as same_txid;
select pg_visible_in_snapshot(pg_current_xact_id(), pg_current_snapshot()) as own_visible;
select pg_snapshot_xmin(pg_current_snapshot()) <= pg_current_xact_id() as xmin_le;
create temp table xmins (a int);
insert into xmins values (1);
select xmin = pg_current_xact_id()::xid as xmin_is_ours from xmins;
select pg_xact_status(:'cur') as own_status;
commit;
select pg_xact_status(:'cur') as committed, txid_status(:cur) as committed_txid;
begin;
select pg_current_xact_id() as rolledback \gset
rollback;
select pg_xact_status(:'rolledback') as rolledback;
select pg_xact_status('1'::xid8) as bootstrap, pg_xact_status('2'::xid8) as frozen;
create function future_status(xid8) returns text language plpgsql as $$
begin
  return pg_xact_status($1);
exception when invalid_parameter_value then
  return sqlstate || ' ' || (sqlerrm like 'transaction ID % is in the future')::text;
end $$;
select future_status((:cur + 100000)::text::xid8);
