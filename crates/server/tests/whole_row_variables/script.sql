-- OLD.* and NEW.* in a trigger's WHEN condition
create table wt (a int, b text);
create function wtf() returns trigger language plpgsql as $$
begin raise notice 'fired % %', old, new; return new; end $$;
create trigger wt1 before update on wt for each row
  when (old.* is distinct from new.*) execute function wtf();
create trigger wt3 before update on wt for each statement
  when (old.* is distinct from new.*) execute function wtf();
create trigger wt4 before insert on wt for each row
  when (new.* is not null) execute function wtf();
insert into wt values (1, 'x');
insert into wt values (2, null);
update wt set b = 'x' where a = 1;
update wt set b = 'y' where a = 1;
select pg_get_triggerdef(oid) from pg_trigger where tgrelid = 'wt'::regclass order by tgname;
-- v.* of a composite argument in VALUES and in a call
create type compos as (f1 int, f2 text);
create table compos_t (f1 int, f2 text);
create function fcompos1(v compos) returns void as $$
insert into compos_t values (v.*);
$$ language sql;
create function fcompos3(v compos) returns void as $$
select fcompos1(fcompos3.v.*);
$$ language sql;
select fcompos1(row(1, 'one'));
select fcompos3(row(3, 'three'));
do $$ declare r compos := row(5, 'five'); begin insert into compos_t values (r.*); end $$;
select * from compos_t order by f1;
drop function fcompos1, fcompos3;
drop table compos_t, wt;
drop type compos;
drop function wtf;
