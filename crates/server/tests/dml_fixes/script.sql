-- RETURNING system columns of rows inserted, updated or deleted through a partitioned
-- table or an inheritance parent name the leaf or child the row lives in.
create table p (a int, b text) partition by list (a);
create table p1 partition of p for values in (1);
create table p2 (b text, a int);
alter table p attach partition p2 for values in (2);
insert into p values (1, 'one') returning tableoid::regclass;
insert into p values (2, 'two') returning tableoid::regclass, a, b;
insert into p values (1, 'x'), (2, 'y') returning tableoid::regclass, *;
insert into p values (2, 'z') returning tableoid = 'p2'::regclass as in_p2, ctid is not null as has_ctid;
update p set b = b || '!' where b in ('one', 'two') returning tableoid::regclass, a, b;
update p set a = 2 where b = 'one!' returning tableoid::regclass, a, b;
delete from p where b = 'x' returning tableoid::regclass, a, b;
select tableoid::regclass, * from p order by a, b;
create table par (a int, b text);
create table chi () inherits (par);
insert into chi values (5, 'c');
insert into par values (4, 'p') returning tableoid::regclass;
update par set b = b || '?' returning tableoid::regclass, a, b;
delete from par where a = 5 returning tableoid::regclass, a, b;
-- INSERT ... ON CONFLICT into a partitioned table returns the leaf too.
create table pk (k int primary key, v text) partition by range (k);
create table pk1 partition of pk for values from (0) to (10);
insert into pk values (1, 'a') on conflict (k) do nothing returning tableoid::regclass, *;
insert into pk values (1, 'b') on conflict (k) do update set v = excluded.v returning tableoid::regclass, *;
