-- JOIN ... USING (...) AS name: a name for the merged USING columns.
create table ja (a int, b text); create table jb (a int, c text); create table jc (a int, d text);
insert into ja values (1, 'x'), (2, 'y'); insert into jb values (1, 'p'), (3, 'q'); insert into jc values (1, 'z');
select x.a, x.* from ja join jb using (a) as x;
select x.a, a, b, c from ja full join jb using (a) as x order by 1;
select * from ja join jb using (a) as x where x.a = 1;
select * from ja join jb using (a) as ja;
select y.a, x.a from ja join jb using (a) as x join jc using (a) as y;
select * from (ja join jb using (a) as x) as j;
select x.a from (ja join jb using (a) as x) as j;
select j.a from (ja join jb using (a) as x) as j;
select ja.a, jb.a, x.a from ja left join jb using (a) as x order by 1;
drop table ja, jb, jc;
