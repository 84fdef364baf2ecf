-- Window frames: ROWS, RANGE with offsets (in_range per type), GROUPS, EXCLUDE,
-- nth_value and frame-aware first_value/last_value; PostgreSQL's errors.
create table wf (id int, v int, n numeric, f float8, d date, ts timestamp, iv interval, t text);
insert into wf values
  (1, 1, 1.5, 1.0, '2024-01-01', '2024-01-01 00:00', '1 hour', 'a'),
  (2, 2, 2.0, 2.5, '2024-01-02', '2024-01-01 06:00', '2 hours', 'b'),
  (3, 2, 2.0, 'NaN', '2024-01-02', '2024-01-01 12:00', '1 day', 'c'),
  (4, 4, 3.25, 4.0, '2024-01-05', '2024-01-02 00:00', '3 days', 'd'),
  (5, null, null, null, null, null, null, 'e'),
  (6, 7, 'NaN', 'Infinity', '2024-02-01', '2024-03-01 00:00', '1 mon', 'f');
-- ROWS
select id, v, sum(v) over (order by id rows between 1 preceding and 1 following) from wf order by id;
select id, v, sum(v) over (order by id rows between current row and unbounded following exclude current row) from wf order by id;
-- RANGE with integer, numeric, float, date, timestamp and interval offsets
select id, v, sum(v) over (order by v range between 1 preceding and 1 following),
       count(*) over (order by v range between 2 preceding and current row) from wf order by id;
select id, v, sum(v) over (order by v desc range between 1 preceding and 2 following) from wf order by id;
select id, v, first_value(id) over (order by v nulls first range between 1 preceding and current row),
       last_value(id) over (order by v nulls first range between current row and 1 following) from wf order by id;
select id, n, sum(n) over (order by n range between 0.5 preceding and 0.5 following) from wf order by id;
select id, f, count(*) over (order by f range between 1.5 preceding and 'infinity' following) from wf order by id;
select id, d, count(*) over (order by d range between '1 day' preceding and '2 days' following) from wf order by id;
select id, ts, count(*) over (order by ts range between '6 hours' preceding and current row) from wf order by id;
select id, iv, count(*) over (order by iv range between current row and '1 day' following) from wf order by id;
-- GROUPS
select id, v, sum(v) over (order by v groups between 1 preceding and 1 following) from wf order by id;
select id, v, sum(v) over (order by v groups between current row and 1 following exclude group) from wf order by id;
-- EXCLUDE with first_value, last_value, nth_value
select id, v,
       first_value(id) over w, last_value(id) over w, nth_value(id, 2) over w
from wf window w as (order by v rows between unbounded preceding and unbounded following exclude ties)
order by id;
select id, v, nth_value(v, 3) over (order by id), nth_value(v, 1) over (order by id rows 2 preceding exclude current row)
from wf order by id;
-- Partitions come out in key order.
select t < 'd' as part, id, sum(id) over (partition by t < 'd') from wf order by part, id;
-- Errors
select sum(v) over (order by v, id range 1 preceding) from wf;
select sum(v) over (order by t range 1 preceding) from wf;
select sum(v) over (order by v range 1.5 preceding) from wf;
select sum(v) over (order by v range -1 preceding) from wf;
select sum(v) over (order by v rows -1 preceding) from wf;
select sum(v) over (order by v rows null preceding) from wf;
select sum(v) over (order by v rows v preceding) from wf;
select sum(v) over (groups 1 preceding) from wf;
select nth_value(v, 0) over () from wf;
select sum(v) over (order by f range between 'NaN' preceding and current row) from wf;
select count(*) over w from wf window w as (order by id), w as (order by v);
drop table wf;
