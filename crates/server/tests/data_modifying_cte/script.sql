-- Data-modifying statements in WITH (INSERT, UPDATE, DELETE ... RETURNING as CTEs).
create table dm_queue (id int primary key, payload text);
create table dm_done (id int, payload text);
insert into dm_queue select i, 'job ' || i from generate_series(1, 6) i;
-- Moving rows: DELETE ... RETURNING feeds an INSERT.
with moved as (delete from dm_queue where id <= 2 returning *)
insert into dm_done select * from moved;
select * from dm_queue order by id;
select * from dm_done order by id;
-- The RETURNING rows are what the outer query reads.
with t as (update dm_queue set payload = payload || ' (seen)' where id in (3, 4) returning id, payload)
select * from t order by id;
-- All parts see the same snapshot: the outer SELECT reads the old values.
with t as (update dm_queue set payload = upper(payload) returning *)
select * from dm_queue order by id;
select * from dm_queue order by id;
-- A CTE the outer query never reads still runs, once.
with gone as (delete from dm_queue where id = 6)
select count(*) from dm_done;
select * from dm_queue order by id;
-- Also without RETURNING and with a LIMIT on the outer query.
with t as (insert into dm_done values (10, 'a'), (11, 'b'), (12, 'c') returning *)
select * from t order by id limit 1;
select count(*) from dm_done;
-- Chained CTEs: each reads the previous one's RETURNING rows.
with a as (delete from dm_done where id >= 10 returning id),
     b as (insert into dm_queue select id, 'requeued' from a returning id, payload)
select * from b order by id;
select * from dm_queue order by id;
-- The same row changed twice in one statement: the later change is skipped.
with t as (update dm_queue set payload = 'by cte' where id = 3 returning *)
update dm_queue set payload = 'by outer' where id = 3 returning *;
select * from dm_queue where id = 3;
with t as (update dm_queue set payload = 'twice' where id = 4 returning *)
update dm_queue set payload = 'outer' from t where dm_queue.id = t.id returning dm_queue.*;
select * from dm_queue where id = 4;
-- Top-level INSERT, UPDATE and DELETE with a data-modifying WITH.
with ins as (insert into dm_done values (20, 'x') returning id)
delete from dm_queue where id in (select id - 10 from ins) returning *;
with d as (delete from dm_done where id = 20 returning id)
update dm_queue set payload = 'after ' || (select id from d) where id = 5 returning *;
-- A referenced CTE is read once however many references.
with t as (insert into dm_done values (30, 'once') returning *)
select * from t union all select * from t;
select count(*) from dm_done where id = 30;
-- Constraints apply inside the CTE; the whole statement fails.
with t as (insert into dm_queue values (3, 'dup') returning *)
select * from t;
-- Prepared statements run their CTEs on each execution.
prepare dm_pop(int) as with p as (delete from dm_queue where id = $1 returning *) select * from p;
execute dm_pop(3);
execute dm_pop(3);
deallocate dm_pop;
-- In WITH RECURSIVE a CTE may read one written after it.
with recursive i as (insert into dm_done select id, 'copied' from d returning *),
     d as (delete from dm_queue where id = 12 returning *)
select * from i;
-- MERGE as the statement with a data-modifying WITH.
with i as (insert into dm_done values (40, 'merged') returning *)
merge into dm_queue q using i on q.id = i.id
  when not matched then insert values (i.id, i.payload);
select * from dm_queue where id = 40;
-- Errors.
select (with t as (delete from dm_queue returning *) select count(*) from t);
select * from (with t as (delete from dm_queue returning *) select * from t) s;
insert into dm_done with t as (delete from dm_queue returning *) select * from t;
with t as (delete from dm_queue) select * from t;
with recursive t as (insert into dm_done select * from t returning *) select * from t;
with t as (merge into dm_queue using dm_done on dm_queue.id = dm_done.id when matched then delete) select 1;
with recursive t as (select 1)
merge into dm_queue q using t on false when not matched then do nothing;
create view dm_view as with t as (delete from dm_queue returning *) select * from t;
begin;
declare dm_cursor cursor for with t as (delete from dm_queue returning *) select * from t;
rollback;
select * from dm_queue order by id;
select * from dm_done order by id;
