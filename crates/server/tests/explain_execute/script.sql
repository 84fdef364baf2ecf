-- EXPLAIN EXECUTE plans a prepared query for its arguments (a custom plan)
create table ex (a int, b text);
insert into ex select g, 'v' || g from generate_series(1, 20) g;
prepare q1(int) as select * from ex where a = $1;
explain (costs off) execute q1(5);
explain (costs off) execute q1('7');
explain (costs off) execute q1(1 + 1);
explain (analyze, costs off, timing off, summary off) execute q1(3);
prepare q2(text, int) as select b from ex where b like $1 and a > $2 order by b;
explain (costs off) execute q2('v1%', 10);
prepare q3 as select count(*) from ex;
explain (costs off) execute q3;
-- errors
explain (costs off) execute q1(1, 2);
explain (costs off) execute q1;
explain (costs off) execute nosuch(1);
explain (costs off) execute q1('x');
deallocate q1;
explain (costs off) execute q1(5);
