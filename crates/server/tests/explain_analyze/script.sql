-- EXPLAIN ANALYZE: actual row counts and loops per plan node (timing and summary off so
-- the output is stable).
create table ea_items (id int, grp int, label text);
insert into ea_items select i, i % 5, 'item ' || i from generate_series(1, 200) i;
create table ea_groups (grp int, name text);
insert into ea_groups select g, 'group ' || g from generate_series(0, 4) g;
explain (analyze, costs off, timing off, summary off) select * from ea_items;
explain (analyze, costs off, timing off, summary off) select * from ea_items where label like 'item 1%';
explain (analyze, costs off, timing off, summary off) select * from ea_items where id = 7;
explain (analyze, costs off, timing off, summary off) select count(*) from ea_items where grp = 2;
explain (analyze, costs off, timing off, summary off) select * from ea_items limit 0;
explain (analyze, costs off, timing off, summary off) select * from ea_items where grp = 1 limit 3;
-- ANALYZE really runs the query: a volatile function is called once per row.
create sequence ea_seq;
explain (analyze, costs off, timing off, summary off) select nextval('ea_seq') from ea_groups;
select currval('ea_seq');
-- Options: TIMING needs ANALYZE.
explain (timing) select 1;
explain (analyze, timing off, costs off, summary off) select 1;
