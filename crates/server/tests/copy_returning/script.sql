-- COPY (INSERT | UPDATE | DELETE ... RETURNING ...) TO sends the RETURNING rows
create table cpt (a int primary key, b text, c numeric);
copy (insert into cpt values (1, 'x', 1.5), (2, null, 2) returning *) to stdout;
copy (update cpt set b = 'y' where a = 1 returning a, b, 'lit') to stdout with (format csv, header);
copy (insert into cpt values (3, 'z"q', 3) on conflict (a) do nothing returning b) to stdout with (format csv, force_quote *);
copy (delete from cpt where a = 2) to stdout;
copy (delete from cpt where a = 2 returning a) to stdout;
begin;
copy (delete from cpt returning *) to stdout;
rollback;
copy (insert into cpt values (1, 'dup', 0) returning a) to stdout;
select * from cpt order by a;
drop table cpt;
